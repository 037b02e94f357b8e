: Ornstein-Uhlenbeck noise current (mean, sigma in nA; tau in ms), updated once per time
: step with the exact OU transition. The Random123 stream is addressed by the step index,
: so NEURON and CoreNEURON draw the same numbers whatever the order of their calls;
: set the stream with rng.set_ids(seed, gid, index). Fixed time step only.

NEURON {
    THREADSAFE
    POINT_PROCESS BrNoise
    RANGE mean, sigma, tau, i_noise
    ELECTRODE_CURRENT i
    RANDOM rng
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    mean = 0 (nA)
    sigma = 0 (nA)
    tau = 10 (ms)
}

ASSIGNED {
    i (nA)
    i_noise (nA)
    next_step (1)
}

INITIAL {
    i_noise = 0
    next_step = 1
}

BEFORE BREAKPOINT {
    LOCAL step, decay
    : BEFORE BREAKPOINT runs at t + dt/2 of each step, and once more in finitialize.
    step = floor(t / dt + 1e-6)
    if (step >= next_step) {
        : 64 numbers per step leave room for the normal deviate's rejection sampling.
        random_setseq(rng, 64 * step)
        decay = exp(-dt / tau)
        i_noise = mean + (i_noise - mean) * decay + sigma * sqrt(1 - decay * decay) * random_normal(rng)
        next_step = step + 1
    }
}

BREAKPOINT {
    i = i_noise
}

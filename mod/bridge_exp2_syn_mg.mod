: BrExp2Syn (see bridge_exp2_syn.mod) with the NMDA magnesium block: the current is
: divided by 1 + mg*exp(-alpha*(v + gamma))/beta (mg in mM as a number; 0 disables it).
: A mechanism of its own so that AMPA and GABA synapses do not pay for the block.

NEURON {
    THREADSAFE
    POINT_PROCESS BrExp2SynMg
    RANGE g, tau_rise, tau_decay, e, w, mg, alpha, beta, gamma, midpoint, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    g = 0 (uS)
    tau_rise = 1 (ms)
    tau_decay = 5 (ms)
    e = 0 (mV)
    w = 1 (1)
    mg = 0 (1)
    alpha = 0.062 (/mV)
    beta = 3.57 (1)
    gamma = 0 (mV)
    midpoint = 1 (1)
}

ASSIGNED {
    v (mV)
    i (nA)
    gain_rise (uS)  : g * w * factor * (a at mid-step relative to the step's start)
    gain_decay (uS) : the same for b
}

STATE {
    a (1)
    b (1)
}

INITIAL {
    LOCAL factor
    a = 0
    b = 0
    factor = tau_rise * tau_decay / (tau_decay - tau_rise) / (1 (ms))
    : computed once per run, so that BREAKPOINT reads two values instead of six
    gain_rise = g * w * factor * exp(-midpoint * dt / (2 * tau_rise))
    gain_decay = g * w * factor * exp(-midpoint * dt / (2 * tau_decay))
}

BREAKPOINT {
    SOLVE kinetics METHOD cnexp
    i = (gain_decay * b - gain_rise * a) * (v - e)
    if (mg > 0) {
        i = i / (1 + mg * exp(-alpha * (v + gamma)) / beta)
    }
}

DERIVATIVE kinetics {
    a' = -a / tau_rise
    b' = -b / tau_decay
}

NET_RECEIVE(weight (1)) {
    a = a + weight
    b = b + weight
}

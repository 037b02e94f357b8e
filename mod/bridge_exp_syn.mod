: Conductance synapse with one decaying gating variable (bridge's decay-only kinetics,
: AMPA and GABA). Each event adds its NetCon weight to s; the current is g*w*s*(v - e).
: s decays exactly (cnexp). In a fixed-step run (midpoint = 1) the current uses s at the
: middle of the step, where NEURON evaluates currents (Crank-Nicolson) and where the
: step's average lies (fixed at finitialize from dt); CVode sets midpoint = 0. g, w and
: tau_decay take effect at finitialize. BrExpSynMg adds the NMDA magnesium block.

NEURON {
    THREADSAFE
    POINT_PROCESS BrExpSyn
    RANGE g, tau_decay, e, w, midpoint, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    g = 0 (uS)          : peak conductance
    tau_decay = 1 (ms)
    e = 0 (mV)          : reversal potential
    w = 1 (1)           : synaptic weight (scales the current)
    midpoint = 1 (1)
}

ASSIGNED {
    v (mV)
    i (nA)
    gain (uS)   : g * w * (s at mid-step relative to s at the step's start)
}

STATE {
    s (1)
}

INITIAL {
    s = 0
    : computed once per run, so that BREAKPOINT reads one value instead of four
    gain = g * w * exp(-midpoint * dt / (2 * tau_decay))
}

BREAKPOINT {
    SOLVE kinetics METHOD cnexp
    i = gain * s * (v - e)
}

DERIVATIVE kinetics {
    s' = -s / tau_decay
}

NET_RECEIVE(weight (1)) {
    s = s + weight
}

: BrExpSyn (see bridge_exp_syn.mod) with the NMDA magnesium block: the current is
: divided by 1 + mg*exp(-alpha*(v + gamma))/beta (mg in mM as a number; 0 disables it).
: A mechanism of its own so that AMPA and GABA synapses do not pay for the block.

NEURON {
    THREADSAFE
    POINT_PROCESS BrExpSynMg
    RANGE g, tau_decay, e, w, mg, alpha, beta, gamma, midpoint, i
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
    mg = 0 (1)          : Mg concentration (mM, as a number); 0 disables the block
    alpha = 0.062 (/mV)
    beta = 3.57 (1)
    gamma = 0 (mV)
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
    if (mg > 0) {
        i = i / (1 + mg * exp(-alpha * (v + gamma)) / beta)
    }
}

DERIVATIVE kinetics {
    s' = -s / tau_decay
}

NET_RECEIVE(weight (1)) {
    s = s + weight
}

: Conductance synapse with one decaying gating variable (bridge's decay-only kinetics).
: Each event adds its NetCon weight to s; the current is g*w*s*(v - e), divided by the
: NMDA magnesium block 1 + mg*exp(-alpha*(v + gamma))/beta (mg = 0 for AMPA and GABA,
: which makes the block exactly 1).

NEURON {
    THREADSAFE
    POINT_PROCESS BridgeExpSyn
    RANGE g, tau_decay, e, w, mg, alpha, beta, gamma, i
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
}

ASSIGNED {
    v (mV)
    i (nA)
}

STATE {
    s (1)
}

INITIAL {
    s = 0
}

BREAKPOINT {
    SOLVE kinetics METHOD euler
    i = g * w * s * (v - e) / (1 + mg * exp(-alpha * (v + gamma)) / beta)
}

DERIVATIVE kinetics {
    s' = -s / tau_decay
}

NET_RECEIVE(weight (1)) {
    s = s + weight
}

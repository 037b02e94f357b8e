: Conductance synapse with rise and decay kinetics (bridge's two-state kinetics).
: Each event adds its NetCon weight to s, which decays with tau_rise and drives x:
: x' = -x/tau_decay + s/(1 ms). The current is g*w*x*(v - e), divided by the NMDA
: magnesium block 1 + mg*exp(-alpha*(v + gamma))/beta (mg = 0 disables it).
: g is the coefficient of x; peak normalisation (scale_g) is applied by the emitter.

NEURON {
    THREADSAFE
    POINT_PROCESS BridgeExp2Syn
    RANGE g, tau_rise, tau_decay, e, w, mg, alpha, beta, gamma, i
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
}

ASSIGNED {
    v (mV)
    i (nA)
}

STATE {
    x (1)
    s (1)
}

INITIAL {
    x = 0
    s = 0
}

BREAKPOINT {
    SOLVE kinetics METHOD euler
    i = g * w * x * (v - e) / (1 + mg * exp(-alpha * (v + gamma)) / beta)
}

DERIVATIVE kinetics {
    x' = -x / tau_decay + s / (1 (ms))
    s' = -s / tau_rise
}

NET_RECEIVE(weight (1)) {
    s = s + weight
}

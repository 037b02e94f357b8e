: Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005), written by hand
: as a point process for benchmarks/adex_population_neuron.py: NEURON integrates the
: membrane (the section's capacitance is the cell's C), this mechanism adds the leak,
: the exponential spike current, the adaptation current w and a constant input I.
: A spike (v crossing Vth, watched) sends an event, sets v to Vr and adds b to w.

NEURON {
    POINT_PROCESS AdExByHand
    NONSPECIFIC_CURRENT i
    RANGE gL, EL, VT, DeltaT, a, tau_w, b, Vr, Vth, I
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    gL = 0.01 (uS)
    EL = -70 (mV)
    VT = -50 (mV)
    DeltaT = 2 (mV)
    a = 0.002 (uS)
    tau_w = 30 (ms)
    b = 0.06 (nA)
    Vr = -58 (mV)
    Vth = -40 (mV)
    I = 0 (nA)
}

ASSIGNED {
    v (mV)
    i (nA)
}

STATE {
    w (nA)
}

INITIAL {
    w = 0
    net_send(0, 1)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gL*(v - EL) - gL*DeltaT*exp((v - VT)/DeltaT) + w - I
}

DERIVATIVE states {
    w' = (a*(v - EL) - w)/tau_w
}

NET_RECEIVE (weight) {
    if (flag == 1) {
        WATCH (v > Vth) 2
    } else if (flag == 2) {
        net_event(t)
        v = Vr
        w = w + b
    }
}

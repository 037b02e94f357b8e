: Conductance synapse with rise and decay kinetics (bridge's two-state kinetics, AMPA
: and GABA). bridge's equations are s' = -s/tau_rise and x' = -x/tau_decay + s/(1 ms), an
: event adding its NetCon weight to s. Here x is written as factor*(b - a) with
: a' = -a/tau_rise and b' = -b/tau_decay (factor = tau_rise*tau_decay/(tau_decay -
: tau_rise)/(1 ms)), the exact solution, so both decay exactly (cnexp). The current is
: g*w*x*(v - e). In a fixed-step run (midpoint = 1) the current uses x at the middle of
: the step, where NEURON evaluates currents (fixed at finitialize from dt); CVode sets
: midpoint = 0. g is the coefficient of x; peak normalisation (scale_g) is applied by the
: emitter. tau_rise must differ from tau_decay. g, w and the time constants take effect
: at finitialize. BrExp2SynMg adds the NMDA magnesium block.

NEURON {
    THREADSAFE
    POINT_PROCESS BrExp2Syn
    RANGE g, tau_rise, tau_decay, e, w, midpoint, i
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
}

DERIVATIVE kinetics {
    a' = -a / tau_rise
    b' = -b / tau_decay
}

NET_RECEIVE(weight (1)) {
    a = a + weight
    b = b + weight
}

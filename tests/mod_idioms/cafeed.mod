TITLE a calcium current that reads eca (Nernst, once a pool writes cai)

NEURON {
    SUFFIX cafeed
    USEION ca READ eca WRITE ica
    RANGE gbar
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER { gbar = 0.001 (mho/cm2) }

ASSIGNED {
    v (mV)
    eca (mV)
    ica (mA/cm2)
    minf
}

STATE { m }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ica = gbar*m*m*(v - eca)
}

INITIAL {
    minf = 1/(1 + exp(-(v + 20)/6))
    m = minf
}

DERIVATIVE states {
    minf = 1/(1 + exp(-(v + 20)/6))
    m' = (minf - m)/1.5
}

TITLE a persistent sodium current whose window makes the membrane amplify at rest
: bridge's own test file: at -65 mV its slope conductance is -4.3 times gbar (the opening
: of m outweighs the open channels' own conductance), as at an axon initial segment

NEURON {
    SUFFIX napw
    USEION na READ ena WRITE ina
    RANGE gbar
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gbar = 0.0002 (S/cm2)
    tau = 1 (ms)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    minf
}

STATE { m }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gbar*m*(v - ena)
}

INITIAL {
    rates(v)
    m = minf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/tau
}

PROCEDURE rates(v (mV)) {
    minf = 1/(1 + exp(-(v + 60)/5))
}

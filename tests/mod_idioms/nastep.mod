TITLE a sodium channel that advances its gates itself, the way older ModelDB files do
: bridge's own test file; its PROCEDURE ends, as Mainen & Sejnowski's kv.mod does, in a
: VERBATIM that returns NEURON's success code

NEURON {
    SUFFIX nastep
    USEION na READ ena WRITE ina
    RANGE gbar
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gbar = 0.05 (mho/cm2)
    q10 = 2.3
    temp = 23 (degC)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    celsius (degC)
    minf
    hinf
    mtau (ms)
    htau (ms)
    tadj
}

STATE { m h }

LOCAL mexp, hexp

BREAKPOINT {
    SOLVE states
    ina = gbar*m*m*m*h*(v - ena)
}

INITIAL {
    trates(v)
    m = minf
    h = hinf
}

PROCEDURE states() {
    trates(v)
    m = m + mexp*(minf - m)
    h = h - hexp*(h - hinf)
    VERBATIM
    return 0;
    ENDVERBATIM
}

PROCEDURE trates(v (mV)) {
    LOCAL tinc
    UNITSOFF
    tadj = q10^((celsius - temp)/10)
    minf = 1/(1 + exp(-(v + 35)/7))
    mtau = 0.1 + 0.4/(1 + exp((v + 40)/10))
    hinf = 1/(1 + exp((v + 60)/6))
    htau = 0.5 + 5/(1 + exp((v + 50)/8))
    tinc = -dt*tadj
    mexp = 1 - exp(tinc/mtau)
    hexp = 1 - exp(tinc/htau)
    UNITSON
}

TITLE a two-state gate as a KINETIC scheme with CONSERVE, solved by sparse
NEURON {
    SUFFIX kgate
    USEION k READ ek WRITE ik
    RANGE gbar
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) }
PARAMETER { gbar = 0.02 (mho/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) a (/ms) b (/ms) }
STATE { C O }
BREAKPOINT {
    SOLVE kin METHOD sparse
    ik = gbar*O*(v - ek)
}
INITIAL {
    rates(v)
    O = a/(a + b)
    C = 1 - O
}
KINETIC kin {
    rates(v)
    ~ C <-> O (a, b)
    CONSERVE C + O = 1
}
PROCEDURE rates(v (mV)) {
    UNITSOFF
    a = 0.5/(1 + exp(-(v + 20)/8))
    b = 0.5/(1 + exp((v + 20)/8))
    UNITSON
}

TITLE a three-state potassium channel: a KINETIC chain without CONSERVE
: bridge's own test file. q changes between the reactions, each reading its value there.
: Without CONSERVE the states keep their sum from INITIAL (1 here).
NEURON {
    SUFFIX kchain
    USEION k READ ek WRITE ik
    RANGE gbar
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) }
PARAMETER { gbar = 0.02 (mho/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) a (/ms) b (/ms) }
STATE { C1 C2 O }
BREAKPOINT {
    SOLVE kin METHOD sparse
    ik = gbar*O*(v - ek)
}
INITIAL {
    C1 = 1
    C2 = 0
    O = 0
}
KINETIC kin {
    LOCAL q
    q = 3
    a = 0.4*exp((v + 30)/20)
    b = 0.3*exp(-(v + 30)/25)
    ~ C1 <-> C2 (q*a, b)
    q = 1.5
    ~ C2 <-> O (a, q*b)
}

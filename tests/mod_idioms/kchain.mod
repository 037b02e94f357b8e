TITLE a three-state potassium channel: a KINETIC chain without CONSERVE
: bridge's own test file. q changes between the reactions, each reading its value there.
: Without CONSERVE the states keep their sum from INITIAL, where a LINEAR block sets their
: equilibrium (1 in all).
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
INITIAL { SOLVE equilibrium }
LINEAR equilibrium {
    a = 0.4*exp((v + 30)/20)
    b = 0.3*exp(-(v + 30)/25)
    ~ 3*a*C1 = b*C2
    ~ a*C2 - 1.5*b*O = 0
    ~ C1 + C2 + O = 1
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

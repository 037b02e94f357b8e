TITLE a four-state sodium channel: a KINETIC ring with CONSERVE, started at its STEADYSTATE
: bridge's own test file. The ring C1 <-> C2 <-> O <-> I <-> C1 holds rates of 0.05 to 16/ms,
: which sparse advances by backward Euler with the CONSERVE in place of I's equation.
NEURON {
    SUFFIX nav4
    USEION na READ ena WRITE ina
    RANGE gbar
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) }
PARAMETER { gbar = 0.05 (mho/cm2) }
ASSIGNED { v (mV) ena (mV) ina (mA/cm2) a (/ms) b (/ms) ki (/ms) kr (/ms) }
STATE { C1 C2 O I }
BREAKPOINT {
    SOLVE kin METHOD sparse
    ina = gbar*O*(v - ena)
}
INITIAL { SOLVE kin STEADYSTATE sparse }
KINETIC kin {
    rates(v)
    ~ C1 <-> C2 (2*a, b)
    ~ C2 <-> O (a, 2*b)
    ~ O <-> I (ki, kr)
    ~ I <-> C1 (0.5*kr, 0.1*ki)
    CONSERVE C1 + C2 + O + I = 1
}
PROCEDURE rates(v (mV)) {
    UNITSOFF
    a = 8/(1 + exp(-(v + 35)/7))
    b = 4/(1 + exp((v + 45)/9))
    ki = 2/(1 + exp(-(v + 50)/5))
    kr = 0.05/(1 + exp((v + 70)/6))
    UNITSON
}

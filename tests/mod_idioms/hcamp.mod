TITLE an h-like channel whose opening needs cAMP, read as the ion a
: bridge's own test file. A KINETIC scheme fed by a species that is no STATE (r, a
: PARAMETER), whose rates read a concentration NEURON declares on first use (ai: 1 mM), with
: a STATE named is (a Python keyword), started at its STEADYSTATE without CONSERVE.
NEURON {
    SUFFIX hcamp
    NONSPECIFIC_CURRENT i
    USEION a READ ai VALENCE 0
    RANGE gbar, eh
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (mM) = (milli/liter) }
PARAMETER {
    gbar = 0.001 (mho/cm2)
    eh = -30 (mV)
    r = 1
    kup = 0.2 (/ms)
    kdown = 0.05 (/ms)
    kon = 0.5 (/mM-ms)
    koff = 0.1 (/ms)
}
ASSIGNED { v (mV) i (mA/cm2) ai (mM) al (/ms) be (/ms) }
STATE { c is o }
BREAKPOINT {
    SOLVE kin METHOD sparse
    i = gbar*o*(v - eh)
}
INITIAL { SOLVE kin STEADYSTATE sparse }
KINETIC kin {
    al = 0.02*exp(-(v + 80)/10)
    be = 0.02*exp((v + 80)/10)
    ~ r <-> c (kup, kdown)
    ~ c <-> is (kon*ai, koff)
    ~ is <-> o (al, be)
}

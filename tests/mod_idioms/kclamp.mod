TITLE a potassium channel written the way many ModelDB files are

NEURON {
    SUFFIX kclamp
    USEION k READ ek WRITE ik
    RANGE gbar
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gbar (mho/cm2)      : no value: NEURON's 0
    th = -80 (mV)       : efun's singularity, at the clamp's holding voltage
    q = 9 (mV)
    ra = 0.02 (/ms)
    rb = 0.002 (/ms)
    taumin = 2 (ms)
    q10 = 3
    tref = 24 (degC)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    celsius (degC)
    ninf
    ntau (ms)
}

STATE { n }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*n*n*(v - ek)
}

INITIAL {
    rates(v)
    n = ninf
}

DERIVATIVE states {
    rates(v)
    n' = (ninf - n)/ntau
}

PROCEDURE rates(v (mV)) {
    LOCAL a, b, qt
    UNITSOFF
    qt = q10^((celsius - tref)/10)
    a = ra*q*efun((th - v)/q)
    b = trap0(v, th + 10, rb, q)
    ntau = 1/(a + b)/qt
    if (ntau < taumin) { ntau = taumin }
    ninf = a/(a + b)
    UNITSON
}

FUNCTION efun(z) {
    if (fabs(z) < 1e-6) {
        efun = 1 - z/2
    } else {
        efun = z/(exp(z) - 1)
    }
}

FUNCTION trap0(v, th, a, q) {
    if (fabs(v - th) > 1e-6) {
        trap0 = a*(v - th)/(1 - exp(-(v - th)/q))
    } else {
        trap0 = a*q
    }
}

TITLE a calcium pool whose cai follows a state, declared the way Mainen's cad.mod does

NEURON {
    SUFFIX pool
    USEION ca READ ica, cai WRITE cai
    RANGE ca
    GLOBAL depth, cainf, taur
}

UNITS {
    (mM) = (milli/liter)
    (mA) = (milliamp)
    (um) = (micron)
    FARADAY = (faraday) (coulomb)
}

PARAMETER {
    depth = 0.1 (um)
    taur = 200 (ms)
    cainf = 1e-4 (mM)
    cai (mM)            : the ion's: this line only gives its unit
}

ASSIGNED {
    ica (mA/cm2)
    drive (mM/ms)
}

STATE { ca (mM) }

INITIAL {
    ca = cainf
    cai = ca
}

BREAKPOINT {
    SOLVE state METHOD derivimplicit
}

DERIVATIVE state {
    drive = -(10000)*ica/(2*FARADAY*depth)
    if (drive <= 0) { drive = 0 }
    ca' = drive + (cainf - ca)/taur
    cai = ca
}

: Somatic integrate-and-fire dynamics of a bridge compartment: adaptation currents
: (adaptiveIF, adex, cadIF) and vthresh, reset, second reset and refractory period.
: A reset cannot assign v (CoreNEURON would not honour it). In a fixed-step run
: (variable_step = 0) it injects, during the step after the crossing, the charge
: cap*(v_reset - v) that moves the membrane to the reset voltage: the next sample then
: equals Brian 2's state one step after its reset, to second order in dt. With CVode it
: switches on a large clamp conductance g_clamp toward the reset voltage for
: clamp_duration. The spike is sent to NetCons with net_event.
:
: adaptation: 0 none, 1 adaptiveIF (w), 2 adex (w and the exponential term), 3 cadIF (ga).

NEURON {
    THREADSAFE
    POINT_PROCESS BridgeIF
    RANGE adaptation, a, tauw, el, gl, deltat, vt, gamax, ea, taua
    RANGE spiking, vthresh, refractory, reset_v, v_reset, w_jump, ga_jump
    RANGE spike_width, reset2_v, v_reset2, w_jump2, ga_jump2
    RANGE cap, g_comp, variable_step, g_clamp, clamp_duration, resetting, v_clamp, i_pulse, ready, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    adaptation = 0 (1)
    a = 0 (uS)              : subthreshold adaptation
    tauw = 100 (ms)
    el = -70 (mV)           : leak reversal the adaptation refers to
    gl = 0 (uS)             : leak conductance (adex exponential term)
    deltat = 2 (mV)         : adex slope factor
    vt = -50 (mV)           : adex exponential vthresh
    gamax = 0 (uS)          : cadIF: ga relaxes to gamax*|v - ea|/mV
    ea = -70 (mV)
    taua = 100 (ms)
    spiking = 0 (1)         : 1 when this compartment's vthresh makes the cell spike
    vthresh = -50 (mV)
    refractory = 0 (ms)
    reset_v = 0 (1)         : 1 when the reset sets the voltage to v_reset
    v_reset = -65 (mV)
    w_jump = 0 (nA)         : added to w at each spike
    ga_jump = 0 (uS)        : added to ga at each spike
    spike_width = 0 (ms)    : > 0: a second reset follows each spike after this time
    reset2_v = 0 (1)
    v_reset2 = -65 (mV)
    w_jump2 = 0 (nA)
    ga_jump2 = 0 (uS)
    cap = 0.1 (nF)          : capacitance of the compartment
    g_comp = 0 (uS)         : leak conductance of the compartment
    variable_step = 0 (1)
    g_clamp = 1e6 (uS)
    clamp_duration = 0.025 (ms)  : one time step in a fixed-step run
}

ASSIGNED {
    v (mV)
    i (nA)
    resetting (1)
    v_clamp (mV)
    i_pulse (nA)
    clamp_start (ms)
    ready (1)
}

STATE {
    w (nA)
    ga (uS)
}

INITIAL {
    w = 0
    ga = 0
    resetting = 0
    v_clamp = v_reset
    i_pulse = 0
    clamp_start = -1e9
    ready = 1
    if (spiking == 1) {
        net_send(0, 1)
    }
}

BREAKPOINT {
    SOLVE adapt METHOD euler
    i = 0
    if (resetting == 1) {
        if (variable_step == 1) {
            i = g_clamp * (v - v_clamp)
        } else {
            : g_comp cancels the leak's dependence on v within this step, so the leak acts
            : as if evaluated at the reset voltage (as in Brian 2) wherever in the step the
            : integrator evaluates it (the middle, for Crank-Nicolson).
            i = -i_pulse - g_comp * (v - v_clamp)
        }
    }
    if (adaptation == 1) {
        i = i + w
    } else if (adaptation == 2) {
        : During a fixed-step reset the membrane ends the step at v_clamp: evaluate the
        : exponential term there, as Brian 2 does after its reset (linearising it at the
        : pre-reset voltage would overshoot).
        if (resetting == 1 && variable_step == 0) {
            i = i + w - gl * deltat * exp((v_clamp - vt) / deltat)
        } else {
            i = i + w - gl * deltat * exp((v - vt) / deltat)
        }
    } else if (adaptation == 3) {
        i = i + ga * (v - ea)
    }
}

DERIVATIVE adapt {
    w' = (a * (v - el) - w) / tauw
    ga' = (gamax * fabs(v - ea) / (1 (mV)) - ga) / taua
}

: flags: 1 arm the vthresh, 2 vthresh crossed, 3 clamp ends, 4 second reset,
: 5 refractory period ends (the vthresh is a level: still above it fires again).
NET_RECEIVE(weight (1)) {
    if (flag == 1) {
        WATCH (v > vthresh) 2
    }
    if (flag == 5) {
        ready = 1
    }
    if ((flag == 2 || flag == 5) && ready == 1 && v > vthresh) {
        : CoreNEURON's clock accumulates rounding (t += dt) and can run ahead of the
        : event time by ~1e-9 ms after 1 s; a spike time must not be in its past, so
        : spikes are stamped 1e-4 ms (0.4% of a 0.025 ms step) late, in NEURON too.
        net_event(t + 1e-4)
        if (reset_v == 1) {
            v_clamp = v_reset
            i_pulse = cap * (v_clamp - v) / clamp_duration
            resetting = 1
            clamp_start = t
            net_send(clamp_duration, 3)
        }
        w = w + w_jump
        ga = ga + ga_jump
        if (spike_width > 0) {
            net_send(spike_width, 4)
        }
        if (refractory > 0) {
            ready = 0
            net_send(refractory, 5)
        }
    }
    if (flag == 3 && t - clamp_start >= clamp_duration - 1e-9) {
        resetting = 0
    }
    if (flag == 4) {
        if (reset2_v == 1) {
            v_clamp = v_reset2
            i_pulse = cap * (v_clamp - v) / clamp_duration
            resetting = 1
            clamp_start = t
            net_send(clamp_duration, 3)
        }
        w = w + w_jump2
        ga = ga + ga_jump2
    }
}

: Somatic integrate-and-fire dynamics of a bridge compartment: adaptation currents
: (adaptiveIF, adex, cadIF) and threshold, reset, second reset and refractory period.
: The spike is sent to NetCons with net_event.
:
: A reset cannot assign v (CoreNEURON would not honour it); it injects the charge that
: moves the membrane by delta = v_reset - v, where v is read when the reset happens.
: reset_mode selects how, for the integrator in use (dt = clamp_duration):
:   0  backward Euler: cap*delta/dt during one step; the next sample is Brian 2's state
:      one step after its reset.
:   1  Crank-Nicolson: 1.5*cap*delta/dt, then -0.5*cap*delta/dt in the following step.
:      A Crank-Nicolson step evaluates every current at mid-step, so a one-step pulse
:      would show the coupled compartments the soma half-way through its jump (half the
:      reset's axial charge missing). Split this way, the two mid-step voltages are off
:      by -delta/4 and +delta/4, their axial charges cancel, and the sample two steps
:      after the reset is exact. The sample in between is Crank-Nicolson's extrapolation,
:      delta/2 beyond the membrane's state; v_offset holds -delta/2 while that sample is
:      recorded (0 otherwise), and v + v_offset is the voltage to report.
:   2  CVode: a large clamp conductance g_clamp toward v_reset for clamp_duration.
:
: adaptation: 0 none, 1 adaptiveIF (w), 2 adex (w and the exponential term), 3 cadIF (ga).

NEURON {
    THREADSAFE
    POINT_PROCESS BrIF
    RANGE adaptation, a, tauw, el, gl, deltat, vt, gamax, ea, taua
    RANGE spiking, vthresh, refractory, reset_v, v_reset, w_jump, ga_jump
    RANGE spike_width, reset2_v, v_reset2, w_jump2, ga_jump2
    RANGE cap, reset_mode, g_clamp, clamp_duration, resetting, v_clamp, i_pulse, v_offset, ready, i
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
    vt = -50 (mV)           : adex exponential threshold
    gamax = 0 (uS)          : cadIF: ga relaxes to gamax*|v - ea|/mV
    ea = -70 (mV)
    taua = 100 (ms)
    spiking = 0 (1)         : 1 when this compartment's threshold makes the cell spike
    vthresh = -50 (mV)      : spike threshold
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
    reset_mode = 1 (1)
    g_clamp = 1e6 (uS)
    clamp_duration = 0.025 (ms)  : one time step in a fixed-step run
}

ASSIGNED {
    v (mV)
    i (nA)
    resetting (1)
    v_clamp (mV)
    i_pulse (nA)
    i_pulse_next (nA)       : the second step's pulse (reset_mode 1)
    v_offset (mV)           : correction of the sample inside a split reset (reset_mode 1)
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
    i_pulse_next = 0
    v_offset = 0
    clamp_start = -1e9
    ready = 1
    if (spiking == 1) {
        net_send(0, 1)
    }
}

BREAKPOINT {
    SOLVE adapt METHOD cnexp
    i = 0
    if (resetting == 1) {
        if (reset_mode == 2) {
            i = g_clamp * (v - v_clamp)
        } else {
            i = -i_pulse
        }
    }
    if (adaptation == 1) {
        i = i + w
    } else if (adaptation == 2) {
        : During a fixed-step reset, evaluate the exponential term at the reset voltage,
        : as Brian 2 does after its reset (linearising it at the pre-reset voltage would
        : overshoot).
        if (resetting == 1 && reset_mode < 2) {
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

: flags: 1 arm the threshold, 2 threshold crossed, 3 a reset step ends, 4 second reset,
: 5 refractory period ends (the threshold is a level: still above it fires again).
NET_RECEIVE(weight (1)) {
    LOCAL target, apply
    apply = 0
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
            apply = 1
            target = v_reset
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
    if (flag == 4) {
        if (reset2_v == 1) {
            apply = 1
            target = v_reset2
        }
        w = w + w_jump2
        ga = ga + ga_jump2
    }
    if (apply == 1) {
        v_clamp = target
        if (reset_mode == 1) {
            i_pulse = 1.5 * cap * (target - v) / clamp_duration
            i_pulse_next = -0.5 * cap * (target - v) / clamp_duration
            v_offset = -0.5 * (target - v)
        } else {
            i_pulse = cap * (target - v) / clamp_duration
            i_pulse_next = 0
        }
        resetting = 1
        clamp_start = t
        net_send(clamp_duration, 3)
    }
    if (flag == 3 && t - clamp_start >= clamp_duration - 1e-9) {
        v_offset = 0
        if (i_pulse_next != 0) {
            i_pulse = i_pulse_next
            i_pulse_next = 0
            clamp_start = t
            net_send(clamp_duration, 3)
        } else {
            resetting = 0
        }
    }
}

: Event-driven dendritic spike (bridge's dspike). When v crosses the threshold vthresh
: outside the refractory period, a rise conductance toward e_rise opens for
: duration_rise; a fall conductance toward e_fall opens offset_fall after the spike for
: duration_fall.
: fall_lead opens the fall window that much early: bridge sets it to the time step dt,
: because the model's windows are defined on a time grid (Brian 2's window test includes
: the step in which it became true), with CVode too (dt is then the sampling step).
: Windows are switched by self-events, so the mechanism runs unchanged in NEURON,
: CoreNEURON and with CVode.

NEURON {
    THREADSAFE
    POINT_PROCESS BrDSpike
    RANGE g_rise, g_fall, e_rise, e_fall, vthresh
    RANGE duration_rise, duration_fall, offset_fall, refractory, fall_lead
    RANGE i, rise_on, fall_on, ready, spiketime
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    g_rise = 0 (uS)
    g_fall = 0 (uS)
    e_rise = 70 (mV)
    e_fall = -89 (mV)
    vthresh = -35 (mV)
    duration_rise = 1 (ms)
    duration_fall = 1 (ms)
    offset_fall = 0 (ms)
    refractory = 0 (ms)
    fall_lead = 0 (ms)
}

ASSIGNED {
    v (mV)
    i (nA)
    rise_on (1)
    fall_on (1)
    ready (1)
    spiketime (ms)
}

INITIAL {
    rise_on = 0
    fall_on = 0
    ready = 1
    spiketime = -1e9
    net_send(0, 1)
}

BREAKPOINT {
    i = g_rise * rise_on * (v - e_rise) + g_fall * fall_on * (v - e_fall)
}

: flags: 1 arm the threshold, 2 threshold crossed, 3 rise ends, 4 fall starts,
: 5 fall ends, 6 refractory period ends. Window events check the spike time they
: belong to, so an event left over from an earlier spike changes nothing.
NET_RECEIVE(weight (1)) {
    LOCAL fall_start
    fall_start = 0
    if (offset_fall > fall_lead) {
        fall_start = offset_fall - fall_lead
    }
    if (flag == 1) {
        WATCH (v > vthresh) 2
    }
    if (flag == 6) {
        ready = 1
    }
    if ((flag == 2 || flag == 6) && ready == 1 && v >= vthresh) {
        spiketime = t
        rise_on = 1
        net_send(duration_rise, 3)
        if (fall_start > 0) {
            net_send(fall_start, 4)
        } else {
            fall_on = 1
        }
        net_send(offset_fall + duration_fall, 5)
        if (refractory > 0) {
            ready = 0
            net_send(refractory, 6)
        }
    }
    if (flag == 3 && t - spiketime >= duration_rise - 1e-9) {
        rise_on = 0
    }
    if (flag == 4 && fabs(t - spiketime - fall_start) < 1e-9) {
        fall_on = 1
    }
    if (flag == 5 && t - spiketime >= offset_fall + duration_fall - 1e-9) {
        fall_on = 0
    }
}

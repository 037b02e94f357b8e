"""bridge's membrane models (Dendrify's ``passive``, ``leakyIF``, ``adaptiveIF``, ``adex``,
``cadIF``) and the somatic spike with its reset: their one home, for both simulators.

Brian 2 (:data:`BRIAN2_MEMBRANE`): Dendrify's membrane equations; the threshold, reset and
refractory period are the ``NeuronGroup``'s own.

NEURON: the section's capacitance and ``pas`` leak are the membrane; the point process
``BrIF`` (:func:`mechanism`, printed into ``mod/bridge_if.mod``) adds the adaptation
current (``adaptation``: :data:`ADAPTATION`) and, on the compartment whose voltage the
threshold reads, the spike: ``WATCH (v > vthresh)``, ``net_event`` to the NetCons, the
reset, a second reset ``spike_width`` later, and the refractory period (the threshold is
a level: a membrane still above it when the period ends fires again). Self-event flags:
1 arm the threshold, 2 threshold crossed, 3 a reset step ends, 4 second reset, 5
refractory period ends.

Numerics only NEURON needs, kept here with the mechanism. A reset cannot assign ``v``
(CoreNEURON would not honour it); it injects the charge that moves the membrane by
``delta = v_reset - v``, ``v`` read when the reset happens. ``reset_mode`` selects how,
for the integrator in use (``clamp_duration`` = dt):

- 0, backward Euler: ``cap*delta/dt`` during one step; the next sample is Brian 2's
  state one step after its reset.
- 1, Crank-Nicolson (the default): ``1.5*cap*delta/dt``, then ``-0.5*cap*delta/dt`` in
  the following step. A Crank-Nicolson step evaluates every current at mid-step, so a
  one-step pulse would show the coupled compartments the soma half-way through its jump
  (half the reset's axial charge missing). Split this way, the two mid-step voltages are
  off by -delta/4 and +delta/4, their axial charges cancel, and the sample two steps
  after the reset is exact. The sample in between is Crank-Nicolson's extrapolation,
  delta/2 beyond the membrane's state; ``v_offset`` holds -delta/2 while that sample is
  recorded (0 otherwise), and ``v + v_offset`` is the voltage to report.
- 2, CVode: a large clamp conductance ``g_clamp`` toward the reset voltage for
  ``clamp_duration``.

During a fixed-step reset the adex exponential term is evaluated at the reset voltage,
as Brian 2 does after its reset (linearising it at the pre-reset voltage would
overshoot). CoreNEURON's clock accumulates rounding (``t += dt``) and can run ahead of an
event time by ~1e-9 ms after 1 s; a spike time must not be in its past, so spikes are
stamped 1e-4 ms (0.4% of a 0.025 ms step) late, in NEURON too.
"""

from __future__ import annotations

from ..units import FARAD
from .mechanism import ONE, Assign, Call, Current, Derivative, If, Mechanism, Unit, Variable
from .synapses import MS, MV, NA, US

NAME = "BrIF"
NF = Unit("nF", 1e-9, FARAD)
#: ``adaptation`` code of each membrane model: 0 none, 1 adaptiveIF (w), 2 adex (w and
#: the exponential term), 3 cadIF (ga).
ADAPTATION = {"passive": 0, "leakyIF": 0, "adaptiveIF": 1, "adex": 2, "cadIF": 3}

# Membrane equations by model; {s} is the compartment suffix ("_soma", or "" for point models).
BRIAN2_MEMBRANE = {
    "passive": ["dV{s}/dt = (gL{s} * (EL{s}-V{s}) + I{s}) / C{s}  :volt"],
    "adaptiveIF": ["dV{s}/dt = (gL{s} * (EL{s}-V{s}) + I{s} - w{s}) / C{s}  :volt",
                   "dw{s}/dt = (a{s} * (V{s}-EL{s}) - w{s}) / tauw{s}  :amp"],
    "adex": ["dV{s}/dt = (gL{s} * (EL{s}-V{s}) + gL{s}*DeltaT{s}*exp((V{s}-Vth{s})/DeltaT{s}) + I{s} - w{s}) / C{s}"
             "  :volt",
             "dw{s}/dt = (a{s} * (V{s}-EL{s}) -w{s}) / tauw{s}  :amp"],
    # The conductance-based adaptation variables are shared names (no suffix), as in Dendrify.
    # (with Dendrify's spacing, trailing spaces included: replace_equations matches text)
    "cadIF": ["dV{s}/dt =  (gL{s}*(EL{s}-V{s}) + I{s} - w{s}) / C{s} :volt ",
              "w{s} = gA * (V{s}-EA) :amp ",
              "dgA/dt = (gAmax * (abs(V{s}-EA)) / mV - gA) / tauA :siemens "],
}
BRIAN2_MEMBRANE["leakyIF"] = BRIAN2_MEMBRANE["passive"]


def _parameters() -> list[Variable]:
    return [
        Variable("adaptation", ONE, value=0.0),
        Variable("a", US, value=0.0), Variable("tauw", MS, value=100.0),     # adaptiveIF, adex
        Variable("el", MV, value=-70.0), Variable("gl", US, value=0.0),      # leak the adaptation refers to
        Variable("deltat", MV, value=2.0), Variable("vt", MV, value=-50.0),  # adex's exponential term
        Variable("gamax", US, value=0.0), Variable("ea", MV, value=-70.0),   # cadIF: ga -> gamax*|v - ea|/mV
        Variable("taua", MS, value=100.0),
        Variable("spiking", ONE, value=0.0),       # 1 when this compartment's threshold makes the cell spike
        Variable("vthresh", MV, value=-50.0), Variable("refractory", MS, value=0.0),
        Variable("reset_v", ONE, value=0.0),       # 1 when the reset sets the voltage to v_reset
        Variable("v_reset", MV, value=-65.0), Variable("w_jump", NA, value=0.0), Variable("ga_jump", US, value=0.0),
        Variable("spike_width", MS, value=0.0),    # > 0: a second reset follows each spike after this time
        Variable("reset2_v", ONE, value=0.0), Variable("v_reset2", MV, value=-65.0),
        Variable("w_jump2", NA, value=0.0), Variable("ga_jump2", US, value=0.0),
        Variable("cap", NF, value=0.1),            # the compartment's capacitance
        Variable("reset_mode", ONE, value=1.0), Variable("g_clamp", US, value=1e6),
        Variable("clamp_duration", MS, value=0.025),  # one time step in a fixed-step run
    ]


#: What a reset by charge keeps between events (see the module docstring).
CHARGE_RESET_VARIABLES = (
    Variable("resetting", ONE, "assigned"), Variable("v_clamp", MV, "assigned"), Variable("i_pulse", NA, "assigned"),
    Variable("i_pulse_next", NA, "assigned", scope="private"),  # the second step's pulse (reset_mode 1)
    Variable("v_offset", MV, "assigned"),      # correction of the sample inside a split reset (reset_mode 1)
    Variable("clamp_start", MS, "assigned", scope="private"))


def charge_reset() -> tuple:
    """NET_RECEIVE statements of a reset by charge: when ``apply == 1``, move the membrane
    to ``target`` (a LOCAL the spike statements set) by the pulses of ``reset_mode``;
    on flag 3, go on to the second pulse or end the reset. Also used by the mechanisms
    read from Brian 2 (:mod:`bridge.brian2.reader`), whose resets are the same."""
    pulse = If("reset_mode == 1", (
        Assign("i_pulse", "1.5 * cap * (target - v) / clamp_duration"),
        Assign("i_pulse_next", "-0.5 * cap * (target - v) / clamp_duration"),
        Assign("v_offset", "-0.5 * (target - v)"),
    ), (
        Assign("i_pulse", "cap * (target - v) / clamp_duration"), Assign("i_pulse_next", "0"),
    ))
    return (
        If("apply == 1", (Assign("v_clamp", "target"), pulse, Assign("resetting", "1"), Assign("clamp_start", "t"),
                          Call("net_send", ("clamp_duration", "3")))),
        If("flag == 3 and t - clamp_start >= clamp_duration - 1e-9", (
            Assign("v_offset", "0"),
            If("i_pulse_next != 0", (Assign("i_pulse", "i_pulse_next"), Assign("i_pulse_next", "0"),
                                     Assign("clamp_start", "t"), Call("net_send", ("clamp_duration", "3"))),
               (Assign("resetting", "0"),)))),
    )


def _reset(tag: str) -> tuple:
    """A reset's statements: the voltage target if it has one, then the jumps."""
    return (If(f"reset{tag}_v == 1", (Assign("apply", "1"), Assign("target", f"v_reset{tag}"))),
            Assign("w", f"w + w_jump{tag}"), Assign("ga", f"ga + ga_jump{tag}"))


def mechanism() -> Mechanism:
    """BrIF (see the module docstring)."""
    variables = _parameters() + [Variable("i", NA, "assigned"), *CHARGE_RESET_VARIABLES,
                                 Variable("ready", ONE, "assigned"), Variable("w", NA, "state"),
                                 Variable("ga", US, "state")]
    step = (
        Assign("i_reset", "ifelse(resetting == 1, ifelse(reset_mode == 2, g_clamp * (v - v_clamp), -i_pulse), 0)"),
        Assign("v_exp", "ifelse(resetting == 1 and reset_mode < 2, v_clamp, v)"),
        Assign("i_adapt", "ifelse(adaptation == 1, w, ifelse(adaptation == 2, w - gl * deltat * exp((v_exp - vt) "
                          "/ deltat), ifelse(adaptation == 3, ga * (v - ea), 0)))"),
        Assign("i", "i_reset + i_adapt"),
    )
    spike = (
        Call("net_event", ("t + 1e-4",)),
        *_reset(""),
        If("spike_width > 0", (Call("net_send", ("spike_width", "4")),)),
        If("refractory > 0", (Assign("ready", "0"), Call("net_send", ("refractory", "5")))),
    )
    net_receive = (
        Assign("apply", "0"),
        If("flag == 1", (Call("watch", ("v > vthresh", "2")),)),
        If("flag == 5", (Assign("ready", "1"),)),
        If("(flag == 2 or flag == 5) and ready == 1 and v > vthresh", spike),
        If("flag == 4", _reset("2")),
        *charge_reset(),
    )
    initial = (Assign("w", "0"), Assign("ga", "0"), Assign("resetting", "0"), Assign("v_clamp", "v_reset"),
               Assign("i_pulse", "0"), Assign("i_pulse_next", "0"), Assign("v_offset", "0"),
               Assign("clamp_start", "-1e9"), Assign("ready", "1"),
               If("spiking == 1", (Call("net_send", ("0", "1")),)))
    return Mechanism(
        NAME, kind="point", variables=tuple(variables), currents=(Current("i"),), initial=initial, step=step,
        derivatives=(Derivative("w", "(a * (v - el) - w) / tauw"),
                     Derivative("ga", "(gamax * abs(v - ea) - ga) / taua")),
        net_receive=net_receive, net_receive_args=("weight",))

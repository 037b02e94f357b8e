"""bridge's dendritic spike (Dendrify's ``dspike``): its one home, for both simulators.

What it computes. When the compartment's voltage reaches ``threshold`` outside the
refractory period, a *rise* conductance toward ``reversal_rise`` opens for
``duration_rise``; a *fall* conductance toward ``reversal_fall`` opens ``offset_fall``
after the spike, for ``duration_fall``. The windows are defined on the time grid, as
Dendrify defines them: a window test includes the step in which it became true.

Brian 2 (:func:`brian2_lines`, :func:`brian2_event`): Dendrify's custom event
``spike_<name>_<comp>`` stores the spike's time step; the conductances are integer
window tests on ``t_in_timesteps``, and every duration is a number of steps.

NEURON (:func:`mechanism`, printed into ``mod/bridge_dspike.mod`` as the point process
``BrDSpike``): the windows are switched by self-events, so the file runs unchanged in
NEURON, CoreNEURON and with CVode. INITIAL arms a ``WATCH (v > vthresh)`` (flag 1); flags
2 threshold crossed, 3 rise ends, 4 fall starts, 5 fall ends, 6 refractory period ends.
A window event checks the spike time it belongs to, so an event left over from an
earlier spike changes nothing. Numerics only NEURON needs: ``fall_lead`` opens the fall
window that much early; bridge sets it to the time step (the grid's inclusive test),
with CVode too (dt is then the sampling step).
"""

from __future__ import annotations

from .mechanism import ONE, Assign, Call, Current, If, Mechanism, Variable
from .synapses import MS, MV, NA, US

NAME = "BrDSpike"
#: Parameters given per dspike from the model (the durations in ms).
DURATIONS = ("duration_rise", "duration_fall", "offset_fall", "refractory")


def mechanism() -> Mechanism:
    """BrDSpike (see the module docstring)."""
    variables = [
        Variable("g_rise", US, value=0.0), Variable("g_fall", US, value=0.0),
        Variable("e_rise", MV, value=70.0), Variable("e_fall", MV, value=-89.0),
        Variable("vthresh", MV, value=-35.0),
        *(Variable(name, MS, value=0.0 if name in ("offset_fall", "refractory") else 1.0) for name in DURATIONS),
        Variable("fall_lead", MS, value=0.0),
        Variable("i", NA, "assigned"), Variable("rise_on", ONE, "assigned"), Variable("fall_on", ONE, "assigned"),
        Variable("ready", ONE, "assigned"), Variable("spiketime", MS, "assigned"),
    ]
    spike = (
        Assign("spiketime", "t"), Assign("rise_on", "1"),
        Call("net_send", ("duration_rise", "3")),
        If("fall_start > 0", (Call("net_send", ("fall_start", "4")),), (Assign("fall_on", "1"),)),
        Call("net_send", ("offset_fall + duration_fall", "5")),
        If("refractory > 0", (Assign("ready", "0"), Call("net_send", ("refractory", "6")))),
    )
    net_receive = (
        Assign("fall_start", "ifelse(offset_fall > fall_lead, offset_fall - fall_lead, 0)"),
        If("flag == 1", (Call("watch", ("v > vthresh", "2")),)),
        If("flag == 6", (Assign("ready", "1"),)),
        If("(flag == 2 or flag == 6) and ready == 1 and v >= vthresh", spike),
        If("flag == 3 and t - spiketime >= duration_rise - 1e-9", (Assign("rise_on", "0"),)),
        If("flag == 4 and abs(t - spiketime - fall_start) < 1e-9", (Assign("fall_on", "1"),)),
        If("flag == 5 and t - spiketime >= offset_fall + duration_fall - 1e-9", (Assign("fall_on", "0"),)),
    )
    return Mechanism(
        NAME, kind="point", variables=tuple(variables), currents=(Current("i"),),
        initial=(Assign("rise_on", "0"), Assign("fall_on", "0"), Assign("ready", "1"), Assign("spiketime", "-1e9"),
                 Call("net_send", ("0", "1"))),
        step=(Assign("i", "g_rise * rise_on * (v - e_rise) + g_fall * fall_on * (v - e_fall)"),),
        net_receive=net_receive, net_receive_args=("weight",))


# -- Brian 2 (Dendrify's names and equations) ------------------------------------------
def brian2_lines(ident: str, comp: str, e_rise: str, e_fall: str) -> list[str]:
    """The dspike's Brian 2 equations: ``ident`` is ``<dspike>_<compartment>``, ``comp``
    the compartment (its voltage is ``V_<comp>``), ``e_rise``/``e_fall`` the namespace
    names of the reversals."""
    e = ident
    return [
        f"I_rise_{e} = g_rise_{e} * ({e_rise}-V_{comp})  :amp",
        f"I_fall_{e} = g_fall_{e} * ({e_fall}-V_{comp})  :amp",
        f"g_rise_{e} = g_rise_max_{e} * int(t_in_timesteps <= spiketime_{e} + duration_rise_{e}) * gate_{e} :siemens",
        f"g_fall_{e} = g_fall_max_{e} * int(t_in_timesteps <= spiketime_{e} + offset_fall_{e} + duration_fall_{e})"
        f" * int(t_in_timesteps >= spiketime_{e} + offset_fall_{e}) *  gate_{e} :siemens",   # Dendrify's spacing
        f"spiketime_{e}  :1",
        f"gate_{e}  :1",
    ]


def brian2_event(ident: str, comp: str) -> tuple[str, str, str]:
    """``(event name, condition, action)`` of the dspike's custom Brian 2 event."""
    e = ident
    return (f"spike_{e}", f"V_{comp} >= Vth_{e} and t_in_timesteps >= spiketime_{e} + refractory_{e} * gate_{e}",
            f"spiketime_{e} = t_in_timesteps; gate_{e} = 1")

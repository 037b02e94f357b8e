"""bridge's conductance synapses: their one home (kinetics, parameters and units, the
NEURON-only numerics, Brian 2's equations and names).

Four point processes, printed into ``mod/`` by ``python -m bridge.neuron.library``:
``BrExpSyn`` (decay only), ``BrExp2Syn`` (rise and decay) and their NMDA versions with
the magnesium block (``BrExpSynMg``, ``BrExp2SynMg``: mechanisms of their own so that
AMPA and GABA synapses do not pay for the block).

Kinetics, as bridge's Brian 2 equations define them: decay only, ``s' = -s/tau_decay``;
rise and decay, ``s' = -s/tau_rise`` and ``x' = -x/tau_decay + s/(1 ms)``, an event adding
its NetCon weight to ``s``. NEURON integrates the exact solution: ``x`` is written as
``factor*(b - a)`` with ``a' = -a/tau_rise``, ``b' = -b/tau_decay`` (``factor =
tau_rise*tau_decay/(tau_decay - tau_rise)/(1 ms)``), so every state decays exactly
(cnexp). The current is ``g*w*x*(v - e)``.

Numerics only NEURON needs, kept here with the mechanism: in a fixed-step run
(``midpoint = 1``) the current uses the gating at the middle of the step, where NEURON
evaluates currents (Crank-Nicolson) and where the step's average lies; the factor is
fixed at finitialize from ``dt`` (``gain``), so BREAKPOINT reads one value per state
instead of recomputing it. CVode sets ``midpoint = 0``. ``g`` is the coefficient of the
gating (peak normalisation, ``scale_g``, is applied by the NEURON plan); ``w``, ``g`` and
the time constants take effect at finitialize; ``tau_rise`` must differ from
``tau_decay``.
"""

from __future__ import annotations

from ..units import AMPERE, SECOND, SIEMENS, VOLT, Dimension
from .mechanism import ONE, Assign, Current, Derivative, Mechanism, Unit, Variable

US = Unit("uS", 1e-6, SIEMENS)
NA = Unit("nA", 1e-9, AMPERE)
MV = Unit("mV", 1e-3, VOLT)
MS = Unit("ms", 1e-3, SECOND)
PER_MV = Unit("/mV", 1e3, Dimension(tuple(-e for e in VOLT.exponents)))

#: The magnesium block, NMDA only: the current is divided by this (0 mM disables it).
MG_BLOCK = "(1 + mg * exp(-alpha * (v + gamma)) / beta)"


def _common(rise_decay: bool, nmda: bool) -> list[Variable]:
    params = [Variable("g", US, "parameter", 0.0)]
    if rise_decay:
        params.append(Variable("tau_rise", MS, "parameter", 1.0))
    params += [Variable("tau_decay", MS, "parameter", 5.0 if rise_decay else 1.0),
               Variable("e", MV, "parameter", 0.0), Variable("w", ONE, "parameter", 1.0)]
    if nmda:
        params += [Variable("mg", ONE, "parameter", 0.0), Variable("alpha", PER_MV, "parameter", 0.062),
                   Variable("beta", ONE, "parameter", 3.57), Variable("gamma", MV, "parameter", 0.0)]
    params.append(Variable("midpoint", ONE, "parameter", 1.0))
    return params


def _current(driving: str, nmda: bool) -> list[Assign]:
    if not nmda:
        return [Assign("i", f"{driving} * (v - e)")]
    return [Assign("i_1", f"{driving} * (v - e)"),
            Assign("i", f"ifelse(mg > 0, i_1 / {MG_BLOCK}, i_1)")]


def exp_syn(nmda: bool = False) -> Mechanism:
    """BrExpSyn (decay only); BrExpSynMg with ``nmda``."""
    variables = _common(False, nmda) + [
        Variable("i", NA, "assigned"),
        Variable("gain", US, "assigned"),  # g * w * (s at mid-step relative to the step's start)
        Variable("s", ONE, "state")]
    return Mechanism(
        "BrExpSynMg" if nmda else "BrExpSyn", kind="point", variables=tuple(variables),
        currents=(Current("i"),),
        initial=(Assign("s", "0.0"), Assign("gain", "g * w * exp(-midpoint * dt / (2 * tau_decay))")),
        step=tuple(_current("gain * s", nmda)),
        derivatives=(Derivative("s", "-s / tau_decay"),),
        net_receive=(Assign("s", "s + weight"),), net_receive_args=("weight",))


def exp2_syn(nmda: bool = False) -> Mechanism:
    """BrExp2Syn (rise and decay); BrExp2SynMg with ``nmda``."""
    variables = _common(True, nmda) + [
        Variable("i", NA, "assigned"),
        Variable("gain_rise", US, "assigned"),   # g * w * factor * (a at mid-step relative to the step's start)
        Variable("gain_decay", US, "assigned"),  # the same for b
        Variable("a", ONE, "state"), Variable("b", ONE, "state")]
    factor = "tau_rise * tau_decay / (tau_decay - tau_rise) / 1.0"
    return Mechanism(
        "BrExp2SynMg" if nmda else "BrExp2Syn", kind="point", variables=tuple(variables),
        currents=(Current("i"),),
        initial=(Assign("a", "0.0"), Assign("b", "0.0"), Assign("factor", factor),
                 Assign("gain_rise", "g * w * factor * exp(-midpoint * dt / (2 * tau_rise))"),
                 Assign("gain_decay", "g * w * factor * exp(-midpoint * dt / (2 * tau_decay))")),
        step=tuple(_current("(gain_decay * b - gain_rise * a)", nmda)),
        derivatives=(Derivative("a", "-a / tau_rise"), Derivative("b", "-b / tau_decay")),
        net_receive=(Assign("a", "a + weight"), Assign("b", "b + weight")), net_receive_args=("weight",))


def mechanism_name(rise_decay: bool, nmda: bool) -> str:
    """The NEURON mechanism of a synapse with these kinetics (``BrExp2SynMg``...)."""
    return ("BrExp2Syn" if rise_decay else "BrExpSyn") + ("Mg" if nmda else "")


# -- Brian 2 (Dendrify's names and equations) ------------------------------------------
#: The magnesium block as Brian 2 writes it, ``{s}`` the compartment suffix.
BRIAN2_MG_BLOCK = "(1 + Mg_con * exp(-Alpha_NMDA*(V{s}/mV+Gamma_NMDA)) / Beta_NMDA)"


def brian2_states(channel: str, tag: str, rise_decay: bool, s: str) -> list[str]:
    """The synapse's Brian 2 state variables (``s_...``, and ``x_...`` with a rise); in
    ``exponential_strang`` they advance half a step before the voltages and half after, so
    that the current reads them at mid-step, as the NEURON mechanisms do (``midpoint``)."""
    ident = f"{channel}_{tag}{s}"
    return [f"s_{ident}"] + ([f"x_{ident}"] if rise_decay else [])


def brian2_lines(channel: str, tag: str, rise_decay: bool, s: str) -> list[str]:
    """The synapse's Brian 2 equations with Dendrify's names (``I_AMPA_x_soma``,
    ``s_...``, ``x_...``), ``s`` the compartment suffix: the kinetics of the module
    docstring in SI units; the NMDA channel divides by the magnesium block."""
    ident = f"{channel}_{tag}{s}"
    block = f" / {BRIAN2_MG_BLOCK.format(s=s)}" if channel == "NMDA" else ""
    gating = f"x_{ident}" if rise_decay else f"s_{ident}"
    lines = [f"I_{ident} = g_{ident} * (E_{channel}-V{s}) * {gating}{block} * w_{ident}  :amp"]
    if rise_decay:
        lines.append(f"dx_{ident}/dt = (-x_{ident}/t_{channel}_decay_{tag}{s}) + s_{ident}/ms  :1")
        lines.append(f"ds_{ident}/dt = -s_{ident} / t_{channel}_rise_{tag}{s}  :1")
    else:
        slash = "/" if channel == "NMDA" else " / "   # Dendrify's spacing (replace_equations matches text)
        lines.append(f"ds_{ident}/dt = -s_{ident}{slash}t_{channel}_decay_{tag}{s}  :1")
    return lines

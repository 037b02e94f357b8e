"""Model -> Brian 2 equations, namespace, custom events and initial values.

The generated text follows Dendrify's variable naming (``V_<comp>``, ``I_AMPA_<tag>_<comp>``,
``g_<from>_<to>``...), so Dendrify scripts that address those variables keep working and
the equations are the same as Dendrify's. A point-neuron model drops the compartment
suffix (``V``, ``I_AMPA_<tag>``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from brian2.core.functions import timestep
from brian2.units import second

from ..mechanisms import dspike, noise
from ..mechanisms.integrate_and_fire import BRIAN2_MEMBRANE
from ..mechanisms.synapses import brian2_lines as synapse_lines
from ..mechanisms.synapses import brian2_states as synapse_states
from ..errors import ModelError
from ..model import CompartmentSpec, DSpike, Equation, ReducedModel
from ..units import AMPERE, FARAD, SECOND, SIEMENS, VOLT, Dimension
from ..units import quantity, unit_code
from ..mechanisms.neuron_order import registration_order
from .channels import compartment_channels
from .functions import FUNCTIONS

@dataclass(frozen=True)
class Brian2Description:
    """Everything a Brian 2 ``NeuronGroup`` needs for one model.

    ``namespace`` maps parameter names to quantities (dspike durations are integers,
    in time steps of ``dt``); ``events`` maps custom event names to conditions and
    ``event_actions`` to the code run on them; ``initial_values`` sets voltages at rest;
    ``method_options`` are ``exponential_strang``'s (:func:`method_options`).
    """

    equations: str
    namespace: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    event_actions: dict = field(default_factory=dict)
    initial_values: dict = field(default_factory=dict)
    method_options: dict = field(default_factory=dict)


def suffix(model: ReducedModel, comp: CompartmentSpec) -> str:
    """The variable-name suffix of a compartment: ``_<name>``, or nothing for point models."""
    return "" if model.point else f"_{comp.name}"


def voltage_name(model: ReducedModel, comp_name: str) -> str:
    """The Brian 2 variable holding the voltage of compartment ``comp_name``."""
    return "V" + suffix(model, model.compartment(comp_name))


def synapse_variable(model: ReducedModel, comp_name: str, synapse_name: str) -> str:
    """The state variable a presynaptic event increments (``s_NMDA_x_tuft``)."""
    comp = model.compartment(comp_name)
    syn = comp.synapse(synapse_name)
    return f"s_{syn.channel}_{syn.tag}{suffix(model, comp)}"


def dspike_reversal_name(model: ReducedModel, comp: CompartmentSpec, ds: DSpike, which: str) -> str:
    """The namespace name of a dspike's ``which`` ("rise" or "fall") reversal.

    Dendrify names it ``E_rise_<dspike>``, one value for every compartment carrying a
    dspike of that name. bridge keeps that name while those values agree, and names the
    reversal per compartment (``E_rise_<dspike>_<compartment>``) when they differ, so each
    compartment keeps its own (Dendrify would silently use the last one set).
    """
    attr = f"reversal_{which}"
    values = {getattr(d, attr) for c in model.compartments for d in c.dspikes if d.name == ds.name}
    base = f"E_{which}_{ds.name}"
    return base if len(values) <= 1 else f"{base}_{comp.name}"


def _dspike_lines(model: ReducedModel, comp: CompartmentSpec, ds: DSpike) -> list[str]:
    e_rise, e_fall = (dspike_reversal_name(model, comp, ds, which) for which in ("rise", "fall"))
    return dspike.brian2_lines(f"{ds.name}_{comp.name}", comp.name, e_rise, e_fall)


def equation_code(eq: Equation) -> str:
    """One user equation in Brian 2 syntax."""
    unit = unit_code(eq.dimension)
    flags = f" ({', '.join(eq.flags)})" if eq.flags else ""
    if eq.kind == "differential":
        return f"d{eq.variable}/dt = {eq.expression} : {unit}{flags}"
    if eq.kind == "subexpression":
        return f"{eq.variable} = {eq.expression} : {unit}{flags}"
    return f"{eq.variable} : {unit}{flags}"


def own_equations(model: ReducedModel, comp: CompartmentSpec) -> str:
    """A compartment's equations before couplings (what its ``replace_equations`` edits):
    membrane, input current, its mechanisms and equations, in Dendrify's text: each
    mechanism's current inserted right after ``I_ext`` (the one declared last comes first)
    and its equations appended, in the order of ``comp.declared``."""
    s = suffix(model, comp)
    currents, blocks = {}, {}
    for syn in comp.synapses:
        currents[f"synapse:{syn.name}"] = f"I_{syn.channel}_{syn.tag}{s}"
        blocks[f"synapse:{syn.name}"] = synapse_lines(syn.channel, syn.tag, syn.rise_decay, s)
    if comp.noise is not None:
        currents["noise"], blocks["noise"] = f"I_noise{s}", [noise.brian2_line(s)]
    for ds in comp.dspikes:
        currents[f"dspike:{ds.name}"] = f"I_rise_{ds.name}_{comp.name} + I_fall_{ds.name}_{comp.name}"
        blocks[f"dspike:{ds.name}"] = _dspike_lines(model, comp, ds)
    order = comp.declaration_order
    own = [currents[key] for key in reversed(order)]
    channels = compartment_channels(model, comp, s)
    if channels.current:
        own.append(channels.current)
    trailing = " " if comp.membrane == "cadIF" else ""
    lines = [line.format(s=s) for line in BRIAN2_MEMBRANE[comp.membrane]]
    lines += [f"I{s} = {' + '.join([f'I_ext{s}'] + own)}  :amp{trailing}", f"I_ext{s}  :amp"]
    for key in order:
        lines += blocks[key]
    lines += channels.lines
    lines += [eq.text or equation_code(eq) for eq in comp.equations]
    return "\n".join(lines)


def compartment_equations(model: ReducedModel, comp: CompartmentSpec) -> str:
    """The equations of one compartment: its own (:func:`own_equations`) with its
    replacements applied, then each coupling as Dendrify's ``connect`` adds it (its current
    inserted after ``I_ext``, its equation appended), then the model's replacements."""
    text = apply_replacements(own_equations(model, comp), comp.replacements, f"compartment {comp.name}")
    s = suffix(model, comp)
    for c in model.couplings:
        if comp.name in c.ends:
            other = c.b if c.a == comp.name else c.a
            current = f"I_{other}_{comp.name}"
            anchor = f"= I_ext{s}"
            if anchor not in text:
                raise ModelError(f"the replacements removed {anchor!r}, where the coupling current {current} goes",
                                 obj=f"compartment {comp.name}", param="replace_equations",
                                 hint=f"keep '{anchor}' in the equations of {comp.name}")
            text = text.replace(anchor, f"{anchor} + {current} ")
            text += f"\n{current} = (V_{other}-V_{comp.name}) * g_{other}_{comp.name}  :amp"
    return text


def apply_replacements(text: str, replacements, obj: str) -> str:
    """``text`` with each replacement applied in turn; one whose text no longer occurs
    (something declared after it changed it) is an error."""
    for r in replacements:
        if r.old not in text:
            raise ModelError(f"the text to replace no longer occurs: {r.old!r}", obj=obj, param="replace_equations",
                             hint="something declared after replace_equations changed it; declare synapses, "
                                  "noise, dspikes and equations first, or replace the text as it now reads")
        text = text.replace(r.old, r.new)
    return text


def compartment_blocks(model: ReducedModel) -> dict[str, str]:
    """Each compartment's equations (:func:`compartment_equations`) with the model's
    replacements applied to each block that holds their text."""
    blocks = {c.name: compartment_equations(model, c) for c in model.compartments}
    for r in model.replacements:
        if not any(r.old in block for block in blocks.values()):
            raise ModelError(f"the text to replace occurs in no compartment: {r.old!r}", obj=f"model {model.name}",
                             param="replace_equations",
                             hint="something declared after replace_equations changed it; replace the text as "
                                  "print(model.equations) now shows it")
        blocks = {name: block.replace(r.old, r.new) for name, block in blocks.items()}
    return blocks


def model_equations(model: ReducedModel) -> str:
    """All equations of the model, one block per compartment (:func:`compartment_blocks`),
    then model-level additions."""
    blocks = list(compartment_blocks(model).values())
    if model.equations:
        blocks.append("\n".join(eq.text or equation_code(eq) for eq in model.equations))
    return "\n\n".join(blocks)


def _put(namespace: dict, name: str, value, dim: Dimension) -> None:
    if value is not None:
        namespace[name] = quantity(value, dim)


def _steps(value: float | None, dt) -> int | None:
    return None if value is None else int(timestep(value * second, dt))


def compartment_parameters(model: ReducedModel, comp: CompartmentSpec, dt) -> dict:
    """Parameters of one compartment (Dendrify's names), including the global ones."""
    s = suffix(model, comp)
    ns: dict = {}
    for syn in comp.synapses:
        ident = f"{syn.channel}_{syn.tag}{s}"
        ns[f"w_{ident}"] = syn.weight
        _put(ns, f"g_{ident}", syn.g_effective, SIEMENS)
        _put(ns, f"t_{syn.channel}_rise_{syn.tag}{s}", syn.t_rise, SECOND)
        _put(ns, f"t_{syn.channel}_decay_{syn.tag}{s}", syn.t_decay, SECOND)
    if comp.noise is not None:
        _put(ns, f"tau_noise{s}", comp.noise.tau, SECOND)
        _put(ns, f"sigma_noise{s}", comp.noise.sigma, AMPERE)
        _put(ns, f"mean_noise{s}", comp.noise.mean, AMPERE)
    for p in comp.params:
        ns[p.name] = quantity(p.value, p.dimension)
    for c in model.couplings:
        if comp.name in c.ends:
            other = c.b if c.a == comp.name else c.a
            _put(ns, f"g_{other}_{comp.name}", model.coupling_conductance(c), SIEMENS)
    for ds in comp.dspikes:
        e = f"{ds.name}_{comp.name}"
        _put(ns, f"Vth_{e}", ds.threshold, VOLT)
        _put(ns, f"g_rise_max_{e}", ds.g_rise, SIEMENS)
        _put(ns, f"g_fall_max_{e}", ds.g_fall, SIEMENS)
        _put(ns, dspike_reversal_name(model, comp, ds, "rise"), ds.reversal_rise, VOLT)
        _put(ns, dspike_reversal_name(model, comp, ds, "fall"), ds.reversal_fall, VOLT)
        for attr in ("duration_rise", "duration_fall", "offset_fall", "refractory"):
            steps = _steps(getattr(ds, attr), dt)
            if steps is not None:
                ns[f"{attr}_{e}"] = steps
    _put(ns, f"EL{s}", comp.v_rest, VOLT)
    _put(ns, f"C{s}", comp.capacitance, FARAD)
    _put(ns, f"gL{s}", comp.g_leak, SIEMENS)
    for p in model.globals.params:
        ns[p.name] = quantity(p.value, p.dimension)
    if comp.channels:
        ns.update(compartment_channels(model, comp, s).namespace)
        ns.update(FUNCTIONS)
    return ns


def model_parameters(model: ReducedModel, dt) -> dict:
    """The namespace of the whole model (compartments, then model-level parameters)."""
    ns: dict = {}
    for comp in model.compartments:
        ns.update(compartment_parameters(model, comp, dt))
    for p in model.params:
        ns[p.name] = quantity(p.value, p.dimension)
    return ns


def model_events(model: ReducedModel) -> tuple[dict, dict]:
    """Custom dendritic-spike events: ``(conditions, actions)`` keyed by event name."""
    events, actions = {}, {}
    for comp in model.compartments:
        for ds in comp.dspikes:
            name, condition, action = dspike.brian2_event(f"{ds.name}_{comp.name}", comp.name)
            events[name], actions[name] = condition, action
    return events, actions


def method_options(model: ReducedModel, blocks) -> dict:
    """``exponential_strang``'s options for ``model``, whose compartments' channel blocks
    are ``blocks``: the ion currents that concentrations read, the channels' states
    mechanism by mechanism, in the order NEURON advances them
    (:func:`bridge.mechanisms.neuron_order.registration_order`), and the synapses' states,
    read at mid-step (:func:`bridge.mechanisms.synapses.brian2_states`), and the states
    their SOLVE METHOD advances otherwise than cnexp (``implicit``, ``forward``); empty
    without channels (the method is then not used)."""
    states: dict[str, list[str]] = {}
    for block in blocks:
        for name, names in block.states.items():
            states.setdefault(name, []).extend(names)
    if not states:
        return {}
    synapses = [name for c in model.compartments for syn in c.synapses
                for name in synapse_states(syn.channel, syn.tag, syn.rise_decay, suffix(model, c))]
    options = {"ion_currents": sorted({n for block in blocks for n in block.ion_currents}),
               "update_order": [states[name] for name in registration_order(states)], "half_steps": synapses}
    schemes = {name: scheme for block in blocks for name, scheme in block.schemes.items()}
    for scheme in sorted(set(schemes.values())):   # states not advanced by cnexp (derivimplicit: backward Euler)
        options[scheme] = sorted(name for name, s in schemes.items() if s == scheme)
    halves = {state: mid for block in blocks for state, mid in block.half_values.items()}
    if halves:   # what an implicit solver leaves at its half step (cad.mod's cai)
        options["half_values"] = halves
    return options


def brian2_description(model: ReducedModel, dt) -> Brian2Description:
    """Everything Brian 2 needs for ``model`` at time step ``dt`` (a Brian 2 quantity)."""
    events, actions = model_events(model)
    initial = {voltage_name(model, c.name): quantity(c.v_rest, VOLT)
               for c in model.compartments if c.v_rest is not None}
    blocks = [compartment_channels(model, c, suffix(model, c)) for c in model.compartments]
    for block in blocks:
        initial.update(block.initial)
    return Brian2Description(model_equations(model), model_parameters(model, dt), events, actions, initial,
                             method_options(model, blocks))


__all__ = ["Brian2Description", "apply_replacements", "compartment_blocks", "compartment_equations", "own_equations", "compartment_parameters", "brian2_description", "dspike_reversal_name",
           "equation_code", "method_options", "model_equations", "model_events", "model_parameters", "suffix",
           "synapse_variable", "voltage_name"]

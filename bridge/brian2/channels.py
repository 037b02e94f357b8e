"""A compartment's channels (NMODL mechanisms) as Brian 2 equation lines.

Every expression of a mechanism is plain numbers in its declared NMODL units (see
:mod:`bridge.mechanisms.mechanism`), so the printed equations are dimensionless (``: 1``)
and the conversion to SI happens at three boundaries only: the voltage the channels see
(``v_mV<s> = V<s>/mV``), the time derivative (``/ms``) and the membrane current
(``I_channels<s>``: the outward current densities times the compartment's area, with the
sign Brian 2's membrane equation expects).

Names: a channel's variable ``x`` becomes ``x_<mechanism><s>`` (``<s>`` is the compartment
suffix, ``_soma``), a point process's ``x_<label><s>``; a point process's current (nA) enters
``I_channels<s>`` whole, without the area. Its NET_RECEIVE block becomes the ``on_pre``
code of the Synapses that deliver events to it (:func:`net_receive_code`). Ion variables are the compartment's: ``ena<s>`` (a constant, or the
Nernst potential when a mechanism writes the concentration), ``cai<s>`` (a state when a
mechanism such as CaDynamics_E2 writes it, else NEURON's default), ``ica<s>`` (the sum of
the compartment's calcium currents).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import ModelError, UnsupportedFeatureError
from ..mechanisms import Mechanism
from ..mechanisms.expressions import branch_values, guarded_divisions, names, rename, run_statements
from ..mechanisms.neuron_order import registration_order
from ..model import CompartmentSpec, ReducedModel
from ..model.channels import ION_REVERSALS, Channel, ion_concentration
from ..units import Dimension, quantity

#: How NEURON integrates the states of a mechanism by its SOLVE METHOD, where that is not
#: cnexp's exponential step (exponential_strang's ``method_options``): derivimplicit and
#: sparse by backward Euler, euler by forward Euler.
SCHEMES = {"derivimplicit": "implicit", "sparse": "implicit", "euler": "forward"}

#: NEURON 9's gas and Faraday constants (2019 SI values), for Nernst potentials:
#: h.nernst gives R/F*1000 = 0.0861733326 mV/K, as these do.
GAS_CONSTANT = 8.314462618
FARADAY = 96485.33212
ZERO_CELSIUS = 273.15
SQUARE_METRE = Dimension((2, 0, 0, 0, 0, 0, 0))


@dataclass
class ChannelBlock:
    """The channel part of one compartment: equation ``lines``, ``namespace`` entries,
    ``initial`` values of states and the name of the total channel ``current`` (amp),
    or None when the compartment has no channels; for the integration method, the
    ``states`` of each mechanism (by mechanism name), the ``ion_currents`` (``ica<s>``)
    and the ``schemes`` of states NEURON does not advance by cnexp (:data:`SCHEMES`);
    ``half_values``: the implicit states whose half-step value a concentration reads
    (exponential_strang's option of that name)."""

    lines: list[str] = field(default_factory=list)
    namespace: dict = field(default_factory=dict)
    initial: dict = field(default_factory=dict)
    current: str | None = None
    states: dict = field(default_factory=dict)
    ion_currents: list = field(default_factory=list)
    schemes: dict = field(default_factory=dict)
    half_values: dict = field(default_factory=dict)


def _ion_of(variable: str, ions) -> tuple[str, str] | None:
    """``("ca", "conc_in")`` for ``cai``, ``("ca", "reversal")`` for ``eca``, ``("ca", "current")``
    for ``ica``; None when ``variable`` belongs to none of ``ions``."""
    for ion in ions:
        if variable == f"e{ion}":
            return ion, "reversal"
        if variable == f"{ion}i":
            return ion, "conc_in"
        if variable == f"{ion}o":
            return ion, "conc_out"
        if variable == f"i{ion}":
            return ion, "current"
    return None


class _Compartment:
    """Names and values of one compartment's channels while they are printed."""

    def __init__(self, model: ReducedModel, comp: CompartmentSpec, suffix: str):
        self.model, self.comp, self.s = model, comp, suffix
        self.obj = f"compartment {comp.name}"
        self.charges = {i.ion: i.charge for ch in comp.channels for i in ch.mechanism.ions}
        self.writers: dict[str, Channel] = {}
        self.ion_initial: dict[str, float] = {}   # concentrations as their writers' INITIAL left them
        for ch in comp.channels:
            for ion in ch.mechanism.ions:
                for var in ion.write:
                    if var in (f"{ion.ion}i", f"{ion.ion}o"):
                        if var in self.writers:
                            raise UnsupportedFeatureError(
                                f"{var} is written by both {self.writers[var].name} and {ch.name}", obj=self.obj,
                                param="channels", expected="one mechanism writing each concentration")
                        self.writers[var] = ch

    def ion_name(self, variable: str) -> str:
        return f"{variable}{self.s}"

    def local(self, ch: Channel, variable: str) -> str:
        if self.writers.get(variable) is ch:
            return self.ion_name(variable)
        return f"{variable}_{ch.name}{self.s}"


def _ion_lines(c: _Compartment, block: ChannelBlock, used: set[str]) -> None:
    """Lines and constants for the ion variables the channels read."""
    set_values = dict(c.comp.ions)
    for var in sorted(used):
        ion, kind = _ion_of(var, c.charges)
        name = c.ion_name(var)
        if kind == "current":
            terms = [f"{var}_{ch.name}{c.s}" for ch in c.comp.channels
                     if var in {cur.variable for cur in ch.mechanism.currents}]
            block.lines.append(f"{name} = {' + '.join(terms) if terms else '0'} : 1")
            block.ion_currents.append(name)
        elif kind in ("conc_in", "conc_out"):
            if var in c.writers:
                continue  # a state of its writer
            block.namespace[name] = ion_concentration(var)
        elif (f"{ion}i" in c.writers or f"{ion}o" in c.writers) and var not in set_values:
            inside, outside = (c.ion_name(f"{ion}{x}") for x in "io")
            for conc in (f"{ion}i", f"{ion}o"):
                if conc not in c.writers:
                    block.namespace[c.ion_name(conc)] = ion_concentration(conc)
            block.lines.append(f"{name} = {_nernst_factor(c, ion)!r} * (celsius + {ZERO_CELSIUS!r}) * "
                               f"log({outside} / {inside}) : 1")
        else:
            value = set_values.get(var, ION_REVERSALS.get(var))
            if value is None:
                raise ModelError(f"the channels read {var}, which has no default", obj=c.obj, param=var,
                                 hint=f"set it on the compartment, e.g. ions({var}=...*mV)")
            block.namespace[name] = value * 1e3  # mV


def _nernst_factor(c: _Compartment, ion: str) -> float:
    """RT/zF per kelvin in mV: the Nernst potential is this times T times log(out/in)."""
    return 1e3 * GAS_CONSTANT / FARADAY / c.charges[ion]


def _channel_lines(c: _Compartment, ch: Channel, block: ChannelBlock, vm: str) -> set[str]:
    """Lines of one channel; returns the ion variables it reads."""
    mech: Mechanism = ch.mechanism
    obj = f"{c.obj} channel {ch.name}"
    step_targets = [st.target for st in mech.step]
    own = {v.name for v in mech.variables} | set(step_targets) | {st.target for st in mech.initial}
    ions = set(mech.ion_variables)
    mapping = {name: c.local(ch, name) for name in own}
    mapping.update({var: c.ion_name(var) for var in ions if var not in own})
    mapping["v"] = vm
    mapping["t"] = f"t_ms{c.s}"
    read_ions = {var for var in ions if var not in own}

    for p in mech.parameters:
        value = ch.value(p.name)
        if value is None:
            raise ModelError("has no value", obj=obj, param=p.name, hint=f"give it: channel(..., {p.name}=...)")
        block.namespace[mapping[p.name]] = value
    branches = _branches_only(mech)
    # NEURON's implicit solvers (derivimplicit, sparse) under Crank-Nicolson leave what the
    # block assigns at the backward-Euler half step, and only the states go on to the whole
    # step: a concentration the block writes from a state (cad.mod's cai = ca) reads the
    # state's half-step value, <state>_mid, which exponential_strang sets (half_values)
    halved = ({d.state: f"{mapping[d.state]}_mid" for d in mech.derivatives}
              if SCHEMES.get(mech.method) == "implicit" else {})
    for st in mech.step:
        if "dt" in names(st.expression):
            raise UnsupportedFeatureError("an expression uses dt", obj=obj, param=st.target)
        expression = guarded_divisions(st.expression) if st.target in branches else st.expression
        read = names(st.expression) & set(halved) if c.writers.get(st.target) is ch else set()
        for state in sorted(read):
            if mapping[state] not in block.half_values:
                block.lines.append(f"{halved[state]} : 1")
                block.half_values[mapping[state]] = halved[state]
        renamed = {**mapping, **{state: halved[state] for state in read}}
        block.lines.append(f"{mapping[st.target]} = {rename(expression, renamed)} : 1")
    evolving = {d.state for d in mech.derivatives}
    for d in mech.derivatives:
        block.lines.append(f"d{mapping[d.state]}/dt = ({rename(d.expression, mapping)}) / ms : 1")
        block.states.setdefault(mech.name, []).append(mapping[d.state])
        if mech.method in SCHEMES:
            block.schemes[mapping[d.state]] = SCHEMES[mech.method]
    # Assigned values set only in INITIAL and states that do not evolve stay constant.
    constant = [v.name for v in mech.variables if v.role in ("state", "assigned")
                and v.name not in evolving and v.name not in step_targets]
    for name in constant:
        block.lines.append(f"{mapping[name]} : 1 (constant)" if name not in c.writers else f"{mapping[name]} : 1")

    values = {"v": _rest_mv(c), "celsius": c.model.celsius, "t": 0.0}
    values.update({p.name: ch.value(p.name) for p in mech.parameters})
    values.update({var: _initial_ion(c, var) for var in ions})
    values = run_statements(mech.initial, values, needed=evolving | set(constant))
    c.ion_initial.update({var: values[var] for var in ions if c.writers.get(var) is ch})
    for name in sorted(evolving | set(constant)):
        if name in values:
            block.initial[mapping[name]] = values[name]
        elif name not in ions:
            block.initial[mapping[name]] = 0.0  # NMODL's default for a state INITIAL leaves alone
    for state, mid in block.half_values.items():
        if state in block.initial:
            block.initial[mid] = block.initial[state]
    return read_ions


def _branches_only(mech: Mechanism) -> set[str]:
    """The step's temporaries read only as a value of ifelse: the branches of an NMODL
    if/else, which NEURON computes only where taken and Brian 2 everywhere (their divisions
    are printed as divide(), never an error)."""
    declared = {v.name for v in mech.variables}
    branch, other = branch_values([st.expression for st in mech.step] + [d.expression for d in mech.derivatives])
    return branch - other - declared


def _rest_mv(c: _Compartment) -> float:
    if c.comp.v_rest is None:
        raise ModelError("has no v_rest, which the channels' initial states need", obj=c.obj, param="v_rest")
    return c.comp.v_rest * 1e3


def _initial_ion(c: _Compartment, var: str) -> float:
    """The value of ion variable ``var`` at initialisation (concentrations from NEURON's
    defaults, reversal potentials from the compartment or the defaults, currents 0)."""
    ion, kind = _ion_of(var, c.charges)
    if kind == "current":
        return 0.0
    if kind in ("conc_in", "conc_out"):
        # its writer's INITIAL value, where that has run (see compartment_channels), else NEURON's
        return c.ion_initial.get(var, ion_concentration(var))
    if (f"{ion}i" in c.writers or f"{ion}o" in c.writers) and var not in dict(c.comp.ions):
        ci, co = (c.ion_initial.get(f"{ion}{x}", ion_concentration(f"{ion}{x}")) for x in "io")
        return _nernst_factor(c, ion) * (c.model.celsius + ZERO_CELSIUS) * math.log(co / ci)
    value = dict(c.comp.ions).get(var, ION_REVERSALS.get(var))
    return 0.0 if value is None else value * 1e3


def compartment_channels(model: ReducedModel, comp: CompartmentSpec, suffix: str) -> ChannelBlock:
    """The Brian 2 lines, namespace and initial values of ``comp``'s channels."""
    block = ChannelBlock()
    if not comp.channels:
        return block
    c = _Compartment(model, comp, suffix)
    vm = f"v_mV{suffix}"
    block.lines.append(f"{vm} = V{suffix}/mV : 1")
    if any(_uses_time(ch.mechanism) for ch in comp.channels):
        block.lines.append(f"t_ms{suffix} = t/ms : 1")
    read = set()
    # NEURON runs the INITIAL blocks in the order it registers the mechanisms: a reader of a
    # concentration (SK's cai) starts from what its writer's INITIAL set (CaDynamics' minCai)
    rank = {name: k for k, name in enumerate(registration_order(ch.mechanism.name for ch in comp.channels))}
    for ch in sorted(comp.channels, key=lambda ch: rank[ch.mechanism.name]):
        read |= _channel_lines(c, ch, block, vm)
    _ion_lines(c, block, read)
    block.namespace["celsius"] = model.celsius
    # The membrane current: outward densities (declared unit, e.g. mA/cm2) times the area.
    density, point = [], []
    for ch in comp.channels:
        for cur in ch.mechanism.currents:
            term = f"{c.local(ch, cur.variable)} * {_current_scale(ch.mechanism, cur.variable)!r}"
            (density if ch.mechanism.kind == "density" else point).append(term)
    current = f"I_channels{suffix}"
    parts = []
    if density:
        if comp.area is None:
            raise ModelError("density channels need a membrane area", obj=c.obj, param="channels",
                             hint="give the compartment a length and a diameter")
        block.namespace[f"area{suffix}"] = quantity(comp.area, SQUARE_METRE)
        parts.append(f"({' + '.join(density)}) * area{suffix} * amp/meter**2")
    if point:
        parts.append(f"({' + '.join(point)}) * amp")
    block.lines.append(f"{current} = -({' + '.join(parts)}) : amp" if parts else f"{current} = 0*amp : amp")
    block.current = current
    return block


def _current_scale(mech: Mechanism, name: str) -> float:
    """SI value of one unit of current ``name``: its declared unit, else NEURON's
    (mA/cm2 = 10 A/m2 for density mechanisms, nA for point processes)."""
    for v in mech.variables:
        if v.name == name:
            return v.unit.scale
    return 10.0 if mech.kind == "density" else 1e-9


def _uses_time(mech: Mechanism) -> bool:
    statements = [s.expression for s in mech.step] + [d.expression for d in mech.derivatives]
    return any("t" in names(expression) for expression in statements)


def net_receive_code(model: ReducedModel, comp: CompartmentSpec, label: str, weight, suffix: str) -> str:
    """Brian 2 ``on_pre`` code running the NET_RECEIVE statements of the point process
    ``label`` of ``comp`` for one event of ``weight`` (in NET_RECEIVE's unit; a number, or
    the name of the synaptic variable that holds it): NMODL's
    semantics, the statements run once at delivery. Intermediate values are temporaries."""
    pp = comp.input_target(label)
    mech = pp.mechanism
    c = _Compartment(model, comp, suffix)
    own = {v.name for v in mech.variables}
    mapping = {name: c.local(pp, name) for name in own}
    mapping.update({st.target: f"nr_{st.target}_{pp.name}{suffix}" for st in mech.net_receive if st.target not in own})
    mapping.update({"v": f"(V{suffix}/mV)", "t": "(t/ms)", mech.net_receive_args[0]: f"({weight if isinstance(weight, str) else repr(float(weight))})"})
    for st in mech.net_receive:
        unknown = names(st.expression) - set(mapping) - {"celsius"}
        if unknown:
            raise UnsupportedFeatureError(f"NET_RECEIVE reads {sorted(unknown)[0]}", obj=f"{c.obj} point process "
                                          f"{label}", param="net_receive", expected="the mechanism's own variables, "
                                          "v, t and the weight")
    return "\n".join(f"{mapping[st.target]} = {rename(st.expression, dict(mapping, celsius=repr(model.celsius)))}"
                     for st in mech.net_receive)

"""Model -> a NEURON cell plan: sections and point processes with their parameters in
NEURON units. Pure data; the Python cell, the HOC template and the runner all render
or build from it, so they cannot disagree.

Mapping: one section per compartment (nseg = 1). Membrane area, capacitance and leak
are the model's. Each child section's 0-end is attached to its parent at 0.5; the
axial conductance between the two nodes then depends only on the child's Ra, L and
diam, so Ra is solved per section to give each coupling its exact conductance.

The user's equations (``add_equations``) of each compartment, with the model's that read
it, are one density mechanism in its section, read by the Brian 2 reader's route
(:mod:`bridge.brian2.equation_pieces`); the cell sets their parameters and records their
variables by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..units import dimension_of, quantity
from ..errors import ModelError, TopologyError, UnsupportedFeatureError
from ..model import CompartmentSpec, ReducedModel
from ..units import AMPERE, METRE, SECOND, SIEMENS, VOLT, dimension_name
from ..mechanisms import Mechanism, Source
from ..mechanisms import dspike, integrate_and_fire, noise
from ..mechanisms.integrate_and_fire import ADAPTATION
from ..mechanisms.synapses import mechanism_name
from .channels import DensityPlan, global_settings, model_mechanisms, point_parameters, section_channels
from .expressions import evaluate, split_threshold
from .nmodl_printer import nmodl_text
from ..units import specific_capacitance, specific_conductance, to_neuron

#: Geometry given to RC compartments (cm_abs/gl_abs), whose membrane has no shape (um).
RC_LENGTH = RC_DIAMETER = 10.0



@dataclass(frozen=True)
class SectionPlan:
    """One section: geometry (um), ``cm`` (uF/cm2), ``g_pas`` (S/cm2), ``e_pas`` and
    ``v_init`` (mV), ``Ra`` (ohm*cm); ``parent`` is attached at its 0.5 (None for the root)."""

    name: str
    parent: str | None
    L: float
    diam: float
    cm: float
    g_pas: float
    e_pas: float
    Ra: float
    v_init: float
    mechanisms: tuple[DensityPlan, ...] = ()
    ions: tuple[tuple[str, float], ...] = ()
    #: Ions whose reversal ``ions`` sets though a mechanism writes their concentration:
    #: the section's ion style holds it (neither initialised nor advanced from them).
    held_ions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointPlan:
    """One point process at the middle of ``section``: a ``kind`` (synapse, dspike,
    spiker, noise, or nmodl for a point process of the model's own), the NMODL
    ``mechanism``, a ``label`` (``AMPA_x`` for a synapse, the dspike's name, ``spiker``,
    ``noise`` or the point process's label) and ``params`` in NEURON units."""

    kind: str
    mechanism: str
    section: str
    label: str
    params: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class CellPlan:
    """Everything NEURON needs to build one cell of a model. ``variables``: the user's
    equation variables a recording may ask for, as ``(name, section, NEURON range
    variable)`` (``("Ca_dend", "dend", "Ca_dend_eqs_dend_<hash>")``)."""

    model_name: str
    class_name: str
    sections: tuple[SectionPlan, ...]
    points: tuple[PointPlan, ...]
    spike_section: str | None
    globals: tuple[tuple[str, float], ...] = ()
    mechanisms: tuple[Mechanism, ...] = ()
    variables: tuple[tuple[str, str, str], ...] = ()


def class_name(model_name: str) -> str:
    """``reduced_pyramidal`` -> ``ReducedPyramidal`` (a HOC template and Python class name)."""
    name = "".join(part[:1].upper() + part[1:] for part in model_name.split("_") if part)
    return name if name[:1].isalpha() else f"Cell{name}"


def _required(value, obj: str, param: str):
    if value is None:
        raise ModelError("has no value, which NEURON needs", obj=obj, param=param,
                         hint="set it on the compartment or the model before building for NEURON")
    return value


def _tree(model: ReducedModel) -> dict[str, str | None]:
    """Parent of each compartment in a tree rooted at the soma."""
    if not model.is_tree():
        raise TopologyError(f"the coupling graph has {len(model.couplings)} couplings for "
                            f"{len(model.compartments)} compartments, so it has a cycle", obj=f"model {model.name}",
                            param="couplings", expected="a tree (compartments - 1 couplings)",
                            hint="NEURON sections form a tree; remove one coupling of each loop")
    root = model.soma.name
    parents: dict[str, str | None] = {root: None}
    order = [root]
    for here in order:
        for other in model.neighbours(here):
            if other not in parents:
                parents[other] = here
                order.append(other)
    return {name: parents[name] for name in model.compartment_names}


def _section(model: ReducedModel, comp: CompartmentSpec, parent: str | None) -> SectionPlan:
    obj = f"compartment {comp.name}"
    if comp.dimensionless:
        length, diam = RC_LENGTH, RC_DIAMETER
    else:
        length = to_neuron(_required(comp.length, obj, "length"), METRE)
        diam = to_neuron(_required(comp.diameter, obj, "diameter"), METRE)
        if comp.density_channels:
            diam *= comp.area_factor  # channel densities act on the model's whole membrane area
    area = math.pi * length * diam * 1e-12  # m2: NEURON's area of a one-segment section
    capacitance = _required(comp.capacitance, obj, "capacitance (cm)")
    leak = _required(comp.g_leak, obj, "leak conductance (gl)")
    v_rest = to_neuron(_required(comp.v_rest, obj, "v_rest"), VOLT)
    ra = 35.4  # the root's Ra touches no coupling
    if parent is not None:
        coupling = next(c for c in model.couplings if set(c.ends) == {comp.name, parent})
        g = _required(model.coupling_conductance(coupling), f"coupling {coupling.a}-{coupling.b}", "g")
        half_length_cm, diam_cm = length * 1e-4 / 2, diam * 1e-4
        ra = (1.0 / g) * (math.pi * diam_cm ** 2 / 4) / half_length_cm
    if comp.density_channels and comp.dimensionless:
        raise ModelError("density channels need a membrane area", obj=obj, param="channels",
                         hint="give the compartment a length and a diameter instead of cm_abs/gl_abs")
    mechanisms, ions, held = section_channels(comp)
    return SectionPlan(comp.name, parent, length, diam, specific_capacitance(capacitance, area),
                       specific_conductance(leak, area), v_rest, ra, v_rest, mechanisms, ions, held)


def _synapse_point(model: ReducedModel, comp: CompartmentSpec, syn) -> PointPlan:
    obj = f"compartment {comp.name} synapse {syn.name}"
    g = model.globals
    params = [("g", to_neuron(_required(syn.g_effective, obj, "g"), SIEMENS)),
              ("tau_decay", _ms(_required(syn.t_decay, obj, "t_decay")))]
    if syn.rise_decay:
        if math.isclose(syn.t_rise, syn.t_decay):
            raise UnsupportedFeatureError("t_rise equals t_decay, which the exact two-exponential NMODL "
                                          "synapse cannot represent", obj=obj, param="t_rise",
                                          expected="t_rise != t_decay", hint="change one of them by a few percent")
        params.append(("tau_rise", _ms(syn.t_rise)))
    params += [("e", to_neuron(g[f"E_{syn.channel}"], VOLT)), ("w", syn.weight)]
    if syn.channel == "NMDA":
        params += [("mg", g["Mg_con"]), ("alpha", g["Alpha_NMDA"]), ("beta", g["Beta_NMDA"]),
                   ("gamma", g["Gamma_NMDA"])]
    mechanism = mechanism_name(syn.rise_decay, syn.channel == "NMDA")
    return PointPlan("synapse", mechanism, comp.name, syn.name, tuple(params))


def _dspike_point(comp: CompartmentSpec, ds) -> PointPlan:
    obj = f"compartment {comp.name} dspike {ds.name}"
    params = [("g_rise", to_neuron(_required(ds.g_rise, obj, "g_rise"), SIEMENS)),
              ("g_fall", to_neuron(_required(ds.g_fall, obj, "g_fall"), SIEMENS)),
              ("e_rise", to_neuron(_required(ds.reversal_rise, obj, "reversal_rise"), VOLT)),
              ("e_fall", to_neuron(_required(ds.reversal_fall, obj, "reversal_fall"), VOLT)),
              ("vthresh", to_neuron(_required(ds.threshold, obj, "threshold"), VOLT))]
    for attr in dspike.DURATIONS:
        params.append((attr, _ms(_required(getattr(ds, attr), obj, attr))))
    return PointPlan("dspike", dspike.NAME, comp.name, ds.name, tuple(params))


def _noise_point(comp: CompartmentSpec) -> PointPlan:
    n = comp.noise
    params = (("mean", to_neuron(n.mean, AMPERE)), ("sigma", to_neuron(n.sigma, AMPERE)), ("tau", _ms(n.tau)))
    return PointPlan("noise", noise.NAME, comp.name, "noise", params)


def _namespace(model: ReducedModel) -> dict:
    """Every parameter of the model as a Brian 2 quantity, for constant expressions."""
    params = list(model.globals.params) + [p for c in model.compartments for p in c.params] + list(model.params)
    return {p.name: quantity(p.value, p.dimension) for p in params}


def _param(model: ReducedModel, comp: CompartmentSpec, name: str, suffixed: bool = True):
    key = name + ("" if model.point or not suffixed else f"_{comp.name}")
    for p in list(comp.params) + list(model.params):
        if p.name == key:
            return p
    raise ModelError(f"the {comp.membrane} membrane needs parameter {key!r}", obj=f"compartment {comp.name}",
                     param=key, hint=f"add it with add_params({{'{key}': ...}})")


def _ms(seconds: float) -> float:
    return seconds * 1e3


def _ms_param(param) -> float:
    return _si(param, SECOND)


def _si(param, unit_dim) -> float:
    if param.dimension != unit_dim:
        raise ModelError(f"has dimension {param.dimension}", obj="parameter", param=param.name,
                         expected=dimension_name(unit_dim))
    return to_neuron(param.value, unit_dim)


def _adaptation_params(model: ReducedModel, comp: CompartmentSpec) -> list[tuple[str, float]]:
    kind = ADAPTATION[comp.membrane]
    params = [("adaptation", float(kind)), ("cap", comp.capacitance * 1e9)]  # nF
    if kind in (1, 2):
        params += [("a", _si(_param(model, comp, "a"), SIEMENS)), ("tauw", _ms_param(_param(model, comp, "tauw"))),
                   ("el", to_neuron(comp.v_rest, VOLT))]
    if kind == 2:
        params += [("gl", to_neuron(comp.g_leak, SIEMENS)), ("deltat", _si(_param(model, comp, "DeltaT"), VOLT)),
                   ("vt", _si(_param(model, comp, "Vth"), VOLT))]
    if kind == 3:
        params += [("gamax", _si(_param(model, comp, "gAmax", False), SIEMENS)),
                   ("ea", _si(_param(model, comp, "EA", False), VOLT)),
                   ("taua", _ms_param(_param(model, comp, "tauA", False)))]
    return params


def _voltage_owner(model: ReducedModel, variable: str) -> str | None:
    if model.point:
        return model.compartments[0].name if variable == "V" else None
    if variable.startswith("V_") and variable[2:] in model.compartment_names:
        return variable[2:]
    return None


def _reset_params(model: ReducedModel, comp: CompartmentSpec, statements, second: bool, ns: dict):
    tag = "2" if second else ""
    obj = "spiking"
    param = "second_reset" if second else "reset"
    suffix = "" if model.point else f"_{comp.name}"
    out = []
    for st in statements:
        value = evaluate(st.expression, ns, obj, param)
        if _voltage_owner(model, st.variable) == comp.name and st.operator == "=":
            out += [(f"reset{tag}_v", 1.0), (f"v_reset{tag}", _checked(value, VOLT, st, obj, param))]
        elif st.variable == f"w{suffix}" and st.operator in ("+=", "-=") and ADAPTATION[comp.membrane] in (1, 2):
            sign = 1.0 if st.operator == "+=" else -1.0
            out.append((f"w_jump{tag}", sign * _checked(value, AMPERE, st, obj, param)))
        elif st.variable == "gA" and st.operator in ("+=", "-=") and comp.membrane == "cadIF":
            sign = 1.0 if st.operator == "+=" else -1.0
            out.append((f"ga_jump{tag}", sign * _checked(value, SIEMENS, st, obj, param)))
        else:
            raise UnsupportedFeatureError(f"reset statement {str(st)!r} cannot be expressed in NMODL", obj=obj,
                                          param=param, expected=f"'V{suffix} = value', 'w{suffix} += value' "
                                          "or 'gA += value' on the spiking compartment")
    return out


def _checked(value, dim, statement, obj, param) -> float:
    if dimension_of(value) != dim:
        raise UnsupportedFeatureError(f"{str(statement)!r} has the wrong unit", obj=obj, param=param,
                                      expected=dimension_name(dim))
    return to_neuron(float(value), dim)


def _spiker_point(model: ReducedModel, comp: CompartmentSpec, spiking) -> PointPlan:
    params = _adaptation_params(model, comp)
    if spiking is not None:
        ns = _namespace(model)
        _, rhs = split_threshold(spiking.threshold)
        value = evaluate(rhs, ns, "spiking", "threshold")
        params += [("spiking", 1.0), ("vthresh", _checked(value, VOLT, spiking.threshold, "spiking", "threshold")),
                   ("refractory", _ms(spiking.refractory or 0.0))]
        params += _reset_params(model, comp, spiking.reset, False, ns)
        if spiking.spike_width is not None:
            params.append(("spike_width", _ms(spiking.spike_width)))
            params += _reset_params(model, comp, spiking.second_reset, True, ns)
    return PointPlan("spiker", integrate_and_fire.NAME, comp.name, "spiker", tuple(params))


def _equation_mechanisms(model: ReducedModel) -> tuple:
    """``(compartment, mechanism with its NMODL source, DensityPlan, recordable variables,
    the parameter to set to the section's area or None)`` for the user's equations of each
    compartment (see the module docstring)."""
    if not model.equations and not any(c.equations or c.replacements for c in model.compartments) \
            and not model.replacements:
        return ()
    from ..brian2.equation_pieces import equation_pieces
    out = []
    for piece in equation_pieces(model):
        mech = piece.mechanism
        header = (f"The user's equations (add_equations) of compartment {piece.compartment}, read by "
                  "bridge.brian2.equation_pieces.\nThe cell sets the parameter values "
                  f"(sec.<parameter>_{mech.name} = value).")
        mech = replace(mech, source=Source(nmodl_text(mech, header=header), path=f"{mech.name}.mod"))
        params = tuple((f"{name}_{mech.name}", value) for name, value in piece.values if name != piece.area_parameter)
        variables = tuple((name, piece.compartment, f"{own}_{mech.name}") for name, own in piece.variables)
        area = None if piece.area_parameter is None else f"{piece.area_parameter}_{mech.name}"
        out.append((piece.compartment, mech, DensityPlan(mech.name, params), variables, area))
    return tuple(out)


def plan_cell(model: ReducedModel) -> CellPlan:
    """The NEURON plan of ``model`` (its own spiking, if any)."""
    equations = _equation_mechanisms(model)
    parents = _tree(model)
    spike_comp = None
    if model.spiking is not None:
        variable, _ = split_threshold(model.spiking.threshold)
        spike_comp = _voltage_owner(model, variable)
        if spike_comp is None:
            raise UnsupportedFeatureError(f"threshold variable {variable!r} is not a compartment voltage",
                                          obj="spiking", param="threshold",
                                          expected=", ".join("V" if model.point else f"V_{n}"
                                                             for n in model.compartment_names))
    sections, points = [], []
    for comp in model.compartments:
        section = _section(model, comp, parents[comp.name])
        area_um2 = math.pi * section.L * section.diam   # NEURON's area of a one-segment section
        own = tuple(plan if area is None else replace(plan, params=plan.params + ((area, area_um2),))
                    for name, _, plan, _, area in equations if name == comp.name)
        sections.append(replace(section, mechanisms=section.mechanisms + own) if own else section)
        points += [_synapse_point(model, comp, syn) for syn in comp.synapses]
        points += [_dspike_point(comp, ds) for ds in comp.dspikes]
        if comp.noise is not None:
            points.append(_noise_point(comp))
        points += [PointPlan("nmodl", pp.mechanism.name, comp.name, pp.label, point_parameters(comp, pp))
                   for pp in comp.point_processes]
        if ADAPTATION[comp.membrane] or comp.name == spike_comp:
            points.append(_spiker_point(model, comp, model.spiking if comp.name == spike_comp else None))
    return CellPlan(model.name, class_name(model.name), tuple(sections), tuple(points), spike_comp,
                    global_settings(model), model_mechanisms(model) + tuple(mech for _, mech, *_ in equations),
                    tuple(v for *_, variables, _ in equations for v in variables))

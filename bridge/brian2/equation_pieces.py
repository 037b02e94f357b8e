"""The user's equations of a bridge model (``add_equations``) -> NMODL density mechanisms,
one per compartment, read the way :mod:`bridge.brian2.reader` reads a Brian 2 model.

What Brian 2 runs. :mod:`bridge.brian2.equations` appends a compartment's equations (and
the model's) to the group's equations, so they read the compartment voltages
(``V_dend``, ``V`` in a point model), the compartment and model parameters (``add_params``,
and bridge's own: ``EL_dend``, ``C_dend``...), each other and ``t``.

What NEURON runs. The equations of one compartment become one density mechanism (SUFFIX)
inserted in that compartment's section: ``dX/dt`` a STATE, a subexpression an ASSIGNED
variable (computed in the order they read each other, and in INITIAL as well, so that a
recording at t = 0 sees its value), a parameter of the equations a RANGE PARAMETER (0, as
Brian 2 starts it). The compartment's voltage is NEURON's ``v``. Every other name is
a RANGE PARAMETER whose value the cell sets from the model (the file declares no values,
so one compiled file serves every value of them). A name NEURON gives a meaning in every
mechanism (``area``, ``celsius``, ``v``...: the reader's ``NMODL_RESERVED``) takes the
reader's suffix in the file (``area_``); recordings still ask for it by its own name. The
mechanism writes no current: the
user's equations cannot feed the membrane; they are states, subexpressions and
parameters that recordings, thresholds or resets read. States start at 0, as in Brian 2.

Where the model's equations go. An equation of the model (``model.add_equations``) goes
into the compartment whose voltage it reads, or whose variables it reads (through the
other model equations it reads, too); one reading nothing of a compartment goes into the
soma. An equation reading two compartments (``V_soma - V_dend``) is refused: a
mechanism sees the voltage of its own section only.

Units and translation are the reader's: every variable is declared in bridge's coherent
NEURON unit system (:mod:`bridge.brian2.coherent_units`: mV, ms, nA, uS...), unit names
in expressions become their values in it (:class:`bridge.brian2.translation.Translator`),
and a derivative per second becomes one per millisecond by the choice of ``ms`` itself.
NEURON integrates with ``cnexp`` when each equation, its subexpressions inlined, is linear
in its own state, ``derivimplicit`` otherwise.

Refused, with the equation named: ``(unless refractory)`` (the refractory period belongs
to the spike mechanism, which a density mechanism cannot see), white noise (``xi``), and
reading a variable of bridge's own equations other than the compartment voltage
(``I_dend``, synaptic gates), another compartment's voltage or variables, the neuron
index ``i`` or the spike bookkeeping (``lastspike``, ``not_refractory``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from ..errors import ModelError, UnsupportedFeatureError
from ..mechanisms import Assign, Current, Derivative, Mechanism, Unit, Variable
from ..mechanisms.expressions import names as expression_names
from ..mechanisms.expressions import rename
from ..model import Equation, ReducedModel
from ..units import Dimension, dimension_of
from .coherent_units import coherent_unit, in_unit
from .equations import equation_code, model_equations, model_parameters, voltage_name
from .replace_terms import without_replacements
from .reader import NMODL_RESERVED, _check_with_brian2, _declared, _ordered_subexpressions, nmodl_renames
from .translation import Translator, linear_in_own_states

#: Names Brian 2 gives every group besides time: a mechanism cannot read them.
_GROUP_NAMES = {"i", "N", "t_in_timesteps", "not_refractory", "lastspike"}


@dataclass(frozen=True)
class EquationPieces:
    """The user's equations of one compartment as an NMODL density mechanism.

    ``mechanism``: the mechanism (no source yet; its name carries a hash of its content,
    so that different equations never share a name in one NEURON process); ``values``:
    ``(parameter, value)`` in the declared units, which the cell sets; ``variables``: the
    user's variables (states, subexpressions, parameters of the
    equations) a recording may ask for, as ``(name, name in the mechanism)``: a name NEURON
    gives a meaning (``area``, ``celsius``, ``v``) takes the reader's suffix there;
    ``area_parameter``: the parameter the cell sets to its section's area (um2) when the
    mechanism writes a membrane current (``replace_equations``: :mod:`.replace_terms`)."""

    compartment: str
    mechanism: Mechanism
    values: tuple[tuple[str, float], ...]
    variables: tuple[tuple[str, str], ...]
    area_parameter: str | None = None


def equation_pieces(model: ReducedModel) -> tuple[EquationPieces, ...]:
    """The NMODL mechanisms of the user's equations of ``model``, by compartment (none
    when it has none). See the module docstring."""
    model, currents = without_replacements(model)
    if not model.equations and not any(c.equations for c in model.compartments):
        return ()
    homes = _homes(model)
    pieces = []
    for comp in model.compartments:
        equations = [eq for eq, home in homes if home == comp.name]
        if equations:
            pieces.append(_pieces(model, comp.name, equations, currents.get(comp.name)))
    return tuple(pieces)


def _reads(eq: Equation) -> set[str]:
    return expression_names(eq.expression) if eq.expression is not None else set()


def _describe(eq: Equation, where: str) -> str:
    return f"equation {eq.variable} ({where})"


def _homes(model: ReducedModel) -> list[tuple[Equation, str]]:
    """Each user equation with the compartment whose mechanism computes it."""
    voltages = {voltage_name(model, c.name): c.name for c in model.compartments}
    owner = {eq.variable: c.name for c in model.compartments for eq in c.equations}
    placed: list[tuple[Equation, str]] = []
    for comp in model.compartments:
        for eq in comp.equations:
            for name in sorted(_reads(eq)):
                other = voltages.get(name) or owner.get(name)
                if other is not None and other != comp.name:
                    what = "the voltage" if name in voltages else "a variable"
                    raise UnsupportedFeatureError(
                        f"reads {name}, {what} of compartment {other}", obj=_describe(eq, f"compartment {comp.name}"),
                        param="equations", expected=f"{voltage_name(model, comp.name)}, the compartment's own "
                                                    "variables and parameters",
                        hint="NEURON computes a compartment's equations in its own section, which sees that "
                             "section's voltage only; move the equation to the model or to the other compartment")
            placed.append((eq, comp.name))
    # model equations: the compartment they read, directly or through each other
    model_vars = {eq.variable: eq for eq in model.equations}
    read_by = {eq.variable: set() for eq in model.equations}
    for comp in model.compartments:   # a compartment equation reading a model variable pulls it in
        for eq in comp.equations:
            for name in _reads(eq) & set(model_vars):
                read_by[name].add((comp.name, eq.variable))
    groups: dict[str, set[str]] = {v: {v} for v in model_vars}
    for eq in model.equations:
        for name in _reads(eq) & set(model_vars):
            merged = groups[eq.variable] | groups[name]
            for member in merged:
                groups[member] = merged
    for eq in model.equations:
        group = groups[eq.variable]
        found: dict[str, str] = {}   # compartment -> what ties the group to it
        for member in sorted(group):
            for name in sorted(_reads(model_vars[member])):
                comp = voltages.get(name) or owner.get(name)
                if comp is not None:
                    found.setdefault(comp, f"{member} reads {name}")
            for comp, variable in sorted(read_by[member]):
                found.setdefault(comp, f"{variable} of compartment {comp} reads {member}")
        if len(found) > 1:
            reasons = "; ".join(found[c] for c in sorted(found))
            raise UnsupportedFeatureError(
                f"reads {len(found)} compartments ({reasons})", obj=_describe(eq, "model"), param="equations",
                expected="equations that read one compartment's voltage and variables",
                hint="NEURON computes the equations in one section, which sees that section's voltage only")
        placed.append((eq, next(iter(found)) if found else model.soma.name))
    return placed


def _pieces(model: ReducedModel, comp: str, equations: list[Equation], current: str | None = None) -> EquationPieces:
    """One compartment's equations -> its density mechanism (see the module docstring);
    ``current``: the subexpression (amp, into the cell) it writes into the membrane."""
    import brian2 as b
    from brian2.core.namespace import DEFAULT_CONSTANTS, DEFAULT_UNITS

    obj = f"compartment {comp}"
    voltage = voltage_name(model, comp)
    by_variable = {eq.variable: eq for eq in equations}
    for eq in equations:
        where = f"equation {eq.variable}"
        for flag in eq.flags:
            if flag == "unless refractory":
                raise UnsupportedFeatureError(
                    "has the flag (unless refractory), which NEURON cannot express here", obj=where, param=flag,
                    expected="no flag, or (constant)",
                    hint="The refractory period belongs to the spike mechanism, which the density mechanism "
                         "of the user's equations does not see; drop the flag or simulate with Brian 2")
            if flag != "constant":
                raise UnsupportedFeatureError(f"has the flag ({flag}), which NEURON cannot express here", obj=where,
                                              param=flag, expected="no flag, or (constant)")
    code = "\n".join(equation_code(eq) for eq in equations)
    try:
        eqs = b.Equations(code)
    except Exception as exc:  # noqa: BLE001 (Brian 2's parser reports the position)
        raise ModelError(" ".join(str(exc).split()), obj=obj, param="equations") from None
    if eqs.stochastic_variables:
        noisy = [n for n in eqs.diff_eq_names if eqs[n].expr.stochastic_variables]
        raise UnsupportedFeatureError(f"has white noise ({', '.join(sorted(eqs.stochastic_variables))})",
                                      obj=f"equation {noisy[0]}", param="equations",
                                      expected="deterministic equations",
                                      hint="NEURON's density mechanisms here draw no random numbers; add noise with "
                                           "compartment.noise(...) or simulate with Brian 2")

    # every name the equations read: their own, the voltage, t, the model's numbers, units
    namespace = model_parameters(model, b.defaultclock.dt)
    own_equations = set(b.Equations(model_equations(model)).names) - {
        eq.variable for c in model.compartments for eq in c.equations} - {eq.variable for eq in model.equations}
    values, literals, checked = {}, {}, {}
    for name in sorted(set().union(*(_reads(eq) for eq in equations)) - set(eqs.names) - {voltage, "t", "dt"}):
        reader = next(eq.variable for eq in equations if name in _reads(eq))
        where = f"equation {reader}"
        if name in own_equations or name in _GROUP_NAMES:
            raise UnsupportedFeatureError(
                f"reads {name}, a variable of bridge's own equations", obj=where, param=name,
                expected=f"{voltage}, the user's equations and parameters", hint="NEURON's mechanism of the user's "
                "equations sees the section's voltage only; simulate this model with Brian 2")
        value = namespace.get(name, DEFAULT_UNITS.get(name, DEFAULT_CONSTANTS.get(name)))
        if value is None:
            raise ModelError(f"reads {name}, which has no value", obj=where, param=name,
                             hint=f"add it with add_params({{'{name}': ...}})")
        if isinstance(value, int) and not isinstance(value, bool) and name in namespace:
            raise UnsupportedFeatureError(f"reads {name}, a number of time steps (it depends on dt)", obj=where,
                                          param=name, expected="parameters of the model")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UnsupportedFeatureError(f"reads {name}, which is not a number", obj=where, param=name) from None
        unit = coherent_unit(dimension_of(value), f"{where} {name}")
        if name in namespace:
            values[name] = (in_unit(number, unit), unit)
            checked[name] = value
        else:
            literals[name] = in_unit(number, unit)
    try:   # Brian 2 checks the dimensions, with the voltage as a parameter
        _check_with_brian2(b.Equations(f"{code}\n{voltage} : volt"), None, None, None, checked)
    except ModelError as exc:
        raise exc.amend(obj=obj) from None

    translate = Translator(literals, obj).text
    # the voltage is NEURON's v; names NEURON gives a meaning (area, celsius, v...) take a suffix
    to_nmodl = {voltage: "v", **nmodl_renames(set(eqs.names) | set(values), (*NMODL_RESERVED, "v"))}

    def nmodl(name: str) -> str:
        return to_nmodl.get(name, name)

    def text(eq_name: str) -> str:
        return rename(translate(eqs[eq_name].expr.code), to_nmodl)

    dims = {n: Dimension(tuple(eqs[n].dim._dims)) for n in eqs.names}
    variables = [Variable(nmodl(n), unit, "parameter", None) for n, (_, unit) in values.items()]
    settings = [(nmodl(n), number) for n, (number, _) in values.items()]
    for n in _declared(eqs, eqs.parameter_names):
        variables.append(Variable(nmodl(n), coherent_unit(dims[n], f"equation {n}"), "parameter", None))
        settings.append((nmodl(n), 0.0))   # Brian 2 starts a parameter of the equations at 0
    step, initial, derivatives = [], [], []
    subexpressions = _ordered_subexpressions(eqs)
    for n in subexpressions:
        variables.append(Variable(nmodl(n), coherent_unit(dims[n], f"equation {n}"), "assigned"))
        step.append(Assign(nmodl(n), text(n)))
    for n in _declared(eqs, eqs.diff_eq_names):
        state = nmodl(n)
        variables.append(Variable(state, coherent_unit(dims[n], f"equation {n}"), "state"))
        derivatives.append(Derivative(state, text(n)))
        initial.append(Assign(state, "0.0"))   # Brian 2's initial value
    linear = linear_in_own_states(derivatives, {st.target: st.expression for st in step})
    initial += [Assign(nmodl(n), text(n)) for n in subexpressions]   # a recording at t = 0 sees them
    writes, area = (), None
    if current is not None:   # NEURON's outward density (mA/cm2) from a current into the cell (nA)
        taken = set(eqs.names) | set(values)
        area, density = (_free(name, taken) for name in ("membrane_area", "i_replaced"))
        variables += [Variable(area, Unit("um2", 1e-12, Dimension((2, 0, 0, 0, 0, 0, 0))), "parameter", None),
                      Variable(density, Unit("mA/cm2", 10.0, Dimension((-2, 0, 0, 1, 0, 0, 0))), "assigned")]
        settings.append((area, 0.0))   # the cell sets its section's area
        step.append(Assign(density, f"-100 * {nmodl(current)} / {area}"))
        writes = (Current(density),)
    mechanism = Mechanism("eqs", kind="density", variables=tuple(variables), initial=tuple(initial),
                          step=tuple(step), derivatives=tuple(derivatives), currents=writes,
                          method="cnexp" if linear else "derivimplicit")
    digest = hashlib.sha256(repr(mechanism).encode()).hexdigest()[:8]
    mechanism = replace(mechanism, name=f"eqs_{comp}_{digest}")
    user = tuple((n, nmodl(n)) for n in eqs.names if n in by_variable)
    return EquationPieces(comp, mechanism, tuple(settings), user, area)


def _free(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    return name


__all__ = ["EquationPieces", "equation_pieces"]

"""``bridge.from_brian2``: a neuron model as a Brian 2 user writes it -> a bridge model that
:func:`bridge.simulate` runs in Brian 2 (the user's own equations) and in NEURON and
CoreNEURON (the generated NMODL of :mod:`bridge.brian2.reader`).

It takes what ``NeuronGroup`` takes, or a ``NeuronGroup`` itself. As in Brian 2, names the
equations use but ``namespace`` does not give are looked up where ``from_brian2`` is called
(the caller's local and global variables)."""

from __future__ import annotations

import hashlib

from .errors import ModelError, UnsupportedFeatureError
from .model.equation_model import EquationModel
from .units import Dimension, dimension_of, to_si, unit_code


METRE_2 = Dimension((2, 0, 0, 0, 0, 0, 0))


def _entries(values: dict, obj: str, param: str) -> tuple:
    from brian2.core.functions import Function

    from .brian2.functions import FUNCTIONS
    out = []
    for name, value in sorted(values.items()):
        if isinstance(value, Function):
            if FUNCTIONS.get(name) is not value:
                raise UnsupportedFeatureError(f"the function {name}", obj=obj, param=param,
                                              expected="Brian 2's functions and bridge's ifelse")
            continue   # bridge's own: the Brian 2 run adds it
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ModelError(f"{name} = {value!r} is not a number with units", obj=obj, param=param) from None
        out.append((name, number, dimension_of(value)))
    return tuple(out)


def _identifiers(equations, *codes) -> set:
    """The external names of the equations and of the code strings (Brian 2's own reading)."""
    from brian2.utils.stringtools import get_identifiers
    names = set(equations.identifiers)
    for code in codes:
        if isinstance(code, str):
            names |= get_identifiers(code)
    return names


def equations_text(eqs) -> str:
    """Brian 2 equations as text Brian 2 reads back (``str(Equations)`` writes units such as
    ``V``, which its parser does not take)."""
    from brian2.equations.equations import BOOLEAN, DIFFERENTIAL_EQUATION, INTEGER, SUBEXPRESSION
    lines = []
    for eq in eqs.ordered:
        unit = {BOOLEAN: "boolean", INTEGER: "integer"}.get(eq.var_type) or unit_code(dimension_of(eq))
        left = {DIFFERENTIAL_EQUATION: f"d{eq.varname}/dt = ", SUBEXPRESSION: f"{eq.varname} = "}.get(
            eq.type, eq.varname)
        expression = eq.expr.code if eq.expr is not None else ""
        flags = f" ({', '.join(eq.flags)})" if eq.flags else ""
        lines.append(f"{left}{expression} : {unit}{flags}")
    return "\n".join(lines)


def _namespace(given, equations, codes, scope: dict) -> dict:
    """``given`` completed, as Brian 2 resolves names, from ``scope``: numbers and
    quantities the model uses, unit names left to Brian 2's own."""
    import numpy as np
    from brian2.core.namespace import DEFAULT_CONSTANTS, DEFAULT_UNITS
    from brian2.units.fundamentalunits import Quantity, Unit
    namespace = dict(given or {})
    used = _identifiers(equations, *codes) - set(equations.names) - set(namespace) - set(DEFAULT_UNITS) \
        - set(DEFAULT_CONSTANTS)
    for name in sorted(used & set(scope)):
        value = scope[name]
        if isinstance(value, (int, float, np.number, Quantity)) and not isinstance(value, (bool, Unit)):
            namespace[name] = value
    return namespace


def _uniform(owner, name: str, obj: str, members: str):
    """The one value of ``owner``'s variable ``name`` over its ``members`` (neurons,
    synapses); refused when there is none or more than one: bridge converts one neuron."""
    array = getattr(owner, name)[:]
    distinct = len(set(float(x) for x in array))
    if distinct != 1:
        raise UnsupportedFeatureError(f"{name} has {'no values' if not distinct else 'different values'} over the "
                                      f"{len(array)} {members}", obj=obj, param=name,
                                      expected=f"one value for every one of the {members}",
                                      hint="bridge converts one neuron; give uniform values")
    return array[0]


def _of_group(group, obj: str) -> dict:
    """``from_brian2``'s arguments of a ``NeuronGroup``: its equations, threshold, reset,
    refractoriness, method and namespace; per-neuron parameters and initial values from
    its (uniform) state."""
    import brian2 as b
    if isinstance(group, b.SpatialNeuron):
        raise UnsupportedFeatureError("a SpatialNeuron (a morphology)", obj=obj, param="equations",
                                      expected="a NeuronGroup", hint="bridge converts point-neuron equations; "
                                      "describe a multi-compartment cell with bridge's compartments")
    extra = set(group.events) - {"spike"}
    if extra:
        raise UnsupportedFeatureError(f"custom events ({', '.join(sorted(extra))})", obj=obj, param="events",
                                      expected="a threshold and a reset")
    eqs = group.user_equations
    values = {name: _uniform(group, name, obj, "neurons") for name in [*eqs.diff_eq_names, *eqs.parameter_names]}
    refractory = group._refractory
    return dict(equations=eqs, threshold=group.events.get("spike"), reset=group.event_codes.get("spike"),
                refractory=None if refractory is False else refractory,
                namespace={**(group.namespace or {}), **{n: values[n] for n in eqs.parameter_names}},
                method=group.method_choice if isinstance(group.method_choice, str) else None,
                initial={n: values[n] for n in eqs.diff_eq_names})


def _of_synapses(synapses, obj: str) -> tuple[str, dict]:
    """``(on_pre, namespace)`` of a ``Synapses`` onto the neuron: its ``on_pre`` code with
    the target's variables by their own names, and its (uniform) synaptic values."""
    from brian2.utils.stringtools import get_identifiers, word_substitute
    if synapses.event_driven is not None and len(synapses.event_driven):
        raise UnsupportedFeatureError(f"event-driven Synapses equations ({', '.join(synapses.event_driven.names)})",
                                      obj=obj, param="on_pre", expected="Synapses whose on_pre only updates the "
                                      "neuron", hint="bridge converts one neuron; plasticity belongs to a network")
    own = synapses.equations
    if own.diff_eq_names or own.subexpr_names or set(synapses._synaptic_updaters) != {"pre"}:
        raise UnsupportedFeatureError("Synapses with equations or pathways of their own", obj=obj, param="on_pre",
                                      expected="on_pre updates of the neuron and synaptic constants")
    code = synapses.pre.code
    names = get_identifiers(code)
    if any(n.endswith("_pre") for n in names):
        raise UnsupportedFeatureError(f"on_pre reads the presynaptic group ({code!r})", obj=obj, param="on_pre")
    values = {name: _uniform(synapses, name, obj, "synapses") for name in sorted(own.parameter_names & names)}
    renames = {n: n[:-len("_post")] for n in names if n.endswith("_post")}
    return word_substitute(code, renames), {**(synapses.namespace or {}), **values}


def from_brian2(equations, threshold=None, reset=None, refractory=None, namespace=None, method=None,
                name: str = "soma", *, model_name: str = "brian2_model", initial=None, voltage=None,
                input=None, on_pre=None, scope: dict | None = None, area=None) -> EquationModel:
    """A one-compartment bridge model (compartment ``name``) whose dynamics are the user's
    Brian 2 equations.

    ``equations``, ``threshold``, ``reset``, ``refractory`` (a time or a condition),
    ``namespace`` and ``method`` are what ``NeuronGroup`` takes, and ``equations`` may be
    a ``NeuronGroup`` itself (its per-neuron values and current state become the
    parameters and initial values). ``initial`` gives initial values (``{"v": -70*mV}``),
    ``voltage`` names the membrane potential when more than one variable is in volt (or
    a dimensionless one, read as mV in NEURON), ``input`` the parameter a
    :class:`bridge.Step` drives, ``on_pre`` what an incoming spike does (a
    :class:`bridge.SpikeTrain` into the compartment, any synapse name): a statement, or a
    ``Synapses`` onto the neuron whose ``on_pre`` it takes (``ge_post += w`` with a uniform
    synaptic ``w``; event-driven equations are refused). Brian 2 checks
    the model first; bad units, missing constants and constructs NMODL cannot express are
    bridge errors naming them. ``area``: the membrane area of NEURON's section (default: the
    area that gives the model's own capacitance, if it divides its currents by one, at
    1 uF/cm2). Names that ``namespace`` does not give are looked up in
    ``scope`` (a dict of variables), by default the caller's variables, as Brian 2 does.

    Example::

        model = bridge.from_brian2("dv/dt = (EL - v + R*I)/tau : volt (unless refractory)\\nI : amp",
                                   threshold="v > -50*mV", reset="v = -65*mV", refractory=2*ms,
                                   namespace={"EL": -70*mV, "R": 100*Mohm, "tau": 10*ms},
                                   initial={"v": -70*mV}, input="I")
        bridge.simulate(model, "neuron", [bridge.Step("soma", 0.3*nA, 50*ms, 450*ms)])
    """
    import brian2 as b
    from brian2.core.namespace import get_local_namespace

    from .brian2.reader import equations_of, read_brian2
    obj = f"model {model_name}"
    if isinstance(equations, b.NeuronGroup):
        given = _of_group(equations, obj)
        namespace = {**given.pop("namespace"), **(namespace or {})}
        initial = {**given.pop("initial"), **(initial or {})}
        equations, threshold, reset, refractory = (given[k] for k in ("equations", "threshold", "reset",
                                                                      "refractory"))
        method = method or given["method"]
    if isinstance(on_pre, b.Synapses):
        on_pre, synaptic = _of_synapses(on_pre, obj)
        namespace = {**synaptic, **(namespace or {})}
    eqs = equations_of(equations)
    namespace = _namespace(namespace, eqs, (threshold, reset, refractory, on_pre),
                           get_local_namespace(1) if scope is None else scope)
    text = equations if isinstance(equations, str) else equations_text(eqs)
    digest = hashlib.sha256(repr((text, threshold, reset, refractory, sorted(namespace.items(), key=str),
                                  method, sorted((initial or {}).items(), key=str), voltage, input,
                                  on_pre)).encode()).hexdigest()[:8]
    read = read_brian2(eqs, threshold, reset, refractory, namespace, name=f"{model_name}_{digest}",
                       initial=initial, voltage=voltage, input=input, method=method, on_pre=on_pre)
    return EquationModel(
        model_name, name, text, read.mechanism, read.voltage, threshold=threshold, reset=reset,
        refractory=refractory if refractory is None or isinstance(refractory, str) else float(refractory),
        namespace=_entries(namespace, obj, "namespace"),
        initial=_entries(dict(initial or {}), obj, "initial"), method=method, input=input, on_pre=on_pre,
        capacitance=read.capacitance, area=to_si(area, METRE_2, obj, "area"))

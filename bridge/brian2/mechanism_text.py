"""One converted mechanism as a readable Python file for Brian 2 (``bridge convert``).

:func:`brian2_text` is pure: the same mechanism always gives the same text. It puts the
mechanism alone in a one-compartment point model and asks the Brian 2 channel printer
(:func:`bridge.brian2.channels.compartment_channels`) for its lines, namespace and
initial values, so the file holds exactly what a simulation with bridge runs.

The equations use the membrane voltage ``V`` (volt) and define ``I_channels`` (amp, the
current *into* the cell, as Brian 2's membrane equation adds it), for a compartment whose
membrane area is ``area`` (namespace, m2); the caller supplies ``V`` (a membrane equation
or a clamp).
"""

from __future__ import annotations

import math
import pprint
import textwrap

from ..mechanisms import Mechanism

#: Geometry of the compartment the text is printed for (m): 20 x 20 um, as the check uses.
LENGTH = DIAMETER = 20e-6
#: Resting voltage (V) at which the initial values are computed, unless given.
V_REST = -65e-3
CELSIUS = 6.3


def _model(mechanism: Mechanism, celsius: float, v_rest: float):
    from ..model import CompartmentSpec, ReducedModel
    from ..model.channels import Channel
    comp = CompartmentSpec("soma", kind="soma", v_rest=v_rest, length=LENGTH, diameter=DIAMETER, cm=0.01, gl=0.0,
                       channels=(Channel(mechanism),))
    return ReducedModel((comp,), name=f"{mechanism.name}_alone", celsius=celsius, point=True)


def _value(value) -> str:
    """A namespace value as Python source: plain floats, or Brian 2 quantities in SI."""
    from brian2 import Quantity
    if isinstance(value, Quantity):
        return f"{float(value)!r} * {_unit_text(value.dim)}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    return repr(value)


def _base_units(value) -> list[str]:
    """The SI base units ``_value`` writes for ``value`` (``["metre"]`` for an area)."""
    from brian2 import Quantity
    if not isinstance(value, Quantity):
        return []
    return [b for b, p in zip(_BASE, value.dim._dims) if p]


_BASE = ["metre", "kilogram", "second", "amp", "kelvin", "mole", "candela"]


def _unit_text(dim) -> str:
    from brian2.units.fundamentalunits import DIMENSIONLESS
    if dim is DIMENSIONLESS:
        return "1"
    parts = [f"{b}**{p:g}" if p != 1 else b for b, p in zip(_BASE, dim._dims) if p]
    return " * ".join(parts)


def brian2_text(mechanism: Mechanism, *, celsius: float = CELSIUS, v_rest: float = V_REST) -> str:
    """The Brian 2 equations, namespace and initial values of ``mechanism`` alone, as the
    text of a Python module (see the module docstring). ``celsius`` (degC) and ``v_rest``
    (V, where the initial values are computed) are the compartment's."""
    from .channels import compartment_channels
    from .equations import method_options
    model = _model(mechanism, celsius, v_rest)
    block = compartment_channels(model, model.soma, "")
    source = mechanism.source
    name = source.path if source is not None and source.path else "(no source file)"
    digest = source.sha256 if source is not None else "(none)"
    params = ", ".join(f"{p.name} ({p.unit.text})" for p in mechanism.parameters) or "none"
    namespace = "\n".join(f"    {k!r}: {_value(v)}," for k, v in block.namespace.items())
    units = sorted({u for v in block.namespace.values() for u in _base_units(v)})
    lines = [
        f'"""Brian 2 equations of the NMODL mechanism {mechanism.name} ({mechanism.kind}), converted by bridge.',
        "",
        f"Source: {name}",
        f"SHA-256: {digest}",
        "",
        *textwrap.wrap(
            "Every channel variable is a plain number in the unit the .mod file declares (mV, ms, mA/cm2...); "
            f"parameters: {params}. The equations read the membrane voltage V (volt), which the caller "
            "defines, and give I_channels (amp, into the cell) for a compartment of membrane area `area`; "
            f"celsius = {celsius:g} degC; initial values at V = {v_rest * 1e3:g} mV.", 88),
        "",
        "Use: NeuronGroup(1, equations + '\\n<an equation for V>', namespace=namespace,",
        "method='exponential_strang', method_options=method_options), NEURON's own step (the",
        "import of bridge.brian2.methods below registers it; method_options names the states the",
        "file's SOLVE METHOD advances otherwise than cnexp); then set each variable of `initial`",
        "on the group.",
        '"""',
        "",
        *([f"from brian2 import {', '.join(units)}", ""] if units else []),
        "import bridge.brian2.methods  # noqa: F401  (registers method='exponential_strang')",
        "from bridge.brian2.functions import ifelse",
        "",
        "equations = '''",
        *block.lines,
        "'''",
        "",
        "namespace = {",
        namespace,
        "    'ifelse': ifelse,",
        "}",
        "",
        "initial = " + pprint.pformat(dict(block.initial), sort_dicts=False),
        "",
        "method_options = " + pprint.pformat(method_options(model, [block]), sort_dicts=True),
        "",
    ]
    return "\n".join(lines)

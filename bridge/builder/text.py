"""Printable summaries of builder objects (``print(model)``), in Dendrify's layout:
object, equations, parameters, events and the values the user gave, so that tutorials
that print read the same."""

from __future__ import annotations

import pprint

#: The values a compartment was built from, in Dendrify's order (its USER PARAMETERS).
_USER_FIELDS = ("name", "length", "diameter", "cm", "gl", "cm_abs", "gl_abs", "r_axial", "v_rest",
                "scale_factor", "spine_factor")


def _section(title: str, body: str, end: str = "\n\n\n") -> str:
    return f"{title}\n{'-' * len(title)}\n{body}{end}"


def user_parameters(comp) -> dict:
    """What the user gave a compartment, as Brian 2 quantities (Dendrify's USER PARAMETERS)."""
    from ..units import quantity
    from .compartment import _GEOMETRY_UNITS
    spec = comp.description
    values = {}
    for name in _USER_FIELDS:
        value = getattr(spec, name)
        if name in _GEOMETRY_UNITS and value is not None:
            value = quantity(value, _GEOMETRY_UNITS[name])
        values[name] = value
    if spec.dimensionless:   # Dendrify keeps no area factors for an RC compartment
        values["scale_factor"] = values["spine_factor"] = None
    values["_dimensionless"] = spec.dimensionless
    return values


def describe_compartment(comp) -> str:
    text = "\n" + _section("OBJECT", str(type(comp))) + _section("EQUATIONS", comp.equations)
    text += _section("PARAMETERS", pprint.pformat(comp.parameters))
    user = user_parameters(comp)
    if comp.description.kind == "dendrite":
        text += _section("EVENTS", pprint.pformat(comp.event_names))
        text += _section("EVENT CONDITIONS", pprint.pformat(comp.events, width=120))
        user = {k: v for k, v in user.items() if v}
    return text + _section("USER PARAMETERS", pprint.pformat(user), end="")


def describe_model(model) -> str:
    text = "\n" + _section("OBJECT", str(type(model))) + _section("EQUATIONS", model.equations)
    text += _section("PARAMETERS", pprint.pformat(model.parameters))
    if hasattr(model, "config_dspikes"):   # a NeuronModel
        text += _section("EVENTS", pprint.pformat(model.event_names))
        return text + _section("EVENT CONDITIONS", pprint.pformat(model.events, width=120))
    user = {**user_parameters(model._soma), "name": None}   # a point neuron's compartment has no name
    return text + _section("USER PARAMETERS", pprint.pformat(user), end="")

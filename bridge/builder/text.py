"""Printable summaries of builder objects (``print(model)``), in Dendrify's layout:
equations, parameters, events."""

from __future__ import annotations

import pprint


def _section(title: str, body: str) -> str:
    return f"{title}\n{'-' * len(title)}\n{body}\n\n"


def describe_compartment(comp) -> str:
    return (_section("OBJECT", repr(comp)) + _section("EQUATIONS", comp.equations)
            + _section("PARAMETERS", pprint.pformat(comp.parameters)))


def describe_model(model) -> str:
    text = (_section("OBJECT", f"{type(model).__name__} {model.description.name!r}")
            + _section("EQUATIONS", model.equations)
            + _section("PARAMETERS", pprint.pformat(model.parameters)))
    if hasattr(model, "events"):
        text += _section("EVENTS", pprint.pformat(model.event_names))
        text += _section("EVENT CONDITIONS", pprint.pformat(model.events, width=120))
    return text

"""The reduced model itself: one compartment per lumped membrane (an equivalent cylinder
of the same area, length equal to diameter, whose geometry matters only through its
area), the cell's converted channels with the lumped parameters, and the fitted
couplings of the compartment tree."""

from __future__ import annotations

import math

from ..mechanisms import Mechanism
from ..model import CompartmentSpec, Coupling, ReducedModel
from ..model.channels import Channel
from .membrane import LumpedMembrane


def tidy(value: float, digits: int = 12) -> float:
    """``value`` to ``digits`` significant digits (sums of areas leave 0.04999999999999999)."""
    return float(f"{value:.{digits}g}")


def compartment(lumped: LumpedMembrane, mechanisms: dict[str, Mechanism]) -> CompartmentSpec:
    side = math.sqrt(lumped.area / math.pi)           # pi * L * d = area with L = d
    channels = tuple(Channel(mechanisms[name], tuple((p, tidy(v)) for p, v in sorted(values.items())))
                     for name, values in sorted(lumped.channels.items()))
    return CompartmentSpec(lumped.name, kind="soma" if lumped.name == "soma" else "dendrite", membrane="passive",
                           v_rest=tidy(lumped.e_leak), length=tidy(side), diameter=tidy(side), cm=tidy(lumped.cm),
                           gl=tidy(lumped.gl), channels=channels,
                           ions=tuple((k, tidy(v)) for k, v in sorted(lumped.ions.items())))


def reduced_model(membranes: list[LumpedMembrane], couplings: dict[tuple[str, str], float],
                  mechanisms: dict[str, Mechanism], celsius: float, name: str) -> ReducedModel:
    """The model: compartments in the order of ``membranes`` (soma first), couplings
    ``{(child, parent): S}``."""
    comps = tuple(compartment(m, mechanisms) for m in membranes)
    links = tuple(Coupling(parent, child, kind="explicit", g=tidy(g)) for (child, parent), g in couplings.items())
    return ReducedModel(comps, links, name=name, celsius=celsius)

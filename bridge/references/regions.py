"""Where on a detailed morphology a reduced compartment lies: regions by kind of neurite
and path distance from the soma's centre."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ModelError

KINDS = ("soma", "basal", "apical", "axon")
#: The parts of a pyramidal cell's apical tree (found from its topology by
#: ``bridge.neuron.cell_anatomy.apical_regions``); a region of one of them is a subset of
#: the apical kind.
APICAL_PARTS = ("trunk", "oblique", "tuft")
#: Point sites every reference has, in every simulator: the soma's centre and the dendritic
#: point farthest from it along the tree (a sealed end, where attenuation is flat).
SITES = ("soma", "tip")


@dataclass(frozen=True)
class Region:
    """Segments of one ``kind`` (soma, basal, apical, axon, or a part of the apical tree:
    trunk, oblique, tuft) whose centre lies between ``start`` and ``stop`` (um) of path
    distance from the soma's centre."""

    kind: str
    start: float = 0.0
    stop: float = float("inf")

    def __post_init__(self):
        if self.kind not in KINDS + APICAL_PARTS:
            raise ModelError(f"unknown region kind {self.kind!r}", obj="region", param="kind",
                             expected=", ".join(KINDS + APICAL_PARTS))
        if not 0 <= self.start < self.stop:
            raise ModelError(f"range {self.start:g}-{self.stop:g} um", obj=f"region {self.kind}", param="stop",
                             expected="0 <= start < stop")

    def contains(self, kind: str, distance_um: float, part: str | None = None) -> bool:
        """Whether a segment of ``kind`` (and apical ``part``, when known) at ``distance_um``
        lies in this region."""
        return self.kind in (kind, part) and self.start <= distance_um < self.stop

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start_um": self.start, "stop_um": None if self.stop == float("inf") else self.stop}

    @classmethod
    def from_dict(cls, data: dict) -> Region:
        stop = data.get("stop_um")
        return cls(data["kind"], float(data.get("start_um", 0.0)), float("inf") if stop is None else float(stop))


def kind_of_section(name: str, apical_prefixes=("apic", "dendrite_1[")) -> str:
    """The neurite kind of a NEURON section from its name: Import3d names (soma, dend, apic,
    axon) and those of NEURON's pyramid.nrn demo (dendrite_1 is its apical tree)."""
    base = name.split(".")[-1]
    if base.startswith("soma"):
        return "soma"
    if base.startswith("axon"):
        return "axon"
    if base.startswith(apical_prefixes):
        return "apical"
    return "basal"

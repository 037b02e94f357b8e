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
    distance from the soma's centre; with ``leaves`` (``(start, stop)`` in um), only the
    oblique branches that leave the trunk between those path distances."""

    kind: str
    start: float = 0.0
    stop: float = float("inf")
    leaves: tuple[float, float] | None = None

    def __post_init__(self):
        if self.kind not in KINDS + APICAL_PARTS:
            raise ModelError(f"unknown region kind {self.kind!r}", obj="region", param="kind",
                             expected=", ".join(KINDS + APICAL_PARTS))
        if not 0 <= self.start < self.stop:
            raise ModelError(f"range {self.start:g}-{self.stop:g} um", obj=f"region {self.kind}", param="stop",
                             expected="0 <= start < stop")
        if self.leaves is not None:
            if self.kind != "oblique":
                raise ModelError(f"a {self.kind} region with a range of trunk origins", obj=f"region {self.kind}",
                                 param="leaves", expected="leaves only on oblique regions")
            try:
                low, high = (float(v) for v in self.leaves)
            except (TypeError, ValueError):
                raise ModelError(f"leaves {self.leaves!r}", obj="region oblique", param="leaves",
                                 expected="(start, stop) in um") from None
            if not 0 <= low < high:
                raise ModelError(f"leaves {low:g}-{high:g} um", obj="region oblique", param="leaves",
                                 expected="0 <= start < stop")
            object.__setattr__(self, "leaves", (low, high))

    def contains(self, kind: str, distance_um: float, part: str | None = None, origin_um: float | None = None) -> bool:
        """Whether a segment of ``kind`` (and apical ``part``, when known) at ``distance_um``
        lies in this region; ``origin_um``: where its branch leaves the trunk (obliques)."""
        if self.kind not in (kind, part) or not self.start <= distance_um < self.stop:
            return False
        if self.leaves is None:
            return True
        return origin_um is not None and self.leaves[0] <= origin_um < self.leaves[1]

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "start_um": self.start, "stop_um": _bound(self.stop)}
        if self.leaves is not None:
            out["leaves_trunk_um"] = [self.leaves[0], _bound(self.leaves[1])]
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Region:
        stop, leaves = data.get("stop_um"), data.get("leaves_trunk_um")
        if leaves is not None:
            if not isinstance(leaves, (list, tuple)) or len(leaves) != 2:
                raise ModelError(f"leaves_trunk_um {leaves!r}", obj=f"region {data.get('kind')}",
                                 param="leaves_trunk_um", expected="[start, stop] in um (stop null: no limit)")
            leaves = (float(leaves[0]), float("inf") if leaves[1] is None else float(leaves[1]))
        return cls(data["kind"], float(data.get("start_um", 0.0)), float("inf") if stop is None else float(stop),
                   leaves)


def owner(mapping: dict, kind: str, distance_um: float, part: str | None = None,
          origin_um: float | None = None) -> str:
    """The first compartment of ``mapping`` ({name: (Region, ...)}) whose regions contain a
    segment (as :meth:`Region.contains` takes it), or "" when none does."""
    return next((name for name, regions in mapping.items()
                 if any(r.contains(kind, distance_um, part, origin_um) for r in regions)), "")


def _bound(value: float) -> float | None:
    """A range's end as JSON writes it: None for no limit."""
    return None if value == float("inf") else value


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

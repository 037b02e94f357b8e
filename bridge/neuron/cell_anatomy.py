"""The anatomy of a built detailed cell, as data for a reduction: every segment with its
kind, its region of the apical tree, its path distance, area and channel densities.

Regions of a pyramidal cell's apical tree, found from its topology (never hand-set):

- **trunk**: the path from the soma towards the apical point farthest from it, up to the
  main bifurcation;
- **main bifurcation**: the first branch point on that path whose side branch holds at
  least :data:`TUFT_FRACTION` of the apical membrane area (obliques hold less each);
- **tuft**: everything beyond the main bifurcation;
- **oblique**: every other apical branch (side branches of the trunk).

Basal dendrites, soma and axon keep their kind as region.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The smallest share of the apical area a side branch of the trunk must hold to be the
#: tuft's other half (and its branch point the main bifurcation). Oblique branches of
#: layer-5 pyramidal cells hold a few percent each; the tuft's halves tens of percent.
TUFT_FRACTION = 0.1
#: Reversal potentials the table reports where their ion is present.
REVERSALS = ("ena", "ek", "eca")


def segment_table(h, sections: dict) -> pd.DataFrame:
    """One row per segment of ``sections`` (kind -> list of sections, soma first):
    ``section``, ``x``, ``kind``, ``region``, ``distance_um`` (path distance from the soma's
    centre), ``area_um2``, ``cm`` (uF/cm2), ``parent`` (the row of the segment it hangs from,
    -1 for the root), ``r_parent_mohm`` (the axial resistance between their centres), the
    reversal potentials NEURON has there (``ena``, ``ek``... in mV, for the ions present) and
    one column per range PARAMETER of the density mechanisms (``gNaTa_tbar_NaTa_t``,
    ``g_pas``, ``decay_CaDynamics_E2``..., in NEURON's units), 0 where the mechanism is absent."""
    soma = sections["soma"][0]
    h.distance(0, soma(0.5))
    regions = apical_regions(h, sections.get("apical", []))
    rows, cache, parents = [], {}, []
    index = {}
    for kind, secs in sections.items():
        for sec in secs:
            for k, seg in enumerate(sec):
                index[(sec.name(), k)] = len(rows)
                parents.append((sec.name(), k - 1) if k else _parent_segment(sec))
                row = {"section": sec.name(), "x": seg.x, "kind": kind,
                       "region": regions.get(sec.name(), kind), "distance_um": h.distance(seg),
                       "area_um2": seg.area(), "cm": seg.cm, "r_parent_mohm": seg.ri()}
                row.update(_reversals(seg))
                row.update(_parameter_values(h, seg, cache))
                rows.append(row)
    table = pd.DataFrame(rows)
    table.insert(6, "parent", [index.get(p, -1) if p is not None else -1 for p in parents])
    parameters = [c for c in table.columns if c not in REVERSALS]
    table[parameters] = table[parameters].fillna(0.0)
    return table


def _parent_segment(sec):
    """``(section name, segment number)`` of the segment ``sec`` is attached to, or None
    for the root."""
    parent = sec.parentseg()
    if parent is None:
        return None
    segs = list(parent.sec)
    number = min(range(len(segs)), key=lambda k: abs(segs[k].x - parent.x))
    return parent.sec.name(), number


def _reversals(seg) -> dict:
    """NEURON's reversal potential of each ion present in ``seg`` (mV; absent ions are
    left out, NaN in the table)."""
    out = {}
    for name in REVERSALS:
        try:
            out[name] = getattr(seg, name)
        except (NameError, AttributeError):
            continue
    return out


def _parameters(h, mechanism: str) -> list[str]:
    """The range PARAMETERs of a density mechanism (``gNaTa_tbar``, ``g_pas``...), by the
    names NEURON gives them."""
    standard = h.MechanismStandard(mechanism, 1)
    name = h.ref("")
    found = []
    for i in range(int(standard.count())):
        standard.name(name, i)
        found.append(name[0])
    return found


def _parameter_values(h, seg, cache: dict) -> dict:
    """``{<parameter>: value}`` of every density mechanism in ``seg``, as NEURON names them
    (``gNaTa_tbar_NaTa_t``, ``g_pas``)."""
    values = {}
    for mech in seg:
        if mech.name().endswith("_ion"):   # ions are not density mechanisms
            continue
        names = cache.setdefault(mech.name(), _parameters(h, mech.name()))
        for full in names:
            short = full[: -len(mech.name()) - 1] if full.endswith("_" + mech.name()) else full
            values[full] = getattr(mech, short)
    return values


def apical_regions(h, apical: list) -> dict[str, str]:
    """``{section name: trunk | oblique | tuft}`` for the apical sections (see the module
    docstring; path distances from the origin ``h.distance`` has); empty without an apical
    tree."""
    if not apical:
        return {}
    names = {sec.name() for sec in apical}
    children = {sec.name(): [c for c in sec.children() if c.name() in names] for sec in apical}
    by_name = {sec.name(): sec for sec in apical}
    area = {name: sum(seg.area() for seg in by_name[name]) for name in names}

    def subtree(name: str) -> list[str]:
        out, stack = [], [name]
        while stack:
            here = stack.pop()
            out.append(here)
            stack += [c.name() for c in children[here]]
        return out

    total = sum(area.values())
    farthest = max(apical, key=lambda sec: h.distance(sec(1)))
    path = []
    sec = farthest
    while sec is not None and sec.name() in names:
        path.append(sec.name())
        parent = sec.parentseg()
        sec = parent.sec if parent is not None else None
    path.reverse()                                   # soma side first
    regions = {name: "oblique" for name in names}
    bifurcation = len(path)
    for k, name in enumerate(path[:-1]):
        side = [c.name() for c in children[name] if c.name() != path[k + 1]]
        if any(sum(area[s] for s in subtree(c)) >= TUFT_FRACTION * total for c in side):
            bifurcation = k + 1
            for child in [c.name() for c in children[name]]:
                for member in subtree(child):
                    regions[member] = "tuft"
            break
    for name in path[:bifurcation]:
        regions[name] = "trunk"
    return regions


def region_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per region: segment count, area (um2), path-distance range (um) and the
    area-weighted mean of every parameter column."""
    density = [c for c in table.columns if c not in ("section", "x", "kind", "region", "distance_um", "area_um2")]
    out = {}
    for region, rows in table.groupby("region", sort=False):
        weights = rows["area_um2"].to_numpy()
        entry = {"segments": len(rows), "area_um2": float(weights.sum()),
                 "from_um": float(rows["distance_um"].min()), "to_um": float(rows["distance_um"].max())}
        entry.update({c: float(np.average(rows[c], weights=weights)) for c in density})
        out[region] = entry
    return pd.DataFrame(out).T

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

from ..errors import ModelError

#: The smallest share of the apical area a side branch of the trunk must hold to be the
#: tuft's other half (and its branch point the main bifurcation). Oblique branches of
#: layer-5 pyramidal cells hold a few percent each; the tuft's halves tens of percent.
TUFT_FRACTION = 0.1
#: Reversal potentials the table reports where their ion is present.
REVERSALS = ("ena", "ek", "eca")
#: Per reversal, whether NEURON holds it where it is (1.0: the section's ion style neither
#: initialises nor advances it from the concentrations, ``ion_style("ca_ion", 0, 1, 0, 0, 0)``).
HELD = tuple(f"{name}_held" for name in REVERSALS)
#: The table's columns that are not channel parameters.
LAYOUT = ("section", "x", "kind", "region", "distance_um", "origin_um", "area_um2", "cm", "parent", "r_parent_mohm",
          "end", "mechanisms", *REVERSALS, *HELD)


def segment_table(h, sections: dict) -> pd.DataFrame:
    """One row per node of ``sections`` (kind -> list of sections, soma first): each
    segment's centre, and each section's 1-end (and the root's 0-end), the zero-area nodes
    where sections join (``end`` True). Columns: ``section``, ``x``, ``kind``, ``region``,
    ``distance_um`` (path distance from the soma's centre), ``origin_um`` (on an oblique
    branch: the path distance where it leaves the trunk, :func:`oblique_origins`; NaN
    elsewhere), ``area_um2``, ``cm`` (uF/cm2),
    ``parent`` (the row of the node it hangs from, -1 for the root), ``r_parent_mohm`` (the
    axial resistance between the two, so that the rows are NEURON's circuit), ``end``,
    ``mechanisms`` (the density mechanisms inserted there, space-separated: a calcium pool
    whose parameters are all GLOBAL has no column of its own), the
    reversal potentials NEURON has there (``ena``, ``ek``... in mV, for the ions present) and
    one column per range PARAMETER of the density mechanisms (``gNaTa_tbar_NaTa_t``,
    ``g_pas``, ``decay_CaDynamics_E2``..., in NEURON's units), 0 where the mechanism is absent
    (and at the ends, which have no membrane)."""
    soma = sections["soma"][0]
    h.distance(0, soma(0.5))
    regions = apical_regions(h, sections.get("apical", []))
    origins = oblique_origins(h, sections.get("apical", []), regions)
    rows, cache, styles, parents, index = [], {}, {}, [], {}

    def node(sec, key, x, kind, parent, r, seg=None):
        index[(sec.name(), key)] = len(rows)
        parents.append(parent)
        row = {"section": sec.name(), "x": x, "kind": kind, "region": regions.get(sec.name(), kind),
               "distance_um": h.distance(sec(x)), "origin_um": origins.get(sec.name(), np.nan),
               "area_um2": seg.area() if seg is not None else 0.0, "cm": sec.cm if seg is None else seg.cm,
               "r_parent_mohm": r, "end": seg is None,
               "mechanisms": "" if seg is None else " ".join(m.name() for m in seg if not m.name().endswith("_ion"))}
        if seg is not None:
            row.update(_reversals(h, seg, styles))
            row.update(_parameter_values(h, seg, cache))
        rows.append(row)

    for kind, secs in sections.items():
        for sec in secs:
            if sec.parentseg() is None:
                node(sec, "0", 0.0, kind, None, 0.0)
            for k, seg in enumerate(sec):
                node(sec, k, seg.x, kind, (sec.name(), k - 1) if k else _start_node(sec), seg.ri(), seg)
            node(sec, "1", 1.0, kind, (sec.name(), sec.nseg - 1), sec(1).ri())
    table = pd.DataFrame(rows)
    listed = {sec.name() for secs in sections.values() for sec in secs}
    missing = [p[0] for p in parents if p is not None and p not in index]
    # a subtree hanging from a listed section but in no list would be left out unseen
    missing += [child.name() for secs in sections.values() for sec in secs for child in sec.children()
                if child.name() not in listed]
    if missing:
        raise ModelError(f"section {missing[0]} is not among the cell's sections", obj="detailed cell",
                         param="sections", hint="every section of the cell must be in one of its section lists")
    table.insert(6, "parent", [index[p] if p is not None else -1 for p in parents])
    parameters = [c for c in table.columns if c not in (*REVERSALS, "origin_um", "mechanisms")]
    table[parameters] = table[parameters].fillna(0.0)
    return table


def density_mechanisms(sections: dict) -> dict[str, str]:
    """``{mechanism: the first section that inserts it}`` for every density mechanism in
    ``sections`` (kind -> list of sections; ions left out), in the order they are found."""
    found: dict[str, str] = {}
    for secs in sections.values():
        for sec in secs:
            for mech in sec(0.5):
                if not mech.name().endswith("_ion"):
                    found.setdefault(mech.name(), sec.name().split(".")[-1])
    return found


def global_parameters(h, mechanisms) -> dict[str, dict[str, float]]:
    """``{mechanism: {parameter: value}}``: the GLOBAL PARAMETERs of ``mechanisms`` (converted
    Mechanisms by name) as the cell's files have left them in NEURON, in the files' units,
    where they differ from the files' own defaults (a cell's HOC sets them at run time:
    ``vShift_inact_nav12 = 20``, ``taur_cad = 80``), which the segments' RANGE values do not
    hold."""
    found: dict[str, dict[str, float]] = {}
    for name, mech in mechanisms.items():
        for p in mech.parameters:
            if p.scope != "global" or not hasattr(h, f"{p.name}_{name}"):
                continue
            value = float(getattr(h, f"{p.name}_{name}"))
            if value != p.value:
                found.setdefault(name, {})[p.name] = value
    return found


def soma_row(table: pd.DataFrame) -> int:
    """The row of the soma's centre in a :func:`segment_table`."""
    return int(np.flatnonzero((table["kind"] == "soma").to_numpy() & ~table["end"].to_numpy())[0])


def _start_node(sec):
    """The node ``sec``'s 0-end is: ``(section name, key)`` of its parent's node at the
    connection (its 1-end "1", its root 0-end "0", or the centre of the segment whose node
    is nearest)."""
    parent = sec.parentseg()
    if parent is None:
        return sec.name(), "0"
    while parent.x == 0 and parent.sec.parentseg() is not None:
        parent = parent.sec.parentseg()          # a 0-end is the parent's connection node
    if parent.x >= 1:
        return parent.sec.name(), "1"
    if parent.x <= 0:
        return parent.sec.name(), "0"
    centres = [(k + 0.5) / parent.sec.nseg for k in range(parent.sec.nseg)]
    return parent.sec.name(), min(range(len(centres)), key=lambda k: abs(centres[k] - parent.x))


def _held(h, sec, ion: str) -> float:
    """1.0 where the ion style of ``sec`` keeps ``ion``'s reversal as set (NEURON's coded
    style, c_style + 4*e_style + 16*einit + 32*eadvance + ...: einit and eadvance 0)."""
    sec.push()
    try:
        style = int(h.ion_style(f"{ion}_ion"))
    finally:
        h.pop_section()
    return 1.0 if style >= 0 and not style & (16 | 32) else 0.0


def _reversals(h, seg, styles: dict) -> dict:
    """NEURON's reversal potential of each ion present in ``seg`` (mV; absent ions are
    left out, NaN in the table), and whether its section holds it (:data:`HELD`; a
    section's ion style, asked once per section and ion into ``styles``)."""
    out = {}
    for name in REVERSALS:
        try:
            out[name] = getattr(seg, name)
            key = (seg.sec.name(), name)
            if key not in styles:
                styles[key] = _held(h, seg.sec, name[1:])
            out[f"{name}_held"] = styles[key]
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


def main_apical_path(h, apical: list) -> list:
    """The sections from the soma to the apical point farthest from it (path distances from
    the origin ``h.distance`` has), soma side first; empty without an apical tree."""
    names = {sec.name() for sec in apical}
    path, sec = [], max(apical, key=lambda s: h.distance(s(1)), default=None)
    while sec is not None and sec.name() in names:
        path.append(sec)
        parent = sec.parentseg()
        sec = parent.sec if parent is not None else None
    return path[::-1]


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
    path = [sec.name() for sec in main_apical_path(h, apical)]
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


def oblique_origins(h, apical: list, regions: dict[str, str]) -> dict[str, float]:
    """``{oblique section name: path distance (um) of the trunk point its branch leaves}``
    (``regions``: :func:`apical_regions`; distances from the origin ``h.distance`` has)."""
    out = {}
    for sec in apical:
        if regions.get(sec.name()) != "oblique":
            continue
        parent = sec.parentseg()
        while parent is not None and regions.get(parent.sec.name()) == "oblique":
            parent = parent.sec.parentseg()
        out[sec.name()] = h.distance(parent) if parent is not None else 0.0
    return out


def region_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per region: segment count, area (um2), path-distance range (um) and the
    area-weighted mean of every parameter column (the segments' centres only)."""
    if "end" in table:
        table = table[~table["end"]]                       # the section ends have no membrane
    density = [c for c in table.columns if c not in LAYOUT]
    out = {}
    for region, rows in table.groupby("region", sort=False):
        weights = rows["area_um2"].to_numpy()
        entry = {"segments": len(rows), "area_um2": float(weights.sum()),
                 "from_um": float(rows["distance_um"].min()), "to_um": float(rows["distance_um"].max())}
        entry.update({c: float(np.average(rows[c], weights=weights)) for c in density})
        out[region] = entry
    return pd.DataFrame(out).T

"""Which segments of a detailed cell each reduced compartment stands for.

A mapping is ``{compartment: (Region, ...)}`` (regions by neurite kind or apical part and
path distance, :class:`bridge.references.Region`); every segment must fall in exactly one
compartment. The default mapping is computed from the cell's segment table
(:func:`bridge.neuron.cell_anatomy.segment_table`), never hand-set:

- the soma is one compartment; so is the axon when the cell has one, unless its membrane
  varies along it (an initial segment dense in sodium channels, then myelin): then it is
  two, cut where the cut best separates its membrane (its densities alone; an axon's
  length is not what decides where its spikes start), counted within the total when the
  total leaves room. On the SCN2A cell of Asadollahi et al. 2023 the cut falls at the
  initial segment's end (62 um), and without it the reduced cell's threshold is 16% too
  high (docs/reduction.md);
- every dendritic region (basal, apical trunk, tuft; or basal and apical where the
  apical tree has no trunk) gets a share of the remaining compartments in proportion to
  its extent in path distance (at least one each);
- the oblique branches that leave one trunk compartment are one compartment, hung from
  it, within the total (or one fewer, where the trunk's cuts leave no exact count).
  Obliques grouped by their own path distance would join branches that leave the trunk
  far apart: on Hay's cell that doubles the couplings' error of fit at 200 Hz
  (docs/reduction.md);
- each region is cut into its share of distance bins where the cuts best separate its
  membrane: the cuts minimise the area-weighted spread, within bins, of path distance
  and of every channel density (each scaled to its range in the region). A step in a
  density, such as a calcium hot zone, is where a cut goes.

The tree of compartments follows the cell's: a compartment hangs from the compartment
holding the parents of its first segments (the one they reach through the largest axial
conductance, when several).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..neuron.cell_anatomy import LAYOUT
from ..references.regions import Region

#: Regions of the default mapping, soma outwards; the soma and the axon come first.
DENDRITIC = ("basal", "trunk", "oblique", "tuft", "apical")
#: Compartments of the default mapping.
DEFAULT_COMPARTMENTS = 17


def _region_column(table: pd.DataFrame) -> pd.Series:
    """Each segment's default region: its apical part where it has one, else its kind."""
    return table["region"].where(table["region"].isin(DENDRITIC + ("soma", "axon")), table["kind"])


def _bins(rows: pd.DataFrame, count: int, densities: list[str], by_distance: bool = True) -> list[float]:
    """Cut points (um) that split ``rows`` (one region) into ``count`` distance bins with the
    least area-weighted within-bin spread of the densities, and of distance unless
    ``by_distance`` is false (dynamic programming over the segments sorted by distance)."""
    rows = rows.sort_values("distance_um")
    distance = rows["distance_um"].to_numpy()
    weights = rows["area_um2"].to_numpy()
    columns = [(distance - distance.min()) / max(np.ptp(distance), 1e-9)] if by_distance else []
    for name in densities:
        values = rows[name].to_numpy(dtype=float)
        if np.ptp(values) > 0:
            columns.append((values - values.min()) / np.ptp(values))
    if not columns:
        return []
    features = np.stack(columns, axis=1)
    n = len(rows)
    count = min(count, len(np.unique(distance[weights > 0])))   # a bin needs membrane, not only joins
    if count <= 1:
        return []
    # prefix sums for the weighted variance of any run [i, j)
    w = np.concatenate([[0.0], np.cumsum(weights)])
    wx = np.vstack([np.zeros(features.shape[1]), np.cumsum(weights[:, None] * features, axis=0)])
    wxx = np.vstack([np.zeros(features.shape[1]), np.cumsum(weights[:, None] * features ** 2, axis=0)])

    def spread(i: int, j: int) -> float:
        total = w[j] - w[i]
        if total <= 0:
            return 0.0
        mean = (wx[j] - wx[i]) / total
        return float(np.sum(wxx[j] - wxx[i] - total * mean ** 2))

    # a cut may only fall between different distances
    allowed = [k for k in range(1, n) if distance[k] > distance[k - 1]]
    cost = {(0, 0): 0.0}
    back = {}
    ends = allowed + [n]
    for b in range(1, count + 1):
        for j in (ends if b < count else [n]):
            best = None
            for i in [0] + allowed:
                if i >= j or (b - 1, i) not in cost:
                    continue
                c = cost[(b - 1, i)] + spread(i, j)
                if best is None or c < best[0]:
                    best = (c, i)
            if best is not None:
                cost[(b, j)] = best[0]
                back[(b, j)] = best[1]
    cuts, j = [], n
    for b in range(count, 0, -1):
        i = back[(b, j)]
        if i:
            cuts.append(float((distance[i - 1] + distance[i]) / 2))
        j = i
    return _with_membrane(sorted(cuts), distance, weights)


def _with_membrane(cuts: list[float], distance: np.ndarray, weights: np.ndarray) -> list[float]:
    """``cuts`` less those that would leave a bin with no membrane area (only the zero-area
    nodes where sections join)."""
    kept: list[float] = []
    for cut in cuts:
        if weights[(distance >= (kept[-1] if kept else -np.inf)) & (distance < cut)].sum() > 0:
            kept.append(cut)
    if kept and weights[distance >= kept[-1]].sum() <= 0:
        kept.pop()
    return kept


def default_mapping(table: pd.DataFrame, compartments: int = DEFAULT_COMPARTMENTS) -> dict[str, tuple[Region, ...]]:
    """The default mapping of a cell's ``table`` into ``compartments`` compartments (see the
    module docstring)."""
    regions = _region_column(table)
    fixed = [r for r in ("soma", "axon") if (regions == r).any()]
    dendritic = [r for r in DENDRITIC if (regions == r).any()]
    if not isinstance(compartments, int) or compartments < len(fixed) + len(dendritic):
        raise ModelError(f"{compartments!r} compartments cannot hold the cell's {len(fixed) + len(dendritic)} regions "
                         f"({', '.join(fixed + dendritic)})", obj="reduction", param="compartments",
                         expected=f"an integer >= {len(fixed) + len(dendritic)}")
    densities = [c for c in table.columns if c not in LAYOUT]
    axon_cuts = _axon_cuts(table[regions == "axon"], densities) if compartments > len(fixed) + len(dendritic) else []
    fixed_count = len(fixed) + len(axon_cuts)
    follow = "oblique" in dendritic and "trunk" in dendritic     # obliques follow the trunk's compartments
    binned = [r for r in dendritic if not (follow and r == "oblique")]
    spans = np.array([max(np.ptp(table.loc[regions == r, "distance_um"].to_numpy()), 1.0) for r in binned])
    origins = table.loc[regions == "oblique", "origin_um"].to_numpy(dtype=float)
    cut: dict[tuple[str, int], list[float]] = {}   # a region's edges for a count, made once

    def edges_of(region: str, count: int) -> list[float]:
        if (region, count) not in cut:
            cut[region, count] = [0.0] + _bins(table[regions == region], count, densities) + [float("inf")]
        return cut[region, count]

    plans = []   # the oblique groups are known once the trunk is cut: try each count of them
    for obliques in range(1 if follow else 0, compartments - fixed_count - len(binned) + 1):
        share = _largest_remainder(spans, compartments - fixed_count - obliques)
        edges = {region: edges_of(region, int(count)) for region, count in zip(binned, share)}
        groups = [(start, stop) for start, stop in zip(edges.get("trunk", [])[:-1], edges.get("trunk", [])[1:])
                  if ((origins >= start) & (origins < stop)).any()] if follow else []
        total = fixed_count + sum(len(e) - 1 for e in edges.values()) + len(groups)
        plans.append((total > compartments, compartments - total if total <= compartments else total, edges, groups))
        if total == compartments:
            break
    *_, edges, groups = min(plans, key=lambda plan: plan[:2])   # exact, else the nearest below, else above
    mapping = {r: (Region(r),) for r in fixed}
    if axon_cuts:
        del mapping["axon"]
        edges_axon = [0.0, *axon_cuts, float("inf")]
        mapping |= {f"axon{k}": (Region("axon", start, stop),)
                    for k, (start, stop) in enumerate(zip(edges_axon[:-1], edges_axon[1:]), start=1)}
    for region in binned:
        bounds = list(zip(edges[region][:-1], edges[region][1:]))
        for k, (start, stop) in enumerate(bounds, start=1):
            mapping[region if len(bounds) == 1 else f"{region}{k}"] = (Region(region, start, stop),)
            if region == "trunk" and (start, stop) in groups:
                name = "oblique" if len(bounds) == 1 else f"oblique{k}"
                mapping[name] = (Region("oblique", leaves=(start, stop)),)
    return mapping


def _axon_cuts(rows: pd.DataFrame, densities: list[str]) -> list[float]:
    """Where the axon (its segment ``rows``) is cut in two: nowhere when every density is the
    same on all its membrane, else where the cut best separates its densities."""
    membrane = rows[rows["area_um2"] > 0]
    varying = [name for name in densities
               if not np.allclose(membrane[name].to_numpy(dtype=float), membrane[name].to_numpy(dtype=float)[:1],
                                  rtol=1e-9, atol=0.0)]
    return _bins(rows, 2, varying, by_distance=False) if varying and len(membrane) > 1 else []


def _largest_remainder(weights: np.ndarray, total: int) -> list[int]:
    """``total`` split in proportion to ``weights``, at least 1 each."""
    base = np.ones(len(weights), dtype=int)
    rest = total - len(weights)
    exact = weights / weights.sum() * rest
    base += np.floor(exact).astype(int)
    left = total - base.sum()
    for k in np.argsort(-(exact - np.floor(exact)))[:left]:
        base[k] += 1
    return base.tolist()


def assign(table: pd.DataFrame, mapping: dict[str, tuple[Region, ...]]) -> np.ndarray:
    """The compartment of every segment (an array of names, in table order); a segment that
    no compartment or two compartments claim is an error naming it."""
    if "soma" not in mapping:
        raise ModelError("the mapping has no 'soma' compartment", obj="reduction", param="mapping",
                         hint="name the compartment holding the soma 'soma'")
    labels = np.empty(len(table), dtype=object)
    for k, row in enumerate(table.itertuples(index=False)):
        part = row.region if row.region != row.kind else None
        origin = None if np.isnan(row.origin_um) else row.origin_um
        owners = [name for name, regions in mapping.items()
                  if any(r.contains(row.kind, row.distance_um, part, origin) for r in regions)]
        where = f"{row.section.split('.')[-1]}({row.x:.3g}), {row.region} at {row.distance_um:.1f} um"
        if not owners:
            raise ModelError(f"segment {where} is in no compartment", obj="reduction", param="mapping",
                             hint="every segment must be mapped: widen a region or add one")
        if len(owners) > 1:
            raise ModelError(f"segment {where} is in two compartments ({owners[0]} and {owners[1]})",
                             obj="reduction", param="mapping", hint="make the regions of the mapping disjoint")
        labels[k] = owners[0]
    area = table["area_um2"].to_numpy()
    empty = [name for name in mapping if not area[labels == name].sum() > 0]
    if empty:
        what = "no segment" if empty[0] not in set(labels) else "no membrane (only nodes where sections join)"
        raise ModelError(f"compartment {empty[0]!r} holds {what}", obj="reduction", param="mapping",
                         hint="drop it or move its region's bounds")
    return labels


def compartment_tree(table: pd.DataFrame, labels: np.ndarray) -> dict[str, str]:
    """``{compartment: parent compartment}`` for every compartment but the soma's."""
    crossings: dict[str, dict[str, float]] = {}
    parents = table["parent"].to_numpy()
    resistance = table["r_parent_mohm"].to_numpy()
    for k, p in enumerate(parents):
        if p >= 0 and labels[p] != labels[k]:
            through = crossings.setdefault(labels[k], {})
            through[labels[p]] = through.get(labels[p], 0.0) + 1.0 / max(resistance[k], 1e-12)
    root = labels[int(np.flatnonzero(parents < 0)[0])]
    if root != "soma":
        raise ModelError(f"the root segment is in {root!r}", obj="reduction", param="mapping",
                         expected="the soma in the 'soma' compartment")
    tree = {c: max(through, key=through.get) for c, through in crossings.items()}
    for name in tree:   # every path must reach the soma
        seen, here = set(), name
        while here != "soma":
            if here in seen or here not in tree:
                raise ModelError(f"compartment {name!r} does not reach the soma through its parents", obj="reduction",
                                 param="mapping", hint="map connected stretches of the tree to each compartment")
            seen.add(here)
            here = tree[here]
    return tree

"""A detailed active cell (:class:`bridge.references.HocCell`) reduced to a few
compartments that carry its own channels, and the files that let ``bridge validate``
judge the result. The method is described in docs/reduction.md:

1. the cell's segments, with their region, distance, area and channel densities
   (:func:`bridge.neuron.cell_anatomy.segment_table`);
2. compartments: a mapping of regions to compartment names, given or computed
   (:mod:`.mapping`);
3. each compartment's membrane: the cell's membrane over its segments, every total kept
   (:mod:`.membrane`), with the channels converted from the cell's NMODL files;
4. couplings: from the cell's steady-state transfer resistances between compartments,
   measured with its active membrane at rest (:mod:`.couplings`);
5. synapses: every segment of the cell maps onto its compartment with a weight that
   keeps its steady-state effect at the soma (:func:`synapse_map`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..model import ReducedModel
from ..references import HocCell, Region
from .assemble import reduced_model, tidy
from .couplings import couplings_from_resistances
from .mapping import DEFAULT_COMPARTMENTS, assign, compartment_tree, default_mapping
from .membrane import lump

#: The steps of a reduction, for progress bars.
STEPS = ("anatomy", "channels", "resistances", "model")


@dataclass(frozen=True)
class Reduction:
    """A reduction's result: the ``model``, the ``mapping`` (compartment -> regions) it was
    made with, the ``tree`` (compartment -> parent), the measured transfer ``resistances``
    between compartments (MOhm, in the model's compartment order), ``dropped`` (the largest
    coupling between compartments that do not touch, relative to the smallest kept) and
    ``synapses`` (one row per segment of the cell: where a synapse there goes)."""

    cell: HocCell
    model: ReducedModel
    mapping: dict
    tree: dict
    resistances: np.ndarray
    dropped: float
    synapses: pd.DataFrame
    segments: int = 0
    notes: tuple = field(default_factory=tuple)


def _mechanisms(cell: HocCell) -> dict:
    from ..convert import from_nmodl
    mechanisms = {}
    for path in cell.mod_files:
        mechanism = from_nmodl(path)
        if mechanism.kind == "density":
            mechanisms[mechanism.name] = mechanism
    return mechanisms


def synapse_map(table: pd.DataFrame, labels: np.ndarray, names: list[str], soma_row: np.ndarray,
                resistances: np.ndarray) -> pd.DataFrame:
    """Per segment: its section, x, region, distance, compartment and ``weight``, the factor
    a synapse's conductance there is multiplied by on the reduced compartment so that its
    steady-state effect at the soma stays the cell's: the segment's transfer resistance to
    the soma over the compartment's (``soma_row``: the cell's voltage change at each
    segment per current at the soma, by reciprocity its transfer resistance)."""
    index = {name: k for k, name in enumerate(names)}
    to_soma = np.array([resistances[0, index[label]] for label in labels])
    return pd.DataFrame({"section": [s.split(".")[-1] for s in table["section"]], "x": table["x"].round(6),
                         "region": table["region"], "distance_um": table["distance_um"].round(3),
                         "compartment": labels, "weight": np.round(soma_row / to_soma, 6)})


def reduce(cell: HocCell, compartments: int | None = None, mapping: dict | None = None, progress=None,
           name: str | None = None) -> Reduction:
    """Reduce ``cell`` into ``compartments`` compartments chosen by the default mapping, or
    by ``mapping`` ({compartment: (Region, ...)}, one compartment named "soma"), not both.
    ``progress(step, total, text)`` is told each step."""
    from ..neuron.cell_anatomy import segment_table
    from ..neuron.cell_impedance import lumped_resistance_matrix
    from ..neuron.hoc_cell import instantiated
    if not isinstance(cell, HocCell):
        raise ModelError(f"{cell!r} is not a detailed cell", obj="reduction", param="cell",
                         expected="a bridge.references.HocCell")
    if compartments is not None and mapping is not None:
        raise ModelError("both a number of compartments and a mapping", obj="reduction", param="mapping",
                         hint="give one: the mapping names its compartments")
    say = progress or (lambda step, total, text: None)
    say(0, len(STEPS), "anatomy of the detailed cell")
    with instantiated(cell) as (h, built):
        table = segment_table(h, built.sections)
    if mapping is None:
        mapping = default_mapping(table, DEFAULT_COMPARTMENTS if compartments is None else compartments)
    else:
        mapping = {str(k): tuple(v) for k, v in mapping.items()}
        if not all(isinstance(r, Region) for regions in mapping.values() for r in regions):
            raise ModelError("a mapping entry is not a list of regions", obj="reduction", param="mapping",
                             expected="{compartment: [Region, ...]}")
    labels = assign(table, mapping)
    tree = compartment_tree(table, labels)
    say(1, len(STEPS), "channels from the NMODL files")
    mechanisms = _mechanisms(cell)
    membranes = lump(table, labels, mechanisms)
    names = [m.name for m in membranes]
    if names[0] != "soma":
        order = sorted(range(len(names)), key=lambda k: names[k] != "soma")
        membranes = [membranes[k] for k in order]
        names = [m.name for m in membranes]
    groups = []
    for compartment in names:
        rows = table[labels == compartment]
        weights = rows["area_um2"] / rows["area_um2"].sum()
        groups.append([(s, x, w) for s, x, w in zip(rows["section"], rows["x"], weights)])
    say(2, len(STEPS), f"transfer resistances ({len(names) + 1} runs)")
    resistances, first = lumped_resistance_matrix(cell, groups, first_to_all=True)
    couplings, dropped = couplings_from_resistances(resistances, names, tree)
    say(3, len(STEPS), "reduced model")
    model = reduced_model(membranes, couplings, mechanisms, cell.celsius, name or f"{cell.name}_reduced")
    # the per-segment responses come in the groups' order; put them back in table order
    order = np.concatenate([np.flatnonzero(labels == c) for c in names])
    soma_row = np.empty(len(table))
    soma_row[order] = first
    synapses = synapse_map(table, labels, names, soma_row, resistances)
    say(4, len(STEPS), "done")
    return Reduction(cell, model, mapping, tree, np.vectorize(tidy)(resistances), dropped, synapses, len(table))

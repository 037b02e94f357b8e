"""Couplings between reduced compartments from the detailed cell's steady-state transfer
resistances between them.

``R`` (MOhm) is measured on the detailed cell with its active membrane at rest
(:func:`bridge.neuron.cell_impedance.lumped_resistance_matrix`): current spread over one
compartment's segments by area, voltage read as the area-weighted mean over another's.
Its inverse ``G = R^-1`` is the conductance matrix of the network that links those
compartments exactly at steady state (the detailed cell with every other degree of
freedom eliminated): ``-G[i, j]`` is the conductance between compartments i and j. The
reduced model keeps the entries on the edges of its compartment tree; the rest (links
between compartments that do not touch on the cell) are small, and are reported.
Pure numpy.
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError


def couplings_from_resistances(resistance_mohm: np.ndarray, names: list[str], tree: dict[str, str]
                               ) -> tuple[dict[tuple[str, str], float], float]:
    """``({(child, parent): conductance in S}, dropped)``: the conductance between each
    compartment and its parent in ``tree`` from the transfer resistances between
    ``names``; ``dropped`` is the largest conductance between compartments that are not
    neighbours, as a fraction of the smallest kept one."""
    r = np.asarray(resistance_mohm, dtype=float)
    if r.shape != (len(names), len(names)) or not np.all(np.isfinite(r)):
        raise ModelError(f"a {r.shape} resistance matrix for {len(names)} compartments", obj="reduction",
                         param="resistances", expected="a finite square matrix, one row per compartment")
    g = np.linalg.inv((r + r.T) / 2) * 1e-6          # MOhm^-1 = uS -> S
    index = {name: k for k, name in enumerate(names)}
    kept, edges = {}, set()
    for child, parent in tree.items():
        i, j = index[child], index[parent]
        value = -g[i, j]
        if value <= 0:
            raise ModelError(f"the cell's transfer resistances give {child}-{parent} a conductance of {value:.3g} S",
                             obj="reduction", param="mapping",
                             hint="compartments that touch on the cell couple positively; check the mapping, or use "
                                  "fewer, larger compartments")
        kept[(child, parent)] = float(value)
        edges |= {(i, j), (j, i)}
    others = [abs(g[i, j]) for i in range(len(names)) for j in range(len(names)) if i != j and (i, j) not in edges]
    dropped = max(others, default=0.0) / min(kept.values()) if kept else 0.0
    return kept, float(dropped)

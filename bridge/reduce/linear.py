"""The detailed cell as a linear circuit around rest, and its transfer impedances between
reduced compartments. Pure numpy.

The node table (:func:`bridge.neuron.cell_anatomy.segment_table`) is NEURON's circuit:
nodes joined by axial resistances. One measurement, the steady voltage change at every
node for a small current at the soma (:func:`bridge.neuron.cell_impedance.soma_step_response`),
gives every node's membrane conductance at rest, everything its channels do included: at
steady state the current a node's membrane takes is what the axial currents leave there
(Kirchhoff's law), and its conductance that current over its voltage change. The circuit
with those conductances gives the steady transfer resistance between any nodes. At a
frequency above 0, one run with a sinusoidal somatic current does the same for every
node's complex admittance (capacitance, and the gating of channels such as Ih, whose
conductance at rest is half gone by 20 Hz on Hay's tuft): :func:`membrane_admittance`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..neuron.cell_anatomy import soma_row


def laplacian(n: int, edges, g) -> np.ndarray:
    """The conductance matrix of ``n`` nodes joined by conductances ``g`` on ``edges``
    (pairs of node indices): a weighted graph Laplacian, in the unit of ``g``."""
    lap = np.zeros((n, n))
    for (i, j), value in zip(edges, g):
        lap[i, i] += value
        lap[j, j] += value
        lap[i, j] -= value
        lap[j, i] -= value
    return lap


def axial_matrix(table: pd.DataFrame) -> np.ndarray:
    """The axial conductance matrix (uS) of the node table."""
    joined = [(k, p, r) for k, (p, r) in enumerate(zip(table["parent"], table["r_parent_mohm"])) if p >= 0]
    return laplacian(len(table), [(k, p) for k, p, _ in joined], [1.0 / r for _, _, r in joined])


def membrane_admittance(table: pd.DataFrame, response: np.ndarray) -> np.ndarray:
    """Each node's membrane admittance (uS; complex at a frequency above 0) from
    ``response`` (MOhm: the voltage change per nA of a current at the soma, steady or
    sinusoidal): the current the axial currents leave at the node (Kirchhoff's law) over
    its voltage change, capacitance and channel gating included; 0 at the section ends."""
    injected = np.zeros(len(table), dtype=np.asarray(response).dtype)
    injected[soma_row(table)] = 1.0
    y = (injected - axial_matrix(table) @ response) / response
    y[table["end"].to_numpy()] = 0.0
    return y


def membrane_conductance(table: pd.DataFrame, response: np.ndarray) -> np.ndarray:
    """Each node's membrane conductance at rest (uS) from the steady ``response`` (as
    :func:`membrane_admittance`). A negative one (a membrane that amplifies at rest: a
    window current such as persistent sodium's, even where the cell as a whole is stable;
    or a response too small to resolve) is an error naming the node."""
    g = membrane_admittance(table, response)
    area = table["area_um2"].to_numpy()
    bad = np.flatnonzero(~table["end"].to_numpy() & (g <= 0))
    if len(bad):
        k = bad[0]
        raise ModelError(f"the membrane at {table['section'].iloc[k].split('.')[-1]}({table['x'].iloc[k]:.3g}) has "
                         f"conductance {g[k] / (area[k] * 1e-2):.3g} S/cm2 at rest", obj="reduction", param="cell",
                         hint="a membrane that amplifies at rest (a window current, e.g. persistent sodium, or an "
                         "unsettled cell) is not one bridge's linear reduction can lump: try another --v-init, where "
                         "the cell rests")
    return g


def lumped_impedances(table: pd.DataFrame, labels: np.ndarray, names: list[str],
                      admittances: dict[float, np.ndarray]) -> dict[float, np.ndarray]:
    """``{f: Z}``: Z[i, j] (MOhm, complex) is the area-weighted mean voltage of compartment
    j's nodes per current spread over compartment i's nodes by area, at each frequency f
    (Hz) of ``admittances`` ({f: every node's membrane admittance in uS})."""
    area = table["area_um2"].to_numpy()
    weights = np.zeros((len(names), len(table)))
    for i, name in enumerate(names):
        chosen = labels == name
        weights[i, chosen] = area[chosen] / area[chosen].sum()
    axial = axial_matrix(table)
    return {f: weights @ np.linalg.solve(axial + np.diag(y), weights.T) for f, y in admittances.items()}

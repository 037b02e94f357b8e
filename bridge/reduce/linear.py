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
    :func:`membrane_admittance`). It may be negative at a node whose membrane amplifies at
    rest (a window current such as persistent sodium's at an axon initial segment) in a
    cell that rests all the same: what a reduction needs positive is each compartment's
    total (:func:`compartment_conductances`)."""
    return membrane_admittance(table, response).real


def compartment_sums(labels: np.ndarray, names: list[str], values: np.ndarray) -> np.ndarray:
    """``values`` (one per node) summed over each compartment's nodes, in ``names``' order."""
    return np.array([values[labels == name].sum() for name in names])


def rests(conductance: np.ndarray) -> bool:
    """Whether a circuit with this conductance matrix (uS) rests: positive definite, so
    that every steady current has one steady response and no voltage grows by itself."""
    try:
        np.linalg.cholesky(conductance)
    except np.linalg.LinAlgError:
        return False
    return True


def compartment_conductances(table: pd.DataFrame, labels: np.ndarray, names: list[str],
                             g: np.ndarray) -> np.ndarray:
    """Each compartment's membrane conductance at rest (uS): the sum of its nodes' ``g``
    (:func:`membrane_conductance`). A total may be negative (a compartment that stands for
    an initial segment's window current alone): what must rest is the cell's circuit with
    the nodes' ``g``, checked here (otherwise the response was no steady state), and the
    reduced circuit, couplings included (:func:`check_reduced_circuit_rests`)."""
    if (g < 0).any() and not rests(axial_matrix(table) + np.diag(g)):
        raise ModelError("the cell's circuit at rest amplifies (its conductance matrix is not positive "
                         "definite): the step response was no steady state", obj="reduction", param="cell",
                         hint="try another --v-init, where the cell rests")
    return compartment_sums(labels, names, g)


def check_reduced_circuit_rests(table: pd.DataFrame, labels: np.ndarray, names: list[str], g: np.ndarray,
                                conductance: np.ndarray) -> None:
    """Refuse a reduced circuit (``conductance``: its matrix at rest in uS, couplings and
    compartment totals, in ``names``' order) that amplifies at rest where the cell does not,
    naming the compartment with the least total and its most amplifying node (``g``: the
    nodes' conductances). A compartment whose nodes amplify in sum rests only if its
    couplings hold it (a tree's couplings with positive totals always do)."""
    if rests(conductance):
        return
    totals = compartment_sums(labels, names, g)
    least = int(np.argmin(totals))
    area = table["area_um2"].to_numpy()
    nodes = np.flatnonzero((labels == names[least]) & ~table["end"].to_numpy())
    k = nodes[np.argmin(g[nodes] / area[nodes])]
    raise ModelError(f"the reduced circuit amplifies at rest where the cell does not: compartment {names[least]}'s "
                     f"membrane has conductance {totals[least]:.3g} uS at rest, its nodes summed (the least: "
                     f"{_node(table, k)}, {g[k] / (area[k] * 1e-2):.3g} S/cm2), more than its fitted couplings "
                     "hold", obj="reduction", param="mapping",
                     hint="a membrane that amplifies at rest (a window current, e.g. persistent sodium) needs "
                     "enough membrane that does not in its compartment or beside it: give its region a compartment "
                     "shared with its neighbours (--mapping), or try another --v-init, where the cell rests")


def _node(table: pd.DataFrame, k: int) -> str:
    return f"{table['section'].iloc[k].split('.')[-1]}({table['x'].iloc[k]:.3g})"


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

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


def axial_matrix(table: pd.DataFrame) -> np.ndarray:
    """The axial conductance matrix (uS) of the node table (a graph Laplacian)."""
    n = len(table)
    a = np.zeros((n, n))
    for k, (p, r) in enumerate(zip(table["parent"], table["r_parent_mohm"])):
        if p >= 0:
            g = 1.0 / r
            a[k, k] += g
            a[p, p] += g
            a[k, p] -= g
            a[p, k] -= g
    return a


def soma_row(table: pd.DataFrame) -> int:
    """The row of the soma's centre."""
    return int(np.flatnonzero((table["kind"] == "soma").to_numpy() & ~table["end"].to_numpy())[0])


def membrane_conductance(table: pd.DataFrame, response: np.ndarray) -> np.ndarray:
    """Each node's membrane conductance at rest (uS) from ``response`` (MOhm: the voltage
    change per nA at the soma). A negative one (a membrane that amplifies at rest, or a
    response too small to resolve) is an error naming the node."""
    injected = np.zeros(len(table))
    injected[soma_row(table)] = 1.0
    g = (injected - axial_matrix(table) @ response) / response
    ends = table["end"].to_numpy()
    g[ends] = 0.0
    area = table["area_um2"].to_numpy()
    bad = np.flatnonzero(~ends & (g <= 0))
    if len(bad):
        k = bad[0]
        raise ModelError(f"the membrane at {table['section'].iloc[k].split('.')[-1]}({table['x'].iloc[k]:.3g}) has "
                         f"conductance {g[k] / (area[k] * 1e-2):.3g} S/cm2 at rest", obj="reduction", param="cell",
                         hint="the cell must be stable at rest (its resting state must settle) for a linear reduction")
    return g


def membrane_admittance(table: pd.DataFrame, response: np.ndarray) -> np.ndarray:
    """Each node's complex membrane admittance (uS) at one frequency from the complex
    ``response`` (MOhm) to a sinusoidal current at the soma: Kirchhoff's law as in
    :func:`membrane_conductance`, capacitance and channel gating included."""
    injected = np.zeros(len(table), dtype=complex)
    injected[soma_row(table)] = 1.0
    y = (injected - axial_matrix(table) @ response) / response
    y[table["end"].to_numpy()] = 0.0
    return y


def capacitances(table: pd.DataFrame) -> np.ndarray:
    """Each node's membrane capacitance in uS*s (uF/cm2 x um2 x 1e-8)."""
    return table["cm"].to_numpy() * table["area_um2"].to_numpy() * 1e-8


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

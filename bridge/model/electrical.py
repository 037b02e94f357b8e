"""Linear passive properties computed from the model alone (no simulator):
the conductance matrix, input resistance and membrane time constants.

For a passive model, C dV/dt = -G (V - V_rest) + I, with C the diagonal of
capacitances (F) and G the conductance matrix (S): leak on the diagonal plus
coupling conductances as a graph Laplacian.
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from .reduced import ReducedModel


def _require(value, model: ReducedModel, what: str, where: str) -> float:
    if value is None:
        raise ModelError(f"{what} is not determined", obj=where, param=what,
                         hint="give geometry and specific values, or cm_abs/gl_abs")
    return value


def capacitance_vector(model: ReducedModel) -> np.ndarray:
    """Capacitance of each compartment (F), in the model's compartment order."""
    return np.array([_require(c.capacitance, model, "capacitance", f"compartment {c.name}")
                     for c in model.compartments])


def conductance_matrix(model: ReducedModel) -> np.ndarray:
    """The symmetric conductance matrix G (S), compartments in model order."""
    index = {name: i for i, name in enumerate(model.compartment_names)}
    n = len(index)
    g = np.zeros((n, n))
    for i, comp in enumerate(model.compartments):
        g[i, i] += _require(comp.g_leak, model, "g_leak", f"compartment {comp.name}")
    for c in model.couplings:
        gc = _require(model.coupling_conductance(c), model, "g", f"coupling {c.a}-{c.b}")
        i, j = index[c.a], index[c.b]
        g[i, i] += gc
        g[j, j] += gc
        g[i, j] -= gc
        g[j, i] -= gc
    return g


def input_resistance(model: ReducedModel, compartment: str | None = None) -> float:
    """Steady-state input resistance (ohm) seen from ``compartment`` (default: soma)."""
    name = compartment or model.soma.name
    k = model.compartment_names.index(model.compartment(name).name)
    return float(np.linalg.inv(conductance_matrix(model))[k, k])


def time_constants(model: ReducedModel) -> np.ndarray:
    """Membrane time constants (s) of the passive system, slowest first."""
    rates = np.linalg.eigvals(conductance_matrix(model) / capacitance_vector(model)[:, None])
    return np.sort(1.0 / np.real(rates))[::-1]


def transfer_ratio(model: ReducedModel, inject: str, record: str) -> float:
    """Steady-state voltage attenuation V_record / V_inject for a current into ``inject``."""
    names = model.compartment_names
    inv = np.linalg.inv(conductance_matrix(model))
    i, j = names.index(model.compartment(inject).name), names.index(model.compartment(record).name)
    return float(inv[j, i] / inv[i, i])

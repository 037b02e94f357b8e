"""Couplings between reduced compartments, fitted to the detailed cell's transfer
impedances between them.

The reduced model's linear circuit around rest is its compartments (each with the summed
membrane admittance ``Y(f)`` of the nodes it stands for: it has their channels and their
capacitance) joined by one conductance per edge of the compartment tree. Its impedance
matrix at frequency f is ``(L(g) + diag(Y(f)))^-1``. The couplings ``g`` are the ones whose impedance
matrices best match the cell's (:func:`bridge.reduce.linear.lumped_impedances`) at
:data:`FREQUENCIES`, every entry of the upper triangle counted by the log of its
amplitude (least squares, couplings on a log scale, so they stay positive).

Why several frequencies: a chain fitted at 0 Hz alone passes fast signals, such as a
back-propagating spike, far too well (a compartment has no inner cable to filter them),
and its dendrites then fire on every somatic spike. Fitting up to 200 Hz keeps both the
steady attenuation and that of spikes (measured on Hay's cell: docs/reduction.md).
Pure numpy and scipy.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import least_squares

from ..errors import ModelError
from .linear import laplacian

#: Frequencies (Hz) whose transfer impedances the couplings are fitted to: steady state,
#: the theta-gamma range of synaptic input, and the fast components of a spike.
FREQUENCIES = (0.0, 20.0, 50.0, 100.0, 200.0)

#: An RMS log10 error of fit (at any of :data:`FREQUENCIES`) above which ``bridge reduce``
#: warns that the compartments do not stand well for the cell: the published cells bridge
#: reduces fit within 0.125 (Hay's 0.076, the Allen cell's 0.125, a factor 1.33), while a
#: cell whose section lists put its axon among its basal dendrites (so that compartments
#: joined parts of the cell far apart) fitted at 0.26-0.68, a factor 1.8-4.8.
POOR_FIT_LOG10 = 0.2


def reduced_impedances(g: np.ndarray, edges, admittance: dict[float, np.ndarray]) -> dict[float, np.ndarray]:
    """``{f: Z}`` (MOhm) of the reduced circuit with couplings ``g`` (uS) on ``edges`` and
    compartment admittances ``{f: Y}`` (uS)."""
    lap = laplacian(len(admittance[0.0]), edges, g)
    return {f: np.linalg.inv(lap + np.diag(y)) for f, y in admittance.items()}


def fit_couplings(target: dict[float, np.ndarray], names: list[str], tree: dict[str, str],
                  admittance: dict[float, np.ndarray]) -> tuple[dict[tuple[str, str], float], dict[float, float]]:
    """``({(child, parent): coupling in S}, {f: RMS log10 error of |Z| after the fit})``.
    ``target``: the cell's {f: Z (MOhm)} between ``names``; ``admittance``: {f: each
    compartment's membrane admittance (uS)}, at the same frequencies, 0 Hz among them."""
    index = {name: k for k, name in enumerate(names)}
    edges = [(index[child], index[parent]) for child, parent in tree.items()]
    frequencies = sorted(target)
    if 0.0 not in target:
        raise ModelError("no steady-state (0 Hz) impedances", obj="reduction", param="frequencies")
    upper = np.triu_indices(len(names))
    wanted = {f: np.log(np.abs(target[f][upper])) for f in frequencies}
    # start from the steady-state circuit: the couplings of the cell's 0 Hz conductance matrix
    steady = np.linalg.inv(target[0.0].real)
    start = np.log(np.array([max(-steady[i, j], 1e-6) for i, j in edges]))

    def residuals(log_g: np.ndarray) -> np.ndarray:
        z = reduced_impedances(np.exp(log_g), edges, admittance)
        return np.concatenate([np.log(np.abs(z[f][upper])) - wanted[f] for f in frequencies])

    fit = least_squares(residuals, start, method="trf")
    if not fit.success:
        raise ModelError(f"the coupling fit did not converge ({fit.message})", obj="reduction", param="couplings",
                         hint="try fewer compartments, or a mapping of connected regions")
    per_f = fit.fun.reshape(len(frequencies), -1) / np.log(10)
    quality = {f: float(np.sqrt(np.mean(r ** 2))) for f, r in zip(frequencies, per_f)}
    couplings = {(child, parent): float(np.exp(v)) * 1e-6 for (child, parent), v in zip(tree.items(), fit.x)}
    return couplings, quality

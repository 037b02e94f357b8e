"""Linear passive properties computed from the model alone (no simulator):
the conductance matrix, input resistance, membrane time constants and impedance.

For a passive model, C dV/dt = -G (V - V_rest) + I, with C the diagonal of
capacitances (F) and G the conductance matrix (S): leak on the diagonal plus
coupling conductances as a graph Laplacian.

Phase convention (bridge's, everywhere): a sinusoidal current I(t) = |I| sin(w t) gives
V(t) = |Z| |I| sin(w t + phase), with phase = angle(Z) in radians, negative when the
voltage lags the current (a membrane's capacitance makes it lag). NEURON's
``Impedance.input_phase``/``transfer_phase`` use the same sign. ``np.angle`` gives the
phase in (-pi, pi]; a transfer lag beyond pi (a distant compartment at high frequency)
wraps to a positive value there, so compare complex impedances as ``angle(Z1 / Z2)``, and
use :func:`impedance_phase` for the phase itself, continuous from 0 Hz (where it is 0).
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


def impedance_matrix(model: ReducedModel, frequency_hz: float) -> np.ndarray:
    """The complex impedance matrix Z = (G + i 2 pi f C)^-1 (ohm) at ``frequency_hz`` (Hz,
    >= 0), compartments in model order: ``Z[j, i]`` is the voltage phasor at compartment ``j``
    per unit current phasor into compartment ``i`` (symmetric: reciprocity). Like
    :func:`input_resistance` it is the model's linear (passive) skeleton: leaks, capacitances
    and couplings, no synapses or spiking. ``abs(Z)`` is the amplitude, ``np.angle(Z)`` the
    phase (radians, negative when the voltage lags the current); at 0 Hz Z = G^-1, real."""
    f = float(frequency_hz)
    if not np.isfinite(f) or f < 0:
        raise ModelError(f"{frequency_hz!r}", obj=f"model {model.name}", param="frequency_hz",
                         expected="a frequency >= 0 (Hz)")
    admittance = conductance_matrix(model) + 1j * 2 * np.pi * f * np.diag(capacitance_vector(model))
    return np.linalg.inv(admittance)


def impedance_between(model: ReducedModel, a: str, b: str, frequency_hz: float) -> complex:
    """The transfer impedance (ohm, complex; phase as :func:`impedance_matrix`) between
    compartments ``a`` and ``b``: V at ``b`` per current into ``a`` (the same as V at ``a``
    per current into ``b``); ``a == b`` gives the input impedance."""
    names = model.compartment_names
    i, j = names.index(model.compartment(a).name), names.index(model.compartment(b).name)
    return complex(impedance_matrix(model, frequency_hz)[j, i])


def impedance_phase(model: ReducedModel, a: str, b: str, frequency_hz: float) -> float:
    """The phase (radians) of :func:`impedance_between` ``(a, b)``, continuous in frequency
    from 0 Hz: negative for a lag, below -pi where the lag passes pi (np.angle would wrap it).
    Unwrapped over a geometric grid from ``frequency_hz * 1e-6`` (where the phase is ~0):
    each of the at most 2n poles and zeros turns the phase by at most half a step in ln f,
    and the steps (ln 1e6 / 56n) keep the whole turn between points below 0.25 rad."""
    f = float(frequency_hz)
    if f == 0:
        return float(np.angle(impedance_between(model, a, b, 0.0)))
    n = len(model.compartments)
    grid = np.geomspace(f * 1e-6, f, max(64, 56 * n))
    angles = [np.angle(impedance_between(model, a, b, x)) for x in grid]
    return float(np.unwrap(angles)[-1])

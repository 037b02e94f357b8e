"""Stimuli shared by every simulator: current steps, spike trains and Poisson input.

They take Brian 2 quantities and store SI floats, so the same stimulus list drives Brian 2,
NEURON and CoreNEURON identically. Poisson input is drawn once from its seed, as spike
times, before any simulator sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ModelError
from .units import AMPERE, DIMENSIONLESS, HERTZ, SECOND


def _si(value, dim, obj, param):
    from .units import to_si
    return to_si(value, dim, obj, param, optional=False)


@dataclass(frozen=True, init=False)
class Step:
    """A current step of ``amplitude`` (A) into ``compartment`` from ``start`` to ``stop`` (s)."""

    compartment: str
    amplitude: float
    start: float
    stop: float

    def __init__(self, compartment: str, amplitude, start, stop):
        obj = f"Step into {compartment}"
        object.__setattr__(self, "compartment", compartment)
        object.__setattr__(self, "amplitude", _si(amplitude, AMPERE, obj, "amplitude"))
        object.__setattr__(self, "start", _si(start, SECOND, obj, "start"))
        object.__setattr__(self, "stop", _si(stop, SECOND, obj, "stop"))
        if not 0 <= self.start < self.stop:
            raise ModelError(f"start {self.start * 1e3:g} ms, stop {self.stop * 1e3:g} ms", obj=obj, param="stop",
                             expected="0 <= start < stop")


@dataclass(frozen=True, init=False)
class SpikeTrain:
    """Presynaptic events at ``times`` (s) into the synapse ``synapse`` (``CHANNEL_TAG``,
    e.g. ``'NMDA_x'``) of ``compartment``; each event adds ``weight`` to its gating variable."""

    compartment: str
    synapse: str
    times: tuple[float, ...]
    weight: float = 1.0

    def __init__(self, compartment: str, synapse: str, times, weight=1.0):
        obj = f"SpikeTrain into {compartment}.{synapse}"
        from brian2.units.fundamentalunits import Quantity
        from .units import dimension_of
        from .errors import UnitError
        if isinstance(times, (list, tuple)) and times and all(isinstance(t, Quantity) for t in times):
            try:
                times = Quantity(times)  # [10*ms, 12*ms] as well as [10, 12]*ms
            except Exception:
                pass
        if not isinstance(times, Quantity) or dimension_of(times) != SECOND:
            raise UnitError(f"{times!r} are not times", obj=obj, param="times",
                            expected="an array of times, e.g. [10, 12]*ms")
        values = np.sort(np.atleast_1d(np.asarray(times, dtype=float)))
        if values.size and values[0] < 0:
            raise ModelError("negative spike time", obj=obj, param="times", expected="times >= 0")
        object.__setattr__(self, "compartment", compartment)
        object.__setattr__(self, "synapse", synapse)
        object.__setattr__(self, "times", tuple(float(t) for t in values))
        object.__setattr__(self, "weight", _si(weight, DIMENSIONLESS, obj, "weight"))

    def spike_times(self, duration: float) -> np.ndarray:
        return np.array([t for t in self.times if t < duration])


@dataclass(frozen=True, init=False)
class Poisson:
    """Poisson events at ``rate`` (Hz) into a synapse, reproducible from ``seed``."""

    compartment: str
    synapse: str
    rate: float
    seed: int
    weight: float = 1.0

    def __init__(self, compartment: str, synapse: str, rate, seed: int, weight=1.0):
        obj = f"Poisson into {compartment}.{synapse}"
        object.__setattr__(self, "compartment", compartment)
        object.__setattr__(self, "synapse", synapse)
        object.__setattr__(self, "rate", _si(rate, HERTZ, obj, "rate"))
        if self.rate < 0:
            raise ModelError(f"{self.rate:g} Hz", obj=obj, param="rate", expected="a rate >= 0")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ModelError(f"{seed!r}", obj=obj, param="seed", expected="an integer")
        object.__setattr__(self, "seed", int(seed))
        object.__setattr__(self, "weight", _si(weight, DIMENSIONLESS, obj, "weight"))

    def spike_times(self, duration: float) -> np.ndarray:
        """The event times (s) in [0, duration), the same for every simulator."""
        if self.rate == 0:
            return np.array([])
        # Successive exponential intervals: a shorter run receives the start of a longer one.
        rng = np.random.default_rng(self.seed)
        times, t = [], rng.exponential(1.0 / self.rate)
        while t < duration:
            times.append(t)
            t += rng.exponential(1.0 / self.rate)
        return np.array(times)


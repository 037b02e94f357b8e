"""Stimuli shared by every simulator: current steps, sinusoidal currents, EPSP-shaped
currents, spike trains and Poisson input.

They take Brian 2 quantities and store SI floats, so the same stimulus list drives Brian 2,
NEURON and CoreNEURON identically. Poisson input is drawn once from its seed, as spike
times, before any simulator sees it.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .errors import ModelError
from .units import AMPERE, DIMENSIONLESS, HERTZ, SECOND, Dimension


def _si(value, dim, obj, param):
    from .units import to_si
    return to_si(value, dim, obj, param, optional=False)


def _store(stim, compartment: str, **quantities) -> None:
    """Set a frozen stimulus's ``compartment`` and each ``name=(quantity, dimension)`` in SI,
    each checked against its dimension (errors name the stimulus and the parameter)."""
    obj = f"{type(stim).__name__} into {compartment}"
    object.__setattr__(stim, "compartment", compartment)
    for name, (quantity, dimension) in quantities.items():
        object.__setattr__(stim, name, _si(quantity, dimension, obj, name))
    object.__setattr__(stim, "dimension", AMPERE)


class _TimedCurrent:
    """What a current given as a function of time (Sine, EPSCurrent) shares: its amplitude
    is always a current."""

    def check_dimension(self, expected: Dimension, obj: str) -> None:
        """Refuse a model whose input is not a current."""
        from .errors import UnitError
        from .units import dimension_name
        if self.dimension != expected:
            raise UnitError("the amplitude is in ampere", obj=f"{type(self).__name__} into {self.compartment} ({obj})",
                            param="amplitude", expected=dimension_name(expected))


@dataclass(frozen=True, init=False)
class Step:
    """A step of ``amplitude`` into ``compartment`` from ``start`` to ``stop`` (s).

    ``amplitude`` is a current (A) for bridge's compartments; a model from
    :func:`bridge.from_brian2` takes it in the unit of its input variable (a plain number
    for a dimensionless one). ``amplitude`` is stored in SI, ``dimension`` beside it; the
    unit is checked against the model by :func:`bridge.simulate`."""

    compartment: str
    amplitude: float
    start: float
    stop: float
    dimension: Dimension = AMPERE

    def __init__(self, compartment: str, amplitude, start, stop):
        from .units import dimension_of
        obj = f"Step into {compartment}"
        object.__setattr__(self, "compartment", compartment)
        from brian2.units.fundamentalunits import Quantity
        quantity = isinstance(amplitude, (Quantity, numbers.Real)) and not isinstance(amplitude, bool)
        dimension = dimension_of(amplitude) if quantity else AMPERE   # else to_si says what it expected
        object.__setattr__(self, "dimension", dimension)
        object.__setattr__(self, "amplitude", _si(amplitude, dimension, obj, "amplitude"))
        object.__setattr__(self, "start", _si(start, SECOND, obj, "start"))
        object.__setattr__(self, "stop", _si(stop, SECOND, obj, "stop"))
        if not 0 <= self.start < self.stop:
            raise ModelError(f"start {self.start * 1e3:g} ms, stop {self.stop * 1e3:g} ms", obj=obj, param="stop",
                             expected="0 <= start < stop")

    def check_dimension(self, expected: Dimension, obj: str) -> None:
        """Refuse a step whose amplitude is not in ``expected`` (what the model's input takes)."""
        from .errors import UnitError
        from .units import dimension_name
        if self.dimension != expected:
            raise UnitError(f"the amplitude is in {dimension_name(self.dimension)}", obj=f"Step into "
                            f"{self.compartment} ({obj})", param="amplitude", expected=dimension_name(expected))


@dataclass(frozen=True, init=False)
class Sine(_TimedCurrent):
    """A sinusoidal current into ``compartment``: ``amplitude * sin(2 pi frequency (t - start))``
    for ``start <= t < stop``, else 0 (phase 0 at ``start``). ``amplitude`` is a current,
    ``frequency`` a Brian 2 frequency above 0 (for 0 Hz use a :class:`Step`), ``start`` and
    ``stop`` times; all stored in SI (A, Hz, s).

    The simulators hold the current constant over each time step at its value at the step's
    midpoint (NEURON's fixed step reads a played current there; Brian 2 sets it so at the step's
    start), which is second-order accurate: at 100 Hz and dt = 0.025 ms the held steps change
    the amplitude by about 1e-5 and the phase not at all."""

    compartment: str
    amplitude: float
    frequency: float
    start: float
    stop: float
    dimension: Dimension = AMPERE

    def __init__(self, compartment: str, amplitude, frequency, start, stop):
        _store(self, compartment, amplitude=(amplitude, AMPERE), frequency=(frequency, HERTZ), start=(start, SECOND),
               stop=(stop, SECOND))
        self.__post_init__()

    def __post_init__(self) -> None:
        obj = f"Sine into {self.compartment}"
        if not np.isfinite(self.frequency) or self.frequency <= 0:
            raise ModelError(f"{self.frequency:g} Hz", obj=obj, param="frequency", expected="a frequency > 0",
                             hint="for 0 Hz (steady state) use bridge.Step")
        if not 0 <= self.start < self.stop:
            raise ModelError(f"start {self.start * 1e3:g} ms, stop {self.stop * 1e3:g} ms", obj=obj, param="stop",
                             expected="0 <= start < stop")

    @property
    def omega(self) -> float:
        """The angular frequency (rad/s)."""
        return 2 * np.pi * self.frequency

    def current(self, t) -> np.ndarray:
        """The current (A) at times ``t`` (s, an array): zero outside [start, stop)."""
        t = np.asarray(t, dtype=float)
        inside = (t >= self.start) & (t < self.stop)
        return np.where(inside, self.amplitude * np.sin(self.omega * (t - self.start)), 0.0)



@dataclass(frozen=True, init=False)
class EPSCurrent(_TimedCurrent):
    """An EPSP-shaped current into ``compartment`` (Hay et al. 2011's ``epsp.mod``): from
    ``start``, ``amplitude * (exp(-t'/tau_decay) - exp(-t'/tau_rise))``, t' the time since
    ``start``, scaled so that its peak is ``amplitude``; 0 before ``start`` and from
    ``start + TAILS * tau_decay`` on (``stop``), when it is below 1e-8 of its peak. Brian 2
    quantities in, SI stored (A, s). The simulators hold it over each time step at its
    value at the step's midpoint, as they do a :class:`Sine`."""

    compartment: str
    amplitude: float
    start: float
    tau_rise: float
    tau_decay: float
    dimension: Dimension = AMPERE
    #: How many decay time constants the current lasts.
    TAILS = 20

    def __init__(self, compartment: str, amplitude, start, tau_rise, tau_decay):
        _store(self, compartment, amplitude=(amplitude, AMPERE), start=(start, SECOND), tau_rise=(tau_rise, SECOND),
               tau_decay=(tau_decay, SECOND))
        self.__post_init__()

    def __post_init__(self) -> None:
        obj = f"EPSCurrent into {self.compartment}"
        if self.start < 0:
            raise ModelError(f"start {self.start * 1e3:g} ms", obj=obj, param="start", expected="a time >= 0")
        if not 0 < self.tau_rise < self.tau_decay:
            raise ModelError(f"tau_rise {self.tau_rise * 1e3:g} ms, tau_decay {self.tau_decay * 1e3:g} ms", obj=obj,
                             param="tau_rise", expected="0 < tau_rise < tau_decay")

    @property
    def stop(self) -> float:
        """When the current ends (s)."""
        return self.start + self.TAILS * self.tau_decay

    @property
    def peak_factor(self) -> float:
        """1 over the unscaled difference of exponentials at its peak."""
        rise, decay = self.tau_rise, self.tau_decay
        peak = rise * decay * np.log(decay / rise) / (decay - rise)
        return float(1.0 / (np.exp(-peak / decay) - np.exp(-peak / rise)))

    def current(self, t) -> np.ndarray:
        """The current (A) at times ``t`` (s, an array): zero outside [start, stop)."""
        t = np.asarray(t, dtype=float)
        since = np.maximum(t - self.start, 0.0)
        shape = np.exp(-since / self.tau_decay) - np.exp(-since / self.tau_rise)
        return np.where((t >= self.start) & (t < self.stop), self.amplitude * self.peak_factor * shape, 0.0)


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


"""Impedance measured in a simulator and compared with the model's own impedance matrix
(:func:`bridge.model.electrical.impedance_matrix`, no simulator needed for the expected values).

Phase convention (as in :mod:`bridge.model.electrical`): Z = |Z| exp(i phase), where a current
|I| sin(w t) gives a voltage |Z| |I| sin(w t + phase); the phase (radians) is negative when the
voltage lags the current.

Protocol at a frequency f > 0: a :class:`bridge.Sine` from ``start`` (phase 0 there) to
``stop``; the first ``settle`` of it is skipped (the transient, which dies out with the
membrane's time constants: :func:`check_impedance` skips ``SETTLE_TIME_CONSTANTS`` slowest time
constants, leaving e^-10 = 5e-5 of it), and offset + a sin + b cos at f is fitted by least
squares to the whole periods that end at ``stop``. At 0 Hz a Sine is identically zero, so
:class:`bridge.Sine` refuses it: the 0 Hz impedance is measured from a :class:`bridge.Step`
lasting ``SETTLE_TIME_CONSTANTS`` time constants, as the deflection at its end over its amplitude
(real, phase 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError, UnknownNameError
from ..model import ReducedModel
from ..model.electrical import impedance_matrix, time_constants
from ..stimuli import Sine, Step
from ..traces import SimulationResult
from ..units import AMPERE, SECOND, to_si

#: Slowest membrane time constants skipped before the fit (and the length of the 0 Hz step).
SETTLE_TIME_CONSTANTS = 10
#: Fewest samples per period the fit accepts.
MIN_SAMPLES_PER_PERIOD = 8
#: Tolerances of :func:`check_impedance`: relative amplitude and absolute phase (rad).
AMPLITUDE_TOLERANCE = 0.01
PHASE_TOLERANCE = 0.01


def _trace(result: SimulationResult, record: str) -> tuple[np.ndarray, np.ndarray]:
    """(time in s, voltage in V) of ``record`` in ``result``."""
    if record not in result.traces.columns:
        raise UnknownNameError(f"no trace {record!r}", obj="impedance measurement", param="record",
                               expected=", ".join(map(str, result.traces.columns)))
    return np.asarray(result.traces.index, dtype=float) * 1e-3, np.asarray(result.traces[record], dtype=float) * 1e-3


def _sample_step(t: np.ndarray) -> float:
    if len(t) < 2:
        raise ModelError("fewer than two samples", obj="impedance measurement", param="result")
    return float(np.median(np.diff(t)))


def _steady_state(result: SimulationResult, record: str, step: Step) -> complex:
    """ΔV/I (ohm, real) at ``record`` from the sample at the step's start to the last one
    at or before its end."""
    t, v = _trace(result, record)
    half = _sample_step(t) / 2
    before, during = v[t <= step.start + half], v[t <= step.stop + half]
    if not len(before) or t[-1] < step.start + 2 * half:
        raise ModelError("the recording does not cover the step", obj="impedance measurement", param="result")
    return complex((during[-1] - before[-1]) / step.amplitude, 0.0)


def _fit_window(t: np.ndarray, sine: Sine, settle: float) -> np.ndarray:
    """The samples of the whole periods of ``sine`` after ``settle``, ending at its stop
    (or at the end of the recording)."""
    dt = _sample_step(t)
    if 1 / (sine.frequency * dt) < MIN_SAMPLES_PER_PERIOD:
        raise ModelError(f"{sine.frequency:g} Hz at a sample step of {dt * 1e3:g} ms", obj="impedance measurement",
                         param="frequency", expected=f"at least {MIN_SAMPLES_PER_PERIOD} samples per period")
    end = min(sine.stop, t[-1] + dt)
    periods = int(np.floor((end - sine.start - settle) * sine.frequency + 1e-9))
    if periods < 1:
        raise ModelError(f"{(end - sine.start - settle) * 1e3:g} ms after the transient at {sine.frequency:g} Hz",
                         obj="impedance measurement", param="settle", expected="at least one whole period",
                         hint="lengthen the sine (stop) and the run, or skip less (settle)")
    begin = end - periods / sine.frequency
    return (t >= begin - dt / 2) & (t < end - dt / 2)


def measure_impedance(result: SimulationResult, record: str, sine: Sine | Step, *, settle=None) -> complex:
    """The impedance (ohm, complex; phase negative when the voltage lags) from compartment
    ``sine.compartment`` to ``record``: the voltage phasor at ``record`` over the current
    phasor of ``sine`` (a :class:`bridge.Sine`), fitted over the whole periods after ``settle``
    (a Brian 2 time skipped after ``sine.start``; default: half of the sine's duration).

    Given a :class:`bridge.Step` instead, the 0 Hz impedance: the deflection at ``record`` at
    the end of the step over its amplitude (the step must reach steady state)."""
    if isinstance(sine, Step):
        return _steady_state(result, record, sine)
    if not isinstance(sine, Sine):
        raise ModelError(f"{sine!r}", obj="impedance measurement", param="sine", expected="bridge.Sine or bridge.Step")
    skip = (sine.stop - sine.start) / 2 if settle is None else to_si(settle, SECOND, "impedance measurement",
                                                                       "settle", optional=False)
    if skip < 0:
        raise ModelError(f"{skip * 1e3:g} ms", obj="impedance measurement", param="settle", expected="settle >= 0")
    t, v = _trace(result, record)
    window = _fit_window(t, sine, skip)
    phase = sine.omega * (t[window] - sine.start)
    design = np.column_stack([np.ones(len(phase)), np.sin(phase), np.cos(phase)])
    _, a, b = np.linalg.lstsq(design, v[window], rcond=None)[0]
    # v = a sin + b cos = |V| sin(w t + phi) with |V| e^(i phi) = a + i b
    return complex(a, b) / sine.amplitude


def impedance_stimuli(model: ReducedModel, compartment: str, frequencies_hz, amplitude: float, periods: int = 3
                      ) -> tuple[list, float]:
    """(stimuli, settle in s) measuring ``model``'s impedance from ``compartment`` at every
    frequency in one run: a Step of ``amplitude`` (A) for 0 Hz and a Sine of ``amplitude``
    per other frequency, all from 0 to ``SETTLE_TIME_CONSTANTS`` slowest time constants plus
    ``periods`` periods of the lowest frequency. Every frequency must fit a whole number of
    periods in that window (0, 10 and 100 Hz do), so that the fit separates them."""
    from brian2.units import Hz, amp, second
    settle = SETTLE_TIME_CONSTANTS * float(time_constants(model)[0])
    positive = sorted(float(f) for f in frequencies_hz if f > 0)
    window = periods / positive[0] if positive else 0.0
    for f in positive:
        if abs(f * window - round(f * window)) > 1e-6:
            raise ModelError(f"{f:g} Hz does not fit whole periods in {window * 1e3:g} ms", obj="impedance check",
                             param="frequencies_hz", expected=f"multiples of {positive[0]:g} Hz / {periods}",
                             hint="measure such frequencies one at a time (measure_impedance)")
    stop = (settle + window) * second
    stimuli = [Step(compartment, amplitude * amp, 0 * second, stop)] if any(f == 0 for f in frequencies_hz) else []
    stimuli += [Sine(compartment, amplitude * amp, f * Hz, 0 * second, stop) for f in positive]
    return stimuli, settle


def measure_impedances(result: SimulationResult, record: str, stimuli, *, settle) -> dict:
    """{frequency (Hz): impedance (ohm, complex)} at ``record`` from ``stimuli`` made by
    :func:`impedance_stimuli` (one compartment, one run): offset + a sin + b cos per sine
    fitted by least squares over the whole periods after ``settle``; the 0 Hz impedance is
    the offset's change from the first sample (rest) over the step's amplitude."""
    t, v = _trace(result, record)
    sines = [s for s in stimuli if isinstance(s, Sine)]
    steps = [s for s in stimuli if isinstance(s, Step)]
    skip = to_si(settle, SECOND, "impedance measurement", "settle", optional=False)
    if not sines:
        return {0.0: _steady_state(result, record, steps[0])}
    window = _fit_window(t, min(sines, key=lambda s: s.frequency), skip)
    columns = [np.ones(int(window.sum()))]
    for sine in sines:
        phase = sine.omega * (t[window] - sine.start)
        columns += [np.sin(phase), np.cos(phase)]
    fit = np.linalg.lstsq(np.column_stack(columns), v[window], rcond=None)[0]
    measured = {sine.frequency: complex(fit[1 + 2 * k], fit[2 + 2 * k]) / sine.amplitude
                for k, sine in enumerate(sines)}
    if steps:
        measured[0.0] = complex((fit[0] - v[0]) / steps[0].amplitude, 0.0)
    return measured


@dataclass(frozen=True)
class ImpedanceCheck:
    """One impedance: ``expected`` (the impedance matrix) vs ``measured`` (a simulator), ohm,
    for current into ``inject`` recorded at ``record`` at ``frequency_hz``."""

    frequency_hz: float
    inject: str
    record: str
    expected: complex
    measured: complex

    def __post_init__(self):
        if not self.frequency_hz >= 0:
            raise ModelError(f"{self.frequency_hz!r}", obj="impedance check", param="frequency_hz",
                             expected="a frequency >= 0 (Hz)")
        if self.expected == 0:
            raise ModelError("expected impedance 0", obj="impedance check", param="expected", expected="|Z| > 0")

    @property
    def amplitude_error(self) -> float:
        """|measured| / |expected| - 1."""
        return abs(self.measured) / abs(self.expected) - 1

    @property
    def phase_error(self) -> float:
        """angle(measured) - angle(expected), radians, in (-pi, pi]."""
        return float(np.angle(self.measured / self.expected))

    @property
    def passed(self) -> bool:
        return abs(self.amplitude_error) <= AMPLITUDE_TOLERANCE and abs(self.phase_error) <= PHASE_TOLERANCE


def impedance_stimulus(model: ReducedModel, compartment: str, frequency_hz: float, amplitude, periods: int = 3
                       ) -> tuple[Sine | Step, float]:
    """(stimulus, settle in s) measuring ``model``'s impedance at ``frequency_hz`` from
    ``compartment``: a Sine of ``SETTLE_TIME_CONSTANTS`` slowest time constants plus
    ``periods`` periods, or at 0 Hz a Step of ``SETTLE_TIME_CONSTANTS`` time constants."""
    from brian2.units import Hz, second
    if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
        raise ModelError(f"{periods!r}", obj="impedance check", param="periods", expected="an integer >= 1")
    settle = SETTLE_TIME_CONSTANTS * float(time_constants(model)[0])
    if frequency_hz == 0:
        return Step(compartment, amplitude, 0 * second, settle * second), settle
    stop = settle + periods / frequency_hz
    return Sine(compartment, amplitude, frequency_hz * Hz, 0 * second, stop * second), settle


def check_impedance(model: ReducedModel, simulator: str = "brian2", frequencies_hz=(0.0, 10.0, 100.0),
                    compartment: str | None = None, amplitude=None, dt=None, periods: int = 3,
                    **options) -> list[ImpedanceCheck]:
    """The impedance from ``compartment`` (default: the soma) to every compartment of
    ``model``'s passive skeleton at each of ``frequencies_hz``: measured in ``simulator``
    (``amplitude`` a current, default 5 pA; ``dt`` a time, default simulate's; ``options``
    go to :func:`bridge.simulate`) and computed from the impedance matrix."""
    from brian2.units import pA, second

    from ..simulate import simulate
    from .passive import passive_version
    passive = passive_version(model)
    inject = passive.compartment(compartment or passive.soma.name).name
    amplitude = 5 * pA if amplitude is None else amplitude
    to_si(amplitude, AMPERE, "impedance check", "amplitude", optional=False)
    names = passive.compartment_names
    checks = []
    for f in frequencies_hz:
        expected = impedance_matrix(passive, f)[:, names.index(inject)]
        stimulus, settle = impedance_stimulus(passive, inject, f, amplitude, periods)
        result = simulate(passive, simulator, [stimulus], duration=stimulus.stop * second, dt=dt, **options)
        checks += [ImpedanceCheck(float(f), inject, name, complex(expected[k]),
                                  measure_impedance(result, name, stimulus, settle=settle * second))
                   for k, name in enumerate(names)]
    return checks

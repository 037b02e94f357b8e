"""Passive properties measured in a simulator and compared with the model's own
conductance matrix (no simulator needed for the expected values).

Protocol: a small current step into one compartment, long enough to reach steady
state; input resistance = ΔV/I at the end of the step; the slowest time constant is
the slope of log(V - V_rest) over the late part of the decay after the step, where
every faster mode has died out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from ..model import ReducedModel
from ..model.electrical import input_resistance, time_constants
from ..traces import SimulationResult


def passive_version(model: ReducedModel) -> ReducedModel:
    """``model`` without synapses, noise, dendritic spikes or spiking (its passive skeleton)."""
    for c in model.compartments:
        if c.membrane not in ("passive", "leakyIF"):
            raise ModelError(f"membrane {c.membrane!r} is not passive", obj=f"compartment {c.name}",
                             param="membrane", expected="passive or leakyIF for passive checks")
    comps = tuple(dataclasses.replace(c, synapses=(), noise=None, dspikes=(), equations=())
                  for c in model.compartments)
    return dataclasses.replace(model, compartments=comps, spiking=None, equations=())


def _rest(result: SimulationResult, compartment: str, before_ms: float) -> float:
    v = result.traces[compartment]
    return float(v[v.index < before_ms].iloc[-1])


def measure_input_resistance(result: SimulationResult, compartment: str, amplitude: float, start_ms: float,
                             stop_ms: float) -> float:
    """ΔV/I (ohm) at the end of a step of ``amplitude`` (A) from ``start_ms`` to ``stop_ms``."""
    v = result.traces[compartment]
    v_end = float(v[v.index < stop_ms].iloc[-1])
    return (v_end - _rest(result, compartment, start_ms)) * 1e-3 / amplitude


def measure_time_constant(result: SimulationResult, compartment: str, start_ms: float, stop_ms: float,
                          window: tuple[float, float] = (0.1, 0.02)) -> float:
    """Slowest time constant (s) from the decay after ``stop_ms``: log-linear fit over the
    part where the deflection is between ``window[0]`` and ``window[1]`` of its initial value."""
    v = result.traces[compartment]
    rest = _rest(result, compartment, start_ms)
    after = v[v.index >= stop_ms] - rest
    peak = float(after.iloc[0])
    frac = after / peak
    mask = (frac <= window[0]) & (frac >= window[1])
    if mask.sum() < 10:
        raise ModelError("decay too short to fit", obj="time constant", param="duration",
                         expected="a simulation that lasts several time constants after the step")
    t = np.asarray(after.index[mask]) * 1e-3
    slope = np.polyfit(t, np.log(np.asarray(frac[mask])), 1)[0]
    return float(-1.0 / slope)


@dataclass(frozen=True)
class PassiveCheck:
    """One passive property: expected (from the conductance matrix) vs measured (simulator)."""

    name: str
    unit: str
    expected: float
    measured: float
    tolerance: float  # relative

    @property
    def relative_error(self) -> float:
        return abs(self.measured - self.expected) / abs(self.expected)

    @property
    def passed(self) -> bool:
        return self.relative_error <= self.tolerance


#: Relative tolerance of the passive checks: forward Euler at dt = 0.025 ms shifts decay
#: rates by about dt/(2 tau) (~0.1% for tau >= 12 ms); the rest is the finite step length.
PASSIVE_TOLERANCE = 0.005


def check_passive(model: ReducedModel, simulator: str = "brian2", compartment: str | None = None,
                  amplitude: float = 10e-12, dt: float = 0.025e-3, **options) -> list[PassiveCheck]:
    """Input resistance and slowest time constant of ``model``'s passive skeleton, measured
    in ``simulator`` and computed from the conductance matrix."""
    from brian2.units import amp, second

    from ..simulate import simulate
    from ..stimuli import Step
    passive = passive_version(model)
    where = compartment or passive.soma.name
    r_in = input_resistance(passive, where)
    tau = float(time_constants(passive)[0])
    start, stop = 5 * dt * 40, 5 * dt * 40 + 12 * tau
    result = simulate(passive, simulator, [Step(where, amplitude * amp, start * second, stop * second)],
                      duration=(stop + 8 * tau) * second, dt=dt * second, record=[where], **options)
    r_meas = measure_input_resistance(result, where, amplitude, start * 1e3, stop * 1e3)
    tau_meas = measure_time_constant(result, where, start * 1e3, stop * 1e3)
    return [PassiveCheck(f"input resistance at {where}", "MOhm", r_in / 1e6, r_meas / 1e6, PASSIVE_TOLERANCE),
            PassiveCheck("slowest time constant", "ms", tau * 1e3, tau_meas * 1e3, PASSIVE_TOLERANCE)]

"""Every numerical tolerance the tests use, with the reason it has that value."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerance:
    value: float
    unit: str
    reason: str


#: Dendrify and bridge generate the same equations and parameters, so Brian 2 runs the
#: same arithmetic; only summation order inside I_<comp> may differ (a few ulp of a
#: current), far below this bound even after thousands of steps.
DENDRIFY_PARITY = Tolerance(1e-9, "mV", "same equations; only floating-point summation order differs")

#: Spike times must be identical: both runs cross thresholds in the same time step.
SPIKE_TIME_PARITY = Tolerance(0.0, "ms", "spikes are recorded on the time grid; same step or it is a bug")

#: Parameter values: both compute areas, capacitances and couplings with the same
#: formulas in double precision; allow a few ulp for a different operation order.
PARAMETER_REL = Tolerance(1e-12, "relative", "same formulas, possibly different operation order")

#: Analytic passive properties vs Brian 2 (forward Euler, dt 0.025 ms): Euler shifts a
#: decay rate by about dt/(2 tau) (0.1% at tau = 12 ms); the issue asks for 0.5%.
ANALYTIC_PASSIVE = Tolerance(0.005, "relative", "forward Euler error dt/(2 tau) plus finite step length")

#: Same model, same seed, different Brian 2 targets: compiled code may evaluate
#: transcendental functions (exp) in a different order than numpy, a few ulp per step.
TARGET_PARITY = Tolerance(1e-6, "mV", "compiled vs numpy evaluation order of exp/log")

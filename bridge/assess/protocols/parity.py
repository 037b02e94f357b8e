"""Simulator parity of an active reduced model: the reduced model alone, in NEURON and in
each other simulator, on one somatic current step at a step ``parity_dt_ms`` that may be
finer than the case's. Its runs are the ones the report's simulator agreement compares
(subthreshold RMS and max, spike counts and times); it judges no feature against the
reference.

A step of its own (``parity_dt_ms``) is an option, the case's by default: bridge's
Brian 2 method for channels (``exponential_strang``) takes NEURON's own fixed step, so
the two simulators compute the same numbers at any step, rounding apart (on the reduced
Hay cell at dt 0.025 ms, 15 spikes 1.5e-7 ms apart; before that method did, they were
not converged at 0.025 ms and the cases ran this protocol at 0.005 ms).

Its control: NEURON runs the step once more with the amplitude changed by one part in
1e12 (:data:`bridge.assess.agreement.PERTURBATION`); where the model amplifies rounding
(NEURON departing from itself), the traces are compared up to that horizon, which the
parity table states."""

from __future__ import annotations

from ..agreement import PERTURBATION, PERTURBED
from .base import Context, Outcome, Protocol


class SimulatorParity(Protocol):
    name = "parity"
    title = "Simulator parity: the reduced model in NEURON and the other simulators"
    features = ()
    #: ``parity_dt_ms`` None: the case's step.
    settings = {"parity_step_nA": 0.5, "parity_step_ms": [100.0, 1100.0], "parity_dt_ms": None}

    @classmethod
    def check(cls, settings: dict, obj: str) -> None:
        from ...errors import ModelError
        start, stop = settings["parity_step_ms"]
        if not 0 <= start < stop:
            raise ModelError(f"parity step from {start} to {stop} ms", obj=obj, param="settings.parity_step_ms",
                             expected="[start, stop] with 0 <= start < stop")
        dt = settings["parity_dt_ms"]
        if dt is not None and not dt > 0:
            raise ModelError(f"parity step {dt} ms", obj=obj, param="settings.parity_dt_ms",
                             expected="a positive step (ms) or null for the case's")

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms, nA

        from ...stimuli import Step
        start, stop = ctx.setting("parity_step_ms")
        dt_ms = ctx.setting("parity_dt_ms")
        step = Step("soma", ctx.setting("parity_step_nA") * nA, start * ms, stop * ms)
        duration = (stop + 100) * 1e-3
        dt = None if dt_ms is None else dt_ms * 1e-3
        simulators = dict.fromkeys(("neuron",) + tuple(ctx.simulators))
        runs = {sim: ctx.reduced(None, sim, [step], duration, dt=dt) for sim in simulators}
        if len(simulators) > 1:   # the control: how far NEURON departs from itself (agreement.PERTURBED)
            nudged = Step("soma", ctx.setting("parity_step_nA") * (1 + PERTURBATION) * nA, start * ms, stop * ms)
            runs[PERTURBED] = ctx.reduced(None, "neuron", [nudged], duration, dt=dt)
        return Outcome(runs=runs)

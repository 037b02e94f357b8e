"""The passive step: a small current step into the soma, long enough for steady state.
Features: somatic input resistance, slowest time constant (from the decay after the step)
and each compartment's steady-state attenuation (its regions' area-weighted mean voltage on
the reference). These are what a passive reduction is usually built from: a case lists
them as constraints when its reduced model was."""

from __future__ import annotations

from ..passive import measure_input_resistance, measure_time_constant
from .base import Context, Outcome, Protocol, dendritic_sites

#: A small step keeps any active membrane near rest (A).
STEP_AMPLITUDE = 10e-12


class PassiveStep(Protocol):
    name = "step"
    title = "Passive step: input resistance, time constant, attenuation"
    features = ("input_resistance", "time_constant", "attenuation")

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import amp, second

        from ...stimuli import Step
        case = ctx.case
        tau = case.reference.time_constant
        start, stop = 0.005, 0.005 + 12 * tau
        step = Step("soma", STEP_AMPLITUDE * amp, start * second, stop * second)
        sites = dendritic_sites(case)
        duration = stop + 8 * tau
        reference = ctx.reference([step], duration, {"soma": "soma", **{c: case.mapping[c] for c in sites}})
        expected = _features(reference, start * 1e3, stop * 1e3, sites)
        outcome = Outcome(runs={"reference": reference})
        for sim in ctx.simulators:
            result = ctx.reduced(None, sim, [step], duration)
            outcome.runs[sim] = result
            measured = _features(result, start * 1e3, stop * 1e3, sites)
            outcome.rows += [ctx.row(self.name, "input_resistance", "soma", "", "MOhm", sim,
                                     expected["input_resistance"], measured["input_resistance"]),
                             ctx.row(self.name, "time_constant", "soma", "", "ms", sim, expected["time_constant"],
                                     measured["time_constant"])]
            outcome.rows += [ctx.row(self.name, "attenuation", c, "", "", sim, expected["attenuation"][c],
                                     measured["attenuation"][c]) for c in sites]
        traces = reference.traces.add_prefix("reference:")
        for sim, result in outcome.runs.items():
            if sim != "reference":
                for c in result.traces.columns:
                    traces[f"{sim}:{c}"] = result.traces[c].to_numpy()
        outcome.tables["traces"] = traces
        outcome.tables["step"] = _step_table(STEP_AMPLITUDE, start, stop)
        return outcome


def _features(result, start_ms: float, stop_ms: float, sites: list[str]) -> dict:
    before = result.traces.index < stop_ms
    deflection = {c: result.traces[c][before].iloc[-1] - result.traces[c].iloc[0] for c in ["soma"] + sites}
    return {"input_resistance": measure_input_resistance(result, "soma", STEP_AMPLITUDE, start_ms, stop_ms) / 1e6,
            "time_constant": measure_time_constant(result, "soma", start_ms, stop_ms) * 1e3,
            "attenuation": {c: deflection[c] / deflection["soma"] for c in sites}}


def _step_table(amplitude: float, start: float, stop: float):
    import pandas as pd
    return pd.DataFrame([{"amplitude_pA": amplitude * 1e12, "start_ms": start * 1e3, "stop_ms": stop * 1e3}])

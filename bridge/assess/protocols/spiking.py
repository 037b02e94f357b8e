"""Protocols of a spiking soma: the F-I curve (somatic current steps of several amplitudes:
rate over the step, steady-state rate, spike-time coincidence with the reference) and the
back-propagating action potential (peak depolarisation at every compartment after one
somatic spike evoked by a brief pulse)."""

from __future__ import annotations

import pandas as pd

from ...errors import ModelError
from .base import Context, Outcome, Protocol, dendritic_sites

#: F-I rates are compared relative to the reference rate, but at least to 1 Hz, so that a
#: silent reference (0 Hz) is not divided by.
RATE_FLOOR_HZ = 1.0
#: Precision window of the spike-coincidence factor (ms), as in Jolivet et al. (2008).
COINCIDENCE_WINDOW_MS = 4.0


class FICurve(Protocol):
    name = "fi_curve"
    title = "F-I curve: somatic current steps"
    features = ("fi_rate", "fi_steady_rate", "fi_coincidence")
    settings = {"fi_amplitudes_nA": [0.6, 0.8, 1.0, 1.2, 1.5], "fi_step_ms": [100.0, 600.0]}

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms, nA

        from ...stimuli import Step
        from ..features import spike_features, spike_times
        start, stop = ctx.setting("fi_step_ms")
        duration = (stop + 100) * 1e-3
        outcome, records = Outcome(), []
        amplitudes = ctx.setting("fi_amplitudes_nA")
        steps = [Step("soma", amplitude * nA, start * ms, stop * ms) for amplitude in amplitudes]
        references = ctx.references([ctx.detailed_run([step], duration, ["soma"]) for step in steps])
        for amplitude, step, reference in zip(amplitudes, steps, references):
            condition = f"{amplitude:g} nA"
            runs = {"reference": reference}
            runs.update({sim: ctx.reduced(None, sim, [step], duration, record=["soma"]) for sim in ctx.simulators})
            values = {who: spike_features(r.traces.index, r.traces["soma"], start, stop) for who, r in runs.items()}
            trains = {who: spike_times(r.traces.index, r.traces["soma"], start, stop) for who, r in runs.items()}
            records += [{"who": who, "amplitude_nA": amplitude, **v} for who, v in values.items()]
            expected = values["reference"]
            for sim in ctx.simulators:
                measured = values[sim]
                outcome.rows.append(ctx.row(self.name, "fi_rate", "soma", condition, "Hz", sim, expected["rate"],
                                            measured["rate"], floor=RATE_FLOOR_HZ, note="spikes over the step"))
                outcome.rows.append(_steady_row(ctx, self.name, condition, sim, expected["steady_rate"],
                                                measured["steady_rate"]))
                outcome.rows.append(coincidence_row(ctx, self.name, condition, sim, trains["reference"],
                                                    trains[sim], stop - start))
        outcome.tables["fi_curve"] = pd.DataFrame(records)
        return outcome


def _steady_row(ctx, protocol, condition, sim, expected, measured) -> dict:
    """The steady-state rate needs two intervals in both; otherwise undefined, except when
    neither has them (nothing to compare: shown as 0 error with a note)."""
    if expected is None and measured is None:
        return ctx.row(protocol, "fi_steady_rate", "soma", condition, "Hz", sim, 0.0, 0.0, error=0.0,
                       note="fewer than two intervals in both")
    nan = float("nan")
    error = None if expected is not None and measured is not None else nan
    return ctx.row(protocol, "fi_steady_rate", "soma", condition, "Hz", sim, nan if expected is None else expected,
                   nan if measured is None else measured, floor=RATE_FLOOR_HZ, error=error,
                   note="inverse of the mean of the later half of the intervals")


def coincidence_row(ctx, protocol, condition, sim, reference, reduced, duration_ms,
                    feature: str = "fi_coincidence") -> dict:
    from ..features import coincidence_factor
    note = f"Kistler/Jolivet Gamma, +-{COINCIDENCE_WINDOW_MS:g} ms window; error = |1 - Gamma|"
    try:
        gamma = coincidence_factor(reference, reduced, duration_ms, COINCIDENCE_WINDOW_MS)
    except ModelError as exc:  # undefined Gamma: reported as such, never a pass
        gamma, note = float("nan"), f"Gamma undefined: {exc.message}"
    return ctx.row(protocol, feature, "soma", condition, "", sim, 1.0, gamma, error=abs(1.0 - gamma), note=note)


class BackPropagatingAP(Protocol):
    name = "bap"
    title = "Back-propagating action potential"
    features = ("bap_amplitude",)
    settings = {"bap_pulse_nA": 3.0, "bap_pulse_ms": 2.0, "bap_start_ms": 10.0}

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms, nA

        from ...stimuli import Step
        from ..features import peak_deflection
        case = ctx.case
        start = ctx.setting("bap_start_ms")   # later for a cell that must settle from its initial state
        pulse = Step("soma", ctx.setting("bap_pulse_nA") * nA, start * ms, (start + ctx.setting("bap_pulse_ms")) * ms)
        duration = (start + 30) * 1e-3

        def amplitude(trace):
            return peak_deflection(trace.loc[start - 0.5:])

        sites = dendritic_sites(case)
        names = [case.model.soma.name] + sites
        reference = ctx.reference([pulse], duration, {"soma": "soma", **{c: case.mapping[c] for c in sites}})
        expected = {c: amplitude(reference.traces["soma" if c == names[0] else c]) for c in names}
        outcome, records = Outcome(), [{"who": "reference", "site": c, "amplitude": v} for c, v in expected.items()]
        for sim in ctx.simulators:
            result = ctx.reduced(None, sim, [pulse], duration, record=names)
            for c in names:
                measured = amplitude(result.traces[c])
                records.append({"who": sim, "site": c, "amplitude": measured})
                outcome.rows.append(ctx.row(self.name, "bap_amplitude", c, f"{ctx.setting('bap_pulse_nA'):g} nA "
                                            f"pulse", "mV", sim, expected[c], measured))
        outcome.tables["bap"] = pd.DataFrame(records)
        return outcome

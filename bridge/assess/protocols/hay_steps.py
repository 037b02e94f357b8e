"""Hay et al. (2011)'s somatic step protocol and the features they fitted their layer-5
cell to: three 2 s steps (0.458, 0.562, 0.95 nA after 700 ms) and, at each, eFEL's mean
frequency, time to first spike, AP height and width, AHP depth, ISI CV, adaptation index
and doublet ISI. Each feature's error is the reduced model's distance from the detailed
reference's value in Hay's experimental SDs for that step, so the case's tolerance for
these features is a number of SDs (2 in the cases ``bridge reduce`` writes).

Another cell runs its own amplitudes (``hay_amplitudes_nA``: ``bridge reduce`` scales Hay's by
the cell's rheobase over his cell's), each judged in the SDs of the Hay step it stands for
(``hay_sd_steps_nA``, in the same order; by default the amplitudes themselves)."""

from __future__ import annotations

import pandas as pd

from .base import Context, Outcome, Protocol

CITATION = "Hay E, Hill S, Schuermann F, Markram H, Segev I (2011) PLoS Comput Biol 7(7): e1002107"
#: Hay's experimental (mean, SD) per step amplitude (nA) and eFEL feature, from his
#: published feature set (as BluePyOpt's examples/l5pc/config/features.json ships it:
#: Step1, Step2, Step3).
EXPERIMENTAL = {
    0.458: {"mean_frequency": (6.0, 1.2222), "time_to_first_spike": (27.25, 5.7222), "AP_height": (25.0141, 3.1463),
            "AP_width": (3.5312, 0.8592), "AHP_depth_abs": (-60.3636, 2.3018), "ISI_CV": (0.109, 0.1217),
            "adaptation_index2": (0.0047, 0.0514), "doublet_ISI": (62.75, 9.6667)},
    0.562: {"mean_frequency": (8.5, 0.9796), "time_to_first_spike": (19.75, 2.8776), "AP_height": (27.1003, 3.1463),
            "AP_width": (2.7917, 0.7499), "AHP_depth_abs": (-59.9055, 1.8329), "ISI_CV": (0.0674, 0.075),
            "adaptation_index2": (0.005, 0.0067), "doublet_ISI": (44.0, 7.1327)},
    0.95: {"mean_frequency": (17.5, 0.8), "time_to_first_spike": (10.5, 1.36), "AP_height": (19.7207, 3.7204),
           "AP_width": (3.5347, 0.8788), "AHP_depth_abs": (-57.0905, 2.3427), "ISI_CV": (0.0737, 0.0292),
           "adaptation_index2": (0.0055, 0.0015), "doublet_ISI": (22.75, 4.14)},
}
UNITS = {"mean_frequency": "Hz", "time_to_first_spike": "ms", "AP_height": "mV", "AP_width": "ms",
         "AHP_depth_abs": "mV", "ISI_CV": "", "adaptation_index2": "", "doublet_ISI": "ms"}
STEP_MS = (700.0, 2700.0)


def sd_row(ctx: Context, protocol: str, feature: str, site: str, condition: str, unit: str, simulator: str,
           expected, measured, mean: float, sd: float, note: str = "") -> dict:
    """A feature row whose error is the distance between the reduced (``measured``) and the
    detailed (``expected``) value in Hay's experimental SD ``sd`` (his ``mean`` named in the
    note); undefined (NaN) where either value is (None)."""
    nan = float("nan")
    error = abs(measured - expected) / sd if None not in (expected, measured) else nan
    return ctx.row(protocol, feature, site, condition, unit, simulator, nan if expected is None else expected,
                   nan if measured is None else measured, error=error, scale="sd",
                   note=f"{note}error in Hay's SDs ({mean:g} +- {sd:g} {unit}, {CITATION})")


def hay_features(t_ms, v_mv) -> dict:
    """eFEL's values of Hay's features over the step (the mean over spikes where eFEL gives
    one per spike); None where eFEL cannot compute one (too few spikes)."""
    from ..features import _efel
    values = _efel(t_ms, v_mv, *STEP_MS, list(UNITS))
    return {name: None if v is None else float(sum(v) / len(v)) for name, v in values.items()}


class HaySteps(Protocol):
    name = "hay_steps"
    title = "Hay et al. 2011's somatic steps: their features, in their SDs"
    features = tuple(f"hay_{name}" for name in UNITS)
    settings = {"hay_amplitudes_nA": sorted(EXPERIMENTAL), "hay_sd_steps_nA": None}

    @staticmethod
    def judged_by(settings: dict) -> list:
        """``(amplitude, Hay's step whose SDs judge it)`` pairs, in the case's order."""
        amplitudes = list(settings["hay_amplitudes_nA"])
        steps = settings["hay_sd_steps_nA"]
        return list(zip(amplitudes, amplitudes if steps is None else steps))

    @classmethod
    def check(cls, settings: dict, obj: str) -> None:
        from ...errors import ModelError
        amplitudes, steps = settings["hay_amplitudes_nA"], settings["hay_sd_steps_nA"]
        if not amplitudes or not all(isinstance(a, (int, float)) and a > 0 for a in amplitudes):
            raise ModelError(f"amplitudes {amplitudes!r}", obj=obj, param="settings.hay_amplitudes_nA",
                             expected="positive currents in nA")
        if steps is not None and len(steps) != len(amplitudes):
            raise ModelError(f"{len(steps)} Hay steps for {len(amplitudes)} amplitudes", obj=obj,
                             param="settings.hay_sd_steps_nA", expected="one Hay step per amplitude")
        unknown = [step for _, step in cls.judged_by(settings) if step not in EXPERIMENTAL]
        if unknown:
            param, expected = "settings.hay_sd_steps_nA", ", ".join(map(str, EXPERIMENTAL))
            if steps is None:   # the amplitudes are Hay's steps themselves
                param = "settings.hay_amplitudes_nA"
                expected += " (or name the Hay step judging each in hay_sd_steps_nA)"
            raise ModelError(f"no experimental features at {unknown[0]} nA", obj=obj, param=param, expected=expected)

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms, nA

        from ...stimuli import Step
        duration = (STEP_MS[1] + 100) * 1e-3
        outcome, records = Outcome(), []
        judged = self.judged_by(ctx.case.settings)
        steps = [Step("soma", amplitude * nA, STEP_MS[0] * ms, STEP_MS[1] * ms) for amplitude, _ in judged]
        references = ctx.references([ctx.detailed_run([step], duration, ["soma"]) for step in steps])
        for (amplitude, hay_step), step, reference in zip(judged, steps, references):
            runs = {"reference": reference}
            runs.update({sim: ctx.reduced(None, sim, [step], duration, record=["soma"]) for sim in ctx.simulators})
            values = {who: hay_features(r.traces.index, r.traces["soma"]) for who, r in runs.items()}
            records += [{"who": who, "amplitude_nA": amplitude, **v} for who, v in values.items()]
            for sim in ctx.simulators:
                for name, unit in UNITS.items():
                    outcome.rows.append(sd_row(ctx, self.name, f"hay_{name}", "soma", f"{amplitude:g} nA", unit, sim,
                                               values["reference"][name], values[sim][name],
                                               *EXPERIMENTAL[hay_step][name], note=f"at his {hay_step:g} nA step: "))
        outcome.tables["hay_steps"] = pd.DataFrame(records)
        return outcome

"""Hay et al. (2011)'s back-propagating action potential, judged by their own features: a
1.9 nA, 5 ms somatic pulse (``hay_pulse_nA``, ``hay_pulse_ms`` at ``hay_pulse_start_ms``,
after the cell has settled; a cell of another rheobase gets it scaled, as ``bridge reduce``
writes it), the soma's spike
(eFEL's AP_height, AP_width, Spikecount) and the spike's amplitude from the voltage base
at 660 and 800 um from the soma (``hay_bap_sites_um``) on the main apical path, where
Hay's experiments recorded it. In the reduced model a site's value is its compartment's,
the compartment the case's synapse map puts that segment in. Each error is the distance
from the detailed cell's value in Hay's experimental SDs (his published feature set),
like ``hay_steps``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Context, Outcome, Protocol, mapped_segment, synapse_map
from .hay_steps import sd_row

#: Hay's experimental (mean, SD) of the bAP features (BluePyOpt's
#: examples/l5pc/config/features.json, "bAP": soma, dend1 at 660 um, dend2 at 800 um).
SOMA = {"AP_height": (25.0, 5.0, "mV"), "AP_width": (2.0, 0.5, "ms"), "Spikecount": (1.0, 0.01, "")}
DENDRITE = {660.0: (45.0, 10.0), 800.0: (36.0, 9.33)}
#: Hay's somatic pulse, shared by his bAP and BAC protocols: 1.9 nA for 5 ms, after 700 ms
#: of settling.
PULSE = {"hay_pulse_nA": 1.9, "hay_pulse_ms": 5.0, "hay_pulse_start_ms": 700.0}
#: The voltage base: eFEL's, the mean over the last tenth of the time before the pulse.
BASE_FRACTION = 0.1


def amplitude_from_base(trace: pd.Series, start_ms: float) -> float:
    """Peak after ``start_ms`` minus the mean over the last tenth of the time before it (mV)."""
    base = trace.loc[(1 - BASE_FRACTION) * start_ms:start_ms].iloc[:-1].mean()
    return float(trace.loc[start_ms:].max() - base)


def mapped_sites(case, sites, protocol: str) -> list[tuple[str, float]]:
    """``(compartment, weight)`` of each detailed segment site in the case's synapse map
    (which ``protocol`` reads it for)."""
    table = synapse_map(case, protocol)
    return [mapped_segment(table, site.section.split(".")[-1], site.x, f"case {case.name}") for site in sites]


class HayBAP(Protocol):
    name = "hay_bap"
    title = "Hay et al. 2011's back-propagating spike: their features, in their SDs"
    features = ("hay_bap_AP_height", "hay_bap_AP_width", "hay_bap_Spikecount", "hay_bap_amplitude")
    settings = {**PULSE, "hay_bap_sites_um": [660.0, 800.0]}

    @classmethod
    def check(cls, settings: dict, obj: str) -> None:
        from ...errors import ModelError
        sites = settings["hay_bap_sites_um"]
        unknown = [d for d in sites if float(d) not in DENDRITE]
        if not sites or unknown:
            raise ModelError(f"bAP sites {sites!r}", obj=obj, param="settings.hay_bap_sites_um",
                             expected=f"some of Hay's recording distances {', '.join(f'{d:g}' for d in DENDRITE)}")

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms, nA

        from ...neuron.detailed import apical_path_sites
        from ...stimuli import Step
        from ..features import _efel
        case = ctx.case
        start, width = ctx.setting("hay_pulse_start_ms"), ctx.setting("hay_pulse_ms")
        distances = [float(d) for d in ctx.setting("hay_bap_sites_um")]
        pulse = Step("soma", ctx.setting("hay_pulse_nA") * nA, start * ms, (start + width) * ms)
        duration = (start + 40) * 1e-3
        sites = apical_path_sites(case.reference, distances)
        compartments = [c for c, _ in mapped_sites(case, sites, self.name)]
        labels = [f"{d:g} um" for d in distances]
        runs = {"reference": ctx.reference([pulse], duration, {"soma": "soma", **dict(zip(labels, sites))}).traces}
        for sim in ctx.simulators:
            traces = ctx.reduced(None, sim, [pulse], duration, record=[case.model.soma.name, *compartments]).traces
            # two of Hay's sites may lie in one compartment (Migliore et al.'s CA1 cell: 660 and 800 um)
            runs[sim] = pd.DataFrame({"soma": traces[case.model.soma.name],
                                      **{label: traces[c] for c, label in zip(compartments, labels)}})
        values = {}
        for who, traces in runs.items():
            soma = _efel(traces.index, traces["soma"], start, start + 40, list(SOMA))
            values[who] = {name: None if v is None else float(np.mean(v)) for name, v in soma.items()}
            values[who]["Spikecount"] = float(0 if soma["AP_height"] is None else len(soma["AP_height"]))
            values[who].update({label: amplitude_from_base(traces[label], start) for label in labels})
        outcome = Outcome()
        for sim in ctx.simulators:
            for name, (mean, sd, unit) in SOMA.items():
                outcome.rows.append(sd_row(ctx, self.name, f"hay_bap_{name}", "soma", "bAP pulse", unit, sim,
                                           values["reference"][name], values[sim][name], mean, sd))
            for distance, label, compartment in zip(distances, labels, compartments):
                outcome.rows.append(sd_row(ctx, self.name, "hay_bap_amplitude", compartment, f"{label} from the soma",
                                           "mV", sim, values["reference"][label], values[sim][label],
                                           *DENDRITE[distance], note=f"amplitude from the voltage base at {label}; "))
        outcome.tables["hay_bap_traces"] = long_traces(runs, ["soma", *labels], start)
        return outcome


def long_traces(runs: dict, sites: list[str], start_ms: float, span_ms: float = 35.0) -> pd.DataFrame:
    """Long table (time_ms, who, site, v_mV) of each run's voltages from 5 ms before the
    pulse to ``span_ms`` after, for the figure."""
    frames = []
    for who, traces in runs.items():
        part = traces.loc[start_ms - 5:start_ms + span_ms, sites]
        part = part.rename_axis("time_ms").reset_index().melt("time_ms", var_name="site", value_name="v_mV")
        frames.append(part.assign(who=who))
    return pd.concat(frames, ignore_index=True)[["time_ms", "who", "site", "v_mV"]]

"""The dendritic input-output curve: n synchronous AMPA+NMDA synapses (n in ``io_counts``,
up to 128) on one segment of the site's regions (the one nearest their mean distance) in
the reference, and in the site's compartment of the reduced model. Features per count: the
peak depolarisation at the soma and at the synapse (local); and the NMDA plateau threshold,
the count at which the local peak jumps (its half-maximum count: ``plateau_threshold``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Context, Outcome, Protocol, dendritic_sites, with_synapses

#: The synapses' kinetics (the same in reference and reduced model): AMPA decaying in 2 ms,
#: NMDA in 50 ms with the Mg block.
KINETICS = {"ampa_tau": 2e-3, "nmda_tau": 50e-3, "onset": 10e-3, "duration": 160e-3}


def plateau_threshold(counts, local_peaks) -> float:
    """The synapse count at which the local peak reaches half its largest value over the
    counts, interpolated in log2(count): on the sigmoidal curve of an NMDA plateau, the
    midpoint of the jump. NaN when the first count already exceeds half the largest."""
    counts, peaks = np.asarray(counts, float), np.asarray(local_peaks, float)
    half = peaks.max() / 2
    above = np.nonzero(peaks >= half)[0]
    k = int(above[0]) if len(above) else 0
    if k == 0:
        return float("nan")
    fraction = (half - peaks[k - 1]) / (peaks[k] - peaks[k - 1])
    return float(2 ** (np.log2(counts[k - 1]) + fraction * np.log2(counts[k] / counts[k - 1])))


class InputOutput(Protocol):
    name = "io_curve"
    title = "Dendritic input-output curve (AMPA+NMDA), local and somatic"
    features = ("io_soma_peak", "io_local_peak", "io_plateau_threshold")
    settings = {"io_site": None, "io_counts": [1, 2, 4, 8, 16, 32, 64, 128], "io_g_ampa_nS": 0.5,
                "io_g_nmda_nS": 0.5}

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms

        from ...model import Synapse
        from ...neuron.detailed import SynapticInput, synapse_site
        from ...stimuli import SpikeTrain
        from ..features import peak_deflection
        case, k = ctx.case, KINETICS
        site = ctx.setting("io_site") or dendritic_sites(case)[-1]
        counts = [int(n) for n in ctx.setting("io_counts")]
        g_ampa, g_nmda = ctx.setting("io_g_ampa_nS") * 1e-9, ctx.setting("io_g_nmda_nS") * 1e-9
        mg = case.model.globals["Mg_con"]
        model = with_synapses(case.model, site, Synapse("AMPA", "io", g=g_ampa, t_decay=k["ampa_tau"]),
                              Synapse("NMDA", "io", g=g_nmda, t_decay=k["nmda_tau"]))
        where = synapse_site(case.reference, case.mapping[site])
        records = []
        detailed = ctx.references([ctx.detailed_run(
            [], k["duration"], {"soma": "soma", "local": where},
            [SynapticInput(where, k["onset"], g_ampa, k["ampa_tau"], weight=n),
             SynapticInput(where, k["onset"], g_nmda, k["nmda_tau"], weight=n, nmda=True, mg=mg)]) for n in counts])
        for n, run in zip(counts, detailed):
            records.append({"who": "reference", "synapses": n, "soma": peak_deflection(run.traces["soma"]),
                            "local": peak_deflection(run.traces["local"])})
            trains = [SpikeTrain(site, name, [k["onset"] * 1e3] * ms, weight=n) for name in ("AMPA_io", "NMDA_io")]
            for sim in ctx.simulators:
                result = ctx.reduced(model, sim, trains, k["duration"], record=["soma", site])
                records.append({"who": sim, "synapses": n, "soma": peak_deflection(result.traces["soma"]),
                                "local": peak_deflection(result.traces[site])})
        table = pd.DataFrame(records)
        table["site"] = site
        reference = table[table["who"] == "reference"].set_index("synapses")
        outcome = Outcome(tables={"io_curve": table})
        threshold = plateau_threshold(counts, reference["local"])
        for sim in ctx.simulators:
            reduced = table[table["who"] == sim].set_index("synapses")
            for n in counts:
                for feature, key, at in (("io_soma_peak", "soma", "soma"), ("io_local_peak", "local", site)):
                    outcome.rows.append(ctx.row(self.name, feature, at, f"{n} syn", "mV", sim,
                                                reference.loc[n, key], reduced.loc[n, key]))
            outcome.rows.append(_threshold_row(ctx, self.name, site, sim, threshold,
                                               plateau_threshold(counts, reduced["local"])))
        return outcome


def _threshold_row(ctx, protocol: str, site: str, sim: str, expected: float, measured: float) -> dict:
    """Relative error of the plateau threshold; both without one agree (error 0), one
    without is undefined (a failure)."""
    both_none = expected != expected and measured != measured
    error = 0.0 if both_none else (abs(measured - expected) / expected if expected == expected else float("nan"))
    note = "no threshold in either" if both_none else ("no threshold in the reference" if expected != expected else
                                                      ("no threshold in the reduced model" if measured != measured
                                                       else ""))
    return ctx.row(protocol, "io_plateau_threshold", site, "half-maximum local peak", "synapses", sim,
                   expected, measured, error=error, note=note)

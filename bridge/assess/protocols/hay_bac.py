"""Hay et al. (2011)'s BAC firing (back-propagating-AP-activated calcium spike firing),
judged by their own features: the somatic pulse of his bAP protocol (``hay_pulse_nA`` for
``hay_pulse_ms`` at ``hay_pulse_start_ms``) and, ``hay_bac_delay_ms`` later, an EPSP-shaped
current (:class:`bridge.EPSCurrent`: ``hay_bac_epsc_nA`` peak, rise and decay
``hay_bac_tau_ms``; Hay's 0.5 nA, 0.5 and 5 ms) on the main apical path
``hay_bac_site_um`` from the soma (Hay's 620 um), recorded there. Together they make the
detailed cell fire a burst on a dendritic calcium spike that neither makes alone.

Features, as Hay's evaluation defines them: at the soma (spikes: upward crossings of
-30 mV), the spike count, the first spike's peak, the mean interval between spikes and the
mean minimum between them (AHP depth); at the site, the calcium spike's peak and its width
above -55 mV. In the reduced model the current goes into the compartment the case's
synapse map puts the site's segment in, times the map's weight there (the factor that keeps
a synapse's steady effect at the soma: a current's too), and the compartment is recorded.
Each error is the distance from the detailed cell's value in Hay's experimental SDs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Context, Outcome, Protocol
from .hay_bap import PULSE
from .hay_steps import sd_row

#: Hay's experimental (mean, SD, unit) of the BAC features (his evaluation's definitions).
EXPERIMENTAL = {"Spikecount": (3.0, 0.01, ""), "AP_height": (25.0, 5.0, "mV"), "ISI": (9.901, 0.8517, "ms"),
                "AHP_depth": (-65.0, 4.0, "mV"), "ca_height": (6.73, 2.54, "mV"), "ca_width": (37.43, 1.27, "ms")}
#: Hay's thresholds: a somatic spike crosses -30 mV; the calcium spike is the time above -55 mV.
SOMA_THRESHOLD_MV, CALCIUM_THRESHOLD_MV = -30.0, -55.0
#: How long after the pulse the burst is looked for (ms).
WINDOW_MS = 150.0


def _excursions(v: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """(first index above, first index below again) of every excursion above ``threshold``."""
    above = np.concatenate([[False], v > threshold, [False]])
    edges = np.flatnonzero(np.diff(above.astype(int)))
    return list(zip(edges[::2], edges[1::2]))


def burst_features(t_ms: np.ndarray, v_soma: np.ndarray, v_site: np.ndarray) -> dict:
    """Hay's BAC features of traces that start at the pulse; None where undefined (an
    interval or AHP needs two spikes, a calcium spike an excursion above -55 mV)."""
    spikes = [a + int(np.argmax(v_soma[a:b])) for a, b in _excursions(v_soma, SOMA_THRESHOLD_MV)]
    out = {"Spikecount": float(len(spikes)), "AP_height": float(v_soma[spikes[0]]) if spikes else None,
           "ISI": float(np.mean(np.diff(t_ms[spikes]))) if len(spikes) > 1 else None,
           "AHP_depth": float(np.mean([v_soma[a:b].min() for a, b in zip(spikes, spikes[1:])]))
           if len(spikes) > 1 else None}
    calcium = _excursions(v_site, CALCIUM_THRESHOLD_MV)
    if calcium:
        a, b = calcium[0]
        out.update(ca_height=float(v_site[a:b].max()), ca_width=float(t_ms[min(b, len(t_ms) - 1)] - t_ms[a]))
    else:
        out.update(ca_height=None, ca_width=None)
    return out


class HayBAC(Protocol):
    name = "hay_bac"
    title = "Hay et al. 2011's BAC firing: their features, in their SDs"
    features = tuple(f"hay_bac_{name}" for name in EXPERIMENTAL)
    settings = {**PULSE, "hay_bac_site_um": 620.0, "hay_bac_epsc_nA": 0.5, "hay_bac_delay_ms": 5.0,
                "hay_bac_tau_ms": [0.5, 5.0]}

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms, nA

        from ...neuron.detailed import apical_path_sites
        from ...stimuli import EPSCurrent, Step
        from .hay_bap import long_traces, mapped_sites
        case = ctx.case
        start, width = ctx.setting("hay_pulse_start_ms"), ctx.setting("hay_pulse_ms")
        distance = float(ctx.setting("hay_bac_site_um"))
        rise, decay = ctx.setting("hay_bac_tau_ms")
        pulse = Step("soma", ctx.setting("hay_pulse_nA") * nA, start * ms, (start + width) * ms)
        onset = (start + ctx.setting("hay_bac_delay_ms")) * ms
        duration = (start + WINDOW_MS) * 1e-3
        site = apical_path_sites(case.reference, [distance])[0]
        compartment, weight = mapped_sites(case, [site], self.name)[0]
        label = f"{distance:g} um"
        epsc = EPSCurrent(label, ctx.setting("hay_bac_epsc_nA") * nA, onset, rise * ms, decay * ms)
        reference = ctx.reference([pulse, epsc], duration, {"soma": "soma", label: site}).traces
        runs = {"reference": reference}
        mapped = EPSCurrent(compartment, ctx.setting("hay_bac_epsc_nA") * weight * nA, onset, rise * ms, decay * ms)
        for sim in ctx.simulators:
            record = [case.model.soma.name, compartment]
            traces = ctx.reduced(None, sim, [pulse, mapped], duration, record=record).traces
            runs[sim] = traces.rename(columns={case.model.soma.name: "soma", compartment: label})
        values = {}
        for who, traces in runs.items():
            after = traces.loc[start:]
            values[who] = burst_features(after.index.to_numpy(), after["soma"].to_numpy(), after[label].to_numpy())
        outcome = Outcome()
        condition = f"pulse + EPSC at {label}"
        for sim in ctx.simulators:
            for name, (mean, sd, unit) in EXPERIMENTAL.items():
                where = compartment if name.startswith("ca_") else "soma"
                outcome.rows.append(sd_row(ctx, self.name, f"hay_bac_{name}", where, condition, unit, sim,
                                           values["reference"][name], values[sim][name], mean, sd))
        outcome.tables["hay_bac_traces"] = long_traces(runs, ["soma", label], start, span_ms=100.0)
        return outcome

"""EPSPs at sampled sites of a published cell, each mapped through the case's synapse map
(``synapses.json`` of ``bridge reduce``): ``epsp_map_sites`` segments drawn (seeded) in each
compartment's part of the detailed cell's dendrites, one synaptic event at each, one after
another ``epsp_map_gap_ms`` apart in one run after ``epsp_map_start_ms`` of settling (an
active cell runs once, not once per site); in the reduced model the same event goes into
the site's compartment with the map's weight. The somatic EPSP of each event is measured
against the voltage just before it: amplitude, 10-90% rise time, half-width. A compartment
stands for all its sites, so the median of its reduced EPSPs is judged against the band of
the detailed cell's (bridge.assess.judge.Spread), as the ``epsp`` protocol judges."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import ModelError
from ..judge import Spread
from .base import Context, Outcome, Protocol, synapse_map, with_synapses
from .bombardment import NOT_DENDRITES
from .epsp import SYNAPSE

#: (feature, unit, key of psp_features)
FEATURES = (("mapped_epsp_amplitude", "mV", "amplitude"), ("mapped_epsp_rise_time", "ms", "rise_time"),
            ("mapped_epsp_half_width", "ms", "half_width"))
#: The baseline before each event that its EPSP is measured from (ms).
BASELINE_MS = 10.0


def schedule(synapse_map: pd.DataFrame, per_compartment: int, start_ms: float, gap_ms: float,
             seed: int) -> pd.DataFrame:
    """Up to ``per_compartment`` dendritic rows of ``synapse_map`` per compartment (all when
    it has fewer), drawn without replacement with ``seed``, compartments in the map's
    order, each with its event time ``time_ms``: ``start_ms`` + k ``gap_ms``."""
    rng = np.random.default_rng(seed)
    dendrites = synapse_map[~synapse_map["region"].isin(NOT_DENDRITES)]
    chosen = []
    for _, rows in dendrites.groupby("compartment", sort=False):
        picked = rng.choice(len(rows), min(per_compartment, len(rows)), replace=False)
        chosen.append(rows.iloc[np.sort(picked)])
    if not chosen:
        raise ModelError("the synapse map has no dendritic segments", obj="mapped EPSPs", param="synapse_map")
    sites = pd.concat(chosen, ignore_index=True)
    return sites.assign(time_ms=start_ms + gap_ms * np.arange(len(sites)))


def event_features(result, onset_ms: float, gap_ms: float) -> dict:
    """psp_features of the somatic EPSP of the event at ``onset_ms`` (NaN where it cannot be
    measured), from ``BASELINE_MS`` before it to the next event."""
    from ..features import psp_features
    t = result.traces.index.to_numpy()
    inside = (t >= onset_ms - BASELINE_MS) & (t < onset_ms + gap_ms - BASELINE_MS)
    shifted = t[inside] - (onset_ms - BASELINE_MS)
    try:
        return psp_features(shifted, result.traces["soma"].to_numpy()[inside], BASELINE_MS, gap_ms - BASELINE_MS)
    except ModelError:
        return {key: float("nan") for _, _, key in FEATURES}


def reduced_inputs(model, sites: pd.DataFrame) -> tuple:
    """``(model with one EPSP synapse per compartment the sites use, spike trains)``: each
    site's event into its compartment with the map's weight."""
    from brian2.units import ms

    from ...model import Synapse
    from ...stimuli import SpikeTrain
    for compartment in dict.fromkeys(sites["compartment"]):
        model = with_synapses(model, compartment, Synapse("AMPA", "epsp_map", g=SYNAPSE["g"], t_decay=SYNAPSE["tau"]))
    trains = [SpikeTrain(row.compartment, "AMPA_epsp_map", [row.time_ms] * ms, weight=row.weight)
              for row in sites.itertuples()]
    return model, trains


class MappedEPSP(Protocol):
    name = "epsp_map"
    title = "EPSPs at sampled sites, mapped through the synapse map"
    features = tuple(f for f, _, _ in FEATURES)
    settings = {"epsp_map_sites": 12, "epsp_map_gap_ms": 80.0, "epsp_map_start_ms": 500.0, "epsp_map_seed": 1}

    def run(self, ctx: Context) -> Outcome:
        from ...neuron.detailed import SegmentSite, SynapticInput
        case = ctx.case
        gap = ctx.setting("epsp_map_gap_ms")
        sites = schedule(synapse_map(case, self.name), ctx.setting("epsp_map_sites"),
                         ctx.setting("epsp_map_start_ms"), gap, ctx.setting("epsp_map_seed"))
        duration = (sites["time_ms"].iloc[-1] + gap) * 1e-3
        inputs = [SynapticInput(SegmentSite(row.section, row.x), row.time_ms * 1e-3, SYNAPSE["g"], SYNAPSE["tau"])
                  for row in sites.itertuples()]
        runs = {"reference": ctx.reference([], duration, ["soma"], synapses=inputs)}
        model, trains = reduced_inputs(case.model, sites)
        runs.update({sim: ctx.reduced(model, sim, trains, duration, record=["soma"]) for sim in ctx.simulators})
        records = [{"who": who, "compartment": row.compartment, "section": row.section, "x": row.x,
                    "distance_um": row.distance_um, "weight": row.weight, "time_ms": row.time_ms,
                    **event_features(result, row.time_ms, gap)}
                   for who, result in runs.items() for row in sites.itertuples()]
        table = pd.DataFrame(records)
        outcome = Outcome(tables={"epsp_map": table})
        for compartment, part in table.groupby("compartment", sort=False):
            reference = part[part["who"] == "reference"]
            for sim in ctx.simulators:
                reduced = part[part["who"] == sim]
                for feature, unit, key in FEATURES:
                    values = reference[key].dropna()
                    measured = float(reduced[key].median())
                    if values.empty:
                        outcome.rows.append(ctx.row(self.name, feature, compartment, f"{len(reference)} sites", unit,
                                                    sim, float("nan"), measured, error=float("nan"),
                                                    note="no EPSP measured at these sites in the detailed cell"))
                        continue
                    outcome.rows.append(ctx.row(self.name, feature, compartment, f"{len(values)} sites", unit, sim,
                                                Spread(tuple(values)), measured,
                                                note="median of the reduced EPSPs, each with its site's weight"))
        return outcome

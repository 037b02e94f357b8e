"""EPSPs at sampled sites: one synaptic event on every segment of each mapped region (or
``epsp_sites`` seeded random segments of it, at least 20; ``epsp_d_lambda`` refines the
reference's segments for this protocol where a region has too few), the somatic EPSP's amplitude,
10-90% rise time and half-width and the local EPSP's amplitude at the synapse, against the
reduced model with the same synapse in the region's compartment. One compartment stands
for every site of its region, so it is judged against the region's spread of reference
values (bridge.assess.judge.Spread), not against one site."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ...errors import ModelError
from ..judge import Spread
from .base import Context, Outcome, Protocol, with_synapses

#: One event on an exponential AMPA-like synapse (the same in reference and reduced model).
SYNAPSE = {"g": 1e-9, "tau": 2e-3, "onset": 10e-3, "duration": 150e-3}
#: The fewest sites a sampled region may have: fewer would make its 10th and 90th percentiles
#: rest on one or two sites each.
MIN_SITES = 20
#: (feature, unit, key in the measured dict)
FEATURES = (("epsp_amplitude", "mV", "amplitude"), ("epsp_rise_time", "ms", "rise_time"),
            ("epsp_half_width", "ms", "half_width"), ("epsp_local_amplitude", "mV", "local"))


class SampledEPSP(Protocol):
    name = "epsp"
    title = "EPSPs at sampled sites of each region"
    features = tuple(f for f, _, _ in FEATURES)
    settings = {"epsp_sites": "all", "epsp_seed": 1, "epsp_d_lambda": None}

    @classmethod
    def check(cls, settings: dict, obj: str) -> None:
        count = settings["epsp_sites"]
        if count != "all" and not (isinstance(count, int) and count >= MIN_SITES):
            raise ModelError(f"epsp_sites is {count!r}", obj=obj, param="settings.epsp_sites",
                             expected=f"'all' or a number of sites per region, at least {MIN_SITES}")

    def run(self, ctx: Context) -> Outcome:
        from brian2.units import ms

        from ...model import Synapse
        from ...neuron.detailed import SynapticInput, region_segments
        from ...stimuli import SpikeTrain
        case, syn = ctx.case, SYNAPSE
        cell = case.reference
        if ctx.setting("epsp_d_lambda") is not None:
            cell = dataclasses.replace(cell, d_lambda=float(ctx.setting("epsp_d_lambda")))
        outcome = Outcome()
        records = []
        sampled = {compartment: sample(region_segments(cell, regions), ctx.setting("epsp_sites"),
                                       ctx.setting("epsp_seed")) for compartment, regions in case.mapping.items()}
        detailed = iter(ctx.references([
            ctx.detailed_run([], syn["duration"], {"soma": "soma", "local": site},
                             [SynapticInput(site, syn["onset"], syn["g"], syn["tau"])], reference=cell)
            for sites in sampled.values() for site in sites]))
        for compartment, sites in sampled.items():
            reference = []
            for site in sites:
                values = measure(next(detailed), "local")
                reference.append(values)
                records.append({"compartment": compartment, "who": "reference", "section": site.section,
                                "x": site.x, "distance_um": site.distance_um, **values})
            model = with_synapses(case.model, compartment, Synapse("AMPA", "epsp", g=syn["g"], t_decay=syn["tau"]))
            train = SpikeTrain(compartment, "AMPA_epsp", [syn["onset"] * 1e3] * ms)
            for sim in ctx.simulators:
                result = ctx.reduced(model, sim, [train], syn["duration"], record=list(dict.fromkeys(["soma",
                                                                                                      compartment])))
                measured = measure(result, compartment)
                records.append({"compartment": compartment, "who": sim, **measured})
                outcome.rows += [ctx.row(self.name, feature, compartment, f"{len(sites)} sites", unit, sim,
                                         Spread(tuple(r[key] for r in reference)), measured[key])
                                 for feature, unit, key in FEATURES]
        outcome.tables["epsp_sites"] = pd.DataFrame(records)
        return outcome


def measure(result, local: str) -> dict:
    """The somatic PSP's features and the local peak depolarisation of one run."""
    from ..features import peak_deflection, psp_features
    onset, stop = SYNAPSE["onset"] * 1e3, SYNAPSE["duration"] * 1e3
    values = psp_features(result.traces.index, result.traces["soma"], onset, stop)
    values["local"] = peak_deflection(result.traces[local])
    return values


def sample(sites: list, count, seed: int) -> list:
    """All ``sites`` (``count`` "all"), or ``count`` of them drawn without replacement with
    ``seed`` (every site when the region has no more than ``count``)."""
    if count == "all" or len(sites) <= int(count):
        return sites
    chosen = np.random.default_rng(seed).choice(len(sites), int(count), replace=False)
    return [sites[k] for k in sorted(chosen)]

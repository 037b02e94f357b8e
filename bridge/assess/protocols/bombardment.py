"""Synaptic bombardment of a published reference and of its reduction, through the case's
synapse map (``synapses.json`` of ``bridge reduce``): ``bombardment_synapses`` synapses on
dendritic segments of the detailed cell, drawn with probability proportional to membrane
area (seeded), a fraction of them inhibitory, each driven by its own Poisson train over
the window; in the reduced model each synapse goes to the compartment its segment maps
onto, with the same events and the map's weight. Excitation and inhibition together
(cortex's 4:1, inhibitory cells firing faster) make the cell fire on the input's
fluctuations, where spike times carry information; excitation alone drives it by its mean,
and then a cell's spike times are fragile even against itself. Features over the window:
the somatic firing rate, the spike-time coincidence factor with the detailed cell, and the
somatic voltage's RMS error outside spikes relative to the detailed voltage's own SD
there."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import ModelError
from ..agreement import PARITY_SPIKE_WINDOW_MS
from .base import Context, Outcome, Protocol, synapse_map, with_synapses
from .spiking import RATE_FLOOR_HZ, coincidence_row

#: Decay time constants (s) of the two kinds of synapse, the same in the detailed cell and
#: the reduced model (reversals: the reduced model's E_AMPA and E_GABA, 0 and -80 mV).
TAU_S = {"AMPA": 2e-3, "GABA": 8e-3}
#: The sampling (ms) of the somatic traces the report shows.
TRACE_SAMPLE_MS = 0.25
#: Regions of the synapse map that receive no synapses.
NOT_DENDRITES = ("soma", "axon")


def draw(synapse_map: pd.DataFrame, count: int, rate_hz: float, window_ms, rng) -> pd.DataFrame:
    """``count`` synapses on dendritic rows of ``synapse_map``, drawn with probability
    proportional to their segment's area, each with Poisson event times (ms) at
    ``rate_hz`` in ``window_ms``: the map's columns plus ``times_ms``. ``rng`` (a numpy
    Generator) makes them reproducible."""
    dendrites = synapse_map[~synapse_map["region"].isin(NOT_DENDRITES)].reset_index(drop=True)
    if dendrites.empty:
        raise ModelError("the synapse map has no dendritic segments", obj="bombardment", param="synapse_map")
    area = dendrites["area_um2"].to_numpy(float)
    chosen = dendrites.iloc[rng.choice(len(dendrites), size=count, p=area / area.sum())].reset_index(drop=True)
    start, stop = window_ms
    times = []
    for _ in range(count):
        n = rng.poisson(rate_hz * (stop - start) * 1e-3)
        times.append(tuple(np.sort(rng.uniform(start, stop, n))))
    return chosen.assign(times_ms=times)


def bombardment_synapses(synapse_map: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """The synapses the bombardment ``settings`` (the protocol's) draw on ``synapse_map``:
    excitatory ones (``channel`` AMPA), then inhibitory (GABA)."""
    rng = np.random.default_rng(settings["bombardment_seed"])
    count, window = settings["bombardment_synapses"], tuple(settings["bombardment_window_ms"])
    inhibitory = int(round(count * settings["bombardment_inhibitory_fraction"]))
    groups = [draw(synapse_map, count - inhibitory, settings["bombardment_rate_hz"], window, rng)
              .assign(channel="AMPA"),
              draw(synapse_map, inhibitory, settings["bombardment_inhibitory_rate_hz"], window, rng)
              .assign(channel="GABA")]
    return pd.concat(groups, ignore_index=True)


def reduced_inputs(model, synapses: pd.DataFrame, g: float) -> tuple:
    """``(model with the bombardment's synapses, spike trains)``: ``synapses`` (:func:`draw`'s
    rows with a ``channel``) mapped onto ``model``, each compartment with one synapse of
    conductance ``g`` (S) per channel its rows use, each row a train of its events with the
    map's weight."""
    from brian2.units import ms

    from ...model import Synapse
    from ...stimuli import SpikeTrain
    active = [row for row in synapses.itertuples() if row.times_ms]
    for compartment, channel in sorted({(row.compartment, row.channel) for row in active}):
        model = with_synapses(model, compartment, Synapse(channel, "bombardment", g=g, t_decay=TAU_S[channel]))
    trains = [SpikeTrain(row.compartment, f"{row.channel}_bombardment", list(row.times_ms) * ms, weight=row.weight)
              for row in active]
    return model, trains


def window_spikes(result, window_ms) -> np.ndarray:
    """The somatic spikes (threshold crossings, ms) of ``result`` inside ``window_ms``."""
    from ..features import threshold_crossings
    crossings = threshold_crossings(result.traces.index.to_numpy(), result.traces["soma"].to_numpy())
    return crossings[(crossings >= window_ms[0]) & (crossings < window_ms[1])]


def subthreshold_nrmse(reference, reduced, window_ms) -> tuple[float, float]:
    """``(RMS error, that over the reference's SD)`` of the somatic voltage in ``window_ms``,
    the samples around either cell's spikes left out as the simulators' parity leaves them
    (``PARITY_SPIKE_WINDOW_MS``)."""
    from ...traces import SimulationResult, subthreshold_mask
    from ..features import threshold_crossings
    parts = []
    for result in (reference, reduced):
        t, v = result.traces.index.to_numpy(), result.traces["soma"].to_numpy()
        keep = (t >= window_ms[0]) & (t < window_ms[1])
        parts.append((t[keep], v[keep]))
    n = min(len(parts[0][0]), len(parts[1][0]))
    results = [SimulationResult(pd.DataFrame({"soma": v[:n]}, index=t[:n]), threshold_crossings(t[:n], v[:n]))
               for t, v in parts]
    keep = subthreshold_mask(*results, PARITY_SPIKE_WINDOW_MS)
    detailed = parts[0][1][:n][keep]
    rms = float(np.sqrt(np.mean((detailed - parts[1][1][:n][keep]) ** 2)))
    return rms, rms / float(np.std(detailed))


class SynapticBombardment(Protocol):
    name = "bombardment"
    title = "Synaptic bombardment through the synapse map: rate, spike timing, somatic voltage"
    features = ("bombardment_rate", "bombardment_coincidence", "bombardment_v_nrmse")
    settings = {"bombardment_synapses": 1000, "bombardment_inhibitory_fraction": 0.2, "bombardment_rate_hz": 5.0,
                "bombardment_inhibitory_rate_hz": 10.0, "bombardment_g_nS": 4.0,
                "bombardment_window_ms": [500.0, 2500.0], "bombardment_seed": 1}

    @classmethod
    def check(cls, settings: dict, obj: str) -> None:
        count, (start, stop) = settings["bombardment_synapses"], settings["bombardment_window_ms"]
        if not (isinstance(count, int) and count > 0) or not 0 <= start < stop:
            raise ModelError(f"{count!r} synapses over {start}-{stop} ms", obj=obj,
                             param="settings.bombardment_synapses",
                             expected="a positive number of synapses and a window start < stop")
        if not 0 <= settings["bombardment_inhibitory_fraction"] < 1:
            raise ModelError(f"{settings['bombardment_inhibitory_fraction']!r}", obj=obj,
                             param="settings.bombardment_inhibitory_fraction", expected="a fraction in [0, 1)")

    def run(self, ctx: Context) -> Outcome:
        from ...neuron.detailed import SegmentSite, SynapticInput
        case = ctx.case
        window = tuple(ctx.setting("bombardment_window_ms"))
        g = ctx.setting("bombardment_g_nS") * 1e-9
        synapses = bombardment_synapses(synapse_map(case, self.name), case.settings)
        reversal = {"AMPA": case.model.globals["E_AMPA"], "GABA": case.model.globals["E_GABA"]}
        inputs = [SynapticInput(SegmentSite(row.section, row.x), tuple(np.asarray(row.times_ms) * 1e-3), g,
                                TAU_S[row.channel], e=reversal[row.channel])
                  for row in synapses.itertuples() if row.times_ms]
        duration = window[1] * 1e-3
        runs = {"reference": ctx.reference([], duration, ["soma"], synapses=inputs)}
        model, trains = reduced_inputs(case.model, synapses, g)
        runs.update({sim: ctx.reduced(model, sim, trains, duration, record=["soma"]) for sim in ctx.simulators})
        spikes = {who: window_spikes(result, window) for who, result in runs.items()}
        seconds = (window[1] - window[0]) * 1e-3
        excitatory = int((synapses["channel"] == "AMPA").sum())
        condition = f"{excitatory} E + {len(synapses) - excitatory} I synapses"
        outcome, records = Outcome(), []
        for who in runs:
            record = {"who": who, "spikes": len(spikes[who]), "rate_hz": len(spikes[who]) / seconds}
            if who != "reference":
                rms, nrmse = subthreshold_nrmse(runs["reference"], runs[who], window)
                record.update({"v_rmse_mV": rms, "v_nrmse": nrmse})
                outcome.rows.append(ctx.row(self.name, "bombardment_rate", "soma", condition, "Hz", who,
                                            len(spikes["reference"]) / seconds, record["rate_hz"],
                                            floor=RATE_FLOOR_HZ, note="spikes over the window"))
                outcome.rows.append(coincidence_row(ctx, self.name, condition, who, spikes["reference"], spikes[who],
                                                    window[1] - window[0], feature="bombardment_coincidence"))
                outcome.rows.append(ctx.row(self.name, "bombardment_v_nrmse", "soma", condition, "", who, 0.0, nrmse,
                                            error=nrmse, note=f"RMS error {rms:.2f} mV outside spikes, over the "
                                                              "detailed soma's SD there"))
            records.append(record)
        outcome.tables["bombardment"] = pd.DataFrame(records)
        outcome.tables["bombardment_traces"] = _somatic_traces(runs, window)
        outcome.tables["bombardment_synapses"] = synapses.drop(columns="times_ms").assign(
            events=[len(t) for t in synapses["times_ms"]])
        return outcome


def _somatic_traces(runs: dict, window_ms) -> pd.DataFrame:
    """The somatic voltage (mV) of every run in the window, every ``TRACE_SAMPLE_MS``: one
    column per run, ``time_ms`` first."""
    columns = {}
    for who, result in runs.items():
        soma = result.traces["soma"]
        t = soma.index.to_numpy()
        inside = soma[(t >= window_ms[0]) & (t < window_ms[1])]
        step = max(1, int(round(TRACE_SAMPLE_MS / (t[1] - t[0]))))
        columns[who] = inside.to_numpy()[::step]
        columns.setdefault("time_ms", np.round(inside.index.to_numpy()[::step], 6))
    n = min(len(c) for c in columns.values())
    return pd.DataFrame({name: columns[name][:n] for name in ["time_ms", *runs]})

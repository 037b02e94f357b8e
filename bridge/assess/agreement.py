"""The simulators' agreement on a reduced model: each simulator's traces against NEURON's,
sample by sample (subthreshold RMS and max |dV|) and spike by spike (counts and times),
each measure with its bound and the bound's source."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Reduced-model traces of the simulators against NEURON's: the bound bridge's NEURON
#: emission is tested to (two second-order integrators of the same equations).
PARITY_RMS_MV = (0.1, "subthreshold RMS between simulators, as in tests/test_neuron_parity.py")
PARITY_MAX_MV = (0.5, "subthreshold max |dV| between simulators, as in tests/test_neuron_parity.py")
#: Spike times of the reduced model between simulators (ms).
PARITY_SPIKE_MS = (0.2, "spike times between simulators: the bound bridge's converted channels are held to in "
                         "tests/test_channels.py (NEURON stamps a spike at the end of the step that crosses, Brian 2 "
                         "at its start, and two second-order integrators differ a little)")
#: Samples this close to a somatic spike of either simulator are not subthreshold (ms
#: before, after): an action potential's upstroke and repolarisation move tens of mV
#: within a fraction of a millisecond, so spikes PARITY_SPIKE_MS apart differ there by
#: tens of mV, in every compartment it reaches. After: Hay's widest mean AP width, 3.5 ms
#: (eFEL's AP_width, at the threshold), plus the spike's later arrival and slower decay in
#: the dendritic compartments. First set to 4 ms (the soma alone); on the reduced Hay cell
#: the largest difference left was then 0.57 mV in basal3, 4.1 ms after a somatic spike,
#: the tail of that compartment's spike (0.28 mV with 6 ms, at the soma; measured at dt
#: 0.005 ms, spikes 0.11 ms apart).
PARITY_SPIKE_WINDOW_MS = (1.0, 6.0)


def _spike_times(result, soma: str) -> np.ndarray:
    """A result's somatic spikes: its own, or for a model whose channels make spikes
    (no threshold of its own) the upward crossings of the features' spike threshold."""
    from .features import threshold_crossings
    if len(result.spikes) or soma not in result.traces.columns:
        return np.asarray(result.spikes, float)
    return threshold_crossings(result.traces.index.to_numpy(), result.traces[soma].to_numpy())


def _parity_rows(sim: str, neuron, result, soma: str) -> list[dict]:
    """``result`` against NEURON's: subthreshold RMS and max |dV| over the compartments,
    and, when either spiked, the spike counts and the largest spike-time difference."""
    import dataclasses

    from ..traces import compare
    spikes = {"neuron": _spike_times(neuron, soma), sim: _spike_times(result, soma)}
    a, b = (dataclasses.replace(r, spikes=spikes[k]) for k, r in (("neuron", neuron), (sim, result)))
    spiking = any(map(len, spikes.values()))
    comparison = compare(a, b, spike_window=PARITY_SPIKE_WINDOW_MS if spiking else None)
    measures = [("rms", comparison.worst_rms, "mV", PARITY_RMS_MV), ("max", comparison.worst_max, "mV", PARITY_MAX_MV)]
    if spiking:
        counts = comparison.spike_counts
        measures += [("spike_count", abs(counts[0] - counts[1]), "",
                      (0, f"the same spikes in both (neuron {counts[0]}, {sim} {counts[1]})")),
                     ("spike_shift", comparison.spike_shift, "ms", PARITY_SPIKE_MS)]
    return [{"simulator": sim, "against": "neuron", "measure": name, "value": value, "bound": bound, "unit": unit,
             "passed": bool(value <= bound), "source": why} for name, value, unit, (bound, why) in measures]


#: The model's own sensitivity, the control of the comparison: NEURON runs the parity step
#: a second time with its amplitude changed by this fraction of itself (the run
#: :data:`PERTURBED`), a change of the size of the rounding two correct integrators differ
#: by. A model that amplifies such differences (a reduction of Mainen and Sejnowski's cell:
#: NEURON against itself 0.001 mV apart after 562 ms, 134 mV after 650, as far as Brian 2
#: was from NEURON) makes any two simulators disagree at last, however right.
PERTURBATION = 1e-12
PERTURBED = "neuron perturbed"
#: How far NEURON may depart from itself, perturbed, before the traces stop being compared
#: sample by sample (mV): 1% of the RMS bound, so that what the simulators differ by up to
#: there is theirs, not the model's amplification of rounding.
HORIZON_MV = (0.001, "NEURON against itself with the step changed by 1e-12 of itself: past the time they are "
                     "0.001 mV apart (1% of the RMS bound) the model amplifies rounding, and any two correct "
                     "integrators would part; the traces are compared up to there")


def horizon_ms(neuron, perturbed) -> float | None:
    """The first time (ms) NEURON's run and its perturbed twin are more than
    :data:`HORIZON_MV` apart in any compartment; None if never."""
    apart = np.abs(neuron.traces.to_numpy() - perturbed.traces.to_numpy()).max(axis=1) > HORIZON_MV[0]
    return float(neuron.traces.index[np.argmax(apart)]) if apart.any() else None


def _until(result, stop_ms: float):
    """``result`` before ``stop_ms``."""
    import dataclasses
    return dataclasses.replace(result, traces=result.traces[result.traces.index < stop_ms],
                               spikes=np.asarray(result.spikes, float)[np.asarray(result.spikes, float) < stop_ms])


#: The columns of the parity table.
PARITY_COLUMNS = ["simulator", "against", "measure", "value", "bound", "unit", "passed", "source"]


def parity_table(runs: dict, soma: str) -> pd.DataFrame:
    """Each simulator's reduced-model traces against NEURON's (when NEURON ran), up to the
    model's horizon when NEURON's :data:`PERTURBED` twin ran (a row says where it lies)."""
    rows = []
    if "neuron" not in runs:
        return pd.DataFrame(rows, columns=PARITY_COLUMNS)
    neuron, stop = runs["neuron"], None
    if PERTURBED in runs:
        stop = horizon_ms(neuron, runs[PERTURBED])
    for sim, result in runs.items():
        if sim in ("neuron", "reference", PERTURBED):
            continue
        if stop is not None:
            rows.append({"simulator": sim, "against": "neuron", "measure": "horizon", "value": stop, "bound": np.nan,
                         "unit": "ms", "passed": True, "source": HORIZON_MV[1]})
            rows += _parity_rows(sim, _until(neuron, stop), _until(result, stop), soma)
        else:
            rows += _parity_rows(sim, neuron, result, soma)
    return pd.DataFrame(rows, columns=PARITY_COLUMNS)

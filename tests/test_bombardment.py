"""The synaptic bombardment protocol's parts (bridge/assess/protocols/bombardment.py):
synapses drawn by membrane area with seeded Poisson events, the subthreshold voltage
error, and a case that asks for it without a synapse map. The protocol on real cells:
tests/test_reduce_allen.py (default suite) and tests/test_reduce.py (Hay's cell, slow)."""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bridge.errors import SchemaError
from bridge.traces import SimulationResult
from bridge.assess.protocols.bombardment import draw, subthreshold_nrmse

ALLEN = Path(__file__).parent.parent / "validation" / "allen_scnn1a" / "reduced"


def _map() -> pd.DataFrame:
    return pd.DataFrame({"section": ["soma[0]", "axon[0]", "dend[0]", "dend[1]"], "x": [0.5] * 4,
                         "region": ["soma", "axon", "basal", "basal"], "distance_um": [0.0, 10.0, 20.0, 40.0],
                         "area_um2": [500.0, 50.0, 10.0, 90.0], "compartment": ["soma", "axon", "b", "b"],
                         "weight": [1.0, 1.0, 0.9, 1.1]})


def test_synapses_land_on_dendrites_by_area_with_seeded_poisson_events():
    drawn = draw(_map(), 2000, 5.0, (500.0, 2500.0), np.random.default_rng(1))
    again = draw(_map(), 2000, 5.0, (500.0, 2500.0), np.random.default_rng(1))
    assert drawn.equals(again)                                          # reproducible from the seed
    assert set(drawn["region"]) == {"basal"}                            # no soma, no axon
    share = (drawn["section"] == "dend[1]").mean()
    assert 0.87 < share < 0.93                                          # 90% of the area: 0.9 +- 4 SD
    counts = np.array([len(t) for t in drawn["times_ms"]])
    assert abs(counts.mean() - 10.0) < 0.3                              # 5 Hz over 2 s: 10 +- 4 SE
    times = np.concatenate([t for t in drawn["times_ms"] if t])
    assert times.min() >= 500.0 and times.max() < 2500.0


def _result(v) -> SimulationResult:
    t = np.arange(len(v)) * 0.025
    return SimulationResult(pd.DataFrame({"soma": v}, index=t), np.array([]))


def test_subthreshold_error_is_zero_for_the_same_trace_and_one_for_its_mean():
    rng = np.random.default_rng(0)
    v = -65 + np.cumsum(rng.normal(0, 0.1, 40000))
    window = (100.0, 900.0)
    assert subthreshold_nrmse(_result(v), _result(v), window) == (0.0, 0.0)
    inside = v[4000:36000]
    rms, nrmse = subthreshold_nrmse(_result(v), _result(np.full_like(v, inside.mean())), window)
    assert nrmse == pytest.approx(1.0) and rms == pytest.approx(inside.std())


def test_a_bombardment_without_a_synapse_map_is_refused_when_the_case_is_read(tmp_path):
    from bridge.assess.case import load_case
    folder = tmp_path / "case"
    shutil.copytree(ALLEN, folder)
    data = json.loads((folder / "case.json").read_text())
    for key, value in data["reference"].items():
        if key in ("file", "mod"):
            data["reference"][key] = str((ALLEN / value).resolve())
    del data["synapse_map"]
    (folder / "case.json").write_text(json.dumps(data))
    with pytest.raises(SchemaError, match="needs a synapse map"):
        load_case(folder / "case.json")


def test_mapped_epsp_sites_are_drawn_per_compartment_and_spaced_in_time():
    from bridge.assess.protocols.mapped_epsp import schedule
    rows = pd.concat([_map()] + [_map().assign(section=f"dend[{k}]", compartment="c", region="apical")
                                 for k in range(2, 30)], ignore_index=True)
    sites = schedule(rows, 12, 500.0, 80.0, seed=1)
    assert set(sites["region"]) == {"basal", "apical"}                 # no soma, no axon
    assert sites.groupby("compartment").size().to_dict() == {"b": 2, "c": 12}   # all of b, 12 of c's 28
    assert list(sites["time_ms"]) == [500.0 + 80.0 * k for k in range(14)]
    assert schedule(rows, 12, 500.0, 80.0, seed=1).equals(sites)
    assert not schedule(rows, 12, 500.0, 80.0, seed=2).equals(sites)


def test_an_epsp_in_a_train_of_them_is_measured_from_the_voltage_before_it():
    """Two alpha-shaped EPSPs 80 ms apart, the voltage 2 mV higher between them: each one's
    amplitude and half-width are its own (the second is measured from where the trace is
    before it)."""
    from bridge.assess.protocols.mapped_epsp import event_features
    t = np.arange(0, 400, 0.025)
    v = -70 + 2.0 * (t >= 272.0)
    for onset, size in ((200.0, 1.0), (280.0, 0.5)):
        s = np.clip(t - onset, 0, None) / 5.0
        v = v + size * s * np.exp(1 - s)                               # alpha function, peak `size` at 5 ms
    first, second = (event_features(_result_at(t, v), onset, 80.0) for onset in (200.0, 280.0))
    assert first["amplitude"] == pytest.approx(1.0, abs=0.01)
    assert first["half_width"] == pytest.approx(12.23, abs=0.05)       # 2.446 time constants
    assert second["amplitude"] == pytest.approx(0.5, abs=0.01)
    assert second["half_width"] == pytest.approx(12.23, abs=0.05)


def _result_at(t, v) -> SimulationResult:
    return SimulationResult(pd.DataFrame({"soma": v}, index=t), np.array([]))

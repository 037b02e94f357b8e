"""The parity table's control: NEURON against itself with the parity step changed by one
part in 1e12. A model that amplifies rounding parts from itself at some time, the
horizon; the simulators are compared up to there, and the table says so. A model that
does not is compared over the whole run, as before. (The traces here are made, not
simulated: what is tested is the comparison; the runs that feed it are tested with the
validation's cases, and a reduction of Mainen and Sejnowski's cell, whose NEURON run
parts from its perturbed twin at 562 ms, is in docs/reduction.md.)"""

import numpy as np
import pandas as pd

from bridge.assess.agreement import HORIZON_MV, PERTURBED, horizon_ms, parity_table
from bridge.traces import SimulationResult

T = np.arange(0.0, 100.0, 0.025)


def _run(departs_at=None, by=1.0):
    """A subthreshold trace in two compartments, moved by ``by`` mV from ``departs_at`` ms."""
    v = -65.0 + np.sin(T / 7.0)
    if departs_at is not None:
        v = v + np.where(T >= departs_at, by, 0.0)
    return SimulationResult(pd.DataFrame({"soma": v, "dend": v - 1.0}, index=pd.Index(T, name="t_ms")), np.array([]))


def test_a_model_that_parts_from_itself_is_compared_up_to_its_horizon():
    runs = {"neuron": _run(), PERTURBED: _run(departs_at=60.0), "brian2": _run(departs_at=70.0, by=5.0)}
    assert horizon_ms(runs["neuron"], runs[PERTURBED]) == 60.0
    table = parity_table(runs, "soma").set_index("measure")
    assert table.loc["horizon", "value"] == 60.0 and table.loc["horizon", "source"] == HORIZON_MV[1]
    assert table.loc["rms", "value"] == 0.0 and table["passed"].all()   # brian2's departure lies beyond it
    # a simulator that departs before the horizon is still caught
    runs["brian2"] = _run(departs_at=50.0, by=5.0)
    table = parity_table(runs, "soma").set_index("measure")
    assert not table.loc["max", "passed"] and table.loc["max", "value"] == 5.0


def test_a_model_that_keeps_to_itself_is_compared_over_the_whole_run():
    runs = {"neuron": _run(), PERTURBED: _run(departs_at=10.0, by=HORIZON_MV[0] / 2), "brian2": _run(90.0, 5.0)}
    assert horizon_ms(runs["neuron"], runs[PERTURBED]) is None
    table = parity_table(runs, "soma").set_index("measure")
    assert "horizon" not in table.index and not table.loc["max", "passed"]   # 90 ms is inside the run
    assert PERTURBED not in set(parity_table(runs, "soma")["simulator"])

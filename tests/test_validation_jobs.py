"""A validation's runs of the detailed cell in worker processes (``--jobs``): the same
numbers as run one after another in the test's own process, to the last bit, and a clear
error for a count that is no count."""

import os

import pandas as pd
import pytest
from brian2.units import ms, nA

from bridge.assess.case import builtin_case_path, load_case
from bridge.assess.runner import run_case
from bridge.cli import main
from bridge.errors import ModelError
from bridge.neuron.detailed_pool import DetailedRun, DetailedRuns
from bridge.stimuli import Step


def test_detailed_runs_in_worker_processes_give_the_same_features_and_tables():
    """c91662's input-output curve: one detailed run per synapse count (8), each in a
    worker of two, against all of them here."""
    case = load_case(builtin_case_path())
    here = run_case(case, simulators=("neuron",), protocols=("io_curve",), jobs=1)
    workers = run_case(case, simulators=("neuron",), protocols=("io_curve",), jobs=2)
    pd.testing.assert_frame_equal(here.features, workers.features, check_exact=True)
    pd.testing.assert_frame_equal(here.tables["io_curve"], workers.tables["io_curve"], check_exact=True)
    assert (here.features["simulator"] == "neuron").all() and len(here.features) > 10


def test_worker_processes_are_other_processes_and_end_with_the_batch_runner():
    case = load_case(builtin_case_path())
    runs = DetailedRuns(2)
    steps = [Step("soma", a * nA, 5 * ms, 15 * ms) for a in (0.1, 0.2)]
    results = runs.run([DetailedRun(case.reference, (step,), 0.02, ("soma",)) for step in steps], 0.025e-3)
    workers = {process.pid for process in runs._pool._processes.values()}
    assert workers and os.getpid() not in workers
    here = DetailedRuns(1).run([DetailedRun(case.reference, (steps[1],), 0.02, ("soma",))], 0.025e-3)
    pd.testing.assert_frame_equal(results[1].traces, here[0].traces, check_exact=True)
    assert results[0].traces["soma"].max() < results[1].traces["soma"].max()
    runs.close()
    assert runs._pool is None


def test_a_count_of_jobs_that_is_no_count_is_refused(capsys, tmp_path):
    """On the command line before anything is printed or run (one line, exit 2); from
    Python as a ModelError naming the parameter."""
    with pytest.raises(SystemExit) as info:
        main(["validate", "--jobs", "0", "--no-progress", "-o", str(tmp_path / "report")])
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == "" and err.count("\n") == 1 and "--jobs" in err and "1 or more" in err, err
    assert not (tmp_path / "report").exists()
    with pytest.raises(ModelError, match="positive integer") as error:
        run_case(load_case(builtin_case_path()), simulators=("neuron",), protocols=["io_curve"], jobs=0)
    assert error.value.param == "jobs"

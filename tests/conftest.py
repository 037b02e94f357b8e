import sys
from pathlib import Path

import pytest

# Test helpers (harness, case matrix, tolerances) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _fresh_bridge_defaults():
    """Global defaults (Dendrify's update_default_params) must not leak between tests."""
    from bridge.builder import reset_default_params
    reset_default_params()
    yield
    reset_default_params()


@pytest.fixture(scope="session")
def builtin_validation(tmp_path_factory, request):
    """The built-in validation case (reduced pyramidal model vs c91662) run once per test
    session, shared by the validation and report tests: as ``bridge validate`` runs it, but
    in NEURON and CoreNEURON (Brian 2's numpy runs of the protocols take 30 s; the slow
    test_builtin_case_as_bridge_validate_runs_it_in_every_simulator runs all three) and with
    20 sampled EPSP sites per region, not 30 (time budget). Under pytest-xdist the first
    worker to ask runs it and the others read its pickle."""
    import dataclasses
    import fcntl
    import pickle

    from bridge.assess.case import builtin_case_path, load_case
    from bridge.assess.runner import run_case
    case = load_case(builtin_case_path())
    case = dataclasses.replace(case, settings={**case.settings, "epsp_sites": 20})
    if not hasattr(request.config, "workerinput"):   # not under pytest-xdist
        return run_case(case, simulators=("neuron", "coreneuron"))
    shared = tmp_path_factory.getbasetemp().parent / "builtin_validation.pickle"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            shared.write_bytes(pickle.dumps(run_case(case, simulators=("neuron", "coreneuron"))))
        return pickle.loads(shared.read_bytes())

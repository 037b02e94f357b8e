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
def builtin_validation():
    """The built-in validation case (reduced pyramidal model vs c91662) run once per test
    session in every simulator, shared by the validation and report tests (it takes ~40 s)."""
    from bridge.validate.case import builtin_case_path, load_case
    from bridge.validate.runner import run_case
    return run_case(load_case(builtin_case_path()))

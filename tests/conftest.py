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

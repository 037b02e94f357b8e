"""Every example runs (quick mode) and writes its figure."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


def test_examples_exist():
    assert {p.stem for p in EXAMPLES} >= {"reduced_pyramidal", "dendritic_spikes", "backpropagation",
                                          "point_neurons", "network", "three_simulators"}


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script, tmp_path):
    out = tmp_path / f"{script.stem}.png"
    res = subprocess.run([sys.executable, str(script), "--quick", "--out", str(out)], capture_output=True,
                         text=True, timeout=300, cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert out.stat().st_size > 10_000  # a real figure, not an empty canvas

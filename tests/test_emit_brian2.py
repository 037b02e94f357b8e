"""The standalone Brian 2 script: deterministic, readable, and the same dynamics."""

import subprocess
import sys

import numpy as np
import pytest
from brian2.units import ms, nA

import bridge
from bridge.brian2.script import brian2_script
from bridge.default_model import default_model
from parity_models import CASES


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_script_is_deterministic_and_compiles(case):
    model = case(bridge)[0].description
    first = brian2_script(model)
    again = brian2_script(bridge.model.from_dict(bridge.model.to_dict(model)))
    assert first == again
    (text,) = first.values()
    compile(text, "model_brian2.py", "exec")


def test_script_matches_simulate_with_dspikes(tmp_path):
    model = default_model()
    emitted, result = _script_and_simulate(model, bridge_emit(model, tmp_path), tmp_path, 0.3, timeout=300)
    # Parameters are printed with 15 significant digits: agreement to ~1e-6 mV, not bitwise.
    assert np.abs(emitted[:, 1:] - result.traces.to_numpy()).max() < 1e-6
    assert result.traces["dist"].max() > -35  # crossed the dspike threshold: events were compared


def bridge_emit(model, directory):
    return bridge.emit_brian2(model, directory / "cell.py")


def _script_and_simulate(model, script, directory, amplitude_na: float, target: str | None = None,
                         timeout: int = 600):
    """``(emitted, result)``: the traces of the emitted ``script`` run for 60 ms with
    ``amplitude_na`` into the soma (time first), and simulate's result of the same step."""
    csv = directory / "v.csv"
    options = ["--target", target] if target else []
    res = subprocess.run([sys.executable, str(script), "--inject", "soma", str(amplitude_na), "--duration", "60",
                          *options, "-o", str(csv)], capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, res.stderr
    stimuli = [bridge.Step("soma", amplitude_na * nA, 0 * ms, 60 * ms)]
    result = bridge.simulate(model, stimuli=stimuli, duration=60 * ms, **({"target": target} if target else {}))
    return np.loadtxt(csv, delimiter=",", skiprows=1), result


@pytest.mark.slow   # 19 s: a Cython build in a subprocess (time budget of the default suite)
def test_script_of_a_model_with_channels_matches_simulate(tmp_path):
    """A model with NMODL channels: the script imports bridge's ifelse and method, starts the
    channels' states from the files' INITIAL, and gives simulate's trace."""
    from test_channels import hot_zone_model
    model = hot_zone_model()
    path = bridge_emit(model, tmp_path)
    text = path.read_text()
    assert "from bridge.brian2.functions import FUNCTIONS" in text and "'exponential_strang'" in text
    emitted, result = _script_and_simulate(model, path, tmp_path, 0.3, target="cython")
    assert len(result.spikes) > 5
    assert np.abs(emitted[:, 1:] - result.traces.to_numpy()).max() < 1e-6


@pytest.mark.slow   # a Cython build in a subprocess
def test_script_of_a_model_whose_file_says_sparse_matches_simulate(tmp_path):
    """A KINETIC gate (METHOD sparse) advances as NEURON's implicit solver does in simulate;
    the script passes the same method options (it printed only three of them: its gate then
    took cnexp's exponential step, measured 1.1e-5 mV off over 60 ms)."""
    from pathlib import Path

    from brian2.units import cm, mV, siemens, uF, um
    from bridge.model import ReducedModel
    soma = bridge.Soma("soma", length=20 * um, diameter=20 * um, cm=1 * uF / cm ** 2,
                       gl=0.0000338 * siemens / cm ** 2, v_rest=-80 * mV)
    soma.channel(Path(__file__).parent / "mod_idioms" / "kgate.mod", gbar=0.02 * siemens / cm ** 2)
    model = ReducedModel((soma.description,), name="kgate_soma")
    path = bridge_emit(model, tmp_path)
    assert "'implicit': ['C_kgate_soma']" in path.read_text()
    emitted, result = _script_and_simulate(model, path, tmp_path, 0.03, target="cython")
    assert np.abs(emitted[:, 1:] - result.traces.to_numpy()).max() < 1e-6

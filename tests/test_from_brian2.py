"""bridge.from_brian2: a Brian 2 user's model runs through bridge.simulate in Brian 2 (the
user's own equations), NEURON and CoreNEURON (the generated NMODL), driven by bridge's
Step and SpikeTrain (issue "A Brian 2 model as users write it runs in NEURON and
CoreNEURON")."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from brian2.units import ms, nA

import bridge
from from_brian2_runs import MODELS
from tolerances import CHANNEL_SPIKE_SHIFT, CHANNEL_SUBTHRESHOLD_RMS, CORENEURON_PARITY

RUNS = Path(__file__).parent / "from_brian2_runs.py"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_runs_in_brian2_neuron_and_coreneuron(name, tmp_path):
    """LIF (NEURON's Crank-Nicolson against Brian 2's rk4), AdEx (NEURON takes Brian 2's
    euler step) and a LIF with a conductance synapse driven by a SpikeTrain through the
    model's on_pre: equal spike counts, spikes within 0.2 ms (one step: NEURON stamps the
    end of the crossing step), equal subthreshold voltage; CoreNEURON equals NEURON."""
    out = tmp_path / f"{name}.npz"
    subprocess.run([sys.executable, str(RUNS), name, str(out)], check=True, capture_output=True)
    r = np.load(out)
    brian, neuron, core = r["brian2_spikes"], r["neuron_spikes"], r["coreneuron_spikes"]
    assert len(brian) >= 10 and len(neuron) == len(brian)
    assert np.abs(neuron - brian).max() <= CHANNEL_SPIKE_SHIFT.value
    before = r["brian2_t"] < brian[0] - 1.0
    assert np.sqrt(np.mean((r["neuron_v"] - r["brian2_v"])[before] ** 2)) <= CHANNEL_SUBTHRESHOLD_RMS.value
    np.testing.assert_array_equal(core, neuron)
    end = int(neuron[0] / 0.025) if name == "adex" else len(r["neuron_v"])   # AdEx: see test_brian2_reader
    assert np.abs(r["coreneuron_v"] - r["neuron_v"])[:end].max() <= CORENEURON_PARITY.value


def test_inputs_the_model_cannot_take_are_refused():
    """Checked before anything is built, so no NEURON mechanism is loaded here."""
    lif, coba = bridge.from_brian2(**MODELS["lif"]), bridge.from_brian2(**MODELS["coba"])
    with pytest.raises(bridge.ModelError) as info:
        bridge.simulate(coba, "neuron", [bridge.Step("soma", 0.1 * nA, 1 * ms, 2 * ms)], duration=5 * ms)
    assert info.value.param == "input"
    with pytest.raises(bridge.ModelError) as info:
        bridge.simulate(lif, "brian2", [bridge.SpikeTrain("soma", "x", [1] * ms)], duration=5 * ms)
    assert info.value.param == "on_pre"
    with pytest.raises(bridge.ModelError) as info:
        bridge.simulate(lif, "neuron", [bridge.SpikeTrain("soma", "x", [1] * ms)], duration=5 * ms)
    assert info.value.param == "on_pre"
    with pytest.raises(bridge.BridgeError) as info:
        bridge.simulate(lif, "neuron", [bridge.Step("dend", 0.1 * nA, 1 * ms, 2 * ms)], duration=5 * ms)
    assert info.value.param == "compartment"
    with pytest.raises(bridge.UnsupportedFeatureError):
        bridge.simulate(lif, "neuron", duration=5 * ms, n=2)
    with pytest.raises(bridge.ModelError, match="units"):
        bridge.from_brian2(**dict(MODELS["lif"], namespace=dict(MODELS["lif"]["namespace"], tau=10 * nA)))


def test_brian2_chooses_the_method_when_none_is_given():
    """Without method, Brian 2 picks one as NeuronGroup does ("exact" for the LIF)."""
    model = bridge.from_brian2(**MODELS["lif"])
    run = bridge.simulate(model, "brian2", [bridge.Step("soma", 0.3 * nA, 50 * ms, 450 * ms)], duration=200 * ms)
    assert list(run.spikes[:3]) == pytest.approx([60.975, 72.125, 83.275])


def test_a_second_coreneuron_library_is_refused_not_a_crash():
    """CoreNEURON loads one mechanism library per process: a model whose mechanism was
    loaded after the first CoreNEURON run gets a bridge error (it used to end the process
    with a segmentation fault)."""
    script = (
        "import sys; sys.path.insert(0, %r)\n"
        "import bridge\nfrom brian2.units import ms\nfrom from_brian2_runs import MODELS, stimuli\n"
        "bridge.simulate(bridge.from_brian2(**MODELS['lif']), 'coreneuron', stimuli('lif'), duration=20*ms)\n"
        "try:\n"
        "    bridge.simulate(bridge.from_brian2(**MODELS['adex']), 'coreneuron', stimuli('adex'), duration=20*ms)\n"
        "except bridge.SimulationError as exc:\n"
        "    print('refused:', exc.param, exc.hint)\n" % str(RUNS.parent))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "refused: mechanisms" in done.stdout and "new Python process" in done.stdout

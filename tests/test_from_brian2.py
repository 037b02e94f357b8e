"""bridge.from_brian2: a Brian 2 user's model runs through bridge.simulate in Brian 2 (the
user's own equations), NEURON and CoreNEURON (the generated NMODL), driven by bridge's
Step and SpikeTrain (issue "A Brian 2 model as users write it runs in NEURON and
CoreNEURON")."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from brian2.units import Mohm, farad, meter, mV, ms, nA, um

import bridge
from from_brian2_runs import MODELS
from tolerances import CHANNEL_SPIKE_SHIFT, CHANNEL_SUBTHRESHOLD_RMS, CORENEURON_PARITY

RUNS = Path(__file__).parent / "from_brian2_runs.py"


# slow (time budget: its runner compiles a library of its own, 40 s from empty caches):
# tests/test_brian2_reader.py runs the same route (from_brian2, then bridge.simulate in NEURON
# and CoreNEURON) for nine models in the default suite
@pytest.mark.slow
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


@pytest.mark.slow   # two CoreNEURON libraries compiled for it alone: 31 s with cold caches
def test_a_second_coreneuron_library_runs_in_a_separate_process():
    """CoreNEURON loads one mechanism library per process: a model whose mechanism was
    loaded after the first CoreNEURON run runs in a fresh process (it used to end the
    process with a segmentation fault, then to be refused) and gives NEURON's traces."""
    script = (
        "import sys; sys.path.insert(0, %r)\n"
        "import bridge\nfrom brian2.units import ms\nfrom from_brian2_runs import MODELS, stimuli\n"
        "bridge.simulate(bridge.from_brian2(**MODELS['lif']), 'coreneuron', stimuli('lif'), duration=20*ms)\n"
        "adex = bridge.from_brian2(**MODELS['adex'])\n"
        "core = bridge.simulate(adex, 'coreneuron', stimuli('adex'), duration=20*ms)\n"
        "nrn = bridge.simulate(adex, 'neuron', stimuli('adex'), duration=20*ms)\n"
        "print('simulator', core.info['simulator'], 'max', float((core.traces - nrn.traces).abs().max().max()))\n"
        % str(RUNS.parent))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    words = done.stdout.split()
    assert words[words.index("simulator") + 1] == "coreneuron"
    assert float(words[words.index("max") + 1]) <= 1e-6   # CoreNEURON = NEURON (docs/neuron.md)


def test_a_neurongroup_reads_as_its_arguments():
    """from_brian2(group): its equations, threshold, reset, refractoriness, method, and its
    state as parameters and initial values, with constants found in the caller's
    variables as Brian 2 finds them: the same NMODL as the arguments given one by one."""
    import brian2 as b
    from bridge.neuron.equation_run import mechanism_with_source
    EL, R, tau = -70 * mV, 100 * Mohm, 10 * ms   # noqa: N806, F841 (the user's names, which Brian 2 finds)
    group = b.NeuronGroup(1, "dv/dt = (EL - v + R*I)/tau : volt (unless refractory)\nI : amp",
                          threshold="v > -50*mV", reset="v = -65*mV", refractory=2 * ms, method="exact")
    group.v = -70 * mV
    from_group = bridge.from_brian2(group, input="I")
    given = bridge.from_brian2(**MODELS["lif"], method="exact")
    assert from_group.initial == given.initial and from_group.refractory == given.refractory
    body = lambda m: mechanism_with_source(m).source.text.split("NEURON {", 1)[1]  # noqa: E731
    assert body(from_group).replace(from_group.mechanism.name, "X") == body(given).replace(given.mechanism.name, "X")
    b.Network(group)   # the user's group, used


def _differing_values():
    import brian2 as b
    group = b.NeuronGroup(2, "dv/dt = -v/(10*ms) : volt\nI : amp")
    group.I = [0.1, 0.2] * nA
    return group


def _custom_event():
    import brian2 as b
    return b.NeuronGroup(2, "dv/dt = -v/(10*ms) : volt", events={"burst": "v > 0*mV"})


@pytest.mark.parametrize("make, param", [(_differing_values, "I"), (_custom_event, "events")])
def test_what_a_group_cannot_give_is_refused(make, param):
    import brian2 as b
    group = make()
    with pytest.raises(bridge.UnsupportedFeatureError) as info:
        bridge.from_brian2(group)
    assert info.value.param == param
    b.Network(group)


def test_spatial_neurons_and_timed_arrays_are_refused():
    import brian2 as b
    neuron = b.SpatialNeuron(b.Soma(10 * b.um), "Im = -v*gL : amp/meter**2\ngL : siemens/meter**2")
    with pytest.raises(bridge.UnsupportedFeatureError, match="SpatialNeuron"):
        bridge.from_brian2(neuron)
    stimulus = b.TimedArray([0, 1] * nA, dt=10 * ms)
    with pytest.raises(bridge.UnsupportedFeatureError, match="stimulus"):
        bridge.from_brian2("dv/dt = (-v + 100*Mohm*stimulus(t))/(10*ms) : volt", namespace={"stimulus": stimulus})
    b.Network(neuron)


def test_names_neuron_reserves_are_renamed_in_the_nmodl():
    """``area`` is a GLOBAL NMODL cannot have in a point process: it becomes ``area_``."""
    from bridge.neuron.equation_run import mechanism_with_source
    model = bridge.from_brian2("dv/dt = (EL - v)/tau + I/(area*cm) : volt\nI : amp",
                               namespace={"EL": -70 * mV, "tau": 10 * ms, "area": 100 * um ** 2,
                                          "cm": 1e-2 * farad / meter ** 2}, input="I")
    text = mechanism_with_source(model).source.text
    assert "area_ = " in text and "cm_ = " in text and "GLOBAL" in text



def test_a_synapses_object_gives_its_on_pre():
    """``on_pre=`` a ``Synapses`` onto the neuron: its on_pre with the target's names
    (``ge_post`` -> ``ge``) and its uniform synaptic weight; event-driven equations (the
    synapse's own dynamics, e.g. STDP) are refused."""
    import brian2 as b
    coba = MODELS["coba"]
    group = b.NeuronGroup(1, coba["equations"], namespace=coba["namespace"])
    source = b.SpikeGeneratorGroup(1, [0], [1] * ms)
    synapses = b.Synapses(source, group, "w : siemens", on_pre="ge_post += w")
    synapses.connect()
    synapses.w = 6 * b.nS
    model = bridge.from_brian2(**dict(coba, on_pre=synapses))
    assert model.on_pre == "ge += w"
    assert dict((n, v) for n, v, _ in model.namespace)["w"] == pytest.approx(6e-9, rel=1e-12)
    plastic = b.Synapses(source, group, "dx/dt = -x/(5*ms) : 1 (event-driven)", on_pre="x += 1; ge_post += x*nS")
    with pytest.raises(bridge.UnsupportedFeatureError, match="event-driven") as info:
        bridge.from_brian2(**dict(coba, on_pre=plastic))
    assert info.value.param == "on_pre"
    b.Network(group, source, synapses, plastic)

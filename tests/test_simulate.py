"""bridge.simulate: stimuli, result type, targets and seeds."""

import numpy as np
import pytest
from brian2.units import Hz, ms, nA, pA

import bridge
from bridge.default_model import default_model
from tolerances import TARGET_PARITY


def noisy_model():
    model = default_model()
    import dataclasses
    comps = list(model.compartments)
    comps[0] = dataclasses.replace(comps[0], noise=bridge.model.Noise(tau=2e-3, sigma=30e-12, mean=0.0))
    return dataclasses.replace(model, compartments=tuple(comps))


STIMULI = [bridge.Step("soma", 0.25 * nA, 5 * ms, 25 * ms), bridge.SpikeTrain("dist", "NMDA_x", [30, 31, 32] * ms),
           bridge.Poisson("prox", "AMPA_x", 200 * Hz, seed=4)]


def test_result_layout():
    result = bridge.simulate(default_model(), stimuli=STIMULI, duration=40 * ms, dt=0.025 * ms)
    assert result.traces.index.name == "time (ms)"
    assert list(result.traces.columns) == ["soma", "trunk", "prox", "dist"]
    assert len(result.traces) == 1600 and result.traces.index[1] == pytest.approx(0.025)
    assert len(result.spikes) > 0 and np.all(np.diff(result.spikes) > 0)


def test_poisson_input_is_reproducible_and_seeded():
    a = bridge.Poisson("prox", "AMPA_x", 50 * Hz, seed=1).spike_times(1.0)
    b = bridge.Poisson("prox", "AMPA_x", 50 * Hz, seed=1).spike_times(1.0)
    c = bridge.Poisson("prox", "AMPA_x", 50 * Hz, seed=2).spike_times(1.0)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert 25 < len(a) < 80  # 50 expected; a 1 s Poisson count lies far inside this range


def test_poisson_shorter_run_gets_the_start_of_a_longer_one():
    stim = bridge.Poisson("prox", "AMPA_x", 80 * Hz, seed=5)
    short, long = stim.spike_times(0.25), stim.spike_times(0.5)
    assert len(short) > 5 and np.array_equal(short, long[:len(short)])


def test_spike_train_accepts_a_list_of_quantities():
    a = bridge.SpikeTrain("dist", "NMDA_x", [10 * ms, 12 * ms])
    assert a.times == bridge.SpikeTrain("dist", "NMDA_x", [10, 12] * ms).times == (0.01, 0.012)


def test_step_changes_voltage_only_while_on():
    result = bridge.simulate(default_model(), stimuli=[bridge.Step("dist", 20 * pA, 10 * ms, 20 * ms)],
                             duration=30 * ms, record=["dist"])
    v = result.traces["dist"]
    assert v[v.index < 10].max() == pytest.approx(-65.0)
    assert v[(v.index > 19) & (v.index < 20)].mean() > -64.0


# slow: 68 s (cython) and 15 s (cpp_standalone) of compiling from empty caches; the default
# suite runs the Cython target in tests/test_channels.py and test_convert_parity.py
@pytest.mark.parametrize("target", [pytest.param("cython", marks=pytest.mark.slow),
                                    pytest.param("cpp_standalone", marks=pytest.mark.slow)])
def test_compiled_targets_match_numpy(target):
    """Same model, stimuli and seed with compiled code: the same traces and spikes."""
    reference = bridge.simulate(noisy_model(), stimuli=STIMULI, duration=40 * ms, seed=11)
    compiled = bridge.simulate(noisy_model(), stimuli=STIMULI, duration=40 * ms, seed=11, target=target)
    comparison = bridge.compare(reference, compiled)
    assert comparison.worst_max <= TARGET_PARITY.value, comparison
    assert comparison.spike_counts[0] == comparison.spike_counts[1] > 0


def test_noise_seed_controls_the_trace():
    a = bridge.simulate(noisy_model(), duration=20 * ms, seed=1, record=["soma"])
    b = bridge.simulate(noisy_model(), duration=20 * ms, seed=1, record=["soma"])
    c = bridge.simulate(noisy_model(), duration=20 * ms, seed=2, record=["soma"])
    assert a.traces.equals(b.traces) and not a.traces.equals(c.traces)


def test_unknown_simulator_is_a_clear_error():
    with pytest.raises(bridge.UnsupportedFeatureError, match="brian2, neuron, coreneuron"):
        bridge.simulate(default_model(), simulator="nest", duration=1 * ms)


def test_neuron_options_are_refused_for_brian2():
    with pytest.raises(bridge.UnsupportedFeatureError, match="cvode"):
        bridge.simulate(default_model(), cvode=True, duration=1 * ms)


def test_make_neurongroup_accepts_numpy_integers():
    import numpy
    from bridge.brian2.group import make_neurongroup
    assert len(make_neurongroup(default_model(), numpy.int64(3))[0]) == 3
    with pytest.raises(bridge.ModelError, match="integer >= 1"):
        make_neurongroup(default_model(), 0)


def test_weighted_trains_into_shared_synapses_match_neuron():
    """Several trains, each with its own weight, into two synapses: Brian 2 plays them all
    through one generator and one Synapses object (a weight and a target per event), NEURON
    one train at a time; the traces agree as the parity matrix's do, and swapping two
    weights changes them (the weights are not lost in the merge)."""
    from tolerances import NEURON_SUBTHRESHOLD_MAX, NEURON_SUBTHRESHOLD_RMS

    def trains(first, second):
        return [bridge.SpikeTrain("prox", "AMPA_x", [10, 30] * ms, weight=first),
                bridge.SpikeTrain("prox", "AMPA_x", [12, 40] * ms, weight=second),
                bridge.SpikeTrain("dist", "NMDA_x", [20, 21] * ms, weight=1.5)]

    runs = {sim: bridge.simulate(default_model(), sim, trains(0.5, 2.0), duration=60 * ms, dt=0.025 * ms,
                                 **({"method": "rk4"} if sim == "brian2" else {}))
            for sim in ("brian2", "neuron")}
    assert len(runs["neuron"].spikes) == 0 and runs["neuron"].traces["soma"].max() > -64   # subthreshold, moved by mV
    cmp = bridge.compare(runs["brian2"], runs["neuron"])
    assert cmp.worst_rms <= NEURON_SUBTHRESHOLD_RMS.value and cmp.worst_max <= NEURON_SUBTHRESHOLD_MAX.value, cmp
    swapped = bridge.simulate(default_model(), "brian2", trains(2.0, 0.5), duration=60 * ms, dt=0.025 * ms,
                              method="rk4")
    assert bridge.compare(runs["brian2"], swapped).worst_max > 5 * NEURON_SUBTHRESHOLD_MAX.value


@pytest.mark.parametrize("simulator", ["brian2", "neuron"])
def test_a_compartment_asked_for_twice_is_recorded_once(simulator):
    """Two recording sites may lie in one compartment (Hay's 660 and 800 um sites in one
    tuft compartment of a reduced CA1 cell): Brian 2 stopped with 'V_tuft4 is already
    present'; each compartment is recorded once, in the order first asked."""
    result = bridge.simulate(default_model(), simulator, [bridge.Step("soma", 0.1 * nA, 2 * ms, 8 * ms)],
                             duration=10 * ms, record=["dist", "soma", "dist"])
    assert list(result.traces.columns) == ["dist", "soma"]

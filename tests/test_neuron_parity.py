"""NEURON and CoreNEURON against Brian 2 on the parity matrix, plus convergence and noise."""

import numpy as np
import pytest
from brian2.units import mV, ms, nS, pA, pF

import bridge
import parity_models as pm
from brian_harness import DT
from neuron_harness import NOISY, NOT_IN_NMODL, run, spike_window
from tolerances import (CORENEURON_PARITY, NEURON_SPIKE_SHIFT, NEURON_SUBTHRESHOLD_MAX, NEURON_SUBTHRESHOLD_RMS,
                        NOISE_MEAN, NOISE_SD_REL, NOISE_TAU_REL, SPIKE_WINDOW_MS, CVODE_RMS, CVODE_SPIKE_SHIFT)

DETERMINISTIC = [c for c in pm.CASES if c.__name__ not in NOT_IN_NMODL | NOISY]
RUNNABLE = [c for c in pm.CASES if c.__name__ not in NOT_IN_NMODL]

def _check_neuron_vs_brian2(case, dt=DT):
    brian, spiking = run(case, "brian2", dt=dt, method="rk4")
    neuron, _ = run(case, "neuron", dt=dt)
    cmp = bridge.compare(brian, neuron, spike_window=spike_window(spiking, SPIKE_WINDOW_MS.value))
    assert cmp.spike_counts[0] == cmp.spike_counts[1], cmp
    if cmp.spike_counts[0]:
        assert cmp.spike_shift <= NEURON_SPIKE_SHIFT.value, cmp
    assert cmp.worst_rms <= NEURON_SUBTHRESHOLD_RMS.value, cmp
    assert cmp.worst_max <= NEURON_SUBTHRESHOLD_MAX.value, cmp


@pytest.mark.parametrize("case", DETERMINISTIC, ids=lambda c: c.__name__)
def test_neuron_matches_brian2(case):
    _check_neuron_vs_brian2(case)


@pytest.mark.parametrize("case", RUNNABLE, ids=lambda c: c.__name__)
def test_coreneuron_matches_neuron(case):
    neuron, _ = run(case, "neuron")
    core, _ = run(case, "coreneuron")
    assert core.info["simulator"] == "coreneuron"
    cmp = bridge.compare(neuron, core)
    assert cmp.worst_max <= CORENEURON_PARITY.value, cmp
    np.testing.assert_array_equal(neuron.spikes, core.spikes)


def test_difference_shrinks_with_dt():
    """Brian 2 (Euler) and NEURON (backward Euler) are both first order: their
    difference must fall as dt is halved."""
    rms = []
    for dt in (0.1, 0.05, 0.025, 0.0125):
        brian, _ = run(pm.ampa_rise_decay_scaled, "brian2", dt=dt * ms, method="euler")
        neuron, _ = run(pm.ampa_rise_decay_scaled, "neuron", dt=dt * ms, method="backward_euler")
        rms.append(bridge.compare(brian, neuron).worst_rms)
    assert all(later < earlier * 0.75 for earlier, later in zip(rms, rms[1:])), rms


def _autocorrelation_time(v, dt_ms):
    x = v - v.mean()
    spectrum = np.fft.rfft(x, 2 * len(x))
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[:len(x)]
    acf /= acf[0]
    k = int(np.argmax(acf < np.exp(-1)))
    # linear interpolation between the samples around 1/e
    return dt_ms * (k - 1 + (acf[k - 1] - np.exp(-1)) / (acf[k - 1] - acf[k]))


def test_noise_statistics_match_brian2():
    model = bridge.PointNeuronModel(model="leakyIF", v_rest=-60 * mV, cm_abs=100 * pF, gl_abs=10 * nS)
    model.noise(mean=10 * pA, sigma=20 * pA, tau=5 * ms)
    dt = 0.05
    runs = {sim: bridge.simulate(model, simulator=sim, duration=10000 * ms, dt=dt * ms, seed=3)
            for sim in ("brian2", "neuron")}
    skip = int(100 / dt)  # the first 100 ms relax from rest
    v = {sim: r.traces["soma"].to_numpy()[skip:] for sim, r in runs.items()}
    assert abs(v["brian2"].mean() - v["neuron"].mean()) <= NOISE_MEAN.value
    assert abs(v["neuron"].std() / v["brian2"].std() - 1) <= NOISE_SD_REL.value
    tau = {sim: _autocorrelation_time(x, dt) for sim, x in v.items()}
    assert abs(tau["neuron"] / tau["brian2"] - 1) <= NOISE_TAU_REL.value, tau


@pytest.mark.parametrize("case", [c if c.__name__ != "add_equations_and_params" else
                                  pytest.param(c, marks=pytest.mark.slow)   # a process of its own: 9 s
                                  for c in DETERMINISTIC], ids=lambda c: c.__name__)
def test_cvode_matches_fixed_step(case):
    fixed, spiking = run(case, "neuron", dt=0.0125 * ms)
    variable, _ = run(case, "neuron", dt=0.0125 * ms, cvode=True, atol=1e-4)
    assert variable.info["method"] == "cvode"
    cmp = bridge.compare(fixed, variable, spike_window=spike_window(spiking, SPIKE_WINDOW_MS.value))
    assert cmp.spike_counts[0] == cmp.spike_counts[1], cmp
    if cmp.spike_counts[0]:
        assert cmp.spike_shift <= CVODE_SPIKE_SHIFT.value, cmp
    assert cmp.worst_rms <= CVODE_RMS.value, cmp


def _two_dendrites_with_own_reversals(lib):
    """Two dendrites whose Na dspikes have different rise reversals (70 and 30 mV)."""
    from brian2.units import cm, ohm, uF, um, uS
    soma = lib.Soma("soma", model="leakyIF", length=25 * um, diameter=25 * um)
    dends = []
    for name, e_rise in (("left", 70 * mV), ("right", 30 * mV)):
        d = lib.Dendrite(name, length=100 * um, diameter=1 * um)
        d.synapse("AMPA", tag="x", g=4 * nS, t_decay=2 * ms)
        d.dspikes("Na", g_rise=12 * nS, g_fall=7 * nS, threshold=-35 * mV, duration_rise=1.2 * ms,
                  duration_fall=2.4 * ms, offset_fall=0.2 * ms, refractory=5 * ms, reversal_rise=e_rise,
                  reversal_fall=-89 * mV)
        dends.append(d)
    model = lib.NeuronModel([(soma, dends[0], 10 * nS), (soma, dends[1], 10 * nS)], cm=1 * uF / cm ** 2,
                            gl=40 * uS / cm ** 2, v_rest=-65 * mV, r_axial=150 * ohm * cm)
    times = [10, 11, 12, 13, 14, 15] * ms
    return model, {}, dict(steps=[], events=[("left", "AMPA_x", times), ("right", "AMPA_x", times)],
                           record=["V_soma", "V_left", "V_right"], duration=60 * ms)


def test_dspike_reversals_per_compartment():
    """Each compartment keeps its own dspike reversal in both simulators: the same traces,
    and the two dendrites' spike peaks differ as their reversals do."""
    brian, _ = run(_two_dendrites_with_own_reversals, "brian2", method="rk4")
    neuron, _ = run(_two_dendrites_with_own_reversals, "neuron")
    cmp = bridge.compare(brian, neuron)
    assert cmp.worst_rms <= NEURON_SUBTHRESHOLD_RMS.value, cmp
    peaks = brian.traces.max()
    assert peaks.filter(like="left").iloc[0] - peaks.filter(like="right").iloc[0] > 10, peaks  # 70 mV vs 30 mV reversal: different spikes

"""Feature extraction on traces whose features are known in closed form."""

import numpy as np
import pytest

from bridge.assess.features import coincidence_factor, peak_deflection, psp_features, spike_features, spike_times

DT = 0.005  # ms


def _biexponential(t, onset, tau_rise, tau_decay, amplitude):
    s = np.clip(t - onset, 0, None)
    shape = np.exp(-s / tau_decay) - np.exp(-s / tau_rise)
    peak_time = tau_rise * tau_decay / (tau_decay - tau_rise) * np.log(tau_decay / tau_rise)
    peak = np.exp(-peak_time / tau_decay) - np.exp(-peak_time / tau_rise)
    return amplitude * shape / peak


def _crossings(f, level, lo, hi):
    from scipy.optimize import brentq
    return brentq(lambda x: f(x) - level, lo, hi)


def test_psp_features_of_a_known_biexponential():
    onset, tau_r, tau_d, amplitude = 20.0, 1.0, 10.0, 2.5
    t = np.arange(0, 150, DT)
    v = -65 + _biexponential(t, onset, tau_r, tau_d, amplitude)
    f = psp_features(t, v, onset, 150)
    shape = lambda x: _biexponential(np.array([x]), onset, tau_r, tau_d, 1.0)[0]  # noqa: E731
    t_peak = onset + tau_r * tau_d / (tau_d - tau_r) * np.log(tau_d / tau_r)
    rise = _crossings(shape, 0.9, onset, t_peak) - _crossings(shape, 0.1, onset, t_peak)
    half = _crossings(shape, 0.5, t_peak, 150) - _crossings(shape, 0.5, onset, t_peak)
    # tolerances: the trace is sampled every 5 us and crossings are interpolated linearly
    assert f["amplitude"] == pytest.approx(amplitude, rel=1e-4)
    assert f["rise_time"] == pytest.approx(rise, abs=2e-3)
    assert f["half_width"] == pytest.approx(half, abs=2e-3)


def test_spike_features_count_known_spikes():
    t = np.arange(0, 500, 0.025)
    v = np.full_like(t, -70.0)
    spikes = [110.0, 150.0, 190.0, 230.0, 270.0, 420.0]
    for s in spikes:  # 1 ms triangular spikes to +30 mV
        v += np.clip(100 * (1 - np.abs(t - s) / 0.5), 0, None)
    f = spike_features(t, v, 100, 300)
    assert f["spike_count"] == 5  # the spike at 420 ms is after the stimulus
    assert f["rate"] == pytest.approx(5 / 0.200)   # spikes over the 200 ms window
    assert f["steady_rate"] == pytest.approx(1 / 0.040)   # the last two of four 40 ms intervals


def test_one_spike_is_a_rate_over_the_step_not_an_interval():
    """eFEL's mean_frequency turned one spike 5.5 ms into a step into 181.8 Hz; one spike in
    a 200 ms step is 5 Hz, and no steady-state interval exists."""
    t = np.arange(0, 300, 0.025)
    v = np.full_like(t, -70.0) + np.clip(100 * (1 - np.abs(t - 105.5) / 0.5), 0, None)
    f = spike_features(t, v, 100, 300)
    assert f["spike_count"] == 1 and f["rate"] == pytest.approx(5.0) and f["steady_rate"] is None


def test_coincidence_factor_limits():
    rng = np.random.default_rng(1)
    a = np.sort(rng.uniform(0, 10_000, 200))
    assert coincidence_factor(a, a, 10_000) == pytest.approx(1.0)
    assert coincidence_factor(a, a + 1.0, 10_000, precision_ms=2.0) == pytest.approx(1.0)
    assert coincidence_factor(a, a + 5.0, 10_000, precision_ms=2.0) < 0.1
    b = np.sort(rng.uniform(0, 10_000, 200))
    assert abs(coincidence_factor(a, b, 10_000)) < 0.15  # independent trains: chance level


def test_spike_times_and_peak_deflection_of_known_trace():
    t = np.arange(0, 300, 0.025)
    v = np.full_like(t, -70.0)
    for s in (120.0, 180.5, 250.25):
        v += np.clip(100 * (1 - np.abs(t - s) / 0.5), 0, None)
    # eFEL resamples traces every 0.1 ms (its interp_step) before finding peaks
    np.testing.assert_allclose(spike_times(t, v, 100, 260), [120.0, 180.5, 250.25], atol=0.1)
    assert peak_deflection(v) == pytest.approx(100.0)


def test_input_resistance_and_time_constant_of_a_known_trace():
    import pandas as pd

    from bridge.traces import SimulationResult
    from bridge.assess.passive import measure_input_resistance, measure_time_constant
    t = np.arange(0, 400, 0.025)
    tau, r_in, amp, start, stop = 20.0, 100e6, 10e-12, 5.0, 245.0  # ms, ohm, A, ms, ms
    dv = r_in * amp * 1e3  # mV
    v = np.where(t < start, 0.0, dv * (1 - np.exp(-(t - start) / tau)))
    v = np.where(t >= stop, v[np.searchsorted(t, stop) - 1] * np.exp(-(t - stop) / tau), v) - 65
    result = SimulationResult(pd.DataFrame({"soma": v}, index=pd.Index(t, name="time (ms)")), np.array([]))
    # 12 time constants of charging leave exp(-12) of the step unreached
    assert measure_input_resistance(result, "soma", amp, start, stop) == pytest.approx(r_in, rel=1e-5)
    assert measure_time_constant(result, "soma", start, stop) == pytest.approx(tau * 1e-3, rel=1e-6)


def test_coincidence_factor_of_independent_trains_is_about_zero():
    """Independent Poisson trains (seeded, 2000 spikes each): Gamma at chance level, 0 +- 0.05."""
    rng = np.random.default_rng(7)
    a = np.sort(rng.uniform(0, 100_000, 2000))
    b = np.sort(rng.uniform(0, 100_000, 2000))
    assert abs(coincidence_factor(a, b, 100_000)) <= 0.05


def test_coincidence_factor_refuses_a_window_too_wide_for_the_rate():
    """At 200 Hz a +-3 ms window holds a chance spike more often than not (2 x rate x window
    = 1.2): Gamma is undefined, a clear error rather than a number (once 3.35, a pass)."""
    from bridge.errors import ModelError
    train = np.arange(0.0, 1000.0, 5.0)  # 200 Hz
    with pytest.raises(ModelError, match="2 x rate x window") as info:
        coincidence_factor(train, train + 0.5, 1000.0, precision_ms=3.0)
    assert info.value.param == "precision_ms"

"""Impedance (issue 12, item 4): the reduced model's impedance matrix against sinusoidal
currents simulated in Brian 2, NEURON and CoreNEURON (bridge.Sine), and the detailed
reference's impedance from NEURON's Impedance class against its steady-state attenuation.

Phase convention: angle(Z) in radians, negative when the voltage lags the current."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from brian2.units import Hz, ms, nS, pA, pF

import bridge
from bridge.model.electrical import (conductance_matrix, impedance_between, impedance_matrix, impedance_phase,
                                     input_resistance)
from bridge.neuron.detailed import measure_reference
from bridge.neuron.reference_impedance import reference_impedance
from bridge.assess.case import load_case
from bridge.assess.impedance import (AMPLITUDE_TOLERANCE, PHASE_TOLERANCE, check_impedance, measure_impedance)

CASE = Path(__file__).resolve().parents[1] / "validation" / "c91662"
FREQUENCIES = (0.0, 10.0, 100.0)


@pytest.fixture(scope="module")
def reduced():
    return bridge.load(CASE / "reduced.json")


def one_rc():
    return bridge.PointNeuronModel("passive", cm_abs=200 * pF, gl_abs=10 * nS).description


def test_one_compartment_matches_closed_form_and_its_phase_lags():
    model = one_rc()
    r, c, f = 1 / 10e-9, 200e-12, 100.0
    z = impedance_between(model, "soma", "soma", f)
    assert z == pytest.approx(r / (1 + 2j * np.pi * f * r * c), rel=1e-12)
    assert np.angle(z) == pytest.approx(-np.arctan(2 * np.pi * f * r * c), rel=1e-12) and np.angle(z) < 0


def test_matrix_at_0_hz_is_the_inverse_conductance_matrix(reduced):
    z0 = impedance_matrix(reduced, 0)
    assert np.allclose(z0, np.linalg.inv(conductance_matrix(reduced)), rtol=1e-12, atol=0)
    assert z0[0, 0].real == pytest.approx(input_resistance(reduced), rel=1e-12)
    z = impedance_matrix(reduced, 100)
    assert np.allclose(z, z.T, rtol=1e-12, atol=0)                   # reciprocity
    assert np.all(np.abs(z) < np.abs(z0))


def test_phase_is_continuous_past_minus_pi(reduced):
    """At 100 Hz the distal compartment lags by more than pi: np.angle wraps it, impedance_phase does not."""
    wrapped = np.angle(impedance_between(reduced, "soma", "dist", 100))
    phase = impedance_phase(reduced, "soma", "dist", 100)
    assert wrapped > 0 and phase < -np.pi
    assert phase == pytest.approx(wrapped - 2 * np.pi, abs=1e-12)
    phases = [impedance_phase(reduced, "soma", "dist", f) for f in (1, 10, 100, 1000)]
    assert all(b < a < 0 for a, b in zip(phases, phases[1:]))


def _worst(checks):
    return {f: (max(abs(c.amplitude_error) for c in checks if c.frequency_hz == f),
                max(abs(c.phase_error) for c in checks if c.frequency_hz == f)) for f in FREQUENCIES}


@pytest.mark.parametrize("simulator, options", [("brian2", {"method": "rk4"}), ("neuron", {}), ("coreneuron", {})],
                         ids=["brian2", "neuron", "coreneuron"])
def test_simulated_impedance_matches_the_matrix(reduced, simulator, options):
    """A 5 pA sine into the soma, recorded at every compartment, at 0 (a step), 10 and 100 Hz:
    within 1% in amplitude and 0.01 rad in phase (measured: at most 7e-5 and 4e-5 rad)."""
    checks = check_impedance(reduced, simulator, FREQUENCIES, amplitude=5 * pA, periods=2, **options)
    assert len(checks) == len(FREQUENCIES) * len(reduced.compartment_names)
    assert {c.record for c in checks} == set(reduced.compartment_names)
    worst = _worst(checks)
    assert all(c.passed for c in checks), worst
    assert all(a <= AMPLITUDE_TOLERANCE and p <= PHASE_TOLERANCE for a, p in worst.values()), worst


def test_sine_is_the_same_current_in_brian2_and_neuron(reduced):
    """Both hold each time step at the sine's midpoint value: their traces agree to far
    better than the half-step phase shift (2 pi f dt / 2 = 8e-3 rad) a start-of-step value gives."""
    sine = bridge.Sine("soma", 5 * pA, 100 * Hz, 2 * ms, 30 * ms)
    runs = [bridge.simulate(reduced, sim, [sine], duration=30 * ms, **opt)
            for sim, opt in (("brian2", {"method": "rk4"}), ("neuron", {}))]
    swing = float(np.ptp(runs[1].traces["soma"]))
    difference = float(np.max(np.abs(runs[0].traces.values - runs[1].traces.values)))
    assert difference < 1e-3 * swing, (difference, swing)


def test_measure_impedance_reads_the_phase_convention():
    """A voltage lagging the current by 0.5 rad reads as phase -0.5, from a sine that starts at 20 ms."""
    sine = bridge.Sine("soma", 10 * pA, 50 * Hz, 20 * ms, 120 * ms)
    t_ms = np.arange(0, 120, 0.025)
    tau = (t_ms * 1e-3 - sine.start)
    v_mv = -65 + 1e3 * 10e-12 * 40e6 * np.sin(sine.omega * tau - 0.5) * (tau >= 0)
    result = bridge.SimulationResult(pd.DataFrame({"soma": v_mv}, index=pd.Index(t_ms, name="time (ms)")),
                                     np.array([]))
    z = measure_impedance(result, "soma", sine, settle=10 * ms)
    assert abs(z) == pytest.approx(40e6, rel=1e-9)
    assert np.angle(z) == pytest.approx(-0.5, abs=1e-9)


@pytest.fixture(scope="module")
def reference_tables():
    case = load_case(CASE / "case.json", with_model=False)
    table = reference_impedance(case.reference, case.mapping, [0.0, 100.0])
    return table, measure_reference(case.reference, case.mapping).segments, case


def test_reference_impedance_at_0_hz_is_the_attenuation(reference_tables):
    table, segments, case = reference_tables
    at0 = table[table["frequency_hz"] == 0].reset_index(drop=True)
    assert list(table.columns[2:]) == ["compartment", "kind", "distance_um", "area_um2", "frequency_hz",
                                       "transfer_amplitude_mohm", "transfer_phase_rad", "input_amplitude_mohm",
                                       "input_phase_rad"]
    assert len(at0) == len(segments)
    assert list(at0["compartment"]) == list(segments["compartment"])
    assert set(at0["compartment"]) == set(case.mapping)
    soma = at0[(at0["kind"] == "soma") & (at0["x"] == 0.5)]
    assert len(soma) == 1 and soma["compartment"].iloc[0] == "soma"
    z_soma = soma["input_amplitude_mohm"].iloc[0]
    assert soma["transfer_amplitude_mohm"].iloc[0] == pytest.approx(z_soma, rel=1e-12)
    np.testing.assert_allclose(at0["transfer_amplitude_mohm"] / z_soma, segments["attenuation"], rtol=1e-9, atol=0)
    assert np.all(at0["transfer_phase_rad"] == 0) and np.all(at0["input_phase_rad"] == 0)


def test_reference_impedance_at_100_hz_lags_and_is_smaller(reference_tables):
    table, _, _ = reference_tables
    at0, at100 = (table[table["frequency_hz"] == f].reset_index(drop=True) for f in (0.0, 100.0))
    assert np.all(at100["transfer_phase_rad"] < 0) and np.all(at100["input_phase_rad"] < 0)
    assert at100["transfer_phase_rad"].min() < -np.pi          # the distal tufts: continuous, not wrapped
    assert np.all(at100["transfer_amplitude_mohm"] < at0["transfer_amplitude_mohm"])
    assert np.all(at100["input_amplitude_mohm"] < at0["input_amplitude_mohm"])


def test_sine_with_a_unitless_amplitude_is_refused():
    with pytest.raises(bridge.UnitError, match="amplitude"):
        bridge.Sine("soma", 5, 10 * Hz, 0 * ms, 100 * ms)


@pytest.mark.parametrize("frequency, error", [(10, bridge.UnitError), (-10 * Hz, bridge.ModelError),
                                              (0 * Hz, bridge.ModelError)], ids=["unitless", "negative", "zero"])
def test_sine_frequency_must_be_a_positive_frequency(frequency, error):
    with pytest.raises(error, match="frequency") as info:
        bridge.Sine("soma", 5 * pA, frequency, 0 * ms, 100 * ms)
    if error is bridge.ModelError and float(frequency) == 0:
        assert "Step" in str(info.value)             # the 0 Hz route


def test_sine_must_stop_after_it_starts():
    with pytest.raises(bridge.ModelError, match="stop"):
        bridge.Sine("soma", 5 * pA, 10 * Hz, 50 * ms, 50 * ms)


def test_sine_current_starts_at_phase_0_and_is_zero_outside():
    sine = bridge.Sine("soma", 2 * pA, 25 * Hz, 10 * ms, 50 * ms)
    assert sine.amplitude == pytest.approx(2e-12) and sine.frequency == 25 and sine.stop == pytest.approx(0.05)
    t = np.array([0.005, 0.010, 0.020, 0.050, 0.060])
    np.testing.assert_allclose(sine.current(t), [0, 0, 2e-12 * np.sin(2 * np.pi * 25 * 0.010), 0, 0], atol=1e-24)


def test_sine_into_an_unknown_compartment_is_refused(reduced):
    with pytest.raises(bridge.UnknownNameError, match="apex"):
        bridge.simulate(reduced, "neuron", [bridge.Sine("apex", 5 * pA, 10 * Hz, 0 * ms, 10 * ms)], duration=10 * ms)


def test_negative_frequency_for_the_matrix_is_refused(reduced):
    with pytest.raises(bridge.ModelError, match="frequency_hz"):
        impedance_matrix(reduced, -1.0)
    case = load_case(CASE / "case.json", with_model=False)
    with pytest.raises(bridge.ModelError, match="frequencies_hz"):
        reference_impedance(case.reference, case.mapping, [10.0, -1.0])


def test_too_short_a_sine_is_refused(reduced):
    sine = bridge.Sine("soma", 5 * pA, 10 * Hz, 0 * ms, 50 * ms)
    result = bridge.simulate(reduced, "neuron", [sine], duration=50 * ms)
    with pytest.raises(bridge.ModelError, match="settle"):
        measure_impedance(result, "soma", sine, settle=20 * ms)
    with pytest.raises(bridge.UnknownNameError, match="record"):
        measure_impedance(result, "tuft", sine)
    assert measure_impedance(result, "soma", bridge.Step("soma", 5 * pA, 0 * ms, 50 * ms)).imag == 0


def test_reference_impedance_at_0_hz_is_what_a_step_gives_on_a_non_uniform_membrane():
    """The reference's impedance against a simulated step, on a membrane whose leak varies
    along the dendrite (NEURON's extended Impedance.compute(f, 1) gave 119 MOhm here; the
    step and compute(f) give 74.8)."""
    from brian2.units import amp, second

    from bridge.neuron.detailed import run_reference
    case = load_case(CASE.parent / "c91662_nonuniform" / "case.json", with_model=False)
    at0 = reference_impedance(case.reference, case.mapping, [0.0])
    soma = at0[(at0["kind"] == "soma") & (at0["x"] == 0.5)]["input_amplitude_mohm"].iloc[0]
    step = bridge.Step("soma", 10e-12 * amp, 0.005 * second, 0.6 * second)
    trace = run_reference(case.reference, [step], 0.6, 0.1e-3, record=["soma"]).traces["soma"]
    measured = (trace.iloc[-1] - trace.iloc[0]) * 1e-3 / 10e-12 / 1e6
    assert soma == pytest.approx(measured, rel=2e-3)


def test_one_run_measures_every_frequency(reduced):
    """A step and a sine per frequency at once (linear system, whole periods of each in the
    window): every frequency's impedance from one run, as the validation protocol measures."""
    from brian2.units import second

    from bridge.assess.impedance import impedance_stimuli, measure_impedances
    stimuli, settle = impedance_stimuli(reduced, "dist", [0.0, 10.0, 100.0], 5e-12)
    result = bridge.simulate(reduced, "neuron", stimuli, duration=max(s.stop for s in stimuli) * second,
                             record=["soma", "dist"])
    for record in ("soma", "dist"):
        measured = measure_impedances(result, record, stimuli, settle=settle * second)
        assert sorted(measured) == [0.0, 10.0, 100.0]
        for f, z in measured.items():
            expected = impedance_between(reduced, record, "dist", f)
            assert abs(z) / abs(expected) - 1 == pytest.approx(0, abs=1e-4)
            assert np.angle(z / expected) == pytest.approx(0, abs=1e-4)


def test_frequencies_without_common_whole_periods_are_refused(reduced):
    from bridge.assess.impedance import impedance_stimuli
    with pytest.raises(bridge.ModelError, match="whole periods"):
        impedance_stimuli(reduced, "soma", [10.0, 15.0], 5e-12)

"""Detailed references: the analytic ball-and-stick against cable theory in NEURON and
Brian 2, one SWC morphology in both simulators, and bad morphology input."""

import pytest
from brian2.units import ms, pA

import bridge
from bridge.brian2.detailed import run_reference as run_brian2
from bridge.neuron.detailed import run_reference as run_neuron
from bridge.references import BallAndStick, SWCReference, brian2_example_swc, neuron_demo_file
from bridge.references.swc import read_swc
from bridge.assess.passive import measure_input_resistance, measure_time_constant
from tolerances import CABLE_THEORY, SWC_ATTENUATION, SWC_INPUT_RESISTANCE

RUNNERS = {"neuron": run_neuron, "brian2": run_brian2}
AMPLITUDE = 10e-12  # A: small enough to stay linear (passive anyway)


def _passive_protocol(ref, runner):
    """(input resistance, slowest time constant, steady-state tip/soma attenuation)."""
    tau = ref.time_constant
    start, stop = 0.005, 0.005 + 12 * tau
    step = bridge.Step("soma", AMPLITUDE * 1e12 * pA, start * 1e3 * ms, stop * 1e3 * ms)
    result = runner(ref, [step], stop + 8 * tau, 0.025e-3)
    v = result.traces
    before = v.index < stop * 1e3
    attenuation = (v["tip"][before].iloc[-1] - v["tip"].iloc[0]) / (v["soma"][before].iloc[-1] - v["soma"].iloc[0])
    return (measure_input_resistance(result, "soma", AMPLITUDE, start * 1e3, stop * 1e3),
            measure_time_constant(result, "soma", start * 1e3, stop * 1e3), attenuation, result)


@pytest.mark.parametrize("simulator", RUNNERS)
def test_ball_and_stick_matches_cable_theory(simulator):
    ref = BallAndStick()
    r_in, tau, attenuation, result = _passive_protocol(ref, RUNNERS[simulator])
    assert r_in == pytest.approx(ref.input_resistance, rel=CABLE_THEORY.value)
    assert tau == pytest.approx(ref.time_constant, rel=CABLE_THEORY.value)
    tip = result.info["tip_distance_m"]
    assert attenuation == pytest.approx(ref.attenuation(tip), rel=CABLE_THEORY.value)
    assert ref.attenuation(tip) < 0.9, "the dendrite must attenuate, or the test shows little"


def test_swc_reference_agrees_between_neuron_and_brian2():
    ref = SWCReference(brian2_example_swc())
    neuron = _passive_protocol(ref, run_neuron)
    brian = _passive_protocol(ref, run_brian2)
    assert neuron[0] == pytest.approx(brian[0], rel=SWC_INPUT_RESISTANCE.value)
    assert neuron[2] == pytest.approx(brian[2], rel=SWC_ATTENUATION.value)
    assert neuron[1] == pytest.approx(ref.time_constant, rel=CABLE_THEORY.value)


def test_swc_reader_matches_neuron_import3d_length():
    morphology = read_swc(brian2_example_swc())
    import numpy as np
    length = sum(float(np.sum(np.linalg.norm(np.diff(b.points, axis=0), axis=1))) for b in morphology.branches)
    assert length == pytest.approx(1759.19, abs=0.01)  # NEURON's Import3d: total dendritic L of this file


def test_malformed_swc_names_the_line(tmp_path):
    bad = tmp_path / "bad.swc"
    bad.write_text("1 1 0 0 0 5 -1\n2 3 1 2 three 0.5 1\n")
    with pytest.raises(bridge.ModelError, match="line 2"):
        read_swc(bad)


def test_swc_with_unknown_parent_is_refused(tmp_path):
    bad = tmp_path / "orphan.swc"
    bad.write_text("1 1 0 0 0 5 -1\n2 3 10 0 0 0.5 7\n")
    with pytest.raises(bridge.ModelError, match="parent 7"):
        read_swc(bad)


def test_missing_morphology_file_is_a_clear_error(tmp_path):
    with pytest.raises(bridge.ModelError, match="does not exist"):
        SWCReference(tmp_path / "nowhere.swc")


def test_unknown_site_is_refused():
    with pytest.raises(bridge.UnknownNameError, match="no site 'apex'"):
        run_neuron(BallAndStick(), [bridge.Step("apex", 10 * pA, 1 * ms, 2 * ms)], 0.005, 0.025e-3)


def test_neuron_demo_morphology_is_found():
    assert neuron_demo_file("pyramid.nrn").stat().st_size > 1000

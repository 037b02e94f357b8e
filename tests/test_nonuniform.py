"""A non-uniform passive membrane (issue 12, item 7): c91662 with Stuart & Spruston's
sigmoidal apical Rm (validation/c91662_nonuniform). The profile reaches every segment of
the NEURON cell, the reduction keeps each region's total leak, and the reduced model's
slowest time constant is no longer the somatic cm/gl (it is a prediction)."""

import json
import math

import numpy as np
import pytest
from brian2.units import pA, second

import bridge
from bridge.model import load
from bridge.model.electrical import capacitance_vector, conductance_matrix, time_constants, transfer_ratio
from bridge.neuron.detailed import built, measure_reference
from bridge.references import NRNReference, Region, SigmoidLeak, c91662, neuron_demo_file
from bridge.resources import packaged_dir
from bridge.reduce.passive_chain import reduce_to_chain

CASE = packaged_dir("validation") / "c91662_nonuniform"
#: Sums of the same products in a different order: a few ulp.
SAME_ARITHMETIC = 1e-12
#: The chain is solved for the attenuation exactly; what is left is one linear solve.
SOLVED = 1e-9
#: The reduced model's slowest time constant against the reference's, measured from the
#: decay after a step: the case's own tolerance for this prediction (case.json).
TAU_PREDICTION = 0.10


def _case():
    data = json.loads((CASE / "case.json").read_text())
    ref = data["reference"]
    reference = NRNReference(neuron_demo_file(ref["file"].split(":", 1)[1]), cm=ref["cm_F_m2"], gl=ref["gl_S_m2"],
                             r_axial=ref["r_axial_ohm_m"], v_rest=ref["v_rest_V"], d_lambda=ref["d_lambda"],
                             name=ref["name"], leak_profile=SigmoidLeak.from_dict(ref["leak_profile"]))
    mapping = {name: tuple(Region.from_dict(r) for r in regions) for name, regions in data["mapping"].items()}
    return data, reference, mapping


@pytest.fixture(scope="module")
def case():
    data, reference, mapping = _case()
    return data, reference, mapping, measure_reference(reference, mapping)


def test_the_profile_reaches_every_segment(case):
    _, ref, _, _ = case
    profile = ref.leak_profile
    rm_soma, rm_end = 1 / profile.gl_soma, 1 / profile.gl_end
    assert 1 / profile.gl("apical", profile.midpoint) == pytest.approx((rm_soma + rm_end) / 2, rel=1e-12)
    with built(ref) as (h, sections, soma):
        assert soma(0.5).pas.g * 1e4 == pytest.approx(profile.gl_soma, rel=SAME_ARITHMETIC)
        apical = [(h.distance(seg) * 1e-6, seg) for sec in sections if "dendrite_1[" in sec.name() for seg in sec]
        basal = [seg for sec in sections if sec.name().startswith("dendrite_") and "dendrite_1[" not in sec.name()
                 for seg in sec]
        for distance, seg in apical:
            assert seg.pas.g * 1e4 == pytest.approx(profile.gl("apical", distance), rel=SAME_ARITHMETIC)
        tip_distance, tip = max(apical, key=lambda pair: pair[0])
        assert 1 / (tip.pas.g * 1e4) == pytest.approx(rm_end, rel=0.01), f"tuft at {tip_distance * 1e6:.0f} um"
        middle_distance, middle = min(apical, key=lambda pair: abs(pair[0] - profile.midpoint))
        slope = (rm_soma - rm_end) / (4 * profile.slope)  # |dRm/dx| at the midpoint (ohm m2 / m)
        assert 1 / (middle.pas.g * 1e4) == pytest.approx((rm_soma + rm_end) / 2,
                                                         abs=1.01 * slope * abs(middle_distance - profile.midpoint))
        assert basal and all(seg.pas.g * 1e4 == pytest.approx(profile.gl_soma, rel=SAME_ARITHMETIC) for seg in basal)


def test_leaks_are_the_sum_over_segments(case):
    _, ref, mapping, description = case
    table = description.segments
    expected = {name: 0.0 for name in mapping}
    for row in table.itertuples():
        expected[row.compartment] += ref.leak_profile.gl(row.kind, row.distance_um * 1e-6) * row.area_um2 * 1e-12
    for name in mapping:
        assert description.leaks[name] == pytest.approx(expected[name], rel=1e-9)
    means = {name: description.leaks[name] / description.areas[name] for name in mapping}
    print("mean leak per compartment (S/m2):", {k: round(v, 4) for k, v in means.items()})
    assert means["soma"] == pytest.approx(ref.gl, rel=SAME_ARITHMETIC)  # soma and basal keep the somatic Rm
    assert means["soma"] < means["prox"] < means["dist"]


def test_the_chain_keeps_leak_capacitance_and_attenuation(case):
    data, ref, mapping, description = case
    chain = list(mapping)
    model = reduce_to_chain(description, chain, ref.cm, None, ref.v_rest)
    assert capacitance_vector(model).sum() == pytest.approx(ref.cm * description.total_area, rel=SAME_ARITHMETIC)
    leaks = conductance_matrix(model).sum(axis=1)  # row sums of the Laplacian part vanish: the leaks
    assert leaks.sum() == pytest.approx(sum(description.leaks.values()), rel=SOLVED)
    for name in chain[1:]:
        assert transfer_ratio(model, chain[0], name) == pytest.approx(description.attenuation[name], rel=SOLVED)
    saved = load(CASE / data["model"])  # the case's reduced.json is this reduction
    _assert_same_chain(model, saved)


def _assert_same_chain(model, saved):
    """Leaks, capacitances and couplings equal to rounding."""
    for mine, theirs in zip(model.compartments, saved.compartments):
        assert (mine.gl_abs, mine.cm_abs) == pytest.approx((theirs.gl_abs, theirs.cm_abs), rel=SAME_ARITHMETIC)
    for mine, theirs in zip(model.couplings, saved.couplings):
        assert mine.g == pytest.approx(theirs.g, rel=SAME_ARITHMETIC)


def test_the_time_constant_is_a_prediction(case):
    from bridge.neuron.detailed import run_reference
    from bridge.assess.passive import measure_time_constant
    _, ref, _, _ = case
    model = load(CASE / "reduced.json")
    somatic = ref.cm / ref.gl
    reduced = float(time_constants(model)[0])
    start, stop = 0.005, 0.005 + 12 * ref.time_constant
    step = bridge.Step("soma", 10 * pA, start * second, stop * second)
    result = run_reference(ref, [step], stop + 8 * ref.time_constant, 0.025e-3, record=("soma",))
    reference = measure_time_constant(result, "soma", start * 1e3, stop * 1e3)
    print(f"slowest time constant: reference {reference * 1e3:.2f} ms, reduced {reduced * 1e3:.2f} ms, "
          f"somatic cm/gl {somatic * 1e3:.2f} ms")
    assert reduced < 0.8 * somatic, "the time constant would be automatic"
    assert reference < 0.8 * somatic
    assert reduced == pytest.approx(reference, rel=TAU_PREDICTION)


def test_uniform_c91662_reduction_is_unchanged():
    """The leaks from the description give validation/c91662/reduced.json to rounding."""
    mapping = {"soma": (Region("soma"), Region("basal")), "trunk": (Region("apical", 0, 200),),
               "prox": (Region("apical", 200, 500),), "dist": (Region("apical", 500),)}
    model = reduce_to_chain(measure_reference(c91662(), mapping), list(mapping), 0.01, 0.5, -0.065)
    saved = load(packaged_dir("validation") / "c91662" / "reduced.json")
    _assert_same_chain(model, saved)


def test_a_uniform_gl_is_refused_for_a_non_uniform_description(case):
    _, ref, mapping, description = case
    with pytest.raises(bridge.ModelError, match="gl=None"):
        reduce_to_chain(description, list(mapping), ref.cm, ref.gl, ref.v_rest)


GOOD = {"kind": "sigmoid", "rm_soma_ohm_cm2": 34963, "rm_end_ohm_cm2": 5357, "midpoint_um": 405.84, "slope_um": 50,
        "kinds": ["apical"]}


def test_profile_json_round_trip():
    profile = SigmoidLeak.from_dict(GOOD)
    assert profile.gl_soma == pytest.approx(1e4 / 34963) and profile.midpoint == pytest.approx(405.84e-6)
    assert profile.to_dict() == {**GOOD, "rm_soma_ohm_cm2": 34963.0, "rm_end_ohm_cm2": 5357.0, "slope_um": 50.0}
    assert SigmoidLeak.from_dict(profile.to_dict()) == profile
    assert profile.gl("basal", 1e-3) == profile.gl_soma  # other kinds keep the somatic leak
    assert profile.gl("apical", 1.0) == pytest.approx(profile.gl_end)  # no overflow far out
    assert not math.isnan(profile.gl("apical", -1.0))


@pytest.mark.parametrize("change, error, message", [
    ({"rm_end_ohm_cm2": -5}, bridge.ModelError, "rm_end_ohm_cm2"),
    ({"slope_um": 0}, bridge.ModelError, "slope_um"),
    ({"midpoint_um": "far"}, bridge.ModelError, "midpoint_um"),
    ({"kinds": ["apical", "tuft"]}, bridge.ModelError, "kinds"),
    ({"kinds": []}, bridge.ModelError, "kinds"),
    ({"kind": "linear"}, bridge.SchemaError, "sigmoid"),
    ({"rm_soma": 30000}, bridge.SchemaError, "unknown key 'rm_soma'"),
])
def test_bad_profiles_are_refused(change, error, message):
    with pytest.raises(error, match=message):
        SigmoidLeak.from_dict({**GOOD, **change})


def test_missing_key_and_mismatched_gl_are_refused():
    with pytest.raises(bridge.SchemaError, match="slope_um"):
        SigmoidLeak.from_dict({k: v for k, v in GOOD.items() if k != "slope_um"})
    with pytest.raises(bridge.ModelError, match="somatic value"):
        c91662(gl=0.5, leak_profile=SigmoidLeak.from_dict(GOOD))
    with pytest.raises(bridge.ModelError, match="leak_profile"):
        c91662(gl=0.5, leak_profile={"kind": "sigmoid"})
    with pytest.raises(bridge.ModelError, match="slope"):
        SigmoidLeak(0.3, 1.9, 400e-6, -50e-6)
    # the step protocols' time scale: cm over the smallest leak anywhere (the somatic one here)
    assert np.isclose(c91662(gl=1e4 / 34963, leak_profile=SigmoidLeak.from_dict(GOOD)).time_constant, 0.01 * 34963e-4)


def test_the_non_uniform_case_runs_and_its_time_constant_is_a_prediction():
    from bridge.resources import packaged_dir
    from bridge.assess.case import load_case
    from bridge.assess.runner import run_case
    case = load_case(packaged_dir("validation") / "c91662_nonuniform" / "case.json")
    rows = run_case(case, simulators=["neuron"], protocols=["step"]).features.set_index("feature")
    tau = rows.loc["time_constant"]
    assert tau["role"] == "prediction" and tau["status"] in ("pass", "fail")
    assert 0 < tau["error"] < 1 and tau["source"].startswith("modelling")
    # no longer automatic: the reference's slowest time constant is not the soma's cm/gl
    assert abs(tau["reference"] - case.reference.cm / case.reference.gl * 1e3) > 10
    assert rows.loc["input_resistance", "role"] == "constraint"


def test_brian2_spatial_reference_refuses_a_leak_profile():
    import bridge
    from bridge.brian2.detailed import run_reference
    from bridge.references import SigmoidLeak, SWCReference, brian2_example_swc
    ref = SWCReference(brian2_example_swc(), leak_profile=SigmoidLeak(0.5, 2.0, 400e-6, 50e-6))
    with pytest.raises(bridge.UnsupportedFeatureError, match="uniform leak"):
        run_reference(ref, [], 0.01, 1e-4)

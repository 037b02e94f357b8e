"""The validation harness: the reduction, the built-in c91662 case in all simulators,
the report (files, atomic writing, rendering in headless Chromium) and bad input."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

import bridge
from bridge.model.electrical import conductance_matrix
from bridge.references import Region, c91662
from bridge.report import write_report
from bridge.validate.case import builtin_case_path, load_case
from bridge.validate.reduction import chain_couplings, reduce_to_chain
from bridge.validate.runner import run_case


@pytest.fixture(scope="module")
def builtin_result():
    return run_case(load_case(builtin_case_path()))


def test_chain_couplings_reproduce_the_attenuation():
    leaks, target = [8e-9, 2e-9, 1.5e-9, 3e-9], [1.0, 0.93, 0.71, 0.55]
    couplings = chain_couplings(leaks, target)
    # steady state of the chain for a unit current into the soma
    g = np.diag(leaks)
    for k, gc in enumerate(couplings, start=1):
        g[k - 1, k - 1] += gc
        g[k, k] += gc
        g[k - 1, k] -= gc
        g[k, k - 1] -= gc
    v = np.linalg.solve(g, np.eye(4)[0])
    np.testing.assert_allclose(v / v[0], target, rtol=1e-12)


def test_reduced_model_keeps_area_and_attenuation():
    from bridge.neuron.detailed import describe_reference
    case = load_case(builtin_case_path(), with_model=False)
    description = describe_reference(case.reference, case.mapping)
    model = reduce_to_chain(description, list(case.mapping), 0.01, 0.5, -0.065)
    total = sum(c.capacitance for c in model.compartments) / 0.01
    assert total == pytest.approx(description.total_area, rel=1e-12)  # no membrane dropped
    g = conductance_matrix(model)
    v = np.linalg.solve(g, np.eye(len(g))[0])
    for k, name in enumerate(case.mapping):
        if k:
            assert v[k] / v[0] == pytest.approx(description.attenuation[name], rel=1e-9)


def test_builtin_case_passes_in_every_simulator(builtin_result):
    features = builtin_result.features
    assert set(features["simulator"]) == {"brian2", "neuron", "coreneuron"}
    assert set(features["protocol"]) == {"input_resistance", "time_constant", "attenuation", "simulator_parity",
                                         "simulator_parity_max",
                                         "epsp_amplitude", "epsp_rise_time", "epsp_half_width", "epsp_attenuation",
                                         "io_soma_peak"}
    io = features[(features["protocol"] == "io_soma_peak") & (features["simulator"] == "neuron")]["reference"]
    assert io.iloc[-1] / io.iloc[0] > 32 * 1.1, "the reference's input-output curve is supralinear (Mg block)"
    assert builtin_result.passed, features[~features["passed"]]
    # the reduction is not exact: the basal tree sits at the soma's voltage in the reduced model
    r_in = features[features["protocol"] == "input_resistance"]["relative_error"]
    assert (r_in > 0.001).all() and (r_in < 0.10).all()


def test_report_files(builtin_result, tmp_path):
    directory = write_report(builtin_result, tmp_path / "report")
    assert sorted(p.name for p in directory.iterdir()) == ["features.csv", "report.html", "summary.json",
                                                           "traces.csv"]
    summary = json.loads((directory / "summary.json").read_text())
    assert summary["passed"] is True and len(summary["features"]) == len(builtin_result.features)
    assert "reference:soma" in (directory / "traces.csv").read_text().splitlines()[0]


def test_interrupted_report_leaves_the_old_one(builtin_result, tmp_path, monkeypatch):
    directory = write_report(builtin_result, tmp_path / "report")
    before = (directory / "features.csv").read_text()

    def broken(result):
        raise KeyboardInterrupt
    monkeypatch.setattr("bridge.report.writer.render_html", broken)
    with pytest.raises(KeyboardInterrupt):
        write_report(builtin_result, directory)
    assert (directory / "features.csv").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"], "no staging directory left behind"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package (installed by .ci/run)")
def test_report_renders_in_headless_chromium(builtin_result, tmp_path):
    directory = write_report(builtin_result, tmp_path / "report")
    dom = subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                          "--dump-dom", (directory / "report.html").as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert dom.count('class="main-svg"') >= 3, "every plotly figure must have drawn itself"
    assert 'id="features"' in dom and dom.count("<tr") == len(builtin_result.features) + 1


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "bridge.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


def test_cli_validate_builtin(tmp_path):
    res = _cli("validate", "--no-progress", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "all features within tolerance" in res.stdout
    assert (tmp_path / "bridge-report" / "report.html").exists()


def _case_with(tmp_path, **changes):
    data = json.loads(builtin_case_path().read_text())
    shutil.copy(builtin_case_path().parent / data["model"], tmp_path / data["model"])
    for key, value in changes.items():
        target = data
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("change, message", [
    ({"reference.file": "missing.nrn"}, "does not exist"),
    ({"reference.kind": "swc", "reference.file": "broken.swc"}, "line 2 is not"),
    ({"protocols": ["input_resistance", "f_i_curve"]}, "unknown protocol 'f_i_curve'"),
    ({"mapping.trunk": [{"kind": "axon", "start_um": 0, "stop_um": 200}]}, "outside every mapped region"),
    ({"reference.kind": "morphology"}, "unknown reference kind"),
], ids=["missing-morphology", "malformed-swc", "unknown-protocol", "unmapped-segments", "unknown-kind"])
def test_bad_case_is_one_line_error_and_no_report(tmp_path, change, message):
    (tmp_path / "broken.swc").write_text("1 1 0 0 0 5 -1\n2 3 1 2 x 0.5 1\n")
    case = _case_with(tmp_path, **change)
    res = _cli("validate", str(case), "--no-progress", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 2
    assert message in res.stderr and res.stderr.strip().count("\n") == 0, res.stderr
    assert not (tmp_path / "out").exists()


def test_region_outside_the_morphology_is_refused():
    from bridge.neuron.detailed import describe_reference
    mapping = {"soma": (Region("soma"), Region("basal"), Region("apical")), "far": (Region("apical", 5000),)}
    with pytest.raises(bridge.ModelError, match="covers no segment"):
        describe_reference(c91662(), mapping)


def test_swc_case_passes(tmp_path):
    from bridge.resources import packaged_dir
    case = load_case(packaged_dir("validation") / "brian2_swc" / "case.json")
    result = run_case(case, simulators=["neuron"])
    assert result.passed, result.features[~result.features["passed"]]


def test_active_protocols_run_in_every_simulator():
    import dataclasses
    from bridge.resources import packaged_dir
    case = load_case(packaged_dir("validation") / "c91662_active" / "case.json")
    case = dataclasses.replace(case, settings={**case.settings, "fi_amplitudes_nA": [0.2, 1.5]})
    features = run_case(case).features
    fi = features[features["protocol"] == "fi_rate"]
    assert len(fi) == 2 * 3 and (fi["reduced"] > 50).all()  # the reduced soma fires at 1.5 nA (and 0.2 nA)
    coincidence = features[features["protocol"] == "fi_coincidence"]
    assert len(coincidence) == 6
    defined = coincidence[coincidence["reduced"].notna()]
    assert ((defined["reduced"] <= 1) & (defined["reduced"] > -1)).all()
    # where the rate makes Gamma undefined (2 x rate x window >= 1) the row says so and fails
    undefined = coincidence[coincidence["reduced"].isna()]
    assert (~undefined["passed"]).all() and undefined["reason"].str.contains("Gamma undefined").all()
    assert fi[fi["site"] == "0.2 nA"]["reference"].eq(0).all(), "the reference is silent at 0.2 nA"
    bap = features[features["protocol"] == "bap_amplitude"].set_index(["simulator", "site"])["reference"]
    # the back-propagating spike shrinks with distance from the soma
    assert bap["neuron", "soma"] > bap["neuron", "trunk"] > bap["neuron", "prox"] > bap["neuron", "dist"] > 0

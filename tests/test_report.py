"""The validation report: the files written (atomically), summary.json, the first screen
(verdict and per-protocol summary before any figure), every figure drawn in headless
Chromium without console errors, the command line's summary and verdict, and how the
feature tables put the simulators side by side (hand-built rows)."""

import json
import re
import shutil
import subprocess
from unittest import mock

import numpy as np
import pandas as pd
import pytest

from bridge.report import write_report
from bridge.report.cells import SUMMARY_HEADERS, summary_cells, verdict_line, verdict_text
from bridge.report.page import render_html
from bridge.report.tables import feature_table
from bridge.assess.judge import COLUMNS
from bridge.assess.result import VERDICT_COUNTS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(builtin_validation, tmp_path_factory):
    return write_report(builtin_validation, tmp_path_factory.mktemp("report") / "report")


def test_report_files(builtin_validation, report):
    result = builtin_validation
    names = {p.name for p in report.iterdir()}
    assert names == {"report.html", "summary.json", "features.csv", "parity.csv",
                     *(f"{name}.csv" for name in result.tables)}
    assert {"traces.csv", "epsp_sites.csv", "io_curve.csv"} <= names
    if "impedance" in result.case.protocols:
        assert {"impedance.csv", "impedance_segments.csv"} <= names
    features = pd.read_csv(report / "features.csv")
    assert list(features.columns) == list(COLUMNS) and len(features) == len(result.features)
    assert "reference:soma" in (report / "traces.csv").read_text().splitlines()[0]
    assert len(pd.read_csv(report / "epsp_sites.csv")) == len(result.tables["epsp_sites"])


def test_summary_json(builtin_validation, report):
    result, summary = builtin_validation, json.loads((report / "summary.json").read_text())
    assert summary["verdict"] == ("pass" if result.passed else "fail") and summary["verdict_counts"] == VERDICT_COUNTS
    predictions = result.features[result.features["role"] == "prediction"]
    assert summary["predictions"] == {"total": len(predictions), "passed": int((predictions["status"] == "pass").sum()),
                                      "failed": int((predictions["status"] != "pass").sum())}
    assert summary["constraints"]["total"] == len(result.features) - len(predictions) > 0
    assert len(summary["features"]) == len(result.features)
    assert all(f["role"] in ("constraint", "prediction") for f in summary["features"])
    assert {p["protocol"] for p in summary["protocols"]} == set(result.case.protocols)


def test_interrupted_report_leaves_the_old_one(builtin_validation, tmp_path, monkeypatch):
    directory = write_report(builtin_validation, tmp_path / "report")
    before = (directory / "features.csv").read_text()

    def broken(result):
        raise KeyboardInterrupt
    monkeypatch.setattr("bridge.report.writer.render_html", broken)
    with pytest.raises(KeyboardInterrupt):
        write_report(builtin_validation, directory)
    assert (directory / "features.csv").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"], "no staging directory left behind"


def test_one_row_per_feature_site_and_condition(builtin_validation, report):
    page = (report / "report.html").read_text()
    assert page.count("<script") == 1 + page.count('class="plotly-graph-div"'), "plotly.js inlined once"
    for protocol, rows in builtin_validation.features.groupby("protocol"):
        table = re.search(f'<table id="features-{protocol}">(.*?)</table>', page, re.S).group(1)
        keys = rows.drop_duplicates(["feature", "site", "condition"])
        assert table.count("<tr") == len(keys) + 1
        assert table.count('<tr class="constraint">') == int((keys["role"] == "constraint").sum())
    assert "constraint: shown, not counted" in page


def _chromium(path):
    """Chromium's DOM after the page ran, and every console message it logged (stderr
    lines such as ``INFO:CONSOLE(12)] "Uncaught ReferenceError: ..."``)."""
    run = subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                          "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120)
    console = [line for line in run.stderr.splitlines() if re.search(r"CONSOLE[(:]|Uncaught", line)]
    return run.stdout, console


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package (installed by .ci/run)")
def test_report_renders_in_headless_chromium(builtin_validation, report, tmp_path):
    broken = tmp_path / "broken.html"  # the check must see a console error where there is one
    broken.write_text("<html><body><script>console.error('bad'); notDefined();</script></body></html>")
    seen = _chromium(broken)[1]
    assert any("Uncaught ReferenceError" in line for line in seen) and any('"bad"' in line for line in seen), seen
    dom, console = _chromium(report / "report.html")
    assert console == [], console
    figures = re.findall(r'<div id="(figure-[\w-]+)"', dom)
    assert len(figures) >= 2 + len(builtin_validation.case.protocols)
    for k, ident in enumerate(figures):  # every figure drew itself
        start = dom.index(f'<div id="{ident}"')
        stop = dom.index(f'<div id="{figures[k + 1]}"') if k + 1 < len(figures) else len(dom)
        assert 'class="main-svg"' in dom[start:stop], ident
    first_figure = dom.index('<div id="figure-')
    assert dom.index('id="verdict"') < dom.index('id="protocol-summary"') < first_figure
    verdict = re.search(r'id="verdict"><b>(\w+)</b>: ([^<]*)<', dom)
    assert f"{verdict.group(1).lower()}: {verdict.group(2)}" == verdict_text(builtin_validation)
    assert dom.index('id="parity"') < first_figure and dom.index('id="built-from"') < first_figure


def test_cli_prints_summary_and_verdict(builtin_validation, tmp_path, capsys):
    from bridge import cli
    result = builtin_validation
    with mock.patch("bridge.assess.runner.run_case", return_value=result), \
            mock.patch("bridge.assess.case.load_case", return_value=result.case):
        code = cli.main(["validate", "--no-progress", "-o", str(tmp_path / "out")])
    out = capsys.readouterr().out.splitlines()
    assert code == (0 if result.passed else 1)
    assert out[1].split() == SUMMARY_HEADERS[:4] + ["worst", "feature"] + SUMMARY_HEADERS[5:]
    summary = result.protocol_summary()
    assert len(out) == 1 + 2 + len(summary) + 1
    page = (tmp_path / "out" / "report.html").read_text()
    for (_, row), line in zip(summary.iterrows(), out[3:]):
        cells = summary_cells(row)
        assert line.split()[:2] == cells[:2]
        assert all(f"<td class=\"num\">{c}</td>" in page for c in cells[2:4] + cells[5:7] if c != "-")
    assert out[-1] == f"{verdict_line(result)}; report: {tmp_path / 'out' / 'report.html'}"
    assert re.match(r"verdict: (pass|fail): .*predictions.*constraints? shown, not counted\); simulators", out[-1])


def _rows(values: dict, feature="epsp_amplitude", unit="mV", status=None, role="prediction", **extra):
    """Long-format rows of one feature at two sites: ``values`` maps simulator -> the
    reduced values at the two sites."""
    rows = []
    for sim, reduced in values.items():
        for site, value in zip(("trunk", "dist"), reduced):
            row = dict.fromkeys(COLUMNS, np.nan)
            row.update(protocol="epsp", feature=feature, site=site, condition="", unit=unit, role=role,
                       simulator=sim, reference=1.0, n_sites=1, reduced=value, error=abs(value - 1.0),
                       tolerance=0.5, status=(status or {}).get(sim, "pass" if role == "prediction" else "constraint"),
                       source_kind="modelling", source="", note="", **extra)
            rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_identical_simulators_share_one_column():
    table = feature_table(_rows({"brian2": [1.1, 0.9], "neuron": [1.1, 0.9], "coreneuron": [1.1, 0.9]}))
    assert table.collapsed and "reduced" in table.headers and "max difference" in table.headers
    assert not {"brian2", "neuron", "coreneuron"} & set(table.headers) and len(table.rows) == 2
    # within a relative 1e-4, whatever the unit (0.05 mV apart is not the same EPSP)
    assert not feature_table(_rows({"brian2": [1.1, 0.9], "neuron": [1.15, 0.9]})).collapsed
    assert feature_table(_rows({"brian2": [1.1, 0.9], "neuron": [1.10001, 0.9]}, unit="ms")).collapsed
    assert feature_table(_rows({"brian2": [np.nan, 0.9], "neuron": [np.nan, 0.9]})).collapsed


def test_differing_simulators_get_a_column_each():
    table = feature_table(_rows({"brian2": [1.1, 0.9], "neuron": [1.3, 0.9]}, unit="ms"))
    assert not table.collapsed and "reduced" not in table.headers
    assert {"brian2", "neuron", "error (brian2)", "error (neuron)"} <= set(table.headers)
    assert not feature_table(_rows({"brian2": [1.1, 0.9], "neuron": [np.nan, 0.9]})).collapsed
    # the same value but a different status: one column could not say which simulator failed
    split = feature_table(_rows({"brian2": [1.1, 0.9], "neuron": [1.1, 0.9]}, status={"neuron": "fail"}))
    assert not split.collapsed and split.rows[0][split.headers.index("status")] == "pass (brian2); FAIL (neuron)"
    assert split.kinds == ["fail", "fail"]


def test_constraints_and_undefined_values_say_so():
    table = feature_table(_rows({"brian2": [1.1, np.nan]}, role="constraint"))
    status = [row[table.headers.index("status")] for row in table.rows]
    assert status == ["constraint: shown, not counted"] * 2 and table.kinds == ["constraint"] * 2
    assert table.rows[1][table.headers.index("reduced")] == "undefined"
    assert "max difference" not in table.headers, "one simulator: nothing to compare"


def test_page_renders_without_optional_tables(builtin_validation):
    """A result with only the feature rows (no protocol tables, no parity) still renders."""
    import dataclasses
    result = dataclasses.replace(builtin_validation, tables={}, parity=builtin_validation.parity.iloc[:0])
    page = render_html(result)
    assert "simulator parity not measured" in page and 'id="protocol-summary"' in page

"""Writing a validation report directory atomically."""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from pathlib import Path

from .cells import FEATURE_HEADERS, feature_cells
from .figures import attenuation_figure, curve_figure, morphology_figure, traces_figure

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.7em; text-align: right; }
th { background: #f3f3f3; }
td.pass { color: #2e7d32; font-weight: bold; } td.fail { color: #c62828; font-weight: bold; }
.verdict { font-size: 1.3em; padding: 0.5em 1em; display: inline-block; border-radius: 4px; }
.verdict.pass { background: #e8f5e9; } .verdict.fail { background: #ffebee; }
"""


def _table(features) -> str:
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in FEATURE_HEADERS) + "</tr>"
    rows = []
    for r in features.itertuples():
        cells = feature_cells(r)
        verdict = "pass" if r.passed else "fail"
        body = "".join(f"<td>{html.escape(c)}</td>" for c in cells[:-1])
        rows.append(f"<tr title=\"{html.escape(r.reason)}\">{body}<td class=\"{verdict}\">{verdict}</td></tr>")
    return f"<table id=\"features\">{head}{''.join(rows)}</table>"


def render_html(result) -> str:
    """The whole report as one HTML page (plotly.js inlined once, no network needed)."""
    case = result.case
    optional = [("F-I curve", curve_figure(result, "fi_rate", "Firing rate for somatic current steps",
                                          "step amplitude", "rate (Hz, spikes over the step)")),
                ("Dendritic input-output curve",
                 curve_figure(result, "io_soma_peak", "Somatic peak for synchronous AMPA+NMDA synapses at one site",
                              "synapses", "peak depolarisation (mV)")),
                ("Back-propagating action potential",
                 curve_figure(result, "bap_amplitude", "Peak depolarisation after one somatic spike",
                              "compartment (soma outwards)", "amplitude (mV)"))]
    figures = [traces_figure(result), attenuation_figure(result), morphology_figure(result)]
    figures += [fig for _, fig in optional if fig is not None]
    plots = [fig.to_html(full_html=False, include_plotlyjs=(k == 0), div_id=f"figure-{k}")
             for k, fig in enumerate(figures)]
    extra = "".join(f"<h2>{html.escape(title)}</h2>{plot}"
                    for (title, _), plot in zip([o for o in optional if o[1] is not None], plots[3:]))
    verdict = "pass" if result.passed else "fail"
    failed = int((~result.features["passed"]).sum())
    reasons = "".join(f"<li><b>{html.escape(name)}</b> ({100 * tol.relative:g}%): {html.escape(tol.reason)}</li>"
                      for name, tol in case.tolerances.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bridge validation: {html.escape(case.name)}</title>
<style>{_STYLE}</style></head><body>
<h1>Validation: {html.escape(case.name)}</h1>
<p>{html.escape(case.description)}</p>
<p class="verdict {verdict}">{'All features within tolerance' if result.passed else f'{failed} feature(s) out of tolerance'}</p>
<h2>Features</h2>
{_table(result.features)}
<h3>Tolerances and why</h3><ul>{reasons}</ul>
<h2>Traces</h2>{plots[0]}
<h2>Attenuation along the dendrite</h2>{plots[1]}
<h2>Morphology and mapping</h2>{plots[2]}
{extra}
<p>Raw data: <a href="features.csv">features.csv</a>, <a href="traces.csv">traces.csv</a>,
<a href="summary.json">summary.json</a>.</p>
</body></html>
"""


def write_report(result, directory) -> Path:
    """Write ``report.html``, ``features.csv``, ``traces.csv`` and ``summary.json`` into
    ``directory``: built in a temporary sibling directory and renamed into place, so an
    interrupted run leaves the previous report (or none), never a half-written one."""
    directory = Path(directory).resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a report is for sharing
    try:
        result.features.to_csv(staging / "features.csv", index=False, float_format="%.10g")
        result.traces.to_csv(staging / "traces.csv", float_format="%.10g")
        summary = {"case": result.case.name, "passed": result.passed, "info": result.info,
                   "features": json.loads(result.features.to_json(orient="records"))}
        (staging / "summary.json").write_text(json.dumps(summary, indent=2))
        (staging / "report.html").write_text(render_html(result))
        old = None
        if directory.exists():
            old = directory.with_name(f".{directory.name}-old-{os.getpid()}")
            os.replace(directory, old)
        os.replace(staging, directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory

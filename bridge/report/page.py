"""The report as one self-contained HTML page. First screen: the case, the verdict (which
counts predictions only), whether the simulators agree, what the model was built from and
the per-protocol summary. Then the reference's morphology and one section per protocol, in
the case's order: its figures, its feature table (bridge.report.tables) and its tolerances
with their sources. plotly.js is inlined once, in the head: the page needs no network."""

from __future__ import annotations

import inspect
import re
from html import escape

from plotly.offline import get_plotlyjs

from ..assess.protocols import PROTOCOLS
from . import cells
from .data import data_tables
from .figures import morphology_figure
from .protocol_figures import figures_for
from .tables import SAME_RELATIVE, FeatureTable, feature_table

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1240px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin: 0 0 0.3em; } h2 { margin-top: 1.8em; border-bottom: 2px solid #ddd; }
table { border-collapse: collapse; font-size: 0.86em; margin: 0.5em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.pass .status, td.pass { color: #2e7d32; font-weight: bold; }
.fail .status, td.fail { color: #c62828; font-weight: bold; }
.undefined .status, td.undefined { color: #c62828; font-style: italic; font-weight: bold; }
tr.constraint, tr.constraint td { color: #888; } tr.constraint .status, td.shown { font-style: italic; }
.verdict { font-size: 1.3em; padding: 0.4em 0.9em; margin: 0.3em 0; display: inline-block; border-radius: 4px; }
.verdict.pass { background: #e8f5e9; } .verdict.fail { background: #ffebee; }
.counts, .note, .caption { color: #555; font-size: 0.9em; margin: 0.2em 0; }
.facts { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5em; }
.facts h3 { margin: 0.6em 0 0.2em; font-size: 1em; }
.agree { color: #2e7d32; font-weight: bold; } .disagree { color: #c62828; font-weight: bold; }
.kind { font-variant: small-caps; font-weight: bold; }
nav { display: flex; flex-wrap: wrap; gap: 0.3em 1.5em; margin: 1em 0; padding: 0.5em 0;
      border-top: 1px solid #ddd; border-bottom: 1px solid #ddd; }
"""


def _text(value) -> str:
    return escape(re.sub(r"\s+", " ", str(value or "")).strip())


class Raw(str):
    """A table cell that is HTML already (a link), not text to escape."""


def _cell(value: str) -> str:
    return value if isinstance(value, Raw) else escape(value)


def html_table(headers: list[str], rows: list[list[str]], *, table_id: str = "", row_classes=None,
               cell_classes=None) -> str:
    """A plain HTML table; ``cell_classes(header, cell)`` gives a cell's class."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for k, row in enumerate(rows):
        cls = f' class="{row_classes[k]}"' if row_classes else ""
        tds = []
        for h, c in zip(headers, row):
            c_cls = cell_classes(h, c) if cell_classes else ""
            tds.append(f'<td class="{c_cls}">{_cell(c)}</td>' if c_cls else f"<td>{_cell(c)}</td>")
        body.append(f"<tr{cls}>{''.join(tds)}</tr>")
    ident = f' id="{table_id}"' if table_id else ""
    return (f'<div class="table-wrap"><table{ident}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _verdict_class(text: str) -> str:
    return {"pass": "pass", "FAIL": "fail", "shown, not counted": "shown"}.get(text, "")


def _title_link(protocol: str) -> Raw:
    title = PROTOCOLS[protocol].title if protocol in PROTOCOLS else protocol
    return Raw(f'<a href="#protocol-{escape(protocol)}">{escape(title)}</a>')


def _summary_table(result) -> str:
    summary = result.protocol_summary()
    if summary.empty:
        return '<p class="note" id="protocol-summary">No features were measured.</p>'
    rows = [cells.summary_cells(r, _title_link(r["protocol"])) for _, r in summary.iterrows()]
    return html_table(cells.SUMMARY_HEADERS, rows, table_id="protocol-summary",
                      cell_classes=lambda h, c: _verdict_class(c) if h == "verdict" else
                      ("num" if h in ("features", "passed", "error", "tolerance") else ""))


def _parity(result) -> str:
    agree = cells.agreement_text(result)
    cls = "agree" if result.simulators_agree and not result.parity.empty else (
        "note" if result.parity.empty else "disagree")
    table = "" if result.parity.empty else html_table(cells.PARITY_HEADERS, cells.parity_cells(result.parity),
                                                      table_id="parity")
    return f'<p class="{cls}" id="agreement">{escape(agree)}</p>{table}'


def _counts(result) -> str:
    n = cells.counts(result)
    undefined = f" ({n['undefined']} undefined)" if n["undefined"] else ""
    return (f"The verdict counts predictions only: {n['predictions']} predictions, {n['predictions'] - n['failed']} "
            f"passed, {n['failed']} failed{undefined}; {n['constraints']} constraints (features the reduced model "
            "was built or fitted from) shown with their errors, never counted.")


def _first_screen(result) -> str:
    case = result.case
    verdict = cells.verdict_text(result)
    word, _, rest = verdict.partition(": ")
    model = getattr(case.model, "name", "the reduced model")
    info = result.info
    ran = (f"simulators {', '.join(info.get('simulators', []))}; dt {info.get('dt_ms', float('nan')):g} ms"
           if info else "")
    files = ", ".join(f'<a href="{name}">{name}</a>' for name in [*data_tables(result), "summary.json"])
    return f"""<header id="summary">
<h1>Validation of {_text(model)} against {_text(case.reference.name)} (case {_text(case.name)})</h1>
<p class="verdict {word}" id="verdict"><b>{word.upper()}</b>: {escape(rest)}</p>
<p class="counts" id="counts">{_counts(result)}</p>
<div class="facts">
<div><h3>Simulators</h3>{_parity(result)}</div>
<div><h3>Built from</h3><p class="note" id="built-from">{_text(case.built_from)}</p></div>
</div>
<h2>Protocols</h2>
{_summary_table(result)}
<p class="note">{_text(case.description)}</p>
<p class="note">{escape(ran)}. Data: {files}.</p>
</header>"""


def figure_html(fig, div_id: str) -> str:
    return f'<div class="figure">{fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id)}</div>'


def _tolerances(result, protocol: str) -> str:
    """The protocol's features with their tolerances and sources (features sharing one
    tolerance and source listed together); constraints say so."""
    case, features = result.case, PROTOCOLS[protocol].features if protocol in PROTOCOLS else ()
    groups: dict = {}
    for feature in features:
        tol = case.tolerances.get(feature)
        groups.setdefault(tol, []).append(feature)
    items = []
    for tol, names in groups.items():
        parts = []
        for name in names:
            partly = sorted(" ".join(part for part in (site, condition) if part)
                            for feature, condition, site in case.constraints
                            if feature == name and (condition or site))
            parts.append(f"<b>{escape(name)}</b>" + (f" (constraint at {escape(', '.join(partly))})"
                                                      if partly else ""))
        what = ", ".join(parts)
        if tol is None:
            items.append(f"<li>{what}: constraint (the model was built from it), shown and not counted</li>")
            continue
        source = tol.source
        cite = f" <cite>{_text(source.citation)}</cite>" if source.citation else ""
        experimental = (f"; experimental {tol.experimental.mean:g} +- {tol.experimental.sd:g} "
                        f"{escape(tol.experimental.unit)}" if tol.experimental else "")
        items.append(f"<li>{what}: {cells.tolerance(tol.bound, tol.scale)}, <span class=\"kind\">{escape(source.kind)}"
                     f"</span>: {_text(source.text)}{cite}{experimental}</li>")
    return f"<h3>Tolerances and their sources</h3><ul class=\"tolerances\">{''.join(items)}</ul>" if items else ""


def _feature_table(table: FeatureTable, protocol: str) -> str:
    body = html_table(table.headers, table.rows, table_id=f"features-{protocol}", row_classes=table.kinds,
                      cell_classes=lambda h, c: ("num" if h in table.numeric else "") +
                      (" status" if h == "status" else ""))
    if len(table.simulators) > 1:
        how = (f"the simulators give the same values (within a relative "
               f"{SAME_RELATIVE:g}) and statuses: one reduced column, and the largest difference between them"
               if table.collapsed else "the simulators differ: one value and error column each")
        body += f'<p class="caption">Reduced model in {", ".join(table.simulators)}: {how}.</p>'
    if table.caption:
        body += f'<p class="caption">Every row: {escape(table.caption)}.</p>'
    return body


def _protocol_doc(protocol: str) -> str:
    if protocol not in PROTOCOLS:
        return ""
    # the protocol module's docstring, its reST literals (``name``) shown as plain names
    return _text(inspect.getmodule(PROTOCOLS[protocol]).__doc__.replace("``", ""))


def _section(result, protocol: str) -> str:
    title = PROTOCOLS[protocol].title if protocol in PROTOCOLS else protocol
    rows = result.features[result.features["protocol"] == protocol]
    figures = "".join(figure_html(fig, f"figure-{protocol}-{k}")
                      for k, fig in enumerate(figures_for(result, protocol)))
    table = _feature_table(feature_table(rows), protocol) if not rows.empty else \
        '<p class="note">No feature rows.</p>'
    return (f'<section id="protocol-{protocol}"><h2>{escape(title)}</h2><p class="note">{_protocol_doc(protocol)}</p>'
            f"{figures}{table}{_tolerances(result, protocol)}</section>")


def _protocols(result) -> list[str]:
    """The protocols run, in the case's order."""
    run = list(dict.fromkeys([*result.info.get("protocols", []), *result.features["protocol"]]))
    order = {name: k for k, name in enumerate(result.case.protocols)}
    return sorted(run, key=lambda name: order.get(name, len(order)))


def render_html(result) -> str:
    """The whole report as one HTML page."""
    protocols = _protocols(result)
    nav = "".join(f'<a href="#protocol-{p}">{escape(PROTOCOLS[p].title if p in PROTOCOLS else p)}</a>'
                  for p in protocols)
    morphology = morphology_figure(result)
    reference = ('<section id="reference"><h2>Reference and mapping</h2>'
                 f'{figure_html(morphology, "figure-morphology")}</section>' if morphology is not None else "")
    sections = "".join(_section(result, p) for p in protocols)
    return standalone_page(f"bridge validation: {result.case.name}",
                           f"{_first_screen(result)}\n<nav>{nav}</nav>\n{reference}\n{sections}")


def standalone_page(title: str, body: str) -> str:
    """A whole HTML page: ``title``, the report's style, plotly.js inlined once (the page
    needs no network) and ``body`` (HTML)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_text(title)}</title>
<style>{STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script></head><body>
{body}
</body></html>
"""

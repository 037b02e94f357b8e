"""A network run as one self-contained HTML page (``bridge network --plot``): each
population's cells, spikes and rate, a spike raster over the population rates, and the
recorded voltages. plotly.js is inlined once, in the head: the page needs no network.

Large populations are shown by an evenly spaced subset of their cells in the raster (the
page says how many), so that a million-cell run still makes a page a browser opens; the
rates count every spike."""

from __future__ import annotations

from html import escape

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from .figures import COMPARTMENT_COLOURS as COLOURS
from .page import STYLE, figure_html, html_table

#: Cells of one population the raster shows at most (evenly spaced by index).
RASTER_CELLS = 500

#: The population-rate histogram's bins: this long at least (ms), and at most 100 over the run.
RATE_BIN_MS = 5.0


def raster_cells(n: int, limit: int = RASTER_CELLS) -> np.ndarray:
    """The cells of an ``n``-cell population the raster shows: all up to ``limit``, else
    ``limit`` evenly spaced ones (the first and the last included)."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, limit)).astype(int))


def rate_bins(duration_ms: float) -> np.ndarray:
    """Equal bins over the run, :data:`RATE_BIN_MS` long at least, 100 at most."""
    n = max(1, min(100, int(duration_ms // RATE_BIN_MS)))
    return np.linspace(0.0, duration_ms, n + 1)


def activity_figure(spikes, sizes: dict[str, int], duration_ms: float) -> go.Figure:
    """The raster (populations stacked, each cell a row) over the population rates (Hz per
    cell, in :func:`rate_bins`)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3], vertical_spacing=0.04)
    offset, ticks, labels = 0, [], []
    edges = rate_bins(duration_ms)
    width = edges[1] - edges[0]
    for k, (name, n) in enumerate(sizes.items()):
        colour = COLOURS[k % len(COLOURS)]
        times = spikes.time.to_numpy()[spikes.population.to_numpy() == name]
        cells = spikes.cell.to_numpy()[spikes.population.to_numpy() == name]
        shown = raster_cells(n)
        keep = np.isin(cells, shown)
        rows = np.searchsorted(shown, cells[keep]) + offset
        fig.add_trace(go.Scattergl(x=times[keep], y=rows, mode="markers", name=name, legendgroup=name,
                                   marker=dict(size=3, color=colour),
                                   hovertemplate=f"{name} cell %{{customdata}}<br>%{{x:.3f}} ms<extra></extra>",
                                   customdata=cells[keep]), row=1, col=1)
        ticks.append(offset + (len(shown) - 1) / 2)
        labels.append(name if len(shown) == n else f"{name} ({len(shown)} of {n})")
        offset += len(shown)
        counts, _ = np.histogram(times, bins=edges)
        rate = counts / n / (width * 1e-3)
        fig.add_trace(go.Scatter(x=edges, y=np.append(rate, rate[-1]), mode="lines", name=name, legendgroup=name,
                                 showlegend=False, line=dict(color=colour, width=1.5, shape="hv"),
                                 hovertemplate=f"{name}: %{{y:.1f}} Hz from %{{x:.1f}} ms<extra></extra>"),
                      row=2, col=1)
    fig.update_yaxes(title_text="cell", tickvals=ticks, ticktext=labels, autorange="reversed", row=1, col=1)
    fig.update_yaxes(title_text=f"rate (Hz, {width:.3g} ms bins)", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="time (ms)", range=[0, duration_ms], row=2, col=1)
    fig.update_layout(height=620, margin=dict(l=60, r=20, t=30, b=50), template="plotly_white")
    return fig


def voltages_figure(traces: dict) -> go.Figure | None:
    """One panel per recorded cell, a line per compartment (mV, every sample: WebGL draws
    them); none without recordings."""
    if not traces:
        return None
    keys = sorted(traces)
    fig = make_subplots(rows=len(keys), cols=1, shared_xaxes=True, vertical_spacing=0.03,
                        subplot_titles=[f"{pop} cell {cell}" for pop, cell in keys])
    for row, key in enumerate(keys, start=1):
        frame = traces[key]
        for k, column in enumerate(frame.columns):
            fig.add_trace(go.Scattergl(x=frame.index.to_numpy(), y=frame[column].to_numpy(), mode="lines",
                                     name=column, legendgroup=column, showlegend=row == 1,
                                     line=dict(color=COLOURS[k % len(COLOURS)], width=1)), row=row, col=1)
        fig.update_yaxes(title_text="mV", row=row, col=1)
    fig.update_xaxes(title_text="time (ms)", row=len(keys), col=1)
    fig.update_layout(height=160 + 170 * len(keys), margin=dict(l=60, r=20, t=40, b=50), template="plotly_white")
    return fig


def render_network_page(result, sizes: dict[str, int], duration_ms: float, name: str = "network") -> str:
    """The page of ``result`` (a :class:`bridge.network.NetworkResult`) of a network whose
    populations have ``sizes`` cells, run for ``duration_ms``."""
    info = result.info
    rates = result.rates(duration_ms, sizes)
    counts = result.spikes.groupby("population").size()
    rows = [[pop, str(n), str(int(counts.get(pop, 0))), f"{rates[pop]:.2f}", str(len(raster_cells(n)))]
            for pop, n in sizes.items()]
    table = html_table(["population", "cells", "spikes", "rate (Hz)", "cells in the raster"], rows,
                       table_id="populations")
    target = f" ({info['target']})" if info.get("target") else ""
    ran = (f"{info.get('simulator')}{target} on {info.get('ranks', 1)} rank(s), dt {info.get('dt_ms', 0):g} ms: "
           f"{info.get('run_seconds', 0):.2f} s; {info.get('connections', 0)} connections "
           f"(digest {info.get('connectivity_digest', '-')}), {info.get('input_events', 0)} input events "
           f"(digest {info.get('input_digest', '-')})")
    figures = figure_html(activity_figure(result.spikes, sizes, duration_ms), "figure-activity")
    voltages = voltages_figure(result.traces)
    if voltages is not None:
        figures += f"<h2>Recorded voltages</h2>{figure_html(voltages, 'figure-traces')}"
    title = f"Network {escape(name)}: {duration_ms:g} ms"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bridge network: {escape(name)}</title>
<style>{STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script></head><body>
<h1>{title}</h1>
<p class="note" id="ran">{escape(ran)}</p>
{table}
<h2>Spikes and population rates</h2>
{figures}
</body></html>
"""

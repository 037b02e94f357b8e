"""A run as one self-contained HTML page (``--plot`` of ``bridge network`` and ``bridge
simulate``). A network's: each population's cells, spikes and rate, a spike raster over the
population rates, and the recorded voltages. A model's: each compartment's voltage range
and the somatic spikes, over the voltages. plotly.js is inlined once, in the head: the page
needs no network.

Large populations are shown by an evenly spaced subset of their cells in the raster (the
page says how many), so that a million-cell run still makes a page a browser opens; the
rates count every spike."""

from __future__ import annotations

from html import escape

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import COMPARTMENT_COLOURS as COLOURS
from .page import figure_html, html_table, standalone_page

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
        mine = spikes.population.to_numpy() == name
        times, cells = spikes.time.to_numpy()[mine], spikes.cell.to_numpy()[mine]
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


def voltages_figure(panels: dict) -> go.Figure | None:
    """One panel per entry of ``panels`` ({title: DataFrame of voltages in mV indexed by time
    in ms}), a line per column (every sample: WebGL draws them); none without panels."""
    if not panels:
        return None
    fig = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.03,
                        subplot_titles=list(panels))
    for row, frame in enumerate(panels.values(), start=1):
        for k, column in enumerate(frame.columns):
            fig.add_trace(go.Scattergl(x=frame.index.to_numpy(), y=frame[column].to_numpy(), mode="lines",
                                       name=column, legendgroup=column, showlegend=row == 1,
                                       line=dict(color=COLOURS[k % len(COLOURS)], width=1)), row=row, col=1)
        fig.update_yaxes(title_text="mV", row=row, col=1)
    fig.update_xaxes(title_text="time (ms)", row=len(panels), col=1)
    fig.update_layout(height=160 + 170 * len(panels) + (150 if len(panels) == 1 else 0),
                      margin=dict(l=60, r=20, t=40, b=50), template="plotly_white")
    return fig


def _simulator(info: dict) -> str:
    """The simulator a result's ``info`` names, with its Brian 2 target if any."""
    return f"{info.get('simulator')}" + (f" ({info['target']})" if info.get("target") else "")


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
    ran = (f"{_simulator(info)} on {info.get('ranks', 1)} rank(s), dt {info.get('dt_ms', 0):g} ms: "
           f"{info.get('run_seconds', 0):.2f} s; {info.get('connections', 0)} connections "
           f"(digest {info.get('connectivity_digest', '-')}), {info.get('input_events', 0)} input events "
           f"(digest {info.get('input_digest', '-')})")
    figures = figure_html(activity_figure(result.spikes, sizes, duration_ms), "figure-activity")
    voltages = voltages_figure({f"{pop} cell {cell}": frame for (pop, cell), frame in sorted(result.traces.items())})
    if voltages is not None:
        figures += f"<h2>Recorded voltages</h2>{figure_html(voltages, 'figure-traces')}"
    return standalone_page(f"bridge network: {name}", f"""<h1>Network {escape(name)}: {duration_ms:g} ms</h1>
<p class="note" id="ran">{escape(ran)}</p>
{table}
<h2>Spikes and population rates</h2>
{figures}""")


def render_simulation_page(result, duration_ms: float, name: str = "model") -> str:
    """The page of ``result`` (a :class:`bridge.SimulationResult`) of the model ``name`` run
    for ``duration_ms``."""
    traces, info = result.traces, result.info
    rows = [[column, f"{traces[column].min():.3f}", f"{traces[column].max():.3f}", f"{traces[column].iloc[-1]:.3f}"]
            for column in traces.columns]
    table = html_table(["compartment", "min (mV)", "max (mV)", "final (mV)"], rows, table_id="compartments")
    spikes = result.spikes
    said = f"{len(spikes)} somatic spikes" + (f": {', '.join(f'{t:.3f}' for t in spikes[:50])} ms"
                                              + (" ..." if len(spikes) > 50 else "") if len(spikes) else "")
    ran = f"{_simulator(info)}, dt {info.get('dt_ms', 0):g} ms: {info.get('run_seconds', 0):.2f} s"
    figure = voltages_figure({name: traces})
    return standalone_page(f"bridge simulate: {name}", f"""<h1>{escape(name)}: {duration_ms:g} ms</h1>
<p class="note" id="ran">{escape(ran)}</p>
<p id="spikes">{escape(said)}</p>
{table}
<h2>Voltages</h2>
{figure_html(figure, "figure-traces") if figure is not None else ""}""")

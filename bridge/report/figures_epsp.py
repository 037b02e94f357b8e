"""The sampled EPSPs' figure: each reference site's value against its distance from the
soma, coloured by region, the region's 10-90% band, and each simulator's reduced value
drawn across the region it stands for (for EPSPs mapped through a synapse map, the median
of the compartment's reduced EPSPs, the value that is judged)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import DASHES, colour, label, reduced_marker, region_colour

#: (column of the epsp_sites table, panel title, axis title)
PANELS = (("amplitude", "somatic EPSP amplitude", "mV"), ("local", "local EPSP amplitude (at the synapse)", "mV"),
          ("rise_time", "somatic 10-90% rise time", "ms"), ("half_width", "somatic half-width", "ms"))


def _band(fig, values, x_range, fill: str, row: int, col: int, show: bool) -> None:
    low, high = values.quantile(0.1), values.quantile(0.9)
    (x0, x1) = x_range
    fig.add_trace(go.Scatter(x=[x0, x1, x1, x0, x0], y=[low, low, high, high, low], fill="toself", mode="lines",
                             line=dict(width=0), fillcolor=fill, opacity=0.18, hoverinfo="skip",
                             name="reference 10-90% band", legendgroup="band", showlegend=show), row=row, col=col)


def _reduced(fig, who: str, value: float, x_range, row: int, col: int, show: bool) -> None:
    x0, x1 = x_range
    marker = reduced_marker(who)
    marker["size"] = [0, marker["size"], 0]
    fig.add_trace(go.Scatter(x=[x0, (x0 + x1) / 2, x1], y=[value] * 3, mode="lines+markers", marker=marker,
                             line=dict(color=colour(who), dash=DASHES.get(who, "dot"), width=2), name=label(who),
                             legendgroup=who, showlegend=show, hovertemplate=f"{label(who)}: %{{y:.4g}}"),
                  row=row, col=col)


def epsp_figure(result, sites, title: str) -> go.Figure:
    """One panel per feature of PANELS that ``sites`` has (reference rows: one per site;
    reduced rows: one per simulator and compartment), against distance."""
    reference = sites[sites["who"] == "reference"]
    panels = [panel for panel in PANELS if panel[0] in sites]
    rows = (len(panels) + 1) // 2
    fig = make_subplots(rows=rows, cols=2, subplot_titles=[title for _, title, _ in panels],
                        horizontal_spacing=0.09, vertical_spacing=0.13)
    for k, (key, _, unit) in enumerate(panels):
        row, col = divmod(k, 2)
        first = k == 0
        for n, (compartment, part) in enumerate(reference.groupby("compartment", sort=False)):
            distance = part["distance_um"]
            x_range = (float(distance.min()), float(max(distance.max(), distance.min() + 1)))
            fill = region_colour(result, compartment)
            _band(fig, part[key].dropna(), x_range, fill, row + 1, col + 1, first and n == 0)
            fig.add_trace(go.Scatter(x=distance, y=part[key], mode="markers", name=f"reference sites: {compartment}",
                                     marker=dict(size=5, color=fill), legendgroup=compartment, showlegend=first,
                                     text=[f"{s}({x:.3g})" for s, x in zip(part["section"], part["x"])],
                                     hovertemplate="%{text}: %{y:.4g} at %{x:.0f} um"), row=row + 1, col=col + 1)
            reduced = sites[(sites["who"] != "reference") & (sites["compartment"] == compartment)]
            for who, value in zip(reduced["who"], reduced[key]):
                _reduced(fig, who, float(value), x_range, row + 1, col + 1, first and n == 0)
        fig.update_yaxes(title_text=unit, row=row + 1, col=col + 1)
        fig.update_xaxes(title_text="distance from the soma (um)" if row == rows - 1 else None, row=row + 1,
                         col=col + 1)
    fig.update_layout(title=title, height=380 * rows)
    return fig


def epsp_figures(result) -> list[go.Figure]:
    sites = result.tables.get("epsp_sites")
    if sites is None or sites.empty:
        return []
    return [epsp_figure(result, sites, "One EPSP at each sampled site (reference) and in the compartment standing "
                                       "for its region (reduced)")]


def epsp_map_figures(result) -> list[go.Figure]:
    table = result.tables.get("epsp_map")
    if table is None or table.empty:
        return []
    keys = [key for key, _, _ in PANELS if key in table]
    reduced = table[table["who"] != "reference"].groupby(["who", "compartment"], sort=False)[keys].median()
    sites = pd.concat([table[table["who"] == "reference"], reduced.reset_index()], ignore_index=True)
    return [epsp_figure(result, sites, "EPSPs at sampled sites (reference) and, mapped through the synapse map, the "
                                       "median of each compartment's (reduced)")]

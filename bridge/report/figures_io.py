"""The dendritic input-output curve's figure: the local and the somatic peak depolarisation
against the number of synchronous synapses (log2 axis), reference against reduced."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import DASHES, colour, label, reduced_marker


def io_figure(result) -> go.Figure | None:
    table = result.tables.get("io_curve")
    if table is None or table.empty:
        return None
    site = table["site"].iloc[0] if "site" in table else "the site"
    counts = sorted(table["synapses"].unique())
    fig = make_subplots(rows=1, cols=2, subplot_titles=[f"local peak ({site})", "somatic peak"],
                        horizontal_spacing=0.1)
    for col, key in enumerate(("local", "soma"), start=1):
        for who, part in table.groupby("who", sort=False):
            reference = who == "reference"
            fig.add_trace(go.Scatter(x=part["synapses"], y=part[key], name=label(who), legendgroup=who,
                                     showlegend=col == 1, mode="lines+markers",
                                     line=dict(color=colour(who), dash=DASHES.get(who, "dot"),
                                               width=3 if reference else 1.5),
                                     marker=dict(size=7, color=colour(who)) if reference else reduced_marker(who)),
                          row=1, col=col)
        fig.update_xaxes(type="log", tickvals=counts, ticktext=[str(n) for n in counts],
                         title_text="synchronous AMPA+NMDA synapses (log2 spacing)", row=1, col=col)
        fig.update_yaxes(title_text="peak depolarisation (mV)", row=1, col=col)
    fig.update_layout(title=f"Dendritic input-output curve: synapses at {site}", height=460)
    return fig


def io_figures(result) -> list[go.Figure]:
    fig = io_figure(result)
    return [fig] if fig is not None else []

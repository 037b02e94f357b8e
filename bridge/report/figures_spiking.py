"""The spiking protocols' figures: the F-I curve (rate over the step and steady-state rate
against step amplitude), the back-propagating spike's peak at each compartment and its voltage at Hay's recording
sites, Hay's BAC firing at the soma and the dendritic site, and the somatic voltage under
synaptic bombardment."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import DASHES, colour, label, reduced_marker


def _curves(fig, table, x: str, y: str, name: str = "", dash: str | None = None) -> None:
    for who, part in table.groupby("who", sort=False):
        reference = who == "reference"
        fig.add_trace(go.Scatter(x=part[x], y=part[y], mode="lines+markers", name=f"{label(who)}{name}",
                                 legendgroup=who, line=dict(color=colour(who), width=3 if reference else 1.5,
                                                            dash=dash or DASHES.get(who, "dot")),
                                 marker=dict(size=7, color=colour(who)) if reference else reduced_marker(who)))


def fi_figure(result) -> go.Figure | None:
    table = result.tables.get("fi_curve")
    if table is None or table.empty:
        return None
    fig = go.Figure()
    _curves(fig, table, "amplitude_nA", "rate")
    if "steady_rate" in table and table["steady_rate"].notna().any():
        _curves(fig, table, "amplitude_nA", "steady_rate", ", steady state", dash="longdashdot")
    fig.update_layout(title="F-I curve: somatic current steps", xaxis_title="step amplitude (nA)",
                      yaxis_title="rate (Hz; spikes over the step, or the steady-state rate)", height=440)
    return fig


def bap_figure(result) -> go.Figure | None:
    table = result.tables.get("bap")
    if table is None or table.empty:
        return None
    fig = go.Figure()
    _curves(fig, table, "site", "amplitude")
    fig.update_layout(title="Back-propagating spike: peak depolarisation after one somatic spike",
                      xaxis_title="compartment (soma outwards)", yaxis_title="peak depolarisation (mV)", height=420)
    return fig


def fi_figures(result) -> list[go.Figure]:
    fig = fi_figure(result)
    return [fig] if fig is not None else []


def bap_figures(result) -> list[go.Figure]:
    fig = bap_figure(result)
    return [fig] if fig is not None else []


def bombardment_figures(result) -> list[go.Figure]:
    table = result.tables.get("bombardment_traces")
    if table is None or table.empty:
        return []
    fig = go.Figure()
    for who in [c for c in table.columns if c != "time_ms"]:
        reference = who == "reference"
        fig.add_trace(go.Scattergl(x=table["time_ms"], y=table[who], mode="lines", name=label(who),
                                   line=dict(color=colour(who), width=2 if reference else 1,
                                             dash=DASHES.get(who, "dot"))))
    fig.update_layout(title="Synaptic bombardment: somatic voltage, detailed cell and reduced model",
                      xaxis_title="time (ms)", yaxis_title="somatic voltage (mV)", height=440)
    return [fig]


def _site_panels(table, title: str) -> go.Figure:
    """One panel per recording site (soma, then dendritic sites): the voltage in the detailed
    cell and in each simulator's reduced model."""
    sites = list(dict.fromkeys(table["site"]))
    fig = make_subplots(rows=1, cols=len(sites), subplot_titles=[s if s == "soma" else f"apical, {s}" for s in sites],
                        shared_yaxes=True)
    for col, site in enumerate(sites, start=1):
        for who, part in table[table["site"] == site].groupby("who", sort=False):
            reference = who == "reference"
            fig.add_trace(go.Scatter(x=part["time_ms"], y=part["v_mV"], mode="lines", name=label(who),
                                     legendgroup=who, showlegend=col == 1,
                                     line=dict(color=colour(who), width=2 if reference else 1,
                                               dash=DASHES.get(who, "dot"))), row=1, col=col)
        fig.update_xaxes(title_text="time (ms)", row=1, col=col)
    fig.update_yaxes(title_text="voltage (mV)", row=1, col=1)
    fig.update_layout(title=title, height=420)
    return fig


def hay_bap_figures(result) -> list[go.Figure]:
    table = result.tables.get("hay_bap_traces")
    if table is None or table.empty:
        return []
    return [_site_panels(table, "Hay's bAP: a somatic pulse's spike at the soma and at his dendritic recording sites")]


def hay_bac_figures(result) -> list[go.Figure]:
    table = result.tables.get("hay_bac_traces")
    if table is None or table.empty:
        return []
    return [_site_panels(table, "Hay's BAC firing: somatic pulse and distal EPSP-shaped current, at the soma and at "
                                "the current's site")]

"""The report's plotly figures, from a :class:`~bridge.validate.runner.ValidationResult`."""

from __future__ import annotations

import plotly.graph_objects as go

COLOURS = {"reference": "#444444", "brian2": "#1f4e79", "neuron": "#ef6c00", "coreneuron": "#2e7d32"}
COMPARTMENT_COLOURS = ["#1f4e79", "#2e7d32", "#ef6c00", "#ad1457", "#6a1b9a", "#00838f", "#9e9d24"]


#: Points per trace in the figures (the CSV keeps every sample).
PLOT_POINTS = 2000


def traces_figure(result) -> go.Figure:
    """The step protocol at every site: the reference and the reduced model per simulator."""
    fig = go.Figure()
    stride = max(1, len(result.traces) // PLOT_POINTS)
    shown = result.traces.iloc[::stride]
    t = shown.index
    for column in shown.columns:
        who, site = column.split(":", 1)
        dash = "solid" if who == "reference" else ("dash" if who == "coreneuron" else "dot")
        fig.add_trace(go.Scatter(x=t, y=shown[column], name=f"{who} {site}", mode="lines",
                                 line=dict(color=COLOURS.get(who, "black"), dash=dash,
                                           width=2.5 if who == "reference" else 1.5)))
    start, stop = result.info["step_ms"]
    fig.update_layout(title=f"{result.info['step_pA']:g} pA step into the soma, {start:g}-{stop:g} ms",
                      xaxis_title="time (ms)", yaxis_title="membrane potential (mV)", height=480)
    return fig


def attenuation_figure(result) -> go.Figure:
    """Steady-state attenuation against distance: every reference segment, and each
    reduced compartment at its regions' mean distance."""
    seg = result.morphology
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=seg["distance_um"], y=seg["attenuation"], mode="markers", name="reference segments",
                             marker=dict(size=4, color="#999999")))
    rows = result.features[result.features["protocol"] == "attenuation"]
    for k, sim in enumerate(rows["simulator"].unique()):
        part = rows[rows["simulator"] == sim]
        distance = [float((seg[seg["compartment"] == c]["area_um2"] * seg[seg["compartment"] == c]["distance_um"]).sum()
                          / seg[seg["compartment"] == c]["area_um2"].sum()) for c in part["site"]]
        fig.add_trace(go.Scatter(x=distance, y=part["reduced"], mode="markers+text", text=list(part["site"]),
                                 textposition="top center", name=f"reduced ({sim})",
                                 marker=dict(size=12 - 2 * k, color=COLOURS.get(sim, "black"), symbol="diamond")))
    fig.update_layout(title="Steady-state attenuation for current injected at the soma",
                      xaxis_title="path distance from the soma (um)", yaxis_title="V / V_soma", height=420)
    return fig


def morphology_figure(result) -> go.Figure:
    """The reference's morphology (x-y projection), coloured by reduced compartment."""
    seg = result.morphology
    fig = go.Figure()
    for k, name in enumerate(result.case.mapping):
        part = seg[seg["compartment"] == name]
        fig.add_trace(go.Scatter(x=part["x"], y=part["y"], mode="markers", name=name,
                                 marker=dict(size=(part["diameter_um"].clip(upper=12) * 1.5 + 2),
                                             color=COMPARTMENT_COLOURS[k % len(COMPARTMENT_COLOURS)]),
                                 text=[f"{name}: {d:.0f} um from the soma" for d in part["distance_um"]],
                                 hoverinfo="text"))
    fig.update_layout(title=f"{result.case.reference.name}: the regions each reduced compartment stands for",
                      xaxis_title="x (um)", yaxis_title="y (um)", height=560,
                      yaxis=dict(scaleanchor="x", scaleratio=1))
    return fig


def curve_figure(result, protocol: str, title: str, xaxis: str, yaxis: str) -> go.Figure | None:
    """A protocol's reference and reduced values against its sites (F-I curve, bAP
    amplitude), or None when the protocol was not run."""
    rows = result.features[result.features["protocol"] == protocol]
    if rows.empty:
        return None
    fig = go.Figure()
    first = rows[rows["simulator"] == rows["simulator"].iloc[0]]
    fig.add_trace(go.Scatter(x=list(first["site"]), y=first["reference"], mode="lines+markers", name="reference",
                             line=dict(color=COLOURS["reference"], width=3)))
    for sim in rows["simulator"].unique():
        part = rows[rows["simulator"] == sim]
        fig.add_trace(go.Scatter(x=list(part["site"]), y=part["reduced"], mode="lines+markers", name=f"reduced ({sim})",
                                 line=dict(color=COLOURS.get(sim, "black"), dash="dot")))
    fig.update_layout(title=title, xaxis_title=xaxis, yaxis_title=yaxis, height=400)
    return fig

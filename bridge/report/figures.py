"""The report's shared figure style and the figures of the reference and the passive step:
the step's traces, attenuation against distance and the morphology coloured by mapped
compartment. Each protocol's own figures live in ``figures_<protocol>.py``; the registry
in ``bridge.report.protocol_figures`` says which figures a protocol's section shows."""

from __future__ import annotations

import plotly.graph_objects as go

COLOURS = {"reference": "#444444", "matrix": "#7b1fa2", "brian2": "#1f4e79", "neuron": "#ef6c00",
           "coreneuron": "#2e7d32"}
COMPARTMENT_COLOURS = ["#1f4e79", "#2e7d32", "#ef6c00", "#ad1457", "#6a1b9a", "#00838f", "#9e9d24"]
#: Markers of the reduced model per simulator: open, and smaller in turn, so that
#: simulators with the same value all stay visible on top of each other.
SYMBOLS = {"matrix": ("line-ew-open", 16), "brian2": ("diamond-open", 14), "neuron": ("circle-open", 10),
           "coreneuron": ("x-thin-open", 7)}
DASHES = {"reference": "solid", "brian2": "dot", "neuron": "dash", "coreneuron": "dashdot", "matrix": "longdash"}
#: Points per trace in the figures (the CSV keeps every sample).
PLOT_POINTS = 2000


def colour(who: str) -> str:
    return COLOURS.get(who, "black")


def region_colour(result, compartment: str) -> str:
    """A mapped compartment's colour, the same in every figure."""
    names = list(result.case.mapping)
    k = names.index(compartment) if compartment in names else len(names)
    return COMPARTMENT_COLOURS[k % len(COMPARTMENT_COLOURS)]


def reduced_marker(who: str, colour_: str | None = None) -> dict:
    symbol, size = SYMBOLS.get(who, ("square-open", 8))
    return dict(symbol=symbol, size=size, color=colour_ or colour(who), line=dict(width=2))


def label(who: str) -> str:
    return "reference" if who == "reference" else ("reduced, conductance matrix" if who == "matrix"
                                                   else f"reduced ({who})")


def traces_figure(result) -> go.Figure | None:
    """The step protocol at every site: the reference and the reduced model per simulator."""
    traces = result.traces
    if traces.empty:
        return None
    fig = go.Figure()
    shown = traces.iloc[::max(1, len(traces) // PLOT_POINTS)]
    for column in shown.columns:
        who, site = column.split(":", 1)
        fig.add_trace(go.Scatter(x=shown.index, y=shown[column], name=f"{who} {site}", mode="lines",
                                 line=dict(color=colour(who), dash=DASHES.get(who, "dot"),
                                           width=2.5 if who == "reference" else 1.5)))
    title = "Current step into the soma"
    step = result.tables.get("step")
    if step is not None and not step.empty:
        s = step.iloc[0]
        title = f"{s['amplitude_pA']:g} pA step into the soma, {s['start_ms']:g}-{s['stop_ms']:g} ms"
    fig.update_layout(title=title, xaxis_title="time (ms)", yaxis_title="membrane potential (mV)", height=480)
    return fig


def mean_distance(result, compartment: str) -> float:
    """The area-weighted mean path distance of a compartment's regions on the reference."""
    seg = result.morphology[result.morphology["compartment"] == compartment]
    return float((seg["area_um2"] * seg["distance_um"]).sum() / seg["area_um2"].sum())


def attenuation_figure(result) -> go.Figure | None:
    """Steady-state attenuation against distance: every reference segment, and each
    reduced compartment at its regions' mean distance."""
    rows = result.features[result.features["feature"] == "attenuation"]
    seg = result.morphology
    if rows.empty or "attenuation" not in seg:
        return None
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=seg["distance_um"], y=seg["attenuation"], mode="markers", name="reference segments",
                             marker=dict(size=4, color="#999999")))
    for k, sim in enumerate(rows["simulator"].unique()):
        part = rows[rows["simulator"] == sim]
        fig.add_trace(go.Scatter(x=[mean_distance(result, c) for c in part["site"]], y=part["reduced"],
                                 mode="markers+text" if k == 0 else "markers", text=list(part["site"]),
                                 textposition="top center", name=label(sim), marker=reduced_marker(sim)))
    fig.update_layout(title="Steady-state attenuation for current injected at the soma",
                      xaxis_title="path distance from the soma (um)", yaxis_title="V / V_soma", height=420)
    return fig


def morphology_figure(result) -> go.Figure | None:
    """The reference's morphology (x-y projection), coloured by reduced compartment."""
    seg = result.morphology
    if seg.empty:
        return None
    fig = go.Figure()
    for name in result.case.mapping:
        part = seg[seg["compartment"] == name]
        fig.add_trace(go.Scatter(x=part["x"], y=part["y"], mode="markers", name=name,
                                 marker=dict(size=(part["diameter_um"].clip(upper=12) * 1.5 + 2),
                                             color=region_colour(result, name)),
                                 text=[f"{name}: {d:.0f} um from the soma" for d in part["distance_um"]],
                                 hoverinfo="text"))
    fig.update_layout(title=f"{result.case.reference.name}: the regions each reduced compartment stands for",
                      xaxis_title="x (um)", yaxis_title="y (um)", height=560,
                      yaxis=dict(scaleanchor="x", scaleratio=1))
    return fig


def step_figures(result) -> list[go.Figure]:
    return [fig for fig in (traces_figure(result), attenuation_figure(result)) if fig is not None]

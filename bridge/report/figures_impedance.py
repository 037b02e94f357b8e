"""The impedance protocol's figures: the transfer impedance from the soma, and each site's
input impedance (amplitude and phase), against frequency, per region: the reference's
median with its 10-90% band over the region's segments, and each simulator's reduced value
(and the conductance matrix's)."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import label, reduced_marker, region_colour

#: (column of impedance_segments after the kind's prefix, column of impedance, panel title, axis title)
PANELS = (("amplitude_mohm", "amplitude_mohm", "amplitude", "|Z| (MOhm)"),
          ("phase_rad", "phase_rad", "phase", "phase (rad; negative: the voltage lags)"))
#: Each figure's kind and title.
KINDS = {"transfer": "Transfer impedance from the soma to each region", "input": "Input impedance of each region"}
#: Horizontal room each frequency gives its regions (the axis is one slot per frequency).
WIDTH = 0.7


def _offsets(names: list[str]) -> dict:
    step = WIDTH / max(len(names), 1)
    return {name: (k - (len(names) - 1) / 2) * step for k, name in enumerate(names)}


def _reference(fig, result, segments, frequencies, compartment: str, dx: float, column: str, col: int, show):
    values = [segments[(segments["frequency_hz"] == f) & (segments["compartment"] == compartment)][column]
              for f in frequencies]
    median = [float(v.median()) for v in values]
    low = [m - float(v.quantile(0.1)) for m, v in zip(median, values)]
    high = [float(v.quantile(0.9)) - m for m, v in zip(median, values)]
    fig.add_trace(go.Scatter(x=[k + dx for k in range(len(frequencies))], y=median, mode="markers",
                             marker=dict(size=7, color=region_colour(result, compartment)),
                             error_y=dict(type="data", symmetric=False, array=high, arrayminus=low, width=6),
                             name=f"reference: {compartment} (median, 10-90% band)", legendgroup=compartment,
                             showlegend=show), row=1, col=col)


def impedance_figure(result, kind: str = "transfer") -> go.Figure | None:
    segments, table = result.tables.get("impedance_segments"), result.tables.get("impedance")
    if segments is None or table is None or segments.empty:
        return None
    if "kind" in table.columns:
        table = table[table["kind"] == kind]
    frequencies = sorted(segments["frequency_hz"].unique())
    names = [c for c in result.case.mapping if c in set(segments["compartment"])]
    offsets = _offsets(names)
    fig = make_subplots(rows=1, cols=2, subplot_titles=[p[2] for p in PANELS], horizontal_spacing=0.1)
    for col, (ref_column, column, _, axis) in enumerate(PANELS, start=1):
        for compartment in names:
            dx = offsets[compartment]
            _reference(fig, result, segments, frequencies, compartment, dx, f"{kind}_{ref_column}", col, col == 1)
            part = table[table["site"] == compartment]
            for who, rows in part.groupby("who", sort=False):
                x = [frequencies.index(f) + dx for f in rows["frequency_hz"]]
                fig.add_trace(go.Scatter(x=x, y=rows[column], mode="markers", name=label(who), legendgroup=who,
                                         marker=reduced_marker(who), showlegend=col == 1 and compartment == names[0],
                                         hovertemplate=f"{label(who)} {compartment}: %{{y:.4g}}"), row=1, col=col)
        fig.update_xaxes(tickvals=list(range(len(frequencies))), ticktext=[f"{f:g} Hz" for f in frequencies],
                         title_text="frequency (regions " + ", ".join(names) + " left to right)", row=1, col=col)
        fig.update_yaxes(title_text=axis, row=1, col=col)
    fig.update_layout(title=KINDS[kind], height=480)
    return fig


def impedance_figures(result) -> list[go.Figure]:
    return [fig for fig in (impedance_figure(result, kind) for kind in KINDS) if fig is not None]

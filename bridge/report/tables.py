"""A protocol's feature table for the report: the long-format feature rows (one per
simulator) turned into one row per feature, site and condition, with the simulators side
by side. Where every simulator gives the same reduced value (within a relative 1e-4) and
the same status, they share one "reduced" column and the
largest difference between them gets its own column; otherwise each simulator has its own
value and error columns. The relative bound is 1e-4, below the 4 significant digits the
tables show: Brian 2's rk4 and NEURON's Crank-Nicolson give the same model's features to
about 1e-5 apart, which a bound of 1e-6 would split into columns of identical-looking
numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import cells

#: Relative difference below which simulators' values are the same number (the tables show
#: 4 significant digits).
SAME_RELATIVE = 1e-4
#: Severity of a status, for the worst of several simulators.
SEVERITY = {"pass": 0, "constraint": 0, "undefined": 1, "fail": 2}


@dataclass
class FeatureTable:
    """``headers`` and ``rows`` (cells as text); ``kinds``: each row's status for its style
    (pass, fail, undefined, constraint); ``collapsed``: one "reduced" column for every
    simulator; ``caption``: a note every row shares."""

    headers: list[str]
    rows: list[list[str]]
    kinds: list[str]
    collapsed: bool
    simulators: list[str]
    caption: str = ""
    numeric: set = field(default_factory=set)


def spread(values) -> float:
    """Largest difference between the simulators' values (0 for all undefined, inf when
    only some are)."""
    values = np.asarray(values, float)
    defined = values[~np.isnan(values)]
    if len(defined) == 0:
        return 0.0
    if len(defined) < len(values):
        return np.inf
    return float(defined.max() - defined.min())


def same_values(values) -> bool:
    """The simulators' values are the same number: within a relative SAME_RELATIVE. (Not the
    traces' parity bound: 0.1 mV is a fifth of a 0.5 mV EPSP.)"""
    difference = spread(values)
    scale = np.nanmax(np.abs(np.asarray(values, float))) if difference and np.isfinite(difference) else 0.0
    return bool(difference <= SAME_RELATIVE * scale)


def keyed(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """The rows of each feature, site and condition: features in order of first appearance,
    then their sites and conditions in order of first appearance."""
    order = {f: k for k, f in enumerate(dict.fromkeys(rows["feature"]))}
    keys = sorted(dict.fromkeys(zip(rows["feature"], rows["site"], rows["condition"])),
                  key=lambda key: order[key[0]])
    groups = rows.groupby(["feature", "site", "condition"], sort=False)
    return [groups.get_group(key) for key in keys]


def collapsible(groups: list[pd.DataFrame]) -> bool:
    """Every feature has the same value and status in every simulator."""
    return all(part["status"].nunique() == 1 and same_values(part["reduced"])
               for part in groups)


def _status(part: pd.DataFrame) -> tuple[str, str]:
    """(text, kind) of a feature's status over its simulators."""
    statuses = list(part["status"])
    worst = max(statuses, key=lambda s: SEVERITY.get(s, 0))
    if len(set(statuses)) == 1:
        return cells.status(worst), worst
    by = {}
    for sim, s in zip(part["simulator"], statuses):
        by.setdefault(cells.status(s), []).append(sim)
    return "; ".join(f"{text} ({', '.join(sims)})" for text, sims in by.items()), worst


def _row(part: pd.DataFrame, simulators: list[str], collapsed: bool) -> dict:
    first = part.iloc[0]
    unit = first["unit"]
    row = {"feature": first["feature"], "site": first["site"], "condition": first["condition"],
           "reference": cells.number(first["reference"], unit),
           "10-90% band": cells.band(first["reference_low"], first["reference_high"], unit),
           "sites": str(int(first["n_sites"])) if first["n_sites"] > 1 else "",
           "site error median / p90": "" if cells.missing(part["site_error_median"].max()) else
           f"{cells.percent(part['site_error_median'].max())} / {cells.percent(part['site_error_p90'].max())}"}
    by_sim = part.set_index("simulator")
    if collapsed:
        row["reduced"] = cells.number(first["reduced"], unit)
        difference = spread(part["reduced"])
        row["max difference"] = f"{difference:.2g} {unit}".strip() if len(part) > 1 else ""
        row["error"] = cells.error(part["error"].max(skipna=False), first["scale"])
    else:
        for sim in simulators:
            here = sim in by_sim.index
            row[sim] = cells.number(by_sim.loc[sim, "reduced"], unit) if here else ""
            row[f"error ({sim})"] = cells.error(by_sim.loc[sim, "error"], first["scale"]) if here else ""
    row["tolerance"] = cells.tolerance(first["tolerance"], first["scale"])
    row["status"], row["_kind"] = _status(part)
    row["SD units"] = ", ".join(cells.sd_units(v) for v in dict.fromkeys(part["sd_units"]) if not cells.missing(v))
    row["note"] = "; ".join(n for n in dict.fromkeys(part["note"]) if n)
    return row


#: Columns left out of a table where every row leaves them empty.
OPTIONAL = ("condition", "10-90% band", "sites", "site error median / p90", "max difference", "SD units", "note")
#: Columns that hold numbers (right-aligned).
NUMERIC = {"reference", "10-90% band", "sites", "site error median / p90", "reduced", "max difference", "error",
           "tolerance", "SD units"}


def feature_table(rows: pd.DataFrame) -> FeatureTable:
    """One protocol's long-format feature rows as a :class:`FeatureTable`."""
    groups = keyed(rows)
    simulators = list(dict.fromkeys(rows["simulator"]))
    collapsed = collapsible(groups)
    records = [_row(part, simulators, collapsed) for part in groups]
    headers = [h for h in records[0] if not h.startswith("_")] if records else []
    notes = {r["note"] for r in records}
    caption = notes.pop() if len(notes) == 1 else ""
    if caption:  # the same note on every row: said once, under the table
        headers.remove("note")
    headers = [h for h in headers if h not in OPTIONAL or any(r[h] for r in records)]
    numeric = NUMERIC | set(simulators) | {f"error ({s})" for s in simulators}
    return FeatureTable(headers, [[r[h] for h in headers] for r in records], [r["_kind"] for r in records],
                        collapsed, simulators, caption, numeric & set(headers))

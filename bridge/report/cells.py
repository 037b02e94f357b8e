"""How a validation value is displayed: the one place that turns a number, an error, a
tolerance, a status, a protocol's summary row and the verdict into text. The command
line's tables and the HTML report both call these, so the two always read the same."""

from __future__ import annotations

import math

#: What a constraint's status cell says.
CONSTRAINT = "constraint: shown, not counted"
#: Column headers of the per-protocol summary (``ValidationResult.protocol_summary``).
SUMMARY_HEADERS = ["protocol", "role", "features", "passed", "worst feature", "error", "tolerance", "verdict"]
#: Column headers of the simulators' agreement (``ValidationResult.parity``).
PARITY_HEADERS = ["simulator", "against", "compared", "RMS", "max |dV|", "spike count difference", "spike shift",
                  "agree"]


def missing(value) -> bool:
    """None or NaN (a value that was not measured)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, unit: str = "") -> str:
    """``value`` to 4 significant digits with its unit; "undefined" when not measured."""
    if missing(value):
        return "undefined"
    return f"{value:.4g} {unit}".strip()


def band(low, high, unit: str = "") -> str:
    """A reference's 10-90% band over sites; empty for a single site."""
    if missing(low) or missing(high):
        return ""
    return f"{low:.4g} to {high:.4g} {unit}".strip()


def percent(fraction) -> str:
    """A fraction as a percentage; "undefined" when it could not be computed."""
    return "undefined" if missing(fraction) else f"{100 * fraction:.2f}%"


def error(value, scale: str = "relative") -> str:
    """An error in its scale: a percentage, or experimental SDs; "undefined" when it could
    not be computed."""
    if scale == "sd":
        return "undefined" if missing(value) else f"{value:.2f} SD"
    return percent(value)


def tolerance(bound, scale: str = "relative") -> str:
    """A tolerance in its scale (a percentage, or SDs); "-" where a feature has none (a
    constraint)."""
    if missing(bound):
        return "-"
    return f"{bound:.4g} SD" if scale == "sd" else f"{100 * bound:.4g}%"


def sd_units(value) -> str:
    return "" if missing(value) else f"{value:.2f} SD"


def status(value: str) -> str:
    """A feature's status as the tables show it."""
    shown = {"pass": "pass", "fail": "FAIL", "undefined": "undefined (fails)", "constraint": CONSTRAINT}
    return shown.get(value, value)


def summary_cells(row, label: str | None = None) -> list[str]:
    """One row of ``ValidationResult.protocol_summary()`` as cells; ``label`` replaces the
    protocol's name (the report shows its title)."""
    counted = row["role"] == "prediction"
    passed = f"{int(row['passed'])} of {row['features']}" if counted else "-"
    verdict = {"pass": "pass", "fail": "FAIL", "shown": "shown, not counted"}[row["verdict"]]
    return [label or row["protocol"], row["role"], str(row["features"]), passed, row["worst_feature"],
            error(row["worst_error"], row["scale"]), tolerance(row["tolerance"], row["scale"]), verdict]


def parity_cells(rows) -> list[list[str]]:
    """The parity table (one row per measure) as one row per simulator pair."""
    cells = []
    for (sim, against), part in rows.groupby(["simulator", "against"], sort=False):
        by = part.set_index("measure")
        measure = [f"{by.loc[m, 'value']:.2g} {by.loc[m, 'unit']} (bound {by.loc[m, 'bound']:g})".replace("  ", " ")
                   if m in by.index else "-" for m in ("rms", "max", "spike_count", "spike_shift")]
        compared = (f"up to {by.loc['horizon', 'value']:.0f} ms (the model's horizon)" if "horizon" in by.index
                    else "the whole run")
        cells.append([sim, against, compared, *measure, "yes" if part["passed"].all() else "NO"])
    return cells


def counts(result) -> dict:
    """The verdict's numbers: predictions (total, failed, undefined) and constraints."""
    features = result.features
    predictions = features[features["role"] == "prediction"]
    return {"predictions": len(predictions), "failed": int((predictions["status"] != "pass").sum()),
            "undefined": int((predictions["status"] == "undefined").sum()),
            "constraints": int((features["role"] == "constraint").sum())}


def verdict_text(result) -> str:
    """"fail: 24 of 60 predictions out of tolerance (15 constraints shown, not counted)"."""
    n = counts(result)
    shown = f"{n['constraints']} constraint{'s' if n['constraints'] != 1 else ''} shown, not counted"
    if not n["predictions"]:
        return f"no predictions: nothing was judged ({shown})"
    if not n["failed"]:
        return f"pass: all {n['predictions']} predictions within tolerance ({shown})"
    undefined = f", {n['undefined']} of them undefined" if n["undefined"] else ""
    return f"fail: {n['failed']} of {n['predictions']} predictions out of tolerance{undefined} ({shown})"


def agreement_text(result) -> str:
    """Whether the reduced model's traces agree between simulators."""
    parity = result.parity
    if parity.empty:
        return "simulator parity not measured (it needs NEURON and another simulator on the step or parity protocol)"
    horizon = parity[parity["measure"] == "horizon"]
    until = (f" up to {horizon['value'].min():.0f} ms, where NEURON departs from itself perturbed by 1e-12"
             if len(horizon) else "")
    if result.simulators_agree:
        return "simulators agree" + until
    bad = parity[~parity["passed"]]
    return f"simulators disagree{until}: " + ", ".join(f"{r.simulator} vs {r.against} {r.measure} {r.value:.2g} > "
                                                 f"{r.bound:g} {r.unit}".rstrip() for r in bad.itertuples())


def verdict_line(result) -> str:
    """The command line's last line, less the report's path."""
    return f"verdict: {verdict_text(result)}; {agreement_text(result)}"

"""How a validation feature is displayed: one row of cells, used by the command line's
text table and by the HTML report, so the two always read the same."""

from __future__ import annotations

#: Column headers of a feature row.
FEATURE_HEADERS = ["protocol", "site", "simulator", "reference", "reduced", "error", "tolerance", "result"]


def feature_cells(r) -> list[str]:
    """The displayed cells of one feature (a row of ``ValidationResult.features``, as a
    pandas row or named tuple)."""
    error = "" if r.relative_error != r.relative_error else f"{100 * r.relative_error:.2f}%"
    tolerance = (f"{r.tolerance:g} {r.unit}" if r.protocol.startswith("simulator_parity")
                 else f"{100 * r.tolerance:.0f}%")
    return [r.protocol, r.site, r.simulator, f"{r.reference:.4g} {r.unit}".strip(),
            f"{r.reduced:.4g} {r.unit}".strip(), error, tolerance, "pass" if r.passed else "FAIL"]

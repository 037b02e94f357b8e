"""One feature compared: the row every protocol writes, with its role, error, tolerance,
source and status. The long format of ``features.csv`` and ``summary.json`` is these rows.

Errors are relative to the reference value (``|reduced - reference| / max(|reference|,
floor)``), except where a protocol gives its own (the coincidence factor's ``|1 - Gamma|``)
and where the reference is a spread over sites: one reduced compartment stands for every
site of its region, so its value is judged against the region's 10th-90th percentile band
(error 0 inside the band, the distance to the nearer edge relative to the median outside),
and the per-site errors' median and 90th percentile are reported beside it.

Status: ``constraint`` for a feature the reduced model was built or fitted from (shown with
its error, never counted), else ``pass``/``fail``, or ``undefined`` when the feature could
not be measured in the reduced model or in the reference alone (counted as a failure); one
undefined in both (an interval where neither fires twice) agrees, error 0, and says so in
its note."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: The columns of a feature row, in order.
COLUMNS = ("protocol", "feature", "site", "condition", "unit", "role", "simulator", "reference", "reference_low",
           "reference_high", "n_sites", "site_error_median", "site_error_p90", "reduced", "error", "tolerance",
           "status", "sd_units", "sd_from_reference", "source_kind", "source", "note", "scale")
#: Percentiles of the reference's spread over a region's sites that bound its band.
BAND_PERCENTILES = (10, 90)


@dataclass(frozen=True)
class Spread:
    """A reference feature measured at every sampled site of a region."""

    values: tuple[float, ...]

    def __post_init__(self):
        if not self.values:
            raise ValueError("a spread needs at least one site")

    @property
    def median(self) -> float:
        return float(np.median(self.values))

    @property
    def band(self) -> tuple[float, float]:
        low, high = np.percentile(self.values, BAND_PERCENTILES)
        return float(low), float(high)

    def error_of(self, reduced: float) -> float:
        """0 inside the band, else the distance to the nearer edge over |median|."""
        low, high = self.band
        outside = max(low - reduced, reduced - high, 0.0)
        return outside / abs(self.median) if self.median else math.inf

    def site_errors(self, reduced: float) -> np.ndarray:
        values = np.asarray(self.values, float)
        return np.abs(reduced - values) / np.abs(values)


def judged(case, protocol: str, feature: str, site: str, condition: str, unit: str, simulator: str,
           reference, reduced: float, *, floor: float = 0.0, error: float | None = None, note: str = "",
           scale: str = "relative") -> dict:
    """The row of one feature. ``reference`` is a number or a :class:`Spread`; ``error``
    overrides the relative error (NaN: the feature is undefined), in ``scale`` ("sd": the
    protocol's experimental SDs), which the feature's tolerance must share."""
    role = case.role(feature, condition, site)
    tolerance = case.tolerances.get(feature)
    if tolerance is not None and tolerance.scale != scale:
        from ..errors import SchemaError
        measured = "in experimental SDs" if scale == "sd" else "relative to the reference"
        raise SchemaError(f"{feature}'s error is measured {measured}, and its tolerance is given as "
                          f"{tolerance.scale!r}",
                          obj=f"case {case.name}", param=f"tolerances.{feature}",
                          expected=f'"{scale}": ...', hint="write the case again with bridge reduce")
    row = {"protocol": protocol, "feature": feature, "site": site, "condition": condition, "unit": unit,
           "role": role, "simulator": simulator, "reference_low": np.nan, "reference_high": np.nan,
           "n_sites": 1, "site_error_median": np.nan, "site_error_p90": np.nan, "reduced": float(reduced),
           "note": note, "scale": scale}
    if isinstance(reference, Spread):
        errors = reference.site_errors(reduced)
        row.update(reference=reference.median, n_sites=len(reference.values),
                   site_error_median=float(np.median(errors)), site_error_p90=float(np.percentile(errors, 90)))
        row["reference_low"], row["reference_high"] = reference.band
        value = reference.error_of(reduced) if error is None else error
    else:
        row["reference"] = float(reference)
        value = (abs(reduced - reference) / max(abs(reference), floor) if error is None else error)
        if math.isnan(value) and math.isnan(float(reference)) and math.isnan(float(reduced)):
            value = 0.0   # the cell has no such event (a second spike, a burst), nor has the model
            row["note"] = "; ".join(filter(None, (note, "undefined in the cell and in the model alike")))
    row["error"] = float(value)
    row["tolerance"] = tolerance.bound if tolerance else np.nan
    if role == "constraint":
        row["status"] = "constraint"
    elif value != value:
        row["status"] = "undefined"
    else:
        row["status"] = "pass" if value <= tolerance.bound else "fail"
    experimental = tolerance.experimental if tolerance else None
    row["sd_units"] = experimental.sd_units(reduced) if experimental else np.nan
    # how far the reduced model lies from the reference's own value, in experimental SDs
    row["sd_from_reference"] = (abs(reduced - row["reference"]) / experimental.sd
                                if experimental and row["reference"] == row["reference"] else np.nan)
    row["source_kind"] = tolerance.source.kind if tolerance else ""
    row["source"] = tolerance.source.describe() if tolerance else ""
    return row

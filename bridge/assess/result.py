"""What a validation run returns: every feature row (long format, bridge.assess.judge),
the protocols' tables, the simulators' agreement, and the verdict, which counts the
predictions only (constraints, the features the reduced model was built from, are shown
and never counted)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: What the verdict counts, said in summary.json and the report.
VERDICT_COUNTS = ("predictions only: constraints (features the reduced model was built or fitted from) "
                  "are shown with their errors and never counted as passes")


@dataclass
class ValidationResult:
    """``features``: one row per feature, site, condition and simulator (columns
    bridge.assess.judge.COLUMNS); ``tables``: each protocol's data by name (``traces``:
    the step protocol's voltages, ``epsp_sites``, ``io_curve``, ...); ``parity``: the
    reduced model's traces in each simulator against NEURON's; ``morphology``: the
    reference's segments and the compartment each belongs to."""

    case: object
    features: pd.DataFrame
    tables: dict
    parity: pd.DataFrame
    morphology: pd.DataFrame
    info: dict = field(default_factory=dict)

    @property
    def predictions(self) -> pd.DataFrame:
        return self.features[self.features["role"] == "prediction"]

    @property
    def passed(self) -> bool:
        """Every prediction within its tolerance (an undefined one fails); a run without
        predictions judges nothing and does not pass."""
        return bool(len(self.predictions)) and bool((self.predictions["status"] == "pass").all())

    @property
    def verdict(self) -> str:
        return "no predictions" if self.predictions.empty else ("pass" if self.passed else "fail")

    @property
    def simulators_agree(self) -> bool | None:
        """Whether the reduced model's simulators agree within the parity bounds; None when
        no two were compared (summary.json's null: not measured, not agreed)."""
        return None if self.parity.empty else bool(self.parity["passed"].all())

    @property
    def traces(self) -> pd.DataFrame:
        return self.tables.get("traces", pd.DataFrame())

    def protocol_summary(self) -> pd.DataFrame:
        """Per protocol and role: features, how many pass, the worst error (with its
        tolerance) and the verdict (``shown`` for constraints)."""
        rows = []
        for (protocol, role), part in self.features.groupby(["protocol", "role"], sort=False):
            ratio = part["error"] / part["tolerance"]
            worst = part.loc[ratio.fillna(np.inf).idxmax()] if ratio.notna().any() else part.iloc[0]
            counted = role == "prediction"
            rows.append({"protocol": protocol, "role": role, "features": len(part),
                         "passed": int((part["status"] == "pass").sum()) if counted else np.nan,
                         "worst_feature": f"{worst['feature']} {worst['site']} {worst['condition']}".strip(),
                         "worst_error": float(worst["error"]), "tolerance": float(worst["tolerance"]),
                         "scale": worst["scale"],
                         "verdict": ("pass" if (part["status"] == "pass").all() else "fail") if counted
                         else "shown"})
        return pd.DataFrame(rows)

    def summary(self) -> dict:
        """summary.json's content (the long-format rows included)."""
        import json
        predictions = self.predictions
        constraints = self.features[self.features["role"] == "constraint"]
        return {"case": self.case.name, "verdict": self.verdict, "passed": self.passed,
                "verdict_counts": VERDICT_COUNTS,
                "predictions": {"total": len(predictions), "passed": int((predictions["status"] == "pass").sum()),
                                "failed": int((predictions["status"] != "pass").sum())},
                "constraints": {"total": len(constraints),
                                "features": sorted(set(constraints["feature"]))},
                "simulators_agree": self.simulators_agree, "built_from": self.case.built_from,
                "info": self.info,
                "protocols": json.loads(self.protocol_summary().to_json(orient="records")),
                "parity": json.loads(self.parity.to_json(orient="records")),
                "features": json.loads(self.features.to_json(orient="records"))}

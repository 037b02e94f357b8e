"""The report's data files: every table of a validation result as CSV, by file name."""

from __future__ import annotations

import pandas as pd

#: Tables written with their index (the time axis).
INDEXED = {"traces"}


def data_tables(result) -> dict[str, pd.DataFrame]:
    """``features.csv`` (the long format, every column of bridge.assess.judge.COLUMNS),
    ``parity.csv`` and one CSV per protocol table (``traces.csv``, ``epsp_sites.csv``,
    ``impedance.csv``, ``io_curve.csv``, ...), in that order."""
    files = {"features.csv": result.features}
    if not result.parity.empty:
        files["parity.csv"] = result.parity
    for name, table in result.tables.items():
        if table is not None and not table.empty:
            files[f"{name}.csv"] = table
    return files


def write_tables(result, directory) -> list[str]:
    """Write :func:`data_tables` into ``directory``; returns the file names."""
    files = data_tables(result)
    for name, table in files.items():
        table.to_csv(directory / name, index=name.removesuffix(".csv") in INDEXED, float_format="%.10g")
    return list(files)

"""Validation reports: a self-contained HTML page (plotly figures, the feature table),
``features.csv``, ``traces.csv`` and ``summary.json``, written as one directory that
appears complete or not at all."""

from .writer import write_report

__all__ = ["write_report"]

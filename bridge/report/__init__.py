"""Validation reports: a self-contained HTML page (the verdict and per-protocol summary
first, then each protocol's figures, feature table and tolerances), ``summary.json``,
``features.csv`` and one CSV per protocol table, written as one directory that appears
complete or not at all. And the page of a run (``--plot`` of ``bridge network`` and ``bridge
simulate``)."""

from .run_pages import render_network_page, render_simulation_page
from .writer import write_report

__all__ = ["render_network_page", "render_simulation_page", "write_report"]

"""Which figures each protocol's section shows: protocol name -> a function of the
validation result returning plotly figures (none when the protocol's tables are absent).
The registry lives here so that bridge.assess never imports plotly or the report."""

from __future__ import annotations

from .figures import step_figures
from .figures_epsp import epsp_figures, epsp_map_figures
from .figures_impedance import impedance_figures
from .figures_io import io_figures
from .figures_spiking import bap_figures, bombardment_figures, fi_figures, hay_bac_figures, hay_bap_figures

FIGURES = {"step": step_figures, "epsp": epsp_figures, "epsp_map": epsp_map_figures, "impedance": impedance_figures,
           "io_curve": io_figures, "fi_curve": fi_figures, "bap": bap_figures, "hay_bap": hay_bap_figures,
           "hay_bac": hay_bac_figures, "bombardment": bombardment_figures}


def figures_for(result, protocol: str) -> list:
    """The figures of ``protocol``'s section (none for a protocol without a figure)."""
    draw = FIGURES.get(protocol)
    return draw(result) if draw else []

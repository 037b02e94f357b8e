"""Steady-state transfer resistances of a detailed active cell, measured the direct way:
a small constant current at one site at a time, the voltage change at every site once
the cell has settled, against a run without it.

Why not NEURON's ``Impedance`` class: on Hay's layer-5 cell at rest its 0 Hz input
resistance at the soma is 58.9 MOhm (``compute(0)``) or 53.3 MOhm (``compute(0, 1)``,
with the channels' gating), where a 1 pA or a 10 pA step gives 41.3 MOhm (measured in
session 7). A reduction fitted to the cell's linear response needs the response the cell
has; this module measures it (N + 1 runs for N sites).
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from ..references.hoc_cell import HocCell
from .hoc_cell import instantiated


def dc_resistance_matrix(ref: HocCell, sites: list[tuple[str, float]], amplitude_na: float = 0.01,
                         settle_ms: float = 2000.0, dt_ms: float = 0.1) -> np.ndarray:
    """``R[i, j]`` (MOhm): the steady voltage change at ``sites[j]`` per current injected
    at ``sites[i]`` (``amplitude_na``, small enough to stay linear), each site a
    ``(section name, x)`` with the section named within its template (``"apic[10]"``), after ``settle_ms`` of each run (from ``ref.v_init``, else
    NEURON's ``v_init``)."""
    if not sites:
        raise ModelError("no sites", obj=f"detailed cell {ref.name}", param="sites", expected="(section, x) pairs")
    if not amplitude_na or settle_ms <= 0 or dt_ms <= 0:
        raise ModelError(f"amplitude {amplitude_na} nA, settle {settle_ms} ms, dt {dt_ms} ms",
                         obj=f"detailed cell {ref.name}", param="amplitude_na",
                         expected="a non-zero current and positive times")
    with instantiated(ref) as (h, built):
        # a template's sections are named "Template[k].apic[10]", k counting instances: match the end
        by_name = {sec.name().split(".")[-1]: sec for sections in built.sections.values() for sec in sections}
        unknown = [name for name, _ in sites if name not in by_name]
        if unknown:
            raise ModelError(f"no section {unknown[0]!r}", obj=f"detailed cell {ref.name}", param="sites",
                             expected="section names of the cell, e.g. " + ", ".join(list(by_name)[:3]))
        segments = [by_name[name](x) for name, x in sites]
        saved_dt = h.dt
        h.dt = dt_ms

        def settled(clamp_at=None) -> np.ndarray:
            clamp = None
            if clamp_at is not None:
                clamp = h.IClamp(clamp_at)
                clamp.delay, clamp.dur, clamp.amp = 0.0, 1e9, amplitude_na
            if ref.v_init is None:
                h.finitialize()
            else:
                h.finitialize(ref.v_init * 1e3)
            h.continuerun(settle_ms)
            voltages = np.array([seg.v for seg in segments])
            del clamp
            return voltages

        try:
            rest = settled()
            return np.array([(settled(seg) - rest) / amplitude_na for seg in segments])
        finally:
            h.dt = saved_dt

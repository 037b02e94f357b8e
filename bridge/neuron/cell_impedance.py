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
    ``(section name, x)`` with the section named within its template (``"apic[10]"``), after
    ``settle_ms`` of each run (from ``ref.v_init``, else NEURON's ``v_init``)."""
    return lumped_resistance_matrix(ref, [[(name, x, 1.0)] for name, x in sites], amplitude_na, settle_ms, dt_ms)


def lumped_resistance_matrix(ref: HocCell, groups: list[list[tuple[str, float, float]]], amplitude_na: float = 0.01,
                             settle_ms: float = 2000.0, dt_ms: float = 0.1, progress=None, first_to_all: bool = False):
    """As :func:`dc_resistance_matrix` for groups of segments, each ``(section name, x,
    weight)`` with weights summing to 1 in a group: group i's current is spread over its
    segments by weight, and group j's voltage is the weighted mean of its segments' (the
    weights of a reduced compartment are its segments' shares of its membrane area).
    ``progress(done, total)`` is called after each run. ``first_to_all``: also return, for
    group 0's current, the voltage change (MOhm) at every segment of every group, in the
    groups' order (a flat array), as ``(R, responses)``."""
    obj = f"detailed cell {ref.name}"
    if not groups or not all(groups):
        raise ModelError("no sites, or an empty group", obj=obj, param="sites", expected="(section, x) pairs")
    if not amplitude_na or settle_ms <= 0 or dt_ms <= 0:
        raise ModelError(f"amplitude {amplitude_na} nA, settle {settle_ms} ms, dt {dt_ms} ms", obj=obj,
                         param="amplitude_na", expected="a non-zero current and positive times")
    for group in groups:
        if abs(sum(w for _, _, w in group) - 1.0) > 1e-9:
            raise ModelError("the weights of a group do not sum to 1", obj=obj, param="sites")
    with instantiated(ref) as (h, built):
        # a template's sections are named "Template[k].apic[10]", k counting instances: match the end
        by_name = {sec.name().split(".")[-1]: sec for sections in built.sections.values() for sec in sections}
        unknown = [name for group in groups for name, _, _ in group if name.split(".")[-1] not in by_name]
        if unknown:
            raise ModelError(f"no section {unknown[0]!r}", obj=obj, param="sites",
                             expected="section names of the cell, e.g. " + ", ".join(list(by_name)[:3]))
        segments = [[(by_name[name.split(".")[-1]](x), w) for name, x, w in group] for group in groups]
        saved_dt = h.dt
        h.dt = dt_ms

        def settled(injected=()) -> np.ndarray:
            clamps = []
            for seg, weight in injected:
                clamp = h.IClamp(seg)
                clamp.delay, clamp.dur, clamp.amp = 0.0, 1e9, amplitude_na * weight
                clamps.append(clamp)
            if ref.v_init is None:
                h.finitialize()
            else:
                h.finitialize(ref.v_init * 1e3)
            h.continuerun(settle_ms)
            voltages = np.array([sum(seg.v * w for seg, w in group) for group in segments])
            each = np.array([seg.v for group in segments for seg, _ in group])
            del clamps
            return voltages, each

        try:
            rest, rest_each = settled()
            rows, first = [], None
            for k, group in enumerate(segments):
                means, each = settled(group)
                rows.append((means - rest) / amplitude_na)
                if k == 0:
                    first = (each - rest_each) / amplitude_na
                if progress is not None:
                    progress(k + 1, len(segments))
            return (np.array(rows), first) if first_to_all else np.array(rows)
        finally:
            h.dt = saved_dt

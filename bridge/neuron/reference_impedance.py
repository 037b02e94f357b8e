"""The impedance of a detailed reference (``bridge.references``) at every segment, from
NEURON's ``Impedance`` class: the transfer impedance between the soma's centre and the
segment, and the segment's own input impedance, at given frequencies.

Phase convention (bridge's, :mod:`bridge.model.electrical`): radians, negative when the
voltage lags the current, continuous from 0 Hz. NEURON's ``input_phase`` and
``transfer_phase`` have that sign already (checked against a single passive compartment,
whose closed form phase is -atan(2 pi f R C)), but lie in (-pi, pi]: far from the soma at
high frequency the transfer lag passes pi (c91662's distal tufts at 100 Hz) and NEURON's
value wraps to positive. The transfer phase is therefore made continuous along the tree from
soma(0.5), where it is the soma's input phase (in (-pi/2, 0] for a passive membrane), through
every segment centre and section end: adjacent points of d_lambda segments differ by far
less than pi. Continuity in space from the soma and in frequency from 0 Hz give the same
value, as the impedance never vanishes. The input phase is NEURON's as it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..references.regions import owner
from .detailed import _segments, built

COLUMNS = ("section", "x", "compartment", "kind", "distance_um", "area_um2", "frequency_hz",
           "transfer_amplitude_mohm", "transfer_phase_rad", "input_amplitude_mohm", "input_phase_rad")


def _frequencies(frequencies_hz) -> list[float]:
    values = np.atleast_1d(np.asarray(frequencies_hz, dtype=float))
    if values.ndim != 1 or not len(values) or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ModelError(f"{frequencies_hz!r}", obj="reference impedance", param="frequencies_hz",
                         expected="one or more frequencies >= 0 (Hz)")
    return [float(f) for f in values]


def _refuse_unmapped(ref, rows: list[dict]) -> None:
    unmapped = [row for row in rows if not row["compartment"]]
    if unmapped:
        first = unmapped[0]
        raise ModelError(f"{len(unmapped)} segments lie outside every mapped region (e.g. a {first['kind']} "
                         f"segment at {first['distance_um']:.0f} um)", obj=f"reference {ref.name}", param="mapping",
                         hint="extend the regions so that they cover the whole morphology")


def _near(raw: float, reference: float) -> float:
    """``raw`` + 2 pi k nearest ``reference``."""
    return raw + 2 * np.pi * round((reference - raw) / (2 * np.pi))


def _tree_points(sections, soma) -> dict:
    """{section name: sorted x of its points}: segment centres, both ends, where children
    attach, and 0.5 of the soma (where the path starts)."""
    points = {sec.name(): {0.0, 1.0, *(seg.x for seg in sec)} for sec in sections}
    points[soma.name()].add(0.5)
    for sec in sections:
        parent = sec.parentseg()
        if parent is not None and parent.sec.name() in points:
            points[parent.sec.name()].add(parent.x)
    return {name: sorted(xs) for name, xs in points.items()}


def _tree_edges(h, sections, points: dict) -> dict:
    """{(section name, x): [neighbouring points]} along sections and across connections."""
    edges: dict = {}

    def link(a, b):
        edges.setdefault(a, []).append(b)
        edges.setdefault(b, []).append(a)

    for sec in sections:
        xs = points[sec.name()]
        for x0, x1 in zip(xs, xs[1:]):
            link((sec.name(), x0), (sec.name(), x1))
        parent = sec.parentseg()
        if parent is not None and parent.sec.name() in points:
            link((sec.name(), float(h.section_orientation(sec=sec))), (parent.sec.name(), parent.x))
    return edges


def _continuous_transfer_phases(h, impedance, sections, soma) -> dict:
    """{(section name, x): transfer phase} made continuous from soma(0.5) along the tree."""
    by_name = {sec.name(): sec for sec in sections}
    edges = _tree_edges(h, sections, _tree_points(sections, soma))
    start = (soma.name(), 0.5)
    phases = {start: impedance.transfer_phase(0.5, sec=soma)}
    queue = [start]
    while queue:
        point = queue.pop()
        for other in edges.get(point, ()):
            if other not in phases:
                raw = impedance.transfer_phase(other[1], sec=by_name[other[0]])
                phases[other] = _near(raw, phases[point])
                queue.append(other)
    return phases


def reference_impedance(ref, mapping: dict, frequencies_hz) -> pd.DataFrame:
    """One row per (frequency, segment) of ``ref`` (frequency-major, segments in NEURON's
    order, the soma's among them): the segment (``section``, ``x``), the reduced compartment
    of ``mapping`` (name -> tuple of Regions) whose regions contain it, its ``kind``,
    ``distance_um`` from the soma's centre, ``area_um2``, ``frequency_hz``, the transfer
    impedance between soma(0.5) and the segment (``transfer_amplitude_mohm``,
    ``transfer_phase_rad``, continuous along the tree: it may pass -pi) and the segment's
    input impedance (``input_amplitude_mohm``, ``input_phase_rad``). NEURON's ``Impedance``
    with ``loc`` at soma(0.5) and ``compute(f)``: the passive membrane. (Not the extended
    ``compute(f, 1)``: in NEURON 9.0 it disagrees with the plain computation and with a
    simulated step when the leak varies between sections, measured here: 3560 against
    124 MOhm on a soma with one dendrite of another leak, 119 against the 74.8 MOhm a step
    gives on c91662 with Stuart & Spruston's leak profile.) A reference
    with active channels (``active_soma``) is refused; a segment outside every mapped region
    too, as in ``measure_reference``."""
    from ..errors import UnsupportedFeatureError
    if getattr(ref, "active_soma", False):
        raise UnsupportedFeatureError("the impedance of a reference with active channels needs their linearisation",
                                      obj=f"reference {ref.name}", param="active_soma",
                                      hint="run the impedance protocol on a passive reference")
    frequencies = _frequencies(frequencies_hz)
    rows = []
    with built(ref) as (h, sections, soma):
        segments = [(seg, kind, dist, area, owner(mapping, kind, dist, part, origin))
                    for seg, kind, dist, area, part, origin in _segments(h, sections)]
        impedance = h.Impedance()
        impedance.loc(0.5, sec=soma)
        for f in frequencies:
            impedance.compute(f)
            phases = _continuous_transfer_phases(h, impedance, sections, soma)
            for seg, kind, dist, area, compartment in segments:
                rows.append({"section": seg.sec.name(), "x": seg.x, "compartment": compartment, "kind": kind,
                             "distance_um": dist, "area_um2": area, "frequency_hz": f,
                             "transfer_amplitude_mohm": impedance.transfer(seg.x, sec=seg.sec),
                             "transfer_phase_rad": phases[(seg.sec.name(), seg.x)],
                             "input_amplitude_mohm": impedance.input(seg.x, sec=seg.sec),
                             "input_phase_rad": impedance.input_phase(seg.x, sec=seg.sec)})
    _refuse_unmapped(ref, rows)
    return pd.DataFrame(rows, columns=list(COLUMNS))

"""The linear response of a detailed active cell around rest, measured the direct way:
small currents injected in NEURON and the voltage changes they make, against a run
without them. Steady-state transfer resistances between sites or groups of segments
(N + 1 runs for N of them), and the responses of every node of the cell to a somatic step
and to a somatic sum of sines (from which ``bridge.reduce.linear`` gets every node's
membrane admittance).

Why not NEURON's ``Impedance`` class: on Hay's layer-5 cell at rest its 0 Hz input
resistance at the soma is 58.9 MOhm (``compute(0)``) or 53.3 MOhm (``compute(0, 1)``,
with the channels' gating), where a 1 pA or a 10 pA step gives 41.3 MOhm (measured in
session 7). A reduction fitted to the cell's linear response needs the response the cell
has; this module measures it.
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError, SimulationError
from ..references.hoc_cell import PublishedCell
from .cell_anatomy import soma_row
from .fixed_step import advance_to, fixed_step
from .hoc_cell import initial_voltage, instantiated
from .network_runtime import clamp


def _segments_of(ref: PublishedCell, built, names, xs) -> list:
    """The segments at ``(name, x)`` of the built cell; a section is named within its
    template (``"apic[10]"``; the full name ``"Template[k].apic[10]"`` counts instances, so
    only its end is matched). An unknown name is a ModelError naming it."""
    by_name = {sec.name().split(".")[-1]: sec for sections in built.sections.values() for sec in sections}
    names = [name.split(".")[-1] for name in names]
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ModelError(f"no section {unknown[0]!r}", obj=f"detailed cell {ref.name}", param="sites",
                         expected="section names of the cell, e.g. " + ", ".join(list(by_name)[:3]))
    return [by_name[name](x) for name, x in zip(names, xs)]


def _settled(h, ref: PublishedCell, injected, settle_ms: float, read, told=None) -> np.ndarray:
    """``read()`` after ``settle_ms`` from the cell's initial voltage with the constant
    currents ``injected`` (``(segment, nA)`` pairs) switched on at the start."""
    electrodes = [clamp(h, seg, 0.0, 1e9, amplitude) for seg, amplitude in injected]
    h.finitialize(initial_voltage(ref) * 1e3)
    advance_to(h, settle_ms, told)
    values = read()
    del electrodes
    if not np.isfinite(values).all():
        raise SimulationError(f"the cell's voltage is not a number after {settle_ms:g} ms at rest, at "
                              f"{int((~np.isfinite(values)).sum())} of {values.size} points",
                              obj=f"detailed cell {ref.name}", param="membrane",
                              hint="a parameter of its membrane or channels is NaN or infinite: check what its "
                                   "code computes them from as it builds")
    return values


def dc_resistance_matrix(ref: PublishedCell, sites: list[tuple[str, float]], amplitude_na: float = 0.01,
                         settle_ms: float = 2000.0, dt_ms: float = 0.1) -> np.ndarray:
    """``R[i, j]`` (MOhm): the steady voltage change at ``sites[j]`` per current injected
    at ``sites[i]`` (``amplitude_na``, small enough to stay linear), each site a
    ``(section name, x)`` with the section named within its template (``"apic[10]"``), after
    ``settle_ms`` of each run (from :func:`~bridge.neuron.hoc_cell.initial_voltage`)."""
    return lumped_resistance_matrix(ref, [[(name, x, 1.0)] for name, x in sites], amplitude_na, settle_ms, dt_ms)


def lumped_resistance_matrix(ref: PublishedCell, groups: list[list[tuple[str, float, float]]], amplitude_na: float = 0.01,
                             settle_ms: float = 2000.0, dt_ms: float = 0.1) -> np.ndarray:
    """As :func:`dc_resistance_matrix` for groups of segments, each ``(section name, x,
    weight)`` with weights summing to 1 in a group: group i's current is spread over its
    segments by weight, and group j's voltage is the weighted mean of its segments' (the
    weights of a reduced compartment are its segments' shares of its membrane area).
    """
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
        segments = [list(zip(_segments_of(ref, built, [n for n, _, _ in group], [x for _, x, _ in group]),
                             [w for _, _, w in group])) for group in groups]
        injected = [[(seg, amplitude_na * w) for seg, w in group] for group in segments]

        def means() -> np.ndarray:
            return np.array([sum(seg.v * w for seg, w in group) for group in segments])

        with fixed_step(h, dt_ms):
            rest = _settled(h, ref, (), settle_ms, means)
            return np.array([(_settled(h, ref, currents, settle_ms, means) - rest) / amplitude_na
                             for currents in injected])


def soma_step_response(ref: PublishedCell, table, amplitude_na: float = 0.05, settle_ms: float = 3000.0,
                       dt_ms: float = 0.1, told=None) -> np.ndarray:
    """The steady voltage change (mV per nA, i.e. MOhm) at every row of the cell's node
    table (:func:`bridge.neuron.cell_anatomy.segment_table`) for a small constant current
    at the soma's centre: two runs (at rest, and with ``amplitude_na`` until settled).
    ``told(fraction)``, if given, hears how far the two are."""
    with instantiated(ref) as (h, built):
        nodes = _segments_of(ref, built, table["section"], table["x"])
        soma = nodes[soma_row(table)]

        def voltages() -> np.ndarray:
            return np.array([node.v for node in nodes])

        def half(k):
            return None if told is None else (lambda fraction: told((k + fraction) / 2))

        with fixed_step(h, dt_ms):
            return (_settled(h, ref, [(soma, amplitude_na)], settle_ms, voltages, half(0))
                    - _settled(h, ref, (), settle_ms, voltages, half(1))) / amplitude_na


def soma_sine_response(ref: PublishedCell, table, frequencies, amplitude_na: float = 0.02, settle_ms: float = 1500.0,
                       window_ms: float = 500.0, dt_ms: float = 0.025, told=None) -> dict[float, np.ndarray]:
    """``{f: V}``: the complex voltage (mV per nA, i.e. MOhm) at every row of the cell's
    node table for a sinusoidal current at the soma's centre, at each frequency (Hz) of
    ``frequencies`` (each a whole number of cycles in ``window_ms``). One run: after
    ``settle_ms`` at rest, a sum of sines of ``amplitude_na`` each for a further
    ``window_ms`` of transient and ``window_ms`` of recording, whose Fourier coefficients
    at each frequency are the responses. ``told(fraction)``, if given, hears how far the
    run is."""
    frequencies = [float(f) for f in frequencies]
    for f in frequencies:
        if not f > 0 or abs(f * window_ms / 1e3 - round(f * window_ms / 1e3)) > 1e-9:
            raise ModelError(f"{f:g} Hz is not a whole number of cycles in {window_ms:g} ms", obj="impedance",
                             param="frequencies")
    sample_ms = 0.25
    with instantiated(ref) as (h, built):
        nodes = _segments_of(ref, built, table["section"], table["x"])
        soma = nodes[soma_row(table)]
        start = settle_ms + window_ms
        times = np.arange(0.0, start + window_ms + dt_ms, dt_ms)
        current = np.zeros_like(times)
        on = times >= settle_ms
        for f in frequencies:
            current[on] += amplitude_na * np.sin(2 * np.pi * f * (times[on] - settle_ms) / 1e3)
        electrode = clamp(h, soma, 0.0, 1e9, 0.0)
        played, clock = h.Vector(current), h.Vector(times)     # both must live through the run
        played.play(electrode._ref_amp, clock, 1)
        records = [h.Vector().record(node._ref_v, sample_ms) for node in nodes]
        # Crank-Nicolson: backward Euler's phase lag would read as conductance
        with fixed_step(h, dt_ms, secondorder=2):
            h.finitialize(initial_voltage(ref) * 1e3)
            advance_to(h, start + window_ms, told)
        first = int(round(start / sample_ms))
        count = int(round(window_ms / sample_ms))
        voltages = np.array([np.asarray(r)[first:first + count] for r in records])
        del electrode, played, clock, records
    t = np.arange(count) * sample_ms / 1e3
    out = {}
    for f in frequencies:
        # the input is amplitude * sin(w t) = Im(amplitude * e^{iwt}): the response phasor is
        # the Fourier coefficient against e^{-iwt} that makes it amplitude * Im(Z e^{iwt})
        coefficient = voltages @ np.exp(-2j * np.pi * f * t) * 2 / count
        out[f] = coefficient * 1j / amplitude_na
    return out

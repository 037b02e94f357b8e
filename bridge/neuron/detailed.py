"""Morphologically detailed references (``bridge.references``) built and run in NEURON:
the ball-and-stick and any SWC file (through Import3d), with passive membranes and
d_lambda segments. Returns the same :class:`~bridge.traces.SimulationResult` as
``bridge.simulate``, one column per recording site."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import UnknownNameError
from ..references import BallAndStick, SWCReference, d_lambda_segments
from ..stimuli import Step
from ..traces import SimulationResult
from .session import hoc

#: Recording sites every reference has: the soma's centre and the dendritic point
#: farthest from it along the tree (a sealed end, where attenuation is flat).
SITES = ("soma", "tip")


def _set_passive(sec, ref) -> None:
    sec.insert("pas")
    sec.cm = ref.cm * 100            # F/m2 -> uF/cm2
    sec.Ra = ref.r_axial * 100       # ohm*m -> ohm*cm
    for seg in sec:
        seg.pas.g = ref.gl * 1e-4    # S/m2 -> S/cm2
        seg.pas.e = ref.v_rest * 1e3


def _ball_and_stick(h, ref: BallAndStick) -> tuple[list, object]:
    soma = h.Section(name="soma")
    soma.L = soma.diam = ref.soma_diameter * 1e6
    dend = h.Section(name="dend")
    dend.L, dend.diam = ref.length * 1e6, ref.diameter * 1e6
    dend.nseg = ref.segments()
    dend.connect(soma(0.5), 0)
    return [soma, dend], soma


def _swc(h, ref: SWCReference) -> tuple[list, object]:
    h.load_file("import3d.hoc")
    before = {s.name() for s in h.allsec()}
    reader = h.Import3d_SWC_read()
    reader.quiet = 1
    reader.input(str(ref.path))
    h.Import3d_GUI(reader, False).instantiate(None)
    sections = [s for s in h.allsec() if s.name() not in before]
    for sec in sections:
        sec.nseg = d_lambda_segments(sec.L * 1e-6, sec.diam * 1e-6, ref.r_axial, ref.cm, ref.d_lambda)
    soma = next(s for s in sections if s.name().startswith("soma"))
    return sections, soma


def _tip(h, sections, soma):
    h.distance(0, soma(0.5))
    return max((seg for sec in sections for seg in sec), key=lambda seg: h.distance(seg))


def run_reference(ref, stimuli, duration: float, dt: float, record=SITES) -> SimulationResult:
    """Simulate ``ref`` (a BallAndStick or SWCReference) for ``duration`` (s) at ``dt``
    (s, Crank-Nicolson) with current steps at its sites; record the sites' voltages."""
    h = hoc()
    build = _ball_and_stick if isinstance(ref, BallAndStick) else _swc
    saved = (h.dt, h.secondorder, h.CVode().active())
    sections, soma = build(h, ref)
    try:
        for sec in sections:
            _set_passive(sec, ref)
        sites = {"soma": soma(0.5), "tip": _tip(h, sections, soma)}
        for name in list(record) + [s.compartment for s in stimuli]:
            if name not in sites:
                raise UnknownNameError(f"no site {name!r}", obj=f"reference {ref.name}", param="site",
                                       expected=", ".join(sites))
        clamps = []
        for stim in stimuli:
            if not isinstance(stim, Step):
                raise UnknownNameError("detailed references take current steps only", obj=f"reference {ref.name}",
                                       param="stimuli", expected="bridge.Step")
            clamp = h.IClamp(sites[stim.compartment])
            clamp.delay, clamp.dur, clamp.amp = stim.start * 1e3, (stim.stop - stim.start) * 1e3, stim.amplitude * 1e9
            clamps.append(clamp)
        vectors = {name: h.Vector().record(sites[name]._ref_v) for name in record}
        h.dt, h.secondorder = dt * 1e3, 2
        h.CVode().active(0)
        h.finitialize(ref.v_rest * 1e3)
        h.continuerun(duration * 1e3)
        steps = int(round(duration / dt))
        data = {name: np.array(vectors[name].to_python())[:steps] for name in record}
        tip_distance = h.distance(sites["tip"]) * 1e-6
        segments = sum(sec.nseg for sec in sections)
    finally:
        for sec in sections:
            h.delete_section(sec=sec)
        h.dt, h.secondorder = saved[0], saved[1]
        h.CVode().active(saved[2])
    index = pd.Index(np.arange(steps) * dt * 1e3, name="time (ms)")
    return SimulationResult(pd.DataFrame(data, index=index), np.array([]),
                            {"simulator": "neuron", "reference": ref.name, "dt_ms": dt * 1e3,
                             "segments": segments, "tip_distance_m": tip_distance})

"""Running an :class:`~bridge.model.EquationModel` in NEURON or CoreNEURON: one section
whose capacitance the generated point process uses (``cap``), a step played into the
model's input parameter, incoming spikes as events into the point process, the membrane
recorded with the reset correction (``v + v_offset``)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from ..mechanisms import Source
from ..stimuli import Poisson, SpikeTrain, Step
from ..traces import SimulationResult
from .nmodl_printer import nmodl_text
from .run import integrator, solve
from .separate_process import run_separately
from .session import coreneuron_here, hoc, load_mechanisms

#: The section of a model without a capacitance or an area of its own: 10 um long, 10 um
#: across, 1 uF/cm2 (the dynamics do not depend on it: the point process carries the whole
#: membrane equation, scaled by ``cap``).
SECTION_UM = 10.0
#: The specific capacitance of a section whose area bridge chooses (uF/cm2).
CM_UF_CM2 = 1.0


def section_geometry(model) -> tuple[float, float]:
    """``(length = diameter in um, cm in uF/cm2)`` of the model's section (a cylinder
    without ends, as NEURON measures ``area``): the model's ``area`` if given, else the
    area that gives its own capacitance at 1 uF/cm2, else 10 um x 10 um; the specific
    capacitance then makes the section's capacitance the model's (``cap``, nF = area x
    cm), so that NEURON's membrane current is the model's own."""
    if model.area is not None:
        area_um2 = model.area * 1e12
    elif model.capacitance is not None:
        area_um2 = model.capacitance / (CM_UF_CM2 * 1e-2) * 1e12   # 1 uF/cm2 = 1e-2 F/m2
    else:
        return SECTION_UM, CM_UF_CM2
    length = math.sqrt(area_um2 / math.pi)
    cm = CM_UF_CM2 if model.capacitance is None else model.capacitance / (area_um2 * 1e-12) * 1e2
    return length, cm


def mechanism_with_source(model):
    """The model's mechanism with its printed NMODL as source, ready to compile."""
    mech = model.mechanism
    text = nmodl_text(mech, header=f"Brian 2 model {model.name} (bridge.from_brian2).")
    return replace(mech, source=Source(text, path=f"{mech.name}.mod"))


def run(model, stimuli, duration: float, dt: float, *, seed=None, coreneuron: bool = False) -> SimulationResult:
    """Simulate ``model`` for ``duration`` (s) at step ``dt`` (s) in NEURON (CoreNEURON)."""
    step_stims = [s for s in stimuli if isinstance(s, Step)]
    events = sorted(t * 1e3 for s in stimuli if isinstance(s, (SpikeTrain, Poisson)) for t in s.spike_times(duration))
    mech = mechanism_with_source(model)   # the stimuli were checked by bridge.simulate.check_stimuli
    h = hoc()
    load_mechanisms([mech])
    if coreneuron and not coreneuron_here():
        return run_separately("bridge.neuron.equation_run:run", model, stimuli, duration, dt, seed=seed,
                              coreneuron=True)
    dt_ms, duration_ms = dt * 1e3, duration * 1e3
    steps = int(round(duration / dt))
    section = h.Section(name=f"{model.name}_{model.compartment}")
    section.L, section.cm = section_geometry(model)
    section.diam = section.L
    pp = getattr(h, mech.name)(section(0.5))
    pp.cap = section(0.5).area() * section.cm * 1e-5          # um2 * uF/cm2 -> nF
    pp.clamp_duration = dt_ms
    for index, stream in enumerate(mech.randoms):
        getattr(pp, stream).set_ids(0 if seed is None else int(seed), 0, index)
    keep = [section, pp]
    if step_stims:
        # a piecewise-constant current with its jumps on the step grid, played continuously
        # (what CoreNEURON can take): NEURON reads it at mid-step, so each step sees the
        # value Brian 2's run_regularly sets at the step's start
        scale = mech.variable(model.input).unit.scale   # SI per unit of the input's NMODL declaration
        windows = [(round(s.start / dt) * dt_ms, round(s.stop / dt) * dt_ms, s.amplitude / scale) for s in step_stims]
        level = lambda t: sum(a for on, off, a in windows if on <= t < off)  # noqa: E731
        points, values = [], []
        for edge in sorted({0.0, duration_ms, *(w[0] for w in windows), *(w[1] for w in windows)}):
            points += [edge, edge]
            values += [level(edge - 1e-9), level(edge)]
        times, vector = h.Vector(points), h.Vector(values)
        vector.play(getattr(pp, f"_ref_{model.input}"), times, 1)
        keep += [times, vector]
    if events:
        source = h.NetCon(None, pp)
        keep += [source, h.FInitializeHandler(lambda: [source.event(t) for t in events])]
    v = h.Vector().record(section(0.5)._ref_v)
    offset = h.Vector().record(pp._ref_v_offset)
    spike_t, spike_id = h.Vector(), h.Vector()
    pc = h.ParallelContext()
    pc.gid_clear()
    pc.set_gid2node(0, pc.id())
    pc.cell(0, h.NetCon(pp, None))
    pc.spike_record(0, spike_t, spike_id)
    with integrator(h, dt_ms, 2, False, 0.0, coreneuron, False):
        elapsed = solve(h, pc, duration_ms, model.name, v_init=v_init(model))
    trace = (np.array(v) + np.array(offset))[:steps]
    spikes = np.array(spike_t.to_python(), dtype=float)
    traces = pd.DataFrame({model.compartment: trace}, index=pd.Index(np.arange(steps) * dt_ms, name="time (ms)"))
    return SimulationResult(traces, spikes[spikes < duration_ms], {
        "simulator": "coreneuron" if coreneuron else "neuron", "dt_ms": dt_ms, "n": 1, "run_seconds": elapsed})


def v_init(model) -> float:
    """The membrane's initial value (mV; a dimensionless membrane as it is): from the
    model's initial values, else 0 (Brian 2's default)."""
    for name, value, dim in model.initial:
        if name == model.voltage:
            return value if dim.dimensionless else value * 1e3
    return 0.0

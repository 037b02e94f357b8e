"""A voltage clamp in NEURON: one compartment of a model held at a command voltage by an
SEClamp, and the total current of the compartment's channels recorded.

Used by :mod:`bridge.assess.mechanism_check` to compare a converted mechanism's current
in NEURON (its own NMODL file) and in Brian 2 (its converted equations) at the same
voltages.
"""

from __future__ import annotations

import numpy as np

from ..errors import SimulationError, UnsupportedFeatureError
from ..model import ReducedModel
from .emit import load_cell_class
from .plan import plan_cell
from .run import METHODS, integrator
from .session import hoc, load_mechanisms

#: SEClamp series resistance (MOhm): small enough that the voltage error (i * rs) stays
#: below 0.01 mV for currents up to 10 nA.
SERIES_RESISTANCE = 1e-3


def _current_references(seg, comp) -> list:
    """References to the channel currents of ``comp``'s segment: each ion current once
    (the ion's total, i.e. the sum over the compartment's mechanisms that write it) and each
    nonspecific current of each mechanism (``ihcn_Ih``), all in mA/cm2, outward positive."""
    refs, seen = [], set()
    for ch in comp.channels:
        if ch.mechanism.kind != "density":
            raise UnsupportedFeatureError(f"{ch.name} is a point process", obj=f"compartment {comp.name}",
                                          param="channels", expected="density mechanisms")
        for cur in ch.mechanism.currents:
            name = cur.variable if cur.ion is not None else f"{cur.variable}_{ch.name}"
            if name not in seen:
                seen.add(name)
                refs.append(getattr(seg, f"_ref_{name}"))
    return refs


def clamp_currents(model: ReducedModel, command_mv, dt: float, *, compartment: str | None = None,
                   method: str = "crank_nicolson", rs: float = SERIES_RESISTANCE) -> dict:
    """Clamp ``compartment`` (default: the soma) of ``model`` to ``command_mv[k]`` (mV)
    during step ``k`` (of ``dt`` seconds) and record, at ``t = k*dt``, its voltage (mV) and
    the total current of its channels (nA, outward positive; the leak is not included).

    The cell starts at the compartment's ``v_rest`` (its channels' states in steady state
    there); give the model a ``v_rest`` equal to the first command. Returns
    ``{"t": ms, "v": mV, "i": nA}`` as arrays of ``len(command_mv)`` samples.
    """
    if method not in METHODS:
        raise UnsupportedFeatureError(f"unknown NEURON method {method!r}", obj="clamp", param="method",
                                      expected=", ".join(METHODS))
    command = np.asarray(command_mv, dtype=float)
    h = hoc()
    plan = plan_cell(model)
    load_mechanisms(plan.mechanisms)
    cell_class = load_cell_class(plan)
    comp = model.compartment(compartment) if compartment else model.soma
    dt_ms, steps = dt * 1e3, len(command)
    with integrator(h, dt_ms, METHODS[method], False, 1e-4, False, False):
        cell = cell_class(gid=0)
        cell.set_integrator(dt_ms, method)
        sec = cell.sections[comp.name]
        seg = sec(0.5)
        clamp = h.SEClamp(seg)
        clamp.rs, clamp.dur1, clamp.amp1 = rs, 1e9, float(command[0])
        # amp1 takes command[k] at t = k*dt, so step k (t_k to t_k+1) is clamped to it.
        played = h.Vector(command)
        played.play(clamp._ref_amp1, dt_ms)
        refs = _current_references(seg, comp)
        v_rec = h.Vector().record(seg._ref_v)
        i_recs = [h.Vector().record(ref) for ref in refs]
        handler = h.FInitializeHandler(0, cell.initialize_voltages)
        try:
            h.finitialize()
            h.continuerun((steps - 1) * dt_ms + dt_ms / 2)
        except Exception as exc:
            raise SimulationError(f"NEURON failed: {exc}".replace("\n", " "), obj=f"model {model.name}",
                                  param="clamp") from exc
        area_cm2 = seg.area() * 1e-8
        v = np.array(v_rec.to_python())[:steps]
        density = np.sum([np.array(r.to_python())[:steps] for r in i_recs], axis=0) if i_recs else np.zeros(steps)
        del handler, clamp, played, cell
    # mA/cm2 * cm2 = mA -> nA
    return {"t": np.arange(steps) * dt_ms, "v": v, "i": density * area_cm2 * 1e6}

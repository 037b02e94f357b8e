"""Running a model in NEURON or CoreNEURON with bridge's stimuli; returns a
:class:`~bridge.traces.SimulationResult` on the same time grid as Brian 2."""

from __future__ import annotations

import contextlib
import time

import numpy as np
import pandas as pd

from ..errors import SimulationError, UnsupportedFeatureError
from ..model import ReducedModel
from ..stimuli import EPSCurrent, Poisson, Sine, SpikeTrain, Step
from ..traces import SimulationResult
from .emit import load_cell_class
from .plan import plan_cell
from .separate_process import run_separately
from .network_runtime import clamp, play_events, register
from .session import coreneuron_here, hoc, load_mechanisms

#: CVode's absolute tolerance when ``cvode=True`` and none is given.
DEFAULT_ATOL = 1e-4
#: Fixed-step methods by name, as NEURON's ``secondorder``.
METHODS = {"crank_nicolson": 2, "backward_euler": 0}
DEFAULT_METHOD = "crank_nicolson"


@contextlib.contextmanager
def integrator(h, dt_ms: float, secondorder: int, variable_step: bool, atol: float, coreneuron: bool, gpu: bool):
    """Configure NEURON's integrator (and CoreNEURON) for one run, then restore it."""
    from neuron import coreneuron as core
    cvode = h.CVode()
    saved = (h.dt, h.secondorder, cvode.active(), cvode.atol(), core.enable, core.gpu, core.verbose)
    h.dt, h.secondorder = dt_ms, secondorder
    cvode.active(1 if variable_step else 0)
    if variable_step:
        cvode.atol(atol)
    cvode.cache_efficient(1 if coreneuron else 0)
    core.enable, core.gpu, core.verbose = coreneuron, gpu, 0
    try:
        yield
    finally:
        h.dt, h.secondorder = saved[0], saved[1]
        cvode.active(saved[2])
        cvode.atol(saved[3])
        core.enable, core.gpu, core.verbose = saved[4], saved[5], saved[6]
        cvode.cache_efficient(0)


@contextlib.contextmanager
def _restored(h, names: list[str]):
    """Put NEURON globals the cells set (celsius, GLOBAL parameters, usetable_<suffix>)
    back after the run, so one model's settings do not leak into the next."""
    saved = {name: getattr(h, name) for name in names if hasattr(h, name)}
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(h, name, value)


def _grid_times(times: np.ndarray, dt_ms: float, variable_step: bool) -> np.ndarray:
    # Brian 2 delivers generator spikes on its time grid; so does a fixed-step run here.
    return times if variable_step else np.round(times / dt_ms) * dt_ms


#: Delay of input events (in time steps). ParallelContext needs delays above one step
#: (CoreNEURON: at least two), so inputs are played one step early with a delay of two:
#: they reach the synapse one step after their time, where Brian 2 applies them too.
INPUT_DELAY_STEPS = 2


def _play_inputs(h, pc, cells, trains, duration: float, dt_ms: float, variable_step: bool) -> list:
    """Spike trains into synapses through one PatternStim (it runs in NEURON and CoreNEURON):
    train k fires as the virtual gid ``len(cells) + k`` into every cell."""
    gids, times, targets = [], [], {}
    for k, stim in enumerate(trains):
        gid = len(cells) + k
        times.append(_grid_times(stim.spike_times(duration) * 1e3, dt_ms, variable_step))
        gids.append(np.full(len(times[-1]), gid))
        key = (stim.compartment, stim.synapse)
        targets[gid] = [(cell.synapses[key] if key in cell.synapses else cell.point_processes[key], stim.weight)
                        for cell in cells]
    events = (np.concatenate(gids), np.concatenate(times)) if trains else ([], [])
    return play_events(h, pc, events, targets, dt_ms, INPUT_DELAY_STEPS)


def _attach_steps(h, cells, steps) -> list:
    """An IClamp per current step and cell (every cell receives the same stimuli)."""
    return [clamp(h, cell.sections[stim.compartment](0.5), stim.start * 1e3, stim.stop * 1e3, stim.amplitude * 1e9)
            for stim in steps for cell in cells]


def _attach_played(h, cells, currents, dt_ms: float) -> list:
    """An IClamp per time-varying current (Sine, EPSCurrent) and cell, its ``amp`` played
    continuously (what CoreNEURON can take) through the current's values at the midpoints of
    the time steps: a fixed step reads it there, so each step holds the value Brian 2 gives
    it. The IClamp's delay and duration gate it, as they do a Step."""
    keep = []
    for stim in currents:
        for cell in cells:
            clamp = h.IClamp(cell.sections[stim.compartment](0.5))
            keep += [clamp, *play_current(h, clamp, stim, dt_ms)]
    return keep


def play_current(h, clamp, stim, dt_ms: float) -> list:
    """Gate ``clamp`` (an IClamp) to ``stim``'s span and play its amplitude continuously through
    the current's values (nA) at the midpoints of the time steps of ``dt_ms``; returns the
    played vectors, which must outlive the run."""
    first, last = int(np.floor(stim.start * 1e3 / dt_ms)), int(np.ceil(stim.stop * 1e3 / dt_ms))
    t_ms = (np.arange(first - 1, last + 1) + 0.5) * dt_ms
    clamp.delay, clamp.dur = stim.start * 1e3, (stim.stop - stim.start) * 1e3
    times, values = h.Vector(t_ms), h.Vector(stim.current(t_ms * 1e-3) * 1e9)   # a vector plays into one variable
    values.play(clamp._ref_amp, times, 1)
    return [times, values]


def solve(h, pc, duration_ms: float, model_name: str, *, v_init: float | None = None, progress: bool = False
          ) -> float:
    """Initialise (at ``v_init`` mV if given) and run to ``duration_ms``; NEURON's errors
    become a SimulationError; the cells' gids are released. Returns the seconds taken."""
    started = time.perf_counter()
    try:
        pc.set_maxstep(10)
        h.finitialize() if v_init is None else h.finitialize(v_init)
        _advance(pc, duration_ms, progress)
    except Exception as exc:
        raise SimulationError(f"NEURON failed: {exc}".replace("\n", " "), obj=f"model {model_name}",
                              param="simulate") from exc
    finally:
        pc.gid_clear()
    return time.perf_counter() - started


def _advance(pc, duration_ms: float, progress: bool, chunks: int = 50) -> None:
    """Run to ``duration_ms``, drawing a progress bar on stderr when asked (CoreNEURON
    runs in one piece: each psolve would copy the model again)."""
    if not progress:
        pc.psolve(duration_ms)
        return
    import sys
    started = time.perf_counter()
    for k in range(1, chunks + 1):
        pc.psolve(duration_ms * k / chunks)
        done = int(30 * k / chunks)
        sys.stderr.write(f"\rNEURON [{'#' * done}{'.' * (30 - done)}] {duration_ms * k / chunks:9.1f} ms "
                         f"{time.perf_counter() - started:6.1f} s")
    sys.stderr.write("\n")


def run(model: ReducedModel, stimuli, duration: float, dt: float, record: list[str], *, seed=None, n: int = 1,
        coreneuron: bool = False, gpu: bool = False, cvode: bool = False, atol: float | None = None,
        method: str | None = None, progress: bool = False) -> SimulationResult:
    """Simulate ``n`` cells of ``model`` for ``duration`` (s) at step ``dt`` (s).

    ``record`` names compartments (their voltages, mV) and variables of the model's own
    equations (``add_equations``: ``Ca_dend``, in bridge's coherent NEURON units).
    ``method`` is the fixed-step method: ``crank_nicolson`` (default; second order, the
    closest to Brian 2's ``rk4``) or ``backward_euler`` (NEURON's own default). With
    ``cvode`` the voltages are sampled on the same grid (every ``dt``). Traces and spikes
    are the first cell's.
    """
    method = method or DEFAULT_METHOD
    if method not in METHODS:
        raise UnsupportedFeatureError(f"unknown NEURON method {method!r}", obj="simulate", param="method",
                                      expected=", ".join(METHODS))
    if cvode and coreneuron:
        raise UnsupportedFeatureError("CoreNEURON has no variable-step integrator", obj="simulate", param="cvode",
                                      expected="cvode=False with simulator='coreneuron'")
    if cvode and any(c.noise is not None for c in model.compartments):
        raise UnsupportedFeatureError("noise is updated once per fixed time step", obj="simulate", param="cvode",
                                      expected="cvode=False for a model with noise")
    h = hoc()
    if gpu and "CORENRN_ENABLE_GPU=ON" not in h.nrnversion(6):
        # checked here: CoreNEURON would end the whole process
        raise UnsupportedFeatureError("this NEURON was built without CoreNEURON GPU support", obj="simulate",
                                      param="gpu", expected="a NEURON built with CORENRN_ENABLE_GPU=ON",
                                      hint="see docs/neuron.md, 'CoreNEURON on a GPU'")
    plan = plan_cell(model)
    model.check_recordable(record, f"model {model.name}",
                           extra=[name for name, *_ in plan.variables])   # what replace_equations adds too
    load_mechanisms(plan.mechanisms)
    if coreneuron and not coreneuron_here():
        return run_separately("bridge.neuron.run:run", model, stimuli, duration, dt, record, seed=seed, n=n,
                              coreneuron=True, gpu=gpu, method=method)
    cell_class = load_cell_class(plan)
    dt_ms, duration_ms = dt * 1e3, duration * 1e3
    steps = int(round(duration / dt))
    sample_ms = np.arange(steps) * dt_ms
    pc = h.ParallelContext()
    pc.gid_clear()
    keep = []  # every NEURON object of this run, released at the end
    with integrator(h, dt_ms, METHODS[method], cvode, atol or DEFAULT_ATOL, coreneuron, gpu), \
            _restored(h, [name for name, _ in plan.globals]):
        cells = [cell_class(gid=i, seed=0 if seed is None else int(seed)) for i in range(n)]
        for cell in cells:
            cell.set_integrator(dt_ms, "cvode" if cvode else method)
        keep += register(h, pc, cells)
        spike_t, spike_id = h.Vector(), h.Vector()
        pc.spike_record(0, spike_t, spike_id)
        keep += _attach_steps(h, cells, [s for s in stimuli if isinstance(s, Step)])
        keep += _attach_played(h, cells, [s for s in stimuli if isinstance(s, (Sine, EPSCurrent))], dt_ms)
        keep += _play_inputs(h, pc, cells, [s for s in stimuli if isinstance(s, (SpikeTrain, Poisson))],
                             duration, dt_ms, cvode)
        times = h.Vector(sample_ms) if cvode else None
        recordings = {c: cells[0].record(c, times) for c in record}
        keep.append(times)
        keep.append(h.FInitializeHandler(0, lambda: [cell.initialize_voltages() for cell in cells]))
        elapsed = solve(h, pc, duration_ms, model.name, progress=progress and not coreneuron)
        data = {c: np.array(recordings[c].values())[:steps] for c in record}
        spikes = np.array(spike_t.to_python())[np.array(spike_id.to_python()) == 0]
    traces = pd.DataFrame(data, index=pd.Index(sample_ms, name="time (ms)"))
    simulator = "coreneuron" if coreneuron else "neuron"
    return SimulationResult(traces, spikes[spikes < duration_ms], {
        "simulator": simulator, "dt_ms": dt_ms, "n": n, "method": "cvode" if cvode else method, "gpu": gpu,
        "run_seconds": elapsed})

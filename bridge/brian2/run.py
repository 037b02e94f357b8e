"""Running a model in Brian 2 with bridge's stimuli; returns a :class:`SimulationResult`."""

from __future__ import annotations

import contextlib
import tempfile
import time

import numpy as np
import pandas as pd

from ..errors import SimulationError
from ..model import ReducedModel
from ..stimuli import EPSCurrent, Poisson, Sine, SpikeTrain, Step
from ..traces import SimulationResult
from ..units import unit_code
from .channels import net_receive_code
from .equations import suffix, synapse_variable, voltage_name
from .functions import FUNCTIONS
from .group import make_neurongroup

TARGETS = ("numpy", "cython", "cpp_standalone")


@contextlib.contextmanager
def brian2_target(target: str):
    """Select the code-generation target (or standalone device) for one run, then restore it."""
    from brian2 import device, prefs, set_device
    from brian2.devices.device import reset_device
    if target not in TARGETS:
        raise SimulationError(f"unknown Brian 2 target {target!r}", obj="simulate", param="target",
                              expected=", ".join(TARGETS))
    saved = prefs.codegen.target
    if target == "cpp_standalone":
        with tempfile.TemporaryDirectory(prefix="bridge-standalone-") as directory:
            set_device("cpp_standalone", directory=directory, build_on_run=True)
            try:
                yield
            finally:
                device.reinit()     # the standalone device, so that it can build again
                reset_device()
        return
    prefs.codegen.target = target
    try:
        yield
    finally:
        prefs.codegen.target = saved


def step_term(st: Step, dt: float) -> str:
    """A current step as Brian 2 code: its amplitude during the time steps it covers."""
    on, off = int(round(st.start / dt)), int(round(st.stop / dt))
    return f"({st.amplitude!r}*{unit_code(st.dimension)}) * int(t_in_timesteps >= {on} and t_in_timesteps < {off})"


def sine_term(st: Sine, dt: float) -> str:
    """A sinusoidal current as Brian 2 code: during the time steps it covers, its value at
    each step's midpoint (where NEURON's fixed step reads a played current), held over the step."""
    on, off = int(round(st.start / dt)), int(round(st.stop / dt))
    phase = f"{st.omega!r} * ((t_in_timesteps + 0.5) * {dt!r} - {st.start!r})"
    return (f"({st.amplitude!r}*{unit_code(st.dimension)}) * sin({phase}) "
            f"* int(t_in_timesteps >= {on} and t_in_timesteps < {off})")


def epsc_term(st: EPSCurrent, dt: float) -> str:
    """An EPSP-shaped current as Brian 2 code: its value at each step's midpoint, held over
    the step (as a Sine's), during the time steps it covers."""
    on, off = int(round(st.start / dt)), int(round(st.stop / dt))
    # clipped at 0: before the start the exponentials would overflow (and inf * 0 is NaN)
    since = f"clip((t_in_timesteps + 0.5) * {dt!r} - {st.start!r}, 0, {st.stop - st.start!r})"
    return (f"({st.amplitude * st.peak_factor!r}*{unit_code(st.dimension)}) * (exp(-{since} / {st.tau_decay!r}) "
            f"- exp(-{since} / {st.tau_rise!r})) * int(t_in_timesteps >= {on} and t_in_timesteps < {off})")


#: The Brian 2 code of each current stimulus.
CURRENT_TERMS = {Step: step_term, Sine: sine_term, EPSCurrent: epsc_term}


def step_code(model: ReducedModel, steps: list[Step | Sine | EPSCurrent], dt: float) -> dict[str, str]:
    """Code setting each stimulated ``I_ext`` at the start of every step, by compartment."""
    by_var: dict[str, list[str]] = {}
    for st in steps:
        term = CURRENT_TERMS[type(st)](st, dt)
        by_var.setdefault("I_ext" + voltage_name(model, st.compartment)[1:], []).append(term)
    return {var: f"{var} = {' + '.join(terms)}" for var, terms in by_var.items()}


def _recorded_scales(model: ReducedModel, names: list[str]) -> dict[str, float]:
    """SI per recorded unit of each of ``names``: mV for a compartment's voltage, the
    coherent NEURON unit of a user variable (what NEURON's recording of it holds)."""
    from .coherent_units import coherent_unit
    from .replace_terms import recordable_model
    variables = recordable_model(model).user_variables if set(names) - set(model.compartment_names) else {}
    return {name: 1e-3 if name in model.compartment_names
            else coherent_unit(variables[name].dimension, f"recording {name}").scale   # replacements' too
            for name in names}


def _generator_indices(times: np.ndarray, dt: float) -> np.ndarray:
    # SpikeGeneratorGroup forbids two events of one source in one time step: spread
    # coincident events over extra sources (their effects add up, as they would).
    bins = np.round(times / dt).astype(np.int64)
    indices = np.zeros(len(bins), dtype=int)
    seen: dict[int, int] = {}
    for k, b in enumerate(bins):
        indices[k] = seen.get(b, 0)
        seen[b] = indices[k] + 1
    return indices


#: The synaptic variables that carry an input event's weight, and which of several synapses
#: it drives.
WEIGHT, TARGET = "bridge_weight", "bridge_target"


def _drives_point_process(model: ReducedModel, compartment: str, synapse: str) -> bool:
    comp = model.compartment(compartment)
    return comp.input_target(synapse) in comp.point_processes


def _on_pre(model: ReducedModel, targets: list) -> str:
    """What one input event does to its target, one of ``targets`` ((compartment, synapse)
    pairs; with several, ``TARGET`` says which): add its weight (``WEIGHT``) to a synapse's
    gating variable, or run a point process's NET_RECEIVE statements with that weight."""
    if len(targets) == 1 and _drives_point_process(model, *targets[0]):
        comp = model.compartment(targets[0][0])
        return net_receive_code(model, comp, targets[0][1], WEIGHT, suffix(model, comp))
    if len(targets) == 1:
        return f"{synapse_variable(model, *targets[0])} += {WEIGHT}"
    return "\n".join(f"{synapse_variable(model, *target)} += {WEIGHT} * int({TARGET} == {k})"
                     for k, target in enumerate(targets))


def _inputs(model: ReducedModel, group, trains, duration: float, dtq, n: int) -> list:
    """Spike trains (SpikeTrain, Poisson) into the synapses of ``n`` cells, as one
    SpikeGeneratorGroup with a source per event and one Synapses whose synapses from event
    k carry its train's weight and target, for all the synapses the trains drive (one per
    point process, whose NET_RECEIVE code is its own): a thousand trains into thirty
    synapses are two objects, not two thousand (Brian 2 spends seconds on each Synapses
    of a model with many subexpressions)."""
    import brian2 as b
    from brian2.units import second
    by_target: dict = {}
    for stim in trains:
        times = stim.spike_times(duration)
        if len(times):
            by_target.setdefault((stim.compartment, stim.synapse), []).append((times, stim.weight))
    plain = [key for key in by_target if not _drives_point_process(model, *key)]
    objects = []
    for k, targets in enumerate(([plain] if plain else []) + [[key] for key in by_target if key not in plain]):
        parts = [(times, weight, index) for index, key in enumerate(targets) for times, weight in by_target[key]]
        times = np.concatenate([t for t, _, _ in parts])
        events = np.arange(len(times))
        source = b.SpikeGeneratorGroup(len(times), events, times * second, dt=dtq, name=f"bridge_events_{k}")
        variables = f"{WEIGHT} : 1" + (f"\n{TARGET} : integer (constant)" if len(targets) > 1 else "")
        syn = b.Synapses(source, group, model=variables, on_pre=_on_pre(model, targets), dt=dtq,
                         name=f"bridge_input_{k}", namespace=dict(FUNCTIONS))
        syn.connect(i=np.repeat(events, n), j=np.tile(np.arange(n), len(times)))
        setattr(syn, WEIGHT, np.repeat(np.concatenate([np.full(len(t), w) for t, w, _ in parts]), n))
        if len(targets) > 1:
            setattr(syn, TARGET, np.repeat(np.concatenate([np.full(len(t), i) for t, _, i in parts]), n))
        objects += [source, syn]
    return objects


def run(model: ReducedModel, stimuli, duration: float, dt: float, record: list[str], *, seed=None, n: int = 1,
        target: str = "numpy", progress: bool = False, method: str = "euler", spiking: dict | None = None
        ) -> SimulationResult:
    """Simulate ``n`` cells of ``model`` for ``duration`` (s) at step ``dt`` (s) in Brian 2."""
    import brian2 as b
    from brian2.units import second

    with brian2_target(target):
        if seed is not None:
            b.seed(seed)
        dtq = dt * second
        made = make_neurongroup(model, n, method=method, dt=dtq, **(spiking or {}))
        group, extra = (made if isinstance(made, tuple) else (made, None))
        objects = [group] + ([extra] if extra is not None else [])
        steps = [s for s in stimuli if isinstance(s, tuple(CURRENT_TERMS))]
        for var, code in step_code(model, steps, dt).items():
            objects.append(group.run_regularly(code, when="start", order=-1, name=f"bridge_step_{var}"))
        objects += _inputs(model, group, [s for s in stimuli if isinstance(s, (SpikeTrain, Poisson))], duration,
                           dtq, n)
        variables = [voltage_name(model, c) if c in model.compartment_names else c for c in record]
        state = b.StateMonitor(group, variables, record=0, dt=dtq)
        spikes = b.SpikeMonitor(group, record=True) if group.events.get("spike") else None
        objects += [state] + ([spikes] if spikes is not None else [])
        net = b.Network(*objects)
        started = time.perf_counter()
        try:
            net.run(duration * second, report="text" if progress else None)
        except Exception as exc:
            raise SimulationError(f"Brian 2 failed: {exc}".replace("\n", " "), obj=f"model {model.name}",
                                  param="simulate") from exc
        elapsed = time.perf_counter() - started
        # the standalone binary's own clock: the simulation without code generation and compilation
        simulated = getattr(b.get_device(), "_last_run_time", elapsed) if target == "cpp_standalone" else elapsed
        t_ms = np.asarray(state.t / b.ms)
        scales = _recorded_scales(model, record)
        data = {c: np.asarray(getattr(state, v)[0]) / scales[c] for c, v in zip(record, variables)}
        spike_ms = np.array([]) if spikes is None else np.asarray(spikes.t[spikes.i == 0] / b.ms)
    traces = pd.DataFrame(data, index=pd.Index(t_ms, name="time (ms)"))
    return SimulationResult(traces, spike_ms, {"simulator": "brian2", "target": target, "dt_ms": dt * 1e3,
                                               "n": n, "run_seconds": elapsed,
                                               "simulation_seconds": simulated})

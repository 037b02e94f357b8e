"""A drawn network in Brian 2: one NeuronGroup per population (bridge's own group of its
model), one Synapses per projection with per-connection weight and delay, one
SpikeGeneratorGroup per input. Every object runs on Brian 2's default clock (what
Brian2CUDA needs: ``target="cuda_standalone"`` runs on an NVIDIA GPU, :mod:`bridge.brian2.cuda`)."""

from __future__ import annotations

import contextlib
import time

import numpy as np
import pandas as pd

from ..errors import SimulationError
from ..neuron.network_runtime import add_fingerprints, fingerprint
from ..stimuli import Step
from .draw import DrawnNetwork
from .result import NetworkResult, digest, spike_table


def run(drawn: DrawnNetwork, dt: float, target: str = "numpy", method: str | None = None) -> NetworkResult:
    import brian2 as b
    from brian2.units import second

    from ..brian2.equations import synapse_variable, voltage_name
    from ..brian2.group import make_neurongroup
    from ..brian2.methods import default_method
    from ..brian2.run import brian2_target, step_code

    net = drawn.description
    if target == "cuda_standalone":
        from ..brian2.cuda import cuda_device
        device = cuda_device()
    else:
        device = brian2_target(target)
    saved_dt = b.defaultclock.dt
    with device, _restoring_clock(b.defaultclock, saved_dt):
        b.start_scope()
        b.defaultclock.dt = dt * second
        groups, objects, monitors, states = {}, [], {}, []
        for pop in net.populations:
            made = make_neurongroup(pop.model, pop.n, method=method or default_method(pop.model),
                                    name=f"bridge_{pop.name}")
            group, extra = made if isinstance(made, tuple) else (made, None)
            groups[pop.name] = group
            objects += [group] + ([extra] if extra is not None else [])
            steps = [Step(s.compartment, s.amplitude * b.amp, s.start * second, s.stop * second)
                     for s in net.steps if s.population == pop.name]
            for var, code in step_code(pop.model, steps, dt).items():
                objects.append(group.run_regularly(code, when="start", order=-1))
            monitors[pop.name] = b.SpikeMonitor(group)
            objects.append(monitors[pop.name])
        synapses = []
        for k, conn in enumerate(drawn.connections):
            post = net.population(conn.target.population).model
            variable = synapse_variable(post, conn.target.compartment, conn.target.synapse)
            syn = b.Synapses(groups[conn.pre], groups[conn.target.population], model="w : 1",
                             on_pre=f"{variable} += w", name=f"bridge_projection_{k}")
            syn.connect(i=conn.pre_cells, j=conn.post_cells)
            if len(conn.pre_cells):
                syn.w = conn.weights
                syn.delay = conn.delays * second
            objects.append(syn)
            synapses.append((k, syn))
        generators = []
        for k, events in enumerate(drawn.inputs):
            if not len(events.times):
                continue
            post = net.population(events.target.population)
            variable = synapse_variable(post.model, events.target.compartment, events.target.synapse)
            # a generator source may fire once per step: coincident events of one cell use more sources
            repeat = _repeats(events.cells, np.round(events.times / dt).astype(np.int64))
            sources = events.cells + post.n * repeat
            gen = b.SpikeGeneratorGroup(int(sources.max()) + 1, sources, events.times * second,
                                        name=f"bridge_input_{k}")
            syn = b.Synapses(gen, groups[post.name], on_pre=f"{variable} += {events.weight!r}",
                             name=f"bridge_input_synapses_{k}")
            syn.connect(j=f"i % {post.n}")
            objects += [gen, syn]
            generators.append((k, post.n, gen))
        for rec in net.recordings:
            model = net.population(rec.population).model
            variables = [voltage_name(model, c) for c in rec.compartments]
            state = b.StateMonitor(groups[rec.population], variables, record=list(rec.cells))
            states.append((rec, variables, state))
            objects.append(state)
        network = b.Network(*objects)
        started = time.perf_counter()
        try:
            network.run(drawn.duration * second)
        except Exception as exc:
            raise SimulationError(f"Brian 2 failed: {' '.join(str(exc).split())}", obj=f"network {net.name}",
                                  param="simulate_network") from exc
        elapsed = time.perf_counter() - started
        # a standalone binary's own clock: the simulation without code generation and compilation
        standalone = target in ("cpp_standalone", "cuda_standalone")
        simulated = (getattr(b.get_device(), "_last_run_time", None) if standalone else None) or elapsed
        # what this simulator was given, read back from its own objects (after the run: standalone)
        connection_prints, input_prints = [], []
        for k, syn in synapses:
            pre = np.asarray(syn.i[:])
            connection_prints.append(fingerprint(np.full(len(pre), k), pre, syn.j[:], syn.w[:],
                                                 np.round(np.asarray(syn.delay[:] / second) / dt)))
        for k, n, gen in generators:
            sources = np.asarray(gen._neuron_index[:])
            input_prints.append(fingerprint(np.full(len(sources), k), sources % n,
                                            np.round(np.asarray(gen._spike_time[:]) / dt)))
        built, played = add_fingerprints(connection_prints), add_fingerprints(input_prints)
        names, cells, times = [], [], []
        for name, monitor in monitors.items():
            names += [name] * len(monitor.t)
            cells += list(np.asarray(monitor.i))
            times += list(np.asarray(monitor.t / b.ms))
        traces = {}
        for rec, variables, state in states:
            t_ms = np.asarray(state.t / b.ms)
            for row, cell in enumerate(rec.cells):
                traces[(rec.population, cell)] = pd.DataFrame(
                    {c: np.asarray(getattr(state, v)[row] / b.mV) for c, v in zip(rec.compartments, variables)},
                    index=pd.Index(t_ms, name="time (ms)"))
    return NetworkResult(spike_table(names, cells, times), traces,
                         {"simulator": "brian2", "target": target, "dt_ms": dt * 1e3, "ranks": 1,
                          "run_seconds": elapsed, "simulation_seconds": simulated, "connections": built[0],
                          "connectivity_digest": digest(built),
                          "input_events": played[0], "input_digest": digest(played)})


@contextlib.contextmanager
def _restoring_clock(clock, dt):
    """Give Brian 2's default clock its step back after the run (the user's own objects use it)."""
    try:
        yield
    finally:
        clock.dt = dt


def _repeats(cells: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """For each event, how many earlier events the same cell has in the same step. Drawn
    input comes sorted by step, then cell (``InputEvents``), so one cell's events in one
    step are neighbours and counting them is one pass in C (a Python loop took 24 s over the
    20 million events of 100,000 cells); other orders are sorted first, stably."""
    cells, steps = np.asarray(cells, dtype=np.int64), np.asarray(steps, dtype=np.int64)
    in_order = np.all((steps[1:] > steps[:-1]) | ((steps[1:] == steps[:-1]) & (cells[1:] >= cells[:-1])))
    order = None if in_order else np.lexsort((cells, steps))
    if order is not None:
        cells, steps = cells[order], steps[order]
    place = np.arange(len(cells))
    first = np.ones(len(cells), dtype=bool)
    first[1:] = (cells[1:] != cells[:-1]) | (steps[1:] != steps[:-1])
    counted = place - np.maximum.accumulate(np.where(first, place, 0))
    if order is None:
        return counted
    out = np.empty(len(cells), dtype=np.int64)
    out[order] = counted
    return out

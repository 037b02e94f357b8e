"""A drawn network in NEURON (or CoreNEURON): ParallelContext, one gid per cell (global
index over the populations, dealt round-robin over the ranks), NetCons with the drawn
weights and delays, input events played by a PatternStim on each rank.

Timing. A NetCon with the drawn delay delivers the event in the step where Brian 2's
Synapses deliver it (measured: a two-cell chain's postsynaptic voltage agrees within
1e-4 mV). Input events are played as bridge's single-cell runs play them
(:data:`bridge.neuron.run.INPUT_DELAY_STEPS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SimulationError
from ..neuron.emit import load_cell_class
from ..neuron.plan import plan_cell
from ..neuron.run import DEFAULT_METHOD, INPUT_DELAY_STEPS, METHODS, _attach_steps, _register, _restored, integrator, solve
from ..neuron.separate_process import run_separately
from ..neuron.session import coreneuron_here, hoc, load_mechanisms
from ..stimuli import Step
from .draw import DrawnNetwork
from .result import NetworkResult, digest, spike_table

def run(drawn: DrawnNetwork, dt: float, coreneuron: bool = False, method: str | None = None) -> NetworkResult:
    from brian2.units import amp, second
    method = method or DEFAULT_METHOD
    net = drawn.description
    h = hoc()
    pc = h.ParallelContext()
    rank, ranks = int(pc.id()), int(pc.nhost())
    plans = {pop.name: plan_cell(pop.model) for pop in net.populations}
    for plan in plans.values():
        load_mechanisms(plan.mechanisms)
    if coreneuron and not coreneuron_here():
        if ranks > 1:
            raise SimulationError("CoreNEURON cannot load this network's mechanisms in this process",
                                  obj=f"network {net.name}", param="coreneuron",
                                  hint="run the network in fresh processes (bridge network ... --ranks K)")
        return run_separately("bridge.network.run_neuron:run", drawn, dt, coreneuron=True, method=method)
    classes = {name: load_cell_class(plan) for name, plan in plans.items()}
    offsets, dt_ms = net.offsets, dt * 1e3
    pc.gid_clear()
    keep = []
    globals_ = sorted({name for plan in plans.values() for name, _ in plan.globals})
    with integrator(h, dt_ms, METHODS[method], False, 0.0, coreneuron, False), _restored(h, globals_):
        cells = {}
        for pop in net.populations:
            for i in range(pop.n):
                gid = offsets[pop.name] + i
                if gid % ranks == rank:
                    cell = classes[pop.name](gid=gid, seed=0)
                    cell.set_integrator(dt_ms, method)
                    cells[gid] = (pop.name, i, cell)
        keep += _register(h, pc, [c for *_, c in cells.values()])
        built = []   # what NEURON was given, read back from its NetCons, for the digests in info
        for k, conn in enumerate(drawn.connections):
            post0, pre0 = offsets[conn.target.population], offsets[conn.pre]
            key = (conn.target.compartment, conn.target.synapse)
            for pre, post, weight, delay in zip(conn.pre_cells, conn.post_cells, conn.weights, conn.delays):
                if post0 + post in cells:
                    netcon = pc.gid_connect(int(pre0 + pre), cells[post0 + post][2].synapses[key])
                    netcon.weight[0] = float(weight)
                    netcon.delay = float(delay) * 1e3
                    keep.append(netcon)
                    built.append((k, int(netcon.srcgid()) - pre0, post, netcon.weight[0], round(netcon.delay / dt_ms)))
        played = []
        keep += _play(h, pc, drawn, cells, dt_ms, played)
        for pop in net.populations:
            steps = [Step(s.compartment, s.amplitude * amp, s.start * second, s.stop * second)
                     for s in net.steps if s.population == pop.name]
            keep += _attach_steps(h, [c for name, _, c in cells.values() if name == pop.name], steps)
        spike_t, spike_gid = h.Vector(), h.Vector()
        pc.spike_record(-1, spike_t, spike_gid)
        recorded = {}
        for rec in net.recordings:
            for i in rec.cells:
                gid = offsets[rec.population] + i
                if gid in cells:
                    recorded[(rec.population, i)] = {c: cells[gid][2].record(c, None) for c in rec.compartments}
        keep.append(h.FInitializeHandler(0, lambda: [c.initialize_voltages() for *_, c in cells.values()]))
        elapsed = solve(h, pc, drawn.duration * 1e3, net.name)
        steps = int(round(drawn.duration / dt))
        local = {"t": np.array(spike_t.to_python()), "gid": np.array(spike_gid.to_python(), dtype=int),
                 "built": built, "played": played,
                 "traces": {k: {c: np.array(v.values())[:steps] for c, v in vectors.items()}
                            for k, vectors in recorded.items()}}
    gathered = pc.py_allgather(local) if ranks > 1 else [local]
    times = np.concatenate([g["t"] for g in gathered])
    gids = np.concatenate([g["gid"] for g in gathered])
    keep_spikes = (times < drawn.duration * 1e3) & (gids < net.size)
    times, gids = times[keep_spikes], gids[keep_spikes]
    names, index = _locate(net, gids)
    sample_ms = np.arange(int(round(drawn.duration / dt))) * dt_ms
    traces = {key: pd.DataFrame(data, index=pd.Index(sample_ms, name="time (ms)"))
              for g in gathered for key, data in g["traces"].items()}
    built = [row for g in gathered for row in g["built"]]
    played = [row for g in gathered for row in g["played"]]
    return NetworkResult(spike_table(names, index, times), traces,
                         {"simulator": "coreneuron" if coreneuron else "neuron", "dt_ms": dt_ms, "ranks": ranks,
                          "method": method, "run_seconds": elapsed, "connections": len(built),
                          "connectivity_digest": digest(built), "input_events": len(played),
                          "input_digest": digest(played)})


def _locate(net, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Population name and index within it of each gid."""
    starts = np.array([net.offsets[p.name] for p in net.populations])
    which = np.searchsorted(starts, gids, side="right") - 1
    names = np.array([p.name for p in net.populations], dtype=object)[which]
    return names, gids - starts[which]


def _play(h, pc, drawn: DrawnNetwork, cells: dict, dt_ms: float, played: list) -> list:
    """Input events of this rank's cells through one PatternStim: input k into cell gid fires
    as the virtual gid ``size * (k + 1) + gid``; ``played`` gets ``(input, cell, step)`` of
    each event."""
    net = drawn.description
    times, gids, keep = [], [], []
    for k, events in enumerate(drawn.inputs):
        first = net.offsets[events.target.population]
        key = (events.target.compartment, events.target.synapse)
        targets = set()
        for cell, t in zip(events.cells, events.times):
            gid = first + int(cell)
            if gid not in cells:
                continue
            virtual = net.size * (k + 1) + gid
            times.append(max(t * 1e3 - (INPUT_DELAY_STEPS - 1) * dt_ms, 0.0))
            gids.append(virtual)
            played.append((k, int(cell), round(t * 1e3 / dt_ms)))
            if virtual not in targets:
                targets.add(virtual)
                netcon = pc.gid_connect(virtual, cells[gid][2].synapses[key])
                netcon.weight[0] = events.weight
                netcon.delay = INPUT_DELAY_STEPS * dt_ms
                keep.append(netcon)
    if not times:
        return keep
    order = np.argsort(times, kind="stable")
    tvec, gidvec = h.Vector(np.asarray(times)[order]), h.Vector(np.asarray(gids, dtype=float)[order])
    pattern = h.PatternStim()
    pattern.play(tvec, gidvec)
    return keep + [tvec, gidvec, pattern]

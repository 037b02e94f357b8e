"""A drawn network in NEURON (or CoreNEURON): the cells of each population's model (the
generated cell classes of ``bridge.to_neuron``), built and run by
:mod:`bridge.neuron.network_runtime` from the network as plain data (:func:`network_data`),
the same code a standalone ``bridge emit neuron-network`` directory runs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SimulationError
from ..neuron import network_runtime as runtime
from ..neuron.emit import load_cell_class
from ..neuron.plan import plan_cell
from ..neuron.run import DEFAULT_METHOD, INPUT_DELAY_STEPS, METHODS, _restored, integrator, solve
from ..neuron.separate_process import run_separately
from ..neuron.session import coreneuron_here, hoc, load_mechanisms
from .draw import DrawnNetwork
from .result import NetworkResult, digest, spike_table


def network_data(drawn: DrawnNetwork, dt: float) -> dict:
    """The drawn network as plain values in NEURON's units (see the runtime's docstring);
    the rows are numpy arrays (``bridge emit neuron-network`` writes them as JSON lists)."""
    net = drawn.description
    return {
        "populations": [(p.name, p.n) for p in net.populations],
        "projections": [{"pre": c.pre, "post": c.target.population, "compartment": c.target.compartment,
                         "synapse": c.target.synapse, "pre_cells": c.pre_cells,
                         "post_cells": c.post_cells, "weights": c.weights,
                         "delays_ms": c.delays * 1e3} for c in drawn.connections],
        "inputs": [{"population": e.target.population, "compartment": e.target.compartment,
                    "synapse": e.target.synapse, "cells": e.cells, "times_ms": e.times * 1e3,
                    "weight": e.weight} for e in drawn.inputs],
        "steps": [{"population": s.population, "compartment": s.compartment, "nA": s.amplitude * 1e9,
                   "start_ms": s.start * 1e3, "stop_ms": s.stop * 1e3} for s in net.steps],
        "recordings": [{"population": r.population, "cells": list(r.cells), "compartments": list(r.compartments)}
                       for r in net.recordings],
        "dt_ms": dt * 1e3, "duration_ms": drawn.duration * 1e3, "input_delay_steps": INPUT_DELAY_STEPS,
    }


def run(drawn: DrawnNetwork, dt: float, coreneuron: bool = False, method: str | None = None,
        data: dict | None = None) -> NetworkResult:
    """Run ``drawn`` in this process (one rank of several under MPI); ``data``: this rank's
    share of its :func:`network_data` (``network_runtime.share``), when it was handed one
    instead of the drawn connections and inputs."""
    method = method or DEFAULT_METHOD
    net = drawn.description
    h = hoc()
    pc = h.ParallelContext()
    plans = {pop.name: plan_cell(pop.model) for pop in net.populations}
    for plan in plans.values():
        load_mechanisms(plan.mechanisms)
    if coreneuron and not coreneuron_here():
        if int(pc.nhost()) > 1:
            raise SimulationError("CoreNEURON cannot load this network's mechanisms in this process",
                                  obj=f"network {net.name}", param="coreneuron",
                                  hint="run the network in fresh processes (bridge network ... --ranks K)")
        return run_separately("bridge.network.run_neuron:run", drawn, dt, coreneuron=True, method=method)
    classes = {name: load_cell_class(plan) for name, plan in plans.items()}
    data = network_data(drawn, dt) if data is None else data
    pc.gid_clear()
    globals_ = sorted({name for plan in plans.values() for name, _ in plan.globals})
    with integrator(h, data["dt_ms"], METHODS[method], False, 0.0, coreneuron, False), _restored(h, globals_):
        built = runtime.build(h, pc, data, classes, method)
        elapsed = solve(h, pc, data["duration_ms"], net.name)
        out = runtime.results(pc, data, built)
    names, index = runtime.locate(data, out["gid"])
    sample_ms = np.arange(int(round(drawn.duration / dt))) * data["dt_ms"]
    traces = {key: pd.DataFrame(values, index=pd.Index(sample_ms, name="time (ms)"))
              for key, values in out["traces"].items()}
    return NetworkResult(spike_table(names, index, out["t"]), traces,
                         {"simulator": "coreneuron" if coreneuron else "neuron", "dt_ms": data["dt_ms"],
                          "ranks": int(pc.nhost()), "method": method, "run_seconds": elapsed,
                          "simulation_seconds": elapsed,
                          "connections": out["built"][0], "connectivity_digest": digest(out["built"]),
                          "input_events": out["played"][0], "input_digest": digest(out["played"]),
                          "peak_rss_mib_per_rank": out["peak_rss_mib"]})

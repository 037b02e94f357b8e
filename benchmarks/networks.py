"""Networks of bridge's built-in reduced model (the 4-compartment pyramidal cell with
dendritic spikes, AMPA and NMDA on its dendrites) in every simulator, timed in one run.

N cells (default 10,000), each receiving 100 recurrent excitatory connections
(``FixedInDegree(100)``, onto the distal dendrite's AMPA, weights 0.2-0.6, 1-3 ms delays)
and Poisson input (10 sources at 20 Hz per cell, weight 12, onto the proximal dendrite's
AMPA: a few Hz of firing; few strong events keep the drawn input small: 2 million events at
10,000 cells); 1 s at dt 0.025 ms. The same drawn network runs in:

- Brian 2, ``cpp_standalone`` (code generation and compilation are not counted: the time is
  the binary's own run time, as bridge's result reports it);
- NEURON on 1 MPI rank and on 2 (``[mpi]`` extra), Crank-Nicolson;
- CoreNEURON (in memory, 1 rank);
- with ``--gpu`` instead, on a machine with a GPU and the ``[gpu]`` extra: Brian2CUDA
  (``cuda_standalone``) at ``--gpu-cells`` (100,000 and 1,000,000) against ``cpp_standalone``
  on ``--threads`` OpenMP threads (up to ``--cpp-max-cells``).

It prints each run's simulation time (``simulation_seconds``: NEURON's and CoreNEURON's
initialisation and run, the standalone binary's own run for Brian 2) and the whole call, the spike count (the same network must fire alike: NEURON's ranks
identically) and the ratios the issue set as goals: NEURON 2 ranks / 1 rank, CoreNEURON /
NEURON, Brian2CUDA / cpp_standalone.

Run: python benchmarks/networks.py [--cells 10000] [--duration 1000]
     python benchmarks/networks.py --gpu [--gpu-cells 100000 1000000] [--threads 16] [--no-bundles]
"""

from __future__ import annotations

import argparse
import os
import time


def network(n_cells: int, rate_hz: float = 20.0):
    from brian2.units import Hz, ms

    from bridge.default_model import default_model
    from bridge.network import FixedInDegree, Network, Uniform
    net = Network("builtin")
    cells = net.population("pyr", default_model(), n_cells)
    net.connect(cells, cells, target=("dist", "AMPA_x"), rule=FixedInDegree(100), weight=Uniform(0.2, 0.6),
                delay=Uniform(1 * ms, 3 * ms), seed=1)
    net.poisson(cells, target=("prox", "AMPA_x"), rate=rate_hz * Hz, n_sources=10, seed=2, weight=12.0)
    return net


def run(net, simulator: str, duration_ms: float, **options) -> dict:
    from brian2.units import ms

    from bridge.network import simulate_network
    started = time.perf_counter()
    result = simulate_network(net, simulator, duration=duration_ms * ms, **options)
    return {"run_s": result.info["simulation_seconds"], "wall_s": time.perf_counter() - started,
            "spikes": len(result.spikes), "digest": result.info["connectivity_digest"]}


def cpu_runs(args) -> None:
    net = network(args.cells)
    runs = {"brian2 cpp_standalone": run(net, "brian2", args.duration, target="cpp_standalone"),
            "neuron, 1 rank": run(net, "neuron", args.duration),
            "neuron, 2 ranks": run(net, "neuron", args.duration, ranks=2),
            "coreneuron": run(net, "coreneuron", args.duration)}
    print(f"{args.cells} cells of bridge's built-in model, 100 recurrent synapses each, {args.duration:g} ms at "
          "dt 0.025 ms")
    print(f"{'run':<26}{'simulated (s)':>14}{'wall (s)':>10}{'spikes':>9}")
    for name, r in runs.items():
        print(f"{name:<26}{r['run_s']:>14.2f}{r['wall_s']:>10.2f}{r['spikes']:>9}")
    assert len({r["digest"] for r in runs.values()}) == 1, "the simulators built different connections"
    one, two = runs["neuron, 1 rank"], runs["neuron, 2 ranks"]
    print(f"NEURON 2 ranks vs 1: {one['run_s'] / two['run_s']:.2f}x faster (goal 1.8x); the same spikes: "
          f"{one['spikes'] == two['spikes']}")
    print(f"CoreNEURON vs NEURON: {one['run_s'] / runs['coreneuron']['run_s']:.2f}x faster (goal 2x)")


def gpu_runs(args) -> None:
    """Brian2CUDA at each of ``--gpu-cells``, and cpp_standalone (on ``--threads`` OpenMP
    threads) up to ``--cpp-max-cells``."""
    import brian2

    from bridge.brian2.cuda import check_cuda_available
    check_cuda_available()   # bridge's refusal, with what to install, before Brian2CUDA's preferences are used
    brian2.prefs.devices.cpp_standalone.openmp_threads = args.threads
    brian2.prefs.devices.cuda_standalone.push_synapse_bundles = not args.no_bundles
    for n in args.gpu_cells:
        net = network(n)
        cuda = run(net, "brian2", args.duration, target="cuda_standalone")
        line = f"{n} cells: Brian2CUDA {cuda['run_s']:.2f} s (whole call {cuda['wall_s']:.0f} s; {cuda['spikes']} spikes)"
        if n <= args.cpp_max_cells:
            cpp = run(net, "brian2", args.duration, target="cpp_standalone")
            line += (f", cpp_standalone on {args.threads} threads {cpp['run_s']:.2f} s ({cpp['spikes']} spikes): "
                     f"{cpp['run_s'] / cuda['run_s']:.1f}x (goal 10x at 100,000)")
        print(line, flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=1000.0, help="simulated time (ms)")
    parser.add_argument("--gpu", action="store_true",
                        help="Brian2CUDA against cpp_standalone instead (needs a GPU and the [gpu] extra)")
    parser.add_argument("--gpu-cells", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--cpp-max-cells", type=int, default=100_000,
                        help="largest network cpp_standalone runs beside Brian2CUDA")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="cpp_standalone's OpenMP threads")
    parser.add_argument("--no-bundles", action="store_true",
                        help="Brian2CUDA pushes each synapse into its delay queue instead of bundles of "
                             "synapses with one delay (push_synapse_bundles = False): its start-up copies "
                             "3 arrays per presynaptic cell to the GPU instead of one per bundle (docs/gpu.md)")
    args = parser.parse_args(argv)
    gpu_runs(args) if args.gpu else cpu_runs(args)


if __name__ == "__main__":
    main()

"""Peak memory of each MPI rank for a network with many input events: the network of
``benchmarks/networks.py`` (N cells of the built-in model, 100 recurrent synapses each)
with a strong Poisson drive, run by NEURON on K ranks. Each rank is handed only its share
of the drawn connections and input events (``network_runtime.share``), so a rank's peak
should stay well under the whole network's size. With ``--standalone`` the network is
emitted (``bridge emit neuron-network``), compiled and run by its own ``run.py`` under
``mpiexec``, whose rank 0 reads ``network.json`` and deals the shares.

Run: python benchmarks/network_memory.py [--cells 2000] [--rate 2000] [--duration 100] [--ranks 2] [--standalone]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from networks import network


def main() -> None:
    from brian2.units import ms

    from bridge.network import simulate_network
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=2000.0, help="rate of each of a cell's 10 Poisson sources (Hz)")
    parser.add_argument("--duration", type=float, default=100.0, help="ms")
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--standalone", action="store_true", help="emit the network and run its run.py")
    args = parser.parse_args()
    if args.standalone:
        return standalone(args)
    started = time.perf_counter()
    result = simulate_network(network(args.cells, args.rate), "neuron", args.duration * ms, ranks=args.ranks)
    info = result.info
    peaks = ", ".join(f"{p:.0f}" for p in info["peak_rss_mib_per_rank"])
    print(f"{args.cells} cells, {info['connections']:,} connections, {info['input_events']:,} input events, "
          f"{args.duration:g} ms on {info['ranks']} ranks: {len(result.spikes)} spikes in "
          f"{time.perf_counter() - started:.0f} s; peak memory per rank (MiB): {peaks}")


def standalone(args) -> None:
    from brian2.units import ms

    from bridge.network.emit import emit_neuron_network
    from bridge.network.mpi import mpi_environment
    from bridge.neuron.build import run_nrnivmodl
    with tempfile.TemporaryDirectory(prefix="bridge-net-") as folder:
        emit_neuron_network(network(args.cells, args.rate), folder, args.duration * ms)
        size = (Path(folder) / "network.json").stat().st_size / 2 ** 20
        run_nrnivmodl(Path(folder)).check_returncode()
        mpiexec, mpi_env = mpi_environment()
        started = time.perf_counter()
        done = subprocess.run([mpiexec, "-n", str(args.ranks), sys.executable, "run.py"], cwd=folder,
                              capture_output=True, text=True, env={**mpi_env, "PYTHONPATH": ""}, check=True)
    print(f"standalone, {args.cells} cells, network.json {size:.0f} MiB, {args.duration:g} ms in "
          f"{time.perf_counter() - started:.0f} s: {done.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()

"""Peak memory of each MPI rank for a network with many input events: the network of
``benchmarks/networks.py`` (N cells of the built-in model, 100 recurrent synapses each)
with a strong Poisson drive, run by NEURON on K ranks. Each rank is handed only its share
of the drawn connections and input events (``DrawnNetwork.share``), so a rank's peak
should stay well under the whole network's size.

Run: python benchmarks/network_memory.py [--cells 2000] [--rate 2000] [--duration 100] [--ranks 2]
"""

from __future__ import annotations

import argparse
import time

from networks import network


def main() -> None:
    from brian2.units import ms

    from bridge.network import simulate_network
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=2000.0, help="rate of each of a cell's 10 Poisson sources (Hz)")
    parser.add_argument("--duration", type=float, default=100.0, help="ms")
    parser.add_argument("--ranks", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    result = simulate_network(network(args.cells, args.rate), "neuron", args.duration * ms, ranks=args.ranks)
    info = result.info
    peaks = ", ".join(f"{p:.0f}" for p in info["peak_rss_mib_per_rank"])
    print(f"{args.cells} cells, {info['connections']:,} connections, {info['input_events']:,} input events, "
          f"{args.duration:g} ms on {info['ranks']} ranks: {len(result.spikes)} spikes in "
          f"{time.perf_counter() - started:.0f} s; peak memory per rank (MiB): {peaks}")


if __name__ == "__main__":
    main()

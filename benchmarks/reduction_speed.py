"""Run time of Hay's detailed layer-5 cell against bridge's reduction of it, for 1 and N
cells (default 100) in one session: each cell gets Hay's middle step (0.562 nA from 100
to 400 ms), 500 ms at dt 0.025 ms. The detailed cells are the template's instances in
NEURON; the reduced cells are ``bridge.simulate(model, "neuron", ..., n=N)`` (its whole
call is timed, building the N cells included, after one warm-up call that compiles and
loads the mechanisms) and ``bridge.simulate(model, "brian2", ..., n=N,
target="cpp_standalone")`` with ``exponential_strang`` (the standalone binary's own
clock: the simulation, without the code generation and compilation before it, which are
printed apart). Prints the ratios measured in this run.

Run: python benchmarks/reduction_speed.py [--cells 100]   (about 6 minutes at 100 cells)
"""

from __future__ import annotations

import argparse
import time

DURATION_MS, DT_MS = 500.0, 0.025
STEP = (0.562, 100.0, 400.0)        # nA, from, to (ms)


def detailed_seconds(n: int) -> float:
    from bridge.neuron.hoc_cell import instantiated
    from bridge.neuron.network_runtime import clamp
    from bridge.references import hay_l5pc
    ref = hay_l5pc()
    with instantiated(ref) as (h, built):
        cells = [built.cell] + [getattr(h, ref.template)(*ref.args) for _ in range(n - 1)]
        clamps = [clamp(h, cell.soma[0](0.5), STEP[1], STEP[2], STEP[0]) for cell in cells]
        h.dt, h.secondorder = DT_MS, 2
        h.finitialize(-65)
        start = time.perf_counter()
        h.continuerun(DURATION_MS)
        seconds = time.perf_counter() - start
        del clamps, cells
    return seconds


def reduced_seconds(model, n: int) -> float:
    from brian2.units import ms, nA

    from bridge.simulate import simulate
    from bridge.stimuli import Step
    step = [Step("soma", STEP[0] * nA, STEP[1] * ms, STEP[2] * ms)]
    simulate(model, "neuron", step, duration=10 * ms, dt=DT_MS * ms, record=["soma"], n=n)   # build, load
    start = time.perf_counter()
    simulate(model, "neuron", step, duration=DURATION_MS * ms, dt=DT_MS * ms, record=["soma"], n=n)
    return time.perf_counter() - start


def brian2_seconds(model, n: int) -> tuple[float, float]:
    """(simulation, whole call) seconds of ``n`` reduced cells in Brian 2's cpp_standalone."""
    from brian2.units import ms, nA

    from bridge.simulate import simulate
    from bridge.stimuli import Step
    step = [Step("soma", STEP[0] * nA, STEP[1] * ms, STEP[2] * ms)]
    start = time.perf_counter()
    result = simulate(model, "brian2", step, duration=DURATION_MS * ms, dt=DT_MS * ms, record=["soma"], n=n,
                      target="cpp_standalone", method="exponential_strang")
    return result.info["simulation_seconds"], time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", type=int, default=100)
    args = parser.parse_args()
    from bridge.model.serialize import load
    from bridge.resources import packaged_dir
    model = load(packaged_dir("validation") / "hay_l5pc" / "reduced" / "reduced.json")
    print(f"Hay L5PC, detailed in NEURON, reduced in NEURON and Brian 2, {DURATION_MS:g} ms at dt {DT_MS} ms, {STEP[0]} nA step; "
          f"detailed 642 segments, reduced {len(model.compartments)} compartments")
    print(f"{'cells':>6}{'detailed (s)':>14}{'reduced (s)':>13}{'speed-up':>10}"
          f"{'Brian 2 (s)':>13}{'speed-up':>10}{'  Brian 2 call incl. codegen+compile (s)'}")
    for n in (1, args.cells):
        slow, fast = detailed_seconds(n), reduced_seconds(model, n)
        brian, whole = brian2_seconds(model, n)
        print(f"{n:>6}{slow:>14.2f}{fast:>13.3f}{slow / fast:>9.1f}x{brian:>13.3f}{slow / brian:>9.1f}x{whole:>12.1f}")


if __name__ == "__main__":
    main()

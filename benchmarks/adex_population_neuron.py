#!/usr/bin/env python
"""NEURON run time of a population of unconnected AdEx cells converted from Brian 2 by
bridge against the same model written by hand in NMODL.

The model: the adaptive exponential integrate-and-fire neuron of tests/from_brian2_runs.py
(``MODELS["adex"]``, method ``euler``) with spike-triggered adaptation b = 60 pA and the
threshold at VT + 5 DeltaT = -40 mV (the cut-off of Brian 2's AdEx example) instead of
0 mV: NEURON's implicit step linearises the hand-written exponential current about v, and
above about -35 mV, where -di/dv = gL (exp((v - VT)/DeltaT) - 1) exceeds 2 C/dt = 16 uS,
that step goes the wrong way; with a 0 mV threshold the hand-written cells fall back below
threshold instead of spiking (a quarter of the converted model's spikes).
(a) converted: ``bridge.from_brian2(...)``, the point process printed by bridge's NMODL
printer, each cell built as bridge.neuron.equation_run builds one (a 10 um x 10 um
section, cm 1 uF/cm2, ``cap`` = the section's capacitance, ``clamp_duration`` = dt).
(b) by hand: benchmarks/adex_by_hand.mod, a POINT_PROCESS with a NONSPECIFIC_CURRENT, a
STATE w (cnexp), a WATCH on the threshold in NET_RECEIVE that sends the spike, sets v
to Vr and adds b to w; the same section with cm set so that its capacitance is C.

Both mechanisms are compiled into one library and loaded in one process. Each variant
gets N cells (default 1000), each cell a constant input current I for the whole run,
spread evenly over 0.4-0.6 nA across the cells (the same values for both variants), so
every cell fires tonically; spikes are recorded with ``NetCon(pp, None).record``.
NEURON runs 1 s at dt 0.025 ms with ``secondorder = 2`` (Crank-Nicolson, bridge's
default), fixed step. One population exists at a time: a repeat builds the variant's
cells, times ``h.finitialize`` + ``ParallelContext.psolve`` (what bridge's solve() runs),
then deletes them. The variants alternate (converted, by hand, converted, ...), --repeats
times each (default 5); printed: the median of each, the ratio converted / by hand and
the spike counts (not equal: the hand-written model lets NEURON integrate the exponential
term implicitly, the converted one follows Brian 2's Euler step).

With valgrind installed (and without --no-callgrind), each variant is also run once
under ``valgrind --tool=callgrind`` with 100 cells for 200 ms, counting the instructions
of ``nrn_finitialize`` and ``BBS::netpar_solve`` only (what the timed part runs); the
ratio of the instruction counts is free of the timing noise of a shared machine.

Target: converted / by hand <= 1.2.
``python benchmarks/adex_population_neuron.py [-n 1000] [--repeats 5] [--no-callgrind]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

HERE = Path(__file__).resolve().parent
HAND_MOD = HERE / "adex_by_hand.mod"
HAND_NAME = "AdExByHand"
DT_MS = 0.025
DURATION_MS = 1000.0
V_INIT_MV = -70.0
SECTION_UM = 10.0
C_NF = 0.2
AMPLITUDES_NA = (0.4, 0.6)


def converted_mechanism():
    """The AdEx model of tests/from_brian2_runs.py with b = 60 pA and a -40 mV threshold,
    converted by bridge: the mechanism with its printed NMODL."""
    import bridge
    from brian2.units import mV, ms, nS, pA, pF
    from bridge.neuron.equation_run import mechanism_with_source
    model = bridge.from_brian2(
        "dv/dt = (gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) + I - w)/C : volt\n"
        "dw/dt = (a*(v - EL) - w)/tau_w : amp\nI : amp",
        threshold="v > VT + 5*DeltaT", reset="v = Vr; w += b", method="euler",
        namespace=dict(C=200 * pF, gL=10 * nS, EL=-70 * mV, VT=-50 * mV, DeltaT=2 * mV, tau_w=30 * ms,
                       a=2 * nS, b=60 * pA, Vr=-58 * mV),
        initial={"v": -70 * mV}, input="I")
    return mechanism_with_source(model)


def build_library(mech) -> Path:
    """One NEURON library holding the converted mechanism and the hand-written one
    (compiled once, then taken from bridge's build cache)."""
    from bridge.neuron.build import build, source_files
    return build(source_files([mech]) + [HAND_MOD], coreneuron=False).nrnmech


def neuron_with(library: Path):
    from neuron import h
    if not hasattr(h, HAND_NAME):
        h.nrn_load_dll(str(library))
    h.load_file("stdrun.hoc")
    h.dt, h.secondorder = DT_MS, 2
    h.CVode().active(0)
    return h


def population(h, variant: str, mech_name: str, n: int):
    """N cells of ``variant`` ("converted" or "by hand"), their spike vectors and the
    objects to keep alive."""
    import numpy as np
    amplitudes = np.linspace(*AMPLITUDES_NA, n) if n > 1 else [AMPLITUDES_NA[0]]
    spike_t, spike_id = h.Vector(), h.Vector()
    cells = []
    for k in range(n):
        sec = h.Section(name=f"cell{k}")
        sec.L = sec.diam = SECTION_UM
        capacitance_nf = sec(0.5).area() * 1e-5        # um2 at 1 uF/cm2 -> nF
        if variant == "converted":
            sec.cm = 1.0
            pp = getattr(h, mech_name)(sec(0.5))
            pp.cap = capacitance_nf
            pp.clamp_duration = DT_MS
        else:
            sec.cm = C_NF / capacitance_nf
            pp = getattr(h, HAND_NAME)(sec(0.5))
        pp.I = float(amplitudes[k])
        netcon = h.NetCon(pp, None)
        netcon.record(spike_t, spike_id, k)
        cells.append((sec, pp, netcon))
    return cells, spike_t


def run(h, duration_ms: float) -> float:
    """Seconds taken by ``finitialize`` + ``psolve`` to ``duration_ms``."""
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    started = time.perf_counter()
    h.finitialize(V_INIT_MV)
    pc.psolve(duration_ms)
    return time.perf_counter() - started


def child(library: str, mech_name: str, variant: str, n: int, duration_ms: float) -> None:
    """One run of one variant (for callgrind: no bridge or Brian 2 import)."""
    h = neuron_with(Path(library))
    cells, spike_t = population(h, variant, mech_name, n)
    run(h, duration_ms)
    print(f"spikes {int(spike_t.size())}")


_TOTALS = re.compile(r"^(?:totals|summary):\s*(\d+)", re.MULTILINE)


def callgrind(library: Path, mech_name: str, variant: str, n: int, duration_ms: float) -> int:
    """Instructions executed in nrn_finitialize and BBS::netpar_solve for one run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        "--toggle-collect=nrn_finitialize*", "--toggle-collect=BBS::netpar_solve*",
                        sys.executable, __file__, "--child", str(library), mech_name, variant, str(n),
                        str(duration_ms)],
                       check=True, capture_output=True, text=True)
        return int(_TOTALS.search(out.read_text()).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="cells per variant (default 1000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each variant (default 5)")
    parser.add_argument("--no-callgrind", action="store_true", help="skip the instruction counts")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        library, mech_name, variant, n, duration_ms = args.child
        child(library, mech_name, variant, int(n), float(duration_ms))
        return 0

    mech = converted_mechanism()
    library = build_library(mech)
    h = neuron_with(library)
    variants = ("converted", "by hand")
    seconds = {v: [] for v in variants}
    spikes = {}
    print(f"{args.n} unconnected AdEx cells in NEURON {h.nrnversion(5)}, {DURATION_MS:.0f} ms at dt {DT_MS} ms, "
          f"secondorder 2, input {AMPLITUDES_NA[0]}-{AMPLITUDES_NA[1]} nA")
    for _ in range(args.repeats):
        for variant in variants:
            cells, spike_t = population(h, variant, mech.name, args.n)
            seconds[variant].append(run(h, DURATION_MS))
            spikes[variant] = int(spike_t.size())
            del cells, spike_t
    median = {v: statistics.median(seconds[v]) for v in variants}
    for variant in variants:
        runs = " ".join(f"{s:.3f}" for s in seconds[variant])
        print(f"{variant:>10}: median {median[variant]:.3f} s  (runs {runs})  spikes {spikes[variant]}")
    print(f"ratio converted / by hand: {median['converted'] / median['by hand']:.3f}  (target <= 1.2)")

    if args.no_callgrind:
        return 0
    if shutil.which("valgrind") is None:
        print("callgrind: valgrind is not installed, no instruction counts")
        return 0
    n, duration_ms = min(args.n, 100), 200.0
    counts = {v: callgrind(library, mech.name, v, n, duration_ms) for v in variants}
    print(f"callgrind, {n} cells, {duration_ms:.0f} ms (instructions in finitialize + psolve):")
    for variant in variants:
        print(f"{variant:>10}: {counts[variant]:,}")
    print(f"ratio converted / by hand: {counts['converted'] / counts['by hand']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""NEURON cost of bridge's printed built-in mechanisms (BrDSpike, BrIF, BrNoise) against
the hand-written files they replaced.

The dendritic spike, the integrate-and-fire membrane and the noise current were written
by hand in mod/ until the NMODL printer took them over (commit 097b57d); the hand-written
versions are read from git at the commit before (eda0e18). The cell: bridge's built-in
reduced pyramidal model (leakyIF soma with spiking and its reset, two dendrites with
sodium dendritic spikes, NMDA/AMPA synapses) with an OU noise current on the soma,
N cells, a 0.5 nA step, 1 s at dt 0.025 ms, through ``bridge.simulate(..., "neuron")``.
Each variant runs in its own process (its own compiled library), alternating, best of
--repeats; timed: NEURON's run (``run_seconds``). Also printed: the spike counts (equal
trace for trace: test_neuron_golden.py holds the printed files to the hand-written
ones within 1e-9 mV).

Target: printed / hand-written <= 1.1. Needs git (the hand-written files come from the
history). ``python benchmarks/builtin_mechanisms_neuron.py [--repeats 3] [-n 1 100 1000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAND_WRITTEN_COMMIT = "eda0e18"
FILES = ("bridge_dspike.mod", "bridge_if.mod", "bridge_noise.mod")

CHILD = r"""
import json, os, sys
from pathlib import Path
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
import bridge.neuron.build as build, bridge.neuron.session as session
folder = Path(sys.argv[1])
files = lambda: sorted(folder.glob("*.mod"))
build.mod_files = session.mod_files = files
import bridge
from brian2.units import ms, nA, pA
from dataclasses import replace
from bridge.model import Noise
from bridge.default_model import default_model
model = default_model()
noisy = Noise(tau=5e-3, sigma=20e-12, mean=0.0)
model = replace(model, compartments=tuple(replace(c, noise=noisy) if c.name == "soma" else c
                                          for c in model.compartments))
result = bridge.simulate(model, "neuron", [bridge.Step("soma", 0.5 * nA, 100 * ms, 900 * ms)],
                         duration=1000 * ms, n=int(sys.argv[2]), seed=1)
print(json.dumps({"seconds": result.info["run_seconds"], "spikes": len(result.spikes)}))
"""


def _variant_folders(tmp: Path) -> dict[str, Path]:
    printed, hand = tmp / "printed", tmp / "hand"
    for folder in (printed, hand):
        folder.mkdir()
    for path in sorted((ROOT / "mod").glob("*.mod")):
        (printed / path.name).write_text(path.read_text())
        text = path.read_text()
        if path.name in FILES:
            text = subprocess.run(["git", "-C", str(ROOT), "show", f"{HAND_WRITTEN_COMMIT}:mod/{path.name}"],
                                  check=True, capture_output=True, text=True).stdout
        (hand / path.name).write_text(text)
    return {"printed": printed, "hand-written": hand}


def _run(folder: Path, n: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(n)], check=True, capture_output=True,
                         text=True, env={**os.environ, "NEURON_MODULE_OPTIONS": "-nogui"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("-n", type=int, nargs="+", default=[1, 100, 1000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folders = _variant_folders(Path(tmp))
        print("bridge's reduced pyramidal model + soma noise in NEURON, 1 s at dt 0.025 ms")
        print(f"{'N':>6} {'printed (s)':>12} {'hand (s)':>10} {'ratio':>7}  spikes printed/hand")
        for n in args.n:
            best = {name: None for name in folders}
            spikes = {}
            for _ in range(args.repeats):
                for name, folder in folders.items():
                    got = _run(folder, n)
                    best[name] = got["seconds"] if best[name] is None else min(best[name], got["seconds"])
                    spikes[name] = got["spikes"]
            ratio = best["printed"] / best["hand-written"]
            print(f"{n:>6} {best['printed']:>12.3f} {best['hand-written']:>10.3f} {ratio:>7.3f}  "
                  f"{spikes['printed']}/{spikes['hand-written']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Wall time of `bridge reduce` and `bridge validate` on Hay's layer-5 cell with the detailed
cell's runs one after another (`--jobs 1`) and in worker processes (`--jobs N`, default:
one per CPU this process may use), in one session, each command in its own process as a
user runs it: the reduction (its rheobase measured beside the circuit's runs) and the
validation of the shipped case's `hay_steps` protocol in NEURON (three 2.8 s runs of the
detailed cell). Checks that both give the same files, and prints the ratios measured in
this run.

Run: python benchmarks/parallel_detailed_runs.py [--jobs N]   (about 5 minutes on 2 CPUs)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HAY = Path(__file__).resolve().parents[1] / "validation" / "hay_l5pc"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bridge.cli", *command, "--no-progress"], capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):   # 1: a validation verdict of fail is a result, not an error
        sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return seconds


def main() -> None:
    from bridge.neuron.detailed_pool import available_cpus
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=available_cpus())
    jobs = str(parser.parse_args().jobs)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        reduce = ["reduce", str(HAY / "L5PCbiophys3.hoc"), str(HAY / "L5PCtemplate.hoc"), "--args",
                  str(HAY / "cell1.asc"), "--mod", str(HAY / "mod"), "--celsius", "34"]
        validate = ["validate", str(HAY / "reduced" / "case.json"), "--simulators", "neuron", "--protocols",
                    "hay_steps"]
        times = {}
        for n in ("1", jobs):
            times["reduce", n] = timed([*reduce, "-o", str(out / f"reduced{n}"), "--jobs", n])
            times["validate", n] = timed([*validate, "-o", str(out / f"report{n}"), "--jobs", n])
        same_reduction = all((out / "reduced1" / f).read_bytes() == (out / f"reduced{jobs}" / f).read_bytes()
                             for f in ("reduced.json", "case.json", "synapses.json", "reduction.json"))
        same_features = ((out / "report1" / "features.csv").read_bytes()
                         == (out / f"report{jobs}" / "features.csv").read_bytes())
    print(f"Hay L5PC, {available_cpus()} CPUs available; wall time of each command (s)")
    print(f"{'command':<36}{'--jobs 1':>10}{f'--jobs {jobs}':>10}{'ratio':>8}  same output")
    for what, same in (("reduce", same_reduction), ("validate", same_features)):
        label = "bridge reduce" if what == "reduce" else "bridge validate --protocols hay_steps"
        one, many = times[what, "1"], times[what, jobs]
        print(f"{label:<36}{one:>10.1f}{many:>10.1f}{one / many:>7.2f}x  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

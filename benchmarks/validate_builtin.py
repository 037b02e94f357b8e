#!/usr/bin/env python
"""Wall-clock time of ``bridge validate`` on the built-in case (the reduced pyramidal model
against c91662: passive step, EPSPs at sampled sites, impedance, input-output curve; the
reduced model in Brian 2, NEURON and CoreNEURON), as a user runs it: the command line in a
fresh process, report written.

A first run fills the compile caches (Brian 2's Cython cache, bridge's NMODL build cache);
then ``--repeats`` warm runs (default 2) are timed. Printed: each run's time, the verdict
line, and each protocol timed once in-process (warm). Target: a warm run <= 60 s on
2 cores (issue 12).

``python benchmarks/validate_builtin.py [--repeats 2]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time


def timed_cli(directory: str) -> tuple[float, str]:
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "bridge.cli", "validate", "--no-progress", "-o", "report"],
                         cwd=directory, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if res.returncode not in (0, 1):
        sys.exit(f"bridge validate failed: {res.stderr.strip()}")
    return elapsed, res.stdout.strip().splitlines()[-1]


def protocol_times() -> dict:
    from bridge.assess.case import builtin_case_path, load_case
    from bridge.assess.protocols import PROTOCOLS, Context
    case = load_case(builtin_case_path())
    ctx = Context(case, ("brian2", "neuron", "coreneuron"), 0.025e-3)
    times = {}
    for name in case.protocols:
        start = time.perf_counter()
        PROTOCOLS[name]().run(ctx)
        times[name] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=2, help="warm runs to time (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        cold, _ = timed_cli(directory)
        print(f"first run (fills the compile caches): {cold:.1f} s")
        warm = []
        for k in range(args.repeats):
            elapsed, verdict = timed_cli(directory)
            warm.append(elapsed)
            print(f"warm run {k + 1}: {elapsed:.1f} s")
    print(f"last line: {verdict}")
    for name, seconds in protocol_times().items():
        print(f"  protocol {name:<10} {seconds:6.1f} s (in-process, warm)")
    best = min(warm)
    print(f"warm bridge validate: {best:.1f} s (target <= 60 s): {'met' if best <= 60 else 'NOT met'}")


if __name__ == "__main__":
    main()

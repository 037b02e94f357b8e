#!/usr/bin/env python
"""NEURON run time of the reduced c91662 model against its detailed reference.

The built-in validation case (validation/c91662): the detailed pyramidal cell c91662
(pyramid.nrn, 79 sections, d_lambda = 0.1 segments, passive) and its 4-compartment
reduction, N = 1 and 100 copies of each, a 0.1 nA somatic step, 1 s at dt = 0.025 ms,
fixed-step NEURON (Crank-Nicolson). Copies of the detailed cell are made by copying the
loaded geometry (pyramid.nrn defines one global cell). Timed: ``psolve`` (best of
--repeats, alternating). Prints detailed / reduced run-time ratios measured in this run.

    python benchmarks/reduced_vs_detailed.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")


def geometry(h, sections) -> list[dict]:
    """The loaded cell as data: 3D points, segments, membrane and parent of each section."""
    table = []
    for sec in sections:
        parent = sec.parentseg()
        table.append({"name": sec.name(), "nseg": sec.nseg, "cm": sec.cm, "Ra": sec.Ra,
                      "g": [seg.pas.g for seg in sec], "e": sec(0.5).pas.e,
                      "pt3d": [(h.x3d(i, sec=sec), h.y3d(i, sec=sec), h.z3d(i, sec=sec), h.diam3d(i, sec=sec))
                               for i in range(int(h.n3d(sec=sec)))],
                      "parent": None if parent is None else (parent.sec.name(), parent.x, sec.orientation())})
    return table


def build_copy(h, table, prefix) -> dict:
    made = {}
    for row in table:
        sec = h.Section(name=f"{prefix}_{row['name']}")
        for point in row["pt3d"]:
            h.pt3dadd(*point, sec=sec)
        sec.nseg, sec.cm, sec.Ra = row["nseg"], row["cm"], row["Ra"]
        sec.insert("pas")
        for seg, g in zip(sec, row["g"]):
            seg.pas.g, seg.pas.e = g, row["e"]
        made[row["name"]] = sec
    for row in table:
        if row["parent"] is not None:
            name, x, end = row["parent"]
            made[row["name"]].connect(made[name](x), end)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import bridge
    from bridge.neuron.detailed import built
    from bridge.assess.case import builtin_case_path, load_case
    case = load_case(builtin_case_path())
    with built(case.reference) as (h, sections, soma):
        table, soma_name = geometry(h, sections), soma.name()  # the reference itself is deleted after this
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    h.dt, h.secondorder = 0.025, 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"detailed: {len(table)} sections, {sum(r['nseg'] for r in table)} segments")
    print("N     detailed (s)  reduced (s)  detailed/reduced")
    for n in (1, 100):
        best = {"detailed": float("inf"), "reduced": float("inf")}
        for _ in range(args.repeats):
            for kind in ("detailed", "reduced"):
                if kind == "detailed":
                    cells = [build_copy(h, table, f"c{i}") for i in range(n)]
                    somas = [c[soma_name] for c in cells]
                else:
                    cells = bridge.to_neuron(case.model, n)
                    somas = [c.sections["soma"] for c in cells]
                clamps = []
                for s in somas:
                    clamp = h.IClamp(s(0.5))
                    clamp.delay, clamp.dur, clamp.amp = 100, 800, 0.1
                    clamps.append(clamp)
                h.finitialize(-65)
                started = time.perf_counter()
                pc.psolve(1000)
                best[kind] = min(best[kind], time.perf_counter() - started)
                assert len(list(h.allsec())) == sum(len(c) if isinstance(c, dict) else len(c.sections)
                                                    for c in cells), "only this run's cells may exist"
                del cells, somas, clamps
        print(f"{n:<5} {best['detailed']:12.3f} {best['reduced']:12.3f} {best['detailed'] / best['reduced']:16.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dendrify's own examples and tutorials, run with Dendrify and with bridge (only the imports
changed), and compared: every monitor's recorded values, every group's final state and the
printed output.

Usage: ``python benchmarks/dendrify_examples.py DENDRIFY_CHECKOUT [-o OUT] [--only NAME]``
with a checkout of https://github.com/Poirazi-Lab/dendrify (its ``examples_new/*.py``, the
tutorial notebooks in ``docs_sphinx/source/tutorials/`` and the Playground example of
``docs_sphinx/source/examples/playground.rst``). Nothing of Dendrify is copied into bridge:
the files are read from the checkout at run time. Each item runs in its own process with
matplotlib's Agg backend, Brian 2's and numpy's generators seeded first (some examples draw
connections before they seed); a notebook runs cell by cell, and a cell that raises is
recorded (with its error) and the next cell runs, as in Jupyter.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

#: Import lines rewritten for bridge; nothing else of a script changes.
IMPORTS = [(re.compile(r"^(\s*)from dendrify(\.\w+)* import ", re.M), r"\1from bridge import "),
           (re.compile(r"^(\s*)import dendrify as (\w+)", re.M), r"\1import bridge as \2"),
           (re.compile(r"^(\s*)import dendrify\s*$", re.M), r"\1import bridge as dendrify")]

#: Run inside the child: record monitors and groups, run the cells, save what they made.
RUNNER = r'''
import contextlib, io, json, sys, traceback
import matplotlib
matplotlib.use("Agg")
import logging
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
import numpy as np
import brian2
made = {"StateMonitor": [], "SpikeMonitor": [], "NeuronGroup": []}
for kind in made:
    cls = getattr(brian2, kind)
    original = cls.__init__
    def init(self, *a, __original=original, __kind=kind, **k):
        __original(self, *a, **k)
        made[__kind].append(self)
    cls.__init__ = init
brian2.seed(20240101)   # draws a script makes before seeding (e.g. connect(p=...)) repeat in both runs
np.random.seed(20240101)
cells = json.load(open(sys.argv[1]))
namespace = {"__name__": "__main__"}
outcomes = []
for number, code in enumerate(cells):
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"cell {number}", "exec"), namespace)
        outcomes.append({"cell": number, "ok": True, "stdout": out.getvalue()})
    except Exception as exc:
        outcomes.append({"cell": number, "ok": False, "stdout": out.getvalue(),
                         "error": f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"})
arrays = {}
for kind, objects in made.items():
    for k, obj in enumerate(objects):
        try:
            if kind == "StateMonitor":
                for var in obj.record_variables:
                    arrays[f"{kind}{k}.{var}"] = np.asarray(getattr(obj, var + "_")[:])
            elif kind == "SpikeMonitor":
                arrays[f"{kind}{k}.i"], arrays[f"{kind}{k}.t"] = np.asarray(obj.i[:]), np.asarray(obj.t_[:])
            else:
                for var in sorted(obj.variables):
                    if not var.startswith("_") and var not in ("N", "i", "t", "dt", "t_in_timesteps"):
                        value = getattr(obj, var + "_", None)
                        if value is not None and np.ndim(value) > 0:
                            arrays[f"{kind}{k}.{var}"] = np.asarray(value[:])
        except Exception:
            pass
np.savez(sys.argv[2], **arrays)
json.dump(outcomes, open(sys.argv[3], "w"))
'''


def items(checkout: Path) -> dict[str, list[str]]:
    """Each example's cells: a script is one cell; a notebook its code cells."""
    found = {}
    for path in sorted((checkout / "examples_new").glob("*.py")):
        found[path.stem] = [path.read_text()]
    for path in sorted((checkout / "docs_sphinx/source/tutorials").glob("*.ipynb")):
        notebook = json.loads(path.read_text())
        found[path.stem] = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    rst = (checkout / "docs_sphinx/source/examples/playground.rst").read_text()
    block = re.search(r"\.\. code-block:: python\n\n((?:    .*\n|\n)+)", rst)
    if block:
        found["playground"] = ["\n".join(line[4:] for line in block.group(1).splitlines())]
    return found


def for_bridge(code: str) -> str:
    for pattern, replacement in IMPORTS:
        code = pattern.sub(replacement, code)
    return code


def run(cells: list[str], where: Path, tag: str, timeout: int) -> tuple[dict, list]:
    (where / f"{tag}.json").write_text(json.dumps(cells))
    runner = where / "runner.py"
    runner.write_text(RUNNER)
    done = subprocess.run([sys.executable, str(runner), str(where / f"{tag}.json"), str(where / f"{tag}.npz"),
                           str(where / f"{tag}.out.json")], cwd=where, capture_output=True, text=True, timeout=timeout)
    if done.returncode or not (where / f"{tag}.out.json").exists():
        return {}, [{"cell": -1, "ok": False, "stdout": "", "error": done.stderr[-500:]}]
    with np.load(where / f"{tag}.npz") as data:
        arrays = {k: data[k] for k in data.files}
    return arrays, json.loads((where / f"{tag}.out.json").read_text())


def _printed(outcomes: list) -> list[str]:
    """Printed lines, without those naming each library's own class."""
    return [line for o in outcomes for line in o["stdout"].splitlines() if "<class '" not in line]


def compare(name: str, cells: list[str], where: Path, timeout: int) -> dict:
    theirs, their_cells = run(cells, where, "dendrify", timeout)
    ours, our_cells = run([for_bridge(c) for c in cells], where, "bridge", timeout)
    differing = [k for k in theirs if k not in ours or theirs[k].shape != ours[k].shape
                 or not np.array_equal(theirs[k], ours[k], equal_nan=True)]
    worst = 0.0
    for k in differing:
        if k in ours and theirs[k].shape == ours[k].shape and theirs[k].dtype.kind == "f":
            worst = max(worst, float(np.nanmax(np.abs(theirs[k] - ours[k]))))
    import difflib
    printed_diff = [line for line in difflib.unified_diff(_printed(their_cells), _printed(our_cells), "dendrify",
                                                          "bridge", n=0, lineterm="") if line[:1] in "+-"][2:42]
    failed = {o["cell"]: o.get("error") for o in our_cells if not o["ok"]}
    their_failed = {o["cell"]: o.get("error") for o in their_cells if not o["ok"]}
    return {"item": name, "arrays": len(theirs), "identical": len(theirs) - len(differing),
            "differing": differing[:8], "worst_abs": worst, "printed_same": _printed(their_cells) == _printed(our_cells), "printed_diff": printed_diff,
            "bridge_errors": failed, "dendrify_errors": their_failed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="a checkout of Dendrify's repository")
    parser.add_argument("-o", "--out", type=Path, default=Path("dendrify-examples.json"))
    parser.add_argument("--only", action="append", help="run only these items (repeatable)")
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args(argv)
    results = []
    for name, cells in items(args.checkout).items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"dendrify-{name}-") as tmp:
            result = compare(name, cells, Path(tmp), args.timeout)
        results.append(result)
        print(f"{name:28s} arrays {result['identical']:4d}/{result['arrays']:<4d} identical"
              f"  worst {result['worst_abs']:.3g}  printed {'same' if result['printed_same'] else 'DIFFERENT'}"
              f"  errors bridge {len(result['bridge_errors'])} dendrify {len(result['dendrify_errors'])}", flush=True)
    args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

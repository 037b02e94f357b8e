"""What ``bridge reduce`` reads from the command line: the detailed cell (HOC files and a
template, or a Python file defining ``cell()``; their arguments; the NMODL folder) and a
mapping file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import ModelError, SchemaError
from ..references import HocCell, PublishedCell, PythonCell, Region


def _argument(text: str):
    """A template argument: a number when it reads as one, else the string."""
    try:
        return float(text) if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text) else text
    except ValueError:
        return text


def cell_from_arguments(files, mod, template, args, celsius, v_init_mv, name=None) -> PublishedCell:
    """The cell the arguments describe: a :class:`PythonCell` when ``files`` is one .py
    file, else a :class:`HocCell`; without ``template``, the one template the HOC files
    define that no other creates with ``new`` (an error naming them when there are none or
    several)."""
    paths = tuple(Path(f) for f in files)
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise ModelError(f"no such file {str(missing[0])!r}", obj="bridge reduce", param="CELL",
                         hint="give the cell's .hoc files, or the .py file that defines cell()")
    shared = {"args": tuple(_argument(a) for a in args), "celsius": celsius,
              "v_init": None if v_init_mv is None else v_init_mv * 1e-3, "name": name or Path(paths[-1]).stem}
    if any(p.suffix == ".py" for p in paths):
        if len(paths) > 1 or template is not None:
            raise ModelError("a Python cell is one .py file, without --template", obj="bridge reduce", param="CELL",
                             hint="give HOC files (with --template), or one .py file that defines cell()")
        return PythonCell(paths[0], None if mod is None else Path(mod), **shared)
    if template is None:
        texts = [p.read_text() for p in paths]
        found = sorted({m for t in texts for m in re.findall(r"^\s*begintemplate\s+(\w+)", t, re.M)})
        used = {m for t in texts for m in re.findall(r"\bnew\s+(\w+)\s*\(", t)}
        if len(set(found) - used) == 1:   # the others are helpers the cell's template creates
            found = sorted(set(found) - used)
        if not found:
            raise ModelError("the HOC files define no template (a cell made of top-level sections?)",
                             obj="bridge reduce", param="--template",
                             hint="bridge builds the cell afresh for each measurement: wrap its code in "
                                  "begintemplate NAME ... endtemplate NAME with public section lists, or write a "
                                  "Python file whose cell() builds it (docs/reduction.md, 'Your own cell')")
        if len(found) != 1:
            raise ModelError(f"the HOC files define {len(found)} templates ({', '.join(found)})",
                             obj="bridge reduce", param="--template", hint="name the cell's template with --template")
        template = found[0]
    return HocCell(paths, template, None if mod is None else Path(mod), **shared)


def read_mapping(path) -> dict:
    """``{compartment: (Region, ...)}`` from a mapping file (JSON: compartment -> list of
    ``{"kind": ..., "start_um": ..., "stop_um": ...}``)."""
    obj = str(path)
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ModelError("no such mapping file", obj=obj, param="--mapping") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not JSON ({exc.msg} at line {exc.lineno})", obj=obj, param="--mapping") from None
    if not isinstance(data, dict) or not all(isinstance(v, list) and v for v in data.values()):
        raise SchemaError("a mapping is an object: compartment -> a non-empty list of regions", obj=obj,
                          param="--mapping")
    try:
        return {name: tuple(Region.from_dict(r) for r in regions) for name, regions in data.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemaError(f"a region is malformed ({exc})", obj=obj, param="--mapping",
                          expected='{"kind": ..., "start_um": ..., "stop_um": ...}') from None

"""Model -> NEURON files: the NMODL library, a Python cell class, a HOC template and
runnable scripts. Pure: ``neuron_files(model)`` returns ``{relative path: text}`` and the
same model always gives byte-identical text."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

from ..atomic import write_text_atomic
from ..model import ReducedModel
from ..templating import environment
from ..resources import packaged_dir
from .build import cache_root, mod_files
from .channels import needs_compiling
from .plan import CellPlan, PointPlan, plan_cell


def hoc_name(point: PointPlan) -> str:
    """The HOC objref of a point process: ``<kind>_<compartment>[_<label>]``."""
    if point.kind in ("synapse", "dspike", "nmodl"):
        return f"{point.kind}_{point.section}_{point.label}"
    return f"{point.kind}_{point.section}"


def number(value: float) -> str:
    """A parameter value as generated code writes it: 15 significant digits, so unit
    conversions print as 25.0 rather than 24.999999999999996."""
    return repr(float(f"{value:.15g}"))


def _render(template: str, plan: CellPlan, **extra) -> str:
    from .. import __version__
    env = environment("bridge.neuron")
    env.filters["hoc_name"] = hoc_name
    env.filters["num"] = number
    return env.get_template(template).render(
        version=__version__, model_name=plan.model_name, class_name=plan.class_name, sections=plan.sections,
        points=plan.points, spike_section=plan.spike_section, globals=plan.globals,
        variables=plan.variables, **extra)


def module_name(plan: CellPlan) -> str:
    """File stem of the Python cell module: the model's name."""
    return plan.model_name


def cell_source(plan: CellPlan) -> str:
    """The Python module defining the cell class of ``plan``."""
    return _render("cell.py.j2", plan)


def hoc_template(plan: CellPlan) -> str:
    """The HOC template of ``plan`` (``objref c; c = new <Class>(gid, seed)``)."""
    return _render("cell.hoc.j2", plan)


def neuron_files(model: ReducedModel) -> dict[str, str]:
    """Every file of the NEURON version of ``model``, by relative path."""
    plan = plan_cell(model)
    files = {f"mod/{path.name}": path.read_text() for path in mod_files()}
    for mech in plan.mechanisms:
        if needs_compiling(mech):
            files[f"mod/{mech.name}.mod"] = mech.source.text
    files[f"{module_name(plan)}.py"] = cell_source(plan)
    files[f"hoc/{plan.class_name}.hoc"] = hoc_template(plan)
    files["run.py"] = _render("run.py.j2", plan, module=module_name(plan))
    files["run.hoc"] = _render("run.hoc.j2", plan)
    for helper in sorted(packaged_dir("hoc").glob("*.hoc")):
        files[f"hoc/{helper.name}"] = helper.read_text()
    return files


def write_files(files: dict[str, str], directory) -> list[Path]:
    """Write ``files`` under ``directory``, each atomically; returns the paths."""
    directory = Path(directory)
    return [write_text_atomic(directory / rel, text) for rel, text in sorted(files.items())]


def load_cell_class(plan: CellPlan):
    """The cell class of ``plan``, imported from its generated module (kept in the cache,
    named by its content, so tracebacks show real source lines)."""
    source = cell_source(plan)
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    name = f"bridge_cell_{digest}"
    if name in sys.modules:
        return getattr(sys.modules[name], plan.class_name)
    path = cache_root().parent / "cells" / f"{name}.py"
    if not path.exists() or path.read_text() != source:
        write_text_atomic(path, source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return getattr(module, plan.class_name)

"""Data flows one way: no import runs back up the layers of docs/concepts.md (the model
and mechanisms import no simulator, the printers import neither each other nor
``simulate`` nor the builder, the builder imports no printer), and NEURON's ``h`` lives in
the neuron package only. Checked on the source, imports inside functions included."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bridge"

#: module prefix -> prefixes it must never import.
FORBIDDEN = {
    "bridge.units": ["bridge.model", "bridge.mechanisms", "bridge.brian2", "bridge.neuron", "bridge.builder",
                     "bridge.simulate", "bridge.convert", "bridge.assess", "bridge.report", "bridge.cli", "bridge.network"],
    "bridge.errors": ["bridge.units", "bridge.model", "bridge.mechanisms", "bridge.brian2", "bridge.neuron",
                      "bridge.builder", "bridge.simulate", "bridge.convert", "bridge.assess", "bridge.report",
                      "bridge.cli", "bridge.network"],
    "bridge.mechanisms": ["bridge.model", "bridge.brian2", "bridge.neuron", "bridge.builder", "bridge.simulate",
                          "bridge.convert", "bridge.assess", "bridge.report", "bridge.cli", "bridge.network"],
    "bridge.convert": ["bridge.model", "bridge.brian2", "bridge.neuron", "bridge.builder", "bridge.simulate",
                       "bridge.assess", "bridge.report", "bridge.cli", "bridge.network"],
    "bridge.model": ["bridge.brian2", "bridge.neuron", "bridge.builder", "bridge.simulate", "bridge.convert",
                     "bridge.assess", "bridge.report", "bridge.cli", "bridge.dendrify_api", "bridge.network"],
    "bridge.builder": ["bridge.brian2", "bridge.neuron", "bridge.simulate", "bridge.assess", "bridge.report",
                       "bridge.cli", "bridge.dendrify_api", "bridge.network"],
    "bridge.brian2": ["bridge.neuron", "bridge.simulate", "bridge.builder", "bridge.dendrify_api",
                      "bridge.assess", "bridge.report", "bridge.cli", "bridge.network"],
    "bridge.neuron": ["bridge.brian2", "bridge.simulate", "bridge.builder", "bridge.dendrify_api",
                      "bridge.assess", "bridge.report", "bridge.cli", "bridge.network"],
    "bridge.network": ["bridge.builder", "bridge.dendrify_api", "bridge.assess", "bridge.report", "bridge.cli"],
    "bridge.assess": ["bridge.cli", "bridge.network"],
    "bridge.report": ["bridge.cli"],
}

#: Exceptions to FORBIDDEN, each with its reason: module -> modules it may import.
ALLOWED = {
    # The user's equations (add_equations) reach NEURON through the Brian 2 reader's route
    # (Brian 2's parser, the reader's translation and coherent units): the planner reads
    # them with the one module that does (issue 11, item 3).
    "bridge.neuron.plan": ["bridge.brian2.equation_pieces"],
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_import_runs_back_up(path):
    module = _module_name(path)
    rules = [bad for prefix, bad in FORBIDDEN.items() if module == prefix or module.startswith(prefix + ".")]
    allowed = ALLOWED.get(module, [])
    for line, target in _imports(path):
        if any(target == a or target.startswith(a + ".") for a in allowed):
            continue
        for bad in (b for rule in rules for b in rule):
            assert not target.startswith(bad), f"{path.name}:{line} imports {target}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_neuron_h_only_in_the_neuron_package(path):
    if _module_name(path).startswith("bridge.neuron"):
        return
    for line, target in _imports(path):
        assert target != "neuron.h", f"{path.name}:{line} imports NEURON's h outside bridge.neuron"

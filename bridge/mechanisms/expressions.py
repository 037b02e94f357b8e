"""Mechanism expressions as Python syntax trees: rename their symbols for a printer,
list the names they use, and evaluate statements numerically (INITIAL blocks).

Expressions follow the conventions of :mod:`bridge.mechanisms.mechanism`; they are parsed
with Python's :mod:`ast`, so renaming never touches text inside other names.
"""

from __future__ import annotations

import ast
import copy
import math
from functools import lru_cache

import numpy as np

from ..errors import ModelError

#: Functions an expression may call, with their numerical meaning.
FUNCTIONS = {
    "exp": np.exp, "log": np.log, "log10": np.log10, "sqrt": np.sqrt, "abs": np.abs, "sin": np.sin,
    "cos": np.cos, "tan": np.tan, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "floor": np.floor,
    "ceil": np.ceil, "ifelse": np.where,
}


@lru_cache(maxsize=4096)
def _parse(expression: str) -> ast.Expression:
    try:
        return ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ModelError(f"cannot parse {expression!r}: {exc.msg}", obj="expression") from None


def names(expression: str) -> set[str]:
    """The symbols ``expression`` reads (function names excluded)."""
    tree = _parse(expression)
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - called


class _Renamer(ast.NodeTransformer):
    def __init__(self, mapping: dict[str, str]):
        self.mapping = mapping

    def visit_Call(self, node: ast.Call):  # keep function names, rename arguments
        node.args = [self.visit(a) for a in node.args]
        return node

    def visit_Name(self, node: ast.Name):
        return ast.copy_location(ast.Name(self.mapping.get(node.id, node.id), node.ctx), node)


def rename(expression: str, mapping: dict[str, str]) -> str:
    """``expression`` with its symbols renamed by ``mapping`` (others kept)."""
    tree = _Renamer(mapping).visit(copy.deepcopy(_parse(expression)))  # the parsed tree is cached
    return ast.unparse(tree)


def evaluate(expression: str, values: dict[str, float]) -> float:
    """The value of ``expression`` with ``values`` for its symbols."""
    missing = names(expression) - set(values)
    if missing:
        raise ModelError(f"{expression!r} needs {sorted(missing)}, which have no value", obj="expression")
    code = compile(_parse(expression), "<mechanism>", "eval")
    with np.errstate(all="ignore"):  # ifelse evaluates both branches, as compiled code does
        scope = {k: np.float64(v) for k, v in values.items()}  # IEEE arithmetic: 1/0 is inf, not an exception
        result = eval(code, {"__builtins__": {}, **FUNCTIONS}, scope)  # noqa: S307 (parsed, names checked)
    return float(result)


def run_statements(statements, values: dict[str, float]) -> dict[str, float]:
    """Execute ``statements`` (``Assign`` objects, in order) on a copy of ``values``."""
    values = dict(values)
    for st in statements:
        values[st.target] = evaluate(st.expression, values)
        if not math.isfinite(values[st.target]):
            raise ModelError(f"evaluates to {values[st.target]}", obj=f"statement {st.target}",
                             param="expression", hint=f"check the values it reads: {sorted(names(st.expression))}")
    return values

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


class _DivisionGuard(ast.NodeTransformer):
    def visit_BinOp(self, node: ast.BinOp):
        self.generic_visit(node)
        if isinstance(node.op, ast.Div) and not isinstance(node.right, ast.Constant):
            return ast.copy_location(ast.Call(ast.Name("divide", ast.Load()), [node.left, node.right], []), node)
        return node


def guarded_divisions(expression: str) -> str:
    """``expression`` with every division by something other than a number written
    ``divide(a, b)`` (a division that is never an error: see bridge.brian2.functions)."""
    return ast.unparse(_DivisionGuard().visit(copy.deepcopy(_parse(expression))))


def branch_values(expressions) -> tuple[set[str], set[str]]:
    """The names ``expressions`` read as a value of ``ifelse`` (its second or third argument,
    bare), and the names they read anywhere else (a condition, an operand)."""
    branch, other = set(), set()

    def visit(node):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ifelse" \
                and len(node.args) == 3:
            visit(node.args[0])
            for arg in node.args[1:]:
                branch.add(arg.id) if isinstance(arg, ast.Name) else visit(arg)
        elif isinstance(node, ast.Name):
            other.add(node.id)
        else:
            for child in ast.iter_child_nodes(node):
                if not (isinstance(node, ast.Call) and child is node.func):
                    visit(child)

    for expression in expressions:
        visit(_parse(expression).body)
    return branch, other


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


def run_statements(statements, values: dict[str, float], needed=None) -> dict[str, float]:
    """Execute ``statements`` (``Assign`` objects, in order) on a copy of ``values``. A value
    that is not finite is an error where it ends up in ``needed`` (every target when None):
    the branch of an if/else that is not taken may be one without harm (efun's z/(exp(z) - 1)
    at z = 0, beside the 1 - z/2 taken there)."""
    values, last = dict(values), {}
    for st in statements:
        values[st.target] = evaluate(st.expression, values)
        last[st.target] = st
    for target, st in last.items():
        if (needed is None or target in needed) and not math.isfinite(values[target]):
            raise ModelError(f"evaluates to {values[target]}", obj=f"statement {target}", param="expression",
                             hint=f"check the values it reads: {sorted(names(st.expression))}")
    return values

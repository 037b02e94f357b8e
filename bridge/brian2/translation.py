"""Brian 2 expressions -> bridge mechanism expressions (:mod:`bridge.brian2.reader`): unit
names become numbers of the coherent NEURON system, Brian 2 functions without an NMODL
spelling become ``ifelse`` forms, noise terms are removed, and the linear parts of an
equation in one variable are found. Every rewrite is on Python's syntax tree."""

from __future__ import annotations

import ast

from ..errors import UnsupportedFeatureError
from ..mechanisms.expressions import names as expression_names

#: Brian 2 functions with an NMODL spelling, and those rewritten into others.
_FUNCTIONS = {"exp", "log", "log10", "sqrt", "abs", "sin", "cos", "tan", "tanh", "sinh", "cosh", "floor", "ceil"}
_REWRITTEN = {"int", "clip", "exprel", "sign"}


class Translator(ast.NodeTransformer):
    """A Brian 2 expression -> a mechanism expression: unit names become numbers of the
    coherent system, ``int``/``clip``/``exprel``/``sign`` become ``ifelse`` forms."""

    def __init__(self, literals: dict[str, float], obj: str):
        self.literals, self.obj = literals, obj

    def visit_Name(self, node):
        if node.id in self.literals:
            return ast.copy_location(ast.Constant(self.literals[node.id]), node)
        if node.id in ("True", "False"):
            return ast.Constant(1.0 if node.id == "True" else 0.0)
        return node

    def visit_Constant(self, node):
        if isinstance(node.value, bool):
            return ast.Constant(1.0 if node.value else 0.0)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in _FUNCTIONS or name == "ifelse" and len(node.args) == 3:   # bridge's own (brian2/functions.py)
            return node
        args = node.args
        parse = lambda text: ast.parse(text, mode="eval").body  # noqa: E731
        if name == "int" and len(args) == 1:
            return ast.Call(ast.Name("ifelse", ast.Load()), [args[0], ast.Constant(1.0), ast.Constant(0.0)], [])
        if name == "clip" and len(args) == 3:
            x, lo, hi = (ast.unparse(a) for a in args)
            return parse(f"ifelse(({x}) < ({lo}), {lo}, ifelse(({x}) > ({hi}), {hi}, {x}))")
        if name == "exprel" and len(args) == 1:
            x = ast.unparse(args[0])
            return parse(f"ifelse(({x}) == 0, 1.0, (exp({x}) - 1.0) / ({x}))")
        if name == "sign" and len(args) == 1:
            x = ast.unparse(args[0])
            return parse(f"ifelse(({x}) > 0, 1.0, ifelse(({x}) < 0, -1.0, 0.0))")
        raise UnsupportedFeatureError(f"calls {ast.unparse(node.func)}(), which has no NMODL counterpart",
                                      obj=self.obj, param=str(name),
                                      expected=", ".join(sorted(_FUNCTIONS | _REWRITTEN | {"ifelse"})))

    def visit_BinOp(self, node):
        """Fold numbers (``4.0 * 1.0``, ``1.0 ** -1``) and drop exact identities (``x * 1.0``,
        ``x / 1.0``), so the file reads as the user wrote it, without unit factors."""
        self.generic_visit(node)
        left, right = (n.value if _number(n) else None for n in (node.left, node.right))
        if left is not None and right is not None:
            try:
                return ast.copy_location(ast.Constant(float(eval(compile(ast.Expression(node), "", "eval")))), node)
            except (ArithmeticError, ValueError):
                return node
        if right == 1.0 and isinstance(node.op, (ast.Mult, ast.Div, ast.Pow)):
            return node.left
        if left == 1.0 and isinstance(node.op, ast.Mult):
            return node.right
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.USub) and _number(node.operand):
            return ast.copy_location(ast.Constant(-float(node.operand.value)), node)
        return node

    def text(self, code: str) -> str:
        return ast.unparse(self.visit(ast.parse(code.strip(), mode="eval")))


def _number(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def without_noise(code: str, noise: set) -> str:
    """``code`` with its noise terms removed (each ``xi`` set to 0, then products with 0
    and sums with 0 simplified), keeping the rest as written."""
    class Drop(ast.NodeTransformer):
        def visit_Name(self, node):
            return ast.Constant(0.0) if node.id in noise else node

        def visit_BinOp(self, node):
            self.generic_visit(node)
            zero = [isinstance(n, ast.Constant) and n.value == 0.0 for n in (node.left, node.right)]
            if isinstance(node.op, (ast.Mult, ast.Div)) and zero[0] or isinstance(node.op, ast.Mult) and zero[1]:
                return ast.Constant(0.0)
            if isinstance(node.op, (ast.Add, ast.Sub)) and zero[1]:
                return node.left
            if isinstance(node.op, ast.Add) and zero[0]:
                return node.right
            return node
    if not noise:
        return code
    return ast.unparse(Drop().visit(ast.parse(code.strip(), mode="eval")))


def linear_parts(expression: str, state: str):
    """``(slope, offset)`` texts with ``expression = slope * state + offset``, slope free
    of ``state``; None when the expression is not of that form."""
    import sympy as sp
    tree = ast.parse(expression, mode="eval")
    if any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "ifelse" and state in expression_names(
            ast.unparse(n)) for n in ast.walk(tree)):
        return None
    # every name a plain symbol: sympy would read a variable called trace, gamma or E as its
    # own function or constant
    symbols = {n: sp.Symbol(n) for n in expression_names(expression) | {state}}
    try:
        expr = sp.sympify(expression.replace("abs(", "Abs("), locals={**symbols, "ifelse": sp.Function("ifelse")})
    except (sp.SympifyError, TypeError, SyntaxError):
        return None
    x = sp.Symbol(state)
    slope = sp.diff(expr, x)
    if slope.has(x):
        return None
    return from_sympy(slope), from_sympy(expr.subs(x, 0))


def inlined(expression: str, definitions: dict[str, str]) -> str:
    """``expression`` with each name of ``definitions`` (subexpressions, which do not read
    themselves) replaced by its definition, recursively."""
    class Inline(ast.NodeTransformer):
        def visit_Name(self, node):
            if node.id in definitions:
                return Inline().visit(ast.parse(definitions[node.id], mode="eval").body)
            return node
    return ast.unparse(Inline().visit(ast.parse(expression, mode="eval")))


def linear_in_own_states(derivatives, definitions: dict[str, str]) -> bool:
    """True when every derivative, its subexpressions (``definitions``) inlined, is linear
    in its own state: the condition for NMODL's ``cnexp``, which holds everything else
    over the step."""
    return all(linear_parts(inlined(d.expression, definitions), d.state) is not None for d in derivatives)


def from_sympy(expr) -> str:
    """A sympy expression as mechanism syntax (``Abs`` -> ``abs``)."""
    return rename_functions(str(expr), {"Abs": "abs"})


def rename_functions(text: str, mapping: dict[str, str]) -> str:
    tree = ast.parse(text, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in mapping:
            node.func.id = mapping[node.func.id]
    return ast.unparse(tree)

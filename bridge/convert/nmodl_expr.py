"""Expressions: a small immutable tree, built from nmodl AST expression nodes, and its
printer in the model's Python/Brian 2 syntax.

Trees keep the file's own arithmetic (no simplification): ``a^b`` prints ``a**b``,
``fabs`` ``abs``, ``pow(a, b)`` ``a**b``, ``&&``/``||``/``!`` ``and``/``or``/``not``.
Numbers print as floats (``3.0``), so no printer ever divides integers. ``Ref`` points at
a value computed by an earlier statement; its printed name is chosen once the whole
block is known (see :mod:`.nmodl_exec`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Sym:
    """A free symbol: ``v``, a parameter, a variable's value before the block assigns it."""
    name: str


@dataclass(frozen=True, eq=False)
class Ref:
    """The value of one statement (compared by identity)."""
    base: str
    kind: str   # "var" (a mechanism variable), "local", "builtin" (v, an ion variable read)


@dataclass(frozen=True)
class Bin:
    op: str   # Python spelling: + - * / ** < <= > >= == != and or
    left: object
    right: object


@dataclass(frozen=True)
class Unary:
    op: str   # "-" or "not"
    operand: object


@dataclass(frozen=True)
class Call:
    fn: str
    args: tuple


@dataclass(frozen=True)
class IfElse:
    cond: object
    then: object
    other: object


#: NMODL functions bridge expresses, by their printed name.
FUNCTIONS = {"exp": "exp", "log": "log", "log10": "log10", "sqrt": "sqrt", "tanh": "tanh", "sin": "sin",
             "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh", "floor": "floor", "ceil": "ceil",
             "fabs": "abs", "abs": "abs"}

_BINARY = {"+": "+", "-": "-", "*": "*", "/": "/", "^": "**", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
           "==": "==", "!=": "!=", "&&": "and", "||": "or"}

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4, "+": 5, "-": 5,
               "*": 6, "/": 6, "neg": 7, "**": 8}


def binary_op(nmodl_op: str) -> str | None:
    return _BINARY.get(nmodl_op)


def fmt_number(value: float) -> str:
    return repr(float(value))


def precedence(e) -> int:
    if isinstance(e, Bin):
        return _PRECEDENCE[e.op]
    if isinstance(e, Unary):
        return _PRECEDENCE["neg" if e.op == "-" else "not"]
    if isinstance(e, Num) and e.value < 0:
        return _PRECEDENCE["neg"]
    return 10


def to_text(e, name_of) -> str:
    """``e`` in Python syntax; ``name_of(ref)`` gives a Ref's printed name."""
    if isinstance(e, Num):
        return fmt_number(e.value)
    if isinstance(e, Sym):
        return e.name
    if isinstance(e, Ref):
        return name_of(e)
    if isinstance(e, Call):
        return f"{e.fn}({', '.join(to_text(a, name_of) for a in e.args)})"
    if isinstance(e, IfElse):
        return f"ifelse({to_text(e.cond, name_of)}, {to_text(e.then, name_of)}, {to_text(e.other, name_of)})"
    if isinstance(e, Unary):
        inner = to_text(e.operand, name_of)
        mine = precedence(e)
        if precedence(e.operand) < mine or (e.op == "-" and precedence(e.operand) == mine):
            inner = f"({inner})"
        return f"-{inner}" if e.op == "-" else f"not {inner}"
    if isinstance(e, Bin):
        mine = precedence(e)
        left, right = to_text(e.left, name_of), to_text(e.right, name_of)
        lp, rp = precedence(e.left), precedence(e.right)
        if e.op == "**":   # right-associative; a negative or unary base needs parentheses
            wrap_left, wrap_right = lp <= mine, rp < mine
        elif mine == 4:    # comparisons do not chain
            wrap_left, wrap_right = lp <= mine, rp <= mine
        else:
            wrap_left, wrap_right = lp < mine, rp <= mine   # keep the file's grouping: a*(b/c)
        if wrap_left:
            left = f"({left})"
        if wrap_right:
            right = f"({right})"
        return f"{left} {e.op} {right}"
    raise TypeError(f"not an expression: {e!r}")


def nodes(e):
    """Every node of expression ``e``, depth first, left to right."""
    yield e
    if isinstance(e, Bin):
        children = (e.left, e.right)
    elif isinstance(e, Unary):
        children = (e.operand,)
    elif isinstance(e, Call):
        children = tuple(e.args)
    elif isinstance(e, IfElse):
        children = (e.cond, e.then, e.other)
    else:
        children = ()
    for child in children:
        yield from nodes(child)


def symbols(e) -> set:
    """Names of the free symbols (``Sym``) in ``e``."""
    return {n.name for n in nodes(e) if isinstance(n, Sym)}


def refs(e) -> list:
    """The Refs ``e`` uses, in order."""
    return [n for n in nodes(e) if isinstance(n, Ref)]


def tree_algebra(temp):
    """Arithmetic on expression trees for :func:`bridge.mechanisms.linear_solve.solve`;
    ``temp(label, tree)`` stores an intermediate value (a statement) and returns its Ref."""
    from ..mechanisms.linear_solve import Algebra
    return Algebra(add=lambda x, y: Bin("+", x, y), sub=lambda x, y: Bin("-", x, y),
                   mul=lambda x, y: Bin("*", x, y), div=lambda x, y: Bin("/", x, y),
                   neg=lambda x: Unary("-", x), temp=temp)

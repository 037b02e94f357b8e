"""LINEAR blocks that INITIAL solves: simultaneous linear equations for STATEs.

Raman & Bean's resurgent sodium channel (rsg.mod and its descendants) starts its thirteen
states at the equilibrium a LINEAR block states, one ``~ lhs = rhs`` per state::

    INITIAL { rates(v)  SOLVE seqinitial }
    LINEAR seqinitial { ~ I1*bi1 + C2*b01 - C1*(fi1 + f01) = 0 ... }

The unknowns are the STATEs the equations name (in the order the file declares them), the
equations must be linear in them, as many as they; each equation's coefficients are read
off its expression tree (:func:`linear_parts`), and the system is written out as Gaussian
elimination (:mod:`bridge.mechanisms.linear_solve`). NEURON's ``simeq`` picks its pivots by
value; straight-line statements cannot, so the equations are ordered so that every pivot
is structurally nonzero (a matching of equations to unknowns), which is what an
equilibrium of a kinetic scheme (a diagonally dominant system) needs. A LINEAR block that
BREAKPOINT solves, or one with a statement other than assignments and equations, is
refused.
"""

from __future__ import annotations

from ..mechanisms.linear_solve import solve
from .nmodl_exec import Frame
from .nmodl_expr import Bin, Num, Sym, Unary, symbols, tree_algebra
from .nmodl_source import unsupported

_GENERAL = "bridge solves LINEAR blocks in INITIAL whose '~' equations are linear in the STATEs they name"


_ZERO, _ONE = Num(0.0), Num(1.0)


def _plus(op: str, a, b):
    if b == _ZERO:
        return a
    if a == _ZERO:
        return b if op == "+" else _negated(b)
    return Bin(op, a, b)


def _times(a, b):
    if _ZERO in (a, b):
        return _ZERO
    return b if a == _ONE else a if b == _ONE else Bin("*", a, b)


def _negated(a):
    if a == _ZERO:
        return a
    return a.operand if isinstance(a, Unary) and a.op == "-" else Unary("-", a)


def linear_parts(e, unknowns: set):
    """``({unknown: coefficient}, constant)`` with ``e == sum(coefficient*unknown) +
    constant``; None where ``e`` is not linear in ``unknowns``."""
    if not symbols(e) & unknowns:
        return {}, e
    if isinstance(e, Sym):
        return {e.name: _ONE}, _ZERO
    if isinstance(e, Unary) and e.op == "-":
        found = linear_parts(e.operand, unknowns)
        return None if found is None else ({k: _negated(c) for k, c in found[0].items()}, _negated(found[1]))
    if isinstance(e, Bin) and e.op in ("+", "-"):
        left, right = linear_parts(e.left, unknowns), linear_parts(e.right, unknowns)
        if left is None or right is None:
            return None
        merged = dict(left[0])
        for k, c in right[0].items():
            merged[k] = _plus(e.op, merged[k], c) if k in merged else (c if e.op == "+" else _negated(c))
        return merged, _plus(e.op, left[1], right[1])
    if isinstance(e, Bin) and e.op == "*":
        for inner, factor in ((e.left, e.right), (e.right, e.left)):
            if not symbols(factor) & unknowns:
                found = linear_parts(inner, unknowns)
                return None if found is None else (
                    {k: _times(c, factor) for k, c in found[0].items()}, _times(found[1], factor))
        return None
    if isinstance(e, Bin) and e.op == "/" and not symbols(e.right) & unknowns:
        found = linear_parts(e.left, unknowns)
        return None if found is None else ({k: Bin("/", c, e.right) for k, c in found[0].items()},
                                           Bin("/", found[1], e.right))
    return None


def _matching(rows: list[set[int]], n: int) -> list[int] | None:
    """For each unknown, an equation that names it (each equation once); None if none."""
    owner: dict[int, int] = {}

    def claim(row: int, seen: set) -> bool:
        for column in sorted(rows[row]):
            if column in seen:
                continue
            seen.add(column)
            if column not in owner or claim(owner[column], seen):
                owner[column] = row
                return True
        return False
    for row in range(len(rows)):
        if not claim(row, set()):
            return None
    return [owner[j] for j in range(n)]


def solve_linear(executor, block, states, frame: Frame) -> None:
    """Execute ``SOLVE block`` (a LINEAR block) in INITIAL: its assignments, then the solution
    of its equations, assigned to the STATEs they name."""
    lines = executor.parsed.locator.block("LINEAR", block.get_node_name())
    where = executor.parsed.where(lines[0])
    inner = Frame(parent=frame)
    saved = {s: executor.env.pop(s) for s in states if s in executor.env}
    equations = []
    for st in block.statement_block.statements:
        e = st.expression if type(st).__name__ == "ExpressionStatement" else st
        if type(e).__name__ == "LinEquation":
            equations.append(Bin("-", executor.expr(e.lhs, inner), executor.expr(e.rhs, inner)))
        else:
            executor.statement(st, inner)
    executor.env.update(saved)
    named = set().union(*(symbols(e) for e in equations)) & set(states) if equations else set()
    order = [s for s in states if s in named]
    parts = [linear_parts(e, set(order)) for e in equations]
    if not equations or any(p is None for p in parts):
        raise unsupported("LINEAR", "has equations that are not linear in the STATEs they name", where,
                          hint=_GENERAL)
    if len(equations) != len(order):
        raise unsupported("LINEAR", f"has {len(equations)} equations for the {len(order)} STATEs they name "
                          f"({', '.join(order)})", where, hint=_GENERAL)
    index = {s: j for j, s in enumerate(order)}
    chosen = _matching([{index[k] for k in coefficients} for coefficients, _ in parts], len(order))
    if chosen is None:
        raise unsupported("LINEAR", "has equations that leave a STATE undetermined (a singular system)", where,
                          hint=_GENERAL)
    matrix, rhs = {}, []
    for i, row in enumerate(chosen):
        coefficients, constant = parts[row]
        matrix.update({(i, index[k]): c for k, c in coefficients.items()})
        rhs.append(_negated(constant))
    algebra = tree_algebra(lambda label, x: executor.emit(f"lin_{label}", "local", x))
    try:
        values = solve(matrix, rhs, algebra)
    except ValueError:
        raise unsupported("LINEAR", "has equations whose elimination meets a zero pivot", where,
                          hint=_GENERAL) from None
    for name, value in zip(order, values):
        executor.env[name] = executor.emit(name, "var", value)

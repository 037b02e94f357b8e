"""A PROCEDURE that BREAKPOINT solves (``SOLVE states``, no METHOD) and that advances its
STATEs itself, as many older ModelDB files do::

    m = m + (1 - exp(-dt/tau_m))*(m_inf - m)

or, through values computed first (Mainen's ``mexp = 1 - exp(tinc/mtau)`` with
``tinc = -dt*tadj``), ``m = m + mexp*(minf - m)``. Each is one exponential step of
``m' = (m_inf - m)/tau_m``, exactly the step NEURON's ``cnexp`` takes with that DERIVATIVE,
so the STATE gets that derivative and the mechanism integrates as any other. The
values that only served the step (those that read ``dt``) go with it. A STATE assigned in
another form, or inside an ``if``, and a value that still reads ``dt`` after the
conversion, are refused with the file and line.
"""

from __future__ import annotations

from .nmodl_expr import Bin, Call, Num, Ref, Sym, Unary, nodes
from .nmodl_source import unsupported

DT = Sym("dt")
SHAPE = "S = S + (1 - exp(-dt/tau))*(S_inf - S), the exponential step of S' = (S_inf - S)/tau"


def run_explicit(executor, block, states) -> None:
    """Execute PROCEDURE ``block`` into ``executor`` and turn its STATE updates into
    derivatives (see the module docstring)."""
    executor.mode = "explicit"
    executor.run(block.statement_block)
    executor.mode = "derivative"
    where = executor.parsed.where(executor.lines[0])
    values = {id(ref): value for ref, value in executor.statements}
    updated = [name for name in states if isinstance(executor.env.get(name), Ref)]
    if not updated:
        raise unsupported("SOLVE", f"solves the PROCEDURE {block.get_node_name()}, which advances no STATE", where)
    steps = set()
    for state in updated:
        ref = executor.env.pop(state)
        executor.derivatives.append((state, _derivative(values[id(ref)], state, values, where)))
        steps.add(id(ref))
    drop_values_of_dt(executor, where, steps)


def _resolved(e, values):
    """``e`` with a Ref replaced by the value it names (one level at a time)."""
    while isinstance(e, Ref) and id(e) in values:
        e = values[id(e)]
    return e


def _derivative(value, state: str, values, where):
    """S' from the new value of STATE S, or a refusal."""
    old = Sym(state)
    value = _resolved(value, values)
    increment = None
    if isinstance(value, Bin) and value.op == "+":
        increment = value.right if value.left == old else value.left if value.right == old else None
        sign = 1
    elif isinstance(value, Bin) and value.op == "-" and value.left == old:
        increment, sign = value.right, -1
    increment = _resolved(increment, values)
    if not (isinstance(increment, Bin) and increment.op == "*"):
        raise _refusal(state, where)
    for fraction, difference in ((increment.left, increment.right), (increment.right, increment.left)):
        difference = _resolved(difference, values)
        if not (isinstance(difference, Bin) and difference.op == "-"):
            continue
        target = difference.left if sign == 1 and difference.right == old else \
            difference.right if sign == -1 and difference.left == old else None
        rate = _rate(_resolved(fraction, values), values)
        if target is not None and rate is not None and old not in nodes(target) and not _reads_dt(target, values):
            if isinstance(rate, Bin) and rate.op == "/" and rate.left == Num(1.0):
                return Bin("/", Bin("-", target, old), rate.right)
            return Bin("*", Bin("-", target, old), rate)
    raise _refusal(state, where)


def _rate(fraction, values):
    """k from ``1 - exp(-k*dt)`` (the fraction of the way to S_inf one step goes), else None."""
    if not (isinstance(fraction, Bin) and fraction.op == "-" and fraction.left == Num(1.0)):
        return None
    power = _resolved(fraction.right, values)
    if not (isinstance(power, Call) and power.fn == "exp" and len(power.args) == 1):
        return None
    per_dt = _without_dt(_resolved(power.args[0], values), values)
    if per_dt is None or _reads_dt(per_dt, values):
        return None
    return _negated(per_dt)


def _without_dt(e, values):
    """``e / dt`` where ``e`` is ``dt`` times a factor (through products, quotients and
    negation), else None."""
    e = _resolved(e, values)
    if e == DT:
        return Num(1.0)
    if isinstance(e, Unary) and e.op == "-":
        inner = _without_dt(e.operand, values)
        return None if inner is None else _negated(inner)
    if isinstance(e, Bin) and e.op in ("*", "/"):
        left, right = _reads_dt(e.left, values), _reads_dt(e.right, values)
        if left and not right:
            inner = _without_dt(e.left, values)
            return None if inner is None else _simplified(Bin(e.op, inner, e.right))
        if right and not left and e.op == "*":
            inner = _without_dt(e.right, values)
            return None if inner is None else _simplified(Bin("*", e.left, inner))
    return None


def _negated(e):
    if isinstance(e, Unary) and e.op == "-":
        return e.operand
    if isinstance(e, Bin) and e.op in ("*", "/") and isinstance(e.left, Unary) and e.left.op == "-":
        return Bin(e.op, e.left.operand, e.right)
    return Unary("-", e)


def _simplified(e):
    """``1*x`` and ``x*1`` as ``x``, ``(-1)*x`` as ``-x`` (what removing dt leaves)."""
    if isinstance(e, Bin) and e.op == "*":
        for one, other in ((e.left, e.right), (e.right, e.left)):
            if one == Num(1.0):
                return other
            if one == Unary("-", Num(1.0)):
                return Unary("-", other)
    return e


def _reads_dt(e, values, seen=None) -> bool:
    """Whether ``e`` reads ``dt``, directly or through the values it refers to."""
    seen = set() if seen is None else seen
    for node in nodes(e):
        if node == DT:
            return True
        if isinstance(node, Ref) and id(node) in values and id(node) not in seen:
            seen.add(id(node))
            if _reads_dt(values[id(node)], values, seen):
                return True
    return False


def drop_values_of_dt(executor, where, also=frozenset()) -> None:
    """Remove from ``executor``'s statements those in ``also`` (the STATE updates) and every
    value that reads ``dt`` (what served an exponential step: ``mexp``, also computed when
    INITIAL calls the same rates procedure); refuse if what is left still uses one."""
    values = {id(ref): value for ref, value in executor.statements}
    gone = {id(ref) for ref, value in executor.statements if id(ref) in also or _reads_dt(value, values)}
    if not gone:
        return
    executor.statements = [(ref, value) for ref, value in executor.statements if id(ref) not in gone]
    for name, value in list(executor.env.items()):
        if isinstance(value, Ref) and id(value) in gone:
            del executor.env[name]
    kept = [value for _, value in executor.statements] + [d for _, d in executor.derivatives]
    if any(isinstance(node, Ref) and id(node) in gone for value in kept for node in nodes(value)):
        raise unsupported("SOLVE", "uses dt beyond the exponential step of its STATEs", where,
                          hint=f"bridge reads a PROCEDURE's state updates in one form: {SHAPE}")


def _refusal(state: str, where):
    return unsupported("SOLVE", f"advances the STATE {state} in a form bridge does not read as a derivative",
                       where, hint=f"write it as a DERIVATIVE block, or as {SHAPE}")

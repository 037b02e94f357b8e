"""States advanced together by backward Euler: the coupled linear equations of a kinetic
scheme (NEURON's ``sparse``), for ``exponential_strang``.

A gate's equation is linear in the gate alone, so each gate's backward-Euler step is a
division. The states of a KINETIC scheme (a channel's Markov model) feed each other:
``C2' = 2*a*C1 - b*C2 - (a*C2 - 2*b*O)``. Stepped one at a time, each with the others'
old values, they drift from NEURON's step (the RMS difference 87% of the peak current in
the clamp of bridge's four-state ring, tests/mod_idioms/nav4.mod, with kchain.mod);
NEURON solves the whole system ``(I - h*M) x = x_old + h*c`` at once, and so does the
code written here (:mod:`bridge.mechanisms.linear_solve`), with ``h`` the whole step
(``implicit``) or, under NEURON's Crank-Nicolson, a backward-Euler half step extrapolated
to the whole (``implicit_midpoint``).
"""

from __future__ import annotations

import sympy as sp
from brian2.parsing.sympytools import sympy_to_str

from ..mechanisms.linear_solve import Algebra, solve


def linear_system(rates, names: list[str], held: frozenset):
    """``(M, c)`` with ``names' = M @ names + c`` (``M`` by (row, column), zeros left out),
    the subexpressions that do not depend on ``names`` (and those ``held``) kept as symbols;
    None where the equations are not linear in ``names``."""
    dependent = set().union(*(rates.depending_on(v) for v in names)) - held
    expressions = [rates.expanded(var, dependent) for var in names]
    symbols = {sym.name: sym for e in expressions for sym in e.free_symbols if sym.name in names}
    matrix, offsets = {}, []
    for i, expression in enumerate(expressions):
        for j, var in enumerate(names):
            if var not in symbols:
                continue
            try:
                slope = sp.diff(expression, symbols[var])
            except Exception:   # a function sympy cannot differentiate
                return None
            if any(sym.name in names for sym in slope.free_symbols):
                return None
            if slope != 0:
                matrix[(i, j)] = slope
        offsets.append(expression.subs({sym: 0 for sym in symbols.values()}))
    return matrix, offsets


def blocks(rates, names: list[str], held: frozenset) -> list[tuple[list[str], dict, list]]:
    """The groups of ``names`` whose equations read each other, as ``(names, M, c)`` over
    each group (groups of one left out: a gate's own step serves them); none where the
    equations of ``names`` are not linear in them."""
    found = linear_system(rates, names, held) if len(names) > 1 else None
    if found is None:
        return []
    matrix, offsets = found
    root = list(range(len(names)))

    def find(i: int) -> int:
        while root[i] != i:
            i = root[i]
        return i
    for i, j in matrix:
        root[find(i)] = find(j)
    members: dict[int, list[int]] = {}
    for i in range(len(names)):
        members.setdefault(find(i), []).append(i)
    out = []
    for group in members.values():
        if len(group) < 2:
            continue
        position = {k: n for n, k in enumerate(group)}
        sub = {(position[i], position[j]): e for (i, j), e in matrix.items() if i in position}
        out.append(([names[k] for k in group], sub, [offsets[k] for k in group]))
    return out


def reads(block_matrix: dict, block_offsets: list) -> set[str]:
    """The names a block's coefficients read."""
    return {sym.name for e in [*block_matrix.values(), *block_offsets] for sym in e.free_symbols}


def step(names: list[str], matrix: dict, offsets: list, renamed, per_neuron: set[str], scheme: str,
         code: list[str]) -> dict[str, str]:
    """Append code advancing the coupled ``names`` one step by backward Euler (``scheme``
    ``implicit``) or a backward-Euler half step extrapolated (``implicit_midpoint``), the
    coefficients read through ``renamed`` (expression -> expression with the step's names);
    returns each state's new name. ``per_neuron``: the names (after renaming) whose values
    differ between neurons; an intermediate value reading none of them is written out where
    it is used, not stored (Brian 2 would make it a scalar, written after vector values)."""
    h = sp.Symbol("dt") if scheme == "implicit" else sp.Symbol("dt") / 2
    tag = f"_k_{names[0]}"
    per_neuron = set(per_neuron)

    def temp(label: str, expression) -> sp.Symbol:
        if not any(sym.name in per_neuron for sym in sp.sympify(expression).free_symbols):
            return expression
        code.append(f"{tag}_{label} = {sympy_to_str(expression)}")
        per_neuron.add(f"{tag}_{label}")
        return sp.Symbol(f"{tag}_{label}")
    old = [renamed(sp.Symbol(var)) for var in names]
    system = {(i, j): (1 if i == j else 0) - h * renamed(e) for (i, j), e in matrix.items()}
    for i in range(len(names)):
        system.setdefault((i, i), sp.Integer(1))
    rhs = [old[i] + h * renamed(offsets[i]) for i in range(len(names))]
    algebra = Algebra(add=lambda x, y: x + y, sub=lambda x, y: x - y, mul=lambda x, y: x * y,
                      div=lambda x, y: x / y, neg=lambda x: -x, temp=temp)
    solution = solve(system, rhs, algebra)
    new = {}
    for var, x, start in zip(names, solution, old):
        new[var] = f"_{var}_new"
        code.append(f"{new[var]} = {sympy_to_str(x if scheme == 'implicit' else 2 * x - start)}")
    return new

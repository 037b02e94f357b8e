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

A subexpression the equations read that is itself linear in the states (a CONSERVE's
state, ``I = 1 - C1 - C2 - O``) is an unknown of its own, with its definition as its row,
as NEURON gives the CONSERVE a row of the system: written into the other rows instead, it
subtracts rates from rates, and with rates of 3e14 /ms (ModelDB's naslowcond2 at +40 mV)
that cancellation cost 2e-6 of the open probability in one step.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from brian2.parsing.sympytools import str_to_sympy, sympy_to_str

from ..mechanisms.linear_solve import Algebra, solve


def _slopes(expression, unknowns: list[str]):
    """``({j: d expression / d unknowns[j]}, expression at 0)``; None where not linear."""
    symbols = {sym.name: sym for sym in expression.free_symbols if sym.name in unknowns}
    slopes = {}
    for j, name in enumerate(unknowns):
        if name not in symbols:
            continue
        try:
            slope = sp.diff(expression, symbols[name])
        except Exception:   # a function sympy cannot differentiate
            return None
        if any(sym.name in unknowns for sym in slope.free_symbols):
            return None
        if slope != 0:
            slopes[j] = slope
    return slopes, expression.subs({sym: 0 for sym in symbols.values()})


def linear_system(rates, names: list[str], held: frozenset):
    """``(unknowns, rows)`` for the states ``names``: the unknowns are ``names`` and then
    the subexpressions their equations read that depend on them; ``rows[i]`` is ``(slopes,
    constant)`` of state ``i``'s derivative, or for a subexpression of ``its definition -
    itself``, linear in the unknowns (other subexpressions kept as symbols, unless they
    depend on ``names``, which are written out); None where not linear."""
    dependent = set().union(*(rates.depending_on(v) for v in names)) - held
    read = set().union(*(str_to_sympy(rates.equations[v].expr.code, rates.variables).free_symbols for v in names))
    algebraic = sorted({sym.name for sym in read} & dependent)
    unknowns = list(names) + algebraic
    inner = dependent - set(algebraic)
    rows = []
    for name in unknowns:
        expression = rates.expanded(name, inner)
        if name in algebraic:
            expression = expression - sp.Symbol(name)
        found = _slopes(expression, unknowns)
        if found is None:
            return None
        rows.append(found)
    return unknowns, rows


@dataclass(frozen=True)
class Block:
    """States solved together: the ``unknowns`` (the first ``n`` of them states, the rest
    subexpressions they read) and their ``rows`` (as :func:`linear_system` gives them)."""

    unknowns: tuple
    n: int
    rows: tuple

    @property
    def states(self) -> tuple:
        return self.unknowns[:self.n]

    @property
    def reads(self) -> set[str]:
        """The names the block's coefficients read."""
        return {sym.name for slopes, constant in self.rows for e in [*slopes.values(), constant]
                for sym in e.free_symbols}


def blocks(rates, names: list[str], held: frozenset) -> list[Block]:
    """The groups of the states ``names`` whose equations read each other or a shared
    subexpression; a state alone is left out (a gate's own step serves it), as are all
    where the equations are not linear in ``names``."""
    found = linear_system(rates, names, held) if names else None
    if found is None:
        return []
    unknowns, rows = found
    root = list(range(len(unknowns)))

    def find(i: int) -> int:
        while root[i] != i:
            i = root[i]
        return i
    for i, (slopes, _) in enumerate(rows):
        for j in slopes:
            root[find(i)] = find(j)
    members: dict[int, list[int]] = {}
    for i in range(len(unknowns)):
        members.setdefault(find(i), []).append(i)
    out = []
    for group in members.values():
        if len(group) < 2 or not any(k < len(names) for k in group):
            continue
        position = {k: p for p, k in enumerate(group)}
        sub = [({position[j]: e for j, e in rows[k][0].items()}, rows[k][1]) for k in group]
        out.append(Block(tuple(unknowns[k] for k in group), sum(k < len(names) for k in group), tuple(sub)))
    return out


def step(block: Block, renamed, per_neuron: set[str], scheme: str, code: list[str]) -> dict[str, str]:
    """Append code advancing ``block``'s states one step by backward Euler (``scheme``
    ``implicit``) or a backward-Euler half step extrapolated (``implicit_midpoint``), the
    coefficients read through ``renamed`` (expression ->
    expression with the step's names); returns each state's new name. ``per_neuron``: the
    names (after renaming) whose values differ between neurons; an intermediate value
    reading none of them is written out where it is used, not stored (Brian 2 would make it
    a scalar, written after vector values)."""
    h = sp.Symbol("dt") if scheme == "implicit" else sp.Symbol("dt") / 2
    unknowns, n, rows = block.unknowns, block.n, block.rows
    tag = f"_k_{unknowns[0]}"
    per_neuron = set(per_neuron)

    def temp(label: str, expression) -> sp.Symbol:
        if not any(sym.name in per_neuron for sym in sp.sympify(expression).free_symbols):
            return expression
        code.append(f"{tag}_{label} = {sympy_to_str(expression)}")
        per_neuron.add(f"{tag}_{label}")
        return sp.Symbol(f"{tag}_{label}")
    old = [renamed(sp.Symbol(var)) for var in unknowns[:n]]
    system, rhs = {}, []
    for i, (slopes, constant) in enumerate(rows):
        if i < n:   # x_i - h*(slopes . x + constant) = x_i's old value
            for j, e in slopes.items():
                system[(i, j)] = (1 if i == j else 0) - h * renamed(e)
            system.setdefault((i, i), sp.Integer(1))
            rhs.append(old[i] + h * renamed(constant))
        else:       # definition - subexpression = 0
            system.update({(i, j): renamed(e) for j, e in slopes.items()})
            rhs.append(-renamed(constant))
    algebra = Algebra(add=lambda x, y: x + y, sub=lambda x, y: x - y, mul=lambda x, y: x * y,
                      div=lambda x, y: x / y, neg=lambda x: -x, temp=temp)
    solution = solve(system, rhs, algebra)
    new = {}
    for var, x, start in zip(unknowns[:n], solution, old):
        new[var] = f"_{var}_new"
        code.append(f"{new[var]} = {sympy_to_str(x if scheme == 'implicit' else 2 * x - start)}")
    return new

"""A small linear system solved as straight-line code: Gaussian elimination on expressions.

A kinetic scheme's states, advanced by backward Euler, solve ``(I - h*M) x = x0 + h*c``
each step, where ``M`` and ``c`` are expressions of the voltage (NEURON's ``sparse``); its
steady state is the same solve with ``h = 1e9``. Both the NMODL reader (expression trees)
and Brian 2's state updater (sympy) write that solve out as assignments, through
:func:`solve` over an :class:`Algebra` of their own.

Entries missing from the matrix are zeros and are never computed with, so a chain or a
ring of states costs a few operations per state. There is no pivoting: the rows are taken
in the order given (NEURON's ``sparse`` orders its pivots by the structure too, not by
value). A backward-Euler matrix of a kinetic scheme (``I - h*M``, ``M``'s columns summing
to zero, its off-diagonal rates positive) is diagonally dominant by columns, for which
elimination without pivoting is stable; a CONSERVE takes the last row (the row of the
state it replaces, as in NEURON), so that every other pivot comes from those columns.
Written into the other rows instead (``total`` minus the others), it subtracts rates from
rates: with the 3e14 /ms of ModelDB's naslowcond2 at +40 mV, 2e-6 of the open probability
was lost in one step; as a row, 9e-12 of the peak current in ``bridge convert --check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Algebra:
    """How to combine expressions of one kind: ``add``, ``sub``, ``mul``, ``div`` and
    ``neg`` make new ones; ``temp(label, expression)`` stores one in a temporary (an
    assignment emitted in order) and returns what reads it."""

    add: Callable
    sub: Callable
    mul: Callable
    div: Callable
    neg: Callable
    temp: Callable


def solve(matrix: dict[tuple[int, int], object], rhs: list, algebra: Algebra) -> list:
    """The solution of ``matrix @ x = rhs`` (``matrix`` by (row, column), zeros left out),
    each element a temporary of ``algebra``. Raises ValueError where a pivot is
    structurally zero (no pivoting can be chosen from expressions)."""
    n = len(rhs)
    a = dict(matrix)
    b = list(rhs)
    for k in range(n):
        if (k, k) not in a:
            raise ValueError(f"the system's pivot {k} is zero")
        pivot = a[(k, k)] = algebra.temp(f"p{k}", a[(k, k)])
        for i in range(k + 1, n):
            if (i, k) not in a:
                continue
            factor = algebra.temp(f"f{i}_{k}", algebra.div(a.pop((i, k)), pivot))
            for j in range(k + 1, n):
                if (k, j) in a:
                    term = algebra.mul(factor, a[(k, j)])
                    a[(i, j)] = algebra.temp(f"a{i}_{j}_{k}", algebra.sub(a[(i, j)], term) if (i, j) in a
                                             else algebra.neg(term))
            b[i] = algebra.temp(f"b{i}_{k}", algebra.sub(b[i], algebra.mul(factor, b[k])))
    x: list = [None] * n
    for i in reversed(range(n)):
        value = b[i]
        for j in range(i + 1, n):
            if (i, j) in a:
                value = algebra.sub(value, algebra.mul(a[(i, j)], x[j]))
        x[i] = algebra.temp(f"x{i}", algebra.div(value, a[(i, i)]))
    return x

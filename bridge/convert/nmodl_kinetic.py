"""KINETIC schemes of first-order reactions: ``~ A <-> B (kf, kb)`` between STATEs.

Any number of reactions, each between two single species with unit stoichiometry (a gate,
a chain, a ring: Markov models of channels), at least one of them a STATE (a species that
is none, such as a PARAMETER, is held at its value: NEURON's release.mod's ``GenVes``),
optionally with one ``CONSERVE A + B + ... = total``, are the equations::

    A' = sum over A's reactions of (flux in - flux out),   flux of ~ A <-> B: kf*A - kb*B

NEURON's ``sparse`` advances them by backward Euler, with the CONSERVE in place of the
equation of the state it names last (nocmodl numbers that state first and gives it the
conservation row): that state becomes an assigned value, ``total`` minus the others, and
the other states keep their equations, which is what bridge takes too (Brian 2's state
updater then advances the coupled states together, as ``sparse`` does, with the CONSERVE
as a row of the system). The block's other
statements (``rates(v)``) run where they stand, as in a DERIVATIVE block.

``SOLVE scheme STEADYSTATE sparse`` in INITIAL is NEURON's backward-Euler step of 1e9 ms
from the states' values there (0 where INITIAL has not set them), the CONSERVE imposed:
:func:`steady_state` writes that step out (:mod:`bridge.mechanisms.linear_solve`). (Under
Crank-Nicolson NEURON then adds ``dt/1e9`` times the change, 2.5e-11 of it at dt 0.025 ms,
which bridge leaves out.)

Anything else (stoichiometry or several species on a side, ``<<`` fluxes, ``f_flux``,
COMPARTMENT, more than one CONSERVE) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..mechanisms.linear_solve import solve
from .nmodl_exec import Frame
from .nmodl_expr import Bin, Num, Unary, tree_algebra
from .nmodl_source import unsupported

#: NEURON's time step for a STEADYSTATE with sparse (scopmath's ``_ss_sparse``), ms.
STEADY_STATE_STEP_MS = 1e9

_GENERAL = ("bridge converts KINETIC schemes of reactions ~ A <-> B (kf, kb) between single species, with "
            "at most one CONSERVE of a sum of STATEs")


@dataclass(frozen=True)
class Scheme:
    """A KINETIC block read: its reactions ``(A, B, kf, kb)``, the STATEs among their species
    (in the order they first appear) and its CONSERVE (the states summed, the total), if any."""

    reactions: tuple
    states: tuple
    conserve: tuple = ()
    total: object = None

    @property
    def eliminated(self) -> str | None:
        """The state the CONSERVE takes the place of (the one it names last)."""
        return self.conserve[-1] if self.conserve else None


def _single(node):
    if type(node).__name__ == "ReactVarName" and node.value is None:
        return node.get_node_name()
    return None


def _conserved(node):
    """Names summed in a CONSERVE left-hand side (``A + B + ...``)."""
    if type(node).__name__ in ("ReactVarName", "VarName", "Name"):
        return [node.get_node_name()] if getattr(node, "value", None) is None else None
    if type(node).__name__ == "BinaryExpression" and node.op.eval() == "+":
        left, right = _conserved(node.lhs), _conserved(node.rhs)
        return None if left is None or right is None else left + right
    if type(node).__name__ == "WrappedExpression":
        return _conserved(node.expression)
    return None


def read_scheme(executor, block, states, frame: Frame) -> Scheme:
    """Run KINETIC ``block``'s statements into ``executor`` and read its reactions."""
    lines = executor.parsed.locator.block("KINETIC", block.get_node_name())
    where = executor.parsed.where(lines[0])
    reactions, order, conserve, total = [], [], (), None
    for st in block.statement_block.statements:
        kind = type(st).__name__
        if kind == "ReactionStatement":
            a, b = _single(st.reaction1), _single(st.reaction2)
            if st.op.eval() != "<->" or a is None or b is None or a == b or not {a, b} & set(states):
                raise unsupported("KINETIC", "has a reaction that is not A <-> B between two single species, one "
                                  "a STATE", where, hint=_GENERAL)
            for name in (a, b):
                if name not in states:
                    executor.read(name, frame)   # declared: a species held at its value
            reactions.append((a, b, executor.expr(st.expression1, frame), executor.expr(st.expression2, frame)))
            order += [s for s in (a, b) if s not in order and s in states]
        elif kind == "Conserve":
            names = _conserved(st.react)
            seen = executor.parsed.locator.lines_of("CONSERVE", *lines)
            line = executor.parsed.where(seen[min(1 if conserve else 0, len(seen) - 1)] if seen else lines[0])
            if conserve or names is None or len(set(names)) != len(names) or not set(names) <= set(order):
                raise unsupported("CONSERVE", "has a CONSERVE that is not one sum of states its reactions join",
                                  line, hint=_GENERAL)
            conserve, total = tuple(names), executor.expr(st.expr, frame)
        else:
            executor.statement(st, frame)
    if not reactions:
        raise unsupported("KINETIC", "has a KINETIC block without reactions", where, hint=_GENERAL)
    return Scheme(tuple(reactions), tuple(order), conserve, total)


def _eliminate(executor, scheme: Scheme) -> None:
    """The CONSERVE's last state as ``total`` minus the others it sums."""
    if scheme.eliminated is None:
        return
    rest = scheme.total
    for name in scheme.conserve[:-1]:
        rest = Bin("-", rest, executor.read(name, None))
    executor.env[scheme.eliminated] = executor.emit(scheme.eliminated, "var", rest)


def run_kinetic(executor, block, states) -> set[str]:
    """Execute KINETIC ``block`` into ``executor`` (mode "derivative"): its statements, then
    the derivatives of its states; returns the states a CONSERVE made assigned values."""
    scheme = read_scheme(executor, block, states, Frame())
    _eliminate(executor, scheme)
    change: dict[str, object] = {}
    for a, b, kf, kb in scheme.reactions:
        flux = Bin("-", Bin("*", kf, executor.read(a, None)), Bin("*", kb, executor.read(b, None)))
        if a in scheme.states:
            change[a] = Bin("-", change[a], flux) if a in change else Unary("-", flux)
        if b in scheme.states:
            change[b] = Bin("+", change[b], flux) if b in change else flux
    for name in scheme.states:
        if name != scheme.eliminated:
            executor.derivatives.append((name, change[name]))
    return {scheme.eliminated} if scheme.eliminated else set()


def _linear_system(executor, scheme: Scheme, frame: Frame):
    """``(order, M, c)``: the states, the one a CONSERVE replaces last, and ``state' = M @
    state + c`` over them, ``M`` by (row, column) and ``c`` by row as lists of ``(sign,
    factor)`` terms (a species that is no STATE read as its value)."""
    order = [s for s in scheme.states if s != scheme.eliminated] + ([scheme.eliminated] if scheme.conserve else [])
    index = {s: i for i, s in enumerate(order)}
    M: dict[tuple[int, int], list] = {}
    c: dict[int, list] = {}

    def add(row: str, column: str, sign: int, factor) -> None:
        if row not in index:
            return
        if column in index:
            M.setdefault((index[row], index[column]), []).append((sign, factor))
        else:
            c.setdefault(index[row], []).append((sign, Bin("*", factor, executor.read(column, frame))))

    for a, b, kf, kb in scheme.reactions:   # flux kf*a - kb*b leaves a, enters b
        add(a, a, -1, kf), add(a, b, 1, kb), add(b, a, 1, kf), add(b, b, -1, kb)
    return order, M, c


def _sum(terms) -> object:
    value = None
    for sign, factor in terms:
        if value is None:
            value = factor if sign > 0 else Unary("-", factor)
        else:
            value = Bin("+" if sign > 0 else "-", value, factor)
    return value


def steady_state(executor, block, states, frame: Frame) -> None:
    """Execute ``SOLVE block STEADYSTATE sparse`` in INITIAL: the block's statements, then
    NEURON's backward-Euler step of :data:`STEADY_STATE_STEP_MS` from the states' values
    here, with the CONSERVE as the row of the state it replaces (NEURON's system; its
    equation written into the others instead would subtract rates from rates), assigned to
    the states."""
    scheme = read_scheme(executor, block, states, frame)
    order, M, c = _linear_system(executor, scheme, frame)
    h = Num(STEADY_STATE_STEP_MS)
    start = [executor.env[s] if s in executor.env else Num(0.0) for s in order]
    replaced = len(order) - 1 if scheme.conserve else None
    matrix = {}
    for (i, j), terms in M.items():
        if i == replaced:
            continue
        scaled = Bin("*", h, _sum(terms))
        matrix[(i, j)] = Bin("-", Num(1.0), scaled) if i == j else Unary("-", scaled)
    rhs = []
    for i in range(len(order)):
        if i == replaced:   # the CONSERVE: the sum of its states is the total
            matrix.update({(i, order.index(name)): Num(1.0) for name in scheme.conserve})
            rhs.append(scheme.total)
            continue
        matrix.setdefault((i, i), Num(1.0))
        rhs.append(start[i] if i not in c else Bin("*", h, _sum(c[i])) if start[i] == Num(0.0)
                   else Bin("+", start[i], Bin("*", h, _sum(c[i]))))
    algebra = tree_algebra(lambda label, x: executor.emit(f"ss_{label}", "local", x))
    for name, value in zip(order, solve(matrix, rhs, algebra)):
        if name != scheme.eliminated:
            executor.env[name] = executor.emit(name, "var", value)
    _eliminate(executor, scheme)

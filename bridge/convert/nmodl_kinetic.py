"""The one KINETIC scheme bridge converts: a first-order gate, ``~ A <-> B (kf, kb)``.

One reversible reaction between two STATEs with unit stoichiometry, optionally with
``CONSERVE A + B = total``, is the pair of equations::

    A' = kb*B - kf*A        B' = kf*A - kb*B

(their sum is zero, so A + B keeps its initial value: the CONSERVE). With ``CONSERVE A + B
= total``, A is ``total - B`` and B the one equation ``B' = kf*(total - B) - kb*B``: NEURON's
``sparse`` solves the pair with the CONSERVE in place of A's row, by backward Euler, which
for that one equation is what bridge then takes too (A becomes an assigned value). The
block's other statements (``rates(v)``) run before the reaction as they would in a
DERIVATIVE block.
Anything else (several reactions, stoichiometry, ``<<`` fluxes, ``f_flux``,
COMPARTMENT) is a general kinetic scheme and is refused.
"""

from __future__ import annotations

from .nmodl_exec import Frame
from .nmodl_expr import Bin
from .nmodl_source import unsupported


def _single(node):
    if type(node).__name__ == "ReactVarName" and node.value is None:
        return node.get_node_name()
    return None


def _conserved(node):
    """Names summed in a CONSERVE left-hand side (``A + B``)."""
    if type(node).__name__ in ("ReactVarName", "VarName", "Name"):
        return [node.get_node_name()] if getattr(node, "value", None) is None else None
    if type(node).__name__ == "BinaryExpression" and node.op.eval() == "+":
        left, right = _conserved(node.lhs), _conserved(node.rhs)
        return None if left is None or right is None else left + right
    if type(node).__name__ == "WrappedExpression":
        return _conserved(node.expression)
    return None


def run_kinetic(executor, block, states) -> set[str]:
    """Execute KINETIC ``block`` into ``executor`` (mode "derivative"): its statements, then
    the derivatives of its single reaction; returns the states a CONSERVE made assigned
    values."""
    lines = executor.parsed.locator.block("KINETIC", block.get_node_name())
    where = executor.parsed.where(lines[0])
    general = "bridge converts one reversible reaction between two STATEs (a gate), not general kinetic schemes"
    reactions = [st for st in block.statement_block.statements if type(st).__name__ == "ReactionStatement"]
    if len(reactions) != 1:
        raise unsupported("KINETIC", f"has a KINETIC scheme of {len(reactions)} reactions", where, hint=general)
    frame = Frame()
    reaction, total = None, None
    for st in block.statement_block.statements:
        kind = type(st).__name__
        if kind == "ReactionStatement":
            a, b = _single(st.reaction1), _single(st.reaction2)
            if st.op.eval() != "<->" or a is None or b is None or a == b or not {a, b} <= set(states):
                raise unsupported("KINETIC", "has a reaction that is not A <-> B between two STATEs", where,
                                  hint=general)
            kf, kb = executor.expr(st.expression1, frame), executor.expr(st.expression2, frame)
            reaction = (a, b, kf, kb)
        elif kind == "Conserve":
            names = _conserved(st.react)
            if reaction is None or names is None or sorted(names) != sorted(reaction[:2]):
                raise unsupported("CONSERVE", "has a CONSERVE that is not the sum of the reaction's two states",
                                  executor.parsed.where(executor.parsed.locator.first("CONSERVE", *lines)),
                                  hint=general)
            total = executor.expr(st.expr, frame)
        elif reaction is not None:
            raise unsupported("KINETIC", "has statements after its reaction (fluxes)", where, hint=general)
        else:
            executor.statement(st, frame)
    a, b, kf, kb = reaction
    if total is not None:
        rest = Bin("-", total, _state(executor, b))
        executor.env[a] = executor.emit(a, "var", rest)
        executor.derivatives.append((b, Bin("-", Bin("*", kf, rest), Bin("*", kb, _state(executor, b)))))
        return {a}
    forward, backward = Bin("*", kf, _state(executor, a)), Bin("*", kb, _state(executor, b))
    executor.derivatives.append((a, Bin("-", backward, forward)))
    executor.derivatives.append((b, Bin("-", forward, backward)))
    return set()


def _state(executor, name):
    return executor.read(name, None)

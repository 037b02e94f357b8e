"""What ``replace_equations`` changes in a model, in a form NEURON's cell can run.

Brian 2 runs the edited text (:mod:`bridge.brian2.equations` applies the replacements).
NEURON builds the compartments from the model itself, so each compartment's edited
equations are compared with the unedited ones, both parsed by Brian 2:

- a variable the edit adds (``w_soma``, ``I_NMDA``...) becomes one of the user's
  equations of that compartment (as ``add_equations``), which the Brian 2 -> NMODL route
  of :mod:`bridge.brian2.equation_pieces` compiles;
- the change of ``dV/dt`` (with the compartment's total input ``I`` substituted) times
  the compartment's capacitance is a membrane current, ``I_replaced_<compartment>``,
  added as a user subexpression that the compartment's mechanism writes into the
  membrane (:data:`REPLACED_CURRENT`);
- any other change (an edit of a synapse's, a coupling's or the membrane model's own
  variables) is refused, naming the variable: NEURON computes those in bridge's own
  mechanisms, which the edited text does not reach.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import UnsupportedFeatureError
from ..model import CompartmentSpec, Equation, ReducedModel
from ..units import AMPERE
from .equations import compartment_blocks, suffix, voltage_name

#: The name of the membrane current a compartment's replacements add (``.format(s=suffix)``).
REPLACED_CURRENT = "I_replaced{s}"


def without_replacements(model: ReducedModel) -> tuple[ReducedModel, dict[str, str]]:
    """``model`` with its replacements turned into user equations (see the module
    docstring), and the name of the membrane current each edited compartment gains."""
    if not model.replacements and not any(c.replacements for c in model.compartments):
        return model, {}
    base = replace(model, replacements=(), compartments=tuple(replace(c, replacements=()) for c in model.compartments))
    edited, plain = compartment_blocks(model), compartment_blocks(base)
    comps, currents = [], {}
    for comp in base.compartments:
        if edited[comp.name] == plain[comp.name]:
            comps.append(comp)
            continue
        added, current = _changes(model, comp, plain[comp.name], edited[comp.name])
        if current is not None:
            name = REPLACED_CURRENT.format(s=suffix(model, comp))
            added.append(Equation("subexpression", name, current, AMPERE))
            currents[comp.name] = name
        comps.append(replace(comp, equations=comp.equations + tuple(added)))
    return replace(base, compartments=tuple(comps)), currents


def recordable_model(model: ReducedModel) -> ReducedModel:
    """``model`` whose ``user_variables`` include what its replacements add (what a
    recording may ask for); ``model`` itself when an edit is one NEURON cannot take (Brian
    2 still runs it; its new variables are then not recordable by name)."""
    try:
        return without_replacements(model)[0]
    except UnsupportedFeatureError:
        return model


def _changes(model: ReducedModel, comp: CompartmentSpec, plain: str, edited: str) -> tuple[list[Equation], str | None]:
    """The equations an edit adds and the membrane current (Brian 2 code, amp) or None."""
    import sympy
    from brian2 import Equations
    from brian2.parsing.sympytools import str_to_sympy, sympy_to_str
    before, after = Equations(plain), Equations(edited)
    s = suffix(model, comp)
    voltage, total = voltage_name(model, comp.name), f"I{s}"
    obj = f"compartment {comp.name}"
    for name in before.names:
        if name in (voltage, total):
            continue
        old, new = before[name], after[name] if name in after.names else None
        if new is None or not _same(old, new, str_to_sympy):
            raise UnsupportedFeatureError(
                f"replace_equations {'removes' if new is None else 'changes'} {name}, which NEURON computes in "
                "bridge's own mechanisms", obj=obj, param="replace_equations",
                expected="edits of the membrane equation (dV/dt and its input current) and new equations",
                hint="simulate this model with Brian 2, or express the change as a current added to dV/dt")
    for name in (voltage, total):
        if name in before.names and (name not in after.names or after[name].type != before[name].type):
            raise UnsupportedFeatureError(f"replace_equations turns {name} into another kind of equation", obj=obj,
                                          param="replace_equations", expected=f"{name} kept as "
                                          f"{before[name].type}")

    def rate(eqs):
        expr = str_to_sympy(eqs[voltage].expr.code)
        if total in eqs.names and eqs[total].expr is not None:
            expr = expr.subs(sympy.Symbol(total, real=True), str_to_sympy(eqs[total].expr.code))
        return expr

    change = sympy.simplify(sympy.Symbol(f"C{s}", real=True) * (rate(after) - rate(before)))
    added = [Equation.from_brian2(after[name]) for name in after.names if name not in before.names]
    return added, (None if change == 0 else sympy_to_str(sympy.expand(change)))


def _same(old, new, to_sympy) -> bool:
    if (old.type, old.dim, tuple(old.flags)) != (new.type, new.dim, tuple(new.flags)):
        return False
    if old.expr is None or new.expr is None:
        return old.expr is None and new.expr is None
    return (to_sympy(old.expr.code) - to_sympy(new.expr.code)).equals(0)

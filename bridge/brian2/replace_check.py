"""Checks of ``replace_equations`` when it is called: the text to replace occurs, the
edited equations parse as Brian 2 equations, and every equation whose names are all known
by then has consistent units (the rest Brian 2 checks when the model runs, as it would
for the user's own equations)."""

from __future__ import annotations

from ..errors import ModelError
from ..model import Replacement


def check_replacement(texts: list[str], replacement: Replacement, namespace: dict, obj: str,
                      elsewhere: str | None = None) -> None:
    """Check ``replacement`` against the equation ``texts`` it will edit (one per
    compartment; it must occur in at least one). ``elsewhere`` is text where the user may
    have seen it (a compartment's couplings), named in the error when it is only there."""
    old, new = replacement.old, replacement.new
    hits = [text for text in texts if old in text]
    if not hits:
        hint = "copy the text from print(...equations); spaces count"
        if elsewhere is not None and old in elsewhere:
            hint = ("it is part of a coupling, which a compartment's replace_equations does not edit; "
                    "call replace_equations on the NeuronModel")
        raise ModelError(f"the text to replace does not occur in the equations: {old!r}", obj=obj,
                         param="eqs_old", hint=hint)
    for text in hits:
        edited = text.replace(old, new)
        equations = _parsed(edited, obj, old, new)
        problem = _unit_problem(equations, namespace)
        if problem:
            raise ModelError(f"replacing {old!r} with {new!r} gives inconsistent units: {problem}", obj=obj,
                             param="eqs_new", hint="fix the units of the new text")


def _parsed(text: str, obj: str, old: str, new: str):
    from brian2 import Equations
    try:
        return Equations(text)
    except Exception as exc:  # noqa: BLE001 (Brian 2's parser says where)
        raise ModelError(f"replacing {old!r} with {new!r} gives equations Brian 2 cannot parse: "
                         f"{' '.join(str(exc).split())}", obj=obj, param="eqs_new",
                         hint="the new text must be Brian 2 equations ('name = expression : unit')") from None


def _unit_problem(equations, namespace: dict) -> str | None:
    """The first equation (all of whose names are known) whose expression's dimension is
    not its variable's (per second for a derivative), described; None when all agree."""
    from brian2.core.namespace import DEFAULT_CONSTANTS, DEFAULT_FUNCTIONS, DEFAULT_UNITS
    from brian2.core.variables import Constant
    from brian2.parsing.expressions import parse_expression_dimensions
    from brian2.units import second
    from brian2.units.fundamentalunits import get_dimensions

    from .functions import FUNCTIONS
    variables = {**DEFAULT_FUNCTIONS, **DEFAULT_UNITS, **DEFAULT_CONSTANTS, **FUNCTIONS}
    for name, value in namespace.items():
        if not callable(value):
            variables[name] = Constant(name, dimensions=get_dimensions(value), value=1.0)
    for name, dim in (("t", second.dim), ("dt", second.dim), ("t_in_timesteps", None)):
        variables[name] = Constant(name, dimensions=dim if dim is not None else get_dimensions(1), value=1.0)
    for eq in equations.values():
        variables[eq.varname] = Constant(eq.varname, dimensions=eq.dim, value=1.0)
    for eq in equations.values():
        if eq.expr is None or eq.identifiers - set(variables):
            continue
        try:
            found = parse_expression_dimensions(eq.expr.code, variables)
        except Exception as exc:  # noqa: BLE001 (a dimension mismatch inside the expression)
            return f"{eq.varname}: {' '.join(str(exc).split())}"
        expected = eq.dim / second.dim if eq.type == "differential equation" else eq.dim
        if found != expected:
            return f"{eq.varname} has {found!r}, expected {expected!r}"
    return None

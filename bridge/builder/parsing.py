"""Parsing of the Brian 2 code users pass to the builder (equations, resets) into the
model's structured form."""

from __future__ import annotations

import numbers
import re

import numpy as np
from brian2.units.fundamentalunits import Quantity

from ..errors import ModelError, UnitError, UnsupportedFeatureError
from ..model import Assignment, Equation, Param
from ..units import dimension_of

_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_]\w*)\s*(\+=|-=|\*=|/=|=)\s*(.+?)\s*$")


def parse_equations(text: str, obj: str) -> tuple[Equation, ...]:
    """Brian 2 equation text -> model Equations (one per line/variable)."""
    from brian2 import Equations
    if not isinstance(text, str):
        raise ModelError(f"{text!r} is not equation text", obj=obj, param="equations",
                         expected="a string of Brian 2 equations")
    try:
        eqs = Equations(text)
    except Exception as exc:  # Brian 2 raises several types for syntax/unit problems
        raise ModelError(f"cannot parse equations: {exc}".replace("\n", " "), obj=obj, param="equations",
                         expected="Brian 2 equation syntax, e.g. 'dx/dt = -x/tau : 1'") from None
    lines = _lines_of(text, [single.varname for single in eqs.values()])
    out = []
    for single, line in zip(eqs.values(), lines):
        if single.var_type != "float":
            raise UnsupportedFeatureError(f"{single.var_type} variable {single.varname!r}", obj=obj,
                                          param="equations", expected="floating-point variables")
        out.append(Equation.from_brian2(single, line))
    return tuple(out)


def _lines_of(text: str, names: list[str]) -> list[str | None]:
    """The user's line of each equation (Dendrify prints them as written, a block's leading
    blank lines with its first), when each non-blank line is one equation, in order;
    otherwise None for all."""
    from brian2 import Equations
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.strip().startswith("#")]
    try:
        if len(lines) == len(names) and all(list(Equations(ln).keys()) == [n] for ln, n in zip(lines, names)):
            blank = len(text) - len(text.lstrip("\n"))   # Dendrify keeps a block's leading blank lines
            return ["\n" * blank + lines[0]] + lines[1:] if lines else lines
    except Exception:  # noqa: BLE001 (a line that is not a whole equation: print the parsed form)
        pass
    return [None] * len(names)


def parse_statements(code: str | None, obj: str, param: str) -> tuple[Assignment, ...]:
    """Brian 2 reset code (``"V = Vr; w += b"``) -> Assignments."""
    if code is None:
        return ()
    if not isinstance(code, str):
        raise ModelError(f"{code!r} is not code", obj=obj, param=param,
                         expected="Brian 2 statements such as 'V_soma = -55*mV'")
    statements = []
    for part in re.split(r"[;\n]", code):
        if not part.strip():
            continue
        match = _ASSIGNMENT.match(part)
        if not match:
            raise UnsupportedFeatureError(f"cannot read statement {part.strip()!r}", obj=obj, param=param,
                                          expected="assignments 'variable = expression' or 'variable += ...'")
        statements.append(Assignment(*match.groups()))
    return tuple(statements)


def param_from_value(name: str, value, obj: str):
    """A model :class:`~bridge.model.Param` from a user value (quantity or plain number)."""
    if isinstance(value, bool) or not isinstance(value, (Quantity, numbers.Real)) or np.ndim(value) != 0:
        raise UnitError(f"{value!r} is not a scalar quantity or number", obj=obj, param=name,
                        expected="a Brian 2 quantity such as -50*mV, or a plain number")
    if isinstance(value, numbers.Integral):
        return Param(name, int(value), dimension_of(value))   # a plain integer stays one, as Dendrify keeps it
    return Param(name, float(np.asarray(value)), dimension_of(value))

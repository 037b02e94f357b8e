"""Value checks shared by the model's dataclasses; each raises a bridge error naming
the object, the parameter and what was expected."""

from __future__ import annotations

import keyword
import math
import re

from ..errors import ModelError

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$")


def check_name(name, obj: str, param: str = "name") -> str:
    """A name usable inside generated variable names (``V_<name>``, NMODL suffixes)."""
    if not isinstance(name, str) or not _IDENTIFIER.match(name) or keyword.iskeyword(name):
        raise ModelError(f"invalid name {name!r}", obj=obj, param=param,
                         expected="letters, digits and single underscores, starting with a letter")
    return name


def check_number(value, obj: str, param: str, *, positive: bool = False,
                 non_negative: bool = False, optional: bool = True, unit: str = "SI units") -> float | None:
    """A finite float (SI units), optionally required to be > 0 or >= 0."""
    if value is None:
        if optional:
            return None
        raise ModelError("missing value", obj=obj, param=param, expected=f"a number in {unit}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelError(f"{value!r} is not a plain number", obj=obj, param=param,
                         expected=f"a float in {unit}")
    value = float(value)
    if not math.isfinite(value):
        raise ModelError(f"{value} is not finite", obj=obj, param=param, expected=f"a finite number in {unit}")
    if positive and value <= 0:
        raise ModelError(f"{value:g} {unit} is not positive", obj=obj, param=param, expected="a value > 0")
    if non_negative and value < 0:
        raise ModelError(f"{value:g} {unit} is negative", obj=obj, param=param, expected="a value >= 0")
    return value


def check_bool(value, obj: str, param: str) -> bool:
    if not isinstance(value, bool):
        raise ModelError(f"{value!r} is not a boolean", obj=obj, param=param, expected="true or false")
    return value


def check_choice(value, choices, obj: str, param: str):
    if value not in choices:
        from ..errors import UnknownNameError
        raise UnknownNameError(f"unknown value {value!r}", obj=obj, param=param,
                               expected=f"one of {', '.join(map(repr, choices))}")
    return value


def check_unique(names, obj: str, param: str) -> None:
    from ..errors import DuplicateNameError
    seen = set()
    for name in names:
        if name in seen:
            raise DuplicateNameError(f"{name!r} is used twice", obj=obj, param=param,
                                     expected="unique names")
        seen.add(name)

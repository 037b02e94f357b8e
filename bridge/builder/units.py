"""Checks of user-supplied Brian 2 quantities, converted to the model's SI floats.

A unitless or wrong-dimension value raises :class:`~bridge.errors.UnitError` naming the
object, the parameter and the expected unit (where Dendrify would accept it silently).
"""

from __future__ import annotations

import numbers

import numpy as np
from brian2.units.fundamentalunits import DIMENSIONLESS as B_DIMENSIONLESS
from brian2.units.fundamentalunits import Quantity, get_or_create_dimension

from ..errors import UnitError
from ..model.dimensions import Dimension, describe


def dimension_of(value) -> Dimension:
    """The model Dimension of a Brian 2 quantity (or of a plain number)."""
    dim = getattr(value, "dim", B_DIMENSIONLESS)
    return Dimension(tuple(dim._dims))


def to_si(value, expected: Dimension, obj: str, param: str, *, optional: bool = True) -> float | None:
    """``value`` (a Brian 2 scalar quantity of dimension ``expected``) as an SI float.

    Plain numbers are accepted only for dimensionless parameters.
    """
    if value is None:
        if optional:
            return None
        raise UnitError("missing value", obj=obj, param=param, expected=describe(expected))
    if isinstance(value, bool) or isinstance(value, str):
        raise UnitError(f"{value!r} is not a quantity", obj=obj, param=param, expected=describe(expected))
    if isinstance(value, Quantity):
        if np.ndim(value) != 0:
            raise UnitError("an array was given where one value is needed", obj=obj, param=param,
                            expected=f"a scalar in {describe(expected)}")
        try:
            got = dimension_of(value)
        except ValueError:
            raise UnitError(f"{value!r} has a fractional dimension", obj=obj, param=param,
                            expected=describe(expected)) from None
        if got != expected:
            raise UnitError(f"{value!r} has the wrong unit", obj=obj, param=param, expected=describe(expected))
        return float(np.asarray(value))
    if isinstance(value, numbers.Real):
        if expected.dimensionless:
            return float(value)
        raise UnitError(f"{value!r} has no unit", obj=obj, param=param, expected=describe(expected),
                        hint="multiply by a Brian 2 unit")
    raise UnitError(f"{value!r} is not a quantity", obj=obj, param=param, expected=describe(expected))


def param_from_value(name: str, value, obj: str):
    """A model :class:`~bridge.model.Param` from a user value (quantity or plain number)."""
    from ..model.mechanisms import Param
    if isinstance(value, bool) or not isinstance(value, (Quantity, numbers.Real)) or np.ndim(value) != 0:
        raise UnitError(f"{value!r} is not a scalar quantity or number", obj=obj, param=name,
                        expected="a Brian 2 quantity such as -50*mV, or a plain number")
    return Param(name, float(np.asarray(value)), dimension_of(value))


def brian_dimension(dim: Dimension):
    """The Brian 2 dimension of a model Dimension."""
    return get_or_create_dimension(list(dim.exponents))


def quantity(value: float, dim: Dimension):
    """The SI float ``value`` of dimension ``dim`` as a Brian 2 quantity (a plain float when dimensionless)."""
    if dim.dimensionless:
        return float(value)
    return Quantity(value, dim=brian_dimension(dim))

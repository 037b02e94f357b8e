"""The Brian 2 unit converter: model SI floats and Dimensions to Brian 2 quantities,
unit strings for equations, and readable value literals for generated scripts."""

from __future__ import annotations

from brian2.units.fundamentalunits import get_unit

from ..builder.units import brian_dimension, quantity
from ..model.dimensions import Dimension

# Units used to print values readably in generated code, by dimension.
_DISPLAY_UNITS = {
    (2, 1, -3, -1, 0, 0, 0): ("mV", 1e-3),
    (0, 0, 0, 1, 0, 0, 0): ("pA", 1e-12),
    (-2, -1, 3, 2, 0, 0, 0): ("nS", 1e-9),
    (-2, -1, 4, 2, 0, 0, 0): ("pF", 1e-12),
    (0, 0, 1, 0, 0, 0, 0): ("ms", 1e-3),
    (1, 0, 0, 0, 0, 0, 0): ("um", 1e-6),
    (0, 0, -1, 0, 0, 0, 0): ("Hz", 1.0),
}


def unit_code(dim: Dimension) -> str:
    """The unit of ``dim`` as written after ``:`` in Brian 2 equations."""
    if dim.dimensionless:
        return "1"
    return repr(get_unit(brian_dimension(dim)))


def value_code(value: float, dim: Dimension) -> str:
    """A Python literal for ``value`` in a readable unit, e.g. ``-65.0*mV``.

    Fifteen significant digits: the literal reproduces the SI value to ~1e-15 relative.
    """
    if dim.dimensionless:
        return repr(float(value))
    display = _DISPLAY_UNITS.get(dim.exponents)
    if display is None:
        return f"{float(value)!r}*{unit_code(dim).replace(' ', '')}"
    name, scale = display
    return f"{value / scale:.15g}*{name}"



__all__ = ["brian_dimension", "quantity", "unit_code", "value_code"]

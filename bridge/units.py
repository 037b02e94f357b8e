"""Units, in one place at the bottom of the package.

- :class:`Dimension`: physical dimensions as plain data (exponents of the SI base units),
  so the model stores SI floats and needs no unit library;
- Brian 2 quantities <-> SI floats, checked at the API boundary (:func:`to_si` raises
  :class:`~bridge.errors.UnitError` naming the object, parameter and expected unit);
- NEURON's units (mV, ms, nA, uS, um, uF/cm2, S/cm2, ohm*cm) and their factors;
- unit strings and readable value literals for generated Brian 2 code.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
from brian2.units.fundamentalunits import DIMENSIONLESS as B_DIMENSIONLESS
from brian2.units.fundamentalunits import Quantity, get_or_create_dimension, get_unit

from .errors import UnitError

BASE_SYMBOLS = ("m", "kg", "s", "A", "K", "mol", "cd")


@dataclass(frozen=True)
class Dimension:
    """Exponents of the SI base units (m, kg, s, A, K, mol, cd)."""

    exponents: tuple[int, int, int, int, int, int, int] = (0, 0, 0, 0, 0, 0, 0)

    def __post_init__(self):
        if len(self.exponents) != 7:
            raise ValueError("a Dimension needs exactly 7 exponents")
        for e in self.exponents:
            if isinstance(e, bool) or int(e) != e:
                raise ValueError(f"dimension exponents must be integers, got {e!r}")
        object.__setattr__(self, "exponents", tuple(int(e) for e in self.exponents))

    @property
    def dimensionless(self) -> bool:
        return not any(self.exponents)

    def to_dict(self) -> dict[str, int]:
        """Non-zero exponents by base-unit symbol, e.g. ``{"m": -2, "kg": -1, ...}``."""
        return {sym: e for sym, e in zip(BASE_SYMBOLS, self.exponents) if e}

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> Dimension:
        unknown = set(data) - set(BASE_SYMBOLS)
        if unknown:
            raise ValueError(f"unknown base units {sorted(unknown)}; known: {list(BASE_SYMBOLS)}")
        return cls(tuple(data.get(sym, 0) for sym in BASE_SYMBOLS))

    def __str__(self) -> str:
        if self.dimensionless:
            return "1"
        return " ".join(sym if e == 1 else f"{sym}^{e}" for sym, e in zip(BASE_SYMBOLS, self.exponents) if e)


DIMENSIONLESS = Dimension()
VOLT = Dimension((2, 1, -3, -1, 0, 0, 0))
AMPERE = Dimension((0, 0, 0, 1, 0, 0, 0))
SIEMENS = Dimension((-2, -1, 3, 2, 0, 0, 0))
FARAD = Dimension((-2, -1, 4, 2, 0, 0, 0))
SECOND = Dimension((0, 0, 1, 0, 0, 0, 0))
METRE = Dimension((1, 0, 0, 0, 0, 0, 0))
HERTZ = Dimension((0, 0, -1, 0, 0, 0, 0))
OHM_METRE = Dimension((3, 1, -3, -2, 0, 0, 0))
FARAD_PER_M2 = Dimension((-4, -1, 4, 2, 0, 0, 0))
SIEMENS_PER_M2 = Dimension((-4, -1, 3, 2, 0, 0, 0))

#: Human-readable names of the dimensions the model's fields use, for error messages.
DIMENSION_NAMES = {
    DIMENSIONLESS: "a plain number",
    VOLT: "volt (e.g. mV)",
    AMPERE: "ampere (e.g. pA)",
    SIEMENS: "siemens (e.g. nS)",
    FARAD: "farad (e.g. pF)",
    SECOND: "second (e.g. ms)",
    METRE: "metre (e.g. um)",
    HERTZ: "hertz (e.g. Hz)",
    OHM_METRE: "ohm*metre (e.g. ohm*cm)",
    FARAD_PER_M2: "farad/metre**2 (e.g. uF/cm**2)",
    SIEMENS_PER_M2: "siemens/metre**2 (e.g. uS/cm**2)",
}


def dimension_name(dim: Dimension) -> str:
    """A readable name for a dimension, used in error messages."""
    return DIMENSION_NAMES.get(dim, str(dim))


# Brian 2 quantities <-> SI floats

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
        raise UnitError("missing value", obj=obj, param=param, expected=dimension_name(expected))
    if isinstance(value, bool) or isinstance(value, str):
        raise UnitError(f"{value!r} is not a quantity", obj=obj, param=param, expected=dimension_name(expected))
    if isinstance(value, Quantity):
        if np.ndim(value) != 0:
            raise UnitError("an array was given where one value is needed", obj=obj, param=param,
                            expected=f"a scalar in {dimension_name(expected)}")
        try:
            got = dimension_of(value)
        except ValueError:
            raise UnitError(f"{value!r} has a fractional dimension", obj=obj, param=param,
                            expected=dimension_name(expected)) from None
        if got != expected:
            raise UnitError(f"{value!r} has the wrong unit", obj=obj, param=param, expected=dimension_name(expected))
        return float(np.asarray(value))
    if isinstance(value, numbers.Real):
        if expected.dimensionless:
            return float(value)
        raise UnitError(f"{value!r} has no unit", obj=obj, param=param, expected=dimension_name(expected),
                        hint="multiply by a Brian 2 unit")
    raise UnitError(f"{value!r} is not a quantity", obj=obj, param=param, expected=dimension_name(expected))


def brian_dimension(dim: Dimension):
    """The Brian 2 dimension of a model Dimension."""
    return get_or_create_dimension(list(dim.exponents))


def quantity(value: float, dim: Dimension):
    """The SI float ``value`` of dimension ``dim`` as a Brian 2 quantity (a plain number
    when dimensionless: an int stays an int)."""
    if dim.dimensionless:
        return value if isinstance(value, int) and not isinstance(value, bool) else float(value)
    return Quantity(value, dim=brian_dimension(dim))


# NEURON's units

#: Unit name and factor (NEURON value = SI value * factor) by dimension.
NEURON_UNITS: dict[Dimension, tuple[str, float]] = {
    VOLT: ("mV", 1e3),
    SECOND: ("ms", 1e3),
    AMPERE: ("nA", 1e9),
    SIEMENS: ("uS", 1e6),
    FARAD: ("uF", 1e6),
    METRE: ("um", 1e6),
    OHM_METRE: ("ohm*cm", 1e2),
}

SPECIFIC_CAPACITANCE = ("uF/cm2", 1e6 * 1e-4)   # F/m2 -> uF/cm2
SPECIFIC_CONDUCTANCE = ("S/cm2", 1e-4)          # S/m2 -> S/cm2
AREA_UM2 = ("um2", 1e12)                         # m2 -> um2


def to_neuron(value: float, dim: Dimension) -> float:
    """``value`` (SI, of dimension ``dim``) in NEURON's unit for that dimension."""
    if dim.dimensionless:
        return float(value)
    try:
        return float(value) * NEURON_UNITS[dim][1]
    except KeyError:
        raise ValueError(f"no NEURON unit for {dimension_name(dim)}") from None


def unit_name(dim: Dimension) -> str:
    """NEURON's unit for ``dim`` ("1" when dimensionless)."""
    return "1" if dim.dimensionless else NEURON_UNITS[dim][0]


def specific_capacitance(capacitance_f: float, area_m2: float) -> float:
    """Capacitance (F) spread over ``area_m2``, in uF/cm2."""
    return capacitance_f / area_m2 * SPECIFIC_CAPACITANCE[1]


def specific_conductance(conductance_s: float, area_m2: float) -> float:
    """Conductance (S) spread over ``area_m2``, in S/cm2."""
    return conductance_s / area_m2 * SPECIFIC_CONDUCTANCE[1]


# Generated Brian 2 code

# Units used to print values readably in generated code, by dimension.
_DISPLAY_UNITS = {
    (2, 1, -3, -1, 0, 0, 0): ("mV", 1e-3),
    (0, 0, 0, 1, 0, 0, 0): ("pA", 1e-12),
    (-2, -1, 3, 2, 0, 0, 0): ("nS", 1e-9),
    (-2, -1, 4, 2, 0, 0, 0): ("pF", 1e-12),
    (0, 0, 1, 0, 0, 0, 0): ("ms", 1e-3),
    (1, 0, 0, 0, 0, 0, 0): ("um", 1e-6),
    (2, 0, 0, 0, 0, 0, 0): ("um**2", 1e-12),
    (0, 0, -1, 0, 0, 0, 0): ("Hz", 1.0),
}
#: SI base units by name, for literals of dimensions without a display unit.
_BASE_UNIT_NAMES = ("metre", "kilogram", "second", "amp", "kelvin", "mole", "candela")


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
    if display is None:  # base units, which `from brian2.units import *` always provides
        unit = "*".join(name if e == 1 else f"{name}**{e}" for name, e in zip(_BASE_UNIT_NAMES, dim.exponents) if e)
        return f"{float(value)!r}*{unit}"
    name, scale = display
    return f"{value / scale:.15g}*{name}"

"""Physical dimensions as plain data, so the model needs no unit library.

A :class:`Dimension` is the tuple of exponents of the seven SI base units
(metre, kilogram, second, ampere, kelvin, mole, candela). Values in the model are
floats in SI units; a dimension says which SI unit.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def describe(dim: Dimension) -> str:
    """A readable name for a dimension, used in error messages."""
    return DIMENSION_NAMES.get(dim, str(dim))

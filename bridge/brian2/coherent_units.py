"""bridge's coherent unit system for NEURON: the unit in which a variable of any
dimension is declared when a Brian 2 model becomes NMODL (:mod:`bridge.brian2.reader`).

The system is built on NEURON's own units: mV, ms and nA. From these follow uS, nF and
megohm, and um is used for lengths. In it ``nA * Mohm = mV`` and ``nF * mV / ms = nA``
hold without factors, so expressions written in SI carry over unchanged once each
number is expressed in its unit. Scales are exact powers of ten, and values are
shifted in decimal, so what a user wrote comes back exactly.
"""

from __future__ import annotations

from ..errors import UnsupportedFeatureError
from ..mechanisms import Unit
from ..units import Dimension

#: Base units of the coherent system: metre -> um, kilogram -> 1e-9 kg (so that volt -> mV),
#: second -> ms, ampere -> nA. Temperature, amount and luminosity are not used by neurons.
_BASE_POWERS = (-6, -9, -3, -9)
#: Unit texts NEURON users read best, by SI exponents (m, kg, s, A).
_NAMED = {(2, 1, -3, -1): "mV", (0, 0, 1, 0): "ms", (0, 0, 0, 1): "nA", (-2, -1, 3, 2): "uS",
          (-2, -1, 4, 2): "nF", (2, 1, -3, -2): "megohm", (0, 0, -1, 0): "/ms", (-4, -1, 3, 2): "uS/um2",
          (-4, -1, 4, 2): "nF/um2", (-2, 0, 0, 1): "nA/um2", (2, 1, -4, -1): "mV/ms", (1, 0, 0, 0): "um",
          (2, 0, 0, 0): "um2"}


def coherent_unit(dim: Dimension, obj: str) -> Unit:
    """The unit of ``dim`` in the coherent system (see the module docstring)."""
    exps = tuple(dim.exponents)
    if any(exps[4:]):
        raise UnsupportedFeatureError(f"has dimension {dim}, which has no NEURON unit here", obj=obj,
                                      param="unit", expected="a combination of metre, kilogram, second and ampere")
    m, kg, s, a = exps[:4]
    scale = float(f"1e{sum(k * e for k, e in zip(_BASE_POWERS, (m, kg, s, a)))}")  # correctly rounded
    if not any(exps):
        return Unit("1", 1.0, dim)
    text = _NAMED.get((m, kg, s, a))
    if text is None:   # mV^kg um^(m - 2 kg) ms^(s + 3 kg) nA^(A + kg), each with its own sign
        parts = [("mV", kg), ("um", m - 2 * kg), ("ms", s + 3 * kg), ("nA", a + kg)]
        up = "-".join(f"{u}{e if e != 1 else ''}" for u, e in parts if e > 0)
        down = "-".join(f"{u}{-e if e != -1 else ''}" for u, e in parts if e < 0)
        text = (up or "1") + (f"/{down}" if down else "")
    return Unit(text, scale, dim)


def in_unit(value, unit: Unit) -> float:
    """``value`` (SI) as a number of ``unit``, shifted by the unit's power of ten in decimal,
    so that what the user wrote comes back (-70*mV -> -70.0, not -70.00000000000001)."""
    from decimal import Decimal
    number = float(value)
    if number == 0 or unit.scale == 1.0:
        return number
    return float(Decimal(repr(number)) / Decimal(repr(unit.scale)))


MS = coherent_unit(Dimension((0, 0, 1, 0, 0, 0, 0)), "ms")
MV = coherent_unit(Dimension((2, 1, -3, -1, 0, 0, 0)), "mV")
NA = coherent_unit(Dimension((0, 0, 0, 1, 0, 0, 0)), "nA")

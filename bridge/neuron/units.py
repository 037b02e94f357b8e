"""The NEURON unit converter: model SI floats to the units NEURON and NMODL use.

Point processes take currents in nA and conductances in uS; sections take lengths in
um, specific capacitance in uF/cm2, specific conductance in S/cm2 and axial
resistivity in ohm*cm; voltages are mV and times ms.
"""

from __future__ import annotations

from ..model.dimensions import AMPERE, FARAD, METRE, OHM_METRE, SECOND, SIEMENS, VOLT, Dimension, describe

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
        raise ValueError(f"no NEURON unit for {describe(dim)}") from None


def unit_name(dim: Dimension) -> str:
    """NEURON's unit for ``dim`` ("1" when dimensionless)."""
    return "1" if dim.dimensionless else NEURON_UNITS[dim][0]


def specific_capacitance(capacitance_f: float, area_m2: float) -> float:
    """Capacitance (F) spread over ``area_m2``, in uF/cm2."""
    return capacitance_f / area_m2 * SPECIFIC_CAPACITANCE[1]


def specific_conductance(conductance_s: float, area_m2: float) -> float:
    """Conductance (S) spread over ``area_m2``, in S/cm2."""
    return conductance_s / area_m2 * SPECIFIC_CONDUCTANCE[1]

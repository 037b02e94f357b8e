"""Ion channels (and other NMODL density mechanisms) inserted in a compartment, and the
ion values a compartment sets.

A :class:`Channel` is a :class:`~bridge.mechanisms.Mechanism` plus the parameter values
this compartment gives it. Values are SI floats, like everything in the model; the
mechanism's declared unit (``S/cm2``...) is used only by printers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import ModelError, UnknownNameError
from ..mechanisms import Mechanism
from .checks import check_number

#: NEURON's ion defaults (mM; ``celsius``-independent), used where a compartment sets none.
ION_CONCENTRATIONS = {"nai": 10.0, "nao": 140.0, "ki": 54.4, "ko": 2.5, "cai": 5e-5, "cao": 2.0}
#: NEURON's default reversal potentials (V) of ions whose concentrations no mechanism writes.
ION_REVERSALS = {"ena": 50e-3, "ek": -77e-3, "eca": 132.4579341637009e-3}
_REVERSAL = re.compile(r"^e([a-z][a-z0-9]*)$")


@dataclass(frozen=True)
class Channel:
    """``mechanism`` inserted in a compartment, with ``parameters`` (name, SI value) that
    replace the mechanism's defaults. Parameters are named as in the NMODL file."""

    mechanism: Mechanism
    parameters: tuple[tuple[str, float], ...] = ()

    def __post_init__(self):
        if not isinstance(self.mechanism, Mechanism):
            raise ModelError(f"{self.mechanism!r} is not a mechanism", obj="channel", param="mechanism",
                             expected="a bridge Mechanism (bridge.from_nmodl)")
        obj = f"channel {self.mechanism.name}"
        known = {v.name for v in self.mechanism.parameters}
        params = []
        for name, value in tuple(self.parameters):
            if name not in known:
                raise UnknownNameError(f"{self.mechanism.name} has no parameter {name!r}", obj=obj, param=name,
                                       expected=", ".join(sorted(known)) or "no parameters")
            unit = self.mechanism.variable(name).unit.dimension
            params.append((name, check_number(value, obj, name, optional=False, unit=str(unit))))
        names = [n for n, _ in params]
        if len(set(names)) != len(names):
            raise ModelError("a parameter is given twice", obj=obj, param="parameters")
        object.__setattr__(self, "parameters", tuple(sorted(params)))

    @property
    def name(self) -> str:
        return self.mechanism.name

    def value(self, name: str) -> float | None:
        """Parameter ``name`` in the mechanism's declared unit: the compartment's value if
        set, else the mechanism's default (None when it has none)."""
        variable = self.mechanism.variable(name)
        for key, si in self.parameters:
            if key == name:
                return si / variable.unit.scale
        return variable.value


def check_ion_values(values, obj: str) -> tuple[tuple[str, float], ...]:
    """``(name, SI value)`` pairs a compartment sets: reversal potentials ``e<ion>`` (V)."""
    out = []
    for name, value in tuple(values):
        if not isinstance(name, str) or not _REVERSAL.match(name):
            raise UnknownNameError(f"{name!r} is not an ion reversal potential", obj=obj, param="ions",
                                   expected="e<ion>, such as ena, ek, eca, ehcn")
        value = check_number(value, obj, name, optional=False, unit="V")
        if not math.isfinite(value):
            raise ModelError("not finite", obj=obj, param=name)
        out.append((name, value))
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        raise ModelError("an ion value is given twice", obj=obj, param="ions")
    return tuple(sorted(out))

"""Ion channels (and other NMODL density mechanisms) inserted in a compartment, NMODL
point processes placed in it, and the ion values a compartment sets.

A :class:`Channel` is a :class:`~bridge.mechanisms.Mechanism` plus the parameter values
this compartment gives it; a point process (``kind`` "point") also has a ``label``, unique
in its compartment, so that one mechanism can be placed several times. Values are SI floats, like everything in the model; the
mechanism's declared unit (``S/cm2``...) is used only by printers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import ModelError, UnknownNameError, UnsupportedFeatureError
from ..mechanisms import Mechanism
from .checks import check_number

#: NEURON's ion defaults (mM; ``celsius``-independent), used where a compartment sets none.
ION_CONCENTRATIONS = {"nai": 10.0, "nao": 140.0, "ki": 54.4, "ko": 2.5, "cai": 5e-5, "cao": 2.0}
#: NEURON's concentration (mM) inside and outside of an ion it first meets in a USEION (a
#: cyclic-AMP "ion" ``a``: ``ai0_a_ion``, ``ao0_a_ion``).
NEW_ION_CONCENTRATION = 1.0


def ion_concentration(variable: str) -> float:
    """NEURON's default value (mM) of the concentration ``variable`` (``cai``, ``ao``)."""
    return ION_CONCENTRATIONS.get(variable, NEW_ION_CONCENTRATION)


#: NEURON's default reversal potentials (V) of ions whose concentrations no mechanism writes.
ION_REVERSALS = {"ena": 50e-3, "ek": -77e-3, "eca": 132.4579341637009e-3}
_REVERSAL = re.compile(r"^e([a-z][a-z0-9]*)$")


@dataclass(frozen=True)
class Channel:
    """``mechanism`` inserted in a compartment, with ``parameters`` (name, SI value) that
    replace the mechanism's defaults. Parameters are named as in the NMODL file. A point
    process (POINT_PROCESS) has a ``label`` (default: the mechanism's name), its name in
    the compartment; a density mechanism has none (its name is the mechanism's)."""

    mechanism: Mechanism
    parameters: tuple[tuple[str, float], ...] = ()
    label: str | None = None

    def __post_init__(self):
        if not isinstance(self.mechanism, Mechanism):
            raise ModelError(f"{self.mechanism!r} is not a mechanism", obj="channel", param="mechanism",
                             expected="a bridge Mechanism (bridge.from_nmodl)")
        if self.mechanism.has_actions:
            raise UnsupportedFeatureError(
                f"{self.mechanism.name} has event actions (if statements, net_send, WATCH or RANDOM) in its "
                "INITIAL, NET_RECEIVE or BEFORE BREAKPOINT blocks, which bridge cannot run in Brian 2",
                obj=f"channel {self.mechanism.name}", param="mechanism",
                expected="a mechanism whose events only update states (NET_RECEIVE weight increments)")
        if self.is_point:
            label = self.mechanism.name if self.label is None else self.label
            if not isinstance(label, str) or not label.isidentifier():
                raise ModelError(f"invalid label {label!r}", obj=f"point process {self.mechanism.name}",
                                 param="label", expected="an identifier")
            object.__setattr__(self, "label", label)
            if self.mechanism.ions:
                raise UnsupportedFeatureError(
                    f"{self.mechanism.name} uses ions ({', '.join(i.ion for i in self.mechanism.ions)}): bridge "
                    "places point processes with nonspecific currents only", obj=f"point process {label}",
                    param="USEION", expected="a point process with NONSPECIFIC_CURRENT")
        elif self.label is not None:
            raise ModelError(f"a density mechanism has no label (given {self.label!r})",
                             obj=f"channel {self.mechanism.name}", param="label",
                             hint="labels name point processes; a density mechanism is inserted once")
        obj = f"{'point process' if self.is_point else 'channel'} {self.name}"
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
    def is_point(self) -> bool:
        """True for a point process (NMODL POINT_PROCESS)."""
        return self.mechanism.kind == "point"

    @property
    def name(self) -> str:
        """The name in the compartment: the label of a point process, else the mechanism's."""
        return self.label if self.is_point else self.mechanism.name

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


def check_shared_globals(compartments) -> None:
    """Refuse instances of one mechanism that would share a GLOBAL computed in INITIAL from
    different parameter values: NEURON would give every instance the last one's value,
    Brian 2 each its own, so the simulators would silently differ."""
    seen: dict[str, tuple[str, Channel]] = {}
    for comp in compartments:
        for ch in comp.channels:
            shared = ch.mechanism.shared_globals
            if not shared:
                continue
            key = ch.mechanism.name
            if key not in seen:
                seen[key] = (comp.name, ch)
                continue
            first_comp, first = seen[key]
            if first.parameters != ch.parameters:
                raise UnsupportedFeatureError(
                    f"{key} instances in {first_comp} ({first.name}) and {comp.name} ({ch.name}) have different "
                    f"parameters, but NEURON keeps one {', '.join(shared)} for all of them (a GLOBAL computed in "
                    "INITIAL), so NEURON and Brian 2 would differ", obj=f"compartment {comp.name}", param=ch.name,
                    expected="equal parameters for every instance",
                    hint=f"give them equal parameters, or declare {', '.join(shared)} RANGE in a renamed copy of "
                         "the mod file")

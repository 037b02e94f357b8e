"""The whole reduced neuron: compartments, their couplings, global parameters and
optional somatic spiking. This is bridge's single source of truth: the builder
produces it, emitters and simulators read it, nothing mutates it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..errors import ModelError, TopologyError, UnknownNameError
from .checks import check_bool, check_choice, check_name, check_number, check_unique
from .channels import check_shared_globals
from .compartment import CompartmentSpec
from ..units import DIMENSIONLESS, VOLT, Dimension
from .mechanisms import Equation, Param, Replacement, Spiking

COUPLING_KINDS = ("explicit", "half_cylinders", "cylinder")


@dataclass(frozen=True)
class Coupling:
    """An electrical coupling between compartments ``a`` and ``b``.

    ``explicit`` uses ``g`` (S); ``half_cylinders`` puts the axial resistances of half of
    each cylinder in series; ``cylinder`` uses the whole axial resistance of the compartment
    named by ``cylinder_of``.
    """

    a: str
    b: str
    kind: str = "half_cylinders"
    g: float | None = None
    cylinder_of: str | None = None

    def __post_init__(self):
        obj = f"coupling {self.a}-{self.b}"
        check_choice(self.kind, COUPLING_KINDS, obj, "kind")
        if self.a == self.b:
            raise TopologyError(f"compartment {self.a!r} is connected to itself", obj=obj, param="b",
                                expected="two different compartments")
        object.__setattr__(self, "g", check_number(self.g, obj, "g", positive=True, unit="S",
                                                   optional=self.kind != "explicit"))
        if self.kind == "cylinder" and self.cylinder_of not in (self.a, self.b):
            raise UnknownNameError(f"cylinder_{self.cylinder_of} names neither end", obj=obj, param="g",
                                   expected=f"'cylinder_{self.a}' or 'cylinder_{self.b}'")

    @property
    def ends(self) -> tuple[str, str]:
        return (self.a, self.b)


#: Global parameters and their dimensions; ``Mg_con`` (mM), ``Alpha_NMDA`` (1/mV),
#: ``Beta_NMDA`` and ``Gamma_NMDA`` (mV) are plain numbers, as in the Mg-block formula
#: 1 / (1 + Mg_con * exp(-Alpha_NMDA * (V/mV + Gamma_NMDA)) / Beta_NMDA).
GLOBAL_DEFAULTS: dict[str, tuple[float, Dimension]] = {
    "E_AMPA": (0.0, VOLT),
    "E_NMDA": (0.0, VOLT),
    "E_GABA": (-80e-3, VOLT),
    "E_Na": (70e-3, VOLT),
    "E_K": (-89e-3, VOLT),
    "E_Ca": (136e-3, VOLT),
    "Mg_con": (1.0, DIMENSIONLESS),
    "Alpha_NMDA": (0.062, DIMENSIONLESS),
    "Beta_NMDA": (3.57, DIMENSIONLESS),
    "Gamma_NMDA": (0, DIMENSIONLESS),   # an int, as Dendrify gives (and prints) it
}


@dataclass(frozen=True)
class GlobalParameters:
    """Reversal potentials and NMDA constants shared by all compartments, as :class:`Param`
    entries (every key of :data:`GLOBAL_DEFAULTS`, plus any the user adds)."""

    params: tuple[Param, ...] = field(default_factory=lambda: tuple(
        Param(k, v, d) for k, (v, d) in GLOBAL_DEFAULTS.items()))

    def __post_init__(self):
        object.__setattr__(self, "params", tuple(self.params))
        check_unique([p.name for p in self.params], "global parameters", "params")
        by_name = {p.name: p for p in self.params}
        for key, (_, dim) in GLOBAL_DEFAULTS.items():
            if key not in by_name:
                raise ModelError("missing", obj="global parameters", param=key)
            if by_name[key].dimension != dim:
                from ..units import dimension_name
                raise ModelError(f"has dimension {by_name[key].dimension}", obj="global parameters",
                                 param=key, expected=dimension_name(dim))

    def __getitem__(self, name: str) -> float:
        return self.get(name).value

    def get(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise UnknownNameError(f"no global parameter {name!r}", obj="global parameters", param=name,
                               expected=", ".join(p.name for p in self.params))

    def updated(self, values: dict[str, Param]) -> GlobalParameters:
        """A copy with ``values`` replacing or adding parameters."""
        kept = [values.pop(p.name, p) for p in self.params] if values else list(self.params)
        return GlobalParameters(tuple(kept) + tuple(values.values()))


@dataclass(frozen=True)
class ReducedModel:
    """A reduced compartmental neuron.

    ``compartments`` keep the order in which they were first named (generated code
    follows it). ``point`` marks a single-compartment point-neuron model whose
    generated variables carry no compartment suffix (``V`` instead of ``V_soma``).
    ``params``/``equations`` are model-level user additions; ``spiking`` is the
    default somatic spiking (simulators accept an override). ``celsius`` (degrees
    Celsius; NEURON's default 6.3) is the temperature the channels' rates see.
    """

    compartments: tuple[CompartmentSpec, ...]
    couplings: tuple[Coupling, ...] = ()
    globals: GlobalParameters = field(default_factory=GlobalParameters)
    params: tuple[Param, ...] = ()
    equations: tuple[Equation, ...] = ()
    spiking: Spiking | None = None
    point: bool = False
    name: str = "model"
    celsius: float = 6.3
    replacements: tuple[Replacement, ...] = ()

    def __post_init__(self):
        check_name(self.name, "model")
        check_bool(self.point, f"model {self.name}", "point")
        object.__setattr__(self, "celsius", check_number(self.celsius, f"model {self.name}", "celsius",
                                                         optional=False, unit="degC"))
        for attr in ("compartments", "couplings", "params", "equations", "replacements"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        if not self.compartments:
            raise ModelError("a model needs at least one compartment", obj=f"model {self.name}",
                             param="compartments")
        check_unique([c.name for c in self.compartments], f"model {self.name}", "compartments")
        check_unique([p.name for p in self.params], f"model {self.name}", "params")
        names = self.compartment_names
        for c in self.couplings:
            for end in c.ends:
                if end not in names:
                    raise UnknownNameError(f"unknown compartment {end!r}", obj=f"coupling {c.a}-{c.b}",
                                           param="compartment", expected=", ".join(names))
        pairs = [frozenset(c.ends) for c in self.couplings]
        if len(set(pairs)) != len(pairs):
            dup = next(p for p in pairs if pairs.count(p) > 1)
            raise TopologyError(f"compartments {' and '.join(sorted(dup))} are coupled twice",
                                obj=f"model {self.name}", param="couplings", expected="one coupling per pair")
        if self.point and (len(self.compartments) != 1 or self.couplings):
            raise ModelError("a point-neuron model has exactly one compartment and no couplings",
                             obj=f"model {self.name}", param="point")
        self._check_connected()
        check_shared_globals(self.compartments)
        for c in self.couplings:
            self._check_coupling_resolvable(c)

    def _check_connected(self) -> None:
        names = self.compartment_names
        reached = {names[0]}
        frontier = [names[0]]
        while frontier:
            here = frontier.pop()
            for other in self.neighbours(here):
                if other not in reached:
                    reached.add(other)
                    frontier.append(other)
        missing = [n for n in names if n not in reached]
        if missing:
            raise TopologyError(f"compartment {missing[0]!r} is not connected to {names[0]!r}",
                                obj=f"model {self.name}", param="couplings",
                                expected="one connected graph", hint=f"add a coupling to {missing[0]!r}")

    def _check_coupling_resolvable(self, c: Coupling) -> None:
        if c.kind == "explicit":
            return
        ends = [self.compartment(n) for n in (c.ends if c.kind == "half_cylinders" else (c.cylinder_of,))]
        for comp in ends:
            if comp.dimensionless:
                raise ModelError(f"{c.kind} coupling needs geometry, but {comp.name!r} is an RC compartment "
                                 "(cm_abs/gl_abs)", obj=f"coupling {c.a}-{c.b}", param="g",
                                 expected="an explicit conductance, e.g. 10*nS")

    # -- lookups ------------------------------------------------------------------
    @property
    def compartment_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.compartments)

    def compartment(self, name: str) -> CompartmentSpec:
        for c in self.compartments:
            if c.name == name:
                return c
        raise UnknownNameError(f"no compartment {name!r}", obj=f"model {self.name}", param="compartments",
                               expected=", ".join(self.compartment_names))

    @property
    def user_variables(self) -> dict[str, Equation]:
        """The variables of the user's equations (``add_equations``, compartments' and the
        model's), by name: what a recording may ask for besides compartments."""
        equations = [eq for c in self.compartments for eq in c.equations] + list(self.equations)
        return {eq.variable: eq for eq in equations}

    def check_recordable(self, names, obj: str = "simulate", extra=()) -> list[str]:
        """``names`` (compartments, whose voltages are recorded, user variables and the
        ``extra`` names a simulator can also record), checked."""
        recordable = list(self.compartment_names) + list(self.user_variables) + [n for n in extra
                                                                                  if n not in self.user_variables]
        for name in names:
            if name not in recordable:
                raise UnknownNameError(f"cannot record {name!r}", obj=obj, param="record",
                                       expected=", ".join(recordable))
        return list(names)

    def neighbours(self, name: str) -> list[str]:
        return [c.b if c.a == name else c.a for c in self.couplings if name in c.ends]

    @property
    def soma(self) -> CompartmentSpec:
        """The first compartment of kind ``soma``, else the first compartment."""
        return next((c for c in self.compartments if c.kind == "soma"), self.compartments[0])

    def is_tree(self) -> bool:
        """True when the coupling graph has no cycle (it is connected by construction)."""
        return len(self.couplings) == len(self.compartments) - 1

    # -- electrical quantities ------------------------------------------------------
    def coupling_conductance(self, c: Coupling) -> float | None:
        """The conductance (S) of a coupling, or None when its inputs are incomplete."""
        if c.kind == "explicit":
            return c.g
        if c.kind == "cylinder":
            return self.compartment(c.cylinder_of).axial_conductance
        a, b = self.compartment(c.a), self.compartment(c.b)
        if None in (a.axial_conductance, b.axial_conductance):
            return None
        r_a = 4 * a.r_axial * a.length / (math.pi * a.diameter ** 2)
        r_b = 4 * b.r_axial * b.length / (math.pi * b.diameter ** 2)
        return 1.0 / ((r_a + r_b) / 2)

    def with_spiking(self, spiking: Spiking | None) -> ReducedModel:
        return replace(self, spiking=spiking)


def as_model(model) -> ReducedModel:
    """A ReducedModel from a ReducedModel or anything with a ``description`` that is one
    (the builders ``NeuronModel`` and ``PointNeuronModel``)."""
    description = model if isinstance(model, ReducedModel) else getattr(model, "description", None)
    if not isinstance(description, ReducedModel):
        raise ModelError(f"{type(model).__name__} is not a bridge model", obj="model", param="model",
                         expected="a NeuronModel, PointNeuronModel or ReducedModel")
    return description

"""A network of reduced models, described once: populations, projections onto a
compartment's synapse, Poisson and spike-train inputs, current steps and what to record.

Every field is SI and checked when built: names must exist (populations, compartments,
synapses of the postsynaptic model), counts and rates be sensible. The drawn network
(:mod:`bridge.network.draw`) and every simulator read this description only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ModelError, UnknownNameError
from ..model import ReducedModel
from ..model.checks import check_name
from .rules import AllToAll, Constant, FixedInDegree, FixedOutDegree, FixedProbability, FromList, Normal, Uniform

RULE_TYPES = (AllToAll, FixedProbability, FixedInDegree, FixedOutDegree, FromList)
DISTRIBUTION_TYPES = (Constant, Uniform, Normal)


@dataclass(frozen=True)
class Population:
    """``n`` cells of ``model``."""

    name: str
    model: ReducedModel
    n: int

    def __post_init__(self):
        check_name(self.name, "population")
        if not isinstance(self.model, ReducedModel):
            raise ModelError(f"{self.model!r} is not a model", obj=f"population {self.name}", param="model",
                             expected="a bridge model (NeuronModel, PointNeuronModel or ReducedModel)")
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 1:
            raise ModelError(f"{self.n!r} cells", obj=f"population {self.name}", param="n", expected="an integer >= 1")
        if self.model.spiking is None:
            raise ModelError("the model has no spiking threshold, so its cells cannot send spikes",
                             obj=f"population {self.name}", param="model",
                             hint="give the model set_spiking(threshold=..., reset=...)")


@dataclass(frozen=True)
class Target:
    """A synapse of a compartment of a population's model."""

    population: str
    compartment: str
    synapse: str


@dataclass(frozen=True)
class Projection:
    """Connections from ``pre`` onto ``target`` drawn by ``rule`` with ``seed``; each
    carries a weight (dimensionless: it scales the synapse's conductance) and a delay (s)."""

    pre: str
    target: Target
    rule: object
    weight: object
    delay: object
    seed: int

    def __post_init__(self):
        obj = f"projection {self.pre}->{self.target.population}"
        if not isinstance(self.rule, RULE_TYPES):
            raise ModelError(f"{self.rule!r} is not a connection rule", obj=obj, param="rule",
                             expected="AllToAll(), FixedProbability(p), FixedInDegree(k), FixedOutDegree(k) "
                                      "or FromList(pairs)")
        for param in ("weight", "delay"):
            if not isinstance(getattr(self, param), DISTRIBUTION_TYPES):
                raise ModelError(f"{getattr(self, param)!r}", obj=obj, param=param,
                                 expected="a constant or bridge.network.Uniform/Normal")
        _seed(self.seed, obj)


@dataclass(frozen=True)
class PoissonInput:
    """``n_sources`` independent Poisson trains of ``rate`` (Hz) into each cell's target."""

    target: Target
    rate: float
    n_sources: int
    seed: int
    weight: float = 1.0

    def __post_init__(self):
        obj = f"poisson into {self.target.population}"
        if self.rate < 0:
            raise ModelError(f"{self.rate:g} Hz", obj=obj, param="rate", expected="a rate >= 0")
        if isinstance(self.n_sources, bool) or not isinstance(self.n_sources, int) or self.n_sources < 1:
            raise ModelError(f"{self.n_sources!r}", obj=obj, param="n_sources", expected="an integer >= 1")
        _seed(self.seed, obj)


@dataclass(frozen=True)
class TrainInput:
    """Given spike times (s) into each cell's target: ``times[cell]``."""

    target: Target
    times: tuple[tuple[float, ...], ...]
    weight: float = 1.0

    def __post_init__(self):
        if any(t < 0 for cell in self.times for t in cell):
            raise ModelError("a negative spike time", obj=f"spike trains into {self.target.population}",
                             param="times_per_cell", expected="times >= 0")


@dataclass(frozen=True)
class StepInput:
    """A current ``amplitude`` (A) into ``compartment`` of every cell of ``population``
    from ``start`` to ``stop`` (s)."""

    population: str
    compartment: str
    amplitude: float
    start: float
    stop: float


@dataclass(frozen=True)
class Recording:
    """Voltages of ``compartments`` of ``cells`` of ``population``."""

    population: str
    cells: tuple[int, ...]
    compartments: tuple[str, ...]


@dataclass(frozen=True)
class NetworkDescription:
    """The whole network; see the module docstring."""

    populations: tuple[Population, ...]
    projections: tuple[Projection, ...] = ()
    poisson: tuple[PoissonInput, ...] = ()
    trains: tuple[TrainInput, ...] = ()
    steps: tuple[StepInput, ...] = ()
    recordings: tuple[Recording, ...] = ()
    name: str = "network"

    def __post_init__(self):
        check_name(self.name, "network")
        names = [p.name for p in self.populations]
        if not names:
            raise ModelError("a network needs at least one population", obj=f"network {self.name}",
                             param="populations")
        if len(set(names)) != len(names):
            raise ModelError("two populations share a name", obj=f"network {self.name}", param="populations",
                             expected="unique names")
        for proj in self.projections:
            self.population(proj.pre)
            self._check_target(proj.target)
        for inp in self.poisson + self.trains:
            self._check_target(inp.target)
            if isinstance(inp, TrainInput) and len(inp.times) != self.population(inp.target.population).n:
                raise ModelError(f"{len(inp.times)} spike trains for {self.population(inp.target.population).n} cells",
                                 obj=f"spike trains into {inp.target.population}", param="times_per_cell",
                                 expected="one list of times per cell")
        for step in self.steps:
            self._check_compartment(step.population, step.compartment, f"step into {step.population}")
        for rec in self.recordings:
            pop = self.population(rec.population)
            for comp in rec.compartments:
                self._check_compartment(rec.population, comp, f"recording of {rec.population}")
            bad = [c for c in rec.cells if not 0 <= c < pop.n]
            if bad:
                raise ModelError(f"cell {bad[0]} of {pop.n}", obj=f"recording of {rec.population}", param="cells",
                                 expected=f"indices 0 to {pop.n - 1}")

    def population(self, name: str) -> Population:
        for pop in self.populations:
            if pop.name == name:
                return pop
        raise UnknownNameError(f"unknown population {name!r}", obj=f"network {self.name}", param="population",
                               expected=", ".join(p.name for p in self.populations))

    def _check_compartment(self, population: str, compartment: str, obj: str) -> None:
        model = self.population(population).model
        if compartment not in model.compartment_names:
            raise UnknownNameError(f"unknown compartment {compartment!r}", obj=obj, param="compartment",
                                   expected=", ".join(model.compartment_names))

    def _check_target(self, target: Target) -> None:
        obj = f"target {target.population}.{target.compartment}"
        self._check_compartment(target.population, target.compartment, obj)
        comp = self.population(target.population).model.compartment(target.compartment)
        names = [s.name for s in comp.synapses]
        if target.synapse not in names:
            raise UnknownNameError(f"unknown synapse {target.synapse!r}", obj=obj, param="synapse",
                                   expected=", ".join(names) or "a synapse added with synapse()")


def _seed(seed, obj: str) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ModelError(f"seed {seed!r}", obj=obj, param="seed", expected="an integer >= 0")

"""``bridge.Network``: the builder users call, with Brian 2 quantities checked at each
call; :attr:`Network.description` is the immutable :class:`NetworkDescription`."""

from __future__ import annotations

import dataclasses

from brian2.units import ms

from ..errors import ModelError
from ..model import as_model
from ..units import AMPERE, DIMENSIONLESS, HERTZ, SECOND, to_si
from .description import (NetworkDescription, PoissonInput, Population, Projection, Recording, StepInput,
                          Target, TrainInput)
from .rules import Constant, Normal, Uniform


@dataclasses.dataclass(frozen=True)
class PopulationRef:
    """What :meth:`Network.population` returns: pass it to ``connect``, ``poisson``..."""

    name: str
    n: int


class Network:
    """A network of reduced models (see docs/networks.md).

    >>> net = Network()
    >>> exc = net.population("exc", model, 160)
    >>> net.connect(exc, exc, target=("dend", "AMPA_rec"), rule=FixedProbability(0.1), weight=1.0, delay=1.5*ms)
    >>> net.poisson(exc, target=("dend", "AMPA_ext"), rate=5*Hz, n_sources=50, seed=1)
    """

    def __init__(self, name: str = "network"):
        self._parts: dict[str, list] = {"populations": [], "projections": [], "poisson": [], "trains": [],
                                        "steps": [], "recordings": []}
        self.name = name

    @property
    def description(self) -> NetworkDescription:
        return NetworkDescription(**{k: tuple(v) for k, v in self._parts.items()}, name=self.name)

    def _add(self, part: str, item) -> None:
        self._parts[part].append(item)
        try:
            self.description   # every addition checked against the whole network at once
        except Exception:
            self._parts[part].pop()
            raise

    def population(self, name: str, model, n: int) -> PopulationRef:
        """``n`` cells of ``model`` (a builder model or a ReducedModel with spiking)."""
        self._add("populations", Population(name, as_model(model), n))
        return PopulationRef(name, n)

    def connect(self, pre: PopulationRef, post: PopulationRef, target, rule, weight=1.0, delay=1 * ms,
                seed: int = 0) -> None:
        """Connect ``pre`` onto the synapse ``target = (compartment, synapse)`` of ``post``
        by ``rule``; ``weight`` (dimensionless, scales the synapse's conductance) and
        ``delay`` (a time) are constants or ``Uniform``/``Normal`` of them."""
        obj = f"projection {_name(pre)}->{_name(post)}"
        self._add("projections", Projection(_name(pre), _target(post, target, obj), rule,
                                            _distribution(weight, DIMENSIONLESS, obj, "weight"),
                                            _distribution(delay, SECOND, obj, "delay"), seed))

    def poisson(self, post: PopulationRef, target, rate, n_sources: int, seed: int, weight=1.0) -> None:
        """``n_sources`` independent Poisson trains at ``rate`` into each cell of ``post``."""
        obj = f"poisson into {_name(post)}"
        self._add("poisson", PoissonInput(_target(post, target, obj), to_si(rate, HERTZ, obj, "rate", optional=False),
                                          n_sources, seed, to_si(weight, DIMENSIONLESS, obj, "weight", optional=False)))

    def spike_trains(self, post: PopulationRef, target, times_per_cell, weight=1.0) -> None:
        """Given spike times into each cell of ``post``: ``times_per_cell[i]`` (times)."""
        obj = f"spike trains into {_name(post)}"
        times = tuple(_times(cell_times, obj) for cell_times in times_per_cell)
        self._add("trains", TrainInput(_target(post, target, obj), times,
                                       to_si(weight, DIMENSIONLESS, obj, "weight", optional=False)))

    def step(self, population: PopulationRef, compartment: str, amplitude, start, stop) -> None:
        """A current step into ``compartment`` of every cell of ``population``."""
        obj = f"step into {_name(population)}"
        start_s, stop_s = (to_si(v, SECOND, obj, p, optional=False) for v, p in ((start, "start"), (stop, "stop")))
        if not 0 <= start_s < stop_s:
            raise ModelError(f"from {start_s * 1e3:g} ms to {stop_s * 1e3:g} ms", obj=obj, param="stop",
                             expected="0 <= start < stop")
        self._add("steps", StepInput(_name(population), compartment,
                                     to_si(amplitude, AMPERE, obj, "amplitude", optional=False), start_s, stop_s))

    def record(self, population: PopulationRef, cells, compartments=None) -> None:
        """Record the voltages of ``compartments`` (default: all) of ``cells`` (indices)."""
        model = self.description.population(_name(population)).model
        comps = tuple(compartments) if compartments is not None else tuple(model.compartment_names)
        self._add("recordings", Recording(_name(population), tuple(int(c) for c in cells), comps))

    def save(self, path):
        """Write the network as versioned JSON (atomically); returns the path."""
        from .serialize import save
        return save(self.description, path)

    @classmethod
    def load(cls, path) -> "Network":
        from .serialize import load
        return cls.from_description(load(path))

    @classmethod
    def from_description(cls, description: NetworkDescription) -> "Network":
        net = cls(description.name)
        for part in net._parts:
            net._parts[part] = list(getattr(description, part))
        return net


def _name(ref) -> str:
    if isinstance(ref, PopulationRef):
        return ref.name
    if isinstance(ref, str):
        return ref
    raise ModelError(f"{ref!r} is not a population", obj="network", param="population",
                     expected="what Network.population returned")


def _target(post, target, obj: str) -> Target:
    if not (isinstance(target, (tuple, list)) and len(target) == 2 and all(isinstance(t, str) for t in target)):
        raise ModelError(f"{target!r}", obj=obj, param="target", expected="(compartment, synapse), e.g. ('dend', 'AMPA_x')")
    return Target(_name(post), target[0], target[1])


def _times(value, obj: str) -> tuple[float, ...]:
    """One cell's spike times (a Brian 2 time array, or a list of times) as sorted SI floats."""
    import numpy as np
    from brian2.units.fundamentalunits import Quantity

    from ..errors import UnitError
    from ..units import dimension_of
    if len(value) == 0:
        return ()
    if not isinstance(value, Quantity):
        try:
            value = Quantity(list(value))
        except Exception:  # noqa: BLE001 (mixed or unitless values)
            pass
    if not isinstance(value, Quantity) or dimension_of(value) != SECOND:
        raise UnitError(f"{value!r} are not times", obj=obj, param="times_per_cell",
                        expected="one array of times per cell, e.g. [10, 12]*ms")
    return tuple(sorted(float(t) for t in np.asarray(value, dtype=float).ravel()))


def _distribution(value, dim, obj: str, param: str):
    if isinstance(value, Uniform):
        low, high = (to_si(v, dim, obj, param, optional=False) for v in (value.low, value.high))
        if not low < high:
            raise ModelError(f"Uniform({value.low}, {value.high})", obj=obj, param=param, expected="low < high")
        return Uniform(low, high)
    if isinstance(value, Normal):
        minimum = None if value.minimum is None else to_si(value.minimum, dim, obj, param, optional=False)
        return Normal(to_si(value.mean, dim, obj, param, optional=False), to_si(value.sd, dim, obj, param,
                                                                              optional=False), minimum)
    return Constant(to_si(value, dim, obj, param, optional=False))

"""What every protocol shares: the run context (the case, the simulators, dt, how the
reference and the reduced model are simulated, how a feature row is judged) and the
outcome it returns (feature rows, and tables its figure and the CSV files draw from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from ..judge import judged

#: Brian 2 integrates a reduced model with rk4: against NEURON's Crank-Nicolson that is
#: the pairing whose difference measures the model, not first-order integration errors.
BRIAN2_METHOD = "rk4"


def brian2_options(model) -> dict:
    """How Brian 2 runs ``model`` in a validation: rk4 (numpy) for Dendrify-style models;
    for a model with NMODL channels, ``exponential_strang`` (rk4 diverges on their stiff
    conductances) compiled by the ``cpp_standalone`` device (a reduced Hay cell's 168 state
    variables: Cython's code takes minutes to compile, the standalone project 10 s)."""
    if any(c.channels for c in model.compartments):
        from ...brian2.methods import NAME
        return {"method": NAME, "target": "cpp_standalone"}
    return {"method": BRIAN2_METHOD}


@dataclass
class Outcome:
    """A protocol's feature rows and its named tables (for its figure and the report's CSV
    files); ``runs`` are the simulations kept for the cross-simulator comparison."""

    rows: list[dict] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    runs: dict = field(default_factory=dict)


@dataclass
class Context:
    """A validation run: ``case``, the reduced model's ``simulators``, the step ``dt`` (s) and
    ``detailed``, which runs the detailed cell; ``told(text)``, if set, hears of each run
    before it starts (a detailed cell's runs take minutes: the progress bar shows them),
    counted from :meth:`start_counting`."""

    case: object
    simulators: tuple[str, ...]
    dt: float
    detailed: object          # a bridge.neuron.detailed_pool.DetailedRuns: where the detailed runs go
    told: object = None
    runs: int = 0

    def start_counting(self, told) -> None:
        self.told, self.runs = told, 0

    def _tell(self, what: str) -> None:
        self.runs += 1
        if self.told is not None:
            self.told(f"run {self.runs}, {what}")

    def setting(self, name: str):
        return self.case.settings[name]

    def reference(self, stimuli, duration: float, record, synapses=(), reference=None):
        """The detailed reference (default: the case's) in NEURON
        (``bridge.neuron.detailed.run_reference``)."""
        return self.references([self.detailed_run(stimuli, duration, record, synapses, reference)])[0]

    def detailed_run(self, stimuli, duration: float, record, synapses=(), reference=None):
        """One run of the detailed reference (default: the case's), for :meth:`references`."""
        from ...neuron.detailed_pool import DetailedRun
        return DetailedRun(reference or self.case.reference, tuple(stimuli), duration, record, tuple(synapses))

    def references(self, runs: list) -> list:
        """The results of several :meth:`detailed_run` runs, in their order: at once, in worker
        processes, when the validation has more than one job."""
        at_once = self.detailed.at_once(len(runs))
        if at_once > 1:
            first, self.runs = self.runs + 1, self.runs + len(runs)
            if self.told is not None:
                self.told(f"runs {first}-{self.runs}, detailed cell, {at_once} at once")
            return self.detailed.run(list(runs), self.dt)
        results = []
        for run in runs:
            self._tell("detailed cell")
            results += self.detailed.run([run], self.dt)
        return results

    def reduced(self, model, simulator: str, stimuli, duration: float, record=None, dt: float | None = None):
        """``model`` (default: the case's reduced model) in ``simulator`` for ``duration`` (s),
        at step ``dt`` (s; default the run's)."""
        from brian2.units import second

        from ...simulate import simulate
        model = model or self.case.model
        options = brian2_options(model) if simulator == "brian2" else {}
        self._tell(f"reduced in {simulator}")
        return simulate(model, simulator, stimuli, duration=duration * second,
                        dt=(dt or self.dt) * second, record=record, **options)

    def row(self, protocol: str, feature: str, site: str, condition: str, unit: str, simulator: str, reference,
            reduced: float, **options) -> dict:
        return judged(self.case, protocol, feature, site, condition, unit, simulator, reference, reduced, **options)


class Protocol:
    """One protocol: its ``name`` (as cases list it), the ``features`` it measures, the
    ``settings`` a case may override (with their defaults) and ``title`` for the report."""

    name: ClassVar[str]
    title: ClassVar[str]
    features: ClassVar[tuple[str, ...]]
    settings: ClassVar[dict] = {}

    @classmethod
    def check(cls, settings: dict, obj: str) -> None:
        """Refuse settings this protocol cannot run with, when the case is read (before any run)."""

    def run(self, ctx: Context) -> Outcome:
        raise NotImplementedError


def with_synapses(model, compartment: str, *synapses):
    """``model`` with ``synapses`` added to ``compartment`` (a protocol's own inputs)."""
    import dataclasses
    comps = tuple(dataclasses.replace(c, synapses=c.synapses + synapses) if c.name == compartment else c
                  for c in model.compartments)
    return dataclasses.replace(model, compartments=comps)


def synapse_map(case, protocol: str) -> pd.DataFrame:
    """The case's synapse map, which ``protocol`` places its synapses through; an error for a
    case without one (a case file is refused when read, bridge.assess.case; this covers
    cases made in Python)."""
    from ...errors import ModelError
    if case.synapse_map is None:
        raise ModelError(f"the {protocol} protocol needs the case's synapse map", obj=f"case {case.name}",
                         param="synapse_map", hint='add "synapse_map": "synapses.json" (bridge reduce writes it)')
    return case.synapse_map


def mapped_segment(table: pd.DataFrame, section: str, x: float, where: str) -> tuple[str, float]:
    """``(compartment, weight)`` of the segment ``section(x)`` in a synapse map ``table``
    (``section`` as the map names it, without its template instance); an error naming
    ``where`` (the case) when the map lacks it."""
    from ...errors import ModelError
    rows = table[(table["section"] == section) & (np.abs(table["x"] - x) < 1e-6)]
    if rows.empty:
        raise ModelError(f"segment {section}({x:.3g}) is not in the synapse map", obj=where, param="synapse_map",
                         hint="write the case again with bridge reduce")
    return str(rows["compartment"].iloc[0]), float(rows["weight"].iloc[0])


def dendritic_sites(case) -> list[str]:
    """The mapped compartments other than the soma, soma outwards."""
    return [c for c in case.mapping if c != case.model.soma.name]

"""The one way to run a model: ``simulate(model, simulator=..., stimuli=..., ...)``."""

from __future__ import annotations

from .errors import ModelError, UnsupportedFeatureError
from .model import ReducedModel
from .model.dimensions import SECOND
from .stimuli import Poisson, SpikeTrain, Step

SIMULATORS = ("brian2",)
PLANNED_SIMULATORS = ("neuron", "coreneuron")


def as_model(model) -> ReducedModel:
    """A ReducedModel from a ReducedModel or a builder (``NeuronModel``/``PointNeuronModel``)."""
    description = model if isinstance(model, ReducedModel) else getattr(model, "description", None)
    if not isinstance(description, ReducedModel):
        raise ModelError(f"{type(model).__name__} is not a bridge model", obj="simulate", param="model",
                         expected="a NeuronModel, PointNeuronModel or ReducedModel")
    return description


def check_stimuli(model: ReducedModel, stimuli) -> list:
    """Validate that every stimulus targets an existing compartment (and synapse)."""
    checked = []
    for stim in stimuli or ():
        if not isinstance(stim, (Step, SpikeTrain, Poisson)):
            raise ModelError(f"{stim!r} is not a stimulus", obj="simulate", param="stimuli",
                             expected="bridge.Step, bridge.SpikeTrain or bridge.Poisson")
        comp = model.compartment(stim.compartment)
        if not isinstance(stim, Step):
            comp.synapse(stim.synapse)
        checked.append(stim)
    return checked


def simulate(model, simulator: str = "brian2", stimuli=(), duration=None, dt=None, record=None, *,
             seed: int | None = None, n: int = 1, target: str = "numpy", progress: bool = False,
             method: str = "euler", **spiking):
    """Simulate ``model`` and return a :class:`~bridge.traces.SimulationResult`.

    ``duration`` (default 100 ms) and ``dt`` (default 0.025 ms) are Brian 2 times;
    ``record`` lists compartments (default: all); ``seed`` fixes noise; ``n`` cells are
    simulated (traces and spikes are the first cell's); ``target`` is Brian 2's code
    generation target (numpy, cython, cpp_standalone). ``spiking`` takes
    ``make_neurongroup``'s threshold, reset, second_reset, spike_width and refractory,
    overriding the model's own spiking.
    """
    from brian2.units import ms

    from .builder.units import to_si
    desc = as_model(model)
    duration_s = to_si(100 * ms if duration is None else duration, SECOND, "simulate", "duration", optional=False)
    dt_s = to_si(0.025 * ms if dt is None else dt, SECOND, "simulate", "dt", optional=False)
    if duration_s <= 0 or dt_s <= 0 or dt_s > duration_s:
        raise ModelError(f"duration {duration_s * 1e3:g} ms, dt {dt_s * 1e3:g} ms", obj="simulate",
                         param="duration", expected="0 < dt <= duration")
    names = list(record) if record is not None else list(desc.compartment_names)
    for name in names:
        desc.compartment(name)
    stims = check_stimuli(desc, stimuli)
    unknown = set(spiking) - {"threshold", "reset", "second_reset", "spike_width", "refractory"}
    if unknown:
        raise ModelError(f"unknown keyword {sorted(unknown)[0]!r}", obj="simulate", param=sorted(unknown)[0],
                         expected="threshold, reset, second_reset, spike_width or refractory")
    if simulator == "brian2":
        from .brian2.run import run
        return run(desc, stims, duration_s, dt_s, names, seed=seed, n=n, target=target, progress=progress,
                   method=method, spiking=spiking)
    if simulator in PLANNED_SIMULATORS:
        raise UnsupportedFeatureError(f"simulator {simulator!r} is not available yet", obj="simulate",
                                      param="simulator", expected=", ".join(SIMULATORS))
    raise UnsupportedFeatureError(f"unknown simulator {simulator!r}", obj="simulate", param="simulator",
                                  expected=", ".join(SIMULATORS))

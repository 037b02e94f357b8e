"""The one way to run a model: ``simulate(model, simulator=..., stimuli=..., ...)``."""

from __future__ import annotations

from .errors import ModelError, UnsupportedFeatureError
from .model import ReducedModel, as_model
from .model.equation_model import EquationModel
from .units import AMPERE, SECOND
from .stimuli import EPSCurrent, Poisson, Sine, SpikeTrain, Step

SIMULATORS = ("brian2", "neuron", "coreneuron")


def check_stimuli(model: ReducedModel | EquationModel, stimuli) -> list:
    """Validate that every stimulus targets an existing compartment (and synapse, or the
    input of a model from from_brian2)."""
    checked = []
    for stim in stimuli or ():
        if not isinstance(stim, (Step, Sine, EPSCurrent, SpikeTrain, Poisson)):
            raise ModelError(f"{stim!r} is not a stimulus", obj="simulate", param="stimuli",
                             expected="bridge.Step, Sine, EPSCurrent, SpikeTrain or Poisson")
        if isinstance(model, EquationModel):
            if isinstance(stim, (Sine, EPSCurrent)):
                raise UnsupportedFeatureError(f"a {type(stim).__name__} drives bridge's compartments only",
                                              obj=f"model {model.name}", param="stimuli",
                                              expected="bridge.Step for a model from from_brian2")
            model.check_input(stim, "simulate")
        elif not isinstance(stim, (Step, Sine, EPSCurrent)):
            model.compartment(stim.compartment).input_target(stim.synapse)
        else:
            model.compartment(stim.compartment)
            stim.check_dimension(AMPERE, f"model {model.name}")
        checked.append(stim)
    return checked


def simulate(model, simulator: str = "brian2", stimuli=(), duration=None, dt=None, record=None, *,
             seed: int | None = None, n: int = 1, target: str = "numpy", progress: bool = False,
             method: str | None = None, cvode: bool = False, atol: float | None = None, gpu: bool = False,
             **spiking):
    """Simulate ``model`` and return a :class:`~bridge.traces.SimulationResult`.

    ``duration`` (default 100 ms) and ``dt`` (default 0.025 ms) are Brian 2 times;
    ``record`` lists compartments (their voltages, mV; default: all) and variables of
    the model's own equations (``add_equations``; in NEURON's units: mV, nA, uS...); ``seed`` fixes noise; ``n`` cells are
    simulated (traces and spikes are the first cell's); ``target`` is Brian 2's code
    generation target (numpy, cython, cpp_standalone) and ``method`` its integration
    method (default ``euler``, as Dendrify; ``exponential_strang`` for models with NMODL
    channels, whose conductances are too stiff for explicit methods). For ``simulator="neuron"``, ``cvode=True``
    selects NEURON's variable-step integrator (absolute tolerance ``atol``, default 1e-4)
    and ``method`` is the fixed-step method (``crank_nicolson``, the default, or
    ``backward_euler``); ``simulator="coreneuron"`` runs CoreNEURON in memory, on the GPU
    with ``gpu=True`` (needs a GPU build of NEURON). ``spiking`` takes
    ``make_neurongroup``'s threshold, reset, second_reset, spike_width and refractory,
    overriding the model's own spiking.
    """
    from brian2.units import ms

    from .units import to_si
    duration_s = to_si(100 * ms if duration is None else duration, SECOND, "simulate", "duration", optional=False)
    dt_s = to_si(0.025 * ms if dt is None else dt, SECOND, "simulate", "dt", optional=False)
    if duration_s <= 0 or dt_s <= 0 or dt_s > duration_s:
        raise ModelError(f"duration {duration_s * 1e3:g} ms, dt {dt_s * 1e3:g} ms", obj="simulate",
                         param="duration", expected="0 < dt <= duration")
    if isinstance(model, EquationModel):
        return _simulate_equations(model, simulator, stimuli, duration_s, dt_s, seed=seed, target=target,
                                   method=method, n=n, cvode=cvode, gpu=gpu, spiking=spiking)
    desc = as_model(model)
    from .brian2.replace_terms import recordable_model
    names = recordable_model(desc).check_recordable(
        list(dict.fromkeys(record)) if record is not None else desc.compartment_names,   # each once
        f"model {desc.name}")
    stims = check_stimuli(desc, stimuli)
    unknown = set(spiking) - {"threshold", "reset", "second_reset", "spike_width", "refractory"}
    if unknown:
        raise ModelError(f"unknown keyword {sorted(unknown)[0]!r}", obj="simulate", param=sorted(unknown)[0],
                         expected="threshold, reset, second_reset, spike_width or refractory")
    if simulator == "brian2":
        if cvode or gpu or atol is not None:
            raise UnsupportedFeatureError("cvode, atol and gpu apply to NEURON and CoreNEURON", obj="simulate",
                                          param="cvode" if cvode else ("gpu" if gpu else "atol"),
                                          expected="simulator='neuron' or 'coreneuron'")
        from .brian2.methods import default_method
        from .brian2.run import run
        return run(desc, stims, duration_s, dt_s, names, seed=seed, n=n, target=target, progress=progress,
                   method=method or default_method(desc), spiking=spiking)
    if simulator in ("neuron", "coreneuron"):
        from .builder.neuronmodel import parse_spiking
        from .neuron.run import run as run_neuron
        if spiking:
            desc = desc.with_spiking(parse_spiking(**spiking))
        if gpu and simulator != "coreneuron":
            raise UnsupportedFeatureError("gpu=True needs simulator='coreneuron'", obj="simulate", param="gpu")
        return run_neuron(desc, stims, duration_s, dt_s, names, seed=seed, n=n, coreneuron=simulator == "coreneuron",
                          gpu=gpu, cvode=cvode, atol=atol, method=method, progress=progress)
    raise UnsupportedFeatureError(f"unknown simulator {simulator!r}", obj="simulate", param="simulator",
                                  expected=", ".join(SIMULATORS))


def _simulate_equations(model: EquationModel, simulator, stimuli, duration_s, dt_s, *, seed, target, method, n,
                        cvode, gpu, spiking):
    """``simulate`` for a model of the user's own Brian 2 equations (bridge.from_brian2)."""
    options = {"n": n != 1, "cvode": cvode, "gpu": gpu, "spiking": bool(spiking)}
    refused = [name for name, given in options.items() if given]
    if refused:
        raise UnsupportedFeatureError(f"{refused[0]} is not supported for a model from from_brian2 yet",
                                      obj="simulate", param=refused[0])
    stims = check_stimuli(model, stimuli)
    if simulator == "brian2":
        from .brian2.equation_run import run
        return run(model, stims, duration_s, dt_s, seed=seed, target=target, method=method)
    if simulator in ("neuron", "coreneuron"):
        from .neuron.equation_run import run
        return run(model, stims, duration_s, dt_s, seed=seed, coreneuron=simulator == "coreneuron")
    raise UnsupportedFeatureError(f"unknown simulator {simulator!r}", obj="simulate", param="simulator",
                                  expected=", ".join(SIMULATORS))

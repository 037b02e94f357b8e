"""Running an :class:`~bridge.model.EquationModel` in Brian 2: the user's own equations in a
``NeuronGroup``, bridge's stimuli (checked by :func:`bridge.simulate.check_stimuli`) driving
its input parameter and its ``on_pre``."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from ..errors import SimulationError
from ..stimuli import Poisson, SpikeTrain, Step
from ..traces import SimulationResult
from ..units import quantity
from .functions import FUNCTIONS


def run(model, stimuli, duration: float, dt: float, *, seed=None, target: str = "numpy",
        method: str | None = None) -> SimulationResult:
    """Simulate ``model`` for ``duration`` (s) at step ``dt`` (s) in Brian 2."""
    import brian2 as b

    from .run import _generator_indices, brian2_target, step_term
    values = {name: quantity(value, dim) for name, value, dim in model.namespace}
    eqs = b.Equations(model.equations)
    declared = set(eqs.names)
    namespace = {**FUNCTIONS, **{n: v for n, v in values.items() if n not in declared}}   # the rest: per-neuron
    refractory = model.refractory if isinstance(model.refractory, str) or model.refractory is None \
        else model.refractory * b.second
    with brian2_target(target):
        if seed is not None:
            b.seed(seed)
        dtq = dt * b.second
        chosen = method or model.method   # None: Brian 2's own choice, as NeuronGroup makes it
        group = b.NeuronGroup(1, model.equations, threshold=model.threshold, reset=model.reset,
                              refractory=refractory if refractory is not None else False,
                              namespace=namespace, dt=dtq, **({"method": chosen} if chosen else {}))
        for name, value in [*((n, v) for n, v in values.items() if n in declared),
                            *((n, quantity(x, d)) for n, x, d in model.initial)]:
            setattr(group, name, value)
        objects = [group]
        terms = [step_term(s, dt) for s in stimuli if isinstance(s, Step)]
        if terms:   # the input parameter at the start of every step (simulate checked its unit)
            objects.append(group.run_regularly(f"{model.input} = {' + '.join(terms)}", when="start", order=-1))
        for k, stim in enumerate(s for s in stimuli if isinstance(s, (SpikeTrain, Poisson))):
            times = stim.spike_times(duration)
            if not len(times):
                continue
            indices = _generator_indices(times, dt)
            source = b.SpikeGeneratorGroup(int(indices.max()) + 1, indices, times * b.second, dt=dtq)
            synapses = b.Synapses(source, group, on_pre=model.on_pre, namespace=namespace, dt=dtq,
                                  name=f"bridge_input_{k}")
            synapses.connect(True)
            objects += [source, synapses]
        state = b.StateMonitor(group, model.voltage, record=0, dt=dtq)
        spikes = b.SpikeMonitor(group) if model.threshold is not None else None
        objects += [state] + ([spikes] if spikes is not None else [])
        started = time.perf_counter()
        try:
            b.Network(*objects).run(duration * b.second)
        except Exception as exc:
            raise SimulationError(f"Brian 2 failed: {exc}".replace("\n", " "), obj=f"model {model.name}",
                                  param="simulate") from exc
        elapsed = time.perf_counter() - started
        t_ms = np.asarray(state.t / b.ms)
        v = np.asarray(getattr(state, model.voltage)[0])
        v = v if eqs[model.voltage].dim.is_dimensionless else v * 1e3   # in mV; a dimensionless one as it is
        spike_ms = np.array([]) if spikes is None else np.asarray(spikes.t / b.ms)
    traces = pd.DataFrame({model.compartment: v}, index=pd.Index(t_ms, name="time (ms)"))
    return SimulationResult(traces, spike_ms, {"simulator": "brian2", "target": target, "dt_ms": dt * 1e3, "n": 1,
                                               "run_seconds": elapsed})

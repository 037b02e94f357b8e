"""Run a model of brian2_user_models.py in NEURON (and CoreNEURON) through
``bridge.from_brian2`` and ``bridge.simulate``: the step into the model's input, its
presynaptic events into ``on_pre``, at ``dt``.

Run as a script (``python tests/neuron_of_brian2.py NAME DT_MS METHOD OUT.npz [coreneuron]
[seeds=N]``, METHOD ``own`` for the model's own) so that the generated mechanism is loaded
into a fresh NEURON, not into the test process. It saves the first seed's NEURON run
(``t``, ``v``, ``spikes``), the spike count and intervals of every seed, and with
``coreneuron`` the same run in CoreNEURON (``v_core``, ``spikes_core``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
sys.path.insert(0, str(Path(__file__).parent))


def converted(model, method: str | None = None):
    """The bridge model of ``model`` (a UserModel) for its own Brian 2 method or ``method``."""
    import bridge
    return bridge.from_brian2(model.equations, model.threshold, model.reset, model.refractory, model.namespace,
                              method or model.method, model_name=f"b2_{model.name}", initial=model.initial,
                              voltage=model.voltage, input=model.input, on_pre=model.on_pre)


def stimuli(model) -> list:
    """bridge's stimuli for ``model``: its step, its presynaptic events."""
    import bridge
    out = []
    if model.input is not None and model.stimulus is not None:
        s = model.stimulus
        out.append(bridge.Step("soma", s.amplitude, s.start, s.stop))
    if model.events:
        out.append(bridge.SpikeTrain("soma", "input", list(model.events)))
    return out


def run_neuron(model, dt_ms: float = 0.025, method: str | None = None, simulator: str = "neuron",
               seeds=(1,)) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``[(t_ms, v, spike_times_ms)]`` of ``model`` in ``simulator`` (v in mV, or as it is
    for a dimensionless membrane), one run per seed of its noise."""
    import bridge
    from brian2.units import ms
    runs = []
    for seed in seeds:
        result = bridge.simulate(converted(model, method), simulator, stimuli(model), duration=model.duration,
                                 dt=dt_ms * ms, seed=seed)
        runs.append((result.traces.index.to_numpy(), result.traces["soma"].to_numpy(), np.asarray(result.spikes)))
    return runs


def load_every_model() -> None:
    """Load the mechanisms of every model (their own methods) at once: every run of this
    script then uses one compiled library (bridge caches it by its set of files), not one
    library per model, and CoreNEURON one library too."""
    from brian2_user_models import MODELS

    from bridge.neuron.equation_run import mechanism_with_source
    from bridge.neuron.session import load_mechanisms
    load_mechanisms([mechanism_with_source(converted(m)) for m in MODELS])


if __name__ == "__main__":
    from brian2_user_models import BY_NAME
    load_every_model()
    name, dt, method, out = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    options = dict(arg.split("=") for arg in sys.argv[5:] if "=" in arg)
    seeds = range(1, int(options.get("seeds", 1)) + 1)
    own = None if method == "own" else method
    runs = run_neuron(BY_NAME[name], dt, own, seeds=seeds)
    t, v, spikes = runs[0]
    saved = dict(t=t, v=v, spikes=spikes, counts=np.array([len(r[2]) for r in runs]),
                 intervals=np.concatenate([np.diff(r[2]) for r in runs]))
    if "coreneuron" in sys.argv[5:]:
        _, saved["v_core"], saved["spikes_core"] = run_neuron(BY_NAME[name], dt, own, "coreneuron", seeds[:1])[0]
    np.savez(out, **saved)

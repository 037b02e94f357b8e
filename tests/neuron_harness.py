"""Runs a parity case (tests/parity_models.py) through ``bridge.simulate`` in any simulator.

A case whose NEURON cell has mechanisms of its own (the user's equations of
``add_equations`` become NMODL mechanisms) runs in NEURON and CoreNEURON in a process of
its own: NEURON cannot unload a mechanism, and CoreNEURON loads one mechanism library per
process, so the test process keeps bridge's library alone for its CoreNEURON runs.

``record`` may name variables of the model's equations (``Ca_dend``) besides compartments:
NEURON records them through its runner, Brian 2 through a StateMonitor of the same group
(:func:`brian2_recording`); ``bridge.simulate`` records compartments only.

Run as a script (``python tests/neuron_harness.py IN.pkl OUT.pkl``) it runs one case as
``run`` would, here, and pickles the result.
"""

import pickle
import subprocess
import sys
from pathlib import Path

import bridge
from brian2.units import ms

from brian_harness import DT

#: Cases the NEURON side cannot express (none since the user's equations became NMODL).
NOT_IN_NMODL = set()
#: Cases younger than the golden NEURON traces (tests/golden/neuron_traces.npz, recorded
#: before the NMODL printer): nothing to compare them with there.
NOT_IN_GOLDEN = {"add_equations_and_params"}
#: Cases with noise: compared by statistics, never sample by sample.
NOISY = {"noise_fixed_seed", "point_with_noise_geometry"}


def stimuli_of(protocol):
    stimuli = [bridge.Step(c, a, s, e) for c, a, s, e in protocol["steps"]]
    stimuli += [bridge.SpikeTrain(c, syn, t) for c, syn, t in protocol["events"]]
    return stimuli


def own_mechanisms(model) -> bool:
    """True when NEURON compiles mechanisms for ``model`` beyond bridge's library."""
    from bridge.model import as_model
    from bridge.neuron.channels import needs_compiling
    from bridge.neuron.plan import plan_cell
    return any(needs_compiling(m) for m in plan_cell(as_model(model)).mechanisms)


def run(case, simulator, dt=DT, record=None, **options):
    """``(result, spiking kwargs)`` of ``case`` in ``simulator``; ``record``: compartments
    and variables of the model's equations (default: every compartment)."""
    model, spiking, protocol = case(bridge)
    if simulator != "brian2" and own_mechanisms(model):
        return in_own_process(case, simulator, dt, record, options), spiking
    return _run_here(model, spiking, protocol, simulator, dt, record, options), spiking


def _run_here(model, spiking, protocol, simulator, dt, record, options):
    from bridge.model import as_model
    compartments = set(as_model(model).compartment_names)
    stimuli = stimuli_of(protocol)
    if record is None or set(record) <= compartments:
        return bridge.simulate(model, simulator=simulator, stimuli=stimuli, duration=protocol["duration"], dt=dt,
                               record=record, seed=protocol.get("seed"), **spiking, **options)
    if simulator == "brian2":
        return brian2_recording(model, spiking, protocol, dt, record, **options)
    from bridge.builder.neuronmodel import parse_spiking
    from bridge.neuron.run import run as run_neuron
    from bridge.units import SECOND, to_si
    desc = as_model(model)
    if spiking:
        desc = desc.with_spiking(parse_spiking(**spiking))
    return run_neuron(desc, stimuli, to_si(protocol["duration"], SECOND, "case", "duration"),
                      to_si(dt, SECOND, "case", "dt"), list(record), seed=protocol.get("seed"),
                      coreneuron=simulator == "coreneuron", **options)


def brian2_recording(model, spiking, protocol, dt, record, method="rk4"):
    """The case in Brian 2 (steps only) with ``record``'s compartments (mV) and variables
    (in SI; dimensionless ones as they are), as ``bridge.simulate`` would run it."""
    import brian2 as b
    import numpy as np
    import pandas as pd
    from bridge.brian2.equations import voltage_name
    from bridge.brian2.group import make_neurongroup
    from bridge.brian2.run import step_code
    from bridge.model import as_model
    assert not protocol["events"], "brian2_recording drives steps only"
    desc = as_model(model)
    b.start_scope()
    b.prefs.codegen.target = "numpy"
    dt_s = float(dt / b.second)
    made = make_neurongroup(desc, 1, method=method, dt=dt, **spiking)
    group, objects = (made[0], list(made[1:])) if isinstance(made, tuple) else (made, [])
    steps = step_code(desc, stimuli_of(protocol), dt_s)
    objects += [group.run_regularly(code, when="start", order=-1) for code in steps.values()]
    names = {r: voltage_name(desc, r) if r in desc.compartment_names else r for r in record}
    monitor = b.StateMonitor(group, sorted(set(names.values())), record=0, dt=dt)
    spikes = b.SpikeMonitor(group) if group.events.get("spike") else None
    objects += [monitor] + ([spikes] if spikes is not None else [])
    b.Network(group, *objects).run(protocol["duration"])
    data = {r: np.asarray(getattr(monitor, v)[0] / (b.mV if r in desc.compartment_names else 1))
            for r, v in names.items()}
    traces = pd.DataFrame(data, index=pd.Index(np.asarray(monitor.t / b.ms), name="time (ms)"))
    spike_ms = np.array([]) if spikes is None else np.asarray(spikes.t[spikes.i == 0] / b.ms)
    return bridge.SimulationResult(traces, spike_ms, {"simulator": "brian2", "method": method})


def in_own_process(case, simulator, dt, record, options):
    """``case`` run in a new Python process (see the module docstring)."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="bridge-harness-") as directory:
        given, out = Path(directory) / "in.pkl", Path(directory) / "out.pkl"
        given.write_bytes(pickle.dumps((case.__module__, case.__name__, simulator, dt, record, options)))
        done = subprocess.run([sys.executable, __file__, str(given), str(out)], capture_output=True, text=True,
                              cwd=Path(__file__).parent)
        if done.returncode:
            raise RuntimeError(f"{case.__name__} in {simulator} failed in its own process:\n{done.stderr[-3000:]}")
        return pickle.loads(out.read_bytes())


def spike_window(spiking, margin_ms):
    """``compare``'s spike_window for a case: the margin before, spike width plus margin after."""
    width = spiking.get("spike_width")
    return (margin_ms, (float(width / ms) if width is not None else 0.0) + margin_ms)


if __name__ == "__main__":
    import importlib
    module, name, simulator, dt, record, options = pickle.loads(Path(sys.argv[1]).read_bytes())
    model, spiking, protocol = getattr(importlib.import_module(module), name)(bridge)
    result = _run_here(model, spiking, protocol, simulator, dt, record, options)
    Path(sys.argv[2]).write_bytes(pickle.dumps(result))

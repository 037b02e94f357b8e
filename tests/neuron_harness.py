"""Runs a parity case (tests/parity_models.py) through ``bridge.simulate`` in any simulator.

A case whose NEURON cell has mechanisms of its own (the user's equations of
``add_equations`` become NMODL mechanisms) runs in NEURON and CoreNEURON in a process of
its own: NEURON cannot unload a mechanism, and CoreNEURON loads one mechanism library per
process, so the test process keeps bridge's library alone for its CoreNEURON runs.

``record`` may name variables of the model's equations (``Ca_dend``) besides compartments,
as ``bridge.simulate`` takes them.

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
    return bridge.simulate(model, simulator=simulator, stimuli=stimuli_of(protocol), duration=protocol["duration"],
                           dt=dt, record=record, seed=protocol.get("seed"), **spiking, **options)


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

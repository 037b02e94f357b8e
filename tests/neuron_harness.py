"""Runs a parity case (tests/parity_models.py) through ``bridge.simulate`` in any simulator.

Every case runs in the test process: a CoreNEURON run this process cannot host (its
mechanism library was fixed by an earlier run) goes to a fresh process through bridge
itself (bridge.neuron.separate_process).

``record`` may name variables of the model's equations (``Ca_dend``) besides compartments,
as ``bridge.simulate`` takes them.
"""

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


def run(case, simulator, dt=DT, record=None, **options):
    """``(result, spiking kwargs)`` of ``case`` in ``simulator``; ``record``: compartments
    and variables of the model's equations (default: every compartment)."""
    model, spiking, protocol = case(bridge)
    return bridge.simulate(model, simulator=simulator, stimuli=stimuli_of(protocol), duration=protocol["duration"],
                           dt=dt, record=record, seed=protocol.get("seed"), **spiking, **options), spiking


def spike_window(spiking, margin_ms):
    """``compare``'s spike_window for a case: the margin before, spike width plus margin after."""
    width = spiking.get("spike_width")
    return (margin_ms, (float(width / ms) if width is not None else 0.0) + margin_ms)


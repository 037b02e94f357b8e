"""Runs a parity case (tests/parity_models.py) through ``bridge.simulate`` in any simulator."""

import bridge
from brian2.units import ms

from brian_harness import DT

#: Cases the NEURON side cannot express yet (custom equations: the conversion issue).
NOT_IN_NMODL = {"add_equations_and_params"}
#: Cases with noise: compared by statistics, never sample by sample.
NOISY = {"noise_fixed_seed", "point_with_noise_geometry"}


def stimuli_of(protocol):
    stimuli = [bridge.Step(c, a, s, e) for c, a, s, e in protocol["steps"]]
    stimuli += [bridge.SpikeTrain(c, syn, t) for c, syn, t in protocol["events"]]
    return stimuli


def run(case, simulator, dt=DT, **options):
    """``(result, spiking kwargs)`` of ``case`` in ``simulator``."""
    model, spiking, protocol = case(bridge)
    result = bridge.simulate(model, simulator=simulator, stimuli=stimuli_of(protocol), duration=protocol["duration"],
                             dt=dt, seed=protocol.get("seed"), **spiking, **options)
    return result, spiking


def spike_window(spiking, margin_ms):
    """``compare``'s spike_window for a case: the margin before, spike width plus margin after."""
    width = spiking.get("spike_width")
    return (margin_ms, (float(width / ms) if width is not None else 0.0) + margin_ms)

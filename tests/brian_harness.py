"""One Brian 2 protocol runner for any NeuronGroup with Dendrify's variable names, so a
Dendrify-built and a bridge-built group are driven by exactly the same code."""

import brian2 as b
import numpy as np
from brian2.units import ms

DT = 0.025 * ms


def _input_name(point: bool, comp: str) -> str:
    return "I_ext" if point else f"I_ext_{comp}"


def _state_name(point: bool, comp: str, synapse: str) -> str:
    return f"s_{synapse}" if point else f"s_{synapse}_{comp}"


def run_case(lib, case):
    """Build ``case`` with ``lib`` and run its protocol with Brian 2's numpy target.

    Returns ``(traces, spikes, model)``: traces maps recorded variables to arrays in SI
    units (voltages in mV), spikes are the first cell's spike times in ms.
    """
    b.start_scope()
    b.prefs.codegen.target = "numpy"
    b.defaultclock.dt = DT  # Dendrify converts dspike durations with the default clock
    model, spiking, protocol = case(lib)
    point = type(model).__name__ == "PointNeuronModel"
    if protocol.get("seed") is not None:
        b.seed(protocol["seed"])
    made = model.make_neurongroup(1, method="euler", **spiking)
    group, ap_reset = made if isinstance(made, tuple) else (made, None)
    objects = [group] + ([ap_reset] if ap_reset is not None else [])
    by_var = {}
    for comp, amplitude, start, stop in protocol["steps"]:
        on, off = int(round(float(start / DT))), int(round(float(stop / DT)))
        by_var.setdefault(_input_name(point, comp), []).append(
            f"({float(amplitude)!r}*amp) * int(t_in_timesteps >= {on} and t_in_timesteps < {off})")
    for var, terms in by_var.items():
        objects.append(group.run_regularly(f"{var} = {' + '.join(terms)}", when="start", order=-1))
    for comp, synapse, times in protocol["events"]:
        gen = b.SpikeGeneratorGroup(1, np.zeros(len(times), dtype=int), times)
        syn = b.Synapses(gen, group, on_pre=f"{_state_name(point, comp, synapse)} += 1.0")
        syn.connect(True)
        objects += [gen, syn]
    monitor = b.StateMonitor(group, protocol["record"], record=0)
    spikes = b.SpikeMonitor(group) if spiking else None
    objects += [monitor] + ([spikes] if spikes is not None else [])
    b.Network(*objects).run(protocol["duration"])
    traces = {}
    for var in protocol["record"]:
        values = getattr(monitor, var)[0]
        traces[var] = np.asarray(values / b.mV) if var.startswith("V") else np.asarray(values)
    spike_ms = np.asarray(spikes.t / ms) if spikes is not None else np.array([])
    return traces, spike_ms, model


def simulate_case(case):
    """The same protocol through ``bridge.simulate`` (the public entry point)."""
    import bridge
    b.defaultclock.dt = DT
    model, spiking, protocol = case(bridge)
    stimuli = [bridge.Step(c, a, s, e) for c, a, s, e in protocol["steps"]]
    stimuli += [bridge.SpikeTrain(c, syn, t) for c, syn, t in protocol["events"]]
    return bridge.simulate(model, stimuli=stimuli, duration=protocol["duration"], dt=DT,
                           seed=protocol.get("seed"), **spiking), protocol


__all__ = ["DT", "run_case", "simulate_case"]

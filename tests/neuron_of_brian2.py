"""Run a model of brian2_user_models.py in NEURON through bridge's Brian 2 reader
(bridge.brian2.reader): one section whose capacitance is the mechanism's ``cap``, the
step played into the model's input parameter, Crank-Nicolson at ``dt``.

Run as a script (``python tests/neuron_of_brian2.py NAME DT_MS METHOD OUT.npz [coreneuron]
[seeds=N]``, METHOD ``own`` for the model's own; the first seed's run is saved, and the
spike count of each) so that the
generated mechanism is loaded into a fresh NEURON, not into the test process.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
sys.path.insert(0, str(Path(__file__).parent))

#: The section: 10 um x 10 um, 1 uF/cm2; the mechanism's cap is its capacitance (nF).
SECTION_UM = 10.0


def run_neuron(model, dt_ms: float = 0.025, method: str | None = None, coreneuron: bool = False,
               seeds=(1,)) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``[(t_ms, v, spike_times_ms)]`` of ``model`` in NEURON (v in mV), one run per seed
    of its noise, converted for the model's own Brian 2 method or ``method``; in
    CoreNEURON with ``coreneuron``."""
    from brian2.units import ms

    from bridge.brian2.reader import read_brian2
    from bridge.mechanisms import Source
    from bridge.neuron.nmodl_printer import nmodl_text
    from bridge.neuron.session import hoc, load_mechanisms, prepare_coreneuron

    read = read_brian2(model.equations, model.threshold, model.reset, model.refractory, model.namespace,
                       name=f"b2_{model.name}", initial=model.initial, voltage=model.voltage, input=model.input,
                       method=method or model.method, on_pre=model.on_pre)
    text = nmodl_text(read.mechanism, header=f"Brian 2 model {model.name} (tests/brian2_user_models.py)")
    mech = replace(read.mechanism, source=Source(text, path=f"b2_{model.name}.mod"))
    h = hoc()
    load_mechanisms([mech])
    sec = h.Section(name="soma")
    sec.L = sec.diam = SECTION_UM
    sec.cm = 1.0
    pp = getattr(h, mech.name)(sec(0.5))
    pp.cap = sec(0.5).area() * 1e-5          # um2 * 1 uF/cm2 -> nF
    pp.clamp_duration = dt_ms
    h.dt = dt_ms
    h.secondorder = 2
    keep = []
    if model.input is not None and model.stimulus is not None:
        s = model.stimulus
        on, off = round(float(s.start / ms) / dt_ms) * dt_ms, round(float(s.stop / ms) / dt_ms) * dt_ms
        amplitude = read.mechanism.variable(model.input).unit
        value = float(s.amplitude) / amplitude.scale
        tvec = h.Vector([0.0, on, on, off, off, float(model.duration / ms)])
        ivec = h.Vector([0.0, 0.0, value, value, 0.0, 0.0])
        ivec.play(getattr(pp, f"_ref_{model.input}"), tvec, 1)
        keep += [tvec, ivec]
    if model.events:   # presynaptic spikes: events into the point process (flag 0)
        source = h.NetCon(None, pp)
        times = [float(t / ms) for t in model.events]
        keep += [source, h.FInitializeHandler(lambda: [source.event(t) for t in times])]
    v = h.Vector().record(sec(0.5)._ref_v)
    offset = h.Vector().record(pp._ref_v_offset)
    spikes, ids = h.Vector(), h.Vector()
    pc = h.ParallelContext()
    pc.set_gid2node(0, pc.id())
    pc.cell(0, h.NetCon(pp, None))
    pc.spike_record(0, spikes, ids)
    if coreneuron:
        from neuron import coreneuron as core
        prepare_coreneuron()
        h.CVode().cache_efficient(1)
        core.enable, core.verbose = True, 0
    pc.set_maxstep(10)
    runs = []
    for seed in seeds:
        for index, stream in enumerate(read.mechanism.randoms):
            getattr(pp, stream).set_ids(seed, 0, index)
        h.finitialize(read.v_init)
        pc.psolve(float(model.duration / ms))
        t = np.arange(len(v)) * dt_ms
        runs.append((t, np.array(v) + np.array(offset), np.array(spikes.to_python(), dtype=float)))  # copies
    return runs


if __name__ == "__main__":
    from brian2_user_models import BY_NAME
    name, dt, method, out = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    options = dict(arg.split("=") for arg in sys.argv[5:] if "=" in arg)
    seeds = range(1, int(options.get("seeds", 1)) + 1)
    runs = run_neuron(BY_NAME[name], dt, None if method == "own" else method,
                      coreneuron="coreneuron" in sys.argv[5:], seeds=seeds)
    t, v, spikes = runs[0]
    np.savez(out, t=t, v=v, spikes=spikes, counts=np.array([len(r[2]) for r in runs]),
             intervals=np.concatenate([np.diff(r[2]) for r in runs]))

#!/usr/bin/env python
"""NEURON and CoreNEURON performance of bridge's generated cells.

Three measurements, each printed as a ratio measured in this one run:

1. Generated vs hand-written. A passive 4-compartment cell (soma, trunk, prox, dist) with
   an AMPA synapse (decay only) on dist and a GABA synapse (rise and decay) on prox, both
   driven by NetStims (Poisson, 20 Hz), 1 s at dt = 0.025 ms, for N = 1, 100, 1000 cells.
   "Hand-written" builds the same sections with NEURON's own ``pas``, ``ExpSyn`` and
   ``Exp2Syn``; "bridge" uses ``bridge.to_neuron`` (generated class, bridge's NMODL).
   The same NetStims drive both. Timed: ``ParallelContext.psolve`` (best of --repeats,
   alternating). Target: bridge / hand-written <= 1.1.
2. CoreNEURON vs NEURON: the built-in reduced pyramidal model (dspikes, NMDA, spiking),
   1000 cells, a current step, 1 s, through ``bridge.simulate`` (CoreNEURON's time
   includes copying the model into CoreNEURON). Goal: CoreNEURON >= 1.5x faster.
3. A second build of the same mechanisms: ``build()`` in a fresh process with a warm
   cache (target: no compilation, under 1 s), next to a cold build in an empty cache.

Not a test: timings depend on the machine. ``python benchmarks/neuron_cells.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")


def passive_model():
    import bridge
    from brian2.units import cm, mV, ms, nS, ohm, uF, um, uS
    soma = bridge.Soma("soma", length=25 * um, diameter=25 * um)
    trunk = bridge.Dendrite("trunk", length=100 * um, diameter=2.5 * um)
    prox = bridge.Dendrite("prox", length=100 * um, diameter=1 * um)
    dist = bridge.Dendrite("dist", length=100 * um, diameter=0.5 * um)
    dist.synapse("AMPA", tag="x", g=1 * nS, t_decay=2 * ms)
    prox.synapse("GABA", tag="x", g=1 * nS, t_rise=1 * ms, t_decay=8 * ms)
    return bridge.NeuronModel([(soma, trunk, 15 * nS), (trunk, prox, 6 * nS), (prox, dist, 2 * nS)],
                              cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, v_rest=-65 * mV, r_axial=150 * ohm * cm)


class HandCell:
    """The same cell written directly against NEURON (what a modeller would type)."""

    def __init__(self, h, plan):
        self.sections = {}
        for s in plan.sections:
            sec = h.Section(name=s.name, cell=self)
            sec.L, sec.diam, sec.cm, sec.Ra = s.L, s.diam, s.cm, s.Ra
            sec.insert("pas")
            sec.g_pas, sec.e_pas = s.g_pas, s.e_pas
            self.sections[s.name] = sec
        for s in plan.sections:
            if s.parent:
                self.sections[s.name].connect(self.sections[s.parent](0.5), 0)
        self.synapses = {}
        for p in plan.points:
            params = dict(p.params)
            sec = self.sections[p.section]
            if "tau_rise" in params:
                syn = h.Exp2Syn(sec(0.5))
                syn.tau1, syn.tau2, syn.e = params["tau_rise"], params["tau_decay"], params["e"]
            else:
                syn = h.ExpSyn(sec(0.5))
                syn.tau, syn.e = params["tau_decay"], params["e"]
            self.synapses[(p.section, p.label)] = (syn, params["g"])


def drive(h, cells, synapse_of, seed=1):
    """One Poisson NetStim per synapse per cell; returns the objects to keep."""
    keep = []
    for i, cell in enumerate(cells):
        for k, key in enumerate(sorted(cell.synapses)):
            stim = h.NetStim()
            stim.interval, stim.number, stim.start, stim.noise = 50, 1e9, 0, 1
            stim.noiseFromRandom123(seed, i, k)
            target, weight = synapse_of(cell, key)
            nc = h.NetCon(stim, target)
            nc.weight[0], nc.delay = weight, 0.5
            keep += [stim, nc]
    return keep


def time_run(h, pc, duration=1000.0):
    h.dt = 0.025
    h.finitialize(-65)
    started = time.perf_counter()
    pc.psolve(duration)
    return time.perf_counter() - started


def generated_vs_hand(sizes, repeats):
    import bridge
    from bridge.neuron.plan import plan_cell
    from bridge.neuron.session import hoc
    h = hoc()
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    model = passive_model()
    plan = plan_cell(model.description)
    rows = []
    for n in sizes:
        best = {"hand": float("inf"), "bridge": float("inf")}
        for _ in range(repeats):
            for kind in ("hand", "bridge"):
                if kind == "hand":
                    cells = [HandCell(h, plan) for _ in range(n)]
                    keep = drive(h, cells, lambda c, key: c.synapses[key])
                else:
                    cells = bridge.to_neuron(model, n)
                    for cell in cells:
                        cell.set_integrator(0.025, "backward_euler")
                    keep = drive(h, cells, lambda c, key: (c.synapses[key], 1.0))
                best[kind] = min(best[kind], time_run(h, pc))
                del cells, keep
        rows.append({"N": n, "hand_s": best["hand"], "bridge_s": best["bridge"],
                     "ratio": best["bridge"] / best["hand"]})
    return rows


def coreneuron_vs_neuron(n, repeats):
    import bridge
    from brian2.units import ms, nA
    from bridge.default_model import default_model
    step = [bridge.Step("soma", 0.25 * nA, 100 * ms, 900 * ms)]
    best = {}
    for _ in range(repeats):
        for sim in ("neuron", "coreneuron"):
            r = bridge.simulate(default_model(), sim, step, duration=1000 * ms, n=n, record=["soma"])
            best[sim] = min(best.get(sim, float("inf")), r.info["run_seconds"])
    return {"N": n, "neuron_s": best["neuron"], "coreneuron_s": best["coreneuron"],
            "speedup": best["neuron"] / best["coreneuron"]}


def build_costs():
    from bridge.neuron.build import build
    build()  # make sure the cache holds the current mod files
    code = ("import time; from pathlib import Path; from bridge.neuron.build import build; "
            "t = time.perf_counter(); build({root}); print(time.perf_counter() - t)")
    warm = float(subprocess.run([sys.executable, "-c", code.format(root="")], check=True, capture_output=True,
                                text=True).stdout.split()[-1])
    with tempfile.TemporaryDirectory() as tmp:
        cold = float(subprocess.run([sys.executable, "-c", code.format(root=f"root=Path({tmp!r})")], check=True,
                                    capture_output=True, text=True).stdout.split()[-1])
    return {"second_build_s": warm, "cold_build_s": cold}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 100, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    sizes = [1, 100] if args.quick else [1, 100, 1000]
    repeats = 1 if args.quick else args.repeats
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    results = {"build": build_costs()}
    b = results["build"]
    print(f"\nbuild: second use {b['second_build_s']:.3f} s (target < 1 s), cold {b['cold_build_s']:.1f} s")
    results["generated_vs_hand"] = generated_vs_hand(sizes, repeats)
    print("\nN      hand-written (s)  bridge (s)  ratio  (target <= 1.1)")
    for row in results["generated_vs_hand"]:
        print(f"{row['N']:<6} {row['hand_s']:16.3f} {row['bridge_s']:11.3f} {row['ratio']:6.3f}  "
              f"{'ok' if row['ratio'] <= 1.1 else 'ABOVE TARGET'}")
    results["coreneuron"] = coreneuron_vs_neuron(100 if args.quick else 1000, repeats)
    c = results["coreneuron"]
    print(f"\nN = {c['N']}: NEURON {c['neuron_s']:.2f} s, CoreNEURON {c['coreneuron_s']:.2f} s, "
          f"speed-up {c['speedup']:.2f}x (goal >= 1.5x)")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Models for tests/test_from_brian2.py and a script that runs one of them through
bridge.simulate in Brian 2, NEURON and CoreNEURON, in its own process (NEURON cannot
unload a mechanism, and CoreNEURON loads one library per process).

``python tests/from_brian2_runs.py NAME OUT.npz``
"""

from __future__ import annotations

import os
import sys

import numpy as np
from brian2.units import Mohm, mV, ms, nA, nS, pA, pF

os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

MODELS = {
    "lif": dict(equations="dv/dt = (EL - v + R*I)/tau : volt (unless refractory)\nI : amp",
                threshold="v > -50*mV", reset="v = -65*mV", refractory=2 * ms,
                namespace={"EL": -70 * mV, "R": 100 * Mohm, "tau": 10 * ms}, initial={"v": -70 * mV}, input="I"),
    "adex": dict(equations="dv/dt = (gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) + I - w)/C : volt\n"
                           "dw/dt = (a*(v - EL) - w)/tau_w : amp\nI : amp",
                 threshold="v > 0*mV", reset="v = Vr; w += b", method="euler",
                 namespace=dict(C=200 * pF, gL=10 * nS, EL=-70 * mV, VT=-50 * mV, DeltaT=2 * mV, tau_w=30 * ms,
                                a=2 * nS, b=0 * pA, Vr=-58 * mV), initial={"v": -70 * mV}, input="I"),
    "coba": dict(equations="dv/dt = (gL*(EL - v) + ge*(Ee - v))/C : volt (unless refractory)\n"
                           "dge/dt = -ge/tau_e : siemens",
                 threshold="v > -50*mV", reset="v = -60*mV", refractory=5 * ms, method="euler", on_pre="ge += w_e",
                 namespace=dict(C=200 * pF, gL=10 * nS, EL=-60 * mV, Ee=0 * mV, tau_e=5 * ms, w_e=6 * nS),
                 initial={"v": -60 * mV}),
    # clip, abs, int() of a boolean, a threshold on a subexpression, a multi-statement reset
    "constructs": dict(equations="dv/dt = (EL - v + R*clip(I, 0*nA, I_max) - R*g_a*a*abs(v - EK))/tau : volt "
                                 "(unless refractory)\n"
                                 "da/dt = -a/tau_a : 1\ntheta = (v - EL)/(VT - EL) : 1\nI : amp",
                       threshold="theta > 1", reset="v = Vr; a += int(a < a_max) * a_step", refractory=2 * ms,
                       method="euler",
                       namespace=dict(EL=-70 * mV, R=100 * Mohm, tau=10 * ms, I_max=0.35 * nA, g_a=1 * nS,
                                      EK=-80 * mV, tau_a=100 * ms, VT=-50 * mV, Vr=-65 * mV, a_max=3, a_step=0.5),
                       initial={"v": -70 * mV}, input="I"),
}
#: Brian 2's reference method where NEURON does not take the model's own step.
REFERENCE_METHOD = {"lif": "rk4"}


def stimuli(name):
    import bridge
    if name == "coba":
        return [bridge.SpikeTrain("soma", "input", list(np.arange(50.0, 450.0, 5.0)) * ms)]
    return [bridge.Step("soma", (0.3 if name == "lif" else 0.5) * nA, 50 * ms, 450 * ms)]


if __name__ == "__main__":
    import bridge
    from bridge.neuron.equation_run import mechanism_with_source
    from bridge.neuron.session import load_mechanisms
    # every model's mechanism at once: one compiled library serves every run of this script
    load_mechanisms([mechanism_with_source(bridge.from_brian2(**m)) for m in MODELS.values()])
    name, out = sys.argv[1], sys.argv[2]
    model = bridge.from_brian2(**MODELS[name])
    results = {}
    for simulator in ("brian2", "neuron", "coreneuron"):
        options = {"target": "numpy", "method": REFERENCE_METHOD.get(name)} if simulator == "brian2" else {}
        run = bridge.simulate(model, simulator, stimuli(name), duration=500 * ms, **options)
        results[f"{simulator}_v"] = run.traces["soma"].to_numpy()
        results[f"{simulator}_t"] = run.traces.index.to_numpy()
        results[f"{simulator}_spikes"] = np.asarray(run.spikes)
    np.savez(out, **results)

"""The network of the network tests (issue 14's acceptance network): 160 excitatory cells
with active dendrites (dendritic spikes), 40 inhibitory point neurons, recurrent
excitation onto dendrites and inhibition onto somata, Poisson input to both."""

import numpy as np
from brian2.units import Hz, mV, ms, nS, pF

import bridge
from bridge.network import FixedProbability, Network, Uniform


def excitatory():
    soma = bridge.Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS)
    dend = bridge.Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    dend.synapse("AMPA", tag="ext", g=1.5 * nS, t_decay=3 * ms)
    dend.synapse("AMPA", tag="rec", g=1.0 * nS, t_decay=3 * ms)
    dend.dspikes("Na", threshold=-40 * mV, g_rise=25 * nS, g_fall=12 * nS, duration_rise=1.0 * ms,
                 duration_fall=2.0 * ms, offset_fall=0.5 * ms, refractory=5 * ms, reversal_rise="E_Na",
                 reversal_fall="E_K")
    soma.synapse("GABA", tag="rec", g=2 * nS, t_decay=6 * ms)
    model = bridge.NeuronModel([(soma, dend, 15 * nS)], v_rest=-70 * mV)
    model.set_spiking("V_soma > -50*mV", reset="V_soma = -60*mV", refractory=2 * ms)
    model.rename("excitatory")
    return model


def inhibitory():
    model = bridge.PointNeuronModel(model="leakyIF", cm_abs=100 * pF, gl_abs=10 * nS, v_rest=-65 * mV)
    model.synapse("AMPA", tag="ext", g=1.5 * nS, t_decay=2 * ms)
    model.synapse("AMPA", tag="rec", g=1.0 * nS, t_decay=2 * ms)
    model.synapse("GABA", tag="rec", g=2 * nS, t_decay=6 * ms)
    model.set_spiking("V > -50*mV", reset="V = -60*mV", refractory=1 * ms)
    model.rename("inhibitory")
    return model


def network(n_exc=160, n_inh=40, rate=30 * Hz):
    net = Network("ei")
    exc = net.population("exc", excitatory(), n_exc)
    inh = net.population("inh", inhibitory(), n_inh)
    net.connect(exc, exc, target=("dend", "AMPA_rec"), rule=FixedProbability(0.1), weight=Uniform(0.5, 1.5),
                delay=Uniform(1 * ms, 3 * ms), seed=1)
    net.connect(exc, inh, target=("soma", "AMPA_rec"), rule=FixedProbability(0.2), weight=1.0, delay=1 * ms, seed=2)
    net.connect(inh, exc, target=("soma", "GABA_rec"), rule=FixedProbability(0.2), weight=1.0, delay=1 * ms, seed=3)
    net.connect(inh, inh, target=("soma", "GABA_rec"), rule=FixedProbability(0.2), weight=1.0, delay=1 * ms, seed=4)
    net.poisson(exc, target=("dend", "AMPA_ext"), rate=rate, n_sources=40, seed=5)
    net.poisson(inh, target=("soma", "AMPA_ext"), rate=rate, n_sources=30, seed=6)
    net.record(exc, [0, 1], ["soma", "dend"])
    return net


def matched_fraction(a, b, window_ms: float, tolerance_ms: float) -> tuple[float, int]:
    """Of the spikes of ``a`` before ``window_ms``, the fraction that ``b`` has in the same
    cell within ``tolerance_ms`` (each spike of ``b`` matched once); and their count."""
    a = a[a.time < window_ms]
    b = b[b.time < window_ms + tolerance_ms]
    matched = 0
    for (pop, cell), theirs in a.groupby(["population", "cell"]):
        ours = np.sort(b[(b.population == pop) & (b.cell == cell)].time.to_numpy())
        used = np.zeros(len(ours), bool)
        for t in np.sort(theirs.time.to_numpy()):
            close = np.nonzero((np.abs(ours - t) <= tolerance_ms) & ~used)[0]
            if len(close):
                used[close[0]] = True
                matched += 1
    return (matched / len(a) if len(a) else 1.0), len(a)

"""The built-in model: what ``bridge show``, ``bridge simulate`` and ``bridge validate`` use
when no model file is given."""

from __future__ import annotations

from .model import ReducedModel


def default_model() -> ReducedModel:
    """A 4-compartment reduced pyramidal cell (soma, trunk, proximal and distal dendrite)
    with AMPA/NMDA synapses on the dendrites, dendritic Na spikes and an
    integrate-and-fire soma with a two-step reset (a realistic spike shape)."""
    from brian2.units import cm, ms, mV, nS, ohm, uF, um, uS

    from .builder import DendriteBuilder, NeuronModelBuilder, SomaBuilder
    soma = SomaBuilder("soma", model="leakyIF", length=25 * um, diameter=25 * um)
    trunk = DendriteBuilder("trunk", length=100 * um, diameter=2.5 * um)
    prox = DendriteBuilder("prox", length=100 * um, diameter=1 * um)
    dist = DendriteBuilder("dist", length=100 * um, diameter=0.5 * um)
    for dend, g_rise, g_fall in ((trunk, 22, 14), (prox, 9, 5.7), (dist, 3.7, 2.4)):
        dend.dspikes("Na", g_rise=g_rise * nS, g_fall=g_fall * nS)
    for dend in (prox, dist):
        dend.synapse("AMPA", tag="x", g=1 * nS, t_decay=2 * ms)
        dend.synapse("NMDA", tag="x", g=1 * nS, t_rise=5 * ms, t_decay=60 * ms, scale_g=True)
    model = NeuronModelBuilder([(soma, trunk, 15 * nS), (trunk, prox, 6 * nS), (prox, dist, 2 * nS)],
                        cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, v_rest=-65 * mV, r_axial=150 * ohm * cm,
                        scale_factor=2.8, spine_factor=1.5)
    model.config_dspikes("Na", threshold=-35 * mV, duration_rise=1.2 * ms, duration_fall=2.4 * ms,
                         offset_fall=0.2 * ms, refractory=5 * ms, reversal_rise="E_Na", reversal_fall="E_K")
    model.set_spiking("V_soma > -40*mV", reset="V_soma = 40*mV", second_reset="V_soma = -55*mV",
                      spike_width=0.5 * ms, refractory=4 * ms)
    model.rename("reduced_pyramidal")
    return model.description

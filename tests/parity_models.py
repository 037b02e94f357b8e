"""The Dendrify-parity matrix: each case builds one model with a given library module
(``dendrify`` or ``bridge``) from the same code, so both sides run the same script.

A case returns ``(model, make_kwargs, protocol)``; the protocol is
``{"steps": [(compartment, amplitude, start, stop)], "events": [(compartment, CHANNEL_TAG, times)],
"record": [variables], "seed": int | None, "duration": time}``.
"""

from brian2.units import cm, ms, mV, nA, nS, ohm, pA, pF, uF, um, uS

SPIKING = dict(threshold="V_soma > -40*mV", reset="V_soma = 40*mV", second_reset="V_soma=-55*mV",
               spike_width=0.5 * ms, refractory=4 * ms)


def _pyramid(lib, dspikes=False, **model_kwargs):
    soma = lib.Soma("soma", model="leakyIF", length=25 * um, diameter=25 * um)
    trunk = lib.Dendrite("trunk", length=100 * um, diameter=2.5 * um)
    prox = lib.Dendrite("prox", length=100 * um, diameter=1 * um)
    dist = lib.Dendrite("dist", length=100 * um, diameter=0.5 * um)
    if dspikes:
        for d, gr, gf in ((trunk, 22, 14), (prox, 9, 5.7), (dist, 3.7, 2.4)):
            d.dspikes("Na", g_rise=gr * nS, g_fall=gf * nS)
    return soma, trunk, prox, dist


def _two(lib, soma_model="leakyIF"):
    soma = lib.Soma("soma", model=soma_model, length=20 * um, diameter=20 * um)
    dend = lib.Dendrite("dend", length=150 * um, diameter=1.2 * um)
    return soma, dend


def _passive_kwargs():
    return dict(cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, v_rest=-65 * mV, r_axial=150 * ohm * cm)


def _vs(*names):
    return [f"V_{n}" for n in names]


def ampa_decay_half_cylinders(lib):
    soma, dend = _two(lib)
    dend.synapse("AMPA", tag="x", g=3 * nS, t_decay=2.5 * ms)
    model = lib.NeuronModel([(soma, dend)], **_passive_kwargs())
    events = [("dend", "AMPA_x", [10, 11, 12, 30, 31, 50] * ms)]
    return model, {}, dict(steps=[], events=events, record=_vs("soma", "dend"), duration=80 * ms)


def ampa_rise_decay_scaled(lib):
    soma, dend = _two(lib)
    dend.synapse("AMPA", tag="x", g=2 * nS, t_rise=0.5 * ms, t_decay=3 * ms, scale_g=True)
    model = lib.NeuronModel([(soma, dend, 8 * nS)], **_passive_kwargs())
    return model, {}, dict(steps=[], events=[("dend", "AMPA_x", [5, 20, 21] * ms)], record=_vs("soma", "dend"),
                           duration=60 * ms)


def nmda_decay(lib):
    soma, dend = _two(lib)
    dend.synapse("NMDA", tag="x", g=4 * nS, t_decay=60 * ms)
    model = lib.NeuronModel([(soma, dend, 10 * nS)], **_passive_kwargs())
    return model, {}, dict(steps=[("dend", 80 * pA, 40 * ms, 80 * ms)], events=[("dend", "NMDA_x", [10, 50] * ms)],
                           record=_vs("soma", "dend"), duration=120 * ms)


def nmda_rise_decay_mg_block(lib):
    soma, dend = _two(lib)
    dend.synapse("NMDA", tag="x", g=5 * nS, t_rise=5 * ms, t_decay=60 * ms, scale_g=True)
    dend.synapse("AMPA", tag="x", g=2 * nS, t_decay=2 * ms)
    model = lib.NeuronModel([(soma, dend, 10 * nS)], **_passive_kwargs())
    events = [("dend", "NMDA_x", [10, 11, 12, 13] * ms), ("dend", "AMPA_x", [10, 11, 12, 13] * ms)]
    return model, SPIKING, dict(steps=[], events=events, record=_vs("soma", "dend"), duration=150 * ms)


def gaba_both_kinetics(lib):
    soma, dend = _two(lib)
    soma.synapse("GABA", tag="fast", g=3 * nS, t_decay=8 * ms)
    dend.synapse("GABA", tag="slow", g=2 * nS, t_rise=2 * ms, t_decay=40 * ms)
    model = lib.NeuronModel([(soma, dend, 10 * nS)], **_passive_kwargs())
    events = [("soma", "GABA_fast", [20, 40] * ms), ("dend", "GABA_slow", [25] * ms)]
    return model, {}, dict(steps=[("soma", 50 * pA, 10 * ms, 90 * ms)], events=events,
                           record=_vs("soma", "dend"), duration=100 * ms)


def cylinder_couplings(lib):
    soma, trunk, prox, dist = _pyramid(lib)
    model = lib.NeuronModel([(soma, trunk, "cylinder_trunk"), (trunk, prox, "half_cylinders"),
                             (prox, dist, "cylinder_dist")], **_passive_kwargs())
    return model, SPIKING, dict(steps=[("soma", 250 * pA, 10 * ms, 60 * ms), ("dist", 30 * pA, 20 * ms, 90 * ms)],
                                events=[], record=_vs("soma", "trunk", "prox", "dist"), duration=100 * ms)


def dspikes_with_bap(lib):
    soma, trunk, prox, dist = _pyramid(lib, dspikes=True)
    model = lib.NeuronModel([(soma, trunk, 15 * nS), (trunk, prox, 6 * nS), (prox, dist, 2 * nS)],
                            scale_factor=2.8, spine_factor=1.5, **_passive_kwargs())
    model.config_dspikes("Na", threshold=-35 * mV, duration_rise=1.2 * ms, duration_fall=2.4 * ms,
                         offset_fall=0.2 * ms, refractory=5 * ms, reversal_rise="E_Na", reversal_fall="E_K")
    return model, SPIKING, dict(steps=[("soma", 300 * pA, 10 * ms, 110 * ms)], events=[],
                                record=_vs("soma", "trunk", "prox", "dist"), duration=150 * ms)


def rc_absolute_dspikes(lib):
    soma = lib.Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS)
    dend = lib.Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    dend.synapse("AMPA", tag="x", g=3 * nS, t_decay=2 * ms)
    dend.synapse("NMDA", tag="x", g=3 * nS, t_decay=60 * ms)
    dend.dspikes("Na", g_rise=30 * nS, g_fall=14 * nS)
    model = lib.NeuronModel([(soma, dend, 15 * nS)], v_rest=-60 * mV)
    model.config_dspikes("Na", threshold=-35 * mV, duration_rise=1.2 * ms, duration_fall=2.4 * ms,
                         offset_fall=0.2 * ms, refractory=5 * ms, reversal_rise="E_Na", reversal_fall="E_K")
    t = [float(x) for x in range(10, 30, 2)] * ms
    return model, SPIKING, dict(steps=[], events=[("dend", "AMPA_x", t), ("dend", "NMDA_x", t)],
                                record=_vs("soma", "dend"), duration=100 * ms)


def scale_and_spine_factors(lib):
    specific = dict(cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, r_axial=150 * ohm * cm)
    soma = lib.Soma("soma", length=25 * um, diameter=25 * um, scale_factor=2.0, **specific)
    dend = lib.Dendrite("dend", length=200 * um, diameter=1 * um, scale_factor=1.5, spine_factor=2.0, **specific)
    dend.synapse("AMPA", tag="x", g=2 * nS, t_decay=2 * ms)
    # Factors set on the compartments, with no model-level passive values, so Dendrify keeps them.
    model = lib.NeuronModel([(soma, dend, "half_cylinders")], v_rest=-70 * mV)
    return model, {}, dict(steps=[("soma", 20 * pA, 10 * ms, 60 * ms)], events=[("dend", "AMPA_x", [70] * ms)],
                           record=_vs("soma", "dend"), duration=100 * ms)


def noise_fixed_seed(lib):
    soma, dend = _two(lib)
    soma.noise(mean=20 * pA, sigma=25 * pA, tau=1 * ms)
    dend.noise(mean=5 * pA, sigma=10 * pA, tau=5 * ms)
    model = lib.NeuronModel([(soma, dend, 10 * nS)], **_passive_kwargs())
    return model, {}, dict(steps=[], events=[], record=_vs("soma", "dend") + ["I_noise_soma"],
                           duration=100 * ms, seed=2024)


def add_equations_and_params(lib):
    soma, dend = _two(lib)
    dend.add_equations("dCa_dend/dt = (k_ca * (V_dend - EL_dend) / mV - Ca_dend) / tau_ca : 1")
    dend.add_params({"k_ca": 0.05, "tau_ca": 30 * ms})
    model = lib.NeuronModel([(soma, dend, 10 * nS)], **_passive_kwargs())
    model.add_equations("dtrace/dt = ((V_soma - EL_soma) / mV - trace) / tau_trace : 1")
    model.add_params({"tau_trace": 20 * ms})
    return model, {}, dict(steps=[("dend", 100 * pA, 10 * ms, 60 * ms)], events=[],
                           record=_vs("soma", "dend") + ["Ca_dend", "trace"], duration=100 * ms)


def _point(lib, kind, params, reset, **kw):
    model = lib.PointNeuronModel(model=kind, **kw)
    model.add_params(params)
    model.synapse("AMPA", tag="x", g=3 * nS, t_decay=2 * ms)
    return model, dict(threshold="V > Vth", reset=reset)


def point_leaky_if(lib):
    model = lib.PointNeuronModel(model="leakyIF", v_rest=-60 * mV, cm_abs=100 * pF, gl_abs=10 * nS)
    model.synapse("AMPA", tag="x", g=5 * nS, t_decay=2 * ms)
    model.add_params({"Vth": -50 * mV, "Vr": -65 * mV})
    t = [float(x) for x in range(10, 60, 1)] * ms
    return model, dict(threshold="V > Vth", reset="V = Vr", refractory=2 * ms), dict(
        steps=[("soma", 150 * pA, 70 * ms, 120 * ms)], events=[("soma", "AMPA_x", t)], record=["V"], duration=150 * ms)


def point_adaptive_if(lib):
    model, kw = _point(lib, "adaptiveIF", {"Vth": -50 * mV, "tauw": 210 * ms, "a": 2 * nS, "b": 60 * pA,
                                           "Vr": -60 * mV}, "V = Vr; w += b",
                       cm_abs=150 * pF, gl_abs=15 * nS, v_rest=-65 * mV)
    return model, kw, dict(steps=[("soma", 400 * pA, 10 * ms, 190 * ms)], events=[], record=["V", "w"],
                           duration=200 * ms)


def point_adex(lib):
    model, kw = _point(lib, "adex", {"Vth": -50.4 * mV, "DeltaT": 2 * mV, "tauw": 144 * ms, "a": 4 * nS,
                                     "b": 0.0805 * nA, "Vr": -70.6 * mV}, "V = Vr; w += b",
                       cm_abs=281 * pF, gl_abs=30 * nS, v_rest=-70.6 * mV)
    kw["threshold"] = "V > Vth + 5*DeltaT"
    return model, kw, dict(steps=[("soma", 1 * nA, 10 * ms, 190 * ms)], events=[], record=["V", "w"],
                           duration=200 * ms)


def point_cad_if(lib):
    model, kw = _point(lib, "cadIF", {"Vth": -50 * mV, "tauA": 210 * ms, "gAmax": 0.5 * nS, "delta_gA": 3 * nS,
                                      "Vr": -60 * mV, "EA": -65 * mV}, "V = Vr; gA += delta_gA",
                       cm_abs=150 * pF, gl_abs=15 * nS, v_rest=-65 * mV)
    return model, kw, dict(steps=[("soma", 400 * pA, 10 * ms, 190 * ms)], events=[], record=["V", "gA"],
                           duration=200 * ms)


def point_with_noise_geometry(lib):
    model = lib.PointNeuronModel(model="leakyIF", v_rest=-60 * mV, length=30 * um, diameter=30 * um,
                                 cm=1 * uF / cm ** 2, gl=50 * uS / cm ** 2)
    model.noise(mean=10 * pA, sigma=30 * pA, tau=10 * ms)
    model.add_params({"Vth": -55 * mV, "Vr": -62 * mV})
    return model, dict(threshold="V > Vth", reset="V = Vr"), dict(
        steps=[("soma", 40 * pA, 10 * ms, 90 * ms)], events=[], record=["V", "I_noise"], duration=100 * ms, seed=7)


CASES = [ampa_decay_half_cylinders, ampa_rise_decay_scaled, nmda_decay, nmda_rise_decay_mg_block, gaba_both_kinetics,
         cylinder_couplings, dspikes_with_bap, rc_absolute_dspikes, scale_and_spine_factors, noise_fixed_seed,
         add_equations_and_params, point_leaky_if, point_adaptive_if, point_adex, point_cad_if,
         point_with_noise_geometry]

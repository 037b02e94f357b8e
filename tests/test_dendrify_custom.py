"""Dendrify's routes for custom models, with Dendrify 2.2 as the oracle: ``connect()``
couples compartments at once (their own equations and parameters simulate a coupled
neuron), ``replace_equations`` edits the generated equations (checked when called), and
printing reads as Dendrify's. Each script here is written for these tests and runs
unchanged with either import."""

import brian2 as b
import dendrify
import numpy as np
import pytest
from brian2.units import Hz, ms, mV, nS, pA, pF, uF, um, uS
from brian2.units import cm as cmetre
from brian2.units import ohm

import bridge
from bridge.errors import ModelError, TopologyError

LIBS = pytest.mark.parametrize("lib", [dendrify, bridge], ids=["dendrify", "bridge"])


def _cylinders(lib):
    geometry = dict(length=50 * um, diameter=2 * um, cm=1 * uF / cmetre ** 2, gl=50 * uS / cmetre ** 2,
                    r_axial=150 * ohm * cmetre, v_rest=-70 * mV)
    return lib.Soma("soma", **geometry), lib.Dendrite("dend", **geometry)


def _own_equations_run(lib):
    """Two compartments coupled with connect() and simulated from their own equations and
    parameters (no NeuronModel), 100 pA into the dendrite: the soma's voltage."""
    b.start_scope()
    b.prefs.codegen.target = "numpy"
    soma, dend = _cylinders(lib)
    soma.connect(dend, g=15 * nS)
    group = b.NeuronGroup(1, soma.equations + "\n" + dend.equations, method="euler",
                          namespace={**soma.parameters, **dend.parameters})
    group.V_soma, group.V_dend = -70 * mV, -70 * mV
    group.I_ext_dend = 100 * pA
    monitor = b.StateMonitor(group, ["V_soma", "V_dend"], record=0)
    b.run(50 * ms)
    return np.array([monitor.V_soma[0] / mV, monitor.V_dend[0] / mV])


def test_connect_couples_the_compartments_own_equations_as_dendrify():
    """The route of Dendrify's 101 tutorial: before, bridge's compartments stayed uncoupled
    (the soma at rest) with no error."""
    theirs, ours = _own_equations_run(dendrify), _own_equations_run(bridge)
    assert ours[0, -1] - ours[0, 0] > 1.0        # the soma follows the injected dendrite
    np.testing.assert_array_equal(ours, theirs)


@LIBS
def test_connect_adds_the_coupling_to_both_compartments(lib):
    soma, dend = _cylinders(lib)
    dend.connect(soma)
    assert "I_soma_dend = (V_soma-V_dend) * g_soma_dend" in dend.equations
    assert "I_dend_soma = (V_dend-V_soma) * g_dend_soma" in soma.equations
    assert "g_soma_dend" in dend.parameters and "g_dend_soma" in soma.parameters


def test_connected_compartments_equations_read_as_dendrifys():
    """Synapses, noise, a dspike and a coupling: the same text, term order included."""
    def text(lib):
        soma, dend = lib.Soma("soma"), lib.Dendrite("dend")
        dend.synapse("AMPA", tag="A")
        dend.synapse("NMDA", tag="B", t_rise=2 * ms, t_decay=50 * ms)
        dend.noise()
        dend.dspikes("Na")
        dend.connect(soma)
        return dend.equations, soma.equations
    assert text(bridge) == text(dendrify)


def test_a_pair_connected_and_listed_is_coupled_once():
    soma, dend = _cylinders(bridge)
    soma.connect(dend, g=15 * nS)
    model = bridge.NeuronModel([(soma, dend, 15 * nS)])
    assert len(model.description.couplings) == 1
    assert model.equations.count("I_dend_soma = ") == 1
    reverse = bridge.NeuronModel([(dend, soma, 15 * nS)])     # the same pair, listed the other way
    assert len(reverse.description.couplings) == 1
    with pytest.raises(TopologyError, match="coupled twice"):   # the list asks for another g
        bridge.NeuronModel([(soma, dend)])


def test_connect_errors_come_at_connect():
    soma = bridge.Soma("soma", cm_abs=200 * pF, gl_abs=20 * nS)
    dend = bridge.Dendrite("dend", cm_abs=200 * pF, gl_abs=20 * nS)
    with pytest.raises(ModelError, match="'soma' is an RC compartment") as excinfo:
        soma.connect(dend)
    assert excinfo.value.param == "g" and "explicit conductance" in excinfo.value.expected
    soma.connect(dend, g=10 * nS)
    with pytest.raises(TopologyError, match="already connected"):
        dend.connect(soma, g=10 * nS)
    with pytest.raises(TopologyError, match="itself"):
        soma.connect(bridge.Dendrite("soma"), g=1 * nS)


# -- replace_equations ---------------------------------------------------------------------------

def _adapting_soma(lib):
    """A passive soma turned adaptive by replace_equations (an adaptation current in dV/dt)."""
    soma = lib.Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS)
    soma.replace_equations("I_soma)", "I_soma - w_soma)")
    soma.add_equations("dw_soma/dt = (a_soma * (V_soma-EL_soma) - w_soma) / tauw_soma  :amp")
    return soma


def _synaptic_dendrite(lib):
    """A dendrite whose synaptic currents enter through replace_equations."""
    dend = lib.Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    dend.replace_equations("I_dend = I_ext_dend  :amp", "I_dend = I_ext_dend + I_syn  :amp")
    dend.add_equations("I_syn = g_syn * (E_AMPA-V_dend) * s_syn  :amp\nds_syn/dt = -s_syn / tau_syn  :1")
    dend.add_params({"g_syn": 10 * nS, "tau_syn": 5 * ms})
    return dend


def _custom_run(lib):
    b.start_scope()
    b.prefs.codegen.target = "numpy"
    model = lib.NeuronModel([(_adapting_soma(lib), _synaptic_dendrite(lib), 15 * nS)], v_rest=-60 * mV)
    model.add_params({"Vth": -40 * mV, "tauw_soma": 150 * ms, "a_soma": 2 * nS, "b_soma": 50 * pA, "Vr": -50 * mV})
    neuron = model.make_neurongroup(1, method="euler", threshold="V_soma > Vth",
                                    reset="V_soma = Vr; w_soma += b_soma", refractory=4 * ms)
    poisson = b.PoissonGroup(10, rates=40 * Hz)
    synapses = b.Synapses(poisson, neuron, on_pre="s_syn += 1")
    synapses.connect(p=1)
    monitor = b.StateMonitor(neuron, ["V_soma", "V_dend", "w_soma"], record=0)
    spikes = b.SpikeMonitor(neuron)
    b.seed(7)
    b.Network(neuron, poisson, synapses, monitor, spikes).run(300 * ms)
    return model, np.array([monitor.V_soma[0], monitor.V_dend[0], monitor.w_soma[0]]), np.array(spikes.t / ms)


def test_a_model_customised_with_replace_equations_runs_as_dendrifys():
    (d_model, d_traces, d_spikes), (b_model, b_traces, b_spikes) = _custom_run(dendrify), _custom_run(bridge)
    assert b_model.equations == d_model.equations
    assert len(b_spikes) >= 2 and b_traces[2].max() > 50e-12     # it spikes and adapts
    np.testing.assert_array_equal(b_traces, d_traces)
    np.testing.assert_array_equal(b_spikes, d_spikes)


def test_replacements_are_data_that_survive_saving(tmp_path):
    model = bridge.NeuronModel([(_adapting_soma(bridge), _synaptic_dendrite(bridge), 15 * nS)])
    model.replace_equations("I_soma_dend = (V_soma-V_dend) * g_soma_dend  :amp",
                            "I_soma_dend = (V_soma-V_dend) * g_soma_dend * 0.5  :amp")
    soma = model.description.compartment("soma")
    assert [(r.old, r.new) for r in soma.replacements] == [("I_soma)", "I_soma - w_soma)")]
    assert len(model.description.replacements) == 1
    path = bridge.save(model, tmp_path / "custom.json")
    loaded = bridge.load(path)
    assert loaded == model.description
    from bridge.brian2.equations import model_equations
    assert model_equations(loaded) == model.equations
    assert "g_soma_dend * 0.5" in model.equations


def test_a_replacement_that_finds_no_text_names_compartment_and_text():
    soma = bridge.Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS)
    with pytest.raises(ModelError) as excinfo:
        soma.replace_equations("I_soma )", "I_soma - w)")
    assert excinfo.value.obj == "compartment soma" and excinfo.value.param == "eqs_old"
    assert "'I_soma )'" in str(excinfo.value)


def test_a_replacement_of_coupling_text_points_to_the_model():
    soma, dend = _cylinders(bridge)
    soma.connect(dend, g=15 * nS)
    with pytest.raises(ModelError, match="call replace_equations on the NeuronModel"):
        soma.replace_equations("(V_dend-V_soma) * g_dend_soma", "0*amp")


def test_a_replacement_that_does_not_parse_is_refused():
    """Dendrify's custom-model tutorial shows a model's text replaced by 'Hello World!';
    bridge refuses it when it is asked (listed in docs/dendrify.md)."""
    model = bridge.NeuronModel([_cylinders(bridge)])
    before = model.equations
    with pytest.raises(ModelError, match="cannot parse") as excinfo:
        model.replace_equations("I_soma_dend = (V_dend-V_soma) * g_dend_soma  :amp".replace(
            "I_soma_dend", "I_dend_soma"), "\n\nHello World!")
    assert excinfo.value.obj == "model model" and "Hello World!" in str(excinfo.value)
    assert model.equations == before


def test_a_replacement_with_inconsistent_units_is_refused():
    soma = bridge.Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS, v_rest=-70 * mV)
    with pytest.raises(ModelError, match="inconsistent units") as excinfo:
        soma.replace_equations("+ I_soma)", "+ I_soma + EL_soma)")
    assert excinfo.value.obj == "compartment soma" and "V_soma" in str(excinfo.value)
    soma.replace_equations("+ I_soma)", "+ I_soma + gL_soma * EL_soma)")   # the same with a current is fine


def test_a_later_declaration_that_changes_the_replaced_text_is_an_error_when_printed():
    dend = bridge.Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    dend.replace_equations("I_dend = I_ext_dend  :amp", "I_dend = I_ext_dend + I_syn  :amp")
    dend.synapse("AMPA", tag="x", g=1 * nS, t_decay=2 * ms)
    with pytest.raises(ModelError, match="no longer occurs"):
        dend.equations


# -- print -----------------------------------------------------------------------------------

def test_printing_reads_as_dendrifys():
    """print(compartment) and print(model): Dendrify's sections and values (the OBJECT line
    names each library's own class)."""
    def printed(lib):
        b.defaultclock.dt = 0.025 * ms
        soma, dend = _cylinders(lib)
        dend.synapse("AMPA", tag="x", g=1 * nS, t_decay=2 * ms)
        dend.dspikes("Na", threshold=-35 * mV, g_rise=30 * nS, g_fall=15 * nS, duration_rise=1.2 * ms,
                     duration_fall=2.4 * ms, offset_fall=0.2 * ms, refractory=5 * ms, reversal_rise="E_Na",
                     reversal_fall="E_K")
        model = lib.NeuronModel([(soma, dend, 10 * nS)])
        point = lib.PointNeuronModel(model="adaptiveIF", v_rest=-60 * mV, cm_abs=200 * pF, gl_abs=10 * nS)
        point.noise(mean=10 * pA, sigma=100 * pA, tau=20 * ms)
        point.synapse("AMPA", tag="x", g=2 * nS, t_decay=2 * ms)
        return [_comparable(str(x)) for x in (soma, dend, model, point)]
    assert printed(bridge) == printed(dendrify)


def _comparable(text: str) -> str:
    """Without the OBJECT line (each library's own class)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("<class "))


@LIBS
def test_somata_and_dendrites_are_compartments(lib):
    """Dendrify's 101 tutorial prints isinstance(soma, Compartment): True for both."""
    assert isinstance(lib.Soma("soma"), lib.Compartment) and isinstance(lib.Dendrite("dend"), lib.Compartment)


# -- replace_equations in NEURON and CoreNEURON ----------------------------------------------

def _adapting_model():
    """The custom-models tutorial's kind: an adaptation current added to a passive soma's
    dV/dt through replace_equations (its reset is the voltage's: a jump of w would be a
    reset of a user variable, which NEURON's spike mechanism does not take)."""
    model = bridge.NeuronModel([(_adapting_soma(bridge), bridge.Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS),
                                 15 * nS)], v_rest=-60 * mV)
    model.add_params({"tauw_soma": 100 * ms, "a_soma": 4 * nS})
    model.set_spiking("V_soma > -40*mV", reset="V_soma = -50*mV", refractory=4 * ms)
    return model, [bridge.Step("dend", 600 * pA, 20 * ms, 220 * ms)]


def test_replace_equations_runs_in_neuron_with_the_parity_bounds():
    from tolerances import NEURON_SPIKE_SHIFT, NEURON_SUBTHRESHOLD_MAX, NEURON_SUBTHRESHOLD_RMS, SPIKE_WINDOW_MS
    model, stimuli = _adapting_model()
    brian = bridge.simulate(model, "brian2", stimuli, duration=250 * ms, method="rk4")
    neuron = bridge.simulate(model, "neuron", stimuli, duration=250 * ms)
    cmp = bridge.compare(brian, neuron, spike_window=(SPIKE_WINDOW_MS.value, SPIKE_WINDOW_MS.value))
    assert cmp.spike_counts[0] == cmp.spike_counts[1] >= 20, cmp
    intervals = np.diff(brian.spikes)
    assert intervals[-1] > intervals[0] * 1.1          # it adapts: the edit reaches the membrane
    assert cmp.spike_shift <= NEURON_SPIKE_SHIFT.value, cmp
    assert cmp.worst_rms <= NEURON_SUBTHRESHOLD_RMS.value, cmp
    assert cmp.worst_max <= NEURON_SUBTHRESHOLD_MAX.value, cmp


def test_a_variable_replace_equations_adds_is_recorded_in_both_simulators():
    """w_soma (the adaptation current the replacement adds), recorded in nA by each."""
    model, stimuli = _adapting_model()
    brian = bridge.simulate(model, "brian2", stimuli, duration=60 * ms, method="rk4", record=["soma", "w_soma"])
    neuron = bridge.simulate(model, "neuron", stimuli, duration=60 * ms, record=["soma", "w_soma"])
    assert brian.traces["w_soma"].max() > 0.01                  # nA: it grows while the cell is driven
    assert np.abs(brian.traces["w_soma"].values - neuron.traces["w_soma"].values).max() < 1e-3
    with pytest.raises(bridge.UnknownNameError, match="w_dend"):
        bridge.simulate(model, "neuron", stimuli, duration=1 * ms, record=["w_dend"])


def test_replace_equations_runs_in_coreneuron_as_in_neuron():
    from tolerances import CORENEURON_PARITY
    model, stimuli = _adapting_model()
    neuron = bridge.simulate(model, "neuron", stimuli, duration=100 * ms)
    core = bridge.simulate(model, "coreneuron", stimuli, duration=100 * ms)
    assert core.info["simulator"] == "coreneuron" and len(core.spikes) >= 5
    assert bridge.compare(neuron, core).worst_max <= CORENEURON_PARITY.value


def test_an_edit_neuron_cannot_take_is_refused_with_its_reason():
    """Editing a synapse's own equation: Brian 2 runs it; NEURON computes synapses in
    bridge's mechanisms, so it refuses, naming the variable."""
    dend = bridge.Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    dend.synapse("AMPA", tag="x", g=1 * nS, t_decay=2 * ms)
    dend.replace_equations("-s_AMPA_x_dend / t_AMPA_decay_x_dend", "-2 * s_AMPA_x_dend / t_AMPA_decay_x_dend")
    model = bridge.NeuronModel([(bridge.Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS), dend, 10 * nS)],
                               v_rest=-60 * mV)
    bridge.simulate(model, "brian2", duration=1 * ms)
    with pytest.raises(bridge.UnsupportedFeatureError, match="changes s_AMPA_x_dend") as excinfo:
        bridge.simulate(model, "neuron", duration=1 * ms)
    assert excinfo.value.obj == "compartment dend" and "Brian 2" in excinfo.value.hint

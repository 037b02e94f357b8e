"""Bad names, stimuli and topologies are refused with a specific bridge error naming the
object, the parameter and what was expected."""

from __future__ import annotations

import pytest
from brian2.units import Hz, mV, ms, nS, ohm, pA, pF, uF, um, uS
from brian2.units import cm as cmetre

import bridge
from bad_input_helpers import check, dendrite, soma, two_compartments
from bridge.errors import (DuplicateNameError, ModelError, TopologyError, UnitError, UnknownNameError)
from bridge.model import CompartmentSpec
from bridge.model import Coupling, ReducedModel


# -- names --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["1soma", "so ma", "so-ma", "so__ma", "soma_", "_soma", "", "class", 5, None])
def test_invalid_compartment_name(name):
    # Names become parts of generated variables (V_<name>, I_AMPA_x_<name>) and NMODL
    # suffixes: identifiers with single underscores, no Python keyword.
    with pytest.raises(ModelError) as excinfo:
        bridge.Dendrite(name)
    check(excinfo, ModelError, "compartment", "name", "letters, digits and single underscores")
    assert repr(name) in str(excinfo.value)


def test_duplicate_compartment_names_in_neuron_model():
    first, second = soma("soma"), soma("soma")  # two different objects, one name
    with pytest.raises(DuplicateNameError) as excinfo:
        bridge.NeuronModel([(first, dendrite()), (second, dendrite("dend2"))])
    check(excinfo, DuplicateNameError, "NeuronModel", "connections", "unique names")
    assert "'soma'" in str(excinfo.value)


def test_duplicate_compartment_names_in_reduced_model():
    with pytest.raises(DuplicateNameError) as excinfo:
        ReducedModel((CompartmentSpec("a"), CompartmentSpec("a")))
    check(excinfo, DuplicateNameError, "model model", "compartments", "unique names")


@pytest.mark.parametrize("builder", ["soma", "point"])
def test_duplicate_synapse(builder):
    target = bridge.Soma("soma") if builder == "soma" else bridge.PointNeuronModel()
    target.synapse("AMPA", "x", g=1 * nS, t_decay=2 * ms)
    with pytest.raises(DuplicateNameError) as excinfo:
        # Same channel and tag, even with other kinetics: stimuli could not tell them apart.
        target.synapse("AMPA", "x", g=2 * nS, t_rise=1 * ms, t_decay=5 * ms)
    check(excinfo, DuplicateNameError, "compartment soma", "synapses", "unique names")
    assert "'AMPA_x'" in str(excinfo.value)
    # The failed call left the first synapse as it was.
    (syn,) = target.description.compartments[0].synapses if builder == "point" else target.description.synapses
    assert (syn.g, syn.t_rise) == (pytest.approx(1e-9), None)


def test_duplicate_dspike():
    d = bridge.Dendrite("dend")
    d.dspikes("Na", g_rise=10 * nS)
    with pytest.raises(DuplicateNameError) as excinfo:
        d.dspikes("Na", g_rise=20 * nS)
    check(excinfo, DuplicateNameError, "compartment dend", "dspikes", "unique names")
    assert "'Na'" in str(excinfo.value)
    assert len(d.description.dspikes) == 1


def test_duplicate_noise():
    s = bridge.Soma("soma")
    s.noise()
    with pytest.raises(DuplicateNameError) as excinfo:
        s.noise(sigma=5 * pA)
    check(excinfo, DuplicateNameError, "compartment soma", "noise", "one noise current per compartment")


@pytest.mark.parametrize("builder", ["soma", "point"])
def test_unknown_synapse_channel(builder):
    target = bridge.Soma("soma") if builder == "soma" else bridge.PointNeuronModel()
    with pytest.raises(UnknownNameError) as excinfo:
        target.synapse("KAINATE", "x", g=1 * nS, t_decay=2 * ms)
    check(excinfo, UnknownNameError, "compartment soma", "channel", "AMPA, NMDA, GABA")
    assert "'KAINATE'" in str(excinfo.value)


@pytest.mark.parametrize("cls, name", [(bridge.Soma, "soma"), (bridge.Dendrite, "dend"), (bridge.Compartment, "c")])
def test_unknown_membrane_model_for_compartment(cls, name):
    with pytest.raises(UnknownNameError) as excinfo:
        cls(name, model="izhikevich")
    check(excinfo, UnknownNameError, f"compartment {name}", "model", "leakyIF")
    assert "'izhikevich'" in str(excinfo.value)


def test_unknown_membrane_model_for_point_neuron():
    with pytest.raises(UnknownNameError) as excinfo:
        bridge.PointNeuronModel(model="izhikevich")
    check(excinfo, UnknownNameError, "point neuron", "model", "adaptiveIF")


# -- stimuli and simulate's arguments (refused before any simulation runs) ------------------

@pytest.mark.parametrize("make", [
    lambda: bridge.SpikeTrain("dend", "AMPA_nope", [0.5] * ms),
    lambda: bridge.Poisson("dend", "AMPA_nope", 100 * Hz, seed=1),
    lambda: bridge.SpikeTrain("dend", "NMDA_x", [0.5] * ms),  # the tag exists, on another channel
])
def test_stimulus_unknown_synapse(make):
    stim = make()
    with pytest.raises(UnknownNameError) as excinfo:
        bridge.simulate(two_compartments(), duration=1 * ms, stimuli=[stim])
    check(excinfo, UnknownNameError, "compartment dend", "synapses", "AMPA_x")
    assert repr(stim.synapse) in str(excinfo.value)


@pytest.mark.parametrize("make", [
    lambda: bridge.Step("nope", 10 * pA, 0 * ms, 1 * ms),
    lambda: bridge.SpikeTrain("nope", "AMPA_x", [0.5] * ms),
])
def test_stimulus_unknown_compartment(make):
    with pytest.raises(UnknownNameError) as excinfo:
        bridge.simulate(two_compartments(), duration=1 * ms, stimuli=[make()])
    check(excinfo, UnknownNameError, "model model", "compartments", "soma, dend")
    assert "'nope'" in str(excinfo.value)


def test_record_unknown_compartment():
    with pytest.raises(UnknownNameError) as excinfo:
        bridge.simulate(two_compartments(), duration=1 * ms, record=["soma", "nope"])
    check(excinfo, UnknownNameError, "model model", "record", "soma, dend")
    assert "'nope'" in str(excinfo.value)


@pytest.mark.parametrize("keyword", ["thresold", "foo"])
def test_unknown_simulate_keyword(keyword):
    with pytest.raises(ModelError) as excinfo:
        bridge.simulate(two_compartments(), duration=1 * ms, **{keyword: "V_soma > -40*mV"})
    check(excinfo, ModelError, "simulate", keyword, "threshold, reset, second_reset, spike_width or refractory")


# -- topology -------------------------------------------------------------------------

def test_connect_compartment_to_itself():
    s = soma()
    with pytest.raises(TopologyError) as excinfo:
        bridge.NeuronModel([(s, s)])
    check(excinfo, TopologyError, "coupling soma-soma", "b", "two different compartments")


def test_coupling_to_itself_in_reduced_model():
    with pytest.raises(TopologyError) as excinfo:
        Coupling("a", "a", "explicit", g=1e-9)
    check(excinfo, TopologyError, "coupling a-a", "b", "two different compartments")


@pytest.mark.parametrize("second", [
    lambda s, d: (d, s, 10 * nS),               # the reverse direction is the same pair
    lambda s, d: (s, d, "cylinder_dend"),
    lambda s, d: (s, d),
])
def test_compartments_coupled_twice(second):
    s, d = soma(), dendrite()
    with pytest.raises(TopologyError) as excinfo:
        bridge.NeuronModel([(s, d), second(s, d)])
    check(excinfo, TopologyError, "model model", "couplings", "one coupling per pair")
    assert "dend and soma" in str(excinfo.value)


def test_unconnected_compartment_in_reduced_model():
    comps = (CompartmentSpec("a"), CompartmentSpec("b"), CompartmentSpec("c"))
    with pytest.raises(TopologyError) as excinfo:
        ReducedModel(comps, (Coupling("a", "b", "explicit", g=1e-9),))
    check(excinfo, TopologyError, "model model", "couplings", "one connected graph")
    assert "'c'" in str(excinfo.value)


def test_disjoint_connection_pairs():
    # soma-dend and a-b are each connected, but the two pairs are not connected to each other.
    with pytest.raises(TopologyError) as excinfo:
        bridge.NeuronModel([(soma(), dendrite()), (dendrite("a"), dendrite("b"))])
    check(excinfo, TopologyError, "model model", "couplings", "one connected graph")
    assert "'a'" in str(excinfo.value)


@pytest.mark.parametrize("coupling, expected", [
    ("cylinder_other", "'cylinder_soma' or 'cylinder_dend'"),  # names neither end
    ("full", "'half_cylinders'"),
    ("cylinder", "'cylinder_soma' or 'cylinder_dend'"),
])
def test_unknown_coupling_string(coupling, expected):
    with pytest.raises(UnknownNameError) as excinfo:
        bridge.NeuronModel([(soma(), dendrite(), coupling)])
    check(excinfo, UnknownNameError, "coupling soma-dend", "g", expected)


@pytest.mark.parametrize("coupling", ["half_cylinders", "cylinder_rc"])
def test_geometric_coupling_with_rc_compartment(coupling):
    # An RC compartment (cm_abs/gl_abs) has no length, diameter or r_axial, hence no axial resistance.
    rc = bridge.Soma("rc", cm_abs=100 * pF, gl_abs=10 * nS, v_rest=-70 * mV)
    with pytest.raises(ModelError) as excinfo:
        bridge.NeuronModel([(rc, dendrite(), coupling)])
    check(excinfo, ModelError, "coupling rc-dend", "g", "an explicit conductance")
    assert "'rc' is an RC compartment" in str(excinfo.value)
    bridge.NeuronModel([(rc, dendrite(), 10 * nS)])  # an explicit conductance is fine


@pytest.mark.parametrize("kwargs, param", [
    (dict(cm_abs=100 * pF, length=20 * um), "length"),
    (dict(gl_abs=10 * nS, diameter=20 * um), "diameter"),
    (dict(cm_abs=100 * pF, gl_abs=10 * nS, gl=50 * uS / cmetre ** 2), "gl"),
    (dict(cm_abs=100 * pF, r_axial=150 * ohm * cmetre), "r_axial"),
])
def test_absolute_values_mixed_with_geometry(kwargs, param):
    with pytest.raises(ModelError) as excinfo:
        bridge.Soma("soma", **kwargs)
    check(excinfo, ModelError, "compartment soma", param, "either cylinder geometry or absolute values")


def test_model_level_passive_values_with_rc_compartment():
    # NeuronModel(cm=...) applies to every compartment, and an RC compartment cannot take it.
    rc = bridge.Compartment("rc", cm_abs=100 * pF, gl_abs=10 * nS)
    with pytest.raises(ModelError) as excinfo:
        bridge.NeuronModel([(rc, dendrite(), 10 * nS)], cm=1 * uF / cmetre ** 2)
    check(excinfo, ModelError, "NeuronModel", "cm", "no cm, gl, r_axial")


# -- spiking -----------------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["spike_width", "second_reset"])
@pytest.mark.parametrize("builder", ["neuron", "point"])
def test_second_reset_and_spike_width_in_make_neurongroup(builder, missing):
    """Dendrify's second reset is applied spike_width after the spike: one without the other is meaningless."""
    if builder == "neuron":
        model, v = bridge.NeuronModel([(soma(), dendrite())]), "V_soma"
    else:
        model, v = bridge.PointNeuronModel(cm_abs=100 * pF, gl_abs=10 * nS, v_rest=-70 * mV), "V"
    given = {"second_reset": f"{v} = -55*mV", "spike_width": 1 * ms}
    given.pop(missing)
    with pytest.raises(ModelError) as excinfo:
        model.make_neurongroup(1, threshold=f"{v} > -40*mV", reset=f"{v} = 40*mV", **given)
    check(excinfo, ModelError, "model model", missing, "both or neither")


@pytest.mark.parametrize("missing", ["spike_width", "second_reset"])
def test_second_reset_and_spike_width_in_set_spiking(missing):
    model = bridge.NeuronModel([(soma(), dendrite())])
    given = {"second_reset": "V_soma = -55*mV", "spike_width": 1 * ms}
    given.pop(missing)
    with pytest.raises(ModelError) as excinfo:
        model.set_spiking("V_soma > -40*mV", reset="V_soma = 40*mV", **given)
    check(excinfo, ModelError, "spiking", missing, "both or neither")
    assert model.description.spiking is None


def test_second_reset_without_spike_width_in_simulate():
    with pytest.raises(ModelError) as excinfo:
        bridge.simulate(two_compartments(), duration=1 * ms, threshold="V_soma > -40*mV",
                        reset="V_soma = 40*mV", second_reset="V_soma = -55*mV")
    check(excinfo, ModelError, "model model", "spike_width", "both or neither")


def test_unitless_spike_width():
    with pytest.raises(UnitError) as excinfo:
        bridge.NeuronModel([(soma(), dendrite())]).set_spiking(
            "V_soma > -40*mV", reset="V_soma = 40*mV", second_reset="V_soma = -55*mV", spike_width=1)
    check(excinfo, UnitError, "spiking", "spike_width", "second")


# -- global defaults ---------------------------------------------------------------------

@pytest.mark.parametrize("name, value, expected", [
    ("E_Ca", 2023, "volt"),                 # a reversal potential without its unit
    ("E_K", -89 * nS, "volt"),
    ("Mg_con", 1 * mV, "a plain number"),
])
def test_update_default_params_wrong_unit(name, value, expected):
    before = bridge.default_params()
    with pytest.raises(UnitError) as excinfo:
        bridge.update_default_params({"E_Na": 50 * mV, name: value})
    check(excinfo, UnitError, "default parameters", name, expected)
    # Nothing was changed, not even the valid entry given with the bad one.
    assert bridge.default_params() == before


def test_a_bridge_error_pickles_with_its_fields():
    """An error raised in a separate process (a CoreNEURON run this process cannot host)
    comes back as the same type with the same object, parameter, expectation and hint."""
    import pickle
    error = UnknownNameError("no compartment 'apic'", obj="model m", param="compartment", expected="soma, dend",
                             hint="check the name")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is UnknownNameError and str(back) == str(error)
    assert (back.obj, back.param, back.expected, back.hint) == ("model m", "compartment", "soma, dend", "check the name")

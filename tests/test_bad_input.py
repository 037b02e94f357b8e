"""Bad input is refused with a specific bridge error that names the object, the parameter
and what was expected (in its attributes and in ``str(error)``)."""

from __future__ import annotations

import pytest
from brian2.units import Hz, metre, mV, ms, nA, nS, ohm, pA, pF, uF, um, uS
from brian2.units import cm as cmetre

import bridge
from bridge.builder import reset_default_params
from bridge.errors import (DuplicateNameError, ModelError, TopologyError, UnitError, UnknownNameError)
from bridge.model import Compartment as CompartmentSpec
from bridge.model import Coupling, ReducedModel


@pytest.fixture(autouse=True)
def _fresh_defaults():
    """Global defaults are process-wide state: every test starts and ends with the built-in ones."""
    reset_default_params()
    yield
    reset_default_params()


def check(excinfo, cls, obj: str, param: str, expected: str) -> None:
    """The error is exactly ``cls``, its attributes are ``obj``/``param`` and contain
    ``expected``, and its message names all three."""
    err = excinfo.value
    assert type(err) is cls, f"{type(err).__name__} raised, {cls.__name__} expected: {err}"
    assert err.obj == obj
    assert err.param == param
    assert err.expected is not None and expected in err.expected
    text = str(err)
    for part in (obj, param, expected):
        assert part in text, f"{part!r} not in {text!r}"


PASSIVE = dict(cm=1 * uF / cmetre ** 2, gl=50 * uS / cmetre ** 2, r_axial=150 * ohm * cmetre, v_rest=-70 * mV)


def soma(name="soma", **kwargs):
    return bridge.Soma(name, length=20 * um, diameter=20 * um, **{**PASSIVE, **kwargs})


def dendrite(name="dend", **kwargs):
    return bridge.Dendrite(name, length=100 * um, diameter=1 * um, **{**PASSIVE, **kwargs})


def two_compartments():
    """A valid soma-dendrite model whose dendrite has an AMPA_x synapse."""
    s, d = soma(), dendrite()
    d.synapse("AMPA", "x", g=1 * nS, t_decay=2 * ms)
    return bridge.NeuronModel([(s, d)])


# -- units of compartment parameters ---------------------------------------------------

UNIT_NAMES = {"length": "metre", "diameter": "metre", "cm": "farad/metre**2", "gl": "siemens/metre**2",
              "cm_abs": "farad", "gl_abs": "siemens", "r_axial": "ohm*metre", "v_rest": "volt"}


@pytest.mark.parametrize("cls", [bridge.Soma, bridge.Dendrite, bridge.Compartment])
@pytest.mark.parametrize("param", list(UNIT_NAMES))
def test_unitless_compartment_parameter(cls, param):
    with pytest.raises(UnitError) as excinfo:
        cls("soma", **{param: 5})
    check(excinfo, UnitError, "compartment soma", param, UNIT_NAMES[param])
    assert "no unit" in str(excinfo.value)


@pytest.mark.parametrize("param", ["length", "diameter", "cm", "gl", "cm_abs", "gl_abs", "v_rest"])
def test_unitless_point_neuron_parameter(param):
    # A point neuron's single compartment is called "soma".
    with pytest.raises(UnitError) as excinfo:
        bridge.PointNeuronModel(**{param: 5})
    check(excinfo, UnitError, "compartment soma", param, UNIT_NAMES[param])


@pytest.mark.parametrize("param", ["cm", "gl", "r_axial", "v_rest"])
def test_unitless_neuron_model_parameter(param):
    with pytest.raises(UnitError) as excinfo:
        bridge.NeuronModel([(soma(), dendrite())], **{param: 5})
    check(excinfo, UnitError, "NeuronModel", param, UNIT_NAMES[param])


@pytest.mark.parametrize("param, value, expected", [
    ("length", 5 * mV, "metre"),
    ("diameter", 5 * ms, "metre"),
    ("cm", 1 * uF, "farad/metre**2"),           # absolute where specific is needed
    ("gl", 1 * nS, "siemens/metre**2"),
    ("cm_abs", 1 * uF / cmetre ** 2, "farad"),  # specific where absolute is needed
    ("gl_abs", 1 * uS / cmetre ** 2, "siemens"),
    ("r_axial", 150 * ohm, "ohm*metre"),        # a resistance, not a resistivity
    ("v_rest", 1 * nA, "volt"),
    ("length", "10*um", "metre"),               # code text is not a quantity
    ("scale_factor", 2 * mV, "a plain number"),
    ("spine_factor", 1 * um, "a plain number"),
])
def test_wrong_dimension_compartment_parameter(param, value, expected):
    with pytest.raises(UnitError) as excinfo:
        bridge.Soma("soma", **{param: value})
    check(excinfo, UnitError, "compartment soma", param, expected)


@pytest.mark.parametrize("param, value, expected", [
    ("length", 5 * metre ** 1.5, "metre"),
    ("scale_factor", 4 * metre ** 0.5, "a plain number"),
])
def test_fractional_dimension_is_not_truncated(param, value, expected):
    """metre**1.5 is not a length and metre**0.5 is not a plain number: the exponents must
    not be rounded to integers before comparing dimensions."""
    with pytest.raises(UnitError) as excinfo:
        bridge.Soma("soma", **{param: value})
    check(excinfo, UnitError, "compartment soma", param, expected)


def test_unitless_explicit_coupling_conductance():
    with pytest.raises(UnitError) as excinfo:
        bridge.NeuronModel([(soma(), dendrite(), 10)])
    check(excinfo, UnitError, "coupling soma-dend", "g", "siemens")


# -- synapses, noise, dendritic spikes ------------------------------------------------------

@pytest.mark.parametrize("kwargs, param, expected", [
    (dict(g=1, t_decay=2 * ms), "g", "siemens"),
    (dict(g=1 * mV, t_decay=2 * ms), "g", "siemens"),
    (dict(g=1 * nS, t_decay=2), "t_decay", "second"),
    (dict(g=1 * nS, t_rise=0.5, t_decay=2 * ms), "t_rise", "second"),
    (dict(g=1 * nS, t_decay=2 * Hz), "t_decay", "second"),
])
def test_synapse_bad_unit(kwargs, param, expected):
    s = bridge.Soma("soma")
    with pytest.raises(UnitError) as excinfo:
        s.synapse("AMPA", "x", **kwargs)
    check(excinfo, UnitError, "compartment soma synapse AMPA_x", param, expected)
    assert s.description.synapses == ()


def test_synapse_rise_without_decay():
    with pytest.raises(ModelError) as excinfo:
        bridge.Soma("soma").synapse("NMDA", "x", g=1 * nS, t_rise=2 * ms)
    check(excinfo, ModelError, "compartment soma synapse NMDA_x", "t_decay", "a decay time constant")


@pytest.mark.parametrize("kwargs, param, expected", [
    (dict(sigma=1 * mV), "sigma", "ampere"),
    (dict(sigma=1), "sigma", "ampere"),
    (dict(mean=5 * nS), "mean", "ampere"),
    (dict(tau=5), "tau", "second"),
])
def test_noise_bad_unit(kwargs, param, expected):
    s = bridge.Soma("soma")
    with pytest.raises(UnitError) as excinfo:
        s.noise(**kwargs)
    check(excinfo, UnitError, "compartment soma noise", param, expected)
    assert s.description.noise is None


@pytest.mark.parametrize("kwargs, param, expected", [
    (dict(threshold=5 * ms), "threshold", "volt"),
    (dict(g_rise=5 * mV), "g_rise", "siemens"),
    (dict(g_fall=5), "g_fall", "siemens"),
    (dict(duration_rise=1 * mV), "duration_rise", "second"),
    (dict(offset_fall=1 * nS), "offset_fall", "second"),
    (dict(refractory=5), "refractory", "second"),
    (dict(reversal_rise=5), "reversal_rise", "volt"),
    (dict(reversal_fall=5 * pA), "reversal_fall", "volt"),
])
def test_dspikes_bad_unit(kwargs, param, expected):
    d = bridge.Dendrite("dend")
    with pytest.raises(UnitError) as excinfo:
        d.dspikes("Na", **kwargs)
    check(excinfo, UnitError, "compartment dend dspike Na", param, expected)
    assert d.description.dspikes == ()


@pytest.mark.parametrize("kwargs, param, expected", [
    (dict(threshold=5 * ms), "threshold", "volt"),
    (dict(duration_fall=2), "duration_fall", "second"),
    (dict(reversal_fall=-80), "reversal_fall", "volt"),
])
def test_config_dspikes_bad_unit(kwargs, param, expected):
    d = dendrite()
    d.dspikes("Na", g_rise=10 * nS, g_fall=5 * nS)
    model = bridge.NeuronModel([(soma(), d)])
    with pytest.raises(UnitError) as excinfo:
        model.config_dspikes("Na", **kwargs)
    check(excinfo, UnitError, "dspike Na", param, expected)


@pytest.mark.parametrize("param", ["reversal_rise", "reversal_fall"])
def test_dspikes_unknown_reversal_name(param):
    with pytest.raises(UnknownNameError) as excinfo:
        bridge.Dendrite("dend").dspikes("Na", **{param: "E_Nope"})
    check(excinfo, UnknownNameError, "compartment dend dspike Na", param, "E_Na")
    assert "'E_Nope'" in str(excinfo.value)


@pytest.mark.parametrize("param", ["reversal_rise", "reversal_fall"])
def test_config_dspikes_unknown_reversal_name(param):
    d = dendrite()
    d.dspikes("Na", g_rise=10 * nS, g_fall=5 * nS)
    model = bridge.NeuronModel([(soma(), d)])
    with pytest.raises(UnknownNameError) as excinfo:
        model.config_dspikes("Na", **{param: "E_Nope"})
    check(excinfo, UnknownNameError, "dspike Na", param, "E_K")


def test_config_dspikes_name_no_dendrite_has():
    d = dendrite()
    d.dspikes("Na", g_rise=10 * nS, g_fall=5 * nS)
    model = bridge.NeuronModel([(soma(), d)])
    with pytest.raises(UnknownNameError) as excinfo:
        model.config_dspikes("Ca", threshold=-30 * mV)
    check(excinfo, UnknownNameError, "model model", "event_name", "Na")
    assert "'Ca'" in str(excinfo.value)


def test_config_dspikes_without_any_dspike():
    model = bridge.NeuronModel([(soma(), dendrite())])
    with pytest.raises(UnknownNameError) as excinfo:
        model.config_dspikes("Na", threshold=-30 * mV)
    check(excinfo, UnknownNameError, "model model", "event_name", "dspikes()")


# -- non-positive and negative values ----------------------------------------------------------

POSITIVE_UNITS = {"length": um, "diameter": um, "cm": uF / cmetre ** 2, "r_axial": ohm * cmetre, "cm_abs": pF}


@pytest.mark.parametrize("value", [-1, 0])
@pytest.mark.parametrize("param", list(POSITIVE_UNITS))
def test_non_positive_geometry(param, value):
    with pytest.raises(ModelError) as excinfo:
        bridge.Soma("soma", **{param: value * POSITIVE_UNITS[param]})
    check(excinfo, ModelError, "compartment soma", param, "a value > 0")
    assert "not positive" in str(excinfo.value)


@pytest.mark.parametrize("param, unit", [("gl", uS / cmetre ** 2), ("gl_abs", nS)])
def test_negative_leak(param, unit):
    with pytest.raises(ModelError) as excinfo:
        bridge.Soma("soma", **{param: -1 * unit})
    check(excinfo, ModelError, "compartment soma", param, "a value >= 0")


@pytest.mark.parametrize("param, unit", [("gl", uS / cmetre ** 2), ("gl_abs", nS)])
def test_zero_leak_is_allowed(param, unit):
    # gl/gl_abs are non-negative (a leak-free compartment is valid), unlike cm or geometry.
    assert getattr(bridge.Soma("soma", **{param: 0 * unit}).description, param) == 0.0


@pytest.mark.parametrize("kwargs, param", [
    (dict(g=-1 * nS, t_decay=2 * ms), "g"),
    (dict(g=1 * nS, t_decay=0 * ms), "t_decay"),
    (dict(g=1 * nS, t_rise=-1 * ms, t_decay=2 * ms), "t_rise"),
])
def test_synapse_bad_value(kwargs, param):
    with pytest.raises(ModelError) as excinfo:
        bridge.Soma("soma").synapse("AMPA", "x", **kwargs)
    check(excinfo, ModelError, "synapse AMPA_x", param, "a value >")


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
    check(excinfo, UnknownNameError, "model model", "compartments", "soma, dend")
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

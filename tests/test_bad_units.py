"""Bad units and values are refused with a specific bridge error naming the object, the
parameter and the expected unit or range. (Global defaults are reset around each test by conftest.)"""

from __future__ import annotations

import pytest
from brian2.units import Hz, metre, mV, ms, nA, nS, ohm, pA, pF, uF, um, uS
from brian2.units import cm as cmetre

import bridge
from bad_input_helpers import check, dendrite, soma
from bridge.errors import ModelError, UnitError, UnknownNameError


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

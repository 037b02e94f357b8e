"""Passive properties from the model's conductance matrix (no simulator) agree with the
Brian 2 simulation, and the matrix itself matches hand-computed cable algebra."""

import math

import numpy as np
import pytest
from brian2.units import cm, mV, nS, ohm, pF, uF, um, uS

import bridge
from bridge.model.electrical import conductance_matrix, input_resistance, time_constants, transfer_ratio
from bridge.assess import check_passive
from tolerances import ANALYTIC_PASSIVE


def two_rc():
    soma = bridge.Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS)
    dend = bridge.Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    return bridge.NeuronModel([(soma, dend, 15 * nS)], v_rest=-60 * mV).description


def pyramid(coupling="half_cylinders"):
    soma = bridge.Soma("soma", length=25 * um, diameter=25 * um)
    trunk = bridge.Dendrite("trunk", length=100 * um, diameter=2.5 * um)
    prox = bridge.Dendrite("prox", length=120 * um, diameter=1 * um)
    obl = bridge.Dendrite("oblique", length=80 * um, diameter=0.7 * um)
    dist = bridge.Dendrite("dist", length=150 * um, diameter=0.5 * um)
    return bridge.NeuronModel([(soma, trunk, coupling), (trunk, prox), (trunk, obl), (prox, dist)],
                              cm=1 * uF / cm ** 2, gl=50 * uS / cm ** 2, r_axial=100 * ohm * cm, v_rest=-70 * mV,
                              scale_factor=1.5, spine_factor=1.3).description


def test_two_compartment_matrix_by_hand():
    model = two_rc()
    g = conductance_matrix(model)
    assert np.allclose(g, [[25e-9, -15e-9], [-15e-9, 17.5e-9]], rtol=1e-12, atol=0)
    # R_in at the soma: inverse of the (soma, soma) Schur complement.
    expected = 1 / (10e-9 + 1 / (1 / 15e-9 + 1 / 2.5e-9))
    assert input_resistance(model) == pytest.approx(expected, rel=1e-12)


def test_steady_state_attenuation_by_hand():
    # Current into the soma: the dendrite divides V_soma by (g_c + gL_dend) / g_c.
    assert transfer_ratio(two_rc(), "soma", "dend") == pytest.approx(15 / 17.5, rel=1e-12)


def test_half_cylinder_coupling_by_hand():
    model = pyramid()
    r = lambda L, d: 4 * 1.0 * L / (math.pi * d ** 2)  # noqa: E731  (Ra = 100 ohm*cm = 1 ohm*m)
    expected = 1 / ((r(25e-6, 25e-6) + r(100e-6, 2.5e-6)) / 2)
    assert model.coupling_conductance(model.couplings[0]) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("build", [two_rc, pyramid, lambda: pyramid("cylinder_trunk")],
                         ids=["two_rc", "branched_half_cylinders", "branched_cylinder"])
def test_input_resistance_and_time_constant_match_brian2(build):
    model = build()
    checks = check_passive(model)
    for check in checks:
        assert check.relative_error <= ANALYTIC_PASSIVE.value, check
    # The protocol is not vacuous: the slowest tau is the physical one, tens of ms.
    assert 5e-3 < time_constants(model)[0] < 100e-3


def test_check_fails_for_a_wrong_expectation():
    """The comparison can fail: a model whose leak differs from the simulated one must not pass."""
    model = two_rc()
    check = check_passive(model)[0]
    wrong = type(check)(check.name, check.unit, check.expected * 1.01, check.measured, check.tolerance)
    assert not wrong.passed

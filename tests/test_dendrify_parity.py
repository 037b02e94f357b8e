"""bridge vs Dendrify 2.2 (the oracle): the same builder script, run with either import,
gives equivalent equations, equal parameters and identical Brian 2 traces."""

import functools

import dendrify
import numpy as np
import pytest
from brian2 import Equations
from brian2.parsing.sympytools import str_to_sympy
from brian2.units.fundamentalunits import Quantity

import bridge
from brian_harness import run_case, simulate_case
from parity_models import CASES
from tolerances import DENDRIFY_PARITY, PARAMETER_REL, SPIKE_TIME_PARITY

ids = [c.__name__ for c in CASES]


@functools.lru_cache(maxsize=None)
def _dendrify_run(case):
    return run_case(dendrify, case)


def _structure(eq_text: str) -> dict:
    """Equations as comparable data: variable -> (type, dimension, flags, sympy expression)."""
    eqs = Equations(eq_text)
    return {name: (e.type, e.dim, tuple(e.flags), None if e.expr is None else str_to_sympy(e.expr.code))
            for name, e in eqs.items()}


def test_matrix_covers_every_feature():
    """The matrix must keep covering what the issue lists; a removed case fails here."""
    assert len(CASES) >= 12
    models = {c.__name__: c(bridge)[0].description for c in CASES}
    comps = [comp for m in models.values() for comp in m.compartments]
    kinds = {(s.channel, s.rise_decay) for c in comps for s in c.synapses}
    assert kinds >= {(ch, rd) for ch in ("AMPA", "NMDA", "GABA") for rd in (False, True)}
    assert {cp.kind for m in models.values() for cp in m.couplings} == {"explicit", "half_cylinders", "cylinder"}
    assert {c.membrane for m in models.values() if m.point for c in m.compartments} >= {
        "leakyIF", "adaptiveIF", "adex", "cadIF"}
    assert any(c.noise for c in comps) and any(c.dspikes for c in comps)
    assert any(c.dimensionless for c in comps) and any(c.spine_factor != 1 for c in comps)
    assert any(c.scale_factor != 1 for c in comps)
    assert any(s.scale_g for c in comps for s in c.synapses)
    assert any(c.equations for c in comps) and any(m.equations for m in models.values())


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_equations_are_equivalent(case):
    d_model, b_model = case(dendrify)[0], case(bridge)[0]
    assert _structure(b_model.equations) == _structure(d_model.equations)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_parameters_are_equal(case):
    import brian2
    brian2.defaultclock.dt = 0.025 * brian2.ms
    d_params, b_params = case(dendrify)[0].parameters, case(bridge)[0].parameters
    assert set(b_params) == set(d_params)
    for name, expected in d_params.items():
        got = b_params[name]
        if isinstance(expected, Quantity):
            assert got.dim == expected.dim, name
        assert float(got) == pytest.approx(float(expected), rel=PARAMETER_REL.value, abs=0), name


@pytest.mark.parametrize("case", [c for c in CASES if "dspike" in c.__name__], ids=lambda c: c.__name__)
def test_events_are_equal(case):
    d_model, b_model = case(dendrify)[0], case(bridge)[0]
    assert b_model.events == d_model.events
    assert b_model.event_actions == d_model.event_actions


def _assert_same(d_traces, d_spikes, b_traces, b_spikes):
    for var, expected in d_traces.items():
        deviation = np.max(np.abs(b_traces[var] - expected))
        scale = 1.0 if var.startswith("V") else max(1.0, float(np.max(np.abs(expected))))
        assert deviation / scale <= DENDRIFY_PARITY.value, f"{var}: max deviation {deviation:g}"
    assert len(b_spikes) == len(d_spikes)
    assert np.max(np.abs(b_spikes - d_spikes), initial=0) <= SPIKE_TIME_PARITY.value


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_traces_identical_to_dendrify(case):
    d_traces, d_spikes, _ = _dendrify_run(case)
    b_traces, b_spikes, _ = run_case(bridge, case)
    # The protocol must do something, or equality would prove nothing.
    assert any(np.ptp(v) > 1.0 for k, v in d_traces.items() if k.startswith("V"))
    _assert_same(d_traces, d_spikes, b_traces, b_spikes)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_simulate_matches_dendrify(case):
    """bridge.simulate (stimuli, spiking keywords, seeds) reproduces the Dendrify run."""
    d_traces, d_spikes, _ = _dendrify_run(case)
    result, protocol = simulate_case(case)
    point = result.traces.columns.tolist() == ["soma"] and "V" in d_traces
    for var in (v for v in d_traces if v.startswith("V")):
        column = "soma" if point else var[2:]
        deviation = np.max(np.abs(result.traces[column].to_numpy() - d_traces[var]))
        assert deviation <= DENDRIFY_PARITY.value, f"{var}: max deviation {deviation:g} mV"
    assert len(result.spikes) == len(d_spikes)
    assert np.max(np.abs(result.spikes - d_spikes), initial=0) <= SPIKE_TIME_PARITY.value

"""bridge.EPSCurrent, Hay et al.'s EPSP-shaped current: its shape (a difference of
exponentials whose peak is the amplitude), its refusals, and the same current in Brian 2,
NEURON and CoreNEURON, point by point."""

from pathlib import Path

import numpy as np
import pytest
from brian2.units import ms, nA, pA

import bridge

CASE = Path(__file__).parent.parent / "validation" / "c91662"


def test_the_current_peaks_at_its_amplitude_and_is_zero_outside():
    epsc = bridge.EPSCurrent("soma", 0.5 * nA, 10 * ms, 0.5 * ms, 5 * ms)
    t = np.arange(0, 0.2, 1e-6)
    i = epsc.current(t)
    assert i.max() == pytest.approx(0.5e-9, rel=1e-6)
    # the peak of exp(-t/5) - exp(-t/0.5) is at 5 * 0.5 * ln(10) / 4.5 ms after the start
    assert t[np.argmax(i)] - 0.010 == pytest.approx(2.5 * np.log(10) / 4.5 * 1e-3, abs=2e-6)
    assert not i[t < 0.010].any() and not i[t >= epsc.stop].any()
    assert epsc.stop == pytest.approx(0.010 + 20 * 0.005)
    # Hay's epsp.mod: imax * ((1 - e^(-t/tau0)) - (1 - e^(-t/tau1))) / the same at its peak
    since = t[t >= 0.010][:5000] - 0.010
    shape = (1 - np.exp(-since / 0.5e-3)) - (1 - np.exp(-since / 5e-3))
    np.testing.assert_allclose(epsc.current(since + 0.010), 0.5e-9 * shape / shape.max(), rtol=1e-5, atol=1e-20)


@pytest.mark.parametrize("args, match", [((0.5, 10 * ms, 0.5 * ms, 5 * ms), "amplitude"),
                                         ((0.5 * nA, 10 * ms, 5 * ms, 0.5 * ms), "tau_rise"),
                                         ((0.5 * nA, -1 * ms, 0.5 * ms, 5 * ms), "start")],
                         ids=["unitless", "rise after decay", "negative start"])
def test_bad_currents_are_refused(args, match):
    with pytest.raises((bridge.UnitError, bridge.ModelError), match=match):
        bridge.EPSCurrent("soma", *args)


@pytest.mark.parametrize("start", [5 * ms, 400 * ms], ids=["early", "late"])
def test_the_same_current_in_brian2_neuron_and_coreneuron(start):
    """Each simulator holds each step at the current's midpoint value: Brian 2 (rk4) and
    NEURON agree to far better than the response, CoreNEURON equals NEURON. Late: long
    before its start the current's exponentials would overflow if they were evaluated."""
    model = bridge.load(CASE / "reduced.json")
    epsc = bridge.EPSCurrent(model.compartment_names[-1], 50 * pA, start, 0.5 * ms, 5 * ms)
    runs = {sim: bridge.simulate(model, sim, [epsc], duration=start + 55 * ms, **opt)
            for sim, opt in (("brian2", {"method": "rk4"}), ("neuron", {}), ("coreneuron", {}))}
    assert not runs["brian2"].traces.isna().any().any()
    swing = float(np.ptp(runs["neuron"].traces["soma"]))
    assert swing > 0.1                                           # the soma sees it (mV)
    assert bridge.compare(runs["brian2"], runs["neuron"]).worst_max < 1e-3 * swing
    assert bridge.compare(runs["coreneuron"], runs["neuron"]).worst_max <= 1e-6


def test_an_equation_model_refuses_it():
    from from_brian2_runs import MODELS
    model = bridge.from_brian2(**MODELS["lif"])
    with pytest.raises(bridge.UnsupportedFeatureError, match="EPSCurrent"):
        bridge.simulate(model, "neuron", [bridge.EPSCurrent("soma", 1 * nA, 0 * ms, 1 * ms, 2 * ms)], duration=5 * ms)

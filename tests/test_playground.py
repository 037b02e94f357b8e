"""The dSpike Playground: Dendrify's API and defaults, headless runs equal to Dendrify 2.2's
Playground (the oracle, driven through its own run steps), and the interactive window
built and updated under a non-interactive backend."""

import logging

import matplotlib
import numpy as np
import pytest
from brian2.units import mV, ms, nS, pA, pF

import bridge
from tolerances import DENDRIFY_PARITY

matplotlib.use("Agg")


def _dendrify_run():
    """Dendrify's Playground at its defaults: its own setup, build and run steps."""
    import brian2 as b
    import dendrify
    b.prefs.codegen.target = "numpy"
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    playground = dendrify.Playground()
    playground._setup_plot()
    playground._create_brian_objects()
    playground.net.store()
    playground._run_simulation()
    monitor = playground.M
    return np.asarray(monitor.V[0] / mV), np.asarray(monitor.g_pos[0] / nS), np.asarray(monitor.g_neg[0] / nS)


def test_defaults_and_traces_are_dendrifys():
    import dendrify
    for name in ("SIMULATION_PARAMS", "MODEL_PARAMS", "SLIDER_PARAMS"):
        assert getattr(bridge.Playground, name) == getattr(dendrify.Playground, name)
    v, g_rise, g_fall = _dendrify_run()
    ours = bridge.Playground().simulate()
    assert np.abs(np.asarray(ours["V"] / mV) - v).max() <= DENDRIFY_PARITY.value
    np.testing.assert_array_equal(np.asarray(ours["g_rise"] / nS), g_rise)
    np.testing.assert_array_equal(np.asarray(ours["g_fall"] / nS), g_fall)
    assert g_rise.max() == pytest.approx(20)            # the dspike fired at the default current


def test_values_change_the_run():
    playground = bridge.Playground()
    quiet = playground.simulate(current=20 * pA)            # below threshold: no dspike
    assert np.asarray(quiet["g_rise"]).max() == 0
    loud = playground.simulate(current=180 * pA, g_rise=30 * nS, refractory=10 * ms)
    assert np.asarray(loud["g_rise"] / nS).max() == pytest.approx(30)
    playground.set_model_params({"C": 40 * pF})
    faster = playground.simulate(current=180 * pA)
    assert np.argmax(np.asarray(faster["g_rise"]) > 0) < np.argmax(np.asarray(loud["g_rise"]) > 0)


def test_figure_and_window_without_a_display():
    import matplotlib.pyplot as plt
    playground = bridge.Playground()
    figure = playground.figure(current=150 * pA)
    assert len(figure.axes) == 2 and len(figure.axes[1].lines) == 2
    playground.run()                                        # Agg: builds the window, shows nothing
    sliders, _ = playground._widgets
    before = playground._lines[0].get_ydata().copy()
    sliders["current"].set_val(60)                          # an update re-runs and redraws
    assert not np.array_equal(before, playground._lines[0].get_ydata())
    plt.close("all")


def test_bad_parameters_are_refused():
    playground = bridge.Playground()
    with pytest.raises(bridge.UnitError) as excinfo:
        playground.set_model_params({"C": 80 * nS})
    assert excinfo.value.param == "C" and "farad" in excinfo.value.expected
    with pytest.raises(bridge.UnknownNameError, match="'Cm'"):
        playground.set_model_params({"Cm": 80 * pF})
    with pytest.raises(bridge.UnknownNameError, match="'voltage'"):
        playground.simulate(voltage=3 * mV)
    with pytest.raises(bridge.UnitError):
        playground.simulate(current=3 * mV)

"""Brian 2 models as users write them (tests/brian2_user_models.py) read into NMODL point
processes by bridge.brian2.reader (issue "A Brian 2 model as users write it runs in NEURON
and CoreNEURON"; this covers the reader and NEURON runs of its output, not yet
bridge.simulate): coherent units, readable files that NEURON's parser reads and nrnivmodl
compiles, traces and spikes against Brian 2, and refusals that name the construct."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from brian2.units import ms

from brian2_user_models import BY_NAME, run_brian2
from bridge.brian2.coherent_units import coherent_unit
from bridge.brian2.reader import read_brian2
from bridge.errors import ModelError, UnsupportedFeatureError
from bridge.neuron.nmodl_printer import nmodl_text
from bridge.units import AMPERE, FARAD, SECOND, SIEMENS, VOLT, Dimension
from tolerances import CHANNEL_SPIKE_SHIFT, CHANNEL_SUBTHRESHOLD_RMS, CORENEURON_PARITY, FOLLOWED_METHOD_MAX

RUNNER = Path(__file__).parent / "neuron_of_brian2.py"
CONVERTED = ("lif", "eif", "adex_tonic", "adex_bursting", "izhikevich_rs", "izhikevich_ch", "hh",
             "lif_conductance_synapse")


def _read(name):
    m = BY_NAME[name]
    return read_brian2(m.equations, m.threshold, m.reset, m.refractory, m.namespace, name=f"b2_{name}",
                       initial=m.initial, voltage=m.voltage, input=m.input)


#: Methods NEURON reproduces step for step (the mechanism takes Brian 2's own step); for
#: others NEURON integrates with Crank-Nicolson and Brian 2's reference is rk4.
FOLLOWED = ("euler", "exponential_euler")


def _neuron(name, dt_ms, tmp_path, method="own", coreneuron=False):
    """NEURON's run of a model (``t``, ``v``, ``spikes``), and CoreNEURON's (``v_core``,
    ``spikes_core``) with ``coreneuron``, in a fresh process."""
    out = tmp_path / f"{name}.npz"
    subprocess.run([sys.executable, str(RUNNER), name, str(dt_ms), method, str(out)]
                   + (["coreneuron"] if coreneuron else []), check=True, capture_output=True)
    return np.load(out)


def _upward_crossings(t, v, level=1.0):
    """Times (interpolated) at which ``v`` rises through ``level``: FitzHugh-Nagumo's spikes."""
    k = np.nonzero((v[:-1] < level) & (v[1:] >= level))[0]
    return t[k] + (t[k + 1] - t[k]) * (level - v[k]) / (v[k + 1] - v[k])


@pytest.mark.parametrize("dim, text, scale", [
    (VOLT, "mV", 1e-3), (SECOND, "ms", 1e-3), (AMPERE, "nA", 1e-9), (SIEMENS, "uS", 1e-6), (FARAD, "nF", 1e-9),
    (Dimension((2, 1, -3, -2, 0, 0, 0)), "megohm", 1e6), (Dimension((0, 0, -1, 0, 0, 0, 0)), "/ms", 1e3),
    (Dimension((-4, -2, 6, 3, 0, 0, 0)), "nA/mV2", 1e-3), (Dimension(), "1", 1.0)])
def test_coherent_units_are_neurons_own(dim, text, scale):
    unit = coherent_unit(dim, "test")
    assert unit.text == text and unit.scale == scale


@pytest.mark.parametrize("name", CONVERTED)
def test_the_nmodl_is_readable_and_parses(name):
    """The user's names, units in the declarations, a header naming the source; NEURON's
    own parser reads it back."""
    from neuron.nmodl import NmodlDriver
    model = BY_NAME[name]
    text = nmodl_text(_read(name).mechanism, header=f"Brian 2 model {name}")
    assert f"POINT_PROCESS b2_{name}" in text and f"Brian 2 model {name}" in text
    for param in model.namespace:
        if param in model.equations or param in (model.threshold or "") + (model.reset or ""):
            assert f"    {param} = " in text, param
    assert "(mV)" in text and "(ms)" in text
    assert "1.0000000000000002" not in text and " * 1.0" not in text   # units folded away exactly
    blocks = {type(b).__name__ for b in NmodlDriver().parse_string(text).blocks}
    assert {"NeuronBlock", "ParamBlock", "BreakpointBlock", "NetReceiveBlock"} <= blocks


#: Models run in the default suite; the other three (same constructs, other parameters) run
#: with the slow tests, to keep the default suite within its time with cold caches.
SLOW_RUNS = ("eif", "adex_bursting", "izhikevich_ch")


@pytest.mark.parametrize("name", [n if n not in SLOW_RUNS else pytest.param(n, marks=pytest.mark.slow) for n in
                                  ("lif", "eif", "adex_tonic", "adex_bursting", "izhikevich_rs", "izhikevich_ch",
                                   "hh", "lif_conductance_synapse", "fitzhugh_nagumo")])
def test_neuron_and_coreneuron_fire_the_spikes_of_brian2(name, tmp_path):
    """Each model in NEURON and CoreNEURON (dt 0.025 ms, 1 s) against Brian 2 with the
    model's own method where NEURON follows it (euler, exponential_euler: then the traces
    agree to rounding) or rk4 (the accurate solution; LIF's "exact"): equal spike counts,
    spike times within 0.2 ms (NEURON stamps the end of the crossing step, Brian 2 its
    start: one step), equal subthreshold voltage before the first spike. The conductance
    synapse is driven by 180 presynaptic spikes: Brian 2's on_pre runs as the point
    process's NET_RECEIVE. FitzHugh-Nagumo has no threshold: its upward crossings of 1
    are its spikes, and its whole trace is compared (dimensionless, NEURON carries it as
    mV). CoreNEURON gives NEURON's spikes and traces: the step played into the input, the
    events of on_pre, WATCH and the reset."""
    model = BY_NAME[name]
    r = _neuron(name, 0.025, tmp_path, coreneuron=True)
    t, v, spikes = r["t"], r["v"], r["spikes"]
    tb, vb, sb = run_brian2(model, method=model.method if model.method in FOLLOWED else "rk4")
    if model.threshold is None:
        spikes, sb = _upward_crossings(t, v), _upward_crossings(tb, vb)
        first = len(vb)
    else:
        first = int((sb[0] - 1.0) / 0.025)
    assert len(sb) >= 5 and len(spikes) == len(sb), (spikes, sb)
    assert np.abs(spikes - sb).max() <= CHANNEL_SPIKE_SHIFT.value
    assert np.sqrt(np.mean((v[:first] - vb[:first]) ** 2)) <= CHANNEL_SUBTHRESHOLD_RMS.value
    np.testing.assert_array_equal(r["spikes_core"], r["spikes"])
    # AdEx with Euler overshoots to 1e7-1e10 mV before its reset; the reset's charge then
    # carries that value's rounding (measured 6e-6 mV): its traces are compared up to the
    # first spike
    end = int(r["spikes"][0] / 0.025) if name.startswith("adex") else len(v)
    assert np.abs(r["v_core"] - v)[:end].max() <= CORENEURON_PARITY.value


def test_followed_methods_agree_to_rounding(tmp_path):
    """Where NEURON takes Brian 2's own step, the whole trace agrees to rounding, spikes
    outside the reset steps (AdEx, Euler: 2e-13 mV RMS before the first spike)."""
    r = _neuron("adex_tonic", 0.025, tmp_path)
    v = r["v"]
    _, vb, sb = run_brian2(BY_NAME["adex_tonic"])
    # compare where neither is inside a reset (NEURON's reset takes two steps by charge)
    inside = np.zeros(len(v), dtype=bool)
    for s in sb:
        k = int(round(s / 0.025))
        inside[max(0, k - 1):k + 4] = True
    assert np.abs(v - vb)[~inside].max() <= FOLLOWED_METHOD_MAX.value


@pytest.mark.slow   # NEURON at dt 0.005 ms and Brian 2 at 0.001 ms, 1 s each
def test_hh_with_crank_nicolson_converges_to_rk4(tmp_path):
    """NEURON's own integration (Crank-Nicolson, the route for methods it does not follow)
    on HH: at dt 0.005 ms all 21 spikes are within 0.2 ms of Brian 2's rk4 at 0.001 ms.
    (At 0.025 ms Crank-Nicolson drifts 0.26 ms over the 21 spikes, 0.013 ms per spike.)"""
    spikes = _neuron("hh", 0.005, tmp_path, method="rk4")["spikes"]
    _, _, reference = run_brian2(BY_NAME["hh"], dt=0.001 * ms, method="rk4", target="cython")
    assert len(reference) >= 20 and len(spikes) == len(reference)
    assert np.abs(spikes - reference).max() <= CHANNEL_SPIKE_SHIFT.value


#: Noise statistics over 20 seeds: the issue's 3% on the rate; the coefficient of variation
#: of the interspike intervals within 15% (about 1360 intervals each: its standard error is
#: about 2%; noise missing or off by sqrt(2) moves it by 40% or more).
NOISE_RATE_REL, NOISE_CV_REL = 0.03, 0.15


@pytest.mark.slow   # 20 seeds in each simulator
def test_white_noise_has_brian2s_statistics(tmp_path):
    """LIF with xi noise (Euler-Maruyama): over 20 seeds NEURON's rate and interval
    variability equal Brian 2's (the two draw different numbers, so statistics, not
    traces)."""
    out = tmp_path / "noise.npz"
    subprocess.run([sys.executable, str(RUNNER), "lif_noise", "0.025", "own", str(out), "seeds=20"], check=True,
                   capture_output=True)
    neuron = np.load(out)
    brian = [run_brian2(BY_NAME["lif_noise"], seed=seed, target="cython")[2] for seed in range(1, 21)]
    rate_n, rate_b = neuron["counts"].mean(), np.mean([len(s) for s in brian])
    assert abs(rate_n / rate_b - 1) <= NOISE_RATE_REL
    intervals_b = np.concatenate([np.diff(s) for s in brian])
    cv_n = neuron["intervals"].std() / neuron["intervals"].mean()
    cv_b = intervals_b.std() / intervals_b.mean()
    assert cv_b > 0.05, "the noise must matter, or the check shows nothing"
    assert abs(cv_n / cv_b - 1) <= NOISE_CV_REL


def test_white_noise_is_the_same_for_a_seed_in_neuron_and_coreneuron(tmp_path):
    r = _neuron("lif_noise", 0.025, tmp_path, coreneuron=True)
    assert len(r["spikes"]) >= 5
    np.testing.assert_array_equal(r["spikes"], r["spikes_core"])
    assert np.abs(r["v"] - r["v_core"]).max() <= CORENEURON_PARITY.value


def test_white_noise_needs_eulers_method():
    m = BY_NAME["lif_noise"]
    with pytest.raises(UnsupportedFeatureError, match="xi") as info:
        read_brian2(m.equations, m.threshold, m.reset, m.refractory, m.namespace, name="bad", method="heun")
    assert info.value.param == "method"


def test_a_model_without_a_membrane_potential_needs_voltage():
    m = BY_NAME["fitzhugh_nagumo"]
    with pytest.raises(ModelError, match="dimension of volt") as info:
        read_brian2(m.equations, namespace=m.namespace, name="bad")
    assert info.value.param == "voltage" and "FitzHugh" in info.value.hint


def test_missing_constant_and_wrong_unit_name_the_parameter():
    m = BY_NAME["lif"]
    namespace = {k: v for k, v in m.namespace.items() if k != "tau"}
    with pytest.raises(ModelError) as info:
        read_brian2(m.equations, m.threshold, m.reset, m.refractory, namespace, name="bad")
    assert "tau" in str(info.value)
    with pytest.raises(ModelError, match="units"):
        read_brian2(m.equations, m.threshold, m.reset, m.refractory, dict(m.namespace, tau=8 * ms * ms), name="bad")


@pytest.mark.parametrize("flag", ["linked", "summed"])
def test_linked_and_summed_variables_are_refused(flag):
    with pytest.raises((UnsupportedFeatureError, ModelError), match=flag):
        read_brian2(f"dv/dt = -v/(10*ms) : volt\nx : 1 ({flag})", name="bad")

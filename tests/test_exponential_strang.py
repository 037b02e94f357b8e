"""bridge's ``exponential_strang`` keeps a rate's own arithmetic: a removable singularity
(Hay's NaTa_t h gate at v = -66 mV) stays as accurate as in the NMODL file, where Brian 2's
expanded linearisation returns rounding noise (a gate of 1318 was measured on Hay's soma,
with an artificial spike)."""

from pathlib import Path

import numpy as np
from brian2 import Network, NeuronGroup, ms, mV, prefs

import bridge.brian2.methods  # noqa: F401 (registers the method)
from bridge.brian2.functions import FUNCTIONS

#: NaTa_t's h rates as in Hay et al.'s NaTa_t.mod (mV, ms, with its guard of the exact
#: singular point), the membrane held at V.
EQUATIONS = """
v_mV = ifelse(V/mV == -66.0, V/mV + 0.0001, V/mV) : 1
hAlpha = -0.015 * (v_mV - -66.0) / (1.0 - exp((v_mV - -66.0) / 6.0)) : 1
hBeta = -0.015 * (-v_mV - 66.0) / (1.0 - exp((-v_mV - 66.0) / 6.0)) : 1
hTau = 1.0 / (hAlpha + hBeta) : 1
hInf = hAlpha / (hAlpha + hBeta) : 1
dh/dt = ((hInf - h) / hTau) / ms : 1
dV/dt = 0*mV/ms : volt
"""
#: Agreement with the file's own arithmetic evaluated in numpy (two half steps at a held
#: voltage compose to one exact step): rounding only. (Near the singularity that arithmetic
#: is itself off from the mathematical limit by up to 5e-5 in h here, as in NEURON; the
#: expanded form was off by 0.5 and returned inf.)
H_TOLERANCE = 1e-12


def _file_h(v_mv: np.ndarray, h0: float, dt_ms: float) -> np.ndarray:
    """One step of the h gate, computed with NaTa_t.mod's own expressions."""
    a = -0.015 * (v_mv - -66.0) / (1.0 - np.exp((v_mv - -66.0) / 6.0))
    b = -0.015 * (-v_mv - 66.0) / (1.0 - np.exp((-v_mv - 66.0) / 6.0))
    inf, tau = a / (a + b), 1.0 / (a + b)
    return inf + (h0 - inf) * np.exp(-dt_ms / tau)


def test_a_gate_at_a_removable_singularity_keeps_its_precision():
    prefs.codegen.target = "numpy"
    v = -66.0 + np.arange(-200, 201) * 1.4210854715202004e-14   # neighbouring doubles of -66 mV
    group = NeuronGroup(len(v), EQUATIONS, method="exponential_strang", dt=0.025 * ms, namespace=dict(FUNCTIONS))
    group.V = v * mV
    group.h = 0.5
    Network(group).run(0.025 * ms)
    got = np.asarray(group.h[:])
    want = _file_h(np.asarray(group.v_mV[:]), 0.5, 0.025)
    assert np.all(np.isfinite(got)) and np.all((got >= 0) & (got <= 1))
    assert np.abs(got - want).max() <= H_TOLERANCE


def test_mechanisms_advance_in_the_order_neuron_registers_them():
    """NEURON's own mechanisms first, then the files of a folder in byte order, as the
    nrnivmodl that bridge runs (LC_ALL=C) registers them: the order the Brian 2 printer
    advances states in."""
    import re

    from bridge.mechanisms.neuron_order import registration_order
    from bridge.neuron.build import build, mod_files
    assert registration_order(["SK_E2", "bridge_if", "CaDynamics_E2", "hh", "Ca_HVA", "SKv3_1"]) == \
        ["hh", "CaDynamics_E2", "Ca_HVA", "SK_E2", "SKv3_1", "bridge_if"]
    hay = sorted((Path(__file__).resolve().parents[1] / "validation" / "hay_l5pc" / "mod").glob("*.mod"))
    files = hay + mod_files()     # CaDynamics_E2 before Ca_HVA, SK_E2 before SKv3_1, bridge's last
    library = build(files, coreneuron=False)
    text = next(library.directory.rglob("mod_func.c*")).read_text()
    registered = re.findall(r"^\s*_(\w+)_reg\(\);", text, re.M)
    assert registered == registration_order(path.stem for path in files)

#!/usr/bin/env python
"""Brian 2 cost of NMODL channels converted by bridge vs the same equations by hand.

The cell: one compartment (20 x 20 um) with all of Hay et al. 2011's somatic mechanisms
at Hay's densities (NaTa_t, Nap_Et2, SKv3_1, SK_E2, K_Tst, K_Pst, Ca_HVA, Ca_LVAst, Ih,
CaDynamics_E2; 34 degC), as tests/test_channels.py builds it. "bridge" is the NeuronGroup
bridge builds from the vendored .mod files (``make_neurongroup``); "hand-written" is the
same mathematics typed as a Brian 2 user would (rates as subexpressions, without the
files' ``if (v == -38) {v = v + 0.0001}`` guards, which never fire in a run). Both run
with the Cython target and the same method (``exponential_strang``, the one bridge uses
for channel models), N cells, a 0.6 nA step, 500 ms at dt 0.025 ms. Timed: the run after
a 1 ms warm-up that compiles (best of --repeats, alternating). Also printed: the spike
counts of both (they must agree) and the first spike times.

Target: bridge / hand-written <= 1.2.
``python benchmarks/hay_soma_brian2.py [--quick] [--repeats 3] [-n 1 100]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

HAND = """
v = V/mV : 1
dV/dt = (gL*(EL - V) + I_ext + I_ch) / C : volt
I_ext : amp
I_ch = -area * (ina + ik + ica + ihcn) * (mA/cm**2) : amp
ina = (gNaTa*mNaTa**3*hNaTa + gNap*mNap**3*hNap) * (v - ena) : 1
ik = (gSKv3*mSKv3 + gSK*zSK + gKT*mKT**4*hKT + gKP*mKP**2*hKP) * (v - ek) : 1
ica = (gCaH*mCaH**2*hCaH + gCaL*mCaL**2*hCaL) * (v - eca) : 1
ihcn = gIh*mIh * (v - ehcn) : 1
eca = 1e3 * R_F * (34 + 273.15) / 2 * log(2.0 / cai) : 1

mA_NaTa = 0.182*(v + 38)/(1 - exp(-(v + 38)/6)) : 1
mB_NaTa = 0.124*(-v - 38)/(1 - exp(-(-v - 38)/6)) : 1
hA_NaTa = -0.015*(v + 66)/(1 - exp((v + 66)/6)) : 1
hB_NaTa = -0.015*(-v - 66)/(1 - exp((-v - 66)/6)) : 1
dmNaTa/dt = (mA_NaTa/(mA_NaTa + mB_NaTa) - mNaTa) * (mA_NaTa + mB_NaTa) * qt / ms : 1
dhNaTa/dt = (hA_NaTa/(hA_NaTa + hB_NaTa) - hNaTa) * (hA_NaTa + hB_NaTa) * qt / ms : 1

mA_Nap = 0.182*(v + 38)/(1 - exp(-(v + 38)/6)) : 1
mB_Nap = 0.124*(-v - 38)/(1 - exp(-(-v - 38)/6)) : 1
hA_Nap = -2.88e-6*(v + 17)/(1 - exp((v + 17)/4.63)) : 1
hB_Nap = 6.94e-6*(v + 64.4)/(1 - exp(-(v + 64.4)/2.63)) : 1
dmNap/dt = (1/(1 + exp((v + 52.6)/-4.6)) - mNap) / (6/(mA_Nap + mB_Nap)/qt) / ms : 1
dhNap/dt = (1/(1 + exp((v + 48.8)/10)) - hNap) * (hA_Nap + hB_Nap) * qt / ms : 1

dmSKv3/dt = (1/(1 + exp((v - 18.7)/-9.7)) - mSKv3) / (0.2*20/(1 + exp((v + 46.56)/-44.14))) / ms : 1

zInf_SK = 1/(1 + (0.00043/cai)**4.8) : 1
dzSK/dt = (zInf_SK - zSK) / 1.0 / ms : 1

dmKT/dt = (1/(1 + exp(-(v + 10)/19)) - mKT) / ((0.34 + 0.92*exp(-((v + 81)/59)**2))/qt) / ms : 1
dhKT/dt = (1/(1 + exp(-(v + 76)/-10)) - hKT) / ((8 + 49*exp(-((v + 83)/23)**2))/qt) / ms : 1

mTau_KP = (int(v + 10 < -50)*(1.25 + 175.03*exp((v + 10)*0.026)) + int(v + 10 >= -50)*(1.25 + 13*exp(-(v + 10)*0.026)))/qt : 1
dmKP/dt = (1/(1 + exp(-(v + 11)/12)) - mKP) / mTau_KP / ms : 1
dhKP/dt = (1/(1 + exp(-(v + 64)/-11)) - hKP) / ((360 + (1010 + 24*(v + 65))*exp(-((v + 85)/48)**2))/qt) / ms : 1

mA_CaH = 0.055*(-27 - v)/(exp((-27 - v)/3.8) - 1) : 1
mB_CaH = 0.94*exp((-75 - v)/17) : 1
hA_CaH = 0.000457*exp((-13 - v)/50) : 1
hB_CaH = 0.0065/(exp((-v - 15)/28) + 1) : 1
dmCaH/dt = (mA_CaH/(mA_CaH + mB_CaH) - mCaH) * (mA_CaH + mB_CaH) / ms : 1
dhCaH/dt = (hA_CaH/(hA_CaH + hB_CaH) - hCaH) * (hA_CaH + hB_CaH) / ms : 1

dmCaL/dt = (1/(1 + exp((v + 40)/-6)) - mCaL) / ((5 + 20/(1 + exp((v + 35)/5)))/qt) / ms : 1
dhCaL/dt = (1/(1 + exp((v + 90)/6.4)) - hCaL) / ((20 + 50/(1 + exp((v + 50)/7)))/qt) / ms : 1

mA_Ih = 0.001*6.43*(v + 154.9)/(exp((v + 154.9)/11.9) - 1) : 1
mB_Ih = 0.001*193*exp(v/33.1) : 1
dmIh/dt = (mA_Ih/(mA_Ih + mB_Ih) - mIh) * (mA_Ih + mB_Ih) / ms : 1

dcai/dt = (-10000*ica*gamma/(2*FARADAY*depth) - (cai - minCai)/decay) / ms : 1
"""


AREA_UM2 = 3.141592653589793 * 20 * 20  # the 20 x 20 um cylinder's membrane


def hand_group(n: int):
    """The hand-written cell: HAND, with its constants; spikes are upward crossings of -20 mV."""
    from brian2 import NeuronGroup
    from brian2.units import cm, mV, siemens, uF, um
    from bridge.brian2.methods import register
    register()  # method="exponential_strang"
    area = AREA_UM2 * um ** 2
    namespace = dict(
        area=area, C=1 * uF / cm ** 2 * area, gL=0.0000338 * siemens / cm ** 2 * area, EL=-90 * mV,
        gNaTa=2.04, gNap=0.00172, gSKv3=0.693, gSK=0.0441, gKT=0.0812, gKP=0.00223, gCaH=0.000992,
        gCaL=0.00343, gIh=0.0002, ena=50.0, ek=-85.0, ehcn=-45.0, qt=2.3 ** ((34 - 21) / 10),
        R_F=8.31446261815324 / 96485.33212331001, FARADAY=96485.33212331001, gamma=0.000501, decay=460.0,
        depth=0.1, minCai=1e-4)
    group = NeuronGroup(n, HAND, method="exponential_strang", namespace=namespace, threshold="V > -20*mV",
                        refractory="V > -20*mV")
    group.V = -90 * mV
    group.cai = 5e-5
    return group, "I_ext"


#: hand-written gate -> bridge's variable, to start both from the files' INITIAL values.
GATES = {"mNaTa": "m_NaTa_t_soma", "hNaTa": "h_NaTa_t_soma", "mNap": "m_Nap_Et2_soma", "hNap": "h_Nap_Et2_soma",
         "mSKv3": "m_SKv3_1_soma", "zSK": "z_SK_E2_soma", "mKT": "m_K_Tst_soma", "hKT": "h_K_Tst_soma",
         "mKP": "m_K_Pst_soma", "hKP": "h_K_Pst_soma", "mCaH": "m_Ca_HVA_soma", "hCaH": "h_Ca_HVA_soma",
         "mCaL": "m_Ca_LVAst_soma", "hCaL": "h_Ca_LVAst_soma", "mIh": "m_Ih_soma"}


def bridge_group(n: int):
    """bridge's cell: the vendored .mod files, converted, as tests/test_channels.py builds it
    (its spiking: upward crossings of -20 mV)."""
    from bridge.brian2.group import make_neurongroup
    from test_channels import hay_soma
    return make_neurongroup(hay_soma(), n, method="exponential_strang"), "I_ext_soma"


def run_once(variant: str, n: int, duration_ms: float):
    """(seconds of the timed run, spike times of cell 0 in ms)."""
    from brian2 import Network, SpikeMonitor, defaultclock, prefs, start_scope
    from brian2.units import ms, nA
    start_scope()
    prefs.codegen.target = "cython"
    defaultclock.dt = 0.025 * ms
    group, current = bridge_group(n) if variant == "bridge" else hand_group(n)
    if variant == "hand":
        from brian2.utils.logger import BrianLogger
        BrianLogger.suppress_name("unused_brian_object")  # the reference group only lends initial values
        reference, _ = bridge_group(1)
        for mine, theirs in GATES.items():
            setattr(group, mine, float(getattr(reference, theirs)[0]))
    monitor = SpikeMonitor(group, record=[0])
    net = Network(group, monitor)
    net.run(1 * ms)  # compiles (the Cython cache keeps it for later runs)
    setattr(group, current, 0.6 * nA)
    started = time.perf_counter()
    net.run(duration_ms * ms)
    elapsed = time.perf_counter() - started
    return elapsed, [round(float(x / ms), 3) for x in monitor.t]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[1, 100], help="population sizes (default 1 100)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per variant, best taken (default 3)")
    parser.add_argument("--duration", type=float, default=500.0, help="simulated ms per run (default 500)")
    parser.add_argument("--quick", action="store_true", help="N = 1 only, one repeat")
    args = parser.parse_args()
    sizes, repeats = ([1], 1) if args.quick else (args.n, args.repeats)
    print(f"Hay's soma (10 mechanisms), Brian 2 cython, exponential_strang, {args.duration:g} ms at dt 0.025 ms")
    print(f"{'N':>6}  {'bridge (s)':>10}  {'hand (s)':>10}  {'ratio':>6}  spikes bridge/hand  first spikes (ms)")
    for n in sizes:
        best = {"bridge": float("inf"), "hand": float("inf")}
        spikes = {}
        for _ in range(repeats):
            for variant in ("bridge", "hand"):
                seconds, spikes[variant] = run_once(variant, n, args.duration)
                best[variant] = min(best[variant], seconds)
        ratio = best["bridge"] / best["hand"]
        print(f"{n:>6}  {best['bridge']:>10.3f}  {best['hand']:>10.3f}  {ratio:>6.2f}  "
              f"{len(spikes['bridge']):>6}/{len(spikes['hand']):<10}  {spikes['bridge'][:3]} / {spikes['hand'][:3]}")


if __name__ == "__main__":
    main()

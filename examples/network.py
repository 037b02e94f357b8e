"""A small recurrent network of two-compartment neurons, with and without dendritic spikes.

What it shows
-------------
* Getting raw Brian 2 objects from a bridge model with ``make_neurongroup``: with a
  ``second_reset`` it returns the ``NeuronGroup`` and the ``Synapses`` object that applies
  the second reset, and both must go into the Brian 2 ``Network``.
* Wiring the groups with ordinary Brian 2 objects: a ``PoissonGroup`` whose rate follows
  a ``TimedArray`` (blocks of 50 Hz input alternating with silence), feed-forward and
  recurrent ``Synapses`` whose ``on_pre`` increments the gating variables bridge names
  like Dendrify (``s_AMPA_<tag>_<compartment>``), and a ``SpikeMonitor``.
* How active dendrites change a network's response: two populations that differ only
  in whether their dendrites can fire dSpikes receive the same input spikes through the
  same connectivity, in one simulation.

The raster shows every neuron of both populations (passive dendrites above, active
dendrites below) with the input blocks shaded; the lower panel shows the population
firing rates. With dSpikes the same input recruits several times more somatic spikes,
and the active population responds earlier in each input block.

Run ``python examples/network.py [--quick] [--out FILE.png]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import brian2 as b2  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from brian2.units import Hz, mV, ms, nS, pF  # noqa: E402

from bridge import Dendrite, NeuronModel, Soma  # noqa: E402

NAME = "network"
N_NEURONS = 50   # per population
N_INPUTS = 200   # Poisson sources
P_INPUT = 0.2    # probability that a source contacts a neuron
P_RECURRENT = 0.1
BLOCK = 50 * ms  # input on for one block, off for the next
COLOURS = {"passive": "0.3", "active": "#c62828"}
SEED = 2024


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "output" / f"{NAME}.png",
                        help="where to write the figure (PNG)")
    parser.add_argument("--quick", action="store_true", help="simulate less time (for tests)")
    return parser.parse_args()


def build_model(active: bool) -> NeuronModel:
    """Soma + dendrite; the dendrite has one AMPA synapse for external and one for recurrent input."""
    soma = Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS)
    dend = Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    dend.synapse("AMPA", tag="ext", g=1 * nS, t_decay=5 * ms)
    dend.synapse("AMPA", tag="rec", g=1 * nS, t_decay=5 * ms)
    if active:
        dend.dspikes("Na", g_rise=30 * nS, g_fall=14 * nS)
    model = NeuronModel([(soma, dend, 15 * nS)], v_rest=-60 * mV)
    if active:
        model.config_dspikes("Na", threshold=-35 * mV, duration_rise=1.2 * ms, duration_fall=2.4 * ms,
                             offset_fall=0.2 * ms, refractory=5 * ms, reversal_rise="E_Na", reversal_fall="E_K")
    return model


def random_pairs(rng, n_pre: int, n_post: int, p: float, no_self: bool = False):
    """Presynaptic and postsynaptic indices of a random connectivity (fixed by ``rng``)."""
    mask = rng.random((n_pre, n_post)) < p
    if no_self:
        np.fill_diagonal(mask, False)
    return np.nonzero(mask)


def main():
    args = parse_args()
    n_blocks = 2 if args.quick else 5
    duration = (2 * n_blocks + 1) * BLOCK  # on/off blocks, then one more silent block

    b2.start_scope()
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = 0.05 * ms
    b2.seed(SEED)
    rng = np.random.default_rng(SEED)

    # Input: N_INPUTS Poisson sources, 50 Hz in "on" blocks, silent in "off" blocks.
    input_rate = b2.TimedArray(np.append(np.tile([50.0, 0.0], n_blocks), 0.0) * Hz, dt=BLOCK)
    inputs = b2.PoissonGroup(N_INPUTS, rates="input_rate(t)", name="inputs")
    feedforward = random_pairs(rng, N_INPUTS, N_NEURONS, P_INPUT)
    recurrent = random_pairs(rng, N_NEURONS, N_NEURONS, P_RECURRENT, no_self=True)

    objects = [inputs]
    monitors = {}
    for kind in ("passive", "active"):
        group, ap_reset = build_model(active=(kind == "active")).make_neurongroup(
            N_NEURONS, method="euler", threshold="V_soma > -40*mV", reset="V_soma = 40*mV",
            second_reset="V_soma = -50*mV", spike_width=0.8 * ms, refractory=4 * ms, name=kind)
        ext = b2.Synapses(inputs, group, on_pre="s_AMPA_ext_dend += 1", name=f"{kind}_ext")
        ext.connect(i=feedforward[0], j=feedforward[1])
        rec = b2.Synapses(group, group, on_pre="s_AMPA_rec_dend += 1", delay=1 * ms, name=f"{kind}_rec")
        rec.connect(i=recurrent[0], j=recurrent[1])
        monitors[kind] = b2.SpikeMonitor(group, name=f"{kind}_spikes")
        objects += [group, ap_reset, ext, rec, monitors[kind]]

    net = b2.Network(*objects)
    started = time.perf_counter()
    net.run(duration)
    elapsed = time.perf_counter() - started

    total_ms = float(duration / ms)
    fig, (ax_raster, ax_rate) = plt.subplots(2, 1, figsize=(8, 7), sharex=True, height_ratios=[2.2, 1],
                                             layout="constrained")
    for ax in (ax_raster, ax_rate):
        for k in range(n_blocks):
            start = 2 * k * float(BLOCK / ms)
            ax.axvspan(start, start + float(BLOCK / ms), color="#fff3d6", zorder=0,
                       label="50 Hz input" if (k == 0 and ax is ax_raster) else None)
    bins = np.arange(0, total_ms + 5, 5)
    summary = []
    for offset, kind in ((N_NEURONS, "passive"), (0, "active")):
        mon = monitors[kind]
        t = np.asarray(mon.t / ms)
        ax_raster.plot(t, np.asarray(mon.i) + offset, ".", ms=2.5, color=COLOURS[kind],
                       label=f"{kind} dendrites ({len(t)} spikes)")
        counts, _ = np.histogram(t, bins)
        rate = counts / N_NEURONS / (np.diff(bins) / 1000)
        ax_rate.plot(bins[:-1] + 2.5, rate, color=COLOURS[kind], lw=1.3, label=f"{kind} dendrites")
        summary.append(f"{kind} {len(t)} spikes ({len(t) / N_NEURONS / (total_ms / 1000):.1f} Hz per neuron)")
    ax_raster.axhline(N_NEURONS - 0.5, color="0.7", lw=0.8)
    ax_raster.set_ylim(-1, 2 * N_NEURONS + 14)  # room for the legend
    ax_raster.set_ylabel("Neuron")
    ax_raster.set_title(f"{N_NEURONS} neurons per population, {N_INPUTS} Poisson inputs "
                        f"(p={P_INPUT}), recurrent p={P_RECURRENT}", fontsize=10)
    ax_raster.legend(loc="upper right", fontsize=8, ncol=3, framealpha=0.95)
    ax_rate.set_ylabel("Population rate (Hz)")
    ax_rate.set_xlabel("Time (ms)")
    ax_rate.set_xlim(0, total_ms)
    ax_rate.legend(loc="upper right", fontsize=8)
    for ax in (ax_raster, ax_rate):
        ax.spines[["top", "right"]].set_visible(False)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    print(f"{NAME}: " + "; ".join(summary) + f"; simulated {total_ms:.0f} ms in {elapsed:.1f} s; "
          f"figure written to {args.out}")


if __name__ == "__main__":
    main()

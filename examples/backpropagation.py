"""Back-propagating action potentials (bAPs) turned into dendritic spikes.

What it shows
-------------
* A more realistic somatic spike for an integrate-and-fire soma: on threshold the soma
  jumps to +40 mV, and ``spike_width`` (0.8 ms) later the ``second_reset`` sends it to
  -55 mV. Stored in the model with ``set_spiking``.
* Sodium-like dSpikes in the trunk, proximal and distal dendrite, each with conductances
  scaled to its size, configured together with ``config_dspikes``.
* That the broad somatic spike depolarises the nearby dendrite past its dSpike threshold,
  so somatic spikes set off dendritic spikes that spread outwards (trunk, then prox,
  then dist): back-propagating action potentials.
* Overriding the stored spiking rule for one run by giving ``threshold``/``reset`` to
  ``bridge.simulate``.

The top panel shows all four compartments during a 150 pA somatic step. The bottom row
zooms on the first spikes in three versions of the cell: active dendrites with the wide
spike (bAPs lift every dendrite from about -40 mV to about -10 mV); the same spike
with passive dendrites (only attenuated ripples, the distal dendrite stays near -40 mV);
and active dendrites with an instantaneous reset to -55 mV (the spike is too brief to
drive the dendrites to threshold: no bAPs).

Run ``python examples/backpropagation.py [--quick] [--out FILE.png]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from brian2.units import cm, mV, ms, nS, ohm, pA, uF, um, uS  # noqa: E402

import bridge  # noqa: E402
from bridge import Dendrite, NeuronModel, Soma  # noqa: E402

NAME = "backpropagation"
COLOURS = {"soma": "#1f4e79", "trunk": "#2e7d32", "prox": "#ef6c00", "dist": "#ad1457"}
DSPIKE_THRESHOLD = -35  # mV
ZOOM_MS = 16  # width of the zoomed windows, from just before the first somatic spike
# dSpike conductances (rise, fall) per dendrite: thinner dendrites get smaller ones.
DSPIKE_G = {"trunk": (22 * nS, 14 * nS), "prox": (9 * nS, 5.7 * nS), "dist": (3.7 * nS, 2.4 * nS)}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "output" / f"{NAME}.png",
                        help="where to write the figure (PNG)")
    parser.add_argument("--quick", action="store_true", help="simulate less time (for tests)")
    return parser.parse_args()


def build_model(active: bool) -> NeuronModel:
    """The 4-compartment pyramidal cell; ``active`` gives its dendrites dSpikes."""
    soma = Soma("soma", model="leakyIF", length=25 * um, diameter=25 * um)
    dendrites = [Dendrite("trunk", length=100 * um, diameter=2.5 * um),
                 Dendrite("prox", length=100 * um, diameter=1 * um),
                 Dendrite("dist", length=100 * um, diameter=0.5 * um)]
    if active:
        for dend in dendrites:
            g_rise, g_fall = DSPIKE_G[dend.name]
            dend.dspikes("Na", g_rise=g_rise, g_fall=g_fall)
    trunk, prox, dist = dendrites
    model = NeuronModel([(soma, trunk, 15 * nS), (trunk, prox, 6 * nS), (prox, dist, 2 * nS)],
                        cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, v_rest=-65 * mV, r_axial=150 * ohm * cm,
                        scale_factor=2.8, spine_factor=1.5)
    if active:
        model.config_dspikes("Na", threshold=DSPIKE_THRESHOLD * mV, duration_rise=1.2 * ms,
                             duration_fall=2.4 * ms, offset_fall=0.2 * ms, refractory=5 * ms,
                             reversal_rise="E_Na", reversal_fall="E_K")
    # The wide somatic spike: +40 mV for 0.8 ms, then -55 mV.
    model.set_spiking("V_soma > -40*mV", reset="V_soma = 40*mV", second_reset="V_soma = -55*mV",
                      spike_width=0.8 * ms, refractory=4 * ms)
    return model


def main():
    args = parse_args()
    on, off, total = (10, 60, 90) if args.quick else (10, 110, 170)
    step = [bridge.Step("soma", 150 * pA, on * ms, off * ms)]
    run = dict(stimuli=step, duration=total * ms, dt=0.025 * ms)

    started = time.perf_counter()
    active, passive = build_model(active=True), build_model(active=False)
    results = {
        "active dendrites, wide spike": bridge.simulate(active, **run),
        "passive dendrites, wide spike": bridge.simulate(passive, **run),
        # Same active cell, but the stored spike shape is replaced by an instant reset.
        "active dendrites, instant reset": bridge.simulate(active, threshold="V_soma > -40*mV",
                                                           reset="V_soma = -55*mV", refractory=4 * ms, **run),
    }
    elapsed = time.perf_counter() - started

    fig = plt.figure(figsize=(11, 7), layout="constrained")
    grid = fig.add_gridspec(2, 3, height_ratios=[1, 1.1])
    ax_top = fig.add_subplot(grid[0, :])
    zooms = [fig.add_subplot(grid[1, 0])]
    zooms += [fig.add_subplot(grid[1, k], sharey=zooms[0]) for k in (1, 2)]

    main_result = results["active dendrites, wide spike"]
    for name, colour in COLOURS.items():
        trace = main_result.traces[name]
        ax_top.plot(trace.index, trace, color=colour, lw=1, label=name, zorder=3 if name == "soma" else 2)
    ax_top.axvspan(on, off, color="0.93", zorder=0, label="150 pA step")
    ax_top.axhline(DSPIKE_THRESHOLD, color="k", ls=":", lw=0.8, label="dSpike threshold")
    ax_top.set_title(f"Active dendrites, wide somatic spike: {len(main_result.spikes)} somatic spikes "
                     f"trigger dSpikes that travel out to the distal dendrite")
    ax_top.set_ylabel("Voltage (mV)")
    ax_top.set_xlabel("Time (ms)")
    ax_top.legend(loc="upper right", ncol=6, fontsize=8)

    summary = []
    for ax, (label, res) in zip(zooms, results.items()):
        spikes = res.spikes
        start = spikes[0] - 1.5 if len(spikes) else on
        window = res.traces.loc[start:start + ZOOM_MS]
        for name, colour in COLOURS.items():
            ax.plot(window.index, window[name], color=colour, lw=1.2, zorder=3 if name == "soma" else 2)
        ax.axhline(DSPIKE_THRESHOLD, color="k", ls=":", lw=0.8)
        ax.set_xlim(start, start + ZOOM_MS)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("Time (ms)")
        peaks = {name: res.traces.loc[on:off, name].max() for name in ("trunk", "prox", "dist")}
        ax.text(0.98, 0.97, "peak\n" + "\n".join(f"{n}: {v:6.1f} mV" for n, v in peaks.items()),
                transform=ax.transAxes, ha="right", va="top", fontsize=8, family="monospace",
                bbox=dict(facecolor="white", edgecolor="0.8", alpha=0.9))
        summary.append(f"{label}: {len(spikes)} spikes, dist peak {peaks['dist']:.1f} mV")
    zooms[0].set_ylabel("Voltage (mV)")
    for ax in [ax_top] + zooms:
        ax.spines[["top", "right"]].set_visible(False)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    print(f"{NAME}: " + "; ".join(summary) + f"; simulations took {elapsed:.1f} s; figure written to {args.out}")


if __name__ == "__main__":
    main()

"""A reduced pyramidal cell: soma, apical trunk, proximal and distal dendrite.

What it shows
-------------
* Building a 4-compartment model with bridge's Dendrify-style API (``Soma``,
  ``Dendrite``, ``NeuronModel``), with passive properties set once for the whole cell
  and fixed coupling conductances between neighbouring compartments.
* Storing the somatic spiking rule in the model with ``set_spiking`` (a spike is drawn
  as a jump to +40 mV followed, half a millisecond later, by a reset to -55 mV).
* Running it with ``bridge.simulate`` and ``bridge.Step`` current injections into the soma.

The figure has three panels: the voltage of every compartment during a 100 ms,
200 pA somatic step (the cell fires regularly; the dendrites follow the soma with
growing attenuation and delay); a zoom on a few spikes; and a small hyperpolarising
step, where the steady-state deflection shrinks with distance from the soma.
The dendrites here are passive: their ripples after each spike come from the
electrical coupling alone (see ``backpropagation.py`` for active dendrites).

Run ``python examples/reduced_pyramidal.py [--quick] [--out FILE.png] [--json FILE.json]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from brian2.units import cm, mV, ms, nS, pA, uF, um, uS  # noqa: E402

import bridge  # noqa: E402
from bridge import Dendrite, NeuronModel, Soma  # noqa: E402

NAME = "reduced_pyramidal"
COLOURS = {"soma": "#1f4e79", "trunk": "#2e7d32", "prox": "#ef6c00", "dist": "#ad1457"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "output" / f"{NAME}.png",
                        help="where to write the figure (PNG)")
    parser.add_argument("--quick", action="store_true", help="simulate less time (for tests)")
    parser.add_argument("--json", type=Path, default=None, help="also save the model description as JSON here")
    return parser.parse_args()


def build_model() -> NeuronModel:
    """Soma plus three dendritic segments of decreasing diameter, in a chain."""
    soma = Soma("soma", model="leakyIF", length=25 * um, diameter=25 * um)
    trunk = Dendrite("trunk", length=100 * um, diameter=2.5 * um)
    prox = Dendrite("prox", length=100 * um, diameter=1 * um)
    dist = Dendrite("dist", length=100 * um, diameter=0.5 * um)

    # Two input pathways (not used by this script, but part of the cell: see network.py).
    for dend, path in ((prox, "pathY"), (dist, "pathX")):
        dend.synapse("AMPA", tag=path, g=1 * nS, t_decay=2 * ms)
        dend.synapse("NMDA", tag=path, g=1 * nS, t_decay=60 * ms)

    chain = [(soma, trunk, 15 * nS), (trunk, prox, 6 * nS), (prox, dist, 2 * nS)]
    # Membrane properties for the whole cell; scale_factor and spine_factor enlarge the
    # membrane area to stand in for the branches and spines a reduced model leaves out.
    model = NeuronModel(chain, cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, v_rest=-65 * mV,
                        scale_factor=2.8, spine_factor=1.5)
    model.set_spiking("V_soma > -40*mV", reset="V_soma = 40*mV", second_reset="V_soma = -55*mV",
                      spike_width=0.5 * ms, refractory=4 * ms)
    return model


def main():
    args = parse_args()
    model = build_model()
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        bridge.save(model, args.json)

    # Timing of the protocol (ms): rest, step, recovery.
    on, off, total = (10, 60, 90) if args.quick else (10, 110, 170)
    started = time.perf_counter()
    spiking = bridge.simulate(model, stimuli=[bridge.Step("soma", 200 * pA, on * ms, off * ms)],
                              duration=total * ms, dt=0.025 * ms)
    # The same cell and a small negative step: no spikes, only passive spread.
    hyper = bridge.simulate(model, stimuli=[bridge.Step("soma", -20 * pA, on * ms, off * ms)],
                            duration=total * ms, dt=0.025 * ms)
    elapsed = time.perf_counter() - started

    fig = plt.figure(figsize=(9, 6.5), layout="constrained")
    grid = fig.add_gridspec(2, 2)
    ax_full = fig.add_subplot(grid[0, :])
    ax_zoom = fig.add_subplot(grid[1, 0])
    ax_hyp = fig.add_subplot(grid[1, 1])

    for name, colour in COLOURS.items():
        trace = spiking.traces[name]
        ax_full.plot(trace.index, trace, color=colour, lw=1, label=name, zorder=3 if name == "soma" else 2)
        ax_zoom.plot(trace.index, trace, color=colour, lw=1.2, label=name, zorder=3 if name == "soma" else 2)
        ax_hyp.plot(hyper.traces.index, hyper.traces[name], color=colour, lw=1.2, label=name)
    ax_full.axvspan(on, off, color="0.92", zorder=0, label="200 pA step")
    ax_full.set_title(f"Somatic step of 200 pA: {len(spiking.spikes)} spikes "
                      f"({len(spiking.spikes) / ((off - on) / 1000):.0f} Hz)")
    ax_full.set_ylabel("Voltage (mV)")
    ax_full.legend(loc="upper right", ncol=5, fontsize=8)

    first = spiking.spikes[2] if len(spiking.spikes) > 2 else on
    ax_zoom.set_xlim(first - 2, first + 14)
    ax_zoom.set_title("Zoom: passive dendrites follow each spike")
    ax_zoom.set_ylabel("Voltage (mV)")

    ax_hyp.axvspan(on, off, color="0.92", zorder=0)
    steady = hyper.traces.loc[off - 1].to_numpy() - hyper.traces.iloc[0].to_numpy()
    ax_hyp.set_title("Step of -20 pA: attenuation along the dendrite")
    ax_hyp.text(0.98, 0.05, "\n".join(f"{n}: {v:+.2f} mV" for n, v in zip(hyper.traces.columns, steady)),
                transform=ax_hyp.transAxes, ha="right", va="bottom", fontsize=8, family="monospace")
    for ax in (ax_zoom, ax_hyp):
        ax.set_xlabel("Time (ms)")
    for ax in (ax_full, ax_zoom, ax_hyp):
        ax.spines[["top", "right"]].set_visible(False)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    print(f"{NAME}: {len(spiking.spikes)} somatic spikes; simulated {2 * total} ms in {elapsed:.1f} s; "
          f"figure written to {args.out}")


if __name__ == "__main__":
    main()

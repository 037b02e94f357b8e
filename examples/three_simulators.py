"""One model, three simulators: Brian 2, NEURON and CoreNEURON side by side.

What it shows
-------------
* The built-in reduced pyramidal model (dendritic spikes, NMDA, a wide somatic spike)
  run with ``bridge.simulate`` in Brian 2 (``rk4``), NEURON (Crank-Nicolson) and
  CoreNEURON (CPU), with a somatic current step and a burst of synaptic input on the
  distal dendrite.
* That the three traces lie on top of each other (the bottom panel shows the NEURON -
  Brian 2 difference, outside the samples next to each spike, where a reset lands one
  step apart), and what ``bridge.compare`` reports.
* The NEURON files ``bridge.emit_neuron`` writes for the same model (listed at the end).

Run ``python examples/three_simulators.py [--quick] [--out FILE.png]``.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from brian2.units import ms, nA  # noqa: E402

import bridge  # noqa: E402
from bridge.default_model import default_model  # noqa: E402
from bridge.traces import subthreshold_mask  # noqa: E402

NAME = "three_simulators"
STYLES = {"brian2": dict(color="#1f4e79", lw=2.4, alpha=0.5), "neuron": dict(color="#ef6c00", lw=1.2),
          "coreneuron": dict(color="black", lw=0.8, ls="--")}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="simulate 80 ms instead of 200 ms")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "output" / f"{NAME}.png")
    return parser.parse_args()


def main():
    args = parse_args()
    duration = (80 if args.quick else 200) * ms
    model = default_model()
    stimuli = [bridge.Step("soma", 0.2 * nA, 10 * ms, 60 * ms),
               bridge.SpikeTrain("dist", "NMDA_x", [float(t) for t in np.arange(65, 75, 1.0)] * ms),
               bridge.SpikeTrain("dist", "AMPA_x", [float(t) for t in np.arange(65, 75, 1.0)] * ms)]
    runs = {"brian2": bridge.simulate(model, "brian2", stimuli, duration=duration, method="rk4"),
            "neuron": bridge.simulate(model, "neuron", stimuli, duration=duration),
            "coreneuron": bridge.simulate(model, "coreneuron", stimuli, duration=duration)}
    window = (0.25, 0.5 + 0.25)  # spike width plus a margin after each spike
    print("NEURON vs Brian 2:    ", bridge.compare(runs["brian2"], runs["neuron"], spike_window=window))
    print("CoreNEURON vs NEURON: ", bridge.compare(runs["neuron"], runs["coreneuron"]))

    fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True, height_ratios=[2, 2, 1])
    for ax, comp in zip(axes[:2], ("soma", "dist")):
        for sim, result in runs.items():
            ax.plot(result.traces.index, result.traces[comp], label=sim, **STYLES[sim])
        ax.set_ylabel(f"V {comp} (mV)")
    axes[0].legend(loc="upper right", frameon=False)
    t = np.asarray(runs["brian2"].traces.index)
    near_spike = ~subthreshold_mask(runs["brian2"], runs["neuron"], window)
    for comp, colour in (("soma", "#1f4e79"), ("dist", "#ad1457")):
        diff = runs["neuron"].traces[comp].to_numpy() - runs["brian2"].traces[comp].to_numpy()
        axes[2].plot(t, np.where(near_spike, np.nan, diff), color=colour, lw=1, label=comp)
    axes[2].set_ylabel("NEURON - Brian 2 (mV)")
    axes[2].set_xlabel("time (ms)")
    axes[2].legend(loc="upper right", frameon=False)
    fig.suptitle("The same bridge model in Brian 2, NEURON and CoreNEURON")
    fig.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")

    with tempfile.TemporaryDirectory() as directory:
        files = bridge.emit_neuron(model, directory)
        print("bridge.emit_neuron writes:", ", ".join(str(Path(f).relative_to(directory)) for f in files))


if __name__ == "__main__":
    main()

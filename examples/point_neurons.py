"""Point neurons: leaky, adaptive, exponential (AdEx) and conductance-adaptive integrate-and-fire.

What it shows
-------------
* ``PointNeuronModel`` with each of its spiking membrane models: ``leakyIF``,
  ``adaptiveIF`` (current-based adaptation ``w``), ``adex`` (exponential spike initiation
  plus adaptation) and ``cadIF`` (conductance-based adaptation ``gA`` with reversal ``EA``).
* Supplying the constants their equations use with ``add_params`` (thresholds, reset
  values, adaptation time constants and increments) and storing the threshold/reset
  rule with ``set_spiking``: in a point neuron the variables have no compartment suffix
  (``V``, ``w``, ``gA``), while stimuli address its single compartment as ``'soma'``.
* Running each with a current step through ``bridge.simulate``.

Each row shows one model's voltage during a long current step (spikes are drawn up to
+20 mV for visibility: integrate-and-fire models only mark them by a reset). The last
panel plots the instantaneous firing rate against spike number: constant for the leaky
IF neuron, decreasing (spike-frequency adaptation) for the other three. The cadIF
neuron's adaptation pulls towards EA = -65 mV instead of growing without bound, so its
after-step trough is shallower than the adaptiveIF neuron's.

Run ``python examples/point_neurons.py [--quick] [--out FILE.png]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from brian2.units import mV, ms, nA, nS, pA, pF  # noqa: E402

import bridge  # noqa: E402
from bridge import PointNeuronModel  # noqa: E402

NAME = "point_neurons"
SPIKE_PEAK = 20  # mV, height at which spikes are drawn


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "output" / f"{NAME}.png",
                        help="where to write the figure (PNG)")
    parser.add_argument("--quick", action="store_true", help="simulate less time (for tests)")
    return parser.parse_args()


def leaky_if() -> PointNeuronModel:
    model = PointNeuronModel(model="leakyIF", cm_abs=200 * pF, gl_abs=10 * nS, v_rest=-70 * mV)
    model.add_params({"Vth": -50 * mV, "Vr": -65 * mV})
    model.set_spiking("V > Vth", reset="V = Vr", refractory=2 * ms)
    return model


def adaptive_if() -> PointNeuronModel:
    model = PointNeuronModel(model="adaptiveIF", cm_abs=150 * pF, gl_abs=15 * nS, v_rest=-65 * mV)
    # a: subthreshold adaptation (none here); b: jump of the adaptation current per spike.
    model.add_params({"Vth": -50 * mV, "Vr": -60 * mV, "tauw": 210 * ms, "a": 0 * nS, "b": 60 * pA})
    model.set_spiking("V > Vth", reset="V = Vr; w += b")
    return model


def adex() -> PointNeuronModel:
    model = PointNeuronModel(model="adex", cm_abs=281 * pF, gl_abs=30 * nS, v_rest=-70.6 * mV)
    model.add_params({"Vth": -50.4 * mV, "DeltaT": 2 * mV, "tauw": 144 * ms, "a": 4 * nS, "b": 0.0805 * nA,
                      "Vr": -70.6 * mV})
    # The exponential term makes V run away past Vth; cut it off a few slope factors higher.
    model.set_spiking("V > Vth + 5*DeltaT", reset="V = Vr; w += b")
    return model


def cad_if() -> PointNeuronModel:
    model = PointNeuronModel(model="cadIF", cm_abs=150 * pF, gl_abs=15 * nS, v_rest=-65 * mV)
    # gAmax: voltage-driven growth of gA (none here); delta_gA: jump of gA per spike.
    model.add_params({"Vth": -50 * mV, "Vr": -60 * mV, "tauA": 210 * ms, "gAmax": 0 * nS,
                      "delta_gA": 3 * nS, "EA": -65 * mV})
    model.set_spiking("V > Vth", reset="V = Vr; gA += delta_gA")
    return model


# name -> (builder, step amplitude, colour)
MODELS = {
    "leakyIF": (leaky_if, 250 * pA, "#1f4e79"),
    "adaptiveIF": (adaptive_if, 500 * pA, "#2e7d32"),
    "adex": (adex, 1 * nA, "#ef6c00"),
    "cadIF": (cad_if, 500 * pA, "#ad1457"),
}


def with_spikes(trace, spikes_ms, dt_ms):
    """A copy of ``trace`` with the sample at each spike raised to SPIKE_PEAK, for display."""
    shown = trace.copy()
    rows = np.clip(np.round((np.asarray(spikes_ms) - shown.index[0]) / dt_ms).astype(int), 0, len(shown) - 1)
    shown.iloc[rows] = SPIKE_PEAK
    return shown


def main():
    args = parse_args()
    on, off, total = (20, 120, 180) if args.quick else (20, 220, 320)
    dt = 0.025 * ms

    started = time.perf_counter()
    results = {}
    for name, (build, amplitude, _) in MODELS.items():
        results[name] = bridge.simulate(build(), stimuli=[bridge.Step("soma", amplitude, on * ms, off * ms)],
                                        duration=total * ms, dt=dt)
    elapsed = time.perf_counter() - started

    fig = plt.figure(figsize=(10, 8.5), layout="constrained")
    grid = fig.add_gridspec(len(MODELS), 2, width_ratios=[2.3, 1])
    axes = [fig.add_subplot(grid[0, 0])]
    axes += [fig.add_subplot(grid[k, 0], sharex=axes[0]) for k in range(1, len(MODELS))]
    ax_rate = fig.add_subplot(grid[:, 1])
    summary = []
    for ax, (name, (_, amplitude, colour)) in zip(axes, MODELS.items()):
        res = results[name]
        trace = with_spikes(res.traces["soma"], res.spikes, dt / ms)
        ax.plot(trace.index, trace, color=colour, lw=1)
        ax.axvspan(on, off, color="0.93", zorder=0)
        ax.set_ylabel("V (mV)")
        ax.set_title(f"{name}: {amplitude / pA:g} pA step, {len(res.spikes)} spikes", fontsize=10, loc="left")
        ax.set_ylim(-90, SPIKE_PEAK + 8)
        ax.spines[["top", "right"]].set_visible(False)
        if name == "cadIF":
            ax.axhline(-65, color="k", ls="--", lw=0.8, label="EA")
            ax.legend(loc="lower right", fontsize=8)
        if len(res.spikes) > 1:
            rate = 1000 / np.diff(res.spikes)
            ax_rate.plot(np.arange(1, len(rate) + 1), rate, "o-", ms=3, color=colour, label=name)
            summary.append(f"{name} {len(res.spikes)} spikes ({rate[0]:.0f} -> {rate[-1]:.0f} Hz)")
        else:
            summary.append(f"{name} {len(res.spikes)} spikes")
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel("Time (ms)")
    ax_rate.set_title("Instantaneous rate during the step", fontsize=10)
    ax_rate.set_xlabel("Interval number")
    ax_rate.set_ylabel("Rate (Hz)")
    ax_rate.legend(fontsize=8)
    ax_rate.spines[["top", "right"]].set_visible(False)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    print(f"{NAME}: " + "; ".join(summary) + f"; simulations took {elapsed:.1f} s; figure written to {args.out}")


if __name__ == "__main__":
    main()

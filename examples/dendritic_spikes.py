"""Dendritic spikes (dSpikes) triggered by synaptic input.

What it shows
-------------
* Giving a dendrite an event-driven sodium-like spike with ``Dendrite.dspikes`` (how
  strong its depolarising and repolarising conductances are) and setting its timing,
  threshold and reversal potentials for the whole model with ``NeuronModel.config_dspikes``.
* Driving AMPA + NMDA synapses with ``bridge.SpikeTrain`` (one synchronous volley; the
  ``weight`` counts how many synapses fire together) and ``bridge.Poisson`` (random
  background input) through ``bridge.simulate``.
* How an active dendrite differs from the same dendrite without dSpikes.

The cell is a soma coupled to one dendrite, both described as RC circuits (absolute
capacitance and leak). The figure shows (a) the dendritic voltage after volleys of
increasing size: once the dendrite reaches -35 mV it fires a brief, all-or-none dSpike
(and, while the slow NMDA current keeps it above threshold, more dSpikes follow, one per
5 ms refractory period);
(b) the resulting input-output curve, peak dendritic depolarisation against the number
of co-active synapses, which jumps above the passive curve at the dSpike threshold;
(c, d) dendritic and somatic voltage under random Poisson input: the dSpikes of the active
dendrite are visible as sharp peaks near 0 mV and they make the soma fire, while the
passive cell stays below threshold.

Run ``python examples/dendritic_spikes.py [--quick] [--out FILE.png]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from brian2.units import Hz, mV, ms, nS, pF  # noqa: E402

import bridge  # noqa: E402
from bridge import Dendrite, NeuronModel, Soma  # noqa: E402

NAME = "dendritic_spikes"
DSPIKE_THRESHOLD = -35  # mV
ACTIVE, PASSIVE = "#c62828", "0.35"
SHOWN = (2, 4, 6, 7, 8, 10)  # volley sizes drawn in panel (a)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "output" / f"{NAME}.png",
                        help="where to write the figure (PNG)")
    parser.add_argument("--quick", action="store_true", help="simulate less time (for tests)")
    return parser.parse_args()


def build_model(active: bool) -> NeuronModel:
    """A soma and a dendrite carrying AMPA and NMDA synapses; ``active`` adds dSpikes."""
    soma = Soma("soma", cm_abs=200 * pF, gl_abs=10 * nS)
    dend = Dendrite("dend", cm_abs=50 * pF, gl_abs=2.5 * nS)
    dend.synapse("AMPA", tag="x", g=3 * nS, t_decay=2 * ms)
    dend.synapse("NMDA", tag="x", g=3 * nS, t_decay=60 * ms)
    if active:
        dend.dspikes("Na", g_rise=30 * nS, g_fall=14 * nS)
    model = NeuronModel([(soma, dend, 15 * nS)], v_rest=-60 * mV)
    if active:
        # A fast inward phase toward E_Na, then an outward phase toward E_K that starts
        # 0.2 ms after threshold crossing; no new dSpike for 5 ms.
        model.config_dspikes("Na", threshold=DSPIKE_THRESHOLD * mV, duration_rise=1.2 * ms,
                             duration_fall=2.4 * ms, offset_fall=0.2 * ms, refractory=5 * ms,
                             reversal_rise="E_Na", reversal_fall="E_K")
    model.set_spiking("V_soma > -40*mV", reset="V_soma = 40*mV", second_reset="V_soma = -50*mV",
                      spike_width=0.8 * ms, refractory=4 * ms)
    return model


def volley(n_synapses: int, at) -> list:
    """``n_synapses`` AMPA+NMDA synapses of the dendrite activated together at time ``at``."""
    return [bridge.SpikeTrain("dend", "AMPA_x", [at / ms] * ms, weight=n_synapses),
            bridge.SpikeTrain("dend", "NMDA_x", [at / ms] * ms, weight=n_synapses)]


def background(n_inputs: int, rate, seed: int = 1) -> list:
    """``n_inputs`` independent Poisson inputs at ``rate``, each reaching both AMPA and NMDA
    receptors of the dendrite."""
    # Merged independent Poisson trains form one Poisson train at the summed rate, so a
    # single source per receptor type is enough. The same seed gives both the same event
    # times: AMPA and NMDA receptors of a synapse open together.
    return [bridge.Poisson("dend", "AMPA_x", n_inputs * rate, seed=seed),
            bridge.Poisson("dend", "NMDA_x", n_inputs * rate, seed=seed)]


def main():
    args = parse_args()
    models = {"passive": build_model(active=False), "active": build_model(active=True)}
    sizes = [2, 4, 6, 7, 8, 10] if args.quick else list(range(1, 13))
    poisson_ms = 250 if args.quick else 500
    started = time.perf_counter()

    # (a, b) single volleys of increasing size.
    peaks = {kind: [] for kind in models}
    volley_traces = {}
    for kind, model in models.items():
        for n in sizes:
            res = bridge.simulate(model, stimuli=volley(n, 10 * ms), duration=60 * ms, dt=0.025 * ms)
            peaks[kind].append(res.traces["dend"].max() - res.traces["dend"].iloc[0])
            if kind == "active" and n in SHOWN:
                volley_traces[n] = res.traces["dend"]

    # (c, d) random background input.
    drive = {kind: bridge.simulate(model, stimuli=background(5, 20 * Hz), duration=poisson_ms * ms,
                                   dt=0.025 * ms)
             for kind, model in models.items()}
    elapsed = time.perf_counter() - started

    fig = plt.figure(figsize=(10, 7), layout="constrained")
    grid = fig.add_gridspec(3, 2, height_ratios=[1.2, 1, 1])
    ax_v, ax_io = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    ax_d = fig.add_subplot(grid[1, :])
    ax_s = fig.add_subplot(grid[2, :], sharex=ax_d)

    cmap = plt.get_cmap("viridis")
    for k, (n, trace) in enumerate(volley_traces.items()):
        ax_v.plot(trace.index, trace, color=cmap(k / max(1, len(volley_traces) - 1)), lw=1.1,
                  label=f"{n}")
    ax_v.axhline(DSPIKE_THRESHOLD, color="k", ls=":", lw=1)
    ax_v.set_xlim(5, 60)
    ax_v.set_title("(a) active dendrite, one volley")
    ax_v.set_xlabel("Time (ms)")
    ax_v.set_ylabel("V dend (mV)")
    ax_v.legend(title="synapses", fontsize=7, title_fontsize=7, ncol=2, loc="upper right")

    linear = peaks["passive"][0] / sizes[0] * np.asarray(sizes)
    ax_io.plot(sizes, linear, "--", color="0.6", label="linear sum")
    ax_io.plot(sizes, peaks["passive"], "o-", color=PASSIVE, ms=4, label="passive dendrite")
    ax_io.plot(sizes, peaks["active"], "o-", color=ACTIVE, ms=4, label="active dendrite (dSpikes)")
    ax_io.set_title("(b) dendritic input-output curve")
    ax_io.set_xlabel("Co-active synapses")
    ax_io.set_ylabel("Peak depolarisation (mV)")
    ax_io.legend(fontsize=8)

    for kind, colour, style in (("passive", PASSIVE, "--"), ("active", ACTIVE, "-")):
        res = drive[kind]
        ax_d.plot(res.traces.index, res.traces["dend"], style, color=colour, lw=1,
                  label=f"{kind} dendrite")
        ax_s.plot(res.traces.index, res.traces["soma"], style, color=colour, lw=1,
                  label=f"soma, {kind} dendrite ({len(res.spikes)} spike{'' if len(res.spikes) == 1 else 's'})")
    ax_d.axhline(DSPIKE_THRESHOLD, color="k", ls=":", lw=1, label="dSpike threshold")
    ax_d.set_title("(c) 5 Poisson inputs at 20 Hz onto the dendrite")
    ax_d.set_ylabel("V dend (mV)")
    ax_d.legend(fontsize=8, loc="upper left", ncol=3)
    ax_s.set_title("(d) soma")
    ax_s.set_ylabel("V soma (mV)")
    ax_s.set_xlabel("Time (ms)")
    ax_s.legend(fontsize=8, loc="upper left", ncol=2)
    for ax in (ax_v, ax_io, ax_d, ax_s):
        ax.spines[["top", "right"]].set_visible(False)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    first = next((n for n, a, p in zip(sizes, peaks["active"], peaks["passive"]) if a > p + 5), None)
    # Count dSpikes as upward crossings of -20 mV, which the passive dendrite never reaches.
    n_ds = int(np.sum(np.diff((drive["active"].traces["dend"] > -20).astype(int)) == 1))
    print(f"{NAME}: first dSpike with {first} co-active synapses; "
          f"Poisson drive: {n_ds} dSpikes, somatic spikes active "
          f"{len(drive['active'].spikes)} vs passive {len(drive['passive'].spikes)}; "
          f"simulations took {elapsed:.1f} s; figure written to {args.out}")


if __name__ == "__main__":
    main()

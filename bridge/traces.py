"""The result type every simulator returns, and the one helper that compares two results."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class SimulationResult:
    """What :func:`bridge.simulate` returns.

    ``traces``: DataFrame indexed by time (ms), one column per recorded compartment voltage (mV).
    ``spikes``: somatic spike times (ms) of the first cell. ``info``: simulator, dt, timings.
    """

    traces: pd.DataFrame
    spikes: np.ndarray
    info: dict = field(default_factory=dict)

    def to_csv(self, path) -> None:
        """Write the traces as CSV (time in ms, voltages in mV), atomically."""
        from .atomic import write_text_atomic
        write_text_atomic(path, self.traces.to_csv(float_format="%.10g"))


@dataclass(frozen=True)
class Comparison:
    """Point-by-point comparison of two results on the columns they share.

    ``rms``/``max_abs``: per column, mV. ``spike_counts``: (a, b). ``spike_shift``: the
    largest |difference| of matched spike times (ms), NaN when counts differ or none fired.
    """

    rms: dict
    max_abs: dict
    spike_counts: tuple[int, int]
    spike_shift: float

    @property
    def worst_rms(self) -> float:
        return max(self.rms.values())

    @property
    def worst_max(self) -> float:
        return max(self.max_abs.values())

    def __str__(self) -> str:
        cols = ", ".join(f"{c}: rms {self.rms[c]:.3g} max {self.max_abs[c]:.3g} mV" for c in self.rms)
        return f"{cols}; spikes {self.spike_counts[0]} vs {self.spike_counts[1]} (shift {self.spike_shift:.3g} ms)"


def subthreshold_mask(a: SimulationResult, b: SimulationResult, spike_window) -> np.ndarray:
    """True for the samples of ``a``'s time base farther than ``spike_window = (before,
    after)`` (ms) from every somatic spike of ``a`` and ``b``."""
    t = np.asarray(a.traces.index)
    keep = np.ones(len(t), dtype=bool)
    for spike in np.concatenate([np.asarray(a.spikes), np.asarray(b.spikes)]):
        keep &= ~((t >= spike - spike_window[0]) & (t <= spike + spike_window[1]))
    return keep


def compare(a: SimulationResult, b: SimulationResult, columns=None, spike_window=None) -> Comparison:
    """Compare ``a`` and ``b`` sample by sample (they must share their time base).

    ``spike_window=(before, after)`` (ms) leaves out the samples from ``before`` ms before
    to ``after`` ms after every somatic spike of either result, so that RMS and max
    measure the subthreshold traces (a reset lands on neighbouring samples in different
    simulators); spike times are compared separately.
    """
    cols = list(columns) if columns is not None else [c for c in a.traces.columns if c in b.traces.columns]
    if len(a.traces) != len(b.traces) or not np.allclose(a.traces.index, b.traces.index, rtol=0, atol=1e-9):
        raise ValueError("the two results have different time bases; resample one first")
    keep = np.ones(len(a.traces), dtype=bool) if spike_window is None else subthreshold_mask(a, b, spike_window)
    diff = a.traces[cols].to_numpy()[keep] - b.traces[cols].to_numpy()[keep]
    rms = {c: float(np.sqrt(np.mean(diff[:, i] ** 2))) for i, c in enumerate(cols)}
    mx = {c: float(np.max(np.abs(diff[:, i]))) for i, c in enumerate(cols)}
    counts = (len(a.spikes), len(b.spikes))
    shift = float(np.max(np.abs(np.asarray(a.spikes) - np.asarray(b.spikes)))) if counts[0] == counts[1] and counts[0] \
        else float("nan")
    return Comparison(rms, mx, counts, shift)

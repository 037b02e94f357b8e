"""Features of voltage traces for validation. eFEL computes what it has (PSP amplitude
from the voltage base, spike counts and frequencies); PSP rise time and half-width, which
eFEL defines only for spikes, and the spike-coincidence factor are computed here."""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import ModelError

#: eFEL's spike-detection threshold (mV) for somatic spikes.
SPIKE_THRESHOLD_MV = -20.0


def _efel(t_ms: np.ndarray, v_mv: np.ndarray, start_ms: float, stop_ms: float, names: list[str]) -> dict:
    import efel
    efel.set_setting("Threshold", SPIKE_THRESHOLD_MV)
    trace = {"T": np.asarray(t_ms, float), "V": np.asarray(v_mv, float), "stim_start": [float(start_ms)],
             "stim_end": [float(stop_ms)]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # eFEL warns for every feature it cannot compute
        values = efel.get_feature_values([trace], names, raise_warnings=False)[0]
    return {name: (None if values[name] is None or len(values[name]) == 0 else values[name]) for name in names}


def psp_features(t_ms, v_mv, onset_ms: float, stop_ms: float) -> dict:
    """Amplitude (mV, eFEL's ``maximum_voltage_from_voltagebase``), 10-90% rise time (ms)
    and half-width (ms) of a depolarising PSP starting at ``onset_ms``; the trace must
    settle before ``stop_ms``."""
    t, v = np.asarray(t_ms, float), np.asarray(v_mv, float)
    efel_values = _efel(t, v, onset_ms, stop_ms, ["maximum_voltage_from_voltagebase", "voltage_base"])
    if efel_values["maximum_voltage_from_voltagebase"] is None:
        raise ModelError("no PSP to measure", obj="PSP", param="trace", expected="a depolarisation after the onset")
    amplitude = float(efel_values["maximum_voltage_from_voltagebase"][0])
    base = float(efel_values["voltage_base"][0])
    window = (t >= onset_ms) & (t < stop_ms)
    tw, dv = t[window], v[window] - base
    peak = int(np.argmax(dv))
    if amplitude <= 0 or peak == 0 or peak == len(dv) - 1:
        raise ModelError("the PSP has no peak inside the window", obj="PSP", param="trace")

    def crossing(level: float, rising: bool) -> float:
        part = slice(0, peak + 1) if rising else slice(peak, len(dv))
        x, y = tw[part], dv[part]
        k = int(np.argmax(y >= level)) if rising else int(np.argmax(y <= level))
        if (rising and y[k] < level) or (not rising and y[k] > level) or k == 0:
            raise ModelError("the PSP does not cross half its amplitude inside the window", obj="PSP",
                             param="trace", hint="lengthen the window")
        return float(x[k - 1] + (level - y[k - 1]) * (x[k] - x[k - 1]) / (y[k] - y[k - 1]))
    peak_dv = float(dv[peak])
    rise = crossing(0.9 * peak_dv, True) - crossing(0.1 * peak_dv, True)
    half_width = crossing(0.5 * peak_dv, False) - crossing(0.5 * peak_dv, True)
    return {"amplitude": amplitude, "rise_time": rise, "half_width": half_width}


def peak_deflection(v_mv) -> float:
    """Largest depolarisation from the trace's first sample (mV): the amplitude of a
    back-propagating spike or of a compound PSP started from rest."""
    v = np.asarray(v_mv, float)
    return float(v.max() - v[0])


def spike_times(t_ms, v_mv, start_ms: float, stop_ms: float) -> np.ndarray:
    """Spike peak times (ms) between ``start_ms`` and ``stop_ms`` (eFEL's ``peak_time``)."""
    values = _efel(t_ms, v_mv, start_ms, stop_ms, ["peak_time"])["peak_time"]
    times = np.array([]) if values is None else np.asarray(values, float)
    return times[(times >= start_ms) & (times <= stop_ms)]


def threshold_crossings(t_ms, v_mv, threshold_mv: float = SPIKE_THRESHOLD_MV) -> np.ndarray:
    """The times (ms) ``v_mv`` crosses ``threshold_mv`` upwards, interpolated linearly
    between samples (better conditioned than peak times for comparing two runs)."""
    t, v = np.asarray(t_ms, float), np.asarray(v_mv, float)
    k = np.flatnonzero((v[:-1] < threshold_mv) & (v[1:] >= threshold_mv))
    return t[k] + (threshold_mv - v[k]) / (v[k + 1] - v[k]) * (t[k + 1] - t[k])


def spike_features(t_ms, v_mv, start_ms: float, stop_ms: float) -> dict:
    """Spike count between ``start_ms`` and ``stop_ms`` (eFEL's peaks), the rate it gives over
    that window (Hz: one spike in a 1 s step is 1 Hz, never the inverse of one interval), and
    the steady-state rate: the inverse of the mean interval over the second half of the
    intervals, None with fewer than two intervals."""
    times = spike_times(t_ms, v_mv, start_ms, stop_ms)
    intervals = np.diff(times)
    steady = intervals[len(intervals) // 2:]
    return {"spike_count": len(times), "rate": 1e3 * len(times) / (stop_ms - start_ms),
            "steady_rate": 1e3 / float(steady.mean()) if len(intervals) >= 2 else None}


def coincidence_factor(reference_ms, other_ms, duration_ms: float, precision_ms: float = 2.0) -> float:
    """Kistler et al.'s Gamma (as used by Jolivet et al. 2008): coincidences within
    +-``precision_ms``, corrected for chance (a Poisson train at the same rate), normalised
    so that identical trains give 1 and chance gives 0. Gamma can exceed 1 (more
    coincidences than the normalisation expects), so a comparison judges |1 - Gamma|. A
    window so wide that 2 x rate x window >= 1 makes the chance correction meaningless:
    refused with a ModelError, never a number."""
    ref, other = np.sort(np.asarray(reference_ms, float)), np.sort(np.asarray(other_ms, float))
    if len(ref) == 0 and len(other) == 0:
        return 1.0
    if len(ref) == 0 or len(other) == 0:
        return 0.0
    coincident, used = 0, np.zeros(len(other), dtype=bool)
    for spike in ref:  # each spike of the other train counts at most once
        near = np.where(~used & (np.abs(other - spike) <= precision_ms))[0]
        if len(near):
            used[near[np.argmin(np.abs(other[near] - spike))]] = True
            coincident += 1
    rate = len(other) / duration_ms
    chance = 2 * rate * precision_ms  # probability that a window holds a spike of a Poisson train
    if chance >= 1:
        raise ModelError(f"2 x rate x window is {chance:.3g} (rate {1e3 * rate:.3g} Hz, window +-{precision_ms:g} ms), "
                         "so chance coincidence saturates and Gamma is undefined", obj="coincidence factor",
                         param="precision_ms", expected="2 x rate x window < 1",
                         hint="use a narrower window (Jolivet et al. 2008 use 2 ms) for this rate")
    expected = chance * len(ref)
    return float((coincident - expected) / (0.5 * (len(ref) + len(other))) / (1 - chance))

"""What :func:`bridge.simulate_network` returns, whatever the simulator."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class NetworkResult:
    """``spikes``: a DataFrame with columns ``population``, ``cell`` (index in its
    population) and ``time`` (ms), sorted by time, then population and cell. ``traces``:
    ``{(population, cell): DataFrame}`` of recorded voltages (mV) indexed by time (ms).
    ``info``: simulator, ranks, dt, timings, the count and fingerprint of the connections
    and input events the simulator built, and in NEURON each rank's peak memory
    (``peak_rss_mib_per_rank``, MiB)."""

    spikes: pd.DataFrame
    traces: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)

    def rates(self, duration_ms: float, sizes: dict[str, int]) -> dict[str, float]:
        """Mean firing rate (Hz) of each population over ``duration_ms``."""
        counts = self.spikes.groupby("population").size()
        return {name: float(counts.get(name, 0)) / n / (duration_ms * 1e-3) for name, n in sizes.items()}


def spike_table(populations, cells, times) -> pd.DataFrame:
    """The sorted spike DataFrame from parallel arrays."""
    frame = pd.DataFrame({"population": np.asarray(populations, dtype=object), "cell": np.asarray(cells, dtype=int),
                          "time": np.asarray(times, dtype=float)})
    return frame.sort_values(["time", "population", "cell"], kind="stable").reset_index(drop=True)


def digest(fingerprint: tuple[int, int]) -> str:
    """The text of a fingerprint of connection or event rows
    (:func:`bridge.neuron.network_runtime.fingerprint`: order-independent, weights to
    about 12 significant digits, times and delays in whole steps): what a simulator
    built, compared across simulators and ranks."""
    return f"{fingerprint[1]:016x}"

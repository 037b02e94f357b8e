"""Round trip NMODL -> Brian 2 -> NMODL (issue "A Brian 2 model as users write it runs in
NEURON and CoreNEURON"): a channel's mod file, printed as Brian 2 equations by bridge and
read back by ``bridge.from_brian2``, gives the original's voltage trace in NEURON
(RMS <= 0.1 mV).

Each run is a subprocess (tests/round_trip_runs.py: NEURON cannot unload mechanisms, so
this process loads none); all of them start together, when the first test asks.

The cases cover what once broke the round trip: bridge's own ``ifelse`` in the printed
text (Ih's and NaTa_t's ``if (v == -154.9)``), a subexpression the derivatives and the
current both read (``v_mV = V/mV``: computed in DERIVATIVE only, BREAKPOINT read a stale
value and the sodium channel diverged), and ``bridge convert``'s constant ``area``, a name
NEURON reserves (read as ``area_``).
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tolerances import ROUND_TRIP_RMS

RUNS = Path(__file__).parent / "round_trip_runs.py"

#: (case of round_trip_runs.CASES, text of round_trip_runs.TEXTS).
CASES = [("Im", "compartment"), ("Ih", "compartment"), ("NaTa_t+SKv3_1", "compartment"), ("Im", "convert")]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """All the runs, started at once; ``runs(case, text)`` waits for one and loads it."""
    folder = tmp_path_factory.mktemp("round_trip")
    started = {}
    for case, text in CASES:
        out = folder / f"{case}-{text}.npz"
        started[case, text] = out, subprocess.Popen([sys.executable, str(RUNS), case, text, str(out)],
                                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def result(case, text):
        out, process = started[case, text]
        log, _ = process.communicate(timeout=300)
        assert process.returncode == 0, log[-3000:]
        return dict(np.load(out))
    yield result
    for _, process in started.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


def _rms(x) -> float:
    return float(np.sqrt(np.mean(np.square(x))))


@pytest.mark.slow   # 13 s of NEURON and Brian 2 runs in a subprocess (time budget of the default suite)
@pytest.mark.parametrize("case, text", CASES)
def test_round_trip_gives_the_original_trace(runs, case, text):
    """The original mod files in one NEURON section with a leak and current steps, against
    the same cell as Brian 2 equations (the channels as bridge prints them plus a membrane
    equation) converted back by from_brian2: same voltage, sample by sample, over 1 s."""
    r = runs(case, text)
    original = r["original"]
    # the comparison means something: the channels move the trace far more than the
    # tolerance (measured RMS 10 mV for Im, 11 mV for Ih, 45 mV for the spiking pair)
    assert _rms(original - r["leak"]) > 10 * ROUND_TRIP_RMS.value
    assert "error" not in r, f"{r['error_type']}: {r['error']}"
    round_trip = r["round_trip"]
    assert round_trip.shape == original.shape
    difference = round_trip - original
    rms, largest = _rms(difference), float(np.abs(difference).max())
    print(f"{case} ({text}): RMS {rms:.3g} mV, max {largest:.3g} mV")
    assert np.isfinite(round_trip).all() and rms <= ROUND_TRIP_RMS.value, (rms, largest)

"""NEURON and CoreNEURON traces of the parity models equal those recorded before the
built-in NMODL library became printer output (tests/golden/make_neuron_golden.py),
within 1e-9 mV, with identical spike times."""

from pathlib import Path

import numpy as np
import pytest

import parity_models as pm
from neuron_harness import NOT_IN_GOLDEN, NOT_IN_NMODL, run

GOLDEN = np.load(Path(__file__).parent / "golden" / "neuron_traces.npz")
#: Tolerance of the library refactor (issue "Mechanisms with one home"): the printed
#: NMODL must compute what the hand-written files did, to rounding.
GOLDEN_MAX_MV = 1e-9
CASES = [c for c in pm.CASES if c.__name__ not in NOT_IN_NMODL | NOT_IN_GOLDEN]


@pytest.mark.parametrize("simulator", ["neuron", "coreneuron"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_traces_equal_the_golden_ones(case, simulator):
    result, _ = run(case, simulator)
    for column in result.traces.columns:
        golden = GOLDEN[f"{case.__name__}/{simulator}/{column}"]
        np.testing.assert_allclose(result.traces[column].to_numpy(), golden, rtol=0, atol=GOLDEN_MAX_MV)
    np.testing.assert_array_equal(np.asarray(result.spikes, dtype=float),
                                  GOLDEN[f"{case.__name__}/{simulator}/spikes"])

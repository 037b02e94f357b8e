"""Record NEURON traces of the parity models (tests/parity_models.py) as a regression
reference for refactoring the built-in NMODL library: the library's printed mod files must
reproduce these traces within 1e-9 mV (tests/test_neuron_golden.py).

Run from the repository root:  python tests/golden/make_neuron_golden.py
Recorded with the hand-written mod/ of commit e0c3795 (before the NMODL printer).
"""

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import parity_models as pm  # noqa: E402
from neuron_harness import NOT_IN_NMODL, run  # noqa: E402

OUT = HERE / "neuron_traces.npz"


def main() -> None:
    arrays = {}
    for case in pm.CASES:
        if case.__name__ in NOT_IN_NMODL:
            continue
        for simulator in ("neuron", "coreneuron"):
            result, _ = run(case, simulator)
            for column in result.traces.columns:
                arrays[f"{case.__name__}/{simulator}/{column}"] = result.traces[column].to_numpy()
            arrays[f"{case.__name__}/{simulator}/spikes"] = np.asarray(result.spikes, dtype=float)
    np.savez_compressed(OUT, **arrays)
    print(f"{len(arrays)} arrays written to {OUT}")


if __name__ == "__main__":
    main()

"""bridge's NMODL library (``mod/``, shipped as ``bridge.mod``): which files are printed
from mechanism objects, and the one command that writes them.

The synapses (:mod:`bridge.mechanisms.synapses`) are printed by
:func:`bridge.neuron.nmodl_printer.nmodl_text`; ``tests/test_neuron_library.py`` holds
the checked-in files byte-identical to the printer's output, and the golden NEURON traces
(``tests/golden/``) to the hand-written files they replaced. The dendritic spike, the
integrate-and-fire membrane and the noise source are still written by hand: they need
constructs the mechanism object does not describe yet (WATCH and self-events, the
Crank-Nicolson reset split, RANDOM).

Regenerate after changing a mechanism (from the repository root)::

    python -m bridge.neuron.library            # writes mod/bridge_exp_syn.mod ...
    python -m bridge.neuron.library --check    # exit 1 if a checked-in file differs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..atomic import write_text_atomic
from ..mechanisms import synapses
from ..resources import packaged_dir
from .nmodl_printer import nmodl_text

#: Printed files and the mechanism each holds.
PRINTED = {
    "bridge_exp_syn.mod": synapses.exp_syn,
    "bridge_exp_syn_mg.mod": lambda: synapses.exp_syn(nmda=True),
    "bridge_exp2_syn.mod": synapses.exp2_syn,
    "bridge_exp2_syn_mg.mod": lambda: synapses.exp2_syn(nmda=True),
}
#: Files still written by hand (see the module docstring).
HAND_WRITTEN = ("bridge_dspike.mod", "bridge_if.mod", "bridge_noise.mod")

_HEADER = ("bridge's conductance synapse; what it computes and why (exact solution, mid-step gain) is\n"
           "documented in bridge/mechanisms/synapses.py.")


def printed_files() -> dict[str, str]:
    """``{file name: text}`` of every printed file of the library."""
    return {name: nmodl_text(make(), header=_HEADER) for name, make in sorted(PRINTED.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bridge.neuron.library",
                                     description="Write (or check) the printed files of bridge's NMODL library.")
    parser.add_argument("--out", default=None, help="directory to write into (default: the package's mod/)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if a file differs")
    args = parser.parse_args(argv)
    directory = Path(args.out) if args.out else packaged_dir("mod")
    differ = []
    for name, text in printed_files().items():
        path = directory / name
        if path.exists() and path.read_text() == text:
            continue
        differ.append(name)
        if not args.check:
            write_text_atomic(path, text)
    verb = "differ" if args.check else "written"
    print(f"{len(differ)} file(s) {verb}{': ' + ', '.join(differ) if differ else ''} ({directory})")
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())

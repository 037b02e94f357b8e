"""bridge's NMODL library (``mod/``, shipped as ``bridge.mod``): every file is printed from
its mechanism object by :func:`bridge.neuron.nmodl_printer.nmodl_text`, and this is the one
command that writes them.

Each mechanism has one home in :mod:`bridge.mechanisms`: the synapses
(:mod:`~bridge.mechanisms.synapses`), the dendritic spike (:mod:`~bridge.mechanisms.dspike`),
the integrate-and-fire membrane (:mod:`~bridge.mechanisms.integrate_and_fire`) and the noise
current (:mod:`~bridge.mechanisms.noise`). ``tests/test_neuron_library.py`` holds the
checked-in files byte-identical to the printer's output, and the golden NEURON traces
(``tests/golden/``) to the hand-written files they replaced.

Regenerate after changing a mechanism (from the repository root)::

    python -m bridge.neuron.library            # writes mod/bridge_exp_syn.mod ...
    python -m bridge.neuron.library --check    # exit 1 if a checked-in file differs
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ..atomic import write_text_atomic
from ..mechanisms import dspike, integrate_and_fire, noise, synapses
from ..resources import packaged_dir
from .nmodl_printer import nmodl_text

#: Printed files: the module that is each mechanism's home, and how to make it.
PRINTED = {
    "bridge_exp_syn.mod": (synapses, synapses.exp_syn),
    "bridge_exp_syn_mg.mod": (synapses, lambda: synapses.exp_syn(nmda=True)),
    "bridge_exp2_syn.mod": (synapses, synapses.exp2_syn),
    "bridge_exp2_syn_mg.mod": (synapses, lambda: synapses.exp2_syn(nmda=True)),
    "bridge_dspike.mod": (dspike, dspike.mechanism),
    "bridge_if.mod": (integrate_and_fire, integrate_and_fire.mechanism),
    "bridge_noise.mod": (noise, noise.mechanism),
}


def _header(module) -> str:
    """The file's header: the home module's title and where the rest is documented."""
    title = " ".join(module.__doc__.split(":")[0].split()).replace("``", "")
    return textwrap.fill(f"{title}; what it computes and why is documented in "
                         f"{module.__name__.replace('.', '/')}.py.", width=90)


def printed_files() -> dict[str, str]:
    """``{file name: text}`` of every printed file of the library."""
    return {name: nmodl_text(make(), header=_header(module)) for name, (module, make) in sorted(PRINTED.items())}


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

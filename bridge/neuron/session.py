"""The one place that holds NEURON's global ``h``.

:func:`hoc` imports NEURON without a GUI, loads ``stdrun.hoc`` and bridge's compiled
mechanism library (building it on first use) and points CoreNEURON at the matching
CoreNEURON library. Everything else in :mod:`bridge.neuron` asks this module for ``h``.
"""

from __future__ import annotations

import os

from ..errors import CompileError
from .build import MechanismLibrary, build

_state: dict = {}


def hoc():
    """NEURON's ``h`` with bridge's mechanisms loaded."""
    if "h" in _state:
        return _state["h"]
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h
    library = build()
    if not hasattr(h, "BrIF"):
        try:
            h.nrn_load_dll(str(library.nrnmech))
        except RuntimeError as exc:
            raise CompileError(f"could not load {library.nrnmech}: {exc}", obj="NEURON", param="nrn_load_dll",
                               hint="another mechanism library defining bridge's mechanisms is already loaded "
                                    "(an x86_64 directory in the working directory?)") from exc
    # CoreNEURON's in-memory mode loads its mechanisms from this library.
    os.environ["CORENEURONLIB"] = str(library.corenrnmech)
    h.load_file("stdrun.hoc")
    _state["h"] = h
    _state["library"] = library
    return h


def library() -> MechanismLibrary:
    """The mechanism library loaded into this process."""
    hoc()
    return _state["library"]

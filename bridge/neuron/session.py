"""The one place that holds NEURON's global ``h``.

:func:`hoc` imports NEURON without a GUI, loads ``stdrun.hoc`` and bridge's compiled
mechanism library (building it on first use) and points CoreNEURON at the matching
CoreNEURON library. Everything else in :mod:`bridge.neuron` asks this module for ``h``.
"""

from __future__ import annotations

import os

from ..errors import CompileError, SimulationError
from ..mechanisms import integrate_and_fire
from .build import build, mod_files, source_files
from .channels import needs_compiling

_state: dict = {}


def hoc():
    """NEURON's ``h`` with bridge's mechanisms loaded."""
    if "h" in _state:
        return _state["h"]
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h
    library = build()
    if not hasattr(h, integrate_and_fire.NAME):
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


def load_mechanisms(mechanisms) -> None:
    """Compile (through the build cache) and load the NMODL mechanisms of ``mechanisms``
    that this process has not loaded yet. NEURON cannot unload a mechanism, so a different
    mechanism under a name already loaded is an error."""
    h = hoc()
    loaded: dict = _state.setdefault("loaded", {})
    new = []
    for mech in mechanisms:
        if not needs_compiling(mech):
            continue
        known = loaded.get(mech.name)
        if known is None:
            new.append(mech)
        elif known.source.sha256 != mech.source.sha256:
            raise SimulationError(f"another mechanism called {mech.name!r} is already loaded in this process",
                                  obj=f"mechanism {mech.name}", param="source",
                                  hint="NEURON cannot unload mechanisms: start a new Python process")
    if not new:
        return
    library = build(source_files(new), coreneuron=False)  # CoreNEURON's build: prepare_coreneuron
    try:
        h.nrn_load_dll(str(library.nrnmech))
    except RuntimeError as exc:
        names = ", ".join(m.name for m in new)
        raise CompileError(f"could not load {names}: {exc}", obj="NEURON", param="nrn_load_dll",
                           hint="a mechanism of that name is already loaded (an x86_64 directory in the "
                                "working directory?)") from exc
    loaded.update({m.name: m for m in new})


def prepare_coreneuron() -> None:
    """Point CoreNEURON at a library holding every mechanism this process has loaded into
    NEURON (its in-memory mode loads one library, and needs each mechanism NEURON knows):
    bridge's own library, or a combined one (compiled once, cached). A mechanism that
    CoreNEURON's NMODL cannot compile, once loaded, rules CoreNEURON out for the process."""
    hoc()
    loaded = _state.get("loaded")
    if loaded:
        try:
            library = build(mod_files() + source_files(loaded.values()))
        except CompileError as exc:
            sources = "; ".join(f"{m.name}.mod is {m.source.path}" for m in loaded.values() if m.source.path)
            raise exc.amend(hint=f"{exc.hint}. CoreNEURON needs every mechanism loaded in this process; run it in "
                                 f"a process that does not load this one. {sources}")
        path = str(library.corenrnmech)
    else:
        path = os.environ.get("CORENEURONLIB", "")
    # CoreNEURON loads its library once per process; a second one would crash the process
    first = _state.setdefault("coreneuron_library", (path, sorted(loaded or ())))
    if first[0] != path:
        raise SimulationError(
            "CoreNEURON already runs in this process with another set of mechanisms "
            f"({', '.join(first[1]) or 'bridge library only'}); it cannot load a second library",
            obj="CoreNEURON", param="mechanisms",
            hint="run this model in a new Python process, or load every mechanism (run each model in NEURON) "
                 "before the first CoreNEURON run")
    os.environ["CORENEURONLIB"] = path

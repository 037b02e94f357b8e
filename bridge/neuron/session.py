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
from .separate_process import in_child

_state: dict = {}


def start_mpi() -> None:
    """Initialise NEURON's MPI in a process that ``mpiexec`` started, before anything else
    of NEURON (see :mod:`bridge.network.mpi`)."""
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h
    h.nrnmpi_init()


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


def check_coreneuron_builds(model) -> None:
    """Compile CoreNEURON's library for ``model``'s mechanisms (through the build cache,
    nothing loaded), so that a file CoreNEURON's NMODL refuses is a
    :class:`~bridge.errors.CompileError` before a validation's runs, not after them."""
    from .plan import plan_cell
    mechanisms = [m for m in plan_cell(model).mechanisms if needs_compiling(m)]
    if mechanisms:
        build(mod_files() + source_files(mechanisms))


def coreneuron_here() -> bool:
    """Point CoreNEURON at a library holding every mechanism this process has loaded into
    NEURON (its in-memory mode loads one library per process, and needs each mechanism
    NEURON knows): bridge's own library, or a combined one (compiled once, cached). False
    when this process cannot host the run: CoreNEURON already runs here with another set
    of mechanisms, or the combined library does not build (a mechanism loaded here that
    CoreNEURON's NMODL refuses); the caller then runs the model in a fresh process
    (:mod:`.separate_process`), where such a problem is an error."""
    hoc()
    loaded = _state.get("loaded") or {}
    names = sorted(loaded)
    first = _state.get("coreneuron_library")
    if first is not None and first[1] != names:
        if in_child():
            raise SimulationError(
                "CoreNEURON already runs in this process with another set of mechanisms "
                f"({', '.join(first[1]) or 'bridge library only'}); it cannot load a second library",
                obj="CoreNEURON", param="mechanisms", hint="run this model in a new Python process")
        return False
    if first is None and loaded:
        if _state.get("coreneuron_refused") == names and not in_child():
            return False
        try:
            path = str(build(mod_files() + source_files(loaded.values())).corenrnmech)
        except CompileError as exc:
            if not in_child():
                _state["coreneuron_refused"] = names   # the failed build is not cached: try once
                return False
            raise
        first = _state["coreneuron_library"] = (path, names)
    elif first is None:
        first = _state["coreneuron_library"] = (os.environ.get("CORENEURONLIB", ""), names)
    os.environ["CORENEURONLIB"] = first[0]
    return True

"""A published cell (:class:`bridge.references.HocCell` or :class:`~bridge.references.PythonCell`)
built in NEURON: its mechanisms compiled through bridge's build cache and loaded
(:func:`bridge.neuron.session.load_mechanisms`), then its HOC files loaded and its template
instantiated, or its Python file imported and its function called. The instance is released
(its sections deleted) when the context ends, even if the caller keeps the BuiltCell."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import math
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError, SimulationError
from ..references.hoc_cell import NEURON_V_INIT, HocCell, PublishedCell, PythonCell
from ..references.regions import kind_of_section
from .hoc_messages import neuron_messages
from .session import hoc, load_mechanisms

#: The section lists a published template makes public (Hay's, the Blue Brain Project's).
SECTION_LISTS = {"soma": "somatic", "basal": "basal", "apical": "apical", "axon": "axonal"}


@dataclass
class BuiltCell:
    """The template instance and its sections by kind (``soma``, ``basal``, ``apical``,
    ``axon``), from the template's section lists, or from section names without them."""

    cell: object
    sections: dict


def load_cell_mechanisms(ref: PublishedCell) -> None:
    """Compile (cached) and load the cell's NMODL files as they are (converting them is the
    reduction's business, and only for the mechanisms it keeps); a file that does not
    compile is a CompileError naming it and its line."""
    from ..convert import nmodl_file
    load_mechanisms([nmodl_file(path) for path in ref.mod_files])


#: NEURON's temperature (degrees C) when nothing sets ``celsius``.
NEURON_CELSIUS = 6.3

#: NEURON's globals a cell's files may set that bridge honours: the temperature (degrees C)
#: and the initial voltage (mV, ``v_init``, which NEURON's standard run system starts from).
_SET_BY_FILES = ("celsius", "v_init")

#: What each cell's files set of :data:`_SET_BY_FILES` (None: not set), by the files, seen the
#: first time the cell is built in this process: a HOC file runs its top-level statements once.
_FILES_SET: dict[tuple, dict[str, float | None]] = {}


def _set_by_files(ref: PublishedCell, name: str) -> float | None:
    return _FILES_SET.get(tuple(ref.files), {}).get(name)


def files_temperature(ref: PublishedCell) -> float | None:
    """The temperature (degrees C) the cell's own files set when they were first loaded and
    the cell built, None if they set none (or the cell was not built in this process)."""
    return _set_by_files(ref, "celsius")


def files_initial_voltage(ref: PublishedCell) -> float | None:
    """The ``v_init`` (V) the cell's own files set when they were first loaded and the cell
    built in this process, None if they set none."""
    own = _set_by_files(ref, "v_init")
    return None if own is None else own * 1e-3


def initial_voltage(ref: PublishedCell) -> float:
    """The voltage (V) every run of the cell starts from: ``ref.v_init`` when given, else the
    ``v_init`` its own files set when they were first loaded and the cell built in this
    process (as NEURON's ``run()`` would start from it), else NEURON's -65 mV."""
    if ref.v_init is not None:
        return ref.v_init
    own = files_initial_voltage(ref)
    return NEURON_V_INIT if own is None else own


@contextlib.contextmanager
def instantiated(ref: PublishedCell):
    """``(h, BuiltCell)`` of ``ref`` in NEURON, at its temperature: ``ref.celsius`` when
    given (it wins over what the files set), else the one its files set, else NEURON's 6.3.
    The ``v_init`` the files set is kept for :func:`initial_voltage`; NEURON's is left as
    it was."""
    h = hoc()
    load_cell_mechanisms(ref)
    h.load_file("import3d.hoc")
    saved = {name: getattr(h, name) for name in _SET_BY_FILES}
    marks = _while_building(h, ref, saved)
    try:
        cell = _hoc_instance(h, ref) if isinstance(ref, HocCell) else _python_instance(ref)
    except BaseException:
        for name, value in saved.items():
            setattr(h, name, value)
        raise
    _FILES_SET.setdefault(tuple(ref.files), {name: None if getattr(h, name) == marks[name] else float(getattr(h, name))
                                             for name in _SET_BY_FILES})
    h.v_init = saved["v_init"]
    own = files_temperature(ref)
    h.celsius = ref.celsius if ref.celsius is not None else NEURON_CELSIUS if own is None else own
    built = BuiltCell(cell, _sections(cell))
    try:
        yield h, built
    finally:
        h.celsius = saved["celsius"]
        # the instance (and with it its sections) is freed only once nothing refers to it:
        # a caller's BuiltCell that outlives the context must not keep it simulating
        built.cell, built.sections = None, {}
        del cell


def _while_building(h, ref: PublishedCell, saved: dict) -> dict:
    """Sets what the cell's code reads of :data:`_SET_BY_FILES` while it builds, and returns
    the marks that show, after, whether its files set them. Code that builds a cell may read
    them (Mainen and Sejnowski's sets every leak's reversal to ``v_init``), so each holds a
    usable value: the one the cell's files set when first loaded in this process (a HOC
    file's top-level statements run once, and NEURON would keep what they set), else
    NEURON's value one float step above what it was, a value no file writes, so that a file
    setting it, even to the value it had, shows itself."""
    known = _FILES_SET.get(tuple(ref.files), {})
    marks = {}
    for name in _SET_BY_FILES:
        marks[name] = math.nextafter(saved[name], math.inf) if known.get(name) is None else known[name]
        setattr(h, name, marks[name])
    return marks


def _hoc_instance(h, ref: HocCell):
    for path in ref.hoc_files:
        with neuron_messages() as printed:
            try:
                loaded = h.load_file(str(path))   # once per file: a template cannot be defined twice
            except RuntimeError:   # hoc_execerror: another file of this process defined its template
                loaded = False
        if not loaded:
            cause = printed.first_error
            if cause is not None:
                raise ModelError(f"NEURON could not load {path.name}: {cause.message}", obj=cause.where,
                                 param="hoc_files", hint=cause.hint)
            raise ModelError(f"NEURON could not load {path.name}", obj=str(path), param="hoc_files",
                             hint="NEURON printed the file's error and line above (a template another file "
                             "defined in this process cannot be defined again: run this cell in a new process)")
    with neuron_messages() as printed:
        try:
            return getattr(h, ref.template)(*ref.args)
        except RuntimeError as exc:
            failed = exc
    cause = printed.first_error
    call = f"{ref.template}({', '.join(map(repr, ref.args))})"
    if cause is not None:
        raise SimulationError(f"{call} failed: NEURON: {cause.message}", obj=cause.where, param="template",
                              hint=cause.hint) from None
    raise SimulationError(f"{call} failed: {failed}", obj=f"detailed cell {ref.name}", param="template",
                          hint="NEURON printed the template's error above") from None


#: The modules of the Python cell files imported in this process, by path: a file runs once
#: (it may define HOC templates, which NEURON cannot define twice).
_MODULES: dict[Path, object] = {}


def _python_instance(ref: PythonCell):
    with neuron_messages() as printed:
        try:
            return _python_call(ref)
        except SimulationError as error:
            failed = error
    cause = printed.first_error
    if cause is None:
        raise failed
    raise SimulationError(f"{ref.function}({', '.join(map(repr, ref.args))}) failed: NEURON: {cause.message}",
                          obj=cause.where, param="function", hint=cause.hint) from None


def _python_call(ref: PythonCell):
    path = ref.file.resolve()
    try:
        if path not in _MODULES:
            name = f"bridge_cell_{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            _MODULES[path] = module
        return getattr(_MODULES[path], ref.function)(*ref.args)
    except Exception as exc:
        line = next((f.lineno for f in reversed(traceback.extract_tb(exc.__traceback__))
                     if Path(f.filename).resolve() == path), None)
        where = f"{path}:{line}" if line else str(path)
        raise SimulationError(f"{ref.function}({', '.join(map(repr, ref.args))}) failed: "
                              f"{type(exc).__name__}: {exc}", obj=where, param="function",
                              hint=f"the error is in {path.name}; run the file's function in Python to see it "
                                   "whole") from None


def _sections(cell) -> dict:
    found = {}
    for kind, listname in SECTION_LISTS.items():
        listed = getattr(cell, listname, None)
        if listed is not None:
            found[kind] = list(listed)
    if not found:
        found = {}
        for sec in cell.all if hasattr(cell, "all") else []:
            found.setdefault(kind_of_section(sec.name()), []).append(sec)
    if not found.get("soma"):
        raise ModelError("the cell has no soma", obj=str(cell), param="template",
                         hint="its template should make a 'somatic' SectionList public, or name a section soma")
    return found

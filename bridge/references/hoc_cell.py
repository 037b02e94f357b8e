"""A published detailed cell as its authors ship it, with a folder of NMODL mechanisms (its
active membrane), in one of two forms: HOC files to load and a template to instantiate with
its arguments (:class:`HocCell`), or a Python file whose ``cell(*args)`` returns the
instance (:class:`PythonCell`). This module only describes them (checked when built);
:mod:`bridge.neuron.hoc_cell` builds them in NEURON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from ..model.checks import check_number


#: NEURON's default initial voltage (V), ``h.v_init``.
NEURON_V_INIT = -65e-3


@dataclass(frozen=True, kw_only=True)
class PublishedCell:
    """What both forms share (keywords): ``args``, ``celsius`` (degrees Celsius, the
    temperature its channels see; None: the one its own files set, see
    :func:`bridge.neuron.hoc_cell.instantiated`), ``v_init`` (V, the voltage every run starts from;
    None: the one its own files set, else NEURON's -65 mV, see
    :func:`bridge.neuron.hoc_cell.initial_voltage`) and ``name``; and
    each form's ``mod_dir`` (None: the cell uses only NEURON's built-in mechanisms, such as
    hh and pas). String arguments naming a file (a morphology, a parameter file) are
    resolved beside the cell's first file and must exist."""

    args: tuple = ()
    celsius: float | None = None
    v_init: float | None = None
    name: str = "cell"

    @property
    def files(self) -> tuple[Path, ...]:
        """The files that define the cell (HOC files, or the Python file)."""
        raise NotImplementedError

    def _check_shared(self, obj: str) -> None:
        if self.mod_dir is not None:   # each form declares its own mod_dir
            mod_dir = Path(self.mod_dir)
            if not mod_dir.is_dir() or not sorted(mod_dir.glob("*.mod")):
                raise ModelError(f"{str(mod_dir)!r} holds no .mod files", obj=obj, param="mod_dir",
                                 hint="give the folder of the cell's NMODL mechanisms, or none if it uses only "
                                      "NEURON's built-in ones (hh, pas)")
            object.__setattr__(self, "mod_dir", mod_dir)
        first, args = self.files[0], []
        for arg in self.args:
            if isinstance(arg, (str, Path)) and re.fullmatch(r"\.[A-Za-z]\w*", Path(arg).suffix):   # a file name
                beside = first.parent / arg
                found = Path(arg) if Path(arg).is_file() else beside
                if not found.is_file():
                    raise ModelError(f"file {str(arg)!r} does not exist", obj=obj, param="args",
                                     hint=f"give the file's path, or put it beside {first.name}")
                arg = str(found)
            args.append(arg)
        object.__setattr__(self, "args", tuple(args))
        check_number(self.celsius, obj, "celsius", unit="degC")
        check_number(self.v_init, obj, "v_init", unit="V")

    @property
    def mod_files(self) -> list[Path]:
        return [] if self.mod_dir is None else sorted(Path(self.mod_dir).glob("*.mod"))


@dataclass(frozen=True)
class HocCell(PublishedCell):
    """``template(*args)`` after loading ``hoc_files`` (in order), with the mechanisms of
    ``mod_dir`` (if any) compiled and loaded."""

    hoc_files: tuple[Path, ...]
    template: str
    mod_dir: Path | None = None

    def __post_init__(self):
        obj = f"detailed cell {self.name}"
        files = tuple(Path(f) for f in self.hoc_files)
        if not files:
            raise ModelError("no HOC files to load", obj=obj, param="hoc_files",
                             expected="the files defining the template")
        for path in files:
            if not path.is_file():
                raise ModelError(f"HOC file {str(path)!r} does not exist", obj=obj, param="hoc_files",
                                 hint="give the paths of the cell's .hoc files")
        object.__setattr__(self, "hoc_files", files)
        if not isinstance(self.template, str) or not self.template.isidentifier():
            raise ModelError(f"{self.template!r} is not a template name", obj=obj, param="template",
                             expected="the name after begintemplate, e.g. L5PCtemplate")
        pattern = re.compile(rf"^\s*begintemplate\s+{self.template}\b", re.M)
        defined = [p.name for p in files if pattern.search(p.read_text())]
        if not defined:
            raise ModelError(f"no file defines the template {self.template!r}", obj=obj, param="template",
                             expected=f"a 'begintemplate {self.template}' in one of {', '.join(p.name for p in files)}")
        self._check_shared(obj)

    @property
    def files(self) -> tuple[Path, ...]:
        return self.hoc_files


@dataclass(frozen=True)
class PythonCell(PublishedCell):
    """``function(*args)`` of the Python file ``file`` (a module NEURON's ``h`` is imported in,
    returning an object whose ``somatic``, ``basal``, ``apical`` and ``axonal`` lists, or
    whose ``all`` list of Import3d-named sections, hold the cell), with the mechanisms of
    ``mod_dir`` (if any) compiled and loaded before the file runs."""

    file: Path
    mod_dir: Path | None = None
    function: str = "cell"

    def __post_init__(self):
        obj = f"detailed cell {self.name}"
        path = Path(self.file)
        if not path.is_file() or path.suffix != ".py":
            raise ModelError(f"Python file {str(path)!r} does not exist", obj=obj, param="file",
                             hint="give the path of the .py file that defines the cell")
        object.__setattr__(self, "file", path)
        if not isinstance(self.function, str) or not self.function.isidentifier():
            raise ModelError(f"{self.function!r} is not a function name", obj=obj, param="function", expected="cell")
        if not re.search(rf"^def\s+{self.function}\s*\(", path.read_text(), re.M):
            raise ModelError(f"{path.name} defines no function {self.function}()", obj=obj, param="function",
                             expected=f"a top-level 'def {self.function}(...)' returning the cell")
        self._check_shared(obj)

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.file,)


def hay_l5pc() -> HocCell:
    """Hay et al. 2011's layer-5 pyramidal cell (model 3, morphology cell1), as shipped in
    ``validation/hay_l5pc`` (README there: source, citation, licence), at the temperature of
    his protocols (his files set none)."""
    from ..resources import packaged_dir
    folder = packaged_dir("validation") / "hay_l5pc"
    return HocCell((folder / "L5PCbiophys3.hoc", folder / "L5PCtemplate.hoc"), "L5PCtemplate", folder / "mod",
                   args=("cell1.asc",), celsius=34.0, name="hay_l5pc")


def allen_scnn1a() -> PythonCell:
    """The Allen Institute's perisomatic model 472363762 of a Scnn1a-Tg3-Cre layer-4 cell
    (SWC morphology 473845048), as shipped in ``validation/allen_scnn1a`` (README there:
    source, citation, licence), at its fit's temperature and initial voltage."""
    from ..resources import packaged_dir
    folder = packaged_dir("validation") / "allen_scnn1a"
    return PythonCell(folder / "cell.py", folder / "mod", celsius=34.0, v_init=-92.49911499023438e-3,
                      name="allen_scnn1a")

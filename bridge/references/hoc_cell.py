"""A published detailed cell as its authors ship it: HOC files to load, a template to
instantiate with its arguments, and a folder of NMODL mechanisms (its active membrane).
This module only describes it (checked when built); :mod:`bridge.neuron.hoc_cell` builds
it in NEURON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from ..model.checks import check_number


#: NEURON's default initial voltage (V), ``h.v_init``.
NEURON_V_INIT = -65e-3


@dataclass(frozen=True)
class HocCell:
    """``template(*args)`` after loading ``hoc_files`` (in order), with the mechanisms of
    ``mod_dir`` compiled and loaded. ``celsius`` (degrees Celsius) is the temperature its
    channels see; ``v_init`` (V, None: NEURON's default, -65 mV) the initial voltage
    (:attr:`initial_voltage`). String arguments naming a file beside the HOC files (a morphology) are
    resolved there and must exist."""

    hoc_files: tuple[Path, ...]
    template: str
    mod_dir: Path
    args: tuple = ()
    celsius: float = 34.0
    v_init: float | None = None
    name: str = "cell"

    def __post_init__(self):
        obj = f"detailed cell {self.name}"
        files = tuple(Path(f) for f in self.hoc_files)
        if not files:
            raise ModelError("no HOC files to load", obj=obj, param="hoc_files", expected="the files defining the template")
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
        mod_dir = Path(self.mod_dir)
        if not mod_dir.is_dir() or not sorted(mod_dir.glob("*.mod")):
            raise ModelError(f"{str(mod_dir)!r} holds no .mod files", obj=obj, param="mod_dir",
                             hint="give the folder of the cell's NMODL mechanisms")
        object.__setattr__(self, "mod_dir", mod_dir)
        args = []
        for arg in self.args:
            if isinstance(arg, (str, Path)) and re.fullmatch(r"\.[A-Za-z]\w*", Path(arg).suffix):   # a file name
                beside = files[0].parent / arg
                found = Path(arg) if Path(arg).is_file() else beside
                if not found.is_file():
                    raise ModelError(f"file {str(arg)!r} does not exist", obj=obj, param="args",
                                     hint=f"give the morphology's path, or put it beside {files[0].name}")
                arg = str(found)
            args.append(arg)
        object.__setattr__(self, "args", tuple(args))
        check_number(self.celsius, obj, "celsius", optional=False, unit="degC")
        check_number(self.v_init, obj, "v_init", unit="V")

    @property
    def initial_voltage(self) -> float:
        """The voltage (V) every run of the cell starts from: ``v_init``, else NEURON's -65 mV."""
        return NEURON_V_INIT if self.v_init is None else self.v_init

    @property
    def mod_files(self) -> list[Path]:
        return sorted(self.mod_dir.glob("*.mod"))


def hay_l5pc() -> HocCell:
    """Hay et al. 2011's layer-5 pyramidal cell (model 3, morphology cell1), as shipped in
    ``validation/hay_l5pc`` (README there: source, citation, licence)."""
    from ..resources import packaged_dir
    folder = packaged_dir("validation") / "hay_l5pc"
    return HocCell((folder / "L5PCbiophys3.hoc", folder / "L5PCtemplate.hoc"), "L5PCtemplate", folder / "mod",
                   args=("cell1.asc",), name="hay_l5pc")

"""References read from morphology files: an SWC file (any), and the files that ship with
the installed simulators (located at run time, never copied)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from ..model.checks import check_number
from ..resources import installed_package_dir
from .leak import SigmoidLeak


def _package_dir(package: str) -> Path:
    found = installed_package_dir(package)
    if found is None:
        raise ModelError(f"the {package!r} package is not installed", obj="reference", param="morphology",
                         hint=f"pip install {package}")
    return found


def neuron_demo_file(name: str) -> Path:
    """A file of the installed ``neuron`` package's demo directory (e.g. ``pyramid.nrn``)."""
    path = _package_dir("neuron") / ".data" / "share" / "nrn" / "demo" / name
    if not path.is_file():
        raise ModelError(f"{name} is not in the installed NEURON's demo directory", obj="reference",
                         param="morphology", expected=str(path.parent))
    return path


def brian2_example_swc() -> Path:
    """The SWC morphology that ships inside the ``brian2`` package."""
    found = sorted((_package_dir("brian2") / "spatialneuron").glob("*.swc"))
    if not found:
        raise ModelError("no SWC file in the installed brian2 package", obj="reference", param="morphology")
    return found[0]


@dataclass(frozen=True)
class FileReference:
    """A neuron whose morphology is read from ``path``, with a passive membrane: ``cm``
    (F/m2), ``gl`` (S/m2), ``r_axial`` (ohm*m), ``v_rest`` (V). Segments follow the
    d_lambda rule (``d_lambda`` of the length constant at 100 Hz). The leak is ``gl``
    everywhere, or, with a ``leak_profile`` (e.g. :class:`~bridge.references.SigmoidLeak`),
    varies with where a segment lies; ``gl`` must then be the profile's somatic value,
    the leak of every segment outside the profile."""

    path: Path
    cm: float = 0.01
    gl: float = 0.5
    r_axial: float = 1.5
    v_rest: float = -65e-3
    d_lambda: float = 0.1
    name: str = "reference"
    leak_profile: SigmoidLeak | None = None

    file_kind = "a morphology"  # for error messages (a class attribute, not a field)

    def __post_init__(self):
        object.__setattr__(self, "path", Path(self.path))
        obj = f"reference {self.name}"
        if not self.path.is_file():
            raise ModelError(f"morphology file {str(self.path)!r} does not exist", obj=obj, param="path",
                             hint=f"give the path of {self.file_kind} file")
        for attr, unit in (("cm", "F/m^2"), ("gl", "S/m^2"), ("r_axial", "ohm*m"), ("d_lambda", "1")):
            check_number(getattr(self, attr), obj, attr, positive=True, optional=False, unit=unit)
        profile = self.leak_profile
        if profile is not None:
            if not isinstance(profile, SigmoidLeak):
                raise ModelError(f"{profile!r} is not a leak profile", obj=obj, param="leak_profile",
                                 expected="None or a bridge.references.SigmoidLeak")
            if abs(profile.gl_soma - self.gl) > 1e-9 * self.gl:
                raise ModelError(f"gl is {self.gl:g} S/m^2 but the leak profile's somatic value is "
                                 f"{profile.gl_soma:g} S/m^2", obj=obj, param="gl",
                                 hint="give gl = 1/Rm_soma: the soma and the segments outside the profile have it")

    @property
    def time_constant(self) -> float:
        """cm/gl (s): for a uniform passive membrane the slowest time constant; with a
        leak profile, cm over the smallest leak anywhere, an upper bound on it (the
        reference's own slowest time constant is then measured, not known)."""
        return self.cm / (self.gl if self.leak_profile is None else self.leak_profile.gl_min)


@dataclass(frozen=True)
class SWCReference(FileReference):
    """A neuron read from an SWC file (see :class:`FileReference`)."""

    name: str = "swc"
    file_kind = "an SWC"


@dataclass(frozen=True)
class NRNReference(FileReference):
    """A neuron described by a NEURON geometry file (HOC ``create``/``pt3dadd``), such as
    ``pyramid.nrn`` (cell c91662) from NEURON's demo directory (see
    :class:`FileReference`); with ``active_soma`` the soma also gets Hodgkin-Huxley
    channels (NEURON's ``hh``)."""

    active_soma: bool = False
    name: str = "c91662"
    file_kind = "a NEURON geometry (.nrn/.hoc)"


def c91662(**passive) -> NRNReference:
    """The pyramidal cell c91662 (``pyramid.nrn`` in the installed NEURON's demos)."""
    return NRNReference(neuron_demo_file("pyramid.nrn"), **passive)

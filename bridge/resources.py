"""Where files are: the folders that live at the top of the repository and ship inside
the package (``mod/`` as bridge.mod, ``hoc/`` as bridge.hoc, ``validation/`` as
bridge.validation), and the data that ships inside the installed simulators."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path


def packaged_dir(name: str) -> Path:
    """The shipped folder ``name``: where the installed package (editable or not) puts
    ``bridge.<name>``, else the source tree's top-level folder."""
    try:
        spec = find_spec(f"bridge.{name}")
    except ModuleNotFoundError:
        spec = None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        if Path(location).is_dir():
            return Path(location)
    return Path(__file__).resolve().parents[1] / name


def installed_package_dir(package: str) -> Path | None:
    """The folder of an installed package (found without importing it), or None."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def neuron_share_dir() -> Path | None:
    """``share/`` of the installed ``neuron`` wheel (NEURON's own mod files, demos,
    nrnunits.lib), found without importing NEURON; None when NEURON is not installed."""
    package = installed_package_dir("neuron")
    return None if package is None else package / ".data" / "share"

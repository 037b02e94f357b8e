"""Folders that live at the top of the repository and ship inside the package:
``mod/`` (bridge.mod), ``hoc/`` (bridge.hoc) and ``validation/`` (bridge.validation)."""

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

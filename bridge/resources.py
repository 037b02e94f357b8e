"""Folders that live at the top of the repository and ship inside the package:
``mod/`` (bridge.mod), ``hoc/`` (bridge.hoc) and ``validation/`` (bridge.validation)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def packaged_dir(name: str) -> Path:
    """The shipped folder ``name`` (installed package or source tree)."""
    try:
        found = Path(str(resources.files(f"bridge.{name}")))
        if found.is_dir():
            return found
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[1] / name

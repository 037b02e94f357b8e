"""Atomic file output: write beside the target, then rename into place. What appears has
the permissions any new file or folder gets here (the process's umask), not the private
ones of the temporary it was staged in."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place, so an
    interrupted write never leaves a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_folder_atomic(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` ({relative path: text}) as the folder ``folder``: everything goes to a
    temporary folder beside it, which then takes its place, so a failure leaves the old
    folder (or none) and never a partial one."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    old = None
    try:
        for name, text in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        os.chmod(staging, 0o777 & ~_umask())
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            os.replace(folder, old / folder.name)
        os.replace(staging, folder)
    except BaseException:
        import shutil
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not folder.exists():
            os.replace(old / folder.name, folder)
        raise
    finally:
        if old is not None:
            import shutil
            shutil.rmtree(old, ignore_errors=True)
    return folder

"""Writing a validation report directory atomically: ``report.html``, ``summary.json``
(``ValidationResult.summary()``) and the data files of bridge.report.data."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path

from .data import write_tables
from .page import render_html


def _json_safe(value):
    """``value`` with NaN and infinities as null (JSON has no NaN)."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_report(result, directory) -> Path:
    """Write ``report.html``, ``summary.json`` and the CSV files (``features.csv``, the long
    format; ``parity.csv``; one per protocol table: ``traces.csv``, ``epsp_sites.csv``, ...)
    into ``directory``: built in a temporary sibling directory and renamed into place, so an
    interrupted run leaves the previous report (or none), never a half-written one."""
    directory = Path(directory).resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a report is for sharing
    try:
        write_tables(result, staging)
        (staging / "summary.json").write_text(json.dumps(_json_safe(result.summary()), indent=2, allow_nan=False))
        (staging / "report.html").write_text(render_html(result))
        old = None
        if directory.exists():
            old = directory.with_name(f".{directory.name}-old-{os.getpid()}")
            os.replace(directory, old)
        os.replace(staging, directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory

"""The one progress bar of bridge's long commands (``bridge validate``, ``bridge reduce``):
one line on stderr, redrawn in place."""

from __future__ import annotations

import sys

WIDTH = 24
#: Whether a bar is drawn on stderr's current line and not finished yet.
_open = False


def progress_bar(label: str, step: int, total: int, text: str = "", enabled: bool = True) -> None:
    """Draw ``label [####....] step/total text``; a newline once ``step == total``."""
    global _open
    if not enabled or total <= 0:
        return
    done = int(WIDTH * step / total)
    sys.stderr.write(f"\r{label} [{'#' * done}{'.' * (WIDTH - done)}] {step}/{total} {text:<40}")
    if step == total:
        sys.stderr.write("\n")
    _open = step != total
    sys.stderr.flush()


def end_line() -> None:
    """End an unfinished bar's line (before a message on stderr: an error mid-way)."""
    global _open
    if _open:
        sys.stderr.write("\n")
        sys.stderr.flush()
        _open = False

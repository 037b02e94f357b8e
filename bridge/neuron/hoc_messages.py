"""NEURON's own error messages, read as NEURON writes them.

When HOC code fails, NEURON prints the cause and where it is to Python's ``sys.stderr``
(``NEURON: cad is not a MECHANISM`` / `` in demofig1.hoc near line 224``) and then
raises, in Python, only the last, outermost line (``hoc_execerror: hoc_Load_file
demofig1.hoc``). :func:`neuron_messages` lets those lines through to the terminal as
before and keeps a copy, so that bridge's error can name the first cause, its file and
its line."""

from __future__ import annotations

import contextlib
import re
import sys
from dataclasses import dataclass

#: ``NEURON: <message>`` then `` in <file> near line <n>`` (the lines NEURON's hoc_execerror
#: prints), then the offending line of code.
_ERROR = re.compile(r"^NEURON: (?P<message>.+?)\s*\n\s*in (?P<file>\S+) near line (?P<line>\d+)\s*\n(?P<code>.*)$",
                    re.MULTILINE)


@dataclass(frozen=True)
class HocError:
    """One error NEURON reported: its ``message``, the ``file`` and ``line`` it names, and
    the ``code`` of that line."""

    message: str
    file: str
    line: int
    code: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def hint(self) -> str:
        """How to fix the commonest causes, else where to look."""
        if self.message.endswith("is not a MECHANISM"):
            name = self.message.split()[0]
            return (f"the cell inserts {name}, which is not compiled: put its .mod file in the folder given as "
                    "--mod (the cell's files are loaded with the mechanisms of that folder only)")
        if self.message.endswith("a template cannot be redefined"):
            return ("NEURON cannot define a template twice, and another file of this process defined it: run this "
                    "cell in a new process")
        return f"the line is `{self.code.strip()}` in {self.file}"


class NeuronMessages:
    """What NEURON printed inside :func:`neuron_messages` (``text``), and the errors in it."""

    text: str = ""

    @property
    def errors(self) -> list[HocError]:
        return [HocError(m["message"], m["file"], int(m["line"]), m["code"]) for m in _ERROR.finditer(self.text)]

    @property
    def first_error(self) -> HocError | None:
        """The first error NEURON reported: the cause (the later ones are the files and
        procedures that called it)."""
        found = self.errors
        return found[0] if found else None


class _Tee:
    """A stream that passes what is written on to ``stream`` and keeps a copy."""

    def __init__(self, stream):
        self.stream, self.kept = stream, []

    def write(self, text: str) -> int:
        self.kept.append(text)
        return self.stream.write(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


@contextlib.contextmanager
def neuron_messages():
    """A :class:`NeuronMessages` filled, when the block ends, with what was written to
    ``sys.stderr`` inside it (NEURON, run from Python, prints its errors there), which
    still reaches it."""
    seen = NeuronMessages()
    real = sys.stderr
    tee = sys.stderr = _Tee(real)
    try:
        yield seen
    finally:
        sys.stderr = real
        seen.text = "".join(tee.kept)

"""Exception types raised by bridge.

Every error says *what* is wrong, *where* (the object and parameter), and, where
one exists, *how to fix it*. The command line prints ``str(error)`` on one line.
"""

from __future__ import annotations

import re


class BridgeError(Exception):
    """Base class of every error bridge raises on purpose.

    Parameters
    ----------
    message:
        What is wrong.
    obj:
        The object concerned (a compartment name, a file path, ...).
    param:
        The parameter concerned.
    expected:
        What would have been valid (a unit, a range, a list of names).
    hint:
        How to fix it.
    """

    def __init__(self, message: str, *, obj: str | None = None, param: str | None = None,
                 expected: str | None = None, hint: str | None = None):
        self.message = message
        self.obj = obj
        self.param = param
        self.expected = expected
        self.hint = hint
        super().__init__(self._compose())

    def __reduce__(self):
        # pickled with its fields (an error raised in a separate process is re-raised here)
        return _rebuild, (type(self), self.message, self.obj, self.param, self.expected, self.hint)

    def amend(self, **fields) -> "BridgeError":
        """Change ``obj``, ``param``, ``expected`` or ``hint`` of a caught error (adding where
        it happened or what to do) and recompose its message; returns the error to re-raise."""
        for name, value in fields.items():
            if name not in ("obj", "param", "expected", "hint"):
                raise TypeError(f"a bridge error has no field {name!r}")
            setattr(self, name, value)
        self.args = (self._compose(),)
        return self

    def _compose(self) -> str:
        # a place in a file (``cell.mod:94``) reads as compilers print it: ``cell.mod:94: VERBATIM``
        joint = ": " if self.obj and _FILE_LINE.search(self.obj) else "."
        where = joint.join(p for p in (self.obj, self.param) if p)
        text = f"{where}: {self.message}" if where else self.message
        if self.expected:
            text += f" (expected {self.expected})"
        if self.hint:
            text += f". {self.hint}"
        return text


#: The end of an ``obj`` that is a line of a file.
_FILE_LINE = re.compile(r"\S:\d+$")


def _rebuild(kind, message, obj, param, expected, hint) -> BridgeError:
    return kind(message, obj=obj, param=param, expected=expected, hint=hint)


class UnitError(BridgeError, TypeError):
    """A value is unitless where a unit is needed, or has the wrong dimension."""


class ModelError(BridgeError, ValueError):
    """A model description is invalid (bad geometry, bad value, inconsistent parts)."""


class UnknownNameError(ModelError, KeyError):
    """A name (compartment, synapse, mechanism, parameter, model) does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self._compose()


class DuplicateNameError(ModelError):
    """A name is used twice where it must be unique."""


class TopologyError(ModelError):
    """The coupling graph is invalid: self-connections, unconnected parts, cycles."""


class SchemaError(BridgeError, ValueError):
    """A serialised model cannot be read (corrupt file, wrong or newer schema)."""


class ConversionError(BridgeError, ValueError):
    """A source file (NMODL, Brian 2 code) cannot be read: missing, a syntax error, an
    unknown unit or symbol; ``obj`` names the file and line (``path:line``)."""


class UnsupportedFeatureError(BridgeError):
    """A feature exists in the source format but bridge cannot express it yet."""


class SimulationError(BridgeError, RuntimeError):
    """A simulation cannot be set up or run."""


class CompileError(BridgeError):
    """Compiling NMODL mechanisms failed; ``obj`` names the mod file (and line, when known)."""

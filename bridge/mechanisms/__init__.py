"""Mechanisms, each with one home: one object per mechanism, shaped like NMODL blocks,
which the Brian 2 and NEURON printers read."""

from .mechanism import (BUILTIN_SYMBOLS, ION_VALENCE, ONE, Assign, Current, Derivative, IonUse, Mechanism, Source,
                        Unit, Variable)

__all__ = ["BUILTIN_SYMBOLS", "ION_VALENCE", "ONE", "Assign", "Current", "Derivative", "IonUse", "Mechanism",
           "Source", "Unit", "Variable"]

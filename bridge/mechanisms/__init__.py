"""Mechanisms, each with one home: one object per mechanism, shaped like NMODL blocks,
which the Brian 2 and NEURON printers read."""

from .mechanism import (BUILTIN_SYMBOLS, CALLS, ION_VALENCE, ONE, Assign, Call, Current, Derivative, If, IonUse,
                        Mechanism, Source, Unit, Variable, walk)

__all__ = ["BUILTIN_SYMBOLS", "CALLS", "ION_VALENCE", "ONE", "Assign", "Call", "Current", "Derivative", "If", "IonUse",
           "Mechanism", "Source", "Unit", "Variable", "walk"]

"""Functions that generated Brian 2 equations call beyond Brian 2's own.

``ifelse(condition, a, b)``: ``a`` where ``condition`` holds, else ``b`` (NMODL's
``if``/``else`` assignments as one value). Both branches are evaluated, as in compiled
code; the branch not taken may be infinite without harm.
"""

from __future__ import annotations

import numpy as np
from brian2.core.functions import Function

_CPP = ("static inline double _bridge_ifelse(const bool condition, const double a, const double b)\n"
        "{\n    return condition ? a : b;\n}\n")
_CYTHON = "cdef double _bridge_ifelse(bint condition, double a, double b):\n    return a if condition else b\n"


def _ifelse_numpy(condition, a, b):
    with np.errstate(all="ignore"):
        return np.where(condition, a, b)


def _make_ifelse() -> Function:
    function = Function(_ifelse_numpy, arg_units=[1, 1, 1], return_unit=1, arg_types=["boolean", "any", "any"],
                        return_type="float", arg_names=["condition", "a", "b"])
    # numpy: call np.where directly, without Brian 2's unit-checking wrapper (which formats
    # the result into a message at every call: 39 s instead of 0.5 s for 500 ms of hh).
    function.implementations.add_numpy_implementation(_ifelse_numpy)
    function.implementations.add_implementation("cpp", code=_CPP, name="_bridge_ifelse")
    function.implementations.add_implementation("cython", code=_CYTHON, name="_bridge_ifelse")
    return function


ifelse = _make_ifelse()

#: Names generated equations may call, for a NeuronGroup's namespace.
FUNCTIONS = {"ifelse": ifelse}

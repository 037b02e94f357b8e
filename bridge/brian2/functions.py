"""Functions that generated Brian 2 equations call beyond Brian 2's own.

``ifelse(condition, a, b)``: ``a`` where ``condition`` holds, else ``b`` (NMODL's
``if``/``else`` assignments as one value). Both branches are evaluated, as in compiled
code; the branch not taken may be infinite without harm.

``divide(a, b)``: ``a / b`` as C divides, inf or NaN where ``b`` is 0, never an error. The
branches of an NMODL if/else divide by what its condition guards (efun's z/(exp(z) - 1),
taken only where z is not 0), and Brian 2's Cython target raises ZeroDivisionError at a
division by zero even in the branch not taken; bridge prints such divisions as divide().
"""

from __future__ import annotations

import numpy as np
import sympy
from brian2.core.functions import DEFAULT_FUNCTIONS, Function

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

_DIVIDE_CPP = "static inline double _bridge_divide(const double a, const double b)\n{\n    return a / b;\n}\n"
_DIVIDE_CYTHON = ("cdef double _bridge_divide(double a, double b):\n    with _cython.cdivision(True):\n"
                  "        return a / b\n")


def _divide_numpy(a, b):
    with np.errstate(all="ignore"):
        return np.divide(a, b)


def _make_divide() -> Function:
    function = Function(_divide_numpy, arg_units=[1, 1], return_unit=1, arg_names=["a", "b"], return_type="float")
    function.implementations.add_numpy_implementation(_divide_numpy)
    function.implementations.add_implementation("cpp", code=_DIVIDE_CPP, name="_bridge_divide")
    function.implementations.add_implementation("cython", code=_DIVIDE_CYTHON, name="_bridge_divide")
    return function


divide = _make_divide()

#: Names generated equations may call, for a NeuronGroup's namespace.
FUNCTIONS = {"ifelse": ifelse, "divide": divide}
# Brian 2 turns a call of any function outside its own defaults into sympy.Function(name), of
# unknown realness, and sympy (1.14) then deems some products of such calls and powers
# non-real and refuses to compare them: Migliore's `if (mtau < mmin) {mtau = mmin}`, with
# mtau = 1/(trap0(...) + trap0(...))/q10^(...), stopped every Brian 2 state updater. As one
# of Brian 2's defaults, each of these is a real sympy function.
for _name, _function in FUNCTIONS.items():
    _function.sympy_func = sympy.Function(_name, real=True)
    DEFAULT_FUNCTIONS.setdefault(_name, _function)

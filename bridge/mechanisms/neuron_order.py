"""Which mechanisms NEURON has built in, and the order it advances mechanisms' states in:
a fact about NEURON that both printers need (the NEURON printer to use a built-in as it
is, the Brian 2 printer to advance states in the same order, for equal traces).

NEURON advances the states of one mechanism after another, in the order it registered
them: its own first (hh, pas...), then those of a compiled folder, whose files
``nrnivmodl`` takes in the order of its shell's glob; bridge names each file after its
mechanism and runs ``nrnivmodl`` with ``LC_ALL=C``, so that order is the names' byte
order. A mechanism reading another's state (SK_E2 reading the ``cai`` that
CaDynamics_E2 writes) sees its new value when the other comes first.
"""

from __future__ import annotations

#: Mechanisms compiled into NEURON itself (name -> its NMODL file in NEURON's
#: ``share/nrn/modfile``): never compiled again (NEURON refuses a second definition).
NEURON_BUILTINS = {"hh": "hh.mod", "pas": "passive.mod", "ExpSyn": "expsyn.mod", "Exp2Syn": "exp2syn.mod"}


def registration_order(names) -> list[str]:
    """``names`` of mechanisms in the order NEURON registers them (see the module
    docstring): its built-in ones first, then the rest in byte order."""
    return sorted(set(names), key=lambda name: (name not in NEURON_BUILTINS, name.encode()))

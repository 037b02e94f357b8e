"""Converters from other formats into bridge's data model.

``from_nmodl(path)`` reads one NMODL (.mod) file into a
:class:`~bridge.mechanisms.Mechanism`, using the nmodl parser that ships with NEURON.
"""

from .nmodl_reader import from_nmodl

__all__ = ["from_nmodl"]

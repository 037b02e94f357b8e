"""Converters from other formats into bridge's data model.

``from_nmodl(path)`` reads one NMODL (.mod) file into a
:class:`~bridge.mechanisms.Mechanism`, using the nmodl parser that ships with NEURON;
``nmodl_file(path)`` only names the mechanism a file defines, for NEURON to compile.
"""

import os

# Importing neuron.nmodl runs the `neuron` package's __init__, which prints a warning about
# graphics on machines without a display unless NEURON is told there is no GUI (as the
# NEURON session does before it imports NEURON).
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

from .nmodl_reader import from_nmodl  # noqa: E402
from .nmodl_source import NmodlFile, nmodl_file  # noqa: E402

__all__ = ["NmodlFile", "from_nmodl", "nmodl_file"]

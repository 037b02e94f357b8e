"""bridge: reduced compartmental neuron models described once, run in Brian 2 and NEURON.

Build a model with Dendrify's names (``Soma``, ``Dendrite``, ``NeuronModel``...), save and
load it as JSON, emit it as Brian 2 code or as NEURON files (NMODL, Python, HOC), build it
as NEURON cells (:func:`to_neuron`), and simulate it in Brian 2, NEURON or CoreNEURON
with :func:`simulate`. NMODL channels (:func:`from_nmodl`) go into compartments with
``compartment.channel(...)``: NEURON runs the file, Brian 2 its converted equations.
"""

import logging as _logging


class _CacheNoticeAsDebug(_logging.Filter):
    """Brian 2 announces, while it is imported, that its compile cache is over 1 GB (an INFO
    record on its console). bridge's command line promises one line for an error, and a
    script's output is its own: the notice goes to Brian 2's debug log instead."""

    def filter(self, record):
        if str(record.msg).startswith("Cache size for target"):
            record.levelno, record.levelname = _logging.DEBUG, "DEBUG"
        return True


_logging.getLogger("brian2.brian2").addFilter(_CacheNoticeAsDebug())   # brian2/__init__'s logger; before import

from .brian2.script import emit_brian2  # noqa: E402
from .builder import default_params, update_default_params
from .dendrify_api import Compartment, Dendrite, NeuronModel, PointNeuronModel, Soma
from .from_brian2 import from_brian2
from .errors import (BridgeError, ConversionError, DuplicateNameError, ModelError, SchemaError, SimulationError,
                     TopologyError, UnitError, UnknownNameError, UnsupportedFeatureError)
from .model import ReducedModel, load, save
from .playground import Playground
from .network import Network, simulate_network
from .neuron.cells import emit_neuron, to_neuron
from .simulate import simulate
from .stimuli import EPSCurrent, Poisson, Sine, SpikeTrain, Step
from .traces import SimulationResult, compare

__version__ = "0.1.0"

__all__ = [
    "BridgeError", "Compartment", "ConversionError", "from_brian2", "from_nmodl", "Dendrite", "DuplicateNameError", "ModelError", "NeuronModel",
    "EPSCurrent", "Playground", "Network", "PointNeuronModel", "Poisson", "ReducedModel", "SimulationResult", "Sine", "SpikeTrain", "Step", "SchemaError", "SimulationError", "Soma", "TopologyError", "UnitError",
    "UnknownNameError", "UnsupportedFeatureError", "compare", "default_params", "emit_brian2", "emit_neuron", "load", "save", "simulate", "simulate_network", "to_neuron", "update_default_params",
]


def __getattr__(name):
    """``bridge.from_nmodl`` imports NEURON's NMODL parser only when it is first used."""
    if name == "from_nmodl":
        from .convert import from_nmodl
        return from_nmodl
    raise AttributeError(f"module 'bridge' has no attribute {name!r}")

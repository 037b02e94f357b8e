"""The model description: immutable, unit-checked, serialisable; knows no simulator."""

from .compartment import COMPARTMENT_KINDS, MEMBRANE_MODELS, MEMBRANE_PARAMETERS, CompartmentSpec
from ..units import Dimension
from .mechanisms import SYNAPSE_CHANNELS, Assignment, DSpike, Equation, Noise, Param, Replacement, Spiking, Synapse
from .reduced import GLOBAL_DEFAULTS, Coupling, GlobalParameters, ReducedModel, as_model
from .serialize import SCHEMA_VERSION, from_dict, load, save, to_dict

__all__ = [
    "COMPARTMENT_KINDS", "MEMBRANE_MODELS", "MEMBRANE_PARAMETERS", "SYNAPSE_CHANNELS", "GLOBAL_DEFAULTS",
    "SCHEMA_VERSION", "Assignment", "CompartmentSpec", "Coupling", "DSpike", "Dimension", "Equation",
    "GlobalParameters", "Noise", "as_model", "Param", "Replacement", "ReducedModel", "Spiking", "Synapse",
    "from_dict", "load", "save", "to_dict",
]

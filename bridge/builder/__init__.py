"""Dendrify-compatible building API: declare compartments and connect them into a model.
Users import the classes with Brian 2 views (``bridge.Soma``, ``bridge.NeuronModel``...,
:mod:`bridge.dendrify_api`), which extend these builders."""

from .compartment import CompartmentBuilder, DendriteBuilder, SomaBuilder
from .defaults import default_params, reset_default_params, update_default_params
from .neuronmodel import NeuronModelBuilder, PointNeuronModelBuilder, parse_spiking

__all__ = ["CompartmentBuilder", "DendriteBuilder", "NeuronModelBuilder", "PointNeuronModelBuilder", "SomaBuilder",
           "default_params", "parse_spiking", "reset_default_params", "update_default_params"]

"""Dendrify-compatible building API: declare compartments and connect them into a model."""

from .compartment import Compartment, Dendrite, Soma
from .defaults import default_params, reset_default_params, update_default_params
from .neuronmodel import NeuronModel, PointNeuronModel, parse_spiking

__all__ = ["Compartment", "Dendrite", "NeuronModel", "PointNeuronModel", "Soma", "default_params",
           "parse_spiking", "reset_default_params", "update_default_params"]

"""Morphologically detailed references a reduced model is validated against: their
descriptions (geometry, passive parameters, where to record), and closed-form cable
theory where it exists. Simulating them is the simulators' job (``bridge.neuron.detailed``
and ``bridge.brian2.detailed``); this package imports neither simulator."""

from .cable import BallAndStick, d_lambda_segments
from .hoc_cell import HocCell, PublishedCell, PythonCell, allen_scnn1a, hay_l5pc
from .leak import SigmoidLeak
from .morphology import NRNReference, SWCReference, brian2_example_swc, c91662, neuron_demo_file
from .regions import Region

__all__ = ["BallAndStick", "HocCell", "NRNReference", "PublishedCell", "PythonCell", "Region", "SWCReference", "SigmoidLeak",
           "allen_scnn1a", "brian2_example_swc", "c91662", "d_lambda_segments", "hay_l5pc", "neuron_demo_file"]

"""In-process NEURON cells of a model: ``bridge.to_neuron(model, n)``."""

from __future__ import annotations

from pathlib import Path

from .emit import load_cell_class, neuron_files, write_files
from .plan import plan_cell
from .session import load_mechanisms


def to_neuron(model, n: int = 1, seed: int = 0) -> list:
    """``n`` NEURON cells of ``model`` (a builder or ReducedModel), with gids 0..n-1.

    Each cell is an instance of the generated Python class (the same code
    ``bridge emit neuron`` writes): ``cell.sections[name]``, ``cell.synapses[(compartment,
    "AMPA_x")]``, ``cell.connect_input(source, compartment, synapse)``, ``cell.record(name)`` (a
    compartment's voltage, or a variable of the model's equations)
    and ``cell.spike_source()``. Register ``cell.initialize_voltages`` with
    ``h.FInitializeHandler(0, ...)`` so that each compartment starts at its resting voltage.
    """
    from ..errors import ModelError
    from ..model import as_model
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ModelError(f"cannot make {n!r} cells", obj="to_neuron", param="n", expected="an integer >= 1")
    plan = plan_cell(as_model(model))
    load_mechanisms(plan.mechanisms)
    cell_class = load_cell_class(plan)
    return [cell_class(gid=i, seed=seed) for i in range(n)]


def emit_neuron(model, directory) -> list[Path]:
    """Write the NEURON version of ``model`` into ``directory``: ``mod/``, ``hoc/<Class>.hoc``,
    ``<model>.py``, ``run.py`` and ``run.hoc``; returns the written paths."""
    from ..model import as_model
    return write_files(neuron_files(as_model(model)), directory)

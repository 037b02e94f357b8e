"""A model of a Brian 2 user's own equations (:func:`bridge.from_brian2`) -> NEURON files:
its NMODL point process, a Python cell class, a HOC template and runnable scripts
(``bridge convert model.py --to neuron -o DIR``).

The cell is the one :mod:`bridge.neuron.equation_run` builds for ``bridge.simulate(model,
"neuron", ...)``: one section, the point process carrying the whole membrane equation
scaled by its ``cap``, resets as a charge over one step (``clamp_duration``), the membrane
recorded as ``v + v_offset``. ``run.py`` repeats that run (Crank-Nicolson, a step played
into the input parameter on the time grid, incoming spikes as NetCon events), so it prints
the spike times ``bridge.simulate`` gives. Pure: ``equation_neuron_files(model)`` returns
``{relative path: text}``, and the same model always gives byte-identical text.
"""

from __future__ import annotations

from pathlib import Path

from ..model.equation_model import EquationModel
from ..templating import environment
from .emit import number, write_files
from .equation_run import mechanism_with_source, section_geometry, v_init
from .plan import class_name

#: Module names the cell module must not take: run.py's own, and modules it imports.
RESERVED_MODULES = frozenset({"run", "neuron", "argparse", "os", "sys", "math"})

#: The demo run of run.py / run.hoc (ms; the amplitude in the input's NMODL unit, nA for a
#: current): a step from START to STOP into the input parameter, incoming spikes every
#: EVENT_INTERVAL over the same window.
DEMO = {"tstop": 100.0, "dt": 0.025, "amp": 0.5, "start": 10.0, "stop": 90.0, "event_interval": 5.0}


def module_name(model: EquationModel) -> str:
    """File stem of the Python cell module: the model's name (``<name>_cell`` where the
    name is taken by run.py or a module it imports)."""
    return f"{model.name}_cell" if model.name in RESERVED_MODULES else model.name


def step_input(model: EquationModel) -> tuple[str, str] | None:
    """``(parameter, its NMODL unit)`` of the parameter a step drives, or None."""
    if model.input is None:
        return None
    return model.input, model.mechanism.variable(model.input).unit.text or "1"


def _context(model: EquationModel) -> dict:
    from .. import __version__
    mech = mechanism_with_source(model)
    step = step_input(model)
    length, cm = section_geometry(model)
    start, stop, interval = DEMO["start"], DEMO["stop"], DEMO["event_interval"]
    count = int(round((stop - start) / interval))
    return dict(
        version=__version__, model_name=model.name, class_name=class_name(model.name), module=module_name(model),
        compartment=model.compartment, mechanism=mech.name, section_um=length, cm=cm, v_init=v_init(model),
        capacitance=None if model.capacitance is None else model.capacitance * 1e9,
        voltage=model.voltage, randoms=list(mech.randoms), step=step, on_pre=model.on_pre,
        threshold=model.threshold, reset=model.reset, demo=DEMO,
        demo_events=[number(start + k * interval) for k in range(count)])


def _render(template: str, context: dict) -> str:
    env = environment("bridge.neuron")
    env.filters["num"] = number
    return env.get_template(template).render(**context)


def equation_neuron_files(model: EquationModel) -> dict[str, str]:
    """Every file of the NEURON version of ``model``, by relative path: ``mod/<mechanism>.mod``,
    ``<name>.py`` (the cell class), ``<name>.hoc`` (its HOC template), ``run.py`` and
    ``run.hoc``."""
    context = _context(model)
    mech = mechanism_with_source(model)
    return {
        f"mod/{mech.name}.mod": mech.source.text,
        f"{context['module']}.py": _render("equation_cell.py.j2", context),
        f"{context['module']}.hoc": _render("equation_cell.hoc.j2", context),
        "run.py": _render("equation_run.py.j2", context),
        "run.hoc": _render("equation_run.hoc.j2", context),
    }


def write_equation_neuron(model: EquationModel, directory) -> list[Path]:
    """Write the NEURON version of ``model`` into ``directory`` (each file atomically);
    returns the written paths."""
    return write_files(equation_neuron_files(model), directory)

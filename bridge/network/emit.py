"""``bridge emit neuron-network``: a network as a standalone NEURON directory (``mod/``,
one cell module per population, ``network_runtime.py``, ``network.json`` with the drawn
connections and inputs, ``run.py`` for ``python`` or ``mpiexec -n K``); a pure function of
the network, the duration and the step (model in, ``{path: text}`` out)."""

from __future__ import annotations

import json
from pathlib import Path

from ..neuron import network_runtime
from ..neuron.build import mod_files
from ..neuron.channels import needs_compiling
from ..neuron.emit import cell_source, module_name, write_files
from ..neuron.plan import plan_cell
from ..templating import environment
from .description import NetworkDescription
from .draw import draw
from .run_neuron import network_data


def network_files(net: NetworkDescription, duration: float, dt: float) -> dict[str, str]:
    """Every file of the standalone NEURON network, by relative path (``duration`` and
    ``dt`` in seconds: the inputs are drawn for that run)."""
    from .. import __version__
    files = {f"mod/{path.name}": path.read_text() for path in mod_files()}
    cells, classes = [], []
    for pop in net.populations:
        plan = plan_cell(pop.model)
        for mech in plan.mechanisms:
            if needs_compiling(mech):
                files[f"mod/{mech.name}.mod"] = mech.source.text
        if (module_name(plan), plan.class_name) not in cells:
            cells.append((module_name(plan), plan.class_name))
            files[f"{module_name(plan)}.py"] = cell_source(plan)
        classes.append((pop.name, plan.class_name))
    files["network_runtime.py"] = Path(network_runtime.__file__).read_text()
    files["network.json"] = json.dumps(network_data(draw(net, duration, dt), dt), separators=(",", ":"),
                                       default=lambda rows: rows.tolist())
    summary = ", ".join(f"{p.n} {p.name} cells" for p in net.populations)
    files["run.py"] = environment("bridge.neuron").get_template("network_run.py.j2").render(
        name=net.name, summary=summary, version=__version__, cells=cells, classes=classes,
        duration_ms=f"{duration * 1e3:g}", dt_ms=f"{dt * 1e3:g}")
    return files


def emit_neuron_network(net, directory, duration, dt=None) -> list[Path]:
    """Write the standalone NEURON version of ``net`` (a Network or its description) for a
    run of ``duration`` at step ``dt`` (Brian 2 times; default 0.025 ms) into ``directory``."""
    from brian2.units import ms

    from ..units import SECOND, to_si
    from .builder import Network
    description = net.description if isinstance(net, Network) else net
    duration_s = to_si(duration, SECOND, "emit_neuron_network", "duration", optional=False)
    dt_s = to_si(0.025 * ms if dt is None else dt, SECOND, "emit_neuron_network", "dt", optional=False)
    return write_files(network_files(description, duration_s, dt_s), directory)

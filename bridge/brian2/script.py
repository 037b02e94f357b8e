"""Model -> a standalone, readable Brian 2 script (needs only ``brian2`` to run)."""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_text_atomic
from ..model import ReducedModel
from ..templating import environment
from ..units import SECOND, VOLT
from .channels import compartment_channels
from .equations import method_options, model_equations, model_events, model_parameters, suffix, voltage_name
from .functions import FUNCTIONS
from .methods import default_method
from .group import spiking_code
from ..units import value_code

_DURATION_FIELDS = ("duration_rise", "duration_fall", "offset_fall", "refractory")


def _environment():
    return environment("bridge.brian2")


def _parameters(model: ReducedModel) -> tuple[list, list]:
    """(name, literal) pairs of the namespace, and of the dspike durations as times (the
    script converts those to steps of its own dt)."""
    from brian2.units import ms
    durations = [(f"{attr}_{ds.name}_{comp.name}", value_code(getattr(ds, attr), SECOND))
                 for comp in model.compartments for ds in comp.dspikes for attr in _DURATION_FIELDS
                 if getattr(ds, attr) is not None]
    skip = {name for name, _ in durations}
    namespace = model_parameters(model, 1 * ms)
    skip |= set(FUNCTIONS)  # the script imports them
    return sorted((k, _literal(v)) for k, v in namespace.items() if k not in skip), durations


def _channel_initial_values(blocks) -> list[tuple[str, str]]:
    """Initial values of the channels' states (plain numbers, from the files' INITIAL), from
    the compartments' channel ``blocks``."""
    values = {}
    for block in blocks:
        values.update(block.initial)
    return [(name, repr(float(value))) for name, value in values.items()]


def _literal(value) -> str:
    from brian2.units.fundamentalunits import Quantity

    from ..units import dimension_of
    if isinstance(value, Quantity):
        return value_code(float(value), dimension_of(value))
    return repr(value)


def brian2_script(model: ReducedModel, filename: str = "model_brian2.py") -> dict[str, str]:
    """The files of a standalone Brian 2 version of ``model``: ``{filename: text}``.

    Pure: the same model always gives byte-identical text.
    """
    from .. import __version__
    channels = any(c.channels for c in model.compartments)
    params, durations = _parameters(model)
    events, actions = model_events(model)
    spiking = spiking_code(model.spiking) if model.spiking is not None else None
    soma = model.soma.name
    blocks = [compartment_channels(model, c, suffix(model, c)) for c in model.compartments]
    text = _environment().get_template("script.py.j2").render(
        title=f"Brian 2 model {model.name!r}: {len(model.compartments)} compartment(s).",
        version=__version__, model_name=model.name, filename=filename,
        equations=model_equations(model), parameters=params, durations=durations,
        events=sorted(events.items()), event_actions=sorted(actions.items()),
        initial_values=[(voltage_name(model, c.name), value_code(c.v_rest, VOLT))
                        for c in model.compartments if c.v_rest is not None] + _channel_initial_values(blocks),
        channels=channels, method=default_method(model), method_options=method_options(model, blocks),
        threshold=spiking["threshold"] if spiking else None,
        reset=spiking["reset"] if spiking else None,
        second_reset=spiking["second_reset"] if spiking else None,
        spike_width=value_code(model.spiking.spike_width, SECOND) if spiking and model.spiking.spike_width else "None",
        refractory=(value_code(model.spiking.refractory, SECOND) if spiking and model.spiking.refractory
                    else repr(spiking["threshold"]) if spiking and channels and not spiking["reset"] else "False"),
        voltages={c.name: "V" + suffix(model, c) for c in model.compartments},
        inputs={c.name: "I_ext" + suffix(model, c) for c in model.compartments}, soma=soma)
    return {filename: text}


def emit_brian2(model, path) -> Path:
    """Write the standalone Brian 2 script of ``model`` (builder or ReducedModel) to ``path``."""
    from ..model import as_model
    path = Path(path)
    files = brian2_script(as_model(model), filename=path.name)
    return write_text_atomic(path, files[path.name])


"""Global default parameters (reversal potentials, NMDA constants) used by models built
from now on, with Dendrify's ``default_params``/``update_default_params`` API.

This is the one piece of process-wide state in the builder, kept because Dendrify
scripts rely on it. As in Dendrify, a builder reads the defaults when its description is
taken (``model.description``), not when it was created; the description then keeps them.
"""

from __future__ import annotations

from ..errors import UnitError
from ..model import GLOBAL_DEFAULTS, GlobalParameters
from ..units import dimension_name
from .parsing import param_from_value

_current = [GlobalParameters()]


def current_globals() -> GlobalParameters:
    """The global parameters a model built now receives."""
    return _current[0]


def default_params() -> dict:
    """The current global defaults as Brian 2 quantities, by name."""
    from ..units import quantity
    return {p.name: quantity(p.value, p.dimension) for p in _current[0].params}


def update_default_params(params: dict) -> None:
    """Change or add global defaults, e.g. ``update_default_params({"E_Ca": 130*mV})``.

    Known names keep their dimension (reversal potentials are voltages): a unitless
    or wrong-unit value raises :class:`~bridge.errors.UnitError`.
    """
    new = {}
    for name, value in dict(params).items():
        param = param_from_value(name, value, "default parameters")
        if name in GLOBAL_DEFAULTS and param.dimension != GLOBAL_DEFAULTS[name][1]:
            raise UnitError(f"{value!r} has the wrong unit", obj="default parameters", param=name,
                            expected=dimension_name(GLOBAL_DEFAULTS[name][1]))
        new[name] = param
    _current[0] = _current[0].updated(new)


def reset_default_params() -> None:
    """Restore the built-in defaults."""
    _current[0] = GlobalParameters()

"""Model -> Brian 2 ``NeuronGroup`` (and the ``Synapses`` that applies a second reset)."""

from __future__ import annotations

import numbers

from ..errors import ModelError
from ..model import ReducedModel, Spiking
from .methods import NAME as METHOD_NAME
from .methods import register as register_methods
from .equations import brian2_description


def spiking_code(spiking: Spiking) -> dict:
    """Brian 2 keyword values (threshold, reset, second_reset, spike_width, refractory) of ``spiking``."""
    from brian2.units import second
    return {
        "threshold": spiking.threshold,
        "reset": "; ".join(map(str, spiking.reset)) or None,
        "second_reset": "; ".join(map(str, spiking.second_reset)) or None,
        "spike_width": None if spiking.spike_width is None else spiking.spike_width * second,
        "refractory": False if spiking.refractory is None else spiking.refractory * second,
    }


def make_neurongroup(model: ReducedModel, N: int, method: str | None = None, threshold: str | None = None,
                     reset: str | None = None, second_reset: str | None = None, spike_width=None,
                     refractory=False, init_rest: bool = True, init_events: bool = True, show: bool = False,
                     dt=None, **kwargs):
    """Build ``N`` neurons of ``model`` in Brian 2.

    Returns the ``NeuronGroup``, or ``(NeuronGroup, Synapses)`` when a ``second_reset`` is
    applied ``spike_width`` after each somatic spike (Dendrify's convention). Without a
    ``threshold`` the model's own spiking (if any) is used. ``method=None`` lets Brian 2
    choose the integration method. Other keyword arguments go to ``NeuronGroup``.
    """
    from brian2 import NeuronGroup, Synapses, defaultclock

    register_methods()  # method="exponential_strang"
    if threshold is None and model.spiking is not None:
        code = spiking_code(model.spiking)
        threshold, reset, second_reset = code["threshold"], code["reset"], code["second_reset"]
        spike_width, refractory = code["spike_width"], code["refractory"]
    if threshold is not None and reset is None and refractory is False and _has_channels(model):
        # Channels make their own spikes: detect each upward crossing once (no reset).
        refractory = threshold
    if (second_reset is None) != (spike_width is None):
        raise ModelError("second_reset and spike_width go together", obj=f"model {model.name}",
                         param="spike_width" if spike_width is None else "second_reset", expected="both or neither",
                         hint="give both for a realistic spike shape, or neither")
    if not isinstance(N, numbers.Integral) or isinstance(N, bool) or N < 1:
        raise ModelError(f"cannot make {N!r} neurons", obj=f"model {model.name}", param="N",
                         expected="an integer >= 1")
    N = int(N)
    if dt is not None:
        kwargs["dt"] = dt
    desc = brian2_description(model, dt if dt is not None else defaultclock.dt)
    if method is not None:
        kwargs["method"] = method
    if method == METHOD_NAME and desc.method_options:
        kwargs["method_options"] = desc.method_options
    group = NeuronGroup(N, model=desc.equations, threshold=threshold, reset=reset, refractory=refractory,
                        events=desc.events or None, namespace=desc.namespace, **kwargs)
    if init_rest:
        for var, value in desc.initial_values.items():
            if show:
                print(f"{var} = {value!r}")
            setattr(group, var, value)
    if init_events:
        for event, action in desc.event_actions.items():
            if show:
                print(f"run_on_event({event!r}, {action!r})")
            group.run_on_event(event, action, order="before_groups")
    if second_reset is None:
        return group
    clock_kwargs = {"dt": dt} if dt is not None else {}
    ap_reset = Synapses(group, group, on_pre=second_reset, delay=spike_width, namespace=desc.namespace,
                        **clock_kwargs)
    ap_reset.connect(j="i")
    return group, ap_reset


def _has_channels(model: ReducedModel) -> bool:
    return any(c.channels for c in model.compartments)

"""A neuron model made of a Brian 2 user's own equations (:func:`bridge.from_brian2`).

It holds both what runs it: the Brian 2 description as the user wrote it (equations,
threshold, reset, refractory period, namespace, method), with numbers in SI, and the
:class:`~bridge.mechanisms.Mechanism` that runs the same dynamics in NEURON and
CoreNEURON (:mod:`bridge.brian2.reader`). One compartment, named ``compartment``; its
membrane potential is the variable ``voltage``; a current step drives the parameter
``input``; an incoming spike runs ``on_pre``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ModelError
from ..mechanisms import Mechanism
from ..units import Dimension
from .checks import check_name


@dataclass(frozen=True)
class EquationModel:
    """See the module docstring. ``namespace`` and ``initial``: ``(name, SI value,
    Dimension)``; ``refractory``: seconds, a condition, or None; ``capacitance``: the
    model's own membrane capacitance (F) when its membrane equation divides its currents
    by one, else None; ``area``: the membrane area (m2) NEURON's section takes, None for
    bridge's default (see :func:`bridge.neuron.equation_run.section_geometry`)."""

    name: str
    compartment: str
    equations: str
    mechanism: Mechanism
    voltage: str
    threshold: str | None = None
    reset: str | None = None
    refractory: float | str | None = None
    namespace: tuple = ()
    initial: tuple = ()
    method: str | None = None
    input: str | None = None
    on_pre: str | None = None
    capacitance: float | None = None
    area: float | None = None

    def __post_init__(self):
        obj = f"model {self.name}"
        check_name(self.name, "model")
        check_name(self.compartment, obj, "compartment")
        if not isinstance(self.mechanism, Mechanism):
            raise ModelError(f"{self.mechanism!r} is not a mechanism", obj=obj, param="mechanism")
        for attr in ("capacitance", "area"):
            value = getattr(self, attr)
            if value is not None and not (isinstance(value, (int, float)) and value > 0):
                raise ModelError(f"{value!r} is not a positive number", obj=obj, param=attr)
        for attr in ("namespace", "initial"):
            entries = tuple(tuple(e) for e in getattr(self, attr))
            for entry in entries:
                if len(entry) != 3 or not isinstance(entry[2], Dimension):
                    raise ModelError(f"{entry!r} is not (name, SI value, Dimension)", obj=obj, param=attr)
            object.__setattr__(self, attr, entries)

    @property
    def compartment_names(self) -> tuple[str, ...]:
        return (self.compartment,)

    def check_input(self, stimulus, obj: str) -> None:
        """Refuse a stimulus the model cannot take: one aimed at another compartment, a
        step without an input parameter or in another unit than the input's, an incoming
        spike without ``on_pre``."""
        from ..errors import UnknownNameError
        from ..stimuli import Step
        if stimulus.compartment != self.compartment:
            raise UnknownNameError(f"no compartment {stimulus.compartment!r}", obj=obj, param="compartment",
                                   expected=self.compartment)
        if isinstance(stimulus, Step):
            if self.input is None:
                raise ModelError("the model has no input parameter for a step", obj=f"model {self.name}",
                                 param="input", hint="give from_brian2(..., input='I') naming a parameter")
            stimulus.check_dimension(self.mechanism.variable(self.input).unit.dimension, f"model {self.name} "
                                     f"input {self.input}")
        elif self.on_pre is None:
            raise ModelError("the model has no on_pre for incoming spikes", obj=f"model {self.name}",
                             param="on_pre", hint="give from_brian2(..., on_pre='ge += w')")

"""Dendrify's classes as users import them: the builder's classes (which only build a
model) plus Dendrify's Brian 2 views of it (``equations``, ``parameters``, ``events``,
``make_neurongroup``...), printed by :mod:`bridge.brian2`.

This module sits above both the builder and the Brian 2 printer, so neither imports the
other: data flows builder -> model -> printer, and these classes only join the two ends.
"""

from __future__ import annotations

from .builder import compartment as _compartment
from .builder import neuronmodel as _neuronmodel


class _CompartmentViews:
    """Brian 2 views of one compartment (before it is coupled), with Dendrify's names."""

    @property
    def equations(self) -> str:
        """This compartment's Brian 2 equations as they stand, with the couplings made by
        ``connect`` (as Dendrify)."""
        from .brian2.equations import compartment_equations
        return compartment_equations(self._linked_model(), self._spec)

    @property
    def parameters(self) -> dict:
        """This compartment's parameters as Brian 2 quantities (Dendrify's names), with the
        conductances of the couplings made by ``connect``."""
        from brian2 import defaultclock

        from .brian2.equations import compartment_parameters
        return compartment_parameters(self._linked_model(), self._spec, defaultclock.dt)

    def replace_equations(self, eqs_old: str, eqs_new: str) -> None:
        """Replace the text ``eqs_old`` of this compartment's equations with ``eqs_new``
        (Dendrify's method). It edits the compartment's own equations (couplings are added
        after it); it is checked now: the text must occur, and the result must parse as
        Brian 2 equations with consistent units. NEURON runs the edited equations through
        the Brian 2 -> NMODL converter."""
        from .brian2.equations import apply_replacements, own_equations
        from .brian2.replace_check import check_replacement
        replacement = _replacement(eqs_old, eqs_new, self._obj)
        model = self._linked_model()
        own = apply_replacements(own_equations(model, self._spec), self._spec.replacements, self._obj)
        check_replacement([own], replacement, self.parameters, self._obj, elsewhere=self.equations)
        self._add_replacement(replacement)


def _replacement(old, new, obj: str):
    from .errors import ModelError
    from .model import Replacement
    try:
        return Replacement(old, new)
    except ModelError as exc:
        raise exc.amend(obj=obj) from None


class Compartment(_CompartmentViews, _compartment.CompartmentBuilder):
    __doc__ = _compartment.CompartmentBuilder.__doc__


class Soma(Compartment, _compartment.SomaBuilder):
    __doc__ = _compartment.SomaBuilder.__doc__


class Dendrite(Compartment, _compartment.DendriteBuilder):
    __doc__ = _compartment.DendriteBuilder.__doc__

    @property
    def events(self) -> dict:
        """This dendrite's dspike events: name -> condition (Dendrify's names)."""
        from .brian2.equations import model_events
        return {name: condition for name, condition in model_events(self._linked_model())[0].items()
                if name.endswith(f"_{self.name}") and self._owns_event(name)}

    @property
    def event_names(self) -> list:
        return list(self.events)

    @property
    def event_actions(self) -> dict:
        from .brian2.equations import model_events
        return {name: action for name, action in model_events(self._linked_model())[1].items()
                if self._owns_event(name)}

    def _owns_event(self, name: str) -> bool:
        return any(name == f"spike_{d.name}_{self.name}" for d in self._spec.dspikes)


class _ModelViews:
    """Brian 2 views of a whole model, with Dendrify's names."""

    @property
    def equations(self) -> str:
        from .brian2.equations import model_equations
        return model_equations(self.description)

    @property
    def parameters(self) -> dict:
        from brian2 import defaultclock

        from .brian2.equations import model_parameters
        return model_parameters(self.description, defaultclock.dt)

    def replace_equations(self, eqs_old: str, eqs_new: str) -> None:
        """Replace the text ``eqs_old`` with ``eqs_new`` in every compartment's equations
        that holds it, couplings included (Dendrify's method); checked now, as
        :meth:`Compartment.replace_equations`."""
        from .brian2.equations import compartment_blocks
        from .brian2.replace_check import check_replacement
        obj = f"model {self._model.name}"
        replacement = _replacement(eqs_old, eqs_new, obj)
        check_replacement(list(compartment_blocks(self.description).values()), replacement, self.parameters, obj)
        self._add_replacement(replacement)

    @property
    def events(self) -> dict:
        from .brian2.equations import model_events
        return model_events(self.description)[0]

    @property
    def event_names(self) -> list:
        return list(self.events)

    @property
    def event_actions(self) -> dict:
        from .brian2.equations import model_events
        return model_events(self.description)[1]


class NeuronModel(_ModelViews, _neuronmodel.NeuronModelBuilder):
    __doc__ = _neuronmodel.NeuronModelBuilder.__doc__

    def make_neurongroup(self, N: int, method: str = "euler", threshold: str | None = None,
                         reset: str | None = None, second_reset: str | None = None, spike_width=None,
                         refractory=False, init_rest: bool = True, init_events: bool = True, show: bool = False,
                         **kwargs):
        """A Brian 2 ``NeuronGroup`` of ``N`` neurons, plus the ``Synapses`` object that applies
        ``second_reset`` ``spike_width`` after each spike when one is given (Dendrify's return
        values). Other keyword arguments go to ``NeuronGroup``."""
        from .brian2.group import make_neurongroup
        return make_neurongroup(self.description, N, method=method, threshold=threshold, reset=reset,
                                second_reset=second_reset, spike_width=spike_width, refractory=refractory,
                                init_rest=init_rest, init_events=init_events, show=show, **kwargs)


class PointNeuronModel(_ModelViews, _neuronmodel.PointNeuronModelBuilder):
    __doc__ = _neuronmodel.PointNeuronModelBuilder.__doc__

    def make_neurongroup(self, N: int, **kwargs):
        """A Brian 2 ``NeuronGroup``; keyword arguments (threshold, reset, method...) go to it."""
        from .brian2.group import make_neurongroup
        return make_neurongroup(self.description, N, **kwargs)


__all__ = ["Compartment", "Dendrite", "NeuronModel", "PointNeuronModel", "Soma"]

"""Dendrify-compatible model builders: ``NeuronModel`` (compartmental) and
``PointNeuronModel`` (single compartment). Each holds an immutable
:class:`bridge.model.ReducedModel`, exposed as :attr:`description`."""

from __future__ import annotations

import dataclasses

from ..errors import DuplicateNameError, ModelError, UnknownNameError
from ..model import MEMBRANE_MODELS, Coupling, ReducedModel, Spiking
from ..model import CompartmentSpec
from ..units import DIMENSIONLESS, FARAD_PER_M2, OHM_METRE, SECOND, SIEMENS, SIEMENS_PER_M2, VOLT
from .compartment import CompartmentBuilder, SomaBuilder, coupling_between, dspike_values
from .defaults import current_globals
from .parsing import parse_equations, parse_statements
from ..units import to_si
from .parsing import param_from_value

_CONNECTION_FORMAT = ("connections are tuples (a, b) or (a, b, g) of compartments, with g a conductance, "
                      "'half_cylinders' or 'cylinder_<name>'")


class _ModelBuilder:
    """What NeuronModel and PointNeuronModel share: user additions, spiking, Brian 2 views."""

    _model: ReducedModel

    @property
    def description(self) -> ReducedModel:
        """The immutable model description (with the current global defaults)."""
        return dataclasses.replace(self._model, globals=current_globals())

    def add_params(self, params_dict: dict) -> None:
        """Add model-level named constants (Brian 2 quantities or plain numbers)."""
        params = {p.name: p for p in self._model.params}
        for name, value in dict(params_dict).items():
            params[name] = param_from_value(name, value, f"model {self._model.name}")
        self._model = dataclasses.replace(self._model, params=tuple(params.values()))

    def add_equations(self, eqs: str) -> None:
        """Add model-level Brian 2 equations (repeated text is ignored)."""
        new = parse_equations(eqs, f"model {self._model.name}")
        known = set(self._model.equations)
        self._model = dataclasses.replace(self._model, equations=self._model.equations + tuple(
            e for e in new if e not in known))

    def _add_replacement(self, replacement) -> None:
        """Keep a checked ``replace_equations`` edit (bridge's model classes checks it)."""
        self._model = dataclasses.replace(self._model, replacements=self._model.replacements + (replacement,))

    def set_spiking(self, threshold: str, reset: str | None = None, second_reset: str | None = None,
                    spike_width=None, refractory=None) -> None:
        """Store default somatic spiking in the model (used by ``simulate``, emitted scripts
        and ``make_neurongroup`` when it is given no threshold)."""
        self._model = dataclasses.replace(self._model, spiking=parse_spiking(
            threshold, reset, second_reset, spike_width, refractory))

    @property
    def celsius(self):
        """The temperature the channels' rates see (degrees Celsius, a plain number;
        NEURON's default 6.3)."""
        return self._model.celsius

    @celsius.setter
    def celsius(self, value) -> None:
        from ..units import DIMENSIONLESS
        self._model = dataclasses.replace(self._model, celsius=to_si(value, DIMENSIONLESS, f"model {self._model.name}",
                                                                     "celsius", optional=False))

    def rename(self, name: str) -> None:
        """Set the model's name (used for generated file and class names)."""
        self._model = dataclasses.replace(self._model, name=name)

    def __str__(self) -> str:
        from .text import describe_model
        return describe_model(self)


class NeuronModelBuilder(_ModelBuilder):
    """A multi-compartment model from a list of connections ``(a, b)`` or ``(a, b, g)``.

    ``g`` is a conductance, ``'half_cylinders'`` (default) or ``'cylinder_<name>'``.
    ``cm``, ``gl``, ``r_axial``, ``v_rest``, ``scale_factor`` and ``spine_factor`` given
    here apply to every compartment (as in Dendrify: when any of the passive values is
    given, factors not given here become 1; somata keep spine_factor 1).
    """

    def __init__(self, connections, cm=None, gl=None, r_axial=None, v_rest=None, scale_factor=None,
                 spine_factor=None):
        specs, couplings = _parse_connections(connections)
        specs = _apply_model_properties(specs, cm=cm, gl=gl, r_axial=r_axial, v_rest=v_rest,
                                        scale_factor=scale_factor, spine_factor=spine_factor)
        self._model = ReducedModel(tuple(specs), tuple(couplings), globals=current_globals())

    def config_dspikes(self, event_name: str, threshold=None, duration_rise=None, duration_fall=None,
                       reversal_rise=None, reversal_fall=None, offset_fall=None, refractory=None) -> None:
        """Set the values of the dendritic spike ``event_name`` in every dendrite that has it."""
        changes = dspike_values(f"dspike {event_name}", threshold=threshold, duration_rise=duration_rise,
                                duration_fall=duration_fall, reversal_rise=reversal_rise,
                                reversal_fall=reversal_fall, offset_fall=offset_fall, refractory=refractory)
        if not any(d.name == event_name for c in self._model.compartments for d in c.dspikes):
            names = sorted({d.name for c in self._model.compartments for d in c.dspikes})
            raise UnknownNameError(f"no dendrite has a dspike {event_name!r}", obj=f"model {self._model.name}",
                                   param="event_name", expected=", ".join(names) or "a dspike added with dspikes()")
        comps = tuple(dataclasses.replace(c, dspikes=tuple(
            dataclasses.replace(d, **changes) if d.name == event_name else d for d in c.dspikes))
            for c in self._model.compartments)
        self._model = dataclasses.replace(self._model, compartments=comps)

    def as_graph(self, figsize=(6, 4), fontsize: int = 10, fontcolor: str = "white", scale_nodes: float = 1,
                 color_soma: str = "#4C6C92", color_dendrites: str = "#A7361C", alpha: float = 1,
                 scale_edges: float = 1, seed: int | None = None):
        """Draw the compartment graph (needs matplotlib and networkx: ``pip install bridge[plot]``)."""
        from .graph import draw_graph
        return draw_graph(self.description, figsize=figsize, fontsize=fontsize, fontcolor=fontcolor,
                          scale_nodes=scale_nodes, color_soma=color_soma, color_dendrites=color_dendrites,
                          alpha=alpha, scale_edges=scale_edges, seed=seed)


class PointNeuronModelBuilder(_ModelBuilder):
    """A single-compartment (point) neuron: ``leakyIF`` (default), ``adaptiveIF``, ``adex``,
    ``cadIF`` or ``passive``, with cylinder or absolute passive properties.

    Its variables carry no compartment suffix (``V``, ``I_ext``); in simulations and
    stimuli its compartment is called ``soma``.
    """

    def __init__(self, model: str = "leakyIF", length=None, diameter=None, cm=None, gl=None, cm_abs=None,
                 gl_abs=None, v_rest=None):
        if model not in MEMBRANE_MODELS:
            raise UnknownNameError(f"unknown membrane model {model!r}", obj="point neuron", param="model",
                                   expected=", ".join(MEMBRANE_MODELS))
        self._soma = SomaBuilder("soma", model, length=length, diameter=diameter, cm=cm, gl=gl, cm_abs=cm_abs,
                          gl_abs=gl_abs, v_rest=v_rest)
        self._model = ReducedModel((self._soma.description,), point=True, globals=current_globals())

    def _sync(self) -> None:
        self._model = dataclasses.replace(self._model, compartments=(self._soma.description,))

    def synapse(self, channel: str, tag: str, g=None, t_rise=None, t_decay=None, scale_g: bool = False) -> None:
        """Add a synapse (see :meth:`bridge.Compartment.synapse`)."""
        self._soma.synapse(channel, tag, g=g, t_rise=t_rise, t_decay=t_decay, scale_g=scale_g)
        self._sync()

    def noise(self, **kwargs) -> None:
        """Add an Ornstein-Uhlenbeck noise current (see :meth:`bridge.Compartment.noise`)."""
        self._soma.noise(**kwargs)
        self._sync()

    def channel(self, mechanism, **parameters) -> None:
        """Insert an NMODL density mechanism (see :meth:`bridge.Compartment.channel`)."""
        self._soma.channel(mechanism, **parameters)
        self._sync()

    def ions(self, **reversals) -> None:
        """Set ion reversal potentials (see :meth:`bridge.Compartment.ions`)."""
        self._soma.ions(**reversals)
        self._sync()

    @property
    def area(self):
        return self._soma.area

    @property
    def capacitance(self):
        return self._soma.capacitance

    @property
    def g_leakage(self):
        return self._soma.g_leakage

    @property
    def dimensionless(self) -> bool:
        return self._soma.dimensionless


def parse_spiking(threshold, reset=None, second_reset=None, spike_width=None, refractory=None) -> Spiking | None:
    """Dendrify-style spiking arguments -> a model :class:`Spiking` (None without threshold)."""
    if threshold is None:
        if any(v not in (None, False) for v in (reset, second_reset, spike_width, refractory)):
            raise ModelError("reset/refractory given without a threshold", obj="spiking", param="threshold",
                             expected="a condition such as 'V_soma > -40*mV'")
        return None
    if not isinstance(threshold, str):
        raise ModelError(f"{threshold!r} is not a condition", obj="spiking", param="threshold",
                         expected="a condition such as 'V_soma > -40*mV'")
    if (second_reset is None) != (spike_width is None):
        raise ModelError("second_reset and spike_width go together", obj="spiking",
                         param="spike_width" if spike_width is None else "second_reset",
                         expected="both or neither")
    if refractory is False:
        refractory = None
    return Spiking(threshold=threshold.strip(), reset=parse_statements(reset, "spiking", "reset"),
                   second_reset=parse_statements(second_reset, "spiking", "second_reset"),
                   spike_width=to_si(spike_width, SECOND, "spiking", "spike_width"),
                   refractory=to_si(refractory, SECOND, "spiking", "refractory"))


def _parse_connections(connections) -> tuple[list[CompartmentSpec], list[Coupling]]:
    if not isinstance(connections, (list, tuple)) or not connections:
        raise ModelError("no connections given", obj="NeuronModel", param="connections",
                         expected=_CONNECTION_FORMAT)
    connections = list(connections) + _connected(connections)
    by_name: dict[str, CompartmentBuilder] = {}
    couplings = []
    for item in connections:
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise ModelError(f"invalid connection {item!r}", obj="NeuronModel", param="connections",
                             expected=_CONNECTION_FORMAT)
        a, b = item[0], item[1]
        for comp in (a, b):
            if not isinstance(comp, CompartmentBuilder):
                raise ModelError(f"{comp!r} is not a compartment", obj="NeuronModel", param="connections",
                                 expected=_CONNECTION_FORMAT)
            known = by_name.setdefault(comp.name, comp)
            if known is not comp:
                raise DuplicateNameError(f"two different compartments are named {comp.name!r}",
                                         obj="NeuronModel", param="connections", expected="unique names")
        couplings.append(coupling_between(a, b, item[2] if len(item) == 3 else "half_cylinders"))
    return [c.description for c in by_name.values()], couplings


def _connected(connections) -> list[tuple]:
    """The couplings made with ``connect()`` among the listed compartments and those they
    reach, except those the list already gives (the same pair with the same ``g``): each
    pair is coupled once."""
    listed = {(frozenset((i[0].name, i[1].name)), _g_key(i[2] if len(i) == 3 else "half_cylinders"))
              for i in connections if isinstance(i, (tuple, list)) and len(i) in (2, 3)
              and all(isinstance(c, CompartmentBuilder) for c in i[:2])}
    seen, queue, extra = set(), [c for i in connections if isinstance(i, (tuple, list))
                                 for c in i[:2] if isinstance(c, CompartmentBuilder)], []
    while queue:
        comp = queue.pop(0)
        if id(comp) in seen:
            continue
        seen.add(id(comp))
        for link in comp._links:
            a, b, g = link
            key = (frozenset((a.name, b.name)), _g_key(g))
            if key not in listed and not any(link is e for e in extra):
                extra.append(link)
            queue += [a, b]
    return extra


def _g_key(g):
    """A comparable form of a coupling's ``g`` (a string or a conductance)."""
    return g if isinstance(g, str) else ("conductance", repr(g))


def _apply_model_properties(specs, **values) -> list[CompartmentSpec]:
    units = {"cm": FARAD_PER_M2, "gl": SIEMENS_PER_M2, "r_axial": OHM_METRE, "v_rest": VOLT,
             "scale_factor": DIMENSIONLESS, "spine_factor": DIMENSIONLESS}
    given = {k: to_si(v, units[k], "NeuronModel", k) for k, v in values.items() if v is not None}
    v_rest = given.pop("v_rest", None)
    out = []
    for spec in specs:
        changes = {} if v_rest is None else {"v_rest": v_rest}
        if given:
            if spec.dimensionless:
                raise ModelError(f"RC compartment {spec.name!r} (cm_abs/gl_abs) cannot take "
                                 f"{', '.join(sorted(given))}", obj="NeuronModel", param=sorted(given)[0],
                                 expected="no cm, gl, r_axial, scale_factor or spine_factor for RC compartments")
            changes.update(given)
            changes.setdefault("scale_factor", 1.0)
            if spec.kind == "soma":
                changes.pop("spine_factor", None)
            else:
                changes.setdefault("spine_factor", 1.0)
        out.append(dataclasses.replace(spec, **changes))
    return out

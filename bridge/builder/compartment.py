"""Dendrify-compatible compartment builders: ``CompartmentBuilder``, ``SomaBuilder``,
``DendriteBuilder`` (``bridge.Compartment``, ``Soma`` and ``Dendrite`` add Brian 2 views to them).

They collect what the user declares (with Brian 2 units, checked at once) and produce the
immutable :class:`bridge.model.CompartmentSpec` through :attr:`CompartmentBuilder.description`.
"""

from __future__ import annotations

import dataclasses

from brian2.units import ms, pA

from ..errors import ModelError, UnknownNameError, UnsupportedFeatureError
from ..model import MEMBRANE_MODELS, SYNAPSE_CHANNELS, DSpike, Noise, Synapse
from ..model import CompartmentSpec
from ..model.checks import check_name
from ..units import (AMPERE, DIMENSIONLESS, FARAD, FARAD_PER_M2, METRE, OHM_METRE, SECOND, SIEMENS,
                                SIEMENS_PER_M2, VOLT)
from .defaults import current_globals
from .parsing import parse_equations
from ..units import to_si
from .parsing import param_from_value

_GEOMETRY_UNITS = {"length": METRE, "diameter": METRE, "cm": FARAD_PER_M2, "gl": SIEMENS_PER_M2,
                   "cm_abs": FARAD, "gl_abs": SIEMENS, "r_axial": OHM_METRE, "v_rest": VOLT}


class CompartmentBuilder:
    """A compartment of a reduced model (Dendrify's ``Compartment``).

    Parameters take Brian 2 quantities: ``length``/``diameter`` (length), ``cm`` (F/m²),
    ``gl`` (S/m²), ``cm_abs`` (F), ``gl_abs`` (S), ``r_axial`` (ohm·m), ``v_rest`` (V);
    ``scale_factor`` and ``spine_factor`` are plain numbers scaling the membrane area.
    ``model`` is the membrane equation set: one of ``passive``, ``leakyIF``,
    ``adaptiveIF``, ``adex``, ``cadIF``.
    """

    _KIND = "generic"

    def __init__(self, name: str, model: str = "passive", length=None, diameter=None, cm=None, gl=None,
                 cm_abs=None, gl_abs=None, r_axial=None, v_rest=None, scale_factor=1.0, spine_factor=1.0):
        check_name(name, "compartment")
        obj = f"compartment {name}"
        if model not in MEMBRANE_MODELS:
            raise UnknownNameError(f"unknown membrane model {model!r}", obj=obj, param="model",
                                   expected=", ".join(MEMBRANE_MODELS))
        values = dict(length=length, diameter=diameter, cm=cm, gl=gl, cm_abs=cm_abs, gl_abs=gl_abs,
                      r_axial=r_axial, v_rest=v_rest)
        self._spec = CompartmentSpec(
            name=name, kind=self._KIND, membrane=model,
            scale_factor=to_si(scale_factor, DIMENSIONLESS, obj, "scale_factor", optional=False),
            spine_factor=to_si(spine_factor, DIMENSIONLESS, obj, "spine_factor", optional=False),
            **{k: to_si(v, _GEOMETRY_UNITS[k], obj, k) for k, v in values.items()})
        self._links: list[tuple] = []   # (a, b, g) of connect(), shared by both ends

    # -- identity -----------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._spec.name

    @property
    def description(self) -> CompartmentSpec:
        """The immutable model description of this compartment as declared so far."""
        return self._spec

    def _update(self, **changes) -> None:
        # Building the new spec validates it; on error the compartment is unchanged.
        self._spec = dataclasses.replace(self._spec, **changes)

    @property
    def _obj(self) -> str:
        return f"compartment {self.name}"

    # -- mechanisms -----------------------------------------------------------------
    def connect(self, other: CompartmentBuilder, g="half_cylinders") -> None:
        """Couple this compartment to ``other`` (as Dendrify: at once, both ways). Both
        compartments' ``equations`` and ``parameters`` then include the coupling current
        (``I_<other>_<self>``) and conductance (``g_<other>_<self>``), so they can be
        simulated from their own equations; a NeuronModel containing both couples them
        once, whether the pair is also in its list or not. ``g`` is a conductance,
        ``'half_cylinders'`` (default) or ``'cylinder_<name>'``."""
        if not isinstance(other, CompartmentBuilder):
            raise ModelError(f"{other!r} is not a compartment", obj=self._obj, param="connect",
                             expected="a Soma, Dendrite or Compartment")
        from ..model import ReducedModel
        # the pair as a model: a coupling its compartments cannot have fails now, as in Dendrify
        ReducedModel((self._spec, other._spec), (coupling_between(self, other, g),), globals=current_globals())
        if any({a.name, b.name} == {self.name, other.name} for a, b, _ in self._links + other._links):
            from ..errors import TopologyError
            raise TopologyError(f"{self.name!r} and {other.name!r} are already connected", obj=self._obj,
                                param="connect", expected="one connection per pair")
        link = (self, other, g)
        self._links.append(link)
        other._links.append(link)

    def synapse(self, channel: str, tag: str, g=None, t_rise=None, t_decay=None, scale_g: bool = False) -> None:
        """Add a synapse ``CHANNEL_TAG``: ``channel`` is AMPA, NMDA or GABA; ``g`` the
        maximum conductance; ``t_decay`` alone gives instant rise and exponential decay,
        ``t_rise`` and ``t_decay`` a difference of exponentials (``scale_g`` normalises its
        peak to ``g``)."""
        if channel not in SYNAPSE_CHANNELS:
            raise UnknownNameError(f"unknown synapse channel {channel!r}", obj=self._obj, param="channel",
                                   expected=", ".join(SYNAPSE_CHANNELS))
        obj = f"{self._obj} synapse {channel}_{tag}"
        if t_rise is not None and t_decay is None:
            raise ModelError("t_rise without t_decay", obj=obj, param="t_decay",
                             expected="a decay time constant whenever t_rise is given")
        syn = Synapse(channel, tag, g=to_si(g, SIEMENS, obj, "g"), t_decay=to_si(t_decay, SECOND, obj, "t_decay"),
                      t_rise=to_si(t_rise, SECOND, obj, "t_rise"), scale_g=bool(scale_g))
        self._update(synapses=self._spec.synapses + (syn,), declared=self._spec.declared + (f"synapse:{syn.name}",))

    def noise(self, tau=20 * ms, sigma=1 * pA, mean=0 * pA) -> None:
        """Add an Ornstein-Uhlenbeck noise current (correlation time ``tau``, standard
        deviation ``sigma`` and mean ``mean``, both currents)."""
        if self._spec.noise is not None:
            from ..errors import DuplicateNameError
            raise DuplicateNameError("noise was already added", obj=self._obj, param="noise",
                                     expected="one noise current per compartment")
        obj = f"{self._obj} noise"
        self._update(noise=Noise(tau=to_si(tau, SECOND, obj, "tau", optional=False),
                                 sigma=to_si(sigma, AMPERE, obj, "sigma", optional=False),
                                 mean=to_si(mean, AMPERE, obj, "mean", optional=False)),
                     declared=self._spec.declared + ("noise",))

    def add_equations(self, eqs: str) -> None:
        """Add Brian 2 equations to this compartment (as Dendrify: repeated text is ignored)."""
        new = parse_equations(eqs, self._obj)
        known = set(self._spec.equations)
        self._update(equations=self._spec.equations + tuple(e for e in new if e not in known))

    def add_params(self, params_dict: dict) -> None:
        """Add named constants (Brian 2 quantities or plain numbers) for this compartment's equations."""
        params = {p.name: p for p in self._spec.params}
        for name, value in dict(params_dict).items():
            params[name] = param_from_value(name, value, self._obj)
        self._update(params=tuple(params.values()))

    def channel(self, mechanism, **parameters) -> None:
        """Insert an NMODL density mechanism: a :class:`bridge.mechanisms.Mechanism` or the
        path of a ``.mod`` file (read with :func:`bridge.from_nmodl`). ``parameters`` are
        Brian 2 quantities named as in the NMODL file, e.g. ``gNaTa_tbar=2.04*siemens/cm**2``;
        the others keep the file's defaults. NEURON runs the file unchanged; Brian 2 runs
        its converted equations."""
        from ..errors import DuplicateNameError
        mechanism = _mechanism(mechanism)
        if mechanism.kind == "point":
            raise UnsupportedFeatureError(f"{mechanism.name} is a point process", obj=self._obj, param="channels",
                                          expected="a density mechanism (SUFFIX)",
                                          hint=f"place it with point_process({mechanism.name!r} file, label=...)")
        if any(c.name == mechanism.name for c in self._spec.channels):
            raise DuplicateNameError(f"{mechanism.name} is already inserted", obj=self._obj, param="channels",
                                     expected="each mechanism once per compartment")
        self._add_channel(mechanism, None, parameters, f"{self._obj} channel {mechanism.name}")

    def point_process(self, mechanism, label: str | None = None, **parameters) -> str:
        """Place an NMODL point process (POINT_PROCESS) at this compartment: a
        :class:`bridge.mechanisms.Mechanism` or the path of a ``.mod`` file. ``label``
        (default: the mechanism's name) names it in the compartment, so one mechanism can
        be placed more than once; ``parameters`` are Brian 2 quantities named as in the
        NMODL file (``tau=2*ms``, ``e=0*mV``, ``imax=0.5*nA``). Its current (nA) enters the
        compartment whole (no area). A point process with NET_RECEIVE receives events:
        ``bridge.SpikeTrain(compartment, label, times, weight=w)``, ``w`` in the unit of
        NET_RECEIVE's weight (uS for ExpSyn). Returns the label."""
        from ..errors import DuplicateNameError
        mechanism = _mechanism(mechanism)
        if mechanism.kind != "point":
            raise UnsupportedFeatureError(f"{mechanism.name} is a density mechanism", obj=self._obj,
                                          param="point_process", expected="a POINT_PROCESS",
                                          hint=f"insert it with channel({mechanism.name!r} file)")
        label = mechanism.name if label is None else label
        if any(c.name == label for c in self._spec.channels):
            raise DuplicateNameError(f"{label!r} is already used in this compartment", obj=self._obj, param="label",
                                     expected="a label unique among the compartment's channels and point processes",
                                     hint="give each point process its own label=")
        self._add_channel(mechanism, label, parameters, f"{self._obj} point process {label}")
        return label

    def _add_channel(self, mechanism, label, parameters: dict, obj: str) -> None:
        from ..model.channels import Channel
        known = {v.name: v for v in mechanism.parameters}
        values = []
        for name, value in parameters.items():
            if name not in known:
                raise UnknownNameError(f"{mechanism.name} has no parameter {name!r}", obj=obj, param=name,
                                       expected=", ".join(sorted(known)) or "no parameters")
            values.append((name, to_si(value, known[name].unit.dimension, obj, name, optional=False)))
        self._update(channels=self._spec.channels + (Channel(mechanism, tuple(values), label),))

    def ions(self, **reversals) -> None:
        """Set ion reversal potentials of this compartment (Brian 2 voltages named as in
        NEURON: ``ena``, ``ek``, ``eca``, ``ehcn``...). Unset ones keep NEURON's defaults
        (ena 50 mV, ek -77 mV, eca 132.458 mV); where a mechanism writes an ion's
        concentration (e.g. CaDynamics_E2), its reversal is the Nernst potential instead."""
        values = dict(self._spec.ions)
        for name, value in reversals.items():
            values[name] = to_si(value, VOLT, self._obj, name, optional=False)
        self._update(ions=tuple(values.items()))

    def _add_replacement(self, replacement) -> None:
        """Keep a checked ``replace_equations`` edit (bridge.Compartment checks it)."""
        self._update(replacements=self._spec.replacements + (replacement,))

    def _linked_model(self):
        """This compartment with the compartments it is connected to (``connect``) and those
        couplings, as a model: what its ``equations`` and ``parameters`` show."""
        from ..model import ReducedModel
        specs = {self.name: self._spec}
        for a, b, _ in self._links:
            other = b if a is self else a
            specs.setdefault(other.name, other._spec)
        couplings = tuple(coupling_between(a, b, g) for a, b, g in self._links)
        return ReducedModel(tuple(specs.values()), couplings, globals=current_globals())

    @property
    def area(self):
        from brian2.units import meter
        return None if self._spec.area is None else self._spec.area * meter ** 2

    @property
    def capacitance(self):
        from brian2.units import farad
        return None if self._spec.capacitance is None else self._spec.capacitance * farad

    @property
    def g_leakage(self):
        from brian2.units import siemens
        return None if self._spec.g_leak is None else self._spec.g_leak * siemens

    @property
    def dimensionless(self) -> bool:
        return self._spec.dimensionless

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, model={self._spec.membrane!r})"

    def __str__(self) -> str:
        from .text import describe_compartment
        return describe_compartment(self)


class SomaBuilder(CompartmentBuilder):
    """The somatic compartment (default membrane: ``leakyIF``)."""

    _KIND = "soma"

    def __init__(self, name: str, model: str = "leakyIF", **kwargs):
        super().__init__(name, model, **kwargs)


class DendriteBuilder(CompartmentBuilder):
    """A dendritic compartment (default membrane: ``passive``), which can carry dendritic spikes."""

    _KIND = "dendrite"

    def dspikes(self, name: str, threshold=None, g_rise=None, g_fall=None, duration_rise=None,
                duration_fall=None, reversal_rise=None, reversal_fall=None, offset_fall=None,
                refractory=None) -> None:
        """Add an event-driven dendritic spike mechanism called ``name``: when the voltage
        reaches ``threshold`` (outside ``refractory``), ``g_rise`` toward ``reversal_rise``
        opens for ``duration_rise``; ``offset_fall`` later, ``g_fall`` toward ``reversal_fall``
        opens for ``duration_fall``. Reversals are voltages or global names (``'E_Na'``).
        Values not given here can be set for the whole model with ``config_dspikes``."""
        obj = f"{self._obj} dspike {name}"
        ds = DSpike(name, **dspike_values(obj, threshold=threshold, g_rise=g_rise, g_fall=g_fall,
                                          duration_rise=duration_rise, duration_fall=duration_fall,
                                          offset_fall=offset_fall, refractory=refractory,
                                          reversal_rise=reversal_rise, reversal_fall=reversal_fall))
        self._update(dspikes=self._spec.dspikes + (ds,), declared=self._spec.declared + (f"dspike:{name}",))


def _mechanism(mechanism):
    """A Mechanism, or the path of a .mod file read with from_nmodl."""
    from ..mechanisms import Mechanism
    if isinstance(mechanism, Mechanism):
        return mechanism
    from ..convert import from_nmodl
    return from_nmodl(mechanism)


def coupling_between(a: CompartmentBuilder, b: CompartmentBuilder, g):
    """The model :class:`Coupling` of ``a`` and ``b`` through ``g`` (a conductance,
    ``'half_cylinders'`` or ``'cylinder_<name>'``), checked as Dendrify checks it."""
    from ..errors import TopologyError
    from ..model import Coupling
    obj = f"coupling {a.name}-{b.name}"
    if a is b or a.name == b.name:
        raise TopologyError(f"compartment {a.name!r} is connected to itself", obj=obj, param="b",
                            expected="two different compartments")
    if isinstance(g, str):
        if g == "half_cylinders":
            return Coupling(a.name, b.name, "half_cylinders")
        if g.startswith("cylinder_"):
            return Coupling(a.name, b.name, "cylinder", cylinder_of=g[len("cylinder_"):])
        raise UnknownNameError(f"unknown coupling {g!r}", obj=obj, param="g",
                               expected=f"a conductance, 'half_cylinders', 'cylinder_{a.name}' or 'cylinder_{b.name}'")
    return Coupling(a.name, b.name, "explicit", g=to_si(g, SIEMENS, obj, "g", optional=False))


_DSPIKE_UNITS = {"threshold": VOLT, "g_rise": SIEMENS, "g_fall": SIEMENS, "duration_rise": SECOND,
                 "duration_fall": SECOND, "offset_fall": SECOND, "refractory": SECOND}


def dspike_values(obj: str, **given) -> dict:
    """Checked DSpike field values (SI) for the arguments that are not None; reversal
    potentials may name a global parameter such as ``'E_Na'``."""
    out = {}
    for key, value in given.items():
        if value is None:
            continue
        if key in _DSPIKE_UNITS:
            out[key] = to_si(value, _DSPIKE_UNITS[key], obj, key)
        elif isinstance(value, str):
            globals_ = current_globals()
            names = [p.name for p in globals_.params if p.name.startswith("E") and p.dimension == VOLT]
            if value not in names:
                raise UnknownNameError(f"unknown reversal potential {value!r}", obj=obj, param=key,
                                       expected=", ".join(names) + " or a voltage")
            out[key] = globals_[value]
            out[f"{key}_name"] = value
        else:
            out[key] = to_si(value, VOLT, obj, key)
            out[f"{key}_name"] = None
    return out

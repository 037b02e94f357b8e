"""A compartment of a reduced model: membrane, passive properties, mechanisms."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ModelError
from .checks import check_choice, check_name, check_number, check_unique
from .channels import Channel, check_ion_values
from .mechanisms import DSpike, Equation, Noise, Param, Replacement, Synapse

COMPARTMENT_KINDS = ("soma", "dendrite", "generic")
#: Membrane equations a compartment can use. ``passive`` and ``leakyIF`` share their
#: equations (they differ only in whether the user adds spiking).
MEMBRANE_MODELS = ("passive", "leakyIF", "adaptiveIF", "adex", "cadIF")
#: Parameters each membrane model reads besides C, gL and EL (user-supplied through add_params).
MEMBRANE_PARAMETERS = {
    "passive": (), "leakyIF": (),
    "adaptiveIF": ("a", "tauw"),
    "adex": ("a", "tauw", "DeltaT", "Vth"),
    "cadIF": ("gAmax", "EA", "tauA"),
}


@dataclass(frozen=True)
class CompartmentSpec:
    """One isopotential compartment.

    Its passive properties come either from a cylinder (``length``, ``diameter`` in m;
    specific ``cm`` in F/m², ``gl`` in S/m²; ``r_axial`` in ohm·m; area scaled by
    ``scale_factor`` and, for dendrites, ``spine_factor``) or from absolute values
    (``cm_abs`` in F, ``gl_abs`` in S), never both. ``v_rest`` (V) is the leak
    reversal and the initial voltage. ``channels`` are NMODL density mechanisms with
    this compartment's parameter values, and NMODL point processes (each with its label);
    ``ions`` sets reversal potentials (``("ena", 0.05)``, V) where they differ from
    NEURON's defaults. ``replacements`` are Dendrify's ``replace_equations`` edits of the
    compartment's Brian 2 equations; ``declared`` (keys of :attr:`mechanism_keys`) is the
    order synapses, noise and dspikes were declared in, which the Brian 2 printer follows
    as Dendrify does (their currents, the last first); keys it lacks follow in the order of
    :attr:`mechanism_keys`, keys of removed mechanisms are ignored.
    """

    name: str
    kind: str = "generic"
    membrane: str = "passive"
    v_rest: float | None = None
    length: float | None = None
    diameter: float | None = None
    cm: float | None = None
    gl: float | None = None
    r_axial: float | None = None
    cm_abs: float | None = None
    gl_abs: float | None = None
    scale_factor: float = 1.0
    spine_factor: float = 1.0
    synapses: tuple[Synapse, ...] = ()
    noise: Noise | None = None
    dspikes: tuple[DSpike, ...] = ()
    params: tuple[Param, ...] = ()
    equations: tuple[Equation, ...] = ()
    channels: tuple[Channel, ...] = ()
    ions: tuple[tuple[str, float], ...] = ()
    replacements: tuple[Replacement, ...] = ()
    declared: tuple[str, ...] = ()

    def __post_init__(self):
        obj = f"compartment {self.name}"
        check_name(self.name, "compartment")
        check_choice(self.kind, COMPARTMENT_KINDS, obj, "kind")
        check_choice(self.membrane, MEMBRANE_MODELS, obj, "membrane")
        object.__setattr__(self, "v_rest", check_number(self.v_rest, obj, "v_rest", unit="V"))
        for attr, unit in (("length", "m"), ("diameter", "m"), ("cm", "F/m^2"), ("r_axial", "ohm*m"),
                           ("cm_abs", "F")):
            object.__setattr__(self, attr, check_number(getattr(self, attr), obj, attr, positive=True, unit=unit))
        for attr, unit in (("gl", "S/m^2"), ("gl_abs", "S")):
            object.__setattr__(self, attr, check_number(getattr(self, attr), obj, attr, non_negative=True,
                                                        unit=unit))
        for attr in ("scale_factor", "spine_factor"):
            object.__setattr__(self, attr, check_number(getattr(self, attr), obj, attr, positive=True,
                                                        optional=False, unit="1"))
        if self.dimensionless:
            present = [a for a in ("length", "diameter", "cm", "gl", "r_axial") if getattr(self, a) is not None]
            if present:
                raise ModelError(f"absolute cm_abs/gl_abs cannot be combined with {', '.join(present)}",
                                 obj=obj, param=present[0], expected="either cylinder geometry or absolute values",
                                 hint="drop cm_abs/gl_abs for a cylinder, or drop the geometry for an RC compartment")
        for attr in ("synapses", "dspikes", "params", "equations", "replacements"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        check_unique([s.name for s in self.synapses], obj, "synapses")
        check_unique([d.name for d in self.dspikes], obj, "dspikes")
        check_unique([p.name for p in self.params], obj, "params")
        object.__setattr__(self, "channels", tuple(self.channels))
        check_unique([c.name for c in self.channels], obj, "channels")
        object.__setattr__(self, "declared", tuple(self.declared))
        if not all(isinstance(key, str) for key in self.declared):
            raise ModelError(f"{list(self.declared)!r} is not a list of names", obj=obj, param="declared",
                             expected="'synapse:<name>', 'noise' or 'dspike:<name>' entries")
        check_unique(list(self.declared), obj, "declared")
        object.__setattr__(self, "ions", check_ion_values(self.ions, obj))

    @property
    def mechanism_keys(self) -> tuple[str, ...]:
        """``synapse:<name>``, ``noise`` and ``dspike:<name>`` of this compartment."""
        return (tuple(f"synapse:{syn.name}" for syn in self.synapses) + (("noise",) if self.noise else ())
                + tuple(f"dspike:{d.name}" for d in self.dspikes))

    @property
    def declaration_order(self) -> tuple[str, ...]:
        """:attr:`mechanism_keys` in the order of ``declared`` (see the class docstring)."""
        keys = self.mechanism_keys
        known = tuple(k for k in self.declared if k in keys)
        return known + tuple(k for k in keys if k not in known)

    # -- derived passive properties -------------------------------------------------
    @property
    def dimensionless(self) -> bool:
        """True when given by absolute capacitance/leak instead of a cylinder."""
        return self.cm_abs is not None or self.gl_abs is not None

    @property
    def area_factor(self) -> float:
        """Total area scale: ``scale_factor * spine_factor``."""
        return self.scale_factor * self.spine_factor

    @property
    def area(self) -> float | None:
        """Membrane area of the open cylinder times the area factors (m²), or None."""
        if self.dimensionless or self.length is None or self.diameter is None:
            return None
        return math.pi * self.length * self.diameter * self.area_factor

    @property
    def capacitance(self) -> float | None:
        """Absolute membrane capacitance (F), or None when not determined."""
        if self.dimensionless:
            return self.cm_abs
        area = self.area
        return None if area is None or self.cm is None else area * self.cm

    @property
    def g_leak(self) -> float | None:
        """Absolute leak conductance (S), or None when not determined."""
        if self.dimensionless:
            return self.gl_abs
        area = self.area
        return None if area is None or self.gl is None else area * self.gl

    @property
    def axial_conductance(self) -> float | None:
        """Conductance of the whole cylinder end to end (S): pi d² / (4 Ra L)."""
        if self.dimensionless or None in (self.length, self.diameter, self.r_axial):
            return None
        return 1.0 / (4 * self.r_axial * self.length / (math.pi * self.diameter ** 2))

    def synapse(self, name: str) -> Synapse:
        """The synapse called ``CHANNEL_TAG`` (e.g. ``"NMDA_x"``)."""
        for syn in self.synapses:
            if syn.name == name:
                return syn
        from ..errors import UnknownNameError
        raise UnknownNameError(f"no synapse {name!r}", obj=f"compartment {self.name}", param="synapses",
                               expected=", ".join(s.name for s in self.synapses) or "a synapse added with synapse()")

    @property
    def point_processes(self) -> tuple[Channel, ...]:
        """The NMODL point processes placed in this compartment (channels of kind point)."""
        return tuple(c for c in self.channels if c.is_point)

    @property
    def density_channels(self) -> tuple[Channel, ...]:
        return tuple(c for c in self.channels if not c.is_point)

    def input_target(self, name: str) -> Synapse | Channel:
        """What a SpikeTrain or Poisson input called ``name`` drives: the synapse
        ``CHANNEL_TAG`` or the point process with that label, which must have a
        NET_RECEIVE block taking only ``weight``."""
        from ..errors import UnknownNameError, UnsupportedFeatureError
        for syn in self.synapses:
            if syn.name == name:
                return syn
        for pp in self.point_processes:
            if pp.label == name:
                mech = pp.mechanism
                if not mech.net_receive:
                    raise UnsupportedFeatureError(f"{name} ({mech.name}) has no NET_RECEIVE block, so it cannot "
                                                  "receive events", obj=f"compartment {self.name}", param=name,
                                                  expected="a synapse or a point process with NET_RECEIVE")
                if len(mech.net_receive_args) != 1:
                    raise UnsupportedFeatureError(
                        f"{name} ({mech.name}) has NET_RECEIVE({', '.join(mech.net_receive_args)}): bridge delivers "
                        "events with one weight", obj=f"compartment {self.name}", param=name,
                        expected="NET_RECEIVE(weight)")
                return pp
        raise UnknownNameError(f"no synapse or point process {name!r}", obj=f"compartment {self.name}",
                               param="synapses", expected=", ".join([s.name for s in self.synapses]
                                                                    + [p.label for p in self.point_processes])
                               or "a synapse added with synapse() or a point process with point_process()")

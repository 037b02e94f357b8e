"""Mechanisms a compartment carries, shaped like NMODL blocks: parameters, states
with their equations, and events. All values are floats in SI units (the field
comments name the unit); ``None`` means "not set" (the user supplies it later, as
Dendrify allows)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import ModelError
from .checks import check_bool, check_choice, check_name, check_number
from ..units import Dimension

SYNAPSE_CHANNELS = ("AMPA", "NMDA", "GABA")
EQUATION_KINDS = ("differential", "subexpression", "parameter")
ASSIGNMENT_OPERATORS = ("=", "+=", "-=", "*=", "/=")


@dataclass(frozen=True)
class Replacement:
    """An edit of generated equations (Dendrify's ``replace_equations``): every occurrence
    of the text ``old`` becomes ``new``. On a compartment it edits the compartment's own
    equations (before couplings are added); on a model, every compartment's equations
    with their couplings. The Brian 2 printer applies it; NEURON runs it through the
    Brian 2 -> NMODL converter."""

    old: str
    new: str

    def __post_init__(self):
        if not isinstance(self.old, str) or not self.old.strip():
            raise ModelError(f"{self.old!r} is not text to replace", obj="replace_equations", param="eqs_old",
                             expected="the non-empty text of equations, as print(...equations) shows it")
        if not isinstance(self.new, str):
            raise ModelError(f"{self.new!r} is not text", obj="replace_equations", param="eqs_new",
                             expected="a string of Brian 2 equations")


@dataclass(frozen=True)
class Param:
    """A named constant added by the user (``add_params``): ``value`` in SI units of ``dimension``."""

    name: str
    value: float
    dimension: Dimension = field(default_factory=Dimension)

    def __post_init__(self):
        # Parameter names may be Brian 2 names like "Vth" or "tauw"; only require identifiers.
        if not isinstance(self.name, str) or not self.name.isidentifier():
            check_name(self.name, "parameter", "name")
        number = check_number(self.value, f"parameter {self.name}", "value", optional=False)
        if isinstance(self.value, int) and not isinstance(self.value, bool) and self.dimension.dimensionless:
            number = int(self.value)   # a plain integer stays one (Dendrify prints it as given)
        object.__setattr__(self, "value", number)


@dataclass(frozen=True)
class Equation:
    """One user equation (``add_equations``), as its parts.

    ``kind`` is ``differential`` (d<variable>/dt = expression), ``subexpression``
    (variable = expression) or ``parameter`` (a per-neuron constant, no expression).
    ``expression`` uses Brian 2 / NMODL-compatible syntax; ``dimension`` is the
    variable's dimension. ``text`` is the line as the user wrote it (after the blank lines
    that opened its block, if it is the first), which the Brian 2 printer shows as it is
    (so ``replace_equations`` finds the user's own text); the builder fills it from the
    same line Brian 2's parser read the other fields from.
    """

    kind: str
    variable: str
    expression: str | None
    dimension: Dimension = field(default_factory=Dimension)
    flags: tuple[str, ...] = ()
    text: str | None = None

    def __post_init__(self):
        obj = f"equation {self.variable}"
        check_choice(self.kind, EQUATION_KINDS, obj, "kind")
        if not isinstance(self.variable, str) or not self.variable.isidentifier():
            check_name(self.variable, obj, "variable")
        if (self.kind == "parameter") != (self.expression is None):
            raise ModelError("a parameter has no expression; other kinds need one", obj=obj, param="expression")
        if self.expression is not None and not isinstance(self.expression, str):
            raise ModelError(f"{self.expression!r} is not code", obj=obj, param="expression", expected="a string")
        if self.text is not None and (not isinstance(self.text, str) or "\n" in self.text.lstrip("\n")):
            raise ModelError(f"{self.text!r} is not one line of text", obj=obj, param="text",
                             expected="one line, after any blank lines")
        if isinstance(self.flags, str) or not all(isinstance(f, str) for f in self.flags):
            raise ModelError(f"{self.flags!r} is not a list of flags", obj=obj, param="flags",
                             expected="a list of strings")
        object.__setattr__(self, "flags", tuple(self.flags))


    @classmethod
    def from_brian2(cls, single, text: str | None = None) -> "Equation":
        """The Equation of one of Brian 2's parsed equations (an item of ``brian2.Equations``)."""
        from brian2.units.fundamentalunits import Quantity

        from ..units import dimension_of
        kinds = {"differential equation": "differential", "subexpression": "subexpression",
                 "parameter": "parameter"}
        expression = None if single.expr is None else str(single.expr.code)
        return cls(kinds[single.type], single.varname, expression, dimension_of(Quantity(1.0, dim=single.dim)),
                   tuple(single.flags), text)

@dataclass(frozen=True)
class Synapse:
    """A conductance-based synapse with exponential (decay-only) or rise+decay kinetics.

    ``g`` is the maximum conductance (S), ``t_decay`` and ``t_rise`` time constants (s).
    With ``scale_g`` and both time constants, the peak of the rise+decay conductance is
    normalised to ``g`` (see :attr:`g_effective`). ``weight`` multiplies every event.
    """

    channel: str
    tag: str
    g: float | None = None          # siemens
    t_decay: float | None = None    # second
    t_rise: float | None = None     # second
    scale_g: bool = False
    weight: float = 1.0             # dimensionless

    def __post_init__(self):
        obj = f"synapse {self.channel}_{self.tag}"
        check_choice(self.channel, SYNAPSE_CHANNELS, obj, "channel")
        check_name(self.tag, obj, "tag")
        object.__setattr__(self, "g", check_number(self.g, obj, "g", non_negative=True, unit="S"))
        object.__setattr__(self, "t_decay", check_number(self.t_decay, obj, "t_decay", positive=True, unit="s"))
        object.__setattr__(self, "t_rise", check_number(self.t_rise, obj, "t_rise", positive=True, unit="s"))
        check_bool(self.scale_g, obj, "scale_g")
        object.__setattr__(self, "weight", check_number(self.weight, obj, "weight", optional=False, unit="1"))
        if self.rise_decay and self.scale_g and math.isclose(self.t_rise, self.t_decay):
            raise ModelError("t_rise equals t_decay, so the peak normalisation (scale_g) is undefined",
                             obj=obj, param="t_rise", expected="t_rise != t_decay")

    @property
    def name(self) -> str:
        """``CHANNEL_TAG``, the name stimuli use to address this synapse."""
        return f"{self.channel}_{self.tag}"

    @property
    def rise_decay(self) -> bool:
        """True for the two-state (rise and decay) kinetics."""
        return self.t_rise is not None and self.t_decay is not None

    @property
    def g_effective(self) -> float | None:
        """The conductance coefficient used in the equations (S): ``g``, times the peak
        normalisation factor when ``scale_g`` applies."""
        if self.g is None or not (self.scale_g and self.rise_decay):
            return self.g
        return self.g * peak_normalisation(self.t_rise, self.t_decay)


def peak_normalisation(t_rise: float, t_decay: float) -> float:
    """Factor that makes the peak of the rise+decay conductance equal 1.

    The rise+decay kinetics (ds/dt = -s/t_rise, dx/dt = -x/t_decay + s/ms) give, for a
    unit event, x(t) = t_decay*t_rise/(t_decay-t_rise) * (exp(-t/t_decay) - exp(-t/t_rise)) / ms;
    the factor is one over its maximum, reached at t_peak.
    """
    tau = t_decay * t_rise / (t_decay - t_rise)
    t_peak = tau * math.log(t_decay / t_rise)
    peak = tau * (math.exp(-t_peak / t_decay) - math.exp(-t_peak / t_rise)) / 1e-3
    return 1.0 / peak


@dataclass(frozen=True)
class Noise:
    """An Ornstein-Uhlenbeck noise current: mean ``mean`` (A), standard deviation
    ``sigma`` (A), correlation time ``tau`` (s)."""

    tau: float = 20e-3
    sigma: float = 1e-12
    mean: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "tau", check_number(self.tau, "noise", "tau", positive=True, optional=False, unit="s"))
        object.__setattr__(self, "sigma", check_number(self.sigma, "noise", "sigma", non_negative=True,
                                                       optional=False, unit="A"))
        object.__setattr__(self, "mean", check_number(self.mean, "noise", "mean", optional=False, unit="A"))


@dataclass(frozen=True)
class DSpike:
    """An event-driven dendritic spike: when V crosses ``threshold`` (V) outside the
    refractory period, a rise conductance ``g_rise`` (S) toward ``reversal_rise`` (V)
    opens for ``duration_rise`` (s); after ``offset_fall`` (s) a fall conductance
    ``g_fall`` toward ``reversal_fall`` opens for ``duration_fall``. ``reversal_*_name``
    records a global reversal it came from (e.g. ``"E_Na"``)."""

    name: str
    g_rise: float | None = None
    g_fall: float | None = None
    threshold: float | None = None
    duration_rise: float | None = None
    duration_fall: float | None = None
    offset_fall: float | None = None
    refractory: float | None = None
    reversal_rise: float | None = None
    reversal_fall: float | None = None
    reversal_rise_name: str | None = None
    reversal_fall_name: str | None = None

    def __post_init__(self):
        obj = f"dspike {self.name}"
        check_name(self.name, obj)
        for attr, unit, rule in (("g_rise", "S", "nn"), ("g_fall", "S", "nn"), ("threshold", "V", ""),
                                 ("duration_rise", "s", "p"), ("duration_fall", "s", "p"),
                                 ("offset_fall", "s", "nn"), ("refractory", "s", "nn"),
                                 ("reversal_rise", "V", ""), ("reversal_fall", "V", "")):
            object.__setattr__(self, attr, check_number(getattr(self, attr), obj, attr, unit=unit,
                                                        positive=rule == "p", non_negative=rule == "nn"))


@dataclass(frozen=True)
class Assignment:
    """One statement of a reset: ``variable operator expression`` (e.g. ``V_soma = 40*mV``)."""

    variable: str
    operator: str
    expression: str

    def __post_init__(self):
        check_choice(self.operator, ASSIGNMENT_OPERATORS, f"assignment to {self.variable}", "operator")
        if not self.variable.isidentifier():
            check_name(self.variable, "assignment", "variable")

    def __str__(self) -> str:
        return f"{self.variable} {self.operator} {self.expression}"


@dataclass(frozen=True)
class Spiking:
    """Somatic spiking: a threshold condition, reset statements, an optional second
    reset applied ``spike_width`` (s) after the spike, and a refractory period (s)."""

    threshold: str
    reset: tuple[Assignment, ...] = ()
    second_reset: tuple[Assignment, ...] = ()
    spike_width: float | None = None
    refractory: float | None = None

    def __post_init__(self):
        if not isinstance(self.threshold, str):
            raise ModelError(f"{self.threshold!r} is not a condition", obj="spiking", param="threshold",
                             expected="a string")
        object.__setattr__(self, "reset", tuple(self.reset))
        object.__setattr__(self, "second_reset", tuple(self.second_reset))
        object.__setattr__(self, "spike_width", check_number(self.spike_width, "spiking", "spike_width",
                                                             positive=True, unit="s"))
        object.__setattr__(self, "refractory", check_number(self.refractory, "spiking", "refractory",
                                                            non_negative=True, unit="s"))
        if bool(self.second_reset) != (self.spike_width is not None):
            raise ModelError("second_reset and spike_width go together", obj="spiking", param="second_reset",
                             expected="both or neither", hint="give both second_reset and spike_width")

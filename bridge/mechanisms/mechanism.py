"""A mechanism, shaped like the blocks of an NMODL file.

One :class:`Mechanism` holds everything both simulators need: its parameters (with
units and defaults), states, the straight-line statements of INITIAL and of each time
step, the derivatives of its states, the currents it contributes (to an ion or
nonspecific), the ions it reads and writes, and what an incoming event does
(NET_RECEIVE). The Brian 2 printer turns it into equation lines and a namespace; in
NEURON the mechanism's own NMODL file runs.

Conventions (those of NMODL, so that every expression is the file's own arithmetic):

- every value and expression is a plain number in the variable's *declared* unit
  (:class:`Unit`: ``mV``, ``ms``, ``S/cm2``, ``mM``...); a unit's ``scale`` is its SI value,
  so printers convert at the boundary and nowhere else;
- free symbols an expression may use besides the mechanism's own variables: ``v``
  (membrane voltage, mV), ``t`` (ms), ``celsius`` (degC), ion variables the mechanism
  reads (``ena``, ``cai``, ``ica``...), and in NET_RECEIVE its arguments (``weight``...);
- time derivatives are per millisecond, NMODL's time unit;
- expressions use Python/Brian 2 syntax: ``**``, ``exp``, ``log``, ``log10``, ``sqrt``,
  ``abs``, ``sin``, ``cos``, ``tanh``, ``and``/``or``/``not``, comparisons, and
  ``ifelse(condition, a, b)`` for a conditional value;
- statement targets are unique within a block (a variable assigned twice in NMODL
  becomes ``x``, ``x_1``...); the last value keeps the variable's own name.

Blocks that run on events (INITIAL, NET_RECEIVE, BEFORE BREAKPOINT) are imperative, as in
NMODL: besides :class:`Assign` they may hold :class:`If` statements and :class:`Call` actions
(``net_send``, ``net_event``, ``watch``, ``random_setseq``), and a target may be assigned
more than once. NET_RECEIVE also sees ``flag`` (0 for a NetCon event, the ``net_send``
flag for a self-event). The continuous part (the step statements and the derivatives)
stays straight-line: it is what the Brian 2 printer turns into equations.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from ..errors import ModelError
from ..units import Dimension

MECHANISM_KINDS = ("density", "point")
ROLES = ("parameter", "state", "assigned")
SCOPES = ("range", "private", "global")
#: Ions NEURON knows without a declaration of valence, with their charge.
ION_VALENCE = {"na": 1, "k": 1, "ca": 2, "cl": -1, "h": 1}
#: Symbols an expression may use without declaring them.
BUILTIN_SYMBOLS = ("v", "t", "celsius", "dt")


def _identifier(name, obj: str, param: str = "name") -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise ModelError(f"invalid name {name!r}", obj=obj, param=param, expected="an identifier")
    return name


def _expression(text, obj: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ModelError("empty expression", obj=obj, param="expression")
    return text


@dataclass(frozen=True)
class Unit:
    """A declared unit: its ``text`` as written (``S/cm2``), its ``scale`` (the SI value of
    one such unit: ``S/cm2`` -> 1e4, ``mV`` -> 1e-3) and its SI ``dimension``."""

    text: str
    scale: float
    dimension: Dimension

    def __post_init__(self):
        if not isinstance(self.scale, (int, float)) or not math.isfinite(self.scale) or self.scale <= 0:
            raise ModelError(f"scale {self.scale!r} is not a positive number", obj=f"unit {self.text}",
                             param="scale")
        object.__setattr__(self, "scale", float(self.scale))


#: The unit of plain numbers.
ONE = Unit("1", 1.0, Dimension())


@dataclass(frozen=True)
class Variable:
    """A declared variable: ``role`` parameter, state or assigned; ``scope`` range (one
    value per instance), private (one per instance, not visible from HOC or Python: an
    ASSIGNED variable that NMODL's NEURON block does not list) or global (one per
    mechanism); ``value`` the default (parameters)
    or ``None``; ``line`` where it is declared in the source (0 when unknown)."""

    name: str
    unit: Unit = ONE
    role: str = "parameter"
    value: float | None = None
    scope: str = "range"
    line: int = 0

    def __post_init__(self):
        obj = f"variable {self.name}"
        _identifier(self.name, obj)
        if self.role not in ROLES:
            raise ModelError(f"unknown role {self.role!r}", obj=obj, param="role", expected=" or ".join(ROLES))
        if self.scope not in SCOPES:
            raise ModelError(f"unknown scope {self.scope!r}", obj=obj, param="scope", expected=" or ".join(SCOPES))
        if self.scope == "private" and self.role != "assigned":
            raise ModelError(f"a {self.role} cannot be private", obj=obj, param="scope",
                             expected="range or global (NMODL makes an unlisted PARAMETER global)")
        if self.value is not None:
            object.__setattr__(self, "value", float(self.value))


@dataclass(frozen=True)
class Assign:
    """One statement ``target = expression`` (see the module's conventions)."""

    target: str
    expression: str

    def __post_init__(self):
        _identifier(self.target, f"statement {self.target} = ...", "target")
        _expression(self.expression, f"statement {self.target}")


@dataclass(frozen=True)
class If:
    """``if (condition) { then } else { otherwise }`` in an event block."""

    condition: str
    then: tuple = ()
    otherwise: tuple = ()

    def __post_init__(self):
        _expression(self.condition, "if statement")
        for attr in ("then", "otherwise"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
            for st in getattr(self, attr):
                if not isinstance(st, (Assign, If, Call)):
                    raise ModelError(f"{st!r} is not a statement", obj=f"if ({self.condition})", param=attr,
                                     expected="Assign, If or Call")


#: Actions a :class:`Call` may take, with their arguments (all expressions except the
#: RANDOM variable of ``random_setseq`` and the integer flags).
CALLS = {
    "net_send": ("delay", "flag"),        # a self-event after delay (ms), delivered with flag
    "net_event": ("time",),               # a spike at time (ms) to the NetCons of this point process
    "watch": ("condition", "flag"),       # from now on, an event with flag whenever condition becomes true
    "random_setseq": ("random", "index"),  # position a RANDOM stream (Random123) at index
}
#: Where each action may appear.
_CALLS_IN = {"initial": {"net_send", "random_setseq"}, "net_receive": {"net_send", "net_event", "watch"},
             "before_step": {"random_setseq"}, "after_step": set()}


@dataclass(frozen=True)
class Call:
    """An action of an event block: ``function`` one of :data:`CALLS`, ``args`` its
    arguments as expression texts (a flag is an integer)."""

    function: str
    args: tuple[str, ...]

    def __post_init__(self):
        obj = f"call {self.function}"
        if self.function not in CALLS:
            raise ModelError(f"unknown action {self.function!r}", obj=obj, param="function",
                             expected=", ".join(CALLS))
        object.__setattr__(self, "args", tuple(str(a) for a in self.args))
        if len(self.args) != len(CALLS[self.function]):
            raise ModelError(f"takes {len(CALLS[self.function])} arguments ({', '.join(CALLS[self.function])}), "
                             f"not {len(self.args)}", obj=obj, param="args")
        for name, arg in zip(CALLS[self.function], self.args):
            if name == "flag" and not arg.isdigit():
                raise ModelError(f"flag {arg!r} is not a non-negative integer", obj=obj, param="flag")
            _expression(arg, obj)


def walk(statements):
    """Every :class:`Assign` and :class:`Call` in ``statements``, depth first, and the
    condition text of every :class:`If` (as a string)."""
    for st in statements:
        if isinstance(st, If):
            yield st.condition
            yield from walk(st.then)
            yield from walk(st.otherwise)
        else:
            yield st


@dataclass(frozen=True)
class Derivative:
    """``d state / dt = expression`` (in the state's unit per ms)."""

    state: str
    expression: str

    def __post_init__(self):
        _identifier(self.state, f"derivative of {self.state}", "state")
        _expression(self.expression, f"derivative of {self.state}")


@dataclass(frozen=True)
class Current:
    """A current the mechanism writes: ``variable`` (``ina``, ``i``) carried by ``ion``
    (``None`` for a nonspecific current). Outward positive, as in NEURON: mA/cm2 for
    density mechanisms, nA for point processes. ``electrode``: a point process's
    ELECTRODE_CURRENT instead, inward positive like an IClamp's."""

    variable: str
    ion: str | None = None
    electrode: bool = False

    def __post_init__(self):
        if self.electrode and self.ion is not None:
            raise ModelError("an electrode current carries no ion", obj=f"current {self.variable}", param="ion")


@dataclass(frozen=True)
class IonUse:
    """``USEION ion READ ... WRITE ... [VALENCE z]``: the ion variables read (``ena``,
    ``cai``, ``cao``, ``ica``) and written (``ina``, ``cai``)."""

    ion: str
    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    valence: int | None = None

    def __post_init__(self):
        _identifier(self.ion, "ion", "ion")
        object.__setattr__(self, "read", tuple(self.read))
        object.__setattr__(self, "write", tuple(self.write))
        if self.valence is None and self.ion not in ION_VALENCE:
            raise ModelError(f"ion {self.ion!r} has no known valence", obj=f"ion {self.ion}", param="valence",
                             expected=f"VALENCE given, or one of {', '.join(ION_VALENCE)}")

    @property
    def charge(self) -> int:
        return self.valence if self.valence is not None else ION_VALENCE[self.ion]


@dataclass(frozen=True)
class Source:
    """Where a mechanism came from: the file's ``text``, its ``path`` (as given) and the
    SHA-256 of the text, so a saved model carries what it needs to run elsewhere. A
    ``sha256`` given (read back from a file) must match the text."""

    text: str
    path: str = ""
    sha256: str = ""

    def __post_init__(self):
        if not isinstance(self.text, str):
            raise ModelError("the source text is not a string", obj=f"source {self.path}", param="text")
        digest = hashlib.sha256(self.text.encode()).hexdigest()
        if self.sha256 and self.sha256 != digest:
            raise ModelError("the source text does not match its SHA-256 (edited or corrupted)",
                             obj=f"source {self.path}", param="sha256", expected=digest,
                             hint="convert the mechanism again from its .mod file")
        object.__setattr__(self, "sha256", digest)


@dataclass(frozen=True)
class Mechanism:
    """One mechanism (see the module docstring for units and syntax).

    ``initial``: INITIAL's statements (they set the states). ``step``: the statements
    evaluated at every time step before the derivatives (rates from DERIVATIVE's
    procedure calls) and after them (BREAKPOINT's currents), in order; ``derivatives``:
    one per state that evolves. ``net_receive``: statements run on an incoming event,
    with ``net_receive_args`` (``weight``...) and ``flag`` as free symbols;
    ``before_step``: statements run before each step's currents (NMODL's BEFORE
    BREAKPOINT); ``after_step``: assignments at the end of each step's state update
    (printed last in DERIVATIVE, where the membrane potential is already the step's new
    one: a BEFORE BREAKPOINT block costs a call per instance and step in NEURON 9, this
    nothing; it needs derivatives); ``randoms``: RANDOM streams (Random123) the blocks draw from with
    ``random_normal(name)`` or ``random_uniform(name)``. ``tables`` is True when
    the source computes rates through TABLE (NEURON's tables are then switched off so
    both simulators compute the same function). ``method`` is the NMODL SOLVE method.
    """

    name: str
    kind: str = "density"
    variables: tuple[Variable, ...] = ()
    ions: tuple[IonUse, ...] = ()
    currents: tuple[Current, ...] = ()
    initial: tuple[Assign, ...] = ()
    step: tuple[Assign, ...] = ()
    derivatives: tuple[Derivative, ...] = ()
    net_receive: tuple[Assign, ...] = ()
    net_receive_args: tuple[str, ...] = ()
    before_step: tuple = ()
    after_step: tuple = ()
    randoms: tuple[str, ...] = ()
    tables: bool = False
    method: str = "cnexp"
    source: Source | None = None

    def __post_init__(self):
        obj = f"mechanism {self.name}"
        _identifier(self.name, obj)
        if self.kind not in MECHANISM_KINDS:
            raise ModelError(f"unknown kind {self.kind!r}", obj=obj, param="kind",
                             expected=" or ".join(MECHANISM_KINDS))
        for attr in ("variables", "ions", "currents", "initial", "step", "derivatives", "net_receive",
                     "net_receive_args", "before_step", "after_step", "randoms"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        for st in self.step:
            if not isinstance(st, Assign):
                raise ModelError(f"{st!r} in the step statements", obj=obj, param="step",
                                 expected="Assign statements only (events belong in NET_RECEIVE)")
        for block, allowed in _CALLS_IN.items():
            for st in walk(getattr(self, block)):
                if isinstance(st, Call) and st.function not in allowed:
                    raise ModelError(f"{st.function} in {block}", obj=obj, param=block,
                                     expected=f"one of {', '.join(sorted(allowed))} there")
                if isinstance(st, Call) and st.function == "random_setseq" and st.args[0] not in self.randoms:
                    raise ModelError(f"random_setseq of {st.args[0]!r}, which is not a RANDOM of the mechanism",
                                     obj=obj, param="randoms", expected=", ".join(self.randoms) or "a RANDOM")
        if self.before_step and self.kind != "point":
            raise ModelError("BEFORE BREAKPOINT statements in a density mechanism", obj=obj, param="before_step",
                             expected="a point process")
        if self.after_step and not self.derivatives:
            raise ModelError("statements after the state update of a mechanism without states", obj=obj,
                             param="after_step", expected="derivatives, or before_step statements")
        names = [v.name for v in self.variables]
        duplicate = {n for n in names if names.count(n) > 1}
        if duplicate:
            raise ModelError(f"{sorted(duplicate)} declared twice", obj=obj, param="variables")
        states = {v.name for v in self.variables if v.role == "state"}
        for d in self.derivatives:
            if d.state not in states:
                raise ModelError(f"derivative of {d.state!r}, which is not a state", obj=obj, param="derivatives",
                                 expected=f"one of {sorted(states)}")
        if any(c.electrode for c in self.currents) and self.kind != "point":
            raise ModelError("an electrode current in a density mechanism", obj=obj, param="currents",
                             expected="a point process")
        for c in self.currents:
            if c.ion is not None and c.ion not in {i.ion for i in self.ions}:
                raise ModelError(f"current {c.variable} of ion {c.ion!r}, which is not used", obj=obj,
                                 param="currents")

    def variable(self, name: str) -> Variable:
        for v in self.variables:
            if v.name == name:
                return v
        from ..errors import UnknownNameError
        raise UnknownNameError(f"no variable {name!r}", obj=f"mechanism {self.name}", param=name,
                               expected=", ".join(v.name for v in self.variables))

    @property
    def parameters(self) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.role == "parameter")

    @property
    def states(self) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.role == "state")

    @property
    def assigned(self) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.role == "assigned")

    @property
    def has_actions(self) -> bool:
        """True when an event block holds an :class:`If` or a :class:`Call`, or the
        mechanism draws random numbers: NMODL-only machinery that the Brian 2 channel
        printer does not translate (bridge's own dendritic spike, integrate-and-fire
        membrane and noise source are printed for Brian 2 by their own modules)."""
        blocks = (*self.initial, *self.net_receive, *self.before_step)
        return bool(self.randoms or self.before_step or self.after_step) or any(isinstance(st, (If, Call)) for st in blocks)

    @property
    def names_used(self) -> frozenset[str]:
        """Every symbol its statements and derivatives read or assign (``celsius`` among them
        when its rates depend on the temperature)."""
        from .expressions import names
        used = set()
        for st in walk((*self.initial, *self.step, *self.net_receive, *self.before_step, *self.after_step)):
            if isinstance(st, str):
                used |= names(st)
            elif isinstance(st, Call):
                used |= set().union(*(names(a) for a in st.args))
            else:
                used |= names(st.expression) | {st.target}
        for d in self.derivatives:
            used |= names(d.expression)
        return frozenset(used)

    @property
    def shared_globals(self) -> tuple[str, ...]:
        """GLOBAL variables that INITIAL computes and the time steps or NET_RECEIVE read later:
        NEURON keeps one such value for every instance of the mechanism, the one the last
        instance's INITIAL computed. (Only names the file declares GLOBAL: an ASSIGNED it
        does not list, such as Exp2Syn's ``factor``, is per instance.)"""
        from .expressions import names
        globals_ = {v.name for v in self.assigned if v.scope == "global"}
        set_initially = {st.target for st in walk(self.initial) if isinstance(st, Assign)} & globals_
        later = [st.expression for st in walk(self.step + self.net_receive) if isinstance(st, Assign)]
        later += [d.expression for d in self.derivatives]
        step_targets = {st.target for st in walk(self.step) if isinstance(st, Assign)}
        read_later = set().union(*(names(e) for e in later)) if later else set()
        return tuple(sorted((set_initially & read_later) - step_targets))

    @property
    def per_instance_globals(self) -> tuple[str, ...]:
        """ASSIGNED GLOBALs each instance computes for itself: written in INITIAL or the
        time step (rates that a PROCEDURE writes into ``minf``, ``mtau``, ``tadj`` before
        the derivatives read them), neither among :attr:`shared_globals` nor an ion's
        variable. Where each instance writes such a value before it reads it, one value per
        mechanism and one per instance give the same numbers; CoreNEURON's NMODL accepts
        only the second (a GLOBAL written per instance is not thread-safe), so NEURON's
        printer declares them RANGE, one per instance as in Brian 2."""
        globals_ = {v.name for v in self.assigned if v.scope == "global"} - set(self.ion_variables)
        blocks = self.initial + tuple(self.before_step) + self.step + tuple(self.after_step)
        written = {st.target for st in walk(blocks) if isinstance(st, Assign)}
        own = (globals_ & written) - set(self.shared_globals)
        return tuple(v.name for v in self.assigned if v.name in own)

    @property
    def ion_variables(self) -> tuple[str, ...]:
        """Every ion variable the mechanism reads or writes (``ena``, ``ina``, ``cai``...)."""
        return tuple(dict.fromkeys(n for i in self.ions for n in i.read + i.write))

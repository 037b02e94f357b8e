"""A neuron model as a Brian 2 user writes it -> one bridge :class:`~bridge.mechanisms.Mechanism`
(an NMODL point process), so that NEURON and CoreNEURON run the same dynamics.

Parsing is Brian 2's own: :class:`brian2.Equations` for the equations,
:func:`brian2.parsing.statements.parse_statement` for the reset, and a ``NeuronGroup`` built
once (and run for zero time) so that Brian 2 checks every dimension and resolves every
name before anything is translated.

Units. Values in NMODL are plain numbers in declared units. bridge declares every
variable in one *coherent* system built on NEURON's own units (mV, ms, nA; uS, nF and
megohm follow, and um for lengths), in which ``nA * Mohm = mV`` and ``nF * mV / ms = nA``
hold without factors. The user's expressions therefore carry over as written: a
variable or parameter becomes the number of its coherent unit, a unit name in an
expression (``mV``, ``pF``) becomes its value in that system (``1.0``, ``0.001``), and a
derivative per second becomes one per millisecond by the choice of ``ms`` itself.

The membrane. The state variable with the dimension of volt (or the one named by
``voltage``) is NEURON's membrane potential: its equation ``dv/dt = f`` becomes the
current ``i = -cap * f`` (nA), ``cap`` (nF) being the section's capacitance, so NEURON's
``cap * dv/dt = -i`` integrates ``dv/dt = f``. Other states are STATEs of the mechanism;
subexpressions are computed in the order they depend on each other.

The step (:func:`_with_events`). For a model written for ``euler`` or ``exponential_euler``
NEURON takes Brian 2's own step (the mechanism reads every variable at the start of the
step and injects the current of Brian 2's increment); otherwise NEURON integrates with
Crank-Nicolson. White noise (``xi``, Euler-Maruyama) is one Random123 stream per source.

Spikes, resets and the refractory period: ``WATCH`` on the threshold condition sends the
spike with ``net_event``; the reset assigns the other states directly and moves the
membrane by charge (:func:`bridge.mechanisms.integrate_and_fire.charge_reset`: one pulse
for an explicit step, two splitting the jump for Crank-Nicolson), the membrane equation
being evaluated at the reset value meanwhile; ``(unless refractory)`` freezes a variable
while the refractory period lasts, a period given as a time or as a condition; ``on_pre``
runs on an incoming event.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace

from ..errors import ModelError, UnsupportedFeatureError
from ..mechanisms import Assign, Call, Current, Derivative, If, Mechanism, Unit, Variable
from ..mechanisms.expressions import names as expression_names
from ..mechanisms.integrate_and_fire import CHARGE_RESET_VARIABLES, charge_reset
from ..units import Dimension
from .coherent_units import MS, MV, NA, coherent_unit, in_unit
from .functions import FUNCTIONS
from .translation import Translator, inlined, linear_in_own_states, linear_parts, without_noise

#: Names of Brian 2 that are not parameters (the clock, the index, the spike bookkeeping).
_BUILTINS = {"t", "dt", "i", "N", "t_in_timesteps", "not_refractory", "lastspike"}
@dataclass(frozen=True)
class Brian2Reading:
    """A checked Brian 2 model: the mechanism that runs it in NEURON, and what its
    builder needs: ``voltage`` (the membrane variable's name), ``v_init`` (mV),
    ``input`` (the parameter a current step drives, or None), the initial values
    INITIAL sets (coherent units) and the model's own ``capacitance`` (F, see
    :func:`explicit_capacitance`; None when it has none)."""

    mechanism: Mechanism
    voltage: str
    v_init: float
    input: str | None = None
    initial: dict = field(default_factory=dict)
    capacitance: float | None = None


def explicit_capacitance(eqs, voltage: str, values: dict) -> float | None:
    """The model's own capacitance (F), when its membrane equation is ``(sum of currents)/C``
    with ``C`` a constant or parameter in farad (``values``: their SI values): then the
    currents map directly (NEURON's section gets that capacitance, and ``i`` is the
    model's membrane current). None otherwise."""
    import sympy as sp
    from brian2.parsing.sympytools import str_to_sympy

    from ..units import FARAD, dimension_of
    expr = str_to_sympy(eqs[voltage].expr.code)
    for symbol in sorted(expr.free_symbols, key=str):
        name = str(symbol)
        if name not in values or name in eqs.diff_eq_names or name in eqs.subexpr_names:
            continue
        if dimension_of(values[name]) == FARAD and float(values[name]) > 0 and \
                sp.simplify(sp.diff(sp.expand(expr * symbol), symbol)) == 0:
            return float(values[name])
    return None


def _check_with_brian2(equations, threshold, reset, refractory, namespace) -> None:
    """Build the group once and run it for no time: Brian 2 checks dimensions and names."""
    import brian2 as b
    from brian2.units.fundamentalunits import DimensionMismatchError
    saved = b.prefs.codegen.target
    try:
        b.prefs.codegen.target = "numpy"   # a check, not a run: nothing to compile
        group = b.NeuronGroup(1, equations, threshold=threshold, reset=reset,
                              refractory=refractory if refractory is not None else False,
                              namespace={**FUNCTIONS, **{n: v for n, v in namespace.items() if n not in equations}},
                              method="euler")   # per-neuron values are the group's own, not names
        b.Network(group).run(0 * b.ms)
    except Exception as raised:  # noqa: BLE001 (Brian 2's errors, unwrapped and reworded)
        exc = raised.__cause__ or raised   # BrianObjectException wraps the cause
        text = " ".join(str(exc.args[0] if isinstance(exc, KeyError) and exc.args else exc).split())
        if isinstance(exc, DimensionMismatchError):
            raise ModelError(f"Brian 2 finds inconsistent units: {text}", obj="brian2 model", param="equations",
                             hint="fix the units as Brian 2 reports them") from None
        if isinstance(exc, KeyError):
            raise ModelError(text, obj="brian2 model", param="namespace",
                             hint="give every constant a value in namespace") from None
        raise ModelError(text, obj="brian2 model", param="equations") from None
    finally:
        b.prefs.codegen.target = saved


def equations_of(equations):
    """``equations`` (text or ``brian2.Equations``) parsed by Brian 2; parse errors are bridge errors."""
    import brian2 as b
    if isinstance(equations, b.Equations):
        return equations
    if not isinstance(equations, str):
        raise ModelError(f"{type(equations).__name__} is not Brian 2 equations", obj="brian2 model",
                         param="equations", expected="an equations string or brian2.Equations")
    try:
        return b.Equations(equations)
    except Exception as exc:  # noqa: BLE001 (Brian 2's parser reports the position)
        raise ModelError(" ".join(str(exc).split()), obj="brian2 model", param="equations") from None


def _refuse(eqs) -> None:
    for name, eq in eqs.items():
        for flag in eq.flags:
            if flag not in ("unless refractory", "constant"):
                raise UnsupportedFeatureError(f"the flag ({flag}) of {name}", obj=f"equation {name}", param=flag,
                                              expected="(unless refractory) or (constant)",
                                              hint="linked and summed variables need a network; bridge converts "
                                                   "one neuron's equations")


#: Names NEURON gives a meaning in every mechanism (the section's geometry, temperature):
#: a user's variable or constant of that name gets :data:`RENAMED_SUFFIX` in the NMODL.
NMODL_RESERVED = ("area", "diam", "L", "Ra", "cm", "nseg", "celsius", "secondorder")
RENAMED_SUFFIX = "_"


def nmodl_renames(names, reserved=NMODL_RESERVED) -> dict[str, str]:
    """``{name: new name}`` for each of ``names`` that NEURON reserves: the name with
    :data:`RENAMED_SUFFIX` as often as it takes to be free among ``names``."""
    renames = {}
    for name in sorted(set(names) & set(reserved)):
        new = name + RENAMED_SUFFIX
        while new in names:
            new += RENAMED_SUFFIX
        renames[name] = new
    return renames


def _renamed(eqs, threshold, reset, refractory, on_pre, namespace, initial, voltage, input):
    """Everything the reader takes, with names NEURON reserves renamed (Brian 2's own
    substitution of equations and code), so that ``area`` becomes ``area_``."""
    from brian2.utils.stringtools import get_identifiers, word_substitute
    used = set(eqs.names) | set(eqs.identifiers) | set(namespace) | set().union(
        *(get_identifiers(c) for c in (threshold, reset, refractory, on_pre) if isinstance(c, str)))
    renames = nmodl_renames(used)
    if not renames:
        return eqs, threshold, reset, refractory, on_pre, namespace, initial, voltage, input
    code = lambda text: word_substitute(text, renames) if isinstance(text, str) else text  # noqa: E731
    keys = lambda values: {renames.get(k, k): v for k, v in values.items()}  # noqa: E731
    return (eqs.substitute(**renames), code(threshold), code(reset), code(refractory),
            code(on_pre), keys(namespace), keys(initial), renames.get(voltage, voltage), renames.get(input, input))


def _reset_statements(reset) -> list[tuple[str, str, str]]:
    from brian2.parsing.statements import parse_statement
    if reset is None:
        return []
    lines = [part.strip() for line in reset.splitlines() for part in line.split(";") if part.strip()]
    out = []
    for line in lines:
        try:
            var, op, expr, _ = parse_statement(line)
        except Exception as exc:  # noqa: BLE001
            raise ModelError(f"cannot read {line!r}: {exc}", obj="brian2 model", param="reset") from None
        out.append((var, op, expr))
    return out


def _comparison(text: str, obj: str, param: str) -> tuple[str, str, str]:
    """``(left, op, right)`` of a condition ``a > b`` (WATCH needs one comparison)."""
    node = ast.parse(text, mode="eval").body
    ops = {ast.Gt: ">", ast.GtE: ">", ast.Lt: "<", ast.LtE: "<"}
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in ops):
        raise UnsupportedFeatureError(f"{text!r} is not one comparison", obj=obj, param=param,
                                      expected="a condition such as 'v > -50*mV'")
    return ast.unparse(node.left), ops[type(node.ops[0])], ast.unparse(node.comparators[0])


def read_brian2(equations, threshold=None, reset=None, refractory=None, namespace=None, *, name="brian2_model",
                initial=None, voltage=None, input=None, method=None, on_pre=None) -> Brian2Reading:
    """The model's mechanism (see the module docstring). ``namespace``: constants and the
    values of per-neuron parameters (Brian 2 quantities); ``initial``: initial values of
    states (the membrane's included); ``voltage``: the membrane variable when more than
    one has the dimension of volt; ``input``: the parameter a current step drives."""
    from brian2.core.namespace import DEFAULT_CONSTANTS, DEFAULT_UNITS

    from ..units import VOLT, dimension_of
    namespace, initial = dict(namespace or {}), dict(initial or {})
    obj = f"brian2 model {name}"
    eqs = equations_of(equations)
    _refuse(eqs)
    eqs, threshold, reset, refractory, on_pre, namespace, initial, voltage, input = _renamed(
        eqs, threshold, reset, refractory, on_pre, namespace, initial, voltage, input)
    _check_with_brian2(eqs, threshold, reset, refractory, namespace)
    if eqs.is_stochastic and (method != "euler" or eqs.stochastic_type != "additive"):
        raise UnsupportedFeatureError(f"white noise ({', '.join(sorted(eqs.stochastic_variables))}) with method "
                                      f"{method!r}", obj=obj, param="method",
                                      expected="method='euler' and additive noise (Euler-Maruyama, as Brian 2 "
                                               "integrates it)")
    dims = {n: Dimension(tuple(eqs[n].dim._dims)) for n in eqs.names}
    if voltage is None:
        volts = [n for n in eqs.diff_eq_names if dims[n] == VOLT]
        if len(volts) != 1:
            raise ModelError(f"{len(volts)} differential equations have the dimension of volt "
                             f"({', '.join(sorted(volts)) or 'none'})", obj=obj, param="voltage",
                             expected="exactly one, or voltage= naming the membrane potential",
                             hint="a model without one (FitzHugh-Nagumo) names a dimensionless variable with "
                                  "voltage=: NEURON carries it as the membrane potential, 1 as 1 mV")
        voltage = volts[0]
    if voltage not in eqs.diff_eq_names or dims[voltage] not in (VOLT, Dimension()):
        raise ModelError(f"{voltage!r} is not a differential equation in volt (or dimensionless)", obj=obj,
                         param="voltage", expected=", ".join(n for n in eqs.diff_eq_names
                                                             if dims[n] in (VOLT, Dimension())) or "a membrane potential")
    parameters = _declared(eqs, eqs.parameter_names)
    if input is not None and input not in parameters:
        raise ModelError(f"{input!r} is not a parameter of the equations", obj=obj, param="input",
                         expected=", ".join(parameters) or "a parameter such as 'I : amp'")

    # names: the model's variables, constants of the namespace, and unit names -> numbers
    code = [eqs[n].expr.code for n in eqs.names if eqs[n].expr is not None]
    conditions = [c for c in (threshold, refractory if isinstance(refractory, str) else None) if c]
    statements, synaptic = _reset_statements(reset), _reset_statements(on_pre)
    identifiers = set().union(*(expression_names(c) for c in code + conditions
                                + [e for _, _, e in statements + synaptic]))
    identifiers -= set(eqs.names) | _BUILTINS | set(eqs.stochastic_variables)
    constants, literals = {}, {}
    for ident in sorted(identifiers):
        value = namespace.get(ident, DEFAULT_UNITS.get(ident, DEFAULT_CONSTANTS.get(ident)))
        if value is None:
            raise ModelError(f"{ident} has no value", obj=obj, param=ident, hint=f"give it in namespace={{'{ident}': ...}}")
        unit = coherent_unit(dimension_of(value), f"constant {ident}")
        if ident in namespace:
            constants[ident] = (in_unit(value, unit), dimension_of(value))
        else:
            literals[ident] = in_unit(value, unit)
    translate = Translator(literals, obj).text

    variables, step, derivatives = [], [], []
    for n in parameters:
        value = namespace.get(n, 0.0 if n == input else None)
        if value is None:
            raise ModelError(f"parameter {n} has no value", obj=obj, param=n,
                             hint=f"give it in namespace={{'{n}': ...}}")
        if dimension_of(value) != dims[n] and not (value == 0 and not hasattr(value, "dim")):
            raise ModelError(f"parameter {n} has the unit of {dimension_of(value)}", obj=obj, param=n,
                             expected=str(dims[n]))
        unit = coherent_unit(dims[n], f"parameter {n}")
        variables.append(Variable(n, unit, "parameter", in_unit(value, unit)))
    for n, (value, dim) in constants.items():
        variables.append(Variable(n, coherent_unit(dim, n), "parameter", value, scope="global"))
    variables.append(Variable("cap", coherent_unit(Dimension((-2, -1, 4, 2, 0, 0, 0)), "cap"), "parameter", 1.0))
    for n in _ordered_subexpressions(eqs):
        variables.append(Variable(n, coherent_unit(dims[n], n), "assigned"))
        step.append(Assign(n, translate(eqs[n].expr.code)))
    frozen = "refractory_on == 1"
    for n in _declared(eqs, eqs.diff_eq_names):
        if n == voltage:
            continue
        variables.append(Variable(n, coherent_unit(dims[n], n), "state"))
        rhs = _with_noise(eqs[n].expr, translate)
        if "unless refractory" in eqs[n].flags:
            rhs = f"ifelse({frozen}, 0.0, {rhs})"
        derivatives.append(Derivative(n, rhs))
    membrane = _with_noise(eqs[voltage].expr, translate)
    for var, _, _ in statements + synaptic:
        if var not in eqs.names:
            raise ModelError(f"the statement assigns {var}, which the equations do not declare", obj=obj,
                             param=var, expected=", ".join(eqs.names))
    reading = _with_events(name, obj, eqs, voltage, variables, step, derivatives, membrane, threshold, statements,
                           refractory, translate, initial, input, scheme=method, on_pre=synaptic)
    return replace(reading, capacitance=explicit_capacitance(eqs, voltage, namespace))


def _with_noise(expr, translate) -> str:
    """The right-hand side of a (possibly stochastic) equation: Brian 2's ``f + g*xi``
    becomes ``f + g * draw_xi / sqrt(dt)``, ``draw_xi`` being this step's standard normal
    number, so that METHOD euler adds ``g * sqrt(dt) * N(0, 1)`` per step, Brian 2's
    Euler-Maruyama increment."""
    noise = expr.split_stochastic()[1] or {}
    text = translate(without_noise(expr.code, set(noise)))
    for xi, coefficient in sorted(noise.items()):
        text = f"{text} + ({translate(coefficient.code)}) * draw_{xi} / sqrt(dt)"
    return text


def _noise_draws(eqs) -> tuple[list, tuple, list]:
    """Variables, RANDOM streams and BEFORE BREAKPOINT statements drawing one standard
    normal number per noise source and step. The Random123 stream is addressed by the
    step index (as bridge's BrNoise does), so NEURON and CoreNEURON draw the same numbers;
    a run's seed is ``rng_<xi>.set_ids(seed, gid, index)``."""
    names = sorted(eqs.stochastic_variables)
    if not names:
        return [], (), []
    one = Unit("1", 1.0, Dimension())
    variables = [Variable(f"draw_{xi}", one, "assigned", scope="private") for xi in names]
    variables.append(Variable("next_step", one, "assigned", scope="private"))
    draws = []
    for xi in names:
        draws += [Call("random_setseq", (f"rng_{xi}", "64 * step_now")),
                  Assign(f"draw_{xi}", f"random_normal(rng_{xi})")]
    statements = [Assign("step_now", "floor(t / dt + 1e-6)"),
                  If("step_now >= next_step", (*draws, Assign("next_step", "step_now + 1")))]
    return variables, tuple(f"rng_{xi}" for xi in names), statements


def _assignments(statements, voltage: str, translate) -> tuple[list, bool]:
    """NET_RECEIVE statements of Brian 2 statements ``(variable, operator, expression)``,
    run in order: the membrane potential's new value goes to ``target`` (moved there by
    charge, ``apply``), and later statements read it there; the second value is True
    when the membrane moves."""
    from ..mechanisms.expressions import rename
    out, moved = [], False
    for var, op, expr in statements:
        new = rename(translate(expr), {voltage: "target" if moved else "v"})
        if var == voltage:
            out += [Assign("target", _OPS[op].format(old="target" if moved else "v", new=new)), Assign("apply", "1")]
            moved = True
        else:
            out.append(Assign(var, _OPS[op].format(old=var, new=new)))
    return out, moved


def _declared(eqs, names) -> list[str]:
    """``names`` in the order the equations declare them."""
    return [n for n in eqs.keys() if n in set(names)]


def _ordered_subexpressions(eqs) -> list[str]:
    subs = _declared(eqs, eqs.subexpr_names)
    reads = {n: expression_names(eqs[n].expr.code) & set(subs) for n in subs}
    order: list[str] = []

    def visit(n, path):
        if n in order:
            return
        if n in path:
            raise ModelError(f"subexpression {n} depends on itself", obj=f"equation {n}", param="equations")
        for d in sorted(reads[n]):
            visit(d, path | {n})
        order.append(n)
    for n in subs:
        visit(n, set())
    return order


#: Names bridge adds to the mechanism (besides ``i``, the membrane current).
OWN_NAMES = ("cap", "clamp_duration", "reset_mode", "resetting", "v_clamp", "i_pulse", "i_pulse_next", "v_offset",
             "clamp_start", "ready", "refractory_on", "v_eff", "v_start", "v_slope", "v_intercept", "target",
             "apply", "i", "next_step", "step_now")
_OPS = {"=": "{new}", "+=": "{old} + ({new})", "-=": "{old} - ({new})", "*=": "{old} * ({new})",
        "/=": "{old} / ({new})"}


def _with_events(name, obj, eqs, voltage, variables, step, derivatives, membrane, threshold, statements,
                 refractory, translate, initial, input, scheme=None, on_pre=()) -> Brian2Reading:
    """Add the membrane current, the spike and reset statements and INITIAL.

    ``scheme``: the Brian 2 method the model was written for. For ``euler`` and
    ``exponential_euler`` NEURON takes the same step as Brian 2: the mechanism reads
    every variable at the start of the step (the voltage as ``v_start``, kept at the end
    of the last state update, or in BEFORE BREAKPOINT when there are no other states; a
    BEFORE block costs a function call per cell and step in NEURON 9, 1.3x the
    instructions of the whole hand-written AdEx) and injects the current that moves the membrane by Brian 2's increment
    (Euler: ``dt * f``; exponential Euler: the exact step of ``dv/dt = A v + B`` with A
    and B held), so NEURON's implicit solve, seeing no dependence on v, lands exactly
    there; the states use METHOD euler or cnexp (exponential Euler of one variable).
    Otherwise NEURON integrates with its own Crank-Nicolson step. On the exponential
    upswing of EIF and AdEx the slope conductance is so negative that a linearised
    implicit step oscillates instead of firing, which is one reason to follow the model's
    own method."""
    explicit = scheme in ("euler", "exponential_euler")
    from ..mechanisms.expressions import rename
    from ..units import dimension_of
    clash = (set(OWN_NAMES) | ({"v"} - {voltage})) & set(eqs.names)
    if clash:
        raise ModelError(f"the equations use {', '.join(sorted(clash))}, which bridge's NMODL needs", obj=obj,
                         param=sorted(clash)[0], hint="rename that variable")
    to_v, to_eff = {voltage: "v"}, {voltage: "v_eff"}
    v_now = "v_start" if explicit else "v"
    step = [Assign("v_eff", f"ifelse(resetting == 1, v_clamp, {v_now})")] + \
        [Assign(st.target, rename(st.expression, to_eff)) for st in step]
    derivatives = [Derivative(d.state, rename(d.expression, to_eff)) for d in derivatives]
    f = rename(membrane, to_eff)
    if scheme == "exponential_euler":
        parts = linear_parts(f, "v_eff")
        if parts is None:
            raise UnsupportedFeatureError(f"the equation of {voltage} is not linear in {voltage}", obj=obj,
                                          param="method", expected="a conditionally linear membrane equation "
                                          "for exponential_euler", hint="use method='euler' or 'rk4'")
        slope, offset = parts
        step += [Assign("v_slope", slope), Assign("v_intercept", offset)]
        f = ("ifelse(v_slope == 0, v_intercept, ((v_eff + v_intercept / v_slope) * exp(v_slope * dt) "
             "- v_intercept / v_slope - v_eff) / dt)")
    if "unless refractory" in eqs[voltage].flags:
        f = f"ifelse(refractory_on == 1, 0.0, {f})"
    step.append(Assign("i", f"ifelse(resetting == 1, -i_pulse, 0.0) - cap * ({f})"))
    one = Unit("1", 1.0, Dimension())
    # reset_mode 0 (one pulse) is exact when the membrane step is explicit; Crank-Nicolson
    # needs the split pulse (1)
    variables += [Variable("reset_mode", one, "parameter", 0.0 if explicit else 1.0),
                  Variable("clamp_duration", MS, "parameter", 0.025),
                  Variable("i", NA, "assigned"), *CHARGE_RESET_VARIABLES, Variable("ready", one, "assigned"),
                  Variable("refractory_on", one, "assigned")]
    if explicit:
        variables.append(Variable("v_start", MV, "assigned", scope="private"))

    init = []
    for n in _declared(eqs, eqs.diff_eq_names):
        if n == voltage:
            continue
        value = initial.get(n, 0.0)
        if dimension_of(value) != Dimension(tuple(eqs[n].dim._dims)) and value != 0.0:
            raise ModelError(f"initial value of {n} has the unit of {dimension_of(value)}", obj=obj, param=n,
                             expected=str(Dimension(tuple(eqs[n].dim._dims))))
        init.append(Assign(n, repr(in_unit(value, coherent_unit(dimension_of(value), n)))))
    init += [Assign(n, x) for n, x in (("resetting", "0"), ("v_clamp", "v"), ("i_pulse", "0"), ("i_pulse_next", "0"),
                                        ("v_offset", "0"), ("clamp_start", "-1e9"), ("ready", "1"),
                                        ("refractory_on", "0"))]
    if explicit:
        init.append(Assign("v_start", "v"))
    net_receive: list = []
    # conditions read the subexpressions inlined: NEURON checks WATCH after the step, when
    # an ASSIGNED value is still the one computed before it
    definitions = {n: rename(translate(eqs[n].expr.code), to_v) for n in eqs.subexpr_names}
    condition_of = lambda text: inlined(rename(translate(text), to_v), definitions)  # noqa: E731
    if threshold is not None:
        left, op, right = _comparison(condition_of(threshold), obj, "threshold")
        condition = f"{left} {op} {right}"
        init.append(Call("net_send", ("0", "1")))
        arm = [Call("watch", (condition, "2"))]
        reset, resets_v = _assignments(statements, voltage, translate)
        spike = [Call("net_event", ("t + 1e-4",)), *reset]
        if isinstance(refractory, str):
            r_left, r_op, r_right = _comparison(condition_of(refractory), obj, "refractory")
            arm.append(Call("watch", (f"{r_left} {'<' if r_op == '>' else '>'} {r_right}", "5")))
            spike += [Assign("ready", "0"), Assign("refractory_on", "1")]
        elif refractory is not None and float(refractory) > 0:
            if dimension_of(refractory) != Dimension((0, 0, 1, 0, 0, 0, 0)):
                raise ModelError(f"refractory {refractory!r} is not a time", obj=obj, param="refractory",
                                 expected="a time (e.g. 2*ms) or a condition")
            # Brian 2 stamps a spike at the start of the step that crosses, NEURON's WATCH
            # at its end: the period ends one step earlier here, so both resume together.
            spike += [Assign("ready", "0"), Assign("refractory_on", "1"),
                      Call("net_send", (f"{float(refractory) * 1e3!r} - clamp_duration", "5"))]
        net_receive = [
            If("flag == 1", tuple(arm)),
            If("flag == 5", (Assign("ready", "1"), Assign("refractory_on", "0"))),
            If(f"(flag == 2 or flag == 5) and ready == 1 and {condition}", tuple(spike)),
        ]
    elif statements or refractory is not None:
        raise ModelError("a reset or refractory period without a threshold", obj=obj, param="threshold")
    else:
        resets_v = False
    synaptic, moves_v = _assignments(on_pre, voltage, translate)
    if synaptic:   # an incoming event (flag 0): Brian 2's on_pre of a Synapses onto this neuron
        net_receive.insert(0, If("flag == 0", tuple(synaptic)))
    if resets_v or moves_v:   # the membrane moves by charge
        net_receive = [Assign("apply", "0"), *net_receive, *charge_reset()]
    v_init, v_dim = initial.get(voltage, 0.0), Dimension(tuple(eqs[voltage].dim._dims))
    if dimension_of(v_init) != v_dim and v_init != 0.0:
        raise ModelError(f"initial value of {voltage} has the unit of {dimension_of(v_init)}", obj=obj,
                         param=voltage, expected=str(v_dim))
    linear = linear_in_own_states(derivatives, {st.target: st.expression for st in step})
    noise_variables, randoms, draws = _noise_draws(eqs)
    if randoms:
        init.append(Assign("next_step", "0"))
    mech = Mechanism(name, kind="point", variables=tuple(variables + noise_variables), currents=(Current("i"),),
                     initial=tuple(init), randoms=randoms,
                     before_step=((Assign("v_start", "v"),) if explicit and not derivatives else ()) + tuple(draws),
                     after_step=(Assign("v_start", "v"),) if explicit and derivatives else (),
                     step=tuple(step), derivatives=tuple(derivatives), net_receive=tuple(net_receive),
                     net_receive_args=("weight",) if net_receive else (),
                     method="euler" if scheme == "euler" else "cnexp" if linear else "derivimplicit")
    return Brian2Reading(mech, voltage, in_unit(v_init, MV) if v_dim == MV.dimension else float(v_init), input,
                       {a.target: float(a.expression) for a in init if isinstance(a, Assign)
                        and a.target in eqs.diff_eq_names})

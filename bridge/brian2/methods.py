"""``exponential_strang``: a second-order, stable integration method for conductance-based
models in Brian 2 (channels converted from NMODL), registered with Brian 2 by name.

Brian 2's ``rk4`` is explicit: a soma with Hay et al.'s sodium and Kv3.1 densities has a
membrane time constant below a microsecond at the spike peak, so ``rk4`` diverges at dt
0.025 ms. ``exponential_euler`` is stable but first order (0.65 ms of spike-time error
after two spikes on that soma at dt 0.025 ms, against NEURON's converged times).

This method splits each step as Strang does (half, full, half), like NEURON's staggered
Crank-Nicolson scheme: every variable that is not a voltage (gates, concentrations)
advances half a step by exponential Euler with the voltages held; then the voltages (the
variables with the dimension of volt) advance a whole step with the other variables at
the middle of the step, as a symmetric Gauss-Seidel sweep (each voltage half a step in
order, then half a step in reverse order, each seeing its neighbours' newest values, so
coupled compartments are treated almost implicitly); then the others advance the second
half with the new voltages. Each sub-step is exact for equations linear in their own
variable (conditionally linear systems, as exponential Euler needs), and the composition
is symmetric in the voltages, hence second order there. Non-voltage variables see each
other's values from the start of their sub-step, which is first order in their mutual
coupling (calcium and the channels it drives or gates). Measured on the reduced Hay cell
(2 s at 0.562 nA, spike times against NEURON's converged ones): this method's last spike
is 0.04 / 0.12 / 0.09 ms off at dt 0.005 / 0.0025 / 0.00125 ms; advancing the others one
after the other from the newest values (in their order of dependence) is cleanly second
order but with a far larger constant (7.0 / 1.5 / 0.39 / 0.09 ms at dt 0.025 / 0.01 /
0.005 / 0.0025 ms), so this order stays.

Rates keep the arithmetic of their source. Brian 2's own linearisation substitutes every
subexpression and expands the result, and sympy distributes constants, so a rate such as
NaTa_t's ``-0.015*(v + 66)/(1 - exp((v + 66)/6))`` becomes ``(0.99 + 0.015*v)/(1 -
59874.14*exp(v/6))``: near v = -66 mV both parts are the difference of nearly equal
numbers, and the quotient is rounding noise (a gate of 1318 was measured, an artificial
spike). Here the coefficients of a non-voltage variable are taken with the
subexpressions that do not depend on it kept as names (``d h/dt = (hInf - h)/hTau`` has
``A = -1/hTau``, ``B = hInf/hTau``); those subexpressions are computed first, from
their own text, as NMODL computes them. The voltages' coefficients (currents, linear in
the voltage) come from Brian 2's linearisation.
"""

from __future__ import annotations

import re

import sympy as sp
from brian2.equations.equations import DIFFERENTIAL_EQUATION, SUBEXPRESSION, Equations
from brian2.parsing.sympytools import str_to_sympy, sympy_to_str
from brian2.stateupdaters.base import StateUpdateMethod, UnsupportedEquationsException, extract_method_options
from brian2.stateupdaters.exponential_euler import get_conditionally_linear_system
from brian2.units.fundamentalunits import get_dimensions
from brian2.units.stdunits import mV
from brian2.utils.stringtools import get_identifiers

NAME = "exponential_strang"
#: A word, as Brian 2's ``word_substitute`` matches one (``\bword\b``).
_WORD = re.compile(r"\b\w+\b")


def _substitute(text: str, names: dict[str, str]) -> str:
    """``text`` with every word that is a key of ``names`` replaced, in one pass (Brian 2's
    ``word_substitute`` compiles a pattern per name: with the hundreds of names of a
    reduced cell, Python's pattern cache overflows and every call compiles them all again)."""
    return _WORD.sub(lambda word: names.get(word.group(0), word.group(0)), text)


def _renamed(expression, names: dict[str, str]) -> sp.Expr:
    """``expression`` with symbols renamed by name (Brian's symbols carry assumptions, so
    they are matched by name, not by identity)."""
    expression = sp.sympify(expression)
    mapping = {s: sp.Symbol(names[s.name]) for s in expression.free_symbols if s.name in names}
    return expression.subs(mapping, simultaneous=True)


def _update(var: str, system: dict, fraction: sp.Expr, names: dict[str, str], code: list[str], out: str) -> None:
    """Append code setting ``out`` to ``var`` advanced by ``fraction * dt`` (exponential Euler),
    reading the variables renamed by ``names`` (e.g. a gate's value at mid-step)."""
    A, B = (_renamed(c, names) for c in system[var])
    start = sp.Symbol(names.get(var, var))
    step = fraction * sp.Symbol("dt")
    if A == 0:
        expression = start + step * B
    elif B == 0:
        expression = start * sp.exp(A * step)
    else:
        ratio = f"_BA{out}"
        code.append(f"{ratio} = {sympy_to_str(B / A)}")
        expression = (start + sp.Symbol(ratio)) * sp.exp(A * step) - sp.Symbol(ratio)
    code.append(f"{out} = {sympy_to_str(expression)}")


def _closure(start, edges: dict) -> set:
    """Every name reachable from ``start`` along ``edges`` (name -> names)."""
    seen, stack = set(), list(start)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(edges.get(name, ()))
    return seen


class _Rates:
    """The subexpressions of a set of equations, computed as temporaries in the order they
    depend on each other, with each state read under a given name."""

    def __init__(self, equations, variables):
        self.equations, self.variables = equations, variables
        subs = sorted(equations.subexpr_names)   # Brian 2's own order follows a set's
        self.reads = {n: get_identifiers(equations[n].expr.code) & set(subs) for n in subs}
        self.states = {n: get_identifiers(equations[n].expr.code) & set(equations.diff_eq_names) for n in subs}
        self.order = []
        for name in subs:   # depth-first topological order, the same in every process
            self._visit(name, set())

    def _visit(self, name, path):
        if name in self.order:
            return
        if name in path:
            raise UnsupportedEquationsException(f"subexpression {name} depends on itself")
        for dep in sorted(self.reads[name]):
            self._visit(dep, path | {name})
        self.order.append(name)

    def depending_on(self, var: str) -> set:
        """Subexpressions whose value depends on the state ``var``."""
        return {n for n in self.order if any(var in self.states[m] for m in _closure([n], self.reads))}

    def coefficients(self, var: str):
        """``(A, B, names)`` with ``var' = A*var + B``, the subexpressions that do not depend
        on ``var`` left as the symbols ``names``; None if that form cannot be found."""
        dependent = self.depending_on(var)
        expression = str_to_sympy(self.equations[var].expr.code, self.variables)
        for _ in range(len(dependent) + 1):
            found = {sym for sym in expression.free_symbols if sym.name in dependent}
            if not found:
                break
            expression = expression.subs(
                {sym: str_to_sympy(self.equations[sym.name].expr.code, self.variables) for sym in found},
                simultaneous=True)
        x = next((sym for sym in expression.free_symbols if sym.name == var), sp.Symbol(var, real=True))
        try:
            slope = sp.diff(expression, x)
        except Exception:   # a function sympy cannot differentiate
            return None
        if slope.has(x):
            return None
        offset = expression.subs(x, 0)
        names = {sym.name for e in (slope, offset) for sym in e.free_symbols} & set(self.order)
        return slope, offset, names

    def code(self, needed: set, names: dict, tag: str, code: list) -> dict:
        """Append code computing ``needed`` subexpressions (and what they read), each state
        read as ``names`` says; returns the names the temporaries got."""
        wanted = _closure(needed, self.reads)
        renamed = dict(names)
        for name in self.order:
            if name in wanted:
                out = f"_{name}_{tag}"
                text = _substitute(self.equations[name].expr.code, renamed)
                code.append(f"{out} = {text}")
                renamed[name] = out
        return {n: renamed[n] for n in wanted}


def _linearised(equations, variables, names: list[str]) -> dict:
    """Brian 2's ``(A, B)`` of ``d x/dt = A*x + B`` for the states ``names`` only (Brian 2
    expands every state's equation with all its subexpressions substituted; the gates'
    coefficients are taken from their own text instead, :meth:`_Rates.coefficients`)."""
    chosen = Equations([eq for eq in equations.ordered if eq.type == SUBEXPRESSION or eq.varname in names])
    try:
        return get_conditionally_linear_system(chosen, variables)
    except ValueError:
        raise UnsupportedEquationsException("Can only solve conditionally linear systems with this "
                                            "state updater.") from None


class ExponentialStrang(StateUpdateMethod):
    """See the module docstring. The code for a set of equations is made once per process
    (sympy takes 8 s for the 168 state variables of a reduced Hay cell) and is the same
    text in every process (so compiled code caches find it)."""

    def __init__(self):
        self._made: dict = {}

    def __call__(self, equations, variables=None, method_options=None):
        extract_method_options(method_options, {})
        key = (str(equations), tuple(sorted((name, type(v).__name__, str(getattr(v, "dim", "")))
                                            for name, v in (variables or {}).items())))
        if key not in self._made:
            self._made[key] = self._code(equations, variables)
        return self._made[key]

    def _code(self, equations, variables) -> str:
        if equations.is_stochastic:
            raise UnsupportedEquationsException("Cannot solve stochastic equations with this state updater.")
        states = [eq.varname for eq in equations.ordered if eq.type == DIFFERENTIAL_EQUATION]
        volt = get_dimensions(mV)
        voltages = [v for v in states if equations[v].dim == volt]
        others = [v for v in states if v not in voltages]
        rates = _Rates(equations, variables)
        system: dict = {}
        reads: dict[str, set] = {}   # the subexpressions a variable's coefficients read
        for var in others:
            found = rates.coefficients(var)
            if found is not None:
                system[var] = found[:2]
                reads[var] = found[2]
        system.update(_linearised(equations, variables, [v for v in states if v not in system]))
        code: list[str] = []
        half = sp.Rational(1, 2)

        def advance(var: str, names: dict, tag: str) -> str:
            _update(var, system, half, names, code, f"_{var}_{tag}")
            return f"_{var}_{tag}"

        # First half: the others from the values at the start of the step.
        start = rates.code(set().union(*reads.values()), {}, "start", code)
        names = {var: advance(var, start, "a") for var in others}
        # The voltages: a symmetric Gauss-Seidel sweep with the others at mid-step.
        for sweep, order in (("va", voltages), ("vb", voltages[::-1])):
            for var in order:
                names[var] = advance(var, names, sweep)
        # Second half: the others from the mid-step values and the new voltages.
        end = {**names, **rates.code(set().union(*reads.values()), names, "end", code)}
        names.update({var: advance(var, end, "b") for var in others})
        code += [f"{v} = {names[v]}" for v in voltages + others]
        return "\n".join(code)


exponential_strang = ExponentialStrang()


def default_method(model) -> str:
    """Brian 2's integration method for ``model`` when none is given: Dendrify's ``euler``,
    or ``exponential_strang`` when a compartment carries NMODL channels (their
    conductances are too stiff for explicit methods)."""
    return NAME if any(c.channels for c in model.compartments) else "euler"


def register() -> None:
    """Make ``method="exponential_strang"`` known to Brian 2 (once)."""
    if NAME not in StateUpdateMethod.stateupdaters:
        StateUpdateMethod.register(NAME, exponential_strang)


register()

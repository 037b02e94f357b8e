"""``exponential_strang``: NEURON's own fixed-step scheme for conductance-based models in
Brian 2 (channels converted from NMODL), registered with Brian 2 by name, so that Brian 2
and NEURON compute the same numbers.

Brian 2's ``rk4`` is explicit: a soma with Hay et al.'s sodium and Kv3.1 densities has a
membrane time constant below a microsecond at the spike peak, so ``rk4`` diverges at dt
0.025 ms. ``exponential_euler`` is stable but first order (0.65 ms of spike-time error
after two spikes on that soma at dt 0.025 ms, against NEURON's converged times).

One step, as NEURON's ``fadvance`` with ``secondorder = 2`` takes it (its states live half
a step after its voltages, so the states a step starts from are its mid-step values):

1. the voltages advance a whole step by Crank-Nicolson, every compartment at once (the
   coupled linear system solved along the compartment tree, leaves first, as NEURON's
   Hines solver does), with the other variables as they are;
2. the ion currents that concentrations read (``ica``) are taken at the mid-step voltage,
   as NEURON's second-order correction gives them;
3. the other variables (gates, concentrations) advance a whole step by exponential Euler
   (NEURON's ``cnexp``: exact for an equation linear in its own variable) with the new
   voltages, mechanism by mechanism in the order NEURON registers them, each reading the
   new values of the mechanisms before it (SK_E2 the ``cai`` CaDynamics_E2 has just
   advanced).

The composition is Strang splitting in the gates (two half steps with the same voltage
make one step), second order. bridge's synapses read their gating at mid-step in NEURON
(``midpoint``), so their states advance half a step before the voltages and half after.
What the printer knows and the equations do not say (which subexpressions are ion
currents, which variables belong to which mechanism, which are synapses) comes as
``method_options`` (:class:`ExponentialStrang`); without them every other variable
advances together after the voltages. Where the voltages do not form a tree (or depend on
each other non-linearly) they advance as a symmetric Gauss-Seidel sweep instead, each half
a step by exponential Euler with its neighbours' newest values.

Measured (dt 0.025 ms, Brian 2 against NEURON): the reduced Hay cell's 17 compartments,
15 spikes in 1 s at 0.95 nA, at most 1.5e-7 ms apart, voltages within 3.4e-7 mV; a
Hodgkin-Huxley soma with 11 small passive compartments coupled a hundred times more
stiffly than dt, 60 spikes, 1.4e-11 ms. (Before: 0.86 ms and 1.7 mV on the Hay cell; 4
spikes lost on the stiff one, whose Gauss-Seidel sweep could not follow its couplings.)

Rates keep the arithmetic of their source. Brian 2's own linearisation substitutes every
subexpression and expands the result, and sympy distributes constants, so a rate such as
NaTa_t's ``-0.015*(v + 66)/(1 - exp((v + 66)/6))`` becomes ``(0.99 + 0.015*v)/(1 -
59874.14*exp(v/6))``: near v = -66 mV both parts are the difference of nearly equal
numbers, and the quotient is rounding noise (a gate of 1318 was measured, an artificial
spike). Here the coefficients of a non-voltage variable are taken with the
subexpressions that do not depend on it kept as names (``d h/dt = (hInf - h)/hTau`` has
``A = -1/hTau``, ``B = hInf/hTau``); those subexpressions are computed first, from
their own text, as NMODL computes them. The voltages' right-hand sides come from Brian 2's
linearisation (``A*V + B``, where ``A`` and ``B`` may still depend on ``V`` for a current
that is not linear in it).
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

from . import coupled

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


def _update(var: str, system: dict, fraction: sp.Expr, names: dict[str, str], code: list[str], out: str,
            scheme: str = "exponential") -> None:
    """Append code setting ``out`` to ``var`` advanced by ``fraction * dt``, reading the
    variables renamed by ``names`` (e.g. a gate's value at mid-step): by exponential Euler
    (NEURON's cnexp), or, as ``scheme`` says, backward Euler (``implicit``: derivimplicit,
    sparse), a backward-Euler half step extrapolated to the whole (``implicit_midpoint``: the
    same under NEURON's Crank-Nicolson) or forward Euler (``forward``: euler)."""
    A, B = (_renamed(c, names) for c in system[var])
    start = sp.Symbol(names.get(var, var))
    step = fraction * sp.Symbol("dt")
    if scheme == "implicit":
        expression = (start + step * B) / (1 - step * A)
    elif scheme == "implicit_midpoint":
        half = f"_half{out}"
        code.append(f"{half} = {sympy_to_str((start + step / 2 * B) / (1 - step / 2 * A))}")
        expression = 2 * sp.Symbol(half) - start
    elif scheme == "forward":
        expression = start + step * (A * start + B)
    elif A == 0:
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

    def expanded(self, var: str, dependent: set) -> sp.Expr:
        """``var``'s equation with the subexpressions ``dependent`` written out (also where
        they are read through one another), the others left as symbols."""
        expression = str_to_sympy(self.equations[var].expr.code, self.variables)
        for _ in range(len(dependent) + 1):
            found = {sym for sym in expression.free_symbols if sym.name in dependent}
            if not found:
                break
            expression = expression.subs(
                {sym: str_to_sympy(self.equations[sym.name].expr.code, self.variables) for sym in found},
                simultaneous=True)
        return expression

    def coefficients(self, var: str, held: frozenset = frozenset()):
        """``(A, B, names)`` with ``var' = A*var + B``, the subexpressions that do not depend
        on ``var`` (and those ``held``) left as the symbols ``names``; None if that form
        cannot be found."""
        expression = self.expanded(var, self.depending_on(var) - held)
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
            if name in wanted and name not in names:   # a name given is read as given
                out = f"_{name}_{tag}"
                text = _substitute(self.equations[name].expr.code, renamed)
                code.append(f"{out} = {text}")
                renamed[name] = out
        return {n: renamed[n] for n in wanted}


def _at_time(coefficient, steps):
    """``coefficient`` with the time ``t`` read ``steps`` of a step later."""
    expression = sp.sympify(coefficient)
    times = [sym for sym in expression.free_symbols if sym.name == "t"]
    if not times:
        return coefficient
    dt = next((sym for sym in expression.free_symbols if sym.name == "dt"), sp.Symbol("dt", real=True))
    return expression.subs(times[0], times[0] + steps * dt)


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


#: The voltage step (mV) of NEURON's numerical derivative of a membrane current (nocmodl
#: evaluates each current at v and v + 0.001): used where a current is not linear in the
#: voltage (an instantaneous gate, such as the Allen Institute's Nap ``mInf(v)``).
NEURON_DV_MV = 0.001


def _couplings(voltages: list[str], system: dict) -> dict | None:
    """Per voltage ``(f, {neighbour: K}, linear, V)``: ``dV/dt = f`` (the whole right-hand
    side), ``K = df/dV_neighbour`` (free of voltages), whether ``f`` is linear in the
    voltage itself, and the voltage's symbol in ``f``; None where a neighbour enters
    otherwise, or where the compartments' couplings do not form a tree (or several)."""
    chosen = set(voltages)
    out, edges = {}, set()
    for var in voltages:
        A, B = (sp.sympify(c) for c in system[var])
        own = next((sym for sym in A.free_symbols | B.free_symbols if sym.name == var), sp.Symbol(var, real=True))
        f = A * own + B
        K = {}
        for sym in {sym for sym in f.free_symbols if sym.name in chosen - {var}}:
            k = sp.diff(f, sym)
            if any(s.name in chosen for s in k.free_symbols):
                return None
            K[sym.name] = k
            edges.add(frozenset((var, sym.name)))
        linear = not any(s.name == var for s in A.free_symbols | B.free_symbols)
        out[var] = (f, K, linear, own)
    root = {v: v for v in voltages}   # union-find: a tree has no edge closing a loop

    def find(v: str) -> str:
        while root[v] != v:
            v = root[v]
        return v
    for edge in sorted(edges, key=sorted):
        a, b = (find(v) for v in sorted(edge))
        if a == b:
            return None
        root[b] = a
    return out


def _tree_step(voltages: list[str], system: dict, code: list, names: dict) -> dict | None:
    """Append code advancing the voltages one whole step together, as NEURON's
    Crank-Nicolson step does, the other variables read as ``names`` says (as they are,
    where it does not name them), and return the voltages' new names; None (and no code)
    where :func:`_couplings` finds no tree.

    NEURON's step: with ``h = dt/2``, each voltage's change ``D`` over half a step solves
    ``(1 - h*J)*D - h*sum(K*D_j) = h*f`` (``f`` the right-hand side at the step's start,
    ``J`` its derivative in the voltage: exact where ``f`` is linear in it, else NEURON's
    difference over 0.001 mV; ``K`` the couplings), and the voltage moves by ``2*D``;
    for linear currents this is Crank-Nicolson. The rows are solved as NEURON solves its
    tree (Hines): leaves eliminated into their parents, then back-substitution from the
    roots, so compartments coupled far more stiffly than dt move together, as in NEURON."""
    found = _couplings(voltages, system)
    if found is None:
        return None
    neighbours = {v: set(found[v][1]) for v in voltages}
    parent, order = {}, []
    for first in voltages:   # breadth first from the first voltage of each tree (the soma's)
        if first in parent:
            continue
        parent[first], queue = None, [first]
        while queue:
            here = queue.pop(0)
            order.append(here)
            for other in sorted(neighbours[here] | {v for v in voltages if here in neighbours[v]}):
                if other not in parent:
                    parent[other] = here
                    queue.append(other)
    children = {v: [c for c in order if parent[c] == v] for v in voltages}
    half = sp.Symbol("dt") / 2

    def coupling(i: str, j: str) -> sp.Expr:
        return _renamed(found[i][1].get(j, sp.Integer(0)), names)

    D, R = {}, {}
    for var in order[::-1]:   # leaves first: each row's children are eliminated into it
        f, _, linear, own = found[var]
        rate = sp.Symbol(f"_f_{var}")
        code.append(f"{rate} = {sympy_to_str(_renamed(f, names))}")
        if linear:
            slope = _renamed(sp.diff(f, own), names)
        else:   # NEURON's numerical derivative
            step = sp.Float(float(NEURON_DV_MV * mV)) * sp.Symbol("volt")
            code.append(f"_fdv_{var} = {sympy_to_str(_renamed(f.subs(own, own + step), names))}")
            slope = (sp.Symbol(f"_fdv_{var}") - rate) / step
        d = 1 - half * slope
        r = half * rate
        for c in children[var]:
            d -= half ** 2 * coupling(var, c) * coupling(c, var) / D[c]
            r += half * coupling(var, c) * R[c] / D[c]
        D[var], R[var] = sp.Symbol(f"_D_{var}"), sp.Symbol(f"_R_{var}")
        code.append(f"{D[var]} = {sympy_to_str(d)}")
        code.append(f"{R[var]} = {sympy_to_str(r)}")
    new, change = {}, {}
    for var in order:   # roots first
        value = R[var]
        if parent[var] is not None:
            value += half * coupling(var, parent[var]) * sp.Symbol(change[parent[var]])
        change[var] = f"_dV_{var}"
        code.append(f"{change[var]} = {sympy_to_str(value / D[var])}")
        new[var] = f"_{var}_new"
        code.append(f"{new[var]} = {var} + 2*{change[var]}")
    return new


class ExponentialStrang(StateUpdateMethod):
    """See the module docstring. The code for a set of equations is made once per process
    (sympy takes seconds for the 168 state variables of a reduced Hay cell) and is the
    same text in every process (so compiled code caches find it).

    ``method_options``: ``ion_currents``, the subexpressions that are ion currents read by
    other variables (a concentration's ``ica``), which they read at mid-step, as NEURON's
    second-order correction gives them; ``update_order``, lists of variables advanced one
    list after the other (NEURON's mechanisms, in the order it registers them), each
    reading the new values of the lists before it. The rest advance last, together.
    ``half_steps``: variables advanced half a step before the voltages and half after, so
    that the voltages read them at mid-step (bridge's synapses, whose NEURON mechanisms
    read their gating there). ``implicit`` and ``forward``: variables whose mechanism's SOLVE
    METHOD NEURON advances by backward Euler (derivimplicit, sparse) or forward Euler
    (euler) rather than cnexp's exponential step; with ``secondorder`` 2 (NEURON's
    Crank-Nicolson, the default) NEURON's implicit solvers take a backward-Euler half step
    and extrapolate it to the whole (measured on a CONSERVE gate: 5e-15 against 2e-7 for a
    whole backward-Euler step), with 0 (backward Euler) a whole step. ``half_values``
    ({state: variable}): for such an implicit state, a variable (a parameter of the
    equations) this method sets to the state's value at the backward-Euler half step, not
    the extrapolated one (with ``secondorder`` 0: the new state), as NEURON leaves what an
    implicit DERIVATIVE block assigns (cad.mod's ``cai = ca``: nocmodl's ``nrn_state``
    halves dt, runs the block, whose last evaluation is at the half-step state, then adds
    ``dt*Dca`` to the state alone and writes ``_ion_cai = cai``), so that the rest of the
    cell reads it (a concentration written so reads the variable instead of the state)."""

    OPTIONS = {"ion_currents": (), "update_order": (), "half_steps": (), "implicit": (), "forward": (),
               "secondorder": 2, "half_values": {}}

    def __init__(self):
        self._made: dict = {}

    def __call__(self, equations, variables=None, method_options=None):
        options = extract_method_options(method_options, self.OPTIONS)
        currents = tuple(sorted(options["ion_currents"]))
        order = tuple(tuple(group) for group in options["update_order"])
        halves = tuple(sorted(options["half_steps"]))
        implicit = "implicit" if options["secondorder"] == 0 else "implicit_midpoint"
        schemes = tuple(sorted({**{v: implicit for v in options["implicit"]},
                                **{v: "forward" for v in options["forward"]}}.items()))
        mids = tuple(sorted(dict(options["half_values"]).items()))
        key = (str(equations), tuple(sorted((name, type(v).__name__, str(getattr(v, "dim", "")))
                                            for name, v in (variables or {}).items())), currents, order, halves,
               schemes, mids)
        if key not in self._made:
            self._made[key] = self._code(equations, variables, currents, order, halves, dict(schemes), dict(mids))
        return self._made[key]

    def _code(self, equations, variables, currents: tuple, order: tuple, halves: tuple, schemes: dict,
              mids: dict | None = None) -> str:
        if equations.is_stochastic:
            raise UnsupportedEquationsException("Cannot solve stochastic equations with this state updater.")
        states = [eq.varname for eq in equations.ordered if eq.type == DIFFERENTIAL_EQUATION]
        volt = get_dimensions(mV)
        voltages = [v for v in states if equations[v].dim == volt]
        others = [v for v in states if v not in voltages]
        rates = _Rates(equations, variables)
        held = frozenset(currents) & set(equations.subexpr_names)
        system: dict = {}
        reads: dict[str, set] = {}   # the subexpressions a variable's coefficients read
        for var in others:
            found = rates.coefficients(var, held)
            if found is not None:
                system[var] = found[:2]
                reads[var] = found[2]
        system.update(_linearised(equations, variables, [v for v in states if v not in system]))
        # NEURON's clock: the membrane currents at mid-step (fadvance moves t half a step
        # before it computes them), the states at the step's end (epsp's curr(t) reads t)
        for var in voltages:
            system[var] = tuple(_at_time(c, sp.Rational(1, 2)) for c in system[var])
        code: list[str] = []
        halves = [v for v in others if v in set(halves)]
        others = [v for v in others if v not in halves]
        # 0. The half-step variables their first half, from the start.
        names: dict[str, str] = {}
        if halves:
            got = rates.code(set().union(*(reads.get(v, set()) for v in halves)), {}, "h1", code)
            for var in halves:
                _update(var, system, sp.Rational(1, 2), got, code, f"_{var}_h1")
            names.update({var: f"_{var}_h1" for var in halves})
        # 1. The voltages a whole step, the others as they are (NEURON's: at mid-step).
        solved = _tree_step(voltages, system, code, names)
        if solved is not None:
            names.update(solved)
        else:   # a symmetric Gauss-Seidel sweep, where no tree solve applies
            for sweep, sequence in (("va", voltages), ("vb", voltages[::-1])):
                for var in sequence:
                    _update(var, system, sp.Rational(1, 2), names, code, f"_{var}_{sweep}")
                    names[var] = f"_{var}_{sweep}"
        # 2. The ion currents the others read: at the mid-step voltage, the others unchanged.
        if held:
            middle = {"t": "(t + 0.5*dt)"}
            for v in voltages:
                middle[v] = f"_{v}_mid"
                code.append(f"{middle[v]} = 0.5*({v} + {names[v]})")
            names.update({n: t for n, t in rates.code(set(held), middle, "mid", code).items() if n in held})
        # 3. The others a whole step with the new voltages, list by list.
        listed = [[v for v in group if v in others] for group in order]
        groups = [g for g in listed if g] + [[v for v in others if not any(v in g for g in listed)]]
        fresh: dict[str, str] = {}   # subexpressions computed, valid while what they read is unchanged
        for k, group in enumerate(g for g in groups if g):
            together = [b for scheme in ("implicit", "implicit_midpoint")
                        for b in coupled.blocks(rates, [v for v in group if schemes.get(v) == scheme], held)]
            needed = set().union(*(reads.get(v, set()) for v in group), *(b.reads for b in together))
            got = rates.code(needed & set(rates.order) - held, {**names, **fresh, "t": "(t + dt)"}, f"s{k}", code)
            fresh.update(got)
            now = {**names, **fresh, "t": "(t + dt)"}
            alone = [v for v in group if not any(v in b.states for b in together)]
            for var in alone:
                _update(var, system, sp.Integer(1), now, code, f"_{var}_new", schemes.get(var, "exponential"))
            per_neuron = ({now.get(name, name) for name in (*equations.names, *now) if name != "t"}
                          if together else set())
            for block in together:
                coupled.step(block, lambda e: _renamed(e, now), per_neuron, schemes[block.states[0]], code)
            names.update({var: f"_{var}_new" for var in group})
            # NEURON's implicit solvers under Crank-Nicolson leave what the DERIVATIVE block
            # assigns (cad's cai = ca) at the backward-Euler half step, not at the state
            # extrapolated to the whole step: the rest of the cell reads that value
            written = [var for var in group if var in (mids or {})]
            for var in written:
                if schemes.get(var) != "implicit_midpoint":
                    names[mids[var]] = f"_{var}_new"
                elif var in alone:
                    names[mids[var]] = f"_half_{var}_new"
                else:
                    code.append(f"_half_{var}_new = 0.5*({now.get(var, var)} + _{var}_new)")
                    names[mids[var]] = f"_half_{var}_new"
            stale = set().union(*(rates.depending_on(v) for v in group))
            stale |= {n for n in rates.order if any(mids[v] in get_identifiers(equations[m].expr.code)
                                                    for m in _closure([n], rates.reads) for v in written)}
            fresh = {n: t for n, t in fresh.items() if n not in stale}
        # 4. The half-step variables their second half, with the new voltages.
        if halves:
            got = rates.code(set().union(*(reads.get(v, set()) for v in halves)), names, "h2", code)
            for var in halves:
                _update(var, system, sp.Rational(1, 2), {**names, **got}, code, f"_{var}_h2")
            names.update({var: f"_{var}_h2" for var in halves})
        code += [f"{v} = {names[v]}" for v in voltages + others + halves]
        code += [f"{mid} = {names[mid]}" for mid in sorted((mids or {}).values()) if mid in names]
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

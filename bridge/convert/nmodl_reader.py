"""``from_nmodl``: one NMODL file -> one :class:`~bridge.mechanisms.Mechanism`.

Order of work: parse (:mod:`.nmodl_source`), refuse what cannot be expressed
(:mod:`.nmodl_refuse`), read the declarations (:mod:`.nmodl_decls`), then execute
INITIAL, the solved DERIVATIVE (or two-state KINETIC) block followed by BREAKPOINT's
statements, and NET_RECEIVE (:mod:`.nmodl_exec`), each into straight-line statements.

Scope follows NEURON (nocmodl's generated code): a STATE, a current, and a name in RANGE
are per instance ("range"); an ASSIGNED name the NEURON block does not list is per
instance too, only hidden from HOC ("private", e.g. Exp2Syn's ``factor``); GLOBAL names
and PARAMETER names not in RANGE are one value per mechanism ("global").
"""

from __future__ import annotations

import dataclasses
from functools import partial

from neuron.nmodl import ast, visitor

from ..mechanisms import Assign, Current, Derivative, IonUse, Mechanism, Source, Variable
from .nmodl_decls import BUILTINS, read_declarations, unit_of
from .nmodl_exec import Executor, Frame, Scope, element, name_statements, render
from .nmodl_expr import Sym, to_text
from .nmodl_explicit import drop_values_of_dt, run_explicit
from .nmodl_kinetic import run_kinetic, steady_state
from .nmodl_linear import solve_linear
from .nmodl_refuse import check
from .nmodl_source import conversion_error, parse, unsupported
from .nmodl_units import UnitReader

#: SOLVE methods bridge accepts, by block kind.
METHODS = {"DerivativeBlock": ("cnexp", "derivimplicit", "euler"), "KineticBlock": ("sparse", "derivimplicit")}


def from_nmodl(path) -> Mechanism:
    """Read the NMODL file at ``path`` into a Mechanism (see the module docstring).

    Raises UnsupportedFeatureError naming the construct and ``path:line`` for what
    bridge cannot express, and a ConversionError for a missing
    file, a syntax error, an unknown unit or an undeclared symbol."""
    parsed = parse(path)
    check(parsed)
    d = read_declarations(parsed)
    units = UnitReader(d.aliases)

    ions, ion_read, ion_written = [], set(), set()
    for ion, read, write, valence, line in d.ions:
        try:
            ions.append(IonUse(ion, read, write, valence))
        except Exception as exc:   # unknown valence
            raise conversion_error(str(exc), parsed.where(line), "VALENCE") from None
        ion_read.update(read)
        ion_written.update(write)
    currents = [Current(name, ion) for ion, _, write, _, _ in d.ions for name in write if name == f"i{ion}"]
    currents += [Current(name, None) for name in d.nonspecific]
    current_names = {c.variable for c in currents}

    variables = []
    keywords = {new: old for old, new in parsed.renamed}
    for decl in d.declared.values():
        if decl.role == "parameter" and decl.name in keywords:
            raise unsupported("PARAMETER", f"names a PARAMETER {keywords[decl.name]}, a Python keyword, which bridge "
                              f"would rename ({decl.name}) where NEURON sets it by its own name",
                              parsed.where(parsed.locator.first(decl.name, decl.line, default=decl.line)),
                              hint="rename it in the file")
        if decl.name in BUILTINS or (decl.name in ion_read | ion_written and decl.name not in ion_written):
            continue
        if decl.role == "state" or decl.name in current_names or decl.name in d.range_names:
            scope = "global" if decl.name in d.global_names and decl.role != "state" else "range"
        elif decl.role == "assigned" and decl.name not in d.global_names:
            scope = "private"
        else:
            scope = "global"
        role, value = decl.role, decl.value
        if role == "parameter" and decl.name in ion_written:
            role, value = "assigned", None   # the ion's variable: a PARAMETER line only gives its unit
        elif role == "parameter" and value is None:
            value = 0.0   # NEURON's value of a PARAMETER declared without one
        variables.append(Variable(decl.name, unit_of(parsed, units, decl.unit, decl.line), role, value, scope,
                                  decl.line))
    names = {v.name for v in variables}
    states = frozenset(v.name for v in variables if v.role == "state")
    scope = Scope(variables=frozenset(names | current_names | ion_written), states=states,
                  file_locals=frozenset(d.file_locals - names),
                  read_only=frozenset(set(BUILTINS) | (ion_read - ion_written)),
                  constants=d.constants, procedures=d.procedures, functions=d.functions, arrays=d.file_arrays)
    for array, length in d.file_arrays.items():
        for index in range(length):
            if element(array, index) in names | current_names | set(d.file_locals) | set(BUILTINS):
                raise conversion_error(f"{array}[{index}] becomes the scalar {element(array, index)}, a name the "
                                       "file declares", parsed.where(parsed.locator.indexed(array)), array)
    reserved = set(scope.variables) | set(scope.read_only) | set(d.constants) | set(d.procedures) \
        | set(d.functions) | {"ifelse", "exp", "log", "log10", "sqrt", "abs", "tanh", "sin", "cos"}

    initial = _initial(parsed, d, scope, reserved)
    step, derivatives, method, step_tables, conserved = _step(parsed, d, scope, reserved)
    variables = [dataclasses.replace(v, role="assigned") if v.name in conserved else v for v in variables]
    net_receive, args = _net_receive(parsed, d, scope, reserved)
    tables = bool(visitor.AstLookupVisitor().lookup(parsed.program, ast.AstNodeType.TABLE_STATEMENT)) or step_tables
    return Mechanism(name=d.name, kind=d.kind, variables=tuple(variables), ions=tuple(ions),
                     currents=tuple(currents), initial=initial, step=step, derivatives=derivatives,
                     net_receive=net_receive, net_receive_args=args, tables=tables, method=method,
                     source=Source(parsed.text, str(path)))


def _one(parsed, d, kind, keyword):
    blocks = d.blocks.get(kind, [])
    if len(blocks) > 1:
        raise conversion_error(f"{len(blocks)} {keyword} blocks", parsed.where(parsed.locator.nth(keyword, 1)))
    return blocks[0] if blocks else None


def _initial(parsed, d, scope, reserved):
    block = _one(parsed, d, "InitialBlock", "INITIAL")
    if block is None:
        return ()
    ex = Executor(parsed, scope, "initial", parsed.locator.block("INITIAL"))
    ex.initial_solve = partial(_initial_solve, d)
    ex.run(block.statement_block)
    drop_values_of_dt(ex, parsed.where(ex.lines[0]))   # a rates procedure's step factors (mexp)
    kept, name_of = name_statements(ex.statements, [], reserved)
    ex.check_array_reads(kept)
    return tuple(Assign(t, e) for t, e in render(kept, name_of))


def _initial_solve(d, ex, solve, frame) -> None:
    """A SOLVE in INITIAL: ``SOLVE name STEADYSTATE sparse`` of a KINETIC block, or
    ``SOLVE name`` of a LINEAR block."""
    name = solve.block_name.get_node_name()
    kinetic = next((b for b in d.blocks.get("KineticBlock", []) if b.get_node_name() == name), None)
    linear = next((b for b in d.blocks.get("LinearBlock", []) if b.get_node_name() == name), None)
    saved = ex.lines
    if solve.steadystate is not None and kinetic is not None:
        ex.lines = ex.parsed.locator.block("KINETIC", name)
        steady_state(ex, kinetic, ex.scope.states, frame)
    elif solve.steadystate is None and solve.method is None and linear is not None:
        ex.lines = ex.parsed.locator.block("LINEAR", name)
        solve_linear(ex, linear, [n for n, decl in d.declared.items() if decl.role == "state"], frame)
    elif solve.steadystate is not None:
        ex.refuse("STEADYSTATE", f"solves {name} for a STEADYSTATE, which is not a KINETIC block (bridge: a "
                  "KINETIC scheme's steady state, by sparse)", "STEADYSTATE")
    else:
        ex.refuse("SOLVE", f"solves {name} in INITIAL, which is not a LINEAR block (bridge: a LINEAR block, or a "
                  "KINETIC scheme's STEADYSTATE)", "SOLVE")
    ex.lines = saved


def _step(parsed, d, scope, reserved):
    breakpoint_block = _one(parsed, d, "BreakpointBlock", "BREAKPOINT")
    lines = parsed.locator.block("BREAKPOINT")
    ex = Executor(parsed, scope, "derivative", lines)
    method = "cnexp"
    rest = []
    solves = []
    conserved: set[str] = set()   # states a KINETIC CONSERVE made assigned values
    for st in breakpoint_block.statement_block.statements if breakpoint_block is not None else []:
        inner = st.expression if type(st).__name__ == "ExpressionStatement" else st
        if type(inner).__name__ == "SolveBlock":
            solves.append(inner)
        else:
            rest.append(st)
    if len(solves) > 1:
        raise unsupported("SOLVE", "solves more than one block", parsed.where(parsed.locator.nth("SOLVE", 1)))
    for solve in solves:
        target = solve.block_name.get_node_name()
        line = parsed.locator.first("SOLVE", *lines, default=lines[0])
        solved = [b for kind in ("DerivativeBlock", "KineticBlock") for b in d.blocks.get(kind, [])
                  if b.get_node_name() == target]
        if not solved and target in d.procedures and solve.method is None:
            ex.lines = parsed.locator.block("PROCEDURE", target)
            run_explicit(ex, d.procedures[target], scope.states)   # its STATE updates become derivatives
            continue
        if not solved:
            raise unsupported("SOLVE", f"solves {target}, which is not a DERIVATIVE or KINETIC block (or a "
                              "PROCEDURE without METHOD)", parsed.where(line))
        block, kind = solved[0], type(solved[0]).__name__
        if solve.steadystate is not None:
            raise unsupported("STEADYSTATE", f"solves {target} for a STEADYSTATE in BREAKPOINT (bridge: in "
                              "INITIAL)", parsed.where(line))
        if solve.method is None:
            raise unsupported("SOLVE", f"SOLVE {target} has no METHOD", parsed.where(line))
        method = solve.method.get_node_name()
        if method not in METHODS[kind]:
            keyword = "DERIVATIVE" if kind == "DerivativeBlock" else "KINETIC"
            raise unsupported("METHOD", f"METHOD {method} for a {keyword} block", parsed.where(line),
                              hint=f"use one of {', '.join(METHODS[kind])}")
        if kind == "DerivativeBlock":
            ex.lines = parsed.locator.block("DERIVATIVE", target)
            ex.run(block.statement_block)
        else:
            ex.lines = parsed.locator.block("KINETIC", target)
            conserved = run_kinetic(ex, block, scope.states)
    roots = [e for _, e in ex.derivatives]
    ex.mode, ex.lines = "step", lines
    for name in scope.read_only:   # NEURON re-reads v and ion variables for BREAKPOINT's currents
        ex.env.pop(name, None)
    frame = Frame(parent=ex.root)
    for st in rest:
        ex.statement(st, frame)
    assigned = {ref.base for ref, _ in ex.statements if ref.kind == "var"}
    for name in ex.plain_reads:
        if name in assigned:
            construct = "LOCAL" if name in scope.file_locals else "ASSIGNED"
            raise unsupported(construct, f"reads {name} before assigning it in the same time step: a value kept "
                              "from one step to the next (e.g. a cache of celsius), which bridge cannot express",
                              parsed.where(parsed.locator.first(name, lines[0], default=lines[0])))
    kept, name_of = name_statements(ex.statements, roots, reserved)
    ex.check_array_reads(kept, roots)
    step = tuple(Assign(t, e) for t, e in render(kept, name_of))
    derivatives = tuple(Derivative(s, to_text(e, name_of)) for s, e in ex.derivatives)
    return step, derivatives, method, ex.tables, conserved


def _net_receive(parsed, d, scope, reserved):
    block = _one(parsed, d, "NetReceiveBlock", "NET_RECEIVE")
    if block is None:
        return (), ()
    args = tuple(p.get_node_name() for p in block.parameters)
    ex = Executor(parsed, scope, "net_receive", parsed.locator.block("NET_RECEIVE"))
    frame = Frame({a: Sym(a) for a in args}, parent=ex.root)
    ex.run(block.statement_block, frame, nested=False)
    kept, name_of = name_statements(ex.statements, [], reserved | set(args))
    ex.check_array_reads(kept)
    return tuple(Assign(t, e) for t, e in render(kept, name_of)), args

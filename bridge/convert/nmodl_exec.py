"""Straight-line statements from NMODL statement blocks, by symbolic execution of the AST.

:class:`Executor` walks a block's statements in order, keeping for every name its
current value (an expression tree of :mod:`.nmodl_expr`). Each assignment emits one
statement whose value is a fresh :class:`~.nmodl_expr.Ref`; PROCEDURE and FUNCTION
calls are inlined by executing their bodies in a fresh frame (arguments bound to the
argument values, a FUNCTION's value being the final value of its own name); LOCALs
live in their frame. An ``if``/``else`` runs both branches (their statements have
fresh names, so computing both is harmless) and then merges every name whose value
differs into ``ifelse(condition, value_then, value_else)``; a condition made of
numbers alone picks its branch outright.

:func:`name_statements` then gives each statement its printed target: the last value
of a mechanism variable keeps the variable's name, earlier ones become ``x_1``,
``x_2``...; ``v`` and ion variables the mechanism only reads are never overwritten
(``v_1``...). Statements whose values nothing uses (a LOCAL computed and dropped) go.
"""

from __future__ import annotations

from dataclasses import dataclass, field


from .nmodl_expr import FUNCTIONS, Bin, Call, IfElse, Num, Ref, Sym, Unary, binary_op, refs, symbols, to_text
from .nmodl_refuse import constant_index, local_array_length
from .nmodl_source import conversion_error, unsupported

#: Calls that schedule or emit events, or are otherwise outside straight-line NMODL.
EVENT_CALLS = {"net_send": "net_send", "net_event": "net_event", "net_move": "net_move"}

#: Statement node types refused wherever they appear, by the construct they are.
REFUSED_STATEMENTS = {"Verbatim": "VERBATIM", "WatchStatement": "WATCH", "FromStatement": "FROM",
                      "WhileStatement": "WHILE", "Compartment": "COMPARTMENT", "LonDiffuse": "LONGITUDINAL_DIFFUSION",
                      "LagStatement": "LAG", "ReactionStatement": "KINETIC", "Conserve": "CONSERVE",
                      "ForNetcon": "FOR_NETCONS", "LinEquation": "LINEAR", "NonLinEquation": "NONLINEAR"}

_SKIPPED = ("UnitState", "LineComment", "BlockComment", "ConductanceHint", "MutexLock", "MutexUnlock")


@dataclass
class Frame:
    """Locals (and arguments) of one procedure/function body or nested block; ``arrays``:
    LOCAL arrays declared here (name -> length), whose elements are the locals
    :func:`element` names."""
    locals: dict = field(default_factory=dict)
    parent: "Frame | None" = None
    arrays: dict = field(default_factory=dict)

    def owner(self, name):
        f = self
        while f is not None:
            if name in f.locals:
                return f
            f = f.parent
        return None

    def chain(self):
        f, out = self, []
        while f is not None:
            out.append(f)
            f = f.parent
        return out


@dataclass(frozen=True)
class Scope:
    """What a file declares, for resolving names (built by the reader)."""
    variables: frozenset      # mechanism variables (PARAMETER, STATE, ASSIGNED, written ion variables)
    states: frozenset
    file_locals: frozenset    # file-level LOCALs: hidden per-mechanism variables
    read_only: frozenset      # v, t, celsius, dt, ion variables only read
    constants: dict           # UNITS/CONSTANT/DEFINE names -> value
    procedures: dict          # name -> ast.ProcedureBlock
    functions: dict           # name -> ast.FunctionBlock
    arrays: dict = field(default_factory=dict)   # file-level LOCAL arrays: name -> length


def element(name: str, index: int) -> str:
    """The scalar standing for the array element ``name[index]``."""
    return f"{name}_{index}"


class Executor:
    """Runs one block (``mode``: "initial", "step", "derivative", "net_receive")."""

    def __init__(self, parsed, scope: Scope, mode: str, lines: tuple[int, int]):
        self.parsed, self.scope, self.mode, self.lines = parsed, scope, mode, lines
        self.statements: list[tuple[Ref, object]] = []
        self.env: dict[str, object] = {}
        self.plain_reads: dict[str, int] = {}
        self.derivatives: list[tuple[str, object]] = []
        self.tables = False
        self.depth = 0
        #: ``(executor, solve, frame)``: runs a SOLVE in INITIAL (a STEADYSTATE, a LINEAR
        #: block), or None where a SOLVE is refused.
        self.initial_solve = None
        # File-level LOCAL arrays, split into scalars: each element starts as the symbol of
        # its value from before the block (kept between steps in NEURON), which
        # :meth:`check_array_reads` refuses if a kept statement uses it.
        self.root = Frame({element(a, i): Sym(element(a, i)) for a, n in scope.arrays.items() for i in range(n)},
                          arrays=dict(scope.arrays))

    # -- errors -------------------------------------------------------------------------
    def where(self, word: str | None = None) -> str:
        start, end = self.lines
        line = self.parsed.locator.first(word, start, end, default=0) if word else 0
        if not line and word:
            line = self.parsed.locator.first(word, default=start)
        return self.parsed.where(line or start)

    def refuse(self, construct: str, message: str, word: str | None = None):
        raise unsupported(construct, message, self.where(word or construct))

    # -- names --------------------------------------------------------------------------
    def read(self, name: str, frame: Frame):
        owner = frame.owner(name) if frame else None
        if owner is not None:
            value = owner.locals[name]
            return Num(0.0) if value is None else value
        if name in self.scope.constants:
            return Num(self.scope.constants[name])
        if name in self.env:
            return self.env[name]
        if name in self.scope.variables or name in self.scope.file_locals:
            self.plain_reads.setdefault(name, 0)
            return Sym(name)
        if name in self.scope.read_only:
            return Sym(name)
        if name == "flag" and self.mode == "net_receive":
            self.refuse("net_send", "reads flag (events a mechanism sends itself, net_send)", name)
        if name in ("diam", "area"):
            self.refuse(name, f"uses {name}, NEURON's segment geometry, which a mechanism does not own", name)
        if name in self.scope.functions or name in self.scope.procedures:
            raise conversion_error(f"{name} is a FUNCTION/PROCEDURE used as a value", self.where(name), name)
        raise conversion_error(f"undeclared symbol {name!r}", self.where(name), name,
                               hint="declare it in PARAMETER, ASSIGNED or STATE, or USEION it")

    def emit(self, base: str, kind: str, value) -> Ref:
        ref = Ref(base, kind)
        self.statements.append((ref, value))
        return ref

    def assign(self, name: str, value, frame: Frame):
        owner = frame.owner(name) if frame else None
        if owner is not None:
            owner.locals[name] = self.emit(name, "local", value)
        elif name in self.scope.constants:
            raise conversion_error(f"assignment to the constant {name}", self.where(name), name)
        elif name in self.scope.read_only:
            self.env[name] = self.emit(name, "builtin", value)
        elif name in self.scope.variables or name in self.scope.file_locals:
            if name in self.scope.states and self.mode in ("step", "derivative"):
                self.refuse("STATE", f"assigns the STATE {name} outside INITIAL and NET_RECEIVE", name)
            self.env[name] = self.emit(name, "var", value)
        else:
            self.read(name, frame)   # raises the undeclared-symbol error

    def element(self, indexed, frame: Frame) -> str:
        """The scalar of ``a[2]`` (a LOCAL array indexed by an integer constant)."""
        name = indexed.get_node_name()
        index = constant_index(indexed)
        if index is None:
            self.refuse("ARRAY", f"indexes the array {name}[] by a variable or an expression", name)
        owner = next((f for f in (frame.chain() if frame else [self.root]) if name in f.arrays), None)
        if owner is None and name in self.root.arrays:
            owner = self.root
        if owner is None:
            self.refuse("ARRAY", f"uses {name}[], which is not a LOCAL array (bridge splits LOCAL arrays "
                        "indexed by constants into scalars)", name)
        if not 0 <= index < owner.arrays[name]:
            raise conversion_error(f"{name}[{index}] is outside the array {name}[{owner.arrays[name]}]",
                                   self.where(name), name)
        return element(name, index)

    def check_array_reads(self, kept, roots=()) -> None:
        """Refuse a kept value that uses an element of a file-level LOCAL array from before
        the block: a value kept from one call to the next, which bridge cannot express."""
        elements = set(self.root.locals)
        used = set()
        for value in [v for _, v in kept] + list(roots):
            used |= symbols(value) & elements
        if used:
            name = sorted(used)[0]
            base, index = name.rsplit("_", 1)
            self.refuse("ARRAY", f"reads {base}[{index}] before assigning it: a value kept from one call to the "
                        "next, which bridge cannot express", base)

    # -- expressions --------------------------------------------------------------------
    def expr(self, node, frame: Frame):
        kind = type(node).__name__
        if kind in ("WrappedExpression", "ParenExpression"):
            return self.expr(node.expression, frame)
        if kind in ("Integer", "Double", "Float"):
            return Num(float(node.eval()))
        if kind == "DoubleUnit":   # 1(/ms): the number; units are for modlunit only
            return self.expr(node.value, frame)
        if kind in ("VarName", "Name"):
            if kind == "VarName" and type(node.name).__name__ == "IndexedName":
                return self.read(self.element(node.name, frame), frame)
            return self.read(node.get_node_name(), frame)
        if kind == "UnaryExpression":
            op = node.op.eval()
            operand = self.expr(node.expression, frame)
            return Unary("-" if op == "-" else "not", operand)
        if kind == "BinaryExpression":
            op = binary_op(node.op.eval())
            if op is None:
                raise conversion_error(f"operator {node.op.eval()!r} in an expression", self.where())
            return Bin(op, self.expr(node.lhs, frame), self.expr(node.rhs, frame))
        if kind == "FunctionCall":
            return self.call(node, frame, want_value=True)
        if kind == "Boolean":
            return Num(1.0 if node.eval() else 0.0)
        raise unsupported(kind, f"expression of kind {kind}", self.where())

    def call(self, node, frame: Frame, want_value: bool):
        name = node.get_node_name()
        if name in EVENT_CALLS:
            self.refuse(EVENT_CALLS[name], f"calls {name}() (self-scheduled events)", name)
        args = [self.expr(a, frame) for a in node.arguments]
        if name in FUNCTIONS:
            if len(args) != 1:
                raise conversion_error(f"{name}() takes one argument", self.where(name), name)
            return Call(FUNCTIONS[name], tuple(args))
        if name == "pow" and len(args) == 2:
            return Bin("**", args[0], args[1])
        block = self.scope.functions.get(name) or self.scope.procedures.get(name)
        if block is None:
            self.refuse("FUNCTION", f"calls the unsupported function {name}()", name)
        if want_value and name not in self.scope.functions:
            self.refuse("PROCEDURE", f"uses the PROCEDURE {name}() as a value", name)
        params = [p.get_node_name() for p in block.parameters]
        if len(params) != len(args):
            raise conversion_error(f"{name}() takes {len(params)} arguments, called with {len(args)}",
                                   self.where(name), name)
        if self.depth > 32:
            self.refuse("FUNCTION", f"{name}() calls itself (recursion)", name)
        inner = Frame(parent=self.root)
        for param, value in zip(params, args):
            simple = isinstance(value, (Num, Sym, Ref))
            inner.locals[param] = value if simple else self.emit(param, "local", value)
        if name in self.scope.functions:
            inner.locals[name] = None
        kw = "FUNCTION" if name in self.scope.functions else "PROCEDURE"
        saved_lines = self.lines
        self.lines = self.parsed.locator.block(kw, name)
        self.depth += 1
        try:
            self.run(block.statement_block, inner, nested=False)
        finally:
            self.depth -= 1
            self.lines = saved_lines
        return self.read(name, inner) if name in self.scope.functions else None

    # -- statements ---------------------------------------------------------------------
    def run(self, block, frame: Frame | None = None, nested: bool = True):
        frame = Frame(parent=frame or self.root) if nested or frame is None else frame
        for st in block.statements:
            self.statement(st, frame)

    def statement(self, st, frame: Frame):
        kind = type(st).__name__
        if kind in _SKIPPED:
            return
        if kind == "TableStatement":
            self.tables = True
        elif kind == "LocalListStatement":
            for var in st.variables:
                name = var.get_node_name()
                length = local_array_length(var, self.where)
                if length is not None:
                    frame.arrays[name] = length
                    frame.locals.update({element(name, i): None for i in range(length)})
                    continue
                frame.locals[name] = None
        elif kind == "StatementBlock":
            self.run(st, frame)
        elif kind == "IfStatement":
            self.conditional(st, frame)
        elif kind == "ProtectStatement":
            self.expression_statement(st.expression, frame)
        elif kind == "ExpressionStatement":
            self.expression_statement(st.expression, frame)
        elif kind in REFUSED_STATEMENTS:
            construct = REFUSED_STATEMENTS[kind]
            self.refuse(construct, f"uses {construct}", construct)
        elif kind == "SolveBlock":
            self.solve(st, frame)
        else:
            self.refuse(kind, f"has a statement of kind {kind}")

    def expression_statement(self, e, frame: Frame):
        kind = type(e).__name__
        if kind == "DiffEqExpression":
            inner = e.expression
            lhs = inner.lhs.name if type(inner.lhs).__name__ == "VarName" else inner.lhs
            name = lhs.get_node_name()
            if self.mode != "derivative":
                self.refuse("DERIVATIVE", f"has the differential equation {name}' outside a DERIVATIVE block", name)
            if type(lhs).__name__ != "PrimeName" or int(lhs.order.eval()) != 1:
                self.refuse("DERIVATIVE", f"has a higher-order derivative of {name}", name)
            if name not in self.scope.states:
                raise conversion_error(f"{name}' is the derivative of {name}, which is not a STATE",
                                       self.where(name), name)
            self.derivatives.append((name, self.expr(inner.rhs, frame)))
        elif kind == "BinaryExpression" and e.op.eval() == "=":
            target = e.lhs
            if type(target).__name__ == "VarName" and type(target.name).__name__ == "IndexedName":
                name = self.element(target.name, frame)
            else:
                name = target.get_node_name()
            self.assign(name, self.expr(e.rhs, frame), frame)
        elif kind == "FunctionCall":
            self.call(e, frame, want_value=False)
        elif kind == "SolveBlock":
            self.solve(e, frame)
        elif kind == "WrappedExpression":
            self.expression_statement(e.expression, frame)
        else:
            self.refuse(kind, f"has a statement of kind {kind}")

    def solve(self, st, frame: Frame):
        if self.initial_solve is None:
            self.refuse("SOLVE", "has a SOLVE outside BREAKPOINT and INITIAL", "SOLVE")
        self.initial_solve(self, st, frame)

    # -- if / else ----------------------------------------------------------------------
    def _state(self, frame: Frame):
        return dict(self.env), [(f, dict(f.locals)) for f in frame.chain()]

    def _restore(self, state):
        env, frames = state
        self.env = dict(env)
        for f, loc in frames:
            f.locals = dict(loc)

    def _branch(self, frame: Frame, body):
        before = self._state(frame)
        body()
        after = self._state(frame)
        self._restore(before)
        return after

    def conditional(self, st, frame: Frame):
        clauses = [(st.condition, st.statement_block)] + [(e.condition, e.statement_block) for e in st.elseifs]
        other = st.elses.statement_block if st.elses is not None else None
        self._clauses(clauses, other, frame)

    def _clauses(self, clauses, other, frame: Frame):
        (cond_node, block), rest = clauses[0], clauses[1:]
        cond = self.expr(cond_node, frame)

        def otherwise():
            if rest:
                self._clauses(rest, other, frame)
            elif other is not None:
                self.run(other, frame)

        known = static_truth(cond)
        if known is not None:   # a condition of numbers alone (an argument 0 or 1): one branch
            self.run(block, frame) if known else otherwise()
            return
        then_state = self._branch(frame, lambda: self.run(block, frame))
        else_state = self._branch(frame, otherwise)
        (env_t, frames_t), (env_e, frames_e) = then_state, else_state
        for name in dict.fromkeys(list(env_t) + list(env_e)):
            a = env_t.get(name) or self.read(name, None)
            b = env_e.get(name) or self.read(name, None)
            if a != b:   # Refs compare by identity, other trees by value
                self.env[name] = self.emit(name, "builtin" if name in self.scope.read_only else "var",
                                           IfElse(cond, a, b))
        for (f, loc_t), (_, loc_e) in zip(frames_t, frames_e):
            for name in loc_t:
                a, b = loc_t[name], loc_e.get(name)
                a, b = (Num(0.0) if a is None else a), (Num(0.0) if b is None else b)
                if a != b:
                    f.locals[name] = self.emit(name, "local", IfElse(cond, a, b))


def static_truth(e):
    """The truth of a condition made of numbers alone, else None."""
    def value(x):
        if isinstance(x, Num):
            return x.value
        if isinstance(x, Unary):
            inner = value(x.operand)
            return None if inner is None else (-inner if x.op == "-" else float(not inner))
        if isinstance(x, Bin):
            a, b = value(x.left), value(x.right)
            if a is None or b is None:
                return None
            ops = {"+": a + b, "-": a - b, "*": a * b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
                   "==": a == b, "!=": a != b, "and": bool(a) and bool(b), "or": bool(a) or bool(b)}
            return float(ops[x.op]) if x.op in ops else None
        return None
    result = value(e)
    return None if result is None else bool(result)


def name_statements(statements, roots, reserved):
    """Printed names for the statements' Refs.

    ``statements``: ``[(ref, value)]`` in order; ``roots``: values that must stay
    computable (derivatives...); ``reserved``: names statements must not take
    (declared names, ``v``...). Returns ``(kept, name_of)``: the statements still
    needed (mechanism variables always are) and a function Ref -> name."""
    used: set = set()
    for r in roots:
        used.update(id(x) for x in refs(r))
    kept = []
    for ref, value in reversed(statements):
        if ref.kind == "var" or id(ref) in used:
            kept.append((ref, value))
            used.update(id(x) for x in refs(value))
    kept.reverse()
    by_base: dict[str, list[Ref]] = {}
    for ref, _ in kept:
        by_base.setdefault(ref.base, []).append(ref)
    taken = set(reserved)
    names: dict[int, str] = {}
    for base, versions in by_base.items():
        last = versions[-1]
        if last.kind == "var":
            names[id(last)] = base
            versions = versions[:-1]
        elif last.kind == "local" and base not in taken:
            names[id(last)] = base
            taken.add(base)
            versions = versions[:-1]
        k = 1
        for ref in versions:
            while f"{base}_{k}" in taken:
                k += 1
            names[id(ref)] = f"{base}_{k}"
            taken.add(f"{base}_{k}")
    return kept, lambda ref: names[id(ref)]


def render(kept, name_of):
    """``[(target, expression text)]`` of named statements."""
    return [(name_of(ref), to_text(value, name_of)) for ref, value in kept]

"""Mechanism -> NMODL: one readable ``.mod`` file per :class:`~bridge.mechanisms.Mechanism`.

Like the other printers (NESTML's style: one printer per target), the whole file comes
from one Jinja2 template (``templates/mechanism.mod.j2``); this module only decides
what goes where and prints expressions. :func:`nmodl_text` is pure: the same mechanism
always gives byte-identical text (no dates, no versions, no dict order from hashing).
The tests parse every printed file back with NEURON's own parser and with
:func:`bridge.convert.from_nmodl`, compile it with nrnivmodl and compare traces.

Expressions are printed from their Python syntax tree (never by editing text):
``**`` becomes ``^`` (``pow(a, b)`` in a differential equation, where NEURON 9's
nocmodl fails on ``^``), ``and``/``or``/``not`` become ``&&``/``||``/``!``, ``abs``
becomes ``fabs``, chained comparisons are split (``a < b < c`` -> ``(a < b) && (b < c)``).
Parentheses follow the tree exactly (``a + (b + c)`` keeps its parentheses), so the
compiled C evaluates the same floating-point operations in the same order as the
original file; a negated right operand is always parenthesised (``v - (-38.0)``,
``2 ^ (-x)``). Numbers print with :func:`repr` (the shortest text that reads back
to the same double), so a constant such as FARADAY = 96485.33212331001 survives exactly.

``ifelse(c, a, b)`` becomes an ``if``/``else`` statement, never a FUNCTION: a statement
``x = ifelse(c, a, b)`` prints as ``if (c) { x = a } else { x = b }`` (nested
``ifelse`` in a branch nests the statement), and an ``ifelse`` inside a larger
expression is first computed into a LOCAL ``ifelseN`` the same way. Only the chosen
branch is evaluated, as in the NMODL the reader started from, and the file stays the
plain NMODL a person would write.

Where the step statements go. NEURON integrates states in the SOLVEd DERIVATIVE block
(``nrn_state``) and computes currents in the rest of BREAKPOINT (``nrn_cur``), so:

- the statements the derivatives need (followed transitively) go into DERIVATIVE,
  in their order, then ``x' = ...``;
- every other step statement goes into BREAKPOINT after ``SOLVE``, in order;
- a DERIVATIVE statement that BREAKPOINT also needs is *repeated* in BREAKPOINT, so the
  current reads values of this step's ``v``: NEURON evaluates BREAKPOINT at ``v`` and at
  ``v + 0.001`` mV for the membrane's conductance, and a value left by the last
  DERIVATIVE pass would be stale at both (a Brian 2 subexpression such as
  ``v_mV = V/mV`` then drops out of the Jacobian; measured on NaTa_t + SKv3_1 read back
  from Brian 2: the run diverged). An NMODL file that computes rates in DERIVATIVE and
  reads them in BREAKPOINT reads the stale values; the printed file is the exact one.
  Repetition was preferred to a PROCEDURE filling new ASSIGNED variables because it
  declares nothing the mechanism does not have, so reading the file back gives the
  same variables.

SSA names (``x_1``) stay LOCALs of their block. Units: every declared unit text is
printed as declared; the UNITS block declares the short symbols nrnunits.lib lacks
(``(mV) = (millivolt)``, ``(mM) = (milli/liter)``...) and nothing else, and each unit
is checked to read back with the same scale and dimension. A ``sparse`` mechanism (a
two-state KINETIC scheme, already turned into derivatives by the reader) is printed
as a DERIVATIVE block with METHOD ``derivimplicit`` (both are backward Euler).
Rate TABLEs are not printed: the reader inlined the rate procedures, so the file
computes the exact rates (what bridge runs anyway, ``usetable_<suffix> = 0``).
"""

from __future__ import annotations

import ast
import math
import re

from ..errors import ModelError
from ..mechanisms import CALLS, Assign, Call, If, Mechanism
from ..mechanisms.expressions import names as expression_names
from ..templating import environment

#: NMODL spellings of the functions an expression may call.
FUNCTIONS = {"exp": "exp", "log": "log", "log10": "log10", "sqrt": "sqrt", "abs": "fabs", "sin": "sin",
             "cos": "cos", "tan": "tan", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "floor": "floor",
             "ceil": "ceil", "random_normal": "random_normal", "random_uniform": "random_uniform",
             "pow": "pow"}   # pow: the printer's own spelling of ** in DERIVATIVE
#: SOLVE methods for a DERIVATIVE block; others map here.
METHODS = {"cnexp": "cnexp", "derivimplicit": "derivimplicit", "euler": "euler", "sparse": "derivimplicit"}
#: UNITS definitions of short symbols missing from nrnunits.lib, in the spelling NEURON's
#: own files use (amounts without the mole, as nrnunits.lib has it).
UNIT_DEFINITIONS = {
    "mV": "millivolt", "uV": "microvolt", "mA": "milliamp", "uA": "microamp", "nA": "nanoamp", "pA": "picoamp",
    "A": "ampere", "S": "siemens", "mS": "millisiemens", "uS": "microsiemens", "nS": "nanosiemens",
    "pS": "picosiemens", "umho": "micromho", "mmho": "millimho", "um": "micron", "nm": "nanometer",
    "mm": "millimeter", "F": "farad", "uF": "microfarad", "nF": "nanofarad", "pF": "picofarad",
    "Mohm": "megohm", "kohm": "kiloohm", "L": "liter", "l": "liter", "mL": "milliliter",
    "mol": "1", "mmol": "milli", "umol": "micro", "M": "1/liter", "molar": "1/liter", "mM": "milli/liter",
    "uM": "micro/liter", "nM": "nano/liter", "J": "joule",
}
#: Units of ion variables a mechanism reads without declaring them (by name pattern).
_ION_UNITS = (("e", "", "mV"), ("i", "", "mA/cm2"), ("", "i", "mM"), ("", "o", "mM"))

# Binding strengths, loosest first (NEURON's parse1.ypp: || && comparisons +- */ unary ^).
_OR, _AND, _CMP, _ADD, _MUL, _UNARY, _POW, _ATOM = range(1, 9)
_BINARY = {ast.Add: ("+", _ADD), ast.Sub: ("-", _ADD), ast.Mult: ("*", _MUL), ast.Div: ("/", _MUL),
           ast.Pow: ("^", _POW)}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


def _error(message: str, expression: str = "") -> ModelError:
    return ModelError(message, obj=f"expression {expression}" if expression else "NMODL printer",
                      hint="bridge's NMODL printer prints the syntax of bridge.mechanisms expressions only")


def _is_ifelse(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ifelse"


def _plain(node) -> bool:
    """True when ``node`` holds no ``ifelse`` (so it prints without statements before it)."""
    return not any(_is_ifelse(n) for n in ast.walk(node))


def _parse(expression: str) -> ast.expr:
    tree = ast.parse(expression.strip(), mode="eval").body

    class IfExpToCall(ast.NodeTransformer):   # `a if c else b` means ifelse(c, a, b)
        def visit_IfExp(self, node):
            self.generic_visit(node)
            return ast.Call(ast.Name("ifelse", ast.Load()), [node.test, node.body, node.orelse], [])
    return IfExpToCall().visit(tree)


def _expr(node, source: str = "") -> tuple[str, int]:
    """``(NMODL text, binding strength)`` of an expression node without ``ifelse``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        value = float(node.value)
        if not math.isfinite(value):
            raise _error(f"the number {value} has no NMODL spelling", source)
        return (repr(value), _ATOM) if value >= 0 else (f"-{repr(-value)}", _UNARY)
    if isinstance(node, ast.Name):
        return node.id, _ATOM
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        text, strength = _expr(node.operand, source)
        if isinstance(node.op, ast.UAdd):
            return text, strength
        if strength <= _UNARY:   # -(a + b), -(-a), !(a < b)
            text = f"({text})"
        return ("-" if isinstance(node.op, ast.USub) else "!") + text, _UNARY
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        op, strength = _BINARY[type(node.op)]
        left, ls = _expr(node.left, source)
        right, rs = _expr(node.right, source)
        # left-associative operators keep a right operand of equal strength parenthesised;
        # ^ is parenthesised on both sides whenever an operand is not an atom.
        if ls < strength or (op == "^" and ls <= strength):
            left = f"({left})"
        if rs <= strength or rs == _UNARY:
            right = f"({right})"
        return f"{left} {op} {right}", strength
    if isinstance(node, ast.BoolOp):
        op, strength = ("&&", _AND) if isinstance(node.op, ast.And) else ("||", _OR)
        parts = []
        for value in node.values:
            text, s = _expr(value, source)
            parts.append(f"({text})" if s <= _AND else text)
        return f" {op} ".join(parts), strength
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        texts = []
        for operand in operands:
            text, s = _expr(operand, source)
            texts.append(f"({text})" if s <= _CMP else text)
        pairs = [f"{texts[k]} {_COMPARE[type(op)]} {texts[k + 1]}" for k, op in enumerate(node.ops)
                 if type(op) in _COMPARE]
        if len(pairs) != len(node.ops):
            raise _error("uses a comparison NMODL does not have (is, in)", source)
        if len(pairs) == 1:
            return pairs[0], _CMP
        return " && ".join(f"({p})" for p in pairs), _AND
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS \
            and not node.keywords:
        args = ", ".join(_expr(a, source)[0] for a in node.args)
        return f"{FUNCTIONS[node.func.id]}({args})", _ATOM
    raise _error(f"cannot print {ast.unparse(node)!r} in NMODL", source)


class _Block:
    """The statements of one NMODL block being printed: its lines (indented by nesting),
    and the LOCALs they need (SSA temporaries and ``ifelse`` values)."""

    def __init__(self, declared: set[str], taken: set[str]):
        self.declared = declared      # names that are not LOCALs here (variables, v, ion variables...)
        self.taken = taken            # every name in the mechanism (for fresh ifelseN names)
        self.lines: list[str] = []
        self.locals: list[str] = []

    def local(self, name: str) -> None:
        if name not in self.declared and name not in self.locals:
            self.locals.append(name)

    def fresh(self) -> str:
        k = 1
        while f"ifelse{k}" in self.taken:
            k += 1
        self.taken.add(f"ifelse{k}")
        self.local(f"ifelse{k}")
        return f"ifelse{k}"

    def value(self, node, source: str, depth: int) -> str:
        """NMODL text of ``node``; each ``ifelse`` in it is computed first into a LOCAL."""
        block = self

        class Hoist(ast.NodeTransformer):
            def visit_Call(self, call):
                if not _is_ifelse(call):
                    return self.generic_visit(call)
                name = block.fresh()
                block.assign(name, call, source, depth)
                return ast.Name(name, ast.Load())
        return _expr(Hoist().visit(node), source)[0]

    def assign(self, target: str, node, source: str, depth: int = 0) -> None:
        """``target = node``; a top-level ``ifelse`` becomes an if/else statement."""
        pad = "    " * depth
        if _is_ifelse(node):
            keyword = "if"
            while True:   # a chain ifelse(c1, a, ifelse(c2, b, c)) prints as if / else if / else
                if len(node.args) != 3:
                    raise _error("ifelse takes three arguments", source)
                condition = self.value(node.args[0], source, depth)
                self.lines.append(f"{pad}{keyword} ({condition}) {{")
                self.assign(target, node.args[1], source, depth + 1)
                node = node.args[2]
                if not (_is_ifelse(node) and len(node.args) == 3 and _plain(node.args[0])):
                    break
                keyword = "} else if"
            self.lines.append(f"{pad}}} else {{")
            self.assign(target, node, source, depth + 1)
            self.lines.append(f"{pad}}}")
        else:
            self.lines.append(f"{pad}{target} = {self.value(node, source, depth)}")

    def statement(self, target: str, expression: str, depth: int = 0) -> None:
        self.local(target)
        self.assign(target, _parse(expression), expression, depth)

    def statements(self, statements, depth: int = 0) -> None:
        """An event block's statements: assignments, if/else (an ``else`` holding one
        ``if`` prints as ``else if``) and actions."""
        pad = "    " * depth
        for st in statements:
            if isinstance(st, Assign):
                self.statement(st.target, st.expression, depth)
            elif isinstance(st, Call):
                self.call(st, depth)
            else:
                keyword = "if"
                while True:
                    condition = self.value(_parse(st.condition), st.condition, depth)
                    self.lines.append(f"{pad}{keyword} ({condition}) {{")
                    self.statements(st.then, depth + 1)
                    if len(st.otherwise) == 1 and isinstance(st.otherwise[0], If) and \
                            _plain(_parse(st.otherwise[0].condition)):
                        st, keyword = st.otherwise[0], "} else if"
                        continue
                    if st.otherwise:
                        self.lines.append(f"{pad}}} else {{")
                        self.statements(st.otherwise, depth + 1)
                    self.lines.append(f"{pad}}}")
                    break

    def call(self, st: Call, depth: int) -> None:
        pad = "    " * depth
        args = [a if name in ("flag", "random") else self.value(_parse(a), a, depth)
                for name, a in zip(CALLS[st.function], st.args)]
        if st.function == "watch":
            self.lines.append(f"{pad}WATCH ({args[0]}) {args[1]}")
        else:
            self.lines.append(f"{pad}{st.function}({', '.join(args)})")

    def derivative(self, state: str, expression: str) -> None:
        class PowToCall(ast.NodeTransformer):   # nocmodl's DERIVATIVE parser fails on ^ (NEURON 9)
            def visit_BinOp(self, node):
                self.generic_visit(node)
                if isinstance(node.op, ast.Pow):
                    return ast.Call(ast.Name("pow", ast.Load()), [node.left, node.right], [])
                return node
        text = self.value(PowToCall().visit(_parse(expression)), expression, 0)
        self.lines.append(f"{state}' = {text}")


def partition_step(mech: Mechanism) -> tuple[list[int], list[int]]:
    """Indices of ``mech.step`` printed in DERIVATIVE and in BREAKPOINT (see the module
    docstring): the statements the derivatives need, and the others plus the statements
    of the first kind that the others need, each in order."""
    step = mech.step
    defined = {st.target: i for i, st in enumerate(step)}

    def deps(i):   # the statements whose values statement i reads (earlier ones: SSA)
        return [defined[n] for n in sorted(expression_names(step[i].expression)) if defined.get(n, i) < i]
    derivative_reads = set().union(*(expression_names(d.expression) for d in mech.derivatives))
    stack = [defined[n] for n in sorted(derivative_reads) if n in defined]
    needed: set[int] = set()
    while stack:
        j = stack.pop()
        if j not in needed:
            needed.add(j)
            stack.extend(deps(j))
    rest = [i for i in range(len(step)) if i not in needed]
    stack = [j for i in rest for j in deps(i)]
    repeated: set[int] = set()
    while stack:
        j = stack.pop()
        if j in needed and j not in repeated:
            repeated.add(j)
            stack.extend(deps(j))
    return sorted(needed), sorted(set(rest) | repeated)


def _unit_atoms(text: str) -> list[str]:
    """The names in a unit text (``mA/cm2`` -> mA, cm): runs of letters; numbers and
    exponents are not names. Only names of :data:`UNIT_DEFINITIONS` matter here."""
    return re.findall(r"[A-Za-z_]+", text)


def _units_block(unit_texts, expected) -> list[tuple[str, str]]:
    """``[(symbol, definition)]`` for the UNITS block, checked: each unit in ``expected``
    (text -> Unit) reads back with its scale and dimension."""
    from ..convert.nmodl_units import UnitReader, UnknownUnit, library
    aliases = {}
    for text in unit_texts:
        for atom in _unit_atoms(text):
            if atom not in library() and atom in UNIT_DEFINITIONS:
                aliases.setdefault(atom, UNIT_DEFINITIONS[atom])
    reader = UnitReader(aliases)
    for text, unit in expected.items():
        try:
            got = reader.unit(text)
        except UnknownUnit as exc:
            raise ModelError(f"unit ({text}) uses {exc.args[0]!r}, which NMODL does not know",
                             obj="NMODL printer", param="unit",
                             hint=f"declare the variable in a unit made of {', '.join(sorted(UNIT_DEFINITIONS))} "
                                  "or names of NEURON's nrnunits.lib") from None
        if got.dimension != unit.dimension or abs(got.scale / unit.scale - 1) > 1e-12:
            raise ModelError(f"unit ({text}) would read back as {got.scale} {got.dimension}, not {unit.scale} "
                             f"{unit.dimension}", obj="NMODL printer", param="unit")
    return list(aliases.items())


def _ion_unit(name: str, ions) -> str:
    for ion in ions:
        for prefix, suffix, unit in _ION_UNITS:
            if name == f"{prefix}{ion.ion}{suffix}":
                return unit
    return ""


def _wrap(keyword: str, names, width: int = 100, continued: bool = False) -> list[str]:
    """``KEYWORD a, b, c`` lines of at most ``width`` characters; ``continued``: one
    statement over several lines (a block takes one LOCAL statement only)."""
    lines, line = [], ""
    for name in names:
        if line and len(line) + len(name) + 2 > width:
            lines.append(line + ("," if continued else ""))
            line = " " * len(keyword) if continued else ""
        line = f"{line}, {name}" if line.strip() else f"{line or keyword} {name}"
    return lines + ([line] if line else [])


def _unit(unit) -> str:
    return "" if unit.text in ("", "1") else f" ({unit.text})"


def _context(mech: Mechanism, header: str, suffix: str | None) -> dict:
    used = set(mech.names_used)
    ion_vars = set(mech.ion_variables)
    variables = {v.name for v in mech.variables}
    currents = {c.variable for c in mech.currents}
    read_only = [n for n in mech.ion_variables if n not in variables]
    declared = variables | ion_vars | {"v", "t", "celsius", "dt"} | set(mech.randoms)
    taken = used | declared | set(mech.net_receive_args) | {"flag"}

    builtins = [("v", "mV")] + ([("celsius", "degC")] if "celsius" in used else [])
    assigned = [(name, None, f" ({unit})") for name, unit in builtins]
    assigned += [(n, None, f" ({_ion_unit(n, mech.ions)})" if _ion_unit(n, mech.ions) else "") for n in read_only]
    rows = {"parameter": [], "state": [], "assigned": assigned}
    for v in mech.variables:
        value = None if v.value is None or v.role != "parameter" else repr(v.value)
        rows[v.role].append((v.name, value, _unit(v.unit)))
    # blocks in the order the mechanism declares its first variable of each role, so the
    # file reads back with the variables in the same order
    roles = list(dict.fromkeys([v.role for v in mech.variables] + ["parameter", "state", "assigned"]))
    declarations = [(role.upper(), rows[role]) for role in roles if rows[role]]
    expected = {v.unit.text: v.unit for v in mech.variables if v.unit.text not in ("", "1")}
    unit_texts = [v.unit.text for v in mech.variables] + [u.strip(" ()") for _, _, u in assigned if u]
    units = _units_block(dict.fromkeys(unit_texts), expected)

    useion = []
    for ion in mech.ions:
        line = f"USEION {ion.ion}"
        line += f" READ {', '.join(ion.read)}" if ion.read else ""
        line += f" WRITE {', '.join(ion.write)}" if ion.write else ""
        line += f" VALENCE {ion.valence}" if ion.valence is not None else ""
        useion.append(line)
    nonspecific = [c.variable for c in mech.currents if c.ion is None and not c.electrode]
    electrode = [c.variable for c in mech.currents if c.electrode]
    own = set(mech.per_instance_globals)   # GLOBAL in the source, one per instance here: CoreNEURON needs that
    ranges = [v.name for v in mech.variables
              if v.role != "state" and (v.scope == "range" or v.name in own) and v.name not in currents]
    globals_ = [v.name for v in mech.variables if v.scope == "global" and v.name not in ion_vars | own]

    initial = _Block(declared, taken)
    initial.statements(mech.initial)
    before_step = _Block(declared, taken)
    before_step.statements(mech.before_step)
    in_derivative, in_breakpoint = partition_step(mech)
    derivative = _Block(declared, taken)
    for i in in_derivative:
        derivative.statement(mech.step[i].target, mech.step[i].expression)
    for d in mech.derivatives:
        derivative.derivative(d.state, d.expression)
    derivative.statements(mech.after_step)
    breakpoint_ = _Block(declared, taken)
    for i in in_breakpoint:
        breakpoint_.statement(mech.step[i].target, mech.step[i].expression)
    net_receive = _Block(declared | set(mech.net_receive_args) | {"flag"}, taken)
    net_receive.statements(mech.net_receive)
    solve_name = "states"
    while solve_name in taken:
        solve_name += "_"

    source = mech.source
    comments = [f"{mech.kind} mechanism {mech.name}, generated by bridge (bridge.neuron.nmodl_printer)."]
    if source is not None:
        comments.append(f"Source: {source.path or '(no path)'} (SHA-256 {source.sha256}).")
    comments.append("Generated file: edit the source and print it again.")
    comments += header.splitlines() if header else []
    block = {"initial": initial, "before_step": before_step, "derivative": derivative, "breakpoint": breakpoint_,
             "net_receive": net_receive}
    return dict(
        comments=comments, keyword="POINT_PROCESS" if mech.kind == "point" else "SUFFIX",
        suffix=suffix or mech.name, useion=useion, nonspecific=_wrap("NONSPECIFIC_CURRENT", nonspecific),
        electrode=_wrap("ELECTRODE_CURRENT", electrode), randoms=_wrap("RANDOM", mech.randoms),
        has_before_step=bool(mech.before_step),
        ranges=_wrap("RANGE", ranges), globals=_wrap("GLOBAL", globals_), units=units, declarations=declarations,
        locals={k: _wrap("LOCAL", b.locals, continued=True) for k, b in block.items()},
        lines={k: b.lines for k, b in block.items()},
        has_initial=bool(mech.initial), has_derivatives=bool(mech.derivatives),
        has_breakpoint=bool(mech.derivatives or in_breakpoint), solve_name=solve_name,
        solve=f"SOLVE {solve_name} METHOD {METHODS[mech.method]}" if mech.derivatives else "", net_receive_args=list(mech.net_receive_args),
        has_net_receive=mech.kind == "point" and (bool(mech.net_receive) or bool(mech.net_receive_args)))


def nmodl_text(mechanism: Mechanism, header: str = "", suffix: str | None = None) -> str:
    """The NMODL file of ``mechanism`` (see the module docstring). ``header``: extra lines
    for the header comment; ``suffix``: the SUFFIX (or POINT_PROCESS name) to print instead
    of the mechanism's name, e.g. to load the copy beside the original in one NEURON."""
    if suffix is not None and not suffix.isidentifier():
        raise ModelError(f"invalid suffix {suffix!r}", obj=f"mechanism {mechanism.name}", param="suffix",
                         expected="an identifier")
    if mechanism.method not in METHODS:
        raise ModelError(f"unknown SOLVE method {mechanism.method!r}", obj=f"mechanism {mechanism.name}",
                         param="method", expected=", ".join(METHODS))
    env = environment("bridge.neuron")
    return env.get_template("mechanism.mod.j2").render(**_context(mechanism, header, suffix))

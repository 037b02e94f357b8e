"""The declarations of an NMODL file: NEURON block, UNITS, CONSTANT, PARAMETER, STATE,
ASSIGNED, file-level LOCALs, and the top-level blocks by kind.

Constructs bridge cannot express are refused here, where they are declared, with the
line and the construct's NMODL name (:func:`.nmodl_source.unsupported`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neuron.nmodl import to_nmodl

from .nmodl_refuse import local_array_length
from .nmodl_source import conversion_error, unsupported
from .nmodl_units import UnitReader, UnknownUnit, constant_value

#: NEURON-block statements refused, by node kind -> construct name.
REFUSED_NEURON = {"Pointer": "POINTER", "BbcorePointer": "BBCOREPOINTER", "ElectrodeCurrent": "ELECTRODE_CURRENT",
                  "External": "EXTERNAL", "RandomVarList": "RANDOM"}
#: Top-level blocks refused, by node kind -> construct name.
REFUSED_BLOCKS = {"Verbatim": "VERBATIM", "NonLinearBlock": "NONLINEAR",
                  "DiscreteBlock": "DISCRETE", "FunctionTableBlock": "FUNCTION_TABLE",
                  "LongitudinalDiffusionBlock": "LONGITUDINAL_DIFFUSION", "BeforeBlock": "BEFORE",
                  "AfterBlock": "AFTER", "ConstructorBlock": "CONSTRUCTOR", "DestructorBlock": "DESTRUCTOR",
                  "Include": "INCLUDE", "PartialBlock": "PARTIAL", "MatchBlock": "MATCH"}
#: Top-level blocks that carry nothing to convert.
IGNORED_BLOCKS = ("Model", "LineComment", "BlockComment", "IndependentBlock", "UnitState", "Define")
#: Names NEURON provides; never mechanism variables.
BUILTINS = ("v", "t", "celsius", "dt")


def unit_text(unit) -> str:
    return to_nmodl(unit).strip()[1:-1].strip() if unit is not None else ""


@dataclass
class Declaration:
    name: str
    role: str           # parameter, state, assigned
    unit: str
    value: float | None
    line: int


@dataclass
class Declarations:
    """Everything declared in one file (filled by :func:`read_declarations`)."""
    name: str = ""
    kind: str = "density"
    ions: list = field(default_factory=list)        # (ion, read, write, valence, line)
    nonspecific: list = field(default_factory=list)
    range_names: set = field(default_factory=set)
    global_names: set = field(default_factory=set)
    aliases: dict = field(default_factory=dict)     # UNITS (name) = (definition)
    constants: dict = field(default_factory=dict)
    declared: dict = field(default_factory=dict)    # name -> Declaration
    file_locals: set = field(default_factory=set)
    file_arrays: dict = field(default_factory=dict)  # file-level LOCAL arrays: name -> length
    procedures: dict = field(default_factory=dict)
    functions: dict = field(default_factory=dict)
    blocks: dict = field(default_factory=dict)      # kind -> [node]


def read_declarations(parsed) -> Declarations:
    d = Declarations()
    loc = parsed.locator
    counts: dict[str, int] = {}

    def ordinal(keyword):
        counts[keyword] = counts.get(keyword, 0) + 1
        return counts[keyword] - 1

    for block in parsed.program.blocks:
        kind = type(block).__name__
        if kind in REFUSED_BLOCKS:
            construct = REFUSED_BLOCKS[kind]
            raise unsupported(construct, f"has a {construct} block", parsed.where(loc.first(construct)))
        if kind == "NeuronBlock":
            _neuron_block(parsed, block, d, loc.block("NEURON", ordinal=ordinal("NEURON")))
        elif kind == "UnitBlock":
            _units_block(parsed, block, d, loc.block("UNITS", ordinal=ordinal("UNITS")))
        elif kind == "ConstantBlock":
            lines = loc.block("CONSTANT", ordinal=ordinal("CONSTANT"))
            for st in block.statements:
                c = st.constant
                d.constants[c.get_node_name()] = float(c.value.eval())
        elif kind == "ParamBlock":
            lines = loc.block("PARAMETER", ordinal=ordinal("PARAMETER"))
            for st in block.statements:
                value = float(st.value.eval()) if st.value is not None else None
                _declare(parsed, d, st, "parameter", unit_text(st.unit), value, lines)
        elif kind in ("StateBlock", "AssignedBlock"):
            keyword = "STATE" if kind == "StateBlock" else "ASSIGNED"
            lines = loc.block(keyword, ordinal=ordinal(keyword))
            for df in block.definitions:
                _declare(parsed, d, df, "state" if keyword == "STATE" else "assigned", unit_text(df.unit), None,
                         lines)
        elif kind == "LocalListStatement":
            for var in block.variables:
                name = var.get_node_name()
                length = local_array_length(var, lambda n: parsed.where(loc.indexed(n)))
                if length is not None:
                    d.file_arrays[name] = length   # split into scalars name_0, name_1... (see nmodl_exec)
                    continue
                d.file_locals.add(name)
        elif kind == "ProcedureBlock":
            d.procedures[block.get_node_name()] = block
        elif kind == "FunctionBlock":
            d.functions[block.get_node_name()] = block
        elif kind == "Define":
            d.constants[block.get_node_name()] = float(block.value.eval())
        elif kind in IGNORED_BLOCKS:
            continue
        else:
            d.blocks.setdefault(kind, []).append(block)
    if not d.name:
        raise conversion_error("no SUFFIX or POINT_PROCESS in the NEURON block", parsed.where(loc.first("NEURON")))
    return d


def _declare(parsed, d: Declarations, node, role, unit, value, lines):
    name = node.get_node_name()
    line = parsed.locator.first(name, lines[0], lines[1], default=lines[0])
    if type(node.name).__name__ == "IndexedName" or getattr(node, "length", None) is not None:
        raise unsupported("ARRAY", f"declares the array {name}[]", parsed.where(line))
    previous = d.declared.get(name)
    if previous is not None and previous.role == "state" and role != "state":
        return
    d.declared[name] = Declaration(name, role, unit, value, line)


def _neuron_block(parsed, block, d: Declarations, lines):
    loc = parsed.locator
    for st in block.statement_block.statements:
        kind = type(st).__name__
        if kind == "Suffix":
            keyword = st.type.get_node_name()
            if keyword == "ARTIFICIAL_CELL":
                raise unsupported("ARTIFICIAL_CELL", "is an ARTIFICIAL_CELL (an event-driven cell, not a membrane "
                                  "mechanism)", parsed.where(loc.first("ARTIFICIAL_CELL", *lines)))
            d.name = st.get_node_name()
            d.kind = "point" if keyword == "POINT_PROCESS" else "density"
        elif kind == "Useion":
            ion = st.get_node_name()
            read = tuple(v.get_node_name() for v in st.readlist)
            write = tuple(v.get_node_name() for v in st.writelist)
            valence = int(float(st.valence.value.eval())) if st.valence is not None else None
            d.ions.append((ion, read, write, valence, loc.first("USEION", *lines)))
        elif kind == "Nonspecific":
            d.nonspecific.extend(c.get_node_name() for c in st.currents)
        elif kind == "Range":
            d.range_names.update(v.get_node_name() for v in st.variables)
        elif kind == "Global":
            d.global_names.update(v.get_node_name() for v in st.variables)
        elif kind in REFUSED_NEURON:
            construct = REFUSED_NEURON[kind]
            raise unsupported(construct, f"declares {construct} variables",
                              parsed.where(loc.first(construct, *lines, default=lines[0])))


def _units_block(parsed, block, d: Declarations, lines):
    loc = parsed.locator
    for df in block.definitions:
        kind = type(df).__name__
        if kind == "UnitDef":
            d.aliases[unit_text(df.unit1)] = unit_text(df.unit2)
        elif kind == "FactorDef":
            name = df.get_node_name()
            line = loc.first(name, *lines, default=lines[0])
            if df.value is not None:
                d.constants[name] = float(df.value.eval())
                continue
            try:
                d.constants[name] = constant_value(d.aliases, unit_text(df.unit1), unit_text(df.unit2))
            except UnknownUnit as exc:
                raise conversion_error(f"unknown unit {exc.args[0]!r} in the constant {name}", parsed.where(line),
                                       name) from None
            except ValueError as exc:
                raise conversion_error(f"the constant {name}: {exc}", parsed.where(line), name) from None


def unit_of(parsed, reader: UnitReader, text: str, line: int):
    """The Unit of a declared unit text; an unknown unit -> conversion error at ``line``."""
    try:
        return reader.unit(text)
    except UnknownUnit as exc:
        raise conversion_error(f"unknown unit {exc.args[0]!r} in ({text})", parsed.where(line), "unit",
                               hint="define it in the UNITS block, e.g. (mM) = (millimolar)") from None

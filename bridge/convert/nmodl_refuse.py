"""Constructs bridge refuses, found anywhere in the file before anything is converted.

A construct in a PROCEDURE nobody calls is refused too: converting a file means every
part of it, and a silently dropped part would be a silent difference between NEURON
and Brian 2. :func:`check` raises :class:`~bridge.errors.UnsupportedFeatureError` for
the construct that comes first in the file, naming it and its line.
"""

from __future__ import annotations

from neuron.nmodl import ast, visitor

from .nmodl_source import unsupported

#: nmodl node type -> (construct name, what the message says).
REFUSED = {
    "VERBATIM": ("VERBATIM", "embeds C code (VERBATIM)"),
    "POINTER": ("POINTER", "declares POINTER variables (links to other mechanisms)"),
    "BBCORE_POINTER": ("BBCOREPOINTER", "declares BBCOREPOINTER variables"),
    "LONGITUDINAL_DIFFUSION_BLOCK": ("LONGITUDINAL_DIFFUSION", "has LONGITUDINAL_DIFFUSION (diffusion between "
                                     "segments)"),
    "LON_DIFFUSE": ("LONGITUDINAL_DIFFUSION", "has LONGITUDINAL_DIFFUSION (diffusion between segments)"),
    "FUNCTION_TABLE_BLOCK": ("FUNCTION_TABLE", "declares a FUNCTION_TABLE (values filled in from hoc)"),
    "WATCH_STATEMENT": ("WATCH", "has WATCH (threshold events)"),
    "ELECTRODE_CURRENT": ("ELECTRODE_CURRENT", "declares an ELECTRODE_CURRENT"),
    "FROM_STATEMENT": ("FROM", "has a FROM ... TO loop"),
    "WHILE_STATEMENT": ("WHILE", "has a WHILE loop"),
    "NON_LINEAR_BLOCK": ("NONLINEAR", "has a NONLINEAR block (simultaneous equations)"),
    "DISCRETE_BLOCK": ("DISCRETE", "has a DISCRETE block"),
    "COMPARTMENT": ("COMPARTMENT", "has COMPARTMENT volumes (diffusion or multi-compartment kinetics)"),
    "INCLUDE": ("INCLUDE", "INCLUDEs another file"),
    "BEFORE_BLOCK": ("BEFORE", "has a BEFORE block"),
    "AFTER_BLOCK": ("AFTER", "has an AFTER block"),
    "FOR_NETCON": ("FOR_NETCONS", "has FOR_NETCONS"),
    "CONSTRUCTOR_BLOCK": ("CONSTRUCTOR", "has a CONSTRUCTOR block"),
    "DESTRUCTOR_BLOCK": ("DESTRUCTOR", "has a DESTRUCTOR block"),
    "LAG_STATEMENT": ("LAG", "has a LAG statement"),
    "EXTERNAL": ("EXTERNAL", "declares EXTERNAL variables"),
    "RANDOM_VAR_LIST": ("RANDOM", "declares RANDOM variables"),
    "INDEXED_NAME": ("ARRAY", "uses arrays indexed by variables"),
}

#: Calls refused wherever they are: event scheduling and C library calls bridge has no form for.
REFUSED_CALLS = {"net_send": "net_send", "net_event": "net_event", "net_move": "net_move",
                 "printf": "printf", "nrn_random_play": "RANDOM", "scop_random": "random numbers",
                 "exprand": "random numbers", "normrand": "random numbers", "unirand": "random numbers"}


def constant_index(indexed) -> int | None:
    """The index of ``a[2]`` when it is an integer constant, else None."""
    index = indexed.length
    if type(index).__name__ == "Integer":
        return int(index.eval())
    return None


def local_array_length(var, where) -> int | None:
    """None for a scalar LOCAL; the length of a LOCAL array of constant positive length
    (split into scalars by the reader); any other array is refused, at ``where(name)``."""
    if type(var.name).__name__ != "IndexedName":
        return None
    length = constant_index(var.name)
    if length is None or length < 1:
        name = var.get_node_name()
        raise unsupported("ARRAY", f"declares the LOCAL array {name}[] of a length that is not a positive integer",
                          where(name))
    return length


def _line(parsed, node_type: str, construct: str, node) -> int:
    loc = parsed.locator
    if node_type == "INDEXED_NAME":   # the first name[ not followed by an integer and ]
        name, toks = node.get_node_name(), loc.tokens
        for k in range(len(toks) - 3):
            if toks[k].text == name and toks[k + 1].text == "[" and not (toks[k + 2].text.isdigit()
                                                                         and toks[k + 3].text == "]"):
                return toks[k].line
        return loc.indexed(name)
    if node_type == "FROM_STATEMENT":
        for a, b, c in zip(loc.tokens, loc.tokens[1:], loc.tokens[2:]):
            if a.text == "FROM" and c.text == "=":
                return a.line
    if node_type == "LON_DIFFUSE" or node_type == "LONGITUDINAL_DIFFUSION_BLOCK":
        return loc.first("LONGITUDINAL_DIFFUSION")
    if node_type == "BBCORE_POINTER":
        return loc.first("BBCOREPOINTER")
    return loc.first(construct)


def check(parsed) -> None:
    """Raise for the first refused construct in the file, if any."""
    lookup = visitor.AstLookupVisitor()
    found = []
    for node_type, (construct, message) in REFUSED.items():
        for node in lookup.lookup(parsed.program, getattr(ast.AstNodeType, node_type)):
            if node_type == "INDEXED_NAME":
                if constant_index(node) is not None:
                    continue   # a[0]: split into scalars by the reader (LOCAL arrays)
                message = f"indexes the array {node.get_node_name()}[] by a variable or an expression"
            found.append((_line(parsed, node_type, construct, node), construct, message))
            break
    for call in lookup.lookup(parsed.program, ast.AstNodeType.FUNCTION_CALL):
        name = call.get_node_name()
        if name in REFUSED_CALLS:
            found.append((parsed.locator.first(name), REFUSED_CALLS[name], f"calls {name}()"))
    for solve in lookup.lookup(parsed.program, ast.AstNodeType.SOLVE_BLOCK):
        if solve.steadystate is not None and solve.steadystate.get_node_name() != "sparse":
            found.append((parsed.locator.first("STEADYSTATE"), "STEADYSTATE",
                          f"solves for a STEADYSTATE by {solve.steadystate.get_node_name()} (bridge: a KINETIC "
                          "scheme's, by sparse)"))
    if found:
        line, construct, message = min(found, key=lambda f: f[0])
        raise unsupported(construct, message, parsed.where(line))

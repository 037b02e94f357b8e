"""Reading an NMODL file: the parse (by the nmodl parser that ships with NEURON), the
errors the reader raises, and where things are in the text.

The Python bindings of the ``neuron`` wheel's nmodl do not expose token positions
(``node.get_token()`` fails: ``nmodl::ModToken`` is not registered), so lines come from
:class:`Locator`, a lexer of the text that knows comments, COMMENT/VERBATIM blocks and
braces and nothing else: it never decides what the file means (the AST does); it only
answers "on which line is the n-th ``KINETIC``" or "where in this block is ``gnabar``".
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConversionError, UnsupportedFeatureError


def conversion_error(message: str, where: str, param: str | None = None, hint: str | None = None):
    """The error for an unreadable file (missing, syntax, unknown unit or symbol)."""
    return ConversionError(message, obj=where, param=param, hint=hint)


def unsupported(construct: str, message: str, where: str, hint: str | None = None) -> UnsupportedFeatureError:
    """The error for an NMODL construct bridge cannot express; ``construct`` names it."""
    return UnsupportedFeatureError(message, obj=where, param=construct,
                                   hint=hint or "bridge converts channel, pump-free ion-accumulation and "
                                                "synapse mechanisms written as straight-line NMODL")


_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\S")


@dataclass(frozen=True)
class Token:
    text: str
    line: int
    depth: int   # brace depth before the token


class Locator:
    """Tokens of the text outside comments, with their lines and brace depth."""

    def __init__(self, text: str):
        tokens: list[Token] = []
        depth, skip_until = 0, None
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw
            if skip_until is not None:
                if skip_until not in line.split():
                    continue
                line = line.split(skip_until, 1)[1]
                skip_until = None
            for m in _TOKEN.finditer(line):
                word = m.group(0)
                if word in (":", "?"):
                    break
                if word == "TITLE":
                    break
                if word in ("COMMENT", "VERBATIM"):
                    tokens.append(Token(word, number, depth))
                    end = "ENDCOMMENT" if word == "COMMENT" else "ENDVERBATIM"
                    rest = line[m.end():]
                    if end in rest.split():
                        continue   # one-line block: ignore (rare)
                    skip_until = end
                    break
                tokens.append(Token(word, number, depth))
                if word == "{":
                    depth += 1
                elif word == "}":
                    depth = max(depth - 1, 0)
        self.tokens = tokens

    def lines_of(self, word: str, start: int = 1, end: int | None = None) -> list[int]:
        return [t.line for t in self.tokens if t.text == word and t.line >= start and (end is None or t.line <= end)]

    def first(self, word: str, start: int = 1, end: int | None = None, default: int = 0) -> int:
        found = self.lines_of(word, start, end)
        return found[0] if found else default

    def nth(self, word: str, n: int, default: int = 0) -> int:
        found = self.lines_of(word)
        return found[n] if n < len(found) else (found[-1] if found else default)

    def block(self, keyword: str, name: str | None = None, ordinal: int = 0) -> tuple[int, int]:
        """Lines (first, last) of the ``ordinal``-th top-level block ``keyword [name]``."""
        seen = 0
        for i, t in enumerate(self.tokens):
            if t.text != keyword or t.depth != 0:
                continue
            if name is not None and (i + 1 >= len(self.tokens) or self.tokens[i + 1].text != name):
                continue
            if seen < ordinal:
                seen += 1
                continue
            depth_inside = None
            for u in self.tokens[i + 1:]:
                if u.text == "{" and depth_inside is None:
                    depth_inside = u.depth
                elif u.text == "}" and depth_inside is not None and u.depth == depth_inside + 1:
                    return t.line, u.line
            return t.line, t.line
        return 0, 0

    def indexed(self, name: str) -> int:
        """Line of the first ``name[`` (an array)."""
        for a, b in zip(self.tokens, self.tokens[1:]):
            if a.text == name and b.text == "[":
                return a.line
        return self.first(name)


@dataclass(frozen=True)
class ParsedFile:
    path: str
    text: str
    program: object   # nmodl ast.Program
    locator: Locator
    #: Names the file uses that are Python keywords, as renamed (``is`` -> ``is_``): bridge's
    #: expressions are Python's syntax.
    renamed: tuple = ()

    def where(self, line: int) -> str:
        return f"{self.path}:{line}"


@dataclass(frozen=True)
class NmodlFile:
    """A .mod file as NEURON compiles it, unconverted: its mechanism's ``name`` (SUFFIX or
    POINT_PROCESS) and its ``source``. A detailed cell's files are loaded into NEURON so;
    only the mechanisms a reduction keeps are converted."""

    name: str
    source: object   # bridge.mechanisms.Source


def nmodl_file(path) -> NmodlFile:
    """The mechanism ``path`` defines, for NEURON (a missing file, a syntax error or a file
    without SUFFIX or POINT_PROCESS: a conversion error with the file)."""
    from neuron.nmodl import ast, visitor

    from ..mechanisms import Source
    parsed = parse(path)
    names = visitor.AstLookupVisitor().lookup(parsed.program, ast.AstNodeType.SUFFIX)
    if not names:
        raise conversion_error("no SUFFIX or POINT_PROCESS in the NEURON block", parsed.where(
            parsed.locator.first("NEURON")))
    return NmodlFile(names[0].get_node_name(), Source(parsed.text, str(path)))


def parse(path) -> ParsedFile:
    """Parse ``path`` with nmodl; a missing file or a syntax error -> conversion error."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as exc:
        raise conversion_error(f"cannot read the file: {exc.strerror or exc}", f"{path}:0") from None
    from neuron.nmodl import NmodlDriver
    try:
        program = NmodlDriver().parse_string(text)
    except RuntimeError as exc:
        message = str(exc)
        m = re.search(r"Location\s*:\s*(\d+)", message)
        line = int(m.group(1)) if m else 0
        first = message.splitlines()[0].replace("NMODL Parser Error : ", "")
        raise conversion_error(f"NMODL syntax error: {first}", f"{path}:{line}") from None
    _drop_success_returns(program)
    renamed = _rename_keywords(program)
    locator = Locator(text)
    new_name = dict(renamed)
    locator.tokens = [Token(new_name.get(t.text, t.text), t.line, t.depth) for t in locator.tokens]
    return ParsedFile(str(path), text, program, locator, renamed)


#: A VERBATIM block that only returns success: ``return 0;``, C comments and spaces aside.
_SUCCESS_RETURN = re.compile(r"^\s*(?:/\*.*?\*/\s*)*return\s+0\s*;\s*(?:/\*.*?\*/\s*)*$", re.S)


def _drop_success_returns(program) -> None:
    """Remove, on the AST, a VERBATIM ``return 0;`` that ends a PROCEDURE: older ModelDB files
    (Mainen & Sejnowski's kv.mod and ca.mod, and the cells built on them) end the PROCEDURE
    their SOLVE calls so, returning the success code NEURON expects of it: a statement that
    does nothing. Any other VERBATIM stays, and is refused."""
    from neuron.nmodl import ast, visitor
    for procedure in visitor.AstLookupVisitor().lookup(program, ast.AstNodeType.PROCEDURE_BLOCK):
        statements = list(procedure.statement_block.statements)
        if statements and type(statements[-1]).__name__ == "Verbatim" \
                and _SUCCESS_RETURN.match(statements[-1].statement.eval()):
            procedure.statement_block.statements = statements[:-1]


def _rename_keywords(program) -> tuple:
    """Rename, on the AST, every name that is a Python keyword (Wolf's Kv4 channel has a
    state ``is``): ``is`` becomes ``is_`` (more underscores where the file has that name
    too). Returns ``(old, new)`` pairs."""
    from neuron.nmodl import ast, visitor
    nodes = visitor.AstLookupVisitor().lookup(program, ast.AstNodeType.NAME)
    taken = {n.get_node_name() for n in nodes}
    renamed = {}
    for node in nodes:
        name = node.get_node_name()
        if not keyword.iskeyword(name):
            continue
        if name not in renamed:
            new = name + "_"
            while new in taken:
                new += "_"
            renamed[name] = new
            taken.add(new)
        node.set_name(renamed[name])
    return tuple(sorted(renamed.items()))

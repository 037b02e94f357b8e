"""NMODL unit texts -> SI scale and :class:`~bridge.units.Dimension`, as NEURON reads them.

The reading follows NEURON's own unit reader (``src/modlunit/units.cpp``, shared by
nocmodl and modlunit) on NEURON's own table, the wheel's ``share/nrn/lib/nrnunits.lib``:

- a unit text is an optional leading number (``1+8`` is 1e8, ``1|3`` is 1/3, ``.001``),
  then names separated by blanks or ``-`` (both multiply); a digit 1..9 right after a
  name is its exponent (``cm2``); every name after the first ``/`` is in the
  denominator (``/mM-s`` is 1/(mM*s));
- a name is looked up in the file's UNITS block, then in nrnunits.lib; if absent, a
  long prefix (``milli``, ``micro``...) is stripped, then a plural ``s``.

Two additions, both needed because NEURON never uses a declared unit numerically:

- nrnunits.lib spells the prefixed short symbols nowhere (``mV``, ``mA``, ``S``, ``um``,
  ``mM``...): files declare them in UNITS, and may use them undeclared. ``SYMBOLS`` maps
  those symbols to nrnunits.lib names (``mV`` -> ``millivolt``), never to numbers;
- nrnunits.lib treats the mole as the pure number 6.02214076e23, so files write amounts
  without it (``(molar) = (1/liter)``, ``(mol) = (1)``). bridge records amounts in mol,
  like Brian 2: ``mol`` is a base unit, and a UNITS alias of a standard name (``molar``,
  ``mM``, ``mol``...) keeps its standard meaning when its scale agrees and it differs
  only by the mole. ``degC`` as a declared unit is a plain number (the model's convention).

Named constants (``FARADAY = (faraday) (coulombs)``) are ratios of two units computed
purely on nrnunits.lib, as nocmodl computes them: with the wheel's table (2019 SI
values: e = 1.602176634e-19 C, mole = 6.02214076e23, k = 1.380649e-23 J/K), FARADAY is
96485.33212331001, R = (k-mole) 8.31446261815324, PI 3.141592653589793 -- the values
NEURON 9 compiles in by default (nrnunit_use_legacy() == 0).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..mechanisms import Unit
from ..resources import neuron_share_dir
from ..units import Dimension

#: NEURON's unit-reader prefixes (units.cpp), longest spelled form only.
PREFIXES = (("atto", 1e-18), ("femto", 1e-15), ("pico", 1e-12), ("nano", 1e-9), ("micro", 1e-6),
            ("milli", 1e-3), ("centi", 1e-2), ("deci", 1e-1), ("deka", 1e1), ("hecta", 1e2), ("hecto", 1e2),
            ("kilo", 1e3), ("mega", 1e6), ("meg", 1e6), ("giga", 1e9), ("tera", 1e12))

#: Short symbols used in mod files, as nrnunits.lib names (no numbers here).
SYMBOLS = {
    "V": "volt", "mV": "millivolt", "uV": "microvolt",
    "A": "ampere", "mA": "milliamp", "uA": "microamp", "nA": "nanoamp", "pA": "picoamp",
    "S": "siemens", "mS": "millisiemens", "uS": "microsiemens", "nS": "nanosiemens", "pS": "picosiemens",
    "umho": "micromho", "mmho": "millimho",
    "um": "micrometer", "nm": "nanometer", "cm": "centimeter", "mm": "millimeter",
    "F": "farad", "uF": "microfarad", "nF": "nanofarad", "pF": "picofarad",
    "ohm": "ohm", "Mohm": "megaohm", "kohm": "kiloohm",
    "L": "liter", "l": "liter", "mL": "milliliter",
    "mol": "mol", "mole": "mol", "mmol": "millimol", "umol": "micromol",
    "M": "molar", "molar": "molar", "mM": "millimolar", "uM": "micromolar", "nM": "nanomolar",
    "degC": "degC", "K": "K", "J": "joule", "Hz": "hertz", "s": "sec",
}

# SI base exponents: m, kg, s, A, K, mol, cd. nrnunits.lib's primitives *a*..*j*.
_BASE = {"a": (1, 0, 0, 0, 0, 0, 0), "b": (0, 1, 0, 0, 0, 0, 0), "c": (0, 0, 1, 0, 0, 0, 0),
         "d": (0, 0, 1, 1, 0, 0, 0), "e": (0, 0, 0, 0, 0, 0, 1), "j": (0, 0, 0, 0, 1, 0, 0)}
_MOL = (0, 0, 0, 0, 0, 1, 0)


class UnknownUnit(Exception):
    """Raised with the offending name; callers turn it into a located bridge error."""


@dataclass(frozen=True)
class Quantity:
    """A unit's value: SI ``scale`` and exponents of the 7 SI base units."""

    scale: float
    dims: tuple = (0, 0, 0, 0, 0, 0, 0)

    def __mul__(self, other):
        return Quantity(self.scale * other.scale, tuple(a + b for a, b in zip(self.dims, other.dims)))

    def __truediv__(self, other):
        return Quantity(self.scale / other.scale, tuple(a - b for a, b in zip(self.dims, other.dims)))


ONE_Q = Quantity(1.0)


def library_path() -> Path:
    """NEURON's nrnunits.lib, found through the installed ``neuron`` package's data."""
    roots = [Path(os.environ["NMODLHOME"]) / "lib"] if os.environ.get("NMODLHOME") else []
    share = neuron_share_dir()
    if share is not None:
        roots.append(share / "nrn" / "lib")
    for root in roots:
        if (root / "nrnunits.lib").is_file():
            return root / "nrnunits.lib"
    raise FileNotFoundError("NEURON's nrnunits.lib was not found (is the neuron wheel installed?)")


@functools.lru_cache(maxsize=1)
def library() -> dict[str, str]:
    """nrnunits.lib as ``name -> definition text`` (comments, ``/`` lines, dropped)."""
    table = {}
    for line in library_path().read_text().splitlines():
        if not line.strip() or line.startswith("/"):
            continue
        parts = line.split(None, 1)
        table.setdefault(parts[0], parts[1].strip() if len(parts) > 1 else "")
    return table


def _leading_number(text: str) -> tuple[float, str]:
    """A unit text's leading number, in NEURON's syntax (getflt): ``1+8`` -> 1e8,
    ``1-10`` -> 1e-10, ``a|b`` -> a/b; no number (or 0) -> 1. The decimal is rounded
    once, correctly (as the compiled-in constants of NEURON 9 show: FARADAY is
    0x1.78e555060882cp+16, PI 0x1.921fb54442d18p+1)."""
    m = re.match(r"[ \t]*(\d+\.?\d*|\.\d+)(?:([+-])(\d+))?", text)
    if not m:
        return 1.0, text
    value = float(m.group(1) + (f"e{m.group(2)}{m.group(3)}" if m.group(2) else ""))
    rest = text[m.end():]
    if rest.startswith("|"):
        denominator, rest = _leading_number(rest[1:])
        return value / denominator, rest
    return (value if value != 0.0 else 1.0), rest


class UnitReader:
    """Reads unit texts of one file: its UNITS-block aliases over nrnunits.lib."""

    def __init__(self, aliases: dict[str, str] | None = None, *, declared: bool = True):
        self.aliases = dict(aliases or {})
        self.declared = declared   # False: pure NEURON semantics (named constants)
        self._cache: dict[str, Quantity] = {}
        self._busy: set[str] = set()

    def quantity(self, text: str) -> Quantity:
        """The value of a unit text; raises :class:`UnknownUnit`."""
        text = text.strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
        factor, rest = _leading_number(text)
        result, den = Quantity(factor), False
        # walk the text as units.cpp does: names end at blanks, '-', '/', digits 1-9
        for token in re.finditer(r"/|([^\s\-/1-9]+)([1-9]?)", rest):
            if token.group(0) == "/":
                den = True
                continue
            q = self.name(token.group(1))
            for _ in range(int(token.group(2) or 1)):   # repeated, as units.cpp does
                result = result / q if den else result * q
        return result

    def name(self, name: str) -> Quantity:
        if name not in self._cache:
            if name in self._busy:
                raise UnknownUnit(name)
            self._busy.add(name)
            try:
                self._cache[name] = self._lookup(name)
            finally:
                self._busy.discard(name)
        return self._cache[name]

    def _standard(self, name: str) -> Quantity | None:
        if name == "mol":
            return Quantity(1.0, _MOL)
        if name == "degC" and self.declared:
            return ONE_Q
        if self.declared and name in SYMBOLS and SYMBOLS[name] != name:
            return self.name(SYMBOLS[name])
        if name in library():
            definition = library()[name]
            for base, dims in _BASE.items():
                if definition == f"*{base}*":
                    return Quantity(1.0, dims)
            if name == "molar":
                return None
            return self.quantity(definition.replace("fuzz", "").strip())
        if name == "molar":   # not in nrnunits.lib; mol/liter
            return self.name("mol") / self.name("liter")
        return None

    def _lookup(self, name: str) -> Quantity:
        if name in self.aliases:
            q = self.quantity(self.aliases[name])
            if self.declared:
                standard = self._safe_standard(name)
                if (standard is not None and standard.dims[5] != 0 and q.dims[5] == 0
                        and standard.dims[:5] + standard.dims[6:] == q.dims[:5] + q.dims[6:]
                        and abs(standard.scale / q.scale - 1) < 1e-9):
                    return standard   # the file's mole-less spelling of a standard unit
            return q
        standard = self._standard(name) if (name in library() or name in SYMBOLS or name in ("mol", "molar")) \
            else None
        if standard is not None:
            return standard
        for prefix, factor in PREFIXES:
            if name == prefix:   # a bare prefix is a number (units.cpp's empty unit): milli/liter
                return Quantity(factor)
            if name.startswith(prefix):
                try:
                    return Quantity(factor) * self.name(name[len(prefix):])
                except UnknownUnit:
                    break
        if len(name) > 1 and name.endswith("s"):
            return self.name(name[:-1])
        raise UnknownUnit(name)

    def _safe_standard(self, name: str) -> Quantity | None:
        saved = self.aliases.pop(name)
        try:
            return self._standard(name)
        except UnknownUnit:
            return None
        finally:
            self.aliases[name] = saved

    def unit(self, text: str) -> Unit:
        """The :class:`~bridge.mechanisms.Unit` of a declared unit text (``S/cm2``)."""
        clean = text.strip()
        if clean.startswith("(") and clean.endswith(")"):
            clean = clean[1:-1].strip()
        q = self.quantity(clean)
        # 15 significant digits: 1e-3 * 1/(1e-3) is 1.0, not 0.9999999999999998
        return Unit(clean or "1", float(f"{q.scale:.15g}"), Dimension(q.dims))


def constant_value(aliases: dict[str, str], numerator: str, denominator: str) -> float:
    """A UNITS-block named constant ``NAME = (numerator) (denominator)`` as nocmodl computes
    it: the ratio of the two units on nrnunits.lib (the mole a pure number); raises
    :class:`UnknownUnit` for an unknown name and ValueError when the units do not conform."""
    reader = UnitReader(aliases, declared=False)
    top, bottom = reader.quantity(numerator), reader.quantity(denominator)
    if top.dims != bottom.dims:
        raise ValueError(f"({numerator}) and ({denominator}) have different dimensions")
    return top.scale / bottom.scale

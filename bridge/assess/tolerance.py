"""A validation case's tolerances, each with its source, declared before any run.

A tolerance bounds one feature's error: relative to the reference's value (``"relative":
0.1`` in a case file is 10%), or, where the protocol measures the error in a paper's
experimental SDs (Hay's features, each at its step), a number of those SDs (``"sd": 2``).
Its source is one of three kinds:
``experimental`` (the spread of the quantity in the cells the model stands for, from a
paper), ``published`` (the accuracy a peer method reports for the same quantity) or
``modelling`` (a stated argument about what the reduction can and cannot keep). Where a
paper gives the feature's experimental mean and SD, ``experimental`` keeps them, and the
report shows the error in SD units as well."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SchemaError, UnknownNameError

SOURCE_KINDS = ("experimental", "published", "modelling")
#: What a tolerance's bound counts: a fraction of the reference's value, or experimental SDs.
SCALES = ("relative", "sd")


@dataclass(frozen=True)
class Source:
    """Where a tolerance comes from: ``kind`` (one of SOURCE_KINDS), ``text`` (the argument,
    or what the source measured) and ``citation`` (required unless the kind is modelling)."""

    kind: str
    text: str
    citation: str = ""

    def __post_init__(self):
        if self.kind not in SOURCE_KINDS:
            raise UnknownNameError(f"unknown source kind {self.kind!r}", obj="tolerance", param="source.kind",
                                   expected=", ".join(SOURCE_KINDS))
        if not self.text.strip():
            raise SchemaError("a tolerance's source needs its text (the argument or what was measured)",
                              obj="tolerance", param="source.text")
        if self.kind != "modelling" and not self.citation.strip():
            raise SchemaError(f"a source of kind {self.kind!r} needs a citation", obj="tolerance",
                              param="source.citation", hint="name the paper (authors, year, journal)")

    def describe(self) -> str:
        return f"{self.kind}: {self.text}" + (f" ({self.citation})" if self.citation else "")


@dataclass(frozen=True)
class Experimental:
    """A feature's experimental mean and standard deviation, in ``unit`` (the feature's)."""

    mean: float
    sd: float
    unit: str = ""

    def __post_init__(self):
        if not self.sd > 0:
            raise SchemaError(f"sd is {self.sd!r}", obj="tolerance", param="experimental.sd", expected="> 0")

    def sd_units(self, value: float) -> float:
        """How far ``value`` (in ``unit``) lies from the experimental mean, in SDs (as Hay
        et al. 2011 score their models)."""
        return abs(value - self.mean) / self.sd


@dataclass(frozen=True)
class Tolerance:
    """The largest error a feature may have (``bound``, in ``scale``: "relative", a fraction
    of the reference's value, or "sd", experimental SDs), and why."""

    bound: float
    source: Source
    experimental: Experimental | None = None
    scale: str = "relative"

    def __post_init__(self):
        if self.scale not in SCALES:
            raise UnknownNameError(f"unknown scale {self.scale!r}", obj="tolerance", param="scale",
                                   expected=", ".join(SCALES))
        if not self.bound >= 0:
            raise SchemaError(f"{self.scale} tolerance {self.bound!r}", obj="tolerance", param=self.scale,
                              expected=">= 0 (relative: a fraction, 0.1 is 10%; sd: a number of SDs)")

    @classmethod
    def from_dict(cls, data: dict, where: str) -> "Tolerance":
        """From a case file's ``tolerances`` entry; errors name ``where`` (the file and feature)."""
        try:
            source = data["source"]
            if not isinstance(source, dict):
                raise SchemaError("'source' must be an object with kind, text and citation", obj=where,
                                  param="source")
            experimental = data.get("experimental")
            given = [scale for scale in SCALES if scale in data]
            if len(given) != 1:
                raise SchemaError("a tolerance gives one bound: \"relative\" (a fraction) or \"sd\" (experimental "
                                  "SDs)", obj=where, param="tolerances", expected='"relative": 0.1, or "sd": 2')
            return cls(float(data[given[0]]),
                       Source(source["kind"], source["text"], source.get("citation", "")),
                       Experimental(float(experimental["mean"]), float(experimental["sd"]),
                                    experimental.get("unit", "")) if experimental else None, given[0])
        except KeyError as exc:
            raise SchemaError(f"missing {exc.args[0]!r}", obj=where, param="tolerances",
                              expected="relative (or sd), source {kind, text, citation}") from None
        except (SchemaError, UnknownNameError) as exc:
            raise exc.amend(obj=where) from None

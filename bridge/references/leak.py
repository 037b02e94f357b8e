"""Non-uniform passive membranes: the leak conductance of a detailed reference as a
function of where a segment lies (its neurite kind and its path distance from the soma's
centre). The simulators apply it (``bridge.neuron.detailed``); this module only says
what the membrane is."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ModelError, SchemaError
from ..model.checks import check_number
from .regions import KINDS

#: The keys of :meth:`SigmoidLeak.to_dict`, with their units.
SIGMOID_KEYS = ("kind", "rm_soma_ohm_cm2", "rm_end_ohm_cm2", "midpoint_um", "slope_um", "kinds")


def _rounded(value: float) -> float:
    """``value`` to 12 significant digits: JSON shows 50, not 49.99999999999999."""
    return float(f"{value:.12g}")


@dataclass(frozen=True)
class SigmoidLeak:
    """Specific membrane resistance Rm = 1/gl falling (or rising) sigmoidally with path
    distance x from the soma's centre, the form Stuart & Spruston (1998) fitted to
    layer-5 pyramidal cells:

        Rm(x) = Rm_end + (Rm_soma - Rm_end) / (1 + exp((x - midpoint) / slope))

    with Rm_soma = 1/``gl_soma`` and Rm_end = 1/``gl_end`` (``gl`` in S/m2), ``midpoint``
    and ``slope`` in m. The profile applies to segments of the neurite ``kinds`` (default
    the apical tree); every other segment (the soma, basal dendrites, axon) has
    ``gl_soma``. At the midpoint Rm is half-way between Rm_soma and Rm_end. The sigmoid
    is in Rm, not in gl, as in the published fits."""

    gl_soma: float
    gl_end: float
    midpoint: float
    slope: float
    kinds: tuple = ("apical",)

    def __post_init__(self):
        obj = "leak profile (sigmoid)"
        for attr, unit in (("gl_soma", "S/m^2"), ("gl_end", "S/m^2"), ("slope", "m")):
            check_number(getattr(self, attr), obj, attr, positive=True, optional=False, unit=unit)
        check_number(self.midpoint, obj, "midpoint", non_negative=True, optional=False, unit="m")
        kinds = (self.kinds,) if isinstance(self.kinds, str) else self.kinds
        kinds = tuple(kinds) if isinstance(kinds, (list, tuple)) else (kinds,)
        if not kinds or any(k not in KINDS for k in kinds) or len(set(kinds)) != len(kinds):
            raise ModelError(f"kinds {list(kinds)!r}", obj=obj, param="kinds",
                             expected=f"one or more distinct of {', '.join(KINDS)}")
        object.__setattr__(self, "kinds", kinds)

    def gl(self, kind: str, distance: float) -> float:
        """Leak conductance (S/m2) of a segment of neurite ``kind`` whose centre lies at path
        ``distance`` (m) from the soma's centre."""
        if kind not in self.kinds:
            return self.gl_soma
        t = (distance - self.midpoint) / self.slope
        near = math.exp(-t) / (1 + math.exp(-t)) if t >= 0 else 1 / (1 + math.exp(t))  # 1/(1+e^t), no overflow
        rm = 1 / self.gl_end + (1 / self.gl_soma - 1 / self.gl_end) * near
        return 1 / rm

    @property
    def gl_min(self) -> float:
        """The smallest leak anywhere (S/m2): cm/gl_min bounds every time constant from above."""
        return min(self.gl_soma, self.gl_end)

    def to_dict(self) -> dict:
        """JSON form: Rm in ohm*cm2 and distances in um, as the paper gives them."""
        return {"kind": "sigmoid", "rm_soma_ohm_cm2": _rounded(1e4 / self.gl_soma),
                "rm_end_ohm_cm2": _rounded(1e4 / self.gl_end), "midpoint_um": _rounded(self.midpoint * 1e6),
                "slope_um": _rounded(self.slope * 1e6), "kinds": list(self.kinds)}

    @classmethod
    def from_dict(cls, data: dict) -> SigmoidLeak:
        """Read :meth:`to_dict`'s form; unknown or missing keys and bad values are bridge
        errors naming the key."""
        obj = "reference.leak_profile"
        if not isinstance(data, dict):
            raise SchemaError(f"{data!r} is not an object", obj=obj, param="leak_profile",
                              expected="{" + ", ".join(f'"{k}": ...' for k in SIGMOID_KEYS) + "}")
        unknown = sorted(set(data) - set(SIGMOID_KEYS))
        if unknown:
            raise SchemaError(f"unknown key {unknown[0]!r}", obj=obj, param=unknown[0], expected=", ".join(SIGMOID_KEYS))
        if data.get("kind", "sigmoid") != "sigmoid":
            raise SchemaError(f"unknown profile kind {data['kind']!r}", obj=obj, param="kind", expected="sigmoid")
        values = {}
        for key, unit in (("rm_soma_ohm_cm2", "ohm*cm^2"), ("rm_end_ohm_cm2", "ohm*cm^2"), ("midpoint_um", "um"),
                          ("slope_um", "um")):
            if key not in data:
                raise SchemaError("missing", obj=obj, param=key, expected=f"a number in {unit}")
            values[key] = check_number(data[key], obj, key, positive=key != "midpoint_um",
                                       non_negative=True, optional=False, unit=unit)
        return cls(1e4 / values["rm_soma_ohm_cm2"], 1e4 / values["rm_end_ohm_cm2"], values["midpoint_um"] * 1e-6,
                   values["slope_um"] * 1e-6, data.get("kinds", ("apical",)))

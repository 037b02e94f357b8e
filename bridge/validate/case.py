"""A validation case: a reduced model, the detailed reference it stands for, where each
reduced compartment lies on the reference, which protocols to run and the tolerances
they must meet (each with its reason). Stored as JSON; paths are relative to the file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError, SchemaError, UnknownNameError
from ..model import ReducedModel
from ..references import BallAndStick, NRNReference, Region, SWCReference, brian2_example_swc, neuron_demo_file
from ..resources import packaged_dir

CASE_SCHEMA = 1
PROTOCOLS = ("input_resistance", "time_constant", "attenuation", "epsp", "fi_curve", "bap", "io_curve")
#: Protocol settings a case may override under "settings".
DEFAULT_SETTINGS = {"fi_amplitudes_nA": [0.6, 0.8, 1.0, 1.2, 1.5], "fi_step_ms": [100.0, 600.0],
                    "bap_pulse_nA": 3.0, "bap_pulse_ms": 2.0, "io_site": None, "io_counts": [1, 2, 4, 8, 16, 32],
                    "io_g_ampa_nS": 0.5, "io_g_nmda_nS": 0.5}
PASSIVE_KEYS = {"cm_F_m2": "cm", "gl_S_m2": "gl", "r_axial_ohm_m": "r_axial", "v_rest_V": "v_rest",
                "d_lambda": "d_lambda"}


@dataclass(frozen=True)
class Tolerance:
    """A relative tolerance and why it has that value."""

    relative: float
    reason: str


@dataclass(frozen=True)
class ValidationCase:
    name: str
    model: ReducedModel | None
    reference: object
    mapping: dict
    protocols: tuple[str, ...] = PROTOCOLS
    tolerances: dict = field(default_factory=dict)
    description: str = ""
    settings: dict = field(default_factory=lambda: dict(DEFAULT_SETTINGS))

    def tolerance(self, protocol: str) -> Tolerance:
        if protocol not in self.tolerances:
            raise ModelError("has no tolerance", obj=f"case {self.name}", param=protocol,
                             hint="add it under 'tolerances' with its reason")
        return self.tolerances[protocol]


def _source(spec: str, base: Path) -> Path:
    if spec.startswith("neuron-demo:"):
        return neuron_demo_file(spec.split(":", 1)[1])
    if spec == "brian2-example-swc":
        return brian2_example_swc()
    return (base / spec).resolve()


def _reference(data: dict, base: Path, obj: str):
    kind = data.get("kind")
    passive = {PASSIVE_KEYS[k]: float(v) for k, v in data.items() if k in PASSIVE_KEYS}
    if kind == "nrn":
        return NRNReference(_source(data["file"], base), active_soma=bool(data.get("active_soma", False)),
                            name=data.get("name", "reference"), **passive)
    if kind == "swc":
        return SWCReference(_source(data["file"], base), name=data.get("name", "reference"), **passive)
    if kind == "ball_and_stick":
        passive.pop("d_lambda", None)
        geometry = {k: float(data[k]) for k in ("soma_diameter", "length", "diameter") if k in data}
        return BallAndStick(name=data.get("name", "ball_and_stick"), **geometry, **passive)
    raise UnknownNameError(f"unknown reference kind {kind!r}", obj=obj, param="reference.kind",
                           expected="nrn, swc or ball_and_stick")


def load_case(path, with_model: bool = True) -> ValidationCase:
    """Read a case file; every problem is a one-line bridge error naming the file.
    ``with_model=False`` skips the reduced model (to build it from the reference)."""
    from ..model.serialize import load
    path = Path(path)
    obj = str(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ModelError("no such case file", obj=obj, param="case") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not JSON ({exc.msg} at line {exc.lineno})", obj=obj, param="case") from None
    if data.get("schema") != CASE_SCHEMA:
        raise SchemaError(f"schema {data.get('schema')!r}", obj=obj, param="schema", expected=str(CASE_SCHEMA))
    base = path.parent
    model = load(base / data["model"]) if with_model else None
    mapping = {name: tuple(Region.from_dict(r) for r in regions) for name, regions in data["mapping"].items()}
    for name in mapping if model is not None else ():
        model.compartment(name)
    protocols = tuple(data.get("protocols", PROTOCOLS))
    for protocol in protocols:
        if protocol not in PROTOCOLS:
            raise UnknownNameError(f"unknown protocol {protocol!r}", obj=obj, param="protocols",
                                   expected=", ".join(PROTOCOLS))
    tolerances = {k: Tolerance(float(v["relative"]), v["reason"]) for k, v in data.get("tolerances", {}).items()}
    unknown = set(data.get("settings", {})) - set(DEFAULT_SETTINGS)
    if unknown:
        raise UnknownNameError(f"unknown setting {sorted(unknown)[0]!r}", obj=obj, param="settings",
                               expected=", ".join(DEFAULT_SETTINGS))
    settings = {**DEFAULT_SETTINGS, **data.get("settings", {})}
    return ValidationCase(data["name"], model, _reference(data["reference"], base, obj), mapping, protocols,
                          tolerances, data.get("description", ""), settings)


def builtin_case_path() -> Path:
    """The built-in case: the reduced pyramidal model against c91662."""
    return packaged_dir("validation") / "c91662" / "case.json"

"""A validation case: a reduced model, the detailed reference it stands for, where each
reduced compartment lies on the reference, which protocols to run, which of their features
the model was built from (constraints: shown, never counted) and the tolerance of every
other feature (a prediction), each with its source. Stored as JSON (schema 2, described in
docs/validation.md); paths are relative to the file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError, SchemaError, UnknownNameError
from ..model import ReducedModel
from ..references import (BallAndStick, HocCell, NRNReference, PythonCell, Region, SigmoidLeak, SWCReference,
                          brian2_example_swc, neuron_demo_file)
from ..resources import packaged_dir
from .protocols import FEATURES, PROTOCOLS
from .tolerance import Tolerance

CASE_SCHEMA = 2
PASSIVE_KEYS = {"cm_F_m2": "cm", "gl_S_m2": "gl", "r_axial_ohm_m": "r_axial", "v_rest_V": "v_rest",
                "d_lambda": "d_lambda"}


@dataclass(frozen=True)
class ValidationCase:
    """``constraints``: the features the reduced model was built or fitted from, as
    (feature, condition, site) with None for "any" (a name alone covers every condition and
    site); every other feature is a prediction, and only predictions count towards the
    verdict. ``tolerances``: feature -> Tolerance, declared in the case file before any run.
    ``built_from`` says how the model was made. ``synapse_map`` (a DataFrame, or None): where
    a synapse on each segment of a published reference goes in the reduced model
    (``synapses.json`` of ``bridge reduce``: section, x, region, distance_um, area_um2,
    compartment, weight)."""

    name: str
    model: ReducedModel | None
    reference: object
    mapping: dict
    protocols: tuple[str, ...]
    tolerances: dict = field(default_factory=dict)
    constraints: frozenset = frozenset()
    description: str = ""
    built_from: str = ""
    settings: dict = field(default_factory=dict)
    synapse_map: object = None

    def role(self, feature: str, condition: str = "", site: str = "") -> str:
        """``constraint`` or ``prediction`` for ``feature`` measured at ``site`` under ``condition``."""
        return "constraint" if any(f == feature and c in (None, condition) and s in (None, site)
                                   for f, c, s in self.constraints) else "prediction"


def _source(spec: str, base: Path) -> Path:
    if spec.startswith("neuron-demo:"):
        return neuron_demo_file(spec.split(":", 1)[1])
    if spec == "brian2-example-swc":
        return brian2_example_swc()
    return (base / spec).resolve()


def _reference(data: dict, base: Path, obj: str):
    kind = data.get("kind")
    if kind in ("hoc", "python"):
        return _published_reference(data, base, obj)
    passive = {PASSIVE_KEYS[k]: float(v) for k, v in data.items() if k in PASSIVE_KEYS}
    profile = {"leak_profile": SigmoidLeak.from_dict(data["leak_profile"])} if "leak_profile" in data else {}
    if kind == "nrn":
        return NRNReference(_source(data["file"], base), active_soma=bool(data.get("active_soma", False)),
                            name=data.get("name", "reference"), **passive, **profile)
    if kind == "swc":
        return SWCReference(_source(data["file"], base), name=data.get("name", "reference"), **passive, **profile)
    if profile:
        raise SchemaError("a leak profile needs a morphology", obj=obj, param="reference.leak_profile",
                          expected="kind nrn or swc")
    if kind == "ball_and_stick":
        passive.pop("d_lambda", None)
        geometry = {k: float(data[k]) for k in ("soma_diameter", "length", "diameter") if k in data}
        return BallAndStick(name=data.get("name", "ball_and_stick"), **geometry, **passive)
    raise UnknownNameError(f"unknown reference kind {kind!r}", obj=obj, param="reference.kind",
                           expected="hoc, python, nrn, swc or ball_and_stick")


def _published_reference(data: dict, base: Path, obj: str) -> HocCell | PythonCell:
    """A published cell with its NMODL folder (``mod``: null when it uses only NEURON's
    built-in mechanisms), given by HOC files and a template (kind "hoc") or by a Python file
    and its function (kind "python"); paths relative to the case file."""
    keys = ("files", "template", "mod") if data["kind"] == "hoc" else ("file", "mod")
    for key in keys:
        if key not in data:
            raise SchemaError(f"missing {key!r}", obj=obj, param=f"reference.{key}",
                              expected=", ".join(keys) + " (and args, celsius, v_init_V)")
    args = tuple(str((base / a).resolve()) if isinstance(a, str) and (base / a).is_file() else a
                 for a in data.get("args", []))
    v_init = data.get("v_init_V")
    celsius = data.get("celsius")   # None: the temperature the cell's files set
    shared = {"args": args, "celsius": None if celsius is None else float(celsius),
              "v_init": None if v_init is None else float(v_init), "name": data.get("name", "cell")}
    mod = None if data["mod"] is None else (base / data["mod"]).resolve()
    if data["kind"] == "python":
        return PythonCell((base / data["file"]).resolve(), mod, function=data.get("function", "cell"), **shared)
    return HocCell(tuple((base / f).resolve() for f in data["files"]), data["template"], mod, **shared)


def _constraints(data: dict, features: dict, obj: str) -> frozenset:
    """(feature, condition, site) triples, None for "any", from names or objects."""
    chosen = set()
    for entry in data.get("constraints", []):
        entry = {"feature": entry} if isinstance(entry, str) else entry
        feature = entry.get("feature")
        if feature not in features:
            raise UnknownNameError(f"unknown feature {feature!r} in constraints", obj=obj, param="constraints",
                                   expected="features of the case's protocols: " + ", ".join(features))
        unknown = set(entry) - {"feature", "condition", "site"}
        if unknown:
            raise UnknownNameError(f"unknown key {sorted(unknown)[0]!r} in constraints", obj=obj,
                                   param="constraints", expected="feature, condition, site")
        chosen.add((feature, *(None if entry.get(k) is None else str(entry[k]) for k in ("condition", "site"))))
    return frozenset(chosen)


def _tolerances(data: dict, features: dict, constraints: frozenset, obj: str) -> dict:
    tolerances = {}
    for feature, entry in data.get("tolerances", {}).items():
        if feature not in features:
            raise UnknownNameError(f"tolerance for unknown feature {feature!r}", obj=obj, param="tolerances",
                                   expected="features of the case's protocols: " + ", ".join(features))
        tolerances[feature] = Tolerance.from_dict(entry, f"{obj}: tolerances.{feature}")
    missing = [f for f in features if f not in tolerances and f not in constraints]
    if missing:
        raise SchemaError(f"no tolerance for {', '.join(missing)}", obj=obj, param="tolerances",
                          hint="every prediction needs a tolerance with its source, fixed before the run")
    return tolerances


def _settings(data: dict, protocols: tuple, obj: str) -> dict:
    defaults = {k: v for p in PROTOCOLS.values() for k, v in p.settings.items()}
    unknown = set(data.get("settings", {})) - set(defaults)
    if unknown:
        raise UnknownNameError(f"unknown setting {sorted(unknown)[0]!r}", obj=obj, param="settings",
                               expected=", ".join(defaults))
    settings = {**defaults, **data.get("settings", {})}
    for name in protocols:
        PROTOCOLS[name].check(settings, obj)
    return settings


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
        raise SchemaError(f"schema {data.get('schema')!r}", obj=obj, param="schema", expected=str(CASE_SCHEMA),
                          hint="schema 2 gives every tolerance a source and lists the constraints; "
                               "see docs/validation.md, 'Case files'")
    for key in ("name", "model", "reference", "mapping", "protocols", "built_from"):
        if key not in data:
            raise SchemaError(f"missing {key!r}", obj=obj, param=key)
    base = path.parent
    model = load(base / data["model"]) if with_model else None
    mapping = {name: tuple(Region.from_dict(r) for r in regions) for name, regions in data["mapping"].items()}
    for name in mapping if model is not None else ():
        model.compartment(name)
    if model is not None and model.soma.name != "soma":
        raise ModelError(f"the reduced model's soma is called {model.soma.name!r}", obj=obj, param="model",
                         expected="a soma compartment named 'soma' (the protocols inject and record there)",
                         hint="rename it in the model file and the mapping")
    protocols = tuple(data["protocols"])
    for protocol in protocols:
        if protocol not in PROTOCOLS:
            raise UnknownNameError(f"unknown protocol {protocol!r}", obj=obj, param="protocols",
                                   expected=", ".join(PROTOCOLS))
    features = {f: p for f, p in FEATURES.items() if p in protocols}
    constraints = _constraints(data, features, obj)
    everywhere = frozenset(f for f, condition, site in constraints if condition is None and site is None)
    tolerances = _tolerances(data, features, everywhere, obj)
    synapse_map = _synapse_map(data, base, obj)
    needing = [p for p in protocols if p in NEEDS_SYNAPSE_MAP]
    if synapse_map is None and needing:
        raise SchemaError(f"the {needing[0]} protocol needs a synapse map", obj=obj, param="synapse_map",
                          hint='add "synapse_map": "synapses.json" (bridge reduce writes it beside case.json)')
    return ValidationCase(data["name"], model, _reference(data["reference"], base, obj), mapping, protocols,
                          tolerances, constraints, data.get("description", ""), data["built_from"],
                          _settings(data, protocols, obj), synapse_map)


#: The protocols that place synapses through the case's synapse map, or read from it which
#: compartment a segment of the cell is in.
NEEDS_SYNAPSE_MAP = ("bombardment", "epsp_map", "hay_bap", "hay_bac")
#: The columns a synapse map must have.
SYNAPSE_MAP_COLUMNS = ("section", "x", "region", "distance_um", "area_um2", "compartment", "weight")


def _synapse_map(data: dict, base: Path, obj: str):
    """The case's synapse map (its file relative to the case file), or None."""
    if "synapse_map" not in data:
        return None
    import pandas as pd
    path = base / data["synapse_map"]
    try:
        table = json.loads(path.read_text())
        frame = pd.DataFrame(table["rows"], columns=table["columns"])
    except FileNotFoundError:
        raise ModelError(f"no synapse map {str(path)!r}", obj=obj, param="synapse_map",
                         hint="bridge reduce writes synapses.json beside case.json") from None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise SchemaError(f"the synapse map is malformed ({exc})", obj=str(path), param="synapse_map",
                          expected='{"columns": [...], "rows": [[...], ...]}') from None
    missing = [c for c in SYNAPSE_MAP_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(f"the synapse map has no column {missing[0]!r}", obj=str(path), param="synapse_map",
                          expected=", ".join(SYNAPSE_MAP_COLUMNS), hint="write it again with bridge reduce")
    return frame


def builtin_case_path() -> Path:
    """The built-in case: the reduced pyramidal model against c91662."""
    return packaged_dir("validation") / "c91662" / "case.json"

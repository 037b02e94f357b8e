"""JSON form of a :class:`ReducedModel`: ``to_dict``/``from_dict``, ``save``/``load``.

The file is versioned by :data:`SCHEMA_VERSION`. Every number is in SI units. A file
written by a newer bridge (higher schema) is refused with a clear error. The NMODL
mechanisms of the compartments' channels are written once, in ``mechanisms`` beside
``model`` (name -> mechanism, with its source), and a channel names its mechanism; files
of schema 3 and earlier, with the mechanism inside every channel, are read as well.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from ..atomic import write_text_atomic
from ..errors import BridgeError, SchemaError
from ..mechanisms import Assign, Current, Derivative, IonUse, Mechanism, Source, Unit, Variable
from ..units import Dimension
from .channels import Channel
from .compartment import CompartmentSpec
from .mechanisms import Assignment, DSpike, Equation, Noise, Param, Replacement, Spiking, Synapse
from .reduced import Coupling, GlobalParameters, ReducedModel

#: 2 added channels (NMODL mechanisms with their source), compartment ions and celsius;
#: 3 added replacements (``replace_equations``) of compartments and models;
#: 4 writes each channel mechanism once (``mechanisms``), channels naming theirs.
SCHEMA_VERSION = 4
FORMAT_NAME = "bridge-model"

# Fields whose values are nested dataclasses, by owner class, with the nested type.
_NESTED: dict[type, dict[str, tuple[type, bool]]] = {
    ReducedModel: {"compartments": (CompartmentSpec, True), "couplings": (Coupling, True),
                   "globals": (GlobalParameters, False), "params": (Param, True),
                   "equations": (Equation, True), "spiking": (Spiking, False),
                   "replacements": (Replacement, True)},
    CompartmentSpec: {"synapses": (Synapse, True), "noise": (Noise, False), "dspikes": (DSpike, True),
                  "params": (Param, True), "equations": (Equation, True), "channels": (Channel, True),
                  "replacements": (Replacement, True)},
    Channel: {"mechanism": (Mechanism, False)},
    Mechanism: {"variables": (Variable, True), "ions": (IonUse, True), "currents": (Current, True),
                "initial": (Assign, True), "step": (Assign, True), "derivatives": (Derivative, True),
                "net_receive": (Assign, True), "source": (Source, False)},
    Variable: {"unit": (Unit, False)},
    Unit: {"dimension": (Dimension, False)},
    GlobalParameters: {"params": (Param, True)},
    Spiking: {"reset": (Assignment, True), "second_reset": (Assignment, True)},
    Param: {"dimension": (Dimension, False)},
    Equation: {"dimension": (Dimension, False)},
}


def _encode(obj: Any) -> Any:
    if isinstance(obj, Dimension):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj):
        return {f.name: _encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple):
        return [_encode(v) for v in obj]
    return obj


def _decode(cls: type, data: Any, where: str) -> Any:
    if cls is Dimension:
        if not isinstance(data, dict):
            raise SchemaError("expected an object of base-unit exponents", obj=where)
        try:
            return Dimension.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise SchemaError(str(exc), obj=where) from None
    if not isinstance(data, dict):
        raise SchemaError(f"expected an object, got {type(data).__name__}", obj=where)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise SchemaError(f"unknown fields {sorted(unknown)}", obj=where, expected=f"fields of {cls.__name__}")
    kwargs = {}
    for key, value in data.items():
        nested = _NESTED.get(cls, {}).get(key)
        if nested is None or value is None:
            kwargs[key] = value
            continue
        sub_cls, many = nested
        if many:
            if not isinstance(value, list):
                raise SchemaError("expected a list", obj=f"{where}.{key}")
            kwargs[key] = tuple(_decode(sub_cls, v, f"{where}.{key}[{i}]") for i, v in enumerate(value))
        else:
            kwargs[key] = _decode(sub_cls, value, f"{where}.{key}")
    try:
        return cls(**kwargs)
    except BridgeError:
        raise
    except (TypeError, ValueError) as exc:
        raise SchemaError(str(exc), obj=where) from None


def to_dict(model: ReducedModel) -> dict:
    """A JSON-compatible dict of ``model``, with format name and schema version, and the
    channels' mechanisms once each."""
    encoded, mechanisms = _encode(model), {}
    for comp in encoded["compartments"]:
        for channel in comp["channels"]:
            mechanism = channel["mechanism"]
            if mechanisms.setdefault(mechanism["name"], mechanism) == mechanism:
                channel["mechanism"] = mechanism["name"]     # else a namesake differs: it stays inline
    data = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION}
    if mechanisms:
        data["mechanisms"] = mechanisms
    return {**data, "model": encoded}


def _inline_mechanisms(data: dict) -> Any:
    """The ``model`` part of ``data`` with every channel's mechanism name replaced by the
    mechanism it names."""
    model, mechanisms = data.get("model"), data.get("mechanisms", {})
    if not isinstance(mechanisms, dict):
        raise SchemaError("expected an object of mechanisms by name", obj="mechanisms")
    if not mechanisms or not isinstance(model, dict) or not isinstance(model.get("compartments"), list):
        return model
    return {**model, "compartments": [_inline_compartment(comp, f"model.compartments[{i}]", mechanisms)
                                      for i, comp in enumerate(model["compartments"])]}


def _inline_compartment(comp: Any, where: str, mechanisms: dict) -> Any:
    """One compartment of a file with its channels' mechanisms inlined (anything else is
    left for the decoder to refuse)."""
    if not isinstance(comp, dict) or not isinstance(comp.get("channels"), list):
        return comp
    channels = []
    for j, channel in enumerate(comp["channels"]):
        name = channel.get("mechanism") if isinstance(channel, dict) else None
        if isinstance(name, str):
            if name not in mechanisms:
                raise SchemaError(f"channel mechanism {name!r} is not in the file's mechanisms",
                                  obj=f"{where}.channels[{j}]", expected=", ".join(sorted(mechanisms)) or "a mechanism")
            channel = {**channel, "mechanism": mechanisms[name]}
        channels.append(channel)
    return {**comp, "channels": channels}


def from_dict(data: dict) -> ReducedModel:
    """The model stored in ``data`` (as written by :func:`to_dict`)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise SchemaError("not a bridge model (no \"format\": \"bridge-model\" field)", obj="model file")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SchemaError("missing or invalid schema_version", obj="model file")
    if version > SCHEMA_VERSION:
        raise SchemaError(f"written with schema {version}, newer than this bridge's {SCHEMA_VERSION}",
                          obj="model file", hint="upgrade bridge to read it")
    unknown = set(data) - {"format", "schema_version", "mechanisms", "model"}
    if unknown:
        raise SchemaError(f"unknown fields {sorted(unknown)}", obj="model file",
                          expected="format, schema_version, mechanisms, model")
    return _decode(ReducedModel, _inline_mechanisms(data), "model")


def save(model, path: str | os.PathLike) -> Path:
    """Write ``model`` (a ReducedModel or a builder object) to ``path`` as JSON, atomically."""
    if not isinstance(model, ReducedModel):
        model = getattr(model, "description", model)
    if not isinstance(model, ReducedModel):
        raise SchemaError(f"cannot save a {type(model).__name__}", obj=str(path),
                          expected="a bridge model (NeuronModel, PointNeuronModel or ReducedModel)")
    text = json.dumps(to_dict(model), indent=2) + "\n"
    try:
        return write_text_atomic(Path(path), text)
    except OSError as exc:
        raise SchemaError(f"cannot write: {exc.strerror}", obj=str(path)) from None


def load(path: str | os.PathLike) -> ReducedModel:
    """Read a model written by :func:`save`."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise SchemaError(f"cannot read: {exc.strerror}", obj=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                          obj=str(path)) from None
    try:
        return from_dict(data)
    except BridgeError as exc:
        raise exc.amend(obj=f"{path}: {exc.obj}" if exc.obj else str(path))

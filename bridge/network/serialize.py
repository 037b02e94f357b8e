"""A network as versioned JSON (``bridge-network``, schema 1): its models as bridge model
files, everything else in SI units. Written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..atomic import write_text_atomic
from ..errors import SchemaError
from ..model import from_dict, to_dict
from .description import (NetworkDescription, PoissonInput, Population, Projection, Recording, StepInput, Target,
                          TrainInput)
from .rules import distribution_from_dict, rule_from_dict

FORMAT_NAME = "bridge-network"
SCHEMA_VERSION = 1


def network_to_dict(net: NetworkDescription) -> dict:
    def target(t: Target) -> dict:
        return {"population": t.population, "compartment": t.compartment, "synapse": t.synapse}
    return {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION, "network": {
        "name": net.name,
        "populations": [{"name": p.name, "n": p.n, "model": to_dict(p.model)} for p in net.populations],
        "projections": [{"pre": p.pre, "target": target(p.target), "rule": p.rule.to_dict(),
                         "weight": p.weight.to_dict(), "delay": p.delay.to_dict(), "seed": p.seed}
                        for p in net.projections],
        "poisson": [{"target": target(p.target), "rate": p.rate, "n_sources": p.n_sources, "seed": p.seed,
                     "weight": p.weight} for p in net.poisson],
        "trains": [{"target": target(t.target), "times": [list(ts) for ts in t.times], "weight": t.weight}
                   for t in net.trains],
        "steps": [{"population": s.population, "compartment": s.compartment, "amplitude": s.amplitude,
                   "start": s.start, "stop": s.stop} for s in net.steps],
        "recordings": [{"population": r.population, "cells": list(r.cells), "compartments": list(r.compartments)}
                       for r in net.recordings],
    }}


def network_from_dict(data: dict) -> NetworkDescription:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise SchemaError("not a bridge network file", obj="network file", param="format", expected=FORMAT_NAME)
    version = data.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise SchemaError(f"schema {version!r}", obj="network file", param="schema_version",
                          expected=f"an integer <= {SCHEMA_VERSION}", hint="update bridge to read newer files")
    try:
        net = data["network"]
        return NetworkDescription(
            name=net["name"],
            populations=tuple(Population(p["name"], from_dict(p["model"]), p["n"]) for p in net["populations"]),
            projections=tuple(Projection(p["pre"], Target(**p["target"]), rule_from_dict(p["rule"]),
                                         distribution_from_dict(p["weight"]), distribution_from_dict(p["delay"]),
                                         p["seed"]) for p in net["projections"]),
            poisson=tuple(PoissonInput(Target(**p["target"]), p["rate"], p["n_sources"], p["seed"], p["weight"])
                          for p in net["poisson"]),
            trains=tuple(TrainInput(Target(**t["target"]), tuple(tuple(ts) for ts in t["times"]), t["weight"])
                         for t in net["trains"]),
            steps=tuple(StepInput(**s) for s in net["steps"]),
            recordings=tuple(Recording(r["population"], tuple(r["cells"]), tuple(r["compartments"]))
                             for r in net["recordings"]))
    except (KeyError, TypeError) as exc:
        raise SchemaError(f"missing or invalid field {exc}", obj="network file") from None


def save(net: NetworkDescription, path) -> Path:
    path = Path(path)
    write_text_atomic(path, json.dumps(network_to_dict(net), indent=1))
    return path


def load(path: str | os.PathLike) -> NetworkDescription:
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise SchemaError("no such file", obj=str(path)) from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not JSON: {exc}", obj=str(path)) from None
    return network_from_dict(data)

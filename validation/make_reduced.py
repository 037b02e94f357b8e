#!/usr/bin/env python
"""Rebuild a case's reduced model: the passive chain reduction of its reference (method in
bridge/validate/reduction.py; the chain is the mapping's order, soma first; each
compartment's leak is its regions' total leak as the reference's membrane sets it).

    python validation/make_reduced.py validation/c91662

The case is read with bridge's load_case where that reads it. Until load_case reads case
schema 2 and a reference's "leak_profile", this script reads the reference and the
mapping from the JSON itself (``_reference`` below, the same keys).
"""

import json
import sys
from pathlib import Path

from bridge.errors import BridgeError, ModelError
from bridge.model import save
from bridge.neuron.detailed import describe_reference
from bridge.references import NRNReference, Region, SigmoidLeak, SWCReference, brian2_example_swc, neuron_demo_file
from bridge.validate.case import load_case
from bridge.validate.reduction import reduce_to_chain

PASSIVE_KEYS = {"cm_F_m2": "cm", "gl_S_m2": "gl", "r_axial_ohm_m": "r_axial", "v_rest_V": "v_rest",
                "d_lambda": "d_lambda"}


def _reference(data: dict, base: Path):
    """A file reference from a case's "reference" object (kinds nrn and swc)."""
    spec = data["file"]
    path = (neuron_demo_file(spec.split(":", 1)[1]) if spec.startswith("neuron-demo:") else
            brian2_example_swc() if spec == "brian2-example-swc" else (base / spec).resolve())
    passive = {PASSIVE_KEYS[k]: float(v) for k, v in data.items() if k in PASSIVE_KEYS}
    profile = SigmoidLeak.from_dict(data["leak_profile"]) if "leak_profile" in data else None
    if data.get("kind") == "nrn":
        return NRNReference(path, active_soma=bool(data.get("active_soma", False)),
                            name=data.get("name", "reference"), leak_profile=profile, **passive)
    if data.get("kind") == "swc":
        return SWCReference(path, name=data.get("name", "reference"), leak_profile=profile, **passive)
    raise ModelError(f"reference kind {data.get('kind')!r}", obj="make_reduced", param="reference.kind",
                     expected="nrn or swc")


def read_case(path: Path):
    """(name, reference, mapping) of a case file."""
    data = json.loads(path.read_text())
    try:
        case = load_case(path, with_model=False)
    except BridgeError:
        case = None  # a schema or key load_case does not read yet
    has_profile = "leak_profile" in data["reference"]
    if case is not None and (getattr(case.reference, "leak_profile", None) is not None) == has_profile:
        return case.name, case.reference, case.mapping
    mapping = {name: tuple(Region.from_dict(r) for r in regions) for name, regions in data["mapping"].items()}
    return data["name"], _reference(data["reference"], path.parent), mapping


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "c91662")
    name, ref, mapping = read_case(folder / "case.json")
    chain = list(mapping)
    description = describe_reference(ref, mapping)
    model = reduce_to_chain(description, chain, ref.cm, None, ref.v_rest, name=f"{name}_reduced")
    target = folder / json.loads((folder / "case.json").read_text())["model"]
    save(model, target)
    print(f"wrote {target}")
    for comp in chain:
        attenuation = 1.0 if comp == chain[0] else description.attenuation[comp]
        area = description.areas[comp]
        print(f"{comp:>6}: area {area * 1e12:8.1f} um2, leak {description.leaks[comp] * 1e9:7.3f} nS "
              f"(mean {description.leaks[comp] / area:.4f} S/m2, cm/gl {ref.cm * area / description.leaks[comp] * 1e3:.2f} ms), "
              f"attenuation {attenuation:.4f}, mean distance {description.distance[comp] * 1e6:6.1f} um")
    for coupling in model.couplings:
        print(f"{coupling.a}-{coupling.b}: {coupling.g * 1e9:.3f} nS")

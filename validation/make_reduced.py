#!/usr/bin/env python
"""Rebuild a case's reduced model: the passive chain reduction of its reference (method in
bridge/validate/reduction.py; the chain is the mapping's order, soma first).

    python validation/make_reduced.py validation/c91662
"""

import json
import sys
from pathlib import Path

from bridge.model import save
from bridge.neuron.detailed import describe_reference
from bridge.validate.case import load_case
from bridge.validate.reduction import reduce_to_chain

if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "c91662")
    case = load_case(folder / "case.json", with_model=False)
    chain = list(case.mapping)
    ref = case.reference
    description = describe_reference(ref, case.mapping)
    model = reduce_to_chain(description, chain, ref.cm, ref.gl, ref.v_rest, name=f"{case.name}_reduced")
    target = folder / json.loads((folder / "case.json").read_text())["model"]
    save(model, target)
    print(f"wrote {target}")
    for name in chain:
        attenuation = 1.0 if name == chain[0] else description.attenuation[name]
        print(f"{name:>6}: area {description.areas[name] * 1e12:8.1f} um2, attenuation {attenuation:.4f}, "
              f"mean distance {description.distance[name] * 1e6:6.1f} um")
    for coupling in model.couplings:
        print(f"{coupling.a}-{coupling.b}: {coupling.g * 1e9:.3f} nS")

#!/usr/bin/env python
"""Rebuild a case's reduced model: the passive chain reduction of its reference (method in
bridge/reduce/passive_chain.py; the chain is the mapping's order, soma first; each
compartment's leak is its regions' total leak as the reference's membrane sets it).

    python validation/make_reduced.py validation/c91662

"""

import json
import sys
from pathlib import Path

from bridge.model import save
from bridge.neuron.detailed import describe_reference
from bridge.assess.case import load_case
from bridge.reduce.passive_chain import reduce_to_chain

if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "c91662")
    case = load_case(folder / "case.json", with_model=False)
    name, ref, mapping = case.name, case.reference, case.mapping
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

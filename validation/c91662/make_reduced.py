#!/usr/bin/env python
"""Rebuild reduced.json: the passive 4-compartment reduction of c91662 (see README.md).

    python validation/c91662/make_reduced.py
"""

from pathlib import Path

from bridge.model import save
from bridge.neuron.detailed import describe_reference
from bridge.validate.case import load_case
from bridge.validate.reduction import reduce_to_chain

HERE = Path(__file__).parent
CHAIN = ["soma", "trunk", "prox", "dist"]

if __name__ == "__main__":
    case = load_case(HERE / "case.json", with_model=False)
    ref = case.reference
    description = describe_reference(ref, case.mapping)
    model = reduce_to_chain(description, CHAIN, ref.cm, ref.gl, ref.v_rest, name="c91662_reduced")
    save(model, HERE / "reduced.json")
    for name in CHAIN:
        print(f"{name:>6}: area {description.areas[name] * 1e12:8.1f} um2, attenuation "
              f"{description.attenuation.get(name, 1.0):.4f}, mean distance {description.distance[name] * 1e6:6.1f} um")
    for coupling in model.couplings:
        print(f"{coupling.a}-{coupling.b}: {coupling.g * 1e9:.3f} nS")

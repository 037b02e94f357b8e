"""A passive chain of compartments reduced from a detailed reference.

Each reduced compartment stands for regions of the morphology (``mapping``). Its
capacitance is cm times the regions' total membrane area and its leak is the regions'
total leak conductance as the reference's membrane sets it (the sum of each segment's
leak times its area, ``ReferenceMeasures.leaks``), so the whole membrane is kept. With
a uniform membrane every time constant of the chain is then the reference's cm/gl; with
a non-uniform one (a leak profile) the compartments' cm/gl differ and the chain's slowest
time constant is a prediction, not a copy of a parameter. The couplings of the chain
(soma - c1 - c2 - ...) are solved, from the distal end inwards, so that current injected
at the soma gives each compartment the reference's steady-state attenuation
(area-weighted over its regions): for the coupling into compartment k,
g_k * (a_{k-1} - a_k) = sum over j >= k of G_j * a_j, where a are the attenuations
(a_soma = 1) and G the leaks.
"""

from __future__ import annotations

from ..errors import ModelError
from ..model import CompartmentSpec, Coupling, ReducedModel


def chain_couplings(leaks: list[float], attenuation: list[float]) -> list[float]:
    """Couplings (S) of a chain with leak conductances ``leaks`` (S, soma first) that give
    the steady-state ``attenuation`` (soma first, 1.0) for current injected at the soma."""
    if len(leaks) != len(attenuation) or len(leaks) < 2:
        raise ModelError("a chain needs a soma and at least one more compartment, with one attenuation each",
                         obj="reduction", param="mapping")
    if abs(attenuation[0] - 1.0) > 1e-12:
        raise ModelError(f"the soma's attenuation is {attenuation[0]}", obj="reduction", param="attenuation",
                         expected="1 (the soma is the reference point)")
    couplings = []
    for k in range(1, len(leaks)):
        drop = attenuation[k - 1] - attenuation[k]
        if drop <= 0:
            raise ModelError(f"attenuation does not fall from compartment {k - 1} to {k}", obj="reduction",
                             param="mapping", hint="order the mapping from the soma outwards")
        couplings.append(sum(g * a for g, a in zip(leaks[k:], attenuation[k:])) / drop)
    return couplings


def reduce_to_chain(description, chain: list[str], cm: float, gl: float | None, v_rest: float,
                    name: str = "reduced") -> ReducedModel:
    """The passive reduced model of a reference ``description`` (from
    ``bridge.neuron.detailed.measure_reference``): ``chain`` names the compartments from
    the soma outwards; ``cm`` (F/m2) and ``v_rest`` (V) are the reference's. The leaks come
    from the description. ``gl`` (S/m2) is None, or the uniform leak the caller expects:
    then a description whose leaks are not ``gl`` times the areas is refused."""
    areas = [description.areas[c] for c in chain]
    leaks = [description.leaks[c] for c in chain]
    if gl is not None:
        for c, area, leak in zip(chain, areas, leaks):
            if abs(leak - gl * area) > 1e-9 * leak:
                raise ModelError(f"the reference's leak here is {leak / area:.6g} S/m^2 on average, not the uniform "
                                 f"{gl:g} S/m^2", obj="reduction", param=f"gl ({c})",
                                 hint="pass gl=None: the leaks come from the reference's description")
    attenuation = [1.0] + [description.attenuation[c] for c in chain[1:]]
    couplings = chain_couplings(leaks, attenuation)
    comps = tuple(CompartmentSpec(c, kind="soma" if i == 0 else "dendrite", membrane="leakyIF" if i == 0 else "passive",
                                  v_rest=v_rest, cm_abs=cm * area, gl_abs=leak)
                  for i, (c, area, leak) in enumerate(zip(chain, areas, leaks)))
    links = tuple(Coupling(chain[k - 1], chain[k], kind="explicit", g=g) for k, g in zip(range(1, len(chain)), couplings))
    return ReducedModel(comps, links, name=name)

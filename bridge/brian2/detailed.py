"""Morphologically detailed references (``bridge.references``) as Brian 2
``SpatialNeuron``s: the ball-and-stick (a soma and a d_lambda-segmented cylinder) and any
SWC file (read as NEURON's Import3d reads it, see ``bridge.references.swc``; one
compartment per SWC segment). Passive membrane;
returns :class:`~bridge.traces.SimulationResult`, one column per recording site."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import UnknownNameError
from ..references import BallAndStick
from ..references.regions import SITES
from ..references.swc import read_swc
from ..stimuli import Step
from ..traces import SimulationResult

_EQUATIONS = """
Im = gl * (El - v) : amp/meter**2
I : amp (point current)
"""


def _morphology(ref):
    from brian2 import Cylinder, Section, Soma, meter, um
    if isinstance(ref, BallAndStick):
        morpho = Soma(diameter=ref.soma_diameter * meter)
        morpho.dend = Cylinder(diameter=ref.diameter * meter, length=ref.length * meter, n=ref.segments())
        return morpho
    swc = read_swc(ref.path)
    morpho = Soma(diameter=swc.soma_diameter * um, x=[swc.soma_center[0]] * um, y=[swc.soma_center[1]] * um,
                  z=[swc.soma_center[2]] * um)
    made = []
    for k, branch in enumerate(swc.branches):
        section = Section(n=len(branch.points) - 1, diameter=branch.diameters * um, x=branch.points[:, 0] * um,
                          y=branch.points[:, 1] * um, z=branch.points[:, 2] * um)
        parent = morpho if branch.parent < 0 else made[branch.parent]
        parent[f"b{k}"] = section
        made.append(section)
    return morpho


def run_reference(ref, stimuli, duration: float, dt: float, record=SITES) -> SimulationResult:
    """Simulate ``ref`` for ``duration`` (s) at ``dt`` (s) with current steps at its sites
    (Brian 2's numpy target, exponential Euler); record the sites' voltages."""
    import brian2 as b
    from brian2.units import amp, farad, meter, ohm, second, siemens, volt

    from ..errors import UnsupportedFeatureError
    if getattr(ref, "leak_profile", None) is not None:
        raise UnsupportedFeatureError("Brian 2's SpatialNeuron reference has a uniform leak", obj=f"reference {ref.name}",
                                      param="leak_profile", hint="Run a reference with a leak profile in NEURON")
    neuron = b.SpatialNeuron(_morphology(ref), _EQUATIONS, Cm=ref.cm * farad / meter ** 2,
                             Ri=ref.r_axial * ohm * meter, method="exponential_euler", dt=dt * second,
                             namespace={"gl": ref.gl * siemens / meter ** 2, "El": ref.v_rest * volt})
    neuron.v = ref.v_rest * volt
    distance = np.asarray(neuron.distance / meter)
    sites = {"soma": 0, "tip": int(np.argmax(distance))}
    for name in list(record) + [s.compartment for s in stimuli]:
        if name not in sites:
            raise UnknownNameError(f"no site {name!r}", obj=f"reference {ref.name}", param="site",
                                   expected=", ".join(sites))
    # Steps switch a compartment's point current at their edges: run piecewise between them.
    edges = sorted({0.0, duration} | {t for s in stimuli for t in (s.start, s.stop) if t < duration})
    monitor = b.StateMonitor(neuron, "v", record=[sites[n] for n in record], dt=dt * second)
    net = b.Network(neuron, monitor)
    for start, stop in zip(edges, edges[1:]):
        current = np.zeros(len(neuron))
        for stim in stimuli:
            if not isinstance(stim, Step):
                raise UnknownNameError("detailed references take current steps only", obj=f"reference {ref.name}",
                                       param="stimuli", expected="bridge.Step")
            if stim.start <= start < stim.stop:
                current[sites[stim.compartment]] += stim.amplitude
        neuron.I = current * amp
        net.run((stop - start) * second)
    steps = int(round(duration / dt))
    data = {name: np.asarray(monitor.v[k] / b.mV)[:steps] for k, name in enumerate(record)}
    index = pd.Index(np.arange(steps) * dt * 1e3, name="time (ms)")
    return SimulationResult(pd.DataFrame(data, index=index), np.array([]),
                            {"simulator": "brian2", "reference": ref.name, "dt_ms": dt * 1e3,
                             "segments": len(neuron), "tip_distance_m": float(distance[sites["tip"]])})

"""Networks of reduced models: described once (:class:`Network`), drawn once with numpy,
run in Brian 2, NEURON or CoreNEURON with the same connections and input spikes."""

from __future__ import annotations

from ..errors import ModelError, UnsupportedFeatureError
from ..simulate import SIMULATORS
from ..units import SECOND, to_si
from .builder import Network, PopulationRef
from .draw import DrawnNetwork, draw
from .result import NetworkResult
from .rules import AllToAll, FixedInDegree, FixedOutDegree, FixedProbability, FromList, Normal, Uniform



def simulate_network(net, simulator: str = "brian2", duration=None, dt=None, *, ranks: int = 1,
                     target: str = "numpy", method: str | None = None, progress=None) -> NetworkResult:
    """Run ``net`` (a :class:`Network` or its description) for ``duration`` (default
    100 ms) at step ``dt`` (default 0.025 ms). ``simulator``: ``brian2`` (``target``:
    numpy, cython, cpp_standalone, or cuda_standalone on an NVIDIA GPU with the ``[gpu]``
    extra), ``neuron`` or ``coreneuron``; ``ranks > 1`` runs NEURON
    under ``mpiexec`` (the ``[mpi]`` extra). ``method``: Brian 2's integration method, or
    NEURON's fixed-step method (crank_nicolson, backward_euler). ``progress(step, total,
    text)`` is told each phase (drawing, then building and running, then done)."""
    from brian2.units import ms
    description = net.description if isinstance(net, Network) else net
    duration_s = to_si(100 * ms if duration is None else duration, SECOND, "simulate_network", "duration",
                       optional=False)
    dt_s = to_si(0.025 * ms if dt is None else dt, SECOND, "simulate_network", "dt", optional=False)
    if not 0 < dt_s <= duration_s:
        raise ModelError(f"duration {duration_s * 1e3:g} ms, dt {dt_s * 1e3:g} ms", obj="simulate_network",
                         param="duration", expected="0 < dt <= duration")
    if simulator not in SIMULATORS:
        raise UnsupportedFeatureError(f"unknown simulator {simulator!r}", obj="simulate_network",
                                      param="simulator", expected=", ".join(SIMULATORS))
    if isinstance(ranks, bool) or not isinstance(ranks, int) or ranks < 1:
        raise ModelError(f"{ranks!r} ranks", obj="simulate_network", param="ranks", expected="an integer >= 1")
    if ranks > 1 and simulator == "brian2":
        raise UnsupportedFeatureError("MPI ranks run NEURON", obj="simulate_network", param="ranks",
                                      expected="simulator='neuron' or 'coreneuron' with ranks > 1")
    say = progress or (lambda step, total, text: None)
    cells = sum(p.n for p in description.populations)
    say(0, 2, f"drawing the network ({cells} cells)")
    drawn = draw(description, duration_s, dt_s)
    where = f"{simulator} ({target})" if simulator == "brian2" else f"{simulator} on {ranks} rank(s)"
    say(1, 2, f"running in {where}")
    if simulator == "brian2":
        from .run_brian2 import run
        result = run(drawn, dt_s, target=target, method=method)
    elif ranks > 1:
        from .mpi import run_under_mpi
        result = run_under_mpi(drawn, dt_s, ranks, coreneuron=simulator == "coreneuron", method=method)
    else:
        from .run_neuron import run
        result = run(drawn, dt_s, coreneuron=simulator == "coreneuron", method=method)
    say(2, 2, "done")
    return result


__all__ = ["AllToAll", "DrawnNetwork", "FixedInDegree", "FixedOutDegree", "FixedProbability", "FromList",
           "Network", "NetworkResult", "Normal", "PopulationRef", "Uniform", "draw",
           "simulate_network"]

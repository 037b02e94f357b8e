"""bridge's noise current (Dendrify's ``noise``, an Ornstein-Uhlenbeck current): its one
home, for both simulators.

What it computes: ``I' = (mean - I)/tau + sigma*sqrt(2/tau)*xi``, a current of mean
``mean``, standard deviation ``sigma`` and correlation time ``tau`` injected into the
compartment.

Brian 2 (:func:`brian2_line`): Dendrify's equation, one Gaussian draw per step (Euler-
Maruyama with ``randn()``).

NEURON (:func:`mechanism`, printed into ``mod/bridge_noise.mod`` as the point process
``BrNoise``, an ELECTRODE_CURRENT in nA): updated once per time step with the exact OU
transition in BEFORE BREAKPOINT, which runs at mid-step and once more in finitialize.
The Random123 stream (``RANDOM rng``) is addressed by the step index, so NEURON and
CoreNEURON draw the same numbers whatever the order of their calls; the runner sets the
stream with ``rng.set_ids(seed, gid, index)``. 64 numbers per step leave room for the
normal deviate's rejection sampling. Fixed time step only. The two simulators draw
different numbers, so they agree in statistics, not trace by trace.
"""

from __future__ import annotations

from .mechanism import ONE, Assign, Call, Current, If, Mechanism, Variable
from .synapses import MS, NA

NAME = "BrNoise"


def mechanism() -> Mechanism:
    """BrNoise (see the module docstring)."""
    variables = (Variable("mean", NA, value=0.0), Variable("sigma", NA, value=0.0), Variable("tau", MS, value=10.0),
                 Variable("i", NA, "assigned"), Variable("i_noise", NA, "assigned"),
                 Variable("next_step", ONE, "assigned", scope="private"))
    update = (
        Call("random_setseq", ("rng", "64 * step")),
        Assign("decay", "exp(-dt / tau)"),
        Assign("i_noise", "mean + (i_noise - mean) * decay + sigma * sqrt(1 - decay * decay) * random_normal(rng)"),
        Assign("next_step", "step + 1"),
    )
    return Mechanism(
        NAME, kind="point", variables=variables, currents=(Current("i", electrode=True),),
        initial=(Assign("i_noise", "0"), Assign("next_step", "1")),
        before_step=(Assign("step", "floor(t / dt + 1e-6)"), If("step >= next_step", update)),
        step=(Assign("i", "i_noise"),), randoms=("rng",))


def brian2_line(s: str) -> str:
    """The noise current's Brian 2 equation, ``s`` the compartment suffix."""
    return (f"dI_noise{s}/dt = (mean_noise{s}-I_noise{s}) / tau_noise{s} + sigma_noise{s} * "
            f"(sqrt(2/(tau_noise{s}*dt)) * randn()) :amp")

"""The analytic ball-and-stick neuron: an isopotential soma and one uniform passive cable
with a sealed end, whose input resistance, time constant and steady-state attenuation
have closed forms (Rall's cable theory)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.checks import check_number


def d_lambda_segments(length: float, diameter: float, r_axial: float, cm: float, d_lambda: float = 0.1,
                      frequency: float = 100.0) -> int:
    """Number of segments (odd) by the d_lambda rule: each segment at most ``d_lambda`` of
    the AC length constant at ``frequency`` (Hz). SI inputs: m, m, ohm*m, F/m2."""
    lambda_f = math.sqrt(diameter / (4 * math.pi * frequency * r_axial * cm))
    return int((length / (d_lambda * lambda_f) + 0.9) / 2) * 2 + 1


@dataclass(frozen=True)
class BallAndStick:
    """Soma of diameter ``soma_diameter`` (membrane area pi*d**2, a sphere or a cylinder
    with L = d) and a dendrite of ``length`` and ``diameter`` (m); specific capacitance
    ``cm`` (F/m2), leak ``gl`` (S/m2), axial resistivity ``r_axial`` (ohm*m), resting
    potential ``v_rest`` (V)."""

    soma_diameter: float = 20e-6
    length: float = 600e-6
    diameter: float = 2e-6
    cm: float = 0.01
    gl: float = 0.5
    r_axial: float = 1.5
    v_rest: float = -65e-3
    name: str = "ball_and_stick"

    def __post_init__(self):
        obj = f"reference {self.name}"
        for attr, unit in (("soma_diameter", "m"), ("length", "m"), ("diameter", "m"), ("cm", "F/m^2"),
                           ("gl", "S/m^2"), ("r_axial", "ohm*m")):
            check_number(getattr(self, attr), obj, attr, positive=True, optional=False, unit=unit)
        check_number(self.v_rest, obj, "v_rest", optional=False, unit="V")

    @property
    def length_constant(self) -> float:
        """lambda = sqrt(d * Rm / (4 * Ri)) (m)."""
        return math.sqrt(self.diameter / (self.gl * 4 * self.r_axial))

    @property
    def electrotonic_length(self) -> float:
        return self.length / self.length_constant

    @property
    def soma_conductance(self) -> float:
        return self.gl * math.pi * self.soma_diameter ** 2

    @property
    def cable_conductance(self) -> float:
        """Input conductance of the sealed-end cable (S): G_inf * tanh(L/lambda)."""
        g_inf = math.pi * self.diameter ** 2 / (4 * self.r_axial * self.length_constant)
        return g_inf * math.tanh(self.electrotonic_length)

    @property
    def input_resistance(self) -> float:
        """Somatic input resistance (ohm)."""
        return 1.0 / (self.soma_conductance + self.cable_conductance)

    @property
    def time_constant(self) -> float:
        """Slowest time constant (s): the membrane's cm/gl, the same everywhere."""
        return self.cm / self.gl

    def attenuation(self, distance: float) -> float:
        """Steady-state V(x)/V(soma) for current injected at the soma, ``distance`` (m) along
        the dendrite: cosh((L - x)/lambda) / cosh(L/lambda)."""
        lam = self.length_constant
        return math.cosh((self.length - distance) / lam) / math.cosh(self.length / lam)

    def segments(self, d_lambda: float = 0.1) -> int:
        """The dendrite's segment count by the d_lambda rule."""
        return d_lambda_segments(self.length, self.diameter, self.r_axial, self.cm, d_lambda)

"""Impedance between the soma and every site, at the frequencies of ``impedance_frequencies_hz``
(default 0, 10 and 100 Hz): amplitude and phase of the transfer impedance from the soma's
centre to every segment of each region on the reference (NEURON's ``Impedance``), against
the reduced model's response to a sinusoidal current into its soma, simulated in each
simulator (0 Hz: a small step; bridge.validate.impedance). The reduced model's conductance
matrix gives the same numbers analytically; they are kept beside the simulated ones in the
protocol's table. Phase: angle(Z) in radians, negative when the voltage lags the current,
continuous from 0 Hz (a distal lag may pass -pi), on the reference as on the reduced model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..judge import Spread
from .base import Context, Outcome, Protocol

#: Sinusoid amplitude (A): small, so that any active membrane stays linear.
AMPLITUDE = 5e-12


class Impedance(Protocol):
    name = "impedance"
    title = "Impedance from the soma to every site (amplitude and phase)"
    features = ("impedance_amplitude", "impedance_phase")
    settings = {"impedance_frequencies_hz": [0.0, 10.0, 100.0]}

    def run(self, ctx: Context) -> Outcome:
        from ...model.electrical import impedance_between, impedance_phase
        from ...neuron.reference_impedance import reference_impedance
        case = ctx.case
        frequencies = [float(f) for f in ctx.setting("impedance_frequencies_hz")]
        segments = reference_impedance(case.reference, case.mapping, frequencies)
        names = list(case.mapping)
        records = []
        soma = case.model.soma.name
        for frequency in frequencies:
            matrix = {c: (impedance_between(case.model, c, soma, frequency), impedance_phase(case.model, c, soma,
                                                                                             frequency)) for c in names}
            records += [{"who": "matrix", "frequency_hz": frequency, "site": c, "amplitude_mohm": abs(z) / 1e6,
                         "phase_rad": phase} for c, (z, phase) in matrix.items()]
            for sim in ctx.simulators:
                measured = _simulated(ctx, sim, frequency, names)
                # phases continuous from 0 Hz (a distal lag can pass pi): the matrix's, plus
                # the measured value's small difference from it
                records += [{"who": sim, "frequency_hz": frequency, "site": c, "amplitude_mohm": abs(v) / 1e6,
                             "phase_rad": matrix[c][1] + float(np.angle(v / matrix[c][0]))}
                            for c, v in measured.items()]
        table = pd.DataFrame(records)
        outcome = Outcome(tables={"impedance": table, "impedance_segments": segments})
        for frequency in frequencies:
            at = segments[segments["frequency_hz"] == frequency]
            condition = f"{frequency:g} Hz"
            for sim in ctx.simulators:
                reduced = table[(table["who"] == sim) & (table["frequency_hz"] == frequency)].set_index("site")
                for c in names:
                    part = at[at["compartment"] == c]
                    outcome.rows.append(ctx.row(self.name, "impedance_amplitude", c, condition, "MOhm", sim,
                                                Spread(tuple(part["transfer_amplitude_mohm"])),
                                                reduced.loc[c, "amplitude_mohm"], note="transfer from the soma"))
                    if frequency > 0:  # at 0 Hz both phases are 0 by definition: nothing to test
                        outcome.rows.append(ctx.row(self.name, "impedance_phase", c, condition, "rad", sim,
                                                    Spread(tuple(part["transfer_phase_rad"])),
                                                    reduced.loc[c, "phase_rad"], note="transfer from the soma"))
        return outcome


def _simulated(ctx: Context, simulator: str, frequency: float, names: list[str]) -> dict:
    """Transfer impedance (complex, ohm) from the soma to each compartment, simulated
    (bridge.validate.impedance: a sine after the transient, a step at 0 Hz)."""
    from brian2.units import amp, second

    from ..impedance import impedance_stimulus, measure_impedance
    stimulus, settle = impedance_stimulus(ctx.case.model, ctx.case.model.soma.name, frequency, AMPLITUDE * amp)
    result = ctx.reduced(None, simulator, [stimulus], stimulus.stop, record=names)
    return {c: measure_impedance(result, c, stimulus, settle=settle * second) for c in names}

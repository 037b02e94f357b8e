"""Impedance between the soma and every site, at the frequencies of ``impedance_frequencies_hz``
(default 0, 10 and 100 Hz): amplitude and phase of the transfer impedance from the soma's
centre to every segment of each region on the reference (NEURON's ``Impedance``), against
the reduced model's response to a sinusoidal current into its soma, simulated in each
simulator (0 Hz: a small step). The reduced model's conductance matrix gives the same
numbers analytically; they are kept beside the simulated ones in the protocol's table.
Phase: angle(Z) in radians, negative when the voltage lags the current."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..judge import Spread
from .base import Context, Outcome, Protocol

#: Sinusoid amplitude (A): small, so that any active membrane stays linear.
AMPLITUDE = 5e-12
#: Periods of the sinusoid measured after the transient, and at least this long (s).
PERIODS, MEASURED = 5, 0.1


class Impedance(Protocol):
    name = "impedance"
    title = "Impedance from the soma to every site (amplitude and phase)"
    features = ("impedance_amplitude", "impedance_phase")
    settings = {"impedance_frequencies_hz": [0.0, 10.0, 100.0]}

    def run(self, ctx: Context) -> Outcome:
        from ...model.electrical import impedance_matrix
        from ...neuron.reference_impedance import reference_impedance
        case = ctx.case
        frequencies = [float(f) for f in ctx.setting("impedance_frequencies_hz")]
        segments = reference_impedance(case.reference, case.mapping, frequencies)
        names = list(case.mapping)
        records = []
        for frequency in frequencies:
            z = impedance_matrix(case.model, frequency)[case.model.compartment_names.index(case.model.soma.name)]
            records += [{"who": "matrix", "frequency_hz": frequency, "site": c,
                         "amplitude_mohm": abs(z[i]) / 1e6, "phase_rad": float(np.angle(z[i]))}
                        for i, c in enumerate(case.model.compartment_names) if c in names]
            for sim in ctx.simulators:
                measured = _simulated(ctx, sim, frequency, names)
                records += [{"who": sim, "frequency_hz": frequency, "site": c, "amplitude_mohm": abs(v) / 1e6,
                             "phase_rad": float(np.angle(v))} for c, v in measured.items()]
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
    """Transfer impedance (complex, ohm) from the soma to each compartment, simulated."""
    from brian2.units import Hz, amp, second

    from ...stimuli import Sine, Step
    from ..impedance import measure_impedance
    settle = 8 * ctx.case.reference.time_constant
    if frequency == 0:
        stop = settle + MEASURED
        step = Step("soma", AMPLITUDE * amp, 0 * second, stop * second)
        result = ctx.reduced(None, simulator, [step], stop, record=names)
        before = result.traces.index < stop * 1e3
        return {c: complex((result.traces[c][before].iloc[-1] - result.traces[c].iloc[0]) * 1e-3 / AMPLITUDE)
                for c in names}
    duration = settle + max(PERIODS / frequency, MEASURED)
    sine = Sine("soma", AMPLITUDE * amp, frequency * Hz, 0 * second, duration * second)
    result = ctx.reduced(None, simulator, [sine], duration, record=names)
    return {c: measure_impedance(result, c, sine) for c in names}

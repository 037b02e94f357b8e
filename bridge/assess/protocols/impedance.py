"""Impedance at the frequencies of ``impedance_frequencies_hz`` (default 0, 10 and 100 Hz):
amplitude and phase of the transfer impedance from the soma's centre to every segment of
each region, and of every segment's input impedance, on the reference (NEURON's
``Impedance``), against the reduced model's response to a sinusoidal current into its soma
(transfer) and into each compartment (input), simulated in each simulator (0 Hz: a small
step; bridge.assess.impedance). The reduced model's conductance matrix gives the same
numbers analytically; they are kept beside the simulated ones in the protocol's table. Phase: angle(Z) in radians, negative when the voltage lags the current,
continuous from 0 Hz (a distal lag may pass -pi), on the reference as on the reduced model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..judge import Spread
from .base import Context, Outcome, Protocol

#: Sinusoid amplitude (A): small, so that any active membrane stays linear.
AMPLITUDE = 5e-12
#: Periods of the lowest frequency fitted after the transient: one whole period keeps the
#: frequencies' components orthogonal (a noise-free linear response needs no more).
PERIODS = 1


class Impedance(Protocol):
    name = "impedance"
    title = "Impedance: transfer from the soma to every site, and each site's input impedance"
    features = ("transfer_impedance_amplitude", "transfer_impedance_phase", "input_impedance_amplitude",
                "input_impedance_phase")
    settings = {"impedance_frequencies_hz": [0.0, 10.0, 100.0]}

    def run(self, ctx: Context) -> Outcome:
        from ...neuron.reference_impedance import reference_impedance
        case = ctx.case
        frequencies = [float(f) for f in ctx.setting("impedance_frequencies_hz")]
        segments = reference_impedance(case.reference, case.mapping, frequencies)
        names = list(case.mapping)
        soma = case.model.soma.name
        records = [r for f in frequencies for r in _matrix_records(case.model, f, soma, names)]
        for sim in ctx.simulators:
            transfer = _simulated(ctx, sim, frequencies, soma, names)   # {frequency: {site: Z}}
            inputs = {c: transfer if c == soma else _simulated(ctx, sim, frequencies, c, [c]) for c in names}
            for f in frequencies:
                records += [_record(case.model, sim, "transfer", f, soma, c, z) for c, z in transfer[f].items()]
                records += [_record(case.model, sim, "input", f, c, c, inputs[c][f][c]) for c in names]
        table = pd.DataFrame(records)
        outcome = Outcome(tables={"impedance": table, "impedance_segments": segments})
        for frequency in frequencies:
            at = segments[segments["frequency_hz"] == frequency]
            condition = f"{frequency:g} Hz"
            for sim in ctx.simulators:
                for kind in ("transfer", "input"):
                    reduced = table[(table["who"] == sim) & (table["kind"] == kind)
                                    & (table["frequency_hz"] == frequency)].set_index("site")
                    for c in names:
                        part = at[at["compartment"] == c]
                        note = "from the soma" if kind == "transfer" else "at the site"
                        outcome.rows.append(ctx.row(self.name, f"{kind}_impedance_amplitude", c, condition, "MOhm",
                                                    sim, Spread(tuple(part[f"{kind}_amplitude_mohm"])),
                                                    reduced.loc[c, "amplitude_mohm"], note=note))
                        if frequency > 0:  # at 0 Hz both phases are 0 by definition: nothing to test
                            outcome.rows.append(ctx.row(self.name, f"{kind}_impedance_phase", c, condition, "rad",
                                                        sim, Spread(tuple(part[f"{kind}_phase_rad"])),
                                                        reduced.loc[c, "phase_rad"], note=note))
        return outcome


def _matrix_records(model, frequency: float, soma: str, names: list[str]) -> list[dict]:
    """The conductance matrix's transfer (from the soma) and input impedances."""
    from ...model.electrical import impedance_between
    return [_record(model, "matrix", kind, frequency, source, c, impedance_between(model, c, source, frequency))
            for kind in ("transfer", "input") for c in names for source in [soma if kind == "transfer" else c]]


def _record(model, who: str, kind: str, frequency: float, inject: str, site: str, z: complex) -> dict:
    """One impedance row; the phase continuous from 0 Hz: the matrix's, plus the value's
    small difference from it (a distal lag can pass -pi, where np.angle would wrap)."""
    from ...model.electrical import impedance_between, impedance_phase
    expected = impedance_between(model, site, inject, frequency)
    return {"who": who, "kind": kind, "frequency_hz": frequency, "site": site, "amplitude_mohm": abs(z) / 1e6,
            "phase_rad": impedance_phase(model, site, inject, frequency) + float(np.angle(z / expected))}


def _simulated(ctx: Context, simulator: str, frequencies: list[float], inject: str, names: list[str]) -> dict:
    """Impedance (complex, ohm) from ``inject`` to each of ``names`` at every frequency, from
    one simulation: a step (0 Hz) and a sine per frequency into ``inject`` at once, after the
    transient the response fitted as an offset plus a sine and cosine per frequency over
    whole periods of them all (the system is linear, and whole periods make the components
    orthogonal). bridge.assess.impedance.measure_impedances."""
    from brian2.units import second

    from ..impedance import impedance_stimuli, measure_impedances
    stimuli, settle = impedance_stimuli(ctx.case.model, inject, frequencies, AMPLITUDE, PERIODS)
    duration = max(s.stop for s in stimuli)
    result = ctx.reduced(None, simulator, stimuli, duration, record=names)
    by_site = {c: measure_impedances(result, c, stimuli, settle=settle * second) for c in names}
    return {f: {c: by_site[c][f] for c in names} for f in frequencies}

"""A published cell's rheobase: the smallest somatic current step that makes it fire,
measured in NEURON from the settled cell (one settling run, kept with SaveState, then one
run per trial amplitude)."""

from __future__ import annotations

from ..errors import ModelError
from ..references.hoc_cell import PublishedCell
from .fixed_step import advance_to, fixed_step
from .hoc_cell import initial_voltage, instantiated
from .network_runtime import clamp

#: A spike is the soma crossing this voltage upwards (mV): eFEL's default threshold, the
#: one Hay's features are measured with.
SPIKE_THRESHOLD_MV = -20.0


def rheobase(ref: PublishedCell, settle_ms: float = 700.0, step_ms: float = 500.0, first_na: float = 0.05,
             largest_na: float = 6.4, relative_resolution: float = 0.01, dt_ms: float = 0.025,
             tried=None) -> float:
    """The smallest step (nA, within ``relative_resolution`` of it, the upper end of the
    last bracket) into the soma's centre, ``step_ms`` long after ``settle_ms`` at rest, for
    which the soma fires at least once during the step: from ``first_na`` doubled until it
    fires, then bisected. 0.0 when the cell fires at rest; a ModelError when it does not
    fire at ``largest_na``. ``tried(amplitude_na, fired)`` is told each trial (a large cell
    takes a minute or more a trial)."""
    obj = f"detailed cell {ref.name}"
    with instantiated(ref) as (h, built):
        soma = built.sections["soma"][0](0.5)
        with fixed_step(h, dt_ms):
            counter = h.APCount(soma)
            counter.thresh = SPIKE_THRESHOLD_MV
            h.finitialize(initial_voltage(ref) * 1e3)
            advance_to(h, settle_ms)
            if counter.n > 0:
                return 0.0
            settled = h.SaveState()
            settled.save()

            def fires(amplitude_na: float) -> bool:
                electrode = clamp(h, soma, settle_ms, settle_ms + step_ms, amplitude_na)
                settled.restore()
                counter.n = 0
                advance_to(h, settle_ms + step_ms)
                del electrode
                if tried is not None:
                    tried(amplitude_na, counter.n > 0)
                return counter.n > 0

            low, high = 0.0, first_na
            while not fires(high):
                if high >= largest_na:
                    raise ModelError(f"the cell does not fire for a {step_ms:g} ms somatic step of {largest_na:g} nA",
                                     obj=obj, param="rheobase",
                                     hint="check the cell's channels and initial voltage (--v-init)")
                low, high = high, 2 * high
            while high - low > relative_resolution * high:
                middle = (low + high) / 2
                low, high = (low, middle) if fires(middle) else (middle, high)
            return high

"""bridge's own runs of a detailed cell: NEURON's fixed step, taken by ``h.fadvance()``.

A published cell's files may switch CVode on (Migliore et al. 1999's ``fig_1a.hoc``:
``cvode.active(1)``) and redefine the standard run system's procedures (the same file's
``step()`` plots every step); the run system's ``continuerun`` then steps by CVode, past or
short of the time asked, through the cell's own procedures, and bridge's circuit runs went
on without end. Here CVode is off for the runs inside :func:`fixed_step` (restored after),
and :func:`advance_to` takes the same steps ``continuerun`` takes with the standard
procedures (``fadvance`` until ``t`` is within half a step of the end), calling nothing of
the cell's."""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def fixed_step(h, dt_ms: float, secondorder: int | None = None):
    """NEURON's fixed step ``dt_ms`` (and integration order, if given) with CVode off, for
    the runs inside; all three as they were after."""
    cvode = h.CVode()
    saved = h.dt, h.secondorder, cvode.active()
    cvode.active(0)
    h.dt = dt_ms
    if secondorder is not None:
        h.secondorder = secondorder
    try:
        yield
    finally:
        h.dt, h.secondorder = saved[0], saved[1]
        cvode.active(saved[2])


def advance_to(h, stop_ms: float, told=None, every_ms: float = 100.0) -> None:
    """Fixed steps until ``t`` reaches ``stop_ms`` (within half a step); ``told(fraction)``,
    if given, after each ``every_ms`` of simulated time, the last piece ending at the end."""
    mark = min(h.t + every_ms, stop_ms)
    while h.t < stop_ms - h.dt / 2:
        h.fadvance()
        if told is not None and h.t >= mark - h.dt / 2:
            told(min(h.t / stop_ms, 1.0))
            mark = min(mark + every_ms, stop_ms)

"""Several runs of a detailed cell at once, one per CPU, in worker processes.

A validation's detailed runs are independent (each builds the cell afresh, runs it and
deletes it), and on a published cell they are most of its time: the SCN2A cell's three
2.8 s steps take minutes each. A reduction's rheobase search is independent of its
circuit's runs, and as long. :class:`DetailedRuns` runs a batch of them in worker
processes (started with ``spawn``: NEURON's state must not be forked), each worker
loading the cell's mechanisms once and serving run after run; with one job, or one run,
they run here, as before. A worker's result is the run it would have been here (the same
NEURON, the same fixed step, the cell built afresh): tests/test_validation_jobs.py holds
the two equal to the last bit.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ..errors import ModelError, SimulationError


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


def _checked_jobs(jobs, obj: str) -> int:
    """``jobs`` (None: every available CPU) as a positive integer, or an error saying so."""
    if jobs is None:
        return available_cpus()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ModelError(f"{jobs!r} jobs", obj=obj, param="jobs", expected="a positive integer (1: no worker processes)")
    return jobs


@dataclass(frozen=True)
class DetailedRun:
    """One run of a detailed cell: ``bridge.neuron.detailed.run_reference``'s arguments but dt."""

    reference: object
    stimuli: tuple
    duration: float
    record: object
    synapses: tuple = ()


def _run(run: DetailedRun, dt: float):
    from .detailed import run_reference
    return run_reference(run.reference, run.stimuli, run.duration, dt, record=run.record, synapses=run.synapses)


class DetailedRuns:
    """Runs batches of :class:`DetailedRun`, and other measurements of a detailed cell, with
    up to ``jobs`` worker processes, started when first needed and kept until :meth:`close`;
    ``obj`` is who asked (a bad count is an error naming it)."""

    def __init__(self, jobs: int | None = 1, obj: str = "validation"):
        self.jobs = _checked_jobs(jobs, obj)
        self._pool: ProcessPoolExecutor | None = None

    def at_once(self, runs: int) -> int:
        """How many of a batch of ``runs`` :meth:`run` runs at once (1: one after another,
        in this process)."""
        return min(runs, self.jobs)

    def run(self, runs: list[DetailedRun], dt: float) -> list:
        """The results of ``runs`` at step ``dt`` (s), in their order."""
        if self.at_once(len(runs)) == 1:
            return [_run(run, dt) for run in runs]
        futures = [self._workers().submit(_run, run, dt) for run in runs]
        return [self._result(future) for future in futures]

    def in_worker(self, function, *args, **kwargs):
        """A callable that gives ``function(*args, **kwargs)`` (a module's function, its
        arguments picklable), computed from now on in a worker process while this one goes
        on."""
        future = self._workers().submit(function, *args, **kwargs)
        return lambda: self._result(future)

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _result(self, future):
        try:
            return future.result()
        except BrokenProcessPool:
            self.close(stop=True)
            raise SimulationError("a worker process running the detailed cell stopped without a result",
                                  obj="detailed cell", param="jobs",
                                  hint="its output above says why; --jobs 1 runs the detailed cell in this "
                                       "process") from None

    def close(self, stop: bool = False) -> None:
        """End the workers: once their work is done, or at once when ``stop`` (an error, or
        Ctrl-C, must not wait minutes for a run nobody will read)."""
        if self._pool is None:
            return
        if stop:
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=not stop, cancel_futures=True)
        self._pool = None

    def __enter__(self) -> DetailedRuns:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close(stop=kind is not None)

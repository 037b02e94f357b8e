"""The network drawn once, with numpy and each part's seed: connections (pre, post,
weight, delay) and input events (cell, time). Every simulator gets these arrays, so they
run the same network with the same input; the same seeds give the same arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from .description import NetworkDescription, Target


@dataclass(frozen=True, eq=False)
class Connections:
    """One projection's connections: indices within the populations, weights, delays (s)."""

    pre: str
    target: Target
    pre_cells: np.ndarray
    post_cells: np.ndarray
    weights: np.ndarray
    delays: np.ndarray


@dataclass(frozen=True, eq=False)
class InputEvents:
    """Events into ``target``: ``cells[k]`` receives one at ``times[k]`` (s), sorted by time,
    then cell."""

    target: Target
    cells: np.ndarray
    times: np.ndarray
    weight: float


@dataclass(frozen=True, eq=False)
class DrawnNetwork:
    description: NetworkDescription
    connections: tuple[Connections, ...]
    inputs: tuple[InputEvents, ...]
    duration: float


def draw(net: NetworkDescription, duration: float, dt: float) -> DrawnNetwork:
    """Draw ``net`` for a run of ``duration`` (s) at step ``dt`` (s): delays are rounded to
    the step and must be at least one step; input times fall on the step grid."""
    connections = []
    for proj in net.projections:
        post = net.population(proj.target.population)
        pre_n = net.population(proj.pre).n
        rng = np.random.default_rng(proj.seed)
        pre_cells, post_cells = proj.rule.draw(pre_n, post.n, rng, proj.pre == post.name)
        pre_cells, post_cells = np.asarray(pre_cells, dtype=np.int64), np.asarray(post_cells, dtype=np.int64)
        order = np.argsort(post_cells * max(pre_n, 1) + pre_cells, kind="stable")   # by post, then pre
        pre_cells, post_cells = pre_cells[order], post_cells[order]
        weights = proj.weight.draw(len(pre_cells), rng)
        delays = np.round(proj.delay.draw(len(pre_cells), rng) / dt) * dt
        if len(delays) and delays.min() < dt * (1 - 1e-9):
            raise ModelError(f"a delay of {delays.min() * 1e3:g} ms is below one time step ({dt * 1e3:g} ms)",
                             obj=f"projection {proj.pre}->{post.name}", param="delay",
                             expected=f"delays >= {dt * 1e3:g} ms",
                             hint="spikes need at least one step to travel (NEURON's ParallelContext)")
        connections.append(Connections(proj.pre, proj.target, pre_cells, post_cells,
                                       weights, delays))
    inputs = []
    for inp in net.poisson:
        n = net.population(inp.target.population).n
        rng = np.random.default_rng(inp.seed)
        counts = rng.poisson(inp.rate * inp.n_sources * duration, n)   # merged trains of n_sources sources
        cells = np.repeat(np.arange(n), counts)
        times = rng.uniform(0.0, duration, counts.sum())
        inputs.append(_events(inp.target, cells, times, inp.weight, dt, duration))
    for inp in net.trains:
        cells = np.concatenate([np.full(len(ts), k) for k, ts in enumerate(inp.times)] or [np.array([], int)])
        times = np.concatenate([np.asarray(ts, dtype=float) for ts in inp.times] or [np.array([])])
        inputs.append(_events(inp.target, cells.astype(int), times, inp.weight, dt, duration))
    return DrawnNetwork(net, tuple(connections), tuple(inputs), duration)


def _events(target: Target, cells: np.ndarray, times: np.ndarray, weight: float, dt: float,
            duration: float) -> InputEvents:
    steps = np.round(np.asarray(times) / dt)
    times = steps * dt
    keep = (times >= 0) & (times < duration)
    cells, steps, times = cells[keep], steps[keep].astype(np.int64), times[keep]
    if np.all(cells[1:] >= cells[:-1]):     # in cell order already: a stable sort by time keeps it within a step
        order = stable_order(steps)
    else:
        span = int(cells.max()) + 1 if len(cells) else 1
        order = np.argsort(steps * span + cells, kind="stable")    # by time, then cell
    return InputEvents(target, cells[order], times[order], float(weight))


def stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for non-negative integer keys below 2**32, in
    linear time: numpy sorts 16-bit integers stably by radix, so one pass on the low 16
    bits and, for larger keys, a second on the high 16 (least significant digit first).
    At a million cells' 2 * 10^8 input events it takes seconds where a comparison sort
    takes most of a minute."""
    keys = np.asarray(keys)
    if len(keys) == 0:
        return np.zeros(0, dtype=np.intp)
    if keys.min() < 0 or keys.max() >= 1 << 32:
        return np.argsort(keys, kind="stable")
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    if keys.max() >= 1 << 16:
        order = order[np.argsort((keys[order] >> 16).astype(np.uint16), kind="stable")]
    return order

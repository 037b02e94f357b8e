"""Building and running a drawn network in NEURON, with NEURON and numpy only.

``bridge.simulate_network`` runs networks through this module, and ``bridge emit
neuron-network`` copies it, unchanged, beside the emitted cells, so a standalone network
runs the same code. It imports nothing of bridge.

``data`` holds the drawn network as plain values (:func:`bridge.network.run_neuron.network_data`):
``populations`` (name, size), the projections' ``pre``/``post`` population names,
``compartment``, ``synapse`` and their ``pre_cells``, ``post_cells``, ``weights``,
``delays_ms``; the inputs' target and ``cells``, ``times_ms``, ``weight``; the current
steps; the recorded cells; ``dt_ms``, ``duration_ms`` and ``input_delay_steps``.

Each cell is one gid (a global index over the populations), dealt round-robin over the
ranks (:func:`on_rank`); a rank reads only the rows of its own cells, so ``data`` may hold
just those (:func:`share`: ``bridge.simulate_network`` hands each rank its share, and a
standalone directory's rank 0 deals them, :func:`scatter`) and what a rank keeps grows
with its share, not with the network. What was built is summed into a fingerprint
(:func:`fingerprint`) that ranks add up, so no rank gathers the others' connections.

A NetCon with the drawn delay delivers an event in the step where Brian 2 delivers it;
input events are played by a PatternStim on each rank, ``input_delay_steps - 1`` steps
early with a delay of ``input_delay_steps`` (ParallelContext needs delays of at least one
step, CoreNEURON two), so they too arrive where Brian 2 applies them.
"""

import numpy as np


def register(h, pc, cells) -> list:
    """Give every cell its gid and spike source (CoreNEURON needs both, even for a cell
    that never spikes: its source watches v with an unreachable threshold)."""
    sources = []
    for cell in cells:
        source = cell.spike_source()
        if source is None:
            soma = next(iter(cell.sections.values()))
            source = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
            source.threshold = 1e9
        pc.set_gid2node(cell.gid, pc.id())
        pc.cell(cell.gid, source)
        sources.append(source)
    return sources


def clamp(h, segment, start_ms: float, stop_ms: float, amplitude_na: float):
    """A current step into ``segment`` (an IClamp, to keep alive)."""
    electrode = h.IClamp(segment)
    electrode.delay, electrode.dur, electrode.amp = start_ms, stop_ms - start_ms, amplitude_na
    return electrode


def offsets(populations) -> dict:
    """The first gid of each population of ``populations`` ([(name, size)], in order)."""
    out, start = {}, 0
    for name, n in populations:
        out[name] = start
        start += n
    return out


def on_rank(gids, rank: int, ranks: int):
    """Which of ``gids`` (an array) live on ``rank`` of ``ranks``: the round-robin deal."""
    return np.asarray(gids, dtype=np.int64) % ranks == rank


def share(data, rank: int, ranks: int) -> dict:
    """The part of ``data`` that ``rank`` of ``ranks`` builds: the connections onto its
    cells and the input events into them (the rest as it is)."""
    first = offsets(data["populations"])

    def rows(part, population, cells, columns):
        mine = np.flatnonzero(on_rank(first[population] + np.asarray(part[cells], dtype=np.int64), rank, ranks))
        return {**part, **{key: np.asarray(part[key])[mine] for key in columns}}

    return {**data,
            "projections": [rows(p, p["post"], "post_cells", ("pre_cells", "post_cells", "weights", "delays_ms"))
                            for p in data["projections"]],
            "inputs": [rows(i, i["population"], "cells", ("cells", "times_ms")) for i in data["inputs"]]}


def scatter(pc, data) -> dict:
    """This rank's share of ``data``, which only rank 0 needs to hold (the others pass
    None): rank 0 deals the shares, so no other rank ever holds the whole network."""
    ranks = int(pc.nhost())
    if ranks == 1:
        return data
    outgoing = [share(data, rank, ranks) for rank in range(ranks)] if int(pc.id()) == 0 else [None] * ranks
    return pc.py_alltoall(outgoing)[0]


def build(h, pc, data, classes, method: str = "crank_nicolson"):
    """This rank's cells of ``data`` (``classes``: population name -> cell class), their
    connections, inputs, current steps, spike and voltage recordings. Returns a dict that
    keeps every NEURON object alive, and the fingerprints of what was built."""
    rank, ranks = int(pc.id()), int(pc.nhost())
    first, dt_ms = offsets(data["populations"]), data["dt_ms"]
    total = sum(n for _, n in data["populations"])
    cells = {}
    for name, n in data["populations"]:
        for i in range(n):
            gid = first[name] + i
            if gid % ranks == rank:
                cell = classes[name](gid=gid, seed=0)
                cell.set_integrator(dt_ms, method)
                cells[gid] = (name, i, cell)
    keep = register(h, pc, [c for *_, c in cells.values()])
    built = [[], [], [], [], []]     # projection, pre, post, weight, delay (steps): as NEURON holds them
    for k, proj in enumerate(data["projections"]):
        pre0, post0 = first[proj["pre"]], first[proj["post"]]
        key = (proj["compartment"], proj["synapse"])
        post_cells = np.asarray(proj["post_cells"], dtype=np.int64)
        mine = np.flatnonzero(on_rank(post0 + post_cells, rank, ranks))
        pre_cells = np.asarray(proj["pre_cells"], dtype=np.int64)[mine]
        weights = np.asarray(proj["weights"], dtype=float)[mine]
        delays = np.asarray(proj["delays_ms"], dtype=float)[mine]
        for pre, post, weight, delay in zip(pre_cells.tolist(), post_cells[mine].tolist(), weights.tolist(),
                                            delays.tolist()):
            netcon = pc.gid_connect(pre0 + pre, cells[post0 + post][2].synapses[key])
            netcon.weight[0] = weight
            netcon.delay = delay
            keep.append(netcon)
            for column, value in zip(built, (k, int(netcon.srcgid()) - pre0, post, netcon.weight[0],
                                             round(netcon.delay / dt_ms))):
                column.append(value)
    played = []
    keep += _play(h, pc, data, cells, first, total, played)
    for step in data["steps"]:
        keep += [clamp(h, cell.sections[step["compartment"]](0.5), step["start_ms"], step["stop_ms"], step["nA"])
                 for name, _, cell in cells.values() if name == step["population"]]
    spike_t, spike_gid = h.Vector(), h.Vector()
    pc.spike_record(-1, spike_t, spike_gid)
    recorded = {}
    for rec in data["recordings"]:
        for i in rec["cells"]:
            gid = first[rec["population"]] + i
            if gid in cells:
                recorded[(rec["population"], i)] = {c: cells[gid][2].record(c, None) for c in rec["compartments"]}
    keep.append(h.FInitializeHandler(0, lambda: [c.initialize_voltages() for *_, c in cells.values()]))
    return {"keep": keep, "cells": cells, "spike_t": spike_t, "spike_gid": spike_gid, "recorded": recorded,
            "built": fingerprint(*built), "played": fingerprint(*(np.concatenate(c) for c in zip(*played)))}


def _play(h, pc, data, cells, first, total, played) -> list:
    """Input ``k`` into cell ``gid`` fires as the virtual gid ``total * (k + 1) + gid``;
    ``played`` gets this rank's (input, cell, step) columns."""
    rank, ranks, dt_ms = int(pc.id()), int(pc.nhost()), data["dt_ms"]
    events_gid, events_t, targets = [], [], {}
    for k, inp in enumerate(data["inputs"]):
        start, key = first[inp["population"]], (inp["compartment"], inp["synapse"])
        cell = np.asarray(inp["cells"], dtype=np.int64)
        mine = np.flatnonzero(on_rank(start + cell, rank, ranks))
        cell, times = cell[mine], np.asarray(inp["times_ms"], dtype=float)[mine]
        virtual = total * (k + 1) + start + cell
        events_gid.append(virtual)
        events_t.append(times)
        played.append((np.full(len(cell), k), cell, np.round(times / dt_ms)))
        for gid in np.unique(start + cell).tolist():
            targets[total * (k + 1) + gid] = [(cells[gid][2].synapses[key], inp["weight"])]
    events = (np.concatenate(events_gid), np.concatenate(events_t)) if events_gid else ([], [])
    return play_events(h, pc, events, targets, dt_ms, data["input_delay_steps"])


def play_events(h, pc, events, targets, dt_ms: float, lead: int) -> list:
    """Play ``events`` (arrays of virtual gids and times in ms) through one PatternStim into ``targets``
    (virtual gid -> [(point process, weight)]): each is played ``lead - 1`` steps early
    with a NetCon delay of ``lead`` steps (see the module docstring). Returns the objects
    to keep alive."""
    keep = []
    for virtual, receivers in targets.items():
        for receiver, weight in receivers:
            netcon = pc.gid_connect(virtual, receiver)
            netcon.weight[0] = weight
            netcon.delay = lead * dt_ms
            keep.append(netcon)
    gids, times = np.asarray(events[0], dtype=float), np.asarray(events[1], dtype=float)
    if not len(gids):
        return keep
    times = np.maximum(times - (lead - 1) * dt_ms, 0.0)
    order = np.argsort(times, kind="stable")
    tvec, gidvec = h.Vector(times[order]), h.Vector(gids[order])
    pattern = h.PatternStim()
    pattern.play(tvec, gidvec)
    return keep + [tvec, gidvec, pattern]


def results(pc, data, built) -> dict:
    """Spikes (gid, time in ms) of every rank, recorded voltages, the count and
    fingerprint of the connections and input events every rank built, and each rank's
    peak memory; the same on every rank."""
    steps = int(round(data["duration_ms"] / data["dt_ms"]))
    local = {"t": np.array(built["spike_t"].to_python()), "gid": np.array(built["spike_gid"].to_python(), dtype=int),
             "built": built["built"], "played": built["played"], "peak_rss_mib": peak_memory_mib(),
             "traces": {k: {c: np.array(v.values())[:steps] for c, v in vectors.items()}
                        for k, vectors in built["recorded"].items()}}
    gathered = pc.py_allgather(local) if int(pc.nhost()) > 1 else [local]
    total = sum(n for _, n in data["populations"])
    t = np.concatenate([g["t"] for g in gathered])
    gid = np.concatenate([g["gid"] for g in gathered])
    keep = (t < data["duration_ms"]) & (gid < total)
    return {"t": t[keep], "gid": gid[keep], "traces": {k: v for g in gathered for k, v in g["traces"].items()},
            "built": add_fingerprints(g["built"] for g in gathered),
            "played": add_fingerprints(g["played"] for g in gathered),
            "peak_rss_mib": [g["peak_rss_mib"] for g in gathered]}


def peak_memory_mib():
    """This process's peak resident memory so far (MiB), or None where the platform does
    not say (``resource`` is POSIX's)."""
    try:
        import resource
        import sys
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)   # bytes on macOS, KiB on Linux


#: 2**64, the modulus of a fingerprint's sum.
_WORD = 1 << 64


def _mix(x):
    """splitmix64's finaliser on an array of uint64 (wrapping arithmetic)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def fingerprint(*columns) -> tuple[int, int]:
    """``(rows, sum of the rows' hashes mod 2**64)`` of rows given column by column
    (numbers: indices, weights, delays in steps). Each number counts to 40 significant
    bits (about 12 decimal digits, so a weight read back from a simulator's own storage
    matches the drawn one), and the sum does not depend on the rows' order, so parts built
    on different ranks add up (:func:`add_fingerprints`) to the whole's."""
    if not columns or not len(columns[0]):
        return 0, 0
    with np.errstate(over="ignore"):
        row = np.zeros(len(columns[0]), dtype=np.uint64)
        for column in columns:
            mantissa, exponent = np.frexp(np.asarray(column, dtype=float))
            word = (np.round(mantissa * 2.0 ** 40).astype(np.int64) * 4096 + exponent + 2048).astype(np.uint64)
            row = _mix(row * np.uint64(0x9E3779B97F4A7C15) + word)
        return len(row), int(row.sum(dtype=np.uint64))


def add_fingerprints(parts) -> tuple[int, int]:
    """The fingerprint of the union of disjoint parts' rows."""
    rows, total = 0, 0
    for n, s in parts:
        rows, total = rows + n, (total + s) % _WORD
    return rows, total


def locate(data, gids) -> tuple:
    """Population name and index within it of each gid."""
    first = offsets(data["populations"])
    starts = np.array([first[name] for name, _ in data["populations"]])
    which = np.searchsorted(starts, gids, side="right") - 1
    names = np.array([name for name, _ in data["populations"]], dtype=object)[which]
    return names, np.asarray(gids) - starts[which]

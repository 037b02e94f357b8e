"""Reading an SWC file into unbranched pieces, the form both simulators build from.

SWC convention (NeuroMorpho's standardised files): a one-point soma is a sphere around
that point, and a dendrite attached to it starts at its own first point; the line from
the soma's centre to that point lies mostly inside the soma and is not membrane. NEURON's
Import3d reads files this way; bridge builds Brian 2 morphologies the same way, so the
two references describe the same membrane.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError


@dataclass(frozen=True)
class Branch:
    """An unbranched piece: ``points`` (k x 3, um) and ``diameters`` (k, um) from its start
    (its parent's last point, or its own first point on the soma) to its end; ``parent`` is
    the index of the parent branch (-1 for the soma); ``kind`` the SWC type of its points."""

    points: np.ndarray
    diameters: np.ndarray
    parent: int
    kind: int


@dataclass(frozen=True)
class SWCMorphology:
    """A soma (centre in um, diameter in um) and the branches of an SWC file."""

    soma_center: np.ndarray
    soma_diameter: float
    branches: tuple[Branch, ...]


def read_swc(path) -> SWCMorphology:
    """Parse ``path``; malformed lines, a missing or multi-point soma, and unknown parents
    raise :class:`~bridge.errors.ModelError` naming the line."""
    path = Path(path)
    samples: dict[int, tuple[int, np.ndarray, float, int]] = {}
    order: list[int] = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        text = line.split("#")[0].strip()
        if not text:
            continue
        fields = text.split()
        try:
            ident, kind = int(fields[0]), int(fields[1])
            xyz = np.array([float(v) for v in fields[2:5]])
            radius, parent = float(fields[5]), int(fields[6])
        except (ValueError, IndexError):
            raise ModelError(f"line {number} is not 'id type x y z radius parent'", obj=str(path),
                             param="SWC", hint="check the file is an SWC morphology") from None
        if parent != -1 and parent not in samples:
            raise ModelError(f"line {number}: parent {parent} is not defined before it", obj=str(path),
                             param="SWC")
        samples[ident] = (kind, xyz, radius, parent)
        order.append(ident)
    somas = [i for i in order if samples[i][0] == 1]
    if len(somas) != 1 or samples[somas[0]][3] != -1:
        raise ModelError(f"{len(somas)} soma points", obj=str(path), param="SWC",
                         expected="one soma point (type 1) as the root")
    root = somas[0]
    children: dict[int, list[int]] = {i: [] for i in order}
    for i in order:
        if samples[i][3] != -1:
            children[samples[i][3]].append(i)
    branches: list[Branch] = []
    pending = [(child, -1, None) for child in children[root]]
    while pending:
        first, parent_branch, start = pending.pop(0)
        ids = [first]
        while len(children[ids[-1]]) == 1:
            ids.append(children[ids[-1]][0])
        pts = [samples[i][1] for i in ids]
        diams = [2 * samples[i][2] for i in ids]
        if start is not None:
            pts, diams = [start[0]] + pts, [start[1]] + diams
        elif len(ids) == 1:  # a one-point dendrite on the soma: start it at the soma's surface
            centre, radius = samples[root][1], samples[root][2]
            direction = (pts[0] - centre) / np.linalg.norm(pts[0] - centre)
            pts, diams = [centre + radius * direction] + pts, [diams[0]] + diams
        branches.append(Branch(np.array(pts), np.array(diams), parent_branch, samples[first][0]))
        here = len(branches) - 1
        pending += [(child, here, (pts[-1], diams[-1])) for child in children[ids[-1]]]
    return SWCMorphology(samples[root][1], 2 * samples[root][2], tuple(branches))

"""Connection rules and value distributions of a network, drawn once with numpy.

A rule turns population sizes and a seeded generator into ``(pre, post)`` index arrays; a
distribution turns a count and a generator into values. bridge draws both before any
simulator sees the network, so Brian 2 and NEURON get the same connections, weights and
delays. Within one population (recurrent connections) a cell is never connected to
itself, except by :class:`FromList`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError

#: Uniform numbers drawn at once by FixedProbability (a block of rows of its pair matrix).
_BLOCK = 1 << 22


def _pairs_without_self(pre: np.ndarray, post: np.ndarray, recurrent: bool) -> tuple[np.ndarray, np.ndarray]:
    if not recurrent:
        return pre, post
    keep = pre != post
    return pre[keep], post[keep]


@dataclass(frozen=True)
class AllToAll:
    """Every presynaptic cell onto every postsynaptic cell."""

    def draw(self, n_pre: int, n_post: int, rng, recurrent: bool):
        pre, post = np.meshgrid(np.arange(n_pre), np.arange(n_post), indexing="ij")
        return _pairs_without_self(pre.ravel(), post.ravel(), recurrent)

    def to_dict(self) -> dict:
        return {"rule": "all_to_all"}


@dataclass(frozen=True)
class FixedProbability:
    """Each pair connected independently with probability ``p``."""

    p: float

    def __post_init__(self):
        if isinstance(self.p, bool) or not isinstance(self.p, (int, float)) or not 0 <= self.p <= 1:
            raise ModelError(f"probability {self.p!r}", obj="FixedProbability", param="p", expected="a number in [0, 1]")

    def draw(self, n_pre: int, n_post: int, rng, recurrent: bool):
        # one uniform number per pair, row after row: drawn in blocks of rows, so memory stays
        # bounded for large populations and the numbers (and the connections) are the ones a
        # single (n_pre, n_post) draw would give
        rows = max(1, _BLOCK // max(n_post, 1))
        pre, post = [], []
        for start in range(0, n_pre, rows):
            block_pre, block_post = np.nonzero(rng.random((min(rows, n_pre - start), n_post)) < self.p)
            pre.append(block_pre + start)
            post.append(block_post)
        empty = [np.array([], dtype=np.int64)]
        return _pairs_without_self(np.concatenate(pre or empty), np.concatenate(post or empty), recurrent)

    def to_dict(self) -> dict:
        return {"rule": "fixed_probability", "p": float(self.p)}


def _count(k, cls: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ModelError(f"{k!r}", obj=cls, param="k", expected="an integer >= 0")
    return int(k)


def _fixed_degree(k: int, n_fixed: int, n_other: int, rng, recurrent: bool, cls: str, other: str):
    """``k`` distinct partners among ``n_other`` cells for each of ``n_fixed`` cells:
    ``(fixed side, other side)`` index arrays. Each cell's partners are ``k`` draws without
    replacement from its candidates (every other-side cell, itself excepted when
    ``recurrent``), by position among them: the generator's work per cell grows with ``k``,
    not with the population."""
    possible = n_other - 1 if recurrent and n_fixed > 0 and n_other > 0 else n_other
    if n_fixed and k > possible:
        raise ModelError(f"{k} connections per cell from {possible} possible {other} cells", obj=cls,
                         param="k", expected=f"k <= {possible}")
    chosen = np.empty((n_fixed, k), dtype=np.int64)
    for i in range(n_fixed):
        chosen[i] = rng.choice(possible, size=k, replace=False)
    if recurrent:   # position among the candidates -> cell: positions from i on skip cell i
        chosen += chosen >= np.arange(n_fixed)[:, None]
    return np.repeat(np.arange(n_fixed), k), chosen.ravel()


@dataclass(frozen=True)
class FixedInDegree:
    """Each postsynaptic cell receives ``k`` connections from distinct presynaptic cells."""

    k: int

    def __post_init__(self):
        object.__setattr__(self, "k", _count(self.k, "FixedInDegree"))

    def draw(self, n_pre: int, n_post: int, rng, recurrent: bool):
        post, pre = _fixed_degree(self.k, n_post, n_pre, rng, recurrent, "FixedInDegree", "presynaptic")
        return pre, post

    def to_dict(self) -> dict:
        return {"rule": "fixed_in_degree", "k": self.k}


@dataclass(frozen=True)
class FixedOutDegree:
    """Each presynaptic cell makes ``k`` connections onto distinct postsynaptic cells."""

    k: int

    def __post_init__(self):
        object.__setattr__(self, "k", _count(self.k, "FixedOutDegree"))

    def draw(self, n_pre: int, n_post: int, rng, recurrent: bool):
        return _fixed_degree(self.k, n_pre, n_post, rng, recurrent, "FixedOutDegree", "postsynaptic")

    def to_dict(self) -> dict:
        return {"rule": "fixed_out_degree", "k": self.k}


@dataclass(frozen=True)
class FromList:
    """Exactly the ``(pre, post)`` index pairs given."""

    pairs: tuple[tuple[int, int], ...]

    def __post_init__(self):
        try:
            pairs = tuple((int(i), int(j)) for i, j in self.pairs)
        except (TypeError, ValueError):
            raise ModelError(f"{self.pairs!r} is not a list of (pre, post) index pairs", obj="FromList",
                             param="pairs", expected="[(0, 1), (2, 0), ...]") from None
        object.__setattr__(self, "pairs", pairs)

    def draw(self, n_pre: int, n_post: int, rng, recurrent: bool):
        array = np.array(self.pairs, dtype=int).reshape(-1, 2)
        bad = (array[:, 0] < 0) | (array[:, 0] >= n_pre) | (array[:, 1] < 0) | (array[:, 1] >= n_post)
        if bad.any():
            i, j = array[np.argmax(bad)]
            raise ModelError(f"pair ({i}, {j}) is outside the populations ({n_pre} -> {n_post} cells)",
                             obj="FromList", param="pairs", expected="indices 0 <= pre < n_pre, 0 <= post < n_post")
        return array[:, 0], array[:, 1]

    def to_dict(self) -> dict:
        return {"rule": "from_list", "pairs": [list(p) for p in self.pairs]}


RULES = {"all_to_all": AllToAll, "fixed_probability": FixedProbability, "fixed_in_degree": FixedInDegree,
         "fixed_out_degree": FixedOutDegree, "from_list": FromList}


def rule_from_dict(data: dict):
    kind = data.get("rule")
    if kind not in RULES:
        raise ModelError(f"unknown rule {kind!r}", obj="network file", param="rule", expected=", ".join(RULES))
    return RULES[kind](**{k: v for k, v in data.items() if k != "rule"})


# -- distributions --------------------------------------------------------------------------

@dataclass(frozen=True)
class Uniform:
    """Values drawn uniformly from ``[low, high)`` (SI numbers, or quantities when built
    with :func:`bridge.network.Uniform`)."""

    low: float
    high: float

    def draw(self, n: int, rng) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    def to_dict(self) -> dict:
        return {"distribution": "uniform", "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Normal:
    """Values drawn from a normal distribution, redrawn below ``minimum`` (SI numbers)."""

    mean: float
    sd: float
    minimum: float | None = None

    def draw(self, n: int, rng) -> np.ndarray:
        values = rng.normal(self.mean, self.sd, n)
        if self.minimum is not None:
            for _ in range(1000):
                low = values < self.minimum
                if not low.any():
                    break
                values[low] = rng.normal(self.mean, self.sd, int(low.sum()))
            values = np.maximum(values, self.minimum)
        return values

    def to_dict(self) -> dict:
        return {"distribution": "normal", "mean": self.mean, "sd": self.sd, "minimum": self.minimum}


@dataclass(frozen=True)
class Constant:
    value: float

    def draw(self, n: int, rng) -> np.ndarray:
        return np.full(n, self.value, dtype=float)

    def to_dict(self) -> dict:
        return {"distribution": "constant", "value": self.value}


def distribution_from_dict(data: dict):
    kinds = {"uniform": Uniform, "normal": Normal, "constant": Constant}
    kind = data.get("distribution")
    if kind not in kinds:
        raise ModelError(f"unknown distribution {kind!r}", obj="network file", param="distribution",
                         expected=", ".join(kinds))
    return kinds[kind](**{k: v for k, v in data.items() if k != "distribution"})

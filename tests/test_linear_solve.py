"""bridge.mechanisms.linear_solve: Gaussian elimination written out, against numpy."""

import numpy as np
import pytest

from bridge.mechanisms.linear_solve import Algebra, solve


def _numbers(log: list) -> Algebra:
    def temp(label, value):
        log.append(label)
        return value
    return Algebra(add=lambda x, y: x + y, sub=lambda x, y: x - y, mul=lambda x, y: x * y,
                   div=lambda x, y: x / y, neg=lambda x: -x, temp=temp)


def test_a_sparse_system_is_solved_and_its_zeros_never_computed():
    rng = np.random.default_rng(3)
    n = 7
    dense = np.zeros((n, n))
    for i in range(n):   # a ring with a chord: the structure of a Markov channel
        dense[i, (i + 1) % n] = -rng.uniform(0.1, 5)
        dense[(i + 1) % n, i] = -rng.uniform(0.1, 5)
    dense[0, 3] = dense[3, 0] = -1.0
    dense[np.diag_indices(n)] = 1 + np.abs(dense).sum(axis=0)
    rhs = rng.uniform(-1, 1, n)
    log: list = []
    found = solve({(i, j): dense[i, j] for i in range(n) for j in range(n) if dense[i, j]}, list(rhs), _numbers(log))
    assert np.allclose(found, np.linalg.solve(dense, rhs), rtol=1e-13, atol=0)
    full: list = []
    solve({(i, j): dense[i, j] or 1e-300 for i in range(n) for j in range(n)}, list(rhs), _numbers(full))
    assert len(log) < len(full)   # entries that are structurally zero cost nothing


def test_a_zero_pivot_is_an_error():
    with pytest.raises(ValueError, match="pivot 1"):
        solve({(0, 0): 1.0, (1, 0): 1.0}, [1.0, 2.0], _numbers([]))

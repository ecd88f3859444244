"""The greedy heuristic for logger placement, reported beside the exact optimum.

At each step the greedy picks the site whose logger hears the most still-needed
weight per unit cost (lazy evaluation: a site's gain can only fall as others
are picked, so a stale gain is an upper bound).  It answers the same three
questions as :mod:`leakopt.placement` (cover, share, budget) and is the
classical (1 - 1/e)-approximation of the budget model; the ILP never needs
more loggers than it for the same target.
"""
from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
import pandas as pd

from leakopt.errors import InputError


def greedy_cover(coverage, weights, *, target_share: float | None = None, budget: float | None = None,
                 redundancy: int = 1, required: Sequence[str] | None = None,
                 cost: pd.Series | None = None) -> np.ndarray:
    """Greedy answer to the placement problem :func:`leakopt.placement.build_model` states.

    Parameters
    ----------
    coverage : Coverage
    weights : array-like, one per segment
        Segment weights (cover model: every segment with weight > 0 must be heard).
    target_share, budget, redundancy, required, cost
        As in :func:`leakopt.placement.build_model`.

    Returns
    -------
    ndarray of int
        Rows of ``coverage.sites`` chosen, in the order picked (required first).
    """
    w = np.asarray(weights, dtype=float)
    matrix = coverage.matrix.tocsr()
    costs = _costs(coverage, cost)
    remaining = np.where(w > 0, np.minimum(int(redundancy), coverage.hearing_count), 0).astype(np.int64)
    total = w.sum()
    picked, state = [], {"covered": 0.0, "spent": 0.0}
    ptr, idx = matrix.indptr, matrix.indices

    def gain(i):
        segs = idx[ptr[i]:ptr[i + 1]]
        return w[segs][remaining[segs] > 0].sum()

    def take(i):
        segs = idx[ptr[i]:ptr[i + 1]]
        was = remaining[segs] > 0
        remaining[segs] = np.maximum(remaining[segs] - 1, 0)
        state["covered"] += w[segs][was & (remaining[segs] == 0)].sum()
        state["spent"] += costs[i]
        picked.append(int(i))

    for i in _required_rows(coverage, required):
        take(i)
    chosen = set(picked)
    heap = [(-gain(i) / max(costs[i], 1e-12), i) for i in range(matrix.shape[0]) if i not in chosen]
    heapq.heapify(heap)
    while heap and not _done(state, remaining, target_share, budget, total):
        neg, i = heapq.heappop(heap)
        if budget is not None and state["spent"] + costs[i] > budget + 1e-9:
            continue
        fresh = gain(i) / max(costs[i], 1e-12)
        if fresh <= 0:
            continue
        if heap and fresh < -heap[0][0] - 1e-15:
            heapq.heappush(heap, (-fresh, i))
            continue
        take(i)
    return np.array(picked, dtype=np.int64)


def _done(state, remaining, target_share, budget, total) -> bool:
    if target_share is not None:
        return state["covered"] >= target_share * total - 1e-12
    if budget is not None:
        return False  # stops when nothing more fits or nothing more helps
    return not (remaining > 0).any()


def _costs(coverage, cost) -> np.ndarray:
    if cost is None:
        return np.ones(len(coverage.sites))
    c = pd.Series(cost)
    c.index = c.index.astype(str)
    out = coverage.sites["node_id"].astype(str).map(c).to_numpy(float)
    if np.isnan(out).any() or (out < 0).any():
        raise InputError("cost must give a value >= 0 for every candidate site (indexed by node ID)")
    return out


def _required_rows(coverage, node_ids) -> np.ndarray:
    if node_ids is None or len(node_ids) == 0:
        return np.zeros(0, np.int64)
    idx = pd.Index(coverage.sites["node_id"].astype(str))
    ids = pd.Series(list(node_ids), dtype="str")
    pos = idx.get_indexer(ids)
    if (pos < 0).any():
        raise InputError(f"required site(s) {ids[pos < 0].tolist()[:5]} are not candidate sites")
    return pos.astype(np.int64)

"""The greedy heuristic for logger placement, reported beside the exact optimum.

At each step the greedy picks the site whose logger hears the most still-needed
weight per unit cost (lazy evaluation: a site's gain can only fall as others
are picked, so a stale gain is an upper bound).  It answers the same three
questions as :mod:`leakopt.placement.solve` (cover, share, budget) and is the
classical (1 - 1/e)-approximation of the budget model; the ILP never needs
more loggers than it for the same target.
"""
from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import singular


def greedy_cover(coverage, weights, *, target_share: float | None = None, budget: float | None = None,
                 redundancy: int = 1, required: Sequence[str] | None = None,
                 cost: pd.Series | None = None, prune: bool = False) -> np.ndarray:
    """Greedy answer to the placement problem :func:`leakopt.placement.build_model` states.

    Parameters
    ----------
    coverage : Coverage
    weights : array-like, one per segment
        Segment weights (cover model: every segment with weight > 0 must be heard).
    target_share, budget, redundancy, required, cost
        As in :func:`leakopt.placement.build_model`.
    prune : bool
        Then drop the loggers the others make unnecessary (:func:`prune_cover`;
        not with a budget).  Off by default, so that the order of a cover is
        also the greedy answer for every budget (its prefixes).

    Returns
    -------
    ndarray of int
        Rows of ``coverage.sites`` chosen, in the order picked (required first).
    """
    w = np.asarray(weights, dtype=float)
    matrix = coverage.matrix.tocsr()
    costs = site_costs(coverage, cost)
    remaining = np.where(w > 0, np.minimum(int(redundancy), coverage.hearing_count), 0).astype(np.int64)
    state = {"covered": 0.0, "spent": 0.0, "open": int((remaining > 0).sum())}
    goal = None if target_share is None else target_share * w.sum() - 1e-12
    picked = []
    ptr, idx = matrix.indptr, matrix.indices

    def gain(i):
        segs = idx[ptr[i]:ptr[i + 1]]
        return w[segs][remaining[segs] > 0].sum()

    def take(i):
        segs = idx[ptr[i]:ptr[i + 1]]
        was = remaining[segs] > 0
        remaining[segs] = np.maximum(remaining[segs] - 1, 0)
        closed = was & (remaining[segs] == 0)
        state["covered"] += w[segs][closed].sum()
        state["open"] -= int(closed.sum())
        state["spent"] += costs[i]
        picked.append(int(i))

    def done():
        if goal is not None:
            return state["covered"] >= goal
        return budget is None and state["open"] == 0  # a budget stops when nothing more fits or helps

    for i in required_rows(coverage, required):
        take(i)
    heap = _initial_heap(matrix, w * (remaining > 0), costs, exclude=picked)
    while heap and not done():
        _, i = heapq.heappop(heap)
        if budget is not None and state["spent"] + costs[i] > budget + 1e-9:
            continue
        fresh = gain(i) / max(costs[i], 1e-12)
        if fresh <= 0:
            continue
        if heap and fresh < -heap[0][0] - 1e-15:
            heapq.heappush(heap, (-fresh, i))
            continue
        take(i)
    picked = np.array(picked, dtype=np.int64)
    if prune and budget is None:
        n_fixed = len(required_rows(coverage, required))
        picked = prune_cover(coverage, w, picked, target_share=target_share, redundancy=redundancy,
                             n_fixed=n_fixed, costs=costs)
    return picked


def prune_cover(coverage, weights, picked, *, target_share: float | None = None, redundancy: int = 1,
                n_fixed: int = 0, costs: np.ndarray | None = None) -> np.ndarray:
    """Drop the sites of a greedy answer that the other chosen sites make unnecessary.

    A greedy cover often keeps an early pick whose segments later picks all
    hear.  One pass over the chosen sites (after the first ``n_fixed``, the
    required ones), the least useful per unit cost first: a site goes when
    every segment still reaches its ``redundancy`` without it (cover), or when
    the weight it alone keeps heard fits in the margin above the target share.
    The answer stays feasible; the order of the kept sites is unchanged.
    """
    w = np.asarray(weights, dtype=float)
    picked = np.asarray(picked, dtype=np.int64)
    matrix = coverage.matrix.tocsr()
    ptr, idx = matrix.indptr, matrix.indices
    need = np.where(w > 0, np.minimum(int(redundancy), coverage.hearing_count), 0)
    count = heard_counts(coverage, picked)
    slack = 0.0
    if target_share is not None:
        slack = w[(need > 0) & (count >= need)].sum() - (target_share * w.sum() - 1e-12)
    costs = np.ones(matrix.shape[0]) if costs is None else np.asarray(costs, dtype=float)
    free = picked[n_fixed:]
    critical = w * ((need > 0) & (count == need))
    loss = np.asarray(matrix[free] @ critical).ravel() / np.maximum(costs[free], 1e-12)
    dropped = []
    for i in free[np.argsort(loss, kind="stable")]:
        segs = idx[ptr[i]:ptr[i + 1]]
        crit = (need[segs] > 0) & (count[segs] == need[segs])
        lost = w[segs][crit].sum()
        needed = crit.any() if target_share is None else lost > slack
        if not needed:
            count[segs] -= 1
            slack -= lost
            dropped.append(i)
    return picked[~np.isin(picked, dropped)]


def budget_bound(coverage, weights, rows, budget: int) -> float:
    """Upper bound on the weight any ``budget`` sites can hear (redundancy 1).

    Coverage is submodular: for any set ``A`` (here ``rows``), ``OPT_K <= f(A)
    + the K largest marginal gains over A`` (Nemhauser et al. 1978;
    Leskovec et al. 2007).
    """
    w = np.asarray(weights, dtype=float)
    open_w = np.where(_heard(coverage, rows), 0.0, w)
    gains = np.asarray(coverage.matrix @ open_w).ravel()
    k = min(int(budget), len(gains))
    top = np.partition(gains, len(gains) - k)[len(gains) - k:].sum() if k > 0 else 0.0
    return float(w.sum() - open_w.sum() + top)


def count_bound(coverage, weights, order, target: float, *, prefixes: int = 25) -> int:
    """Lower bound on the number of sites hearing ``target`` weight (redundancy 1).

    By the same submodularity argument, for any set ``A`` the optimum needs at
    least the fewest K with ``f(A) + (K largest gains over A) >= target``;
    the best over ``prefixes`` prefixes of the greedy ``order`` is returned.
    """
    w = np.asarray(weights, dtype=float)
    order = np.asarray(order, dtype=np.int64)
    best = 0
    for m in np.unique(np.rint(np.linspace(0, len(order), max(2, int(prefixes)))).astype(np.int64)):
        open_w = np.where(_heard(coverage, order[:m]), 0.0, w)
        reach = w.sum() - open_w.sum() + np.cumsum(np.sort(np.asarray(coverage.matrix @ open_w).ravel())[::-1])
        best = max(best, int(np.searchsorted(reach, target - 1e-9 * max(target, 1.0))) + 1)
    return best


def heard_weight(coverage, weights, rows, *, redundancy: int = 1) -> float:
    """Weight of the segments the sites ``rows`` hear as the models count it.

    A segment counts when ``min(redundancy, sites that can hear it)`` of ``rows``
    hear it (so, with ``redundancy=1``, when one does); segments no site can hear
    never count.  This is what the share and budget models of
    :func:`leakopt.placement.build_model` measure.
    """
    w = np.asarray(weights, dtype=float)
    need = np.minimum(int(redundancy), coverage.hearing_count)
    return float(w[(need > 0) & (heard_counts(coverage, rows) >= need)].sum())


def best_single_site(coverage, weights, *, redundancy: int = 1) -> int:
    """The site whose logger alone hears the most weight as :func:`heard_weight` counts it.

    One logger fulfils only the segments that need one (``min(redundancy, |S_j|) == 1``).
    """
    w = np.asarray(weights, dtype=float)
    alone = np.where(np.minimum(int(redundancy), coverage.hearing_count) == 1, w, 0.0)
    return int(np.argmax(np.asarray(coverage.matrix @ alone).ravel()))


def heard_counts(coverage, rows) -> np.ndarray:
    """Number of the given sites (rows of ``coverage.sites``) hearing each segment."""
    sel = np.zeros(coverage.matrix.shape[0])
    np.add.at(sel, np.asarray(rows, dtype=np.int64), 1.0)
    return np.rint(coverage.matrix.T.astype(np.float64) @ sel).astype(np.int64)


def _heard(coverage, rows) -> np.ndarray:
    return heard_counts(coverage, rows) > 0


def _initial_heap(matrix, open_weight: np.ndarray, costs: np.ndarray, *, exclude) -> list:
    """(-gain per cost, site) for every site not yet picked, as a heap (one sparse product)."""
    ratio = (matrix @ open_weight) / np.maximum(costs, 1e-12)
    keep = np.ones(matrix.shape[0], bool)
    keep[np.asarray(exclude, dtype=np.int64)] = False
    sites = np.flatnonzero(keep)
    heap = list(zip((-ratio[sites]).tolist(), sites.tolist()))
    heapq.heapify(heap)
    return heap


def site_costs(coverage, cost) -> np.ndarray:
    if cost is None:
        return np.ones(len(coverage.sites))
    c = pd.Series(cost)
    c.index = c.index.astype(str)
    out = coverage.sites["node_id"].astype(str).map(c).to_numpy(float)
    if np.isnan(out).any() or (out < 0).any():
        raise InputError("cost must give a value >= 0 for every candidate site (indexed by node ID)",
                         fr="cost doit donner une valeur >= 0 pour chaque site candidat (indexée par identifiant de "
                            "nœud)")
    return out


def required_rows(coverage, node_ids) -> np.ndarray:
    if node_ids is None or len(node_ids) == 0:
        return np.zeros(0, np.int64)
    idx = pd.Index(coverage.sites["node_id"].astype(str))
    ids = pd.Series(list(node_ids), dtype="str")
    pos = idx.get_indexer(ids)
    if (pos < 0).any():
        unknown = ids[pos < 0].tolist()[:5]
        not_fr = (f"le site imposé {unknown} n’est pas un site candidat" if singular((pos < 0).sum(), "fr")
                  else f"les sites imposés {unknown} ne sont pas des sites candidats")
        raise InputError(f"required site(s) {ids[pos < 0].tolist()[:5]} are not candidate sites", fr=not_fr)
    return pos.astype(np.int64)

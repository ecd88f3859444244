"""How far a logger hears: bounded shortest paths from candidate sites along the pipes.

Computation
-----------
Bounded multi-source shortest paths on a sparse graph of the network
(``scipy.sparse.csgraph.dijkstra`` with ``limit=1``): candidate sites are
ordered along a space-filling (Morton) curve and processed in chunks; for each
chunk a single multi-source search finds the small subgraph within reach, and
the per-site searches run on that subgraph only.  Memory and time grow with
the number of pipes, not its square.

:func:`hearing_matrix` is what :func:`leakopt.placement.coverage.build_coverage` calls once it has
split the pipes into segments and chosen the candidate sites.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Normalised cost at which a point is still heard (1, with float slack).
HEARD_LIMIT = 1.0 + 1e-9


@dataclass(frozen=True)
class PipeData:
    """The pipes as the search reads them: end nodes (graph rows), length, normalised cost per metre
    (1 / listening range), and their segments (first index, count, offset and length of each)."""

    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    cost_per_m: np.ndarray
    seg_start: np.ndarray
    seg_count: np.ndarray
    seg_offset: np.ndarray
    seg_length: np.ndarray


def acoustic_graph(n_nodes: int, u: np.ndarray, v: np.ndarray, cost: np.ndarray):
    """Undirected sparse graph, one edge per node pair (cheapest parallel pipe)."""
    import scipy.sparse as sp

    keep = u != v
    a, b = np.minimum(u, v)[keep], np.maximum(u, v)[keep]
    w = np.maximum(cost[keep], 1e-12)  # a zero weight would read as "no edge"
    order = np.lexsort((w, b, a))
    a, b, w = a[order], b[order], w[order]
    first = np.ones(len(a), bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return sp.csr_matrix((w[first], (a[first], b[first])), shape=(n_nodes, n_nodes))


def morton_order(xy: np.ndarray) -> np.ndarray:
    """Order points along a Z-curve so that chunks are compact (NaN coords last)."""
    ok = np.isfinite(xy).all(axis=1)
    if not ok.any():
        return np.arange(len(xy))
    lo, hi = np.nanmin(xy[ok], axis=0), np.nanmax(xy[ok], axis=0)
    q = np.zeros((len(xy), 2), np.uint64)
    q[ok] = ((xy[ok] - lo) / np.where(hi > lo, hi - lo, 1.0) * 65535).astype(np.uint64)
    code = np.zeros(len(xy), np.uint64)
    for bit in range(16):
        for dim in range(2):
            code |= ((q[:, dim] >> np.uint64(bit)) & np.uint64(1)) << np.uint64(2 * bit + dim)
    code[~ok] = np.iinfo(np.uint64).max
    return np.argsort(code, kind="stable")


def hearing_matrix(graph, site_nodes, node_xy, pipes: PipeData, *, chunk_size: int, progress=None):
    """Bool sparse matrix, candidate site x segment: True when the site hears every point of the segment.

    ``graph``: :func:`acoustic_graph`; ``site_nodes``: the node (graph row) of each site;
    ``node_xy``: node coordinates (chunks are compact along a Morton curve);
    ``progress(step, done, total)`` counts the chunks.
    """
    import scipy.sparse as sp

    incidence = sp.csr_matrix((np.ones(2 * len(pipes.u), bool),
                               (np.concatenate([pipes.u, pipes.v]), np.tile(np.arange(len(pipes.u)), 2))),
                              shape=(graph.shape[0], len(pipes.u)))
    order = morton_order(node_xy[site_nodes])
    rows, cols = [], []
    n_chunks = max(1, -(-len(order) // chunk_size))
    for c in range(n_chunks):
        chunk = order[c * chunk_size:(c + 1) * chunk_size]
        r, s = _chunk_pairs(graph, incidence, site_nodes, chunk, pipes)
        rows.append(r)
        cols.append(s)
        if progress:
            progress("hearing ranges, chunks of candidate sites", c + 1, n_chunks)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    n_seg = int(pipes.seg_count.sum())
    return sp.csr_matrix((np.ones(len(rows), bool), (rows, cols)), shape=(len(site_nodes), n_seg))


def _chunk_pairs(graph, incidence, site_nodes, chunk, pipes: PipeData):
    """(site row, segment column) pairs heard within one chunk of sites."""
    from scipy.sparse.csgraph import dijkstra

    src = site_nodes[chunk]
    reach = dijkstra(graph, directed=False, indices=src, limit=HEARD_LIMIT, min_only=True)
    sub = np.flatnonzero(np.isfinite(reach))
    local = np.full(graph.shape[0] + 1, -1, np.int64)
    local[sub] = np.arange(len(sub))
    dist = dijkstra(graph[sub][:, sub], directed=False, indices=local[src], limit=HEARD_LIMIT)
    dist = np.hstack([dist, np.full((len(src), 1), np.inf)])  # column -1: out of reach
    cand = np.unique(incidence[sub].indices)
    du = dist[:, local[pipes.u[cand]]]
    dv = dist[:, local[pipes.v[cand]]]
    i, k = np.nonzero((du <= HEARD_LIMIT) | (dv <= HEARD_LIMIT))
    du, dv, pipe = du[i, k], dv[i, k], cand[k]
    n = pipes.seg_count[pipe]
    rep = np.repeat(np.arange(len(pipe)), n)
    seg = pipes.seg_start[pipe][rep] + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    worst = _farthest_cost(du[rep], dv[rep], pipes.length[pipe][rep], pipes.cost_per_m[pipe][rep],
                           pipes.seg_offset[seg], pipes.seg_offset[seg] + pipes.seg_length[seg])
    heard = worst <= HEARD_LIMIT
    return chunk[i[rep][heard]], seg[heard]


def _farthest_cost(du, dv, length, c, a, b):
    """Largest normalised cost to reach a point of [a, b] on a pipe from either end.

    The cost to a point at offset t is ``min(du + c t, dv + c (L - t))``: it
    rises up to ``t* = (dv - du + c L) / (2 c)`` and falls after, so its maximum
    over [a, b] is at ``t*`` clipped to [a, b].
    """
    with np.errstate(invalid="ignore"):
        t = np.clip((dv - du + c * length) / (2 * c), a, b)
    return np.minimum(du + c * t, dv + c * (length - t))

"""The procedural city of :mod:`leakopt.synth.generate`, for any number of pipes.

A jittered street lattice inside an irregular city outline, stretched towards the
outskirts (longer, suburban segments); trunk mains every 8th street (major
mains every 32nd) always kept; a random spanning tree preferring trunk streets
keeps it connected, 35 % of the remaining streets close loops, 12 % of nodes
get a dead-end stub (cul-de-sac).  Streets are cut at random points into
register-like segments (median tens of metres, long tail).  One reservoir per
~8,000 pipes, at trunk crossings, head = highest ground + 40 m, on a gentle
terrain (30 m relief).  Demand 0.25 L/s per km of main (peak-hour), shared
between end nodes.  Diameters are sized on the shortest-path supply tree
(trunk streets count 0.35 of their length): the smallest standard size whose
velocity stays below 0.8 m/s (0.9 m/s under 300 mm), at least 100 mm (80 mm
on stubs).  Pressures are estimated by Hazen-Williams head losses along that
tree (an upper bound on losses: loops share the flow); EPANET confirms
20-80 m at every junction.  The ``.inp`` (LPS, H-W, single period) is
written as text with vectorised pandas, so 1M pipes take seconds.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.synth.layout import (
    DEMAND_M3S_PER_M,
    HAZEN_C,
    PIPES_PER_RESERVOIR,
    STANDARD_DIAMETERS_MM,
    TRUNK_EVERY,
    Layout,
    segment_counts,
)


def _lattice(m: int, rng: np.random.Generator):
    """Integer street-crossing coordinates (i, j) inside an irregular city outline,
    restricted to the largest connected part of the street lattice."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    radius = np.sqrt(m / (np.pi * 1.016))
    half = int(np.ceil(1.3 * radius)) + 1
    gi, gj = np.meshgrid(np.arange(-half, half + 1), np.arange(-half, half + 1), indexing="ij")
    theta = np.arctan2(gj, gi)
    phase = rng.uniform(0, 2 * np.pi, 2)
    outline = radius * (1 + 0.15 * np.sin(3 * theta + phase[0]) + 0.1 * np.sin(5 * theta + phase[1]))
    inside = np.hypot(gi, gj) <= np.maximum(outline, 1.5)
    idx = np.full(gi.shape, -1, dtype=np.int64)
    idx[inside] = np.arange(inside.sum())
    u, v, level = _lattice_edges(idx, half)
    n_nodes = int(inside.sum())
    graph = coo_matrix((np.ones(len(u)), (u, v)), shape=(n_nodes, n_nodes))
    _, comp = connected_components(graph, directed=False)
    main = comp == np.bincount(comp).argmax()
    remap = np.full(n_nodes, -1, dtype=np.int64)
    remap[main] = np.arange(main.sum())
    keep = main[u] & main[v]
    return gi[inside][main], gj[inside][main], remap[u[keep]], remap[v[keep]], level[keep], radius


def _lattice_edges(idx: np.ndarray, half: int):
    """Street edges between lattice neighbours; level 2 = major main, 1 = trunk, 0 = distribution."""
    coord = np.arange(-half, half + 1)
    out_u, out_v, out_l = [], [], []
    for a, b, line in ((idx[:-1, :], idx[1:, :], coord[None, :]), (idx[:, :-1], idx[:, 1:], coord[:, None])):
        ok = (a >= 0) & (b >= 0)
        lvl = np.broadcast_to((line % TRUNK_EVERY == 0).astype(np.int8)
                              + (line % (4 * TRUNK_EVERY) == 0), a.shape)
        out_u.append(a[ok]); out_v.append(b[ok]); out_l.append(lvl[ok])
    return np.concatenate(out_u), np.concatenate(out_v), np.concatenate(out_l)


def _street_positions(gi, gj, radius, rng, spacing=85.0, stretch=1.0):
    """Metric positions: blocks widen towards the outskirts, crossings jittered."""
    r = np.hypot(gi, gj) / max(radius, 1.0)
    scale = spacing * (1 + stretch * r ** 3)
    x = gi * scale + rng.normal(0, 0.12 * spacing, len(gi))
    y = gj * scale + rng.normal(0, 0.12 * spacing, len(gi))
    return x, y


def _select_streets(u, v, level, n_nodes, rng, loop_share=0.35):
    """Keep a spanning tree (trunk streets first), every trunk street and a share of the rest.

    Returns the kept mask and a drop priority (lower = dropped first if too many)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    w = np.where(level > 0, 0.01, 1.0) + 0.01 * rng.random(len(u)) + (level == 0) * rng.random(len(u))
    tree = minimum_spanning_tree(coo_matrix((w, (u, v)), shape=(n_nodes, n_nodes))).tocoo()
    key = _edge_key(u, v, n_nodes)
    in_tree = np.isin(key, _edge_key(tree.row, tree.col, n_nodes))
    loop = ~in_tree & (level == 0) & (rng.random(len(u)) < loop_share)
    keep = in_tree | (level > 0) | loop
    # dropped first when the budget is tight: loops, then non-tree trunk streets; never the tree
    priority = np.where(in_tree, 3, np.where(level > 0, 2, 0))
    return keep, priority


def _edge_key(a, b, n):
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    return np.minimum(a, b) * n + np.maximum(a, b)


def _farthest_points(x, y, k, start):
    chosen = [start]
    d = np.hypot(x - x[start], y - y[start])
    for _ in range(k - 1):
        nxt = int(np.argmax(d))
        chosen.append(nxt)
        d = np.minimum(d, np.hypot(x - x[nxt], y - y[nxt]))
    return np.array(chosen)


def _city_graph(n_pipes: int, rng: np.random.Generator):
    """Streets, stubs and reservoir pipes of a city of about ``n_pipes`` pipes, before cutting.

    Returns node coordinates, the number of reservoirs (the last nodes) and an edge
    frame ``u, v, level, stub, priority`` with at most ``n_pipes`` rows."""
    gi, gj, u, v, level, radius = _lattice(max(int(n_pipes / 2.6), 9), rng)
    x, y = _street_positions(gi, gj, radius, rng)
    n_nodes = len(x)
    keep, priority = _select_streets(u, v, level, n_nodes, rng)
    streets = pd.DataFrame({"u": u[keep], "v": v[keep], "level": level[keep], "stub": False,
                            "priority": priority[keep]})
    # dead-end stubs (cul-de-sacs) off distribution streets
    host = np.flatnonzero(rng.random(n_nodes) < 0.12)
    ang = rng.uniform(0, 2 * np.pi, len(host))
    ln = np.clip(rng.lognormal(np.log(60.0), 0.5, len(host)), 15.0, 300.0)
    sx, sy = x[host] + ln * np.cos(ang), y[host] + ln * np.sin(ang)
    stubs = pd.DataFrame({"u": host, "v": n_nodes + np.arange(len(host)), "level": 0, "stub": True,
                          "priority": 1})
    # reservoirs at trunk crossings spread over the city, linked by a short main
    cand = np.flatnonzero((gi % TRUNK_EVERY == 0) & (gj % TRUNK_EVERY == 0))
    if len(cand) == 0:
        cand = np.arange(n_nodes)
    n_res = min(max(1, round(n_pipes / PIPES_PER_RESERVOIR)), len(cand))
    start = cand[np.argmin(np.hypot(x[cand], y[cand]))]
    att = cand[_farthest_points(x[cand], y[cand], n_res, int(np.searchsorted(cand, start)))]
    ang = rng.uniform(0, 2 * np.pi, n_res)
    rx, ry = x[att] + 150 * np.cos(ang), y[att] + 150 * np.sin(ang)
    first_res = n_nodes + len(host)
    res = pd.DataFrame({"u": first_res + np.arange(n_res), "v": att, "level": 2, "stub": False, "priority": 4})
    edges = pd.concat([streets, stubs, res], ignore_index=True)
    # minimum diameters: fire-flow practice (distribution 100-150 mm, trunk 200, major 300)
    lvl = edges["level"].to_numpy()
    edges["dmin"] = np.where(edges["stub"], 80.0, np.where(lvl == 2, 300.0, np.where(
        lvl == 1, 200.0, np.where(rng.random(len(edges)) < 0.35, 150.0, 100.0))))
    if len(edges) > n_pipes:   # tiny networks: drop loops, then stubs, then spare trunk streets
        order = np.lexsort((rng.random(len(edges)), edges["priority"].to_numpy()))
        edges = edges.iloc[np.sort(order[len(edges) - n_pipes:])].reset_index(drop=True)
        if (edges["priority"] < 3).sum() == 0 and len(edges) > n_pipes:
            raise InputError(f"n_pipes={n_pipes} is too small for a procedural layout; ask for at least 20",
                             fr=f"n_pipes={n_pipes} est trop petit pour un tracé procédural ; demandez au moins 20 "
                                "conduites")
    return np.concatenate([x, sx, rx]), np.concatenate([y, sy, ry]), n_res, edges


def _cut_streets(px, py, edges: pd.DataFrame, n_pipes: int, rng: np.random.Generator):
    """Cut street edges at random points into exactly ``n_pipes`` segments.

    Returns new coordinates (old nodes first) and segment arrays u, v, level, dmin."""
    u, v = edges["u"].to_numpy(), edges["v"].to_numpy()
    length = np.hypot(px[u] - px[v], py[u] - py[v])
    splittable = (edges["level"].to_numpy() < 2) | (edges["priority"].to_numpy() < 4)
    k = segment_counts(length ** 0.6 * rng.lognormal(0, 0.6, len(u)), n_pipes, splittable & ~edges["stub"].to_numpy())
    edge_of = np.repeat(np.arange(len(u)), k)
    g = rng.gamma(1.2, size=len(edge_of))
    cs = np.cumsum(g)
    first = np.concatenate([[0], np.cumsum(k)[:-1]])
    before = np.where(first > 0, cs[first - 1], 0.0)
    within = cs - before[edge_of]
    frac = within / within[first + k - 1][edge_of]
    last = np.zeros(len(edge_of), dtype=bool)
    last[first + k - 1] = True
    n_old = len(px)
    new_id = np.full(len(edge_of), -1, dtype=np.int64)
    new_id[~last] = n_old + np.arange((~last).sum())
    fx = frac[~last]
    ex = edge_of[~last]
    nx = np.concatenate([px, px[u[ex]] + fx * (px[v[ex]] - px[u[ex]])])
    ny = np.concatenate([py, py[u[ex]] + fx * (py[v[ex]] - py[u[ex]])])
    is_first = np.zeros(len(edge_of), dtype=bool)
    is_first[first] = True
    prev = np.concatenate([[-1], new_id[:-1]])
    su = np.where(is_first, u[edge_of], prev)
    sv = np.where(last, v[edge_of], new_id)
    return (nx, ny, su, sv, edges["level"].to_numpy()[edge_of], edges["dmin"].to_numpy()[edge_of])


def _terrain(x, y, rng: np.random.Generator, relief=30.0):
    """Gentle relief: a few long waves across the city, rescaled to ``relief`` metres."""
    span = max(np.ptp(x), np.ptp(y), 1.0)
    z = np.zeros(len(x))
    for wave in rng.uniform(0.7, 2.5, 4):
        ang, ph = rng.uniform(0, np.pi), rng.uniform(0, 2 * np.pi)
        z += np.sin(2 * np.pi * wave * (x * np.cos(ang) + y * np.sin(ang)) / span + ph) / wave
    return 40.0 + relief * (z - z.min()) / max(np.ptp(z), 1e-9)


def _path_sums(parent: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Sum of ``w`` from each node up to its tree root, by pointer doubling.

    Roots have ``parent == self`` and must have ``w == 0``."""
    s, anc = w.astype(float), parent.copy()
    while not np.array_equal(anc[anc], anc):
        s = s + s[anc]
        anc = anc[anc]
    return s


def _subtree_sums(parent: np.ndarray, depth: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Sum of ``w`` over each node's subtree, one tree level at a time (deepest first)."""
    s = w.astype(float).copy()
    order = np.argsort(-depth, kind="stable")
    d_sorted = depth[order]
    bounds = np.flatnonzero(np.diff(d_sorted)) + 1
    for level_nodes in np.split(order, bounds):
        if depth[level_nodes[0]] == 0:
            break
        s += np.bincount(parent[level_nodes], weights=s[level_nodes], minlength=len(s))
    return s


def _size_network(px, py, z, u, v, length, level, dmin, n_res):
    """Demands, diameters (sized on the supply tree) and estimated pressures.

    Returns (demand m3/s per node, diameter mm per pipe, pressure m per node, head m)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    n = len(px)
    res = np.arange(n - n_res, n)
    demand = np.bincount(np.concatenate([u, v]), weights=np.tile(length / 2, 2), minlength=n) * DEMAND_M3S_PER_M
    demand[res] = 0.0
    w = length * np.where(level > 0, 0.35, 1.0) + 1e-3
    graph = coo_matrix((w, (u, v)), shape=(n, n)).tocsr()
    _, pred = dijkstra(graph, directed=False, indices=res, return_predecessors=True, min_only=True)[:2]
    parent = np.where(pred < 0, np.arange(n), pred)
    is_root = parent == np.arange(n)
    depth = _path_sums(parent, (~is_root).astype(float)).astype(np.int64)
    flow = _subtree_sums(parent, depth, demand)
    # each pipe's tree flow: the downstream node's subtree when the pipe is its parent link
    child = np.where(parent[v] == u, v, np.where(parent[u] == v, u, -1))
    q = np.where(child >= 0, flow[np.maximum(child, 0)], 0.0)
    d_m = STANDARD_DIAMETERS_MM / 1000.0
    capacity = np.where(STANDARD_DIAMETERS_MM >= 300, 0.8, 0.9) * np.pi * d_m ** 2 / 4
    k = np.minimum(np.searchsorted(capacity, q), len(d_m) - 1)
    k = np.maximum(k, np.searchsorted(STANDARD_DIAMETERS_MM, dmin))
    diameter = STANDARD_DIAMETERS_MM[k].astype(float)
    hf = 10.67 * length * q ** 1.852 / (HAZEN_C ** 1.852 * (diameter / 1000) ** 4.87)
    node_loss = np.zeros(n)
    node_loss[child[child >= 0]] = hf[child >= 0]
    head = z[~np.isin(np.arange(n), res)].max() + 40.0
    pressure = head - _path_sums(parent, node_loss) - z
    pressure[res] = np.nan
    return demand, diameter, pressure, head


def procedural_layout(n_pipes: int, *, rng: np.random.Generator, progress=None) -> Layout:
    """A procedural city of exactly ``n_pipes`` pipes (see the module docstring)."""
    from shapely import linestrings

    if n_pipes < 20:
        raise InputError(f"n_pipes={n_pipes} is too small for a procedural layout; ask for at least 20",
                         fr=f"n_pipes={n_pipes} est trop petit pour un tracé procédural ; demandez au moins 20 "
                            "conduites")
    px, py, n_res, edges = _city_graph(n_pipes, rng)
    if progress:
        progress("layout: streets laid", 1, 2)
    nx, ny, u, v, level, dmin = _cut_streets(px, py, edges, n_pipes, rng)
    used = np.zeros(len(nx), dtype=bool)
    used[u] = used[v] = True
    res_old = np.arange(len(px) - n_res, len(px))
    used[res_old] = False
    # compact: junctions first, reservoirs last, unused stub tips removed
    order = np.concatenate([np.flatnonzero(used), res_old])
    remap = np.full(len(nx), -1, dtype=np.int64)
    remap[order] = np.arange(len(order))
    x, y, u, v = nx[order], ny[order], remap[u], remap[v]
    length = np.maximum(np.hypot(x[u] - x[v], y[u] - y[v]), 1.0)
    z = _terrain(x, y, rng)
    demand, diameter, pressure, head = _size_network(x, y, z, u, v, length, level, dmin, n_res)
    if progress:
        progress("layout: mains sized", 2, 2)
    n_junc = len(x) - n_res
    node_id = np.concatenate([("J" + pd.Series(np.arange(1, n_junc + 1)).astype(str)).to_numpy(),
                              ("R" + pd.Series(np.arange(1, n_res + 1)).astype(str)).to_numpy()])
    nodes = pd.DataFrame({"node_id": node_id, "x": np.round(x, 2), "y": np.round(y, 2),
                          "elevation": np.where(np.arange(len(x)) < n_junc, np.round(z, 2), head),
                          "node_type": np.where(np.arange(len(x)) < n_junc, "junction", "reservoir"),
                          "base_demand": demand})
    width = len(str(n_pipes))
    pipe_id = ("P" + pd.Series(np.arange(1, n_pipes + 1)).astype(str).str.zfill(width)).to_numpy()
    p_pipe = np.nanmean(np.vstack([pressure[u], pressure[v]]), axis=0)
    links = pd.DataFrame({"pipe_id": pipe_id, "start_node": node_id[u], "end_node": node_id[v],
                          "length_m": np.round(length, 2), "diameter_mm": diameter, "roughness": HAZEN_C,
                          "pressure_m": p_pipe, "trunk": level > 0})
    coords = np.stack([np.column_stack([nodes["x"].to_numpy()[u], nodes["y"].to_numpy()[u]]),
                       np.column_stack([nodes["x"].to_numpy()[v], nodes["y"].to_numpy()[v]])], axis=1)
    geometry = np.asarray(linestrings(coords))
    text = procedural_inp_text(nodes, links, title=f"leakopt synthetic city, {n_pipes} pipes")
    return Layout(nodes=nodes, links=links, geometry=geometry, inp_text=text, source="procedural")


def _table(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, sep=" ", header=False, index=False, lineterminator="\n")
    return buf.getvalue()


def procedural_inp_text(nodes: pd.DataFrame, links: pd.DataFrame, *, title: str) -> str:
    """EPANET input text (LPS units, Hazen-Williams, one period) from layout frames."""
    junc = nodes[nodes["node_type"] == "junction"]
    resv = nodes[nodes["node_type"] == "reservoir"]
    parts = [
        f"[TITLE]\n{title}\n\n[JUNCTIONS]\n;ID Elevation Demand\n",
        _table(pd.DataFrame({"id": junc["node_id"], "z": junc["elevation"],
                             "q": np.round(junc["base_demand"].to_numpy() * 1000.0, 6)})),
        "\n[RESERVOIRS]\n;ID Head\n",
        _table(resv[["node_id", "elevation"]]),
        "\n[PIPES]\n;ID Node1 Node2 Length Diameter Roughness MinorLoss Status\n",
        _table(links[["pipe_id", "start_node", "end_node", "length_m", "diameter_mm", "roughness"]]
               .assign(minor=0, status="Open")),
        "\n[OPTIONS]\nUnits LPS\nHeadloss H-W\n\n[TIMES]\nDuration 0\n\n"
        "[REPORT]\nStatus No\nSummary No\n\n[COORDINATES]\n;Node X Y\n",
        _table(nodes[["node_id", "x", "y"]]),
        "\n[END]\n",
    ]
    return "".join(parts)

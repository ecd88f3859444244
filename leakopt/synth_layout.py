"""Network layouts for :mod:`leakopt.synth`: a real WNTR network or a procedural city.

Two sources, chosen by :func:`build_layout`:

* **WNTR's real layouts** (``"net6"``: 3,829 pipes / 639 km; ``"ky10"``: 1,043
  pipes / 430 km).  To reach exactly ``n`` pipes, the longest pipes are cut into
  segments at new junctions (coordinates and vertices interpolated along the
  pipe, elevation linear between the end nodes, no demand).  Pumps, tanks,
  valves, curves and controls are kept as they are; pipes named in controls or
  with a closed status or check valve are never cut.  Drawing coordinates are
  rescaled to metres (median drawn length = pipe length), origin at the
  lower-left corner.  The file is written by
  WNTR, so it simulates as the original does.  Junction pressures come from a
  single-period EPANET run.
* **A procedural city** for any size (tested to 1,000,000 pipes): a jittered
  street lattice inside an irregular city outline, stretched towards the
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
import logging
import os
import tempfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError

logger = logging.getLogger(__name__)

#: Pipe counts of WNTR's shipped layouts.
WNTR_LAYOUTS = {"net6": ("Net6.inp", 3829), "ky10": ("ky10.inp", 1043)}
LAYOUTS = ("auto", "net6", "ky10", "procedural")
STANDARD_DIAMETERS_MM = np.array([80, 100, 150, 200, 250, 300, 400, 500, 600, 700, 800, 1000, 1200, 1400])
HAZEN_C = 110.0
DEMAND_M3S_PER_M = 0.25e-3 / 1000.0
PIPES_PER_RESERVOIR = 8000
TRUNK_EVERY = 8


@dataclass(frozen=True)
class Layout:
    """A network layout, before assets are given to its pipes.

    Attributes
    ----------
    nodes : DataFrame
        ``node_id``, ``x``, ``y``, ``elevation``, ``node_type``, ``base_demand`` (m3/s).
    links : DataFrame
        Pipes: ``pipe_id``, ``start_node``, ``end_node``, ``length_m``,
        ``diameter_mm``, ``roughness``, ``pressure_m`` (mean of the end
        nodes' pressures), ``trunk`` (bool).
    geometry : ndarray of shapely LineString, aligned with ``links``.
    inp_text : str
        The EPANET input file.
    source : str
        "net6", "ky10" or "procedural".
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    geometry: np.ndarray
    inp_text: str
    source: str


def choose_layout(n_pipes: int, layout: str = "auto") -> str:
    """Return the layout used for ``n_pipes``: "auto" picks Net6 for 3,829-15,316
    pipes, ky10 for 1,043-3,828 and the procedural city otherwise."""
    if layout not in LAYOUTS:
        raise InputError(f"layout {layout!r} is not known; expected one of {LAYOUTS}")
    if layout == "auto":
        for name in ("net6", "ky10"):
            n0 = WNTR_LAYOUTS[name][1]
            if n0 <= n_pipes <= 4 * n0:
                return name
        return "procedural"
    if layout in WNTR_LAYOUTS and n_pipes < WNTR_LAYOUTS[layout][1]:
        raise InputError(f"layout {layout!r} has {WNTR_LAYOUTS[layout][1]} pipes, more than n_pipes={n_pipes}; "
                         "ask for at least that many pipes or use layout='procedural'")
    return layout


def build_layout(n_pipes: int, *, layout: str = "auto", rng: np.random.Generator,
                 progress=None) -> Layout:
    """Build a layout of exactly ``n_pipes`` pipes (see the module docstring)."""
    name = choose_layout(n_pipes, layout)
    if name == "procedural":
        return procedural_layout(n_pipes, rng=rng, progress=progress)
    return wntr_layout(name, n_pipes, rng=rng)


# ----------------------------------------------------------------------------- WNTR layouts

def _pieces(lengths: np.ndarray, n: int, splittable: np.ndarray) -> np.ndarray:
    """Number of segments per pipe (sum ``n``), cutting the longest first."""
    k = np.ones(len(lengths), dtype=np.int64)
    extra = n - len(lengths)
    if extra <= 0:
        return k
    cand = np.where(splittable, lengths, 0.0)
    lo, hi = 1e-6, cand.max()
    for _ in range(60):   # bisection on the target segment length
        mid = (lo + hi) / 2
        if np.maximum(np.floor(cand / mid), 1).sum() - len(k) > extra:
            lo = mid
        else:
            hi = mid
    k = np.maximum(np.floor(cand / hi), 1).astype(np.int64)
    rest = extra - (k.sum() - len(k))
    order = np.argsort(-np.where(splittable, cand / (k + 1), -1), kind="stable")[:rest]
    k[order] += 1
    return k


def _protected_links(wn) -> set[str]:
    names = set()
    for _, ctrl in wn.controls():
        for obj in ctrl.requires():
            names.add(getattr(obj, "name", ""))
    for name, pipe in wn.pipes():
        if pipe.check_valve or str(pipe.initial_status).upper().endswith("CLOSED"):
            names.add(name)
    return names


def _split_pipe(wn, name: str, k: int, rng: np.random.Generator) -> None:
    """Cut pipe ``name`` into ``k`` segments at new junctions."""
    from shapely import LineString, line_interpolate_point, line_locate_point, Point

    pipe = wn.get_link(name)
    a, b = wn.get_node(pipe.start_node_name), wn.get_node(pipe.end_node_name)
    pts = [a.coordinates, *pipe.vertices, b.coordinates]
    line = LineString(pts)
    frac = np.cumsum(rng.dirichlet(np.full(k, 3.0)))[:-1]
    vfrac = np.array([line_locate_point(line, Point(p), normalized=True) for p in pipe.vertices])
    za = getattr(a, "elevation", None)
    zb = getattr(b, "elevation", None)
    za = zb if za is None else za
    zb = za if zb is None else zb
    props = dict(diameter=pipe.diameter, roughness=pipe.roughness, minor_loss=pipe.minor_loss)
    length, start, end = pipe.length, pipe.start_node_name, pipe.end_node_name
    wn.remove_link(name)
    nodes = [start]
    for i, f in enumerate(frac, start=1):
        jn = f"{name}_J{i}"
        p = line_interpolate_point(line, f, normalized=True)
        wn.add_junction(jn, base_demand=0.0, elevation=float(za + f * (zb - za)), coordinates=(p.x, p.y))
        nodes.append(jn)
    nodes.append(end)
    bounds = np.concatenate([[0.0], frac, [1.0]])
    for i in range(k):
        pn = name if i == 0 else f"{name}_{i + 1}"
        wn.add_pipe(pn, nodes[i], nodes[i + 1], length=length * (bounds[i + 1] - bounds[i]), **props)
        inside = (vfrac > bounds[i]) & (vfrac < bounds[i + 1])
        wn.get_link(pn).vertices = [tuple(v) for v, keep in zip(pipe.vertices, inside) if keep]


def _junction_pressure(wn) -> pd.Series:
    """Single-period EPANET pressures (m) at every node, in a temporary folder."""
    import wntr

    dur = wn.options.time.duration
    wn.options.time.duration = 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            res = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=os.path.join(tmp, "synth"))
    finally:
        wn.options.time.duration = dur
    return res.node["pressure"].iloc[0]


def _inp_text(wn) -> str:
    import wntr

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "network.inp")
        wntr.network.write_inpfile(wn, path)
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    # WNTR stamps the time, its version and the source path: drop them so the same
    # seed gives the same bytes on any machine.
    stamps = ("; Created:", "; Filename:", "; WNTR:")
    return "\n".join(ln for ln in lines if not ln.startswith(stamps)) + "\n"


def _coordinates_to_metres(wn) -> None:
    """Rescale the layout's drawing coordinates so that 1 unit = 1 metre of pipe.

    WNTR's example networks are drawn in arbitrary units; leak positions, snapping
    distances and maps need metres.  The scale is the median ratio of drawn length
    to pipe length; the origin moves to the lower-left corner."""
    from shapely import LineString

    ratio = []
    for _, pipe in wn.pipes():
        pts = [wn.get_node(pipe.start_node_name).coordinates, *pipe.vertices,
               wn.get_node(pipe.end_node_name).coordinates]
        if pipe.length > 0:
            ratio.append(LineString(pts).length / pipe.length)
    scale = float(np.median(ratio)) or 1.0
    xy = np.array([wn.get_node(v).coordinates for v in wn.node_name_list], dtype=float)
    x0, y0 = xy.min(axis=0)

    def conv(c):
        return (round((c[0] - x0) / scale, 2), round((c[1] - y0) / scale, 2))

    for v in wn.node_name_list:
        node = wn.get_node(v)
        node.coordinates = conv(node.coordinates)
    for _, pipe in wn.pipes():
        pipe.vertices = [conv(c) for c in pipe.vertices]


def wntr_layout(name: str, n_pipes: int, *, rng: np.random.Generator) -> Layout:
    """Layout from one of WNTR's shipped networks, cut to exactly ``n_pipes`` pipes."""
    import wntr
    from shapely import linestrings

    path = os.path.join(os.path.dirname(wntr.__file__), "library", "networks", WNTR_LAYOUTS[name][0])
    wn = wntr.network.WaterNetworkModel(path)
    names = list(wn.pipe_name_list)
    if n_pipes < len(names):
        raise InputError(f"layout {name!r} has {len(names)} pipes, more than n_pipes={n_pipes}")
    _coordinates_to_metres(wn)
    lengths = np.array([wn.get_link(p).length for p in names])
    protected = _protected_links(wn)
    k = _pieces(lengths, n_pipes, np.array([p not in protected for p in names]))
    for p, kk in zip(names, k):
        if kk > 1:
            _split_pipe(wn, p, int(kk), rng)
    text = _inp_text(wn)
    pressure = _junction_pressure(wn)
    nodes = pd.DataFrame({
        "node_id": wn.node_name_list,
        "x": [wn.get_node(v).coordinates[0] for v in wn.node_name_list],
        "y": [wn.get_node(v).coordinates[1] for v in wn.node_name_list],
        "elevation": [float(getattr(wn.get_node(v), "elevation", np.nan) or 0.0) for v in wn.node_name_list],
        "node_type": [wn.get_node(v).node_type.lower() for v in wn.node_name_list],
        "base_demand": [float(getattr(wn.get_node(v), "base_demand", 0.0) or 0.0) for v in wn.node_name_list],
    })
    pipes = [wn.get_link(p) for p in wn.pipe_name_list]
    links = pd.DataFrame({
        "pipe_id": [p.name for p in pipes],
        "start_node": [p.start_node_name for p in pipes],
        "end_node": [p.end_node_name for p in pipes],
        "length_m": [p.length for p in pipes],
        "diameter_mm": [p.diameter * 1000.0 for p in pipes],
        "roughness": [p.roughness for p in pipes],
    })
    links["pressure_m"] = (pressure.reindex(links["start_node"]).to_numpy()
                           + pressure.reindex(links["end_node"]).to_numpy()) / 2
    links["trunk"] = links["diameter_mm"] >= 300
    coords = [np.array([wn.get_node(p.start_node_name).coordinates, *p.vertices,
                        wn.get_node(p.end_node_name).coordinates], dtype=float) for p in pipes]
    sizes = np.array([len(c) for c in coords])
    geometry = linestrings(np.concatenate(coords), indices=np.repeat(np.arange(len(coords)), sizes))
    return Layout(nodes=nodes, links=links, geometry=np.asarray(geometry), inp_text=text, source=name)


# ----------------------------------------------------------------------------- procedural city

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
            raise InputError(f"n_pipes={n_pipes} is too small for a procedural layout; ask for at least 20")
    return np.concatenate([x, sx, rx]), np.concatenate([y, sy, ry]), n_res, edges


def _cut_streets(px, py, edges: pd.DataFrame, n_pipes: int, rng: np.random.Generator):
    """Cut street edges at random points into exactly ``n_pipes`` segments.

    Returns new coordinates (old nodes first) and segment arrays u, v, level, dmin."""
    u, v = edges["u"].to_numpy(), edges["v"].to_numpy()
    length = np.hypot(px[u] - px[v], py[u] - py[v])
    splittable = (edges["level"].to_numpy() < 2) | (edges["priority"].to_numpy() < 4)
    k = _pieces(length ** 0.6 * rng.lognormal(0, 0.6, len(u)), n_pipes, splittable & ~edges["stub"].to_numpy())
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
        raise InputError(f"n_pipes={n_pipes} is too small for a procedural layout; ask for at least 20")
    px, py, n_res, edges = _city_graph(n_pipes, rng)
    if progress:
        progress(0.1, "layout: streets laid")
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
        progress(0.2, "layout: mains sized")
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

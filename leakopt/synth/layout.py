"""Network layouts for :mod:`leakopt.synth.generate`: a real WNTR network or a procedural city.

Two sources, chosen by :func:`leakopt.synth.generate.build_layout`:

* **WNTR's real layouts** (``"net6"``: 3,829 pipes / 639 km; ``"ky10"``: 1,043
  pipes / 430 km).  To reach exactly ``n`` pipes, the longest pipes are cut into
  segments at new junctions (coordinates and vertices interpolated along the
  pipe, elevation linear between the end nodes, no demand).  Pumps, tanks,
  valves, curves and controls are kept as they are; pipes named in controls or
  with a closed status or check valve are never cut.  Drawing coordinates are
  rescaled to metres (median drawn length = pipe length), origin at the
  lower-left corner.  The file is written by WNTR, so it simulates as the
  original does.  Junction pressures come from a
  single-period EPANET run.
* **A procedural city** for any size (tested to 1,000,000 pipes):
  :mod:`leakopt.synth.city`.
"""
from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int

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
        raise InputError(f"layout {layout!r} is not known; expected one of {LAYOUTS}",
                         fr=f"le tracé {layout!r} est inconnu ; tracés possibles : {LAYOUTS}")
    if layout == "auto":
        for name in ("net6", "ky10"):
            n0 = WNTR_LAYOUTS[name][1]
            if n0 <= n_pipes <= 4 * n0:
                return name
        return "procedural"
    if layout in WNTR_LAYOUTS and n_pipes < WNTR_LAYOUTS[layout][1]:
        raise InputError(f"layout {layout!r} has {WNTR_LAYOUTS[layout][1]} pipes, more than n_pipes={n_pipes}; "
                         "ask for at least that many pipes or use layout='procedural'",
                         fr=f"le tracé {layout!r} compte {fmt_int(WNTR_LAYOUTS[layout][1], 'fr')} conduites, plus que "
                            f"n_pipes={n_pipes} ; demandez au moins autant de conduites ou prenez layout='procedural'")
    return layout


# ----------------------------------------------------------------------------- WNTR layouts

def segment_counts(lengths: np.ndarray, n: int, splittable: np.ndarray) -> np.ndarray:
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
    from shapely import LineString, Point, line_interpolate_point, line_locate_point

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
        raise InputError(f"layout {name!r} has {len(names)} pipes, more than n_pipes={n_pipes}",
                         fr=f"le tracé {name!r} compte {fmt_int(len(names), 'fr')} conduites, plus que "
                            f"n_pipes={n_pipes}")
    _coordinates_to_metres(wn)
    lengths = np.array([wn.get_link(p).length for p in names])
    protected = _protected_links(wn)
    k = segment_counts(lengths, n_pipes, np.array([p not in protected for p in names]))
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

"""Access points along mains: where a logger can sit between two junctions.

Acoustic loggers are fixed on fittings, mostly hydrants and valves, which
stand along a main every hundred metres or so in town, not only where pipes
meet.  An EPANET model has nodes only where pipes join, so a long main seems to
have no place for a logger in the middle, and its centre would look
impossible to hear.

:func:`add_access_points` models the fittings a utility has not listed: it
puts an *access point* every ``spacing_m`` along each pipe longer than that,
splitting the pipe there.  The parts keep the pipe's ``pipe_id`` (coverage
and risk stay per pipe); the new nodes have ``node_type`` "access_point" and
IDs ``"<pipe_id>@<k>"``, with coordinates on the pipe's geometry, so a field
crew finds them on the map.  A utility that knows its hydrants gives them as
candidate sites instead (``build_coverage(..., candidates=...)``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.schema import Network

ACCESS_POINT = "access_point"


def add_access_points(network: Network, spacing_m: float) -> Network:
    """Split every pipe longer than ``spacing_m`` at evenly spaced access points.

    Parameters
    ----------
    network : Network
    spacing_m : float
        Largest distance between two places a logger can be fixed along a
        pipe. A pipe of length ``L`` gets ``ceil(L / spacing_m) - 1`` points.

    Returns
    -------
    Network
        A new network: the original nodes plus the access points, and the
        pipes split into parts (same ``pipe_id``, a ``part`` column counts
        them from the start node). Part geometries are dropped: each part is
        the straight line between two points of the original geometry.
    """
    links, nodes = network.links.reset_index(drop=True), network.nodes.reset_index(drop=True)
    length = pd.to_numeric(links["length_m"], errors="coerce").fillna(0.0).to_numpy(float)
    parts = np.maximum(1, np.ceil(length / float(spacing_m) - 1e-9)).astype(np.int64)
    if (parts == 1).all():
        return network
    pipe_of = np.repeat(np.arange(len(links)), parts)
    first = np.concatenate([[0], np.cumsum(parts)[:-1]])
    k = np.arange(parts.sum()) - first[pipe_of]            # part number within its pipe
    ids = links["pipe_id"].astype(str).to_numpy(dtype=object)

    inner = k > 0                                          # parts that start at a new point
    point_id = pd.Series(ids[pipe_of[inner]], dtype="str") + "@" + pd.Series(k[inner], dtype="str")
    frac = k[inner] / parts[pipe_of[inner]]
    x, y, z = _points_along(links, nodes, pipe_of[inner], frac)
    new_nodes = pd.DataFrame({"node_id": point_id.to_numpy(), "x": x, "y": y, "elevation": z,
                              "node_type": ACCESS_POINT, "base_demand": 0.0})

    start = links["start_node"].astype(str).to_numpy(dtype=object)[pipe_of]
    end = links["end_node"].astype(str).to_numpy(dtype=object)[pipe_of]
    start[inner] = point_id.to_numpy(dtype=object)
    last = k == parts[pipe_of] - 1
    end[~last] = point_id.to_numpy(dtype=object)            # part k ends where part k+1 starts
    split = links.drop(columns=[c for c in ("geometry",) if c in links.columns]).iloc[pipe_of]
    split = split.assign(start_node=start, end_node=end, length_m=length[pipe_of] / parts[pipe_of],
                         part=k).reset_index(drop=True)
    all_nodes = pd.concat([nodes, new_nodes[[c for c in new_nodes.columns if c in nodes.columns]]],
                          ignore_index=True)
    return Network(nodes=all_nodes, links=split, inp_path=network.inp_path)


def _points_along(links: pd.DataFrame, nodes: pd.DataFrame, rows: np.ndarray, frac: np.ndarray):
    """x, y, elevation at fraction ``frac`` along pipes ``rows`` (geometry when known)."""
    pos = pd.Index(nodes["node_id"].astype(str))
    a = pos.get_indexer(links["start_node"].astype(str).to_numpy()[rows])
    b = pos.get_indexer(links["end_node"].astype(str).to_numpy()[rows])
    xy = nodes[["x", "y"]].to_numpy(float)
    x = xy[a, 0] + frac * (xy[b, 0] - xy[a, 0])
    y = xy[a, 1] + frac * (xy[b, 1] - xy[a, 1])
    if "elevation" in nodes.columns:
        el = pd.to_numeric(nodes["elevation"], errors="coerce").to_numpy(float)
        z = el[a] + frac * (el[b] - el[a])
    else:
        z = np.zeros(len(rows))
    if "geometry" in links.columns:
        import shapely

        geoms = links["geometry"].to_numpy(dtype=object)[rows]
        ok = shapely.is_geometry(geoms)
        ok[ok] = ~shapely.is_empty(geoms[ok])
        if ok.any():
            pts = shapely.line_interpolate_point(geoms[ok], frac[ok], normalized=True)
            x[ok], y[ok] = shapely.get_x(pts), shapely.get_y(pts)
    return x, y, z

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
crew finds them on the map.

A utility that knows its hydrants gives them instead: :func:`add_sites` splits
each pipe where one of its fittings stands (snapped to the pipe by
:func:`leakopt.validate.snap_sites`), so a logger there hears both ways along
the main (``build_coverage(..., sites=...)``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int, singular
from leakopt.schema import GEOMETRY, Network

ACCESS_POINT = "access_point"

#: Prefix of the network node of a site that stands inside a pipe.
SITE_NODE_PREFIX = "site:"


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


def add_sites(network: Network, sites: pd.DataFrame, *, end_tolerance_m: float = 1.0) -> tuple[Network, np.ndarray]:
    """Split pipes where the utility's fittings stand.

    Parameters
    ----------
    network : Network
        Pipes may already be split into parts (:func:`add_access_points`):
        parts of one ``pipe_id`` follow each other from its start node.
    sites : DataFrame
        ``site_id``, ``pipe_id``, ``offset_m`` (from the pipe's start node),
        ``snap_x``, ``snap_y`` (the point on the pipe); see
        :class:`leakopt.validate.SnappedSites`.
    end_tolerance_m : float
        A site this close to a node stands on that node (no part shorter than this).

    Returns
    -------
    network : Network
        Pipes split at the sites (``part`` counts parts from the start node);
        a new node ``"site:<site_id>"`` (type "site") for each site inside a pipe.
    site_nodes : ndarray of str
        The node each site stands on, in ``sites`` order.
    """
    links, nodes = network.links.reset_index(drop=True), network.nodes.reset_index(drop=True)
    length = pd.to_numeric(links["length_m"], errors="coerce").fillna(0.0).to_numpy(float)
    pid = links["pipe_id"].astype(str)
    part_start = pid.to_frame().assign(L=length).groupby("pipe_id", sort=False)["L"].cumsum().to_numpy() - length
    cuts = _site_cuts(sites, pid, part_start, length, float(end_tolerance_m))
    start = links["start_node"].astype(str).to_numpy(dtype=object)
    end = links["end_node"].astype(str).to_numpy(dtype=object)
    at_start, at_end = cuts["t"] <= end_tolerance_m, cuts["t"] >= cuts["L"] - end_tolerance_m
    site_nodes = np.where(at_start, start[cuts["row"]], np.where(at_end, end[cuts["row"]], None))
    inner = cuts.loc[~(at_start | at_end)].sort_values(["row", "t"], kind="stable")
    same = (inner["row"].diff().eq(0) & inner["t"].diff().le(end_tolerance_m)).to_numpy()
    ids = (SITE_NODE_PREFIX + inner["site_id"].astype(str)).to_numpy(dtype=object)
    for k in np.flatnonzero(same):        # two fittings at one point: one node
        ids[k] = ids[k - 1]
    node_of = pd.Series(ids, index=inner.index)
    site_nodes[inner.index.to_numpy()] = node_of.to_numpy(dtype=object)
    inner, ids = inner.loc[~same], ids[~same]
    if len(inner) == 0:
        return network, site_nodes.astype(str)
    new_nodes = pd.DataFrame({"node_id": ids, "x": inner["snap_x"].to_numpy(float),
                              "y": inner["snap_y"].to_numpy(float), "elevation": np.nan,
                              "node_type": "site", "base_demand": 0.0})
    split = _split_rows(links, length, start, end, inner["row"].to_numpy(), inner["t"].to_numpy(float), ids)
    all_nodes = pd.concat([nodes, new_nodes[[c for c in new_nodes.columns if c in nodes.columns]]],
                          ignore_index=True)
    return Network(nodes=all_nodes, links=split, inp_path=network.inp_path), site_nodes.astype(str)


def _site_cuts(sites, pid, part_start, length, tol) -> pd.DataFrame:
    """Per site: the row of the part it stands on, its offset ``t`` in that part, the part's length ``L``."""
    parts = pd.DataFrame({"pipe_id": pid.to_numpy(), "row": np.arange(len(pid)), "s": part_start, "L": length})
    s = sites.reset_index(drop=True)
    m = s[["site_id", "pipe_id", "offset_m"]].assign(
        pipe_id=s["pipe_id"].astype(str), site=np.arange(len(s)),
        snap_x=s["snap_x"] if "snap_x" in s else s["x"], snap_y=s["snap_y"] if "snap_y" in s else s["y"])
    m = m.merge(parts, on="pipe_id", how="left")
    unknown = m["row"].isna()
    if unknown.any():
        n, examples = int(unknown.sum()), m.loc[unknown, "pipe_id"].head(3).tolist()
        on_fr = "site est sur une conduite absente" if singular(n, "fr") else "sites sont sur des conduites absentes"
        raise InputError(f"{n} site(s) are on pipes that are not in the network, e.g. {examples}",
                         fr=f"{fmt_int(n, 'fr')} {on_fr} du réseau, par exemple {examples}")
    m["t"] = m["offset_m"].astype(float) - m["s"]
    inside = (m["t"] >= -tol) & (m["t"] <= m["L"] + tol)
    m = m.loc[inside].sort_values(["site", "t"]).drop_duplicates("site", keep="first")
    if len(m) != len(s):
        n = len(s) - len(m)
        beyond_fr = ("site a une position (offset_m) au-delà de l’extrémité de sa conduite ; rattachez-le"
                     if singular(n, "fr") else
                     "sites ont une position (offset_m) au-delà de l’extrémité de leur conduite ; rattachez-les")
        raise InputError(f"{n} site(s) have an offset beyond the end of their pipe; "
                         "snap them with leakopt.validate.snap_sites on this network",
                         fr=f"{fmt_int(n, 'fr')} {beyond_fr} à ce réseau avec leakopt.validate.snap_sites")
    m = m.sort_values("site").set_index("site")
    m["row"] = m["row"].astype(np.int64)
    return m.reset_index(drop=True)


def _split_rows(links, length, start, end, rows, t, ids) -> pd.DataFrame:
    """Links with the part in ``rows[k]`` cut at offset ``t[k]`` (sorted by row, then t) at node ``ids[k]``."""
    n_cuts = np.bincount(rows, minlength=len(links))
    pieces = n_cuts + 1
    row_of = np.repeat(np.arange(len(links)), pieces)
    first = np.concatenate([[0], np.cumsum(pieces)[:-1]])
    k = np.arange(pieces.sum()) - first[row_of]                     # piece number within its row
    cut_first = np.concatenate([[0], np.cumsum(n_cuts)[:-1]])     # first cut of each row in (rows, t, ids)
    prev = cut_first[row_of] + k - 1                                # the cut a piece starts at (k > 0)
    nxt = cut_first[row_of] + k                                     # the cut it ends at (k < n_cuts)
    last = k == n_cuts[row_of]
    t_full = np.concatenate([t, [0.0]])
    a = np.where(k > 0, t_full[np.where(k > 0, prev, -1)], 0.0)
    b = np.where(last, length[row_of], t_full[np.where(last, -1, nxt)])
    ids_full = np.concatenate([np.asarray(ids, dtype=object), [None]])
    s_node = np.where(k > 0, ids_full[np.where(k > 0, prev, -1)], start[row_of])
    e_node = np.where(last, end[row_of], ids_full[np.where(last, -1, nxt)])
    out = links.iloc[row_of].assign(start_node=s_node, end_node=e_node, length_m=b - a).reset_index(drop=True)
    if GEOMETRY in out.columns:  # a cut pipe's parts are straight lines between their ends
        out[GEOMETRY] = np.where(pieces[row_of] > 1, None, out[GEOMETRY].to_numpy(dtype=object))
    out["part"] = out.groupby(out["pipe_id"].astype(str), sort=False).cumcount()
    return out

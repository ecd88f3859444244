"""Snapping leak coordinates to the nearest pipe, with a spatial index.

Pipes with line geometry are indexed in a shapely ``STRtree`` and each point
gets its nearest line and the distance to it; pipes known only by a midpoint
(a CSV register with ``x``, ``y``) are indexed in a scipy ``cKDTree``.  Both
are queried for all points at once: no Python loop over leaks or pipes.
"""
from __future__ import annotations

import numpy as np


def snap_points(px, py, *, geometries=None, mid_x=None, mid_y=None) -> tuple[np.ndarray, np.ndarray, str]:
    """Nearest pipe of each point.

    Parameters
    ----------
    px, py : array-like
        Point coordinates (NaN where unknown), in the pipes' CRS.
    geometries : array of shapely LineString or None, optional
        Pipe lines (None where unknown).  Used when any is known.
    mid_x, mid_y : array-like, optional
        Pipe midpoints, used when no line geometry is known.

    Returns
    -------
    index : ndarray of int
        Position of the nearest pipe, -1 when the point or the pipes have no
        coordinates.
    distance : ndarray of float
        Distance to it (CRS units, metres in a projected CRS), NaN when -1.
    method : str
        ``"line"``, ``"midpoint"`` or ``"none"``.
    """
    px = np.asarray(px, dtype=float)
    py = np.asarray(py, dtype=float)
    index = np.full(len(px), -1, dtype=np.int64)
    distance = np.full(len(px), np.nan)
    ok = np.isfinite(px) & np.isfinite(py)
    if not ok.any():
        return index, distance, "none"
    if geometries is not None:
        import shapely
        import pandas as pd
        geoms = np.asarray(geometries, dtype=object)
        geoms = np.where(pd.isna(geoms), None, geoms)
        known = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
        if len(known):
            tree = shapely.STRtree(geoms[known])
            points = shapely.points(px[ok], py[ok])
            (qi, ti), dist = tree.query_nearest(points, return_distance=True, all_matches=False)
            rows = np.flatnonzero(ok)[qi]
            index[rows] = known[ti]
            distance[rows] = dist
            return index, distance, "line"
    if mid_x is not None and mid_y is not None:
        from scipy.spatial import cKDTree
        mx, my = np.asarray(mid_x, dtype=float), np.asarray(mid_y, dtype=float)
        known = np.flatnonzero(np.isfinite(mx) & np.isfinite(my))
        if len(known):
            tree = cKDTree(np.column_stack([mx[known], my[known]]))
            dist, ti = tree.query(np.column_stack([px[ok], py[ok]]), k=1)
            index[ok] = known[ti]
            distance[ok] = dist
            return index, distance, "midpoint"
    return index, distance, "none"

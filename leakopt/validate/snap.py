"""Snapping leak coordinates to the nearest pipe, with a spatial index.

Pipes with line geometry are indexed in a shapely ``STRtree`` and each point
gets its nearest line and the distance to it; pipes known only by a midpoint
(a CSV register with ``x``, ``y``) are indexed in a scipy ``cKDTree``.  Both
are queried for all points at once: no Python loop over leaks or pipes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _metric(px, py, geometries, mid_x, mid_y, crs):
    """Coordinates in metres: scaled from a projected CRS's unit (US feet...), or projected to the local
    UTM zone (estimated from the pipes) when ``crs`` is geographic."""
    if crs is None or (geometries is None and (mid_x is None or mid_y is None)):
        return px, py, geometries, mid_x, mid_y
    from pyproj import CRS, Transformer
    source = CRS.from_user_input(crs)
    import geopandas as gpd
    import shapely
    if not source.is_geographic:
        f = float(source.axis_info[0].unit_conversion_factor)
        if abs(f - 1.0) < 1e-12:
            return px, py, geometries, mid_x, mid_y
        scaled = None if geometries is None else shapely.transform(
            np.where(pd.isna(np.asarray(geometries, dtype=object)), None, np.asarray(geometries, dtype=object)),
            lambda c: c * f)
        return (px * f, py * f, scaled, None if mid_x is None else np.asarray(mid_x, dtype=float) * f,
                None if mid_y is None else np.asarray(mid_y, dtype=float) * f)
    if geometries is not None:
        geoms = np.asarray(geometries, dtype=object)
        utm = gpd.GeoSeries(np.where(pd.isna(geoms), None, geoms), crs=source).estimate_utm_crs()
    else:
        known = np.isfinite(np.asarray(mid_x, dtype=float)) & np.isfinite(np.asarray(mid_y, dtype=float))
        utm = gpd.GeoSeries(shapely.points(np.asarray(mid_x, dtype=float)[known],
                                           np.asarray(mid_y, dtype=float)[known]), crs=source).estimate_utm_crs()
    tr = Transformer.from_crs(source, utm, always_xy=True)
    px, py = tr.transform(px, py)
    if geometries is not None:
        geometries = np.asarray(gpd.GeoSeries(np.asarray(geometries, dtype=object), crs=source).to_crs(utm),
                                dtype=object)
    if mid_x is not None and mid_y is not None:
        mid_x, mid_y = tr.transform(np.asarray(mid_x, dtype=float), np.asarray(mid_y, dtype=float))
    return px, py, geometries, mid_x, mid_y


def snap_points(px, py, *, geometries=None, mid_x=None, mid_y=None,
                crs: str | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Nearest pipe of each point.

    Parameters
    ----------
    px, py : array-like
        Point coordinates (NaN where unknown), in the pipes' CRS.
    geometries : array of shapely LineString or None, optional
        Pipe lines (None where unknown).  Used when any is known.
    mid_x, mid_y : array-like, optional
        Pipe midpoints, used when no line geometry is known.
    crs : str, optional
        When geographic (lon/lat), everything is projected to the local UTM
        zone first so that distances are in metres.

    Returns
    -------
    index : ndarray of int
        Position of the nearest pipe, -1 when the point or the pipes have no
        coordinates.
    distance : ndarray of float
        Distance to it in metres (CRS units when the CRS is unknown), NaN when -1.
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
    px, py, geometries, mid_x, mid_y = _metric(px, py, geometries, mid_x, mid_y, crs)
    if geometries is not None:
        import shapely
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

"""The utility's own fittings (hydrants, valves) as logger sites: reprojected, checked, snapped to a pipe.

:func:`snap_sites` takes the points :func:`leakopt.io.read_points` read, brings
them into the network's coordinates, and puts each on its nearest pipe, at an
offset from the pipe's start node, so that placement can hang a logger there
(:func:`leakopt.placement.build_coverage` with ``sites=``).  Every site left
out is counted in the :class:`~leakopt.validate.ValidationReport`: no
coordinates, a duplicated ``site_id``, farther from any pipe than
``max_distance_m``.  What is assumed about coordinate systems is reported too
(issue ``sites_crs_assumed``, severity info).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.schema import Network
from leakopt.validate.messages import PHRASES, localized
from leakopt.validate.report import ValidationReport
from leakopt.validate.snap import snap_points

#: Columns of :attr:`SnappedSites.sites`.
SITE_COLUMNS = ("site_id", "kind", "x", "y", "pipe_id", "offset_m", "snap_distance_m", "snap_x", "snap_y")

#: The issue codes :func:`snap_sites` may report (a re-run replaces them in ``validation.json``).
SITE_ISSUES = ("sites_crs_assumed", "site_no_coordinates", "site_duplicate_id", "site_too_far_from_pipe")


@dataclass(frozen=True)
class SnappedSites:
    """Sites on pipes, and what was found on the way.

    Attributes
    ----------
    sites : DataFrame
        One row per usable site: ``site_id``, ``kind``, ``x``, ``y`` (the
        fitting, in the network's coordinates), ``pipe_id`` (nearest pipe),
        ``offset_m`` (from its start node, in the network's length),
        ``snap_distance_m``, ``snap_x``, ``snap_y`` (the nearest point of the pipe).
    too_far : DataFrame
        The sites farther than ``max_distance_m`` from every pipe (same columns).
    n_read : int
    report : ValidationReport
        The issues found (codes in :data:`SITE_ISSUES`).
    """

    sites: pd.DataFrame
    too_far: pd.DataFrame
    n_read: int
    report: ValidationReport

    def table(self) -> pd.DataFrame:
        """Every site with coordinates and a unique ID: its nearest pipe, the distance, and ``used`` (bool)."""
        return pd.concat([self.sites.assign(used=True), self.too_far.assign(used=False)], ignore_index=True)

    def to_json(self) -> dict:
        """Counts for ``placement.json`` and the summary."""
        return {"n_sites_read": self.n_read, "n_sites_used": len(self.sites), "n_sites_too_far": len(self.too_far)}


def snap_sites(points: pd.DataFrame, network: Network, *, crs: str | None = None, network_crs: str | None = None,
               max_distance_m: float = 25.0, source: str | None = None,
               report: ValidationReport | None = None, what: str = "site", table: str = "coverage") -> SnappedSites:
    """Reproject the sites to the network's CRS and snap each to its nearest pipe.

    Parameters
    ----------
    points : DataFrame
        ``site_id``, ``kind``, ``x``, ``y`` (:func:`leakopt.io.read_points`).
    network : Network
        Pipes with ``geometry`` (straight lines between their end nodes where missing).
    crs, network_crs : str, optional
        CRS of the points and of the network.  When both are known the points
        are reprojected; when one is unknown the points are taken to be in
        the network's coordinates, and the report says so.
    max_distance_m : float
        Sites farther than this from every pipe are left out and listed.
    source : str, optional
        File name, for the report.
    report : ValidationReport, optional
        Issues are added to it (a new one otherwise).
    what, table : str
        What the points are and the configuration table of their settings: the issue codes
        (``site_too_far_from_pipe``; ``valve_too_far_from_pipe`` with ``what="valve"``) and the
        settings the messages name (``[coverage] site_snap_max_m``, ``[consequence] valve_snap_max_m``).

    Returns
    -------
    SnappedSites
    """
    if not float(max_distance_m) > 0:
        what_fr = {"site": "des sites", "valve": "des vannes"}.get(what, f"({what})")
        raise InputError(f"{what} snapping distance {max_distance_m!r}; expected metres > 0",
                         fr=f"distance de rattachement {what_fr} {max_distance_m!r} ; attendu : un nombre de "
                            "mètres > 0")
    report = report if report is not None else ValidationReport(sources={f"{what}s": source} if source else {})
    name = source or (localized(f"{what}s_file") if f"{what}s_file" in PHRASES else f"the {what}s file")
    x, y = _to_network_crs(points, crs, network_crs, name, report, what=what, table=table)
    sites = points.loc[:, ["site_id", "kind"]].assign(x=x, y=y).reset_index(drop=True)
    ok = np.isfinite(x) & np.isfinite(y)
    report.add(f"{what}_no_coordinates", "warning", int((~ok).sum()),
               params={"n": int((~ok).sum()), "what": what, "name": name},
               examples=sites.loc[~ok, ["site_id"]], file=source, column="x, y")
    dup = np.zeros(len(sites), bool)
    dup[ok] = sites.loc[ok, "site_id"].duplicated(keep="first").to_numpy()
    report.add(f"{what}_duplicate_id", "warning", int(dup.sum()),
               params={"n": int(dup.sum()), "what": what, "name": name},
               examples=sites.loc[dup, ["site_id", "x", "y"]], file=source, column="site_id")
    sites = sites.loc[ok & ~dup].reset_index(drop=True)
    sites = _snap(sites, network, network_crs)
    far = sites["snap_distance_m"].isna() | (sites["snap_distance_m"] > float(max_distance_m))
    too_far = sites.loc[far].reset_index(drop=True)
    report.add(f"{what}_too_far_from_pipe", "warning", len(too_far),
               params={"n": len(too_far), "what": what, "name": name, "max_m": float(max_distance_m), "table": table},
               examples=too_far[["site_id", "kind", "x", "y", "pipe_id", "snap_distance_m"]].round(2),
               file=source, column="x, y")
    return SnappedSites(sites=sites.loc[~far].reset_index(drop=True), too_far=too_far, n_read=len(points),
                        report=report)


def _to_network_crs(points, crs, network_crs, name, report, *, what: str, table: str) -> tuple[np.ndarray, np.ndarray]:
    x = pd.to_numeric(points["x"], errors="coerce").to_numpy(float)
    y = pd.to_numeric(points["y"], errors="coerce").to_numpy(float)
    if crs is not None and network_crs is not None:
        from pyproj import CRS, Transformer
        if CRS.from_user_input(crs) != CRS.from_user_input(network_crs):
            x, y = Transformer.from_crs(crs, network_crs, always_xy=True).transform(x, y)
        return np.asarray(x, float), np.asarray(y, float)
    case = "none" if crs is None and network_crs is None else "points" if crs is None else "network"
    report.add(f"{what}s_crs_assumed", "info", 1, key=f"{what}s_crs_assumed_{case}", file=name,
               params={"name": name, "what": what, "table": table, "crs": crs, "network_crs": network_crs})
    return x, y


def _snap(sites: pd.DataFrame, network: Network, network_crs) -> pd.DataFrame:
    """Nearest pipe, distance and offset along it for every site."""
    import shapely
    links = network.links.reset_index(drop=True)
    geoms = _pipe_lines(network)
    index, distance, _ = snap_points(sites["x"].to_numpy(float), sites["y"].to_numpy(float), geometries=geoms,
                                     crs=network_crs)
    found = index >= 0
    pipe = np.where(found, index, 0)
    pts = shapely.points(sites["x"].to_numpy(float), sites["y"].to_numpy(float))
    frac = np.where(found, shapely.line_locate_point(geoms[pipe], pts, normalized=True), np.nan)
    on_line = shapely.line_interpolate_point(geoms[pipe], np.nan_to_num(frac), normalized=True)
    length = pd.to_numeric(links["length_m"], errors="coerce").to_numpy(float)[pipe]
    return sites.assign(
        pipe_id=np.where(found, links["pipe_id"].astype(str).to_numpy(dtype=object)[pipe], None),
        offset_m=np.clip(frac, 0.0, 1.0) * length, snap_distance_m=distance,
        snap_x=np.where(found, shapely.get_x(on_line), np.nan), snap_y=np.where(found, shapely.get_y(on_line), np.nan))


def _pipe_lines(network: Network) -> np.ndarray:
    """Each pipe's line: its geometry, else the straight line between its end nodes."""
    import shapely
    links, nodes = network.links.reset_index(drop=True), network.nodes
    xy = nodes.assign(node_id=nodes["node_id"].astype(str)).set_index("node_id")[["x", "y"]]
    a = xy.reindex(links["start_node"].astype(str)).to_numpy(float)
    b = xy.reindex(links["end_node"].astype(str)).to_numpy(float)
    straight = shapely.linestrings(np.stack([a, b], axis=1))
    if "geometry" not in links.columns:
        return np.asarray(straight, dtype=object)
    geoms = links["geometry"].to_numpy(dtype=object)
    known = np.array([isinstance(g, shapely.Geometry) and not g.is_empty for g in geoms], dtype=bool)
    return np.where(known, geoms, straight)

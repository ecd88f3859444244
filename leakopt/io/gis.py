"""GIS layers: reading line and point layers, lengths from geometry, CRS handling, GeoJSON output.

Geometry arrives either from a GIS file (GeoPackage, GeoJSON, Shapefile) read
with pyogrio, or as WKT text in a CSV column.  Lengths are computed in metres:
in the layer's own units when it is projected, on the ellipsoid otherwise.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int, in_french
from leakopt.io.csvformat import DECOMPRESSION_ERRORS, csv_format, csv_named, read_found
from leakopt.io.values import to_number
from leakopt.schema import GEOMETRY, PIPE_ID, Utility

log = logging.getLogger(__name__)


GEOM_LENGTH_COLUMN = "_geometry_length_m"   # lengths of the lines as read (disjoint parts not joined)



#: ``DataFrame.attrs`` key set by :func:`read_gis` when it took a layer without a CRS as WGS84.
CRS_ASSUMED = "leakopt_crs_assumed"
#: ``DataFrame.attrs`` key set by :func:`read_gis` to the geographic CRS a layer declared while its
#: coordinates cannot be degrees (the layer is then read in an unknown projected CRS).
CRS_NOT_DEGREES = "leakopt_crs_not_degrees"
#: ``frame.attrs`` key of a register read from one layer of a file: (the layer read, the file's layers).
LAYER_READ = "leakopt_layer_read"


def lonlat_only(geoms, x=None, y=None) -> bool:
    """Whether every coordinate of ``geoms`` (or of the points ``x``, ``y``) is a longitude/latitude.

    No utility's network fits in 180 by 90 metres: a layer without a CRS whose coordinates all do
    is in degrees.
    """
    coords = _coordinates(geoms, x, y)
    return bool(len(coords) and _within_degrees(coords))


def _coordinates(geoms, x=None, y=None) -> np.ndarray:
    """(n, 2) finite coordinates of ``geoms`` (missing ones skipped), or of the points ``x``, ``y``."""
    import shapely
    if geoms is not None:
        g = np.asarray(geoms, dtype=object)
        return shapely.get_coordinates(g[~pd.isna(g)])
    coords = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    return coords[np.isfinite(coords).all(axis=1)]


def _within_degrees(coords: np.ndarray) -> bool:
    return bool(((np.abs(coords[:, 0]) <= 180) & (np.abs(coords[:, 1]) <= 90)).all())


def read_gis(path: Path, *, layer: str | None) -> tuple[pd.DataFrame, str | None]:
    import pyogrio
    try:
        if layer is None:
            layer = _line_layer(path)
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(f"{path} could not be read as a GIS layer{f' (layer {layer!r})' if layer else ''}: "
                         f"{exc}.{_layers_text(path)} Give a GeoPackage, GeoJSON or Shapefile with line "
                         "geometry, or a CSV",
                         fr=f"{path} n’a pas pu être lu comme une couche SIG{f' (couche {layer!r})' if layer else ''} "
                            f": {exc}.{_layers_text(path, lang='fr')} Donnez un GeoPackage, un GeoJSON ou un "
                            "Shapefile de lignes, ou un CSV") from exc
    crs = crs_string(gdf.crs)
    geoms = gdf.geometry.array if hasattr(gdf, "geometry") and gdf._geometry_column_name in gdf else None
    assumed = crs is None and geoms is not None and lonlat_only(np.asarray(geoms, dtype=object))
    if assumed:
        log.info("%s has no CRS and only longitude/latitude coordinates: read as WGS84 (EPSG:4326)", path,
                 extra=in_french("%s n’a pas de SCR et seulement des coordonnées longitude/latitude : lu en WGS84 "
                                 "(EPSG:4326)"))
        crs = "EPSG:4326"
    declared = crs
    if not assumed and geoms is not None:
        crs = _checked_degrees(path, crs, np.asarray(geoms, dtype=object), warn=False)
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)) if geoms is not None else pd.DataFrame(gdf)
    if geoms is not None:
        raw = np.asarray(geoms, dtype=object)
        frame[GEOMETRY] = _as_linestrings(raw, path)
        frame[GEOM_LENGTH_COLUMN] = geometry_length_m(_as_linestrings(raw, path, join=False), crs)
    frame.attrs[CRS_ASSUMED] = assumed
    frame.attrs[CRS_NOT_DEGREES] = declared if declared is not None and crs is None else None
    if layer is not None:
        frame.attrs[LAYER_READ] = (str(layer), [str(name) for name, _ in pyogrio.list_layers(path)])
    return frame, crs


def _checked_degrees(path, crs: str | None, geoms: np.ndarray, *, warn: bool = True) -> str | None:
    """``crs``, or None when it is geographic but ``geoms`` hold coordinates no longitude/latitude can have.

    A GeoJSON without a "crs" member is WGS84 by RFC 7946, and GDAL says so, yet exports from a GIS
    often hold projected metres there: lengths in degrees would be nonsense, sites would snap nowhere,
    and the map file could not be written.  ``warn=False``: the caller reports it (the pipes' check
    ``crs_not_degrees``).
    """
    if not not_degrees(crs, geoms):
        return crs
    if warn:
        log.warning("%s is in longitude/latitude (%s) by its own CRS, or by its format's rule (a GeoJSON without a "
                    "CRS is WGS84), but its coordinates reach beyond 180/90: taken in the network's coordinates "
                    "(metres). Export the layer in WGS84, or as a GeoPackage that carries its CRS", path, crs,
                    extra=in_french("%s est en longitude/latitude (%s) par son propre système de coordonnées, ou "
                                    "par la règle de son format (un GeoJSON sans système de coordonnées est en "
                                    "WGS84), mais ses coordonnées dépassent 180/90 : elles sont prises dans les "
                                    "coordonnées du réseau (mètres). Exportez la couche en WGS84, ou en GeoPackage "
                                    "qui porte son système de coordonnées"))
    return None


def not_degrees(crs: str | None, geoms=None, x=None, y=None) -> bool:
    """Whether ``crs`` is geographic while the coordinates (as for :func:`lonlat_only`) cannot be degrees."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError
    if crs is None:
        return False
    try:
        geographic = CRS.from_user_input(crs).is_geographic
    except CRSError:
        return False
    if not geographic:
        return False
    coords = _coordinates(geoms, x, y)
    return bool(len(coords)) and not _within_degrees(coords)


class PointsFr(NamedTuple):
    """The French of a kind of point: its file, one point, several, and "none" agreeing with its gender."""
    file: str
    one: str
    many: str
    none: str


#: The French of the point files :func:`read_points` reads (its ``what``), also for the run's messages on them.
POINTS_FR = {"sites": PointsFr("le fichier des sites", "site", "sites", "aucun"),
             "valves": PointsFr("le fichier des vannes", "vanne", "vannes", "aucune")}


def points_fr(what: str) -> PointsFr:
    """The French of ``what`` ("sites" or "valves"; "site" and "valve" too)."""
    return POINTS_FR.get(what if what.endswith("s") else f"{what}s",
                         PointsFr("le fichier des points", "point", "points", "aucun"))


#: Columns of the frame :func:`read_points` returns, before any pass-through column.
POINT_COLUMNS = ("site_id", "kind", "x", "y")


def read_points(path, *, layer: str | None = None, what: str = "sites") -> tuple[pd.DataFrame, str | None]:
    """Read a point layer (the utility's hydrants, valves...): a CSV with ``x``, ``y`` or a GIS file.

    Parameters
    ----------
    path : path
        A CSV with columns ``x``, ``y`` and optionally ``site_id`` and ``kind``
        (hydrant, valve...), or a GeoPackage / GeoJSON / Shapefile of points
        (its attribute columns ``site_id`` and ``kind`` are used when present).
    layer : str, optional
        Layer of a multi-layer GIS file; default its first point layer.
    what : str
        What the points are, in the messages ("sites", "valves"); rows without an ID are
        named after it ("site3", "valve3").

    Returns
    -------
    frame : DataFrame
        ``site_id`` (str; "site<row>" counting from 1 when the file has none),
        ``kind`` (str; "fitting" when unknown), ``x``, ``y`` (float, NaN when
        missing), then the file's other columns.  Rows are kept as read:
        checking them is :func:`leakopt.validate.snap_sites`' job.
    crs : str or None
        The layer's CRS; always None for a CSV (its CRS is set by the caller).

    Raises
    ------
    InputError
        If the file is missing, unreadable, has no ``x``/``y`` columns (CSV)
        or holds no points (GIS).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} file {path} does not exist; give a CSV with x, y or a GIS point layer",
                         fr=f"{points_fr(what).file} {path} n’existe pas ; donnez un CSV avec x, y ou une couche SIG "
                            "de points")
    if csv_named(path):
        frame, crs = _points_csv(path, what)
    else:
        frame, crs = _points_gis(path, layer, what)
    n = len(frame)
    ids = frame["site_id"] if "site_id" in frame else pd.Series([None] * n, index=frame.index, dtype=object)
    missing = ids.isna() | ids.astype("str").str.strip().eq("")
    stem = what[:-1] if what.endswith("s") else what
    ids = ids.astype("str").str.strip().where(~missing, pd.Series([f"{stem}{i + 1}" for i in range(n)],
                                                                  index=frame.index))
    kind = frame["kind"] if "kind" in frame else pd.Series([None] * n, index=frame.index, dtype=object)
    kind = kind.astype("str").str.strip().str.lower().where(kind.notna() & kind.astype("str").str.strip().ne(""),
                                                            "fitting")
    out = pd.DataFrame({"site_id": ids.to_numpy(dtype=object), "kind": kind.to_numpy(dtype=object),
                        "x": to_number(frame["x"])[0].to_numpy(float),      # "5368,08": a decimal comma
                        "y": to_number(frame["y"])[0].to_numpy(float)})
    rest = frame.drop(columns=[c for c in POINT_COLUMNS if c in frame.columns]).reset_index(drop=True)
    return pd.concat([out, rest], axis=1), crs


#: Column names of longitude and latitude in a points CSV (lower case), read as x, y in WGS84.
LONLAT_NAMES = (("lon", "lng", "long", "longitude", "x_wgs84"), ("lat", "latitude", "y_wgs84"))


def _points_csv(path: Path, what: str) -> tuple[pd.DataFrame, str | None]:
    """The CSV's rows with ``x``, ``y``, and its CRS: WGS84 when it gives longitude and latitude instead.

    Encoding, delimiter and compression are found as for the register
    (:func:`~leakopt.io.csvformat.csv_format`): a spreadsheet's CSV in a French locale (semicolons,
    Windows-1252) reads as a UTF-8 one."""
    found = csv_format(path)
    if found is None:
        raise InputError(f"{what} file {path} is empty; give a CSV with x, y (one row per point) or a GIS "
                         "point layer",
                         fr=f"{points_fr(what).file} {path} est vide ; donnez un CSV avec x, y (une ligne par point) "
                            "ou une couche SIG de points")
    try:
        frame = read_found(path, found, dtype={"site_id": str, "kind": str})
    except (ValueError, UnicodeDecodeError, *DECOMPRESSION_ERRORS) as exc:
        raise InputError(f"{what} file {path} could not be read as CSV: {exc}",
                         fr=f"{points_fr(what).file} {path} n’a pas pu être lu comme CSV : {exc}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    lower = {c.lower(): c for c in frame.columns}
    frame = frame.rename(columns={lower[k]: k for k in ("x", "y", "site_id", "kind") if k in lower})
    crs = None
    if "x" not in frame.columns and "y" not in frame.columns:
        lon, lat = ([lower[k] for k in names if k in lower] for names in LONLAT_NAMES)
        if lon and lat:   # a GPS survey or a web map's export: degrees, WGS84
            frame = frame.rename(columns={lon[0]: "x", lat[0]: "y"})
            crs = "EPSG:4326"
            log.info("%s: columns %s and %s read as longitude and latitude (WGS84)", path, lon[0], lat[0],
                     extra=in_french("%s : colonnes %s et %s lues comme longitude et latitude (WGS84)"))
    missing = [c for c in ("x", "y") if c not in frame.columns]
    if missing:
        words = points_fr(what)
        raise InputError(f"{what} file {path} lacks column(s) {missing} (columns found: {list(frame.columns)[:12]}); "
                         f"a {what} CSV needs x and y (coordinates in the network's system) or lon and lat "
                         "(degrees), and may have site_id and kind",
                         fr=f"il manque au {words.file.removeprefix('le ')} {path} les colonnes {missing} (colonnes "
                            f"trouvées : {list(frame.columns)[:12]}) ; un CSV de {words.many} doit avoir x et y "
                            "(coordonnées dans le système du réseau) ou lon et lat (degrés), et peut avoir site_id "
                            "et kind")
    return frame, crs


def _points_gis(path: Path, layer: str | None, what: str) -> tuple[pd.DataFrame, str | None]:
    import pyogrio
    import shapely
    try:
        if layer is None:
            layer = _layer_of(path, "point")
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(f"{what} file {path} could not be read as a GIS layer: {exc}. Give a GeoPackage, "
                         "GeoJSON or Shapefile of points, or a CSV with x, y",
                         fr=f"{points_fr(what).file} {path} n’a pas pu être lu comme une couche SIG : {exc}. Donnez "
                            "un GeoPackage, un GeoJSON ou un Shapefile de points, ou un CSV avec x, y") from exc
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    crs = _checked_degrees(path, crs_string(gdf.crs), geoms)
    kinds = shapely.get_type_id(geoms)   # -1 missing, 0 Point, 4 MultiPoint
    bad = ~np.isin(kinds, [-1, 0, 4])
    if bad.any():
        n = int(bad.sum())
        words = points_fr(what)
        features_fr = "1 entité qui n’est pas un point" if n == 1 else f"{n} entités qui ne sont pas des points"
        raise InputError(f"{what} file {path} holds {n} feature{'s' if n > 1 else ''} that {'are' if n > 1 else 'is'} "
                         f"not a point (e.g. a {geoms[bad][0].geom_type}); give the {what} as a point layer",
                         fr=f"{words.file} {path} contient {features_fr} (par exemple une géométrie "
                            f"{geoms[bad][0].geom_type}) ; donnez les {words.many} sous forme de couche de points")
    multi = kinds == 4
    if multi.any():  # a multi-point fitting: its first point
        geoms = geoms.copy()
        geoms[multi] = shapely.get_geometry(geoms[multi], 0)
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    frame.columns = [str(c) for c in frame.columns]
    lower = {c.lower(): c for c in frame.columns}
    frame = frame.rename(columns={lower[k]: k for k in ("site_id", "kind") if k in lower})
    frame = frame.drop(columns=[c for c in ("x", "y") if c in frame.columns])
    frame["x"], frame["y"] = shapely.get_x(geoms), shapely.get_y(geoms)
    return frame, crs


def _line_layer(path: Path) -> str | None:
    return _layer_of(path, "line")


def _layers_text(path: Path, *, lang: str = "en") -> str:
    """" Its layers: a (line), b (point)." when the file lists them, else "" (``lang``: "en" or "fr")."""
    import pyogrio
    try:
        layers = pyogrio.list_layers(path)
    except Exception:   # noqa: BLE001 - the file itself is unreadable: the caller's message says so
        return ""
    if not len(layers):
        return ""
    if lang == "fr":
        return " Ses couches : " + ", ".join(f"{name} ({gtype or 'sans géométrie'})" for name, gtype in layers) + \
            " (choisissez-en une avec --layer)."
    return " Its layers: " + ", ".join(f"{name} ({gtype or 'no geometry'})" for name, gtype in layers) + \
        " (choose one with --layer)."


def _layer_of(path: Path, kind: str) -> str | None:
    import pyogrio
    layers = pyogrio.list_layers(path)
    if len(layers) <= 1:
        return None
    lines = [name for name, gtype in layers if gtype and kind in str(gtype).lower()]
    chosen = (lines or [layers[0][0]])[0]
    # several line layers: which one is the register is a guess, said loudly
    log.log(logging.WARNING if len(lines) > 1 else logging.INFO,
            "%s has %d layers (%s); reading %r (choose with --layer)", path, len(layers),
            ", ".join(str(name) for name, _ in layers), chosen,
            extra=in_french("%s a %d couches (%s) ; lecture de %r (à choisir avec --layer)"))
    return chosen



def crs_string(crs) -> str | None:
    """``"EPSG:2154"`` for a CRS with an authority code, its WKT otherwise, None when unknown."""
    if crs is None:
        return None
    from pyproj import CRS
    crs = CRS.from_user_input(crs)
    auth = crs.to_authority(min_confidence=70)
    return f"{auth[0]}:{auth[1]}" if auth else crs.to_wkt()



def metres_per_unit(crs) -> float | None:
    """Metres in one unit of ``crs``'s coordinates: 0.3048 for US or international feet, 1.0 for metres or
    an unknown CRS (coordinates taken as metres, as :func:`geometry_length_m` takes them); None when the CRS
    is geographic (degrees: no single factor)."""
    if crs is None:
        return 1.0
    from pyproj import CRS
    try:
        c = CRS.from_user_input(crs)
    except Exception:  # pyproj's CRSError and the odd TypeError: an unknown CRS reads as metres
        return 1.0
    if c.is_geographic:
        return None
    return float(c.axis_info[0].unit_conversion_factor) if c.axis_info else 1.0


def check_crs(crs, *, name: str = "crs") -> str | None:
    """Return ``crs`` unchanged if pyproj knows it (None passes); raise at once otherwise.

    Called where a CRS is received (``--crs``, :func:`leakopt.pipeline.run_sensors`) so that a typo
    stops the command before any work, not when the last file is written.

    Raises
    ------
    InputError
        Naming ``name`` and the value, with examples of what is accepted.
    """
    if crs is None:
        return None
    from pyproj import CRS
    from pyproj.exceptions import CRSError
    try:
        CRS.from_user_input(crs)
    except (CRSError, TypeError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise InputError(f"{name} {crs!r} is not a coordinate reference system pyproj knows ({reason}); "
                         "give an EPSG code such as EPSG:2154 (Lambert-93) or EPSG:27700, "
                         "or a WKT / PROJ string",
                         fr=f"{name} {crs!r} n’est pas un système de coordonnées que pyproj connaît ({reason}) ; "
                            "donnez un code EPSG comme EPSG:2154 (Lambert-93) ou EPSG:27700, ou une chaîne WKT / "
                            "PROJ") from exc
    return crs


def _as_linestrings(geoms: np.ndarray, path, *, join: bool = True) -> np.ndarray:
    """2-D LineStrings: multi-part lines merged, disjoint parts joined end to start (unless not ``join``)."""
    import shapely
    geoms = shapely.force_2d(geoms)
    kinds = shapely.get_type_id(geoms)   # -1 missing, 1 LineString, 5 MultiLineString
    bad = ~np.isin(kinds, [-1, 1, 2, 5])
    if bad.any():
        kind = shapely.get_type_id(geoms[bad][0])
        name = {0: "points", 3: "polygons", 4: "points", 6: "polygons", 7: "mixed geometries"}.get(kind, "?")
        name_fr = {0: "des points", 3: "des polygones", 4: "des points", 6: "des polygones",
                   7: "des géométries mixtes"}.get(kind, "?")
        n = int(bad.sum())
        raise InputError(f"{path}: the pipes layer holds {name} ({n} features); pipes need line "
                         "geometry (LineString). Export the pipe lines, or give a CSV with length_m",
                         fr=f"{path} : la couche des conduites contient {name_fr} ({fmt_int(n, 'fr')} "
                            f"{'entité' if n < 2 else 'entités'}) ; les conduites demandent une géométrie de ligne "
                            "(LineString). Exportez les lignes des conduites, ou donnez un CSV avec length_m")
    multi = kinds == 5
    if multi.any() and join:
        merged = shapely.line_merge(geoms[multi])
        still = shapely.get_type_id(merged) == 5
        if still.any():
            coords, idx = shapely.get_coordinates(merged[still], return_index=True)
            merged[still] = shapely.linestrings(coords, indices=idx)
            log.info("%s: %d multi-part pipes with disjoint parts joined into one line", path, int(still.sum()),
                 extra=in_french("%s : %d conduites en plusieurs parties disjointes réunies en une seule ligne"))
        geoms = geoms.copy()
        geoms[multi] = merged
    return geoms



def parse_wkt(values: pd.Series) -> np.ndarray:
    import shapely
    text = values.to_numpy(dtype=object).copy()
    written = values.map(type).eq(str).to_numpy()
    text[~written] = None   # a blank cell (NaN) is no geometry
    geoms = shapely.from_wkt(text, on_invalid="ignore")
    bad = written & pd.isna(geoms) & (values.astype("str").str.strip() != "").to_numpy()
    if bad.sum() == 1:
        log.warning("1 geometry value is not a WKT line (%r): its pipe is read without geometry",
                    str(text[bad][0])[:60],
                    extra=in_french("1 valeur de géométrie n’est pas une ligne WKT (%r) : sa conduite est lue "
                                    "sans géométrie"))
    elif bad.any():
        log.warning("%d geometry values are not WKT lines (e.g. %r): their pipes are read without geometry",
                    int(bad.sum()), str(text[bad][0])[:60],
                    extra=in_french("%d valeurs de géométrie ne sont pas des lignes WKT (par ex. %r) : leurs "
                                    "conduites sont lues sans géométrie"))
    return _as_linestrings(np.asarray(geoms, dtype=object), "geometry column")


def geometry_length_m(geoms, crs: str | None) -> np.ndarray:
    """Length of each line in metres (NaN where missing or empty: no line is no length, not 0 m).

    Planar in a projected CRS (converted from feet etc.) or when the CRS is
    unknown (coordinates taken as metres); geodesic on the CRS's ellipsoid when
    it is geographic.
    """
    import shapely
    geoms = np.asarray(geoms, dtype=object)
    geoms = np.where(pd.isna(geoms), None, geoms)
    absent = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if crs is None:
        return np.where(absent, np.nan, shapely.length(geoms))
    from pyproj import CRS
    c = CRS.from_user_input(crs)
    if not c.is_geographic:
        return np.where(absent, np.nan, shapely.length(geoms) * c.axis_info[0].unit_conversion_factor)
    geod = c.get_geod()
    parts, owner = shapely.get_parts(geoms, return_index=True)
    coords, part_idx = shapely.get_coordinates(parts, return_index=True)
    same = part_idx[1:] == part_idx[:-1]
    _, _, dist = geod.inv(coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same])
    per_part = np.bincount(part_idx[1:][same], weights=dist, minlength=len(parts))
    out = np.bincount(owner, weights=per_part, minlength=len(geoms)).astype(float)
    out[absent] = np.nan
    return out



def pipes_geodataframe(frame: pd.DataFrame, utility: Utility):
    """``frame`` (one row per pipe, with ``pipe_id``) with pipe geometry, as a GeoDataFrame.

    Geometry comes from the validated register, else from the network's
    links; the CRS is the utility's.  Returns None when no geometry is known.
    """
    import geopandas as gpd
    geom = pd.Series(np.full(len(frame), None, dtype=object), index=frame.index)
    ids = frame[PIPE_ID].astype("str")
    sources = [utility.pipes]
    if utility.network is not None and not utility.network_xy_apart:   # the network's lines, unless they lie elsewhere
        sources.append(utility.network.links)
    for src in sources:
        if GEOMETRY not in src.columns:
            continue
        by_id = pd.Series(src[GEOMETRY].to_numpy(), index=src[PIPE_ID].astype("str"))
        by_id = by_id[~by_id.index.duplicated()]
        need = geom.isna()
        geom[need] = ids[need].map(by_id)
    if geom.isna().all():
        return None
    data = frame.drop(columns=[GEOMETRY], errors="ignore")
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geom.to_numpy(), index=frame.index), crs=utility.crs)



def write_geojson(gdf, path) -> Path:
    """Write a GeoDataFrame as GeoJSON, in WGS84 when its CRS is known.

    Without a CRS, local coordinates are written as they are, the file's
    ``description`` says so and a warning is logged.
    """
    import pyogrio
    path = Path(path)
    gdf = gdf.copy()
    for col in gdf.columns:
        if col != gdf.geometry.name and gdf[col].dtype == object:
            gdf[col] = gdf[col].map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v))
                                    else v if isinstance(v, (str, int, float, bool)) else str(v))
    if path.exists():
        path.unlink()
    if gdf.crs is not None:
        pyogrio.write_dataframe(gdf.to_crs(4326), path, driver="GeoJSON", layer_options={"RFC7946": "YES"})
    else:
        log.warning("%s: the pipes' CRS is unknown; coordinates written in local units, not WGS84", path,
                    extra=in_french("%s : le système de coordonnées des conduites est inconnu ; coordonnées écrites "
                                    "en unités locales, pas en WGS84"))
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            pyogrio.write_dataframe(gdf, path, driver="GeoJSON", layer_options={
                "DESCRIPTION": "local coordinates: the input's coordinate reference system is unknown"})
    return path



def with_lonlat(frame: pd.DataFrame, crs: str | None, *, apart: bool = False) -> pd.DataFrame:
    """``frame`` with ``lon``, ``lat`` from its ``x``, ``y`` in ``crs`` (unchanged when ``crs`` is None).

    ``apart``: the x, y are not in ``crs`` (a network whose coordinates lie away from the register's):
    ``lon``, ``lat`` are blank rather than a point far from the pipes.
    """
    out = frame.copy()
    if crs is None or not len(out):
        return out
    if apart:
        out["lon"], out["lat"] = np.nan, np.nan
    else:
        out["lon"], out["lat"] = to_wgs84(out["x"].to_numpy(), out["y"].to_numpy(), crs)
    return out


def to_wgs84(x, y, crs: str | None):
    """Longitude and latitude of points given in ``crs`` (inputs unchanged when ``crs`` is None)."""
    if crs is None:
        return x, y
    from pyproj import Transformer
    tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return lon, lat

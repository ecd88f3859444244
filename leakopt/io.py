"""Reading the inputs (asset register, leak history, EPANET network) and writing outputs.

Readers return plain frames with the contract's column names (see
:mod:`leakopt.schema`); checking, imputing and snapping is
:mod:`leakopt.validate`'s job.  :func:`load_utility` chains the two.

A configuration's ``[columns]`` / ``[leak_columns]`` tables map contract names
to the file's own column names (``pipe_id = "WATMAINID"``).  A contract column
that is not mapped is also found when only its case or punctuation differs
(``Pipe_ID``, ``DIAMETER_MM``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.inp import read_network
from leakopt.progress import Progress, silent
from leakopt.schema import DATE, DIAMETER, GEOMETRY, INSTALL_YEAR, LENGTH, MATERIAL, PIPE_ID, X, Y, Utility

log = logging.getLogger(__name__)

_GEOM_LENGTH = "_geometry_length_m"   # lengths of the lines as read (disjoint parts not joined)
GIS_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".zip", ".gml", ".kml", ".fgb", ".gdb"}

#: Columns :func:`read_pipes` requires whatever else is given.
PIPE_REQUIRED = (PIPE_ID, MATERIAL, INSTALL_YEAR)


# --- column mapping ---------------------------------------------------------------------------

def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def apply_columns(frame: pd.DataFrame, mapping: Mapping[str, str] | None, *, path, table: str,
                  contract: tuple[str, ...]) -> pd.DataFrame:
    """Rename the file's columns to contract names.

    ``mapping`` maps contract name -> the file's column.  A mapped column that
    is absent raises :class:`InputError`.  An unmapped contract column is also
    found by a case- and punctuation-insensitive match.  A column that already
    bears a contract name but is not the mapped one is kept as ``<name>_source``.
    """
    mapping = dict(mapping or {})
    absent = {k: v for k, v in mapping.items() if v not in frame.columns}
    if absent:
        k, v = next(iter(absent.items()))
        raise InputError(
            f"{path}: the [{table}] table of the configuration maps {k} to column {v!r}, which is not "
            f"in the file; columns found: {_columns_text(frame)}. Correct the name in [{table}]."
        )
    squashed = {_squash(c): c for c in frame.columns}
    shapefile = {str(c).lower(): c for c in frame.columns if len(str(c)) == 10}
    for name in contract:
        if name in mapping or name in frame.columns:
            continue
        found = squashed.get(_squash(name)) or (shapefile.get(name[:10]) if len(name) > 10 else None)
        if found is not None:      # "Pipe ID", "PIPE_ID", or a Shapefile's 10-character "install_ye"
            mapping[name] = found
            log.info("%s: using column %r as %s", path, found, name)
    rename = {}
    for name, col in mapping.items():
        if col == name:
            continue
        if name in frame.columns:
            rename[name] = f"{name}_source"
        rename[col] = name
    return frame.rename(columns=rename)


def _columns_text(frame: pd.DataFrame, limit: int = 25) -> str:
    cols = [str(c) for c in frame.columns if c != GEOMETRY]
    more = f" and {len(cols) - limit} more" if len(cols) > limit else ""
    return ", ".join(cols[:limit]) + more


def missing_columns_error(path, missing, frame: pd.DataFrame, *, table: str = "columns",
                          why: str = "") -> InputError:
    """The one-paragraph error for required columns absent from a file."""
    first = missing[0]
    example = {"pipe_id": "WATMAINID", "material": "MATERIAL", "diameter_mm": "PIPE_SIZE",
               "install_year": "INSTALLATION_DATE", "length_m": "Shape__Length", "date": "BREAK_DATE",
               "x": "EASTING", "y": "NORTHING"}.get(first, "YOUR_COLUMN")
    return InputError(
        f"{path}: required column(s) {', '.join(missing)} not found{why}; columns found: "
        f"{_columns_text(frame)}. If the file names it differently, map it in the [{table}] table of a "
        f'config file (e.g. {first} = "{example}") and pass it with --config.'
    )


# --- pipes ------------------------------------------------------------------------------------

def read_pipes(path, *, columns: Mapping[str, str] | None = None,
               layer: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """Read an asset register: CSV, GeoPackage, GeoJSON or Shapefile.

    Parameters
    ----------
    path : str or Path
    columns : mapping, optional
        Contract name -> the file's column (a config's ``[columns]`` table).
    layer : str, optional
        Layer of a multi-layer GeoPackage (default: the first line layer).

    Returns
    -------
    pipes : DataFrame
        Contract columns (``pipe_id`` as str), every other column passed
        through, ``geometry`` (shapely LineStrings, multi-part lines merged)
        for GIS files, ``length_m`` from the geometry when the file has no
        length column (planar in a projected CRS, geodesic in a geographic
        one).  Full dates in ``install_year`` are reduced to the year; values
        that are not a date or a year are left as given for
        :func:`leakopt.validate.validate` to report.
    crs : str or None
        e.g. ``"EPSG:2154"``; None for CSV files or layers without a CRS.
    """
    path = _existing(path, "pipes")
    id_col = (columns or {}).get(PIPE_ID, PIPE_ID)
    if path.suffix.lower() in GIS_SUFFIXES:
        frame, crs = _read_gis(path, layer=layer)
        if id_col in frame.columns:
            frame[id_col] = _id_strings(frame[id_col])
    else:
        frame, crs = _read_csv(path, dtype={id_col: str, (columns or {}).get(MATERIAL, MATERIAL): str}), None
    frame = apply_columns(frame, columns, path=path, table="columns",
                          contract=(PIPE_ID, MATERIAL, DIAMETER, INSTALL_YEAR, LENGTH, X, Y))
    missing = [c for c in PIPE_REQUIRED if c not in frame.columns]
    if missing:
        raise missing_columns_error(path, missing, frame)
    frame[PIPE_ID] = _id_strings(frame[PIPE_ID])
    if GEOMETRY in frame.columns and frame[GEOMETRY].dtype != object:
        frame[GEOMETRY] = frame[GEOMETRY].astype(object)
    if GEOMETRY in frame.columns and crs is None and frame[GEOMETRY].map(type).eq(str).any():
        frame[GEOMETRY] = _parse_wkt(frame[GEOMETRY])
    if LENGTH not in frame.columns and GEOMETRY in frame.columns:
        frame[LENGTH] = frame[_GEOM_LENGTH] if _GEOM_LENGTH in frame else geometry_length_m(frame[GEOMETRY], crs)
        log.info("%s: no length column; length_m computed from the geometry", path)
    frame = frame.drop(columns=[_GEOM_LENGTH], errors="ignore")
    from leakopt.validate import to_year
    years, bad = to_year(frame[INSTALL_YEAR])
    if not bad.any():
        frame[INSTALL_YEAR] = years
    log.info("read %d pipes from %s (CRS %s)", len(frame), path, crs)
    return frame, crs


def _existing(path, role: str) -> Path:
    if path is None:
        raise InputError(f"no {role} file given")
    p = Path(path)
    if not p.exists():
        raise InputError(f"{role} file {p} does not exist; check the path")
    return p


def _id_strings(values: pd.Series) -> pd.Series:
    """IDs as strings: floats that are whole numbers lose their '.0', blanks become NA."""
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0)
        out = values.astype(object)
        out[whole] = values[whole].astype("int64").astype(str)
        values = out
    text = values.astype("str").str.strip()
    return text.mask(values.isna() | text.eq(""))


def _read_csv(path: Path, *, dtype: dict) -> pd.DataFrame:
    """CSV with the delimiter sniffed (, ; tab |) and UTF-8 or Windows-1252 text."""
    try:
        head = path.read_bytes()[:65536]
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    if not head.strip():
        return pd.DataFrame()
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:   # not just a character cut at the buffer's end
            encoding = "cp1252"
    first = head.decode(encoding, errors="ignore").splitlines()[0]
    sep = max([",", ";", "\t", "|"], key=first.count)
    try:
        return pd.read_csv(path, sep=sep, dtype=dtype, encoding=encoding, low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path} could not be read as a CSV table ({exc}); save it as CSV "
                         "(comma- or semicolon-separated, UTF-8) and try again") from exc


def _read_gis(path: Path, *, layer: str | None) -> tuple[pd.DataFrame, str | None]:
    import pyogrio
    try:
        if layer is None:
            layer = _line_layer(path)
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(f"{path} could not be read as a GIS layer{f' (layer {layer!r})' if layer else ''}: "
                         f"{exc}. Give a GeoPackage, GeoJSON or Shapefile with line geometry, or a CSV") from exc
    crs = crs_string(gdf.crs)
    geoms = gdf.geometry.array if hasattr(gdf, "geometry") and gdf._geometry_column_name in gdf else None
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)) if geoms is not None else pd.DataFrame(gdf)
    if geoms is not None:
        raw = np.asarray(geoms, dtype=object)
        frame[GEOMETRY] = _as_linestrings(raw, path)
        frame[_GEOM_LENGTH] = geometry_length_m(_as_linestrings(raw, path, join=False), crs)
    return frame, crs


def _line_layer(path: Path) -> str | None:
    import pyogrio
    layers = pyogrio.list_layers(path)
    if len(layers) <= 1:
        return None
    lines = [name for name, gtype in layers if gtype and "line" in str(gtype).lower()]
    chosen = (lines or [layers[0][0]])[0]
    log.info("%s has %d layers; reading %r (choose with --layer)", path, len(layers), chosen)
    return chosen


def crs_string(crs) -> str | None:
    """``"EPSG:2154"`` for a CRS with an authority code, its WKT otherwise, None when unknown."""
    if crs is None:
        return None
    from pyproj import CRS
    crs = CRS.from_user_input(crs)
    auth = crs.to_authority(min_confidence=70)
    return f"{auth[0]}:{auth[1]}" if auth else crs.to_wkt()


def _as_linestrings(geoms: np.ndarray, path, *, join: bool = True) -> np.ndarray:
    """2-D LineStrings: multi-part lines merged, disjoint parts joined end to start (unless not ``join``)."""
    import shapely
    geoms = shapely.force_2d(geoms)
    kinds = shapely.get_type_id(geoms)   # -1 missing, 1 LineString, 5 MultiLineString
    bad = ~np.isin(kinds, [-1, 1, 2, 5])
    if bad.any():
        kind = shapely.get_type_id(geoms[bad][0])
        name = {0: "points", 3: "polygons", 4: "points", 6: "polygons", 7: "mixed geometries"}.get(kind, "?")
        raise InputError(f"{path}: the pipes layer holds {name} ({int(bad.sum())} features); pipes need line "
                         "geometry (LineString). Export the pipe lines, or give a CSV with length_m")
    multi = kinds == 5
    if multi.any() and join:
        merged = shapely.line_merge(geoms[multi])
        still = shapely.get_type_id(merged) == 5
        if still.any():
            coords, idx = shapely.get_coordinates(merged[still], return_index=True)
            merged[still] = shapely.linestrings(coords, indices=idx)
            log.info("%s: %d multi-part pipes with disjoint parts joined into one line", path, int(still.sum()))
        geoms = geoms.copy()
        geoms[multi] = merged
    return geoms


def _parse_wkt(values: pd.Series) -> np.ndarray:
    import shapely
    text = values.where(values.map(type).eq(str))
    geoms = shapely.from_wkt(text.to_numpy(dtype=object), on_invalid="ignore")
    return _as_linestrings(np.asarray(geoms, dtype=object), "geometry column")


def geometry_length_m(geoms, crs: str | None) -> np.ndarray:
    """Length of each line in metres (NaN where missing).

    Planar in a projected CRS (converted from feet etc.) or when the CRS is
    unknown (coordinates taken as metres); geodesic on the CRS's ellipsoid when
    it is geographic.
    """
    import shapely
    geoms = np.asarray(geoms, dtype=object)
    geoms = np.where(pd.isna(geoms), None, geoms)
    if crs is None:
        return shapely.length(geoms)
    from pyproj import CRS
    c = CRS.from_user_input(crs)
    if not c.is_geographic:
        return shapely.length(geoms) * c.axis_info[0].unit_conversion_factor
    geod = c.get_geod()
    parts, owner = shapely.get_parts(geoms, return_index=True)
    coords, part_idx = shapely.get_coordinates(parts, return_index=True)
    same = part_idx[1:] == part_idx[:-1]
    _, _, dist = geod.inv(coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same])
    per_part = np.bincount(part_idx[1:][same], weights=dist, minlength=len(parts))
    out = np.bincount(owner, weights=per_part, minlength=len(geoms)).astype(float)
    out[shapely.is_missing(geoms)] = np.nan
    return out


# --- leaks ------------------------------------------------------------------------------------

def read_leaks(path, *, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read the leak history (CSV).  Dates are left as given: validation parses and counts them.

    Returns
    -------
    DataFrame
        ``date`` (raw), ``pipe_id`` (str, when given), ``x``, ``y``,
        ``leak_id``, ``type`` when given, other columns passed through.  An
        empty file gives an empty frame with ``date`` and ``pipe_id``.
    """
    path = _existing(path, "leaks")
    cols = columns or {}
    frame = _read_csv(path, dtype={cols.get(PIPE_ID, PIPE_ID): str, cols.get("leak_id", "leak_id"): str})
    if frame.empty and len(frame.columns) == 0:
        log.warning("leak file %s is empty: no leak history", path)
        return pd.DataFrame({DATE: pd.Series(dtype="str"), PIPE_ID: pd.Series(dtype="str")})
    frame = apply_columns(frame, columns, path=path, table="leak_columns",
                          contract=(DATE, PIPE_ID, X, Y, "leak_id", "type"))
    missing = [DATE] if DATE not in frame.columns else []
    if PIPE_ID not in frame.columns and not {X, Y} <= set(frame.columns):
        missing.append(PIPE_ID)
    if missing:
        why = " (a leak needs a date, and a pipe_id or x and y coordinates)"
        raise missing_columns_error(path, missing, frame, table="leak_columns", why=why)
    if PIPE_ID in frame.columns:
        frame[PIPE_ID] = _id_strings(frame[PIPE_ID])
    log.info("read %d leaks from %s", len(frame), path)
    return frame


# --- the whole input --------------------------------------------------------------------------

def load_utility(pipes, leaks, network=None, *, config=None, as_of=None, layer: str | None = None,
                 progress: Progress | None = None) -> Utility:
    """Read the pipes, leaks and (optional) network files and validate them.

    Parameters
    ----------
    pipes, leaks : str or Path
        The asset register and the leak history (``leaks`` may be None: no history).
    network : str or Path, optional
        An EPANET ``.inp`` file.
    config : leakopt.config.Config, optional
        Its ``[columns]``, ``[leak_columns]`` and ``[validate]`` tables are used.
    as_of : date-like, optional
        Forecast date; default the day after the last usable leak.
    layer : str, optional
        Layer of a multi-layer GeoPackage.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.progress`): files read, then checks done.

    Raises
    ------
    InputError
        On a fatal problem (see :func:`leakopt.validate.validate`).
    """
    from leakopt.config import Config
    from leakopt.validate import validate
    config = config or Config()
    step = progress or silent
    step("reading the pipes", 0, 3)
    pipe_frame, crs = read_pipes(pipes, columns=config.columns, layer=layer)
    step("reading the leaks", 1, 3)
    leak_frame = read_leaks(leaks, columns=config.leak_columns) if leaks is not None else pd.DataFrame(
        {DATE: pd.Series(dtype="str"), PIPE_ID: pd.Series(dtype="str")})
    step("reading the network", 2, 3)
    net = read_network(network) if network is not None else None
    sources = {"pipes": str(pipes), "leaks": str(leaks) if leaks is not None else None,
               "network": str(network) if network is not None else None, "config": config.path}
    step("files read", 3, 3)
    return validate(pipe_frame, leak_frame, network=net, crs=crs, as_of=as_of, config=config.stage("validate"),
                    sources={k: v for k, v in sources.items() if v}, progress=progress)


# --- outputs ----------------------------------------------------------------------------------

def file_sha256(path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def to_jsonable(obj: Any) -> Any:
    """Plain JSON types: numpy/pandas scalars and arrays converted, NaN/NaT/NA -> None."""
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, pd.DataFrame):
        return to_jsonable(obj.to_dict(orient="records"))
    if hasattr(obj, "to_dict") and callable(obj.to_dict) and not isinstance(obj, type):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return None if not math.isfinite(obj) else float(obj)
    if obj is None or obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(obj).isoformat()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, str):
        return obj
    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    return str(obj)


def write_json(obj: Any, path) -> Path:
    """Write ``obj`` as indented UTF-8 JSON (numpy/pandas types handled, NaN -> null)."""
    path = Path(path)
    path.write_text(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                    encoding="utf-8")
    return path


def pipes_geodataframe(frame: pd.DataFrame, utility: Utility):
    """``frame`` (one row per pipe, with ``pipe_id``) with pipe geometry, as a GeoDataFrame.

    Geometry comes from the validated register, else from the network's
    links; the CRS is the utility's.  Returns None when no geometry is known.
    """
    import geopandas as gpd
    geom = pd.Series(np.full(len(frame), None, dtype=object), index=frame.index)
    ids = frame[PIPE_ID].astype("str")
    sources = [utility.pipes]
    if utility.network is not None:
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
        log.warning("%s: the pipes' CRS is unknown; coordinates written in local units, not WGS84", path)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            pyogrio.write_dataframe(gdf, path, driver="GeoJSON", layer_options={
                "DESCRIPTION": "local coordinates: the input's coordinate reference system is unknown"})
    return path


def to_wgs84(x, y, crs: str | None):
    """Longitude and latitude of points given in ``crs`` (inputs unchanged when ``crs`` is None)."""
    if crs is None:
        return x, y
    from pyproj import Transformer
    tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return lon, lat

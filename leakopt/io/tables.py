"""Reading the tables: the asset register and the leak history, as CSV or GIS layers.

Readers return plain frames with the contract's column names (see
:mod:`leakopt.schema`); checking, imputing and snapping is
:mod:`leakopt.validate`'s job (:func:`leakopt.validate.load_utility` chains the two).

A configuration's ``[columns]`` / ``[leak_columns]`` tables map contract names
to the file's own column names (``pipe_id = "WATMAINID"``).  A contract column
that is not mapped is also found when only its case or punctuation differs
(``Pipe_ID``, ``DIAMETER_MM``).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from leakopt.errors import InputError, MissingColumnsError
from leakopt.io.gis import GEOM_LENGTH_COLUMN, geometry_length_m, parse_wkt, read_gis
from leakopt.schema import DATE, DIAMETER, GEOMETRY, INSTALL_YEAR, LENGTH, MATERIAL, PIPE_ID, X, Y

log = logging.getLogger(__name__)

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


#: Words that name each contract column in utilities' exports (English and French), for
#: :func:`guess_columns`; a word of three letters or fewer must be a whole word of the name.
NAME_WORDS = {
    PIPE_ID: ("pipe", "main", "troncon", "conduite", "canalisation", "segment", "asset", "link", "section"),
    INSTALL_YEAR: ("install", "pose", "laid", "construct", "built", "mise", "service", "commission"),
    MATERIAL: ("material", "materiau", "matiere", "mat"),
    DIAMETER: ("diameter", "diametre", "diam", "dia", "dn", "size", "nominal", "calibre"),
    LENGTH: ("length", "longueur", "len", "lineaire"),
    DATE: ("date", "jour", "day", "reported", "occur"),
    X: ("x", "easting", "east", "lon", "longitude", "xcoord"),
    Y: ("y", "northing", "north", "lat", "latitude", "ycoord"),
}
#: Words that make a column an unlikely match whatever else it says (a relining date is not
#: the install year, a GIS row number is not the pipe's ID).
_NOT_WORDS = ("lined", "lining", "rehab", "abandon", "objectid", "globalid", "fid", "gid", "edit", "created",
              "update", "modif", "miseajour", "service_line")


#: Words that make a date column the leak's own date ("INCIDENT_DATE" rather than "STATUS_DATE").
_EVENT_WORDS = ("incident", "break", "leak", "fuite", "casse", "repair", "repar", "intervention", "failure")


def _words(name) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def _name_score(name, field: str) -> int:
    words, squashed = _words(name), _squash(name)
    hit = any(w in words if len(w) <= 3 else w in squashed for w in NAME_WORDS[field])
    if field == PIPE_ID:   # an ID column: "WATMAINID", "ID_TRONCON", "Pipe No"
        is_id = any(w in ("id", "ident", "identifiant", "no", "num", "numero") or w.endswith("id") for w in words)
        return (2 if is_id else 0) + (2 if hit else 0)
    if field in (INSTALL_YEAR, DATE):   # "year" or "date" alone says less than "install" or "break date"
        dated = any(w in ("year", "yr", "annee", "an", "date") for w in words)
        event = field == DATE and any(w in squashed for w in _EVENT_WORDS)
        return (2 if hit else 0) + (1 if dated else 0) + (1 if event else 0)
    return 3 if hit else 0


def _value_score(values: pd.Series, field: str, table: str, known_ids=None) -> int:
    values = values.head(1000)
    if values.notna().sum() == 0:   # a header-only file: the name alone decides
        return 0
    if field == PIPE_ID and known_ids is not None:   # a leak file's pipe column names the register's pipes
        given = id_strings(values).dropna()
        share = float(isin(given, known_ids).mean()) if len(given) else 0.0
        return 3 if share >= 0.5 else 1 if share >= 0.05 else -2
    if field == PIPE_ID:
        return 1 if table == "columns" and values.notna().all() and values.is_unique else 0
    if field == INSTALL_YEAR:
        years, _ = to_year(values)
        return 1 if years.between(1800, 2100).mean() >= 0.5 else -2
    if field == DATE:
        dates = pd.to_datetime(values.astype("str"), errors="coerce", format="mixed")
        return 1 if dates.notna().mean() >= 0.5 else -2
    if field == MATERIAL:
        return 0 if not pd.api.types.is_numeric_dtype(values) else -2
    numbers, bad = to_number(values)
    return 0 if numbers.notna().mean() >= 0.9 and not bad.any() else -2


def guess_columns(missing, frame: pd.DataFrame, *, table: str = "columns", known_ids=None) -> dict[str, str]:
    """For each of the ``missing`` contract columns, the file's column that most likely holds it,
    from its name (English and French words, :data:`NAME_WORDS`) and a look at its values (for a
    leak file's ``pipe_id``, when the register's ``known_ids`` are given: how many it names); only
    confident guesses, each column at most once. Used to suggest a ``[columns]`` mapping, never
    applied silently."""
    taken, guesses = {c for c in frame.columns if c in NAME_WORDS}, {}
    for field in missing:
        if field not in NAME_WORDS:
            continue
        scored = []
        for col in frame.columns:
            if col in taken or col == GEOMETRY or any(w in _squash(col) for w in _NOT_WORDS):
                continue
            score = _name_score(col, field)
            if score >= 2:
                scored.append((score + _value_score(frame[col], field, table, known_ids), col))
        best = max(scored, key=lambda s: s[0], default=(0, None))
        if best[0] >= 3:
            guesses[field] = best[1]
            taken.add(best[1])
    return guesses


def missing_columns_error(path, missing, frame: pd.DataFrame, *, table: str = "columns", why: str = "",
                          optional=(), known_ids=None) -> MissingColumnsError:
    """The one-paragraph error for required columns absent from a file, with the mapping to give
    (the file's likely columns, :func:`guess_columns`); ``optional``: absent columns needed only
    when no network gives them (diameter, length), whose likely columns are suggested too."""
    try:
        guesses = guess_columns([*missing, *optional], frame, table=table, known_ids=known_ids)
    except Exception:   # noqa: BLE001 - a hint that fails must not hide the error it helps with
        log.debug("no column guesses for %s", path, exc_info=True)
        guesses = {}
    if guesses:
        pairs = [f'{k} = "{v}"' for k, v in guesses.items()]
        lines = pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + " and " + pairs[-1]
        unless = [k for k in guesses if k in optional]
        note = f"{', '.join(unless)} unless a network gives {'it' if len(unless) == 1 else 'them'}; " if unless else ""
        hint = f"; from the names and values found, likely {lines} ({note}one line each; check them)"
    else:
        hint = f' (e.g. {missing[0]} = "YOUR_COLUMN")'
    return MissingColumnsError(
        f"{path}: required column(s) {', '.join(missing)} not found{why}; columns found: "
        f"{_columns_text(frame)}. If the file names them differently, map them in the [{table}] table of "
        f"a config file{hint}, and pass it with --config.",
        table=table, missing=missing, optional=optional, guesses=guesses,
        columns=[str(c) for c in frame.columns if c != GEOMETRY])


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

    path = existing_file(path, "pipes")
    id_col = (columns or {}).get(PIPE_ID, PIPE_ID)
    if path.suffix.lower() in GIS_SUFFIXES:
        frame, crs = read_gis(path, layer=layer)
        if id_col in frame.columns:
            frame[id_col] = id_strings(frame[id_col])
    else:
        frame, crs = _read_csv(path, dtype={id_col: str, (columns or {}).get(MATERIAL, MATERIAL): str}), None
    frame = apply_columns(frame, columns, path=path, table="columns",
                          contract=(PIPE_ID, MATERIAL, DIAMETER, INSTALL_YEAR, LENGTH, X, Y))
    missing = [c for c in PIPE_REQUIRED if c not in frame.columns]
    if missing:   # the columns needed unless a network (or the geometry) gives them are suggested too
        has_geom = GEOMETRY in frame.columns
        optional = [c for c in (DIAMETER, LENGTH) if c not in frame.columns and not (c == LENGTH and has_geom)]
        raise missing_columns_error(path, missing, frame, optional=optional)
    frame[PIPE_ID] = id_strings(frame[PIPE_ID])
    if GEOMETRY in frame.columns and frame[GEOMETRY].dtype != object:
        frame[GEOMETRY] = frame[GEOMETRY].astype(object)
    if GEOMETRY in frame.columns and crs is None and frame[GEOMETRY].map(type).eq(str).any():
        frame[GEOMETRY] = parse_wkt(frame[GEOMETRY])
    if LENGTH not in frame.columns and GEOMETRY in frame.columns:
        frame[LENGTH] = frame[GEOM_LENGTH_COLUMN] if GEOM_LENGTH_COLUMN in frame else geometry_length_m(frame[GEOMETRY], crs)
        log.info("%s: no length column; length_m computed from the geometry", path)
    frame = frame.drop(columns=[GEOM_LENGTH_COLUMN], errors="ignore")
    years, bad = to_year(frame[INSTALL_YEAR])
    if not bad.any():
        frame[INSTALL_YEAR] = years
    log.info("read %d pipes from %s (CRS %s)", len(frame), path, crs)
    return frame, crs


def existing_file(path, role: str) -> Path:
    if path is None:
        raise InputError(f"no {role} file given")
    p = Path(path)
    if not p.exists():
        raise InputError(f"{role} file {p} does not exist; check the path")
    return p


def id_strings(values: pd.Series) -> pd.Series:
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

    path = existing_file(path, "leaks")
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
        frame[PIPE_ID] = id_strings(frame[PIPE_ID])
    log.info("read %d leaks from %s", len(frame), path)
    return frame



def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype("str").str.strip().isin(["", "nan", "NaN", "None", "NaT", "<NA>"])


def to_year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Years from years, dates or date strings ("1965", 1965.0, "1965-04-12", "12/04/1965").

    Returns
    -------
    years : Series of float (NaN where blank or unreadable)
    bad : Series of bool, True where a non-blank value could not be read
    """
    values = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.year.astype(float), pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        years = values.astype(float)
        ymd = (years > 18000000) & (years < 22000000)          # 19650412
        return years.mask(ymd, years // 10000), pd.Series(False, index=values.index)
    text = values.astype("str").str.strip()
    blank = _blank(values)
    years = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    need = years.isna() & ~blank
    if need.any():
        found = text[need].str.extract(_YEAR_RE, expand=False)
        years[need] = pd.to_numeric(found, errors="coerce")
        still = need & years.isna()
        if still.any():
            dates = pd.to_datetime(text[still], format="mixed", dayfirst=True, errors="coerce")
            years[still] = dates.dt.year
    years = years.mask(blank)
    return years.astype(float), years.isna() & ~blank


def to_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from numbers or strings ("150", "150 mm", "DN150", "12,5"); bad = unreadable non-blank."""
    values = pd.Series(values)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float), pd.Series(False, index=values.index)
    text = values.astype("str")
    blank = _blank(values)
    found = text.str.extract(_NUMBER_RE, expand=False).str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(found, errors="coerce").mask(blank)
    return numbers.astype(float), numbers.isna() & ~blank


def isin(values, other) -> np.ndarray:
    """``values.isin(other)`` as a bool array, fast for pandas' arrow-backed strings (hash lookup)."""
    index = pd.Index(pd.unique(pd.Series(other, dtype=object).to_numpy()))
    return index.get_indexer(pd.Series(values, dtype=object).to_numpy()) >= 0


_YEAR_RE = re.compile(r"(?<!\d)(1[6-9]\d\d|2[01]\d\d)(?!\d)")



_NUMBER_RE = re.compile(r"^\s*(?:dn|ø|phi)?\s*([-+]?\d+(?:[.,]\d*)?|[-+]?[.,]\d+)\s*(?:mm|m|in|\")?\s*$",
                        re.IGNORECASE)


# --- valve layer ------------------------------------------------------------------------------

def read_valves(path) -> pd.DataFrame:
    """A valve layer (CSV): one row per isolation valve, the pipe it is on and the end it closes.

    Columns ``link`` (the pipe's ID, as in the network) and ``node`` (the node at the
    valve's end of the pipe), WNTR's valve-layer convention; ``pipe_id`` is accepted
    for ``link`` and ``node_id`` for ``node``.  Rows with a blank ID are dropped.

    Returns
    -------
    DataFrame
        ``link``, ``node`` (str).
    """
    path = existing_file(path, "valve layer")
    frame = _read_csv(path, dtype=str)
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns})
    frame = frame.rename(columns={k: v for k, v in (("pipe_id", "link"), ("node_id", "node"))
                                  if k in frame and v not in frame})
    missing = [c for c in ("link", "node") if c not in frame]
    if missing:
        raise InputError(f"valve layer {path} lacks column(s) {missing}; expected 'link' (the pipe the valve is "
                         f"on) and 'node' (the pipe end it closes); columns found: {list(frame.columns)[:10]}")
    out = pd.DataFrame({"link": id_strings(frame["link"]), "node": id_strings(frame["node"])}).dropna()
    if len(out) < len(frame):
        log.warning("valve layer %s: %d row(s) with a blank link or node left out", path, len(frame) - len(out))
    return out.reset_index(drop=True)

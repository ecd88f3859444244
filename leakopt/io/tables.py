"""Reading the tables: the asset register and the leak history, as CSV, Excel workbooks or GIS layers.

Readers return plain frames with the contract's column names (see
:mod:`leakopt.schema`); checking, imputing and snapping is
:mod:`leakopt.validate`'s job (:func:`leakopt.validate.load_utility` chains the two).  A file's own column names
are mapped by :mod:`leakopt.io.columns`; values are read by :mod:`leakopt.io.values`.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.io.columns import apply_columns, column_for, missing_columns_error
from leakopt.io.csvformat import DECOMPRESSION_ERRORS, CsvFormat, csv_format, parser_reason, read_found
from leakopt.io.gis import CRS_ASSUMED, CRS_NOT_DEGREES, GEOM_LENGTH_COLUMN, geometry_length_m, parse_wkt, read_gis
from leakopt.io.values import approximate_years, has_days, id_strings, to_year
from leakopt.io.workbook import CHOOSE_LEAKS, CHOOSE_PIPES, is_workbook, read_workbook
from leakopt.schema import DATE, DIAMETER, GEOMETRY, INSTALL_YEAR, LENGTH, MATERIAL, PIPE_ID, X, Y

log = logging.getLogger(__name__)

GIS_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".zip", ".gml", ".kml", ".fgb", ".gdb"}

#: Columns :func:`read_pipes` requires whatever else is given.
PIPE_REQUIRED = (PIPE_ID, MATERIAL, INSTALL_YEAR)
#: The register's contract columns, found under the file's names by :func:`apply_columns`.
PIPE_CONTRACT = (PIPE_ID, MATERIAL, DIAMETER, INSTALL_YEAR, LENGTH, X, Y)
#: The leak file's.
LEAK_CONTRACT = (DATE, PIPE_ID, X, Y, "leak_id", "type")
#: The key of a configuration's ``[columns]`` / ``[leak_columns]`` table that names a workbook's sheet to read.
SHEET = "sheet"
#: A hidden column of the register as read: its install values as written, when they give the day a pipe was
#: laid (install_year keeps the year); validation reads a pipe laid after the as-of date from it.
INSTALL_DATE = "_leakopt_install_date"


# --- pipes ------------------------------------------------------------------------------------

def read_pipes(path, *, columns: Mapping[str, str] | None = None,
               layer: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """Read an asset register: CSV, Excel workbook (.xlsx, .xlsm), GeoPackage, GeoJSON or Shapefile.

    Parameters
    ----------
    path : str or Path
    columns : mapping, optional
        Contract name -> the file's column (a config's ``[columns]`` table); its ``sheet`` key names the
        sheet of a workbook to read.
    layer : str, optional
        Layer of a multi-layer GeoPackage (default: the first line layer), or sheet of a workbook (default:
        ``columns["sheet"]``, else the only sheet holding a table; :func:`leakopt.io.workbook.read_workbook`).

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
    columns, sheet = _sheet_key(columns, path, table="columns")
    if layer and sheet and str(layer).strip().casefold() != str(sheet).strip().casefold():
        log.warning("%s: --layer %r is read, not sheet = %r of [columns] (the command line comes first)", path, layer,
                    sheet, extra=in_french("%s : --layer %r est lue, pas sheet = %r de [columns] (la ligne de "
                                           "commande passe d’abord)"))
    id_col = (columns or {}).get(PIPE_ID, PIPE_ID)
    if path.suffix.lower() in GIS_SUFFIXES:
        frame, crs = read_gis(path, layer=layer)
        assumed = frame.attrs.get(CRS_ASSUMED, False)
        declared = frame.attrs.get(CRS_NOT_DEGREES)
        if id_col in frame.columns:
            frame[id_col] = id_strings(frame[id_col])
    else:
        frame, crs = _read_table(path, dtype={(columns or {}).get(MATERIAL, MATERIAL): str},
                                 ids=(PIPE_ID,), mapping=columns, sheet=layer or sheet, choose=CHOOSE_PIPES,
                                 contract=PIPE_CONTRACT), None
    frame = apply_columns(frame, columns, path=path, table="columns", contract=PIPE_CONTRACT)
    missing = [c for c in PIPE_REQUIRED if c not in frame.columns]
    if missing:   # the columns needed unless a network (or the geometry) gives them are suggested too;
        # the register's own length even beside a geometry: it is the utility's figure, not a 2-D drawing's
        optional = [c for c in (DIAMETER, LENGTH) if c not in frame.columns]
        raise missing_columns_error(path, missing, frame.drop(columns=[GEOM_LENGTH_COLUMN], errors="ignore"),
                                    optional=optional)
    frame[PIPE_ID] = id_strings(frame[PIPE_ID])
    if GEOMETRY in frame.columns and frame[GEOMETRY].dtype != object:
        frame[GEOMETRY] = frame[GEOMETRY].astype(object)
    if GEOMETRY in frame.columns and crs is None and frame[GEOMETRY].map(type).eq(str).any():
        frame[GEOMETRY] = parse_wkt(frame[GEOMETRY])
    if LENGTH not in frame.columns and GEOMETRY in frame.columns:
        frame[LENGTH] = frame[GEOM_LENGTH_COLUMN] if GEOM_LENGTH_COLUMN in frame else geometry_length_m(frame[GEOMETRY], crs)
        log.info("%s: no length column; length_m computed from the geometry", path,
                 extra=in_french("%s : pas de colonne de longueur ; length_m calculée d’après la géométrie"))
    frame = frame.drop(columns=[GEOM_LENGTH_COLUMN], errors="ignore")
    years, bad = to_year(frame[INSTALL_YEAR])
    if has_days(frame[INSTALL_YEAR]):    # validation reads the day a pipe was laid (laid after the as-of date?)
        frame[INSTALL_DATE] = frame[INSTALL_YEAR]
    if not bad.any() and not approximate_years(frame[INSTALL_YEAR]).any():   # else validation counts them
        frame[INSTALL_YEAR] = years
    if crs is None:
        log.info("read %d pipes from %s", len(frame), path, extra=in_french("%d conduites lues dans %s"))
    else:
        log.info("read %d pipes from %s (CRS %s)", len(frame), path, crs,
                 extra=in_french("%d conduites lues dans %s (SCR %s)"))
    if path.suffix.lower() in GIS_SUFFIXES:
        frame.attrs[CRS_ASSUMED] = assumed
        frame.attrs[CRS_NOT_DEGREES] = declared
    return frame, crs


#: The French of the files :func:`existing_file` looks for.
ROLES_FR = {"pipes": "le fichier des conduites", "leaks": "le fichier des fuites",
            "valve layer": "la couche des vannes", "network": "le fichier du réseau"}


def existing_file(path, role: str) -> Path:
    """``path`` as a :class:`~pathlib.Path`, refused when not given or not found; ``role``: one of
    :data:`ROLES_FR`, the file as the message names it."""
    role_fr = ROLES_FR.get(role, role)
    if path is None:
        raise InputError(f"no {role} file given", fr=f"{role_fr} n’est pas donné")
    p = Path(path)
    if not p.exists():
        raise InputError(f"{role} file {p} does not exist; check the path",
                         fr=f"{role_fr} {p} n’existe pas ; vérifiez le chemin")
    return p


#: pandas' default missing-value strings (``read_csv``'s ``na_values``), kept for every column but the IDs.
NA_STRINGS = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
              "NA", "NULL", "NaN", "None", "n/a", "nan", "null")


def _read_csv(path: Path, *, dtype: dict | type, ids: tuple[str, ...] = (),
              mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A CSV table (:func:`~leakopt.io.csvformat.csv_format`); the columns of the contract's ``ids``
    (``pipe_id``, ``leak_id``, found as :func:`apply_columns` will find them with ``mapping``) read as
    written: an ID "NA" or "NULL" is an ID, only a blank one is missing."""
    found = csv_format(path)
    if found is None:
        return pd.DataFrame()
    ids = tuple(c for c in (column_for(found.header, name, mapping) for name in ids) if c is not None)
    try:
        if not ids:
            return read_found(path, found, dtype=dtype)
        header = read_found(path, found, nrows=0).columns
        return read_found(path, found, dtype={**(dtype if isinstance(dtype, dict) else {}), **{c: str for c in ids}},
                          keep_default_na=False,
                          na_values={c: [""] if c in ids else list(NA_STRINGS) for c in header})
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, *DECOMPRESSION_ERRORS) as exc:
        raise InputError(f"{path} could not be read as a CSV table ({exc}); save it as CSV "
                         "(comma- or semicolon-separated, UTF-8) and try again",
                         fr=f"{path} n’a pas pu être lu comme une table CSV ({parser_reason(exc, 'fr')}) ; "
                            "enregistrez-le en CSV (séparateur virgule ou point-virgule, UTF-8) et réessayez") from exc


def _read_table(path: Path, *, dtype: dict | type, ids: tuple[str, ...] = (), mapping: Mapping[str, str] | None = None,
                sheet: str | None = None, choose: tuple[str, str] = CHOOSE_PIPES,
                contract: tuple[str, ...] = ()) -> pd.DataFrame:
    """A table given as CSV (:func:`_read_csv`) or as an Excel workbook, one of its sheets
    (:func:`~leakopt.io.workbook.read_workbook`: ``sheet``, else the only one holding a table; ``choose`` says
    how to name it when several do), its ID columns as text as written."""
    if not is_workbook(path):
        return _read_csv(path, dtype=dtype, ids=ids, mapping=mapping)
    text = True if dtype is str else tuple(k for k, v in (dtype or {}).items() if v is str)
    return read_workbook(path, sheet=sheet, contract=contract, mapping=mapping, ids=ids, text=text,
                         na_values=NA_STRINGS, choose=choose)


def _sheet_key(columns: Mapping[str, str] | None, path: Path, *, table: str) -> tuple[dict | None, str | None]:
    """A ``[columns]`` / ``[leak_columns]`` mapping without its ``sheet`` key, and that key (the workbook's
    sheet to read); the key of a file that is no workbook is said unused."""
    if not columns or SHEET not in columns:
        return columns, None
    columns = dict(columns)
    sheet = columns.pop(SHEET)
    if path.suffix.lower() in GIS_SUFFIXES or not is_workbook(path):
        log.warning("%s is not a workbook: sheet = %r in [%s] is not used", path, sheet, table,
                    extra=in_french("%s n’est pas un classeur : sheet = %r dans [%s] n’est pas utilisé"))
    return columns, sheet


def read_output(path, *, ids=(PIPE_ID,), dtype: dict | None = None) -> pd.DataFrame:
    """A CSV that leakopt wrote (``risk.csv``, ``leaks_used.csv``, ...), its ID columns ``ids`` read as
    written: a pipe named "NA" or "NULL" stays that pipe, as :func:`read_pipes` read it; only an empty
    field is missing, in every column (leakopt writes a missing value as an empty field).

    The delimiter and encoding are found as for the inputs (:func:`~leakopt.io.csvformat.csv_format`), so
    that a file edited in a spreadsheet and saved with semicolons (as European Excel does) reads the same."""
    found = csv_format(Path(path)) or CsvFormat("utf-8-sig", ",", [])
    return read_found(path, found, dtype={**(dtype or {}), **{c: str for c in ids}}, keep_default_na=False,
                      na_values=[""])


# --- leaks ------------------------------------------------------------------------------------

def read_leaks(path, *, columns: Mapping[str, str] | None = None, known_ids=None,
               sheet: str | None = None) -> pd.DataFrame:
    """Read the leak history (CSV, or Excel workbook: .xlsx, .xlsm).  Dates are left as given (a workbook's
    date cells as dates): validation parses and counts them.

    ``known_ids`` (the register's pipe IDs) let a missing column's guesses tell the leak file's pipe column
    from other ID columns by the values it holds (how many name register pipes).  ``sheet`` names the
    workbook's sheet to read (default: ``columns["sheet"]``, the ``sheet`` key of ``[leak_columns]``, else
    the only sheet holding a table).

    Returns
    -------
    DataFrame
        ``date`` (raw), ``pipe_id`` (str, when given), ``x``, ``y``,
        ``leak_id``, ``type`` when given, other columns passed through.  An
        empty file gives an empty frame with ``date`` and ``pipe_id``.
    """

    path = existing_file(path, "leaks")
    columns, named = _sheet_key(columns, path, table="leak_columns")
    cols = columns or {}
    frame = _read_table(path, dtype={}, ids=(PIPE_ID, "leak_id"), mapping=cols, sheet=sheet or named,
                        choose=CHOOSE_LEAKS, contract=LEAK_CONTRACT)
    if frame.empty and len(frame.columns) == 0:
        log.warning("leak file %s is empty: no leak history", path,
                    extra=in_french("le fichier des fuites %s est vide : pas d’historique de fuites"))
        return pd.DataFrame({DATE: pd.Series(dtype="str"), PIPE_ID: pd.Series(dtype="str")})
    frame = apply_columns(frame, columns, path=path, table="leak_columns", contract=LEAK_CONTRACT, lonlat=True)
    missing = [DATE] if DATE not in frame.columns else []
    if PIPE_ID not in frame.columns and not {X, Y} <= set(frame.columns):
        missing.append(PIPE_ID)
    if missing:
        why = " (a leak needs a date, and a pipe_id or x and y coordinates)"
        # with x, y a pipe ID is optional, but one under another name is still worth mapping: matched by ID,
        # not snapped
        optional = [PIPE_ID] if PIPE_ID not in missing and PIPE_ID not in frame.columns else []
        raise missing_columns_error(path, missing, frame, table="leak_columns", why=why, optional=optional,
                                    known_ids=known_ids,
                                    why_fr=" (une fuite doit avoir une date, et un pipe_id ou des coordonnées x et y)")
    if PIPE_ID in frame.columns:
        frame[PIPE_ID] = id_strings(frame[PIPE_ID])
    log.info("read %d leaks from %s", len(frame), path, extra=in_french("%d fuites lues dans %s"))
    return frame


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
    frame = _read_table(path, dtype=str)
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns})
    frame = frame.rename(columns={k: v for k, v in (("pipe_id", "link"), ("node_id", "node"))
                                  if k in frame and v not in frame})
    missing = [c for c in ("link", "node") if c not in frame]
    if missing:
        raise InputError(f"valve layer {path} lacks column(s) {missing}; expected 'link' (the pipe the valve is "
                         f"on) and 'node' (the pipe end it closes); columns found: {list(frame.columns)[:10]}",
                         fr=f"il manque à la couche des vannes {path} les colonnes {missing} ; attendues : 'link' "
                            "(la conduite où se trouve la vanne) et 'node' (l’extrémité de conduite qu’elle ferme) ; "
                            f"colonnes trouvées : {list(frame.columns)[:10]}")
    out = pd.DataFrame({"link": id_strings(frame["link"]), "node": id_strings(frame["node"])}).dropna()
    if len(out) < len(frame):
        log.warning("valve layer %s: %d row(s) with a blank link or node left out", path, len(frame) - len(out),
                    extra=in_french("couche des vannes %s : %d ligne(s) sans link ou sans node écartée(s)"))
    return out.reset_index(drop=True)

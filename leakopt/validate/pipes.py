"""Validation of the asset register (used by :func:`leakopt.validate.validate`).

Each step takes the working frame and the report, and returns a new frame.
The working frame carries ``_row`` (1-based input row) for the report's examples.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from leakopt.io import geometry_length_m, metres_per_unit
from leakopt.io.columns import missing_columns_error
from leakopt.io.dates import parse_dates, year_only
from leakopt.io.gis import CRS_ASSUMED, CRS_NOT_DEGREES, LAYER_READ, lonlat_only, not_degrees
from leakopt.io.tables import INSTALL_DATE
from leakopt.io.values import INCH_MARK, approximate_years, id_strings, inch_fractions, isin, read_numbers, to_year
from leakopt.io.workbook import SHEET_READ
from leakopt.schema import (
    CONSEQUENCE_RISK_COLUMNS,
    DIAMETER,
    DIAMETER_IMPUTED,
    END_NODE,
    GEOMETRY,
    INSTALL_YEAR,
    INSTALL_YEAR_IMPUTED,
    LENGTH,
    MATERIAL,
    MATERIAL_RAW,
    PIPE_COLUMNS,
    PIPE_ID,
    RISK_COLUMNS,
    START_NODE,
    X,
    Y,
)
from leakopt.validate.config import LENGTH_UNITS
from leakopt.validate.impute import impute_column, median_fill
from leakopt.validate.materials import normalize_material, unrecognised_materials
from leakopt.validate.messages import PHRASES, Joined, localized, missing_column_params, phrase
from leakopt.validate.report import LENGTH_IMPUTED, ROW, example_rows, source_name

_SOURCE = "_length_source"


def layer_read(pipes: pd.DataFrame, *, report, where, table: str = "pipes") -> None:
    """Say which layer of a file of several the register was read from (``--layer``, or the line layer), or
    which sheet of a workbook's (``--layer``, ``sheet`` of ``[columns]``); with ``table="leaks"``, which sheet
    of a workbook the leak history was read from (``sheet`` of ``[leak_columns]``)."""
    layer, layers = pipes.attrs.get(LAYER_READ) or (None, [])
    if layer is not None and len(layers) > 1:
        sheet = bool(pipes.attrs.get(SHEET_READ))
        if table == "leaks" and not sheet:
            return
        report.add(f"{table}_sheet_read" if sheet else "pipes_layer_read", "info", 1,
                   params={"where": where, "layer": layer, "layers": ", ".join(layers), "n_layers": len(layers)},
                   file=where)


def assumed_crs(pipes: pd.DataFrame, crs: str | None, *, report, where) -> str | None:
    """The register's CRS; WGS84 when none is given and every coordinate is a longitude/latitude.

    None (an unknown projected CRS, coordinates taken as metres) when the CRS given is geographic but the
    coordinates reach beyond 180/90, as in a GeoJSON export of projected coordinates (RFC 7946 makes a
    GeoJSON without a CRS WGS84).

    :func:`leakopt.io.read_pipes` already assumed it for a GIS file without a CRS (``attrs``), so that
    its lengths are metres; a frame given directly is checked here (:func:`leakopt.io.gis.lonlat_only`).
    """
    declared = pipes.attrs.get(CRS_NOT_DEGREES)
    coords = _coordinate_args(pipes)
    if declared is None and crs is not None and not pipes.attrs.get(CRS_ASSUMED):
        if coords is None or not not_degrees(crs, *coords):
            return crs
        declared = crs
    if declared is not None:
        report.add("crs_not_degrees", "warning", 1, params={"where": where, "crs": declared}, file=where)
        return None
    if crs is None and (coords is None or not lonlat_only(*coords)):
        return None
    report.add("crs_assumed_wgs84", "warning", 1, params={"where": where}, file=where)
    return "EPSG:4326"


def _coordinate_args(pipes: pd.DataFrame) -> tuple | None:
    """``(geoms, x, y)`` for :func:`~leakopt.io.gis.lonlat_only` and :func:`~leakopt.io.gis.not_degrees`: the
    register's lines, else its x, y; None when it has neither."""
    if GEOMETRY in pipes and pipes[GEOMETRY].notna().any():
        return pipes[GEOMETRY], None, None
    if X in pipes and Y in pipes:
        return None, pd.to_numeric(pipes[X], errors="coerce"), pd.to_numeric(pipes[Y], errors="coerce")
    return None


def prepare_pipes(pipes: pd.DataFrame, *, network, crs, cfg, report) -> pd.DataFrame:
    """IDs, duplicates, materials, numbers, network join, lengths and midpoints."""
    where = source_name(report.sources, "pipes")
    p = _renamed_outputs(pipes.copy(), report, where)
    p[ROW] = np.arange(1, len(p) + 1)
    null_rows = p.loc[p[GEOMETRY].isna(), ROW] if GEOMETRY in p.columns else None
    if GEOMETRY in p.columns:
        p[GEOMETRY] = _without_empty_geometries(p, report, where)
    p = _without_blank_rows(p, report, where)
    if null_rows is not None:   # counted among the rows kept: a blank row is no pipe, said once
        null = p[ROW].isin(null_rows)
        report.add("geometry_missing", "warning", int(null.sum()), params={"n": int(null.sum())},
                   examples=example_rows(p, null, [PIPE_ID]), file=where, column=GEOMETRY)
    _require(p, network, report, where)
    p = _ids(p, cfg, report, where)
    p = _materials(p, cfg, report, where)
    p = _numbers(p, report, where, cfg)
    if network is not None:
        p = _join_network(p, network, report, where)
    p = _lengths(p, crs, report, where, cfg)
    return _midpoints(p)


def _require(p, network, report, where) -> None:
    if p.empty:
        report.fail("no_pipes", params={"where": where}, file=where)
    has_geom = GEOMETRY in p.columns and p[GEOMETRY].notna().any()
    need = [PIPE_ID, MATERIAL, INSTALL_YEAR]
    need += [DIAMETER] if network is None else []
    need += [LENGTH] if network is None and not has_geom else []
    missing = [c for c in need if c not in p.columns]
    if missing:
        why = (" (diameter_mm is needed unless a network gives it; length_m unless geometry or a network "
               "gives it)") if set(missing) & {DIAMETER, LENGTH} else ""
        exc = missing_columns_error(where, missing, p.drop(columns=[ROW, INSTALL_DATE], errors="ignore"), why=why)
        if why:
            exc.why_phrase = phrase("why_diameter_length")      # said in French too (the app's form)
        report.fail("missing_column", exc, params=missing_column_params(exc, where, why=why and exc.why_phrase),
                    file=where, column=missing[0])


def _without_empty_geometries(p, report, where) -> pd.Series:
    """The geometry column with null and empty lines (``LINESTRING EMPTY``) as None, the empty ones counted
    (the null ones are counted once blank rows are left out: ``geometry_missing``)."""
    import shapely
    geoms = p[GEOMETRY].astype(object).where(p[GEOMETRY].notna(), None)
    empty = pd.Series(shapely.is_empty(geoms.to_numpy(dtype=object)) & geoms.notna().to_numpy(), index=p.index)
    report.add("geometry_empty", "warning", int(empty.sum()), params={"n": int(empty.sum())},
               examples=example_rows(p, empty, [PIPE_ID]), file=where, column=GEOMETRY)
    return geoms.mask(empty, None)


def _without_blank_rows(p, report, where) -> pd.DataFrame:
    """Rows with no value at all (",,,," at the end of a spreadsheet export) are no pipes: counted, left out."""
    blank = p[GEOMETRY].isna() if GEOMETRY in p else pd.Series(True, index=p.index)
    for col in (c for c in p.columns if c not in (ROW, GEOMETRY)):
        if not blank.any():
            break
        values = p[col]
        empty = values.isna()
        if not pd.api.types.is_numeric_dtype(values):
            empty |= values.astype("str").str.strip().eq("")
        blank &= empty
    report.add("pipe_row_blank", "info", int(blank.sum()), params={"n": int(blank.sum())},
               examples=[{"row": int(r)} for r in p.loc[blank, ROW].head(report.max_examples)], file=where)
    return p.loc[~blank]


#: Columns leakopt writes into risk.csv (its scores, and the raw material and imputation flags it adds to the
#: register's columns): a register column of that name would be overwritten.
OUTPUT_COLUMNS = tuple(c for c in RISK_COLUMNS + CONSEQUENCE_RISK_COLUMNS + ("top_factors_en", "top_factors_fr")
                       if c != PIPE_ID) + (MATERIAL_RAW, DIAMETER_IMPUTED, INSTALL_YEAR_IMPUTED, LENGTH_IMPUTED)


def _renamed_outputs(p, report, where) -> pd.DataFrame:
    """Register columns named as leakopt's outputs (``rank``, ``risk_class``...), or as its working columns
    (a name starting with "_"), passed through as ``input_<name>``."""
    names = {}
    for code, clash in (("register_column_renamed", [c for c in p.columns if c in OUTPUT_COLUMNS]),
                        ("register_column_underscore", [c for c in p.columns if str(c).startswith("_")
                                                        and c != INSTALL_DATE])):      # read_pipes' own
        if not clash:
            continue
        new = {c: next(n for n in (f"input_{c}" + "_" * k for k in range(len(p.columns) + 1))
                       if n not in p.columns and n not in names.values()) for c in clash}
        renamed = Joined(tuple(phrase("column_renamed", column=c, new=n) for c, n in new.items()))
        report.add(code, "warning", len(clash), params={"n": len(clash), "renamed": renamed},
                   examples=[{"column": c, "passed_through_as": n} for c, n in new.items()], file=where)
        names.update(new)
    return p.rename(columns=names) if names else p


def _repeated_rows(p) -> pd.Series:
    """Rows identical to an earlier one in every column (geometry compared as text), its data row aside."""
    frame = p.drop(columns=[ROW])
    if GEOMETRY in frame.columns:
        frame[GEOMETRY] = frame[GEOMETRY].astype("str")
    return frame.astype("str").duplicated(keep="first")


def _ids(p, cfg, report, where) -> pd.DataFrame:
    ids = id_strings(p[PIPE_ID])
    blank = ids.isna()
    if blank.any():
        ids = ids.mask(blank, "row" + p[ROW].astype("str"))
        report.add("pipe_id_missing", "warning", blank.sum(), params={"n": blank.sum()},
                   examples=example_rows(p, blank, [MATERIAL]), file=where,
                   column=PIPE_ID)
    p[PIPE_ID] = ids.astype("str")
    dup = p[PIPE_ID].duplicated(keep=False)
    if not dup.any():
        return p
    same = _repeated_rows(p) & dup
    if same.any():   # the same row twice (an export that appended a table to itself): one pipe, kept once
        report.add("pipe_row_repeated", "warning", int(same.sum()), params={"n": int(same.sum())},
                   examples=example_rows(p, same, [PIPE_ID, MATERIAL]), file=where, column=PIPE_ID)
        p = p.loc[~same]
        dup = p[PIPE_ID].duplicated(keep=False)
        if not dup.any():
            return p
    ex = p.loc[dup, [PIPE_ID, ROW]].groupby(PIPE_ID, sort=False)[ROW].apply(list)
    text = Joined(tuple(phrase("id_on_rows", id=k, rows=", ".join(map(str, v[:5]))) for k, v in ex.head(5).items()),
                  sep={"en": "; ", "fr": "\u00a0; "})
    n_ids, n_extra = len(ex), int(dup.sum() - len(ex))
    if cfg.on_duplicate_ids == "error":
        report.fail("duplicate_pipe_id", key="duplicate_pipe_id_refused",
                    params={"where": where, "n_ids": n_ids, "text": text}, file=where, column=PIPE_ID, count=n_extra,
                    examples=[{"pipe_id": k, "rows": v} for k, v in ex.head(10).items()])
    keep = "first" if cfg.on_duplicate_ids == "keep_first" else "last"
    drop = p[PIPE_ID].duplicated(keep=keep)
    report.add("duplicate_pipe_id", "error", drop.sum(),
               params={"n_ids": n_ids, "n": drop.sum(), "keep": phrase(f"keep_{keep}"), "text": text},
               examples=example_rows(p, drop, [PIPE_ID, MATERIAL]), file=where,
               column=PIPE_ID)
    return p.loc[~drop]


def _materials(p, cfg, report, where) -> pd.DataFrame:
    raw = p[MATERIAL]
    p[MATERIAL] = normalize_material(raw, cfg.material_codes)
    p[MATERIAL_RAW] = raw.astype("str").mask(raw.isna())
    unknown = unrecognised_materials(raw, cfg.material_codes)
    if len(unknown):
        n = int(unknown.sum())
        listed = ", ".join(f"{k!r} ({v})" for k, v in unknown.head(10).items())
        report.add("material_unrecognised", "warning", n,
                   params={"n": n, "listed": listed, "example": next(iter(unknown.index))},
                   examples=[{"material_raw": k, "pipes": int(v)} for k, v in unknown.items()], file=where,
                   column=MATERIAL)
    report.summary["materials_unrecognised"] = {str(k): int(v) for k, v in unknown.items()}
    blank = raw.isna() | raw.astype("str").str.strip().eq("")
    report.add("material_missing", "warning", int(blank.sum()), params={"n": int(blank.sum())},
               examples=example_rows(p, blank, [PIPE_ID, MATERIAL_RAW]), file=where, column=MATERIAL)
    return p


def _numbers(p, report, where, cfg) -> pd.DataFrame:
    for col in (DIAMETER, LENGTH, INSTALL_YEAR):
        if col not in p.columns:
            p[col] = np.nan
            continue
        if col == INSTALL_YEAR:
            values, bad = to_year(p[col])
            near = approximate_years(p[col])
            p[INSTALL_DATE] = _install_dates(p[INSTALL_DATE] if INSTALL_DATE in p else p[col], values, near)
            report.add("install_year_approximate", "warning", int(near.sum()), params={"n": int(near.sum())},
                       examples=example_rows(p, near, [PIPE_ID, col]), file=where, column=col)
        else:
            values, bad = _read_number_column(p, col, report, where)
        if col == DIAMETER:
            values = _diameters_in_mm(p, values, report, where, cfg)
            bad &= values.isna()                      # fractions of an inch ("3/4\""), read there
        if col == LENGTH and cfg.length_unit != "m":
            values = _lengths_in_metres(p, values, report, where, cfg)
        what = phrase("a_year_or_date" if col == INSTALL_YEAR else "a_number")
        report.add(f"{col}_unreadable", "warning", bad.sum(), params={"n": bad.sum(), "col": col, "what": what},
                   examples=example_rows(p, bad, [PIPE_ID, col]), file=where, column=col)
        p[col] = values
    bad_d = p[DIAMETER] <= 0
    report.add("diameter_not_positive", "warning", bad_d.sum(), params={"n": bad_d.sum()},
               examples=example_rows(p, bad_d, [PIPE_ID, DIAMETER]), file=where, column=DIAMETER)
    p[DIAMETER] = p[DIAMETER].mask(bad_d)
    huge = p[DIAMETER] > MAX_DIAMETER_MM
    report.add("diameter_implausible", "warning", huge.sum(), params={"n": huge.sum(), "max": MAX_DIAMETER_MM},
               examples=example_rows(p, huge, [PIPE_ID, DIAMETER]), file=where, column=DIAMETER)
    p[DIAMETER] = p[DIAMETER].mask(huge)
    horizon = pd.Timestamp.today().year + 1
    bad_y = (p[INSTALL_YEAR] < cfg.min_install_year) | (p[INSTALL_YEAR] > horizon)
    two = bad_y & p[INSTALL_YEAR].between(1, 99) & (p[INSTALL_YEAR] % 1 == 0)
    report.add("install_year_two_digits", "warning", two.sum(), params={"n": two.sum()},
               examples=example_rows(p, two, [PIPE_ID, INSTALL_YEAR]), file=where, column=INSTALL_YEAR)
    bad = bad_y & ~two
    report.add("install_year_implausible", "warning", bad.sum(),
               params={"n": bad.sum(), "min_year": cfg.min_install_year, "horizon": horizon},
               examples=example_rows(p, bad, [PIPE_ID, INSTALL_YEAR]), file=where, column=INSTALL_YEAR)
    p[INSTALL_YEAR] = p[INSTALL_YEAR].mask(bad_y)
    d = p[DIAMETER].dropna()
    if len(d) >= 10 and d.median() < 40 and cfg.diameter_unit == "mm":
        report.add("diameter_units", "warning", len(d), params={"median": d.median()}, file=where, column=DIAMETER)
    return p


def _install_dates(raw: pd.Series, years: pd.Series, approximate: pd.Series) -> pd.Series:
    """The day each pipe was laid, where its install value is a full date ("05/14/1962", "2024-02-02",
    a GIS date field) that agrees with the year read; NaT elsewhere (a year, a range, a decade)."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_datetime64_any_dtype(raw):
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    dates, _ = parse_dates(raw)
    full = ~year_only(raw) & ~approximate & dates.notna() & (dates.dt.year == years)
    return dates.where(full)


#: No water main is wider (the largest mains are 3.6-4 m): a diameter above is a typo or another unit.
MAX_DIAMETER_MM = 5000.0

#: A diameter that says it is in inches: 6", 6'', 6 in, 6 in., 8 inch, 8 inches, 6 po, 6 pouces.
_INCH_RE = rf"^\s*[+]?\d+(?:[.,]\d+)?\s*{INCH_MARK}\s*$"
#: A diameter that says it is in millimetres: DN150, 150 mm, 150mm.
_MM_RE = r"(?i)^\s*(?:dn\s*\d|[+]?\d+(?:[.,]\d+)?\s*mm\b)"


#: A diameter that says it is in metres: 0.15 m.
_METRE_RE = r"^\s*[+]?\d*[.,]?\d+\s*m\.?\s*$"


def _diameters_in_mm(p, values: pd.Series, report, where, cfg) -> pd.Series:
    """Diameters in millimetres: values marked in inches (``6"``) and, with ``[validate] diameter_unit =
    "in"``, the unmarked ones are multiplied by 25.4, those marked in metres (``0.15 m``) by 1000, each
    conversion reported (nothing changed unsaid).  Fractions of an inch (``3/4"``, ``1 1/2``, ``1½``),
    unread as numbers, are read here: in inches whatever the unit, as no one writes a fraction of a
    millimetre; unmarked ones are said on their own (``diameter_fraction_read_in_inches``)."""
    raw = p[DIAMETER].astype("str")
    unread = values.isna() & p[DIAMETER].notna()
    fraction, fraction_marked = inch_fractions(p.loc[unread, DIAMETER])
    fraction, fraction_marked = fraction.reindex(p.index), fraction_marked.reindex(p.index, fill_value=False)
    values = values.fillna(fraction)
    metres = raw.str.match(_METRE_RE, case=False).fillna(False).astype(bool) & values.notna()
    report.add("diameter_marked_in_metres", "info", int(metres.sum()), params={"n": int(metres.sum())},
               examples=example_rows(p.assign(read_as_mm=(values * 1000).round(3)), metres,
                                     [PIPE_ID, DIAMETER, "read_as_mm"]),
               file=where, column=DIAMETER)
    values = values.where(~metres, values * 1000)
    marked = (raw.str.match(_INCH_RE, case=False).fillna(False).astype(bool) & values.notna()) | fraction_marked
    if cfg.diameter_unit == "in":
        unmarked = values.notna() & ~marked & ~metres & ~raw.str.match(_MM_RE).fillna(False).astype(bool)
        report.add("diameter_read_in_inches", "info", int(unmarked.sum()), params={"n": int(unmarked.sum())},
                   examples=example_rows(p.assign(read_as_mm=(values * 25.4).round(3)), unmarked,
                                         [PIPE_ID, DIAMETER, "read_as_mm"]), file=where, column=DIAMETER)
        marked |= unmarked
    else:
        report.add("diameter_marked_in_inches", "info", int(marked.sum()), params={"n": int(marked.sum())},
                   examples=example_rows(p.assign(read_as_mm=(values * 25.4).round(3)), marked,
                                         [PIPE_ID, DIAMETER, "read_as_mm"]), file=where, column=DIAMETER)
        bare = fraction.notna() & ~fraction_marked
        report.add("diameter_fraction_read_in_inches", "info", int(bare.sum()),
                   params={"n": int(bare.sum()), "example": str(raw[bare].iloc[0]).strip() if bare.any() else ""},
                   examples=example_rows(p.assign(read_as_mm=(values * 25.4).round(3)), bare,
                                         [PIPE_ID, DIAMETER, "read_as_mm"]), file=where, column=DIAMETER)
        marked |= bare
    return values.where(~marked, values * 25.4)


def _lengths_in_metres(p, values: pd.Series, report, where, cfg) -> pd.Series:
    """Lengths read in ``[validate] length_unit`` (feet, kilometres), converted to metres and said."""
    factor = LENGTH_UNITS[cfg.length_unit]
    read = values.notna()
    report.add("length_read_in_unit", "info", int(read.sum()),
               params={"n": int(read.sum()), "unit": cfg.length_unit, "factor": factor},
               examples=example_rows(p.assign(read_as_m=(values * factor).round(3)), read,
                                     [PIPE_ID, LENGTH, "read_as_m"]),
               file=where, column=LENGTH)
    return values * factor


#: The register's lengths are said to be in another unit (``length_units``) when, on at least this share of
#: the pipes whose length the geometry or the network also gives, they are the same multiple of it (to 5%),
#: and that multiple is not about 1.
LENGTH_UNIT_SHARE = 0.6
#: Pipes compared (evenly spaced through the register), enough to tell and quick on any register.
LENGTH_UNIT_SAMPLE = 2000


#: Metres in a foot (international; the US survey foot differs by 2 in a million).
FOOT_M = 0.3048


def _check_length_unit(p, length: pd.Series, crs, report, where, cfg) -> None:
    """Say when the register's lengths are a steady multiple of the geometry's or the network's (3.28: feet
    read as metres; 0.001: kilometres), and leave them as read: which of the two is right is the user's
    call (``[validate] length_unit``)."""
    given = length.notna() & (length > 0)
    from_network = (p["_geometry_from_network"].to_numpy(dtype=bool) if "_geometry_from_network" in p
                    else np.zeros(len(p), dtype=bool))
    sources = ([("geometry", given & ~from_network & p[GEOMETRY].notna())] if GEOMETRY in p.columns else []) + \
        ([("network", given & (p["_network_length"] > 0))] if "_network_length" in p.columns else [])
    for source, pick in sources:
        idx = np.flatnonzero(pick.to_numpy())
        if len(idx) < 10:
            continue
        idx = idx[np.linspace(0, len(idx) - 1, min(len(idx), LENGTH_UNIT_SAMPLE)).astype(int)]
        rows = p.iloc[idx]
        ref = (pd.Series(geometry_length_m(rows[GEOMETRY].to_numpy(dtype=object), crs), index=rows.index)
               if source == "geometry" else rows["_network_length"].astype(float))
        ratio = (length.iloc[idx] / ref).replace([np.inf, -np.inf], np.nan).dropna()
        ratio = ratio[ratio > 0]
        if len(ratio) < 10:
            continue
        median = float(ratio.median())
        share = float((np.abs(ratio / median - 1) <= 0.05).mean())
        if 0.8 <= median <= 1.25 or share < LENGTH_UNIT_SHARE:
            return                         # the first source that can tell says they agree, or no steady multiple
        column = f"{source}_length_m"
        shown = rows.loc[ratio.index[:10]].assign(**{column: ref.loc[ratio.index[:10]].round(1)})
        # no CRS: the geometry was taken as metres; a steady 0.3048 says it is in feet, not the lengths
        feet = source == "geometry" and crs is None and abs(median - FOOT_M) <= 0.01
        report.add("length_units", "warning", int(given.sum()), key="length_units_geometry_feet" if feet else None,
                   params={"ratio": median, "share": 100 * share, "n": len(ratio),
                           "source": phrase(f"length_source_{source}"), "unit": cfg.length_unit},
                   examples=example_rows(shown, np.ones(len(shown), bool), [PIPE_ID, LENGTH, column]),
                   file=where, column=LENGTH)
        return


def _read_number_column(p, col, report, where) -> tuple[pd.Series, pd.Series]:
    """A diameter or length column read with its own decimal mark and thousands separator
    (:func:`leakopt.io.values.read_numbers`); the separators read and the ambiguous values are reported.
    Returns the numbers and the unreadable values (ambiguous ones are reported on their own)."""
    reading = read_numbers(p[col])
    n_grouped, n_ambiguous = int(reading.grouped.sum()), int(reading.ambiguous.sum())
    if n_grouped:
        first = reading.grouped.idxmax()
        report.add(f"{col}_thousands_separator", "info", n_grouped,
                   params={"n": n_grouped, "col": col, "example": str(p.at[first, col]),
                           "value": float(reading.values[first])},
                   examples=example_rows(p.assign(read_as=reading.values), reading.grouped, [PIPE_ID, col, "read_as"]),
                   file=where, column=col)
    if n_ambiguous:
        first = reading.ambiguous.idxmax()
        raw = str(p.at[first, col]).strip()
        mark = "," if "," in raw else "."
        report.add(f"{col}_number_ambiguous", "warning", n_ambiguous,
                   params={"n": n_ambiguous, "col": col, "example": raw,
                           "as_decimal": raw.replace(mark, "."), "as_grouped": raw.replace(mark, "")},
                   examples=example_rows(p, reading.ambiguous, [PIPE_ID, col]), file=where, column=col)
    return reading.values, reading.bad


def _join_network(p, network, report, where) -> pd.DataFrame:
    links = network.links.drop_duplicates(PIPE_ID).set_index(PIPE_ID)
    in_net = pd.Series(isin(p[PIPE_ID], links.index), index=p.index)
    net_file = network.inp_path or localized("the_network")
    other = network.other_links
    device = pd.Series(isin(p[PIPE_ID], other["link_id"]) if other is not None and len(other) else False,
                       index=p.index) & ~in_net
    absent = ~in_net & ~device
    report.add("pipe_not_in_network", "warning", absent.sum(), params={"n": absent.sum(), "net_file": net_file},
               examples=example_rows(p, absent, [PIPE_ID, MATERIAL]),
               file=where, column=PIPE_ID)
    report.add("pipe_is_pump_or_valve", "warning", device.sum(), params={"n": device.sum(), "net_file": net_file},
               examples=example_rows(p, device, [PIPE_ID]),
               file=where, column=PIPE_ID)
    extra = links.index[~isin(links.index, p[PIPE_ID])]
    report.add("network_pipe_not_in_register", "warning", len(extra),
               params={"n": len(extra), "net_file": net_file, "where": where},
               examples=[{"pipe_id": i} for i in extra[:10]], file=net_file, column=PIPE_ID)
    elsewhere = _check_overlap(p, network, report, where, net_file)
    ids = p[PIPE_ID]
    for col in (START_NODE, END_NODE):
        p[col] = ids.map(links[col]).astype("str")
    if GEOMETRY not in p.columns:
        p[GEOMETRY] = None
    from_net = ids.map(links[GEOMETRY])
    need = p[GEOMETRY].isna() & in_net & from_net.notna() & (not elsewhere)
    p[GEOMETRY] = p[GEOMETRY].where(~need, from_net)
    p["_geometry_from_network"] = need
    report.add("geometry_from_network", "info", need.sum(), params={"n": need.sum()}, file=where, column=GEOMETRY)
    need_d = p[DIAMETER].isna() & in_net
    p["_diameter_from_network"] = need_d
    p[DIAMETER] = p[DIAMETER].where(~need_d, ids.map(links[DIAMETER]))
    report.add("diameter_from_network", "warning", need_d.sum(), params={"n": need_d.sum()},
               examples=example_rows(p, need_d, [PIPE_ID, DIAMETER]), file=where,
               column=DIAMETER)
    p["_network_length"] = ids.map(links[LENGTH])
    return p


#: The validation codes :func:`check_network_coordinates` reports.
NETWORK_COORDINATE_ISSUES = ("network_without_coordinates", "network_nodes_without_coordinates")


def check_network_coordinates(network, report, net_file: str) -> bool:
    """Report a network without coordinates (every node at one point), or some of whose nodes have none (left
    out of [COORDINATES]: read as NaN x, y, :func:`leakopt.io.read_network`). False when it has none at all."""
    if len(network.nodes) and not network.has_coordinates:
        report.add("network_without_coordinates", "warning", len(network.nodes),
                   params={"net_file": net_file, "nodes": len(network.nodes)}, file=net_file)
        return False
    unplaced = network.nodes[X].isna()
    if unplaced.any():
        names = set(network.nodes.loc[unplaced, "node_id"].astype(str))
        ends = network.links["start_node"].astype(str).isin(names) | network.links["end_node"].astype(str).isin(names)
        report.add("network_nodes_without_coordinates", "warning", int(unplaced.sum()),
                   params={"n": int(unplaced.sum()), "net_file": net_file, "n_pipes": int(ends.sum())},
                   examples=[{"node_id": n} for n in sorted(names)[:5]], file=net_file)
    return True


def _check_overlap(p, network, report, where, net_file) -> bool:
    """Whether the register's lines and the network's nodes lie apart (disjoint extents): warned, as is a
    network without coordinates (every node at one point)."""
    if not check_network_coordinates(network, report, net_file):
        return False
    if GEOMETRY not in p.columns or not p[GEOMETRY].notna().any() or network.nodes.empty:
        return False
    import shapely
    x0, y0, x1, y1 = shapely.total_bounds(p[GEOMETRY].dropna().to_numpy(dtype=object))
    nx, ny = network.nodes[X], network.nodes[Y]
    if nx.max() < x0 or nx.min() > x1 or ny.max() < y0 or ny.min() > y1:
        report.add("network_coordinates_elsewhere", "warning", 1, params={"net_file": net_file, "where": where},
                   key="network_coordinates_apart", file=net_file)
        return True
    return False


def _lengths(p, crs, report, where, cfg) -> pd.DataFrame:
    length = p[LENGTH]
    _check_length_unit(p, length, crs, report, where, cfg)
    bad_value = length.notna() & (length <= 0)
    report.add("length_not_positive", "warning", bad_value.sum(), params={"n": bad_value.sum()},
               examples=example_rows(p, bad_value, [PIPE_ID, LENGTH]),
               file=where, column=LENGTH)
    too_long = length.notna() & (length > cfg.max_length_m)
    report.add("length_implausible", "warning", too_long.sum(), params={"n": too_long.sum(), "max_m": cfg.max_length_m},
               examples=example_rows(p, too_long, [PIPE_ID, LENGTH]), file=where, column=LENGTH)
    need = length.isna() | bad_value | too_long
    source = pd.Series(np.where(need, "", "register"), index=p.index, dtype=object)
    if need.any() and GEOMETRY in p.columns:   # the register's own lines; the network gives lengths
        geo = pd.Series(geometry_length_m(p[GEOMETRY].to_numpy(dtype=object), crs), index=p.index)
        own = ~p["_geometry_from_network"] if "_geometry_from_network" in p else True
        use = need & (geo > 0) & own
        length, source = length.mask(use, geo), source.mask(use, "geometry")
        need &= ~use
    if need.any() and "_network_length" in p.columns:
        use = need & (p["_network_length"] > 0)
        length, source = length.mask(use, p["_network_length"]), source.mask(use, "network")
        need &= ~use
    for src in ("geometry", "network"):
        n = int((source == src).sum())
        report.add(f"length_from_{src}", "warning" if src == "network" else "info", n, params={"n": n, "src": src},
                   file=where, column=LENGTH)
    if need.all():
        report.fail("length_m_all_missing", params={"where": where, "col": LENGTH}, file=where, column=LENGTH,
                    count=int(need.sum()))
    if need.any():
        length = _impute_lengths(p, length, need, report, where)
    p[LENGTH] = length.astype(float)
    p[LENGTH_IMPUTED] = need.to_numpy()
    return p.drop(columns=["_network_length", "_geometry_from_network"], errors="ignore")


def _impute_lengths(p, length, need, report, where) -> pd.Series:
    """Lengths found nowhere: the median length of the pipes of the same material that have one, else of all."""
    values = length.to_numpy(dtype=float, copy=True)
    values[need.to_numpy()] = np.nan
    method = pd.Series(median_fill(values, p[MATERIAL].astype("str").to_numpy(), lower=False),
                       index=p.index)[need]
    fill = pd.Series(values, index=p.index)[need]
    by = method.value_counts().to_dict()
    methods = Joined(tuple(phrase("imputed_by", method=phrase(f"method_{k}"), n=v) for k, v in by.items()))
    report.add("length_imputed", "warning", need.sum(), params={"n": need.sum(), "by": methods},
               examples=example_rows(p.assign(imputed_from=method, imputed_length_m=fill), need,
                                     [PIPE_ID, MATERIAL, "imputed_length_m", "imputed_from"]),
               file=where, column=LENGTH)
    report.summary["length_m_imputed_by"] = by
    return length.mask(need, fill)


def _midpoints(p) -> pd.DataFrame:
    if GEOMETRY not in p.columns:
        return p
    import shapely
    geoms = p[GEOMETRY].to_numpy(dtype=object)
    mid = shapely.line_interpolate_point(geoms, 0.5, normalized=True)
    mx, my = shapely.get_x(mid), shapely.get_y(mid)
    for col, values in ((X, mx), (Y, my)):
        given = pd.to_numeric(p[col], errors="coerce") if col in p.columns else pd.Series(np.nan, index=p.index)
        p[col] = given.fillna(pd.Series(values, index=p.index)).astype(float)
    return p


#: Columns validation adds to the register (not the user's own).
_FLAGS = (MATERIAL_RAW, DIAMETER_IMPUTED, INSTALL_YEAR_IMPUTED, LENGTH_IMPUTED, START_NODE, END_NODE)


#: Register columns that say whether a pipe is in service ("STATUS", "LIFECYCLE_STATUS", "ETAT", "STATUT").
_STATUS_NAME_RE = r"(?i)^(?:.*[_ ])?(?:status|state|lifecycle|life_cycle|etat|état|statut)(?:[_ ].*)?$"
#: Values of such a column for a pipe out of service, or not yet laid.
_OUT_OF_SERVICE_RE = (r"(?i)abandon|remov|retir|inactive|out of service|decommission|dismantl|demolish|"
                      r"hors service|supprim|d[ée]saffect|d[ée]pos|propos|planned|projet")


def _say_pipes_out_of_service(p, report, where) -> None:
    """Without ``keep_pipes``: say when a status column lists pipes out of service (abandoned, removed,
    proposed), which are then scored as pipes in service, and give the setting that leaves them out."""
    for column in p.columns:
        if not isinstance(column, str) or column.startswith("_") or not re.match(_STATUS_NAME_RE, column):
            continue
        held = p[column].astype("string").str.strip()
        out = held.str.contains(_OUT_OF_SERVICE_RE, regex=True).fillna(False).to_numpy(dtype=bool)
        if not out.any():
            continue
        counts = held[out].value_counts()
        others = [v for v in held[~out].dropna().unique().tolist() if v][:5]
        if not others:           # no pipe in service by this column: not a status to filter on
            continue
        key = column if re.fullmatch(r"[A-Za-z0-9_-]+", column) else json.dumps(column, ensure_ascii=False)
        report.add("pipes_out_of_service_listed", "warning", int(out.sum()),
                   params={"n": int(out.sum()), "column": column,
                           "values": ", ".join(f"{v} {n:,}" for v, n in counts.head(6).items()),
                           "keep": f"keep_pipes = {{ {key} = {json.dumps(others, ensure_ascii=False)} }}"},
                   examples=example_rows(p, out, [PIPE_ID, column]), file=where, column=column)
        return


def keep_listed_pipes(p, cfg, *, report, where) -> pd.DataFrame:
    """Only the pipes whose columns hold a value ``[validate] keep_pipes`` lists (``STATUS = ["ACTIVE"]``).

    Run after the leaks are matched, so that a leak naming (or snapped to) an abandoned main is left out
    with it (:func:`leakopt.validate.leaks.drop_orphans`), not moved to a main in service.  The
    pipes left out are counted (``pipe_not_kept``, with the values they held); a column missing, or no pipe
    left, stops the run.
    """
    if not cfg.keep_pipes:
        _say_pipes_out_of_service(p, report, where)
        return p
    keep = np.ones(len(p), dtype=bool)
    for column, values in cfg.keep_pipes.items():
        if column not in p.columns:
            own = [str(c) for c in p.columns if not str(c).startswith("_") and c not in _FLAGS]
            report.fail("keep_pipes_column_missing", params={"column": column, "where": where,
                                                             "columns": ", ".join(own[:20])},
                        file=where, column=column)
        held = p[column].astype("string").str.strip().str.casefold()
        keep &= held.isin([v.casefold() for v in values]).fillna(False).to_numpy(dtype=bool)
    rule = "; ".join(f"{c} = {list(v)}" for c, v in cfg.keep_pipes.items())
    first = next(iter(cfg.keep_pipes))
    held = p.loc[~keep, first].astype("string").fillna("").str.strip().value_counts()
    values = ", ".join(f"{v or '(blank)'} {n:,}" for v, n in held.head(6).items())
    if not keep.any():
        report.fail("keep_pipes_keeps_none", params={"rule": rule, "where": where, "values": values},
                    file=where, column=first, count=len(p))
    out = int((~keep).sum())
    report.add("pipe_not_kept", "info", out, params={"n": out, "rule": rule, "values": values},
               examples=example_rows(p, ~keep, [PIPE_ID, *cfg.keep_pipes]), file=where, column=first)
    return p.loc[keep]


def drop_after_as_of(p, as_of: pd.Timestamp, *, report, where) -> pd.DataFrame:
    """Leave out (and count) pipes installed after the as-of year, or in it on or after the as-of date when the
    register gives the day they were laid: they are not scored."""
    dated = (p[INSTALL_DATE] >= as_of) if INSTALL_DATE in p else pd.Series(False, index=p.index)
    dated = dated & (p[INSTALL_YEAR] == as_of.year)
    late = (p[INSTALL_YEAR] > as_of.year) | dated
    report.add("pipe_installed_after_as_of", "info", late.sum(), key="pipe_installed_after_as_of" if not dated.any()
               else "pipe_installed_after_as_of_date",
               params={"n": late.sum(), "year": as_of.year, "as_of": as_of},
               examples=example_rows(p, late, [PIPE_ID, INSTALL_YEAR]), file=where, column=INSTALL_YEAR)
    p = p.loc[~late]
    if p.empty or (late.any() and not (p[INSTALL_YEAR] <= as_of.year).any()):   # only unknown years left
        report.fail("no_pipes", key="no_pipes_after_as_of", params={"where": where, "as_of": as_of.date().isoformat()},
                    file=where)
    return p


def impute_missing(p, leaks, *, as_of, cfg, report, where, crs=None) -> pd.DataFrame:
    """Impute (and flag) missing diameters and install years; see :mod:`leakopt.validate.impute`."""
    radius = cfg.neighbour_radius_m
    f = metres_per_unit(crs)
    # midpoints in degrees: the radius in degrees of latitude; in a projected CRS, in its unit (US feet...)
    radius = radius / 111_320.0 if f is None else radius / f
    p[DIAMETER_IMPUTED] = p.pop("_diameter_from_network").to_numpy() if "_diameter_from_network" in p \
        else np.zeros(len(p), dtype=bool)
    p[INSTALL_YEAR_IMPUTED] = np.zeros(len(p), dtype=bool)
    for col, flag in ((DIAMETER, DIAMETER_IMPUTED), (INSTALL_YEAR, INSTALL_YEAR_IMPUTED)):
        missing = p[col].isna()
        if not missing.any():
            continue
        if missing.all():
            report.fail(f"{col}_all_missing", params={"where": where, "col": col}, file=where, column=col,
                        count=int(missing.sum()))
        if not cfg.impute:
            report.add(f"{col}_missing", "error", missing.sum(), params={"n": missing.sum(), "col": col},
                       examples=example_rows(p, missing, [PIPE_ID, MATERIAL]), file=where, column=col)
            p = p.loc[~missing]
            continue
        values, method = impute_column(p, col, hops=cfg.neighbour_hops, k=cfg.neighbour_k,
                                       radius_m=radius)
        if col == INSTALL_YEAR:
            values = values.clip(upper=as_of.year)
        p[col] = values
        p[flag] = p[flag].to_numpy() | missing.to_numpy()
        by = method[missing].value_counts().to_dict()
        methods = Joined(tuple(phrase("imputed_by", method=phrase(f"method_{k}") if f"method_{k}" in PHRASES else k,
                                      n=v) for k, v in by.items()))
        report.add(f"{col}_imputed", "warning", missing.sum(),
                   params={"n": missing.sum(), "col": col, "flag": flag, "by": methods},
                   examples=example_rows(p.assign(imputed_from=method), missing, [PIPE_ID, MATERIAL, col, "imputed_from"]),
                   file=where, column=col)
        report.summary[f"{col}_imputed_by"] = by
    return _years_before_leaks(p, leaks, report, where)


def _years_before_leaks(p, leaks, report, where) -> pd.DataFrame:
    """An imputed install year later than the pipe's first leak is moved back to that year."""
    if leaks.empty:
        return p
    first = leaks.groupby(PIPE_ID)["year"].min()
    first_leak = p[PIPE_ID].map(first)
    late = p[INSTALL_YEAR_IMPUTED] & (first_leak < p[INSTALL_YEAR])
    report.add("imputed_year_before_leak", "info", late.sum(), params={"n": late.sum()},
               examples=example_rows(p, late, [PIPE_ID, INSTALL_YEAR]), file=where,
               column=INSTALL_YEAR)
    p[INSTALL_YEAR] = p[INSTALL_YEAR].mask(late, first_leak)
    return p


def finish_pipes(p) -> pd.DataFrame:
    """Contract columns first and typed, then topology and geometry, then pass-through columns."""
    p = p.copy()
    p[PIPE_ID] = p[PIPE_ID].astype("str")
    p[MATERIAL] = p[MATERIAL].astype("str")
    p[MATERIAL_RAW] = p[MATERIAL_RAW].astype("str")
    p[DIAMETER] = p[DIAMETER].astype(float)
    p[INSTALL_YEAR] = p[INSTALL_YEAR].round().astype("int64")
    for flag in (DIAMETER_IMPUTED, INSTALL_YEAR_IMPUTED, LENGTH_IMPUTED):
        p[flag] = p[flag].astype(bool)
    for col in (X, Y):                    # midpoints: always present, NaN when unknown
        p[col] = pd.to_numeric(p[col], errors="coerce").astype(float) if col in p.columns else np.nan
    front = list(PIPE_COLUMNS) + [LENGTH_IMPUTED] + [c for c in (START_NODE, END_NODE, X, Y, GEOMETRY)
                                                     if c in p.columns]
    rest = [c for c in p.columns if c not in front and c != ROW and not c.startswith("_")]
    return p[front + rest].reset_index(drop=True)

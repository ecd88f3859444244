"""Validation of the leak history (used by :func:`leakopt.validate.validate`).

Every leak row is either in the returned frame or counted under one reason of
``summary["leaks_excluded"]`` in the report, with examples.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int, translate
from leakopt.io.columns import guess_columns, missing_columns_error
from leakopt.io.dates import SERIAL_RE, compact, day_first, order_evidence, parse_dates, year_only
from leakopt.io.gis import lonlat_only
from leakopt.io.values import id_key, id_strings, isin
from leakopt.schema import DATE, DATE_PRECISION, GEOMETRY, INSTALL_YEAR, LEAK_ID, PIPE_ID, SNAP_DISTANCE, YEAR, X, Y
from leakopt.validate.messages import Joined, missing_column_params, phrase, render
from leakopt.validate.report import ROW, example_rows, source_name, value_stats
from leakopt.validate.snap import snap_points

_BY_YEAR = "_dated_by_year"          # column of the leaks whose date gave only the year (not in the output)


def _exclude(lk, mask, code, report, *, params=None, severity="error", cols=(PIPE_ID, DATE),
             key=None) -> pd.DataFrame:
    """Leave out the leak rows of ``mask``, counted under ``code`` (its message, the template ``key``, default
    ``code``, filled with ``n`` and ``params``)."""
    mask = np.asarray(mask, dtype=bool)
    n = int(mask.sum())
    if n:
        report.add(code, severity, n, params={"n": n, **(params or {})}, key=key,
                   examples=example_rows(lk, mask, cols),
                   file=source_name(report.sources, "leaks"), column=cols[1] if len(cols) > 1 else None)
        excluded = report.summary.setdefault("leaks_excluded", {})
        excluded[code.removeprefix("leak_")] = excluded.get(code.removeprefix("leak_"), 0) + n
    return lk.loc[~mask]


#: A date that gives a year or a month only ("2015", "2015.0", "2015-03", "03/2015").
_COARSE_DATE_RE = r"\s*(?:\d{4}(?:\.0)?|\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{4})\s*"


def prepare_leaks(leaks: pd.DataFrame, pipes: pd.DataFrame, *, crs, cfg, report) -> pd.DataFrame:
    """IDs, dates, and the pipe of each leak (by ID, else snapped from x, y)."""
    where = source_name(report.sources, "leaks")
    lk = leaks.copy()
    lk[ROW] = np.arange(1, len(lk) + 1)
    report.summary["leaks_excluded"] = {}
    lk = _exclude(lk, blank_rows(leaks).to_numpy(), "leak_row_blank", report, severity="info", cols=(ROW,))
    if DATE not in lk.columns:
        exc = missing_columns_error(where, [DATE], leaks, table="leak_columns", known_ids=pipes[PIPE_ID])
        report.fail("missing_column", exc, params=missing_column_params(exc, where), file=where, column=DATE)
    if PIPE_ID not in lk.columns and len(lk) and not _has_coordinates(pipes):
        # x, y alone cannot place a leak on pipes without coordinates: every leak would be left out
        exc = missing_columns_error(where, [PIPE_ID], leaks, table="leak_columns", known_ids=pipes[PIPE_ID],
                                    why=" (the pipes have no coordinates to snap the leaks' x, y to: each leak "
                                        "needs the ID of its pipe)")
        why = phrase("why_no_pipe_coordinates")
        report.fail("missing_column", exc, params=missing_column_params(exc, where, why=why), file=where,
                    column=PIPE_ID)
    if PIPE_ID not in lk.columns and len(lk):
        _unmapped_pipe_id(leaks, pipes, report, where)
    given = lk[LEAK_ID].astype("str").str.strip().mask(lk[LEAK_ID].isna()) if LEAK_ID in lk else None
    if given is None:   # no ID to tell two breaks from one written twice: rows equal in every column said,
        # unless dated by year or month only (two breaks on a pipe in a year are common)
        written = lk.drop(columns=[ROW]).astype("str")
        dated = ~written[DATE].str.fullmatch(_COARSE_DATE_RE).fillna(False).astype(bool) if DATE in written else True
        same = written.duplicated(keep=False) & dated
        copies = int((written.duplicated(keep="first") & dated).sum())
        report.add("leak_row_repeated", "warning", copies, params={"n": copies, "rows": int(same.sum())},
                   examples=example_rows(lk, same, [ROW, *(c for c in (PIPE_ID, DATE) if c in lk)]),
                   file=where)
    auto = "L" + lk[ROW].astype("str")
    lk[LEAK_ID] = (auto if given is None else given.mask(given.eq(""), None).fillna(auto)).astype("str")
    dupe = lk[LEAK_ID].duplicated(keep=False)
    report.add("leak_id_duplicate", "warning", dupe.sum(), params={"n": dupe.sum()},
               examples=example_rows(lk, dupe, [LEAK_ID, PIPE_ID, DATE]),
               file=where, column=LEAK_ID)
    lk = keep_leak_types(lk, cfg.leak_types, report=report, where=where)
    lk = _dates(lk, cfg, report, where)
    return _match(lk, pipes, crs, cfg, report, where)


def blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows that hold no value at all (",,," at the end of an export): no leak, counted as blank rows."""
    empty = frame.isna() | frame.apply(lambda c: c.astype("str").str.strip().eq("")).to_numpy()
    return pd.Series(empty.all(axis=1).to_numpy() & (frame.shape[1] > 0), index=frame.index)


def _unmapped_pipe_id(leaks: pd.DataFrame, pipes: pd.DataFrame, report, where) -> None:
    """Leaks placed from x, y when a column under another name holds their pipe's ID: said, so that
    it can be mapped (matched by ID, not snapped to the nearest pipe)."""
    try:
        column = guess_columns([PIPE_ID], leaks, table="leak_columns", known_ids=pipes[PIPE_ID]).get(PIPE_ID)
    except Exception:   # noqa: BLE001 - a hint that fails must not stop the validation
        return
    if column is not None:
        report.add("leak_pipe_id_unmapped", "warning", len(leaks), params={"n": len(leaks), "column": column},
                   file=where, column=column)


#: The file's leak types an impossible ``leak_types`` lists, most frequent first (the others counted).
SHOWN_TYPES = 5


def keep_leak_types(lk, leak_types, *, report, where) -> pd.DataFrame:
    """Only the leaks of the configured types (``type`` column, case-insensitive); the others counted.

    Rows of another type are left out under ``leak_type_excluded`` (info: the user asked for it),
    rows with a blank type under ``leak_type_missing`` (a warning); ``summary["leak_types"]`` holds
    the types kept and the count of every type left out.  A setting that keeps no row of a file whose rows
    have types stops the validation (``leak_types_match_none``), listing the file's types to choose from.
    """
    if leak_types is None:
        return lk
    if "type" not in lk.columns:
        exc = missing_columns_error(where, ["type"], lk.drop(columns=[ROW]), table="leak_columns",
                                    why=f" (leak_types = {list(leak_types)} is set in [validate]: remove it "
                                        "if the file gives no type)")
        exc.why_phrase = phrase("why_leak_types", types=list(leak_types))   # said in French too (the app)
        report.fail("missing_column", exc, params=missing_column_params(exc, where, why=exc.why_phrase),
                    file=where, column="type")
    wanted = {t.strip().casefold() for t in leak_types}
    text = lk["type"].astype("str").str.strip().mask(lk["type"].isna())
    blank = text.isna() | text.eq("")
    other = ~blank & ~text.str.casefold().isin(wanted)
    report.summary["leak_types"] = {"kept": list(leak_types),
                                    "excluded": {str(k): int(v) for k, v in text[other].value_counts().items()}}
    if other.any() and not (~blank & ~other).any():   # a setting no type of the file matches: say the file's types
        found = text[other].value_counts()
        types = [phrase("leak_type_count", type=str(k), n=int(v)) for k, v in found.head(SHOWN_TYPES).items()]
        if len(found) > SHOWN_TYPES:
            types.append(phrase("leak_types_more", n=len(found) - SHOWN_TYPES))
        report.fail("leak_types_match_none", params={"where": where, "n": int(other.sum()), "types": Joined(
            tuple(types)), "kept": ", ".join(f'"{t}"' for t in leak_types)}, file=where, column="type",
                    count=int(other.sum()), examples=example_rows(lk, other, [PIPE_ID, "type", DATE]))
    kept = ", ".join(leak_types)
    lk = _exclude(lk, other, "leak_type_excluded", report, params={"kept": kept}, severity="info",
                  cols=(PIPE_ID, "type", DATE))
    return _exclude(lk, blank[lk.index], "leak_type_missing", report, params={"kept": kept}, severity="warning",
                    cols=(PIPE_ID, "type", DATE))


#: Why dates are read day- or month-first, by (``dayfirst`` configured, order read): phrases of the messages.
_ORDER_WHY = {(True, True): "order_dayfirst_true", (False, False): "order_dayfirst_false",
              (None, True): "order_first_above_12", (None, False): "order_second_above_12",
              (None, None): "order_unknown"}


def _dates(lk, cfg, report, where) -> pd.DataFrame:
    raw = lk[DATE]
    text = raw.astype("str").str.strip()
    order = cfg.dayfirst if cfg.dayfirst is not None else day_first(text)
    dates, non_iso = parse_dates(raw, date_format=cfg.date_format, dayfirst=order is not False)
    bad = dates.isna()
    if len(lk) and bad.all():
        ex = ", ".join(repr(v) for v in raw.head(3).tolist())
        report.fail("leak_date_unparseable", key="leak_date_unparseable_all",
                    params={"where": where, "n": len(lk), "ex": ex}, file=where, column=DATE, count=len(lk),
                    examples=example_rows(lk, bad, [DATE]))
    if non_iso.any():
        _not_iso(lk.assign(read_as=dates), non_iso, text[non_iso], cfg, order, report, where)
    eight = compact(raw).to_numpy() & (cfg.date_format is None)
    lk = _exclude(lk, bad & eight, "leak_date_compact_invalid", report)
    lk = _exclude(lk, bad[lk.index], "leak_date_unparseable", report)
    lk[DATE] = dates[lk.index]
    today = pd.Timestamp.today().normalize()
    lk = _exclude(lk, (lk[DATE].dt.normalize() > today).to_numpy(), "leak_date_future", report,
                  params={"today": today.date().isoformat()}, severity="warning")
    lk[YEAR] = lk[DATE].dt.year.astype("int64")
    lk[_BY_YEAR] = year_only(raw)[lk.index].to_numpy()
    return lk


def _not_iso(lk, non_iso, text, cfg, order, report, where) -> None:
    """Count the dates read from another form than ISO, saying how (``leak_date_not_iso``).

    Day/month order: configured, shown by the values (a number above 12 is the day), or
    day-first assumed; a column whose values show both orders reads each shown date its own way
    and the others day-first, a warning (their order is a guess).
    """
    severity = "info"
    day, month, neither = order_evidence(text)
    if cfg.date_format:
        how = phrase("with_date_format", fmt=cfg.date_format)
    elif text.str.fullmatch(SERIAL_RE).all():
        how = phrase("dates_serial")
    elif not (day or month or neither):
        how = phrase("dates_as_written")
    elif cfg.dayfirst is None and day and month:
        how = phrase("dates_in_own_order", day=day, month=month,
                     rest=phrase("dates_order_guessed", neither=neither) if neither else "")
        severity = "warning" if neither else "info"
    else:
        how = phrase("dates_in_order", first=phrase("day" if order is not False else "month"),
                     why=phrase(_ORDER_WHY[cfg.dayfirst, order]))
    report.add("leak_date_not_iso", severity, non_iso.sum(), params={"n": non_iso.sum(), "how": how},
               examples=example_rows(lk, non_iso, [DATE, "read_as"]), file=where, column=DATE)


def _has_coordinates(pipes: pd.DataFrame) -> bool:
    """Whether leaks given by x, y can be snapped to these pipes (a geometry, or midpoints from a network)."""
    return any(c in pipes and pipes[c].notna().any() for c in (GEOMETRY, X))


def _respelled(lk, ids: pd.Series, register: pd.Series, report, where) -> pd.Series:
    """Leak pipe IDs not in the register but equal to one register ID under :func:`id_key` ("12.0", "00012").

    Only a key that one register ID has is used; the leaks so matched are counted (``leak_pipe_id_respelled``).
    """
    unknown = ids.notna().to_numpy() & ~isin(ids, register)
    if not unknown.any():
        return ids
    keys = id_key(register.dropna())
    unique = ~keys.duplicated(keep=False)
    lookup = pd.Series(register.dropna()[unique].to_numpy(), index=keys[unique].to_numpy())
    found = id_key(ids[unknown]).map(lookup)
    hit = found.notna()
    if not hit.any():
        return ids
    out = ids.copy()
    rows = ids.index[unknown][hit.to_numpy()]
    out[rows] = found[hit].to_numpy()
    mask = ids.index.isin(rows)
    report.add("leak_pipe_id_respelled", "warning", int(hit.sum()), params={"n": int(hit.sum())},
               examples=example_rows(lk.assign(register_pipe_id=out), mask, [PIPE_ID, "register_pipe_id", DATE]),
               file=where, column=PIPE_ID)
    return out


def _leak_coordinates(lk, px, py, pipes, crs, cfg, report, where, *, unplaced) -> tuple[pd.Series, pd.Series]:
    """Leak x, y in the register's CRS: from ``leaks_crs`` when set, else from lon/lat when they plainly are.

    Only the rows ``unplaced`` (no pipe_id of the register: to be snapped) are looked at and projected:
    the x, y of a leak that names its pipe are not used, so their CRS does not matter.
    Leaks in longitude/latitude beside a projected register are read as WGS84 and projected (a
    warning); leaks that are not longitude/latitude beside a geographic register stop the run: their
    CRS cannot be guessed.
    """
    ok = px.notna() & py.notna() & unplaced
    if not ok.any() or (crs is None and cfg.leaks_crs is None):
        return px, py
    if crs is None:
        report.add("leaks_crs_unused", "warning", int(ok.sum()), params={"leaks_crs": cfg.leaks_crs}, file=where,
                   column=X)
        return px, py
    from pyproj import CRS, Transformer
    source = cfg.leaks_crs
    if source is None:
        register_lonlat = X in pipes and lonlat_only(None, pipes[X], pipes[Y])
        lonlat = lonlat_only(None, px[ok], py[ok])
        if CRS.from_user_input(crs).is_geographic and not lonlat:
            ex = ", ".join(f"({x:g}, {y:g})" for x, y in zip(px[ok].head(2), py[ok].head(2)))
            params = {"where": where, "ex": ex, "crs": crs, "n": int(ok.sum())}
            examples = example_rows(lk, ok.to_numpy(), [PIPE_ID, X, Y] if PIPE_ID in lk else [X, Y])
            if unplaced.all():   # no leak can be placed at all: the run cannot go on
                report.fail("leak_coordinates_crs", file=where, column=X, params=params, count=int(ok.sum()),
                            examples=examples)
            # the others are matched by their pipe_id: these few are left out, said, and the run goes on
            report.add("leak_coordinates_crs", "error", int(ok.sum()), key="leak_coordinates_crs_unknown_ids",
                       params=params, examples=examples, file=where, column=X)
            return px.mask(ok), py.mask(ok)
        if CRS.from_user_input(crs).is_geographic or register_lonlat or not lonlat:
            return px, py
        source = "EPSG:4326"
        report.add("leak_coordinates_lonlat", "warning", int(ok.sum()), params={"n": int(ok.sum()), "crs": crs},
                   examples=example_rows(lk, ok.to_numpy(), [X, Y]), file=where, column=X)
    else:
        report.add("leak_coordinates_reprojected", "info", int(ok.sum()),
                   params={"n": int(ok.sum()), "source": source, "crs": crs}, file=where, column=X)
    x, y = Transformer.from_crs(CRS.from_user_input(source), CRS.from_user_input(crs), always_xy=True).transform(
        px[ok].to_numpy(dtype=float), py[ok].to_numpy(dtype=float))
    return px.mask(ok, pd.Series(x, index=px[ok].index)), py.mask(ok, pd.Series(y, index=py[ok].index))


def _match(lk, pipes, crs, cfg, report, where) -> pd.DataFrame:
    ids = id_strings(lk[PIPE_ID]) if PIPE_ID in lk else pd.Series(pd.NA, index=lk.index, dtype="str")
    ids = _respelled(lk, ids, pipes[PIPE_ID], report, where)
    known = isin(ids, pipes[PIPE_ID])
    lk[PIPE_ID] = ids.astype("str")
    lk[SNAP_DISTANCE] = np.nan
    px = pd.to_numeric(lk[X], errors="coerce") if X in lk else pd.Series(np.nan, index=lk.index)
    py = pd.to_numeric(lk[Y], errors="coerce") if Y in lk else pd.Series(np.nan, index=lk.index)
    unplaced = pd.Series(~known, index=lk.index)   # no pipe_id of the register: placed from x, y if at all
    px, py = _leak_coordinates(lk, px, py, pipes, crs, cfg, report, where, unplaced=unplaced)
    located = (px.notna() & py.notna()).to_numpy()
    todo = ~known & located
    method = "none"
    if todo.any():
        lk, method = _snap(lk, px, py, todo, pipes, crs, cfg, report, where)
    matched = isin(lk[PIPE_ID], pipes[PIPE_ID])
    has_id = lk[PIPE_ID].notna().to_numpy()
    no_geo = phrase("no_pipe_coordinates") if method == "none" and located.any() else ""
    lk = _exclude(lk, ~matched & has_id, "leak_unknown_pipe", report, params={"no_geo": no_geo})
    return _exclude(lk, ~isin(lk[PIPE_ID], pipes[PIPE_ID]), "leak_no_location", report, params={"no_geo": no_geo},
                    cols=(PIPE_ID, DATE, X, Y))


#: Leaks to snap this far from the pipes (the median of their distances, in metres) are no misplaced points:
#: their x, y are in another CRS than the register's, and the leaks left out as too far say so.
ELSEWHERE_M = 10_000.0


def _snap(lk, px, py, todo, pipes, crs, cfg, report, where) -> tuple[pd.DataFrame, str]:
    """Each leak of ``todo`` on its nearest pipe when within ``snap_max_distance_m``, the others left out
    (``leak_too_far_to_snap``; when most are kilometres away, the message says their CRS seems another).

    Returns the leaks and the method of :func:`~leakopt.validate.snap.snap_points`."""
    idx, dist, method = snap_points(px[todo], py[todo], geometries=pipes[GEOMETRY] if GEOMETRY in pipes else None,
                                    mid_x=pipes.get(X), mid_y=pipes.get(Y), crs=crs)
    found = idx >= 0
    near = found & (dist <= cfg.snap_max_distance_m)
    rows = np.flatnonzero(todo)
    lk.loc[lk.index[rows[near]], PIPE_ID] = pipes[PIPE_ID].to_numpy()[idx[near]]
    lk.loc[lk.index[rows[found]], SNAP_DISTANCE] = dist[found]
    far = np.zeros(len(lk), dtype=bool)
    far[rows[found & ~near]] = True
    elsewhere = crs is not None and found.any() and float(np.median(dist[found])) > ELSEWHERE_M
    suffix = "_crs" if elsewhere else ""
    median_km = float(np.median(dist[found & ~near])) / 1000 if (found & ~near).any() else 0.0
    lk = _exclude(lk, far, "leak_too_far_to_snap", report, key=f"leak_too_far_to_snap{suffix}",
                  params={"max_m": cfg.snap_max_distance_m, "median": median_km, "crs": crs},   # median in km
                  cols=(PIPE_ID, DATE, X, Y, SNAP_DISTANCE))
    snapped = lk[SNAP_DISTANCE].notna()
    report.summary["leaks_snapped"] = {"count": int(snapped.sum()),
                                       "distance_m": value_stats(lk.loc[snapped, SNAP_DISTANCE])}
    distance = lk.loc[snapped, SNAP_DISTANCE]
    report.add("leak_snapped", "info", snapped.sum(),
               params={"n": snapped.sum(), "target": phrase("snap_line" if method == "line" else "snap_midpoint"),
                       "median": distance.median(), "max": distance.max()},
               examples=example_rows(lk, snapped, [LEAK_ID, PIPE_ID, X, Y, SNAP_DISTANCE]), file=where, column=X)
    return lk, method


def resolve_as_of(as_of, lk, report) -> pd.Timestamp:
    """The forecast date: given, else the day after the last leak matched to a pipe, else today.

    A last leak dated by its year only ("2019": some day of 2019) puts the default on 1 January of the
    next year (never after tomorrow), so that the whole of that year is history.
    """
    if as_of is not None:
        try:
            ts = pd.Timestamp(as_of)
        except (ValueError, TypeError) as exc:
            raise InputError(f"as-of date {as_of!r} is not a date; give it as YYYY-MM-DD",
                             fr=f"la date de prévision {as_of!r} n’est pas une date ; donnez-la au format "
                                "AAAA-MM-JJ") from exc
        if pd.isna(ts):
            raise InputError(f"as-of date {as_of!r} is not a date; give it as YYYY-MM-DD",
                             fr=f"la date de prévision {as_of!r} n’est pas une date ; donnez-la au format AAAA-MM-JJ")
        return ts.tz_localize(None).normalize() if ts.tz is not None else ts.normalize()
    if len(lk):
        last = lk[DATE].max()
        ts = last.normalize() + pd.Timedelta(days=1)
        by_year = lk[_BY_YEAR] if _BY_YEAR in lk else pd.Series(False, index=lk.index)
        if (by_year & lk[DATE].dt.year.eq(last.year)).any():
            ts = min(pd.Timestamp(last.year + 1, 1, 1), pd.Timestamp.today().normalize() + pd.Timedelta(days=1))
            report.add("as_of_default", "info", 1, key="as_of_default_year_only",
                       params={"as_of": ts.date().isoformat(), "year": last.year})
            return ts
        report.add("as_of_default", "info", 1, params={"as_of": ts.date().isoformat()})
        return ts
    ts = pd.Timestamp.today().normalize()
    report.add("as_of_default", "info", 1, key="as_of_default_today", params={"as_of": ts.date().isoformat()})
    return ts


def exclude_by_date(lk, pipes, as_of, *, report) -> pd.DataFrame:
    """Leave out leaks on/after the as-of date, and leaks dated before their pipe's install year."""
    lk = _exclude(lk, (lk[DATE] >= as_of).to_numpy(), "leak_after_as_of", report,
                  params={"as_of": as_of.date().isoformat()}, severity="info")
    installed = lk[PIPE_ID].map(pipes.drop_duplicates(PIPE_ID).set_index(PIPE_ID)[INSTALL_YEAR]).astype(float)
    early = (lk[YEAR] < installed).to_numpy()
    return _exclude(lk.assign(install_year=installed), early, "leak_before_install", report,
                    cols=(PIPE_ID, DATE, INSTALL_YEAR)).drop(columns=[INSTALL_YEAR])


def drop_orphans(lk, pipes, *, report, code: str = "leak_pipe_not_scored", severity: str = "error") -> pd.DataFrame:
    """Leaks on pipes that were left out after matching (not scored) are counted under ``code`` and left out:
    ``leak_on_pipe_not_kept`` (info) for the pipes ``[validate] keep_pipes`` leaves out, as asked."""
    return _exclude(lk, ~isin(lk[PIPE_ID], pipes[PIPE_ID]), code, report, severity=severity)


#: What to do about each reason a leak is left out, for :func:`no_usable_leak_error`; the French goes
#: after "N lignes" (words that need no agreement with N).
_EXCLUSION_HINTS = {
    "after_as_of": {"en": "dated on or after the as-of date {as_of} (give a later --as-of)",
                    "fr": "d’une date égale ou postérieure à la date de prévision {as_of} (donnez une date --as-of "
                          "plus tardive)"},
    "unknown_pipe": {"en": "naming a pipe_id that is not in the register (is the leak file's pipe column the right "
                           "one? `leakopt check --suggest-config FILE` proposes a [leak_columns] mapping)",
                     "fr": "portant un pipe_id absent de l’inventaire (la colonne des conduites du fichier des fuites "
                           "est-elle la bonne ? `leakopt check --suggest-config FICHIER` propose une correspondance "
                           "[leak_columns])"},
    "before_install": {"en": "dated before their pipe's install year (check install_year, or the leak dates' day/month "
                             "order: date_format in [validate])",
                       "fr": "d’une date antérieure à l’année de pose de la conduite (vérifiez install_year, ou "
                             "l’ordre jour/mois des dates des fuites : date_format dans [validate])"},
    "date_unparseable": {"en": "with a date that cannot be read (set date_format in [validate])",
                         "fr": "dont la date ne peut pas être lue (réglez date_format dans [validate])"},
    "date_compact_invalid": {"en": "with 8 digits that are no valid YYYYMMDD date (correct them, or set date_format in "
                                   "[validate])",
                             "fr": "dont les 8 chiffres ne forment pas une date AAAAMMJJ valide (corrigez-les, ou "
                                   "réglez date_format dans [validate])"},
    "date_future": {"en": "dated after today (correct their dates)",
                    "fr": "d’une date postérieure à aujourd’hui (corrigez ces dates)"},
    "row_blank": {"en": "that are blank (no value at all)",
                  "fr": "sans aucune valeur"},
    "no_location": {"en": "with neither a pipe_id nor x, y",
                    "fr": "sans pipe_id ni x, y"},
    "too_far_to_snap": {"en": "given by x, y too far from every pipe (are they in the register's CRS? leaks_crs in "
                              "[validate] gives theirs)",
                        "fr": "dont les x, y sont trop loin de toute conduite (sont-ils dans le système de coordonnées "
                              "de l’inventaire ? leaks_crs dans [validate] donne le leur)"},
    "type_excluded": {"en": "of another type than leak_types in [validate]",
                      "fr": "d’un autre type que ceux de leak_types dans [validate]"},
    "type_missing": {"en": "with no type while leak_types is set in [validate]",
                     "fr": "sans type alors que leak_types est réglé dans [validate]"},
    "pipe_not_scored": {"en": "on pipes that are left out (see the pipe issues in validation.json)",
                        "fr": "portant sur des conduites écartées (voir les problèmes des conduites dans "
                              "validation.json)"},
    "on_pipe_not_kept": {"en": "on pipes that [validate] keep_pipes leaves out (is its list of values the right one?)",
                         "fr": "portant sur des conduites que [validate] keep_pipes écarte (sa liste de valeurs "
                               "est-elle la bonne ?)"},
}


def no_usable_leak_error(summary: dict, where: str) -> InputError:
    """The error for a leak history of which no row can be used: why each row was left out, and what to do.

    ``summary`` is the validation report's summary (``leaks_read``, ``leaks_excluded``, ``as_of``).
    """
    read = int(summary.get("leaks_read", 0))
    where_fr = "le fichier des fuites" if where == "the leak file" else where
    if not read:
        return InputError(f"{where} holds no leak: the risk model learns from past leaks and breaks. Give the "
                          "utility's leak and break history (one row per repaired leak, with date and pipe_id), "
                          "or score the pipes with a model trained elsewhere: 'leakopt run ... --model "
                          "OTHER_RUN/model.txt'.",
                          fr=f"{where_fr} ne contient aucune fuite : le modèle de risque apprend des fuites et casses "
                             "passées. Donnez l’historique des fuites et casses du service (une ligne par fuite "
                             "réparée, avec sa date et son pipe_id), ou évaluez les conduites avec un modèle appris "
                             "ailleurs : « leakopt run ... --model AUTRE_ANALYSE/model.txt ».")
    excluded = sorted(((k, v) for k, v in summary.get("leaks_excluded", {}).items() if v), key=lambda kv: -kv[1])
    as_of = summary.get("as_of")
    reasons = "; ".join(f"{n:,} " + (translate(_EXCLUSION_HINTS, code, "en", as_of=as_of)
                                     if code in _EXCLUSION_HINTS else code.replace("_", " ")) for code, n in excluded)
    reasons_fr = " ; ".join(f"{fmt_int(n, 'fr')} {'ligne' if n < 2 else 'lignes'} "
                            + (translate(_EXCLUSION_HINTS, code, "fr", as_of=as_of) if code in _EXCLUSION_HINTS
                               else f"({code})") for code, n in excluded)
    rows_fr = ("sa seule ligne de fuite ne peut pas servir" if read == 1 else
               f"aucune de ses {fmt_int(read, 'fr')} lignes de fuite ne peut servir")
    return InputError(f"{where}: none of its {read:,} leak rows can be used to learn from: {reasons}. "
                      "validation.json (written by run, and by check --out) lists examples of each.",
                      fr=f"{where_fr} : {rows_fr} à l’apprentissage : {reasons_fr}. validation.json (écrit par run, "
                         "et par check --out) en donne des exemples pour chaque cause.")


def yearly_counts(years, *, last_year: int | None = None) -> pd.Series:
    """Leaks per calendar year from the first leak's year to ``last_year`` (default: the last leak's), zeros
    included; years after ``last_year`` (an incomplete as-of year) are left out."""
    years = pd.Series(years, dtype="float").dropna().astype(int)
    if years.empty:
        return pd.Series(dtype=int)
    first = int(years.min())
    last = int(years.max()) if last_year is None else max(int(last_year), first)
    return years.value_counts().reindex(range(first, last + 1), fill_value=0)


def detect_first_record_year(years, *, last_year: int | None = None, fraction: float = 0.5) -> int | None:
    """First year of reliable leak recording: the first year whose count reaches ``fraction`` of the
    median count of the later years (None without leaks).

    The one rule for this figure: validation applies it to every leak up to the
    as-of date, a backtest to the leaks before its cutoff only (``last_year`` =
    the year before the cutoff), the features when no year is known.
    """
    counts = yearly_counts(years, last_year=last_year)
    if counts.empty:
        return None
    for year, n in counts.items():
        later = counts.loc[year + 1:]
        if later.empty or n >= fraction * later.median():
            return int(year)
    return int(counts.index[-1])


def first_record_year(lk, as_of, *, cfg, report) -> int | None:
    """First year of reliable recording: configured, or detected (:func:`detect_first_record_year`)."""
    if cfg.first_record_year is not None:
        first = int(cfg.first_record_year)
        report.add("first_record_year", "info", 1, params={"first": first})
    elif lk.empty:
        return None
    else:
        last = as_of.year - 1                       # the as-of year is incomplete
        first = detect_first_record_year(lk[YEAR], last_year=last, fraction=cfg.truncation_fraction)
        counts = yearly_counts(lk[YEAR], last_year=last)
        report.add("first_record_year", "info", 1, key="first_record_year_detected",
                   params={"first": first, "fraction": cfg.truncation_fraction},
                   examples=[{"year": int(y), "leaks": int(n)} for y, n in counts.items()][:30])
    early = int((lk[YEAR] < first).sum())
    report.add("leaks_before_first_record_year", "info", early, params={"n": early, "first": first})
    return first


def no_complete_year_params(leaks: pd.DataFrame, as_of, first: int, where: str) -> dict | None:
    """The facts of ``leak_history_no_complete_year``: the usable leaks before ``as_of`` cover no whole
    calendar year from ``first`` (the first year of reliable recording) to the year before ``as_of``,
    the years the risk model learns from.  None when they cover one (or there is no leak)."""
    as_of = pd.Timestamp(as_of)
    dates = pd.to_datetime(leaks[DATE]) if DATE in leaks else pd.Series(dtype="datetime64[ns]")
    dates = dates[dates < as_of]
    if dates.empty or first is None or int(first) <= as_of.year - 1:
        return None
    start, end = dates.min().date().isoformat(), dates.max().date().isoformat()
    span = phrase("leak_dated", start=start) if len(dates) == 1 else phrase("leaks_span", start=start, end=end)
    return {"where": where, "as_of": as_of.date().isoformat(), "n": len(dates), "span": span, "first": int(first),
            "last": as_of.year - 1, "earliest": f"{int(first) + 1}-01-01"}


def no_complete_year_error(leaks: pd.DataFrame, as_of, first: int, where: str) -> InputError | None:
    """The error of a risk model asked to learn from a leak history that covers no complete year (see
    :func:`no_complete_year_params`; None when it covers one)."""
    params = no_complete_year_params(leaks, as_of, first, where)
    return None if params is None else InputError(render("leak_history_no_complete_year", "en", params),
                                                  fr=render("leak_history_no_complete_year", "fr", params))


def check_history_years(lk, as_of, first, *, report, where: str) -> None:
    """Flag a leak history that covers no complete year before ``as_of`` (a warning: a run that trains a
    model stops on it, one that scores with a model given does not)."""
    params = no_complete_year_params(lk, as_of, first, where)
    if params is not None:
        report.add("leak_history_no_complete_year", "warning", 1, params=params, file=where, column=DATE)


#: A silence at the end of the record this unlikely (expected leaks at the recent rate) is flagged.
SILENT_END_EXPECTED = 5.0


def check_records_end(lk, as_of, *, report, where: str, years: int = 5) -> None:
    """Flag an as-of date long after the last leak (``as_of_after_records``, a warning).

    The time from the end of the last leak's year to the as-of date counts as time without leaks:
    if the recent rate makes that silence improbable (at least :data:`SILENT_END_EXPECTED`
    leaks expected in it), the record has more likely stopped, and every forecast would be low.
    """
    if lk.empty:
        return
    last = lk[DATE].max()
    start = max(last - pd.DateOffset(years=years), lk[DATE].min())
    span = (last - start).days / 365.25
    # counted from the end of the last leak's year: a date given as a year only stands for 1 January
    gap = (as_of - pd.Timestamp(last.year + 1, 1, 1)).days / 365.25
    if span < 1 or gap <= 0:
        return
    rate = int((lk[DATE] >= start).sum()) / span
    if rate * gap < SILENT_END_EXPECTED:
        return
    report.add("as_of_after_records", "warning", 1,
               params={"last": last.date().isoformat(), "gap": gap, "as_of": as_of.date().isoformat(), "rate": rate},
               examples=[{"last_leak": last.date().isoformat(), "as_of": as_of.date().isoformat(),
                          "leaks_per_year_before": round(rate, 1), "expected_in_gap": round(rate * gap, 1)}],
               file=where, column=DATE)


def finish_leaks(lk) -> pd.DataFrame:
    """Contract columns first and typed, then ``date_precision`` ("year" for a date that gave only the
    year, else "day"), ``type`` and pass-through columns (a file's own ``date_precision`` kept as
    ``input_date_precision``)."""
    if _BY_YEAR in lk.columns:
        if DATE_PRECISION in lk.columns:
            lk = lk.rename(columns={DATE_PRECISION: f"input_{DATE_PRECISION}"})
        lk = lk.assign(**{DATE_PRECISION: np.where(lk[_BY_YEAR].to_numpy(dtype=bool), "year", "day")})
    front = [LEAK_ID, PIPE_ID, DATE, YEAR, SNAP_DISTANCE] + [c for c in (DATE_PRECISION, "type") if c in lk.columns]
    rest = [c for c in lk.columns if c not in front and c != ROW and not str(c).startswith("_")]
    out = lk[front + rest].reset_index(drop=True)
    out[LEAK_ID] = out[LEAK_ID].astype("str")
    out[PIPE_ID] = out[PIPE_ID].astype("str")
    out[DATE] = out[DATE].astype("datetime64[ns]")
    out[YEAR] = out[YEAR].astype("int64")
    out[SNAP_DISTANCE] = out[SNAP_DISTANCE].astype(float)
    return out

"""Checking the inputs, repairing what can be repaired, and reporting everything.

:func:`validate` turns the frames read by :mod:`leakopt.io.tables` into a
:class:`leakopt.schema.Utility`.  Nothing is dropped silently: every row left
out, every value imputed or taken from elsewhere is counted in the
:class:`ValidationReport` (written as ``validation.json``), with examples.
Problems that leave nothing to work with raise :class:`InputError` with one
paragraph naming the file, the column or rows, and what to do.

Severities: ``error`` (rows left out), ``warning`` (values repaired,
imputed or taken from another source), ``info`` (facts worth knowing).  With
``strict = true`` any error or warning raises instead.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from leakopt.config import Config
from leakopt.errors import InputError
from leakopt.io import parse_wkt, read_leaks, read_network, read_numbers, read_pipes
from leakopt.schema import (
    DATE,
    DIAMETER_IMPUTED,
    GEOMETRY,
    INSTALL_YEAR_IMPUTED,
    LENGTH,
    MATERIAL,
    PIPE_ID,
    Network,
    Progress,
    Utility,
    X,
    Y,
    silent,
)
from leakopt.validate import leaks as vl
from leakopt.validate import pipes as vp
from leakopt.validate.config import ValidateConfig
from leakopt.validate.report import LENGTH_IMPUTED, ROW, ValidationReport, example_rows, source_name

log = logging.getLogger(__name__)


# --- the entry point --------------------------------------------------------------------------

def _numeric_coordinates(frame: pd.DataFrame, report: ValidationReport, where, what: str) -> pd.DataFrame:
    """``frame`` with its x, y read as numbers the way utilities write them (a decimal comma, "849326,27",
    from a French spreadsheet or GIS export; thousands separators); a value that is no number is counted
    (``{what}_coordinates_unreadable``) and read as no coordinate."""
    cols = [c for c in (X, Y) if c in frame.columns]
    if not cols:
        return frame
    readings = {c: read_numbers(frame[c]) for c in cols}
    unreadable = np.zeros(len(frame), dtype=bool)
    for r in readings.values():
        unreadable |= (r.bad | r.ambiguous).to_numpy()
    if unreadable.any():
        shown = frame.assign(**{ROW: np.arange(1, len(frame) + 1)})
        first = next(frame.loc[unreadable, c].iloc[0] for c in cols
                     if (readings[c].bad | readings[c].ambiguous).to_numpy()[unreadable].any())
        report.add("coordinates_unreadable", "warning", int(unreadable.sum()), key=f"{what}_coordinates_unreadable",
                   params={"n": int(unreadable.sum()), "example": str(first)},
                   examples=example_rows(shown, unreadable, [PIPE_ID, *cols]), file=where, column="x, y")
    return frame.assign(**{c: r.values for c, r in readings.items()})


def validate(pipes: pd.DataFrame, leaks: pd.DataFrame, *, network: Network | None = None,
             crs: str | None = None, as_of=None, config: ValidateConfig | None = None,
             sources: dict | None = None,
             progress: Progress | None = None) -> Utility:
    """Check, repair and report the inputs; return the validated :class:`Utility`.

    Parameters
    ----------
    pipes, leaks : DataFrame
        As read by :func:`leakopt.io.read_pipes` / :func:`leakopt.io.read_leaks`
        (contract column names).  Not modified.
    network : Network, optional
    crs : str, optional
        CRS of pipe geometries and leak x, y.
    as_of : date-like, optional
        Forecast date.  Default: the day after the last usable leak.
    config : ValidateConfig, optional
    sources : dict, optional
        File paths by role, used in messages and the report.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`), once per check.

    Returns
    -------
    Utility
        ``pipes`` and ``leaks`` as documented in :mod:`leakopt.schema` (pipes
        also carry ``length_imputed``), ``validation`` the report.

    Raises
    ------
    InputError
        No usable pipe, a required column missing, every leak date unreadable,
        duplicate pipe IDs with ``on_duplicate_ids="error"``, or any problem
        when ``strict``.  The exception's ``report`` attribute holds the report.
    """

    cfg = config or ValidateConfig()
    sources = {k: str(v) for k, v in (sources or {}).items() if v}
    report = ValidationReport(sources=sources, max_examples=cfg.max_examples)
    step = progress or silent
    step("checking the pipes", 0, 3)
    if GEOMETRY in pipes and any(isinstance(v, str) for v in pipes[GEOMETRY].to_numpy(dtype=object)):
        # WKT text, as pd.read_csv leaves it
        pipes = pipes.assign(**{GEOMETRY: parse_wkt(pipes[GEOMETRY])})
    pipes = _numeric_coordinates(pipes, report, source_name(sources, "pipes"), "pipe")
    leaks = _numeric_coordinates(leaks, report, source_name(sources, "leaks"), "leak")
    vp.layer_read(pipes, report=report, where=source_name(sources, "pipes"))
    vp.layer_read(leaks, report=report, where=source_name(sources, "leaks"), table="leaks")
    crs = vp.assumed_crs(pipes, crs, report=report, where=source_name(sources, "pipes"))
    p = vp.prepare_pipes(pipes, network=network, crs=crs, cfg=cfg, report=report)
    step("checking the leaks", 1, 3)
    lk = vl.prepare_leaks(leaks, p, crs=crs, cfg=cfg, report=report)
    as_of = vl.resolve_as_of(as_of, lk, report)
    lk = vl.exclude_by_date(lk, p, as_of, report=report)
    p = vp.keep_listed_pipes(p, cfg, report=report, where=source_name(sources, "pipes"))
    if cfg.keep_pipes:
        lk = vl.drop_orphans(lk, p, report=report, code="leak_on_pipe_not_kept", severity="info")
    p = vp.drop_after_as_of(p, as_of, report=report, where=source_name(sources, "pipes"))
    step("imputing missing values", 2, 3)
    p = vp.impute_missing(p, lk, as_of=as_of, cfg=cfg, report=report, where=source_name(sources, "pipes"), crs=crs)
    lk = vl.drop_orphans(lk, p, report=report)
    first = vl.first_record_year(lk, as_of, cfg=cfg, report=report)
    vl.check_history_years(lk, as_of, first, report=report, where=source_name(sources, "leaks"))
    vl.check_records_end(lk, as_of, report=report, where=source_name(sources, "leaks"))
    pipes_out, leaks_out = vp.finish_pipes(p), vl.finish_leaks(lk)
    _summarise(report, pipes, leaks, pipes_out, leaks_out, as_of, first)
    # detected from every leak up to as_of: a backtest must detect it again before its cutoff
    report.summary["first_record_year_detected"] = cfg.first_record_year is None and first is not None
    if cfg.strict and report.problems:
        _raise_strict(report)
    step("inputs validated", 3, 3)
    return Utility(pipes=pipes_out, leaks=leaks_out, as_of=as_of, network=network, crs=crs,
                   validation=report, sources=sources, first_record_year=first)


#: Years of history behind the "recorded leaks a year" figure.
RECENT_YEARS = 5


def recorded_leak_rate(leaks: pd.DataFrame, as_of, first_record_year: int | None = None, *,
                       years: int = RECENT_YEARS) -> dict:
    """Recorded leaks a year over the ``years`` before ``as_of`` (from the first reliable year if later).

    The one place this figure is computed: it is written to ``validation.json``
    (``summary.recorded_leaks``), and the terminal summary, the report and the
    app all read it from there.

    Parameters
    ----------
    leaks : DataFrame
        Validated leaks (usable, on kept pipes, snapped ones included), with ``date``.
    as_of : date-like
        Forecast date; leaks on or after it are not counted.
    first_record_year : int, optional
        First year of reliable recording.
    years : int
        Length of the window.

    Returns
    -------
    dict
        ``leaks_per_year`` (None when the window is empty, or when there is no leak record at all:
        no record is not a rate of 0), ``leaks`` (count),
        ``start`` and ``end`` (ISO dates, end excluded), ``years`` (window length).
    """
    end = pd.Timestamp(as_of)
    start = end - pd.DateOffset(years=int(years))
    if first_record_year:
        start = max(start, pd.Timestamp(int(first_record_year), 1, 1))
    span = (end - start).days / 365.25
    dates = pd.to_datetime(leaks[DATE]) if DATE in leaks else pd.Series(dtype="datetime64[ns]")
    count = int(((dates >= start) & (dates < end)).sum())
    return {"leaks_per_year": count / span if span > 0 and len(dates) else None, "leaks": count,
            "start": start.date().isoformat(), "end": end.date().isoformat(), "years": round(span, 2)}


def _summarise(report, pipes_in, leaks_in, pipes, leaks, as_of, first) -> None:
    excluded = report.summary.get("leaks_excluded", {})
    snapped = leaks["snap_distance_m"].dropna()
    report.summary.update({
        "as_of": as_of.date().isoformat(),
        "first_record_year": first,
        "pipes_read": len(pipes_in),
        "pipes_kept": len(pipes),
        "pipes_length_km": round(float(pipes[LENGTH].sum()) / 1000.0, 3),
        "diameter_imputed": int(pipes[DIAMETER_IMPUTED].sum()),
        "install_year_imputed": int(pipes[INSTALL_YEAR_IMPUTED].sum()),
        "length_imputed": int(pipes[LENGTH_IMPUTED].sum()),
        "materials": pipes[MATERIAL].value_counts().to_dict(),
        "leaks_read": len(leaks_in),
        "leaks_used": len(leaks),
        "leaks_excluded": excluded,
        "recorded_leaks": recorded_leak_rate(leaks, as_of, first),
    })
    report.summary.setdefault("leaks_snapped", {"count": 0, "distance_m": None})
    report.summary["leaks_snapped"]["used"] = len(snapped)


def _raise_strict(report: ValidationReport) -> None:
    parts = [f"{i.code} ({i.count}): {i.message}" for i in report.problems]
    parts_fr = [f"{i.code} ({i.count}) : {i.message_fr}" if i.message_fr else f"{i.code} ({i.count})"
                for i in report.problems]
    problems_fr = "1 problème" if len(parts) == 1 else f"{len(parts)} problèmes"
    exc = InputError(f"strict validation refused the input ({len(parts)} problem(s)): " + " | ".join(parts)
                     + " Fix the data, or set strict = false in [validate] to repair and report instead.",
                     fr=f"la validation stricte a refusé les données ({problems_fr}) : " + " | ".join(parts_fr)
                        + " Corrigez les données, ou réglez strict = false dans [validate] pour qu’elles soient "
                          "réparées et les problèmes signalés à la place.")
    exc.report = report
    raise exc


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
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): files read, then checks done.

    Raises
    ------
    InputError
        On a fatal problem (see :func:`leakopt.validate.validate`).
    """
    config = config or Config()
    step = progress or silent
    step("reading the pipes", 0, 3)
    pipe_frame, crs = read_pipes(pipes, columns=config.columns, layer=layer)
    step("reading the leaks", 1, 3)
    known = pipe_frame[PIPE_ID].astype("str") if PIPE_ID in pipe_frame else None
    leak_frame = read_leaks(leaks, columns=config.leak_columns, known_ids=known) if leaks is not None else pd.DataFrame(
        {DATE: pd.Series(dtype="str"), PIPE_ID: pd.Series(dtype="str")})
    step("reading the network", 2, 3)
    net = read_network(network) if network is not None else None
    sources = {"pipes": str(pipes), "leaks": str(leaks) if leaks is not None else None,
               "network": str(network) if network is not None else None, "config": config.path}
    step("files read", 3, 3)
    return validate(pipe_frame, leak_frame, network=net, crs=crs, as_of=as_of, config=config.stage("validate"),
                    sources={k: v for k, v in sources.items() if v}, progress=progress)

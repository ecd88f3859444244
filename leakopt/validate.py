"""Checking the inputs, repairing what can be repaired, and reporting everything.

:func:`validate` turns the frames read by :mod:`leakopt.io` into a
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
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.progress import Progress, silent
from leakopt.schema import DIAMETER_IMPUTED, GEOMETRY, INSTALL_YEAR_IMPUTED, LENGTH, MATERIAL, Network, Utility

log = logging.getLogger(__name__)

ROW = "_row"                 # 1-based data row of the input file, for examples
LENGTH_IMPUTED = "length_imputed"
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class ValidateConfig:
    """Settings of validation (the ``[validate]`` table of a config file).

    Attributes
    ----------
    snap_max_distance_m : float
        Leaks given by x, y farther than this from every pipe are reported, not snapped.
    strict : bool
        Raise :class:`InputError` on any error or warning instead of reporting it.
    on_duplicate_ids : str
        ``"error"`` (stop), ``"keep_first"`` or ``"keep_last"`` (the other rows are counted).
    first_record_year : int or None
        First year of reliable leak recording; None detects it.
    truncation_fraction : float
        Detection: the first year whose leak count reaches this fraction of the
        median count of the later years.
    impute : bool
        Impute missing diameters and install years (else such pipes are left out, and counted).
    neighbour_k, neighbour_radius_m, neighbour_hops : int, float, int
        Imputation neighbourhoods (see :mod:`leakopt.impute`).
    min_install_year : int
        Install years before this are taken as placeholders for "unknown".
    date_format : str or None
        strftime format of non-ISO leak dates (e.g. ``"%d/%m/%Y"``); None guesses.
    dayfirst : bool
        When guessing, read 03/04/2010 as 3 April (True) or March 4 (False).
    max_examples : int
        Rows shown per problem in the report.
    """

    snap_max_distance_m: float = 50.0
    strict: bool = False
    on_duplicate_ids: str = "error"
    first_record_year: int | None = None
    truncation_fraction: float = 0.5
    impute: bool = True
    neighbour_k: int = 8
    neighbour_radius_m: float = 500.0
    neighbour_hops: int = 3
    min_install_year: int = 1800
    date_format: str | None = None
    dayfirst: bool = True
    max_examples: int = 10

    def __post_init__(self):
        if self.on_duplicate_ids not in ("error", "keep_first", "keep_last"):
            raise ValueError(f"on_duplicate_ids must be 'error', 'keep_first' or 'keep_last', "
                             f"got {self.on_duplicate_ids!r}")
        if not self.snap_max_distance_m >= 0:
            raise ValueError(f"snap_max_distance_m must be >= 0, got {self.snap_max_distance_m!r}")
        if not 0 < self.truncation_fraction <= 1:
            raise ValueError(f"truncation_fraction must be in (0, 1], got {self.truncation_fraction!r}")


@dataclass(frozen=True)
class Issue:
    """One kind of data problem: how many rows, what was done, examples."""

    code: str
    severity: str
    count: int
    message: str
    examples: tuple = ()
    file: str | None = None
    column: str | None = None
    fatal: bool = False


@dataclass
class ValidationReport:
    """Every data problem found, with counts and examples, and a summary of what was kept."""

    sources: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    max_examples: int = 10

    def add(self, code: str, severity: str, count: int, message: str, *, examples=None,
            file: str | None = None, column: str | None = None, fatal: bool = False) -> Issue | None:
        """Record an issue (nothing when ``count`` is 0); ``examples`` may be a DataFrame."""
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
        if not count:
            return None
        if isinstance(examples, pd.DataFrame):
            examples = examples.head(self.max_examples).drop(columns=[GEOMETRY], errors="ignore")
            examples = examples.rename(columns={ROW: "row"}).to_dict(orient="records")
        issue = Issue(code, severity, int(count), message, tuple(examples or ())[: self.max_examples],
                      file, column, fatal)
        self.issues.append(issue)
        getattr(log, "warning" if severity != "info" else "info")("%s: %s", code, message)
        return issue

    def fail(self, code: str, message: str, *, file=None, column=None, count: int = 1, examples=None):
        """Record a fatal issue and raise :class:`InputError` with its message."""
        self.add(code, "error", count, message, examples=examples, file=file, column=column, fatal=True)
        exc = InputError(message)
        exc.report = self
        raise exc

    def get(self, code: str) -> Issue | None:
        """The issue with this code, or None."""
        return next((i for i in self.issues if i.code == code), None)

    @property
    def fatal(self) -> list:
        return [i for i in self.issues if i.fatal]

    @property
    def problems(self) -> list:
        """Errors and warnings (what ``strict`` refuses)."""
        return [i for i in self.issues if i.severity in ("error", "warning")]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for ``validation.json``."""
        from leakopt.io import to_jsonable
        counts = {s: sum(1 for i in self.issues if i.severity == s) for s in SEVERITIES}
        return to_jsonable({"sources": self.sources, "summary": self.summary, "issue_counts": counts,
                            "issues": [asdict(i) for i in self.issues],
                            "fatal": [asdict(i) for i in self.fatal]})

    def text(self) -> str:
        """One line per issue, most severe first."""
        order = {s: n for n, s in enumerate(SEVERITIES)}
        return "\n".join(f"[{i.severity}] {i.code} ({i.count}): {i.message}"
                         for i in sorted(self.issues, key=lambda i: order[i.severity]))


# --- parsing helpers --------------------------------------------------------------------------

_YEAR_RE = re.compile(r"(?<!\d)(1[6-9]\d\d|2[01]\d\d)(?!\d)")
_NUMBER_RE = re.compile(r"^\s*(?:dn|ø|phi)?\s*([-+]?\d+(?:[.,]\d*)?|[-+]?[.,]\d+)\s*(?:mm|m|in|\")?\s*$",
                        re.IGNORECASE)


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


def _rows(frame: pd.DataFrame, mask, cols) -> pd.DataFrame:
    cols = [ROW] + [c for c in cols if c in frame.columns and c != ROW]
    return frame.loc[np.asarray(mask, dtype=bool), cols]


def _where(sources: dict, role: str) -> str:
    return sources.get(role) or f"the {role} table"


# --- the entry point --------------------------------------------------------------------------

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
        ``progress(step, done, total)`` (:mod:`leakopt.progress`), once per check.

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
    from leakopt import validate_leaks as vl
    from leakopt import validate_pipes as vp
    cfg = config or ValidateConfig()
    sources = {k: str(v) for k, v in (sources or {}).items() if v}
    report = ValidationReport(sources=sources, max_examples=cfg.max_examples)
    step = progress or silent
    step("checking the pipes", 0, 3)
    p = vp.prepare_pipes(pipes, network=network, crs=crs, cfg=cfg, report=report)
    step("checking the leaks", 1, 3)
    lk = vl.prepare_leaks(leaks, p, crs=crs, cfg=cfg, report=report)
    as_of = vl.resolve_as_of(as_of, lk, report)
    lk = vl.exclude_by_date(lk, p, as_of, report=report)
    p = vp.drop_after_as_of(p, as_of, report=report, where=_where(sources, "pipes"))
    step("imputing missing values", 2, 3)
    p = vp.impute_missing(p, lk, as_of=as_of, cfg=cfg, report=report, where=_where(sources, "pipes"), crs=crs)
    lk = vl.drop_orphans(lk, p, report=report)
    first = vl.first_record_year(lk, as_of, cfg=cfg, report=report)
    pipes_out, leaks_out = vp.finish_pipes(p), vl.finish_leaks(lk)
    _summarise(report, pipes, leaks, pipes_out, leaks_out, as_of, first)
    if cfg.strict and report.problems:
        _raise_strict(report)
    step("inputs validated", 3, 3)
    return Utility(pipes=pipes_out, leaks=leaks_out, as_of=as_of, network=network, crs=crs,
                   validation=report, sources=sources, first_record_year=first)


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
    })
    report.summary.setdefault("leaks_snapped", {"count": 0, "distance_m": None})
    report.summary["leaks_snapped"]["used"] = len(snapped)


def _stats(values: pd.Series) -> dict | None:
    if values.empty:
        return None
    q = [float(v) for v in values.quantile([0.0, 0.5, 0.9, 1.0]).round(2)]
    return {"min": q[0], "median": q[1], "p90": q[2], "max": q[3], "mean": round(float(values.mean()), 2)}


def _raise_strict(report: ValidationReport) -> None:
    parts = [f"{i.code} ({i.count}): {i.message}" for i in report.problems]
    exc = InputError(f"strict validation refused the input ({len(parts)} problem(s)): " + " | ".join(parts)
                     + " Fix the data, or set strict = false in [validate] to repair and report instead.")
    exc.report = report
    raise exc


__all__ = ["ValidateConfig", "ValidationReport", "Issue", "validate", "to_year", "to_number", "LENGTH_IMPUTED"]

"""Dates as utilities write them, read one way for every stage: the leak history's dates and the install
dates of the register (:mod:`leakopt.validate`), and the column guesses that look for a file's date column
(:func:`leakopt.io.columns.guess_columns`), so that a column the loader reads as dates is guessed as one.

ISO first; then 8 digits (year, month, day), 5 digits (a spreadsheet's day number), a year alone, and
other forms in the order their own numbers show (a number above 12 is the day), French month names
included; a time zone is dropped, keeping the wall time as written.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

_YEAR_FIRST_RE = r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_ISO_RE = r"^\s*\d{4}-\d{1,2}-\d{1,2}"
_WHOLE_RE = r"^(\d+)\.0+$"          # "2015.0": a spreadsheet's whole number, the year 2015 (as "2015")
_COMPACT_RE = r"\d{8}"               # "20051101": year, month, day without separators
_YEAR_ONLY_RE = r"\d{4}"             # "2015": some day of that year, placed on 1 January
#: 5 digits ("43466"): a spreadsheet's day number (days since 1899-12-30): 1 January 2019.
SERIAL_RE = r"\d{5}"

_DAY_MONTH_RE = r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}(?!\d)"
# a time's zone ("15:15:00+00", "22:30-05:00", "10:00Z"): dropped, the wall time kept as written
_ZONE_RE = r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"

#: French month names and abbreviations (with or without accents and a final dot), and the English
#: name pandas reads; weekday names and "1er" are dropped ("lundi 1er mars 2021" is 1 March 2021).
_FRENCH_MONTHS = {
    "janvier": "January", "janv": "January", "février": "February", "fevrier": "February", "févr": "February",
    "fevr": "February", "fév": "February", "fev": "February", "mars": "March", "avril": "April",
    "avr": "April", "mai": "May", "juin": "June", "juillet": "July", "juil": "July", "août": "August",
    "aout": "August", "septembre": "September", "sept": "September", "octobre": "October",
    "novembre": "November", "décembre": "December", "decembre": "December", "déc": "December",
}
_FRENCH_MONTH_RE = re.compile(r"(?<![^\W\d_])(" + "|".join(sorted(_FRENCH_MONTHS, key=len, reverse=True))
                              + r")\.?(?![^\W\d_])", re.IGNORECASE)
_FRENCH_NOISE_RE = re.compile(r"(?<![^\W\d_])(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|le)"
                              r"(?![^\W\d_])\.?,?|(?<=\d)er\b", re.IGNORECASE)


def _english_months(text: pd.Series) -> pd.Series:
    """Dates written with French month names ("15 janvier 2015", "1er mars 2021", "3 févr. 2019") in the
    English that pandas reads; other text unchanged."""
    named = text.str.contains(r"[^\W\d_]", regex=True).fillna(False).astype(bool)
    if not named.any():
        return text
    out = text.copy()
    out[named] = (text[named].str.replace(_FRENCH_NOISE_RE, " ", regex=True)
                  .str.replace(_FRENCH_MONTH_RE, lambda m: _FRENCH_MONTHS[m.group(1).lower()], regex=True)
                  .str.replace(r"\s+", " ", regex=True).str.strip())
    return out


def order_evidence(text: pd.Series) -> tuple[int, int, int]:
    """Of dates such as 03/07/2015: how many show day-first (a first number above 12, "24/07/2015"),
    how many month-first (a second above 12, "07/24/2015"), and how many show neither (both 12 or below)."""
    parts = text.str.extract(_DAY_MONTH_RE).apply(pd.to_numeric, errors="coerce")
    day, month = parts[0] > 12, parts[1] > 12
    return int(day.sum()), int(month.sum()), int((parts[0].notna() & ~day & ~month).sum())


def day_first(text: pd.Series) -> bool | None:
    """Whether dates such as 03/07/2015 put the day first: True, False, or None when nothing says.

    A first number above 12 ("24/07/2015") shows day-first, a second above 12 ("07/24/2015")
    month-first; a column that shows both, or neither, says nothing (:func:`order_evidence` tells which).
    """
    day, month, _ = order_evidence(text)
    return bool(day) if bool(day) != bool(month) else None


def date_text(values: pd.Series) -> pd.Series:
    """Leak dates as the text they are read from: stripped, NaN where blank, a spreadsheet's whole
    number without its decimals (2015.0 and "2015.0" are "2015", a year-only date)."""
    values = pd.Series(values)
    text = _numbers_as_text(values) if pd.api.types.is_numeric_dtype(values) else values.astype("str")
    text = text.str.strip().mask(values.isna())
    return text.str.replace(_WHOLE_RE, r"\1", regex=True).mask(text.eq(""))


def year_only(values: pd.Series) -> pd.Series:
    """Which leak dates give only a year ("2015", 2015.0): read as 1 January, standing for some day of it."""
    return date_text(values).str.fullmatch(_YEAR_ONLY_RE).fillna(False).astype(bool)


def compact(values: pd.Series) -> pd.Series:
    """Which leak dates are 8 digits ("20051101"): read as YYYYMMDD when valid as such."""
    return date_text(values).str.fullmatch(_COMPACT_RE).fillna(False).astype(bool)


def parse_dates(values: pd.Series, *, date_format: str | None = None, dayfirst: bool | None = None):
    """Dates as the loader reads them (leak dates, install dates): ISO first, then ``date_format`` or a guess.

    A time zone is dropped, keeping the local time as written (a break at 22:30-05:00 on
    31 December stays on 31 December).  Without ``date_format``, ``dayfirst`` (None:
    :func:`day_first` of the values, else day-first) decides the order of 03/07/2015 where
    the date's own numbers do not (a number above 12 is the day); 8 digits are year, month, day
    ("20051101": NaT when not valid as such), a year alone ("2015", "2015.0") is 1 January, and 5 digits
    a spreadsheet's day number ("43466", days since 30 December 1899: 1 January 2019).

    Returns
    -------
    dates : Series of datetime64[ns] (NaT where unreadable or blank)
    non_iso : Series of bool, rows read with ``date_format`` or a guess
    """
    values = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values.dt.tz_localize(None) if values.dt.tz is not None else values
        return _in_ns(dates), pd.Series(False, index=values.index)
    text = date_text(values)
    iso = text.str.match(_ISO_RE).fillna(False).astype(bool)
    dates = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    wall = text.str.replace(_ZONE_RE, r"\1", regex=True)
    if iso.any():
        dates[iso] = _in_ns(pd.to_datetime(wall[iso], format="ISO8601", errors="coerce"))
    eight = text.str.fullmatch(_COMPACT_RE).fillna(False).astype(bool) & (date_format is None)
    if eight.any():   # never day-first: "20051101" is 1 November 2005, not 11 January
        dates[eight] = _in_ns(pd.to_datetime(text[eight], format="%Y%m%d", errors="coerce"))
    serial = text.str.fullmatch(SERIAL_RE).fillna(False).astype(bool) & (date_format is None)
    if serial.any():   # a date cell exported as its number: no day/month order to guess
        days = pd.to_numeric(text[serial]).astype("int64")
        dates[serial] = (pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]")
    rest = ~iso & ~eight & ~serial & text.notna()
    if rest.any():
        if date_format:   # utc=True: a "%z" in the format reads mixed offsets
            parsed = pd.to_datetime(text[rest], format=date_format, errors="coerce", utc=True).dt.tz_localize(None)
        else:   # a year first ("2017/12/01") is year-month-day whatever dayfirst says of "01/12/2017"
            wall = _english_months(wall.where(rest))
            year_first = rest & wall.str.match(_YEAR_FIRST_RE).fillna(False).astype(bool)
            order = day_first(wall[rest & ~year_first]) if dayfirst is None else dayfirst
            parsed = pd.concat([
                pd.to_datetime(wall[year_first], format="mixed", dayfirst=False, errors="coerce"),
                pd.to_datetime(wall[rest & ~year_first], format="mixed", dayfirst=order is not False,
                               errors="coerce")]).reindex(text[rest].index)
        dates[rest] = _in_ns(parsed)
    return dates, (rest | eight | serial) & dates.notna()


def _in_ns(dates: pd.Series) -> pd.Series:
    """``dates`` as datetime64[ns], NaT where that cannot hold them ("1,5" read as 1 May of year 1).

    pandas parses such text at a coarser resolution, and casting it to nanoseconds raised
    OutOfBoundsDatetime; no leak is dated before 1678 or after 2261.
    """
    dates = pd.Series(dates)
    if str(dates.dtype) == "datetime64[ns]":
        return dates
    if pd.api.types.is_datetime64_any_dtype(dates):
        years = dates.dt.year
        return dates.where((years > 1677) & (years < 2262)).astype("datetime64[ns]")
    return pd.to_datetime(dates, errors="coerce").astype("datetime64[ns]")


def _numbers_as_text(values: pd.Series) -> pd.Series:
    """A numeric date column as text, whole numbers without a decimal point.

    A break record that gives only years, with one blank date, is read from CSV as floats
    (2014.0, NaN): "2014.0" is no date, "2014" is 1 January 2014 (a year-only date).
    """
    num = pd.to_numeric(values, errors="coerce").astype(float)
    whole = np.isfinite(num) & (num == np.round(num))
    text = num.astype("str")
    text[whole] = num[whole].astype("int64").astype("str")
    return text


def date_share(values: pd.Series) -> float:
    """The share of the non-blank ``values`` that :func:`parse_dates` reads as dates (each value in its own form:
    a column that mixes ISO dates with "2/24/2006 8:15:00 AM", zoned times with plain ones, is dates)."""
    given = values[values.notna() & values.astype("str").str.strip().ne("")]
    return float(parse_dates(given)[0].notna().mean()) if len(given) else 0.0

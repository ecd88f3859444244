"""Reading values as utilities write them: IDs, years and numbers from text, and fast membership.

Each converter returns the values it read and, where it matters, which non-blank ones it could
not read, for :mod:`leakopt.validate` to count and report.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd


def id_strings(values: pd.Series) -> pd.Series:
    """IDs as strings: floats that are whole numbers lose their '.0', blanks become NA."""
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0)
        out = values.astype(object)
        out[whole] = values[whole].astype("int64").astype(str)
        values = out
    text = values.astype("str").str.strip()
    return text.mask(values.isna() | text.eq(""))


_WHOLE_NUMBER_RE = re.compile(r"^\d+(?:\.0*)?$")


def id_key(ids: pd.Series) -> pd.Series:
    """IDs as two exports of one system may spell them differently, reduced to one key.

    Case and surrounding spaces are ignored, and a number keeps its value only: "00012", "12.0"
    and " 12 " all give "12".  Used to match a leak's pipe_id to the register when the exact
    spelling is not found (a spreadsheet that dropped leading zeros or wrote IDs as decimals).
    """
    text = ids.astype("str").str.strip().str.casefold()
    number = text.str.match(_WHOLE_NUMBER_RE).fillna(False).astype(bool)
    text[number] = text[number].str.replace(r"\.0*$", "", regex=True).str.lstrip("0").replace("", "0")
    return text.mask(ids.isna())


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

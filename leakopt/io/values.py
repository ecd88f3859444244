"""Reading values as utilities write them: IDs, years and numbers from text, and fast membership.

Each converter returns the values it read and, where it matters, which non-blank ones it could
not read, for :mod:`leakopt.validate` to count and report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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


def has_days(values: pd.Series) -> bool:
    """Whether some install values give the day, not only the year: a date field, or dates written out
    ("1962-05-14", "05/14/1962", "14.05.1962")."""
    values = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    if pd.api.types.is_numeric_dtype(values):
        return False
    return bool(values.astype("str").str.contains(_DAY_RE, regex=True).any())


def to_year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Years from years, dates or date strings ("1965", 1965.0, "1965,0", "1 965", "1965-04-12", "12/04/1965").

    A year written approximately is read too (:func:`approximate_years` says which): a range
    ("1950-1960", "1950 to 1960") as its middle year, a decade ("1960s", "années 1960") as its middle,
    and a year with a qualifier ("c. 1950", "ca 1965", "1965?", "<1950", "pre-1950") as that year.

    Returns
    -------
    years : Series of float (NaN where blank or unreadable)
    bad : Series of bool, True where a non-blank value could not be read
    """
    values = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.year.astype(float), pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        reading = read_numbers(values)                         # infinite years unreadable, as other numbers
        years = reading.values
        ymd = (years > 18000000) & (years < 22000000)          # 19650412
        return years.mask(ymd, years // 10000), reading.bad
    text = values.astype("str").str.strip()
    blank = _blank(values)
    years = read_numbers(text.str.replace(_YEAR_GROUPED_RE, r"\1\2", regex=True)).values   # "1965", "1965,0"
    need = years.isna() & ~blank
    if need.any():
        found = text[need].str.extract(_YEAR_RE, expand=False)
        years[need] = pd.to_numeric(found, errors="coerce")
        middle = _range_middles(text[need])
        years[middle.index] = middle
        decade = text[need].str.contains(_DECADE_RE)
        years[decade[decade].index] += 5
        still = need & years.isna()
        if still.any():
            dates = pd.to_datetime(text[still], format="mixed", dayfirst=True, errors="coerce")
            years[still] = dates.dt.year
    years = years.mask(blank)
    return years.astype(float), years.isna() & ~blank


def approximate_years(values: pd.Series) -> pd.Series:
    """Which values :func:`to_year` reads as an approximate year: a range, a decade, a qualified year."""
    values = pd.Series(values)
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(False, index=values.index)
    text = values.astype("str").str.strip()
    ranged = text.index.isin(_range_middles(text).index)
    return (ranged | text.str.contains(_DECADE_RE) | text.str.match(_QUALIFIED_YEAR_RE)).fillna(False).astype(bool)


def _range_middles(text: pd.Series) -> pd.Series:
    """The middle year of each value of ``text`` that is a range of years ("1950-1960": 1955), on its index."""
    if text.empty:   # no row: pandas' apply would leave the extracted (text) columns unconverted
        return pd.Series(dtype=float)
    ranges = text.str.extract(_YEAR_RANGE_RE).apply(pd.to_numeric, errors="coerce")
    ranged = (ranges[1] > ranges[0]) & (ranges[1] - ranges[0] <= 50)
    return ((ranges[0] + ranges[1]) // 2)[ranged]


@dataclass(frozen=True)
class NumberReading:
    """A column of numbers read from text, with what :func:`read_numbers` decided and could not.

    Attributes
    ----------
    values : Series of float
        NaN where blank, unreadable or ambiguous.
    bad : Series of bool
        Non-blank values that are no number.
    ambiguous : Series of bool
        Numbers such as "1,923" that the column does not say how to read: "," as the decimal mark (1.923)
        or as a thousands separator (1923).  Left NaN, for the caller to count.
    grouped : Series of bool
        Values read with a thousands separator removed ("1,923.00", "1 923,00", "1.923,00").
    """

    values: pd.Series
    bad: pd.Series
    ambiguous: pd.Series
    grouped: pd.Series


def read_numbers(values: pd.Series) -> NumberReading:
    """Numbers as utilities write them, the decimal mark and the thousands separator decided for the column.

    "150", "150 mm", "DN150", "12,5", "1,923.00", "1 923,00" (space, no-break or narrow no-break space),
    "1.923,00", "1'923.50", "1,234,567".  A value's own form settles most cases: two different marks (the
    last is the decimal one), a mark not followed by exactly three digits (a decimal mark), a mark
    repeated (a separator), spaces between groups of three (a separator).  A lone mark followed by exactly
    three digits ("1,923", "1.923") is read as the rest of the column reads that mark; when nothing in the
    column says, "." is the decimal point (as in any CSV), "," a thousands separator only when the column's
    other numbers are whole and below 1000 (so that a separator would be needed exactly where it appears),
    and otherwise the value is *ambiguous*: left out, for the caller to count, never guessed.
    """
    values = pd.Series(values)
    none = pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype(float)
        infinite = pd.Series(np.isinf(numbers.to_numpy()), index=values.index)   # "inf", "1e309" read by pandas
        return NumberReading(numbers.mask(infinite), infinite, none, none)
    text = values.astype("str")
    blank = _blank(values)
    found = text.str.extract(_NUMBER_RE)
    sign = found[0].fillna("").replace("+", "")
    body = found[1].str.replace(_GROUP_SPACES, " ", regex=True).str.replace(r"[.,]$", "", regex=True)   # "150."
    single = body.str.extract(r"^(\d*)([.,])(\d+)$")
    spaced = body.str.extract(r"^\d{1,3}(?: \d{3})+(?:([.,])\d+)?$")
    spaced_ok = body.str.match(r"^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$").fillna(False).astype(bool)
    multi = body.str.extract(r"^\d{1,3}([.,])\d{3}(?:\1\d{3})+$")[0]
    both = body.str.extract(r"^\d{1,3}([.,])\d{3}(?:\1\d{3})*([.,])\d+$")
    both = both.where(both[0] != both[1])
    lone = single[0].str.len().between(1, 3) & single[2].str.len().eq(3) & ~single[0].str.startswith("0")
    lone = lone.fillna(False).astype(bool)
    decimal_seen = pd.concat([single[1][single[1].notna() & ~lone], spaced[0], both[1]]).dropna()
    group_seen = pd.concat([multi, both[0]]).dropna()
    whole = body.str.fullmatch(r"\d+").fillna(False).astype(bool)
    plain_small = whole.any() and bool((pd.to_numeric(body[whole]) < 1000).all())
    roles = {m: _mark_role(m, set(decimal_seen), set(group_seen), plain_small=plain_small) for m in ".,"}

    number = body.where(whole | (single[1].notna() & ~lone))                  # plain, or a decimal by its form
    number = number.str.replace(",", ".", regex=False)
    for mark, role in roles.items():                                            # "1,923", "1.923": as the column says
        use = lone & single[1].eq(mark)
        if role is not None:
            number = number.mask(use, single[0] + ("." if role == "decimal" else "") + single[2])
    grouped = spaced_ok | multi.notna() | both[0].notna()
    grouped |= lone & single[1].map(lambda m: roles.get(m) == "group").fillna(False).astype(bool)
    number = number.mask(spaced_ok, body.str.replace(" ", "", regex=False).str.replace(",", ".", regex=False))
    number = number.mask(multi.notna(), body.str.replace(r"[.,]", "", regex=True))
    for mark, other in ((",", "."), (".", ",")):                               # "1,923.00", "1.923,00"
        number = number.mask(both[0].eq(mark), body.str.replace(mark, "", regex=False)
                             .str.replace(other, ".", regex=False))
    numbers = pd.to_numeric(sign + number, errors="coerce").mask(blank).astype(float)
    ambiguous = lone & numbers.isna() & ~blank
    return NumberReading(numbers, numbers.isna() & ~blank & ~ambiguous, ambiguous, grouped & numbers.notna())


def _mark_role(mark: str, decimal_seen: set, group_seen: set, *, plain_small: bool) -> str | None:
    """How the column uses ``mark`` ("decimal", "group"), or None when it does not say."""
    other = "," if mark == "." else "."
    if (mark in decimal_seen) != (mark in group_seen):
        return "decimal" if mark in decimal_seen else "group"
    if mark in decimal_seen:                                  # used both ways: the column is mixed
        return None
    if other in decimal_seen and other not in group_seen:     # the other mark is the decimal one
        return "group"
    if mark == ".":
        return "decimal"
    return "group" if plain_small else None


def to_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from numbers or strings (:func:`read_numbers`); bad = unreadable or ambiguous non-blank."""
    reading = read_numbers(values)
    return reading.values, reading.bad | reading.ambiguous


def inch_fractions(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Sizes written as fractions of an inch, as North-American registers write small diameters:
    "3/4", '3/4"', "1 1/2", "1-1/2 in", "2 1/2 po", "1½"", "¾".

    Only a proper fraction whose denominator is 2, 4, 8, 16, 32 or 64 (the fractions of an inch a
    size is given in), alone or after a whole number, is read: "3/0", "1/2/3", "5/4", "110/90" (a
    French PE pipe's outside/inside diameter) stay unread.  For diameters only: :func:`read_numbers`
    never reads fractions (a length or a coordinate "3/4" means nothing).

    Returns
    -------
    inches : Series of float
        The value in inches, NaN where the value is no such fraction.
    marked : Series of bool
        True where the value also says it is in inches (", '', in, inch, po, pouces).
    """
    values = pd.Series(values)
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(np.nan, index=values.index), pd.Series(False, index=values.index)
    text = values.astype("str")
    slashed = text.str.extract(_FRACTION_RE)
    vulgar = text.str.extract(_VULGAR_FRACTION_RE)
    num = pd.to_numeric(slashed["num"], errors="coerce").fillna(vulgar["vulgar"].map(_VULGAR_NUMERATORS))
    den = pd.to_numeric(slashed["den"], errors="coerce").fillna(vulgar["vulgar"].map(_VULGAR_DENOMINATORS))
    whole = pd.to_numeric(slashed["whole"].fillna(vulgar["whole"]), errors="coerce").fillna(0)
    proper = den.isin(_INCH_DENOMINATORS) & (num >= 1) & (num < den)
    inches = (whole + num / den).where(proper).astype(float)
    mark = slashed["mark"].fillna(vulgar["mark"])
    return inches, (inches.notna() & mark.notna()).astype(bool)


def isin(values, other) -> np.ndarray:
    """``values.isin(other)`` as a bool array, fast for pandas' arrow-backed strings (hash lookup)."""
    index = pd.Index(pd.unique(pd.Series(other, dtype=object).to_numpy()))
    return index.get_indexer(pd.Series(values, dtype=object).to_numpy()) >= 0


#: A year written with a thousands separator ("1,965", "1 965"): a year is whole, never 1.965.
_YEAR_GROUPED_RE = re.compile(r"^([12])[,.'’\u00a0\u202f\u2009 ](\d{3})$")
_YEAR_RE = re.compile(r"(?<!\d)(1[6-9]\d\d|2[01]\d\d)(?!\d)")
#: A date written out to the day: 1962-05-14, 05/14/1962, 14.05.1962, 14-05-62.
_DAY_RE = re.compile(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)")
_Y = r"(1[6-9]\d\d|2[01]\d\d)"
#: "1950-1960", "1950 – 1960", "1950 to 1960", "1950 à 1960", "de 1950 à 1960" (not a date: both are years).
_YEAR_RANGE_RE = re.compile(rf"^\D*?(?<!\d){_Y}\s*(?:-|–|—|/|to|à|a|au)\s*{_Y}(?!\d)\D*$", re.IGNORECASE)
#: "1960s", "1960's", "années 1960", "annees 1960" (a decade: its middle year).
_DECADE_RE = re.compile(r"(?:(?<!\d)(?:1[6-9]|20)\d0\s*[’']?s\b|ann[ée]es\s+(?:1[6-9]|20)\d0\b)", re.IGNORECASE)
#: "c. 1950", "ca 1965", "circa 1965", "env. 1965", "vers 1965", "~1965", "<1950", "pre-1950", "avant 1950", "1965?".
_QUALIFIED_YEAR_RE = re.compile(
    rf"^\s*(?:(?:c|ca|circa|env|environ|vers|approx|about|~|<|>|≤|≥|<=|>=|pre|before|avant|post|after|après)"
    rf"\.?\s*-?\s*{_Y}\s*\??|{_Y}\s*\?|{_Y}\s*(?:approx|env|ca)\.?)\s*$", re.IGNORECASE)

#: A number with its optional sign, prefix (DN, Ø) and unit; its body may hold marks and grouping spaces.
_NUMBER_RE = re.compile(r"^\s*(?:dn|ø|phi)?\s*([-+]?)((?:\d[\d.,'’\u00a0\u202f\u2009 ]*)?[.,]?\d+[.,]?)"
                        r"\s*(?:mm|m\.?|in\.?|inch(?:es)?|po\.?|pouces?|\"|''|”|″)?\s*$", re.IGNORECASE)
#: What says a size is in inches: 6", 6'', 6”, 6″, 6 in, 6 in., 8 inch, 8 inches, 6 po, 6 po., 6 pouce(s).
INCH_MARK = r"(?:\"|''|”|″|in\.?|inch(?:es)?|po\.?|pouces?)"
#: A fraction of an inch, alone or after a whole number and a space or hyphen: 3/4, 1 1/2, 1-1/2", 2 1⁄2 in.
_FRACTION_RE = re.compile(rf"^\s*(?:(?P<whole>\d{{1,3}})(?:\s*-\s*|\s+))?(?P<num>\d{{1,2}})\s*[/⁄]\s*"
                          rf"(?P<den>\d{{1,2}})\s*(?P<mark>{INCH_MARK})?\s*$", re.IGNORECASE)
#: The vulgar fractions sizes are written with (½ ¼ ¾ ⅛ ⅜ ⅝ ⅞): numerator and denominator.
_VULGAR_FRACTIONS = {"½": (1, 2), "¼": (1, 4), "¾": (3, 4), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}
_VULGAR_NUMERATORS = {c: float(n) for c, (n, _) in _VULGAR_FRACTIONS.items()}
_VULGAR_DENOMINATORS = {c: float(d) for c, (_, d) in _VULGAR_FRACTIONS.items()}
#: One of them, alone or after a whole number: ¾, 1½, 1 ½", 1-½ in.
_VULGAR_FRACTION_RE = re.compile(rf"^\s*(?:(?P<whole>\d{{1,3}})\s*-?\s*)?(?P<vulgar>[{''.join(_VULGAR_FRACTIONS)}])"
                                 rf"\s*(?P<mark>{INCH_MARK})?\s*$", re.IGNORECASE)
#: The fractions of an inch a size is given in (halves to sixty-fourths).
_INCH_DENOMINATORS = (2, 4, 8, 16, 32, 64)
#: Thousands separators written as a space: plain, no-break (U+00A0), narrow no-break (U+202F), thin
#: (U+2009), and the Swiss apostrophes.
_GROUP_SPACES = "[\u00a0\u202f\u2009'’ ]"

"""One date reader (:mod:`leakopt.io.dates`) for the loader and the column guesses: a column the loader reads as
dates is the one the guesses offer for ``date``, and a column it cannot read is not offered."""
import numpy as np
import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.io.columns import date_share, guess_columns, missing_columns_error
from leakopt.io.dates import parse_dates
from leakopt.pipeline import SAMPLE_DIR

#: Date columns as utilities export them. The guesses read the first five differently from the loader before
#: (their own pandas reader: serials, years as floats and French month names were no dates; out-of-range and
#: placeholder dates were); the others they read alike, and still do.
COLUMNS = {
    "excel serials, text": ["45426", "43466", "44197", "40000"],
    "excel serials, numbers": pd.Series([45426, 43466, 44197, 40000]),
    "years as floats, one blank": pd.Series([2019.0, 2015.0, np.nan, 2021.0]),
    "french month names": ["14 mai 2024", "1er mars 2021", "3 févr. 2019", "lundi 15 janvier 2015"],
    "placeholders out of range": ["0001-05-01", "9999-12-31", "1,5", "2015-01-01"],
    "day first": ["14/05/2024", "03/07/2015", "24/07/2015", "31/12/2019"],
    "zoned": ["2024-05-14T08:15:00-04:00", "2022-12-31T22:30:00-05:00", "2017/12/01 15:15:00+00", "2020-01-02 10:00Z"],
    "us with am/pm": ["5/14/2024 8:15:00 AM", "2/24/2006 3:05:00 PM", "12/1/2019 11:00:00 AM", None],
    "year only": ["2019", "2015", "2018", " "],
    "compact": ["20240514", "20051101", "20191231", "20200229"],
    "work orders": ["WO12345", "WO12346", "WO12347", "WO12348"],
}


def _series(values) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")


@pytest.mark.parametrize("name", list(COLUMNS))
def test_the_guesses_read_a_column_as_the_loader_does(name):
    values = _series(COLUMNS[name])
    given = values[values.notna() & values.astype("str").str.strip().ne("")]
    assert date_share(values) == float(parse_dates(given)[0].notna().mean())


@pytest.mark.parametrize("name, guessed", [("excel serials, text", True), ("excel serials, numbers", True),
                                           ("years as floats, one blank", True), ("french month names", True),
                                           ("placeholders out of range", False)])
def test_a_date_column_is_offered_when_the_loader_reads_it_and_only_then(name, guessed):
    frame = pd.DataFrame({"DATE_CASSE": _series(COLUMNS[name]), "NUM_TRONCON": ["T1", "T2", "T3", "T4"]})
    assert guess_columns(["date"], frame, table="leak_columns") == ({"date": "DATE_CASSE"} if guessed else {})
    read = int(parse_dates(frame["DATE_CASSE"])[0].notna().sum())
    assert (read >= 3) is guessed   # what the loader makes of the column it is told to read


def test_a_break_file_dated_by_spreadsheet_serials_gets_its_date_column_suggested(tmp_path, capsys):
    # an export whose date cells lost their format: the loader reads 43466 as 1 January 2019, and the error
    # that stops on the missing date column now offers it (it said only 'e.g. date = "YOUR_COLUMN"')
    leaks = pd.read_csv(SAMPLE_DIR / "leaks.csv")
    serial = (pd.to_datetime(leaks.pop("date"), errors="coerce") - pd.Timestamp("1899-12-30")).dt.days   # 5 blank
    leaks.assign(DATE_CASSE=serial).to_csv(tmp_path / "casses.csv", index=False)
    code = main(["-q", "check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(tmp_path / "casses.csv")])
    assert code == 2
    assert 'likely date = "DATE_CASSE"' in capsys.readouterr().err
    frame = pd.read_csv(tmp_path / "casses.csv")
    assert missing_columns_error("casses.csv", ["date"], frame, table="leak_columns").guesses == {
        "date": "DATE_CASSE"}

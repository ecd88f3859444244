"""Diameters written as fractions of an inch (3/4", 1 1/2", 1-1/2 in, 1½"), as North-American registers write
small mains and services: read in inches and said, where they were unreadable (treated as missing, imputed)."""
from pathlib import Path

import pandas as pd
import pytest

from leakopt.io import read_leaks, read_pipes
from leakopt.io.values import inch_fractions, read_numbers
from leakopt.validate import validate
from leakopt.validate.config import ValidateConfig

SAMPLES = Path(__file__).parent.parent / "data_samples"


def register(diameters) -> pd.DataFrame:
    """A small register whose first diameters are ``diameters`` and the others 150 (millimetres)."""
    n = 12
    values = list(diameters) + [150] * (n - len(diameters))
    return pd.DataFrame({"pipe_id": [f"P{i}" for i in range(n)], "material": "PVC",
                         "diameter_mm": pd.Series(values, dtype=object), "install_year": 1975, "length_m": 100.0})


def run(pipes, **kw):
    return validate(pipes, pd.DataFrame(columns=["date", "pipe_id"]), as_of="2021-01-01",
                    sources={"pipes": "pipes.csv", "leaks": "leaks.csv"}, **kw)


def diameters(u) -> list:
    return u.pipes.set_index("pipe_id")["diameter_mm"].tolist()


def test_fractions_marked_in_inches_are_read_in_millimetres():
    u = run(register(['3/4"', '1 1/2"', "1-1/2 in", '1½"', "5/8 po", "2 1⁄2 inches", "7/16''", "¾ pouce"]))
    assert diameters(u)[:8] == pytest.approx([19.05, 38.1, 38.1, 38.1, 15.875, 63.5, 11.1125, 19.05])
    assert diameters(u)[8:] == [150.0] * 4                                # unmarked whole numbers: millimetres
    assert u.validation.get("diameter_mm_unreadable") is None
    assert u.validation.get("diameter_mm_imputed") is None
    issue = u.validation.get("diameter_marked_in_inches")                 # the conversion said, as for 6"
    assert issue.count == 8
    assert [e["diameter_mm"] for e in issue.examples[:2]] == ['3/4"', '1 1/2"']
    assert issue.examples[0]["read_as_mm"] == 19.05                      # as a reader writes it, not 19.049999999999997
    assert u.validation.get("diameter_fraction_read_in_inches") is None  # each says its unit


def test_a_fraction_without_unit_is_read_in_inches_and_said():
    """No one writes a fraction of a millimetre: a bare "2 1/2" is a North-American size in inches."""
    u = run(register(["2 1/2", "3/4", "¾", '6"']))
    assert diameters(u)[:4] == pytest.approx([63.5, 19.05, 19.05, 152.4])
    issue = u.validation.get("diameter_fraction_read_in_inches")
    assert issue.severity == "info" and issue.count == 3
    assert issue.message == ("3 diameters are fractions with no unit (such as 2 1/2): read as inches, as such sizes "
                             "are written, and converted to millimetres (x 25.4)")
    assert issue.message_fr == ("3 diamètres sont des fractions sans unité (comme 2 1/2)\u00a0: lus en pouces, comme "
                                "ces tailles s’écrivent, et convertis en millimètres (x 25,4)")
    assert [(e["diameter_mm"], e["read_as_mm"]) for e in issue.examples] == [
        ("2 1/2", pytest.approx(63.5)), ("3/4", pytest.approx(19.05)), ("¾", pytest.approx(19.05))]
    assert u.validation.get("diameter_marked_in_inches").count == 1       # the 6"
    one = run(register(["2 1/2"])).validation.get("diameter_fraction_read_in_inches")
    assert one.message.startswith("1 diameter is a fraction with no unit (2 1/2): read as inches")


def test_with_diameter_unit_in_a_bare_fraction_is_one_more_value_read_in_inches():
    u = run(register(["2 1/2", '3/4"', "DN150"]), config=ValidateConfig(diameter_unit="in"))
    assert diameters(u)[:4] == pytest.approx([63.5, 19.05, 150.0, 150 * 25.4])
    assert u.validation.get("diameter_read_in_inches").count == 10        # "2 1/2" and the nine 150
    assert u.validation.get("diameter_fraction_read_in_inches") is None


@pytest.mark.parametrize("nonsense", ["3/0", "1/2/3", "5/4", "110/90", "3/5", "1/2 mm", "3/4 m", "DN 3/4", "12/2020",
                                      "1 1/2 1/4", "½½", "⅓"])
def test_what_is_no_fraction_of_an_inch_stays_unreadable_and_counted(nonsense):
    """A zero denominator, two slashes, an improper fraction, a French PE size outside/inside (110/90),
    fifths, millimetres or metres: counted unreadable and imputed, as before."""
    u = run(register([nonsense, '3/4"']))
    assert u.validation.get("diameter_mm_unreadable").count == 1
    assert u.validation.get("diameter_mm_imputed").count == 1
    assert diameters(u)[1] == pytest.approx(19.05)
    assert u.validation.get("diameter_fraction_read_in_inches") is None


def test_only_diameters_read_fractions():
    """A length or a coordinate "3/4" means nothing: read_numbers (lengths, coordinates, years) reads no fraction."""
    reading = read_numbers(pd.Series(["3/4", "1 1/2", "1½", '3/4"']))
    assert reading.values.isna().all() and reading.bad.all()
    pipes = register([]).assign(length_m=pd.Series(["3/4", "100"] + ["100"] * 10, dtype=object))
    u = run(pipes)
    assert u.validation.get("length_m_unreadable").count == 1
    assert u.pipes.set_index("pipe_id").loc["P0", "length_imputed"]


def test_inch_fractions_reads_values_and_marks():
    inches, marked = inch_fractions(pd.Series(['3/4"', "1-1/2 in", "2 1/2", "1 ½", "6", None, "3/0"], dtype=object))
    assert inches.tolist()[:4] == [0.75, 1.5, 2.5, 1.5] and inches.iloc[4:].isna().all()
    assert marked.tolist() == [True, True, False, False, False, False, False]
    numeric, none = inch_fractions(pd.Series([0.75, 6.0]))
    assert numeric.isna().all() and not none.any()


@pytest.mark.parametrize("as_text", [False, True])
def test_the_sample_register_reads_as_before(as_text):
    """The sample data (and the same file read as text, as a GIS export may give it): same diameters,
    no new issue."""
    pipes, crs = read_pipes(SAMPLES / "pipes.csv")
    raw = pipes["diameter_mm"].copy()
    if as_text:
        pipes = pipes.astype({"diameter_mm": object})
        pipes["diameter_mm"] = raw.map(lambda v: None if pd.isna(v) else f"{v:g}")
    u = validate(pipes, read_leaks(SAMPLES / "leaks.csv"), crs=crs)
    codes = {i.code: i.count for i in u.validation.issues if "diameter" in i.code}
    assert codes == {"diameter_mm_imputed": int(raw.isna().sum())}
    got = u.pipes.set_index("pipe_id")["diameter_mm"]
    given = raw.notna().to_numpy()
    assert got.to_numpy()[given].tolist() == raw[given].tolist()

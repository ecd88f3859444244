"""English validation messages agree with their count: "1 leak has a date that cannot be read", not "1 leaks
have ..." (each template's ``en_1``, used when ``n`` is 1, as ``fr_1`` is in French)."""
from __future__ import annotations

import logging
import re
import string

import pandas as pd
import pytest

from leakopt.validate.messages import Joined, Localized, phrase, render
from leakopt.validate.report import ValidationReport
from leakopt.validate.templates import MESSAGES

#: Templates with a count ``n`` in their English and no ``en_1``, each with why it needs none.
NO_EN_1 = {
    # counts the rows of every repeated leak_id, both of a pair (duplicated(keep=False)): n is never 1
    "leak_id_duplicate",
    # n is the pipes compared, said only when at least 10 are (leakopt.validate.pipes._check_length_unit)
    "length_units", "length_units_geometry_feet",
}

#: "1 leaks", "1 pipes", "the 1 leaks", "none of the 1 valves", "1 valve(s)": an English count that does not agree.
NOT_AGREEING = re.compile(r"\b1 (?:[a-z_]+ ){0,2}(?:leaks|pipes|rows|values|columns|years|dates|valves|sites|IDs)\b"
                          r"|\b1 [a-z_ ]*\(s\)|\bthe 1 |none of the 1 ")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def counted() -> list[str]:
    """The templates whose English writes the count ``n``."""
    return [key for key, entry in MESSAGES.items() if entry.get("en") is not None and "n" in fields(entry["en"])]


def example_params(key: str, n) -> dict:
    """Parameters that fill every field of ``key`` (both languages), with the count ``n``."""
    values = {"n": n, "n_ids": n, "max_m": 50.0, "median": 2.5, "max": 7.25, "share": 1.5, "length_m": 1234.0,
              "as_of": "2024-01-01", "today": "2024-01-01", "earliest": "2024-01-01", "min_year": 1850, "horizon": 2030, "year": 2024, "first": 2005,
              "what": "site", "src": "geometry", "name": Localized("the sites file", fr="le fichier des sites"),
              "keep": phrase("keep_first"), "how": phrase("with_date_format", fmt="%d/%m/%Y"),
              "text": Joined((phrase("id_on_rows", id="P3", rows="3, 4"),)), "no_geo": ""}
    values["late"] = 12   # a second count, read with {late:,} (network_pipe_not_in_risk_late)
    values["n_pipes"] = 3   # another (network_nodes_without_coordinates)
    values["rows"] = 3   # the rows of the repeated leaks, copies and originals (leak_row_repeated)
    values.update(ratio=3.28, factor=0.3048, unit="ft", source=phrase("length_source_network"))   # length units
    entry = MESSAGES[key]
    names = set().union(*(fields(entry[form]) for form in ("en", "en_1", "fr", "fr_1") if entry.get(form)))
    return {name: values.get(name, f"<{name}>") for name in names}


def test_every_french_singular_has_an_english_one():
    # ("en": None: the English is written elsewhere, missing_column's by leakopt.io.columns.missing_columns_error,
    # which agrees with the count itself: test_messages_fr.test_missing_columns_agree_with_their_count...)
    missing = sorted(key for key, entry in MESSAGES.items()
                     if entry.get("fr_1") and not entry.get("en_1") and entry.get("en") is not None)
    assert not missing, f"templates with a fr_1 but no en_1: {missing}"
    assert all(key in MESSAGES for key in NO_EN_1)
    without = sorted(key for key in counted() if not MESSAGES[key].get("en_1") and key not in NO_EN_1
                     and not re.search(r"\{n:[^}]*\|", MESSAGES[key]["en"]))   # {n:|row|rows} agrees by itself
    assert not without, f"English templates with a count n but no en_1 (add one, or say in NO_EN_1 why not): {without}"


def test_the_english_singular_names_the_same_facts():
    for key, entry in MESSAGES.items():
        if not entry.get("en_1"):
            continue
        # the count is written out ("1 leak", "the only valve"), as fr_1 writes it; every other fact is kept
        assert fields(entry["en_1"]) == fields(entry["en"]) - {"n"}, key
        assert entry.get("en") is not None, key


@pytest.mark.parametrize("key", sorted(set(counted()) - NO_EN_1))
def test_no_english_message_says_1_with_a_plural(key):
    one = render(key, "en", example_params(key, 1))
    assert not NOT_AGREEING.search(one), one
    if MESSAGES[key].get("en_1"):      # the singular is more than the plural with 1 for its count
        two = render(key, "en", example_params(key, 2))
        assert one != re.sub(r"\b2\b", "1", two), (one, two)


def test_singular_and_plural_english():
    assert render("leak_date_unparseable", "en", {"n": 1}) == \
        "1 leak has a date that cannot be read (blank or not a date); left out"
    assert render("leak_date_unparseable", "en", {"n": 2}) == \
        "2 leaks have a date that cannot be read (blank or not a date); left out"
    site = {"what": "site", "name": "sites.csv"}
    assert render("site_no_coordinates", "en", {**site, "n": 1}) == "1 site of sites.csv has no usable x, y and was left out"
    assert render("site_no_coordinates", "en", {**site, "n": 3}) == \
        "3 sites of sites.csv have no usable x, y and were left out"
    assert render("diameter_mm_missing", "en", {"n": 1, "col": "diameter_mm"}) == \
        "1 pipe has no diameter_mm and imputation is off (impute = false): it is not scored"
    assert render("diameter_mm_missing", "en", {"n": 4, "col": "diameter_mm"}) == \
        "4 pipes have no diameter_mm and imputation is off (impute = false): they are not scored"
    valves = {"name": "v.csv", "link": "L1", "node": "J1", "pipes": "['P1']"}
    assert render("valve_layer_unusable", "en", {**valves, "n": 1}).startswith(
        "the only valve of v.csv is not on an end of a pipe of the network (link 'L1' at node 'J1';")
    assert render("valve_layer_unusable", "en", {**valves, "n": 2}).startswith(
        "none of the 2 valves of v.csv is on an end of a pipe of the network (e.g. link 'L1' at node 'J1';")
    # the French is untouched: its own singular
    assert render("leak_date_unparseable", "fr", {"n": 1}).startswith("1 fuite a une date illisible")
    assert render("leak_date_unparseable", "fr", {"n": 2}).startswith("2 fuites ont une date illisible")


def test_duplicate_ids_agree_with_each_count():
    def dup(n_ids, n):
        return render("duplicate_pipe_id", "en", {"n_ids": n_ids, "n": n, "keep": phrase("keep_first"),
                                                  "text": Joined((phrase("id_on_rows", id="P3", rows="3, 4"),))})
    assert dup(1, 1).startswith("1 pipe ID appears on several rows; 1 row left out, the first row of each ID kept")
    assert dup(1, 2).startswith("1 pipe ID appears on several rows; 2 rows left out")
    assert dup(3, 5).startswith("3 pipe IDs appear on several rows; 5 rows left out")     # as before
    refused = {"where": "pipes.csv", "text": "'P3' on rows 3, 4"}
    assert render("duplicate_pipe_id_refused", "en", {**refused, "n_ids": 1}).startswith(
        "pipes.csv: 1 pipe_id value appears on more than one row")
    assert render("duplicate_pipe_id_refused", "en", {**refused, "n_ids": 2}).startswith(
        "pipes.csv: 2 pipe_id values appear on more than one row")


def test_the_report_writes_the_singular(caplog):
    report = ValidationReport()
    with caplog.at_level(logging.WARNING, logger="leakopt.validate.report"):
        issue = report.add("leak_date_unparseable", "error", 1, params={"n": 1})
    assert issue.message == "1 leak has a date that cannot be read (blank or not a date); left out"
    assert issue.message_fr.startswith("1 fuite a une date illisible")
    assert "1 leak has a date" in caplog.text and "1 leaks" not in caplog.text
    issue = report.add("pipe_row_blank", "error", 2, params={"n": 2})
    assert issue.message == "2 rows of the register hold no value at all; left out"


def test_one_bad_leak_date_is_told_in_the_singular(tmp_path):
    from leakopt.validate import load_utility
    pd.DataFrame({"pipe_id": ["P1", "P2", "P3"], "material": ["CI", "PVC", "PE"], "diameter_mm": [100, 150, 110],
                  "install_year": [1960, 1980, 2000], "length_m": [100.0, 200.0, 50.0]}).to_csv(
        tmp_path / "pipes.csv", index=False)
    pd.DataFrame({"pipe_id": ["P1", "P2", "P1"], "date": ["2019-05-05", "not a date", "2021-03-03"]}).to_csv(
        tmp_path / "leaks.csv", index=False)
    utility = load_utility(tmp_path / "pipes.csv", tmp_path / "leaks.csv")
    issue = utility.validation.get("leak_date_unparseable")
    assert issue is not None and issue.count == 1
    assert issue.message == "1 leak has a date that cannot be read (blank or not a date); left out"
    assert not any(NOT_AGREEING.search(i.message) for i in utility.validation.issues), \
        [i.message for i in utility.validation.issues]


def test_the_backtest_notes_agree_with_their_count_in_english():
    from leakopt.risk.backtest import NOTES
    one = render("few_test_leaks", "en", {"n": 1, "points": 100.0}, table=NOTES)
    assert one.startswith("only 1 test leak: one leak moves a capture by 100 points"), one
    assert render("few_test_leaks", "en", {"n": 20, "points": 5.0}, table=NOTES).startswith("only 20 test leaks:")
    early = render("left_truncation", "en", {"first_leak": 1985, "last_sparse": 1995, "early": 1, "per_year": 40,
                                             "used": 1996}, table=NOTES)
    assert "(1 leak in total against" in early, early


def test_english_counts_take_a_thousands_separator_as_the_french_do():
    from leakopt.validate.templates import PHRASES
    for table in (MESSAGES, PHRASES):
        for key, entry in table.items():
            fr = {name: spec for _, name, spec, _ in string.Formatter().parse(entry.get("fr") or "") if name}
            for form in ("en", "en_1"):
                for _, name, spec, _ in string.Formatter().parse(entry.get(form) or ""):
                    if name and "," in fr.get(name, "").split("|")[0]:
                        assert "," in (spec or "").split("|")[0], (key, form, name, spec)
    assert render("geometry_from_network", "en", {"n": 4000}).startswith("4,000 pipes have no geometry")
    assert render("length_from_geometry", "en", {"n": 1200, "src": "geometry"}).startswith("1,200 pipes")


def test_english_imputation_methods_units_and_signs_are_words_not_keys():
    by = Joined(tuple(phrase("imputed_by", method=phrase(f"method_{k}"), n=v)
                      for k, v in {"network_neighbours": 78, "spatial_neighbours": 32, "material_median": 4}.items()))
    text = render("install_year_imputed", "en", {"n": 114, "col": "install_year", "flag": "install_year_imputed",
                                                  "by": by})
    assert text.endswith("(neighbouring pipes on the network: 78 pipes, nearby pipes: 32 pipes, the material's median: 4 pipes)"), text
    snapped = render("leak_snapped", "en", {"n": 40, "target": "line", "median": 1.1, "max": 4.2})
    assert snapped.endswith("median distance 1.1 m, max 4.2 m"), snapped
    detected = render("first_record_year_detected", "en", {"first": 2007, "fraction": 0.5})
    assert "at least 0.5 × the median yearly count" in detected

"""The user's own values in the app, as they wrote them: a blank is the missing mark in every table (never
"None"), and an ID, a file name or a message quoting them is shown as written, never read as Markdown
("MAIN*3 to MAIN*4" in italics, "$4 to $5" a formula, ":red[x]" red). Driven with ``streamlit.testing.v1.AppTest``;
the rendering itself was checked in Chromium (``streamlit run`` on such strings: the texts shown equal them)."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest
from test_app import APP, goto, write_fixture_run

from leakopt.app.widgets import escape_markdown
from leakopt.i18n import MISSING

ODD_ID = "P_1*2$"                       # a star and a dollar that pair with the next ones in the text
ODD_FILE = "[old] pipes_*v2*.csv"       # a link's text and italics
ODD_FACTORS = "material MAIN*3 or MAIN*4 as written; $4 to $5 a metre; see :red[x]"   # italics, a formula, red
NONE_TEXTS = {"None", "nan", "NaN", "<NA>", "NaT", "none"}


def as_read(markdown: str) -> str:
    """The text CommonMark shows for ``markdown`` that holds no formatting: a backslash before an ASCII
    punctuation sign shows the sign, a numeric character reference its character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])|&#(\d+);", lambda m: m[1] or chr(int(m[2])), markdown)


def bare_signs(markdown: str) -> set[str]:
    """The formatting signs that ``markdown`` leaves for Markdown to read (not after a backslash)."""
    return set(re.findall(r"[\\`*\[\]<$~|]", re.sub(r"\\[!-/:-@\[-`{-~]|&#\d+;", "", markdown)))


def grid_texts(element) -> pd.DataFrame:
    """What the browser's grid draws in each cell of an ``st.dataframe``: a blank (null) cell its
    ``placeholder`` ("None" when unset), even when a Styler gave it a text (Streamlit's grid draws a missing
    value with the placeholder whatever its display text); other cells the Styler's text, or their value."""
    raw = element.value.reset_index(drop=True)
    styler = element.proto.arrow_data.styler.display_values
    said = dataframe_util.convert_arrow_bytes_to_pandas_df(styler).to_numpy() if styler else raw.astype(str).to_numpy()
    holder = element.proto.placeholder if element.proto.HasField("placeholder") else "None"
    return pd.DataFrame(np.where(raw.isna().to_numpy(), holder, said), columns=raw.columns)


# --- the escape ------------------------------------------------------------------------------

@pytest.mark.parametrize("value,escaped", [
    ("MAIN*3", "MAIN\\*3"), ("[old] 7", "\\[old\\] 7"), ("$4", "\\$4"), (ODD_ID, "P_1\\*2\\$"),
    ("_old_", "\\_old\\_"), ("P_12_A", "P_12_A"),          # inside a word an underscore is read as itself
    ("`x`", "\\`x\\`"), ("<b>x</b>", "\\<b>x\\</b>"), ("a~~b~~", "a\\~\\~b\\~\\~"), ("a|b", "a\\|b"),
    ("A&amp;B", "A\\&amp;B"), ("x\\y", "x\\\\y"),
    (":red[x]", "&#58;red\\[x\\]"), ("a :material/home: b", "a &#58;material/home: b"),   # Streamlit's own
    ("http://x/_y_", "http&#58;//x/\\_y\\_"), ("www.x.org", "www\\.x.org"),             # no link made
    ("# 3", "\\# 3"), ("1. x", "1\\. x"), ("- x", "\\- x"), ("> q", "\\> q"), ("=", "\\="),   # a line's start
    ("LINK-12: 3.5 m > 2", "LINK-12: 3.5 m > 2"),            # nothing else changes
])
def test_escape_markdown_hides_every_sign_and_reads_back_as_written(value, escaped):
    assert escape_markdown(value) == escaped
    assert as_read(escaped) == value


def test_escape_markdown_round_trips_any_text():
    rng = random.Random(7)
    alphabet = "aZ1 _*[]()<>$~|&#:+-=.!`\\\"'{}%@/é€\n"
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        escaped = escape_markdown(value)
        assert as_read(escaped) == value, (value, escaped)
        assert not bare_signs(escaped), (value, escaped)
    assert escape_markdown(12.5) == "12.5" and escape_markdown(None) == "None"   # any value, as str() writes it


# --- the app ---------------------------------------------------------------------------------

def _app(run: Path, monkeypatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    return AppTest.from_file(APP, default_timeout=60).run()


@pytest.fixture
def odd_app(monkeypatch, tmp_path) -> AppTest:
    """The app on a fixture run whose riskiest pipe is ``ODD_ID``, with Markdown in its explanation, and whose
    register was the file ``ODD_FILE``."""
    run = write_fixture_run(tmp_path / "run")
    risk = pd.read_csv(run / "risk.csv").replace({"pipe_id": {"P000": ODD_ID}})
    risk.loc[risk["pipe_id"] == ODD_ID, ["top_factors", "top_factors_en"]] = ODD_FACTORS
    risk.to_csv(run / "risk.csv", index=False)
    shapes = json.loads((run / "risk.geojson").read_text(encoding="utf-8"))
    shapes["features"][0]["properties"]["pipe_id"] = ODD_ID
    (run / "risk.geojson").write_text(json.dumps(shapes), encoding="utf-8")
    leaks = pd.read_csv(run / "leaks.csv").replace({"pipe_id": {"P000": ODD_ID}})
    leaks.to_csv(run / "leaks.csv", index=False)
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    manifest["inputs"]["pipes"] = {"path": str(tmp_path / ODD_FILE), "sha256": None}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return _app(run, monkeypatch, tmp_path)


def test_a_pipe_id_with_markdown_signs_is_shown_as_written(odd_app):
    # the ID's signs were left for Markdown to read: a "*" or a "$" pairs with the next one (italics, a formula)
    at = goto(odd_app, "risk_map")
    assert at.selectbox(key="rm_pipe").value == ODD_ID                 # the riskiest pipe, shown first
    heading = at.subheader[0].value
    assert heading == "Pipe P_1\\*2\\$" and as_read(heading) == f"Pipe {ODD_ID}"
    why = next(m.value for m in at.markdown if m.value.startswith("Why: "))
    assert why == "Why: " + escape_markdown(ODD_FACTORS) and as_read(why) == f"Why: {ODD_FACTORS}"
    assert "&#58;red\\[x\\]" in why                                     # not Streamlit's red text
    assert ODD_ID in set(at.dataframe[0].value["pipe_id"])              # the table's cell is not Markdown
    assert f"{escape_markdown(ODD_FILE)}, leaks.csv" in at.sidebar.caption[1].value
    assert as_read(at.sidebar.caption[1].value) == f"Files: {ODD_FILE}, leaks.csv"
    at.sidebar.radio(key="lang").set_value("fr").run()
    assert at.subheader[0].value == "Conduite P_1\\*2\\$"
    assert as_read(at.sidebar.caption[1].value) == f"Fichiers\u00a0: {ODD_FILE}, leaks.csv"


def test_a_file_name_and_a_column_name_in_messages_are_shown_as_written(odd_app):
    at = goto(odd_app, "upload")
    at.file_uploader(key="up_leaks").set_value(("# 2024 *leaks*.xls", b"PK\x03\x04" + bytes(64), "application/zip"))
    at.button(key="up_check").click().run()
    said = at.warning[0].value                          # the name starts the message: not a heading
    assert said.startswith("\\# 2024 \\*leaks\\*.xls is a spreadsheet in a format")
    assert as_read(said).startswith("# 2024 *leaks*.xls is a spreadsheet in a format")
    at.file_uploader(key="up_pipes").set_value((ODD_FILE, b"pipe_id,mat_*x*,diameter_mm,install_year,length_m\n"
                                                          b"P1,CI,100,1950,10\n", "text/csv"))
    at.file_uploader(key="up_leaks").set_value(("leaks.csv", b"leak_id,pipe_id,date\nL1,P1,2020-01-01\n", "text/csv"))
    at.button(key="up_check").click().run()
    error = at.error[0].value                           # the column the form then asks for
    assert as_read(error).startswith(f"{ODD_FILE}: required column material not found; columns found: pipe_id, "
                                     "mat_*x*, diameter_mm"), error
    assert not bare_signs(error)


# --- blanks in tables ------------------------------------------------------------------------

@pytest.fixture
def blank_run(tmp_path) -> Path:
    """A fixture run whose files have blank numbers: two pipes' diameters and one install year in
    risk.csv (a run folder given as it is), a diameter of the renewal plan, a site's position."""
    run = write_fixture_run(tmp_path / "run")
    risk = pd.read_csv(run / "risk.csv")
    risk.loc[[0, 2], "diameter_mm"] = np.nan
    risk.loc[1, "install_year"] = np.nan
    risk.to_csv(run / "risk.csv", index=False)
    plan = pd.read_csv(run / "renewal_plan.csv")
    plan.loc[1, "diameter_mm"] = np.nan
    plan.to_csv(run / "renewal_plan.csv", index=False)
    sites = pd.read_csv(run / "sensors.csv")
    sites.loc[0, "covered_length_m"] = np.nan
    sites.to_csv(run / "sensors.csv", index=False)
    return run


def _blanks_drawn(at: AppTest, page: str, column: str) -> list[str]:
    """The texts the grid draws for the blanks of ``column`` in the first table of ``page`` having it, after
    checking that no cell of any table there says "None" and that the column stays numbers."""
    goto(at, page)
    for table in at.dataframe:
        drawn = grid_texts(table)
        assert not drawn.isin(NONE_TEXTS).any().any(), (page, drawn[drawn.isin(NONE_TEXTS).any(axis=1)])
    table = next(t for t in at.dataframe if column in t.value)
    assert pd.api.types.is_float_dtype(table.value[column])           # numbers: the column sorts by value
    return grid_texts(table)[column][table.value[column].isna().to_numpy()].tolist()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_blank_number_is_the_missing_mark_in_every_table_not_none(blank_run, monkeypatch, tmp_path, lang):
    # the grid drew "None" for a blank number: a Styler's na_rep never reaches the screen, the placeholder does
    at = _app(blank_run, monkeypatch, tmp_path)
    at.sidebar.radio(key="lang").set_value(lang).run()
    assert _blanks_drawn(at, "risk_map", "diameter_mm") == [MISSING, MISSING]
    assert _blanks_drawn(at, "risk_map", "install_year") == [MISSING]
    assert _blanks_drawn(at, "renewal", "diameter_mm") == [MISSING]
    assert _blanks_drawn(at, "sensors", "covered_length_m") == [MISSING]
    goto(at, "validation")
    assert all(not grid_texts(t).isin(NONE_TEXTS).any().any() for t in at.dataframe)


def test_a_table_too_big_to_style_shows_its_blanks_as_the_missing_mark_too(blank_run, monkeypatch, tmp_path):
    from leakopt.app import tables
    monkeypatch.setattr(tables, "STYLED_CELLS", 10)        # every table is drawn without its Styler
    at = goto(_app(blank_run, monkeypatch, tmp_path), "risk_map")
    assert not at.dataframe[0].proto.arrow_data.styler.display_values
    assert _blanks_drawn(at, "risk_map", "diameter_mm") == [MISSING, MISSING]


def test_the_pipe_card_says_a_blank_year_and_diameter_as_the_missing_mark_and_a_year_without_decimals(
        blank_run, monkeypatch, tmp_path):
    # a year column with a blank is read as floats: the card said "laid in 1950.0"
    at = goto(_app(blank_run, monkeypatch, tmp_path), "risk_map")
    assert at.selectbox(key="rm_pipe").value == "P000"
    assert f"cast iron, {MISSING} mm, laid in 1950, 100\u00a0m" in [c.value for c in at.caption]
    at.selectbox(key="rm_pipe").set_value("P001").run()
    assert f"PVC, 100 mm, laid in {MISSING}, 100\u00a0m" in [c.value for c in at.caption]

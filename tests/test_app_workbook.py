"""Excel workbooks uploaded on "Your data" (``streamlit.testing.v1.AppTest``): read as the command line reads them,
checked and run as the CSVs they hold; a workbook whose sheets hold several tables asks which sheet to read, in a
form, and the choice goes into the configuration the app writes; old .xls, .ods and .xlsb are refused with what to
do, in the reader's language."""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, goto, sidebar_captions, write_fixture_run
from test_xlsx import REGISTER, as_excel_stores_it, sample_subset, write_book

CONFIG = "[backtest]\nwalk_forward_cutoffs = 1\n"


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory) -> Path:
    return write_fixture_run(tmp_path_factory.mktemp("fixture-run"))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    """~300 pipes of the sample and their leaks as CSV, the same as one-sheet workbooks (date cells), and as one
    workbook of two tables: "Mains" and "Breaks" (with a sheet of notes, which holds no table)."""
    base = tmp_path_factory.mktemp("workbook-inputs")
    pipes, leaks = sample_subset(base)
    config = base / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    books = {"pipes": as_excel_stores_it(pipes, base / "pipes.xlsx"),
             "leaks": as_excel_stores_it(leaks, base / "leaks.xlsx", dates=("date",))}
    both = base / "utility.xlsx"
    with pd.ExcelWriter(both) as writer:
        pd.DataFrame({"About": ["Exported from the GIS, 2024-03-01"]}).to_excel(writer, sheet_name="Read me",
                                                                               index=False)
        pd.read_excel(books["pipes"], dtype={"pipe_id": str}).to_excel(writer, sheet_name="Mains", index=False)
        pd.read_excel(books["leaks"], dtype={"pipe_id": str, "leak_id": str}).to_excel(
            writer, sheet_name="Breaks", index=False)
    return {"csv": {"pipes": pipes, "leaks": leaks}, "books": books, "both": both, "config": config, "base": base}


@pytest.fixture
def page(fixture_run, monkeypatch, tmp_path) -> AppTest:
    """The app on "Your data", its cache in ``tmp_path``."""
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    return goto(AppTest.from_file(APP, default_timeout=180).run(), "upload")


def upload(at: AppTest, **files: Path | tuple[str, bytes]) -> AppTest:
    """Put ``files`` (role -> a path, or (name, content)) in their uploaders and press "Check the files"."""
    for role, file in files.items():
        name, content = (file.name, file.read_bytes()) if isinstance(file, Path) else file
        at.file_uploader(key=f"up_{role}").set_value((name, content, "application/octet-stream"))
    return at.button(key="up_check").click().run()


def french(at: AppTest) -> AppTest:
    at.sidebar.radio(key="lang").set_value("fr").run()
    return goto(at, "upload")


def sheet_boxes(at: AppTest) -> list:
    return [s for s in at.selectbox if str(s.key).startswith("up_sheet_")]


def written_config(at: AppTest) -> dict:
    return tomllib.loads(Path(at.session_state["up_checked"]["paths"]["config"]).read_text(encoding="utf-8"))


def test_a_register_and_leak_history_uploaded_as_workbooks_are_checked_and_run_as_their_csvs(inputs, page,
                                                                                           tmp_path):
    # They were refused ("save the sheet as CSV") although the command line reads them.
    from leakopt.app import data
    from leakopt.app.texts import translator
    from leakopt.app.upload import check
    at = upload(page, **inputs["books"], config=inputs["config"])
    assert not at.exception and not at.error and not at.warning, [e.value for e in at.error + at.warning]
    assert not sheet_boxes(at)                       # one sheet each: nothing to choose
    as_csv = check({**inputs["csv"], "config": str(inputs["config"])})
    assert as_csv["n_pipes"] == 300 and as_csv["n_leaks"] > 200
    t = translator("en")   # what the CSVs give, said as the page says it
    assert at.success[0].value == t("up_ok", pipes=t.number(300), km=t.length(as_csv["length_m"]),
                                    leaks=t.number(as_csv["n_leaks"]), date=t.date(as_csv["as_of"]))
    assert at.session_state["up_checked"]["result"]["validation"]["summary"]["leaks_excluded"] == \
        as_csv["validation"]["summary"]["leaks_excluded"]
    at.button(key="up_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Done: the other pages now show your data." in [s.value for s in at.success]
    run_dir = Path(at.session_state["user_run"]["run_dir"])
    # the same ranking as the CSVs give, run by the app's own runner
    csv_run = data.run_inputs({k: str(v) for k, v in inputs["csv"].items()}, config_path=inputs["config"])
    pd.testing.assert_frame_equal(pd.read_csv(run_dir / "risk.csv"), pd.read_csv(csv_run / "risk.csv"))
    goto(at, "overview")
    assert sidebar_captions(at)[1] == "Files: pipes.xlsx, leaks.xlsx, config.toml"


def test_one_workbook_of_two_tables_asks_which_sheet_holds_each_then_runs(inputs, page):
    # The reader's "utility.xlsx has 2 sheets holding a table ... give its name with --layer NAME" was all the
    # app could say: no --layer to give, no configuration to edit.
    at = upload(page, pipes=inputs["both"], leaks=inputs["both"])
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [w.value for w in at.warning] == ["Several sheets of utility.xlsx hold a table: choose the one to read."]
    boxes = sheet_boxes(at)
    assert [(b.key, b.label, b.value) for b in boxes] == [
        ("up_sheet_columns", "Sheet of utility.xlsx that holds the pipes (asset register)", None),
        ("up_sheet_leak_columns", "Sheet of utility.xlsx that holds the leak history", None)]
    leaks_rows = len(pd.read_csv(inputs["csv"]["leaks"])) + 1
    assert boxes[0].options == ["Read me (2 non-blank rows)", "Mains (301 non-blank rows)",
                                f"Breaks ({leaks_rows} non-blank rows)"]
    apply = next(b for b in at.button if b.label == "Read these sheets and check again")
    at.selectbox(key="up_sheet_columns").set_value("Mains")
    apply.click().run()                              # the leak file's sheet left unchosen
    assert [w.value for w in at.warning][-1] == "Choose a sheet for each file." and not at.success
    at.selectbox(key="up_sheet_leak_columns").set_value("Breaks")
    next(b for b in at.button if b.label == "Read these sheets and check again").click().run()
    assert not at.exception and not at.error and not sheet_boxes(at), [e.value for e in at.error]
    assert at.success[0].value.startswith("The files load: 300 pipes")
    config = written_config(at)
    assert (config["columns"], config["leak_columns"]) == ({"sheet": "Mains"}, {"sheet": "Breaks"})
    assert at.get("download_button")                 # the configuration, for leakopt run --config
    at.button(key="up_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    run_dir = Path(at.session_state["user_run"]["run_dir"])
    assert len(pd.read_csv(run_dir / "risk.csv")) == 300
    goto(at, "overview")                             # the workbook given twice is named once
    assert sidebar_captions(at)[1] == "Files: utility.xlsx, leakopt-columns.toml"


@pytest.mark.parametrize("lang, says", [
    ("en", {"warning": "Several sheets of pipes.xlsx hold a table: choose the one to read.",
            "label": "Sheet of pipes.xlsx that holds the pipes (asset register)", "placeholder": "Choose a sheet",
            "options": ["Mains (4 non-blank rows)", "Materials (3 non-blank rows)", "Legend (1 non-blank row)",
                        "Codes (2 non-blank rows, hidden)"],
            "apply": "Read this sheet and check again", "all": "Choose a sheet for each file."}),
    ("fr", {"warning": "Plusieurs feuilles de pipes.xlsx contiennent une table\u00a0: choisissez celle à lire.",
            "label": "Feuille de pipes.xlsx qui contient les conduites (inventaire)",
            "placeholder": "Choisissez une feuille",
            "options": ["Mains (4 lignes non vides)", "Materials (3 lignes non vides)", "Legend (1 ligne non vide)",
                        "Codes (2 lignes non vides, masquée)"],
            "apply": "Lire cette feuille et recontrôler", "all": "Choisissez une feuille pour chaque fichier."}),
])
def test_the_sheet_is_asked_in_the_readers_language_with_each_sheets_rows(inputs, page, tmp_path, lang, says):
    materials = [["code", "family"], ["PVC", "plastic"], ["CI", "cast iron"]]
    book = write_book(tmp_path / "pipes.xlsx", {"Mains": REGISTER, "Empty": [], "Materials": materials,
                                                "Legend": [["PVC", "polyvinyl chloride"]],
                                                "Codes": [["AC", "asbestos cement"], ["CI", "cast iron"]]},
                      hidden=("Codes",))
    leaks = ("leaks.csv", b"date,pipe_id\n2015-03-12,1001\n2018-11-02,1003\n2020-06-30,1003\n")
    at = upload(french(page) if lang == "fr" else page, pipes=book, leaks=leaks)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [w.value for w in at.warning] == [says["warning"]]
    [box] = sheet_boxes(at)                          # the leak file is a CSV: only the register's sheet asked
    assert (box.label, box.options, box.proto.placeholder) == (says["label"], says["options"], says["placeholder"])
    next(b for b in at.button if b.label == says["apply"]).click().run()
    assert [w.value for w in at.warning][-1] == says["all"]
    at.selectbox(key="up_sheet_columns").set_value("Mains")
    next(b for b in at.button if b.label == says["apply"]).click().run()
    assert not at.exception and not at.error and not sheet_boxes(at), [e.value for e in at.error]
    assert at.success and at.session_state["up_checked"]["result"]["n_pipes"] == 3
    assert written_config(at) == {"columns": {"sheet": "Mains"}}


def test_a_sheet_chosen_is_kept_when_its_columns_are_mapped_in_the_form(inputs, page, tmp_path):
    """The sheet chosen, then its columns under other names: the mapping form asks them, and the configuration
    it writes keeps the sheet beside the columns mapped."""
    raw = [["WATMAINID", *REGISTER[0][1:]], *REGISTER[1:]]
    book = write_book(tmp_path / "mains.xlsx", {"Mains": raw, "Valves": [["valve_id", "pipe"], ["V1", 1001]]})
    at = upload(page, pipes=book, leaks=("leaks.csv", b"date,pipe_id\n2015-03-12,1001\n2020-06-30,1003\n"))
    at.selectbox(key="up_sheet_columns").set_value("Mains")
    next(b for b in at.button if b.label == "Read this sheet and check again").click().run()
    assert not at.exception and len(at.error) == 1 and "pipe_id not found" in at.error[0].value
    assert not sheet_boxes(at) and at.selectbox(key="up_map_columns_pipe_id").value == "WATMAINID"
    next(b for b in at.button if b.label == "Use these columns and check again").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert written_config(at)["columns"] == {"sheet": "Mains", "pipe_id": "WATMAINID"}


def test_a_sheet_named_in_the_uploaded_configuration_is_not_asked_again(inputs, page):
    # the uploaded configuration names the register's sheet: the leak file, the same workbook, alone is asked
    config = ("config.toml", b'[columns]\nsheet = "Mains"\n')
    at = upload(page, pipes=inputs["both"], leaks=inputs["both"], config=config)
    assert [b.key for b in sheet_boxes(at)] == ["up_sheet_leak_columns"]
    at.selectbox(key="up_sheet_leak_columns").set_value("Breaks")
    next(b for b in at.button if b.label == "Read this sheet and check again").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert written_config(at) == {"columns": {"sheet": "Mains"}, "leak_columns": {"sheet": "Breaks"}}


@pytest.mark.parametrize("lang, says", [
    ("en", "utility.xlsx has no sheet named 'Canalisations', which the configuration names: choose the one to read."),
    ("fr", "utility.xlsx n'a pas de feuille nommée 'Canalisations', que la configuration désigne\u00a0: choisissez "
           "celle à lire.")])
def test_a_sheet_the_uploaded_configuration_names_but_the_workbook_lacks_is_asked_not_a_dead_end(inputs, page,
                                                                                               lang, says):
    config = ("config.toml", '[columns]\nsheet = "Canalisations"\n[leak_columns]\nsheet = "Breaks"\n'.encode())
    at = upload(french(page) if lang == "fr" else page, pipes=inputs["both"], leaks=inputs["both"], config=config)
    assert not at.exception and [w.value for w in at.warning] == [says]
    assert [b.key for b in sheet_boxes(at)] == ["up_sheet_columns"]
    at.selectbox(key="up_sheet_columns").set_value("Mains")
    at.button(key="FormSubmitter:up_sheet-" + next(b.label for b in at.button if "up_sheet" in str(b.key))).click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert written_config(at)["columns"] == {"sheet": "Mains"}
    written = Path(at.session_state["up_checked"]["paths"]["config"]).read_text(encoding="utf-8")
    assert '# sheet = "Canalisations"   # replaced: chosen in the app below' in written   # said, not dropped
    assert at.success[0].value.startswith("The files load: 300 pipes" if lang == "en" else "Fichiers lus")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)   # an Excel 97-2003 (.xls) file's first bytes


@pytest.mark.parametrize("name", ["leaks.ods", "leaks.xlsb", "LEAKS.XLS"])
@pytest.mark.parametrize("lang, says", [
    ("en", "{name} is a spreadsheet in a format that leakopt does not read (old Excel .xls, OpenDocument .ods or "
           "Excel binary .xlsb): open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx), or save the "
           "sheet as CSV, and upload that file."),
    ("fr", "{name} est un classeur dans un format que leakopt ne lit pas (ancien Excel .xls, OpenDocument .ods ou "
           "Excel binaire .xlsb)\u00a0: ouvrez-le dans Excel ou LibreOffice, enregistrez-le en classeur Excel "
           "(.xlsx), ou enregistrez la feuille en CSV, et chargez ce fichier."),
])
def test_a_spreadsheet_leakopt_does_not_read_is_refused_saying_to_save_it_as_xlsx(inputs, page, name, lang, says):
    at = upload(french(page) if lang == "fr" else page, pipes=inputs["books"]["pipes"], leaks=(name, OLE))
    assert not at.exception and not at.error and not at.success
    assert [w.value for w in at.warning] == [says.format(name=name)]


@pytest.mark.parametrize("lang, content, says", [
    ("en", OLE, "leaks.xlsx is an Excel 97-2003 workbook (.xls), which leakopt does not read: open it in Excel or "
                "LibreOffice and save it as an Excel workbook (.xlsx)"),
    ("fr", OLE, "leaks.xlsx est un classeur Excel 97-2003 (.xls), que leakopt ne lit pas\u00a0: ouvrez-le dans Excel "
                "ou LibreOffice et enregistrez-le en classeur Excel (.xlsx)"),
    ("en", b"PK\x03\x04" + bytes(64), "leaks.xlsx is a spreadsheet workbook (.xlsx) or a zip archive that cannot be "
                                      "read ("),
])
def test_a_workbook_that_cannot_be_read_says_why_and_asks_no_sheet(inputs, page, lang, content, says):
    # named .xlsx, it is read by its content: an .xls renamed, or a damaged file, is the reader's message
    at = upload(french(page) if lang == "fr" else page, pipes=inputs["books"]["pipes"], leaks=("leaks.xlsx", content))
    assert not at.exception and len(at.error) == 1 and not sheet_boxes(at)
    assert says in at.error[0].value.replace("\\", ""), at.error[0].value
    assert "/tmp" not in at.error[0].value and "uploads" not in at.error[0].value


def test_a_workbook_of_one_table_among_notes_is_read_without_asking(inputs, page, tmp_path):
    # a sheet of notes, an empty sheet and a hidden lookup list hold no table the reader would take
    book = write_book(tmp_path / "register.xlsx", {"Read me": [["Asset register"], ["Exported 2024-03-01"]],
                                                   "Sheet1": [], "Mains": REGISTER,
                                                   "Codes": [["code", "label"], ["PVC", "polyvinyl chloride"]]},
                      hidden=("Codes",))
    leaks = write_book(tmp_path / "breaks.xlsx", {"Breaks": [["date", "pipe_id"], [dt.datetime(2015, 3, 12), 1001],
                                                             [dt.datetime(2020, 6, 30), 1003]]})
    at = upload(page, pipes=book, leaks=leaks)
    assert not at.exception and not at.error and not sheet_boxes(at), [e.value for e in at.error]
    assert at.session_state["up_checked"]["result"]["n_pipes"] == 3
    assert at.session_state["up_checked"]["result"]["n_leaks"] == 2


def test_a_workbook_and_its_sheets_are_named_as_written(page, tmp_path):
    # the file's name is in the warning and the label, read as Markdown there: shown as written, not a heading
    book = write_book(tmp_path / "# 2024 *utility*.xlsx", {"_Mains_": REGISTER, "$4 to $5": [["a", "b"], [1, 2]]})
    at = upload(page, pipes=book, leaks=("leaks.csv", b"date,pipe_id\n2015-03-12,1001\n"))
    assert [w.value for w in at.warning] == ["Several sheets of \\# 2024 \\*utility\\*.xlsx hold a table: choose the "
                                             "one to read."]
    [box] = sheet_boxes(at)
    assert box.label == "Sheet of \\# 2024 \\*utility\\*.xlsx that holds the pipes (asset register)"
    assert box.options == ["_Mains_ (4 non-blank rows)", "$4 to $5 (2 non-blank rows)"]   # options: plain text
    at.selectbox(key="up_sheet_columns").set_value("_Mains_")
    next(b for b in at.button if b.label == "Read this sheet and check again").click().run()
    assert not at.exception and not at.error and written_config(at) == {"columns": {"sheet": "_Mains_"}}

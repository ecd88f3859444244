"""Excel workbooks (.xlsx, .xlsm) read for the register and the leak history, as the CSVs are: the same checks and
ranking, Excel's own values (date cells, numbers for IDs), the sheet chosen or asked for, a title row left out, and
the workbooks leakopt does not read (.xls, .ods, password-protected, damaged, never calculated) refused with what
to do."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.io import file_sha256, parse_dates, read_leaks, read_pipes
from leakopt.io.workbook import workbook_sheets
from leakopt.validate import load_utility
from leakopt.validate.messages import french_error

ROOT = Path(__file__).resolve().parents[1]


def sample_subset(folder: Path) -> tuple[Path, Path]:
    """~300 pipes of the sample (200 with leaks, 100 without) and their leaks, as CSV (the file as shipped)."""
    pipes = pd.read_csv(ROOT / "data_samples" / "pipes.csv", dtype=str, keep_default_na=False)
    leaks = pd.read_csv(ROOT / "data_samples" / "leaks.csv", dtype=str, keep_default_na=False)
    with_leaks = pipes["pipe_id"].isin(set(leaks["pipe_id"]))
    pipes = pd.concat([pipes[with_leaks].head(200), pipes[~with_leaks].head(100)])
    leaks = leaks[leaks["pipe_id"].isin(set(pipes["pipe_id"])) | leaks["pipe_id"].eq("")]
    pipes.to_csv(folder / "pipes.csv", index=False)
    leaks.to_csv(folder / "leaks.csv", index=False)
    return folder / "pipes.csv", folder / "leaks.csv"


def as_excel_stores_it(csv: Path, book: Path, *, dates: tuple[str, ...] = ()) -> Path:
    """The CSV as a workbook that Excel would save: numbers as numbers, the ``dates`` columns as date cells
    (a value that is no date stays the text it is, as Excel keeps it)."""
    frame = pd.read_csv(csv, dtype={"pipe_id": str, "leak_id": str})
    for col in dates:
        parsed = pd.to_datetime(frame[col], format="ISO8601", errors="coerce")
        frame[col] = [d.to_pydatetime() if pd.notna(d) else v for d, v in zip(parsed, frame[col])]
    frame.to_excel(book, index=False, sheet_name=book.stem)
    return book


def normalised(validation: dict, names: dict[str, str]) -> dict:
    text = json.dumps({k: v for k, v in validation.items() if k != "sources"})
    for old, new in names.items():
        text = text.replace(old, new)
    return json.loads(text)


def test_the_sample_as_workbooks_gives_the_csvs_checks_ranking_and_manifest(tmp_path, capsys):
    pipes, leaks = sample_subset(tmp_path)
    book_p = as_excel_stores_it(pipes, tmp_path / "pipes.xlsx")
    book_l = as_excel_stores_it(leaks, tmp_path / "leaks.xlsx", dates=("date",))
    assert isinstance(openpyxl.load_workbook(book_l)["leaks"]["C2"].value, dt.datetime)   # date cells indeed
    outs = {}
    for kind, (p, l) in {"csv": (pipes, leaks), "xlsx": (book_p, book_l)}.items():
        outs[kind] = tmp_path / f"out_{kind}"
        assert main(["-q", "run", "--pipes", str(p), "--leaks", str(l), "--out", str(outs[kind]), "--no-sensors",
                     "--no-backtest"]) == 0, capsys.readouterr().err
        printed = capsys.readouterr().out
        outs[kind, "printed"] = printed.replace(str(outs[kind]), "OUT").replace(".xlsx", ".csv")
    csv_v = json.loads((outs["csv"] / "validation.json").read_text())
    book_v = json.loads((outs["xlsx"] / "validation.json").read_text())
    assert csv_v["summary"]["pipes_read"] == 300 and csv_v["summary"]["leaks_excluded"]["date_unparseable"] == 2
    assert normalised(book_v, {"pipes.xlsx": "pipes.csv", "leaks.xlsx": "leaks.csv"}) == normalised(csv_v, {})
    assert outs["xlsx", "printed"] == outs["csv", "printed"]
    pd.testing.assert_frame_equal(pd.read_csv(outs["xlsx"] / "risk.csv"), pd.read_csv(outs["csv"] / "risk.csv"))
    inputs = json.loads((outs["xlsx"] / "manifest.json").read_text())["inputs"]
    assert inputs["pipes"]["sha256"] == file_sha256(book_p) and inputs["leaks"]["sha256"] == file_sha256(book_l)


def test_check_and_backtest_read_workbooks_as_csvs(tmp_path, capsys):
    pipes, leaks = sample_subset(tmp_path)
    books = (as_excel_stores_it(pipes, tmp_path / "pipes.xlsm"),       # a macro-enabled name reads the same
             as_excel_stores_it(leaks, tmp_path / "leaks.xlsx", dates=("date",)))
    said = {}
    for kind, (p, l) in {"csv": (pipes, leaks), "xlsx": books}.items():
        assert main(["-q", "check", "--pipes", str(p), "--leaks", str(l)]) == 0
        said[kind] = capsys.readouterr().out.replace(".xlsm", ".csv").replace(".xlsx", ".csv")
        assert main(["-q", "backtest", "--pipes", str(p), "--leaks", str(l), "--cutoff", "2020-01-01",
                     "--out", str(tmp_path / f"bt_{kind}")]) == 0, capsys.readouterr().err
        capsys.readouterr()
    assert said["xlsx"] == said["csv"] and "300" in said["csv"]
    result = {kind: json.loads((tmp_path / f"bt_{kind}" / "backtest.json").read_text()) for kind in ("csv", "xlsx")}
    assert result["xlsx"]["n_test_leaks"] == result["csv"]["n_test_leaks"] > 0
    assert result["xlsx"]["model"]["capture"] == result["csv"]["model"]["capture"]


def write_book(path: Path, sheets: dict[str, list[list]], *, hidden: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


REGISTER = [["pipe_id", "material", "diameter_mm", "install_year", "length_m"],
            [1001, "PVC", 110, 1985, 120.5], [1002, "CI", 150, 1962, 80.0], [1003, "AC", 200, 1970, 45.0]]
BREAKS = [["date", "pipe_id"], [dt.datetime(2015, 3, 12), 1001], [dt.datetime(2018, 11, 2), 1003],
          [dt.datetime(2019, 1, 7), None], [dt.datetime(2020, 6, 30), 1003]]


def with_float_cells(book: Path) -> Path:
    """The workbook with its whole numbers written as 1001.0 (as some writers store them: openpyxl reads them
    as floats)."""
    with zipfile.ZipFile(book) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            parts[name] = re.sub(rb'(t="n"><v>)(\d+)(</v>)', rb"\1\2.0\3", data)
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return book


@pytest.mark.parametrize("floats", [False, True])
def test_ids_excel_stored_as_numbers_match_the_leak_files_text_ids(tmp_path, floats):
    book = write_book(tmp_path / "pipes.xlsx", {"Mains": REGISTER})
    breaks = write_book(tmp_path / "breaks.xlsx", {"Breaks": BREAKS})   # one blank pipe_id: a float column
    if floats:
        with_float_cells(book)
        with_float_cells(breaks)
        assert isinstance(openpyxl.load_workbook(book)["Mains"]["A2"].value, float)
    pipes, _ = read_pipes(book)
    leaks = read_leaks(breaks)
    assert pipes["pipe_id"].tolist() == ["1001", "1002", "1003"]
    # an ID is read as written, as from a CSV: a pipe named "NA" is that pipe, not a missing ID
    named = read_pipes(write_book(tmp_path / "named.xlsx", {"Mains": [*REGISTER, ["NA", "PE", 90, 2001, 10.0]]}))[0]
    assert named["pipe_id"].tolist() == ["1001", "1002", "1003", "NA"]
    assert leaks["pipe_id"].tolist()[:2] == ["1001", "1003"] and pd.isna(leaks["pipe_id"].iloc[2])
    (tmp_path / "leaks.csv").write_text("date,pipe_id\n2015-03-12,1001\n2018-11-02,1003\n2020-06-30,1003\n")
    for leak_file in (breaks, tmp_path / "leaks.csv"):   # the register's IDs match leaks written as text
        utility = load_utility(book, leak_file, as_of="2021-01-01")
        assert sorted(utility.leaks["pipe_id"]) == ["1001", "1003", "1003"]


def test_date_cells_are_read_as_dates_for_leaks_and_install_years(tmp_path):
    register = [REGISTER[0]] + [[r[0], r[1], r[2], dt.datetime(r[3], 5, 14), r[4]] for r in REGISTER[1:]]
    pipes, _ = read_pipes(write_book(tmp_path / "pipes.xlsx", {"Mains": register}))
    assert pipes["install_year"].tolist() == [1985, 1962, 1970]
    leaks = read_leaks(write_book(tmp_path / "breaks.xlsx", {"Breaks": BREAKS}))
    assert pd.api.types.is_datetime64_any_dtype(leaks["date"])
    dates, guessed = parse_dates(leaks["date"])
    assert dates.tolist() == [pd.Timestamp("2015-03-12"), pd.Timestamp("2018-11-02"), pd.Timestamp("2019-01-07"),
                              pd.Timestamp("2020-06-30")] and not guessed.any()
    # install dates: a pipe laid after the as-of date is told as such, from its day (a date cell)
    utility = load_utility(tmp_path / "pipes.xlsx", tmp_path / "breaks.xlsx", as_of="1985-03-01")
    assert "1001" not in set(utility.pipes["pipe_id"])
    # a date typed as text in a column of date cells is read too (as the CSV's text)
    mixed = [["date", "pipe_id"], [dt.datetime(2015, 3, 12), 1001], ["24/07/2016", 1003]]
    dates, _ = parse_dates(read_leaks(write_book(tmp_path / "mixed.xlsx", {"Breaks": mixed}))["date"])
    assert dates.tolist() == [pd.Timestamp("2015-03-12"), pd.Timestamp("2016-07-24")]


def test_a_title_above_the_header_and_notes_below_the_table_are_left_out(tmp_path, caplog):
    titled = [["Asset register, water mains"], ["Exported", dt.datetime(2024, 3, 1)], [], *REGISTER, [],
              ["Source: GIS export, March 2024"]]
    caplog.set_level("INFO", logger="leakopt.io.workbook")
    pipes, _ = read_pipes(write_book(tmp_path / "pipes.xlsx", {"Mains": titled}))
    assert pipes["pipe_id"].tolist() == ["1001", "1002", "1003"] and "Unnamed: 0" not in pipes
    assert "row 4 is the header" in caplog.text and "Asset register, water mains" in caplog.text
    assert "the notes below the table, after a blank row, are left out: Source: GIS export" in caplog.text
    # under raw names (mapped by the configuration), the title is still told from the header
    raw = [["Breaks 2015-2020"], ["BRK_DATE", "MAIN"], *BREAKS[1:]]
    leaks = read_leaks(write_book(tmp_path / "breaks.xlsx", {"B": raw}), columns={"date": "BRK_DATE",
                                                                                  "pipe_id": "MAIN"})
    assert len(leaks) == 4 and leaks["pipe_id"].iloc[0] == "1001"
    # a header in the first row is the header, even over wider rows (a comment column without a name)
    wide = [["date", "pipe_id"], [dt.datetime(2015, 3, 12), 1001, "seen by the crew"]]
    leaks = read_leaks(write_book(tmp_path / "wide.xlsx", {"B": wide}))
    assert leaks.columns.tolist() == ["date", "pipe_id", "Unnamed: 2"] and len(leaks) == 1


def test_formatted_and_merged_blank_rows_below_the_table_are_not_pipes(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in REGISTER:
        ws.append(row)
    for r in range(5, 40):   # borders drawn down the sheet, a merged block, cells holding only spaces
        for c in range(1, 6):
            ws.cell(r, c).border = openpyxl.styles.Border(bottom=openpyxl.styles.Side(style="thin"))
    ws.merge_cells("A41:E43")
    ws["B45"] = "   "
    wb.save(tmp_path / "pipes.xlsx")
    pipes, _ = read_pipes(tmp_path / "pipes.xlsx")
    assert pipes["pipe_id"].tolist() == ["1001", "1002", "1003"]


def test_several_sheets_holding_a_table_are_named_or_refused_listing_them(tmp_path, capsys):
    codes = [["code", "label"], ["PVC", "polyvinyl chloride"]]
    book = write_book(tmp_path / "utility.xlsx", {"Notes": [["Read me"], ["Exported 2024-03-01"]], "Mains": REGISTER,
                                                   "Breaks": BREAKS, "Empty": [], "Codes": codes}, hidden=("Codes",))
    assert workbook_sheets(book)[:4] == [("Notes", 2, False), ("Mains", 4, False), ("Breaks", 5, False),
                                         ("Empty", 0, False)]
    (tmp_path / "leaks.csv").write_text("date,pipe_id\n2015-03-12,1001\n")
    args = ["-q", "check", "--pipes", str(book), "--leaks", str(tmp_path / "leaks.csv")]
    assert main(args) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert ("utility.xlsx has 3 sheets holding a table: 'Mains' (4 non-blank rows), 'Breaks' (5 non-blank rows), "
            "'Codes' (2 non-blank rows, hidden); say which one to read: give its name with --layer NAME, or with "
            'sheet = "NAME" in the [columns] table of the configuration') in err and "Traceback" not in err
    with pytest.raises(InputError) as info:
        read_pipes(book)
    assert "a 3 feuilles contenant une table : 'Mains' (4 lignes non vides), 'Breaks' (5 lignes non vides)" in \
        french_error(info.value).replace("\u00a0", " ")
    assert main([*args, "--out", str(tmp_path / "checked"), "--layer", "Mains"]) == 0
    assert "Pipes: 3 read" in capsys.readouterr().out
    said = [i for i in json.loads((tmp_path / "checked" / "validation.json").read_text())["issues"]
            if i["code"] == "pipes_sheet_read"]   # a sheet, named as a sheet is (not a GIS file's layer)
    assert said and said[0]["message"].endswith(
        "the register was read from its sheet 'Mains', one of its 5 sheets (Notes, Mains, Breaks, Empty, Codes); "
        'choose another with --layer or with sheet = "NAME" in the [columns] table of the configuration')
    # the leak history's sheet: [leak_columns] sheet of the configuration, or read_leaks(sheet=)
    with pytest.raises(InputError, match=r'sheet = "NAME" in the \[leak_columns\] table'):
        read_leaks(book)
    config = tmp_path / "c.toml"
    config.write_text('[columns]\nsheet = "mains"\n[leak_columns]\nsheet = "Breaks"\n')
    assert main(["-q", "check", "--pipes", str(book), "--leaks", str(book), "--config", str(config), "--out",
                 str(tmp_path / "both")]) == 0
    assert "Leaks: 4 read" in capsys.readouterr().out
    said = {i["code"]: i["message"] for i in json.loads((tmp_path / "both" / "validation.json").read_text())["issues"]}
    assert said["leaks_sheet_read"].endswith(   # the leak history's sheet is said as the register's is
        "the leak history was read from its sheet 'Breaks', one of its 5 sheets (Notes, Mains, Breaks, Empty, "
        'Codes); choose another with sheet = "NAME" in the [leak_columns] table of the configuration')
    assert "pipes_sheet_read" in said
    french = {i["code"]: i.get("message_fr") for i in
              json.loads((tmp_path / "both" / "validation.json").read_text())["issues"]}
    assert "l’historique des fuites a été lu dans sa feuille 'Breaks', une de ses 5 feuilles" in french[
        "leaks_sheet_read"]
    assert "l’inventaire a été lu dans sa feuille 'mains'" in french["pipes_sheet_read"].casefold()
    assert read_leaks(book, sheet="Breaks")["pipe_id"].tolist()[:2] == ["1001", "1003"]
    with pytest.raises(InputError, match=r"has no sheet named 'Leaks'; its sheets: 'Notes' \(2 non-blank rows\), "
                                         r".*'Empty' \(empty\), 'Codes' \(2 non-blank rows, hidden\)"):
        read_leaks(book, sheet="Leaks")
    # a hidden sheet (a lookup list), a sheet of notes and empty ones do not count: the one table is read
    one = write_book(tmp_path / "one.xlsx", {"Read me": [["Asset register"], ["Exported 2024-03-01"]],
                                             "Sheet1": [], "Mains": REGISTER, "Codes": codes}, hidden=("Codes",))
    assert len(read_pipes(one)[0]) == 3


def test_formulas_are_read_as_computed_and_a_workbook_never_computed_is_refused(tmp_path, capsys):
    rows = [REGISTER[0] + ["age"]] + [r + [f"=2024-D{i}"] for i, r in enumerate(REGISTER[1:], start=2)]
    book = write_book(tmp_path / "pipes.xlsx", {"Mains": rows})   # openpyxl stores no computed value
    (tmp_path / "leaks.csv").write_text("date,pipe_id\n2015-03-12,1001\n")
    assert main(["-q", "check", "--pipes", str(book), "--leaks", str(tmp_path / "leaks.csv")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert ("pipes.xlsx, sheet 'Mains': 3 formula cells have no computed value (e.g. cell F2): the workbook was "
            "written by a program that does not calculate formulas") in err and "Traceback" not in err
    with zipfile.ZipFile(book) as z:   # as Excel saves it: each formula with its value
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<c r="F(\d)"><f>2024-D\d</f><v\s*/>',
                          lambda m: b'<c r="F%s"><f>2024-D%s</f><v>%d</v>' % (
                              m.group(1), m.group(1), 2024 - REGISTER[int(m.group(1)) - 1][3]), parts[sheet])
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert read_pipes(book)[0]["age"].tolist() == [39, 62, 54]


def ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


def encrypted(path: Path) -> Path:
    """The head of a password-protected Office file: an OLE2 container whose directory names an
    ``EncryptedPackage`` stream (as Excel writes one)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00") + bytes(64)
    path.write_bytes(header + bytes(512) + entry + bytes(1024))
    return path


def damaged(path: Path, book: Path) -> Path:
    path.write_bytes(book.read_bytes()[: book.stat().st_size // 2])   # a download cut halfway
    return path


def old_xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))   # an OLE2 container, as Excel 97-2003 wrote
    return path


@pytest.mark.parametrize("make, says, fr", [
    (lambda p, b: old_xls(p / "old.xls"),
     ("old.xls is an Excel 97-2003 workbook (.xls), which leakopt does not read: open it in Excel or LibreOffice and "
      "save it as an Excel workbook (.xlsx), or save the sheet as CSV"),
     "old.xls est un classeur Excel 97-2003 (.xls), que leakopt ne lit pas"),
    (lambda p, b: ods(p / "calc.ods"),
     ("calc.ods is an OpenDocument spreadsheet (.ods), which leakopt does not read: open it in Excel or LibreOffice "
      "and save it as an Excel workbook (.xlsx), or save the sheet as CSV"),
     "calc.ods est un classeur OpenDocument (.ods), que leakopt ne lit pas"),
    (lambda p, b: encrypted(p / "locked.xlsx"),
     ("locked.xlsx is a password-protected (encrypted) workbook, which leakopt cannot open: open it in Excel, "
      "remove the password"),
     "locked.xlsx est un classeur protégé par mot de passe (chiffré)"),
    (lambda p, b: damaged(p / "cut.xlsx", b),
     "is a spreadsheet workbook (.xlsx) or a zip archive that cannot be read (",
     "est un classeur de tableur (.xlsx) ou une archive zip illisible ("),
])
def test_workbooks_leakopt_does_not_read_are_refused_with_what_to_do(tmp_path, capsys, make, says, fr):
    book = write_book(tmp_path / "good.xlsx", {"Breaks": BREAKS * 200})
    bad = make(tmp_path, book)
    pipes = write_book(tmp_path / "pipes.xlsx", {"Mains": REGISTER})
    for role, args in (("leaks", ["--pipes", str(pipes), "--leaks", str(bad)]),
                       ("pipes", ["--pipes", str(bad), "--leaks", str(book)])):
        assert main(["-q", "check", *args]) == 2, role
        err = " ".join(capsys.readouterr().err.split())
        assert says in err and "Traceback" not in err and "columns found" not in err, err
    with pytest.raises(InputError) as info:
        read_leaks(bad)
    assert fr in french_error(info.value).replace("\u00a0", " ")


def test_a_zip_archive_of_a_csv_is_told_to_be_extracted(tmp_path):
    with zipfile.ZipFile(tmp_path / "leaks.csv.zip.csv", "w") as z:   # a zip whatever its name says
        z.writestr("leaks.csv", "date,pipe_id\n2015-03-12,1001\n")
    with pytest.raises(InputError, match=r"is a zip archive \(holding leaks.csv\), not a table: extract the CSV"):
        read_leaks(tmp_path / "leaks.csv.zip.csv")


def test_a_csv_named_xlsx_and_a_workbook_named_csv_are_read_by_their_content(tmp_path):
    (tmp_path / "export.xlsx").write_text("pipe_id;material;install_year\nA1;PVC;1990\n")   # "export to Excel"
    assert read_pipes(tmp_path / "export.xlsx")[0]["pipe_id"].tolist() == ["A1"]
    book = write_book(tmp_path / "book.xlsx", {"Mains": REGISTER})
    (tmp_path / "pipes.csv").write_bytes(book.read_bytes())
    assert read_pipes(tmp_path / "pipes.csv")[0]["pipe_id"].tolist() == ["1001", "1002", "1003"]


def test_a_workbook_that_misstates_its_size_is_read_whole(tmp_path):
    # some writers say "A1" (or nothing) for the sheet's extent: read as stated, rows came out one cell wide
    book = write_book(tmp_path / "pipes.xlsx", {"Mains": REGISTER})
    with zipfile.ZipFile(book) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>',
                                               parts["xl/worksheets/sheet1.xml"])
    assert b'<dimension ref="A1"/>' in parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    pipes, _ = read_pipes(book)
    assert pipes["length_m"].tolist() == [120.5, 80.0, 45.0] and pipes["material"].tolist() == ["PVC", "CI", "AC"]


def test_layer_comes_before_the_configurations_sheet_and_says_so(tmp_path, caplog):
    book = write_book(tmp_path / "utility.xlsx", {"Mains": REGISTER, "Breaks": BREAKS})
    with caplog.at_level(logging.WARNING, logger="leakopt"):
        frame, _ = read_pipes(book, columns={"sheet": "Breaks"}, layer="Mains")
    assert len(frame) == 3
    assert any("--layer 'Mains' is read, not sheet = 'Breaks' of [columns]" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="leakopt"):
        read_pipes(book, columns={"sheet": "mains"}, layer="Mains")   # the same sheet: nothing to say
    assert not caplog.records


def test_a_sheet_not_in_the_workbook_is_refused_saying_how_to_name_one_and_names_are_quoted_alike(tmp_path):
    book = write_book(tmp_path / "réseau.xlsx", {"Notes": [["Read me"]], "Conduites d'eau": REGISTER,
                                                 "Fuites": BREAKS})
    with pytest.raises(InputError) as info:
        read_pipes(book, layer="Canalisations")
    said = " ".join(str(info.value).split())
    assert said.endswith("has no sheet named 'Canalisations'; its sheets: 'Notes' (1 non-blank row), 'Conduites d'eau' "
                         "(4 non-blank rows), 'Fuites' (5 non-blank rows). Give its name with --layer NAME, or with "
                         'sheet = "NAME" in the [columns] table of the configuration, with one of these names')
    with pytest.raises(InputError) as info:
        read_leaks(book, sheet="Breaks")
    assert "Give its name with sheet = \"NAME\" in the [leak_columns] table" in str(info.value)
    assert "'Conduites d'eau' (4 lignes non vides)" in french_error(info.value).replace("\u00a0", " ")


def test_a_sheet_named_for_a_csv_is_said_unused(tmp_path, caplog):
    (tmp_path / "pipes.csv").write_text("pipe_id,material,install_year\nA1,PVC,1990\n")
    pipes, _ = read_pipes(tmp_path / "pipes.csv", columns={"sheet": "Mains"})   # not a column to rename
    assert pipes["pipe_id"].tolist() == ["A1"] and "sheet" not in pipes
    assert "pipes.csv is not a workbook: sheet = 'Mains' in [columns] is not used" in caplog.text

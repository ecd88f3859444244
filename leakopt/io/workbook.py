"""Excel workbooks (.xlsx, .xlsm) given for a table: which sheet, where its header is, its cells as values.

Utilities export their asset register and break records from Excel.  A workbook is read with openpyxl
(streamed, ``read_only``), its formulas as Excel last computed them:

- the sheet: the one named by the caller, else the only one holding a table (a row of two cells or more:
  a sheet of notes holds none; hidden sheets, often lookup lists, count only when no visible sheet holds
  one); several sheets holding a table and none named is an :class:`~leakopt.errors.InputError` listing
  them with their rows;
- the header: the first non-blank row, unless it is a title (a row of one or two cells over a wider
  one, or one that names none of the table's columns over one that does), left out and logged;
- the cells as Excel stores them: numbers as numbers, dates as dates, an ID column as text ("1001" for
  1001 and 1001.0, as the leak file writes it), a column that mixes kinds (numbers with text) as text,
  as a CSV export would give it; blank rows, and a one-cell note below the table, left out.

Workbooks leakopt does not read (.xls, .ods, .xlsb, password-protected, damaged) are refused by
:func:`is_workbook` with what to do, never a traceback.
"""
from __future__ import annotations

import datetime as dt
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int, in_french, singular
from leakopt.io.columns import column_for
from leakopt.io.gis import LAYER_READ

log = logging.getLogger(__name__)

#: The first bytes of a zip archive (an .xlsx is one) and of an OLE2 compound file (.xls, encrypted .xlsx).
#: ``attrs`` key of a table read from a workbook's sheet chosen among several (beside :data:`LAYER_READ`).
SHEET_READ = "leakopt_sheet_read"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Names of workbooks read by content as well as by name.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
#: The stream an encrypted (password-protected) Office file keeps its content in, as its directory names it.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

#: What an error reading a damaged workbook raises, from the zip layer to openpyxl's XML parsing.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, IndexError, SyntaxError, EOFError,
               OSError)

#: A row with at most this many cells over a wider one is a title (with a wider one: at least 2 cells more
#: when it has 2).
TITLE_CELLS = 2
#: The leading rows searched for the header.
HEADER_SEARCH = 10

_SAVE_EN = "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx), or save the sheet as CSV"
_SAVE_FR = ("ouvrez-le dans Excel ou LibreOffice et enregistrez-le en classeur Excel (.xlsx), ou enregistrez la "
            "feuille en CSV")
#: Formats refused, by what says they are one: (English, French) of what the file is.
_REFUSED = {
    "xls": ("an Excel 97-2003 workbook (.xls)", "un classeur Excel 97-2003 (.xls)"),
    "ods": ("an OpenDocument spreadsheet (.ods)", "un classeur OpenDocument (.ods)"),
    "xlsb": ("an Excel binary workbook (.xlsb)", "un classeur Excel binaire (.xlsb)"),
}


class Sheet(NamedTuple):
    """A worksheet of a workbook (:func:`workbook_sheets`): its name, its non-blank rows, hidden or not."""
    name: str
    rows: int
    hidden: bool = False


# --- what the file is ---------------------------------------------------------------------------

def is_workbook(path: Path) -> bool:
    """Whether ``path`` is an Excel workbook leakopt reads (.xlsx, .xlsm), by its content whatever its name.

    A spreadsheet it does not read (.xls, .ods, .xlsb), a password-protected workbook, a damaged one and a
    zip archive of other files are an :class:`InputError` that says what to do; any other file (a CSV) is
    not a workbook, False."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return False   # the CSV reader says why it cannot be read
    if head.startswith(OLE_MAGIC):
        if _encrypted(path):
            raise InputError(
                f"{path} is a password-protected (encrypted) workbook, which leakopt cannot open: open it in "
                "Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear "
                "it) and save it, or save the sheet as CSV, then give that file",
                fr=f"{path} est un classeur protégé par mot de passe (chiffré), que leakopt ne peut pas ouvrir : "
                   "ouvrez-le dans Excel, retirez le mot de passe (Fichier > Informations > Protéger le classeur > "
                   "Chiffrer avec mot de passe, puis effacez-le) et enregistrez-le, ou enregistrez la feuille en "
                   "CSV, puis donnez ce fichier")
        _refuse(path, "xls")
    if not head.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except READ_ERRORS as exc:
        raise _damaged(path, exc) from exc
    if "xl/workbook.xml" in names or any(n.startswith("xl/worksheets/") and n.endswith(".xml") for n in names):
        return True
    if "xl/workbook.bin" in names:
        _refuse(path, "xlsb")
    if b"opendocument.spreadsheet" in mimetype:
        _refuse(path, "ods")
    inside = ", ".join(sorted(n for n in names if not n.endswith("/"))[:5])
    raise InputError(f"{path} is a zip archive (holding {inside or 'nothing'}), not a table: extract the CSV or the "
                     "workbook it holds, and give that file",
                     fr=f"{path} est une archive zip (qui contient {inside or 'rien'}), pas une table : extrayez-en "
                        "le CSV ou le classeur, et donnez ce fichier")


def _encrypted(path: Path) -> bool:
    """Whether an OLE2 file holds an encrypted Office document (its ``EncryptedPackage`` stream)."""
    size = 1 << 20
    with open(path, "rb") as f:
        tail = b""
        while chunk := f.read(size):
            if _ENCRYPTED in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED):]
    return False


def _refuse(path: Path, kind: str):
    en, fr = _REFUSED[kind]
    raise InputError(f"{path} is {en}, which leakopt does not read: {_SAVE_EN} (\"CSV UTF-8\"), then give that file",
                     fr=f"{path} est {fr}, que leakopt ne lit pas : {_SAVE_FR} (« CSV UTF-8 »), puis donnez ce "
                        "fichier")


def _damaged(path: Path, exc: BaseException) -> InputError:
    """The error of a workbook (or a zip archive) that cannot be opened or read to its end."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return InputError(f"{path} is a spreadsheet workbook (.xlsx) or a zip archive that cannot be read ({reason}): "
                      "the file is damaged or incomplete. Open it in Excel or LibreOffice and save it again as "
                      ".xlsx, or save the sheet as CSV, then give that file",
                      fr=f"{path} est un classeur de tableur (.xlsx) ou une archive zip illisible ({reason}) : le "
                         "fichier est endommagé ou incomplet. Ouvrez-le dans Excel ou LibreOffice et "
                         "enregistrez-le de nouveau en .xlsx, ou enregistrez la feuille en CSV, puis donnez ce "
                         "fichier")


# --- the sheets -------------------------------------------------------------------------------------

@contextmanager
def _opened(path: Path):
    """The workbook, streamed (``read_only``), its formulas' computed values (``data_only``)."""
    from openpyxl import load_workbook
    # a file object: openpyxl refuses a workbook by its name's ending (a .xlsx saved as "pipes.csv")
    with open(path, "rb") as handle:
        try:
            wb = load_workbook(handle, read_only=True, data_only=True)
        except READ_ERRORS as exc:
            raise _damaged(path, exc) from exc
        try:
            yield wb
        finally:
            wb.close()


def _filled(row: tuple) -> bool:
    return any(v is not None and (not isinstance(v, str) or v.strip()) for v in row)


def _sheet_rows(path: Path, ws) -> list[tuple[int, tuple]]:
    """The non-blank rows of a worksheet, each with its row number in the sheet (from 1)."""
    ws.reset_dimensions()   # some writers give no size, or a wrong one: read every cell there is
    try:
        return [(i, row) for i, row in enumerate(ws.iter_rows(values_only=True), start=1) if _filled(row)]
    except READ_ERRORS as exc:
        raise _damaged(path, exc) from exc


def workbook_sheets(path) -> list[Sheet]:
    """The worksheets of a workbook, in order, with their non-blank rows (for a choice of sheet)."""
    path = Path(path)
    with _opened(path) as wb:
        return [Sheet(ws.title, len(_sheet_rows(path, ws)), ws.sheet_state != "visible") for ws in wb.worksheets]


def _rows_said(n: int, lang: str) -> str:
    """"4 non-blank rows", "1 non-blank row", "empty" (French: "4 lignes non vides", "1 ligne non vide", "vide")."""
    if lang == "fr":
        plural = "" if singular(n, "fr") else "s"
        return f"{fmt_int(n, 'fr')} ligne{plural} non vide{plural}" if n else "vide"
    return f"{fmt_int(n)} non-blank row{'' if n == 1 else 's'}" if n else "empty"


def _listing(sheets: list[Sheet], lang: str) -> str:
    """The sheets as a message lists them: "'Mains' (4 non-blank rows), 'Codes' (2 non-blank rows, hidden)"."""
    hidden = ", masquée" if lang == "fr" else ", hidden"
    return ", ".join(f"{quoted(s.name)} ({_rows_said(s.rows, lang)}{hidden if s.hidden else ''})" for s in sheets)


def quoted(name) -> str:
    """A sheet's name between single quotes, as written: 'Mains', 'Conduites d'eau' (not Python's repr, which
    switches to double quotes for a name holding an apostrophe)."""
    return f"'{name}'"


#: How the register's sheet is chosen, and the leak file's (English, French), for messages.
CHOOSE_PIPES = ('give its name with --layer NAME, or with sheet = "NAME" in the [columns] table of the configuration',
                'donnez son nom avec --layer NOM, ou avec sheet = "NOM" dans la table [columns] de la configuration')
CHOOSE_LEAKS = ('give its name with sheet = "NAME" in the [leak_columns] table of the configuration',
                'donnez son nom avec sheet = "NOM" dans la table [leak_columns] de la configuration')


def _chosen(path: Path, wb, sheet: str | None, choose: tuple[str, str]) -> tuple[str, list[tuple[int, tuple]], list]:
    """The sheet to read (its name and non-blank rows), and the sheets it was chosen from: all of them when
    ``sheet`` names it, else those that hold a table."""
    sheets = list(wb.worksheets)
    if sheet is not None:
        ws = next((w for w in sheets if w.title == sheet), None) or next(
            (w for w in sheets if w.title.strip().casefold() == str(sheet).strip().casefold()), None)
        if ws is None:
            listing = [Sheet(w.title, len(_sheet_rows(path, w)), w.sheet_state != "visible") for w in sheets]
            exc = InputError(f"{path} has no sheet named {quoted(sheet)}; its sheets: {_listing(listing, 'en')}. "
                             f"{choose[0][0].upper()}{choose[0][1:]}, with one of these names",
                             fr=f"{path} n’a pas de feuille nommée {quoted(sheet)} ; ses feuilles : "
                                f"{_listing(listing, 'fr')}. {choose[1][0].upper()}{choose[1][1:]}, avec l’un de ces "
                                "noms")
            exc.sheet_missing = str(sheet)   # the sheet asked for, which a caller may offer to choose again
            exc.sheet_choice = choose        # which table's sheet it is (CHOOSE_PIPES or CHOOSE_LEAKS)
            raise exc
        return ws.title, _sheet_rows(path, ws), [w.title for w in sheets]
    read = [(ws, _sheet_rows(path, ws)) for ws in sheets]
    # a table has a row of two cells or more: a sheet of notes (one cell a row) holds none
    filled = [(ws, rows) for ws, rows in read if any(_count(r) > 1 for _, r in rows)] or [
        (ws, rows) for ws, rows in read if rows]
    visible = [(ws, rows) for ws, rows in filled if ws.sheet_state == "visible"]
    candidates = visible or filled
    if len(candidates) > 1:
        listing = [Sheet(ws.title, len(rows), ws.sheet_state != "visible") for ws, rows in filled]
        exc = InputError(f"{path} has {len(filled)} sheets holding a table: {_listing(listing, 'en')}; say which one "
                         f"to read: {choose[0]}",
                         fr=f"{path} a {len(filled)} feuilles contenant une table : {_listing(listing, 'fr')} ; "
                            f"indiquez laquelle lire : {choose[1]}")
        exc.sheet_choice = choose   # which table's sheet is to be named (CHOOSE_PIPES or CHOOSE_LEAKS)
        raise exc
    if not candidates:
        return (sheets[0].title if sheets else ""), [], []
    ws, rows = candidates[0]
    if len(sheets) > 1:
        log.info("%s: read its sheet %r, the only one holding a table", path, ws.title,
                 extra=in_french("%s : lu dans sa feuille %r, la seule qui contient une table"))
    return ws.title, rows, [w.title for w, _ in filled]


# --- the table --------------------------------------------------------------------------------------

def _count(row: tuple) -> int:
    return sum(1 for v in row if v is not None and (not isinstance(v, str) or v.strip()))


def _names(row: tuple, contract: tuple[str, ...], mapping: Mapping[str, str] | None) -> bool:
    """Whether a row's cells name one of the table's columns (as :func:`~leakopt.io.columns.apply_columns`
    finds them)."""
    cells = [v for v in row if isinstance(v, str)]
    return any(column_for(cells, name, mapping) is not None for name in contract)


def header_row(rows: list[tuple[int, tuple]], *, contract: tuple[str, ...] = (),
               mapping: Mapping[str, str] | None = None) -> int:
    """Index in ``rows`` (the non-blank rows) of the table's header: the first row that is not a title.

    A leading row is a title when it names none of the table's columns (``contract``, ``mapping``) and the
    next row either names one, or is wider: a single cell over two or more, two cells over four or more
    ("Asset register" and its export date over the column names)."""
    i = 0
    while i + 1 < min(len(rows), HEADER_SEARCH):
        row, below = rows[i][1], rows[i + 1][1]
        if _names(row, contract, mapping):
            break
        n, wider = _count(row), _count(below)
        if not ((n <= TITLE_CELLS and wider >= n + (1 if n == 1 else 2))
                or (wider >= 2 and _names(below, contract, mapping))):
            break
        i += 1
    return i


def _notes_below(rows: list[tuple[int, tuple]], width: int) -> int:
    """How many rows at the end of the table are notes: one cell of text each, below a blank row, in a table
    of three or more columns ("Source: GIS export, March 2024")."""
    if width < 3:
        return 0
    n = 0
    while n < len(rows) - 1 and _count(rows[-1 - n][1]) == 1 and any(
            isinstance(v, str) for v in rows[-1 - n][1]):
        n += 1
    # the notes are separated from the table by a blank row (a gap in the row numbers)
    while n and rows[-n][0] - rows[-n - 1][0] < 2:
        n -= 1
    return n


def cell_text(value) -> str | None:
    """A cell as text, as a CSV export writes it: a whole number without decimals (1001.0 is "1001"),
    a date as ISO (with its time when it has one)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)


#: Python types of cells that a column holds together without being read as text.
_KINDS = {int: "number", float: "number", bool: "bool", str: "text", dt.datetime: "date", dt.date: "date"}


def _column(values: list, *, text: bool, id_column: bool, na_values: frozenset) -> pd.Series:
    """A column's cells as a Series: text (an ID column, a column read as text, or one that mixes kinds of
    cells), else as pandas infers them."""
    kinds = {_KINDS.get(type(v), "other") for v in values if v is not None}
    if not kinds:
        return pd.Series(np.nan, index=range(len(values)), dtype=float)
    if text or id_column or len(kinds) > 1:
        values = [cell_text(v) for v in values]
        missing = {""} if id_column else na_values
        return pd.Series([None if v in missing else v for v in values], dtype=str)
    if kinds == {"text"}:
        values = [None if v in na_values else v for v in values]
    return pd.Series(values)


def _column_names(header: tuple, width: int) -> list[str]:
    """The header's cells as column names, pandas' way: "Unnamed: 3" for a blank one, "a.1" for a second "a"."""
    names, seen = [], {}
    for i in range(width):
        value = header[i] if i < len(header) else None
        name = cell_text(value) if value is not None and cell_text(value).strip() else f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def _said(rows: list[tuple[int, tuple]]) -> str:
    """Rows left out, as a log line quotes them: their cells, a row after another."""
    return "; ".join(" ".join(cell_text(v) for v in row if v is not None) for _, row in rows)


def _table(path: Path, sheet: str, rows: list[tuple[int, tuple]], *, contract, mapping, ids, text,
           na_values) -> pd.DataFrame:
    """The sheet's non-blank ``rows`` as a table: header found, titles above and notes below left out."""
    if not rows:
        return pd.DataFrame()
    at = header_row(rows, contract=contract, mapping=mapping)
    if at:
        log.info("%s, sheet %r: row %d is the header; the title above it is left out: %s", path, sheet,
                 rows[at][0], _said(rows[:at]),
                 extra=in_french("%s, feuille %r : la ligne %d est l’en-tête ; le titre au-dessus est écarté : %s"))
    header, body = rows[at][1], rows[at + 1:]
    width = max([len(header), *(len(r) for _, r in body)])
    notes = _notes_below(body, width)
    if notes:
        log.info("%s, sheet %r: the notes below the table, after a blank row, are left out: %s", path, sheet,
                 _said(body[-notes:]),
                 extra=in_french("%s, feuille %r : les notes sous la table, après une ligne vide, sont écartées : %s"))
        body = body[:-notes]
    names = _column_names(header, width)
    cells = list(zip(*(r + (None,) * (width - len(r)) for _, r in body))) or [()] * width
    ids = {column_for(names, name, mapping) for name in ids} - {None}
    text = set(names) if text is True else {column_for(names, name, mapping) for name in text} - {None}
    frame = pd.DataFrame({name: _column(list(values), text=name in text, id_column=name in ids,
                                        na_values=na_values)
                          for name, values in zip(names, cells)
                          if not name.startswith("Unnamed: ") or any(v is not None for v in values)})
    return frame


def _uncached_formulas(path: Path, sheet: str) -> tuple[int, str | None]:
    """The formula cells of ``sheet`` that hold no computed value (a workbook written by a program that does
    not calculate, never opened and saved in a spreadsheet since), and the first one's reference."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_parts(archive).get(sheet)
            if part is None:
                return 0, None
            data = archive.read(part)
    except READ_ERRORS:
        return 0, None
    if not _FORMULA_RE.search(data):
        return 0, None
    n, first = 0, None
    for found in _FORMULA_RE.finditer(data):
        start = None
        for start in _CELL_START_RE.finditer(data, max(0, found.start() - 400), found.start()):
            pass
        attrs = dict(_ATTR_RE.findall(start.group(1) or b"")) if start else {}
        end = _CELL_END_RE.search(data, found.end())
        value = _VALUE_RE.search(data, found.end(), end.start() if end else len(data))
        # no value, or an empty one (openpyxl writes <v />) where the formula gives no text
        if value is None or (not value.group(2) and attrs.get(b"t") != b"str"):
            n += 1
            if first is None:
                first = attrs.get(b"r", b"").decode() or None
    return n, first


_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_START_RE = re.compile(rb"<(?:\w+:)?c(\s[^>]*)?>")
_CELL_END_RE = re.compile(rb"</(?:\w+:)?c>")
#: A cached value: its element, and its text (empty for <v /> and <v></v>).
_VALUE_RE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*?)?(/>|>([^<]*))")
_ATTR_RE = re.compile(rb"\b(\w+)=\"([^\"]*)\"")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the archive's part that holds it, from the workbook and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for element in book.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        target = targets.get(rid, "")
        parts[element.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    return parts


def read_workbook(path, *, sheet: str | None = None, contract: tuple[str, ...] = (),
                  mapping: Mapping[str, str] | None = None, ids: tuple[str, ...] = (), text=(),
                  na_values=("",), choose: tuple[str, str] = CHOOSE_PIPES) -> pd.DataFrame:
    """A table from an Excel workbook (.xlsx, .xlsm): one sheet, its header found, its cells as values.

    Parameters
    ----------
    path : str or Path
    sheet : str, optional
        The sheet to read (its name; case and surrounding spaces ignored when no sheet has it exactly).
        Default: the only sheet holding a table (hidden sheets and sheets of notes do not count).
    contract : tuple of str
        The table's contract columns, found under ``mapping`` (contract name -> the file's column): a row
        that names one is the header, not a title.
    ids, text : tuple of str
        Contract names of the ID columns (text as written: "1001" for 1001 and 1001.0, only a blank is
        missing) and of columns read as text (``text=True``: all).
    na_values : collection of str
        Text read as missing, in the columns that are not IDs (the CSV reader's).
    choose : (str, str)
        How to name the sheet, English and French, said when several sheets hold a table.

    Returns
    -------
    DataFrame
        The sheet's columns, one row per non-blank row below the header; ``attrs[LAYER_READ]`` is (the
        sheet read, the sheets it was chosen from) when there were several, and ``attrs[SHEET_READ]`` says
        they are a workbook's sheets, not a GIS file's layers.
    """
    path = Path(path)
    with _opened(path) as wb:
        name, rows, among = _chosen(path, wb, sheet, choose)
    _check_calculated(path, name)
    frame = _table(path, name, rows, contract=contract, mapping=mapping, ids=ids, text=text,
                   na_values=frozenset(na_values))
    if len(among) > 1:
        frame.attrs[LAYER_READ] = (name, among)
        frame.attrs[SHEET_READ] = True
    log.info("%s: sheet %r read", path, name, extra=in_french("%s : feuille %r lue"))
    return frame


def _check_calculated(path: Path, sheet: str) -> None:
    """Refuse a sheet whose formulas hold no computed value: read, they would all be blank."""
    n, first = _uncached_formulas(path, sheet)
    if n:
        cell = f" (e.g. cell {first})" if first else ""
        cell_fr = f" (par exemple la cellule {first})" if first else ""
        raise InputError(
            f"{path}, sheet {quoted(sheet)}: {fmt_int(n)} formula cell{' has' if n == 1 else 's have'} no computed "
            f"value{cell}: the workbook was written by a program that does not calculate formulas and has not "
            "been opened and saved in a spreadsheet since. Open it in Excel or LibreOffice, save it, and give it "
            "again (or save the sheet as CSV)",
            fr=f"{path}, feuille {quoted(sheet)} : {fmt_int(n, 'fr')} cellule{'' if singular(n, 'fr') else 's'} de formule "
               f"n’{'a' if singular(n, 'fr') else 'ont'} pas de valeur calculée{cell_fr} : le classeur a été écrit "
               "par un programme qui ne calcule pas les formules, et n’a pas été ouvert et enregistré dans un "
               "tableur depuis. Ouvrez-le dans Excel ou LibreOffice, enregistrez-le et donnez-le de nouveau (ou "
               "enregistrez la feuille en CSV)")

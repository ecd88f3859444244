"""How a CSV file is written: its encoding, delimiter, header and compression, sniffed from its head.

Registers and leak files come from spreadsheets and GIS exports: UTF-8 or Windows-1252 or UTF-16,
commas or semicolons, sometimes compressed, sometimes not a CSV at all (a workbook, an image).
:func:`csv_format` says which, or why the file is not a table, so that every CSV reader of
:mod:`leakopt.io` reads them alike.
"""
from __future__ import annotations

import csv
import logging
import lzma
import re
import zlib
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french, os_reason

log = logging.getLogger(__name__)

#: The first bytes of files sometimes given where a CSV goes, and what they are (English, French).
BINARY_FORMATS = (
    (b"PK\x03\x04", "a spreadsheet workbook (.xlsx, .ods) or a zip archive",
     "un classeur de tableur (.xlsx, .ods) ou une archive zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)", "un classeur Excel 97-2003 (.xls)"),
    (b"SQLite format 3\x00", "an SQLite database (a GeoPackage?)", "une base SQLite (un GeoPackage ?)"),
    (b"PAR1", "a Parquet file", "un fichier Parquet"),
    (b"%PDF", "a PDF document", "un document PDF"),
    (b"\x89PNG", "a PNG image", "une image PNG"),
    (b"\xff\xd8\xff", "a JPEG image", "une image JPEG"),
    (b"GIF8", "a GIF image", "une image GIF"),
)

#: Compressed CSVs, which pandas reads: the first bytes and pandas' name of the compression.
COMPRESSIONS = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
#: File name endings of compressed files (``pipes.csv.gz``), without the dot.
COMPRESSED_SUFFIXES = ("gz", "bz2", "xz")

#: More control characters than this share of a file's head (NUL, and the others but tab, line and page
#: breaks) and it is not text.
BINARY_SHARE = 0.01


#: What a damaged compressed file raises when read.
DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)


#: pandas' reasons for refusing a CSV, in French (``re`` patterns, the first that matches).
_PARSER_REASONS_FR = (
    (r"Expected (\d+) fields in line (\d+), saw (\d+)",
     "la ligne {1} a {2} champs au lieu de {0} : un séparateur en trop, ou un texte qui contient le séparateur "
     "sans être entre guillemets ?"),
    (r"EOF inside string starting at row (\d+)", "un guillemet ouvert n’est jamais refermé"),
)


def parser_reason(exc: BaseException, lang: str = "en") -> str:
    """Why pandas could not read a CSV, as it says it (``lang="en"``), or in French for its common reasons;
    a reason without French is given as pandas wrote it."""
    words = " ".join(str(exc).split())
    if lang == "fr":
        for pattern, french in _PARSER_REASONS_FR:
            found = re.search(pattern, words)
            if found:
                return french.format(*found.groups())
    return words


class CsvFormat(NamedTuple):
    """How a CSV file is written (:func:`csv_format`)."""
    encoding: str
    sep: str
    header: list
    compression: str | None = None


def _compression(head: bytes) -> str | None:
    for magic, name in COMPRESSIONS:
        if head.startswith(magic) and (name != "bz2" or head[4:10] == b"1AY&SY"):
            return name
    return None


def _decompressed_head(path: Path, compression: str, size: int) -> bytes:
    import bz2
    import gzip
    opener = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}[compression]
    try:
        with opener(path, "rb") as f:
            return f.read(size)
    except DECOMPRESSION_ERRORS as exc:
        raise InputError(f"{path} is a {compression}-compressed file that cannot be decompressed ({exc}); "
                         "give the CSV itself",
                         fr=f"{path} est un fichier compressé ({compression}) qui ne peut pas être décompressé "
                            f"({exc}) ; donnez le CSV lui-même") from exc


def _control_share(text: str) -> float:
    """Share of control characters in ``text`` (a DOS end-of-file mark or NULs at the end not counted)."""
    body = text.rstrip("\x1a\x00")
    bad = sum(1 for ch in body if ch < " " and ch not in "\t\n\r\f\v")
    return bad / max(len(body), 1)


def csv_format(path: Path) -> CsvFormat | None:
    """The encoding, the delimiter, the column names and the compression of a CSV file (None when it is
    empty).

    The delimiter is sniffed (, ; tab |); the text is UTF-16 when it starts with its byte-order mark
    (Excel's "Unicode text"), else UTF-8 or Windows-1252.  A gzip, bz2 or xz file is read through its
    compression, whatever its name; a file of another kind (a workbook, an image, binary data) is an
    :class:`InputError` that says what it is."""
    size = 65536
    try:
        with open(path, "rb") as f:   # the head only: the file is read once, by pandas
            head = f.read(size)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}",
                         fr=f"impossible de lire {path} : {os_reason(exc, 'fr')}") from exc
    compression = _compression(head)
    if compression is not None:
        head = _decompressed_head(path, compression, size)
    if not head.strip():
        return None
    binary = next(((en, fr) for magic, en, fr in BINARY_FORMATS if head.startswith(magic)), None)
    if binary is not None:
        workbook = "workbook" in binary[0]
        fix = "open it and save the sheet as CSV" if workbook else "give the table as CSV"
        fix_fr = "ouvrez-le et enregistrez la feuille en CSV" if workbook else "donnez la table en CSV"
        raise InputError(f"{path} is {binary[0]}, not a CSV table: {fix} (\"CSV UTF-8\", comma- or "
                         "semicolon-separated), then give that file",
                         fr=f"{path} est {binary[1]}, pas une table CSV : {fix_fr} (« CSV UTF-8 », séparateur "
                            "virgule ou point-virgule), puis donnez ce fichier")
    encoding = "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif head.count(0) > len(head) // 4:   # UTF-16 without its mark: every other byte 0 in Latin text
        encoding = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:   # not just a character cut at the buffer's end
                encoding = "cp1252"
    text = head.decode(encoding, errors="ignore")
    if _control_share(text) > BINARY_SHARE:
        raise InputError(f"{path} holds binary data, not text: it is not a CSV table. Give the table as CSV "
                         "(\"CSV UTF-8\", comma- or semicolon-separated)",
                         fr=f"{path} contient des données binaires, pas du texte : ce n’est pas une table CSV. "
                            "Donnez la table en CSV (« CSV UTF-8 », séparateur virgule ou point-virgule)")
    first = text.splitlines()[0] if text.strip() else ""
    sep = max([",", ";", "\t", "|"], key=first.count)
    return CsvFormat(encoding, sep, next(csv.reader([first], delimiter=sep), []), compression)


def csv_named(path: Path) -> bool:
    """``.csv`` or ``.txt``, compressed or not (``sites.csv.gz``): a name read as a CSV table."""
    suffixes = [x.lower().lstrip(".") for x in Path(path).suffixes]
    if suffixes and suffixes[-1] in COMPRESSED_SUFFIXES:
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in ("csv", "txt")


def read_found(path: Path, found: CsvFormat, **kwargs) -> pd.DataFrame:
    """``pd.read_csv`` of ``path`` as :func:`csv_format` found it (``kwargs`` passed on).  A file that is UTF-8 in
    its head and not further on (the head is only 64 KiB) is read again as Windows-1252, and said."""
    how = {"sep": found.sep, "compression": found.compression, "low_memory": False, **kwargs}
    try:
        return pd.read_csv(path, encoding=found.encoding, **how)
    except UnicodeDecodeError:
        if found.encoding != "utf-8-sig":
            raise
        log.info("%s is not UTF-8 past its first 64 KiB: read as Windows-1252", path,
             extra=in_french("%s n’est pas en UTF-8 au-delà de ses 64 Kio initiaux : lu comme Windows-1252"))
        return pd.read_csv(path, encoding="cp1252", **how)

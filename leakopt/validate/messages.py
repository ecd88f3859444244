"""The validation messages in English and French: one template per issue code, filled with its facts.

:meth:`ValidationReport.add <leakopt.validate.report.ValidationReport.add>` takes an issue's
``params`` (counts, file and column names, examples) once and writes both ``message``
(English, as the command line prints it) and ``message_fr`` to ``validation.json``;
:func:`issue_message` reads back the one in the reader's language (English for run folders
written before the French ones existed).

Templates are :meth:`str.format` strings.  Numbers are written the language's way: a French
template's ``{n:,}`` gives ``1 234`` and ``{d:.1f}`` gives ``2,5``; ``{d:.1f|an|ans}`` adds the
word that agrees with the number ("1,5 an", "2,0 ans": French agrees from 2 on; English takes the
first word for exactly 1 only: "1 row", "0 rows"); ``{x:date}`` writes a date ISO in English and in
words in French ("1er janvier 2020").  A template may have a ``fr_1`` and an ``en_1`` form, used
when the count ``n`` is 1 ("1 fuite a", "1 leak has", not "1 leaks have").  A parameter may itself be
a :class:`Phrase` (a translated fragment of :data:`PHRASES`), a :class:`Joined` list of them,
or a :class:`Localized` string (a name such as "the pipes table", with its French).
"""
from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from leakopt.config import PARTIAL_TABLES
from leakopt.errors import MissingColumnsError
from leakopt.i18n import NBSP, NNBSP, check_lang, fmt_printed_date, french_spacing, singular
from leakopt.validate.templates import MESSAGES, PHRASES

# --- the pieces a message is built of -------------------------------------------------------


class Localized(str):
    """An English string that knows its French: ``Localized("the network", fr="le réseau")``.

    It is the English text everywhere a string is expected (``file=`` of an issue, logs);
    French messages use :attr:`fr`.
    """

    def __new__(cls, en: str, *, fr: str):
        obj = super().__new__(cls, en)
        obj.fr = fr
        return obj


@dataclass(frozen=True)
class Phrase:
    """A fragment of :data:`PHRASES` with its parameters, rendered in the message's language."""

    key: str
    params: Mapping = field(default_factory=dict)


def localized(key: str) -> Localized:
    """The name ``key`` of :data:`PHRASES` ("the network") as a :class:`Localized` string."""
    return Localized(render(key, "en", table=PHRASES), fr=render(key, "fr", table=PHRASES))


def phrase(key: str, **params) -> Phrase:
    """``phrase("keep_first")``: the fragment ``key`` of :data:`PHRASES`."""
    return Phrase(key, params)


@dataclass(frozen=True)
class Joined:
    """Items (strings or phrases) joined by ``sep`` (a string, or ``{"en": .., "fr": ..}``)."""

    items: tuple
    sep: str | Mapping = ", "


# --- rendering -------------------------------------------------------------------------------

class _Formatter(string.Formatter):
    """:meth:`str.format` in one language: numbers, dates, phrases and lists written its way."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, spec):
        if isinstance(value, (Phrase, Joined)) or (isinstance(value, Localized) and not spec):
            return self.text(value)
        if spec == "date":
            return fmt_printed_date(value, self.lang)
        spec, *words = spec.split("|")
        if hasattr(value, "item") and not isinstance(value, str):   # numpy scalars
            value = value.item()
        text = shown = format(value, spec)
        if self.lang == "fr" and isinstance(value, (int, float)) and not isinstance(value, bool):
            text = text.replace(",", NNBSP).replace(".", ",")
        if words:   # "|one|several": the word that agrees with the number as shown (French: below 2)
            one = singular(float(shown.replace(",", "")), self.lang)
            text += (NBSP if self.lang == "fr" else " ") + (words[0] if one else words[-1])
        return text

    def convert_field(self, value, conversion):
        if conversion == "r" and isinstance(value, Localized):
            return repr(str(self.text(value)))
        return super().convert_field(value, conversion)

    def text(self, value) -> str:
        if isinstance(value, Phrase):
            return render(value.key, self.lang, value.params, table=PHRASES)
        if isinstance(value, Joined):
            sep = value.sep if isinstance(value.sep, str) else value.sep[self.lang]
            return sep.join(self.text(v) for v in value.items)
        if isinstance(value, Localized):
            return value.fr if self.lang == "fr" else str(value)
        return str(value)


def render(key: str, lang: str, params: Mapping | None = None, *, table: Mapping = MESSAGES) -> str:
    """The text of ``key`` in ``lang``, filled with ``params``.

    Raises
    ------
    KeyError
        If ``key`` has no text in ``lang`` (nor in English), or a parameter is missing.
    """
    lang = check_lang(lang)
    entry, params = table[key], dict(params or {})
    text = entry.get(lang) if entry.get(lang) is not None else entry.get("en")
    if entry.get(f"{lang}_1") and params.get("n") == 1:    # the singular: "1 leak has", "1 fuite a"
        text = entry[f"{lang}_1"]
    if text is None:
        raise KeyError(f"{key!r} has no {lang} text")
    if lang == "fr":
        text = french_spacing(text)   # the typography i18n.translate gives every French template
    text = _Formatter(lang).format(text, **params)
    return _contract(text) if lang == "fr" else text


def _contract(text: str) -> str:
    """French contractions where a name with its article follows "de" or "à": "de le réseau" -> "du réseau"."""
    for loose, tight in (("de le ", "du "), ("de les ", "des "), ("à le ", "au "), ("à les ", "aux ")):
        text = re.sub(rf"\b{loose}", tight, text)
    return text


def translated(key: str, *, table: Mapping = MESSAGES) -> bool:
    """Whether ``key`` has a French text."""
    return bool((table.get(key) or {}).get("fr"))


# --- what the report and the app read ------------------------------------------------------

def issue_message(issue: Mapping, lang: str = "en") -> str:
    """An issue of ``validation.json`` in ``lang``: ``message_fr`` in French when there is one, else ``message``."""
    if check_lang(lang) == "fr" and issue.get("message_fr"):
        return str(issue["message_fr"])
    return str(issue.get("message", issue.get("code", "")))


def severity_label(severity, lang: str = "en") -> str:
    """``error``, ``warning``, ``info`` (the severities of ``validation.json``) as the report and the app
    name them in ``lang``: "serious", "to check", "information"; "grave", "à vérifier", "information"."""
    key = f"sev_{severity}"
    return render(key, lang, table=PHRASES) if key in PHRASES else str(severity)


def label(key: str, lang: str = "en") -> str:
    """A label of :data:`PHRASES` (``notes_heading``) in ``lang``."""
    return render(key, lang, table=PHRASES)


# --- French for texts written elsewhere ---------------------------------------------------------

def missing_column_params(exc, where: str, *, why: Phrase | str = "") -> dict:
    """The parameters of ``missing_column`` (French only) and ``missing_column_form`` from a
    :class:`~leakopt.errors.MissingColumnsError`; ``n`` the number of missing columns (singular for one).

    ``why``: the phrase of the ``why`` given to :func:`leakopt.io.columns.missing_columns_error`.
    """
    columns = [str(c) for c in exc.columns]
    shown = ", ".join(columns[:25])
    listed = phrase("columns_more", shown=shown, more=len(columns) - 25) if len(columns) > 25 else shown
    if exc.guesses:
        pairs = [f'{k} = "{v}"' for k, v in exc.guesses.items()]
        lines = Joined((Joined(tuple(pairs[:-1])), phrase("and"), pairs[-1]), sep="") if len(pairs) > 1 else pairs[0]
        unless = [k for k in exc.guesses if k in exc.optional]
        optional = ("optional_leak_columns" if exc.table == "leak_columns" else
                    "optional_network_one" if len(unless) == 1 else "optional_network")
        note = phrase(optional, columns=", ".join(unless)) if unless else ""
        hint = phrase("column_guess", pairs=lines, note=note)
    else:
        hint = phrase("column_example", column=exc.missing[0])
    return {"where": where, "missing": ", ".join(exc.missing), "n": len(exc.missing), "why": why,
            "columns": listed, "table": exc.table, "hint": hint}


def unused_table_params(table: str, *, where: str | None, command: str) -> dict | None:
    """The French parameters of ``config_table_not_used`` (:func:`leakopt.config.unused_tables`): ``where``
    the configuration file (None: given in code), ``command`` the command that does not read ``[table]``.
    None for a table leakopt does not describe: the English is then shown."""
    if table not in PARTIAL_TABLES or f"what_{table}" not in PHRASES:
        return None
    readers = [phrase(f"reader_{r}") if f"reader_{r}" in PHRASES else r for r in PARTIAL_TABLES[table][0]]
    return {"table": table, "command": command, "what": phrase(f"what_{table}"),
            "where": phrase("the_configuration") if where is None else str(where),
            "readers": Joined(tuple(Joined(("'leakopt ", r, "'"), sep="") for r in readers))}


def french_error(exc: BaseException) -> str | None:
    """The French of an input error, None when it has none (it is then shown in English).

    Its own (``InputError(..., fr=...)``, with French typography added), a data check's (its fatal
    issue's ``message_fr``), or a file's missing columns (written from the error's fields).
    """
    own = getattr(exc, "fr", None)
    if own:
        return french_spacing(own)
    report = getattr(exc, "report", None)
    fatal = [i for i in getattr(report, "issues", ()) if getattr(i, "fatal", False)]
    if fatal and fatal[-1].message == str(exc):
        return fatal[-1].message_fr
    if isinstance(exc, MissingColumnsError) and exc.where and not exc.why:
        return render("missing_column", "fr", missing_column_params(exc, exc.where))
    return None

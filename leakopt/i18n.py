"""Numbers and words in the reader's language (English or French).

English writes ``12,345.6``, ``12.5%`` and ``€1,200``; French writes
``12 345,6``, ``12,5 %`` and ``1 200 €`` with a narrow no-break space
(U+202F) between thousands and before the percent and euro signs, as the
Imprimerie nationale recommends, so numbers never break across lines.
Amounts are in euros unless a currency is given (``[renewal] currency``:
``$1,200`` / ``1 200 $``, ``CHF 1,200`` / ``1 200 CHF``; :func:`fmt_money`).

A log warning gives its French beside its English, and a command answering in French prints it
(:func:`in_french`, :class:`FrenchLog`)::

    log.warning("only %d leaks", n, extra=in_french("seulement %d fuites"))

The translation helper is a plain lookup in a table of the form
``{key: {"en": "...", "fr": "..."}}``; any module can keep its own table::

    >>> from leakopt.i18n import translate
    >>> table = {"hello": {"en": "Hello {name}", "fr": "Bonjour {name}"}}
    >>> translate(table, "hello", "fr", name="Lyon")
    'Bonjour Lyon'
"""
from __future__ import annotations

import errno
import logging
import math
import numbers
import re
from collections.abc import Mapping

from leakopt.errors import InputError

#: Languages the reports and messages are written in.
LANGUAGES = ("en", "fr")

#: Narrow no-break space: French thousands separator and before % and €.
NNBSP = "\u202f"
#: No-break space, between a number and its unit.
NBSP = "\u00a0"
#: Shown for a missing value (None or NaN).
MISSING = "–"


def check_lang(lang: str) -> str:
    """Return ``lang`` lower-cased if it is supported, else raise.

    Raises
    ------
    InputError
        If ``lang`` is not one of :data:`LANGUAGES`.
    """
    code = str(lang).strip().lower()
    if code not in LANGUAGES:
        raise InputError(f"language {lang!r} is not supported; expected one of {list(LANGUAGES)}",
                         fr=f"la langue {lang!r} n’est pas prise en charge ; langues possibles : {list(LANGUAGES)}")
    return code


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x, lang: str = "en", *, decimals: int = 0) -> str:
    """Format a number with the language's decimal mark and thousands separator.

    Parameters
    ----------
    x : float or int or None
        The value; None or NaN give :data:`MISSING`.
    lang : {"en", "fr"}
    decimals : int
        Digits after the decimal mark.

    Examples
    --------
    >>> fmt_number(12345.678, "en", decimals=1)
    '12,345.7'
    >>> fmt_number(12345.678, "fr", decimals=1) == "12\\u202f345,7"
    True
    """
    lang = check_lang(lang)
    if _missing(x):
        return MISSING
    text = f"{float(x):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]   # no "-0.0"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def fmt_short(x, lang: str = "en") -> str:
    """A number in its shortest form (``:g``: "5", "4.5", "1e-06") with the language's decimal mark: a value
    whose precision is not known, as a setting or an example written back to the user ("4,5" in French)."""
    text = f"{x:g}"
    return text.replace(".", ",") if check_lang(lang) == "fr" else text


def fmt_int(x, lang: str = "en") -> str:
    """Format a whole number (rounded) with the language's thousands separator."""
    return fmt_number(x, lang, decimals=0)


def fmt_percent(share, lang: str = "en", *, decimals: int = 1) -> str:
    """Format a share (0.125) as a percentage ("12.5%" / "12,5 %").

    Parameters
    ----------
    share : float
        A fraction: 1.0 is 100 %.
    """
    if _missing(share):
        return MISSING
    number = fmt_number(100.0 * float(share), lang, decimals=decimals)
    return f"{number}{NNBSP}%" if check_lang(lang) == "fr" else f"{number}%"


def fmt_length(metres, lang: str = "en", *, decimals: int | None = None) -> str:
    """Format a length given in metres, in km from 1 km up ("12.3 km", "850 m").

    Parameters
    ----------
    decimals : int, optional
        Digits after the decimal mark for kilometres; by default 1 below
        100 km and 0 above.
    """
    if _missing(metres):
        return MISSING
    m = float(metres)
    if abs(m) < 1000:
        return f"{fmt_number(m, lang)}{NBSP}m"
    km = m / 1000.0
    if decimals is None:
        decimals = 1 if abs(km) < 100 else 0
    return f"{fmt_number(km, lang, decimals=decimals)}{NBSP}km"


#: The sign written for an amount in a currency (ISO 4217 code): its symbol for those that have a common one.
#: The US and the Canadian dollar both write "$", as their own users write them (Québec: "850 000 $"): a run has
#: one currency, which the report names. Any other code is written as itself ("CHF 850,000" / "850 000 CHF").
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "CAD": "$", "GBP": "£"}

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def check_currency(code) -> str:
    """Return ``code`` upper-cased ("cad" -> "CAD") if it is an ISO 4217 currency code (three letters), else raise.

    Raises
    ------
    InputError
        If ``code`` is not three letters.
    """
    text = code.strip().upper() if isinstance(code, str) else ""
    if not _CURRENCY_CODE.fullmatch(text):
        raise InputError(f"currency {code!r} is not a three-letter ISO 4217 code such as 'EUR', 'CAD', 'USD', "
                         "'GBP' or 'CHF'",
                         fr=f"la monnaie {code!r} n’est pas un code ISO 4217 de trois lettres comme 'EUR', 'CAD', "
                            "'USD', 'GBP' ou 'CHF'")
    return text


def currency_sign(currency: str = "EUR") -> str:
    """How an amount's currency is written: "€", "$", "£" (:data:`CURRENCY_SIGNS`), else its code ("CHF")."""
    code = check_currency(currency)
    return CURRENCY_SIGNS.get(code, code)


def fmt_money(eur, lang: str = "en", *, compact: bool = True, currency: str = "EUR") -> str:
    """Format an amount ("€1.25 million" / "1,25 M€", "€850,000" / "850 000 €"), in euros by default.

    Parameters
    ----------
    eur : float
        The amount, in ``currency`` (the name stays from when leakopt knew only euros).
    compact : bool
        Write millions as "million" / "M€" from one million up, and billions as "billion" / "Md€", to
        three significant figures ("€1.25 million", "€47.8 million", "€250 million", "€2.50 billion").
    currency : str
        ISO 4217 code. A currency with a sign (:data:`CURRENCY_SIGNS`) is written as the euro is ("$1.25
        million", "$850,000"; French "1,25 M$", "850 000 $"); any other by its code, before the number in
        English ("CHF 1.25 million", "CHF 850,000") and after it in French ("1,25 million CHF", "47,8 millions
        CHF", "850 000 CHF"), a no-break space between number, word and code.

    Examples
    --------
    >>> fmt_money(850_000, "en", currency="cad")
    '$850,000'
    >>> fmt_money(1_250_000, "fr", currency="CHF") == "1,25\u00a0million\u00a0CHF"
    True
    """
    lang = check_lang(lang)
    code = check_currency(currency)
    if _missing(eur):
        return MISSING
    sign = CURRENCY_SIGNS.get(code)
    v = float(eur)
    if compact and abs(v) >= 1e6:
        scale, word, word_fr, unit = ((1e9, "billion", "milliard", "Md") if abs(v) >= 999.5e6
                                      else (1e6, "million", "million", "M"))
        x = v / scale
        decimals = 2 if abs(x) < 9.995 else 1 if abs(x) < 99.95 else 0
        n = fmt_number(x, lang, decimals=decimals)
        if sign is None:   # "CHF 1.25 million" / "1,25 million CHF", "2,50 milliards CHF"
            plural = "" if singular(round(x, decimals), "fr") else "s"
            return f"{code}{NBSP}{n}{NBSP}{word}" if lang == "en" else f"{n}{NBSP}{word_fr}{plural}{NBSP}{code}"
        return f"{sign}{n}{NBSP}{word}" if lang == "en" else f"{n}{NNBSP}{unit}{sign}"
    n = fmt_number(v, lang)
    if sign is None:
        return f"{code}{NBSP}{n}" if lang == "en" else f"{n}{NBSP}{code}"
    return f"{sign}{n}" if lang == "en" else f"{n}{NNBSP}{sign}"


def fmt_size(nbytes, lang: str = "en") -> str:
    """A file or memory size: "12 kB" / "12 ko" under a megabyte, "1.7 MB" / "1,7 Mo" above
    (1 kB = 1,024 bytes); French writes octets."""
    lang = check_lang(lang)
    if _missing(nbytes):
        return MISSING
    kb, mb = ("ko", "Mo") if lang == "fr" else ("kB", "MB")
    n = float(nbytes)
    if n < 1024 ** 2:
        return f"{fmt_number(max(n / 1024, 1.0) if n > 0 else 0, lang)}{NBSP}{kb}"
    return f"{fmt_number(n / 1024 ** 2, lang, decimals=1 if n < 100 * 1024 ** 2 else 0)}{NBSP}{mb}"


def fmt_seconds(seconds, lang: str = "en") -> str:
    """Format a duration: "0.8 s", "42 s", "3 min 20 s" (same units in French)."""
    if _missing(seconds):
        return MISSING
    s = float(seconds)
    if s < 10:
        return f"{fmt_number(s, lang, decimals=1)}{NBSP}s"
    if s < 120:
        return f"{fmt_number(s, lang)}{NBSP}s"
    minutes, rest = divmod(int(round(s)), 60)
    if minutes < 120:
        return f"{minutes}{NBSP}min{NBSP}{rest:02d}{NBSP}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}{NBSP}h{NBSP}{minutes:02d}{NBSP}min"


def translate(table: Mapping[str, Mapping[str, str]], key: str, lang: str = "en", **values) -> str:
    """Look up ``key`` in a string table and fill in ``values``.

    Parameters
    ----------
    table : mapping
        ``{key: {"en": text, "fr": text}}``; texts may hold ``{name}`` fields.
    key : str
    lang : {"en", "fr"}
        Falls back to English when the table has no text in ``lang``.
    **values
        Filled into the text with :meth:`str.format`.

    Raises
    ------
    KeyError
        If ``key`` is not in the table (a programming error, not a user one).
    """
    lang = check_lang(lang)
    entry = table[key]
    text = entry.get(lang) or entry["en"]
    if lang == "fr" and entry.get("fr"):
        text = french_spacing(text)
    return text.format(**values) if values else text


_FR_SPACE_BEFORE = re.compile(r" ([:;?!»])")
_FR_SPACE_AFTER = re.compile(r"« ")


def french_spacing(text: str) -> str:
    """French typography of a text written with plain spaces: a no-break space before ``: ; ? ! »``
    and after ``«``, a narrow one before ``%``, so a line never starts with the sign.

    Only the text's own spaces change (apply it to a template, before its values are filled in):

    >>> french_spacing("Zone prioritaire : 20 % du réseau ; « A »") == (
    ...     "Zone prioritaire\u00a0: 20\u202f% du réseau\u00a0; «\u00a0A\u00a0»")
    True
    """
    text = _FR_SPACE_BEFORE.sub(NBSP + r"\1", text)
    text = _FR_SPACE_AFTER.sub("«" + NBSP, text)
    return text.replace(" %", NNBSP + "%")


#: The French of the reasons the operating system gives most often (by ``errno``).
_OS_REASONS_FR = {
    errno.EACCES: "permission refusée", errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable", errno.EISDIR: "c’est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier", errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "système de fichiers en lecture seule", errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EEXIST: "le fichier existe déjà", errno.EBUSY: "fichier occupé par un autre programme",
}


def os_reason(exc: OSError, lang: str = "en") -> str:
    """The reason the operating system gives for ``exc`` ("Permission denied"), in ``lang``: its French
    for the common ones (:data:`_OS_REASONS_FR`), else the system's own words."""
    words = exc.strerror or str(exc)
    return _OS_REASONS_FR.get(exc.errno, words) if check_lang(lang) == "fr" else words


def singular(x, lang: str = "en") -> bool:
    """Whether the word after the number ``x`` (as written: round it first) takes the singular: French from
    0 up to below 2 ("0 conduite", "1,5 fuite"), English for exactly 1 ("0 pipes", "1 pipe")."""
    if _missing(x):
        return False
    v = abs(float(x))
    return v < 2 if check_lang(lang) == "fr" else v == 1


class Translator:
    """A string table bound to one language: ``t = Translator(table, "fr"); t("key")``.

    ``currency`` (ISO 4217, default "EUR": a run's ``[renewal] currency``) is the currency of the amounts
    :meth:`money` writes; a text holding ``{currency}`` ("Cost ({currency})") gets its sign
    (:func:`currency_sign`: "€", "$", "CHF") unless the call gives it.
    """

    def __init__(self, table: Mapping[str, Mapping[str, str]], lang: str = "en", *, currency: str = "EUR"):
        self.table = table
        self.lang = check_lang(lang)
        self.currency = check_currency(currency)

    def __call__(self, key: str, **values) -> str:
        if "currency" not in values and any("{currency}" in str(text) for text in self.table[key].values()):
            values["currency"] = currency_sign(self.currency)
        return translate(self.table, key, self.lang, **values)

    def counted(self, key: str, n, *, decimals: int = 0, **values) -> str:
        """``key`` with ``n`` written in this language, or ``key + "_1"`` (its singular form, when the table
        has one) when the number as written takes the singular (:func:`singular`)."""
        shown = round(float(n), decimals) if not _missing(n) else n
        if singular(shown, self.lang) and f"{key}_1" in self.table:
            key = f"{key}_1"
        return self(key, n=self.number(n, decimals=decimals), **values)

    def number(self, x, *, decimals: int = 0) -> str:
        """:func:`fmt_number` in this language."""
        return fmt_number(x, self.lang, decimals=decimals)

    def percent(self, share, *, decimals: int = 1) -> str:
        """:func:`fmt_percent` in this language."""
        return fmt_percent(share, self.lang, decimals=decimals)

    def length(self, metres, *, decimals: int | None = None) -> str:
        """:func:`fmt_length` in this language."""
        return fmt_length(metres, self.lang, decimals=decimals)

    def money(self, eur, *, compact: bool = True) -> str:
        """:func:`fmt_money` in this language and this translator's currency."""
        return fmt_money(eur, self.lang, compact=compact, currency=self.currency)

    def size(self, nbytes) -> str:
        """:func:`fmt_size` in this language."""
        return fmt_size(nbytes, self.lang)

    def seconds(self, s) -> str:
        """:func:`fmt_seconds` in this language."""
        return fmt_seconds(s, self.lang)

    def date(self, value, *, short: bool = False) -> str:
        """:func:`fmt_date` in this language."""
        return fmt_date(value, self.lang, short=short)

    def printed_date(self, value) -> str:
        """:func:`fmt_printed_date` in this language."""
        return fmt_printed_date(value, self.lang)


_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
}


#: ``strftime`` format of a date in figures: ISO in English, day first in French ("26/01/2006").
SHORT_DATE = {"en": "%Y-%m-%d", "fr": "%d/%m/%Y"}


def fmt_date(value, lang: str = "en", *, short: bool = False) -> str:
    """Format a date in words: "1 January 2022" / "1er janvier 2022"; ``short``: in figures
    (:data:`SHORT_DATE`: "2022-01-01" / "01/01/2022"), for lists and tables.

    Parameters
    ----------
    value : str or date or Timestamp
        Anything :class:`pandas.Timestamp` parses; unparseable values are returned as given.
    """
    import pandas as pd

    lang = check_lang(lang)
    if _missing(value) if not isinstance(value, str) else not value:
        return MISSING
    try:
        d = pd.Timestamp(value)
    except (ValueError, TypeError):
        return str(value)
    if short:
        return d.strftime(SHORT_DATE[lang])
    day = "1er" if (lang == "fr" and d.day == 1) else str(d.day)
    return f"{day} {_MONTHS[lang][d.month - 1]} {d.year}"


def fmt_printed_date(value, lang: str = "en") -> str:
    """A date as leakopt's messages and terminal lines write it: ISO in English ("2022-01-01", as they
    always have), in words in French ("1er janvier 2022")."""
    import pandas as pd
    return fmt_date(value, lang) if check_lang(lang) == "fr" else pd.Timestamp(value).date().isoformat()


# --- log records in French -----------------------------------------------------------------------

#: The log record's attribute holding its French: ``(template, args or None)``, set by :func:`in_french`.
FRENCH_ATTR = "message_fr"
#: The level names of a record printed in French.
LEVELS_FR = {"DEBUG": "DÉBOGAGE", "INFO": "INFO", "WARNING": "AVERTISSEMENT", "ERROR": "ERREUR", "CRITICAL": "CRITIQUE"}

_CONVERSION = re.compile(r"%(?P<flags>[-+ #0]*)(?P<width>\d+)?(?:\.(?P<prec>\d+))?(?P<kind>[diouxXeEfFgGcrsa%])")


def in_french(template: str, *args) -> dict:
    """The ``extra=`` of a log call that gives the message's French, printed instead of the English when
    the command answers in French (:class:`FrenchLog`, installed by ``leakopt.cli.main``)::

        log.warning("only %d leak%s in the training years", n, "s" * (n != 1),
                    extra=in_french("seulement %d fuite%s dans les années d’apprentissage", n, "s" * (n >= 2)))

    Parameters
    ----------
    template : str
        The French, %-formatted as logging formats the English (:func:`format_french`: numbers with a
        decimal comma and thin-space thousands, a no-break space before ``: ; ? ! »``); written with plain
        spaces, as :func:`translate`'s templates are.
    *args
        Its own arguments, when an English argument is itself words ("model given" → "modèle fourni");
        by default the English call's arguments, so both say the same numbers and names.
    """
    return {FRENCH_ATTR: (template, tuple(args) if args else None)}


def format_french(template: str, args: tuple = ()) -> str:
    """``template % args`` written the French way; ``template`` as is (with :func:`french_spacing`) when
    ``args`` is empty, as :mod:`logging` leaves a message without arguments unformatted.

    ``%d`` counts get thousands separators (write a year or an ID with ``%s``), ``%f`` and ``%g`` (and a
    float given to ``%s``) a decimal comma, `` %%`` a narrow no-break space; the template's own text gets
    :func:`french_spacing`, the values given are left as they are.

    >>> format_french("%d conduites (%.1f %%) : %s", (12345, 2.5, "P1")) == (
    ...     "12\u202f345 conduites (2,5\u202f%)\u00a0: P1")
    True

    Raises
    ------
    TypeError, ValueError
        When ``args`` do not fit the template, as ``%`` does.
    """
    if not args:
        return french_spacing(template)
    parts, values, end = [], list(args), 0
    for match in _CONVERSION.finditer(template):
        text = french_spacing(template[end:match.start()])
        end = match.end()
        if match["kind"] == "%":
            parts.append(text[:-1] + NNBSP + "%" if text.endswith(" ") else text + "%")
            continue
        if not values:
            raise TypeError(f"not enough arguments for the French template {template!r}")
        parts += [text, _french_value(match, values.pop(0))]
    if values:
        raise TypeError(f"not all arguments converted by the French template {template!r}")
    return "".join(parts) + french_spacing(template[end:])


def _french_value(match: re.Match, value) -> str:
    kind, plain = match["kind"], not match["flags"] and not match["width"]
    number = isinstance(value, numbers.Real)
    if kind in "di" and plain and number and not isinstance(value, bool):
        return fmt_int(int(value), "fr")
    if kind in "fF" and plain and number:
        return fmt_number(value, "fr", decimals=int(match["prec"] or 6))
    if kind in "eEgGfF":
        return (match[0] % (value,)).replace(".", ",")
    if kind == "s" and isinstance(value, float):
        value = str(value).replace(".", ",")
    return match[0] % (value,)


class FrenchLog(logging.Filter):
    """Writes a log record in French when it carries its French (:func:`in_french`): its message and its
    level ("AVERTISSEMENT"). Added to the handlers leakopt's records reach by a command answering in
    French (a filter on a logger sees only the records logged on that very logger, not its children's).

    A French template that does not fit its arguments (a bug) leaves the English, rather than losing the
    warning.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        french = getattr(record, FRENCH_ATTR, None)
        if not isinstance(french, tuple):
            return True
        template, args = french
        args = record.args if args is None else args
        if not isinstance(args, tuple):   # a mapping given to a %(name)s English: not supported
            return True
        try:
            text = format_french(template, args)
        except (TypeError, ValueError, KeyError):
            return True
        record.msg, record.args = text, ()
        setattr(record, FRENCH_ATTR, None)   # written once, whichever handler sees it first
        record.levelname = LEVELS_FR.get(record.levelname, record.levelname)
        return True

"""A file's own column names onto the contract's: the configuration's mapping, and the guesses that
suggest one when a required column is not found.

A configuration's ``[columns]`` / ``[leak_columns]`` tables map contract names to the file's own
column names (``pipe_id = "WATMAINID"``).  A contract column that is not mapped is also found when
only its case or punctuation differs (``Pipe_ID``, ``DIAMETER_MM``).  A required column still absent
raises :class:`leakopt.errors.MissingColumnsError`, whose message (and the app's mapping form) offers
the file's likely column for it (:func:`guess_columns`); a guess is never applied unasked.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from leakopt.errors import InputError, MissingColumnsError
from leakopt.i18n import in_french
from leakopt.io.dates import date_share
from leakopt.io.values import id_strings, isin, to_number, to_year
from leakopt.schema import DATE, DIAMETER, GEOMETRY, INSTALL_YEAR, LEAK_ID, LENGTH, MATERIAL, PIPE_ID, X, Y

log = logging.getLogger(__name__)


def _plain(name) -> str:
    """``name`` lower-cased, its accents dropped ("Année" -> "annee")."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _plain(name))


def column_for(columns, name: str, mapping: Mapping[str, str] | None = None):
    """The file column :func:`apply_columns` takes as contract column ``name``: the one mapped to it,
    else the one of that name, else the one that differs only in case or punctuation; None if none."""
    mapped = (mapping or {}).get(name)
    if mapped is not None:
        return mapped if mapped in columns else None
    if name in columns:
        return name
    return next((c for c in columns if _squash(c) == _squash(name)), None)


#: Names of a point's x, y that say they are longitude, latitude (any case), read as ``x``, ``y`` by
#: :func:`apply_columns` when a file has no column of either name (a leak file's "lon", "lat").
LONLAT_NAMES = (("lon", "lat"), ("longitude", "latitude"))


def apply_columns(frame: pd.DataFrame, mapping: Mapping[str, str] | None, *, path, table: str,
                  contract: tuple[str, ...], lonlat: bool = False) -> pd.DataFrame:
    """Rename the file's columns to contract names.

    ``mapping`` maps contract name -> the file's column.  A mapped column that
    is absent raises :class:`InputError`.  An unmapped contract column is also
    found by a case- and punctuation-insensitive match; with ``lonlat``, ``x``, ``y`` are also
    found as a pair of :data:`LONLAT_NAMES` ("Lon", "LAT").  A column that already
    bears a contract name but is not the mapped one is kept as ``<name>_source``.  The file's own
    name of each renamed column is kept in ``attrs[SOURCE_NAMES]`` (renamed -> the file's), so that a message
    lists the columns as the file names them.
    """
    mapping = dict(mapping or {})
    _check_mapped_names(mapping, path=path, table=table, contract=contract)
    absent = {k: v for k, v in mapping.items() if v not in frame.columns}
    if absent:
        k, v = next(iter(absent.items()))
        raise InputError(
            f"{path}: the [{table}] table of the configuration maps {k} to column {v!r}, which is not "
            f"in the file; columns found: {_columns_text(frame)}. Correct the name in [{table}].",
            fr=f"{path} : la table [{table}] de la configuration fait correspondre {k} à la colonne {v!r}, "
               f"absente du fichier ; colonnes trouvées : {_columns_text(frame, lang='fr')}. Corrigez le nom "
               f"dans [{table}]."
        )
    squashed = {_squash(c): c for c in frame.columns}
    shapefile = {str(c).lower(): c for c in frame.columns if len(str(c)) == 10}
    for name in contract:
        if name in mapping or name in frame.columns:
            continue
        found = squashed.get(_squash(name)) or (shapefile.get(name[:10]) if len(name) > 10 else None)
        if found is not None:      # "Pipe ID", "PIPE_ID", or a Shapefile's 10-character "install_ye"
            mapping[name] = found
            log.info("%s: using column %r as %s", path, found, name,
                     extra=in_french("%s : colonne %r prise comme %s"))
    if lonlat and X in contract and Y in contract and not {X, Y} & {*mapping, *frame.columns}:
        for lon, lat in LONLAT_NAMES:   # longitude, latitude under their own names: the x, y of the points
            if squashed.get(lon) is not None and squashed.get(lat) is not None:
                mapping[X], mapping[Y] = squashed[lon], squashed[lat]
                log.info("%s: using columns %r, %r as x, y (longitude, latitude)", path, mapping[X], mapping[Y],
                         extra=in_french("%s : colonnes %r, %r prises comme x, y (longitude, latitude)"))
                break
    rename = {}
    for name, col in mapping.items():
        if col == name:
            continue
        if name in frame.columns:
            rename[name] = f"{name}_source"
        rename[col] = name
    out = frame.rename(columns=rename)
    if rename:
        out.attrs[SOURCE_NAMES] = {**out.attrs.get(SOURCE_NAMES, {}), **{v: k for k, v in rename.items()}}
    return out


#: ``DataFrame.attrs`` key set by :func:`apply_columns`: a renamed column -> its name in the file.
SOURCE_NAMES = "leakopt_source_names"


def source_name(frame: pd.DataFrame, column) -> str:
    """``column`` of ``frame`` as the file names it (``LAT`` for the ``y`` :func:`apply_columns` read it as)."""
    return str(frame.attrs.get(SOURCE_NAMES, {}).get(column, column))


def _check_mapped_names(mapping: Mapping[str, str], *, path, table: str, contract: tuple[str, ...]) -> None:
    """Refuse a mapping whose left side is a misspelt contract name (``pipeid = "pipe_id"``), or that takes a
    column already bearing a contract name under another name (``when = "date"``): either renamed the
    file's own contract column away, and the message then asked for the very column the file has.  Other
    names (``sector = "district"``) rename a passed-through column, as before."""
    import difflib
    names = {_squash(n): n for n in contract}
    for key, col in mapping.items():
        if key in contract:
            continue
        near = names.get(_squash(key)) or next(iter(difflib.get_close_matches(key, contract, n=1, cutoff=0.75)), None)
        if near is None and col not in contract:
            continue
        hint = f'did you mean {near} = "{col}"? Each' if near else "each"
        hint_fr = f'vouliez-vous dire {near} = "{col}" ? Chaque' if near else "chaque"
        remove_fr = f", ou supprimez la ligne (une colonne nommée {col} n’a besoin d’aucune correspondance)"
        raise InputError(f"{path}: the [{table}] table of the configuration maps {key!r}, which is not one of "
                         f"leakopt's column names ({', '.join(contract)}), to column {col!r}; {hint} line is "
                         f"leakopt's name = your column: correct the name on the left of '=' in [{table}]"
                         f"{'' if near else f', or remove the line (a column named {col} needs no mapping)'}.",
                         fr=f"{path} : la table [{table}] de la configuration fait correspondre {key!r}, qui n’est "
                            f"pas l’un des noms de colonne de leakopt ({', '.join(contract)}), à la colonne {col!r} ; "
                            f"{hint_fr} ligne s’écrit nom leakopt = votre colonne : corrigez le nom à gauche du « = » "
                            f"dans [{table}]{'' if near else remove_fr}.")


def _columns_text(frame: pd.DataFrame, limit: int = 25, *, lang: str = "en") -> str:
    cols = [source_name(frame, c) for c in frame.columns if c != GEOMETRY]
    more = "" if len(cols) <= limit else f" et {len(cols) - limit} autres" if lang == "fr" else \
        f" and {len(cols) - limit} more"
    return ", ".join(cols[:limit]) + more


#: Words that name each contract column in utilities' exports (English and French), for
#: :func:`guess_columns`; a word of three letters or fewer must be a whole word of the name.
NAME_WORDS = {
    PIPE_ID: ("pipe", "main", "troncon", "conduite", "canalisation", "segment", "asset", "facility", "link",
              "section"),
    INSTALL_YEAR: ("install", "pose", "laid", "construct", "built", "mise", "service", "commission"),
    MATERIAL: ("material", "materiau", "matiere", "mat"),
    DIAMETER: ("diameter", "diametre", "diam", "dia", "dn", "size", "nominal", "calibre"),
    LENGTH: ("length", "longueur", "len", "lineaire", "lg"),
    DATE: ("date", "jour", "day", "reported", "occur"),
    X: ("x", "easting", "east", "lon", "longitude", "xcoord"),
    Y: ("y", "northing", "north", "lat", "latitude", "ycoord"),
    LEAK_ID: ("id", "ident", "identifiant", "num", "numero", "no", "nr", "number", "ref", "reference", "workorder",
              "wo"),
    "type": ("type", "nature", "category", "categorie", "kind", "genre", "problem", "probleme"),
}
#: A coordinate named with its projection ("X_L93", "XL93", "X_LAMB93", "Y_CC48"): x or y, then letters of a
#: CRS's name and its number.
_XY_RE = re.compile(r"([xy])(?:l|lamb|lambert|cc|rgf|utm|mtm|wgs)?\d+")
#: Words that make a date column the leak's own date ("INCIDENT_DATE" rather than "STATUS_DATE").
_EVENT_WORDS = ("incident", "break", "leak", "fuite", "casse", "repair", "repar", "intervention", "failure")
#: Words of a leak's record: with an ID word, the name of a leak's ID ("NUM_INTERVENTION", "WATBREAKINCIDENTID",
#: "WO_NUMBER").
_RECORD_WORDS = (*_EVENT_WORDS, "workorder", "ordre", "order", "ticket", "event", "evenement")
#: Words that make a column an unlikely match whatever else it says (a relining date is not
#: the install year, a GIS row number is not the pipe's ID).
_NOT_WORDS = ("lined", "lining", "rehab", "renov", "renouv", "abandon", "objectid", "globalid", "fid", "gid", "edit",
              "created", "update", "modif", "miseajour", "service_line")


#: How the name of a year column starts when the word that says "install" was cut off or left out
#: (a Shapefile's 10-character "ANNEE_DE_P", "AN_POSE", "YEAR"): a weaker name than "ANNEE_POSE", taken
#: only with year-like values.
_YEAR_PREFIXES = ("annee", "anpose", "year")


def _words(name) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    return [w for w in re.split(r"[^a-z0-9]+", _plain(spaced)) if w]


def _name_score(name, field: str) -> int:
    words, squashed = _words(name), _squash(name)
    hit = any(w in words if len(w) <= 3 else w in squashed for w in NAME_WORDS[field])
    if field in (X, Y) and not hit:   # "X_L93", "XL93", "COORD_X"
        hit = any((m := _XY_RE.fullmatch(w)) and m.group(1) == field for w in words)
    if field == LENGTH and not hit:   # "LONG_SIG" (a lone "LONG" may be a longitude)
        hit = "long" in words and len(words) > 1 and not {"lat", "latitude"} & set(words)
    if field == LEAK_ID:   # an ID word and a word of the leak's record: "NUM_INTERVENTION", "WO_NUMBER"
        is_id = hit or any(w.endswith("id") for w in words) or words[:1] == ["n"]
        event = any(w in squashed for w in _RECORD_WORDS) or "wo" in words
        return 4 if is_id and event else 0
    if field == PIPE_ID:   # an ID column: "WATMAINID", "ID_TRONCON", "Pipe No"
        is_id = any(w in ("id", "ident", "identifiant", "no", "num", "numero") or w.endswith("id") for w in words)
        return (2 if is_id else 0) + (2 if hit else 0)
    if field == INSTALL_YEAR and not hit and squashed.startswith(_YEAR_PREFIXES):
        return 2   # "ANNEE_DE_P", "YEAR": a year, not said to be the install's; its values decide
    if field in (INSTALL_YEAR, DATE):   # "year" or "date" alone says less than "install" or "break date"
        dated = any(w in ("year", "yr", "annee", "an", "date") for w in words)
        event = field == DATE and any(w in squashed for w in _EVENT_WORDS)
        return (2 if hit else 0) + (1 if dated else 0) + (1 if event else 0)
    return 3 if hit else 0


#: Rows of a file whose values are looked at, evenly spread through it (an export sorted by date or by source
#: has its other formats together, at one end).
GUESS_ROWS = 1000
#: A column is a date column, or a material column by its values alone, when at least this share of its
#: non-blank values read as such.
DATE_SHARE, VALUE_ONLY_SHARE = 0.5, 0.8
#: Contract columns also found by their values alone, with a reader (:func:`guess_columns`' ``readers``):
#: a register's "NATURE" whose values are materials.
BY_VALUES = (MATERIAL,)


def _sample(frame: pd.DataFrame, n: int = GUESS_ROWS) -> pd.DataFrame:
    """At most ``n`` rows of ``frame``, evenly spread from the first to the last."""
    if len(frame) <= n:
        return frame
    return frame.iloc[np.unique(np.linspace(0, len(frame) - 1, n).astype(int))]


def _value_score(values: pd.Series, field: str, table: str, known_ids=None,
                 readers: Mapping[str, Callable[[pd.Series], float]] | None = None) -> int:
    values = _sample(values.to_frame()).iloc[:, 0]
    if values.notna().sum() == 0:   # a header-only file: the name alone decides
        return 0
    if field in (readers or {}):   # a later stage's reader: a material column whose values it knows scores more
        share = readers[field](values)
        if field == DATE:
            return 1 if share >= DATE_SHARE else -2
        return 1 if share >= VALUE_ONLY_SHARE else 0
    if field == PIPE_ID and known_ids is not None:   # a leak file's pipe column names the register's pipes
        given = id_strings(values).dropna()
        share = float(isin(given, known_ids).mean()) if len(given) else 0.0
        return 3 if share >= 0.5 else 1 if share >= 0.05 else -2
    if field == PIPE_ID:
        return 1 if table == "columns" and values.notna().all() and values.is_unique else 0
    if field == INSTALL_YEAR:
        years, _ = to_year(values)
        return 1 if years.between(1800, 2100).mean() >= 0.5 else -2
    if field == DATE:
        return 1 if date_share(values) >= DATE_SHARE else -2
    if field == MATERIAL:
        return 0 if not pd.api.types.is_numeric_dtype(values) else -2
    if field == "type":   # a few kinds (MAIN, SERVICE, HYDRANT), not a free text; a handful, mostly given, more so
        kinds = values.nunique()
        return 1 if kinds <= 8 and values.notna().mean() >= 0.5 else 0 if kinds <= 50 else -2
    if field == LEAK_ID:   # one per leak: unique where given
        given = values.dropna().astype("str")
        return -2 if not given.is_unique else 1 if values.notna().mean() >= 0.9 else 0
    numbers, bad = to_number(values)
    return 0 if numbers.notna().mean() >= 0.9 and not bad.any() else -2


def guess_columns(missing, frame: pd.DataFrame, *, table: str = "columns", known_ids=None,
                  readers: Mapping[str, Callable[[pd.Series], float]] | None = None, taken=()) -> dict[str, str]:
    """For each of the ``missing`` contract columns, the file's column that most likely holds it,
    from its name (English and French words, :data:`NAME_WORDS`) and a look at its values (for a
    leak file's ``pipe_id``, when the register's ``known_ids`` are given: how many it names); only
    confident guesses, each column at most once, none between two equally likely columns; ``x`` and ``y``
    together or not at all. Used to suggest a ``[columns]`` mapping, never applied silently.

    ``readers``: contract name -> the share of a column's non-blank values a later stage reads as that
    column's (the material families), which then judges the values (a date column's are read by the loader's
    own reader, :func:`leakopt.io.dates.date_share`, unless a reader is given for it); a column of
    :data:`BY_VALUES` is also found by its values alone (a "NATURE" of materials). ``taken``: columns
    already mapped, guessed for nothing else."""
    taken, guesses = {c for c in frame.columns if c in NAME_WORDS} | set(taken), {}
    readers = dict(readers or {})
    for field in missing:
        if field not in NAME_WORDS:
            continue
        scored = []
        for col in frame.columns:
            if col in taken or col == GEOMETRY or any(w in _squash(col) for w in _NOT_WORDS):
                continue
            score = _name_score(col, field)
            if score >= 2:
                scored.append((score + _value_score(frame[col], field, table, known_ids, readers), col))
            elif field in BY_VALUES and field in readers and not pd.api.types.is_numeric_dtype(frame[col]):
                values = _sample(frame[[col]])[col]
                if values.notna().any() and readers[field](values) >= VALUE_ONLY_SHARE:
                    scored.append((3, col))   # below a column that its name and values both say
        scored.sort(key=lambda s: s[0], reverse=True)
        tied = len(scored) > 1 and scored[1][0] == scored[0][0]
        if scored and scored[0][0] >= 3 and not tied:   # two equally likely columns: the user chooses
            guesses[field] = scored[0][1]
            taken.add(scored[0][1])
    if (X in guesses) != (Y in guesses) and X in missing and Y in missing:   # half a point locates nothing
        guesses.pop(X, None), guesses.pop(Y, None)
    return guesses


def missing_columns_error(path, missing, frame: pd.DataFrame, *, table: str = "columns", why: str = "",
                          optional=(), known_ids=None, why_fr: str = "") -> MissingColumnsError:
    """The one-paragraph error for required columns absent from a file, with the mapping to give
    (the file's likely columns, :func:`guess_columns`); ``optional``: absent columns needed only
    when no network gives them (diameter, length), whose likely columns are suggested too.

    ``why_fr``: the French of ``why`` (plain spaces), which gives the error its French (``fr``, as
    ``leakopt.validate.messages`` writes the error without a reason) and the app's form its reason
    (``why_phrase``); without it, an error with a reason is shown in English."""
    alternative = []   # a leak file without pipe_id nor x, y: x, y under other names place its leaks too
    if table == "leak_columns" and PIPE_ID in missing and not {X, Y} <= set(frame.columns):
        alternative = [c for c in (X, Y) if c not in frame.columns and c not in optional]
    try:
        guesses = {k: source_name(frame, v) for k, v in
                   guess_columns([*missing, *optional, *alternative], frame, table=table, known_ids=known_ids).items()}
    except Exception:   # noqa: BLE001 - a hint that fails must not hide the error it helps with
        log.debug("no column guesses for %s", path, exc_info=True,
                  extra=in_french("aucune colonne proposée pour %s"))
        guesses = {}
    if guesses:
        pairs = [f'{k} = "{v}"' for k, v in guesses.items()]
        lines = pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + " and " + pairs[-1]
        unless = [k for k in guesses if k in optional]
        why_optional = ("optional: without it the leaks are placed from x, y" if table == "leak_columns" else
                        f"unless a network gives {'it' if len(unless) == 1 else 'them'}")
        note = f"{', '.join(unless)} {why_optional}; " if unless else ""
        hint = f"; from the names and values found, likely {lines} ({note}one line each; check them)"
    else:
        hint = f' (e.g. {missing[0]} = "YOUR_COLUMN")'
    exc = MissingColumnsError(
        f"{path}: required {'column' if len(missing) == 1 else 'columns'} {', '.join(missing)} not found{why}; "
        f"columns found: {_columns_text(frame)}. If the file names {'it' if len(missing) == 1 else 'them'} "
        f"differently, map {'it' if len(missing) == 1 else 'them'} in the [{table}] table of a config file{hint}, "
        f"and pass it with --config.",
        table=table, missing=missing, optional=optional, guesses=guesses,
        columns=[source_name(frame, c) for c in frame.columns if c != GEOMETRY], where=str(path), why=why)
    exc.sample = _sample(frame)   # for guesses with a later stage's readers (leakopt.pipeline.check)
    exc.read_as = {source_name(frame, c): c for c in frame.attrs.get(SOURCE_NAMES, {}) if c in frame.columns}
    if why and why_fr:
        exc.fr = _missing_columns_fr(path, missing, frame, table=table, why=why_fr, optional=optional,
                                     guesses=guesses)
        exc.why_phrase = why_fr   # the app's form says the reason in French too
    return exc


def _missing_columns_fr(path, missing, frame, *, table, why, optional, guesses) -> str:
    """The French of :func:`missing_columns_error`'s message, as ``leakopt.validate.messages`` writes it
    (its ``missing_column`` template) for an error without a reason."""
    one = len(missing) == 1
    if guesses:
        pairs = [f'{k} = "{v}"' for k, v in guesses.items()]
        lines = pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + " et " + pairs[-1]
        unless = ", ".join(k for k in guesses if k in optional)
        note = ("" if not unless else
                f"{unless} facultative : sans elle, les fuites sont placées d’après x, y ; "
                if table == "leak_columns" else f"{unless} sauf si un réseau {'la' if ', ' not in unless else 'les'} "
                                                "fournit ; ")
        hint = (f" ; d’après les noms et les valeurs trouvés, probablement {lines} ({note}une ligne chacune ; "
                "vérifiez-les)")
    else:
        hint = f' (par ex. {missing[0]} = "VOTRE_COLONNE")'
    them = "la" if one else "les"
    return (f"{path} : {'colonne obligatoire' if one else 'colonnes obligatoires'} {', '.join(missing)} "
            f"{'introuvable' if one else 'introuvables'}{why} ; colonnes trouvées : "
            f"{_columns_text(frame, lang='fr')}. Si le fichier {them} nomme autrement, faites-{them} correspondre "
            f"dans la table [{table}] d’un fichier de configuration{hint}, et passez-le avec --config.")

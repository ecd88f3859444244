"""``leakopt check``: read and validate a utility's files in seconds, before a run.

It prints what was read and kept, what was left out and why, and the data checks
(``validation.json`` when ``--out`` is given).  With ``--suggest-config FILE``, files whose
required columns bear other names are mapped in one pass: the likely columns
(:func:`leakopt.io.guess_columns`) are added to the configuration (``--config``'s text, completed,
or a new one), written to FILE for the user to check, and the files are checked with it.  A required
column that no guess finds is written there too, as a commented line naming the file's columns
still free, and the check stops on it (the files cannot be read as they are).  The units the check
finds, or that a mapped column's name gives (``LENGTH_FT``), are written to FILE's ``[validate]`` too.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from leakopt import schema as S
from leakopt.config import config_from_dict, load_config, with_columns
from leakopt.errors import InputError, MissingColumnsError
from leakopt.io import write_json
from leakopt.io.columns import guess_columns
from leakopt.pipeline.stages import load
from leakopt.schema import Progress
from leakopt.validate.config import DIAMETER_UNITS, LENGTH_UNITS
from leakopt.validate.materials import UNKNOWN, classify_material
from leakopt.validate.messages import Localized, label

#: First lines of a configuration written from nothing by ``--suggest-config``.
SUGGESTED_HEADER = ("# Written by 'leakopt check --suggest-config': contract name = your column, guessed from the\n"
                    "# columns' names and values. Check each line; add stage settings as tables (see the README).\n")
#: Files read at most this many times while guessing (the register's columns, then the leak file's).
GUESS_ROUNDS = 8


@dataclass(frozen=True)
class ColumnChoice:
    """One contract column a file lacked under its name: the table that maps it, and the file's
    likely column (None: no likely one)."""

    table: str
    name: str
    column: str | None
    optional: bool = False   # needed only when no network gives it (diameter, length)


@dataclass
class CheckResult:
    """What :func:`check_files` found.

    Attributes
    ----------
    utility : Utility or None
        The validated utility; None when the files could not be loaded (``error``).
    error : InputError or None
        Why they could not (with ``suggest``, the columns that no guess found).
    choices : list of ColumnChoice
        With ``suggest``: every column the files lacked, in the order met, with its guess.
    columns : dict
        With ``suggest``: table (``columns``, ``leak_columns``) -> the file's column names.
    config_text : str or None
        The configuration with the guesses (None when nothing was guessed), and a commented line for
        each required column still to map (then ``error`` says it is missing).
    first_missing : MissingColumnsError or None
        With ``suggest``: the first missing-columns error met, what a check without guesses says.
    """

    utility: S.Utility | None
    error: InputError | None = None
    choices: list[ColumnChoice] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)
    config_text: str | None = None
    first_missing: MissingColumnsError | None = None
    settings: dict[str, tuple[str, str, str]] = field(default_factory=dict)   # [validate] key -> value, why (en, fr)

    @property
    def to_map(self) -> list[tuple[str, str]]:
        """(table, contract name) of each required column no guess found."""
        return [(c.table, c.name) for c in self.choices if c.column is None and not c.optional]

    @property
    def guessed(self) -> list[tuple[str, str, str]]:
        """(table, contract name, column) of each column mapped by a guess."""
        return [(c.table, c.name, c.column) for c in self.choices if c.column is not None]


def material_share(values: pd.Series) -> float:
    """The share of the non-blank ``values`` the material normaliser recognises as a material (0 when they
    name fewer than two materials: a column of one code, "AC" for active, is no material column)."""
    given = values.dropna().astype("str").str.strip()
    given = given[given.ne("")]
    if given.empty:
        return 0.0
    read = {v: classify_material(v) for v in given.unique()}
    families = {family for family, known in read.values() if known and family != UNKNOWN}
    known = given.map(lambda v: read[v][1] and read[v][0] != UNKNOWN)
    return float(known.mean()) if len(families) >= 2 else 0.0


#: The readers that judge a column's values as a later stage reads them, for the guesses (dates need none: the
#: guesses read them with the loader's own reader, :func:`leakopt.io.dates.date_share`).
READERS = {S.MATERIAL: material_share}


def _more_guesses(exc: MissingColumnsError, extra=()) -> dict[str, str]:
    """Guesses for the columns the error's own did not find, with :data:`READERS` (the material normaliser):
    a "NATURE" of materials; and for ``extra`` columns the file lacks (a leak file's ``leak_id`` and ``type``)."""
    sample = getattr(exc, "sample", None)
    if sample is None:
        return {}
    names = [n for n in [*exc.missing, *exc.optional] if n in READERS and n not in exc.guesses]
    names += [n for n in extra if n not in sample.columns and n not in names and n not in exc.guesses]
    if not names:
        return {}
    read_as = getattr(exc, "read_as", {})
    found = guess_columns(names, sample, table=exc.table, readers=READERS,
                          taken={read_as.get(c, c) for c in exc.guesses.values()})
    source = {v: k for k, v in read_as.items()}
    return {k: source.get(v, v) for k, v in found.items()}


def column_choices(exc: MissingColumnsError, *, extra=()) -> list[ColumnChoice]:
    """The columns a :class:`~leakopt.errors.MissingColumnsError` names, required then optional, with their
    guesses (completed by :func:`_more_guesses`); ``extra``: optional columns also guessed, listed when found.
    A leak file's ``x``, ``y`` found make its ``pipe_id`` optional (the leaks are snapped)."""
    guesses = {**exc.guesses, **_more_guesses(exc, extra)}
    names = [*exc.missing, *exc.optional]
    names += [n for n in guesses if n not in names]
    located = exc.table == "leak_columns" and {S.X, S.Y} <= set(guesses)
    return [ColumnChoice(exc.table, name, guesses.get(name),
                         name not in exc.missing or (located and name == S.PIPE_ID)) for name in names]


def _candidates(exc: MissingColumnsError, found: dict[str, str], text: str) -> list[str]:
    """The file's columns that neither a guess nor the configuration ``text`` maps: where a column still
    to map may be."""
    try:
        mapped = set(tomllib.loads(text).get(exc.table, {}).values()) if text else set()
    except tomllib.TOMLDecodeError:
        mapped = set()
    read_as = getattr(exc, "read_as", {})   # taken under a contract name as they are ("LAT" as y)
    return [c for c in exc.columns if c not in mapped and c not in found.values() and c not in read_as]


#: Words of a column's name that say its unit, by ``[validate]`` setting: the unit, the words (whole words of
#: the name, or its end) and the unit the setting defaults to.
UNIT_WORDS = {"diameter_unit": ({"in": ("in", "inch", "inches", "pouce", "pouces")}, "mm", ("mm", "millimetre")),
              "length_unit": ({"ft": ("ft", "feet", "foot", "pieds"), "km": ("km", "kilometre", "kilometer")}, "m",
                              ("m", "metre", "meter", "metres", "meters"))}


#: Each unit's name, in English and French, for the comments and lines that say why it is set.
UNIT_NAMES = {"in": ("inches", "pouces"), "ft": ("feet", "pieds"), "km": ("kilometres", "kilomètres")}


def unit_in_name(column: str, key: str) -> str | None:
    """The unit a column's name says (``"ft"`` for ``LENGTH_FT`` or ``LengthFeet``, ``"in"`` for ``DIAM_IN``),
    by ``[validate]`` setting ``key``; the default unit for ``DIAMETRE_MM``; None when the name says none."""
    words = [w for w in re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", str(column)).lower()) if w]
    units, default, default_words = UNIT_WORDS[key]
    said = {unit for unit, names in units.items()
            if any(w in names for w in words[1:]) or any(words and words[-1].endswith(n) for n in names if len(n) > 3)}
    if any(w in default_words for w in words[1:]):
        said.add(default)
    return next(iter(said)) if len(said) == 1 else None


def _detected_unit(issues, code: str) -> tuple[str, str, str] | None:
    """The unit a data check found (``diameter_units``, ``length_units``) and why (English, French), from the
    figures it was written from (:attr:`~leakopt.validate.report.Issue.params`)."""
    issue = next((i for i in issues if i.code == code and i.params), None)
    if issue is None:
        return None
    if code == "diameter_units":
        median = f"{issue.params['median']:g}"
        return ("in", f"the diameters' median is {median}: inches, not millimetres",
                f"la médiane des diamètres est {median} : des pouces, pas des millimètres") \
            if issue.params["median"] >= 2 else None
    ratio, source = float(issue.params["ratio"]), issue.params["source"]
    unit = next((u for u, metres in LENGTH_UNITS.items() if abs(ratio * metres - 1) <= 0.05), None)
    if unit in (None, "m"):
        return None
    network = source.key == "length_source_network"
    return (unit, f"the lengths are {ratio:.3g} times those of {label(source.key)}",
            f"les longueurs valent {ratio:.3g} fois celles {'du réseau' if network else 'de la géométrie'}")


def unit_settings(config, text: str, utility=None) -> dict[str, tuple[str, str, str]]:
    """``[validate]`` units to write in a suggested configuration: ``diameter_unit``, ``length_unit`` -> (unit,
    why in English, in French), from the mapped column's name (``LENGTH_FT``), else from what the check found in
    the values; none that ``text`` already sets."""
    try:
        given = tomllib.loads(text).get("validate", {}) if text else {}
    except tomllib.TOMLDecodeError:
        return {}
    issues = utility.validation.issues if utility is not None else []
    out = {}
    for key, field_, code in (("diameter_unit", S.DIAMETER, "diameter_units"),
                              ("length_unit", S.LENGTH, "length_units")):
        if key in given:
            continue
        column = config.columns.get(field_)
        named = unit_in_name(column, key) if column else None
        if named is not None:
            if named != UNIT_WORDS[key][1]:
                out[key] = (named, f"the name of column {column} says {UNIT_NAMES[named][0]}",
                            f"le nom de la colonne {column} dit {UNIT_NAMES[named][1]}")
            continue
        found = _detected_unit(issues, code)
        if found is not None and found[0] in (DIAMETER_UNITS if key == "diameter_unit" else LENGTH_UNITS):
            out[key] = found
    return out


def with_settings(text: str, table: str, settings: dict[str, tuple[str, ...]]) -> str:
    """TOML ``text`` with ``settings`` (key -> (value, why, ...)) added to its ``[table]``, each line commented
    with why: under the table's header when the text has one, else as a new table at the end."""
    lines = "".join(f"{key} = {json.dumps(value)}   # {why} (check it)\n" for key, (value, why, *_) in settings.items())
    header = re.search(rf"^[ \t]*\[{table}\][^\n]*\n?", text, flags=re.M)
    if header:
        head = text[:header.end()] + ("" if text[:header.end()].endswith("\n") else "\n")
        out = head + lines + text[header.end():]
    else:
        out = f"{text}{'' if not text else chr(10) if text.endswith(chr(10)) else chr(10) * 2}[{table}]\n{lines}"
    tomllib.loads(out)
    return out


def check_files(pipes, leaks, network=None, *, config_path=None, as_of=None, layer=None, suggest: bool = False,
                progress: Progress | None = None) -> CheckResult:
    """Read and validate the files; with ``suggest``, map missing columns to their likely ones.

    Raises
    ------
    InputError
        When the files cannot be used (without ``suggest``, also when columns are missing; with
        it, a missing column no guess finds, or a failure once columns were guessed, is returned as
        ``error``, with the guesses so far).
    """
    config = load_config(config_path)
    text = Path(config_path).read_text(encoding="utf-8-sig") if config_path else ""
    result = CheckResult(None)
    suggested = Localized("the suggested configuration", fr="la configuration suggérée")
    for _ in range(GUESS_ROUNDS):
        try:
            result.utility = load(pipes, leaks, network, config=config, as_of=as_of, layer=layer, progress=progress)
            units = unit_settings(config, text, result.utility) if suggest and not result.settings else {}
            if not units:
                return result
            # the units found: written, and the files checked again with them (what a run will read)
            text = with_settings(text or SUGGESTED_HEADER, "validate", units)
            result.config_text = text
            result.settings = units
            config = config_from_dict(tomllib.loads(text), path=str(config_path) if config_path else suggested)
            continue
        except MissingColumnsError as exc:
            if not suggest:
                raise
            result.first_missing = result.first_missing or exc
            # a column optional so far that is required now (a leak's pipe_id, the pipes having no coordinates)
            seen = {(c.table, c.name) for c in result.choices
                    if not (c.optional and c.column is None and c.name in exc.missing and c.table == exc.table)}
            extra = ("leak_id", "type") if exc.table == "leak_columns" else ()
            new = [c for c in column_choices(exc, extra=extra) if (c.table, c.name) not in seen]
            result.choices += new
            result.columns[exc.table] = list(exc.columns)
            found = {c.name: c.column for c in new if c.column is not None}
            unfound = [c.name for c in new if c.column is None and not c.optional]
            if unfound:   # the file with what was guessed, and a line to complete for each column still to map
                result.config_text = with_columns(text or SUGGESTED_HEADER, exc.table, found,
                                                  to_map=dict.fromkeys(unfound, _candidates(exc, found, text)))
                units = unit_settings(config_from_dict(tomllib.loads(result.config_text)), result.config_text)
                if units:   # those the mapped columns' names give
                    result.config_text = with_settings(result.config_text, "validate", units)
                    result.settings = units
                result.error = exc
                return result
            if not found:
                result.error = exc
                return result
            text = with_columns(text or SUGGESTED_HEADER, exc.table, found)
            result.config_text = text
            config = config_from_dict(tomllib.loads(text), path=str(config_path) if config_path else suggested)
        except InputError as exc:
            if not result.choices:
                raise
            result.error = exc   # with the guessed columns the files fail otherwise: said, guesses kept
            return result
    raise InputError(f"the column guesses did not settle after {GUESS_ROUNDS} readings of the files; map the "
                     "columns by hand in the [columns] and [leak_columns] tables of a configuration file",
                     fr=f"les colonnes devinées ne se sont pas stabilisées après {GUESS_ROUNDS} lectures des "
                        "fichiers ; faites correspondre les colonnes à la main dans les tables [columns] et "
                        "[leak_columns] d’un fichier de configuration")


#: The data checks that leave pipes of the register out (their counts make ``pipes_read - pipes_kept``).
PIPES_LEFT_OUT = ("pipe_installed_after_as_of", "duplicate_pipe_id", "pipe_row_repeated", "pipe_row_blank",
                  "pipe_not_kept", "diameter_mm_missing", "install_year_missing")


def pipes_left_out(validation) -> list[tuple[str, int]]:
    """(data check, pipes) for each reason pipes read were not kept, from ``validation`` (a
    :class:`~leakopt.validate.ValidationReport`), most pipes first; ``("other", n)`` last for what they do not
    account for."""
    s = validation.summary
    gone = int(s.get("pipes_read", 0)) - int(s.get("pipes_kept", 0))
    counts = {i.code: int(i.count) for i in validation.issues if i.code in PIPES_LEFT_OUT and i.count}
    out = sorted(((code, counts[code]) for code in PIPES_LEFT_OUT if code in counts), key=lambda c: -c[1])
    rest = gone - sum(n for _, n in out)
    return out + [("other", rest)] if rest > 0 else out


def check_text(result: CheckResult, *, lang: str = "en") -> str:
    """The lines ``leakopt check`` prints about a loaded utility, in ``lang`` (the data checks' French
    from ``message_fr``)."""
    from leakopt.pipeline.summary import summary_translator
    t = summary_translator(lang)
    s = result.utility.validation.summary
    excluded = s.get("leaks_excluded") or {}
    out = pipes_left_out(result.utility.validation)
    out = t("ck_pipes_out", reasons=", ".join(t.counted("ck_pipes_other" if c == "other" else f"ck_{c}", n)
                                              for c, n in out)) if out else ""
    lines = [t("ck_counts", read=t.number(s["pipes_read"]), kept=t.number(s["pipes_kept"]), out=out,
               km=t.number(s["pipes_length_km"], decimals=1), leaks_read=t.number(s["leaks_read"]),
               used=t.number(s["leaks_used"]), as_of=t.printed_date(s["as_of"]))]
    if result.settings:   # units the suggested configuration sets, the files checked with them
        units = "; ".join(f'[validate] {key} = "{value}" ({why_fr if t.lang == "fr" else why})'
                          for key, (value, why, why_fr) in result.settings.items())
        fr = f"Unités écrites dans la configuration suggérée, les fichiers contrôlés avec elles : {units}."
        lines.append(fr if t.lang == "fr" else
                     f"Units written to the suggested configuration, the files checked with them: {units}.")
    if excluded:
        def reason(code: str) -> str:
            return t(f"ck_reason_{code}") if f"ck_reason_{code}" in t.table else code.replace("_", " ")
        lines.append(t("ck_left_out", reasons=", ".join(f"{t.number(n)} {reason(c)}" for c, n in excluded.items())))
    leaks = result.utility.leaks
    if "type" in leaks and "leak_types" not in s and leaks["type"].nunique() > 1:
        counts = leaks["type"].astype("str").value_counts()
        lines.append(t("ck_by_type", types=", ".join(f"{k} {t.number(v)}" for k, v in counts.head(8).items())))
    issues = issue_lines(result.utility.validation, lang=t.lang)
    if issues:
        lines.extend(issues)
    elif not (result.utility.leaks.empty and s.get("leaks_read")):   # no usable leak: the stop that follows says why
        lines.append(t("ck_none"))
    return "\n".join(lines)


def issue_lines(report, *, lang: str = "en") -> list[str]:
    """The data problems to read (errors and warnings) of a :class:`~leakopt.validate.ValidationReport`, a
    heading then one line each, in ``lang``; none when there is none.  A fatal one is left out: the error
    that stops the check says it."""
    from leakopt.pipeline.summary import summary_translator
    from leakopt.validate.messages import issue_message, severity_label
    t = summary_translator(lang)
    issues = [i for i in report.issues if i.severity in ("error", "warning") and not i.fatal]
    if not issues:
        return []
    lines = [t("ck_to_read", n=len(issues))]
    for i in issues:   # the English severity as it always was; French as the report and the app name it
        severity = i.severity if t.lang == "en" else severity_label(i.severity, t.lang)
        message = issue_message(i.to_dict(), t.lang)
        lines.append(f"  - {severity}{':' if t.lang == 'en' else chr(0xa0) + ':'} {' '.join(message.split())}")
    return lines


def write_check(result: CheckResult, out_dir) -> Path:
    """``validation.json`` of the check in ``out_dir`` (created if needed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    source = result.utility.validation if result.utility is not None else getattr(result.error, "report", None)
    if source is None:
        raise InputError("nothing was validated: the files could not be read",
                         fr="rien n’a été validé : les fichiers n’ont pas pu être lus")
    return write_json(source.to_dict(), out / "validation.json")

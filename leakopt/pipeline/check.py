"""``leakopt check``: read and validate a utility's files in seconds, before a run.

It prints what was read and kept, what was left out and why, and the data checks
(``validation.json`` when ``--out`` is given).  With ``--suggest-config FILE``, files whose
required columns bear other names are mapped in one pass: the likely columns
(:func:`leakopt.io.guess_columns`) are added to the configuration (``--config``'s text, completed,
or a new one), written to FILE for the user to check, and the files are checked with it.  A required
column that no guess finds is written there too, as a commented line naming the file's columns
still free, and the check stops on it (the files cannot be read as they are).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from leakopt import schema as S
from leakopt.config import config_from_dict, load_config, with_columns
from leakopt.errors import InputError, MissingColumnsError
from leakopt.io import write_json
from leakopt.pipeline.stages import load
from leakopt.schema import Progress
from leakopt.validate.messages import Localized

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

    @property
    def to_map(self) -> list[tuple[str, str]]:
        """(table, contract name) of each required column no guess found."""
        return [(c.table, c.name) for c in self.choices if c.column is None and not c.optional]

    @property
    def guessed(self) -> list[tuple[str, str, str]]:
        """(table, contract name, column) of each column mapped by a guess."""
        return [(c.table, c.name, c.column) for c in self.choices if c.column is not None]


def column_choices(exc: MissingColumnsError) -> list[ColumnChoice]:
    """The columns a :class:`~leakopt.errors.MissingColumnsError` names, required then optional, with their guesses."""
    return [ColumnChoice(exc.table, name, exc.guesses.get(name), name not in exc.missing)
            for name in [*exc.missing, *exc.optional]]


def _candidates(exc: MissingColumnsError, found: dict[str, str], text: str) -> list[str]:
    """The file's columns that neither a guess nor the configuration ``text`` maps: where a column still
    to map may be."""
    try:
        mapped = set(tomllib.loads(text).get(exc.table, {}).values()) if text else set()
    except tomllib.TOMLDecodeError:
        mapped = set()
    return [c for c in exc.columns if c not in mapped and c not in found.values()]


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
    for _ in range(GUESS_ROUNDS):
        try:
            result.utility = load(pipes, leaks, network, config=config, as_of=as_of, layer=layer, progress=progress)
            return result
        except MissingColumnsError as exc:
            if not suggest:
                raise
            result.first_missing = result.first_missing or exc
            seen = {(c.table, c.name) for c in result.choices}
            new = [c for c in column_choices(exc) if (c.table, c.name) not in seen]
            result.choices += new
            result.columns[exc.table] = list(exc.columns)
            found = {c.name: c.column for c in new if c.column is not None}
            unfound = [c.name for c in new if c.column is None and not c.optional]
            if unfound:   # the file with what was guessed, and a line to complete for each column still to map
                result.config_text = with_columns(text or SUGGESTED_HEADER, exc.table, found,
                                                  to_map=dict.fromkeys(unfound, _candidates(exc, found, text)))
                result.error = exc
                return result
            if not found:
                result.error = exc
                return result
            text = with_columns(text or SUGGESTED_HEADER, exc.table, found)
            result.config_text = text
            suggested = Localized("the suggested configuration", fr="la configuration suggérée")
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


def check_text(result: CheckResult, *, lang: str = "en") -> str:
    """The lines ``leakopt check`` prints about a loaded utility, in ``lang`` (the data checks' French
    from ``message_fr``)."""
    from leakopt.pipeline.summary import summary_translator
    from leakopt.validate.messages import issue_message, severity_label
    t = summary_translator(lang)
    s = result.utility.validation.summary
    excluded = s.get("leaks_excluded") or {}
    lines = [t("ck_counts", read=t.number(s["pipes_read"]), kept=t.number(s["pipes_kept"]),
               km=t.number(s["pipes_length_km"], decimals=1), leaks_read=t.number(s["leaks_read"]),
               used=t.number(s["leaks_used"]), as_of=t.printed_date(s["as_of"]))]
    if excluded:
        def reason(code: str) -> str:
            return t(f"ck_reason_{code}") if f"ck_reason_{code}" in t.table else code.replace("_", " ")
        lines.append(t("ck_left_out", reasons=", ".join(f"{t.number(n)} {reason(c)}" for c, n in excluded.items())))
    leaks = result.utility.leaks
    if "type" in leaks and "leak_types" not in s and leaks["type"].nunique() > 1:
        counts = leaks["type"].astype("str").value_counts()
        lines.append(t("ck_by_type", types=", ".join(f"{k} {t.number(v)}" for k, v in counts.head(8).items())))
    issues = [i for i in result.utility.validation.issues if i.severity in ("error", "warning")]
    if issues:
        lines.append(t("ck_to_read", n=len(issues)))
        for i in issues:   # the English severity as it always was; French as the report and the app name it
            severity = i.severity if t.lang == "en" else severity_label(i.severity, t.lang)
            message = issue_message(i.to_dict(), t.lang)
            lines.append(f"  - {severity}{':' if t.lang == 'en' else chr(0xa0) + ':'} {' '.join(message.split())}")
    else:
        lines.append(t("ck_none"))
    return "\n".join(lines)


def write_check(result: CheckResult, out_dir) -> Path:
    """``validation.json`` of the check in ``out_dir`` (created if needed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    source = result.utility.validation if result.utility is not None else getattr(result.error, "report", None)
    if source is None:
        raise InputError("nothing was validated: the files could not be read",
                         fr="rien n’a été validé : les fichiers n’ont pas pu être lus")
    return write_json(source.to_dict(), out / "validation.json")

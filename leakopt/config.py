"""The TOML configuration file, mapped onto one frozen dataclass per stage.

A configuration file has one table per stage, each optional::

    [columns]            # your column names -> the contract's
    pipe_id = "WATMAINID"
    material = "MATERIAL"

    [leak_columns]       # the same for the leak file
    date = "BREAK_DATE"

    [validate]           # leakopt.validate.ValidateConfig
    snap_max_distance_m = 50

    [risk]               # leakopt.risk.RiskConfig
    extra_features = ["soil_type"]

Each table's keys are the fields of that stage's dataclass; an unknown key is
an error that names the file, the table and the fields it accepts.  A table the
command does not read (``[pressure]`` in ``leakopt backtest``, or in ``leakopt run``
when it places no pressure sensors) is accepted, and the command warns that it
does not use it.
"""
from __future__ import annotations

import dataclasses
import difflib
import importlib
import json
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leakopt.errors import InputError

#: TOML table -> "module:DataclassName" of the stage that reads it.
STAGE_CONFIGS: dict[str, str] = {
    "validate": "leakopt.validate.core:ValidateConfig",
    "risk": "leakopt.risk.model:RiskConfig",
    "priority": "leakopt.risk.priority:PriorityConfig",
    "backtest": "leakopt.risk.backtest:BacktestConfig",
    "consequence": "leakopt.consequence.config:ConsequenceConfig",
    "coverage": "leakopt.placement.coverage:CoverageConfig",
    "placement": "leakopt.placement.solve:PlacementConfig",
    "pressure": "leakopt.placement.pressure:PressureConfig",
    "campaign": "leakopt.placement.campaign:CampaignConfig",
    "renewal": "leakopt.renewal.plan:RenewalConfig",
    "report": "leakopt.report.build:ReportConfig",
}

#: Tables only some commands read: table -> (the commands that read it, what it configures).
PARTIAL_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "pressure": (("sensors --kind pressure", "run --pressure-sensors K (or [pressure] n = K, with --network)"),
                 "pressure-sensor placement (leakopt.placement.place_pressure_sensors)"),
    "coverage": (("run", "demo", "sensors", "campaign"), "the acoustic loggers' listening ranges and sites"),
    "placement": (("run", "demo", "sensors"), "acoustic logger placement"),
    "campaign": (("campaign",), "the logger campaign (lift and shift)"),
}


@dataclass(frozen=True)
class Config:
    """The whole configuration: column mappings and one object per stage.

    Stage objects are built lazily from their tables by :meth:`stage`, so
    reading a configuration imports no heavy module.
    """

    columns: dict[str, str] = field(default_factory=dict)
    leak_columns: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str | None = None

    def stage(self, name: str):
        """Return the frozen config object of stage ``name`` (defaults where unset)."""
        if name not in STAGE_CONFIGS:
            raise InputError(f"unknown configuration stage {name!r}; known: {sorted(STAGE_CONFIGS)}",
                             fr=f"étape de configuration {name!r} inconnue ; étapes connues : {sorted(STAGE_CONFIGS)}")
        cls = _config_class(name)
        values = self.tables.get(name, {})
        return _build(cls, values, where=f"[{name}] of {self.path or 'the configuration'}",
                      where_fr=f"la table [{name}] de {getattr(self.path, 'fr', self.path) or 'la configuration'}")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of everything set, for the run manifest."""
        return {"columns": dict(self.columns), "leak_columns": dict(self.leak_columns),
                **{k: dict(v) for k, v in self.tables.items()}}


def unused_tables(config: Config, *, command: str, reads: tuple[str, ...] = ()) -> dict[str, str]:
    """Tables set in the configuration that ``leakopt <command>`` does not read, each with a sentence.

    ``reads``: tables this call of the command reads although the command does not always
    (``[pressure]`` for a ``run`` that places pressure sensors).  The command logs each sentence
    as a warning and records the dict (``manifest.json`` for ``run``, ``validation.json`` for
    ``sensors``), so a table is never accepted and silently ignored.
    """
    where = config.path or "the configuration"
    return {name: (f"[{name}] of {where} is not used by 'leakopt {command}': it configures {what}, "
                   f"read by {_commands(readers)} only; these settings change nothing here")
            for name, (readers, what) in PARTIAL_TABLES.items()
            if name in config.tables and command not in readers and name not in reads}


def _commands(commands) -> str:
    return ", ".join("'leakopt " + c + "'" for c in commands)


def _config_class(name: str):
    module, cls = STAGE_CONFIGS[name].split(":")
    return getattr(importlib.import_module(module), cls)


def _key_hint(key: str, names, lang: str = "en") -> str:
    """" did you mean 'num_leaves'?" or " leak_types is a setting of [validate]." for an unknown ``key``
    (``lang="fr"``: in French, written with plain spaces)."""
    close = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.75)
    if close:
        return (f" vouliez-vous dire {close[0]!r} au lieu de {key!r} ?" if lang == "fr" else
                f" did you mean {close[0]!r} for {key!r}?")
    homes = [name for name in sorted(STAGE_CONFIGS)
             if key in {f.name for f in dataclasses.fields(_config_class(name))}]
    if homes and lang == "fr":
        there = "dans cette table" if len(homes) == 1 else "dans l’une d’elles"
        return f" {key!r} est un réglage de {' et de '.join(f'[{h}]' for h in homes)} : déplacez-le {there}."
    if homes:
        return f" {key!r} is a setting of {' and '.join(f'[{h}]' for h in homes)}: move it there."
    return ""


def _build(cls, values: dict[str, Any], *, where: str, where_fr: str):
    """``cls`` built from a table's ``values``; ``where``: the table, as the English names it ("[risk] of
    cfg.toml"), ``where_fr`` as the French does ("la table [risk] de cfg.toml")."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - names)
    if unknown:
        hints = "".join(_key_hint(key, names) for key in unknown)
        hints_fr = "".join(_key_hint(key, names, "fr") for key in unknown)
        raise InputError(f"unknown key(s) {unknown} in {where};{hints} accepted keys: {sorted(names)}",
                         fr=f"clé(s) inconnue(s) {unknown} dans {where_fr} ;{hints_fr} clés acceptées : "
                            f"{sorted(names)}")
    converted = {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name in values:
            v = _checked(f.name, values[f.name], hints.get(f.name), f.default, where=where, where_fr=where_fr)
            # TOML has no tuples and no dict keys other than strings: convert lists back.
            if isinstance(v, list):
                v = tuple(v)
            converted[f.name] = v
    try:
        return cls(**converted)
    except (TypeError, ValueError) as exc:
        raise InputError(f"invalid value in {where}: {exc}",   # the stage's own French, when it has one
                         fr=f"valeur invalide dans {where_fr} : {getattr(exc, 'fr', None) or exc}") from exc


def _kind(hint) -> str | None:
    """The kind of value a field's annotation asks for, among those :func:`_checked` checks: ``"float"``,
    ``"int"``, ``"bool"``, ``"str"``, ``"str_list"``, ``"float_list"``, ``"table"``; None for the others."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) != 1:   # bool | str: the stage checks it
            return None
        hint = rest[0]
    if hint in (float, int, bool, str):
        return hint.__name__
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in (str, float):
        return f"{args[0].__name__}_list"
    if hint is dict or origin in (dict, Mapping) or hint is Mapping:
        return "table"
    return None


def _as_number(text: str) -> float | None:
    """The number a text such as "0.8", "0,8" or "2 500 000" writes, or None."""
    try:
        return float(re.sub(r"[\s\u00a0\u202f_]", "", text).replace(",", "."))
    except ValueError:
        return None


def _checked(key: str, value, hint, default, *, where: str, where_fr: str):
    """``value`` of ``key`` when it is of the kind the field's annotation ``hint`` asks for (a whole
    float such as ``5.0`` given for a whole number is taken as ``5``; one text for a list of texts as a
    list of one), else an :class:`InputError` naming the file, the table, the key and how to write it,
    instead of an error from deep inside the stage (a configuration's strings, lists or French decimal
    commas where a number goes); ``where_fr``: the table as the French names it."""
    kind = _kind(hint)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    example = default if isinstance(default, (int, float, str)) and not isinstance(default, bool) else None
    if kind in ("float", "int"):
        if kind == "int" and isinstance(value, float) and value.is_integer():
            return int(value)
        if is_number and (kind == "float" or isinstance(value, int)):
            return value
        what = "a whole number" if kind == "int" else "a number"
        what_fr = "un nombre entier" if kind == "int" else "un nombre"
        if isinstance(value, str) and _as_number(value) is not None:
            number = _as_number(value)
            shown = int(number) if number.is_integer() else number
            fix = f"write it without quotes{'' if ',' not in value else ', with a decimal point'}: {key} = {shown}"
            fix_fr = (f"écrivez-la sans guillemets{'' if ',' not in value else ', avec un point décimal'} : "
                      f"{key} = {shown}")
        elif isinstance(value, float):
            fix = f"give a whole number, e.g. {key} = {round(value)}"
            fix_fr = f"donnez un nombre entier, par exemple {key} = {round(value)}"
        else:
            fix = f"e.g. {key} = {example if example is not None else 1}"
            fix_fr = f"par exemple {key} = {example if example is not None else 1}"
        raise InputError(f"invalid value in {where}: {key} = {_toml(value)} is not {what}; {fix}",
                         fr=f"valeur invalide dans {where_fr} : {key} = {_toml(value)} n’est pas {what_fr} ; "
                            f"{fix_fr}")
    if kind == "bool" and not isinstance(value, bool):
        raise InputError(f"invalid value in {where}: {key} = {_toml(value)} is not true or false; "
                         f"write {key} = true or {key} = false, without quotes",
                         fr=f"valeur invalide dans {where_fr} : {key} = {_toml(value)} n’est ni true ni false ; "
                            f"écrivez {key} = true ou {key} = false, sans guillemets")
    if kind == "str" and not isinstance(value, str) and not (key.endswith("crs") and isinstance(value, int)):
        shown = _toml(example if isinstance(example, str) else str(value))
        raise InputError(f"invalid value in {where}: {key} = {_toml(value)} is not a text; write it in quotes, "
                         f"e.g. {key} = {shown}",
                         fr=f"valeur invalide dans {where_fr} : {key} = {_toml(value)} n’est pas un texte ; "
                            f"écrivez-la entre guillemets, par exemple {key} = {shown}")
    if kind == "str_list":
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"invalid value in {where}: {key} = {_toml(value)} is not a list of texts; "
                             f'write them in quotes between brackets, e.g. {key} = ["A", "B"]',
                             fr=f"valeur invalide dans {where_fr} : {key} = {_toml(value)} n’est pas une liste de "
                                f"textes ; écrivez-les entre guillemets et entre crochets, par exemple "
                                f'{key} = ["A", "B"]')
    if kind == "float_list" and (not isinstance(value, list) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise InputError(f"invalid value in {where}: {key} = {_toml(value)} is not a list of numbers; "
                         f"write them without quotes between brackets, e.g. {key} = {_toml(list(default))}",
                         fr=f"valeur invalide dans {where_fr} : {key} = {_toml(value)} n’est pas une liste de "
                            f"nombres ; écrivez-les sans guillemets, entre crochets, par exemple "
                            f"{key} = {_toml(list(default))}")
    if kind == "table" and not isinstance(value, dict):
        raise InputError(f"invalid value in {where}: {key} = {_toml(value)} is not a table of names and values; "
                         f'write it between braces, e.g. {key} = {{ "name" = value }}',
                         fr=f"valeur invalide dans {where_fr} : {key} = {_toml(value)} n’est pas une table de noms "
                            f'et de valeurs ; écrivez-la entre accolades, par exemple {key} = {{ "nom" = valeur }}')
    return value


def _toml(value) -> str:
    """``value`` as TOML writes it (``"0,8"``, ``[1, 2]``, ``true``), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


#: tomllib's reasons, in French (``re`` patterns, the first that matches).
_TOML_REASONS_FR = (
    (r"Expected '\]' at the end of a table declaration", "il manque « ] » à la fin du nom de table"),
    (r"Invalid value", "valeur illisible (un texte s’écrit entre guillemets, un nombre avec un point décimal)"),
    (r"Expected '=' after a key in a key/value pair", "il manque « = » après le nom du réglage"),
    (r"Cannot overwrite a value", "ce réglage est déjà donné plus haut"),
    (r"Cannot declare .* twice", "cette table est déjà déclarée plus haut"),
    (r"Expected newline or end of document after a statement",
     "texte en trop après la valeur (une virgule décimale, ou un texte sans guillemets ?)"),
    (r"Invalid statement", "ligne illisible (attendu : nom = valeur, ou [table])"),
    (r"Unclosed array", "liste non refermée (il manque « ] »)"),
    (r"Unclosed inline table", "table en ligne non refermée (il manque « } »)"),
    (r"Unescaped '\\' in a string",
     "« \\ » non doublé dans un texte (écrivez « \\\\ », ou le chemin entre apostrophes)"),
    (r"Expected (\"|')|Unterminated string", "texte non refermé (il manque le guillemet de fin)"),
    (r"Invalid date or datetime", "date illisible (attendu : AAAA-MM-JJ)"),
    (r"Illegal character '\\n'", "texte non refermé avant la fin de la ligne (il manque le guillemet de fin)"),
)


def toml_error_fr(exc: tomllib.TOMLDecodeError) -> str:
    """The French of a TOML parsing error: where ("ligne 1, colonne 9") and why, tomllib's English
    reason kept in quotes when it has no French here."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)$", text)
    reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", text)
    french = next((fr for pattern, fr in _TOML_REASONS_FR if re.match(pattern, reason)), f"« {reason} »")
    place = f"ligne {where[1]}, colonne {where[2]}" if where else "à la fin du fichier"
    return f"{french} ({place})"


def load_config(path: str | Path | None) -> Config:
    """Read a TOML configuration file; ``None`` gives the defaults.

    Raises
    ------
    InputError
        If the file is missing, is not valid TOML, or has an unknown table.
    """
    if path is None:
        return Config()
    path = Path(path)   # read with "utf-8-sig": Windows Notepad starts a UTF-8 file with a byte-order mark
    if not path.is_file():
        raise InputError(f"configuration file {path} does not exist; give the path of a .toml file",
                         fr=f"le fichier de configuration {path} n’existe pas ; donnez le chemin d’un fichier .toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"configuration file {path} is not valid TOML: {exc}",
                         fr=f"le fichier de configuration {path} n’est pas un TOML valide : {toml_error_fr(exc)}"
                         ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"configuration file {path} is not UTF-8 text: {exc}",
                         fr=f"le fichier de configuration {path} n’est pas un texte UTF-8 : {exc}") from exc
    return config_from_dict(data, path=str(path))


def with_columns(text: str, table: str, mapping: dict[str, str], *,
                 to_map: dict[str, list[str]] | None = None, replace: dict[str, str] | None = None) -> str:
    """TOML ``text`` (a configuration file's, or ``""``) with ``mapping`` (contract name -> the
    file's column) added to its ``[table]`` (``columns`` or ``leak_columns``): under the table's
    header when the text has one, else as a new table at the end.  The rest of the text, comments
    included, is kept as it is.  ``to_map``: contract names no column was found for -> the file's
    candidate columns, each written as a commented line for the user to complete.  ``replace``: names
    of ``mapping`` the table may set already -> why they are replaced; such a line is kept, commented
    out with that reason (``# sheet = "X"   # replaced: why``), nothing dropped unsaid.

    Raises
    ------
    InputError
        If ``text`` is not valid TOML, or already maps one of these names (not in ``replace``).
    """
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"the configuration is not valid TOML: {exc}",
                         fr=f"la configuration n’est pas un TOML valide : {toml_error_fr(exc)}") from exc
    for key, why in (replace or {}).items():
        if key in mapping and key in before.get(table, {}):
            text = _commented_out(text, table, key, f"replaced: {why}")
            before = tomllib.loads(text)
    taken = sorted(set(before.get(table, {})) & set(mapping))
    if taken:
        raise InputError(f"[{table}] of the configuration already maps {taken}; edit them there",
                         fr=f"la table [{table}] de la configuration fait déjà correspondre {taken} ; "
                            "modifiez-les dans cette table")
    lines = "".join(f"{key} = {json.dumps(str(col), ensure_ascii=False)}\n" for key, col in mapping.items())
    lines += "".join(f"# {key} = \"?\"   # still to map: no column was found for {key}; the file's columns not mapped: "
                     f"{', '.join(candidates) or 'none'}\n" for key, candidates in (to_map or {}).items())
    header = re.search(rf"^[ \t]*\[{table}\][^\n]*\n?", text, flags=re.M)
    if header:
        head = text[:header.end()] + ("" if text[:header.end()].endswith("\n") else "\n")
        out = head + lines + text[header.end():]
    else:
        gap = "" if not text else "\n" if text.endswith("\n") else "\n\n"   # a blank line before the new table
        out = f"{text}{gap}[{table}]\n{lines}"
    tomllib.loads(out)   # what was written parses
    return out


def _commented_out(text: str, table: str, key: str, note: str) -> str:
    """TOML ``text`` with the line setting ``key`` in its ``[table]`` commented out, ``note`` after it."""
    header = re.search(rf"^[ \t]*\[{re.escape(table)}\][^\n]*\n?", text, flags=re.M)
    start = header.end() if header else 0
    end = re.search(r"^[ \t]*\[", text[start:], flags=re.M)
    section = text[start: start + end.start() if end else len(text)]
    edited = re.sub(rf"^([ \t]*{re.escape(key)}[ \t]*=[^\n]*)$", rf"# \1   # {note}", section, count=1, flags=re.M)
    return text[:start] + edited + text[start + len(section):]


def config_from_dict(data: dict[str, Any], *, path: str | None = None) -> Config:
    """Build a :class:`Config` from a parsed TOML document; ``path`` names it in errors (a string with a ``fr``
    attribute, as :class:`leakopt.validate.messages.Localized`, names it in French too)."""
    where, where_fr = path or "the configuration", getattr(path, "fr", path) or "la configuration"
    known = set(STAGE_CONFIGS) | {"columns", "leak_columns"}
    unknown = sorted(set(data) - known)
    if unknown:
        close = {t: difflib.get_close_matches(t, sorted(known), n=1, cutoff=0.6) for t in unknown}
        hints = "".join(f" did you mean [{c[0]}] for [{t}]?" for t, c in close.items() if c)
        hints_fr = "".join(f" vouliez-vous dire [{c[0]}] au lieu de [{t}] ?" for t, c in close.items() if c)
        raise InputError(f"unknown table(s) {unknown} in {where};{hints} accepted tables: {sorted(known)}",
                         fr=f"table(s) inconnue(s) {unknown} dans {where_fr} ;{hints_fr} tables acceptées : "
                            f"{sorted(known)}")
    for key in ("columns", "leak_columns"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise InputError(f"[{key}] in {where} must map contract names to your column names, "
                             f'e.g. pipe_id = "WATMAINID"',
                             fr=f"la table [{key}] de {where_fr} doit faire correspondre aux noms de colonnes "
                                f'qu’attend leakopt ceux de vos colonnes, par exemple pipe_id = "WATMAINID"')
    tables = {k: dict(v) for k, v in data.items() if k in STAGE_CONFIGS}
    cfg = Config(columns=dict(data.get("columns", {})), leak_columns=dict(data.get("leak_columns", {})),
                 tables=tables, path=path)
    for name in tables:   # fail early on bad keys, naming the table
        cfg.stage(name)
    return cfg

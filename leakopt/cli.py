"""The ``leakopt`` command line.

Every sub-command exits 0 on success and 2 on bad input, with one readable
paragraph naming the file, row or column and what to do; never a bare
traceback (``--debug`` shows it).  Heavy libraries are imported only by the
sub-command that needs them, so ``leakopt --help`` is instant.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import shlex
import sys
import textwrap
import time
from pathlib import Path

from leakopt import __version__, pipeline
from leakopt.config import config_from_dict, load_config
from leakopt.errors import InputError, LeakoptError, MissingColumnsError
from leakopt.i18n import LEVELS_FR, NBSP, FrenchLog, Translator, fmt_int, french_spacing
from leakopt.io import check_crs
from leakopt.report import write_report
from leakopt.schema import describe, fraction, stage_of, step_text, within
from leakopt.synth import HAZARDS, SynthConfig
from leakopt.synth import generate as synth

log = logging.getLogger("leakopt")

EXIT_OK, EXIT_ERROR, EXIT_INPUT = 0, 1, 2


class Progress:
    """Progress on stderr, one line per stage: ``risk: boosting rounds [######--------------] 60/200``.

    The command line's ``progress(step, done, total)`` callback (:mod:`leakopt.schema`).  On a
    terminal each stage's line is redrawn in place and ends when the next stage starts (or at
    :meth:`close`); in logs and CI a plain line is written when the step changes, when it is
    complete, and otherwise at most every ``every_s`` seconds.
    """

    WIDTH, BAR = 100, 20

    def __init__(self, stream=None, *, enabled: bool = True, every_s: float = 10.0, lang: str = "en"):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.lang = lang
        self.every_s = every_s
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._stage = self._step = None
        self._last_time = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.tty:
            if self._stage not in (None, stage_of(step)):
                self.stream.write("\n")
            filled = int(round(self.BAR * fraction(done, total)))
            numbers = f"{done}/{total}" if self.lang == "en" else f"{fmt_int(done, 'fr')}/{fmt_int(total, 'fr')}"
            words = step_text(step, self.lang)
            line = f"{words} [{'#' * filled}{'-' * (self.BAR - filled)}] {numbers}"
            self.stream.write(printable("\r" + line[-self.WIDTH:].ljust(self.WIDTH), self.stream))
        elif step != self._step or done >= total or time.monotonic() - self._last_time > self.every_s:
            self.stream.write(printable(describe(step, done, total, self.lang), self.stream) + "\n")
            self._last_time = time.monotonic()
        self._stage, self._step = stage_of(step), step
        self.stream.flush()

    def close(self) -> None:
        """End the current stage's line (on a terminal), before anything else is printed."""
        if self.enabled and self.tty and self._stage is not None:
            self.stream.write("\n")
            self.stream.flush()
        self._stage = self._step = None


class UnreadDate(str):
    """A date argument that is not YYYY-MM-DD, kept as typed: :func:`main` refuses it (:func:`date_error`) once
    it knows the language to say it in (argparse parses the arguments before ``--lang`` or the configuration's
    ``[report] lang`` are known)."""


def _date(text: str):
    import datetime as dt
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return UnreadDate(text)


def date_readings(text: str) -> list:
    """The dates ``text`` can be read as, day-first or month-first ("31/01/2025", "1.2.2025", "01-31-2025"),
    year-first ("2025/1/31") or with one-digit fields ("2025-1-5"); two when the day and the month can be swapped
    ("03/04/2025": 3 April or 4 March), none when it is not read (a two-digit year, words)."""
    import datetime as dt
    found = re.fullmatch(r"\s*(\d{1,4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,4})\s*", text)
    if not found:
        return []
    a, _, b, c = found.groups()
    if len(a) == 4 and len(c) <= 2:
        forms = [(int(a), int(b), int(c))]
    elif len(c) == 4 and len(a) <= 2:
        forms = [(int(c), int(b), int(a)), (int(c), int(a), int(b))]
    else:
        return []
    readings = []
    for year, month, day in forms:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date not in readings:
            readings.append(date)
    return readings


def date_error(option: str, text: str) -> InputError:
    """The error for the date argument ``text`` of ``option`` that is not YYYY-MM-DD, in English and French,
    with the ISO form(s) to type (both, named in words, when the day and the month can be swapped)."""
    from leakopt.i18n import fmt_date
    readings = date_readings(text)
    if not readings:
        return InputError(f"{option} {text!r} is not a date in the form YYYY-MM-DD, e.g. 2024-01-01",
                          fr=f"{option} {text!r} n’est pas une date au format AAAA-MM-JJ, par ex. 2024-01-01")
    if len(readings) == 1:
        return InputError(f"{option} {text!r} is not a date in the form YYYY-MM-DD: write {readings[0]}",
                          fr=f"{option} {text!r} n’est pas une date au format AAAA-MM-JJ : écrivez {readings[0]}")
    en, fr = ([f"{d} ({fmt_date(d, lang)})" for d in readings] for lang in ("en", "fr"))
    return InputError(f"{option} {text!r} is not a date in the form YYYY-MM-DD: write {en[0]} or {en[1]}",
                      fr=f"{option} {text!r} n’est pas une date au format AAAA-MM-JJ : écrivez {fr[0]} ou {fr[1]}")


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; give a share between 0 and 1, e.g. 0.8")
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{value} is not a share in (0, 1]; e.g. 0.8 for 80%")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} must be a positive whole number")
    return value


def _synth_pipes(text: str) -> int:
    """``synth --pipes``: a synthetic utility has 20 pipes or more (its districts and layout need them)."""
    value = _positive_int(text)
    if value < 20:
        raise argparse.ArgumentTypeError(f"{value} pipes are too few: a synthetic utility has 20 pipes or more")
    return value


def _count(text: str) -> int:
    """A whole number >= 0 (0 switches off what a configuration asked for)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be a whole number >= 0")
    return value


def _crs(text: str) -> str:
    """``--crs``: checked with pyproj while the arguments are parsed, before any work."""
    try:
        return check_crs(text, name="--crs")
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--crs ")) from None


def _add_common_inputs(p: argparse.ArgumentParser, *, require_leaks: bool = True) -> None:
    p.add_argument("--pipes", required=True, metavar="P",
                   help="asset register: CSV, Excel workbook (.xlsx), GeoPackage, GeoJSON or Shapefile")
    p.add_argument("--leaks", required=require_leaks, metavar="L", help="leak/break history (CSV or .xlsx)" + (
        "" if require_leaks else "; may be left out with --model, for a utility with no history"))
    p.add_argument("--network", metavar="N.inp", help="EPANET network (optional)")
    p.add_argument("--config", metavar="C.toml", help="configuration (column mapping, stage settings)")
    p.add_argument("--layer", help="layer name when the pipes file is a multi-layer GeoPackage, or sheet name when "
                   "it is an Excel workbook (.xlsx, .xlsm) whose sheets hold several tables")


def _add_scored_network(p: argparse.ArgumentParser) -> None:
    """What the logger commands (sensors, campaign) start from: a network, its risk scores, settings, CRS."""
    p.add_argument("--network", required=True, metavar="N.inp")
    p.add_argument("--risk", required=True, metavar="DIR/risk.csv")
    p.add_argument("--config", metavar="C.toml")
    p.add_argument("--crs", type=_crs, help="CRS of the network coordinates, e.g. EPSG:2154 (for WGS84 output)")


def _add_sites(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sites", metavar="S", help="your hydrants/valves as logger sites: CSV with x, y (site_id, kind) "
                   "or a GIS point layer; snapped to the nearest pipe (default: [coverage] sites of --config)")


def _add_output(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("--out", required=required, metavar="DIR", help="output folder (created if needed)")
    p.add_argument("--lang", choices=("en", "fr"), default=None,
                   help="language of the report, the explanations and the lines printed (default: the [report] "
                        "lang of --config, else en)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leakopt",
        description="Find the pipes that will leak, place the fewest sensors on them, plan renewals.",
        epilog="Run 'leakopt demo' to see the whole pipeline on the shipped sample data.",
    )
    parser.add_argument("--version", action="version", version=f"leakopt {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="whole pipeline on the shipped sample data")
    _add_output(p, required=False)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="whole pipeline on your data")
    _add_common_inputs(p, require_leaks=False)   # required unless --model: checked in cmd_run
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                   help="forecast date: only leaks before it are used (default: day after the last leak)")
    _add_output(p)
    p.add_argument("--no-sensors", action="store_true", help="skip acoustic logger placement")
    _add_sites(p)
    p.add_argument("--pressure-sensors", type=_count, default=None, metavar="K",
                   help="also place K pressure sensors on simulated leaks (needs --network; default: [pressure] n "
                        "of --config, else none)")
    p.add_argument("--valves", metavar="V", help="your isolation valves, which bound the segments a break shuts: "
                   "a GIS point layer or a CSV with x, y, snapped to the nearest pipe (or a CSV of pipe ends: "
                   "link, node); default: [consequence] valves_file of --config")
    p.add_argument("--no-backtest", action="store_true", help="skip the backtest on history")
    p.add_argument("--model", metavar="M", help="score with a model trained elsewhere (model.txt of another "
                   "utility's run, with its model.txt.glm.json beside it) instead of training one: for a leak "
                   "history that is empty or too short to learn from")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="read and validate your files in seconds, before a run")
    _add_common_inputs(p)
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="forecast date, as for run")
    p.add_argument("--out", metavar="DIR", help="also write validation.json there (created if needed)")
    p.add_argument("--lang", choices=("en", "fr"), default=None,
                   help="language of the lines printed (default: the [report] lang of --config, else English)")
    p.add_argument("--suggest-config", metavar="FILE",
                   help="when required columns bear other names, write the configuration that maps the likely "
                        "ones (--config's, completed) to FILE, and check the files with it")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backtest", help="prove the ranking on history: train before a cutoff, test after")
    _add_common_inputs(p)
    p.add_argument("--cutoff", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--horizon-years", type=_positive_int, default=3, metavar="K")
    p.add_argument("--truth", metavar="truth.csv", help="true rates of a synthetic utility (oracle ranking)")
    _add_output(p)
    p.set_defaults(func=cmd_backtest)

    p = sub.add_parser("sensors", help="place acoustic loggers (or pressure sensors) on a scored network")
    _add_scored_network(p)
    p.add_argument("--kind", choices=("acoustic", "pressure"), default="acoustic",
                   help="acoustic loggers (default) or pressure sensors, placed on simulated leaks ([pressure] of "
                        "--config) to detect the most expected leaks")
    p.add_argument("--n", type=_positive_int, default=None, metavar="K",
                   help="number of pressure sensors (--kind pressure; default: [pressure] n of --config, else 5)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--target-share", type=_share, default=None, metavar="S",
                       help="share of expected leaks to cover (default 0.8)")
    group.add_argument("--budget", type=_positive_int, default=None, metavar="K",
                       help="number of loggers available: cover as much expected leakage as possible")
    _add_sites(p)
    _add_output(p)
    p.set_defaults(func=cmd_sensors)

    p = sub.add_parser("campaign", help="lift and shift: the deployments of K loggers that hear the most soonest")
    _add_scored_network(p)
    p.add_argument("--loggers", type=_positive_int, metavar="K",
                   help="loggers laid at each deployment (default: [campaign] loggers of --config, else 20)")
    p.add_argument("--days", type=_positive_int, metavar="D", help="days a deployment listens (default 14)")
    p.add_argument("--share", type=_share, metavar="S",
                   help="stop once this share of the scope's expected leaks is heard (default 1: all in reach)")
    p.add_argument("--scope", choices=("zone", "network"),
                   help="listen to the priority zone (default) or the whole network")
    _add_sites(p)
    _add_output(p)
    p.set_defaults(func=cmd_campaign)

    p = sub.add_parser("synth", help="write a realistic synthetic utility (network, register, leaks, truth)")
    p.add_argument("--pipes", type=_synth_pipes, required=True, metavar="N", help="number of pipes (20 or more)")
    p.add_argument("--seed", type=_count, default=0, metavar="S", help="random seed, a whole number >= 0 (default 0)")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--hazard", choices=HAZARDS, default="districts",
                   help="hazard family: districts (default, the sample's: exponential ageing, frailty per district) "
                        "or pipes (Weibull ageing, decaying self-excitation, frailty per pipe)")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("report", help="(re)write report.html of a run folder, e.g. in French")
    p.add_argument("run_dir", metavar="DIR")
    p.add_argument("--lang", choices=("en", "fr"), default=None,
                   help="language (default: the [report] table's, else English)")
    p.add_argument("--config", metavar="C.toml",
                   help="its [report] table (default: the one the run recorded in DIR/manifest.json)")
    p.add_argument("--out", metavar="FILE", help="where to write it (default: DIR/report.html)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("app", help="open the Streamlit app")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--headless", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_app)
    return parser


# --- sub-commands ---------------------------------------------------------------------------

def printable(text: str, stream) -> str:
    """``text`` as ``stream`` can encode it: a terminal or file whose encoding lacks one of its characters
    (French no-break spaces on a Windows code page) gets plain spaces and '?' instead of an error."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        plain = text.replace("\u202f", " ").replace("\u00a0", " ")
        try:
            return plain.encode(encoding, errors="replace").decode(encoding)
        except LookupError:
            return plain.encode("ascii", errors="replace").decode("ascii")


def say(text: str) -> None:
    """Print ``text`` on standard output, as it can be written there (:func:`printable`)."""
    print(printable(text, sys.stdout))


def cmd_demo(args) -> int:
    out = Path(args.out) if args.out else Path.home() / "leakopt-demo"
    result = pipeline.run_demo(out_dir=out, lang=args.lang, progress=args.progress)
    args.progress.close()
    say(pipeline.summary_text(result, lang=args.lang))
    return EXIT_OK


def cmd_run(args) -> int:
    if args.leaks is None and args.model is None:
        raise InputError("run needs --leaks L, the leak and break history (CSV, one row per repaired leak); "
                         "for a utility with no history, score its pipes with a model trained elsewhere "
                         "(--model OTHER_RUN/model.txt), or give a leak file with its header only (date,pipe_id): "
                         "the pipes are then ranked by published break rates by material, age and diameter",
                         fr="la commande run demande --leaks L, l’historique des fuites et des casses (CSV, une ligne "
                            "par fuite réparée) ; pour un service sans historique, notez ses conduites avec un modèle "
                            "appris ailleurs (--model AUTRE_ANALYSE/model.txt), ou donnez un fichier de fuites réduit "
                            "à sa ligne d’en-tête (date,pipe_id) : les conduites sont alors classées d’après les taux "
                            "de casse publiés par matériau, âge et diamètre")
    config = load_config(args.config)
    result = pipeline.run(args.pipes, args.leaks, args.network, config=config, as_of=args.as_of,
                          out_dir=args.out, lang=args.lang, layer=args.layer,
                          sensors=not args.no_sensors, backtest=not args.no_backtest,
                          progress=args.progress, sites=args.sites, pressure_sensors=args.pressure_sensors,
                          valves=args.valves, model=args.model)
    args.progress.close()
    say(pipeline.summary_text(result, lang=args.lang))
    return EXIT_OK


#: The lines of ``check --suggest-config``, in each language.
SUGGEST_TEXTS = {
    "wrote": {"en": "Wrote {file}, with columns guessed from their names and values (check them): {guessed}.",
              "fr": "{file} écrit, avec les colonnes devinées d’après leurs noms et leurs valeurs (vérifiez-les) : "
                    "{guessed}."},
    "none": {"en": "none", "fr": "aucune"},
    "to_map": {"en": "Still to map in {file} (a commented line each, with the file's columns not mapped): {columns}; "
                     "then check again with --config {file}.",
               "fr": "Encore à faire correspondre dans {file} (une ligne en commentaire chacune, avec les colonnes du "
                     "fichier qui ne correspondent à rien) : {columns} ; puis vérifiez de nouveau avec --config "
                     "{file}."},
}


def _say_found(exc: BaseException, args) -> None:
    """Before ``check`` stops on a fatal data problem, the other problems found up to it, which the check
    prints at its end (it mutes them while reading: it never reaches its end); with ``-v`` they were logged."""
    from leakopt.pipeline.check import issue_lines
    report = getattr(exc, "report", None)
    if report is None or args.verbose:
        return
    lines = issue_lines(report, lang=args.lang or load_config(args.config).stage("report").lang)
    if lines:
        say("\n".join(lines))


def shell_word(value) -> str:
    """An argument of a command printed to be copied: as it is when no shell reads it otherwise (a Windows
    path's backslashes included), else in double quotes, read alike by cmd, PowerShell and POSIX shells (a
    sheet named "Water mains"), or in POSIX single quotes when it holds a sign that double quotes leave live."""
    text = str(value)
    if re.fullmatch(r"[\w@%+=:,./\\-]+", text):
        return text
    return f'"{text}"' if not re.search(r'["$`!\n]', text) else shlex.quote(text)


def cmd_check(args) -> int:
    from leakopt.pipeline.check import check_files, check_text, write_check
    from leakopt.pipeline.stages import make_out_dir, validation_kept
    out = make_out_dir(args.out) if args.out else None   # as run: a folder it can write to, before the files are read
    checks = logging.getLogger("leakopt.validate.report")   # the data checks are printed below, once
    level = checks.level
    if not args.verbose:
        checks.setLevel(logging.ERROR)
    try:
        with validation_kept(out):   # a fatal data problem: validation.json still says all found, as run writes it
            result = check_files(args.pipes, args.leaks, args.network, config_path=args.config, as_of=args.as_of,
                                 layer=args.layer, suggest=args.suggest_config is not None, progress=args.progress)
    except InputError as exc:
        _say_found(exc, args)
        raise
    finally:
        checks.setLevel(level)
    args.progress.close()
    if result.config_text is not None:
        Path(args.suggest_config).write_text(result.config_text, encoding="utf-8")
        t = Translator(SUGGEST_TEXTS, args.progress.lang)   # the command's language (--lang, else the config's)
        guessed = ", ".join(f"[{table}] {name} = \"{col}\"" for table, name, col in result.guessed)
        print(t("wrote", file=args.suggest_config, guessed=guessed or t("none")))
        args.suggest_written = bool(result.to_map)   # the error below then says where to complete it
        if result.to_map:
            print(t("to_map", file=args.suggest_config,
                    columns=", ".join(f"[{table}] {name}" for table, name in result.to_map)))
    if out is not None and (result.utility is not None or getattr(result.error, "report", None) is not None):
        write_check(result, out)
    if result.error is not None:
        _say_found(result.error, args)
        raise result.error
    from leakopt.pipeline.summary import summary_translator
    lang = args.lang or load_config(args.config).stage("report").lang
    t = summary_translator(lang)
    say(check_text(result, lang=lang))
    if result.utility.leaks.empty:
        from leakopt.pipeline.stages import leak_rows_read
        if leak_rows_read(result.utility):   # a run would stop here: say why now
            from leakopt.validate import no_usable_leak_error
            raise no_usable_leak_error(result.utility.validation.summary, str(args.leaks))
        say(t("ck_no_history"))
    config = args.suggest_config if result.config_text is not None else args.config
    command = "leakopt run --pipes " + " ".join(shell_word(a) for a in (
        [args.pipes, "--leaks", args.leaks] + (["--network", args.network] if args.network else [])
        + (["--layer", args.layer] if args.layer else [])   # the register's layer or sheet, as checked
        + (["--config", config] if config else []) + (["--as-of", args.as_of] if args.as_of else []))) + " --out DIR"
    say((t("ck_written", out=args.out) if args.out else "") + t("ck_next", command=command))
    return EXIT_OK


def cmd_backtest(args) -> int:
    config = load_config(args.config)
    text = pipeline.run_backtest(args.pipes, args.leaks, args.network, config=config, cutoff=args.cutoff,
                                 horizon_years=args.horizon_years, truth=args.truth, out_dir=args.out,
                                 layer=args.layer, progress=args.progress,
                                 lang=args.lang or config.stage("report").lang)
    args.progress.close()
    say(text)
    return EXIT_OK


def cmd_sensors(args) -> int:
    config = load_config(args.config)
    if args.kind == "pressure":
        return _pressure_sensors(args, config)
    if args.n is not None:
        raise InputError(f"--n {args.n} counts pressure sensors (--kind pressure); for acoustic loggers give "
                         f"--budget {args.n}",
                         fr=f"--n {args.n} compte des capteurs de pression (--kind pressure) ; pour des "
                            f"prélocalisateurs acoustiques, donnez --budget {args.n}")
    text = pipeline.run_sensors(args.network, args.risk, config=config, target_share=args.target_share,
                                budget=args.budget, crs=args.crs, out_dir=args.out, progress=args.progress,
                                sites=args.sites, lang=args.lang or config.stage("report").lang)
    args.progress.close()
    say(text)
    return EXIT_OK


def cmd_campaign(args) -> int:
    config = load_config(args.config)
    text = pipeline.run_campaign(args.network, args.risk, config=config, loggers=args.loggers,
                                 deployment_days=args.days, target_share=args.share, scope=args.scope,
                                 crs=args.crs, sites=args.sites, out_dir=args.out, progress=args.progress,
                                 lang=args.lang or config.stage("report").lang)
    args.progress.close()
    say(text)
    return EXIT_OK


def _pressure_sensors(args, config) -> int:
    """``sensors --kind pressure``: refuses the loggers' options, which would be silently ignored."""
    for flag, value in (("--target-share", args.target_share), ("--sites", args.sites)):
        if value is not None:
            raise InputError(f"{flag} {value} applies to acoustic loggers, not to --kind pressure; "
                             "give the number of pressure sensors with --n K",
                             fr=f"{flag} {value} s’applique aux prélocalisateurs acoustiques, pas à --kind pressure ; "
                                "donnez le nombre de capteurs de pression avec --n K")
    if args.budget is not None and args.n is not None and args.budget != args.n:
        raise InputError(f"--budget {args.budget} and --n {args.n} disagree; give the number of pressure sensors "
                         "once, with --n",
                         fr=f"--budget {args.budget} et --n {args.n} ne concordent pas ; donnez le nombre de capteurs "
                            "de pression une seule fois, avec --n")
    text = pipeline.run_pressure_sensors(args.network, args.risk, config=config, n=args.n or args.budget,
                                         crs=args.crs, out_dir=args.out, progress=args.progress,
                                         lang=args.lang or config.stage("report").lang)
    args.progress.close()
    say(text)
    return EXIT_OK


def cmd_synth(args) -> int:
    s = synth.synthesize(args.pipes, seed=args.seed, config=SynthConfig(hazard=args.hazard),
                         progress=within(args.progress, "synth"))
    paths = synth.write_synth(s, args.out)
    args.progress.close()
    km = s.pipes["length_m"].sum() / 1000
    print(f"Synthetic utility: {len(s.pipes):,} pipes, {km:,.0f} km, {len(s.leaks):,} leak records.")
    for role, path in paths.items():
        print(f"  {role:8s} {path}")
    return EXIT_OK


def cmd_report(args) -> int:
    from leakopt.pipeline.summary import summary_translator
    config = _report_config(args)
    path = write_report(args.run_dir, lang=args.lang, out=args.out, config=config)
    say(summary_translator(args.lang or (config.lang if config else "en"))("report_written", path=path))
    return EXIT_OK


def _report_config(args):
    """The ``[report]`` settings: from ``--config``, else those the run recorded in its manifest."""
    if args.config:
        return load_config(args.config).stage("report")
    manifest = Path(args.run_dir) / "manifest.json"
    try:
        table = json.loads(manifest.read_text(encoding="utf-8")).get("configuration", {}).get("report")
    except (OSError, ValueError, AttributeError):
        table = None
    return config_from_dict({"report": table}, path=str(manifest)).stage("report") if table else None


def cmd_app(args) -> int:
    import subprocess
    app = Path(__file__).resolve().parent / "app" / "main.py"  # the same render() as the root app.py
    if not app.is_file():
        raise InputError(f"the app entry point {app} is missing from this installation; reinstall leakopt",
                         fr=f"le point d’entrée de l’application {app} manque à cette installation ; réinstallez "
                            "leakopt")
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
           "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]
    if args.headless:
        cmd += ["--server.headless", "true"]
    return subprocess.call(cmd)


# --- entry point ----------------------------------------------------------------------------

#: What the command line adds to a missing-columns error, in each language.
HINTS = {
    "suggest_add": {"en": " Add --suggest-config FILE to write that configuration.",
                    "fr": " Ajoutez --suggest-config FICHIER pour écrire cette configuration."},
    "suggest_check": {"en": " 'leakopt check --pipes P --leaks L --suggest-config FILE' writes that configuration.",
                      "fr": " « leakopt check --pipes P --leaks L --suggest-config FICHIER » écrit cette "
                            "configuration."},
    "suggest_written": {"en": " {file} was written with the columns guessed and a commented line for each column "
                              "still to map: complete it, and pass it with --config.",
                        "fr": " {file} a été écrit avec les colonnes devinées et une ligne en commentaire pour "
                              "chaque colonne encore à faire correspondre : complétez-le, et passez-le avec "
                              "--config."},
}


def _paragraph(prefix: str, exc: BaseException | str, *, lang: str = "en") -> str:
    """One wrapped paragraph; the no-break spaces of French typography are kept (and never broken)."""
    text = " ".join(re.split(r"[ \t\n\r\f\v]+", str(exc).strip()))
    return textwrap.fill(f"{prefix}{NBSP if lang == 'fr' else ''}: {text}", width=100, break_on_hyphens=False,
                         break_long_words=False)


def _lang(args) -> str:
    """The language a command answers in: its ``--lang``, else its ``--config``'s ``[report] lang``."""
    if getattr(args, "lang", None):
        return args.lang
    if getattr(args, "config", None):
        return load_config(args.config).stage("report").lang
    return "en"


def _declared_lang(path) -> str:
    """The ``[report] lang`` a configuration file declares, read as plain TOML: the language to refuse it in
    when it cannot be loaded (an unknown key, a bad value); English when the file says none or cannot be read."""
    import tomllib
    try:
        with open(path, "rb") as fh:
            lang = tomllib.load(fh).get("report", {}).get("lang")
    except (OSError, ValueError, AttributeError):
        return "en"
    return lang if lang in ("en", "fr") else "en"


#: The level names only a French record has (INFO is the same word in both languages).
FRENCH_LEVELS = frozenset(LEVELS_FR.values()) - set(LEVELS_FR)


class LevelFormatter(logging.Formatter):
    """``WARNING: message`` (``AVERTISSEMENT : message`` for a record :class:`~leakopt.i18n.FrenchLog`
    wrote in French); ``with_name`` (``-v``) adds the logger's name, which is for developers."""

    def __init__(self, *, with_name: bool = False):
        super().__init__("%(message)s")
        self.with_name = with_name

    def format(self, record: logging.LogRecord) -> str:
        french = record.levelname in FRENCH_LEVELS
        head = f"{record.levelname} {record.name}" if self.with_name else record.levelname
        return f"{head}{NBSP + ':' if french else ':'} {super().format(record)}"


def _handlers() -> list[logging.Handler]:
    """The handlers a record of leakopt's loggers reaches (the root's, from ``basicConfig``, and any above)."""
    found, logger = [], logging.getLogger("leakopt")
    while logger is not None:
        found += logger.handlers
        logger = logger.parent if logger.propagate else None
    return found


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # argparse's convention for a missing sub-command: usage on stderr, exit 2
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    for handler in logging.getLogger().handlers:   # basicConfig's own (none added when the root has one already)
        if type(handler) is logging.StreamHandler:
            handler.setFormatter(LevelFormatter(with_name=args.verbose))
    args.progress = Progress(enabled=not args.quiet)
    handlers, french = _handlers(), FrenchLog()   # every warning printed in French by a French command
    try:
        args.progress.lang = _lang(args)
        if args.progress.lang == "fr":
            for handler in handlers:
                handler.addFilter(french)
        for name, value in vars(args).items():   # a date argument argparse could not read, said in the language
            if isinstance(value, UnreadDate):
                raise date_error("--" + name.replace("_", "-"), value)
        return args.func(args)
    except InputError as exc:
        args.progress.close()
        if args.debug:
            raise
        from leakopt.validate.messages import french_error
        if args.progress.lang != "fr" and not getattr(args, "lang", None) and getattr(args, "config", None):
            args.progress.lang = _declared_lang(args.config)   # a configuration refused: its [report] lang still
        in_french = french_error(exc) if args.progress.lang == "fr" else None   # (`french`: the log filter)
        lang = "fr" if in_french else "en"
        hint = ""
        if isinstance(exc, MissingColumnsError) and exc.guesses and not getattr(args, "suggest_config", None):
            hint = HINTS["suggest_add" if args.command == "check" else "suggest_check"][lang]
        elif isinstance(exc, MissingColumnsError) and getattr(args, "suggest_written", False):
            hint = HINTS["suggest_written"][lang].format(file=args.suggest_config)
        if in_french:
            print(_paragraph(f"leakopt{NBSP}: entrée inutilisable", in_french + french_spacing(hint), lang="fr"),
                  file=sys.stderr)
        else:
            print(_paragraph("leakopt: bad input", f"{exc}{hint}"), file=sys.stderr)
        return EXIT_INPUT
    except LeakoptError as exc:
        args.progress.close()
        if args.debug:
            raise
        print(_paragraph("leakopt: error", exc), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        args.progress.close()
        print("leakopt: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an unexpected failure: one paragraph, and where to look
        args.progress.close()
        if args.debug:
            raise
        print(_paragraph(f"leakopt: unexpected {type(exc).__name__} (a bug; rerun with --debug for the "
                         "traceback and please report it)", exc), file=sys.stderr)
        return EXIT_ERROR
    finally:
        for handler in handlers:
            handler.removeFilter(french)


if __name__ == "__main__":
    raise SystemExit(main())

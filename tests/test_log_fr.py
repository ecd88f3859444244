"""Every warning a command can print has its French, and so does every line ``--verbose`` adds (info, debug);
a command answering in French prints them in French.

A log line is written ``log.warning(english, *args, extra=in_french(french))`` (:func:`leakopt.i18n.in_french`),
``log.info`` and ``log.debug`` alike; ``leakopt.cli.main`` adds :class:`leakopt.i18n.FrenchLog` to the log
handlers when the command answers in French. The scan below fails on a log call added in English only.
"""
from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from leakopt.i18n import NBSP, NNBSP, FrenchLog, format_french, in_french

PACKAGE = Path(__file__).resolve().parents[1] / "leakopt"
SAMPLES = Path(__file__).resolve().parents[1] / "data_samples"

#: Logger methods that print a warning or an error (``log`` takes its level as an argument).
LOUD = {"warning", "warn", "error", "exception", "critical", "fatal", "log"}
#: Logger methods whose lines ``leakopt --verbose`` prints too.
VERBOSE = {"info", "debug"}
#: The app writes its log to the server's console, not to a command's stderr; what its users read is in
#: ``leakopt/app/texts.py``, in both languages.
NOT_A_COMMAND = {"app"}
_CONVERSION = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _loggers(tree: ast.Module) -> set[str]:
    """The module's names bound to ``logging.getLogger(...)``."""
    names = set()
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "getLogger"):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _conversions(template: str) -> list[str]:
    return [c for c in _CONVERSION.findall(template) if c != "%%"]


def _dummy(conversion: str):
    return {"d": 1234, "i": 1234, "f": 1234.5, "g": 1234.5, "e": 1234.5}.get(conversion[-1], "x")


def _package_files() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] not in NOT_A_COMMAND]


def _french_calls(paths):
    """(where, English call, its ``in_french`` call or None) for every log call of ``paths``, loud or verbose."""
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        loggers = _loggers(tree)
        calls = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for node in ast.walk(tree):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                    and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in loggers):
                yield where, node, "getattr"   # a method chosen at run time: the scan cannot see its French
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in loggers and node.attr in LOUD | VERBOSE):
                continue
            call = calls.get(id(node))
            if call is None:
                yield where, node, "indirect"   # e.g. (log.warning if x else log.info)(...)
                continue
            extra = next((k.value for k in call.keywords if k.arg == "extra"), None)
            french = [n for n in ast.walk(extra) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                      and n.func.id == "in_french"] if extra is not None else []
            yield where, call, (french[0] if french else None)


def _problems(paths) -> tuple[int, list[str]]:
    """How many log calls ``paths`` hold, and what is wrong with their French."""
    calls, problems = list(_french_calls(paths)), []
    for where, call, french in calls:
        if french in ("getattr", "indirect"):
            problems.append(f"{where}: call the logger's method directly, so its French can be checked")
        elif french is None:
            problems.append(f"{where}: no French; add extra=in_french(...) (leakopt.i18n.in_french)")
        else:
            problems += _template_problems(where, call, french)
    return len(calls), problems


def test_every_warning_and_verbose_line_of_a_command_has_its_french():
    n, problems = _problems(_package_files())
    assert n >= 60, "the scan found too few log calls: is it still reading the package?"
    assert not problems, "\n".join(problems)


def _template_problems(where: str, call: ast.Call, french: ast.Call) -> list[str]:
    """The French template fits the English call's arguments, or its own."""
    english = call.args[1 if call.func.attr == "log" else 0] if call.args else None
    template = french.args[0] if french.args else None
    if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
        return []   # built at run time (a data check's rendered message): checked where it is built
    own = french.args[1:]
    if own:
        if len(own) != len(_conversions(template.value)):
            return [f"{where}: the French template takes {len(_conversions(template.value))} values, "
                    f"{len(own)} are given"]
        return []
    if not (isinstance(english, ast.Constant) and isinstance(english.value, str)):
        return []
    if template.value == english.value:
        return [f"{where}: the French is the English"]
    wanted = _conversions(english.value)
    if len(_conversions(template.value)) != len(wanted):
        return [f"{where}: the French takes {len(_conversions(template.value))} values, the English {len(wanted)}"]
    try:
        format_french(template.value, tuple(_dummy(c) for c in wanted))
    except (TypeError, ValueError) as exc:
        return [f"{where}: the French does not take the English's values ({exc})"]
    return []


def test_the_scan_catches_a_log_line_in_english_only_or_a_french_that_does_not_fit(tmp_path):
    module = tmp_path / "stage.py"
    module.write_text(
        'import logging\nfrom leakopt.i18n import in_french\nlog = logging.getLogger(__name__)\n'
        'log.info("read %d pipes", 3, extra=in_french("%d conduites lues"))\n'                  # fine
        'log.warning("only %d leaks", 3, extra=in_french("seulement %d fuites"))\n'             # fine
        'log.warning("only %d leaks", 3)\n'                                                     # 6: no French
        'log.warning("only %d leaks in %s", 3, "x", extra=in_french("seulement %d fuites"))\n'  # 7: one value
        'log.warning("no leak", extra=in_french("no leak"))\n'                                  # 8: a copy
        '(log.warning if True else log.info)("no leak")\n'                                      # 9: indirect, twice
        'log.log(logging.WARNING, "%s: %s", "a", "b", extra=in_french("%s : %s", "a"))\n'       # 10: own values
        'log.debug("only %d leaks", 3)\n',                                                      # 11: no French
        encoding="utf-8")
    n, problems = _problems([module])
    assert n == 9 and sorted(int(p.split(":")[1]) for p in problems) == [6, 7, 8, 9, 9, 10, 11], problems


def test_french_numbers_and_typography():
    assert format_french("%d conduites (%.1f %%) : %s", (12345, 2.5, "P1")) == \
        f"12{NNBSP}345 conduites (2,5{NNBSP}%){NBSP}: P1"
    assert format_french("« %s » ; écart %s, %.3g (%g ; %g)", ("a", 0.25, 0.01234, 1.5, 0.0)) == \
        f"«{NBSP}a{NBSP}»{NBSP}; écart 0,25, 0,0123 (1,5{NBSP}; 0)"
    assert format_french("graine %s, %r", (20240101, "x")) == "graine 20240101, 'x'"   # %s: an ID as it is
    assert format_french("déjà rendu : 12 %", ()) == f"déjà rendu{NBSP}: 12{NNBSP}%"     # no values: not %-formatted
    with pytest.raises(TypeError):
        format_french("%d et %d", (1,))


def _record(msg, *args, **extra):
    return logging.LogRecord("leakopt.x", logging.WARNING, __file__, 1, msg, args, None) if not extra else \
        logging.makeLogRecord({"name": "leakopt.x", "levelno": logging.WARNING, "levelname": "WARNING",
                               "msg": msg, "args": args, **extra})


def test_the_filter_writes_the_french_once_and_keeps_the_english_when_it_does_not_fit():
    record = _record("only %d leaks", 1234, **in_french("seulement %d fuites"))
    assert FrenchLog().filter(record) and FrenchLog().filter(record)   # a second handler changes nothing
    assert (record.levelname, record.getMessage()) == ("AVERTISSEMENT", f"seulement 1{NNBSP}234 fuites")
    own = _record("the %s cannot be tested", "literature prior", **in_french("%s ne peut pas être testé", "l’a priori"))
    FrenchLog().filter(own)
    assert own.getMessage() == "l’a priori ne peut pas être testé"
    broken = _record("only %d leaks", 3, **in_french("seulement %d fuites sur %d"))
    FrenchLog().filter(broken)
    assert (broken.levelname, broken.getMessage()) == ("WARNING", "only 3 leaks")
    plain = _record("only %d leaks", 3)
    FrenchLog().filter(plain)
    assert (plain.levelname, plain.getMessage()) == ("WARNING", "only 3 leaks")


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("leakopt") and r.levelno >= logging.WARNING and r.name != "leakopt.validate.report"]


def test_a_run_in_french_warns_in_french_and_in_english_as_before(tmp_path, caplog):
    """The sample register with a leak file of no row and no network: the literature prior, no backtest, no map."""
    from leakopt.cli import main
    leaks = tmp_path / "leaks.csv"
    leaks.write_text("date,pipe_id\n", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[report]\nlang = "fr"\n\n[campaign]\nloggers = 10\n', encoding="utf-8")
    seen = {}
    for lang, extra in (("fr", ["--lang", "fr"]), ("config", ["--config", str(cfg)]), ("en", ["--lang", "en"])):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert main(["-q", "run", "--pipes", str(SAMPLES / "pipes.csv"), "--leaks", str(leaks), "--no-sensors",
                         "--out", str(tmp_path / lang), *extra]) == 0
        seen[lang] = _warnings(caplog)
        levels = {r.levelname for r in caplog.records if r.name.startswith("leakopt")}
        assert levels == ({"WARNING"} if lang == "en" else {"AVERTISSEMENT"}), (lang, levels)
    S = NBSP
    french = [
        f"pas d’historique de fuites{S}: chaque conduite est notée par l’a priori de la littérature (matériau, âge et "
        f"diamètre, avec des taux de casse publiés, leakopt.risk.prior), et non par un modèle de ce service{S}; ses "
        f"fuites attendues par an sont des moyennes d’enquêtes, pas une prévision. Des fuites enregistrées, ou un "
        f"modèle appris ailleurs (--model AUTRE_ANALYSE/model.txt), classent mieux",
        f"pas de test sur les années passées{S}: l’historique de fuites est vide, l’a priori de la littérature ne peut "
        f"donc pas y être testé",
        f"aucune géométrie de conduite (ni couche SIG, ni réseau ou un réseau sans coordonnées){S}: risk.geojson "
        f"n’est pas écrit"]
    english = [
        "no leak history: every pipe is scored by the literature prior (material, age and diameter with published "
        "break rates, leakopt.risk.prior), not by a model of this utility; its expected leaks per year are survey "
        "averages, not a forecast. Leak records, or a model trained elsewhere (--model OTHER_RUN/model.txt), rank "
        "better",
        "no backtest: the leak history is empty, so the literature prior cannot be tested on it",
        "no pipe geometry (no GIS layer, and no network or one without coordinates): risk.geojson not written"]
    assert seen["fr"] == french, seen["fr"]
    assert seen["en"] == english, seen["en"]
    # [report] lang = "fr" answers in French too, the unused table included, in the data checks' words
    unused = [m for m in seen["config"] if m.startswith("[campaign]")]
    assert set(french) <= set(seen["config"]), seen["config"]
    assert unused == [f"[campaign] de {cfg} n’est pas lue par 'leakopt run'{S}: elle règle la campagne de "
                      f"prélocalisation (poses successives), et seules les commandes 'leakopt campaign' la lisent{S}; "
                      "ces réglages ne changent rien ici"], unused


def test_a_verbose_command_in_french_logs_its_details_in_french(caplog):
    """``--verbose`` adds the info lines (files read, ...): a French command writes them in French too."""
    from leakopt.cli import main
    argv = ["--verbose", "check", "--pipes", str(SAMPLES / "pipes.csv"), "--leaks", str(SAMPLES / "leaks.csv")]
    seen = {}
    for lang in ("fr", "en"):
        caplog.clear()
        with caplog.at_level(logging.INFO):
            assert main([*argv, "--lang", lang]) == 0
        seen[lang] = [r.getMessage() for r in caplog.records
                      if r.name == "leakopt.io.tables" and r.levelno == logging.INFO]
    assert seen["fr"] == [f"4{NNBSP}000 conduites lues dans {SAMPLES / 'pipes.csv'}",
                          f"904 fuites lues dans {SAMPLES / 'leaks.csv'}"], seen["fr"]
    assert seen["en"] == [f"read 4000 pipes from {SAMPLES / 'pipes.csv'}",
                          f"read 904 leaks from {SAMPLES / 'leaks.csv'}"], seen["en"]


def test_a_command_prints_the_level_and_the_message_and_the_logger_only_with_verbose():
    """What a user reads is ``WARNING: ...`` (``AVERTISSEMENT : ...`` in French), not the module that logged it;
    ``-v`` adds the module, for developers."""
    from leakopt.cli import LevelFormatter
    record = _record("only %d leaks", 3, **in_french("seulement %d fuites"))
    FrenchLog().filter(record)
    assert LevelFormatter().format(record) == f"AVERTISSEMENT{NBSP}: seulement 3 fuites"
    assert LevelFormatter(with_name=True).format(record) == f"AVERTISSEMENT leakopt.x{NBSP}: seulement 3 fuites"
    plain = _record("only %d leaks", 3)
    assert LevelFormatter().format(plain) == "WARNING: only 3 leaks"
    assert LevelFormatter(with_name=True).format(plain) == "WARNING leakopt.x: only 3 leaks"


def test_the_command_line_writes_its_warnings_with_that_format(tmp_path):
    """The format is the one ``leakopt`` sets on its own stderr handler (in a new process: pytest's handlers
    are not it)."""
    import subprocess
    import sys
    pipes = tmp_path / "pipes.csv"
    pipes.write_text("pipe_id,material,diameter_mm,install_year,length_m\nP1,PVC,100,1990,10\n"
                     "P2,PVC,100,1990,abc\n", encoding="utf-8")
    leaks = tmp_path / "leaks.csv"
    leaks.write_text("date,pipe_id\n2015-01-01,P1\n", encoding="utf-8")
    for lang, head in (("en", "WARNING: length_m_unreadable: "), ("fr", f"AVERTISSEMENT{NBSP}: length_m_unreadable")):
        done = subprocess.run([sys.executable, "-m", "leakopt", "-q", "run", "--lang", lang, "--pipes", str(pipes),
                               "--leaks", str(leaks), "--out", str(tmp_path / lang)],
                              capture_output=True, text=True, encoding="utf-8", timeout=300)
        lines = [line for line in done.stderr.splitlines() if "length_m_unreadable" in line]
        assert lines and lines[0].startswith(head), done.stderr
        assert "leakopt.validate" not in done.stderr

"""Input errors in French: every ``InputError`` leakopt raises carries its French (``fr=``), which a command
answering in French prints and the French app shows, with French typography."""
from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.i18n import NBSP
from leakopt.validate.messages import french_error

PACKAGE = Path(__file__).resolve().parents[1] / "leakopt"

def _input_error_calls():
    """(file, first words of the English, has fr=, the English and French literal parts) of every call."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name != "InputError" or not node.args:
                continue
            fr = next((k.value for k in node.keywords if k.arg == "fr"), None)
            yield rel, node.lineno, _literal(node.args[0]), fr is not None, _literal(fr) if fr is not None else ""


def _literal(node) -> str:
    """The constant text of a string expression (f-string, concatenation, call on one): its fixed words."""
    return " ".join(c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str))


def test_every_input_error_has_its_french():
    missing = [f"{rel}:{line} {en[:60]!r}" for rel, line, en, has_fr, _ in _input_error_calls() if not has_fr]
    assert not missing, "InputError raised without fr=:\n" + "\n".join(missing)


def test_the_french_is_not_the_english():
    same = [f"{rel}:{line}" for rel, line, en, has_fr, fr in _input_error_calls()
            if has_fr and fr.strip() and en.strip() and fr.split()[:6] == en.split()[:6]]
    assert not same, f"French copied from the English: {same}"


def test_french_error_adds_french_typography():
    exc = InputError("file x.csv does not exist; check the path", fr="le fichier x.csv n’existe pas ; vérifiez")
    assert french_error(exc) == f"le fichier x.csv n’existe pas{NBSP}; vérifiez"
    assert french_error(InputError("English only")) is None


def test_a_french_command_prints_the_french_of_a_bad_input(tmp_path, capsys):
    args = ["--quiet", "run", "--pipes", str(tmp_path / "absent.csv"), "--leaks", str(tmp_path / "l.csv"), "--out",
            str(tmp_path / "out")]
    assert main(args + ["--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"leakopt{NBSP}: entrée inutilisable{NBSP}: le fichier des conduites")
    assert f"n’existe pas{NBSP}; vérifiez le chemin" in err.replace("\n", " ")   # no-break spaces kept
    assert "does not exist" not in err
    assert main(args) == 2
    assert "leakopt: bad input: pipes file" in capsys.readouterr().err
    assert not any(h.filters for h in logging.getLogger().handlers)   # the French log filter is taken off


@pytest.mark.parametrize("head, kind", [(b"\x89PNG\r\n\x1a\n" + bytes(64), "une image PNG"),
                                        (b"PK\x03\x04" + bytes(64), "un classeur de tableur")])
def test_a_file_that_is_not_a_csv_is_named_in_french(tmp_path, head, kind):
    from leakopt.io import read_pipes
    path = tmp_path / "pipes.csv"
    path.write_bytes(head)
    with pytest.raises(InputError) as info:
        read_pipes(path)
    assert f"{path} est {kind}" in french_error(info.value)


def test_a_configuration_refused_is_refused_in_the_language_it_declares(tmp_path, capsys):
    # the language comes from the configuration being loaded: refused, it still says [report] lang = "fr"
    config = tmp_path / "c.toml"
    config.write_text('[risk]\nn_estimator = 100\n[report]\nlang = "fr"\n', encoding="utf-8")
    args = ["--quiet", "run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"), "--config",
            str(config), "--out", str(tmp_path / "out")]
    assert main(args) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert err.startswith(f"leakopt{NBSP}: entrée inutilisable") and "vouliez-vous dire 'n_estimators'" in err
    assert main(args + ["--lang", "en"]) == 2                    # --lang still decides
    assert "leakopt: bad input: unknown key(s) ['n_estimator']" in capsys.readouterr().err


def test_a_value_of_unknown_precision_is_written_with_the_languages_decimal_mark():
    from leakopt.i18n import fmt_short
    assert [fmt_short(x, "fr") for x in (50.0, 2.5, -0.25, 1e-6)] == ["50", "2,5", "-0,25", "1e-06"]
    assert fmt_short(2.5) == "2.5"

"""A fatal data problem stops a command once: said in one paragraph (exit 2), not also as a warning, the other
warnings still printed, and ``validation.json`` written by ``run``, ``check --out`` and ``backtest`` alike."""
from __future__ import annotations

import json
import logging

import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.pipeline import SAMPLE_DIR

FATAL = "diameter_mm_all_missing"
#: A piece of the fatal message, in each language (whitespace made single: the paragraph is wrapped).
FATAL_WORDS = {"en": "every value of diameter_mm is missing or unreadable",
               "fr": "tous les diamètres (diameter_mm) sont manquants ou illisibles"}
#: A data check found before the stop, that does not stop the command.
WARNED = "leak_unknown_pipe"


@pytest.fixture
def files(tmp_path):
    """A register whose diameters are all blank (fatal once the values are imputed, after the leaks are checked)
    and a leak file with one leak on a pipe that is not in it (a warning)."""
    pipes = pd.read_csv(SAMPLE_DIR / "pipes.csv").head(80)
    pipes["diameter_mm"] = None
    leaks = pd.read_csv(SAMPLE_DIR / "leaks.csv")
    leaks = leaks[leaks["pipe_id"].isin(pipes["pipe_id"])]
    leaks = pd.concat([leaks, pd.DataFrame([{"leak_id": "LX", "pipe_id": "NO-SUCH-PIPE", "date": "2015-06-01"}])])
    pipes.to_csv(tmp_path / "pipes.csv", index=False)
    leaks.to_csv(tmp_path / "leaks.csv", index=False)
    return tmp_path / "pipes.csv", tmp_path / "leaks.csv"


def _said(capsys, caplog) -> tuple[str, list[str]]:
    """What the command printed on stderr, whitespace made single, and its log lines."""
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return " ".join(capsys.readouterr().err.split()), lines


def _codes(path) -> tuple[list[str], list[str]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [i["code"] for i in doc["issues"]], [i["code"] for i in doc["fatal"]]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_run_says_the_fatal_problem_once_and_the_other_warnings_still(files, tmp_path, capsys, caplog, lang):
    pipes, leaks = files
    code = main(["-q", "run", "--lang", lang, "--pipes", str(pipes), "--leaks", str(leaks), "--out",
                 str(tmp_path / "run")])
    err, logged = _said(capsys, caplog)
    assert code == 2
    words = FATAL_WORDS[lang]
    said = err + " " + " ".join(" ".join(line.split()) for line in logged)
    assert said.count(words) == 1, said
    assert ("leakopt: bad input:" if lang == "en" else "entrée inutilisable") in err
    assert not any(line.startswith(FATAL) for line in logged)
    assert any(line.startswith(WARNED) for line in logged)   # the warnings before the stop are still printed
    issues, fatal = _codes(tmp_path / "run" / "validation.json")
    assert fatal == [FATAL] and FATAL in issues and WARNED in issues


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("verbose", [False, True])
def test_check_out_writes_validation_json_on_a_fatal_stop_as_run_does(files, tmp_path, capsys, caplog, lang,
                                                                     verbose):
    pipes, leaks = files
    inputs = ["--lang", lang, "--pipes", str(pipes), "--leaks", str(leaks), "--out"]
    code = main(["-q", *(["-v"] if verbose else []), "check", *inputs, str(tmp_path / "check")])
    err, logged = _said(capsys, caplog)
    assert code == 2
    said = err + " " + " ".join(" ".join(line.split()) for line in logged)
    assert said.count(FATAL_WORDS[lang]) == 1, said
    assert any(line.startswith(WARNED) for line in logged) == verbose   # check prints its data checks itself
    issues, fatal = _codes(tmp_path / "check" / "validation.json")
    assert fatal == [FATAL] and WARNED in issues
    assert sorted(p.name for p in (tmp_path / "check").iterdir()) == ["validation.json"]
    assert main(["-q", "run", *inputs, str(tmp_path / "run")]) == 2
    assert _codes(tmp_path / "run" / "validation.json") == (issues, fatal)


def test_backtest_writes_validation_json_on_a_fatal_stop(files, tmp_path, capsys):
    pipes, leaks = files
    code = main(["-q", "backtest", "--pipes", str(pipes), "--leaks", str(leaks), "--cutoff", "2015-01-01",
                 "--out", str(tmp_path / "bt")])
    assert code == 2
    assert " ".join(capsys.readouterr().err.split()).count(FATAL_WORDS["en"]) == 1
    issues, fatal = _codes(tmp_path / "bt" / "validation.json")
    assert fatal == [FATAL] and WARNED in issues


def test_check_out_that_is_a_file_is_refused_before_the_files_are_read(files, tmp_path, capsys):
    pipes, leaks = files
    (tmp_path / "taken").write_text("", encoding="utf-8")
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks), "--out", str(tmp_path / "taken")])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "leakopt: bad input:" in err and "is not a folder" in err


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_check_lists_the_problems_found_before_a_fatal_stop(files, tmp_path, capsys, lang):
    """``check`` mutes the data checks while it reads and lists them at its end: on a fatal stop it never
    reaches its end, so it lists those found so far before the stop's paragraph, the fatal one left to it."""
    pipes, leaks = files
    code = main(["-q", "check", "--lang", lang, "--pipes", str(pipes), "--leaks", str(leaks)])
    said = capsys.readouterr()
    out, err = " ".join(said.out.split()), " ".join(said.err.split())
    assert code == 2
    unknown = {"en": "pipe_id that is not in the register", "fr": "pipe_id absent de l’inventaire"}
    assert out.count(unknown[lang]) == 1, out
    assert ("Data checks to read (1)" if lang == "en" else "Contrôles des données à lire (1)") in out
    assert FATAL_WORDS[lang] not in out and err.count(FATAL_WORDS[lang]) == 1

"""The command line: cheap to start, clear on bad input (exit 2, one paragraph, no traceback), progress per stage."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from leakopt.cli import Progress, main

HEAVY = ("lightgbm", "wntr", "pulp", "streamlit")


def _run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "leakopt", *args], capture_output=True, text=True,
                          timeout=120, **kw)


def test_import_and_help_do_not_import_heavy_libraries():
    code = ("import sys, leakopt, leakopt.cli\n"
            "try:\n    leakopt.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_help_lists_every_contract_command():
    out = _run("--help")
    assert out.returncode == 0
    for cmd in ("demo", "run", "backtest", "sensors", "synth", "app"):
        assert cmd in out.stdout


def test_missing_pipes_file_exits_2_with_a_paragraph(tmp_path):
    leaks = tmp_path / "leaks.csv"
    leaks.write_text("date,pipe_id\n2020-01-01,P1\n")
    out = _run("run", "--pipes", str(tmp_path / "missing.csv"), "--leaks", str(leaks), "--out", str(tmp_path / "o"))
    assert out.returncode == 2, out.stderr
    assert "missing.csv" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_output_folder_that_cannot_be_written_exits_2(tmp_path, capsys):
    """--out under a file (or a read-only place): exit 2 and what to do, not an "unexpected" error."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["-q", "run", "--pipes", "p.csv", "--leaks", "l.csv", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write the outputs into {blocker / 'sub'}" in " ".join(err.split()), err
    assert "unexpected" not in err


def test_bad_date_argument_exits_2_before_any_work(tmp_path, capsys):
    code = main(["run", "--pipes", "p.csv", "--leaks", "l.csv", "--as-of", "2024-13-45", "--out", str(tmp_path)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "--as-of '2024-13-45' is not a date in the form YYYY-MM-DD, e.g. 2024-01-01" in err
    assert "p.csv" not in err   # refused before the files are read


@pytest.mark.parametrize("typed, en, fr", [
    ("31/01/2025", "write 2025-01-31", "écrivez 2025-01-31"),
    ("01/01/2025", "write 2025-01-01", "écrivez 2025-01-01"),
    ("1.2.2025", "write 2025-02-01 (1 February 2025) or 2025-01-02 (2 January 2025)",
     "écrivez 2025-02-01 (1er février 2025) ou 2025-01-02 (2 janvier 2025)"),
    ("12/31/2024", "write 2024-12-31", "écrivez 2024-12-31"),
    ("2025/1/5", "write 2025-01-05", "écrivez 2025-01-05"),
    ("30/02/2025", "e.g. 2024-01-01", "par ex. 2024-01-01"),
    ("31/01/25", "e.g. 2024-01-01", "par ex. 2024-01-01"),
])
def test_a_date_argument_not_iso_says_the_iso_form_to_type_in_english_and_french(tmp_path, capsys, typed, en, fr):
    from leakopt.cli import _handlers
    from leakopt.i18n import NBSP, FrenchLog
    args = ["check", "--pipes", "p.csv", "--leaks", "l.csv", "--as-of", typed]
    assert main(args) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"leakopt: bad input: --as-of '{typed}' is not a date in the form YYYY-MM-DD" in err and en in err
    (tmp_path / "fr.toml").write_text('[report]\nlang = "fr"\n', encoding="utf-8")
    for lang in (["--lang", "fr"], ["--config", str(tmp_path / "fr.toml")]):
        try:
            assert main([*args, *lang]) == 2
        finally:
            for handler in _handlers():
                for f in [f for f in handler.filters if isinstance(f, FrenchLog)]:
                    handler.removeFilter(f)
        err = " ".join(capsys.readouterr().err.split("\n"))
        assert f"--as-of '{typed}' n’est pas une date au format AAAA-MM-JJ" in err and fr in err, err
        assert f"leakopt{NBSP}: entrée inutilisable" in err and "not a date" not in err
    code = main(["backtest", "--pipes", "p.csv", "--leaks", "l.csv", "--cutoff", typed, "--out", str(tmp_path)])
    assert code == 2 and f"--cutoff '{typed}' is not a date" in " ".join(capsys.readouterr().err.split())


def test_check_suggest_config_says_what_it_wrote_in_french(tmp_path, capsys):
    from leakopt.cli import _handlers
    from leakopt.i18n import NBSP, FrenchLog
    pd.DataFrame({"pipe_id": ["a", "b"], "X1": ["?", "?"], "diameter_mm": [100, 100], "ANNEE_POSE": [1990, 1991],
                  "length_m": [10.0, 10.0]}).to_csv(tmp_path / "p.csv", index=False)
    pd.DataFrame({"pipe_id": ["a"], "date": ["2019-05-01"]}).to_csv(tmp_path / "l.csv", index=False)
    suggested = tmp_path / "s.toml"
    try:
        code = main(["-q", "check", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"),
                     "--suggest-config", str(suggested), "--lang", "fr"])
    finally:
        for handler in _handlers():
            for f in [f for f in handler.filters if isinstance(f, FrenchLog)]:
                handler.removeFilter(f)
    out = capsys.readouterr().out
    assert code == 2 and suggested.exists()
    assert (f"{suggested} écrit, avec les colonnes devinées d’après leurs noms et leurs valeurs "
            f"(vérifiez-les){NBSP}: [columns] install_year = \"ANNEE_POSE\".") in out
    assert (f"Encore à faire correspondre dans {suggested} (une ligne en commentaire chacune, avec les colonnes du "
            f"fichier qui ne correspondent à rien){NBSP}: [columns] material{NBSP}; puis vérifiez de nouveau avec "
            f"--config {suggested}.") in out
    assert "Wrote" not in out and "Still to map" not in out


def test_bad_config_exits_2(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[nonsense]\nx = 1\n")
    pipes = tmp_path / "p.csv"
    pipes.write_text("pipe_id,material,diameter_mm,install_year,length_m\nP1,PVC,100,1990,50\n")
    leaks = tmp_path / "l.csv"
    leaks.write_text("date,pipe_id\n2020-01-01,P1\n")
    code = main(["-q", "run", "--pipes", str(pipes), "--leaks", str(leaks), "--config", str(cfg),
                 "--out", str(tmp_path / "o")])
    assert code == 2


def test_target_share_and_budget_are_exclusive(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["sensors", "--network", "n.inp", "--risk", "r.csv", "--target-share", "0.8", "--budget", "3",
              "--out", str(tmp_path)])
    assert exc.value.code == 2


def test_bare_command_prints_usage_to_stderr_and_exits_2():
    """argparse's convention for a missing sub-command: usage on stderr, exit 2, nothing on stdout."""
    out = _run()
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert out.stdout == ""
    assert "usage: leakopt" in out.stderr
    for cmd in ("run", "sensors", "demo"):
        assert cmd in out.stderr


def test_bad_crs_is_refused_at_parsing_before_any_work(tmp_path, monkeypatch, capsys):
    """An unknown --crs stops the command at once (exit 2, naming the option and the value)."""
    from leakopt import pipeline
    called = []
    monkeypatch.setattr(pipeline, "run_sensors", lambda *a, **k: called.append(1) or "placed")
    with pytest.raises(SystemExit) as exc:
        main(["sensors", "--network", str(tmp_path / "n.inp"), "--risk", str(tmp_path / "risk.csv"),
              "--crs", "EPSG:999999", "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--crs" in err and "EPSG:999999" in err and "EPSG:2154" in err
    assert "Traceback" not in err
    assert called == [] and not (tmp_path / "o").exists()


def test_good_crs_is_accepted_at_parsing(tmp_path, monkeypatch):
    from leakopt import pipeline
    seen = {}
    monkeypatch.setattr(pipeline, "run_sensors", lambda *a, **k: seen.update(k) or "placed")
    assert main(["-q", "sensors", "--network", "n.inp", "--risk", "r.csv", "--crs", "epsg:2154",
                 "--out", str(tmp_path)]) == 0
    assert seen["crs"] == "epsg:2154"


def test_run_sensors_checks_the_crs_before_reading_anything(tmp_path):
    """The Python API refuses a bad CRS before it reads the network (which here does not even exist)."""
    from leakopt.errors import InputError
    from leakopt.pipeline import run_sensors
    with pytest.raises(InputError, match=r"crs 'not a crs'.*EPSG:2154"):
        run_sensors(tmp_path / "missing.inp", tmp_path / "risk.csv", crs="not a crs", out_dir=tmp_path / "o")
    assert not (tmp_path / "o").exists()


# --- sensors: pipes of the network that risk.csv does not score ---------------------------------

SMALL_INP = Path(__file__).resolve().parent / "data" / "small.inp"   # pipes P1-P4


def _risk_csv(path, ids):
    rows = "".join(f"{pid},{0.5 / (i + 1)},True,cast_iron\n" for i, pid in enumerate(ids))
    path.write_text("pipe_id,expected_leaks_per_year,in_priority_zone,material\n" + rows)
    return path


def test_sensors_counts_network_pipes_missing_from_risk(tmp_path, caplog, capsys):
    """P3 and P4 have no score: counted, warned, and written to placement.json and validation.json."""
    risk = _risk_csv(tmp_path / "risk.csv", ["P1", "P2"])
    out = tmp_path / "o"
    assert main(["-q", "sensors", "--network", str(SMALL_INP), "--risk", str(risk), "--out", str(out)]) == 0
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "2 pipes of the network" in warned and "risk.csv" in warned
    assert "2 pipes of the network have no risk score" in capsys.readouterr().out
    p = json.loads((out / "placement.json").read_text())
    assert p["n_pipes_not_in_risk"] == 2 and p["n_network_pipes"] == 4
    assert p["not_in_risk_length_m"] == pytest.approx(80 + 300)
    assert sorted(p["not_in_risk_examples"]) == ["P3", "P4"]
    v = json.loads((out / "validation.json").read_text())
    issue = next(i for i in v["issues"] if i["code"] == "network_pipe_not_in_risk")
    assert issue["count"] == 2 and {e["pipe_id"] for e in issue["examples"]} == {"P3", "P4"}
    assert issue["severity"] == "warning"


@pytest.mark.parametrize("late, said", [
    (None, "installed after its as-of date (a later --as-of scores them), not in its register"),
    (2, "did not score the pipes of its register installed after 2020, the year of its as-of date 2020-01-01 "
        "(2 in its validation.json; deliberately"),
    (0, "the run left out no pipe of its register for being installed after its as-of date"),
], ids=["no-run-folder", "installed-after-as-of", "none-installed-after"])
def test_sensors_says_why_network_pipes_are_not_in_risk(tmp_path, late, said):
    """Pipes laid after the run's as-of date are left unscored on purpose: not 'score them with run --network'."""
    run = tmp_path / "run"
    run.mkdir()
    risk = _risk_csv(run / "risk.csv", ["P1", "P2"])
    if late is not None:   # the run's own validation.json, as 'leakopt run' writes it
        issues = [{"code": "pipe_installed_after_as_of", "severity": "info", "count": late, "message": "..."}]
        (run / "validation.json").write_text(json.dumps({"summary": {"as_of": "2020-01-01"},
                                                         "issues": issues[:1 if late else 0]}))
    out = tmp_path / "o"
    assert main(["-q", "sensors", "--network", str(SMALL_INP), "--risk", str(risk), "--out", str(out)]) == 0
    v = json.loads((out / "validation.json").read_text())
    issue = next(i for i in v["issues"] if i["code"] == "network_pipe_not_in_risk")
    message = " ".join(issue["message"].split())
    assert issue["count"] == 2 and said in message and issue["message_fr"]
    assert ("'leakopt run --network'" in message) == (late != 2)   # laid since: a later --as-of, not another run


def test_sensors_adds_its_issue_to_a_run_folders_validation(tmp_path):
    """Placing into the run's own folder keeps the run's data problems and adds the new one."""
    risk = _risk_csv(tmp_path / "risk.csv", ["P1", "P2", "P3"])
    (tmp_path / "validation.json").write_text(json.dumps({
        "summary": {"pipes_read": 3}, "issue_counts": {"error": 1, "warning": 0, "info": 0},
        "issues": [{"code": "leak_before_install", "severity": "error", "count": 7, "message": "7 leaks"}]}))
    assert main(["-q", "sensors", "--network", str(SMALL_INP), "--risk", str(risk), "--out", str(tmp_path)]) == 0
    v = json.loads((tmp_path / "validation.json").read_text())
    assert [i["code"] for i in v["issues"]] == ["leak_before_install", "network_pipe_not_in_risk"]
    assert v["summary"] == {"pipes_read": 3}
    assert v["issue_counts"] == {"error": 1, "warning": 1, "info": 0}


def test_sensors_with_no_network_pipe_in_risk_exits_2(tmp_path, capsys):
    risk = _risk_csv(tmp_path / "risk.csv", ["X1", "X2"])
    code = main(["-q", "sensors", "--network", str(SMALL_INP), "--risk", str(risk), "--out", str(tmp_path / "o")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "risk.csv" in err and "small.inp" in err and "X1" in err and "P1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("body, says", [
    ("", "could not be read as CSV"),                                                 # was: unexpected EmptyDataError
    ("pipe_id,expected_leaks_per_year\n", "has its header but no pipe"),
    ("pipe_id,expected_leaks_per_year\nP1,0.2\nP2,n/a\nP3,\n", "2 of its 3 rows have no usable expected_leaks_per_year "
                                                                "(line 3: 'n/a', line 4: blank)"),   # was: taken as 0
    ("pipe_id,expected_leaks_per_year\nP1,0.2\nP2,inf\n", "line 3: 'inf'"),      # was: "weights must be finite"
    ("pipe_id,expected_leaks_per_year\nP1,0.2\nP2,-1\n", "1 of its 2 rows has no usable "
                                                         "expected_leaks_per_year (line 3: '-1"),
    ("pipe_id,expected_leaks_per_year\nP1,0.2\nP2,0.1\nP1,0.3\n", "1 pipe ID(s) are on more than one row "
                                                                     "(e.g. ['P1'], 2 rows in all)"),  # was: silent
], ids=["empty", "header-only", "nan-and-text", "inf", "negative", "repeated-pipe"])
@pytest.mark.parametrize("command", ["sensors", "campaign"])
def test_a_hand_written_risk_file_with_unusable_rows_exits_2_naming_them(tmp_path, capsys, body, says, command):
    risk = tmp_path / "risk.csv"
    risk.write_text(body)
    code = main(["-q", command, "--network", str(SMALL_INP), "--risk", str(risk), "--out", str(tmp_path / "o")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2, err
    assert f"risk file {risk}" in err and says in err


@pytest.mark.parametrize("body", ["pipe_id,expected_leaks_per_year\nP1,0.5\nP2,0.25\nP3,0.01\nP4,0.01\n",
                                  # a spreadsheet in French saves semicolons and decimal commas (was: refused,
                                  # "lacks column(s) ['expected_leaks_per_year', 'pipe_id']")
                                  "pipe_id;expected_leaks_per_year\nP1;0,5\nP2;0,25\nP3;0,01\nP4;0,01\n"],
                         ids=["comma", "semicolon"])
@pytest.mark.parametrize("command, figure", [("sensors", "placement.json"), ("campaign", "campaign.json")])
def test_a_risk_file_of_pipe_ids_and_expected_leaks_only_is_placed_on(tmp_path, caplog, command, figure, body):
    # sensors refused it ("lacks column(s) ['in_priority_zone']"), and campaign, given that column, crashed
    # with "unexpected KeyError: 'leaks_per_km_year'": both are now drawn from it, and said
    risk = tmp_path / "risk.csv"
    risk.write_text(body)
    out = tmp_path / "o"
    assert main(["-q", command, "--network", str(SMALL_INP), "--risk", str(risk), "--out", str(out)]) == 0
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "has no in_priority_zone column: the priority zone was drawn from its expected leaks" in warned
    assert (out / figure).is_file()
    assert "(2 pipes hold 80% of them" in warned            # 0.5 and 0.25 of 0.77, read as numbers
    if command == "sensors":
        assert json.loads((out / figure).read_text())["total_expected_leaks"] == pytest.approx(0.77)


@pytest.mark.parametrize("args, says", [
    (["--pipes", "20", "--seed", "-1"], "argument --seed: -1 must be a whole number >= 0"),   # was: unexpected ValueError
    (["--pipes", "5"], "argument --pipes: 5 pipes are too few: a synthetic utility has 20 pipes or more"),
])
def test_synth_refuses_a_negative_seed_and_too_few_pipes_naming_the_option(tmp_path, capsys, args, says):
    with pytest.raises(SystemExit) as stop:
        main(["-q", "synth", *args, "--out", str(tmp_path / "s")])
    assert stop.value.code == 2 and says in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_sensors_says_the_pressure_table_is_not_used(tmp_path, caplog):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pressure]\nthreshold_m = 1.0\n", encoding="utf-8")
    risk = _risk_csv(tmp_path / "risk.csv", ["P1", "P2", "P3", "P4"])
    out = tmp_path / "o"
    assert main(["-q", "sensors", "--network", str(SMALL_INP), "--risk", str(risk), "--config", str(cfg),
                 "--out", str(out)]) == 0
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "[pressure]" in warned and "leakopt.placement.place_pressure_sensors" in warned and "not used" in warned
    v = json.loads((out / "validation.json").read_text())
    issue = next(i for i in v["issues"] if i["code"] == "config_table_not_used")
    assert issue["column"] == "[pressure]" and "leakopt.placement.place_pressure_sensors" in issue["message"]
    # the French says the same: the file, the command, and that the settings change nothing
    fr = issue["message_fr"]
    assert fr.startswith(f"[pressure] de {cfg} n’est pas lue par 'leakopt sensors'") and "ne changent rien" in fr
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_one_updating_line_per_stage():
    out = _Terminal()
    progress = Progress(out)
    progress("risk: boosting rounds", 10, 200)
    progress("risk: boosting rounds", 20, 200)
    progress("risk: every pipe scored", 3, 3)
    progress("backtest: cutoff 2019-01-01, training the model", 0, 2)
    progress.close()
    lines = out.getvalue().split("\n")
    assert len(lines) == 3 and lines[-1] == ""           # two stages, two lines
    risk, backtest = lines[0].split("\r")[1:], lines[1].split("\r")[1:]
    assert [r.rstrip() for r in risk] == ["risk: boosting rounds [#-------------------] 10/200",
                                          "risk: boosting rounds [##------------------] 20/200",
                                          "risk: every pipe scored [####################] 3/3"]
    assert [b.rstrip() for b in backtest] == [("backtest: cutoff 2019-01-01, training the model "
                                               "[--------------------] 0/2")]


def test_progress_in_logs_is_plain_lines_when_the_step_changes_or_completes():
    out = io.StringIO()
    progress = Progress(out)
    for done in range(0, 201, 10):
        progress("risk: boosting rounds", done, 200)
    progress("risk: every pipe scored", 3, 3)
    progress.close()
    assert out.getvalue().splitlines() == ["risk: boosting rounds 0/200", "risk: boosting rounds 200/200",
                                           "risk: every pipe scored 3/3"]


def test_quiet_shows_no_progress():
    out = _Terminal()
    progress = Progress(out, enabled=False)
    progress("risk: boosting rounds", 10, 200)
    progress.close()
    assert out.getvalue() == ""


def test_report_rebuilds_with_the_runs_own_report_settings(tmp_path):
    # `leakopt report DIR` used defaults: a run's [report] title was lost when the report was rewritten
    from test_report import make_run

    run = make_run(tmp_path)
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["configuration"] = {"report": {"title": "Springfield leak study", "lang": "fr"}}
    (run / "manifest.json").write_text(json.dumps(manifest))
    assert main(["-q", "report", str(run), "--out", str(tmp_path / "a.html")]) == 0
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<title>Springfield leak study</title>" in page and 'lang="fr"' in page
    cfg = tmp_path / "c.toml"
    cfg.write_text('[report]\ntitle = "Other title"\n', encoding="utf-8")
    assert main(["-q", "report", str(run), "--config", str(cfg), "--lang", "en", "--out", str(tmp_path / "b.html")]) == 0
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "<title>Other title</title>" in page and 'lang="en"' in page


def test_error_paragraphs_never_split_a_path_at_its_hyphens():
    from leakopt.cli import _paragraph
    from leakopt.errors import InputError

    path = "/tmp/pytest-of-root/pytest-91/some-long-folder-name-with-hyphens/pipes-export-2023.csv"
    text = _paragraph("leakopt: bad input", InputError(f"{path} lacks column(s) ['pipe_id'] " + "word " * 30))
    assert path in text.split()

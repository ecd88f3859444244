"""The command line: cheap to start, clear on bad input (exit 2, one paragraph, no traceback), progress per stage."""
import io
import subprocess
import sys

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


def test_bad_date_argument_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--pipes", "p.csv", "--leaks", "l.csv", "--as-of", "2024-13-45", "--out", str(tmp_path)])
    assert exc.value.code == 2


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

"""The command line: cheap to start, clear on bad input (exit 2, one paragraph, no traceback)."""
import subprocess
import sys

import pytest

from leakopt.cli import main

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


def test_bare_command_prints_usage_to_stderr_and_exits_2():
    """argparse's convention for a missing sub-command: usage on stderr, exit 2, nothing on stdout."""
    out = _run()
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert out.stdout == ""
    assert "usage: leakopt" in out.stderr
    for cmd in ("run", "sensors", "demo"):
        assert cmd in out.stderr

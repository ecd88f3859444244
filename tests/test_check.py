"""``leakopt check``: the files read and validated in seconds, and a configuration suggested for raw exports."""
import json
import tomllib

import pandas as pd

from leakopt.cli import main
from leakopt.pipeline import SAMPLE_DIR


def _raw_export(tmp_path):
    """The shipped sample as a GIS export would name it: the register's ID, install date and length
    and the leak file's date and pipe under other names, next to decoys."""
    pipes = pd.read_csv(SAMPLE_DIR / "pipes.csv").rename(
        columns={"pipe_id": "WATMAINID", "install_year": "INSTALLATION_DATE", "length_m": "Shape__Length"})
    pipes.insert(0, "OBJECTID", range(len(pipes)))
    leaks = pd.read_csv(SAMPLE_DIR / "leaks.csv", dtype=str).rename(
        columns={"date": "INCIDENT_DATE", "pipe_id": "ASSETID"})
    leaks["STATUS_DATE"] = "2024-01-01"
    pipes.to_csv(tmp_path / "mains.csv", index=False)
    leaks.to_csv(tmp_path / "breaks.csv", index=False)
    return tmp_path / "mains.csv", tmp_path / "breaks.csv"


def test_check_prints_what_was_read_kept_and_left_out(tmp_path, capsys):
    code = main(["-q", "check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv"),
                 "--out", str(tmp_path / "checked")])
    out = capsys.readouterr().out
    assert code == 0
    summary = json.loads((tmp_path / "checked" / "validation.json").read_text())["summary"]
    assert f"Pipes: {summary['pipes_read']:,} read, {summary['pipes_kept']:,} kept" in out
    assert f"{summary['leaks_used']:,} usable" in out
    for reason, n in summary["leaks_excluded"].items():
        assert f"{n:,} {reason.replace('_', ' ')}" in out
    assert "Next: leakopt run --pipes" in out and "--config" not in out
    assert "Usable leaks by type: " in out and "[validate] leak_types" in out   # the sample's types: all used


def test_check_suggests_a_configuration_for_a_raw_export(tmp_path, capsys):
    pipes, leaks = _raw_export(tmp_path)
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and 'likely pipe_id = "WATMAINID"' in err and "Add --suggest-config FILE" in err

    own = tmp_path / "own.toml"
    own.write_text("# ours\n[risk]\nseed = 3\n", encoding="utf-8")
    suggested = tmp_path / "utility.toml"
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks), "--config", str(own),
                 "--suggest-config", str(suggested)])
    out = capsys.readouterr().out
    assert code == 0, out
    written = tomllib.loads(suggested.read_text(encoding="utf-8"))
    assert written["columns"] == {"pipe_id": "WATMAINID", "install_year": "INSTALLATION_DATE",
                                  "length_m": "Shape__Length"}
    assert written["leak_columns"] == {"date": "INCIDENT_DATE", "pipe_id": "ASSETID"}
    assert written["risk"] == {"seed": 3} and suggested.read_text().startswith("# ours\n")   # --config's, completed
    assert "Pipes: 4,000 read" in out and f"--config {suggested}" in out


def test_the_leak_files_pipe_column_is_the_one_that_names_the_registers_pipes(tmp_path, capsys):
    """Kitchener's break file has ROADSEGMENTID before ASSETID: both names look like a pipe ID; the values
    decide (ASSETID names register pipes), also when the date column is what stops the read first."""
    pipes, leaks = _raw_export(tmp_path)
    frame = pd.read_csv(leaks, dtype=str)
    frame.insert(0, "ROADSEGMENTID", [f"RS{i % 97}" for i in range(len(frame))])
    frame.to_csv(leaks, index=False)
    suggested = tmp_path / "utility.toml"
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks), "--suggest-config", str(suggested)])
    assert code == 0, capsys.readouterr().err
    assert tomllib.loads(suggested.read_text(encoding="utf-8"))["leak_columns"]["pipe_id"] == "ASSETID"


def test_check_without_a_likely_column_says_what_is_left(tmp_path, capsys):
    pipes, leaks = _raw_export(tmp_path)
    frame = pd.read_csv(pipes).rename(columns={"INSTALLATION_DATE": "X1"})
    frame["X1"] = "?"
    frame.to_csv(pipes, index=False)
    suggested = tmp_path / "utility.toml"
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks), "--suggest-config", str(suggested)])
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert code == 2 and "install_year" in err and "not found" in err   # the files cannot be read as they are
    assert f"{suggested} was written with the columns guessed" in err
    assert "Still to map in" in captured.out and "[columns] install_year" in captured.out
    text = suggested.read_text(encoding="utf-8")   # what was guessed, and a line to complete for the rest
    assert tomllib.loads(text)["columns"] == {"pipe_id": "WATMAINID", "length_m": "Shape__Length"}
    todo = next(line for line in text.splitlines() if line.startswith("# install_year"))
    assert "still to map" in todo and "X1" in todo and "WATMAINID" not in todo and "OBJECTID" in todo


def test_a_failure_once_columns_are_guessed_keeps_the_guesses(tmp_path):
    # the guessed mapping is right, the data is not (a duplicated ID): the error is returned with the
    # guesses, so the app's form and the suggested file still show them
    from leakopt.pipeline.check import check_files

    pd.DataFrame({"WATMAINID": ["W1", "W1"], "material": ["CI", "CI"], "INSTALLATION_DATE": [1950, 1960],
                  "diameter_mm": [100, 100], "length_m": [10, 10]}).to_csv(tmp_path / "p.csv", index=False)
    pd.DataFrame({"date": ["2020-01-01"], "pipe_id": ["W1"]}).to_csv(tmp_path / "l.csv", index=False)
    result = check_files(tmp_path / "p.csv", tmp_path / "l.csv", suggest=True)
    assert result.utility is None and "1 pipe_id value appears on more than one row" in str(result.error)
    assert result.guessed == [("columns", "pipe_id", "WATMAINID"), ("columns", "install_year", "INSTALLATION_DATE")]
    assert result.first_missing is not None and result.first_missing.missing == ["pipe_id", "install_year"]


def test_check_says_now_when_a_run_would_find_no_usable_leak(tmp_path, capsys):
    args = ["check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv")]
    code = main(args + ["--as-of", "1990-01-01", "--out", str(tmp_path / "early")])
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert code == 2 and "dated on or after the as-of date 1990-01-01 (give a later --as-of)" in err
    assert "Next:" not in captured.out and (tmp_path / "early" / "validation.json").is_file()
    assert main(args + ["--as-of", "2020-01-01"]) == 0
    out = capsys.readouterr().out.replace("\n", " ")
    assert "Next: leakopt run --pipes" in out and "--as-of 2020-01-01 --out DIR" in out   # the date checked


def test_check_refuses_settings_that_name_what_the_files_lack(tmp_path, capsys):
    """What ``run`` would refuse after training, ``check`` (and ``run``) refuse at once: an extra feature
    column the register lacks, a critical node the network lacks."""
    args = ["check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv"),
            "--network", str(SAMPLE_DIR / "network.inp"), "--config"]
    cases = {'[risk]\nextra_features = ["soil_type"]\n': "extra feature column 'soil_type' is not in the pipes",
             '[consequence]\ncritical_nodes = ["HOSPITAL-9"]\n': "critical_nodes ['HOSPITAL-9'] are not nodes"}
    for i, (text, words) in enumerate(cases.items()):
        config = tmp_path / f"c{i}.toml"
        config.write_text(text, encoding="utf-8")
        assert main(args + [str(config)]) == 2
        assert words in " ".join(capsys.readouterr().err.split())
        assert main(["-q", "run"] + args[1:] + [str(config), "--out", str(tmp_path / f"run{i}")]) == 2
        assert words in " ".join(capsys.readouterr().err.split())
        assert not (tmp_path / f"run{i}" / "risk.csv").exists()
    node = next(line.split()[0] for line in (SAMPLE_DIR / "network.inp").read_text().split("[JUNCTIONS]")[1]
                .splitlines()[1:] if line.strip() and not line.startswith(";"))
    config = tmp_path / "ok.toml"
    config.write_text(f'[consequence]\ncritical_nodes = ["{node}"]\n', encoding="utf-8")
    assert main(args + [str(config)]) == 0

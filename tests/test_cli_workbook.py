"""The command line and Excel workbooks: ``--layer`` says it names a workbook's sheet too, and the command that
``leakopt check`` prints to run next keeps the sheet (or layer) checked, quoted so that it can be pasted."""
from __future__ import annotations

import shlex
from pathlib import Path

import pandas as pd
import pytest
from test_xlsx import as_excel_stores_it, sample_subset

from leakopt.cli import main, shell_word


@pytest.mark.parametrize("command", ["run", "check", "backtest"])
def test_layer_help_says_it_names_a_workbooks_sheet(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    assert ("--layer LAYER layer name when the pipes file is a multi-layer GeoPackage, or sheet name when it is an "
            "Excel workbook (.xlsx, .xlsm) whose sheets hold several tables") in said, said


@pytest.fixture(scope="module")
def utility_book(tmp_path_factory) -> tuple[Path, Path]:
    """~300 pipes of the sample in a workbook's sheet "Water mains", beside a sheet "Codes" holding a table too,
    and their leaks as CSV."""
    base = tmp_path_factory.mktemp("cli-workbook")
    pipes, leaks = sample_subset(base)
    one = as_excel_stores_it(pipes, base / "mains.xlsx")
    book = base / "utility.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"code": ["PVC", "CI"], "label": ["polyvinyl chloride", "cast iron"]}).to_excel(
            writer, sheet_name="Codes", index=False)
        pd.read_excel(one, dtype={"pipe_id": str}).to_excel(writer, sheet_name="Water mains", index=False)
    return book, leaks


def next_command(out: str) -> list[str]:
    """The arguments of the "Next: leakopt run ..." line, as a shell splits them."""
    line = next(line for line in out.splitlines() if line.startswith("Next: "))
    words = shlex.split(line.removeprefix("Next: "))
    assert words[:2] == ["leakopt", "run"], line
    return words[1:]


def test_check_prints_a_next_command_that_keeps_the_sheet_and_runs(utility_book, tmp_path, capsys):
    # The line dropped --layer: pasted, the run stopped on "utility.xlsx has 2 sheets holding a table".
    book, leaks = utility_book
    assert main(["check", "--pipes", str(book), "--leaks", str(leaks), "--layer", "Water mains"]) == 0
    out = capsys.readouterr().out
    assert '--layer "Water mains" --out DIR' in out, out
    words = next_command(out)
    assert words[words.index("--layer") + 1] == "Water mains"
    words[words.index("DIR")] = str(tmp_path / "out")
    assert main(["-q", *words, "--no-sensors", "--no-backtest"]) == 0, capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "out" / "risk.csv")) == 300


def test_check_without_layer_prints_none(utility_book, tmp_path, capsys):
    book, leaks = utility_book
    config = tmp_path / "c.toml"
    config.write_text('[columns]\nsheet = "Water mains"\n', encoding="utf-8")
    assert main(["check", "--pipes", str(book), "--leaks", str(leaks), "--config", str(config)]) == 0
    words = next_command(capsys.readouterr().out)
    assert "--layer" not in words and words[words.index("--config") + 1] == str(config)


@pytest.mark.parametrize("value, typed", [
    ("Mains", "Mains"),
    (r"C:\Utility\pipes.xlsx", r"C:\Utility\pipes.xlsx"),        # a Windows path as it is: cmd reads no quotes
    ("/data/réseau/pipes_2024-03.csv", "/data/réseau/pipes_2024-03.csv"),
    ("Water mains", '"Water mains"'),                            # double quotes: cmd, PowerShell and sh alike
    (r"C:\My data\pipes.xlsx", r'"C:\My data\pipes.xlsx"'),
    ("Feuil (1)", '"Feuil (1)"'),
    ("it's $HOME", "'it'\"'\"'s $HOME'"),                          # a sign double quotes leave live: sh's quotes
])
def test_a_next_commands_words_are_quoted_only_when_a_shell_needs_it(value, typed):
    assert shell_word(value) == typed
    if "\\" not in value:
        assert shlex.split(typed) == [value]

"""benchmarks/bench_quality.py: one model variant on a real export at several cutoffs (and synthetic utilities)."""
from pathlib import Path

import pandas as pd
import pytest
from _riskdata import make_utility
from _scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
TOML = """[columns]
pipe_id = "ID"
material = "MAT"
diameter_mm = "DN"
install_year = "LAID"
length_m = "LEN"

[leak_columns]
date = "DATE"
pipe_id = "ASSET"
"""


def load(name):
    return load_script(f"benchmarks/{name}.py")


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    u, _ = make_utility(12, seed=3)
    d = tmp_path_factory.mktemp("export")
    p = u.pipes
    pd.DataFrame({"ID": p["pipe_id"], "MAT": p["material"], "DN": p["diameter_mm"], "LAID": p["install_year"],
                  "LEN": p["length_m"]}).to_csv(d / "mains.csv", index=False)
    pd.DataFrame({"DATE": u.leaks["date"].dt.strftime("%Y-%m-%d"), "ASSET": u.leaks["pipe_id"]}).to_csv(
        d / "breaks.csv", index=False)
    (d / "u.toml").write_text(TOML, encoding="utf-8")
    return d


def test_real_cutoffs_match_bench_real(export, capsys):
    d = export
    files = [str(d / "mains.csv"), str(d / "breaks.csv")]
    load("bench_quality").main(["--real", *files, "--config", str(d / "u.toml"), "--cutoffs", "2021-01-01",
                                "2020-01-01", "--horizon-years", "3", "--sizes"])
    out = capsys.readouterr().out
    assert "risk settings: defaults" in out
    lines = [ln for ln in out.splitlines() if ln.startswith("real 20")]
    assert [ln.split(":")[0] for ln in lines] == ["real 2021-01-01", "real 2020-01-01"]
    assert "synthetic" not in out                                     # --sizes with no value: none
    ours = lines[0].split(":", 1)[1].split("|")[0].split()
    # the same split and the same model settings as bench_real.py: the same capture of the model
    load("bench_real").main([*files, "--config", str(d / "u.toml"), "--cutoff", "2021-01-01",
                             "--horizon-years", "3", "--bootstrap", "0"])
    theirs = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("model "))
    assert ours == theirs.split()[1:6]


def test_settings_are_applied(export, capsys):
    d = export
    args = ["--real", str(d / "mains.csv"), str(d / "breaks.csv"), "--config", str(d / "u.toml"),
            "--cutoffs", "2021-01-01", "--horizon-years", "3", "--sizes"]
    with pytest.raises(SystemExit, match="num_leavez"):   # a RiskConfig field, checked
        load("bench_quality").main([*args, "--risk", "num_leavez=7"])
    load("bench_quality").main(args)
    default = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("real 20"))
    load("bench_quality").main([*args, "--risk", "glm_offset=false", "n_estimators=1"])
    out = capsys.readouterr().out
    assert "risk settings: glm_offset=false n_estimators=1" in out
    assert next(ln for ln in out.splitlines() if ln.startswith("real 20")) != default   # another model


def test_real_files_need_their_column_mapping():
    with pytest.raises(SystemExit, match="--config"):
        load("bench_quality").main(["--real", "a.csv", "b.csv", "--sizes"])

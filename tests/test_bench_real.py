"""benchmarks/bench_real.py: a raw export, the reference split, every ranking with bootstrap intervals."""
from pathlib import Path

import pandas as pd
import pytest
from _riskdata import make_utility
from _scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
TOML = """[columns]
pipe_id = "WATMAINID"
material = "MATERIAL"
diameter_mm = "PIPE_SIZE"
install_year = "INSTALLATION_DATE"
length_m = "Shape__Length"

[leak_columns]
date = "INCIDENT_DATE"
pipe_id = "ASSETID"
type = "BREAK_TYPE"

[validate]
date_format = "%Y/%m/%d %H:%M:%S+00"
leak_types = ["MAIN"]
"""


def bench():
    return load_script("benchmarks/bench_real.py")


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """A portal-like export: its own column names, dates with a time-zone suffix, SERVICE breaks."""
    u, _ = make_utility(12, seed=2)
    d = tmp_path_factory.mktemp("export")
    p = u.pipes
    pd.DataFrame({"WATMAINID": p["pipe_id"], "MATERIAL": p["material"].str.upper(), "PIPE_SIZE": p["diameter_mm"],
                  "INSTALLATION_DATE": p["install_year"].astype(str) + "/01/01 00:00:00+00",
                  "Shape__Length": p["length_m"]}).to_csv(d / "mains.csv", index=False, encoding="utf-8-sig")
    lk = u.leaks
    kind = ["SERVICE" if i % 10 == 0 else "MAIN" for i in range(len(lk))]
    pd.DataFrame({"INCIDENT_DATE": lk["date"].dt.strftime("%Y/%m/%d %H:%M:%S+00"), "ASSETID": lk["pipe_id"],
                  "BREAK_TYPE": kind}).to_csv(d / "breaks.csv", index=False, encoding="utf-8-sig")
    (d / "u.toml").write_text(TOML, encoding="utf-8")
    return d, u


def test_prints_every_ranking_with_intervals_on_the_reference_split(export, capsys):
    d, u = export
    bench().main([str(d / "mains.csv"), str(d / "breaks.csv"), "--config", str(d / "u.toml"),
                  "--cutoff", "2021-01-01", "--horizon-years", "3", "--bootstrap", "50"])
    out = capsys.readouterr().out
    assert "type_excluded" in out                                      # SERVICE breaks counted, left out
    installed = int((u.pipes["install_year"] <= 2020).sum())
    assert f"on the {installed} pipes installed by 2020" in out       # in service at the cutoff only
    capture = out.split("model minus each baseline")[0]
    rows = {line.split()[0]: line for line in capture.splitlines() if line and line.split()[0] in (
        "model", "oldest_first", "leaks_per_km_so_far", "cohort_rate", "poisson_glm", "plain_lightgbm",
        "literature_prior")}
    assert len(rows) == 7
    assert rows["model"].count("[") == 6                               # 5 capture levels + length for 80%
    paired = out.split("model minus each baseline")[1]
    assert "plain_lightgbm" in paired and "poisson_glm" in paired and "\nmodel " not in paired
    assert "resamples of the test leaks" in out


def test_refuses_todays_condition_scores_as_features(export, tmp_path):
    d, _ = export
    cfg = tmp_path / "u.toml"
    cfg.write_text(TOML + '\n[risk]\nextra_features = ["CONDITION_SCORE"]\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="CONDITION_SCORE"):
        bench().main([str(d / "mains.csv"), str(d / "breaks.csv"), "--config", str(cfg), "--cutoff", "2021-01-01"])


def test_draw_keeps_a_share_of_the_pipes_and_only_their_leaks(export):
    _, u = export
    sub = bench().draw(u, 0.5, seed=3)
    assert len(sub.pipes) == round(0.5 * len(u.pipes))
    assert sub.pipes["pipe_id"].is_unique and set(sub.pipes["pipe_id"]) < set(u.pipes["pipe_id"])
    kept = set(sub.pipes["pipe_id"].astype(str))
    assert sub.leaks["pipe_id"].astype(str).isin(kept).all()
    assert len(sub.leaks) == u.leaks["pipe_id"].astype(str).isin(kept).sum()   # none lost on the kept pipes
    assert sub.as_of == u.as_of
    assert not sub.pipes.equals(bench().draw(u, 0.5, seed=4).pipes)          # the seed changes the draw


def test_subsets_print_mean_capture_and_paired_lead(export, capsys):
    d, _ = export
    bench().main([str(d / "mains.csv"), str(d / "breaks.csv"), "--config", str(d / "u.toml"),
                  "--cutoff", "2021-01-01", "--horizon-years", "3", "--bootstrap", "0",
                  "--subsets", "2", "--share", "0.5"])
    out = capsys.readouterr().out
    assert "draw 2/2" in out and "2 draws of 50% of the pipes" in out
    tail = out.split("2 draws of 50%")[1]
    means, lead = tail.split("model minus each baseline")
    assert any(line.startswith("model ") for line in means.splitlines())
    rows = [line for line in lead.splitlines() if line.startswith(("poisson_glm", "plain_lightgbm"))]
    assert len(rows) == 2 and all(line.count("/2)") == 5 for line in rows)   # 5 levels, leads out of 2 draws
    assert "\nmodel " not in lead


def test_share_out_of_range_is_refused(export):
    d, _ = export
    with pytest.raises(SystemExit):
        bench().main([str(d / "mains.csv"), str(d / "breaks.csv"), "--config", str(d / "u.toml"),
                      "--cutoff", "2021-01-01", "--subsets", "2", "--share", "1.5"])

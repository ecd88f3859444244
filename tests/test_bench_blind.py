"""benchmarks/bench_blind.py and its own generator, benchmarks/blind_worlds.py (issue 15's blind check)."""
import numpy as np
import pandas.testing as pdt
import pytest
from _scripts import load_script

from leakopt.validate import load_utility


@pytest.fixture(scope="module")
def bw():
    return load_script("benchmarks/blind_worlds.py", register=True)   # its dataclasses need it


def test_the_generator_is_deterministic_from_its_seed(bw):
    cfg = bw.WorldConfig(n_pipes=300, seed=3, oracle_draws=20)
    a, b = bw.make_world("joints", cfg), bw.make_world("joints", cfg)
    for frame in ("pipes", "breaks", "truth"):
        pdt.assert_frame_equal(getattr(a, frame), getattr(b, frame))
    c = bw.make_world("joints", bw.WorldConfig(n_pipes=300, seed=4, oracle_draws=20))
    assert not a.breaks.equals(c.breaks)
    d = bw.make_world("yule", cfg)                # another world, another draw from the same seed
    assert not a.pipes["material"].equals(d.pipes["material"])


@pytest.mark.parametrize("world", ["nhpp", "yule"])
def test_its_export_loads_through_leakopt_with_every_quirk_counted(bw, world, tmp_path):
    w = bw.make_world(world, bw.WorldConfig(n_pipes=800, seed=1, oracle_draws=20))
    n = w.counts
    assert min(n["year_only"], n["pre_install"], n["service"], n["blank_diameter"], n["blank_install_year"]) > 0
    pipes_csv, breaks_csv = bw.write_world(w, tmp_path)
    u = load_utility(pipes_csv, breaks_csv)
    rep = u.validation
    issues = {i.code: i.count for i in rep.issues}
    assert len(u.pipes) == len(w.pipes)                                  # every pipe kept (as-of after the last)
    assert rep.summary["leaks_excluded"].get("before_install", 0) == n["pre_install"]   # earlier pipes at an ID
    assert len(u.leaks) == n["breaks"] - n["pre_install"]                # nothing else lost
    assert issues["leak_date_not_iso"] == n["year_only"]                 # "2014" read, and said so
    year_only = w.breaks["date"].str.len() == 4
    parsed = u.leaks
    rows = parsed["leak_id"].str[1:].astype(int) - 1                     # "L<row>": the file's row of each leak
    read = parsed.loc[year_only.to_numpy()[rows], "date"]
    assert len(read) and (read.dt.month.eq(1) & read.dt.day.eq(1)).all()
    assert "material_unrecognised" not in issues                         # DI-C3, CI-C1, AC-LP, ... have families
    family = u.pipes.set_index("pipe_id")["material"].reindex(w.truth["pipe_id"]).to_numpy()
    assert (family == w.truth["family"].to_numpy()).all()
    assert int(u.pipes["diameter_imputed"].sum()) == n["blank_diameter"]
    assert int(u.pipes["install_year_imputed"].sum()) == n["blank_install_year"]
    laid = w.breaks["pipe_id"].map(w.truth.set_index("pipe_id")["install_year"])
    service = (w.breaks["type"] == "SERVICE") & (w.breaks["date"].str[:4].astype(int) >= laid)
    assert service.sum() and int((u.leaks["type"] == "SERVICE").sum()) == service.sum()   # no config: kept


def test_the_oracle_is_the_expectation_of_the_test_breaks(bw):
    w = bw.make_world("yule", bw.WorldConfig(n_pipes=3000, seed=2))
    t = w.truth
    expected, observed = t["expected_test"].sum(), t["observed_test"].sum()
    assert abs(observed - expected) < 4 * np.sqrt(expected)
    ranked = t.assign(rate=t["expected_test"] / t["length_m"]).sort_values("rate", ascending=False)
    top = ranked["length_m"].cumsum() <= 0.2 * t["length_m"].sum()
    assert ranked.loc[top, "observed_test"].sum() > 0.35 * observed      # the true rates rank far above chance


def test_main_prints_the_table_with_no_pipe_unscored(capsys):
    bench = load_script("benchmarks/bench_blind.py")
    results = bench.main(["--world", "joints", "--seeds", "0", "--pipes", "600"])
    out = capsys.readouterr().out
    assert "world joints: 1 seed(s)" in out
    for label in ("oracle (true rates)", "leakopt model", "plain LightGBM", "most leaks per km so far",
                  "model - plain LightGBM", "model - leaks per km so far"):
        assert label in out
    r = results[0]
    assert r["unscored"] == 0 and r["in_service"] > 500
    assert r["n_test"] == r["n_test_truth"] > 0                        # the oracle is measured on the same breaks
    oracle = r["figures"]["oracle"]["expected"]
    assert oracle["0.1"] < oracle["0.2"] < oracle["0.3"] <= 1
    assert "CPU s" in out and "load average" in out


def test_diagnose_measures_every_ranking_on_the_expected_breaks(capsys):
    bench = load_script("benchmarks/bench_blind.py")
    r = bench.main(["--world", "yule", "--seeds", "1", "--pipes", "600", "--diagnose"])[0]
    out = capsys.readouterr().out
    assert "on the breaks the true rates expect" in out and "by family" in out and "by length" in out
    caps = r["expected"]
    assert {"model", "plain_lightgbm", "leaks_per_km_so_far", "poisson_glm", "oracle"} <= set(caps)
    assert all(caps["oracle"]["0.2"] >= caps[m]["0.2"] - 1e-9 for m in caps)   # nothing beats the true rates
    split = r["by_family"]
    assert split.to_numpy().min() >= 0 and split["oracle not model"].sum() > 0


@pytest.mark.parametrize("world", ["leyp", "weather"])
def test_the_later_worlds_export_a_plausible_utility_with_a_finite_oracle(bw, world, tmp_path):
    w = bw.make_world(world, bw.WorldConfig(n_pipes=1500, seed=0, oracle_draws=50))
    assert list(w.pipes.columns) == ["pipe_id", "material", "diameter_mm", "install_year", "length_m", "x", "y"]
    assert list(w.breaks.columns) == ["date", "pipe_id", "type"]
    assert w.pipes["pipe_id"].is_unique and w.breaks["pipe_id"].isin(w.pipes["pipe_id"]).all()
    n, km = w.counts, w.pipes["length_m"].sum() / 1000.0
    years = 2021 + w.horizon_years - w.record_from
    assert 28 <= years <= 32
    assert 2 <= 100 * n["breaks"] / km / years <= 10                      # breaks per 100 km a year
    assert min(n["year_only"], n["service"], n["blank_diameter"], n["blank_install_year"], n["replaced"]) > 0
    expected = w.truth["expected_test"].to_numpy()
    assert np.isfinite(expected).all() and (expected >= 0).all()
    assert abs(n["test_breaks"] - expected.sum()) < 4 * np.sqrt(expected.sum())   # the oracle is the mean
    assert (w.severity is not None) == (world == "weather")
    pipes_csv, breaks_csv = bw.write_world(w, tmp_path)
    u = load_utility(pipes_csv, breaks_csv)
    assert len(u.pipes) == len(w.pipes) and len(u.leaks) == n["breaks"] - n["pre_install"]


def test_record_from_exports_only_the_later_breaks_and_the_backtest_learns_from_them(bw, capsys):
    w = bw.make_world("nhpp", bw.WorldConfig(n_pipes=600, seed=0, record_from=2016, oracle_draws=20))
    assert w.record_from == 2016 and w.breaks["date"].str[:4].astype(int).min() == 2016
    bench = load_script("benchmarks/bench_blind.py")
    r = bench.main(["--world", "nhpp", "--seeds", "0", "--pipes", "600", "--record-from", "2016", "--no-run"])[0]
    assert "world nhpp: 1 seed(s)" in capsys.readouterr().out
    assert r["n_test"] == r["n_test_truth"] > 0                          # the test window is whole
    assert r["figures"]["model"]["capture"]["0.2"] > 0


def test_rate_scale_scales_the_main_breaks_and_the_oracle_alike(bw):
    cfg = dict(n_pipes=1500, seed=2, oracle_draws=20)
    full = bw.make_world("yule", bw.WorldConfig(**cfg))
    low = bw.make_world("yule", bw.WorldConfig(**cfg, rate_scale=0.25))
    main_full, main_low = (w.counts["breaks"] - w.counts["service"] for w in (full, low))
    assert 0.15 < main_low / main_full < 0.35                            # a quarter of the main breaks
    assert abs(low.counts["test_breaks"] - low.truth["expected_test"].sum()) < 4 * np.sqrt(
        low.truth["expected_test"].sum())                                 # the oracle is scaled with them

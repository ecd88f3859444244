"""Backtest: temporal split, capture by length, baselines side by side."""
import json

import numpy as np
import pandas as pd
import pytest
from _riskdata import make_utility

from leakopt.errors import InputError
from leakopt.risk import RiskConfig
from leakopt.risk.backtest import BacktestConfig, backtest, capture_curve, plot_capture, restrict_to

RC = RiskConfig(num_threads=1)


def test_capture_is_measured_by_length_and_ties_share_by_length():
    # ranked: A (score 3, 100 m, 2 leaks), then a tie B/C (score 1: 100 m + 800 m, 1 + 1 leaks)
    m = capture_curve([3.0, 1.0, 1.0], [100.0, 100.0, 800.0], [2.0, 1.0, 1.0])
    cap = m["capture"]
    assert cap["0.1"] == pytest.approx(0.5)             # the first 10% of length is A: 2 of 4 leaks
    assert cap["0.3"] == pytest.approx(0.5 + 0.5 * 0.2 / 0.9)   # then the tie, leaks spread by length
    assert m["length_share_for_80pct"] == pytest.approx(0.1 + 0.9 * (0.3 / 0.5))
    assert len(m["curve"]["length_share"]) == 101 and m["curve"]["leak_share"][-1] == pytest.approx(1.0)


def test_restrict_to_keeps_only_the_past():
    u, _ = make_utility(10, seed=0)
    past = restrict_to(u, "2015-06-01")
    assert past.leaks["date"].max() < pd.Timestamp("2015-06-01")
    assert past.pipes["install_year"].max() <= 2015 and past.as_of == pd.Timestamp("2015-06-01")


def test_the_oracle_ranks_by_the_true_rate_at_the_cutoff_not_by_later_years():
    # B leaks in the first test year, so its true rate rises afterwards (self-excitation);
    # an oracle summing the test years' rates would rank it first by peeking at that leak
    from leakopt.risk.backtest import _truth_score
    feats = pd.DataFrame({"pipe_id": ["A", "B"], "length_km": [1.0, 2.0]})
    truth = pd.DataFrame({"pipe_id": ["A", "B"] * 4, "year": [2021, 2021, 2022, 2022, 2023, 2023, 2024, 2024],
                          "expected_leaks": [9.0, 9.0, 0.3, 0.4, 0.3, 2.0, 0.3, 2.0]})
    score = _truth_score(truth, feats, pd.Timestamp("2022-01-01"))
    np.testing.assert_allclose(score, [0.3, 0.2])
    assert _truth_score(truth, feats, pd.Timestamp("2021-06-30")) == pytest.approx([0.3, 0.2])


def test_a_test_window_cut_short_by_the_data_counts_calendar_years():
    import dataclasses

    from leakopt.risk.backtest import _test_counts

    u, _ = make_utility(10, seed=0)
    u = dataclasses.replace(u, as_of=pd.Timestamp("2024-01-01"))
    # 2021, 2022 and 2023: three years, not 1,095 days / 365.25 = 2.998
    assert _test_counts(u, u.pipes, pd.Timestamp("2021-01-01"), 5)[1] == 3.0


@pytest.fixture(scope="module")
def result():
    u, truth = make_utility(25, seed=4)
    return backtest(u, cutoff="2022-01-01", horizon_years=3, truth=truth, risk_config=RC,
                    config=BacktestConfig(walk_forward_cutoffs=2))


def test_model_beats_the_simple_baselines_and_nears_the_truth(result):
    cap = {k: v["capture"] for k, v in result.methods.items()}
    for base in ("oldest_first", "leaks_per_km_so_far", "cohort_rate"):
        assert cap["model"]["0.2"] > cap[base]["0.2"], base
    assert cap["model"]["0.2"] >= 0.9 * cap["truth"]["0.2"]
    assert cap["truth"]["0.2"] > cap["oldest_first"]["0.2"]


def test_backtest_json_holds_every_ranking_side_by_side(result, tmp_path):
    doc = result.to_json(tmp_path / "backtest.json")
    on_disk = json.loads((tmp_path / "backtest.json").read_text())
    assert on_disk == doc
    assert doc["cutoff"] == "2022-01-01" and doc["horizon_years"] == 3
    assert doc["n_test_leaks"] == result.n_test_leaks > 50
    for name in ("model", "oldest_first", "leaks_per_km_so_far", "cohort_rate", "poisson_glm", "plain_lightgbm",
                 "literature_prior", "truth"):
        assert set(doc[name]["capture"]) == {"0.01", "0.05", "0.1", "0.2", "0.3"}
        assert 0 < doc[name]["length_share_for_80pct"] <= 1
    assert set(doc["baselines"]) == {"oldest_first", "leaks_per_km_so_far", "cohort_rate", "poisson_glm",
                                     "plain_lightgbm", "literature_prior"}
    assert [w["cutoff"] for w in doc["walk_forward"]] == ["2022-01-01", "2021-01-01"]
    assert doc["walk_forward_summary"]["model"]["n_cutoffs"] == 2
    assert any("left truncation" in n for n in doc["notes"])


def test_calibration_by_risk_bin(result):
    cal = result.calibration
    assert list(cal["bin"]) == list(range(1, 11))
    assert cal["observed_leaks"].sum() == result.n_test_leaks
    assert cal["predicted_leaks"].sum() == pytest.approx(result.n_test_leaks, rel=0.25)
    assert cal["observed_leaks"].iloc[0] > cal["observed_leaks"].iloc[-1] * 3


def test_test_leaks_are_those_after_the_cutoff_on_pipes_that_existed(result):
    u, _ = make_utility(25, seed=4)
    lk = u.leaks.merge(u.pipes[["pipe_id", "install_year"]], on="pipe_id")
    window = lk[(lk["date"] >= "2022-01-01") & (lk["date"] < "2025-01-01") & (lk["install_year"] <= 2022)
                & (lk["year"] >= lk["install_year"])]
    assert result.n_test_leaks == len(window)


def test_plot_capture_writes_a_png(result, tmp_path):
    path = tmp_path / "capture.png"
    plot_capture(result, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_cutoffs_are_explained():
    u, _ = make_utility(8, seed=0)
    with pytest.raises(InputError, match="must be before the end of the leak history"):
        backtest(u, cutoff="2026-01-01", risk_config=RC)
    with pytest.raises(InputError, match="fewer than 3 recorded years"):
        backtest(u, cutoff="2001-06-01", risk_config=RC)


def test_leaks_after_the_cutoff_change_nothing_at_the_cutoff():
    # validation detects the first year of reliable recording on the whole history; the backtest
    # must not: removing or adding leaks after the cutoff cannot change the model trained at it
    from leakopt.validate import detect_first_record_year, validate

    u, _ = make_utility(12, seed=3)
    cut = pd.Timestamp("2012-01-01")
    later = u.leaks[u.leaks["date"] >= cut]
    more = later.assign(leak_id=later["leak_id"] + "b", date=later["date"] + pd.Timedelta(days=1))
    variants = {"as recorded": u.leaks, "none after the cutoff": u.leaks[u.leaks["date"] < cut],
                "twice as many after it": pd.concat([u.leaks, more], ignore_index=True)}
    runs = {}
    for name, leaks in variants.items():
        v = validate(u.pipes, leaks, as_of=u.as_of)
        past = restrict_to(v, cut)
        assert past.first_record_year == detect_first_record_year(past.leaks["year"], last_year=past.as_of.year - 1), name
        runs[name] = (past.first_record_year,
                      backtest(v, cutoff=cut, horizon_years=3, risk_config=RC,
                               config=BacktestConfig(walk_forward_cutoffs=2)))
    (first, ref), *others = runs.values()
    for name, (year, res) in zip(list(runs)[1:], others):
        assert year == first, name
        pd.testing.assert_frame_equal(res.calibration.drop(columns="observed_leaks"),
                                      ref.calibration.drop(columns="observed_leaks"), obj=name)  # same scores
        assert [w["cutoff"] for w in res.walk_forward] == [w["cutoff"] for w in ref.walk_forward]
        # the notes on training are the same; one on the number of test leaks depends on the test years
        assert [n for n in res.notes if "test leaks" not in n] == [n for n in ref.notes if "test leaks" not in n], name


def test_bootstrap_intervals_resample_the_test_leaks():
    from leakopt.risk import bootstrap_capture
    # "good" puts all 4 leaks of A and B on the top 10% of length; "flat" ranks nothing first
    scores = pd.DataFrame({"pipe_id": list("ABCD"), "good": [4.0, 3.0, 2.0, 1.0], "flat": [1.0] * 4})
    length, observed = np.array([50.0, 50.0, 450.0, 450.0]), np.array([2.0, 2.0, 0.0, 0.0])
    ci = bootstrap_capture(scores, length, observed, n=200, seed=1)
    assert set(ci) == {"good", "flat"}
    assert ci["good"]["capture"]["0.1"] == pytest.approx((1.0, 1.0))   # every resample: all leaks on A, B
    lo, hi = ci["good"]["capture"]["0.05"]                                # A alone holds 0 to 4 of 4 leaks
    assert 0.0 <= lo < 0.5 < hi <= 1.0
    assert ci["flat"]["capture"]["0.2"] == pytest.approx((0.2, 0.2))     # a tie: leaks spread by length
    assert ci == bootstrap_capture(scores, length, observed, n=200, seed=1)   # seeded
    paired = bootstrap_capture(scores, length, observed, n=200, seed=1, reference="good")
    assert "lead" not in paired["good"]
    assert paired["flat"]["lead"]["0.1"] == pytest.approx((0.9, 0.9))     # 100% against 10%, every replicate
    assert "lead" not in ci["flat"]                                       # no "model" column: no reference
    with pytest.raises(InputError, match="test leaks"):
        bootstrap_capture(scores, length, np.zeros(4))


def test_rankings_at_gives_the_scores_backtest_measures(result):
    from leakopt.risk import rankings_at
    u, truth = make_utility(25, seed=4)
    r = rankings_at(u, "2022-01-01", 3, risk_config=RC, truth=truth)
    assert r.methods[0] == "model" and "truth" in r.methods
    assert int(r.observed.sum()) == result.n_test_leaks
    for name in r.methods:
        assert capture_curve(r.scores[name], r.length_m, r.observed)["capture"] == result.methods[name]["capture"]


def test_plain_lightgbm_features_are_taken_at_the_window_start_from_the_past_only():
    from leakopt.risk.baselines import plain_features
    from leakopt.risk.features import usable_leaks
    from leakopt.schema import Utility
    pipes = pd.DataFrame({"pipe_id": ["A", "B"], "material": ["cast_iron", "pvc"], "material_raw": ["CI-C1", "PVC"],
                          "diameter_mm": [150.0, 100.0], "install_year": [1950, 2000], "length_m": [100.0, 200.0]})
    leaks = pd.DataFrame({"pipe_id": ["A", "A", "A", "B"], "date": pd.to_datetime(
        ["2005-07-01", "2011-01-01", "2014-01-01", "2016-01-01"])})
    u = Utility(pipes=pipes, leaks=leaks, as_of=pd.Timestamp("2020-01-01"))
    codes = pd.Categorical(["CI-C1", "PVC"])
    f = plain_features(u, 2015.0, np.array([0, 1]), usable_leaks(u), codes)
    assert f["age"].tolist() == [65.0, 15.0] and f["material_code"].tolist() == ["CI-C1", "PVC"]
    assert f["leaks_2y"].tolist() == [1.0, 0.0] and f["leaks_5y"].tolist() == [2.0, 0.0]
    assert f["leaks_10y"].tolist() == [3.0, 0.0] and f["leaks_ever"].tolist() == [3.0, 0.0]  # 2016 is after t0
    assert f["years_since_last_leak"].iloc[0] == pytest.approx(1.0) and np.isnan(f["years_since_last_leak"].iloc[1])
    assert f["log_length"].tolist() == pytest.approx(np.log([100.0, 200.0]).tolist())


def test_plain_lightgbm_learns_the_hazard_quickly_and_deterministically():
    import time

    from leakopt.risk.backtest import restrict_to
    from leakopt.risk.baselines import plain_lightgbm
    from leakopt.risk.features import features_at
    u, truth = make_utility(25, seed=4)
    past = restrict_to(u, "2022-01-01")
    feats = features_at(past)
    start = time.process_time()
    score = plain_lightgbm(past, feats, horizon_years=3, num_threads=1)
    assert time.process_time() - start < 10
    assert np.array_equal(score, plain_lightgbm(past, feats, horizon_years=3, num_threads=1))
    rate = truth[truth["year"] == 2022].set_index("pipe_id")["expected_leaks"].reindex(feats["pipe_id"])
    rho = pd.Series(score).corr(pd.Series(rate.to_numpy() / feats["length_km"].to_numpy()), method="spearman")
    assert rho > 0.4


def test_plain_lightgbm_grows_on_the_idle_cores_from_its_own_size_with_the_same_trees(monkeypatch):
    """One booster with nothing beside it: from PLAIN_LGB_THREAD_ROWS stacked rows (below the model's
    SINGLE_THREAD_ROWS, whose searches run two 1-thread boosters side by side) it takes the idle cores;
    the scores do not depend on the threads."""
    import lightgbm as lgb

    from leakopt.risk import model as m
    from leakopt.risk.backtest import restrict_to
    from leakopt.risk.baselines import PLAIN_LGB_THREAD_ROWS, plain_lightgbm
    from leakopt.risk.features import features_at
    assert PLAIN_LGB_THREAD_ROWS < m.SINGLE_THREAD_ROWS
    monkeypatch.setattr(m, "idle_cores", lambda: 2)
    assert m.threads_for(PLAIN_LGB_THREAD_ROWS, min_rows=PLAIN_LGB_THREAD_ROWS) == 2
    assert m.threads_for(PLAIN_LGB_THREAD_ROWS - 1, min_rows=PLAIN_LGB_THREAD_ROWS) == 1
    assert m.threads_for(PLAIN_LGB_THREAD_ROWS) == 1 and m.threads_for(m.SINGLE_THREAD_ROWS) == 2
    assert m.threads_for(10**7, 1, min_rows=PLAIN_LGB_THREAD_ROWS) == 1   # as configured
    u, _ = make_utility(25, seed=4)
    past = restrict_to(u, "2022-01-01")
    feats = features_at(past)
    used, train = [], lgb.train
    monkeypatch.setattr(lgb, "train", lambda params, *a, **k: used.append(params["num_threads"]) or
                        train(params, *a, **k))
    monkeypatch.setattr("leakopt.risk.baselines.PLAIN_LGB_THREAD_ROWS", 1)   # this small utility counts as large
    two = plain_lightgbm(past, feats, horizon_years=3)
    one = plain_lightgbm(past, feats, horizon_years=3, num_threads=1)
    assert used == [2, 1]
    np.testing.assert_array_equal(one, two)


def test_plain_lightgbm_needs_the_utility():
    from leakopt.risk.baselines import baseline_scores
    with pytest.raises(InputError, match="needs the utility"):
        baseline_scores(pd.DataFrame(), pd.DataFrame({"pipe_id": ["A"]}), names=("plain_lightgbm",))


def test_every_baseline_is_named_in_the_report_and_the_app_in_english_and_french():
    from leakopt.app.texts import TEXTS
    from leakopt.report.maps import METHOD_COLOURS
    from leakopt.report.text import STRINGS
    from leakopt.risk import BASELINES
    for name in BASELINES:
        assert set(TEXTS[name]) >= {"en", "fr"}, name
        assert set(STRINGS[f"m_{name}"]) >= {"en", "fr"}, name
        assert name in METHOD_COLOURS, name


def test_a_cutoff_less_than_a_year_before_the_end_of_the_history_is_refused_and_few_test_leaks_noted():
    u, _ = make_utility(12, seed=3)
    with pytest.raises(InputError, match="days of leak history follow it"):
        backtest(u, cutoff=pd.Timestamp(u.as_of) - pd.Timedelta(days=30), horizon_years=3, risk_config=RC)
    res = backtest(u, cutoff=pd.Timestamp(u.as_of) - pd.DateOffset(years=1), horizon_years=3, risk_config=RC,
                   config=BacktestConfig(walk_forward_cutoffs=1))
    few = [n for n in res.notes if "test leaks" in n]
    assert 0 < res.n_test_leaks < 30 and few and f"only {res.n_test_leaks} test leaks" in few[0]


def test_a_backtest_whose_test_years_hold_no_leak_gives_null_captures_not_zero(tmp_path):
    # every leak before the cutoff, the history running three years past it: nothing to find, so no share of it
    import dataclasses

    from leakopt.risk.backtest import measured
    u, _ = make_utility(10, seed=0)
    u = dataclasses.replace(u, leaks=u.leaks[u.leaks["date"] < pd.Timestamp("2022-01-01")].reset_index(drop=True))
    res = backtest(u, cutoff="2022-01-01", horizon_years=3, risk_config=RC, config=BacktestConfig(walk_forward_cutoffs=2))
    doc = res.to_json(tmp_path / "backtest.json")
    assert json.loads((tmp_path / "backtest.json").read_text()) == doc and doc["n_test_leaks"] == 0
    for name in ("model", *doc["baselines"]):   # the contract's keys stay, every value null
        assert doc[name]["capture"] == dict.fromkeys(("0.01", "0.05", "0.1", "0.2", "0.3")), name
        assert doc[name]["length_share_for_80pct"] is None and doc[name]["curve"] is None
    assert all(v is None for v in doc["walk_forward"][0]["capture"]["model"].values())
    wf = doc["walk_forward_summary"]["model"]   # the earlier cutoff had test leaks: only it is averaged
    assert doc["walk_forward"][1]["n_test_leaks"] > 0 and wf["n_cutoffs_measured"] == 1
    assert wf["capture_mean"]["0.2"] == pytest.approx(doc["walk_forward"][1]["capture"]["model"]["0.2"], abs=1e-5)
    assert not measured(doc) and measured({"n_test_leaks": 4})
    assert any("could not be measured" in n for n in doc["notes"])
    assert any("le classement n’a donc pas pu être mesuré" in n for n in doc["notes_fr"])
    plot_capture(res, tmp_path / "capture.png")
    assert (tmp_path / "capture.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_test_window_cut_short_by_the_record_says_what_was_asked_and_where_the_record_ends():
    from _riskdata import with_as_of

    from leakopt.risk.backtest import horizon_cut, shown_years
    u, _ = make_utility(10, seed=0)
    res = backtest(with_as_of(u, "2024-10-01"), cutoff="2022-01-01", horizon_years=3, risk_config=RC,
                   config=BacktestConfig(walk_forward_cutoffs=1))
    doc = res.to_json()
    assert doc["horizon_years_asked"] == 3 and doc["test_end"] == "2024-09-30" and 2.7 < doc["horizon_years"] < 2.8
    assert horizon_cut(doc) == {"asked": 3, "years": doc["horizon_years"], "end": "2024-09-30"}
    assert horizon_cut({**doc, "horizon_years": 3}) is None and horizon_cut({"horizon_years": 2.5}) is None
    assert shown_years(1.997) == (2.0, 1) and shown_years(3.0) == (3, 0) and shown_years(2.7486) == (2.7, 1)
    note = next(n for n in doc["notes"] if "history ends" in n)
    assert "the test window of 3 years asked for was cut to 2.7 years" in note, note
    assert any("ramenée à 2,7\u00a0ans" in n for n in doc["notes_fr"]), doc["notes_fr"]

"""Risk model: recovers the known hazard, explains itself, deterministic, saved as text."""
import numpy as np
import pandas as pd
import pytest
from _riskdata import make_utility

from leakopt.errors import InputError
from leakopt.risk import RiskConfig, RiskModel, build_panel, features_at, score_pipes
from leakopt.schema import RISK_COLUMNS, Utility

CFG = RiskConfig(num_threads=1)


@pytest.fixture(scope="module")
def util():
    return make_utility(30, seed=2)


@pytest.fixture(scope="module")
def result(util):
    return score_pipes(util[0], config=CFG)


def test_every_pipe_gets_a_score_in_contract_order(util, result):
    u, _ = util
    risk = result.risk
    assert list(risk.columns[:len(RISK_COLUMNS)]) == list(RISK_COLUMNS)
    assert set(risk["pipe_id"]) == set(u.pipes["pipe_id"])
    assert risk["expected_leaks_per_year"].gt(0).all() and np.isfinite(risk["leaks_per_km_year"]).all()
    imputed = risk["install_year_imputed"] | risk["diameter_imputed"]
    assert imputed.sum() > 10 and risk.loc[imputed, "expected_leaks_per_year"].gt(0).all()
    assert risk["rank"].tolist() == list(range(1, len(risk) + 1))
    assert risk["leaks_per_km_year"].is_monotonic_decreasing
    for col in ("district", "material_raw", "x"):   # pass-through columns survive
        assert col in risk


def test_recovers_the_hazard(util, result):
    u, truth = util
    risk = result.risk.set_index("pipe_id")
    true = truth[truth["year"] == 2025].set_index("pipe_id")["expected_leaks"].reindex(risk.index)
    true_rate = true / (risk["length_m"] / 1000)
    rho = pd.Series(risk["leaks_per_km_year"]).corr(true_rate, method="spearman")
    assert rho > 0.6
    # material effect: cast iron rated above ductile iron of similar age, as simulated (0.30 vs 0.06)
    r = risk.assign(true=true_rate)
    ci = r[(r["material"] == "cast_iron")]["leaks_per_km_year"].median()
    di = r[(r["material"] == "ductile_iron")]["leaks_per_km_year"].median()
    assert ci > 2 * di
    # calibrated: total expected leaks per year close to the truth
    assert risk["expected_leaks_per_year"].sum() == pytest.approx(true.sum(), rel=0.2)


def test_more_past_leaks_never_lower_the_risk(util, result):
    u, _ = util
    feats = result.features.copy()
    base = result.model.predict(feats)
    for col in ("prev_leaks", "prev_leaks_5y", "prev_leaks_1y", "nb_leaks"):
        bumped = feats.assign(**{col: feats[col] + 2})
        assert (result.model.predict(bumped) >= base * (1 - 1e-9)).all(), col
    recent = feats.assign(years_since_last_leak=np.minimum(feats["years_since_last_leak"], 0.5))
    assert (result.model.predict(recent) >= base * (1 - 1e-9)).all()


def test_contributions_add_up_to_the_prediction(result):
    c = result.contributions
    log_rate = result.model.predict_log_rate(result.features)
    np.testing.assert_allclose(c.sum(axis=1).to_numpy(), log_rate, rtol=1e-6, atol=1e-6)


def test_explanations_in_english_and_french_use_the_pipes_own_values(util, result):
    u, _ = util
    risk = result.risk.set_index("pipe_id")
    top = risk.iloc[0]
    pid = risk.index[0]
    lk = u.leaks[u.leaks["pipe_id"] == pid]
    n, first, last = len(lk), lk["year"].min(), lk["year"].max()
    assert f"{n} leaks since {first} (last in {last})" in top["top_factors_en"]
    assert f"{n} fuites depuis {first} (dernière en {last})" in top["top_factors_fr"]
    assert top["top_factors"] == top["top_factors_en"]
    ci = risk[(risk["material"] == "cast_iron") & ~risk["install_year_imputed"]
              & risk["top_factors_en"].str.contains("grey cast iron")]
    row = ci.iloc[0]
    assert f"grey cast iron laid in {row['install_year']}" in row["top_factors_en"]
    assert f"fonte grise posée en {row['install_year']}" in row["top_factors_fr"]
    n_factors = risk["top_factors_en"].str.count("; ") + 1
    assert n_factors.max() <= 3
    # French typography: a space before the semicolon, the same number of factors
    assert (risk["top_factors_fr"].str.count("\u00a0; ") + 1).equals(n_factors)
    assert not risk["top_factors_fr"].str.contains(r"\S;", regex=True).any()


def test_every_pipe_is_explained_even_when_nothing_raises_its_risk(result):
    risk = result.risk
    for lang in ("en", "fr"):
        assert (risk[f"top_factors_{lang}"].str.len() > 0).all()
    low = risk["top_factors_en"].str.startswith("below-average risk")
    assert low.any(), "the fixture has low-risk pipes: they must say what keeps their risk low"
    assert risk.loc[low, "top_factors_fr"].str.startswith("risque inférieur à la moyenne").all()
    # the low-risk texts sit at the bottom of the ranking, not among the riskiest pipes
    assert risk.loc[low, "rank"].min() > 0.1 * len(risk)


def test_french_is_the_default_text_when_asked(util):
    u, _ = util
    r = score_pipes(u, config=RiskConfig(num_threads=1, lang="fr", n_estimators=30, early_stopping_rounds=5))
    assert (r.risk["top_factors"] == r.risk["top_factors_fr"]).all()


def test_deterministic_and_saved_as_lightgbm_text(util, result, tmp_path):
    u, _ = util
    again = score_pipes(u, config=CFG)
    np.testing.assert_array_equal(again.risk["expected_leaks_per_year"], result.risk["expected_leaks_per_year"])
    path = tmp_path / "model.txt"
    result.model.save(path)
    assert path.read_text().startswith("tree")
    loaded = RiskModel.load(path)
    np.testing.assert_allclose(loaded.predict(result.features), result.model.predict(result.features), rtol=1e-9)


def test_a_model_file_without_its_glm_file_is_refused_not_mispredicted(util, result, tmp_path):
    # the trees boost from the GLM offset kept in model.txt.glm.json: model.txt alone predicts wrongly
    import shutil

    result.model.save(tmp_path / "model.txt")
    (tmp_path / "alone").mkdir()
    shutil.copy(tmp_path / "model.txt", tmp_path / "alone" / "model.txt")
    with pytest.raises(InputError, match=r"model\.txt\.glm\.json.*(missing|not found).*copy it"):
        RiskModel.load(tmp_path / "alone" / "model.txt")
    # a model trained without the GLM offset says so in its own sidecar, and loads alone
    u, _ = util
    no_glm = RiskModel(RiskConfig(num_threads=1, glm_offset=False, n_estimators=20)).fit(build_panel(u))
    no_glm.save(tmp_path / "plain.txt")
    loaded = RiskModel.load(tmp_path / "plain.txt")
    assert loaded.glm is None
    np.testing.assert_allclose(loaded.predict(result.features), no_glm.predict(result.features), rtol=1e-9)


def test_training_uses_only_years_before_as_of(util, result):
    u, _ = util
    assert result.train_rows == len(build_panel(u))
    assert build_panel(u)["year"].max() == u.as_of.year - 1
    assert result.cpu_seconds > 0 and result.best_iteration >= 1
    assert result.feature_importance["gain_share"].sum() == pytest.approx(1.0)


def test_no_leak_history_is_scored_by_the_literature_prior_with_a_warning(util, caplog):
    from leakopt.risk.prior import PriorModel
    u, _ = util
    empty = Utility(pipes=u.pipes, leaks=u.leaks.iloc[:0], as_of=u.as_of, first_record_year=2000)
    result = score_pipes(empty, config=CFG)
    assert isinstance(result.model, PriorModel) and result.train_rows == 0
    assert result.risk["expected_leaks_per_year"].gt(0).all()
    assert "no leak history: every pipe is scored by the literature prior" in caplog.text


@pytest.mark.parametrize("years", [(2019,), (2018, 2019)])
def test_a_record_of_one_or_two_years_is_scored_finitely(tmp_path, years):
    """With one or two recorded years, the years before validation hold no past leak: "years since the
    last leak" is 100 everywhere there, so the GLM's "recent leak" column is one value, whose standard
    deviation numpy gives as 1e-23 (rounding), not 0. Scaled by it, the fit from that start was NaN: a
    run with two years of records stopped on a Cholesky error, and with one, pipes were scored inf."""
    from leakopt.validate import load_utility
    rng = np.random.default_rng(3)
    n = 2000
    pd.DataFrame({"pipe_id": [f"P{i:05d}" for i in range(n)],
                  "material": rng.choice(["CI", "DI", "PVC", "AC", "PE"], n),
                  "diameter_mm": rng.choice([100, 150, 200, 300, 600], n),
                  "install_year": rng.integers(1920, 2016, n),
                  "length_m": rng.uniform(5, 400, n).round(1)}).to_csv(tmp_path / "pipes.csv", index=False)
    pd.DataFrame({"pipe_id": [f"P{i:05d}" for i in rng.integers(0, n, 300)],
                  "date": [f"{rng.choice(years)}-{m:02d}-15" for m in rng.integers(1, 13, 300)]}
                 ).to_csv(tmp_path / "leaks.csv", index=False)
    u = load_utility(tmp_path / "pipes.csv", tmp_path / "leaks.csv", as_of="2020-01-01")
    risk = score_pipes(u, config=CFG).risk
    assert len(risk) == n and np.isfinite(risk["expected_leaks_per_year"]).all()
    assert 30 < risk["expected_leaks_per_year"].sum() < 1000, risk["expected_leaks_per_year"].sum()


def test_a_history_of_a_few_leaks_is_said_to_be_rough(util, caplog):
    u, _ = util
    few = Utility(pipes=u.pipes, leaks=u.leaks.sort_values("date").iloc[-5:], as_of=u.as_of,
                  first_record_year=2000)
    with caplog.at_level("WARNING", logger="leakopt.risk.model"):
        score_pipes(few, config=CFG)
    assert any(r.getMessage().startswith("only 5 leaks in the training years") for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING", logger="leakopt.risk.model"):
        score_pipes(u, config=CFG)
    assert not any("training years" in r.getMessage() for r in caplog.records)


def test_unknown_language_is_refused():
    with pytest.raises(InputError, match="lang must be 'en' or 'fr'; got 'de'"):
        RiskConfig(lang="de")


def test_hydraulic_features_enter_the_model(util):
    u, _ = util
    rng = np.random.default_rng(0)
    hyd = pd.DataFrame({"pipe_id": u.pipes["pipe_id"], "pressure_mean_m": rng.uniform(20, 80, len(u.pipes)),
                        "pressure_max_m": rng.uniform(30, 90, len(u.pipes))})
    f = features_at(u, hydraulics=hyd)
    assert f["pressure_mean_m"].notna().all()
    r = score_pipes(u, config=RiskConfig(num_threads=1, n_estimators=40), hydraulics=hyd)
    assert "pressure_mean_m" in r.model.features
    off = score_pipes(u, config=RiskConfig(num_threads=1, n_estimators=40, use_hydraulics=False), hydraulics=hyd)
    assert "pressure_mean_m" not in off.model.features


def test_a_categorical_register_column_enters_the_glm_offset(util):
    # a listed extra column such as a sector or soil type: one GLM column per frequent level, so a
    # small utility's model can use it (the trees alone split on it only with plenty of data)
    from leakopt.risk import PoissonGlm

    u, _ = util
    rng = np.random.default_rng(1)
    soil = rng.choice(["clay", "sand", "rock"], len(u.pipes))
    u = Utility(pipes=u.pipes.assign(soil=soil), leaks=u.leaks, as_of=u.as_of,
                first_record_year=u.first_record_year)
    panel = build_panel(u, extra_features=("soil",))
    factor = {"clay": 4.0, "sand": 1.0, "rock": 1.0}
    panel["leaks"] = rng.poisson(0.1 * panel["length_km"] * panel["soil"].astype(str).map(factor).astype(float))
    features = [c for c in panel.columns if c not in ("pipe_id", "year", "t0", "leaks", "length_km")]
    glm = PoissonGlm().fit(panel, features)
    assert {"soil=clay", "soil=sand", "soil=rock"} <= set(glm.columns)
    feats = features_at(u, extra_features=("soil",))
    rate = pd.Series(np.exp(glm.log_rate(feats)), index=feats["soil"].astype(str).to_numpy())
    ratio = rate.groupby(level=0).median()
    assert 3.0 < ratio["clay"] / ratio["sand"] < 5.0
    # per-feature contributions name the column, and a frame without some level predicts the same
    contrib = glm.contributions(feats, features)
    assert np.abs(contrib[:, features.index("soil")]).max() > 0.5
    sand = feats[feats["soil"].astype(str) == "sand"].copy()
    sand["soil"] = pd.Categorical(sand["soil"].astype(str))   # only the one level
    np.testing.assert_allclose(glm.log_rate(sand), glm.log_rate(feats)[feats["soil"].astype(str) == "sand"])
    again = PoissonGlm.from_dict(glm.to_dict())
    np.testing.assert_allclose(again.log_rate(feats), glm.log_rate(feats))


def test_a_generation_of_pipes_that_fails_more_gets_its_own_shrunk_glm_term(util):
    # spun grey iron, early PVC: a material x install-decade cohort leaking more than its material's age
    # says; the model's GLM offset gives it a random-effect term, the classical GLM baseline none
    from leakopt.risk import PoissonGlm

    u, _ = util
    panel = build_panel(u)
    key = panel["material"].astype(str) + "|" + panel["install_decade"].astype(int).astype(str)
    rng = np.random.default_rng(3)
    panel["leaks"] = rng.poisson(0.2 * panel["length_km"] * np.where(key == "pvc|1970", 3.0, 1.0))
    features = [c for c in panel.columns if c not in ("pipe_id", "year", "t0", "leaks", "length_km")]

    def effect(glm, cohort):
        j = glm.columns.index(f"cohort={cohort}")
        return glm.coef[j] / glm.std[j]   # on the log rate

    wide, narrow = (PoissonGlm(cohort_sigma=s).fit(panel, features) for s in (1.0, 0.05))
    assert 0.7 < effect(wide, "pvc|1970") < 1.4   # log 3 = 1.1
    assert abs(effect(wide, "pvc|1980")) < 0.3
    assert 0 < effect(narrow, "pvc|1970") < 0.5 * effect(wide, "pvc|1970")   # a tighter prior shrinks more
    assert not any(c.startswith("cohort=") for c in PoissonGlm().fit(panel, features).columns)
    # the risk model's offset has the terms by default; they explain through the install decade
    model = RiskModel(CFG).fit(panel)
    assert any(c.startswith("cohort=") for c in model.glm.columns)
    feats = features_at(u)
    contrib = wide.contributions(feats, features)
    np.testing.assert_allclose(contrib.sum(axis=1) + wide.intercept, wide.log_rate(feats))
    is_cohort = (feats["material"].astype(str) + "|" + feats["install_decade"].astype(int).astype(str)) == "pvc|1970"
    assert contrib[is_cohort.to_numpy(), features.index("install_decade")].min() > 0.5
    np.testing.assert_allclose(PoissonGlm.from_dict(wide.to_dict()).log_rate(feats), wide.log_rate(feats))
    with pytest.raises(InputError, match="cohort_sigma"):
        RiskConfig(cohort_sigma=-1)


def test_the_glm_predicts_block_by_block_as_it_would_at_once(util, monkeypatch):
    # a panel with a column per sector or cohort level is turned into GLM columns a block of rows at a
    # time; blocks that split levels apart (one block without some level) must not change any number
    import leakopt.risk.glm as B

    u, _ = util
    panel = build_panel(u)
    features = [c for c in panel.columns if c not in ("pipe_id", "year", "t0", "leaks", "length_km")]
    glm = B.PoissonGlm(cohort_sigma=0.5).fit(panel, features)
    whole = glm.log_rate(panel)
    contrib = glm.contributions(panel, features)
    monkeypatch.setattr(B, "PREDICT_ROWS", 997)
    parts = glm.log_rate(panel)
    np.testing.assert_allclose(parts, whole, rtol=0, atol=1e-12)
    np.testing.assert_allclose(glm.contributions(panel, features), contrib, rtol=0, atol=1e-12)


def test_every_path_to_a_model_trains_the_same_one(util):
    # score_pipes (leakopt run), fit_and_score (benchmarks, pooled) and the backtest's cutoffs all go
    # through fit_model: on the same utility they give the same scores
    from leakopt.risk import fit_and_score, fit_model, score_pipes

    u, _ = util
    fitted = fit_model(u)
    _, feats, scores = fit_and_score(u)
    risk = score_pipes(u).risk.set_index("pipe_id").loc[scores["pipe_id"]]
    np.testing.assert_allclose(risk["expected_leaks_per_year"].to_numpy(), scores["expected_leaks_per_year"],
                               rtol=1e-12)
    np.testing.assert_allclose(fitted.model.predict(fitted.features), scores["expected_leaks_per_year"], rtol=1e-12)
    assert list(fitted.features["pipe_id"]) == list(feats["pipe_id"]) and len(fitted.panel) > len(feats)


def test_auto_glm_offset_keeps_the_start_with_the_lower_validation_loss(util):
    u, _ = util
    panel = build_panel(u)
    auto = RiskModel(RiskConfig(num_threads=1, n_estimators=60)).fit(panel)
    assert set(auto.offset_choice) == {"glm", "none"}
    best = min(auto.offset_choice, key=auto.offset_choice.get)
    assert auto.uses_glm == (best == "glm") and (auto.glm is not None) == auto.uses_glm
    # forced either way, the same losses come out: the choice compared like with like
    for forced, key in ((True, "glm"), (False, "none")):
        m = RiskModel(RiskConfig(num_threads=1, n_estimators=60, glm_offset=forced)).fit(panel)
        assert m.offset_choice == {key: auto.offset_choice[key]} and m.uses_glm is forced
    with pytest.raises(InputError, match="glm_offset must be true, false or"):
        RiskConfig(glm_offset="yes")



def test_auto_glm_offset_on_a_large_panel_compares_the_starts_on_a_sample_of_pipes(util, monkeypatch):
    """Above CHOICE_ROWS pipe-years the two starts compete on every year of a sample of the pipes
    (which also sets the number of trees), and only the winner is grown on the whole panel, once:
    the same model as forcing that start."""
    from leakopt.risk import model as m
    u, _ = util
    panel = build_panel(u)
    monkeypatch.setattr(m, "CHOICE_ROWS", len(panel) // 3)
    auto = RiskModel(RiskConfig(num_threads=1, n_estimators=60)).fit(panel)
    assert set(auto.offset_choice) == {"glm", "none"}
    assert 0 < auto.offset_sample_pipes < panel["pipe_id"].nunique()
    best = min(auto.offset_choice, key=auto.offset_choice.get)
    forced = RiskModel(RiskConfig(num_threads=1, n_estimators=60, glm_offset=best == "glm")).fit(panel)
    assert auto.uses_glm == (best == "glm") and auto.best_iteration == forced.best_iteration
    assert auto.booster.num_trees() == auto.best_iteration and auto.train_rows == len(panel)
    feats = features_at(u)
    np.testing.assert_allclose(auto.predict(feats), forced.predict(feats), rtol=1e-9)


def test_auto_glm_offset_searches_side_by_side_give_the_same_model(util, monkeypatch):
    """With two idle cores the two starts' searches run in two threads: the same losses, trees
    and predictions as one after the other, and progress is reported from the calling thread only
    (a Streamlit progress bar may not be updated from another)."""
    import threading

    from leakopt.risk import model as m
    u, _ = util
    panel = build_panel(u)
    fits = {}
    for cores in (1, 2):
        monkeypatch.setattr(m, "idle_cores", lambda cores=cores: cores)
        steps = []
        fits[cores] = RiskModel(RiskConfig(num_threads=1, n_estimators=60)).fit(
            panel, progress=lambda step, done, total: steps.append((step, threading.current_thread())))
        assert any("early stopping" in s for s, _ in steps)
        assert {t for _, t in steps} == {threading.current_thread()}
    assert fits[1].offset_choice == fits[2].offset_choice
    assert fits[1].best_iteration == fits[2].best_iteration and fits[1].uses_glm == fits[2].uses_glm
    feats = features_at(u)
    np.testing.assert_array_equal(fits[1].predict(feats), fits[2].predict(feats))


@pytest.mark.parametrize("rate, en, fr", [
    (0.52, "0.52 leaks per km", "0,52 fuite par km"), (1.0, "1.00 leak per km", "1,00 fuite par km"),
    (1.994, "1.99 leaks per km", "1,99 fuite par km"), (1.996, "2.00 leaks per km", "2,00 fuites par km"),
    (3.5, "3.50 leaks per km", "3,50 fuites par km")])
def test_a_leak_prone_areas_rate_agrees_with_its_number(rate, en, fr):
    # French takes the singular below 2 ("0,52 fuite"), English for exactly 1, as the number is written
    from leakopt.risk.explain import explain
    features = pd.DataFrame({"pipe_id": ["P1", "P2"], "area_leaks_per_km": [rate, 1.0], "prev_leaks": [1, 2]})
    contributions = pd.DataFrame({"area_leaks_per_km": [0.5, 0.5], "prev_leaks": [0.1, 0.1], "bias": [0.0, 0.0]})
    pipes = pd.DataFrame({"pipe_id": ["P1", "P2"]})
    leaks = pd.DataFrame({"pipe_idx": [0, 1, 1], "t": [2019.2, 2018.5, 2021.3]})
    out = explain(features, contributions, leaks=leaks, pipes=pipes)
    assert out["top_factors_en"][0] == f"leak-prone area ({en} per year nearby); 1 leak in 2019"
    assert out["top_factors_fr"][0] == f"secteur à fuites ({fr} et par an alentour)\u00a0; 1 fuite en 2019"
    assert out["top_factors_en"][1].endswith("; 2 leaks since 2018 (last in 2021)")
    assert out["top_factors_fr"][1].endswith("\u00a0; 2 fuites depuis 2018 (dernière en 2021)")

"""The Dask path gives the single-machine rankings, writes one partition per utility, and stays optional."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leakopt.distributed import fit_local, write_pooled
from leakopt.errors import InputError
from leakopt.io import open_pooled, read_utility, write_utility
from leakopt.risk import RiskConfig

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _riskdata import make_utility

ROOT = Path(__file__).resolve().parent.parent
#: Quicker than the defaults (fewer, larger steps) but the same model on both paths.
FAST = RiskConfig(learning_rate=0.15, n_estimators=400, early_stopping_rounds=25)


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    """Three small utilities with known hazards, pooled on disk."""
    root = tmp_path_factory.mktemp("pooled")
    for i in range(3):
        utility, _ = make_utility(22, seed=10 + i)
        write_utility(root, f"U{i}", utility)
    return root


@pytest.fixture(scope="module")
def client():
    import dask.dataframe  # noqa: F401  (declared: the [dask] and [test] extras)
    import distributed
    import lightgbm.dask  # noqa: F401
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def both(pooled, client, tmp_path_factory):
    from leakopt.distributed import train_distributed
    out = tmp_path_factory.mktemp("dask-out")
    result = train_distributed(pooled, client=client, config=FAST, out_dir=out)
    _, reference = fit_local(pooled, config=FAST)
    return result, reference


def test_dask_ranking_matches_single_machine(both):
    from scipy.stats import spearmanr
    result, ref = both
    dask_scores = result.read_scores()
    m = ref.merge(dask_scores.drop(columns=["length_m"]), on=["utility_id", "pipe_id"],
                  suffixes=("_ref", "_dask"), validate="1:1")
    assert len(m) == len(ref) == len(dask_scores)
    assert spearmanr(m["leaks_per_km_year_ref"], m["leaks_per_km_year_dask"]).statistic > 0.95
    for _, g in m.groupby("utility_id"):   # the top 20 % of length holds nearly the same pipes
        overlap = _top_length_overlap(g, "leaks_per_km_year_ref", "leaks_per_km_year_dask", 0.2)
        assert overlap > 0.9
    total = m["expected_leaks_per_year_ref"].sum()
    assert m["expected_leaks_per_year_dask"].sum() == pytest.approx(total, rel=0.05)


def test_network_params_only_take_lightgbm_network_settings(pooled, client, tmp_path):
    from leakopt.distributed import train_distributed
    with pytest.raises(InputError, match=r"network_params: unknown key\(s\) \['learning_rate'\]"):
        train_distributed(pooled, client=client, out_dir=tmp_path, network_params={"learning_rate": 0.3})
    assert not any(tmp_path.iterdir())


def _top_length_overlap(g: pd.DataFrame, a: str, b: str, share: float) -> float:
    def top(col):
        s = g.sort_values(col, ascending=False)
        return set(s["pipe_id"][s["length_m"].cumsum() <= share * s["length_m"].sum()])
    ta, tb = top(a), top(b)
    return len(ta & tb) / max(len(ta), 1)


def test_scores_are_written_one_partition_per_utility(both, pooled):
    result, _ = both
    folders = sorted(p.name for p in result.risk_dir.iterdir())
    assert folders == ["utility_id=U0", "utility_id=U1", "utility_id=U2"]
    one = pd.read_parquet(result.risk_dir / "utility_id=U1" / "part-0.parquet")
    assert len(one) == len(read_utility(pooled, "U1").pipes)
    assert sorted(one["rank"]) == list(range(1, len(one) + 1))    # ranked within the utility
    assert one["rank"].iloc[0] == 1 and one["leaks_per_km_year"].is_monotonic_decreasing
    zone = one.loc[one["in_priority_zone"], "expected_leaks_per_year"].sum()
    assert zone >= 0.8 * one["expected_leaks_per_year"].sum()


def test_model_and_run_figures(both):
    from leakopt.risk import RiskModel
    result, _ = both
    model = RiskModel.load(result.model_path)
    assert model.booster.current_iteration() == result.best_iteration
    assert tuple(model.features) == result.features
    assert {"panel", "search", "refit", "score", "total"} <= set(result.timings)
    mem = result.worker_memory
    assert mem["worker"].nunique() == 2 and (mem["peak_rss_mb"] > 50).all()
    # the search stopped where LightGBM's early stopping would have: the curve's minimum
    curve = result.validation_curve
    assert result.best_iteration == int(np.argmin(curve[: result.best_iteration + FAST.early_stopping_rounds])) + 1
    # no restarts: the curve covers every round trained, a little more than the rule needed
    needed = min(result.best_iteration + FAST.early_stopping_rounds, FAST.n_estimators)
    assert needed <= len(curve) <= max(200, needed + max(FAST.early_stopping_rounds, needed // 2))


def _small_panel(seed=3):
    from leakopt.risk import build_panel, feature_columns
    utility, _ = make_utility(14, seed=seed)
    panel = build_panel(utility)
    return panel, feature_columns(panel), int(panel["year"].max()) - 2


def test_validation_curve_reproduces_lightgbm_early_stopping():
    """Our per-round Poisson deviance + stopping rule find the round LightGBM's own callback finds."""
    import lightgbm as lgb

    from leakopt.distributed.search import early_stopping_round, offset, validation_curve
    from leakopt.distributed.train import lgb_params

    panel, features, cut = _small_panel()
    params = {**lgb_params(FAST, len(panel), features), "num_threads": 1}
    rounds = 150
    tr, va = panel[panel["year"] <= cut], panel[panel["year"] > cut]

    def data(d, reference=None):
        return lgb.Dataset(d[features], label=d["leaks"].to_numpy(dtype=float), init_score=offset(d),
                           reference=reference)

    train = data(tr)
    stopped = lgb.train(params, train, num_boost_round=rounds, valid_sets=[data(va, train)],
                        callbacks=[lgb.early_stopping(FAST.early_stopping_rounds, verbose=False)])
    # (the returned booster is cut at its best round; retrain every round to see the whole curve)
    full = lgb.train(params, data(tr), num_boost_round=rounds)
    curve, final = validation_curve(full, va, features, offset(va))
    mean = curve / len(va)
    assert mean[stopped.best_iteration - 1] == pytest.approx(stopped.best_score["valid_0"]["poisson"], rel=1e-6)
    assert early_stopping_round(mean, FAST.early_stopping_rounds) == (stopped.best_iteration, True)
    np.testing.assert_allclose(final, offset(va) + full.predict(va[features], raw_score=True), rtol=1e-9)


def test_search_chunks_continue_one_training():
    """Chunks trained from the previous chunks' scores are the trees of one uninterrupted training.

    Without bagging or feature subsampling (the only random draws), three chunks
    of 30, 30 and 60 rounds give the validation curve and training scores of one
    120-round training: the search trains no round twice.
    """
    import lightgbm as lgb

    from leakopt.distributed.search import advance_state, init_score, offset, start_state, validation_curve
    from leakopt.distributed.train import lgb_params

    panel, features, cut = _small_panel(seed=5)
    cfg = RiskConfig(learning_rate=0.15, feature_fraction=1.0, bagging_fraction=1.0)
    params = {**lgb_params(cfg, len(panel), features), "num_threads": 1}
    tr, va = panel[panel["year"] <= cut], panel[panel["year"] > cut]
    label = tr["leaks"].to_numpy(dtype=float)
    one = lgb.train(params, lgb.Dataset(tr[features], label=label, init_score=offset(tr)), num_boost_round=120)
    expected, _ = validation_curve(one, va, features, offset(va))

    state, curve = start_state(panel, cut), []
    for n in (30, 30, 60):
        init = init_score(panel, state, cut)
        assert init.index.equals(tr.index)
        chunk = lgb.train(params, lgb.Dataset(tr[features], label=label, init_score=init), num_boost_round=n)
        state = advance_state(panel, state, chunk.model_to_string(), features, cut)
        curve.append(state["curve"])
    np.testing.assert_allclose(np.concatenate(curve), expected, rtol=1e-6)
    np.testing.assert_allclose(state["train"], offset(tr) + one.predict(tr[features], raw_score=True), rtol=1e-6)
    assert state["n_val"] == len(va)


def test_next_chunk_size():
    from leakopt.distributed.search import next_target
    assert next_target(200, 200, 100, 1500) == 300      # still improving: half as many rounds again
    assert next_target(400, 400, 25, 1500) == 600
    assert next_target(200, 180, 25, 1500) == 212      # flattened: what the rule needs, >= half a window
    assert next_target(200, 150, 100, 1500) == 250
    assert next_target(1400, 1400, 100, 1500) == 1500  # never past n_estimators


def test_early_stopping_rule():
    from leakopt.distributed.search import early_stopping_round
    curve = np.array([5, 4, 3, 3.5, 3, 2.9, 3.1, 3.2, 3.3, 3.4])
    assert early_stopping_round(curve, 3) == (6, True)     # round 6, then 3 rounds without a new low
    assert early_stopping_round(curve, 10) == (6, False)
    assert early_stopping_round(np.array([1.0, 1.0, 1.0]), 2) == (1, True)  # ties are no improvement


def test_write_pooled_streams_synthetic_utilities(tmp_path):
    pooled = write_pooled(tmp_path, n_utilities=2, pipes_per_utility=150, seed=7)
    assert pooled.utility_ids == ("U0000", "U0001")
    assert open_pooled(tmp_path) == pooled
    pipes = pd.read_parquet(tmp_path / "pipes")
    assert pipes.groupby("utility_id", observed=True).size().to_dict() == {"U0000": 150, "U0001": 150}
    assert not pipes.duplicated(["utility_id", "pipe_id"]).any()
    assert "geometry" not in pipes and {"start_node", "end_node", "material"} <= set(pipes.columns)
    leaks = pd.read_parquet(tmp_path / "leaks")
    assert len(leaks) == pooled.n_leaks > 0
    meta = json.loads((tmp_path / "meta" / "U0001.json").read_text())
    assert meta["n_pipes"] == 150 and meta["first_record_year"] is not None


def test_read_utility_as_of_cuts_history(pooled):
    full = read_utility(pooled, "U0")
    cut = read_utility(pooled, "U0", as_of="2020-01-01")
    assert (cut.leaks["date"] < pd.Timestamp("2020-01-01")).all()
    assert len(cut.leaks) == int((full.leaks["date"] < pd.Timestamp("2020-01-01")).sum())
    with pytest.raises(InputError, match="after the as-of date"):
        read_utility(pooled, "U0", as_of="2030-01-01")
    with pytest.raises(InputError, match="not in the pooled data"):
        read_utility(pooled, "U9")
    with pytest.raises(InputError, match="cannot name a partition folder"):
        write_utility(pooled, "U/9", full)


def test_single_machine_path_does_not_import_dask():
    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from _riskdata import make_utility\n"
        "import leakopt.distributed.train, leakopt.io.pooled, leakopt.pipeline\n"
        "from leakopt.risk.model import RiskConfig, score_pipes\n"
        "u, _ = make_utility(10, seed=1)\n"
        "r = score_pipes(u, config=RiskConfig(n_estimators=50))\n"
        "assert len(r.risk) == len(u.pipes)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize(("method", "n_scenarios", "chunk_size"), [("simulate", 4, 3), ("sensitivity", 12, 5)])
def test_leak_simulations_fanned_out_match_single_machine(client, method, n_scenarios, chunk_size):
    """The same scenarios (select_scenarios), the same candidate nodes, the same drops, chunk by chunk."""
    from _sensordata import network_from_inp, synthetic_risk

    from leakopt.distributed import pressure_drops_distributed
    from leakopt.placement import PressureConfig, pressure_drops, select_scenarios
    net = network_from_inp("Net3.inp")
    risk = synthetic_risk(net, seed=0)
    cfg = PressureConfig(n_scenarios=n_scenarios, method=method)
    s_ref, d_ref = pressure_drops(net, risk, config=cfg)
    s_dask, d_dask = pressure_drops_distributed(net, risk, client=client, config=cfg, chunk_size=chunk_size)
    assert len(s_ref) == n_scenarios
    pd.testing.assert_frame_equal(s_dask, s_ref)
    pd.testing.assert_frame_equal(d_dask, d_ref, rtol=1e-9)
    pd.testing.assert_frame_equal(s_ref[["node_id", "weight"]], select_scenarios(net, risk, config=cfg))
    assert d_ref.to_numpy().max() > 1.0   # leaks big enough to be seen
    with pytest.raises(InputError, match="chunk_size=0; expected an integer >= 1"):
        pressure_drops_distributed(net, risk, client=client, config=cfg, chunk_size=0)


def test_no_spilling_or_pausing_while_training(client):
    """Workers stop spilling and pausing inside the block, get their settings back after, errors pass."""
    from leakopt.distributed.memory import memory_settings, training_memory
    before = memory_settings(client)
    assert (before[["target", "spill", "pause"]] != False).all().all()   # noqa: E712 (False means off)
    with pytest.raises(RuntimeError, match="training failed"):
        with training_memory(client):
            inside = memory_settings(client)
            assert (inside[["target", "spill", "pause"]] == False).all().all()   # noqa: E712
            raise RuntimeError("training failed")
    pd.testing.assert_frame_equal(memory_settings(client), before)
    data_target = client.run(lambda dask_worker: dask_worker.memory_manager.data.n)
    assert all(v < float("inf") for v in data_target.values())   # the spill buffer's target is back too


def test_consequence_simulations_fanned_out_match_single_machine(client):
    """Net3's segments shut one by one in Dask tasks: the same figures as the local process pool."""
    from _sensordata import network_from_inp, synthetic_risk

    from leakopt.consequence import ConsequenceConfig, consequence_of_failure
    from leakopt.distributed import consequence_distributed
    net = network_from_inp("Net3.inp")
    risk = synthetic_risk(net, seed=0)
    likelihood = risk.set_index("pipe_id")["expected_leaks_per_year"]
    cfg = ConsequenceConfig(pdd_segments=25, pdd_all_max_segments=10)
    local = consequence_of_failure(net.links, net, config=ConsequenceConfig(**{**cfg.__dict__, "pdd_workers": 1}),
                                   likelihood=likelihood)
    dask = consequence_distributed(net.links, net, client=client, config=cfg, likelihood=likelihood)
    pdd = dask.summary["pdd"]
    assert pdd["status"] == "ok" and pdd["n_segments_simulated"] == 25 and pdd["dask_tasks"] == 2
    assert pdd["cpu_seconds"] > 0
    pd.testing.assert_frame_equal(dask.frame, local.frame)
    assert dask.frame["method"].str.endswith("_pdd").sum() >= 25


def test_a_pooled_model_scores_a_town_with_no_leak_history(tmp_path, capsys):
    """`leakopt run --model` with a model pooled from other utilities: a town whose leak file is empty
    is ranked by it, far ahead of "oldest first" on the town's true rates (the generator's truth)."""
    from leakopt import synth
    from leakopt.cli import main
    write_pooled(tmp_path / "pooled", n_utilities=3, pipes_per_utility=400, seed=10)
    model, _ = fit_local(tmp_path / "pooled")
    model.save(tmp_path / "pooled_model.txt")
    town = synth.write_synth(synth.synthesize(300, seed=77), tmp_path / "town")
    empty = tmp_path / "no_leaks.csv"
    empty.write_text("leak_id,pipe_id,date\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["-q", "run", "--pipes", str(town["pipes"]), "--leaks", str(empty), "--network", str(town["network"]),
                 "--model", str(tmp_path / "pooled_model.txt"), "--no-sensors", "--out", str(out)]) == 0
    risk = pd.read_csv(out / "risk.csv", dtype={"pipe_id": str}).set_index("pipe_id")
    truth = pd.read_csv(town["truth"], dtype={"pipe_id": str})
    rate = truth[truth["year"] == truth["year"].max()].set_index("pipe_id")["expected_leaks"]
    risk["truth"] = rate.reindex(risk.index).fillna(0.0)

    def capture(order) -> float:
        d = risk.loc[order]
        top = d["length_m"].cumsum() / d["length_m"].sum() <= 0.2
        return d.loc[top, "truth"].sum() / d["truth"].sum()
    model_capture = capture(risk.sort_values("leaks_per_km_year", ascending=False).index)
    oldest = capture(risk.sort_values("install_year", kind="stable").index)
    assert model_capture > oldest + 0.1, (model_capture, oldest)

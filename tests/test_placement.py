"""Logger placement: exact optimum vs brute force, greedy, budgets, redundancy, time limits."""
import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from _highs import highs_runs_with
from _sensordata import grid_network, hand_network, synthetic_risk

from leakopt.errors import InputError
from leakopt.optimize import SolveInfo
from leakopt.placement import (
    Coverage,
    CoverageConfig,
    PlacementConfig,
    build_coverage,
    build_model,
    greedy_cover,
    heard_counts,
    place_sensors,
    segment_weights,
    solve,
    tradeoff_curve,
)
from leakopt.placement.curve import greedy_bound
from leakopt.placement.solve import drop_idle_sites

CONTRACT_JSON = ("n_sensors", "n_sensors_full_network", "reduction_factor", "covered_risk_share", "solver",
                 "status", "mip_gap", "solve_seconds")


@pytest.fixture(scope="module")
def grid():
    net = grid_network(12, seed=5)
    risk = synthetic_risk(net, seed=2)
    return net, risk, build_coverage(net, risk, config=CoverageConfig(segment_length_m=40))


def _heard_by_networkx(net, cov, node_ids):
    """Segments heard by the given loggers, recomputed from the pipe graph (not the matrix)."""
    seg = cov.segments
    links = net.links.set_index("pipe_id")
    g = nx.Graph()
    rng_m = seg.groupby("pipe_id")["range_m"].first()
    for pid, row in links.iterrows():
        g.add_edge(row["start_node"], row["end_node"], weight=row["length_m"] / rng_m[pid])
    dist = nx.multi_source_dijkstra_path_length(g, list(node_ids), cutoff=1.5)
    # the farthest point of a segment from the nearest logger (either pipe end)
    u = links.loc[seg["pipe_id"], "start_node"].map(dist).fillna(np.inf).to_numpy()
    v = links.loc[seg["pipe_id"], "end_node"].map(dist).fillna(np.inf).to_numpy()
    length = links.loc[seg["pipe_id"], "length_m"].to_numpy()
    c = 1.0 / seg["range_m"].to_numpy()
    t = seg["start_offset_m"].to_numpy()[:, None] + np.linspace(0, 1, 41) * seg["length_m"].to_numpy()[:, None]
    worst = np.minimum(u[:, None] + c[:, None] * t, v[:, None] + c[:, None] * (length[:, None] - t)).max(axis=1)
    return worst <= 1.0 + 1e-6


def test_zone_cover_hears_every_priority_segment_recomputed_independently(grid):
    net, risk, cov = grid
    p = place_sensors(cov, risk, config=PlacementConfig(cover="zone"))
    assert p.to_json()["model"] == "zone" and p.status == "optimal"
    zone_pipes = set(risk.loc[risk["in_priority_zone"], "pipe_id"])
    in_zone = cov.segments["pipe_id"].isin(zone_pipes).to_numpy()
    hearable = _heard_by_networkx(net, cov, cov.sites["node_id"])  # by any junction at all
    heard = _heard_by_networkx(net, cov, p.sensors["node_id"])
    assert in_zone.sum() > 100 and (in_zone & ~hearable).sum() > 0  # some zone segments out of all ranges
    assert heard[in_zone & hearable].all()
    assert p.zone_covered_length_share == pytest.approx(
        cov.segments["length_m"][in_zone & heard].sum() / cov.segments["length_m"][in_zone].sum(), rel=1e-6)
    assert p.n_sensors <= p.greedy_n_sensors
    assert p.n_sensors < p.n_sensors_full_network


def _brute_force(matrix, w, *, k=None, r=1):
    """Min sensors covering every weighted hearable segment r times, or max weight with k sensors.

    Enumerates every subset of sites (2^n, n <= 16) as rows of a 0/1 matrix.
    """
    m = matrix.toarray().astype(np.int64)
    n = m.shape[0]
    subsets = ((np.arange(2 ** n)[:, None] >> np.arange(n)[None, :]) & 1).astype(np.int64)
    sizes = subsets.sum(axis=1)
    counts = subsets @ m
    need = np.minimum(r, m.sum(axis=0))
    if k is None:
        ok = ((counts >= need) | (w == 0)).all(axis=1)
        return int(sizes[ok].min())
    value = ((counts >= np.maximum(need, 1)) * w).sum(axis=1)
    return float(value[sizes <= k].max())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ilp_matches_brute_force_on_small_instances(seed):
    net = grid_network(4, seed=seed, drop=0.15)  # 16 candidate sites
    risk = synthetic_risk(net, seed=seed).assign(material="pvc")
    cov = build_coverage(net, risk, config=CoverageConfig(segment_length_m=30))
    w = segment_weights(cov, risk)
    for r in (1, 2):
        model = build_model(cov, w, redundancy=r)
        solve(model)
        assert len(model.selected()) == _brute_force(cov.matrix, w, r=r)
        assert len(model.selected()) <= len(greedy_cover(cov, w, redundancy=r))
    for k in (2, 3):
        model = build_model(cov, w, budget=k)
        info = solve(model)
        assert len(model.selected()) <= k
        assert info.objective == pytest.approx(_brute_force(cov.matrix, w, k=k), rel=1e-6)


def test_share_model_meets_target_with_fewer_loggers_than_greedy(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    for share in (0.3, 0.5, 0.6):
        model = build_model(cov, w, target_share=share)
        solve(model)
        heard = heard_counts(cov, model.selected()) > 0
        assert w[heard].sum() >= share * w.sum() - 1e-9
        greedy = greedy_cover(cov, w, target_share=share)
        assert w[heard_counts(cov, greedy) > 0].sum() >= share * w.sum() - 1e-9
        assert len(model.selected()) <= len(greedy)


def test_the_risk_s_unit_changes_no_placement(grid):
    """Expected leaks given per day or per million years place the same loggers: on raw weights of 1e-9
    the solver's tolerances took 0 loggers for 80% ("optimal"), and weights of 1e12 made it fail."""
    net, risk, cov = grid
    base = place_sensors(cov, risk, target_share=0.8)
    for scale in (1e-9, 1e12):
        scaled = risk.assign(expected_leaks_per_year=risk["expected_leaks_per_year"] * scale)
        p = place_sensors(cov, scaled, target_share=0.8)
        assert (p.n_sensors, p.summary["status"]) == (base.n_sensors, "optimal"), scale
        assert p.covered_risk_share >= 0.8 - 1e-9
        assert p.summary["total_expected_leaks"] == pytest.approx(base.summary["total_expected_leaks"] * scale)
        b0, b = place_sensors(cov, risk, budget=5), place_sensors(cov, scaled, budget=5)
        assert b.covered_risk_share == pytest.approx(b0.covered_risk_share)
        # the budget model's objective is the expected leaks heard, in the risk's own unit
        assert b.summary["objective"] == pytest.approx(b.covered_risk_share * b.summary["total_expected_leaks"])
    with pytest.raises(InputError, match="no expected leak to listen for"):   # it said "hear at most 0.000"
        place_sensors(cov, risk.assign(expected_leaks_per_year=0.0), target_share=0.8)


def test_budget_respects_k_and_beats_greedy(grid):
    net, risk, cov = grid
    for k in (3, 10):
        p = place_sensors(cov, risk, budget=k)
        assert p.n_sensors <= k and p.greedy_n_sensors <= k
        assert p.covered_risk_share >= p.greedy_covered_risk_share - 1e-9
        assert p.reduction_factor == pytest.approx(p.n_sensors_full_network / p.n_sensors)


def test_a_budget_above_what_the_network_needs_places_no_idle_logger(grid):
    # the budget is a ceiling: it once placed every candidate site, most of them hearing nothing new
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    full = build_model(cov, w)
    solve(full)
    p = place_sensors(cov, risk, budget=cov.matrix.shape[0])
    assert p.covered_risk_share == pytest.approx(w[cov.hearing_count > 0].sum() / w.sum())
    assert p.n_sensors == len(full.selected())    # the fewest that hear it all, not a cover with idle loggers
    assert p.summary["model"] == "budget" and p.summary["budget"] == cov.matrix.shape[0]
    assert p.n_sensors_full_network == p.n_sensors


def test_the_whole_network_cover_is_not_solved_twice(grid, monkeypatch):
    """A budget above need: its fewest-loggers cover is the whole network's when every heard segment has
    weight, so three solves (budget, cover, whole network) are two."""
    import sys
    solve_module = sys.modules["leakopt.placement.solve"]   # the module, which the package's solve() shadows
    net, risk, cov = grid
    kinds = []
    real = solve_module.solve

    def counting(model, **kwargs):
        kinds.append(model.kind)
        return real(model, **kwargs)
    monkeypatch.setattr(solve_module, "solve", counting)
    w = segment_weights(cov, risk)
    assert (w[cov.hearing_count > 0] > 0).all()
    p = place_sensors(cov, risk, budget=cov.matrix.shape[0])
    assert kinds == ["budget", "cover"]
    assert p.n_sensors == p.n_sensors_full_network
    kinds.clear()
    place_sensors(cov, risk, budget=3)           # a budget below need: its own model and the whole network's
    assert kinds == ["budget", "cover"]


def test_drop_idle_sites_keeps_the_objective(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    for r in (1, 2):
        model = build_model(cov, w, budget=cov.matrix.shape[0], redundancy=r)
        solve(model)
        objective = model.info.objective
        assert drop_idle_sites(model) > 0 and model.info.objective == pytest.approx(objective)
        counts = heard_counts(cov, model.selected())
        need = np.minimum(r, cov.hearing_count)
        for site in model.selected():                     # each logger left is needed by some segment
            alone = heard_counts(cov, [s for s in model.selected() if s != site])
            assert ((counts >= need) & (alone < need) & (w > 0)).any()


def test_redundancy_two_hears_each_segment_twice(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    model = build_model(cov, w, redundancy=2)
    solve(model)
    counts = heard_counts(cov, model.selected())
    need = np.minimum(2, cov.hearing_count)
    assert (counts[w > 0] >= need[w > 0]).all()
    single = build_model(cov, w)
    solve(single)
    assert len(model.selected()) > len(single.selected())


def test_unreachable_segments_are_reported_not_ignored():
    # a 400 m PVC main (range 80 m) between A and B, plus short cast-iron pipes; loggers on junctions only
    net = hand_network([("A", "B"), ("B", "C"), ("C", "D")], lengths=[400.0, 100.0, 100.0])
    risk = pd.DataFrame({"pipe_id": ["P0", "P1", "P2"], "expected_leaks_per_year": [4.0, 1.0, 1.0],
                         "in_priority_zone": [True, True, False], "material": ["pvc", "cast_iron", "cast_iron"],
                         "diameter_mm": 150.0})
    cov = build_coverage(net, risk, config=CoverageConfig(segment_length_m=40, access_point_spacing_m=0))
    p = place_sensors(cov, risk, target_share=0.9)
    j = p.to_json()
    assert j["n_unreachable_segments"] == 6 and j["unreachable_length_m"] == pytest.approx(240.0)
    assert j["unreachable_expected_leaks"] == pytest.approx(4.0 * 240 / 400)
    assert set(p.unreachable["pipe_id"]) == {"P0"}
    # 90% is out of reach: it covers all that can be heard and says the target was not met
    assert j["covered_risk_share"] == pytest.approx(1 - 2.4 / 6.0) and j["target_met"] is False
    # the report and the app say so, with the most any placement hears
    from leakopt.i18n import Translator
    from leakopt.report.sections import unreachable_sentence
    from leakopt.report.text import STRINGS
    assert j["total_expected_leaks"] == pytest.approx(6.0)
    text = unreachable_sentence(j, Translator(STRINGS, "en"))
    assert text.startswith("6 pipe segments (240\u00a0m) are out of range") and "more than 60.0% of the" in text


def _random_cover(n_sites=200, n_seg=1000, seed=7):
    """Random set cover, far too hard to prove optimal in half a second."""
    rng = np.random.default_rng(seed)
    rows = np.concatenate([rng.choice(n_sites, 5, replace=False) for _ in range(n_seg)])
    cols = np.repeat(np.arange(n_seg), 5)
    matrix = sp.csr_matrix((np.ones(len(rows), bool), (rows, cols)), shape=(n_sites, n_seg))
    segs = pd.DataFrame({"segment_id": [f"S{j}" for j in range(n_seg)], "pipe_id": [f"P{j}" for j in range(n_seg)],
                         "length_m": 10.0, "start_offset_m": 0.0, "x": 0.0, "y": 0.0})
    sites = pd.DataFrame({"node_id": [f"N{i}" for i in range(n_sites)], "x": 0.0, "y": 0.0})
    return Coverage(segments=segs, sites=sites, matrix=matrix, unreachable=segs.iloc[:0])


def test_the_placement_sentence_describes_the_model_that_ran(grid):
    from leakopt.pipeline.summary import placement_line as _placement_line  # printed by 'leakopt run', 'sensors'

    heard = lambda j: f"{100 * j['covered_risk_share']:.1f}% of expected leaks"  # noqa: E731
    # "cover": the share target was out of reach, so every segment any site hears is covered (not the zone)
    hand = hand_network([("A", "B"), ("B", "C"), ("C", "D")], lengths=[400.0, 100.0, 100.0])
    hand_risk = pd.DataFrame({"pipe_id": ["P0", "P1", "P2"], "expected_leaks_per_year": [4.0, 1.0, 1.0],
                              "in_priority_zone": [True, True, False], "material": ["pvc", "cast_iron", "cast_iron"],
                              "diameter_mm": 150.0})
    hand_cov = build_coverage(hand, hand_risk, config=CoverageConfig(segment_length_m=40, access_point_spacing_m=0))
    cover = place_sensors(hand_cov, hand_risk, target_share=0.9).to_json()
    assert cover["model"] == "cover"
    assert "priority zone" not in _placement_line(cover)
    assert _placement_line(cover).startswith(
        f"Loggers: {cover['n_sensors']} hear {heard(cover)}, all that the candidate sites can reach "
        "(the target of 90% is out of reach)")
    # "zone": every priority-zone metre a site can reach
    net, risk, cov = grid
    zone = place_sensors(cov, risk, config=PlacementConfig(cover="zone", full_network=False)).to_json()
    assert zone["model"] == "zone"
    assert _placement_line(zone) == (f"Loggers: {zone['n_sensors']} cover every metre of the priority zone "
                                     f"they can reach ({heard(zone)}).")
    # "share": the fewest reaching the target; "budget": the most heard with the loggers available
    share = place_sensors(cov, risk, config=PlacementConfig(full_network=False)).to_json()
    budget = place_sensors(cov, risk, budget=5, config=PlacementConfig(full_network=False)).to_json()
    assert (share["model"], budget["model"]) == ("share", "budget")
    assert _placement_line(share) == f"Loggers: {share['n_sensors']} hear {heard(share)} (target 80%)."
    assert _placement_line(budget) == f"Loggers: 5 (the whole budget) hear {heard(budget)}, the most 5 can."


def test_time_limit_returns_best_found_with_gap():
    # (HiGHS overshoots its limit on larger ones: it does not check the clock during root cuts)
    n_seg = 1000
    cov = _random_cover(n_seg=n_seg)
    for solver in ("highs", "cbc"):
        model = build_model(cov, np.ones(n_seg))
        info = solve(model, solver=solver, time_limit_s=0.5, mip_gap=0.0)
        assert info.status == "time_limit" and info.solver == solver
        assert info.mip_gap is not None and info.mip_gap > 0
        counts = heard_counts(cov, model.selected())
        assert (counts >= 1).all()  # the best found is a real, feasible placement
        assert info.objective == pytest.approx(len(model.selected()))
        # with the greedy answer as fallback, the reported answer is never worse than greedy
        greedy = greedy_cover(cov, np.ones(n_seg))
        model = build_model(cov, np.ones(n_seg))
        info = solve(model, solver=solver, time_limit_s=0.5, mip_gap=0.0, fallback=greedy)
        assert info.status in ("time_limit", "time_limit_greedy")
        assert len(model.selected()) <= len(greedy) and (heard_counts(cov, model.selected()) >= 1).all()


def test_a_solve_stopped_by_another_limit_says_which_in_placement_json(monkeypatch, tmp_path):
    from leakopt.pipeline import write_sensors

    cov = _random_cover()
    risk = pd.DataFrame({"pipe_id": cov.segments["pipe_id"],
                         "expected_leaks_per_year": np.random.default_rng(1).uniform(0.1, 1.0, len(cov.segments))})
    highs_runs_with(monkeypatch, mip_max_improving_sols=1)  # HiGHS stops at its first improving solution
    p = place_sensors(cov, risk, config=PlacementConfig(target_share=1.0, full_network=False, solver="highs"))
    write_sensors(p, tmp_path, crs=None)
    j = json.loads((tmp_path / "placement.json").read_text())
    assert j["solver"] == "highs" and j["status"] in ("solution_limit", "solution_limit_greedy")
    assert j["mip_gap"] > 0
    rows = np.flatnonzero(cov.sites["node_id"].isin(p.sensors["node_id"]))
    assert (heard_counts(cov, rows) >= 1).all()  # the answer kept is a real placement meeting the target


def test_placement_json_and_sensors_csv_contract(grid, tmp_path):
    net, risk, cov = grid
    p = place_sensors(cov, risk)
    j = p.to_json()
    assert set(CONTRACT_JSON) <= set(j)
    json.dumps(j)  # JSON-ready
    assert j["covered_risk_share"] >= 0.8 - 1e-9 and j["target_share"] == 0.8
    assert j["n_sensors"] == len(p.sensors) <= j["greedy_n_sensors"]
    cols = ["node_id", "x", "y", "covered_pipes", "covered_length_m", "covered_risk_share"]
    assert list(p.sensors.columns[:6]) == cols
    # covered_length_m and covered_pipes recomputed from the matrix row of each logger
    row = pd.Index(cov.sites["node_id"]).get_loc(p.sensors["node_id"].iloc[0])
    segs = cov.matrix[row].indices
    assert p.sensors["covered_length_m"].iloc[0] == pytest.approx(cov.segments["length_m"].iloc[segs].sum())
    assert p.sensors["covered_pipes"].iloc[0] == cov.segments["pipe_id"].iloc[segs].nunique()
    p.sensors.to_csv(tmp_path / "sensors.csv", index=False)
    back = pd.read_csv(tmp_path / "sensors.csv", dtype={"node_id": str})
    assert back["node_id"].tolist() == p.sensors["node_id"].tolist()


def test_tradeoff_curve_is_monotone_and_ilp_beats_greedy(grid):
    net, risk, cov = grid
    curve = tradeoff_curve(cov, risk, budgets=[1, 2, 5, 10, 20])
    assert curve["n_sensors"].tolist() == [1, 2, 5, 10, 20]
    assert curve["covered_risk_share"].is_monotonic_increasing
    assert (curve["covered_risk_share"] >= curve["greedy_covered_risk_share"] - 1e-9).all()
    assert (curve["status"] == "optimal").all()
    # one logger: the best single site, checked by trying every site
    w = segment_weights(cov, risk)
    best = max(w[cov.matrix[i].toarray().ravel()].sum() for i in range(cov.matrix.shape[0])) / w.sum()
    assert curve["covered_risk_share"].iloc[0] == pytest.approx(best)


def test_required_sites_and_errors(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    model = build_model(cov, w, budget=3, required=["J0"])
    solve(model)
    assert "J0" in set(cov.sites["node_id"].iloc[model.selected()])
    with pytest.raises(InputError, match="give target_share or budget, not both"):
        build_model(cov, w, budget=3, target_share=0.5)
    with pytest.raises(InputError, match=r"target_share=1.5"):
        PlacementConfig(target_share=1.5)
    with pytest.raises(InputError, match="solver='gurobi' is not known"):
        solve(build_model(cov, w, budget=2), solver="gurobi")


def test_highs_and_cbc_agree(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    objs = []
    for solver in ("highs", "cbc"):
        model = build_model(cov, w, target_share=0.5)
        info = solve(model, solver=solver)
        assert isinstance(info, SolveInfo) and info.status == "optimal" and info.solver == solver
        objs.append(info.objective)
    assert objs[0] == pytest.approx(objs[1])


def test_share_model_at_time_limit_starts_from_greedy_and_reports_its_gap(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    greedy = greedy_cover(cov, w, target_share=0.7)
    model = build_model(cov, w, target_share=0.7)
    info = solve(model, time_limit_s=0.01, mip_gap=0.0, fallback=greedy)
    assert info.status in ("time_limit", "time_limit_greedy", "optimal")
    assert len(model.selected()) <= len(greedy)
    assert w[heard_counts(cov, model.selected()) > 0].sum() >= 0.7 * w.sum() - 1e-9
    if info.status != "optimal":
        assert info.mip_gap is not None and 0 <= info.mip_gap <= 1
        assert info.best_bound <= info.objective + 1e-9


def test_user_constraint_between_build_and_solve(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    free = build_model(cov, w, budget=6)
    solve(free)
    chosen = cov.sites["node_id"].to_numpy()[free.selected()]
    capped = build_model(cov, w, budget=6)
    capped.add_constraint(chosen[:3], upper=1)  # at most one logger among three of the free optimum's sites
    info = solve(capped)
    ids = set(cov.sites["node_id"].to_numpy()[capped.selected()])
    assert len(ids & set(chosen[:3])) <= 1 and len(ids) <= 6
    assert info.objective <= free.info.objective + 1e-9


def test_greedy_budget_is_a_prefix_and_the_curve_bound_holds():
    net = grid_network(4, seed=1, drop=0.15)
    risk = synthetic_risk(net, seed=1).assign(material="pvc")
    cov = build_coverage(net, risk, config=CoverageConfig(segment_length_m=30))
    w = segment_weights(cov, risk)
    order = greedy_cover(cov, w)
    for k in (1, 2, 3, 4):
        assert greedy_cover(cov, w, budget=k).tolist() == order[:k].tolist()
        best = _brute_force(cov.matrix, w, k=k)
        assert greedy_bound(cov, w, order[:k]) >= best - 1e-9  # a valid upper bound on the optimum
        assert w[heard_counts(cov, order[:k]) > 0].sum() <= best + 1e-9


def test_tradeoff_curve_shares_its_time_budget(grid):
    net, risk, cov = grid
    budgets = [2, 5, 10, 20, 40]
    curve = tradeoff_curve(cov, risk, budgets=budgets,
                           config=PlacementConfig(tradeoff_total_time_s=0.3, tradeoff_time_limit_s=5))
    assert curve["n_sensors"].tolist() == budgets
    assert (curve["covered_risk_share"] >= curve["greedy_covered_risk_share"] - 1e-12).all()
    assert (curve["bound_risk_share"] >= curve["covered_risk_share"] - 1e-12).all()
    assert (curve["mip_gap"] >= 0).all()
    # the budget ran out: later points are greedy's answers, with a bound (status "greedy", or "optimal"
    # when the LP bound proves greedy within the gap)
    assert (curve["solver"] == "greedy").any()
    assert set(curve.loc[curve["solver"] == "greedy", "status"]) <= {"greedy", "optimal"}
    exact = tradeoff_curve(cov, risk, budgets=budgets)
    assert (exact["covered_risk_share"] <= curve["bound_risk_share"] + 1e-9).all()


def test_site_costs_with_greedy_start_minimise_cost(grid):
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    cost = pd.Series(np.where(np.arange(len(cov.sites)) % 2 == 0, 1.0, 3.0), index=cov.sites["node_id"])
    p = place_sensors(cov, risk, cost=cost, config=PlacementConfig(full_network=False))
    spent = cost.loc[p.sensors["node_id"]].sum()
    greedy = greedy_cover(cov, w, target_share=0.8, cost=cost)
    assert spent <= cost.iloc[greedy].sum() + 1e-9 and p.status == "optimal"
    assert p.objective == pytest.approx(spent)
    assert p.covered_risk_share >= 0.8 - 1e-9


def _cover_from_sets(sets: list[list[int]], n_seg: int) -> Coverage:
    rows = np.concatenate([[i] * len(s) for i, s in enumerate(sets)])
    cols = np.concatenate([np.asarray(s) for s in sets])
    matrix = sp.csr_matrix((np.ones(len(rows), bool), (rows, cols)), shape=(len(sets), n_seg))
    segs = pd.DataFrame({"segment_id": [f"S{j}" for j in range(n_seg)], "pipe_id": [f"P{j}" for j in range(n_seg)],
                         "length_m": 10.0, "start_offset_m": 0.0, "x": 0.0, "y": 0.0})
    sites = pd.DataFrame({"node_id": [f"N{i}" for i in range(len(sets))], "x": 0.0, "y": 0.0})
    return Coverage(segments=segs, sites=sites, matrix=matrix, unreachable=segs.iloc[:0])


def test_prune_drops_the_early_greedy_pick_that_later_picks_make_redundant():
    # A = {0,1,2,3} is picked first (largest), then B = {0,1,4} and C = {2,3,5}: A hears nothing
    # that B and C do not, so the pruned answer is B, C
    cov = _cover_from_sets([[0, 1, 2, 3], [0, 1, 4], [2, 3, 5]], 6)
    w = np.ones(6)
    assert greedy_cover(cov, w)[0] == 0 and sorted(greedy_cover(cov, w)) == [0, 1, 2]
    assert sorted(greedy_cover(cov, w, prune=True)) == [1, 2]
    # a required site is never dropped
    assert sorted(greedy_cover(cov, w, prune=True, required=["N0"])) == [0, 1, 2]


@pytest.mark.parametrize("redundancy,share", [(1, None), (2, None), (1, 0.8), (2, 0.7)])
def test_pruned_greedy_stays_feasible_and_never_grows(redundancy, share):
    rng = np.random.default_rng(redundancy * 10 + int(100 * (share or 0)))
    n_sites, n_seg = 120, 600
    sets = [sorted(rng.choice(n_seg, rng.integers(5, 40), replace=False).tolist()) for _ in range(n_sites)]
    cov = _cover_from_sets(sets, n_seg)
    w = rng.gamma(0.5, size=n_seg) * (rng.random(n_seg) < 0.9)
    plain = greedy_cover(cov, w, target_share=share, redundancy=redundancy)
    pruned = greedy_cover(cov, w, target_share=share, redundancy=redundancy, prune=True)
    assert len(pruned) <= len(plain) and set(pruned) <= set(plain)
    counts = heard_counts(cov, pruned)     # recomputed from the matrix, not from the pass's bookkeeping
    need = np.where(w > 0, np.minimum(redundancy, cov.hearing_count), 0)
    if share is None:
        assert (counts >= need).all()
    else:
        assert w[(need > 0) & (counts >= need)].sum() >= share * w.sum() - 1e-9


def test_placement_on_a_real_network_layout_is_optimal_and_far_below_the_whole_network():
    """WNTR's ky10 layout (a real Kentucky network, 1,043 pipes) with the synthetic utility's true
    expected leaks: 80% of them heard by a proven-fewest set of loggers, well under the whole network's."""
    from leakopt.synth import SynthConfig, synthesize

    syn = synthesize(1043, seed=1, config=SynthConfig(layout="ky10"))
    last = syn.truth[syn.truth["year"] == syn.truth["year"].max()]
    expected = last.set_index("pipe_id")["expected_leaks"].reindex(syn.network.links["pipe_id"]).fillna(0.0)
    assets = syn.assets.set_index("pipe_id").reindex(syn.network.links["pipe_id"])
    risk = pd.DataFrame({"pipe_id": syn.network.links["pipe_id"].astype(str).to_numpy(),
                         "expected_leaks_per_year": expected.to_numpy(),  # material: how far a logger hears
                         "material": assets["material_family"].fillna("unknown").to_numpy()})
    p = place_sensors(build_coverage(syn.network, risk), risk).to_json()
    assert p["status"] == "optimal" and p["full_network_status"] == "optimal"
    assert p["covered_risk_share"] >= 0.8 - 1e-9 and p["n_sensors"] <= p["greedy_n_sensors"]
    assert p["reduction_factor"] >= 2.5  # 583 loggers against 1,732 (x2.97) with HiGHS 1.16
    assert p["bound_source"] == "solver" and p["best_bound"] == pytest.approx(p["n_sensors"])


def _pair_values(cov, w, r):
    """Weight every single site and every pair of sites hears, counted as the models count it."""
    m = cov.matrix.astype(np.float64).tocsr()
    need = np.minimum(r, cov.hearing_count)
    w1, w2 = w * (need == 1), w * (need == 2)
    single = np.asarray(m @ w1).ravel()
    overlap1 = (m @ sp.diags(w1) @ m.T).toarray()
    both2 = (m @ sp.diags(w2) @ m.T).toarray()
    pairs = single[:, None] + single[None, :] - overlap1 + both2
    np.fill_diagonal(pairs, -np.inf)
    return single, pairs


def test_redundancy_two_curve_counts_what_the_model_counts_and_matches_brute_force(grid):
    """With redundancy 2 a segment a second site can hear counts only once two loggers hear it: the curve
    must report that (not 'heard once'), its one-logger point must be the best single site, and every
    point must be the true optimum (brute force over all pairs)."""
    net, risk, cov = grid
    w = segment_weights(cov, risk)
    total = w.sum()
    single, pairs = _pair_values(cov, w, 2)
    curve = tradeoff_curve(cov, risk, budgets=[1, 2], redundancy=2,
                           config=PlacementConfig(tradeoff_mip_gap=0.0, tradeoff_time_limit_s=30))
    one, two = curve.itertuples()
    assert one.status == "optimal" and one.solver == "exhaustive"
    assert one.covered_risk_share * total == pytest.approx(single.max())
    assert two.status == "optimal" and two.covered_risk_share * total == pytest.approx(pairs.max())
    assert (curve["bound_risk_share"] >= curve["covered_risk_share"] - 1e-12).all()
    heard_once = w[heard_counts(cov, [int(np.argmax(single))]) > 0].sum()
    assert heard_once > single.max() + 1e-9  # the measure that was wrongly reported is really different here


@pytest.mark.parametrize("redundancy", [1, 2])
def test_redundant_share_never_counts_segments_no_site_hears(redundancy):
    net = hand_network([("A", "B"), ("B", "C"), ("C", "D")], lengths=[400.0, 100.0, 100.0])
    risk = pd.DataFrame({"pipe_id": ["P0", "P1", "P2"], "expected_leaks_per_year": [4.0, 1.0, 1.0],
                         "material": ["pvc", "cast_iron", "cast_iron"], "diameter_mm": 150.0})
    cov = build_coverage(net, risk, config=CoverageConfig(segment_length_m=40, access_point_spacing_m=0))
    j = place_sensors(cov, risk, target_share=0.5, redundancy=redundancy).to_json()
    assert j["unreachable_expected_leaks"] > 0
    assert j["redundant_risk_share"] <= j["covered_risk_share"] + 1e-12
    if redundancy == 1:
        assert j["redundant_risk_share"] == pytest.approx(j["covered_risk_share"])
    assert j["target_met"] is True and j["redundant_risk_share"] >= 0.5 - 1e-9
    from leakopt.pipeline.summary import placement_line

    said = f"{100 * j['redundant_risk_share']:.1f}% by 2 loggers"
    assert (said in placement_line(j)) == (redundancy == 2)

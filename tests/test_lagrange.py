"""The share model's Lagrangian phase (leakopt.placement.lagrange): a proven bound, a feasible answer,
and the same optimum as the whole model solved directly."""
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from leakopt.optimize.highs import LpRelaxation, SparseMip
from leakopt.placement import Coverage, build_model, greedy_cover, heard_counts, lagrange, solve


def _street_cover(seed: int, n_sites: int = 200, n_seg: int = 600, r_max: float = 1.5) -> tuple[Coverage, np.ndarray]:
    """Sites and segments on a few streets: each site hears the segments within a random reach."""
    rng = np.random.default_rng(seed)
    site_pos = np.sort(rng.uniform(0, 100, n_sites))
    seg_pos = np.sort(rng.uniform(0, 100, n_seg))
    reach = rng.uniform(0.5, r_max, n_sites)
    near = np.abs(site_pos[:, None] - seg_pos[None, :]) <= reach[:, None]
    near &= rng.random(near.shape) > 0.1  # a few gaps: not an interval matrix
    matrix = sp.csr_matrix(near)
    segs = pd.DataFrame({"segment_id": [f"S{j}" for j in range(n_seg)], "pipe_id": [f"P{j}" for j in range(n_seg)],
                         "length_m": 10.0, "start_offset_m": 0.0, "x": seg_pos, "y": 0.0})
    sites = pd.DataFrame({"node_id": [f"N{i}" for i in range(n_sites)], "x": site_pos, "y": 0.0})
    heard = np.asarray(near.sum(axis=0)).ravel() > 0
    cov = Coverage(segments=segs, sites=sites, matrix=matrix, unreachable=segs[~heard])
    return cov, rng.gamma(0.5, 1.0, n_seg)


def _optimum(cov, w, **kw) -> float:
    model = build_model(cov, w, **kw)
    info = solve(model, solver="highs", time_limit_s=60, mip_gap=0.0)
    assert info.status == "optimal"
    return info.objective


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kw", [{}, {"required": ["N3", "N50"]}, {"cost": "random"}, {"redundancy": 2}])
def test_bound_never_exceeds_the_optimum_and_the_answer_is_feasible(seed, kw):
    cov, w = _street_cover(seed)
    if kw.get("cost") == "random":
        kw = {"cost": pd.Series(np.random.default_rng(seed).integers(1, 4, len(cov.sites)),
                                index=cov.sites["node_id"])}
    opt = _optimum(cov, w, target_share=0.8, **kw)
    model = build_model(cov, w, target_share=0.8, **kw)
    greedy = greedy_cover(cov, w, target_share=0.8, prune=True, **kw)
    phase = lagrange.lagrangian_phase(model, greedy, deadline=np.inf, sub_deadline=np.inf)
    assert phase.bound is not None and phase.bound <= opt + 1e-9
    if "redundancy" not in kw:  # the LP of these street-like covers is nearly integral: the bound is tight
        assert phase.bound >= 0.9 * opt
    assert phase.rows is not None and model.mip.is_feasible(model.start_values(phase.rows))
    assert model.mip.objective(model.start_values(phase.rows)) >= opt - 1e-9
    assert w[heard_counts(cov, phase.rows) >= 1].sum() >= 0.8 * w.sum() - 1e-9
    if "required" in kw:
        assert {"N3", "N50"} <= set(cov.sites["node_id"].to_numpy()[phase.rows])


@pytest.mark.parametrize("seed", range(6))
def test_solve_with_the_phase_finds_the_unreduced_optimum(monkeypatch, seed):
    cov, w = _street_cover(seed)
    opt = _optimum(cov, w, target_share=0.8)
    monkeypatch.setattr(lagrange, "LAGRANGE_MIN_NNZ", 0)
    model = build_model(cov, w, target_share=0.8)
    assert lagrange.applies(model)
    info = solve(model, solver="highs", time_limit_s=60, mip_gap=0.0,
                 fallback=greedy_cover(cov, w, target_share=0.8, prune=True))
    assert info.status == "optimal" and info.objective == pytest.approx(opt)
    assert len(model.selected()) == pytest.approx(opt)
    assert info.best_bound is not None and info.best_bound <= opt + 1e-9


def test_status_stays_exact_when_the_time_is_spent(monkeypatch):
    cov, w = _street_cover(0, n_sites=400, n_seg=1500, r_max=8)
    monkeypatch.setattr(lagrange, "LAGRANGE_MIN_NNZ", 0)
    model = build_model(cov, w, target_share=0.8)
    greedy = greedy_cover(cov, w, target_share=0.8, prune=True)
    info = solve(model, solver="highs", time_limit_s=0.3, mip_gap=0.0, fallback=greedy)
    assert model.mip.is_feasible(model.start_values(model.selected()))
    assert info.objective == pytest.approx(len(model.selected())) and len(model.selected()) <= len(greedy)
    if info.status != "optimal":  # a stop is never called optimal unless the bound closes the gap
        assert info.status in ("time_limit", "time_limit_greedy")
    if info.best_bound is not None:
        assert info.mip_gap == pytest.approx((info.objective - info.best_bound) / info.objective)
        assert info.status != "optimal" or info.mip_gap == 0


@pytest.mark.parametrize("seed", range(3))
def test_an_answer_the_whole_model_did_not_prove_says_its_bound_is_lagrangian(monkeypatch, seed):
    cov, w = _street_cover(seed, n_sites=300, n_seg=1000, r_max=4)
    monkeypatch.setattr(lagrange, "LAGRANGE_MIN_NNZ", 0)
    monkeypatch.setattr(lagrange, "WHOLE_MODEL_LP_FACTOR", 1e9)  # the whole model is never worth running
    model = build_model(cov, w, target_share=0.8)
    info = solve(model, solver="highs", time_limit_s=60, mip_gap=0.0,
                 fallback=greedy_cover(cov, w, target_share=0.8, prune=True))
    opt = _optimum(cov, w, target_share=0.8)
    assert info.status in ("optimal", "feasible") and info.bound_source == "lagrangian"
    assert info.best_bound <= opt + 1e-9 <= info.objective + 2e-9
    assert info.mip_gap == pytest.approx((info.objective - info.best_bound) / info.objective)
    assert (info.status == "optimal") == (info.mip_gap == 0)


def test_the_phase_leaves_models_with_user_constraints_to_the_solver(monkeypatch):
    cov, w = _street_cover(1)
    monkeypatch.setattr(lagrange, "LAGRANGE_MIN_NNZ", 0)
    model = build_model(cov, w, target_share=0.8)
    model.add_constraint(["N1", "N2", "N3"], lower=2)
    assert not lagrange.applies(model)
    assert not lagrange.applies(build_model(cov, w, budget=5))
    info = solve(model, solver="highs", time_limit_s=60, mip_gap=0.0,
                 fallback=greedy_cover(cov, w, target_share=0.8, prune=True, required=["N1", "N2"]))
    assert info.status == "optimal"
    assert len({"N1", "N2", "N3"} & set(cov.sites["node_id"].to_numpy()[model.selected()])) >= 2


def test_lp_relaxation_resolves_warm_to_the_cold_optimum():
    rng = np.random.default_rng(3)
    a = sp.random(60, 40, density=0.15, random_state=4, format="csr")
    a.data[:] = 1.0
    mip = SparseMip("lp", "min")
    mip.add_columns(40, cost=1.0, integer=True)
    mip.add_rows(a, 1.0 * (np.asarray(a.sum(axis=1)).ravel() > 0), np.inf)
    relax = LpRelaxation(mip)
    for _ in range(3):
        cost = rng.uniform(0.5, 2.0, 40)
        status, obj, values = relax.solve(cost)
        fresh = SparseMip("lp", "min")
        fresh.add_columns(40, cost=cost, integer=False)
        fresh.add_rows(a, 1.0 * (np.asarray(a.sum(axis=1)).ravel() > 0), np.inf)
        status0, obj0, _ = LpRelaxation(fresh).solve()
        assert status == status0 == "optimal" and obj == pytest.approx(obj0, rel=1e-9)
        assert cost @ values == pytest.approx(obj)


@pytest.mark.parametrize("seed", range(4))
def test_budget_bounds_hold_for_every_budget_and_are_tight(seed):
    cov, w = _street_cover(seed)
    order = greedy_cover(cov, w)
    budgets = [1, 3, 8, 15, 25]
    model = build_model(cov, w, budget=budgets[0])
    bounds, support = lagrange.budget_bounds(model, budgets, order, deadline=np.inf)
    assert sorted(bounds) == sorted(support) == budgets
    for k in budgets:
        model.set_budget(k)
        info = solve(model, solver="highs", time_limit_s=60, mip_gap=0.0)
        assert info.status == "optimal"
        assert info.objective <= bounds[k] + 1e-9  # proven: never below the optimum
        assert bounds[k] <= 1.01 * info.objective  # and close to it on these street-like covers


def test_large_curve_points_hold_their_bounds_and_never_claim_the_restriction_optimal(monkeypatch):
    from leakopt.placement import PlacementConfig, tradeoff_curve

    cov, w = _street_cover(2)
    risk = pd.DataFrame({"pipe_id": cov.segments["pipe_id"], "expected_leaks_per_year": w})
    monkeypatch.setattr(lagrange, "LAGRANGE_MIN_NNZ", 0)
    cfg = PlacementConfig(tradeoff_mip_gap=0.0, tradeoff_total_time_s=60)
    curve = tradeoff_curve(cov, risk, budgets=[1, 4, 10, 20], config=cfg)
    model = build_model(cov, w, budget=1)
    for row in curve.itertuples():
        model.set_budget(row.n_sensors)
        best = solve(model, solver="highs", time_limit_s=60, mip_gap=0.0).objective / w.sum()
        assert row.covered_risk_share <= best + 1e-9 <= row.bound_risk_share + 2e-9
        assert row.covered_risk_share >= row.greedy_covered_risk_share - 1e-12
        # the restricted model's "optimal" is not the curve's: only a closed gap may say so
        assert row.status != "optimal" or row.mip_gap <= 1e-9
        assert row.status in ("optimal", "feasible", "feasible_greedy_better")


def test_without_time_for_the_whole_model_the_phase_answer_is_feasible_not_optimal(monkeypatch):
    cov, w = _street_cover(4, n_sites=300, n_seg=900)
    opt = _optimum(cov, w, target_share=0.8)
    monkeypatch.setattr(lagrange, "LAGRANGE_MIN_NNZ", 0)
    monkeypatch.setattr(lagrange, "WHOLE_MODEL_LP_FACTOR", 1e12)  # never time enough for the whole model
    model = build_model(cov, w, target_share=0.8)
    info = solve(model, solver="highs", time_limit_s=60, mip_gap=0.0,
                 fallback=greedy_cover(cov, w, target_share=0.8, prune=True))
    assert info.objective == pytest.approx(len(model.selected())) and info.objective >= opt
    assert info.best_bound <= opt + 1e-9
    assert info.mip_gap == pytest.approx((info.objective - info.best_bound) / info.objective)
    assert info.status == ("optimal" if info.mip_gap == 0 else "feasible")


@pytest.mark.parametrize("redundancy", [1, 2])
def test_greedy_gains_add_up_to_what_each_prefix_hears(redundancy):
    """The multipliers start from greedy's marginal gains: with redundancy 2 a segment's weight is
    gained when its second logger comes, not its first."""
    from leakopt.placement.greedy import heard_weight

    cov, w = _street_cover(2)
    order = greedy_cover(cov, w, redundancy=redundancy)
    model = build_model(cov, w, budget=5, redundancy=redundancy)
    gains = np.cumsum(lagrange._greedy_gains(model, order))
    for k in (1, 3, 10, len(order)):
        assert gains[k - 1] == pytest.approx(heard_weight(cov, w, order[:k], redundancy=redundancy))


def test_a_curve_point_solved_on_its_lp_sites_keeps_the_limit_that_stopped_it(monkeypatch):
    """A large curve solves each point on the sites its LP uses; when that solve stops at a limit the
    point says so (not 'feasible', which read as a finished search)."""
    from leakopt.optimize import SolveInfo
    from leakopt.placement import curve

    cov, w = _street_cover(4)
    risk = pd.DataFrame({"pipe_id": cov.segments["pipe_id"], "expected_leaks_per_year": w})
    monkeypatch.setattr(lagrange, "LAGRANGE_MIN_NNZ", 0)
    solved = []

    def stopped(model, *, fallback, **kw):
        model.values = model.start_values(np.asarray(fallback, dtype=np.int64))
        model.info = SolveInfo(solver="highs", status="iteration_limit_greedy", objective=model.mip.objective(
            model.values), mip_gap=None, solve_seconds=0.0)
        solved.append(model.kind)
        return model.info

    monkeypatch.setattr(curve, "solve", stopped)
    points = curve.tradeoff_curve(cov, risk, budgets=[3, 8, 15], redundancy=2)  # a weak LP bound
    assert solved == ["budget"] * 3
    assert (points["mip_gap"] > 0.005).all()  # redundancy 2: the LP bound proves none of them
    assert (points["status"] == "iteration_limit_greedy").all()

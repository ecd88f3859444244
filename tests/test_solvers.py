"""The sparse MIP layer: partial-sum rows, HiGHS vs CBC, wall-clock limit with best found and gap."""

import numpy as np
import pytest
import scipy.sparse as sp
from _highs import highs_runs_with

from leakopt.errors import InputError
from leakopt.optimize import SparseMip, solve_mip


def _knapsack(n, *, block, seed=0):
    """max v x s.t. sum a x <= cap (one long row), x binary."""
    rng = np.random.default_rng(seed)
    v, a = rng.integers(1, 50, n).astype(float), rng.integers(1, 30, n).astype(float)
    mip = SparseMip("knap", sense="max")
    x = mip.add_columns(n, cost=v, integer=True)
    row = mip.add_sum_row(x, a, upper=a.sum() / 3, block=block)
    return mip, v, a, row


def _brute_knapsack(v, a, cap):
    n = len(v)
    subsets = ((np.arange(2 ** n)[:, None] >> np.arange(n)[None, :]) & 1).astype(float)
    ok = subsets @ a <= cap + 1e-9
    return float((subsets @ v)[ok].max())


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_split_long_row_gives_the_same_optimum_as_one_row(solver):
    mip, v, a, _ = _knapsack(14, block=3)  # 14 terms -> 5 partial sums -> 2 -> 1 row
    assert mip.n_cols > 14 and mip.n_rows > 1
    one, *_ = _knapsack(14, block=1000)
    assert one.n_cols == 14 and one.n_rows == 1
    best = _brute_knapsack(v, a, a.sum() / 3)
    for model in (mip, one):
        res = solve_mip(model, solver=solver, mip_gap=0.0)
        assert res.info.status == "optimal" and res.info.solver == solver
        assert res.info.objective == pytest.approx(best)
        assert model.is_feasible(res.values)
        assert a @ res.values[:14] <= a.sum() / 3 + 1e-6


def test_row_bounds_change_and_complete_fills_partial_sums():
    mip, _, a, row = _knapsack(12, block=4)
    x = np.zeros(mip.n_cols)
    x[:5] = 1
    full = mip.complete(x)
    assert full[12:15] == pytest.approx([a[:4].sum(), a[4:5].sum(), 0.0])  # one partial sum per block of 4
    assert mip.is_feasible(full) == (a[:5].sum() <= a.sum() / 3)
    mip.set_row_bounds(row, upper=a.min() - 0.5)  # nothing fits any more
    res = solve_mip(mip, mip_gap=0.0)
    assert res.info.objective == pytest.approx(0.0)
    with pytest.raises(InputError, match="row 99 is not in the model"):
        mip.set_row_bounds(99, upper=1.0)


def _hard_cover(n_sites=3000, n_rows=12000, per_row=6, seed=3):
    """Random set cover with a long side row: large, and far from solvable in a fraction of a second."""
    rng = np.random.default_rng(seed)
    cols = np.concatenate([rng.choice(n_sites, per_row, replace=False) for _ in range(n_rows)])
    rows = np.repeat(np.arange(n_rows), per_row)
    mip = SparseMip("hard_cover")
    x = mip.add_columns(n_sites, cost=1.0, integer=True)
    mip.add_rows(sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n_rows, n_sites)), 1.0, np.inf)
    mip.add_sum_row(x, rng.uniform(0.5, 1.5, n_sites), upper=n_sites)  # long row, never binding
    return mip


def test_tiny_time_limit_returns_the_start_or_better_with_a_gap_near_the_limit():
    mip = _hard_cover()
    start = mip.complete(np.r_[np.ones(3000), np.zeros(mip.n_cols - 3000)])  # every site: feasible, poor
    assert mip.is_feasible(start)
    limit = 1.5  # enough for HiGHS to start (not for presolve): the search is interrupted
    res = solve_mip(mip, solver="highs", time_limit_s=limit, mip_gap=0.0, start=start)
    assert res.info.status == "time_limit"   # the limit reached the solver (it used to run for minutes)
    assert res.values is not None and mip.is_feasible(res.values)
    assert res.info.objective <= 3000 and res.info.objective == pytest.approx(res.values[:3000].sum())
    assert res.info.mip_gap is not None and 0 < res.info.mip_gap <= 1
    assert res.info.best_bound is None or res.info.best_bound <= res.info.objective + 1e-6


def test_cbc_fallback_and_argument_errors():
    mip, v, a, _ = _knapsack(10, block=4)
    res = solve_mip(mip, solver="cbc", time_limit_s=20, mip_gap=0.0)
    assert res.info.objective == pytest.approx(_brute_knapsack(v, a, a.sum() / 3))
    with pytest.raises(InputError, match="time_limit_s=0"):
        solve_mip(mip, time_limit_s=0)
    with pytest.raises(InputError, match="solver='glpk' is not known"):
        solve_mip(mip, solver="glpk")
    with pytest.raises(InputError, match="sense='up'"):
        SparseMip("m", sense="up")


def test_highs_used_elsewhere_in_the_process_with_other_threads_does_not_break_placement():
    import highspy

    from leakopt.optimize.highs import _highs_lp

    mip, v, a, _ = _knapsack(10, block=4)
    other = highspy.Highs()  # e.g. renewal through PuLP, with its own thread setting
    other.setOptionValue("output_flag", False)
    other.setOptionValue("threads", 2)
    other.passModel(_highs_lp(mip))
    other.run()
    res = solve_mip(mip, solver="highs", mip_gap=0.0)
    assert res.info.status == "optimal"
    assert res.info.objective == pytest.approx(_brute_knapsack(v, a, a.sum() / 3))


def test_limit_too_short_to_start_the_solver_returns_the_start():
    mip = _hard_cover()
    start = mip.complete(np.r_[np.ones(3000), np.zeros(mip.n_cols - 3000)])
    res = solve_mip(mip, solver="highs", time_limit_s=0.05, start=start)
    assert res.info.status == "time_limit" and res.info.solver == "none" and res.values == pytest.approx(start)
    assert res.info.best_bound == 0.0 and res.info.mip_gap == 1.0  # only the column bounds prove anything


def _packing(integer, *, n=40, rows=4, seed=0):
    """max c x s.t. W x <= half of each row's sum, 0 <= x <= 1 (integer or not)."""
    rng = np.random.default_rng(seed)
    w = rng.integers(20, 60, (rows, n)).astype(float)
    mip = SparseMip("packing", sense="max")
    mip.add_columns(n, cost=w[0] + rng.integers(0, 10, n), integer=integer)
    mip.add_rows(sp.csr_matrix(w), -np.inf, w.sum(axis=1) / 2)
    return mip


def test_a_highs_stop_other_than_the_time_limit_is_reported_by_its_name(monkeypatch):
    best = solve_mip(_packing(False), solver="highs").info.objective
    # primal simplex from the all-zero start stays feasible: stopped after 2 iterations with a solution
    highs_runs_with(monkeypatch, presolve="off", simplex_strategy=4, simplex_iteration_limit=2)
    res = solve_mip(_packing(False), solver="highs")
    assert (res.info.status, res.info.solver) == ("iteration_limit", "highs")
    assert res.info.has_solution and res.info.objective < best - 1e-6
    assert _packing(False).is_feasible(res.values)
    # a covering LP stopped after 1 iteration holds no feasible point
    rng = np.random.default_rng(1)
    cover = SparseMip("cover")
    cover.add_columns(40, cost=rng.uniform(1, 2, 40))
    cover.add_rows(sp.csr_matrix((rng.random((30, 40)) < 0.15).astype(float)), 1.0, np.inf)
    highs_runs_with(monkeypatch, presolve="off", simplex_iteration_limit=1)
    res = solve_mip(cover, solver="highs")
    assert res.info.status == "iteration_limit_no_solution" and res.values is None and not res.info.has_solution
    # MIP stopped at its first improving solution
    highs_runs_with(monkeypatch, mip_max_improving_sols=1)
    res = solve_mip(_packing(True), solver="highs", mip_gap=0.0)
    assert (res.info.status, res.info.solver) == ("solution_limit", "highs")
    assert res.info.mip_gap > 0 and _packing(True).is_feasible(res.values)


def _pulp_packing(integer, *, n=40, rows=4, seed=0):
    import pulp

    rng = np.random.default_rng(seed)
    w = rng.integers(20, 60, (rows, n)).astype(float)
    c = w[0] + rng.integers(0, 10, n)
    prob = pulp.LpProblem("packing", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{i}", 0, 1, cat="Integer" if integer else "Continuous") for i in range(n)]
    prob += pulp.lpSum(float(c[i]) * x[i] for i in range(n))
    for r in range(rows):
        prob += pulp.lpSum(float(w[r, i]) * x[i] for i in range(n)) <= float(w[r].sum() / 2)
    return prob


def test_the_pulp_route_reports_the_highs_stop_by_its_name(monkeypatch):
    from leakopt.optimize.solvers import solve_problem

    highs_runs_with(monkeypatch, presolve="off", simplex_strategy=4, simplex_iteration_limit=2)
    info = solve_problem(_pulp_packing(False), solver="highs")
    assert (info.status, info.solver) == ("iteration_limit", "highs") and info.has_solution
    highs_runs_with(monkeypatch, mip_max_improving_sols=1)  # PuLP's own HiGHS wrapper does not know it
    prob = _pulp_packing(True)
    info = solve_problem(prob, solver="highs", mip_gap=0.0)
    assert (info.status, info.solver) == ("solution_limit", "highs") and info.has_solution
    assert info.objective == pytest.approx(prob.objective.value()) and info.mip_gap > 0


def test_every_highs_model_status_has_its_own_name():
    import highspy

    from leakopt.optimize.solvers import SolveInfo, highs_status

    ms = highspy.HighsModelStatus
    expected = {ms.kOptimal: "optimal", ms.kInfeasible: "infeasible", ms.kUnbounded: "unbounded",
                ms.kUnboundedOrInfeasible: "infeasible_or_unbounded", ms.kTimeLimit: "time_limit",
                ms.kIterationLimit: "iteration_limit", ms.kSolutionLimit: "solution_limit",
                ms.kMemoryLimit: "memory_limit", ms.kInterrupt: "interrupted", ms.kHighsInterrupt: "interrupted",
                ms.kObjectiveBound: "objective_bound", ms.kObjectiveTarget: "objective_target",
                ms.kLoadError: "load_error", ms.kModelError: "model_error", ms.kPresolveError: "presolve_error",
                ms.kSolveError: "solve_error", ms.kPostsolveError: "postsolve_error",
                ms.kModelEmpty: "empty_model", ms.kUnknown: "unknown", ms.kNotset: "not_solved"}
    assert set(expected) == set(ms.__members__.values())  # a status added to HiGHS gets a name here
    for model_status, name in expected.items():
        status = highs_status(model_status, has_solution=True)
        assert status == name, model_status
        info = SolveInfo(solver="highs", status=status, objective=1.0, mip_gap=None, solve_seconds=0.0)
        assert info.has_solution == (name not in ("infeasible", "unbounded", "infeasible_or_unbounded")
                                     and not name.endswith("error") and name not in
                                     ("empty_model", "unknown", "not_solved")), name
    # stopped without a feasible point: the limit is still named
    assert highs_status(ms.kMemoryLimit, has_solution=False) == "memory_limit_no_solution"
    assert highs_status(ms.kTimeLimit, has_solution=False) == "no_solution"
    assert highs_status(ms.kSolveError, has_solution=False) == "solve_error"
    # an interrupt is the time limit only when our own deadline callback raised it
    assert highs_status(ms.kInterrupt, has_solution=True, deadline_hit=True) == "time_limit"
    assert highs_status(ms.kInterrupt, has_solution=False, deadline_hit=True) == "no_solution"
    assert highs_status("kMemoryLimit", has_solution=True) == "memory_limit"


def test_an_optimal_claim_its_own_bound_contradicts_is_reported_feasible():
    from leakopt.optimize.highs import SparseMip, _checked_optimal

    mip = SparseMip("m", "min")
    assert _checked_optimal(mip, "optimal", 1196.0, 1162.0, 1e-4) == "feasible"  # seen with HiGHS 1.16
    assert _checked_optimal(mip, "optimal", 1196.0, 1196.0, 1e-4) == "optimal"
    assert _checked_optimal(mip, "optimal", 1000.0, 999.5, 1e-3) == "optimal"  # within the gap asked
    assert _checked_optimal(mip, "time_limit", 1196.0, 1162.0, 1e-4) == "time_limit"


def test_a_start_that_highs_improves_in_presolve_is_not_handed_back_as_the_answer():
    """HiGHS 1.16 reported "optimal" at 1,867 on ky10's whole-network cover started from greedy's 1,919,
    with the start in its solution: the answer must be the solution HiGHS proved, read back."""
    from _sensordata import network_from_inp, synthetic_risk

    from leakopt.placement import build_coverage, build_model, greedy_cover

    net = network_from_inp("ky10.inp")
    cov = build_coverage(net, synthetic_risk(net, seed=0))
    w = np.ones(len(cov.segments))
    model = build_model(cov, w)
    start = model.start_values(greedy_cover(cov, w, prune=True))
    alone = solve_mip(model.mip, solver="highs", mip_gap=0.0)
    res = solve_mip(model.mip, solver="highs", mip_gap=0.0, start=start)
    assert alone.info.status == res.info.status == "optimal"
    assert res.info.objective == alone.info.objective < model.mip.objective(start)
    assert model.mip.is_feasible(res.values) and model.mip.objective(res.values) == res.info.objective


def test_a_warm_lp_resolve_gets_its_own_time_limit_not_what_the_instance_has_left():
    """HiGHS counts its time_limit over every run of an instance: each warm solve's limit is set past
    the time already run, so a search of many warm solves is not cut short by the first ones."""
    from leakopt.optimize.highs import LpRelaxation

    mip, _, _, _ = _knapsack(30, block=8)
    relax = LpRelaxation(mip)
    for _ in range(3):
        before = relax._highs.getRunTime()
        assert relax.solve(time_limit_s=5.0)[0] == "optimal"
        limit = relax._highs.getOptionValue("time_limit")
        assert (limit[-1] if isinstance(limit, tuple) else limit) == pytest.approx(before + 5.0)
        assert relax._highs.getRunTime() > before



@pytest.mark.parametrize("call", [
    "import numpy as np\nfrom leakopt.optimize import SparseMip, solve_mip\n"
    "mip = SparseMip('k', sense='max'); x = mip.add_columns(3, cost=np.ones(3), integer=True)\n"
    "mip.add_sum_row(x, np.ones(3), upper=2.0)\nprint(solve_mip(mip, solver='highs').info.status)\n",
    "import pulp\nfrom leakopt.optimize.solvers import solve_problem\n"
    "p = pulp.LpProblem('x', pulp.LpMinimize); x = pulp.LpVariable('x', 0, 1, cat='Integer')\n"
    "p += x; p += x >= 0.5\nprint(solve_problem(p, solver='highs').status)\n",
], ids=["sparse model", "PuLP model"])
def test_the_highs_banner_stays_off_standard_output(call):
    # HiGHS prints "Running HiGHS ... Copyright" on stdout when a process makes its first instance:
    # it was in the summary of every command that solved a model, and in anything piped from it.
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", call], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "optimal" and "HiGHS" not in out.stdout + out.stderr

"""The sparse MIP layer: partial-sum rows, HiGHS vs CBC, wall-clock limit with best found and gap."""
import time

import numpy as np
import pytest
import scipy.sparse as sp

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
    t0 = time.perf_counter()
    res = solve_mip(mip, solver="highs", time_limit_s=limit, mip_gap=0.0, start=start)
    wall = time.perf_counter() - t0
    assert res.info.status == "time_limit"
    assert wall < limit + 3.0  # generous slack for slow CI machines; it used to run for minutes
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
    t0 = time.perf_counter()
    res = solve_mip(mip, solver="highs", time_limit_s=0.05, start=start)
    assert time.perf_counter() - t0 < 1.0
    assert res.info.status == "time_limit" and res.info.solver == "none" and res.values == pytest.approx(start)
    assert res.info.best_bound == 0.0 and res.info.mip_gap == 1.0  # only the column bounds prove anything

"""The trade-off curve: number of loggers vs share of expected leaks heard.

For each budget K the exact budget model of :mod:`leakopt.placement.solve` is
solved (one model, its budget changed between solves) and the greedy answer
with the same K is reported beside it.  With one logger per unit of budget the
greedy answer for K is the first K sites of one greedy run, so the greedy
curve costs one run; each solve starts from it.

Time: the whole curve shares ``tradeoff_total_time_s``; each point gets at
most ``tradeoff_time_limit_s`` and its share of what is left, and the gap
``tradeoff_mip_gap``.  The curve is for choosing a budget, so a point stopped
early keeps the better of its best solution and the greedy one, with its
status and gap in the row; once the time is spent the remaining points are
the greedy answers (status "greedy").  For ``redundancy=1`` every point also
gets the submodularity bound of the greedy answer (the covered weight plus the
K largest gains still available bounds the optimum), so even a greedy point
has a proven gap.  This is the chart a manager reads to choose how many
loggers to buy.

One warm sweep of the Lagrangian LP (:func:`leakopt.placement.lagrange.budget_bounds`,
at most :data:`LP_BOUND_SHARE` of the curve's time) bounds every point.  Large
models (:data:`leakopt.placement.lagrange.LAGRANGE_MIN_NNZ` coefficients and
more, e.g. 100,000 pipes) are too big to start within a point's time, so each
point solves the budget model restricted to the sites its LP uses.  That answer
holds for the whole model, but its status does not: such a point is "feasible"
with its gap to the LP bound, "optimal" only when that bound closes the gap.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from leakopt.placement import lagrange
from leakopt.placement.greedy import best_single_site, budget_bound, greedy_cover, heard_weight
from leakopt.placement.model import build_model
from leakopt.placement.solve import PlacementConfig, segment_weights, solve, weight_scale
from leakopt.schema import Progress, silent

#: Share of the curve's total time the LP bounds may use (:func:`lagrange.budget_bounds`): the points solved on
#: their LP's sites then take seconds (0.5 left a point of the 100,000-pipe curve unbounded under load).
LP_BOUND_SHARE = 0.7

#: Columns of the frame :func:`tradeoff_curve` returns.
CURVE_COLUMNS = ("n_sensors", "covered_risk_share", "greedy_covered_risk_share", "status", "mip_gap",
                 "solve_seconds", "solver", "bound_risk_share", "bound_source")


def default_budgets(coverage, weights, *, points: int = 10, redundancy: int = 1, order=None) -> np.ndarray:
    """Budgets from 1 to the greedy count that hears every weighted segment, log-spaced."""
    if order is None:
        order = greedy_cover(coverage, weights, redundancy=redundancy)
    n_max = max(1, len(order))
    return np.unique(np.rint(np.geomspace(1, n_max, max(2, int(points)))).astype(np.int64))


def greedy_bound(coverage, weights, rows) -> float:
    """Upper bound on the weight any ``len(rows)`` sites can hear (see :func:`budget_bound`)."""
    return budget_bound(coverage, weights, rows, len(rows))


def tradeoff_curve(coverage, risk: pd.DataFrame, *, budgets: Sequence[int] | None = None, config=None,
                   solver: str | None = None, redundancy: int | None = None,
                   progress: Progress | None = None) -> pd.DataFrame:
    """Loggers vs share of expected leaks heard, exact and greedy.

    Parameters
    ----------
    coverage : Coverage
    risk : DataFrame
        ``pipe_id``, ``expected_leaks_per_year``.
    budgets : sequence of int, optional
        Numbers of loggers; default :func:`default_budgets` with
        ``config.tradeoff_points`` points.
    config : PlacementConfig, optional
        Solver, time limits, MIP gap, redundancy, weight column.
    solver, redundancy : optional
        Override the config.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`), counting the curve's points solved.

    Returns
    -------
    DataFrame
        :data:`CURVE_COLUMNS`, one row per budget (``n_sensors`` is the budget;
        the shares are of all expected leaks, unreachable segments included; a
        segment counts when heard by ``min(redundancy, sites that can hear it)``
        loggers, as the model counts it: :func:`leakopt.placement.greedy.heard_weight`).
        ``covered_risk_share`` is the better of the solver's and the greedy
        answer; status "<status>_greedy_better" says when greedy won within
        the gap, "greedy" that the time was spent and no solver ran.
        ``bound_risk_share``: the best proven upper bound on the share (None
        when unknown); ``mip_gap`` is measured against it; ``bound_source``
        what proved it ("solver", "lagrangian": the LP sweep, "greedy": the
        submodularity bound, "exhaustive": one site).
    """
    cfg = config or PlacementConfig()
    r = int(redundancy if redundancy is not None else cfg.redundancy)
    w = segment_weights(coverage, risk, column=cfg.weight_column)
    w = w / weight_scale(w)          # the solver's units; the curve gives shares only
    order = greedy_cover(coverage, w, redundancy=r)
    if budgets is None:
        budgets = default_budgets(coverage, w, points=cfg.tradeoff_points, redundancy=r, order=order)
    budgets = sorted({int(b) for b in budgets})
    if not budgets:
        return pd.DataFrame(columns=list(CURVE_COLUMNS))
    clock = _Clock(cfg.tradeoff_total_time_s, cfg.tradeoff_time_limit_s, len(budgets))
    model = build_model(coverage, w, budget=budgets[0], redundancy=r)
    # one LP sweep bounds every point (lagrange.budget_bounds); only large models are then solved on
    # each point's LP sites, small ones whole
    spend = LP_BOUND_SHARE * (cfg.tradeoff_total_time_s or lagrange.LAGRANGE_DEFAULT_S)
    reach = float(w[np.minimum(r, coverage.hearing_count) > 0].sum())  # all that any sites can hear
    to_bound = [k for k in budgets if k > 1 and not _greedy_proven(coverage, w, order, k, r, reach,
                                                                   cfg.tradeoff_mip_gap)]
    lp_bounds, lp_support = lagrange.budget_bounds(model, to_bound, order,
                                                   deadline=clock.start + spend)  # one site: exhaustive below
    if not lagrange.applies(model, "budget"):
        lp_support = {}
    report = progress or silent
    rows = []
    for i, k in enumerate(budgets):
        report(f"trade-off curve, {k:,} logger(s)", i, len(budgets))
        rows.append(_point(coverage, model, w, order, k, r, solver or cfg.solver, cfg.tradeoff_mip_gap, clock,
                           lp_bound=lp_bounds.get(k), support=lp_support.get(k), reach=reach))
    report("trade-off curve drawn", len(budgets), len(budgets))
    return pd.DataFrame(rows, columns=list(CURVE_COLUMNS))


def _greedy_proven(coverage, w, order, k, r, reach, mip_gap) -> bool:
    """True if greedy's ``k`` first sites are proven within ``mip_gap`` without an LP: they hear all
    that can be heard, or (redundancy 1) greedy's submodularity bound closes the gap."""
    if k > len(order):
        return False
    heard = heard_weight(coverage, w, order[:k], redundancy=r)
    if heard >= reach * (1 - 1e-12):
        return True
    return r == 1 and greedy_bound(coverage, w, order[:k]) - heard <= (mip_gap or 0.0) * max(heard, 1e-12)


class _Clock:
    """The curve's shared time budget: each point gets its share of what is left."""

    def __init__(self, total: float | None, per_point: float | None, points: int):
        self.start, self.total, self.per_point, self.left = time.perf_counter(), total, per_point, points

    def next_limit(self) -> float | None:
        """Time limit of the next point; 0 when the budget is spent."""
        self.left -= 1
        if self.total is None:
            return self.per_point
        share = (self.total - (time.perf_counter() - self.start)) / (self.left + 1)
        share = min(share, self.per_point) if self.per_point is not None else share
        return share if share >= 0.2 else 0.0


def _point(coverage, model, w, order, k, r, solver, mip_gap, clock, *, lp_bound: float | None = None,
           support=None, reach: float | None = None) -> dict:
    """One row of the curve: the budget model for ``k`` loggers, from the greedy answer.

    ``lp_bound``: a proven bound on the weight ``k`` loggers hear, and ``support``: the sites
    the LP uses (:func:`lagrange.budget_bounds`); with them the model restricted to those sites
    is solved instead of the whole one (its answer holds, its status and bound do not: status
    "feasible", gap against ``lp_bound``).
    """
    total = w.sum() if w.sum() > 0 else 1.0
    if k == 1:  # the best single site, exhaustively (greedy's first pick when r = 1)
        greedy = np.array([best_single_site(coverage, w, redundancy=r)])
    else:
        greedy = order[:k] if len(order) >= k else greedy_cover_budget(coverage, w, k, r)
    heuristic = heard_weight(coverage, w, greedy, redundancy=r)
    bound, source = (greedy_bound(coverage, w, greedy), "greedy") if r == 1 else (None, None)
    if lp_bound is not None and (bound is None or lp_bound < bound):
        bound, source = lp_bound, "lagrangian"
    limit = clock.next_limit()
    row = {"n_sensors": k, "greedy_covered_risk_share": heuristic / total, "solver": "greedy",
           "status": "greedy", "solve_seconds": 0.0, "covered_risk_share": heuristic / total}
    if k == 1:  # the best single site: optimal, no solve needed
        row.update(status="optimal", solver="exhaustive")
        bound, source = heuristic, "exhaustive"
    elif reach is not None and heuristic >= reach * (1 - 1e-12):  # greedy hears all that can be heard
        row.update(status="optimal")
        bound, source = heuristic, "column_bounds"
    elif bound is not None and bound - heuristic <= (mip_gap or 0.0) * max(heuristic, 1e-12):
        row.update(status="optimal")  # greedy's answer, proven within the gap before any solve
    elif limit is None or limit > 0:
        if support is not None:
            sub = lagrange.restricted(model, np.union1d(support, greedy), budget=k)
            info = solve(sub, solver=solver, time_limit_s=limit, mip_gap=mip_gap, fallback=greedy)
            # the restriction's optimum is only a feasible answer of the whole model, and its bound is the
            # restriction's: dropped; a solve stopped by a limit keeps saying which limit
            info = dataclasses.replace(info, status="feasible" if info.status == "optimal" else info.status,
                                       best_bound=None, bound_source=None)
            picked = sub.selected()
        else:
            model.set_budget(k)
            info = solve(model, solver=solver, time_limit_s=limit, mip_gap=mip_gap, fallback=greedy)
            picked = model.selected()
        exact = heard_weight(coverage, w, picked, redundancy=r)
        status = info.status
        if heuristic > exact + 1e-12:  # within the allowed gap the solver stopped below greedy: keep greedy
            exact, status = heuristic, f"{info.status}_greedy_better"
        if info.best_bound is not None and (bound is None or info.best_bound < bound):
            bound, source = info.best_bound, info.bound_source
        row.update(covered_risk_share=exact / total, status=status, solve_seconds=info.solve_seconds,
                   solver=info.solver)
    value = row["covered_risk_share"] * total
    bound = None if bound is None else max(bound, value)
    if bound is not None and row["status"] != "optimal" and bound - value <= (mip_gap or 0.0) * max(value, 1e-12):
        row["status"] = "optimal"  # the bound proves it (e.g. greedy already hears everything)
    row["bound_risk_share"] = None if bound is None else bound / total
    row["bound_source"] = None if bound is None else source
    row["mip_gap"] = None if bound is None else (bound - value) / value if value > 0 else 0.0
    return row


def greedy_cover_budget(coverage, w, k, r) -> np.ndarray:
    """The greedy answer with ``k`` loggers when ``k`` exceeds the full greedy order."""
    return greedy_cover(coverage, w, budget=k, redundancy=r)

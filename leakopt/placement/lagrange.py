"""The share model at scale: a Lagrangian bound and an LP-guided answer.

The share model's one long row (heard weight ``sum w_g y_g >= T``) is what
makes it hard for HiGHS at utility scale: at 100,000 pipes the root LP of the
whole model did not finish in two minutes (dual simplex), so the solver gave
no bound at all.  Moving that row into the objective with a multiplier
``lambda >= 0`` leaves a prize-collecting cover,

    ``phi(lambda) = min sum c_i x_i - lambda sum w_g y_g``  s.t. the link rows,

whose LP relaxation HiGHS solves in seconds and re-solves warm in under one
when ``lambda`` changes.  For every ``lambda``, ``lambda T + phi_LP(lambda)``
is a lower bound on the share optimum (Lagrangian duality); the best over
``lambda`` is the LP bound of the whole model.  ``lambda`` is searched
(secant on the heard weight, which grows with ``lambda``) until the LP's heard
weight meets the target.

The answer: the sites the last LP opens fully are kept (``required``), the
greedy completes them to the target and pruning drops the unneeded ones; then
the share model restricted to the sites the LP uses (plus that answer) is
solved by HiGHS.  Every answer is checked against the whole model, so it is
feasible there; the bound is proven (Lagrangian duality on an LP solved to
optimality), never a heuristic one.  Only models as built are handled (no
user rows: :meth:`PlacementModel.add_constraint` would have to be dualised too).

The budget model (the trade-off curve) has the same structure with the cost row
dualised: :func:`budget_bounds` bounds every budget from one warm sweep of the
same LP, and :func:`restricted` gives the model on the sites an LP uses.

Exact reductions measured at 100,000 pipes (share model, 80%): identical segments
are already merged by :func:`leakopt.placement.model.build_model` (243,163
weighted segments -> 164,751 groups) and unheard ones left out; removing
dominated sites (heard set inside another's) drops 24,269 of 98,107 sites, but
HiGHS's presolve removes exactly those in 3-4 s, and its root LP still does not
finish; the site-segment graph has 11,592 components but one holds 63% of it.
Dualising the heard-weight row is what pays.
"""
from __future__ import annotations

import dataclasses
import logging
import math
import time
from dataclasses import dataclass

import numpy as np

from leakopt.i18n import in_french
from leakopt.optimize import solve_mip
from leakopt.optimize.highs import INF, LpRelaxation, SparseMip
from leakopt.placement.greedy import greedy_cover, heard_counts, prune_cover, required_rows, site_costs
from leakopt.placement.model import build_model

logger = logging.getLogger(__name__)

#: Share models with at least this many coefficients get the Lagrangian phase before the whole
#: model is solved (below it, HiGHS's own root LP is fast: 10,000 pipes, 94,000 coefficients, 2 s).
LAGRANGE_MIN_NNZ = 300_000

#: Seconds the Lagrangian work may take when the caller sets no time limit.
LAGRANGE_DEFAULT_S = 120.0

#: The whole share model is solved after the Lagrangian phase only with at least this many times the
#: phase's first LP solve left: its root LP is far slower (100,000 pipes: 4.5-10 s for the phase's LP,
#: over 115 s for the whole model's by dual simplex, 45-60 s by interior point).  Otherwise the phase's
#: answer is returned with status "feasible" and its proven gap.  (10 was too few: with a 4.5 s first
#: LP the whole model ran 47 s for nothing.)
WHOLE_MODEL_LP_FACTOR = 20.0

#: Relative distance of the LP's heard weight from the target at which the multiplier search stops.
LAMBDA_TOL = 1e-3


@dataclass(frozen=True)
class ShareBound:
    """Result of :func:`lagrangian_phase`.

    bound : float or None
        Proven lower bound on the share optimum (None if no LP was solved).
    rows : ndarray of int or None
        Site rows of the best feasible answer found (None if none beat the start).
    lam : float
        Last multiplier of the heard-weight row.
    lp_solves : int
    seconds : float
    first_lp_s : float
        Seconds of the first (cold) LP solve: the whole model's root LP takes far longer.
    """

    bound: float | None
    rows: np.ndarray | None
    lam: float
    lp_solves: int
    seconds: float
    first_lp_s: float = 0.0


def applies(model, kind: str = "share") -> bool:
    """True if this module is meant for the model: a large model of this kind, as built.

    ``kind``: "share" (:func:`lagrangian_phase`) or "budget" (:func:`budget_bounds`).
    """
    return (model.kind == kind and not model.constrained
            and model.mip.arrays()["matrix"].nnz >= LAGRANGE_MIN_NNZ)


def lagrangian_phase(model, start_rows: np.ndarray, *, deadline: float, sub_deadline: float) -> ShareBound:
    """Bound the share model by Lagrangian relaxation and find an answer from its LP.

    Parameters
    ----------
    model : PlacementModel
        A share model (``kind == "share"``) without user constraints.
    start_rows : ndarray of int
        Site rows of a feasible answer (the greedy one): the first multiplier is read from it.
    deadline : float
        ``time.perf_counter()`` value by which the multiplier search stops.
    sub_deadline : float
        Same, for the restricted model's solve.
    """
    t0 = time.perf_counter()
    n, g = len(model.site_rows), model.groups
    target = float(model.target_share) * model.weights.sum()
    x_cost = model.mip.arrays()["cost"][:n]
    relax = LpRelaxation(_prize_collecting(model, x_cost))
    lam = _first_lambda(model, start_rows, target)
    best, x_lp, solves, tried, first_lp_s = None, None, 0, [], 0.0
    while time.perf_counter() < deadline and solves < 12:
        t1 = time.perf_counter()
        status, obj, values = relax.solve(np.r_[x_cost, -lam * g.weight], time_limit_s=deadline - time.perf_counter())
        first_lp_s = first_lp_s or time.perf_counter() - t1
        solves += 1
        if status != "optimal":
            logger.info("share model, Lagrangian phase: the highs LP stopped with status %r after %d solves",
                        status, solves,
                        extra=in_french("modèle de part, phase lagrangienne : le PL highs s’est arrêté avec le "
                                        "statut %r après %d résolutions"))
            break
        bound = lam * target + obj  # obj is safe (LpRelaxation): never above the true LP value
        best = bound if best is None else max(best, bound)
        heard = float(g.weight @ values[n:n + g.n])
        x_lp = values[:n]
        tried.append((lam, heard))
        if abs(heard - target) <= LAMBDA_TOL * target:
            break
        lam = _next_lambda(tried, target)
    if best is not None and np.all(x_cost == np.rint(x_cost)):
        best = float(math.ceil(best - 1e-9))  # integer costs: the optimum is an integer
    rows = None if x_lp is None else _lp_answer(model, x_lp, sub_deadline)
    return ShareBound(bound=best, rows=rows, lam=lam, lp_solves=solves, seconds=time.perf_counter() - t0,
                      first_lp_s=first_lp_s)


def _prize_collecting(model, x_cost: np.ndarray) -> SparseMip:
    """The share model without its heard-weight row (costs of ``y`` set per multiplier)."""
    a = model.mip.arrays()
    n, g = len(model.site_rows), model.groups
    mip = SparseMip("prize_collecting", "min")
    mip.add_columns(n, cost=x_cost, lower=a["col_lower"][:n], upper=a["col_upper"][:n], integer=True)
    mip.add_columns(g.n, cost=0.0)
    link = a["matrix"].tocsr()[: g.n, : n + g.n]  # the link rows come first (build_model)
    mip.add_rows(link, -INF, 0.0)
    return mip


def _first_lambda(model, rows: np.ndarray, target: float) -> float:
    """Price of heard weight at the margin of a feasible answer: 1 / the least weight one site adds."""
    cov, w = model.coverage, np.where(model.need > 0, model.weights, 0.0)
    counts = heard_counts(cov, rows)
    alone = np.asarray(cov.matrix[rows] @ (w * (counts == model.need))).ravel()  # lost without that site
    alone = alone[alone > 0]
    if not len(alone):
        return 1.0 / max(target / max(len(rows), 1), 1e-12)
    return 1.0 / float(np.quantile(alone, 0.05))


def _next_lambda(tried: list, target: float, *, slope: float = 0.1) -> float:
    """Secant step on log(value) against log(lambda), kept inside the bracket found so far.

    ``tried``: (lambda, value) pairs, the value growing with lambda; ``slope``: the
    elasticity assumed before two points measure it (heard weight: about 0.1 near the
    target at 100,000 pipes; the LP's cost: about 0.4).
    """
    lam, heard = tried[-1]
    below = [t for t in tried if t[1] < target]
    above = [t for t in tried if t[1] >= target]
    lo = max(below)[0] if below else None
    hi = min(above)[0] if above else None
    if len(tried) >= 2:
        (l1, h1), (l2, h2) = tried[-2], tried[-1]
        if l1 != l2 and h1 > 0 and h2 > 0 and h1 != h2:
            slope = max(min(math.log(h2 / h1) / math.log(l2 / l1), 10.0), 1e-3)
    step = math.exp(max(min(math.log(target / max(heard, 1e-300)) / slope, 1.0), -1.0))
    new = lam * step
    if lo is not None and hi is not None and not lo < new < hi:
        new = math.sqrt(lo * hi)
    return new


def _lp_answer(model, x_lp: np.ndarray, sub_deadline: float) -> np.ndarray | None:
    """An answer from the LP: round, complete, prune; then the model restricted to the LP's sites."""
    cov, w, share, r = model.coverage, model.weights, float(model.target_share), model.redundancy
    costs = site_costs(cov, model.cost)
    ids = cov.sites["node_id"].astype(str).to_numpy()
    required = required_rows(cov, model.required)
    fixed = np.setdiff1d(model.site_rows[x_lp >= 1 - 1e-6], required)
    picked = greedy_cover(cov, w, target_share=share, redundancy=r, cost=model.cost,
                          required=list(ids[np.r_[required, fixed]]))
    rounded = prune_cover(cov, w, picked, target_share=share, redundancy=r, n_fixed=len(required), costs=costs)
    best = rounded if _feasible(model, rounded) else None
    left = sub_deadline - time.perf_counter()
    if left <= 0.5:
        return best
    keep = np.union1d(model.site_rows[x_lp > 1e-6], np.r_[rounded, required])
    sub = restricted(model, keep)
    start = sub.start_values(rounded) if best is not None else None
    result = solve_mip(sub.mip, time_limit_s=left, mip_gap=0.0, start=start)
    if result.values is None:
        return best
    sub.values = result.values
    rows = sub.selected()
    if _feasible(model, rows) and (best is None or costs[rows].sum() < costs[best].sum() - 1e-9):
        logger.info("share model restricted to the LP's %d sites: %d loggers (%s, %s)", len(keep), len(rows),
                    result.info.solver, result.info.status,
                    extra=in_french("modèle de part restreint aux %d sites du PL : %d prélocalisateurs (%s, %s)"))
        return rows
    return best


def restricted(model, keep: np.ndarray, *, budget: float | None = None):
    """The model rebuilt on the sites ``keep`` only (same weights, target, costs and required sites).

    Its answers are answers of ``model`` (same budget or target); its bound and
    "optimal" status are not: they hold for the restriction only.
    """
    import scipy.sparse as sp

    cov = model.coverage
    mask = np.zeros(cov.matrix.shape[0])
    mask[keep] = 1.0
    matrix = sp.csr_matrix(sp.diags(mask) @ cov.matrix.astype(np.float64))
    matrix.eliminate_zeros()
    sub_cov = dataclasses.replace(cov, matrix=matrix.astype(bool))
    return build_model(sub_cov, model.weights, target_share=model.target_share,
                       budget=model.budget if budget is None else budget, redundancy=model.redundancy,
                       required=model.required, cost=model.cost)


def _feasible(model, rows: np.ndarray) -> bool:
    return bool(model.mip.is_feasible(model.start_values(rows)))


def budget_bounds(model, budgets, order: np.ndarray, *, deadline: float) -> dict:
    """Proven upper bounds on the weight ``k`` loggers can hear, for every budget ``k`` at once.

    For every multiplier ``lambda > 0`` and any placement costing at most ``k``,
    ``sum c x - lambda sum w y >= phi_LP(lambda)``, so the weight heard is at most
    ``(k - phi_LP(lambda)) / lambda``.  ``lambda`` is searched for each budget
    (from the greedy ``order``'s marginal gain at ``k``, then secant steps on the
    LP's cost), warm, and every LP solved tightens every budget's bound.

    Parameters
    ----------
    model : PlacementModel
        A budget model (``kind == "budget"``) without user constraints.
    budgets : sequence of int
    order : ndarray of int
        Site rows in the greedy's order (:func:`leakopt.placement.greedy.greedy_cover`).
    deadline : float
        ``time.perf_counter()`` value by which the search stops.

    Returns
    -------
    (dict, dict)
        ``{k: bound}`` for the budgets reached before the deadline (maybe none), and
        ``{k: site rows}`` the LP opens (even partly) at the multiplier tried last for ``k``.
    """
    cov, g, n = model.coverage, model.groups, len(model.site_rows)
    x_cost = site_costs(cov, model.cost)[model.site_rows]
    gains = _greedy_gains(model, order)
    relax, tried, support = None, [], {}  # tried: (lambda, phi, LP cost)
    ks = sorted({int(b) for b in budgets})
    lam = {k: 1.0 / max(gains[min(k, len(gains)) - 1] if len(gains) else 0.0, 1e-12) for k in ks}
    points = {k: [] for k in ks}
    # rounds over the budgets (one LP each, then refinements), so that a deadline reached early
    # leaves every budget with an LP at its own multiplier rather than the last ones with none
    for _ in range(4):
        for k in [k for k in ks if lam.get(k) is not None]:
            if time.perf_counter() >= deadline:
                break
            relax = relax or LpRelaxation(_prize_collecting(model, x_cost))
            status, obj, values = relax.solve(np.r_[x_cost, -lam[k] * g.weight],
                                              time_limit_s=deadline - time.perf_counter())
            if status != "optimal":
                logger.info("trade-off curve's LP bound for %d loggers: the highs LP stopped with status %r", k, status,
                        extra=in_french("borne PL de la courbe de compromis pour %d prélocalisateurs : le PL highs "
                                        "s’est arrêté avec le statut %r"))
                lam[k] = None
                continue
            spent = float(x_cost @ values[:n])
            tried.append((lam[k], obj, spent))
            points[k].append((lam[k], spent))
            support[k] = model.site_rows[values[:n] > 1e-6]
            done = abs(spent - k) <= max(0.5, LAMBDA_TOL * k) or (len(points[k]) > 1 and spent == points[k][-2][1])
            lam[k] = None if done else _next_lambda(points[k], float(k), slope=0.4)  # done: on target, or
            # every useful site is open already
    bounds = {int(k): min((k - phi) / lm for lm, phi, _ in tried) for k in budgets} if tried else {}
    return bounds, support


def _greedy_gains(model, order: np.ndarray) -> np.ndarray:
    """Weight each pick of the greedy ``order`` adds (over the model's weighted segments).

    A segment's weight is added by the pick that brings it to ``need`` hearing loggers
    (the first for redundancy 1, the second for redundancy 2, ...).
    """
    w = np.where(model.need > 0, model.weights, 0.0)
    sub = model.coverage.matrix[np.asarray(order, dtype=np.int64)].tocsc()
    sub.sort_indices()
    need = np.asarray(model.need, dtype=np.int64)
    done = (need > 0) & (np.diff(sub.indptr) >= need)
    last = sub.indices[sub.indptr[:-1][done] + need[done] - 1]  # position of the pick that completes each segment
    return np.bincount(last, weights=w[done], minlength=len(order))

"""A sparse mixed-integer model handed straight to HiGHS, with PuLP + CBC as fallback.

Building a large model through PuLP costs more than solving it (one Python
object per variable and per coefficient), and HiGHS run through PuLP does not
always stop at its time limit.  :class:`SparseMip` holds a model as numpy
arrays and a scipy.sparse matrix; :func:`solve_mip` passes it to HiGHS in one
call (``highspy``) or, when HiGHS is missing or ``solver="cbc"``, turns it
into a PuLP problem for the CBC bundled with PuLP.

Time limit
----------
``time_limit_s`` is a wall-clock limit on the whole call: building the
solver's copy of the model, presolve and search.  HiGHS gets what is left of
it as its own ``time_limit`` and an interrupt callback stops the search at the
deadline in any phase that reports progress.  HiGHS's presolve does not
report progress, and rows with a very large number of coefficients make it
slow (a row with 160,000 coefficients took minutes); :meth:`SparseMip.add_sum_row`
therefore splits long rows into partial sums of at most ``block`` terms, and
presolve is skipped when it would use half or more of the time left
(:data:`PRESOLVE_S_PER_NZ`).  Setting up the root LP cannot be interrupted
either: with less time than :data:`MIN_SOLVE_S_PER_NZ` per coefficient and a
start solution, HiGHS is not run and the start is returned (status
``"time_limit"``, solver ``"none"``, gap against the column bounds).
A search stopped by the limit reports the best solution found (or the start
solution given) with its gap: status ``"time_limit"``.

Other stops keep their own status (:func:`leakopt.optimize.solvers.highs_status`):
``"iteration_limit"``, ``"memory_limit"``, ``"solution_limit"``, ... with the
best solution found or the start, ``"<limit>_no_solution"`` without one; an
interrupt is ``"time_limit"`` only when the deadline callback raised it.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from leakopt.errors import InputError, SolverError
from leakopt.i18n import in_french
from leakopt.optimize.solvers import (
    STOPPED,
    SolveInfo,
    highs_status,
    new_highs,
    resolve_solver,
    solve_problem,
    stop_reason,
)

logger = logging.getLogger(__name__)

INF = float("inf")

#: Longest row :meth:`SparseMip.add_sum_row` writes as one constraint.
SUM_ROW_BLOCK = 256

#: Seconds HiGHS may run past the deadline before the interrupt callback stops it.
GRACE_S = 0.2

#: Presolve time per matrix coefficient to expect (measured on placement models, 2-core machine
#: under load: 9-11 s for 1.1 million coefficients).  Presolve cannot be interrupted, so it is
#: skipped when it would take half or more of the time left.
PRESOLVE_S_PER_NZ = 1e-5

#: Least time per coefficient worth giving HiGHS: below it, setting up the root LP alone (which
#: cannot be interrupted either) outlasts the limit, so a given start solution is returned as is.
MIN_SOLVE_S_PER_NZ = 1e-5


class SparseMip:
    """A linear model ``min/max c x`` s.t. ``row_lower <= A x <= row_upper``, bounds, integrality.

    Columns and rows are appended in blocks; :attr:`matrix` assembles them
    column-wise.  Columns created by :meth:`add_sum_row` (partial sums) are
    filled in by :meth:`complete` from the others.

    Parameters
    ----------
    name : str
    sense : {"min", "max"}
    """

    def __init__(self, name: str = "mip", sense: str = "min"):
        if sense not in ("min", "max"):
            raise InputError(f"sense={sense!r}; expected 'min' or 'max'",
                             fr=f"sense={sense!r} ; attendu : 'min' ou 'max'")
        self.name, self.sense = name, sense
        self._cols = []    # (cost, lower, upper, integer) arrays per block
        self._rows = []    # (row, col, value) coo arrays
        self._bounds = []  # (lower, upper) per row block
        self._sums = []    # (aux columns, their (cols, coefs) definition), in creation order
        self.n_cols = 0
        self.n_rows = 0
        self._cache = None

    def add_columns(self, n: int, *, cost=0.0, lower=0.0, upper=1.0, integer: bool = False) -> np.ndarray:
        """Append ``n`` columns; return their indices."""
        n = int(n)
        cols = [np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy() for v in (cost, lower, upper)]
        self._cols.append((*cols, np.full(n, bool(integer))))
        self.n_cols += n
        self._cache = None
        return np.arange(self.n_cols - n, self.n_cols)

    def add_rows(self, matrix, lower, upper) -> np.ndarray:
        """Append rows ``lower <= matrix @ x <= upper`` (``matrix``: sparse, k x n_cols or fewer columns)."""
        coo = matrix.tocoo()
        if coo.shape[1] > self.n_cols:
            raise InputError(f"rows reference {coo.shape[1]} columns; the model has {self.n_cols}",
                             fr=f"les lignes portent sur {coo.shape[1]} colonnes ; le modèle en a {self.n_cols}")
        k = coo.shape[0]
        self._rows.append((coo.row.astype(np.int64) + self.n_rows, coo.col.astype(np.int64),
                           coo.data.astype(float)))
        self._bounds.append(tuple(np.broadcast_to(np.asarray(v, dtype=float), (k,)).copy() for v in (lower, upper)))
        self.n_rows += k
        self._cache = None
        return np.arange(self.n_rows - k, self.n_rows)

    def add_sum_row(self, cols, coefs, *, lower: float = -INF, upper: float = INF,
                    block: int = SUM_ROW_BLOCK) -> int:
        """Append ``lower <= sum coefs * x[cols] <= upper``; long rows become partial sums.

        With more than ``block`` terms, each block of terms gets a continuous
        column ``s_b`` bounded by its block's sum (``s_b <= sum`` for a lower
        bound, ``>=`` for an upper bound, ``=`` for both) and the row is
        written on the ``s_b`` (recursively).  Returns the index of the row
        holding the bounds (change them with :meth:`set_row_bounds`).
        """
        import scipy.sparse as sp

        cols, coefs = np.asarray(cols, dtype=np.int64), np.asarray(coefs, dtype=float)
        if len(cols) <= block:
            row = sp.csr_matrix((coefs, (np.zeros(len(cols), np.int64), cols)), shape=(1, self.n_cols))
            return int(self.add_rows(row, lower, upper)[0])
        nb = -(-len(cols) // block)
        part = np.arange(len(cols)) // block
        lo_col, up_col = self.column_bounds()
        lo_term = np.minimum(coefs * lo_col[cols], coefs * up_col[cols])
        up_term = np.maximum(coefs * lo_col[cols], coefs * up_col[cols])
        aux = self.add_columns(nb, lower=np.bincount(part, lo_term, nb), upper=np.bincount(part, up_term, nb))
        link = sp.csr_matrix((np.r_[-coefs, np.ones(nb)], (np.r_[part, np.arange(nb)], np.r_[cols, aux])),
                             shape=(nb, self.n_cols))
        if np.isfinite(lower) and np.isfinite(upper):
            self.add_rows(link, 0.0, 0.0)
        elif np.isfinite(lower):
            self.add_rows(link, -INF, 0.0)  # s_b <= block sum
        else:
            self.add_rows(link, 0.0, INF)   # s_b >= block sum
        self._sums.append((aux, part, cols, coefs))
        return self.add_sum_row(aux, np.ones(nb), lower=lower, upper=upper, block=block)

    def set_row_bounds(self, row: int, lower: float = -INF, upper: float = INF) -> None:
        """Change the bounds of one row."""
        for b, (lo, up) in enumerate(self._bounds):
            first = sum(len(x[0]) for x in self._bounds[:b])
            if first <= row < first + len(lo):
                lo[row - first], up[row - first] = lower, upper
                self._cache = None
                return
        raise InputError(f"row {row} is not in the model ({self.n_rows} rows)",
                         fr=f"la ligne {row} n’est pas dans le modèle ({self.n_rows} lignes)")

    def column_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) of every column."""
        if not self._cols:
            return np.zeros(0), np.zeros(0)
        return np.concatenate([c[1] for c in self._cols]), np.concatenate([c[2] for c in self._cols])

    def arrays(self) -> dict:
        """The model as arrays: ``cost``, ``col_lower``, ``col_upper``, ``integer``,
        ``matrix`` (CSC, n_rows x n_cols), ``row_lower``, ``row_upper``."""
        import scipy.sparse as sp

        if self._cache is None:
            cat = (lambda parts: np.concatenate(parts) if parts else np.zeros(0))
            rows, cols, vals = (cat([r[k] for r in self._rows]) for k in range(3))
            matrix = sp.csc_matrix((vals, (rows.astype(np.int64), cols.astype(np.int64))),
                                   shape=(self.n_rows, self.n_cols))
            matrix.sum_duplicates()
            self._cache = {"cost": cat([c[0] for c in self._cols]), "col_lower": cat([c[1] for c in self._cols]),
                           "col_upper": cat([c[2] for c in self._cols]),
                           "integer": cat([c[3] for c in self._cols]).astype(bool), "matrix": matrix,
                           "row_lower": cat([b[0] for b in self._bounds]),
                           "row_upper": cat([b[1] for b in self._bounds])}
        return self._cache

    def complete(self, values) -> np.ndarray:
        """Fill the partial-sum columns of a solution vector from the other columns."""
        out = np.array(values, dtype=float)
        for aux, part, cols, coefs in self._sums:
            out[aux] = np.bincount(part, coefs * out[cols], len(aux))
        return out

    def objective(self, values) -> float:
        """Objective value of a solution vector."""
        return float(self.arrays()["cost"] @ np.asarray(values, dtype=float))

    def is_feasible(self, values, *, tol: float = 1e-6) -> bool:
        """True if ``values`` meets every bound, row and integrality."""
        a = self.arrays()
        v = np.asarray(values, dtype=float)
        act = a["matrix"] @ v
        scale = tol * np.maximum(1.0, np.abs(act))
        return bool((v >= a["col_lower"] - tol).all() and (v <= a["col_upper"] + tol).all()
                    and (act >= a["row_lower"] - scale).all() and (act <= a["row_upper"] + scale).all()
                    and (np.abs(v[a["integer"]] - np.rint(v[a["integer"]])) <= tol).all())

    def size(self) -> str:
        """"<cols> columns (<int> integer), <rows> rows, <nnz> coefficients"."""
        a = self.arrays()
        return (f"{self.n_cols} columns ({int(a['integer'].sum())} integer), {self.n_rows} rows, "
                f"{a['matrix'].nnz} coefficients")


@dataclass(frozen=True)
class MipResult:
    """A :class:`SolveInfo` and the solution vector (None without a solution)."""

    info: SolveInfo
    values: np.ndarray | None


def solve_mip(mip: SparseMip, *, solver: str = "auto", time_limit_s: float | None = None,
              mip_gap: float | None = None, start=None) -> MipResult:
    """Solve a :class:`SparseMip` within a wall-clock limit.

    Parameters
    ----------
    mip : SparseMip
    solver : {"auto", "highs", "cbc"}
        "auto": HiGHS through highspy, else CBC through PuLP.
    time_limit_s : float, optional
        Wall-clock limit of the whole call (model transfer, presolve, search).
    mip_gap : float, optional
        Relative gap at which the search stops and reports "optimal".
    start : array-like, optional
        A feasible solution (every column, see :meth:`SparseMip.complete`) to
        start from (HiGHS); the answer is never worse than it.

    HiGHS's ``threads`` option is left at its default: it is process-wide
    (another HiGHS user in the same process fixes it) and HiGHS's MIP search
    runs on one thread anyway.

    Returns
    -------
    MipResult
    """
    if time_limit_s is not None and not time_limit_s > 0:
        raise InputError(f"time_limit_s={time_limit_s!r}; expected a positive number of seconds or None",
                         fr=f"time_limit_s={time_limit_s!r} ; attendu : un nombre de secondes positif, ou None")
    if mip_gap is not None and not mip_gap >= 0:
        raise InputError(f"mip_gap={mip_gap!r}; expected a relative gap >= 0 or None",
                         fr=f"mip_gap={mip_gap!r} ; attendu : un écart relatif ≥ 0, ou None")
    t0 = time.perf_counter()
    name = resolve_solver(solver)
    try:
        if start is not None and time_limit_s is not None and \
                time_limit_s < MIN_SOLVE_S_PER_NZ * mip.arrays()["matrix"].nnz:
            logger.info("%s: %.1f s is too short to run %s on %d coefficients; keeping the start solution",
                        mip.name, time_limit_s, name, mip.arrays()["matrix"].nnz,
                        extra=in_french("%s : %.1f s ne suffisent pas pour lancer %s sur %d coefficients ; "
                                        "la solution de départ est gardée"))
            status, values, bound = "time_limit", np.asarray(start, dtype=float), None
            name = "none"
        elif name == "highs":
            status, values, bound = _run_highs(mip, t0, time_limit_s, mip_gap, start)
        else:
            status, values, bound = _run_cbc(mip, t0, time_limit_s, mip_gap)
    except (SolverError, InputError):
        raise
    except Exception as exc:  # solver crashes surface as SolverError, naming the solver
        raise SolverError(f"solver {name!r} failed on model {mip.name!r}: {exc}") from exc
    objective = mip.objective(values) if values is not None else None
    source = None if bound is None else "solver"
    if bound is None and status in STOPPED:
        bound = _trivial_bound(mip)  # stopped before the solver had a bound: the one the column bounds give
        source = None if bound is None else "column_bounds"
    status = _checked_optimal(mip, status, objective, bound, mip_gap)
    info = SolveInfo(solver=name, status=status, objective=objective, mip_gap=_gap(objective, bound, status),
                     solve_seconds=time.perf_counter() - t0, best_bound=bound, bound_source=source)
    level = logging.INFO if status == "optimal" else logging.WARNING
    logger.log(level, "%s on %s: %s, objective %s, bound %s, gap %s, %.2f s", name, mip.name, status,
               objective, bound, info.mip_gap, info.solve_seconds,
               extra=in_french("%s sur %s : %s, objectif %s, borne %s, écart %s, %.2f\u00a0s"))
    return MipResult(info=info, values=values)


def _checked_optimal(mip: SparseMip, status: str, objective, bound, mip_gap) -> str:
    """``status``, unless the solver calls "optimal" a solution its own bound leaves beyond the gap.

    Seen with HiGHS 1.16 on a 30,000-pipe share model started from a good solution: "optimal" at
    1,196 loggers with a dual bound of 1,162, when 1,194 exists.  Such a claim is reported as
    "feasible" (a solution no solver proved optimal) with the gap to that bound.
    """
    if status != "optimal" or objective is None or bound is None:
        return status
    allowed = (1e-4 if mip_gap is None else float(mip_gap)) * 1.01 + 1e-9
    gap = abs(objective - bound) / max(abs(objective), 1e-9)
    if gap <= allowed or abs(objective - bound) <= 1e-6:
        return status
    logger.warning("%s: the solver says optimal, but its bound %s leaves a gap of %.3g on %s: reported as "
                   "'feasible'", mip.name, bound, gap, objective,
                   extra=in_french("%s : le solveur dit optimal, mais sa borne %s laisse un écart de %.3g sur %s : "
                                   "rapporté comme « feasible »"))
    return "feasible"


def _gap(objective, bound, status) -> float | None:
    """|objective - bound| / |objective| (HiGHS's definition); 0 for a proven optimum."""
    if objective is None:
        return None
    if bound is None:
        return 0.0 if status == "optimal" else None
    return float(min(1.0, abs(objective - bound) / max(abs(objective), 1e-9)))


def _trivial_bound(mip: SparseMip) -> float | None:
    """Best objective the column bounds allow (None when unbounded)."""
    a = mip.arrays()
    ends = np.stack([a["cost"] * a["col_lower"], a["cost"] * a["col_upper"]])
    ends = np.where(a["cost"] == 0, 0.0, ends)
    value = float((ends.max(axis=0) if mip.sense == "max" else ends.min(axis=0)).sum())
    return value if np.isfinite(value) else None


def _highs_lp(mip: SparseMip):
    import highspy

    a = mip.arrays()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = mip.n_cols, mip.n_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = a["cost"], a["col_lower"], a["col_upper"]
    lp.row_lower_, lp.row_upper_ = a["row_lower"], a["row_upper"]
    lp.sense_ = highspy.ObjSense.kMaximize if mip.sense == "max" else highspy.ObjSense.kMinimize
    m = a["matrix"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = mip.n_cols, mip.n_rows
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = m.indptr, m.indices, m.data
    if a["integer"].any():
        kinds = np.array([highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger], dtype=object)
        lp.integrality_ = kinds[a["integer"].astype(np.int64)].tolist()
    return lp


def _run_highs(mip, t0, time_limit_s, mip_gap, start):
    """Run HiGHS once; again without the start when HiGHS hands back the start as its solution.

    HiGHS 1.16, given a start solution that its presolve improves on, can report the better
    objective (and a matching dual bound, status "optimal") while ``getSolution()`` still holds
    the start (seen on logger placement on WNTR's ky10 layout: "optimal" at 969 with the start's
    976 in the solution).  The solution read is checked against the objective HiGHS reports; when
    they differ, the model is solved again without the start in the time left, and the better of
    that answer and the start is kept.
    """
    h, hit = _highs_once(mip, t0, time_limit_s, mip_gap, start)
    status, values, bound = _highs_result(h, mip, start, deadline_hit=hit)
    if start is None or values is None or not _stale(h, mip, values):
        return status, values, bound
    said = float(h.getInfo().objective_function_value)
    logger.warning("highs on %s reported objective %s but handed back its start solution (%s): solving again "
                   "without the start", mip.name, said, mip.objective(values),
                   extra=in_french("highs sur %s a annoncé l’objectif %s mais a rendu sa solution de départ (%s) : "
                                   "nouvelle résolution sans ce départ"))
    start = np.asarray(start, dtype=float)
    if time_limit_s is not None and time_limit_s - (time.perf_counter() - t0) < 0.05:
        return "time_limit", start, None
    h, hit = _highs_once(mip, t0, time_limit_s, mip_gap, None)
    status, values, bound = _highs_result(h, mip, None, deadline_hit=hit)
    if values is not None and _not_worse(mip, mip.objective(values), mip.objective(start)):
        return status, values, bound
    # the start is better than what the second run found: it keeps that run's bound and limit
    return ("optimal" if status == "optimal" else stop_reason(status) or "feasible"), start, bound


def _stale(h, mip: SparseMip, values: np.ndarray) -> bool:
    """True if HiGHS's reported objective is better than that of the solution it hands back."""
    said, got = float(h.getInfo().objective_function_value), mip.objective(values)
    if not np.isfinite(said):
        return False
    tol = 1e-6 * max(1.0, abs(said))
    return said > got + tol if mip.sense == "max" else said < got - tol


def _not_worse(mip: SparseMip, value: float, than: float) -> bool:
    return value >= than - 1e-9 if mip.sense == "max" else value <= than + 1e-9


def _highs_once(mip, t0, time_limit_s, mip_gap, start):
    """One HiGHS run on ``mip``: the solved instance, and whether the deadline callback stopped it."""
    import highspy

    h = new_highs()
    if mip_gap is not None:
        h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.passModel(_highs_lp(mip))
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.asarray(start, dtype=float).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    hit = []  # set by the deadline callback: an interrupt is then the time limit
    if time_limit_s is not None:
        left = time_limit_s - (time.perf_counter() - t0)
        h.setOptionValue("time_limit", max(left, 0.01))
        if left < 2 * PRESOLVE_S_PER_NZ * mip.arrays()["matrix"].nnz:
            logger.info("%s: presolve skipped (about %.0f s for %.0f s left)", mip.name,
                        PRESOLVE_S_PER_NZ * mip.arrays()["matrix"].nnz, left,
                        extra=in_french("%s : prérésolution sautée (environ %.0f s pour %.0f s restantes)"))
            h.setOptionValue("presolve", "off")
        deadline = t0 + time_limit_s + GRACE_S

        def interrupt(event):
            if time.perf_counter() > deadline:
                hit.append(True)
                event.interrupt()

        for cb in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
            cb += interrupt
    if h.run() == highspy.HighsStatus.kError:
        raise SolverError(f"HiGHS reported an error on model {mip.name!r} "
                          f"({h.modelStatusToString(h.getModelStatus())})")
    return h, bool(hit)


def _highs_result(h, mip, start, *, deadline_hit=False):
    info = h.getInfo()
    has_primal = info.primal_solution_status == 2  # kSolutionStatusFeasible
    status = highs_status(h.getModelStatus(), has_solution=has_primal, deadline_hit=deadline_hit)
    held = has_primal and (status == "optimal" or status in STOPPED)  # never the point of a failed solve
    values = np.asarray(h.getSolution().col_value, dtype=float) if held else None
    if values is None and start is not None and stop_reason(status) is not None:
        status, values = stop_reason(status), np.asarray(start, dtype=float)  # stopped before HiGHS read the start
    integer = mip.arrays()["integer"]
    if values is not None:
        values[integer] = np.rint(values[integer])
    bound = None
    if integer.any():
        b = float(info.mip_dual_bound)
        bound = b if np.isfinite(b) and abs(b) < 1e20 else None
        if bound is not None and values is not None:  # a bound is never worse than the solution it proves
            obj = mip.objective(values)
            bound = max(bound, obj) if mip.sense == "max" else min(bound, obj)
    elif status == "optimal":
        bound = mip.objective(values)
    return status, values, bound


class LpRelaxation:
    """The LP relaxation of a :class:`SparseMip` held in one HiGHS instance, re-solved warm.

    Changing the costs (:meth:`solve` with ``cost``) keeps the last basis, so a
    sequence of nearby objectives (a Lagrangian multiplier search) costs one
    cold solve and a few short warm ones.  Integrality is dropped; HiGHS's dual
    simplex is used (a warm start needs a basis).  ``time_limit_s`` is per solve.
    """

    def __init__(self, mip: SparseMip):
        self.mip = mip
        self._highs = new_highs()
        self._highs.setOptionValue("solver", "simplex")
        lp = _highs_lp(mip)
        lp.integrality_ = []
        self._highs.passModel(lp)

    def solve(self, cost=None, *, time_limit_s: float | None = None) -> tuple[str, float | None, np.ndarray | None]:
        """Solve with the given costs (every column; None keeps them).

        Returns
        -------
        (status, objective, values)
            ``status`` as :func:`leakopt.optimize.solvers.highs_status`; objective and
            values only when the LP is solved to optimality (else None).  The objective
            is made safe as a bound (:meth:`_safe_objective`: never better than the true optimum).
        """
        h = self._highs
        if cost is not None:
            cost = np.asarray(cost, dtype=float)
            h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
        # HiGHS's time_limit counts every run of the instance since it was made, not this one
        # (a warm re-solve given 7 s stopped after 2.7 s): this solve's limit is added to the time so far
        h.setOptionValue("time_limit", INF if time_limit_s is None
                         else h.getRunTime() + max(float(time_limit_s), 0.01))
        h.run()
        status = highs_status(h.getModelStatus(), has_solution=h.getInfo().primal_solution_status == 2)
        if status != "optimal":
            return status, None, None
        return status, self._safe_objective(), np.asarray(h.getSolution().col_value, dtype=float)

    def _safe_objective(self) -> float:
        """The optimal value, moved by what HiGHS's tolerances allow, so it bounds the true optimum.

        A reduced cost of the wrong sign by ``d`` on a column of range ``u - l`` can
        hide ``d (u - l)`` of objective; the sum of those (HiGHS's reported dual
        infeasibilities times the widest column range) and ``1e-7`` of the value are
        taken off a minimum (added to a maximum).
        """
        info = self._highs.getInfo()
        lo, up = self.mip.column_bounds()
        width = up - lo
        width = float(width[np.isfinite(width)].max()) if np.isfinite(width).any() else 1.0
        obj = float(info.objective_function_value)
        slack = max(float(info.sum_dual_infeasibilities), 0.0) * width + 1e-7 * max(1.0, abs(obj))
        return obj + slack if self.mip.sense == "max" else obj - slack


def to_pulp(mip: SparseMip):
    """The model as a ``pulp.LpProblem``; returns (problem, list of variables by column)."""
    import pulp

    a = mip.arrays()
    prob = pulp.LpProblem(mip.name, pulp.LpMaximize if mip.sense == "max" else pulp.LpMinimize)
    cat = np.where(a["integer"], "Integer", "Continuous")
    bound = (lambda v: None if not np.isfinite(v) else float(v))
    x = [pulp.LpVariable(f"c{j}", lowBound=bound(lo), upBound=bound(up), cat=str(c))
         for j, (lo, up, c) in enumerate(zip(a["col_lower"], a["col_upper"], cat))]
    nz = np.flatnonzero(a["cost"])
    prob += pulp.LpAffineExpression([(x[j], float(a["cost"][j])) for j in nz])
    rows = a["matrix"].tocsr()
    for i in range(mip.n_rows):
        cols, vals = rows.indices[rows.indptr[i]:rows.indptr[i + 1]], rows.data[rows.indptr[i]:rows.indptr[i + 1]]
        expr = pulp.LpAffineExpression([(x[j], float(v)) for j, v in zip(cols, vals)])
        lo, up = a["row_lower"][i], a["row_upper"][i]
        if np.isfinite(lo) and np.isfinite(up) and lo == up:
            prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{i}", float(lo))
            continue
        if np.isfinite(lo):
            prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{i}", float(lo))
        if np.isfinite(up):
            prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{i}u", float(up))
    return prob, x


def _run_cbc(mip, t0, time_limit_s, mip_gap):

    prob, x = to_pulp(mip)
    left = None if time_limit_s is None else max(time_limit_s - (time.perf_counter() - t0), 0.5)
    info = solve_problem(prob, solver="cbc", time_limit_s=left, mip_gap=mip_gap)
    values = np.array([v.varValue or 0.0 for v in x], dtype=float) if info.has_solution else None
    if values is not None:
        integer = mip.arrays()["integer"]
        values[integer] = np.rint(values[integer])
    return info.status, values, info.best_bound

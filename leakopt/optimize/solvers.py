"""One place to solve a PuLP model: HiGHS by default, bundled CBC as fallback.

Optimisation stages built with PuLP (renewal planning, pressure sensors)
hand their ``pulp.LpProblem`` to :func:`solve_problem`, which picks the
solver, applies the time limit and MIP gap, and returns a :class:`SolveInfo`
that says honestly what was found: a model stopped by its time limit is
reported as ``"time_limit"`` with the best solution found and its gap, never
as "optimal".  Logger placement, whose models reach hundreds of thousands of
columns, builds them as sparse arrays and passes them to HiGHS directly
(:mod:`leakopt.optimize.highs`, same :class:`SolveInfo`); the PuLP route is its
CBC fallback.

Solvers
-------
``"highs"``
    HiGHS through its Python bindings (``highspy``, a pip dependency):
    ``pulp.HiGHS``.  No external binary.
``"cbc"``
    The CBC binary bundled inside the PuLP wheel (``pulp.PULP_CBC_CMD``).
``"auto"``
    HiGHS when ``highspy`` imports, else CBC.

Status values of :attr:`SolveInfo.status`
-----------------------------------------
``"optimal"`` (within the requested MIP gap).

Stopped by a limit before proving optimality, the variables holding the best
solution found (:data:`STOPPED`): ``"time_limit"``, ``"iteration_limit"``,
``"solution_limit"`` (HiGHS's node, leaf or improving-solution limits),
``"memory_limit"``, ``"interrupted"``, ``"objective_bound"``,
``"objective_target"``.  Stopped by one of them before any feasible solution:
``"no_solution"`` for the time limit (and for CBC, which does not say why),
``"<limit>_no_solution"`` for the others (e.g. ``"memory_limit_no_solution"``).

``"feasible"``: a feasible solution that no solver proved optimal, e.g. a
plan assembled from several solves (:mod:`leakopt.renewal`, year by year).

No solution: ``"infeasible"``, ``"unbounded"``, ``"infeasible_or_unbounded"``,
and the HiGHS failures ``"load_error"``, ``"model_error"``,
``"presolve_error"``, ``"solve_error"``, ``"postsolve_error"``,
``"empty_model"``, ``"unknown"``, ``"not_solved"`` (see :func:`highs_status`).
:attr:`SolveInfo.has_solution` tells whether the variables hold a usable
solution; :func:`stop_reason` which limit stopped a search.
"""
from __future__ import annotations

import logging
import math
import os
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from leakopt.errors import InputError, SolverError
from leakopt.i18n import in_french

logger = logging.getLogger(__name__)

#: Accepted values of the ``solver`` argument.
SOLVERS = ("auto", "highs", "cbc")

#: Statuses of a search stopped by a limit, the variables holding the best solution found.
STOPPED = ("time_limit", "iteration_limit", "solution_limit", "memory_limit", "interrupted",
           "objective_bound", "objective_target")

_WITH_SOLUTION = ("optimal", "feasible", *STOPPED)

#: :attr:`SolveInfo.status` of each HiGHS model status (``highspy.HighsModelStatus`` member name).
HIGHS_STATUS = {
    "kOptimal": "optimal", "kInfeasible": "infeasible", "kUnbounded": "unbounded",
    "kUnboundedOrInfeasible": "infeasible_or_unbounded",
    "kTimeLimit": "time_limit", "kIterationLimit": "iteration_limit", "kSolutionLimit": "solution_limit",
    "kMemoryLimit": "memory_limit", "kInterrupt": "interrupted", "kHighsInterrupt": "interrupted",
    "kObjectiveBound": "objective_bound", "kObjectiveTarget": "objective_target",
    "kLoadError": "load_error", "kModelError": "model_error", "kPresolveError": "presolve_error",
    "kSolveError": "solve_error", "kPostsolveError": "postsolve_error", "kModelEmpty": "empty_model",
    "kUnknown": "unknown", "kNotset": "not_solved",
}


@dataclass(frozen=True)
class SolveInfo:
    """What a solve produced.

    Attributes
    ----------
    solver : str
        "highs" or "cbc": the solver that actually ran ("none" when the time
        limit was too short to start one and a start solution was returned,
        see :mod:`leakopt.optimize.highs`).
    status : str
        See the module docstring.
    objective : float or None
        Objective value of the solution held by the variables (None without one).
    mip_gap : float or None
        Relative gap between ``objective`` and the best bound; 0 for a proven
        optimum of a continuous model; None when the solver did not report it.
    solve_seconds : float
        Wall time of the solver call.
    best_bound : float or None
        Best proven bound on the objective (MIP dual bound), when reported.
    bound_source : str or None
        What proved ``best_bound``: "solver" (the MIP solver's dual bound),
        "column_bounds" (the variables' bounds alone, the solver stopped before
        it had one), "lagrangian" (a Lagrangian LP bound,
        :mod:`leakopt.placement.lagrange`), "greedy" (the submodularity bound of
        a greedy answer, :mod:`leakopt.placement.greedy`); None without a bound.
    """

    solver: str
    status: str
    objective: float | None
    mip_gap: float | None
    solve_seconds: float
    best_bound: float | None = None
    bound_source: str | None = None

    @property
    def has_solution(self) -> bool:
        """True if the problem's variables hold a feasible solution."""
        return self.status in _WITH_SOLUTION

    def to_dict(self) -> dict:
        """Plain dict for JSON output."""
        return {"solver": self.solver, "status": self.status, "objective": self.objective,
                "mip_gap": self.mip_gap, "solve_seconds": self.solve_seconds,
                "best_bound": self.best_bound, "bound_source": self.bound_source}


def highs_status(model_status, *, has_solution: bool, deadline_hit: bool = False) -> str:
    """The :attr:`SolveInfo.status` of a HiGHS model status (see the module docstring).

    Parameters
    ----------
    model_status : highspy.HighsModelStatus or str
        ``Highs.getModelStatus()``, or its member name (e.g. ``"kMemoryLimit"``).
    has_solution : bool
        HiGHS holds a feasible primal solution (``info.primal_solution_status == 2``).
    deadline_hit : bool
        The caller's interrupt callback stopped HiGHS at its wall-clock limit
        (:mod:`leakopt.optimize.highs`): the interrupt is then the time limit.

    Returns
    -------
    str
        Only :data:`STOPPED` statuses depend on ``has_solution``: without a
        solution they become ``"no_solution"`` (time limit) or
        ``"<limit>_no_solution"``.
    """
    name = getattr(model_status, "name", str(model_status))
    status = HIGHS_STATUS.get(name, "unknown")
    if status == "interrupted" and deadline_hit:
        status = "time_limit"
    if status in STOPPED and not has_solution:
        return "no_solution" if status == "time_limit" else f"{status}_no_solution"
    return status


def stop_reason(status: str) -> str | None:
    """The limit that stopped a search (one of :data:`STOPPED`), with or without a solution; else None.

    ``"iteration_limit"`` and ``"iteration_limit_no_solution"`` give
    ``"iteration_limit"``; ``"no_solution"`` gives ``"time_limit"``;
    ``"optimal"``, ``"infeasible"`` or a solver error give None.
    """
    if status == "no_solution":
        return "time_limit"
    base = status.removesuffix("_no_solution")
    return base if base in STOPPED else None


_BANNER = {"muted": False}
_BANNER_LOCK = threading.Lock()


def new_highs():
    """A ``highspy.Highs`` with its log off.

    HiGHS prints its banner ("Running HiGHS ... Copyright") on the process's standard output when the
    first instance is made, before any option can be set: a command's summary and a piped ``risk.csv``
    path list would carry it.  The first instance is therefore made with the file descriptor muted;
    later ones print nothing.  Call :func:`mute_banner` before handing a model to PuLP's HiGHS.
    """
    import highspy

    mute_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def mute_banner() -> None:
    """Make this process's first ``highspy.Highs`` with standard output muted (see :func:`new_highs`)."""
    with _BANNER_LOCK:
        if _BANNER["muted"]:
            return
        _BANNER["muted"] = True
        import highspy
        try:
            sys.stdout.flush()
            saved = os.dup(1)
        except (OSError, ValueError, AttributeError):   # no file descriptor 1 (an embedding host): leave it
            highspy.Highs()
            return
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                try:
                    highspy.Highs()
                    _flush_c_stdout()
                finally:
                    os.dup2(saved, 1)
        finally:
            os.close(saved)


def _flush_c_stdout() -> None:
    """Flush the C library's stdout buffer (the banner must reach the muted descriptor, not wait)."""
    try:
        import ctypes
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):   # Windows: no CDLL(None); its CRT flushes on exit
        pass


def available_solvers() -> tuple[str, ...]:
    """Solvers usable in this environment, best first (subset of ("highs", "cbc"))."""
    import pulp

    out = []
    if pulp.HiGHS(msg=False).available():
        out.append("highs")
    if pulp.PULP_CBC_CMD(msg=False).available():
        out.append("cbc")
    return tuple(out)


def resolve_solver(solver: str = "auto") -> str:
    """Turn ``"auto"`` into the solver that will run; check a named one is available.

    Raises
    ------
    InputError
        If ``solver`` is not one of :data:`SOLVERS`.
    SolverError
        If the requested solver (or, for "auto", any solver) is not available.
    """
    name = str(solver).lower()
    if name not in SOLVERS:
        raise InputError(f"solver={solver!r} is not known; expected one of {SOLVERS}",
                         fr=f"solver={solver!r} est inconnu ; attendu : l’un de {SOLVERS}")
    usable = available_solvers()
    if name == "auto":
        if not usable:
            raise SolverError("no MILP solver available: install highspy (pip install highspy) "
                              "or a PuLP wheel that bundles CBC")
        return usable[0]
    if name not in usable:
        raise SolverError(f"solver {name!r} is not available here; available: {list(usable) or 'none'}")
    return name


def solve_problem(problem, *, solver: str = "auto", time_limit_s: float | None = None,
                  mip_gap: float | None = None) -> SolveInfo:
    """Solve a PuLP problem in place and report what was found.

    Parameters
    ----------
    problem : pulp.LpProblem
        The model; its variables receive the solution (the best found when a
        time limit stops the search).
    solver : {"auto", "highs", "cbc"}
        "auto" uses HiGHS, falling back to PuLP's bundled CBC.
    time_limit_s : float, optional
        Wall-time limit of the solver, in seconds.
    mip_gap : float, optional
        Relative MIP gap at which the search stops and reports "optimal".

    Returns
    -------
    SolveInfo

    Raises
    ------
    InputError
        For an unknown solver name or a non-positive time limit / negative gap.
    SolverError
        If no solver is available or the solver crashed.
    """
    if time_limit_s is not None and not time_limit_s > 0:
        raise InputError(f"time_limit_s={time_limit_s!r}; expected a positive number of seconds or None",
                         fr=f"time_limit_s={time_limit_s!r} ; attendu : un nombre de secondes positif, ou None")
    if mip_gap is not None and not mip_gap >= 0:
        raise InputError(f"mip_gap={mip_gap!r}; expected a relative gap >= 0 or None",
                         fr=f"mip_gap={mip_gap!r} ; attendu : un écart relatif ≥ 0, ou None")
    name = resolve_solver(solver)
    start = time.perf_counter()
    try:
        if name == "highs":
            status, gap, bound = _solve_highs(problem, time_limit_s, mip_gap)
        else:
            status, gap, bound = _solve_cbc(problem, time_limit_s, mip_gap)
    except SolverError:
        raise
    except Exception as exc:  # solver crashes surface as SolverError, naming the solver
        raise SolverError(f"solver {name!r} failed on problem {problem.name!r}: {exc}") from exc
    seconds = time.perf_counter() - start
    objective = None
    if status in _WITH_SOLUTION:
        value = problem.objective.value() if problem.objective is not None else 0.0
        objective = float(value) if value is not None else 0.0
    info = SolveInfo(solver=name, status=status, objective=objective, mip_gap=gap,
                     solve_seconds=seconds, best_bound=bound, bound_source=None if bound is None else "solver")
    level = logging.INFO if status == "optimal" else logging.WARNING
    logger.log(level, "%s on %s: %s, objective %s, gap %s, %.2f s", name, problem.name, status, objective, gap,
               seconds, extra=in_french("%s sur %s : %s, objectif %s, écart %s, %.2f\u00a0s"))
    return info


def _is_mip(problem) -> bool:
    return any(v.cat == "Integer" for v in problem.variables())


def _solve_highs(problem, time_limit_s, mip_gap):
    import highspy
    import pulp

    mute_banner()
    cmd = pulp.HiGHS(msg=False, timeLimit=time_limit_s, gapRel=mip_gap)
    try:
        problem.solve(cmd)
    except KeyError as exc:
        # PuLP's HiGHS wrapper has no entry for some model statuses (kSolutionLimit, kMemoryLimit,
        # kHighsInterrupt) and fails after copying the solution into the variables: read it ourselves
        if not isinstance(exc.args[0] if exc.args else None, highspy.HighsModelStatus):
            raise
    h = problem.solverModel
    info = h.getInfo()
    status = highs_status(h.getModelStatus(), has_solution=info.primal_solution_status == 2)
    gap, bound = None, None
    if _is_mip(problem):
        bound = _finite(info.mip_dual_bound)
        if bound is not None and problem.sense == pulp.LpMaximize:
            bound = -bound  # PuLP hands HiGHS the negated objective of a maximisation
        gap = _finite(info.mip_gap) if status in _WITH_SOLUTION else None
        if gap is not None and gap > 1e20:
            gap = None
    elif status == "optimal":
        gap = 0.0
    return status, gap, bound


def _solve_cbc(problem, time_limit_s, mip_gap):
    import pulp

    with tempfile.TemporaryDirectory(prefix="leakopt_cbc_") as tmp:
        log = Path(tmp) / "cbc.log"
        cmd = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, gapRel=mip_gap,
                                logPath=str(log))
        cmd.tmpDir = tmp
        problem.solve(cmd)
        text = log.read_text(errors="replace") if log.exists() else ""
    stopped = bool(re.search(r"Result - Stopped", text))
    if problem.status == pulp.LpStatusOptimal:
        integer_feasible = problem.sol_status == pulp.LpSolutionIntegerFeasible
        status = "time_limit" if (stopped or integer_feasible) else "optimal"
    elif problem.status == pulp.LpStatusInfeasible:
        status = "infeasible"
    elif problem.status == pulp.LpStatusUnbounded:
        status = "unbounded"
    else:
        status = "no_solution"
    bound = _parse_float(text, r"^(?:Lower|Upper) bound:\s+(\S+)")
    gap = None
    if status in _WITH_SOLUTION:
        objective = problem.objective.value() if problem.objective is not None else 0.0
        if bound is not None and objective is not None:
            # same definition as HiGHS: |primal - bound| / |primal|
            gap = abs(objective - bound) / max(abs(objective), 1e-9)
        elif status == "optimal":
            gap, bound = 0.0, objective
    return status, gap, bound


def _parse_float(text: str, pattern: str) -> float | None:
    match = re.search(pattern, text, flags=re.MULTILINE)
    if not match:
        return None
    try:
        return _finite(float(match.group(1)))
    except ValueError:
        return None


def _finite(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None

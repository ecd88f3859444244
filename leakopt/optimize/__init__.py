"""The optimisation layer shared by placement and renewal: sparse MIPs for HiGHS, PuLP models.

:mod:`.highs` builds a :class:`SparseMip` straight from scipy.sparse matrices
and solves it with HiGHS (``highspy``), with a wall-clock limit, a starting
solution and an exact status; :mod:`.solvers` picks a solver (HiGHS by
default, CBC through PuLP as the fallback; never an external binary) and
solves PuLP problems.  Both return a :class:`SolveInfo` (solver, status, gap,
seconds) that every output reports as it is.
"""

from leakopt.optimize.highs import MipResult, SparseMip, solve_mip, to_pulp
from leakopt.optimize.solvers import STOPPED, SolveInfo, available_solvers, resolve_solver, solve_problem, stop_reason

__all__ = ["SparseMip", "MipResult", "solve_mip", "to_pulp", "SolveInfo", "available_solvers", "resolve_solver",
           "solve_problem", "stop_reason", "STOPPED"]

"""Building the logger placement models (the first stage of :mod:`leakopt.placement.solve`).

Models (``x_i`` = 1 if a logger goes on site ``i``; ``S_j`` = sites hearing
segment ``j``; ``w_j`` = segment weight; ``r`` = redundancy)
---------------------------------------------------------------------------
cover (``target_share=None, budget=None``)
    minimise ``sum c_i x_i`` s.t. ``sum_{i in S_j} x_i >= min(r, |S_j|)`` for
    every segment with ``w_j > 0`` (e.g. every priority-zone segment).
share (``target_share=t``)
    minimise ``sum c_i x_i`` s.t. ``sum w_j y_j >= t * sum w_j`` and
    ``min(r, |S_j|) y_j <= sum_{i in S_j} x_i``: the fewest loggers that hear a
    share ``t`` of the expected leaks.
budget (``budget=K``)
    maximise ``sum w_j y_j`` s.t. ``sum c_i x_i <= K`` and the same link.

``y_j`` is continuous in [0, 1] for ``r = 1`` (exact, since ``x`` is binary)
and binary for ``r >= 2``.  Segments that no site hears are left out of the
constraints (the share target still counts them in the total).  Segments with
identical sets of hearing sites are merged into one constraint, which keeps
large models small.  The long target and budget rows are written as partial
sums (:meth:`leakopt.optimize.highs.SparseMip.add_sum_row`), which keeps HiGHS's
presolve fast.

The model is a :class:`leakopt.optimize.highs.SparseMip`: columns ``0..n-1`` are
the ``x`` of :attr:`PlacementModel.site_rows`, then one ``y`` per segment
group.  :meth:`PlacementModel.add_constraint` adds a user constraint on the
sites between building and solving; :meth:`PlacementModel.to_pulp` gives the
model as a PuLP problem.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int, fmt_percent, in_french, singular
from leakopt.optimize import SolveInfo, to_pulp
from leakopt.optimize.highs import INF, SparseMip
from leakopt.placement.coverage import Coverage
from leakopt.placement.greedy import required_rows, site_costs

logger = logging.getLogger(__name__)


@dataclass
class PlacementModel:
    """A built placement model and the handles to read its solution.

    Attributes
    ----------
    mip : SparseMip
        The model; :meth:`add_constraint` adds to it before solving.
    site_rows : ndarray of int
        Rows of ``coverage.sites`` of the ``x`` columns (columns 0..n-1).
    kind : {"cover", "share", "budget"}
    coverage : Coverage
    weights : ndarray
        Segment weights the model was built with.
    need : ndarray
        Per segment, hearing sites required (``min(r, |S_j|)``; 0 = not in model).
    groups : _Groups
        Segment groups (one ``y`` column or cover row each).
    bound_row : int or None
        Row holding the target (share) or budget (budget) bound.
    redundancy, target_share, budget
        As given.
    required, cost
        As given to :func:`build_model`.
    constrained : bool
        True once :meth:`add_constraint` added a row of the user's.
    info : SolveInfo or None
        Set by :func:`leakopt.placement.solve`.
    values : ndarray or None
        The solution vector (every column) after solving.
    """

    mip: SparseMip
    site_rows: np.ndarray
    kind: str
    coverage: Coverage
    weights: np.ndarray
    need: np.ndarray
    groups: _Groups
    bound_row: int | None = None
    redundancy: int = 1
    target_share: float | None = None
    budget: float | None = None
    required: tuple = ()
    cost: pd.Series | None = None
    constrained: bool = False
    info: SolveInfo | None = None
    values: np.ndarray | None = None

    def selected(self) -> np.ndarray:
        """Site rows with a logger in the current solution (sorted)."""
        if self.values is None:
            return np.zeros(0, np.int64)
        return np.sort(self.site_rows[self.values[: len(self.site_rows)] > 0.5])

    def set_budget(self, budget: float) -> None:
        """Change the budget of a budget model (the trade-off curve re-solves with each K)."""
        if self.kind != "budget":
            raise InputError(f"set_budget() needs a budget model; this one is {self.kind!r}",
                             fr=f"set_budget() nécessite un modèle à budget ; celui-ci est de type {self.kind!r}")
        self.mip.set_row_bounds(self.bound_row, -INF, float(budget))
        self.budget = budget

    def add_constraint(self, node_ids: Sequence[str], *, coefficients=None, lower: float | None = None,
                       upper: float | None = None) -> int:
        """Add ``lower <= sum coefficients * x[node] <= upper`` over the given sites.

        E.g. ``add_constraint(district_nodes, upper=3)``: at most 3 loggers in a district.
        Sites that hear no modelled segment have no column and are left out.
        Returns the row index.
        """
        rows = required_rows(self.coverage, node_ids)
        coef = np.ones(len(rows)) if coefficients is None else np.asarray(coefficients, dtype=float)
        if coef.shape != rows.shape:
            values_fr = "valeur" if singular(coef.size, "fr") else "valeurs"
            sites_fr = "site" if singular(len(rows), "fr") else "sites"
            raise InputError(f"coefficients has {coef.size} values for {len(rows)} sites",
                             fr=f"coefficients donne {fmt_int(coef.size, 'fr')} {values_fr} pour "
                                f"{fmt_int(len(rows), 'fr')} {sites_fr}")
        col = pd.Index(self.site_rows).get_indexer(rows)
        keep = col >= 0
        self.constrained = True
        return self.mip.add_sum_row(col[keep], coef[keep], lower=-INF if lower is None else float(lower),
                                    upper=INF if upper is None else float(upper))

    def start_values(self, rows) -> np.ndarray:
        """The full solution vector of a site selection (for a warm start)."""
        rows = np.asarray(rows, dtype=np.int64)
        values = np.zeros(self.mip.n_cols)
        values[pd.Index(self.site_rows).get_indexer(rows)] = 1.0
        if self.kind != "cover":
            chosen = np.zeros(self.coverage.matrix.shape[0])
            chosen[rows] = 1.0
            g = self.groups
            counts = np.add.reduceat(chosen[g.indices], g.indptr[:-1]) if len(g.indices) else np.zeros(g.n)
            values[len(self.site_rows):len(self.site_rows) + g.n] = (counts >= g.need).astype(float)
        return self.mip.complete(values)

    def size(self) -> str:
        """Model size, for logs and benchmarks."""
        return f"{len(self.site_rows)} sites, {self.groups.n} segment groups; {self.mip.size()}"

    def to_pulp(self):
        """The model as a PuLP problem: (problem, {site row: x variable})."""
        prob, var = to_pulp(self.mip)
        return prob, {int(i): var[k] for k, i in enumerate(self.site_rows)}


@dataclass(frozen=True)
class _Groups:
    """Segments with identical hearing sites, merged."""

    indptr: np.ndarray
    indices: np.ndarray
    need: np.ndarray
    weight: np.ndarray
    group_of: np.ndarray  # per segment, its group (-1: not in the model)

    @property
    def n(self) -> int:
        return len(self.need)

    @property
    def site_rows(self) -> np.ndarray:
        return np.unique(self.indices)


def _segment_groups(matrix, segs: np.ndarray, w: np.ndarray, need: np.ndarray) -> _Groups:
    """Merge segments heard by the same sites (two random projections as the key)."""
    import scipy.sparse as sp

    sub = sp.csc_matrix(matrix[:, segs], dtype=np.float64)
    sub.sort_indices()
    proj = np.random.default_rng(20240531).random((matrix.shape[0], 2))
    key = np.column_stack([sub.T @ proj, need[segs]])
    if len(segs):
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    else:
        first, inverse = np.zeros(0, np.int64), np.zeros(0, np.int64)
    inverse = np.asarray(inverse).ravel()
    rep = sub[:, first]
    rep.sort_indices()
    group_of = np.full(matrix.shape[1], -1, np.int64)
    group_of[segs] = inverse
    return _Groups(indptr=rep.indptr.astype(np.int64), indices=rep.indices.astype(np.int64),
                   need=need[segs][first], weight=np.bincount(inverse, weights=w[segs], minlength=len(first)),
                   group_of=group_of)


def build_model(coverage: Coverage, weights, *, target_share: float | None = None, budget: float | None = None,
                redundancy: int = 1, required: Sequence[str] | None = None,
                cost: pd.Series | None = None) -> PlacementModel:
    """Build the placement model (see the module docstring for the three models).

    Parameters
    ----------
    coverage : Coverage
    weights : array-like of float, one per segment
        Segment weights; in the cover model, segments with weight > 0 must be heard.
    target_share : float, optional
        Share of ``sum(weights)`` to hear at least cost (share model).
    budget : float, optional
        Number (or total cost) of loggers (budget model).  Exclusive with ``target_share``.
    redundancy : int
        Loggers required per segment, capped at the number of sites that hear it.
    required : sequence of str, optional
        Node IDs that must hold a logger (loggers already in place).
    cost : Series, optional
        Cost per site, indexed by node ID (default 1: the number of loggers).

    Returns
    -------
    PlacementModel
    """
    import scipy.sparse as sp

    w, need, r = _check_model_args(coverage, weights, target_share, budget, redundancy)
    kind = "budget" if budget is not None else "share" if target_share is not None else "cover"
    groups = _segment_groups(coverage.matrix, np.flatnonzero((need > 0) & (w > 0)), w, need)
    req = required_rows(coverage, required)
    used = np.unique(np.concatenate([groups.site_rows, req]))
    costs = site_costs(coverage, cost)[used]
    mip = SparseMip(f"logger_placement_{kind}", sense="max" if kind == "budget" else "min")
    lower = np.isin(used, req).astype(float)
    x = mip.add_columns(len(used), cost=0.0 if kind == "budget" else costs, lower=lower, upper=1.0, integer=True)
    col = np.searchsorted(used, groups.indices)  # x column of each (group, site) pair
    hear = sp.csr_matrix((np.ones(len(col)), col, groups.indptr), shape=(groups.n, len(used)))
    bound_row = None
    if kind == "cover":
        mip.add_rows(hear, groups.need.astype(float), INF)
    else:
        y = mip.add_columns(groups.n, cost=groups.weight if kind == "budget" else 0.0, integer=r > 1)
        link = sp.hstack([-hear, sp.diags(groups.need.astype(float))], format="csr")
        mip.add_rows(link, -INF, 0.0)  # need_g y_g <= sites hearing g
        if kind == "share":
            bound_row = mip.add_sum_row(y, groups.weight, lower=float(target_share) * w.sum())
        else:
            bound_row = mip.add_sum_row(x, costs, upper=float(budget))
    logger.info("placement model %s: %d site variables, %d segment groups (from %d segments)",
                kind, len(used), groups.n, int((need > 0).sum()),
                extra=in_french("modèle de placement %s : %d variables de site, %d groupes de tronçons "
                                "(sur %d tronçons)"))
    return PlacementModel(mip=mip, site_rows=used, kind=kind, coverage=coverage, weights=w, need=need,
                          groups=groups, bound_row=bound_row, redundancy=r, target_share=target_share,
                          budget=budget, required=tuple(required or ()), cost=cost)


def _check_model_args(coverage, weights, target_share, budget, redundancy):
    w = np.asarray(weights, dtype=float)
    if w.shape != (coverage.matrix.shape[1],):
        raise InputError(f"weights has shape {w.shape}; expected one value per segment "
                         f"({coverage.matrix.shape[1]},)",
                         fr=f"weights a la forme {w.shape} ; forme attendue : une valeur par tronçon "
                            f"({coverage.matrix.shape[1]},)")
    if not np.isfinite(w).all() or (w < 0).any():
        raise InputError("weights must be finite and >= 0", fr="les valeurs de weights doivent être finies et >= 0")
    if target_share is not None and budget is not None:
        raise InputError("give target_share or budget, not both", fr="donnez target_share ou budget, pas les deux")
    if target_share is not None and not 0 < target_share <= 1:
        raise InputError(f"target_share={target_share!r}; expected a share in (0, 1]",
                         fr=f"target_share={target_share!r} ; valeur attendue : une part comprise entre 0 (exclu) "
                            "et 1 (inclus)")
    if budget is not None and not budget >= 1:
        raise InputError(f"budget={budget!r}; expected a number of loggers >= 1",
                         fr=f"budget={budget!r} ; valeur attendue : un nombre de prélocalisateurs >= 1")
    r = int(redundancy)
    if r < 1:
        raise InputError(f"redundancy={redundancy!r}; expected an integer >= 1",
                         fr=f"redundancy={redundancy!r} ; valeur attendue : un entier >= 1")
    need = np.minimum(r, coverage.hearing_count)
    if target_share is not None:
        reach = w[need > 0].sum()
        if w.sum() <= 0:
            raise InputError("no expected leak to listen for: every pipe of the network has 0 expected leaks in "
                             "the risk scores; place loggers on scores of a run that learnt from leaks",
                             fr="aucune fuite attendue à écouter : toutes les conduites du réseau ont 0 fuite attendue "
                                "dans les scores de risque ; placez les prélocalisateurs d’après les scores d’une "
                                "analyse qui a appris des fuites")
        if reach < target_share * w.sum() - 1e-9:
            best = reach / w.sum() if w.sum() > 0 else 0.0
            raise InputError(f"target_share={target_share} cannot be met: the candidate sites hear at most "
                             f"{best:.3f} of the expected leaks (segments out of every logger's range); "
                             "lower the target or add candidate sites",
                             fr=f"la part visée target_share={target_share} ne peut pas être atteinte : les sites "
                                f"candidats entendent au plus {fmt_percent(best, 'fr')} des fuites attendues (des "
                                "tronçons sont hors de portée de tout prélocalisateur) ; baissez la cible ou ajoutez "
                                "des sites candidats")
    return w, need, r

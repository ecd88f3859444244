"""Where to put leak-noise loggers: exact placement by integer programming.

Staged like Chama: :func:`build_model` -> :func:`solve` -> :func:`summarize`
(:mod:`leakopt.placement.summary`),
with :func:`place_sensors` as the one-call wrapper.  Users can add their own
constraints between the stages (:meth:`PlacementModel.add_constraint`).

The models (cover, share, budget) and how they are built are described in
:mod:`leakopt.placement.model`; they go to HiGHS directly (``highspy``, see
:mod:`leakopt.optimize.highs`), to CBC through PuLP when HiGHS is missing.  The
solve is bounded by a wall-clock limit and starts from the greedy answer, so a
search stopped by the limit reports an answer at least as good as greedy's,
with its gap.  A large share model first goes through
:mod:`leakopt.placement.lagrange` (a proven Lagrangian bound and an answer from
its LP; the whole model then runs with the time left, from that answer).
Segment weights are the pipe's expected leaks per year times
the segment's share of the pipe length; segments no site hears are reported
(:attr:`Placement.unreachable`), never ignored.

The full-network count (``n_sensors_full_network``) solves the cover model
over every segment any site hears, with the same redundancy, so that
``reduction_factor = n_sensors_full_network / n_sensors`` measures what
prioritising saves.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError, SolverError
from leakopt.i18n import fmt_short, in_french
from leakopt.optimize import MipResult, SolveInfo, solve_mip
from leakopt.optimize.solvers import resolve_solver, stop_reason
from leakopt.placement import lagrange
from leakopt.placement.coverage import Coverage
from leakopt.placement.greedy import budget_bound, count_bound, greedy_cover, heard_weight, required_rows
from leakopt.placement.lagrange import ShareBound
from leakopt.placement.model import PlacementModel, build_model
from leakopt.placement.summary import Placement, summarize, unscored_pipes

logger = logging.getLogger(__name__)

#: The French of the limits that stop a solver (:func:`leakopt.optimize.solvers.stop_reason`), for its warning.
LIMITS_FR = {"time_limit": "limite de temps", "iteration_limit": "limite d’itérations",
             "memory_limit": "limite de mémoire", "solution_limit": "limite de nœuds ou de solutions",
             "objective_bound": "borne d’objectif", "objective_target": "cible d’objectif"}

__all__ = [
    "Placement",
    "PlacementConfig",
    "PlacementModel",
    "build_model",
    "greedy_cover",
    "place_sensors",
    "segment_weights",
    "weight_scale",
    "solve",
    "summarize",
    "unscored_pipes",
]


@dataclass(frozen=True)
class PlacementConfig:
    """Settings of logger placement (TOML table ``[placement]``).

    Attributes
    ----------
    target_share : float
        Share of expected leaks the loggers must hear (``cover="share"``).
    budget : int or None
        Number of loggers available; when set, the budget model runs instead.
    redundancy : int
        Loggers that must hear each covered segment (2 allows correlation).
    cover : {"share", "zone"}
        "share": the fewest loggers hearing ``target_share`` of expected leaks;
        "zone": the fewest loggers hearing every priority-zone segment.
    solver, time_limit_s, mip_gap
        Passed to :func:`solve` (the time limit bounds each model's whole solve).
    weight_column : str
        Risk column giving the expected leaks per pipe.
    full_network : bool
        Also solve the whole-network model (for ``reduction_factor``).
    tradeoff_points : int
        Budgets evaluated by :func:`tradeoff_curve` when none are given.
    tradeoff_time_limit_s, tradeoff_mip_gap : float
        Per-point solver limits of the trade-off curve (a planning chart: a
        point stopped early keeps the better of its best and the greedy answer).
    tradeoff_total_time_s : float or None
        Wall-time budget of the whole trade-off curve, shared by its points;
        points left when it is spent are the greedy answers (None: no budget).
    """

    target_share: float = 0.8
    budget: int | None = None
    redundancy: int = 1
    cover: str = "share"
    solver: str = "auto"
    time_limit_s: float | None = 60.0
    mip_gap: float | None = 1e-4
    weight_column: str = "expected_leaks_per_year"
    full_network: bool = True
    tradeoff_points: int = 8
    tradeoff_time_limit_s: float | None = 10.0
    tradeoff_mip_gap: float | None = 0.005
    tradeoff_total_time_s: float | None = 60.0

    def __post_init__(self):
        if not 0 < float(self.target_share) <= 1:
            raise InputError(f"[placement] target_share={self.target_share!r}; expected a share in (0, 1]",
                             fr=f"[placement] target_share={self.target_share!r} ; valeur attendue : une part "
                                "comprise entre 0 (exclu) et 1 (inclus)")
        if self.budget is not None and int(self.budget) < 1:
            raise InputError(f"[placement] budget={self.budget!r}; expected a number of loggers >= 1",
                             fr=f"[placement] budget={self.budget!r} ; valeur attendue : un nombre de "
                                "prélocalisateurs >= 1")
        if int(self.redundancy) < 1:
            raise InputError(f"[placement] redundancy={self.redundancy!r}; expected an integer >= 1",
                             fr=f"[placement] redundancy={self.redundancy!r} ; valeur attendue : un entier >= 1")
        for name in ("time_limit_s", "tradeoff_time_limit_s", "tradeoff_total_time_s"):
            value = getattr(self, name)
            if value is not None and not float(value) > 0:
                raise InputError(f"[placement] {name}={value!r}; expected seconds > 0, or leave it out",
                                 fr=f"[placement] {name}={value!r} ; valeur attendue : une durée > 0 en secondes, "
                                    "ou ne le réglez pas")
        if self.cover not in ("share", "zone"):
            raise InputError(f"[placement] cover={self.cover!r}; expected 'share' or 'zone'",
                             fr=f"[placement] cover={self.cover!r} ; valeur attendue : 'share' ou 'zone'")


def segment_weights(coverage: Coverage, risk: pd.DataFrame, *,
                    column: str = "expected_leaks_per_year") -> np.ndarray:
    """Expected leaks per year on each segment (pipe value x segment's length share).

    Pipes missing from ``risk`` weigh 0.
    """
    if column not in risk.columns or "pipe_id" not in risk.columns:
        raise InputError(f"the risk frame lacks column {column!r} or 'pipe_id' needed to weight segments "
                         f"(columns: {list(risk.columns)[:12]})",
                         fr=f"la table des risques n’a pas la colonne {column!r} ou la colonne 'pipe_id', toutes "
                            f"deux nécessaires pour pondérer les tronçons (colonnes : {list(risk.columns)[:12]})")
    value = pd.to_numeric(risk[column], errors="coerce")
    if (value < 0).any():
        example_fr = fmt_short(value[value < 0].iloc[0], "fr")
        raise InputError(f"risk column {column!r} has negative values, e.g. {value[value < 0].iloc[0]}; "
                         "expected leaks per year are >= 0",
                         fr=f"la colonne de risque {column!r} a des valeurs négatives, par exemple {example_fr} ; "
                            "les fuites attendues par an ne peuvent pas être négatives")
    per_pipe = pd.Series(value.fillna(0.0).to_numpy(), index=risk["pipe_id"].astype(str)).groupby(level=0).sum()
    seg = coverage.segments
    pipe_len = seg.groupby("pipe_id")["length_m"].transform("sum").to_numpy(float)
    share = np.divide(seg["length_m"].to_numpy(float), pipe_len, out=np.zeros(len(seg)), where=pipe_len > 0)
    share = np.where(pipe_len > 0, share, 1.0 / seg.groupby("pipe_id")["pipe_id"].transform("size").to_numpy())
    return seg["pipe_id"].map(per_pipe).fillna(0.0).to_numpy(float) * share


def weight_scale(w: np.ndarray) -> float:
    """The mean positive weight: the placement models are built on ``w / weight_scale(w)``, weights
    about 1, whatever unit the risk is given in.  On raw weights a risk given per day (1e-9 a segment)
    fell under the solver's tolerances (0 loggers said to hear 80%), and one of 1e12 made it fail."""
    positive = np.asarray(w, dtype=float)
    positive = positive[positive > 0]
    scale = float(positive.mean()) if len(positive) else 1.0
    return scale if np.isfinite(scale) and scale > 0 else 1.0


def zone_segments(coverage: Coverage, risk: pd.DataFrame) -> np.ndarray:
    """Bool per segment: True when its pipe is in the priority zone."""
    if "in_priority_zone" not in risk.columns:
        raise InputError("the risk frame lacks column 'in_priority_zone' needed for cover='zone'",
                         fr="il manque à la table des risques la colonne 'in_priority_zone', nécessaire pour "
                            "cover='zone'")
    zone = risk["pipe_id"].astype(str)[risk["in_priority_zone"].astype(bool).to_numpy()]
    return coverage.segments["pipe_id"].isin(zone).to_numpy()


def solve(model: PlacementModel, *, solver: str = "auto", time_limit_s: float | None = 60.0,
          mip_gap: float | None = 1e-4, fallback=None) -> SolveInfo:
    """Solve a built model in place (see :func:`leakopt.optimize.solve_mip`).

    ``time_limit_s`` bounds the wall time of the whole call.  A search
    stopped by a limit keeps the best solution found, reported with the
    limit's status ("time_limit", "iteration_limit", "memory_limit", ...: see
    :mod:`leakopt.optimize.solvers`) and its gap.  ``model.info`` and ``model.values``
    are set.

    Parameters
    ----------
    fallback : array-like of int, optional
        Site rows of a feasible answer (e.g. the greedy one).  HiGHS starts
        from it; when the solver stops at a limit with no better solution, it
        is the answer: status "<limit>_greedy" (e.g. "time_limit_greedy"), gap
        measured against the solver's bound when it has one.

    Raises
    ------
    SolverError
        If the model is infeasible, the solver failed, or it stopped at a
        limit without a solution and no fallback was given.
    """
    t0 = time.perf_counter()
    phase = _share_phase(model, solver, fallback, t0, time_limit_s)
    start, from_phase = None, False
    if fallback is not None:
        start = model.start_values(np.asarray(fallback, dtype=np.int64))
        if not model.mip.is_feasible(start):
            logger.info("the fallback answer does not meet the %s model's constraints: not used", model.kind,
                        extra=in_french("la réponse de repli ne respecte pas les contraintes du modèle %s : "
                                        "non utilisée"))
            start = None
    solver_start = start  # HiGHS starts from greedy's answer: it misread the phase's (see below)
    if phase is not None and phase.rows is not None:
        start, from_phase = model.start_values(phase.rows), True
    left = None if time_limit_s is None else time_limit_s - (time.perf_counter() - t0)
    proven = phase is not None and start is not None and phase.bound is not None and \
        _gap(model.mip.objective(start), phase.bound) <= (mip_gap or 0.0)
    hopeless = from_phase and left is not None and left < lagrange.WHOLE_MODEL_LP_FACTOR * phase.first_lp_s
    if proven or hopeless or (left is not None and left < 0.05 and start is not None):
        status = "optimal" if proven else "feasible" if hopeless else "time_limit"
        result = MipResult(info=SolveInfo(solver="highs" if phase is not None else "none", status=status,
                                          objective=model.mip.objective(start), mip_gap=None, solve_seconds=0.0),
                           values=start)
    else:
        # HiGHS 1.16 took the phase's answer (30,000 pipes, 1,196 loggers) as 1,162 "in the reduced space"
        # and stopped "optimal" at once; from greedy's answer it searched and found 1,194.  The phase's
        # answer is kept below when HiGHS ends with nothing better.
        result = solve_mip(model.mip, solver=solver, time_limit_s=None if left is None else max(left, 0.05),
                           mip_gap=mip_gap, start=solver_start)
        if from_phase and result.values is not None and not _better(model, result.info, start) \
                and stop_reason(result.info.status) is None and result.info.status != "optimal":
            result = MipResult(info=dataclasses.replace(result.info, objective=model.mip.objective(start)),
                               values=start)
    info, model.values = result.info, result.values
    reason = stop_reason(info.status)  # the limit that stopped the search, if one did
    if fallback is not None and reason:
        info = _with_greedy_bound(model, info, np.asarray(fallback, dtype=np.int64))
    if phase is not None and phase.bound is not None and (proven or info.status != "optimal"):
        info = _with_bound(model, info, phase.bound, "lagrangian")  # proven, often the tightest
    if start is not None and reason and not _better(model, info, start):
        info = _use_fallback(model, info, start, reason, greedy=not from_phase)
    if reason and info.mip_gap is not None and info.mip_gap <= (mip_gap or 0.0):
        info = dataclasses.replace(info, status="optimal")  # stopped early, but the bound proves it
    model.info = dataclasses.replace(info, solve_seconds=time.perf_counter() - t0)
    if not (info.has_solution or info.status.endswith("_greedy")):
        raise SolverError(f"logger placement ({model.kind} model) ended with status {info.status!r} "
                          f"using {info.solver}: {_hint(info.status, reason)}")
    return model.info


def drop_idle_sites(model: PlacementModel) -> int:
    """Budget model, solved: take away the loggers that hear nothing the others do not already hear.

    A logger budget is a ceiling; a budget above what the network needs let the solver place every
    candidate at no loss.  The least-heard loggers go first; the covered weight stays the same
    (``model.values`` and ``model.info.objective`` are updated).  Not for pressure sensors, whose
    number the user sets and whose extra sensors still tell leaks apart.  Returns the number taken
    away (none when user constraints could need them).
    """
    if model.kind != "budget" or model.values is None or model.constrained:
        return 0
    g = model.groups
    n_sites = model.coverage.matrix.shape[0]
    chosen = np.zeros(n_sites, dtype=bool)
    chosen[model.site_rows[model.values[:len(model.site_rows)] > 0.5]] = True
    owner = np.repeat(np.arange(g.n), np.diff(g.indptr))        # the group of each (group, site) pair
    counts = np.bincount(owner, weights=chosen[g.indices], minlength=g.n)
    by_site = pd.Series(owner).groupby(g.indices).apply(np.asarray)   # groups each site hears
    heard = {row: g.weight[groups].sum() for row, groups in by_site.items()}
    keep = set(required_rows(model.coverage, model.required).tolist())
    dropped = 0
    for row in sorted(np.flatnonzero(chosen), key=lambda r: heard.get(r, 0.0)):
        groups = by_site.get(row, np.empty(0, dtype=np.int64))
        if row in keep or ((counts[groups] >= g.need[groups]) & (counts[groups] - 1 < g.need[groups])).any():
            continue
        chosen[row], dropped = False, dropped + 1
        counts[groups] -= 1
    if dropped:
        logger.info("budget model: %d loggers heard nothing the others did not; taken away", dropped,
                    extra=in_french("modèle de budget : %d prélocalisateurs n’entendaient rien que les autres "
                                    "n’entendent pas ; retirés"))
        model.values = model.start_values(np.flatnonzero(chosen))
        model.info = dataclasses.replace(model.info, objective=model.mip.objective(model.values))
    return dropped


def _share_phase(model: PlacementModel, solver: str, fallback, t0: float,
                 time_limit_s: float | None) -> ShareBound | None:
    """The Lagrangian bound and LP-guided answer of a large share model (:mod:`.lagrange`), or None."""
    if fallback is None or len(fallback) == 0 or resolve_solver(solver) != "highs" or not lagrange.applies(model):
        return None
    limit = lagrange.LAGRANGE_DEFAULT_S if time_limit_s is None else time_limit_s
    phase = lagrange.lagrangian_phase(model, np.asarray(fallback, dtype=np.int64), deadline=t0 + 0.4 * limit,
                                      sub_deadline=t0 + 0.7 * limit)
    logger.info("share model, Lagrangian phase (highs LP): bound %s, answer %s loggers, %d LP solves, %.1f s",
                phase.bound, None if phase.rows is None else len(phase.rows), phase.lp_solves, phase.seconds,
                extra=in_french("modèle de part, phase lagrangienne (PL highs) : borne %s, réponse %s "
                                "prélocalisateurs, %d résolutions du PL, %.1f s"))
    return phase


def _gap(objective: float, bound: float) -> float:
    return float(min(1.0, abs(objective - bound) / max(abs(objective), 1e-9)))


def _with_bound(model: PlacementModel, info: SolveInfo, bound: float, source: str) -> SolveInfo:
    """``info`` with the better of its bound and ``bound`` (both proven; ``source`` proved it), and the gap."""
    better = info.best_bound is None or (bound < info.best_bound if model.mip.sense == "max"
                                         else bound > info.best_bound)
    if not better:
        return info
    gap = None if info.objective is None else _gap(info.objective, bound)
    return dataclasses.replace(info, best_bound=float(bound), mip_gap=gap, bound_source=source)


def _hint(status: str, reason: str | None) -> str:
    """What to try after a solve that gave no placement."""
    if reason == "time_limit":
        return "raise time_limit_s"
    if reason:
        return f"the solver stopped at its {reason.replace('_', ' ')} before finding a placement"
    if status.startswith(("infeasible", "unbounded")):
        return "check required sites against the budget, or lower the target"
    return "the solver failed on this model; try solver='cbc'"


def _with_greedy_bound(model: PlacementModel, info: SolveInfo, rows: np.ndarray) -> SolveInfo:
    """Tighten the solver's bound with the submodularity bound of the greedy answer.

    Used when the solver stops early; valid for redundancy 1 and one logger
    per unit of cost (see :func:`leakopt.placement.greedy.budget_bound`).
    """

    x_cost = model.mip.arrays()["cost"][: len(model.site_rows)]
    if model.redundancy != 1 or (model.kind != "budget" and not np.all(x_cost == 1.0)):
        return info
    w = np.where(model.need > 0, model.weights, 0.0)
    if model.kind == "budget":
        bound = budget_bound(model.coverage, w, rows, int(model.budget))
    else:
        target = w.sum() if model.kind == "cover" else model.target_share * model.weights.sum()
        bound = float(count_bound(model.coverage, w, rows, target))
    return _with_bound(model, info, bound, "greedy")


def _better(model: PlacementModel, info: SolveInfo, start: np.ndarray) -> bool:
    """True if the solver's time-limited incumbent beats the start (fallback) solution."""
    if info.objective is None:
        return False
    value = model.mip.objective(start)
    return info.objective > value + 1e-9 if model.mip.sense == "max" else info.objective < value - 1e-9


def _use_fallback(model: PlacementModel, info: SolveInfo, start: np.ndarray, reason: str, *,
                  greedy: bool = True) -> SolveInfo:
    """Report the start answer, with its gap against the best bound.

    ``reason``: the limit that stopped the solver; the status is ``"<reason>_greedy"`` for the
    greedy answer, ``reason`` for the Lagrangian phase's answer (the best found).
    """
    model.values = start
    objective = model.mip.objective(start)
    gap = None
    if info.best_bound is not None and objective != 0:
        gap = float(min(1.0, abs(objective - info.best_bound) / abs(objective)))
    source = "greedy" if greedy else "Lagrangian phase's"
    logger.warning("%s stopped at its %s with no better solution than the %s one: reporting it "
                   "(%d sites, gap %s)", info.solver, reason.replace("_", " "), source, len(model.selected()), gap,
                   extra=in_french("%s s’est arrêté à sa %s sans meilleure solution que celle %s : elle est "
                                   "retenue (%d sites, écart %s)", info.solver,
                                   LIMITS_FR.get(reason, reason.replace("_", " ")),
                                   "de la méthode gloutonne" if greedy else "de la phase lagrangienne",
                                   len(model.selected()), "inconnu" if gap is None else gap))
    return dataclasses.replace(info, status=f"{reason}_greedy" if greedy else reason, objective=objective, mip_gap=gap)


def place_sensors(coverage: Coverage, risk: pd.DataFrame, *, target_share: float | None = None,
                  budget: int | None = None, redundancy: int | None = None, solver: str | None = None,
                  config: PlacementConfig | None = None, required: Sequence[str] | None = None,
                  cost: pd.Series | None = None) -> Placement:
    """Place loggers: the exact optimum, the whole-network count and the greedy answer.

    Parameters
    ----------
    coverage : Coverage
        From :func:`leakopt.placement.coverage.build_coverage`.
    risk : DataFrame
        ``risk.csv`` rows: ``pipe_id``, ``expected_leaks_per_year`` (and
        ``in_priority_zone`` for ``cover="zone"``).
    target_share, budget, redundancy, solver : optional
        Override the config's values (None: use ``config``).  ``budget`` wins over
        ``target_share``.
    config : PlacementConfig, optional
    required, cost : optional
        See :func:`build_model`.

    Returns
    -------
    Placement
    """
    cfg = config or PlacementConfig()
    budget = budget if budget is not None else cfg.budget
    share = None if budget is not None else (target_share if target_share is not None else cfg.target_share)
    r = int(redundancy if redundancy is not None else cfg.redundancy)
    solver = solver or cfg.solver
    w = segment_weights(coverage, risk, column=cfg.weight_column)
    zone = zone_segments(coverage, risk) if "in_priority_zone" in risk.columns else None
    model_w, model_share = w, share
    zone_cover = cfg.cover == "zone" and budget is None and target_share is None
    if zone_cover:
        if zone is None:
            raise InputError("cover='zone' needs the risk column 'in_priority_zone'",
                             fr="cover='zone' nécessite la colonne 'in_priority_zone' dans la table des risques")
        model_w, model_share = zone * coverage.segments["length_m"].to_numpy(float), None
    asked = model_share
    model_share = _reachable_share(coverage, model_w, model_share, r)
    scale = weight_scale(model_w)
    model_w = model_w / scale     # the solver's units (weight_scale); shares are the same
    model = build_model(coverage, model_w, target_share=model_share, budget=budget, redundancy=r,
                        required=required, cost=cost)
    greedy = greedy_cover(coverage, model_w, target_share=model_share, budget=budget, redundancy=r,
                          required=required, cost=cost, prune=True)
    solve(model, solver=solver, time_limit_s=cfg.time_limit_s, mip_gap=cfg.mip_gap,
          fallback=greedy)
    drop_idle_sites(model)
    fewest = _fewest_for_all(model, coverage, model_w, solver, cfg) if cost is None else None
    if fewest is not None:
        model = fewest
    # the fewest that hear every heard segment with weight is the whole network's cover when every heard
    # segment has weight: not solved twice
    same = fewest is not None and r == 1 and bool((model_w[coverage.hearing_count > 0] > 0).all())
    full = (fewest if same else _full_network(coverage, r, required, cost, solver, cfg)) if cfg.full_network \
        else None
    if model.kind == "budget":   # its objective and bound are weights heard: back in the risk's units
        model.info = dataclasses.replace(model.info, **{k: None if v is None else v * scale for k, v in (
            ("objective", model.info.objective), ("best_bound", model.info.best_bound))})
    placement = summarize(model, weights=w, zone=zone, full=full, greedy=greedy)
    if fewest is not None:   # still the answer to a budget: the fewest loggers that hear what it can hear
        placement.summary.update(model="budget", budget=int(budget))
    placement.summary.update(unscored_pipes(coverage, risk))
    reached = placement.summary["covered_risk_share" if r == 1 else "redundant_risk_share"]
    placement.summary.update(target_share=asked, model="zone" if zone_cover else placement.summary["model"],
                             target_met=None if asked is None else bool(reached >= asked - 1e-9))
    return placement


def _fewest_for_all(model: PlacementModel, coverage: Coverage, w: np.ndarray, solver, cfg) -> PlacementModel | None:
    """A budget that hears every weighted segment the sites can reach: the fewest loggers that do.

    Taking idle loggers away (:func:`drop_idle_sites`) leaves a cover, not the smallest one: a budget
    of 3,000 then placed more loggers than covering the whole network takes.  The cover model over
    the same weights gives the fewest; None when the budget hears less than all it can reach, when
    user constraints apply or when the cover model does not need fewer loggers.
    """
    if model.kind != "budget" or model.values is None or model.constrained or model.redundancy != 1:
        return None
    rows = model.selected()
    reachable = float(w[coverage.hearing_count > 0].sum())
    if reachable <= 0 or heard_weight(coverage, w, rows) < reachable * (1 - 1e-9):
        return None
    required = list(model.required) or None
    cover = build_model(coverage, w, required=required)
    fallback = greedy_cover(coverage, w, required=required, prune=True)
    solve(cover, solver=solver, time_limit_s=cfg.time_limit_s, mip_gap=cfg.mip_gap, fallback=fallback)
    if cover.values is None or len(cover.selected()) >= len(rows):
        return None
    return cover


def _full_network(coverage, r, required, cost, solver, cfg) -> PlacementModel:
    """The cover model over every segment any site hears (same redundancy)."""
    weights = np.ones(len(coverage.segments))
    full = build_model(coverage, weights, redundancy=r, required=required, cost=cost)
    fallback = greedy_cover(coverage, weights, redundancy=r, required=required, cost=cost, prune=True)
    solve(full, solver=solver, time_limit_s=cfg.time_limit_s, mip_gap=cfg.mip_gap, fallback=fallback)
    return full


def _reachable_share(coverage: Coverage, w: np.ndarray, share: float | None, r: int) -> float | None:
    """The target, or None (cover all that can be heard, with a warning) when out of reach."""
    if share is None or w.sum() <= 0:
        return share
    best = float(w[np.minimum(r, coverage.hearing_count) > 0].sum() / w.sum())
    if share > best:
        logger.warning("target_share %.3f cannot be met: the candidate sites hear at most %.3f of the "
                       "expected leaks (segments out of range of every site); covering all it hears instead",
                       share, best,
                       extra=in_french("target_share %.3f ne peut pas être atteint : les sites candidats entendent "
                                       "au plus %.3f des fuites attendues (des secteurs sont hors de portée de tout "
                                       "site) ; ils couvrent à la place tout ce qu’ils entendent"))
        return None  # the cover model: every weighted segment any site hears
    return share



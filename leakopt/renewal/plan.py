"""Renewal planning: which pipes to replace in each of the next years, under a budget.

The plan maximises the expected leaks avoided over the planning horizon
(``objective = "leaks"``), or, with ``objective = "risk"``, the
consequence-weighted expected leaks avoided: each leak avoided counts its
pipe's consequence of failure (:mod:`leakopt.consequence`), so a main whose
break cuts off a district weighs more than a service street.  A
pipe renewed in year ``t`` (1 = first year of the plan) of an ``N``-year horizon
avoids ``(expected_leaks_per_year - residual) * (N - t + 1)`` leaks, where the
residual is what the new pipe still leaks (``residual_leaks_per_km_year`` times
its length).  Pipes are renewed in *work sites*: by default the pipes in series
between two junctions (segments of one street main split at valves or
material changes, found from the network topology), and pipes sharing a value
of ``group_column`` (e.g. a street name) when configured.  A work site is
renewed whole, in one year, or not at all.

The model is an integer programme (PuLP, solved by HiGHS, CBC fallback, via
:mod:`leakopt.optimize.solvers`)::

    maximise   sum_{s,t} benefit_s * w_t * x[s,t]
    subject to sum_t x[s,t] <= 1                       each site at most once
               sum_s cost_s * x[s,t] <= budget          each year t
               sum_s length_s * x[s,t] >= rate * L      each year t (optional)

Costs
-----
Cost per metre grows with diameter: linear interpolation in
:data:`DEFAULT_COST_TABLE` (EUR/m, open-trench replacement including
reinstatement, French urban averages of the 2020s; replace with your own
figures).  Amounts are in ``currency`` (default "EUR"): nothing is converted,
so a plan in another currency needs its own costs (a warning says so, and
``renewal.json``'s ``cost_source`` is "default_table").  The default yearly budget renews about 1 % of the network's
replacement value a year (``budget_share_of_value=0.01``), the renewal rate
French and European utilities aim for.

Large networks
--------------
The integer programme keeps at most ``max_candidates`` work sites: those with
the most leaks avoided per euro, enough to cost ``candidate_budget_factor``
times the whole horizon's budget (plus the cheapest metres when a minimum
renewal rate needs them).  The summary says when this preselection happened.
When more sites than that are worth considering, the plan is built one year
at a time (``method`` "year_by_year"): each year's choice is exact, but the
plan as a whole is not proven optimal, so its status is "feasible" (with the
status of each year's solve) and ``optimal`` is False.

Staged use (add your own constraints between stages)::

    pipes = prepare_pipes(risk, config=cfg, adjacency=adj)
    sites = site_table(pipes)
    model = build_model(select_candidates(sites, budget=b, config=cfg), budget=b, config=cfg)
    info = solve_problem(model.problem)        # leakopt.optimize.solvers
    years = model.chosen_years()               # site_id -> year index
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from leakopt.errors import InputError, SolverError
from leakopt.i18n import in_french
from leakopt.optimize import SolveInfo, solve_problem
from leakopt.renewal.config import RenewalConfig
from leakopt.renewal.sites import (
    PAST_LEAK_COLUMNS,
    annual_budget,
    check_min_rate,
    cost_source,
    min_length,
    prepare_pipes,
    site_table,
    warn_default_costs,
)
from leakopt.schema import Progress, silent

logger = logging.getLogger(__name__)

RULES = ("oldest_first", "most_leaks_first")

#: The summary key of what each objective maximises, and its unit in words.
_AVOIDED = {"leaks": "leaks_avoided", "risk": "risk_avoided"}
_UNITS = {"leaks": "expected leaks avoided",
          "risk": "consequence-weighted expected leaks avoided (each leak times its pipe's consequence)"}


@dataclass(frozen=True)
class RenewalPlan:
    """A renewal plan and its summary.

    Attributes
    ----------
    plan : DataFrame
        One row per renewed pipe: ``year`` (calendar), ``pipe_id``, ``site_id``,
        ``length_m``, ``diameter_mm``, ``material``, ``install_year``, ``cost``
        (in ``currency``), ``expected_leaks_per_year``, ``leaks_avoided_per_year``,
        ``leaks_avoided`` (over the rest of the horizon), and when the risk
        frame has a ``consequence``: ``consequence``, ``risk_avoided``
        (``leaks_avoided`` times the consequence).  ``renewal_plan.csv``.
    summary : dict
        ``renewal.json``: ``objective`` ("leaks" or "risk") and ``objective_unit``; ``currency`` (ISO 4217
        code of every amount, whatever the "_eur" of the keys' names) and ``cost_source`` (:func:`cost_source`);
        budget, totals (``leaks_avoided``, and ``risk_avoided``: None without
        consequences), per-year figures, comparison with the
        rules (``ratio``: in the objective's unit), solver information: ``method`` ("horizon": one model over the
        whole horizon; "year_by_year": one model a year), ``optimal`` (True
        only for a horizon model solved to optimality, within ``mip_gap``),
        ``solver`` (:meth:`SolveInfo.to_dict`, plus ``per_year``: each
        year's ``year``, ``solver``, ``status``, ``mip_gap``,
        ``solve_seconds`` for the year-by-year method).
    solve : SolveInfo or None
        None for a rule plan.  Status "feasible" for a year-by-year plan.
    """

    plan: pd.DataFrame
    summary: dict
    solve: Any = None


@dataclass(frozen=True)
class RenewalModel:
    """The integer programme of :func:`build_model`, before or after solving."""

    problem: Any
    x: dict = field(repr=False)
    sites: pd.DataFrame = field(repr=False)
    budget: float = 0.0

    def chosen_years(self) -> pd.Series:
        """Year index (1..N) of each chosen site after solving, indexed by ``site_id``."""
        chosen = {s: t for (s, t), var in self.x.items() if (var.value() or 0) > 0.5}
        return pd.Series(chosen, dtype="int64", name="year_index").rename_axis("site_id")


# --- the integer programme ------------------------------------------------------------------

def select_candidates(sites: pd.DataFrame, *, budget: float, config: RenewalConfig | None = None,
                      min_length_m: float = 0.0, years: int | None = None) -> pd.DataFrame:
    """The work sites worth considering over ``years`` (default the horizon).

    Sites that cost more than one year's budget are dropped, and so are sites
    that avoid nothing (unless a minimum renewal rate may need their metres).
    The rest are ranked by leaks avoided per euro and kept until they cost
    ``candidate_budget_factor`` times the budget of ``years`` years, topped up
    with the cheapest metres when a minimum renewal rate needs them.
    """
    cfg = config or RenewalConfig()
    years = cfg.horizon_years if years is None else years
    fit = sites[sites["cost"] <= budget]
    if min_length_m <= 0:
        fit = fit[fit["benefit"] > 0]
    by_ratio = fit.sort_values(["ratio", "site_id"], ascending=[False, True])
    spend = by_ratio["cost"].cumsum().to_numpy()
    keep = by_ratio.iloc[:int(np.searchsorted(spend, cfg.candidate_budget_factor * budget * years)) + 1]
    if min_length_m > 0:
        rest = fit[~fit["site_id"].isin(keep["site_id"])]
        rest = rest.assign(_cpm=rest["cost"] / rest["length_m"]).sort_values("_cpm")
        short = cfg.candidate_budget_factor * min_length_m * years - keep["length_m"].sum()
        if short > 0:
            n_add = int(np.searchsorted(rest["length_m"].cumsum().to_numpy(), short)) + 1
            keep = pd.concat([keep, rest.iloc[:n_add].drop(columns="_cpm")])
    return keep.sort_values("site_id").reset_index(drop=True)


def nothing_to_renew(pipes: pd.DataFrame, sites: pd.DataFrame, *, budget: float, config: RenewalConfig) -> dict:
    """Why no work site is worth considering (:func:`select_candidates` kept none): every site costs more
    than one year's budget (``over_budget``, with the cheapest site's cost), or none avoids anything, as no
    pipe leaks more than a new one would (``no_benefit``, with the highest rate found and the new pipes')."""
    if len(sites) and not (sites["cost"] <= budget).any():
        return {"reason": "over_budget", "cheapest_site_eur": round(float(sites["cost"].min()), 2),
                "budget_per_year_eur": round(float(budget), 2)}
    km = np.maximum(pipes["length_m"].to_numpy(dtype=float) / 1000.0, 1e-9)
    rate = pipes["expected_leaks_per_year"].to_numpy(dtype=float) / km if len(pipes) else np.zeros(1)
    return {"reason": "no_benefit", "highest_leaks_per_km_year": round(float(np.nanmax(rate)), 4),
            "residual_leaks_per_km_year": float(config.residual_leaks_per_km_year)}


def build_model(candidates: pd.DataFrame, *, budget: float, config: RenewalConfig | None = None,
                min_length_m: float = 0.0) -> RenewalModel:
    """The renewal integer programme over ``candidates`` (a :func:`site_table` frame)."""
    import pulp

    cfg = config or RenewalConfig()
    weights = cfg.year_weights()
    years = range(1, cfg.horizon_years + 1)
    prob = pulp.LpProblem("renewal", pulp.LpMaximize)
    sid = candidates["site_id"].to_numpy()
    benefit = candidates["benefit"].to_numpy(dtype=float)
    cost = candidates["cost"].to_numpy(dtype=float)
    length = candidates["length_m"].to_numpy(dtype=float)
    x = {(int(s), t): pulp.LpVariable(f"x_{int(s)}_{t}", cat="Binary") for s in sid for t in years}
    prob += pulp.LpAffineExpression(
        [(x[int(s), t], float(b * weights[t - 1])) for s, b in zip(sid, benefit) for t in years])
    scale = max(budget, 1.0)   # costs in budget units keep the rows well scaled
    for t in years:
        prob += (pulp.LpAffineExpression([(x[int(s), t], float(c / scale)) for s, c in zip(sid, cost)])
                 <= budget / scale, f"budget_{t}")
        if min_length_m > 0:
            prob += (pulp.LpAffineExpression([(x[int(s), t], float(v / 1000)) for s, v in zip(sid, length)])
                     >= min_length_m / 1000, f"min_rate_{t}")
    for s in sid:
        prob += pulp.lpSum(x[int(s), t] for t in years) <= 1, f"once_{int(s)}"
    return RenewalModel(problem=prob, x=x, sites=candidates, budget=budget)


# --- the rules utilities use today ----------------------------------------------------------

def _rule_order(sites: pd.DataFrame, rule: str) -> pd.DataFrame:
    if rule == "oldest_first":
        if sites["install_year"].isna().all():
            raise InputError("rule 'oldest_first' needs an install_year column in the risk frame",
                             fr="la règle 'oldest_first' a besoin d’une colonne install_year dans la table des "
                                "risques")
        return sites.sort_values(["install_year", "site_id"], na_position="last")
    if rule == "most_leaks_first":
        if sites["past_leaks"].isna().all():
            raise InputError("rule 'most_leaks_first' needs a past-leak count column in the risk frame "
                             f"(one of {list(PAST_LEAK_COLUMNS)}, or set [renewal] past_leaks_column)",
                             fr="la règle 'most_leaks_first' a besoin d’une colonne du nombre de fuites passées "
                                f"dans la table des risques (l’une de {list(PAST_LEAK_COLUMNS)}, ou réglez "
                                "[renewal] past_leaks_column)")
        if not (sites["past_leaks"].fillna(0) > 0).any():
            raise InputError("rule 'most_leaks_first' has no past leak to rank by: the leak history is empty",
                             fr="la règle 'most_leaks_first' n’a aucune fuite passée sur laquelle classer les "
                                "conduites : l’historique des fuites est vide")
        per_km = sites["past_leaks"] / sites["length_m"]
        return (sites.assign(_per_km=per_km)
                .sort_values(["past_leaks", "_per_km", "site_id"], ascending=[False, False, True],
                             na_position="last").drop(columns="_per_km"))
    raise InputError(f"rule={rule!r}; expected one of {list(RULES)}",
                     fr=f"rule={rule!r} ; valeur attendue : l’une des valeurs {list(RULES)}")


def first_fit_years(cost: np.ndarray, *, budget: float, years: int) -> np.ndarray:
    """Year index (1..years, 0 = not renewed) of items taken in list order.

    Each year takes the items in order whose cost still fits its budget,
    skipping those that do not (they stay first in line for the next year).
    """
    cost = np.asarray(cost, float)
    out = np.zeros(len(cost), dtype=np.int64)
    for t in range(1, years + 1):
        left = budget
        while True:
            open_ = np.flatnonzero((out == 0) & (cost <= left))
            if not len(open_):
                break
            run = open_[np.cumsum(cost[open_]) <= left]   # in-order items that fit together
            out[run] = t
            left -= cost[run].sum()
    return out


def rule_plan(risk: pd.DataFrame, rule: str = "oldest_first", *, config: RenewalConfig | None = None,
              adjacency: pd.DataFrame | None = None, leaks: pd.DataFrame | None = None,
              as_of=None) -> RenewalPlan:
    """The plan a simple rule gives at the same budget, for comparison.

    Parameters
    ----------
    rule : {"oldest_first", "most_leaks_first"}
        Oldest pipes first (length-weighted install year of the work site), or
        most past leaks first (ties: most past leaks per km).
    adjacency, leaks, as_of
        As for :func:`plan_renewal`.

    Returns
    -------
    RenewalPlan
        Leaks avoided are measured with the same expected leak rates as the
        optimised plan.
    """
    cfg = config or RenewalConfig()
    pipes = prepare_pipes(risk, config=cfg, adjacency=adjacency, leaks=leaks)
    sites = site_table(pipes)
    budget, _ = annual_budget(pipes, config=cfg)
    return _rule_plan(pipes, sites, rule, budget=budget, config=cfg, as_of=as_of)


def _rule_plan(pipes, sites, rule, *, budget, config, as_of) -> RenewalPlan:
    ordered = _rule_order(sites, rule)
    years = first_fit_years(ordered["cost"].to_numpy(), budget=budget, years=config.horizon_years)
    chosen = pd.Series(years, index=ordered["site_id"].to_numpy())
    plan = _plan_frame(pipes, chosen[chosen > 0], config=config, as_of=as_of)
    first = _first_year(config, as_of)
    totals = _totals(plan, pipes, budget, years=range(first, first + config.horizon_years))
    return RenewalPlan(plan=plan, summary={"rule": rule, "budget_per_year_eur": round(budget, 2), **totals})


# --- results --------------------------------------------------------------------------------

def _first_year(config: RenewalConfig, as_of) -> int:
    if config.start_year is not None:
        return int(config.start_year)
    base = pd.Timestamp(as_of).year if as_of is not None else dt.date.today().year
    return int(base) + 1


def _plan_frame(pipes: pd.DataFrame, site_years: pd.Series, *, config: RenewalConfig, as_of) -> pd.DataFrame:
    year_index = pipes["site_id"].map(site_years)
    chosen = pipes[year_index.notna()].assign(_t=year_index[year_index.notna()].astype(int))
    weights = config.year_weights()
    plan = pd.DataFrame({
        "year": _first_year(config, as_of) + chosen["_t"] - 1,
        "pipe_id": chosen["pipe_id"], "site_id": chosen["site_id"],
        "length_m": chosen["length_m"], "diameter_mm": chosen["diameter_mm"],
        "material": chosen["material"], "install_year": chosen["install_year"],
        "cost": chosen["cost"].round(2),
        "expected_leaks_per_year": chosen["expected_leaks_per_year"],
        "leaks_avoided_per_year": chosen["leaks_avoided_per_year"],
        "leaks_avoided": chosen["leaks_avoided_per_year"] * weights[chosen["_t"].to_numpy() - 1],
    })
    if pipes["consequence"].notna().any():
        plan["consequence"] = chosen["consequence"]
        plan["risk_avoided"] = plan["leaks_avoided"] * chosen["consequence"]
    return plan.sort_values(["year", "leaks_avoided", "pipe_id"], ascending=[True, False, True],
                            ignore_index=True)


def _totals(plan: pd.DataFrame, pipes: pd.DataFrame, budget: float, *, years) -> dict:
    total_len = float(pipes["length_m"].sum())
    by_year = (plan.groupby("year").agg(cost=("cost", "sum"), length_m=("length_m", "sum"),
                                        n_pipes=("pipe_id", "size"), leaks_avoided=("leaks_avoided", "sum"))
               .reindex(list(years), fill_value=0))
    risk = round(float(plan["risk_avoided"].sum()), 6) if "risk_avoided" in plan else None
    return {
        "total_cost_eur": round(float(plan["cost"].sum()), 2),
        "leaks_avoided": round(float(plan["leaks_avoided"].sum()), 6),
        "risk_avoided": risk,
        "leaks_avoided_per_year_once_done": round(float(plan["leaks_avoided_per_year"].sum()), 6),
        "km_renewed": round(float(plan["length_m"].sum()) / 1000, 3),
        "n_pipes": int(len(plan)),
        "by_year": [{"year": int(y), "cost_eur": round(float(r.cost), 2),
                     "km_renewed": round(float(r.length_m) / 1000, 3), "n_pipes": int(r.n_pipes),
                     "leaks_avoided": round(float(r.leaks_avoided), 4),
                     "renewal_rate_pct": round(100 * float(r.length_m) / max(total_len, 1e-9), 3),
                     "budget_used_share": round(float(r.cost) / budget, 4)}
                    for y, r in by_year.iterrows()],
    }


def plan_renewal(risk: pd.DataFrame, *, config: RenewalConfig | None = None,
                 adjacency: pd.DataFrame | None = None, leaks: pd.DataFrame | None = None,
                 as_of=None, progress: Progress | None = None) -> RenewalPlan:
    """Choose the pipes to renew each year to avoid the most expected leaks.

    Parameters
    ----------
    risk : DataFrame
        One row per pipe: ``pipe_id``, ``expected_leaks_per_year``,
        ``length_m``, ``diameter_mm``, and for the rule comparison
        ``install_year`` and a past-leak count (see :data:`PAST_LEAK_COLUMNS`);
        e.g. ``risk.csv``.
    config : RenewalConfig, optional
    adjacency : DataFrame, optional
        ``pipe_id``, ``start_node``, ``end_node`` of the network's pipes, to
        group pipes in series into work sites.
    leaks : DataFrame, optional
        Past leaks (``pipe_id`` per row), counted per pipe for the
        "most_leaks_first" rule when ``risk`` has no count column.
    as_of : date, optional
        Forecast date; the plan starts the year after (unless
        ``config.start_year`` is set).
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): the three steps, or the years when
        the plan is solved year by year.

    Returns
    -------
    RenewalPlan
        ``plan`` (``renewal_plan.csv``) and ``summary`` (``renewal.json``).

    Raises
    ------
    InputError
        On missing columns or an unreachable minimum renewal rate.
    SolverError
        If the solver finds no feasible plan.
    """
    cfg = config or RenewalConfig()
    progress = progress or silent
    progress("costs and work sites", 0, 3)
    pipes = prepare_pipes(risk, config=cfg, adjacency=adjacency, leaks=leaks)
    sites = site_table(pipes)
    budget, basis = annual_budget(pipes, config=cfg)
    min_len = min_length(pipes, cfg)
    check_min_rate(sites, budget=budget, min_length_m=min_len, years=cfg.horizon_years, currency=cfg.currency)
    warn_default_costs(cfg)
    candidates = select_candidates(sites, budget=budget, config=cfg, min_length_m=min_len)
    progress(f"integer programme over {len(candidates):,} work sites", 1, 3)
    per_year = None
    if len(candidates) <= cfg.max_candidates:
        site_years, info = _solve_horizon(candidates, budget=budget, config=cfg, min_length_m=min_len)
        method = "horizon"
    else:
        site_years, info, per_year = _solve_year_by_year(sites, budget=budget, config=cfg, min_length_m=min_len,
                                                         progress=progress)
        method = "year_by_year"
    progress("comparing with the usual rules", 2, 3)
    plan = _plan_frame(pipes, site_years, config=cfg, as_of=as_of)
    summary = _summary(plan, pipes, sites, budget=budget, basis=basis, config=cfg, as_of=as_of)
    summary.update(_how_solved(method, info, per_year, first_year=_first_year(cfg, as_of)))
    summary["n_candidate_sites"] = int(len(candidates))
    if candidates.empty:
        summary["nothing_to_renew"] = nothing_to_renew(pipes, sites, budget=budget, config=cfg)
    summary["rules"] = _compare_rules(pipes, sites, summary[_AVOIDED[cfg.objective]], budget=budget,
                                      config=cfg, as_of=as_of)
    progress("plan made", 3, 3)
    return RenewalPlan(plan=plan, summary=summary, solve=info)


def _how_solved(method: str, info, per_year, *, first_year: int) -> dict:
    """``method``, ``optimal`` (only a horizon model solved to optimality) and ``solver`` of the summary."""
    solver = info.to_dict()
    if per_year is not None:
        solver["per_year"] = [{"year": first_year + t, "solver": i.solver, "status": i.status,
                               "mip_gap": i.mip_gap, "solve_seconds": i.solve_seconds}
                              for t, i in enumerate(per_year)]
    return {"method": method, "optimal": method == "horizon" and info.status == "optimal", "solver": solver}


def _solve_horizon(candidates, *, budget, config, min_length_m):
    """One integer programme over the whole horizon: the exact plan."""
    model = build_model(candidates, budget=budget, config=config, min_length_m=min_length_m)
    info = solve_problem(model.problem, solver=config.solver, time_limit_s=config.time_limit_s,
                         mip_gap=config.mip_gap)
    _check_solved(info, budget, config)
    return model.chosen_years(), info


def _solve_year_by_year(sites, *, budget, config, min_length_m, progress):
    """Large networks: each year, the best ``max_candidates`` remaining sites, one knapsack a year.

    Later years only see what earlier years left, so sites are not reshuffled
    between years; within a year the choice is exact (to the MIP gap), but
    the plan as a whole is not proven optimal.  Returns the site years, a
    :class:`SolveInfo` with status "feasible" (no gap: none is known for the
    whole plan) and the list of each year's :class:`SolveInfo`.
    """

    one_year = replace(config, horizon_years=1, risk_growth_per_year=0.0)
    chosen, infos, left = [], [], sites
    for t in range(1, config.horizon_years + 1):
        cands = select_candidates(left, budget=budget, config=one_year, min_length_m=min_length_m)
        cands = cands.nlargest(config.max_candidates, "ratio") if len(cands) > config.max_candidates else cands
        model = build_model(cands, budget=budget, config=one_year, min_length_m=min_length_m)
        info = solve_problem(model.problem, solver=config.solver, time_limit_s=config.time_limit_s,
                             mip_gap=config.mip_gap)
        _check_solved(info, budget, config)
        year = model.chosen_years().index.to_numpy()
        chosen.append(pd.Series(t, index=year))
        infos.append(info)
        left = left[~left["site_id"].isin(year)]
        progress(f"planning year by year, year {t} planned", t, config.horizon_years)
    logger.info("renewal planned one year at a time (%d candidate sites): each year exact, the plan as a "
                "whole not proven optimal; yearly statuses %s", len(sites), [i.status for i in infos],
                extra=in_french("renouvellement planifié une année à la fois (%d sites candidats) : chaque année "
                                "exacte, le plan dans son ensemble non prouvé optimal ; statuts annuels %s"))
    info = SolveInfo(solver=infos[0].solver, status="feasible", objective=None, mip_gap=None,
                     solve_seconds=sum(i.solve_seconds for i in infos))
    return pd.concat(chosen).rename_axis("site_id"), info, infos


def _check_solved(info, budget, config) -> None:
    if not info.has_solution:
        raise SolverError(f"renewal planning: the {info.solver} solver found no plan (status {info.status!r}) "
                          f"for a yearly budget of {config.currency} {budget:,.0f} and "
                          f"min_rate_pct={config.min_rate_pct}; "
                          "try a longer [renewal] time_limit_s or a lower min_rate_pct")


def _summary(plan, pipes, sites, *, budget, basis, config, as_of) -> dict:
    first = _first_year(config, as_of)
    known = pipes["consequence"].notna().any()
    return {
        "objective": config.objective,
        "objective_unit": _UNITS[config.objective],
        "years": int(config.horizon_years),
        "first_year": first,
        "last_year": first + int(config.horizon_years) - 1,
        "currency": config.currency,   # of every amount, whatever the "_eur" of the keys' names
        "cost_source": cost_source(config),
        "budget_per_year_eur": round(budget, 2),
        "budget_basis": basis,
        "budget_share_of_value": config.budget_share_of_value if basis == "share_of_value" else None,
        "replacement_value_eur": round(float(pipes["cost"].sum()), 2),
        "network_km": round(float(pipes["length_m"].sum()) / 1000, 3),
        "expected_leaks_per_year_network": round(float(pipes["expected_leaks_per_year"].sum()), 4),
        "business_risk_per_year_network": (round(float((pipes["expected_leaks_per_year"] * pipes["consequence"])
                                                       .sum()), 4) if known else None),
        **_totals(plan, pipes, budget, years=range(first, first + config.horizon_years)),
        "residual_leaks_per_km_year": config.residual_leaks_per_km_year,
        "min_rate_pct": config.min_rate_pct,
        "n_work_sites": int(len(sites)),
        "n_grouped_sites": int((sites["n_pipes"] > 1).sum()),
        "cost_table": {"diameter_mm": list(config.cost_diameters_mm),
                       "eur_per_m": list(config.cost_eur_per_m)},
    }


def _compare_rules(pipes, sites, optimised: float, *, budget, config, as_of) -> dict:
    out = {}
    for rule in RULES:
        try:
            r = _rule_plan(pipes, sites, rule, budget=budget, config=config, as_of=as_of).summary
        except InputError as exc:
            out[rule] = {"available": False, "reason": str(exc)}
            continue
        avoided = r[_AVOIDED[config.objective]]
        out[rule] = {"available": True, "leaks_avoided": r["leaks_avoided"], "risk_avoided": r["risk_avoided"],
                     "total_cost_eur": r["total_cost_eur"],
                     "km_renewed": r["km_renewed"], "n_pipes": r["n_pipes"],
                     "ratio": round(optimised / avoided, 4) if avoided > 0 else None}
    return out

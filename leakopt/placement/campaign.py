"""The logger campaign ("lift and shift"): K loggers moved from deployment to deployment.

A utility rarely owns enough loggers to listen to its whole priority zone at
once.  It lays its ``K`` loggers for a few days or weeks, lifts them, and lays
them again elsewhere, until the zone (or a share of its expected leaks) has
been listened to.  :func:`plan_campaign` orders those deployments so that the
most expected leaks are heard soonest.

Method
------
Each deployment is a maximum-coverage problem over the segments not yet heard:
its ``K`` sites are picked by the greedy of :func:`leakopt.placement.greedy_cover`
(the site that hears the most still-unheard expected leaks, then the next...),
the classical (1 - 1/e)-approximation of maximum coverage (Nemhauser, Wolsey
and Fisher, 1978).  The sequence is therefore reported with status
``"greedy"``: a good plan, not a proven optimum.

It is compared with the way campaigns are often run without optimisation,
``"risk_ranking"``: walk down the pipes in risk order (``rank`` of
``risk.csv``, 1 first) and put each logger on the site that hears the most
of the first pipe not yet heard, ``K`` per deployment.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.placement.coverage import Coverage
from leakopt.placement.greedy import budget_bound, greedy_cover
from leakopt.placement.solve import segment_weights, zone_segments
from leakopt.placement.summary import unscored_pipes

#: Columns of :attr:`Campaign.plan` (``campaign.csv``).
CAMPAIGN_COLUMNS = ("deployment", "start_day", "site", "x", "y", "node_type", "expected_leaks_heard",
                    "cumulative_share", "status")


@dataclass(frozen=True)
class CampaignConfig:
    """Settings of the logger campaign (TOML table ``[campaign]``); ``leakopt campaign``'s options override them.

    Attributes
    ----------
    loggers : int
        Loggers laid at each deployment.
    deployment_days : int
        Days each deployment listens.
    target_share : float
        Share of the scope's expected leaks to hear before the campaign ends.
    scope : {"zone", "network"}
        The priority zone, or every pipe.
    max_deployments : int
        Safety bound on the number of deployments.
    """

    loggers: int = 20
    deployment_days: int = 14
    target_share: float = 1.0
    scope: str = "zone"
    max_deployments: int = 500

    def __post_init__(self):
        _check(self.loggers, self.deployment_days, self.target_share, self.scope, self.max_deployments,
               where="[campaign] ")


@dataclass(frozen=True)
class Campaign:
    """A sequence of deployments and how fast it hears the expected leaks.

    Attributes
    ----------
    plan : DataFrame
        One row per logger per deployment (:data:`CAMPAIGN_COLUMNS`):
        ``expected_leaks_heard`` is what that logger newly hears (expected
        leaks per year on segments no earlier logger heard),
        ``cumulative_share`` the share of the scope's expected leaks heard at
        the end of its deployment, ``status`` "greedy" (never proven optimal).
    curve : DataFrame
        One row per deployment: ``deployment``, ``day_end``, ``share_greedy``,
        ``share_risk_ranking`` (cumulative shares of both methods), ``deployment_share`` (what
        the greedy deployment newly hears) and ``deployment_bound_share`` (the most any ``K``
        loggers could newly hear then, after the greedy's earlier deployments: a proven bound
        by submodularity), both as shares of the scope's expected leaks.
    summary : dict
        The ``campaign.json`` content (see :meth:`to_json`).
    """

    plan: pd.DataFrame
    curve: pd.DataFrame
    summary: dict

    def to_json(self) -> dict:
        """``status`` ("greedy"), ``method``, ``loggers``, ``deployment_days``, ``scope``,
        ``target_share``, ``n_deployments``, ``days``, ``share_heard``, ``reachable_share``,
        ``target_reached``, ``worst_deployment_gap`` (the largest ``1 - heard / bound`` over the
        deployments: how far a deployment may be from the best one given the earlier ones; the
        sequence as a whole has no such proof), ``mean_days_to_hear`` (days until an expected leak heard is heard, on
        average, weighted by expected leaks), ``deployments_to_share`` ({"0.5", "0.8"} -> deployments),
        ``share_after`` ({"1", "2", "5", "10"} -> share heard), ``risk_ranking`` (the same figures for
        the comparison), and the network pipes ``risk`` does not score (``n_pipes_not_in_risk``...,
        as in ``placement.json``)."""
        return dict(self.summary)


def plan_campaign(coverage: Coverage, risk: pd.DataFrame, *, loggers: int | None = None,
                  deployment_days: int | None = None, target_share: float | None = None, scope: str | None = None,
                  config: CampaignConfig | None = None) -> Campaign:
    """Plan the deployments of ``loggers`` loggers until ``target_share`` of the scope is heard.

    Parameters
    ----------
    coverage : Coverage
    risk : DataFrame
        ``pipe_id``, ``expected_leaks_per_year``, ``in_priority_zone`` (scope "zone"), ``rank``
        (the comparison; ``leaks_per_km_year`` order when absent).
    loggers, deployment_days, target_share, scope : optional
        Override ``config``'s (:class:`CampaignConfig`).  The campaign stops before
        ``target_share`` when no candidate site hears anything more (the rest is out of
        every site's reach), or after ``config.max_deployments``.
    config : CampaignConfig, optional

    Returns
    -------
    Campaign
    """
    config = config or CampaignConfig()
    loggers = config.loggers if loggers is None else loggers
    deployment_days = config.deployment_days if deployment_days is None else deployment_days
    target_share = config.target_share if target_share is None else target_share
    scope = config.scope if scope is None else scope
    max_deployments = config.max_deployments
    _check(loggers, deployment_days, target_share, scope, max_deployments)
    w = segment_weights(coverage, risk)
    if scope == "zone":
        w = w * zone_segments(coverage, risk)
    total = w.sum()
    if not total > 0:
        raise InputError(f"no expected leaks in the campaign's scope ({scope!r}): nothing to listen to",
                         fr=f"aucune fuite attendue dans le périmètre de la campagne ({scope!r}) : rien à écouter")
    reachable = w[coverage.hearing_count > 0].sum()
    goal = min(target_share * total, reachable) - 1e-12 * total
    bounds: list[float] = []
    greedy = _deployments(coverage, w, goal, loggers, max_deployments, _greedy_pick, bounds)
    ranked = _deployments(coverage, w, goal, loggers, max_deployments, _ranking_pick(coverage, risk))
    plan = _plan_table(coverage, greedy, total, deployment_days)
    curve = _curve(greedy, ranked, total, deployment_days)
    gains = np.array([sum(g for _, g in dep) for dep in greedy])
    bound = np.asarray(bounds[:len(greedy)], dtype=float)
    gap = np.divide(bound - gains, bound, out=np.zeros(len(gains)), where=bound > 0)
    summary = {"status": "greedy", "method": "greedy maximum coverage per deployment (1 - 1/e)",
               "loggers": int(loggers), "deployment_days": int(deployment_days), "scope": scope,
               "target_share": float(target_share), "reachable_share": float(reachable / total),
               **_figures(greedy, total, target_share, deployment_days),
               "risk_ranking": _figures(ranked, total, target_share, deployment_days),
               "worst_deployment_gap": float(np.clip(gap, 0.0, None).max()) if len(gap) else 0.0,
               **unscored_pipes(coverage, risk)}
    curve["deployment_share"] = _pad(gains / total, len(curve), np.nan)
    curve["deployment_bound_share"] = _pad(bound / total, len(curve), np.nan)
    return Campaign(plan=plan, curve=curve, summary=summary)


def _check(loggers, deployment_days, target_share, scope, max_deployments, *, where: str = "") -> None:
    if int(loggers) < 1:
        raise InputError(f"{where}loggers={loggers!r}; expected a number of loggers >= 1",
                         fr=f"{where}loggers={loggers!r} ; valeur attendue : un nombre de prélocalisateurs >= 1")
    if int(deployment_days) < 1:
        raise InputError(f"{where}deployment_days={deployment_days!r}; expected days >= 1",
                         fr=f"{where}deployment_days={deployment_days!r} ; valeur attendue : un nombre de jours >= 1")
    if not 0 < float(target_share) <= 1:
        raise InputError(f"{where}target_share={target_share!r}; expected a share in (0, 1]",
                         fr=f"{where}target_share={target_share!r} ; valeur attendue : une part comprise entre 0 "
                            "(exclu) et 1 (inclus)")
    if scope not in ("zone", "network"):
        raise InputError(f"{where}scope={scope!r}; expected 'zone' (the priority zone) or 'network'",
                         fr=f"{where}scope={scope!r} ; valeur attendue : 'zone' (la zone prioritaire) ou 'network' "
                            "(tout le réseau)")
    if int(max_deployments) < 1:
        raise InputError(f"{where}max_deployments={max_deployments!r}; expected an integer >= 1",
                         fr=f"{where}max_deployments={max_deployments!r} ; valeur attendue : un entier >= 1")


def _deployments(coverage, w, goal, k, max_deployments, pick, bounds: list | None = None):
    """Deployments as lists of (site row, expected leaks newly heard), until ``goal`` or no gain.

    ``bounds``, when given, receives for each deployment the most any ``k`` sites could newly
    hear then: the least of :func:`leakopt.placement.greedy.budget_bound` over the prefixes of
    the deployment's greedy picks (each is a valid bound).
    """
    matrix = coverage.matrix.tocsr()
    unheard = np.ones(len(w), bool)
    heard, out = 0.0, []
    while heard < goal and len(out) < max_deployments:
        rows = pick(coverage, w * unheard, k)
        if bounds is not None:
            bounds.append(min(budget_bound(coverage, w * unheard, rows[:m], k) for m in range(len(rows) + 1)))
        deployment = []
        for i in rows:
            segs = matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]
            new = float(w[segs][unheard[segs]].sum())
            unheard[segs] = False
            deployment.append((int(i), new))
        gained = sum(g for _, g in deployment)
        if gained <= 0:
            break
        heard += gained
        out.append(deployment)
    return out


def _greedy_pick(coverage, weights, k) -> np.ndarray:
    return greedy_cover(coverage, weights, budget=k)


def _ranking_pick(coverage: Coverage, risk: pd.DataFrame):
    """The comparison: loggers follow the risk ranking, one on the best site of each next unheard pipe."""
    if "rank" in risk.columns:
        order = risk.sort_values("rank", kind="stable")["pipe_id"].astype(str)
    else:
        order = risk.sort_values("leaks_per_km_year", ascending=False, kind="stable")["pipe_id"].astype(str)
    seg_pipe = coverage.segments["pipe_id"].astype(str)
    rank_of = pd.Series(np.arange(len(order)), index=order.to_numpy()).groupby(level=0).min()
    seg_rank = seg_pipe.map(rank_of).fillna(np.inf).to_numpy()
    csc = coverage.matrix.tocsc()

    def pick(cov, weights, k):
        open_ = weights > 0
        chosen, taken = [], np.zeros(len(weights), bool)
        while len(chosen) < k:
            cand = np.flatnonzero(open_ & ~taken & np.isfinite(seg_rank) & (cov.hearing_count > 0))
            if len(cand) == 0:
                break
            first = seg_rank[cand].min()
            segs = cand[seg_rank[cand] == first]                     # the next pipe's unheard segments
            length = cov.segments["length_m"].to_numpy(float)
            hear = np.asarray(csc[:, segs] @ length[segs]).ravel()     # metres of it each site hears
            hear[chosen] = -1.0
            site = int(np.argmax(hear))
            chosen.append(site)
            taken[cov.matrix[site].indices] = True
            taken[segs] = True                                        # the pipe is being listened to
        return np.array(chosen, dtype=np.int64)

    return pick


def _plan_table(coverage, deployments, total, days) -> pd.DataFrame:
    rows, cum = [], 0.0
    for d, deployment in enumerate(deployments, start=1):
        cum += sum(g for _, g in deployment)
        for i, gain in deployment:
            site = coverage.sites.iloc[i]
            rows.append({"deployment": d, "start_day": (d - 1) * days, "site": str(site["node_id"]),
                         "x": float(site["x"]), "y": float(site["y"]), "node_type": str(site["node_type"]),
                         "expected_leaks_heard": gain, "cumulative_share": cum / total, "status": "greedy"})
    return pd.DataFrame(rows, columns=list(CAMPAIGN_COLUMNS))


def _shares(deployments, total) -> np.ndarray:
    return np.cumsum([sum(g for _, g in dep) for dep in deployments]) / total


def _pad(values: np.ndarray, n: int, fill=None) -> np.ndarray:
    """``values`` lengthened to ``n`` with ``fill`` (default: its last value, 0 when empty)."""
    fill = (values[-1] if len(values) else 0.0) if fill is None else fill
    return np.concatenate([np.asarray(values, dtype=float), np.full(n - len(values), fill)])


def _curve(greedy, ranked, total, days) -> pd.DataFrame:
    n = max(len(greedy), len(ranked))
    return pd.DataFrame({"deployment": np.arange(1, n + 1), "day_end": np.arange(1, n + 1) * days,
                         "share_greedy": _pad(_shares(greedy, total), n),
                         "share_risk_ranking": _pad(_shares(ranked, total), n)})


def _figures(deployments, total, target_share, days) -> dict:
    shares = _shares(deployments, total)
    heard = float(shares[-1]) if len(shares) else 0.0
    gains = np.array([sum(g for _, g in dep) for dep in deployments])
    end_day = np.arange(1, len(gains) + 1) * int(days)
    mean_day = float((gains * end_day).sum() / gains.sum()) if gains.sum() > 0 else None
    return {"n_deployments": len(deployments), "days": len(deployments) * int(days), "share_heard": heard,
            "target_reached": bool(heard >= target_share - 1e-9), "mean_days_to_hear": mean_day,
            "deployments_to_share": {str(q): int(np.searchsorted(shares, q - 1e-12) + 1)
                                     for q in (0.5, 0.8) if len(shares) and shares[-1] >= q - 1e-12},
            "share_after": {str(d): float(shares[d - 1]) for d in (1, 2, 5, 10) if d <= len(shares)}}

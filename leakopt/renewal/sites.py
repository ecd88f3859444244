"""Renewal planning inputs: cost per pipe, leaks avoided, work sites, the budget.

Part of :mod:`leakopt.renewal.plan` (which re-exports these functions); see there
for the model.  ``config`` arguments are :class:`leakopt.renewal.plan.RenewalConfig`.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int, fmt_money, fmt_number, in_french
from leakopt.renewal.config import DEFAULT_COST_TABLE, RenewalConfig

logger = logging.getLogger(__name__)

#: Columns looked for (in order) when counting a pipe's past leaks for "most_leaks_first".
PAST_LEAK_COLUMNS = ("past_leaks", "prev_leaks", "n_past_leaks", "n_leaks", "leaks_count", "leak_count",
                     "n_breaks", "breaks")

#: Columns the risk frame must have.
REQUIRED = ("pipe_id", "expected_leaks_per_year", "length_m", "diameter_mm")


def _config(config):
    return config if config is not None else RenewalConfig()


def pipe_costs(diameter_mm, *, config=None) -> np.ndarray:
    """Renewal cost per metre (in the config's ``currency``) for each diameter, from the config's table."""
    cfg = _config(config)
    d = np.asarray(cfg.cost_diameters_mm, float)
    c = np.asarray(cfg.cost_eur_per_m, float)
    x = np.asarray(diameter_mm, float)
    out = np.interp(x, d, c)
    if d.size >= 2:
        slope = (c[-1] - c[-2]) / (d[-1] - d[-2])
        out = np.where(x > d[-1], c[-1] + slope * (x - d[-1]), out)
    return out


def cost_source(config=None) -> str:
    """Where the costs per metre come from: ``"cost_column"`` (the risk frame's column, the table where it is
    blank), ``"cost_table"`` (the config's own table) or ``"default_table"`` (:data:`DEFAULT_COST_TABLE`, French
    prices in euros)."""
    cfg = _config(config)
    if cfg.cost_column:
        return "cost_column"
    default = (tuple(d for d, _ in DEFAULT_COST_TABLE), tuple(c for _, c in DEFAULT_COST_TABLE))
    given = (tuple(map(float, cfg.cost_diameters_mm)), tuple(map(float, cfg.cost_eur_per_m)))
    return "default_table" if given == default else "cost_table"


def warn_default_costs(config=None) -> bool:
    """Log a warning, and return True, when the plan's currency is not the euro but its costs come from the
    default table, in euros (nothing is converted: the plan's costs would be euro prices written in the
    currency)."""
    cfg = _config(config)
    if cfg.currency == "EUR" or cost_source(cfg) != "default_table":
        return False
    logger.warning("[renewal] currency = \"%s\", but no renewal cost is given: the default cost table is in euros "
                   "(French prices), so the costs (and the default budget) are euro amounts written in %s. Give "
                   "your costs in %s: [renewal] cost_diameters_mm and cost_eur_per_m (per metre), or "
                   "cost_column (per pipe)", cfg.currency, cfg.currency, cfg.currency,
                   extra=in_french("[renewal] currency = \"%s\", mais aucun coût de renouvellement n’est donné : la "
                                   "table de coûts par défaut est en euros (prix français), les coûts (et le budget "
                                   "par défaut) sont donc des montants en euros écrits en %s. Donnez vos coûts en "
                                   "%s : [renewal] cost_diameters_mm et cost_eur_per_m (au mètre), ou cost_column "
                                   "(par conduite)"))
    return True


def _check_risk(risk: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED if c not in risk.columns]
    if missing:
        raise InputError(f"risk frame lacks column(s) {missing} needed for renewal planning; "
                         f"columns found: {list(risk.columns)[:15]}",
                         fr=f"il manque à la table des risques les colonnes {missing}, nécessaires au plan de "
                            f"renouvellement ; colonnes trouvées : {list(risk.columns)[:15]}")
    for col in REQUIRED[1:]:
        v = pd.to_numeric(risk[col], errors="coerce")
        if v.isna().any():
            n, example = int(v.isna().sum()), risk.loc[v.isna(), 'pipe_id'].iloc[0]
            values_fr = "valeur vide ou non numérique" if n < 2 else "valeurs vides ou non numériques"
            raise InputError(f"risk column {col!r} has {n} blank or non-numeric value(s) "
                             f"(e.g. pipe {example!r}); expected numbers",
                             fr=f"la colonne {col!r} de la table des risques a {fmt_int(n, 'fr')} {values_fr} "
                                f"(par exemple la conduite {example!r}) ; des nombres sont attendus")
    if risk["pipe_id"].duplicated().any():
        dup = risk.loc[risk["pipe_id"].duplicated(), "pipe_id"].iloc[0]
        raise InputError(f"risk frame has duplicate pipe_id values (e.g. {dup!r}); expected one row per pipe",
                         fr=f"la table des risques a des valeurs de pipe_id en double (par exemple {dup!r}) ; une "
                            "ligne par conduite est attendue")


def prepare_pipes(risk: pd.DataFrame, *, config=None,
                  adjacency: pd.DataFrame | None = None, leaks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-pipe cost, benefit and work site.

    Returns
    -------
    DataFrame
        ``pipe_id``, ``length_m``, ``diameter_mm``, ``material``,
        ``install_year``, ``expected_leaks_per_year``, ``past_leaks`` (NaN when
        unknown: no count column in ``risk`` and no ``leaks`` frame), ``cost`` (in ``config.currency``),
        ``leaks_avoided_per_year``,
        ``consequence`` (NaN when ``risk`` has none), ``risk_avoided_per_year`` (leaks avoided times the
        consequence), ``benefit`` (what the plan maximises: one of the two, by ``config.objective``),
        ``site_id`` (int).
    """
    cfg = _config(config)
    _check_risk(risk)
    out = pd.DataFrame({"pipe_id": risk["pipe_id"].astype(str).to_numpy()})
    for col in REQUIRED[1:]:
        out[col] = pd.to_numeric(risk[col]).to_numpy(dtype=float)
    out["material"] = risk["material"].astype(str).to_numpy() if "material" in risk else "unknown"
    out["install_year"] = (pd.to_numeric(risk["install_year"], errors="coerce").to_numpy(dtype=float)
                           if "install_year" in risk else np.nan)
    past = _past_leaks_column(risk, cfg)
    if past:
        out["past_leaks"] = pd.to_numeric(risk[past], errors="coerce").to_numpy(dtype=float)
    elif leaks is not None:
        if "pipe_id" not in leaks:
            raise InputError(f"leaks frame lacks a 'pipe_id' column; columns found: {list(leaks.columns)[:10]}",
                             fr="il manque à la table des fuites la colonne 'pipe_id' ; colonnes trouvées : "
                                f"{list(leaks.columns)[:10]}")
        counts = leaks["pipe_id"].astype(str).value_counts()
        out["past_leaks"] = out["pipe_id"].map(counts).fillna(0).to_numpy(dtype=float)
    else:
        out["past_leaks"] = np.nan
    cost = out["length_m"].to_numpy() * pipe_costs(out["diameter_mm"], config=cfg)
    if cfg.cost_column:
        if cfg.cost_column not in risk:
            raise InputError(f"[renewal] cost_column={cfg.cost_column!r} is not a column of the risk frame",
                             fr=f"[renewal] cost_column={cfg.cost_column!r} n’est pas une colonne de la table des "
                                "risques")
        given = pd.to_numeric(risk[cfg.cost_column], errors="coerce").to_numpy(dtype=float)
        cost = np.where(np.isfinite(given) & (given > 0), given, cost)
    out["cost"] = cost
    residual = cfg.residual_leaks_per_km_year * out["length_m"] / 1000.0
    out["leaks_avoided_per_year"] = (out["expected_leaks_per_year"] - residual).clip(lower=0.0)
    out["consequence"] = _consequence(risk, cfg)
    out["risk_avoided_per_year"] = out["leaks_avoided_per_year"] * out["consequence"]
    out["benefit"] = out["risk_avoided_per_year" if cfg.objective == "risk" else "leaks_avoided_per_year"]
    out["site_id"] = work_sites(risk, config=cfg, adjacency=adjacency)
    return out


def _consequence(risk: pd.DataFrame, cfg) -> np.ndarray:
    """Each pipe's consequence of failure (NaN without the column); required by the "risk" objective."""
    if "consequence" not in risk:
        if cfg.objective == "risk":
            raise InputError("[renewal] objective='risk' needs a 'consequence' column in the risk frame (risk.csv "
                             "of a 'leakopt run', or leakopt.consequence.add_business_risk); "
                             f"columns found: {list(risk.columns)[:15]}",
                             fr="[renewal] objective='risk' a besoin d’une colonne 'consequence' dans la table des "
                                "risques (le risk.csv d’un 'leakopt run', ou leakopt.consequence.add_business_risk) ; "
                                f"colonnes trouvées : {list(risk.columns)[:15]}")
        return np.full(len(risk), np.nan)
    value = pd.to_numeric(risk["consequence"], errors="coerce").to_numpy(dtype=float)
    if cfg.objective == "risk" and not (np.isfinite(value) & (value >= 0)).all():
        bad = risk["pipe_id"].to_numpy()[~(np.isfinite(value) & (value >= 0))][0]
        raise InputError(f"[renewal] objective='risk': the consequence of pipe {bad!r} is blank, negative or not "
                         "a number; every pipe needs a consequence >= 0",
                         fr=f"[renewal] objective='risk' : la conséquence de la conduite {bad!r} est vide, négative "
                            "ou n’est pas un nombre ; chaque conduite doit avoir une conséquence >= 0")
    return value


def _past_leaks_column(risk: pd.DataFrame, cfg) -> str | None:
    if cfg.past_leaks_column:
        if cfg.past_leaks_column not in risk:
            raise InputError(f"[renewal] past_leaks_column={cfg.past_leaks_column!r} is not a column "
                             f"of the risk frame",
                             fr=f"[renewal] past_leaks_column={cfg.past_leaks_column!r} n’est pas une colonne de la "
                                "table des risques")
        return cfg.past_leaks_column
    return next((c for c in PAST_LEAK_COLUMNS if c in risk.columns), None)


def work_sites(risk: pd.DataFrame, *, config=None,
               adjacency: pd.DataFrame | None = None) -> np.ndarray:
    """Work site number of each pipe of ``risk`` (row order).

    Pipes sharing a ``group_column`` value, and (with ``adjacency``: columns
    ``pipe_id``, ``start_node``, ``end_node``) pipes in series through a node
    no other pipe touches, chains up to ``max_site_length_m``, share a site.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    cfg = _config(config)
    n = len(risk)
    ids = pd.Index(risk["pipe_id"].astype(str))
    length = pd.to_numeric(risk["length_m"], errors="coerce").to_numpy(dtype=float)
    a, b = np.empty(0, int), np.empty(0, int)
    if adjacency is not None and cfg.group_series_pipes and n:
        a, b = _series_pairs(adjacency, ids)
        if len(a):
            _, chain = connected_components(coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)),
                                            directed=False)
            chain_len = np.bincount(chain, weights=length)
            keep = chain_len[chain[a]] <= cfg.max_site_length_m
            a, b = a[keep], b[keep]
    if cfg.group_column:
        if cfg.group_column not in risk:
            raise InputError(f"[renewal] group_column={cfg.group_column!r} is not a column of the risk "
                             f"frame; columns found: {list(risk.columns)[:15]}",
                             fr=f"[renewal] group_column={cfg.group_column!r} n’est pas une colonne de la table des "
                                f"risques ; colonnes trouvées : {list(risk.columns)[:15]}")
        col = risk[cfg.group_column]
        valid = col.notna() & (col.astype(str).str.strip() != "")
        codes, _ = pd.factorize(col.where(valid))
        rows = np.flatnonzero(codes >= 0)
        first = pd.Series(rows).groupby(codes[rows]).transform("first").to_numpy()
        a, b = np.concatenate([a, rows]), np.concatenate([b, first])
    _, site = connected_components(coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False)
    return site.astype(np.int64)


def _series_pairs(adjacency: pd.DataFrame, ids: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    need = {"pipe_id", "start_node", "end_node"}
    if not need <= set(adjacency.columns):
        missing = sorted(need - set(adjacency.columns))
        raise InputError(f"adjacency frame lacks column(s) {missing}; "
                         "expected pipe_id, start_node, end_node",
                         fr=f"il manque à la table des connexions les colonnes {missing} ; "
                            "attendues : pipe_id, start_node, end_node")
    ends = pd.concat([adjacency[["pipe_id", "start_node"]].set_axis(["pipe_id", "node"], axis=1),
                      adjacency[["pipe_id", "end_node"]].set_axis(["pipe_id", "node"], axis=1)])
    ends = ends.dropna().astype(str)
    degree = ends.groupby("node")["pipe_id"].transform("size")
    pairs = ends[degree == 2].sort_values(["node", "pipe_id"])
    pos = ids.get_indexer(pairs["pipe_id"])
    pos = pos.reshape(-1, 2) if len(pos) % 2 == 0 else np.empty((0, 2), int)
    ok = (pos >= 0).all(axis=1) & (pos[:, 0] != pos[:, 1])
    return pos[ok, 0], pos[ok, 1]


def site_table(pipes: pd.DataFrame) -> pd.DataFrame:
    """One row per work site: ``site_id``, ``n_pipes``, ``cost``, ``length_m``,
    ``benefit`` (what the plan maximises per year: leaks avoided, or consequence-weighted leaks
    avoided), ``install_year`` (length-weighted mean),
    ``past_leaks`` (sum), ``ratio`` (benefit per million of the currency)."""
    p = pipes.assign(_w=pipes["install_year"] * pipes["length_m"],
                     _wl=pipes["length_m"].where(pipes["install_year"].notna(), 0.0))
    g = p.groupby("site_id", sort=True)
    sites = pd.DataFrame({
        "n_pipes": g.size(), "cost": g["cost"].sum(), "length_m": g["length_m"].sum(),
        "benefit": g["benefit" if "benefit" in p else "leaks_avoided_per_year"].sum(),
        "install_year": g["_w"].sum(min_count=1) / g["_wl"].sum().replace(0.0, np.nan),
        "past_leaks": g["past_leaks"].sum(min_count=1),
    }).reset_index()
    sites["ratio"] = 1e6 * sites["benefit"] / sites["cost"]
    return sites


def annual_budget(pipes: pd.DataFrame, *, config=None) -> tuple[float, str]:
    """The yearly budget (in the config's ``currency``) and where it comes from ("configured" or
    "share_of_value")."""
    cfg = _config(config)
    if cfg.annual_budget_eur is not None:
        return float(cfg.annual_budget_eur), "configured"
    return float(cfg.budget_share_of_value * pipes["cost"].sum()), "share_of_value"


def min_length(pipes: pd.DataFrame, cfg) -> float:
    return cfg.min_rate_pct / 100.0 * float(pipes["length_m"].sum())


def check_min_rate(sites: pd.DataFrame, *, budget: float, min_length_m: float, years: int,
                   currency: str = "EUR") -> None:
    """Raise if no plan can renew ``min_length_m`` a year within ``budget``.

    Uses the fractional bound (cheapest metres first, over the whole horizon),
    so a plan that passes may still be infeasible in whole work sites; the
    solver then reports it.
    """
    if min_length_m <= 0:
        return
    s = sites[sites["cost"] <= budget]
    s = s.assign(_cpm=s["cost"] / s["length_m"]).sort_values("_cpm")
    total_len = min_length_m * years
    cum_len = s["length_m"].cumsum().to_numpy()
    cum_cost = s["cost"].cumsum().to_numpy()
    i = int(np.searchsorted(cum_len, total_len))
    if i >= len(cum_len):
        need = float("inf")
    else:
        before_len = cum_len[i - 1] if i else 0.0
        before_cost = cum_cost[i - 1] if i else 0.0
        need = float(before_cost + (total_len - before_len) * s["_cpm"].iloc[i])
    if need > budget * years * (1 + 1e-9):
        money = {"lang": "fr", "compact": False, "currency": currency}
        raise InputError(f"[renewal] min_rate_pct asks for {min_length_m / 1000:,.1f} km a year, which costs "
                         f"at least {currency} {need / years:,.0f} a year even on the cheapest pipes; the yearly "
                         f"budget is {currency} {budget:,.0f}. Raise annual_budget_eur or lower min_rate_pct.",
                         fr=f"[renewal] min_rate_pct demande {fmt_number(min_length_m / 1000, 'fr', decimals=1)} km "
                            f"par an, ce qui coûte au moins {fmt_money(need / years, **money)} par an, "
                            "même en prenant les conduites les moins chères ; le budget annuel est de "
                            f"{fmt_money(budget, **money)}. Augmentez annual_budget_eur ou baissez "
                            "min_rate_pct.")

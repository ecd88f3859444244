"""The report's sections on listening campaigns: the logger campaign and the pressure sensors.

Both are optional outputs of their own commands (``leakopt campaign`` writes
``campaign.json``, ``campaign.csv``, ``campaign_curve.csv``; ``leakopt sensors
--kind pressure`` writes ``pressure.json``, ``pressure_sensors.csv``), so a
section returns None, and is left out of the page, when its files are absent.
The sentences are public: the app's sensors page shows the same ones.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from leakopt.io import file_sha256
from leakopt.optimize import stop_reason
from leakopt.report import maps
from leakopt.report.html import figure, para, table
from leakopt.report.sections import solver_name

#: The shares of expected leaks the campaign's sentence speaks of, highest first.
CAMPAIGN_SHARES = ("0.8", "0.5")


def stale_note(doc: dict, risk_path: Path, t) -> str | None:
    """A sentence when ``doc`` (campaign.json, pressure.json) was computed from another risk.csv than
    ``risk_path`` (e.g. the run was redone since); None when it is the same or the source is unrecorded."""
    source = doc.get("risk_csv") or {}
    if not source.get("sha256") or not Path(risk_path).is_file():
        return None
    if file_sha256(risk_path) == source["sha256"]:
        return None
    return t("stale_risk", file=Path(str(source.get("path") or "risk.csv")).name)


# --- logger campaign ------------------------------------------------------------------------

def deployment_length(days, t) -> str:
    """How long a deployment lasts, as a complement: "of 2 weeks", "of one week", "de 10 jours", "d’un jour"."""
    days = int(days)
    if days % 7 == 0:
        return t("cp_week1") if days == 7 else t("cp_weeks", n=t.number(days // 7))
    return t("cp_day1") if days == 1 else t("cp_days", n=t.number(days))


def _counted(t, key: str, n, **fields) -> str:
    """``key`` with ``n`` formatted, or ``key + "1"`` (its singular) when ``n`` is 1."""
    return t(f"{key}1", **fields) if n == 1 else t(key, n=t.number(n), **fields)


def campaign_sentence(c: dict, t) -> str:
    """How many deployments hear 80% (else 50%, else all they hear) of the expected leaks, against the ranking."""
    scope = t("cp_scope_zone") if c.get("scope") == "zone" else t("cp_scope_network")
    mine, theirs = c.get("deployments_to_share") or {}, (c.get("risk_ranking") or {}).get("deployments_to_share") or {}
    dur = deployment_length(c.get("deployment_days", 14), t)
    common = {"yours": _counted(t, "cp_yours", c.get("loggers")), "scope": scope}
    q = next((q for q in CAMPAIGN_SHARES if q in mine), None)
    if q is None:
        return t("cp_sentence_low", deps=_counted(t, "cp_deps", c.get("n_deployments"), dur=dur),
                 share=t.percent(c.get("share_heard"), decimals=0),
                 other=t.percent((c.get("risk_ranking") or {}).get("share_heard"), decimals=0), **common)
    deps = _counted(t, "cp_deps", mine[q], dur=dur)
    if q not in theirs:
        return t("cp_sentence_never", deps=deps, q=t.percent(float(q), decimals=0),
                 m=t.number((c.get("risk_ranking") or {}).get("n_deployments")), **common)
    return t("cp_sentence", deps=deps, q=t.percent(float(q), decimals=0), m=t.number(theirs[q]), **common)


def campaign_status(c: dict, t) -> str:
    """The method said as it is: greedy, each deployment within its proven bound, the sequence not proven best."""
    gap = c.get("worst_deployment_gap")
    if gap is None:
        return t("cp_status_nobound")
    floor = np.floor(100 * max(0.0, 1.0 - float(gap)) + 1e-9) / 100    # rounded down: never claim more
    return t("cp_status", floor=t.percent(floor, decimals=0))


def apart_percents(target, reach, t, *, most: int = 3) -> tuple[str, str]:
    """``target`` and ``reach`` (shares) in percent with the fewest decimals, up to ``most``, that write them
    apart: "100%" and "97%", but "100%" and "99.6%" rather than "100%" twice; a whole target stays whole."""
    decimals = next((d for d in range(most + 1) if t.percent(target, decimals=d) != t.percent(reach, decimals=d)),
                    most)
    whole = target is not None and round(100 * float(target), 6) % 1 == 0
    return t.percent(target, decimals=0 if whole else decimals), t.percent(reach, decimals=decimals)


def campaign_details(c: dict, t) -> list[str]:
    """The whole campaign, what is out of reach, and how soon a leak is heard, as sentences."""
    out = [t("cp_total", deps=_counted(t, "cp_ndeps", c.get("n_deployments")), days=t.number(c.get("days")),
             share=t.percent(c.get("share_heard"), decimals=0))]
    if not c.get("target_reached", True):
        target, reach = apart_percents(c.get("target_share"), c.get("reachable_share"), t)
        out.append(t("cp_reach", target=target, reach=reach))
    r = c.get("risk_ranking") or {}
    if c.get("mean_days_to_hear") is not None and r.get("mean_days_to_hear") is not None:
        out.append(t("cp_mean", d=t.number(c["mean_days_to_hear"]), r=t.number(r["mean_days_to_hear"])))
    return out


def campaign_section(run, t, cfg) -> str | None:
    c = run.json.get("campaign")
    if not c:
        return _unreadable(run, t, "campaign.json")
    stale = stale_note(c, run.path / "risk.csv", t)
    parts = ([para(stale, "notrun")] if stale else []) + [para(campaign_sentence(c, t), "lead")]
    parts += [para(s) for s in campaign_details(c, t)]
    parts.append(para(campaign_status(c, t), "small"))
    if c.get("n_pipes_not_in_risk"):
        parts.append(para(t("s_unscored", n=t.number(c["n_pipes_not_in_risk"]),
                            km=t.length(c.get("not_in_risk_length_m"))), "notrun"))
    curve = run.csv.get("campaign_curve")
    parts.append(figure(maps.campaign_plot(curve, t=t, days=c.get("deployment_days")), t("cp_alt")))
    parts.append(_campaign_table(curve, t))
    return "".join(parts)


def _campaign_table(curve: pd.DataFrame | None, t) -> str:
    if curve is None or curve.empty or not {"deployment", "share_greedy", "share_risk_ranking"} <= set(curve):
        return ""
    n = len(curve)
    picks = sorted({d for d in (1, 2, 5, 10, 20) if d <= n} | {n})
    rows = [[t.number(d), t.percent(curve["share_greedy"].iloc[d - 1], decimals=0),
             t.percent(curve["share_risk_ranking"].iloc[d - 1], decimals=0)] for d in picks]
    return table(t("cp_table_caption"), [(t("col_deployments"), True), (t("cp_greedy"), True),
                                         (t("cp_ranking"), True)], rows)


# --- pressure sensors -----------------------------------------------------------------------

def pressure_sentence(p: dict, t) -> str:
    """How many pressure sensors detect what share of the risk-weighted leak scenarios, at what threshold."""
    return _counted(t, "p_sentence", p.get("n_sensors"), share=t.percent(p.get("detected_risk_share")),
                    scen=t.number(p.get("n_scenarios")),
                    threshold=t.number(p.get("threshold_m"), decimals=1) + "\u00a0m")


def pressure_status(p: dict, t) -> str:
    """How far the sensor set is proven: the most any as many sites detect, or not and why."""
    status, solver = str(p.get("status") or "?"), solver_name(p.get("solver"))   # "HiGHS", as everywhere
    limit = stop_reason(status.removesuffix("_greedy"))
    named = t(f"lim_{limit}") if limit in ("time_limit", "iteration_limit", "memory_limit", "solution_limit") \
        else t("lim_other", status=limit)
    if status == "optimal":
        return t("p_how_optimal", solver=solver)
    if status.endswith("_greedy"):
        return t("p_how_greedy", solver=solver, limit=named)
    if limit and p.get("mip_gap") is not None:
        gap = np.ceil(1000 * float(p["mip_gap"]) - 1e-9) / 1000          # rounded up: never claim more
        return t("p_how_stopped", solver=solver, limit=named, gap=t.percent(gap, decimals=1))
    return t("p_how_other", solver=solver, status=status)


def pressure_details(p: dict, t) -> list[str]:
    """What the sensors tell apart, fewer than asked, the leak size and how drops were computed."""
    groups = p.get("n_distinguishable")
    out = [t("p_groups1") if groups == 1 else t("p_groups", groups=t.number(groups),
                                                 unique=t.number(p.get("n_unique_scenarios")))]
    n, asked = p.get("n_sensors"), p.get("n_requested")
    if asked is not None and n is not None and n < asked:
        out.append(t("p_fewer", n=t.number(n), k=t.number(asked)))
    if p.get("leak_area_m2") is not None:
        out.append(t("p_leak", area=t.number(1e4 * float(p["leak_area_m2"]), decimals=0) + "\u00a0cm²"))
    if f"p_method_{p.get('method')}" in t.table:
        out.append(t(f"p_method_{p['method']}"))
    return out


def pressure_section(run, t, cfg) -> str | None:
    p = run.json.get("pressure")
    if not p:
        return _unreadable(run, t, "pressure.json")
    stale = stale_note(p, run.path / "risk.csv", t)
    parts = ([para(stale, "notrun")] if stale else []) + [para(pressure_sentence(p, t), "lead")]
    parts += [para(s) for s in pressure_details(p, t)]
    parts.append(para(pressure_status(p, t), "small"))
    if p.get("n_pipes_not_in_risk"):
        parts.append(para(t("p_unscored", n=t.number(p["n_pipes_not_in_risk"]),
                            km=t.length(p.get("not_in_risk_length_m"))), "notrun"))
    sensors = run.csv.get("pressure_sensors")
    if sensors is not None and not sensors.empty and {"node_id", "detected_risk_share"} <= set(sensors):
        top = sensors.sort_values("detected_risk_share", ascending=False)
        rows = [[str(r.node_id), t.number(getattr(r, "detected_scenarios", np.nan)), t.percent(r.detected_risk_share)]
                for r in top.itertuples()]
        parts.append(table(t("p_table_caption"), [(t("col_node"), False), (t("col_scenarios"), True),
                                                  (t("col_detected_share"), True)], rows))
    return "".join(parts)


def _unreadable(run, t, file: str) -> str | None:
    """None (the section is left out) when the file is absent; a plain sentence when it could not be read."""
    if file in run.errors:
        return para(t("unreadable", file=file, error=run.errors[file]), "notrun")
    return None

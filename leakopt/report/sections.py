"""The sections of ``report.html``: each returns the HTML under its heading.

Every function takes the :class:`leakopt.report.RunFolder`, a
:class:`leakopt.i18n.Translator` and the :class:`leakopt.report.ReportConfig`.
Texts are formatted first and escaped last, so data (pipe IDs, messages)
can never inject markup.
"""
from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from leakopt.consequence.matrix import matrix_corner
from leakopt.i18n import in_french
from leakopt.optimize import stop_reason
from leakopt.report import maps
from leakopt.report.html import esc, figure, para, table
from leakopt.risk import scored_by_prior
from leakopt.risk.backtest import FEW_TEST_LEAKS, backtest_notes, horizon_cut, measured, shown_years
from leakopt.validate.messages import issue_message, label, severity_label
from leakopt.validate.report import SEVERITIES, issues_in_order
from leakopt.validate.templates import PHRASES

log = logging.getLogger(__name__)

# --- small HTML helpers ---------------------------------------------------------------------


def prior_scored(run) -> bool:
    """True when the run's pipes were scored by the literature prior (an empty leak history)."""
    return scored_by_prior(run.json.get("manifest"))


def not_run(run, t, file: str) -> str:
    if file in run.errors:
        return para(t("unreadable", file=file, error=run.errors[file]), "notrun")
    if (run.path / file).is_file():     # there, but holding nothing ({}): not "missing"
        return para(t("empty_result", file=file), "notrun")
    return para(t("not_run", file=file), "notrun")


def method_name(t, key: str) -> str:
    return t(f"m_{key}") if f"m_{key}" in t.table else key.replace("_", " ")


def _zone_mask(risk: pd.DataFrame) -> np.ndarray:
    if "in_priority_zone" not in risk:
        return np.zeros(len(risk), bool)
    return risk["in_priority_zone"].astype(str).str.lower().isin(["true", "1"]).to_numpy()


# --- key figures ----------------------------------------------------------------------------

def key_figures(run, t, cfg) -> str:
    risk, prio = run.risk, run.json.get("priority") or {}
    length_m = float(pd.to_numeric(risk.get("length_m"), errors="coerce").sum()) if "length_m" in risk else np.nan
    if not np.isfinite(length_m) or length_m <= 0:
        length_m = 1000 * float(prio.get("length_km", np.nan))
    expected = float(pd.to_numeric(risk["expected_leaks_per_year"], errors="coerce").sum())
    cards = [(t("k_network"), t("k_network_v", km=t.length(length_m)), t("k_network_d", n=t.number(len(risk)))),
             (t("k_leaks"), t("k_leaks_v", n=t.number(expected, decimals=1)),
              t("k_leaks_d", rate=t.number(100_000 * expected / length_m, decimals=1)) + _recorded(run, t))]
    if prio:
        cards.append((t("k_zone"), t("k_zone_v", length=t.percent(prio.get("length_share"), decimals=0)),
                      t("k_zone_d", leaks=t.percent(prio.get("expected_leak_share"), decimals=0),
                        km=t.length(1000 * float(prio.get("zone_length_km", np.nan))))))
    else:
        cards.append((t("k_zone"), t("k_missing"), ""))
    pl = run.json.get("placement")
    cards.append((t("k_loggers"), t("k_loggers_v", n=t.number(pl["n_sensors"])), loggers_detail(pl, t))
                 if pl else (t("k_loggers"), t("k_missing"), ""))
    rn = run.json.get("renewal")
    euro_prices = bool(rn) and t.currency != "EUR" and rn.get("cost_source") == "default_table"
    cards.append((t("k_renewal"), t("k_renewal_v", budget=t.money(rn.get("budget_per_year_eur"))),
                  t("k_renewal_d_euro_prices" if euro_prices else "k_renewal_d",   # a figure in euros, said so here too
                    leaks=t.number(rn.get("leaks_avoided"), decimals=0), years=rn.get("years")))
                 if rn else (t("k_renewal"), t("k_missing"), ""))
    items = "".join(f'<div class="card"><dt>{esc(a)}</dt><dd class="value">{esc(b)}</dd>'
                    f'<dd class="detail">{esc(c)}</dd></div>' for a, b, c in cards)
    return f'{para(t("key_intro"), "lead")}<dl class="cards">{items}</dl>'


def _recorded(run, t) -> str:
    summary = (run.json.get("validation") or {}).get("summary") or {}
    recorded = summary.get("recorded_leaks") or {}
    if recorded.get("leaks_per_year") is None:
        return ""
    return " · " + t("k_recorded_d", n=t.number(recorded["leaks_per_year"], decimals=0),
                     start=t.date(recorded["start"]), end=t.date(recorded["end"]))


# --- map ------------------------------------------------------------------------------------

def map_section(run, t, cfg) -> str:
    risk = run.risk
    bounds = (run.json.get("priority") or {}).get("class_bounds") or {"A": 0.1}
    intro = para(t("map_intro", a=t.percent(bounds.get("A", 0.1), decimals=0)))
    uri, off = _draw_map(run, t)
    zone_share = (run.json.get("priority") or {}).get("length_share")
    issues = (run.json.get("validation") or {}).get("issues") or []
    none = "map_none_network" if any(i.get("code") == "network_without_coordinates" for i in issues) else "map_none"
    fig = figure(uri, t("map_alt", zone=t.percent(zone_share, decimals=0))) if uri else para(t(none), "notrun")
    if uri and off:
        fig += para(t("map_loggers_off", n=t.number(off[0]), total=t.number(off[1])), "small")
    if "risk.geojson" in run.errors:
        fig += para(t("map_geojson_unreadable", error=run.errors["risk.geojson"]), "small")
    return intro + fig + _class_table(risk, t)


def _draw_map(run, t) -> tuple[str | None, tuple[int, int] | None]:
    """The map (a PNG data URI, or None) and (loggers left off it, loggers) when some could not be placed."""
    risk = run.risk
    if run.geojson is not None:
        try:
            lines, props, wgs84 = maps.read_geojson_lines(run.geojson)
        except (ValueError, OSError, AttributeError, TypeError) as exc:   # cut short, or not a FeatureCollection
            run.errors["risk.geojson"] = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            log.warning("report: %s could not be read (%s); the map is drawn from risk.csv's x, y, if it has them",
                        run.geojson, run.errors["risk.geojson"],
                        extra=in_french("rapport : %s n’a pas pu être lu (%s) ; la carte est tracée d’après "
                                        "les x, y de risk.csv, s’il en a"))
            lines = []
        if lines:
            to_km, estimated = maps.km_transform(lines, wgs84, props.get("length_m"))
            sensors, off = _sensors_km(run, to_km, wgs84, lines, props)
            return maps.network_map([to_km(ln) for ln in lines], props, t=t, sensors_km=sensors,
                                    scale_estimated=estimated), off
    if {"x", "y", "risk_class"} <= set(risk.columns):
        return maps.point_map(risk["x"], risk["y"], risk["risk_class"], _zone_mask(risk), t=t), None
    return None, None


def _sensors_km(run, to_km, wgs84: bool, lines, props):
    """Logger sites in the map's km coordinates, and (left off, all) when some have no place on it.

    A site's own lon/lat (WGS84 map) or x/y, unless validation.json says the network's coordinates
    are not the pipes' (elsewhere, or none): then, as for a site without them, the end of a drawn
    pipe at its node."""
    sensors = run.csv.get("sensors")
    if sensors is None or sensors.empty or "node_id" not in sensors.columns:
        return None, None
    cols = ["lon", "lat"] if wgs84 else ["x", "y"]
    own = (sensors[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
           if set(cols) <= set(sensors.columns) and maps.network_xy_on_map(run.json.get("validation")) else None)
    pts = maps.logger_points(sensors["node_id"], own, lines, props.get("start_node", [None] * len(lines)),
                             props.get("end_node", [None] * len(lines)))
    placed = np.isfinite(pts).all(axis=1)
    off = (int((~placed).sum()), len(pts)) if not placed.all() else None
    return (to_km(pts[placed]) if placed.any() else None), off


def _class_table(risk: pd.DataFrame, t) -> str:
    if not {"risk_class", "length_m"} <= set(risk.columns):
        return ""
    length = pd.to_numeric(risk["length_m"], errors="coerce")
    leaks = pd.to_numeric(risk["expected_leaks_per_year"], errors="coerce")
    g = pd.DataFrame({"c": risk["risk_class"].astype(str), "l": length, "e": leaks}).groupby("c").sum()
    rows = [[t(f"class_{c}") if f"class_{c}" in t.table else c, t.length(r.l), t.percent(r.l / length.sum()),
             t.percent(r.e / leaks.sum())] for c, r in g.iterrows()]
    return table(t("map_table_caption"), [(t("col_class"), False), (t("col_length"), True),
                                          (t("col_length_share"), True), (t("col_leaks_share"), True)], rows)


# --- consequence of failure -----------------------------------------------------------------

def consequence_section(run, t, cfg) -> str:
    rm = run.json.get("risk_matrix")
    if not rm:
        return not_run(run, t, "risk_matrix.json")
    c = rm.get("consequence") or {}
    parts = []
    by_segments = c.get("method", "").startswith("segments")
    if by_segments:
        parts.append(para(segments_sentence(rm, t), "lead"))
        parts.append(para(pdd_sentence(c.get("pdd") or {}, t)))
    else:
        parts.append(para(t("c_diameter_only"), "lead"))
    critical = (t("c_critical", n=t.number(len(c["critical_nodes"])),
                  segments=t.number(c.get("segments_cutting_critical") or 0)) if c.get("critical_nodes") else "")
    score = c.get("score") or {}
    ref = t.number(score.get("diameter_ref_mm", 150))
    # without cut-off segments only the diameter term scores: the demand and critical terms are not said
    parts.append(para(t("c_score", critical=critical, ref=ref,
                        pct=t.number(score.get("points_per_pct_demand", 1), decimals=1),
                        crit=t.number(score.get("points_per_critical", 5), decimals=1))
                      if by_segments else t("c_score_diameter", ref=ref), "small"))
    corner = matrix_corner(rm)
    if corner is not None:
        parts.append(para(t("c_corner", km=t.length(1000 * corner["km"]), n=t.number(corner["n_pipes"]),
                            rows="–".join(map(str, corner["likelihood"])),
                            cols="–".join(map(str, corner["consequence"])))))
    parts.append(_matrix_table(rm, t))
    parts.append(_top_cut_table(rm.get("top_demand_cut") or [], c.get("total_demand_m3s"), t))
    simulated = by_segments and (c.get("pdd") or {}).get("status") == "ok"
    parts.append(para(t("c_note_pdd" if simulated else "c_note" if by_segments else "c_note_diameter"), "small"))
    return "".join(parts)


def segments_sentence(rm: dict, t) -> str:
    """How a break is isolated (the valves), into how many segments the network splits, and the worst cut."""
    c = rm.get("consequence") or {}
    top = (rm.get("top_demand_cut") or [{}])[0]
    total = c.get("total_demand_m3s") or 0
    return t("c_segments", valves=t(f"c_valves_{c['method']}"), n=t.number(c.get("n_segments")),
             share=t.percent(top.get("demand_cut_m3s", 0) / total if total else 0),
             nodes=t.number(top.get("nodes_cut", 0)))


def pdd_sentence(pdd: dict, t) -> str:
    """How many segments were judged by pressure-dependent simulation, and how."""
    if pdd.get("status") != "ok":
        reason = "off" if pdd.get("status") == "off" else "not_run"
        return t("c_pdd_none", reason=t(f"c_pdd_reason_{reason}"))
    failed = t("c_pdd_failed", n=t.number(pdd["n_segments_failed"])) if pdd.get("n_segments_failed") else ""
    return t("c_pdd", n=t.number(pdd["n_segments_simulated"]), which=t(f"c_pdd_which_{pdd['selection']}"),
             preq=_metres(pdd["required_pressure_m"], t), pmin=_metres(pdd["minimum_pressure_m"], t), failed=failed)


def _metres(x, t) -> str:
    return t.number(x, decimals=0 if float(x).is_integer() else 1)


def _matrix_table(rm: dict, t) -> str:
    rows = [[t(f"class_{r}") if f"class_{r}" in t.table else r]
            + [t("c_cell", n=t.number(n), km=t.length(1000 * km)) for n, km in zip(rm["n_pipes"][i], rm["km"][i])]
            for i, r in enumerate(rm["likelihood_classes"])]
    return table(t("c_matrix_caption"), [(t("c_likelihood"), False)]
                 + [(t(f"c_col_{c}"), True) for c in rm["consequence_classes"]], rows)


def _top_cut_table(top: list, total, t) -> str:
    if not top:
        return ""
    rows = [[", ".join(s["pipe_ids"][:3]) + (" …" if s["n_pipes"] > 3 else ""), t.length(s["length_m"]),
             t("c_lps", v=t.number(1000 * s["demand_cut_m3s"], decimals=1)),
             t.percent(s["demand_cut_m3s"] / total if total else 0), t.number(s["nodes_cut"]),
             t.number(s["critical_cut"])] for s in top]
    return table(t("c_top_caption"), [(t("col_segment_pipes"), False), (t("col_length"), True),
                                      (t("col_demand_cut"), True), (t("col_demand_share"), True),
                                      (t("col_nodes_cut"), True), (t("col_critical_cut"), True)], rows)


# --- backtest -------------------------------------------------------------------------------

def _methods(bt: dict) -> dict[str, dict]:
    out = {"model": bt.get("model") or {}}
    out.update(bt.get("baselines") or {})
    return {k: v for k, v in out.items() if isinstance(v, dict)}


def _captured(method: dict, share: float) -> float | None:
    curve = method.get("curve") or {}
    if curve.get("length_share"):
        return float(np.interp(share, curve["length_share"], curve["leak_share"]))
    cap = method.get("capture") or {}
    key = next((k for k in cap if abs(float(k) - share) < 1e-9), None)
    return cap.get(key) if key else None


def backtest_section(run, t, cfg) -> str:
    bt = run.json.get("backtest")
    if not bt and prior_scored(run):
        return para(t("bt_prior"), "notrun")
    if not bt:
        return not_run(run, t, "backtest.json")
    methods = _methods(bt)
    zone = (run.json.get("priority") or {}).get("length_share")
    share = float(zone) if zone else 0.2
    years = _test_years(t, bt.get("horizon_years"))
    n = bt.get("n_test_leaks")
    if not measured(bt):   # no leak in the test years: no capture to give, and 0% would be wrong
        parts = [para(t("bt_none", cutoff=t.date(bt.get("cutoff")), years=years), "lead")]
    else:
        parts = [para(t.counted("bt_sentence", n, cutoff=t.date(bt.get("cutoff")), share=t.percent(share, decimals=0),
                                captured=t.percent(_captured(methods["model"], share), decimals=0), years=years),
                      "lead")]
    cut = horizon_cut(bt)
    if cut:
        parts.append(para(t("bt_cut", asked=_test_years(t, cut["asked"]), years=_test_years(t, cut["years"]),
                            cutoff=t.date(bt.get("cutoff")), end=t.date(cut["end"]))))
    if n and n < FEW_TEST_LEAKS:
        parts.append(para(t.counted("bt_few", n, points=t.number(100 / n))))
    if bt.get("model_given"):
        parts.append(para(t("bt_given")))
    if not measured(bt):
        return "".join(parts + _walk_earlier(bt, t) + _calibration_parts(bt, t))
    for rule in ("oldest_first", "leaks_per_km_so_far"):
        if rule in methods and _captured(methods[rule], share) is not None:
            parts.append(para(t("bt_compare", rule=method_name(t, rule),
                                captured=t.percent(_captured(methods[rule], share), decimals=0))))
    wf = ((bt.get("walk_forward_summary") or {}).get("model") or {})
    n_walk = wf.get("n_cutoffs_measured", wf.get("n_cutoffs", 0))   # the cutoffs whose test years held leaks
    if n_walk > 1 and (wf.get("capture_mean") or {}).get("0.2") is not None:
        parts.append(para(t("bt_walk", n=n_walk, mean=t.percent(wf["capture_mean"]["0.2"], decimals=0),
                            low=t.percent((wf.get("capture_min") or {}).get("0.2"), decimals=0))))
    curves = {k: v.get("curve") for k, v in methods.items() if v.get("curve")}
    parts.append(figure(maps.capture_plot(curves, t=t, zone_share=zone), t("bt_alt")))
    parts.append(_capture_table(methods, t))
    return "".join(parts + _calibration_parts(bt, t))


def _test_years(t, years) -> str:
    """A test window with its word, rounded for reading: "3 years", "2.0 years" (1.997), "1,8 an"."""
    if years is None:
        return t.counted("bt_years", float("nan"))
    value, decimals = shown_years(years)
    return t.counted("bt_years", value, decimals=decimals)


def _walk_earlier(bt: dict, t) -> list[str]:
    """When the main cutoff's test years held no leak: what the earlier cutoffs that had some measured."""
    wf = ((bt.get("walk_forward_summary") or {}).get("model") or {})
    mean = (wf.get("capture_mean") or {}).get("0.2")
    if not wf.get("n_cutoffs_measured") or mean is None:
        return []
    return [para(t.counted("bt_walk_earlier", wf["n_cutoffs_measured"], mean=t.percent(mean, decimals=0),
                           low=t.percent((wf.get("capture_min") or {}).get("0.2"), decimals=0)))]


def _calibration_parts(bt: dict, t) -> list[str]:
    if not bt.get("calibration"):
        return []
    return [para(t("cal_intro")), figure(maps.calibration_plot(bt["calibration"], t=t), t("cal_alt"))]


def _capture_table(methods: dict, t) -> str:
    levels = sorted({k for m in methods.values() for k in (m.get("capture") or {})}, key=float)
    if not levels:
        return ""
    headers = [(t("col_method"), False)] + [(t("col_top", share=t.percent(float(k), decimals=0)), True)
                                            for k in levels]
    rows = [[method_name(t, name)] + [t.percent((m.get("capture") or {}).get(k), decimals=0) for k in levels]
            for name, m in methods.items()]
    return table(t("bt_table_caption"), headers, rows)


# --- sensors --------------------------------------------------------------------------------

def how_placed(placement: dict, t) -> str:
    """How the loggers were placed, as proven as the solver's status allows (never "optimal" for greedy)."""
    status = str(placement.get("status", ""))
    limit = stop_reason(status.removesuffix("_greedy"))
    named = t(f"lim_{limit}") if limit in ("time_limit", "iteration_limit", "memory_limit", "solution_limit") \
        else t("lim_other", status=limit)
    if status == "optimal":
        return t("s_how_optimal")
    if status.endswith("_greedy"):
        return t("s_how_greedy", limit=named)
    source = placement.get("bound_source")
    bound = t(f"bound_{source}") if source in ("solver", "lagrangian", "greedy", "column_bounds") else ""
    if status == "feasible" and placement.get("mip_gap") is not None:  # a large model's Lagrangian answer
        return t("s_how_feasible", gap=t.percent(placement["mip_gap"], decimals=1), bound=bound)
    if limit:
        gap = placement.get("mip_gap")
        return t("s_how_stopped", limit=named, gap=t.percent(gap, decimals=1) if gap is not None else "?",
                 bound=bound if gap is not None else "")
    return t("s_how_other", status=status or "?")


def unreachable_sentence(pl: dict, t) -> str:
    """The segments no candidate site hears and the most any placement can hear; empty when there are
    none (or the placement predates ``total_expected_leaks``)."""
    n, total = pl.get("n_unreachable_segments") or 0, pl.get("total_expected_leaks")
    if not n or not total:
        return ""
    best = 1.0 - float(pl.get("unreachable_expected_leaks") or 0.0) / float(total)
    return t("s_unreachable", n=t.number(n), km=t.length(pl.get("unreachable_length_m")), best=t.percent(best))


#: Solvers by their own spelling (placement.json and renewal.json write them in lower case).
SOLVER_NAMES = {"highs": "HiGHS", "cbc": "CBC", "glpk": "GLPK", "gurobi": "Gurobi", "cplex": "CPLEX"}


def solver_name(name) -> str:
    """``highs`` -> "HiGHS": a solver as its authors write it (the name as given when unknown)."""
    return SOLVER_NAMES.get(str(name).lower(), str(name)) if name else "?"


def status_words(status, t) -> str:
    """A solver's status in words in the reader's language (as given when it has none)."""
    key = f"status_{status}"
    return t(key) if key in t.table else str(status or "?")


#: Below this many times as many loggers, the whole-network count is given without "N times fewer": 361 against
#: 358 read "1.0 times fewer".
MIN_REDUCTION_FACTOR = 1.2


def full_network_comparison(pl: dict) -> dict | None:
    """What the placement's loggers can truthfully be compared with, or None when ``placement.json`` has no
    whole-network count.

    ``n_sensors_full_network`` is the fewest loggers hearing every segment some candidate site hears: the
    whole network only when no segment is out of range of every site.  Keys: ``full`` (that count),
    ``whole`` (it hears the whole network), ``reach`` (the share of expected leaks all the sites together
    can hear, None when unknown), ``out_m`` (the length out of range of every site), ``same`` (the placement
    takes at least as many), ``factor`` (the ratio, None when below :data:`MIN_REDUCTION_FACTOR`: too small
    to be worth "N times fewer").
    """
    n, full = pl.get("n_sensors"), pl.get("n_sensors_full_network")
    if n is None or not full:
        return None
    total = pl.get("total_expected_leaks")
    reach = (1.0 - float(pl.get("unreachable_expected_leaks") or 0.0) / float(total)) if total else None
    factor = pl.get("reduction_factor") or (int(full) / int(n) if int(n) > 0 else None)
    return {"full": int(full), "whole": not pl.get("n_unreachable_segments"), "reach": reach,
            "out_m": pl.get("unreachable_length_m"), "same": int(n) >= int(full),
            "factor": factor if factor is not None and factor >= MIN_REDUCTION_FACTOR else None}


def loggers_detail(pl: dict, t) -> str:
    """The key figure's line under the number of loggers: what they are compared with, only what is true."""
    cmp = full_network_comparison(pl)
    if cmp is None:
        return t("k_loggers_d_share", share=t.percent(pl.get("covered_risk_share")))
    full, factor = t.number(cmp["full"]), t.number(cmp["factor"], decimals=1)
    if cmp["whole"]:
        if cmp["same"]:
            return t("k_loggers_d_same")
        return t("k_loggers_d" if cmp["factor"] else "k_loggers_d_near", full=full, factor=factor)
    share = t.percent(pl.get("covered_risk_share"))
    if cmp["reach"] is None:
        return t("k_loggers_d_share", share=share)
    reach = t.percent(cmp["reach"])
    if cmp["same"] or reach == share:
        return t("k_loggers_d_all", share=share)
    if cmp["factor"]:
        return t("k_loggers_d_reach", reach=reach, full=full, factor=factor)
    return t("k_loggers_d_reach_near", share=share, reach=reach)


def loggers_sentence(pl: dict, t) -> str:
    """The sensors section's first sentence: the loggers, how they were placed, what they hear, and the
    whole-network count only when it covers the whole network and differs enough to be worth a ratio."""
    fields = {"n": t.number(pl.get("n_sensors")), "how": how_placed(pl, t),
              "share": t.percent(pl.get("covered_risk_share"))}
    text = t("s_sentence_base", **fields)
    cmp = full_network_comparison(pl)
    if cmp is None:
        return text + "."
    full, factor = t.number(cmp["full"]), t.number(cmp["factor"], decimals=1)
    if cmp["whole"]:
        if cmp["same"]:
            return text + t("s_full_same")
        return text + t("s_full" if cmp["factor"] else "s_full_near", full=full, factor=factor)
    if cmp["same"]:    # they already hear all the sites can reach: the unreachable sentence says how much
        return text + "."
    return text + t("s_reach" if cmp["factor"] else "s_reach_near", full=full, factor=factor)


def sensors_section(run, t, cfg) -> str:
    pl = run.json.get("placement")
    if not pl:
        return not_run(run, t, "placement.json")
    parts = [para(loggers_sentence(pl, t), "lead")]
    if pl.get("n_pipes_not_in_risk"):
        parts.append(para(t("s_unscored", n=t.number(pl["n_pipes_not_in_risk"]),
                            km=t.length(pl.get("not_in_risk_length_m"))), "notrun"))
    unreachable = unreachable_sentence(pl, t)
    if unreachable:
        parts.append(para(unreachable))
    if pl.get("zone_covered_length_share") is not None:
        parts.append(para(t("s_zone", share=t.percent(pl["zone_covered_length_share"], decimals=0))))
    parts.append(para(t("s_status", solver=solver_name(pl.get("solver")), status=status_words(pl.get("status"), t)),
                      "small"))
    curve = run.csv.get("tradeoff")
    parts.append(figure(maps.tradeoff_plot(curve, t=t, chosen=pl.get("n_sensors"), placement=pl), t("s_alt")))
    sensors = run.csv.get("sensors")
    if sensors is not None and not sensors.empty and "covered_risk_share" in sensors:
        top = sensors.sort_values("covered_risk_share", ascending=False).head(10)
        rows = [[r.node_id, t.number(getattr(r, "covered_pipes", np.nan)),
                 t.length(getattr(r, "covered_length_m", np.nan)), t.percent(r.covered_risk_share)]
                for r in top.itertuples()]
        parts.append(table(t("s_table_caption"), [(t("col_node"), False), (t("col_pipes"), True),
                                                  (t("col_length"), True), (t("col_heard_share"), True)], rows))
    return "".join(parts)


# --- renewal --------------------------------------------------------------------------------

def renewal_section(run, t, cfg) -> str:
    rn = run.json.get("renewal")
    if not rn:
        return not_run(run, t, "renewal.json")
    parts = [para(t("r_sentence", budget=t.money(rn.get("budget_per_year_eur")), years=rn.get("years"),
                    first=rn.get("first_year"), last=rn.get("last_year"),
                    km=t.length(1000 * float(rn.get("km_renewed", 0))),
                    leaks=t.number(rn.get("leaks_avoided"), decimals=0)), "lead")]
    currency = currency_note(rn, t)
    if currency:
        parts.append(para(currency))
    nothing = nothing_text(rn, t)
    if nothing:
        parts.append(para(nothing))
    if rn.get("risk_avoided") is not None:
        key = "r_objective_risk" if rn.get("objective") == "risk" else "r_objective_leaks"
        parts.append(para(t(key, risk=t.number(rn["risk_avoided"], decimals=0),
                            leaks=t.number(rn.get("leaks_avoided"), decimals=0))))
    if rn.get("budget_basis") == "share_of_value":
        parts.append(para(t("r_budget_default", share=t.percent(rn.get("budget_share_of_value"), decimals=1))))
    parts.append(para(how_solved(rn, t), "small"))
    rules = {}
    for rule, r in (rn.get("rules") or {}).items():
        if r.get("available", True) and r.get("leaks_avoided") is not None:
            rules[rule] = float(r["leaks_avoided"])
            if r.get("ratio") and rn.get("objective") == "risk" and r.get("risk_avoided") is not None:
                parts.append(para(t("r_rule_risk", rule=method_name(t, rule),
                                    risk=t.number(r["risk_avoided"], decimals=0),
                                    ratio=t.number(r["ratio"], decimals=1))))
            elif r.get("ratio"):
                parts.append(para(t("r_rule", rule=method_name(t, rule), leaks=t.number(r["leaks_avoided"], decimals=0),
                                    ratio=t.number(r["ratio"], decimals=1))))
        else:
            parts.append(para(t("r_rule_na", rule=method_name(t, rule)), "small"))
    if rules:
        parts.append(figure(maps.renewal_plot(float(rn.get("leaks_avoided", 0)), rules, t=t), t("r_alt")))
    parts.append(_by_year_table(rn, t))
    parts.append(_first_year_table(run.csv.get("renewal_plan"), t))
    parts.append(para(t(cost_key("r_note", rn)), "small"))
    return "".join(parts)


def cost_key(key: str, rn: dict | None) -> str:
    """``key`` for costs from leakopt's standard table, ``key_cost_table`` / ``key_cost_column`` for the
    utility's own prices (``renewal.json``'s ``cost_source``): its prices are not called standard ones."""
    source = (rn or {}).get("cost_source")
    return f"{key}_{source}" if source in ("cost_table", "cost_column") else key


def currency_note(rn: dict, t) -> str | None:
    """The currency of a plan that is not in euros ("$" is the US and the Canadian dollar: the report names
    it), and that its costs are the default table's euro prices when no cost was given; None in euros."""
    code = t.currency
    if code == "EUR":
        return None
    text = t("r_currency", code=code)
    return text + (t("r_costs_in_euros", code=code) if rn.get("cost_source") == "default_table" else "")


def nothing_text(rn: dict, t) -> str | None:
    """Why a plan renews nothing (``renewal.json``'s ``nothing_to_renew``), or None; the app shows it too."""
    nothing = rn.get("nothing_to_renew") or {}
    if nothing.get("reason") == "no_benefit":
        return t("r_nothing_no_benefit", residual=t.number(nothing["residual_leaks_per_km_year"], decimals=2),
                 highest=t.number(nothing["highest_leaks_per_km_year"], decimals=3))
    if nothing.get("reason") == "over_budget":
        return t("r_nothing_over_budget", budget=t.money(nothing["budget_per_year_eur"]),
                 cheapest=t.money(nothing["cheapest_site_eur"]))
    return None


def how_solved(rn: dict, t) -> str:
    """One sentence on how far the plan is proven: best for the whole period, or not and why.

    ``t`` translates the report's strings; the app shows the same sentence on its renewal page.
    """
    solver = rn.get("solver") or {}
    name, status, gap = solver_name(solver.get("solver")), solver.get("status", "?"), solver.get("mip_gap")
    if rn.get("method") == "year_by_year":
        return t("r_year_by_year", n=t.number(rn.get("n_candidate_sites")))
    if rn.get("optimal", status == "optimal"):
        within = t("r_within", gap=t.percent(gap, decimals=1)) if gap and gap >= 0.0005 else ""
        return t("r_optimal", solver=name, within=within)
    if gap is None:
        return t("r_stopped_nogap", solver=name, status=status)
    return t("r_stopped", solver=name, status=status, gap=t.percent(gap, decimals=1))


def _by_year_table(rn: dict, t) -> str:
    rows = [[str(y.get("year")), t.money(y.get("cost_eur")), t.length(1000 * float(y.get("km_renewed", 0))),
             t.percent(float(y.get("renewal_rate_pct", 0)) / 100, decimals=2), t.number(y.get("n_pipes")),
             t.number(y.get("leaks_avoided"), decimals=1)] for y in rn.get("by_year") or []]
    if not rows:
        return ""
    return table(t("r_table_caption"), [(t("col_year"), False), (t("col_cost"), True), (t("col_km"), True),
                                        (t("col_rate"), True), (t("col_npipes"), True), (t("col_avoided"), True)],
                 rows)


def _first_year_table(plan: pd.DataFrame | None, t) -> str:
    if plan is None or plan.empty or "year" not in plan:
        return ""
    first = plan[plan["year"] == plan["year"].min()].sort_values("leaks_avoided", ascending=False).head(10)
    rows = [[r.pipe_id, material_name(t, getattr(r, "material", "")), _year(getattr(r, "install_year", np.nan)),
             t.number(getattr(r, "diameter_mm", np.nan)) + "\u00a0mm", t.length(r.length_m), t.money(r.cost),
             t.number(r.leaks_avoided, decimals=2)] for r in first.itertuples()]
    return table(t("r_first_caption"), [(t("col_pipe"), False), (t("col_material"), False), (t("col_laid"), True),
                                        (t("col_diameter"), True), (t("col_length"), True), (t("col_cost"), True),
                                        (t("col_avoided"), True)], rows)


def _year(value) -> str:
    v = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "–" if pd.isna(v) else str(int(v))


def material_name(t, value) -> str:
    """A material family's name in the report's language (the value itself when it is no family)."""
    key = f"mat_{value}"
    return t(key) if key in t.table else str(value)


# --- data quality ---------------------------------------------------------------------------

def quality_section(run, t, cfg) -> str:
    val = run.json.get("validation")
    if not val:
        return not_run(run, t, "validation.json")
    s, issues = val.get("summary") or {}, list(val.get("issues") or [])
    counts = val.get("issue_counts") or {k: sum(1 for i in issues if i.get("severity") == k)
                                         for k in SEVERITIES}
    parts = [para(t("q_sentence", pipes=t.counted("q_pipes", s.get("pipes_read")),
                    kept=t.counted("q_kept", s.get("pipes_kept")), leaks=t.counted("q_leaks", s.get("leaks_read")),
                    used=t.counted("q_used", s.get("leaks_used")), errors=t.counted("q_errors", counts.get("error", 0)),
                    warnings=t.number(counts.get("warning", 0)), infos=t.number(counts.get("info", 0))), "lead")]
    if not issues:
        return "".join(parts + [para(t("q_none"))])
    shown = issues_in_order(issues)[:cfg.max_issues]
    rows = [[severity_label(i.get("severity"), t.lang), t.number(i.get("count")), issue_message(i, t.lang),
             example_text(i, t)] for i in shown]
    parts.append(table(t("q_caption"), [(t("col_severity"), False), (t("col_count"), True),
                                        (t("col_problem"), False), (t("col_example"), False)], rows))
    if t("q_lang") and any(not i.get(f"message_{t.lang}") for i in shown):   # a run written before message_fr
        parts.append(para(t("q_lang"), "small"))
    return "".join(parts)


def example_text(issue: dict, t) -> str:
    """The first example of a data check as the report's reader reads it: its fields named in the report's
    language, materials and imputation methods in words, numbers and dates written the language's way
    ("ligne 54, conduite LINK-57, matériau amiante-ciment, posée en 1976")."""
    ex = issue.get("examples") or []
    if not ex:
        return ""
    first = ex[0]
    if isinstance(first, dict):
        # a value converted from another unit is shown as written, with no unit ("diameter 8, read as 203.2 mm")
        converted = {k for k, v in (("diameter_mm", "read_as_mm"), ("length_m", "read_as_m")) if v in first}
        return ", ".join(_example_field(t, str(k), v, as_written=k in converted) for k, v in list(first.items())[:4])
    return _short(first)


#: Example fields written as whole numbers without a thousands separator (years, row numbers).
_PLAIN_INTEGERS = ("row", "year", "install_year")
#: Example fields -> decimals (at most; none trailing).
_DECIMALS = {"diameter_mm": 1, "length_m": 1, "snap_distance_m": 2, "x": 2, "y": 2, "read_as_mm": 1, "read_as_m": 1,
             "imputed_length_m": 1, "geometry_length_m": 1, "network_length_m": 1}


def _example_field(t, key: str, value, *, as_written: bool = False) -> str:
    shown = _example_value(t, key, value)
    if f"ex_{key}_as_written" in t.table and (as_written or isinstance(value, str)
                                               and not re.fullmatch(r"[\d.,\s]+", value)):
        key += "_as_written"   # a diameter given with its unit ('8"', "0.15 m"), or in inches: not "8\" mm"
    return t(f"ex_{key}", v=shown) if f"ex_{key}" in t.table else f"{key}={shown}"


def _example_value(t, key: str, v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):   # a blank cell of the input (JSON null)
        return "—"
    if key == "material":
        return material_name(t, v)
    if key == "imputed_from":
        return label(f"method_{v}", t.lang) if f"method_{v}" in PHRASES else str(v)
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T00:00:00)?", v):   # an ISO date leakopt wrote
        return t.date(v[:10], short=True)   # one that is no date ("2015-02-30") as written
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if key in _PLAIN_INTEGERS and float(v).is_integer():
            return str(int(v))
        decimals = _DECIMALS.get(key, 0 if float(v).is_integer() else 3)
        text = t.number(v, decimals=decimals)
        mark = "," if t.lang == "fr" else "."
        return text.rstrip("0").rstrip(mark) if mark in text else text
    return _short(v)


def _short(v) -> str:
    if v is None:   # a blank cell of the input (JSON null)
        return "—"
    if isinstance(v, float):
        return f"{v:.6g}"
    text = str(v).removesuffix("T00:00:00")   # a date read from the input, shown as the date it is
    return text if len(text) <= 40 else text[:39] + "…"


# --- how the model decides ------------------------------------------------------------------

def factor_counts(texts: pd.Series, *, top: int = 8) -> pd.Series:
    """Share of pipes whose explanation names each kind of reason (numbers and brackets removed)."""
    parts = texts.dropna().astype(str).str.split(";").explode().str.strip()
    parts = parts[parts != ""]
    kinds = (parts.str.replace(r"\([^)]*\)", "", regex=True).str.replace(r"\d[\d.,]*", "…", regex=True)
             .str.replace(r"\s+", " ", regex=True).str.strip(" ,"))
    n = max(texts.notna().sum(), 1)
    per_pipe = pd.DataFrame({"pipe": kinds.index, "kind": kinds.to_numpy()}).drop_duplicates()
    return (per_pipe["kind"].value_counts() / n).head(top)


def _hydraulics_note(run, t) -> str:
    """A highlighted sentence when the run's hydraulic simulation failed (from manifest.json)."""
    hyd = (run.json.get("manifest") or {}).get("hydraulics") or {}
    if hyd.get("status") != "failed":
        return ""
    return para(t("mo_hydraulics_failed", error=hyd.get("error") or t("unknown")), "notrun")


def model_section(run, t, cfg) -> str:
    risk = run.risk
    note = _hydraulics_note(run, t)
    col = next((c for c in (f"top_factors_{t.lang}", "top_factors") if c in risk), None)
    if col is None:
        return note + para(t("mo_none"), "notrun")
    zone = _zone_mask(risk)
    texts = risk.loc[zone, col] if zone.any() else risk[col]
    counts = factor_counts(texts)
    given = (run.json.get("manifest") or {}).get("model_given")
    borrowed = para(t("mo_given", name=_name(given.get("path"))), "lead") if given else ""
    missing = (given or {}).get("missing_features")
    if missing:
        borrowed += para(t("mo_missing", n=t.number(len(missing)), names=", ".join(missing)))
    prior = prior_scored(run)
    if prior:
        borrowed += para(t("mo_prior"), "lead")
    intro = "mo_intro_given" if given else "mo_intro_prior" if prior else "mo_intro"
    parts = [note, borrowed, para(t(intro))]
    parts.append(table(t("mo_factor_caption"), [(t("col_reason"), False), (t("col_pipes_share"), True)],
                       [[k, t.percent(v, decimals=0)] for k, v in counts.items()]))
    top = risk.sort_values("rank").head(5) if "rank" in risk else risk.head(5)
    rows = [[str(getattr(r, "rank", "")), r.pipe_id, material_name(t, getattr(r, "material", "")),
             t.number(getattr(r, "leaks_per_km_year", np.nan), decimals=2), str(getattr(r, col))]
            for r in top.itertuples()]
    parts.append(table(t("mo_examples_caption"), [(t("col_rank"), True), (t("col_pipe"), False),
                                                  (t("col_material"), False), (t("col_per_km"), True),
                                                  (t("col_why"), False)], rows))
    return "".join(parts)


# --- compute cost, limits, about ------------------------------------------------------------

def compute_section(run, t, cfg) -> str:
    man = run.json.get("manifest")
    timings = (man or {}).get("timings") or {}
    stages = timings.get("stages") or {}
    if not stages:
        return not_run(run, t, "manifest.json")
    total = timings.get("total") or {}
    cpu = total.get("cpu_seconds", sum(s.get("cpu_seconds", 0) for s in stages.values()))
    wall = total.get("wall_seconds", sum(s.get("wall_seconds", 0) for s in stages.values()))
    mem = total.get("peak_rss_mb") or max((s.get("peak_rss_mb", 0) for s in stages.values()), default=None)
    parts = [para(t("c_sentence", cpu=t.seconds(cpu), wall=t.seconds(wall),
                    cpus=(man.get("machine") or {}).get("cpus", t("unknown")),
                    mem=t.size(float(mem) * 1024 ** 2) if mem else t("unknown")), "lead")]
    rows = [[t(f"stage_{k}") if f"stage_{k}" in t.table else k, t.seconds(s.get("cpu_seconds")),
             t.seconds(s.get("wall_seconds"))] for k, s in stages.items()]
    rows.append([t("total"), t.seconds(cpu), t.seconds(wall)])
    parts.append(table(t("c_caption"), [(t("col_stage"), False), (t("col_cpu"), True), (t("col_wall"), True)], rows))
    return "".join(parts)


def limits_section(run, t, cfg) -> str:
    rn = run.json.get("renewal")
    items = "".join(f"<li>{esc(t(cost_key('l_5', rn) if i == 5 else f'l_{i}'))}</li>" for i in range(1, 8))
    parts = [para(t("l_intro")), f"<ul>{items}</ul>"]
    backtest = run.json.get("backtest") or {}
    notes = backtest_notes(backtest, t.lang)
    if notes:
        translated = t.lang != "en" and notes != list(backtest.get("notes") or [])
        parts.append(para(label("notes_heading", t.lang) if translated else t("l_notes")))
        parts.append(f'<ul lang="{t.lang if translated else "en"}">' + "".join(f"<li>{esc(n)}</li>" for n in notes)
                     + "</ul>")
    return "".join(parts)


def about_section(run, t, cfg) -> str:
    man = run.json.get("manifest")
    if not man:
        return para(t("a_none"), "notrun")
    rows = [[t("a_as_of"), t.date(man.get("as_of"))]]
    if man.get("first_record_year"):
        rows.append([t("a_first"), str(man["first_record_year"])])
    inputs = dict(man.get("inputs") or {})
    if man.get("model_given"):   # a model trained elsewhere is an input of this run too
        inputs["model"] = man["model_given"]
    for role, info in inputs.items():
        info = info if isinstance(info, dict) else {"path": info}
        if not info.get("path"):
            continue   # an input not given (no leak history when a model trained elsewhere scores the pipes)
        sha = (info.get("sha256") or "")[:12]
        role_name = t(f"a_role_{role}") if f"a_role_{role}" in t.table else role
        rows.append([t("a_input", role=role_name), f"{_name(info.get('path'))}" + (f" (sha256 {sha}…)" if sha else "")])
    versions = man.get("versions") or {}
    if versions:
        rows.append([t("a_versions"), ", ".join(f"{k} {v}" for k, v in versions.items())])
    body = "".join(f'<tr><th scope="row">{esc(a)}</th><td>{esc(b)}</td></tr>' for a, b in rows)
    return f"<table><caption>{esc(t('h_about'))}</caption><tbody>{body}</tbody></table>"


def _name(path) -> str:
    return re.split(r"[\\/]", str(path))[-1] if path else "–"

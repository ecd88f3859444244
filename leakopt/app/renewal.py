"""Renewal: an annual budget slider, the optimised plan, and the simple rules at the same budget."""
from __future__ import annotations

import dataclasses
import math

import pandas as pd

from leakopt.app import data, mapview, tables
from leakopt.app.widgets import altair_chart, escape_markdown, wrappable
from leakopt.i18n import MISSING, Translator
from leakopt.report.sections import currency_note, how_solved, nothing_text
from leakopt.report.text import STRINGS as REPORT_STRINGS

RULES = ("oldest_first", "most_leaks_first")


def budget_range(base_eur: float) -> tuple[int, int, int, int]:
    """Slider (min, max, step, default) in thousands (of the run's currency) around the run's budget."""
    base_k = max(float(base_eur) / 1000, 1.0)
    step = int(10 ** max(0, math.floor(math.log10(base_k / 10)))) if base_k >= 10 else 1
    default = max(step, int(round(base_k / step)) * step)
    lo = max(step, int(round(base_k / 4 / step)) * step)
    hi = max(default + step, int(round(base_k * 4 / step)) * step)
    return lo, hi, step, default


def budget_options(base_eur: float) -> tuple[list[int], int]:
    """The budgets the slider offers, in thousands (of the run's currency), and the one it starts on: the run's
    own, to the thousand, among the rounded steps (it started on the nearest step, "4,800" beside the run's
    "€4.78 million" for the same plan)."""
    lo, hi, step, _ = budget_range(base_eur)
    own = max(1, int(round(float(base_eur) / 1000)))
    return sorted({*range(lo, hi + 1, step), own}), own


def plan(run: data.RunData, annual_budget_eur: float) -> tuple[pd.DataFrame, dict]:
    """The optimised renewal plan at ``annual_budget_eur`` a year (cached per budget)."""
    import streamlit as st

    @st.cache_data(show_spinner=False, max_entries=64)
    def _plan(run_dir: str, budget: float):
        from leakopt.app.sensors import run_config
        from leakopt.renewal import plan_renewal
        cfg = dataclasses.replace(run_config(run).stage("renewal"), annual_budget_eur=float(budget))
        risk = run.risk
        adjacency = risk[["pipe_id", "start_node", "end_node"]] if {"start_node", "end_node"} <= set(risk) else None
        # the run's leak records count each pipe's past leaks for "most leaks first" (risk.csv has no count)
        result = plan_renewal(risk, config=cfg, adjacency=adjacency, leaks=run.leaks, as_of=run.manifest.get("as_of"))
        return result.plan, result.summary
    return _plan(str(run.run_dir), float(annual_budget_eur))


def render(ctx) -> None:
    import streamlit as st
    t, run = ctx.t, ctx.run
    st.header(t("rn_title"))
    if not run.renewal:
        st.info(t("missing_file", name="renewal.json"))
        return
    options, default = budget_options(run.renewal.get("budget_per_year_eur") or 1e6)
    # a select slider, so its value and bounds read "4,800" / "4 800" (st.slider's format is printf: "4800")
    # the default only for a new slider: one kept from another page (main.keep_choices) has its value
    # (giving both made Streamlit warn that the value was also set through the session state)
    kept = st.session_state.get("rn_budget")
    if kept is not None and kept not in options:   # a value of other options: the slider starts on the run's
        del st.session_state["rn_budget"]
        kept = None
    start = {} if kept is not None else {"value": default}
    budget_k = st.select_slider(t("rn_budget"), options, format_func=t.number, key="rn_budget", **start)
    if budget_k == default:
        table, summary = run.renewal_plan, run.renewal
    else:
        with st.spinner(t("rn_solving")):
            table, summary = plan(run, budget_k * 1000.0)
    years = summary.get("years", "")
    c1, c2, c3 = st.columns(3)
    c1.metric(t("rn_avoided"), t.number(summary.get("leaks_avoided"), decimals=1), t("rn_years", y=years),
              delta_color="off", delta_arrow="off")
    c2.metric(t("rn_km"), t.length(1000 * (summary.get("km_renewed") or 0)))
    c3.metric(t("rn_cost"), wrappable(t.money(summary.get("total_cost_eur"))))
    report_t = Translator(REPORT_STRINGS, ctx.lang, currency=t.currency)
    st.caption(how_solved(summary, report_t))   # the report's own sentence
    currency = currency_note(summary, report_t)   # a plan not in euros, and one on the default table's euro prices
    if currency:
        st.caption(escape_markdown(currency))
    nothing = nothing_text(summary, report_t)
    if nothing:   # as written: two amounts in dollars are no LaTeX formula ("$10 ... $41,000")
        st.info(escape_markdown(nothing))
    if summary.get("risk_avoided") is not None:
        key = "rn_objective_risk" if by_risk(summary) else "rn_objective_leaks"
        st.caption(t(key, risk=t.number(summary["risk_avoided"], decimals=1)))
    _rules(t, summary)
    _by_year(t, summary)
    if table is not None and not table.empty:
        st.subheader(t("rn_pipes"))
        tables.dataframe(t, mapview.with_material_names(table, ctx.lang))
        if budget_k != default:   # a re-plan is not among the run's files: downloadable here
            name = f"renewal_plan_{budget_k}k.csv"
            st.download_button(t("rn_download", budget=t.money(1000.0 * budget_k)), table.to_csv(index=False).encode("utf-8"),
                               file_name=name, mime="text/csv", key="rn_download", on_click="ignore")


def by_risk(summary: dict) -> bool:
    """Whether the plan maximised business risk avoided (``[renewal] objective = "risk"``)."""
    return summary.get("objective") == "risk"


def rules_frame(t, summary: dict) -> pd.DataFrame:
    """The optimised plan and each available rule: leaks avoided (and business risk avoided when the run
    has consequences), km, cost, ratio (in what the plan maximised)."""
    risk = summary.get("risk_avoided") is not None

    def row(name, figures, ratio):
        out = {t("rn_rule"): name, t("rn_avoided"): figures.get("leaks_avoided")}
        if risk:
            out[t("rn_risk_avoided")] = figures.get("risk_avoided")
        return {**out, t("rn_km"): figures.get("km_renewed"), t("rn_cost"): figures.get("total_cost_eur"),
                t("rn_ratio"): ratio}
    rows = [row(t("rn_optimised"), summary, 1.0)]
    for rule in RULES:
        r = (summary.get("rules") or {}).get(rule) or {}
        if r.get("available", True) and r.get("leaks_avoided") is not None:
            rows.append(row(t(f"rn_{rule}"), r, r.get("ratio")))
    return pd.DataFrame(rows)


def _rules(t, summary: dict) -> None:
    import streamlit as st
    frame = rules_frame(t, summary)
    if len(frame) < 2:
        return
    st.subheader(t("rn_rules"))
    shown = frame.copy()
    shown[t("rn_avoided")] = [t.number(v, decimals=1) for v in frame[t("rn_avoided")]]
    if t("rn_risk_avoided") in frame:
        shown[t("rn_risk_avoided")] = [t.number(v, decimals=1) for v in frame[t("rn_risk_avoided")]]
    shown[t("rn_km")] = [t.length(1000 * v) if v is not None else "–" for v in frame[t("rn_km")]]
    shown[t("rn_cost")] = [t.money(v) for v in frame[t("rn_cost")]]
    shown[t("rn_ratio")] = [f"×{t.number(v, decimals=2)}" for v in frame[t("rn_ratio")]]
    st.dataframe(shown, hide_index=True, width="stretch", placeholder=MISSING)
    measure = t("rn_risk_avoided") if by_risk(summary) else t("rn_avoided")
    best = frame.iloc[1:].sort_values(measure, ascending=False).iloc[0]
    if best[t("rn_ratio")]:
        st.markdown(t("rn_beats_risk" if by_risk(summary) else "rn_beats",
                      ratio=t.number(best[t("rn_ratio")], decimals=2), rule=best[t("rn_rule")]))


def _by_year(t, summary: dict) -> None:
    import altair as alt
    import streamlit as st
    by_year = pd.DataFrame(summary.get("by_year") or [])
    if by_year.empty:
        return
    st.subheader(t("rn_by_year"))
    chart = pd.DataFrame({"year": by_year["year"].astype(str), "km": by_year["km_renewed"]})
    # through the app's altair path, so the bars' tooltip writes numbers the reader's way ("8,57" in French)
    bars = alt.Chart(chart).mark_bar(color="#1f78b4").encode(
        x=alt.X("year:N", title=t("rn_year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("km:Q", title="km"),
        tooltip=[alt.Tooltip("year:N", title=t("rn_year")), alt.Tooltip("km:Q", title="km", format=",.2f")])
    altair_chart(t, bars.properties(height=220))

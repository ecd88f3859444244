"""Overview: the key figures an elected official reads in one minute."""
from __future__ import annotations

import pandas as pd

from leakopt.app import data
from leakopt.app.validation import window_years
from leakopt.app.widgets import altair_chart, escape_markdown, wrappable
from leakopt.consequence.matrix import matrix_corner
from leakopt.i18n import Translator
from leakopt.report.sections import pdd_sentence, segments_sentence
from leakopt.report.text import STRINGS as REPORT_STRINGS
from leakopt.risk.backtest import measured


def leaks_per_year(run: data.RunData) -> float | None:
    """Recorded leaks a year, as the run computed it (:func:`leakopt.validate.recorded_leak_rate`)."""
    recorded = (run.validation.get("summary") or {}).get("recorded_leaks") or {}
    return recorded.get("leaks_per_year")


def render(ctx) -> None:
    import streamlit as st
    t, run = ctx.t, ctx.run
    st.header(t("ov_title"))
    risk, prio = run.risk, run.priority
    km_m = float(risk["length_m"].sum()) if "length_m" in risk else None
    per_year = leaks_per_year(run)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("ov_network"), t.length(km_m), t("ov_pipes", n=t.number(len(risk))), delta_color="off", delta_arrow="off")
    if per_year is not None:
        rate = 1e5 * per_year / km_m if km_m else None
        c2.metric(t("ov_leaks_year"), t.number(per_year, decimals=1 if per_year < 100 else 0), t("ov_per_100km", rate=t.number(rate, decimals=1)),
                  delta_color="off", delta_arrow="off")
    if prio:
        c3.metric(t("ov_zone"), t.percent(prio.get("length_share")),
                  t("ov_zone_delta", share=t.percent(prio.get("expected_leak_share"))), delta_color="off", delta_arrow="off")
    c4, c5, c6 = st.columns(3)
    _loggers(c4, t, run.placement)
    _renewal(c5, t, run.renewal)
    _backtest(c6, t, run.backtest)
    if prio and km_m:
        key = "ov_summary_prior" if run.prior_scored else "ov_summary" if per_year is not None else \
            "ov_summary_no_leaks"
        st.markdown(t(key, km=t.length(km_m), leaks=t.number(per_year, decimals=1 if (per_year or 0) < 100 else 0),
                      zone_len=t.percent(prio.get("length_share")),
                      zone_share=t.percent(prio.get("expected_leak_share"))))
    missing = run.model_given.get("missing_features")
    if missing:
        st.warning(t("ov_model_missing", n=t.number(len(missing)), names=escape_markdown(", ".join(missing))))
    if run.backtest:
        _backtest_text(t, run.backtest)
    if "risk_class" in risk and "length_m" in risk:
        st.subheader(t("ov_classes"))
        _class_chart(t, risk)
    if run.risk_matrix:
        _risk_matrix(t, run.risk_matrix)
    if run.manifest.get("as_of"):
        st.caption(t("as_of", date=t.date(run.manifest["as_of"])))


def matrix_frame(t, matrix: dict) -> pd.DataFrame:
    """The risk matrix of ``risk_matrix.json`` as shown: "pipes · length" per cell, classes as labels."""
    cells = [[f"{t.number(n)} · {t.length(1000 * km)}" for n, km in zip(ns, kms)]
             for ns, kms in zip(matrix["n_pipes"], matrix["km"])]
    return pd.DataFrame(cells, index=matrix["likelihood_classes"],
                        columns=[t("ov_consequence", c=c) for c in matrix["consequence_classes"]])


def _risk_matrix(t, matrix: dict) -> None:
    import streamlit as st
    st.subheader(t("ov_matrix"))
    corner = matrix_corner(matrix)
    if corner is not None:
        st.markdown(t("ov_matrix_corner", km=t.length(1000 * corner["km"]), n=t.number(corner["n_pipes"]),
                      rows=t("ov_and").join(map(str, corner["likelihood"])),
                      cols=t("ov_and").join(map(str, sorted(corner["consequence"], key=float)))))
    st.table(matrix_frame(t, matrix))
    st.caption(t("ov_matrix_caption"))
    st.caption(t("ov_matrix_map"))
    with st.expander(t("ov_matrix_how")):
        if (matrix.get("consequence") or {}).get("method", "").startswith("segments"):
            # the report's own sentences: how the network splits into valve segments, and how many of them a
            # pressure-dependent simulation judged
            report_t = Translator(REPORT_STRINGS, t.lang)
            st.caption(segments_sentence(matrix, report_t))
            st.caption(pdd_sentence(matrix["consequence"].get("pdd") or {}, report_t))
        st.markdown(t("ov_matrix_note"))


def _loggers(col, t, placement: dict | None) -> None:
    if not placement:
        return
    from leakopt.report.sections import full_network_comparison
    cmp = full_network_comparison(placement)   # the whole network only when every pipe is within reach of a site
    delta = None
    if cmp is not None:
        key = ("ov_loggers_delta" if cmp["whole"] else "ov_loggers_delta_reach") + ("" if cmp["factor"] else "_plain")
        delta = t(key, n=t.number(cmp["full"]), f=t.number(cmp["factor"], decimals=1) if cmp["factor"] else "")
    col.metric(t("ov_loggers"), t.number(placement.get("n_sensors")), delta, delta_color="off", delta_arrow="off")


def _renewal(col, t, renewal: dict | None) -> None:
    if not renewal:
        return
    col.metric(t("ov_renewal"), wrappable(t.money(renewal.get("budget_per_year_eur"))),
               t.counted("ov_renewal_delta", renewal.get("leaks_avoided"), decimals=1,
                         y=t.counted("ov_years", renewal.get("years"))), delta_color="off", delta_arrow="off")


def _backtest(col, t, backtest: dict | None) -> None:
    if not backtest:
        return
    if not measured(backtest):   # no leak in the test years: no share to show, and 0% would be wrong
        col.metric(t("ov_backtest"), t("ov_backtest_na"), t("ov_backtest_na_delta"), delta_color="off",
                   delta_arrow="off")
        return
    share = (backtest.get("model") or {}).get("capture", {}).get("0.2")
    col.metric(t("ov_backtest"), t.percent(share), t("ov_backtest_delta"), delta_color="off", delta_arrow="off")


def _backtest_text(t, backtest: dict) -> None:
    import streamlit as st
    share = (backtest.get("model") or {}).get("capture", {}).get("0.2")
    oldest = (backtest.get("baselines", {}).get("oldest_first") or backtest.get("oldest_first") or {})
    cutoff = str(backtest.get("cutoff", ""))[:4]
    if cutoff and not measured(backtest):
        st.markdown(t("ov_backtest_none", year=cutoff, h=window_years(t, backtest.get("horizon_years"))))
        return
    if share is None or not cutoff:
        return
    st.markdown(t("ov_backtest_text", year=cutoff, share=t.percent(share),
                  h=window_years(t, backtest.get("horizon_years")),
                  oldest=t.percent((oldest.get("capture") or {}).get("0.2"))))


def _class_chart(t, risk: pd.DataFrame) -> None:
    import altair as alt

    from leakopt.app.mapview import CLASS_COLOURS
    by_class = (risk.groupby("risk_class")["length_m"].sum() / 1000).rename("km").reset_index()
    classes = sorted(CLASS_COLOURS)
    colours = [f"rgb({','.join(map(str, CLASS_COLOURS[c]))})" for c in classes]
    chart = alt.Chart(by_class).mark_bar().encode(
        y=alt.Y("risk_class:N", title=t("rm_class"), sort=classes),
        x=alt.X("km:Q", title="km"),
        color=alt.Color("risk_class:N", scale=alt.Scale(domain=classes, range=colours), legend=None),
        tooltip=[alt.Tooltip("risk_class:N", title=t("rm_class")), alt.Tooltip("km:Q", title="km", format=",.1f")])
    altair_chart(t, chart.properties(height=200))

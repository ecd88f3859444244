"""Validation: backtest curves against the baselines, calibration, limits, and the data checks."""
from __future__ import annotations

import re

import pandas as pd

from leakopt.app import tables
from leakopt.app.data import hide_cache_paths
from leakopt.app.texts import method_label
from leakopt.app.widgets import altair_chart, escape_markdown
from leakopt.i18n import MISSING, SHORT_DATE
from leakopt.report.maps import METHOD_COLOURS
from leakopt.risk.backtest import backtest_notes, horizon_cut, measured, shown_years
from leakopt.validate.messages import issue_message, severity_label
from leakopt.validate.report import issues_in_order

CAPTURE_LEVELS = ("0.05", "0.1", "0.2", "0.3")


def methods(backtest: dict) -> dict[str, dict]:
    """Each ranking method of ``backtest.json`` with its ``capture`` map: the model first."""
    out = {}
    if isinstance(backtest.get("model"), dict):
        out["model"] = backtest["model"]
    nested = backtest.get("baselines")
    pool = nested if isinstance(nested, dict) else backtest
    for name, entry in pool.items():
        if name not in ("model", "truth") and isinstance(entry, dict) and "capture" in entry:
            out[name] = entry
    if isinstance(backtest.get("truth"), dict) and "capture" in backtest["truth"]:
        out["truth"] = backtest["truth"]
    return out


def window_years(t, years) -> str:
    """A backtest's test window with its word, rounded for reading: "3 years", "2.0 years" (1.997), "1,8 an"."""
    if years is None or years == "":
        return t.counted("ov_years", float("nan"))
    value, decimals = shown_years(years)
    return t.counted("ov_years", value, decimals=decimals)


def curves_frame(t, backtest: dict) -> pd.DataFrame:
    """Long frame of capture curves: ``method``, ``length_share``, ``leak_share`` (none when the test years held
    no leak: the captures are then null)."""
    parts = []
    for name, entry in methods(backtest).items():
        curve = entry.get("curve")
        if isinstance(curve, dict) and curve.get("length_share"):
            xs, ys = curve["length_share"], curve["leak_share"]
        elif any(v is None for v in entry["capture"].values()):   # not measured: nothing to draw
            continue
        else:   # only the capture points: draw them, from the origin
            xs = [0.0] + [float(k) for k in entry["capture"]]
            ys = [0.0] + [float(v) for v in entry["capture"].values()]
        parts.append(pd.DataFrame({"method": method_label(t, name), "length_share": xs, "leak_share": ys}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def capture_table(t, backtest: dict) -> pd.DataFrame:
    """One row per method, one column per share of length: share of later leaks found."""
    rows = []
    for name, entry in methods(backtest).items():
        row = {t("va_method"): method_label(t, name)}
        for level in CAPTURE_LEVELS:
            row[t.percent(float(level), decimals=0)] = t.percent(entry["capture"].get(level))
        rows.append(row)
    return pd.DataFrame(rows)


def calibration_frame(calibration) -> pd.DataFrame | None:
    """``decile``, ``predicted``, ``observed`` from the backtest's calibration, whatever its layout."""
    if not calibration:
        return None
    frame = pd.DataFrame(calibration)
    lower = {c.lower(): c for c in frame.columns}
    pred = next((lower[c] for c in lower if c.startswith("pred") or c.startswith("expected")), None)
    obs = next((lower[c] for c in lower if c.startswith("obs") or c.startswith("actual")), None)
    if pred is None or obs is None:
        return None
    dec = next((lower[c] for c in lower if "decile" in c or c in ("bin", "group")), None)
    decile = frame[dec] if dec else pd.Series(range(1, len(frame) + 1))
    return pd.DataFrame({"decile": decile.to_numpy(), "predicted": frame[pred].to_numpy(),
                         "observed": frame[obs].to_numpy()})


def render(ctx) -> None:
    import streamlit as st
    t, run = ctx.t, ctx.run
    st.header(t("va_title"))
    bt = run.backtest
    st.subheader(t("va_backtest"))
    if not bt:
        st.info(t("va_no_backtest_given" if run.model_given else "va_no_backtest_prior" if run.prior_scored
                  else "va_no_backtest"))
    else:
        cutoff, h = t.date(str(bt.get("cutoff", ""))[:10]), window_years(t, bt.get("horizon_years"))
        cut = horizon_cut(bt)
        if not measured(bt):   # no leak in the test years: no capture (null), not 0%
            st.info(t("va_backtest_none", cutoff=cutoff, h=h))
        else:
            st.markdown(t("va_backtest_given" if bt.get("model_given") else "va_backtest_text",
                          cutoff=cutoff, n=t.number(bt.get("n_test_leaks")), h=h))
        if cut:
            st.markdown(t("va_cut", asked=window_years(t, cut["asked"]), h=window_years(t, cut["years"]),
                          cutoff=cutoff, end=t.date(cut["end"])))
        if measured(bt):
            _curves(t, bt)
            st.caption(t("va_capture"))
            st.dataframe(capture_table(t, bt), hide_index=True, width="stretch", placeholder=MISSING)
        _calibration(t, bt.get("calibration"))
    st.subheader(t("va_limits"))
    st.markdown(t("va_limits_text"))
    notes = backtest_notes(bt or {}, t.lang)
    if notes:
        st.markdown(f"**{t('va_notes')}**\n\n" + "\n".join(f"- {escape_markdown(n)}" for n in notes))
    render_checks(t, run.validation)


def method_palette(t, backtest: dict, names: list[str]) -> list[str]:
    """The colour of each method named (its label in ``names``): the report's, so that both agree, and
    one of its own for a method the report has none for (a palette of six repeated the model's red for
    the seventh method)."""
    colour = {method_label(t, name): METHOD_COLOURS.get(name) for name in methods(backtest)}
    spare = iter(c for c in ("#2c7bb6", "#fdae61", "#7b3294", "#1a9641", "#999999", "#17becf", "#e377c2")
                 if c not in colour.values())
    return [colour.get(name) or next(spare, "#555555") for name in names]


def _curves(t, bt: dict) -> None:
    import altair as alt
    frame = curves_frame(t, bt)
    if frame.empty:
        return
    names = list(dict.fromkeys(frame["method"]))
    palette = method_palette(t, bt, names)
    chart = alt.Chart(frame).mark_line().encode(
        x=alt.X("length_share:Q", title=t("va_length_share"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("leak_share:Q", title=t("va_leak_share"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("method:N", title=t("va_method"), sort=names,
                        scale=alt.Scale(domain=names, range=palette),
                        legend=alt.Legend(labelLimit=400)),    # the methods' names whole, not cut at 160 px
        strokeWidth=alt.condition(alt.datum.method == method_label(t, "model"), alt.value(3.5), alt.value(1.5)))
    altair_chart(t, chart)


def _calibration(t, calibration) -> None:
    import altair as alt
    import streamlit as st
    frame = calibration_frame(calibration)
    if frame is None:
        return
    st.subheader(t("va_calibration"))
    long = frame.melt("decile", var_name="what", value_name="leaks")
    long["what"] = long["what"].map({"predicted": t("va_predicted"), "observed": t("va_observed")})
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("decile:O", title=t("va_decile")), xOffset="what:N",
        y=alt.Y("leaks:Q", title=""), color=alt.Color("what:N", title=""))
    altair_chart(t, chart)


def example_frame(t, examples: list) -> pd.DataFrame:
    """An issue's examples as a reader sees them: materials named, imputation methods in words (in French),
    ISO dates as dates (``2006-01-26``, ``26/01/2006`` in French) rather than timestamps, blanks as the app's
    missing mark rather than "None"."""
    from leakopt.app.mapview import with_material_names
    from leakopt.validate.messages import PHRASES, label
    frame = pd.DataFrame(examples) if isinstance(examples[0], dict) else pd.DataFrame({"": examples})
    frame = with_material_names(frame, t.lang)
    if "imputed_from" in frame:
        frame["imputed_from"] = [label(f"method_{v}", t.lang) if f"method_{v}" in PHRASES else v
                                 for v in frame["imputed_from"]]
    for col in ("date", "last_leak", "as_of"):
        if col in frame:
            # only the ISO dates leakopt writes: a date as the user wrote it (01/02/2019) is shown as written
            dates = pd.to_datetime(frame[col].astype(str), format="ISO8601", errors="coerce")
            shown = dates.dt.strftime(SHORT_DATE[t.lang])
            frame[col] = shown.where(dates.notna(), frame[col].astype(object))
    return tables.blanks_marked(frame)


def check_title(t, issue: dict) -> str:
    """A data check as its expander's title: "[to check] 153 leaks are dated before ...", its count added at the
    end only when the message does not already say it, and never a lone "(1)" after a one-time notice ("as-of
    date not given: ..."). The message, which quotes the files' values and names as written, is not read as
    Markdown (:func:`~leakopt.app.widgets.escape_markdown`)."""
    message = hide_cache_paths(issue_message(issue, t.lang))
    head = f"[{severity_label(issue.get('severity', ''), t.lang)}] {escape_markdown(message)}"
    count = issue.get("count")
    if count is None or int(count) <= 1 or int(count) in whole_numbers(message):
        return head
    return f"{head} ({t.number(count)})"


def whole_numbers(text: str) -> set[int]:
    """The whole numbers written in ``text``, with or without a thousands separator ("4000", "4,000",
    "4 000" in French); decimals ("1.5", "1,5") are not counts and are left out."""
    found = re.findall(r"\d+(?:[,\u202f]\d{3})*(?:[.,]\d+)?(?![\d])", text)
    numbers = set()
    for token in found:
        whole = token.replace("\u202f", "")
        if re.fullmatch(r"\d+(?:,\d{3})*", whole):
            numbers.add(int(whole.replace(",", "")))
    return numbers


def render_checks(t, validation: dict) -> None:
    import streamlit as st
    st.subheader(t("va_checks"))
    issues = validation.get("issues") or []
    if not issues:
        st.success(t("va_no_issue"))
        return
    for issue in issues_in_order(issues):   # as the report orders them
        with st.expander(check_title(t, issue)):
            ex = issue.get("examples") or []
            if ex:
                tables.dataframe(t, example_frame(t, ex))
            st.caption(t("va_code", code=issue.get("code", "")))

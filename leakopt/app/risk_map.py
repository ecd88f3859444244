"""Risk map: every pipe coloured by risk class, filters, and one pipe's details."""
from __future__ import annotations

import pandas as pd

from leakopt.app import data, mapview

#: Register columns offered as an "area" filter when present (first match).
AREA_COLUMNS = ("zone", "district", "sector", "secteur", "commune", "town", "pressure_zone", "dma")


def area_column(risk: pd.DataFrame) -> str | None:
    """The first pass-through column that names an area of the network, if any."""
    lower = {c.lower(): c for c in risk.columns}
    for name in AREA_COLUMNS:
        col = lower.get(name)
        if col is not None and 1 < risk[col].nunique() <= 200:
            return col
    return None


def filter_pipes(risk: pd.DataFrame, *, materials=None, classes=None, zone: str = "all",
                 area_col: str | None = None, areas=None) -> pd.DataFrame:
    """The pipes matching the filters (empty selections mean no filter)."""
    keep = pd.Series(True, index=risk.index)
    if materials:
        keep &= risk["material"].isin(materials)
    if classes:
        keep &= risk["risk_class"].isin(classes)
    if zone == "in":
        keep &= risk["in_priority_zone"]
    elif zone == "out":
        keep &= ~risk["in_priority_zone"]
    if area_col and areas:
        keep &= risk[area_col].astype(str).isin(areas)
    return risk[keep]


def factors_text(row: pd.Series, lang: str) -> str:
    """The plain-language top factors in ``lang`` (the run's language as fallback)."""
    for col in (f"top_factors_{lang}", "top_factors"):
        if col in row and isinstance(row[col], str) and row[col]:
            return row[col]
    return ""


def _filters(t, risk: pd.DataFrame):
    import streamlit as st
    c1, c2, c3 = st.columns(3)
    materials = c1.multiselect(t("rm_material"), sorted(risk["material"].astype(str).unique()), key="rm_material")
    classes = c2.multiselect(t("rm_class"), sorted(risk["risk_class"].astype(str).unique()), key="rm_class")
    zone = c3.selectbox(t("rm_zone"), ["all", "in", "out"], format_func=lambda z: t(f"rm_zone_{z}"),
                        key="rm_zone")
    area_col, areas = area_column(risk), None
    if area_col:
        areas = st.multiselect(t("rm_district", col=area_col), sorted(risk[area_col].astype(str).unique()),
                               key="rm_area")
    return filter_pipes(risk, materials=materials, classes=classes, zone=zone, area_col=area_col, areas=areas)


def render(ctx) -> None:
    import streamlit as st
    t, run, lang = ctx.t, ctx.run, ctx.lang
    st.header(t("rm_title"))
    shown = _filters(t, run.risk)
    km = shown["length_m"].sum() if "length_m" in shown else None
    st.caption(t("rm_shown", n=t.number(len(shown)), km=t.length(km),
                 leaks=t.number(shown["expected_leaks_per_year"].sum(), decimals=1)))
    if shown.empty:
        st.info(t("rm_none"))
        return
    selected = None
    if run.geometry is None:
        st.info(t("rm_no_geometry"))
    else:
        st.caption(t("rm_caption"))
        frame = mapview.risk_frame(shown, run.geometry.paths, lang=lang)
        layer = mapview.path_layer(frame, layer_id="pipes")
        chart = mapview.deck([layer], run.geometry.extent, tooltip=mapview.risk_tooltip(t))
        event = st.pydeck_chart(chart, on_select="rerun", selection_mode="single-object", key="risk_deck",
                                height=mapview.MAP_HEIGHT)
        st.markdown(mapview.legend_html([(f"{t('rm_class')} {c}", mapview.CLASS_COLOURS[c])
                                         for c in sorted(mapview.CLASS_COLOURS)]), unsafe_allow_html=True)
        picked = ((getattr(event, "selection", None) or {}).get("objects") or {}).get("pipes") or []
        if picked:
            selected = str(picked[0].get("pipe_id"))
    _details(t, run, shown, selected, lang)
    st.subheader(t("rm_table"))
    cols = [c for c in ("rank", "pipe_id", "risk_class", "expected_leaks_per_year", "leaks_per_km_year",
                        "material", "diameter_mm", "install_year", "length_m") if c in shown]
    st.dataframe(shown.sort_values("rank")[cols].head(200), hide_index=True, width="stretch")


def _details(t, run, shown: pd.DataFrame, selected: str | None, lang: str) -> None:
    import streamlit as st
    ordered = shown.sort_values("rank")
    options = ordered["pipe_id"].tolist()
    if selected is not None and selected in options:
        st.session_state["rm_pipe"] = selected
    if st.session_state.get("rm_pipe") not in options:
        st.session_state.pop("rm_pipe", None)
    pid = st.selectbox(t("rm_pick"), options, key="rm_pipe")
    row = ordered.set_index("pipe_id").loc[pid]
    row["pipe_id"] = pid
    st.subheader(t("rm_detail", pid=pid))
    attrs = t("rm_attrs", material=row.get("material", "?"), diameter=t.number(row.get("diameter_mm")),
              year=row.get("install_year", "?"), length=t.length(row.get("length_m")))
    st.caption(attrs)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("rm_expected"), t.number(row["expected_leaks_per_year"], decimals=3))
    c2.metric(t("rm_per_km"), t.number(row["leaks_per_km_year"], decimals=2))
    c3.metric(t("rm_rank"), f"{t.number(row['rank'])} / {t.number(len(run.risk))} · {row['risk_class']}")
    text = factors_text(row, lang)
    if text:
        st.markdown(t("rm_why", text=text))
    _history(t, run, pid)


def _history(t, run, pid: str) -> None:
    import streamlit as st
    if run.leaks is None:
        return
    mine = data.pipe_leaks(run.leaks, pid)
    if mine.empty:
        st.write(t("rm_no_history"))
        return
    dates = ", ".join(d.date().isoformat() for d in mine["date"].tail(12))
    st.write(t("rm_n_history", n=len(mine), dates=dates))

"""Risk map: every pipe coloured by likelihood, consequence or business risk, filters, one pipe's details.

When the run scored the consequence of failure, the map can be coloured by
consequence class or business risk too, and a cell of the risk matrix
(likelihood class x consequence class) filters the map and the table.
"""
from __future__ import annotations

import pandas as pd

from leakopt.app import data, mapview, tables
from leakopt.app.widgets import escape_markdown
from leakopt.i18n import MISSING, SHORT_DATE

#: Register columns offered as an "area" filter when present (first match).
AREA_COLUMNS = ("zone", "district", "sector", "secteur", "commune", "town", "pressure_zone", "dma")
#: What the map can be coloured by (the consequence ones only when the run has them).
COLOUR_BY = ("likelihood", "consequence", "business_risk")
#: Business-risk bands 4 to 1 cut like the consequence classes: cumulative shares of network length.
BAND_BOUNDS = (0.1, 0.3, 0.6)
#: Dates of recorded leaks the pipe card lists, the latest ones (it says so when a pipe has more).
HISTORY_SHOWN = 12


def area_column(risk: pd.DataFrame) -> str | None:
    """The first pass-through column that names an area of the network, if any."""
    lower = {c.lower(): c for c in risk.columns}
    for name in AREA_COLUMNS:
        col = lower.get(name)
        if col is not None and 1 < risk[col].nunique() <= 200:
            return col
    return None


def has_consequence(risk: pd.DataFrame) -> bool:
    """True when the run scored the consequence of failure (``risk.csv`` has its columns)."""
    return {"consequence_class", "business_risk"} <= set(risk.columns)


def business_bands(risk: pd.DataFrame) -> pd.Series:
    """Business-risk band of each pipe, 4 (highest) to 1, by cumulative share of network length.

    Band 4 holds the pipes of highest business risk up to 10% of the length, then 30%, 60%
    (:data:`BAND_BOUNDS`), as :func:`leakopt.consequence.consequence_classes` cuts the
    consequence classes.  Computed on the whole network, so filtering does not change colours.
    """
    from leakopt.consequence import consequence_classes
    return pd.Series(consequence_classes(pd.to_numeric(risk["business_risk"]).to_numpy(float),
                                         pd.to_numeric(risk["length_m"]).to_numpy(float), BAND_BOUNDS),
                     index=risk.index, name="business_band")


def band_limits(risk: pd.DataFrame) -> dict[int, float]:
    """Lowest business risk of each band present in ``risk`` (which has ``business_band``)."""
    return risk.groupby("business_band")["business_risk"].min().to_dict()


def colour_scheme(t, risk: pd.DataFrame, by: str) -> tuple[str, dict, dict, list, str]:
    """Column, colours, widths, legend items and caption key of the map coloured ``by``.

    ``risk`` is the whole network's frame (with ``business_band`` for ``by="business_risk"``).
    """
    if by == "consequence":
        return ("consequence_class", mapview.CONSEQUENCE_COLOURS, mapview.BAND_WIDTHS,
                [(t("ov_consequence", c=c), mapview.CONSEQUENCE_COLOURS[c]) for c in sorted(mapview.CONSEQUENCE_COLOURS,
                                                                                             reverse=True)],
                "rm_caption_consequence")
    if by == "business_risk":
        return "business_band", mapview.BUSINESS_COLOURS, mapview.BAND_WIDTHS, _band_legend(t, risk), \
            "rm_caption_business"
    return ("risk_class", mapview.CLASS_COLOURS, mapview.CLASS_WIDTHS,
            [(f"{t('rm_class')} {c}", mapview.CLASS_COLOURS[c]) for c in sorted(mapview.CLASS_COLOURS)], "rm_caption")


def _band_legend(t, risk: pd.DataFrame) -> list:
    """Legend of the business-risk bands, highest first: "≥ x", "y to x", ..., "< z"."""
    low = band_limits(risk)
    bands = sorted(low, reverse=True)
    items = []
    for i, b in enumerate(bands):
        lo, above = t.number(low[b], decimals=3), t.number(low[bands[i - 1]], decimals=3) if i else None
        label = (t("rm_band_top", lo=lo) if above is None else
                 t("rm_band_low", hi=above) if i == len(bands) - 1 else t("rm_band", lo=lo, hi=above))
        items.append((f"{t('rm_business')} {label}", mapview.BUSINESS_COLOURS[b]))
    return items


def matrix_cells(risk: pd.DataFrame) -> dict[str, int]:
    """Pipes in each cell of the risk matrix, keyed ``"A4"`` (likelihood class, consequence class), A4 first."""
    from leakopt.consequence import CONSEQUENCE_CLASSES, LIKELIHOOD_CLASSES
    counts = (risk["risk_class"].astype(str) + risk["consequence_class"].astype("Int64").astype(str)).value_counts()
    return {f"{r}{c}": int(counts.get(f"{r}{c}", 0)) for r in LIKELIHOOD_CLASSES for c in CONSEQUENCE_CLASSES}


def filter_pipes(risk: pd.DataFrame, *, materials=None, classes=None, zone: str = "all",
                 area_col: str | None = None, areas=None, cell: str | None = None) -> pd.DataFrame:
    """The pipes matching the filters (empty selections mean no filter).

    ``cell`` is a cell of the risk matrix, ``"A4"``: likelihood class A and consequence class 4.
    """
    keep = pd.Series(True, index=risk.index)
    if cell:
        keep &= (risk["risk_class"].astype(str) == cell[0]) & (
            pd.to_numeric(risk["consequence_class"], errors="coerce") == int(cell[1:]))
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


def year_text(value) -> str:
    """An install year as the pipe card writes it: "1950", not "1950.0" (a year column with a blank is read as
    numbers with decimals); the missing mark for a blank."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return MISSING if pd.isna(number) else str(int(round(number)))


def _filters(t, risk: pd.DataFrame):
    import streamlit as st
    c1, c2, c3 = st.columns(3)
    codes = sorted(risk["material"].astype(str).unique())
    names = dict(zip(codes, mapview.material_names(codes, t.lang)))
    materials = c1.multiselect(t("rm_material"), codes, format_func=names.get, key="rm_material",
                               placeholder=t("rm_no_filter"))
    classes = c2.multiselect(t("rm_class"), sorted(risk["risk_class"].astype(str).unique()), key="rm_class",
                             placeholder=t("rm_no_filter"))
    zone = c3.selectbox(t("rm_zone"), ["all", "in", "out"], format_func=lambda z: t(f"rm_zone_{z}"),
                        key="rm_zone")
    area_col, areas = area_column(risk), None
    if area_col:
        areas = st.multiselect(t("rm_district", col=escape_markdown(area_col)),
                               sorted(risk[area_col].astype(str).unique()), key="rm_area",
                               placeholder=t("rm_no_filter"))
    by, cell = "likelihood", None
    if has_consequence(risk):
        c4, c5 = st.columns(2)
        by = c4.radio(t("rm_colour_by"), COLOUR_BY, format_func=lambda k: t(f"rm_colour_{k}"), horizontal=True,
                      key="rm_colour")
        counts = {k: n for k, n in matrix_cells(risk).items() if n}   # an empty cell would show no pipe
        cell = c5.selectbox(t("rm_cell"), ["all", *counts], key="rm_cell",
                            format_func=lambda k: cell_option(t, k, counts.get(k, 0)))
    shown = filter_pipes(risk, materials=materials, classes=classes, zone=zone, area_col=area_col, areas=areas,
                         cell=None if cell in (None, "all") else cell)
    return shown, by


def cell_option(t, cell: str, n: int) -> str:
    """A risk matrix cell as the cell filter offers it: "A × 4 · 12 pipes", "A × 4 · 1 pipe"."""
    return t("rm_cell_all") if cell == "all" else t.counted("rm_cell_option", n, r=cell[0], c=cell[1:])


def shown_sentence(t, shown: pd.DataFrame) -> str:
    """What the filters leave: "12 pipes shown, 1.2 km, 0.4 expected leaks a year" (singular where the
    language takes it: "1 conduite affichée", "0,4 fuite attendue")."""
    km = shown["length_m"].sum() if "length_m" in shown else None
    return t("rm_shown", pipes=t.counted("rm_shown_pipes", len(shown)), km=t.length(km),
             leaks=t.counted("rm_shown_leaks", shown["expected_leaks_per_year"].sum(), decimals=1))


def render(ctx) -> None:
    import streamlit as st
    t, run, lang = ctx.t, ctx.run, ctx.lang
    st.header(t("rm_title"))
    risk = run.risk
    if has_consequence(risk):
        risk = risk.assign(business_band=business_bands(risk))
    shown, by = _filters(t, risk)
    st.caption(shown_sentence(t, shown))
    if shown.empty:
        st.info(t("rm_none"))
        return
    selected = None
    if run.geometry is None:
        st.info(t("rm_no_geometry"))
    else:
        column, colours, widths, legend, caption = colour_scheme(t, risk, by)
        st.caption(t(caption))
        frame = mapview.risk_frame(shown, run.geometry.paths, lang=lang, by=column, colours=colours, widths=widths)
        layer = mapview.path_layer(frame, layer_id="pipes")
        chart = mapview.deck([layer], run.geometry.extent,
                             tooltip=mapview.risk_tooltip(t, consequence=has_consequence(risk)))
        event = st.pydeck_chart(chart, on_select="rerun", selection_mode="single-object", key="risk_deck",
                                height=mapview.MAP_HEIGHT)
        st.markdown(mapview.legend_html(legend), unsafe_allow_html=True)
        picked = ((getattr(event, "selection", None) or {}).get("objects") or {}).get("pipes") or []
        if picked:
            selected = str(picked[0].get("pipe_id"))
    _details(t, run, shown, selected, lang)
    st.subheader(t("rm_table"))
    cols = [c for c in ("rank", "pipe_id", "risk_class", "expected_leaks_per_year", "leaks_per_km_year",
                        "consequence_class", "business_risk", "material", "diameter_mm", "install_year", "length_m")
            if c in shown]
    order = shown.sort_values("business_risk", ascending=False, kind="stable") if by == "business_risk" else \
        shown.sort_values("rank")
    tables.dataframe(t, mapview.with_material_names(order[cols].head(200), lang))


def _details(t, run, shown: pd.DataFrame, selected: str | None, lang: str) -> None:
    import streamlit as st
    ordered = shown.sort_values("rank")
    options = ordered["pipe_id"].tolist()
    if selected is not None and selected in options:
        st.session_state["rm_pipe"] = selected
    if st.session_state.get("rm_pipe") not in options:
        st.session_state.pop("rm_pipe", None)
    pid = st.selectbox(t("rm_pick"), options, key="rm_pipe", format_func=mapview.short_id)
    row = ordered.set_index("pipe_id").loc[pid]
    row["pipe_id"] = pid
    # the whole ID is in the table and the files; its Markdown signs as written ("P_12_A" was set in italics)
    st.subheader(t("rm_detail", pid=escape_markdown(mapview.short_id(pid))))
    material = mapview.material_names([row.get("material", "?")], lang).iloc[0]
    attrs = t("rm_attrs", material=escape_markdown(material), diameter=t.number(row.get("diameter_mm")),
              year=year_text(row.get("install_year")), length=t.length(row.get("length_m")))
    st.caption(attrs)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("rm_expected"), t.number(row["expected_leaks_per_year"], decimals=3))
    c2.metric(t("rm_per_km"), t.number(row["leaks_per_km_year"], decimals=2))
    c3.metric(t("rm_rank"), f"{t.number(row['rank'])} / {t.number(len(run.risk))} · {row['risk_class']}")
    if "business_risk" in row and pd.notna(row.get("consequence_class")):
        st.caption(t("rm_consequence_line", c=int(row["consequence_class"]),
                     points=t.number(row.get("consequence"), decimals=1), br=t.number(row["business_risk"], decimals=3)))
    text = factors_text(row, lang)
    if text:
        st.markdown(t("rm_why", text=escape_markdown(text)))   # plain text that may quote the register
    _history(t, run, pid)


def _history(t, run, pid: str) -> None:
    import streamlit as st
    if run.leaks is None:
        return
    mine = data.pipe_leaks(run.leaks, pid)
    if mine.empty:
        st.write(t("rm_no_history"))
        return
    shown = mine.tail(HISTORY_SHOWN)   # a date the file gave as a year alone is shown as that year, not 1 January
    dates = ", ".join(shown["date"].dt.strftime(SHORT_DATE[t.lang]).where(~shown["year_only"],
                                                                          shown["date"].dt.strftime("%Y")))
    key = "rm_n_history_1" if len(mine) == 1 else "rm_n_history_latest" if len(mine) > len(shown) else "rm_n_history"
    st.write(t(key, n=t.number(len(mine)), k=t.number(len(shown)), dates=dates))

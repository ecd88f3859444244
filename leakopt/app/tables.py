"""Tables as a reader sees them: column headers in the reader's language, numbers rounded.

The frames keep the column names of the output files (``risk.csv``, ``sensors.csv``,
``renewal_plan.csv``), so a table can be compared with its download; only the headers shown
and the number formats change, through ``st.dataframe(..., column_config=...)``.
"""
from __future__ import annotations

import pandas as pd

from leakopt.i18n import MISSING

#: Output-file column -> (header key in :data:`leakopt.app.texts.TEXTS`, format): a number of decimals
#: (the values are rounded to it and written in the app's language, not the browser's: "1 219,9" in French,
#: :func:`styled`), a printf format kept as is (years, ranks and counts: no thousands separator in a year),
#: or None (text).
COLUMNS: dict[str, tuple[str, str | int | None]] = {
    "rank": ("tc_rank", "%d"),
    "pipe_id": ("tc_pipe_id", None),
    "risk_class": ("tc_risk_class", None),
    "expected_leaks_per_year": ("tc_expected", 3),
    "leaks_per_km_year": ("tc_per_km", 2),
    "consequence_class": ("tc_consequence_class", "%d"),
    "consequence": ("tc_consequence", 2),
    "business_risk": ("tc_business_risk", 3),
    "material": ("tc_material", None),
    "diameter_mm": ("tc_diameter", 0),    # whole mm, as the pipe card says it; rounded, not cut: 304.8 is 305
    "install_year": ("tc_install_year", "%d"),
    "length_m": ("tc_length", 0),
    "node_id": ("tc_site", None),
    "x": ("tc_x", 1),
    "y": ("tc_y", 1),
    "node_type": ("tc_site_kind", None),
    "covered_pipes": ("tc_covered_pipes", "%d"),
    "covered_length_m": ("tc_covered_length", 0),
    "covered_risk_share": ("tc_covered_share", 2),
    "detected_scenarios": ("tc_detected_scenarios", "%d"),
    "detected_risk_share": ("tc_detected_share", 1),
    "year": ("tc_year", "%d"),
    "site_id": ("tc_renewal_site", None),
    "cost": ("tc_cost", 0),
    "leaks_avoided_per_year": ("tc_avoided_per_year", 3),
    "leaks_avoided": ("tc_avoided", 2),
    "risk_avoided": ("tc_risk_avoided", 2),
    # examples of the data checks (validation.json)
    "row": ("tc_row", "%d"),
    "leak_id": ("tc_leak_id", None),
    "date": ("tc_date", None),
    "snap_distance_m": ("tc_snap_distance", 1),
    "imputed_from": ("tc_imputed_from", None),
    "leaks": ("tc_leaks", "%d"),
    "material_raw": ("tc_material_raw", None),
    "pipes": ("tc_pipes", "%d"),
}

#: Cells up to which a table's numbers are written in the app's language (:func:`styled`: a Styler costs about
#: 17 µs a cell on each rerun, 0.9 s here); a bigger table shows fixed decimals ("0.201") in both languages.
STYLED_CELLS = 50_000

#: Columns written as shares (0–1) and shown in percent (their header says so).
PERCENT = ("covered_risk_share", "detected_risk_share")

#: Site kinds of ``sensors.csv`` (``node_type``) -> text key.
SITE_KINDS = {"junction": "tk_junction", "access_point": "tk_access_point", "hydrant": "tk_hydrant",
              "valve": "tk_valve", "chamber": "tk_chamber", "site": "tk_site"}


def shown(t, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """``frame`` ready for ``st.dataframe``: the frame (shares in percent, site kinds in words)
    and its ``column_config`` (translated headers, rounded numbers; those with decimals take no format there:
    :func:`styled` writes them); other columns are left as they are."""
    import streamlit as st

    out = frame.copy()
    for col in PERCENT:
        if col in out:
            out[col] = 100 * pd.to_numeric(out[col], errors="coerce")
    if "node_type" in out:
        kinds = {kind: t(key) for kind, key in SITE_KINDS.items()}   # each kind translated once, not per site
        out["node_type"] = out["node_type"].map(kinds).fillna(out["node_type"])
    config = {}
    for col in out.columns:
        if col not in COLUMNS:
            continue
        key, fmt = COLUMNS[col]
        if not pd.api.types.is_numeric_dtype(out[col]) or fmt is None:
            config[col] = st.column_config.Column(t(key))
        elif isinstance(fmt, int):
            out[col] = out[col].round(fmt)
            config[col] = st.column_config.NumberColumn(t(key))   # written by styled(): a format would win
        else:
            config[col] = st.column_config.NumberColumn(t(key), format=fmt)
    return out, config


def blanks_marked(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the blanks of its text columns filled with the app's missing mark ("–", not "None").
    Number columns keep their numbers, blanks included, so that they sort by value: :func:`dataframe` shows
    their blanks as the same mark."""
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if values.isna().any() and not (pd.api.types.is_numeric_dtype(values)
                                        and not pd.api.types.is_bool_dtype(values)):
            out[col] = values.astype(object).where(values.notna(), MISSING)
    return out


def _number_text(t, value, fmt) -> str:
    """One number as :func:`shown` would show it (decimals up to ``fmt``, none trailing), or the missing mark."""
    if pd.isna(value):
        return MISSING
    if not isinstance(fmt, int):   # printf "%d": years, ranks and counts, no thousands separator
        return str(int(round(float(value))))
    text = t.number(value, decimals=fmt)
    mark = "," if t.lang == "fr" else "."
    return text.rstrip("0").rstrip(mark) if mark in text else text


def styled(t, out: pd.DataFrame):
    """``out`` (from :func:`shown`) as a ``pandas`` Styler whose display texts write the numbers in the app's
    language ("0,201", "1\u202f219,9" in French; "0.201", "1,219.9" in English) whatever the browser's locale,
    blanks as the missing mark. The grid shows these texts but keeps the numbers: columns still sort by value.
    (``NumberColumn(format="localized")`` follows the browser's locale; its printf formats have no decimal
    comma.)"""
    styler = out.reset_index(drop=True).style.format(na_rep=MISSING)
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            fmt = COLUMNS.get(col, (None, 3))[1]
            styler = styler.format(lambda v, fmt=fmt: _number_text(t, v, fmt), subset=[col])
    return styler


def dataframe(t, frame: pd.DataFrame, **kwargs) -> None:
    """``st.dataframe`` of :func:`shown`: headers in the reader's language, numbers rounded and written in the
    app's language (:func:`styled`), blanks as the missing mark. A table of more than :data:`STYLED_CELLS` cells
    shows fixed decimals ("0.201") whatever the language: not the browser's format either, and quick to draw.

    The grid draws a blank cell with its ``placeholder`` ("None" by default), whatever text a Styler gives it:
    the placeholder is the mark, in every table, styled or not."""
    import streamlit as st

    out, config = shown(t, frame)
    data = out
    if out.size <= min(STYLED_CELLS, int(pd.get_option("styler.render.max_elements"))):
        data = styled(t, out)
    else:
        for col, column in config.items():
            fmt = COLUMNS[col][1]
            if isinstance(fmt, int) and column.get("type_config", {}).get("type") == "number":
                column["type_config"]["format"] = f"%.{fmt}f"
    st.dataframe(data, column_config=config, hide_index=True, width="stretch", placeholder=MISSING, **kwargs)

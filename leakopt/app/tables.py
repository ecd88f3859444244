"""Tables as a reader sees them: column headers in the reader's language, numbers rounded.

The frames keep the column names of the output files (``risk.csv``, ``sensors.csv``,
``renewal_plan.csv``), so a table can be compared with its download; only the headers shown
and the number formats change, through ``st.dataframe(..., column_config=...)``.
"""
from __future__ import annotations

import pandas as pd

from leakopt.i18n import MISSING

#: Output-file column -> (header key in :data:`leakopt.app.texts.TEXTS`, format): a number of decimals
#: (the values are rounded to it and shown in the browser's number format: "1 219,9" in French), a printf
#: format kept as is (years, ranks and counts: no thousands separator in a year), or None (text).
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
    "diameter_mm": ("tc_diameter", 1),    # rounded, not cut: 304.8 mm (12 in) is not "304"
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

#: Columns written as shares (0–1) and shown in percent (their header says so).
PERCENT = ("covered_risk_share", "detected_risk_share")

#: Site kinds of ``sensors.csv`` (``node_type``) -> text key.
SITE_KINDS = {"junction": "tk_junction", "access_point": "tk_access_point", "hydrant": "tk_hydrant",
              "valve": "tk_valve", "chamber": "tk_chamber", "site": "tk_site"}


def shown(t, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """``frame`` ready for ``st.dataframe``: the frame (shares in percent, site kinds in words)
    and its ``column_config`` (translated headers, rounded numbers); other columns are left as they are."""
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
            config[col] = st.column_config.NumberColumn(t(key), format="localized")
        else:
            config[col] = st.column_config.NumberColumn(t(key), format=fmt)
    return out, config


def blanks_marked(t, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its missing values shown as the app's missing mark ("–", not "None"): text columns
    filled; a number column with blanks written as text, rounded as :data:`COLUMNS` says, in the reader's
    number format. For small tables (a data check's examples): a column of text no longer sorts by value."""
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if not values.isna().any():
            continue
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            fmt = COLUMNS.get(col, (None, 3))[1]
            out[col] = [_number_text(t, v, fmt) for v in values]
        else:
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


def dataframe(t, frame: pd.DataFrame, **kwargs) -> None:
    """``st.dataframe`` of :func:`shown`: headers in the reader's language, numbers rounded."""
    import streamlit as st

    out, config = shown(t, frame)
    st.dataframe(out, column_config=config, hide_index=True, width="stretch", **kwargs)

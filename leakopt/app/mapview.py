"""Offline maps: pydeck layers in an orthographic view of local metres.

No basemap, no tiles, no token: ``map_style=None`` and an ``OrthographicView``
whose units are the metres of :class:`leakopt.app.data.Geometry`, north up.
deck.gl itself ships inside Streamlit's frontend, so the map draws with no
internet connection.
"""
from __future__ import annotations

import math

import pandas as pd

#: RGB of each risk class, red (A) to grey-green (D).
CLASS_COLOURS = {"A": [215, 25, 28], "B": [253, 141, 60], "C": [254, 217, 118], "D": [140, 170, 150]}
CLASS_WIDTHS = {"A": 3.5, "B": 2.5, "C": 2.0, "D": 1.5}
#: RGB of each consequence class, dark purple (4, most severe) to pale lilac (1).
CONSEQUENCE_COLOURS = {4: [84, 39, 143], 3: [128, 125, 186], 2: [177, 175, 214], 1: [210, 208, 228]}
#: RGB of each business-risk band, dark brown (4, highest) to pale yellow (1).
BUSINESS_COLOURS = {4: [102, 37, 6], 3: [204, 76, 2], 2: [254, 153, 41], 1: [254, 217, 142]}
BAND_WIDTHS = {4: 3.5, 3: 2.5, 2: 2.0, 1: 1.5}
GREY = [190, 190, 190]
BLUE = [31, 120, 180]
BLACK = [20, 20, 20]

MAP_HEIGHT = 520
#: Characters of a pipe or site ID a heading, a selector or a map tooltip shows (tables and files keep it whole).
ID_SHOWN = 60


def short_id(value, limit: int = ID_SHOWN) -> str:
    """An ID as a heading, a selector or a tooltip shows it: whole up to ``limit`` characters, else its start
    and its end around an ellipsis ("PIPE-720-XXXX…XXXX-07"), so a thousand-character ID cannot push the page
    off screen and IDs that differ at either end stay told apart."""
    text = str(value)
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return f"{text[:head]}…{text[len(text) - (limit - 1 - head):]}"


def initial_view(extent: tuple[float, float], *, height: int = MAP_HEIGHT, width: int = 900):
    """An orthographic view state framing the whole network."""
    import pydeck as pdk
    w, h = max(extent[0], 1.0), max(extent[1], 1.0)
    zoom = math.log2(min(width / w, height / h) * 0.92)
    return pdk.ViewState(target=[w / 2, h / 2, 0], zoom=zoom, min_zoom=zoom - 2, max_zoom=zoom + 8)


def view():
    """The north-up orthographic view (deck.gl flips y by default; we keep y pointing north)."""
    import pydeck as pdk
    return pdk.View(type="OrthographicView", controller=True, flipY=False)


def path_layer(frame: pd.DataFrame, *, layer_id: str, width_px: float = 2.0, pickable: bool = True):
    """A PathLayer of ``frame`` (columns ``path``, ``colour`` and optionally ``width`` in pixels)."""
    import pydeck as pdk
    return pdk.Layer("PathLayer", data=frame, id=layer_id, get_path="path", get_color="colour",
                     width_units=pdk.types.String("pixels"),   # a literal, not a column accessor
                     get_width="width" if "width" in frame else width_px, width_min_pixels=1, pickable=pickable,
                     auto_highlight=pickable, cap_rounded=True, joint_rounded=True)


def point_layer(frame: pd.DataFrame, *, layer_id: str, radius_px: float = 6.0, colour=None):
    """Dots at ``mx``, ``my`` (sensor sites)."""
    import pydeck as pdk
    frame = frame.assign(position=[[float(x), float(y)] for x, y in zip(frame["mx"], frame["my"])])
    return pdk.Layer("ScatterplotLayer", data=frame, id=layer_id, get_position="position",
                     get_fill_color=colour or BLACK, get_line_color=[255, 255, 255], stroked=True,
                     line_width_min_pixels=1, radius_units=pdk.types.String("pixels"), get_radius=radius_px,
                     pickable=True)


def deck(layers: list, extent: tuple[float, float], *, tooltip: dict | None = None):
    """A pydeck ``Deck`` with no basemap, framing ``extent``."""
    import pydeck as pdk
    return pdk.Deck(layers=layers, views=[view()], initial_view_state=initial_view(extent),
                    map_style=None, map_provider=None, tooltip=tooltip or False)


def risk_frame(risk: pd.DataFrame, paths: pd.DataFrame, *, lang: str, by: str = "risk_class",
               colours: dict | None = None, widths: dict | None = None) -> pd.DataFrame:
    """Pipes joined to their polylines, with colour and the tooltip fields.

    Each pipe takes the colour and width of its value in column ``by`` (the risk class by
    default); the most severe class, the widest, is drawn on top.
    """
    from leakopt.i18n import fmt_number
    colours, widths = colours or CLASS_COLOURS, widths or CLASS_WIDTHS
    cols = [c for c in ("pipe_id", "risk_class", "expected_leaks_per_year", "leaks_per_km_year",
                        "material", "install_year", "rank", "consequence_class", "business_risk", by)
            if c in risk.columns]
    frame = paths.merge(risk[list(dict.fromkeys(cols))], on="pipe_id", how="inner")
    frame["colour"] = frame[by].map(colours).apply(lambda c: c if isinstance(c, list) else GREY)
    frame["width"] = frame[by].map(widths).fillna(1.5).astype(float)
    frame = frame.sort_values("width", kind="stable", ignore_index=True)   # the most severe drawn on top
    frame["expected"] = [fmt_number(v, lang, decimals=3) for v in frame["expected_leaks_per_year"]]
    if "material" in frame:
        frame["material"] = material_names(frame["material"], lang).to_numpy()
    frame["per_km"] = [fmt_number(v, lang, decimals=2) for v in frame["leaks_per_km_year"]]
    if "business_risk" in frame:
        frame["business"] = [fmt_number(v, lang, decimals=3) for v in frame["business_risk"]]
    frame["laid"] = laid_in(frame["install_year"], lang) if "install_year" in frame else ""
    frame["pipe_label"] = [short_id(p) for p in frame["pipe_id"]]   # the tooltip's; a pick reads pipe_id
    return frame


def laid_in(years, lang: str) -> list[str]:
    """"laid in 2000" / "posée en 2000" for each install year ("" when unknown): a year in a tooltip says what
    it is."""
    from leakopt.app.texts import translator
    t = translator(lang)
    return [t("rm_laid", year=int(y)) if pd.notna(y) else "" for y in pd.to_numeric(pd.Series(years), errors="coerce")]


def material_names(values, lang: str) -> pd.Series:
    """Material families by their name in ``lang`` (as the report and the explanations write them);
    each distinct value named once."""
    from leakopt.i18n import Translator
    from leakopt.report.sections import material_name
    from leakopt.report.text import STRINGS
    t = Translator(STRINGS, lang)
    codes = pd.Series(values, dtype=object).astype(str)
    return codes.map({code: material_name(t, code) for code in codes.unique()})


def with_material_names(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its ``material`` column named in ``lang`` (:func:`material_names`), missing values
    left missing; the frame itself when it has no such column."""
    if "material" not in frame:
        return frame
    codes = frame["material"]
    named = material_names(codes.fillna(""), lang).to_numpy()
    return frame.assign(material=codes.where(codes.isna(), named))


def risk_tooltip(t, *, consequence: bool = False) -> dict:
    """Hover text of a pipe on the risk map (with its consequence class and business risk if known); each
    "label: value" written the reader's way (a no-break space before the colon in French)."""
    def field(label: str, value: str) -> str:
        return t("rm_tip_field", label=label, value=value)
    html = (f"<b>{{pipe_label}}</b> · {t('rm_class')} {{risk_class}}<br/>"
            f"{field(t('rm_expected'), '{expected}')}<br/>{field(t('rm_per_km'), '{per_km}')}<br/>")
    if consequence:
        html += f"{t('ov_consequence', c='{consequence_class}')} · {field(t('rm_business'), '{business}')}<br/>"
    html += f"{field(t('rm_material'), '{material}')} · {{laid}}"
    return {"html": html, "style": {"fontSize": "12px"}}


def legend_html(items: list[tuple[str, list[int]]]) -> str:
    """A one-line colour legend: coloured squares and labels."""
    chips = [f'<span style="color:rgb({c[0]},{c[1]},{c[2]});font-size:1.2em">&#9632;</span>&nbsp;{label}'
             for label, c in items]
    return '<div style="font-size:0.9em">' + " &nbsp; ".join(chips) + "</div>"

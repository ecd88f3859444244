"""The report's figures: network map, capture curves, calibration, logger, campaign and renewal charts.

Each function draws with matplotlib (no pyplot state, no basemap, nothing
downloaded) and returns a ``data:image/png;base64,...`` URI to embed in the
page, or None when there is nothing to draw.  Texts come from the caller's
:class:`leakopt.i18n.Translator`.
"""
from __future__ import annotations

import base64
import io
import json
import logging
import math
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

#: Colours of the risk classes (red to grey), colour-blind safe in order of lightness.
CLASS_COLOURS = {"A": "#c0392b", "B": "#e67e22", "C": "#f4d03f", "D": "#aab7b8"}
SENSOR_COLOUR = "#1a5276"
METHOD_COLOURS = {"model": "#c0392b", "oldest_first": "#7f8c8d", "leaks_per_km_so_far": "#2471a3",
                  "cohort_rate": "#27ae60", "poisson_glm": "#8e44ad", "plain_lightgbm": "#d35400",
                  "literature_prior": "#b7950b", "truth": "#000000"}


def _figure(width: float, height: float):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig


def png_uri(fig) -> str:
    """The figure as an embeddable base64 PNG data URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# --- map ------------------------------------------------------------------------------------

def read_geojson_lines(path: Path) -> tuple[list[np.ndarray], pd.DataFrame, bool]:
    """Lines of ``risk.geojson``: (list of (k, 2) arrays, per-line properties, is_wgs84).

    Coordinates are WGS84 longitude/latitude unless the file declares a
    ``crs`` or says it holds local coordinates (as leakopt writes it when the
    CRS is unknown), or its coordinates fall outside longitude/latitude ranges.
    """
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    lines, rows = [], []
    for feat in doc.get("features", []):
        geom = feat.get("geometry") or {}
        parts = {"LineString": [geom.get("coordinates")],
                 "MultiLineString": geom.get("coordinates")}.get(geom.get("type"), [])
        props = feat.get("properties") or {}
        parts = [part for part in parts or [] if part and len(part) >= 2]
        for i, part in enumerate(parts):   # a pipe's first part starts at its start node, its last ends at its end
            lines.append(np.asarray(part, dtype=float)[:, :2])
            rows.append({"pipe_id": str(props.get("pipe_id")), "risk_class": props.get("risk_class"),
                         "in_priority_zone": props.get("in_priority_zone"),
                         "length_m": props.get("length_m"),
                         "start_node": props.get("start_node") if i == 0 else None,
                         "end_node": props.get("end_node") if i == len(parts) - 1 else None})
    local = "local" in str(doc.get("description", "")).lower() or _declares_projected_crs(doc)
    if lines and not local:
        allc = np.concatenate(lines)
        local = not (np.abs(allc[:, 0]).max() <= 180 and np.abs(allc[:, 1]).max() <= 90)
    return lines, pd.DataFrame(rows), not local


#: ``validation.json`` codes saying the network's x, y are not those of the drawn pipes.
NETWORK_XY_OFF_MAP = ("network_coordinates_elsewhere", "network_without_coordinates")


def network_xy_on_map(validation: dict | None) -> bool:
    """Whether the network's x, y (of loggers, sensors) can be drawn with the pipes: not when
    ``validation`` (``validation.json``) says they lie elsewhere or are missing."""
    codes = {i.get("code") for i in (validation or {}).get("issues") or []}
    return not codes & set(NETWORK_XY_OFF_MAP)


def pipe_end_points(lines: list, start_nodes, end_nodes) -> pd.DataFrame:
    """Where each node is drawn: ``x``, ``y`` indexed by node ID, the first point of a line at its
    ``start_nodes`` entry, the last at its ``end_nodes`` one (the first line met wins)."""
    lines = [np.asarray(ln, dtype=float) for ln in lines]
    ends = pd.DataFrame({"node": list(start_nodes) + list(end_nodes),
                         "x": [ln[0, 0] for ln in lines] + [ln[-1, 0] for ln in lines],
                         "y": [ln[0, 1] for ln in lines] + [ln[-1, 1] for ln in lines]})
    return ends[ends["node"].notna()].astype({"node": "str"}).drop_duplicates("node").set_index("node")


def logger_points(node_ids, own, lines: list[np.ndarray], start_nodes, end_nodes) -> np.ndarray:
    """Map coordinates of loggers standing on ``node_ids``: ``own`` ((n, 2), the map's coordinates, or None
    when the network's are not the map's), else, where ``own`` is blank, the end of a drawn pipe at their
    node (:func:`pipe_end_points`); NaN where neither.
    """
    ids = pd.Series(node_ids, dtype="str").to_numpy()
    out = np.full((len(ids), 2), np.nan) if own is None else np.asarray(own, dtype=float).reshape(-1, 2).copy()
    miss = ~np.isfinite(out).all(axis=1)
    if miss.any() and len(lines):
        out[miss] = pipe_end_points(lines, start_nodes, end_nodes).reindex(ids[miss])[["x", "y"]].to_numpy(float)
    return out


def _declares_projected_crs(doc: dict) -> bool:
    name = str(((doc.get("crs") or {}).get("properties") or {}).get("name", ""))
    return bool(name) and not any(k in name.upper() for k in ("CRS84", "4326"))


def km_transform(lines: list[np.ndarray], wgs84: bool, lengths_m=None):
    """A function mapping (n, 2) coordinates to km, and whether the scale is estimated.

    WGS84 is projected equirectangularly around the network's mean latitude
    (exact enough at city scale).  Local coordinates are assumed to be metres
    unless pipe lengths say otherwise, in which case the unit is estimated
    from the median ratio of ``length_m`` to drawn length.
    """
    if wgs84:
        lat0 = math.radians(float(np.mean([ln[:, 1].mean() for ln in lines]))) if lines else 0.0
        k = np.array([111.32 * math.cos(lat0), 110.57])
        return (lambda pts: np.asarray(pts, float)[:, :2] * k), False
    unit_km, estimated = 1e-3, False
    if lengths_m is not None and lines:
        drawn = np.array([np.hypot(*np.diff(ln, axis=0).T).sum() for ln in lines])
        given = pd.to_numeric(pd.Series(lengths_m), errors="coerce").to_numpy(dtype=float)
        ok = (drawn > 0) & (given > 0)
        if ok.sum() >= 5:
            ratio = float(np.median(given[ok] / drawn[ok]))   # metres per coordinate unit
            if not 0.9 <= ratio <= 1.1:
                unit_km, estimated = ratio / 1000.0, True
    return (lambda pts: np.asarray(pts, float)[:, :2] * unit_km), estimated


def _nice_scale(width_km: float) -> float:
    target = width_km / 5
    steps = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500]
    return max([s for s in steps if s <= target] or [steps[0]])


def _scale_bar(ax, t, estimated: bool) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    km = _nice_scale(x1 - x0)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    ax.plot([bx, bx + km], [by, by], color="black", lw=3, solid_capstyle="butt")
    label = t.number(km * 1000) + "\u00a0m" if km < 1 else t.number(km, decimals=0 if km >= 1 else 1) + "\u00a0km"
    if estimated:
        label += f" ({t('scale_approx')})"
    ax.text(bx, by + 0.015 * (y1 - y0), label, fontsize=8, va="bottom")


def network_map(lines_km: list[np.ndarray], props: pd.DataFrame, *, t, sensors_km=None,
                scale_estimated: bool = False) -> str | None:
    """Map of pipes coloured by risk class, priority zone thick, logger sites as triangles."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    if not lines_km:
        return None
    allc = np.concatenate(lines_km)
    span = np.ptp(allc, axis=0)
    aspect = float(np.clip(span[1] / max(span[0], 1e-9), 0.45, 1.4))
    fig = _figure(9.5, 9.5 * aspect + 0.3)
    ax = fig.add_subplot()
    cls = props["risk_class"].astype(str).where(props["risk_class"].astype(str).isin(list(CLASS_COLOURS)), "D")
    zone = props["in_priority_zone"].astype(str).str.lower().isin(["true", "1"]).to_numpy()
    colours = cls.map(CLASS_COLOURS).to_numpy()
    idx = np.arange(len(lines_km))
    for order in ("D", "C", "B", "A"):   # highest risk drawn last, on top
        sel = idx[(cls.to_numpy() == order) & ~zone]
        if len(sel):
            ax.add_collection(LineCollection([lines_km[i] for i in sel], colors=colours[sel], linewidths=0.7,
                                             alpha=0.8))
    for order in ("D", "C", "B", "A"):
        sel = idx[(cls.to_numpy() == order) & zone]
        if len(sel):
            ax.add_collection(LineCollection([lines_km[i] for i in sel], colors=colours[sel], linewidths=2.6))
    handles = [Line2D([], [], color=CLASS_COLOURS[c], lw=2.5, label=t(f"class_{c}")) for c in "ABCD"]
    handles.append(Line2D([], [], color="#7b241c", lw=3.5, label=t("legend_zone")))
    handles.append(Line2D([], [], color="#7b241c", lw=0.8, label=t("legend_outside")))
    if sensors_km is not None and len(sensors_km):
        ax.scatter(sensors_km[:, 0], sensors_km[:, 1], marker="^", s=14, c=SENSOR_COLOUR, edgecolors="white",
                   linewidths=0.3, zorder=5)
        handles.append(Line2D([], [], marker="^", ls="", color=SENSOR_COLOUR, label=t("legend_sensors")))
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.02)
    ax.set_axis_off()
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.9)
    fig.canvas.draw()   # fixes the limits before the scale bar is placed
    _scale_bar(ax, t, scale_estimated)
    return png_uri(fig)


def point_map(x, y, risk_class, zone, *, t) -> str | None:
    """Fallback map from pipe midpoints (``x``, ``y`` of risk.csv) when no geometry file exists."""
    from matplotlib.lines import Line2D

    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() == 0:
        return None
    fig = _figure(9.5, 8.0)
    ax = fig.add_subplot()
    cls = pd.Series(risk_class).astype(str).to_numpy()
    z = np.asarray(zone, bool)
    for c in "DCBA":
        sel = ok & (cls == c)
        ax.scatter(x[sel], y[sel], s=np.where(z[sel], 10, 3), c=CLASS_COLOURS[c], linewidths=0)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    ax.legend(handles=[Line2D([], [], marker="o", ls="", color=CLASS_COLOURS[c], label=t(f"class_{c}"))
                       for c in "ABCD"], loc="upper right", fontsize=8)
    return png_uri(fig)


# --- charts ---------------------------------------------------------------------------------

def _percent_axis(ax, t, axis="both") -> None:
    from matplotlib.ticker import FuncFormatter
    fmt = FuncFormatter(lambda v, _: t.percent(v, decimals=0))
    if axis in ("x", "both"):
        ax.xaxis.set_major_formatter(fmt)
    if axis in ("y", "both"):
        ax.yaxis.set_major_formatter(fmt)


def capture_plot(methods: dict[str, dict], *, t, zone_share: float | None = None) -> str | None:
    """Capture curves {method: {"length_share": [...], "leak_share": [...]}} against a random choice."""
    curves = {k: v for k, v in methods.items() if v and v.get("length_share")}
    if not curves:
        return None
    fig = _figure(7.5, 4.8)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], ls=":", color="#999999", label=t("bt_random"))
    for name, c in curves.items():
        ax.plot(c["length_share"], c["leak_share"], lw=2.6 if name == "model" else 1.4,
                color=METHOD_COLOURS.get(name, None), label=t(f"m_{name}") if f"m_{name}" in t.table else name)
    if zone_share is not None:
        ax.axvline(zone_share, color="#2c3e50", lw=1, ls="--")
        ax.text(zone_share, 0.03, " " + t("legend_zone"), fontsize=8, color="#2c3e50")
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel=t("bt_x"), ylabel=t("bt_y"))
    _percent_axis(ax, t)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return png_uri(fig)


def calibration_plot(rows: list[dict], *, t) -> str | None:
    """Predicted vs observed leaks by group ("bin"/"decile", "predicted[_leaks]", "observed[_leaks]")."""
    frame = pd.DataFrame(rows)
    pick = {"group": ("bin", "decile", "group"), "pred": ("predicted_leaks", "predicted"),
            "obs": ("observed_leaks", "observed")}
    cols = {k: next((c for c in names if c in frame), None) for k, names in pick.items()}
    if frame.empty or cols["pred"] is None or cols["obs"] is None:
        return None
    groups = frame[cols["group"]].astype(str) if cols["group"] else pd.Series(range(1, len(frame) + 1)).astype(str)
    fig = _figure(7.5, 3.6)
    ax = fig.add_subplot()
    pos = np.arange(len(frame))
    ax.bar(pos - 0.2, frame[cols["pred"]], width=0.4, color="#e67e22", label=t("cal_pred"))
    ax.bar(pos + 0.2, frame[cols["obs"]], width=0.4, color="#2c3e50", label=t("cal_obs"))
    ax.set_xticks(pos, groups)
    ax.set(xlabel=t("cal_x"), ylabel=t("cal_y"))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    return png_uri(fig)


def curve_points(curve: pd.DataFrame, placement: dict | None = None, chosen: dict | None = None) -> pd.DataFrame:
    """``n_sensors``, ``covered_risk_share`` of the trade-off curve, with the placements known exactly.

    The curve's points are few (``tradeoff_points``), and a straight line between two of them runs
    below the true curve, which bends: the placement shown (``chosen``, else ``placement``: its
    ``n_sensors`` and ``covered_risk_share``) sat above the line, and the curve ended at the greedy count
    that hears everything, past the fewest loggers that do (``n_sensors_full_network``).  Both are
    added, points past the whole network's count dropped, and the share made non-decreasing (more
    loggers hear at least as much).
    """
    c = curve[["n_sensors", "covered_risk_share"]].apply(pd.to_numeric, errors="coerce").dropna()
    extra = []
    for known in (chosen, placement):
        if known and known.get("n_sensors") and known.get("covered_risk_share") is not None:
            extra.append((float(known["n_sensors"]), float(known["covered_risk_share"])))
            break
    full = (placement or {}).get("n_sensors_full_network")
    if full:
        total, lost = (placement or {}).get("total_expected_leaks"), (placement or {}).get("unreachable_expected_leaks")
        reach = 1 - lost / total if total and lost is not None else (c["covered_risk_share"].max() if len(c) else None)
        if reach is not None:
            c = c[c["n_sensors"] <= float(full)]
            extra.append((float(full), float(reach)))
    if extra:
        c = pd.concat([c, pd.DataFrame(extra, columns=["n_sensors", "covered_risk_share"])], ignore_index=True)
    c = c.sort_values("n_sensors", kind="stable").drop_duplicates("n_sensors", keep="last")
    c["covered_risk_share"] = c["covered_risk_share"].cummax()
    return c.reset_index(drop=True)


def tradeoff_plot(curve: pd.DataFrame, *, t, chosen: int | None = None, placement: dict | None = None) -> str | None:
    """Share of expected leaks heard against the number of loggers (optimised and greedy)."""
    if curve is None or curve.empty or not {"n_sensors", "covered_risk_share"} <= set(curve.columns):
        return None
    c = curve.sort_values("n_sensors")
    exact = curve_points(curve, placement)
    fig = _figure(7.5, 3.8)
    ax = fig.add_subplot()
    ax.plot(exact["n_sensors"], exact["covered_risk_share"], marker="o", lw=2, color="#c0392b",
            label=t("s_optimal"))
    if "greedy_covered_risk_share" in c:
        ax.plot(c["n_sensors"], c["greedy_covered_risk_share"], ls="--", color="#7f8c8d", label=t("s_greedy"))
    if chosen:
        ax.axvline(chosen, color="#2c3e50", lw=1, ls=":")
    ax.set(xlabel=t("s_x"), ylabel=t("s_y"), ylim=(0, 1.01))
    _percent_axis(ax, t, "y")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return png_uri(fig)


def renewal_plot(optimised: float, rules: dict[str, float], *, t) -> str | None:
    """Bars: leaks avoided by the optimised plan and by each rule, same budget."""
    labels = [t("r_optimised"), *[t(f"m_{k}") for k in rules]]
    values = [optimised, *rules.values()]
    fig = _figure(7.5, 2.2 + 0.45 * len(values))
    ax = fig.add_subplot()
    pos = np.arange(len(values))[::-1]
    ax.barh(pos, values, color=["#c0392b"] + ["#95a5a6"] * len(rules))
    for p, v in zip(pos, values):
        ax.text(v, p, " " + t.number(v, decimals=1), va="center", fontsize=9)
    ax.set_yticks(pos, labels)
    ax.set_xlabel(t("r_y"))
    ax.set_xlim(0, max(values) * 1.18 if max(values) > 0 else 1)
    ax.grid(axis="x", alpha=0.3)
    return png_uri(fig)


def campaign_plot(curve: pd.DataFrame | None, *, t, days: int | None = None) -> str | None:
    """Share of expected leaks heard against weeks of campaign: this campaign and the risk ranking.

    ``curve`` is ``campaign_curve.csv`` (``day_end``, ``share_greedy``, ``share_risk_ranking``);
    each line starts at 0 on day 0 and rises at the end of each deployment.
    """
    need = {"share_greedy", "share_risk_ranking"}
    if curve is None or curve.empty or not need <= set(curve.columns):
        return None
    if "day_end" in curve:
        day = pd.to_numeric(curve["day_end"], errors="coerce").to_numpy(float)
    else:
        day = np.arange(1, len(curve) + 1) * float(days or 14)
    weeks = np.concatenate([[0.0], day / 7.0])
    fig = _figure(7.5, 3.8)
    ax = fig.add_subplot()
    for col, label, style in (("share_greedy", t("cp_greedy"), {"lw": 2.4, "color": "#c0392b", "marker": "o", "ms": 3}),
                              ("share_risk_ranking", t("cp_ranking"), {"lw": 1.5, "color": "#7f8c8d", "ls": "--"})):
        share = np.concatenate([[0.0], pd.to_numeric(curve[col], errors="coerce").to_numpy(float)])
        ax.plot(weeks, share, label=label, **style)
    ax.axhline(0.8, color="#2c3e50", lw=0.8, ls=":")
    ax.set(xlabel=t("cp_x"), ylabel=t("cp_y"), ylim=(0, 1.01), xlim=(0, weeks[-1] if weeks[-1] > 0 else 1))
    _percent_axis(ax, t, "y")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return png_uri(fig)

"""Sensors: choose a target share or a logger budget, re-solve, see sites, coverage and trade-off;
the logger campaign and the pressure sensors when their commands wrote into the run folder, said
in the report's own sentences."""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.app import data, mapview, tables
from leakopt.app.widgets import altair_chart, escape_markdown
from leakopt.i18n import Translator
from leakopt.report.maps import curve_points, network_xy_on_map, pipe_end_points
from leakopt.report.monitoring import (
    campaign_details,
    campaign_sentence,
    campaign_status,
    pressure_details,
    pressure_sentence,
    pressure_status,
    stale_note,
)
from leakopt.report.sections import solver_name, status_words, unreachable_sentence
from leakopt.report.text import STRINGS as REPORT_STRINGS

DEFAULT_TARGET = 0.8


def run_config(run: data.RunData):
    """The run's configuration, rebuilt from its manifest."""
    from leakopt.config import config_from_dict
    conf = dict(run.manifest.get("configuration") or {})
    return config_from_dict(conf)


def node_positions(links: pd.DataFrame, nodes: pd.DataFrame, geometry: data.Geometry, *,
                   own_xy: bool = True) -> pd.DataFrame:
    """Local map position of each network node: the end of a pipe's drawn polyline.

    Works whatever the map's source coordinates (WGS84 or local), because a
    pipe's polyline starts at its start node and ends at its end node.  ``own_xy``
    False: the nodes' x, y are not the map's (a network elsewhere), never used.
    """
    g = geometry.paths.merge(links[["pipe_id", "start_node", "end_node"]], on="pipe_id")
    pos = pipe_end_points(list(g["path"]), g["start_node"], g["end_node"])
    out = nodes[["node_id"]].copy()
    xy = pos.reindex(out["node_id"].astype("str"))[["x", "y"]].to_numpy(float)
    if not geometry.lonlat and own_xy:   # nodes no drawn pipe reaches: their own coordinates
        mx, my = geometry.to_local(nodes["x"], nodes["y"])
        blank = ~np.isfinite(xy).all(axis=1)
        xy[blank] = np.column_stack([np.asarray(mx, dtype=float), np.asarray(my, dtype=float)])[blank]
    out["mx"], out["my"] = xy[:, 0], xy[:, 1]
    return out


def site_positions(sensors: pd.DataFrame, pos: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """``sensors`` with their map position ``mx``, ``my``: their node's, and for sites along a pipe
    (access points, not nodes) their x, y through the affine map that takes the nodes' network
    coordinates to the nodes' map positions (fitted on every node placed on the map)."""
    out = sensors.merge(pos[["node_id", "mx", "my"]], on="node_id", how="left")
    miss = out["mx"].isna().to_numpy()
    if miss.any() and {"x", "y"} <= set(out.columns):
        ref = nodes[["node_id", "x", "y"]].merge(pos[["node_id", "mx", "my"]], on="node_id").dropna()
        if len(ref) >= 3:
            design = np.column_stack([ref["x"], ref["y"], np.ones(len(ref))]).astype(float)
            coef, *_ = np.linalg.lstsq(design, ref[["mx", "my"]].to_numpy(float), rcond=None)
            sites = np.column_stack([out.loc[miss, "x"], out.loc[miss, "y"], np.ones(miss.sum())]).astype(float)
            out.loc[miss, ["mx", "my"]] = sites @ coef
    return out.dropna(subset=["mx", "my"]).reset_index(drop=True)


def _engine(run: data.RunData):
    """Network, coverage and node positions of a run, built once (cached resource)."""
    import streamlit as st

    @st.cache_resource(show_spinner=False, max_entries=4)
    def build(run_dir: str, network_path: str, stamp: float):
        from leakopt.io import read_network
        from leakopt.placement import build_coverage
        net = read_network(network_path)
        risk = run.risk
        cov = build_coverage(net, risk, config=run_config(run).stage("coverage"))
        pos = (node_positions(net.links, net.nodes, run.geometry, own_xy=network_xy_on_map(run.validation))
               if run.geometry is not None else None)
        return net, cov, pos
    path = run.input_path("network")
    if path is None:
        return None
    return build(str(run.run_dir), str(path), path.stat().st_mtime)


def solve(run: data.RunData, *, target_share: float | None, budget: int | None) -> tuple[pd.DataFrame, dict, set]:
    """Place loggers for a target share or a budget: (sensors, placement summary, covered pipe IDs)."""
    import streamlit as st

    @st.cache_data(show_spinner=False, max_entries=64)
    def _solve(run_dir: str, target: float | None, k: int | None):
        from leakopt.placement import place_sensors
        _, cov, _ = _engine(run)
        pcfg = run_config(run).stage("placement")
        kwargs = {"budget": int(k)} if k is not None else {"target_share": float(target)}
        placement = place_sensors(cov, run.risk, config=pcfg, **kwargs)
        return placement.sensors, placement.to_json(), covered_pipes(cov, placement.sensors["node_id"])
    return _solve(str(run.run_dir), target_share, budget)


def covered_pipes(cov, node_ids) -> set:
    """IDs of the pipes with at least one segment heard by ``node_ids``."""
    ids = [str(n) for n in node_ids]
    if not ids:
        return set()
    heard = cov.heard_by(ids) > 0
    return set(cov.segments.loc[heard, "pipe_id"].astype(str))


def run_answer(run: data.RunData) -> tuple[pd.DataFrame, dict, set] | None:
    """The run's own placement (``sensors.csv``, ``placement.json``) with its covered pipe IDs."""
    if run.sensors is None or run.placement is None:
        return None
    covered = set()
    if "covered_pipe_ids" in run.sensors:
        for ids in run.sensors["covered_pipe_ids"].dropna().astype(str):
            covered.update(i for i in ids.split(";") if i)
    return run.sensors, run.placement, covered


def render(ctx) -> None:
    import streamlit as st
    t, run = ctx.t, ctx.run
    st.header(t("se_title"))
    if run.placement is None or run.sensors is None:
        st.info(t("se_no_network"))
    else:
        _loggers(t, run)
    report_t = Translator(REPORT_STRINGS, ctx.lang)   # the report's sentences, so both say the same
    if run.campaign:
        _campaign(report_t, run.campaign, run.campaign_curve, stale_note(run.campaign, run.run_dir / "risk.csv",
                                                                         report_t))
    if run.pressure:
        stale = stale_note(run.pressure, run.run_dir / "risk.csv", report_t)
        _pressure(report_t, t, run.pressure, run.pressure_sensors, stale)


def _loggers(t, run: data.RunData) -> None:
    """The run's logger placement, or a re-solve for a target share or a budget."""
    import streamlit as st
    modes = ["run", "target", "budget"] if run.input_path("network") is not None else ["run"]
    mode = st.radio(t("se_mode"), modes, format_func=lambda m: t(f"se_mode_{m}"), horizontal=True, key="se_mode")
    if mode == "run":
        sensors, summary, covered = run_answer(run)
        positions = (data.sensor_positions(sensors, run.geometry, risk=run.risk, validation=run.validation)
                     if run.geometry is not None else None)
    else:
        target = budget = None
        if mode == "target":
            pct = st.slider(t("se_target"), 10, 100, int(round(100 * DEFAULT_TARGET)), step=5, key="se_target")
            target = pct / 100
        else:
            default_k = int(run.placement.get("n_sensors") or 10)
            budget = int(st.number_input(t("se_budget"), min_value=1, max_value=5000, value=default_k, step=1,
                                         key="se_budget"))
        with st.spinner(t("se_solving")):
            engine = _engine(run)
            sensors, summary, covered = solve(run, target_share=target, budget=budget)
        positions = site_positions(sensors, engine[2], engine[0].nodes) if engine[2] is not None else None
    _figures(t, summary, run.placement)
    _map(t, run, positions, covered)
    _curve(t, run.tradeoff, summary, run.placement)
    st.subheader(t("se_sites"))
    cols = [c for c in sensors.columns if c != "covered_pipe_ids"]
    tables.dataframe(t, sensors[cols])
    if mode != "run":   # this answer is not among the run's files: downloadable here, as sensors.csv is written
        name = (f"sensors_target_{int(round(100 * target))}.csv" if target is not None
                else f"sensors_budget_{budget}.csv")
        st.download_button(t("se_download", name=name), sensors.to_csv(index=False).encode("utf-8"),
                           file_name=name, mime="text/csv", key="se_download", on_click="ignore")


def _figures(t, summary: dict, base: dict) -> None:
    import streamlit as st
    c1, c2, c3 = st.columns(3)
    c1.metric(t("se_n"), t.number(summary.get("n_sensors")))
    c2.metric(t("se_covered"), t.percent(summary.get("covered_risk_share")))
    full = summary.get("n_sensors_full_network") or base.get("n_sensors_full_network")
    whole = not (summary.get("n_unreachable_segments") or base.get("n_unreachable_segments"))
    c3.metric(t("se_full" if whole else "se_full_reach"), t.number(full))   # not "the whole network" it cannot reach
    report_t = Translator(REPORT_STRINGS, t.lang)   # the report's own sentences and words
    unreachable = unreachable_sentence(summary, report_t)
    if unreachable:
        st.caption(unreachable)
    st.caption(t("se_status", solver=solver_name(summary.get("solver")), status=status_words(summary.get("status"),
                                                                                             report_t),
                 seconds=t.seconds(summary.get("solve_seconds"))))


def _map(t, run, positions: pd.DataFrame | None, covered: set) -> None:
    import streamlit as st
    if run.geometry is None or positions is None:
        return
    st.caption(t("se_map"))
    frame = run.geometry.paths.copy()
    frame["colour"] = [mapview.BLUE if p in covered else mapview.GREY for p in frame["pipe_id"]]
    sites = positions.dropna(subset=["mx", "my"])
    sites = sites.assign(site_label=[mapview.short_id(n) for n in sites["node_id"]])   # the tooltip's
    if len(sites) < len(positions):   # said as the report says it
        st.caption(Translator(REPORT_STRINGS, t.lang)("map_loggers_off", n=t.number(len(positions) - len(sites)),
                                                     total=t.number(len(positions))))
    layers = [mapview.path_layer(frame, layer_id="pipes", pickable=False),
              mapview.point_layer(sites, layer_id="sensors", radius_px=3.0 if len(sites) > 100 else 5.0)]
    tooltip = {"html": "<b>{site_label}</b>", "style": {"fontSize": "12px"}}
    st.pydeck_chart(mapview.deck(layers, run.geometry.extent, tooltip=tooltip), key="sensor_deck",
                    height=mapview.MAP_HEIGHT)
    st.markdown(mapview.legend_html([(t("se_sites"), mapview.BLACK), (t("se_heard"), mapview.BLUE),
                                     (t("se_not_heard"), mapview.GREY)]), unsafe_allow_html=True)


def tradeoff_columns(curve: pd.DataFrame) -> tuple[str, str] | None:
    """(number-of-loggers column, covered-share column) of ``tradeoff.csv``."""
    n_col = next((c for c in curve.columns if "sensor" in c.lower() or c.lower() in ("k", "budget")), None)
    s_col = next((c for c in curve.columns if "share" in c.lower() and "risk" in c.lower()), None)
    s_col = s_col or next((c for c in curve.columns if "share" in c.lower()), None)
    return (n_col, s_col) if n_col and s_col else None


def _curve(t, curve: pd.DataFrame | None, summary: dict, placement: dict | None = None) -> None:
    import altair as alt
    import streamlit as st
    if curve is None or curve.empty or tradeoff_columns(curve) is None:
        return
    n_col, s_col = tradeoff_columns(curve)
    st.subheader(t("se_curve"))
    exact = curve_points(curve.rename(columns={n_col: "n_sensors", s_col: "covered_risk_share"}), placement,
                         summary)
    frame = pd.DataFrame({"n": exact["n_sensors"], "share": exact["covered_risk_share"]})
    line = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("n:Q", title=t("se_axis_n")),
        y=alt.Y("share:Q", title=t("se_axis_share"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    if "greedy_covered_risk_share" in curve:
        greedy = pd.DataFrame({"n": curve[n_col], "share": curve["greedy_covered_risk_share"]})
        line = line + alt.Chart(greedy).mark_line(strokeDash=[4, 3], color="#999999").encode(x="n:Q", y="share:Q")
    here = pd.DataFrame({"n": [summary.get("n_sensors")], "share": [summary.get("covered_risk_share")]})
    dot = alt.Chart(here).mark_point(size=160, filled=True, color="#d7191c").encode(x="n:Q", y="share:Q")
    altair_chart(t, line + dot)


def campaign_frame(curve: pd.DataFrame, t) -> pd.DataFrame:
    """Long frame of the campaign curve for a chart: ``weeks``, ``share``, ``method`` (the report's labels),
    each method starting from 0 on day 0."""
    day = curve["day_end"].to_numpy(float) if "day_end" in curve else np.arange(1, len(curve) + 1) * 14.0
    weeks = np.concatenate([[0.0], day / 7.0])
    parts = [pd.DataFrame({"weeks": weeks, "share": np.concatenate([[0.0], curve[col].to_numpy(float)]),
                           "method": t(key)})
             for col, key in (("share_greedy", "cp_greedy"), ("share_risk_ranking", "cp_ranking")) if col in curve]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["weeks", "share", "method"])


def _texts(title: str, stale: str | None, sentence: str, details, status: str) -> None:
    """A section's heading, its staleness warning, the report's sentence and details, and the solver's status."""
    import streamlit as st
    st.subheader(title)
    if stale:
        st.warning(escape_markdown(stale))   # names the risk file as it was given
    st.markdown(sentence)
    for line in details:
        st.markdown(line)
    st.caption(status)


def _campaign(t, c: dict, curve: pd.DataFrame | None, stale: str | None) -> None:
    """``t`` translates the report's strings; ``stale`` says the campaign is from another risk.csv."""
    import altair as alt
    _texts(t("h_campaign"), stale, campaign_sentence(c, t), campaign_details(c, t), campaign_status(c, t))
    if curve is None or curve.empty:
        return
    frame = campaign_frame(curve, t)
    names = [t("cp_greedy"), t("cp_ranking")]
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("weeks:Q", title=t("cp_x")),
        y=alt.Y("share:Q", title=t("cp_y"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("method:N", title=None, scale=alt.Scale(domain=names, range=["#c0392b", "#7f8c8d"]),
                        legend=alt.Legend(orient="bottom-right", symbolType="stroke", labelLimit=400)),  # names whole
        strokeDash=alt.StrokeDash("method:N", scale=alt.Scale(domain=names, range=[[1, 0], [5, 3]]), legend=None))
    altair_chart(t, chart)


def _pressure(t, app_t, p: dict, sensors: pd.DataFrame | None, stale: str | None) -> None:
    """``t`` translates the report's strings, ``app_t`` the app's (the table's headers); ``stale`` says the
    sensors are from another risk.csv."""
    _texts(t("h_pressure"), stale, pressure_sentence(p, t), pressure_details(p, t), pressure_status(p, t))
    if sensors is not None and not sensors.empty:
        cols = [c for c in ("node_id", "detected_scenarios", "detected_risk_share") if c in sensors]
        shown = sensors.sort_values("detected_risk_share", ascending=False)[cols] \
            if "detected_risk_share" in sensors else sensors[cols]
        tables.dataframe(app_t, shown)   # shares in percent, rounded, as the app's other tables

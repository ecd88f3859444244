"""The consequence of failure of every pipe: :func:`consequence_of_failure`.

With a network, a break on a pipe is isolated by closing the valves around its
segment (:mod:`.segments`); what that cuts off (:mod:`.isolation`) plus the
pipe's diameter gives its score (the formula is in :class:`ConsequenceConfig`).
Without a network, or for a pipe the network does not have, only the diameter
counts, and the ``method`` column says so:

==================================  ===========================================================
method                              how the pipe was scored
==================================  ===========================================================
``segments_valve_layer``            segments from the given valve layer (and the network's
                                    pumps and valves); demand cut by connectivity
``segments_assumed_valves``         no valve layer: a valve assumed on each pipe end at every
                                    junction of 3 links or more
``segments_network_valves``         no valve layer, none assumed: only pumps and EPANET valves
``diameter_only_no_network``        no network: diameter alone
``diameter_only_not_in_network``    the network has no pipe of that ID: diameter alone
==================================  ===========================================================

Consequence classes 4 (most severe) to 1 go by cumulative share of network
length in decreasing consequence (``class_bounds``); pipes with the same score
share a class.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.consequence.config import ConsequenceConfig
from leakopt.consequence.isolation import cut_off
from leakopt.consequence.segments import assumed_valves, valve_segments
from leakopt.errors import InputError
from leakopt.schema import CONSEQUENCE_COLUMNS, Network, Progress, silent

log = logging.getLogger(__name__)

#: Consequence classes, most severe first.
CONSEQUENCE_CLASSES = (4, 3, 2, 1)

#: What each valve source means, for ``summary["valves"]`` and the report.
VALVE_RULES = {
    "segments_valve_layer": "the valves of the given valve layer, plus the network's pumps and valves",
    "segments_assumed_valves": "assumed: a valve on each pipe end at every junction joined by 3 links or more "
                               "(no valve layer given), plus the network's pumps and valves",
    "segments_network_valves": "only the network's pumps and valves (no valve layer given, none assumed)",
}


@dataclass(frozen=True)
class Consequence:
    """Consequence of failure per pipe.

    Attributes
    ----------
    frame : DataFrame
        ``consequence.csv``: :data:`leakopt.schema.CONSEQUENCE_COLUMNS`, one row per pipe.
    summary : dict
        ``method`` (the network-wide one), ``valves`` (the rule in words), ``n_segments``,
        ``n_valves``, ``total_demand_m3s``, ``unsupplied_segments``, the score's settings.
    """

    frame: pd.DataFrame
    summary: dict


def _pipe_table(pipes: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("pipe_id", "diameter_mm", "length_m") if c not in pipes]
    if missing:
        raise InputError(f"pipes frame lacks column(s) {missing} needed for the consequence of failure; "
                         f"columns found: {list(pipes.columns)[:15]}")
    out = pd.DataFrame({"pipe_id": pipes["pipe_id"].astype(str).to_numpy(),
                        "diameter_mm": pd.to_numeric(pipes["diameter_mm"], errors="coerce").to_numpy(float),
                        "length_m": pd.to_numeric(pipes["length_m"], errors="coerce").to_numpy(float)})
    if out["diameter_mm"].isna().any():
        bad = out.loc[out["diameter_mm"].isna(), "pipe_id"].iloc[0]
        raise InputError(f"diameter_mm is blank or not a number for {int(out['diameter_mm'].isna().sum())} "
                         f"pipe(s) (e.g. {bad!r}); the consequence of failure needs every diameter")
    return out


def consequence_classes(score: np.ndarray, length: np.ndarray, bounds=(0.1, 0.3, 0.6)) -> np.ndarray:
    """Class 4..1 of each pipe: by the share of length of the pipes that score more than it."""
    score, length = np.asarray(score, float), np.nan_to_num(np.asarray(length, float))
    total = max(float(length.sum()), 1e-12)
    frame = pd.DataFrame({"s": score, "l": length})
    above = frame.groupby("s")["l"].sum().sort_index(ascending=False)
    before = (above.cumsum() - above) / total       # share of length strictly above each score
    share = frame["s"].map(before).to_numpy()
    return 4 - np.searchsorted(np.asarray(bounds, float), share, side="right")


def _segment_figures(pipes: pd.DataFrame, network: Network, valves, config: ConsequenceConfig,
                     progress: Progress):
    """segment_id, demand_cut_m3s, nodes_cut, critical_cut per pipe, the method and the summary."""
    if valves is not None:
        method = "segments_valve_layer"
    elif config.assume_valves:
        method, valves = "segments_assumed_valves", assumed_valves(network)
    else:
        method, valves = "segments_network_valves", pd.DataFrame({"link": [], "node": []}, dtype=str)
    segments = valve_segments(network, valves)
    progress(f"what isolating each of {segments.n_segments:,} segments cuts off", 1, 3)
    cut = cut_off(network, segments, valves, critical_nodes=config.critical_nodes)
    seg = pipes["pipe_id"].map(segments.pipe_segment)
    figures = cut.reindex(seg.fillna(-1).astype(np.int64).to_numpy())
    if (~cut["supplied"]).any():
        log.warning("%d valve segments are not connected to any reservoir or tank even with every valve open: "
                    "their isolation cuts nothing off (check the network's sources)", int((~cut["supplied"]).sum()))
    summary = {"method": method, "valves": VALVE_RULES[method], "n_segments": segments.n_segments,
               "n_valves": segments.n_valves,
               "unsupplied_segments": int((~cut["supplied"]).sum()),
               "segments_cutting_critical": int((cut["critical_cut"] > 0).sum())}
    return seg, figures, method, summary


def consequence_of_failure(pipes: pd.DataFrame, network: Network | None = None, *,
                           config: ConsequenceConfig | None = None,
                           valves: pd.DataFrame | None = None, progress: Progress | None = None) -> Consequence:
    """Score what a break on each pipe would cost.

    Parameters
    ----------
    pipes : DataFrame
        ``pipe_id``, ``diameter_mm``, ``length_m`` (the validated pipes, or ``risk.csv``).
    network : Network, optional
        Its pipes, pumps and valves give the segments; its nodes' base demands what they cut off.
    config : ConsequenceConfig, optional
    valves : DataFrame, optional
        Valve layer (WNTR's): ``link`` (pipe ID) and ``node`` (the end it closes).
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): segments, what they cut off, scores.

    Returns
    -------
    Consequence
    """
    cfg = config or ConsequenceConfig()
    progress = progress or silent
    progress("valve segments", 0, 3)
    table = _pipe_table(pipes)
    diameter_points = table["diameter_mm"].to_numpy() / cfg.diameter_ref_mm
    frame = pd.DataFrame({"pipe_id": table["pipe_id"], "segment_id": pd.array([pd.NA] * len(table), "Int64"),
                          "demand_cut_m3s": np.nan, "nodes_cut": pd.array([pd.NA] * len(table), "Int64"),
                          "critical_cut": pd.array([pd.NA] * len(table), "Int64")})
    points = diameter_points.copy()
    summary = {"method": "diameter_only_no_network", "valves": None, "n_segments": None, "n_valves": None,
               "unsupplied_segments": None, "segments_cutting_critical": None}
    method = np.full(len(table), "diameter_only_no_network", dtype=object)
    total_demand = None
    if network is not None:
        seg, figures, net_method, summary = _segment_figures(table, network, valves, cfg, progress)
        known = seg.notna().to_numpy()
        total_demand = float(np.clip(network.nodes.loc[network.nodes["node_type"] == "junction", "base_demand"]
                                     .fillna(0.0), 0, None).sum())
        frame.loc[known, "segment_id"] = seg[known].astype(np.int64).to_numpy()
        for col in ("demand_cut_m3s", "nodes_cut", "critical_cut"):
            frame.loc[known, col] = figures[col].to_numpy()[known]
        share_pct = 100 * frame["demand_cut_m3s"].to_numpy(float) / max(total_demand, 1e-12)
        extra = (cfg.points_per_pct_demand * share_pct
                 + cfg.points_per_critical * frame["critical_cut"].to_numpy(float, na_value=np.nan))
        points = np.where(known, points + np.nan_to_num(extra), points)
        method = np.where(known, net_method, "diameter_only_not_in_network")
        if (~known).any():
            log.warning("%d pipes are not in the network: their consequence is their diameter alone", (~known).sum())
    progress("scores and classes", 2, 3)
    frame["consequence"] = points.round(4)
    frame["consequence_class"] = consequence_classes(points, table["length_m"].to_numpy(), cfg.class_bounds)
    frame["method"] = method
    summary.update(total_demand_m3s=total_demand, n_pipes=int(len(frame)),
                   n_by_method={k: int(v) for k, v in pd.Series(method).value_counts().items()},
                   critical_nodes=list(cfg.critical_nodes),
                   score={"diameter_ref_mm": cfg.diameter_ref_mm, "points_per_pct_demand": cfg.points_per_pct_demand,
                          "points_per_critical": cfg.points_per_critical})
    progress(f"{len(frame):,} pipes scored", 3, 3)
    return Consequence(frame=frame[list(CONSEQUENCE_COLUMNS)], summary=summary)

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
``<any of the three>_pdd``          the segment was shut in a pressure-dependent simulation
                                    (:mod:`.pdd`): demand and customers cut off by hydraulics
``<any of the three>_pdd_failed``   EPANET could not solve that segment shut: the topological
                                    figure stays
``diameter_only_no_network``        no network: diameter alone
``diameter_only_not_in_network``    the network has no pipe of that ID: diameter alone
==================================  ===========================================================

Consequence classes 4 (most severe) to 1 go by cumulative share of network
length in decreasing consequence (``class_bounds``); pipes with the same score
share a class.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from leakopt.consequence.config import ConsequenceConfig
from leakopt.consequence.isolation import cut_off
from leakopt.consequence.pdd import PddSettings, default_workers, pdd_cut_off, segments_to_simulate
from leakopt.consequence.segments import assumed_valves, valve_segments
from leakopt.errors import InputError
from leakopt.i18n import fmt_int, in_french
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
                         f"columns found: {list(pipes.columns)[:15]}",
                         fr=f"il manque à la table des conduites les colonnes {missing}, nécessaires à la conséquence "
                            f"d’une casse ; colonnes trouvées : {list(pipes.columns)[:15]}")
    out = pd.DataFrame({"pipe_id": pipes["pipe_id"].astype(str).to_numpy(),
                        "diameter_mm": pd.to_numeric(pipes["diameter_mm"], errors="coerce").to_numpy(float),
                        "length_m": pd.to_numeric(pipes["length_m"], errors="coerce").to_numpy(float)})
    if out["diameter_mm"].isna().any():
        bad = out.loc[out["diameter_mm"].isna(), "pipe_id"].iloc[0]
        n = int(out['diameter_mm'].isna().sum())
        raise InputError(f"diameter_mm is blank or not a number for {n} "
                         f"pipe(s) (e.g. {bad!r}); the consequence of failure needs every diameter",
                         fr=f"diameter_mm est vide ou n’est pas un nombre pour {fmt_int(n, 'fr')} "
                            f"{'conduite' if n < 2 else 'conduites'} (par exemple {bad!r}) ; la conséquence d’une "
                            "casse a besoin du diamètre de chaque conduite")
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


def _valves_used(network: Network, valves, config: ConsequenceConfig) -> tuple[str, pd.DataFrame]:
    """The network-wide method and the valve layer the segments are drawn with."""
    if valves is not None:
        return "segments_valve_layer", valves
    if config.assume_valves:
        return "segments_assumed_valves", assumed_valves(network)
    return "segments_network_valves", pd.DataFrame({"link": [], "node": []}, dtype=str)


def _points(diameter_points: np.ndarray, figures: pd.DataFrame, total_demand: float,
            cfg: ConsequenceConfig) -> np.ndarray:
    """The score of pipes with their segment's figures (NaN figures add nothing)."""
    share_pct = 100 * figures["demand_cut_m3s"].to_numpy(float) / max(total_demand, 1e-12)
    extra = cfg.points_per_pct_demand * share_pct + cfg.points_per_critical * figures["critical_cut"].to_numpy(float)
    return diameter_points + np.nan_to_num(extra)


def _simulate(table, network, segments, valves, cut, seg, total_demand, cfg, likelihood, map_chunks, progress):
    """Replace the topological figures of the segments that matter by simulated ones.

    Returns the new ``cut``, the method suffix of each segment ("", "_pdd", "_pdd_failed") and the
    ``pdd`` summary."""
    suffix = pd.Series("", index=cut.index, dtype=object)
    if cfg.pdd_segments == 0:
        return cut, suffix, {"status": "off", "n_segments_simulated": 0}
    if not network.inp_path:
        return cut, suffix, {"status": "not_run", "n_segments_simulated": 0,
                             "reason": "the network did not come from an EPANET .inp file"}
    topo = _points(table["diameter_mm"].to_numpy() / cfg.diameter_ref_mm,
                   cut.reindex(seg.fillna(-1).astype(np.int64).to_numpy()), total_demand, cfg)
    lik = (table["length_m"].fillna(0.0).to_numpy(float) / 1000 if likelihood is None
           else table["pipe_id"].map(likelihood).fillna(0.0).to_numpy(float))
    ids, selection = segments_to_simulate(seg.to_numpy(float), topo * lik, n_segments=segments.n_segments,
                                          n_network_pipes=len(network.links), top=cfg.pdd_segments,
                                          all_max=cfg.pdd_all_max_segments, pipe_budget=cfg.pdd_pipe_budget)
    workers = cfg.pdd_workers or default_workers()
    wall = time.perf_counter()
    res = pdd_cut_off(network, segments, valves, ids, critical_nodes=cfg.critical_nodes, workers=workers,
                      settings=PddSettings(cfg.required_pressure_m, cfg.minimum_pressure_m, cfg.pressure_exponent),
                      map_chunks=map_chunks, progress=progress)
    ok = res["ok"].astype(bool)
    cut = cut.copy()
    good = res.index[ok]
    cut.loc[good, "demand_cut_m3s"] = res.loc[good, "demand_cut_m3s"].to_numpy(float)
    for col in ("nodes_cut", "critical_cut"):
        cut.loc[good, col] = res.loc[good, col].to_numpy(np.int64)
    suffix[good] = "_pdd"
    suffix[res.index[~ok]] = "_pdd_failed"
    if (~ok).any():
        log.warning("EPANET could not solve %d of the %d segments shut (e.g. %s): their pipes keep the topological "
                    "figure, method *_pdd_failed", int((~ok).sum()), len(res), res.loc[~ok, "error"].iloc[0],
                    extra=in_french("EPANET n’a pas pu résoudre %d des %d secteurs fermés (par exemple %s) : leurs "
                                    "conduites gardent le chiffre topologique, méthode *_pdd_failed"))
    summary = {"status": "ok", "selection": selection, "n_segments_simulated": int(ok.sum()),
               "n_segments_failed": int((~ok).sum()), "workers": int(workers),
               "wall_seconds": round(time.perf_counter() - wall, 3),
               "cpu_seconds": round(float(res["cpu_seconds"].sum()), 3),
               "required_pressure_m": cfg.required_pressure_m, "minimum_pressure_m": cfg.minimum_pressure_m,
               "pressure_exponent": cfg.pressure_exponent}
    return cut, suffix, summary


def _segment_figures(table: pd.DataFrame, network: Network, valves, config: ConsequenceConfig, likelihood,
                     map_chunks, progress: Progress):
    """segment_id, demand_cut_m3s, nodes_cut, critical_cut per pipe, the method per pipe and the summary."""
    method, valves = _valves_used(network, valves, config)
    segments = valve_segments(network, valves)
    progress(f"what isolating each of {segments.n_segments:,} segments cuts off", 1, 4)
    cut = cut_off(network, segments, valves, critical_nodes=config.critical_nodes)
    seg = table["pipe_id"].map(segments.pipe_segment)
    total_demand = float(np.clip(network.nodes.loc[network.nodes["node_type"] == "junction", "base_demand"]
                                 .fillna(0.0), 0, None).sum())
    if (~cut["supplied"]).any():
        log.warning("%d valve segments are not connected to any reservoir or tank even with every valve open: "
                    "their isolation cuts nothing off (check the network's sources)", int((~cut["supplied"]).sum()),
                    extra=in_french("%d secteurs ne sont reliés à aucune bâche ni à aucun réservoir, même toutes "
                                    "vannes ouvertes : les isoler ne coupe rien (vérifiez les sources du réseau)"))
    progress("pressure-dependent simulation of the segments that matter", 2, 4)
    cut, suffix, pdd = _simulate(table, network, segments, valves, cut, seg, total_demand, config, likelihood,
                                 map_chunks, progress)
    index = seg.fillna(-1).astype(np.int64).to_numpy()
    figures = cut.reindex(index)
    methods = np.where(seg.notna().to_numpy(), method + suffix.reindex(index).fillna("").to_numpy(dtype=object),
                       "diameter_only_not_in_network")
    summary = {"method": method, "valves": VALVE_RULES[method], "n_segments": segments.n_segments,
               "n_valves": segments.n_valves,
               "unsupplied_segments": int((~cut["supplied"]).sum()),
               "segments_cutting_critical": int((cut["critical_cut"] > 0).sum()),
               "total_demand_m3s": total_demand, "pdd": pdd}
    return seg, figures, methods, summary


def consequence_of_failure(pipes: pd.DataFrame, network: Network | None = None, *,
                           config: ConsequenceConfig | None = None,
                           valves: pd.DataFrame | None = None, likelihood: pd.Series | None = None,
                           map_chunks: Callable | None = None,
                           progress: Progress | None = None) -> Consequence:
    """Score what a break on each pipe would cost.

    Parameters
    ----------
    pipes : DataFrame
        ``pipe_id``, ``diameter_mm``, ``length_m`` (the validated pipes, or ``risk.csv``).
    network : Network, optional
        Its pipes, pumps and valves give the segments; its nodes' base demands what they cut off;
        its ``.inp`` (``inp_path``) the pressure-dependent simulations.
    config : ConsequenceConfig, optional
    valves : DataFrame, optional
        Valve layer (WNTR's): ``link`` (pipe ID) and ``node`` (the end it closes).
    likelihood : Series, optional
        Expected leaks a year, indexed by ``pipe_id``: ranks the segments worth a simulation by
        business risk.  Without it, every km of pipe is taken as equally likely to break.
    map_chunks : callable, optional
        Where the simulations run (:func:`leakopt.consequence.pdd.pdd_cut_off`); default a pool
        of ``config.pdd_workers`` processes.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): segments, what they cut off, scores.

    Returns
    -------
    Consequence
    """
    cfg = config or ConsequenceConfig()
    progress = progress or silent
    progress("valve segments", 0, 4)
    table = _pipe_table(pipes)
    diameter_points = table["diameter_mm"].to_numpy() / cfg.diameter_ref_mm
    frame = pd.DataFrame({"pipe_id": table["pipe_id"], "segment_id": pd.array([pd.NA] * len(table), "Int64"),
                          "demand_cut_m3s": np.nan, "nodes_cut": pd.array([pd.NA] * len(table), "Int64"),
                          "critical_cut": pd.array([pd.NA] * len(table), "Int64")})
    points = diameter_points.copy()
    summary = {"method": "diameter_only_no_network", "valves": None, "n_segments": None, "n_valves": None,
               "unsupplied_segments": None, "segments_cutting_critical": None, "total_demand_m3s": None,
               "pdd": {"status": "not_run", "n_segments_simulated": 0, "reason": "no network"}}
    method = np.full(len(table), "diameter_only_no_network", dtype=object)
    if network is not None:
        seg, figures, method, summary = _segment_figures(table, network, valves, cfg, likelihood, map_chunks,
                                                         progress)
        known = seg.notna().to_numpy()
        frame.loc[known, "segment_id"] = seg[known].astype(np.int64).to_numpy()
        for col in ("demand_cut_m3s", "nodes_cut", "critical_cut"):
            frame.loc[known, col] = figures[col].to_numpy()[known]
        points = np.where(known, _points(diameter_points, figures, summary["total_demand_m3s"], cfg), points)
        if (~known).any():
            log.warning("%d pipes are not in the network: their consequence is their diameter alone", (~known).sum(),
                        extra=in_french("%d conduites ne sont pas dans le réseau : leur conséquence ne tient qu’à "
                                        "leur diamètre"))
    progress("scores and classes", 3, 4)
    frame["consequence"] = points.round(4)
    frame["consequence_class"] = consequence_classes(points, table["length_m"].to_numpy(), cfg.class_bounds)
    frame["method"] = method
    summary.update(n_pipes=int(len(frame)),
                   n_by_method={k: int(v) for k, v in pd.Series(method).value_counts().items()},
                   critical_nodes=list(cfg.critical_nodes),
                   score={"diameter_ref_mm": cfg.diameter_ref_mm, "points_per_pct_demand": cfg.points_per_pct_demand,
                          "points_per_critical": cfg.points_per_critical})
    progress(f"{len(frame):,} pipes scored", 4, 4)
    return Consequence(frame=frame[list(CONSEQUENCE_COLUMNS)], summary=summary)

"""What a solved placement model says: the loggers, the shares they hear, how good the answer is.

The last stage of :mod:`leakopt.placement.solve` (``build_model`` -> ``solve`` ->
:func:`summarize`): a solved :class:`leakopt.placement.model.PlacementModel` becomes a
:class:`Placement`, whose :meth:`Placement.to_json` is ``placement.json``.  Network pipes
without a risk score are counted here too (:func:`unscored_pipes`), since they weigh 0.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.placement.coverage import Coverage
from leakopt.placement.greedy import heard_counts, heard_weight
from leakopt.placement.model import PlacementModel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Placement:
    """Where the loggers go, and how good the answer is.

    Attributes
    ----------
    sensors : DataFrame
        One row per logger: ``node_id``, ``x``, ``y``, ``covered_pipes`` (number of
        pipes with at least one segment the logger hears), ``covered_pipe_ids``
        (those pipe IDs joined by ";"), ``covered_length_m`` (pipe length it
        hears), ``covered_risk_share`` (share of the network's expected leaks on
        the segments it hears; loggers overlap, so these do not add up),
        ``node_type`` ("junction", or "access_point": an assumed hydrant or
        valve on the pipe, see :mod:`leakopt.placement.access_points`).
    summary : dict
        The ``placement.json`` fields (see :meth:`to_json`).
    unreachable : DataFrame
        Segments no candidate site hears (``coverage.unreachable`` with ``expected_leaks``).
    greedy_sensors : tuple of str
        The greedy heuristic's answer to the same problem.
    """

    sensors: pd.DataFrame
    summary: dict
    unreachable: pd.DataFrame
    greedy_sensors: tuple = ()

    def __getattr__(self, name):
        summary = self.__dict__.get("summary", {})
        if name in summary:
            return summary[name]
        raise AttributeError(name)

    def to_json(self) -> dict:
        """The ``placement.json`` content, a JSON-ready dict.

        Keys: ``n_sensors``, ``n_sensors_full_network``, ``reduction_factor``,
        ``covered_risk_share``, ``solver``, ``status``, ``mip_gap``,
        ``solve_seconds``, ``best_bound`` and ``bound_source`` (what proved the
        gap: "solver", "lagrangian", "greedy" or "column_bounds", see
        :class:`leakopt.optimize.SolveInfo`), ``objective``, ``model``, ``target_share``, ``budget``,
        ``redundancy``, ``greedy_n_sensors``, ``greedy_covered_risk_share``,
        ``n_unreachable_segments``, ``unreachable_length_m``,
        ``unreachable_expected_leaks``, ``zone_covered_length_share`` (None
        without a priority zone), ``full_network_status``,
        ``full_network_mip_gap``, ``n_candidate_sites``, ``n_segments``, and from
        :func:`place_sensors` ``n_network_pipes``, ``n_pipes_not_in_risk``,
        ``not_in_risk_length_m``, ``not_in_risk_length_share``,
        ``not_in_risk_examples`` (network pipes the risk frame does not score:
        they weigh 0, so the covered shares are shares of the scored pipes).
        """
        return dict(self.summary)


def summarize(model: PlacementModel, *, weights=None, zone=None, full: PlacementModel | None = None,
              greedy=None) -> Placement:
    """Turn a solved model into a :class:`Placement`.

    Parameters
    ----------
    model : PlacementModel
        Solved (:func:`solve`).
    weights : array-like, optional
        Expected leaks per segment for the reported shares (default: the model's weights).
    zone : array-like of bool, optional
        Priority-zone segments, for ``zone_covered_length_share``.
    full : PlacementModel, optional
        The solved whole-network model, for ``n_sensors_full_network``.
    greedy : array-like of int, optional
        Greedy answer (site rows), for ``greedy_n_sensors``.
    """
    if model.info is None:
        raise InputError("summarize() needs a solved model: call solve(model) first",
                         fr="summarize() nécessite un modèle résolu : appelez d’abord solve(model)")
    cov = model.coverage
    w = model.weights if weights is None else np.asarray(weights, dtype=float)
    total = w.sum() if w.sum() > 0 else 1.0
    rows = model.selected()
    heard = heard_counts(cov, rows)
    seg_len = cov.segments["length_m"].to_numpy(float)
    unreachable = cov.unreachable.assign(expected_leaks=w[cov.hearing_count == 0])
    n, n_full = len(rows), (len(full.selected()) if full is not None else None)
    greedy = np.asarray(greedy if greedy is not None else [], dtype=np.int64)
    summary = {
        "n_sensors": n, "n_sensors_full_network": n_full,
        "reduction_factor": (n_full / n) if (n_full is not None and n > 0) else None,
        "covered_risk_share": float(w[heard > 0].sum() / total),
        "solver": model.info.solver, "status": model.info.status, "mip_gap": model.info.mip_gap,
        "best_bound": model.info.best_bound, "bound_source": model.info.bound_source,
        "solve_seconds": model.info.solve_seconds, "objective": model.info.objective,
        "model": model.kind, "target_share": model.target_share, "budget": model.budget,
        "redundancy": model.redundancy,
        "redundant_risk_share": heard_weight(cov, w, rows, redundancy=model.redundancy) / total,
        "greedy_n_sensors": len(greedy) if greedy is not None else None,
        "greedy_covered_risk_share": float(w[heard_counts(cov, greedy) > 0].sum() / total),
        "n_unreachable_segments": len(unreachable),
        "unreachable_length_m": float(unreachable["length_m"].sum()),
        "unreachable_expected_leaks": float(unreachable["expected_leaks"].sum()),
        "total_expected_leaks": float(w.sum()),
        "zone_covered_length_share": _zone_share(zone, heard, seg_len),
        "full_network_status": full.info.status if full is not None else None,
        "full_network_mip_gap": full.info.mip_gap if full is not None else None,
        "n_candidate_sites": len(cov.sites), "n_segments": len(cov.segments),
    }
    return Placement(sensors=_sensor_table(cov, rows, w, total), summary=summary, unreachable=unreachable,
                     greedy_sensors=tuple(cov.sites["node_id"].astype(str).to_numpy()[greedy]))


def _zone_share(zone, heard, seg_len):
    if zone is None:
        return None
    zone = np.asarray(zone, dtype=bool)
    zl = seg_len[zone].sum()
    return float(seg_len[zone & (heard > 0)].sum() / zl) if zl > 0 else None


def _sensor_table(cov: Coverage, rows: np.ndarray, w: np.ndarray, total: float) -> pd.DataFrame:
    sub = cov.matrix[rows].tocoo()
    seg = cov.segments
    pairs = pd.DataFrame({"row": sub.row, "pipe_id": seg["pipe_id"].to_numpy()[sub.col],
                          "length": seg["length_m"].to_numpy(float)[sub.col], "w": w[sub.col]})
    agg = pairs.groupby("row").agg(covered_length_m=("length", "sum"), w=("w", "sum"))
    pipes = pairs.drop_duplicates(["row", "pipe_id"]).groupby("row")["pipe_id"]
    out = cov.sites.iloc[rows][["node_id", "x", "y"]].reset_index(drop=True)
    pos = np.arange(len(rows))  # coo rows are positions in ``rows``
    out["covered_pipes"] = pipes.size().reindex(pos, fill_value=0).to_numpy(np.int64)
    out["covered_length_m"] = agg["covered_length_m"].reindex(pos, fill_value=0.0).to_numpy()
    out["covered_risk_share"] = agg["w"].reindex(pos, fill_value=0.0).to_numpy() / total
    out["covered_pipe_ids"] = pipes.agg(";".join).reindex(pos, fill_value="").to_numpy()
    if "node_type" in cov.sites.columns:  # "access_point": an assumed hydrant/valve along a pipe
        out["node_type"] = cov.sites["node_type"].iloc[rows].to_numpy()
    return out.sort_values("covered_risk_share", ascending=False, kind="stable").reset_index(drop=True)


def unscored_pipes(coverage: Coverage, risk: pd.DataFrame, *, max_examples: int = 10) -> dict:
    """Network pipes with no row in ``risk``: they weigh 0 in the placement, so they are counted and warned.

    Returns
    -------
    dict
        ``n_network_pipes``, ``n_pipes_not_in_risk``, ``not_in_risk_length_m``,
        ``not_in_risk_length_share`` and ``not_in_risk_examples`` (up to
        ``max_examples`` pipe IDs, longest first).
    """
    return pipes_without_score(coverage.segments.groupby("pipe_id")["length_m"].sum(), risk,
                               max_examples=max_examples)


def pipes_without_score(length: pd.Series, risk: pd.DataFrame, *, max_examples: int = 10) -> dict:
    """:func:`unscored_pipes` from the network's pipe lengths (index ``pipe_id``), warned once."""
    length = pd.Series(pd.to_numeric(length, errors="coerce").fillna(0.0).to_numpy(),
                       index=length.index.astype(str)).groupby(level=0).sum()
    missing = length[~length.index.isin(risk["pipe_id"].astype(str))].sort_values(ascending=False, kind="stable")
    out = {"n_network_pipes": len(length), "n_pipes_not_in_risk": len(missing),
           "not_in_risk_length_m": float(missing.sum()),
           "not_in_risk_length_share": float(missing.sum() / length.sum()) if length.sum() > 0 else 0.0,
           "not_in_risk_examples": [str(i) for i in missing.index[:max_examples]]}
    if len(missing):
        logger.warning("%d pipes of the network (%.0f m, %.1f%% of its length) have no risk score: placement "
                       "counts them as never leaking, so the covered shares are of the scored pipes only "
                       "(e.g. %s)", len(missing), out["not_in_risk_length_m"],
                       100 * out["not_in_risk_length_share"], ", ".join(out["not_in_risk_examples"][:5]),
                       extra=in_french("%d conduites du réseau (%.0f\u00a0m, %.1f %% de son linéaire) n’ont pas de "
                                       "note de risque : le placement les compte comme ne fuyant jamais, les parts "
                                       "couvertes ne portent donc que sur les conduites notées (par exemple %s)"))
    return out

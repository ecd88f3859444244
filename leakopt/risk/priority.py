"""Rank pipes, give them a risk class, and find the priority zone.

Everything here is ranked by ``leaks_per_km_year`` and measured by LENGTH,
because crews survey, monitor and renew kilometres, not pipe counts.

Risk classes (by cumulative share of network length in rank order, defaults
of :class:`PriorityConfig`):

====  =================================================
A     the riskiest 10% of network length
B     the next 20% (cumulative 10-30%)
C     the next 30% (cumulative 30-60%)
D     the remaining 40%
====  =================================================

The priority zone is the smallest share of length, taken in rank order, that
holds ``target_share`` (default 80%) of the expected leaks.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError

CLASSES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class PriorityConfig:
    """Settings of the priority stage (TOML table ``[priority]``).

    Attributes
    ----------
    target_share : float
        Share of expected leaks the priority zone must hold, in (0, 1].
    class_bounds : tuple of float
        Upper cumulative length shares of classes A, B and C (D is the rest),
        increasing, in (0, 1).
    """

    target_share: float = 0.8
    class_bounds: tuple[float, ...] = (0.1, 0.3, 0.6)

    def __post_init__(self):
        if not 0 < float(self.target_share) <= 1:
            raise InputError(f"priority target_share must be in (0, 1]; got {self.target_share!r}",
                             fr="[priority] target_share doit être strictement supérieur à 0 et au plus égal à 1 ; "
                                f"valeur reçue : {self.target_share!r}")
        b = tuple(float(v) for v in self.class_bounds)
        if len(b) != 3 or not all(0 < v < 1 for v in b) or not all(np.diff(b) > 0):
            raise InputError("priority class_bounds must be 3 increasing length shares in (0, 1) "
                             f"(upper bounds of classes A, B, C); got {self.class_bounds!r}",
                             fr="[priority] class_bounds doit donner 3 parts croissantes du linéaire, strictement "
                                "entre 0 et 1 (bornes hautes des classes A, B et C) ; valeur reçue : "
                                f"{self.class_bounds!r}")


@dataclass(frozen=True)
class Priority:
    """The priority zone.

    Attributes
    ----------
    risk : DataFrame
        The risk frame with ``rank``, ``risk_class`` and ``in_priority_zone`` set.
    summary : dict
        The content of ``priority.json``.
    """

    risk: pd.DataFrame
    summary: dict

    def to_json(self, path=None) -> dict:
        """The content of ``priority.json`` (plain JSON types); also written to ``path`` when given."""
        doc = json.loads(json.dumps(self.summary))
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(doc, indent=2) + "\n")
        return doc


def _order(risk: pd.DataFrame) -> np.ndarray:
    """Row positions in rank order: highest leaks_per_km_year first, ties by expected leaks, then id."""
    for col in ("pipe_id", "expected_leaks_per_year", "leaks_per_km_year", "length_m"):
        if col not in risk:
            raise InputError(f"risk frame needs a {col!r} column; got {list(map(str, risk.columns))}",
                             fr=f"la table des risques doit avoir une colonne {col!r} ; colonnes reçues : "
                                f"{list(map(str, risk.columns))}")
    return np.lexsort((risk["pipe_id"].astype(str).to_numpy(), -risk["expected_leaks_per_year"].to_numpy(),
                       -risk["leaks_per_km_year"].to_numpy()))


def rank_and_classify(risk: pd.DataFrame, *, config: PriorityConfig | None = None) -> pd.DataFrame:
    """A copy of ``risk`` with ``rank`` (1 = highest leaks_per_km_year) and ``risk_class`` (A-D by length)."""
    config = config or PriorityConfig()
    order = _order(risk)
    length = risk["length_m"].to_numpy(dtype=float)[order]
    start_share = (np.cumsum(length) - length) / max(length.sum(), 1e-12)
    cls_sorted = np.asarray(CLASSES)[np.searchsorted(np.asarray(config.class_bounds), start_share, side="right")]
    rank = np.empty(len(risk), dtype=int)
    rank[order] = np.arange(1, len(risk) + 1)
    cls = np.empty(len(risk), dtype=object)
    cls[order] = cls_sorted
    return risk.assign(rank=rank, risk_class=pd.array(cls, dtype="str"))


def priority_zone(risk: pd.DataFrame, *, config: PriorityConfig | None = None) -> Priority:
    """The smallest share of network length, in rank order, holding ``target_share`` of expected leaks.

    Parameters
    ----------
    risk : DataFrame
        ``pipe_id``, ``length_m``, ``expected_leaks_per_year``, ``leaks_per_km_year``.
    config : PriorityConfig, optional

    Returns
    -------
    Priority
        ``risk`` (a new frame with ``rank``, ``risk_class`` and ``in_priority_zone``) and
        ``summary``: ``length_share``, ``expected_leak_share``, ``target_share``, ``n_pipes``,
        ``n_pipes_in_zone``, ``length_km``, ``zone_length_km``, ``expected_leaks_per_year``,
        ``class_bounds``.
    """
    config = config or PriorityConfig()
    out = rank_and_classify(risk, config=config)
    order = _order(out)
    exp = out["expected_leaks_per_year"].to_numpy(dtype=float)[order]
    total = float(exp.sum())
    before = np.cumsum(exp) - exp
    in_sorted = before < config.target_share * total - 1e-12 if total > 0 else np.zeros(len(exp), bool)
    zone = np.zeros(len(out), dtype=bool)
    zone[order] = in_sorted
    out = out.assign(in_priority_zone=zone)
    length = out["length_m"].to_numpy(dtype=float)
    summary = {
        "length_share": float(length[zone].sum() / max(length.sum(), 1e-12)),
        "expected_leak_share": float(out["expected_leaks_per_year"].to_numpy()[zone].sum() / total) if total else 0.0,
        "target_share": float(config.target_share),
        "n_pipes": int(len(out)),
        "n_pipes_in_zone": int(zone.sum()),
        "length_km": float(length.sum() / 1000.0),
        "zone_length_km": float(length[zone].sum() / 1000.0),
        "expected_leaks_per_year": total,
        "class_bounds": {"A": config.class_bounds[0], "B": config.class_bounds[1], "C": config.class_bounds[2]},
    }
    return Priority(risk=out, summary=summary)

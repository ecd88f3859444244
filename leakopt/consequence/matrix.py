"""Business risk (likelihood x consequence) per pipe, and the 4 x 4 risk matrix.

``business_risk = expected_leaks_per_year * consequence``: consequence-weighted
expected leaks a year.  The risk matrix crosses the likelihood class (A-D, from
the priority stage, by leak rate per km) with the consequence class (4-1), and
counts pipes and kilometres in each cell.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.consequence.score import CONSEQUENCE_CLASSES
from leakopt.errors import InputError
from leakopt.i18n import fmt_int
from leakopt.schema import CONSEQUENCE_RISK_COLUMNS, RISK_COLUMNS

#: Likelihood classes of the priority stage, most likely first.
LIKELIHOOD_CLASSES = ("A", "B", "C", "D")


def add_business_risk(risk: pd.DataFrame, consequence: pd.DataFrame) -> pd.DataFrame:
    """``risk`` with ``consequence``, ``consequence_class`` and ``business_risk`` after the contract columns.

    ``consequence`` is a :func:`~leakopt.consequence.consequence_of_failure` frame; a pipe it lacks
    raises an :class:`InputError`.
    """
    cons = consequence.set_index(consequence["pipe_id"].astype(str))
    ids = risk["pipe_id"].astype(str)
    missing = ~ids.isin(cons.index)
    if missing.any():
        n, example = int(missing.sum()), ids[missing].iloc[0]
        pipes_fr = "conduite de la table des risques n’a" if n < 2 else "conduites de la table des risques n’ont"
        raise InputError(f"{n} pipe(s) of the risk frame have no consequence "
                         f"(e.g. {example!r}); score the same pipes",
                         fr=f"{fmt_int(n, 'fr')} {pipes_fr} pas de conséquence (par exemple {example!r}) ; "
                            "évaluez les mêmes conduites")
    out = risk.drop(columns=[c for c in CONSEQUENCE_RISK_COLUMNS if c in risk]).copy()
    out["consequence"] = ids.map(cons["consequence"]).to_numpy(float)
    out["consequence_class"] = ids.map(cons["consequence_class"]).to_numpy(np.int64)
    out["business_risk"] = (pd.to_numeric(out["expected_leaks_per_year"]) * out["consequence"]).round(8)
    first = [c for c in RISK_COLUMNS if c in out]
    rest = [c for c in out.columns if c not in first and c not in CONSEQUENCE_RISK_COLUMNS]
    return out[first + list(CONSEQUENCE_RISK_COLUMNS) + rest]


def risk_matrix(risk: pd.DataFrame) -> dict:
    """The 4 x 4 risk matrix of a risk frame with ``risk_class`` and ``consequence_class``.

    Returns
    -------
    dict
        ``risk_matrix.json``: ``likelihood_classes`` (rows, A first), ``consequence_classes``
        (columns, 4 first), and per cell ``n_pipes``, ``km``, ``expected_leaks_per_year`` and
        ``business_risk`` as lists of rows; ``totals``.
    """
    need = {"risk_class", "consequence_class", "length_m", "expected_leaks_per_year", "business_risk"}
    missing = sorted(need - set(risk.columns))
    if missing:
        raise InputError(f"risk frame lacks column(s) {missing} for the risk matrix; "
                         "run the risk and consequence stages first",
                         fr=f"il manque à la table des risques les colonnes {missing} pour la matrice des risques ; "
                            "lancez d’abord les étapes du risque et de la conséquence")
    rows = pd.Categorical(risk["risk_class"].astype(str), categories=LIKELIHOOD_CLASSES)
    cols = pd.Categorical(risk["consequence_class"].astype(int), categories=CONSEQUENCE_CLASSES)
    frame = pd.DataFrame({"r": rows, "c": cols, "n": 1, "km": risk["length_m"].to_numpy(float) / 1000,
                          "leaks": risk["expected_leaks_per_year"].to_numpy(float),
                          "br": risk["business_risk"].to_numpy(float)})
    table = frame.groupby(["r", "c"], observed=False)[["n", "km", "leaks", "br"]].sum()

    def grid(col, digits):
        values = table[col].unstack("c").reindex(index=LIKELIHOOD_CLASSES, columns=CONSEQUENCE_CLASSES)
        return [[round(float(v), digits) if digits else int(v) for v in row] for row in values.fillna(0).to_numpy()]

    return {"likelihood_classes": list(LIKELIHOOD_CLASSES), "consequence_classes": list(CONSEQUENCE_CLASSES),
            "n_pipes": grid("n", 0), "km": grid("km", 3), "expected_leaks_per_year": grid("leaks", 4),
            "business_risk": grid("br", 4),
            "totals": {"n_pipes": int(len(risk)), "km": round(float(frame["km"].sum()), 3),
                       "business_risk": round(float(frame["br"].sum()), 4)}}


def matrix_corner(matrix: dict) -> dict | None:
    """The top corner of the risk matrix: the pipes both among the likeliest to break (the two first
    likelihood classes) and among the costliest if they did (the two highest consequence classes).
    ``{"likelihood", "consequence", "n_pipes", "km", "expected_leaks_per_year"}``, or None when the
    matrix has fewer than two classes a side."""
    rows, cols = list(matrix.get("likelihood_classes") or []), list(matrix.get("consequence_classes") or [])
    if len(rows) < 2 or len(cols) < 2:
        return None
    top_rows = rows[:2]                                  # A, B: listed likeliest first
    top_cols = sorted(cols, key=float, reverse=True)[:2]  # 4, 3: the most severe
    cells = [(rows.index(r), cols.index(c)) for r in top_rows for c in top_cols]
    expected = matrix.get("expected_leaks_per_year")
    return {"likelihood": top_rows, "consequence": top_cols,
            "n_pipes": int(sum(matrix["n_pipes"][i][j] for i, j in cells)),
            "km": float(sum(matrix["km"][i][j] for i, j in cells)),
            "expected_leaks_per_year": float(sum(expected[i][j] for i, j in cells)) if expected else None}


def top_demand_cut(consequence: pd.DataFrame, risk: pd.DataFrame | None = None, *, n: int = 10) -> list[dict]:
    """The ``n`` segments whose isolation cuts off the most demand (``risk_matrix.json``'s ``top_demand_cut``).

    Each: ``segment_id``, ``demand_cut_m3s``, ``nodes_cut``, ``critical_cut``, ``n_pipes``,
    ``length_m`` (from ``risk``'s ``length_m`` when given) and the first five ``pipe_ids``.
    """
    cut = consequence.dropna(subset=["demand_cut_m3s"])
    cut = cut[cut["demand_cut_m3s"] > 0]
    if cut.empty:
        return []
    length = (cut["pipe_id"].map(risk.set_index("pipe_id")["length_m"]).fillna(0.0)
              if risk is not None and "length_m" in risk else 0.0)
    seg = (cut.assign(length_m=length).groupby("segment_id")
           .agg(demand_cut_m3s=("demand_cut_m3s", "first"), nodes_cut=("nodes_cut", "first"),
                critical_cut=("critical_cut", "first"), n_pipes=("pipe_id", "size"),
                length_m=("length_m", "sum"), pipe_ids=("pipe_id", lambda v: list(v)[:5]))
           .sort_values(["demand_cut_m3s", "length_m"], ascending=False).head(n).reset_index())
    return [{"segment_id": int(r.segment_id), "demand_cut_m3s": round(float(r.demand_cut_m3s), 6),
             "nodes_cut": int(r.nodes_cut), "critical_cut": int(r.critical_cut), "n_pipes": int(r.n_pipes),
             "length_m": round(float(r.length_m), 1), "pipe_ids": list(r.pipe_ids)} for r in seg.itertuples()]

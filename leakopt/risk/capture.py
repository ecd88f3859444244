"""Measuring a ranking: capture curves by length, and their bootstrap intervals.

A ranking (higher score first) is measured by the share of test leaks found on the top
1/5/10/20/30% of network LENGTH (:data:`leakopt.schema.CAPTURE_LEVELS`) and the length share
needed to find 80% of them.  Ties in a ranking (e.g. the many pipes with no past leak) are not
broken arbitrarily: within a group of equal scores, leaks are spread in proportion to length,
which is the expected capture of a random order.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.i18n import fmt_int

#: Length shares of the stored capture curve.
CURVE_POINTS = np.linspace(0.0, 1.0, 101)


def capture_curve(score, length, observed) -> dict:
    """Capture metrics of one ranking (higher score first), measured by length.

    Returns
    -------
    dict
        ``capture`` {"0.01": share of observed leaks on the top 1% of length, ...},
        ``length_share_for_80pct`` and ``curve`` (101 points).
    """
    order, ends, x = _ranked(score, length)
    ob = np.asarray(observed, dtype=float)[order]
    total = ob.sum()
    y = np.r_[0.0, np.cumsum(ob)[ends] / total] if total > 0 else np.zeros(len(ends) + 1)
    curve = np.interp(CURVE_POINTS, x, y)
    capture, need = _capture_points(x, y, total)
    return {"capture": capture, "length_share_for_80pct": need,
            "curve": {"length_share": CURVE_POINTS.round(2).tolist(), "leak_share": curve.round(5).tolist()}}


def _ranked(score, length):
    """Rank order (ties kept in input order), last row of each tie group, cumulative length share."""
    score = np.asarray(score, dtype=float)
    score = np.where(np.isfinite(score), score, -np.inf)
    length = np.asarray(length, dtype=float)
    order = np.argsort(-score, kind="stable")
    s, ln = score[order], length[order]
    ends = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]   # last row of each tie group
    x = np.r_[0.0, np.cumsum(ln)[ends] / max(ln.sum(), 1e-12)]
    return order, ends, x


def _capture_points(x, y, total) -> tuple[dict, float]:
    """Capture at :data:`leakopt.schema.CAPTURE_LEVELS` and the length share holding 80% of the leaks."""
    need = float(np.interp(0.8, y, x)) if total > 0 else float("nan")
    return {str(lv): float(np.interp(lv, x, y)) for lv in S.CAPTURE_LEVELS}, need


def bootstrap_capture(scores: pd.DataFrame, length, observed, *, n: int = 1000, seed: int = 0,
                      confidence: float = 0.95, reference: str | None = "model", chunk: int = 100) -> dict:
    """Percentile intervals of every method's capture, resampling the test leaks with replacement.

    Each replicate draws as many test leaks as there were, with replacement, from the observed
    ones (a multinomial draw over the pipes that had them), and measures every ranking on it
    exactly as :func:`capture_curve` does.

    Parameters
    ----------
    scores : DataFrame
        One score column per method (higher = riskier); a ``pipe_id`` column is ignored.
    length, observed : array-like
        Length and test leaks of each pipe (e.g. :class:`leakopt.risk.backtest.Rankings`).
    n, seed : int
        Replicates, and the seed of their draws.
    confidence : float
        Coverage of the percentile interval.
    reference : str or None
        A method every other one is compared with on the same replicates (paired).

    Returns
    -------
    dict
        ``{method: {"capture": {"0.01": (low, high), ...}, "length_share_for_80pct": (low, high)}}``;
        with a ``reference`` among the methods, every other method also has ``"lead"``
        ``{"0.01": (low, high), ...}``: the interval of the reference's capture minus this method's,
        paired replicate by replicate (so an interval above 0 says the reference finds more).
    """
    observed = np.asarray(observed, dtype=float)
    total = round(float(observed.sum()))
    if total <= 0 or n < 1:
        raise InputError(f"bootstrap_capture: needs test leaks and n >= 1; got {total} leaks, n = {n}",
                         fr=f"bootstrap_capture : il faut des fuites de test et n >= 1 ; reçu : {fmt_int(total, 'fr')} "
                            f"{'fuite' if total < 2 else 'fuites'}, n = {n}")
    rng = np.random.default_rng(seed)
    methods = [c for c in scores.columns if c != S.PIPE_ID]
    ranked = {name: _ranked(scores[name], length) for name in methods}
    points = {name: [] for name in methods}
    for start in range(0, int(n), chunk):     # chunks of replicates: memory stays at chunk x pipes
        draws = rng.multinomial(total, observed / observed.sum(), size=min(chunk, int(n) - start))
        for name, (order, ends, x) in ranked.items():
            ys = np.cumsum(draws[:, order], axis=1)[:, ends] / total
            points[name] += [_capture_points(x, np.r_[0.0, y], total) for y in ys]
    tail = 100.0 * (1.0 - confidence) / 2.0

    def interval(values) -> tuple:
        return tuple(np.percentile(values, [tail, 100.0 - tail]).tolist())

    caps = {name: pd.DataFrame([p[0] for p in pts]) for name, pts in points.items()}
    out = {}
    for name, pts in points.items():
        out[name] = {"capture": {lv: interval(caps[name][lv]) for lv in caps[name].columns},
                     "length_share_for_80pct": interval([p[1] for p in pts])}
        if reference in caps and name != reference:
            out[name]["lead"] = {lv: interval(caps[reference][lv] - caps[name][lv]) for lv in caps[name].columns}
    return out

"""The number of trees on Dask: LightGBM's early-stopping rule without restarts.

``lightgbm.dask`` cannot stop early: each worker evaluates the validation
metric on its own share of the rows, so workers stop at different rounds and
the others hang (LightGBM issues #3712, #6351).  The search therefore trains
on every year up to ``cut_year`` in chunks of rounds and computes the
validation Poisson deviance of every round itself, on the workers:

* each panel partition keeps a *state* on its worker: the raw score of its
  training rows and of its validation rows (the offset, plus the trees
  trained so far);
* a chunk of rounds is trained with the training rows' state as
  ``init_score``: boosting from the scores of the earlier trees is what
  continuing the training does, so no round is trained twice (the previous
  search restarted from scratch with twice the rounds, training ~2x the
  rounds it kept);
* one ``pred_leaf`` pass over the validation rows gives the deviance after
  each new round, and the chunk's raw predictions advance both states;
* LightGBM's early-stopping rule (:func:`early_stopping_round`) is applied to
  the whole curve; without a stop, :func:`next_target` sizes the next chunk
  (half the rounds so far while the curve still falls, else the rounds the
  rule still needs), capped by ``n_estimators``.

Each chunk draws its bagging and feature subsamples with its own seed
(``seed + chunk``), so the trees differ from one uninterrupted training only
through those random draws; without subsampling they are the same trees
(``tests/test_distributed.py``).
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.schema import Progress, silent

log = logging.getLogger(__name__)
_CHUNK_ROWS = 200_000   # rows per predict call
_LEAF_BLOCK = 40_000_000   # rows x trees leaf indices held at once (160 MB of int32)


def offset(panel: pd.DataFrame, glm=None) -> np.ndarray:
    """The model's ``init_score``: log length (km), plus the GLM's log rate when it boosts from one."""
    base = np.log(panel["length_km"].to_numpy(dtype=float))
    return base + glm.log_rate(panel) if glm is not None else base


def early_stopping_round(curve: np.ndarray, rounds: int) -> tuple[int, bool]:
    """LightGBM's early-stopping rule applied to a per-round validation loss.

    Returns ``(best_iteration, stopped)``: the 1-based round of the lowest
    loss seen before ``rounds`` rounds without improvement, and whether that
    happened inside ``curve`` (else the best over the whole curve).
    """
    curve = np.asarray(curve, dtype=float)
    if curve.size == 0:
        raise InputError("early_stopping_round: empty validation curve",
                         fr="early_stopping_round : la courbe de validation est vide")
    running = np.minimum.accumulate(curve)
    improved = np.r_[True, curve[1:] < running[:-1]]
    best_so_far = np.maximum.accumulate(np.where(improved, np.arange(curve.size), 0))
    stale = np.flatnonzero(np.arange(curve.size) - best_so_far >= int(rounds))
    if stale.size:
        return int(best_so_far[stale[0]]) + 1, True
    return int(best_so_far[-1]) + 1, False


def _leaf_values(booster) -> list[np.ndarray]:
    """Per tree, the (shrunk) value of each leaf, indexed as ``predict(pred_leaf=True)`` numbers them."""
    out = []
    for tree in booster.dump_model()["tree_info"]:
        values, stack = {}, [tree["tree_structure"]]
        while stack:
            node = stack.pop()
            if "leaf_value" in node:
                values[int(node.get("leaf_index", 0))] = float(node["leaf_value"])
            else:
                stack.extend((node["left_child"], node["right_child"]))
        arr = np.zeros(max(values) + 1)
        arr[list(values)] = list(values.values())
        out.append(arr)
    return out


def validation_curve(booster, rows: pd.DataFrame, features: list[str],
                     start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum over ``rows`` of the Poisson deviance ``exp(s) - y s`` after each of ``booster``'s rounds.

    ``start`` is the rows' raw score before the booster's first tree (the
    offset, plus earlier trees).  One ``pred_leaf`` pass gives every row's
    leaf in every tree; the score after round ``i`` is ``start`` plus the
    leaf values of trees ``<= i``.  Returns ``(curve, final score)``.
    """
    values = _leaf_values(booster)
    curve = np.zeros(len(values))
    y = rows["leaks"].to_numpy(dtype=float)
    final = np.asarray(start, dtype=float).copy()
    step = int(np.clip(_LEAF_BLOCK // max(len(values), 1), 1_000, _CHUNK_ROWS))
    for lo in range(0, len(rows), step):
        sl = slice(lo, lo + step)
        leaves = booster.predict(rows.iloc[sl][features], pred_leaf=True).reshape(len(y[sl]), -1)
        leaves = np.asfortranarray(leaves)   # column per tree: contiguous reads below
        score, yc = final[sl], y[sl]
        for i, v in enumerate(values):
            score = score + v[leaves[:, i]]
            curve[i] += float(np.sum(np.exp(score) - yc * score))
        final[sl] = score
    return curve, final


def _raw_scores(booster, rows: pd.DataFrame, features: list[str]) -> np.ndarray:
    if rows.empty:
        return np.zeros(0)
    return np.concatenate([booster.predict(rows.iloc[lo:lo + _CHUNK_ROWS][features], raw_score=True)
                           for lo in range(0, len(rows), _CHUNK_ROWS)])


def next_target(done: int, best: int, rounds: int, cap: int) -> int:
    """Rounds to have trained after the next chunk, given ``done`` rounds and the best round so far.

    While the last round is the best, grow by half (at least ``rounds``):
    the minimum is further on.  Otherwise train what the stopping rule needs
    if no new low comes (``best + rounds``), at least half a patience window
    more, to bound the number of chunks (each costs a Dataset construction).
    """
    if best >= done:
        target = done + max(int(rounds), done // 2)
    else:
        target = max(best + int(rounds), done + max(int(rounds) // 2, 1))
    return min(int(cap), target)


# --- per-partition tasks (run on the workers, next to the panel partition) -------------------

def start_state(panel: pd.DataFrame, cut_year: int, glm=None) -> dict:
    """A partition's search state before any tree: the offsets of its training and validation rows."""
    train = panel["year"].to_numpy() <= cut_year
    score = offset(panel, glm)
    return {"train": score[train], "val": score[~train], "curve": np.zeros(0), "n_val": int((~train).sum())}


def init_score(panel: pd.DataFrame, state: dict, cut_year: int) -> pd.Series:
    """The training rows' raw scores, as the ``init_score`` partition of the next chunk."""
    train = panel["year"].to_numpy() <= cut_year
    return pd.Series(state["train"], index=panel.index[train], name="init_score")


def advance_state(panel: pd.DataFrame, state: dict, model_str: str, features: list[str], cut_year: int) -> dict:
    """The state after the chunk of trees in ``model_str``, with the chunk's validation curve (sums)."""
    import lightgbm as lgb
    booster = lgb.Booster(model_str=model_str)
    train = panel["year"].to_numpy() <= cut_year
    val = panel[~train]
    if val.empty:
        curve, val_score = np.zeros(booster.current_iteration()), state["val"]
    else:
        curve, val_score = validation_curve(booster, val, features, state["val"])
    return {"train": state["train"] + _raw_scores(booster, panel[train], features), "val": val_score,
            "curve": curve, "n_val": state["n_val"]}


def _curve_part(state: dict) -> tuple[np.ndarray, int]:
    return state["curve"], state["n_val"]


# --- the driver ------------------------------------------------------------------------------

def search_rounds(client, ddf, futures, features: list[str], params: dict, config, cut_year: int,
                  *, glm=None, fit: Callable, progress: Progress | None = None) -> tuple[int, np.ndarray]:
    """Train on years ``<= cut_year`` chunk after chunk until LightGBM's early-stopping rule fires.

    Parameters
    ----------
    ddf, futures
        The panel (Dask DataFrame, one partition per future) from
        :func:`leakopt.distributed.train.panel_frame`.
    params : dict
        LightGBM parameters (:func:`leakopt.distributed.train.lgb_params`).
    config : RiskConfig
        ``n_estimators``, ``early_stopping_rounds``.
    glm
        The GLM the trees boost from, or None.
    fit : callable
        ``fit(client, X_frame, features, init_score, params, n_rounds) -> Booster``.

    Returns
    -------
    (best_iteration, curve)
        ``curve``: mean validation Poisson deviance after every trained round.
    """
    import dask.dataframe as dd
    progress = progress or silent
    es, cap = int(config.early_stopping_rounds), int(config.n_estimators)
    train = ddf[ddf["year"] <= cut_year]
    states = [client.submit(start_state, f, cut_year, glm, pure=False) for f in futures]
    curve, target, chunk = np.zeros(0), min(cap, max(2 * es, 200)), 0
    meta = pd.Series(dtype="f8", name="init_score")
    try:
        while True:
            n = target - len(curve)
            progress(f"search: boosting rounds on the years up to {cut_year}", len(curve), cap)
            init = dd.from_delayed([client.submit(init_score, f, s, cut_year, pure=False)
                                    for f, s in zip(futures, states)], meta=meta, verify_meta=False)
            booster = fit(client, train, features, init, {**params, "seed": int(params.get("seed", 0)) + chunk}, n)
            model_str = client.scatter(booster.model_to_string(), broadcast=True)
            states = [client.submit(advance_state, f, s, model_str, features, cut_year, pure=False)
                      for f, s in zip(futures, states)]
            parts = client.gather([client.submit(_curve_part, s, pure=False) for s in states])
            curve = np.concatenate([curve, sum(c for c, _ in parts) / max(sum(k for _, k in parts), 1)])
            best, stopped = early_stopping_round(curve, es)
            log.info("search: %d rounds trained, best round %d (stopped: %s)", len(curve), best, stopped,
                     extra=in_french("recherche : %d itérations apprises, meilleure itération %d (arrêt : %s)",
                                     len(curve), best, "oui" if stopped else "non"))
            if stopped or len(curve) >= cap or booster.current_iteration() < n:
                return best, curve
            target, chunk = next_target(len(curve), best, es, cap), chunk + 1
    finally:
        client.cancel(states)

"""The rankings a utility would use without the model, for the backtest.

Every baseline returns one score per pipe of a scoring frame
(:func:`leakopt.risk.features.features_at`), higher = riskier, to be ranked and
measured by LENGTH like the model:

* ``oldest_first`` -- pipe age;
* ``leaks_per_km_so_far`` -- recorded leaks on the pipe before the as-of date per km;
* ``cohort_rate`` -- leak rate per km-year of the pipe's material x install-decade
  cohort over the panel years (shrunk towards the material rate when the cohort is small);
* ``poisson_glm`` -- the classical statistical model: a Poisson GLM (scikit-learn
  ``PoissonRegressor``) of the leak rate per km on the same features as the
  model (one-hot material and categorical extra columns, standardised
  numerics), weighted by length;
* ``plain_lightgbm`` -- the frugal LightGBM a data scientist would write first: one row per
  pipe (age, raw material code, diameter, log length, leaks in the last 2/5/10 years and ever,
  years since the last leak) with the features taken at ``T - h`` and the leaks of
  ``[T - h, T)`` as the target, for several ends ``T`` stacked, Poisson objective, fixed
  parameters (:data:`PLAIN_LGB_PARAMS`, :data:`PLAIN_LGB_TREES` trees), deterministic;
* ``literature_prior`` -- published break rates by material, age and diameter
  (:mod:`leakopt.risk.prior`), the ranking of a utility that has kept no leak record: what
  the utility's own history adds is the model's lead over it.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.risk.features import feature_columns, usable_leaks, year_fraction
from leakopt.risk.glm import PoissonGlm
from leakopt.risk.model import threads_for
from leakopt.risk.prior import PriorModel

log = logging.getLogger(__name__)

BASELINES = ("oldest_first", "leaks_per_km_so_far", "cohort_rate", "poisson_glm", "plain_lightgbm",
             "literature_prior")

#: km-years of prior weight when shrinking a cohort rate towards its material rate.
COHORT_PRIOR_KM_YEARS = 20.0


def oldest_first(features: pd.DataFrame) -> np.ndarray:
    """Age of the pipe at the as-of date."""
    return features["age"].to_numpy(dtype=float)


def leaks_per_km_so_far(features: pd.DataFrame) -> np.ndarray:
    """Recorded leaks before the as-of date per km of pipe."""
    return features["prev_leaks"].to_numpy(dtype=float) / features["length_km"].to_numpy(dtype=float)


def cohort_rate(panel: pd.DataFrame, features: pd.DataFrame) -> np.ndarray:
    """Leaks per km-year of the material x install-decade cohort, over the panel years."""
    def key(f, decade=True):
        m = f["material"].astype("str")
        return m + "|" + f["install_decade"].astype(int).astype("str") if decade else m

    km = panel["length_km"].to_numpy(dtype=float)
    leaks = panel["leaks"].to_numpy(dtype=float)
    total = leaks.sum() / max(km.sum(), 1e-12)
    mat = pd.DataFrame({"k": key(panel, False), "l": leaks, "e": km}).groupby("k")[["l", "e"]].sum()
    mat_rate = (mat["l"] + COHORT_PRIOR_KM_YEARS * total) / (mat["e"] + COHORT_PRIOR_KM_YEARS)
    coh = pd.DataFrame({"k": key(panel), "m": key(panel, False), "l": leaks, "e": km}).groupby(["k", "m"])[
        ["l", "e"]].sum().reset_index()
    prior = coh["m"].map(mat_rate).to_numpy()
    coh_rate = pd.Series((coh["l"] + COHORT_PRIOR_KM_YEARS * prior) / (coh["e"] + COHORT_PRIOR_KM_YEARS),
                         index=coh["k"].to_numpy())
    fk, fm = key(features), key(features, False)
    out = fk.map(coh_rate).to_numpy(dtype=float)
    fallback = fm.map(mat_rate).to_numpy(dtype=float)
    out = np.where(np.isfinite(out), out, fallback)
    return np.where(np.isfinite(out), out, total)


def poisson_glm(panel: pd.DataFrame, features: pd.DataFrame, *, seed: int = 0) -> np.ndarray:
    """Leak rate per km from a Poisson GLM fitted on the panel (rate target, length weights)."""
    glm = PoissonGlm(seed=seed).fit(panel, feature_columns(features))
    return np.exp(glm.log_rate(features))


#: Fixed parameters of the ``plain_lightgbm`` baseline (no tuning, no early stopping).  Row-wise
#: histograms: the same trees as column-wise ones (measured), in 55% of the CPU time on the 95,000
#: stacked rows of a 20,000-pipe utility.
PLAIN_LGB_PARAMS = {"objective": "poisson", "learning_rate": 0.05, "num_leaves": 15, "min_child_samples": 50,
                    "lambda_l2": 1.0, "cat_smooth": 20.0, "min_data_per_group": 50, "deterministic": True,
                    "force_row_wise": True, "verbose": -1}
PLAIN_LGB_TREES = 300
#: Windows ``T`` stacked: the as-of date and the years before it, while ``T - h`` is recorded.
PLAIN_LGB_WINDOWS = 5
#: From this many stacked rows the plain LightGBM grows on the idle cores (:func:`~leakopt.risk.model.threads_for`).
#: One booster, nothing beside it (the model's searches run two 1-thread boosters side by side below
#: :data:`~leakopt.risk.model.SINGLE_THREAD_ROWS`): 2 threads took 0.8 s instead of 1.2 on the 95,000 rows of
#: a 20,000-pipe utility and 3.5 s instead of 5.0 on the 475,000 of a 100,000-pipe one (load 1.5-2.4), the
#: same trees (maximum score difference 0.0).
PLAIN_LGB_THREAD_ROWS = 100_000
#: Leak-history windows (years) of the plain features.
PLAIN_LGB_HISTORY = (2, 5, 10)


def plain_features(utility: S.Utility, t0: float, rows: np.ndarray, leaks: pd.DataFrame,
                   codes: pd.Categorical) -> pd.DataFrame:
    """The plain per-pipe features of pipes ``rows`` of ``utility.pipes`` at fractional year ``t0``."""
    pipes = utility.pipes
    before = leaks[leaks["t"] < t0]
    idx, t = before["pipe_idx"].to_numpy(), before["t"].to_numpy()
    n = len(pipes)
    out = {"age": t0 - pipes[S.INSTALL_YEAR].to_numpy(dtype=float)[rows],
           "material_code": pd.Categorical.from_codes(codes.codes[rows], categories=codes.categories),
           "diameter_mm": pipes[S.DIAMETER].to_numpy(dtype=float)[rows],
           "log_length": np.log(np.maximum(pipes[S.LENGTH].to_numpy(dtype=float)[rows], 0.1))}
    for k in PLAIN_LGB_HISTORY:
        out[f"leaks_{k}y"] = np.bincount(idx[t >= t0 - k], minlength=n)[rows].astype(float)
    out["leaks_ever"] = np.bincount(idx, minlength=n)[rows].astype(float)
    last = np.full(n, -np.inf)
    np.maximum.at(last, idx, t)
    out["years_since_last_leak"] = np.where(np.isfinite(last), t0 - last, np.nan)[rows]
    return pd.DataFrame(out)


def plain_lightgbm(utility: S.Utility, features: pd.DataFrame, *, horizon_years: int = 3, seed: int = 0,
                   num_threads: int | None = None) -> np.ndarray:
    """Leaks per km over the next ``horizon_years`` from a plain, untuned Poisson LightGBM.

    Training rows: every pipe installed by ``T - h`` for each window end ``T`` (the as-of date
    and up to :data:`PLAIN_LGB_WINDOWS` - 1 years before it, keeping ``T - h`` at or after the
    first recorded year), features at ``T - h``, target the leaks of ``[T - h, T)``.  The
    scoring rows are the pipes of ``features`` at the as-of date.
    """
    import lightgbm as lgb

    pipes = utility.pipes
    h = max(int(horizon_years), 1)
    leaks = usable_leaks(utility)
    t_end = float(year_fraction([utility.as_of])[0])
    first = utility.first_record_year if utility.first_record_year is not None else int(np.floor(t_end)) - h
    ends = [t_end - j for j in range(PLAIN_LGB_WINDOWS) if t_end - j - h >= first]
    if not ends:   # a record shorter than the horizon: one window, as long as the record
        ends, h = [t_end], max(int(np.floor(t_end - first)), 1)
    raw = pipes[S.MATERIAL_RAW] if S.MATERIAL_RAW in pipes else pipes[S.MATERIAL]
    codes = pd.Categorical(raw.astype("str").str.strip().str.upper().mask(raw.isna(), "UNKNOWN"))
    install = pipes[S.INSTALL_YEAR].to_numpy(dtype=float)
    frames, targets = [], []
    for end in ends:
        start = end - h
        rows = np.flatnonzero(install <= np.floor(start))
        frames.append(plain_features(utility, start, rows, leaks, codes))
        window = leaks[(leaks["t"] >= start) & (leaks["t"] < end)]
        targets.append(np.bincount(window["pipe_idx"], minlength=len(pipes))[rows].astype(float))
    train = pd.concat(frames, ignore_index=True)
    if not any(t.sum() > 0 for t in targets):   # no leak in any window: nothing to learn, every pipe alike
        log.warning("plain_lightgbm: no leak in its training windows; every pipe gets the same score",
                    extra=in_french("plain_lightgbm : aucune fuite dans ses fenêtres d’apprentissage ; toutes les "
                                    "conduites reçoivent la même note"))
        return np.zeros(len(features))
    params = {**PLAIN_LGB_PARAMS, "seed": seed,
              "num_threads": threads_for(len(train), num_threads, min_rows=PLAIN_LGB_THREAD_ROWS)}
    booster = lgb.train(params, lgb.Dataset(train, label=np.concatenate(targets)), num_boost_round=PLAIN_LGB_TREES)
    at = pd.Index(pipes[S.PIPE_ID].astype(str)).get_indexer(features[S.PIPE_ID].astype(str))
    if (at < 0).any():
        raise InputError("plain_lightgbm: the scoring frame names pipes that are not in the utility",
                         fr="plain_lightgbm : la table à noter nomme des conduites absentes des données du service")
    expected = booster.predict(plain_features(utility, t_end, at, leaks, codes))
    return expected / features["length_km"].to_numpy(dtype=float)


def baseline_scores(panel: pd.DataFrame, features: pd.DataFrame, *, names=BASELINES, seed: int = 0,
                    utility: S.Utility | None = None, horizon_years: int = 3,
                    num_threads: int | None = None, prior_rates: dict | None = None) -> pd.DataFrame:
    """``pipe_id`` then one score column per baseline in ``names`` (higher = riskier).

    ``plain_lightgbm`` needs the ``utility`` the panel was built from (its pipes and leaks as
    known at the as-of date) and the ``horizon_years`` it forecasts; ``literature_prior`` takes
    the ``[risk] prior_rates`` that replace its published rates.
    """
    out = {S.PIPE_ID: features[S.PIPE_ID].to_numpy()}
    for name in names:
        if name == "oldest_first":
            out[name] = oldest_first(features)
        elif name == "leaks_per_km_so_far":
            out[name] = leaks_per_km_so_far(features)
        elif name == "cohort_rate":
            out[name] = cohort_rate(panel, features)
        elif name == "poisson_glm":
            out[name] = poisson_glm(panel, features, seed=seed)
        elif name == "plain_lightgbm":
            if utility is None:
                raise InputError("baseline plain_lightgbm needs the utility (baseline_scores(..., utility=...))",
                                 fr="la méthode de comparaison plain_lightgbm a besoin des données du service "
                                    "(baseline_scores(..., utility=...))")
            out[name] = plain_lightgbm(utility, features, horizon_years=horizon_years, seed=seed,
                                       num_threads=num_threads)
        elif name == "literature_prior":
            out[name] = np.exp(PriorModel(prior_rates).predict_log_rate(features))
        else:
            raise InputError(f"unknown baseline {name!r}; known: {list(BASELINES)}",
                             fr=f"méthode de comparaison {name!r} inconnue ; méthodes connues : {list(BASELINES)}")
    return pd.DataFrame(out)

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
  numerics), weighted by length.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.risk.features import feature_columns
from leakopt.risk.glm import PoissonGlm

BASELINES = ("oldest_first", "leaks_per_km_so_far", "cohort_rate", "poisson_glm")

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


def baseline_scores(panel: pd.DataFrame, features: pd.DataFrame, *,
                    names=BASELINES, seed: int = 0) -> pd.DataFrame:
    """``pipe_id`` then one score column per baseline in ``names`` (higher = riskier)."""
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
        else:
            raise InputError(f"unknown baseline {name!r}; known: {list(BASELINES)}")
    return pd.DataFrame(out)

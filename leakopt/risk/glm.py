"""The Poisson GLM of the leak rate per km: the classical statistical model, and the model's offset.

:class:`PoissonGlm` is fitted on the pipe-year panel (scikit-learn
``PoissonRegressor``, weighted by length): one-hot material and categorical
extra columns, standardised numerics, and one shrunk term per material x
install decade (the cohort).  It serves twice: as the ``poisson_glm`` baseline
of :mod:`leakopt.risk.baselines` (main effects only), and as the offset the
LightGBM trees of :mod:`leakopt.risk.model` boost from.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.risk.features import feature_columns

_GLM_LOG1P = ("prev_leaks", "prev_leaks_1y", "prev_leaks_3y", "prev_leaks_5y", "prev_leaks_per_km",
              "prev_rate_per_km_year", "nb_leaks", "nb_leaks_5y", "nb_leaks_per_km_5y",
              "area_leaks_per_km", "area_leaks_per_km_5y")
_GLM_SKIP = ("material", "install_decade", "years_since_last_leak")


#: A level of a categorical extra column gets its own GLM column from this many pipe-years on
#: (the others share the reference level), and a column gets at most ``MAX_LEVELS`` of them.
MIN_LEVEL_ROWS = 200
MAX_LEVELS = 50


#: Rows of a frame turned into GLM columns at a time when predicting.
PREDICT_ROWS = 50_000


#: Prefix of the material x install-decade columns of :class:`PoissonGlm` (``cohort_sigma``).
COHORT = "cohort"


def _glm_design(frame: pd.DataFrame, columns: list[str], *, min_level_rows: int = 0,
                cohorts: bool = False) -> pd.DataFrame:
    """GLM columns of ``frame``: transformed numerics, one-hot material and categorical extras.

    ``min_level_rows`` drops the rare levels of categorical columns (when fitting);
    predicting keeps every level and lets the fitted column list pick.  ``cohorts``
    adds one 0/1 column per material x install decade (``cohort=cast_iron|1930``).
    """
    return pd.DataFrame(_glm_columns(frame, columns, min_level_rows=min_level_rows, cohorts=cohorts))


def _glm_columns(frame: pd.DataFrame, columns: list[str], *, min_level_rows: int = 0,
                 cohorts: bool = False) -> dict[str, np.ndarray]:
    """The columns of :func:`_glm_design` as ``{name: array}``."""
    out = {}
    for c in columns:
        v = frame[c]
        if c in _GLM_SKIP:
            continue
        if isinstance(v.dtype, pd.CategoricalDtype):   # extra register columns such as a sector
            out.update(_dummies(c, v, min_level_rows))
            continue
        if not (pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v)):
            continue
        x = v.to_numpy(dtype=float)
        out[c] = np.log1p(np.maximum(x, 0)) if c in _GLM_LOG1P else x
    if "diameter_mm" in out:
        out["diameter_mm"] = np.log(np.maximum(out["diameter_mm"], 1.0))
    if "years_since_last_leak" in frame:
        ysl = frame["years_since_last_leak"].to_numpy(dtype=float)
        out["recent_leak"] = np.exp(-np.minimum(ysl, 50.0) / 3.0)
    mat = frame["material"].astype("str")
    for m in S.MATERIAL_FAMILIES:
        out[f"mat_{m}"] = (mat == m).to_numpy(dtype=float)
    if cohorts and "install_decade" in frame:
        decade = frame["install_decade"].to_numpy(dtype=float)
        decade = np.where(np.isfinite(decade), np.nan_to_num(decade), -1).astype(np.int64).astype(str)
        out.update(_dummies(COHORT, mat + "|" + decade, min_level_rows))
    return out


def _dummies(col: str, values: pd.Series, min_rows: int) -> dict[str, np.ndarray]:
    """``{"col=level": 0/1}`` for the most frequent levels with at least ``min_rows`` rows."""
    counts = values.value_counts()
    levels = counts[counts >= max(min_rows, 1)].index[:MAX_LEVELS] if min_rows else counts.index
    codes = values.astype(str).to_numpy()
    return {f"{col}={lev}": (codes == str(lev)).astype(float) for lev in levels}


def _source(column: str) -> str:
    """The feature a GLM column comes from (for per-feature contributions)."""
    if column in _GLM_SOURCE:
        return _GLM_SOURCE[column]
    if column.startswith(f"{COHORT}="):   # material x install decade: the pipe's generation
        return "install_decade"
    return "material" if column.startswith("mat_") else column.split("=", 1)[0]


class PoissonGlm:
    """Poisson GLM of the leak rate per km (length-weighted), on standardised features.

    Used both as the ``poisson_glm`` baseline and as the offset the risk model
    boosts from.  Coefficients of leak-history columns are kept non-negative
    (a column whose coefficient comes out negative is dropped and the GLM refitted),
    so more past leaks never lower the rate.  Serialisable to plain JSON.

    Parameters
    ----------
    alpha : float
        Ridge penalty of scikit-learn's ``PoissonRegressor`` (on standardised columns).
    max_rows : int
        Fit on a random sample of this many pipe-years at most.
    seed : int
        Seed of that sample.
    cohort_sigma : float or None
        When set, one term per material x install decade holding ``MIN_LEVEL_ROWS``
        pipe-years or more (a generation of pipes that fails more or less than its
        material's age and diameter say: pit-cast vs spun cast iron, early PVC),
        shrunk as a random effect: its column is scaled so that the ridge penalty
        is that of a normal prior of standard deviation ``cohort_sigma`` on the
        cohort's log rate.  A cohort with few leaks stays near its material.  The
        classical ``poisson_glm`` baseline has none (None).
    """

    def __init__(self, *, alpha: float = 1e-4, max_rows: int = 400_000, seed: int = 0,
                 cohort_sigma: float | None = None):
        self.alpha, self.max_rows, self.seed = alpha, max_rows, seed
        self.cohort_sigma = float(cohort_sigma) if cohort_sigma else None
        self.columns: list[str] = []
        self.sources: list[str] = []
        self.mean = self.std = self.coef = None
        self.intercept = 0.0

    def fit(self, panel: pd.DataFrame, features: list[str]) -> PoissonGlm:
        """Fit on panel rows (``leaks`` target, ``length_km`` exposure) using ``features``."""
        from sklearn.linear_model import PoissonRegressor
        from threadpoolctl import threadpool_limits

        if len(panel) > self.max_rows:   # a random subsample of pipe-years only speeds up the fit
            rng = np.random.default_rng(self.seed)
            panel = panel.iloc[np.sort(rng.choice(len(panel), self.max_rows, replace=False))]
        x = _glm_columns(panel, features, min_level_rows=MIN_LEVEL_ROWS, cohorts=self.cohort_sigma is not None)
        names = list(x)
        # one matrix, filled column by column as the columns are freed, then standardised in place: a
        # panel with a column per sector or cohort level would otherwise be copied at every step
        z = np.empty((len(panel), len(names)))
        for j, name in enumerate(names):
            z[:, j] = x.pop(name)
        km = panel["length_km"].to_numpy(dtype=float)
        y = panel["leaks"].to_numpy(dtype=float) / km
        with warnings.catch_warnings():   # an all-blank column: its mean is nan and it becomes 0
            warnings.simplefilter("ignore", RuntimeWarning)
            mean, std = np.nanmean(z, axis=0), np.nanstd(z, axis=0, ddof=1)
        std[~np.isfinite(std) | (std == 0)] = 1.0
        if self.cohort_sigma is not None:
            # scikit-learn minimises deviance / (2 sum(km)) + alpha / 2 |coef|^2, i.e. (times sum(km))
            # -loglik + alpha sum(km) / 2 |coef|^2: a column s * dummy gives the cohort effect
            # u = coef * s the penalty u^2 / (2 sigma^2) when s = sigma * sqrt(alpha sum(km)).
            re = np.array([c.startswith(f"{COHORT}=") for c in names], dtype=bool)
            mean[re], std[re] = 0.0, 1.0 / (self.cohort_sigma * np.sqrt(self.alpha * km.sum()))
        z -= mean
        z /= std
        z[np.isnan(z)] = 0.0
        keep = np.arange(len(names))
        for _ in range(len(_GLM_LOG1P) + 2):
            with threadpool_limits(limits=1):   # a small problem: BLAS threads only spin
                glm = PoissonRegressor(alpha=self.alpha, solver="newton-cholesky", max_iter=100).fit(
                    z if len(keep) == len(names) else z[:, keep], y, sample_weight=km)
            bad = np.array([b < 0 and (names[i] in _GLM_LOG1P or names[i] == "recent_leak")
                            for i, b in zip(keep, glm.coef_)], dtype=bool)
            if not bad.any():
                break
            keep = keep[~bad]
        cols = [names[i] for i in keep]
        self.columns, self.mean, self.std = cols, mean[keep], std[keep]
        self.coef, self.intercept = np.asarray(glm.coef_, dtype=float), float(glm.intercept_)
        self.sources = [_source(c) for c in cols]
        return self

    def _z(self, frame: pd.DataFrame) -> np.ndarray:
        x = _glm_design(frame, feature_columns(frame), cohorts=self.cohort_sigma is not None).reindex(
            columns=self.columns)
        dummies = [c for c in self.columns if "=" in c]   # a level absent from the frame: all 0
        x[dummies] = x[dummies].fillna(0.0)
        return np.nan_to_num((x.to_numpy(dtype=float) - self.mean) / self.std)

    def _chunks(self, frame: pd.DataFrame):
        """``(slice, z)`` over blocks of ``PREDICT_ROWS`` rows: one design matrix of a whole
        pipe-year panel, with a column per sector or cohort level, would take gigabytes."""
        for start in range(0, len(frame), PREDICT_ROWS):
            rows = slice(start, start + PREDICT_ROWS)
            yield rows, self._z(frame.iloc[rows])

    def log_rate(self, frame: pd.DataFrame) -> np.ndarray:
        """Log of the leak rate per km and year."""
        out = np.empty(len(frame))
        for rows, z in self._chunks(frame):
            out[rows] = self.intercept + z @ self.coef
        return out

    def contributions(self, frame: pd.DataFrame, features: list[str]) -> np.ndarray:
        """Exact per-feature contributions to the log rate (``coef * z``), columns in ``features`` order."""
        out = np.zeros((len(frame), len(features)))
        pos = {f: i for i, f in enumerate(features)}
        for rows, z in self._chunks(frame):
            z = z * self.coef
            for j, src in enumerate(self.sources):
                if src in pos:
                    out[rows, pos[src]] += z[:, j]
        return out

    def to_dict(self) -> dict:
        return {"columns": self.columns, "sources": self.sources, "mean": list(map(float, self.mean)),
                "std": list(map(float, self.std)), "coef": list(map(float, self.coef)),
                "intercept": self.intercept, "alpha": self.alpha, "cohort_sigma": self.cohort_sigma}

    @classmethod
    def from_dict(cls, d: dict) -> PoissonGlm:
        g = cls(alpha=d.get("alpha", 1e-4), cohort_sigma=d.get("cohort_sigma"))
        g.columns, g.sources = list(d["columns"]), list(d["sources"])
        g.mean, g.std, g.coef = (np.asarray(d[k], dtype=float) for k in ("mean", "std", "coef"))
        g.intercept = float(d["intercept"])
        return g


_GLM_SOURCE = {"recent_leak": "years_since_last_leak"}

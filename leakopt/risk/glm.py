"""The Poisson GLM of the leak rate per km: the classical statistical model, and the model's offset.

:class:`PoissonGlm` is fitted on the pipe-year panel (the model of scikit-learn's
``PoissonRegressor``, weighted by length): one-hot material and categorical
extra columns, standardised numerics, and one shrunk term per material x
install decade (the cohort).  The 0/1 columns are never built: they are kept
as their rows' level codes, only for the levels that were fitted, and the fit
is Newton's method on a dense block of numerics and a sparse block of levels.  It serves twice: as the ``poisson_glm`` baseline
of :mod:`leakopt.risk.baselines` (main effects only), and as the offset the
LightGBM trees of :mod:`leakopt.risk.model` boost from.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

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


#: Rows of a frame turned into GLM columns at a time when predicting (bounds the memory of the numerics).
PREDICT_ROWS = 200_000


#: Prefix of the material x install-decade columns of :class:`PoissonGlm` (``cohort_sigma``).
COHORT = "cohort"


def _dummies(col: str, values: pd.Series, min_rows: int) -> dict[str, np.ndarray]:
    """``{"col=level": 0/1}`` for the most frequent levels with at least ``min_rows`` rows."""
    counts = values.value_counts()
    levels = counts[counts >= max(min_rows, 1)].index[:MAX_LEVELS] if min_rows else counts.index
    codes = values.astype(str).to_numpy()
    return {f"{col}={lev}": (codes == str(lev)).astype(float) for lev in levels}


@dataclass
class _Group:
    """A categorical source of 0/1 GLM columns, kept as integer codes: no column is built.

    ``names[k]`` is the GLM column of level ``labels[k]`` (``mat_pvc``, ``soil=clay``,
    ``cohort=pvc|1970``); ``codes`` gives each row's level (-1: none).
    """

    source: str
    names: list[str]
    labels: list[str]
    codes: np.ndarray
    order: int   # where the group's columns stand among the GLM columns (as in the JSON of a fit)

    def column(self, name: str) -> int:
        """The level code of GLM column ``name`` in this frame, or -1 when the frame lacks that level."""
        return self.lookup.get(name, -1)

    def __post_init__(self):
        self.lookup = {n: k for k, n in enumerate(self.names)}


def _numerics(frame: pd.DataFrame, columns: list[str]) -> dict[str, np.ndarray]:
    """The GLM's numeric columns of ``frame``, transformed (log1p of counts, log diameter, recent leak)."""
    out = {}
    for c in columns:
        if c in _GLM_SKIP or c not in frame:
            continue
        v = frame[c]
        if isinstance(v.dtype, pd.CategoricalDtype) or not (
                pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v)):
            continue
        x = v.to_numpy(dtype=float)
        out[c] = np.log1p(np.maximum(x, 0)) if c in _GLM_LOG1P else x
    if "diameter_mm" in out:
        out["diameter_mm"] = np.log(np.maximum(out["diameter_mm"], 1.0))
    if "years_since_last_leak" in frame:
        ysl = frame["years_since_last_leak"].to_numpy(dtype=float)
        out["recent_leak"] = np.exp(-np.minimum(ysl, 50.0) / 3.0)
    return out


def _codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes (-1: missing) and string labels of a categorical or any column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), [str(c) for c in values.cat.categories]
    codes, uniques = pd.factorize(values.astype(str))
    return codes, [str(u) for u in uniques]


def _groups(frame: pd.DataFrame, columns: list[str], *, cohorts: bool) -> list[_Group]:
    """The categorical sources of GLM columns: extra register columns, material, material x decade.

    Every level of each is listed (the fit keeps the frequent ones, :func:`_frequent`).
    """
    out = []
    for i, c in enumerate(columns):
        if c in _GLM_SKIP or c not in frame or not isinstance(frame[c].dtype, pd.CategoricalDtype):
            continue
        codes, labels = _codes(frame[c])
        out.append(_Group(c, [f"{c}={lev}" for lev in labels], labels, codes, i))
    mcodes, mlabels = _codes(frame["material"])
    pos = {m: k for k, m in enumerate(mlabels)}
    fam = np.array([pos.get(m, -1) for m in S.MATERIAL_FAMILIES], dtype=np.int64)
    remap = np.full(len(mlabels) + 1, -1, dtype=np.int64)   # frame's material code -> family index
    remap[fam[fam >= 0]] = np.flatnonzero(fam >= 0)
    out.append(_Group("material", [f"mat_{m}" for m in S.MATERIAL_FAMILIES], list(S.MATERIAL_FAMILIES),
                      remap[mcodes], len(columns) + 1))
    if cohorts and "install_decade" in frame:
        decade = frame["install_decade"].to_numpy(dtype=float)
        decade = np.where(np.isfinite(decade), np.nan_to_num(decade), -1).astype(np.int64)
        # one integer per material x decade, in the order of the rows (as the text keys would be)
        mat = np.where(mcodes >= 0, mcodes, len(mlabels)).astype(np.int64)
        key = (decade - decade.min() if len(decade) else decade) * (len(mlabels) + 1) + mat
        codes, uniques = pd.factorize(key)
        names_m = [*mlabels, "nan"]
        labels = [f"{names_m[u % (len(mlabels) + 1)]}|{u // (len(mlabels) + 1) + (decade.min() if len(decade) else 0)}"
                  for u in uniques]
        out.append(_Group(COHORT, [f"{COHORT}={lab}" for lab in labels], labels, codes, len(columns) + 2))
    return out


def _frequent(group: _Group, min_rows: int) -> list[int]:
    """Level codes of ``group`` with at least ``min_rows`` rows, most frequent first, at most
    ``MAX_LEVELS`` (material: every family, whether present or not)."""
    if group.source == "material":
        return list(range(len(group.names)))
    if group.source == COHORT:   # codes in the order the rows first show them, as text keys would be
        counts = pd.Series(group.codes[group.codes >= 0]).value_counts()
    else:   # a categorical register column: counted over its categories
        counts = pd.Series(pd.Categorical.from_codes(group.codes, categories=range(len(group.labels)))
                           ).value_counts()
    return [int(k) for k in counts[counts >= max(min_rows, 1)].index[:MAX_LEVELS]]


def _level_group(column: str) -> str | None:
    """The group of a 0/1 GLM column (``material``, ``cohort`` or the register column), None for a numeric one."""
    if column.startswith("mat_"):
        return "material"
    return column.split("=", 1)[0] if "=" in column else None


class _Design:
    """The GLM columns of a panel being fitted: standardised numerics as one dense block, 0/1 levels as
    their rows' codes (a sparse one-hot block), with the standardisation scikit-learn's fit would see.

    The fit works with the raw 0/1 levels (coefficient ``b``) and a free intercept ``c``; the
    standardised coefficients of a level are ``b * std`` and the intercept ``c + sum(b * mean)``:
    the same linear model, the same penalty, so the same optimum (and the same Newton steps, which do
    not depend on how the columns are scaled).
    """

    def __init__(self, names, mean, std, z, num, levels, codes):
        self.names, self.mean, self.std, self.z = names, mean, std, z
        self.num, self.levels, self.codes = num, levels, codes   # positions in names; (n, groups) codes
        self._onehot = None

    @classmethod
    def for_fit(cls, panel: pd.DataFrame, features: list[str], *, cohorts: bool) -> _Design:
        num = _numerics(panel, features)
        order = {c: i for i, c in enumerate(features)}
        order["recent_leak"] = len(features)
        cols = [((order[c], 0), c, "num", x) for c, x in num.items()]
        n = len(panel)
        codes = []
        for g in _groups(panel, features, cohorts=cohorts):
            kept = _frequent(g, MIN_LEVEL_ROWS)
            remap = np.full(len(g.labels) + 1, -1, dtype=np.int64)
            remap[kept] = np.arange(len(kept))
            mapped = remap[g.codes]
            counts = np.bincount(mapped[mapped >= 0], minlength=len(kept))
            codes.append(mapped)
            for k, code in enumerate(kept):
                cols.append(((g.order, k), g.names[code], "level", (len(codes) - 1, k, counts[k])))
        cols.sort(key=lambda t: t[0])
        names = [c[1] for c in cols]
        mean, std = np.zeros(len(cols)), np.ones(len(cols))
        z = np.empty((n, sum(1 for c in cols if c[2] == "num")))
        numpos, levels, k = [], [], 0
        with warnings.catch_warnings():   # an all-blank column: its mean is nan and it becomes 0
            warnings.simplefilter("ignore", RuntimeWarning)
            for j, (_, name, kind, x) in enumerate(cols):
                if kind == "num":
                    mean[j], std[j] = np.nanmean(x), np.nanstd(x, ddof=1)
                    numpos.append(j)
                    continue
                g, level, count = x
                p = count / max(n, 1)
                mean[j], std[j] = p, np.sqrt(n * p * (1.0 - p) / (n - 1)) if n > 1 else 0.0
                levels.append((j, g, level))
        # a constant column (all zero, or all one value up to rounding: a std of 1e-22 on values of 6e-8)
        # is left unscaled, not blown up by its rounding noise
        std[~np.isfinite(std) | (std <= 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(mean))))] = 1.0
        for i, j in enumerate(numpos):
            col = (num.pop(names[j]) - mean[j]) / std[j]
            col[np.isnan(col)] = 0.0
            z[:, i] = col
        return cls(names, mean, std, z, numpos, levels, np.column_stack(codes) if codes else np.empty((n, 0), int))

    def scale(self, group: str, std: float) -> None:
        """Give the levels of ``group`` the standardisation mean 0, ``std`` (the cohorts' shrinkage)."""
        for j, _, _ in self.levels:
            if _level_group(self.names[j]) == group:
                self.mean[j], self.std[j] = 0.0, std

    @property
    def onehot(self):
        """The levels as a sparse 0/1 matrix (rows x levels, in the order of ``self.levels``)."""
        if self._onehot is None:
            import scipy.sparse as sp
            n, rows, cols = len(self.z), [], []
            for i, (_, g, level) in enumerate(self.levels):
                at = np.flatnonzero(self.codes[:, g] == level)
                rows.append(at)
                cols.append(np.full(len(at), i))
            rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
            cols = np.concatenate(cols) if cols else np.zeros(0, np.int64)
            self._onehot = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(self.levels)))
        return self._onehot

    def penalty(self, alpha: float) -> np.ndarray:
        """Ridge weights of ``theta = [c, numerics, levels]`` (the intercept is free)."""
        return alpha * np.concatenate([[0.0], np.ones(len(self.num)), self.std[[j for j, _, _ in self.levels]] ** 2])

    def eta(self, theta: np.ndarray) -> np.ndarray:
        p = len(self.num)
        return theta[0] + self.z @ theta[1:1 + p] + self.onehot @ theta[1 + p:]

    def start(self, init: PoissonGlm | None, y: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Where Newton starts: scikit-learn's start (log mean rate, all else 0), or ``init``'s fit."""
        theta = np.zeros(1 + len(self.num) + len(self.levels))
        theta[0] = np.log(max(np.average(y, weights=w), 1e-12))
        if init is None or init.coef is None:
            return theta
        j_of = {c: j for j, c in enumerate(init.columns)}
        slope = {c: init.coef[j] / init.std[j] for c, j in j_of.items()}
        base = init.intercept - sum(init.coef[j] * init.mean[j] / init.std[j] for j in j_of.values())
        for i, j in enumerate(self.num):   # raw slope a -> coefficient a * std of this panel's column
            a = slope.get(self.names[j], 0.0)
            theta[1 + i] = a * self.std[j]
            base += a * self.mean[j]
        for i, (j, _, _) in enumerate(self.levels):
            theta[1 + len(self.num) + i] = slope.get(self.names[j], 0.0)
        mu = np.exp(np.minimum(base + self.eta(np.r_[0.0, theta[1:]]), 50.0))
        theta[0] = base + np.log(max(np.dot(w, y), 1e-12) / max(np.dot(w, mu), 1e-300))
        if not np.all(np.isfinite(theta)):   # a start that does not translate: the default one
            return self.start(None, y, w)
        return theta

    def drop(self, names: list[str], theta: np.ndarray) -> np.ndarray:
        """Leave the numeric columns ``names`` out; the rest of ``theta``."""
        out = [self.names.index(n) for n in names]
        keep_num = [i for i, j in enumerate(self.num) if j not in out]
        theta = np.concatenate([theta[:1], theta[1:][keep_num], theta[1 + len(self.num):]])
        keep = [j for j in range(len(self.names)) if j not in out]
        new = {j: k for k, j in enumerate(keep)}
        self.z = self.z[:, keep_num]
        self.num = [new[j] for j in self.num if j not in out]
        self.levels = [(new[j], g, level) for j, g, level in self.levels]
        self.names = [self.names[j] for j in keep]
        self.mean, self.std = self.mean[keep], self.std[keep]
        return theta

    def standardised(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """``(intercept, coef)`` on the standardised columns, in ``names`` order."""
        coef = np.zeros(len(self.names))
        p = len(self.num)
        coef[self.num] = theta[1:1 + p]
        lv = [j for j, _, _ in self.levels]
        b = theta[1 + p:]
        coef[lv] = b * self.std[lv]
        return float(theta[0] + np.dot(b, self.mean[lv])), coef


def _newton(design: _Design, y: np.ndarray, w: np.ndarray, alpha: float, theta: np.ndarray,
            *, tol: float = 1e-9, max_iter: int = 100) -> np.ndarray:
    """Minimise scikit-learn's ``PoissonRegressor`` objective, ``sum(w * (exp(eta) - y * eta)) / sum(w)
    + alpha / 2 |standardised coef|^2``, by Newton's method with a backtracking line search."""
    import scipy.linalg as la

    wn = w / w.sum()
    pen = design.penalty(alpha)
    d, z, p = design.onehot, design.z, len(design.num)

    def objective(eta, th):
        with np.errstate(over="ignore"):   # a line-search step too long overflows: inf, and the step is halved
            return float(np.dot(wn, np.exp(eta) - y * eta) + 0.5 * np.dot(pen * th, th))

    eta = design.eta(theta)
    f = objective(eta, theta)
    for _ in range(max_iter):
        mu = np.exp(eta)
        r, h = wn * (mu - y), wn * mu
        grad = np.concatenate([[r.sum()], z.T @ r, d.T @ r]) + pen * theta
        scale = np.concatenate([[1.0], np.ones(p), 1.0 / design.std[[j for j, _, _ in design.levels]]])
        if np.max(np.abs(grad * scale)) <= tol:
            break
        hz = z * h[:, None]
        hess = np.empty((len(theta), len(theta)))
        hess[0, 0], hess[0, 1:1 + p], hess[0, 1 + p:] = h.sum(), z.T @ h, d.T @ h
        hess[1:1 + p, 1:1 + p] = z.T @ hz
        hess[1:1 + p, 1 + p:] = (d.T @ hz).T
        hess[1 + p:, 1 + p:] = (d.T @ d.multiply(h[:, None])).toarray()
        hess = np.triu(hess) + np.triu(hess, 1).T
        hess[np.diag_indices_from(hess)] += pen
        try:
            step = -la.cho_solve(la.cho_factor(hess), grad)
        except la.LinAlgError:
            step = -np.linalg.lstsq(hess, grad, rcond=None)[0]
        slope = float(np.dot(grad, step))
        if -slope <= 1e-14 * max(abs(f), 1e-12):   # Newton decrement below what floating point measures
            break
        t = 1.0
        while True:
            new = theta + t * step
            new_eta = design.eta(new)
            new_f = objective(new_eta, new)
            if new_f <= f + 1e-4 * t * slope or t < 1e-4:
                break
            t *= 0.5
        if new_f >= f:   # no descent left at floating-point precision
            break
        theta, eta, f = new, new_eta, new_f
    return theta


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

    def fit(self, panel: pd.DataFrame, features: list[str], *, start: PoissonGlm | None = None) -> PoissonGlm:
        """Fit on panel rows (``leaks`` target, ``length_km`` exposure) using ``features``.

        ``start``, a GLM fitted on a similar panel (the years before a validation window, an
        earlier backtest cutoff), is where Newton's method starts: the optimum is the same
        (the problem is convex), reached in fewer steps.
        """
        from threadpoolctl import threadpool_limits

        if len(panel) > self.max_rows:   # a random subsample of pipe-years only speeds up the fit
            rng = np.random.default_rng(self.seed)
            panel = panel.iloc[np.sort(rng.choice(len(panel), self.max_rows, replace=False))]
        design = _Design.for_fit(panel, features, cohorts=self.cohort_sigma is not None)
        km = panel["length_km"].to_numpy(dtype=float)
        y = panel["leaks"].to_numpy(dtype=float) / km
        if self.cohort_sigma is not None:
            # scikit-learn's PoissonRegressor (this GLM's definition) minimises deviance / (2 sum(km))
            # + alpha / 2 |coef|^2 on standardised columns, i.e. (times sum(km)) -loglik + alpha sum(km)
            # / 2 |coef|^2: a column s * dummy gives the cohort effect u = coef * s the penalty
            # u^2 / (2 sigma^2) when s = sigma * sqrt(alpha sum(km)).
            design.scale(COHORT, 1.0 / (self.cohort_sigma * np.sqrt(self.alpha * km.sum())))
        theta = design.start(start, y, km)
        for _ in range(len(_GLM_LOG1P) + 2):
            with threadpool_limits(limits=1):   # a small problem: BLAS threads only spin
                theta = _newton(design, y, km, self.alpha, theta)
            coef = design.standardised(theta)[1]
            bad = [n for n, b in zip(design.names, coef) if b < 0 and (n in _GLM_LOG1P or n == "recent_leak")]
            if not bad:
                break
            theta = design.drop(bad, theta)   # the rest of the fit is the start of the next one
        self.intercept, coef = design.standardised(theta)
        self.columns, self.mean, self.std = list(design.names), design.mean, design.std
        self.coef = coef
        self.sources = [_source(c) for c in self.columns]
        return self

    def _terms(self, frame: pd.DataFrame):
        """``(source, coef * z)`` of the GLM columns of ``frame``: each numeric column, each level group
        at once (a lookup by the rows' level codes, no 0/1 column built)."""
        num = _numerics(frame, self.columns)
        groups = {g.source: g for g in _groups(frame, feature_columns(frame), cohorts=self.cohort_sigma is not None)}
        tables: dict[str, list] = {}
        for j, name in enumerate(self.columns):
            if name in num:
                yield self.sources[j], self.coef[j] * np.nan_to_num((num[name] - self.mean[j]) / self.std[j])
                continue
            source = _level_group(name)
            if source is None:
                continue   # a numeric column the frame lacks: 0 once standardised, as a blank value
            g = groups.get(source)
            table = tables.setdefault(source, [self.sources[j], 0.0,
                                               np.zeros(len(g.labels) + 1 if g is not None else 1)])
            scale = self.coef[j] / self.std[j]
            table[1] -= scale * self.mean[j]   # the column's value on rows of another level
            code = g.column(name) if g is not None else -1
            if code >= 0:   # a level the frame lacks is 0 on every row
                table[2][code] += scale
        for source, (src, base, table) in tables.items():
            g = groups.get(source)
            yield src, (table[g.codes] + base) if g is not None else np.full(len(frame), base)

    def _chunks(self, frame: pd.DataFrame):
        """Row slices of at most ``PREDICT_ROWS`` rows: the numerics of a whole panel at once would
        take gigabytes."""
        for start in range(0, len(frame), PREDICT_ROWS):
            yield slice(start, start + PREDICT_ROWS)

    def log_rate(self, frame: pd.DataFrame) -> np.ndarray:
        """Log of the leak rate per km and year."""
        out = np.full(len(frame), self.intercept)
        for rows in self._chunks(frame):
            for _, v in self._terms(frame.iloc[rows]):
                out[rows] += v
        return out

    def contributions(self, frame: pd.DataFrame, features: list[str]) -> np.ndarray:
        """Exact per-feature contributions to the log rate (``coef * z``), columns in ``features`` order."""
        out = np.zeros((len(frame), len(features)))
        pos = {f: i for i, f in enumerate(features)}
        for rows in self._chunks(frame):
            for src, v in self._terms(frame.iloc[rows]):
                if src in pos:
                    out[rows, pos[src]] += v
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

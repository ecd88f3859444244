"""How close can any model get to the true rates? A ceiling for the risk benchmark.

Usage::

    python benchmarks/bench_risk_ceiling.py [--sizes 4000] [--seeds 0 1 2 3 4 5 6 7] [--horizon 3]
        [--hazard districts|pipes|both]

``bench_risk.py`` compares the model with the oracle that ranks pipes by their
true leak rate (``truth.csv``).  That oracle knows things no register holds:
the simulator's parameters, each district's hidden frailty (soil, workmanship)
and the leaks before recording started.  This script measures how much of the
oracle a model *could* reach from the data, by fitting, on the same training
panel at the same cutoffs, the simulator's own hazard formula
(:mod:`leakopt.synth.generate`), the one of the family drawn: a Poisson GLM with, per
material family, an intercept, an ageing term (the age in "districts", whose ageing is
exponential; the log of the mid-year age in "pipes", whose ageing is Weibull) and a
diameter exponent; dummies for the first years of life (infant failures) and for the
generator's cohorts (material x install-year ranges of ``SynthConfig.cohort_factors``);
the log of the mean pressure; and the self-excitation (dummies for 1, 2, 3 and 4+
previous leaks in "districts", where a leak raises the rate for good; the log of one
plus the leaks of the last year, of the two years before and of the two before those in
"pipes", where the raise fades).  A correctly specified maximum-likelihood fit is the
best an estimator can do with these data, up to the frailty; in "districts" the same
fit with the true district of every pipe as fixed effects shows what that hidden effect
is worth.

A second ceiling asks what is left when nothing has to be estimated but the frailty
(``posterior``): it knows every parameter of the simulator and each pipe's rate at
the cutoff up to its frailty (the rate divided by the frailty, so it also knows what
leaks before recording started did to the rate), and estimates the frailty from the
recorded leaks as Bayes' rule does: with the prior of the simulator, a frailty ``z``
whose place expected ``E`` recorded leaks in the recorded years before the cutoff (its
rates divided by ``z``, times the share of leaks recorded in the first years,
``SynthConfig.record_completeness``) and recorded ``n`` has the likelihood
``z**n * exp(-z * E)``.  The frailty stays with the place when an asset is replaced, so
``n`` also counts the leaks recorded under the pipe's ID before its install year, which
validation leaves out of the model's history.  In the
"pipes" family each pipe has its own Gamma frailty (shape ``1 / sigma**2``), whose
posterior mean is ``(shape + n) / (shape + E)``; in the "districts" family a
district's lognormal frailty is shared, so the district's ``n`` and ``E`` are summed and
the posterior mean is integrated on a grid.  Ranking by the posterior mean rate is the
best any ranking can do in expectation from the recorded history (the expected leaks it
captures are the posterior expectation of what it selects): what it misses of the
oracle is what no model can learn from these data.

It also fits the model's own GLM offset alone (``glm+cohorts``: the Poisson
GLM baseline plus the material x install-decade terms of
``RiskConfig.cohort_sigma``), to tell what the trees add to it, and ranks by the true
rate with the frailty divided out (``rate without frailty``: every parameter known,
nothing learnt of the frailty), which splits the gap to the posterior ceiling into
what estimating the parameters costs and what the frailty is worth.

``--hazard`` chooses the synthetic family (``bench_risk.py``'s).

Prints, per family and size, the walk-forward means at 20 % of network length of the
share of test leaks (``cap``) and of true expected leaks (``exp``) for the
model, the Poisson GLM baseline, that GLM with cohort terms, the formula fits,
the ranking without frailty, the posterior ceiling and the oracle, and their ratios to the oracle.
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd


def formula_design(frame: pd.DataFrame, hazard: str = "districts", district: pd.Series | None = None) -> pd.DataFrame:
    """The simulator's hazard formula of family ``hazard`` as GLM columns (see the module docstring)."""
    from leakopt.risk.glm import _dummies
    from leakopt.synth import SynthConfig

    mat = frame["material"].astype(str).to_numpy()
    age = frame["age"].to_numpy(dtype=float)
    year = frame["install_year"].to_numpy(dtype=float)
    log_d = np.log(np.maximum(frame["diameter_mm"].to_numpy(dtype=float), 1.0) / 150.0)
    # ageing: exponential ("districts") or Weibull, a power of the mid-year age ("pipes")
    ageing = age - 50.0 if hazard == "districts" else np.log((np.maximum(age, 0.0) + 0.5) / 50.0)
    x = {}
    for m in np.unique(mat):
        w = (mat == m).astype(float)
        x[f"mat_{m}"], x[f"age_{m}"], x[f"logd_{m}"] = w, w * ageing, w * log_d
    for k, (fam, lo, hi, _) in enumerate(SynthConfig().cohort_factors):
        x[f"cohort_{k}"] = ((mat == fam) & (year >= lo) & (year <= hi)).astype(float)
    for a in range(4):
        x[f"infant_{a}"] = (age == a).astype(float)
    x["log_pressure"] = np.log(np.clip(frame["pressure_mean_m"].to_numpy(dtype=float), 10.0, 120.0) / 50.0)
    if hazard == "districts":   # every previous leak raises the rate for good
        prev = np.minimum(frame["prev_leaks"].to_numpy(dtype=float), 4.0)
        for k in range(1, 5):
            x[f"prev_{k}"] = (prev == k).astype(float)
    else:   # a leak's raise fades: leaks of the last year, of the two before, of the two before those
        n1, n3, n5 = (frame[c].to_numpy(dtype=float) for c in ("prev_leaks_1y", "prev_leaks_3y", "prev_leaks_5y"))
        x["leaks_1y"], x["leaks_1-3y"], x["leaks_3-5y"] = np.log1p(n1), np.log1p(n3 - n1), np.log1p(n5 - n3)
    if district is not None:   # every level: fixed effects, the same one-hot as the model's GLM
        x.update(_dummies("district", district.reindex(frame["pipe_id"].astype(str)).astype(str), 0))
    return pd.DataFrame(x)


def formula_fit(panel: pd.DataFrame, feats: pd.DataFrame, hazard: str = "districts", district=None,
                alpha: float = 1e-4) -> np.ndarray:
    """Leak rate per km of ``feats`` from the formula of ``hazard`` fitted on ``panel`` (Poisson, length exposure)."""
    from sklearn.linear_model import PoissonRegressor

    x = formula_design(panel, hazard, district)
    xf = formula_design(feats, hazard, district).reindex(columns=x.columns, fill_value=0.0)
    km = panel["length_km"].to_numpy(dtype=float)
    glm = PoissonRegressor(alpha=alpha, solver="newton-cholesky", max_iter=500).fit(
        x.to_numpy(), panel["leaks"].to_numpy(dtype=float) / km, sample_weight=km)
    return np.exp(glm.intercept_ + xf.to_numpy() @ glm.coef_)


def posterior_frailty(recorded: np.ndarray, expected: np.ndarray, sigma: float, hazard: str,
                      group: np.ndarray | None = None) -> np.ndarray:
    """Posterior mean frailty of each pipe from its ``recorded`` leaks and the leaks ``expected`` of it at
    frailty 1, with the simulator's prior of standard deviation ``sigma`` (module docstring).

    "pipes": one Gamma frailty per pipe (mean 1, shape ``1 / sigma**2``), conjugate to the Poisson counts.
    "districts": one lognormal frailty per ``group`` (mean 1, log-sd ``sigma``), shared by its pipes, so
    their counts and expectations add up; the posterior mean is integrated on a grid of 801 log values.
    """
    recorded, expected = np.asarray(recorded, dtype=float), np.asarray(expected, dtype=float)
    if sigma <= 0:
        return np.ones(len(recorded))
    if hazard == "pipes":
        shape = 1.0 / sigma ** 2
        return (shape + recorded) / (shape + expected)
    codes, idx = np.unique(group, return_inverse=True)
    n = np.bincount(idx, weights=recorded, minlength=len(codes))
    e = np.bincount(idx, weights=expected, minlength=len(codes))
    log_z = -sigma ** 2 / 2 + sigma * np.linspace(-6.0, 6.0, 801)
    log_post = (-0.5 * ((log_z + sigma ** 2 / 2) / sigma) ** 2)[None, :] + n[:, None] * log_z[None, :] \
        - e[:, None] * np.exp(log_z)[None, :]
    w = np.exp(log_post - log_post.max(axis=1, keepdims=True))
    return ((w * np.exp(log_z)).sum(axis=1) / w.sum(axis=1))[idx]


def pipe_districts(s) -> pd.Series:
    """Each synthetic pipe's district, indexed by pipe id as text."""
    return s.pipes.set_index(s.pipes["pipe_id"].astype(str))["district"]


def frailty_of(s, pipe_ids) -> np.ndarray:
    """The simulator's frailty of each of ``pipe_ids`` (its pipe's, or its district's in "districts")."""
    return s.assets.set_index(s.assets["pipe_id"].astype(str))["frailty"].reindex(
        pd.Index(np.asarray(pipe_ids).astype(str))).to_numpy()


def posterior_rate(s, past, pipe_ids: np.ndarray, cutoff: pd.Timestamp, truth: np.ndarray,
                   district: pd.Series, frailty: np.ndarray | None = None) -> np.ndarray:
    """The posterior ceiling's leak rate per km of ``pipe_ids`` at ``cutoff``: the true rate ``truth``
    with the pipe's frailty replaced by its posterior mean given the recorded leaks of ``past``
    (``district``: :func:`pipe_districts`, whose frailty the "districts" family shares; ``frailty``:
    the true one, :func:`frailty_of`, looked up when not given)."""
    from leakopt import schema as S

    ids = pd.Index(np.asarray(pipe_ids).astype(str))
    frailty = frailty_of(s, ids) if frailty is None else np.asarray(frailty, dtype=float)
    before = s.truth[s.truth["year"] < cutoff.year]
    # the first recorded years hold only a share of the leaks (SynthConfig.record_completeness)
    shares = np.append(np.asarray(s.config.record_completeness, dtype=float), 1.0)
    share = shares[np.clip(before["year"].to_numpy() - s.config.record_start_year, 0, len(shares) - 1)]
    expected = (before["expected_leaks"] * share).groupby(before["pipe_id"].astype(str)).sum().reindex(ids).fillna(0.0)
    # every recorded leak at the pipe's place: the validated ones (blank IDs snapped) and those that
    # validation leaves out as dated before the install year (the replaced asset shared the frailty)
    raw = s.leaks[~s.leaks["leak_id"].astype(str).isin(past.leaks[S.LEAK_ID].astype(str))]
    raw = raw[pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce") < cutoff]
    recorded = pd.concat([past.leaks[S.PIPE_ID].astype(str), raw["pipe_id"].astype(str)]
                         ).value_counts().reindex(ids).fillna(0.0)
    group = district.reindex(ids).to_numpy()
    z = posterior_frailty(recorded.to_numpy(), expected.to_numpy() / frailty, s.config.frailty_sigma,
                          s.config.hazard, group)
    return np.asarray(truth, dtype=float) / frailty * z


def run(n_pipes: int, seed: int, horizon: int, hazard: str = "districts") -> list[dict]:
    from bench_risk import load, synth_config  # this folder is on sys.path when a script in it runs

    from leakopt import schema as S
    from leakopt.risk import PoissonGlm, RiskConfig, RiskModel, build_panel, feature_columns, features_at
    from leakopt.risk.backtest import _test_counts, _truth_score, capture_curve, restrict_to
    from leakopt.risk.baselines import poisson_glm

    s, u, hyd = load(n_pipes, seed, synth_config([], hazard))
    district = pipe_districts(s)
    rows = []
    for back in range(horizon, horizon + 3):   # the walk-forward cutoffs of bench_risk.py
        cutoff = pd.Timestamp(u.as_of.year - back, 1, 1)
        past = restrict_to(u, cutoff)
        panel, feats = build_panel(past, hydraulics=hyd), features_at(past, hydraulics=hyd)
        km = feats["length_km"].to_numpy(dtype=float)
        scored = past.pipes.set_index(past.pipes[S.PIPE_ID].astype(str)).loc[feats[S.PIPE_ID]]
        observed, _ = _test_counts(u, scored.reset_index(drop=True), cutoff, horizon)
        length = scored[S.LENGTH].to_numpy(dtype=float)
        truth = _truth_score(s.truth, feats, cutoff)
        frailty = frailty_of(s, feats[S.PIPE_ID].to_numpy())
        scores = {"model": RiskModel().fit(panel).predict(feats) / km,
                  "poisson_glm": poisson_glm(panel, feats, seed=0),
                  "glm+cohorts": np.exp(PoissonGlm(cohort_sigma=RiskConfig().cohort_sigma).fit(
                      panel, feature_columns(panel)).log_rate(feats)),
                  "posterior": posterior_rate(s, past, feats[S.PIPE_ID].to_numpy(), cutoff, truth, district,
                                              frailty),
                  "rate without frailty": truth / frailty,
                  "truth": truth,
                  "formula": formula_fit(panel, feats, hazard)}   # the formula of this family (module docstring)
        if hazard == "districts":
            scores["formula+districts"] = formula_fit(panel, feats, hazard, district)
        for name, score in scores.items():
            rows.append({"hazard": hazard, "n_pipes": n_pipes, "seed": seed, "cutoff": cutoff.year, "method": name,
                         "cap": capture_curve(score, length, observed)["capture"]["0.2"],
                         "exp": capture_curve(score, length, truth * km)["capture"]["0.2"]})
    print(f"{hazard} n={n_pipes} seed={seed} done", flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[4000])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4, 5, 6, 7])
    ap.add_argument("--horizon", type=int, default=3)
    ap.add_argument("--hazard", choices=("districts", "pipes", "both"), default="districts")
    args = ap.parse_args()
    hazards = ("districts", "pipes") if args.hazard == "both" else (args.hazard,)
    table = pd.DataFrame([r for hazard in hazards for n in args.sizes for seed in args.seeds
                          for r in run(n, seed, args.horizon, hazard)])
    print("\ncapture at 20% of length, walk-forward means over seeds and cutoffs "
          "(cap = test leaks, exp = true expected leaks; se = standard error over seeds of the "
          "per-seed ratio):")
    print(ceiling_table(table).round(3).to_string())


def ceiling_table(table: pd.DataFrame) -> pd.DataFrame:
    """Mean capture per family, size and ranking, with its ratio to the oracle's and that ratio's
    standard error over seeds, from :func:`run`'s rows."""
    keys = ["hazard", "n_pipes"]
    mean = table.groupby(keys + ["method"])[["cap", "exp"]].mean()
    oracle = mean.xs("truth", level="method")
    per_seed = table.groupby(keys + ["seed", "method"])[["cap", "exp"]].mean()
    seed_oracle = per_seed.xs("truth", level="method")
    for col in ("cap", "exp"):
        mean[f"{col}/oracle"] = mean[col] / oracle[col].reindex(mean.index.droplevel("method")).to_numpy()
        ratio = per_seed[col] / seed_oracle[col].reindex(per_seed.index.droplevel("method")).to_numpy()
        se = ratio.groupby(keys + ["method"]).agg(lambda r: r.std(ddof=1) / np.sqrt(len(r)))
        mean[f"{col}/oracle se"] = se.reindex(mean.index)
    return mean.sort_values(keys + ["exp"])


if __name__ == "__main__":
    main()

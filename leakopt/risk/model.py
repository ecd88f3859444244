"""Leak risk of every pipe: a Poisson LightGBM model on the pipe-year panel.

The model predicts the log of the leak rate per km and year; log length is
the exposure offset (LightGBM ``init_score``), so ``exp(raw score + log km)``
is the expected number of leaks per year of the pipe.  Early stopping uses
the last ``validation_years`` complete years before the as-of date (a
temporal split, never a random one), then the model is refitted on every year
with the number of trees found.  Training is deterministic for a given seed
and thread count.  Models are saved in LightGBM's own text format, never
pickled.
"""
from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.i18n import fmt_int, fmt_number, french_spacing, in_french
from leakopt.risk.explain import explain
from leakopt.risk.features import NEIGHBOUR_DISTANCE_M, build_panel, feature_columns, features_at, usable_leaks
from leakopt.risk.glm import PoissonGlm
from leakopt.risk.prior import PriorModel, prior_rates
from leakopt.risk.priority import priority_zone
from leakopt.schema import Progress, silent

log = logging.getLogger(__name__)

#: Features whose effect must not decrease (more past leaks -> not less risk).
INCREASING = ("prev_leaks", "prev_leaks_1y", "prev_leaks_3y", "prev_leaks_5y", "prev_leaks_per_km",
              "prev_rate_per_km_year", "nb_leaks", "nb_leaks_5y", "nb_leaks_per_km_5y",
              "area_leaks_per_km", "area_leaks_per_km_5y")
#: Features whose effect must not increase (a recent leak -> not less risk).
DECREASING = ("years_since_last_leak",)


@dataclass(frozen=True)
class RiskConfig:
    """Settings of the risk stage (TOML table ``[risk]``).

    Attributes
    ----------
    seed, num_threads : int
        Determinism: the same seed and thread count give the same model.
        ``num_threads=None`` (default) picks :func:`threads_for` the panel size.
    learning_rate, num_leaves, n_estimators, early_stopping_rounds : LightGBM settings
        ``n_estimators`` is the maximum number of trees.
    min_child_samples : int or None
        Minimum pipe-years per leaf; None scales it with the panel size
        (``clip(rows / 500, 100, 2000)``), which keeps small utilities from overfitting.
    reg_lambda, feature_fraction, bagging_fraction : regularisation
    validation_years : int
        Last complete years before the as-of date used for early stopping (at
        most a third of the recorded years, so that most years train).  Four
        years rather than one or two: on a town-sized utility a year holds
        only 30-60 leaks, and a noisy validation set stops the trees at a
        number that fits noise (on 4,000-pipe synthetic utilities two years let
        the trees fall below the GLM they boost from; four did not).
    refit_full : bool
        Refit on all years with the early-stopped number of trees.
    monotone : bool
        Constrain leak-history features to act in the physical direction.
    glm_offset : bool or "auto"
        Boost from a Poisson GLM of the same features (the trees learn what
        the GLM misses): robust on small or noisy histories.  ``"auto"``
        (default) fits the trees both ways on the years before the validation
        window and keeps the one with the lower Poisson deviance on it: the
        utility's own later years decide, not a global rule.  Measured on
        synthetic utilities the GLM offset wins (it carries the smooth ageing
        the trees need many leaks to learn); on the City of Kitchener's real
        register the trees alone win (they stop after 200-260 trees instead of
        10-30 and find interactions of material, era and history that the
        GLM's additive shape misses).  ``true`` / ``false`` force one.
    cohort_sigma : float
        That GLM also gets one term per material x install decade, shrunk as a
        random effect of this standard deviation on the log rate (0 = none; see
        :class:`leakopt.risk.PoissonGlm`).  Generations of a material that
        fail more than their age says (spun grey iron, early PVC) are what the
        trees of a town-sized utility find too few leaks to split on: on
        4,000-pipe synthetic utilities (24 seeds) the term raised the model's
        capture at 20% of length from 94.4% to 95.3% of the oracle's.
    extra_features : tuple of str
        Register columns used as covariates (only these; none by default).
    use_hydraulics : bool
        Use the hydraulic features when given.
    neighbour_distance_m : float
        Spatial neighbour radius when the register has no topology.
    lang : str
        Language of ``top_factors``: "en" or "fr" (both are always in the frame).
    n_factors : int
        Number of factors in ``top_factors`` (the strongest positive contributions).
    prior_rates : dict
        For a utility with no leak history only: material family -> leaks per 100 km per year of a
        50-year-old DN150 main, replacing the published rates of the literature prior
        (:mod:`leakopt.risk.prior`) that then scores the pipes.
    """

    seed: int = 0
    num_threads: int | None = None
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_child_samples: int | None = None
    reg_lambda: float = 5.0
    feature_fraction: float = 0.8
    bagging_fraction: float = 0.8
    n_estimators: int = 1500
    early_stopping_rounds: int = 100
    validation_years: int = 4
    refit_full: bool = True
    monotone: bool = True
    extra_features: tuple[str, ...] = ()
    use_hydraulics: bool = True
    glm_offset: bool | str = "auto"
    cohort_sigma: float = 0.5
    neighbour_distance_m: float = NEIGHBOUR_DISTANCE_M
    lang: str = "en"
    n_factors: int = 3
    prior_rates: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.lang not in ("en", "fr"):
            raise InputError(f"risk lang must be 'en' or 'fr'; got {self.lang!r}",
                             fr=f"[risk] lang doit valoir 'en' ou 'fr' ; valeur reçue : {self.lang!r}")
        if int(self.validation_years) < 1:
            raise InputError(f"risk validation_years must be >= 1; got {self.validation_years!r}",
                             fr=f"[risk] validation_years doit être >= 1 ; valeur reçue : {self.validation_years!r}")
        if not 0 < float(self.learning_rate) <= 1:
            raise InputError(f"risk learning_rate must be in (0, 1]; got {self.learning_rate!r}",
                             fr="[risk] learning_rate doit être strictement supérieur à 0 et au plus égal à 1 ; "
                                f"valeur reçue : {self.learning_rate!r}")
        if self.glm_offset not in (True, False, "auto"):
            raise InputError(f"risk glm_offset must be true, false or \"auto\"; got {self.glm_offset!r}",
                             fr=f"[risk] glm_offset doit valoir true, false ou \"auto\" ; valeur reçue : "
                                f"{self.glm_offset!r}")
        if not float(self.cohort_sigma) >= 0:
            raise InputError(f"risk cohort_sigma must be >= 0 (0 = no cohort terms); got {self.cohort_sigma!r}",
                             fr="[risk] cohort_sigma doit être >= 0 (0 = pas de termes de cohorte) ; valeur reçue : "
                                f"{self.cohort_sigma!r}")
        prior_rates(self.prior_rates)   # unknown families or rates <= 0 are refused here, before any work


#: Panels smaller than this train on one thread (see :func:`threads_for`).
SINGLE_THREAD_ROWS = 500_000


def idle_cores() -> int:
    """Cores no other program is using now: all of them when the 1-minute load average is at most
    ``cores - 0.5`` (this process's own work counts for one), fewer as the load rises, at least 1."""
    cores = max(1, os.cpu_count() or 1)
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):   # no load average on this platform
        return cores
    return max(1, min(cores, int(cores + 1.5 - load)))


#: On a panel larger than this (a 100,000-pipe utility) the early-stopping search (and the choice
#: of ``glm_offset = "auto"``) runs on a sample of pipes holding about this many pipe-years, on
#: the whole panel otherwise.
CHOICE_ROWS = 400_000


def _offset(panel: pd.DataFrame, glm) -> np.ndarray:
    """Where the trees start on ``panel``'s rows: log length (the exposure), plus the GLM's log rate."""
    offset = np.log(panel["length_km"].to_numpy(dtype=float))
    return offset + glm.log_rate(panel) if glm is not None else offset


def _losses(fits) -> dict[str, float]:
    """``{"glm" | "none": validation loss}`` of :meth:`RiskModel._searches`' results."""
    return {("glm" if use else "none"): round(loss, 6) for use, _, _, loss in fits}


def _pipe_sample(panel: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    """Every year of a random share of the pipes, about ``rows`` pipe-years (seeded)."""
    pipes = panel[S.PIPE_ID].unique()
    rng = np.random.default_rng(seed)
    keep = rng.choice(pipes, size=max(1, int(len(pipes) * rows / len(panel))), replace=False)
    return panel[panel[S.PIPE_ID].isin(keep)]


def threads_for(n_rows: int, num_threads: int | None = None, *, min_rows: int | None = None) -> int:
    """Threads for LightGBM: as configured, else 1 below ``min_rows`` rows (default
    :data:`SINGLE_THREAD_ROWS`), else the cores that are idle (:func:`idle_cores`).

    OpenMP threads wait for each other at every split; when another program
    holds a core, a 2-thread fit of a 65,000-row panel was measured 10x slower
    than a 1-thread one (30 s vs 2.9 s), and 60 trees on a 340,000-row panel took
    22 CPU s on 2 threads against 2.4 on one with the machine's 2 cores loaded by
    other jobs; on an idle machine threads gain little below a few hundred
    thousand rows.  The number of threads does not change the model (LightGBM's
    ``deterministic``: the same trees on 1 or 2 threads, row- or column-wise
    histograms).
    """
    if num_threads is not None:
        return max(1, int(num_threads))
    return 1 if n_rows < (SINGLE_THREAD_ROWS if min_rows is None else min_rows) else idle_cores()


#: Fewer leaks than this in the training years, and the fit is said to be rough.
FEW_LEAKS = 20


def validation_window(n_years: int, validation_years: int) -> int:
    """Years held out for early stopping: ``validation_years``, at most a third of the
    ``n_years`` recorded (at least one when there are two years or more)."""
    return min(int(validation_years), max(1, n_years // 3)) if n_years >= 2 else 0


class RiskModel:
    """Poisson LightGBM leak-rate model with a log-length exposure offset.

    Parameters
    ----------
    config : RiskConfig, optional
    """

    #: What scored the pipes (``manifest.json`` ``risk_model.kind``; the literature prior's is "literature_prior").
    kind = "lightgbm"
    #: The run folder's file it is saved to (:meth:`save`).
    file_name = "model.txt"

    def __init__(self, config: RiskConfig | None = None):
        self.config = config or RiskConfig()
        self.booster = None
        self.features: list[str] = []
        self.best_iteration: int | None = None
        self.train_rows: int = 0
        self.glm = None
        self.uses_glm: bool | None = None
        #: Validation Poisson loss of each start tried (``glm_offset = "auto"``).
        self.offset_choice: dict[str, float] = {}
        #: Pipes of the sample the trees were early-stopped on (0: on the whole panel; see :data:`CHOICE_ROWS`).
        self.offset_sample_pipes: int = 0
        #: Where the next GLM fit starts (the last one fitted, or one given by :func:`fit_model`).
        self.glm_start = None

    def lgb_params(self, n_rows: int) -> dict:
        """LightGBM parameters for a panel of ``n_rows`` rows and the model's ``features``."""
        c = self.config
        mcs = c.min_child_samples if c.min_child_samples is not None else int(np.clip(n_rows / 500, 100, 2000))
        params = {
            "objective": "poisson", "metric": "poisson", "learning_rate": c.learning_rate,
            "num_leaves": c.num_leaves, "min_child_samples": mcs, "min_sum_hessian_in_leaf": 1.0,
            "lambda_l2": c.reg_lambda, "feature_fraction": c.feature_fraction,
            "bagging_fraction": c.bagging_fraction, "bagging_freq": 1 if c.bagging_fraction < 1 else 0,
            "cat_smooth": 20.0, "min_data_per_group": 200, "max_cat_to_onehot": 12,
            "seed": c.seed, "deterministic": True, "force_row_wise": True,
            "num_threads": threads_for(n_rows, c.num_threads), "verbose": -1,
        }
        if c.monotone:
            params["monotone_constraints"] = [1 if f in INCREASING else -1 if f in DECREASING else 0
                                              for f in self.features]
            params["monotone_constraints_method"] = "intermediate"
        return params

    def _dataset(self, panel: pd.DataFrame, glm, reference=None):
        import lightgbm as lgb
        return lgb.Dataset(panel[self.features], label=panel["leaks"].to_numpy(dtype=float),
                           init_score=_offset(panel, glm), reference=reference, free_raw_data=True)

    def fit_glm(self, panel: pd.DataFrame, *, use: bool | None = None):
        """The Poisson GLM the trees boost from, fitted on ``panel``.

        None when ``use`` is false; ``use=None`` follows ``glm_offset`` (``"auto"``
        fits it: the choice between both is made in :meth:`fit`).
        """
        if not (self.config.glm_offset if use is None else use):
            return None
        glm = PoissonGlm(seed=self.config.seed, cohort_sigma=self.config.cohort_sigma).fit(
            panel, self.features, start=self.glm_start)
        self.glm_start = glm   # the refit on every year starts from the fit on the years before validation
        return glm

    def fit(self, panel: pd.DataFrame, *, progress: Progress | None = None) -> RiskModel:
        """Fit on a panel from :func:`leakopt.risk.features.build_panel`.

        The last ``validation_years`` panel years decide the number of trees;
        with ``refit_full`` the model is then refitted on every year.
        ``progress(step, done, total)`` (:mod:`leakopt.schema`) gets the boosting rounds.
        """
        import lightgbm as lgb
        report = progress or silent

        if panel.empty or panel["leaks"].sum() <= 0:
            raise InputError("the leak history before the as-of date has no usable leak in its recorded "
                             f"years ({len(panel)} pipe-years): the risk model needs past leaks to learn from",
                             fr="l’historique des fuites antérieur à la date de prévision ne contient aucune fuite "
                                f"utilisable dans ses années enregistrées ({fmt_int(len(panel), 'fr')} "
                                f"{'année-conduite' if len(panel) < 2 else 'années-conduites'}) : le modèle de risque "
                                "a besoin de fuites passées pour apprendre")
        self.features = feature_columns(panel)
        years = np.sort(panel["year"].unique())
        n_val = validation_window(len(years), self.config.validation_years)
        params = self.lgb_params(len(panel))
        choices = (True, False) if self.config.glm_offset == "auto" else (bool(self.config.glm_offset),)
        self.offset_choice, self.offset_sample_pipes = {}, 0
        if n_val >= 1 and panel.loc[panel["year"].to_numpy() <= years[-1 - n_val], "leaks"].sum() <= 0:
            log.warning("no leak in the training years before the %d validation year(s): no early stopping, "
                        "using 100 trees", n_val,
                        extra=in_french("aucune fuite dans les années d’apprentissage avant les %d année(s) de "
                                        "validation : pas d’arrêt anticipé, 100 arbres utilisés"))
            n_val = 0
        if n_val >= 1:
            cut_year = years[-1 - n_val]
            if len(panel) > CHOICE_ROWS and self.config.refit_full:
                # a large panel: the early-stopping search (both starts for "auto") runs on a
                # sample of its pipes, and only the winner is grown on every pipe and year, with
                # the sample's number of trees; at 100,000 pipes risk + backtest went from 307 to
                # 90.7 s wall for 0.2 points of walk-forward capture at 20% (docs/benchmarks.md)
                sample = _pipe_sample(panel, CHOICE_ROWS, self.config.seed)
                fits = self._searches(sample, cut_year, choices, self.lgb_params(len(sample)), report)
                self.offset_sample_pipes = int(sample[S.PIPE_ID].nunique())
            else:
                fits = self._searches(panel, cut_year, choices, params, report)
            use_glm, glm, booster, _ = min(fits, key=lambda f: f[3])
            self.offset_choice = _losses(fits)
            self.best_iteration = max(int(booster.best_iteration or self.config.n_estimators), 1)
            if self.offset_sample_pipes:
                booster = None   # grown on the sample: the fit on every pipe below replaces it
        else:  # a single recorded year, or no leak before the validation years: no temporal validation possible
            if len(years) < 2:
                log.warning("only one complete year of leak history: no early stopping, using 100 trees",
                            extra=in_french("une seule année complète d’historique de fuites : pas d’arrêt anticipé, "
                                            "100 arbres utilisés"))
            use_glm = choices[0]
            self.best_iteration, booster = 100, None
        self.uses_glm = use_glm
        if booster is None or self.config.refit_full:
            glm = self.fit_glm(panel, use=use_glm)
            booster = lgb.train(params, self._dataset(panel, glm), num_boost_round=self.best_iteration,
                                callbacks=[_rounds(report, "boosting rounds on every year", self.best_iteration)])
        self.booster, self.glm = booster, glm
        self.train_rows = len(panel)
        return self

    def _searches(self, panel, cut_year, choices, params: dict, report) -> list:
        """One early-stopping search per start in ``choices`` (True: from the GLM), the years after
        ``cut_year`` validating; the panel is binned once and only the start changes between them,
        or, when each search runs on one thread and enough cores are idle, the searches run side by
        side (the same boosters: each is deterministic on its own thread)."""
        val_mask = panel["year"].to_numpy() > cut_year

        def datasets():
            train = self._dataset(panel[~val_mask], None)
            return train, self._dataset(panel[val_mask], None, reference=train)

        if len(choices) > 1 and params["num_threads"] == 1 and idle_cores() >= len(choices):
            # one thread each and a core idle for each: the starts grow side by side (LightGBM
            # leaves Python's lock while it trains), each on its own datasets as their starts
            # differ; the first in this thread, which alone reports progress (a Streamlit
            # progress bar may only be updated from the thread running the app's script)
            with ThreadPoolExecutor(len(choices) - 1) as pool:
                others = [pool.submit(self._early_stopped, panel, val_mask, use, params, datasets(), silent)
                          for use in choices[1:]]
                first = self._early_stopped(panel, val_mask, choices[0], params, datasets(), report)
                return [first, *(f.result() for f in others)]
        both = datasets()
        return [self._early_stopped(panel, val_mask, use, params, both, report) for use in choices]

    def _early_stopped(self, panel, val_mask, use_glm: bool, params: dict, datasets, report):
        """Trees early-stopped on the validation years, boosting from the GLM or not:
        ``(use_glm, glm, booster, validation Poisson loss per pipe-year)``.

        ``datasets`` (train, valid) are binned once and only their start (``init_score``:
        log length, plus the GLM's log rate) changes between the two starts.
        """
        import lightgbm as lgb
        glm = self.fit_glm(panel[~val_mask], use=use_glm)
        train, valid = datasets
        for data, part in ((train, panel[~val_mask]), (valid, panel[val_mask])):
            data.set_init_score(_offset(part, glm))
        step = "boosting rounds (early stopping" + ("" if self.config.glm_offset != "auto" else
                                                    ", from the GLM" if use_glm else ", trees alone") + ")"
        booster = lgb.train(params, train, num_boost_round=self.config.n_estimators, valid_sets=[valid],
                            callbacks=[lgb.early_stopping(self.config.early_stopping_rounds, verbose=False),
                                       _rounds(report, step, self.config.n_estimators)])
        deviance = float(booster.best_score["valid_0"]["poisson"]) if booster.best_score else float("inf")
        return use_glm, glm, booster, deviance

    def _check(self, features: pd.DataFrame) -> None:
        if self.booster is None:
            raise InputError("RiskModel is not fitted: call fit(panel) or RiskModel.load(path) first",
                             fr="RiskModel n’est pas entraîné : appelez d’abord fit(panel) ou RiskModel.load(path)")
        missing = [f for f in self.features if f not in features]
        if missing:
            raise InputError(f"features frame lacks the model's columns {missing}",
                             fr=f"il manque à la table des variables les colonnes du modèle {missing}")

    def predict_log_rate(self, features: pd.DataFrame) -> np.ndarray:
        """Log of the leak rate per km and year."""
        self._check(features)
        raw = self.booster.predict(features[self.features], raw_score=True)
        return raw + self.glm.log_rate(features) if self.glm is not None else raw

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        """Expected leaks per year of each row (rate x length)."""
        return np.exp(self.predict_log_rate(features)) * features["length_km"].to_numpy(dtype=float)

    def contributions(self, features: pd.DataFrame) -> pd.DataFrame:
        """Per-feature contributions (SHAP values, log-rate scale) plus ``bias``; rows sum to the log rate."""
        self._check(features)
        # SHAP values are independent row by row: every idle core helps (unlike training's threads)
        c = self.booster.predict(features[self.features], pred_contrib=True, num_threads=self._predict_threads())
        if self.glm is not None:   # exact linear contributions of the GLM offset, on the same scale
            c[:, :-1] += self.glm.contributions(features, self.features)
            c[:, -1] += self.glm.intercept
        return pd.DataFrame(c, columns=[*self.features, "bias"], index=features.index)

    def _predict_threads(self) -> int:
        """Threads for predicting: as configured, else the idle cores."""
        n = self.config.num_threads
        return max(1, int(n)) if n is not None else idle_cores()

    def feature_importance(self) -> pd.DataFrame:
        """``feature``, ``gain`` (total), ``split`` (count), ``gain_share``; by decreasing gain."""
        self._check(pd.DataFrame(columns=self.features))
        gain = self.booster.feature_importance("gain")
        out = pd.DataFrame({"feature": self.features, "gain": gain,
                            "split": self.booster.feature_importance("split")})
        out["gain_share"] = out["gain"] / max(gain.sum(), 1e-12)
        return out.sort_values("gain", ascending=False, ignore_index=True)

    def save(self, path) -> None:
        """Write the model: two files that go together.

        ``path`` holds the trees in LightGBM's text format; ``<path>.glm.json``
        (plain JSON) the Poisson GLM offset the trees boost from, or
        ``{"glm_offset": false}`` for a model trained without one.  The trees
        alone do not predict the leak rate: copy both files (see :meth:`load`).
        """
        self._check(pd.DataFrame(columns=self.features))
        self.booster.save_model(str(path))
        with open(_glm_path(path), "w", encoding="utf-8") as fh:
            json.dump(self.glm.to_dict() if self.glm is not None else {"glm_offset": False}, fh, indent=1)

    @classmethod
    def load(cls, path, *, config: RiskConfig | None = None) -> RiskModel:
        """Read a model written by :meth:`save`: ``path`` and ``<path>.glm.json``.

        Raises
        ------
        InputError
            If ``path`` is not a LightGBM model file, or ``<path>.glm.json`` is
            missing: the trees add to the GLM offset stored there, so without
            it every prediction would be wrong.  A model trained without the
            GLM offset and saved before the sidecar was always written loads
            with ``config=RiskConfig(glm_offset=False)``.
        """
        import lightgbm as lgb
        model = cls(config)
        try:
            model.booster = lgb.Booster(model_file=str(path))
        except lgb.basic.LightGBMError as exc:
            raise InputError(f"cannot read LightGBM model file {path}: {exc}",
                             fr=f"impossible de lire le fichier de modèle LightGBM {path} : {exc}") from exc
        model.features = list(model.booster.feature_name())
        model.best_iteration = model.booster.current_iteration()
        model.glm = _read_glm(path, config)
        model.uses_glm = model.glm is not None
        return model


def _glm_path(path) -> str:
    """The file holding the GLM offset of the model saved at ``path``: ``<path>.glm.json``."""
    return f"{path}.glm.json"


def _read_glm(path, config: RiskConfig | None):
    """The GLM offset saved beside the trees at ``path`` (None for a model trained without one)."""

    sidecar = _glm_path(path)
    if not os.path.exists(sidecar):
        if config is not None and not config.glm_offset:
            return None   # declared by the caller: trained without the GLM offset
        raise InputError(f"{sidecar} is missing: the trees in {path} add to the GLM offset stored in that file, "
                         f"so {path} alone would predict wrong leak rates; copy it next to {path} (RiskModel.save "
                         "and 'leakopt run' write both).  For a model trained with glm_offset = false, load with "
                         "config=RiskConfig(glm_offset=False)",
                         fr=f"{sidecar} est introuvable : les arbres de {path} s’ajoutent à l’offset GLM enregistré "
                            f"dans ce fichier, si bien que {path} seul donnerait des taux de fuite faux ; copiez-le à "
                            f"côté de {path} (RiskModel.save et 'leakopt run' écrivent les deux). Pour un modèle "
                            "entraîné avec glm_offset = false, chargez-le avec config=RiskConfig(glm_offset=False)")
    try:
        with open(sidecar, encoding="utf-8") as fh:
            doc = json.load(fh)
        return None if doc.get("glm_offset") is False else PoissonGlm.from_dict(doc)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"cannot read the GLM offset file {sidecar}: {exc!r}; expected the JSON written "
                         "by RiskModel.save",
                         fr=f"impossible de lire le fichier de l’offset GLM {sidecar} : {exc!r} ; le JSON écrit par "
                            "RiskModel.save est attendu") from exc
def _rounds(progress: Progress, step: str, total: int, *, every: int = 10):
    """A LightGBM callback reporting ``step`` every ``every`` boosting rounds."""
    def callback(env) -> None:
        done = env.iteration - env.begin_iteration + 1
        if done % every == 0 or done == total:
            progress(step, done, total)
    return callback


def panel_options(config: RiskConfig, hydraulics: pd.DataFrame | None = None) -> dict:
    """Keyword arguments of :func:`~leakopt.risk.features.build_panel` and
    :func:`~leakopt.risk.features.features_at` that ``config`` asks for (hydraulics only when used)."""
    return {"extra_features": config.extra_features, "neighbour_distance_m": config.neighbour_distance_m,
            "hydraulics": hydraulics if config.use_hydraulics else None}


@dataclass(frozen=True)
class FittedModel:
    """A model fitted on a utility's past, with what it was fitted on and what it scores.

    Attributes
    ----------
    model : RiskModel
    panel : DataFrame
        The pipe-year training panel (:func:`~leakopt.risk.features.build_panel`).
    features : DataFrame
        One row per pipe at the as-of date (:func:`~leakopt.risk.features.features_at`).
    cpu_seconds : float
        CPU time of building the panel and fitting.
    """

    model: RiskModel
    panel: pd.DataFrame
    features: pd.DataFrame
    cpu_seconds: float


def fit_model(utility: S.Utility, *, config: RiskConfig | None = None, hydraulics: pd.DataFrame | None = None,
              progress: Progress | None = None, glm_start=None, model: RiskModel | None = None) -> FittedModel:
    """Panel -> fit -> scoring features: the one way a model is trained on a utility.

    Used by :func:`score_pipes`, :func:`fit_and_score` and each cutoff of
    :func:`leakopt.risk.backtest.backtest` (on the utility restricted to its past).

    Parameters
    ----------
    utility : Utility
    config : RiskConfig, optional
    hydraulics : DataFrame, optional
        Used when ``config.use_hydraulics``.
    progress : callable, optional
        ``progress(step, done, total)``: steps 0-2 of 3, and the boosting rounds.
    glm_start : PoissonGlm, optional
        A GLM offset fitted on a similar panel (the previous backtest cutoff's): the GLM fits
        start from it and reach the same optimum in fewer Newton steps.
    model : RiskModel, optional
        A model trained elsewhere (``--model``): nothing is trained; the panel is still built (the
        backtest's baselines learn from it) and the features are :func:`borrowed_features`.
    """
    config = config or RiskConfig()
    report = progress or silent
    options = panel_options(config, hydraulics)
    cpu0 = time.process_time()
    report("building the pipe-year panel", 0, 3)
    panel = build_panel(utility, **options)
    if model is not None:
        report("scoring with the model given", 2, 3)
        return FittedModel(model=model, panel=panel, cpu_seconds=time.process_time() - cpu0,
                           features=borrowed_features(model, utility, config=config, hydraulics=hydraulics,
                                                      warn=False)[0])
    report(f"training on {len(panel):,} pipe-years", 1, 3)
    model = RiskModel(config)
    model.glm_start = glm_start
    model = model.fit(panel, progress=progress)
    cpu = time.process_time() - cpu0
    report("scoring and explaining every pipe", 2, 3)
    return FittedModel(model=model, panel=panel, features=features_at(utility, **options), cpu_seconds=cpu)


@dataclass(frozen=True)
class RiskResult:
    """Result of :func:`score_pipes`.

    Attributes
    ----------
    risk : DataFrame
        The contract's ``risk.csv`` columns, then ``top_factors_en``,
        ``top_factors_fr``, ``material``, ``material_raw``, ``diameter_mm``,
        ``install_year``, ``length_m``, the imputed flags and every other
        register column except ``geometry``; in rank order.
    model : RiskModel
    cpu_seconds : float
        Process CPU time of building the panel and training.
    train_rows : int
        Pipe-years in the training panel.
    best_iteration : int
    feature_importance : DataFrame
    features : DataFrame
        The scoring features (as of the as-of date), one row per scored pipe.
    contributions : DataFrame
        Per-feature contributions to the log rate, aligned with ``features``.
    missing_features : tuple of str
        With a model trained elsewhere: the features it takes that this utility lacks (scored as
        missing values).
    """

    risk: pd.DataFrame
    model: RiskModel
    cpu_seconds: float
    train_rows: int
    best_iteration: int
    feature_importance: pd.DataFrame
    features: pd.DataFrame = field(repr=False)
    contributions: pd.DataFrame = field(repr=False)
    missing_features: tuple = ()


def score_pipes(utility: S.Utility, *, config: RiskConfig | None = None, hydraulics: pd.DataFrame | None = None,
                progress: Progress | None = None, priority_config=None, model: RiskModel | None = None) -> RiskResult:
    """Train the risk model on the utility's history and score every pipe at the as-of date.

    With ``model`` (a model trained on another utility, or on pooled data, :meth:`RiskModel.load`),
    nothing is trained: every pipe is scored by that model from its own features, which serves a
    utility whose leak history is empty or too short to learn from.  Without ``model`` and with no
    usable leak at all, the pipes are scored by the literature prior (:class:`leakopt.risk.prior.PriorModel`:
    material, age and diameter with published break rates), with a warning.

    Parameters
    ----------
    utility : Utility
    config : RiskConfig, optional
    hydraulics : DataFrame, optional
        From :func:`leakopt.risk.hydraulics.hydraulic_features`; used when ``config.use_hydraulics``.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): the four steps, and the boosting rounds.
    priority_config : PriorityConfig, optional
        Used for the default ``risk_class`` / ``in_priority_zone`` columns
        (:func:`leakopt.risk.priority.priority_zone` recomputes them).

    Returns
    -------
    RiskResult
    """

    config = config or RiskConfig()
    missing: list[str] = []
    if model is None and utility.leaks.empty:
        model = PriorModel(config.prior_rates)
        log.warning("no leak history: every pipe is scored by the literature prior (material, age and diameter "
                    "with published break rates, leakopt.risk.prior), not by a model of this utility; its expected "
                    "leaks per year are survey averages, not a forecast. Leak records, or a model trained "
                    "elsewhere (--model OTHER_RUN/model.txt), rank better",
                    extra=in_french("pas d’historique de fuites : chaque conduite est notée par l’a priori de la "
                                    "littérature (matériau, âge et diamètre, avec des taux de casse publiés, "
                                    "leakopt.risk.prior), et non par un modèle de ce service ; ses fuites attendues "
                                    "par an sont des moyennes d’enquêtes, pas une prévision. Des fuites enregistrées, "
                                    "ou un modèle appris ailleurs (--model AUTRE_ANALYSE/model.txt), classent mieux"))
    if model is None:
        fitted = fit_model(utility, config=config, hydraulics=hydraulics, progress=progress)
        model, panel, feats, cpu = fitted.model, fitted.panel, fitted.features, fitted.cpu_seconds
        learnt = int(panel["leaks"].sum())
        if learnt < FEW_LEAKS:
            log.warning("only %d leak%s in the training years: the ranking rests mostly on the pipes' age, material "
                        "and diameter, and its expected leaks per year are rough; a model trained on a larger "
                        "history (run --model OTHER_RUN/model.txt) may rank better", learnt, "s" * (learnt != 1),
                        extra=in_french("seulement %d fuite%s dans les années d’apprentissage : le classement repose "
                                        "surtout sur l’âge, le matériau et le diamètre des conduites, et ses fuites "
                                        "attendues par an sont approximatives ; un modèle appris sur un historique "
                                        "plus long (run --model AUTRE_ANALYSE/model.txt) peut mieux classer",
                                        learnt, "s" * (learnt >= 2)))
    elif isinstance(model, PriorModel):
        panel, cpu = pd.DataFrame(), 0.0
        feats = features_at(utility, **panel_options(config, hydraulics))
        (progress or silent)("scoring and explaining every pipe with the literature prior", 2, 3)
    else:
        panel, cpu = pd.DataFrame(), 0.0
        feats, missing = borrowed_features(model, utility, config=config, hydraulics=hydraulics)
        (progress or silent)("scoring and explaining every pipe with the model given", 2, 3)
    expected = model.predict(feats)
    contrib = model.contributions(feats)
    texts = explain(feats, contrib, leaks=usable_leaks(utility), pipes=utility.pipes,
                    n_factors=config.n_factors)
    risk = _risk_frame(utility.pipes, feats, expected, texts, config.lang)
    risk = priority_zone(risk, config=priority_config).risk.sort_values("rank", ignore_index=True)
    risk = risk[[*S.RISK_COLUMNS, *[c for c in risk.columns if c not in S.RISK_COLUMNS]]]
    (progress or silent)("every pipe scored", 3, 3)
    if not isinstance(model, PriorModel):
        log.info("risk model: %d trees %s, %d pipe-years, %.1f CPU s", model.best_iteration, offset_text(model),
                 len(panel), cpu,
                 extra=in_french("modèle de risque : %d arbres %s, %d conduites-années, %.1f s CPU",
                                 model.best_iteration, offset_text(model, lang="fr"), len(panel), cpu))
    return RiskResult(risk=risk, model=model, cpu_seconds=cpu, train_rows=len(panel),
                      best_iteration=int(model.best_iteration), feature_importance=model.feature_importance(),
                      features=feats, contributions=contrib,
                      missing_features=tuple(missing))


def borrowed_features(model: RiskModel, utility: S.Utility, *, config: RiskConfig,
                      hydraulics: pd.DataFrame | None = None, warn: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """The utility's scoring features for a model trained elsewhere, and the names of those the model
    takes and this utility lacks (a network's pressures, a register column): they are missing values,
    which the trees route as they learnt to, and are named in a warning (``warn``)."""
    feats = features_at(utility, **panel_options(config, hydraulics))
    absent = missing_features(model, feats)
    if absent and warn:
        log.warning("the model given takes %d feature(s) this utility does not have (%s): they are scored as "
                    "missing values", len(absent), ", ".join(absent),
                    extra=in_french("le modèle fourni prend %d variable(s) que ce service n’a pas (%s) : elles sont "
                                    "traitées comme des valeurs manquantes"))
    return (feats.assign(**{f: np.nan for f in absent}) if absent else feats), absent


def missing_features(model: RiskModel, features) -> list[str]:
    """The features ``model`` takes that ``features`` (a frame, or its column names) lacks."""
    have = set(features.columns if hasattr(features, "columns") else features)
    return [f for f in model.features if f not in have]


def offset_text(model: RiskModel, lang: str = "en") -> str:
    """How the trees start, in words: from the GLM or alone, and the validation losses that chose."""
    if lang == "fr":
        how = "partant du GLM de Poisson" if model.uses_glm else "sans le décalage du GLM"
        if len(model.offset_choice) > 1:
            on = f" d’un échantillon de {fmt_int(model.offset_sample_pipes, 'fr')} conduites" \
                if model.offset_sample_pipes else ""
            how += f" (choisi sur les années de validation{on} : perte de Poisson " + ", ".join(
                f"{'avec GLM' if k == 'glm' else 'arbres seuls'} {fmt_number(v, 'fr', decimals=6)}"
                for k, v in model.offset_choice.items()) + ")"
        return french_spacing(how)
    how = "boosted from the Poisson GLM" if model.uses_glm else "without the GLM offset"
    if len(model.offset_choice) > 1:
        on = f" of a sample of {model.offset_sample_pipes:,} pipes" if model.offset_sample_pipes else ""
        how += f" (chosen on the validation years{on}: Poisson loss " + ", ".join(
            f"{'with GLM' if k == 'glm' else 'trees alone'} {v:.6f}" for k, v in model.offset_choice.items()) + ")"
    return how


def _risk_frame(pipes: pd.DataFrame, feats: pd.DataFrame, expected: np.ndarray, texts: pd.DataFrame,
                lang: str) -> pd.DataFrame:
    reg = pipes.drop(columns=[c for c in (S.GEOMETRY,) if c in pipes]).assign(
        **{S.PIPE_ID: pipes[S.PIPE_ID].astype(str)}).set_index(S.PIPE_ID)
    reg = reg.reindex(feats[S.PIPE_ID].to_numpy())
    km = feats["length_km"].to_numpy(dtype=float)
    out = pd.DataFrame({
        S.PIPE_ID: feats[S.PIPE_ID].to_numpy(),
        "expected_leaks_per_year": expected,
        "leaks_per_km_year": expected / np.maximum(km, 1e-9),
        "top_factors": texts[f"top_factors_{lang}"].to_numpy(),
        "top_factors_en": texts["top_factors_en"].to_numpy(),
        "top_factors_fr": texts["top_factors_fr"].to_numpy(),
    })
    front = [c for c in S.PIPE_COLUMNS if c != S.PIPE_ID and c in reg]
    rest = [c for c in reg.columns if c not in front and c not in out]
    reg = reg[front + rest].reset_index(drop=True)
    return pd.concat([out, reg], axis=1)


def score_features(model: RiskModel, features: pd.DataFrame) -> pd.DataFrame:
    """``pipe_id``, ``expected_leaks_per_year``, ``leaks_per_km_year`` of a fitted model on ``features``."""
    expected = model.predict(features)
    return pd.DataFrame({S.PIPE_ID: features[S.PIPE_ID].to_numpy(), "expected_leaks_per_year": expected,
                         "leaks_per_km_year": expected / features["length_km"].to_numpy(dtype=float)})


def fit_and_score(utility: S.Utility, *, config: RiskConfig | None = None,
                  hydraulics: pd.DataFrame | None = None) -> tuple[RiskModel, pd.DataFrame, pd.DataFrame]:
    """Fit on the panel and return ``(model, scoring features, scores)`` without explanations (backtests)."""
    fitted = fit_model(utility, config=config, hydraulics=hydraulics)
    return fitted.model, fitted.features, score_features(fitted.model, fitted.features)


__all__: Sequence[str] = ("RiskConfig", "RiskModel", "RiskResult", "FittedModel", "fit_model", "score_pipes",
                          "fit_and_score", "panel_options")

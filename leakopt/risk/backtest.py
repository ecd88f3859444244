"""Proof on history: would the ranking have found the leaks that came next?

:func:`backtest` rebuilds the utility as it was at ``cutoff`` (leaks strictly
before it, pipes installed by its year, the first year of reliable recording
detected from those leaks unless configured: :func:`restrict_to`), trains the
model on that past only, scores the pipes that existed then, and measures the
share of the leaks of the next ``horizon_years`` found on the top
1/5/10/20/30% of network LENGTH (the capture curve), and the length share
needed to find 80% of them -- for the model, for the baselines of
:mod:`leakopt.risk.baselines` and, when the true rates are known (synthetic data),
for the oracle ranking.  It repeats this at earlier cutoffs (walk-forward)
and reports mean and spread.

:func:`rankings_at` gives the per-pipe scores of every ranking at one cutoff and
the test leaks they are measured on; :mod:`leakopt.risk.capture` measures them
(capture curves, bootstrap intervals over the test leaks).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.i18n import NBSP, fmt_int, fmt_printed_date
from leakopt.risk.baselines import BASELINES, baseline_scores
from leakopt.risk.capture import capture_curve
from leakopt.risk.features import usable_leaks, year_fraction
from leakopt.risk.model import RiskConfig, fit_model
from leakopt.schema import Progress, silent
from leakopt.validate import detect_first_record_year
from leakopt.validate.messages import render

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class BacktestConfig:
    """Settings of the backtest (TOML table ``[backtest]``).

    Attributes
    ----------
    horizon_years : int
        Years after the cutoff whose leaks are the test set.
    walk_forward_cutoffs : int
        Number of cutoffs, the given one and earlier ones ``step_years`` apart.
    step_years : int
    baselines : tuple of str
        Names from :data:`leakopt.risk.baselines.BASELINES`.
    calibration_bins : int
        Risk bins (equal shares of length, in rank order) of the calibration table.
    min_train_years : int
        Complete recorded years needed before a cutoff to backtest it.
    """

    horizon_years: int = 3
    walk_forward_cutoffs: int = 3
    step_years: int = 1
    baselines: tuple[str, ...] = BASELINES
    calibration_bins: int = 10
    min_train_years: int = 3

    def __post_init__(self):
        if int(self.horizon_years) < 1:
            raise InputError(f"backtest horizon_years must be >= 1; got {self.horizon_years!r}",
                             fr=f"l’horizon du test sur l’historique, horizon_years, doit être >= 1 ; valeur "
                                f"reçue : {self.horizon_years!r}")
        unknown = [b for b in self.baselines if b not in BASELINES]
        if unknown:
            raise InputError(f"backtest baselines {unknown} unknown; known: {list(BASELINES)}",
                             fr=f"méthodes de comparaison du test sur l’historique inconnues : {unknown} ; méthodes "
                                f"connues : {list(BASELINES)}")


@dataclass(frozen=True)
class BacktestResult:
    """Result of :func:`backtest`.

    Attributes
    ----------
    cutoff : Timestamp
    horizon_years : float
        Test window actually used (shorter than asked when the data end sooner).
    n_test_leaks : int
    methods : dict
        ``{"model": metrics, "<baseline>": metrics, ["truth": metrics]}`` with
        metrics ``{"capture": {"0.01": .., ...}, "length_share_for_80pct": ..,
        "curve": {"length_share": [...], "leak_share": [...]}}``.  With no test leak, a capture is
        undefined, not 0: every ``capture`` value, ``length_share_for_80pct`` and ``curve`` are None.
        With a ``truth``,
        also ``expected_capture``: the share of the leaks expected from the TRUE
        rates at the cutoff on the top of the ranking (the same curve without
        the Poisson noise of the test leaks, so small differences between
        rankings show).  The oracle ``truth`` ranks by those rates.
    walk_forward : list of dict
        One entry per cutoff: ``cutoff``, ``n_test_leaks``, ``horizon_years``,
        ``capture`` by method.
    walk_forward_summary : dict
        Per method: ``capture_mean``, ``capture_std``, ``capture_min`` by level
        (and ``expected_capture_mean`` with a truth).
    calibration : DataFrame
        ``bin`` (1 = riskiest), ``length_km``, ``n_pipes``, ``predicted_leaks``, ``observed_leaks``.
    notes : tuple of str
        Left truncation, shortened horizon and other caveats.
    cpu_seconds : float
        CPU time of training the model at the main cutoff.
    notes_fr : tuple of str
        The same notes in French (:data:`NOTES`).
    model_given : bool
        The model measured was trained elsewhere (``run --model``) and scored at each cutoff, not
        trained on the history before it.
    horizon_years_asked : int or None
        Test window asked for (``horizon_years`` is shorter when the leak history ends sooner).
    test_end : str or None
        Last day of the test window actually covered (ISO date).
    """

    cutoff: pd.Timestamp
    horizon_years: float
    n_test_leaks: int
    methods: dict
    walk_forward: list
    walk_forward_summary: dict
    calibration: pd.DataFrame = field(repr=False)
    notes: tuple = ()
    cpu_seconds: float = 0.0
    notes_fr: tuple = ()
    model_given: bool = False
    horizon_years_asked: int | None = None
    test_end: str | None = None

    def to_json(self, path=None) -> dict:
        """The content of ``backtest.json`` (plain JSON types; NaN -> null); also written to ``path``."""
        baselines = {k: v for k, v in self.methods.items() if k not in ("model", "truth")}
        doc = {"cutoff": str(self.cutoff.date()), "horizon_years": self.horizon_years,
               "n_test_leaks": self.n_test_leaks, **self.methods, "baselines": baselines,
               "walk_forward": self.walk_forward, "walk_forward_summary": self.walk_forward_summary,
               "calibration": self.calibration.to_dict(orient="records"), "notes": list(self.notes),
               "notes_fr": list(self.notes_fr), "cpu_seconds": self.cpu_seconds, "model_given": self.model_given,
               "horizon_years_asked": self.horizon_years_asked, "test_end": self.test_end}
        doc = json.loads(json.dumps(doc, default=_plain).replace("NaN", "null"))
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(doc, indent=2) + "\n")
        return doc


def _plain(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    return str(obj)


def restrict_to(utility: S.Utility, cutoff) -> S.Utility:
    """The utility as known at ``cutoff``: leaks before it, pipes installed by its year.

    Its ``first_record_year`` (first year of reliable recording) is the
    utility's when that was configured or set by hand.  When validation
    detected it, it was detected on every leak up to the as-of date, the
    years after the cutoff included; it is then detected again from the leaks
    before the cutoff only (:func:`leakopt.validate.detect_first_record_year`,
    as when it is unknown), so that nothing after the cutoff shapes the model
    trained at it.
    """
    ts = pd.Timestamp(cutoff)
    pipes = utility.pipes[utility.pipes[S.INSTALL_YEAR] <= ts.year].reset_index(drop=True)
    leaks = utility.leaks[(utility.leaks[S.DATE] < ts)
                          & utility.leaks[S.PIPE_ID].astype(str).isin(pipes[S.PIPE_ID].astype(str))]
    leaks = leaks.reset_index(drop=True)
    first = _known_first_record_year(utility)
    if first is None:
        first = detect_first_record_year(leaks[S.YEAR], last_year=ts.year - 1)
    return S.Utility(pipes=pipes, leaks=leaks, as_of=ts, network=utility.network,
                     crs=utility.crs, first_record_year=first)


def _known_first_record_year(utility: S.Utility) -> int | None:
    """``utility.first_record_year`` unless validation detected it from the leaks (then None)."""
    summary = getattr(utility.validation, "summary", None) or {}
    return None if summary.get("first_record_year_detected") else utility.first_record_year


def _test_counts(utility: S.Utility, pipes: pd.DataFrame, cutoff: pd.Timestamp, horizon: int):
    """Leaks per scored pipe in [cutoff, cutoff + horizon years), and the horizon actually covered."""
    end = cutoff + pd.DateOffset(years=horizon)
    data_end = pd.Timestamp(utility.as_of)
    covered = min(horizon, _frac(data_end) - _frac(cutoff))   # in the features' calendar years: 3.0, not 2.998
    later = S.Utility(pipes=pipes, leaks=utility.leaks, as_of=min(end, data_end),
                      first_record_year=utility.first_record_year)
    lk = usable_leaks(later)   # known pipes, not before install year, before the window end
    lk = lk[lk["t"] >= _frac(cutoff)]
    return np.bincount(lk["pipe_idx"].to_numpy(), minlength=len(pipes)).astype(float), covered


def _frac(ts) -> float:
    return float(year_fraction([ts])[0])


@dataclass(frozen=True)
class Rankings:
    """Every ranking of one cutoff, and the test leaks they are measured on (:func:`rankings_at`).

    Attributes
    ----------
    scores : DataFrame
        ``pipe_id`` then one score column per method (``model``, the baselines, ``truth`` when
        given), higher = riskier, one row per pipe scored at the cutoff.
    length_m : ndarray
        Length of each scored pipe.
    observed : ndarray
        Test leaks on each scored pipe in ``[cutoff, cutoff + horizon)``.
    expected : ndarray
        Leaks a year the model expects on each pipe.
    horizon_years : float
        Test window actually covered.
    cpu_seconds : float
        CPU time of training the model.
    """

    scores: pd.DataFrame
    length_m: np.ndarray = field(repr=False)
    observed: np.ndarray = field(repr=False)
    expected: np.ndarray = field(repr=False)
    horizon_years: float = 0.0
    cpu_seconds: float = 0.0
    glm: object = field(default=None, repr=False)   # the last GLM the model fitted, used or not ("auto"): the next cutoff starts from it

    @property
    def methods(self) -> list[str]:
        return list(self.scores.columns[1:])


def rankings_at(utility: S.Utility, cutoff, horizon_years: int, *, config: BacktestConfig | None = None,
                risk_config=None, hydraulics: pd.DataFrame | None = None, truth: pd.DataFrame | None = None,
                progress: Progress = silent, glm_start=None, model=None) -> Rankings:
    """Train at ``cutoff`` on the past only (:func:`restrict_to`), score, and count the test leaks.

    The scores of the model and of every baseline of ``config.baselines`` (and the oracle
    ``truth``), per pipe, with the leaks of the next ``horizon_years`` they are measured on:
    :func:`leakopt.risk.capture.capture_curve` and :func:`leakopt.risk.capture.bootstrap_capture`
    turn them into figures.  ``glm_start`` (an earlier cutoff's GLM offset) is where the GLM fits
    start (:func:`leakopt.risk.model.fit_model`).  ``model``, a model trained elsewhere
    (``--model``), is scored at the cutoff instead of one trained there: what is measured is that model.
    """
    config = config or BacktestConfig()
    cutoff = pd.Timestamp(cutoff)
    rc = risk_config or RiskConfig()
    past = restrict_to(utility, cutoff)
    progress("training the model" if model is None else "scoring with the model given", 0, 2)
    fitted = fit_model(past, config=rc, hydraulics=hydraulics, glm_start=glm_start, model=model)
    model, panel, feats = fitted.model, fitted.panel, fitted.features
    progress("measuring the rankings", 1, 2)
    scored = past.pipes.set_index(past.pipes[S.PIPE_ID].astype(str)).loc[feats[S.PIPE_ID]].reset_index(drop=True)
    observed, covered = _test_counts(utility, scored, cutoff, int(horizon_years))
    expected = model.predict(feats)
    scores = baseline_scores(panel, feats, names=config.baselines, seed=rc.seed, utility=past,
                             horizon_years=int(horizon_years), num_threads=rc.num_threads,
                             prior_rates=rc.prior_rates)
    scores.insert(1, "model", expected / feats["length_km"].to_numpy())
    if truth is not None:
        scores["truth"] = _truth_score(truth, feats, cutoff)
    return Rankings(scores=scores, length_m=scored[S.LENGTH].to_numpy(dtype=float), observed=observed,
                    expected=np.asarray(expected, dtype=float), horizon_years=covered,
                    cpu_seconds=fitted.cpu_seconds, glm=model.glm_start)


def _one_cutoff(utility: S.Utility, cutoff: pd.Timestamp, horizon: int, config: BacktestConfig,
                risk_config, hydraulics, truth: pd.DataFrame | None, progress: Progress = silent,
                glm_start=None, model=None) -> dict:
    """Train at ``cutoff`` (or score with ``model``), and measure every ranking on the following leaks."""
    r = rankings_at(utility, cutoff, horizon, config=config, risk_config=risk_config, hydraulics=hydraulics,
                    truth=truth, progress=progress, glm_start=glm_start, model=model)
    scores, length, observed = r.scores, r.length_m, r.observed
    methods = {name: capture_curve(scores[name], length, observed) for name in r.methods}
    if truth is not None:   # the same curves on the leaks expected at the cutoff: no Poisson noise
        expected_true = scores["truth"].to_numpy() * length / 1000.0
        for name in methods:
            methods[name]["expected_capture"] = capture_curve(scores[name], length, expected_true)["capture"]
    if observed.sum() <= 0:   # no test leak: no share of them to find, so no capture (None, not 0)
        for m in methods.values():
            m.update(capture=dict.fromkeys(m["capture"]), length_share_for_80pct=None, curve=None)
    calib = _calibration(scores["model"].to_numpy(), r.expected * r.horizon_years, length, observed,
                         config.calibration_bins)
    return {"cutoff": cutoff, "horizon": r.horizon_years, "n_test": int(observed.sum()), "methods": methods,
            "calibration": calib, "cpu": r.cpu_seconds, "glm": r.glm}


def _truth_score(truth: pd.DataFrame, feats: pd.DataFrame, cutoff: pd.Timestamp) -> np.ndarray:
    """Oracle: the true leak rate per km at the cutoff (that of the first forecast year).

    Not the true rates of all the test years: a leak raises its pipe's later rate
    (self-excitation) and a renewal resets it, so those rates carry the test
    years' own leaks and an oracle built on them would peek at the outcome it is
    scored on.  The first year's rate depends only on the history before the
    cutoff: it is the best ranking a forecast made at the cutoff could reach.
    """
    for col in (S.PIPE_ID, "year", "expected_leaks"):
        if col not in truth:
            raise InputError(f"truth frame needs columns pipe_id, year, expected_leaks; missing {col!r}",
                             fr="la table des taux réels doit avoir les colonnes pipe_id, year, expected_leaks ; il "
                                f"manque {col!r}")
    first = cutoff.year if (cutoff.month, cutoff.day) == (1, 1) else cutoff.year + 1
    t = truth[truth["year"] == first]
    rate = t.groupby(t[S.PIPE_ID].astype(str))["expected_leaks"].sum()
    return rate.reindex(feats[S.PIPE_ID]).fillna(0.0).to_numpy() / feats["length_km"].to_numpy()


def _calibration(rate, predicted, length, observed, bins: int) -> pd.DataFrame:
    """Predicted vs observed test leaks by risk bin of equal length (bin 1 = riskiest)."""
    order = np.argsort(-np.asarray(rate), kind="stable")
    ln = np.asarray(length)[order]
    start = (np.cumsum(ln) - ln) / max(ln.sum(), 1e-12)
    b = np.minimum((start * bins).astype(int), bins - 1) + 1
    df = pd.DataFrame({"bin": b, "length_km": ln / 1000.0, "n_pipes": 1,
                       "predicted_leaks": np.asarray(predicted)[order], "observed_leaks": np.asarray(observed)[order]})
    return df.groupby("bin", as_index=False).sum()


_NB = NBSP   # French: a no-break space before ":" and ";" and between a number and its unit

#: The backtest's caveats in English and French (:func:`leakopt.validate.messages.render` fills them).
NOTES = {
    "cutoff_skipped": {
        "en": "walk-forward cutoff {cutoff:date} skipped: fewer than {min_years} recorded years before it (records "
              "start {first})",
        "fr": f"date de départ du {{cutoff:date}} écartée des tests répétés{_NB}: moins de "
              f"{{min_years:|année enregistrée|années enregistrées}} avant elle (les enregistrements commencent "
              f"en {{first}})"},
    "no_leak": {
        "en": "no leak before the cutoff: nothing to learn from",
        "fr": f"aucune fuite avant la date de départ{_NB}: rien dont apprendre"},
    "left_truncation": {
        "en": "left truncation: leak records from {first_leak} to {last_sparse} are sparse ({early:,|leak|leaks} in total "
              "against a median of {per_year:.0f} per year afterwards); training years start in {used} and "
              "earlier leaks only count as pipe history",
        "fr": f"début d’historique incomplet{_NB}: de {{first_leak}} à {{last_sparse}}, les fuites enregistrées sont "
              f"rares ({{early:,|fuite|fuites}} en tout contre une médiane de {{per_year:.0f}} par an "
              f"ensuite){_NB}; les années d’apprentissage commencent en {{used}} et les fuites antérieures ne "
              f"comptent que comme historique des conduites"},
    "left_truncation_1": {
        "en": "left truncation: leak records of {first_leak} are sparse ({early:,|leak|leaks} in total against a median of "
              "{per_year:.0f} per year afterwards); training years start in {used} and earlier leaks only count as "
              "pipe history",
        "fr": f"début d’historique incomplet{_NB}: en {{first_leak}}, les fuites enregistrées sont rares "
              f"({{early:,|fuite|fuites}} en tout contre une médiane de {{per_year:.0f}} par an ensuite){_NB}; les "
              f"années d’apprentissage commencent en {{used}} et les fuites antérieures ne comptent que comme "
              f"historique des conduites"},
    "training_start": {
        "en": "training years start in {used} (first reliable recording year); leaks from {first_leak} only count "
              "as pipe history",
        "fr": f"les années d’apprentissage commencent en {{used}} (première année d’enregistrement fiable){_NB}; "
              f"les fuites antérieures, enregistrées depuis {{first_leak}}, ne comptent que comme historique des "
              f"conduites"},
    "survivorship": {
        "en": "pipes removed from the register before today are missing from past years (survivorship); their "
              "leaks cannot be scored",
        "fr": f"les conduites retirées de l’inventaire avant aujourd’hui manquent dans les années passées (biais "
              f"de survie){_NB}; leurs fuites ne peuvent pas être prises en compte"},
    "history_ends": {
        "en": "the leak history ends {as_of:date}: the test window of {asked:d|year|years} asked for was cut to "
              "{years:.1f|year|years}",
        "fr": f"l’historique des fuites s’arrête le {{as_of:date}}{_NB}: la fenêtre de test de "
              f"{{asked:d|an|ans}} demandée a été ramenée à {{years:.1f|an|ans}}"},
    "no_test_leak": {
        "en": "no test leaks: the test window holds no leak, so the ranking could not be measured and backtest.json "
              "gives no capture (null)",
        "fr": f"aucune fuite de test{_NB}: la fenêtre de test ne compte aucune fuite, le classement n’a donc pas pu "
              f"être mesuré et backtest.json ne donne aucune capture (null)"},
    "few_test_leaks": {
        "en": "only {n:,|test leak|test leaks}: one leak moves a capture by {points:.0f|point|points}; read the "
              "figures as rough",
        "fr": f"seulement {{n:|fuite de test|fuites de test}}{_NB}: une fuite déplace une capture de "
              f"{{points:.0f|point|points}}{_NB}; ces chiffres ne sont que des ordres de grandeur"},
}


def note_texts(notes, lang: str) -> tuple[str, ...]:
    """``(key, params)`` notes of :data:`NOTES` as texts in ``lang``."""
    return tuple(render(key, lang, params, table=NOTES) for key, params in notes)


def backtest_notes(doc: dict, lang: str = "en") -> list[str]:
    """The notes of a ``backtest.json`` in ``lang``: ``notes_fr`` in French when it has them, else ``notes``."""
    notes, fr = doc.get("notes") or [], doc.get("notes_fr") or []
    return list(fr) if lang == "fr" and len(fr) == len(notes) else list(notes)


def measured(doc: dict) -> bool:
    """Whether a ``backtest.json`` measured the rankings: False when its test window held no leak (its captures are
    then null: a share of no leak is undefined, not 0)."""
    return doc.get("n_test_leaks") != 0


def shown_years(years) -> tuple[float, int]:
    """A test window in years as the summary, the report and the app write it, and its decimals: whole years as
    they are (3), a window cut short to one decimal (2.0 for 1.997, not "1.997")."""
    y = float(years)
    return (round(y), 0) if abs(y - round(y)) < 1e-6 else (round(y, 1), 1)


def horizon_cut(doc: dict) -> dict | None:
    """``{"asked": 3, "years": 1.997, "end": "2024-12-31"}`` when the test window of a ``backtest.json`` is
    shorter than asked (the leak history ends sooner; ``end`` its last day), else None."""
    asked, years = doc.get("horizon_years_asked"), doc.get("horizon_years")
    if asked is None or years is None or float(years) >= float(asked):
        return None
    return {"asked": int(asked), "years": float(years), "end": doc.get("test_end")}


def _cutoffs(utility: S.Utility, cutoff: pd.Timestamp, config: BacktestConfig, notes: list) -> list:
    """The main cutoff and the earlier walk-forward ones with enough recorded years before them."""
    out = []
    for i in range(max(int(config.walk_forward_cutoffs), 1)):
        c = cutoff - pd.DateOffset(years=i * int(config.step_years))
        first = restrict_to(utility, c).first_record_year or c.year   # as known at that cutoff
        if c.year - first < config.min_train_years:
            notes.append(("cutoff_skipped", {"cutoff": c.date().isoformat(), "min_years": config.min_train_years,
                                             "first": first}))
            break
        out.append(c)
    return out


def truncation_notes(utility: S.Utility) -> list[tuple[str, dict]]:
    """Plain-language notes on sparse early leak recording (left truncation): ``(key, params)`` of :data:`NOTES`."""
    notes = []
    if utility.leaks.empty:
        return [("no_leak", {})]
    detected = detect_first_record_year(utility.leaks[S.YEAR], last_year=pd.Timestamp(utility.as_of).year - 1)
    first_leak = int(utility.leaks[S.YEAR].min())
    used = utility.first_record_year if utility.first_record_year is not None else detected
    if detected is not None and detected > first_leak:
        early = int((utility.leaks[S.YEAR] < detected).sum())
        per_year = utility.leaks[utility.leaks[S.YEAR] >= detected].groupby(S.YEAR).size().median()
        notes.append(("left_truncation_1" if detected - 1 == first_leak else "left_truncation",
                      {"first_leak": first_leak, "last_sparse": detected - 1, "early": early,
                       "per_year": per_year, "used": used}))
    elif used is not None and used > first_leak:
        notes.append(("training_start", {"used": used, "first_leak": first_leak}))
    notes.append(("survivorship", {}))
    return notes


#: Shortest test window a backtest measures (years after the cutoff within the history).
MIN_TEST_YEARS = 1.0

#: Below this many test leaks, the backtest's notes say its figures are rough.
FEW_TEST_LEAKS = 30


def backtest(utility: S.Utility, *, cutoff, horizon_years: int | None = None,
             config: BacktestConfig | None = None, truth: pd.DataFrame | None = None,
             risk_config=None, hydraulics: pd.DataFrame | None = None,
             progress: Progress | None = None, model=None) -> BacktestResult:
    """Train on the leaks before ``cutoff`` and measure the ranking on the leaks after it.

    Parameters
    ----------
    utility : Utility
        The full history; leaks up to ``utility.as_of`` provide the test sets.
    cutoff : date-like
        Forecast date of the backtest; must be before ``utility.as_of``.
    horizon_years : int, optional
        Test window in years (default ``config.horizon_years``).
    config : BacktestConfig, optional
    truth : DataFrame, optional
        ``pipe_id``, ``year``, ``expected_leaks`` (synthetic data): adds the oracle ranking ``truth``.
    risk_config : RiskConfig, optional
        Settings of the model being tested.
    hydraulics : DataFrame, optional
        Per-pipe hydraulic features.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`), counting the walk-forward cutoffs done.
    model : RiskModel, optional
        A model trained elsewhere (``run --model``): scored at each cutoff from the pipes' features as
        of then, nothing trained; ``model_given`` of the result says so.

    Returns
    -------
    BacktestResult
    """
    config = config or BacktestConfig()
    horizon = int(horizon_years if horizon_years is not None else config.horizon_years)
    if horizon < 1:
        raise InputError(f"backtest horizon_years must be >= 1; got {horizon_years!r}",
                         fr=f"l’horizon du test sur l’historique, horizon_years, doit être >= 1 ; valeur reçue : "
                            f"{horizon_years!r}")
    ts = pd.Timestamp(cutoff)
    if ts >= pd.Timestamp(utility.as_of):
        raise InputError(f"backtest cutoff {ts.date()} must be before the end of the leak history "
                         f"({pd.Timestamp(utility.as_of).date()}): there is nothing to test after it",
                         fr=f"la date de coupure du test sur l’historique, le {fmt_printed_date(ts, 'fr')}, doit "
                            "précéder la fin de l’historique des fuites (le "
                            f"{fmt_printed_date(utility.as_of, 'fr')}) : il n’y a rien à tester après elle")
    window = (pd.Timestamp(utility.as_of) - ts).days / 365.25
    if window < MIN_TEST_YEARS:
        example = pd.Timestamp(utility.as_of) - pd.DateOffset(years=horizon)
        raise InputError(f"backtest cutoff {ts.date()}: only {window * 365.25:.0f} days of leak history follow it "
                         f"(to {pd.Timestamp(utility.as_of).date()}), too few to measure a ranking on; choose a "
                         f"cutoff at least {MIN_TEST_YEARS:g} year before the end of the history, e.g. "
                         f"{example.date()}",
                         fr=f"test sur l’historique avec la date de coupure du {fmt_printed_date(ts, 'fr')} : "
                            f"seulement {fmt_int(window * 365.25, 'fr')} jours d’historique des fuites suivent cette "
                            f"date (jusqu’au {fmt_printed_date(utility.as_of, 'fr')}), trop peu pour évaluer un "
                            f"classement ; choisissez une date de coupure au moins {MIN_TEST_YEARS:g} an avant la fin "
                            f"de l’historique, par exemple le {fmt_printed_date(example, 'fr')}")
    report = progress or silent
    notes = truncation_notes(restrict_to(utility, ts))
    cutoffs = _cutoffs(utility, ts, config, notes)
    if not cutoffs:
        raise InputError(f"backtest cutoff {ts.date()}: fewer than {config.min_train_years} recorded years "
                         "of leaks before it; choose a later cutoff",
                         fr=f"test sur l’historique avec la date de coupure du {fmt_printed_date(ts, 'fr')} : moins "
                            f"de {config.min_train_years} années de fuites enregistrées précèdent cette date ; "
                            "choisissez une date de coupure plus tardive")
    runs = []
    for i, c in enumerate(cutoffs):   # each cutoff's GLM fits start from the previous cutoff's GLM
        runs.append(_one_cutoff(utility, c, horizon, config, risk_config, hydraulics, truth,
                                _cutoff_steps(report, c, i, len(cutoffs)), runs[-1]["glm"] if runs else None,
                                model=model))
    report("every cutoff measured", len(cutoffs), len(cutoffs))
    main = runs[0]
    end = min(ts + pd.DateOffset(years=horizon), pd.Timestamp(utility.as_of)) - pd.Timedelta(days=1)
    test_end = end.date().isoformat()   # the last day of the test window: leaks before the end date count
    if main["horizon"] < horizon:
        notes.append(("history_ends", {"as_of": test_end, "asked": horizon, "years": main["horizon"]}))
    if main["n_test"] == 0:
        notes.append(("no_test_leak", {}))
    if 0 < main["n_test"] < FEW_TEST_LEAKS:
        notes.append(("few_test_leaks", {"n": main["n_test"], "points": 100 / main["n_test"]}))
    walk = [{"cutoff": str(r["cutoff"].date()), "horizon_years": round(r["horizon"], 3),
             "n_test_leaks": r["n_test"],
             "capture": {k: m["capture"] for k, m in r["methods"].items()},
             "length_share_for_80pct": {k: m["length_share_for_80pct"] for k, m in r["methods"].items()}}
            for r in runs]
    return BacktestResult(cutoff=ts, horizon_years=round(main["horizon"], 3), n_test_leaks=main["n_test"],
                          methods=main["methods"], walk_forward=walk, walk_forward_summary=_summary(runs),
                          calibration=main["calibration"], notes=note_texts(notes, "en"),
                          notes_fr=note_texts(notes, "fr"), cpu_seconds=main["cpu"], model_given=model is not None,
                          horizon_years_asked=horizon, test_end=test_end)


def _cutoff_steps(report: Progress, cutoff: pd.Timestamp, i: int, n: int) -> Progress:
    """The steps of the ``i``-th of ``n`` cutoffs, named after it and counted in cutoffs done."""
    return lambda step, done, total: report(f"cutoff {cutoff.date()}, {step}", i, n)


def _summary(runs: list) -> dict:
    out = {}
    with_leaks = [r for r in runs if r["n_test"] > 0]   # a cutoff with no test leak has no capture to average
    for name in runs[0]["methods"]:
        cap = pd.DataFrame([r["methods"][name]["capture"] for r in with_leaks]
                           or [runs[0]["methods"][name]["capture"]])
        cap = cap.astype(float)
        out[name] = {"capture_mean": cap.mean().round(5).to_dict(),
                     "capture_std": cap.std(ddof=0).round(5).to_dict(),
                     "capture_min": cap.min().round(5).to_dict(), "n_cutoffs": len(runs),
                     "n_cutoffs_measured": len(with_leaks)}
        if "expected_capture" in runs[0]["methods"][name]:
            exp = pd.DataFrame([r["methods"][name]["expected_capture"] for r in runs])
            out[name]["expected_capture_mean"] = exp.mean().round(5).to_dict()
    return out


def plot_capture(result: BacktestResult, path) -> None:
    """Draw the capture curves (share of leaks found vs share of length) to a PNG file."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 5), dpi=110)
    styles = {"model": dict(color="#c0392b", lw=2.5), "truth": dict(color="black", ls=":", lw=1.5)}
    for name, m in result.methods.items():
        if not m.get("curve"):   # no test leak: nothing to draw
            continue
        label = {"model": "leakopt model", "truth": "true rates (oracle)"}.get(name, name.replace("_", " "))
        ax.plot(m["curve"]["length_share"], m["curve"]["leak_share"], label=label,
                **styles.get(name, dict(lw=1.2)))
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--", label="random")
    ax.axvline(0.2, color="grey", lw=0.5)
    if not result.n_test_leaks:
        ax.text(0.5, 0.6, "no leak in the test years:\nthe ranking could not be measured", ha="center", va="center")
    ax.set_xlabel("share of network length inspected (riskiest first)")
    ax.set_ylabel(f"share of leaks found ({result.n_test_leaks} leaks)")
    ax.set_title(f"Backtest from {result.cutoff.date()}, next {result.horizon_years:g} years")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)

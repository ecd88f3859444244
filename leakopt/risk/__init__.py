"""Stage 3, risk: how many leaks each pipe will have, and where the priority zone is.

The pipeline of this stage, in the order the modules run:

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.features`          the pipe-year panel (age, material, diameter, leak history, neighbours)
:mod:`.hydraulics`        pressure and velocity per pipe from an EPANET simulation (WNTR)
:mod:`.glm`               the Poisson GLM: a baseline, and the offset the trees boost from
:mod:`.model`             :class:`RiskModel` (LightGBM, Poisson) and :func:`score_pipes`
:mod:`.explain`           plain-language ``top_factors`` from the model's own contributions
:mod:`.priority`          ranks, risk classes A-D and the priority zone
:mod:`.prior`             the literature prior: published break rates, for a utility with no leak history
:mod:`.baselines`         the rankings a utility would use without the model
:mod:`.capture`           capture curves by length and their bootstrap intervals
:mod:`.backtest`          train on the past, test on later years: every ranking measured
========================  ===================================================================

Data: the validated :class:`leakopt.schema.Utility` in; the risk frame
(``risk.csv``'s columns, :data:`leakopt.schema.RISK_COLUMNS`) and a
:class:`~leakopt.risk.backtest.BacktestResult` out.
"""

from leakopt.risk.backtest import BacktestConfig, BacktestResult, Rankings, backtest, plot_capture, rankings_at
from leakopt.risk.baselines import BASELINES, baseline_scores
from leakopt.risk.capture import bootstrap_capture, capture_curve
from leakopt.risk.explain import explain
from leakopt.risk.features import build_panel, check_extra_features, feature_columns, features_at, usable_leak_records
from leakopt.risk.glm import PoissonGlm
from leakopt.risk.hydraulics import HYDRAULIC_COLUMNS, HydraulicsStatus, hydraulic_features
from leakopt.risk.model import (
    FittedModel,
    RiskConfig,
    RiskModel,
    RiskResult,
    fit_and_score,
    fit_model,
    panel_options,
    score_features,
    score_pipes,
)
from leakopt.risk.prior import PriorModel, scored_by_prior
from leakopt.risk.priority import Priority, PriorityConfig, priority_zone, rank_and_classify

__all__ = [
    "build_panel", "check_extra_features", "features_at", "feature_columns", "usable_leak_records", "hydraulic_features", "HYDRAULIC_COLUMNS", "HydraulicsStatus",
    "PoissonGlm", "RiskConfig", "RiskModel", "RiskResult", "FittedModel", "fit_model", "panel_options",
    "score_pipes", "score_features", "fit_and_score", "PriorModel", "scored_by_prior",
    "explain", "PriorityConfig", "Priority", "priority_zone", "rank_and_classify",
    "BASELINES", "baseline_scores", "BacktestConfig", "BacktestResult", "backtest", "capture_curve",
    "bootstrap_capture", "Rankings", "rankings_at", "plot_capture",
]

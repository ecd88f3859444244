"""Training and scoring on Dask, for pooled utilities that do not fit one machine.

The single-machine path (:func:`leakopt.risk.score_pipes`) is the default and
needs no Dask.  This module is the optional ``leakopt[dask]`` extra: ``dask``,
``distributed`` and ``lightgbm.dask`` are imported inside its functions only.

What it does, on a pooled set written by :mod:`leakopt.io.pooled` (Parquet, one
partition per utility or region):

1. **Panel**: one task per utility reads its partition and builds the
   pipe-year panel with :func:`leakopt.risk.features.build_panel` (the very
   function of the single-machine path: same features); the panels stay on
   the workers as a Dask DataFrame with one partition per utility.
2. **Number of trees**: ``lightgbm.dask.DaskLGBMRegressor`` (Poisson
   objective, the parameters of :class:`leakopt.risk.RiskModel`) is trained
   on every year but the last ``validation_years``, with the single-machine
   offset as ``init_score`` (a Dask Series): log length, plus the log rate of
   the Poisson GLM the trees boost from when ``RiskConfig.glm_offset`` (the
   GLM is fitted on the client on a random sample of panel rows of the size
   the single-machine GLM subsamples to).  ``glm_offset = "auto"`` boosts
   from the GLM here: a pooled set mixes many utilities, and growing the
   trees twice on the cluster to choose would double its cost.  LightGBM's Dask interface cannot
   stop early (each worker evaluates its own rows, so workers stop at
   different rounds and hang: LightGBM issues #3712, #6351); the search
   (:mod:`leakopt.distributed.search`) trains in chunks of rounds, each
   continuing from the scores of the previous ones, computes the validation
   Poisson deviance of every round on the workers and applies LightGBM's
   early-stopping rule to that curve.  No round is trained twice.
3. **Refit** on every year with that number of trees (``refit_full``).
4. **Score**: one task per utility computes the features at the as-of date
   (:func:`leakopt.risk.features.features_at`), predicts, ranks the utility's
   pipes and finds its priority zone (:func:`leakopt.risk.priority.priority_zone`),
   and writes ``<out>/risk/utility_id=<id>/part-0.parquet``.  The model is
   saved in LightGBM's text format (``<out>/model.txt``, its GLM offset in
   ``<out>/model.txt.glm.json``); it loads with :meth:`leakopt.risk.RiskModel.load`.

While LightGBM trains (phases 2 and 3) the workers neither spill to disk nor
pause (:mod:`leakopt.distributed.memory`); their settings come back afterwards.

Leak-signature simulations for pressure sensors fan out as Dask tasks too
(:func:`pressure_drops_distributed`, from :mod:`leakopt.distributed.pressure`).

Pointing it at a real cluster
-----------------------------
1. Install the same leakopt, with the same Python, dask, distributed and
   lightgbm versions, on the scheduler, every worker and the client:
   ``pip install "leakopt[dask]"``.
2. Put the pooled Parquet where every worker reads the same path: a shared
   file system (NFS, Lustre, a cloud file share) mounted at the same path on
   every host.  Write it there with :func:`leakopt.distributed.write_pooled` or
   :func:`leakopt.io.write_utility` (one call per utility, from anywhere);
   ``out_dir`` (model and scores) must be shared too.  For pressure sensors,
   ``network.inp_path`` must be readable by every worker.
3. Start the cluster: ``dask scheduler`` on one host, and on each worker host
   ``dask worker tcp://SCHEDULER:8786 --nworkers 1 --nthreads 4 --memory-limit 32GB``
   (or dask-jobqueue / dask-kubernetes).  Size ``--memory-limit`` for the
   pipe-years a worker holds: about 250 bytes per pipe-year for the panels,
   about 800 while LightGBM trains (measured: 6.8 GB per worker holding 8.5
   million pipe-years).  Partitions are whole utilities, so a worker needs at
   least the largest utility's share.  Spilling and pausing are switched off
   during training by :func:`train_distributed` itself (``allow_spill=True``
   keeps them); the nanny's ``terminate`` threshold still stops a worker
   that runs out of memory, and the run then fails with ``KilledWorker``.
4. LightGBM opens its own sockets between workers (on free ports it picks);
   when a firewall allows only some ports, fix them with
   ``network_params={"local_listen_port": 12400}`` (one port per worker
   host) or ``{"machines": "host1:12400,host2:12400"}``.  Then::

       from distributed import Client
       from leakopt.distributed.train import train_distributed
       client = Client("tcp://SCHEDULER:8786")
       result = train_distributed("/shared/pooled", client=client, out_dir="/shared/run1")
       result.timings, result.worker_memory          # seconds and MB per phase and worker
       scores = result.read_scores()                 # or pd.read_parquet("/shared/run1/risk")
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.distributed.local import utility_features, utility_panel
from leakopt.distributed.memory import training_memory, worker_memory
from leakopt.distributed.pressure import pressure_drops_distributed
from leakopt.distributed.search import early_stopping_round, offset, search_rounds
from leakopt.errors import InputError
from leakopt.i18n import fmt_int, in_french
from leakopt.io import UTILITY_ID, partition_path, read_meta
from leakopt.risk import PoissonGlm, RiskConfig, RiskModel, feature_columns, priority_zone
from leakopt.risk.model import validation_window
from leakopt.schema import Progress, silent

__all__ = ["DistributedResult", "early_stopping_round", "fit_glm", "lgb_params", "offset", "panel_frame",
           "pressure_drops_distributed", "read_scores", "train_distributed", "worker_memory"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DistributedResult:
    """What :func:`train_distributed` produced.

    Attributes
    ----------
    out_dir : Path
    model_path : Path
        ``model.txt``, LightGBM text format (:meth:`leakopt.risk.RiskModel.load`).
    risk_dir : Path
        ``risk/utility_id=<id>/part-0.parquet``, one per utility: ``pipe_id``,
        ``expected_leaks_per_year``, ``leaks_per_km_year``, ``rank``,
        ``risk_class``, ``in_priority_zone`` (within the utility), ``length_m``,
        ``material``, ``diameter_mm``, ``install_year``.
    features : tuple of str
        Model features, in order.
    best_iteration : int
        Number of trees of the final model.
    train_rows : int
        Pipe-years of the panel.
    utilities : DataFrame
        One row per utility: ``utility_id``, ``n_pipes_scored``,
        ``expected_leaks_per_year``, ``zone_length_share``.
    validation_curve : ndarray
        Mean validation Poisson deviance (LightGBM's ``poisson`` metric)
        after each round the search trained (its length is the rounds trained).
    timings : dict
        Wall seconds per phase (``panel``, ``search``, ``refit``, ``score``, ``total``).
    worker_memory : DataFrame
        ``phase``, ``worker``, ``rss_mb`` (at the end of the phase),
        ``peak_rss_mb`` (process peak so far).
    """

    out_dir: Path
    model_path: Path
    risk_dir: Path
    features: tuple[str, ...]
    best_iteration: int
    train_rows: int
    utilities: pd.DataFrame = field(repr=False)
    validation_curve: np.ndarray = field(repr=False)
    timings: dict = field(default_factory=dict)
    worker_memory: pd.DataFrame = field(default=None, repr=False)

    def load_model(self):
        """The trained model as a :class:`leakopt.risk.RiskModel`."""
        return RiskModel.load(self.model_path)

    def read_scores(self) -> pd.DataFrame:
        """Every utility's scores in one frame, with ``utility_id``."""
        return read_scores(self.out_dir)


def read_scores(out_dir) -> pd.DataFrame:
    """Scores written by :func:`train_distributed` under ``out_dir/risk``, with ``utility_id`` (str)."""
    risk = pd.read_parquet(Path(out_dir) / "risk")
    return risk.assign(**{UTILITY_ID: risk[UTILITY_ID].astype(str)})


# --- tasks run on the workers -------------------------------------------------------------

def _panel_task(root: str, utility_id: str, as_of, config) -> pd.DataFrame:
    panel = utility_panel(root, utility_id, as_of=as_of, config=config)
    non_numeric = [c for c in config.extra_features
                   if c in panel and isinstance(panel[c].dtype, pd.CategoricalDtype)]
    if non_numeric:
        raise InputError(f"extra feature(s) {non_numeric} are text: the Dask path needs numeric extra "
                         "features (categories would be coded differently in each utility)",
                         fr=f"les variables supplémentaires {non_numeric} sont du texte : le calcul distribué (Dask) "
                            "demande des variables supplémentaires numériques (les catégories seraient codées "
                            "différemment dans chaque service)")
    return panel


def _panel_stats(panel: pd.DataFrame) -> tuple[np.ndarray, int, float]:
    return np.unique(panel["year"].to_numpy()), len(panel), float(panel["leaks"].sum())


def _offset_series(panel: pd.DataFrame, glm) -> pd.Series:
    return pd.Series(offset(panel, glm), index=panel.index, name="offset")


def _sample_task(panel: pd.DataFrame, cut_year: int | None, frac: float, seed: int) -> pd.DataFrame:
    rows = panel if cut_year is None else panel[panel["year"].to_numpy() <= cut_year]
    if frac >= 1:
        return rows
    rng = np.random.default_rng(seed)
    return rows[rng.random(len(rows)) < frac]


def _score_task(root: str, utility_id: str, as_of, config, model_str: str, glm, out_dir: str,
                priority_config) -> dict:
    import lightgbm as lgb

    feats = utility_features(root, utility_id, as_of=as_of, config=config)
    model = RiskModel(config)
    model.booster = lgb.Booster(model_str=model_str)
    model.features = list(model.booster.feature_name())
    model.glm = glm
    expected = model.predict(feats)
    risk = pd.DataFrame({S.PIPE_ID: feats[S.PIPE_ID].to_numpy(), "expected_leaks_per_year": expected,
                         "leaks_per_km_year": expected / feats["length_km"].to_numpy(dtype=float),
                         S.LENGTH: feats[S.LENGTH].to_numpy(dtype=float),
                         S.MATERIAL: feats[S.MATERIAL].astype(str).to_numpy(),
                         S.DIAMETER: feats[S.DIAMETER].to_numpy(), S.INSTALL_YEAR: feats[S.INSTALL_YEAR].to_numpy()})
    prio = priority_zone(risk, config=priority_config)
    cols = ["pipe_id", "expected_leaks_per_year", "leaks_per_km_year", "rank", "risk_class", "in_priority_zone"]
    out = prio.risk[cols + [c for c in prio.risk.columns if c not in cols]].sort_values("rank", ignore_index=True)
    path = partition_path(out_dir, "risk", utility_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(path, index=False)
    return {UTILITY_ID: utility_id, "n_pipes_scored": len(out),
            "expected_leaks_per_year": float(expected.sum()),
            "zone_length_share": prio.summary["length_share"]}


# --- the driver ---------------------------------------------------------------------------

def lgb_params(config, n_rows: int, features: list[str]) -> dict:
    """The single-machine model's LightGBM parameters (:class:`leakopt.risk.RiskModel`), for Dask."""
    model = RiskModel(config)
    model.features = list(features)
    params = model.lgb_params(int(n_rows))
    params.pop("num_threads", None)   # the Dask interface sets it to each worker's thread count
    return params


def panel_frame(client, root, utility_ids, *, as_of=None, config=None):
    """The pipe-year panel as a Dask DataFrame, one partition per utility, built on the workers.

    Returns ``(ddf, futures)``; the futures hold the partitions (release them
    to free the workers' memory).
    """
    import dask.dataframe as dd

    config = config or RiskConfig()
    futures = [client.submit(_panel_task, str(root), u, as_of, config, key=f"leakopt-panel-{u}-{time.time_ns()}")
               for u in utility_ids]
    meta = client.submit(lambda df: df.iloc[:0], futures[0]).result()
    return dd.from_delayed(futures, meta=meta, verify_meta=False), futures


def fit_glm(client, futures, features: list[str], config, *, cut_year: int | None = None,
            n_rows: int | None = None):
    """The GLM the trees boost from (``RiskConfig.glm_offset``), fitted on a sample of the panel rows.

    Each partition sends a random share of its rows (years up to ``cut_year``
    when given) so that about ``PoissonGlm.max_rows`` rows reach the client:
    the single-machine GLM subsamples to the same size.  None without
    ``glm_offset``.
    """

    model = RiskModel(config)
    model.features = list(features)
    if not getattr(config, "glm_offset", False):
        return None
    max_rows = PoissonGlm().max_rows
    frac = 1.0 if not n_rows else min(1.0, 1.2 * max_rows / n_rows)
    parts = client.gather([client.submit(_sample_task, f, cut_year, frac, int(config.seed) + i)
                           for i, f in enumerate(futures)])
    sample = pd.concat(parts, ignore_index=True)
    return model.fit_glm(sample.drop(columns=[UTILITY_ID]))


def _fit(client, frame, features: list[str], init, params: dict, n_rounds: int):
    """``DaskLGBMRegressor`` trained ``n_rounds`` rounds from the raw scores ``init`` (a Dask Series)."""
    import warnings

    from lightgbm.dask import DaskLGBMRegressor
    model = DaskLGBMRegressor(client=client, n_estimators=int(n_rounds), **params)
    with warnings.catch_warnings():   # n_jobs: Dask sets the threads of each worker itself
        warnings.filterwarnings("ignore", message="Parameter n_jobs will be ignored")
        model.fit(frame[features], frame["leaks"], init_score=init)
    return model.to_local().booster_


def _panels(client, root, ids, as_of, config):
    """Build the panels on the workers: (ddf, futures, features, panel years, rows)."""
    ddf, futures = panel_frame(client, root, ids, as_of=as_of, config=config)
    features = [c for c in feature_columns(ddf._meta) if c != UTILITY_ID]
    stats = client.gather([client.submit(_panel_stats, f) for f in futures])
    years = np.unique(np.concatenate([y for y, _, _ in stats]))
    n_rows = sum(n for _, n, _ in stats)
    if n_rows == 0 or sum(k for _, _, k in stats) <= 0:
        raise InputError(f"the pooled panels ({n_rows} pipe-years) hold no leak to learn from",
                         fr=f"les données mutualisées par conduite et par année ({fmt_int(n_rows, 'fr')} "
                            "conduites-années) ne contiennent aucune fuite sur laquelle apprendre")
    return ddf, futures, features, years, n_rows


def train_distributed(pooled_dir, *, client, as_of=None, config=None, out_dir=None, utility_ids=None,
                      priority_config=None, allow_spill: bool = False, network_params: dict | None = None,
                      progress: Progress | None = None) -> DistributedResult:
    """Train the risk model on a pooled set with Dask and write every utility's scores.

    Parameters
    ----------
    pooled_dir : path
        A pooled set from :func:`leakopt.distributed.write_pooled` (readable by every worker).
    client : distributed.Client
        Connected to the cluster (or a ``LocalCluster``).
    as_of : date, optional
        Forecast date for every utility; default each utility's own.
    config : RiskConfig, optional
        The single-machine settings; the same LightGBM parameters are used.
    out_dir : path, optional
        Where ``model.txt`` and ``risk/`` go (readable by the workers too);
        default ``pooled_dir``.
    utility_ids : sequence of str, optional
        A subset of the pooled utilities; default all.
    priority_config : PriorityConfig, optional
        For the per-utility rank, risk classes and priority zone.
    allow_spill : bool
        False (default): workers neither spill to disk nor pause while
        LightGBM trains (:func:`leakopt.distributed.memory.training_memory`).
    network_params : dict, optional
        LightGBM's distributed-training parameters (``local_listen_port``,
        ``machines``, ``time_out``), added to the model's parameters.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): the four phases, and the search's
        boosting rounds.

    Returns
    -------
    DistributedResult
    """

    config = config or RiskConfig()
    progress = progress or silent
    root, out = Path(pooled_dir), Path(out_dir if out_dir is not None else pooled_dir)
    ids = list(read_meta(root)[UTILITY_ID]) if utility_ids is None else [str(u) for u in utility_ids]
    network, run = _network_params(network_params), _Run(client)

    with run.phase("panel"):
        progress(f"building the pipe-year panels of {len(ids)} utilities", 0, 4)
        ddf, futures, features, years, n_rows = _panels(client, root, ids, as_of, config)
        params = {**lgb_params(config, n_rows, features), **network}
    with training_memory(client, allow_spill=allow_spill):
        with run.phase("search"):
            progress(f"searching the number of trees on {n_rows:,} pipe-years", 1, 4)
            best, curve = _search(client, ddf, futures, features, params, config, years, progress)
        with run.phase("refit"):
            progress(f"refitting {best} rounds on {n_rows:,} pipe-years", 2, 4)
            glm = fit_glm(client, futures, features, config, n_rows=n_rows)
            init = ddf.map_partitions(_offset_series, glm, meta=("offset", "f8"))
            booster = _fit(client, ddf, features, init, params, best)
            model_path = _save_model(booster, glm, features, config, out)
            del ddf, init
            client.cancel(futures)
    with run.phase("score"):
        progress("scoring every utility", 3, 4)
        done = _score_all(client, booster, glm, root, ids, as_of, config, out, priority_config)
    progress("every utility scored", 4, 4)
    return DistributedResult(out_dir=out, model_path=model_path, risk_dir=out / "risk",
                             features=tuple(features), best_iteration=int(best), train_rows=n_rows,
                             utilities=pd.DataFrame(done), validation_curve=np.asarray(curve),
                             timings=run.timings(), worker_memory=pd.concat(run.memory, ignore_index=True))


def _network_params(extra: dict | None) -> dict:
    allowed = {"local_listen_port", "machines", "time_out"}
    unknown = sorted(set(extra or {}) - allowed)
    if unknown:
        raise InputError(f"network_params: unknown key(s) {unknown}; expected some of {sorted(allowed)} "
                         "(the model's own parameters come from RiskConfig)",
                         fr=f"network_params : clés inconnues {unknown} ; attendu : certaines de {sorted(allowed)} "
                            "(les paramètres propres du modèle viennent de RiskConfig)")
    return dict(extra or {})


class _Run:
    """Wall time and worker memory at the end of each phase."""

    def __init__(self, client):
        self.client, self.seconds, self.memory, self.start = client, {}, [], time.perf_counter()

    @contextmanager
    def phase(self, name: str):
        t0 = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - t0, 2)
        self.memory.append(worker_memory(self.client).assign(phase=name))

    def timings(self) -> dict:
        return {**self.seconds, "total": round(time.perf_counter() - self.start, 2)}


def _search(client, ddf, futures, features, params, config, years, progress) -> tuple[int, np.ndarray]:
    """Number of trees by early stopping on the last ``validation_years`` years (100 with one year)."""
    n_val = validation_window(len(years), config.validation_years)
    if n_val < 1:
        log.warning("only one complete year of leak history: no early stopping, using 100 trees",
                    extra=in_french("une seule année complète d’historique de fuites : pas d’arrêt anticipé, "
                                    "100 arbres utilisés"))
        return 100, np.array([])
    cut = int(years[-1 - n_val])
    n_train = int(ddf["year"].le(cut).sum().compute())
    glm = fit_glm(client, futures, features, config, cut_year=cut, n_rows=n_train)
    return search_rounds(client, ddf, futures, features, params, config, cut, glm=glm, fit=_fit,
                         progress=progress)


def _score_all(client, booster, glm, root: Path, ids, as_of, config, out: Path, priority_config) -> list[dict]:
    model_str = client.scatter(booster.model_to_string(), broadcast=True)
    return client.gather([client.submit(_score_task, str(root), u, as_of, config, model_str, glm, str(out),
                                        priority_config, key=f"leakopt-score-{u}-{time.time_ns()}")
                          for u in ids])


def _save_model(booster, glm, features, config, out: Path) -> Path:
    """``model.txt`` (+ ``model.txt.glm.json``) through :meth:`leakopt.risk.RiskModel.save`."""
    model = RiskModel(config)
    model.booster, model.features, model.glm = booster, list(features), glm
    model.best_iteration = booster.current_iteration()
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.txt")
    return out / "model.txt"

"""Training and scoring on Dask, for pooled utilities that do not fit one machine.

The single-machine path (:func:`leakopt.risk.score_pipes`) is the default and
needs no Dask.  This module is the optional ``leakopt[dask]`` extra: ``dask``,
``distributed`` and ``lightgbm.dask`` are imported inside its functions only.

What it does, on a pooled set written by :mod:`leakopt.pooled` (Parquet, one
partition per utility or region):

1. **Panel**: one task per utility reads its partition and builds the
   pipe-year panel with :func:`leakopt.features.build_panel` (the very
   function of the single-machine path: same features); the panels stay on
   the workers as a Dask DataFrame with one partition per utility.
2. **Number of trees**: ``lightgbm.dask.DaskLGBMRegressor`` (Poisson
   objective, the parameters of :class:`leakopt.risk.RiskModel`) is trained
   on every year but the last ``validation_years``, with the single-machine
   offset as ``init_score`` (a Dask Series): log length, plus the log rate of
   the Poisson GLM the trees boost from when ``RiskConfig.glm_offset`` (the
   GLM is fitted on the client on a random sample of panel rows of the size
   the single-machine GLM subsamples to).  LightGBM's Dask interface does not support early
   stopping (workers stop at different rounds and hang, LightGBM issues
   #3712, #6351), so the validation Poisson deviance of every round is
   computed on the workers from the trained trees and LightGBM's
   early-stopping rule is applied to that curve.  Training restarts with
   twice the rounds until the rule stops inside the trained rounds (or
   ``n_estimators`` is reached); boosting rounds do not depend on the total,
   so this finds the round early stopping would have found.
3. **Refit** on every year with that number of trees (``refit_full``).
4. **Score**: one task per utility computes the features at the as-of date
   (:func:`leakopt.features.features_at`), predicts, ranks the utility's
   pipes and finds its priority zone (:func:`leakopt.priority.priority_zone`),
   and writes ``<out>/risk/utility_id=<id>/part-0.parquet``.  The model is
   saved in LightGBM's text format (``<out>/model.txt``); it loads with
   :meth:`leakopt.risk.RiskModel.load`.

Leak-signature simulations for pressure sensors fan out the same way
(:func:`simulate_distributed`).

Pointing it at a real cluster
-----------------------------
1. Install the same leakopt on the scheduler, every worker and the client:
   ``pip install "leakopt[dask]"`` (dask, distributed; lightgbm comes with leakopt).
2. Put the pooled Parquet where every worker reads the same path: a shared
   file system (NFS, Lustre), or object storage mounted at the same path.
   Write it there with :func:`leakopt.pooled.write_pooled` or
   :func:`leakopt.pooled.write_utility` (one call per utility, from anywhere).
3. Start the cluster (``dask scheduler`` on one host, ``dask worker
   tcp://scheduler:8786 --nthreads 4 --memory-limit 32GB`` on each; or
   dask-jobqueue / dask-kubernetes), open the ports LightGBM uses between
   workers (it picks free ones; pass ``lgb_params={"machines": ...}`` to fix
   them), then::

       from distributed import Client
       from leakopt.distributed import train_distributed
       client = Client("tcp://scheduler:8786")
       result = train_distributed("/shared/pooled", client=client, out_dir="/shared/run1")

   A worker needs memory for its utilities' panels (about 250 bytes per
   pipe-year) plus LightGBM's copy of them while training.
"""
from __future__ import annotations

import logging
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.pooled import UTILITY_ID, partition_path, read_meta

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


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
        after each round of the longest search run.
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
        from leakopt.risk import RiskModel
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
    from leakopt.pooled import utility_panel
    panel = utility_panel(root, utility_id, as_of=as_of, config=config)
    non_numeric = [c for c in config.extra_features
                   if c in panel and isinstance(panel[c].dtype, pd.CategoricalDtype)]
    if non_numeric:
        raise InputError(f"extra feature(s) {non_numeric} are text: the Dask path needs numeric extra "
                         "features (categories would be coded differently in each utility)")
    return panel


def _panel_stats(panel: pd.DataFrame) -> tuple[np.ndarray, int, float]:
    return np.unique(panel["year"].to_numpy()), len(panel), float(panel["leaks"].sum())


def offset(panel: pd.DataFrame, glm=None) -> np.ndarray:
    """The model's ``init_score``: log length (km), plus the GLM's log rate when it boosts from one."""
    base = np.log(panel["length_km"].to_numpy(dtype=float))
    return base + glm.log_rate(panel) if glm is not None else base


def _offset_series(panel: pd.DataFrame, glm) -> pd.Series:
    return pd.Series(offset(panel, glm), index=panel.index, name="offset")


def _sample_task(panel: pd.DataFrame, cut_year: int | None, frac: float, seed: int) -> pd.DataFrame:
    rows = panel if cut_year is None else panel[panel["year"].to_numpy() <= cut_year]
    if frac >= 1:
        return rows
    rng = np.random.default_rng(seed)
    return rows[rng.random(len(rows)) < frac]


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


def _validation_curve(model_str: str, panel: pd.DataFrame, features: list[str], cut_year: int,
                      n_rounds: int, glm=None) -> tuple[np.ndarray, int]:
    """Sum over validation rows of ``exp(s) - y s`` after each round, and the row count.

    One ``pred_leaf`` pass gives every row's leaf in every tree; the score
    after round ``i`` is then the offset plus the leaf values of trees ``<= i``.
    """
    import lightgbm as lgb
    val = panel[panel["year"].to_numpy() > cut_year]
    if val.empty:
        return np.zeros(n_rounds), 0
    booster = lgb.Booster(model_str=model_str)
    values = _leaf_values(booster)[:n_rounds]
    y = val["leaks"].to_numpy(dtype=float)
    curve = np.zeros(n_rounds)
    for lo in range(0, len(val), 200_000):   # bounded memory: rows x trees leaf indices
        chunk = val.iloc[lo:lo + 200_000]
        leaves = booster.predict(chunk[features], pred_leaf=True, num_iteration=n_rounds).reshape(len(chunk), -1)
        score, yc = offset(chunk, glm), y[lo:lo + 200_000]
        for i, v in enumerate(values):
            score = score + v[leaves[:, i]]
            curve[i] += float(np.sum(np.exp(score) - yc * score))
    return curve, len(val)


def _score_task(root: str, utility_id: str, as_of, config, model_str: str, glm, out_dir: str,
                priority_config) -> dict:
    import lightgbm as lgb

    from leakopt.pooled import utility_features
    from leakopt.priority import priority_zone
    from leakopt.risk import RiskModel
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


def _memory() -> dict:
    import psutil
    rss = psutil.Process().memory_info().rss / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak / 1024 if sys.platform != "darwin" else peak / 2**20
    return {"rss_mb": round(rss, 1), "peak_rss_mb": round(peak, 1)}


def worker_memory(client) -> pd.DataFrame:
    """Current and peak resident memory of every worker process: ``worker``, ``rss_mb``, ``peak_rss_mb``."""
    got = client.run(_memory)
    return pd.DataFrame([{"worker": w, **m} for w, m in sorted(got.items())])


# --- the driver ---------------------------------------------------------------------------

def early_stopping_round(curve: np.ndarray, rounds: int) -> tuple[int, bool]:
    """LightGBM's early-stopping rule applied to a per-round validation loss.

    Returns ``(best_iteration, stopped)``: the 1-based round of the lowest
    loss seen before ``rounds`` rounds without improvement, and whether that
    happened inside ``curve`` (else the best over the whole curve).
    """
    curve = np.asarray(curve, dtype=float)
    if curve.size == 0:
        raise InputError("early_stopping_round: empty validation curve")
    running = np.minimum.accumulate(curve)
    improved = np.r_[True, curve[1:] < running[:-1]]
    best_so_far = np.maximum.accumulate(np.where(improved, np.arange(curve.size), 0))
    stale = np.flatnonzero(np.arange(curve.size) - best_so_far >= int(rounds))
    if stale.size:
        return int(best_so_far[stale[0]]) + 1, True
    return int(best_so_far[-1]) + 1, False


def lgb_params(config, n_rows: int, features: list[str]) -> dict:
    """The single-machine model's LightGBM parameters (:class:`leakopt.risk.RiskModel`), for Dask."""
    from leakopt.risk import RiskModel
    model = RiskModel(config)
    model.features = list(features)
    params = model._params(int(n_rows))
    params.pop("num_threads", None)   # the Dask interface sets it to each worker's thread count
    return params


def panel_frame(client, root, utility_ids, *, as_of=None, config=None):
    """The pipe-year panel as a Dask DataFrame, one partition per utility, built on the workers.

    Returns ``(ddf, futures)``; the futures hold the partitions (release them
    to free the workers' memory).
    """
    import dask.dataframe as dd

    from leakopt.risk import RiskConfig
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
    from leakopt.risk import RiskModel
    model = RiskModel(config)
    model.features = list(features)
    if not getattr(config, "glm_offset", False) or not hasattr(model, "_glm"):
        return None
    from leakopt.baselines import PoissonGlm
    max_rows = PoissonGlm().max_rows
    frac = 1.0 if not n_rows else min(1.0, 1.2 * max_rows / n_rows)
    parts = client.gather([client.submit(_sample_task, f, cut_year, frac, int(config.seed) + i)
                           for i, f in enumerate(futures)])
    sample = pd.concat(parts, ignore_index=True)
    return model._glm(sample.drop(columns=[UTILITY_ID]))


def _fit(client, frame, features: list[str], glm, params: dict, n_rounds: int):
    import warnings

    from lightgbm.dask import DaskLGBMRegressor
    init = frame.map_partitions(_offset_series, glm, meta=("offset", "f8"))
    model = DaskLGBMRegressor(client=client, n_estimators=int(n_rounds), **params)
    with warnings.catch_warnings():   # n_jobs: Dask sets the threads of each worker itself
        warnings.filterwarnings("ignore", message="Parameter n_jobs will be ignored")
        model.fit(frame[features], frame["leaks"], init_score=init)
    return model.to_local().booster_


def _search_rounds(client, ddf, futures, features, params, config, cut_year: int, n_train: int,
                   progress: Progress):
    """Train on years <= cut_year with doubling round counts until LightGBM's early-stopping rule fires."""
    glm = fit_glm(client, futures, features, config, cut_year=cut_year, n_rows=n_train)
    train = ddf[ddf["year"] <= cut_year]
    rounds = int(config.early_stopping_rounds)
    n = min(int(config.n_estimators), max(2 * rounds, 200))
    while True:
        progress(0.3, f"search: training {n} rounds on the years up to {cut_year}")
        booster = _fit(client, train, features, glm, params, n)
        model_str = booster.model_to_string()
        parts = client.gather([client.submit(_validation_curve, model_str, f, features, cut_year,
                                             booster.current_iteration(), glm) for f in futures])
        curve = sum(c for c, _ in parts) / max(sum(k for _, k in parts), 1)
        best, stopped = early_stopping_round(curve, rounds)
        log.info("search with %d rounds: best round %d (stopped: %s)", n, best, stopped)
        if stopped or n >= int(config.n_estimators) or booster.current_iteration() < n:
            return best, curve
        n = min(2 * n, int(config.n_estimators))


def _panels(client, root, ids, as_of, config):
    """Build the panels on the workers: (ddf, futures, features, panel years, rows)."""
    from leakopt.features import feature_columns
    ddf, futures = panel_frame(client, root, ids, as_of=as_of, config=config)
    features = [c for c in feature_columns(ddf._meta) if c != UTILITY_ID]
    stats = client.gather([client.submit(_panel_stats, f) for f in futures])
    years = np.unique(np.concatenate([y for y, _, _ in stats]))
    n_rows = sum(n for _, n, _ in stats)
    if n_rows == 0 or sum(k for _, _, k in stats) <= 0:
        raise InputError(f"the pooled panels ({n_rows} pipe-years) hold no leak to learn from")
    return ddf, futures, features, years, n_rows


def train_distributed(pooled_dir, *, client, as_of=None, config=None, out_dir=None, utility_ids=None,
                      priority_config=None, progress: Progress | None = None) -> DistributedResult:
    """Train the risk model on a pooled set with Dask and write every utility's scores.

    Parameters
    ----------
    pooled_dir : path
        A pooled set from :func:`leakopt.pooled.write_pooled` (readable by every worker).
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
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    DistributedResult
    """
    from leakopt.risk import RiskConfig
    config = config or RiskConfig()
    progress = progress or (lambda f, m: None)
    root, out = Path(pooled_dir), Path(out_dir if out_dir is not None else pooled_dir)
    ids = list(read_meta(root)[UTILITY_ID]) if utility_ids is None else [str(u) for u in utility_ids]
    timings, memory, t_all = {}, [], time.perf_counter()

    def phase_done(name, t0):
        timings[name] = round(time.perf_counter() - t0, 2)
        memory.append(worker_memory(client).assign(phase=name))

    t0 = time.perf_counter()
    progress(0.0, f"building the pipe-year panels of {len(ids)} utilities")
    ddf, futures, features, years, n_rows = _panels(client, root, ids, as_of, config)
    params = lgb_params(config, n_rows, features)
    phase_done("panel", t0)

    t0 = time.perf_counter()
    n_val = min(int(config.validation_years), len(years) - 1)
    curve = np.array([])
    if n_val >= 1:
        cut = int(years[-1 - n_val])
        n_train = int(ddf["year"].le(cut).sum().compute())
        best, curve = _search_rounds(client, ddf, futures, features, params, config, cut, n_train, progress)
    else:
        log.warning("only one complete year of leak history: no early stopping, using 100 trees")
        best = 100
    phase_done("search", t0)

    t0 = time.perf_counter()
    progress(0.6, f"refitting {best} rounds on {n_rows:,} pipe-years")
    glm = fit_glm(client, futures, features, config, n_rows=n_rows)
    booster = _fit(client, ddf, features, glm, params, best)
    model_path = _save_model(booster, glm, features, config, out)
    del ddf
    client.cancel(futures)
    phase_done("refit", t0)

    t0 = time.perf_counter()
    progress(0.8, "scoring every utility")
    model_str = client.scatter(booster.model_to_string(), broadcast=True)
    done = client.gather([client.submit(_score_task, str(root), u, as_of, config, model_str, glm, str(out),
                                        priority_config, key=f"leakopt-score-{u}-{time.time_ns()}")
                          for u in ids])
    phase_done("score", t0)
    timings["total"] = round(time.perf_counter() - t_all, 2)
    progress(1.0, "done")
    return DistributedResult(out_dir=out, model_path=model_path, risk_dir=out / "risk",
                             features=tuple(features), best_iteration=int(best), train_rows=n_rows,
                             utilities=pd.DataFrame(done), validation_curve=np.asarray(curve),
                             timings=timings, worker_memory=pd.concat(memory, ignore_index=True))


def _save_model(booster, glm, features, config, out: Path) -> Path:
    """``model.txt`` (+ ``model.txt.glm.json``) through :meth:`leakopt.risk.RiskModel.save`."""
    from leakopt.risk import RiskModel
    model = RiskModel(config)
    model.booster, model.features, model.glm = booster, list(features), glm
    model.best_iteration = booster.current_iteration()
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.txt")
    return out / "model.txt"


# --- leak-signature simulations for pressure sensors ----------------------------------------

def _drops_chunk(network, scenario_nodes: list[str], sensor_nodes: list[str], config,
                 method: str) -> tuple[np.ndarray, np.ndarray]:
    from leakopt import pressure
    wn = pressure._wntr_model(network)
    if method == "simulate":
        return pressure.simulate_drops(wn, scenario_nodes, sensor_nodes, config)
    return pressure.sensitivity_drops(wn, scenario_nodes, sensor_nodes, config)


def pressure_drops_distributed(network, risk: pd.DataFrame, *, client, config=None, chunk_size: int = 25,
                               progress: Progress | None = None):
    """:func:`leakopt.pressure.pressure_drops` with the leak scenarios fanned out as Dask tasks.

    The scenarios are cut into chunks of ``chunk_size``; each task loads the
    network from ``network.inp_path`` (a path every worker can read) and runs
    the pressure module's own per-scenario function on its chunk
    (:func:`leakopt.pressure.simulate_drops` for ``method="simulate"``, one WNTR
    run per scenario plus one baseline per chunk;
    :func:`leakopt.pressure.sensitivity_drops` otherwise).  The result is the
    same as the single-machine call.

    Returns
    -------
    scenarios : DataFrame
        ``node_id``, ``weight``, ``leak_flow_m3s``.
    drops : DataFrame
        Index: candidate sensor node IDs; columns: scenario node IDs; values: metres.
    """
    from leakopt.pressure import PressureConfig, _wntr_model, junction_risk
    config = config or PressureConfig()
    if int(chunk_size) < 1:
        raise InputError(f"chunk_size={chunk_size!r}; expected an integer >= 1")
    wn = _wntr_model(network)
    weight = junction_risk(network, risk).reindex(wn.junction_name_list).fillna(0.0)
    weight = weight[weight > 0].sort_values(ascending=False, kind="stable").iloc[: int(config.n_scenarios)]
    if weight.empty:
        raise InputError("no junction touches a pipe with expected leaks > 0: nothing to detect")
    types = {t.lower() for t in config.candidate_node_types}
    sensors = [n for n, node in wn.nodes() if node.node_type.lower() in types]
    scen = list(weight.index)
    chunks = [scen[i:i + int(chunk_size)] for i in range(0, len(scen), int(chunk_size))]
    net = client.scatter(network, broadcast=True)
    futures = [client.submit(_drops_chunk, net, c, sensors, config, config.method, pure=False) for c in chunks]
    results = []
    for i, f in enumerate(futures):
        results.append(f.result())
        if progress:
            progress((i + 1) / len(futures), f"leak scenarios: {min((i + 1) * chunk_size, len(scen))}/{len(scen)}")
    drops = np.concatenate([d for d, _ in results], axis=1)
    flows = np.concatenate([q for _, q in results])
    scenarios = pd.DataFrame({"node_id": scen, "weight": weight.to_numpy(), "leak_flow_m3s": flows})
    return scenarios, pd.DataFrame(drops, index=pd.Index(sensors, name="node_id"), columns=scen)

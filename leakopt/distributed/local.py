"""A pooled set on one machine: synthetic pooled sets, per-utility panels and features, and a local fit.

:func:`fit_local` is the single-machine reference that the Dask path
(:func:`leakopt.distributed.train_distributed`) is checked against.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.io.pooled import UTILITY_ID, PooledSet, read_meta, read_utility, write_utility
from leakopt.risk import RiskConfig, RiskModel, build_panel, features_at, panel_options
from leakopt.schema import Progress
from leakopt.synth import synthesize
from leakopt.validate import validate

log = logging.getLogger(__name__)


def utility_panel(root, utility_id: str, *, as_of=None, config=None) -> pd.DataFrame:
    """The pipe-year panel of one pooled utility (:func:`leakopt.risk.features.build_panel`), with ``utility_id``.
    ``config`` is a :class:`leakopt.risk.RiskConfig` (its extra features and
    neighbour distance are used).  ``utility_id`` is the first column.
    """

    config = config or RiskConfig()
    utility = read_utility(root, utility_id, as_of=as_of)
    panel = build_panel(utility, **panel_options(config))
    panel.insert(0, UTILITY_ID, utility_id)
    return panel


def utility_features(root, utility_id: str, *, as_of=None, config=None) -> pd.DataFrame:
    """Scoring features of one pooled utility at its as-of date (:func:`leakopt.risk.features.features_at`)."""
    config = config or RiskConfig()
    utility = read_utility(root, utility_id, as_of=as_of)
    feats = features_at(utility, **panel_options(config))
    length = utility.pipes.set_index(S.PIPE_ID)[S.LENGTH]
    feats = feats.assign(**{S.LENGTH: length.reindex(feats[S.PIPE_ID]).to_numpy()})
    feats.insert(0, UTILITY_ID, utility_id)
    return feats


def fit_local(root, *, as_of=None, config=None, utility_ids=None):
    """Single-machine reference: one :class:`leakopt.risk.RiskModel` on the concatenated panels.

    Loads everything in memory: for pooled sets that fit one machine, and for
    checking the Dask path (:func:`leakopt.distributed.train.train_distributed`).

    Returns
    -------
    (RiskModel, DataFrame)
        The model and the scores: ``utility_id``, ``pipe_id``,
        ``expected_leaks_per_year``, ``leaks_per_km_year``, ``length_m``.
    """

    config = config or RiskConfig()
    ids = list(read_meta(root)[UTILITY_ID]) if utility_ids is None else [str(u) for u in utility_ids]
    panel = pd.concat([utility_panel(root, u, as_of=as_of, config=config) for u in ids], ignore_index=True)
    model = RiskModel(config).fit(panel.drop(columns=[UTILITY_ID]))
    del panel
    feats = pd.concat([utility_features(root, u, as_of=as_of, config=config) for u in ids], ignore_index=True)
    expected = model.predict(feats)
    scores = pd.DataFrame({UTILITY_ID: feats[UTILITY_ID].to_numpy(), S.PIPE_ID: feats[S.PIPE_ID].to_numpy(),
                           "expected_leaks_per_year": expected,
                           "leaks_per_km_year": expected / feats["length_km"].to_numpy(dtype=float),
                           S.LENGTH: feats[S.LENGTH].to_numpy(dtype=float)})
    return model, scores


def synth_utility(n_pipes: int, *, seed: int, config=None) -> S.Utility:
    """A validated synthetic utility: :func:`leakopt.synth.synthesize` then :func:`leakopt.validate.validate`."""
    s = synthesize(n_pipes, seed=seed, config=config)
    return validate(s.pipes, s.leaks, network=s.network)


def write_pooled(out_dir, *, n_utilities: int, pipes_per_utility: int, seed: int = 0,
                 synth_config=None, progress: Progress | None = None) -> PooledSet:
    """Write ``n_utilities`` synthetic utilities as a pooled Parquet set.

    Each utility is synthesised with seed ``seed + i``, validated, written and
    released before the next one, so peak memory is that of one utility.

    Parameters
    ----------
    out_dir : path
        Folder of the pooled set (see the module docstring for its layout).
    n_utilities, pipes_per_utility : int
        Sizes; utility ``i`` is named ``U0000``, ``U0001``, ...
    seed : int
        Seed of the first utility.
    synth_config : SynthConfig, optional
        Passed to :func:`leakopt.synth.synthesize`.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`), counting the utilities written.

    Returns
    -------
    PooledSet
    """
    if int(n_utilities) < 1 or int(pipes_per_utility) < 1:
        raise InputError(f"write_pooled: n_utilities={n_utilities} and pipes_per_utility="
                         f"{pipes_per_utility} must both be at least 1",
                         fr=f"write_pooled : n_utilities={n_utilities} et pipes_per_utility={pipes_per_utility} "
                            "doivent tous deux valoir au moins 1")
    root = Path(out_dir)
    ids, n_pipes, n_leaks = [], 0, 0
    for i in range(int(n_utilities)):
        uid = f"U{i:04d}"
        if progress:
            progress(f"synthesising utility {uid} ({pipes_per_utility:,} pipes)", i, int(n_utilities))
        meta = write_utility(root, uid, synth_utility(pipes_per_utility, seed=seed + i, config=synth_config))
        ids.append(uid)
        n_pipes += meta["n_pipes"]
        n_leaks += meta["n_leaks"]
        log.info("pooled: wrote %s (%d pipes, %d leaks)", uid, meta["n_pipes"], meta["n_leaks"],
                 extra=in_french("ensemble commun : %s écrit (%d conduites, %d fuites)"))
    if progress:
        progress(f"utilities written to {root}", len(ids), int(n_utilities))
    return PooledSet(root=root, utility_ids=tuple(ids), n_pipes=n_pipes, n_leaks=n_leaks)

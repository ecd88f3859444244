"""Many utilities pooled on disk as Parquet, one partition per utility (or region).

The Dask path (:mod:`leakopt.distributed`) reads this layout; it is also a
plain pyarrow/pandas dataset any tool can read.  Layout under ``root``::

    root/pipes/utility_id=<id>/part-0.parquet    validated pipes of one utility
    root/leaks/utility_id=<id>/part-0.parquet    its usable leaks
    root/meta/<id>.json                          as_of, first_record_year, crs, counts

Reading ``root/pipes`` (or ``root/leaks``) as a dataset, e.g.
``pd.read_parquet(root / "pipes")``, gives every utility with a
``utility_id`` column (from the hive partition key).  ``pipe_id`` is unique
within a utility; the pair (``utility_id``, ``pipe_id``) is unique overall.
Frames are the validated ones of :mod:`leakopt.schema` without ``geometry``
(the topology stays, via ``start_node`` / ``end_node`` and midpoints ``x``, ``y``).

Writing streams one utility at a time, so memory stays flat whatever the
number of utilities.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.progress import Progress

log = logging.getLogger(__name__)

UTILITY_ID = "utility_id"
_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class PooledSet:
    """A pooled dataset on disk.

    Attributes
    ----------
    root : Path
    utility_ids : tuple of str
        In writing order (sorted when read back).
    n_pipes, n_leaks : int
        Totals over all utilities.
    """

    root: Path
    utility_ids: tuple[str, ...]
    n_pipes: int
    n_leaks: int


def partition_path(root, kind: str, utility_id: str) -> Path:
    """File of one utility's ``kind`` ("pipes", "leaks" or "risk") partition."""
    return Path(root) / kind / f"{UTILITY_ID}={utility_id}" / "part-0.parquet"


def _check_id(utility_id: str) -> str:
    utility_id = str(utility_id)
    if not _ID_PATTERN.match(utility_id):
        raise InputError(f"utility_id {utility_id!r} cannot name a partition folder; use letters, "
                         "digits, '_', '-' or '.' only")
    return utility_id


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop geometry and turn object columns into strings pyarrow can store."""
    out = frame.drop(columns=[c for c in (S.GEOMETRY,) if c in frame])
    conv = {c: out[c].astype("string") for c in out.columns
            if out[c].dtype == object and c not in (S.DATE,)}
    return out.assign(**conv) if conv else out


def write_utility(root, utility_id: str, utility: S.Utility) -> dict:
    """Write one validated utility as a partition of the pooled set at ``root``.

    Parameters
    ----------
    root : path
        Pooled set folder (created if needed).
    utility_id : str
        Partition key; letters, digits, ``_``, ``-``, ``.``.
    utility : Utility
        Validated inputs (see :mod:`leakopt.schema`).

    Returns
    -------
    dict
        The partition's metadata, also written to ``root/meta/<id>.json``.
    """
    utility_id = _check_id(utility_id)
    pipes = utility.pipes
    if not pipes[S.PIPE_ID].astype(str).is_unique:
        dup = pipes[S.PIPE_ID][pipes[S.PIPE_ID].astype(str).duplicated()].iloc[0]
        raise InputError(f"utility {utility_id}: pipe_id {dup!r} appears more than once; pipe IDs must "
                         "be unique within a utility")
    for kind, frame in (("pipes", pipes), ("leaks", utility.leaks)):
        path = partition_path(root, kind, utility_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        _parquet_safe(frame.drop(columns=[UTILITY_ID], errors="ignore")).to_parquet(path, index=False)
    meta = {UTILITY_ID: utility_id, "as_of": pd.Timestamp(utility.as_of).isoformat(),
            "first_record_year": None if utility.first_record_year is None else int(utility.first_record_year),
            "crs": utility.crs, "n_pipes": len(pipes), "n_leaks": len(utility.leaks),
            "length_km": float(pipes[S.LENGTH].sum() / 1000.0)}
    meta_path = Path(root) / "meta" / f"{utility_id}.json"
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def read_meta(root) -> pd.DataFrame:
    """One row per utility of the pooled set: ``utility_id``, ``as_of``, counts, ... (sorted)."""
    folder = Path(root) / "meta"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise InputError(f"pooled data folder {root} holds no utility (no {folder}/*.json); write it with "
                         "leakopt.pooled.write_pooled or write_utility")
    meta = pd.DataFrame([json.loads(f.read_text(encoding="utf-8")) for f in files])
    return meta.sort_values(UTILITY_ID, ignore_index=True)


def read_utility(root, utility_id: str, *, as_of=None) -> S.Utility:
    """Read one utility of a pooled set back as a :class:`leakopt.schema.Utility`.

    With ``as_of``, only leaks strictly before it and pipes installed in or
    before its year are kept (as ``leakopt run --as-of`` does); it must not be
    after the utility's own as-of date.
    """
    utility_id = _check_id(utility_id)
    meta_path = Path(root) / "meta" / f"{utility_id}.json"
    if not meta_path.is_file():
        raise InputError(f"utility {utility_id!r} is not in the pooled data at {root} (no {meta_path})")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    pipes = pd.read_parquet(partition_path(root, "pipes", utility_id))
    leaks = pd.read_parquet(partition_path(root, "leaks", utility_id))
    pipes[S.PIPE_ID] = pipes[S.PIPE_ID].astype(str)
    leaks[S.PIPE_ID] = leaks[S.PIPE_ID].astype(str)
    own = pd.Timestamp(meta["as_of"])
    ts = own if as_of is None else pd.Timestamp(as_of)
    if ts > own:
        raise InputError(f"as_of {ts.date()} is after the as-of date {own.date()} of utility {utility_id} "
                         "in the pooled data: its leaks after that date are unknown")
    if ts < own:
        pipes = pipes[pipes[S.INSTALL_YEAR] <= ts.year].reset_index(drop=True)
        leaks = leaks[(leaks[S.DATE] < ts) & leaks[S.PIPE_ID].isin(pipes[S.PIPE_ID])].reset_index(drop=True)
    return S.Utility(pipes=pipes, leaks=leaks, as_of=ts, crs=meta.get("crs"),
                     first_record_year=meta.get("first_record_year"),
                     sources={"pooled": str(root), UTILITY_ID: utility_id})


def utility_panel(root, utility_id: str, *, as_of=None, config=None) -> pd.DataFrame:
    """The pipe-year panel of one pooled utility (:func:`leakopt.features.build_panel`), with ``utility_id``.

    ``config`` is a :class:`leakopt.risk.RiskConfig` (its extra features and
    neighbour distance are used).  ``utility_id`` is the first column.
    """
    from leakopt.features import build_panel
    from leakopt.risk import RiskConfig
    config = config or RiskConfig()
    utility = read_utility(root, utility_id, as_of=as_of)
    panel = build_panel(utility, extra_features=config.extra_features,
                        neighbour_distance_m=config.neighbour_distance_m)
    panel.insert(0, UTILITY_ID, utility_id)
    return panel


def utility_features(root, utility_id: str, *, as_of=None, config=None) -> pd.DataFrame:
    """Scoring features of one pooled utility at its as-of date (:func:`leakopt.features.features_at`)."""
    from leakopt.features import features_at
    from leakopt.risk import RiskConfig
    config = config or RiskConfig()
    utility = read_utility(root, utility_id, as_of=as_of)
    feats = features_at(utility, extra_features=config.extra_features,
                        neighbour_distance_m=config.neighbour_distance_m)
    length = utility.pipes.set_index(S.PIPE_ID)[S.LENGTH]
    feats = feats.assign(**{S.LENGTH: length.reindex(feats[S.PIPE_ID]).to_numpy()})
    feats.insert(0, UTILITY_ID, utility_id)
    return feats


def fit_local(root, *, as_of=None, config=None, utility_ids=None):
    """Single-machine reference: one :class:`leakopt.risk.RiskModel` on the concatenated panels.

    Loads everything in memory: for pooled sets that fit one machine, and for
    checking the Dask path (:func:`leakopt.distributed.train_distributed`).

    Returns
    -------
    (RiskModel, DataFrame)
        The model and the scores: ``utility_id``, ``pipe_id``,
        ``expected_leaks_per_year``, ``leaks_per_km_year``, ``length_m``.
    """
    from leakopt.risk import RiskConfig, RiskModel
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
    from leakopt.synth import synthesize
    from leakopt.validate import validate
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
        ``progress(step, done, total)`` (:mod:`leakopt.progress`), counting the utilities written.

    Returns
    -------
    PooledSet
    """
    if int(n_utilities) < 1 or int(pipes_per_utility) < 1:
        raise InputError(f"write_pooled: n_utilities={n_utilities} and pipes_per_utility="
                         f"{pipes_per_utility} must both be at least 1")
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
        log.info("pooled: wrote %s (%d pipes, %d leaks)", uid, meta["n_pipes"], meta["n_leaks"])
    if progress:
        progress(f"utilities written to {root}", len(ids), int(n_utilities))
    return PooledSet(root=root, utility_ids=tuple(ids), n_pipes=n_pipes, n_leaks=n_leaks)


def open_pooled(root) -> PooledSet:
    """The :class:`PooledSet` already on disk at ``root``."""
    meta = read_meta(root)
    return PooledSet(root=Path(root), utility_ids=tuple(meta[UTILITY_ID].astype(str)),
                     n_pipes=int(meta["n_pipes"].sum()), n_leaks=int(meta["n_leaks"].sum()))

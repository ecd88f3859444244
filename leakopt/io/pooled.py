"""Many utilities pooled on disk as Parquet, one partition per utility (or region).

The Dask path (:mod:`leakopt.distributed.train`) reads this layout; it is also a
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
                         "digits, '_', '-' or '.' only",
                         fr=f"utility_id {utility_id!r} ne peut pas nommer un dossier de partition ; n’employez que "
                            "des lettres, des chiffres, '_', '-' ou '.'")
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
                         "be unique within a utility",
                         fr=f"service {utility_id} : le pipe_id {dup!r} apparaît plusieurs fois ; les identifiants "
                            "de conduite doivent être uniques au sein d’un service")
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
                         "leakopt.distributed.write_pooled or write_utility",
                         fr=f"le dossier de données mutualisées {root} ne contient aucun service (pas de "
                            f"{folder}/*.json) ; écrivez-le avec leakopt.distributed.write_pooled ou write_utility")
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
        raise InputError(f"utility {utility_id!r} is not in the pooled data at {root} (no {meta_path})",
                         fr=f"le service {utility_id!r} n’est pas dans les données mutualisées de {root} (pas de "
                            f"{meta_path})")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    pipes = pd.read_parquet(partition_path(root, "pipes", utility_id))
    leaks = pd.read_parquet(partition_path(root, "leaks", utility_id))
    pipes[S.PIPE_ID] = pipes[S.PIPE_ID].astype(str)
    leaks[S.PIPE_ID] = leaks[S.PIPE_ID].astype(str)
    own = pd.Timestamp(meta["as_of"])
    ts = own if as_of is None else pd.Timestamp(as_of)
    if ts > own:
        raise InputError(f"as_of {ts.date()} is after the as-of date {own.date()} of utility {utility_id} "
                         "in the pooled data: its leaks after that date are unknown",
                         fr=f"as_of {ts.date()} est postérieur à la date de prévision {own.date()} du service "
                            f"{utility_id} dans les données mutualisées : ses fuites après cette date sont "
                            "inconnues")
    if ts < own:
        pipes = pipes[pipes[S.INSTALL_YEAR] <= ts.year].reset_index(drop=True)
        leaks = leaks[(leaks[S.DATE] < ts) & leaks[S.PIPE_ID].isin(pipes[S.PIPE_ID])].reset_index(drop=True)
    return S.Utility(pipes=pipes, leaks=leaks, as_of=ts, crs=meta.get("crs"),
                     first_record_year=meta.get("first_record_year"),
                     sources={"pooled": str(root), UTILITY_ID: utility_id})


def open_pooled(root) -> PooledSet:
    """The :class:`PooledSet` already on disk at ``root``."""
    meta = read_meta(root)
    return PooledSet(root=Path(root), utility_ids=tuple(meta[UTILITY_ID].astype(str)),
                     n_pipes=int(meta["n_pipes"].sum()), n_leaks=int(meta["n_leaks"].sum()))

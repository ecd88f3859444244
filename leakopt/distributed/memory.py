"""Dask worker memory while leakopt trains: measured, and no spilling or pausing during training.

LightGBM copies the training rows into its own Dataset: memory Dask does not
manage.  Past the ``spill`` fraction of its memory limit a Dask worker then
pickles the panel partitions to disk (only to read them back for the next
phase), and past ``pause`` it stops running tasks and exchanging data, which
stalls LightGBM's own network between workers; the workers' logs fill with
spilling, pickling and socket errors although nothing is wrong.
:func:`training_memory` switches ``target``, ``spill`` and ``pause`` off on every
worker for the training phases and restores them afterwards.  The nanny's
``terminate`` fraction stays: a worker that truly runs out of memory is still
restarted and the run fails with ``KilledWorker`` (a real error is not hidden).

On a real cluster the same can be set once for all in the workers' Dask
configuration (``distributed.worker.memory.target/spill/pause: false``, e.g.
``DASK_DISTRIBUTED__WORKER__MEMORY__SPILL=False``) with ``--memory-limit``
sized for a worker's panels plus LightGBM's copy of them.
"""
from __future__ import annotations

import logging
import resource
import sys
from contextlib import contextmanager

import pandas as pd

from leakopt.i18n import in_french

log = logging.getLogger(__name__)

_OFF = {"target": False, "spill": False, "pause": False, "n": float("inf")}


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


def _set_memory_settings(saved: dict | None = None, dask_worker=None) -> dict:
    """On a worker: apply ``saved[address]`` (or switch spilling/pausing off); return the previous settings."""
    from distributed.core import Status
    mm, data = dask_worker.memory_manager, dask_worker.memory_manager.data
    old = {"target": mm.memory_target_fraction, "spill": mm.memory_spill_fraction,
           "pause": mm.memory_pause_fraction, "n": getattr(data, "n", None)}
    new = _OFF if saved is None else saved.get(dask_worker.address, old)
    mm.memory_target_fraction, mm.memory_spill_fraction = new["target"], new["spill"]
    mm.memory_pause_fraction = new["pause"]
    if new["n"] is not None and hasattr(data, "n"):   # the SpillBuffer's managed-memory target (bytes)
        data.n = new["n"]
    if new["pause"] is False and dask_worker.status == Status.paused:
        dask_worker.status = Status.running
    return old


def memory_settings(client) -> pd.DataFrame:
    """Every worker's ``target``, ``spill``, ``pause`` fractions (False: off): ``worker`` + those columns."""
    got = client.run(_memory_fractions)
    return pd.DataFrame([{"worker": w, **m} for w, m in sorted(got.items())])


def _memory_fractions(dask_worker=None) -> dict:
    mm = dask_worker.memory_manager
    return {"target": mm.memory_target_fraction, "spill": mm.memory_spill_fraction,
            "pause": mm.memory_pause_fraction}


@contextmanager
def training_memory(client, *, allow_spill: bool = False):
    """Within the block, no worker spills to disk or pauses (see the module docstring).

    Parameters
    ----------
    client : distributed.Client
    allow_spill : bool
        True leaves the workers' settings alone.
    """
    if allow_spill:
        yield
        return
    saved = client.run(_set_memory_settings, None)
    log.info("worker memory: spilling and pausing off while training (%d workers)", len(saved),
                 extra=in_french("mémoire des workers : ni écriture sur disque ni pause pendant l’apprentissage "
                                 "(%d workers)"))
    try:
        yield
    finally:
        client.run(_set_memory_settings, saved)

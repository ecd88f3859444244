"""Consequence of failure with the pressure-dependent simulations fanned out as Dask tasks.

:func:`consequence_distributed` is :func:`leakopt.consequence.consequence_of_failure` with
the segments to simulate cut into one chunk per worker thread of the cluster, each chunk a
Dask task (:func:`leakopt.consequence.pdd.simulate_chunk`: it opens the network's ``.inp``
once and shuts its segments in turn).  Each segment's figures depend on that segment only,
so the result is the single-machine one.  Every worker must read ``network.inp_path`` (a
shared path on a real cluster).
"""
from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd

from leakopt.consequence import Consequence, ConsequenceConfig, consequence_of_failure
from leakopt.i18n import in_french
from leakopt.schema import Network, Progress

log = logging.getLogger(__name__)


def cluster_threads(client) -> int:
    """Worker threads of the cluster ``client`` is connected to (at least 1)."""
    return max(1, sum(int(n) for n in client.nthreads().values()))


def consequence_distributed(pipes: pd.DataFrame, network: Network | None = None, *, client,
                            config: ConsequenceConfig | None = None, valves: pd.DataFrame | None = None,
                            likelihood: pd.Series | None = None,
                            progress: Progress | None = None) -> Consequence:
    """:func:`leakopt.consequence.consequence_of_failure`, the simulations run on a Dask cluster.

    Parameters
    ----------
    pipes, network, valves, likelihood, progress
        As :func:`~leakopt.consequence.consequence_of_failure`.
    client : distributed.Client
    config : ConsequenceConfig, optional
        ``pdd_workers`` unset: one chunk of segments per worker thread of the cluster.

    Returns
    -------
    Consequence
        ``summary["pdd"]`` adds ``dask_tasks``; its ``cpu_seconds`` is the workers' CPU time.
    """
    cfg = config or ConsequenceConfig()
    if cfg.pdd_workers is None:
        cfg = replace(cfg, pdd_workers=cluster_threads(client))
    tasks = []

    def on_cluster(fn, args_list):
        futures = [client.submit(fn, *args, pure=False) for args in args_list]
        tasks.append(len(futures))
        return client.gather(futures)

    result = consequence_of_failure(pipes, network, config=cfg, valves=valves, likelihood=likelihood,
                                    map_chunks=on_cluster, progress=progress)
    pdd = result.summary.get("pdd", {})
    if pdd.get("status") == "ok":
        pdd["dask_tasks"] = int(sum(tasks))
        log.info("%d segments simulated in %d Dask tasks", pdd["n_segments_simulated"], pdd["dask_tasks"],
             extra=in_french("%d tronçons simulés en %d tâches Dask"))
    return result

"""Leak-signature simulations for pressure sensors, fanned out as Dask tasks.

The same steps as :func:`leakopt.placement.pressure.pressure_drops` (scenarios chosen
by :func:`leakopt.placement.pressure.select_scenarios`, candidate nodes by
:func:`leakopt.placement.pressure.sensor_candidates`, drops by
:func:`leakopt.placement.pressure.scenario_drops`), with the scenarios cut into chunks,
one Dask task per chunk.  Each scenario's column of the drop matrix depends on
that scenario only, so the result is the single-machine one.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.placement.pressure import (
    PressureConfig,
    drops_frame,
    scenario_drops,
    select_scenarios,
    sensor_candidates,
    wntr_model,
)
from leakopt.schema import Progress

log = logging.getLogger(__name__)


def _drops_chunk(network, scenario_nodes: list[str], sensor_nodes: list[str], config) -> tuple[np.ndarray, np.ndarray]:
    return scenario_drops(wntr_model(network), scenario_nodes, sensor_nodes, config=config)


def pressure_drops_distributed(network, risk: pd.DataFrame, *, client, config=None, chunk_size: int = 25,
                               progress: Progress | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`leakopt.placement.pressure.pressure_drops` with the leak scenarios fanned out as Dask tasks.
    Parameters
    ----------
    network : Network
        From an EPANET file; every worker must read ``network.inp_path``
        (a shared path on a real cluster).
    risk : DataFrame
        ``pipe_id``, ``expected_leaks_per_year``.
    client : distributed.Client
    config : PressureConfig, optional
    chunk_size : int
        Scenarios per task.  With ``method="simulate"`` a task runs one WNTR
        simulation per scenario plus one baseline; with ``"sensitivity"`` one
        baseline and one factorisation per task, so larger chunks pay off.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`), counting scenarios as chunks finish.

    Returns
    -------
    scenarios : DataFrame
        ``node_id``, ``weight``, ``leak_flow_m3s``.
    drops : DataFrame
        Index: candidate sensor node IDs; columns: scenario node IDs; values: metres.
    """
    config = config or PressureConfig()
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise InputError(f"chunk_size={chunk_size!r}; expected an integer >= 1",
                         fr=f"chunk_size={chunk_size!r} ; attendu : un nombre entier ≥ 1")
    wn = wntr_model(network)
    scenarios = select_scenarios(network, risk, config=config, wn=wn)
    sensors = sensor_candidates(wn, config=config)
    scen = scenarios["node_id"].tolist()
    chunks = [scen[i:i + int(chunk_size)] for i in range(0, len(scen), int(chunk_size))]
    net = client.scatter(network, broadcast=True)
    futures = [client.submit(_drops_chunk, net, c, sensors, config, pure=False) for c in chunks]
    results, done = [], 0
    for f, chunk in zip(futures, chunks):   # in order: the columns follow the scenarios
        results.append(f.result())
        done += len(chunk)
        if progress:
            progress("leak scenarios", done, len(scen))
    log.info("%d leak scenarios in %d Dask tasks (%s)", len(scen), len(chunks), config.method,
             extra=in_french("%d scénarios de fuite en %d tâches Dask (%s)"))
    drops = np.concatenate([d for d, _ in results], axis=1)
    flows = np.concatenate([q for _, q in results])
    return scenarios.assign(leak_flow_m3s=flows), drops_frame(drops, sensors, scen)

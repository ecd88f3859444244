"""Hydraulic context of every pipe from an EPANET simulation (WNTR).

An extended-period simulation (default 24 h, hourly) of the network's
``.inp`` with ``wntr.sim.EpanetSimulator`` gives, per pipe:

====================  ======================================================
pressure_mean_m       mean pressure (m) over time, averaged over both end nodes
pressure_max_m        highest pressure at either end node
pressure_range_m      daily pressure swing (max - min) at the worse end node
velocity_mean_ms      mean absolute flow velocity (m/s)
velocity_max_ms       highest absolute flow velocity (m/s)
====================  ======================================================

EPANET's files go to a temporary folder, never the working directory.
"""
from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.io import read_wntr
from leakopt.schema import Network, Progress, silent

log = logging.getLogger(__name__)

HYDRAULIC_COLUMNS = ("pressure_mean_m", "pressure_max_m", "pressure_range_m", "velocity_mean_ms",
                     "velocity_max_ms")


@dataclass(frozen=True)
class HydraulicsStatus:
    """What became of a run's hydraulic simulation, for ``manifest.json``, the summary and the report.

    Attributes
    ----------
    status : {"ok", "failed", "not_run", "disabled"}
        ``failed``: the simulation raised, and the pipes were scored without hydraulic features.
    error : str, optional
        Why it failed (exception type and message), when ``status`` is ``failed``.
    features_used : tuple of str
        The hydraulic columns the risk model was trained on (empty unless ``ok``).
    """

    status: str
    error: str | None = None
    features_used: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """JSON-ready record; a failure also lists the features the model went without."""
        out = {"status": self.status, "features_used": list(self.features_used)}
        if self.error is not None:
            out["error"] = self.error
        if self.status == "failed":
            out["features_missing"] = list(HYDRAULIC_COLUMNS)
        return out


def _model(network: Network, duration_h: float):
    if not network.inp_path:
        raise InputError("hydraulic features need the network's EPANET .inp file, but this network has "
                         "no inp_path; read it with leakopt.io.read_network(path)",
                         fr="les variables hydrauliques ont besoin du fichier EPANET .inp du réseau, mais ce réseau "
                            "n’a pas d’inp_path ; lisez-le avec leakopt.io.read_network(path)")
    try:
        wn = read_wntr(network.inp_path)
    except Exception as exc:  # WNTR raises many types for an unreadable file
        raise InputError(f"network file {network.inp_path} could not be read by WNTR: {exc}",
                         fr=f"le fichier du réseau {network.inp_path} n’a pas pu être lu par WNTR : {exc}") from exc
    t = wn.options.time
    t.duration = int(duration_h * 3600)
    t.hydraulic_timestep = min(int(t.hydraulic_timestep or 3600), 3600)
    t.report_timestep = 3600
    t.report_start = 0
    wn.options.time.quality_timestep = 0
    wn.options.quality.parameter = "NONE"
    return wn


def hydraulic_features(network: Network, *, duration_h: float = 24,
                       progress: Progress | None = None) -> pd.DataFrame:
    """Simulate the network and summarise pressure and velocity per pipe.

    Parameters
    ----------
    network : Network
        Needs ``inp_path`` (as given by :func:`leakopt.io.read_network`).
    duration_h : float
        Simulated duration in hours (hourly reports).
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): reading, simulating, summarising.

    Returns
    -------
    DataFrame
        ``pipe_id`` then :data:`HYDRAULIC_COLUMNS`, one row per pipe of
        ``network.links``.
    """
    import wntr

    report = progress or silent
    if duration_h <= 0:
        raise InputError(f"hydraulic_features: duration_h must be > 0; got {duration_h!r}",
                         fr=f"hydraulic_features : duration_h doit être > 0 ; valeur reçue : {duration_h!r}")
    report("reading the network", 0, 3)
    wn = _model(network, duration_h)
    report(f"simulating {duration_h:g} h of {wn.num_pipes:,} pipes", 1, 3)
    with tempfile.TemporaryDirectory(prefix="leakopt_epanet_") as tmp:
        sim = wntr.sim.EpanetSimulator(wn)
        res = sim.run_sim(file_prefix=os.path.join(tmp, "leakopt"))
    report("summarising pressures and velocities", 2, 3)
    out = _summarise(network.links, res.node["pressure"], res.link["velocity"])
    report("simulated", 3, 3)
    log.info("hydraulic features for %d pipes (%g h simulated)", len(out), duration_h,
             extra=in_french("variables hydrauliques pour %d conduites (%g h simulées)"))
    return out


def _summarise(links: pd.DataFrame, pressure: pd.DataFrame, velocity: pd.DataFrame) -> pd.DataFrame:
    """Per-pipe statistics from time x node pressure and time x link velocity frames."""
    p = pressure.to_numpy(dtype=float)
    node = pd.Index(pressure.columns.astype(str))
    p_mean, p_max, p_range = p.mean(axis=0), p.max(axis=0), p.max(axis=0) - p.min(axis=0)
    s = node.get_indexer(links["start_node"].astype(str))
    e = node.get_indexer(links["end_node"].astype(str))

    def pick(v, i):
        return np.where(i >= 0, v[np.maximum(i, 0)], np.nan)

    v = np.abs(velocity.to_numpy(dtype=float))
    li = pd.Index(velocity.columns.astype(str)).get_indexer(links["pipe_id"].astype(str))
    return pd.DataFrame({
        "pipe_id": links["pipe_id"].astype(str).to_numpy(),
        "pressure_mean_m": np.nanmean(np.column_stack([pick(p_mean, s), pick(p_mean, e)]), axis=1),
        "pressure_max_m": np.fmax(pick(p_max, s), pick(p_max, e)),
        "pressure_range_m": np.fmax(pick(p_range, s), pick(p_range, e)),
        "velocity_mean_ms": pick(v.mean(axis=0), li),
        "velocity_max_ms": pick(v.max(axis=0), li),
    })

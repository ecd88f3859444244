"""What isolating a segment cuts off, by pressure-dependent hydraulic simulation.

Topological connectivity (:mod:`.isolation`) counts a node as served as long as
it is still joined to a source, whatever its pressure.  Here the segment is
really shut in EPANET and the network solved with pressure-dependent demand
(PDD: a node delivers its full demand above ``required_pressure_m``, nothing
below ``minimum_pressure_m``, ``((p - pmin) / (preq - pmin)) ** exponent`` of it
in between), so a node still connected but starved of pressure counts too.

One steady state per segment: a single period at base demand (every demand
pattern set to 1, the demand multiplier to 1), the tanks at their initial
levels, as :mod:`.isolation` takes them.  Shutting a segment closes its pipes,
the pipes a valve separates from one of its nodes (closing the pipe or the
valve at that end stops the same flow), and the pumps and valves at its nodes.

Each node ``j`` keeps ``delivered_j / baseline_j`` of what the intact network
delivers it; ``lost_j = 1 -`` that share (0 to 1), and

* ``demand_cut_m3s`` = sum of ``base_demand_j * lost_j`` (in base-demand units,
  as the topological figure: a node cut off topologically loses all of it);
* ``nodes_cut`` = customers (base demand > 0) that lose at least half;
* ``critical_cut`` = critical customers among them.

The solver is EPANET 2.2's toolkit as WNTR ships it (:class:`wntr.epanet.toolkit.ENepanet`,
what :class:`wntr.sim.EpanetSimulator` runs): the ``.inp`` is opened once per
chunk of segments and only link statuses change between solves, instead of
writing and reading a whole ``.inp`` per segment.  Chunks run in a pool of
forked processes (:func:`pdd_cut_off`) or, through ``map_chunks``, anywhere
else (Dask: :func:`leakopt.distributed.consequence_distributed`).
"""
from __future__ import annotations

import ctypes
import logging
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from leakopt.consequence.segments import Segments, check_valve_layer, link_ends
from leakopt.errors import InputError
from leakopt.io import count_worker_cpu, epanet_error
from leakopt.schema import Network, Progress, silent

log = logging.getLogger(__name__)

# EPANET 2.2 toolkit codes
_EN_DURATION, _EN_NODECOUNT, _EN_LINKCOUNT, _EN_PATCOUNT = 0, 0, 2, 3
_EN_JUNCTION, _EN_DEMAND, _EN_INITSTATUS, _EN_DEMANDMULT, _EN_PDA = 0, 9, 4, 4, 1
_US_FLOW_UNITS = (0, 1, 2, 3, 4)       # CFS, GPM, MGD, IMGD, AFD: pressures in psi
_PSI_PER_M = 1.4219702

#: Share of its demand a customer must lose to count as cut off.
CUT_SHARE = 0.5


@dataclass(frozen=True)
class PddSettings:
    """Pressure-dependent demand of the simulations (metres of head)."""

    required_pressure_m: float = 20.0
    minimum_pressure_m: float = 0.0
    pressure_exponent: float = 0.5


@dataclass(frozen=True)
class PddJob:
    """One segment to shut: the links to close (EPANET IDs)."""

    segment_id: int
    links: tuple


def isolation_links(network: Network, segments: Segments, valves: pd.DataFrame,
                    segment_ids) -> list[PddJob]:
    """The links to close to shut each of ``segment_ids``: its pipes, the pipes valved at its
    nodes, and the pumps and valves at its nodes."""
    layer = check_valve_layer(valves, network)
    wanted = pd.Index(np.asarray(segment_ids, dtype=np.int64))
    own = segments.pipe_segment[segments.pipe_segment.isin(wanted)]
    by_node = [pd.DataFrame({"segment_id": own.to_numpy(), "link": own.index.astype(str)})]
    valved = layer.assign(segment_id=segments.node_segment.reindex(layer["node"]).to_numpy())
    by_node.append(valved.loc[valved["segment_id"].isin(wanted), ["segment_id", "link"]])
    ends = link_ends(network)
    other = ends[~ends["is_pipe"]].assign(segment_id=segments.node_segment.reindex(
        ends.loc[~ends["is_pipe"], "node_id"]).to_numpy())
    by_node.append(other.loc[other["segment_id"].isin(wanted), ["segment_id", "link_id"]]
                   .rename(columns={"link_id": "link"}))
    table = pd.concat(by_node, ignore_index=True).drop_duplicates()
    groups = table.groupby("segment_id")["link"].agg(tuple)
    return [PddJob(int(s), tuple(groups.get(s, ()))) for s in wanted]


@contextmanager
def _quiet_epanet():
    """EPANET's warnings (disconnected nodes, negative pressures) are expected when a segment is shut."""
    logger = logging.getLogger("wntr.epanet.toolkit")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


class _Project:
    """An opened EPANET project set up for one steady PDD period at base demand."""

    def __init__(self, inp_path: str, settings: PddSettings, folder: str):
        from wntr.epanet.toolkit import ENepanet

        self.en = en = ENepanet()
        en.ENopen(str(inp_path), os.path.join(folder, "pdd.rpt"), os.path.join(folder, "pdd.bin"))
        lib, ph = en.ENlib, en._project
        scale = _PSI_PER_M if en.ENgetflowunits() in _US_FLOW_UNITS else 1.0
        code = lib.EN_setdemandmodel(ph, _EN_PDA, ctypes.c_double(settings.minimum_pressure_m * scale),
                                     ctypes.c_double(settings.required_pressure_m * scale),
                                     ctypes.c_double(settings.pressure_exponent))
        if code:
            raise RuntimeError(f"EPANET refused the pressure-dependent demand settings (error {code})")
        en.ENsettimeparam(_EN_DURATION, 0)
        lib.EN_setoption(ph, _EN_DEMANDMULT, ctypes.c_double(1.0))
        for p in range(1, en.ENgetcount(_EN_PATCOUNT) + 1):
            n = ctypes.c_int()
            lib.EN_getpatternlen(ph, p, ctypes.byref(n))
            for k in range(1, n.value + 1):
                lib.EN_setpatternvalue(ph, p, k, ctypes.c_double(1.0))
        nodes = range(1, en.ENgetcount(_EN_NODECOUNT) + 1)
        self.junctions = [i for i in nodes if en.ENgetnodetype(i) == _EN_JUNCTION]
        self.junction_ids = [en.ENgetnodeid(i) for i in self.junctions]
        en.ENopenH()

    def solve(self) -> np.ndarray:
        en = self.en
        en.ENinitH(0)
        en.ENrunH()
        return np.fromiter((en.ENgetnodevalue(i, _EN_DEMAND) for i in self.junctions), float, len(self.junctions))

    def shut(self, links, saved: list) -> None:
        """Close ``links``, appending to ``saved`` what :meth:`restore` puts back."""
        en = self.en
        for link in links:
            i = en.ENgetlinkindex(str(link))
            status = en.ENgetlinkvalue(i, _EN_INITSTATUS)
            en.ENsetlinkvalue(i, _EN_INITSTATUS, 0)    # EPANET refuses it for a check-valve pipe (error 207)
            saved.append((i, status))

    def restore(self, saved) -> None:
        for i, status in saved:
            self.en.ENsetlinkvalue(i, _EN_INITSTATUS, status)

    def close(self) -> None:
        try:
            self.en.ENcloseH()
        finally:
            self.en.ENclose()


def simulate_chunk(inp_path: str, jobs: list[PddJob], demand: dict, critical: tuple,
                   settings: PddSettings) -> pd.DataFrame:
    """Shut each job's segment in turn and measure what the network no longer delivers.

    Parameters
    ----------
    inp_path : str
        The network's EPANET file.
    jobs : list of PddJob
    demand : dict
        Base demand (m3/s) of each junction ID, as the topological figure counts it.
    critical : tuple of str
        Critical customers' node IDs.
    settings : PddSettings

    Returns
    -------
    DataFrame
        One row per job: ``segment_id``, ``demand_cut_m3s``, ``nodes_cut``, ``critical_cut``,
        ``ok`` (False when EPANET failed on that segment), ``error``, and ``cpu_seconds`` (the
        chunk's CPU time, on its first row).
    """
    cpu = time.process_time()
    rows = []
    with tempfile.TemporaryDirectory(prefix="leakopt-pdd-") as folder, _quiet_epanet():
        try:
            project = _Project(inp_path, settings, folder)
        except Exception as exc:   # EPANET cannot open the network (an orphan node...): every segment fails, said
            rows = [(job.segment_id, np.nan, -1, -1, False, epanet_error(exc, inp_path, limit=200)) for job in jobs]
            project = None
        try:
            if project is not None:
                base = np.array([demand.get(j, 0.0) for j in project.junction_ids], float)
                is_critical = np.isin(project.junction_ids, list(critical))
                baseline = project.solve()
                for job in jobs:
                    rows.append(_one_segment(project, job, baseline, base, is_critical))
        except Exception as exc:   # nor solve it with every valve open
            rows = [(job.segment_id, np.nan, -1, -1, False, epanet_error(exc, inp_path, limit=200)) for job in jobs]
        finally:
            if project is not None:
                project.close()
    out = pd.DataFrame(rows, columns=["segment_id", "demand_cut_m3s", "nodes_cut", "critical_cut", "ok", "error"])
    out["cpu_seconds"] = 0.0
    if len(out):
        out.loc[0, "cpu_seconds"] = time.process_time() - cpu
    return out


def _one_segment(project: _Project, job: PddJob, baseline: np.ndarray, base: np.ndarray, is_critical: np.ndarray):
    saved = []
    try:
        project.shut(job.links, saved)
        delivered = project.solve()
    except Exception as exc:  # EPANET cannot solve this state: the topological figure stays, said per pipe
        return (job.segment_id, np.nan, -1, -1, False, epanet_error(exc, limit=200))
    finally:
        project.restore(saved)
    served = baseline > 1e-12
    lost = np.where(served, 1.0 - np.clip(delivered / np.where(served, baseline, 1.0), 0.0, 1.0), 0.0)
    cut = (lost >= CUT_SHARE) & (base > 0)
    return (job.segment_id, float((base * lost).sum()), int(cut.sum()), int((cut & is_critical).sum()), True, None)


#: Segments x network nodes below which the simulations run in this process when processes cannot be
#: forked (the app): about 2 s of simulation on one core, less than starting the processes.
SERIAL_WORK = 200_000


def _pool_map(workers: int):
    """``map_chunks`` over a pool of ``workers`` processes (in this process when 1; :func:`_start_method`)."""
    def run(fn, args_list):
        if workers <= 1 or len(args_list) <= 1:
            return [fn(*args) for args in args_list]
        import multiprocessing

        method = _start_method()
        pool = multiprocessing.get_context(method).Pool(min(workers, len(args_list)))
        try:
            timed = pool.starmap(_timed_call, [(fn, args) for args in args_list], chunksize=1)
        finally:
            pool.close()   # close + join: forked workers exit and are reaped, so their CPU time is counted
            pool.join()
        if method != "fork":   # a fork server's workers are not our children: count what they said they spent
            count_worker_cpu(sum(cpu for _, cpu in timed))
        return [result for result, _ in timed]
    return run


def _timed_call(fn, args):
    """``fn(*args)`` and the CPU seconds this process spent on it."""
    cpu = time.process_time()
    result = fn(*args)
    return result, time.process_time() - cpu


def _start_method() -> str:
    """``fork`` (fast, nothing to import again) when this process runs a single thread; else
    ``forkserver``: forking a process whose other threads hold locks (the Streamlit app's server,
    a Dask worker) can leave the child waiting on a lock that no thread of it will release."""
    import multiprocessing
    import threading

    if threading.active_count() == 1 or "forkserver" not in multiprocessing.get_all_start_methods():
        return "fork"
    return "forkserver"


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def pdd_cut_off(network: Network, segments: Segments, valves: pd.DataFrame, segment_ids, *,
                settings: PddSettings | None = None, critical_nodes: tuple = (), workers: int | None = None,
                map_chunks: Callable | None = None, progress: Progress | None = None) -> pd.DataFrame:
    """What isolating each of ``segment_ids`` cuts off, by pressure-dependent simulation.

    Parameters
    ----------
    network : Network
        Read from an EPANET file (``inp_path``).
    segments : Segments
    valves : DataFrame
        The valve layer the segments were drawn with (``link``, ``node``).
    segment_ids : sequence of int
    settings : PddSettings, optional
    critical_nodes : tuple of str
    workers : int, optional
        Processes to spread the segments over (default: the cores available).
    map_chunks : callable, optional
        ``map_chunks(fn, args_list) -> list`` running ``fn(*args)`` for each chunk, results in
        order; default a pool of ``workers`` forked processes.
    progress : callable, optional

    Returns
    -------
    DataFrame
        :func:`simulate_chunk`'s rows for every segment, indexed by ``segment_id``.
    """
    if not network.inp_path:
        raise InputError("pressure-dependent simulation needs the network's EPANET .inp file "
                         "(Network.inp_path is None); read it with leakopt.io.read_network",
                         fr="la simulation en demande dépendant de la pression a besoin du fichier EPANET .inp du "
                            "réseau (Network.inp_path vaut None) ; lisez-le avec leakopt.io.read_network")
    settings = settings or PddSettings()
    progress = progress or silent
    workers = int(workers or default_workers())
    jobs = isolation_links(network, segments, valves, segment_ids)
    nodes = network.nodes
    junction = nodes["node_type"] == "junction"
    demand = dict(zip(nodes.loc[junction, "node_id"].astype(str),
                      np.clip(nodes.loc[junction, "base_demand"].fillna(0.0).to_numpy(float), 0.0, None)))
    if map_chunks is None and len(jobs) * len(nodes) < SERIAL_WORK and _start_method() != "fork":
        workers = 1     # a fork server's processes import leakopt and WNTR again (~3 s): more than the work
    n_chunks = max(1, min(len(jobs), workers))
    chunks = [jobs[i::n_chunks] for i in range(n_chunks)] if jobs else []
    progress(f"pressure-dependent simulation of {len(jobs):,} segments ({n_chunks} process(es))", 0, len(jobs))
    run = map_chunks or _pool_map(workers)
    args = [(str(network.inp_path), chunk, demand, tuple(critical_nodes), settings) for chunk in chunks]
    results = run(simulate_chunk, args) if args else []
    progress(f"{len(jobs):,} segments simulated", len(jobs), len(jobs))
    columns = ["segment_id", "demand_cut_m3s", "nodes_cut", "critical_cut", "ok", "error", "cpu_seconds"]
    out = pd.concat(results, ignore_index=True) if results else pd.DataFrame(columns=columns)
    return out.set_index("segment_id").reindex(pd.Index([j.segment_id for j in jobs], name="segment_id"))


def segments_to_simulate(segment_of_pipe, weight, *, n_segments: int, n_network_pipes: int,
                         top: int, all_max: int, pipe_budget: int) -> tuple[np.ndarray, str]:
    """The segments worth a simulation, most at risk first, and how they were chosen.

    Parameters
    ----------
    segment_of_pipe : array of float
        Each pipe's segment (NaN for a pipe the network lacks).
    weight : array of float
        Each pipe's business risk (expected leaks x topological consequence).
    n_segments, n_network_pipes : int
    top, all_max, pipe_budget : int
        ``pdd_segments``, ``pdd_all_max_segments``, ``pdd_pipe_budget`` of
        :class:`~leakopt.consequence.ConsequenceConfig`.

    Returns
    -------
    (ndarray, str)
        Segment IDs; ``"all"``, ``"top_business_risk"`` or ``"none"``.
    """
    if top <= 0 or n_segments == 0:
        return np.array([], dtype=np.int64), "none"
    seg = np.asarray(segment_of_pipe, float)
    known = np.isfinite(seg)
    risk = np.bincount(seg[known].astype(np.int64), weights=np.nan_to_num(np.asarray(weight, float)[known]),
                       minlength=n_segments)
    order = np.lexsort((np.arange(n_segments), -risk))      # highest first, ties by segment number
    by_budget = max(1, int(pipe_budget) // max(int(n_network_pipes), 1))
    if n_segments <= all_max and n_segments <= by_budget:
        return order.astype(np.int64), "all"
    return order[:min(top, by_budget, n_segments)].astype(np.int64), "top_business_risk"

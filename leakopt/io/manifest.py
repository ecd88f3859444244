"""Run bookkeeping: stage timings, peak memory and ``manifest.json``.

The manifest holds what is needed to reproduce a run (inputs with their
SHA-256, configuration, package versions, as-of date) and to state its
compute cost (wall time, CPU time and peak memory of each stage).
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from leakopt import __version__
from leakopt.config import Config
from leakopt.io.outputs import file_sha256


@dataclass
class StageTimer:
    """Wall time, CPU time and peak memory of each stage, for the manifest.

    The CPU time counts the stage's child processes that ended within it (a pool of
    simulation workers, closed and joined) and the workers of a fork server that reported
    theirs (:func:`count_worker_cpu`), besides this process's own.
    """

    stages: dict[str, dict[str, float]] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str):
        wall, cpu = time.perf_counter(), time.process_time() + children_cpu_seconds()
        try:
            yield
        finally:
            self.stages[name] = {
                "wall_seconds": round(time.perf_counter() - wall, 3),
                "cpu_seconds": round(time.process_time() + children_cpu_seconds() - cpu, 3),
                "peak_rss_mb": round(peak_rss_mb(), 1),
            }

    def total(self) -> dict[str, float]:
        return {"wall_seconds": round(sum(s["wall_seconds"] for s in self.stages.values()), 3),
                "cpu_seconds": round(sum(s["cpu_seconds"] for s in self.stages.values()), 3),
                "peak_rss_mb": round(peak_rss_mb(), 1)}


#: CPU seconds spent for this process by worker processes that are not its children (started by a fork
#: server), as they reported it (:func:`count_worker_cpu`).
_WORKER_CPU = [0.0]


def count_worker_cpu(seconds: float) -> None:
    """Add the CPU time that workers outside this process's children spent for it (a pool started from a
    fork server: the operating system counts them for the fork server, not for us)."""
    _WORKER_CPU[0] += float(seconds)


def children_cpu_seconds() -> float:
    """CPU seconds (user + system) of this process's children that have ended and been waited for, and of
    the workers :func:`count_worker_cpu` was told of."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + _WORKER_CPU[0]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {"leakopt": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "pandas", "scipy", "lightgbm", "wntr", "pulp", "highspy", "geopandas", "shapely"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def build_manifest(utility, config: Config, timer: StageTimer, *, command: str, extra=None) -> dict:
    """Everything needed to reproduce a run: inputs with hashes, config, versions, timings."""
    inputs = {}
    for role, path in (utility.sources or {}).items():
        if path:
            p = Path(path)
            inputs[role] = {"path": str(p.resolve()), "sha256": file_sha256(p) if p.is_file() else None}
    return {
        "leakopt_version": __version__,
        "command": command,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "as_of": utility.as_of.date().isoformat(),
        "first_record_year": utility.first_record_year,
        "inputs": inputs,
        "configuration": config.to_dict(),
        "versions": _versions(),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "timings": {"stages": timer.stages, "total": timer.total()},
        **(extra or {}),
    }

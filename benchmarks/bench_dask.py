"""A pooled synthetic set of at least 1,000,000 pipes trained with Dask on a LocalCluster.

Writes ``--utilities`` synthetic utilities of ``--pipes`` pipes each as pooled
Parquet (skipped when the folder already holds them), starts a LocalCluster
(``--workers`` processes, one thread each, ``--memory-limit`` each), runs
:func:`leakopt.distributed.train.train_distributed` and prints the time of each
phase and the memory of each worker as Markdown tables.

The memory limit matters for the nanny's ``terminate`` threshold (95 %) and
for the workers' spilling and pausing thresholds, which
``train_distributed`` switches off while LightGBM trains (``--allow-spill``
keeps them on, to compare).  Worker RSS is measured at the end of each phase,
with each process's peak so far.

    python benchmarks/bench_dask.py                              # 20 x 50,000 pipes, 2 workers
    python benchmarks/bench_dask.py --utilities 3 --pipes 5000   # a quick check
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_set(work: Path, n_utilities: int, pipes: int, seed: int) -> tuple[float, object]:
    from leakopt.errors import InputError
    from leakopt.io.pooled import open_pooled, write_pooled
    try:
        pooled = open_pooled(work)
        if len(pooled.utility_ids) == n_utilities and pooled.n_pipes == n_utilities * pipes:
            return 0.0, pooled
    except InputError:   # not written yet
        print(f"writing the pooled set into {work}", flush=True)
    t = time.perf_counter()
    pooled = write_pooled(work, n_utilities=n_utilities, pipes_per_utility=pipes, seed=seed,
                          progress=_print_progress)
    return time.perf_counter() - t, pooled


def _print_progress(step: str, done: int, total: int) -> None:
    from leakopt.schema import describe
    print(f"  {describe(step, done, total)}", flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--utilities", type=int, default=20)
    ap.add_argument("--pipes", type=int, default=50_000, help="pipes per utility")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="10GB", help="per worker")
    ap.add_argument("--allow-spill", action="store_true",
                    help="let workers spill to disk and pause while LightGBM trains")
    ap.add_argument("--seed", type=int, default=100)
    ap.add_argument("--work", type=Path, default=None, help="pooled data + outputs (default: a temp folder)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from distributed import Client, LocalCluster

    from leakopt.distributed import train_distributed
    from leakopt.io import peak_rss_mb

    work = args.work or Path(tempfile.mkdtemp(prefix="leakopt-bench-dask-"))
    print(f"pooled data in {work / 'pooled'}", flush=True)
    write_s, pooled = write_set(work / "pooled", args.utilities, args.pipes, args.seed)
    print(f"pooled set: {len(pooled.utility_ids)} utilities, {pooled.n_pipes:,} pipes, {pooled.n_leaks:,} leaks; "
          f"written in {write_s:.0f} s (client peak RSS {peak_rss_mb():,.0f} MB)", flush=True)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      memory_limit=args.memory_limit, dashboard_address=None) as cluster, Client(cluster) as client:
        result = train_distributed(work / "pooled", client=client, out_dir=work / "out",
                                   allow_spill=args.allow_spill,
                                   progress=_print_progress)
    searched = len(result.validation_curve)
    print(f"\n{pooled.n_pipes:,} pipes, {result.train_rows:,} pipe-years, {result.best_iteration} trees "
          f"({searched} rounds trained in the search), {len(result.features)} features; "
          f"{args.workers} workers x 1 thread, {args.memory_limit} each, spilling while training: "
          f"{'on' if args.allow_spill else 'off'}\n")
    print("| phase | wall s |\n|---|---|")
    if write_s:
        print(f"| write pooled Parquet (synth + validate, 1 process) | {write_s:.0f} |")
    for k, v in result.timings.items():
        print(f"| {k} | {v:.0f} |")
    mem = result.worker_memory
    print("\n| phase | " + " | ".join(f"worker {i} RSS / peak MB" for i in range(mem['worker'].nunique())) + " |")
    print("|---|" + "---|" * mem["worker"].nunique())
    for phase, g in mem.groupby("phase", sort=False):
        print(f"| {phase} | " + " | ".join(f"{r.rss_mb:,.0f} / {r.peak_rss_mb:,.0f}" for r in g.itertuples()) + " |")
    print(f"\nclient process peak RSS: {peak_rss_mb():,.0f} MB")
    summary = {"n_pipes": pooled.n_pipes, "n_leaks": pooled.n_leaks, "train_rows": result.train_rows,
               "best_iteration": result.best_iteration, "search_rounds": searched,
               "allow_spill": args.allow_spill, "memory_limit": args.memory_limit,
               "write_seconds": round(write_s, 1),
               "timings": result.timings, "worker_memory": mem.to_dict(orient="records"),
               "client_peak_rss_mb": round(peak_rss_mb(), 1)}
    (work / "bench_dask.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

"""How ``leakopt run`` scales with network size: time per stage and peak memory.

For each size, a ``synth`` utility (network + register + 20 years of leaks,
2006-2025) is written to a scratch folder and ``leakopt.pipeline.run`` runs
end to end on it in a fresh process (so each size's peak RSS is its own).
The per-stage wall and CPU seconds and the peak RSS come from the run's
``manifest.json``.  Prints a Markdown table with the growth exponent of each stage between
consecutive sizes, of wall and of CPU time (1 = linear; > 1.2 deserves a
look).  On a shared machine trust the CPU column more than the wall one.
Then the consequence stage's wall time per size against its target (issue #17:
at most 120 s wall at 100,000 pipes on 2 cores), with what its pressure-dependent
simulations took (``risk_matrix.json``; their workers' CPU is in the stage's CPU);
and the risk and backtest
stages' against theirs (issue #15: together at most 90 s wall at 100,000 pipes,
peak at most 3 GB), with the machine's load average before and after each run
(the machine is shared: wall time under load says little).

    python benchmarks/bench_scale.py                       # 10k, 30k, 100k pipes
    python benchmarks/bench_scale.py --sizes 5000 20000 --profile 20000
    python benchmarks/bench_scale.py --sizes 100000 --stages risk,backtest

``--stages`` runs only the stages listed of the optional ones (``backtest``, ``sensors``,
``renewal``, ``report``); loading, hydraulics, risk and consequence always run.

``--profile N`` also writes a cProfile of the size-N run (``profile_N.pstats``
in the scratch folder) and prints its top functions by cumulative time.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Wall seconds the consequence stage may take at 100,000 pipes on 2 cores (issue #17).
CONSEQUENCE_TARGET = {"pipes": 100_000, "wall_seconds": 120.0}
#: Wall seconds the risk and backtest stages may take together, and the run's peak memory, at
#: 100,000 pipes on 2 cores (issue #15).
RISK_BACKTEST_TARGET = {"pipes": 100_000, "wall_seconds": 90.0, "peak_rss_mb": 3000.0}
#: Stages a run may leave out (``--stages``): the keyword of :func:`leakopt.pipeline.run` of each.
OPTIONAL_STAGES = ("backtest", "sensors", "renewal", "report")

_ONE = r"""
import cProfile, json, logging, sys, time
sys.path.insert(0, {root!r})
logging.basicConfig(level=logging.WARNING)
from pathlib import Path
from leakopt.synth import generate as synth
from leakopt.pipeline import run
n, seed, work, profile = {n}, {seed}, Path({work!r}), {profile}
data = work / f"synth_{{n}}"
t = time.perf_counter()
if not (data / "leaks.csv").is_file():
    synth.write_synth(synth.synthesize(n, seed=seed), data)
synth_s = time.perf_counter() - t
out = work / f"run_{{n}}"
call = lambda: run(data / "pipes.csv", data / "leaks.csv", data / "network.inp", out_dir=out, **{switches})
if profile:
    prof = cProfile.Profile()
    prof.runcall(call)
    prof.dump_stats(str(work / f"profile_{{n}}.pstats"))
else:
    call()
print(json.dumps({{"synth_seconds": round(synth_s, 2)}}))
"""


def run_size(n: int, *, seed: int, work: Path, profile: bool, stages: tuple[str, ...] = OPTIONAL_STAGES) -> dict:
    """Run one size in a fresh interpreter (the optional ``stages`` only); return its manifest timings."""
    switches = {s: s in stages for s in OPTIONAL_STAGES}
    code = _ONE.format(root=str(ROOT), n=n, seed=seed, work=str(work), profile=profile, switches=switches)
    load_before = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"run at {n} pipes failed:\n{proc.stderr[-4000:]}")
    extra = json.loads(proc.stdout.strip().splitlines()[-1])
    manifest = json.loads((work / f"run_{n}" / "manifest.json").read_text())
    matrix = work / f"run_{n}" / "risk_matrix.json"
    pdd = json.loads(matrix.read_text())["consequence"].get("pdd") if matrix.is_file() else None
    return {"n": n, "stages": manifest["timings"]["stages"], "total": manifest["timings"]["total"],
            "process_seconds": round(wall, 1), "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "pdd": pdd, **extra}


def exponent(t1: float, t2: float, n1: int, n2: int) -> float:
    """Growth exponent ``log(t2 / t1) / log(n2 / n1)``."""
    if t1 <= 0 or t2 <= 0:
        return float("nan")
    return math.log(t2 / t1) / math.log(n2 / n1)


def table(results: list[dict]) -> str:
    """Markdown: one row per stage, wall (CPU) seconds per size, growth exponents of wall time."""
    sizes = [r["n"] for r in results]
    stages = list(dict.fromkeys(s for r in results for s in r["stages"]))
    pairs = list(itertools.pairwise(results))
    head = (["stage"] + [f"{n:,} pipes: wall s (CPU s)" for n in sizes]
            + [f"exponent {a['n'] // 1000}k→{b['n'] // 1000}k wall (CPU)" for a, b in pairs])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def row(name, get):
        cells = []
        for r in results:
            v = get(r)
            cells.append("–" if v is None else f"{v['wall_seconds']:.1f} ({v['cpu_seconds']:.1f})")
        exps = []
        for a, b in pairs:
            va, vb = get(a), get(b)
            exps.append("–" if va is None or vb is None else
                        f"{exponent(va['wall_seconds'], vb['wall_seconds'], a['n'], b['n']):.2f} "
                        f"({exponent(va['cpu_seconds'], vb['cpu_seconds'], a['n'], b['n']):.2f})")
        lines.append("| " + " | ".join([name, *cells, *exps]) + " |")

    for s in stages:
        row(s, lambda r, s=s: r["stages"].get(s))
    row("**total**", lambda r: r["total"])
    peak = ["**peak RSS (MB)**"] + [f"{r['total']['peak_rss_mb']:,.0f}" for r in results] + [
        f"{exponent(a['total']['peak_rss_mb'], b['total']['peak_rss_mb'], a['n'], b['n']):.2f}" for a, b in pairs]
    lines.append("| " + " | ".join(peak) + " |")
    lines.append("| synth (not in the run) | " + " | ".join(f"{r['synth_seconds']:.1f}" for r in results)
                 + " |" + " |" * len(pairs))
    return "\n".join(lines)


def consequence_lines(results: list[dict]) -> list[str]:
    """The consequence stage's wall (CPU) seconds per size, and whether it meets its target."""
    target_n, target_s = CONSEQUENCE_TARGET["pipes"], CONSEQUENCE_TARGET["wall_seconds"]
    lines = []
    for r in results:
        stage = r["stages"].get("consequence")
        if stage is None:
            lines.append(f"consequence stage at {r['n']:,} pipes: not in the manifest's timings")
            continue
        verdict = ""
        if r["n"] == target_n:
            verdict = (f": {'meets' if stage['wall_seconds'] <= target_s else 'MISSES'} the target "
                       f"of {target_s:.0f} s")
        lines.append(f"consequence stage at {r['n']:,} pipes: {stage['wall_seconds']:.1f} s wall "
                     f"({stage['cpu_seconds']:.1f} s CPU){pdd_words(r.get('pdd'))}{verdict}")
    return lines


def pdd_words(pdd: dict | None) -> str:
    """What the stage's pressure-dependent simulations took (``risk_matrix.json``'s ``consequence.pdd``)."""
    if not pdd or pdd.get("status") != "ok":
        return ""
    failed = f", {pdd['n_segments_failed']} failed" if pdd.get("n_segments_failed") else ""
    return (f", including {pdd['n_segments_simulated']} segments simulated with pressure-dependent demand "
            f"({pdd['selection']}{failed}) in {pdd['wall_seconds']:.1f} s wall, {pdd['cpu_seconds']:.1f} s CPU "
            f"over {pdd['workers']} processes")


def risk_backtest_lines(results: list[dict]) -> list[str]:
    """The risk and backtest stages' wall (CPU) seconds together per size, and at the target size
    whether they and the run's peak memory meet issue #15's targets."""
    target_n = RISK_BACKTEST_TARGET["pipes"]
    target_s, target_mb = RISK_BACKTEST_TARGET["wall_seconds"], RISK_BACKTEST_TARGET["peak_rss_mb"]
    lines = []
    for r in results:
        stages = [r["stages"].get(s) for s in ("risk", "backtest")]
        if None in stages:
            lines.append(f"risk + backtest at {r['n']:,} pipes: not both in the manifest's timings")
            continue
        wall = sum(s["wall_seconds"] for s in stages)
        cpu = sum(s["cpu_seconds"] for s in stages)
        peak = r["total"].get("peak_rss_mb", float("nan"))
        line = (f"risk + backtest at {r['n']:,} pipes: {stages[0]['wall_seconds']:.1f} + "
                f"{stages[1]['wall_seconds']:.1f} = {wall:.1f} s wall ({cpu:.1f} s CPU), peak {peak:,.0f} MB")
        if "load" in r:
            line += f", load average {r['load'][0]:.1f} before, {r['load'][1]:.1f} after"
        if r["n"] == target_n:
            line += (f": {'meets' if wall <= target_s else 'MISSES'} the target of {target_s:.0f} s, "
                     f"{'meets' if peak <= target_mb else 'MISSES'} the target of {target_mb:,.0f} MB")
        lines.append(line)
    return lines


def print_profile(path: Path, limit: int = 25) -> None:
    import pstats
    print(f"\n### cProfile of {path.name} (top {limit} by cumulative time)\n```")
    pstats.Stats(str(path), stream=sys.stdout).sort_stats("cumulative").print_stats(limit)
    print("```")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a new temp folder)")
    ap.add_argument("--profile", type=int, nargs="*", default=[], help="sizes to profile")
    ap.add_argument("--stages", default=",".join(OPTIONAL_STAGES),
                    help="optional stages to run, comma-separated, from " + ", ".join(OPTIONAL_STAGES)
                    + " (load, hydraulics, risk and consequence always run); e.g. risk,backtest")
    args = ap.parse_args(argv)
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    unknown = [s for s in stages if s not in OPTIONAL_STAGES + ("risk", "load_validate", "hydraulics", "consequence")]
    if unknown:
        ap.error(f"--stages: unknown stage(s) {unknown}; optional stages are {', '.join(OPTIONAL_STAGES)}")
    work = args.work or Path(tempfile.mkdtemp(prefix="leakopt-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"scratch folder: {work}", flush=True)
    results = []
    for n in args.sizes:
        r = run_size(n, seed=args.seed, work=work, profile=n in args.profile, stages=stages)
        results.append(r)
        print(f"{n:,} pipes: run {r['total']['wall_seconds']:.1f} s wall, {r['total']['cpu_seconds']:.1f} s CPU, "
              f"peak {r['total']['peak_rss_mb']:,.0f} MB (synth {r['synth_seconds']:.1f} s), load average "
              f"{r['load'][0]:.1f} before, {r['load'][1]:.1f} after", flush=True)
    print("\n" + table(results))
    print("\n" + "\n".join(consequence_lines(results)))
    print("\n".join(risk_backtest_lines(results)))
    (work / "bench_scale.json").write_text(json.dumps(results, indent=2))
    for n in args.profile:
        print_profile(work / f"profile_{n}.pstats")


if __name__ == "__main__":
    main()

"""Blind benchmark: leakopt on utilities drawn by a generator it has never seen (issue 15).

Usage::

    python benchmarks/bench_blind.py [--world yule nhpp joints leyp weather | all] [--seeds 0 1 2 3]
        [--pipes 6000] [--record-from YEAR] [--rate-scale X]
        [--horizon-years 3] [--no-run] [--diagnose]

The worlds come from ``benchmarks/blind_worlds.py``, written without reading ``leakopt/synth/``:
five published styles of break model (Yule exponential ageing with a patchy soil, a Weibull NHPP
with repeat-break clustering and frailty, joint-driven breaks with a defect cohort, Le Gat's linear
extended Yule process, a Weibull hazard under a shared year-to-year weather severity), each with a
real export's quirks (records from a given year, year-only dates, the utility's own material codes,
blank values, IDs reused by replacement pipes, service breaks). For each world and seed it writes
the register and the breaks as two CSV files and runs, through leakopt's command line exactly as a
user would (no configuration):

* ``leakopt backtest --pipes --leaks --cutoff C --horizon-years H``: the capture of the model and
  of the baselines at 10, 20 and 30% of length, read from ``backtest.json``;
* ``leakopt run --pipes --leaks --as-of C --no-backtest``: every pipe in service at C must have a
  row in ``risk.csv`` (the count of unscored pipes is printed); its scores also give the model's
  capture of the breaks the true rates expect.

The oracle ranks the same pipes (those the backtest scores) by their true expected breaks per km
over the test window; its capture is measured on the same test breaks, and on the expected ones
(without Poisson noise). It prints a table per world with the paired differences model minus plain
LightGBM and model minus "most leaks per km so far", mean +- standard error over the seeds, then the
load and the CPU seconds. It prints figures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))   # blind_worlds beside this file

from blind_worlds import WORLDS, WorldConfig, make_world, write_world  # noqa: E402

LEVELS = ("0.1", "0.2", "0.3")
#: Rows of the table: (label, key of the figures).
ROWS = (("oracle (true rates)", "oracle"), ("leakopt model", "model"), ("plain LightGBM", "plain_lightgbm"),
        ("most leaks per km so far", "leaks_per_km_so_far"), ("Poisson GLM", "poisson_glm"),
        ("published rates, no history", "literature_prior"))
#: Pairs of rankings compared on the top 20% of length: expected breaks one finds and the other misses.
SPLITS = (("model", "leaks_per_km_so_far"), ("leaks_per_km_so_far", "model"), ("oracle", "model"),
          ("model", "oracle"))
PAIRS = (("model - plain LightGBM", "plain_lightgbm"), ("model - leaks per km so far", "leaks_per_km_so_far"))


def _cli(argv: list[str]) -> None:
    """``leakopt ARGV`` in this process, its terminal summary swallowed; a non-zero exit is an error."""
    from leakopt.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *argv])
    if code != 0:
        raise RuntimeError(f"leakopt {' '.join(argv)} exited {code}: {err.getvalue().strip()}")


def backtest_set(pipes_csv, breaks_csv, cutoff: pd.Timestamp) -> pd.Series:
    """The pipe IDs the backtest scores: the register as leakopt validates it (imputed install years
    included), installed by the cutoff's year."""
    from leakopt.validate import load_utility

    u = load_utility(pipes_csv, breaks_csv)
    return u.pipes.loc[u.pipes["install_year"] <= cutoff.year, "pipe_id"].astype(str)


def capture(score, length, counts) -> dict:
    """Capture at :data:`LEVELS` with leakopt's own convention (rank by score, share of length)."""
    from leakopt.risk import capture_curve

    return {lv: capture_curve(score, length, counts)["capture"][lv] for lv in LEVELS}


def measure(world_name: str, seed: int, *, n_pipes: int, horizon: int, run: bool = True,
            record_from: int | None = None, rate_scale: float = 1.0) -> dict:
    """Backtest (and run) leakopt on one drawn world; every figure of one seed."""
    world = make_world(world_name, WorldConfig(n_pipes=n_pipes, seed=seed, horizon_years=horizon,
                                               record_from=record_from, rate_scale=rate_scale))
    cut = str(world.cutoff.date())
    with tempfile.TemporaryDirectory() as tmp:
        pipes_csv, breaks_csv = write_world(world, tmp)
        bt_dir, run_dir = Path(tmp) / "bt", Path(tmp) / "run"
        _cli(["backtest", "--pipes", str(pipes_csv), "--leaks", str(breaks_csv), "--cutoff", cut,
              "--horizon-years", str(horizon), "--out", str(bt_dir)])
        bt = json.loads((bt_dir / "backtest.json").read_text(encoding="utf-8"))
        scored = set(backtest_set(pipes_csv, breaks_csv, world.cutoff))
        risk = None
        if run:
            _cli(["run", "--pipes", str(pipes_csv), "--leaks", str(breaks_csv), "--as-of", cut, "--no-backtest",
                  "--out", str(run_dir)])
            risk = pd.read_csv(run_dir / "risk.csv", dtype={"pipe_id": str})
    truth = world.truth[world.truth["pipe_id"].isin(scored)]
    figures = {name: {"capture": {lv: bt[name]["capture"][lv] for lv in LEVELS}}
               for _, name in ROWS if name in bt}
    length, expected = truth["length_m"].to_numpy(), truth["expected_test"].to_numpy()
    oracle_score = expected / length
    figures["oracle"] = {"capture": capture(oracle_score, length, truth["observed_test"].to_numpy()),
                         "expected": capture(oracle_score, length, expected)}
    out = {"world": world_name, "seed": seed, "figures": figures, "n_test": bt["n_test_leaks"],
           "n_test_truth": int(truth["observed_test"].sum()), "n_scored": len(scored), "counts": world.counts}
    if risk is not None:
        in_service = world.truth.loc[world.truth["install_year"] <= world.cutoff.year, "pipe_id"]
        out["unscored"] = int((~in_service.isin(risk["pipe_id"])).sum())
        out["in_service"] = len(in_service)
        rate = truth["pipe_id"].map(risk.set_index("pipe_id")["leaks_per_km_year"]).fillna(-np.inf).to_numpy()
        figures["model"]["expected"] = capture(rate, length, expected)
    return out


def diagnose(world_name: str, seed: int, *, n_pipes: int, horizon: int, record_from: int | None = None,
             rate_scale: float = 1.0) -> dict:
    """Every ranking's capture of the breaks the true rates expect (no Poisson noise), in process.

    The same training as ``leakopt backtest`` at the main cutoff (:func:`leakopt.risk.rankings_at` on
    the utility as ``leakopt`` validates it), with the per-pipe scores that ``backtest.json`` does not
    hold; and, for the pairs of :data:`SPLITS` (model and "most leaks per km so far", model and
    oracle), the expected breaks on the top 20% of length of one ranking and not of the other, by
    material family, by recorded breaks so far and by pipe length.
    """
    from leakopt.risk import rankings_at
    from leakopt.validate import load_utility

    world = make_world(world_name, WorldConfig(n_pipes=n_pipes, seed=seed, horizon_years=horizon,
                                               record_from=record_from, rate_scale=rate_scale))
    with tempfile.TemporaryDirectory() as tmp:
        u = load_utility(*write_world(world, tmp))
    r = rankings_at(u, world.cutoff, horizon)
    truth = world.truth.set_index("pipe_id").reindex(r.scores["pipe_id"].astype(str))
    expected = truth["expected_test"].to_numpy()
    caps = {m: capture(r.scores[m], r.length_m, expected) for m in r.methods}
    caps["oracle"] = capture(expected / r.length_m, r.length_m, expected)
    r.scores["oracle"] = expected / r.length_m
    top = {m: _top_share(r.scores[m].to_numpy(), r.length_m, 0.2) for m in ("model", "leaks_per_km_so_far", "oracle")}
    past = r.scores["leaks_per_km_so_far"].to_numpy() * r.length_m / 1000.0
    groups = {"family": truth["family"].to_numpy(),
              "past": pd.cut(np.round(past), [-1, 0, 1, 2, 4, np.inf], labels=["0", "1", "2", "3-4", "5+"]),
              "length": pd.cut(r.length_m, [0, 30, 100, 300, np.inf], labels=["<30 m", "30-100", "100-300", "300+"])}
    split = pd.DataFrame({**groups, **{f"{a} not {b}": expected * (top[a] & ~top[b]) for a, b in SPLITS}})
    return {"world": world_name, "seed": seed, "expected": caps, "total_expected": float(expected.sum()),
            **{f"by_{g}": split.groupby(g, observed=False)[[f"{a} not {b}" for a, b in SPLITS]].sum() for g in groups}}


def _top_share(score, length, share: float) -> np.ndarray:
    """Pipes on the top ``share`` of length by ``score`` (ties in input order)."""
    order = np.argsort(-np.where(np.isfinite(score), score, -np.inf), kind="stable")
    inside = np.zeros(len(score), dtype=bool)
    inside[order[np.cumsum(length[order]) <= share * length.sum()]] = True
    return inside


def diagnosis_table(results: list[dict]) -> str:
    """Every ranking on expected breaks (mean over seeds), and where model and leaks per km part."""
    lines = [f"world {results[0]['world']}, on the breaks the true rates expect ({len(results)} seed(s)):",
             f"{'ranking':34s}" + "".join(f"{int(100 * float(lv)):>7d}%" for lv in LEVELS)]
    for m in results[0]["expected"]:
        lines.append(f"{m:34s}" + "".join(f"{100 * np.mean([r['expected'][m][lv] for r in results]):8.1f}"
                                          for lv in LEVELS))
    for label, key in PAIRS:
        diffs = [_mean_se([r["expected"]["model"][lv] - r["expected"][key][lv] for r in results]) for lv in LEVELS]
        lines.append(f"  {label:32s}" + "  ".join(f"{d:>11s}" for d in diffs))
    total = sum(r["total_expected"] for r in results)
    for what in ("by_family", "by_past", "by_length"):
        t = sum(r[what] for r in results) / total * 100
        lines.append(f"top 20% of length, % of expected breaks on the top of one ranking and not the other, "
                     f"{what.replace('_', ' ')}{' (recorded breaks so far)' if what == 'by_past' else ''}:")
        lines.append(t.round(2).to_string())
    return "\n".join(lines)


def _mean_se(values) -> str:
    v = 100 * np.asarray(values, dtype=float)
    if len(v) < 2:
        return f"{v.mean():+5.1f}      "
    return f"{v.mean():+5.1f} ± {v.std(ddof=1) / np.sqrt(len(v)):3.1f}"


def table(results: list[dict]) -> str:
    """One world's table: capture at 10/20/30% (mean over seeds), paired differences, oracle ratio."""
    r0 = results[0]
    head = (f"world {r0['world']}: {len(results)} seed(s), "
            f"{r0['n_scored']:,} pipes scored at the cutoff (seed {r0['seed']}), "
            f"test breaks per seed {', '.join(str(r['n_test']) for r in results)}")
    lines = [head, f"{'ranking':34s}" + "".join(f"{int(100 * float(lv)):>7d}%" for lv in LEVELS)
             + "   | on expected breaks " + " ".join(f"{int(100 * float(lv)):>5d}%" for lv in LEVELS)]
    for label, key in ROWS:
        if key not in r0["figures"]:
            continue
        caps = [np.mean([r["figures"][key]["capture"][lv] for r in results]) for lv in LEVELS]
        line = f"{label:34s}" + "".join(f"{100 * c:8.1f}" for c in caps)
        if "expected" in r0["figures"][key]:
            exp = [np.mean([r["figures"][key]["expected"][lv] for r in results]) for lv in LEVELS]
            line += "   |                    " + " ".join(f"{100 * c:6.1f}" for c in exp)
        lines.append(line)
    lines.append("paired, mean ± standard error over seeds (points):")
    for label, key in PAIRS:
        diffs = [_mean_se([r["figures"]["model"]["capture"][lv] - r["figures"][key]["capture"][lv]
                           for r in results]) for lv in LEVELS]
        lines.append(f"  {label:32s}" + "  ".join(f"{d:>11s}" for d in diffs))
    ratio = [r["figures"]["model"]["capture"]["0.2"] / r["figures"]["oracle"]["capture"]["0.2"] for r in results]
    lines.append(f"model / oracle at 20%: {100 * np.mean(ratio):.1f}% on test breaks"
                 + (f", {100 * np.mean([r['figures']['model']['expected']['0.2'] / r['figures']['oracle']['expected']['0.2'] for r in results]):.1f}% on expected breaks"  # noqa: E501
                    if "expected" in r0["figures"]["model"] else ""))
    if "unscored" in r0:
        lines.append("leakopt run --as-of: unscored pipes in service at the cutoff per seed: "
                     + ", ".join(f"{r['unscored']} of {r['in_service']:,}" for r in results))
    mismatch = [r for r in results if r["n_test"] != r["n_test_truth"]]
    if mismatch:
        lines.append("test breaks counted by leakopt vs the generator: "
                     + ", ".join(f"seed {r['seed']}: {r['n_test']} vs {r['n_test_truth']}" for r in mismatch))
    return "\n".join(lines)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--world", nargs="+", choices=(*WORLDS, "all"), default=["all"])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    ap.add_argument("--pipes", type=int, default=6000)
    ap.add_argument("--horizon-years", type=int, default=3)
    ap.add_argument("--record-from", type=int, default=None, metavar="YEAR",
                    help="first year of the break record (default: drawn in 1992-1996 from the seed); e.g. 2015 "
                         "for a utility that digitised its breaks only recently")
    ap.add_argument("--rate-scale", type=float, default=1.0, metavar="X",
                    help="every main-break rate times X (e.g. 0.25: a utility with four times fewer breaks)")
    ap.add_argument("--no-run", action="store_true", help="skip `leakopt run --as-of` (the unscored-pipe check)")
    ap.add_argument("--diagnose", action="store_true",
                    help="instead: every ranking on expected breaks, in process, and where model and leaks/km part")
    args = ap.parse_args(argv)
    if args.diagnose:
        return _diagnose_all(args)
    worlds = _worlds(args)
    print(f"start: {_uptime()}", flush=True)
    t0, cpu0 = time.time(), os.times()
    results = []
    for w in worlds:
        per_world = []
        for seed in args.seeds:
            per_world.append(measure(w, seed, n_pipes=args.pipes, horizon=args.horizon_years, run=not args.no_run,
                                    record_from=args.record_from, rate_scale=args.rate_scale))
        print(table(per_world) + "\n", flush=True)
        results += per_world
    cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(f"end: {_uptime()}\n{time.time() - t0:.0f} s wall, {cpu:.0f} CPU s", flush=True)
    return results


def _worlds(args) -> tuple:
    """The worlds asked for, in the order given; ``all`` is every world."""
    return WORLDS if "all" in args.world else tuple(dict.fromkeys(args.world))


def _diagnose_all(args) -> list[dict]:
    worlds = _worlds(args)
    print(f"start: {_uptime()}", flush=True)
    t0, cpu0 = time.time(), os.times()
    out = []
    for w in worlds:
        res = [diagnose(w, s, n_pipes=args.pipes, horizon=args.horizon_years, record_from=args.record_from,
                        rate_scale=args.rate_scale) for s in args.seeds]
        print(diagnosis_table(res) + "\n", flush=True)
        out += res
    cpu1 = os.times()
    print(f"end: {_uptime()}\n{time.time() - t0:.0f} s wall, "
          f"{(cpu1.user - cpu0.user) + (cpu1.system - cpu0.system):.0f} CPU s", flush=True)
    return out


if __name__ == "__main__":
    main()

"""Benchmark of the risk model against the baselines on a real utility's files, with bootstrap intervals.

Usage::

    python benchmarks/bench_real.py PIPES BREAKS --config utility.toml --cutoff 2017-01-01
        --horizon-years 6 [--bootstrap 1000] [--seed 0] [--subsets 8 --share 0.25]

Loads the two files exactly as the utility exports them, through the configuration's
``[columns]``, ``[leak_columns]`` and ``[validate]`` tables (so the raw-export path is measured,
not a cleaned copy), then runs the reference split: train on the leaks before ``--cutoff``,
score as of the cutoff, and count where the leaks of the next ``--horizon-years`` fell on the
pipes of the register installed before the cutoff (before its year for a 1 January cutoff).
For the model and every baseline it prints the share of those leaks found on the top 1, 5,
10, 20 and 30% of network length and the length share that holds 80% of them, each with a
95% percentile interval from ``--bootstrap`` resamples of the test leaks (with replacement).

With ``--subsets N``, it then repeats the split on N town-sized registers drawn from this one: a
random ``--share`` of its pipes (seeded) with the leaks on them, as of the same date.  One utility of
~4,000 pipes holds only 100-150 test leaks, so a single small register cannot tell two rankings
apart; the draws print each ranking's mean capture and the model's lead over each baseline, paired on
the same draw, as a mean with its standard error and the number of draws it leads on.  The draws
share pipes and years, so they measure how the ranking behaves on small registers, not new data.

It prints figures; it asserts nothing.  With the City of Kitchener's open data
(docs/benchmarks.md says where to get it)::

    python benchmarks/bench_real.py kitchener/Water_Mains.csv kitchener/Water_Main_Breaks.csv \\
        --config docs/examples/kitchener.toml --cutoff 2017-01-01 --horizon-years 6 --bootstrap 1000
"""
from __future__ import annotations

import argparse
import dataclasses
import time

import pandas as pd

#: Register columns that hold today's assessments, possibly updated after the leaks being predicted.
FORBIDDEN_FEATURES = ("CONDITION_SCORE", "CRITICALITY", "condition_score", "criticality")
LEVELS = ("0.01", "0.05", "0.1", "0.2", "0.3")
#: Header of the capture tables: the ranking, each level of LEVELS, the length holding 80%.
HEAD = ["method"] + [f"top {float(lv) * 100:g}% of length" for lv in LEVELS] + ["length for 80%"]


def installed_before(utility, cutoff: pd.Timestamp):
    """The utility with only the pipes in service at ``cutoff`` (and the leaks on them).

    ``leakopt backtest`` scores the pipes installed in or before the cutoff's year; at a
    1 January cutoff, the reference split keeps the pipes installed before that year.
    """
    last = cutoff.year - 1 if (cutoff.month, cutoff.day) == (1, 1) else cutoff.year
    return with_pipes(utility, utility.pipes[utility.pipes["install_year"] <= last]), last


def with_pipes(utility, pipes: pd.DataFrame):
    """The utility reduced to ``pipes`` (rows of its register) and the leaks on them."""
    pipes = pipes.reset_index(drop=True)
    leaks = utility.leaks[utility.leaks["pipe_id"].astype(str).isin(pipes["pipe_id"].astype(str))]
    return dataclasses.replace(utility, pipes=pipes, leaks=leaks.reset_index(drop=True))


def cell(point: float, interval: tuple[float, float] | None) -> str:
    if interval is None:
        return f"{100 * point:5.1f}"
    return f"{100 * point:5.1f} [{100 * interval[0]:4.1f}, {100 * interval[1]:4.1f}]"


def _layout(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r):
        return "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
    return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]


def tables(rankings, n_boot: int, seed: int) -> str:
    """The capture table (and, with resamples, the model's paired lead over each baseline)."""
    from leakopt.risk import bootstrap_capture, capture_curve

    point = {m: capture_curve(rankings.scores[m], rankings.length_m, rankings.observed) for m in rankings.methods}
    ci = bootstrap_capture(rankings.scores, rankings.length_m, rankings.observed, n=n_boot, seed=seed) \
        if n_boot else {}
    rows = []
    for m in rankings.methods:
        c = ci.get(m)
        rows.append([m] + [cell(point[m]["capture"][lv], c and c["capture"][lv]) for lv in LEVELS]
                    + [cell(point[m]["length_share_for_80pct"], c and c["length_share_for_80pct"])])
    lines = _layout(HEAD, rows)
    if ci:
        lead = [[m] + [cell(point["model"]["capture"][lv] - point[m]["capture"][lv], ci[m]["lead"][lv])
                       for lv in LEVELS] for m in rankings.methods if "lead" in ci[m]]
        title = "model minus each baseline, in points of capture, paired on the same resamples [95% interval]:"
        lines += ["", title, *_layout(["baseline"] + HEAD[1:-1], lead)]
    return "\n".join(lines)


def draw(utility, share: float, seed: int):
    """The utility reduced to a random ``share`` of its pipes (seeded) and the leaks on them."""
    import numpy as np

    n = len(utility.pipes)
    keep = np.sort(np.random.default_rng(seed).choice(n, size=max(1, round(share * n)), replace=False))
    return with_pipes(utility, utility.pipes.iloc[keep])


def draws_table(rankings: list) -> str:
    """Mean capture of every ranking over the draws, then the model's paired lead over each baseline."""
    import numpy as np

    from leakopt.risk import capture_curve

    methods = rankings[0].methods
    rows = []   # one per draw and method: capture at each level, then length for 80%
    for r in rankings:
        for m in methods:
            c = capture_curve(r.scores[m], r.length_m, r.observed)
            rows.append([m] + [c["capture"][lv] for lv in LEVELS] + [c["length_share_for_80pct"]])
    cols = list(LEVELS) + ["l80"]
    table = pd.DataFrame(rows, columns=["method"] + cols)
    mean = table.groupby("method", sort=False)[cols].mean()
    lines = _layout(HEAD, [[m] + [cell(v, None) for v in mean.loc[m]] for m in methods])
    model = table[table["method"] == "model"][list(LEVELS)].to_numpy()
    lead = []
    for m in [x for x in methods if x != "model"]:
        diff = 100 * (model - table[table["method"] == m][list(LEVELS)].to_numpy())   # points
        se = diff.std(axis=0, ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else np.full(len(LEVELS), np.nan)
        lead.append([m] + [f"{d:+5.1f} ± {e:3.1f} ({int((diff[:, i] > 0).sum())}/{len(diff)})"
                           for i, (d, e) in enumerate(zip(diff.mean(axis=0), se))])
    title = ("model minus each baseline, in points of capture: mean over the draws ± standard error "
             "(draws where the model leads):")
    return "\n".join(lines + ["", title, *_layout(["baseline"] + HEAD[1:-1], lead)])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pipes", help="the asset register as exported (CSV, GeoPackage, ...)")
    ap.add_argument("breaks", help="the leak / break history as exported")
    ap.add_argument("--config", required=True, help="TOML file mapping the export's columns (e.g. kitchener.toml)")
    ap.add_argument("--cutoff", required=True, help="forecast date of the split, YYYY-MM-DD")
    ap.add_argument("--horizon-years", type=int, default=6, help="years of leaks after the cutoff tested (6)")
    ap.add_argument("--bootstrap", type=int, default=1000, help="resamples of the test leaks (1000; 0: none)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the resamples and of the draws")
    ap.add_argument("--subsets", type=int, default=0, metavar="N",
                    help="then repeat the split on N random draws of a share of the pipes (0: none)")
    ap.add_argument("--share", type=float, default=0.25, help="share of the pipes in each draw (0.25)")
    args = ap.parse_args(argv)
    if not 0 < args.share <= 1:
        ap.error(f"--share must be in (0, 1]; got {args.share}")

    from leakopt.config import load_config
    from leakopt.risk import BacktestConfig, rankings_at
    from leakopt.validate import load_utility

    config = load_config(args.config)
    risk_config = config.stage("risk")
    used = sorted(set(risk_config.extra_features) & set(FORBIDDEN_FEATURES))
    if used:
        raise SystemExit(f"[risk] extra_features lists {used}: today's assessments, possibly updated after "
                         "the leaks being predicted; remove them for this benchmark")
    cutoff = pd.Timestamp(args.cutoff)
    t0 = time.perf_counter()
    utility = load_utility(args.pipes, args.breaks, config=config)
    t_load = time.perf_counter() - t0
    split, last = installed_before(utility, cutoff)
    s = utility.validation.summary
    t1 = time.perf_counter()
    r = rankings_at(split, cutoff, args.horizon_years, config=BacktestConfig(), risk_config=risk_config)
    t_fit = time.perf_counter() - t1
    t2 = time.perf_counter()
    out = tables(r, args.bootstrap, args.seed)
    t_boot = time.perf_counter() - t2

    later = utility.pipes["install_year"] > last
    in_year = later & (utility.pipes["install_year"] <= cutoff.year)
    test_on_year = utility.leaks[(utility.leaks["date"] >= cutoff)
                                 & utility.leaks["pipe_id"].isin(utility.pipes.loc[in_year, "pipe_id"])]
    excluded = ", ".join(f"{k} {v}" for k, v in s["leaks_excluded"].items()) or "none"
    print(f"files: {args.pipes}, {args.breaks} (config {args.config})")
    print(f"validated: {s['pipes_kept']} of {s['pipes_read']} pipes kept; {s['leaks_used']} of {s['leaks_read']} "
          f"leaks used (left out: {excluded}); first reliable year {s['first_record_year']}; as of {s['as_of']}")
    print(f"split: train on leaks before {cutoff.date()}, test on the next {r.horizon_years:.2f} years, on the "
          f"{len(r.scores)} pipes installed by {last} ({r.length_m.sum() / 1000:.1f} km); "
          f"{int(r.observed.sum())} test leaks")
    if in_year.any():
        print(f"  (left out as not in service at the cutoff: {int(in_year.sum())} pipes installed in {cutoff.year}, "
              f"{len(test_on_year)} test leaks on them; 'leakopt backtest' scores them)")
    ci = f"; [95% interval over {args.bootstrap} resamples of the test leaks]" if args.bootstrap else ""
    print(f"% of test leaks on the top share of length (riskiest first), and % of length holding 80% of them{ci}")
    print(out)
    print(f"seconds: load and validate {t_load:.1f}, train and score every ranking {t_fit:.1f} "
          f"(model CPU {r.cpu_seconds:.1f}), bootstrap {t_boot:.1f}")
    if args.subsets > 0:
        t3 = time.perf_counter()
        runs = []
        for i in range(args.subsets):
            sub = draw(split, args.share, args.seed + i)
            runs.append(rankings_at(sub, cutoff, args.horizon_years, config=BacktestConfig(), risk_config=risk_config))
            print(f"draw {i + 1}/{args.subsets}: {len(sub.pipes)} pipes, {int(runs[-1].observed.sum())} test leaks",
                  flush=True)
        print(f"\n{args.subsets} draws of {args.share:.0%} of the pipes in service (seeds {args.seed} to "
              f"{args.seed + args.subsets - 1}), the same split; mean % of test leaks on the top share of length:")
        print(draws_table(runs))
        print(f"seconds: draws {time.perf_counter() - t3:.1f}")
    if "kitchener" in str(args.pipes).lower():
        print("data: City of Kitchener open data")


if __name__ == "__main__":
    main()

"""One panel of the model's ranking quality for a model variant: a real utility at several cutoffs and
both synthetic hazard families, model only (no baselines: they do not change with the model's settings).

Usage::

    python benchmarks/bench_quality.py [--real PIPES BREAKS --config utility.toml
        --cutoffs 2017-01-01 2014-01-01 2011-01-01 --horizon-years 6]
        [--sizes 4000] [--seeds 0 1 2] [--hazard both] [--risk FIELD=VALUE ...]

A change to the model is kept only if it pays, or at least does not lose, everywhere: at every
cutoff of the real utility and on both synthetic families (issue 15). This prints, for the
settings given with ``--risk`` (as in ``bench_risk.py``), the model's capture at 1, 5, 10, 20 and
30% of length and the length share holding 80% of the test leaks at each real cutoff (as
``bench_real.py`` measures them, without the bootstrap), then the model / oracle ratio at 20% of
length on the leaks expected from the true rates (walk-forward mean), per synthetic family and
seed. Run it once with the defaults and once per variant, and compare the lines. It prints
figures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))   # bench_real, bench_risk beside this file

LEVELS = ("0.01", "0.05", "0.1", "0.2", "0.3")


def real_lines(pipes: str, breaks: str, config_path: str, cutoffs: list[str], horizon: int, risk) -> list[str]:
    """The model's capture line at each cutoff of the real utility (``bench_real.py``'s split)."""
    from bench_real import installed_before

    from leakopt.config import load_config
    from leakopt.risk import BacktestConfig, capture_curve, rankings_at
    from leakopt.validate import load_utility

    utility = load_utility(pipes, breaks, config=load_config(config_path))
    lines = []
    for cut in cutoffs:
        c = pd.Timestamp(cut)
        split, _ = installed_before(utility, c)
        r = rankings_at(split, c, horizon, config=BacktestConfig(baselines=()), risk_config=risk)
        cc = capture_curve(r.scores["model"], r.length_m, r.observed)
        caps = "  ".join(f"{100 * cc['capture'][lv]:5.1f}" for lv in LEVELS)
        lines.append(f"real {c.date()}: {caps}  | length for 80% {100 * cc['length_share_for_80pct']:5.1f}"
                     f"  ({int(r.observed.sum())} test leaks)")
    return lines


def synthetic_ratio(n_pipes: int, seed: int, hazard: str, risk) -> float:
    """Model / oracle at 20% of length on expected leaks, walk-forward mean (``bench_risk.py``'s backtest)."""
    from bench_risk import load, synth_config

    from leakopt.risk import BacktestConfig, backtest

    s, u, hyd = load(n_pipes, seed, synth_config([], hazard))
    r = backtest(u, cutoff=pd.Timestamp(u.as_of.year - 3, 1, 1), horizon_years=3, truth=s.truth, hydraulics=hyd,
                 risk_config=risk, config=BacktestConfig(baselines=()))
    wf = r.walk_forward_summary
    return wf["model"]["expected_capture_mean"]["0.2"] / wf["truth"]["expected_capture_mean"]["0.2"]


def main(argv=None) -> None:
    from bench_risk import risk_config

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", nargs=2, metavar=("PIPES", "BREAKS"), help="a real utility's two exported files")
    ap.add_argument("--config", help="TOML column mapping of the real files (e.g. docs/examples/kitchener.toml)")
    ap.add_argument("--cutoffs", nargs="+", default=["2017-01-01", "2014-01-01", "2011-01-01"])
    ap.add_argument("--horizon-years", type=int, default=6)
    ap.add_argument("--sizes", type=int, nargs="*", default=[4000], help="synthetic sizes (none: skip them)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--hazard", choices=("districts", "pipes", "both"), default="both")
    ap.add_argument("--risk", nargs="+", default=[], metavar="FIELD=VALUE", help="RiskConfig settings tested")
    args = ap.parse_args(argv)
    if args.real and not args.config:
        raise SystemExit("--real needs --config (the TOML mapping of the files' columns)")
    risk = risk_config(list(args.risk))
    cpu0 = time.process_time()
    print(f"risk settings: {' '.join(args.risk) or 'defaults'}")
    if args.real:
        print("real utility, model: capture at top " + ", ".join(f"{float(lv):.0%}" for lv in LEVELS) + " of length")
        for line in real_lines(*args.real, args.config, args.cutoffs, args.horizon_years, risk):
            print(line, flush=True)
    hazards = ("districts", "pipes") if args.hazard == "both" else (args.hazard,)
    for n in args.sizes:
        for hazard in hazards:
            ratios = [synthetic_ratio(n, seed, hazard, risk) for seed in args.seeds]
            each = ", ".join(f"{100 * x:.1f}" for x in ratios)
            print(f"synthetic {hazard} n={n}: model / oracle at 20% on expected leaks {100 * np.mean(ratios):.2f}% "
                  f"(seeds {each})", flush=True)
    print(f"CPU {time.process_time() - cpu0:.0f} s, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

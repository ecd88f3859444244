"""Benchmark of the risk model against the baselines and the true rates, on synthetic utilities.

Usage::

    python benchmarks/bench_risk.py [--sizes 4000 20000] [--seeds 0 1 2] [--horizon 3]
        [--register-only] [--extra-features COLUMN ...] [--set FIELD=VALUE ...] [--risk FIELD=VALUE ...]
        [--hazard districts|pipes|both]
    python benchmarks/bench_risk.py --sample-training [--risk FIELD=VALUE ...]

For each size and seed: synthesise a utility (leakopt.synth.generate), validate it,
simulate hydraulics (unless ``--register-only``), backtest at ``as_of.year -
horizon`` (walk-forward over 3 cutoffs) and print the share of test-period
leaks found on the top 1/5/10/20/30% of network length by the model, each
baseline and the truth ranking (oracle), with the model's CPU seconds of
training.  ``cap@`` columns count the test leaks; ``exp@`` columns the leaks
the true rates at the cutoff expect (the same measure without the Poisson
noise of a few hundred test leaks).

``--register-only`` drops the network and the ``district`` column: the model sees
the register and the leak records only, as in the blind test on a real utility's
open data.  ``--set`` changes :class:`leakopt.synth.generate.SynthConfig` fields, e.g.
``--set self_excitation=2 frailty_sigma=0.8`` for strongly clustered repeat leaks,
where "most leaks per km so far" is at its best.  ``--extra-features district``
lets the model use the register's district column (as a utility would list a
sector or soil column in its configuration).  ``--risk`` changes the tested model's
:class:`leakopt.risk.RiskConfig` fields, e.g. ``--risk cohort_sigma=0``, to measure an
option against the default on the same seeds.  ``--hazard`` chooses the synthetic
hazard family (:class:`SynthConfig`'s ``hazard``: "districts", the default and the
sample's, or "pipes": Weibull ageing, decaying self-excitation, per-pipe frailty), or
``both`` to report the model against the oracle in each world on the same seeds.

``--sample-training`` only trains the model on the shipped sample utility (``data_samples/``,
what ``leakopt demo`` trains on) and prints the CPU seconds of building its panel and fitting
(issue #15: at most 10), the trees, the pipe-years and the machine's load average.
"""
from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
import pandas as pd

#: Shares of network length reported.
LEVELS = ("0.01", "0.05", "0.1", "0.2", "0.3")


def synth_config(settings: list[str], hazard: str = "districts"):
    """A :class:`leakopt.synth.generate.SynthConfig` of the ``hazard`` family with ``FIELD=VALUE`` settings (numbers)."""
    import dataclasses

    from leakopt.synth import SynthConfig

    fields = {f.name for f in dataclasses.fields(SynthConfig)}
    changes = {}
    for item in settings:
        key, sep, value = item.partition("=")
        if not sep or key not in fields:
            raise SystemExit(f"--set {item!r}: expected FIELD=VALUE with FIELD one of {sorted(fields)}")
        changes[key] = int(value) if value.lstrip("-").isdigit() else float(value)
    return dataclasses.replace(SynthConfig(hazard=hazard), **changes)


def risk_config(settings: list[str], extra_features: tuple[str, ...] = ()):
    """A :class:`leakopt.risk.RiskConfig` with ``FIELD=VALUE`` settings (numbers or true/false)."""
    import dataclasses

    from leakopt.risk import RiskConfig

    fields = {f.name for f in dataclasses.fields(RiskConfig)}
    changes = {"extra_features": tuple(extra_features)}
    for item in settings:
        key, sep, value = item.partition("=")
        if not sep or key not in fields:
            raise SystemExit(f"--risk {item!r}: expected FIELD=VALUE with FIELD one of {sorted(fields)}")
        low = value.strip().lower()
        changes[key] = (low == "true") if low in ("true", "false") else (
            int(value) if value.lstrip("-").isdigit() else float(value))
    return RiskConfig(**changes)


def load(n_pipes: int, seed: int, config=None, register_only: bool = False):
    """``(synthetic utility, validated Utility, hydraulic features or None)`` of one seed."""
    from leakopt.io import read_network
    from leakopt.risk import hydraulic_features
    from leakopt.synth import synthesize, write_synth
    from leakopt.validate import validate

    s = synthesize(n_pipes, seed=seed, config=config)
    if register_only:
        return s, validate(s.pipes.drop(columns=["district"]), s.leaks), None
    with tempfile.TemporaryDirectory() as tmp:
        net = read_network(write_synth(s, tmp)["network"])
        return s, validate(s.pipes, s.leaks, network=net), hydraulic_features(net)


def run(n_pipes: int, seed: int, horizon: int, config=None, register_only: bool = False,
        extra_features: tuple[str, ...] = (), risk: list[str] = ()) -> list[dict]:
    from leakopt.risk import backtest

    t = time.perf_counter()
    s, u, hyd = load(n_pipes, seed, config, register_only)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    r = backtest(u, cutoff=pd.Timestamp(u.as_of.year - horizon, 1, 1), horizon_years=horizon,
                 truth=s.truth, hydraulics=hyd, risk_config=risk_config(list(risk), extra_features))
    wall = time.perf_counter() - t
    hazard = config.hazard if config is not None else "districts"
    rows = []
    for name, summ in r.walk_forward_summary.items():
        row = {"hazard": hazard, "n_pipes": n_pipes, "seed": seed, "method": name, "n_test_leaks": r.n_test_leaks}
        row.update({f"cap@{k}": v for k, v in summ["capture_mean"].items() if k in LEVELS})
        row["cap@0.2_std"] = summ["capture_std"]["0.2"]
        row.update({f"exp@{k}": v for k, v in summ["expected_capture_mean"].items() if k in LEVELS})
        rows.append(row)
    wf = r.walk_forward_summary
    ratio = wf["model"]["capture_mean"]["0.2"] / wf["truth"]["capture_mean"]["0.2"]
    ratio_exp = wf["model"]["expected_capture_mean"]["0.2"] / wf["truth"]["expected_capture_mean"]["0.2"]
    print(f"{hazard} n={n_pipes} seed={seed}: model/truth at 20% = {ratio:.3f} on test leaks, {ratio_exp:.3f} on "
          f"expected leaks; training CPU "
          f"{r.cpu_seconds:.1f} s; backtest wall {wall:.0f} s; synthesis and loading {load_s:.1f} s", flush=True)
    return rows


def oracle_table(table: pd.DataFrame) -> str:
    """The model against the oracle in each hazard family and size: capture at 10/20/30% of length
    (mean over seeds, test leaks and in brackets expected leaks) and the model / oracle ratio at 20%."""
    lines = ["model against the oracle, by hazard family (mean over seeds; in brackets, on expected leaks):",
             "| hazard | pipes | seeds | ranking | 10% | 20% | 30% | model / oracle at 20% |",
             "|---|---|---|---|---|---|---|---|"]
    for (hazard, n), t in table.groupby(["hazard", "n_pipes"]):
        mean = t.groupby("method")[[f"{m}@{lv}" for m in ("cap", "exp") for lv in ("0.1", "0.2", "0.3")]].mean()
        ratio = 100 * mean.loc["model", "cap@0.2"] / mean.loc["truth", "cap@0.2"]
        ratio_exp = 100 * mean.loc["model", "exp@0.2"] / mean.loc["truth", "exp@0.2"]
        for method, label in (("truth", "oracle"), ("model", "model")):
            caps = " | ".join(f"{100 * mean.loc[method, f'cap@{lv}']:.1f} ({100 * mean.loc[method, f'exp@{lv}']:.1f})"
                              for lv in ("0.1", "0.2", "0.3"))
            last = f"{ratio:.1f}% ({ratio_exp:.1f}%)" if method == "model" else ""
            lines.append(f"| {hazard} | {n:,} | {t['seed'].nunique()} | {label} | {caps} | {last} |")
    return "\n".join(lines)


def paired_summary(table: pd.DataFrame) -> str:
    """Model vs oracle and vs each baseline, paired by seed, with standard errors over seeds.

    The seeds' utilities differ more than the methods do on one utility, so the
    differences are taken seed by seed (same test leaks) before averaging.
    """
    def stat(x: pd.Series, fmt: str) -> str:
        se = x.std(ddof=1) / np.sqrt(len(x)) if len(x) > 1 else float("nan")
        return f"{x.mean():{fmt}} ± {se:.2f}"

    lines = ["paired by seed (mean ± standard error over seeds, in points):"]
    for (hazard, n), t in table.groupby(["hazard", "n_pipes"]):
        wide = t.pivot(index="seed", columns="method")
        for m, what in (("cap", "test leaks"), ("exp", "expected leaks")):
            ratio = 100 * wide[f"{m}@0.2"]["model"] / wide[f"{m}@0.2"]["truth"]
            lines.append(f"{hazard} n={n} ({len(wide)} seeds), {what}: model / oracle at 20% = "
                         f"{stat(ratio, '.2f')} %")
        for base in sorted(set(t["method"]) - {"model", "truth"}):
            gap = {lv: 100 * (wide[f"cap@{lv}"]["model"] - wide[f"cap@{lv}"][base]) for lv in ("0.1", "0.2", "0.3")}
            diffs = ", ".join(f"{float(lv):.0%} {stat(d, '+.2f')}" for lv, d in gap.items())
            lines.append(f"{hazard} n={n}, test leaks: model - {base}: {diffs}")
    return "\n".join(lines)


def sample_training(risk: list[str] = ()) -> float:
    """Train on the shipped sample as ``leakopt run`` does; print and return the training CPU seconds."""
    import os
    from pathlib import Path

    from leakopt.risk import fit_model, hydraulic_features
    from leakopt.validate import load_utility

    data = Path(__file__).resolve().parent.parent / "data_samples"
    u = load_utility(data / "pipes.csv", data / "leaks.csv", data / "network.inp")
    fitted = fit_model(u, config=risk_config(list(risk)), hydraulics=hydraulic_features(u.network))
    print(f"training on the sample: {fitted.cpu_seconds:.2f} CPU s (panel and fit; target at most 10), "
          f"{fitted.model.best_iteration} trees, {len(fitted.panel):,} pipe-years, "
          f"load average {os.getloadavg()[0]:.1f}")
    return fitted.cpu_seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[4000, 20000])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--horizon", type=int, default=3)
    ap.add_argument("--register-only", action="store_true",
                    help="no network and no district column: register and leak records only")
    ap.add_argument("--extra-features", nargs="+", default=[], metavar="COLUMN",
                    help="register columns the model may use, e.g. district")
    ap.add_argument("--set", nargs="+", default=[], metavar="FIELD=VALUE",
                    help="SynthConfig fields to change, e.g. self_excitation=2")
    ap.add_argument("--risk", nargs="+", default=[], metavar="FIELD=VALUE",
                    help="RiskConfig fields of the model tested, e.g. glm_offset=false")
    ap.add_argument("--hazard", choices=("districts", "pipes", "both"), default="districts",
                    help="synthetic hazard family: districts (default, the sample's), pipes, or both")
    ap.add_argument("--sample-training", action="store_true",
                    help="only train on the shipped sample and print the CPU seconds it took")
    args = ap.parse_args()
    if args.sample_training:
        sample_training(args.risk)
        return
    hazards = ("districts", "pipes") if args.hazard == "both" else (args.hazard,)
    rows = [row for hazard in hazards for n in args.sizes for seed in args.seeds
            for row in run(n, seed, args.horizon, synth_config(args.set, hazard), args.register_only,
                           args.extra_features, args.risk)]
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(table.round(3).to_string(index=False))
    cols = [f"{m}@{k}" for m in ("cap", "exp") for k in LEVELS]
    mean = table.groupby(["hazard", "n_pipes", "method"])[cols].mean().round(3)
    print("\nmean over seeds (walk-forward means; cap = share of test leaks, exp = share of true expected leaks):")
    print(mean.to_string())
    print("\n" + oracle_table(table))
    print("\n" + paired_summary(table))


if __name__ == "__main__":
    main()

"""Benchmark: acoustic coverage build and logger placement on 10,000 and 100,000 pipes.

Usage::

    python benchmarks/bench_placement.py [--sizes 10000 100000] [--time-limit 60] [--seed 0] [--redundancy 1]
                                         [--layout auto|net6|ky10|procedural]

For each size a synthetic utility is made with :func:`leakopt.synth.synthesize`
(a street-grid network is built here if that module is missing); its true
expected leaks of the last simulated year stand in for ``risk.csv`` (priority
zone = the pipes with the highest leaks per km holding 80% of expected leaks).
Each stage reports wall time, CPU time of the process (all threads: on a
shared machine wall time is unreliable) and peak resident memory (sampled
every 20 ms by psutil, as the increase over the process's memory at the start
of the stage, so solver memory in C++ is counted), printed as a table.  The
last stages are what ``leakopt run`` does for loggers: :func:`place_sensors`
(share model + whole-network model + greedy) and :func:`tradeoff_curve`.
"""
from __future__ import annotations

import argparse
import resource
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing


@contextmanager
def measured(rows: list, size: int, stage: str, **extra):
    """Record wall time and peak RSS increase of the enclosed block."""
    proc = psutil.Process()
    base = proc.memory_info().rss
    peak = [base]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            stop.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0, c0 = time.perf_counter(), time.process_time()
    record = {"pipes": size, "stage": stage, **extra}
    try:
        yield record
    finally:
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        stop.set()
        thread.join()
        peak[0] = max(peak[0], proc.memory_info().rss)
        record.update(seconds=round(seconds, 2), cpu_s=round(cpu, 2), peak_mb=round((peak[0] - base) / 2**20, 1))
        rows.append(record)
        print(f"  {size:>7} {stage:<28} {record['seconds']:>8.2f} s {record['cpu_s']:>8.2f} cpu "
              f"{record['peak_mb']:>8.1f} MB  "
              f"{record.get('detail', '')}", file=sys.stderr, flush=True)


def utility(n_pipes: int, seed: int, layout: str = "auto"):
    """(network, risk) for a synthetic utility of ``n_pipes`` pipes (``layout``: see ``SynthConfig.layout``)."""
    try:
        from leakopt.synth import SynthConfig, synthesize
    except ImportError:
        return grid_utility(n_pipes, seed)
    syn = synthesize(n_pipes, seed=seed, config=SynthConfig(layout=layout))
    last = syn.truth[syn.truth["year"] == syn.truth["year"].max()]
    expected = last.set_index("pipe_id")["expected_leaks"].reindex(syn.network.links["pipe_id"]).fillna(0.0)
    family = syn.assets.set_index("pipe_id")["material_family"].reindex(syn.network.links["pipe_id"])
    return syn.network, risk_frame(syn.network.links, expected.to_numpy(), family.fillna("unknown").to_numpy())


def risk_frame(links: pd.DataFrame, expected: np.ndarray, family: np.ndarray, zone_share: float = 0.8):
    """A ``risk.csv``-like frame: priority zone = highest leaks/km holding ``zone_share``."""
    per_km = expected / np.maximum(links["length_m"].to_numpy(float), 1e-9) * 1000
    order = np.argsort(-per_km, kind="stable")
    cum = np.cumsum(expected[order]) / max(expected.sum(), 1e-12)
    zone = np.zeros(len(links), bool)
    zone[order[: np.searchsorted(cum, zone_share) + 1]] = True
    return pd.DataFrame({"pipe_id": links["pipe_id"].astype(str).to_numpy(), "expected_leaks_per_year": expected,
                         "leaks_per_km_year": per_km, "in_priority_zone": zone, "material": family,
                         "diameter_mm": links["diameter_mm"].to_numpy(float)})


def grid_utility(n_pipes: int, seed: int):
    """Fallback: a perturbed street grid with ~``n_pipes`` pipes and a spatial risk field."""
    from leakopt.schema import Network

    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_pipes / 2))) + 1
    ids = np.arange(side * side).reshape(side, side)
    edges = np.vstack([np.column_stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()]),
                       np.column_stack([ids[:-1, :].ravel(), ids[1:, :].ravel()])])[:n_pipes]
    xy = np.column_stack([ids.ravel() % side, ids.ravel() // side]) * 110.0 + rng.normal(0, 10, (side * side, 2))
    nodes = pd.DataFrame({"node_id": [f"J{i}" for i in range(side * side)], "x": xy[:, 0], "y": xy[:, 1],
                          "elevation": 0.0, "node_type": "junction", "base_demand": 0.0})
    length = np.linalg.norm(xy[edges[:, 0]] - xy[edges[:, 1]], axis=1) * rng.uniform(1.0, 1.2, len(edges))
    links = pd.DataFrame({"pipe_id": [f"P{i}" for i in range(len(edges))],
                          "start_node": nodes["node_id"].to_numpy()[edges[:, 0]],
                          "end_node": nodes["node_id"].to_numpy()[edges[:, 1]], "length_m": length,
                          "diameter_mm": rng.choice([100.0, 150.0, 200.0, 300.0], len(edges)), "roughness": 100.0})
    mid = (xy[edges[:, 0]] + xy[edges[:, 1]]) / 2 / (side * 110.0)
    field = np.exp(3 * np.sin(6 * mid[:, 0]) * np.cos(5 * mid[:, 1]))
    expected = field * rng.gamma(2.0, 0.5, len(edges)) * length / 1000 * 0.1
    family = rng.choice(["cast_iron", "ductile_iron", "pvc", "pe", "asbestos_cement"], len(edges))
    return Network(nodes=nodes, links=links), risk_frame(links, expected, family)


def _model_size(model) -> str:
    """Variables and constraints of a built model, whatever holds it."""
    size = getattr(model, "size", None)
    if callable(size):
        return size()
    return f"{len(model.x)} vars x, {len(model.problem.constraints)} constraints"


def _solve_detail(model, info) -> str:
    gap = "n/a" if info.mip_gap is None else f"{info.mip_gap:.2g}"
    if info.best_bound is not None:
        gap += f" ({info.bound_source} bound {info.best_bound:,.0f})"
    return f"{len(model.selected())} loggers, {info.solver} {info.status}, gap {gap}, {info.solve_seconds:.1f} s"


def bench_size(n_pipes: int, *, seed: int, time_limit: float, rows: list, pipeline: bool = True,
               redundancy: int = 1, layout: str = "auto") -> dict:
    from leakopt.placement import build_coverage
    from leakopt.placement.curve import tradeoff_curve
    from leakopt.placement.greedy import greedy_cover
    from leakopt.placement.model import build_model
    from leakopt.placement.solve import PlacementConfig, place_sensors, segment_weights, solve, zone_segments

    with measured(rows, n_pipes, "synthesize (not placement)"):
        net, risk = utility(n_pipes, seed, layout)
    with measured(rows, n_pipes, "coverage build") as rec:
        cov = build_coverage(net, risk)
        rec.update(detail=f"{len(cov.sites)} sites x {len(cov.segments)} segments, {cov.matrix.nnz} pairs, "
                          f"{len(cov.unreachable)} unreachable")
    w = segment_weights(cov, risk)
    zone = zone_segments(cov, risk) * cov.segments["length_m"].to_numpy()
    cfg = PlacementConfig(time_limit_s=time_limit, redundancy=redundancy)
    results = {}
    for label, weights, kw in (("share 0.8", w, {"target_share": 0.8}), ("zone cover", zone, {}),
                               ("full network", np.ones(len(w)), {})):
        with measured(rows, n_pipes, f"build model ({label})") as rec:
            model = build_model(cov, weights, redundancy=redundancy, **kw)
            rec.update(detail=_model_size(model))
        with measured(rows, n_pipes, f"greedy ({label})") as rec:
            g = greedy_cover(cov, weights, prune=True, redundancy=redundancy, **kw)
            rec.update(detail=f"{len(g)} loggers")
        with measured(rows, n_pipes, f"solve ({label})") as rec:
            info = solve(model, solver=cfg.solver, time_limit_s=cfg.time_limit_s, mip_gap=cfg.mip_gap, fallback=g)
            rec.update(detail=_solve_detail(model, info))
        results[label] = len(model.selected())
    results["reduction_factor (zone)"] = results["full network"] / max(results["zone cover"], 1)
    results["reduction_factor (share)"] = results["full network"] / max(results["share 0.8"], 1)
    if pipeline:  # what `leakopt run` / `leakopt sensors` do after the coverage build
        with measured(rows, n_pipes, "place_sensors (run)") as rec:
            p = place_sensors(cov, risk, config=cfg).to_json()
            gap = "n/a" if p["mip_gap"] is None else f"{p['mip_gap']:.2g} ({p['bound_source']} bound)"
            rec.update(detail=f"{p['n_sensors']} loggers {p['solver']} {p['status']} gap {gap}, full "
                              f"{p['n_sensors_full_network']} {p['full_network_status']}")
        with measured(rows, n_pipes, "tradeoff curve (run)") as rec:
            curve = tradeoff_curve(cov, risk, config=cfg)
            rec.update(detail=f"{len(curve)} points: " + ", ".join(
                f"{k}:{s}" for k, s in curve["status"].value_counts().items()) +
                f"; worst gap {pd.to_numeric(curve['mip_gap'], errors='coerce').max():.2g}; bounds " + ", ".join(
                f"{k}:{s}" for k, s in curve["bound_source"].fillna("none").value_counts().items()))
        print(curve.to_string(index=False), file=sys.stderr, flush=True)
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-pipeline", action="store_true", help="skip place_sensors and the trade-off curve")
    parser.add_argument("--redundancy", type=int, default=1, help="loggers that must hear each segment heard")
    parser.add_argument("--layout", default="auto",
                        help="network layout of leakopt.synth: auto, net6, ky10 (WNTR's real layouts) or procedural")
    args = parser.parse_args(argv)
    rows, summaries = [], {}
    for n in args.sizes:
        summaries[n] = bench_size(n, seed=args.seed, time_limit=args.time_limit, rows=rows,
                                  pipeline=not args.no_pipeline, redundancy=args.redundancy, layout=args.layout)
    table = pd.DataFrame(rows, columns=["pipes", "stage", "seconds", "cpu_s", "peak_mb", "detail"]).fillna("")
    with pd.option_context("display.width", 200, "display.max_colwidth", 80):
        print(table.to_string(index=False))
    for n, s in summaries.items():
        print(f"{n:>7} pipes: " + ", ".join(f"{k} = {v:.2f}" if isinstance(v, float) else f"{k} = {v}"
                                           for k, v in s.items()))
    print(f"peak RSS of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

"""benchmarks/bench_scale.py: the consequence stage's time, read from the run's manifest, against its target."""
import json
from pathlib import Path

from _scripts import load_script

ROOT = Path(__file__).resolve().parents[1]


def bench():
    return load_script("benchmarks/bench_scale.py")


def test_a_run_records_the_consequence_stage_the_benchmark_reports(tmp_path):
    from leakopt import pipeline, synth
    paths = synth.write_synth(synth.synthesize(200, seed=3), tmp_path / "inputs")
    pipeline.run(paths["pipes"], paths["leaks"], paths["network"], out_dir=tmp_path / "run",
                 sensors=False, backtest=False, renewal=False, report=False)
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    stage = manifest["timings"]["stages"]["consequence"]
    assert stage["wall_seconds"] > 0
    pdd = json.loads((tmp_path / "run" / "risk_matrix.json").read_text())["consequence"]["pdd"]
    result = {"n": 200, "stages": manifest["timings"]["stages"], "total": manifest["timings"]["total"], "pdd": pdd}
    [line] = bench().consequence_lines([result])
    assert line.startswith(f"consequence stage at 200 pipes: {stage['wall_seconds']:.1f} s wall "
                           f"({stage['cpu_seconds']:.1f} s CPU), including {pdd['n_segments_simulated']} segments "
                           f"simulated with pressure-dependent demand ({pdd['selection']}) in ")
    assert pdd["n_segments_simulated"] > 0 and stage["cpu_seconds"] >= pdd["cpu_seconds"] * 0.9  # workers counted


def test_the_target_size_is_judged_against_120_seconds():
    mod = bench()
    fast = {"n": 100_000, "stages": {"consequence": {"wall_seconds": 6.2, "cpu_seconds": 5.1}}}
    slow = {"n": 100_000, "stages": {"consequence": {"wall_seconds": 130.0, "cpu_seconds": 200.0}}}
    old = {"n": 100_000, "stages": {"risk": {"wall_seconds": 1.0, "cpu_seconds": 1.0}}}
    lines = mod.consequence_lines([fast, slow, old])
    assert lines[0].endswith("6.2 s wall (5.1 s CPU): meets the target of 120 s")
    assert lines[1].endswith("MISSES the target of 120 s")
    assert lines[2] == "consequence stage at 100,000 pipes: not in the manifest's timings"


def test_the_risk_and_backtest_stages_are_judged_together_against_90_seconds_and_3_gb():
    mod = bench()
    stages = {"risk": {"wall_seconds": 30.0, "cpu_seconds": 35.0}, "backtest": {"wall_seconds": 50.5, "cpu_seconds": 60.0}}
    fast = {"n": 100_000, "stages": stages, "total": {"peak_rss_mb": 2500.0}, "load": [0.4, 1.2]}
    slow = {"n": 100_000, "stages": {**stages, "risk": {"wall_seconds": 40.0, "cpu_seconds": 40.0}},
            "total": {"peak_rss_mb": 3500.0}}
    small = {"n": 10_000, "stages": {"risk": stages["risk"]}, "total": {"peak_rss_mb": 500.0}}
    lines = mod.risk_backtest_lines([fast, slow, small])
    assert lines[0] == ("risk + backtest at 100,000 pipes: 30.0 + 50.5 = 80.5 s wall (95.0 s CPU), peak 2,500 MB, "
                        "load average 0.4 before, 1.2 after: meets the target of 90 s, meets the target of 3,000 MB")
    assert lines[1].endswith("= 90.5 s wall (100.0 s CPU), peak 3,500 MB: MISSES the target of 90 s, "
                             "MISSES the target of 3,000 MB")
    assert lines[2] == "risk + backtest at 10,000 pipes: not both in the manifest's timings"

"""The consequence stage alone, as ``leakopt run`` calls it, on a ``bench_scale.py`` scratch folder.

``bench_scale.py`` times the stage inside a whole run; this times only the stage (valve segments,
connectivity, the pressure-dependent simulations, the files it writes), on the inputs and the
``risk.csv`` a ``bench_scale.py`` run left in its scratch folder, so it can be measured again in a
minute instead of a whole run.  Prints the stage's timings (CPU including the worker processes) and
what the simulations took.

    python benchmarks/bench_scale.py --sizes 100000 --work /tmp/scale   # once (risk.csv is written early)
    python benchmarks/bench_consequence_stage.py --work /tmp/scale --pipes 100000
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None) -> None:
    import pandas as pd

    from leakopt.config import Config
    from leakopt.io import StageTimer
    from leakopt.pipeline.stages import load, stage_consequence

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True, help="bench_scale.py's scratch folder")
    ap.add_argument("--pipes", type=int, default=100_000)
    args = ap.parse_args(argv)
    data, run = args.work / f"synth_{args.pipes}", args.work / f"run_{args.pipes}"
    out = args.work / f"consequence_stage_{args.pipes}"
    out.mkdir(exist_ok=True)
    utility = load(data / "pipes.csv", data / "leaks.csv", data / "network.inp")
    risk = pd.read_csv(run / "risk.csv", dtype={"pipe_id": str})
    risk = risk.drop(columns=[c for c in ("consequence", "consequence_class", "business_risk") if c in risk])
    timer = StageTimer()
    with timer.stage("consequence"):
        stage_consequence(utility, risk, Config(), out, lambda *a: None)
    pdd = json.loads((out / "risk_matrix.json").read_text())["consequence"]["pdd"]
    print(json.dumps({"pipes": args.pipes, "stage": timer.stages["consequence"], "pdd": pdd}))


if __name__ == "__main__":
    main()

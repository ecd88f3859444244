"""Write ``walkthrough.ipynb`` from the cells below (run: ``python notebooks/make_walkthrough.py``).

Keeping the notebook's source in a script keeps its diffs readable; the tests
execute the notebook itself.
"""
from pathlib import Path

import nbformat as nbf

CELLS = [
    ("md", """# leakopt, step by step

This walkthrough uses leakopt's Python API on the shipped sample utility (synthetic, made with
`leakopt synth` on WNTR's Net6 layout: see `data_samples/README.md`). Each stage is one function;
each takes frames and returns new ones. The command `leakopt demo` runs the same chain in one go.

**load → validate → risk → priority zone → backtest → sensors → renewal → report**"""),
    ("code", """import tempfile
from pathlib import Path

import pandas as pd

from leakopt import io, pipeline

paths = pipeline.sample_paths()          # data_samples/ (regenerated from its seed if absent)
out = Path(tempfile.mkdtemp(prefix="leakopt-walkthrough-"))
paths"""),
    ("md", """## 1. Load and validate

`load_utility` reads the register, the leak history and the EPANET network (with WNTR), normalises
materials, imputes what is missing (flagged per pipe), snaps leaks given by coordinates, and counts
every row it cannot use. Nothing is dropped silently: it is all in the validation report."""),
    ("code", """from leakopt.validate import load_utility

utility = load_utility(paths["pipes"], paths["leaks"], paths["network"])
report = utility.validation.to_dict()
print(f"{len(utility.pipes):,} pipes, {utility.pipes.length_m.sum() / 1000:,.0f} km, "
      f"{len(utility.leaks):,} usable leaks, as of {utility.as_of.date()}, "
      f"reliable records from {utility.first_record_year}")
pd.DataFrame(report["issues"])[["code", "severity", "count", "message"]]"""),
    ("code", """utility.pipes.groupby("material").length_m.sum().div(1000).round(1).sort_values(ascending=False)"""),
    ("md", """## 2. Hydraulic context

A 24-hour EPANET simulation gives each pipe its mean and maximum pressure, velocity and daily
pressure swing: features for the risk model."""),
    ("code", """from leakopt.risk import hydraulic_features

hydraulics = hydraulic_features(utility.network)
hydraulics.describe().T.round(2)"""),
    ("md", """## 3. Risk of every pipe

A LightGBM Poisson model on a pipe-year panel (features as of 1 January of each year, from the past
only; length as exposure) gives each pipe its expected leaks per year. Each score comes with the two
or three strongest reasons, from the model's own per-prediction contributions, in English and French."""),
    ("code", """from leakopt.risk import score_pipes

scored = score_pipes(utility, hydraulics=hydraulics)
print(f"trained on {scored.train_rows:,} pipe-years in {scored.cpu_seconds:.1f} CPU seconds, "
      f"{scored.best_iteration} trees")
scored.risk[["pipe_id", "expected_leaks_per_year", "leaks_per_km_year", "top_factors_en"]].head(8)"""),
    ("code", """scored.risk[["pipe_id", "top_factors_fr"]].head(3)"""),
    ("md", """## 4. The priority zone

The smallest share of network length, taken riskiest first (leaks per km), that holds 80% of the
expected leaks."""),
    ("code", """from leakopt.risk import priority_zone

prio = priority_zone(scored.risk)
prio.to_json()"""),
    ("md", """## 5. Proof on history

Train on the leaks before a cutoff only, then count where the leaks of the following years fell:
the share of them found on the top 1, 5, 10, 20 and 30% of network length, for the model and for the
rankings a utility would otherwise use."""),
    ("code", """from leakopt.risk import backtest, plot_capture

bt = backtest(utility, cutoff="2022-01-01", horizon_years=3, hydraulics=hydraulics)
table = bt.to_json()
pd.DataFrame({name: table[name]["capture"] for name in ["model", *table["baselines"]]}).T"""),
    ("code", """plot_capture(bt, out / "capture.png")
from IPython.display import Image
Image(filename=str(out / "capture.png"))"""),
    ("md", """## 6. Acoustic loggers

Who hears what: a logger on a junction hears along the pipes up to a listening range that depends on
material and diameter. Then an exact integer program (HiGHS through PuLP) finds the fewest loggers
that hear 80% of the expected leaks, and the same model for the whole network."""),
    ("code", """from leakopt.placement import build_coverage, place_sensors

risk = prio.risk
coverage = build_coverage(utility.network, risk)
placement = place_sensors(coverage, risk, target_share=0.8)
summary = placement.to_json()
{k: summary[k] for k in ("n_sensors", "n_sensors_full_network", "reduction_factor", "covered_risk_share",
                         "greedy_n_sensors", "solver", "status", "mip_gap")}"""),
    ("md", """## 7. Renewal plan

Which pipes to renew in each of the next five years under an annual budget, to avoid the most expected
leaks, compared with "oldest first" and "most leaks first" at the same budget."""),
    ("code", """from leakopt.renewal import plan_renewal

plan = plan_renewal(risk, leaks=utility.leaks, as_of=utility.as_of,
                    adjacency=utility.pipes[["pipe_id", "start_node", "end_node"]])
print({k: plan.summary[k] for k in ("budget_per_year_eur", "leaks_avoided", "km_renewed")})
pd.DataFrame(plan.summary["rules"]).T[["leaks_avoided", "ratio"]]"""),
    ("md", """## 8. The report

The report is built from the files of a run folder. Here we write them ourselves; `leakopt run` does
the same (plus `manifest.json` for reproducibility)."""),
    ("code", """from leakopt.pipeline import write_sensors
from leakopt.report import write_report

risk.to_csv(out / "risk.csv", index=False)
io.write_json(prio.to_json(), out / "priority.json")
io.write_json(table, out / "backtest.json")
io.write_json(utility.validation.to_dict(), out / "validation.json")
write_sensors(placement, out, crs=utility.crs)
plan.plan.to_csv(out / "renewal_plan.csv", index=False)
io.write_json(plan.summary, out / "renewal.json")
io.write_geojson(io.pipes_geodataframe(risk, utility), out / "risk.geojson")
report = write_report(out, lang="en")
print(report, f"{report.stat().st_size / 1e3:,.0f} kB")"""),
]


def build() -> nbf.NotebookNode:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
                for kind, src in CELLS]
    return nb


if __name__ == "__main__":
    path = Path(__file__).with_name("walkthrough.ipynb")
    nbf.write(build(), path)
    print(path)

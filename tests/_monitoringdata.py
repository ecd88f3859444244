"""Outputs of ``leakopt campaign`` and ``leakopt sensors --kind pressure`` with known figures, for run folders."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

#: Share heard after each deployment: this campaign reaches 50% after 2, 80% after 5; the ranking after 4 and 8.
GREEDY = [0.35, 0.55, 0.68, 0.76, 0.82, 0.88, 0.92, 0.95, 0.97]
RANKING = [0.15, 0.30, 0.42, 0.51, 0.60, 0.68, 0.75, 0.81, 0.90]


def write_campaign(folder: Path) -> dict:
    """``campaign.json``, ``campaign.csv``, ``campaign_curve.csv``: 60 loggers, two-week deployments."""
    doc = {"status": "greedy", "method": "greedy maximum coverage per deployment (1 - 1/e)", "loggers": 60,
           "deployment_days": 14, "scope": "zone", "target_share": 1.0, "reachable_share": 0.97,
           "n_deployments": 9, "days": 126, "share_heard": 0.97, "target_reached": False,
           "mean_days_to_hear": 41.3, "deployments_to_share": {"0.5": 2, "0.8": 5},
           "share_after": {"1": 0.35, "2": 0.55, "5": 0.82},
           "risk_ranking": {"n_deployments": 9, "days": 126, "share_heard": 0.9, "target_reached": False,
                            "mean_days_to_hear": 60.0, "deployments_to_share": {"0.5": 4, "0.8": 8},
                            "share_after": {"1": 0.15, "2": 0.3, "5": 0.6}},
           "worst_deployment_gap": 0.12, "n_pipes_not_in_risk": 0}
    (folder / "campaign.json").write_text(json.dumps(doc), encoding="utf-8")
    gains = [b - a for a, b in zip([0.0] + GREEDY, GREEDY)]
    pd.DataFrame({"deployment": range(1, 10), "day_end": [14 * d for d in range(1, 10)], "share_greedy": GREEDY,
                  "share_risk_ranking": RANKING, "deployment_share": gains,
                  "deployment_bound_share": [g / 0.9 for g in gains]}).to_csv(folder / "campaign_curve.csv",
                                                                              index=False)
    pd.DataFrame({"deployment": [1, 1, 2], "start_day": [0, 0, 14], "site": ["J1", "J2", "J3"],
                  "x": [0.0, 100.0, 200.0], "y": [0.0, 0.0, 100.0], "node_type": "junction",
                  "expected_leaks_heard": [0.2, 0.15, 0.1], "cumulative_share": [0.35, 0.35, 0.55],
                  "status": "greedy"}).to_csv(folder / "campaign.csv", index=False)
    return doc


def write_pressure(folder: Path) -> dict:
    """``pressure.json``, ``pressure_sensors.csv``: 4 sensors (5 asked for) detecting 73.4%, threshold 0.5 m."""
    doc = {"n_sensors": 4, "detected_risk_share": 0.734, "n_distinguishable": 11, "n_unique_scenarios": 6,
           "n_scenarios": 120, "method": "sensitivity", "solver": "highs", "status": "optimal", "mip_gap": 0.0,
           "solve_seconds": 0.2, "n_requested": 5, "threshold_m": 0.5, "leak_area_m2": 0.002,
           "detected_risk_share_per_sensor": [0.31, 0.25, 0.2, 0.12]}
    (folder / "pressure.json").write_text(json.dumps(doc), encoding="utf-8")
    pd.DataFrame({"node_id": ["10", "22", "31", "12"], "x": [0.0, 100.0, 200.0, 300.0], "y": 0.0,
                  "detected_scenarios": [40, 31, 25, 12],
                  "detected_risk_share": [0.31, 0.25, 0.2, 0.12]}).to_csv(folder / "pressure_sensors.csv", index=False)
    return doc

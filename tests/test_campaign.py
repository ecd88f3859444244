"""The logger campaign: K loggers lifted and shifted, the most expected leaks heard soonest (greedy)."""
import json

import numpy as np
import pandas as pd
import pytest
from _sensordata import hand_network, network_from_inp, synthetic_risk, wntr_network_path

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.placement import CoverageConfig, build_coverage, plan_campaign


def short_hot_pipe_and_long_main():
    """P0: 40 m at 2 leaks/km/yr (rank 1, 0.08 a year); far away, P1-P3: 3 x 400 m at 1.0, 0.9, 0.8."""
    coords = {"A": (0, 0), "B": (40, 0), "C": (5000, 0), "D": (5400, 0), "E": (5800, 0), "F": (6200, 0)}
    net = hand_network([("A", "B"), ("C", "D"), ("D", "E"), ("E", "F")], coords, lengths=[40.0, 400.0, 400.0, 400.0])
    risk = pd.DataFrame({"pipe_id": ["P0", "P1", "P2", "P3"], "leaks_per_km_year": [2.0, 1.0, 0.9, 0.8],
                         "rank": [1, 2, 3, 4], "in_priority_zone": [True, True, True, False],
                         "material": "cast_iron", "diameter_mm": 150.0})
    risk["expected_leaks_per_year"] = risk["leaks_per_km_year"] * np.array([40, 400, 400, 400]) / 1000
    return net, risk


def test_each_deployment_hears_the_most_still_unheard_and_beats_the_risk_ranking():
    net, risk = short_hot_pipe_and_long_main()
    cov = build_coverage(net, risk, config=CoverageConfig(access_point_spacing_m=0))   # junctions only
    c = plan_campaign(cov, risk, loggers=1, deployment_days=7, scope="network")
    total = 1.16
    # first deployment: D hears the last 250 m of P1 and the first 250 m of P2 (range 250 m)
    assert c.plan.loc[0, "site"] == "D" and c.plan.loc[0, "expected_leaks_heard"] == pytest.approx(0.25 + 0.225)
    assert c.plan["cumulative_share"].iloc[0] == pytest.approx(0.475 / total)
    assert c.plan["cumulative_share"].is_monotonic_increasing and set(c.plan["status"]) == {"greedy"}
    assert c.plan["expected_leaks_heard"].sum() == pytest.approx(total)          # every leak counted once
    j = c.to_json()
    assert j["status"] == "greedy" and j["target_reached"] and j["share_heard"] == pytest.approx(1.0)
    assert j["n_deployments"] == 5 and j["days"] == 35
    assert list(c.plan["start_day"]) == [0, 7, 14, 21, 28]
    # moving down the ranking starts on P0, the hottest per km but the fewest expected leaks
    assert j["risk_ranking"]["share_after"]["1"] == pytest.approx(0.08 / total)
    assert j["deployments_to_share"] == {"0.5": 2, "0.8": 3}
    assert j["risk_ranking"]["deployments_to_share"] == {"0.5": 3, "0.8": 4}
    assert j["mean_days_to_hear"] < j["risk_ranking"]["mean_days_to_hear"]
    assert (c.curve["share_greedy"] >= c.curve["share_risk_ranking"] - 1e-12).all()
    # one logger: the greedy pick is the best single site, so each deployment is proven best given the earlier
    assert j["worst_deployment_gap"] == pytest.approx(0.0, abs=1e-12)
    assert np.allclose(c.curve["deployment_bound_share"], c.curve["deployment_share"])


def test_the_zone_scope_and_a_share_stop_the_campaign_early():
    net, risk = short_hot_pipe_and_long_main()
    cov = build_coverage(net, risk, config=CoverageConfig(access_point_spacing_m=0))
    c = plan_campaign(cov, risk, loggers=2, target_share=0.5)          # zone: P0, P1, P2 (0.84 a year)
    assert c.to_json()["n_deployments"] == 1 and c.to_json()["share_heard"] >= 0.5
    assert not c.plan["site"].isin(["F"]).any()                         # F only hears P3, outside the zone
    with pytest.raises(InputError, match="loggers"):
        plan_campaign(cov, risk, loggers=0)


def test_out_of_reach_leaks_end_the_campaign_and_are_said(tmp_path):
    """A 1,200 m pipe heard from its ends only: its middle is out of reach, the campaign stops there."""
    net = hand_network([("A", "B")], {"A": (0, 0), "B": (1200, 0)}, lengths=[1200.0])
    risk = pd.DataFrame({"pipe_id": ["P0"], "expected_leaks_per_year": [1.2], "leaks_per_km_year": [1.0],
                         "rank": [1], "in_priority_zone": [True], "material": "cast_iron", "diameter_mm": 150.0})
    cov = build_coverage(net, risk, config=CoverageConfig(access_point_spacing_m=0))
    j = plan_campaign(cov, risk, loggers=1).to_json()
    assert j["reachable_share"] == pytest.approx(500 / 1200) and j["share_heard"] == pytest.approx(500 / 1200)
    assert not j["target_reached"] and j["n_deployments"] == 2


def test_campaign_command_writes_the_plan_and_its_comparison(tmp_path, capsys):
    risk = tmp_path / "risk.csv"
    synthetic_risk(network_from_inp("Net3.inp"), seed=3).to_csv(risk, index=False)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[coverage]\naccess_point_spacing_m = 100\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["-q", "campaign", "--network", wntr_network_path("Net3.inp"), "--risk", str(risk),
                 "--loggers", "5", "--days", "10", "--config", str(cfg), "--out", str(out)]) == 0
    plan = pd.read_csv(out / "campaign.csv")
    j = json.loads((out / "campaign.json").read_text())
    curve = pd.read_csv(out / "campaign_curve.csv")
    assert list(plan.columns[:9]) == ["deployment", "start_day", "site", "x", "y", "node_type",
                                      "expected_leaks_heard", "cumulative_share", "status"]
    assert plan.groupby("deployment").size().max() == 5 and j["n_deployments"] == plan["deployment"].max()
    assert j["status"] == "greedy" and set(plan["status"]) == {"greedy"}
    assert curve["share_greedy"].iloc[-1] == pytest.approx(j["share_heard"])
    assert j["share_after"]["1"] > j["risk_ranking"]["share_after"]["1"]
    done = curve.dropna(subset=["deployment_share"])            # rows past the greedy's end hold NaN
    assert len(done) == j["n_deployments"] and (done["deployment_bound_share"] >= done["deployment_share"] - 1e-12).all()
    assert 0 <= j["worst_deployment_gap"] < 1 - 1 / np.e                 # the greedy's guarantee, and what it proves
    v = json.loads((out / "validation.json").read_text())
    assert not [i for i in v["issues"] if i["code"] == "config_table_not_used"]     # [coverage] is read
    text = " ".join(capsys.readouterr().out.split())
    assert f"Campaign: 5 loggers, 10 days a deployment: {j['n_deployments']} deployments" in text
    assert "Status: greedy" in text and "not proven optimal" in text
    # the setting acts: listening from every 100 m rather than 200 m reaches more of the zone
    assert main(["-q", "campaign", "--network", wntr_network_path("Net3.inp"), "--risk", str(risk),
                 "--loggers", "5", "--out", str(tmp_path / "d")]) == 0
    assert j["reachable_share"] > json.loads((tmp_path / "d" / "campaign.json").read_text())["reachable_share"]


def test_campaign_counts_network_pipes_without_a_score(tmp_path):
    net, risk = short_hot_pipe_and_long_main()
    cov = build_coverage(net, risk, config=CoverageConfig(access_point_spacing_m=0))
    j = plan_campaign(cov, risk[risk["pipe_id"] != "P3"], loggers=1, scope="network").to_json()
    assert j["n_pipes_not_in_risk"] == 1 and j["not_in_risk_examples"] == ["P3"]


def test_campaign_table_sets_the_campaign_and_options_override_it(tmp_path, capsys):
    risk = tmp_path / "risk.csv"
    synthetic_risk(network_from_inp("Net3.inp"), seed=3).to_csv(risk, index=False)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[campaign]\nloggers = 3\ndeployment_days = 7\nscope = \"network\"\n", encoding="utf-8")
    args = ["-q", "campaign", "--network", wntr_network_path("Net3.inp"), "--risk", str(risk), "--config", str(cfg)]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    j = json.loads((tmp_path / "a" / "campaign.json").read_text())
    assert (j["loggers"], j["deployment_days"], j["scope"]) == (3, 7, "network")
    assert main([*args, "--loggers", "4", "--out", str(tmp_path / "b")]) == 0
    assert json.loads((tmp_path / "b" / "campaign.json").read_text())["loggers"] == 4
    cfg.write_text("[campaign]\nscope = \"city\"\n", encoding="utf-8")
    assert main([*args, "--out", str(tmp_path / "c")]) == 2
    assert "[campaign] scope='city'" in " ".join(capsys.readouterr().err.split())


def test_campaign_and_pressure_sensors_write_into_a_run_folder_and_its_report_shows_them(tmp_path, capsys):
    """Both commands add their files to a finished run folder, keep what it holds, and 'leakopt report' shows them."""
    from leakopt.app import data
    from leakopt.i18n import Translator
    from leakopt.report.monitoring import campaign_sentence
    from leakopt.report.text import STRINGS

    run = tmp_path / "run"
    run.mkdir()
    synthetic_risk(network_from_inp("Net1.inp"), seed=3).to_csv(run / "risk.csv", index=False)
    manifest = json.dumps({"as_of": "2025-06-30", "configuration": {}, "inputs": {}})
    (run / "manifest.json").write_text(manifest, encoding="utf-8")
    summary = {"pipes_read": 12, "pipes_kept": 12, "leaks_read": 40, "leaks_used": 38}
    issue = {"code": "leak_unknown_pipe", "severity": "warning", "count": 2, "message": "2 leaks name no pipe"}
    (run / "validation.json").write_text(json.dumps({"summary": summary, "issues": [issue]}), encoding="utf-8")
    (run / "report.html").write_text("<html>the run's report</html>", encoding="utf-8")
    net = wntr_network_path("Net1.inp")
    assert main(["-q", "campaign", "--network", net, "--risk", str(run / "risk.csv"), "--loggers", "2",
                 "--scope", "network", "--out", str(run)]) == 0
    assert f"'leakopt report {run}' rewrites it" in " ".join(capsys.readouterr().out.split())
    assert main(["-q", "sensors", "--kind", "pressure", "--network", net, "--risk", str(run / "risk.csv"),
                 "--n", "2", "--out", str(run)]) == 0
    # the run folder is kept as it was: its manifest, its data checks, its report until asked
    assert (run / "manifest.json").read_text(encoding="utf-8") == manifest
    v = json.loads((run / "validation.json").read_text())
    assert v["summary"] == summary and issue in v["issues"]
    assert (run / "report.html").read_text(encoding="utf-8") == "<html>the run's report</html>"
    assert main(["-q", "report", str(run)]) == 0
    page = " ".join((run / "report.html").read_text(encoding="utf-8").split())
    c, p = (json.loads((run / f).read_text()) for f in ("campaign.json", "pressure.json"))
    assert campaign_sentence(c, Translator(STRINGS, "en")).startswith("With your 2 loggers, ")
    assert campaign_sentence(c, Translator(STRINGS, "en")) in page.replace("&#x27;", "'")
    assert f"The whole campaign, {c['n_deployments']} deployments ({c['days']} days)" in page
    assert "computed from another" not in page
    assert p["n_sensors"] == 1 and p["n_requested"] == 2        # one sensor detects all a second one would
    assert f"One pressure sensor detects {100 * p['detected_risk_share']:.1f}% of the risk-weighted" in page
    assert "Only 1 of the 2 asked for" in page
    assert main(["-q", "report", str(run), "--lang", "fr", "--out", str(run / "fr.html")]) == 0
    fr = " ".join((run / "fr.html").read_text(encoding="utf-8").split())
    assert "Avec vos 2 capteurs, " in fr and "Un capteur de pression détecte" in fr
    # and the app reads them with the rest of the run
    shown = data.read_run(run)
    assert shown.campaign == c and shown.pressure == p and len(shown.pressure_sensors) == 1
    # the run redone since (another risk.csv): both sections say their figures are out of date
    synthetic_risk(network_from_inp("Net1.inp"), seed=4).to_csv(run / "risk.csv", index=False)
    assert main(["-q", "report", str(run)]) == 0
    page = " ".join((run / "report.html").read_text(encoding="utf-8").split())
    assert page.count("These results were computed from another risk.csv than this analysis") == 2


def test_the_campaign_summary_counts_one_as_one(tmp_path):
    """Was "1 loggers, 1 days a deployment: 1 deployments (1 days) hear"."""
    from _monitoringdata import write_campaign

    from leakopt.pipeline.summary import campaign_text
    c = write_campaign(tmp_path)
    one = {**c, "loggers": 1, "deployment_days": 1, "n_deployments": 1, "days": 1, "mean_days_to_hear": 1.0,
           "deployments_to_share": {"0.5": 1}}
    en, fr = campaign_text(one), campaign_text(one, lang="fr")
    assert en.startswith("Campaign: 1 logger, 1 day a deployment: 1 deployment (1 day) hears ")
    assert "50% heard after 1 deployment (" in en and "heard after 1 day on average" in en
    assert fr.replace("\xa0", " ").startswith("Campagne : 1 prélocalisateur, 1 jour par pose : 1 pose (1 jour) entend ")
    many = campaign_text(c)
    assert many.startswith("Campaign: 60 loggers, 14 days a deployment: 9 deployments (126 days) hear ")
    assert "80% heard after 5 deployments (following the risk ranking: 8)" in many

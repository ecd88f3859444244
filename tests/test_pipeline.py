"""End to end: the README's demo command and ``leakopt run`` write every contract file, correctly."""
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.schema import CAPTURE_LEVELS, CONSEQUENCE_COLUMNS, RISK_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def test_readme_first_command_is_the_demo():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    assert blocks[0].strip() == "pip install -e . && leakopt demo --out leakopt-demo"
    assert blocks[1].strip() == 'pip install -e ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def test_demo_prints_a_summary(demo_run):
    out, stdout = demo_run
    assert re.search(r"Network: [\d,.]+ km, [\d,]+ pipes", stdout)
    assert "a year" in stdout
    assert str(out) in stdout


def test_demo_writes_every_contract_file(demo_run):
    out, _ = demo_run
    for name in ("risk.csv", "priority.json", "sensors.csv", "placement.json", "backtest.json",
                 "validation.json", "manifest.json", "report.html", "risk.geojson", "model.txt",
                 "renewal_plan.csv", "leaks_used.csv", "consequence.csv", "risk_matrix.json"):
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name


def test_risk_csv_follows_the_contract(demo_run):
    out, _ = demo_run
    risk = pd.read_csv(out / "risk.csv", dtype={"pipe_id": str})
    assert list(risk.columns[: len(RISK_COLUMNS)]) == list(RISK_COLUMNS)
    assert risk["pipe_id"].is_unique
    assert (risk["expected_leaks_per_year"] > 0).all()
    assert sorted(risk["rank"]) == list(range(1, len(risk) + 1))
    # rank 1 = highest leaks per km per year
    ordered = risk.sort_values("rank")["leaks_per_km_year"].to_numpy()
    assert (ordered[:-1] >= ordered[1:] - 1e-12).all()
    assert set(risk["risk_class"]) <= {"A", "B", "C", "D"}
    assert risk["top_factors"].str.len().gt(0).all()
    pipes = pd.read_csv(ROOT / "data_samples" / "pipes.csv", dtype={"pipe_id": str})
    assert len(risk) >= 0.95 * len(pipes)  # every pipe that existed is scored


def test_consequence_and_business_risk_follow_the_contract(demo_run):
    out, stdout = demo_run
    risk = pd.read_csv(out / "risk.csv", dtype={"pipe_id": str})
    n = len(RISK_COLUMNS)
    assert list(risk.columns[n:n + 3]) == ["consequence", "consequence_class", "business_risk"]
    assert risk["business_risk"].to_numpy() == pytest.approx(
        (risk["expected_leaks_per_year"] * risk["consequence"]).to_numpy(), rel=1e-6, abs=1e-8)
    cons = pd.read_csv(out / "consequence.csv", dtype={"pipe_id": str})
    assert list(cons.columns) == list(CONSEQUENCE_COLUMNS) and set(risk["pipe_id"]) <= set(cons["pipe_id"])
    # the sample has no valve layer: said so; the 50 segments of highest business risk are simulated
    assert set(cons["method"]) == {"segments_assumed_valves", "segments_assumed_valves_pdd"}
    simulated = cons.loc[cons["method"].str.endswith("_pdd"), "segment_id"]
    assert simulated.nunique() == 50 and len(simulated) == (cons["segment_id"].isin(simulated)).sum()
    assert (cons["demand_cut_m3s"] > 0).sum() > len(cons) / 4
    matrix = json.loads((out / "risk_matrix.json").read_text())
    assert sum(map(sum, matrix["n_pipes"])) == len(risk)
    assert matrix["consequence"]["method"] == "segments_assumed_valves" and matrix["top_demand_cut"]
    top = matrix["top_demand_cut"][0]
    assert top["demand_cut_m3s"] == pytest.approx(cons["demand_cut_m3s"].max(), rel=1e-4)
    assert "Consequence of failure:" in stdout and "Risk matrix:" in stdout
    assert "50 of them simulated with pressure-dependent demand" in " ".join(stdout.split())
    assert matrix["consequence"]["pdd"]["n_segments_simulated"] == 50


def test_priority_zone_holds_target_share(demo_run):
    out, _ = demo_run
    prio = json.loads((out / "priority.json").read_text())
    assert prio["expected_leak_share"] >= prio["target_share"] - 1e-6
    assert 0 < prio["length_share"] < 0.6
    risk = pd.read_csv(out / "risk.csv", dtype={"pipe_id": str})
    zone_len = risk.loc[risk["in_priority_zone"], "length_m"].sum() / risk["length_m"].sum()
    assert zone_len == pytest.approx(prio["length_share"], abs=1e-3)


def test_backtest_json_follows_the_contract(demo_run):
    out, _ = demo_run
    bt = json.loads((out / "backtest.json").read_text())
    assert bt["n_test_leaks"] > 0
    keys = {str(k) for k in CAPTURE_LEVELS}
    for method in ["model", *bt["baselines"]]:
        entry = bt[method]
        assert set(entry["capture"]) == keys
        caps = [entry["capture"][str(k)] for k in CAPTURE_LEVELS]
        assert caps == sorted(caps) and 0 <= caps[0] and caps[-1] <= 1
        assert 0 < entry["length_share_for_80pct"] <= 1


def test_placement_json_and_sensors(demo_run):
    out, _ = demo_run
    p = json.loads((out / "placement.json").read_text())
    for key in ("n_sensors", "n_sensors_full_network", "reduction_factor", "covered_risk_share", "solver",
                "status", "mip_gap", "solve_seconds"):
        assert key in p, key
    assert p["n_sensors_full_network"] / p["n_sensors"] == pytest.approx(p["reduction_factor"], rel=1e-6)
    sensors = pd.read_csv(out / "sensors.csv", dtype={"node_id": str})
    assert len(sensors) == p["n_sensors"]
    for col in ("node_id", "x", "y", "covered_pipes", "covered_length_m", "covered_risk_share"):
        assert col in sensors


def test_manifest_reproduces_the_run(demo_run):
    out, _ = demo_run
    m = json.loads((out / "manifest.json").read_text())
    assert set(m["inputs"]) >= {"pipes", "leaks", "network"}
    assert all(len(v["sha256"]) == 64 for v in m["inputs"].values())
    assert m["as_of"] and m["versions"]["lightgbm"]
    assert m["timings"]["stages"]["risk"]["cpu_seconds"] > 0
    assert m["risk_model"]["cpu_seconds_training"] > 0


def test_validation_json_counts_the_sample_defects(demo_run):
    out, _ = demo_run
    v = json.loads((out / "validation.json").read_text())
    assert v["issues"], "the sample carries register defects: they must be reported"
    for issue in v["issues"]:
        assert issue["count"] >= 1 and issue["message"]




def test_french_run_explains_in_french(demo_run, tmp_path, capsys):
    import shutil
    out = tmp_path / "demo"            # the demo's folder is shared (conftest.py): rewrite a copy
    shutil.copytree(demo_run[0], out)
    code = main(["-q", "report", str(out), "--lang", "fr"])
    assert code == 0
    assert capsys.readouterr().out.replace("\xa0", " ").startswith(f"Rapport écrit : {out / 'report.html'}")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in html


def test_recorded_leaks_a_year_is_one_figure_in_terminal_report_and_app(demo_run, tmp_path):
    # computed once (leakopt.validate.recorded_leak_rate), written to validation.json, read by all three
    from leakopt.app import data
    from leakopt.app.overview import leaks_per_year
    from leakopt.i18n import Translator
    from leakopt.report import write_report
    from leakopt.report.text import STRINGS

    out, stdout = demo_run
    recorded = json.loads((out / "validation.json").read_text())["summary"]["recorded_leaks"]
    value = recorded["leaks_per_year"]
    assert value > 0 and recorded["end"] == json.loads((out / "manifest.json").read_text())["as_of"]
    assert (f"in the {recorded['years']:g} years from {recorded['start']} to {recorded['end']}, "
            f"{value:,.0f} a year") in stdout
    t = Translator(STRINGS, "en")
    assert t("k_recorded_d", n=t.number(value, decimals=0), start=t.date(recorded["start"]),
             end=t.date(recorded["end"])) in write_report(out, lang="en", out=tmp_path / "r.html").read_text()
    assert leaks_per_year(data.read_run(out)) == value


def test_recorded_leak_rate_counts_the_window_before_the_forecast_date():
    from leakopt.validate import recorded_leak_rate

    leaks = pd.DataFrame({"date": pd.to_datetime(["2015-06-01", "2019-03-01", "2020-01-01", "2020-12-31",
                                                  "2021-01-01"])})
    five = recorded_leak_rate(leaks, "2021-01-01")            # 2016-01-01 .. 2020-12-31: three leaks
    assert five["leaks"] == 3 and five["start"] == "2016-01-01"
    assert abs(five["leaks_per_year"] - 3 / (1827 / 365.25)) < 1e-9
    late = recorded_leak_rate(leaks, "2021-01-01", first_record_year=2020)   # reliable from 2020 only
    assert late["leaks"] == 2 and abs(late["leaks_per_year"] - 2 / (366 / 365.25)) < 1e-9
# --- a small utility (300 pipes, a few seconds a run) for the checks of what a run records ---------

@pytest.fixture(scope="module")
def small_utility(tmp_path_factory):
    from leakopt import synth
    return synth.write_synth(synth.synthesize(300, seed=1), tmp_path_factory.mktemp("small"))


def _run_small(paths, out, *extra):
    return main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]),
                 "--network", str(paths["network"]), "--out", str(out), "--no-backtest", *extra])


def test_same_inputs_same_scores(small_utility, tmp_path):
    """Reproducible: a second run on the same inputs gives the same risk scores."""
    first, again = tmp_path / "first", tmp_path / "again"
    for out in (first, again):
        assert main(["-q", "run", "--pipes", str(small_utility["pipes"]), "--leaks", str(small_utility["leaks"]),
                     "--out", str(out), "--no-backtest"]) == 0
    a = pd.read_csv(first / "risk.csv", dtype={"pipe_id": str})
    b = pd.read_csv(again / "risk.csv", dtype={"pipe_id": str})
    pd.testing.assert_series_equal(a["expected_leaks_per_year"], b["expected_leaks_per_year"])
    assert not (first / "sensors.csv").exists()  # no network: no placement, and no crash


def test_a_network_epanet_cannot_open_still_gets_consequences_by_topology(small_utility, tmp_path, caplog):
    """An orphan junction: EPANET's toolkit refuses the file (error 200). The hydraulic features and the
    pressure-dependent simulation of the consequence stage both fail; the run goes on with the topological
    figures, says so, and names the file where EPANET's message leaves a '%s'."""
    import json
    import shutil
    for key in ("pipes", "leaks"):
        shutil.copy(small_utility[key], tmp_path / Path(small_utility[key]).name)
    text = Path(small_utility["network"]).read_text()
    end = text.index("\n", text.index("\n", text.index("[JUNCTIONS]")) + 1)
    inp = tmp_path / "orphan.inp"
    inp.write_text(text[:end + 1] + " ORPHAN1  10  0  ;\n" + text[end + 1:])
    assert main(["-q", "run", "--pipes", str(tmp_path / "pipes.csv"), "--leaks", str(tmp_path / "leaks.csv"),
                 "--network", str(inp), "--no-backtest", "--no-sensors", "--out", str(tmp_path / "out")]) == 0
    consequence = pd.read_csv(tmp_path / "out" / "consequence.csv")
    assert consequence["method"].str.endswith("_pdd_failed").any()
    assert not consequence["method"].str.endswith("_pdd").any()
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("could not solve" in m and str(inp) in m and "%s" not in m for m in warned), warned
    hydraulics = json.loads((tmp_path / "out" / "manifest.json").read_text())["hydraulics"]
    assert hydraulics["status"] == "failed" and str(inp) in hydraulics["error"]


def test_failed_hydraulic_simulation_is_said_everywhere(small_utility, tmp_path, monkeypatch, caplog, capsys):
    """A network EPANET cannot solve still gets risk scores, but every output says they lack hydraulics."""
    import wntr

    def fail(self, *args, **kwargs):
        raise RuntimeError("EPANET Error 110: cannot solve network hydraulic equations")

    monkeypatch.setattr(wntr.sim.EpanetSimulator, "run_sim", fail)
    assert _run_small(small_utility, tmp_path) == 0
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("hydraulic simulation failed" in m and "Error 110" in m for m in warned), warned
    assert "hydraulic simulation failed" in capsys.readouterr().out.lower()  # the run's summary says it too
    m = json.loads((tmp_path / "manifest.json").read_text())
    assert m["hydraulics"]["status"] == "failed"
    assert "Error 110" in m["hydraulics"]["error"]
    assert m["hydraulics"]["features_used"] == []
    assert not any(f.startswith(("pressure_", "velocity_")) for f in m["risk_model"]["features"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "hydraulic simulation of the network failed" in html and "Error 110" in html
    assert main(["-q", "report", str(tmp_path), "--lang", "fr", "--out", str(tmp_path / "fr.html")]) == 0
    assert "simulation hydraulique du réseau a échoué" in (tmp_path / "fr.html").read_text(encoding="utf-8")


def test_successful_hydraulic_simulation_is_recorded(small_utility, tmp_path):
    assert _run_small(small_utility, tmp_path) == 0
    m = json.loads((tmp_path / "manifest.json").read_text())
    assert m["hydraulics"]["status"] == "ok"
    assert "pressure_mean_m" in m["hydraulics"]["features_used"]
    assert set(m["hydraulics"]["features_used"]) <= set(m["risk_model"]["features"])
    assert "simulation of the network failed" not in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_report_table_of_the_config_shapes_the_report(small_utility, tmp_path):
    """[report] title, network_name, max_issues and lang act on the run's report.html (--lang still wins)."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[report]\ntitle = "Springfield leak study"\nnetwork_name = "Springfield west"\n'
                   'max_issues = 2\nlang = "fr"\n', encoding="utf-8")
    out = tmp_path / "o"
    assert _run_small(small_utility, out, "--config", str(cfg)) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>Springfield leak study</title>" in page and "<h1>Springfield leak study</h1>" in page
    assert "Springfield west" in page and 'lang="fr"' in page
    quality = page.split('<section id="quality"')[1].split("</section>")[0]
    issues = json.loads((out / "validation.json").read_text())["issues"]
    assert len(issues) > 2 and quality.count("<tr>") == 1 + 2     # header row + max_issues rows
    assert main(["-q", "run", "--pipes", str(small_utility["pipes"]), "--leaks", str(small_utility["leaks"]),
                 "--config", str(cfg), "--lang", "en", "--out", str(tmp_path / "en"), "--no-backtest"]) == 0
    page = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert 'lang="en"' in page and "<title>Springfield leak study</title>" in page


def test_pressure_table_is_said_to_be_unused_by_run(small_utility, tmp_path, caplog):
    """[pressure] configures the Python API's pressure-sensor placement; run says it does not use it."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pressure]\nn_scenarios = 50\nthreshold_m = 1.0\n", encoding="utf-8")
    out = tmp_path / "o"
    assert _run_small(small_utility, out, "--config", str(cfg), "--no-sensors") == 0
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("[pressure]" in m and "c.toml" in m and "leakopt.placement.place_pressure_sensors" in m and "not used" in m
               for m in warned), warned
    m = json.loads((out / "manifest.json").read_text())
    assert "leakopt.placement.place_pressure_sensors" in m["ignored_config"]["pressure"]
    assert m["configuration"]["pressure"] == {"n_scenarios": 50, "threshold_m": 1.0}


def test_run_without_unused_tables_records_none(small_utility, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[risk]\nuse_hydraulics = false\n", encoding="utf-8")
    assert _run_small(small_utility, tmp_path, "--config", str(cfg), "--no-sensors") == 0
    m = json.loads((tmp_path / "manifest.json").read_text())
    assert m["ignored_config"] == {}
    assert m["hydraulics"]["status"] == "disabled"


def test_run_reports_counted_progress_in_every_long_stage(tmp_path):
    """Each stage reports its own steps with counts (rounds, cutoffs, curve points), not fixed percentages."""
    from leakopt import pipeline, synth
    from leakopt.config import load_config
    from leakopt.schema import stage_of, step_text, within
    paths = synth.write_synth(synth.synthesize(300, seed=5), tmp_path / "inputs")
    config = tmp_path / "config.toml"
    config.write_text("[backtest]\nwalk_forward_cutoffs = 2\nstep_years = 1\n\n[placement]\ntradeoff_points = 4\n")
    calls = []
    pipeline.run(paths["pipes"], paths["leaks"], paths["network"], config=load_config(config),
                 out_dir=tmp_path / "out", report=False, progress=lambda *call: calls.append(call))
    assert all(type(s) is str and type(d) is int and type(t) is int and 0 <= d <= t for s, d, t in calls), calls
    stages = {}
    for step, done, total in calls:
        stages.setdefault(stage_of(step), []).append((step, done, total))
    assert list(stages) == ["load", "hydraulics", "risk", "consequence", "backtest", "sensors", "renewal",
                            "report"]
    for stage, steps in stages.items():
        assert steps[-1][1] == steps[-1][2], f"{stage} does not end complete: {steps[-1]}"
        assert len(steps) >= 3 or stage == "report", (stage, steps)
    rounds = [(d, t) for s, d, t in stages["risk"] if "boosting rounds" in s]
    assert len(rounds) >= 2 and all(t > 1 for _, t in rounds)
    assert [(d, t) for s, d, t in stages["backtest"] if "cutoff" in s] == [(0, 2), (0, 2), (1, 2), (1, 2), (2, 2)]
    curve = [(d, t) for s, d, t in stages["sensors"] if "trade-off curve" in s]
    assert [d for d, _ in curve] == list(range(len(curve))) and curve[-1][0] == curve[-1][1] > 1
    synth.synthesize(300, seed=5, progress=within(lambda *call: calls.append(call), "sample"))
    untranslated = sorted({step for step, _, _ in calls if step_text(step, "fr") == step})
    assert not untranslated, f"steps with no French in leakopt.schema.STEPS_FR: {untranslated}"


# --- a model trained elsewhere (--model) ------------------------------------------------------------

def test_a_model_given_scores_every_pipe_as_it_did_where_it_was_trained(small_utility, tmp_path, capsys):
    """Given the model of a run, a run on the same data scores every pipe exactly as that run did (nothing
    trained); given an empty leak history, it still scores every pipe, and says where the model came from."""
    first, again, empty = tmp_path / "first", tmp_path / "again", tmp_path / "empty"
    assert _run_small(small_utility, first, "--no-sensors") == 0
    as_of = json.loads((first / "manifest.json").read_text())["as_of"]
    model = first / "model.txt"
    assert _run_small(small_utility, again, "--no-sensors", "--model", str(model), "--as-of", as_of) == 0
    before = pd.read_csv(first / "risk.csv", dtype={"pipe_id": str}).set_index("pipe_id")
    after = pd.read_csv(again / "risk.csv", dtype={"pipe_id": str}).set_index("pipe_id")
    assert after.index.sort_values().equals(before.index.sort_values())
    diff = (after["expected_leaks_per_year"] - before.loc[after.index, "expected_leaks_per_year"]).abs()
    assert diff.max() < 1e-9 * max(before["expected_leaks_per_year"].max(), 1.0)
    manifest = json.loads((again / "manifest.json").read_text())
    assert manifest["model_given"]["path"] == str(model.resolve()) and manifest["risk_model"]["train_rows"] == 0
    assert manifest["model_given"]["missing_features"] == []              # the same utility: every feature there
    # an empty leak history: the literature prior without a model (tests/test_prior.py), the model when given
    leaks = tmp_path / "no_leaks.csv"
    leaks.write_text("leak_id,pipe_id,date\n", encoding="utf-8")
    paths = {**small_utility, "leaks": leaks}
    capsys.readouterr()
    assert _run_small(paths, empty, "--no-sensors", "--model", str(model)) == 0
    scored = pd.read_csv(empty / "risk.csv", dtype={"pipe_id": str})
    assert len(scored) == len(before) and scored["expected_leaks_per_year"].gt(0).all()
    assert "scored by the model given" in capsys.readouterr().out
    assert not (empty / "backtest.json").exists()
    assert "trained elsewhere" in (empty / "report.html").read_text(encoding="utf-8")
    renewal = json.loads((empty / "renewal.json").read_text())
    assert renewal["rules"]["most_leaks_first"]["available"] is False      # no past leak to rank by


def test_run_takes_no_leak_file_with_a_model_and_says_what_to_give_without(small_utility, tmp_path, capsys):
    assert _run_small(small_utility, tmp_path / "first", "--no-sensors") == 0
    argv = ["-q", "run", "--pipes", str(small_utility["pipes"]), "--no-sensors", "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    assert "run needs --leaks L" in capsys.readouterr().err
    assert main([*argv, "--model", str(tmp_path / "first" / "model.txt")]) == 0
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["inputs"].get("leaks") is None and manifest["model_given"]
    scored = pd.read_csv(tmp_path / "o" / "risk.csv", dtype={"pipe_id": str})
    assert len(scored) == len(pd.read_csv(small_utility["pipes"]))          # every pipe scored


def test_a_model_file_that_does_not_exist_is_a_clear_error(small_utility, tmp_path, capsys):
    assert _run_small(small_utility, tmp_path / "o", "--no-sensors", "--model", str(tmp_path / "nope.txt")) == 2
    err = " ".join(capsys.readouterr().err.split())   # the paragraph wraps where the temporary path ends
    assert "nope.txt does not exist" in err and "Traceback" not in err


def test_a_backtest_with_a_model_given_measures_that_model_and_trains_nothing(small_utility, tmp_path,
                                                                             monkeypatch):
    """With --model and a leak history, the backtest scores the given model at each cutoff from the
    pipes as they were then (nothing trained), and backtest.json says so; the baselines still learn."""
    import numpy as np

    from leakopt import pipeline
    from leakopt.risk import RiskModel, rankings_at
    from leakopt.risk.backtest import backtest, restrict_to
    from leakopt.risk.model import RiskConfig, borrowed_features
    assert _run_small(small_utility, tmp_path / "first", "--no-sensors") == 0
    given = RiskModel.load(tmp_path / "first" / "model.txt")
    u = pipeline.load(small_utility["pipes"], small_utility["leaks"], small_utility["network"])
    cutoff = pd.Timestamp(u.as_of) - pd.DateOffset(years=2)

    def no_training(*args, **kwargs):
        raise AssertionError("a model was trained although one was given")
    monkeypatch.setattr(RiskModel, "fit", no_training)
    r = rankings_at(u, cutoff, 2, model=given)
    feats, _ = borrowed_features(given, restrict_to(u, cutoff), config=RiskConfig(), warn=False)
    assert np.allclose(r.scores["model"].to_numpy(), given.predict(feats) / feats["length_km"].to_numpy())
    assert r.scores["poisson_glm"].notna().all()                          # the baselines still learn
    doc = backtest(u, cutoff=cutoff, horizon_years=2, model=given).to_json()
    assert doc["model_given"] is True and doc["model"]["capture"]["0.2"] > 0


def _inp_without_coordinates(paths, out_dir) -> Path:
    """The synthetic network with its [COORDINATES] section taken out (WNTR then puts every node at (0, 0))."""
    lines, skip = [], False
    for line in Path(paths["network"]).read_text().splitlines():
        if line.strip().startswith("["):
            skip = line.strip().upper() == "[COORDINATES]"
        if not skip:
            lines.append(line)
    path = Path(out_dir) / "nocoords.inp"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_network_without_coordinates_is_said_and_places_nothing_at_0_0(small_utility, tmp_path):
    """Nodes all at one point are a network without coordinates: validation.json says so (EN and FR), no
    degenerate line goes to risk.geojson, loggers get blank x, y (here and from ``leakopt sensors``), and
    the report says why it has no map instead of drawing every pipe at (0, 0)."""
    import numpy as np
    net = _inp_without_coordinates(small_utility, tmp_path)
    out = tmp_path / "run"
    assert main(["-q", "run", "--pipes", str(small_utility["pipes"]), "--leaks", str(small_utility["leaks"]),
                 "--network", str(net), "--out", str(out), "--no-backtest"]) == 0
    issues = {i["code"]: i for i in json.loads((out / "validation.json").read_text())["issues"]}
    issue = issues["network_without_coordinates"]
    assert issue["severity"] == "warning" and issue["count"] > 100
    assert "has no node coordinates" in issue["message"] and "[COORDINATES]" in issue["message"]
    assert "n’a pas de coordonnées" in issue["message_fr"]
    assert "geometry_from_network" not in issues
    assert not (out / "risk.geojson").exists()
    sensors = pd.read_csv(out / "sensors.csv")
    assert len(sensors) and sensors["x"].isna().all() and sensors["y"].isna().all()
    risk = pd.read_csv(out / "risk.csv")
    assert risk["x"].isna().all() and risk["y"].isna().all()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "the network has no coordinates" in html
    # the sensors command on the same network says it too, and gives no lon/lat from nothing
    again = tmp_path / "sensors"
    assert main(["-q", "sensors", "--network", str(net), "--risk", str(out / "risk.csv"), "--crs", "EPSG:2154",
                 "--out", str(again)]) == 0
    codes = [i["code"] for i in json.loads((again / "validation.json").read_text())["issues"]]
    assert "network_without_coordinates" in codes
    placed = pd.read_csv(again / "sensors.csv")
    assert placed[["x", "y", "lon", "lat"]].isna().all().all() and not np.isinf(placed[["lon", "lat"]]).any().any()


def test_a_network_missing_some_coordinates_says_so_and_draws_nothing_to_the_origin(small_utility, tmp_path):
    """A few nodes left out of [COORDINATES] (WNTR's (0, 0) for them): counted in validation.json with the
    pipes that end on them, no line of risk.geojson goes to (0, 0), and every pipe is still scored."""
    import numpy as np
    text = Path(small_utility["network"]).read_text()
    start = text.index("[COORDINATES]")
    block = text[start:].split("\n[", 1)[0].splitlines()
    rows = [line for line in block[1:] if line.strip() and not line.strip().startswith(";")]
    gone = {line.split()[0] for line in rows[:5]}
    net = tmp_path / "partial.inp"
    net.write_text(text.replace("\n".join(block), "\n".join(line for line in block if line not in rows[:5])))
    out = tmp_path / "run"
    assert main(["-q", "run", "--pipes", str(small_utility["pipes"]), "--leaks", str(small_utility["leaks"]),
                 "--network", str(net), "--out", str(out), "--no-backtest"]) == 0
    issues = {i["code"]: i for i in json.loads((out / "validation.json").read_text())["issues"]}
    issue = issues["network_nodes_without_coordinates"]
    assert issue["count"] == 5 and {e["node_id"] for e in issue["examples"]} == gone
    assert "5 nodes of" in issue["message"] and "[COORDINATES]" in issue["message"]
    assert "5 nœuds de" in issue["message_fr"]
    geo = json.loads((out / "risk.geojson").read_text())
    points = np.array([c for f in geo["features"] if f["geometry"] for c in f["geometry"]["coordinates"]])
    assert len(points) and not (np.abs(points).sum(axis=1) == 0).any()
    assert len(pd.read_csv(out / "risk.csv")) == len(pd.read_csv(small_utility["pipes"]))
    sensors = pd.read_csv(out / "sensors.csv", dtype={"node_id": str})
    assert not ((sensors["x"] == 0) & (sensors["y"] == 0)).any()


def _register_in_l93(paths, out_dir) -> Path:
    """The synthetic register as a GeoPackage whose lines are the network's moved into Lambert-93 (Paris):
    the network's own (local) coordinates then lie elsewhere."""
    import geopandas as gpd
    import shapely

    from leakopt.io import read_network
    links = read_network(paths["network"]).links.set_index("pipe_id")
    pipes = pd.read_csv(paths["pipes"], dtype={"pipe_id": str})
    lines = [shapely.affinity.translate(links.loc[p, "geometry"], 650000.0, 6860000.0) for p in pipes["pipe_id"]]
    path = Path(out_dir) / "pipes_l93.gpkg"
    gpd.GeoDataFrame(pipes, geometry=lines, crs="EPSG:2154").to_file(path, driver="GPKG")
    return path


def test_a_network_elsewhere_gives_its_loggers_no_lon_lat_and_the_map_places_them_on_the_pipes(small_utility,
                                                                                            tmp_path):
    """A network in local coordinates beside a Lambert-93 register: its x, y are not given the register's
    CRS (sensors.csv lon/lat blank, x, y the network's own), the message says what to do, and the report
    map places each logger at the end of a register pipe at its node, among the pipes."""
    import numpy as np

    from leakopt.io import read_network
    from leakopt.report import maps
    register = _register_in_l93(small_utility, tmp_path)
    out = tmp_path / "run"
    assert main(["-q", "run", "--pipes", str(register), "--leaks", str(small_utility["leaks"]),
                 "--network", str(small_utility["network"]), "--out", str(out), "--no-backtest"]) == 0
    doc = json.loads((out / "validation.json").read_text())
    issue = next(i for i in doc["issues"] if i["code"] == "network_coordinates_elsewhere")
    assert "Give a network whose coordinates are in the register's coordinate system" in issue["message"]
    assert "Donnez un réseau" in issue["message_fr"]
    sensors = pd.read_csv(out / "sensors.csv", dtype={"node_id": str})
    assert len(sensors) and sensors["lon"].isna().all() and sensors["lat"].isna().all()
    nodes = read_network(small_utility["network"]).nodes.set_index("node_id")
    on_node = sensors[sensors["node_id"].isin(nodes.index)]    # the others are access points along a pipe
    assert len(on_node) and np.allclose(on_node[["x", "y"]].to_numpy(float),
                                        nodes.loc[on_node["node_id"], ["x", "y"]].to_numpy(float))
    # the map: every logger on a node at the end of a drawn register pipe (WGS84 around Paris)
    lines, props, wgs84 = maps.read_geojson_lines(out / "risk.geojson")
    assert wgs84 and not maps.network_xy_on_map(doc)
    pts = maps.logger_points(on_node["node_id"], None, lines, props["start_node"], props["end_node"])
    assert np.isfinite(pts).all()
    assert (np.abs(pts[:, 0] - 2.35) < 0.2).all() and (np.abs(pts[:, 1] - 48.85) < 0.2).all()
    off = len(sensors) - len(on_node)   # access points have no pipe end to stand on: left off, and said
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (f"{off} of the {len(sensors)} logger sites are not on the map" in html) == (off > 0)

"""``leakopt sensors --kind pressure``: pressure sensors from the command line, with the [pressure] settings."""
import json

import pandas as pd
import pytest
from _sensordata import network_from_inp, synthetic_risk, wntr_network_path

from leakopt.cli import main
from leakopt.placement import PressureConfig, place_pressure_sensors

NET1 = wntr_network_path("Net1.inp")


@pytest.fixture(scope="module")
def net1_risk(tmp_path_factory):
    path = tmp_path_factory.mktemp("net1") / "risk.csv"
    synthetic_risk(network_from_inp("Net1.inp"), seed=3).to_csv(path, index=False)
    return path


def _pressure(risk, out, *extra):
    return main(["-q", "sensors", "--kind", "pressure", "--network", NET1, "--risk", str(risk), "--out", str(out),
                 *extra])


def test_pressure_sensors_from_the_command_line_match_the_python_api(net1_risk, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pressure]\nthreshold_m = 2.0\n", encoding="utf-8")
    assert _pressure(net1_risk, tmp_path / "o", "--n", "2", "--config", str(cfg), "--crs", "EPSG:3857") == 0
    sensors = pd.read_csv(tmp_path / "o" / "pressure_sensors.csv", dtype={"node_id": str})
    p = json.loads((tmp_path / "o" / "pressure.json").read_text())
    risk = pd.read_csv(net1_risk, dtype={"pipe_id": str})
    api = place_pressure_sensors(network_from_inp("Net1.inp"), risk, k=2, config=PressureConfig(threshold_m=2.0))
    assert sorted(sensors["node_id"]) == sorted(api.sensors["node_id"].astype(str))
    assert p["detected_risk_share"] == pytest.approx(api.detected_risk_share)
    assert (p["n_sensors"], p["n_requested"], p["threshold_m"], p["status"]) == (2, 2, 2.0, "optimal")
    assert p["n_scenarios"] == 9 and p["n_distinguishable"] == api.n_distinguishable
    assert {"lon", "lat", "detected_scenarios", "detected_risk_share"} <= set(sensors.columns)
    scen = pd.read_csv(tmp_path / "o" / "pressure_scenarios.csv")
    assert len(scen) == 9 and scen["detected"].sum() > 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Pressure sensors: 2 detect {100 * api.detected_risk_share:.1f}%" in out and "status optimal" in out


def test_a_pressure_setting_changes_the_result(net1_risk, tmp_path):
    shares = {}
    for t in (2.0, 5.0):
        cfg = tmp_path / f"c{t}.toml"
        cfg.write_text(f"[pressure]\nthreshold_m = {t}\n", encoding="utf-8")
        assert _pressure(net1_risk, tmp_path / f"o{t}", "--n", "2", "--config", str(cfg)) == 0
        shares[t] = json.loads((tmp_path / f"o{t}" / "pressure.json").read_text())["detected_risk_share"]
    assert shares[5.0] < shares[2.0] - 0.1          # a less sensitive sensor detects fewer leaks
    cfg = tmp_path / "few.toml"
    cfg.write_text("[pressure]\nn_scenarios = 4\n", encoding="utf-8")
    assert _pressure(net1_risk, tmp_path / "few", "--config", str(cfg)) == 0
    assert json.loads((tmp_path / "few" / "pressure.json").read_text())["n_scenarios"] == 4


def test_pressure_table_is_read_and_the_logger_tables_said_unused(net1_risk, tmp_path, caplog):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pressure]\nthreshold_m = 2.0\n[coverage]\nsegment_length_m = 30\n", encoding="utf-8")
    assert _pressure(net1_risk, tmp_path / "o", "--config", str(cfg)) == 0
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "[coverage]" in warned and "[pressure]" not in warned
    v = json.loads((tmp_path / "o" / "validation.json").read_text())
    assert [i["column"] for i in v["issues"] if i["code"] == "config_table_not_used"] == ["[coverage]"]


def test_logger_options_are_refused_for_pressure_sensors(net1_risk, tmp_path, capsys):
    assert _pressure(net1_risk, tmp_path / "o", "--target-share", "0.8") == 2
    assert "--target-share 0.8 applies to acoustic loggers" in " ".join(capsys.readouterr().err.split())
    assert main(["-q", "sensors", "--network", NET1, "--risk", str(net1_risk), "--n", "3",
                 "--out", str(tmp_path / "a")]) == 2
    assert "--budget 3" in " ".join(capsys.readouterr().err.split())


def test_pressure_counts_network_pipes_without_a_score(tmp_path):
    risk = pd.read_csv(_scored(tmp_path), dtype={"pipe_id": str})
    part = tmp_path / "part.csv"
    risk[~risk["pipe_id"].isin(["10", "11"])].to_csv(part, index=False)
    assert _pressure(part, tmp_path / "o", "--n", "2") == 0
    p = json.loads((tmp_path / "o" / "pressure.json").read_text())
    assert p["n_pipes_not_in_risk"] == 2 and sorted(p["not_in_risk_examples"]) == ["10", "11"]
    v = json.loads((tmp_path / "o" / "validation.json").read_text())
    assert next(i for i in v["issues"] if i["code"] == "network_pipe_not_in_risk")["count"] == 2


def _scored(tmp_path):
    path = tmp_path / "risk.csv"
    synthetic_risk(network_from_inp("Net1.inp"), seed=3).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """A 300-pipe utility run once with 2 pressure sensors asked on the command line, loggers off."""
    from leakopt import synth

    base = tmp_path_factory.mktemp("run")
    paths = synth.write_synth(synth.synthesize(300, seed=1), base / "utility")
    cfg = base / "c.toml"
    cfg.write_text("[pressure]\nn_scenarios = 30\n", encoding="utf-8")
    out = base / "o"
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--network",
                 str(paths["network"]), "--out", str(out), "--no-backtest", "--no-sensors", "--pressure-sensors", "2",
                 "--config", str(cfg)]) == 0
    return paths, base, out


def test_run_places_the_pressure_sensors_that_the_sensors_command_places(small_run, capsys, caplog):
    paths, base, out = small_run
    assert not (out / "sensors.csv").exists()                 # --no-sensors: no acoustic loggers
    assert main(["-q", "sensors", "--kind", "pressure", "--network", str(paths["network"]), "--risk",
                 str(out / "risk.csv"), "--n", "2", "--config", str(base / "c.toml"), "--out", str(base / "p")]) == 0
    ran, alone = (pd.read_csv(d / "pressure_sensors.csv", dtype={"node_id": str}) for d in (out, base / "p"))
    assert len(ran) == 2 and ran.equals(alone)
    p = json.loads((out / "pressure.json").read_text())
    same = {**json.loads((base / "p" / "pressure.json").read_text()), "risk_csv": p["risk_csv"],
            "solve_seconds": p["solve_seconds"]}
    assert p == same
    assert p["n_scenarios"] == 30 and p["risk_csv"]["path"] == str(out / "risk.csv")
    pd.testing.assert_frame_equal(pd.read_csv(out / "pressure_scenarios.csv"),  # risk.csv rounds in the last digit
                                  pd.read_csv(base / "p" / "pressure_scenarios.csv"), check_exact=False, rtol=1e-9)
    m = json.loads((out / "manifest.json").read_text())
    assert "pressure_sensors" in m["timings"]["stages"] and "pressure" not in m["ignored_config"]
    assert m["pressure_sensors"]["status"] == "placed" and m["pressure_sensors"]["n_sensors"] == 2
    assert "Pressure sensors" in (out / "report.html").read_text(encoding="utf-8")


def test_a_pressure_table_with_n_makes_run_place_them_and_its_settings_act(small_run, tmp_path):
    paths, base, out = small_run
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pressure]\nn = 2\nn_scenarios = 30\nthreshold_m = 5.0\n", encoding="utf-8")
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--network",
                 str(paths["network"]), "--out", str(tmp_path / "o"), "--no-backtest", "--no-sensors",
                 "--config", str(cfg)]) == 0
    strict = json.loads((tmp_path / "o" / "pressure.json").read_text())
    loose = json.loads((out / "pressure.json").read_text())
    assert (strict["n_sensors"], strict["threshold_m"], loose["threshold_m"]) == (2, 5.0, 0.5)
    assert strict["detected_risk_share"] < loose["detected_risk_share"] - 0.1  # a less sensitive sensor hears less


def test_run_without_a_network_skips_pressure_sensors_and_says_so(small_run, tmp_path, caplog):
    paths, base, _ = small_run
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--out",
                 str(tmp_path / "o"), "--no-backtest", "--pressure-sensors", "2",
                 "--config", str(base / "c.toml")]) == 0
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "2 pressure sensors asked for, but no network was given" in warned
    assert not (tmp_path / "o" / "pressure.json").exists()
    m = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert m["pressure_sensors"] == {"asked": 2, "status": "skipped_no_network"}
    assert "pressure" in m["ignored_config"]  # the [pressure] table did not act

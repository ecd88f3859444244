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

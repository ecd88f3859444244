"""Pressure sensors: the linear fast path against full WNTR simulation, and the optimum."""
import itertools

import numpy as np
import pytest
from _sensordata import hand_network, network_from_inp, synthetic_risk

from leakopt.errors import InputError
from leakopt.placement.pressure import (
    PressureConfig,
    junction_risk,
    place_pressure_sensors,
    pressure_drops,
    select_scenarios,
    sensor_candidates,
    wntr_model,
)


@pytest.fixture(scope="module")
def net3():
    net = network_from_inp("Net3.inp")
    return net, synthetic_risk(net, seed=0)


def test_sensitivity_matches_full_simulation_on_net3(net3):
    net, risk = net3
    fast_s, fast = pressure_drops(net, risk, config=PressureConfig(n_scenarios=8))
    full_s, full = pressure_drops(net, risk, config=PressureConfig(n_scenarios=8, method="simulate"))
    assert fast_s["node_id"].tolist() == full_s["node_id"].tolist()
    assert fast_s["leak_flow_m3s"].to_numpy() == pytest.approx(full_s["leak_flow_m3s"].to_numpy(), rel=0.05)
    a, b = fast.to_numpy().ravel(), full.to_numpy().ravel()
    assert b.max() > 1.0  # leaks big enough to be seen somewhere
    assert np.corrcoef(a, b)[0, 1] > 0.9
    assert ((a >= 0.5) == (b >= 0.5)).mean() > 0.95
    # the drop is largest at or next to the leak node
    for node in full.columns:
        assert full[node].idxmax() == node or full[node].max() - full.loc[node, node] < 0.2


def test_k_sensors_maximise_detected_risk_brute_force(net3):
    net, risk = net3
    cfg = PressureConfig(n_scenarios=40, threshold_m=0.3)
    p = place_pressure_sensors(net, risk, k=2, config=cfg)
    detect = p.drops.to_numpy() >= cfg.threshold_m
    w = p.scenarios["weight"].to_numpy()
    best = max(w[detect[list(c)].any(axis=0)].sum() for c in itertools.combinations(range(len(detect)), 2))
    assert p.detected_risk_share == pytest.approx(best / w.sum(), rel=1e-6)
    assert len(p.sensors) <= 2 and p.info.status == "optimal"
    # signatures recomputed from the drop table
    rows = [p.drops.index.get_loc(n) for n in p.sensors["node_id"]]
    sig = [tuple(col) for col in detect[rows].T if col.any()]
    assert p.n_distinguishable == len(set(sig))
    assert p.to_json()["n_sensors"] == len(p.sensors)


def test_the_risk_s_unit_changes_no_pressure_sensor(net3):
    """Expected leaks given per day (1e-9 a junction): 0 sensors were placed, "optimal"."""
    net, risk = net3
    cfg = PressureConfig(n_scenarios=40, threshold_m=0.3)
    base = place_pressure_sensors(net, risk, k=2, config=cfg)
    tiny = place_pressure_sensors(net, risk.assign(expected_leaks_per_year=risk["expected_leaks_per_year"] * 1e-9),
                                  k=2, config=cfg)
    assert len(tiny.sensors) == len(base.sensors) == 2
    assert tiny.detected_risk_share == pytest.approx(base.detected_risk_share, rel=1e-9)


def test_more_sensors_tell_more_leaks_apart(net3):
    net, risk = net3
    cfg = PressureConfig(n_scenarios=40, threshold_m=0.3)
    few = place_pressure_sensors(net, risk, k=1, config=cfg)
    many = place_pressure_sensors(net, risk, k=6, config=cfg)
    assert many.detected_risk_share >= few.detected_risk_share
    assert many.n_distinguishable > few.n_distinguishable


def test_needs_an_inp_file():
    net = hand_network([("A", "B")])
    risk = synthetic_risk(net)
    with pytest.raises(InputError, match="must come from an EPANET .inp file"):
        place_pressure_sensors(net, risk, k=1)
    with pytest.raises(InputError, match="method='magic'"):
        PressureConfig(method="magic")


def test_scenarios_are_the_riskiest_junctions(net3):
    """select_scenarios: the n heaviest junctions by surrounding risk, heaviest first; pressure_drops uses them."""
    net, risk = net3
    cfg = PressureConfig(n_scenarios=15)
    wn = wntr_model(net)
    scen = select_scenarios(net, risk, config=cfg, wn=wn)
    weight = junction_risk(net, risk).reindex(wn.junction_name_list)
    assert list(scen.columns) == ["node_id", "weight"] and len(scen) == 15
    assert scen["weight"].is_monotonic_decreasing and (scen["weight"] > 0).all()
    assert scen["weight"].iloc[-1] >= weight.drop(scen["node_id"]).max()   # nothing heavier left out
    np.testing.assert_allclose(scen["weight"], weight[scen["node_id"]].to_numpy())
    s, drops = pressure_drops(net, risk, config=cfg)
    assert s["node_id"].tolist() == scen["node_id"].tolist() == list(drops.columns)
    assert list(drops.index) == sensor_candidates(wn, config=cfg) == list(wn.junction_name_list)
    with pytest.raises(InputError, match="nothing to detect"):
        select_scenarios(net, risk.assign(expected_leaks_per_year=0.0), config=cfg)

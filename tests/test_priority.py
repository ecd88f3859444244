"""Priority zone and risk classes: ranked by leaks per km, measured by length."""
import numpy as np
import pandas as pd
import pytest

from leakopt.errors import InputError
from leakopt.risk import PriorityConfig, priority_zone, rank_and_classify


def _risk(lengths, expected):
    lengths = np.asarray(lengths, dtype=float)
    expected = np.asarray(expected, dtype=float)
    return pd.DataFrame({"pipe_id": [f"P{i}" for i in range(len(lengths))], "length_m": lengths,
                         "expected_leaks_per_year": expected,
                         "leaks_per_km_year": expected / (lengths / 1000.0)})


def test_zone_is_the_shortest_prefix_holding_the_target_share():
    # rates per km: P0 10, P1 5, P2 2, P3 1 ; expected 1, 2, 1, 0.5 (total 4.5)
    risk = _risk([100, 400, 500, 500], [1.0, 2.0, 1.0, 0.5])
    prio = priority_zone(risk, config=PriorityConfig(target_share=0.6))
    # P0 (1.0) + P1 (2.0) = 3.0 >= 0.6 * 4.5 = 2.7: zone = P0, P1 = 500 m of 1500 m
    assert prio.risk.set_index("pipe_id")["in_priority_zone"].to_dict() == {
        "P0": True, "P1": True, "P2": False, "P3": False}
    s = prio.to_json()
    assert s["length_share"] == pytest.approx(500 / 1500)
    assert s["expected_leak_share"] == pytest.approx(3.0 / 4.5)
    assert s["n_pipes_in_zone"] == 2 and s["n_pipes"] == 4
    assert s["zone_length_km"] == pytest.approx(0.5) and s["length_km"] == pytest.approx(1.5)
    assert s["expected_leaks_per_year"] == pytest.approx(4.5) and s["target_share"] == 0.6


def test_ranking_is_by_rate_per_km_not_by_expected_count():
    # a long pipe with many expected leaks but a low rate per km comes last
    risk = _risk([5000, 100, 200], [5.0, 1.0, 1.0])
    out = rank_and_classify(risk).set_index("pipe_id")
    assert out["rank"].to_dict() == {"P1": 1, "P2": 2, "P0": 3}


def test_classes_follow_cumulative_length_share():
    risk = _risk([100] * 10, np.linspace(1.0, 0.1, 10))   # already in rank order, equal lengths
    out = rank_and_classify(risk, config=PriorityConfig(class_bounds=(0.1, 0.3, 0.6)))
    assert "".join(out.sort_values("rank")["risk_class"]) == "ABBCCCDDDD"


def test_input_frame_is_not_modified():
    risk = _risk([100, 200], [1.0, 1.0])
    before = risk.copy()
    priority_zone(risk)
    pd.testing.assert_frame_equal(risk, before)


def test_bad_configuration_is_explained():
    with pytest.raises(InputError, match=r"target_share must be in \(0, 1\]; got 1.5"):
        PriorityConfig(target_share=1.5)
    with pytest.raises(InputError, match="class_bounds must be 3 increasing"):
        PriorityConfig(class_bounds=(0.5, 0.2, 0.9))
    with pytest.raises(InputError, match="'length_m'"):
        priority_zone(pd.DataFrame({"pipe_id": ["a"], "expected_leaks_per_year": [1.0],
                                    "leaks_per_km_year": [1.0]}))

"""Renewal planning: known optima, budgets, grouping, minimum rate, the rules."""
import itertools

import numpy as np
import pandas as pd
import pytest
from _highs import highs_runs_with

from leakopt.errors import InputError
from leakopt.renewal import RenewalConfig, first_fit_years, pipe_costs, plan_renewal, prepare_pipes, rule_plan


def synthetic_risk(n=300, seed=1):
    """Pipes whose leak rate grows with age, is higher in cast iron and varies a lot."""
    rng = np.random.default_rng(seed)
    year = rng.integers(1930, 2020, n)
    diameter = rng.choice([80, 100, 150, 200, 300], n)
    length = rng.uniform(20, 400, n)
    material = rng.choice(["cast_iron", "pvc", "pe", "ductile_iron"], n)
    rate = (0.02 * np.exp((2020 - year) / 40) * np.where(material == "cast_iron", 3, 1)
            * rng.lognormal(0, 0.8, n))
    expected = rate * length / 1000
    return pd.DataFrame({"pipe_id": [f"P{i}" for i in range(n)], "expected_leaks_per_year": expected,
                         "length_m": length, "diameter_mm": diameter, "install_year": year,
                         "material": material, "n_leaks": rng.poisson(expected * 10)})


def test_cost_table_interpolates_and_extends():
    cost = pipe_costs([100, 125, 600, 1100])
    assert cost[0] == 400 and cost[1] == pytest.approx(440) and cost[2] == 1200
    assert cost[3] == pytest.approx(1800 + 150)   # extended along the last segment (300 EUR / 200 mm)


def test_optimised_plan_beats_both_rules_within_budget():
    risk = synthetic_risk()
    cfg = RenewalConfig(start_year=2027)
    result = plan_renewal(risk, config=cfg)
    s = result.summary
    budget = s["budget_per_year_eur"]
    # default budget: 1% of the replacement value a year
    assert budget == pytest.approx(0.01 * prepare_pipes(risk, config=cfg)["cost"].sum())
    per_year = result.plan.groupby("year")["cost"].sum()
    assert (per_year <= budget + 1e-6).all()
    assert sorted(per_year.index) == [2027, 2028, 2029, 2030, 2031]
    for rule in ("oldest_first", "most_leaks_first"):
        r = rule_plan(risk, rule, config=cfg)
        assert (r.plan.groupby("year")["cost"].sum() <= budget + 1e-6).all()
        assert s["leaks_avoided"] > r.summary["leaks_avoided"]
        assert s["rules"][rule]["leaks_avoided"] == pytest.approx(r.summary["leaks_avoided"])
        assert s["rules"][rule]["ratio"] > 1.0
    assert s["solver"]["status"] == "optimal"
    assert set(result.plan.columns) >= {"year", "pipe_id", "length_m", "diameter_mm", "cost", "leaks_avoided"}
    assert result.plan["pipe_id"].is_unique


def brute_force(avoid, cost, budget, years):
    best = 0.0
    for assign in itertools.product(range(years + 1), repeat=len(cost)):
        a = np.array(assign)
        if any(cost[a == t].sum() > budget for t in range(1, years + 1)):
            continue
        best = max(best, float(sum(avoid[i] * (years - t + 1) for i, t in enumerate(a) if t)))
    return best


def test_tiny_case_matches_brute_force():
    rng = np.random.default_rng(7)
    n, years = 7, 2
    risk = pd.DataFrame({"pipe_id": [f"p{i}" for i in range(n)],
                         "expected_leaks_per_year": rng.uniform(0.05, 1.0, n),
                         "length_m": rng.uniform(100, 900, n), "diameter_mm": 150.0,
                         "install_year": 1960, "material": "cast_iron"})
    cfg = RenewalConfig(horizon_years=years, annual_budget_eur=500_000, residual_leaks_per_km_year=0.05,
                        mip_gap=0.0, candidate_budget_factor=100, start_year=2030)
    pipes = prepare_pipes(risk, config=cfg)
    expected = brute_force(pipes["leaks_avoided_per_year"].to_numpy(), pipes["cost"].to_numpy(), 500_000, years)
    result = plan_renewal(risk, config=cfg)
    assert result.plan["leaks_avoided"].sum() == pytest.approx(expected, rel=1e-9)
    assert result.plan["year"].between(2030, 2031).all()


def test_street_grouping_is_all_or_nothing_in_one_year():
    risk = synthetic_risk(120, seed=3)
    risk["street"] = [f"street {i // 4}" for i in range(len(risk))]   # 4 pipes a street
    result = plan_renewal(risk, config=RenewalConfig(group_column="street", annual_budget_eur=1_000_000,
                                                          start_year=2027))
    chosen = result.plan.merge(risk[["pipe_id", "street"]], on="pipe_id")
    assert len(chosen) > 0
    per_street = chosen.groupby("street").agg(n=("pipe_id", "size"), years=("year", "nunique"))
    assert (per_street["n"] == 4).all() and (per_street["years"] == 1).all()
    assert result.summary["n_grouped_sites"] == 30


def test_pipes_in_series_form_one_work_site():
    # a-b-c in series through nodes of degree 2; d and e meet c at a junction of degree 3
    risk = pd.DataFrame({"pipe_id": list("abcde"), "expected_leaks_per_year": [0.9, 0.0, 0.9, 0.01, 0.01],
                         "length_m": 100.0, "diameter_mm": 100.0, "install_year": 1950})
    adjacency = pd.DataFrame({"pipe_id": list("abcde"), "start_node": ["1", "2", "3", "4", "4"],
                              "end_node": ["2", "3", "4", "5", "6"]})
    pipes = prepare_pipes(risk, adjacency=adjacency)
    site = dict(zip(pipes["pipe_id"], pipes["site_id"]))
    assert site["a"] == site["b"] == site["c"]
    assert len({site["c"], site["d"], site["e"]}) == 3
    # the chain is renewed whole: b, which avoids nothing, comes with a and c
    cfg = RenewalConfig(horizon_years=1, annual_budget_eur=130_000, mip_gap=0.0)
    plan = plan_renewal(risk, config=cfg, adjacency=adjacency).plan
    assert set(plan["pipe_id"]) == {"a", "b", "c"}
    # a chain longer than max_site_length_m is not grouped
    short = prepare_pipes(risk, adjacency=adjacency, config=RenewalConfig(max_site_length_m=250))
    assert short["site_id"].nunique() == 5


def test_minimum_renewal_rate_is_honoured():
    risk = synthetic_risk(200, seed=5)
    total = risk["length_m"].sum()
    cfg = RenewalConfig(min_rate_pct=1.5, annual_budget_eur=600_000, start_year=2027, horizon_years=3)
    result = plan_renewal(risk, config=cfg)
    km = result.plan.groupby("year")["length_m"].sum()
    assert len(km) == 3 and (km >= 0.015 * total - 1e-6).all()
    assert (result.plan.groupby("year")["cost"].sum() <= 600_000 + 1e-6).all()


def test_unreachable_minimum_rate_is_an_input_error():
    risk = synthetic_risk(100, seed=2)
    with pytest.raises(InputError, match=r"min_rate_pct asks for .* km a year.*yearly budget is EUR 10,000"):
        plan_renewal(risk, config=RenewalConfig(min_rate_pct=5, annual_budget_eur=10_000))


def test_missing_column_names_it():
    risk = synthetic_risk(10).drop(columns="diameter_mm")
    with pytest.raises(InputError, match=r"lacks column\(s\) \['diameter_mm'\]"):
        plan_renewal(risk)


def test_rule_without_past_leaks_is_reported_unavailable():
    risk = synthetic_risk(80).drop(columns="n_leaks")
    s = plan_renewal(risk, config=RenewalConfig(start_year=2027)).summary
    assert s["rules"]["most_leaks_first"]["available"] is False
    assert "past-leak count" in s["rules"]["most_leaks_first"]["reason"]
    assert s["rules"]["oldest_first"]["available"] is True


def test_first_fit_skips_what_does_not_fit_and_keeps_it_for_next_year():
    years = first_fit_years(np.array([60, 50, 30, 10, 45]), budget=100, years=2)
    # year 1: 60, (50 skipped), 30, 10 -> 100; year 2: 50, 45
    assert years.tolist() == [1, 2, 1, 1, 2]


def test_a_plan_that_renews_nothing_says_why():
    """Nothing renewed is a result, but not an unexplained one: either no pipe leaks more than a new one, or no
    work site fits one year's budget; renewal.json says which, with the figures, and so do the summary and report."""
    from leakopt.pipeline.summary import renewal_line
    risk = synthetic_risk()
    calm = risk.assign(expected_leaks_per_year=0.01 * risk["length_m"] / 1000.0)   # 0.01 per km < 0.03
    s = plan_renewal(calm, config=RenewalConfig(horizon_years=3)).summary
    assert s["km_renewed"] == 0 and s["nothing_to_renew"] == {
        "reason": "no_benefit", "highest_leaks_per_km_year": 0.01, "residual_leaks_per_km_year": 0.03}
    assert "No pipe is expected to leak more than a new one would (0.03 leaks per km a year)" in renewal_line(s)
    poor = plan_renewal(risk, config=RenewalConfig(horizon_years=3, annual_budget_eur=10.0)).summary
    assert poor["nothing_to_renew"]["reason"] == "over_budget" and poor["nothing_to_renew"]["cheapest_site_eur"] > 10
    assert "No work site fits in one year's budget (€10" in renewal_line(poor)
    assert "nothing_to_renew" not in plan_renewal(risk, config=RenewalConfig(horizon_years=3)).summary


def test_inputs_are_not_mutated():
    risk = synthetic_risk(50)
    before = risk.copy()
    plan_renewal(risk, config=RenewalConfig(start_year=2027))
    pd.testing.assert_frame_equal(risk, before)


def test_past_leaks_counted_from_a_leak_frame():
    risk = synthetic_risk(80)
    leaks = risk.loc[risk.index.repeat(risk["n_leaks"]), ["pipe_id"]]
    with_column = rule_plan(risk, "most_leaks_first", config=RenewalConfig(start_year=2027))
    from_leaks = rule_plan(risk.drop(columns="n_leaks"), "most_leaks_first", leaks=leaks,
                           config=RenewalConfig(start_year=2027))
    assert from_leaks.plan["pipe_id"].tolist() == with_column.plan["pipe_id"].tolist()
    assert len(from_leaks.plan) > 0


def test_a_plan_stopped_by_a_solver_limit_says_which(monkeypatch):
    highs_runs_with(monkeypatch, mip_max_improving_sols=1)  # HiGHS stops at its first improving solution
    result = plan_renewal(synthetic_risk(), config=RenewalConfig(start_year=2027, solver="highs"))
    solver = result.summary["solver"]
    assert (solver["solver"], solver["status"]) == ("highs", "solution_limit") and solver["mip_gap"] > 0
    assert result.solve.status == "solution_limit" and len(result.plan) > 0


def test_a_plan_built_year_by_year_is_not_called_optimal():
    risk = synthetic_risk()
    result = plan_renewal(risk, config=RenewalConfig(start_year=2027, max_candidates=20))
    s = result.summary
    assert s["method"] == "year_by_year" and s["optimal"] is False
    # each year's choice is exact, but nothing proves the five years together are the best plan
    assert s["solver"]["status"] == "feasible" and s["solver"]["mip_gap"] is None
    assert result.solve.status == "feasible" and result.solve.has_solution
    per_year = s["solver"]["per_year"]
    assert [y["year"] for y in per_year] == [2027, 2028, 2029, 2030, 2031]
    assert all(y["status"] == "optimal" and y["solver"] == s["solver"]["solver"] for y in per_year)
    from leakopt.pipeline.summary import renewal_line as _renewal_line  # the line printed after a run
    assert "not proven optimal" in _renewal_line(s)
    horizon = plan_renewal(risk, config=RenewalConfig(start_year=2027)).summary
    assert horizon["method"] == "horizon" and horizon["optimal"] is True
    assert horizon["solver"]["status"] == "optimal" and "per_year" not in horizon["solver"]


def risk_with_consequence(n=200, seed=11):
    """Leaky pipes that cut nobody off, and fewer leaks on mains whose break cuts off a district."""
    risk = synthetic_risk(n, seed=seed)
    rng = np.random.default_rng(seed)
    leaky = risk["expected_leaks_per_year"] > risk["expected_leaks_per_year"].median()
    risk["consequence"] = np.where(leaky, rng.uniform(0.5, 1.5, n), rng.uniform(5, 40, n))
    return risk


def test_renewal_by_risk_avoids_more_consequence_weighted_risk_at_the_same_budget():
    risk = risk_with_consequence()
    by_leaks = plan_renewal(risk, config=RenewalConfig(start_year=2027, annual_budget_eur=300_000)).summary
    by_risk = plan_renewal(risk, config=RenewalConfig(start_year=2027, annual_budget_eur=300_000,
                                                      objective="risk")).summary
    assert (by_leaks["objective"], by_risk["objective"]) == ("leaks", "risk")
    assert "consequence-weighted" in by_risk["objective_unit"]
    assert by_risk["risk_avoided"] > 1.2 * by_leaks["risk_avoided"]      # what it is for
    assert by_leaks["leaks_avoided"] > by_risk["leaks_avoided"]          # and what it costs in leaks
    assert by_risk["total_cost_eur"] <= 5 * 300_000 + 1e-6
    rule = by_risk["rules"]["oldest_first"]
    assert rule["ratio"] == pytest.approx(by_risk["risk_avoided"] / rule["risk_avoided"], rel=1e-3)
    from leakopt.pipeline.summary import (
        renewal_line as _renewal_line,  # the line printed after a run says which and both figures
    )
    line = _renewal_line(by_risk)
    assert "by business risk" in line and "expected leaks avoided" in line and "consequence-weighted" in line


def test_renewal_by_risk_needs_consequences():
    with pytest.raises(InputError, match="objective='risk' needs a 'consequence' column"):
        plan_renewal(synthetic_risk(30), config=RenewalConfig(objective="risk"))
    with pytest.raises(InputError, match=r"\[renewal\] objective='money'"):
        RenewalConfig(objective="money")
    s = plan_renewal(synthetic_risk(30), config=RenewalConfig(start_year=2027)).summary
    assert s["objective"] == "leaks" and s["risk_avoided"] is None

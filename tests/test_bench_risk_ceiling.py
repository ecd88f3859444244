"""The posterior ceiling of ``benchmarks/bench_risk_ceiling.py``: Bayes' rule on the simulator's frailty."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from _scripts import load_script
from scipy import integrate

ceiling = load_script("benchmarks/bench_risk_ceiling.py")


def test_pipe_frailty_is_the_gamma_posterior_mean():
    z = ceiling.posterior_frailty([0, 2, 5], [1.0, 2.0, 1.0], 0.5, "pipes")
    shape = 4.0   # 1 / 0.5**2
    np.testing.assert_allclose(z, [(shape + 0) / (shape + 1), 1.0, (shape + 5) / (shape + 1)])
    assert z[0] < 1 < z[2]   # fewer leaks than expected lowers the frailty, more raises it


def test_district_frailty_pools_its_pipes_and_integrates_the_lognormal_prior():
    sigma = 0.6
    z = ceiling.posterior_frailty([1, 3, 0, 0], [0.5, 1.0, 2.0, 0.5], sigma, "districts",
                                  np.array(["a", "a", "b", "b"]))
    assert z[0] == z[1] and z[2] == z[3]   # one frailty per district

    def mean(n, e):   # the posterior mean by quadrature, independently of the grid
        def dens(x, k):
            return np.exp(k * x + n * x - e * np.exp(x) - 0.5 * ((x + sigma ** 2 / 2) / sigma) ** 2)
        lo, hi = -8 * sigma, 8 * sigma
        return integrate.quad(dens, lo, hi, args=(1,))[0] / integrate.quad(dens, lo, hi, args=(0,))[0]

    np.testing.assert_allclose(z[[0, 2]], [mean(4, 1.5), mean(0, 2.5)], rtol=1e-4)
    assert z[0] > 1 > z[2]


def test_no_frailty_leaves_every_rate_as_it_is():
    np.testing.assert_array_equal(ceiling.posterior_frailty([0, 3], [1.0, 1.0], 0.0, "pipes"), [1.0, 1.0])


@pytest.mark.parametrize("hazard", ["districts", "pipes"])
def test_posterior_rate_without_frailty_is_the_true_rate(hazard):
    from leakopt.risk.backtest import _truth_score, restrict_to
    from leakopt.synth import SynthConfig, synthesize
    from leakopt.validate import validate

    s = synthesize(300, seed=1, config=SynthConfig(hazard=hazard, frailty_sigma=0.0))
    u = validate(s.pipes, s.leaks)
    cutoff = pd.Timestamp(u.as_of.year - 2, 1, 1)
    past = restrict_to(u, cutoff)
    feats = pd.DataFrame({"pipe_id": past.pipes["pipe_id"].astype(str),
                          "length_km": past.pipes["length_m"].to_numpy() / 1000})
    truth = _truth_score(s.truth, feats, cutoff)
    np.testing.assert_allclose(ceiling.posterior_rate(s, past, feats["pipe_id"].to_numpy(), cutoff, truth,
                                                       ceiling.pipe_districts(s)), truth)
    # with frailty, pipes with more recorded leaks than their rates expected are raised
    s2 = dataclasses.replace(s, config=SynthConfig(hazard=hazard, frailty_sigma=0.5))
    raised = ceiling.posterior_rate(s2, past, feats["pipe_id"].to_numpy(), cutoff, truth, ceiling.pipe_districts(s))
    assert not np.allclose(raised, truth)


def _formula_frame() -> pd.DataFrame:
    return pd.DataFrame({"pipe_id": ["a", "b"], "material": ["cast_iron", "pvc"], "age": [49.5, 0.0],
                         "install_year": [1960, 2010], "diameter_mm": [150.0, 300.0], "pressure_mean_m": [50.0, 50.0],
                         "prev_leaks": [6.0, 1.0], "prev_leaks_1y": [1.0, 0.0], "prev_leaks_3y": [1.0, 1.0],
                         "prev_leaks_5y": [4.0, 1.0]})


def test_formula_of_the_districts_family_ages_exponentially_and_keeps_every_leak():
    x = ceiling.formula_design(_formula_frame(), "districts")
    np.testing.assert_allclose(x["age_cast_iron"], [-0.5, 0.0])   # age - 50, on its own material only
    np.testing.assert_allclose(x["logd_pvc"], [0.0, np.log(2.0)])
    np.testing.assert_array_equal(x["prev_4"], [1.0, 0.0])   # 4 and more previous leaks share one level
    np.testing.assert_array_equal(x["prev_1"], [0.0, 1.0])
    assert x["infant_0"].tolist() == [0.0, 1.0] and not any(c.startswith("leaks_") for c in x)


def test_formula_of_the_pipes_family_ages_as_a_power_and_lets_leaks_fade():
    x = ceiling.formula_design(_formula_frame(), "pipes")
    np.testing.assert_allclose(x["age_cast_iron"], [0.0, 0.0])   # log((49.5 + 0.5) / 50)
    np.testing.assert_allclose(x["age_pvc"], [0.0, np.log(0.5 / 50)])
    # leaks of the last year, of the two before, of the two before those
    np.testing.assert_allclose(x[["leaks_1y", "leaks_1-3y", "leaks_3-5y"]].to_numpy(),
                               np.log1p([[1, 0, 3], [0, 1, 0]]))
    assert not any(c.startswith("prev_") for c in x)


def test_posterior_counts_the_leaks_of_the_asset_a_pipe_replaced():
    from leakopt.risk.backtest import _truth_score, restrict_to
    from leakopt.synth import SynthConfig, synthesize
    from leakopt.validate import validate

    s = synthesize(300, seed=1, config=SynthConfig(hazard="pipes", frailty_sigma=0.5))
    u = validate(s.pipes, s.leaks)
    cutoff = pd.Timestamp(u.as_of.year - 2, 1, 1)
    past = restrict_to(u, cutoff)
    ids = past.pipes["pipe_id"].astype(str).to_numpy()
    feats = pd.DataFrame({"pipe_id": ids, "length_km": past.pipes["length_m"].to_numpy() / 1000})
    truth = _truth_score(s.truth, feats, cutoff)
    rate = ceiling.posterior_rate(s, past, ids, cutoff, truth, ceiling.pipe_districts(s))
    # a leak dated before the install year of a pipe laid after recording began: validation leaves it
    # out (an earlier asset carried the ID), the ceiling counts it
    laid = past.pipes["install_year"].to_numpy()
    k = int(np.flatnonzero((laid > s.config.record_start_year) & (laid < cutoff.year))[0])
    extra = pd.DataFrame({"leak_id": ["EXTRA"], "pipe_id": [ids[k]], "date": [f"{int(laid[k]) - 1}-06-01"]})
    s2 = dataclasses.replace(s, leaks=pd.concat([s.leaks, extra], ignore_index=True))
    assert "EXTRA" not in set(restrict_to(validate(s2.pipes, s2.leaks), cutoff).leaks["leak_id"])
    rate2 = ceiling.posterior_rate(s2, past, ids, cutoff, truth, ceiling.pipe_districts(s))
    assert rate2[k] > rate[k]
    np.testing.assert_allclose(np.delete(rate2, k), np.delete(rate, k))

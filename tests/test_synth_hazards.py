"""The synthetic utility's two hazard families: "districts" is today's generator unchanged, "pipes" follows its
documented Weibull ageing, decaying self-excitation and per-pipe frailty, in the truth and in the leaks drawn."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.synth import FAMILIES, SynthConfig, synthesize, write_synth

PIPES = SynthConfig(layout="procedural", hazard="pipes")
#: Every effect off but the family's own: a pipe leaks at its base rate times what is tested.
NEUTRAL = replace(PIPES, defects=False, diameter_exponent=0.0, infant_factor=0.0, cohort_factors=(),
                  pressure_exponent=0.0, self_excitation=0.0, frailty_sigma=0.0, record_completeness=(),
                  renewal_rate=0.0, renewal_after_leaks=0.0, weibull_shape=1.0)


def _base_intensity(s) -> pd.Series:
    """Per pipe: base rate x length x frailty, the intensity before ageing and self-excitation."""
    base = s.assets["material_family"].map(s.config.base_rate_per_100km).to_numpy()
    length = s.network.links.set_index("pipe_id").loc[s.assets["pipe_id"], "length_m"].to_numpy()
    return pd.Series(base * length / 1e5 * s.assets["frailty"].to_numpy(), index=s.assets["pipe_id"])


def test_default_family_is_districts_and_unknown_family_is_named():
    assert SynthConfig().hazard == "districts" and SynthConfig(hazard="districts") == SynthConfig()
    # (test_synth.test_shipped_sample_is_what_the_default_config_gives: the sample, leaks included, is unchanged)
    with pytest.raises(InputError, match=r"hazard must be one of \('districts', 'pipes'\); got 'pipe'"):
        SynthConfig(hazard="pipe")
    with pytest.raises(InputError, match="excitation_half_life"):
        SynthConfig(hazard="pipes", excitation_half_life=0)
    with pytest.raises(InputError, match="weibull_shape"):
        SynthConfig(hazard="pipes", weibull_shape={"cast_iron": 2.0})     # the other families would get 0


def test_cli_passes_the_family_through_and_rejects_an_unknown_one(tmp_path, capsys):
    assert main(["synth", "--pipes", "300", "--seed", "4", "--out", str(tmp_path / "cli"), "--hazard", "pipes"]) == 0
    direct = write_synth(synthesize(300, seed=4, config=SynthConfig(hazard="pipes")), tmp_path / "direct")
    default = write_synth(synthesize(300, seed=4), tmp_path / "default")
    assert (tmp_path / "cli" / "truth.csv").read_bytes() == direct["truth"].read_bytes()
    assert direct["truth"].read_bytes() != default["truth"].read_bytes()
    out = subprocess.run([sys.executable, "-m", "leakopt", "synth", "--pipes", "300", "--out", str(tmp_path / "x"),
                          "--hazard", "weibull"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "--hazard" in out.stderr and "'weibull'" in out.stderr and "districts" in out.stderr


def test_pipes_truth_follows_weibull_ageing_exactly():
    shapes = {"cast_iron": 2.0, "ductile_iron": 1.5, "steel": 1.8, "pvc": 1.0, "pe": 1.0, "asbestos_cement": 1.8,
              "concrete": 1.5}
    s = synthesize(2000, seed=3, config=replace(NEUTRAL, record_start_year=1966, weibull_shape=shapes,
                                                frailty_sigma=0.4))
    truth = s.truth.merge(s.assets[["pipe_id", "material_family", "install_year"]], on="pipe_id",
                          suffixes=("", "_asset"))
    age = truth["year"] - truth["install_year"]
    k = truth["material_family"].map(shapes)
    rate = truth["expected_leaks"] / truth["pipe_id"].map(_base_intensity(s))
    np.testing.assert_allclose(rate, ((age + 0.5) / 50) ** (k - 1), rtol=1e-9)


def test_leaks_drawn_in_the_pipes_family_recover_the_weibull_shape():
    """A Poisson fit of rate ~ age ** beta on the recorded leaks finds beta = k - 1."""
    k = 2.2
    s = synthesize(10_000, seed=5, config=replace(NEUTRAL, record_start_year=1966, weibull_shape=k,
                                                  frailty_sigma=0.4))
    years = np.arange(1966, 2026)
    inst = s.assets.set_index("pipe_id")["install_year"]
    exposure = _base_intensity(s).to_numpy()[:, None] * (years[None, :] >= inst.to_numpy()[:, None])
    age = years[None, :] - inst.to_numpy()[:, None]
    leak_age = (pd.to_datetime(s.leaks["date"]).dt.year - s.leaks["pipe_id"].map(inst)).to_numpy()
    live = exposure > 0
    ages = np.arange(0, age.max() + 1)
    e = np.bincount(age[live], weights=exposure[live], minlength=len(ages))
    n = np.bincount(leak_age, minlength=len(ages))[: len(ages)]
    x = np.column_stack([np.ones(len(ages)), np.log((ages + 0.5) / 50)])[e > 0]
    e, n = e[e > 0], n[e > 0]
    beta = np.zeros(2)
    for _ in range(50):                                       # Newton steps of the Poisson likelihood
        mu = e * np.exp(x @ beta)
        beta += np.linalg.solve(x.T @ (mu[:, None] * x), x.T @ (n - mu))
    se = np.sqrt(np.linalg.inv(x.T @ (mu[:, None] * x))[1, 1])
    assert n.sum() > 2000
    assert abs(beta[1] - (k - 1)) < max(4 * se, 0.05), (beta, se)
    assert abs(beta[0]) < 0.1                                 # the base rate holds at 50 years


def test_a_leak_raises_the_later_rate_by_a_decaying_factor():
    jump, half_life, cap = 1.0, 2.0, 4
    cfg = replace(NEUTRAL, start_year=1950, record_start_year=1951, self_excitation=jump,
                  excitation_half_life=half_life, excitation_cap=cap, base_rate_per_100km={f: 60.0 for f in FAMILIES})
    s = synthesize(1500, seed=9, config=cfg)
    years = np.arange(1951, 2026)
    ids = s.assets["pipe_id"].to_numpy()
    col = {p: i for i, p in enumerate(ids)}
    counts = np.zeros((len(ids), len(years)))
    np.add.at(counts, (s.leaks["pipe_id"].map(col).to_numpy(), pd.to_datetime(s.leaks["date"]).dt.year - 1951), 1)
    state, expected = np.zeros(len(ids)), np.zeros_like(counts)
    for t in range(len(years)):
        expected[:, t] = 1 + jump * np.minimum(state, cap)
        state = state * 0.5 ** (1 / half_life) + counts[:, t]
    truth = s.truth.assign(row=s.truth["pipe_id"].map(col), t=s.truth["year"] - 1951)
    factor = truth["expected_leaks"] / truth["pipe_id"].map(_base_intensity(s))
    np.testing.assert_allclose(factor, expected[truth["row"], truth["t"]], rtol=1e-9)
    # a first leak, none the next two years: the rate doubles the next year and is 1.5 times two years later
    r, t = np.nonzero((expected[:, :-3] == 1) & (counts[:, :-3] == 1) & (counts[:, 1:-2] + counts[:, 2:-1] == 0))
    assert len(r) > 50
    np.testing.assert_allclose(expected[r, t + 1], 1 + jump)
    np.testing.assert_allclose(expected[r, t + 3], 1 + jump / 2)


def test_frailty_is_spread_per_pipe_in_one_family_and_per_district_in_the_other():
    pipes = synthesize(6000, seed=2, config=replace(PIPES, defects=False))
    districts = synthesize(6000, seed=2, config=replace(PIPES, defects=False, hazard="districts"))
    within = pipes.assets["frailty"].groupby(pipes.pipes["district"].to_numpy()).std()
    assert 0.3 < within.median() < 0.5                                   # sigma 0.4 inside every district
    assert districts.assets["frailty"].groupby(districts.pipes["district"].to_numpy()).std().max() < 1e-12
    from scipy import stats

    f = pipes.assets["frailty"]
    assert abs(f.mean() - 1) < 0.02 and abs(f.std() - 0.4) < 0.02
    assert stats.kstest(f, stats.gamma(1 / 0.4 ** 2, scale=0.4 ** 2).cdf).pvalue > 0.001

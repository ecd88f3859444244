"""Tests of the synthetic utility: reproducible, hydraulically sound, and true to its documented rates."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leakopt.errors import InputError
from leakopt.synth import FAMILIES, RAW_CODES, SynthConfig, synthesize, true_rate, write_synth

SAMPLE = Path(__file__).resolve().parents[1] / "data_samples"
CODE_FAMILY = {code: fam for fam, (codes, _) in RAW_CODES.items() for code in codes}
PROC = SynthConfig(layout="procedural")
#: Every hazard effect off: each family leaks at its documented base rate.
NEUTRAL = replace(PROC, defects=False, ageing=0.0, diameter_exponent=0.0, infant_factor=0.0, cohort_factors=(),
                  pressure_exponent=0.0, self_excitation=0.0, frailty_sigma=0.0, record_completeness=(),
                  renewal_rate=0.0, renewal_after_leaks=0.0)


@pytest.fixture(scope="module")
def city():
    """A 3,000-pipe procedural city with 40 recorded years, clean records."""
    return synthesize(3000, seed=7, config=replace(PROC, defects=False, record_start_year=1986))


@pytest.fixture(scope="module")
def messy():
    return synthesize(1500, seed=3, config=PROC)


def _exposure_km_years(pipes: pd.DataFrame, years: np.ndarray) -> pd.Series:
    """Km-years of the register's assets over ``years``, by material family."""
    live = (years[None, :] >= pipes["install_year"].to_numpy(dtype=float)[:, None]).sum(axis=1)
    fam = pipes["material"].map(CODE_FAMILY)
    return (pipes["length_m"] / 1000 * live).groupby(fam).sum()


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path):
    a = write_synth(synthesize(600, seed=11, config=PROC), tmp_path / "a")
    b = write_synth(synthesize(600, seed=11, config=PROC), tmp_path / "b")
    c = write_synth(synthesize(600, seed=12, config=PROC), tmp_path / "c")
    for role in ("network", "pipes", "leaks", "truth"):
        assert a[role].read_bytes() == b[role].read_bytes(), role
        assert a[role].read_bytes() != c[role].read_bytes(), role


def test_exact_size_unique_ids_and_register_like_lengths():
    s = synthesize(500, seed=1, config=PROC)
    assert len(s.pipes) == 500 and s.pipes["pipe_id"].is_unique
    assert list(s.pipes.columns[:5]) == ["pipe_id", "material", "diameter_mm", "install_year", "length_m"]
    lengths = s.pipes["length_m"]
    assert 10 <= lengths.median() <= 200
    assert lengths.quantile(0.95) > 2 * lengths.median()       # a long tail
    assert set(s.network.links["pipe_id"]) == set(s.pipes["pipe_id"])


def test_network_is_connected_readable_by_wntr_and_feasible(tmp_path, city):
    import networkx as nx
    import wntr

    links = city.network.links
    graph = nx.Graph(list(zip(links["start_node"], links["end_node"])))
    assert nx.is_connected(graph)
    assert set(graph.nodes) == set(city.network.nodes["node_id"])
    path = write_synth(city, tmp_path)["network"]
    wn = wntr.network.WaterNetworkModel(str(path))
    assert sorted(wn.pipe_name_list) == sorted(city.pipes["pipe_id"])
    res = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim"))
    p = res.node["pressure"].loc[:, wn.junction_name_list].iloc[0]
    assert p.min() >= 20 and p.max() <= 80, (p.min(), p.max())
    # diameters form a hierarchy: the pipes next to a reservoir are the largest
    feeders = links[links["start_node"].str.startswith("R") | links["end_node"].str.startswith("R")]
    assert feeders["diameter_mm"].min() > links["diameter_mm"].quantile(0.9)


def test_documented_base_rates_reproduced_when_other_effects_are_off():
    neutral = replace(NEUTRAL, record_start_year=1966)
    s = synthesize(10_000, seed=5, config=neutral)
    years = np.arange(1966, 2026)
    km_years = _exposure_km_years(s.pipes, years)
    observed = s.leaks["pipe_id"].map(s.pipes.set_index("pipe_id")["material"]).map(CODE_FAMILY).value_counts()
    checked = 0
    for fam, base in neutral.base_rate_per_100km.items():
        expected = base / 100 * km_years.get(fam, 0.0)
        if expected < 50:
            continue
        z = (observed.get(fam, 0) - expected) / np.sqrt(expected)
        assert abs(z) < 4, (fam, observed.get(fam, 0), expected)
        checked += 1
    assert checked >= 5


def _rates_by(s, key: pd.Series, years: np.ndarray) -> pd.DataFrame:
    """Recorded leaks, km-years and leaks per km-year of the register's assets grouped by ``key``."""
    live = (years[None, :] >= s.pipes["install_year"].to_numpy(dtype=float)[:, None]).sum(axis=1)
    exposure = (s.pipes["length_m"] / 1000 * live).groupby(key.to_numpy()).sum()
    leaks = s.leaks["pipe_id"].map(pd.Series(key.to_numpy(), index=s.pipes["pipe_id"])).value_counts()
    out = pd.DataFrame({"leaks": leaks, "km_years": exposure}).fillna(0.0)
    return out.assign(rate=out["leaks"] / out["km_years"])


def _ratio_z(a: pd.Series, b: pd.Series, ratio: float) -> float:
    """z-score of the observed rate ratio a/b against ``ratio`` (Poisson counts, log scale)."""
    observed = np.log(a["rate"] / b["rate"])
    return (observed - np.log(ratio)) / np.sqrt(1 / a["leaks"] + 1 / b["leaks"])


def test_cohort_factors_make_spun_cast_iron_worse_than_older_pit_cast_iron():
    cfg = replace(NEUTRAL, record_start_year=1966, cohort_factors=SynthConfig().cohort_factors)
    s = synthesize(10_000, seed=2, config=cfg)
    year = s.pipes["install_year"].astype(float)
    fam = s.pipes["material"].map(CODE_FAMILY)
    group = np.select([(fam == "cast_iron") & (year < 1930), (fam == "cast_iron") & (year < 1965),
                       fam == "cast_iron", (fam == "pvc") & (year >= 1960) & (year < 1980), fam == "pvc"],
                      ["pit", "spun", "ci_late", "pvc_early", "pvc_late"], "other")
    r = _rates_by(s, pd.Series(group), np.arange(1966, 2026))
    assert r.loc[["pit", "spun", "pvc_early", "pvc_late"], "leaks"].min() >= 30, r
    assert abs(_ratio_z(r.loc["spun"], r.loc["pit"], 1.25 / 0.5)) < 4, r
    assert abs(_ratio_z(r.loc["pvc_early"], r.loc["pvc_late"], 2.5)) < 4, r
    # the oldest iron is not the worst: a ranking by age alone gets cast iron backwards
    assert r.loc["spun", "rate"] > 2 * r.loc["pit", "rate"]


def test_ageing_depends_on_material_and_new_mains_leak_more():
    cfg = replace(NEUTRAL, record_start_year=1966, ageing=SynthConfig().ageing, infant_factor=1.0)
    s = synthesize(10_000, seed=4, config=cfg)
    truth = s.truth.merge(s.assets[["pipe_id", "material_family", "install_year"]], on="pipe_id",
                          suffixes=("", "_asset"))
    truth = truth.merge(s.network.links[["pipe_id", "length_m"]], on="pipe_id")   # unrounded lengths
    truth["age"] = truth["year"] - truth["install_year"]
    rate = truth["expected_leaks"] / truth["length_m"] * 1e5          # per 100 km per year
    base = truth["material_family"].map(SynthConfig().base_rate_per_100km)
    ageing = truth["material_family"].map(SynthConfig().ageing)
    infant = 1 + 1.0 * np.exp(-truth["age"].clip(lower=0) / 3.0)
    np.testing.assert_allclose(rate, base * np.exp(ageing * (truth["age"] - 50)) * infant, rtol=1e-9)
    old_ci = rate[(truth["material_family"] == "cast_iron") & (truth["age"] >= 80)].mean()
    old_pvc = rate[(truth["material_family"] == "pvc") & (truth["age"] >= 40)].mean()
    assert old_ci > 12 * np.exp(0.02 * 30) * 0.99 and abs(old_pvc - 2.0) < 0.01
    bathtub = rate / (base * np.exp(ageing * (truth["age"] - 50)))
    assert np.allclose(bathtub[truth["age"] == 0], 2.0) and (bathtub[truth["age"] >= 10] < 1.04).all()


def test_recorded_leaks_match_the_truth_by_family():
    # leak-triggered renewal off: otherwise surviving assets are a selection with fewer leaks
    city = synthesize(3000, seed=8, config=replace(PROC, defects=False, record_start_year=1986,
                                                   renewal_after_leaks=0.0))
    full = city.truth[city.truth["year"] >= 1988]           # after the sparse-recording ramp
    fam = city.assets.set_index("pipe_id")["material_family"]
    expected = full.groupby(full["pipe_id"].map(fam))["expected_leaks"].sum()
    leaks = city.leaks[pd.to_datetime(city.leaks["date"]).dt.year >= 1988]
    observed = leaks["pipe_id"].map(fam).value_counts()
    for f in FAMILIES:
        if expected.get(f, 0) >= 50:
            z = (observed.get(f, 0) - expected[f]) / np.sqrt(expected[f])
            assert abs(z) < 4, (f, observed.get(f, 0), expected[f])
    # recording ramp: the first year holds about half of what happened
    first = (pd.to_datetime(city.leaks["date"]).dt.year == 1986).sum()
    assert first / full.groupby("year")["expected_leaks"].sum().mean() < 0.7


def test_literature_magnitudes(city):
    truth = city.truth.merge(city.pipes[["pipe_id", "length_m"]], on="pipe_id")
    per_year = truth.groupby("year").agg(e=("expected_leaks", "sum"), km=("length_m", "sum"))
    network_rate = (per_year["e"] / per_year["km"] * 1000 * 100).iloc[-20:]
    assert ((network_rate > 5) & (network_rate < 20)).all(), network_rate
    fam = truth["pipe_id"].map(city.assets.set_index("pipe_id")["material_family"])
    by_fam = truth.groupby(fam)["expected_leaks"].sum() / truth.groupby(fam)["length_m"].sum()
    assert by_fam["cast_iron"] > 3 * by_fam["ductile_iron"]
    assert by_fam["ductile_iron"] < by_fam["asbestos_cement"] < by_fam["cast_iron"]
    assert by_fam["pvc"] < by_fam["cast_iron"] / 3          # early PVC (1960-79) leaks more than ductile iron


def test_winter_seasonality_and_spatially_clustered_eras(city):
    month = pd.to_datetime(city.leaks["date"]).dt.month
    assert month.isin([12, 1, 2]).sum() > 1.5 * month.isin([6, 7, 8]).sum()
    years = city.pipes["install_year"].astype(float)
    within = years.groupby(city.pipes["district"]).std().median()
    assert within < 0.5 * years.std()
    era = city.assets.groupby("material_family")["install_year"].median()
    assert era["cast_iron"] < era["asbestos_cement"] < era["pvc"] < era["pe"]


def test_defects_injected_when_asked(messy):
    pipes, leaks = messy.pipes, messy.leaks
    assert 0.01 < pipes["install_year"].isna().mean() < 0.06
    assert 0.005 < pipes["diameter_mm"].isna().mean() < 0.05
    known = set(pipes["pipe_id"])
    has_id = leaks["pipe_id"].fillna("") != ""
    assert (~leaks.loc[has_id, "pipe_id"].isin(known)).sum() > 0         # abandoned mains
    assert (~has_id).sum() > 0 and leaks.loc[~has_id, ["x", "y"]].notna().all().all()
    assert pd.to_datetime(leaks["date"], errors="coerce", format="%Y-%m-%d").isna().sum() == 5
    dated = leaks.assign(year=pd.to_datetime(leaks["date"], errors="coerce", format="%Y-%m-%d").dt.year)
    dated = dated.merge(pipes[["pipe_id", "install_year"]], on="pipe_id")
    assert (dated["year"] < dated["install_year"]).sum() > 0               # an earlier pipe had the ID
    mats = set(pipes["material"])
    assert {"CI", "DI", "PVC"} <= mats and mats & {"fonte grise", "amiante-ciment", "fonte ductile"}


def test_clean_records_without_defects(city):
    pipes, leaks = city.pipes, city.leaks
    assert pipes["install_year"].notna().all() and pipes["diameter_mm"].notna().all()
    assert leaks["pipe_id"].isin(set(pipes["pipe_id"])).all()
    dates = pd.to_datetime(leaks["date"], format="%Y-%m-%d")
    inst = leaks["pipe_id"].map(pipes.set_index("pipe_id")["install_year"])
    assert (dates.dt.year >= inst).all() and dates.max() <= pd.Timestamp("2025-12-31")


def test_true_rate_sums_truth_over_years(city):
    rate = true_rate(city.truth, range(2020, 2026))
    assert rate.index.is_unique and len(rate) == city.truth["pipe_id"].nunique()
    pid = city.truth["pipe_id"].iloc[0]
    rows = city.truth[(city.truth["pipe_id"] == pid) & city.truth["year"].between(2020, 2025)]
    assert rate[pid] == pytest.approx(rows["expected_leaks"].sum())
    with pytest.raises(InputError, match="expected_leaks"):
        true_rate(city.truth.drop(columns="expected_leaks"), [2020])


def test_bad_arguments_are_named():
    with pytest.raises(InputError, match="n_pipes"):
        synthesize(5)
    with pytest.raises(InputError, match="'net6' has 3829 pipes"):
        synthesize(1000, config=SynthConfig(layout="net6"))
    with pytest.raises(InputError, match="layout 'city'"):
        synthesize(1000, config=SynthConfig(layout="city"))
    with pytest.raises(InputError, match="record_start_year"):
        SynthConfig(record_start_year=2030)


def test_shipped_sample_is_what_the_default_config_gives(tmp_path):
    """`leakopt synth --pipes 4000 --seed 42 --out data_samples` regenerates the sample exactly."""
    s = synthesize(4000, seed=42)
    assert s.config == SynthConfig() and len(s.pipes) == 4000
    paths = write_synth(s, tmp_path)
    for role, path in paths.items():
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), role
    km = s.pipes["length_m"].sum() / 1000
    assert 630 < km < 650                                     # Net6's 639 km, cut into segments
    recorded = pd.to_datetime(s.leaks["date"], errors="coerce", format="%Y-%m-%d").dt.year
    assert 5 < (recorded >= 2008).sum() / 18 / km * 100 < 15


@pytest.mark.slow
def test_ky10_layout_is_cut_to_size(tmp_path):
    import wntr

    s = synthesize(1500, seed=2, config=SynthConfig(layout="ky10"))
    wn = wntr.network.WaterNetworkModel(str(write_synth(s, tmp_path)["network"]))
    assert wn.num_pipes == 1500 and sorted(wn.pipe_name_list) == sorted(s.pipes["pipe_id"])


@pytest.mark.slow
def test_100k_pipes_hydraulically_feasible(tmp_path):
    import wntr

    s = synthesize(100_000, seed=0)
    write_synth(s, tmp_path)
    wn = wntr.network.WaterNetworkModel(str(tmp_path / "network.inp"))
    res = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim"))
    p = res.node["pressure"].loc[:, wn.junction_name_list].iloc[0]
    assert p.min() >= 20 and p.max() <= 80

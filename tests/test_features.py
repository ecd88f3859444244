"""The pipe-year panel: features from the past only, consistent between training and scoring."""

import numpy as np
import pandas as pd
import pytest
from _riskdata import make_utility, with_as_of

from leakopt.errors import InputError
from leakopt.risk.features import build_panel, features_at, neighbour_matrix
from leakopt.schema import Utility
from leakopt.validate import detect_first_record_year

FEATURES = ["prev_leaks", "prev_leaks_1y", "prev_leaks_3y", "prev_leaks_5y", "years_since_last_leak",
            "nb_leaks", "nb_leaks_5y", "area_leaks_per_km", "age", "observed_years"]


@pytest.fixture(scope="module")
def util():
    return make_utility(12, seed=3)


def _add_leaks(u: Utility, rows: pd.DataFrame, as_of=None) -> Utility:
    leaks = pd.concat([u.leaks, rows], ignore_index=True)
    return Utility(pipes=u.pipes, leaks=leaks, as_of=pd.Timestamp(as_of or u.as_of),
                   first_record_year=u.first_record_year)


def _leak(pipe, date):
    d = pd.Timestamp(date)
    return pd.DataFrame({"leak_id": ["X"], "pipe_id": [pipe], "date": [d], "year": [d.year],
                         "snap_distance_m": [np.nan]})


def test_panel_row_equals_scoring_features_at_1_january(util):
    u, _ = util
    panel = build_panel(u)
    for year in (2003, 2015):
        f = features_at(u, year)
        row = panel[panel["year"] == year].reset_index(drop=True)
        pd.testing.assert_frame_equal(row[f.columns], f, check_dtype=False)


def test_future_leaks_leave_past_features_unchanged(util):
    u, _ = util
    cut = 2015
    early = with_as_of(u, f"{cut}-01-01")
    base = build_panel(early, end_year=cut - 1)
    # same pipes, but the utility knows ten more years of leaks
    known = Utility(pipes=early.pipes, leaks=u.leaks[u.leaks["pipe_id"].isin(early.pipes["pipe_id"])],
                    as_of=u.as_of, first_record_year=u.first_record_year)
    assert len(known.leaks) > len(early.leaks) + 100
    later = build_panel(known, end_year=cut - 1)
    pd.testing.assert_frame_equal(base, later, check_dtype=False)
    pd.testing.assert_frame_equal(features_at(early), features_at(known, f"{cut}-01-01"))


def test_adding_a_future_leak_does_not_change_features_at_an_earlier_date(util):
    u, _ = util
    pipe = u.pipes["pipe_id"].iloc[7]
    extra = _add_leaks(u, _leak(pipe, "2024-06-01"))
    before = features_at(u, 2024)
    after = features_at(extra, 2024)
    pd.testing.assert_frame_equal(before, after)
    # ...but it is counted from the next year on
    f = features_at(extra).set_index("pipe_id")
    g = features_at(u).set_index("pipe_id")
    assert f.loc[pipe, "prev_leaks"] == g.loc[pipe, "prev_leaks"] + 1
    assert f.loc[pipe, "prev_leaks_1y"] == g.loc[pipe, "prev_leaks_1y"] + 1


def test_leak_before_install_year_is_not_counted(util):
    u, _ = util
    pipes = u.pipes
    pipe = pipes.loc[pipes["install_year"] > 2002, "pipe_id"].iloc[0]
    install = int(pipes.set_index("pipe_id").loc[pipe, "install_year"])
    extra = _add_leaks(u, _leak(pipe, f"{install - 1}-03-01"))   # a predecessor's break at that ID
    pd.testing.assert_frame_equal(build_panel(u), build_panel(extra))
    pd.testing.assert_frame_equal(features_at(u), features_at(extra))


def test_partial_year_as_of_counts_history_to_the_as_of_date(util):
    u, _ = util
    mid = with_as_of(u, "2024-07-01")
    panel = build_panel(mid)
    assert panel["year"].max() == 2023   # the last complete year before the as-of date
    f = features_at(mid).set_index("pipe_id")
    lk = mid.leaks
    recent = lk[lk["date"] >= pd.Timestamp("2023-07-01")].groupby("pipe_id").size()
    got = f["prev_leaks_1y"].reindex(recent.index)
    np.testing.assert_array_equal(got.to_numpy(), recent.to_numpy())
    assert features_at(mid)["t0"].iloc[0] == pytest.approx(2024 + 182 / 366)


def test_pipes_not_yet_installed_have_no_rows(util):
    u, _ = util
    panel = build_panel(u)
    inst = u.pipes.set_index("pipe_id")["install_year"]
    assert (panel["year"].to_numpy() >= inst.reindex(panel["pipe_id"]).to_numpy()).all()
    late = inst[inst > 2010].index
    assert len(late) and not panel[(panel["year"] == 2010) & panel["pipe_id"].isin(late)].shape[0]


def test_target_counts_leaks_of_that_year(util):
    u, _ = util
    panel = build_panel(u)
    lk = u.leaks.merge(u.pipes[["pipe_id", "install_year"]], on="pipe_id")
    lk = lk[(lk["year"] >= lk["install_year"]) & (lk["year"] >= u.first_record_year)]
    assert panel["leaks"].sum() == len(lk)
    by = panel.groupby("year")["leaks"].sum()
    assert by.loc[2010] == (lk["year"] == 2010).sum()


def test_graph_neighbours_share_a_node_and_spatial_ones_are_within_range(util):
    u, _ = util
    adj = neighbour_matrix(u)
    p = u.pipes
    i = 0
    j = adj[i].indices
    nodes = {p.loc[i, "start_node"], p.loc[i, "end_node"]}
    assert all({p.loc[k, "start_node"], p.loc[k, "end_node"]} & nodes for k in j)
    assert len(j) == sum(1 for k in range(len(p)) if k != i and {p.loc[k, "start_node"], p.loc[k, "end_node"]} & nodes)
    no_topo = Utility(pipes=p.drop(columns=["start_node", "end_node"]), leaks=u.leaks, as_of=u.as_of)
    sp = neighbour_matrix(no_topo, distance_m=101)
    d = np.hypot(p["x"] - p.loc[i, "x"], p["y"] - p.loc[i, "y"])
    assert set(sp[i].indices) == set(np.flatnonzero((d <= 101) & (np.arange(len(p)) != i)))


def test_neighbour_leaks_count_leaks_on_adjacent_pipes_before_the_date(util):
    u, _ = util
    adj = neighbour_matrix(u)
    f = features_at(u, 2020)
    prev = f["prev_leaks"].to_numpy()
    # every pipe is installed by 2020 in this fixture? keep those that are
    full = features_at(u, 2020).set_index("pipe_id")
    ids = u.pipes["pipe_id"].to_numpy()
    i = int(np.argmax(full.reindex(ids)["nb_leaks"].fillna(0).to_numpy()))
    counts = full["prev_leaks"].reindex(ids[adj[i].indices]).fillna(0).sum()
    assert full.loc[ids[i], "nb_leaks"] == counts > 0
    assert prev.sum() > 0


def test_left_truncation_is_detected():
    u, _ = make_utility(30, seed=1, first_record_year=2000)
    assert detect_first_record_year(u.leaks["year"], last_year=u.as_of.year - 1) == 2000


def test_extra_feature_must_exist(util):
    u, _ = util
    with pytest.raises(InputError, match="extra feature column 'soil'"):
        build_panel(u, extra_features=("soil",))
    panel = build_panel(u, extra_features=("district",))
    assert isinstance(panel["district"].dtype, pd.CategoricalDtype)


def test_features_at_refuses_a_date_after_as_of(util):
    u, _ = util
    with pytest.raises(InputError, match="after the as-of date"):
        features_at(u, "2030-01-01")


@pytest.mark.slow
def test_panel_of_100k_pipes_and_25_years():
    """Speed at this size (the risk stage builds this panel) is printed by benchmarks/bench_scale.py, not asserted."""
    u, _ = make_utility(224, seed=0, sim_start=1999, first_record_year=2000)   # 100,000 pipes
    panel = build_panel(u)
    assert len(u.pipes) >= 100_000 and panel["year"].nunique() == 25


def test_hydraulic_features_of_net1(tmp_path, monkeypatch):
    from pathlib import Path

    import wntr

    from leakopt.io import read_network
    from leakopt.risk import HYDRAULIC_COLUMNS, hydraulic_features

    monkeypatch.chdir(tmp_path)   # EPANET must not write here
    inp = Path(wntr.__file__).parent / "library" / "networks" / "Net1.inp"
    net = read_network(inp)
    h = hydraulic_features(net, duration_h=24)
    assert list(h.columns) == ["pipe_id", *HYDRAULIC_COLUMNS]
    assert set(h["pipe_id"]) == set(net.links["pipe_id"]) and h.notna().all().all()
    # Net1's pipe 10 leaves the pump; the tank fills and drains, so pressures swing during the day
    assert (h["pressure_max_m"] >= h["pressure_mean_m"]).all() and h["pressure_range_m"].max() > 1
    assert (h["velocity_max_ms"] >= h["velocity_mean_ms"]).all() and h["velocity_max_ms"].max() > 0.1
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match="no inp_path"):
        hydraulic_features(type(net)(nodes=net.nodes, links=net.links))


def test_spatial_neighbours_are_within_metres_whatever_the_crs_unit():
    # US state plane in feet: midpoints 300 ft (91 m) apart are neighbours at 150 m, 600 ft (183 m) apart not
    pipes = pd.DataFrame({"pipe_id": ["A", "B", "C"], "material": "cast_iron", "diameter_mm": 150.0,
                          "install_year": 1950, "length_m": 100.0, "x": [0.0, 300.0, 900.0], "y": 0.0})
    leaks = pd.DataFrame({"pipe_id": pd.Series([], dtype=str), "date": pd.Series([], dtype="datetime64[ns]")})
    for crs, scale in (("EPSG:2236", 1.0), ("EPSG:32617", 0.3048)):      # the same places in metres
        u = Utility(pipes=pipes.assign(x=pipes["x"] * scale), leaks=leaks, as_of=pd.Timestamp("2021-01-01"),
                    crs=crs)
        adj = neighbour_matrix(u).toarray()
        assert adj.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]], crs

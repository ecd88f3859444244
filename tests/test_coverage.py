"""Acoustic coverage: checked against an independent networkx computation."""
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from _sensordata import grid_network, hand_network, network_from_inp, synthetic_risk

from leakopt.errors import InputError
from leakopt.placement import CoverageConfig, build_coverage, listening_range


def independent_hearing(network, coverage, *, samples=41):
    """Sites x segments heard, by networkx Dijkstra and sampled points along each segment.

    Returns (heard, margin): margin is |worst cost - 1|, to skip float ties at the range edge.
    """
    seg = coverage.segments
    links = network.links.assign(pipe_id=network.links["pipe_id"].astype(str)).set_index("pipe_id")
    rng_m = seg.groupby("pipe_id")["range_m"].first()
    g = nx.MultiGraph()
    for pid, row in links.iterrows():
        g.add_edge(row["start_node"], row["end_node"], weight=row["length_m"] / rng_m[pid])
    u = links.loc[seg["pipe_id"], "start_node"].to_numpy()
    v = links.loc[seg["pipe_id"], "end_node"].to_numpy()
    length = links.loc[seg["pipe_id"], "length_m"].to_numpy()
    c = 1.0 / seg["range_m"].to_numpy()
    t = seg["start_offset_m"].to_numpy()[:, None] + np.linspace(0, 1, samples)[None, :] * seg["length_m"].to_numpy()[:, None]
    heard = np.zeros((len(coverage.sites), len(seg)), bool)
    margin = np.full(heard.shape, np.inf)
    for i, site in enumerate(coverage.sites["node_id"]):
        dist = nx.single_source_dijkstra_path_length(g, site, cutoff=1.5)
        du = np.array([dist.get(n, np.inf) for n in u])[:, None]
        dv = np.array([dist.get(n, np.inf) for n in v])[:, None]
        worst = np.minimum(du + c[:, None] * t, dv + c[:, None] * (length[:, None] - t)).max(axis=1)
        heard[i] = worst <= 1.0
        margin[i] = np.abs(worst - 1.0)
    return heard, margin


@pytest.mark.parametrize("make", [lambda: grid_network(9, seed=3), lambda: network_from_inp("Net3.inp")])
def test_matrix_matches_networkx_recomputation(make):
    net = make()
    risk = synthetic_risk(net, seed=1)
    cov = build_coverage(net, risk, config=CoverageConfig(segment_length_m=40, chunk_size=7,
                                                          access_point_spacing_m=0))
    heard, margin = independent_hearing(net, cov)
    got = cov.matrix.toarray()
    clear = margin > 1e-3  # sampled max may miss the exact peak by a hair
    assert cov.matrix.nnz > 50
    assert (got[clear] == heard[clear]).all()
    # unreachable = segments no site hears, per the independent computation
    ids = cov.segments["segment_id"].to_numpy()
    sure = clear.all(axis=0)
    assert set(cov.unreachable["segment_id"]) & set(ids[sure]) == set(ids[sure & ~heard.any(axis=0)])


def test_range_depends_on_materials_traversed():
    # A -(cast iron 100 m)- B -(pvc 40 m)- C -(pvc 60 m)- D ; only A can hold a logger
    net = hand_network([("A", "B"), ("B", "C"), ("C", "D")], lengths=[100.0, 40.0, 60.0])
    pipes = pd.DataFrame({"pipe_id": ["P0", "P1", "P2"], "material": ["cast_iron", "pvc", "pvc"],
                          "diameter_mm": 150.0})
    cov = build_coverage(net, pipes, candidates=["A"], config=CoverageConfig(segment_length_m=100))
    heard = dict(zip(cov.segments["pipe_id"], cov.matrix.toarray()[0]))
    # cost to C = 100/250 + 40/80 = 0.9 <= 1 ; to D it would be 0.9 + 60/80 > 1
    assert heard == {"P0": True, "P1": True, "P2": False}
    assert cov.unreachable["pipe_id"].tolist() == ["P2"]
    # a plastic-only path of the same length is out of range
    cov2 = build_coverage(net, pipes.assign(material="pvc"), candidates=["A"],
                          config=CoverageConfig(segment_length_m=100))
    assert cov2.matrix.toarray()[0].tolist() == [False, False, False]


def test_long_pipe_middle_is_unreachable_and_measured_in_metres():
    # 400 m of PVC (range 80 m): loggers at both ends hear 80 m each; segments of 40 m
    net = hand_network([("A", "B")], lengths=[400.0])
    pipes = pd.DataFrame({"pipe_id": ["P0"], "material": ["pvc"], "diameter_mm": [110.0]})
    cov = build_coverage(net, pipes, config=CoverageConfig(segment_length_m=40, access_point_spacing_m=0))
    assert len(cov.segments) == 10
    heard_len = cov.segments["length_m"][cov.hearing_count > 0].sum()
    assert heard_len == pytest.approx(160.0)
    assert cov.unreachable["length_m"].sum() == pytest.approx(240.0)
    assert cov.segments["start_offset_m"].tolist() == pytest.approx(np.arange(10) * 40.0)
    assert cov.segments["x"].tolist() == pytest.approx((np.arange(10) * 40.0 + 20.0) / 400.0)


def test_access_points_let_loggers_hear_the_middle_of_long_mains():
    # the same 400 m of PVC with an access point (hydrant, valve) every 100 m: all of it is heard
    net = hand_network([("A", "B")], lengths=[400.0])
    pipes = pd.DataFrame({"pipe_id": ["P0"], "material": ["pvc"], "diameter_mm": [110.0]})
    cov = build_coverage(net, pipes, config=CoverageConfig(segment_length_m=40, access_point_spacing_m=100))
    assert cov.sites["node_id"].tolist() == ["A", "B", "P0@1", "P0@2", "P0@3"]
    assert (cov.sites["node_type"] == "access_point").sum() == 3
    # access points lie on the pipe, 100 m apart (the line runs from x=0 to x=1 in hand_network)
    assert cov.sites["x"].tolist()[2:] == pytest.approx([0.25, 0.5, 0.75])
    assert len(cov.unreachable) == 0
    assert cov.segments["length_m"].sum() == pytest.approx(400.0)
    assert cov.segments["segment_id"].is_unique
    assert (cov.segments["pipe_id"] == "P0").all()
    assert cov.segments["start_offset_m"].tolist() == pytest.approx(np.arange(12) * 100 / 3)
    # the point at 200 m hears 80 m each way: segments whose every point lies in [120, 280]
    heard = cov.matrix.toarray()[3]
    lo, hi = cov.segments["start_offset_m"], cov.segments["start_offset_m"] + cov.segments["length_m"]
    assert heard.tolist() == ((lo >= 120 - 1e-9) & (hi <= 280 + 1e-9)).tolist()
    # a user list of candidates means exactly those sites: no assumed access points
    only = build_coverage(net, pipes, candidates=["A", "B"], config=CoverageConfig(access_point_spacing_m=100))
    assert only.sites["node_id"].tolist() == ["A", "B"] and len(only.unreachable) > 0


def test_large_diameter_reduces_range():
    r = listening_range(["cast_iron", "cast_iron", "cast_iron", "pvc", "mystery"], [150, 300, 5000, 100, 100])
    assert r[0] == pytest.approx(250.0)
    assert r[1] == pytest.approx(250.0 * (200 / 300) ** 0.5)
    assert r[2] == pytest.approx(250.0 * 0.4)
    assert r[3] == pytest.approx(80.0)
    assert r[4] == pytest.approx(100.0)  # unknown family -> "unknown" range
    custom = CoverageConfig(listening_range_m={"pvc": 50.0})
    assert listening_range(["pvc", "steel"], [100, 100], config=custom).tolist() == [50.0, 250.0]


def test_raw_material_names_are_normalised():
    net = hand_network([("A", "B")], lengths=[200.0])
    cov = build_coverage(net, pd.DataFrame({"pipe_id": ["P0"], "material": ["Fonte grise"]}))
    assert cov.segments["material"].unique().tolist() == ["cast_iron"]


def test_bad_inputs_name_the_problem():
    net = hand_network([("A", "B")])
    with pytest.raises(InputError, match=r"candidate site\(s\) are not nodes.*'Z9'"):
        build_coverage(net, None, candidates=["A", "Z9"])
    with pytest.raises(InputError, match="unknown material families \\['granite'\\]"):
        CoverageConfig(listening_range_m={"granite": 100})
    with pytest.raises(InputError, match="segment_length_m=0"):
        CoverageConfig(segment_length_m=0)


def test_net6_every_site_hears_its_own_pipes():
    net = network_from_inp("Net6.inp")
    cov = build_coverage(net, synthetic_risk(net))
    # a logger always hears the first segment of each pipe it sits on if range >= segment length
    seg = cov.segments.merge(net.links[["pipe_id", "start_node"]], on="pipe_id")
    first = seg[(seg["start_offset_m"] == 0) & (seg["range_m"] >= seg["length_m"])]
    site_row = pd.Series(np.arange(len(cov.sites)), index=cov.sites["node_id"])
    first = first[first["start_node"].isin(site_row.index)]
    rows = site_row[first["start_node"]].to_numpy()
    cols = cov.segments.reset_index().set_index("segment_id").loc[first["segment_id"], "index"].to_numpy()
    assert np.asarray(cov.matrix[rows, cols]).all()

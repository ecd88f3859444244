"""Consequence of failure: valve segments, what their isolation cuts off, the score, the risk matrix."""
import json

import numpy as np
import pandas as pd
import pytest

from leakopt.consequence import (
    ConsequenceConfig,
    add_business_risk,
    assumed_valves,
    consequence_of_failure,
    cut_off,
    risk_matrix,
    valve_segments,
)
from leakopt.errors import InputError
from leakopt.schema import CONSEQUENCE_COLUMNS, RISK_COLUMNS, Network

#   R --p1-- J1 --p2-- J2          a loop J1-J2-J3 fed from the reservoir R, then the bridge main p5
#             \        |           to a second loop J4-J5-J6 that nothing else feeds
#              p3      p4
#               \      |
#                `---- J3 --p5-- J4 --p6-- J5
#                                 \         |
#                                  p7-- J6 -p8
PIPES = {"p1": ("R", "J1"), "p2": ("J1", "J2"), "p3": ("J1", "J3"), "p4": ("J2", "J3"),
         "p5": ("J3", "J4"), "p6": ("J4", "J5"), "p7": ("J4", "J6"), "p8": ("J5", "J6")}
DEMAND = {"R": 0.0, "J1": 0.01, "J2": 0.02, "J3": 0.01, "J4": 0.01, "J5": 0.01, "J6": 0.01}


def bridge_network(other_links=None) -> Network:
    nodes = pd.DataFrame({"node_id": list(DEMAND), "x": np.arange(7.0), "y": 0.0, "elevation": 0.0,
                          "node_type": ["reservoir"] + ["junction"] * 6, "base_demand": list(DEMAND.values())})
    links = pd.DataFrame({"pipe_id": list(PIPES), "start_node": [a for a, _ in PIPES.values()],
                          "end_node": [b for _, b in PIPES.values()], "length_m": 100.0,
                          "diameter_mm": [300, 150, 150, 150, 300, 100, 100, 100]})
    return Network(nodes=nodes, links=links, other_links=other_links)


def pipe_sets(segment_of: pd.Series) -> set:
    """The partition of pipes into segments, whatever the segments' numbers."""
    return {frozenset(g.index) for _, g in segment_of.groupby(segment_of)}


def pipe_groups(segments) -> set:
    return pipe_sets(segments.pipe_segment)


def test_assumed_valves_give_the_segments_counted_by_hand():
    net = bridge_network()
    valves = assumed_valves(net)
    # junctions of 3 links or more: J1, J3, J4; a valve on each pipe end there
    assert len(valves) == 9 and set(valves["node"]) == {"J1", "J3", "J4"}
    seg = valve_segments(net, valves)
    assert pipe_groups(seg) == {frozenset({"p1"}), frozenset({"p2", "p4"}), frozenset({"p3"}), frozenset({"p5"}),
                                frozenset({"p6", "p7", "p8"})}
    assert seg.n_segments == 8          # the five above, and J1, J3 and J4 each alone between their valves
    assert seg.node_segment["R"] == seg.pipe_segment["p1"] and seg.node_segment["J5"] == seg.pipe_segment["p8"]


def test_segments_match_wntr_on_the_same_valve_layer():
    import wntr
    net = bridge_network()
    wn = wntr.network.WaterNetworkModel()
    wn.add_reservoir("R", base_head=50)
    for j in list(DEMAND)[1:]:
        wn.add_junction(j, base_demand=DEMAND[j])
    for p, (a, b) in PIPES.items():
        wn.add_pipe(p, a, b)
    valves = assumed_valves(net).drop([0, 4])        # not only the rule: two valves missing
    _, theirs, _ = wntr.metrics.valve_segments(wn.to_graph(), valves.reset_index(drop=True))
    ours = valve_segments(net, valves).pipe_segment
    assert pipe_sets(ours) == pipe_sets(theirs[list(PIPES)])


def test_closing_the_bridge_main_cuts_off_the_demand_beyond_it():
    result = consequence_of_failure(bridge_network().links, bridge_network())
    f = result.frame.set_index("pipe_id")
    assert list(result.frame.columns) == list(CONSEQUENCE_COLUMNS)
    assert f.loc["p5", "demand_cut_m3s"] == pytest.approx(0.03) and f.loc["p5", "nodes_cut"] == 3
    assert f.loc["p1", "demand_cut_m3s"] == pytest.approx(0.07)          # the only way from the reservoir
    assert f.loc["p2", "demand_cut_m3s"] == pytest.approx(0.02)          # J2 itself; J3 is fed through p3
    assert f.loc["p3", "demand_cut_m3s"] == 0 and f.loc["p3", "nodes_cut"] == 0   # a loop: nobody cut off
    assert f.loc["p8", "demand_cut_m3s"] == pytest.approx(0.02)
    assert (f["method"] == "segments_assumed_valves").all()
    # 300 mm: 2 points; 3/7 of the network's demand cut off: 42.9 points
    assert f.loc["p5", "consequence"] == pytest.approx(2 + 100 * 3 / 7, abs=1e-4)
    assert f.loc["p3", "consequence"] == pytest.approx(1.0)       # 150 mm, nobody cut off
    assert result.summary["n_segments"] == 8


def test_a_critical_customer_raises_only_the_segments_that_feed_it():
    net = bridge_network()
    plain = consequence_of_failure(net.links, net).frame.set_index("pipe_id")
    crit = consequence_of_failure(net.links, net, config=ConsequenceConfig(critical_nodes=["J5"])).frame
    crit = crit.set_index("pipe_id")
    raised = set(crit.index[crit["consequence"] > plain["consequence"] + 1e-9])
    assert raised == {"p1", "p5", "p6", "p7", "p8"}       # J5 is fed through p1, then p5, then its own loop
    assert crit.loc["p5", "critical_cut"] == 1 and crit.loc["p3", "critical_cut"] == 0
    assert crit.loc["p5", "consequence"] == pytest.approx(plain.loc["p5", "consequence"] + 5)
    with pytest.raises(InputError, match=r"critical_nodes \['J99'\] are not nodes"):
        consequence_of_failure(net.links, net, config=ConsequenceConfig(critical_nodes=["J99"]))


def test_a_network_valve_bounds_segments_and_still_carries_water():
    # a PRV from J2 to a new junction J7 with a dead-end pipe p9: J7 is fed through the valve
    other = pd.DataFrame({"link_id": ["V1"], "link_type": ["valve"], "valve_type": ["PRV"], "start_node": ["J2"],
                          "end_node": ["J7"], "status": ["active"]})
    net = bridge_network(other)
    nodes = pd.concat([net.nodes, pd.DataFrame({"node_id": ["J7", "J8"], "x": 8.0, "y": 0.0, "elevation": 0.0,
                                                "node_type": "junction", "base_demand": [0.0, 0.05]})],
                      ignore_index=True)
    links = pd.concat([net.links, pd.DataFrame({"pipe_id": ["p9"], "start_node": ["J7"], "end_node": ["J8"],
                                                "length_m": 100.0, "diameter_mm": 100})], ignore_index=True)
    net = Network(nodes=nodes, links=links, other_links=other)
    f = consequence_of_failure(links, net).frame.set_index("pipe_id")
    assert f.loc["p9", "segment_id"] != f.loc["p2", "segment_id"]
    assert f.loc["p9", "demand_cut_m3s"] == pytest.approx(0.05)
    assert f.loc["p1", "demand_cut_m3s"] == pytest.approx(0.07 + 0.05)   # J8 is fed through the valve
    assert f.loc["p2", "demand_cut_m3s"] == 0      # J2 now joins 3 links: valved, and fed through p4 too
    shut = Network(nodes=nodes, links=links, other_links=other.assign(status="closed"))
    g = consequence_of_failure(links, shut).frame.set_index("pipe_id")
    assert g.loc["p9", "demand_cut_m3s"] == 0          # a closed valve feeds nothing: nothing to cut off
    assert g.loc["p1", "demand_cut_m3s"] == pytest.approx(0.07)


def test_without_a_network_the_diameter_alone_says_so():
    net = bridge_network()
    f = consequence_of_failure(net.links).frame.set_index("pipe_id")
    assert (f["method"] == "diameter_only_no_network").all() and f["demand_cut_m3s"].isna().all()
    assert f.loc["p1", "consequence"] == pytest.approx(2.0) and f.loc["p6", "consequence"] == pytest.approx(100 / 150, abs=1e-4)
    extra = pd.concat([net.links, pd.DataFrame({"pipe_id": ["x1"], "length_m": [50.0], "diameter_mm": [150]})])
    g = consequence_of_failure(extra, net).frame.set_index("pipe_id")
    assert g.loc["x1", "method"] == "diameter_only_not_in_network" and g.loc["x1", "consequence"] == 1.0


def test_dominator_cut_matches_removing_each_segment_on_the_sample_network():
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from leakopt.io import read_network
    from leakopt.pipeline import SAMPLE_DIR

    net = read_network(SAMPLE_DIR / "network.inp")
    valves = assumed_valves(net)
    seg = valve_segments(net, valves)
    ours = cut_off(net, seg, valves)
    # brute force: take each segment's nodes and pipes out, find who still reaches a source
    node_ids = pd.Index(net.nodes["node_id"])
    other = net.other_links[~((net.other_links["link_type"] == "valve") & (net.other_links["status"] == "closed"))]
    a = np.concatenate([node_ids.get_indexer(net.links["start_node"]), node_ids.get_indexer(other["start_node"])])
    b = np.concatenate([node_ids.get_indexer(net.links["end_node"]), node_ids.get_indexer(other["end_node"])])
    link_seg = np.concatenate([seg.pipe_segment.to_numpy(), np.full(len(other), -1)])
    node_seg = seg.node_segment.reindex(node_ids).to_numpy()
    demand = np.where(net.nodes["node_type"] == "junction", net.nodes["base_demand"].clip(lower=0), 0.0)
    source = net.nodes["node_type"].isin(["reservoir", "tank"]).to_numpy()
    checked = np.random.default_rng(0).choice(seg.n_segments, 150, replace=False)
    for s in checked:
        keep = (link_seg != s) & (node_seg[a] != s) & (node_seg[b] != s)
        n = len(node_ids)
        _, comp = connected_components(coo_matrix((np.ones(keep.sum()), (a[keep], b[keep])), shape=(n, n)),
                                       directed=False)
        fed = np.isin(comp, comp[source & (node_seg != s)])
        lost = ~fed | (node_seg == s)
        assert ours.loc[s, "demand_cut_m3s"] == pytest.approx(demand[lost].sum(), abs=1e-12), s
        assert ours.loc[s, "nodes_cut"] == int((lost & (demand > 0)).sum()), s
    assert (ours["nodes_cut"] > 5).sum() > 10        # the sample has branches that segments cut off


def test_business_risk_and_the_risk_matrix():
    net = bridge_network()
    cons = consequence_of_failure(net.links, net).frame
    risk = pd.DataFrame({"pipe_id": list(PIPES), "expected_leaks_per_year": np.linspace(0.1, 0.8, 8),
                         "leaks_per_km_year": 1.0, "rank": range(1, 9), "risk_class": list("AABBCCDD"),
                         "in_priority_zone": True, "top_factors": "", "length_m": 100.0, "material": "pvc"})
    out = add_business_risk(risk, cons)
    assert list(out.columns[:len(RISK_COLUMNS) + 3]) == [*RISK_COLUMNS, "consequence", "consequence_class",
                                                         "business_risk"]
    assert out["business_risk"].to_numpy() == pytest.approx(risk["expected_leaks_per_year"] * out["consequence"])
    m = risk_matrix(out)
    assert np.sum(m["n_pipes"]) == 8 and np.sum(m["km"]) == pytest.approx(0.8)
    row_a = m["n_pipes"][0]
    assert sum(row_a) == 2 and m["likelihood_classes"][0] == "A" and m["consequence_classes"][0] == 4
    with pytest.raises(InputError, match="have no consequence"):
        add_business_risk(risk.assign(pipe_id=[f"q{i}" for i in range(8)]), cons)


def test_the_consequence_table_of_the_configuration():
    from leakopt.config import config_from_dict

    cfg = config_from_dict({"consequence": {"critical_nodes": ["J5", 12], "points_per_critical": 10}})
    c = cfg.stage("consequence")
    assert c.critical_nodes == ("J5", "12") and c.points_per_critical == 10
    with pytest.raises(InputError, match=r"\[consequence\] class_bounds"):
        config_from_dict({"consequence": {"class_bounds": [0.5, 0.2, 0.9]}})


def test_a_valve_layer_bounds_the_segments_instead_of_the_rule(tmp_path):
    from leakopt.io import read_valves

    (tmp_path / "valves.csv").write_text("pipe_id;node_id\np5;J3\np5;J4\n;J1\n", encoding="utf-8")
    valves = read_valves(tmp_path / "valves.csv")       # semicolons, pipe_id/node_id names, a blank row
    assert valves.to_dict("list") == {"link": ["p5", "p5"], "node": ["J3", "J4"]}
    net = bridge_network()
    result = consequence_of_failure(net.links, net, valves=valves)
    f = result.frame.set_index("pipe_id")
    assert (f["method"] == "segments_valve_layer").all() and result.summary["n_segments"] == 3
    assert f.loc["p5", "demand_cut_m3s"] == pytest.approx(0.03)
    assert f.loc["p2", "demand_cut_m3s"] == pytest.approx(0.07)   # one big segment with the reservoir in it
    with pytest.raises(InputError, match=r"not on an end of a pipe.*link 'p5' at node 'J1'"):
        consequence_of_failure(net.links, net, valves=pd.DataFrame({"link": ["p5"], "node": ["J1"]}))


@pytest.mark.parametrize("text, encoding, ends", [
    ("pipe_id;node_id;nom\np5;J3;Vanne de l'Église\n", "cp1252", True),    # a French spreadsheet's CSV
    ("link;node\np5;J3\n", "utf-16", True),
    ("site_id;x;y\nV1;1;2\n", "utf-8", False),                              # points, to snap
])
def test_a_valve_table_of_pipe_ends_is_told_from_points_whatever_its_delimiter_and_encoding(tmp_path, text,
                                                                                             encoding, ends):
    # A semicolon file of pipe ends was taken for points ("lacks column(s) ['x', 'y']").
    from leakopt.pipeline.stages import is_pipe_end_table
    (tmp_path / "valves.csv").write_bytes(text.encode(encoding))
    assert is_pipe_end_table(tmp_path / "valves.csv") is ends


def test_a_compressed_valve_table_of_pipe_ends_is_one_too(tmp_path):
    # read_points takes valves.csv.gz as a CSV; the pipe-end check said "not a CSV" and sent it there
    import gzip

    from leakopt.pipeline.stages import is_pipe_end_table
    (tmp_path / "valves.csv.gz").write_bytes(gzip.compress(b"link,node\np5,J3\n"))
    assert is_pipe_end_table(tmp_path / "valves.csv.gz")


def test_the_run_reads_the_valve_layer_of_the_configuration(tmp_path):
    from leakopt import pipeline, synth
    from leakopt.config import load_config
    from leakopt.io import read_network

    paths = synth.write_synth(synth.synthesize(300, seed=5), tmp_path / "inputs")
    links = read_network(paths["network"]).links
    valves = pd.DataFrame({"link": links["pipe_id"][:40], "node": links["start_node"][:40]})
    wrong = pd.DataFrame({"link": [links["pipe_id"][0], "no-such-pipe"], "node": [links["end_node"][1], "x"]})
    pd.concat([valves, valves[:3], wrong]).to_csv(tmp_path / "valves.csv", index=False)
    (tmp_path / "config.toml").write_text('[consequence]\nvalves_file = "valves.csv"\n')   # next to the config
    run = pipeline.run(paths["pipes"], paths["leaks"], paths["network"], config=load_config(tmp_path / "config.toml"),
                       out_dir=tmp_path / "out", sensors=False, backtest=False, renewal=False, report=False)
    cons = pd.read_csv(tmp_path / "out" / "consequence.csv")
    # few segments: every one is simulated with pressure-dependent demand, and each pipe says so
    assert set(cons["method"]) <= {"segments_valve_layer_pdd", "diameter_only_not_in_network"}
    assert run.risk_matrix["consequence"]["pdd"]["selection"] == "all"
    assert run.risk_matrix["consequence"]["n_valves"] == 40          # repeats once, wrong ones left out
    issues = {i["code"]: i for i in json.loads((tmp_path / "out" / "validation.json").read_text())["issues"]}
    assert issues["valve_not_on_pipe_end"]["count"] == 2 and issues["valve_not_on_pipe_end"]["severity"] == "error"
    assert issues["valve_not_on_pipe_end"]["examples"][1]["link"] == "no-such-pipe"
    assert issues["valve_duplicate"]["count"] == 3


def test_a_valve_layer_that_fits_no_pipe_is_refused_and_said_in_the_report():
    from leakopt.validate import ValidationReport, check_valves

    report = ValidationReport()
    with pytest.raises(InputError, match=r"none of the 2 valves of v.csv is on an end of a pipe"):
        check_valves(pd.DataFrame({"link": ["a", "b"], "node": ["1", "2"]}), bridge_network(), report=report,
                     file="v.csv")
    assert report.get("valve_layer_unusable").fatal


def test_matrix_corner_takes_the_two_likeliest_and_the_two_most_severe_classes():
    from leakopt.consequence.matrix import matrix_corner
    matrix = {"likelihood_classes": ["A", "B", "C"], "consequence_classes": [1, 3, 2],
              "n_pipes": [[1, 2, 4], [8, 16, 32], [64, 128, 256]], "km": [[1, 2, 4], [8, 16, 32], [64, 128, 256]],
              "expected_leaks_per_year": [[0.1, 0.2, 0.4], [0.8, 1.6, 3.2], [6.4, 12.8, 25.6]]}
    corner = matrix_corner(matrix)
    assert corner["consequence"] == [3, 2] and corner["likelihood"] == ["A", "B"]
    assert corner["n_pipes"] == 2 + 4 + 16 + 32 and corner["km"] == 54.0
    assert abs(corner["expected_leaks_per_year"] - 5.4) < 1e-9
    assert matrix_corner({**matrix, "likelihood_classes": ["A"]}) is None

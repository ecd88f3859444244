"""Valve segments on EPANET networks shipped with WNTR: a hand count, and WNTR's own segments on ky4."""
from pathlib import Path

import pandas as pd
import pytest

from leakopt.consequence import ConsequenceConfig, assumed_valves, consequence_of_failure, valve_segments
from leakopt.io import read_network


def wntr_network(*parts) -> Path:
    import wntr
    path = Path(wntr.__file__).resolve().parent.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"this WNTR does not ship {'/'.join(parts)}")
    return path


def groups(segment_of: pd.Series) -> set:
    return {frozenset(g.index) for _, g in segment_of.groupby(segment_of)}


def segment_sets(seg) -> set:
    """Each segment as the set of its pipes and nodes."""
    both = pd.concat([seg.pipe_segment, seg.node_segment])
    return groups(both)


@pytest.fixture(scope="module")
def prv_net():
    #   RES -P1- J1 =PUMP=> J2 -P2-------- J3 =PRV=> J4 -P3- J5 -P4- TANK
    #                        \-P2a- J23 -P2b-/
    return read_network(wntr_network("tests", "networks_for_testing", "prv_open_no_upstream_sources.inp"))


def test_the_network_valves_of_a_wntr_network_give_the_segments_counted_by_hand(prv_net):
    empty = pd.DataFrame({"link": [], "node": []}, dtype=str)
    seg = valve_segments(prv_net, empty)
    # the pump and the PRV are the only things that can be shut: three segments
    assert seg.n_segments == 3
    assert segment_sets(seg) == {frozenset({"RES", "P1", "J1"}),
                                 frozenset({"J2", "P2", "P2a", "J23", "P2b", "J3"}),
                                 frozenset({"J4", "P3", "J5", "P4", "TANK"})}
    c = consequence_of_failure(prv_net.links, prv_net, config=ConsequenceConfig(assume_valves=False))
    assert c.summary["method"] == "segments_network_valves" and c.summary["n_segments"] == 3
    assert c.frame["method"].str.startswith("segments_network_valves").all()


def test_the_assumed_rule_on_the_same_network_gives_six_segments(prv_net):
    valves = assumed_valves(prv_net)
    # junctions of 3 links or more: J2 (pump, P2, P2a) and J3 (P2, P2b, PRV); a valve on each pipe end there
    assert sorted(zip(valves["link"], valves["node"])) == [("P2", "J2"), ("P2", "J3"), ("P2a", "J2"), ("P2b", "J3")]
    seg = valve_segments(prv_net, valves)
    assert seg.n_segments == 6
    assert segment_sets(seg) == {frozenset({"RES", "P1", "J1"}), frozenset({"J2"}), frozenset({"P2"}),
                                 frozenset({"P2a", "J23", "P2b"}), frozenset({"J3"}),
                                 frozenset({"J4", "P3", "J5", "P4", "TANK"})}


def test_segments_match_wntr_on_ky4_with_a_wntr_valve_layer():
    import wntr
    path = wntr_network("library", "networks", "ky4.inp")
    wn = wntr.network.WaterNetworkModel(str(path))
    net = read_network(path)
    layer = wntr.network.generate_valve_layer(wn, "strategic", 2, seed=7)
    pipes = set(net.links["pipe_id"].astype(str))
    ours_layer = layer[layer["link"].isin(pipes)].reset_index(drop=True)
    # WNTR lets water through pumps and valves unless a valve sits on them; ours always separate them
    others = net.other_links
    shut = pd.DataFrame({"link": list(others["link_id"]) * 2,
                         "node": list(others["start_node"]) + list(others["end_node"])})
    _, theirs, _ = wntr.metrics.valve_segments(wn.to_graph(), pd.concat([layer, shut], ignore_index=True))
    ours = valve_segments(net, ours_layer)
    assert ours.n_segments > 100
    ids = net.links["pipe_id"].astype(str)
    assert groups(ours.pipe_segment) == groups(theirs[list(ids)])

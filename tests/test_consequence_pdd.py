"""Pressure-dependent simulation of the segments that matter, against topological connectivity."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leakopt.consequence import ConsequenceConfig, consequence_of_failure
from leakopt.consequence.pdd import segments_to_simulate
from leakopt.errors import InputError
from leakopt.io import read_network

SAMPLE = Path(__file__).resolve().parent.parent / "data_samples" / "network.inp"


def pipes_of(net):
    return net.links[["pipe_id", "diameter_mm", "length_m"]]


def write_inp(path, pipes, *, head=45.0, demand=0.01, check_valves=()):
    """A small network: reservoir R, junctions with ``demand`` m3/s, ``pipes`` = {id: (a, b, length_m, diameter_m)}."""
    import wntr
    wn = wntr.network.WaterNetworkModel()
    wn.add_reservoir("R", base_head=head, coordinates=(0, 0))
    nodes = sorted({n for a, b, *_ in pipes.values() for n in (a, b)} - {"R"})
    for i, n in enumerate(nodes):
        wn.add_junction(n, base_demand=demand, elevation=0.0, coordinates=(100.0 * (i + 1), 50.0 * (i % 2)))
    for pid, (a, b, length, diameter) in pipes.items():
        wn.add_pipe(pid, a, b, length=length, diameter=diameter, roughness=100, check_valve=pid in check_valves)
    wntr.network.write_inpfile(wn, str(path))
    return read_network(path)


@pytest.fixture(scope="module")
def sample_pair():
    net = read_network(SAMPLE)
    topo = consequence_of_failure(pipes_of(net), net, config=ConsequenceConfig(pdd_segments=0))
    pdd = consequence_of_failure(pipes_of(net), net, config=ConsequenceConfig(pdd_segments=30, pdd_workers=2))
    return net, topo, pdd


def test_the_sample_simulates_the_top_segments_and_says_so_per_pipe(sample_pair):
    net, topo, pdd = sample_pair
    s = pdd.summary["pdd"]
    assert s["status"] == "ok" and s["selection"] == "top_business_risk"
    assert s["n_segments_simulated"] + s["n_segments_failed"] == 30
    simulated = pdd.frame["method"].str.endswith("_pdd")
    # every pipe of a simulated segment says so, and no other pipe does
    seg_sim = set(pdd.frame.loc[simulated, "segment_id"])
    assert len(seg_sim) == s["n_segments_simulated"]
    assert (pdd.frame.loc[pdd.frame["segment_id"].isin(seg_sim), "method"] == "segments_assumed_valves_pdd").all()
    assert (pdd.frame.loc[~pdd.frame["segment_id"].isin(seg_sim), "method"] == "segments_assumed_valves").all()
    assert len(pdd.frame) == len(topo.frame) == len(net.links)
    # the top segments carry the highest business risk: their pipes score high
    assert pdd.frame.loc[simulated, "consequence"].median() > pdd.frame["consequence"].median()


def test_pdd_cuts_off_at_least_what_connectivity_cuts_off_on_the_sample(sample_pair):
    _, topo, pdd = sample_pair
    m = topo.frame.merge(pdd.frame, on="pipe_id", suffixes=("_topo", "_pdd"))
    m = m[m["method_pdd"].str.endswith("_pdd")]
    assert len(m) > 30
    # a node cut off topologically delivers next to nothing once shut (EPANET leaves it ~1e-5 m of pressure,
    # which the orifice law turns into ~0.2% of its demand); a connected one may be starved of pressure too.
    # The sample's pressures hold, so the two agree within that residue here
    assert (m["demand_cut_m3s_pdd"] >= m["demand_cut_m3s_topo"] * (1 - 1e-2) - 1e-9).all()
    assert np.allclose(m["demand_cut_m3s_pdd"], m["demand_cut_m3s_topo"], rtol=1e-2, atol=1e-4)   # 1e-4 m3/s: 0.003% of its demand
    assert (m["nodes_cut_pdd"] >= m["nodes_cut_topo"]).all()
    assert (m["demand_cut_m3s_topo"] > 0).any()


def test_a_customer_fed_only_through_a_thin_main_is_cut_off_by_pressure_not_by_connectivity(tmp_path):
    #  R -main1- A -main2- B -main3- D          closing main2 leaves B and D joined to R through the thin
    #            \         |                    3 km, 50 mm main: connected, so connectivity cuts nothing
    #             thin- C -link                 off; but it cannot carry their demand at 20 m of pressure
    net = write_inp(tmp_path / "thin.inp", {"main1": ("R", "A", 100, 0.3), "main2": ("A", "B", 100, 0.3),
                                            "thin": ("A", "C", 3000, 0.05), "link": ("C", "B", 100, 0.3),
                                            "main3": ("B", "D", 100, 0.3)})
    topo = consequence_of_failure(pipes_of(net), net, config=ConsequenceConfig(pdd_segments=0)).frame
    pdd = consequence_of_failure(pipes_of(net), net, config=ConsequenceConfig(pdd_workers=1))
    assert pdd.summary["pdd"]["selection"] == "all"
    row = pdd.frame.set_index("pipe_id").loc["main2"]
    assert topo.set_index("pipe_id").loc["main2", "demand_cut_m3s"] == 0
    assert row["method"] == "segments_assumed_valves_pdd"
    assert row["demand_cut_m3s"] > 0.01 and row["nodes_cut"] >= 1          # B and D starved
    assert row["consequence"] > topo.set_index("pipe_id").loc["main2", "consequence"]


def test_a_segment_epanet_cannot_shut_keeps_its_topological_figure_and_says_so(tmp_path):
    # EPANET refuses to change the status of a check-valve pipe (error 207)
    net = write_inp(tmp_path / "cv.inp", {"main1": ("R", "A", 100, 0.3), "main2": ("A", "B", 100, 0.3),
                                          "side": ("A", "C", 100, 0.2), "cv": ("C", "D", 100, 0.2)},
                    check_valves=("cv",))
    topo = consequence_of_failure(pipes_of(net), net, config=ConsequenceConfig(pdd_segments=0)).frame
    c = consequence_of_failure(pipes_of(net), net, config=ConsequenceConfig(pdd_workers=2))
    f = c.frame.set_index("pipe_id")
    assert f.loc["cv", "method"] == "segments_assumed_valves_pdd_failed"
    assert f.loc["main1", "method"] == "segments_assumed_valves_pdd"
    assert c.summary["pdd"]["n_segments_failed"] >= 1 and len(c.frame) == 4
    assert f.loc["cv", "demand_cut_m3s"] == topo.set_index("pipe_id").loc["cv", "demand_cut_m3s"]


def test_choosing_the_segments_all_top_n_and_the_pipe_budget():
    seg = np.array([0, 0, 1, 2, 3, np.nan])
    weight = np.array([1.0, 1.0, 5.0, 0.5, 3.0, 9.0])
    ids, how = segments_to_simulate(seg, weight, n_segments=4, n_network_pipes=5, top=2, all_max=10,
                                    pipe_budget=1000)
    assert how == "all" and list(ids) == [1, 3, 0, 2]
    ids, how = segments_to_simulate(seg, weight, n_segments=4, n_network_pipes=5, top=2, all_max=3,
                                    pipe_budget=1000)
    assert how == "top_business_risk" and list(ids) == [1, 3]
    # 15 pipe-simulations on a 5-pipe network: 3 segments at most, even when "all" would apply
    ids, how = segments_to_simulate(seg, weight, n_segments=4, n_network_pipes=5, top=50, all_max=10,
                                    pipe_budget=15)
    assert how == "top_business_risk" and list(ids) == [1, 3, 0]
    assert segments_to_simulate(seg, weight, n_segments=4, n_network_pipes=5, top=0, all_max=10,
                                pipe_budget=15)[1] == "none"


def test_likelihood_ranks_the_segments(tmp_path):
    net = read_network(SAMPLE)
    pipes = pipes_of(net)
    hot = pipes["pipe_id"].iloc[[7]]
    likelihood = pd.Series(0.0, index=pipes["pipe_id"])
    likelihood[hot] = 5.0
    c = consequence_of_failure(pipes, net, config=ConsequenceConfig(pdd_segments=1, pdd_workers=1),
                               likelihood=likelihood)
    f = c.frame.set_index("pipe_id")
    assert f.loc[hot.iloc[0], "method"].endswith("_pdd")
    assert (f["method"].str.endswith("_pdd")).sum() == (f["segment_id"] == f.loc[hot.iloc[0], "segment_id"]).sum()


def test_a_network_without_an_inp_file_keeps_connectivity_and_says_why():
    from tests.test_consequence import bridge_network
    net = bridge_network()
    c = consequence_of_failure(net.links, net)
    assert c.summary["pdd"]["status"] == "not_run" and "inp" in c.summary["pdd"]["reason"]
    assert set(c.frame["method"]) == {"segments_assumed_valves"}


@pytest.mark.parametrize("key, value, words", [
    ("pdd_segments", -1, "integer >= 0"), ("pdd_workers", 0, "integer >= 1"),
    ("required_pressure_m", 0.0, "minimum_pressure_m < required_pressure_m"),
    ("pressure_exponent", 0, "> 0"), ("valve_snap_max_m", 0, "metres > 0")])
def test_bad_pdd_settings_are_refused_by_name(key, value, words):
    with pytest.raises(InputError, match=key) as err:
        ConsequenceConfig(**{key: value})
    assert words in str(err.value)


def _burn(seconds):
    import time
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds


def test_the_stage_cpu_time_counts_the_worker_processes():
    import multiprocessing

    from leakopt.io.manifest import StageTimer
    timer = StageTimer()
    with timer.stage("workers"):
        pool = multiprocessing.get_context("fork").Pool(2)
        pool.map(_burn, [0.3, 0.3])
        pool.close()
        pool.join()
    assert timer.stages["workers"]["cpu_seconds"] >= 0.55   # the parent only waited


def test_a_fork_servers_workers_count_in_the_stage_cpu_time():
    """From a threaded process (the app, a pytest-xdist worker) the pool's workers are the fork server's
    children, not ours: their CPU time was missing from the manifest (0.1 s for 5 s of simulations)."""
    import threading

    from leakopt.consequence import pdd
    from leakopt.io.manifest import StageTimer
    timer, seen, n = StageTimer(), {}, 2 * 10**7

    def target():
        seen["method"] = pdd._start_method()
        with timer.stage("workers"):
            seen["sums"] = pdd._pool_map(2)(sum, [(range(n),), (range(n),)])

    t = threading.Thread(target=target)
    t.start()
    t.join(120)
    assert seen["method"] == "forkserver" and seen["sums"] == [sum(range(n))] * 2
    assert timer.stages["workers"]["cpu_seconds"] >= 0.2   # the parent only waited


def test_the_pool_starts_without_fork_from_a_threaded_process_as_in_the_app(sample_pair, monkeypatch):
    """The Streamlit app runs the pipeline beside its server's threads: forking such a process can
    leave a worker waiting on a lock no thread of it holds, so the workers start from a fork server
    there, with the same figures."""
    import threading

    from leakopt.consequence import pdd

    monkeypatch.setattr(pdd, "SERIAL_WORK", 0)      # the sample's 30 segments would run in this process
    net, _, forked = sample_pair
    seen = {}

    def target():
        seen["method"] = pdd._start_method()
        seen["result"] = consequence_of_failure(pipes_of(net), net,
                                                config=ConsequenceConfig(pdd_segments=30, pdd_workers=2))

    t = threading.Thread(target=target)
    t.start()
    t.join(300)
    assert not t.is_alive() and seen["method"] == "forkserver"
    assert seen["result"].summary["pdd"]["n_segments_simulated"] == forked.summary["pdd"]["n_segments_simulated"]
    cols = ["pipe_id", "method", "nodes_cut", "consequence"]
    pd.testing.assert_frame_equal(seen["result"].frame[cols], forked.frame[cols])
    # the reference ran in one chunk when this process had threads already (a Dask test before it)
    pd.testing.assert_series_equal(seen["result"].frame["demand_cut_m3s"], forked.frame["demand_cut_m3s"],
                                   rtol=1e-3)



def test_small_work_runs_in_the_app_process_rather_than_start_a_fork_server(sample_pair, monkeypatch):
    """A fork server's processes import leakopt and WNTR again (3 s on a 300-pipe network, for 0.2 s of
    simulation): below SERIAL_WORK segments x nodes the app simulates in its own process, same figures."""
    import multiprocessing
    import threading

    net, _, forked = sample_pair

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    seen = {}

    def target():
        seen["result"] = consequence_of_failure(pipes_of(net), net,
                                                config=ConsequenceConfig(pdd_segments=30, pdd_workers=2))

    t = threading.Thread(target=target)
    t.start()
    t.join(300)
    assert not t.is_alive() and "result" in seen
    cols = ["pipe_id", "method", "nodes_cut", "consequence"]
    pd.testing.assert_frame_equal(seen["result"].frame[cols], forked.frame[cols])
    # one chunk instead of two: WNTR's solver runs the segments in another order and converges to within
    # 1e-4 of the same demand cut (as between machines with other numbers of cores)
    pd.testing.assert_series_equal(seen["result"].frame["demand_cut_m3s"], forked.frame["demand_cut_m3s"],
                                   rtol=1e-3)

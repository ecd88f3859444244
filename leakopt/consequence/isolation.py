"""What is cut off while a segment is isolated: demand, customers, critical customers.

Isolating a segment takes its own nodes out of service, and every node that is
then no longer connected to a reservoir or a tank loses its supply too.  This
is topological connectivity, not a hydraulic simulation: a node still
connected is counted as served, whatever its pressure, and a tank counts as a
source for the whole repair, whatever its storage.  Pumps always carry water
(a pump stopped at the start of a simulation may be started); closed valves
never do.

One graph, the *segment graph*, answers it for every segment at once: its
vertices are the segments, joined where an open valve separates them (a valve
on a pipe end joins the pipe's segment and the node's) and where a pump or a
valve of the network joins two nodes (closed valves excepted), plus a root
joined to every segment holding a source.  A node loses supply when segment
``s`` is isolated exactly when every path from the root to it goes through
``s``: when ``s`` *dominates* it.  The dominator tree (Cooper, Harvey and
Kennedy's algorithm, :func:`networkx.immediate_dominators`, near-linear)
therefore gives, for every segment, everything its isolation cuts off: its
subtree.  One pass, instead of one connectivity search per segment.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.consequence.segments import SOURCE_TYPES, Segments, check_valve_layer
from leakopt.errors import InputError
from leakopt.schema import Network


def segment_graph(network: Network, segments: Segments, valves: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Edges (a, b) between segments: open valves, and the network's pumps and open valves."""
    layer = check_valve_layer(valves, network)
    a = segments.pipe_segment.reindex(layer["link"]).to_numpy()
    b = segments.node_segment.reindex(layer["node"]).to_numpy()
    other = network.other_links
    if other is not None and len(other):
        shut = (other["link_type"] == "valve") & (other["status"] == "closed")
        joins = other[~shut]
        a = np.concatenate([a, segments.node_segment.reindex(joins["start_node"].astype(str)).to_numpy()])
        b = np.concatenate([b, segments.node_segment.reindex(joins["end_node"].astype(str)).to_numpy()])
    ok = ~(pd.isna(a) | pd.isna(b))
    a, b = a[ok].astype(np.int64), b[ok].astype(np.int64)
    keep = a != b
    return a[keep], b[keep]


def dominator_parents(n: int, a: np.ndarray, b: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Immediate dominator of each of ``n`` vertices from a root joined to ``sources``.

    The root is vertex ``n``; unreachable vertices get -1, vertices the root alone
    dominates get ``n``.
    """
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(range(n + 1))
    graph.add_edges_from(zip(a.tolist(), b.tolist()))
    graph.add_edges_from(zip(b.tolist(), a.tolist()))
    graph.add_edges_from((n, int(s)) for s in np.unique(sources))
    idom = nx.immediate_dominators(graph, n)
    parent = np.full(n, -1, dtype=np.int64)
    for v, d in idom.items():
        if v != n:
            parent[v] = d
    return parent


def subtree_sums(parent: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` (rows: vertices, columns: quantities) over each vertex's dominator subtree.

    ``parent`` as :func:`dominator_parents` gives it; unreachable vertices get 0.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import breadth_first_order

    n = len(parent)
    reach = np.flatnonzero(parent >= 0)
    tree = coo_matrix((np.ones(len(reach)), (parent[reach], reach)), shape=(n + 1, n + 1)).tocsr()
    order = breadth_first_order(tree, n, directed=True, return_predecessors=False)
    acc = np.zeros((n + 1, values.shape[1]))
    acc[reach] = values[reach]
    for v in order[::-1]:        # children before their parents: each subtree is summed once
        if v != n:
            acc[parent[v]] += acc[v]
    return acc[:n]


def check_critical_nodes(network: Network, critical_nodes) -> None:
    """Raise InputError when a ``[consequence] critical_nodes`` ID is not a node of ``network``."""
    ids = network.nodes["node_id"].astype(str)
    unknown = sorted(set(map(str, critical_nodes)) - set(ids))
    if unknown:
        raise InputError(f"[consequence] critical_nodes {unknown[:5]} are not nodes of the network "
                         f"{network.inp_path or ''}; give node IDs of its [JUNCTIONS] (e.g. "
                         f"{list(ids[:3])})",
                         fr=f"[consequence] critical_nodes : {unknown[:5]} ne sont pas des nœuds du réseau "
                            f"{network.inp_path or ''} ; donnez des identifiants de nœuds de sa section [JUNCTIONS] "
                            f"(par exemple {list(ids[:3])})")


def cut_off(network: Network, segments: Segments, valves: pd.DataFrame, *,
            critical_nodes: tuple = ()) -> pd.DataFrame:
    """For each segment, what its isolation cuts off.

    Returns
    -------
    DataFrame
        One row per segment, indexed by ``segment_id``: ``demand_cut_m3s`` (base demand of the
        nodes out of service), ``nodes_cut`` (those with a positive base demand: the customers),
        ``critical_cut`` (critical customers among them), ``supplied`` (False for a segment no
        source reaches even with every valve open: its isolation cuts nothing off).
    """
    nodes = network.nodes.assign(node_id=network.nodes["node_id"].astype(str))
    check_critical_nodes(network, critical_nodes)
    seg = segments.node_segment.reindex(nodes["node_id"]).to_numpy()
    demand = np.clip(nodes["base_demand"].fillna(0.0).to_numpy(float), 0.0, None)
    is_junction = (nodes["node_type"] == "junction").to_numpy()
    own = np.zeros((segments.n_segments, 3))
    np.add.at(own, seg, np.column_stack([demand * is_junction, (demand > 0) & is_junction,
                                         nodes["node_id"].isin(critical_nodes).to_numpy()]))
    a, b = segment_graph(network, segments, valves)
    sources = seg[nodes["node_type"].isin(SOURCE_TYPES).to_numpy()]
    parent = dominator_parents(segments.n_segments, a, b, sources)
    cut = subtree_sums(parent, own)
    return pd.DataFrame({"demand_cut_m3s": cut[:, 0], "nodes_cut": cut[:, 1].round().astype(np.int64),
                         "critical_cut": cut[:, 2].round().astype(np.int64), "supplied": parent >= 0},
                        index=pd.RangeIndex(segments.n_segments, name="segment_id"))

"""Valve segments: the pipes and nodes shut off together when the valves around a break are closed.

A segment is what WNTR's :func:`wntr.metrics.valve_segments` calls one: the
pipes and nodes still joined once every isolation valve is closed.  A valve
sits on a pipe end, at a node (the ``link``/``node`` pairs of WNTR's valve
layer); it separates that pipe from that node.  The network's pumps and valves
(EPANET links that are not pipes) can be shut too, so they always separate:
they belong to no pipe's segment.

Segments are the connected components of the graph whose vertices are the
nodes and the pipes, with an edge from a pipe to each end node that no valve
separates it from (:func:`scipy.sparse.csgraph.connected_components`: linear
in the network's size).

When no valve layer is known, :func:`assumed_valves` places one on each pipe
end at every junction joined by three links or more, the usual design rule;
the consequence stage says so in its ``method`` column.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int
from leakopt.schema import Network

#: Node types that supply water.
SOURCE_TYPES = ("reservoir", "tank")


@dataclass(frozen=True)
class Segments:
    """Valve segments of a network.

    Attributes
    ----------
    node_segment : Series
        Segment number of each node, indexed by ``node_id``.
    pipe_segment : Series
        Segment number of each pipe, indexed by ``pipe_id``.
    n_segments : int
    n_valves : int
        Isolation valves used (pipe ends separated from their node).
    """

    node_segment: pd.Series
    pipe_segment: pd.Series
    n_segments: int
    n_valves: int


def link_ends(network: Network) -> pd.DataFrame:
    """Every link end, pipes and other links: ``link_id``, ``node_id``, ``is_pipe``."""
    pipes = network.links
    frames = [pd.DataFrame({"link_id": pipes["pipe_id"].astype(str), "node_id": pipes[col].astype(str),
                            "is_pipe": True}) for col in ("start_node", "end_node")]
    other = network.other_links
    if other is not None and len(other):
        frames += [pd.DataFrame({"link_id": other["link_id"].astype(str), "node_id": other[col].astype(str),
                                 "is_pipe": False}) for col in ("start_node", "end_node")]
    return pd.concat(frames, ignore_index=True)


def assumed_valves(network: Network, *, min_degree: int = 3) -> pd.DataFrame:
    """The assumed valve layer: a valve on each pipe end at every junction of ``min_degree`` links or more.

    Returns
    -------
    DataFrame
        ``link`` (pipe ID) and ``node`` (node ID), WNTR's valve-layer columns.
    """
    ends = link_ends(network)
    degree = ends.groupby("node_id")["link_id"].transform("size")
    kind = ends["node_id"].map(network.nodes.set_index(network.nodes["node_id"].astype(str))["node_type"])
    valved = ends[ends["is_pipe"] & (degree >= min_degree) & (kind == "junction")]
    return (pd.DataFrame({"link": valved["link_id"].to_numpy(), "node": valved["node_id"].to_numpy()})
            .drop_duplicates(ignore_index=True))


def check_valve_layer(valves: pd.DataFrame, network: Network) -> pd.DataFrame:
    """The valve layer with ``link`` and ``node`` as text, checked against the network's pipes."""
    missing = sorted({"link", "node"} - set(valves.columns))
    if missing:
        raise InputError(f"valve layer lacks column(s) {missing}; expected 'link' (the pipe the valve is on) "
                         f"and 'node' (the pipe end it closes); columns found: {list(valves.columns)[:10]}",
                         fr=f"il manque à la couche des vannes les colonnes {missing} ; attendues : 'link' (la "
                            "conduite où se trouve la vanne) et 'node' (l’extrémité de conduite qu’elle ferme) ; "
                            f"colonnes trouvées : {list(valves.columns)[:10]}")
    layer = valves[["link", "node"]].astype(str).drop_duplicates(ignore_index=True)
    pipes = network.links
    ends = set(zip(pipes["pipe_id"].astype(str), pipes["start_node"].astype(str))) | set(
        zip(pipes["pipe_id"].astype(str), pipes["end_node"].astype(str)))
    wrong = [pair for pair in zip(layer["link"], layer["node"]) if pair not in ends]
    if wrong:
        n = len(wrong)
        raise InputError(f"{n} valve(s) of the valve layer are not on an end of a pipe of the network "
                         f"(e.g. link {wrong[0][0]!r} at node {wrong[0][1]!r}); each row must name a pipe and "
                         "one of its two end nodes",
                         fr=f"{fmt_int(n, 'fr')} {'vanne' if n < 2 else 'vannes'} de la couche des vannes "
                            f"{'n’est' if n < 2 else 'ne sont'} pas à une extrémité d’une conduite du réseau (par "
                            f"exemple link {wrong[0][0]!r} au nœud {wrong[0][1]!r}) ; chaque ligne doit nommer une "
                            "conduite et l’un de ses deux nœuds d’extrémité")
    return layer


def valve_segments(network: Network, valves: pd.DataFrame) -> Segments:
    """Segment of every node and pipe once the valves of ``valves`` (``link``, ``node``) are closed."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    layer = check_valve_layer(valves, network)
    node_ids = pd.Index(network.nodes["node_id"].astype(str))
    pipe_ids = pd.Index(network.links["pipe_id"].astype(str))
    n_nodes, n_pipes = len(node_ids), len(pipe_ids)
    ends = link_ends(network)
    ends = ends[ends["is_pipe"]]
    valved = pd.MultiIndex.from_frame(layer[["link", "node"]])
    open_end = ~pd.MultiIndex.from_arrays([ends["link_id"], ends["node_id"]]).isin(valved)
    pipe_pos = n_nodes + pipe_ids.get_indexer(ends["link_id"][open_end])
    node_pos = node_ids.get_indexer(ends["node_id"][open_end])
    if (node_pos < 0).any():
        raise InputError("a pipe of the network ends at a node that is not in its node table "
                         f"(e.g. {ends['node_id'][open_end][node_pos < 0].iloc[0]!r})",
                         fr="une conduite du réseau aboutit à un nœud absent de sa table des nœuds (par exemple "
                            f"{ends['node_id'][open_end][node_pos < 0].iloc[0]!r})")
    size = n_nodes + n_pipes
    graph = coo_matrix((np.ones(len(pipe_pos)), (pipe_pos, node_pos)), shape=(size, size))
    n_seg, label = connected_components(graph, directed=False)
    return Segments(node_segment=pd.Series(label[:n_nodes], index=node_ids, name="segment_id"),
                    pipe_segment=pd.Series(label[n_nodes:], index=pipe_ids, name="segment_id"),
                    n_segments=int(n_seg), n_valves=int(len(layer)))

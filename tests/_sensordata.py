"""Small networks and risk frames for the coverage / placement / pressure tests.

Networks are built straight from WNTR (or by hand) so these tests do not depend
on ``leakopt.io.tables``.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from leakopt.schema import Network

FAMILIES = ("cast_iron", "ductile_iron", "pvc", "pe", "asbestos_cement")


def wntr_network_path(name: str) -> str:
    import wntr

    return os.path.join(os.path.dirname(wntr.__file__), "library", "networks", name)


def network_from_inp(name: str) -> Network:
    """A :class:`Network` read from one of WNTR's example networks (pipes only)."""
    import wntr

    path = wntr_network_path(name)
    wn = wntr.network.WaterNetworkModel(path)
    nodes = pd.DataFrame([
        {"node_id": n, "x": float(o.coordinates[0]), "y": float(o.coordinates[1]),
         "elevation": float(getattr(o, "elevation", getattr(o, "base_head", 0.0)) or 0.0),
         "node_type": o.node_type.lower(),
         "base_demand": float(o.base_demand) if o.node_type == "Junction" else 0.0}
        for n, o in wn.nodes()])
    links = pd.DataFrame([
        {"pipe_id": n, "start_node": p.start_node_name, "end_node": p.end_node_name,
         "length_m": float(p.length), "diameter_mm": float(p.diameter) * 1000.0,
         "roughness": float(p.roughness), "geometry": None}
        for n, p in wn.pipes()])
    return Network(nodes=nodes, links=links, inp_path=path)


def hand_network(edges, coords=None, *, lengths=None, diameters=None) -> Network:
    """A network from (start, end) node pairs; node types all "junction"."""
    names = sorted({n for e in edges for n in e})
    coords = coords or {n: (float(i), 0.0) for i, n in enumerate(names)}
    nodes = pd.DataFrame({"node_id": names, "x": [coords[n][0] for n in names],
                          "y": [coords[n][1] for n in names], "elevation": 0.0,
                          "node_type": "junction", "base_demand": 0.0})
    links = pd.DataFrame({"pipe_id": [f"P{i}" for i in range(len(edges))],
                          "start_node": [e[0] for e in edges], "end_node": [e[1] for e in edges],
                          "length_m": lengths if lengths is not None else 100.0,
                          "diameter_mm": diameters if diameters is not None else 150.0,
                          "roughness": 100.0, "geometry": None})
    return Network(nodes=nodes, links=links)


def synthetic_risk(network: Network, *, seed: int = 0, zone_share: float = 0.8) -> pd.DataFrame:
    """A risk frame per the contract: skewed expected leaks, zone = top pipes by leaks/km."""
    rng = np.random.default_rng(seed)
    links = network.links
    n = len(links)
    rate = rng.lognormal(mean=-2.5, sigma=1.2, size=n)  # leaks / km / year
    length = links["length_m"].to_numpy(float)
    expected = rate * length / 1000
    order = np.argsort(-rate, kind="stable")
    cum = np.cumsum(expected[order]) / expected.sum()
    zone = np.zeros(n, bool)
    zone[order[: np.searchsorted(cum, zone_share) + 1]] = True
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(1, n + 1)
    return pd.DataFrame({
        "pipe_id": links["pipe_id"].astype(str).to_numpy(),
        "expected_leaks_per_year": expected, "leaks_per_km_year": rate, "rank": rank,
        "risk_class": np.where(rank <= n * 0.1, "A", "B"), "in_priority_zone": zone,
        "top_factors": "", "material": rng.choice(FAMILIES, size=n),
        "diameter_mm": links["diameter_mm"].to_numpy(float),
    })


def grid_network(n_side: int, *, spacing: float = 120.0, seed: int = 0, drop: float = 0.1) -> Network:
    """A square street grid of ``n_side`` x ``n_side`` junctions, a few edges dropped."""
    rng = np.random.default_rng(seed)
    ids = np.arange(n_side * n_side).reshape(n_side, n_side)
    h = np.column_stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()])
    v = np.column_stack([ids[:-1, :].ravel(), ids[1:, :].ravel()])
    edges = np.vstack([h, v])
    keep = rng.random(len(edges)) >= drop
    keep[: n_side - 1] = True  # keep one connected row
    edges = edges[keep]
    nodes = pd.DataFrame({"node_id": [f"J{i}" for i in range(n_side * n_side)],
                          "x": (np.arange(n_side * n_side) % n_side) * spacing,
                          "y": (np.arange(n_side * n_side) // n_side) * spacing,
                          "elevation": 0.0, "node_type": "junction", "base_demand": 0.0})
    length = spacing * rng.uniform(1.0, 1.3, len(edges))
    links = pd.DataFrame({"pipe_id": [f"P{i}" for i in range(len(edges))],
                          "start_node": [f"J{a}" for a in edges[:, 0]], "end_node": [f"J{b}" for b in edges[:, 1]],
                          "length_m": length, "diameter_mm": rng.choice([100.0, 150.0, 200.0, 300.0], len(edges)),
                          "roughness": 100.0, "geometry": None})
    return Network(nodes=nodes, links=links)

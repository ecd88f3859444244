"""Imputing missing pipe attributes (diameter, install year) from material and neighbours.

A missing value is taken, in this order, from

1. ``network_neighbours``: pipes of the same material sharing a node with it
   in the network (propagated up to ``hops`` links away);
2. ``spatial_neighbours``: the ``k`` nearest pipes of the same material
   within ``radius_m`` of its midpoint;
3. ``material_median``: the median of its material family;
4. ``overall_median``: the median of all pipes.

Pipes of unknown material use neighbours of any material.  Medians are *lower*
medians, so an imputed value is always one that a real pipe has (a standard
diameter, not 125 mm between 100 and 150).  Everything is vectorised: joins and
group-bys on the graph, one k-d tree query per material family.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.schema import END_NODE, MATERIAL, START_NODE, X, Y

METHODS = ("network_neighbours", "spatial_neighbours", "material_median", "overall_median")


def impute_column(pipes: pd.DataFrame, column: str, *, hops: int = 3, k: int = 8,
                  radius_m: float = 500.0) -> tuple[pd.Series, pd.Series]:
    """Fill the NaNs of ``pipes[column]``.

    Parameters
    ----------
    pipes : DataFrame
        With ``material`` and ``column``; ``start_node``/``end_node`` and
        ``x``/``y`` are used when present.
    column : str
    hops : int
        Network propagation steps.
    k, radius_m : int, float
        Spatial neighbours: how many, and how far at most (CRS units).

    Returns
    -------
    values : Series
        ``column`` with every NaN filled (unless no pipe has a value).
    method : Series of str
        The method of :data:`METHODS` used, ``""`` where the value was given.
    """
    values = pd.to_numeric(pipes[column], errors="coerce").to_numpy(dtype=float, copy=True)
    method = np.full(len(values), "", dtype=object)
    material = pipes[MATERIAL].astype("str").to_numpy() if MATERIAL in pipes else np.full(len(values), "unknown")
    given = np.isfinite(values)
    if given.all() or not given.any():
        return pd.Series(values, index=pipes.index, name=column), pd.Series(method, index=pipes.index, dtype="str")
    if {START_NODE, END_NODE} <= set(pipes.columns):
        _from_graph(pipes, values, method, material, hops=hops)
    if {X, Y} <= set(pipes.columns):
        _from_space(pipes, values, method, material, k=k, radius_m=radius_m)
    _from_medians(values, method, material, given)
    return (pd.Series(values, index=pipes.index, name=column),
            pd.Series(method, index=pipes.index, dtype="str"))


def median_fill(values: np.ndarray, material: np.ndarray, *, lower: bool = True) -> np.ndarray:
    """The NaNs of ``values`` filled with the median of their material's given values, else of all
    (steps 3 and 4 of the module docstring), in place; returns each entry's method ("" where given).

    ``lower`` medians (the default) are values a pipe has: a standard diameter, a year.  A continuous
    quantity (a length) takes the plain median."""
    method = np.full(len(values), "", dtype=object)
    _from_medians(values, method, np.asarray(material, dtype=object), np.isfinite(values), lower=lower)
    return method


def _median(frame: pd.DataFrame, by: str, col: str, lower: bool) -> pd.Series:
    return frame.groupby(by)[col].quantile(0.5, interpolation="lower" if lower else "linear")


def _graph_pairs(pipes: pd.DataFrame) -> pd.DataFrame:
    pos = np.arange(len(pipes))
    ends = pd.DataFrame({"pos": np.concatenate([pos, pos]),
                         "node": np.concatenate([pipes[START_NODE].to_numpy(dtype=object),
                                                 pipes[END_NODE].to_numpy(dtype=object)])})
    ends = ends[ends["node"].notna()]
    pairs = ends.merge(ends, on="node", suffixes=("", "_n"))
    pairs = pairs.loc[pairs["pos"] != pairs["pos_n"], ["pos", "pos_n"]]
    return pairs.drop_duplicates()


def _from_graph(pipes, values, method, material, *, hops: int) -> None:
    pairs = _graph_pairs(pipes)
    if pairs.empty:
        return
    a, b = pairs["pos"].to_numpy(), pairs["pos_n"].to_numpy()
    same = (material[a] == material[b]) | (material[a] == "unknown")
    a, b = a[same], b[same]
    for _ in range(max(hops, 0)):
        need = ~np.isfinite(values[a]) & np.isfinite(values[b])
        if not need.any():
            break
        med = _median(pd.DataFrame({"a": a[need], "v": values[b[need]]}), "a", "v", True)
        idx = med.index.to_numpy()
        values[idx] = med.to_numpy()
        method[idx] = "network_neighbours"


def _from_space(pipes, values, method, material, *, k: int, radius_m: float) -> None:
    from scipy.spatial import cKDTree
    xy = pipes[[X, Y]].to_numpy(dtype=float)
    located = np.isfinite(xy).all(axis=1)
    known = np.isfinite(values) & (method == "") & located
    missing = ~np.isfinite(values) & located
    for fam in np.unique(material[missing]):
        pool = np.flatnonzero(known & ((material == fam) | (fam == "unknown")))
        targets = np.flatnonzero(missing & (material == fam))
        if not len(pool) or not len(targets):
            continue
        kk = int(min(k, len(pool)))
        dist, idx = cKDTree(xy[pool]).query(xy[targets], k=kk, distance_upper_bound=radius_m)
        idx = np.asarray(idx).reshape(len(targets), kk)
        vals = np.append(values[pool], np.nan)[idx]          # idx == len(pool): none within radius
        vals.sort(axis=1)                                      # NaN last
        count = np.isfinite(vals).sum(axis=1)
        found = count > 0
        med = vals[np.arange(len(targets)), np.maximum(count - 1, 0) // 2]
        values[targets[found]] = med[found]
        method[targets[found]] = "spatial_neighbours"


def _from_medians(values, method, material, given, *, lower: bool = True) -> None:
    frame = pd.DataFrame({"m": material[given], "v": values[given]})
    by_material = _median(frame, "m", "v", lower)
    missing = ~np.isfinite(values)
    fill = pd.Series(material[missing]).map(by_material).to_numpy(dtype=float)
    ok = np.isfinite(fill)
    idx = np.flatnonzero(missing)
    values[idx[ok]] = fill[ok]
    method[idx[ok]] = "material_median"
    rest = ~np.isfinite(values)
    if rest.any():
        values[rest] = np.quantile(values[given], 0.5, method="lower" if lower else "linear")
        method[rest] = "overall_median"

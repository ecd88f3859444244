"""The valve layer: keep the valves that sit on an end of a pipe of the network, count the rest.

A valve layer comes as a table of pipe ends (``link``, ``node``: :func:`check_valves`) or as
points (GIS layer or CSV with x, y), snapped to their nearest pipe by
:func:`leakopt.validate.snap_sites` (issues ``valve_*``); :func:`valve_ends` puts each point on
the end of its pipe it is nearest to.

A valve layer row names a pipe (``link``) and the end node it closes (``node``).
Rows naming a pipe the network does not have, or a node that is not one of that
pipe's ends, are left out and counted (``valve_not_on_pipe_end``, severity
error: rows left out); repeated rows count once (``valve_duplicate``, info).
A layer none of whose valves fits the network is refused: the IDs are not the
network's.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.schema import Network
from leakopt.validate.messages import localized
from leakopt.validate.report import ValidationReport
from leakopt.validate.sites import SnappedSites


def check_valves(valves: pd.DataFrame, network: Network, *, report: ValidationReport,
                 file: str | None = None) -> pd.DataFrame:
    """The valves of ``valves`` (``link``, ``node``) that sit on a pipe end of ``network``.

    Problems go to ``report``; a layer with no usable valve raises
    :class:`~leakopt.errors.InputError` through :meth:`ValidationReport.fail`.
    """
    pipes = network.links
    ends = pd.MultiIndex.from_arrays(
        [pd.concat([pipes["pipe_id"], pipes["pipe_id"]]).astype(str).to_numpy(),
         pd.concat([pipes["start_node"], pipes["end_node"]]).astype(str).to_numpy()])
    layer = valves[["link", "node"]].astype(str).reset_index(drop=True)
    fits = pd.MultiIndex.from_frame(layer).isin(ends)
    duplicate = layer.duplicated().to_numpy() & fits
    name = file or localized("the_valve_layer")
    if len(layer) and not fits.any():
        report.fail("valve_layer_unusable", params={
                        "n": len(layer), "name": name, "link": layer["link"].iloc[0], "node": layer["node"].iloc[0],
                        "pipes": str(list(pipes["pipe_id"][:3]))}, file=file, column="link", count=len(layer))
    bad = layer[~fits]
    report.add("valve_not_on_pipe_end", "error", len(bad), params={"n": len(bad), "name": name},
               examples=bad.assign(row=bad.index + 2), file=file, column="link")
    report.add("valve_duplicate", "info", int(duplicate.sum()), params={"n": int(duplicate.sum()), "name": name},
               examples=layer[duplicate].assign(row=layer.index[duplicate] + 2), file=file, column="link")
    return layer[fits & ~duplicate].reset_index(drop=True)


#: The issue codes a valve point layer may report (:func:`leakopt.validate.snap_sites` with ``what="valve"``).
VALVE_POINT_ISSUES = ("valves_crs_assumed", "valve_no_coordinates", "valve_duplicate_id", "valve_too_far_from_pipe")


def valve_ends(snapped: SnappedSites, network: Network) -> pd.DataFrame:
    """Valve points snapped to their pipe, as a valve layer: each closes the end of its pipe it is nearest to.

    Returns
    -------
    DataFrame
        :meth:`SnappedSites.table` (every valve point with coordinates: its pipe, distance, ``used``)
        with ``link`` (the pipe) and ``node`` (its nearer end node; empty for a point left out).
    """
    table = snapped.table()
    links = network.links.assign(pipe_id=network.links["pipe_id"].astype(str)).set_index("pipe_id")
    pipe = table["pipe_id"].astype(object).where(table["used"])
    length = pd.to_numeric(links["length_m"], errors="coerce").reindex(pipe).to_numpy(float)
    start = links["start_node"].astype(str).reindex(pipe).to_numpy(dtype=object)
    end = links["end_node"].astype(str).reindex(pipe).to_numpy(dtype=object)
    near_start = table["offset_m"].to_numpy(float) <= length / 2
    node = np.where(table["used"].to_numpy(bool), np.where(near_start, start, end), None)
    return table.assign(link=pipe.to_numpy(dtype=object), node=node)

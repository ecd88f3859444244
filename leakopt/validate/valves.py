"""The valve layer: keep the valves that sit on an end of a pipe of the network, count the rest.

A valve layer row names a pipe (``link``) and the end node it closes (``node``).
Rows naming a pipe the network does not have, or a node that is not one of that
pipe's ends, are left out and counted (``valve_not_on_pipe_end``, severity
error: rows left out); repeated rows count once (``valve_duplicate``, info).
A layer none of whose valves fits the network is refused: the IDs are not the
network's.
"""
from __future__ import annotations

import pandas as pd

from leakopt.schema import Network
from leakopt.validate.report import ValidationReport


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
    name = file or "the valve layer"
    if len(layer) and not fits.any():
        report.fail("valve_layer_unusable",
                    f"none of the {len(layer):,} valves of {name} is on an end of a pipe of the network "
                    f"(e.g. link {layer['link'].iloc[0]!r} at node {layer['node'].iloc[0]!r}; the network's pipes "
                    f"are e.g. {list(pipes['pipe_id'][:3])}): give the network's pipe and node IDs",
                    file=file, column="link", count=len(layer))
    bad = layer[~fits]
    report.add("valve_not_on_pipe_end", "error", len(bad),
               f"{len(bad):,} valve(s) of {name} are not on an end of a pipe of the network (unknown pipe, or a "
               "node that is not one of its two ends); left out: the segments are drawn without them",
               examples=bad.assign(row=bad.index + 2), file=file, column="link")
    report.add("valve_duplicate", "info", int(duplicate.sum()),
               f"{int(duplicate.sum()):,} valve(s) of {name} repeat another row; counted once",
               examples=layer[duplicate].assign(row=layer.index[duplicate] + 2), file=file, column="link")
    return layer[fits & ~duplicate].reset_index(drop=True)

"""The frames that flow between stages, and their columns.

Units are SI as in WNTR, except diameters (millimetres, as registers give them)
and dates.  Every stage takes frames and returns new frames: none mutates its
inputs.

Pipes (validated asset register), one row per pipe, unique ``pipe_id``:

=====================  ========  ===============================================
column                 dtype     meaning
=====================  ========  ===============================================
pipe_id                str       unique ID (the EPANET link ID when a network is given)
material               str       family, one of :data:`MATERIAL_FAMILIES`
material_raw           str       the value as the register gives it
diameter_mm            float     > 0, imputed where missing
install_year           int       imputed where missing
length_m               float     > 0
diameter_imputed       bool      True where diameter_mm was imputed
install_year_imputed   bool      True where install_year was imputed
length_imputed         bool      True where length_m was missing or not positive and was replaced
start_node, end_node   str       only when a network gives the topology
x, y                   float     pipe midpoint, in the pipes' CRS (NaN if unknown)
geometry               object    shapely LineString, only when known (GIS or network)
(anything else)        any       pass-through columns, kept as given
=====================  ========  ===============================================

Leaks, one row per usable repaired leak or break (rows that cannot be used are
counted in the validation report and are not in this frame):

===============  ==============  ==============================================
leak_id          str             given, or ``L<row number>``
pipe_id          str             a pipe of the pipes frame
date             datetime64[ns]  date of the repair
year             int             calendar year of ``date``
snap_distance_m  float           distance to the pipe when snapped from x, y; NaN if matched by ID
type             str             optional, as given
===============  ==============  ==============================================

Risk (``risk.csv``), one row per scored pipe: the contract's columns
:data:`RISK_COLUMNS` then pass-through columns.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

PIPE_ID = "pipe_id"
MATERIAL = "material"
MATERIAL_RAW = "material_raw"
DIAMETER = "diameter_mm"
INSTALL_YEAR = "install_year"
LENGTH = "length_m"
DIAMETER_IMPUTED = "diameter_imputed"
INSTALL_YEAR_IMPUTED = "install_year_imputed"
START_NODE = "start_node"
END_NODE = "end_node"
X = "x"
Y = "y"
GEOMETRY = "geometry"

#: Columns every validated pipes frame has.
PIPE_COLUMNS = (PIPE_ID, MATERIAL, MATERIAL_RAW, DIAMETER, INSTALL_YEAR, LENGTH,
                DIAMETER_IMPUTED, INSTALL_YEAR_IMPUTED)

LEAK_ID = "leak_id"
DATE = "date"
YEAR = "year"
SNAP_DISTANCE = "snap_distance_m"
LEAK_COLUMNS = (LEAK_ID, PIPE_ID, DATE, YEAR, SNAP_DISTANCE)

#: Material families, in the order used for display.
MATERIAL_FAMILIES = (
    "cast_iron", "ductile_iron", "steel", "pvc", "pe", "asbestos_cement",
    "concrete", "copper", "lead", "other", "unknown",
)

#: Contract columns of ``risk.csv`` (pass-through columns follow them).
RISK_COLUMNS = (
    "pipe_id", "expected_leaks_per_year", "leaks_per_km_year", "rank",
    "risk_class", "in_priority_zone", "top_factors",
)

#: Columns ``risk.csv`` gains when the consequence stage runs, right after :data:`RISK_COLUMNS`.
CONSEQUENCE_RISK_COLUMNS = ("consequence", "consequence_class", "business_risk")

#: Columns of ``consequence.csv`` (:func:`leakopt.consequence.consequence_of_failure`).
CONSEQUENCE_COLUMNS = ("pipe_id", "segment_id", "demand_cut_m3s", "nodes_cut", "critical_cut",
                       "consequence", "consequence_class", "method")

#: Capture levels of ``backtest.json`` (share of network length).
CAPTURE_LEVELS = (0.01, 0.05, 0.1, 0.2, 0.3)


@dataclass(frozen=True)
class Network:
    """Topology of an EPANET network, as plain frames.

    Attributes
    ----------
    nodes : DataFrame
        ``node_id`` (str), ``x``, ``y``, ``elevation`` (m), ``node_type``
        ("junction", "reservoir" or "tank"), ``base_demand`` (m3/s).
    links : DataFrame
        Pipes only: ``pipe_id`` (str), ``start_node``, ``end_node``,
        ``length_m``, ``diameter_mm``, ``roughness``, ``geometry`` (shapely
        LineString through the link's vertices, in network coordinates).
    inp_path : str or None
        The file it was read from, for the stages that simulate with WNTR.
    other_links : DataFrame or None
        The links that are not pipes (EPANET pumps and valves): ``link_id``,
        ``link_type`` ("pump" or "valve"), ``valve_type`` (PRV, TCV, ...; blank
        for pumps), ``start_node``, ``end_node``, ``status`` ("open", "closed"
        or "active").  They carry water between nodes and can be shut, so the
        consequence stage counts them as connections and as segment boundaries.
        None when unknown (a network not read from an ``.inp``).
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    inp_path: str | None = None
    other_links: pd.DataFrame | None = None


@dataclass(frozen=True)
class Utility:
    """A validated utility: what every analysis stage starts from.

    Attributes
    ----------
    pipes, leaks : DataFrame
        See the module docstring.
    as_of : Timestamp
        The forecast date: ``leaks`` holds only leaks strictly before it and
        ``pipes`` only pipes installed in or before its year.
    network : Network or None
    crs : str or None
        CRS of pipe geometries and x, y (e.g. "EPSG:2154"); None when unknown.
    validation : ValidationReport
        Every data problem found (``leakopt.validate.ValidationReport``).
    sources : dict
        Input file paths by role ("pipes", "leaks", "network", "config").
    first_record_year : int
        First year of reliable leak recording (left truncation), detected or
        configured; the panel starts there.
    """

    pipes: pd.DataFrame
    leaks: pd.DataFrame
    as_of: pd.Timestamp
    network: Network | None = None
    crs: str | None = None
    validation: Any = None
    sources: dict = field(default_factory=dict)
    first_record_year: int | None = None

# --- progress reports -----------------------------------------------------------------------
# The one callback convention of leakopt's long functions.  A long function takes
# ``progress: Progress | None = None`` and calls ``progress(step, done, total)`` as its work
# advances: ``step`` says what is being done ("boosting rounds", "cutoff 2019-01-01"), and ``done``
# of ``total`` units of it are finished.  The pipeline names each stage with :func:`within`, so the
# steps of a run read "risk: boosting rounds"; :func:`stage_of` gives the stage back.  The command
# line draws one line per stage (:class:`leakopt.cli.Progress`), the app one bar per stage.

#: ``progress(step, done, total)``: ``done`` of ``total`` units of ``step`` are finished.
Progress = Callable[[str, int, int], None]


def silent(step: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


def within(progress: Progress | None, stage: str) -> Progress:
    """``progress`` with every step put under ``stage`` ("stage: step"); :func:`silent` for None."""
    if progress is None:
        return silent

    def report(step: str, done: int, total: int) -> None:
        progress(f"{stage}: {step}", done, total)
    return report


def stage_of(step: str) -> str:
    """The stage of a step named by :func:`within` ("risk: boosting rounds" -> "risk")."""
    return step.split(":", 1)[0]


def fraction(done: int, total: int) -> float:
    """``done / total`` clipped to [0, 1] (1 when there is nothing to do)."""
    return min(max(done / total, 0.0), 1.0) if total > 0 else 1.0


def describe(step: str, done: int, total: int) -> str:
    """The line shown for a report: "backtest: cutoff 2019-01-01 2/3"."""
    return f"{step} {done}/{total}"

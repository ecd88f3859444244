"""Stage 1, input and output: reading a utility's files and writing leakopt's own.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.tables`            the asset register, the leak history (CSV, workbook or GIS), the valve layer
:mod:`.workbook`          Excel workbooks (.xlsx, .xlsm): the sheet, its header, its cells as Excel stores them
:mod:`.columns`           a file's column names onto the contract's, and the likely ones when absent
:mod:`.values`            IDs, years and numbers read from text as utilities write them
:mod:`.dates`             dates as utilities write them, one reader for the loader and the column guesses
:mod:`.gis`               line and point layers, lengths from geometry, CRS, GeoJSON output
:mod:`.epanet`            the EPANET ``.inp`` network, read with WNTR
:mod:`.outputs`           JSON any reader can parse, file fingerprints
:mod:`.manifest`          the run manifest (inputs, configuration, versions, stage timings)
:mod:`.pooled`            many utilities pooled on disk as Parquet (read by :mod:`leakopt.distributed`)
========================  ===================================================================

Readers return plain frames with the contract's column names; checking them is
the next stage's job (:mod:`leakopt.validate`, whose :func:`~leakopt.validate.load_utility`
reads and checks in one call).  Nothing here imports another stage.
"""

from leakopt.io.columns import apply_columns, guess_columns, missing_columns_error
from leakopt.io.dates import date_share, parse_dates
from leakopt.io.epanet import epanet_error, read_network, read_wntr
from leakopt.io.gis import (
    check_crs,
    crs_string,
    geometry_length_m,
    metres_per_unit,
    parse_wkt,
    pipes_geodataframe,
    points_fr,
    read_gis,
    read_points,
    to_wgs84,
    with_lonlat,
    write_geojson,
)
from leakopt.io.manifest import StageTimer, build_manifest, count_worker_cpu, peak_rss_mb
from leakopt.io.outputs import file_sha256, to_jsonable, write_json
from leakopt.io.pooled import UTILITY_ID, PooledSet, open_pooled, partition_path, read_meta, read_utility, write_utility
from leakopt.io.tables import read_leaks, read_output, read_pipes, read_valves
from leakopt.io.values import read_numbers
from leakopt.io.workbook import is_workbook, read_workbook, workbook_sheets

__all__ = [
    "read_pipes", "read_leaks", "read_network", "read_wntr", "epanet_error", "read_valves", "read_output",
    "read_workbook", "workbook_sheets", "is_workbook",
    "read_numbers", "apply_columns", "missing_columns_error", "guess_columns", "parse_dates", "date_share",
    "read_gis", "read_points", "check_crs", "crs_string", "geometry_length_m", "metres_per_unit", "parse_wkt",
    "pipes_geodataframe",
    "points_fr",
    "to_wgs84",
    "with_lonlat", "write_geojson",
    "write_json", "to_jsonable", "file_sha256",
    "StageTimer", "build_manifest", "count_worker_cpu", "peak_rss_mb",
    "UTILITY_ID", "PooledSet", "open_pooled", "partition_path", "read_meta", "read_utility", "write_utility",
]

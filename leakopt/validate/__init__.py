"""Stage 2, validation: check the inputs, repair what can be repaired, report everything.

:func:`validate` turns the frames read by :mod:`leakopt.io` into a
:class:`leakopt.schema.Utility`; :func:`load_utility` reads the files and
validates them in one call.  Nothing is dropped silently: every row left out,
every value imputed or taken from elsewhere is counted in the
:class:`ValidationReport` (``validation.json``), with examples.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.core`              the entry points: :func:`validate`, :func:`load_utility`
:mod:`.pipes`             the asset register: IDs, materials, numbers, network join, lengths
:mod:`.leaks`             the leak history: dates, matching to pipes, exclusions, recording start
:mod:`.impute`            missing diameters and install years from neighbouring pipes
:mod:`.snap`              leaks given by x, y snapped to the nearest pipe
:mod:`.sites`             the utility's own fittings (logger sites): reprojected, snapped to a pipe
:mod:`.materials`         raw material codes (English and French) to material families
:mod:`.valves`            the valve layer: valves on a pipe end of the network, the rest counted
:mod:`.report`            the :class:`ValidationReport` and its issues
:mod:`.messages`          each issue's message in English and French, filled with its facts
:mod:`.templates`         the words of those messages: one English and French template per code
:mod:`.config`            :class:`ValidateConfig` (the ``[validate]`` table)
========================  ===================================================================
"""

from leakopt.validate.config import ValidateConfig
from leakopt.validate.core import load_utility, recorded_leak_rate, validate
from leakopt.validate.leaks import detect_first_record_year, no_complete_year_error, no_usable_leak_error
from leakopt.validate.materials import normalize_material
from leakopt.validate.pipes import NETWORK_COORDINATE_ISSUES, check_network_coordinates
from leakopt.validate.report import Issue, ValidationReport
from leakopt.validate.sites import SITE_ISSUES, SnappedSites, snap_sites
from leakopt.validate.valves import VALVE_POINT_ISSUES, check_valves, valve_ends

__all__ = ["validate", "load_utility", "recorded_leak_rate", "detect_first_record_year", "no_usable_leak_error",
           "no_complete_year_error",
           "ValidateConfig",
           "ValidationReport", "Issue", "normalize_material", "snap_sites", "SnappedSites", "SITE_ISSUES",
           "check_valves", "valve_ends", "VALVE_POINT_ISSUES", "check_network_coordinates",
           "NETWORK_COORDINATE_ISSUES"]

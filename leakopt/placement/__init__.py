"""Stage 4, placement: the fewest sensors that hear the priority zone, proven by integer programming.

Acoustic loggers listen along pipes from fittings; pressure sensors see the
pressure drop a leak causes.  Staged like Chama: :func:`build_model` ->
:func:`solve` -> :func:`summarize`, with :func:`place_sensors` as the one-call
wrapper; users can add constraints between the stages.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.coverage`          which candidate site hears which pipe segment (listening ranges, segments, sites)
:mod:`.hearing`           the bounded shortest-path search behind it, by chunks of sites
:mod:`.access_points`     candidate sites along long pipes where no fitting is known
:mod:`.model`             the cover, share and budget models (:class:`PlacementModel`)
:mod:`.greedy`            the greedy answer, its pruning and its bounds
:mod:`.lagrange`          large share models: Lagrangian bound, LP-guided answer (used by solve)
:mod:`.solve`             solving (greedy start, Lagrangian phase, exact statuses), :func:`place_sensors`
:mod:`.summary`           a solved model as a :class:`Placement` (``placement.json``, ``sensors.csv``)
:mod:`.curve`             the trade-off curve: loggers against share of expected leaks heard
:mod:`.pressure`          pressure sensors from simulated leak scenarios (WNTR)
:mod:`.campaign`          the logger campaign: K loggers lifted and shifted, most expected leaks soonest
========================  ===================================================================

The models go to :mod:`leakopt.optimize` (HiGHS, or CBC through PuLP).
"""

from leakopt.placement.campaign import CAMPAIGN_COLUMNS, Campaign, CampaignConfig, plan_campaign
from leakopt.placement.coverage import Coverage, CoverageConfig, build_coverage, listening_range
from leakopt.placement.curve import CURVE_COLUMNS, tradeoff_curve
from leakopt.placement.greedy import greedy_cover, heard_counts
from leakopt.placement.model import PlacementModel, build_model
from leakopt.placement.pressure import (
    PressureConfig,
    PressurePlacement,
    place_pressure_sensors,
    pressure_drops,
    select_scenarios,
)
from leakopt.placement.solve import Placement, PlacementConfig, place_sensors, segment_weights, solve, summarize

__all__ = [
    "CoverageConfig", "Coverage", "build_coverage", "listening_range",
    "PlacementConfig", "PlacementModel", "Placement", "build_model", "solve", "summarize", "place_sensors",
    "segment_weights", "greedy_cover", "heard_counts", "tradeoff_curve", "CURVE_COLUMNS",
    "PressureConfig", "PressurePlacement", "place_pressure_sensors", "pressure_drops", "select_scenarios",
    "Campaign", "CampaignConfig", "plan_campaign", "CAMPAIGN_COLUMNS",
]

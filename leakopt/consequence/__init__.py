"""Stage 4, consequence: what a break on each pipe would cost, and business risk.

A break is isolated by closing the valves around it; every pipe and node of
that valve segment is out of service, and so is everything the segment alone
connected to a reservoir or a tank.  The demand and the customers cut off, the
critical customers among them, and the pipe's diameter give each pipe a
consequence score (without a network: the diameter alone, said in ``method``).
Business risk is the likelihood (expected leaks a year, from :mod:`leakopt.risk`)
times that consequence; the risk matrix crosses their classes.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.config`            :class:`ConsequenceConfig` (the ``[consequence]`` table)
:mod:`.segments`          valve segments, from a valve layer or the assumed valve rule
:mod:`.isolation`         demand, customers and critical customers cut off per segment (connectivity)
:mod:`.pdd`               the same by pressure-dependent simulation (EPANET) for the segments that matter
:mod:`.score`             the score per pipe: :func:`consequence_of_failure` (``consequence.csv``)
:mod:`.matrix`            business risk in the risk frame, the 4 x 4 risk matrix, the worst segments
========================  ===================================================================
"""

from leakopt.consequence.config import ConsequenceConfig
from leakopt.consequence.isolation import check_critical_nodes, cut_off, segment_graph
from leakopt.consequence.matrix import LIKELIHOOD_CLASSES, add_business_risk, risk_matrix, top_demand_cut
from leakopt.consequence.pdd import PddSettings, pdd_cut_off, segments_to_simulate
from leakopt.consequence.score import (
    CONSEQUENCE_CLASSES,
    VALVE_RULES,
    Consequence,
    consequence_classes,
    consequence_of_failure,
)
from leakopt.consequence.segments import Segments, assumed_valves, valve_segments

__all__ = ["ConsequenceConfig", "check_critical_nodes", "Consequence", "consequence_of_failure", "consequence_classes", "Segments",
           "valve_segments", "assumed_valves", "cut_off", "segment_graph", "add_business_risk", "risk_matrix",
           "top_demand_cut", "pdd_cut_off", "PddSettings", "segments_to_simulate",
           "CONSEQUENCE_CLASSES", "LIKELIHOOD_CLASSES", "VALVE_RULES"]

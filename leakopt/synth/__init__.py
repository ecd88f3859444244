"""A realistic synthetic utility (network, register, leak history, true rates), for demos, tests and scale.

``leakopt synth --pipes N`` and the shipped sample come from here.  Leaks are
drawn from a known hazard, so the model can be compared with the truth (the
oracle).  Two hazard families (``SynthConfig.hazard``, ``leakopt synth --hazard``):
"districts", the sample's, and "pipes", which ages, self-excites and spreads
frailty differently (:mod:`.generate`'s docstring).

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.generate`          :func:`synthesize`, :func:`write_synth`, :func:`true_rate`
:mod:`.config`            :class:`SynthConfig` (hazard family and parameters; defaults make the sample)
:mod:`.layout`            network layouts from WNTR's real networks
:mod:`.city`              a procedural city network of any size
:mod:`.hazard`            assets laid by era and leaks simulated year by year
:mod:`.tables`            material families, raw codes, era mixes
========================  ===================================================================
"""

from leakopt.synth.config import HAZARDS, SynthConfig
from leakopt.synth.generate import SynthUtility, synthesize, true_rate, write_synth
from leakopt.synth.tables import FAMILIES, RAW_CODES

__all__ = ["HAZARDS", "SynthConfig", "SynthUtility", "synthesize", "write_synth", "true_rate", "FAMILIES", "RAW_CODES"]

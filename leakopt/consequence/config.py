"""Settings of the consequence stage (the ``[consequence]`` table); see :mod:`leakopt.consequence.score`."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leakopt.errors import InputError


@dataclass(frozen=True)
class ConsequenceConfig:
    """Settings of the consequence of failure (TOML table ``[consequence]``).

    The consequence of a break on a pipe is a score in points::

        consequence = diameter_mm / diameter_ref_mm
                      + points_per_pct_demand * (% of the network's base demand cut off)
                      + points_per_critical * (critical customers cut off)

    so a 150 mm main whose isolation cuts nobody off scores 1.

    Attributes
    ----------
    valves_file : str, optional
        A valve layer (``leakopt run --valves`` overrides it): points (GeoPackage, GeoJSON,
        Shapefile, or CSV with ``x``, ``y`` in ``valves_crs``) snapped to the nearest pipe
        within ``valve_snap_max_m``, each closing the end of its pipe it is nearest to; or a CSV
        of pipe ends (``link``: the pipe a valve is on, ``node``: the end it closes, read by
        :func:`leakopt.io.read_valves`).  A relative path is taken from the configuration
        file's folder.  Its valves bound the segments.
    assume_valves : bool
        When no valve layer is given: assume an isolation valve on each pipe end at every junction
        joined by 3 links or more (the usual design rule), and say so in ``method``.  False: only
        the network's own valves and pumps bound segments (set it when the ``.inp`` models the
        isolation valves as EPANET valves, e.g. TCVs).
    critical_nodes : tuple of str
        Node IDs of critical customers (hospital, dialysis centre, school...): each segment whose
        isolation cuts one off gains ``points_per_critical``.
    diameter_ref_mm : float
        Diameter worth one point.
    points_per_pct_demand : float
        Points per percent of the network's base demand cut off while the segment is isolated.
    points_per_critical : float
        Points per critical customer cut off.
    class_bounds : tuple of float
        Consequence classes 4 (most severe) to 1 by cumulative share of network length in
        decreasing consequence: upper bounds of classes 4, 3 and 2 (1 is the rest).
    pdd_segments : int
        Segments whose isolation is simulated with pressure-dependent demand
        (:mod:`leakopt.consequence.pdd`): the ``pdd_segments`` with the highest business risk
        (expected leaks x topological consequence, summed over the segment's pipes); 0 turns
        the simulations off.  The other segments keep the topological figure.
    pdd_all_max_segments : int
        A network with at most this many segments has every segment simulated.
    pdd_pipe_budget : int
        Cap on pipe-simulations (network pipes x segments simulated): each simulation solves the
        whole network, so at most ``pdd_pipe_budget // n_pipes`` segments are simulated
        (5,000,000: the default 50 segments up to 100,000 pipes, 5 at a million; every one of 100
        segments up to 50,000 pipes).  About 0.2 s of CPU per simulation at 100,000 pipes.
    pdd_workers : int, optional
        Processes the simulations are spread over; default the cores available.
    required_pressure_m, minimum_pressure_m, pressure_exponent : float
        Pressure-dependent demand: full demand at ``required_pressure_m`` and above, none at
        ``minimum_pressure_m`` and below, ``((p - pmin) / (preq - pmin)) ** exponent`` between.
    valves_crs : str, optional
        CRS of a valve point layer given as CSV (a GIS file says its own).
    valve_snap_max_m : float
        Valve points farther than this from every pipe are left out (``valve_too_far_from_pipe``).
    """

    valves_file: str | None = None
    assume_valves: bool = True
    critical_nodes: tuple = ()
    diameter_ref_mm: float = 150.0
    points_per_pct_demand: float = 1.0
    points_per_critical: float = 5.0
    class_bounds: tuple = (0.1, 0.3, 0.6)
    pdd_segments: int = 50
    pdd_all_max_segments: int = 100
    pdd_pipe_budget: int = 5_000_000
    pdd_workers: int | None = None
    required_pressure_m: float = 20.0
    minimum_pressure_m: float = 0.0
    pressure_exponent: float = 0.5
    valves_crs: str | None = None
    valve_snap_max_m: float = 25.0

    def __post_init__(self):
        def bad(name, expected, expected_fr):
            raise InputError(f"[consequence] {name}={getattr(self, name)!r}; expected {expected}",
                             fr=f"[consequence] {name}={getattr(self, name)!r} ; valeur attendue : {expected_fr}")
        if not isinstance(self.critical_nodes, (tuple, list)) or not all(
                isinstance(v, (str, int)) for v in self.critical_nodes):
            bad("critical_nodes", 'a list of node IDs, e.g. ["J-12", "J-40"]',
                'une liste d’identifiants de nœuds, par exemple ["J-12", "J-40"]')
        object.__setattr__(self, "critical_nodes", tuple(str(v) for v in self.critical_nodes))
        if not self.diameter_ref_mm > 0:
            bad("diameter_ref_mm", "a diameter > 0 in mm", "un diamètre > 0 en mm")
        if self.points_per_pct_demand < 0 or self.points_per_critical < 0:
            bad("points_per_pct_demand" if self.points_per_pct_demand < 0 else "points_per_critical",
                "points >= 0", "un nombre de points >= 0")
        for name in ("pdd_segments", "pdd_all_max_segments", "pdd_pipe_budget"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                bad(name, "an integer >= 0", "un entier >= 0")
        if self.pdd_workers is not None and (isinstance(self.pdd_workers, bool) or not isinstance(
                self.pdd_workers, (int, np.integer)) or self.pdd_workers < 1):
            bad("pdd_workers", "an integer >= 1 (processes), or leave it unset for every core",
                "un entier >= 1 (nombre de processus), ou ne le réglez pas pour utiliser tous les cœurs")
        if not 0 <= self.minimum_pressure_m < self.required_pressure_m:
            bad("minimum_pressure_m" if self.minimum_pressure_m < 0 else "required_pressure_m",
                "0 <= minimum_pressure_m < required_pressure_m (metres)",
                "0 <= minimum_pressure_m < required_pressure_m (en mètres)")
        if not self.pressure_exponent > 0:
            bad("pressure_exponent", "a number > 0 (0.5 is the usual orifice law)",
                "un nombre > 0 (0,5 est la loi d’orifice habituelle)")
        if not float(self.valve_snap_max_m) > 0:
            bad("valve_snap_max_m", "metres > 0", "une distance > 0 en mètres")
        b = np.asarray(self.class_bounds, float)
        if b.shape != (3,) or not ((b > 0) & (b < 1)).all() or not (np.diff(b) > 0).all():
            bad("class_bounds", "3 increasing length shares in (0, 1), e.g. [0.1, 0.3, 0.6]",
                "3 parts croissantes du linéaire, strictement entre 0 et 1, par exemple [0.1, 0.3, 0.6]")

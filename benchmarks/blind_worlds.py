"""Synthetic utilities for the blind benchmark, written independently of ``leakopt.synth``.

``benchmarks/bench_blind.py`` runs leakopt on these as on a utility's export it has never seen.
This module was written without reading or importing ``leakopt/synth/`` (issue 15: a model must
not be judged only on worlds whose quirks it was tuned on), and it imports nothing from leakopt.

Each world is a register and a break record, no network, with five published styles of break model:

``yule``
    Shamir-Howard / Yule exponential ageing, ``rate = length x A_m x exp(b_m x age)``, per material,
    times a falling diameter effect and an unobserved, spatially patchy soil corrosivity that only
    metal pipes feel and that pipes of the same area (laid along the same streets) share.
``nhpp``
    A Weibull power-law non-homogeneous Poisson process per pipe, ``rate = length x c_m x
    (age / 50) ** (beta_m - 1)``, a per-pipe lognormal frailty and strong repeat-break clustering:
    each break multiplies the pipe's rate by ``EXCITE`` and the excess decays back (time constant
    ``DECAY_YEARS``).
``joints``
    Breaks partly at joints and fittings: a per-pipe term proportional to the number of fittings,
    not to length (so short pipes have a high rate per km), plus a length term with mild ageing, a
    defect cohort (PVC laid 1975-1982, four times the rate) and a non-monotone diameter effect
    (150 mm lowest; 100 mm and 250-300 mm highest).
``leyp``
    Le Gat's Linear Extended Yule Process (the model of French utilities' renewal tools): ``rate =
    (1 + alpha x N) x beta x age ** (beta - 1) x exp(gamma x)``, with ``N`` the pipe's own breaks since
    it was laid (they never fade; those before ``first_year`` drawn from the process's negative binomial
    law), ``alpha = 0.7``, a Weibull shape per material (1.0 for PE to 1.8 for cast iron), a falling
    diameter effect, a sub-proportional length effect ``length ** 0.7`` and a modest frailty (sigma 0.35).
``weather``
    A Weibull rate per km (shape 1.1 to 2.0 by material, falling with diameter, frailty sigma 0.5),
    times a severity shared by every pipe each calendar year (lognormal, sigma 0.5, mean one; two
    years of the simulation 2.5 times as severe: cold winters) raised to the material's exposure
    (cast iron 1, steel 0.6, ductile iron 0.5, asbestos cement 0.3, PVC 0.15, PE 0.05), and, on
    asbestos cement only, a patchy soil moisture (a smooth field, sigma 0.8) that the register omits.

Every world has the quirks of a real export: breaks recorded only from ``record_from`` (earlier ones
missing); a share of break dates written as a year only; the utility's own material codes
(``DI-C3``, ``CI-C1``, ``PVC-HP``, ``AC-LP``, ``FUSPVC``, ``fonte grise``, ``PEHD``, ...); blank
diameters and install years; pipes replaced after repeated breaks whose new pipe keeps the old ID with
a new install year (their old breaks predate the install); service-line breaks (type ``SERVICE``, a
rate proportional to length); new pipes laid after the cutoff. Pipes are laid from 1 January of
their install year; replacements happen only before the cutoff, so the pipe at each ID is the same
over the whole test window.

The oracle (``World.truth["expected_test"]``) is each pipe's TRUE expected number of recorded breaks
(main and service) over the test window ``[cutoff, cutoff + horizon)``, given everything up to the
cutoff: the integral of the rate for ``yule``, ``joints`` and ``weather`` (for ``weather``, with the
test years' actual severities: the oracle knows the weather, no model can), and for ``nhpp`` and
``leyp`` (whose rates depend on the test years' own breaks) the mean of ``oracle_draws`` simulations of
the window from each pipe's state at the cutoff.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

WORLDS = ("yule", "nhpp", "joints", "leyp", "weather")
FAMILIES = ("cast_iron", "steel", "ductile_iron", "asbestos_cement", "pvc", "pe")
METAL = np.array([True, True, True, False, False, False])
#: The utility's own material codes per family, with their shares.
CODES = {
    "cast_iron": (("CI-C1", 0.5), ("fonte grise", 0.3), ("CI", 0.2)),
    "steel": (("STL", 0.6), ("acier", 0.4)),
    "ductile_iron": (("DI-C3", 0.5), ("DICL", 0.3), ("FD", 0.2)),
    "asbestos_cement": (("AC-LP", 0.6), ("amiante-ciment", 0.4)),
    "pvc": (("PVC-HP", 0.5), ("FUSPVC", 0.1), ("PVC", 0.4)),
    "pe": (("PEHD", 0.7), ("HDPE", 0.3)),
}
#: Family shares by install era (rows: eras starting at ERA_STARTS; columns: FAMILIES).
ERA_STARTS = np.array([0, 1930, 1955, 1970, 1985, 2000])
ERA_MIX = np.array([
    [0.95, 0.05, 0.00, 0.00, 0.00, 0.00],
    [0.80, 0.10, 0.00, 0.10, 0.00, 0.00],
    [0.35, 0.10, 0.10, 0.45, 0.00, 0.00],
    [0.00, 0.00, 0.35, 0.30, 0.35, 0.00],
    [0.00, 0.00, 0.40, 0.00, 0.50, 0.10],
    [0.00, 0.00, 0.30, 0.00, 0.45, 0.25],
])
RENEWAL_MIX = np.array([0.0, 0.0, 0.2, 0.0, 0.5, 0.3])   # what a replaced pipe is laid in
DIAMETERS = np.array([100, 150, 200, 250, 300, 400])
DIAMETER_SHARES = np.array([0.25, 0.35, 0.20, 0.10, 0.07, 0.03])

# yule: rate per km a year at age 0 and exponential ageing per material (FAMILIES order)
YULE_A = np.array([0.040, 0.050, 0.030, 0.050, 0.070, 0.050])
YULE_B = np.array([0.032, 0.030, 0.035, 0.025, 0.010, 0.010])
YULE_SOIL_SIGMA = 0.9
# nhpp: rate per km a year at age 50, Weibull shape, frailty, repeat-break excitation
NHPP_C = np.array([0.25, 0.20, 0.12, 0.15, 0.10, 0.06])
NHPP_BETA = np.array([2.5, 2.2, 1.8, 2.0, 1.4, 1.2])
NHPP_FRAILTY_SIGMA = 0.9
EXCITE, DECAY_YEARS, EXCITE_CAP = 2.5, 3.0, 30.0
# joints: length term per km a year, its ageing, per-fitting rate a year, the cohort and diameter effects
JOINT_C = np.array([0.050, 0.050, 0.035, 0.050, 0.030, 0.025])
JOINT_B = np.array([0.020, 0.020, 0.020, 0.020, 0.005, 0.005])
JOINT_J = np.array([0.0035, 0.0035, 0.0030, 0.0050, 0.0040, 0.0015])
JOINT_DIAMETER = {100: 1.5, 150: 0.7, 200: 1.0, 250: 1.6, 300: 1.9, 400: 1.3}
COHORT = ("pvc", 1975, 1982, 4.0)
# leyp: Le Gat's rate (1 + alpha N) beta a^(beta - 1) exp(gamma x), N the pipe's breaks since it was
# laid, written as LEYP_C (breaks a year of an unbroken 100 m, 150 mm pipe aged 50: beta 50^(beta - 1)
# exp(gamma_m)) x (a / 50)^(beta - 1) x (diameter / 150)^LEYP_DIAMETER x (length / 100 m)^LEYP_LENGTH
LEYP_C = np.array([0.006, 0.0055, 0.003, 0.005, 0.0035, 0.0025])
LEYP_BETA = np.array([1.8, 1.6, 1.4, 1.7, 1.2, 1.0])
LEYP_ALPHA, LEYP_DIAMETER, LEYP_LENGTH, LEYP_FRAILTY_SIGMA = 0.7, -0.6, 0.7, 0.35
# weather: a Weibull rate per km a year at age 50, times the year's severity ** the material's exposure
WEATHER_C = np.array([0.06, 0.055, 0.03, 0.05, 0.03, 0.02])
WEATHER_BETA = np.array([2.0, 1.8, 1.5, 1.9, 1.3, 1.1])
WEATHER_EXPOSURE = np.array([1.0, 0.6, 0.5, 0.3, 0.15, 0.05])
WEATHER_SIGMA, WEATHER_SEVERE_YEARS, WEATHER_SEVERE = 0.5, 2, 2.5
WEATHER_DIAMETER, WEATHER_FRAILTY_SIGMA, MOISTURE_SIGMA = -0.7, 0.5, 0.8
FRAILTY_SIGMA = {"yule": 0.3, "nhpp": NHPP_FRAILTY_SIGMA, "joints": 0.3, "leyp": LEYP_FRAILTY_SIGMA,
                 "weather": WEATHER_FRAILTY_SIGMA}
STATEFUL = ("nhpp", "leyp")     # worlds whose rate depends on the pipe's own breaks


@dataclass(frozen=True)
class WorldConfig:
    """How a world is drawn.

    Attributes
    ----------
    n_pipes, seed : int
    first_year : int
        First year simulated (breaks before ``record_from`` are simulated but not exported).
    record_from : int or None
        First year of the break record; None draws one in 1992-1996 from the seed.
    cutoff_year, horizon_years : int
        The test window is ``[1 Jan cutoff_year, 1 Jan (cutoff_year + horizon_years))``; the history
        ends with it.
    year_only_share, blank_diameter_share, blank_year_share : float
        Shares of break dates written as a year, of blank diameters, of blank install years.
    service_rate_per_km : float
        Service-line breaks per km a year (type ``SERVICE``), on every pipe alike.
    replace_after, replace_window, replace_prob : int, int, float
        A pipe with ``replace_after`` breaks within ``replace_window`` years is replaced the next
        year with probability ``replace_prob`` (before the cutoff only).
    new_after_cutoff_share : float
        Share of pipes laid in the test window (not in service at the cutoff).
    oracle_draws : int
        Simulations of the test window behind the ``nhpp`` and ``leyp`` oracles.
    rate_scale : float
        Every main-break rate times this (service breaks unchanged): 0.25 for a utility that breaks
        four times less often, with four times fewer breaks to learn from.
    """

    n_pipes: int = 6000
    seed: int = 0
    first_year: int = 1984
    record_from: int | None = None
    cutoff_year: int = 2021
    horizon_years: int = 3
    year_only_share: float = 0.15
    blank_diameter_share: float = 0.03
    blank_year_share: float = 0.03
    service_rate_per_km: float = 0.015
    replace_after: int = 3
    replace_window: int = 5
    replace_prob: float = 0.4
    new_after_cutoff_share: float = 0.02
    oracle_draws: int = 300
    rate_scale: float = 1.0


@dataclass(frozen=True)
class World:
    """One drawn utility.

    Attributes
    ----------
    name : str
    pipes : DataFrame
        The register as exported: ``pipe_id``, ``material`` (the utility's code), ``diameter_mm``,
        ``install_year`` (blank where unknown), ``length_m``, ``x``, ``y``.
    breaks : DataFrame
        The break record as exported: ``date`` (ISO, or a year only), ``pipe_id``, ``type``.
    truth : DataFrame
        Per pipe of the register: ``pipe_id``, ``family``, ``install_year`` (true, of the pipe in
        service today), ``length_m``, ``expected_test`` (the oracle), ``observed_test`` (recorded
        breaks in the test window).
    cutoff : Timestamp
    horizon_years : int
    record_from : int
    counts : dict
        What a reader must find: ``year_only`` dates, ``pre_install`` breaks (recorded, before
        their pipe's install year: earlier pipes at a reused ID), ``service`` breaks,
        ``blank_diameter``, ``blank_install_year``, ``replaced`` pipes, ``after_cutoff`` pipes.
    severity : Series or None
        ``weather`` only: each simulated year's severity, indexed by year.
    """

    name: str
    pipes: pd.DataFrame = field(repr=False)
    breaks: pd.DataFrame = field(repr=False)
    truth: pd.DataFrame = field(repr=False)
    cutoff: pd.Timestamp
    horizon_years: int
    record_from: int
    counts: dict
    severity: pd.Series | None = field(default=None, repr=False)


def make_world(name: str, config: WorldConfig | None = None) -> World:
    """Draw world ``name`` (one of :data:`WORLDS`), deterministic from ``config.seed``."""
    if name not in WORLDS:
        raise ValueError(f"world must be one of {WORLDS}, got {name!r}")
    cfg = config or WorldConfig()
    rng = np.random.default_rng([cfg.seed, WORLDS.index(name)])
    record_from = cfg.record_from if cfg.record_from is not None else int(rng.integers(1992, 1997))
    pipes = _layout(cfg, rng)
    hazard = _Hazard(name, pipes, cfg, rng)
    events, state = _simulate(cfg, pipes, hazard, rng)
    expected = _oracle(cfg, pipes, hazard, state, rng)
    world = _export(name, cfg, pipes, events, expected, record_from, rng)
    if hazard.severity is None:
        return world
    years = pd.RangeIndex(cfg.first_year, cfg.first_year + len(hazard.severity), name="year")
    return replace(world, severity=pd.Series(hazard.severity, index=years, name="severity"))


# --- the network's register ---------------------------------------------------------------

def _layout(cfg: WorldConfig, rng) -> dict:
    """Pipes along the streets of a grid of areas, each area laid in its own era, the city growing
    outward; materials by era, diameters, lengths; a few pipes laid after the cutoff."""
    n = cfg.n_pipes
    side = max(int(np.ceil(np.sqrt(n / 40))), 2)
    area = rng.integers(0, side * side, n)
    ax, ay = area % side, area // side
    r = np.hypot(ax + 0.5 - side / 2, ay + 0.5 - side / 2) / (side / np.sqrt(2))
    era = np.clip(1905 + 105 * r + rng.normal(0, 8, side * side)[area], 1890, 2012)
    infill = rng.random(n) < 0.3
    year = np.where(infill, era + rng.exponential(12, n), era + rng.normal(0, 3, n))
    year = np.minimum(np.round(year), cfg.cutoff_year - 1).astype(int)
    late = rng.random(n) < cfg.new_after_cutoff_share
    year[late] = rng.integers(cfg.cutoff_year, cfg.cutoff_year + cfg.horizon_years, late.sum())
    fam = _family(year, rng)
    street = rng.random(n) < 0.5          # laid along an east-west or a north-south street
    x = (ax + np.where(street, rng.random(n), rng.integers(0, 5, n) / 4)) * 500.0
    y = (ay + np.where(street, rng.integers(0, 5, n) / 4, rng.random(n))) * 500.0
    soil_field = _smooth_field(side, rng)
    return {"n": n, "side": side, "area": area, "year": year, "family": fam, "original_year": year.copy(),
            "diameter": rng.choice(DIAMETERS, n, p=DIAMETER_SHARES),
            "length": np.clip(rng.lognormal(np.log(90.0), 0.8, n), 3.0, 1500.0),
            "x": x.round(1), "y": y.round(1),
            "soil": np.exp(YULE_SOIL_SIGMA * soil_field[area] + rng.normal(0, 0.2, n)),
            "fittings": 1 + rng.poisson(2.0, n)}


def _family(year, rng) -> np.ndarray:
    era = np.searchsorted(ERA_STARTS, year, side="right") - 1
    u = rng.random(len(year))
    return (u[:, None] > np.cumsum(ERA_MIX[era], axis=1)[:, :-1]).sum(axis=1)


def _severities(n_years: int, rng) -> np.ndarray:
    """Each year's weather severity (mean one, lognormal), ``WEATHER_SEVERE_YEARS`` of them severe."""
    severity = np.exp(rng.normal(-WEATHER_SIGMA ** 2 / 2, WEATHER_SIGMA, n_years))
    severity[rng.choice(n_years, WEATHER_SEVERE_YEARS, replace=False)] *= WEATHER_SEVERE
    return severity


def _smooth_field(side: int, rng) -> np.ndarray:
    """A standardised, spatially correlated field over the side x side areas (box-smoothed noise)."""
    z = rng.normal(size=(side + 4, side + 4))
    for _ in range(2):
        z = sum(np.roll(np.roll(z, i, 0), j, 1) for i in (-1, 0, 1) for j in (-1, 0, 1)) / 9.0
    z = z[2:-2, 2:-2].ravel()
    return (z - z.mean()) / max(z.std(), 1e-9)


# --- hazards ------------------------------------------------------------------------------

class _Hazard:
    """Each pipe's main-break rate (a year) at time ``t`` (decimal year), for one world.

    The worlds in :data:`STATEFUL` have a per-pipe state that the pipe's own breaks move (``nhpp``:
    the log of the excitation; ``leyp``: the breaks since the pipe was laid): :meth:`start_state`,
    :meth:`update`, and ``rate(t, state)``. The others ignore it.
    """

    def __init__(self, name: str, pipes: dict, cfg: WorldConfig, rng):
        self.name, self.p = name, pipes
        self.stateful = name in STATEFUL
        self.joint_diameter = np.array([JOINT_DIAMETER[int(d)] for d in pipes["diameter"]])
        self.redraw(np.ones(pipes["n"], dtype=bool), rng)
        self.first_year, self.severity, self.scale = cfg.first_year, None, float(cfg.rate_scale)
        if name == "weather":
            self.severity = _severities(cfg.cutoff_year + cfg.horizon_years - cfg.first_year, rng)
            moisture = _smooth_field(pipes["side"], rng)[pipes["area"]] + rng.normal(0, 0.2, pipes["n"])
            self.moisture = np.exp(MOISTURE_SIGMA * moisture)

    def start_state(self, cfg: WorldConfig, rng) -> np.ndarray:
        """The state at ``cfg.first_year``: no excitation; for ``leyp``, the breaks each pipe had from
        its laying to ``first_year`` (before the simulation), drawn from the process's own law: with
        ``H`` the integral of the rate without the Yule factor, ``N ~ NegBin(1 / alpha, exp(-alpha H))``."""
        if self.name != "leyp":
            return np.zeros(self.p["n"])
        p, f = self.p, self.p["family"]
        age = np.maximum(cfg.first_year - p["year"], 0.0)
        cumulative = LEYP_C[f] * 50.0 / LEYP_BETA[f] * (age / 50.0) ** LEYP_BETA[f] * self._leyp_covariates()
        return rng.negative_binomial(1.0 / LEYP_ALPHA, np.exp(-LEYP_ALPHA * cumulative)).astype(float)

    def update(self, state, k, dt: float) -> np.ndarray:
        """The state after a step of ``dt`` years in which the pipes broke ``k`` times."""
        if self.name == "nhpp":
            return np.minimum(state * np.exp(-dt / DECAY_YEARS) + k * np.log(EXCITE), np.log(EXCITE_CAP))
        if self.name == "leyp":
            return state + k
        return state

    def _leyp_covariates(self) -> np.ndarray:
        """``leyp``'s exp(gamma x) beyond the material, and the frailty: diameter, length^0.7."""
        p = self.p
        return (p["diameter"] / 150.0) ** LEYP_DIAMETER * (p["length"] / 100.0) ** LEYP_LENGTH * self.frailty

    def redraw(self, which, rng) -> None:
        """New pipe-level draws (frailty, small noise) for the pipes laid at ``which``."""
        n = int(which.sum())
        if not hasattr(self, "frailty"):
            self.frailty = np.ones(self.p["n"])
        sigma = FRAILTY_SIGMA[self.name]
        self.frailty[which] = np.exp(rng.normal(0, sigma, n) - sigma ** 2 / 2)

    def rate(self, t, state=None) -> np.ndarray:
        """The main-break rates at ``t``, times ``rate_scale``."""
        return self.scale * self._rate(t, state)

    def _rate(self, t, state=None) -> np.ndarray:
        p = self.p
        age = np.maximum(t - p["year"], 0.0)
        km, f = p["length"] / 1000.0, p["family"]
        if self.name == "yule":
            soil = np.where(METAL[f], p["soil"], 1.0)
            lam = km * YULE_A[f] * np.exp(YULE_B[f] * age) * (p["diameter"] / 150.0) ** -0.7 * soil
        elif self.name == "leyp":
            n_before = 0.0 if state is None else state
            weibull = LEYP_C[f] * (age / 50.0) ** (LEYP_BETA[f] - 1)
            return (1.0 + LEYP_ALPHA * n_before) * weibull * self._leyp_covariates() * (t >= p["year"])
        elif self.name == "weather":
            severity = self.severity[int(np.floor(t)) - self.first_year] ** WEATHER_EXPOSURE[f]
            moisture = np.where(f == FAMILIES.index("asbestos_cement"), self.moisture, 1.0)
            lam = (km * WEATHER_C[f] * ((age + 0.5) / 50.0) ** (WEATHER_BETA[f] - 1)
                   * (p["diameter"] / 150.0) ** WEATHER_DIAMETER * severity * moisture)
        elif self.name == "nhpp":
            lam = km * NHPP_C[f] * ((age + 0.5) / 50.0) ** (NHPP_BETA[f] - 1) * (p["diameter"] / 150.0) ** -0.4
            if state is not None:
                lam = lam * np.exp(state)
        else:
            cohort = np.where((f == FAMILIES.index(COHORT[0])) & (p["year"] >= COHORT[1]) & (p["year"] <= COHORT[2]),
                              COHORT[3], 1.0)
            lam = (km * JOINT_C[f] * np.exp(JOINT_B[f] * age) + p["fittings"] * JOINT_J[f]) * self.joint_diameter * cohort
        return lam * self.frailty * (t >= p["year"])


# --- the history --------------------------------------------------------------------------

def _simulate(cfg: WorldConfig, p: dict, hazard: _Hazard, rng):
    """Month by month from ``first_year`` to the end of the test window: main breaks (with the
    state of the stateful worlds), service breaks, and replacements at year ends before the cutoff.
    Returns the events (pipe index, decimal time, is_service) and the state at the cutoff."""
    n, dt = p["n"], 1.0 / 12.0
    now = hazard.start_state(cfg, rng)
    end = cfg.cutoff_year + cfg.horizon_years
    window = 12 * cfg.replace_window
    rows, state, recent = [], None, np.zeros((window, n), dtype=np.int64)   # breaks of the last months
    for step in range((end - cfg.first_year) * 12):
        t0 = cfg.first_year + step * dt
        if step % 12 == 0 and int(round(t0)) == cfg.cutoff_year:
            state = now.copy()
        lam = hazard.rate(t0 + dt / 2, now if hazard.stateful else None)
        k = rng.poisson(lam * dt)
        s = rng.poisson(cfg.service_rate_per_km * p["length"] / 1000.0 * dt * (t0 >= p["year"]))
        for counts, service in ((k, False), (s, True)):
            hit = np.flatnonzero(counts)
            idx = np.repeat(hit, counts[hit])
            rows.append((idx, t0 + rng.random(len(idx)) * dt, np.full(len(idx), service)))
        now = hazard.update(now, k, dt)
        recent[step % window] = k
        if step % 12 == 11:   # a year ends
            _replace(cfg, p, hazard, recent, cfg.first_year + step // 12, now, rng)
    idx, t, service = (np.concatenate(c) for c in zip(*rows))
    return pd.DataFrame({"pipe": idx, "t": t, "service": service}), state


def _replace(cfg, p, hazard, recent, year, state, rng) -> None:
    """Pipes with ``replace_after`` breaks in the window (on the pipe now in place: ``recent`` is
    cleared at a relay) are relaid the next year, before the cutoff only: a new material, install
    year, frailty and state (no excitation, no break since laid) at the same ID."""
    if year + 1 >= cfg.cutoff_year:
        return
    relay = (recent.sum(axis=0) >= cfg.replace_after) & (rng.random(p["n"]) < cfg.replace_prob)
    if not relay.any():
        return
    recent[:, relay] = 0
    p["year"][relay] = year + 1
    p["family"][relay] = rng.choice(len(FAMILIES), relay.sum(), p=RENEWAL_MIX)
    p.setdefault("replaced", np.zeros(p["n"], dtype=int))
    p["replaced"][relay] += 1
    state[relay] = 0.0
    hazard.redraw(relay, rng)


def _oracle(cfg: WorldConfig, p: dict, hazard: _Hazard, state, rng) -> np.ndarray:
    """Expected recorded breaks (main and service) per pipe in the test window, given the cutoff."""
    dt = 1.0 / 12.0
    months = cfg.horizon_years * 12
    ts = cfg.cutoff_year + (np.arange(months) + 0.5) * dt
    service = sum(cfg.service_rate_per_km * p["length"] / 1000.0 * dt * (t >= p["year"]) for t in ts)
    if not hazard.stateful:
        return service + sum(hazard.rate(t) * dt for t in ts)
    now = np.repeat(state[None, :], cfg.oracle_draws, axis=0)
    total = np.zeros_like(now)
    for t in ts:
        lam = hazard.rate(t, now)
        total += lam * dt
        now = hazard.update(now, rng.poisson(lam * dt), dt)
    return service + total.mean(axis=0)


# --- the export ---------------------------------------------------------------------------

def _export(name, cfg, p, events, expected, record_from, rng) -> World:
    n = p["n"]
    ids = (100000 + rng.permutation(n)).astype(str)
    fam_names = np.array(FAMILIES)[p["family"]]
    codes = np.empty(n, dtype=object)
    for fam, choices in CODES.items():
        here = fam_names == fam
        labels, shares = zip(*choices)
        codes[here] = rng.choice(labels, here.sum(), p=shares)
    replaced = p.get("replaced", np.zeros(n, dtype=int))
    diameter = p["diameter"].astype(float)
    blank_d = rng.random(n) < cfg.blank_diameter_share
    diameter[blank_d] = np.nan
    install = p["year"].astype(float)
    blank_y = (rng.random(n) < cfg.blank_year_share) & (replaced == 0)
    install[blank_y] = np.nan
    pipes = pd.DataFrame({"pipe_id": ids, "material": codes, "diameter_mm": diameter,
                          "install_year": pd.array(install, dtype="Int64"), "length_m": p["length"].round(1),
                          "x": p["x"], "y": p["y"]})
    ev = events[events["t"] >= record_from].sort_values("t", kind="stable").reset_index(drop=True)
    day = pd.to_datetime((ev["t"] // 1).astype(int).astype(str) + "-01-01") + pd.to_timedelta(
        ((ev["t"] % 1) * 365.0).astype(int), unit="D")
    year_only = rng.random(len(ev)) < cfg.year_only_share
    dates = np.where(year_only, day.dt.year.astype(str), day.dt.strftime("%Y-%m-%d"))
    breaks = pd.DataFrame({"date": dates, "pipe_id": ids[ev["pipe"]],
                           "type": np.where(ev["service"], "SERVICE", "MAIN")})
    pre_install = day.dt.year.to_numpy() < p["year"][ev["pipe"]]
    cutoff = pd.Timestamp(f"{cfg.cutoff_year}-01-01")
    in_test = (day >= cutoff).to_numpy()
    truth = pd.DataFrame({"pipe_id": ids, "family": fam_names, "install_year": p["year"],
                          "length_m": pipes["length_m"], "expected_test": expected,
                          "observed_test": np.bincount(ev["pipe"][in_test], minlength=n)})
    counts = {"breaks": len(breaks), "year_only": int(year_only.sum()), "pre_install": int(pre_install.sum()),
              "service": int(ev["service"].sum()), "blank_diameter": int(blank_d.sum()),
              "blank_install_year": int(blank_y.sum()), "replaced": int((replaced > 0).sum()),
              "after_cutoff": int((p["year"] >= cfg.cutoff_year).sum()), "test_breaks": int(in_test.sum())}
    return World(name=name, pipes=pipes, breaks=breaks, truth=truth, cutoff=cutoff,
                 horizon_years=cfg.horizon_years, record_from=record_from, counts=counts)


def write_world(world: World, folder) -> tuple:
    """Write ``pipes.csv`` and ``breaks.csv`` into ``folder``; returns their paths."""
    from pathlib import Path
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pipes, breaks = folder / "pipes.csv", folder / "breaks.csv"
    world.pipes.to_csv(pipes, index=False)
    world.breaks.to_csv(breaks, index=False)
    return pipes, breaks

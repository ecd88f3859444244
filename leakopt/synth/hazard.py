"""The simulation behind :mod:`leakopt.synth.generate`: assets laid by era, and leaks year by year.

The hazard and its parameters are documented in :mod:`leakopt.synth.generate`'s docstring;
this module holds the vectorised simulation (the tables are in :mod:`leakopt.synth.tables`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.synth.config import SynthConfig
from leakopt.synth.tables import FAMILIES, LEAK_TYPES, TYPE_MIX, by_family, family_mix

# ----------------------------------------------------------------------------- assets


def _draw(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One categorical draw per row of ``weights`` (rows sum to 1)."""
    u = rng.random(len(weights))
    return np.minimum((np.cumsum(weights, axis=1) < u[:, None]).sum(axis=1), weights.shape[1] - 1)


def _districts(mx: np.ndarray, my: np.ndarray, rng: np.random.Generator):
    """District of each pipe (Voronoi cells around random pipes) and the district's
    growth rank: the share of pipes closer to the centre than the district's seed."""
    from scipy.spatial import cKDTree

    n = len(mx)
    k = int(np.clip(round(n / 150), 4, n))
    seeds = np.sort(rng.choice(n, k, replace=False))
    _, district = cKDTree(np.column_stack([mx[seeds], my[seeds]])).query(np.column_stack([mx, my]))
    cx, cy = np.median(mx), np.median(my)
    r_pipe = np.hypot(mx - cx, my - cy)
    r_seed = np.hypot(mx[seeds] - cx, my[seeds] - cy)
    return district, np.searchsorted(np.sort(r_pipe), r_seed) / n


def initial_assets(mx, my, diameter, cfg: SynthConfig, rng: np.random.Generator) -> pd.DataFrame:
    """District, first install year, first material and frailty of every pipe."""
    district, q = _districts(mx, my, rng)
    span = cfg.end_year - 5 - cfg.start_year
    d_year = np.clip(np.round(cfg.start_year + span * q ** 0.8 + rng.normal(0, 6, len(q))),
                     cfg.start_year, cfg.end_year - 3)
    d_family = _draw(family_mix(d_year, np.full(len(q), 150.0)), rng)
    if cfg.hazard == "districts":
        frailty = np.exp(rng.normal(-cfg.frailty_sigma ** 2 / 2, cfg.frailty_sigma, len(q)))[district]
    else:
        frailty = pipe_frailty(len(mx), cfg.frailty_sigma, rng)
    year = np.minimum(d_year[district] + np.floor(rng.exponential(3.0, len(mx))), cfg.end_year)
    mix = family_mix(year, diameter)
    own = _draw(mix, rng)
    pref = d_family[district]
    use_pref = (rng.random(len(mx)) < 0.6) & (mix[np.arange(len(mx)), pref] > 0.1)
    return pd.DataFrame({"district": district, "first_year": year.astype(np.int64),
                         "family": np.where(use_pref, pref, own).astype(np.int64),
                         "frailty": frailty})


def pipe_frailty(n: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """The "pipes" family's frailty: one Gamma draw per pipe, mean 1 and standard deviation ``sigma``."""
    if sigma <= 0:
        return np.ones(n)
    return rng.gamma(1.0 / sigma ** 2, sigma ** 2, n)


# ----------------------------------------------------------------------------- leaks

def static_hazard(length, pressure, frailty, cfg: SynthConfig) -> np.ndarray:
    """The factors of the intensity that neither the asset's material nor its age change."""
    p = np.clip(np.nan_to_num(pressure, nan=50.0), 10.0, 120.0)
    return length / 1e5 * (p / 50.0) ** cfg.pressure_exponent * frailty


def asset_hazard(fam: np.ndarray, inst: np.ndarray, age: np.ndarray, log_d: np.ndarray,
                  cfg: SynthConfig) -> np.ndarray:
    """Material x age x cohort x diameter factor of the intensity (module docstring), base rate included."""
    base = by_family(cfg.base_rate_per_100km, "base_rate_per_100km")
    d_exp = by_family(cfg.diameter_exponent, "diameter_exponent")
    infant = 1.0 + cfg.infant_factor * np.exp(-np.maximum(age, 0) / cfg.infant_years)
    out = base[fam] * ageing_factor(fam, age, cfg) * np.exp(-d_exp[fam] * log_d) * infant
    for family, first, last, factor in cfg.cohort_factors:
        hit = (fam == FAMILIES.index(family)) & (inst >= first) & (inst <= last)
        out = np.where(hit, out * float(factor), out)
    return out


def ageing_factor(fam: np.ndarray, age: np.ndarray, cfg: SynthConfig) -> np.ndarray:
    """How the rate grows with age, 1 at age 50: exponential ("districts") or Weibull ("pipes").

    "districts": ``exp(ageing[f] * (age - 50))``; "pipes": ``((age + 0.5) / 50) ** (k[f] - 1)``,
    the mid-year age (the install year counts fully), ``k`` = ``weibull_shape``.
    """
    if cfg.hazard == "districts":
        return np.exp(by_family(cfg.ageing, "ageing")[fam] * (age - 50))
    k = by_family(cfg.weibull_shape, "weibull_shape")[fam]
    return ((np.maximum(age, 0) + 0.5) / 50.0) ** (k - 1.0)


class Excitation:
    """How a pipe's past leaks raise its rate, in the chosen hazard family (module docstring).

    "districts": ``1 + self_excitation * min(N, excitation_cap)``, ``N`` the asset's leaks so far.
    "pipes": ``1 + self_excitation * min(E, excitation_cap)``, ``E`` the leaks of past years each
    weighted ``2 ** -(years since the year after it / excitation_half_life)``: a leak raises the
    rate by ``self_excitation`` the next year, half as much ``excitation_half_life`` years later.
    """

    def __init__(self, n: int, cfg: SynthConfig):
        self.cfg = cfg
        self.decay = 1.0 if cfg.hazard == "districts" else 0.5 ** (1.0 / cfg.excitation_half_life)
        self.state = np.zeros(n)

    def factor(self) -> np.ndarray:
        return 1 + self.cfg.self_excitation * np.minimum(self.state, self.cfg.excitation_cap)

    def add(self, counts: np.ndarray) -> None:
        """The year's leaks: they count from the next year."""
        self.state = self.state * self.decay + counts

    def reset(self, renewed: np.ndarray) -> None:
        self.state[renewed] = 0.0


def simulate(assets: pd.DataFrame, static: np.ndarray, diameter: np.ndarray, cfg: SynthConfig,
              rng: np.random.Generator, progress=None) -> dict:
    """Year-by-year Poisson leaks with ageing, self-excitation and renewal, vectorised over pipes.

    ``static`` holds the factors that stay (length, pressure, frailty); the rest follows ``cfg.hazard``.

    Returns the recorded-period ``counts``, ``rate`` and ``family`` matrices (pipes x
    years), the final asset (``family``, ``install_year``), ``renewed`` and the number
    of leaks before recording started."""
    log_d = np.log(np.asarray(diameter, dtype=float) / 150.0)
    fam, inst = assets["family"].to_numpy().copy(), assets["first_year"].to_numpy().copy()
    n = len(fam)
    excitation, recent = Excitation(n, cfg), np.zeros((3, n))
    renewed, before = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    rec_years = np.arange(cfg.record_start_year, cfg.end_year + 1)
    counts = np.zeros((n, len(rec_years)), dtype=np.int32)
    rate = np.zeros((n, len(rec_years)))
    fam_at = np.zeros((n, len(rec_years)), dtype=np.int8)
    y0 = int(min(inst.min(), cfg.record_start_year))
    for t in range(y0, cfg.end_year + 1):
        age = t - inst
        lam = np.where(age >= 0, static * asset_hazard(fam, inst, age, log_d, cfg) * excitation.factor(), 0.0)
        c = rng.poisson(lam)
        excitation.add(c)
        recent[t % 3] = c
        if t >= cfg.record_start_year:
            k = t - cfg.record_start_year
            counts[:, k], rate[:, k], fam_at[:, k] = c, lam, fam
        else:
            before += c
        if t < cfg.end_year:
            p = np.where(age >= 40, cfg.renewal_rate, 0.0) + cfg.renewal_after_leaks * (recent.sum(0) >= 2)
            ren = (age >= 0) & (rng.random(n) < p)
            if ren.any():
                fam[ren] = _draw(family_mix(np.full(ren.sum(), t + 1), diameter[ren]), rng)
                inst[ren], recent[:, ren] = t + 1, 0.0
                excitation.reset(ren)
                renewed |= ren
        if progress and ((t - y0) % 10 == 0 or t == cfg.end_year):
            progress(f"simulating leaks, year {t}", t - y0 + 1, cfg.end_year - y0 + 1)
    return {"counts": counts, "rate": rate, "fam_at": fam_at, "family": fam, "install_year": inst,
            "renewed": renewed, "before": before, "years": rec_years}


def _leak_days(n: int, years: np.ndarray, amplitude: float, rng: np.random.Generator) -> np.ndarray:
    """Dates (datetime64[D]) with a winter peak, within the given years."""
    day = np.arange(365)
    dens = 1 + amplitude * np.cos(2 * np.pi * (day + 0.5 - 15) / 365.25)
    cdf = np.cumsum(dens) / dens.sum()
    doy = np.minimum(np.searchsorted(cdf, rng.random(n)), 364)
    return (years - 1970).astype("datetime64[Y]").astype("datetime64[D]") + doy


def leak_rows(sim: dict, geometry: np.ndarray, scale: float, cfg: SynthConfig,
               rng: np.random.Generator) -> pd.DataFrame:
    """One row per recorded leak: pipe index, date, type, x, y, and whether it hit the current asset."""
    import shapely

    counts = sim["counts"].copy()
    for k, share in enumerate(cfg.record_completeness[: counts.shape[1]]):
        counts[:, k] = rng.binomial(counts[:, k], share)
    pipe, col = np.nonzero(counts)
    reps = counts[pipe, col]
    pipe, col = np.repeat(pipe, reps), np.repeat(col, reps)
    year = sim["years"][col]
    date = _leak_days(len(pipe), year, cfg.winter_amplitude, rng)
    fam = sim["fam_at"][pipe, col].astype(np.int64)
    ltype = _draw(TYPE_MIX[fam], rng)
    pt = shapely.line_interpolate_point(geometry[pipe], rng.random(len(pipe)), normalized=True)
    xy = shapely.get_coordinates(pt) + rng.normal(0, 2.0 * scale, (len(pipe), 2))
    order = np.lexsort((pipe, date))
    decimals = int(max(1, np.ceil(-np.log10(0.1 * scale))))   # 0.1 m in coordinate units
    return pd.DataFrame({"pipe": pipe[order], "date": date[order],
                         "type": np.array(LEAK_TYPES)[ltype[order]],
                         "x": np.round(xy[order, 0], decimals), "y": np.round(xy[order, 1], decimals),
                         "current": (year >= sim["install_year"][pipe])[order]})

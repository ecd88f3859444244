"""A small synthetic utility with a KNOWN leak hazard, for the risk-stage tests.

Rate of pipe i in year y, leaks per km and year::

    base[material] * exp(0.025 * (age - 40)) * (100 / diameter)^0.4 * frailty_i * zone_i

``frailty_i`` (gamma, mean 1) is a persistent hidden pipe effect, so past
leaks predict future ones; ``zone_i`` is a smooth spatial field, so leaks on
neighbouring pipes are informative.  Pipes are the edges of a square grid
(start/end nodes and midpoints known).  Leaks before ``first_record_year``
are only recorded with probability 0.2 (left truncation).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt.schema import Utility

BASE = {"cast_iron": 0.30, "asbestos_cement": 0.18, "steel": 0.20, "ductile_iron": 0.06,
        "pvc": 0.08, "pe": 0.05}
MIX = {"cast_iron": 0.3, "asbestos_cement": 0.15, "steel": 0.05, "ductile_iron": 0.2, "pvc": 0.2, "pe": 0.1}
ERA = {"cast_iron": (1900, 1970), "asbestos_cement": (1950, 1985), "steel": (1930, 1980),
       "ductile_iron": (1965, 2020), "pvc": (1965, 2015), "pe": (1985, 2022)}


def make_utility(n_side: int = 25, *, seed: int = 0, sim_start: int = 1990, first_record_year: int = 2000,
                 as_of: str = "2025-01-01", end_year: int = 2030, frailty_shape: float = 0.8):
    """Return ``(utility, truth)``: a validated Utility and its true expected leaks per pipe-year.

    ``truth`` has ``pipe_id``, ``year``, ``expected_leaks`` for every year up to
    ``end_year``; leaks are simulated to ``end_year`` then cut at ``as_of``
    (call :func:`with_as_of` to move the cut).
    """
    rng = np.random.default_rng(seed)
    pipes = _grid_pipes(n_side, rng)
    n = len(pipes)
    mats = pipes["material"].to_numpy()
    frailty = rng.gamma(frailty_shape, 1.0 / frailty_shape, n)
    zone = _zone_field(pipes["x"].to_numpy(), pipes["y"].to_numpy(), n_side, rng)
    base = np.array([BASE[m] for m in mats])
    diam = pipes["diameter_mm"].to_numpy()
    install = pipes["install_year"].to_numpy()
    years = np.arange(sim_start, end_year + 1)
    age = years[None, :] - install[:, None]
    rate = (base[:, None] * np.exp(0.025 * (age - 40)) * (100.0 / diam[:, None]) ** 0.4
            * frailty[:, None] * zone[:, None])
    expected = np.where(age >= 0, rate * pipes["length_m"].to_numpy()[:, None] / 1000.0, 0.0)
    counts = rng.poisson(expected)
    recorded = np.where(years[None, :] < first_record_year, rng.binomial(counts, 0.2), counts)
    leaks = _leak_rows(pipes["pipe_id"].to_numpy(), years, recorded, rng)
    truth = pd.DataFrame({"pipe_id": np.repeat(pipes["pipe_id"].to_numpy(), len(years)),
                          "year": np.tile(years, n), "expected_leaks": expected.ravel()})
    full = Utility(pipes=pipes, leaks=leaks, as_of=pd.Timestamp(as_of), first_record_year=first_record_year)
    return with_as_of(full, as_of), truth


def with_as_of(utility: Utility, as_of) -> Utility:
    """The same utility with leaks cut strictly before ``as_of``, pipes installed by then."""
    ts = pd.Timestamp(as_of)
    pipes = utility.pipes[utility.pipes["install_year"] <= ts.year].reset_index(drop=True)
    leaks = utility.leaks[(utility.leaks["date"] < ts)
                          & utility.leaks["pipe_id"].isin(pipes["pipe_id"])].reset_index(drop=True)
    return Utility(pipes=pipes, leaks=leaks, as_of=ts, network=utility.network, crs=utility.crs,
                   first_record_year=utility.first_record_year)


def _grid_pipes(k: int, rng) -> pd.DataFrame:
    node = np.arange(k * k).reshape(k, k)
    h = np.column_stack([node[:, :-1].ravel(), node[:, 1:].ravel()])
    v = np.column_stack([node[:-1, :].ravel(), node[1:, :].ravel()])
    edges = np.vstack([h, v])
    n = len(edges)
    xy = np.column_stack([edges % k, edges // k]).astype(float) * 100.0  # node x, y on a 100 m grid
    mid_x = (xy[:, 0] + xy[:, 1]) / 2
    mid_y = (xy[:, 2] + xy[:, 3]) / 2
    names = list(MIX)
    mats = rng.choice(names, size=n, p=[MIX[m] for m in names])
    lo = np.array([ERA[m][0] for m in mats])
    hi = np.array([ERA[m][1] for m in mats])
    install = (lo + rng.random(n) * (hi - lo)).astype(int)
    diam = rng.choice([60, 80, 100, 150, 200, 300, 400], size=n, p=[.1, .2, .3, .2, .1, .07, .03]).astype(float)
    length = np.clip(rng.lognormal(np.log(90), 0.8, n), 5, 1500)
    return pd.DataFrame({
        "pipe_id": [f"P{i:05d}" for i in range(n)], "material": mats, "material_raw": mats,
        "diameter_mm": diam, "install_year": install, "length_m": length,
        "diameter_imputed": rng.random(n) < 0.05, "install_year_imputed": rng.random(n) < 0.08,
        "start_node": [f"N{a}" for a in edges[:, 0]], "end_node": [f"N{b}" for b in edges[:, 1]],
        "x": mid_x, "y": mid_y, "district": rng.choice(["north", "south"], size=n),
    })


def _zone_field(x, y, k, rng):
    cells = max(2, k // 6)
    field = rng.lognormal(0.0, 0.6, (cells, cells))
    ix = np.minimum((x / (100.0 * k) * cells).astype(int), cells - 1)
    iy = np.minimum((y / (100.0 * k) * cells).astype(int), cells - 1)
    z = field[iy, ix]
    return z / z.mean()


def _leak_rows(ids, years, counts, rng) -> pd.DataFrame:
    i, j = np.nonzero(counts)
    reps = counts[i, j]
    pid = np.repeat(ids[i], reps)
    yr = np.repeat(years[j], reps)
    day = rng.integers(0, 365, len(yr))
    dates = pd.to_datetime(yr.astype(str), format="%Y") + pd.to_timedelta(day, unit="D")
    order = np.argsort(dates.to_numpy(), kind="stable")
    return pd.DataFrame({"leak_id": [f"L{r}" for r in range(len(yr))], "pipe_id": pid[order],
                         "date": dates.to_numpy()[order], "year": yr[order],
                         "snap_distance_m": np.nan})

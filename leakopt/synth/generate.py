"""A realistic synthetic water utility whose truth is known.

``synthesize(n_pipes, seed=...)`` builds a network layout (WNTR's Net6 or ky10
cut to size, or a procedural city: :mod:`leakopt.synth.layout`), gives every
pipe an asset history, simulates leaks year by year from a documented hazard
and returns the register, the leak records, the ``.inp`` and the truth: each
pipe's expected number of leaks in every recorded year.

Assets
------
The network is divided into districts (about 150 pipes each, Voronoi cells
around random pipes).  The town grows outwards: a district at relative distance
``q`` (the share of pipes nearer the centre) is built around ``start_year +
(end_year - 5 - start_year) * q**0.8`` (+/- 6 years), so about half the network
predates 1970.
Pipes follow their district's year with a few years of infill.  Materials
follow the era (grey cast iron before ~1960, asbestos cement ~1950-1980, PVC
and ductile iron from ~1970, PE from ~1990; steel and concrete for large
mains) and 60 % of a district's pipes share its dominant material where that material
is plausible for the pipe (at least 10 % of its era and size mix).  Registers
use raw utility codes (CI, GCI, DI, DICL, STL, PVC, PVC-U, PVCO, PE, HDPE, MDPE,
PEHD, AC, ACP, CPP) and some French names ("fonte grise", "amiante-ciment",
...).  Diameters come from the layout (sized by hierarchy).

Renewal: each year, an asset at least 40 years old is replaced with
probability ``renewal_rate`` (0.4 %/yr, the usual 0.5-1 %/yr of whole networks
concentrated on old mains), and any asset with two or more leaks over the last
three years with probability ``renewal_after_leaks`` (30 %).  The new asset
takes the pipe's ID, the era's material and ``install_year = year + 1``; its
leak count restarts at zero.  The register keeps only the latest asset.  As in
real data, the surviving assets are those whose leaks did not get them
replaced: their recorded past falls short of their past intensity
(survivorship), which a model trained on history has to live with.

Hazard (leaks per pipe per year)
--------------------------------
Two families, chosen by ``SynthConfig.hazard`` (``leakopt synth --hazard``).
They share the base rates, cohorts, diameter, pressure and early-life factors
and differ in how pipes age, how a leak changes the pipe's later rate, and how
frailty is spread.  ``truth.csv`` holds the intensity of the chosen family.

"districts" (the default; the shipped sample and every published figure):
``lambda = base[f] / 1e5 * length_m * exp(ageing[f] * (age - 50)) *
(1 + infant_factor * exp(-age / infant_years)) * cohort[f, install_year] *
(diameter / 150) ** -diameter_exponent[f] * (pressure / 50) ** pressure_exponent * frailty[district] *
(1 + self_excitation * min(N, excitation_cap))`` where ``f`` is the asset's material family and:

* ``base`` is the rate per 100 km per year of a 50-year-old DN150 main at 50 m
  with no previous leak.  Defaults: cast iron 12, steel 7, asbestos cement 4,
  ductile iron 3, concrete 3, PVC 2, PE 2.  Literature: networks average 5-15
  leaks and breaks per 100 km per year (e.g. UKWIR and French ONEMA surveys);
  grey cast iron breaks several times more than ductile iron and PVC least
  (Folkman 2018, Utah State University survey of North American utilities:
  about 22, 13, 4, 3 and 1.6 main breaks per 100 km per year for cast iron,
  steel, asbestos cement, ductile iron and PVC).  With the other factors, the
  realised network averages are about 6-8 per 100 km per year on the shipped
  Net6 sample (large mains) and 12-18 on procedural cities (small mains, much
  cast iron, ageing), with cast iron 8-20 times ductile iron.
* ``ageing`` is the exponential ageing of Shamir & Howard (1979), whose growth
  rates range 0.01-0.15 per year, and it depends on the material (Kleiner &
  Rajani 2001; Folkman 2018 finds no significant ageing of PVC and PE):
  cast iron, steel and asbestos cement 0.02 per year (graphitisation,
  corrosion, leaching), ductile iron and concrete 0.01, PVC and PE 0.  So the
  rate does not grow log-linearly in age for the network as a whole: a
  material x age interaction that a model must learn.
* ``infant_factor`` = 1 and ``infant_years`` = 3: the early-life arm of the
  bathtub curve (Kleiner & Rajani 2001; Røstum 2000): installation defects
  (joints, bedding, fittings) make a new main twice as leaky in its first
  year, fading over a few years.
* ``cohort_factors``: generations of a material that fail more or less than
  the rest, a material x install-era effect that no smooth age curve gives.
  Defaults: grey cast iron cast in sand pits (laid before 1930) has thicker
  walls than the spun (centrifugally cast) grey iron of 1930-1964, so the
  oldest iron is not the worst (Makar, Desnoyers & McDonald 2001; Rajani &
  Kleiner 2001): factors 0.5 and 1.25.  PVC laid 1960-1979 (early thin-walled
  PVC with solvent-welded joints) and PE laid 1970-1989 (first-generation PE,
  prone to slow crack growth) leak 2.5 times as often as later pipes of the
  same material (Burn et al. 2005 on PVC; UKWIR on early PE).
* ``diameter_exponent``: small mains break more (Kettler & Goulter 1985;
  DN100 mains about 1.5 times DN150), and far more so for brittle grey cast
  iron, whose small mains fail in beam bending: 1.2 for cast iron, 0.8 for
  the other families.
* ``pressure_exponent`` = 1: burst frequency rises with pressure (Thornton &
  Lambert 2007 report 1-3 % fewer bursts per 1 % pressure reduction).
  Pressure (clipped to 10-120 m) is an EPANET single-period run for WNTR
  layouts, and the supply-tree head-loss estimate of the procedural city.
* ``frailty`` = lognormal district effect, mean 1, sigma 0.4: soil and
  workmanship nobody records, so leaks cluster in space.
* ``self_excitation`` = 0.5 per previous leak of the same asset (the LEYP model,
  Le Gat 2009, estimates 0.1-1); it takes effect from the next year.  ``N`` is
  capped at ``excitation_cap`` = 4 (at most 3 times the rate), since a main
  that keeps breaking is repaired in sections or replaced, not left to run away.
* Exposure is proportional to length; the year of installation counts fully.

"pipes": the same formula with three factors replaced:

* Ageing is Weibull (power law, the NHPP of Crow-AMSAA and of LEYP's age term,
  Le Gat 2009; Røstum 2000): ``((age + 0.5) / 50) ** (weibull_shape[f] - 1)``
  instead of ``exp(ageing[f] * (age - 50))``, 1 at 50 years as before, with
  the mid-year age since the install year counts fully.  Defaults ``k``: cast
  iron 2.0, steel and asbestos cement 1.8, ductile iron and concrete 1.5, PVC
  and PE 1 (no ageing).  On a log scale the rate rises fastest when the
  main is young and flattens when it is old; the exponential rises evenly.
* Self-excitation decays: ``1 + self_excitation * min(E, excitation_cap)``
  where ``E`` sums the asset's leaks of past years, each weighted ``2 **
  -((year - leak_year - 1) / excitation_half_life)`` (2 years).  A leak
  raises the next year's rate by ``self_excitation`` and the raise halves
  every two years, as a repaired main settles (a discrete Hawkes process),
  instead of lasting for the life of the asset.
* Frailty is per pipe: Gamma with mean 1 and standard deviation
  ``frailty_sigma`` (shape ``1 / frailty_sigma ** 2``: the frailty of
  survival models, e.g. LEYP's unobserved heterogeneity), so neighbours share
  no hidden risk and a pipe's own leaks are the only trace of its frailty.

With the same base rates, the "pipes" world leaks less: about 4-5 leaks per
100 km per year on 4,000-pipe Net6 utilities against 5-7 in "districts"
(younger mains age more gently, and a leak's effect fades).

Dates within a year follow a winter peak: density proportional to
``1 + winter_amplitude * cos(2 pi (day - 15) / 365.25)`` (0.4: January about
2.3 times July, as frost loads and cold water make cast iron crack).

Recording starts on 1 January ``record_start_year`` (left truncation: earlier
leaks happened and count in ``N`` but are not in the records) and is sparse at
first: ``record_completeness`` (0.5, 0.8) are the shares of leaks recorded in
the first two years, as when a utility starts a work-order system.  The truth
(``truth.csv``) is the full intensity, recorded or not.

Defects (``defects=True``, the default, so demos exercise validation): 3 % of
install years and 2 % of diameters blank, 0.5 % of materials "UNK", leaks of
replaced assets kept under the reused pipe ID (dated before the register's
install year), 1 % of leaks on pipe IDs absent from the register (abandoned
mains), 3 % of leaks with a blank pipe ID but x, y (to be snapped), and five
unparseable dates.  Every leak has x, y: a point on its pipe with 2 m of GPS
noise.  With ``defects=False`` the files are clean.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.schema import Network
from leakopt.synth.city import procedural_layout
from leakopt.synth.config import SynthConfig
from leakopt.synth.hazard import initial_assets, leak_rows, simulate, static_hazard
from leakopt.synth.layout import Layout, choose_layout, wntr_layout
from leakopt.synth.tables import BAD_DATES, FAMILIES, RAW_CODES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SynthUtility:
    """A synthetic utility: what ``leakopt synth`` writes, plus hidden truth.

    Attributes
    ----------
    network : Network
        Nodes and pipes as frames (``inp_path`` None until written).
    inp_text : str
        The EPANET ``network.inp``.
    pipes : DataFrame
        The register as a utility gives it: ``pipe_id``, ``material`` (raw
        code), ``diameter_mm`` and ``install_year`` (nullable Int64), ``length_m``,
        ``district``.
    leaks : DataFrame
        ``leak_id``, ``pipe_id`` (may be blank), ``date`` (ISO text, may be
        unparseable with defects), ``type``, ``x``, ``y``.
    truth : DataFrame
        Long format ``pipe_id``, ``year``, ``expected_leaks``: the intensity the
        simulation used, for ``record_start_year..end_year`` and years at or
        after the pipe's (register) install year.
    assets : DataFrame
        Hidden attributes per pipe: ``pipe_id``, ``material_family``,
        ``install_year`` (true), ``diameter_mm`` (true), ``pressure_m``,
        ``frailty``, ``renewed`` (bool), ``leaks_before_record``.
    config : SynthConfig
    seed : int
    """

    network: Network
    inp_text: str
    pipes: pd.DataFrame
    leaks: pd.DataFrame
    truth: pd.DataFrame
    assets: pd.DataFrame
    config: SynthConfig
    seed: int


# ----------------------------------------------------------------------------- register, truth, defects

def _raw_codes(family: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Utility-style material codes (English codes, some French names) for family indices."""
    out = np.empty(len(family), dtype=object)
    u = rng.random(len(family))
    for k, name in enumerate(FAMILIES):
        codes, p = RAW_CODES[name]
        sel = family == k
        out[sel] = np.array(codes, dtype=object)[np.searchsorted(np.cumsum(p), u[sel] * sum(p))]
    return out


def _truth(pipe_id: np.ndarray, sim: dict) -> pd.DataFrame:
    """Long-format expected leaks of the register's assets in the recorded years."""
    years = sim["years"]
    live = years[None, :] >= sim["install_year"][:, None]
    pipe, col = np.nonzero(live)
    return pd.DataFrame({"pipe_id": pipe_id[pipe], "year": years[col],
                         "expected_leaks": sim["rate"][pipe, col]})


def _register(pipe_id, links: pd.DataFrame, sim: dict, district: np.ndarray, cfg: SynthConfig,
              rng: np.random.Generator) -> pd.DataFrame:
    n = len(pipe_id)
    material = _raw_codes(sim["family"], rng)
    year = pd.array(sim["install_year"], dtype="Int64")
    diameter = pd.array(np.round(links["diameter_mm"].to_numpy()).astype(np.int64), dtype="Int64")
    if cfg.defects:
        material[rng.random(n) < 0.005] = "UNK"
        year[rng.random(n) < 0.03] = pd.NA
        diameter[rng.random(n) < 0.02] = pd.NA
    width = len(str(int(district.max()) + 1))
    return pd.DataFrame({
        "pipe_id": pipe_id, "material": pd.array(material, dtype="str"), "diameter_mm": diameter,
        "install_year": year, "length_m": np.round(links["length_m"].to_numpy(), 1),
        "district": pd.array("D" + pd.Series(district + 1).astype(str).str.zfill(width), dtype="str"),
    })


def _leak_records(rows: pd.DataFrame, pipe_id: np.ndarray, cfg: SynthConfig,
                  rng: np.random.Generator) -> pd.DataFrame:
    """The leak file: clean, or with the defects of real records (module docstring)."""
    if not cfg.defects:
        rows = rows[rows["current"]]
    n = len(rows)
    pid = pipe_id[rows["pipe"].to_numpy()].astype(object)
    date = pd.Series(rows["date"].to_numpy()).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    if cfg.defects and n:
        u = rng.random(n)
        pid[u < 0.01] = np.char.add(pid[u < 0.01].astype(str), "-ABN").astype(object)
        pid[(u >= 0.01) & (u < 0.04)] = ""
        bad = rng.choice(n, min(len(BAD_DATES), n), replace=False)
        date[bad] = np.array(BAD_DATES[: len(bad)], dtype=object)
    width = len(str(max(n, 1)))
    return pd.DataFrame({
        "leak_id": pd.array("L" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width), dtype="str"),
        "pipe_id": pd.array(pid, dtype="str"), "date": pd.array(date, dtype="str"),
        "type": pd.array(rows["type"].to_numpy(), dtype="str"),
        "x": rows["x"].to_numpy(), "y": rows["y"].to_numpy(),
    })


# ----------------------------------------------------------------------------- public API

def synthesize(n_pipes: int, *, seed: int = 0, config: SynthConfig | None = None,
               progress=None) -> SynthUtility:
    """Build a synthetic utility of exactly ``n_pipes`` pipes.

    Parameters
    ----------
    n_pipes : int
        Number of pipes (at least 20).
    seed : int
        Seed of every random draw: the same seed and config give identical frames.
    config : SynthConfig, optional
        Defaults make the shipped sample (Net6 layout at 4,000 pipes, 2006-2025, defects).
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`): layout, assets, the simulated years,
        records.

    Returns
    -------
    SynthUtility
    """
    import shapely

    cfg = config or SynthConfig()
    if isinstance(n_pipes, bool) or not isinstance(n_pipes, (int, np.integer)) or n_pipes < 20:
        raise InputError(f"n_pipes must be an integer >= 20; got {n_pipes!r}",
                         fr=f"n_pipes doit être un entier >= 20 ; reçu {n_pipes!r}")
    rng = np.random.default_rng(seed)
    layout = build_layout(int(n_pipes), layout=cfg.layout, rng=rng, progress=progress)
    links = layout.links
    mid = shapely.get_coordinates(shapely.line_interpolate_point(layout.geometry, 0.5, normalized=True))
    diameter = links["diameter_mm"].to_numpy()
    assets = initial_assets(mid[:, 0], mid[:, 1], diameter, cfg, rng)
    if progress:
        progress("assets laid", 1, 3)
    static = static_hazard(links["length_m"].to_numpy(), links["pressure_m"].to_numpy(),
                            assets["frailty"].to_numpy(), cfg)
    sim = simulate(assets, static, diameter, cfg, rng, progress)
    pipe_id = links["pipe_id"].to_numpy(dtype=object)
    scale = float(np.median(shapely.length(layout.geometry) / links["length_m"].to_numpy()))
    rows = leak_rows(sim, layout.geometry, scale, cfg, rng)
    if progress:
        progress("leaks recorded", 2, 3)
    pipes = _register(pipe_id, links, sim, assets["district"].to_numpy(), cfg, rng)
    leaks = _leak_records(rows, pipe_id, cfg, rng)
    truth = _truth(pipe_id, sim)
    hidden = pd.DataFrame({
        "pipe_id": pipes["pipe_id"], "material_family": np.array(FAMILIES)[sim["family"]],
        "install_year": sim["install_year"], "diameter_mm": diameter,
        "pressure_m": links["pressure_m"].to_numpy(), "frailty": assets["frailty"].to_numpy(),
        "renewed": sim["renewed"], "leaks_before_record": sim["before"],
    })
    net_links = links[["pipe_id", "start_node", "end_node", "length_m", "diameter_mm", "roughness"]].assign(
        geometry=layout.geometry)
    network = Network(nodes=layout.nodes.copy(), links=net_links)
    if progress:
        progress(f"synthetic utility of {n_pipes} pipes and {len(leaks)} leaks", 3, 3)
    return SynthUtility(network=network, inp_text=layout.inp_text, pipes=pipes, leaks=leaks, truth=truth,
                        assets=hidden, config=cfg, seed=seed)


def write_synth(synth: SynthUtility, out_dir) -> dict[str, Path]:
    """Write ``network.inp``, ``pipes.csv``, ``leaks.csv`` and ``truth.csv`` into ``out_dir``.

    Returns the paths by role ("network", "pipes", "leaks", "truth").  Files are
    byte-identical for the same seed and configuration.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"network": out / "network.inp", "pipes": out / "pipes.csv",
             "leaks": out / "leaks.csv", "truth": out / "truth.csv"}
    paths["network"].write_text(synth.inp_text, encoding="utf-8", newline="\n")
    synth.pipes.to_csv(paths["pipes"], index=False, lineterminator="\n")
    synth.leaks.to_csv(paths["leaks"], index=False, lineterminator="\n")
    _write_truth(synth.truth, paths["truth"])
    return paths


def _write_truth(truth: pd.DataFrame, path: Path) -> None:
    """Truth with 6 significant digits, via pyarrow's CSV writer (fast at 20M rows)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rounded = _round_sig(truth["expected_leaks"].to_numpy(), 6)
    table = pa.table({"pipe_id": pa.array(truth["pipe_id"].to_numpy(dtype=object), pa.string()),
                      "year": pa.array(truth["year"].to_numpy(), pa.int64()),
                      "expected_leaks": pa.array(rounded, pa.float64())})
    with open(path, "wb") as fh:
        fh.write(b"pipe_id,year,expected_leaks\n")
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def _round_sig(x: np.ndarray, digits: int) -> np.ndarray:
    mag = np.floor(np.log10(np.where(x > 0, x, 1.0)))
    factor = 10.0 ** (digits - 1 - mag)
    return np.where(x > 0, np.round(x * factor) / factor, 0.0)


def true_rate(truth: pd.DataFrame, years) -> pd.Series:
    """Expected leaks per pipe summed over ``years`` (pipes with no row in them get 0).

    Parameters
    ----------
    truth : DataFrame
        ``pipe_id``, ``year``, ``expected_leaks`` (``SynthUtility.truth`` or ``truth.csv``).
    years : iterable of int
    """
    missing = {"pipe_id", "year", "expected_leaks"} - set(truth.columns)
    if missing:
        raise InputError(f"truth frame lacks columns {sorted(missing)}; expected pipe_id, year, expected_leaks",
                         fr=f"il manque à la table des valeurs vraies (truth) les colonnes {sorted(missing)} ; "
                            "colonnes attendues : pipe_id, year, expected_leaks")
    years = list(years)
    pid = truth["pipe_id"].astype(str)
    sel = truth["year"].isin(years)
    out = truth.loc[sel, "expected_leaks"].groupby(pid[sel]).sum()
    return out.reindex(pd.unique(pid), fill_value=0.0).rename("expected_leaks")


def build_layout(n_pipes: int, *, layout: str = "auto", rng: np.random.Generator,
                 progress=None) -> Layout:
    """Build a layout of exactly ``n_pipes`` pipes (see the module docstring)."""
    name = choose_layout(n_pipes, layout)
    if name == "procedural":

        return procedural_layout(n_pipes, rng=rng, progress=progress)
    return wntr_layout(name, n_pipes, rng=rng)

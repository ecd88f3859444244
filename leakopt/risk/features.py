"""The pipe-year panel: what the risk model learns from and scores with.

Time convention
---------------
Features of a row are computed *as of* a reference instant ``t0`` from leaks
strictly before it, never after.  Times are fractional years
(``2019.0`` is 1 January 2019 00:00).

* Panel (training) rows: one per pipe and calendar year ``y`` from
  ``start_year`` (default: ``utility.first_record_year``) to ``end_year``
  (default: the last *complete* year before ``utility.as_of``, i.e.
  ``as_of.year - 1``), for pipes installed in or before ``y``.  ``t0 = y``
  (1 January) and the target is the number of leaks during year ``y``.
* Scoring rows (:func:`features_at`): one per pipe installed by the as-of
  date, with ``t0`` = the as-of date itself (which need not be 1 January):
  "last 1 year" then means the 12 months before the as-of date.  A row of
  the panel for year ``y`` and ``features_at(..., as_of=1 Jan y)`` are equal.

Leaks dated before their pipe's install year (a predecessor pipe at the same
ID) are never counted, neither in features nor in targets.

Panel columns
-------------
``pipe_id``, ``year``, ``t0``, ``leaks`` (target, panel only), ``length_km``,
then the model features :data:`BASE_FEATURES` (plus neighbour, hydraulic and
extra columns when available).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError
from leakopt.i18n import fmt_printed_date, in_french
from leakopt.io import metres_per_unit
from leakopt.validate import detect_first_record_year, no_complete_year_error

log = logging.getLogger(__name__)

#: Value of ``years_since_last_leak`` for pipes with no leak yet.
NO_LEAK_YEARS = 100.0
#: History windows (years) of the ``prev_leaks_<k>y`` features.
WINDOWS = (1, 3, 5)
#: Spatial neighbour radius (m) when no topology is known.
NEIGHBOUR_DISTANCE_M = 150.0

HISTORY_FEATURES = ("prev_leaks", "prev_leaks_1y", "prev_leaks_3y", "prev_leaks_5y",
                    "years_since_last_leak", "prev_leaks_per_km", "prev_rate_per_km_year")
ASSET_FEATURES = ("age", "material", "diameter_mm", "log_length", "install_year",
                  "install_decade", "observed_years", "diameter_imputed", "install_year_imputed")
#: Hops (graph) or radius multiple (spatial) of the wider "area" neighbourhood.
AREA_HOPS = 3
NEIGHBOUR_FEATURES = ("nb_leaks", "nb_leaks_5y", "nb_leaks_per_km_5y", "area_leaks_per_km",
                      "area_leaks_per_km_5y")
BASE_FEATURES = ASSET_FEATURES + HISTORY_FEATURES


def year_fraction(dates) -> np.ndarray:
    """Dates as fractional years (1 January 2019 00:00 -> 2019.0)."""
    d = pd.DatetimeIndex(pd.to_datetime(dates))
    days = np.where(d.is_leap_year, 366.0, 365.0)
    return (d.year + (d.dayofyear - 1 + (d.hour * 3600 + d.minute * 60 + d.second) / 86400.0) / days
            ).to_numpy(dtype=float)


def usable_leaks(utility: S.Utility) -> pd.DataFrame:
    """Leaks on known pipes, before the as-of date and not before the pipe's install year.

    Adds ``pipe_idx`` (row of ``utility.pipes``) and ``t`` (fractional year).
    """
    pos, t, keep = _usable(utility)
    return pd.DataFrame({"pipe_idx": pos[keep], "t": t[keep]})


def usable_leak_records(utility: S.Utility) -> pd.DataFrame:
    """The leak records :func:`usable_leaks` counts, as rows of ``utility.leaks``, oldest first.

    Each pipe's leak history as the features and the explanations see it
    ("3 leaks since 2019"): ``leak_id``, ``pipe_id`` (given, or snapped from
    x, y), ``date``, ``date_precision`` when the leaks have it ("year": the file
    gave only the year, read as 1 January), ``snap_distance_m`` (NaN when
    matched by pipe ID).
    """
    keep = _usable(utility)[2]
    cols = [S.LEAK_ID, S.PIPE_ID, S.DATE, *([S.DATE_PRECISION] if S.DATE_PRECISION in utility.leaks else []),
            S.SNAP_DISTANCE]
    return utility.leaks.loc[keep, cols].sort_values(S.DATE, kind="stable", ignore_index=True)


def _usable(utility: S.Utility) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pipe row and fractional year of every leak, and which leaks are usable."""
    pipes, leaks = utility.pipes, utility.leaks
    idx = pd.Index(pipes[S.PIPE_ID].astype(str))
    pos = idx.get_indexer(leaks[S.PIPE_ID].astype(str)) if len(leaks) else np.array([], dtype=int)
    t = year_fraction(leaks[S.DATE]) if len(leaks) else np.array([], dtype=float)
    keep = pos >= 0
    install = pipes[S.INSTALL_YEAR].to_numpy(dtype=float)
    keep &= np.where(keep, np.floor(t) >= install[np.maximum(pos, 0)], False)
    keep &= t < year_fraction([utility.as_of])[0]
    dropped = int((~keep).sum())
    if dropped:
        log.info("%d leak(s) left out of features: unknown pipe, before install year or after as-of", dropped,
                 extra=in_french("%d fuite(s) écartée(s) des variables : conduite inconnue, antérieure à l’année "
                                 "de pose ou postérieure à la date de prévision"))
    return pos, t, keep


def neighbour_matrix(utility: S.Utility, *, distance_m: float = NEIGHBOUR_DISTANCE_M, hops: int = 1):
    """Sparse 0/1 pipe-by-pipe adjacency (no self loops), or None if unknown.

    Graph neighbours (pipes within ``hops`` shared start/end nodes) when the
    pipes give the topology; otherwise pipes whose midpoints lie within
    ``hops * distance_m`` (x, y in metres; longitude/latitude are projected locally).
    """
    import scipy.sparse as sp

    pipes = utility.pipes
    n = len(pipes)
    if S.START_NODE in pipes and S.END_NODE in pipes and pipes[S.START_NODE].notna().any():
        nodes = pd.concat([pipes[S.START_NODE], pipes[S.END_NODE]]).astype(str)
        codes, _ = pd.factorize(nodes)
        valid = pd.concat([pipes[S.START_NODE], pipes[S.END_NODE]]).notna().to_numpy()
        rows = np.tile(np.arange(n), 2)[valid]
        inc = sp.csr_matrix((np.ones(valid.sum()), (rows, codes[valid])), shape=(n, codes.max() + 1))
        adj = (inc @ inc.T).tocsr()
        adj.data[:] = 1.0
        step = adj
        for _ in range(int(hops) - 1):
            adj = (adj @ step).tocsr()
            adj.data[:] = 1.0
    elif S.X in pipes and S.Y in pipes and pipes[S.X].notna().sum() > 1:
        adj = _spatial_adjacency(pipes, utility.crs, distance_m * int(hops))
    else:
        return None
    adj.setdiag(0)
    adj.eliminate_zeros()
    adj.data[:] = 1.0
    return adj


def _spatial_adjacency(pipes: pd.DataFrame, crs: str | None, distance_m: float):
    import scipy.sparse as sp
    from scipy.spatial import cKDTree

    x = pipes[S.X].to_numpy(dtype=float)
    y = pipes[S.Y].to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if _looks_geographic(x[ok], y[ok], crs):
        lat0 = np.deg2rad(np.nanmean(y[ok]))
        x, y = x * 111_320.0 * np.cos(lat0), y * 110_540.0
    else:       # a projected CRS in feet (US state planes): the distance is in metres all the same
        f = metres_per_unit(crs) or 1.0
        x, y = x * f, y * f
    where = np.flatnonzero(ok)
    tree = cKDTree(np.column_stack([x[ok], y[ok]]))
    pairs = tree.query_pairs(distance_m, output_type="ndarray")
    i, j = where[pairs[:, 0]], where[pairs[:, 1]]
    n = len(pipes)
    return sp.csr_matrix((np.ones(2 * len(i)), (np.r_[i, j], np.r_[j, i])), shape=(n, n))


def _looks_geographic(x: np.ndarray, y: np.ndarray, crs: str | None) -> bool:
    if crs:
        try:
            from pyproj import CRS
            return bool(CRS.from_user_input(crs).is_geographic)
        except Exception:  # unknown CRS string: fall back on the coordinate ranges
            pass
    return bool(len(x)) and np.abs(x).max() <= 180 and np.abs(y).max() <= 90 and np.ptp(x) < 5


def _start_year(utility: S.Utility, leaks: pd.DataFrame) -> int:
    if utility.first_record_year is not None:
        return int(utility.first_record_year)
    if len(leaks):
        return int(detect_first_record_year(np.floor(leaks["t"]).astype(int), last_year=int(utility.as_of.year) - 1))
    return int(utility.as_of.year) - 1


def _asset_block(pipes: pd.DataFrame, first_year: int, extra: Sequence[str]) -> dict[str, np.ndarray]:
    """Per-pipe features that do not depend on the reference time."""
    length_km = pipes[S.LENGTH].to_numpy(dtype=float) / 1000.0
    install = pipes[S.INSTALL_YEAR].to_numpy(dtype=float)
    out = {
        "material": pd.Categorical(pipes[S.MATERIAL].astype(str), categories=S.MATERIAL_FAMILIES),
        "diameter_mm": pipes[S.DIAMETER].to_numpy(dtype=float),
        "log_length": np.log(np.maximum(length_km, 1e-4)),
        "install_year": install,
        "install_decade": np.floor(install / 10.0) * 10.0,
        "diameter_imputed": _flag(pipes, S.DIAMETER_IMPUTED),
        "install_year_imputed": _flag(pipes, S.INSTALL_YEAR_IMPUTED),
        "length_km": length_km,
        "_obs_start": np.maximum(install, first_year),
    }
    check_extra_features(pipes, extra)
    for col in extra:
        v = pipes[col]
        out[col] = (v.to_numpy(dtype=float) if pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v)
                    else pd.Categorical(v.astype(str)))
    return out


def check_extra_features(pipes: pd.DataFrame, extra: Sequence[str]) -> None:
    """Raise InputError when a ``[risk] extra_features`` column is not in the register."""
    for col in extra:
        if col not in pipes:
            available = sorted(map(str, pipes.columns))
            raise InputError(f"extra feature column {col!r} is not in the pipes register; "
                             f"columns available: {available}",
                             fr=f"la colonne {col!r}, demandée comme variable supplémentaire, n’est pas dans "
                                f"l’inventaire des conduites ; colonnes disponibles : {available}")


def _flag(pipes: pd.DataFrame, col: str) -> np.ndarray:
    if col not in pipes:
        return np.zeros(len(pipes))
    return pipes[col].fillna(False).astype(bool).to_numpy(dtype=float)


def _history_at(n: int, leaks: pd.DataFrame, t0: float, adj) -> dict[str, np.ndarray]:
    """Leak-history features of every pipe at one instant ``t0`` (scoring)."""
    past = leaks[leaks["t"] < t0]
    p, t = past["pipe_idx"].to_numpy(), past["t"].to_numpy()
    out = {"prev_leaks": np.bincount(p, minlength=n).astype(float)}
    for k in WINDOWS:
        out[f"prev_leaks_{k}y"] = np.bincount(p[t >= t0 - k], minlength=n).astype(float)
    last = np.full(n, -np.inf)
    np.maximum.at(last, p, t)
    out["_last"] = last
    first = np.full(n, np.inf)
    np.minimum.at(first, p, t)
    out["_first"] = first
    for key, a in adj.items():
        out[f"{key}_leaks"] = a @ out["prev_leaks"]
        out[f"{key}_leaks_5y"] = a @ out["prev_leaks_5y"]
    return out


def _derived(cols: dict, t0: np.ndarray, adj_len: dict) -> None:
    """Features derived from the asset and history blocks (in place on ``cols``)."""
    cols["age"] = t0 - cols["install_year"]
    cols["observed_years"] = np.maximum(t0 - cols["_obs_start"], 0.0)
    since = t0 - cols.pop("_last")
    cols["years_since_last_leak"] = np.where(np.isfinite(since), since, NO_LEAK_YEARS)
    km = np.maximum(cols["length_km"], 0.01)
    cols["prev_leaks_per_km"] = cols["prev_leaks"] / km
    cols["prev_rate_per_km_year"] = cols["prev_leaks"] / (km * np.maximum(cols["observed_years"], 1.0))
    for key, km_near in adj_len.items():
        cols[f"{key}_leaks_per_km_5y"] = cols[f"{key}_leaks_5y"] / np.maximum(km_near, 0.05)
        if key == "area":
            cols["area_leaks_per_km"] = cols.pop("area_leaks") / np.maximum(km_near, 0.05)
            cols.pop("area_leaks_5y")


def _static_block(utility: S.Utility, leaks: pd.DataFrame, extra: Sequence[str],
                  hydraulics: pd.DataFrame | None, neighbour_distance_m: float):
    first_year = _start_year(utility, leaks)
    cols = _asset_block(utility.pipes, first_year, extra)
    if hydraulics is not None:
        cols.update(_hydraulic_block(utility.pipes, hydraulics))
    adj = {key: neighbour_matrix(utility, distance_m=neighbour_distance_m, hops=hops)
           for key, hops in (("nb", 1), ("area", AREA_HOPS))}
    adj = {k: a for k, a in adj.items() if a is not None}
    return first_year, cols, adj


def _neighbour_length(adj: dict, length_km: np.ndarray, install: np.ndarray, years: np.ndarray) -> dict:
    """km of neighbouring pipes already installed in each year (pipe x year), per neighbourhood."""
    laid = length_km[:, None] * (install[:, None] <= years[None, :])
    return {k: np.asarray(a @ laid) for k, a in adj.items()}


def _hydraulic_block(pipes: pd.DataFrame, hydraulics: pd.DataFrame) -> dict[str, np.ndarray]:
    h = hydraulics.reset_index() if S.PIPE_ID not in hydraulics else hydraulics
    if S.PIPE_ID not in h:
        raise InputError("hydraulics frame needs a 'pipe_id' column or index; got columns "
                         f"{list(map(str, h.columns))}",
                         fr="la table des variables hydrauliques doit avoir une colonne ou un index 'pipe_id' ; "
                            f"colonnes reçues : {list(map(str, h.columns))}")
    h = h.assign(**{S.PIPE_ID: h[S.PIPE_ID].astype(str)}).set_index(S.PIPE_ID)
    h = h.reindex(pipes[S.PIPE_ID].astype(str))
    return {c: h[c].to_numpy(dtype=float) for c in h.columns if pd.api.types.is_numeric_dtype(h[c])}


def _frame(pipes: pd.DataFrame, rows: np.ndarray, years: np.ndarray, cols: dict) -> pd.DataFrame:
    data = {S.PIPE_ID: pipes[S.PIPE_ID].astype(str).to_numpy()[rows], "year": years.astype(int)}
    for name, v in cols.items():
        if name.startswith("_"):
            continue
        if isinstance(v, pd.Categorical):
            data[name] = pd.Categorical.from_codes(v.codes[rows], categories=v.categories)
        else:
            data[name] = np.asarray(v)[rows] if len(v) == len(pipes) else v
    return pd.DataFrame(data)


def build_panel(utility: S.Utility, *, start_year: int | None = None, end_year: int | None = None,
                extra_features: Sequence[str] = (), hydraulics: pd.DataFrame | None = None,
                neighbour_distance_m: float = NEIGHBOUR_DISTANCE_M) -> pd.DataFrame:
    """One row per pipe per year of recorded history, with features as of 1 January.

    Parameters
    ----------
    utility : Utility
        Validated inputs; only leaks before ``utility.as_of`` are used.
    start_year, end_year : int, optional
        First and last panel year; default ``utility.first_record_year``
        (detected from the leak counts when None) and ``as_of.year - 1``
        (the last complete year before the as-of date).
    extra_features : sequence of str
        Register columns to add as model covariates (only those listed).
    hydraulics : DataFrame, optional
        Per-pipe hydraulic context (from :func:`leakopt.risk.hydraulics.hydraulic_features`).
    neighbour_distance_m : float
        Spatial neighbour radius when no topology is known.

    Returns
    -------
    DataFrame
        ``pipe_id``, ``year``, ``t0``, ``leaks`` (target: leaks during
        ``year``), ``length_km`` and the features (see the module docstring).
        Rows only for pipes installed in or before ``year``.
    """
    leaks = usable_leaks(utility)
    first_year, cols, adj = _static_block(utility, leaks, extra_features, hydraulics, neighbour_distance_m)
    start = first_year if start_year is None else int(start_year)
    end = int(utility.as_of.year) - 1 if end_year is None else int(end_year)
    if end < start and start_year is None and end_year is None:
        where = (utility.sources or {}).get("leaks") or "the leak history"
        exc = no_complete_year_error(utility.leaks, utility.as_of, start, str(where))
        if exc is not None:
            raise exc
    if end < start:
        raise InputError(f"panel years: end_year {end} is before start_year {start}; the leak history "
                         f"before as-of {utility.as_of.date()} holds no complete recorded year",
                         fr=f"années du panel : end_year {end} précède start_year {start} ; l’historique des fuites "
                            f"avant la date de prévision ({fmt_printed_date(utility.as_of, 'fr')}) ne contient "
                            "aucune année complète enregistrée")
    n = len(utility.pipes)
    lo = int(min(start, np.floor(leaks["t"].min()) if len(leaks) else start))
    years = np.arange(start, end + 1)
    hist, target = _history_matrix(n, leaks, lo, years, adj)
    install = cols["install_year"]
    rows, ycol = np.nonzero(install[:, None] <= years[None, :])
    t0 = years[ycol].astype(float)
    data = {k: v for k, v in cols.items()}
    data.update({k: v[rows, ycol] for k, v in hist.items()})
    data = {k: (v[rows] if isinstance(v, np.ndarray) and v.shape == (n,) else v) for k, v in data.items()}
    data = {k: (_take_cat(v, rows) if isinstance(v, pd.Categorical) else v) for k, v in data.items()}
    adj_len = _neighbour_length(adj, cols["length_km"], install, years)
    _derived(data, t0, {k: v[rows, ycol] for k, v in adj_len.items()})
    panel = pd.DataFrame({S.PIPE_ID: utility.pipes[S.PIPE_ID].astype(str).to_numpy()[rows],
                          "year": years[ycol], "t0": t0, "leaks": target[rows, ycol],
                          **{k: v for k, v in data.items() if not k.startswith("_")}})
    log.info("panel: %d rows (%d pipes x years %d-%d), %d target leaks",
             len(panel), n, start, end, int(panel["leaks"].sum()),
             extra=in_french("panel : %d lignes (%d conduites x années %s-%s), %d fuites cibles"))
    return panel


def _take_cat(v: pd.Categorical, rows: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(v.codes[rows], categories=v.categories)


def _history_matrix(n: int, leaks: pd.DataFrame, lo: int, years: np.ndarray, adj):
    """Pipe x year history matrices as of 1 January of each panel year, and targets."""
    width = int(years[-1]) - lo + 1
    p = leaks["pipe_idx"].to_numpy()
    t = leaks["t"].to_numpy()
    col = np.floor(t).astype(int) - lo
    inside = (col >= 0) & (col < width)
    counts = np.zeros((n, width))
    np.add.at(counts, (p[inside], col[inside]), 1.0)
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(counts, axis=1)], axis=1)  # cum[:, j]: before lo+j
    last = np.full((n, width), -np.inf)
    np.maximum.at(last, (p[inside], col[inside]), t[inside])
    last = np.concatenate([np.full((n, 1), -np.inf), np.maximum.accumulate(last, axis=1)], axis=1)
    j = years - lo
    hist = {"prev_leaks": cum[:, j], "_last": last[:, j]}
    for k in WINDOWS:
        hist[f"prev_leaks_{k}y"] = cum[:, j] - cum[:, np.maximum(j - k, 0)]
    for key, a in adj.items():
        hist[f"{key}_leaks"] = np.asarray(a @ hist["prev_leaks"])
        hist[f"{key}_leaks_5y"] = np.asarray(a @ hist["prev_leaks_5y"])
    return hist, counts[:, j]


def features_at(utility: S.Utility, when=None, *, extra_features: Sequence[str] = (),
                hydraulics: pd.DataFrame | None = None,
                neighbour_distance_m: float = NEIGHBOUR_DISTANCE_M) -> pd.DataFrame:
    """Features of every pipe installed by ``when``, from the leaks strictly before it.

    Parameters
    ----------
    utility : Utility
    when : int, date or None
        An integer year means 1 January of that year; a date is used as is;
        None means ``utility.as_of``.  Must not be after ``utility.as_of``.

    Returns
    -------
    DataFrame
        The panel's columns except the target ``leaks``, one row per pipe with
        ``install_year <= year(when)``, in register order.
    """
    ts = pd.Timestamp(year=int(when), month=1, day=1) if isinstance(when, (int, np.integer)) else (
        pd.Timestamp(utility.as_of) if when is None else pd.Timestamp(when))
    if ts > pd.Timestamp(utility.as_of):
        raise InputError(f"features_at: when={ts.date()} is after the as-of date {utility.as_of.date()}; "
                         "features can only use leaks known at the as-of date",
                         fr=f"features_at : when={ts.date()} est postérieur à la date de prévision "
                            f"({fmt_printed_date(utility.as_of, 'fr')}) ; les variables ne peuvent utiliser que les "
                            "fuites connues à la date de prévision")
    leaks = usable_leaks(utility)
    first_year, cols, adj = _static_block(utility, leaks, extra_features, hydraulics, neighbour_distance_m)
    t0 = float(year_fraction([ts])[0])
    n = len(utility.pipes)
    cols.update(_history_at(n, leaks, t0, adj))
    cols.pop("_first", None)
    adj_len = _neighbour_length(adj, cols["length_km"], cols["install_year"], np.array([ts.year]))
    _derived(cols, np.full(n, t0), {k: v[:, 0] for k, v in adj_len.items()})
    rows = np.flatnonzero(cols["install_year"] <= ts.year)
    out = _frame(utility.pipes, rows, np.full(len(rows), ts.year), cols)
    out.insert(2, "t0", t0)
    return out


def feature_columns(frame: pd.DataFrame) -> list[str]:
    """The model feature columns of a panel or scoring frame (all but ids, time, target, length)."""
    return [c for c in frame.columns if c not in (S.PIPE_ID, "year", "t0", "leaks", "length_km")]

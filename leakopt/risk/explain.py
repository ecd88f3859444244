"""Plain-language explanations of risk scores, in English and French.

LightGBM's per-prediction contributions (``pred_contrib``, SHAP values on the
log-rate scale) are summed into factor groups (leak history, material and
age, diameter, length, neighbours, pressure, velocity, each extra column);
the two or three groups that raise a pipe's risk the most are written with
the pipe's own values: "3 leaks since 2019 (last in 2023)", "grey cast iron
laid in 1952", "small diameter (80 mm)" / "3 fuites depuis 2019 (dernière en
2023)", "fonte grise posée en 1952", "petit diamètre (80 mm)".
Texts are built column by column (one vectorised pass per factor group).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.i18n import singular

#: Material family -> (English, French, French gender "f"/"m").
MATERIAL_NAMES = {
    "cast_iron": ("grey cast iron", "fonte grise", "f"),
    "ductile_iron": ("ductile iron", "fonte ductile", "f"),
    "steel": ("steel", "acier", "m"),
    "pvc": ("PVC", "PVC", "m"),
    "pe": ("polyethylene", "polyéthylène", "m"),
    "asbestos_cement": ("asbestos cement", "amiante-ciment", "m"),
    "concrete": ("concrete", "béton", "m"),
    "copper": ("copper", "cuivre", "m"),
    "lead": ("lead", "plomb", "m"),
    "other": ("pipe of another material", "conduite d'un autre matériau", "f"),
    "unknown": ("pipe of unknown material", "conduite de matériau inconnu", "f"),
}

HISTORY = ("prev_leaks", "prev_leaks_1y", "prev_leaks_3y", "prev_leaks_5y", "years_since_last_leak",
           "prev_leaks_per_km", "prev_rate_per_km_year", "observed_years")
MATERIAL_AGE = ("material", "age", "install_year", "install_decade", "install_year_imputed")
GROUPS = {
    "history": HISTORY, "material_age": MATERIAL_AGE, "diameter": ("diameter_mm", "diameter_imputed"),
    "length": ("log_length",), "neighbours": ("nb_leaks", "nb_leaks_5y", "nb_leaks_per_km_5y"),
    "area": ("area_leaks_per_km", "area_leaks_per_km_5y"),
    "pressure": ("pressure_mean_m", "pressure_max_m"), "pressure_range": ("pressure_range_m",),
    "velocity": ("velocity_mean_ms", "velocity_max_ms"),
}


def _s(values) -> pd.Series:
    return pd.Series(np.asarray(values), dtype="str")


def _num(values, fmt: str, fr: bool = False) -> pd.Series:
    s = pd.Series(np.asarray(values, dtype=float)).map(fmt.format).astype("str")
    return s.str.replace(".", ",", regex=False) if fr else s


def _year(values) -> pd.Series:
    v = np.asarray(values, dtype=float)
    return pd.Series(np.where(np.isfinite(v), v, 0).astype(int)).astype("str")


def _history(f: pd.DataFrame, first: np.ndarray, last: np.ndarray):
    n = f["prev_leaks"].to_numpy()
    cnt, y0, y1 = _year(n), _year(first), _year(last)
    one = n == 1
    en = np.where(one, "1 leak in " + y0, cnt + " leaks since " + y0 + " (last in " + y1 + ")")
    fr = np.where(one, "1 fuite en " + y0, cnt + " fuites depuis " + y0 + " (dernière en " + y1 + ")")
    return np.where(n > 0, en, ""), np.where(n > 0, fr, "")


def _material_age(f: pd.DataFrame):
    mat = f["material"].astype("str").to_numpy()
    names = {k: v for k, v in MATERIAL_NAMES.items()}
    en_m = _s([names.get(m, (m, m, "m"))[0] for m in pd.unique(mat)])
    lookup_en = dict(zip(pd.unique(mat), en_m))
    lookup_fr = {m: names.get(m, (m, m, "m"))[1] for m in pd.unique(mat)}
    fem = pd.Series(mat).map(lambda m: names.get(m, (m, m, "m"))[2] == "f").to_numpy()
    m_en = pd.Series(mat).map(lookup_en).astype("str")
    m_fr = pd.Series(mat).map(lookup_fr).astype("str")
    yr = _year(f["install_year"])
    imp = f["install_year_imputed"].to_numpy() > 0 if "install_year_imputed" in f else np.zeros(len(f), bool)
    posee = pd.Series(np.where(fem, " posée", " posé"), dtype="str")
    en = np.where(imp, m_en + " laid around " + yr + " (estimated year)", m_en + " laid in " + yr)
    fr = np.where(imp, m_fr + posee + " vers " + yr + " (année estimée)", m_fr + posee + " en " + yr)
    return en, fr


def _diameter(f: pd.DataFrame):
    d = f["diameter_mm"].to_numpy(dtype=float)
    ds = _num(d, "{:.0f}")
    imp = f["diameter_imputed"].to_numpy() > 0 if "diameter_imputed" in f else np.zeros(len(f), bool)
    est_en = pd.Series(np.where(imp, ", estimated", ""), dtype="str")
    est_fr = pd.Series(np.where(imp, ", estimé", ""), dtype="str")
    en = np.select([d <= 150, d >= 400], ["small diameter (" + ds + " mm" + est_en + ")",
                                          "large diameter (" + ds + " mm" + est_en + ")"],
                   "diameter " + ds + " mm" + est_en)
    fr = np.select([d <= 150, d >= 400], ["petit diamètre (" + ds + " mm" + est_fr + ")",
                                          "gros diamètre (" + ds + " mm" + est_fr + ")"],
                   "diamètre " + ds + " mm" + est_fr)
    return en, fr


def _length(f: pd.DataFrame):
    km = f["length_km"].to_numpy(dtype=float)
    m, k_en, k_fr = _num(km * 1000, "{:.0f}"), _num(km, "{:.1f}"), _num(km, "{:.1f}", fr=True)
    en = np.select([km >= 0.5, km < 0.05], ["long pipe (" + k_en + " km)", "short pipe (" + m + " m)"],
                   "length " + m + " m")
    fr = np.select([km >= 0.5, km < 0.05], ["conduite longue (" + k_fr + " km)", "conduite courte (" + m + " m)"],
                   "longueur " + m + " m")
    return en, fr


def _neighbours(f: pd.DataFrame):
    nb = f["nb_leaks"].to_numpy(dtype=float)
    nb5 = f["nb_leaks_5y"].to_numpy(dtype=float) if "nb_leaks_5y" in f else nb
    a, a5 = _year(nb), _year(nb5)
    many = nb5 >= 3
    one = (a == "1").to_numpy()
    en = np.where(many, "many leaks on neighbouring pipes (" + a5 + " in the last 5 years)",
                  np.where(one, "1 leak on neighbouring pipes", a + " leaks on neighbouring pipes"))
    fr = np.where(many, "nombreuses fuites sur les conduites voisines (" + a5 + " en 5 ans)",
                  np.where(one, "1 fuite sur les conduites voisines", a + " fuites sur les conduites voisines"))
    return np.where(nb > 0, en, ""), np.where(nb > 0, fr, "")


def _area(f: pd.DataFrame):
    col = "area_leaks_per_km_5y" if "area_leaks_per_km_5y" in f else "area_leaks_per_km"
    per_year = f[col].to_numpy(dtype=float) / (5.0 if col.endswith("5y") else 1.0)
    shown = _num(per_year, "{:.2f}")
    written = shown.astype(float)   # the number as written agrees ("1.00 leak", "0,52 fuite", "2,00 fuites")
    leaks_en = np.where(written.map(lambda x: singular(x, "en")), " leak", " leaks")
    leaks_fr = np.where(written.map(lambda x: singular(x, "fr")), " fuite", " fuites")
    en = "leak-prone area (" + shown + leaks_en + " per km per year nearby)"
    fr = "secteur à fuites (" + _num(per_year, "{:.2f}", fr=True) + leaks_fr + " par km et par an alentour)"
    return np.where(per_year > 0, en, ""), np.where(per_year > 0, fr, "")


#: Hydraulic feature groups: (column, fallback column, format, English high/low, French high/low, unit).
_HYDRAULIC = {
    "pressure": ("pressure_max_m", "pressure_mean_m", "{:.0f}", ("high pressure (up to {} m)",
                 "low pressure (up to {} m)"), ("pression élevée (jusqu'à {} m)", "pression basse (jusqu'à {} m)")),
    "pressure_range": ("pressure_range_m", "pressure_range_m", "{:.0f}",
                       ("large pressure swings ({} m a day)", "small pressure swings ({} m a day)"),
                       ("fortes variations de pression ({} m par jour)", "faibles variations de pression "
                        "({} m par jour)")),
    "velocity": ("velocity_max_ms", "velocity_mean_ms", "{:.2f}", ("high flow velocity ({} m/s)",
                 "low flow velocity ({} m/s)"), ("vitesse d'écoulement élevée ({} m/s)",
                                                 "faible vitesse d'écoulement ({} m/s)")),
}


def _fill(template: str, values: pd.Series) -> pd.Series:
    """``template``'s ``{}`` replaced by each of ``values`` (a Series of strings)."""
    head, tail = template.split("{}")
    return head + values + tail


def _hydraulic(f: pd.DataFrame, group: str):
    """High or low against the network's median; unknown for pipes the network model does not hold, or
    for every pipe when there is no network model at all."""
    col, fallback, fmt, (high_en, low_en), (high_fr, low_fr) = _HYDRAULIC[group]
    v = (f[col] if col in f else f[fallback]).to_numpy(dtype=float)
    known = np.isfinite(v)
    high = v >= np.nanmedian(v) if known.any() else np.zeros(len(v), bool)
    ve, vf = _num(v, fmt), _num(v, fmt, fr=True)
    en = np.where(high, _fill(high_en, ve), _fill(low_en, ve))
    fr = np.where(high, _fill(high_fr, vf), _fill(low_fr, vf))
    if not known.any():   # no hydraulics at all (a model trained with a network, scoring a register without)
        return (np.full(len(v), "hydraulics unknown (no network model given)"),
                np.full(len(v), "hydraulique inconnue (aucun modèle de réseau fourni)"))
    return (np.where(known, en, "hydraulics unknown (pipe not in the network model)"),
            np.where(known, fr, "hydraulique inconnue (conduite absente du modèle de réseau)"))


def _extra(f: pd.DataFrame, col: str):
    v = f[col]
    s = _num(v, "{:g}") if pd.api.types.is_numeric_dtype(v) else v.astype("str").reset_index(drop=True)
    return col + " = " + s, col + " = " + s


def _group_texts(f: pd.DataFrame, group: str, first, last):
    if group == "history":
        return _history(f, first, last)
    builders = {"material_age": _material_age, "diameter": _diameter, "length": _length,
                "neighbours": _neighbours, "area": _area}
    if group in builders:
        return builders[group](f)
    if group in ("pressure", "pressure_range", "velocity"):
        return _hydraulic(f, group)
    return _extra(f, group)


def _groups(features: list[str]) -> dict[str, list[str]]:
    out, used = {}, set()
    for g, members in GROUPS.items():
        cols = [c for c in members if c in features]
        if cols:
            out[g] = cols
            used.update(cols)
    for c in features:   # extra register columns: one group each
        if c not in used:
            out[c] = [c]
    return out


def explain(features: pd.DataFrame, contributions: pd.DataFrame, *, leaks: pd.DataFrame,
            pipes: pd.DataFrame, n_factors: int = 3) -> pd.DataFrame:
    """The strongest risk-raising factors of each pipe, in English and French.

    Parameters
    ----------
    features : DataFrame
        Scoring features (:func:`leakopt.risk.features.features_at`).
    contributions : DataFrame
        :meth:`leakopt.risk.RiskModel.contributions` of ``features``.
    leaks : DataFrame
        :func:`leakopt.risk.features.usable_leaks` of the same utility (``pipe_idx``, ``t``).
    pipes : DataFrame
        The utility's pipes (maps ``pipe_idx`` to ``pipe_id``).
    n_factors : int
        At most this many factors per pipe, only those that raise the risk.

    Returns
    -------
    DataFrame
        ``top_factors_en``, ``top_factors_fr``, aligned with ``features`` (same index).
    """
    f = features.reset_index(drop=True)
    pid = pipes[S.PIPE_ID].astype(str).to_numpy()
    ly = pd.DataFrame({S.PIPE_ID: pid[leaks["pipe_idx"].to_numpy()], "y": np.floor(leaks["t"].to_numpy())})
    span = ly.groupby(S.PIPE_ID)["y"].agg(["min", "max"]).reindex(f[S.PIPE_ID].astype(str))
    groups = _groups([c for c in contributions.columns if c != "bias"])
    weight = np.empty((len(f), len(groups)))
    en_cols, fr_cols = [], []
    for k, (g, cols) in enumerate(groups.items()):
        weight[:, k] = contributions[cols].to_numpy().sum(axis=1)
        en, fr = _group_texts(f, g, span["min"].to_numpy(), span["max"].to_numpy())
        en_cols.append(np.asarray(en, dtype=object))
        fr_cols.append(np.asarray(fr, dtype=object))
    en_m, fr_m = np.column_stack(en_cols), np.column_stack(fr_cols)
    en, fr = _strongest(weight, en_m, fr_m, n_factors, sign=1)
    low_en, low_fr = _strongest(weight, en_m, fr_m, 2, sign=-1)
    # a pipe that no factor puts above average is explained by what keeps its risk low
    none = en == ""
    en[none] = np.where(low_en[none] != "", "below-average risk: " + low_en[none].astype(str),
                        "below-average risk: no factor stands out")
    fr[none] = np.where(low_fr[none] != "", "risque inférieur à la moyenne : " + low_fr[none].astype(str),
                        "risque inférieur à la moyenne : aucun facteur ne ressort")
    return pd.DataFrame({"top_factors_en": en, "top_factors_fr": fr}, index=features.index)


def _strongest(weight: np.ndarray, en_m: np.ndarray, fr_m: np.ndarray, n: int, *, sign: int):
    """Texts of the ``n`` largest contributions of the given sign, joined by "; " (French: a no-break space, then "; ")."""
    w = np.where((sign * weight > 0) & (en_m != ""), sign * weight, -np.inf)
    order = np.argsort(-w, axis=1, kind="stable")[:, :n]
    rows = np.arange(len(w))[:, None]
    keep = np.isfinite(w[rows, order])
    return _join(en_m[rows, order], keep, "; "), _join(fr_m[rows, order], keep, "\u00a0; ")


def _join(texts: np.ndarray, keep: np.ndarray, sep: str) -> np.ndarray:
    out = pd.Series(np.where(keep[:, 0], texts[:, 0], ""), dtype="str")
    for j in range(1, texts.shape[1]):
        nxt = pd.Series(np.where(keep[:, j], texts[:, j], ""), dtype="str")
        out = out + pd.Series(np.where(keep[:, j], sep, ""), dtype="str") + nxt
    return out.to_numpy(dtype=object)

"""The literature prior: leak rates from the pipes' material, age and diameter, for a utility with no leak history.

A utility that has kept no leak records (its leak file holds no row) still needs its pipes ranked, as
engineers rank them without data: old grey cast iron and small mains first.  This module writes that
practice down as a formula with published values, so that the ranking is explicit, reproducible and
open to correction, instead of learnt from a history that does not exist.

Rate of a pipe of material family ``f``, age ``a`` years and diameter ``d`` mm, in leaks per km and year::

    rate = base[f] / 100 * exp(ageing[f] * (a - 50)) * (d / 150) ** -diameter_exponent[f]

* ``base``: main breaks per 100 km per year of a 50-year-old DN150 main: grey cast iron 22, steel 13,
  asbestos cement 4, ductile iron 3, concrete 3, PVC 1.6 (Folkman 2018, *Water Main Break Rates in
  the USA and Canada*, Utah State University, a survey of 300 utilities); PE 2; any other or unknown
  material 8, the middle of the 5-15 leaks and breaks per 100 km per year that networks average
  (UKWIR and French ONEMA surveys).  ``[risk] prior_rates`` replaces any of them with the utility's
  own figures (e.g. ``prior_rates = {cast_iron = 40}``).
* ``ageing``: the exponential ageing of Shamir & Howard (1979), per year: 0.02 for grey cast iron,
  steel and asbestos cement (graphitisation, corrosion, leaching), 0.01 for ductile iron and
  concrete, 0 for PVC and PE (Folkman 2018 finds no significant ageing of plastics), 0.015 otherwise.
* ``diameter_exponent``: small mains break more (Kettler & Goulter 1985), brittle grey cast iron far
  more so (beam bending): 1.2 for grey cast iron, 0.8 for the others.

The prior is a ranking rule, not a model of this utility: it knows nothing of its soils, pressures,
workmanship or past repairs, and its expected leaks per year are the survey averages' order of
magnitude, not a forecast.  Every output of a run scored with it says so; a run with leak records,
or a model trained elsewhere (``--model``), replaces it.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from leakopt import schema as S
from leakopt.errors import InputError

#: Family -> main breaks per 100 km per year of a 50-year-old DN150 main (module docstring).
PRIOR_BASE_RATES = {"cast_iron": 22.0, "steel": 13.0, "asbestos_cement": 4.0, "ductile_iron": 3.0,
                    "concrete": 3.0, "pvc": 1.6, "pe": 2.0}
#: Families not listed in the tables: the middle of networks' average rates, a middling ageing.
OTHER_BASE_RATE, OTHER_AGEING = 8.0, 0.015
#: Family -> exponential ageing per year (Shamir & Howard 1979; module docstring).
PRIOR_AGEING = {"cast_iron": 0.02, "steel": 0.02, "asbestos_cement": 0.02, "ductile_iron": 0.01,
                "concrete": 0.01, "pvc": 0.0, "pe": 0.0}
#: Family -> how fast the rate falls with diameter, ``(d / 150) ** -exponent``.
PRIOR_DIAMETER_EXPONENT = {"cast_iron": 1.2}
OTHER_DIAMETER_EXPONENT = 0.8
#: The reference main of the base rates: its age (years) and diameter (mm).
REFERENCE_AGE, REFERENCE_DIAMETER = 50.0, 150.0
#: The features the prior reads; its contributions are over these.
PRIOR_FEATURES = ("material", "age", "diameter_mm")
SOURCE = ("Folkman 2018 (Utah State University survey of North American utilities) for the material rates; "
          "Shamir & Howard 1979 for exponential ageing; Kettler & Goulter 1985 for diameter")


def prior_rates(overrides: dict | None = None) -> dict[str, float]:
    """Family -> base rate per 100 km per year, every family of :data:`leakopt.schema.MATERIAL_FAMILIES`,
    with ``overrides`` (``[risk] prior_rates``) replacing the published values."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(S.MATERIAL_FAMILIES))
    if unknown:
        raise InputError(f"[risk] prior_rates names unknown material families {unknown}; use some of "
                         f"{list(S.MATERIAL_FAMILIES)} (leaks per 100 km per year of a 50-year-old DN150 main)",
                         fr=f"[risk] prior_rates nomme des familles de matériaux inconnues : {unknown} ; choisissez "
                            f"parmi {list(S.MATERIAL_FAMILIES)} (fuites pour 100 km par an d’une conduite "
                            "DN150 de 50 ans)")
    rates = {f: PRIOR_BASE_RATES.get(f, OTHER_BASE_RATE) for f in S.MATERIAL_FAMILIES}
    for family, value in overrides.items():
        try:
            rate = float(value)
        except (TypeError, ValueError):
            rate = math.nan
        if not rate > 0 or not math.isfinite(rate):
            raise InputError(f"[risk] prior_rates.{family} must be a number > 0 (leaks per 100 km per year); "
                             f"got {value!r}",
                             fr=f"[risk] prior_rates.{family} doit être un nombre > 0 (fuites pour 100 km par an) ; "
                                f"valeur reçue : {value!r}")
        rates[family] = rate
    return rates


class PriorModel:
    """The literature prior (module docstring), with the methods of :class:`leakopt.risk.RiskModel` that
    scoring, explaining and the run's records use; nothing is fitted.

    Parameters
    ----------
    rates : dict, optional
        Family -> base rate per 100 km per year replacing the published ones (``[risk] prior_rates``).
    """

    kind = "literature_prior"
    file_name = "prior.json"
    best_iteration = 0
    uses_glm = False
    offset_sample_pipes = 0

    def __init__(self, rates: dict | None = None):
        self.rates = prior_rates(rates)
        self.overrides = dict(rates or {})
        self.features = list(PRIOR_FEATURES)
        self.offset_choice: dict[str, float] = {}

    def _terms(self, features: pd.DataFrame) -> pd.DataFrame:
        """Each pipe's log-rate terms (per km and year): material, age, diameter."""
        missing = [c for c in PRIOR_FEATURES if c not in features]
        if missing:
            raise InputError(f"features frame lacks the prior's columns {missing}",
                             fr=f"il manque à la table des variables les colonnes de l’a priori {missing}")
        family = features["material"].astype("str")
        base = family.map(self.rates).fillna(OTHER_BASE_RATE).to_numpy(dtype=float)
        ageing = family.map(PRIOR_AGEING).fillna(OTHER_AGEING).to_numpy(dtype=float)
        expo = family.map(PRIOR_DIAMETER_EXPONENT).fillna(OTHER_DIAMETER_EXPONENT).to_numpy(dtype=float)
        age = np.maximum(features["age"].to_numpy(dtype=float), 0.0)
        diameter = np.maximum(features["diameter_mm"].to_numpy(dtype=float), 1.0)
        return pd.DataFrame({"material": np.log(base / 100.0), "age": ageing * (age - REFERENCE_AGE),
                             "diameter_mm": -expo * np.log(diameter / REFERENCE_DIAMETER)}, index=features.index)

    def predict_log_rate(self, features: pd.DataFrame) -> np.ndarray:
        """Log of the leak rate per km and year."""
        return self._terms(features).sum(axis=1).to_numpy()

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        """Expected leaks per year of each row (rate x length)."""
        return np.exp(self.predict_log_rate(features)) * features["length_km"].to_numpy(dtype=float)

    def contributions(self, features: pd.DataFrame) -> pd.DataFrame:
        """Per-feature contributions on the log-rate scale plus ``bias``; rows sum to the log rate.

        Each term is taken from its length-weighted mean over the pipes scored, which goes to ``bias``:
        a positive contribution raises the pipe above the network's typical main, as the model's
        SHAP values do."""
        terms = self._terms(features)
        weight = np.maximum(features["length_km"].to_numpy(dtype=float), 0.0)
        mean = (terms.mul(weight, axis=0).sum() / weight.sum()) if weight.sum() > 0 else terms.mean()
        out = terms - mean
        out["bias"] = float(mean.sum())
        return out

    def feature_importance(self) -> pd.DataFrame:
        """The same columns as :meth:`leakopt.risk.RiskModel.feature_importance`; nothing was learnt: zeros."""
        return pd.DataFrame({"feature": self.features, "gain": 0.0, "split": 0, "gain_share": 0.0})

    def to_dict(self) -> dict:
        """The formula and every value it uses (``prior.json``, ``manifest.json``)."""
        families = list(S.MATERIAL_FAMILIES)
        return {"kind": self.kind,
                "formula": "leaks per km and year = base[family] / 100 * exp(ageing[family] * (age - 50)) "
                           "* (diameter_mm / 150) ** -diameter_exponent[family]",
                "base_per_100km_year": {f: self.rates[f] for f in families},
                "ageing_per_year": {f: PRIOR_AGEING.get(f, OTHER_AGEING) for f in families},
                "diameter_exponent": {f: PRIOR_DIAMETER_EXPONENT.get(f, OTHER_DIAMETER_EXPONENT) for f in families},
                "overridden": sorted(self.overrides), "sources": SOURCE}

    def save(self, path) -> None:
        """Write :meth:`to_dict` as JSON at ``path``."""
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, indent=1)


def scored_by_prior(manifest: dict | None) -> bool:
    """True when a run's ``manifest.json`` (as a dict) says the literature prior scored its pipes
    (``risk_model.kind``), for the summary, the report and the app."""
    return ((manifest or {}).get("risk_model") or {}).get("kind") == PriorModel.kind


__all__ = ("PriorModel", "prior_rates", "scored_by_prior", "PRIOR_BASE_RATES", "PRIOR_AGEING")

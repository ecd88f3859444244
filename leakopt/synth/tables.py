"""The synthetic utility's material tables: families, raw codes, the mix laid in each era, leak types."""
from __future__ import annotations

import numpy as np

from leakopt.errors import InputError

FAMILIES = ("cast_iron", "ductile_iron", "steel", "pvc", "pe", "asbestos_cement", "concrete")
RAW_CODES = {
    "cast_iron": (("CI", "GCI", "fonte grise"), (0.6, 0.3, 0.1)),
    "ductile_iron": (("DI", "DICL", "fonte ductile"), (0.6, 0.3, 0.1)),
    "steel": (("STL", "acier"), (0.8, 0.2)),
    "pvc": (("PVC", "PVC-U", "PVCO"), (0.7, 0.2, 0.1)),
    "pe": (("PE", "HDPE", "MDPE", "PEHD", "polyéthylène"), (0.3, 0.3, 0.15, 0.15, 0.1)),
    "asbestos_cement": (("AC", "ACP", "amiante-ciment"), (0.7, 0.2, 0.1)),
    "concrete": (("CPP", "béton"), (0.6, 0.4)),
}


#: Era mix: share of each family (columns in FAMILIES order) among mains laid in a year.
ERA_YEARS = np.array([1850, 1940, 1955, 1965, 1975, 1985, 1995, 2010, 2100])
ERA_MIX = np.array([
    [0.93, 0.00, 0.04, 0.00, 0.00, 0.00, 0.03],
    [0.88, 0.00, 0.06, 0.00, 0.00, 0.03, 0.03],
    [0.55, 0.00, 0.06, 0.00, 0.00, 0.35, 0.04],
    [0.25, 0.03, 0.05, 0.07, 0.00, 0.55, 0.05],
    [0.05, 0.25, 0.04, 0.25, 0.00, 0.40, 0.01],
    [0.00, 0.40, 0.03, 0.37, 0.03, 0.15, 0.02],
    [0.00, 0.40, 0.02, 0.38, 0.18, 0.00, 0.02],
    [0.00, 0.45, 0.02, 0.30, 0.23, 0.00, 0.00],
    [0.00, 0.45, 0.02, 0.28, 0.25, 0.00, 0.00],
])


#: Multipliers of the era mix for large (>= 400 mm) and small (<= 80 mm) mains.
LARGE_BIAS = np.array([1.0, 1.5, 4.0, 0.05, 0.05, 0.1, 4.0])
SMALL_BIAS = np.array([1.0, 0.7, 1.5, 1.0, 2.0, 1.0, 0.0])
LEAK_TYPES = ("circumferential", "longitudinal", "joint", "corrosion")
TYPE_MIX = np.array([
    [0.45, 0.15, 0.20, 0.20], [0.20, 0.10, 0.40, 0.30], [0.10, 0.10, 0.20, 0.60],
    [0.25, 0.30, 0.45, 0.00], [0.25, 0.30, 0.45, 0.00], [0.45, 0.25, 0.25, 0.05],
    [0.30, 0.20, 0.40, 0.10],
])


BAD_DATES = ("2015-02-30", "2012-13-01", "unknown", "20O9-05-14", "n/a")


def by_family(value, name: str) -> np.ndarray:
    """A per-family parameter (a number for every family, or a family -> number dict)
    as an array in :data:`FAMILIES` order (families missing from a dict get 0)."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(FAMILIES))
        if unknown:
            raise InputError(f"SynthConfig.{name} has unknown families {unknown}; expected some of {FAMILIES}",
                             fr=f"SynthConfig.{name} a des familles de matériaux inconnues {unknown} ; familles "
                                f"possibles : {FAMILIES}")
        return np.array([float(value.get(f, 0.0)) for f in FAMILIES])
    try:
        return np.full(len(FAMILIES), float(value))
    except (TypeError, ValueError):
        raise InputError(f"SynthConfig.{name} must be a number or a family -> number dict; "
                         f"got {value!r}",
                         fr=f"SynthConfig.{name} doit être un nombre ou un dictionnaire famille -> nombre ; "
                            f"reçu {value!r}") from None


def family_mix(year: np.ndarray, diameter_mm: np.ndarray) -> np.ndarray:
    """Era-typical material shares, one row per main (columns in :data:`FAMILIES` order)."""
    year = np.asarray(year, dtype=float)
    w = np.column_stack([np.interp(year, ERA_YEARS, ERA_MIX[:, k]) for k in range(len(FAMILIES))])
    d = np.asarray(diameter_mm, dtype=float)[:, None]
    w = w * np.where(d >= 400, LARGE_BIAS, 1.0) * np.where(d <= 80, SMALL_BIAS, 1.0)
    return w / w.sum(axis=1, keepdims=True)

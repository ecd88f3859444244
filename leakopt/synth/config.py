"""Settings of the synthetic utility (:class:`SynthConfig`); the defaults make the shipped sample."""
from __future__ import annotations

from dataclasses import dataclass, field

from leakopt.errors import InputError
from leakopt.synth.tables import FAMILIES, by_family


def _default_rates() -> dict[str, float]:
    return {"cast_iron": 12.0, "ductile_iron": 3.0, "steel": 7.0, "pvc": 2.0, "pe": 2.0,
            "asbestos_cement": 4.0, "concrete": 3.0}


def _default_ageing() -> dict[str, float]:
    return {"cast_iron": 0.02, "ductile_iron": 0.01, "steel": 0.02, "pvc": 0.0, "pe": 0.0,
            "asbestos_cement": 0.02, "concrete": 0.01}


def _default_weibull_shape() -> dict[str, float]:
    return {"cast_iron": 2.0, "ductile_iron": 1.5, "steel": 1.8, "pvc": 1.0, "pe": 1.0,
            "asbestos_cement": 1.8, "concrete": 1.5}


#: The hazard families ("worlds") :func:`leakopt.synth.synthesize` can draw leaks from.
HAZARDS = ("districts", "pipes")


def _default_diameter_exponent() -> dict[str, float]:
    return {"cast_iron": 1.2, "ductile_iron": 0.8, "steel": 0.8, "pvc": 0.8, "pe": 0.8,
            "asbestos_cement": 0.8, "concrete": 0.8}


@dataclass(frozen=True)
class SynthConfig:
    """Settings of the synthetic utility; the defaults make the shipped sample.

    Attributes
    ----------
    hazard : str
        The hazard family (:mod:`leakopt.synth.generate`'s docstring): "districts" (the default,
        the shipped sample: exponential ageing, each leak raises the rate for good, frailty per
        district) or "pipes" (Weibull ageing, each leak raises the rate by a factor that decays
        with ``excitation_half_life``, frailty per pipe).
    start_year : int
        Year the oldest districts were built.
    record_start_year, end_year : int
        Leaks are recorded from 1 January ``record_start_year`` to 31 December
        ``end_year`` (the last simulated year).
    layout : str
        "auto", "net6", "ky10" or "procedural" (see :func:`leakopt.synth.layout.choose_layout`).
    defects : bool
        Inject the defects of real registers (see the module docstring).
    base_rate_per_100km : dict
        Family -> leaks per 100 km per year of the reference main.
    ageing, diameter_exponent : float or dict
        Per-family hazard parameters (a family -> value dict, or one number for
        every family; module docstring); 0 switches the effect off.  ``ageing`` is
        the "districts" family's.
    weibull_shape : float or dict
        Per-family Weibull shape ``k`` of the "pipes" family (rate proportional to
        age ** (k - 1)); 1 switches ageing off.
    excitation_half_life : float
        Years in which the "pipes" family's rise of the rate after a leak halves.
    cohort_factors : tuple of (family, first_year, last_year, factor)
        Install-year ranges of a family whose rate is multiplied by ``factor``.
    infant_factor, infant_years, pressure_exponent, self_excitation, excitation_cap, frailty_sigma,
    winter_amplitude
        Hazard parameters of both families (module docstring); 0 switches an effect off.
    record_completeness : tuple of float
        Share of leaks recorded in the first years of recording.
    renewal_rate, renewal_after_leaks : float
        Yearly replacement probabilities (age >= 40; two leaks in three years).
    """

    hazard: str = "districts"
    start_year: int = 1900
    record_start_year: int = 2006
    end_year: int = 2025
    layout: str = "auto"
    defects: bool = True
    base_rate_per_100km: dict = field(default_factory=_default_rates)
    ageing: float | dict = field(default_factory=_default_ageing)
    infant_factor: float = 1.0
    cohort_factors: tuple = (("cast_iron", 1800, 1929, 0.5), ("cast_iron", 1930, 1964, 1.25),
                             ("pvc", 1960, 1979, 2.5), ("pe", 1970, 1989, 2.5))
    infant_years: float = 3.0
    weibull_shape: float | dict = field(default_factory=_default_weibull_shape)
    excitation_half_life: float = 2.0
    diameter_exponent: float | dict = field(default_factory=_default_diameter_exponent)
    pressure_exponent: float = 1.0
    self_excitation: float = 0.5
    excitation_cap: int = 4
    frailty_sigma: float = 0.4
    winter_amplitude: float = 0.4
    record_completeness: tuple = (0.5, 0.8)
    renewal_rate: float = 0.004
    renewal_after_leaks: float = 0.3

    def __post_init__(self):
        if self.hazard not in HAZARDS:
            raise InputError(f"SynthConfig.hazard must be one of {HAZARDS}; got {self.hazard!r}",
                             fr=f"SynthConfig.hazard doit valoir l’une des valeurs {HAZARDS} ; reçu {self.hazard!r}")
        if not self.start_year < self.record_start_year <= self.end_year:
            raise InputError(f"SynthConfig years must satisfy start_year < record_start_year <= end_year; "
                             f"got {self.start_year}, {self.record_start_year}, {self.end_year}",
                             fr="les années de SynthConfig doivent vérifier start_year < record_start_year <= "
                                f"end_year ; reçu {self.start_year}, {self.record_start_year}, {self.end_year}")
        unknown = sorted(set(self.base_rate_per_100km) - set(FAMILIES))
        if unknown:
            raise InputError(f"SynthConfig.base_rate_per_100km has unknown families {unknown}; "
                             f"expected some of {FAMILIES}",
                             fr=f"SynthConfig.base_rate_per_100km a des familles de matériaux inconnues {unknown} ; "
                                f"familles possibles : {FAMILIES}")
        by_family(self.ageing, "ageing")
        by_family(self.diameter_exponent, "diameter_exponent")
        for c in self.cohort_factors:
            if len(c) != 4 or c[0] not in FAMILIES or float(c[3]) < 0:
                raise InputError(f"SynthConfig.cohort_factors entries must be (family, first_year, last_year, "
                                 f"factor >= 0) with a family in {FAMILIES}; got {c!r}",
                                 fr="chaque élément de SynthConfig.cohort_factors doit être (famille, first_year, "
                                    f"last_year, facteur >= 0) avec une famille parmi {FAMILIES} ; reçu {c!r}")
        if (by_family(self.weibull_shape, "weibull_shape") <= 0).any():
            raise InputError(f"SynthConfig.weibull_shape must be > 0 for every family; got {self.weibull_shape!r}",
                             fr="SynthConfig.weibull_shape doit être > 0 pour chaque famille de matériaux ; reçu "
                                f"{self.weibull_shape!r}")
        if float(self.excitation_half_life) <= 0:
            raise InputError(f"SynthConfig.excitation_half_life must be > 0 (years); "
                             f"got {self.excitation_half_life!r}",
                             fr="SynthConfig.excitation_half_life doit être > 0 (en années) ; reçu "
                                f"{self.excitation_half_life!r}")
        if float(self.infant_years) <= 0:
            raise InputError(f"SynthConfig.infant_years must be > 0; got {self.infant_years!r}",
                             fr=f"SynthConfig.infant_years doit être > 0 ; reçu {self.infant_years!r}")

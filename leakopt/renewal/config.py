"""Settings of renewal planning (the ``[renewal]`` table); see :mod:`leakopt.renewal.plan`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from leakopt.errors import InputError
from leakopt.i18n import check_currency

#: Renewal cost by nominal diameter: (diameter_mm, EUR per metre).  Open-trench
#: replacement including reinstatement, French urban averages of the 2020s: in euros, whatever
#: ``currency`` says (a plan in another currency needs its own table or ``cost_column``).
DEFAULT_COST_TABLE = ((60, 350.0), (100, 400.0), (150, 480.0), (200, 560.0), (300, 720.0),
                      (400, 880.0), (600, 1200.0), (800, 1500.0), (1000, 1800.0))

#: What a plan can maximise: expected leaks avoided, or consequence-weighted expected leaks avoided.
OBJECTIVES = ("leaks", "risk")


@dataclass(frozen=True)
class RenewalConfig:
    """Settings of renewal planning (TOML table ``[renewal]``).

    Attributes
    ----------
    objective : {"leaks", "risk"}
        What the plan maximises: the expected leaks avoided ("leaks"), or the
        consequence-weighted expected leaks avoided ("risk": each leak counts
        its pipe's ``consequence``, from :mod:`leakopt.consequence`; the risk
        frame must have that column).
    horizon_years : int
        Years planned (N).
    start_year : int, optional
        Calendar year of the plan's first year; default the year after ``as_of``
        (or after today).
    currency : str
        ISO 4217 code of the currency every amount is in ("EUR", "CAD", "USD",
        "GBP", "CHF"...; any case, kept upper-cased): the budget, the cost table,
        ``cost_column`` and the plan's costs. Only how amounts are written
        changes: nothing is converted, and the default cost table is in euros
        (:func:`leakopt.renewal.sites.cost_source`).
    annual_budget_eur : float, optional
        Yearly budget in ``currency`` (the key's name keeps "eur" whatever the
        currency); default ``budget_share_of_value`` times the network's
        replacement value.
    budget_share_of_value : float
        Default budget as a share of the replacement value (0.01: about 1 % of
        the network renewed a year).
    cost_diameters_mm, cost_eur_per_m : tuple of float
        Cost table (per metre, in ``currency``), interpolated linearly in
        diameter and extended linearly past its last point.
    cost_column : str, optional
        Column of the risk frame holding each pipe's renewal cost in
        ``currency``; overrides the table where it is not blank.
    residual_leaks_per_km_year : float
        Leak rate of the new pipe.
    risk_growth_per_year : float
        Yearly growth of an old pipe's leak rate over the horizon (0: constant).
    min_rate_pct : float
        Minimum share of network length renewed each year, in percent (0: none).
    group_column : str, optional
        Pipes with the same non-blank value (e.g. a street) form one work site.
    group_series_pipes : bool
        With ``adjacency``, pipes in series (joined at a node that no other
        pipe touches) form one work site.
    max_site_length_m : float
        Series chains longer than this are not grouped (pipes stay separate).
    past_leaks_column : str, optional
        Past-leak count column for the "most_leaks_first" rule; by default the
        first of :data:`PAST_LEAK_COLUMNS` present.
    max_candidates : int
        Most work sites kept in the integer programme.
    candidate_budget_factor : float
        Candidates cost at least this many times the horizon's budget.
    solver : {"auto", "highs", "cbc"}
    time_limit_s : float, optional
    mip_gap : float, optional
    """

    objective: str = "leaks"
    horizon_years: int = 5
    start_year: int | None = None
    annual_budget_eur: float | None = None
    budget_share_of_value: float = 0.01
    cost_diameters_mm: tuple = tuple(d for d, _ in DEFAULT_COST_TABLE)
    cost_eur_per_m: tuple = tuple(c for _, c in DEFAULT_COST_TABLE)
    cost_column: str | None = None
    residual_leaks_per_km_year: float = 0.03
    risk_growth_per_year: float = 0.0
    min_rate_pct: float = 0.0
    group_column: str | None = None
    group_series_pipes: bool = True
    max_site_length_m: float = 1000.0
    past_leaks_column: str | None = None
    max_candidates: int = 2500
    candidate_budget_factor: float = 3.0
    solver: str = "auto"
    time_limit_s: float | None = 60.0
    mip_gap: float | None = 0.005
    currency: str = "EUR"   # last: a config built with positional values keeps its meaning

    def __post_init__(self):
        def bad(name, expected, expected_fr):
            raise InputError(f"[renewal] {name}={getattr(self, name)!r}; expected {expected}",
                             fr=f"[renewal] {name}={getattr(self, name)!r} ; valeur attendue : {expected_fr}")
        if self.objective not in OBJECTIVES:
            bad("objective", f"one of {list(OBJECTIVES)}", f"l’une des valeurs {list(OBJECTIVES)}")
        if int(self.horizon_years) != self.horizon_years or self.horizon_years < 1:
            bad("horizon_years", "a whole number of years >= 1", "un nombre entier d’années >= 1")
        try:
            object.__setattr__(self, "currency", check_currency(self.currency))
        except InputError:
            bad("currency", 'a three-letter ISO 4217 currency code, e.g. "EUR", "CAD", "USD", "GBP" or "CHF"',
                'un code de monnaie ISO 4217 de trois lettres, par exemple "EUR", "CAD", "USD", "GBP" ou "CHF"')
        if self.annual_budget_eur is not None and not self.annual_budget_eur > 0:
            bad("annual_budget_eur", f"a positive amount in {self.currency}, or leave it unset",
                f"un montant positif en {'euros' if self.currency == 'EUR' else self.currency}, ou ne le réglez pas")
        if not 0 < self.budget_share_of_value <= 1:
            bad("budget_share_of_value", "a share in (0, 1], e.g. 0.01",
                "une part supérieure à 0 et au plus égale à 1, par exemple 0.01")
        d, c = np.asarray(self.cost_diameters_mm, float), np.asarray(self.cost_eur_per_m, float)
        if d.size < 1 or d.shape != c.shape or np.any(np.diff(d) <= 0) or np.any(c <= 0):
            bad("cost_diameters_mm", "increasing diameters with as many positive costs in cost_eur_per_m",
                "des diamètres croissants, avec autant de coûts positifs dans cost_eur_per_m")
        if self.residual_leaks_per_km_year < 0:
            bad("residual_leaks_per_km_year", "a rate >= 0", "un taux >= 0")
        if not 0 <= self.min_rate_pct < 100:
            bad("min_rate_pct", "a percentage in [0, 100)", "un pourcentage d’au moins 0 et inférieur à 100")
        if self.max_candidates < 1 or self.candidate_budget_factor < 1:
            bad("max_candidates", "max_candidates >= 1 and candidate_budget_factor >= 1",
                "max_candidates >= 1 et candidate_budget_factor >= 1")

    def year_weights(self) -> np.ndarray:
        """Leak-years avoided per unit of yearly rate when renewing in year 1..N."""
        n = int(self.horizon_years)
        growth = (1.0 + self.risk_growth_per_year) ** np.arange(n)
        return np.cumsum(growth[::-1])[::-1]


def summary_currency(summary: Mapping | None) -> str:
    """The currency of a plan's summary (``renewal.json``): its ``currency``, upper-cased; "EUR" for a summary
    written before leakopt had the setting (its amounts are in euros) or one whose value is no currency code
    (edited by hand), so that a report or the app still reads the run."""
    try:
        return check_currency((summary or {}).get("currency") or "EUR")
    except InputError:
        return "EUR"

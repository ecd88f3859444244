"""The frames that flow between stages, and their columns.

Units are SI as in WNTR, except diameters (millimetres, as registers give them)
and dates.  Every stage takes frames and returns new frames: none mutates its
inputs.

Pipes (validated asset register), one row per pipe, unique ``pipe_id``:

=====================  ========  ===============================================
column                 dtype     meaning
=====================  ========  ===============================================
pipe_id                str       unique ID (the EPANET link ID when a network is given)
material               str       family, one of :data:`MATERIAL_FAMILIES`
material_raw           str       the value as the register gives it
diameter_mm            float     > 0, imputed where missing
install_year           int       imputed where missing
length_m               float     > 0
diameter_imputed       bool      True where diameter_mm was imputed
install_year_imputed   bool      True where install_year was imputed
length_imputed         bool      True where length_m was missing or not positive and was replaced
start_node, end_node   str       only when a network gives the topology
x, y                   float     pipe midpoint, in the pipes' CRS (NaN if unknown)
geometry               object    shapely LineString, only when known (GIS or network)
(anything else)        any       pass-through columns, kept as given
=====================  ========  ===============================================

Leaks, one row per usable repaired leak or break (rows that cannot be used are
counted in the validation report and are not in this frame):

===============  ==============  ==============================================
leak_id          str             given, or ``L<row number>``
pipe_id          str             a pipe of the pipes frame
date             datetime64[ns]  date of the repair
year             int             calendar year of ``date``
snap_distance_m  float           distance to the pipe when snapped from x, y; NaN if matched by ID
type             str             optional, as given
===============  ==============  ==============================================

Risk (``risk.csv``), one row per scored pipe: the contract's columns
:data:`RISK_COLUMNS` then pass-through columns.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

PIPE_ID = "pipe_id"
MATERIAL = "material"
MATERIAL_RAW = "material_raw"
DIAMETER = "diameter_mm"
INSTALL_YEAR = "install_year"
LENGTH = "length_m"
DIAMETER_IMPUTED = "diameter_imputed"
INSTALL_YEAR_IMPUTED = "install_year_imputed"
START_NODE = "start_node"
END_NODE = "end_node"
X = "x"
Y = "y"
GEOMETRY = "geometry"

#: Columns every validated pipes frame has.
PIPE_COLUMNS = (PIPE_ID, MATERIAL, MATERIAL_RAW, DIAMETER, INSTALL_YEAR, LENGTH,
                DIAMETER_IMPUTED, INSTALL_YEAR_IMPUTED)

LEAK_ID = "leak_id"
DATE = "date"
YEAR = "year"
SNAP_DISTANCE = "snap_distance_m"
LEAK_COLUMNS = (LEAK_ID, PIPE_ID, DATE, YEAR, SNAP_DISTANCE)
#: Optional leak column: "year" when the file gave only the year (read as 1 January), else "day".
DATE_PRECISION = "date_precision"

#: Material families, in the order used for display.
MATERIAL_FAMILIES = (
    "cast_iron", "ductile_iron", "steel", "pvc", "pe", "asbestos_cement",
    "concrete", "copper", "lead", "other", "unknown",
)

#: Contract columns of ``risk.csv`` (pass-through columns follow them).
RISK_COLUMNS = (
    "pipe_id", "expected_leaks_per_year", "leaks_per_km_year", "rank",
    "risk_class", "in_priority_zone", "top_factors",
)

#: Columns ``risk.csv`` gains when the consequence stage runs, right after :data:`RISK_COLUMNS`.
CONSEQUENCE_RISK_COLUMNS = ("consequence", "consequence_class", "business_risk")

#: Columns of ``consequence.csv`` (:func:`leakopt.consequence.consequence_of_failure`).
CONSEQUENCE_COLUMNS = ("pipe_id", "segment_id", "demand_cut_m3s", "nodes_cut", "critical_cut",
                       "consequence", "consequence_class", "method")

#: Capture levels of ``backtest.json`` (share of network length).
CAPTURE_LEVELS = (0.01, 0.05, 0.1, 0.2, 0.3)


@dataclass(frozen=True)
class Network:
    """Topology of an EPANET network, as plain frames.

    Attributes
    ----------
    nodes : DataFrame
        ``node_id`` (str), ``x``, ``y`` (NaN when the file has no coordinates), ``elevation`` (m), ``node_type``
        ("junction", "reservoir" or "tank"), ``base_demand`` (m3/s).
    links : DataFrame
        Pipes only: ``pipe_id`` (str), ``start_node``, ``end_node``,
        ``length_m``, ``diameter_mm``, ``roughness``, ``geometry`` (shapely
        LineString through the link's vertices, in network coordinates).
    inp_path : str or None
        The file it was read from, for the stages that simulate with WNTR.
    other_links : DataFrame or None
        The links that are not pipes (EPANET pumps and valves): ``link_id``,
        ``link_type`` ("pump" or "valve"), ``valve_type`` (PRV, TCV, ...; blank
        for pumps), ``start_node``, ``end_node``, ``status`` ("open", "closed"
        or "active").  They carry water between nodes and can be shut, so the
        consequence stage counts them as connections and as segment boundaries.
        None when unknown (a network not read from an ``.inp``).
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    inp_path: str | None = None
    other_links: pd.DataFrame | None = None

    @property
    def has_coordinates(self) -> bool:
        """Whether the nodes have coordinates (x, y are NaN for a file without them)."""
        return bool(len(self.nodes)) and bool(self.nodes[X].notna().any())


@dataclass(frozen=True)
class Utility:
    """A validated utility: what every analysis stage starts from.

    Attributes
    ----------
    pipes, leaks : DataFrame
        See the module docstring.
    as_of : Timestamp
        The forecast date: ``leaks`` holds only leaks strictly before it and
        ``pipes`` only pipes installed in or before its year.
    network : Network or None
    crs : str or None
        CRS of pipe geometries and x, y (e.g. "EPSG:2154"); None when unknown.
    validation : ValidationReport
        Every data problem found (``leakopt.validate.ValidationReport``).
    sources : dict
        Input file paths by role ("pipes", "leaks", "network", "config").
    first_record_year : int
        First year of reliable leak recording (left truncation), detected or
        configured; the panel starts there.
    """

    pipes: pd.DataFrame
    leaks: pd.DataFrame
    as_of: pd.Timestamp
    network: Network | None = None
    crs: str | None = None
    validation: Any = None
    sources: dict = field(default_factory=dict)
    first_record_year: int | None = None

    @property
    def network_xy_apart(self) -> bool:
        """Whether the network's x, y are in other coordinates than :attr:`crs`: its nodes lie away from the
        register's lines (the validation issue ``network_coordinates_elsewhere``).  They then take no
        longitude and latitude, and the maps do not draw them."""
        return (self.network is not None and self.validation is not None
                and self.validation.get("network_coordinates_elsewhere") is not None)

# --- progress reports -----------------------------------------------------------------------
# The one callback convention of leakopt's long functions.  A long function takes
# ``progress: Progress | None = None`` and calls ``progress(step, done, total)`` as its work
# advances: ``step`` says what is being done ("boosting rounds", "cutoff 2019-01-01"), and ``done``
# of ``total`` units of it are finished.  The pipeline names each stage with :func:`within`, so the
# steps of a run read "risk: boosting rounds"; :func:`stage_of` gives the stage back.  The command
# line draws one line per stage (:class:`leakopt.cli.Progress`), the app one bar per stage.

#: ``progress(step, done, total)``: ``done`` of ``total`` units of ``step`` are finished.
Progress = Callable[[str, int, int], None]


def silent(step: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


def within(progress: Progress | None, stage: str) -> Progress:
    """``progress`` with every step put under ``stage`` ("stage: step"); :func:`silent` for None."""
    if progress is None:
        return silent

    def report(step: str, done: int, total: int) -> None:
        progress(f"{stage}: {step}", done, total)
    return report


def stage_of(step: str) -> str:
    """The stage of a step named by :func:`within` ("risk: boosting rounds" -> "risk")."""
    return step.split(":", 1)[0]


def fraction(done: int, total: int) -> float:
    """``done / total`` clipped to [0, 1] (1 when there is nothing to do)."""
    return min(max(done / total, 0.0), 1.0) if total > 0 else 1.0


def describe(step: str, done: int, total: int, lang: str = "en") -> str:
    """The line shown for a report: "backtest: cutoff 2019-01-01 2/3"; in French the step's words
    (:func:`step_text`) and numbers ("test sur le passé : date de coupure 1er janvier 2019 2/3")."""
    if lang == "en":
        return f"{step} {done}/{total}"
    from leakopt.i18n import fmt_int
    return f"{step_text(step, lang)} {fmt_int(done, lang)}/{fmt_int(total, lang)}"


#: The French of each stage's name, as the command line writes it before a step.
STAGES_FR = {
    "load": "chargement", "sample": "exemple", "hydraulics": "hydraulique", "risk": "risque",
    "consequence": "conséquence", "backtest": "test sur le passé", "sensors": "capteurs",
    "pressure": "pression", "campaign": "campagne", "renewal": "renouvellement", "report": "rapport",
}

#: The French of each step a stage reports, by its English words.  Fields: ``{n}`` a count
#: ("13,369": written again in French), ``{year}`` and ``{text}`` as they are, ``{date}`` an ISO date
#: (written in figures, day first), ``{step}`` another step (translated in turn).  ``{n|one|several}`` in
#: the French is the word that agrees with the count ``n`` (singular below 2).
STEPS_FR = {
    # load (leakopt.validate)
    "reading the pipes": "lecture des conduites",
    "reading the leaks": "lecture des fuites",
    "reading the network": "lecture du modèle de réseau",
    "files read": "fichiers lus",
    "checking the pipes": "contrôle des conduites",
    "checking the leaks": "contrôle des fuites",
    "imputing missing values": "complétion des valeurs manquantes",
    "inputs validated": "données contrôlées",
    # hydraulics
    "simulating {text} h of {n} pipes": "simulation de {text} h sur {n} conduites",
    "summarising pressures and velocities": "synthèse des pressions et des vitesses",
    "simulated": "simulation terminée",
    # risk
    "building the pipe-year panel": "construction du tableau conduites × années",
    "training on {n} pipe-years": "apprentissage sur {n} conduites-années",
    "boosting rounds (early stopping)": "itérations du boosting (arrêt précoce)",
    "boosting rounds (early stopping, from the GLM)": "itérations du boosting (arrêt précoce, à partir du GLM)",
    "boosting rounds (early stopping, trees alone)": "itérations du boosting (arrêt précoce, arbres seuls)",
    "boosting rounds on every year": "itérations du boosting sur toutes les années",
    "scoring with the model given": "notation par le modèle fourni",
    "scoring and explaining every pipe": "notation et explication de chaque conduite",
    "scoring and explaining every pipe with the model given":
        "notation et explication de chaque conduite par le modèle fourni",
    "every pipe scored": "toutes les conduites notées",
    # consequence
    "valve segments": "secteurs d'isolement",
    "what isolating each of {n} segments cuts off": "ce que coupe la fermeture de chacun des {n} secteurs",
    "pressure-dependent simulation of the segments that matter":
        "simulation en pression des secteurs qui comptent",
    "pressure-dependent simulation of {n} segments ({n2} process(es))":
        "simulation en pression de {n} {n|secteur|secteurs} ({n2} processus)",
    "{n} segments simulated": "{n} secteurs simulés",
    "scores and classes": "notes et classes",
    "{n} pipes scored": "{n} conduites notées",
    # backtest
    "cutoff {date}, {step}": "date de coupure {date}, {step}",
    "training the model": "apprentissage du modèle",
    "measuring the rankings": "mesure des classements",
    "every cutoff measured": "toutes les dates de coupure mesurées",
    # sensors, pressure, campaign
    "hearing ranges, chunks of candidate sites": "portées d'écoute, lots de sites candidats",
    "placing the loggers": "placement des capteurs",
    "{n} loggers placed": "{n} capteurs placés",
    "trade-off curve, {n} logger(s)": "courbe de compromis, {n} {n|capteur|capteurs}",
    "trade-off curve drawn": "courbe de compromis tracée",
    "leak scenarios simulated": "scénarios de fuite simulés",
    # renewal
    "costs and work sites": "coûts et chantiers",
    "integer programme over {n} work sites": "programme en nombres entiers sur {n} chantiers",
    "comparing with the usual rules": "comparaison avec les règles usuelles",
    "plan made": "plan établi",
    "planning year by year, year {year} planned": "planification année par année, année {year} planifiée",
    # report
    "map layer": "couche cartographique",
    "report.html": "report.html",
    "written": "écrit",
    # sample (leakopt.synth)
    "layout: streets laid": "tracé : rues posées",
    "layout: mains sized": "tracé : conduites dimensionnées",
    "assets laid": "conduites posées",
    "simulating leaks, year {year}": "simulation des fuites, année {year}",
    "leaks recorded": "fuites enregistrées",
    "synthetic utility of {n} pipes and {n2} leaks": "réseau synthétique de {n} conduites et {n2} fuites",
}


def _step_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex + "$")


#: :data:`STEPS_FR` as (pattern of the English step, its French).
_STEP_PATTERNS = [(_step_pattern(en), fr) for en, fr in STEPS_FR.items()]


def step_text(step: str, lang: str = "en") -> str:
    """A step's words in ``lang``: "risk: training on 65,008 pipe-years" reads in French "risque :
    apprentissage sur 65 008 conduites-années" (:data:`STAGES_FR`, :data:`STEPS_FR`).  A stage or a
    step that the tables do not have keeps its English words."""
    if lang == "en":
        return step
    from leakopt.i18n import NBSP, fmt_int, fmt_printed_date, singular
    stage, sep, rest = step.partition(": ")
    if sep and stage in STAGES_FR:
        return f"{STAGES_FR[stage]}{NBSP}: {step_text(rest, lang)}"
    for pattern, fr in _STEP_PATTERNS:
        match = pattern.match(step)
        if match is None:
            continue
        values, counts = {}, {}
        for name, value in match.groupdict().items():
            if name.startswith("n") and value.replace(",", "").isdigit():
                counts[name] = int(value.replace(",", ""))
                value = fmt_int(counts[name], lang)
            elif name == "date":
                value = fmt_printed_date(value, lang)
            elif name == "step":
                value = step_text(value, lang)
            values[name] = value
        fr = re.sub(r"\{(\w+)\|([^|}]*)\|([^|}]*)\}", lambda m: m[2] if singular(counts.get(m[1], 2), lang) else m[3],
                    fr)
        return fr.replace(" : ", f"{NBSP}: ").format(**values)
    return step

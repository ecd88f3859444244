"""``report.html``: one self-contained page for a council, built from a run folder.

The report reads only the files a run wrote (``risk.csv``, ``risk.geojson``,
``priority.json``, ``risk_matrix.json``, ``sensors.csv``, ``placement.json``, ``tradeoff.csv``,
``backtest.json``, ``renewal_plan.csv``, ``renewal.json``, ``validation.json``,
``manifest.json``, and the outputs of ``leakopt campaign`` and ``leakopt sensors
--kind pressure`` written into the same folder: ``campaign.json``,
``campaign.csv``, ``campaign_curve.csv``, ``pressure.json``,
``pressure_sensors.csv``), so it can be rewritten at any time, e.g. in French::

    leakopt report DIR --lang fr

Only ``risk.csv`` is required; a section whose files are missing says plainly
that its stage did not run, except the campaign and pressure sections
(:data:`OPTIONAL_SECTIONS`), which only appear when their command was run.  The page embeds its figures as base64 PNG, has
no script, and loads no font, tile or stylesheet from anywhere: it opens
offline and prints cleanly.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from leakopt import __version__
from leakopt.errors import InputError
from leakopt.i18n import Translator, check_lang, in_french
from leakopt.io import read_output
from leakopt.renewal import summary_currency
from leakopt.report import monitoring as rm
from leakopt.report import sections as rs
from leakopt.report.html import esc, para
from leakopt.report.text import STRINGS

logger = logging.getLogger(__name__)

#: Sections in page order: (id, heading key).
SECTIONS = (("key", "h_key"), ("map", "h_map"), ("consequence", "h_consequence"), ("backtest", "h_backtest"),
            ("sensors", "h_sensors"), ("campaign", "h_campaign"), ("pressure", "h_pressure"), ("renewal", "h_renewal"),
            ("quality", "h_quality"), ("model", "h_model"), ("compute", "h_compute"), ("limits", "h_limits"),
            ("about", "h_about"))

#: Sections left out of the page when their files are absent (outputs of separate commands).
OPTIONAL_SECTIONS = ("campaign", "pressure")

JSON_FILES = ("priority", "risk_matrix", "placement", "backtest", "renewal", "validation", "manifest", "campaign",
              "pressure")
CSV_FILES = {"sensors": "sensors.csv", "tradeoff": "tradeoff.csv", "renewal_plan": "renewal_plan.csv",
             "campaign_plan": "campaign.csv", "campaign_curve": "campaign_curve.csv",
             "pressure_sensors": "pressure_sensors.csv"}


@dataclass(frozen=True)
class ReportConfig:
    """Settings of the report (TOML table ``[report]``).

    Attributes
    ----------
    lang : {"en", "fr"}
        Language of every text and number format.
    title : str, optional
        Page title; default "Leak risk and renewal report" in the language.
    network_name : str, optional
        Name shown under the title; default the network or pipes file name.
    max_issues : int
        Data problems listed (most severe first).
    """

    lang: str = "en"
    title: str | None = None
    network_name: str | None = None
    max_issues: int = 15

    def __post_init__(self):
        check_lang(self.lang)
        if self.max_issues < 1:
            raise InputError(f"[report] max_issues={self.max_issues!r}; expected a whole number >= 1",
                             fr=f"[report] max_issues={self.max_issues!r} ; attendu : un nombre entier ≥ 1")


@dataclass(frozen=True)
class RunFolder:
    """The files of one run, read once.  Missing optional files are None.

    Attributes
    ----------
    path : Path
    risk : DataFrame
    json : dict
        ``priority``, ``placement``, ``backtest``, ``renewal``, ``validation``,
        ``manifest``, ``campaign``, ``pressure`` -> parsed content or None.
    csv : dict
        ``sensors``, ``tradeoff``, ``renewal_plan``, ``campaign_plan``, ``campaign_curve``,
        ``pressure_sensors`` -> DataFrame or None.
    geojson : Path or None
    errors : dict
        File name -> why it could not be read (the section says so).
    """

    path: Path
    risk: pd.DataFrame
    json: dict = field(default_factory=dict)
    csv: dict = field(default_factory=dict)
    geojson: Path | None = None
    errors: dict = field(default_factory=dict)


def load_run(run_dir) -> RunFolder:
    """Read a run folder.

    Raises
    ------
    InputError
        If the folder or its ``risk.csv`` is missing or unreadable.
    """
    path = Path(run_dir)
    if not path.is_dir():
        raise InputError(f"run folder {path} does not exist; give the --out folder of 'leakopt run' or 'leakopt demo'",
                         fr=f"le dossier d’analyse {path} n’existe pas ; donnez le dossier --out de « leakopt run » ou "
                            "de « leakopt demo »")
    risk_path = path / "risk.csv"
    if not risk_path.is_file():
        raise InputError(f"run folder {path} has no risk.csv; the report needs at least the risk scores "
                         "written by 'leakopt run'",
                         fr=f"le dossier d’analyse {path} n’a pas de risk.csv ; le rapport demande au moins les scores "
                            "de risque écrits par « leakopt run »")
    try:
        risk = read_output(risk_path)
    except (ValueError, OSError) as exc:
        raise InputError(f"{risk_path} could not be read as CSV: {exc}",
                         fr=f"{risk_path} n’a pas pu être lu comme CSV : {exc}") from exc
    if "in_priority_zone" in risk:
        risk["in_priority_zone"] = risk["in_priority_zone"].astype(str).str.lower().isin(["true", "1"])
    missing = [c for c in ("pipe_id", "expected_leaks_per_year") if c not in risk]
    if missing:
        raise InputError(f"{risk_path} lacks column(s) {missing}; it must be a risk.csv written by leakopt",
                         fr=f"il manque à {risk_path} les colonnes {missing} ; ce doit être un risk.csv écrit par "
                            "leakopt")
    docs, frames, errors = {}, {}, {}
    for name in JSON_FILES:
        docs[name] = _read(path / f"{name}.json", read_json_document, errors)
    for name, file in CSV_FILES.items():
        frames[name] = _read(path / file, lambda p: read_output(p, ids=("pipe_id", "node_id", "site")), errors)
    geo = path / "risk.geojson"
    return RunFolder(path=path, risk=risk, json=docs, csv=frames, geojson=geo if geo.is_file() else None,
                     errors=errors)


def read_json_document(path: Path):
    """A JSON output file (one written as a JSON string by an older version is decoded twice).

    Raises
    ------
    ValueError
        If the file is not JSON, or its JSON is not an object (``[]``, ``3``: a file overwritten by
        hand or by another tool), which every reader of a run folder's JSON expects.
    """
    obj = json.loads(Path(path).read_text(encoding="utf-8"))
    obj = json.loads(obj) if isinstance(obj, str) else obj
    if obj is not None and not isinstance(obj, dict):
        raise ValueError(f"its JSON is a {type(obj).__name__}, not the object leakopt writes")
    return obj


def _read(path: Path, reader, errors: dict):
    if not path.is_file():
        return None
    try:
        return reader(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        logger.warning("report: %s could not be read (%s); its section says so", path, exc,
                       extra=in_french("rapport : %s n’a pas pu être lu (%s) ; sa section le signale"))
        errors[path.name] = str(exc).splitlines()[0][:200]
        return None


def build_html(run: RunFolder, *, config: ReportConfig | None = None) -> str:
    """The whole page as a string."""
    cfg = config or ReportConfig()
    t = Translator(STRINGS, cfg.lang, currency=summary_currency(run.json.get("renewal")))   # the plan's amounts
    title = cfg.title or t("title")
    builders = {"key": rs.key_figures, "map": rs.map_section, "consequence": rs.consequence_section,
                "backtest": rs.backtest_section, "sensors": rs.sensors_section, "campaign": rm.campaign_section,
                "pressure": rm.pressure_section, "renewal": rs.renewal_section, "quality": rs.quality_section,
                "model": rs.model_section, "compute": rs.compute_section, "limits": rs.limits_section,
                "about": rs.about_section}
    body, shown = [], []
    for sid, head in SECTIONS:
        inner = _section(builders[sid], t(head), run, t, cfg)
        if inner is None:      # an optional section whose files are absent
            continue
        shown.append((sid, head))
        body.append(f'<section id="{sid}" aria-labelledby="h-{sid}">\n<h2 id="h-{sid}">{esc(t(head))}</h2>\n'
                    f"{inner}\n</section>")
    toc = "".join(f'<li><a href="#{sid}">{esc(t(head))}</a></li>' for sid, head in shown)
    manifest = run.json.get("manifest") or {}
    subtitle = t("subtitle", network=esc(_network_name(run, cfg)),
                 as_of=esc(t.date(manifest.get("as_of") or (run.json.get("validation") or {})
                                  .get("summary", {}).get("as_of"))),
                 today=esc(t.date(dt.date.today())))
    return (f'<!DOCTYPE html>\n<html lang="{cfg.lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<header><h1>{esc(title)}</h1><p class="subtitle">{subtitle}</p></header>\n'
            f'<nav aria-label="{esc(t("contents"))}"><h2>{esc(t("contents"))}</h2><ol>{toc}</ol></nav>\n'
            f"<main>\n{chr(10).join(body)}\n</main>\n"
            f'<footer><p>{esc(t("footer", version=__version__))}</p></footer>\n</body>\n</html>\n')


def _section(builder, heading: str, run: RunFolder, t: Translator, cfg: ReportConfig) -> str | None:
    """One section's HTML; a section whose files hold something else than leakopt writes (edited by hand,
    written by another tool or version: ``{"issues": 5}``) says so, and the rest of the report is written."""
    try:
        return builder(run, t, cfg)
    except (TypeError, KeyError, AttributeError, ValueError, IndexError) as exc:
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
        logger.warning("report: the section '%s' could not be written from the files of %s (%s); it says so",
                       heading, run.path, error,
                       extra=in_french("rapport : la section « %s » n’a pas pu être rédigée à partir des fichiers "
                                       "de %s (%s) ; elle le signale"))
        return para(t("section_failed", error=error), "notrun")


def _network_name(run: RunFolder, cfg: ReportConfig) -> str:
    if cfg.network_name:
        return cfg.network_name
    inputs = (run.json.get("manifest") or {}).get("inputs") or {}
    for role in ("network", "pipes"):
        p = (inputs.get(role) or {}).get("path") if isinstance(inputs.get(role), dict) else inputs.get(role)
        if p:
            return Path(str(p)).name
    return run.path.resolve().name


def write_report(run_dir, *, lang: str | None = None, out=None, config: ReportConfig | None = None) -> Path:
    """Write ``report.html`` for a run folder and return its path.

    Parameters
    ----------
    run_dir : path
        Folder written by ``leakopt run`` / ``leakopt demo`` (needs ``risk.csv``).
    lang : {"en", "fr"}, optional
        Overrides ``config.lang`` (default English).
    out : path, optional
        Output file; default ``run_dir/report.html`` (``report_fr.html`` would
        be a good name for a second language).
    config : ReportConfig, optional

    Returns
    -------
    Path

    Raises
    ------
    InputError
        If the folder or its risk.csv is missing, or ``lang`` is unknown.
    """
    cfg = config or ReportConfig()
    if lang is not None:
        from dataclasses import replace
        cfg = replace(cfg, lang=check_lang(lang))
    run = load_run(run_dir)
    page = build_html(run, config=cfg)
    target = Path(out) if out is not None else run.path / "report.html"
    target.write_text(page, encoding="utf-8")
    logger.info("report written to %s (%.0f kB)", target, len(page) / 1024,
                extra=in_french("rapport écrit dans %s (%.0f ko)"))
    return target


CSS = """
:root { --ink:#1c2833; --muted:#566573; --line:#d5d8dc; --accent:#c0392b; --bg:#f8f9f9; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); max-width: 1040px; margin: 0 auto; padding: 1.5rem; line-height: 1.5; }
header h1 { margin: 0 0 .2rem; font-size: 1.9rem; }
.subtitle { color: var(--muted); margin-top: 0; }
nav { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .4rem 1rem; }
nav h2 { font-size: 1rem; margin: .3rem 0; }
nav ol { columns: 2; margin: .2rem 0 .4rem; }
section { margin-top: 2.2rem; }
h2 { border-bottom: 3px solid var(--accent); padding-bottom: .2rem; font-size: 1.45rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: .8rem; margin: 1rem 0; }
.card { background: var(--bg); border: 1px solid var(--line); border-left: 5px solid var(--accent);
        border-radius: 6px; padding: .6rem .8rem; margin: 0; }
.card dt { font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card dd { margin: 0; }
.card .value { font-size: 1.45rem; font-weight: 700; }
.card .detail { font-size: .9rem; color: var(--muted); }
.lead { font-size: 1.08rem; }
.notrun { background: #fef9e7; border-left: 5px solid #f4d03f; padding: .6rem .9rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sev-error { color: #922b21; font-weight: 600; }
.sev-warning { color: #9a7d0a; font-weight: 600; }
.small { font-size: .85rem; color: var(--muted); }
footer { margin-top: 3rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
a { color: #1a5276; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  section { break-before: auto; }
  h2 { break-after: avoid; }
  figure, table, .cards { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 15mm; }
"""

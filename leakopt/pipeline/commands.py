"""The other commands on a run's inputs or outputs: ``backtest``, ``sensors`` (loggers or pressure), ``campaign``."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from leakopt.config import Config, unused_tables
from leakopt.errors import InputError
from leakopt.i18n import Translator, fmt_int, in_french, singular
from leakopt.io import check_crs, read_network, read_numbers, read_output, with_lonlat, write_json
from leakopt.pipeline.stages import (
    load,
    load_sites,
    make_out_dir,
    require_leaks,
    risk_source,
    stage_backtest,
    stage_hydraulics,
    stage_pressure,
    validation_kept,
    warn_unused_tables,
    with_sites,
    write_sensors,
)
from leakopt.pipeline.summary import (
    campaign_text,
    counted,
    cut_clause,
    placement_line,
    placement_note,
    pressure_line,
    status_text,
    summary_translator,
    window_years,
)
from leakopt.placement import build_coverage, place_sensors, plan_campaign
from leakopt.risk import priority_zone
from leakopt.risk.backtest import measured
from leakopt.schema import Progress, within
from leakopt.validate import NETWORK_COORDINATE_ISSUES, ValidationReport, check_network_coordinates
from leakopt.validate.messages import french_error, unused_table_params

log = logging.getLogger(__name__)


def run_backtest(pipes, leaks, network=None, *, config: Config | None = None, cutoff, horizon_years=3,
                 truth=None, out_dir, layer=None, progress: Progress | None = None, lang: str = "en") -> str:
    """``leakopt backtest``: write ``backtest.json`` and ``capture.png``; return a summary text, in ``lang``."""
    config = config or Config()
    warn_unused_tables(config, "backtest")
    out = make_out_dir(out_dir)
    with validation_kept(out):   # a fatal data problem: validation.json still says all found, as for run
        utility = load(pipes, leaks, network, config=config, layer=layer, progress=within(progress, "load"))
    write_json(utility.validation.to_dict(), out / "validation.json")
    require_leaks(utility)
    truth_frame = None
    if truth is not None:
        if not Path(truth).is_file():
            raise InputError(f"truth file {truth} does not exist",
                             fr=f"le fichier des valeurs vraies {truth} (--truth) n’existe pas")
        truth_frame = read_output(truth)
    hydraulics, _ = stage_hydraulics(utility, config, within(progress, "hydraulics"))  # a failure is logged
    data = stage_backtest(utility, config, out, within(progress, "backtest"), cutoff=cutoff,
                           horizon=horizon_years, truth=truth_frame, hydraulics=hydraulics)
    return backtest_text(data, out, lang=lang)


def backtest_text(data: dict, out: Path, *, lang: str = "en") -> str:
    """Plain summary of a backtest, for the terminal, in ``lang`` (French: the report's method names)."""
    from leakopt.report.sections import method_name
    from leakopt.report.text import STRINGS
    t = summary_translator(lang)
    methods = {"model": data["model"], **data.get("baselines", {})}
    if "truth" in data:
        methods["truth"] = data["truth"]
    if t.lang == "en":   # the result's own keys and levels, as in backtest.json
        names = {k: "truth (oracle)" if k == "truth" else k for k in methods}
        pct = lambda v: f"{100 * v:5.1f}%"   # noqa: E731
        level = lambda k: f"{k:>6s}"   # noqa: E731
    else:
        report_t = Translator(STRINGS, t.lang)
        names = {k: method_name(report_t, k) for k in methods}
        pct = lambda v: t.percent(v).rjust(7)   # noqa: E731
        level = lambda k: pct(float(k))   # noqa: E731
    width = max(26, *(len(n) + 1 for n in names.values()))
    head = {"cutoff": t.printed_date(data["cutoff"]), "years": window_years(t, data["horizon_years"]),
            "cut": cut_clause(t, data)}
    if not measured(data):   # no test leak: no capture to show (backtest.json has null), not a table of 0%
        lines = [t("bt_none_head", **head)]
    else:
        lines = [t("bt_head", n=counted(t, data["n_test_leaks"], "w_test_leak"), **head),
                 f"{t('bt_method'):{width}s} " + " ".join(level(k) for k in data["model"]["capture"]) + t("bt_80")]
        for key, m in methods.items():
            row = f"{names[key]:{width}s} " + " ".join(pct(v) for v in m["capture"].values())
            l80 = m.get("length_share_for_80pct")
            lines.append(row + (f"{pct(l80):>{len(t('bt_80'))}}" if l80 is not None else ""))
        lines.append(t("bt_note"))
    lines.append(t("outputs_plain", out=out).lstrip("\n"))
    return "\n".join(lines)


def _heard(network, risk_csv, *, config: Config, crs, sites, out_dir, progress: Progress):
    """What logger commands start from: the run folder, the network, its scored pipes, the utility's
    fittings snapped to it (or None), and which candidate site hears which pipe segment."""
    check_crs(crs)
    out = make_out_dir(out_dir)
    net = read_network(network)
    risk = read_risk(risk_csv, network=net, config=config)
    snapped = load_sites(sites, net, config=config, network_crs=crs, out=out)
    cov = build_coverage(net, risk, config=config.stage("coverage"), progress=progress,
                         sites=None if snapped is None else snapped.sites)
    return out, net, risk, snapped, cov


def run_sensors(network, risk_csv, *, config: Config | None = None, target_share=None, budget=None,
                crs=None, out_dir, progress: Progress | None = None, sites=None, lang: str = "en") -> str:
    """``leakopt sensors``: place loggers on a network from an existing ``risk.csv``.

    ``sites``: the utility's fittings as logger sites (default the config's ``[coverage] sites``),
    in the network's CRS ``crs`` once reprojected.  Returns the summary, in ``lang``.
    """
    config = config or Config()
    out, net, risk, snapped, cov = _heard(network, risk_csv, config=config, crs=crs, sites=sites, out_dir=out_dir,
                                          progress=within(progress, "sensors"))
    pcfg = config.stage("placement")
    placement = place_sensors(cov, risk, target_share=target_share, budget=budget, config=pcfg)
    write_sensors(placement, out, crs=crs, sites=snapped)
    p = with_sites(placement.to_json(), snapped)
    _write_sensor_validation(p, network=network, net=net, risk_csv=risk_csv, path=out / "validation.json",
                             config=config, command="sensors")
    t = summary_translator(lang)
    note = placement_note(p, lang=lang) or t("so_status", solver=p["solver"], status=status_text(t, p["status"]))
    return placement_line(p, lang=lang) + note + t("outputs_plain", out=out)


def run_pressure_sensors(network, risk_csv, *, config: Config | None = None, n: int | None = None, crs=None,
                         out_dir, progress: Progress | None = None, lang: str = "en") -> str:
    """``leakopt sensors --kind pressure``: ``n`` pressure sensors on a network from an existing ``risk.csv``.

    ``n`` None: the config's ``[pressure] n``, else 5.
    Leak scenarios are simulated with the ``[pressure]`` settings
    (:func:`leakopt.placement.place_pressure_sensors`).  Writes
    ``pressure_sensors.csv`` (``node_id``, ``x``, ``y``, ``detected_scenarios``,
    ``detected_risk_share``, and ``lon``, ``lat`` when ``crs`` is known),
    ``pressure_scenarios.csv`` (``node_id``, ``weight``, ``leak_flow_m3s``,
    ``detected``) and ``pressure.json`` (the detection figures, the solver
    status, the settings used); returns a summary text, in ``lang``.
    """
    config = config or Config()
    check_crs(crs)
    out = make_out_dir(out_dir)
    net = read_network(network)
    risk = read_risk(risk_csv, network=net, config=config)
    n = n or config.stage("pressure").n or 5
    p = stage_pressure(net, risk, config, out, within(progress, "pressure"), n=n, risk_csv=risk_csv, crs=crs)
    _write_sensor_validation(p, network=network, net=net, risk_csv=risk_csv, path=out / "validation.json",
                             config=config, command="sensors --kind pressure")
    t = summary_translator(lang)
    return (pressure_line(p, lang=lang) + t("so_status", solver=p.get("solver"), status=status_text(t, p.get("status")))
            + t("outputs_plain", out=out) + report_hint(out, lang=lang))


def run_campaign(network, risk_csv, *, config: Config | None = None, loggers: int | None = None,
                 deployment_days: int | None = None, target_share: float | None = None, scope: str | None = None,
                 crs=None, sites=None, out_dir, progress: Progress | None = None, lang: str = "en") -> str:
    """``leakopt campaign``: the deployments of ``loggers`` loggers that hear the most expected leaks soonest.

    Options left None take the config's ``[campaign]`` settings.

    Writes ``campaign.csv`` (one row per logger per deployment), ``campaign_curve.csv`` (the
    share heard after each deployment, greedy and risk-ranking) and ``campaign.json``
    (:meth:`leakopt.placement.Campaign.to_json`); returns a summary text, in ``lang``.
    """
    config = config or Config()
    out, net, risk, snapped, cov = _heard(network, risk_csv, config=config, crs=crs, sites=sites, out_dir=out_dir,
                                          progress=within(progress, "campaign"))
    campaign = plan_campaign(cov, risk, loggers=loggers, deployment_days=deployment_days,
                             target_share=target_share, scope=scope, config=config.stage("campaign"))
    plan = with_lonlat(campaign.plan, crs)
    plan.to_csv(out / "campaign.csv", index=False)
    campaign.curve.to_csv(out / "campaign_curve.csv", index=False)
    c = {**with_sites(campaign.to_json(), snapped), "risk_csv": risk_source(risk_csv)}
    write_json(c, out / "campaign.json")
    _write_sensor_validation(c, network=network, net=net, risk_csv=risk_csv, path=out / "validation.json",
                             config=config, command="campaign")
    return (campaign_text(c, lang=lang) + summary_translator(lang)("outputs_plain", out=out)
            + report_hint(out, lang=lang))


def report_hint(out: Path, *, lang: str = "en") -> str:
    """In a run folder (one with a report), how to add these outputs to its report: it is not rewritten here,
    so its language and place stay the user's choice."""
    if not (out / "report.html").is_file():
        return ""
    return summary_translator(lang)("report_hint", out=out)


def _write_sensor_validation(p: dict, *, network, risk_csv, path: Path, config: Config, command: str,
                             net=None) -> None:
    """Network pipes missing from risk.csv, a network without coordinates (``net``, as read) and unused
    config tables, in ``validation.json``.

    A run folder's own issues are kept when ``path`` exists (issues of the same codes are replaced).
    """
    report = ValidationReport(sources={"network": str(network), "risk": str(risk_csv)})
    n = p.get("n_pipes_not_in_risk", 0)
    late = unscored_by_run(risk_csv) if n else None
    key = ("network_pipe_not_in_risk" if late is None else "network_pipe_not_in_risk_late" if late["late"]
           else "network_pipe_not_in_risk_unlisted")
    report.add("network_pipe_not_in_risk", "warning", n, key=key,
               params={"n": n, "network": Path(network).name, "length_m": p.get("not_in_risk_length_m", 0),
                       "share": 100 * p.get("not_in_risk_length_share", 0), "risk": Path(risk_csv).name,
                       **(late or {})},
               examples=[{"pipe_id": i} for i in p.get("not_in_risk_examples", [])],
               file=str(risk_csv), column="pipe_id")
    if net is not None:
        check_network_coordinates(net, report, str(network))
    for table, sentence in unused_tables(config, command=command).items():
        report.add("config_table_not_used", "warning", 1, sentence,
                   params=unused_table_params(table, where=config.path, command=command), column=f"[{table}]")
    report.write_merged(path, replace_codes=("network_pipe_not_in_risk", *NETWORK_COORDINATE_ISSUES,
                                             "config_table_not_used"))


def unscored_by_run(risk_csv) -> dict | None:
    """What the run that wrote ``risk_csv`` says of the pipes it deliberately did not score, from the
    ``validation.json`` beside it: ``late`` (pipes of its register installed after the as-of year, 0 when
    none), ``year`` and ``as_of``; None when there is no such file (a risk.csv from elsewhere) or it does
    not say its as-of date."""
    path = Path(risk_csv).parent / "validation.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        as_of = str(doc["summary"]["as_of"])[:10]
        year = int(as_of[:4])
        late = sum(int(i.get("count", 0)) for i in doc.get("issues", [])
                   if i.get("code") == "pipe_installed_after_as_of")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return {"late": late, "year": year, "as_of": as_of}


def _reason_fr(exc: BaseException) -> str:
    """The first line of why a file could not be read, in French when the error has its French."""
    return (french_error(exc) or str(exc)).splitlines()[0]


def read_risk(path, *, network=None, config: Config | None = None) -> pd.DataFrame:
    """Read a ``risk.csv`` written by ``leakopt run``, or by hand or another tool, checking the columns
    placement needs: ``pipe_id`` and ``expected_leaks_per_year`` (a number >= 0 on every row, one row per pipe).

    Material and diameter come from the network's links when the file lacks them; a file without
    ``leaks_per_km_year`` gets it from the pipes' lengths, and one without ``in_priority_zone`` the
    priority zone drawn from its expected leaks (``[priority]`` of ``config``), said in a warning.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"risk file {path} does not exist; run 'leakopt run ... --out DIR' first "
                         "and pass DIR/risk.csv",
                         fr=f"le fichier de risque {path} n’existe pas ; lancez d’abord « leakopt run ... --out "
                            "DOSSIER » et passez DOSSIER/risk.csv")
    try:
        risk = read_output(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:   # an empty file, a broken quote...
        raise InputError(f"risk file {path} could not be read as CSV ({str(exc).splitlines()[0]}); pass the "
                         "risk.csv of a 'leakopt run', or a CSV with the columns pipe_id and "
                         "expected_leaks_per_year",
                         fr=f"le fichier de risque {path} n’a pas pu être lu comme un CSV ({_reason_fr(exc)}) ; "
                            "passez le risk.csv d’un « leakopt run », ou un CSV avec les colonnes pipe_id et "
                            "expected_leaks_per_year") from exc
    need = {"pipe_id", "expected_leaks_per_year"}
    missing = sorted(need - set(risk.columns))
    if missing:
        raise InputError(f"risk file {path} lacks column(s) {missing}; it must be a risk.csv written by "
                         f"'leakopt run', or a CSV with at least pipe_id and expected_leaks_per_year "
                         f"(columns found: {list(risk.columns)[:12]})",
                         fr=f"il manque au fichier de risque {path} les colonnes {missing} ; ce doit être un risk.csv "
                            "écrit par « leakopt run », ou un CSV avec au moins pipe_id et expected_leaks_per_year "
                            f"(colonnes trouvées : {list(risk.columns)[:12]})")
    if risk.empty:
        raise InputError(f"risk file {path} has its header but no pipe: pass the risk.csv of a 'leakopt run'",
                         fr=f"le fichier de risque {path} a sa ligne d’en-tête mais aucune conduite : passez le "
                            "risk.csv d’un « leakopt run »")
    _check_risk_values(risk, path)
    for col in ("length_m", "diameter_mm", "leaks_per_km_year"):
        if col in risk and not pd.api.types.is_numeric_dtype(risk[col]):
            risk[col] = read_numbers(risk[col]).values
    if "in_priority_zone" in risk:
        risk["in_priority_zone"] = risk["in_priority_zone"].astype(str).str.lower().isin(["true", "1"])
    if network is not None:
        links = network.links.set_index("pipe_id")
        unknown = ~risk["pipe_id"].isin(links.index)
        if unknown.all():
            net = network.inp_path or "the network"
            net_fr = network.inp_path or "le réseau"
            raise InputError(f"none of the {len(risk):,} pipe IDs of {path} (e.g. {list(risk['pipe_id'][:3])}) "
                             f"is a pipe of {net} (e.g. {list(links.index[:3])}): no pipe could be weighted by "
                             f"its risk. Pass the risk.csv of a 'leakopt run' with --network {net}, or the "
                             "network that run was given",
                             fr=f"aucun des {fmt_int(len(risk), 'fr')} identifiants de conduite de {path} (par exemple "
                                f"{list(risk['pipe_id'][:3])}) n’est une conduite de {net_fr} (par exemple "
                                f"{list(links.index[:3])}) : aucune conduite n’a pu être pondérée par son risque. "
                                f"Passez le risk.csv d’un « leakopt run » lancé avec --network {net_fr}, ou le réseau "
                                "donné à cette analyse")
        for col in ("length_m", "diameter_mm"):
            if col not in risk:
                risk[col] = risk["pipe_id"].map(links[col])
        if "material" not in risk:
            log.warning("%s has no material column: listening ranges use the 'unknown' family", path,
                        extra=in_french("%s n’a pas de colonne material : les portées d’écoute sont celles de la "
                                        "famille « unknown »"))
            risk["material"] = "unknown"
    if "length_m" in risk:
        _add_rate_and_zone(risk, path, config or Config())
    return risk


def _check_risk_values(risk: pd.DataFrame, path: Path) -> None:
    """Refuse rows whose expected leaks are not a number >= 0 (blank, "n/a", NaN, inf, negative), and pipes
    on several rows: placement would weigh the first as never leaking and count the second twice, unsaid.
    ``expected_leaks_per_year`` is made numeric in place."""
    raw = risk["expected_leaks_per_year"]
    value = read_numbers(raw).values     # "0,12" as a spreadsheet in French writes it, too
    bad = ~(np.isfinite(value.to_numpy(dtype=float)) & (value.to_numpy(dtype=float) >= 0))
    if bad.any():
        rows = np.flatnonzero(bad)
        shown = ", ".join(f"line {i + 2}: {'blank' if pd.isna(raw.iloc[i]) else repr(str(raw.iloc[i]))}"
                          for i in rows[:5])
        shown_fr = ", ".join(f"ligne {i + 2} : {'vide' if pd.isna(raw.iloc[i]) else repr(str(raw.iloc[i]))}"
                             for i in rows[:5])
        verb = "has" if len(rows) == 1 else "have"
        one = singular(len(rows), "fr")
        raise InputError(f"risk file {path}: {len(rows):,} of its {len(risk):,} rows {verb} no "
                         f"usable expected_leaks_per_year ({shown}); expected leaks per year are numbers >= 0, one per "
                         "pipe: correct those rows, or remove them (a pipe not in the file counts as never leaking)",
                         fr=f"fichier de risque {path} : {fmt_int(len(rows), 'fr')} {'ligne' if one else 'lignes'} "
                            f"sur {fmt_int(len(risk), 'fr')} {'n’a' if one else 'n’ont'} pas de valeur "
                            f"expected_leaks_per_year utilisable ({shown_fr}) ; les fuites attendues par an sont des "
                            "nombres >= 0, un par conduite : corrigez ces lignes, ou supprimez-les (une conduite "
                            "absente du fichier compte comme ne fuyant jamais)")
    risk["expected_leaks_per_year"] = value.astype(float)
    repeated = risk["pipe_id"].duplicated(keep=False)
    if repeated.any():
        ids = list(dict.fromkeys(risk.loc[repeated, "pipe_id"]))
        one = singular(len(ids), "fr")
        raise InputError(f"risk file {path}: {len(ids):,} pipe ID(s) are on more than one row (e.g. {ids[:3]}, "
                         f"{int(repeated.sum()):,} rows in all); a risk file has one row per pipe: keep one row "
                         "for each",
                         fr=f"fichier de risque {path} : {fmt_int(len(ids), 'fr')} "
                            f"{'identifiant de conduite figure' if one else 'identifiants de conduite figurent'} sur "
                            f"plusieurs lignes (par exemple {ids[:3]}, {fmt_int(int(repeated.sum()), 'fr')} lignes en "
                            "tout) ; un fichier de risque a une ligne par conduite : n’en gardez qu’une pour chacune")


def _add_rate_and_zone(risk: pd.DataFrame, path: Path, config: Config) -> None:
    """A risk file written by hand or by another tool: ``leaks_per_km_year`` from the lengths, and the
    priority zone drawn from its expected leaks, in place, each said when added."""
    length = pd.to_numeric(risk["length_m"], errors="coerce").to_numpy(dtype=float)
    known = np.isfinite(length) & (length > 0)
    if "leaks_per_km_year" not in risk:
        rate = np.zeros(len(risk))
        rate[known] = risk["expected_leaks_per_year"].to_numpy(dtype=float)[known] * 1000.0 / length[known]
        risk["leaks_per_km_year"] = rate
    if "in_priority_zone" not in risk:
        cfg = config.stage("priority")
        zone = np.zeros(len(risk), dtype=bool)
        if known.any():
            part = risk.loc[known, ["pipe_id", "expected_leaks_per_year", "leaks_per_km_year"]].assign(
                length_m=length[known])
            zone[known] = priority_zone(part, config=cfg).risk["in_priority_zone"].to_numpy(dtype=bool)
        risk["in_priority_zone"] = zone
        log.warning("%s has no in_priority_zone column: the priority zone was drawn from its expected leaks "
                    "(%s pipes hold %.0f%% of them, [priority] target_share)", path, f"{int(zone.sum()):,}",
                    100 * cfg.target_share,
                    extra=in_french("%s n’a pas de colonne in_priority_zone : la zone prioritaire a été tracée "
                                    "d’après ses fuites attendues (%d conduites en portent %.0f %%, [priority] "
                                    "target_share)", path, int(zone.sum()), 100 * cfg.target_share))

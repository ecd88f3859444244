"""The whole job, stage by stage: what ``leakopt run`` and ``leakopt demo`` do.

``run()`` loads and validates the inputs, scores every pipe, finds the
priority zone, back-tests the ranking on the utility's own history, places
acoustic loggers (when a network is given), plans renewals, and writes the
contract's output files plus the report.  Each stage's wall time, CPU time
and the peak memory go to ``manifest.json``: enough to reproduce the run and
to state its compute cost.  Each stage reports its progress under its own
name ("risk: boosting rounds 120/2000", "backtest: cutoff 2019-01-01 1/3"),
with the convention of :mod:`leakopt.schema`.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from leakopt.config import Config, unused_tables
from leakopt.errors import InputError
from leakopt.i18n import check_lang
from leakopt.io import (
    StageTimer,
    build_manifest,
    check_crs,
    file_sha256,
    pipes_geodataframe,
    read_network,
    read_points,
    to_wgs84,
    write_geojson,
    write_json,
)
from leakopt.placement import build_coverage, place_pressure_sensors, place_sensors, plan_campaign, tradeoff_curve
from leakopt.renewal import plan_renewal
from leakopt.report import write_report
from leakopt.risk import (
    HYDRAULIC_COLUMNS,
    HydraulicsStatus,
    backtest,
    hydraulic_features,
    plot_capture,
    priority_zone,
    score_pipes,
    usable_leak_records,
)
from leakopt.schema import Progress, within
from leakopt.synth import synthesize, write_synth
from leakopt.validate import SITE_ISSUES, SnappedSites, ValidationReport, load_utility, snap_sites

log = logging.getLogger(__name__)

#: Where ``leakopt demo`` finds the shipped sample (a source checkout or editable install).
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data_samples"
SAMPLE_PIPES, SAMPLE_SEED = 4000, 42


@dataclass(frozen=True)
class RunResult:
    """What a run produced; the files are in ``out_dir``."""

    out_dir: Path
    utility: Any
    risk: pd.DataFrame
    priority: dict
    backtest: dict | None
    placement: dict | None
    renewal: dict | None
    manifest: dict
    files: dict[str, Path]
    hydraulics: dict | None = None


# --- inputs ---------------------------------------------------------------------------------

def load(pipes, leaks, network=None, *, config: Config | None = None, as_of=None, layer=None,
         progress: Progress | None = None):
    """Read and validate the inputs: :func:`leakopt.validate.load_utility` with the config's settings."""
    return load_utility(pipes, leaks, network, config=config or Config(), as_of=as_of, layer=layer,
                           progress=progress)


def _out_dir(out_dir) -> Path:
    if out_dir is None:
        raise InputError("no output folder given; pass --out DIR")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"output path {out} exists and is not a folder; give a folder path with --out")
    out.mkdir(parents=True, exist_ok=True)
    return out


# --- the stages -----------------------------------------------------------------------------

def _stage_hydraulics(utility, config: Config, progress: Progress):
    """Hydraulic features (or None) and a :class:`~leakopt.risk.HydraulicsStatus` saying why."""
    if utility.network is None:
        return None, HydraulicsStatus("not_run")
    if not getattr(config.stage("risk"), "use_hydraulics", True):
        return None, HydraulicsStatus("disabled")
    try:
        frame = hydraulic_features(utility.network, progress=progress)
    except InputError:
        raise
    except Exception as exc:  # a network EPANET cannot simulate still gets risk scores, and says so
        error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
        log.warning("hydraulic simulation failed (%s): pipes are scored WITHOUT the pressure and velocity "
                    "features; manifest.json and the report record it", error)
        return None, HydraulicsStatus("failed", error=error)
    return frame, HydraulicsStatus("ok", features_used=tuple(c for c in HYDRAULIC_COLUMNS if c in frame))


def _hydraulics_used(status, risk_result):
    """The status with only the hydraulic features the fitted model actually takes."""
    from dataclasses import replace
    model_features = set(risk_result.model.features or ())
    return replace(status, features_used=tuple(f for f in status.features_used if f in model_features))


def _stage_risk(utility, config: Config, hydraulics, out: Path, lang: str, progress: Progress):
    result = score_pipes(utility, config=config.stage("risk"), hydraulics=hydraulics, progress=progress)
    prio = priority_zone(result.risk, config=config.stage("priority"))
    risk = prio.risk.copy()
    if lang != "en" and f"top_factors_{lang}" in risk:
        risk["top_factors"] = risk[f"top_factors_{lang}"]
    result.model.save(out / "model.txt")
    return result, prio, risk


def _default_cutoff(utility, horizon: int):
    """Cutoff for the run's own backtest: ``horizon`` years before as-of, if history allows."""
    first = utility.first_record_year
    if first is None and len(utility.leaks):
        first = int(utility.leaks["year"].min())
    cutoff = pd.Timestamp(utility.as_of.year - horizon, 1, 1)
    if first is None or cutoff.year - first < 3:
        return None
    return cutoff


def _stage_backtest(utility, config: Config, out: Path, progress: Progress, *, cutoff=None,
                    horizon: int | None = None, truth=None, hydraulics=None):
    cfg = config.stage("backtest")
    horizon = horizon or cfg.horizon_years
    cutoff = pd.Timestamp(cutoff) if cutoff is not None else _default_cutoff(utility, horizon)
    if cutoff is None:
        log.warning("history too short for a backtest (needs 3 years of records before the cutoff)")
        return None
    result = backtest(utility, cutoff=cutoff, horizon_years=horizon, config=cfg, truth=truth,
                      risk_config=config.stage("risk"), hydraulics=hydraulics, progress=progress)
    data = result.to_json()
    write_json(data, out / "backtest.json")
    plot_capture(result, out / "capture.png")
    return data


def _stage_sensors(utility, risk: pd.DataFrame, config: Config, out: Path, progress: Progress, *, sites=None):
    snapped = load_sites(sites, utility.network, config=config, network_crs=utility.crs, out=out)
    cov = build_coverage(utility.network, risk, config=config.stage("coverage"), progress=progress,
                         sites=None if snapped is None else snapped.sites)
    pcfg = config.stage("placement")
    progress("placing the loggers", 0, 1)
    placement = place_sensors(cov, risk, config=pcfg)
    progress(f"{len(placement.sensors):,} loggers placed", 1, 1)
    write_sensors(placement, out, crs=utility.crs, sites=snapped)
    curve = tradeoff_curve(cov, risk, config=pcfg, progress=progress)
    curve.to_csv(out / "tradeoff.csv", index=False)
    return _with_sites(placement.to_json(), snapped)


def sites_path(sites, config: Config) -> Path | None:
    """The sites file: ``--sites``, else ``[coverage] sites`` (relative to the configuration file's folder)."""
    if sites is not None:
        return Path(sites)
    configured = config.stage("coverage").sites
    if configured is None:
        return None
    path = Path(configured)
    return path if path.is_absolute() or config.path is None else Path(config.path).parent / path


def load_sites(sites, network, *, config: Config, network_crs: str | None, out: Path) -> SnappedSites | None:
    """Read, reproject and snap the utility's fittings; their issues go to ``out/validation.json``,
    every site with its nearest pipe, distance and whether it is used to ``out/sites_snapped.csv``.

    Raises
    ------
    InputError
        When no site is within ``[coverage] site_snap_max_m`` of a pipe.
    """
    path = sites_path(sites, config)
    if path is None:
        return None
    cfg = config.stage("coverage")
    points, crs = read_points(path)
    snapped = snap_sites(points, network, crs=crs or check_crs(cfg.sites_crs, name="[coverage] sites_crs"),
                         network_crs=network_crs, max_distance_m=cfg.site_snap_max_m, source=str(path))
    snapped.report.write_merged(out / "validation.json", replace_codes=SITE_ISSUES)
    snapped.table().to_csv(out / "sites_snapped.csv", index=False)
    if len(snapped.sites) == 0:
        assumed = snapped.report.get("sites_crs_assumed")
        raise InputError(f"none of the {len(points):,} sites of {path} is within {cfg.site_snap_max_m:g} m of a pipe "
                         f"of the network{f' ({assumed.message})' if assumed else ''}; check the coordinate "
                         "systems ([coverage] sites_crs for a CSV, --crs for the network) or raise "
                         "[coverage] site_snap_max_m")
    return snapped


def _with_sites(p: dict, snapped: SnappedSites | None) -> dict:
    return p if snapped is None else {**p, **snapped.to_json()}


def write_sensors(placement, out: Path, *, crs: str | None, sites: SnappedSites | None = None) -> None:
    """Write ``sensors.csv`` (with lon/lat when the CRS is known) and ``placement.json`` (with the sites' counts)."""
    sensors = placement.sensors.copy()
    if crs is not None and len(sensors):
        lon, lat = to_wgs84(sensors["x"].to_numpy(), sensors["y"].to_numpy(), crs)
        sensors["lon"], sensors["lat"] = lon, lat
    sensors.to_csv(out / "sensors.csv", index=False)
    write_json(_with_sites(placement.to_json(), sites), out / "placement.json")


def _stage_renewal(risk: pd.DataFrame, utility, config: Config, out: Path, progress: Progress):
    adjacency = None
    if {"start_node", "end_node"} <= set(utility.pipes.columns):
        adjacency = utility.pipes[["pipe_id", "start_node", "end_node"]]
    plan = plan_renewal(risk, config=config.stage("renewal"), adjacency=adjacency, leaks=utility.leaks,
                        as_of=utility.as_of, progress=progress)
    plan.plan.to_csv(out / "renewal_plan.csv", index=False)
    write_json(plan.summary, out / "renewal.json")
    return plan.summary


def _write_geojson(risk: pd.DataFrame, utility, out: Path) -> bool:
    gdf = pipes_geodataframe(risk, utility)
    if gdf is None or gdf.geometry.isna().all():
        log.warning("no pipe geometry (no GIS layer and no network): risk.geojson not written")
        return False
    write_geojson(gdf, out / "risk.geojson")
    return True


def _stage_load(pipes, leaks, network, *, config: Config, as_of, layer, out: Path, progress: Progress):
    """Load and validate; ``validation.json`` is written even when the inputs are refused."""
    try:
        utility = load(pipes, leaks, network, config=config, as_of=as_of, layer=layer, progress=progress)
    except InputError as exc:  # still say everything that was found, then stop
        if getattr(exc, "report", None) is not None:
            write_json(exc.report.to_dict(), out / "validation.json")
        raise
    write_json(utility.validation.to_dict(), out / "validation.json")
    write_leaks_used(utility, out)
    return utility


def write_leaks_used(utility, out: Path) -> Path:
    """``leaks_used.csv``: the leak records the model counted, each on its pipe (by ID, or snapped
    from x, y): the per-pipe history the app lists beside the model's "3 leaks since 2019"."""
    leaks = usable_leak_records(utility)
    leaks["date"] = leaks["date"].dt.date
    leaks.to_csv(out / "leaks_used.csv", index=False)
    return out / "leaks_used.csv"


def _finish(utility, risk, risk_result, config: Config, timer: StageTimer, files: dict, *, out: Path,
            lang: str, report: bool, command: str, records: dict,
            progress: Progress) -> dict:
    """Map layer, manifest and report; the manifest is rewritten after the report to time it."""
    steps = 2 if report else 1
    progress("map layer", 0, steps)
    with timer.stage("geojson"):
        if _write_geojson(risk, utility, out):
            files["geojson"] = out / "risk.geojson"
    extra = {"risk_model": {"cpu_seconds_training": round(risk_result.cpu_seconds, 3),
                            "train_rows": int(risk_result.train_rows),
                            "best_iteration": int(risk_result.best_iteration),
                            "features": list(risk_result.model.features or ())},
             **records}
    manifest = build_manifest(utility, config, timer, command=command, extra=extra)
    write_json(manifest, out / "manifest.json")
    files["manifest"] = out / "manifest.json"
    if report:
        progress("report.html", 1, steps)
        with timer.stage("report"):
            files["report"] = write_report(out, lang=lang, config=config.stage("report"))
        manifest = build_manifest(utility, config, timer, command=command, extra=extra)
        write_json(manifest, out / "manifest.json")
    progress("written", steps, steps)
    return manifest


def run(pipes, leaks, network=None, *, config: Config | None = None, as_of=None, out_dir=None,
        lang: str | None = None, layer: str | None = None, sensors: bool = True, backtest: bool = True,
        renewal: bool = True, report: bool = True, progress: Progress | None = None,
        command: str = "run", sites=None) -> RunResult:
    """Run the whole pipeline and write every output file into ``out_dir``.

    Parameters
    ----------
    pipes, leaks, network : path
        Asset register, leak history, and an optional EPANET ``.inp``.
    config : Config, optional
        From :func:`leakopt.config.load_config`; defaults everywhere when omitted.
    as_of : date, optional
        Forecast date; default the day after the last leak.
    out_dir : path
        Output folder, created if needed.
    lang : {"en", "fr"}, optional
        Language of ``top_factors`` and of the report; default the config's
        ``[report] lang`` (English).  The rest of ``[report]`` (title, network
        name, issues listed) shapes ``report.html``.
    sensors, backtest, renewal, report : bool
        Switch optional stages off.
    sites : path, optional
        The utility's fittings as logger sites (CSV with x, y or a GIS point layer); default the
        config's ``[coverage] sites``.  Snapped to the pipes; problems go to ``validation.json``.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`); each stage's steps are named
        "stage: step" (stages load, hydraulics, risk, backtest, sensors, renewal, report).

    Returns
    -------
    RunResult
    """
    config = config or Config()
    lang = check_lang(lang) if lang is not None else config.stage("report").lang
    ignored = _unused_tables(config, command)
    out = _out_dir(out_dir)
    timer, files = StageTimer(), {}

    with timer.stage("load_validate"):
        utility = _stage_load(pipes, leaks, network, config=config, as_of=as_of, layer=layer, out=out,
                              progress=within(progress, "load"))
    files.update(validation=out / "validation.json", leaks_used=out / "leaks_used.csv")

    with timer.stage("hydraulics"):
        hydraulics, hyd_status = _stage_hydraulics(utility, config, within(progress, "hydraulics"))
    with timer.stage("risk"):
        risk_result, prio, risk = _stage_risk(utility, config, hydraulics, out, lang, within(progress, "risk"))
    hyd = _hydraulics_used(hyd_status, risk_result).to_json()
    risk.to_csv(out / "risk.csv", index=False)
    write_json(prio.to_json(), out / "priority.json")
    files.update(risk=out / "risk.csv", priority=out / "priority.json", model=out / "model.txt")

    bt = None
    if backtest:
        with timer.stage("backtest"):
            bt = _stage_backtest(utility, config, out, within(progress, "backtest"), hydraulics=hydraulics)
        if bt is not None:
            files["backtest"] = out / "backtest.json"

    placement = None
    if sites_path(sites, config) is not None and not (sensors and utility.network is not None):
        log.warning("the sites file %s is not used: loggers are placed only when a network is given and "
                    "--no-sensors is not", sites_path(sites, config))
    if sensors and utility.network is not None:
        with timer.stage("sensors"):
            placement = _stage_sensors(utility, risk, config, out, within(progress, "sensors"), sites=sites)
        files.update(sensors=out / "sensors.csv", placement=out / "placement.json")

    plan = None
    if renewal:
        with timer.stage("renewal"):
            plan = _stage_renewal(risk, utility, config, out, within(progress, "renewal"))
        files["renewal_plan"] = out / "renewal_plan.csv"

    manifest = _finish(utility, risk, risk_result, config, timer, files, out=out, lang=lang, report=report,
                       command=command, records={"hydraulics": hyd, "ignored_config": ignored},
                       progress=within(progress, "report"))
    return RunResult(out_dir=out, utility=utility, risk=risk, priority=prio.to_json(), backtest=bt,
                     placement=placement, renewal=plan, manifest=manifest, files=files, hydraulics=hyd)


def _unused_tables(config: Config, command: str) -> dict[str, str]:
    """:func:`leakopt.config.unused_tables`, each logged as a warning."""
    ignored = unused_tables(config, command=command)
    for sentence in ignored.values():
        log.warning(sentence)
    return ignored


def sample_paths(*, progress: Progress | None = None) -> dict[str, Path]:
    """Paths of the shipped sample; regenerated with ``synth`` (same seed) if absent."""
    paths = {"pipes": SAMPLE_DIR / "pipes.csv", "leaks": SAMPLE_DIR / "leaks.csv",
             "network": SAMPLE_DIR / "network.inp"}
    if all(p.is_file() for p in paths.values()):
        return paths
    import tempfile
    log.warning("shipped sample not found next to the package; regenerating it (seed %d)", SAMPLE_SEED)
    target = Path(tempfile.mkdtemp(prefix="leakopt-sample-"))
    written = write_synth(synthesize(SAMPLE_PIPES, seed=SAMPLE_SEED, progress=within(progress, "sample")), target)
    return {k: Path(written[k]) for k in ("pipes", "leaks", "network")}


def run_demo(*, out_dir=None, lang: str | None = None, progress: Progress | None = None) -> RunResult:
    """The whole pipeline on the shipped sample data."""
    paths = sample_paths(progress=progress)
    return run(paths["pipes"], paths["leaks"], paths["network"], out_dir=out_dir, lang=lang,
               progress=progress, command="demo")


def run_backtest(pipes, leaks, network=None, *, config: Config | None = None, cutoff, horizon_years=3,
                 truth=None, out_dir, layer=None, progress: Progress | None = None) -> str:
    """``leakopt backtest``: write ``backtest.json`` and ``capture.png``; return a summary text."""
    config = config or Config()
    _unused_tables(config, "backtest")
    out = _out_dir(out_dir)
    utility = load(pipes, leaks, network, config=config, layer=layer, progress=within(progress, "load"))
    write_json(utility.validation.to_dict(), out / "validation.json")
    truth_frame = None
    if truth is not None:
        if not Path(truth).is_file():
            raise InputError(f"truth file {truth} does not exist")
        truth_frame = pd.read_csv(truth, dtype={"pipe_id": str})
    hydraulics, _ = _stage_hydraulics(utility, config, within(progress, "hydraulics"))  # a failure is logged
    data = _stage_backtest(utility, config, out, within(progress, "backtest"), cutoff=cutoff,
                           horizon=horizon_years, truth=truth_frame, hydraulics=hydraulics)
    return backtest_text(data, out)


def backtest_text(data: dict, out: Path) -> str:
    """Plain summary of a backtest, for the terminal."""
    lines = [f"Backtest from {data['cutoff']} over {data['horizon_years']} years: "
             f"{data['n_test_leaks']:,} test leaks.",
             f"{'method':26s} " + " ".join(f"{k:>6s}" for k in data["model"]["capture"]) + "   80% at"]
    methods = {"model": data["model"], **data.get("baselines", {})}
    if "truth" in data:
        methods["truth (oracle)"] = data["truth"]
    for name, m in methods.items():
        caps = " ".join(f"{100 * v:5.1f}%" for v in m["capture"].values())
        l80 = m.get("length_share_for_80pct")
        lines.append(f"{name:26s} {caps}   {100 * l80:5.1f}%" if l80 is not None else f"{name:26s} {caps}")
    lines.append("(share of the test period's leaks found on the top x% of network length)")
    lines.append(f"Outputs in {out}")
    return "\n".join(lines)


def run_sensors(network, risk_csv, *, config: Config | None = None, target_share=None, budget=None,
                crs=None, out_dir, progress: Progress | None = None, sites=None) -> str:
    """``leakopt sensors``: place loggers on a network from an existing ``risk.csv``.

    ``sites``: the utility's fittings as logger sites (default the config's ``[coverage] sites``),
    in the network's CRS ``crs`` once reprojected.
    """
    config = config or Config()
    check_crs(crs)
    out = _out_dir(out_dir)
    net = read_network(network)
    risk = read_risk(risk_csv, network=net)
    snapped = load_sites(sites, net, config=config, network_crs=crs, out=out)
    cov = build_coverage(net, risk, config=config.stage("coverage"), progress=within(progress, "sensors"),
                         sites=None if snapped is None else snapped.sites)
    pcfg = config.stage("placement")
    placement = place_sensors(cov, risk, target_share=target_share, budget=budget, config=pcfg)
    write_sensors(placement, out, crs=crs, sites=snapped)
    p = _with_sites(placement.to_json(), snapped)
    _write_sensor_validation(p, network=network, risk_csv=risk_csv, path=out / "validation.json",
                             unused=unused_tables(config, command="sensors"))
    return _placement_line(p) + f" Solver: {p['solver']}, status {p['status']}.\nOutputs in {out}"


def run_pressure_sensors(network, risk_csv, *, config: Config | None = None, n: int = 5, crs=None, out_dir,
                         progress: Progress | None = None) -> str:
    """``leakopt sensors --kind pressure``: ``n`` pressure sensors on a network from an existing ``risk.csv``.

    Leak scenarios are simulated with the ``[pressure]`` settings
    (:func:`leakopt.placement.place_pressure_sensors`).  Writes
    ``pressure_sensors.csv`` (``node_id``, ``x``, ``y``, ``detected_scenarios``,
    ``detected_risk_share``, and ``lon``, ``lat`` when ``crs`` is known),
    ``pressure_scenarios.csv`` (``node_id``, ``weight``, ``leak_flow_m3s``,
    ``detected``) and ``pressure.json`` (the detection figures, the solver
    status, the settings used); returns a summary text.
    """
    config = config or Config()
    check_crs(crs)
    out = _out_dir(out_dir)
    net = read_network(network)
    risk = read_risk(risk_csv, network=net)
    pcfg = config.stage("pressure")
    result = place_pressure_sensors(net, risk, k=n, config=pcfg, progress=within(progress, "pressure"))
    sensors = result.sensors.copy()
    if crs is not None and len(sensors):
        sensors["lon"], sensors["lat"] = to_wgs84(sensors["x"].to_numpy(), sensors["y"].to_numpy(), crs)
    sensors.to_csv(out / "pressure_sensors.csv", index=False)
    result.scenarios.to_csv(out / "pressure_scenarios.csv", index=False)
    p = {**result.to_json(), "n_requested": int(n), "threshold_m": pcfg.threshold_m,
         "leak_area_m2": pcfg.leak_area_m2, "detected_risk_share_per_sensor": sensors["detected_risk_share"].tolist(),
         "risk_csv": _risk_source(risk_csv)}
    write_json(p, out / "pressure.json")
    _write_sensor_validation(p, network=network, risk_csv=risk_csv, path=out / "validation.json",
                             unused=unused_tables(config, command="sensors --kind pressure"))
    return (pressure_line(p) + f" Solver: {p.get('solver')}, status {p.get('status')}.\nOutputs in {out}"
            + _report_hint(out))


def run_campaign(network, risk_csv, *, config: Config | None = None, loggers: int | None = None,
                 deployment_days: int | None = None, target_share: float | None = None, scope: str | None = None,
                 crs=None, sites=None, out_dir, progress: Progress | None = None) -> str:
    """``leakopt campaign``: the deployments of ``loggers`` loggers that hear the most expected leaks soonest.

    Options left None take the config's ``[campaign]`` settings.

    Writes ``campaign.csv`` (one row per logger per deployment), ``campaign_curve.csv`` (the
    share heard after each deployment, greedy and risk-ranking) and ``campaign.json``
    (:meth:`leakopt.placement.Campaign.to_json`); returns a summary text.
    """
    config = config or Config()
    check_crs(crs)
    out = _out_dir(out_dir)
    net = read_network(network)
    risk = read_risk(risk_csv, network=net)
    snapped = load_sites(sites, net, config=config, network_crs=crs, out=out)
    cov = build_coverage(net, risk, config=config.stage("coverage"), progress=within(progress, "campaign"),
                         sites=None if snapped is None else snapped.sites)
    campaign = plan_campaign(cov, risk, loggers=loggers, deployment_days=deployment_days,
                             target_share=target_share, scope=scope, config=config.stage("campaign"))
    plan = campaign.plan.copy()
    if crs is not None and len(plan):
        plan["lon"], plan["lat"] = to_wgs84(plan["x"].to_numpy(), plan["y"].to_numpy(), crs)
    plan.to_csv(out / "campaign.csv", index=False)
    campaign.curve.to_csv(out / "campaign_curve.csv", index=False)
    c = {**_with_sites(campaign.to_json(), snapped), "risk_csv": _risk_source(risk_csv)}
    write_json(c, out / "campaign.json")
    _write_sensor_validation(c, network=network, risk_csv=risk_csv, path=out / "validation.json",
                             unused=unused_tables(config, command="campaign"))
    return campaign_text(c) + f"\nOutputs in {out}" + _report_hint(out)


def _risk_source(risk_csv) -> dict:
    """The risk.csv a result was computed from (path, sha256): the report tells when the run's is another."""
    return {"path": str(risk_csv), "sha256": file_sha256(risk_csv)}


def _report_hint(out: Path) -> str:
    """In a run folder (one with a report), how to add these outputs to its report: it is not rewritten here,
    so its language and place stay the user's choice."""
    if not (out / "report.html").is_file():
        return ""
    return f"\nThe run's report does not show them yet: 'leakopt report {out}' rewrites it with them."


def campaign_text(c: dict) -> str:
    """The campaign in a few lines (``campaign.json``), against moving the loggers down the risk ranking."""
    scope = "the priority zone" if c["scope"] == "zone" else "the network"
    r = c["risk_ranking"]
    lines = [f"Campaign: {c['loggers']:,} loggers, {c['deployment_days']} days a deployment: "
             f"{c['n_deployments']:,} deployments ({c['days']:,} days) hear {100 * c['share_heard']:.1f}% of the "
             f"expected leaks of {scope}"
             + ("." if c["target_reached"] else f" (target {100 * c['target_share']:.0f}%; "
                f"{100 * c['reachable_share']:.1f}% is within reach of the candidate sites).")]
    for q in ("0.5", "0.8"):
        if q in c["deployments_to_share"]:
            other = r["deployments_to_share"].get(q)
            lines.append(f"  {100 * float(q):.0f}% heard after {c['deployments_to_share'][q]} deployments "
                         f"(following the risk ranking: {other if other is not None else 'never'}).")
    if c.get("mean_days_to_hear") is not None and r.get("mean_days_to_hear") is not None:
        lines.append(f"  An expected leak heard is heard after {c['mean_days_to_hear']:.0f} days on average "
                     f"({r['mean_days_to_hear']:.0f} following the risk ranking).")
    lines.append("  Status: greedy (each deployment is the greedy maximum coverage of what is still unheard, "
                 f"proven within {100 * c['worst_deployment_gap']:.1f}% of the best deployment given the earlier "
                 "ones; the sequence as a whole is not proven optimal).")
    return "\n".join(lines)


def pressure_line(p: dict) -> str:
    """One sentence on a pressure-sensor placement (``pressure.json``)."""
    text = (f"Pressure sensors: {p['n_sensors']:,} detect {100 * p['detected_risk_share']:.1f}% of the risk-weighted "
            f"leak scenarios ({p['n_scenarios']:,} junctions simulated, {p['method']}, a drop of at least "
            f"{p['threshold_m']:g} m); leaks told apart: {p['n_distinguishable']:,} groups, "
            f"{p['n_unique_scenarios']:,} to one junction.")
    if p["n_sensors"] < p.get("n_requested", p["n_sensors"]):
        text += (f" Only {p['n_sensors']:,} of the {p['n_requested']:,} asked for: more would detect no more "
                 "risk-weighted leaks.")
    return text


def _write_sensor_validation(p: dict, *, network, risk_csv, path: Path, unused: dict[str, str]) -> None:
    """Network pipes missing from risk.csv and unused config tables, in ``validation.json``.

    A run folder's own issues are kept when ``path`` exists (issues of the same codes are replaced).
    """
    report = ValidationReport(sources={"network": str(network), "risk": str(risk_csv)})
    n = p.get("n_pipes_not_in_risk", 0)
    report.add("network_pipe_not_in_risk", "warning", n,
               f"{n} pipes of {Path(network).name} ({p.get('not_in_risk_length_m', 0):,.0f} m, "
               f"{100 * p.get('not_in_risk_length_share', 0):.1f}% of its length) are not in {Path(risk_csv).name}: "
               "loggers were placed as if they never leak; score them with 'leakopt run --network' on this "
               "network", examples=[{"pipe_id": i} for i in p.get("not_in_risk_examples", [])],
               file=str(risk_csv), column="pipe_id")
    for table, sentence in unused.items():
        report.add("config_table_not_used", "warning", 1, sentence, column=f"[{table}]")
    report.write_merged(path, replace_codes=("network_pipe_not_in_risk", "config_table_not_used"))


def _placement_line(p: dict) -> str:
    """One sentence on the logger placement, true to the model that was solved.

    ``model`` of ``placement.json``: "share" (the fewest loggers hearing the
    target share of expected leaks), "budget" (the most expected leaks the
    loggers available hear), "zone" (the fewest hearing every priority-zone
    metre a site can reach), "cover" (the share target was out of reach: the
    fewest hearing every weighted segment a site can reach).
    """
    n, heard = p["n_sensors"], f"{100 * p['covered_risk_share']:.1f}% of expected leaks"
    model, target = p.get("model"), p.get("target_share")
    if model == "zone":
        what = f"cover every metre of the priority zone they can reach ({heard})"
    elif model == "budget":
        what = f"(all those available) hear {heard}, the most {n:,} can"
    elif model == "cover":
        what = f"hear {heard}, all that the candidate sites can reach"
        if target is not None:
            what += f" (the target of {100 * target:.0f}% is out of reach)"
    else:
        what = f"hear {heard}" + (f" (target {100 * target:.0f}%)" if target is not None else "")
    text = f"Loggers: {n:,} {what}"
    if p.get("reduction_factor"):
        text += (f"; covering the whole network takes {p['n_sensors_full_network']:,} "
                 f"({p['reduction_factor']:.1f} times as many)")
    if p.get("n_sites_read") is not None:
        text += (f"; on {p['n_sites_used']:,} of the {p['n_sites_read']:,} fittings given"
                 + (f" ({p['n_sites_too_far']:,} too far from a pipe, listed in validation.json)"
                    if p.get("n_sites_too_far") else ""))
    if p.get("n_pipes_not_in_risk"):
        text += (f". {p['n_pipes_not_in_risk']:,} pipes of the network have no risk score and count as never "
                 "leaking (see placement.json)")
    return text + "."


def read_risk(path, *, network=None) -> pd.DataFrame:
    """Read a ``risk.csv`` written by ``leakopt run``, checking the columns placement needs.

    Material and diameter come from the network's links when the file lacks them.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"risk file {path} does not exist; run 'leakopt run ... --out DIR' first "
                         "and pass DIR/risk.csv")
    risk = pd.read_csv(path, dtype={"pipe_id": str})
    need = {"pipe_id", "expected_leaks_per_year", "in_priority_zone"}
    missing = sorted(need - set(risk.columns))
    if missing:
        raise InputError(f"risk file {path} lacks column(s) {missing}; it must be a risk.csv written by "
                         f"'leakopt run' (columns found: {list(risk.columns)[:12]})")
    risk["in_priority_zone"] = risk["in_priority_zone"].astype(str).str.lower().isin(["true", "1"])
    if network is not None:
        links = network.links.set_index("pipe_id")
        unknown = ~risk["pipe_id"].isin(links.index)
        if unknown.all():
            net = network.inp_path or "the network"
            raise InputError(f"none of the {len(risk):,} pipe IDs of {path} (e.g. {list(risk['pipe_id'][:3])}) "
                             f"is a pipe of {net} (e.g. {list(links.index[:3])}): no pipe could be weighted by "
                             f"its risk. Pass the risk.csv of a 'leakopt run' with --network {net}, or the "
                             "network that run was given")
        for col in ("length_m", "diameter_mm"):
            if col not in risk:
                risk[col] = risk["pipe_id"].map(links[col])
        if "material" not in risk:
            log.warning("%s has no material column: listening ranges use the 'unknown' family", path)
            risk["material"] = "unknown"
    return risk


def summary_text(result: RunResult, *, lang: str = "en") -> str:
    """The short summary printed after a run."""
    u = result.utility
    km = u.pipes["length_m"].sum() / 1000
    recorded = u.validation.summary.get("recorded_leaks") or {}
    per_year = recorded.get("leaks_per_year")
    rate = (f"; {per_year:,.0f} a year from {recorded['start']} to {recorded['end']}, "
            f"{100 * per_year / max(km, 1e-9):.1f} per 100 km a year") if per_year is not None else ""
    pr = result.priority
    lines = [
        f"Network: {km:,.1f} km, {len(u.pipes):,} pipes; {len(u.leaks):,} usable leak records{rate}.",
        f"Priority zone: {100 * pr['length_share']:.1f}% of the network length holds "
        f"{100 * pr['expected_leak_share']:.1f}% of expected leaks.",
    ]
    if result.backtest:
        m = result.backtest["model"]["capture"]
        lines.append(f"Backtest: the top 20% of length held {100 * m['0.2']:.1f}% of the leaks of the "
                     f"{result.backtest['horizon_years']} years after {result.backtest['cutoff']}.")
    hyd = result.hydraulics or {}
    if hyd.get("status") == "failed":
        lines.append(f"Hydraulic simulation failed ({hyd.get('error')}): pipes were scored without pressure "
                     "and velocity (recorded in manifest.json and the report).")
    if result.placement:
        p = result.placement
        lines.append(_placement_line(p) + _solver_note(p.get("solver"), p.get("status")))
    if result.renewal:
        lines.append(_renewal_line(result.renewal))
    n_issues = len(u.validation.to_dict().get("issues", []))
    lines.append(f"Data checks: {n_issues} kinds of problem reported in validation.json.")
    lines.append(f"Outputs in {result.out_dir} (open report.html).")
    return "\n".join(lines)


def _renewal_line(summary: dict) -> str:
    avoided = summary.get("leaks_avoided")
    years = summary.get("years")
    text = f"Renewal plan: {years} years"
    if avoided is not None:
        text += f", {avoided:,.1f} expected leaks avoided"
    rules = summary.get("rules") or {}
    ratios = [f"x{v['ratio']:.2f} vs {k.replace('_', ' ')}" for k, v in rules.items()
              if isinstance(v, dict) and v.get("ratio")]
    solver = summary.get("solver") or {}
    note = (" Built one year at a time: not proven optimal over the whole period."
            if summary.get("method") == "year_by_year" else _solver_note(solver.get("solver"), solver.get("status")))
    return text + (f" ({', '.join(ratios)})" if ratios else "") + "." + note


def _solver_note(solver, status) -> str:
    """" Not proven optimal: ..." naming the solver and its status, unless the answer is optimal."""
    if status is None or status == "optimal":
        return ""
    return f" Not proven optimal: {solver} ended with status {status}."


def dump(obj) -> str:
    return json.dumps(obj, indent=2, default=str)

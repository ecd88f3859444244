"""The stages of a run, one function each: load, hydraulics, risk, consequence, backtest, sensors, renewal.

Each takes the validated utility (and what earlier stages made), calls its
stage package and writes that stage's output files into the run folder.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from leakopt.config import Config, unused_tables
from leakopt.consequence import (
    add_business_risk,
    check_critical_nodes,
    consequence_of_failure,
    risk_matrix,
    top_demand_cut,
)
from leakopt.errors import InputError
from leakopt.i18n import fmt_int, fmt_short, in_french, os_reason
from leakopt.io import (
    StageTimer,
    build_manifest,
    check_crs,
    epanet_error,
    file_sha256,
    pipes_geodataframe,
    points_fr,
    read_points,
    read_valves,
    with_lonlat,
    write_geojson,
    write_json,
)
from leakopt.placement import build_coverage, place_pressure_sensors, place_sensors, tradeoff_curve
from leakopt.renewal import plan_renewal
from leakopt.report import write_report
from leakopt.risk import (
    HYDRAULIC_COLUMNS,
    HydraulicsStatus,
    PriorModel,
    backtest,
    check_extra_features,
    hydraulic_features,
    plot_capture,
    priority_zone,
    score_pipes,
    usable_leak_records,
)
from leakopt.schema import Progress
from leakopt.validate import (
    SITE_ISSUES,
    SnappedSites,
    check_valves,
    load_utility,
    no_usable_leak_error,
    snap_sites,
    valve_ends,
)
from leakopt.validate.messages import render, unused_table_params

log = logging.getLogger(__name__)


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
    risk_matrix: dict | None = None
    pressure: dict | None = None
    #: Language of the report and the explanations (``--lang``, else the configuration's ``[report] lang``).
    lang: str = "en"


# --- inputs ---------------------------------------------------------------------------------

def load(pipes, leaks, network=None, *, config: Config | None = None, as_of=None, layer=None,
         progress: Progress | None = None):
    """Read and validate the inputs: :func:`leakopt.validate.load_utility` with the config's settings.

    Settings that name the data (``[risk] extra_features`` columns, ``[consequence] critical_nodes``)
    are checked against it here, so that ``leakopt check`` refuses what ``leakopt run`` would, and a run
    stops before it trains."""
    config = config or Config()
    utility = load_utility(pipes, leaks, network, config=config, as_of=as_of, layer=layer, progress=progress)
    check_extra_features(utility.pipes, config.stage("risk").extra_features)
    if utility.network is not None:
        check_critical_nodes(utility.network, config.stage("consequence").critical_nodes)
    return utility


def make_out_dir(out_dir) -> Path:
    if out_dir is None:
        raise InputError("no output folder given; pass --out DIR",
                         fr="aucun dossier de sortie n’est donné ; passez --out DOSSIER")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"output path {out} exists and is not a folder; give a folder path with --out",
                         fr=f"le chemin de sortie {out} existe et n’est pas un dossier ; donnez avec --out le chemin "
                            "d’un dossier")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".leakopt-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"cannot write the outputs into {out} ({exc.strerror or exc}); give --out a folder you "
                         "can write to",
                         fr=f"impossible d’écrire les résultats dans {out} ({os_reason(exc, 'fr')}) ; donnez à --out "
                            "un dossier où vous avez le droit d’écrire") from exc
    return out


# --- the stages -----------------------------------------------------------------------------

def stage_hydraulics(utility, config: Config, progress: Progress):
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
        error = epanet_error(exc, utility.network.inp_path)
        log.warning("hydraulic simulation failed (%s): pipes are scored WITHOUT the pressure and velocity "
                    "features; manifest.json and the report record it", error,
                    extra=in_french("la simulation hydraulique a échoué (%s) : les conduites sont notées SANS les "
                                    "variables de pression et de vitesse ; manifest.json et le rapport le notent"))
        return None, HydraulicsStatus("failed", error=error)
    return frame, HydraulicsStatus("ok", features_used=tuple(c for c in HYDRAULIC_COLUMNS if c in frame))


def hydraulics_used(status, risk_result):
    """The status with only the hydraulic features the fitted model actually takes."""
    from dataclasses import replace
    model_features = set(risk_result.model.features or ())
    return replace(status, features_used=tuple(f for f in status.features_used if f in model_features))


def load_model(path, config: Config):
    """A model trained elsewhere (``--model``): ``path`` and its ``.glm.json``, or a clear error."""
    from leakopt.risk import RiskModel
    if not Path(path).is_file():
        raise InputError(f"model file {path} does not exist: give the model.txt of another utility's run "
                         "(with its model.txt.glm.json beside it)",
                         fr=f"le fichier de modèle {path} n’existe pas : donnez le model.txt de l’analyse d’un autre "
                            "service (avec son model.txt.glm.json à côté)")
    return RiskModel.load(path, config=config.stage("risk"))


def stage_risk(utility, config: Config, hydraulics, out: Path, lang: str, progress: Progress, *, model=None):
    """Score every pipe: a model trained on the utility's history, or ``model`` (trained elsewhere)."""
    result = score_pipes(utility, config=config.stage("risk"), hydraulics=hydraulics, progress=progress,
                         model=model)
    prio = priority_zone(result.risk, config=config.stage("priority"))
    risk = prio.risk.copy()
    if lang != "en" and f"top_factors_{lang}" in risk:
        risk["top_factors"] = risk[f"top_factors_{lang}"]
    result.model.save(out / model_file(result.model))
    return result, prio, risk


def model_file(model) -> str:
    """The run folder's file of the model that scored the pipes: ``model.txt`` (LightGBM trees, their GLM
    offset in ``model.txt.glm.json``), or ``prior.json`` for the literature prior."""
    return model.file_name


def stage_consequence(utility, risk: pd.DataFrame, config: Config, out: Path, progress: Progress, *, valves=None):
    """``consequence.csv``, ``risk_matrix.json``, and the risk frame with the business risk.

    ``valves``: the valve layer (``--valves``), else ``[consequence] valves_file``."""
    cfg = config.stage("consequence")
    path = valves_path(valves, config)
    layer = None
    if path is not None and utility.network is None:
        log.warning("a valve layer (%s) is given but no network: consequence is by diameter only", path,
                    extra=in_french("une couche de vannes (%s) est fournie mais pas de réseau : la conséquence ne "
                                    "tient qu’au diamètre"))
    elif path is not None:
        try:
            layer = valve_layer(path, cfg, utility, out)
        finally:   # what the valve layer's check found goes to validation.json, even when it refuses the layer
            write_json(utility.validation.to_dict(), out / "validation.json")
    likelihood = pd.Series(pd.to_numeric(risk["expected_leaks_per_year"]).to_numpy(float),
                           index=risk["pipe_id"].astype(str))
    result = consequence_of_failure(utility.pipes, utility.network, config=cfg, valves=layer,
                                    likelihood=likelihood, progress=progress)
    result.frame.to_csv(out / "consequence.csv", index=False)
    risk = add_business_risk(risk, result.frame)
    matrix = {**risk_matrix(risk), "consequence": result.summary,
              "top_demand_cut": top_demand_cut(result.frame, risk)}
    write_json(matrix, out / "risk_matrix.json")
    return risk, matrix


def configured_path(given, config: Config, table: str, key: str) -> Path | None:
    """A file named on the command line (``given``), else by ``[table] key`` of the configuration,
    a relative path there being taken from the configuration file's folder."""
    if given is not None:
        return Path(given)
    configured = getattr(config.stage(table), key)
    if configured is None:
        return None
    path = Path(configured)
    return path if path.is_absolute() or config.path is None else Path(config.path).parent / path


def valves_path(valves, config: Config) -> Path | None:
    """The valve layer: ``--valves``, else ``[consequence] valves_file``."""
    return configured_path(valves, config, "consequence", "valves_file")


def is_pipe_end_table(path: Path) -> bool:
    """True for a CSV naming pipe ends (``link``/``pipe_id`` and ``node``/``node_id``) rather than points."""
    from leakopt.io.csvformat import csv_format, csv_named
    if not csv_named(path) or not path.is_file():   # as read_points tells a CSV (valves.csv.gz too)
        return False
    try:
        found = csv_format(path)      # a semicolon or Windows-1252 file as the register reads it
    except InputError:
        return False                  # read_points says what the file is
    header = {str(c).strip().lower() for c in (found.header if found is not None else [])}
    return bool(header & {"link", "pipe_id"}) and bool(header & {"node", "node_id"}) and not {"x", "y"} <= header


def valve_layer(path: Path, cfg, utility, out: Path) -> pd.DataFrame:
    """The valve layer checked against the network, its problems added to the utility's validation report.

    A CSV of pipe ends (``link``, ``node``) is used as it is; points (a GIS layer, or a CSV with x, y) are
    reprojected and snapped to their nearest pipe, each closing the pipe's nearer end, and listed with their
    pipe and distance in ``valves_snapped.csv``.
    """
    utility.validation.sources["valves"] = str(path)
    if is_pipe_end_table(path):
        return check_valves(read_valves(path), utility.network, report=utility.validation, file=str(path))
    points, crs = read_points(path, what="valves")
    snapped = snap_sites(points, utility.network, crs=crs or check_crs(cfg.valves_crs, name="[consequence] valves_crs"),
                         network_crs=utility.crs, max_distance_m=cfg.valve_snap_max_m, source=str(path),
                         report=utility.validation, what="valve", table="consequence")
    table = valve_ends(snapped, utility.network)
    table.to_csv(out / "valves_snapped.csv", index=False)
    if len(snapped.sites) == 0:
        _none_usable(points, utility.validation, path, what="valve")
        assumed = utility.validation.get("valves_crs_assumed")
        raise InputError(f"none of the {len(points):,} valves of {path} is within {cfg.valve_snap_max_m:g} m of a "
                         f"pipe of the network{f' ({assumed.message})' if assumed else ''}; check the coordinate "
                         "systems ([consequence] valves_crs for a CSV, --crs for the network) or raise "
                         "[consequence] valve_snap_max_m",
                         fr=f"aucune des {fmt_int(len(points), 'fr')} vannes de {path} n’est à moins de "
                            f"{fmt_short(cfg.valve_snap_max_m, 'fr')} m d’une conduite du réseau"
                            f"{_assumed_fr(assumed)} ; "
                            "vérifiez les systèmes de coordonnées ([consequence] valves_crs pour un CSV, --crs pour "
                            "le réseau) ou augmentez [consequence] valve_snap_max_m")
    return check_valves(table.loc[table["used"], ["link", "node"]], utility.network, report=utility.validation,
                        file=str(path))


def default_cutoff(utility, horizon: int):
    """Cutoff for the run's own backtest: ``horizon`` years before as-of, if history allows."""
    first = utility.first_record_year
    if first is None and len(utility.leaks):
        first = int(utility.leaks["year"].min())
    cutoff = pd.Timestamp(utility.as_of.year - horizon, 1, 1)
    if first is None or cutoff.year - first < 3:
        return None
    return cutoff


def stage_backtest(utility, config: Config, out: Path, progress: Progress, *, cutoff=None,
                    horizon: int | None = None, truth=None, hydraulics=None, model=None):
    """``backtest.json`` and ``capture.png``: the model (``model``, given with ``--model``, or one trained
    at each cutoff) against the baselines on the leaks after the cutoff; None when the history is too short."""
    cfg = config.stage("backtest")
    horizon = horizon or cfg.horizon_years
    cutoff = pd.Timestamp(cutoff) if cutoff is not None else default_cutoff(utility, horizon)
    if cutoff is None:
        log.warning("history too short for a backtest (needs 3 years of records before the cutoff)",
                    extra=in_french("historique trop court pour un test sur les années passées (il faut 3 ans "
                                    "d’enregistrements avant la date de coupure)"))
        return None
    result = backtest(utility, cutoff=cutoff, horizon_years=horizon, config=cfg, truth=truth,
                      risk_config=config.stage("risk"), hydraulics=hydraulics, progress=progress, model=model)
    data = result.to_json()
    write_json(data, out / "backtest.json")
    plot_capture(result, out / "capture.png")
    return data


def stage_sensors(utility, risk: pd.DataFrame, config: Config, out: Path, progress: Progress, *, sites=None):
    snapped = load_sites(sites, utility.network, config=config, network_crs=utility.crs, out=out)
    cov = build_coverage(utility.network, risk, config=config.stage("coverage"), progress=progress,
                         sites=None if snapped is None else snapped.sites)
    pcfg = config.stage("placement")
    progress("placing the loggers", 0, 1)
    placement = place_sensors(cov, risk, config=pcfg)
    progress(f"{len(placement.sensors):,} loggers placed", 1, 1)
    write_sensors(placement, out, crs=utility.crs, sites=snapped, apart=utility.network_xy_apart)
    curve = tradeoff_curve(cov, risk, config=pcfg, progress=progress)
    curve.to_csv(out / "tradeoff.csv", index=False)
    return with_sites(placement.to_json(), snapped)


def stage_pressure(network, risk: pd.DataFrame, config: Config, out: Path, progress: Progress, *, n: int,
                   risk_csv, crs=None, apart: bool = False) -> dict:
    """``n`` pressure sensors on simulated leaks (the ``[pressure]`` settings), written into ``out``.

    Writes ``pressure_sensors.csv`` (``node_id``, ``x``, ``y``, ``detected_scenarios``,
    ``detected_risk_share``, and ``lon``, ``lat`` when ``crs`` is known),
    ``pressure_scenarios.csv`` (``node_id``, ``weight``, ``leak_flow_m3s``, ``detected``)
    and ``pressure.json`` (the detection figures, the solver status, the settings used,
    the ``risk_csv`` they come from), which it returns.  ``leakopt run`` and
    ``leakopt sensors --kind pressure`` both place them here.  ``apart``: the network's
    x, y are not in ``crs`` (:func:`leakopt.io.with_lonlat`).
    """
    pcfg = config.stage("pressure")
    result = place_pressure_sensors(network, risk, k=n, config=pcfg, progress=progress)
    sensors = with_lonlat(result.sensors, crs, apart=apart)
    sensors.to_csv(out / "pressure_sensors.csv", index=False)
    result.scenarios.to_csv(out / "pressure_scenarios.csv", index=False)
    p = {**result.to_json(), "n_requested": int(n), "threshold_m": pcfg.threshold_m,
         "leak_area_m2": pcfg.leak_area_m2, "detected_risk_share_per_sensor": sensors["detected_risk_share"].tolist(),
         "risk_csv": risk_source(risk_csv)}
    write_json(p, out / "pressure.json")
    return p


def risk_source(risk_csv) -> dict:
    """The risk.csv a result was computed from (path, sha256): the report tells when the run's is another."""
    return {"path": str(risk_csv), "sha256": file_sha256(risk_csv)}


def sites_path(sites, config: Config) -> Path | None:
    """The sites file: ``--sites``, else ``[coverage] sites``."""
    return configured_path(sites, config, "coverage", "sites")


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
        _none_usable(points, snapped.report, path, what="site")
        assumed = snapped.report.get("sites_crs_assumed")
        raise InputError(f"none of the {len(points):,} sites of {path} is within {cfg.site_snap_max_m:g} m of a pipe "
                         f"of the network{f' ({assumed.message})' if assumed else ''}; check the coordinate "
                         "systems ([coverage] sites_crs for a CSV, --crs for the network) or raise "
                         "[coverage] site_snap_max_m",
                         fr=f"aucun des {fmt_int(len(points), 'fr')} sites de {path} n’est à moins de "
                            f"{fmt_short(cfg.site_snap_max_m, 'fr')} m d’une conduite du réseau"
                            f"{_assumed_fr(assumed)} ; vérifiez "
                            "les systèmes de coordonnées ([coverage] sites_crs pour un CSV, --crs pour le réseau) "
                            "ou augmentez [coverage] site_snap_max_m")
    return snapped


def _assumed_fr(assumed) -> str:
    """" (the coordinate system assumed)" of the French message: the issue's French, else its English."""
    return f" ({getattr(assumed, 'message_fr', None) or assumed.message})" if assumed else ""


def _none_usable(points: pd.DataFrame, report, path, *, what: str) -> None:
    """When no point of a sites or valves file could be snapped because it has none, or none whose x, y read
    as numbers, say that (not "none is within 25 m of a pipe: check the coordinate systems")."""
    one_fr, several_fr, none_fr = points_fr(what)[1:]
    if len(points) == 0:
        raise InputError(f"{path} holds no {what}: it has its header only; give one {what} a row (x, y), or "
                         f"leave the file out",
                         fr=f"{path} ne contient {none_fr} {one_fr} : il n’a que sa ligne d’en-tête ; donnez à chaque "
                            f"{one_fr} une ligne (x, y), ou ne donnez pas ce fichier")
    no_xy = report.get(f"{what}_no_coordinates")
    if no_xy is not None and no_xy.count >= len(points):
        raise InputError(f"none of the {len(points):,} {what}s of {path} has x, y that read as finite numbers "
                         f"(they are blank, text or infinite); write the coordinates as numbers, in a column x and "
                         f"a column y",
                         fr=f"{none_fr} des {fmt_int(len(points), 'fr')} {several_fr} de {path} n’a de x, y lisibles "
                            "comme des nombres finis (ils sont vides, du texte ou infinis) ; écrivez les coordonnées "
                            "en nombres, dans une colonne x et une colonne y")


def with_sites(p: dict, snapped: SnappedSites | None) -> dict:
    return p if snapped is None else {**p, **snapped.to_json()}


def write_sensors(placement, out: Path, *, crs: str | None, sites: SnappedSites | None = None,
                  apart: bool = False) -> None:
    """Write ``sensors.csv`` (with lon/lat when the CRS is known) and ``placement.json`` (with the sites' counts).

    ``apart``: the network's x, y are not in ``crs`` (they lie away from the register's): lon/lat blank,
    x, y kept in the network's own coordinates."""
    sensors = with_lonlat(placement.sensors, crs, apart=apart)
    sensors.to_csv(out / "sensors.csv", index=False)
    write_json(with_sites(placement.to_json(), sites), out / "placement.json")


def stage_renewal(risk: pd.DataFrame, utility, config: Config, out: Path, progress: Progress):
    adjacency = None
    if {"start_node", "end_node"} <= set(utility.pipes.columns):
        adjacency = utility.pipes[["pipe_id", "start_node", "end_node"]]
    plan = plan_renewal(risk, config=config.stage("renewal"), adjacency=adjacency, leaks=utility.leaks,
                        as_of=utility.as_of, progress=progress)
    plan.plan.to_csv(out / "renewal_plan.csv", index=False)
    write_json(plan.summary, out / "renewal.json")
    return plan.summary


def write_risk_geojson(risk: pd.DataFrame, utility, out: Path) -> bool:
    gdf = pipes_geodataframe(risk, utility)
    if gdf is None or gdf.geometry.isna().all():
        log.warning("no pipe geometry (no GIS layer, and no network or one without coordinates): risk.geojson "
                    "not written",
                    extra=in_french("aucune géométrie de conduite (ni couche SIG, ni réseau ou un réseau sans "
                                    "coordonnées) : risk.geojson n’est pas écrit"))
        return False
    write_geojson(gdf, out / "risk.geojson")
    return True


def stage_load(pipes, leaks, network, *, config: Config, as_of, layer, out: Path, progress: Progress,
               need_leaks: bool = True):
    """Load and validate; ``validation.json`` is written even when the inputs are refused.
    ``need_leaks``: stop when no leak can be used (not when a model trained elsewhere scores the pipes)."""
    with validation_kept(out):
        utility = load(pipes, leaks, network, config=config, as_of=as_of, layer=layer, progress=progress)
    write_json(utility.validation.to_dict(), out / "validation.json")
    write_leaks_used(utility, out)
    if need_leaks:
        require_leaks(utility, empty_ok=True)
    return utility


@contextmanager
def validation_kept(out: Path | None) -> Iterator[None]:
    """On a stop for bad input that carries the validation report (a fatal data problem), write the report to
    ``out/validation.json`` before the error goes on: every problem found up to the stop is still said
    (``run``, ``check --out`` and ``backtest`` alike).  Nothing is written without ``out``."""
    try:
        yield
    except InputError as exc:
        if out is not None and getattr(exc, "report", None) is not None:
            write_json(exc.report.to_dict(), Path(out) / "validation.json")
        raise


def require_leaks(utility, *, empty_ok: bool = False) -> None:
    """Stop with why no leak can be used (:func:`leakopt.validate.no_usable_leak_error`).

    ``empty_ok`` (a run): stop only when the leak file has rows and none can be used, a wrong column or date
    format that the user can mend; a leak file with no row at all is a utility with no history, whose pipes
    the literature prior scores (:mod:`leakopt.risk.prior`)."""
    if not utility.leaks.empty:
        return
    if empty_ok and not leak_rows_read(utility):
        return
    raise no_usable_leak_error(utility.validation.summary, utility.sources.get("leaks", "the leak file"))


def leak_rows_read(utility) -> bool:
    """True when the leak file had rows (False: it holds no leak at all, an empty history)."""
    return bool(int(utility.validation.summary.get("leaks_read", 0)))


def write_leaks_used(utility, out: Path) -> Path:
    """``leaks_used.csv``: the leak records the model counted, each on its pipe (by ID, or snapped
    from x, y): the per-pipe history the app lists beside the model's "3 leaks since 2019"."""
    leaks = usable_leak_records(utility)
    leaks["date"] = leaks["date"].dt.date
    leaks.to_csv(out / "leaks_used.csv", index=False)
    return out / "leaks_used.csv"


def finish(utility, risk, risk_result, config: Config, timer: StageTimer, files: dict, *, out: Path,
            lang: str, report: bool, command: str, records: dict,
            progress: Progress) -> dict:
    """Map layer, manifest and report; the manifest is rewritten after the report to time it."""
    steps = 2 if report else 1
    progress("map layer", 0, steps)
    with timer.stage("geojson"):
        if write_risk_geojson(risk, utility, out):
            files["geojson"] = out / "risk.geojson"
    prior = risk_result.model.kind == PriorModel.kind
    extra = {"risk_model": {"kind": risk_result.model.kind,
                            "cpu_seconds_training": round(risk_result.cpu_seconds, 3),
                            "train_rows": int(risk_result.train_rows),
                            "best_iteration": int(risk_result.best_iteration),
                            "glm_offset": bool(risk_result.model.uses_glm),
                            "validation_loss": dict(risk_result.model.offset_choice),
                            "validation_loss_sample_pipes": int(risk_result.model.offset_sample_pipes),
                            "features": list(risk_result.model.features or ()),
                            **({"prior": risk_result.model.to_dict()} if prior else {})},
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


def warn_unused_tables(config: Config, command: str, *, reads: tuple[str, ...] = ()) -> dict[str, str]:
    """:func:`leakopt.config.unused_tables`, each logged as a warning."""
    ignored = unused_tables(config, command=command, reads=reads)
    for table, sentence in ignored.items():
        params = unused_table_params(table, where=config.path, command=command)
        log.warning(sentence, extra=in_french(render("config_table_not_used", "fr", params) if params else sentence))
    return ignored



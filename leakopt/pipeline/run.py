"""``leakopt run`` and ``leakopt demo``: every stage, in order, into one run folder."""
from __future__ import annotations

import logging
from pathlib import Path

from leakopt.config import Config
from leakopt.i18n import check_lang, in_french
from leakopt.io import StageTimer, write_json
from leakopt.pipeline.stages import (
    RunResult,
    finish,
    hydraulics_used,
    load_model,
    make_out_dir,
    model_file,
    sites_path,
    stage_backtest,
    stage_consequence,
    stage_hydraulics,
    stage_load,
    stage_pressure,
    stage_renewal,
    stage_risk,
    stage_sensors,
    warn_unused_tables,
)
from leakopt.schema import Progress, within
from leakopt.synth import synthesize, write_synth

#: Where ``leakopt demo`` finds the shipped sample (a source checkout or editable install).
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data_samples"
SAMPLE_PIPES, SAMPLE_SEED = 4000, 42

log = logging.getLogger(__name__)


def run(pipes, leaks, network=None, *, config: Config | None = None, as_of=None, out_dir=None,
        lang: str | None = None, layer: str | None = None, sensors: bool = True, backtest: bool = True,
        renewal: bool = True, report: bool = True, progress: Progress | None = None,
        command: str = "run", sites=None, pressure_sensors: int | None = None,
        valves=None, model=None) -> RunResult:
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
        Switch optional stages off (``sensors``: the acoustic loggers).
    pressure_sensors : int, optional
        Pressure sensors to place on simulated leaks (``pressure_sensors.csv``,
        ``pressure_scenarios.csv``, ``pressure.json``, as ``leakopt sensors --kind
        pressure``); default the config's ``[pressure] n`` (0: none).  Needs a network.
    sites : path, optional
        The utility's fittings as logger sites (CSV with x, y or a GIS point layer); default the
        config's ``[coverage] sites``.  Snapped to the pipes; problems go to ``validation.json``.
    valves : path, optional
        The utility's isolation valves: points (GIS layer, or CSV with x, y) snapped to the nearest
        pipe, or a CSV of pipe ends (``link``, ``node``); default the config's ``[consequence]
        valves_file``.  They bound the valve segments; problems go to ``validation.json``.
    model : path, optional
        A model trained elsewhere (``model.txt`` of another utility's run, its ``model.txt.glm.json``
        beside it): every pipe is scored by it and nothing is trained, so the leak history may be
        empty; ``manifest.json`` records where the model came from.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`); each stage's steps are named
        "stage: step" (stages load, hydraulics, risk, consequence, backtest, sensors, renewal, report).

    Returns
    -------
    RunResult
    """
    config = config or Config()
    lang = check_lang(lang) if lang is not None else config.stage("report").lang
    n_pressure = config.stage("pressure").n if pressure_sensors is None else int(pressure_sensors)
    if n_pressure and network is None:
        log.warning("%d pressure sensors asked for, but no network was given (--network N.inp): pressure sensors "
                    "are placed on simulated leaks, so none is placed", n_pressure,
                    extra=in_french("%d capteur(s) de pression demandé(s), mais aucun réseau n’est fourni "
                                    "(--network N.inp) : les capteurs de pression sont placés sur des fuites "
                                    "simulées, aucun n’est donc placé"))
    placing_pressure = bool(n_pressure) and network is not None
    ignored = warn_unused_tables(config, command, reads=("pressure",) if placing_pressure else ())
    out = make_out_dir(out_dir)
    timer, files = StageTimer(), {}

    borrowed = load_model(model, config) if model is not None else None
    with timer.stage("load_validate"):
        utility = stage_load(pipes, leaks, network, config=config, as_of=as_of, layer=layer, out=out,
                              progress=within(progress, "load"), need_leaks=borrowed is None)
    files.update(validation=out / "validation.json", leaks_used=out / "leaks_used.csv")

    with timer.stage("hydraulics"):
        hydraulics, hyd_status = stage_hydraulics(utility, config, within(progress, "hydraulics"))
    with timer.stage("risk"):
        risk_result, prio, risk = stage_risk(utility, config, hydraulics, out, lang, within(progress, "risk"),
                                             model=borrowed)
    hyd = hydraulics_used(hyd_status, risk_result).to_json()
    with timer.stage("consequence"):
        risk, matrix = stage_consequence(utility, risk, config, out, within(progress, "consequence"), valves=valves)
    risk.to_csv(out / "risk.csv", index=False)
    write_json(prio.to_json(), out / "priority.json")
    files.update(risk=out / "risk.csv", priority=out / "priority.json", model=out / model_file(risk_result.model),
                 consequence=out / "consequence.csv", risk_matrix=out / "risk_matrix.json")

    bt = None
    if backtest and utility.leaks.empty:
        log.warning("no backtest: the leak history is empty, so the %s cannot be tested on it",
                    "model given" if borrowed is not None else "literature prior",
                    extra=in_french("pas de test sur les années passées : l’historique de fuites est vide, %s ne "
                                    "peut donc pas y être testé",
                                    "le modèle fourni" if borrowed is not None else "l’a priori de la littérature"))
    elif backtest:
        with timer.stage("backtest"):
            bt = stage_backtest(utility, config, out, within(progress, "backtest"), hydraulics=hydraulics,
                                model=borrowed)
        if bt is not None:
            files["backtest"] = out / "backtest.json"

    placement = None
    if sites_path(sites, config) is not None and not (sensors and utility.network is not None):
        log.warning("the sites file %s is not used: loggers are placed only when a network is given and "
                    "--no-sensors is not", sites_path(sites, config),
                    extra=in_french("le fichier des sites %s n’est pas utilisé : les prélocalisateurs ne sont placés "
                                    "que si un réseau est fourni et sans --no-sensors"))
    if sensors and utility.network is not None:
        with timer.stage("sensors"):
            placement = stage_sensors(utility, risk, config, out, within(progress, "sensors"), sites=sites)
        files.update(sensors=out / "sensors.csv", placement=out / "placement.json")

    pressure = None
    if placing_pressure:
        with timer.stage("pressure_sensors"):
            pressure = stage_pressure(utility.network, risk, config, out, within(progress, "pressure"),
                                      n=n_pressure, risk_csv=out / "risk.csv", crs=utility.crs,
                                      apart=utility.network_xy_apart)
        files.update(pressure_sensors=out / "pressure_sensors.csv", pressure_scenarios=out / "pressure_scenarios.csv",
                     pressure=out / "pressure.json")

    plan = None
    if renewal:
        with timer.stage("renewal"):
            plan = stage_renewal(risk, utility, config, out, within(progress, "renewal"))
        files["renewal_plan"] = out / "renewal_plan.csv"

    manifest = finish(utility, risk, risk_result, config, timer, files, out=out, lang=lang, report=report,
                       command=command, records={"hydraulics": hyd, "ignored_config": ignored,
                                                 "model_given": _model_record(model, risk_result),
                                                 "pressure_sensors": _pressure_record(n_pressure, pressure)},
                       progress=within(progress, "report"))
    return RunResult(out_dir=out, utility=utility, risk=risk, priority=prio.to_json(), backtest=bt,
                     placement=placement, renewal=plan, manifest=manifest, files=files, hydraulics=hyd,
                     risk_matrix=matrix, pressure=pressure, lang=lang)


def _pressure_record(asked: int, placed: dict | None) -> dict:
    """``manifest.json`` ``pressure_sensors``: how many were asked for, and placed or why not."""
    if not asked:
        return {"asked": 0, "status": "not_asked"}
    if placed is None:
        return {"asked": asked, "status": "skipped_no_network"}
    return {"asked": asked, "status": "placed", "n_sensors": placed["n_sensors"],
            "detected_risk_share": placed["detected_risk_share"], "solver": placed.get("solver"),
            "solver_status": placed.get("status")}


def sample_paths(*, progress: Progress | None = None) -> dict[str, Path]:
    """Paths of the shipped sample; regenerated with ``synth`` (same seed) if absent."""
    paths = {"pipes": SAMPLE_DIR / "pipes.csv", "leaks": SAMPLE_DIR / "leaks.csv",
             "network": SAMPLE_DIR / "network.inp"}
    if all(p.is_file() for p in paths.values()):
        return paths
    import tempfile
    log.warning("shipped sample not found next to the package; regenerating it (seed %d)", SAMPLE_SEED,
                extra=in_french("exemple livré introuvable à côté du paquet ; il est régénéré (graine %s)"))
    target = Path(tempfile.mkdtemp(prefix="leakopt-sample-"))
    written = write_synth(synthesize(SAMPLE_PIPES, seed=SAMPLE_SEED, progress=within(progress, "sample")), target)
    return {k: Path(written[k]) for k in ("pipes", "leaks", "network")}


def run_demo(*, out_dir=None, lang: str | None = None, progress: Progress | None = None) -> RunResult:
    """The whole pipeline on the shipped sample data."""
    paths = sample_paths(progress=progress)
    return run(paths["pipes"], paths["leaks"], paths["network"], out_dir=out_dir, lang=lang,
               progress=progress, command="demo")


def _model_record(model, risk_result=None) -> dict | None:
    """Where the model came from when ``--model`` gave one (its path and hash, as the inputs are recorded),
    and the features it takes that this utility lacks (scored as missing values)."""
    if model is None:
        return None
    from leakopt.io.manifest import file_sha256
    path = Path(model)
    return {"path": str(path.resolve()), "sha256": file_sha256(path),
            "missing_features": list(getattr(risk_result, "missing_features", ()))}
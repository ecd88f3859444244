"""Run folders for the app: computing them once, reading them, and their geometry.

The app shows a *run folder* as ``leakopt run`` writes it.  The sample's run
is computed once and kept on disk in a cache folder named after the hashes of
the input files and the leakopt version, so a second start (or a second
browser session) reads it in a fraction of a second.  Uploaded files go to
the same cache, under their own hashes.

The cache root is ``$LEAKOPT_CACHE_DIR`` or ``~/.cache/leakopt/app``; setting
``$LEAKOPT_APP_RUN_DIR`` makes the app show that existing run folder instead
of the sample.  Nothing here imports Streamlit: the caching decorators are
applied in :mod:`leakopt.app.main`.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from leakopt import __version__
from leakopt.errors import InputError
from leakopt.io import read_output
from leakopt.renewal import summary_currency
from leakopt.report import load_run, read_json_document

log = logging.getLogger(__name__)

#: Files a finished run folder always has.
DONE_MARKERS = ("manifest.json", "risk.csv")
#: Changed when runs write files the app reads (2: ``leaks_used.csv``), so cached runs are redone.
RUN_FILES = 2


def cache_root() -> Path:
    """Where the app keeps computed runs and uploaded files."""
    root = os.environ.get("LEAKOPT_CACHE_DIR")
    return Path(root) if root else Path.home() / ".cache" / "leakopt" / "app"


def inputs_key(paths: dict) -> str:
    """Short key of a set of input files: their roles and contents, and the leakopt version."""
    h = hashlib.sha256(f"{__version__} {RUN_FILES}".encode())
    for role in sorted(paths):
        p = paths[role]
        if p is None:
            continue
        h.update(role.encode())
        h.update(hashlib.sha256(Path(p).read_bytes()).digest())
        glm = Path(f"{p}.glm.json")
        if role == "model" and glm.is_file():   # the trees add to this offset: part of the model
            h.update(hashlib.sha256(glm.read_bytes()).digest())
    return h.hexdigest()[:16]


def is_complete(run_dir: Path) -> bool:
    """True when ``run_dir`` holds a finished run."""
    return all((Path(run_dir) / name).is_file() for name in DONE_MARKERS)


def run_stamp(run_dir: Path) -> float:
    """Latest modification time of the run folder's JSON and CSV files: changes when a command writes into it."""
    return max((p.stat().st_mtime for p in Path(run_dir).iterdir() if p.suffix in (".json", ".csv")), default=0.0)


def run_inputs(paths: dict, *, config_path=None, lang: str = "en", progress=None) -> Path:
    """Run the pipeline on ``paths`` ({"pipes", "leaks", "network"}, and "model" to score with a model
    trained elsewhere, as ``leakopt run --model``) into the cache, once.

    Returns the run folder; an existing finished run with the same inputs is reused.
    """
    from leakopt import pipeline
    from leakopt.config import load_config
    key = inputs_key({**paths, "config": config_path})
    out = cache_root() / f"run-{key}"
    if is_complete(out):
        return out
    config = load_config(config_path)
    import shutil
    import uuid
    tmp = out.with_name(f"{out.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        pipeline.run(paths["pipes"], paths.get("leaks"), paths.get("network"), config=config,
                     out_dir=tmp, lang=lang, progress=progress, command="app", model=paths.get("model"))
        if not out.exists():   # else another session finished first
            tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def sample_inputs(*, progress=None) -> dict:
    """Paths of the shipped sample's pipes, leaks and network."""
    from leakopt import pipeline
    paths = pipeline.sample_paths(progress=progress)
    return {k: paths[k] for k in ("pipes", "leaks", "network")}


def given_run_dir() -> Path | None:
    """The run folder ``$LEAKOPT_APP_RUN_DIR`` names, shown instead of the sample; None if unset."""
    given = os.environ.get("LEAKOPT_APP_RUN_DIR")
    return Path(given) if given else None


def cached_sample_dir() -> Path | None:
    """The sample's run folder if it is already computed (or given by ``$LEAKOPT_APP_RUN_DIR``)."""
    if given_run_dir() is not None:
        return sample_run_dir()
    paths = sample_inputs()
    out = cache_root() / f"run-{inputs_key({**paths, 'config': None})}"
    return out if is_complete(out) else None


def sample_run_dir(*, progress=None) -> Path:
    """The sample's run folder (``$LEAKOPT_APP_RUN_DIR`` if set), computed on first use."""
    given = given_run_dir()
    if given is not None:
        if not is_complete(given):
            raise InputError(f"LEAKOPT_APP_RUN_DIR={given} is not a finished leakopt run folder "
                             f"(it needs {', '.join(DONE_MARKERS)})",
                             fr=f"LEAKOPT_APP_RUN_DIR={given} n’est pas le dossier d’une analyse leakopt terminée "
                                f"(il y faut {', '.join(DONE_MARKERS)})")
        return given
    return run_inputs(sample_inputs(progress=progress), progress=progress)


def model_files_complete(names) -> bool:
    """True when the names of the files uploaded as a model are one ``.txt`` (the trees) and one
    ``.json`` (their GLM offset), nothing else: what :func:`save_model` stores."""
    ends = [str(n).lower().rsplit(".", 1)[-1] for n in names]
    return sorted(ends) == ["json", "txt"]


def save_model(files: dict[str, bytes]) -> Path:
    """Store a model uploaded from another run, ``{file name: content}`` (its ``.txt`` trees and ``.json``
    GLM offset), as ``leakopt run --model`` reads it: ``model.txt`` with ``model.txt.glm.json`` beside
    it, whatever the files were called. Returns the path of ``model.txt``."""
    if not model_files_complete(files):
        raise InputError(f"a model is its trees (model.txt) and their GLM offset (model.txt.glm.json), one of each; "
                         f"got {', '.join(sorted(files)) or 'no file'}",
                         fr="un modèle tient en deux fichiers, un de chaque : ses arbres (model.txt) et la base GLM à "
                            f"laquelle ils s’ajoutent (model.txt.glm.json) ; reçu : "
                            f"{', '.join(sorted(files)) or 'aucun fichier'}")
    trees, glm = (next(v for k, v in files.items() if k.lower().endswith(end)) for end in (".txt", ".json"))
    digest = hashlib.sha256(trees + b"\0" + glm).hexdigest()[:16]
    folder = cache_root() / "uploads" / f"model-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "model.txt"
    for target, content in ((path, trees), (folder / "model.txt.glm.json", glm)):
        if not target.is_file():
            target.write_bytes(content)
    return path


def save_upload(name: str, data: bytes) -> Path:
    """Store an uploaded file under its hash (keeping its name, which loaders read the type from)."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = cache_root() / "uploads" / digest
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(name).name
    if not path.is_file():
        path.write_bytes(data)
    if path.suffix.lower() == ".zip":   # a zipped Shapefile: unpack, point at the .shp
        import zipfile
        with zipfile.ZipFile(path) as z:
            z.extractall(folder / "unzipped")
        shp = sorted((folder / "unzipped").rglob("*.shp"))
        if not shp:
            raise InputError(f"uploaded archive {name} holds no .shp file; zip the Shapefile's "
                             ".shp, .shx, .dbf and .prj together",
                             fr=f"l’archive chargée {name} ne contient aucun fichier .shp ; zippez ensemble les "
                                "fichiers .shp, .shx, .dbf et .prj du Shapefile")
        return shp[0]
    return path


def hide_cache_paths(text: str) -> str:
    """``text`` with every path inside the app's cache folder cut to its file name.

    Uploads and runs live there under hashed folder names (often under /tmp)
    that mean nothing to a reader; the file name is what they gave.
    """
    root = cache_root()
    for prefix in sorted({str(root), str(root.resolve())}, key=len, reverse=True):
        text = re.sub(re.escape(prefix) + r"[^\s'\"(),;:]*", lambda m: Path(m.group(0)).name, text)
    return text


# --- reading a run folder -------------------------------------------------------------------

@dataclass(frozen=True)
class RunData:
    """Everything the pages show, read from one run folder. Shared: never modify in place."""

    run_dir: Path
    risk: pd.DataFrame
    priority: dict
    manifest: dict
    validation: dict
    placement: dict | None
    sensors: pd.DataFrame | None
    tradeoff: pd.DataFrame | None
    backtest: dict | None
    renewal: dict | None
    renewal_plan: pd.DataFrame | None
    geometry: "Geometry | None"
    leaks: pd.DataFrame | None = None
    risk_matrix: dict | None = None
    campaign: dict | None = None
    campaign_curve: pd.DataFrame | None = None
    pressure: dict | None = None
    pressure_sensors: pd.DataFrame | None = None

    def input_path(self, role: str) -> Path | None:
        """Path of the run's input file ``role`` ("pipes", "leaks", "network"), if it still exists."""
        path = self._input(role)
        return Path(path) if path and Path(path).is_file() else None

    @property
    def model_given(self) -> dict:
        """``manifest.json``'s ``model_given`` (path, hash, missing features) when a model trained
        elsewhere scored the pipes; empty otherwise."""
        return self.manifest.get("model_given") or {}

    @property
    def currency(self) -> str:
        """ISO 4217 code of the run's amounts (``renewal.json``'s ``currency``, ``[renewal] currency``); "EUR"
        for a run without a plan or from before the setting."""
        return summary_currency(self.renewal)

    @property
    def prior_scored(self) -> bool:
        """True when the literature prior scored the pipes (the leak file held no leak)."""
        from leakopt.risk import scored_by_prior
        return scored_by_prior(self.manifest)

    def input_names(self) -> list[str]:
        """File names of the run's inputs (pipes, leaks, network, config, and the model when one was
        given): what names the run for a reader; a file given twice (one workbook holding the register
        and the leak history) once."""
        given = self.model_given.get("path")
        paths = (*map(self._input, ("pipes", "leaks", "network", "config")), given)
        return [Path(p).name for p in dict.fromkeys(p for p in paths if p)]

    def _input(self, role: str) -> str | None:
        entry = (self.manifest.get("inputs") or {}).get(role) or {}
        return entry.get("path") if isinstance(entry, dict) else entry


def read_run(run_dir) -> RunData:
    """Read every file of a run folder that exists (through :func:`leakopt.report.load_run`).

    Raises
    ------
    InputError
        If the folder is not a finished run.
    """
    d = Path(run_dir)
    if not is_complete(d):
        raise InputError(f"{d} is not a finished leakopt run folder (it needs {', '.join(DONE_MARKERS)})",
                         fr=f"{d} n’est pas le dossier d’une analyse leakopt terminée (il y faut "
                            f"{', '.join(DONE_MARKERS)})")
    folder = load_run(d)   # every JSON and CSV file of the run, read once, by the report's reader
    docs, frames = folder.json, folder.csv
    run = RunData(
        run_dir=d,
        risk=folder.risk,
        priority=docs.get("priority") or {},
        manifest=docs.get("manifest") or {},
        validation=docs.get("validation") or {},
        placement=docs.get("placement"),
        sensors=frames.get("sensors"),
        tradeoff=frames.get("tradeoff"),
        backtest=docs.get("backtest"),
        renewal=docs.get("renewal"),
        renewal_plan=frames.get("renewal_plan"),
        geometry=read_geometry(d / "risk.geojson"),
        risk_matrix=docs.get("risk_matrix"),
        campaign=docs.get("campaign"),                  # leakopt campaign --out DIR
        campaign_curve=frames.get("campaign_curve"),
        pressure=docs.get("pressure"),                  # leakopt sensors --kind pressure --out DIR
        pressure_sensors=frames.get("pressure_sensors"),
    )
    used = d / "leaks_used.csv"
    return replace(run, leaks=read_leaks(used if used.is_file() else run.input_path("leaks")))


def read_leaks(path: Path | None) -> pd.DataFrame | None:
    """A run's leak records (``pipe_id``, ``date``, ``year_only``: the file gave only the year), oldest first.

    From ``leaks_used.csv``: the leaks the model counted, snapped ones included.
    Run folders written before that file existed fall back on the input leak
    file, whose records are matched by pipe ID only.
    """
    if path is None:
        return None
    try:
        leaks = read_output(path)
    except (OSError, ValueError) as exc:
        log.warning("cannot read leak history %s: %s", path, exc)
        return None
    if not {"pipe_id", "date"} <= set(leaks.columns):
        return None
    year_only = leaks["date_precision"].eq("year") if "date_precision" in leaks.columns else False
    leaks = leaks[["pipe_id", "date"]].assign(year_only=year_only).dropna()
    leaks["date"] = pd.to_datetime(leaks["date"], errors="coerce")
    return leaks.dropna().sort_values("date", kind="stable", ignore_index=True)


def pipe_leaks(leaks: pd.DataFrame | None, pipe_id: str) -> pd.DataFrame:
    """The leak records of one pipe, oldest first: the pipe panel's list, whose length is its count."""
    if leaks is None:
        return pd.DataFrame({"pipe_id": pd.Series(dtype=str), "date": pd.Series(dtype="datetime64[ns]"),
                             "year_only": pd.Series(dtype=bool)})
    return leaks[leaks["pipe_id"] == str(pipe_id)].reset_index(drop=True)


# --- geometry -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Geometry:
    """Pipe polylines in local metres (east, north from the south-west corner).

    Attributes
    ----------
    paths : DataFrame
        ``pipe_id``, ``path`` (list of [x, y] in metres).
    lonlat : bool
        True when the source was WGS84 longitude/latitude (converted with an
        equirectangular projection around ``origin``), False when it was
        already in local or projected coordinates.
    origin : tuple
        Source coordinates of the local (0, 0).
    extent : tuple
        Width and height of the network in metres.
    """

    paths: pd.DataFrame
    lonlat: bool
    origin: tuple[float, float]
    extent: tuple[float, float]
    scale: tuple[float, float] = (1.0, 1.0)

    def to_local(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Source coordinates (lon/lat or x/y) to local metres."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        return (x - self.origin[0]) * self.scale[0], (y - self.origin[1]) * self.scale[1]


EARTH_M_PER_DEG = 111_320.0


def _line_coords(geom: dict) -> list:
    if geom is None:
        return []
    if geom.get("type") == "LineString":
        return geom["coordinates"]
    if geom.get("type") == "MultiLineString":
        return [c for part in geom["coordinates"] for c in part]
    return []


def read_geometry(path: Path) -> Geometry | None:
    """Pipe polylines from ``risk.geojson`` (plain JSON reading, no GIS stack needed)."""
    path = Path(path)
    data = read_json_document(path) if path.is_file() else None
    if not data or not data.get("features"):
        return None
    ids, coords = [], []
    for feat in data["features"]:
        c = _line_coords(feat.get("geometry"))
        if len(c) >= 2:
            ids.append(str((feat.get("properties") or {}).get("pipe_id")))
            coords.append(np.asarray(c, float)[:, :2])
    if not coords:
        return None
    allpts = np.vstack(coords)
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    crs = str((data.get("crs") or {}).get("properties", {}).get("name", ""))
    lonlat = ("CRS84" in crs or "4326" in crs or not crs) and bool(
        np.all(np.abs(allpts[:, 0]) <= 180) and np.all(np.abs(allpts[:, 1]) <= 90)
        and (hi - lo).max() < 5)
    if lonlat:
        lat0 = float((lo[1] + hi[1]) / 2)
        scale = (EARTH_M_PER_DEG * float(np.cos(np.radians(lat0))), EARTH_M_PER_DEG)
    else:
        scale = (1.0, 1.0)
    origin = (float(lo[0]), float(lo[1]))
    paths = [((c - lo) * scale).round(2).tolist() for c in coords]
    extent = (float((hi[0] - lo[0]) * scale[0]), float((hi[1] - lo[1]) * scale[1]))
    return Geometry(paths=pd.DataFrame({"pipe_id": ids, "path": paths}), lonlat=lonlat,
                    origin=origin, extent=extent, scale=scale)


def sensor_positions(sensors: pd.DataFrame, geometry: Geometry, *, risk: pd.DataFrame | None = None,
                     validation: dict | None = None) -> pd.DataFrame:
    """``sensors`` with local ``mx``, ``my`` (metres) on the map's frame: their own lon/lat or x, y, unless
    ``validation`` says the network's coordinates are not the pipes' (:func:`leakopt.report.maps.network_xy_on_map`);
    where those are blank, the end of a drawn pipe at their node (``risk`` gives the pipes' end nodes)."""
    from leakopt.report.maps import logger_points, network_xy_on_map
    out = sensors.copy()
    if geometry.lonlat and {"lon", "lat"} <= set(out.columns):
        mx, my = geometry.to_local(out["lon"], out["lat"])
    else:
        mx, my = geometry.to_local(out["x"], out["y"])
    own = np.column_stack([mx, my]).astype(float) if network_xy_on_map(validation) else None
    lines, starts, ends = [], [], []
    if risk is not None and {"start_node", "end_node"} <= set(risk.columns) and "node_id" in out.columns:
        g = geometry.paths.merge(risk[["pipe_id", "start_node", "end_node"]].astype(str), on="pipe_id")
        lines = [np.asarray(p, dtype=float) for p in g["path"]]
        starts, ends = g["start_node"].tolist(), g["end_node"].tolist()
    pts = (logger_points(out["node_id"], own, lines, starts, ends) if "node_id" in out.columns
           else own if own is not None else np.full((len(out), 2), np.nan))
    out["mx"], out["my"] = pts[:, 0], pts[:, 1]
    return out

"""Who hears what: the acoustic coverage of leak-noise loggers on a network.

A logger sits on a network node (a junction, a hydrant, a valve) and hears the
noise of a leak carried along the pipes.  How far it hears depends on the pipe
material and diameter: metal carries noise far, plastic damps it.  The
listening range table below holds field figures for small-to-medium mains
(metallic mains roughly 150-300 m, asbestos cement 100-200 m, plastic
50-100 m); :class:`CoverageConfig` lets a utility put its own.

Range rule
----------
``range(material, d) = table[material] * max(min_range_factor,
min(1, (reference_diameter_mm / d) ** diameter_exponent))``: pipes up to
200 mm keep the table's range; larger pipes (more water mass and wall area to
excite) hear less, e.g. x0.82 at 300 mm, x0.58 at 600 mm, never below x0.4
with the defaults.

Acoustic path
-------------
Pipes are split into segments of at most ``segment_length_m`` so that coverage
is measured in metres.  Along a path, each metre of pipe costs
``1 / range(material, diameter)`` of that pipe (a *range-normalised* length),
so a path crossing several materials uses up its budget at the rate of each.
A logger at node ``s`` hears a segment when every point of it is reached from
``s`` along the pipes at a normalised cost of at most 1 (entering the segment's
pipe from whichever end is nearer for each point).  Paths follow pipes only:
valves and pumps are not in :attr:`leakopt.schema.Network.links`, so sound is
assumed not to cross them (conservative).

The search itself (bounded shortest paths, by chunks of sites) is in
:mod:`leakopt.placement.hearing`.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import fmt_int, in_french, singular
from leakopt.placement.access_points import ACCESS_POINT, add_access_points, add_sites
from leakopt.placement.hearing import PipeData, acoustic_graph, hearing_matrix
from leakopt.schema import MATERIAL_FAMILIES, Network, Progress
from leakopt.validate import normalize_material

logger = logging.getLogger(__name__)

#: Listening range (m) of a logger on mains up to the reference diameter, by
#: material family.  Field figures: metallic 150-300 m, asbestos cement
#: 100-200 m, plastic 50-100 m; the value is the middle of the range.
DEFAULT_LISTENING_RANGE_M: dict[str, float] = {
    "cast_iron": 250.0, "ductile_iron": 220.0, "steel": 250.0, "copper": 200.0,
    "lead": 150.0, "asbestos_cement": 150.0, "concrete": 120.0,
    "pvc": 80.0, "pe": 60.0, "other": 100.0, "unknown": 100.0,
}


@dataclass(frozen=True)
class CoverageConfig:
    """Settings of the acoustic coverage model (TOML table ``[coverage]``).

    Attributes
    ----------
    listening_range_m : mapping
        Range in metres by material family; families left out keep
        :data:`DEFAULT_LISTENING_RANGE_M`.
    reference_diameter_mm, diameter_exponent, min_range_factor : float
        Large-diameter reduction (see the module docstring).
    segment_length_m : float
        Longest segment pipes are split into (25-50 m is typical).
    candidate_node_types : tuple of str
        Node types that can hold a logger when no candidate list is given.
    access_point_spacing_m : float
        When no candidate list is given, loggers may also sit on access
        points (hydrants, valves) assumed every this many metres along
        longer pipes (:mod:`leakopt.placement.access_points`); 0 keeps junctions only.
        The default, 200 m, is a typical urban hydrant spacing; without it the
        middle of any main longer than twice its listening range is unhearable.
    chunk_size : int
        Sites per shortest-path chunk (memory vs overhead).
    sites : str or None
        The utility's own fittings (hydrants, valves) as candidate sites: a CSV
        with ``x``, ``y`` (and optionally ``site_id``, ``kind``) or a GIS point
        layer, read by the command line (``--sites`` overrides it; a relative
        path is taken from the configuration file's folder).  In the Python
        API, pass the snapped sites to :func:`build_coverage` (``sites=``).
    sites_crs : str or None
        CRS of a sites CSV (a GIS layer carries its own), e.g. "EPSG:4326";
        unset, its x, y are taken to be in the network's coordinates.
    site_snap_max_m : float
        A site farther than this from every pipe is left out and listed in
        ``validation.json`` (``site_too_far_from_pipe``).
    with_sites : tuple of str
        When sites are given, the other candidates kept besides them:
        "junction" (nodes of ``candidate_node_types``), "access_point" (assumed
        every ``access_point_spacing_m``).  Default none: loggers go on the
        utility's fittings only.
    """

    listening_range_m: Mapping[str, float] = field(default_factory=dict)
    reference_diameter_mm: float = 200.0
    diameter_exponent: float = 0.5
    min_range_factor: float = 0.4
    segment_length_m: float = 50.0
    candidate_node_types: tuple[str, ...] = ("junction",)
    access_point_spacing_m: float = 200.0
    chunk_size: int = 512
    sites: str | None = None
    sites_crs: str | None = None
    site_snap_max_m: float = 25.0
    with_sites: tuple[str, ...] = ()

    def __post_init__(self):
        unknown = sorted(set(self.listening_range_m) - set(MATERIAL_FAMILIES))
        if unknown:
            raise InputError(f"[coverage] listening_range_m has unknown material families {unknown}; "
                             f"expected some of {list(MATERIAL_FAMILIES)}",
                             fr=f"[coverage] listening_range_m donne des familles de matériaux inconnues {unknown} ; "
                                f"familles connues : {list(MATERIAL_FAMILIES)}")
        bad = {k: v for k, v in self.listening_range_m.items() if not float(v) > 0}
        if bad:
            raise InputError(f"[coverage] listening_range_m must be > 0 metres; got {bad}",
                             fr=f"[coverage] les portées de listening_range_m doivent être > 0 (en mètres) ; "
                                f"valeurs données : {bad}")
        for name in ("reference_diameter_mm", "segment_length_m", "min_range_factor"):
            if not float(getattr(self, name)) > 0:
                raise InputError(f"[coverage] {name}={getattr(self, name)!r}; expected a number > 0",
                                 fr=f"[coverage] {name}={getattr(self, name)!r} ; valeur attendue : un nombre > 0")
        if not float(self.access_point_spacing_m) >= 0:
            raise InputError(f"[coverage] access_point_spacing_m={self.access_point_spacing_m!r}; "
                             "expected metres >= 0 (0: loggers on junctions only)",
                             fr=f"[coverage] access_point_spacing_m={self.access_point_spacing_m!r} ; valeur "
                                "attendue : une distance >= 0 en mètres (0 : prélocalisateurs sur les nœuds du "
                                "réseau seulement)")
        if not float(self.site_snap_max_m) > 0:
            raise InputError(f"[coverage] site_snap_max_m={self.site_snap_max_m!r}; expected metres > 0",
                             fr=f"[coverage] site_snap_max_m={self.site_snap_max_m!r} ; valeur attendue : une "
                                "distance > 0 en mètres")
        extra = sorted(set(self.with_sites) - {"junction", ACCESS_POINT})
        if extra:
            raise InputError(f"[coverage] with_sites has {extra}; expected some of ['junction', 'access_point']",
                             fr=f"[coverage] with_sites contient {extra} ; valeurs possibles : 'junction', "
                                "'access_point'")
        if int(self.chunk_size) < 1:
            raise InputError(f"[coverage] chunk_size={self.chunk_size!r}; expected an integer >= 1",
                             fr=f"[coverage] chunk_size={self.chunk_size!r} ; valeur attendue : un entier >= 1")

    def ranges(self) -> dict[str, float]:
        """The effective table: defaults overridden by ``listening_range_m``."""
        return {**DEFAULT_LISTENING_RANGE_M, **{k: float(v) for k, v in self.listening_range_m.items()}}


@dataclass(frozen=True)
class Coverage:
    """Which candidate site hears which pipe segment.

    Attributes
    ----------
    segments : DataFrame
        One row per segment, in matrix column order: ``segment_id`` ("<pipe_id>#<k>"),
        ``pipe_id``, ``length_m``, ``start_offset_m`` (from the pipe's start
        node), ``x``, ``y`` (segment midpoint), ``material``, ``range_m``.
    sites : DataFrame
        Candidate sites, in matrix row order: ``node_id``, ``x``, ``y``,
        ``node_type`` ("junction", or "access_point" for an assumed hydrant
        or valve along a pipe, ID ``"<pipe_id>@<k>"``).
    matrix : scipy.sparse.csr_matrix of bool
        ``matrix[i, j]`` is True when site ``i`` hears segment ``j``.
    unreachable : DataFrame
        The rows of ``segments`` that no candidate site hears.
    config : CoverageConfig
    """

    segments: pd.DataFrame
    sites: pd.DataFrame
    matrix: object
    unreachable: pd.DataFrame
    config: CoverageConfig = field(default_factory=CoverageConfig)

    @property
    def hearing_count(self) -> np.ndarray:
        """Number of candidate sites that hear each segment."""
        return np.asarray(self.matrix.sum(axis=0)).ravel()

    def heard_by(self, node_ids: Sequence[str]) -> np.ndarray:
        """How many of the given sites hear each segment (int array over segments)."""
        rows = _positions(self.sites["node_id"], node_ids, what="sites")
        sel = np.zeros(self.matrix.shape[0])
        np.add.at(sel, rows, 1.0)
        return np.asarray(self.matrix.T.astype(np.float64) @ sel).round().astype(np.int64)


def listening_range(material, diameter_mm, *, config: CoverageConfig | None = None) -> np.ndarray:
    """Listening range in metres for each pipe (see the module docstring).

    Parameters
    ----------
    material : array-like of str
        Material families; values outside the table use the "unknown" range.
    diameter_mm : array-like of float
        Diameters; NaN or non-positive values keep the table's range.
    """
    config = config or CoverageConfig()
    table = config.ranges()
    mat = pd.Series(np.asarray(material, dtype=object)).astype(str)
    base = mat.map(table).fillna(table["unknown"]).to_numpy(dtype=float)
    d = np.asarray(diameter_mm, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = (config.reference_diameter_mm / d) ** config.diameter_exponent
    factor = np.where(np.isfinite(factor) & (d > 0), np.minimum(1.0, factor), 1.0)
    return base * np.maximum(config.min_range_factor, factor)


def build_coverage(network: Network, pipes_or_risk: pd.DataFrame | None = None, *,
                   config: CoverageConfig | None = None, candidates: Sequence[str] | None = None,
                   sites: pd.DataFrame | None = None, progress: Progress | None = None) -> Coverage:
    """Compute which candidate sites hear which pipe segments.

    Parameters
    ----------
    network : Network
        Topology (``nodes`` and ``links`` frames of :class:`leakopt.schema.Network`).
    pipes_or_risk : DataFrame, optional
        Any frame with ``pipe_id`` and, optionally, ``material`` (family or raw
        name) and ``diameter_mm``; e.g. ``risk.csv`` or the pipes frame.  Pipes
        it does not list are still segments (sound travels through them) with
        the network's diameter and an "unknown" material.
    config : CoverageConfig, optional
    candidates : sequence of str, optional
        Node IDs that may hold a logger (hydrants, valves...).  Default: every
        node whose type is in ``config.candidate_node_types``.
    sites : DataFrame, optional
        The utility's own fittings, snapped to pipes
        (:attr:`leakopt.validate.SnappedSites.sites`: ``site_id``, ``kind``,
        ``x``, ``y``, ``pipe_id``, ``offset_m``, ``snap_x``, ``snap_y``).  Pipes
        are split where they stand; they are the candidate sites (``node_id``
        their ``site_id``, ``node_type`` their ``kind``), with the others
        ``config.with_sites`` keeps.  Not with ``candidates``.
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`), counting the chunks of candidate sites.

    Returns
    -------
    Coverage

    Raises
    ------
    InputError
        If the network has no pipe, a pipe's end node is not a node, or a
        candidate is not a node of the network.
    """
    config = config or CoverageConfig()
    if sites is not None and candidates is not None:
        raise InputError("build_coverage takes candidates (node IDs) or sites (fittings on pipes), not both",
                         fr="build_coverage prend candidates (identifiants de nœuds) ou sites (équipements posés "
                            "sur les conduites), pas les deux")
    nodes, links = _check_network(network)
    nodes, links, config_types = _with_access_points(nodes, links, config, candidates, sites)
    user_sites = None
    if sites is not None:
        split, site_nodes_of = add_sites(Network(nodes=nodes, links=links), sites)
        nodes, links = split.nodes, split.links
        user_sites = sites.assign(_node=site_nodes_of)
    pipes = _pipe_table(links, pipes_or_risk, config)
    node_pos = pd.Index(nodes["node_id"])
    u = node_pos.get_indexer(pipes["start_node"])
    v = node_pos.get_indexer(pipes["end_node"])
    segments, seg_start, seg_count = split_segments(pipes, nodes, u, v, config.segment_length_m)
    sites = _candidate_sites(nodes, candidates, config_types, user_sites)
    site_nodes = node_pos.get_indexer(sites.pop("_node"))
    graph = acoustic_graph(len(nodes), u, v, pipes["length_m"].to_numpy() / pipes["range_m"].to_numpy())
    pipe_data = PipeData(u, v, pipes["length_m"].to_numpy(float), 1.0 / pipes["range_m"].to_numpy(float),
                          seg_start, seg_count, segments["start_offset_m"].to_numpy(float),
                          segments["length_m"].to_numpy(float))
    matrix = hearing_matrix(graph, site_nodes, nodes[["x", "y"]].to_numpy(float), pipe_data,
                             chunk_size=int(config.chunk_size), progress=progress)
    if "part" in links.columns:  # pipes split at access points: segments named per whole pipe
        segments = _whole_pipe_segments(segments, pipes, seg_count)
    heard = np.asarray(matrix.sum(axis=0)).ravel() > 0
    unreachable = segments.loc[~heard].reset_index(drop=True)
    logger.info("coverage: %d sites, %d segments (%.1f km), %d unreachable, %d site-segment pairs",
                len(sites), len(segments), segments["length_m"].sum() / 1000, len(unreachable), matrix.nnz,
                extra=in_french("couverture : %d sites, %d tronçons (%.1f km), %d inatteignables, "
                                "%d couples site-tronçon"))
    return Coverage(segments=segments, sites=sites, matrix=matrix, unreachable=unreachable, config=config)


def _with_access_points(nodes, links, config: CoverageConfig, candidates, sites):
    """Nodes and links with the assumed access points where they apply, and the candidate node types."""
    types = config.candidate_node_types
    if sites is not None and "junction" not in config.with_sites:
        types = ()
    wanted = sites is None or ACCESS_POINT in config.with_sites
    if candidates is None and wanted and config.access_point_spacing_m > 0:
        split = add_access_points(Network(nodes=nodes, links=links), config.access_point_spacing_m)
        return split.nodes, split.links, (*types, ACCESS_POINT)
    return nodes, links, types


def _whole_pipe_segments(segments: pd.DataFrame, parts: pd.DataFrame, seg_count: np.ndarray) -> pd.DataFrame:
    """Renumber segments of pipes split into parts, with offsets from the pipe's start node."""
    part_offset = parts.groupby("pipe_id", sort=False)["length_m"].cumsum() - parts["length_m"]
    offset = segments["start_offset_m"].to_numpy() + np.repeat(part_offset.to_numpy(float), seg_count)
    k = segments.groupby("pipe_id", sort=False).cumcount().astype("str")
    return segments.assign(segment_id=segments["pipe_id"] + "#" + k, start_offset_m=offset)


#: The French of the network frames :func:`_check_network` names.
NETWORK_FRAMES_FR = {"nodes": "la table des nœuds", "links": "la table des conduites"}


def _check_network(network: Network) -> tuple[pd.DataFrame, pd.DataFrame]:
    if network is None or not hasattr(network, "links"):
        raise InputError("sensor placement needs a network (an EPANET .inp file); none was given",
                         fr="le placement des capteurs nécessite le réseau (un fichier EPANET .inp) ; aucun n’a été "
                            "donné")
    nodes, links = network.nodes, network.links
    for frame, name, cols in ((nodes, "nodes", ("node_id", "x", "y", "node_type")),
                              (links, "links", ("pipe_id", "start_node", "end_node", "length_m",
                                                "diameter_mm"))):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            what_fr = f"{NETWORK_FRAMES_FR.get(name, name)} du réseau"
            lacks_fr = (f"la colonne {missing} manque à {what_fr}" if len(missing) == 1
                        else f"les colonnes {missing} manquent à {what_fr}")
            raise InputError(f"network {name} frame lacks column(s) {missing}; expected {list(cols)}",
                             fr=f"{lacks_fr} ; colonnes attendues : {list(cols)}")
    if len(links) == 0:
        path_fr = f" {network.inp_path}" if network.inp_path else ""
        raise InputError(f"network {network.inp_path or ''} has no pipe: cannot place loggers",
                         fr=f"le réseau{path_fr} ne contient aucune conduite : impossible de placer des "
                            "prélocalisateurs")
    nodes = nodes.assign(node_id=nodes["node_id"].astype(str)).reset_index(drop=True)
    links = links.assign(pipe_id=links["pipe_id"].astype(str), start_node=links["start_node"].astype(str),
                         end_node=links["end_node"].astype(str)).reset_index(drop=True)
    ends = pd.concat([links["start_node"], links["end_node"]])
    bad = ends[~ends.isin(nodes["node_id"])]
    if len(bad):
        n = bad.nunique()
        nodes_fr = "nœud absent" if singular(n, "fr") else "nœuds absents"
        raise InputError(f"network links refer to {bad.nunique()} node(s) that are not nodes, "
                         f"e.g. {bad.unique()[:5].tolist()}",
                         fr=f"les conduites du réseau renvoient à {fmt_int(n, 'fr')} {nodes_fr} de la table des "
                            f"nœuds, par exemple {bad.unique()[:5].tolist()}")
    return nodes, links


def _pipe_table(links: pd.DataFrame, pipes_or_risk: pd.DataFrame | None, config: CoverageConfig):
    """Network pipes with material family, diameter, length and listening range."""
    out = links[["pipe_id", "start_node", "end_node", "length_m", "diameter_mm"]].copy()
    if "geometry" in links.columns:
        out["geometry"] = links["geometry"]
    material = pd.Series("unknown", index=out.index, dtype="str")
    if pipes_or_risk is not None and len(pipes_or_risk):
        if "pipe_id" not in pipes_or_risk.columns:
            raise InputError(f"the pipes/risk frame given to build_coverage lacks column 'pipe_id' "
                             f"(columns: {list(pipes_or_risk.columns)[:12]})",
                             fr=f"la table des conduites ou des risques donnée à build_coverage n’a pas de colonne "
                                f"'pipe_id' (colonnes : {list(pipes_or_risk.columns)[:12]})")
        info = pipes_or_risk.assign(pipe_id=pipes_or_risk["pipe_id"].astype(str)).drop_duplicates("pipe_id")
        info = info.set_index("pipe_id")
        if "material" in info.columns:
            mat = out["pipe_id"].map(_families(info["material"]))
            material = mat.fillna("unknown").astype("str")
        if "diameter_mm" in info.columns:
            d = out["pipe_id"].map(pd.to_numeric(info["diameter_mm"], errors="coerce"))
            out["diameter_mm"] = d.fillna(out["diameter_mm"])
    out["material"] = material
    out["length_m"] = pd.to_numeric(out["length_m"], errors="coerce").fillna(0.0).clip(lower=0.0)
    out["range_m"] = listening_range(out["material"], out["diameter_mm"], config=config)
    return out


def _families(values: pd.Series) -> pd.Series:
    """Material families; raw names are normalised with :mod:`leakopt.validate.materials`."""
    values = values.astype("str")
    if values.isin(MATERIAL_FAMILIES).all():
        return values

    known = values.isin(MATERIAL_FAMILIES)
    return values.where(known, normalize_material(values))


def split_segments(pipes: pd.DataFrame, nodes: pd.DataFrame, u: np.ndarray, v: np.ndarray,
                   segment_length_m: float):
    """Split pipes into equal segments of at most ``segment_length_m``.

    Returns
    -------
    segments : DataFrame
        See :attr:`Coverage.segments`.
    seg_start, seg_count : ndarray
        Per pipe, the first segment's row and the number of segments.
    """
    length = pipes["length_m"].to_numpy(float)
    count = np.maximum(1, np.ceil(length / segment_length_m - 1e-9)).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    pipe_of = np.repeat(np.arange(len(pipes)), count)
    k = np.arange(count.sum()) - start[pipe_of]
    seg_len = length[pipe_of] / count[pipe_of]
    offset = k * seg_len
    frac = (offset + seg_len / 2) / np.where(length[pipe_of] > 0, length[pipe_of], 1.0)
    x, y = _midpoints(pipes, nodes, u, v, pipe_of, frac)
    ids = pipes["pipe_id"].to_numpy(dtype=object)[pipe_of]
    segments = pd.DataFrame({
        "segment_id": pd.Series(ids, dtype="str") + "#" + pd.Series(k, dtype="str"),
        "pipe_id": pd.Series(ids, dtype="str"),
        "length_m": seg_len, "start_offset_m": offset, "x": x, "y": y,
        "material": pipes["material"].to_numpy()[pipe_of],
        "range_m": pipes["range_m"].to_numpy()[pipe_of],
    })
    return segments, start, count


def _midpoints(pipes, nodes, u, v, pipe_of, frac):
    """Segment midpoints: along the pipe geometry when known, else the straight line."""
    xy = nodes[["x", "y"]].to_numpy(float)
    x = xy[u[pipe_of], 0] + frac * (xy[v[pipe_of], 0] - xy[u[pipe_of], 0])
    y = xy[u[pipe_of], 1] + frac * (xy[v[pipe_of], 1] - xy[u[pipe_of], 1])
    if "geometry" in pipes.columns:
        import shapely

        geoms = pipes["geometry"].to_numpy(dtype=object)[pipe_of]
        ok = np.array([g is not None and isinstance(g, shapely.Geometry) and not g.is_empty
                       for g in pipes["geometry"].to_numpy(dtype=object)])[pipe_of]
        if ok.any():
            pts = shapely.line_interpolate_point(geoms[ok].astype(object), frac[ok], normalized=True)
            x[ok], y[ok] = shapely.get_x(pts), shapely.get_y(pts)
    return x, y


def _candidate_sites(nodes: pd.DataFrame, candidates, node_types: Sequence[str],
                     user_sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """Candidate sites (``node_id``, ``x``, ``y``, ``node_type``) and ``_node``, the network node each stands on."""
    if candidates is None:
        types = nodes["node_type"].astype(str).str.lower()
        sites = nodes.loc[types.isin([t.lower() for t in node_types])].assign(_node=lambda f: f["node_id"])
        if user_sites is not None:
            own = pd.DataFrame({"node_id": user_sites["site_id"].astype(str).to_numpy(),
                                "x": user_sites["x"].to_numpy(float), "y": user_sites["y"].to_numpy(float),
                                "node_type": user_sites["kind"].astype(str).to_numpy(),
                                "_node": user_sites["_node"].astype(str).to_numpy()})
            clash = own["node_id"].isin(sites["node_id"])
            if clash.any():
                logger.warning("%d site_id(s) are also network node IDs (e.g. %s): the network node is kept as "
                               "the candidate there", int(clash.sum()), own.loc[clash, "node_id"].head(3).tolist(),
                               extra=in_french("%d site_id sont aussi des identifiants de nœuds du réseau (par "
                                               "exemple %s) : c’est le nœud du réseau qui est gardé comme "
                                               "emplacement candidat"))
            sites = pd.concat([sites[own.columns], own], ignore_index=True).drop_duplicates("node_id")
        if len(sites) == 0:
            raise InputError(f"the network has no node of type {list(node_types)} "
                             f"to hold a logger; give a candidate list",
                             fr=f"le réseau n’a aucun nœud de type {list(node_types)} pour accueillir un "
                                "prélocalisateur ; donnez une liste de sites candidats")
    else:
        ids = pd.Series(list(candidates), dtype="str").drop_duplicates()
        unknown = ids[~ids.isin(nodes["node_id"])]
        if len(unknown):
            not_fr = ("site candidat n’est pas un nœud" if singular(len(unknown), "fr")
                      else "sites candidats ne sont pas des nœuds")
            raise InputError(f"{len(unknown)} candidate site(s) are not nodes of the network, "
                             f"e.g. {unknown.tolist()[:5]}; give node IDs of the .inp file",
                             fr=f"{fmt_int(len(unknown), 'fr')} {not_fr} du réseau, par exemple "
                                f"{unknown.tolist()[:5]} ; donnez des identifiants de nœuds du fichier .inp")
        sites = nodes.set_index("node_id").loc[ids.to_numpy()].reset_index().assign(_node=lambda f: f["node_id"])
    return sites[["node_id", "x", "y", "node_type", "_node"]].reset_index(drop=True)


#: The French of the candidates :func:`_positions` names (``what``): one, several.
CANDIDATES_FR = {"sites": ("un site candidat", "des sites candidats")}


def _positions(index_values: pd.Series, ids: Sequence[str], *, what: str) -> np.ndarray:
    idx = pd.Index(index_values.astype(str))
    ids = pd.Series(list(ids), dtype="str")
    pos = idx.get_indexer(ids)
    if (pos < 0).any():
        n = int((pos < 0).sum())
        one_fr, many_fr = CANDIDATES_FR.get(what, (what, what))
        not_fr = (f"identifiant de nœud n’est pas {one_fr}" if singular(n, "fr")
                  else f"identifiants de nœuds ne sont pas {many_fr}")
        raise InputError(f"{(pos < 0).sum()} node ID(s) are not candidate {what}, "
                         f"e.g. {ids[pos < 0].tolist()[:5]}",
                         fr=f"{fmt_int(n, 'fr')} {not_fr}, par exemple {ids[pos < 0].tolist()[:5]}")
    return pos

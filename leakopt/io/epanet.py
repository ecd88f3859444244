"""Reading an EPANET ``.inp`` network with WNTR into plain frames (:class:`leakopt.schema.Network`).

WNTR parses the file; the frames are then built with one pass over its
objects and vectorised geometry construction.  Python's cyclic garbage
collector is paused while WNTR builds its ~10 objects per pipe, which saves
about 40% of the read time on large networks.  A file WNTR cannot read gives
an :class:`InputError` naming the file, the line and WNTR's reason.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.io.tables import existing_file
from leakopt.schema import DIAMETER, GEOMETRY, LENGTH, PIPE_ID, Network, X, Y

log = logging.getLogger(__name__)


def epanet_error(exc: BaseException, inp_path=None, *, limit: int = 300) -> str:
    """An EPANET or WNTR failure in one line, the network's file named where EPANET's text leaves a "%s"
    for it ("(Error 200) one or more errors in input file %s")."""
    text = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    if inp_path is not None:
        text = text.replace("%s", str(inp_path))
    return text[:limit]


def read_network(path) -> Network:
    """Read an EPANET ``.inp`` file with WNTR.

    Returns
    -------
    Network
        ``nodes``: node_id, x, y, elevation (m; a reservoir's head), node_type,
        base_demand (m3/s).  ``links`` (pipes only): pipe_id, start_node,
        end_node, length_m, diameter_mm, roughness, geometry (LineString from
        the start node through the vertices to the end node).  ``other_links``:
        the pumps and valves (see :class:`leakopt.schema.Network`).  A file
        without coordinates (WNTR puts every node at (0, 0): all nodes at one
        point) gives NaN x, y and no geometry (``Network.has_coordinates``).

    Raises
    ------
    InputError
        When WNTR cannot read the file: the message names the file and line.
    """

    path = existing_file(path, "network")
    with _gc_paused():    # WNTR builds ~10 objects per pipe: cyclic GC passes would cost ~40% of the read
        _refuse_duplicate_ids(path)     # first: a node defined twice can make WNTR fail on a later line
        wn = _wntr_model(path)
        nodes = _without_listed_coordinates(_without_one_point(_network_nodes(wn), path), path)
        links = _network_links(wn, nodes)
        other = _network_other_links(wn)
    log.info("read network %s: %d nodes, %d pipes, %d pumps and valves", path, len(nodes), len(links), len(other),
             extra=in_french("réseau %s lu : %d nœuds, %d conduites, %d pompes et vannes"))
    return Network(nodes=nodes, links=links, inp_path=str(path), other_links=other)


@contextlib.contextmanager
def _gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _wntr_model(path: Path):
    try:
        return read_wntr(path)
    except Exception as exc:  # WNTR raises many types; all mean "cannot read this file"
        raise InputError(_inp_error_message(path, exc), fr=_inp_error_message(path, exc, lang="fr")) from exc


# The sections whose lines each define one node or one link, and what each defines, in English and French.
_ID_SECTIONS = {"[JUNCTIONS]": ("node", "junction", "nœud"), "[RESERVOIRS]": ("node", "reservoir", "bâche"),
                "[TANKS]": ("node", "tank", "réservoir"), "[PIPES]": ("link", "pipe", "conduite", "la conduite"),
                "[PUMPS]": ("link", "pump", "pompe", "la pompe"), "[VALVES]": ("link", "valve", "vanne", "la vanne")}


def _refuse_duplicate_ids(path: Path) -> None:
    """Refuse a file that defines one node or one link twice, or a link from a node to itself, as EPANET
    does (its errors 215 and 222): WNTR keeps the last definition and drops the first without a word, which
    would change the network silently, and reads a link from a node to itself."""
    seen: dict[tuple[str, str], tuple[int, tuple]] = {}
    section = None
    for lnum, line in enumerate(_inp_text(path).splitlines(), start=1):
        words = line.split(";", 1)[0].split()
        if not words:
            continue
        if words[0].startswith("["):
            section = _ID_SECTIONS.get(words[0].upper())
            continue
        if section is None:
            continue
        if section[0] == "link" and len(words) >= 3 and words[1] == words[2]:
            raise InputError(
                f"network file {path}: {section[1]} {words[0]!r} at line {lnum} starts and ends at node "
                f"{words[1]!r}: EPANET refuses such a file (its error 222, same start and end nodes). Correct its "
                "end node, or remove it, and run again.",
                fr=f"fichier du réseau {path} : {section[3]} {words[0]!r}, à la ligne {lnum}, commence et finit au "
                   f"nœud {words[1]!r} : EPANET refuse un tel fichier (son erreur 222, mêmes nœuds de début et de "
                   "fin). Corrigez son nœud de fin, ou supprimez-la, et relancez.")
        first, before = seen.setdefault((section[0], words[0]), (lnum, section))
        if first != lnum:
            raise InputError(
                f"network file {path} defines the ID {words[0]!r} twice ({before[1]} at line {first}, "
                f"{section[1]} at line {lnum}): EPANET refuses such a file (its error 215, duplicate ID), and "
                "WNTR would keep the second silently. Remove or rename one of them and run again.",
                fr=f"le fichier du réseau {path} définit deux fois l’identifiant {words[0]!r} ({before[2]} à la "
                   f"ligne {first}, {section[2]} à la ligne {lnum}) : EPANET refuse un tel fichier (son erreur "
                   "215, identifiant en double), et WNTR garderait le second sans rien dire. Supprimez ou "
                   "renommez l’un des deux et relancez.")


def read_wntr(path):
    """WNTR's model of the ``.inp`` file ``path``.

    WNTR reads UTF-8 only; a file saved in Windows-1252 or Latin-1 (an accent in a title, a comment or an
    ID, as French tools write them; EPANET itself reads bytes) is read from a UTF-8 copy, said at info
    level. WNTR's own errors propagate.
    """
    import tempfile

    import wntr
    try:
        return wntr.network.WaterNetworkModel(str(path))
    except UnicodeDecodeError:
        text = Path(path).read_bytes().decode("cp1252", errors="replace")
    log.info("%s is not UTF-8: read as Windows-1252", path,
             extra=in_french("%s n’est pas en UTF-8 : lu comme Windows-1252"))
    with tempfile.TemporaryDirectory(prefix="leakopt-inp-") as folder:
        copy = Path(folder) / Path(path).name
        copy.write_text(text, encoding="utf-8")
        return wntr.network.WaterNetworkModel(str(copy))


def _inp_error_message(path: Path, exc: BaseException, *, lang: str = "en") -> str:
    """Name the file, the line and WNTR's reason (``lang``: "en" or "fr"; WNTR's reason stays as it wrote it)."""
    fr = lang == "fr"
    if "'factor'" in str(exc) and not re.search(r"^\s*\[OPTIONS\]", _inp_text(path), flags=re.I | re.M):
        if fr:
            return (f"le fichier du réseau {path} n’a pas de section [OPTIONS] : EPANET prend alors les unités "
                    "américaines (GPM), mais WNTR ne sait pas lire un fichier qui n’en a pas. Ajoutez une section "
                    "[OPTIONS] qui donne les unités de débit du fichier (par exemple 'Units LPS' pour des litres "
                    "par seconde, 'Units GPM' pour des gallons américains par minute) et relancez.")
        return (f"network file {path} has no [OPTIONS] section: EPANET then takes US units (GPM), but WNTR "
                "cannot read a file without one. Add an [OPTIONS] section naming the flow units of the file "
                "(e.g. 'Units LPS' for litres per second, 'Units GPM' for US gallons per minute) and run again.")
    lnum, reason, chain = None, None, exc
    while chain is not None:
        text = str(chain)
        if isinstance(chain, KeyError) and len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]      # KeyError quotes its message
        m = re.search(r"at line (\d+)", text)
        if m and lnum is None:
            lnum, reason = int(m.group(1)), text.split(", at line")[0]
        chain = chain.__cause__ or chain.__context__
    if lnum is None:
        lnum = _traceback_line(exc)
    root = exc
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__
    if reason is None and isinstance(root, IndexError):
        reason = "trop peu de valeurs sur la ligne" if fr else "too few values on the line"
    if reason is None and isinstance(root, KeyError) and lnum is not None:
        # WNTR looks a word of the line up in one of its tables (flow units, a status, an option's value)
        reason = f"valeur inconnue {root}" if fr else f"unknown value {root}"
    reason = reason or f"{type(root).__name__}: {root}"
    reason = " ".join(reason.replace(" (%s)", "").split())
    reason = _epanet_reason(reason, lang)
    if lnum is None:
        if fr:
            return (f"le fichier du réseau {path} n’a pas pu être lu par WNTR ({reason}). Vérifiez que c’est un "
                    "fichier .inp d’EPANET qu’EPANET lui-même ouvre.")
        return (f"network file {path} could not be read by WNTR ({reason}). Check that it is an EPANET "
                ".inp file that EPANET itself opens.")
    try:
        text = _inp_text(path).splitlines()[lnum - 1].strip()
    except IndexError:
        text = "?"
    if fr:
        return (f"le fichier du réseau {path} n’a pas pu être lu par WNTR à la ligne {lnum} ({text!r}) : {reason}. "
                "Corrigez cette ligne (le manuel d’EPANET donne le format de chaque section) et relancez.")
    return (f"network file {path} could not be read by WNTR at line {lnum} ({text!r}): {reason}. "
            "Fix that line (EPANET's manual gives each section's format) and run again.")


# EPANET's input errors (its manual's codes 200-255, as WNTR raises them: "(Error 203) undefined node, 'J9'"),
# in French; the detail after EPANET's words (the ID, the value) is kept.
_EPANET_ERRORS_FR = {
    200: "une ou plusieurs erreurs dans le fichier",
    201: "erreur de syntaxe",
    202: "valeur numérique invalide",
    203: "nœud non défini",
    204: "tronçon (conduite, pompe ou vanne) non défini",
    205: "courbe de modulation non définie",
    206: "courbe non définie",
    207: "commande d’un clapet anti-retour ou d’une vanne à usage général",
    208: "limites de pression invalides pour le calcul piloté par la pression",
    209: "valeur invalide d’une propriété de nœud",
    211: "valeur invalide d’une propriété de tronçon",
    212: "nœud de traçage non défini",
    213: "valeur d’option invalide",
    214: "ligne trop longue",
    215: "identifiant en double",
    216: "référence à une pompe non définie",
    217: "pompe sans courbe caractéristique ni puissance",
    219: "vanne reliée à un réservoir",
    220: "vanne reliée à une autre vanne",
    221: "clause mal placée dans une règle de commande",
    222: "tronçon dont le nœud de début est aussi le nœud de fin",
    223: "pas assez de nœuds dans le réseau",
    224: "ni réservoir ni bâche dans le réseau",
    225: "niveaux minimal et maximal d’un réservoir invalides",
    226: "pompe sans courbe caractéristique ni puissance nominale",
    227: "courbe caractéristique de pompe invalide",
    230: "abscisses d’une courbe non croissantes",
    233: "le réseau a un nœud relié à rien",
    234: "le réseau a un nœud relié à rien",
    250: "format invalide (par exemple un identifiant trop long)",
    252: "identifiant invalide",
    254: "nœud sans coordonnées",
    255: "sommet de tronçon invalide",
}


# The properties WNTR checks as it builds a network (wntr.utils.check_values), and its two bounds, in French.
_PROPERTIES_FR = {"Pipe diameter": ("le diamètre d’une conduite", ""),
                  "Pipe length": ("la longueur d’une conduite", "e"),
                  "Pipe minor loss": ("le coefficient de perte de charge singulière d’une conduite", ""),
                  "Pipe roughness": ("la rugosité d’une conduite", "e"),
                  "Pump power": ("la puissance d’une pompe", "e")}
_BOUNDS_FR = {"must not be negative": "ne peut pas être négati{f}",
              "must be greater than zero": "doit être supérieur{e} à zéro"}


def _property_fr(name: str, feminine: str, bound: str) -> str:
    return f"{name} {bound.format(f='ve' if feminine else 'f', e=feminine)}"


def _epanet_reason(reason: str, lang: str) -> str:
    """WNTR's ``reason`` with Python's "could not convert string to float: 'x'" inside it said "'x' is not a
    number", and in French EPANET's numbered error said in French ("(erreur 203 d’EPANET) nœud non défini,
    'J9'"); any other reason as it is."""
    fr = lang == "fr"
    reason = re.sub(r"""\s*\[?["']?could not convert string to float: ('[^']*'|"[^"]*")["']?\]?""",
                    r": \1 n’est pas un nombre" if fr else r": \1 is not a number", reason)
    reason = re.sub(r"""\s*\[\s*(?:'([^']*)'|"([^"]*)")\s*\]""", lambda m: f": {m.group(1) or m.group(2)}", reason)
    reason = reason.removeprefix(": ")
    if "name must be a string with less than 32 characters" in reason:
        return ("un identifiant a au plus 31 caractères et aucun espace (la limite d’EPANET)" if fr else
                "an ID has at most 31 characters and no space (EPANET's limit)")
    if fr:
        reason = re.sub(r"(Pipe diameter|Pipe length|Pipe minor loss|Pipe roughness|Pump power) "
                        r"(must not be negative|must be greater than zero)",
                        lambda m: _property_fr(*_PROPERTIES_FR[m.group(1)], _BOUNDS_FR[m.group(2)]), reason)
    if lang != "fr":
        return reason
    m = re.match(r"\(Error (\d+)\) (.*)$", reason)
    if m is None or int(m.group(1)) not in _EPANET_ERRORS_FR:
        return reason
    import wntr.epanet.exceptions

    words = wntr.epanet.exceptions.EN_ERROR_CODES.get(int(m.group(1)), "").split("%s")[0].rstrip(" ,(")
    rest = m.group(2)
    if not words or not rest.startswith(words):
        return reason
    detail = rest[len(words):].strip()
    detail = detail[1:-1].strip() if detail.startswith("(") and detail.endswith(")") else detail
    joined = detail if detail.startswith(",") else f" {detail}" if detail.startswith(":") else \
        f", {detail}" if detail else ""
    return f"(erreur {m.group(1)} d’EPANET) {_EPANET_ERRORS_FR[int(m.group(1))]}{joined}"


def _inp_text(path: Path) -> str:
    """The file's text as well as it reads ("" when it cannot be read)."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _traceback_line(exc: BaseException) -> int | None:
    """Line number WNTR's reader was on when it failed (its loops hold it in ``lnum``)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        value = tb.tb_frame.f_locals.get("lnum")
        if isinstance(value, int):
            found = value
        tb = tb.tb_next
    return found


def _network_nodes(wn) -> pd.DataFrame:
    rows = [(name, n.node_type, n.coordinates, getattr(n, "elevation", None), getattr(n, "base_head", None),
             getattr(n, "base_demand", 0.0)) for name, n in wn.nodes()]
    names, kinds, coords, elev, head, demand = (list(c) for c in zip(*rows)) if rows else ([],) * 6
    xy = np.array(coords, dtype=float).reshape(-1, 2)
    elevation = np.where(pd.isna(np.array(elev, dtype=float)), np.array(head, dtype=float),
                         np.array(elev, dtype=float)) if rows else np.array([])
    return pd.DataFrame({
        "node_id": pd.array(names, dtype="str"), X: xy[:, 0], Y: xy[:, 1],
        "elevation": elevation.astype(float),
        "node_type": pd.array([k.lower() for k in kinds], dtype="str"),
        "base_demand": np.array([d or 0.0 for d in demand], dtype=float),
    })


def _without_one_point(nodes: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``nodes`` with NaN x, y when they all stand at one point: WNTR's (0, 0) for a file without
    [COORDINATES], which would draw every pipe as a point and every logger at (0, 0)."""
    xy = nodes[[X, Y]].to_numpy(float)
    if len(nodes) < 2 or not (xy == xy[0]).all():
        return nodes
    log.warning("%s: all %d nodes stand at one point (%g, %g), as WNTR places them when the file has no "
                "[COORDINATES] section: the network is read without coordinates", path, len(nodes), *xy[0],
                extra=in_french("%s : les %d nœuds sont tous au même point (%g ; %g), comme WNTR les place quand le "
                                "fichier n’a pas de section [COORDINATES] : le réseau est lu sans coordonnées"))
    return nodes.assign(**{X: np.nan, Y: np.nan})


def coordinate_nodes(path) -> set[str] | None:
    """Names of the nodes the ``[COORDINATES]`` section of the ``.inp`` file at ``path`` places (None when the
    file has no such section).  WNTR puts a node missing there at (0, 0), a place the file never gave."""
    names, inside, seen = set(), False, False
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            text = line.split(";", 1)[0].strip()
            if not text:
                continue
            if text.startswith("["):
                inside = text.upper().startswith("[COORDINATES]")
                seen = seen or inside
                continue
            if inside:
                names.add(text.split()[0])
    return names if seen else None


def _without_listed_coordinates(nodes: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``nodes`` with NaN x, y for the nodes that ``[COORDINATES]`` does not place, when it places others:
    WNTR's (0, 0) for them would draw their pipes across the map to the origin and put loggers there."""
    at_origin = (nodes[X] == 0) & (nodes[Y] == 0)
    if not at_origin.any() or at_origin.all():   # WNTR's (0, 0) is the only sign: else no second read of the file
        return nodes
    listed = coordinate_nodes(path)
    if listed is None:
        return nodes
    missing = (at_origin & ~nodes["node_id"].astype(str).isin(listed)).to_numpy()
    if not missing.any():
        return nodes
    nodes = nodes.copy()
    nodes.loc[missing, [X, Y]] = np.nan
    return nodes


def _network_links(wn, nodes: pd.DataFrame) -> pd.DataFrame:
    import shapely
    rows = [(name, p.start_node_name, p.end_node_name, p.length, p.diameter, p.roughness, p.vertices)
            for name, p in wn.pipes()]
    cols = list(zip(*rows)) if rows else [[]] * 7
    links = pd.DataFrame({
        PIPE_ID: pd.array(cols[0], dtype="str"), "start_node": pd.array(cols[1], dtype="str"),
        "end_node": pd.array(cols[2], dtype="str"), LENGTH: np.array(cols[3], dtype=float),
        DIAMETER: np.array(cols[4], dtype=float) * 1000.0, "roughness": np.array(cols[5], dtype=float),
    })
    xy = nodes.set_index("node_id")[[X, Y]]
    start = xy.reindex(links["start_node"]).to_numpy()
    end = xy.reindex(links["end_node"]).to_numpy()
    nv = np.array([len(v) for v in cols[6]], dtype=int)
    vert = np.array([pt for v in cols[6] for pt in v], dtype=float).reshape(-1, 2)
    n = len(links)
    owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), nv), np.arange(n)])
    order = np.concatenate([np.zeros(n), np.concatenate([np.arange(1, k + 1) for k in nv]) if nv.sum() else [],
                            nv + 1.0])
    coords = np.concatenate([start, vert, end])
    sort = np.lexsort((order, owner))
    geoms = np.full(n, None, dtype=object)
    placed = np.ones(n, dtype=bool)   # a link with an end (or a vertex) without coordinates gets no line
    np.logical_and.at(placed, owner, np.isfinite(coords).all(axis=1))
    if n and placed.any():
        keep = placed[owner[sort]]
        own = owner[sort][keep]
        lines = shapely.linestrings(coords[sort][keep], indices=np.unique(own, return_inverse=True)[1])
        geoms[np.unique(own)] = np.asarray(lines, dtype=object)
    links[GEOMETRY] = geoms
    return links


def _network_other_links(wn) -> pd.DataFrame:
    """Pumps and valves: link_id, link_type, valve_type, start_node, end_node, status."""
    rows = []
    for kind, items in (("pump", wn.pumps()), ("valve", wn.valves())):
        for name, link in items:
            status = str(getattr(link, "initial_status", "open")).split(".")[-1].lower()
            rows.append((name, kind, getattr(link, "valve_type", "") if kind == "valve" else "",
                         link.start_node_name, link.end_node_name, status))
    return pd.DataFrame(rows, columns=["link_id", "link_type", "valve_type", "start_node", "end_node", "status"],
                        dtype=str)

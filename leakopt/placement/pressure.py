"""Pressure sensors: leak signatures from hydraulics (WNTR).

A leak draws water and lowers the pressure around it; a pressure sensor
detects a leak when the drop it sees exceeds a threshold (``threshold_m``,
0.5 m by default, about the noise of a good logger).  Leak scenarios sit on
junctions, each weighted by the expected leaks of the pipes around it (half of
each pipe's expected leaks go to each end node); the ``n_scenarios`` heaviest
are simulated.  Sensors are placed to maximise the risk-weighted detected
leaks with the budget model of :mod:`leakopt.placement.solve`, and the answer reports
how many scenarios the chosen set can tell apart (distinct detection
signatures).

Methods
-------
``"simulate"``
    One WNTR pressure-dependent-demand simulation per scenario (snapshot at
    time 0): a leak of area ``leak_area_m2`` (``junction.add_leak``) and the
    pressure change at every junction versus the no-leak baseline.
``"sensitivity"`` (default, fast path)
    One baseline simulation, then the network equations linearised around it:
    each link gets a conductance ``dQ/d(dH)`` (Hazen-Williams pipes from their
    flow, head pumps from their curve's slope, closed links 0), the junction
    Laplacian is factorised once, and each leak's head drop is its column
    times the leak flow ``Cd A sqrt(2 g p)``, with the pressure drop at the leak
    node itself fed back into the orifice equation.  Validated against
    ``"simulate"`` on Net3 in ``tests/test_pressure.py``.

The steps are public so that other drivers (the Dask fan-out in
:mod:`leakopt.distributed.pressure`) simulate the very same scenarios:
:func:`wntr_model`, :func:`select_scenarios`, :func:`sensor_candidates`,
:func:`scenario_drops`, :func:`drops_frame`.
"""
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.io import read_wntr
from leakopt.placement.coverage import Coverage
from leakopt.placement.model import build_model
from leakopt.placement.solve import solve, weight_scale
from leakopt.placement.summary import pipes_without_score
from leakopt.schema import Network, Progress

logger = logging.getLogger(__name__)

_G = 9.81


@dataclass(frozen=True)
class PressureConfig:
    """Settings of pressure-sensor placement (TOML table ``[pressure]``).

    Attributes
    ----------
    n : int
        Pressure sensors ``leakopt run`` places (0: none; ``--pressure-sensors K``
        overrides it), and ``leakopt sensors --kind pressure`` when ``--n`` is not
        given (0: 5 sensors).
    leak_area_m2 : float
        Orifice area of a simulated leak (0.002 m2: a ~50 mm hole, 30-40 L/s at 40 m).
    discharge_coeff : float
        Orifice discharge coefficient.
    threshold_m : float
        Pressure drop (m) a sensor must see to detect a leak.
    n_scenarios : int
        Junctions with the highest surrounding risk to simulate leaks at.
    method : {"sensitivity", "simulate"}
    candidate_node_types : tuple of str
        Node types that may hold a sensor.
    solver, time_limit_s, mip_gap
        Passed to :func:`leakopt.optimize.solvers.solve_problem`.
    """

    n: int = 0
    leak_area_m2: float = 0.002
    discharge_coeff: float = 0.75
    threshold_m: float = 0.5
    n_scenarios: int = 300
    method: str = "sensitivity"
    candidate_node_types: tuple[str, ...] = ("junction",)
    solver: str = "auto"
    time_limit_s: float | None = 60.0
    mip_gap: float | None = 1e-4

    def __post_init__(self):
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 0:
            raise InputError(f"[pressure] n={self.n!r}; expected a whole number of pressure sensors >= 0",
                             fr=f"[pressure] n={self.n!r} ; valeur attendue : un nombre entier de capteurs de "
                                "pression >= 0")
        for name in ("leak_area_m2", "discharge_coeff", "threshold_m"):
            if not float(getattr(self, name)) > 0:
                raise InputError(f"[pressure] {name}={getattr(self, name)!r}; expected a number > 0",
                                 fr=f"[pressure] {name}={getattr(self, name)!r} ; valeur attendue : un nombre > 0")
        if int(self.n_scenarios) < 1:
            raise InputError(f"[pressure] n_scenarios={self.n_scenarios!r}; expected an integer >= 1",
                             fr=f"[pressure] n_scenarios={self.n_scenarios!r} ; valeur attendue : un entier >= 1")
        if self.method not in ("sensitivity", "simulate"):
            raise InputError(f"[pressure] method={self.method!r}; expected 'sensitivity' or 'simulate'",
                             fr=f"[pressure] method={self.method!r} ; valeur attendue : 'sensitivity' ou 'simulate'")


@dataclass(frozen=True)
class PressurePlacement:
    """Chosen pressure sensors and what they detect.

    Attributes
    ----------
    sensors : DataFrame
        ``node_id``, ``x``, ``y``, ``detected_scenarios`` (leak scenarios whose drop
        there exceeds the threshold), ``detected_risk_share`` (their share of the
        scenarios' weight).
    detected_risk_share : float
        Share of the scenarios' risk weight detected by at least one sensor.
    n_distinguishable : int
        Distinct non-empty detection signatures (which sensors fire) among the
        scenarios: groups of leaks the sensor set can tell apart.
    n_unique_scenarios : int
        Scenarios whose signature no other scenario shares (located exactly).
    method : str
    scenarios : DataFrame
        ``node_id``, ``weight`` (expected leaks/year), ``leak_flow_m3s``, ``detected`` (bool).
    drops : DataFrame
        Pressure drop (m), candidate sensor nodes x scenario nodes.
    info : SolveInfo
    unscored : dict or None
        Network pipes ``risk`` does not score (they weigh 0): ``n_pipes_not_in_risk``... as in
        ``placement.json``.
    """

    sensors: pd.DataFrame
    detected_risk_share: float
    n_distinguishable: int
    n_unique_scenarios: int
    method: str
    scenarios: pd.DataFrame
    drops: pd.DataFrame
    info: object = None
    unscored: dict | None = None

    def to_json(self) -> dict:
        """JSON-ready summary."""
        return {"n_sensors": len(self.sensors), "detected_risk_share": self.detected_risk_share,
                "n_distinguishable": self.n_distinguishable, "n_unique_scenarios": self.n_unique_scenarios,
                "n_scenarios": len(self.scenarios), "method": self.method,
                **({} if self.info is None else {k: v for k, v in self.info.to_dict().items()
                                                 if k in ("solver", "status", "mip_gap", "solve_seconds")}),
                **(self.unscored or {})}


def junction_risk(network: Network, risk: pd.DataFrame, *, column: str = "expected_leaks_per_year") -> pd.Series:
    """Expected leaks per year around each junction: half of each incident pipe's."""
    if column not in risk.columns:
        raise InputError(f"the risk frame lacks column {column!r} (columns: {list(risk.columns)[:12]})",
                         fr=f"la table des risques n’a pas de colonne {column!r} (colonnes : "
                            f"{list(risk.columns)[:12]})")
    value = pd.Series(pd.to_numeric(risk[column], errors="coerce").fillna(0.0).to_numpy(),
                      index=risk["pipe_id"].astype(str))
    links = network.links
    w = links["pipe_id"].astype(str).map(value.groupby(level=0).sum()).fillna(0.0).to_numpy() / 2
    ends = pd.concat([pd.Series(w, index=links["start_node"].astype(str)),
                      pd.Series(w, index=links["end_node"].astype(str))])
    return ends.groupby(level=0).sum()


def wntr_model(network: Network):
    """The WNTR model the leak scenarios are simulated on: ``network.inp_path``, snapshot, PDD.

    Raises
    ------
    InputError
        When the network did not come from an EPANET file.
    """
    if not network.inp_path:
        raise InputError("pressure-sensor placement simulates hydraulics: the network must come from an "
                         "EPANET .inp file (Network.inp_path is None)",
                         fr="le placement des capteurs de pression simule l’hydraulique : le réseau doit provenir "
                            "d’un fichier EPANET .inp (Network.inp_path vaut None)")
    wn = read_wntr(network.inp_path)
    wn.options.time.duration = 0
    wn.options.hydraulic.demand_model = "PDD"
    return wn


def select_scenarios(network: Network, risk: pd.DataFrame, *, config: PressureConfig | None = None,
                     wn=None) -> pd.DataFrame:
    """The leak scenarios to simulate: the ``n_scenarios`` junctions with the most risk around them.

    Parameters
    ----------
    network : Network
    risk : DataFrame
        ``pipe_id``, ``expected_leaks_per_year``.
    config : PressureConfig, optional
    wn : wntr WaterNetworkModel, optional
        From :func:`wntr_model`; built when not given.

    Returns
    -------
    DataFrame
        ``node_id`` (str), ``weight`` (expected leaks/year around the
        junction, > 0), heaviest first; ties keep the network's junction order.
    """
    config = config or PressureConfig()
    wn = wn if wn is not None else wntr_model(network)
    weight = junction_risk(network, risk).reindex(wn.junction_name_list).fillna(0.0)
    weight = weight[weight > 0].sort_values(ascending=False, kind="stable").iloc[: int(config.n_scenarios)]
    if weight.empty:
        raise InputError("no junction touches a pipe with expected leaks > 0: nothing to detect",
                         fr="aucun nœud n’est relié à une conduite dont les fuites attendues sont > 0 : rien à "
                            "détecter")
    return pd.DataFrame({"node_id": [str(n) for n in weight.index], "weight": weight.to_numpy(dtype=float)})


def sensor_candidates(wn, *, config: PressureConfig | None = None) -> list[str]:
    """Node IDs that may hold a pressure sensor (``candidate_node_types``), in the network's order."""
    types = {t.lower() for t in (config or PressureConfig()).candidate_node_types}
    return [n for n, node in wn.nodes() if node.node_type.lower() in types]


def _run(wn):
    import wntr

    wn.reset_initial_values()
    return wntr.sim.WNTRSimulator(wn).run_sim()


def simulate_drops(wn, scenario_nodes, sensor_nodes, config: PressureConfig,
                   progress: Progress | None = None):
    """Pressure drops by full simulation: (drops sensors x scenarios, leak flows)."""
    base = _run(wn).node["pressure"].iloc[0]
    drops = np.zeros((len(sensor_nodes), len(scenario_nodes)))
    flows = np.zeros(len(scenario_nodes))
    for k, node in enumerate(scenario_nodes):
        junction = wn.get_node(node)
        junction.add_leak(wn, area=config.leak_area_m2, discharge_coeff=config.discharge_coeff, start_time=0)
        try:
            res = _run(wn)
        finally:
            junction.remove_leak(wn)
        drops[:, k] = (base - res.node["pressure"].iloc[0])[list(sensor_nodes)].to_numpy()
        flows[k] = float(res.node["leak_demand"].iloc[0][node])
        if progress and (k % 10 == 9 or k == len(scenario_nodes) - 1):
            progress("leak scenarios simulated", k + 1, len(scenario_nodes))
    wn.reset_initial_values()
    return drops, flows


def sensitivity_drops(wn, scenario_nodes, sensor_nodes, config: PressureConfig):
    """Pressure drops from one baseline solve and the linearised network (see module docstring)."""
    import scipy.sparse as sp
    from scipy.sparse.linalg import splu

    res = _run(wn)
    head = res.node["head"].iloc[0]
    pressure = res.node["pressure"].iloc[0]
    flow = res.link["flowrate"].iloc[0]
    names = list(wn.node_name_list)
    pos = {n: i for i, n in enumerate(names)}
    u, v, g = _link_conductances(wn, flow, head, res.link["status"].iloc[0])
    a = np.array([pos[x] for x in u]), np.array([pos[x] for x in v])
    n = len(names)
    lap = sp.coo_matrix((np.concatenate([g, g, -g, -g]),
                         (np.concatenate([a[0], a[1], a[0], a[1]]), np.concatenate([a[0], a[1], a[1], a[0]]))),
                        shape=(n, n)).tocsc()
    free = np.array([pos[j] for j in wn.junction_name_list])
    lff = lap[free][:, free]
    lff = lff + sp.identity(len(free), format="csc") * (1e-9 * max(lff.diagonal().mean(), 1e-12))
    lu = splu(lff.tocsc())
    local = {names[f]: i for i, f in enumerate(free)}
    rhs = np.zeros((len(free), len(scenario_nodes)))
    cols = np.array([local[s] for s in scenario_nodes])
    rhs[cols, np.arange(len(cols))] = 1.0
    unit = lu.solve(rhs)  # head drop per m3/s drawn at each scenario node
    self_drop = unit[cols, np.arange(len(cols))]
    p = np.maximum(pressure[list(scenario_nodes)].to_numpy(float), 0.0)
    k2 = (config.discharge_coeff * config.leak_area_m2) ** 2 * 2 * _G
    flows = (-k2 * self_drop + np.sqrt((k2 * self_drop) ** 2 + 4 * k2 * p)) / 2  # q^2 = k2 (p - s q)
    rows = np.array([local[s] for s in sensor_nodes])
    return unit[rows] * flows[None, :], flows


def _link_conductances(wn, flow, head, status):
    """Per link: start node, end node, |dQ/d(head difference)| at the baseline."""
    u, v, g = [], [], []
    hw = str(wn.options.hydraulic.headloss).upper().startswith("H")
    for name, link in wn.links():
        q = abs(float(flow[name]))
        closed = int(status[name]) == 0
        if link.link_type == "Pipe":
            if closed:
                c = 0.0
            elif hw:
                r = 10.667 * link.length / (link.roughness ** 1.852 * link.diameter ** 4.871)
                c = 1.0 / (1.852 * r * max(q, 1e-4) ** 0.852)
            else:
                dh = abs(float(head[link.start_node_name] - head[link.end_node_name]))
                c = max(q, 1e-4) / (2.0 * max(dh, 1e-6))
        elif link.link_type == "Pump":
            c = 0.0
            if not closed and q > 1e-6 and getattr(link, "pump_type", "") == "HEAD":
                with warnings.catch_warnings():  # WNTR's curve fit warns on 1-point curves
                    warnings.simplefilter("ignore")
                    _, b, cc = link.get_head_curve_coefficients()
                slope = b * cc * q ** (cc - 1)
                c = 1.0 / slope if slope > 0 else 0.0
        else:  # valves: open ones are short links; closed or active ones decouple their ends
            c = 1e3 if int(status[name]) == 1 else 0.0
        u.append(link.start_node_name)
        v.append(link.end_node_name)
        g.append(c)
    return u, v, np.asarray(g, float)


def pressure_drops(network: Network, risk: pd.DataFrame, *, config: PressureConfig | None = None,
                   progress: Progress | None = None):
    """Leak scenarios and the pressure drop each causes at each candidate sensor node.

    :func:`wntr_model`, then :func:`select_scenarios`, :func:`sensor_candidates`
    and :func:`scenario_drops`; the Dask fan-out
    (:func:`leakopt.distributed.pressure.pressure_drops_distributed`) runs the
    same steps with the scenarios cut into chunks.

    Returns
    -------
    scenarios : DataFrame
        ``node_id``, ``weight``, ``leak_flow_m3s``.
    drops : DataFrame
        Index: candidate sensor node IDs; columns: scenario node IDs; values: metres.
    """
    config = config or PressureConfig()
    wn = wntr_model(network)
    scenarios = select_scenarios(network, risk, config=config, wn=wn)
    sensors = sensor_candidates(wn, config=config)
    scen = scenarios["node_id"].tolist()
    drops, flows = scenario_drops(wn, scen, sensors, config=config, progress=progress)
    return scenarios.assign(leak_flow_m3s=flows), drops_frame(drops, sensors, scen)


def scenario_drops(wn, scenario_nodes: list[str], sensor_nodes: list[str], *, config: PressureConfig | None = None,
                   progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pressure drops by ``config.method``: (drops, sensors x scenarios in metres; leak flows in m3/s).

    Each scenario column depends on that scenario only, so the scenarios may
    be cut into chunks and computed apart (:mod:`leakopt.distributed.pressure`).
    """
    config = config or PressureConfig()
    if config.method == "simulate":
        return simulate_drops(wn, scenario_nodes, sensor_nodes, config, progress)
    return sensitivity_drops(wn, scenario_nodes, sensor_nodes, config)


def drops_frame(drops: np.ndarray, sensor_nodes: list[str], scenario_nodes: list[str]) -> pd.DataFrame:
    """The drop matrix as :func:`pressure_drops` returns it: index ``node_id`` (sensors), one column per scenario."""
    return pd.DataFrame(drops, index=pd.Index(sensor_nodes, name="node_id"), columns=list(scenario_nodes))


def place_pressure_sensors(network: Network, risk: pd.DataFrame, *, k: int = 5,
                           config: PressureConfig | None = None,
                           progress: Progress | None = None) -> PressurePlacement:
    """Place ``k`` pressure sensors to maximise the risk-weighted leaks they detect.

    Parameters
    ----------
    network : Network
        Read from an EPANET file (``inp_path`` is simulated with WNTR).
    risk : DataFrame
        ``pipe_id``, ``expected_leaks_per_year``.
    k : int
        Number of sensors.
    config : PressureConfig, optional
    progress : callable, optional
        ``progress(step, done, total)`` (:mod:`leakopt.schema`), counting the leak scenarios simulated.

    Returns
    -------
    PressurePlacement
    """
    config = config or PressureConfig()
    if int(k) < 1:
        raise InputError(f"k={k!r}; expected a number of pressure sensors >= 1",
                         fr=f"k={k!r} ; valeur attendue : un nombre de capteurs de pression >= 1")
    scenarios, drops = pressure_drops(network, risk, config=config, progress=progress)
    detect = drops.to_numpy() >= config.threshold_m
    import scipy.sparse as sp

    nodes = network.nodes.assign(node_id=network.nodes["node_id"].astype(str)).set_index("node_id")
    sites = pd.DataFrame({"node_id": drops.index.astype(str)})
    sites = sites.join(nodes[["x", "y"]], on="node_id")
    segs = pd.DataFrame({"segment_id": scenarios["node_id"], "pipe_id": scenarios["node_id"], "length_m": 0.0,
                         "start_offset_m": 0.0, "x": 0.0, "y": 0.0})
    cov = Coverage(segments=segs, sites=sites, matrix=sp.csr_matrix(detect), unreachable=segs.iloc[:0])
    w = scenarios["weight"].to_numpy(float)
    model = build_model(cov, w / weight_scale(w), budget=int(k))   # about 1, whatever the risk's unit
    info = solve(model, solver=config.solver, time_limit_s=config.time_limit_s, mip_gap=config.mip_gap)
    chosen = model.selected()
    unscored = pipes_without_score(network.links.set_index(network.links["pipe_id"].astype(str))["length_m"], risk)
    return _summary(scenarios, drops, detect, chosen, sites, w, config, info, unscored)


def _summary(scenarios, drops, detect, chosen, sites, w, config, info, unscored) -> PressurePlacement:
    sig = detect[chosen]  # chosen sensors x scenarios
    detected = sig.any(axis=0)
    total = w.sum() if w.sum() > 0 else 1.0
    keys = pd.Series(["".join("1" if b else "0" for b in col) for col in sig.T])[detected]
    counts = keys.value_counts()
    sensors = sites.iloc[chosen].reset_index(drop=True).assign(
        detected_scenarios=sig.sum(axis=1), detected_risk_share=(sig * w[None, :]).sum(axis=1) / total)
    return PressurePlacement(
        sensors=sensors, detected_risk_share=float(w[detected].sum() / total),
        n_distinguishable=len(counts), n_unique_scenarios=int((counts == 1).sum()),
        method=config.method, scenarios=scenarios.assign(detected=detected), drops=drops, info=info,
        unscored=unscored)

"""What the terminal prints after a command: a few plain sentences read from the results."""
from __future__ import annotations

import json
import logging

from leakopt.pipeline.stages import RunResult

log = logging.getLogger(__name__)


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


def placement_line(p: dict) -> str:
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
        budget = p.get("budget")
        if budget is not None and n < budget:   # more would hear nothing more: taken away
            what = f"(of a budget of {budget:,.0f}: more would hear nothing more) hear {heard}"
        else:
            what = f"(the whole budget) hear {heard}, the most {n:,} can"
    elif model == "cover":
        what = f"hear {heard}, all that the candidate sites can reach"
        if target is not None:
            what += f" (the target of {100 * target:.0f}% is out of reach)"
    else:
        what = f"hear {heard}" + (f" (target {100 * target:.0f}%)" if target is not None else "")
    text = f"Loggers: {n:,} {what}"
    r = p.get("redundancy") or 1
    if r > 1 and p.get("redundant_risk_share") is not None:
        text += (f", {100 * p['redundant_risk_share']:.1f}% by {r} loggers (or by every site that can hear it; "
                 "the target counts these)")
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


def summary_text(result: RunResult, *, lang: str = "en") -> str:
    """The short summary printed after a run."""
    u = result.utility
    km = u.pipes["length_m"].sum() / 1000
    recorded = u.validation.summary.get("recorded_leaks") or {}
    per_year = recorded.get("leaks_per_year")
    rate = (f"; in the {recorded['years']:g} years from {recorded['start']} to {recorded['end']}, "
            f"{per_year:,.0f} a year, {100 * per_year / max(km, 1e-9):.1f} per 100 km a year"
            ) if per_year is not None else ""
    pr = result.priority
    lines = [
        f"Network: {km:,.1f} km, {len(u.pipes):,} pipes; {len(u.leaks):,} usable leak records{rate}.",
        f"Priority zone: {100 * pr['length_share']:.1f}% of the network length holds "
        f"{100 * pr['expected_leak_share']:.1f}% of expected leaks.",
    ]
    given = (result.manifest or {}).get("model_given")
    if given:
        lines.append(f"Risk: every pipe scored by the model given ({given['path']}), trained elsewhere; nothing "
                     "was learnt from this history.")
    if result.risk_matrix:
        lines.append(consequence_line(result.risk_matrix))
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
        lines.append(placement_line(p) + placement_note(p))
    if result.pressure:
        lines.append(pressure_line(result.pressure) + solver_note(result.pressure.get("solver"),
                                                                  result.pressure.get("status")))
    if result.renewal:
        lines.append(renewal_line(result.renewal))
    n_issues = len(u.validation.to_dict().get("issues", []))
    lines.append(f"Data checks: {n_issues} kinds of problem reported in validation.json.")
    lines.append(f"Outputs in {result.out_dir} (open report.html).")
    return "\n".join(lines)


def consequence_line(matrix: dict) -> str:
    """One sentence on the consequence of failure and the riskiest corner of the risk matrix."""
    c = matrix["consequence"]
    if c["method"] == "diameter_only_no_network":
        how = "Consequence of failure: by diameter only (no network)"
    else:
        rule = "assumed valves" if c["method"] == "segments_assumed_valves" else "valves"
        top = (matrix.get("top_demand_cut") or [{}])[0]
        share = top.get("demand_cut_m3s", 0) / c["total_demand_m3s"] if c.get("total_demand_m3s") else 0
        pdd = c.get("pdd") or {}
        simulated = (f", {pdd['n_segments_simulated']:,} of them simulated with pressure-dependent demand"
                     if pdd.get("status") == "ok" else ", judged by connectivity")
        how = (f"Consequence of failure: {c['n_segments']:,} valve segments ({rule}{simulated}); the worst cuts off "
               f"{100 * share:.1f}% of the demand ({top.get('nodes_cut', 0):,} customer nodes)")
    km = matrix["km"][0][0] + matrix["km"][0][1] + matrix["km"][1][0] + matrix["km"][1][1]
    return (how + f". Risk matrix: {km:,.1f} km are both likely (A-B) and severe (4-3); "
            "risk_matrix.json.")


def renewal_line(summary: dict) -> str:
    avoided, risk = summary.get("leaks_avoided"), summary.get("risk_avoided")
    years = summary.get("years")
    by_risk = summary.get("objective") == "risk"
    text = f"Renewal plan ({'by business risk' if by_risk else 'by expected leaks'}): {years} years"
    if avoided is not None:
        text += f", {avoided:,.1f} expected leaks avoided"
    if risk is not None:
        text += f", {risk:,.1f} points of business risk (consequence-weighted leaks)"
    rules = summary.get("rules") or {}
    ratios = [f"x{v['ratio']:.2f} vs {k.replace('_', ' ')}" for k, v in rules.items()
              if isinstance(v, dict) and v.get("ratio")]
    solver = summary.get("solver") or {}
    note = (" Built one year at a time: not proven optimal over the whole period."
            if summary.get("method") == "year_by_year" else solver_note(solver.get("solver"), solver.get("status")))
    return text + (f" ({', '.join(ratios)})" if ratios else "") + "." + note


#: What proved a gap (``bound_source`` of :class:`leakopt.optimize.SolveInfo`), in words.
BOUND_NAMES = {"solver": "the solver's own bound", "lagrangian": "a Lagrangian relaxation bound",
               "greedy": "the greedy method's submodularity bound", "column_bounds": "the variables' bounds alone"}


def solver_note(solver, status, *, gap=None, bound_source=None) -> str:
    """" Not proven optimal: ..." naming the solver, its status and, when known, the gap and what proved it."""
    if status is None or status == "optimal":
        return ""
    text = f" Not proven optimal: {solver} ended with status {status}"
    if gap is not None:
        text += (f", at most {100 * gap:.2f}% from the best possible"
                 + (f" (by {BOUND_NAMES.get(bound_source, bound_source)})" if bound_source else ""))
    return text + "."


def placement_note(p: dict) -> str:
    """:func:`solver_note` for a ``placement.json``."""
    return solver_note(p.get("solver"), p.get("status"), gap=p.get("mip_gap"), bound_source=p.get("bound_source"))


def dump(obj) -> str:
    return json.dumps(obj, indent=2, default=str)

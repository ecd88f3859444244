"""report.html from a run folder: self-contained, every section filled, English and French."""
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from _monitoringdata import write_campaign, write_pressure

from leakopt.errors import InputError
from leakopt.i18n import NNBSP, fmt_length, fmt_money, fmt_number, fmt_percent, fmt_seconds
from leakopt.renewal import RenewalConfig, plan_renewal
from leakopt.report import SECTIONS, write_report


def make_run(folder, *, n_side=8, seed=0):
    """A plausible run folder: a grid network of 2*n_side*(n_side-1) pipes with every output file."""
    rng = np.random.default_rng(seed)
    rows, feats = [], []
    k = 0
    for i in range(n_side):
        for j in range(n_side - 1):
            for a, b in (((i, j), (i, j + 1)), ((j, i), (j + 1, i))):
                coords = [[100.0 * a[0], 100.0 * a[1]], [100.0 * b[0], 100.0 * b[1]]]
                age = int(rng.integers(1930, 2015))
                mat = "cast_iron" if age < 1970 else "pvc"
                rate = 0.05 * np.exp((2025 - age) / 30) * rng.lognormal(0, 0.5)
                rows.append({"pipe_id": f"P{k}", "expected_leaks_per_year": rate * 0.1, "leaks_per_km_year": rate,
                             "material": mat, "diameter_mm": float(rng.choice([100, 150, 200])),
                             "install_year": age, "length_m": 100.0,
                             "top_factors_en": f"{'grey cast iron' if mat == 'cast_iron' else 'PVC'} laid in {age}; "
                                               f"{int(rng.integers(1, 4))} leaks since 2010 (last in 2024)",
                             "top_factors_fr": f"{'fonte grise' if mat == 'cast_iron' else 'PVC'} posée en {age}; "
                                               f"{int(rng.integers(1, 4))} fuites depuis 2010 (dernière en 2024)",
                             "x": np.mean([coords[0][0], coords[1][0]]), "y": np.mean([coords[0][1], coords[1][1]])})
                feats.append(coords)
                k += 1
    risk = pd.DataFrame(rows).sort_values("leaks_per_km_year", ascending=False, ignore_index=True)
    risk["rank"] = np.arange(1, len(risk) + 1)
    share = (risk["length_m"].cumsum() - risk["length_m"]) / risk["length_m"].sum()
    risk["risk_class"] = np.select([share < 0.1, share < 0.3, share < 0.6], ["A", "B", "C"], "D")
    cum_leaks = risk["expected_leaks_per_year"].cumsum() / risk["expected_leaks_per_year"].sum()
    risk["in_priority_zone"] = (cum_leaks - risk["expected_leaks_per_year"] / risk["expected_leaks_per_year"].sum()) < 0.5
    risk["top_factors"] = risk["top_factors_en"]
    risk.to_csv(folder / "risk.csv", index=False)
    by_id = risk.set_index("pipe_id")
    geo = {"type": "FeatureCollection", "description": "local coordinates: the input's CRS is unknown",
           "features": [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": c},
                         "properties": {"pipe_id": f"P{n}", "risk_class": by_id.loc[f"P{n}", "risk_class"],
                                        "in_priority_zone": bool(by_id.loc[f"P{n}", "in_priority_zone"]),
                                        "length_m": 100.0}} for n, c in enumerate(feats)]}
    (folder / "risk.geojson").write_text(json.dumps(geo))
    zone = risk["in_priority_zone"]
    dump(folder / "priority.json", {
        "length_share": float(risk.loc[zone, "length_m"].sum() / risk["length_m"].sum()),
        "expected_leak_share": float(risk.loc[zone, "expected_leaks_per_year"].sum()
                                     / risk["expected_leaks_per_year"].sum()),
        "target_share": 0.5, "n_pipes": len(risk), "n_pipes_in_zone": int(zone.sum()),
        "length_km": float(risk["length_m"].sum() / 1000), "zone_length_km": float(risk.loc[zone, "length_m"].sum() / 1000),
        "class_bounds": {"A": 0.1, "B": 0.3, "C": 0.6}})
    nodes = pd.DataFrame({"node_id": ["N1", "N2", "N3"], "x": [100.0, 300.0, 500.0], "y": [200.0, 400.0, 100.0],
                          "covered_pipes": [4, 3, 4], "covered_length_m": [400.0, 300.0, 400.0],
                          "covered_risk_share": [0.2, 0.15, 0.1]})
    nodes.to_csv(folder / "sensors.csv", index=False)
    dump(folder / "placement.json", {"n_sensors": 3, "n_sensors_full_network": 20, "reduction_factor": 6.67,
                                     "covered_risk_share": 0.45, "solver": "highs", "status": "optimal",
                                     "mip_gap": 0.0, "solve_seconds": 0.1, "zone_covered_length_share": 0.6})
    pd.DataFrame({"n_sensors": [1, 2, 3, 5, 10, 20], "covered_risk_share": [0.2, 0.35, 0.45, 0.6, 0.85, 1.0],
                  "greedy_covered_risk_share": [0.2, 0.33, 0.44, 0.58, 0.84, 1.0]}).to_csv(folder / "tradeoff.csv",
                                                                                          index=False)
    x = np.linspace(0, 1, 101)
    curve = lambda p: {"length_share": x.tolist(), "leak_share": (x ** p).tolist()}  # noqa: E731
    cap = lambda p: {k: float(float(k) ** p) for k in ("0.01", "0.05", "0.1", "0.2", "0.3")}  # noqa: E731
    methods = {"model": (0.4,), "oldest_first": (0.8,), "leaks_per_km_so_far": (0.6,)}
    bt = {name: {"capture": cap(p), "length_share_for_80pct": 0.8 ** (1 / p), "curve": curve(p)}
          for name, (p,) in methods.items()}
    dump(folder / "backtest.json", {
        "cutoff": "2022-01-01", "horizon_years": 3, "n_test_leaks": 57, "model": bt["model"],
        "baselines": {k: v for k, v in bt.items() if k != "model"},
        "walk_forward_summary": {"model": {"capture_mean": {"0.2": 0.52}, "capture_min": {"0.2": 0.47}, "n_cutoffs": 3}},
        "calibration": [{"bin": b, "predicted_leaks": 10.0 / b, "observed_leaks": 11.0 / b} for b in range(1, 6)],
        "notes": ["left truncation: records before 2006 are sparse"]})
    write_consequence(folder, risk, feats)
    plan = plan_renewal(risk, config=RenewalConfig(start_year=2026, annual_budget_eur=60_000,
                                                   residual_leaks_per_km_year=0.01, mip_gap=0.01))
    plan.plan.to_csv(folder / "renewal_plan.csv", index=False)
    dump(folder / "renewal.json", plan.summary)
    dump(folder / "validation.json", {
        "summary": {"pipes_read": len(risk), "pipes_kept": len(risk), "leaks_read": 130, "leaks_used": 120,
                    "as_of": "2025-06-30", "first_record_year": 2010},
        "issue_counts": {"error": 1, "warning": 1, "info": 0},
        "issues": [{"code": "leak_before_install", "severity": "error", "count": 7,
                    "message": "7 leaks are dated before their pipe's install year <left out>",
                    "examples": [{"row": 4, "pipe_id": "P3"}]},
                   {"code": "diameter_imputed", "severity": "warning", "count": 2,
                    "message": "2 pipes have no diameter", "examples": []}]})
    dump(folder / "manifest.json", {
        "as_of": "2025-06-30", "first_record_year": 2010,
        "inputs": {"pipes": {"path": "/data/pipes.csv", "sha256": "ab" * 32}},
        "versions": {"leakopt": "0.1.0", "pandas": pd.__version__}, "machine": {"cpus": 2},
        "timings": {"stages": {"load_validate": {"wall_seconds": 1.2, "cpu_seconds": 1.0, "peak_rss_mb": 200},
                               "risk": {"wall_seconds": 30.5, "cpu_seconds": 55.0, "peak_rss_mb": 400}},
                    "total": {"wall_seconds": 31.7, "cpu_seconds": 56.0, "peak_rss_mb": 400}}})
    write_campaign(folder)       # leakopt campaign --out DIR
    write_pressure(folder)       # leakopt sensors --kind pressure --out DIR
    return folder


def write_consequence(folder, risk, feats):
    """consequence.csv and risk_matrix.json for the grid, fed from a reservoir at one corner (what pipeline does)."""
    from leakopt.consequence import add_business_risk, consequence_of_failure, risk_matrix, top_demand_cut
    from leakopt.schema import Network
    ends = [[f"N{int(x)}_{int(y)}" for x, y in c] for c in feats]
    ids = sorted({n for e in ends for n in e})
    nodes = pd.DataFrame({"node_id": ids, "x": 0.0, "y": 0.0, "elevation": 0.0,
                          "node_type": ["reservoir" if n == "N0_0" else "junction" for n in ids],
                          "base_demand": [0.0 if n == "N0_0" else 0.001 for n in ids]})
    links = pd.DataFrame({"pipe_id": [f"P{k}" for k in range(len(feats))], "start_node": [e[0] for e in ends],
                          "end_node": [e[1] for e in ends], "length_m": 100.0, "diameter_mm": 150.0})
    result = consequence_of_failure(risk, Network(nodes=nodes, links=links))
    result.frame.to_csv(folder / "consequence.csv", index=False)
    with_risk = add_business_risk(risk, result.frame)
    dump(folder / "risk_matrix.json", {**risk_matrix(with_risk), "consequence": result.summary,
                                      "top_demand_cut": top_demand_cut(result.frame, with_risk)})
    return with_risk


def dump(path, doc):
    path.write_text(json.dumps(doc, indent=1, default=float))


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return make_run(tmp_path_factory.mktemp("run"))


def section_texts(page: str) -> dict[str, str]:
    out = {}
    for sid, inner in re.findall(r'<section id="(\w+)"[^>]*>(.*?)</section>', page, flags=re.S):
        body = re.sub(r"<h2[^>]*>.*?</h2>", "", inner, flags=re.S)
        out[sid] = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", body)).strip()
    return out


def test_report_is_self_contained_with_every_section_filled(run_dir):
    page = write_report(run_dir).read_text(encoding="utf-8")
    texts = section_texts(page)
    assert list(texts) == [sid for sid, _ in SECTIONS]
    assert all(len(t) > 40 for t in texts.values()), {k: v[:60] for k, v in texts.items() if len(v) <= 40}
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    imgs = re.findall(r"<img ([^>]*)>", page)
    assert len(imgs) >= 6   # map, capture, calibration, loggers, campaign, renewal
    assert all('src="data:image/png;base64,' in i and re.search(r'alt="[^"]{10,}"', i) for i in imgs)
    assert 'lang="en"' in page and "<h1>" in page


def test_key_figures_come_first_and_say_the_numbers(run_dir):
    page = write_report(run_dir).read_text(encoding="utf-8")
    key = section_texts(page)["key"]
    prio = json.loads((run_dir / "priority.json").read_text())
    assert page.index('id="key"') < page.index('id="map"')
    assert "11.2\u00a0km of pipes" in key                      # 112 pipes of 100 m
    assert f"{100 * prio['length_share']:.0f}% of the network" in key
    assert "3 loggers" in key and "instead of 20" in key
    assert "€60,000 a year" in key


def test_french_report_has_french_headings_and_number_formats(run_dir):
    page = write_report(run_dir, lang="fr", out=run_dir / "report_fr.html").read_text(encoding="utf-8")
    texts = section_texts(page)
    assert 'lang="fr"' in page
    for heading in ("Chiffres clés", "Plan de renouvellement", "Qualité des données", "Ce que le modèle ne peut pas savoir"):
        assert f">{heading}</h2>" in page
    assert "Key figures" not in page and "Renewal plan" not in page
    assert "11,2\u00a0km de conduites" in texts["key"]
    assert f"60{NNBSP}000{NNBSP}€ par an" in texts["key"]
    assert re.search(rf"\d+{NNBSP}%", texts["backtest"])
    assert "1er janvier 2022" in texts["backtest"]
    assert "Fichier d’entrée\u00a0: registre des conduites" in page and ": pipes<" not in page


def test_a_renewal_plan_built_year_by_year_is_not_called_the_best(tmp_path, run_dir):
    shutil.copytree(run_dir, tmp_path / "run")
    risk = pd.read_csv(run_dir / "risk.csv", dtype={"pipe_id": str})
    plan = plan_renewal(risk, config=RenewalConfig(start_year=2026, annual_budget_eur=60_000,
                                                   residual_leaks_per_km_year=0.01, max_candidates=10))
    assert plan.summary["method"] == "year_by_year"
    dump(tmp_path / "run" / "renewal.json", plan.summary)
    plan.plan.to_csv(tmp_path / "run" / "renewal_plan.csv", index=False)
    text = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))["renewal"]
    assert "one year at a time" in text and "not proven the best" in text
    fr = write_report(tmp_path / "run", lang="fr", out=tmp_path / "fr.html").read_text(encoding="utf-8")
    assert "année par année" in section_texts(fr)["renewal"]
    # the plan solved over the whole period to optimality says so
    text = section_texts(write_report(run_dir).read_text(encoding="utf-8"))["renewal"]
    assert "not proven" not in text and "best plan for the whole period" in text


def test_consequence_section_shows_the_matrix_and_the_worst_segments(run_dir):
    matrix = json.loads((run_dir / "risk_matrix.json").read_text())
    text = section_texts(write_report(run_dir).read_text(encoding="utf-8"))["consequence"]
    assert "valve segments" in text and "a valve is assumed on each pipe end" in text
    assert "Risk matrix" in text and "4 (most severe)" in text and "Class A (highest risk)" in text
    top = matrix["top_demand_cut"][0]
    assert top["pipe_ids"][0] in text and "Customer nodes" in text
    assert "priority zone and the logger placement still rank pipes by expected leaks alone" in text
    km = np.asarray(matrix["km"])[:2, :2].sum()       # classes A, B x consequence 4, 3: the top-left corner
    assert f"{fmt_length(1000 * km, 'en')} of pipes ({int(np.asarray(matrix['n_pipes'])[:2, :2].sum())} pipes) are " \
           "both likely to leak (classes A–B) and severe (consequence 4–3)" in re.sub(r"[ \n]+", " ", text)
    fr = write_report(run_dir, lang="fr", out=run_dir / "fr_c.html").read_text(encoding="utf-8")
    text_fr = section_texts(fr)["consequence"]
    assert "Matrice des risques" in text_fr and "secteurs d’isolement" in text_fr and "les seules fuites" in text_fr
    # this network has no .inp: no pressure-dependent simulation, and the report says why
    assert "Every segment is judged by connectivity alone" in text and "did not come from an EPANET file" in text
    assert "jugés sur la seule connexité" in text_fr


def test_the_consequence_section_says_how_many_segments_were_simulated(run_dir, tmp_path):
    shutil.copytree(run_dir, tmp_path / "run")
    path = tmp_path / "run" / "risk_matrix.json"
    matrix = json.loads(path.read_text())
    matrix["consequence"]["pdd"] = {"status": "ok", "selection": "top_business_risk", "n_segments_simulated": 48,
                                    "n_segments_failed": 2, "required_pressure_m": 20.0, "minimum_pressure_m": 0.0}
    path.write_text(json.dumps(matrix))
    text = " ".join(section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))["consequence"].split())
    assert ("48 of these segments, those carrying the most business risk, were also shut in a pressure-dependent "
            "hydraulic simulation") in text
    assert "from 20 m of pressure, none below 0 m" in text and "could not solve 2 of them" in text
    fr = write_report(tmp_path / "run", lang="fr", out=tmp_path / "fr.html").read_text(encoding="utf-8")
    text_fr = " ".join(section_texts(fr)["consequence"].split())
    assert "48 de ces secteurs, ceux qui portent le plus de risque métier" in text_fr
    # the closing note no longer says that no cut-off was simulated
    assert "The segments not simulated are judged by the pipes&#x27; connections" in text
    assert "not a hydraulic simulation" not in text and "Les secteurs non simulés" in text_fr


def test_a_placement_that_takes_every_logger_says_so_without_a_ratio_of_one(run_dir, tmp_path):
    shutil.copytree(run_dir, tmp_path / "run")
    path = tmp_path / "run" / "placement.json"
    placement = json.loads(path.read_text())
    placement.update(n_sensors=20, n_sensors_full_network=20, reduction_factor=1.0)
    path.write_text(json.dumps(placement))
    page = write_report(tmp_path / "run").read_text(encoding="utf-8")
    texts = section_texts(page)
    assert "as many as covering the whole network takes" in texts["sensors"]
    assert "1.0 times" not in page and "as many as covering everything takes" in texts["key"]
    fr = section_texts(write_report(tmp_path / "run", lang="fr", out=tmp_path / "fr.html").read_text("utf-8"))
    assert "autant que pour tout couvrir" in fr["key"] and "1,0 fois" not in fr["sensors"]
    # a real reduction reads as a number of times fewer, in words
    placement.update(n_sensors=4, reduction_factor=5.0)
    path.write_text(json.dumps(placement))
    fr = section_texts(write_report(tmp_path / "run", lang="fr", out=tmp_path / "fr.html").read_text("utf-8"))
    assert "au lieu de 20 pour tout couvrir (5,0 fois moins)" in fr["key"]


def test_loggers_on_sites_that_cannot_hear_the_whole_network_are_not_compared_with_it(run_dir, tmp_path):
    # the utility's own hydrants: "358 loggers instead of 361 to cover everything (1.0 times fewer)", though 323 km
    # were out of range of every site and the loggers already heard all the sites can reach
    shutil.copytree(run_dir, tmp_path / "run")
    path = tmp_path / "run" / "placement.json"
    placement = json.loads(path.read_text())
    placement.update(n_sensors=358, n_sensors_full_network=361, reduction_factor=361 / 358, covered_risk_share=0.4658,
                     n_unreachable_segments=7098, unreachable_length_m=322576.6, unreachable_expected_leaks=17.7395,
                     total_expected_leaks=33.2077)
    path.write_text(json.dumps(placement))
    for lang, key, sensors in (
            ("en", "358 loggers hear 46.6% of expected leaks, all the candidate sites can reach",
             "The candidate sites cannot hear the whole network (see below); hearing every pipe they can reach would "
             "take 361."),
            ("fr", "358 capteurs entendent 46,6\u202f% des fuites attendues, tout ce que les sites candidats "
                   "atteignent",
             "Les sites candidats ne peuvent pas entendre tout le réseau (voir ci-dessous)\u00a0; entendre toutes les "
             "conduites qu’ils atteignent en demanderait 361.")):
        texts = section_texts(write_report(tmp_path / "run", lang=lang, out=tmp_path / f"{lang}.html")
                              .read_text("utf-8"))
        assert key in texts["key"] and sensors in texts["sensors"], (texts["key"][:400], texts["sensors"][:400])
        said = texts["key"] + texts["sensors"]
        assert not re.search(r"1[.,]0 (times|fois)|to cover everything|pour tout couvrir", said)
    # more loggers than the placement, but not 1.2 times as many: the count, without a ratio
    placement.update(n_unreachable_segments=0)
    path.write_text(json.dumps(placement))
    texts = section_texts(write_report(tmp_path / "run").read_text("utf-8"))
    assert "358 loggers covering everything takes 361" in texts["key"]
    assert "listen to 46.6% of all expected leaks. Covering the whole network would take 361." in texts["sensors"]
    assert "times" not in texts["key"] + texts["sensors"]
    # sites in range of 91.2% of expected leaks, 1,886 loggers to hear it all: that reference, 2.3 times fewer
    placement.update(n_sensors=814, n_sensors_full_network=1886, reduction_factor=1886 / 814, covered_risk_share=0.8,
                     n_unreachable_segments=1153, unreachable_length_m=51_100.0, unreachable_expected_leaks=5.0818,
                     total_expected_leaks=57.9143)
    path.write_text(json.dumps(placement))
    fr = section_texts(write_report(tmp_path / "run", lang="fr", out=tmp_path / "fr.html").read_text("utf-8"))
    assert ("au lieu de 1\u202f886 pour entendre tout ce qu’atteignent les sites candidats (91,2\u202f% des fuites "
            "attendues\u00a0; 2,3 fois moins)") in fr["key"]
    assert "entendre tout ce qu’ils atteignent en demanderait 1\u202f886, soit 2,3 fois plus." in fr["sensors"]


def test_the_solver_and_its_result_are_written_in_words(run_dir, tmp_path):
    from leakopt.report.sections import solver_name
    texts = section_texts(write_report(run_dir).read_text(encoding="utf-8"))
    assert "Solver: HiGHS, result optimal (proven the best)." in texts["sensors"]
    fr = section_texts(write_report(run_dir, lang="fr", out=tmp_path / "fr.html").read_text(encoding="utf-8"))
    assert "Solveur\u00a0: HiGHS, résultat optimal (prouvé le meilleur)." in fr["sensors"]
    assert solver_name("cbc") == "CBC" and solver_name("mysolver") == "mysolver" and solver_name(None) == "?"


def test_the_cost_table_names_every_stage_in_words(run_dir, tmp_path):
    from leakopt.i18n import fmt_size
    shutil.copytree(run_dir, tmp_path / "run")
    path = tmp_path / "run" / "manifest.json"
    manifest = json.loads(path.read_text())
    stages = {k: {"wall_seconds": 1.0, "cpu_seconds": 1.0, "peak_rss_mb": 300.0}
              for k in ("load_validate", "risk", "consequence", "pressure_sensors")}
    manifest["timings"] = {"stages": stages, "total": {"wall_seconds": 4.0, "cpu_seconds": 4.0, "peak_rss_mb": 1700}}
    path.write_text(json.dumps(manifest))
    fr = write_report(tmp_path / "run", lang="fr", out=tmp_path / "fr.html").read_text(encoding="utf-8")
    assert "Conséquence d’une casse" in fr and "Placement des capteurs de pression" in fr
    assert ">consequence<" not in fr and ">pressure_sensors<" not in fr
    assert "1\u202f700\u00a0Mo de mémoire" in fr
    assert fmt_size(1_800_000, "en") == "1.7\u00a0MB" and fmt_size(40_000, "fr") == "39\u00a0ko"
    assert fmt_size(10, "en") == "1\u00a0kB" and fmt_size(0, "fr") == "0\u00a0ko"


def test_the_consequence_section_of_a_run_without_network_scores_by_diameter_alone(run_dir, tmp_path):
    # no network: no segments, no demand cut off; the score and the note say only what was used
    shutil.copytree(run_dir, tmp_path / "run")
    path = tmp_path / "run" / "risk_matrix.json"
    matrix = json.loads(path.read_text())
    matrix["consequence"] = {**matrix["consequence"], "method": "diameter_only_no_network", "n_segments": None,
                             "total_demand_m3s": None, "pdd": {"status": "not_run", "reason": "no network"}}
    matrix["top_demand_cut"] = []
    path.write_text(json.dumps(matrix))
    text = " ".join(section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))["consequence"].split())
    assert "judged by the pipe&#x27;s diameter alone" in text and "Consequence score: 1 point per 150 mm of diameter." in text
    assert "demand cut off" not in text and "Cut-offs follow" not in text and "Risk matrix" in text
    fr = write_report(tmp_path / "run", lang="fr", out=tmp_path / "fr.html").read_text(encoding="utf-8")
    assert "demande coupée" not in " ".join(section_texts(fr)["consequence"].split())


def test_missing_stages_are_said_plainly(tmp_path, run_dir):
    for f in run_dir.iterdir():
        if f.name in ("risk.csv", "priority.json"):
            shutil.copy(f, tmp_path / f.name)
    texts = section_texts(write_report(tmp_path).read_text(encoding="utf-8"))
    assert all(len(t) > 40 for t in texts.values())
    for sid, file in (("consequence", "risk_matrix.json"), ("backtest", "backtest.json"), ("sensors", "placement.json"), ("renewal", "renewal.json"),
                      ("quality", "validation.json"), ("compute", "manifest.json")):
        assert "did not run" in texts[sid] and file in texts[sid], sid
    # the campaign and the pressure sensors are separate commands: no section, no entry in the contents
    page = write_report(tmp_path).read_text(encoding="utf-8")
    assert "campaign" not in texts and "pressure" not in texts and 'href="#campaign"' not in page
    # no geometry file: the map falls back to the pipes' midpoints
    assert "data:image/png" in write_report(tmp_path).read_text(encoding="utf-8").split('id="map"')[1][:200_000]


def test_corrupt_optional_file_is_reported_not_fatal(tmp_path, run_dir):
    shutil.copytree(run_dir, tmp_path / "run")
    (tmp_path / "run" / "backtest.json").write_text("{not json")
    texts = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))
    assert "could not be read" in texts["backtest"] and "backtest.json" in texts["backtest"]


@pytest.mark.parametrize("name, section", [("validation.json", "quality"), ("placement.json", "sensors"),
                                           ("renewal.json", "renewal"), ("manifest.json", "compute"),
                                           ("risk_matrix.json", "consequence")])
def test_a_json_file_holding_no_object_is_reported_not_fatal(tmp_path, run_dir, name, section):
    # valid JSON of the wrong kind ("[1, 2]": a file overwritten by another tool) stopped
    # 'leakopt report' with "unexpected AttributeError: 'list' object has no attribute 'get'" (exit 1)
    shutil.copytree(run_dir, tmp_path / "run")
    (tmp_path / "run" / name).write_text("[1, 2]")
    texts = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))
    assert "could not be read" in texts[section] and name in texts[section], texts[section][:300]


@pytest.mark.parametrize("name, body, section", [("validation.json", '{"issues": 5}', "quality"),
                                                 ("placement.json", '{"n_sensors": "x"}', "sensors")])
def test_an_object_of_the_wrong_shape_is_said_in_its_section_and_the_rest_written(tmp_path, run_dir, caplog, name,
                                                                                   body, section):
    # an object whose values are not what leakopt writes stopped 'leakopt report' with "unexpected TypeError:
    # 'int' object is not iterable" or "unexpected ValueError: could not convert string to float: 'x'" (exit 1)
    shutil.copytree(run_dir, tmp_path / "run")
    (tmp_path / "run" / name).write_text(body)
    texts = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))
    assert "could not be written from the run folder&#x27;s files" in texts[section], texts[section][:300]
    assert "could not be written" not in texts["backtest"] and "could not be written" not in texts["renewal"]
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(f"could not be written from the files of {tmp_path / 'run'}" in w for w in warned)


def test_an_empty_result_file_is_not_called_missing(tmp_path, run_dir):
    # placement.json holding {} was reported as "placement.json is missing"
    shutil.copytree(run_dir, tmp_path / "run")
    (tmp_path / "run" / "placement.json").write_text("{}")
    texts = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))
    assert "file placement.json holds no result" in texts["sensors"] and "missing" not in texts["sensors"]
    (tmp_path / "run" / "placement.json").unlink()
    texts = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))
    assert "placement.json is missing" in texts["sensors"]


def test_a_risk_geojson_cut_short_is_said_under_the_map(tmp_path, run_dir, caplog):
    # was silent: the map fell back to risk.csv, or vanished, with nothing said
    shutil.copytree(run_dir, tmp_path / "run")
    geojson = tmp_path / "run" / "risk.geojson"
    geojson.write_text(geojson.read_text()[:300])
    texts = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))
    assert "risk.geojson could not be read (" in texts["map"]
    assert any("risk.geojson could not be read" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    fr = section_texts(write_report(tmp_path / "run", lang="fr").read_text(encoding="utf-8"))
    assert "risk.geojson n’a pas pu être lu (" in fr["map"]


def test_data_is_escaped(tmp_path, run_dir):
    shutil.copytree(run_dir, tmp_path / "run")
    risk = pd.read_csv(tmp_path / "run" / "risk.csv", dtype={"pipe_id": str})
    risk.loc[0, "top_factors_en"] = "<script>alert(1)</script> old pipe"
    risk.to_csv(tmp_path / "run" / "risk.csv", index=False)
    page = write_report(tmp_path / "run").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; old pipe" in page
    assert "&lt;left out&gt;" in page     # validation messages too


def test_sensors_section_says_which_pipes_had_no_risk_score(tmp_path, run_dir):
    """Pipes placed as never leaking (absent from risk.csv) are said, in English and French."""
    shutil.copytree(run_dir, tmp_path / "run")
    path = tmp_path / "run" / "placement.json"
    doc = json.loads(path.read_text())
    assert "never leaking" not in section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))["sensors"]
    dump(path, {**doc, "n_network_pipes": 130, "n_pipes_not_in_risk": 18, "not_in_risk_length_m": 1800.0,
                "not_in_risk_length_share": 0.138, "not_in_risk_examples": ["P200", "P201"]})
    en = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))["sensors"]
    assert "18 pipes of the network (1.8\u00a0km) had no risk score" in en and "never leaking" in en
    fr = section_texts(write_report(tmp_path / "run", lang="fr").read_text(encoding="utf-8"))["sensors"]
    assert "18 conduites du réseau (1,8\u00a0km) n’avaient pas de note de risque" in fr


def test_run_folder_without_risk_csv_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"has no risk\.csv"):
        write_report(tmp_path)
    with pytest.raises(InputError, match=r"language 'de' is not supported"):
        write_report(tmp_path, lang="de")


def test_number_formats_per_language():
    assert fmt_number(12345.678, "en", decimals=1) == "12,345.7"
    assert fmt_number(12345.678, "fr", decimals=1) == f"12{NNBSP}345,7"
    assert fmt_percent(0.125, "en") == "12.5%" and fmt_percent(0.125, "fr") == f"12,5{NNBSP}%"
    assert fmt_money(1_250_000, "en") == "€1.25\u00a0million" and fmt_money(850_000, "fr") == f"850{NNBSP}000{NNBSP}€"
    # three significant figures, billions named (it wrote "€2,500.00 million")
    assert [fmt_money(v, "en") for v in (47_840_000, 250_400_000, 999_600_000, 2_500_000_000)] == [
        "€47.8\u00a0million", "€250\u00a0million", "€1.00\u00a0billion", "€2.50\u00a0billion"]
    assert fmt_money(2_500_000_000, "fr") == f"2,50{NNBSP}Md€" and fmt_money(9_999_000, "fr") == f"10,0{NNBSP}M€"
    assert fmt_seconds(200) == "3\u00a0min\u00a020\u00a0s" and fmt_number(-0.01, "en", decimals=1) == "0.0"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_renders_in_headless_chromium(run_dir, lang):
    from _browser import require_chromium
    from playwright.sync_api import sync_playwright
    chromium = require_chromium()   # missing: skipped locally, failed under CI
    path = write_report(run_dir, lang=lang, out=run_dir / f"report_{lang}.html")
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri(), wait_until="load")
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth, e.alt])")
        sections = page.eval_on_selector_all(
            "section", "els => els.map(s => [s.id, s.innerText.length - s.querySelector('h2').innerText.length])")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        browser.close()
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    assert len(images) >= 5 and all(ok and w > 0 and alt for ok, w, alt in images), images
    assert len(sections) == len(SECTIONS) and all(n > 40 for _, n in sections), sections
    assert not overflow


@pytest.mark.parametrize("status, gap, en, fr", [
    ("optimal", 0.0, "placed by optimisation and proven the fewest", "dont le nombre est prouvé minimal"),
    ("time_limit", 0.031, "stopped by its time limit (at most 3.1% more than the fewest)", "sa limite de temps"),
    ("time_limit_greedy", 0.2, "placed by the greedy method (the solver found nothing better before its time limit)",
     "méthode gloutonne"),
    ("iteration_limit_greedy", None, "before its iteration limit", "limite d'itérations"),
    ("feasible", 0.0039, "(at most 0.4% more than the fewest)", "au plus 0,4"),
])
def test_the_logger_sentence_claims_only_what_the_solver_proved(status, gap, en, fr):
    from leakopt.i18n import Translator
    from leakopt.report.sections import how_placed
    from leakopt.report.text import STRINGS

    placement = {"status": status, "mip_gap": gap}
    assert en in how_placed(placement, Translator(STRINGS, "en"))
    assert fr in how_placed(placement, Translator(STRINGS, "fr"))
    if status != "optimal":
        assert "proven" not in how_placed(placement, Translator(STRINGS, "en"))


def test_the_logger_sentence_names_what_proved_the_gap():
    from leakopt.i18n import Translator
    from leakopt.pipeline.summary import placement_note
    from leakopt.report.sections import how_placed
    from leakopt.report.text import STRINGS

    placement = {"solver": "highs", "status": "feasible", "mip_gap": 0.0039, "bound_source": "lagrangian"}
    assert "(at most 0.4% more than the fewest, by a Lagrangian relaxation bound)" in \
        how_placed(placement, Translator(STRINGS, "en"))
    assert "borne de relaxation lagrangienne" in how_placed(placement, Translator(STRINGS, "fr"))
    assert placement_note(placement) == (" Not proven optimal: highs ended with status feasible, at most 0.39% "
                                         "from the best possible (by a Lagrangian relaxation bound).")
    solver = {**placement, "status": "time_limit", "mip_gap": 0.031, "bound_source": "solver"}
    assert "3.1% more than the fewest, by the solver's own bound" in how_placed(solver, Translator(STRINGS, "en"))
    assert placement_note({**placement, "status": "optimal"}) == ""


def test_campaign_section_says_how_soon_the_loggers_hear_against_the_ranking(run_dir):
    page = write_report(run_dir).read_text(encoding="utf-8")
    en = section_texts(page)["campaign"]
    assert page.index('id="sensors"') < page.index('id="campaign"') < page.index('id="renewal"')
    assert 'href="#campaign"' in page and ">Logger campaign: lift and shift</h2>" in page
    assert ("With your 60 loggers, 5 deployments of 2 weeks hear 80% of the expected leaks of the priority zone, "
            "against 8 moving them down the risk ranking.") in en
    assert "The whole campaign, 9 deployments (126 days), hears 97% of them." in en
    assert "after 41 days on average, against 60 days" in en
    # the status as proven: greedy, each deployment within its bound (1 - 0.12), never "optimal"
    assert "Method: greedy, not proven optimal." in en and "at least 88% of the most that as many loggers" in en
    assert "optimal" not in en.replace("not proven optimal", "")
    campaign_html = page.split('id="campaign"')[1].split("</section>")[0]
    assert 'src="data:image/png;base64,' in campaign_html and "weeks of campaign" in campaign_html
    # the table: after 1, 2, 5 and 9 deployments, this campaign against the ranking
    assert re.search(r"5\s+82%\s+60%", en) and re.search(r"9\s+97%\s+90%", en)
    fr = section_texts(write_report(run_dir, lang="fr", out=run_dir / "fr.html").read_text(encoding="utf-8"))
    assert (f"Avec vos 60 capteurs, 5 poses de 2 semaines entendent 80{NNBSP}% des fuites attendues de la zone "
            "prioritaire, contre 8 en les déplaçant dans l’ordre du classement de risque.") in fr["campaign"]
    assert "sans preuve d’optimalité" in fr["campaign"] and f"au moins 88{NNBSP}%" in fr["campaign"]


def test_an_unreachable_target_and_the_reach_are_written_apart():
    from leakopt.i18n import Translator
    from leakopt.report.monitoring import campaign_details
    from leakopt.report.text import STRINGS

    c = {"n_deployments": 9, "days": 126, "share_heard": 0.996, "target_reached": False, "target_share": 1.0,
         "reachable_share": 0.996}
    fr = campaign_details(c, Translator(STRINGS, "fr"))[1]
    assert fr == (f"L’objectif de 100{NNBSP}% est hors de portée\u00a0: les emplacements possibles en entendent au "
                  f"plus 99,6{NNBSP}%.")
    en = campaign_details({**c, "reachable_share": 0.9996}, Translator(STRINGS, "en"))[1]
    assert en == "The target of 100% is out of reach: the candidate sites can hear at most 99.96%."
    # far apart: whole percents, as before
    assert "at most 97%." in campaign_details({**c, "reachable_share": 0.97}, Translator(STRINGS, "en"))[1]


def test_campaign_sentence_when_the_ranking_never_gets_there(tmp_path, run_dir):
    from leakopt.i18n import Translator
    from leakopt.report.monitoring import campaign_sentence
    from leakopt.report.text import STRINGS

    c = json.loads((run_dir / "campaign.json").read_text())
    c["risk_ranking"]["deployments_to_share"] = {"0.5": 4}
    c["deployment_days"], c["scope"] = 10, "network"
    assert campaign_sentence(c, Translator(STRINGS, "en")) == (
        "With your 60 loggers, 5 deployments of 10 days hear 80% of the expected leaks of the network; moving them "
        "down the risk ranking does not get there in 9 deployments.")
    # the proven floor is rounded down: 99.6% is not "at least 100%"
    from leakopt.report.monitoring import campaign_status
    assert "at least 99% of the most" in campaign_status({**c, "worst_deployment_gap": 0.004}, Translator(STRINGS, "en"))
    assert "at least 100% of the most" in campaign_status({**c, "worst_deployment_gap": 0.0}, Translator(STRINGS, "en"))
    c["deployments_to_share"] = {}
    assert "hear 97% of the expected leaks of the network, against 90% moving them" in campaign_sentence(
        c, Translator(STRINGS, "en"))
    # one logger, one deployment: said in the singular
    c.update(loggers=1, deployment_days=7, deployments_to_share={"0.8": 1})
    c["risk_ranking"]["deployments_to_share"] = {"0.8": 3}
    assert campaign_sentence(c, Translator(STRINGS, "en")).startswith(
        "With your one logger, one deployment of one week hears 80% of the expected leaks")
    assert campaign_sentence(c, Translator(STRINGS, "fr")).startswith(
        "Avec votre unique capteur, une pose d’une semaine entend 80")


def test_pressure_section_says_what_the_sensors_detect_and_how_proven(tmp_path, run_dir):
    page = write_report(run_dir).read_text(encoding="utf-8")
    en = section_texts(page)["pressure"]
    assert page.index('id="campaign"') < page.index('id="pressure"') < page.index('id="renewal"')
    assert en.startswith("4 pressure sensors detect 73.4% of the risk-weighted leak scenarios")
    assert "each of the 120 junctions" in en and "drops by at least 0.5\u00a0m" in en
    assert "Only 4 of the 5 asked for" in en
    assert "The HiGHS solver proved that no other choice of as many sites detects more." in en   # not "highs"
    assert re.search(r"10\s+40\s+31\.0%", en)                        # the sensors' table, most first
    fr = section_texts(write_report(run_dir, lang="fr", out=run_dir / "fr.html").read_text(encoding="utf-8"))
    assert fr["pressure"].startswith(f"4 capteurs de pression détectent 73,4{NNBSP}% des scénarios de fuite")
    assert "d’au moins 0,5\u00a0m" in fr["pressure"] and "a prouvé" in fr["pressure"]
    # stopped by its time limit: not called proven, the gap said
    shutil.copytree(run_dir, tmp_path / "run")
    doc = json.loads((tmp_path / "run" / "pressure.json").read_text())
    dump(tmp_path / "run" / "pressure.json", {**doc, "status": "time_limit", "mip_gap": 0.0412})
    en = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))["pressure"]
    assert "stopped at its time limit: the best choice of as many sites could detect up to 4.2% more" in en and "proved" not in en
    (tmp_path / "run" / "pressure.json").write_text("{not json")
    en = section_texts(write_report(tmp_path / "run").read_text(encoding="utf-8"))["pressure"]
    assert "could not be read" in en and "pressure.json" in en


def test_data_check_examples_show_blanks_and_dates_plainly():
    from leakopt.i18n import Translator
    from leakopt.report.sections import example_text
    from leakopt.report.text import STRINGS
    en, fr = Translator(STRINGS, "en"), Translator(STRINGS, "fr")

    issue = {"examples": [{"row": 15, "pipe_id": None, "date": "2006-01-01T00:00:00", "x": 5041.13}]}
    assert example_text(issue, en) == "row 15, pipe —, date 2006-01-01, x 5,041.13"
    # in French: the fields named in French, materials in words, numbers and dates the French way
    imputed = {"examples": [{"row": 54, "pipe_id": "LINK-57", "material": "asbestos_cement", "install_year": 1976.0}]}
    assert example_text(imputed, fr) == "ligne 54, conduite LINK-57, matériau amiante-ciment, posée en 1976"
    assert example_text({"examples": [{"row": 105, "diameter_mm": 304.79999999999995}]}, fr) == \
        "ligne 105, diamètre 304,8\u00a0mm"
    assert example_text(issue, fr) == f"ligne 15, conduite —, date 01/01/2006, x 5{NNBSP}041,13"
    assert example_text({"examples": [{"date": "2015-02-30"}]}, fr) == "date 2015-02-30"     # no date: as written
    assert example_text({"examples": [{"year": 2006, "leaks": 13}]}, fr) == "année 2006, fuites\u00a0: 13"


def test_data_check_examples_name_the_values_the_checks_add_in_words():
    # validation.json's examples hold values the checks add beside the file's columns (read_as_mm, ...): not shown
    # as "read_as_mm=203.2" but named; the file's own columns (link) as they are
    from leakopt.i18n import Translator
    from leakopt.report.sections import example_text
    from leakopt.report.text import STRINGS
    en, fr = Translator(STRINGS, "en"), Translator(STRINGS, "fr")
    inches = {"examples": [{"row": 1, "pipe_id": "LINK-0", "diameter_mm": '8"', "read_as_mm": 203.2}]}
    assert example_text(inches, en) == 'row 1, pipe LINK-0, diameter 8", read as 203.2\u00a0mm'
    assert example_text(inches, fr) == 'ligne 1, conduite LINK-0, diamètre 8", lu comme 203,2\u00a0mm'
    imputed = {"examples": [{"row": 62, "pipe_id": "LINK-66", "imputed_length_m": 136.99,
                             "imputed_from": "material_median"}]}
    assert example_text(imputed, en).startswith("row 62, pipe LINK-66, imputed length 137\u00a0m, imputed from ")
    assert example_text(imputed, fr) == \
        "ligne 62, conduite LINK-66, longueur imputée 137\u00a0m, méthode\u00a0: médiane du matériau"
    feet = {"examples": [{"row": 3, "length_m": 494.09, "read_as_m": 150.599, "geometry_length_m": 150.2}]}
    assert example_text(feet, fr) == ("ligne 3, longueur 494,1, lue comme 150,6\u00a0m, longueur d’après la "
                                      "géométrie 150,2\u00a0m")        # 494.1 feet, not metres
    column_in_inches = {"examples": [{"row": 1, "diameter_mm": 8.0, "read_as_mm": 203.2}]}
    assert example_text(column_in_inches, en) == "row 1, diameter 8, read as 203.2\u00a0mm"
    assert example_text({"examples": [{"network_length_m": 12.0, "length_m": "0,15 km", "link": "P1"}]}, en) == \
        "length in the network 12\u00a0m, length 0,15 km, link=P1"
    for t in (en, fr):   # every value a check adds to its examples is named
        text = example_text({"examples": [{k: 1.0 for k in ("read_as_mm", "read_as_m", "imputed_length_m")}]}, t)
        assert "=" not in text and "_" not in text, text


@pytest.mark.parametrize("counts, en, fr", [
    ((1, 1, 1, 1, 1, 0, 2), "1 pipe read, 1 kept; 1 leak record read, 1 usable. Problems found: 1 serious, 0 to "
     "check, 2 for information.", "1 conduite lue, 1 retenue\u00a0; 1 fuite lue, 1 utilisable. Problèmes "
     "relevés\u00a0: 1 grave, 0 à vérifier, 2 pour information."),
    ((2, 0, 3, 0, 0, 1, 1), "2 pipes read, 0 kept; 3 leak records read, 0 usable. Problems found: 0 serious, 1 to "
     "check, 1 for information.", "2 conduites lues, 0 retenue\u00a0; 3 fuites lues, 0 utilisable. Problèmes "
     "relevés\u00a0: 0 grave, 1 à vérifier, 1 pour information."),
    ((4000, 3998, 904, 711, 4, 3, 5), "4,000 pipes read, 3,998 kept; 904 leak records read, 711 usable. Problems "
     "found: 4 serious, 3 to check, 5 for information.", f"4{NNBSP}000 conduites lues, 3{NNBSP}998 retenues\u00a0; "
     "904 fuites lues, 711 utilisables. Problèmes relevés\u00a0: 4 graves, 3 à vérifier, 5 pour information."),
])
def test_the_data_quality_sentence_agrees_with_its_numbers(counts, en, fr):
    from types import SimpleNamespace

    from leakopt.i18n import Translator
    from leakopt.report import ReportConfig
    from leakopt.report.sections import quality_section
    from leakopt.report.text import STRINGS
    pipes, kept, leaks, used, errors, warnings, infos = counts
    run = SimpleNamespace(json={"validation": {
        "summary": {"pipes_read": pipes, "pipes_kept": kept, "leaks_read": leaks, "leaks_used": used},
        "issues": [], "issue_counts": {"error": errors, "warning": warnings, "info": infos}}})
    for lang, expected in (("en", en), ("fr", fr)):
        html = quality_section(run, Translator(STRINGS, lang), ReportConfig())
        assert expected in html, html


def test_the_tradeoff_line_passes_through_the_placement_shown_and_ends_at_the_whole_network():
    # Three points drawn straight put the placement (737 loggers, 80%) far above the line (42% there), and the
    # line ended at greedy's 2,966 loggers while "to cover the whole network" said 2,793.
    from leakopt.report.maps import curve_points
    curve = pd.DataFrame({"n_sensors": [1, 54, 2966], "covered_risk_share": [0.01, 0.25, 0.98]})
    placement = {"n_sensors": 737, "covered_risk_share": 0.80, "n_sensors_full_network": 2793,
                 "total_expected_leaks": 50.0, "unreachable_expected_leaks": 1.0}
    points = curve_points(curve, placement)
    assert points["n_sensors"].tolist() == [1, 54, 737, 2793]
    assert points["covered_risk_share"].tolist() == pytest.approx([0.01, 0.25, 0.80, 0.98])
    chosen = curve_points(curve, placement, {"n_sensors": 100, "covered_risk_share": 0.2})   # the app's own solve
    assert chosen["n_sensors"].tolist() == [1, 54, 100, 2793]
    assert chosen["covered_risk_share"].tolist() == pytest.approx([0.01, 0.25, 0.25, 0.98])   # never decreasing


def test_a_backtest_with_no_test_leak_is_said_not_measured_and_a_cut_window_is_said(tmp_path, run_dir):
    run = tmp_path / "run"
    shutil.copytree(run_dir, run)
    bt = json.loads((run / "backtest.json").read_text())
    none = {"capture": dict.fromkeys(("0.01", "0.05", "0.1", "0.2", "0.3")), "length_share_for_80pct": None,
            "curve": None}
    dump(run / "backtest.json", {**bt, "n_test_leaks": 0, "model": none,
                                 "baselines": dict.fromkeys(bt["baselines"], none),
                                 "walk_forward_summary": {"model": {"capture_mean": dict.fromkeys(none["capture"]),
                                                                    "n_cutoffs": 3, "n_cutoffs_measured": 0}}})
    for lang, said in (("en", "the 3 years that followed held no leak on the pipes it scored"),
                       ("fr", "les 3 ans qui ont suivi n’ont compté aucune fuite")):
        page = write_report(run, lang=lang).read_text()
        text = section_texts(page)["backtest"]
        assert said in text and not re.search(r"[1-9][\d.,]*\s?%", text), text   # no share: only "0% would be wrong"
        assert "would have held" not in text and "auraient concentré" not in text and "Top 20%" not in text, text
    cut = {**bt, "horizon_years": 1.997, "horizon_years_asked": 3, "test_end": "2024-12-30", "n_test_leaks": 4}
    dump(run / "backtest.json", cut)
    en = section_texts(write_report(run, lang="en").read_text())["backtest"]
    assert ("of the 4 leaks of the following 2.0 years. The 3 years asked for were cut to the 2.0 years the leak "
            "record holds after 1 January 2022 (it ends on 30 December 2024).") in en, en
    assert "rest on only 4 leaks: one leak more or less moves them by 25 points" in en and "1.997" not in en
    fr = section_texts(write_report(run, lang="fr").read_text())["backtest"]
    assert "Les 3 ans demandés ont été ramenés aux 2,0 ans" in fr and "1,997" not in fr, fr

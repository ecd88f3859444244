"""The Streamlit app, driven page by page with ``streamlit.testing.v1.AppTest``.

Most tests run on a small hand-made run folder (every contract file, known
figures) so they are fast and independent of the modelling stages; the
``sample_run`` tests use the real sample run, computed once per session, to
check the interactive re-solves (logger target, renewal budget).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _monitoringdata import write_campaign, write_pressure
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
N_SIDE = 8          # fixture: an 8 x 8 grid of 100 m pipes (first 64 horizontal ones)
CLASSES = "ABCD"


# --- a hand-made run folder -----------------------------------------------------------------

def write_fixture_run(folder: Path) -> Path:
    """A small finished run folder with every contract file and known figures."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n = N_SIDE * N_SIDE
    ids = [f"P{i:03d}" for i in range(n)]
    rng = np.random.default_rng(0)
    rate = np.sort(rng.gamma(1.0, 0.05, n))[::-1]          # expected leaks/year, descending
    risk = pd.DataFrame({
        "pipe_id": ids, "expected_leaks_per_year": rate, "leaks_per_km_year": rate / 0.1,
        "rank": np.arange(1, n + 1), "risk_class": [CLASSES[min(i * 4 // n, 3)] for i in range(n)],
        "in_priority_zone": np.arange(n) < n // 4,
        "top_factors": ["grey cast iron laid in 1952; 3 leaks since 2019"] * n,
        "top_factors_en": ["grey cast iron laid in 1952; 3 leaks since 2019"] * n,
        "top_factors_fr": ["fonte grise posée en 1952 ; 3 fuites depuis 2019"] * n,
        "material": ["cast_iron" if i % 2 == 0 else "pvc" for i in range(n)],
        "diameter_mm": 100.0, "install_year": 1950 + (np.arange(n) % 60), "length_m": 100.0,
        "district": [f"D{i % 3}" for i in range(n)],
    })
    risk.to_csv(folder / "risk.csv", index=False)
    features = [{"type": "Feature", "properties": {"pipe_id": pid},
                 "geometry": {"type": "LineString",
                              "coordinates": [[100.0 * (i % N_SIDE), 100.0 * (i // N_SIDE)],
                                              [100.0 * (i % N_SIDE) + 100, 100.0 * (i // N_SIDE)]]}}
                for i, pid in enumerate(ids)]
    _dump(folder / "risk.geojson", {"type": "FeatureCollection", "features": features})
    _dump(folder / "priority.json", {"length_share": 0.25, "expected_leak_share": 0.62, "target_share": 0.8,
                                     "n_pipes": n // 4})
    _dump(folder / "placement.json", {"n_sensors": 5, "n_sensors_full_network": 21, "reduction_factor": 4.2,
                                      "covered_risk_share": 0.81, "solver": "HiGHS", "status": "Optimal",
                                      "mip_gap": 0.0, "solve_seconds": 0.3})
    pd.DataFrame({"node_id": ["J1", "J2", "J3", "J4", "J5"], "x": [50.0, 150, 250, 350, 450],
                  "y": [0.0, 100, 200, 300, 400], "covered_pipes": 3, "covered_length_m": 300.0,
                  "covered_pipe_ids": [f"P{i:03d};P{i + 1:03d};P{i + 8:03d}" for i in range(0, 50, 10)],
                  "covered_risk_share": 0.16}).to_csv(folder / "sensors.csv", index=False)
    pd.DataFrame({"n_sensors": [1, 2, 5, 10, 21], "covered_risk_share": [0.3, 0.5, 0.81, 0.95, 1.0]}).to_csv(
        folder / "tradeoff.csv", index=False)
    _dump(folder / "backtest.json", _backtest())
    _dump(folder / "renewal.json", _renewal())
    pd.DataFrame({"year": [2025, 2025, 2026], "pipe_id": ids[:3], "site_id": ["S0", "S1", "S2"],
                  "length_m": 100.0, "diameter_mm": 100.0, "material": "cast_iron", "install_year": 1950,
                  "cost": 40000.0, "expected_leaks_per_year": rate[:3], "leaks_avoided_per_year": rate[:3],
                  "leaks_avoided": rate[:3] * 4}).to_csv(folder / "renewal_plan.csv", index=False)
    # what leakopt.validate.recorded_leak_rate writes: the 3 leaks of the 5 years before 2024-01-01
    recorded = {"leaks_per_year": 3 / (1826 / 365.25), "leaks": 3, "start": "2019-01-01", "end": "2024-01-01",
                "years": 5.0}
    _dump(folder / "validation.json", {"summary": {"recorded_leaks": recorded}, "issues": [
        {"code": "leak_unknown_pipe", "severity": "warning", "count": 2,
         "message": "2 leaks name a pipe that is not in the register", "examples": [{"_row": 4, "pipe_id": "X9"}]}]})
    leaks = pd.DataFrame({"leak_id": ["L1", "L2", "L3"], "pipe_id": ["P000", "P000", "P001"],
                          "date": ["2019-02-01", "2022-12-15", "2023-05-05"]})
    leaks.to_csv(folder / "leaks.csv", index=False)
    _dump(folder / "manifest.json", {"as_of": "2024-01-01", "first_record_year": 2005, "configuration": {},
                                     "inputs": {"leaks": {"path": str(folder / "leaks.csv"), "sha256": None}}})
    (folder / "report.html").write_text("<html><body>report</body></html>", encoding="utf-8")
    write_campaign(folder)       # leakopt campaign --out DIR
    write_pressure(folder)       # leakopt sensors --kind pressure --out DIR
    return folder


def _backtest() -> dict:
    def entry(shares):
        cap = dict(zip(["0.01", "0.05", "0.1", "0.2", "0.3"], shares))
        return {"capture": cap, "curve": {"length_share": [0.0] + [float(k) for k in cap] + [1.0],
                                          "leak_share": [0.0] + list(shares) + [1.0]}}
    return {"cutoff": "2021-01-01", "horizon_years": 3, "n_test_leaks": 120,
            "model": entry([0.06, 0.25, 0.42, 0.63, 0.75]),
            "baselines": {"oldest_first": entry([0.02, 0.1, 0.2, 0.35, 0.5]),
                          "leaks_per_km_so_far": entry([0.05, 0.2, 0.33, 0.5, 0.62])},
            "calibration": [{"bin": d, "length_km": 0.64, "n_pipes": 6, "predicted_leaks": 11.0 - d,
                             "observed_leaks": 12.0 - d} for d in range(1, 11)],
            "notes": ["records start in 2005 (left truncation)"]}


def _renewal() -> dict:
    return {"years": 5, "first_year": 2025, "budget_per_year_eur": 250000.0, "leaks_avoided": 3.21,
            "km_renewed": 0.3, "total_cost_eur": 120000.0, "n_pipes": 3,
            "by_year": [{"year": 2025, "km_renewed": 0.2, "cost_eur": 80000.0},
                        {"year": 2026, "km_renewed": 0.1, "cost_eur": 40000.0}],
            "method": "year_by_year", "n_candidate_sites": 12, "optimal": False,
            "solver": {"solver": "highs", "status": "feasible", "mip_gap": None},
            "rules": {"oldest_first": {"available": True, "leaks_avoided": 1.07, "km_renewed": 0.3,
                                       "total_cost_eur": 120000.0, "ratio": 3.0},
                      "most_leaks_first": {"available": True, "leaks_avoided": 2.14, "km_renewed": 0.3,
                                           "total_cost_eur": 120000.0, "ratio": 1.5}}}


def _dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj), encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory) -> Path:
    return write_fixture_run(tmp_path_factory.mktemp("fixture-run"))


@pytest.fixture
def app(fixture_run, monkeypatch, tmp_path):
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def goto(at: AppTest, page: str) -> AppTest:
    lang = at.session_state["lang"] if "lang" in at.session_state else "en"
    at.sidebar.radio(key=f"page_{lang}").set_value(page).run()   # one page menu per language
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    return "\n".join(parts)


# --- pages on the fixture run ---------------------------------------------------------------

def test_overview_shows_the_key_figures(app):
    assert not app.exception and not app.error
    assert app.header[0].value == "Overview"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Network length"] == "6.4\u00a0km"
    assert metrics["Priority zone"] == "25.0%"
    assert metrics["Acoustic loggers"] == "5"
    assert metrics["Proven on history"] == "63.0%"
    # 3 leaks on scored pipes in the 5 years before 2024-01-01: 0.6 a year, 9.4 per 100 km
    assert metrics["Leaks a year"] == "0.6"
    assert [m.delta for m in app.metric if m.label == "Leaks a year"] == ["9.4 per 100 km a year"]
    assert "62.0%" in texts(app)


def test_french_switch_changes_headings_and_number_format(app):
    app.sidebar.radio(key="lang").set_value("fr").run()
    assert not app.exception
    assert app.header[0].value == "Synthèse"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Longueur du réseau"] == "6,4\u00a0km"
    assert metrics["Zone prioritaire"] == "25,0\u202f%"
    goto(app, "risk_map")
    assert app.header[0].value == "Carte des risques"
    assert "fonte grise posée en 1952" in texts(app)


@pytest.mark.parametrize("page,heading", [("overview", "Overview"), ("risk_map", "Risk map"),
                                          ("sensors", "Acoustic loggers"), ("renewal", "Renewal plan"),
                                          ("validation", "Validation"), ("downloads", "Downloads"),
                                          ("upload", "Your data")])
def test_every_page_renders_without_error(app, page, heading):
    goto(app, page)
    assert app.header[0].value == heading
    assert not app.error


def test_risk_map_filters_and_pipe_details(app):
    goto(app, "risk_map")
    assert "64 pipes shown" in texts(app)
    app.multiselect(key="rm_class").set_value(["A"]).run()
    assert "16 pipes shown, 1.6\u00a0km" in texts(app)
    app.multiselect(key="rm_material").set_value(["pvc"]).run()
    assert "8 pipes shown" in texts(app)
    app.multiselect(key="rm_area").set_value(["D0"]).run()
    shown = app.dataframe[0].value
    assert set(shown["risk_class"]) == {"A"} and set(shown["material"]) == {"PVC"}   # named, not coded
    app.multiselect(key="rm_material").set_value([]).run()
    app.multiselect(key="rm_area").set_value([]).run()
    app.selectbox(key="rm_pipe").set_value("P000").run()
    assert app.subheader[0].value == "Pipe P000"
    body = texts(app)
    assert "2 recorded leaks: 2019-02-01, 2022-12-15" in body
    app.selectbox(key="rm_pipe").set_value("P001").run()
    assert "1 recorded leak: 2023-05-05" in texts(app)
    app.selectbox(key="rm_pipe").set_value("P000").run()
    assert "Why: grey cast iron laid in 1952" in body
    app.sidebar.radio(key="lang").set_value("fr").run()     # the names in French, as the report writes them
    assert "fonte grise" in set(app.dataframe[0].value["material"])
    assert any(c.value.startswith("fonte grise, ") for c in app.caption)   # P000's line: cast iron, 1952
    assert "2 fuites enregistrées\u00a0: 01/02/2019, 15/12/2022" in texts(app)
    app.sidebar.radio(key="lang").set_value("en").run()
    app.selectbox(key="rm_zone").set_value("out").run()     # class A is all in the priority zone
    assert [i.value for i in app.info] == ["No pipe matches these filters."]
    app.multiselect(key="rm_class").set_value([]).run()
    assert "48 pipes shown" in texts(app)


def app_with_long_id(monkeypatch, tmp_path: Path, n_leaks: int = 13) -> tuple[AppTest, str]:
    """The app on a fixture run whose first pipe has a 3,000-character ID and ``n_leaks`` leaks, one a year
    from 2012; the ID."""
    run = write_fixture_run(tmp_path / "run")
    long_id = "PIPE-0-" + "X" * 2990 + "-END"
    risk = pd.read_csv(run / "risk.csv").replace({"pipe_id": {"P000": long_id}})
    risk.to_csv(run / "risk.csv", index=False)
    shapes = json.loads((run / "risk.geojson").read_text(encoding="utf-8"))
    shapes["features"][0]["properties"]["pipe_id"] = long_id
    _dump(run / "risk.geojson", shapes)
    pd.DataFrame({"leak_id": [f"L{i}" for i in range(n_leaks)], "pipe_id": long_id,
                  "date": [f"{2012 + i}-03-12" for i in range(n_leaks)]}).to_csv(run / "leaks.csv", index=False)
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "risk_map")
    at.selectbox(key="rm_pipe").set_value(long_id).run()
    return at, long_id


def test_pipe_card_says_when_it_lists_only_the_latest_leaks(monkeypatch, tmp_path):
    # "13 recorded leaks: 2015-03-12, …" listed 12 dates and did not say so
    at, _ = app_with_long_id(monkeypatch, tmp_path, n_leaks=13)
    latest = ", ".join(f"{y}-03-12" for y in range(2013, 2025))
    assert f"13 recorded leaks, the latest 12: {latest}" in texts(at), texts(at)
    at.sidebar.radio(key="lang").set_value("fr").run()
    latest = ", ".join(f"12/03/{y}" for y in range(2013, 2025))
    assert f"13 fuites enregistrées, dont les 12 dernières\u00a0: {latest}" in texts(at)
    at, _ = app_with_long_id(monkeypatch, tmp_path / "twelve", n_leaks=12)   # all listed: said as before
    assert "12 recorded leaks: 2012-03-12, " in texts(at) and "latest" not in texts(at)


def test_a_very_long_pipe_id_is_shortened_in_the_card_and_the_selector_not_in_the_table(monkeypatch, tmp_path):
    # a 5,000-character ID wrapped over 1,000 px in the card's heading "Pipe <id>"
    from leakopt.app.mapview import ID_SHOWN
    at, long_id = app_with_long_id(monkeypatch, tmp_path)
    assert not at.exception
    heading = at.subheader[0].value
    assert heading.startswith("Pipe PIPE-0-XXX") and heading.endswith("XXX-END") and "…" in heading
    assert len(heading) == len("Pipe ") + ID_SHOWN
    picker = at.selectbox(key="rm_pipe")
    assert picker.value == long_id                                     # the pipe itself is chosen
    assert max(len(o) for o in picker.options) == ID_SHOWN and "…" in picker.options[0]
    assert long_id in set(at.dataframe[0].value["pipe_id"])           # the table keeps the whole ID


def test_map_tooltips_shorten_long_ids():
    from leakopt.app.mapview import ID_SHOWN, risk_frame, risk_tooltip, short_id
    from leakopt.app.texts import translator
    assert short_id("P001") == "P001" and short_id("X" * ID_SHOWN) == "X" * ID_SHOWN
    long_id = "A" * 50 + "B" * 1000 + "-0042"
    assert short_id(long_id) == "A" * 39 + "…" + "B" * 15 + "-0042"    # both ends kept: "…-0042" tells them apart
    assert "<b>{pipe_label}</b>" in risk_tooltip(translator("en"))["html"]
    risk = pd.DataFrame({"pipe_id": ["P1", long_id], "risk_class": "A", "expected_leaks_per_year": 0.002,
                         "leaks_per_km_year": 0.02, "material": "pvc", "install_year": 2000})
    paths = pd.DataFrame({"pipe_id": ["P1", long_id], "path": [[[0, 0], [1, 1]], [[1, 1], [2, 2]]]})
    frame = risk_frame(risk, paths, lang="en")
    assert list(frame["pipe_label"]) == ["P1", short_id(long_id)] and list(frame["pipe_id"]) == ["P1", long_id]


def test_risk_map_is_an_offline_pydeck_chart(app):
    goto(app, "risk_map")
    charts = [e for e in app.get("deck_gl_json_chart")]
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.json)
    assert spec["views"][0]["@@type"] == "OrthographicView"
    assert not spec.get("mapStyle")       # no basemap tiles
    layer = spec["layers"][0]
    assert layer["@@type"] == "PathLayer" and len(layer["data"]) == 64
    assert layer["widthUnits"] == "pixels"     # a literal, not a "@@=" accessor


def test_validation_page_shows_curves_capture_and_checks(app):
    goto(app, "validation")
    table = app.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["leakopt model", "oldest first", "most leaks per km so far"]
    assert table.loc[0, "20%"] == "63.0%"
    assert "What the model cannot know" in [s.value for s in app.subheader]
    assert any("2 leaks name a pipe" in e.label for e in app.expander)
    assert "records start in 2005 (left truncation)" in texts(app)


def test_every_method_of_the_validation_chart_has_its_own_colour():
    # Seven methods and a palette of six: the literature prior was drawn in the model's red.
    from leakopt.app.texts import TEXTS
    from leakopt.app.validation import curves_frame, method_palette
    from leakopt.i18n import Translator
    names = ("model", "oldest_first", "leaks_per_km_so_far", "cohort_rate", "poisson_glm", "plain_lightgbm",
             "literature_prior")
    bt = {name: {"capture": {"0.1": 0.3, "0.2": 0.5}} for name in names}
    t = Translator(TEXTS, "fr")
    labels = list(dict.fromkeys(curves_frame(t, bt)["method"]))
    palette = method_palette(t, bt, labels + ["another ranking"])
    assert len(labels) == 7 and len(set(palette)) == 8


def test_renewal_page_compares_with_rules(app):
    goto(app, "renewal")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Expected leaks avoided"] == "3.2"
    assert "leakopt's plan avoids 1.50 times as many leaks as “Most past leaks first”." in texts(app)
    # the report's sentence on how far the plan is proven: a plan built year by year is not called the best
    from leakopt.i18n import Translator
    from leakopt.report.sections import how_solved
    from leakopt.report.text import STRINGS
    sentence = how_solved(_renewal(), Translator(STRINGS, "en"))
    assert "one year at a time" in sentence or "year by year" in sentence, sentence
    assert sentence in [c.value for c in app.caption]
    assert "Optimised" not in texts(app)


def test_a_plan_that_renews_nothing_says_why_on_the_renewal_page(fixture_run, monkeypatch, tmp_path):
    import shutil
    run = tmp_path / "run"
    shutil.copytree(fixture_run, run)
    _dump(run / "renewal.json", {**_renewal(), "leaks_avoided": 0.0, "km_renewed": 0.0, "n_pipes": 0,
                                 "nothing_to_renew": {"reason": "no_benefit", "highest_leaks_per_km_year": 0.016,
                                                      "residual_leaks_per_km_year": 0.03}})
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    goto(at, "renewal")
    assert any(i.value.startswith("No pipe is worth renewing for its leaks: none is expected to leak more than a "
                                  "new pipe would (0.03 leaks per km a year; the highest here is 0.016)")
               for i in at.info), [i.value for i in at.info]


def test_the_renewal_slider_starts_on_the_runs_own_budget():
    # It started on the nearest step: "4,800" thousand euros beside the overview's "€4.78 million", one plan.
    from leakopt.app.renewal import budget_options
    options, default = budget_options(4_784_250.0)
    assert default == 4784 and default in options and options == sorted(options)
    assert options[0] < 2000 and options[-1] > 15_000


def test_renewal_budget_reads_with_thousands_separators(app):
    # the run's budget is €250,000 a year: the slider goes from 60 to 1,000 thousand euros
    goto(app, "renewal")
    slider = app.select_slider(key="rn_budget")
    assert slider.value == 250 and slider.options[0] == "60" and slider.options[-1] == "1,000"
    app.sidebar.radio(key="lang").set_value("fr").run()
    assert app.select_slider(key="rn_budget").options[-1] == "1\u202f000"
    app.select_slider(key="rn_budget").set_value(1000).run()
    assert not app.exception
    labels = [b.label for b in app.get("download_button")]
    assert "Télécharger ce plan, 1,00\u202fM€ par an (CSV)" in labels, labels


def test_downloads_offer_every_file(app):
    goto(app, "downloads")
    labels = [b.label for b in app.get("download_button")]
    assert len(labels) == 14     # and priority, backtest, placement, tradeoff, renewal JSON
    assert any(label.startswith("Logger campaign, deployment by deployment (CSV) · campaign.csv") for label in labels)
    assert any(label.startswith("Pressure sensor sites (CSV) · pressure_sensors.csv") for label in labels)
    assert any(label.startswith("Risk per pipe (CSV) · risk.csv") for label in labels)


def app_with_json(fixture_run: Path, monkeypatch, tmp_path: Path, name: str, doc: dict) -> AppTest:
    """The app, run once, on a copy of the fixture run with ``doc`` as its file ``name`` (risk_matrix.json...)."""
    import shutil
    run = tmp_path / "run"
    shutil.copytree(fixture_run, run)
    _dump(run / name, doc)
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    return AppTest.from_file(APP, default_timeout=60).run()


def app_with_matrix(fixture_run: Path, monkeypatch, tmp_path: Path, matrix: dict) -> AppTest:
    """The app, run once, on a copy of the fixture run with ``matrix`` as its risk_matrix.json."""
    return app_with_json(fixture_run, monkeypatch, tmp_path, "risk_matrix.json", matrix)


def test_overview_shows_the_risk_matrix_of_the_run(fixture_run, monkeypatch, tmp_path):
    matrix = {"likelihood_classes": ["A", "B", "C", "D"], "consequence_classes": [4, 3, 2, 1],
              "n_pipes": [[1, 2, 3, 4], [0, 5, 0, 6], [7, 0, 0, 8], [9, 10, 0, 9]],
              "km": [[0.1, 0.2, 0.3, 0.4], [0, 0.5, 0, 0.6], [0.7, 0, 0, 0.8], [0.9, 1.0, 0, 0.9]]}
    at = app_with_matrix(fixture_run, monkeypatch, tmp_path, matrix)
    assert not at.exception
    assert [s.value for s in at.subheader][-1].startswith("Risk matrix")
    table = at.table[-1].value
    assert list(table.columns) == ["Consequence 4", "Consequence 3", "Consequence 2", "Consequence 1"]
    assert table.loc["C", "Consequence 4"] == "7 · 700 m"
    assert "rank pipes by expected leaks alone" in texts(at)
    # the headline an official reads: the corner A-B x 3-4 (8 pipes, 0.1 + 0.2 + 0 + 0.5 km)
    assert ("**800\u00a0m** of pipes (8 pipes) are both among the likeliest to break (class A or B) and among "
            "those whose break would cost the most (consequence 3 or 4)") in texts(at)
    # the engineers' detail is folded away
    assert [e.label for e in at.expander] == ["How consequence is judged (for engineers)"]


def test_tables_show_headers_in_the_readers_language_and_shares_in_percent():
    from leakopt.app.tables import shown
    from leakopt.app.texts import translator
    frame = pd.DataFrame({"node_id": ["J1", "AP-2"], "covered_risk_share": [0.25, 0.0125],
                          "node_type": ["junction", "access_point"], "owner_note": ["a", "b"]})
    out, config = shown(translator("fr"), frame)
    assert list(out.columns) == list(frame.columns)          # the file's names stay: the download matches
    assert list(out["covered_risk_share"]) == [25.0, 1.25]          # in percent, rounded to 2 decimals
    assert list(out["node_type"]) == ["nœud du réseau", "point d'accès (supposé)"]
    assert config["node_id"]["label"] == "Emplacement"
    assert config["covered_risk_share"]["label"] == "Part des fuites attendues entendues (%)"
    assert config["covered_risk_share"]["type_config"]["format"] is None   # written by styled(), not the browser
    assert "owner_note" not in config                          # a column leakopt does not know keeps its name
    risk = pd.DataFrame({"expected_leaks_per_year": [0.2007775], "install_year": [1950.0], "length_m": [155.34]})
    out, config = shown(translator("fr"), risk)
    assert out["expected_leaks_per_year"].iloc[0] == 0.201 and out["length_m"].iloc[0] == 155.0
    assert config["install_year"]["type_config"]["format"] == "%d"          # a year has no thousands separator
    _, config_en = shown(translator("en"), frame)
    assert config_en["covered_risk_share"]["label"] == "Share of expected leaks heard (%)"


def shown_texts(element) -> pd.DataFrame:
    """What a table's cells say on screen: the display texts its Styler sent."""
    from streamlit import dataframe_util
    return dataframe_util.convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)


def test_tables_write_numbers_in_the_apps_language_not_the_browsers(app):
    # NumberColumn(format="localized") followed the browser: "0.201" in the French app in an English browser
    goto(app, "risk_map")
    table = app.dataframe[0]
    cell = table.value.loc[0, "expected_leaks_per_year"]
    assert isinstance(cell, float)                                    # a number: the column sorts by value
    assert shown_texts(table).loc[0, "expected_leaks_per_year"] == f"{cell:.3f}".rstrip("0").rstrip(".")
    assert shown_texts(table).loc[0, "rank"] == "1"
    app.sidebar.radio(key="lang").set_value("fr").run()
    table = app.dataframe[0]
    said = shown_texts(table).loc[0, "expected_leaks_per_year"]
    assert "," in said and said == f"{cell:.3f}".rstrip("0").rstrip(".").replace(".", ",")
    assert isinstance(table.value.loc[0, "expected_leaks_per_year"], float)
    from leakopt.app.tables import styled
    from leakopt.app.texts import translator
    frame = pd.DataFrame({"x": [1219.94, np.nan], "owner_note": ["a", None]})   # x: one decimal
    texts_fr = styled(translator("fr"), frame)._translate(False, False)["body"]
    assert [[c["display_value"] for c in row[1:]] for row in texts_fr] == [["1\u202f219,9", "a"], ["–", "–"]]


def test_table_diameter_is_in_whole_millimetres_as_the_pipe_card_says():
    # the card said "51 mm", the table "50.8"
    from leakopt.app.tables import shown, styled
    from leakopt.app.texts import translator
    t = translator("en")
    out, _ = shown(t, pd.DataFrame({"diameter_mm": [50.8, 304.8, 100.0]}))
    assert list(out["diameter_mm"]) == [51.0, 305.0, 100.0]
    said = [row[1]["display_value"] for row in styled(t, out)._translate(False, False)["body"]]
    assert said == [t.number(50.8), "305", "100"] == ["51", "305", "100"]


def test_map_tooltip_keeps_french_spacing_and_says_what_the_year_is():
    from leakopt.app.mapview import risk_frame, risk_tooltip
    from leakopt.app.texts import translator
    fr = risk_tooltip(translator("fr"))["html"]
    assert "Fuites attendues par an\u00a0: {expected}" in fr and "Matériau\u00a0: {material} · {laid}" in fr
    assert "Expected leaks a year: {expected}" in risk_tooltip(translator("en"))["html"]
    risk = pd.DataFrame({"pipe_id": ["P1", "P2"], "risk_class": "A", "expected_leaks_per_year": 0.002,
                         "leaks_per_km_year": 0.02, "material": "ductile_iron", "install_year": [2000, np.nan]})
    paths = pd.DataFrame({"pipe_id": ["P1", "P2"], "path": [[[0, 0], [1, 1]], [[1, 1], [2, 2]]]})
    frame = risk_frame(risk, paths, lang="fr")
    assert list(frame["laid"]) == ["posée en 2000", ""] and list(frame["expected"]) == ["0,002", "0,002"]
    assert list(risk_frame(risk, paths, lang="en")["laid"]) == ["laid in 2000", ""]


def test_progress_in_french_names_the_stage_in_words():
    from leakopt.app.texts import translator
    from leakopt.app.widgets import progress_text
    assert progress_text(translator("en"), "risk: training on 65,008 pipe-years", 1, 3) == \
        "risk: training on 65,008 pipe-years 1/3"
    assert progress_text(translator("fr"), "risk: training on 65,008 pipe-years", 1, 3) == \
        "Modèle de risque\u00a0: apprentissage sur 65\u202f008 conduites-années 1/3"
    assert progress_text(translator("fr"), "sensors: trade-off curve, 31 logger(s)", 1200, 3400) == \
        "Placement des capteurs\u00a0: courbe de compromis, 31 capteurs 1\u202f200/3\u202f400"
    assert progress_text(translator("fr"), "backtest: cutoff 2019-01-01, measuring the rankings", 1, 2) == \
        "Test sur les années passées\u00a0: date de coupure 1er janvier 2019, mesure des classements 1/2"
    assert progress_text(translator("fr"), "risk: a step not in the table", 1, 2) == \
        "Modèle de risque\u00a0: a step not in the table 1/2"               # its English words, not nothing
    assert progress_text(translator("fr"), "sensors: trade-off curve, 1 logger(s)", 0, 8) == \
        "Placement des capteurs\u00a0: courbe de compromis, 1 capteur 0/8"  # the word agrees with the count
    assert progress_text(translator("fr"), "other: step", 1, 2) == "other: step 1/2"   # an unknown stage as said


def test_the_french_app_says_conduite_as_the_report_does():
    from leakopt.app.texts import TEXTS
    from leakopt.report.text import STRINGS
    assert not [key for key, entry in TEXTS.items() if "ronçon" in entry["fr"]]
    assert not [key for key, entry in STRINGS.items() if "ronçon" in entry["fr"]]   # the report's key figures too
    assert TEXTS["rn_oldest_first"]["fr"] == "Les plus anciennes d'abord"     # agrees with conduites
    # the sensors map legend: "conduites entendues", then "non entendues", both feminine plural
    assert (TEXTS["se_heard"]["fr"], TEXTS["se_not_heard"]["fr"]) == ("conduites entendues", "non entendues")


def test_french_texts_keep_their_signs_on_the_line():
    from leakopt.app.texts import TEXTS, translator
    t = translator("fr")
    assert t("rm_why", text="âge") == "Pourquoi\u00a0: âge"
    assert t("va_backtest").endswith("suivantes\u00a0?")
    for key, entry in TEXTS.items():     # no French text leaves a plain space before : ; ? ! or a percent sign
        text = t(key, **{name: "x" for name in _fields(entry["fr"])})
        assert not any(f" {sign}" in text for sign in ":;?!%»"), (key, text)
    assert translator("en")("rm_why", text="age") == "Why: age"


def test_french_charts_write_numbers_the_french_way(app):
    app.sidebar.radio(key="lang").set_value("fr").run()
    goto(app, "validation")
    specs = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    assert specs and all(s["config"]["locale"]["number"]["decimal"] == "," for s in specs)
    # every chart, the year-by-year renewal bars too; tooltips titled in French, not "risk_class"
    for page in ("overview", "renewal"):
        goto(app, page)
        specs = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
        assert specs and all(s["config"]["locale"]["number"]["decimal"] == "," for s in specs), page
        tips = [tip.get("title") for s in specs for tip in s["encoding"].get("tooltip", [])]
        assert tips and all(tips) and "risk_class" not in tips, tips
        assert ("Classe de risque" if page == "overview" else "année") in tips
    goto(app, "validation")
    app.sidebar.radio(key="lang").set_value("en").run()
    specs = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    assert specs and all("locale" not in s.get("config", {}) for s in specs)


def _fields(text: str) -> list[str]:
    import string
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_data_checks_are_listed_serious_first(monkeypatch, tmp_path):
    run = tmp_path / "run"
    write_fixture_run(run)
    _dump(run / "validation.json", {"issues": [
        {"code": "a", "severity": "info", "count": 4000, "message": "four thousand facts"},
        {"code": "b", "severity": "error", "count": 3, "message": "three rows left out"},
        {"code": "c", "severity": "warning", "count": 7, "message": "seven values imputed"}]})
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "validation")
    assert [e.label for e in at.expander] == ["[serious] three rows left out (3)", "[to check] seven values imputed (7)",
                                              "[information] four thousand facts (4,000)"]


def test_data_check_examples_name_materials_methods_and_dates():
    from leakopt.app.texts import translator
    from leakopt.app.validation import example_frame
    ex = [{"row": 2, "material": "asbestos_cement", "imputed_from": "network_neighbours",
           "date": "2006-01-26T00:00:00"},
          {"row": 3, "material": None, "imputed_from": "material_median", "date": "2015-02-30"}]
    fr = example_frame(translator("fr"), ex)
    assert list(fr["material"]) == ["amiante-ciment", "–"]       # a blank as the app's missing mark, not "None"
    assert list(fr["imputed_from"]) == ["conduites voisines sur le réseau", "médiane du matériau"]
    assert list(fr["date"]) == ["26/01/2006", "2015-02-30"]       # an unreadable date is shown as written
    en = example_frame(translator("en"), ex)
    assert en["material"].iloc[0] == "asbestos cement" and en["date"].iloc[0] == "2006-01-26"
    as_written = example_frame(translator("fr"), [{"row": 4, "date": "01/02/2019"}])
    assert as_written["date"].iloc[0] == "01/02/2019"            # not re-read month-first
    # a number column with blanks keeps its numbers (it sorts by value), rounded and written the reader's way by
    # the table; its blank is drawn as the table's placeholder, the missing mark (test_app_text.py)
    diameters = example_frame(translator("fr"), [{"row": 5, "diameter_mm": 304.79999}, {"row": 6, "diameter_mm": None},
                                                 {"row": 7, "diameter_mm": 150.0}])
    assert diameters["diameter_mm"].tolist()[::2] == [304.79999, 150.0] and diameters["diameter_mm"].isna()[1]
    from leakopt.app.tables import shown, styled
    said = [row[2]["display_value"] for row in styled(translator("fr"), shown(translator("fr"), diameters)[0])
            ._translate(False, False)["body"]]
    assert said == ["305", "–", "150"] and list(diameters["row"]) == [5, 6, 7]


def test_diameters_are_rounded_not_cut():
    from leakopt.app.tables import shown
    from leakopt.app.texts import translator
    out, config = shown(translator("en"), pd.DataFrame({"diameter_mm": [304.79999, 150.0]}))
    # whole millimetres as the pipe card says them, rounded: 304.8 mm (12 in) is 305, not 304 (printf "%d" cuts)
    assert list(out["diameter_mm"]) == [305.0, 150.0] and config["diameter_mm"]["type_config"]["format"] != "%d"


def test_a_data_checks_title_says_its_count_once():
    from leakopt.app.texts import translator
    from leakopt.app.validation import check_title
    from leakopt.validate.messages import severity_label
    issue = {"severity": "warning", "count": 1153, "message": "1,153 leaks are dated before their pipe's install year",
             "message_fr": "1\u202f153 fuites sont datées d’avant la pose de leur conduite"}
    assert check_title(translator("en"), issue) == "[to check] 1,153 leaks are dated before their pipe's install year"
    assert check_title(translator("fr"), issue).endswith("de leur conduite")
    # a message that does not say its count: the count is added
    assert check_title(translator("en"), {**issue, "message": "leaks dated too early"}).endswith("(1,153)")
    # a decimal is no count: "1,5 an" does not say 2
    assert check_title(translator("fr"), {**issue, "count": 2, "message_fr": "décalage de 1,5 an"}).endswith("(2)")
    # a one-time notice says no "(1)": "as-of date not given: 2025-12-31, the day after the last leak (1)"
    notice = {"severity": "info", "count": 1, "message": "as-of date not given: 2025-12-31, the day after the last leak"}
    assert check_title(translator("en"), notice) == f"[{severity_label('info', 'en')}] {notice['message']}"


def test_french_tables_and_dates(app):
    app.sidebar.radio(key="lang").set_value("fr").run()
    goto(app, "risk_map")
    assert app.multiselect(key="rm_material").placeholder == "Tous (aucun filtre)"    # not Streamlit's English
    columns = json.loads(app.dataframe[0].proto.columns)
    assert columns["expected_leaks_per_year"]["label"] == "Fuites attendues par an"
    assert columns["install_year"]["label"] == "Année de pose"
    assert "prévision au 1er janvier 2024" in sidebar_captions(app)[-1]
    goto(app, "validation")
    examples = [json.loads(d.proto.columns) for d in app.dataframe if "pipe_id" in json.loads(d.proto.columns or "{}")]
    assert examples and all(c["pipe_id"]["label"] == "Conduite" for c in examples)
    assert any(c.value.startswith("Code\u00a0: ") for c in app.caption)


def test_a_plan_by_business_risk_compares_business_risk(fixture_run, monkeypatch, tmp_path):
    import shutil
    run = tmp_path / "run"
    shutil.copytree(fixture_run, run)
    renewal = _renewal()
    renewal.update(objective="risk", risk_avoided=12.0)
    renewal["rules"]["oldest_first"].update(risk_avoided=3.0, ratio=4.0)
    renewal["rules"]["most_leaks_first"].update(risk_avoided=8.0, ratio=1.5)
    _dump(run / "renewal.json", renewal)
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    goto(at, "renewal")
    assert "Planned by business risk" in texts(at) and "12.0 points of business risk" in texts(at)
    assert "leakopt's plan avoids 1.50 times as much business risk as “Most past leaks first”." in texts(at)
    table = at.dataframe[0].value
    assert list(table["Business risk avoided"]) == ["12.0", "3.0", "8.0"]


def with_consequence(fixture_run: Path, folder: Path) -> Path:
    """A copy of the fixture run whose risk.csv has the consequence columns: 4 pipes in each cell A-D x 4-1."""
    import shutil
    shutil.copytree(fixture_run, folder)
    risk = pd.read_csv(folder / "risk.csv")
    risk["consequence_class"] = 4 - np.arange(len(risk)) % 4
    risk["consequence"] = 1.5 * risk["consequence_class"]
    risk["business_risk"] = risk["expected_leaks_per_year"] * risk["consequence"]
    risk.to_csv(folder / "risk.csv", index=False)
    return folder


@pytest.fixture
def consequence_app(fixture_run, monkeypatch, tmp_path):
    run = with_consequence(fixture_run, tmp_path / "run")
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return goto(at, "risk_map")


def deck_data(at: AppTest) -> list[dict]:
    """The pipes drawn on the risk map (the PathLayer's rows)."""
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]


def test_a_risk_matrix_cell_filters_the_map_and_the_table(consequence_app):
    at = consequence_app
    assert "64 pipes shown" in texts(at) and len(deck_data(at)) == 64
    cell = at.selectbox(key="rm_cell")
    assert cell.options[:2] == ["All cells", "A × 4 · 4 pipes"] and len(cell.options) == 17
    cell.set_value("B3").run()
    assert not at.exception and not at.error
    assert "4 pipes shown, 400\u00a0m" in texts(at)
    table = at.dataframe[0].value
    assert set(table["risk_class"]) == {"B"} and set(table["consequence_class"]) == {3} and len(table) == 4
    assert {d["pipe_id"] for d in deck_data(at)} == set(table["pipe_id"])
    at.multiselect(key="rm_material").set_value(["pvc"]).run()     # B3 pipes have odd numbers: all PVC
    assert len(deck_data(at)) == 4
    at.multiselect(key="rm_material").set_value(["cast_iron"]).run()
    assert [i.value for i in at.info] == ["No pipe matches these filters."]
    at.multiselect(key="rm_material").set_value([]).run()
    at.selectbox(key="rm_cell").set_value("all").run()
    assert "64 pipes shown" in texts(at)


def test_the_cell_filter_offers_only_cells_with_pipes_and_counts_agree(fixture_run, monkeypatch, tmp_path):
    from leakopt.app.risk_map import cell_option, shown_sentence
    from leakopt.app.texts import translator
    en, fr = translator("en"), translator("fr")
    assert cell_option(en, "A4", 1) == "A × 4 · 1 pipe" and cell_option(en, "A4", 12) == "A × 4 · 12 pipes"
    assert cell_option(fr, "A4", 1) == "A × 4 · 1 conduite" and cell_option(fr, "A4", 2) == "A × 4 · 2 conduites"
    none = pd.DataFrame({"length_m": [], "expected_leaks_per_year": []})
    one = pd.DataFrame({"length_m": [120.0], "expected_leaks_per_year": [0.04]})
    assert shown_sentence(en, none) == "0 pipes shown, 0\u00a0m, 0.0 expected leaks a year."
    assert shown_sentence(en, one) == "1 pipe shown, 120\u00a0m, 0.0 expected leaks a year."
    assert shown_sentence(fr, none) == "0 conduite affichée, 0\u00a0m, 0,0 fuite attendue par an."
    thirty = shown_sentence(fr, pd.concat([one] * 30))
    assert thirty == "30 conduites affichées, 3,6\u00a0km, 1,2 fuite attendue par an."
    # a run whose matrix has empty cells: they are not offered
    folder = with_consequence(fixture_run, tmp_path / "run")
    risk = pd.read_csv(folder / "risk.csv")
    risk.loc[risk["risk_class"] == "A", "consequence_class"] = 1
    risk.to_csv(folder / "risk.csv", index=False)
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(folder))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    options = goto(at, "risk_map").selectbox(key="rm_cell").options
    assert options[1] == "A × 1 · 16 pipes" and not [o for o in options if "· 0 " in o], options
    assert not any(o.startswith(("A × 2", "A × 3", "A × 4")) for o in options)


def test_colouring_by_business_risk_changes_the_legend_and_the_colours(consequence_app):
    from leakopt.app import mapview
    at = consequence_app
    assert "Risk class A" in texts(at) and "Business risk ≥" not in texts(at)
    assert {tuple(d["colour"]) for d in deck_data(at)} == {tuple(c) for c in mapview.CLASS_COLOURS.values()}
    at.radio(key="rm_colour").set_value("business_risk").run()
    assert not at.exception and not at.error
    body = texts(at)
    assert "Business risk ≥" in body and "Risk class A" not in body and "highest business risk" in body
    drawn = deck_data(at)
    assert {tuple(d["colour"]) for d in drawn} == {tuple(c) for c in mapview.BUSINESS_COLOURS.values()}
    top = max(drawn, key=lambda d: d["business_risk"])
    assert top["colour"] == mapview.BUSINESS_COLOURS[4] and drawn[-1]["colour"] == mapview.BUSINESS_COLOURS[4]
    table = at.dataframe[0].value      # the table follows: highest business risk first
    assert list(table["business_risk"]) == sorted(table["business_risk"], reverse=True)
    at.radio(key="rm_colour").set_value("consequence").run()
    assert "Consequence 4" in texts(at) and "Business risk ≥" not in texts(at)
    assert {tuple(d["colour"]) for d in deck_data(at)} == {tuple(c) for c in mapview.CONSEQUENCE_COLOURS.values()}


def test_business_risk_bands_hold_the_riskiest_tenth_of_the_length():
    from leakopt.app.risk_map import business_bands
    risk = pd.DataFrame({"business_risk": np.arange(100, 0, -1) / 100, "length_m": 100.0})
    bands = business_bands(risk)
    assert [int((bands == b).sum()) for b in (4, 3, 2, 1)] == [10, 20, 30, 40]
    assert bands.iloc[0] == 4 and bands.iloc[-1] == 1


def test_a_run_without_consequence_offers_no_colour_choice(app):
    goto(app, "risk_map")
    assert not [r for r in app.radio if r.key == "rm_colour"]
    assert not [s for s in app.selectbox if s.key == "rm_cell"]


def test_downloads_list_the_consequence_files(tmp_path):
    from leakopt.app.downloads import available
    from leakopt.app.texts import TEXTS
    for name in ("risk_matrix.json", "consequence.csv", "risk.csv", "backtest.json", "tradeoff.csv"):
        (tmp_path / name).write_text("x")
    found = available(tmp_path)
    assert [p.name for _, p, _ in found] == ["risk.csv", "consequence.csv", "risk_matrix.json", "backtest.json",
                                             "tradeoff.csv"]
    assert all(set(TEXTS[key]) == {"en", "fr"} for key, _, _ in found)


def test_sensors_page_shows_the_runs_placement(app):
    goto(app, "sensors")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Loggers": "5", "Expected leaks heard": "81.0%", "To cover the whole network": "21"}
    # without the network file only the run's own answer is offered (no re-solve)
    assert app.radio(key="se_mode").options == ["As computed in the analysis"]
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    pipes, sites = spec["layers"]
    blue = [d for d in pipes["data"] if d["colour"] == [31, 120, 180]]
    assert len(blue) == 15 and len(sites["data"]) == 5
    assert sites["radiusUnits"] == "pixels" and sites["data"][0]["position"] == [50.0, 0.0]
    assert list(app.dataframe[0].value["node_id"]) == ["J1", "J2", "J3", "J4", "J5"]


def test_sensor_map_tooltip_shortens_a_long_site_id(monkeypatch, tmp_path):
    from leakopt.app.mapview import short_id
    run = write_fixture_run(tmp_path / "run")
    long_id = "SITE-" + "Y" * 3000
    sensors = pd.read_csv(run / "sensors.csv").replace({"node_id": {"J1": long_id}})
    sensors.to_csv(run / "sensors.csv", index=False)
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "sensors")
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"] == "<b>{site_label}</b>"
    labels = {d["node_id"]: d["site_label"] for d in spec["layers"][1]["data"]}
    assert labels[long_id] == short_id(long_id) and labels["J2"] == "J2"
    assert long_id in set(at.dataframe[0].value["node_id"])           # the table keeps the whole ID


def test_sensors_page_shows_the_campaign_and_pressure_sensors_as_the_report_says(app):
    goto(app, "sensors")
    shown = texts(app)
    assert [h.value for h in app.subheader][-2:] == ["Logger campaign: lift and shift", "Pressure sensors"]
    assert ("With your 60 loggers, 5 deployments of 2 weeks hear 80% of the expected leaks of the priority zone, "
            "against 8 moving them down the risk ranking.") in shown
    assert "Method: greedy, not proven optimal." in shown and "at least 88% of the most that as many loggers" in shown
    assert "4 pressure sensors detect 73.4% of the risk-weighted leak scenarios" in shown
    assert "at least 0.5\u00a0m" in shown and "Only 4 of the 5 asked for" in shown
    assert "The HiGHS solver proved that no other choice of as many sites detects more." in shown
    # the campaign curve as a chart (its points: test_campaign_frame_starts_both_methods_at_zero)
    chart = json.loads(app.get("vega_lite_chart")[-1].proto.spec)
    assert chart["encoding"]["x"]["title"] == "Weeks since the first deployment"
    assert chart["encoding"]["color"]["legend"]["labelLimit"] >= 300     # "This campaign (greedy)" not cut
    table = app.dataframe[-1].value
    assert list(table.columns) == ["node_id", "detected_scenarios", "detected_risk_share"]   # headers: config
    assert table["detected_risk_share"].max() > 1                 # in percent, as the app's other tables
    assert list(table.iloc[:, 0].astype(str)) == ["10", "22", "31", "12"]
    app.sidebar.radio(key="lang").set_value("fr").run()
    fr = texts(app)
    assert ("Avec vos 60 capteurs, 5 poses de 2 semaines entendent 80\u202f% des fuites attendues de la zone "
            "prioritaire, contre 8 en les déplaçant dans l’ordre du classement de risque.") in fr
    assert "4 capteurs de pression détectent 73,4\u202f%" in fr and "sans preuve d’optimalité" in fr


def test_a_campaign_written_into_the_run_while_the_app_is_open_is_shown(tmp_path, monkeypatch, fixture_run):
    import os
    import shutil
    run = tmp_path / "run"
    shutil.copytree(fixture_run, run)
    for name in ("campaign.json", "campaign.csv", "campaign_curve.csv", "pressure.json", "pressure_sensors.csv"):
        (run / name).unlink()
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = goto(AppTest.from_file(APP, default_timeout=30).run(), "sensors")
    assert "Logger campaign: lift and shift" not in [h.value for h in at.subheader]
    write_campaign(run)      # leakopt campaign --out DIR, the manifest untouched
    # later than every file of the folder (copytree kept the fixture's old times; the campaign's own
    # files were written just now), so that the app sees each rewrite however slow the machine
    from leakopt.app.data import run_stamp
    stamp = run_stamp(run) + 5
    os.utime(run / "campaign.json", (stamp, stamp))
    at.run()
    assert "With your 60 loggers, 5 deployments of 2 weeks hear 80%" in texts(at) and not at.warning
    # computed from another risk.csv than the run's: said, as in the report
    doc = json.loads((run / "campaign.json").read_text())
    _dump(run / "campaign.json", {**doc, "risk_csv": {"path": "/elsewhere/risk.csv", "sha256": "0" * 64}})
    os.utime(run / "campaign.json", (stamp + 5, stamp + 5))
    at.run()
    said = ("These results were computed from another risk.csv than this analysis's risk scores (the analysis was "
            "run again since, or they came from elsewhere): run the command again to bring them up to date.")
    assert [w.value for w in at.warning] == [said]


def test_pressure_sensor_table_shows_shares_in_percent_with_headers_in_the_readers_language():
    from leakopt.app.tables import shown
    from leakopt.app.texts import translator
    frame = pd.DataFrame({"node_id": ["10", "22"], "detected_scenarios": [12, 9],
                          "detected_risk_share": [0.181, 0.1617]})
    out, config = shown(translator("fr"), frame)
    assert list(out["detected_risk_share"]) == [18.1, 16.2]          # in percent, one decimal each
    assert config["detected_risk_share"]["label"] == "Part des fuites pondérées détectées (%)"
    assert config["detected_risk_share"]["type_config"]["format"] is None   # written by styled()
    assert config["detected_scenarios"]["label"] == "Scénarios de fuite détectés"


def test_campaign_frame_starts_both_methods_at_zero():
    from leakopt.app.sensors import campaign_frame
    from leakopt.i18n import Translator
    from leakopt.report.text import STRINGS

    curve = pd.DataFrame({"deployment": [1, 2], "day_end": [14, 28], "share_greedy": [0.5, 0.9],
                          "share_risk_ranking": [0.2, 0.6]})
    frame = campaign_frame(curve, Translator(STRINGS, "en"))
    greedy = frame[frame["method"] == "This campaign (greedy)"]
    assert list(greedy["weeks"]) == [0.0, 2.0, 4.0] and list(greedy["share"]) == [0.0, 0.5, 0.9]
    assert list(frame.loc[frame["method"] == "Down the risk ranking", "share"]) == [0.0, 0.2, 0.6]


def test_sensors_page_without_placement_says_what_is_needed(tmp_path, monkeypatch, fixture_run):
    import shutil
    run = tmp_path / "run"
    shutil.copytree(fixture_run, run)
    (run / "placement.json").unlink()
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    at = AppTest.from_file(APP, default_timeout=30).run()
    goto(at, "sensors")
    assert any("needs the network" in i.value for i in at.info)


# --- uploads --------------------------------------------------------------------------------

def test_bad_upload_shows_the_command_line_message(app):
    goto(app, "upload")
    app.file_uploader(key="up_pipes").set_value(("pipes.csv", b"id,mat\n1,CI\n", "text/csv"))
    app.file_uploader(key="up_leaks").set_value(("leaks.csv", b"date,pipe_id\n2020-01-01,1\n", "text/csv"))
    app.button(key="up_check").click().run()
    assert not app.exception
    assert len(app.error) == 1
    message = app.error[0].value
    assert "pipes.csv" in message and "pipe_id" in message
    assert "Traceback" not in message
    assert "/tmp" not in message and "uploads" not in message     # the file's name, not where the app keeps it
    assert not message.startswith("Ces fichiers")
    # above the form that maps the columns: the app's way, not "pass a config file with --config"
    assert "required columns pipe_id" in message and "Choose below" in message and "--config" not in message


def test_bad_upload_in_french_is_said_in_french(app):
    app.sidebar.radio(key="lang").set_value("fr").run()
    goto(app, "upload")
    app.file_uploader(key="up_pipes").set_value(("pipes.csv", b"id,mat\n1,CI\n", "text/csv"))
    app.file_uploader(key="up_leaks").set_value(("leaks.csv", b"date,pipe_id\n2020-01-01,1\n", "text/csv"))
    app.button(key="up_check").click().run()
    message = app.error[0].value
    # a data check's error has its French: the missing columns said in French, no English detail; the form
    # below maps them, so no command-line advice
    assert "colonnes obligatoires pipe_id, material, install_year introuvables" in message, message
    assert "Choisissez ci-dessous" in message and "--config" not in message and "(s)" not in message
    assert "pipes.csv" in message and "not found" not in message
    app.file_uploader(key="up_pipes").set_value(("pipes.csv", b'a,b\n"1,2\n', "text/csv"))
    app.button(key="up_check").click().run()
    message = app.error[0].value                       # a file that pandas cannot parse: its French too
    assert "n’a pas pu être lu comme une table CSV" in message and "could not be read" not in message, message


@pytest.mark.parametrize("lang, says", [
    ("en", "leaks.xls is a spreadsheet in a format that leakopt does not read (old Excel .xls, OpenDocument .ods "
           "or Excel binary .xlsb): open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx), or save "
           "the sheet as CSV"),
    ("fr", "leaks.xls est un classeur dans un format que leakopt ne lit pas (ancien Excel .xls, OpenDocument .ods "
           "ou Excel binaire .xlsb)\u00a0: ouvrez-le dans Excel ou LibreOffice, enregistrez-le en classeur Excel "
           "(.xlsx), ou enregistrez la feuille en CSV"),
])
def test_an_old_workbook_upload_is_told_in_the_readers_language_to_be_saved_as_xlsx_or_csv(app, lang, says):
    # The uploader refused it with Streamlit's English "application/vnd.ms-excel files are not allowed", and the
    # check then asked for a leak history the user had given. An .xlsx is read (tests/test_app_workbook.py).
    app.sidebar.radio(key="lang").set_value(lang).run()
    goto(app, "upload")
    app.file_uploader(key="up_pipes").set_value(("pipes.csv", b"pipe_id,material\n1,CI\n", "text/csv"))
    app.file_uploader(key="up_leaks").set_value(("leaks.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
                                                 "application/vnd.ms-excel"))
    app.button(key="up_check").click().run()
    assert not app.exception and not app.error
    assert [w.value for w in app.warning] and app.warning[0].value.startswith(says), [w.value for w in app.warning]


def test_a_compressed_register_and_leak_file_are_taken_and_read(small_inputs, app):
    # Streamlit refused pipes.csv.gz ("files are not allowed"), which the command line reads.
    import gzip
    goto(app, "upload")
    for role in ("pipes", "leaks"):
        assert ".gz" in app.file_uploader(key=f"up_{role}").proto.type
        path = Path(small_inputs["paths"][role])
        app.file_uploader(key=f"up_{role}").set_value((f"{path.name}.gz", gzip.compress(path.read_bytes()),
                                                        "application/gzip"))
    app.button(key="up_check").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(s.value.startswith("The files load: 300 pipes") for s in app.success), [s.value for s in app.success]


def test_upload_needs_pipes_and_leaks(app):
    goto(app, "upload")
    app.button(key="up_check").click().run()
    assert [w.value for w in app.warning] == [
        "Give at least the pipes, and the leak history or a model from another run."]


def test_bad_run_folder_is_a_message_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "is not a finished leakopt run folder" in at.error[0].value


# --- the real pipeline on a small synthetic utility (computed once per module) ---------------

SMALL_CONFIG = """
[risk]
use_hydraulics = false

[backtest]
walk_forward_cutoffs = 1

[placement]
tradeoff_points = 4
"""


@pytest.fixture(scope="module")
def small_inputs(tmp_path_factory) -> dict:
    """A 300-pipe synthetic utility whose most-leaking pipe has its latest leak given by x, y only."""
    from leakopt import pipeline, synth
    from leakopt.risk.features import usable_leak_records
    base = tmp_path_factory.mktemp("small")
    paths = synth.write_synth(synth.synthesize(300, seed=5), base / "inputs")
    records = usable_leak_records(pipeline.load(paths["pipes"], paths["leaks"], paths["network"]))
    top = records["pipe_id"].value_counts().index[0]
    latest = records[records["pipe_id"] == top].iloc[-1]
    leaks = pd.read_csv(paths["leaks"], dtype=str)
    leaks.loc[leaks["leak_id"] == latest["leak_id"], "pipe_id"] = ""
    first = records[records["pipe_id"] == top].iloc[0]      # and its first leak dated by its year alone
    leaks.loc[leaks["leak_id"] == first["leak_id"], "date"] = str(first["date"].year)
    leaks.to_csv(paths["leaks"], index=False)
    config = base / "config.toml"
    config.write_text(SMALL_CONFIG, encoding="utf-8")
    return {"paths": {k: paths[k] for k in ("pipes", "leaks", "network")}, "config": config, "base": base,
            "unlinked": {"leak_id": latest["leak_id"], "pipe_id": top, "date": latest["date"].date().isoformat()},
            "year_only": {"leak_id": first["leak_id"], "year": str(first["date"].year)}}


@pytest.fixture(scope="module")
def small_run(small_inputs) -> Path:
    """A real run folder of the 300-pipe synthetic utility, through the app's own cached runner."""
    from leakopt import pipeline
    from leakopt.app import data
    base, inputs, config = small_inputs["base"], small_inputs["paths"], small_inputs["config"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEAKOPT_CACHE_DIR", str(base / "cache"))
        run_dir = data.run_inputs(inputs, config_path=config)

        def never(*args, **kwargs):
            raise AssertionError("the same inputs ran the pipeline again instead of reading the cache")

        mp.setattr(pipeline, "run", never)
        assert data.run_inputs(inputs, config_path=config) == run_dir     # same inputs: read from the cache
    return run_dir


@pytest.fixture
def small_app(small_run, monkeypatch, tmp_path):
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(small_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception and not at.error
    return at


def test_logger_budget_re_solves_the_placement(small_app, small_run):
    at = goto(small_app, "sensors")
    computed = json.loads((small_run / "placement.json").read_text())
    assert {m.label: m.value for m in at.metric}["Loggers"] == str(computed["n_sensors"])
    at.radio(key="se_mode").set_value("budget").run()
    at.number_input(key="se_budget").set_value(3).run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Loggers"] == "3"
    three = float(metrics["Expected leaks heard"].rstrip("%"))
    at.number_input(key="se_budget").set_value(6).run()
    six = float({m.label: m.value for m in at.metric}["Expected leaks heard"].rstrip("%"))
    assert len(at.dataframe[0].value) == 6
    assert six > three      # more loggers hear more of the expected leaks
    assert any("sensors_budget_6.csv" in str(b.proto) for b in at.get("download_button"))


def test_renewal_budget_changes_the_plan(small_app, small_run):
    at = goto(small_app, "renewal")
    base = {m.label: m.value for m in at.metric}
    slider = at.select_slider(key="rn_budget")
    slider.set_value(int(slider.options[-1].replace(",", ""))).run()
    assert not at.exception and not at.error
    more = {m.label: m.value for m in at.metric}
    assert more["Total cost"] != base["Total cost"]
    assert float(more["Expected leaks avoided"].replace(",", "")) > float(base["Expected leaks avoided"].replace(",", ""))
    # the re-plan compares with both rules too: "most leaks first" counts the run's leak records
    # (risk.csv has no count column; it was dropped from the table once the budget moved)
    rules = next(d.value for d in at.dataframe if "leakopt plan ÷ rule" in d.value.columns)
    assert rules["Plan"].tolist()[1:] == ["Oldest pipes first", "Most past leaks first"]
    # the re-planned plan is offered for download on the page (it is not among the run's files)
    # (its label says the budget the reader's way; the file keeps its name, renewal_plan_<budget>k.csv)
    assert any(b.label.startswith("Download this plan, €") for b in at.get("download_button"))


def test_a_real_runs_matrix_cell_shows_its_pipes_on_the_map(small_app, small_run):
    at = goto(small_app, "risk_map")
    risk = pd.read_csv(small_run / "risk.csv")
    assert {"consequence_class", "business_risk"} <= set(risk.columns)
    matrix = json.loads((small_run / "risk_matrix.json").read_text())
    counts = {f"{r}{c}": matrix["n_pipes"][i][j] for i, r in enumerate(matrix["likelihood_classes"])
              for j, c in enumerate(matrix["consequence_classes"])}
    cell = max(counts, key=lambda k: (0 < counts[k] <= 200, counts[k]))     # a full cell the table lists whole
    at.selectbox(key="rm_cell").set_value(cell).run()
    assert not at.exception and not at.error
    assert f"{counts[cell]} pipes shown" in texts(at)
    table = at.dataframe[0].value
    assert len(table) == counts[cell] and set(table["risk_class"]) == {cell[0]}
    assert set(table["consequence_class"]) == {int(cell[1:])}
    assert len(deck_data(at)) == counts[cell]


def test_real_run_pages_render(small_app):
    for page in ("overview", "risk_map", "validation", "downloads"):
        goto(small_app, page)
        assert not small_app.error, [e.value for e in small_app.error]
    assert small_app.get("download_button")


def test_report_offered_in_the_language_on_screen(small_app, small_run):
    from leakopt.app.downloads import report_language
    assert report_language(small_run / "report.html") == "en"
    at = goto(small_app, "downloads")
    names = [b.label.split(" · ")[1] for b in at.get("download_button")]
    assert "report.html" in names and "report_fr.html" not in names      # the run's report is English
    at.sidebar.radio(key="lang").set_value("fr").run()
    assert not at.exception and not at.error
    buttons = {b.label.split(" · ")[1]: b for b in at.get("download_button")}
    assert buttons["report_fr.html"].label.startswith("Rapport en français (HTML)")
    assert buttons["report.html"].label.startswith("Rapport en anglais (HTML)")   # the run's own, said so
    assert not (small_run / "report_fr.html").exists()                 # the run folder is left as it was
    from leakopt.app.downloads import report_in
    french = report_in(small_run, "fr").decode("utf-8")
    assert '<html lang="fr">' in french and "Zone prioritaire" in french


def test_pipe_panel_counts_and_lists_the_same_leaks_snapped_ones_included(small_app, small_inputs, small_run):
    """A leak with no pipe_id is snapped from x, y to its pipe: the model's count ("2 leaks since")
    and the listed records are the same leaks, that one included."""
    import re
    unlinked = small_inputs["unlinked"]
    used = pd.read_csv(small_run / "leaks_used.csv", dtype={"pipe_id": str}).set_index("leak_id")
    assert used.loc[unlinked["leak_id"], "pipe_id"] == unlinked["pipe_id"]
    assert used.loc[unlinked["leak_id"], "snap_distance_m"] > 0
    at = goto(small_app, "risk_map")
    at.selectbox(key="rm_pipe").set_value(unlinked["pipe_id"]).run()
    body = texts(at)
    counted = re.search(r"Why: .*?(\d+) leaks since", body)
    listed = re.search(r"(\d+) recorded leaks?: (.*)", body)
    assert counted and listed, body
    dates = listed[2].split(", ")
    assert int(counted[1]) == int(listed[1]) == len(dates) >= 2
    assert unlinked["date"] in dates
    # the leak the file dated by its year alone is listed as that year (it was "1 January"), first
    assert dates[0] == small_inputs["year_only"]["year"], dates
    assert used.loc[small_inputs["year_only"]["leak_id"], "date_precision"] == "year"


# --- what names the data on screen ---------------------------------------------------------

def sidebar_captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_sidebar_names_the_run_not_its_folder(app, fixture_run):
    for page in ("overview", "risk_map", "downloads"):
        goto(app, page)
        assert sidebar_captions(app) == ["Data: a finished analysis", "Files: leaks.csv",
                                         "forecast as of 1 January 2024"]
        assert str(fixture_run) not in "\n".join(sidebar_captions(app)) + texts(app)


def test_upload_check_and_run_name_the_users_files_and_show_progress(small_inputs, fixture_run, monkeypatch,
                                                                     tmp_path):
    """The upload flow end to end (AppTest): check, run with a progress bar per stage, then the
    pages show the user's run, named by its files and dates, never by its cache folder."""
    import re
    cache = tmp_path / "cache"
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(cache))
    at = goto(AppTest.from_file(APP, default_timeout=180).run(), "upload")
    files = {**small_inputs["paths"], "config": small_inputs["config"]}
    for role, path in files.items():
        at.file_uploader(key=f"up_{role}").set_value((Path(path).name, Path(path).read_bytes(), "text/plain"))
    at.button(key="up_check").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.button(key="up_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Done: the other pages now show your data." in [s.value for s in at.success]
    bars = [(p.proto.text, p.proto.value) for p in at.get("progress")]
    assert [text.split(":")[0] for text, _ in bars] == ["load", "risk", "consequence", "backtest", "sensors",
                                                       "renewal", "report"]
    assert all(value == 100 and re.search(r" (\d+)/\1$", text) for text, value in bars), bars
    for page in ("overview", "risk_map", "sensors"):
        goto(at, page)
        assert not at.error, [e.value for e in at.error]
        head, names, when = sidebar_captions(at)
        assert (head, names) == ("Data: your files", "Files: pipes.csv, leaks.csv, network.inp, config.toml")
        assert re.fullmatch(r"Analysed on \d{1,2} [A-Z][a-z]+ \d{4} · forecast as of \d{1,2} [A-Z][a-z]+ \d{4}", when), when
        shown = "\n".join(sidebar_captions(at)) + texts(at)
        assert str(cache) not in shown and "/tmp" not in shown
    assert at.get("deck_gl_json_chart")
    goto(at, "upload")           # back on the page: its uploaders are empty, the files checked are kept
    assert [i.value for i in at.info] == [
        "The files checked before are kept: pipes.csv, leaks.csv, network.inp, config.toml. Run the analysis on "
        "them, or upload others: a file uploaded replaces the kept one of its kind."]
    # a new leak file alone: checked with the kept pipes, network and configuration (it was refused:
    # "Give at least the pipes ...")
    leaks = Path(small_inputs["paths"]["leaks"])
    at.file_uploader(key="up_leaks").set_value(("leaks_2.csv", leaks.read_bytes(), "text/csv"))
    at.button(key="up_check").click().run()
    assert not at.warning and not at.error, [w.value for w in at.warning] + [e.value for e in at.error]
    assert any(s.value.startswith("The files load") for s in at.success)
    checked = at.session_state["up_checked"]["paths"]
    assert Path(checked["leaks"]).name == "leaks_2.csv" and Path(checked["pipes"]).name == "pipes.csv"
    assert Path(checked["network"]).name == "network.inp" and Path(checked["config"]).name == "config.toml"


def test_upload_of_a_raw_export_maps_its_columns_in_a_form(small_inputs, fixture_run, monkeypatch, tmp_path):
    """A register and a leak file under their own names: the check stops with the command line's
    message and one form, pre-filled with the likely columns of both; applying it completes the
    uploaded configuration, the files then load, and the configuration can be downloaded."""
    import tomllib
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    raw = pd.read_csv(small_inputs["paths"]["pipes"]).rename(
        columns={"pipe_id": "WATMAINID", "install_year": "INSTALLATION_DATE", "length_m": "LONGUEUR"})
    raw.insert(0, "OBJECTID", range(len(raw)))
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "upload")
    at.file_uploader(key="up_pipes").set_value(("mains.csv", raw.to_csv(index=False).encode(), "text/csv"))
    leaks = pd.read_csv(small_inputs["paths"]["leaks"], dtype=str).rename(columns={"date": "DATE_INTERVENTION"})
    at.file_uploader(key="up_leaks").set_value(("leaks.csv", leaks.to_csv(index=False).encode(), "text/csv"))
    at.file_uploader(key="up_config").set_value(("config.toml", small_inputs["config"].read_bytes(), "text/plain"))
    at.button(key="up_check").click().run()
    assert not at.exception and len(at.error) == 1 and "pipe_id, install_year not found" in at.error[0].value
    assert at.selectbox(key="up_map_columns_pipe_id").value == "WATMAINID"
    assert at.selectbox(key="up_map_columns_install_year").value == "INSTALLATION_DATE"
    length = at.selectbox(key="up_map_columns_length_m")   # needed here, as no network gives the lengths
    assert (length.label, length.value) == ("Length in m (length_m) (optional when a network gives it)", "LONGUEUR")
    assert at.selectbox(key="up_map_columns_pipe_id").label == "Pipe ID (pipe_id)"    # in words, with its name
    at.selectbox(key="up_map_columns_install_year").set_value("—")
    submit = next(b for b in at.button if b.label == "Use these columns and check again")
    submit.click().run()
    assert [w.value for w in at.warning] == ["Choose a column for each one not marked optional."]
    assert not at.success
    # the leak file's columns are asked in the same form, in their own table
    assert at.selectbox(key="up_map_leak_columns_date").value == "DATE_INTERVENTION"
    at.selectbox(key="up_map_columns_install_year").set_value("INSTALLATION_DATE")
    next(b for b in at.button if b.label == "Use these columns and check again").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("The files load: 300 pipes")
    config = max((tmp_path / "cache" / "uploads").rglob("leakopt-columns.toml"), key=lambda f: f.stat().st_mtime_ns)
    written = tomllib.loads(config.read_text(encoding="utf-8"))
    assert written["columns"] == {"pipe_id": "WATMAINID", "install_year": "INSTALLATION_DATE", "length_m": "LONGUEUR"}
    assert written["leak_columns"] == {"date": "DATE_INTERVENTION"}
    assert written["risk"] == tomllib.loads(small_inputs["config"].read_text())["risk"]   # the upload's, kept
    assert at.get("download_button")


def test_a_register_uploaded_after_a_mapped_one_is_read_under_its_own_names(small_inputs, fixture_run, monkeypatch,
                                                                           tmp_path):
    """Columns mapped in the form belong to the file mapped: a register uploaded after it is read under
    its own names (it was refused: "maps pipe_id to column 'WATMAINID', which is not in the file"),
    while the leak file kept keeps its mapping."""
    import tomllib
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    pipes = Path(small_inputs["paths"]["pipes"])
    raw = pd.read_csv(pipes).rename(columns={"pipe_id": "WATMAINID"})
    leaks = pd.read_csv(small_inputs["paths"]["leaks"], dtype=str).rename(columns={"date": "DATE_INTERVENTION"})
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "upload")
    at.file_uploader(key="up_pipes").set_value(("mains.csv", raw.to_csv(index=False).encode(), "text/csv"))
    at.file_uploader(key="up_leaks").set_value(("breaks.csv", leaks.to_csv(index=False).encode(), "text/csv"))
    at.button(key="up_check").click().run()
    assert at.selectbox(key="up_map_columns_pipe_id").value == "WATMAINID"
    next(b for b in at.button if b.label == "Use these columns and check again").click().run()
    assert not at.error and at.success[0].value.startswith("The files load: 300 pipes"), [e.value for e in at.error]
    # the register again, under the contract's names, the leak file kept
    at.file_uploader(key="up_pipes").set_value(("pipes.csv", pipes.read_bytes(), "text/csv"))
    at.file_uploader(key="up_leaks").set_value(None)
    at.button(key="up_check").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("The files load: 300 pipes")
    checked = at.session_state["up_checked"]
    assert Path(checked["paths"]["pipes"]).name == "pipes.csv" and Path(checked["paths"]["leaks"]).name == "breaks.csv"
    written = tomllib.loads(Path(checked["paths"]["config"]).read_text(encoding="utf-8"))
    assert "columns" not in written and written["leak_columns"] == {"date": "DATE_INTERVENTION"}
    # the page says which file was kept, by the name it was uploaded under
    assert [i.value for i in at.info] == ["Kept from the files checked before, as none of their kind was uploaded: "
                                          "breaks.csv."]
    # and a leak file under the contract's names too: no mapping is left, nor its configuration
    at.file_uploader(key="up_leaks").set_value(("leaks.csv", Path(small_inputs["paths"]["leaks"]).read_bytes(),
                                                "text/csv"))
    at.button(key="up_check").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "config" not in at.session_state["up_checked"]["paths"] and not at.get("download_button")


def test_the_files_kept_from_a_check_can_be_forgotten(small_inputs, fixture_run, monkeypatch, tmp_path):
    """A leak file checked, then removed from its uploader to score the register with another run's
    model: the page says the leak file is kept, and its button forgets it (the uploader cannot)."""
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "upload")
    for role in ("pipes", "leaks"):
        path = Path(small_inputs["paths"][role])
        at.file_uploader(key=f"up_{role}").set_value((path.name, path.read_bytes(), "text/csv"))
    at.button(key="up_check").click().run()
    assert at.success and not at.info and not [b for b in at.button if b.key == "up_forget"]
    at.file_uploader(key="up_leaks").set_value(None).run()
    assert [i.value for i in at.info] == ["Kept from the files checked before, as none of their kind was uploaded: "
                                          "leaks.csv."]
    at.button(key="up_forget").click().run()
    assert not at.success and not at.info and "up_checked" not in at.session_state
    at.button(key="up_check").click().run()      # the register alone now: the leak history is asked for
    assert [w.value for w in at.warning] == ["Give at least the pipes, and the leak history or a model from "
                                             "another run."]


def test_the_mapping_form_falls_back_to_the_file_that_failed(fixture_run, monkeypatch, tmp_path):
    # if planning both files fails, the form still asks the columns the error named
    from leakopt.app import upload

    def broken(paths):
        raise RuntimeError("planning failed")
    monkeypatch.setattr(upload, "column_plan", broken)
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "upload")
    at.file_uploader(key="up_pipes").set_value(
        ("mains.csv", b"WATMAINID,material,INSTALLATION_DATE,diameter_mm,length_m\nW1,CI,1950,100,10\n", "text/csv"))
    at.file_uploader(key="up_leaks").set_value(("leaks.csv", b"date,pipe_id\n2020-01-01,W1\n", "text/csv"))
    at.button(key="up_check").click().run()
    assert not at.exception and len(at.error) == 1
    assert at.selectbox(key="up_map_columns_pipe_id").value == "WATMAINID"
    assert at.selectbox(key="up_map_columns_install_year").value == "INSTALLATION_DATE"


def test_the_app_reads_a_run_folder_as_the_report_does(tmp_path):
    # one reader of run folders (leakopt.report.load_run): a file the report cannot read is left out of
    # its section; the app shows the rest of the run instead of failing on it
    from leakopt.app import data
    from leakopt.report import load_run

    run_dir = write_fixture_run(tmp_path / "run")
    (run_dir / "backtest.json").write_text("{not json", encoding="utf-8")
    run, folder = data.read_run(run_dir), load_run(run_dir)
    assert run.backtest is None and folder.json["backtest"] is None and "backtest.json" in folder.errors
    assert run.placement == folder.json["placement"] and run.placement["n_sensors"] == 5
    assert run.risk["in_priority_zone"].dtype == bool and folder.risk["in_priority_zone"].dtype == bool
    assert run.campaign == folder.json["campaign"] and run.campaign["loggers"] == 60
    assert run.pressure == folder.json["pressure"] and run.pressure_sensors["node_id"].tolist() == ["10", "22", "31", "12"]
    assert run.campaign_curve.equals(folder.csv["campaign_curve"]) and len(run.campaign_curve) == 9


def test_overview_says_how_many_segments_a_pressure_simulation_judged(fixture_run, monkeypatch, tmp_path):
    """The overview gives the report's sentence on the pressure-dependent simulation, in the app's language."""
    matrix = {"likelihood_classes": ["A", "B"], "consequence_classes": [2, 1],
              "n_pipes": [[1, 2], [3, 4]], "km": [[0.1, 0.2], [0.3, 0.4]],
              "top_demand_cut": [{"demand_cut_m3s": 0.002, "nodes_cut": 9}],
              "consequence": {"method": "segments_assumed_valves", "n_segments": 412, "total_demand_m3s": 0.1,
                              "pdd": {"status": "ok", "n_segments_simulated": 37, "n_segments_failed": 2,
                                      "selection": "top_business_risk", "required_pressure_m": 20.0,
                                      "minimum_pressure_m": 0.0}}}
    at = app_with_matrix(fixture_run, monkeypatch, tmp_path, matrix)
    assert not at.exception
    shown = texts(at)
    assert "37 of these segments, those carrying the most business risk" in shown
    assert "EPANET could not solve 2 of them shut" in shown
    # what "these segments" are is said first, as in the report
    before = shown.index("37 of these segments")
    assert "the network splits into 412" in shown[:before] and "2.0%" in shown[:before]


def test_logger_sites_along_a_pipe_are_drawn_where_their_x_y_put_them():
    # a re-solve drew only the sites that are network nodes: access points (1 site in 5) were missing
    from leakopt.app.sensors import site_positions
    nodes = pd.DataFrame({"node_id": ["A", "B", "C", "D"], "x": [0.0, 100.0, 0.0, 100.0],
                          "y": [0.0, 0.0, 50.0, 50.0]})
    pos = nodes.assign(mx=2 * nodes["x"] + 10, my=2 * nodes["y"] - 5)[["node_id", "mx", "my"]]
    sensors = pd.DataFrame({"node_id": ["B", "P-1@1", "P-9@2"], "x": [100.0, 50.0, np.nan],
                            "y": [0.0, 25.0, np.nan]})
    out = site_positions(sensors, pos, nodes)
    assert out["node_id"].tolist() == ["B", "P-1@1"]            # no coordinates: not drawn anywhere
    assert out[["mx", "my"]].to_numpy() == pytest.approx(np.array([[210.0, -5.0], [110.0, 45.0]]))


def test_page_choices_outlive_a_visit_to_another_page(small_app, small_run):
    # the logger budget went back to the run's answer after a look at another page
    at = goto(small_app, "sensors")
    at.radio(key="se_mode").set_value("budget").run()
    at.number_input(key="se_budget").set_value(6).run()
    goto(at, "overview")
    goto(at, "sensors")
    assert at.radio(key="se_mode").value == "budget" and at.number_input(key="se_budget").value == 6


def test_page_choices_are_dropped_when_other_data_are_shown():
    from leakopt.app.main import keep_choices
    state = {"se_budget": 6, "rn_budget": 4800, "lang": "fr"}
    keep_choices(state)
    assert state["se_budget"] == 6 and state["choices_for"] == "sample"
    state["user_run"] = {"run_dir": "/tmp/their-run"}          # the user's own run: other options, other ranges
    keep_choices(state)
    assert "se_budget" not in state and "rn_budget" not in state and state["lang"] == "fr"


def test_a_new_check_fills_the_mapping_form_afresh(small_inputs, fixture_run, monkeypatch, tmp_path):
    """A form left with a choice undone, then other files checked: the new form offers the new
    files' likely columns, not the choices made in the form of the files before."""
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    pipes = pd.read_csv(small_inputs["paths"]["pipes"])
    leaks = Path(small_inputs["paths"]["leaks"]).read_bytes()
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "upload")
    first = pipes.rename(columns={"pipe_id": "WATMAINID"})
    at.file_uploader(key="up_pipes").set_value(("mains.csv", first.to_csv(index=False).encode(), "text/csv"))
    at.file_uploader(key="up_leaks").set_value(("leaks.csv", leaks, "text/csv"))
    at.button(key="up_check").click().run()
    assert at.selectbox(key="up_map_columns_pipe_id").value == "WATMAINID"
    at.selectbox(key="up_map_columns_pipe_id").set_value("—")
    at.button[-1].click().run()                  # the form's submit: a column left undone
    assert [w.value for w in at.warning] == ["Choose a column for each one not marked optional."]
    second = pipes.rename(columns={"pipe_id": "ASSET_ID"})
    at.file_uploader(key="up_pipes").set_value(("assets.csv", second.to_csv(index=False).encode(), "text/csv"))
    at.button(key="up_check").click().run()
    assert not at.exception
    assert at.selectbox(key="up_map_columns_pipe_id").value == "ASSET_ID"


# --- a model from another run (as `leakopt run --model`) ------------------------------------

def check_upload(at: AppTest, small_inputs, *, leaks: bytes | None = None, model: dict | None = None) -> AppTest:
    """On "Your data": the small utility's register, and ``leaks`` (a leak file's bytes) and ``model``
    ({file name: bytes}) when given, then "Check the files"."""
    goto(at, "upload")
    pipes = Path(small_inputs["paths"]["pipes"])
    at.file_uploader(key="up_pipes").set_value((pipes.name, pipes.read_bytes(), "text/csv"))
    if leaks is not None:
        at.file_uploader(key="up_leaks").set_value(("leaks.csv", leaks, "text/csv"))
    if model is not None:
        at.file_uploader(key="up_model").set_value([(name, data, "application/octet-stream")
                                                   for name, data in model.items()])
    return at.button(key="up_check").click().run()


def model_files(run_dir: Path, glm: str = "model.txt.glm.json") -> dict:
    """A run's model as uploaded: its trees and (``glm``) the file given as their offset."""
    return {"model.txt": (run_dir / "model.txt").read_bytes(), glm: (run_dir / glm).read_bytes()}


def test_a_register_with_no_leak_history_is_scored_by_an_uploaded_model(small_inputs, small_run, fixture_run,
                                                                        monkeypatch, tmp_path):
    """The register alone and the two files of another run's model: the check says the model scores the
    pipes, the run uses it (manifest ``model_given``), and the sidebar names it with the user's files."""
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    files = model_files(small_run)   # named as a user might have renamed them
    at = check_upload(AppTest.from_file(APP, default_timeout=180).run(), small_inputs,
                      model={"town_a_model.txt": files["model.txt"], "town_a.json": files["model.txt.glm.json"]})
    pipes = Path(small_inputs["paths"]["pipes"])
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [i.value for i in at.info] == ["The pipes will be scored by the model you uploaded, learnt from "
                                          "another run's leaks, not by one learnt here. The report says so."]
    assert "0 usable leak records" in at.success[0].value
    at.button(key="up_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    run_dir = Path(at.session_state["user_run"]["run_dir"])
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model_given"]["sha256"] == hashlib.sha256((small_run / "model.txt").read_bytes()).hexdigest()
    assert "nb_leaks" in manifest["model_given"]["missing_features"]   # no network uploaded: no neighbours
    risk = pd.read_csv(run_dir / "risk.csv", dtype={"pipe_id": str})
    assert set(risk["pipe_id"]) == set(pd.read_csv(pipes, dtype={"pipe_id": str})["pipe_id"])   # none unscored
    goto(at, "overview")
    assert sidebar_captions(at)[1] == "Files: pipes.csv, model.txt"      # not the empty leak file it was given
    assert at.warning[0].value.startswith("The model given was trained with ") and "nb_leaks" in at.warning[0].value
    assert "the model given (trained elsewhere)" in texts(at) or "model trained elsewhere" in texts(at)
    about = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "model trained elsewhere" in about and "no-leaks.csv" not in about   # the report's inputs: the user's


def test_a_register_with_an_empty_leak_file_is_ranked_by_published_rates(small_inputs, fixture_run, monkeypatch,
                                                                            tmp_path):
    """The register and a leak file with its header only: the run ranks every pipe by the literature prior, and
    the overview and the validation page say so."""
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(fixture_run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = check_upload(AppTest.from_file(APP, default_timeout=180).run(), small_inputs, leaks=b"date,pipe_id\n")
    at.button(key="up_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    run_dir = Path(at.session_state["user_run"]["run_dir"])
    assert json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["risk_model"]["kind"] == \
        "literature_prior"
    risk = pd.read_csv(run_dir / "risk.csv", dtype={"pipe_id": str})
    pipes = pd.read_csv(Path(small_inputs["paths"]["pipes"]), dtype={"pipe_id": str})
    assert set(risk["pipe_id"]) == set(pipes["pipe_id"])
    goto(at, "overview")
    assert "no leak record to learn from: its pipes are ranked by published break rates" in texts(at)
    goto(at, "validation")
    assert "No backtest in this run: the leak file holds no leak" in " ".join(i.value for i in at.info)


def test_a_model_upload_needs_both_files(small_inputs, small_run, app):
    check_upload(app, small_inputs, model={"model.txt": (small_run / "model.txt").read_bytes()})
    assert [w.value for w in app.warning] == [
        "A model is two files of a run folder: model.txt (the trees) and model.txt.glm.json (what they add to). "
        "Upload both, and only them; got: model.txt."]
    assert "up_checked" not in app.session_state   # nothing checked, nothing to run


def test_an_empty_leak_history_is_said_at_the_check_and_ranked_by_published_rates(small_inputs, app):
    check_upload(app, small_inputs, leaks=b"leak_id,pipe_id,date\n")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.warning[0].value.startswith("The leak file has no rows: with no history to learn from, the pipes "
                                           "will be ranked by published break rates")
    assert not app.button(key="up_run").disabled


def test_the_model_upload_speaks_french(small_inputs, small_run, app):
    app.sidebar.radio(key="lang").set_value("fr").run()
    goto(app, "upload")
    assert app.file_uploader(key="up_model").label == ("Modèle d'une autre analyse (model.txt et "
                                                       "model.txt.glm.json, facultatif)")
    check_upload(app, small_inputs, model=model_files(small_run))
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.info[0].value.startswith("Les conduites seront notées par le modèle chargé")


def test_an_uploaded_model_is_stored_as_run_model_reads_it(small_run, monkeypatch, tmp_path):
    from leakopt.app import data
    from leakopt.errors import InputError
    from leakopt.risk import RiskModel
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    trees, glm = (small_run / "model.txt").read_bytes(), (small_run / "model.txt.glm.json").read_bytes()
    path = data.save_model({"GLM.JSON": glm, "trees.TXT": trees})      # any names, any case
    assert path.name == "model.txt" and (path.parent / "model.txt.glm.json").read_bytes() == glm
    assert RiskModel.load(path).booster.num_trees() == RiskModel.load(small_run / "model.txt").booster.num_trees()
    assert not data.model_files_complete(["model.txt", "notes.txt"])
    with pytest.raises(InputError, match="one of each; got a.txt, b.txt"):
        data.save_model({"a.txt": trees, "b.txt": trees})


def test_a_leak_history_with_no_usable_row_says_the_checks_tell_why(small_inputs, app):
    check_upload(app, small_inputs, leaks=b"leak_id,pipe_id,date\nL1,NOPE,2020-01-01\n")
    assert app.warning[0].value.startswith("No leak record can be used")
    assert app.button(key="up_run").disabled


def test_a_json_that_is_not_the_models_offset_is_refused_with_a_plain_message(small_inputs, small_run, app):
    check_upload(app, small_inputs, model=model_files(small_run, glm="validation.json"))
    assert not app.error and [w.value for w in app.warning] == [
        "These files are not a model that leakopt can read (model.txt, validation.json): upload model.txt and "
        "model.txt.glm.json as a run folder holds them."]


def test_a_missing_type_column_says_in_french_that_leak_types_asks_for_it():
    # The French message left the reason out, and the form then made the user pick some column as the
    # type, which left out every leak.
    from leakopt.app.texts import translator
    from leakopt.app.widgets import missing_columns_message
    from leakopt.errors import MissingColumnsError
    from leakopt.validate.leaks import keep_leak_types
    from leakopt.validate.report import ValidationReport
    leaks = pd.DataFrame({"date": ["2020-01-01"], "pipe_id": ["a"], "_row": [1]})
    with pytest.raises(MissingColumnsError) as err:
        keep_leak_types(leaks, ("MAIN",), report=ValidationReport(sources={}), where="leaks.csv")
    french = " ".join(missing_columns_message(translator("fr"), err.value).split())
    assert "leak_types = ['MAIN'] est réglé dans [validate] : retirez-le si le fichier ne donne pas de type" in french
    assert "remove it if the file gives no type" in missing_columns_message(translator("en"), err.value)


def test_the_overview_renewal_figure_agrees_with_its_numbers():
    from leakopt.app.overview import _renewal
    from leakopt.app.texts import translator

    class Col:
        def metric(self, label, value, delta, **kw):
            self.delta = delta
    col = Col()
    _renewal(col, translator("fr"), {"budget_per_year_eur": 1e5, "leaks_avoided": 0.4, "years": 1})
    assert col.delta == "0,4 fuite attendue évitée en 1 an"
    _renewal(col, translator("fr"), {"budget_per_year_eur": 1e5, "leaks_avoided": 3.2, "years": 5})
    assert col.delta == "3,2 fuites attendues évitées en 5 ans"
    _renewal(col, translator("en"), {"budget_per_year_eur": 1e5, "leaks_avoided": 1.0, "years": 1})
    assert col.delta == "1.0 expected leaks avoided in 1 year"


def test_the_overview_compares_loggers_on_fittings_with_what_they_can_reach_not_the_whole_network():
    # "358 vs 361 for the whole network (÷1.0)" when the utility's fittings cannot reach the whole network
    from leakopt.app.overview import _loggers
    from leakopt.app.texts import translator

    class Col:
        def metric(self, label, value, delta, **kw):
            self.delta = delta
    col = Col()
    sites = {"n_sensors": 358, "n_sensors_full_network": 361, "reduction_factor": 1.008,
             "n_unreachable_segments": 40, "unreachable_length_m": 323000.0}
    _loggers(col, translator("en"), sites)
    assert col.delta == "vs 361 to hear all the sites can reach"
    _loggers(col, translator("fr"), {**sites, "n_sensors": 100, "reduction_factor": 3.61})
    assert col.delta == "contre 361 pour entendre tout ce que les sites atteignent (÷3,6)"
    _loggers(col, translator("en"), {"n_sensors": 460, "n_sensors_full_network": 2830, "reduction_factor": 6.15})
    assert col.delta == "vs 2,830 for the whole network (÷6.2)"


def _app_with_backtest(fixture_run: Path, monkeypatch, tmp_path: Path, backtest: dict) -> AppTest:
    return app_with_json(fixture_run, monkeypatch, tmp_path, "backtest.json", backtest)


def test_a_backtest_with_no_test_leak_is_shown_as_not_measured_not_zero(fixture_run, monkeypatch, tmp_path):
    from leakopt.app.texts import TEXTS
    from leakopt.app.validation import curves_frame
    from leakopt.i18n import Translator
    bt = _backtest()
    none = {"capture": dict.fromkeys(bt["model"]["capture"]), "length_share_for_80pct": None, "curve": None}
    bt.update(n_test_leaks=0, model=none, baselines=dict.fromkeys(bt["baselines"], none))
    assert curves_frame(Translator(TEXTS, "en"), bt).empty   # nothing to draw, and no crash on null
    at = _app_with_backtest(fixture_run, monkeypatch, tmp_path, bt)
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Proven on history=Not measured" in shown and "0.0%" not in shown, shown
    assert "the following 3 years held no leak, so the ranking could not be measured" in shown, shown
    goto(at, "validation")
    info = " ".join(i.value for i in at.info)
    assert "the 3 years that followed held no leak on the pipes scored" in info, info
    assert "Share of later leaks on the top share of length" not in texts(at)   # no capture table of 0% or blanks


def test_a_backtest_window_cut_by_the_record_is_said_and_rounded_in_the_app(fixture_run, monkeypatch, tmp_path):
    bt = {**_backtest(), "horizon_years": 1.997, "horizon_years_asked": 3, "test_end": "2024-12-30"}
    at = goto(_app_with_backtest(fixture_run, monkeypatch, tmp_path, bt), "validation")
    shown = texts(at)
    assert "the 120 leaks of the next 2.0 years" in shown and "1.997" not in shown, shown
    assert "The 3 years asked for were cut to the 2.0 years the leak record holds" in shown, shown

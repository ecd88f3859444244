"""A utility with no leak history: its pipes ranked by the literature prior (leakopt.risk.prior)."""
import json

import numpy as np
import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.risk import RiskConfig
from leakopt.risk.prior import PriorModel, prior_rates


def frame(**cols):
    n = len(next(iter(cols.values())))
    base = {"material": ["cast_iron"] * n, "age": [50.0] * n, "diameter_mm": [150.0] * n, "length_km": [1.0] * n}
    return pd.DataFrame({**base, **cols})


def test_the_reference_main_has_the_published_rate_and_each_factor_acts_as_the_literature_says():
    model = PriorModel()
    f = frame(material=["cast_iron", "pvc", "cast_iron", "cast_iron", "cast_iron", "unknown"],
              age=[50.0, 50.0, 80.0, 50.0, 50.0, 50.0], diameter_mm=[150.0, 150.0, 150.0, 100.0, 150.0, 150.0],
              length_km=[1.0, 1.0, 1.0, 1.0, 0.5, 1.0])
    expected = model.predict(f)
    assert expected[0] == pytest.approx(0.22)                     # 22 per 100 km a year, 1 km
    assert expected[1] == pytest.approx(0.016)                    # PVC 1.6
    assert expected[2] == pytest.approx(0.22 * np.exp(0.02 * 30))  # 30 years older
    assert expected[3] == pytest.approx(0.22 * (100 / 150) ** -1.2)
    assert expected[4] == pytest.approx(0.11)                     # half the length, half the leaks
    assert expected[5] == pytest.approx(0.08)                     # unknown material: networks' middle rate


def test_contributions_sum_to_the_log_rate_and_are_relative_to_the_typical_main():
    model = PriorModel()
    f = frame(material=["cast_iron", "pvc", "pvc", "ductile_iron"], age=[90.0, 10.0, 20.0, 40.0],
              diameter_mm=[80.0, 200.0, 110.0, 150.0], length_km=[0.2, 1.0, 0.5, 0.3])
    c = model.contributions(f)
    assert list(c.columns) == ["material", "age", "diameter_mm", "bias"]
    np.testing.assert_allclose(c.sum(axis=1), model.predict_log_rate(f))
    w = f["length_km"].to_numpy()
    np.testing.assert_allclose((c[["material", "age", "diameter_mm"]].mul(w, axis=0)).sum(), 0, atol=1e-12)
    assert (c.loc[0, ["material", "age", "diameter_mm"]] > 0).all()   # old small cast iron: every factor raises it


def test_prior_rates_replace_the_published_ones_and_bad_values_are_refused_early():
    assert prior_rates({"cast_iron": 40})["cast_iron"] == 40 and prior_rates()["cast_iron"] == 22
    assert PriorModel({"pvc": 5}).predict(frame(material=["pvc"]))[0] == pytest.approx(0.05)
    with pytest.raises(InputError, match="unknown material families \\['granite'\\]"):
        RiskConfig(prior_rates={"granite": 3})
    with pytest.raises(InputError, match="prior_rates.pvc must be a number > 0"):
        RiskConfig(prior_rates={"pvc": -1})


@pytest.fixture(scope="module")
def no_history(tmp_path_factory):
    """A register and a leak file with its header only, run in English and French."""
    base = tmp_path_factory.mktemp("prior")
    rng = np.random.default_rng(0)
    n = 120
    pipes = pd.DataFrame({"pipe_id": [f"P{i}" for i in range(n)], "material": rng.choice(["CI", "PVC", "DI"], n),
                          "diameter_mm": rng.choice([100, 150, 300], n), "install_year": rng.integers(1920, 2010, n),
                          "length_m": rng.uniform(20, 400, n)})
    pipes.to_csv(base / "pipes.csv", index=False)
    (base / "leaks.csv").write_text("date,pipe_id\n")
    return base, pipes


def test_a_leak_file_with_no_row_is_a_history_of_none_and_every_pipe_is_ranked(no_history, capsys, caplog):
    base, pipes = no_history
    code = main(["run", "--pipes", str(base / "pipes.csv"), "--leaks", str(base / "leaks.csv"),
                 "--out", str(base / "out")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = base / "out"
    risk = pd.read_csv(out / "risk.csv", dtype={"pipe_id": str})
    assert sorted(risk["pipe_id"]) == sorted(pipes["pipe_id"]) and risk["expected_leaks_per_year"].notna().all()
    assert sorted(risk["rank"]) == list(range(1, len(pipes) + 1))
    top = risk.sort_values("rank").iloc[0]
    assert top["material"] == "cast_iron" and "grey cast iron laid in" in top["top_factors"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["risk_model"]["kind"] == "literature_prior"
    assert manifest["risk_model"]["prior"]["base_per_100km_year"]["cast_iron"] == 22
    assert json.loads((out / "prior.json").read_text())["formula"].startswith("leaks per km and year")
    assert not (out / "model.txt").exists() and not (out / "backtest.json").exists()
    summary = " ".join(captured.out.split())
    assert "Risk: no leak history, so every pipe is ranked by the literature prior" in summary
    assert "no backtest: the leak history is empty, so the literature prior cannot be tested on it" in caplog.text
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "so no model could learn from its history" in report and "No backtest: the leak file holds no leak" in report


def test_the_french_run_and_report_say_it_too(no_history, capsys):
    base, _ = no_history
    assert main(["-q", "run", "--pipes", str(base / "pipes.csv"), "--leaks", str(base / "leaks.csv"),
                 "--lang", "fr", "--out", str(base / "fr")]) == 0
    summary = " ".join(capsys.readouterr().out.split())
    assert "Risque : sans historique de fuites, chaque conduite est classée par l’a priori de la littérature" in summary
    report = (base / "fr" / "report.html").read_text(encoding="utf-8")
    assert "aucun modèle n’a pu apprendre de son historique" in report
    assert "fonte grise posée en" in pd.read_csv(base / "fr" / "risk.csv")["top_factors"].str.cat()


def test_check_says_how_a_run_will_rank_and_backtest_still_needs_leaks(no_history, capsys):
    base, _ = no_history
    args = ["--pipes", str(base / "pipes.csv"), "--leaks", str(base / "leaks.csv")]
    assert main(["check", *args]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "The leak file holds no leak: a run ranks the pipes by the literature prior" in out
    assert "Next: leakopt run --pipes" in out
    code = main(["backtest", *args, "--cutoff", "2020-01-01", "--out", str(base / "bt")])
    assert code == 2 and "holds no leak" in " ".join(capsys.readouterr().err.split())


def test_prior_rates_from_the_configuration_change_the_ranking(no_history, tmp_path):
    base, pipes = no_history
    (tmp_path / "c.toml").write_text("[risk]\nprior_rates = {pvc = 500}\n")
    assert main(["-q", "run", "--pipes", str(base / "pipes.csv"), "--leaks", str(base / "leaks.csv"),
                 "--config", str(tmp_path / "c.toml"), "--no-backtest",
                 "--out", str(tmp_path / "out")]) == 0
    risk = pd.read_csv(tmp_path / "out" / "risk.csv")
    assert risk.sort_values("rank")["material"].iloc[0] == "pvc"
    prior = json.loads((tmp_path / "out" / "prior.json").read_text())
    assert prior["overridden"] == ["pvc"] and prior["base_per_100km_year"]["pvc"] == 500

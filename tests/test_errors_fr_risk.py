"""Input errors of the risk, renewal and consequence stages in French: each carries its French (``fr=``), built
from French words and French number and date formats, which a command answering in French prints."""
from __future__ import annotations

import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.consequence import ConsequenceConfig, add_business_risk, check_critical_nodes, risk_matrix
from leakopt.consequence.segments import check_valve_layer
from leakopt.errors import InputError
from leakopt.i18n import NBSP, NNBSP
from leakopt.renewal import RenewalConfig, prepare_pipes, rule_plan
from leakopt.renewal.sites import check_min_rate
from leakopt.risk.model import RiskConfig
from leakopt.risk.prior import prior_rates
from leakopt.risk.priority import PriorityConfig
from leakopt.schema import Network
from leakopt.validate.messages import french_error


def _french(call, *args, **kwargs) -> tuple[str, str]:
    """(English, French) of the InputError ``call(*args, **kwargs)`` raises; the French is checked to be no copy
    of the English."""
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    en, fr = str(info.value), french_error(info.value)
    assert fr, f"no French for: {en}"
    assert fr.split()[:4] != en.split()[:4]
    return en, fr


def _risk(n=3) -> pd.DataFrame:
    return pd.DataFrame({"pipe_id": [f"P{i}" for i in range(n)], "expected_leaks_per_year": 0.1,
                         "length_m": 100.0, "diameter_mm": 150.0, "install_year": 1970})


def _network() -> Network:
    nodes = pd.DataFrame({"node_id": ["R", "J1", "J2"], "x": [0.0, 1.0, 2.0], "y": 0.0, "elevation": 0.0,
                          "node_type": ["reservoir", "junction", "junction"], "base_demand": [0.0, 0.01, 0.01]})
    links = pd.DataFrame({"pipe_id": ["p1", "p2"], "start_node": ["R", "J1"], "end_node": ["J1", "J2"],
                          "length_m": 100.0, "diameter_mm": 150})
    return Network(nodes=nodes, links=links)


# --- through the command line ----------------------------------------------------------------------------

def _files(tmp_path, config: str | None = None) -> list[str]:
    (tmp_path / "p.csv").write_text("pipe_id,material,diameter_mm,install_year,length_m\nP1,pvc,100,1990,100\n")
    (tmp_path / "l.csv").write_text("pipe_id,date\nP1,2020-01-01\n")
    args = ["--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv")]
    if config is not None:
        (tmp_path / "c.toml").write_text(config)
        args += ["--config", str(tmp_path / "c.toml")]
    return args + ["--out", str(tmp_path / "out")]


def test_a_french_run_prints_a_bad_renewal_setting_in_french(tmp_path, capsys):
    args = ["--quiet", "run"] + _files(tmp_path, '[renewal]\nobjective = "cost"\n')
    assert main(args + ["--lang", "fr"]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert f"objective='cost'{NBSP}; valeur attendue{NBSP}: l’une des valeurs ['leaks', 'risk']" in err
    assert "expected one of" not in err
    assert main(args) == 2
    assert "[renewal] objective='cost'; expected one of ['leaks', 'risk']" in capsys.readouterr().err.replace("\n", " ")


def test_a_french_run_names_unknown_prior_families_in_french(tmp_path, capsys):
    args = ["--quiet", "run"] + _files(tmp_path, "[risk]\nprior_rates = {unobtanium = 3}\n")
    assert main(args + ["--lang", "fr"]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert "[risk] prior_rates nomme des familles de matériaux inconnues" in err
    assert "(fuites pour 100 km par an d’une conduite DN150 de 50 ans)" in err
    assert "unknown material families" not in err and "leaks per 100 km" not in err


def test_a_french_backtest_refuses_a_cutoff_after_the_history_in_french(tmp_path, capsys):
    args = ["--quiet", "backtest"] + _files(tmp_path) + ["--cutoff", "2030-01-01"]
    assert main(args + ["--lang", "fr"]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert "la date de coupure du test sur l’historique, le 1er janvier 2030, doit précéder la fin" in err
    assert "il n’y a rien à tester après elle" in err
    assert "must be before" not in err and "2030-01-01" not in err


# --- through the API -------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, words", [
    (lambda: RiskConfig(learning_rate=2.0), "[risk] learning_rate doit être strictement supérieur à 0"),
    (lambda: RiskConfig(glm_offset="maybe"), "[risk] glm_offset doit valoir true, false ou \"auto\""),
    (lambda: RiskConfig(cohort_sigma=-1.0), "(0 = pas de termes de cohorte)"),
    (lambda: prior_rates({"pvc": -1}), f"[risk] prior_rates.pvc doit être un nombre > 0 (fuites pour 100 km par an)"
                                       f"{NBSP}; valeur reçue{NBSP}: -1"),
    (lambda: PriorityConfig(target_share=0), "[priority] target_share doit être strictement supérieur à 0"),
    (lambda: PriorityConfig(class_bounds=(0.5, 0.3, 0.6)), "bornes hautes des classes A, B et C"),
    (lambda: ConsequenceConfig(pdd_workers=0), f"[consequence] pdd_workers=0{NBSP}; valeur attendue{NBSP}: un "
                                               "entier >= 1 (nombre de processus)"),
    (lambda: ConsequenceConfig(pressure_exponent=0), "(0,5 est la loi d’orifice habituelle)"),
    (lambda: RenewalConfig(min_rate_pct=100), f"[renewal] min_rate_pct=100{NBSP}; valeur attendue{NBSP}: un "
                                              "pourcentage d’au moins 0 et inférieur à 100"),
])
def test_bad_settings_are_refused_in_french(make, words):
    en, fr = _french(make)
    assert words in fr
    assert "must be" not in fr and "expected" not in fr and "got" not in fr


def test_a_risk_frame_unfit_for_renewal_is_refused_in_french():
    _, fr = _french(prepare_pipes, _risk().drop(columns="diameter_mm"))
    assert fr.startswith("il manque à la table des risques les colonnes ['diameter_mm'], nécessaires au plan de "
                         f"renouvellement{NBSP}; colonnes trouvées{NBSP}:")
    risk = _risk(1500).astype({"length_m": object})
    risk.loc[:1233, "length_m"] = "n/a"
    _, fr = _french(prepare_pipes, risk)
    assert f"la colonne 'length_m' de la table des risques a 1{NNBSP}234 valeurs vides ou non numériques" in fr
    assert f"(par exemple la conduite 'P0'){NBSP}; des nombres sont attendus" in fr
    risk = _risk()
    risk.loc[2, "length_m"] = None
    assert "a 1 valeur vide ou non numérique (par exemple la conduite 'P2')" in _french(prepare_pipes, risk)[1]
    _, fr = _french(prepare_pipes, pd.concat([_risk(2), _risk(1)], ignore_index=True))
    assert "valeurs de pipe_id en double (par exemple 'P0')" in fr and "duplicate" not in fr
    _, fr = _french(prepare_pipes, _risk(), config=RenewalConfig(objective="risk"))
    assert "[renewal] objective='risk' a besoin d’une colonne 'consequence' dans la table des risques" in fr


def test_the_rules_refuse_in_french():
    _, fr = _french(rule_plan, _risk(), "most_leaks_first")
    assert fr.startswith("la règle 'most_leaks_first' a besoin d’une colonne du nombre de fuites passées")
    _, fr = _french(rule_plan, _risk().assign(n_leaks=0), "most_leaks_first")
    assert f"n’a aucune fuite passée sur laquelle classer les conduites{NBSP}: l’historique des fuites est vide" in fr
    _, fr = _french(rule_plan, _risk(), "cheapest_first")
    assert fr == f"rule='cheapest_first'{NBSP}; valeur attendue{NBSP}: l’une des valeurs " \
                 "['oldest_first', 'most_leaks_first']"


def test_a_minimum_rate_beyond_the_budget_is_refused_in_french_figures():
    sites = pd.DataFrame({"site_id": [0, 1], "cost": [600_000.0, 900_000.0], "length_m": [6_000.0, 6_500.0]})
    _, fr = _french(check_min_rate, sites, budget=1_000_000.0, min_length_m=12_345.0, years=1)
    assert f"[renewal] min_rate_pct demande 12,3 km par an, ce qui coûte au moins 1{NNBSP}478{NNBSP}538{NNBSP}€ " \
           "par an" in fr
    assert f"le budget annuel est de 1{NNBSP}000{NNBSP}000{NNBSP}€. Augmentez annual_budget_eur" in fr
    assert "EUR" not in fr and "a year" not in fr


def test_the_consequence_stage_refuses_in_french():
    net = _network()
    _, fr = _french(check_valve_layer, pd.DataFrame({"link": ["p1", "p2"], "node": ["J2", "J9"]}), net)
    assert fr.startswith("2 vannes de la couche des vannes ne sont pas à une extrémité d’une conduite du réseau "
                         "(par exemple link 'p1' au nœud 'J2')")
    _, fr = _french(check_valve_layer, pd.DataFrame({"link": ["p1"], "node": ["J9"]}), net)
    assert fr.startswith("1 vanne de la couche des vannes n’est pas à une extrémité")
    _, fr = _french(check_valve_layer, pd.DataFrame({"pipe": ["p1"]}), net)
    assert "il manque à la couche des vannes les colonnes ['link', 'node']" in fr
    _, fr = _french(check_critical_nodes, net, ["J99"])
    assert f"[consequence] critical_nodes{NBSP}: ['J99'] ne sont pas des nœuds du réseau" in fr
    assert "de sa section [JUNCTIONS] (par exemple ['R', 'J1', 'J2'])" in fr
    risk = _risk(1300).assign(expected_leaks_per_year=0.1)
    consequence = pd.DataFrame({"pipe_id": ["P0"], "consequence": [1.0], "consequence_class": [1]})
    _, fr = _french(add_business_risk, risk, consequence)
    assert fr.startswith(f"1{NNBSP}299 conduites de la table des risques n’ont pas de conséquence (par exemple "
                         f"'P1'){NBSP}; évaluez les mêmes conduites")
    _, fr = _french(risk_matrix, risk)
    assert "pour la matrice des risques" in fr and "lancez d’abord les étapes du risque et de la conséquence" in fr
    assert not any(w in fr for w in ("lacks", "run the", "first"))


def test_every_french_message_of_these_stages_is_written_without_english_words():
    """The French of a few more refusals: no English word of its message left in it."""
    cases = [(RiskConfig, {"validation_years": 0}), (RiskConfig, {"lang": "de"}),
             (ConsequenceConfig, {"class_bounds": (0.1, 0.2)}), (RenewalConfig, {"budget_share_of_value": 2}),
             (RenewalConfig, {"horizon_years": 0})]
    english = {"must", "expected", "got", "increasing", "share", "whole", "number", "years"}
    for cls, kwargs in cases:
        en, fr = _french(cls, **kwargs)
        assert not english & set(fr.replace(",", " ").split()), fr

"""Sensor placement's input errors in French: the settings, the network, the candidate sites and the risk frame
refused by :mod:`leakopt.placement` carry their French (``fr=``), with French typography when shown."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _sensordata import hand_network

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.i18n import NBSP, NNBSP
from leakopt.placement import (
    CampaignConfig,
    CoverageConfig,
    PlacementConfig,
    PressureConfig,
    build_coverage,
    build_model,
    plan_campaign,
    segment_weights,
    summarize,
)
from leakopt.placement.access_points import add_sites
from leakopt.validate.messages import french_error

#: English words that would betray an untranslated sentence.
ENGLISH = ("expected ", " the ", " not ", " must ", " needs ", " has ", " give ", " cannot ")


def _french(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    fr = french_error(info.value)
    assert fr is not None, f"no French for: {info.value}"
    assert fr != str(info.value)
    for word in ENGLISH:
        assert word not in fr, (word, fr)
    return fr


@pytest.fixture(scope="module")
def line():
    """Three pipes in a row, A-B-C-D, 100 m each, every node a junction."""
    net = hand_network([("A", "B"), ("B", "C"), ("C", "D")])
    risk = pd.DataFrame({"pipe_id": ["P0", "P1", "P2"], "expected_leaks_per_year": [0.5, 0.2, 0.1],
                         "in_priority_zone": [True, False, False]})
    return net, risk, build_coverage(net, risk, candidates=["A", "B", "C", "D"])


def test_a_placement_setting_is_refused_in_french():
    fr = _french(PlacementConfig, target_share=1.5)
    assert fr == (f"[placement] target_share=1.5{NBSP}; valeur attendue{NBSP}: une part comprise entre 0 (exclu) et "
                  "1 (inclus)")
    assert "un nombre de prélocalisateurs >= 1" in _french(PlacementConfig, budget=0)
    assert "'share' ou 'zone'" in _french(PlacementConfig, cover="everything")
    assert "une durée > 0 en secondes, ou ne le réglez pas" in _french(PlacementConfig, time_limit_s=0)


def test_coverage_and_pressure_settings_are_refused_in_french():
    fr = _french(CoverageConfig, listening_range_m={"bamboo": 100.0})
    assert "donne des familles de matériaux inconnues ['bamboo']" in fr and f"familles connues{NBSP}:" in fr
    assert "une distance >= 0 en mètres (0 : prélocalisateurs sur les nœuds" in _french(
        CoverageConfig, access_point_spacing_m=-5).replace(NBSP, " ")
    assert "with_sites contient ['hydrant']" in _french(CoverageConfig, with_sites=("hydrant",))
    assert "un nombre entier de capteurs de pression >= 0" in _french(PressureConfig, n=-1)
    assert "'sensitivity' ou 'simulate'" in _french(PressureConfig, method="guess")


def test_campaign_settings_and_an_empty_scope_are_refused_in_french(line):
    assert f"[campaign] scope='town'{NBSP}; valeur attendue{NBSP}: 'zone' (la zone prioritaire)" in _french(
        CampaignConfig, scope="town")
    assert "un nombre de jours >= 1" in _french(CampaignConfig, deployment_days=0)
    _, risk, cov = line
    fr = _french(plan_campaign, cov, risk.assign(expected_leaks_per_year=0.0), scope="network")
    assert fr == f"aucune fuite attendue dans le périmètre de la campagne ('network'){NBSP}: rien à écouter"


def test_a_missing_network_and_unknown_candidates_are_named_in_french(line):
    net, risk, _ = line
    fr = _french(build_coverage, None, risk)
    assert fr.startswith("le placement des capteurs nécessite le réseau (un fichier EPANET .inp)")
    fr = _french(build_coverage, net, risk, candidates=["A", "Z9"])
    assert fr == (f"1 site candidat n’est pas un nœud du réseau, par exemple ['Z9']{NBSP}; donnez des identifiants "
                  "de nœuds du fichier .inp")
    fr = _french(build_coverage, net, risk, candidates=["Z8", "Z9"])
    assert fr.startswith("2 sites candidats ne sont pas des nœuds du réseau")
    fr = _french(build_coverage, net, risk, candidates=["A"], sites=pd.DataFrame())
    assert "pas les deux" in fr
    broken = type(net)(nodes=net.nodes, links=net.links.iloc[:0])
    assert "ne contient aucune conduite" in _french(build_coverage, broken, risk)


def test_sites_on_unknown_pipes_are_counted_in_french(line):
    net, _, _ = line
    sites = pd.DataFrame({"site_id": ["H1", "H2"], "pipe_id": ["P9", "P8"], "offset_m": [10.0, 20.0],
                          "snap_x": [0.0, 1.0], "snap_y": [0.0, 0.0]})
    fr = _french(add_sites, net, sites)
    assert fr == "2 sites sont sur des conduites absentes du réseau, par exemple ['P9', 'P8']"
    fr = _french(add_sites, net, sites.assign(pipe_id="P0", offset_m=[10.0, 500.0]))
    assert fr.startswith("1 site a une position (offset_m) au-delà de l’extrémité de sa conduite")


def test_bad_risk_columns_are_refused_in_french(line):
    _, risk, cov = line
    fr = _french(segment_weights, cov, risk.assign(expected_leaks_per_year=[0.5, -0.25, 0.1]))
    assert f"a des valeurs négatives, par exemple -0,25{NBSP};" in fr
    fr = _french(segment_weights, cov, risk.drop(columns="pipe_id"))
    assert fr.startswith("la table des risques n’a pas la colonne 'expected_leaks_per_year' ou la colonne 'pipe_id'")


def test_a_share_out_of_reach_and_model_misuse_are_explained_in_french():
    # two separate pipes; only A-B has a candidate site, so at most part of the expected leaks is heard
    net = hand_network([("A", "B"), ("C", "D")], {"A": (0, 0), "B": (100, 0), "C": (5000, 0), "D": (5100, 0)})
    risk = pd.DataFrame({"pipe_id": ["P0", "P1"], "expected_leaks_per_year": [0.3, 0.1]})
    cov = build_coverage(net, risk, candidates=["A"])
    w = segment_weights(cov, risk)
    fr = _french(build_model, cov, w, target_share=0.9)
    assert fr.startswith("la part visée target_share=0.9 ne peut pas être atteinte")
    assert f"au plus 75,0{NNBSP}% des fuites attendues" in fr and "baissez la cible" in fr
    assert _french(build_model, cov, w, target_share=0.5, budget=2) == "donnez target_share ou budget, pas les deux"
    assert "les sites imposés ['X', 'Y'] ne sont pas des sites candidats" == _french(
        build_model, cov, w, budget=1, required=["X", "Y"])
    model = build_model(cov, w, budget=1)
    assert _french(summarize, model).startswith(f"summarize() nécessite un modèle résolu{NBSP}: appelez d’abord")
    share = build_model(cov, w, target_share=0.5)
    assert "modèle à budget" in _french(share.set_budget, 2)
    assert _french(build_model, cov, np.ones(3), budget=1).startswith("weights a la forme (3,)")


def test_a_french_command_prints_a_bad_placement_setting_in_french(tmp_path, capsys):
    # the configuration is refused before the network is read: a two-node network is enough
    inp = tmp_path / "n.inp"
    inp.write_text("[JUNCTIONS]\nJ1 0 1\nJ2 0 1\n[PIPES]\nP1 J1 J2 100 150 100\n[COORDINATES]\nJ1 0 0\n"
                   "J2 100 0\n[END]\n", encoding="utf-8")
    risk = tmp_path / "risk.csv"
    risk.write_text("pipe_id,expected_leaks_per_year,in_priority_zone\nP1,0.2,True\n", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[placement]\ncover = "everything"\n', encoding="utf-8")
    args = ["-q", "sensors", "--network", str(inp), "--risk", str(risk), "--config", str(cfg),
            "--out", str(tmp_path / "o")]
    assert main(args + ["--lang", "fr"]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert f"cover='everything'{NBSP}; valeur attendue{NBSP}: 'share' ou 'zone'" in err
    assert "expected" not in err
    assert main(args) == 2
    assert "expected 'share' or 'zone'" in capsys.readouterr().err

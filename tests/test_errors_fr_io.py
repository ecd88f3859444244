"""Input errors in French of the readers (leakopt.io), the data checks (leakopt.validate), the report, the app's
data, the pooled (distributed) path and the solvers: each carries its French, printed by a command answering in
French with French typography, and no English sentence left in it."""
from __future__ import annotations

import pandas as pd
import pytest

from leakopt.cli import _handlers, main
from leakopt.errors import InputError
from leakopt.i18n import NBSP, FrenchLog
from leakopt.validate.messages import french_error


@pytest.fixture(autouse=True)
def no_french_log_left():
    """Take off the handlers the French log filter a French command leaves on them (leakopt.cli.main does not
    remove it), so that the tests run after these see their log in English."""
    yield
    for handler in _handlers():
        for f in [f for f in handler.filters if isinstance(f, FrenchLog)]:
            handler.removeFilter(f)


def french_of(call, *args, **kwargs) -> str:
    """The French of the InputError ``call(*args, **kwargs)`` raises (which must have one)."""
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    fr = french_error(info.value)
    assert fr, f"no French for: {info.value}"
    assert fr != str(info.value)
    return fr


def french_command(capsys, args) -> str:
    """What ``leakopt ... --lang fr`` prints on stderr for a bad input (exit code 2), lines joined."""
    assert main(["--quiet", *args, "--lang", "fr"]) == 2
    err = " ".join(capsys.readouterr().err.split("\n"))
    assert f"leakopt{NBSP}: entrée inutilisable{NBSP}: " in err
    return err


@pytest.fixture
def files(tmp_path):
    """A two-pipe register and a one-leak history."""
    pd.DataFrame({"pipe_id": ["a", "b"], "material": ["pvc", "pvc"], "diameter_mm": [100, 100],
                  "install_year": [1990, 1990], "length_m": [10.0, 10.0]}).to_csv(tmp_path / "p.csv", index=False)
    pd.DataFrame({"pipe_id": ["a"], "date": ["2019-05-01"]}).to_csv(tmp_path / "l.csv", index=False)
    return tmp_path


def check_args(folder, *more):
    return ["check", "--pipes", str(folder / "p.csv"), "--leaks", str(folder / "l.csv"), *more]


# --- through the command line -------------------------------------------------------------------

def test_report_of_a_missing_run_folder(tmp_path, capsys):
    err = french_command(capsys, ["report", str(tmp_path / "absent")])
    assert f"le dossier d’analyse {tmp_path / 'absent'} n’existe pas{NBSP}; donnez le dossier --out" in err
    assert f"«{NBSP}leakopt run{NBSP}»" in err
    assert "does not exist" not in err


def test_a_configuration_mapping_a_column_the_file_lacks(files, capsys):
    (files / "c.toml").write_text('[columns]\npipe_id = "ID"\n', encoding="utf-8")
    err = french_command(capsys, check_args(files, "--config", str(files / "c.toml")))
    assert "la table [columns] de la configuration fait correspondre pipe_id à la colonne 'ID'" in err
    assert f"absente du fichier{NBSP}; colonnes trouvées{NBSP}: pipe_id, material" in err
    assert "Corrigez le nom dans [columns]" in err
    assert "which is not in the file" not in err


@pytest.mark.parametrize("keep, missing_fr", [
    (["x", "y", "conduite", "jour"], "colonne obligatoire date introuvable"),
    (["jour"], "colonnes obligatoires date, pipe_id introuvables")])
def test_a_leak_file_without_its_required_columns(files, capsys, keep, missing_fr):
    frame = pd.DataFrame({"conduite": ["a"], "jour": ["2019-05-01"], "x": [1.0], "y": [2.0]})
    frame[keep].to_csv(files / "l.csv", index=False)
    err = french_command(capsys, check_args(files))
    assert (f"{missing_fr} (une fuite doit avoir une date, et un pipe_id ou des coordonnées x et "
            f"y){NBSP}; colonnes trouvées{NBSP}: ") in err
    assert "dans la table [leak_columns] d’un fichier de configuration" in err
    assert "a leak needs" not in err and "not found" not in err and "map it" not in err


def test_a_leak_files_missing_columns_are_said_as_the_templates_say_them(tmp_path):
    from leakopt.io import missing_columns_error
    from leakopt.validate.messages import missing_column_params, render
    frame = pd.DataFrame({"conduite": ["a"], "jour": ["2019-05-01"], "x": [1.0], "y": [2.0], "materiau": ["PVC"],
                          "diametre": [100], "longueur": [10.5], **{f"c{i}": [0] for i in range(20)}})
    why_fr = " (une raison : la voici)"
    for missing, optional, table in ((["date"], ["pipe_id"], "leak_columns"), (["date", "pipe_id"], [], "leak_columns"),
                                     (["material"], ["diameter_mm"], "columns"),
                                     (["material"], ["diameter_mm", "length_m"], "columns")):
        exc = missing_columns_error("l.csv", missing, frame, table=table, why=" (a reason)", why_fr=why_fr,
                                    optional=optional, known_ids=["a"])
        assert exc.guesses   # the French of the guesses, their notes and "et" are compared too
        expected = render("missing_column", "fr", missing_column_params(exc, "l.csv", why=why_fr))
        assert french_error(exc) == expected.replace(" :", f"{NBSP}:")
        assert exc.why_phrase == why_fr


def test_a_configuration_misspelling_a_leakopt_column_name(files, capsys):
    (files / "c.toml").write_text('[columns]\npipeid = "pipe_id"\n', encoding="utf-8")
    err = french_command(capsys, check_args(files, "--config", str(files / "c.toml")))
    assert f'vouliez-vous dire pipe_id = "pipe_id"{NBSP}? Chaque ligne s’écrit nom leakopt = votre colonne' in err
    assert "did you mean" not in err and "which is not one of" not in err


def _wntr_fails(error):
    def read_wntr(path):
        raise error
    return read_wntr


@pytest.mark.parametrize("error, expected", [
    (KeyError("bad junction value, at line 3"),
     f"n’a pas pu être lu par WNTR à la ligne 3 ('J1 abc'){NBSP}: bad junction value. Corrigez cette ligne (le "
     "manuel d’EPANET donne le format de chaque section) et relancez."),
    (KeyError("factor"), f"n’a pas de section [OPTIONS]{NBSP}: EPANET prend alors les unités américaines (GPM)"),
])
def test_a_network_file_wntr_cannot_read(files, capsys, monkeypatch, error, expected):
    # WNTR's own failure stood in for (importing WNTR takes seconds): the message around its reason is French
    monkeypatch.setattr("leakopt.io.epanet.read_wntr", _wntr_fails(error))
    (files / "n.inp").write_text("[TITLE]\nx\nJ1 abc\n[END]\n", encoding="utf-8")
    err = french_command(capsys, check_args(files, "--network", str(files / "n.inp")))
    assert f"le fichier du réseau {files / 'n.inp'} {expected}" in err
    assert "could not be read by WNTR" not in err and "run again" not in err and "has no [OPTIONS]" not in err


def test_a_leak_history_none_of_which_can_be_used(files, capsys):
    pd.DataFrame({"pipe_id": ["zz"], "date": ["2019-05-01"]}).to_csv(files / "l.csv", index=False)
    err = french_command(capsys, ["run", "--pipes", str(files / "p.csv"), "--leaks", str(files / "l.csv"),
                                  "--out", str(files / "out")])
    assert f"sa seule ligne de fuite ne peut pas servir à l’apprentissage{NBSP}: 1 ligne portant un pipe_id " \
           "absent de l’inventaire" in err
    assert "none of its" not in err and "naming a pipe_id" not in err


def test_strict_validation_refuses_in_french(files, capsys):
    pd.DataFrame({"pipe_id": ["a", "b"], "material": ["bamboo", "pvc"], "diameter_mm": [100, 100],
                  "install_year": [1990, 1990], "length_m": [10.0, 10.0]}).to_csv(files / "p.csv", index=False)
    (files / "c.toml").write_text("[validate]\nstrict = true\n", encoding="utf-8")
    err = french_command(capsys, check_args(files, "--config", str(files / "c.toml")))
    assert "la validation stricte a refusé les données (" in err
    assert f"material_unrecognised (1){NBSP}: 1 conduite a un code matériau non reconnu" in err
    assert "Corrigez les données, ou réglez strict = false dans [validate]" in err
    assert "strict validation refused" not in err and "Fix the data" not in err


def test_a_register_without_rows_fails_its_check_in_french(files, capsys):
    (files / "p.csv").write_text("pipe_id,material,diameter_mm,install_year,length_m\n", encoding="utf-8")
    err = french_command(capsys, check_args(files))
    assert f"ne contient aucune ligne de conduite{NBSP}; donnez l’inventaire des conduites" in err
    assert "holds no pipe rows" not in err


# --- through the package -------------------------------------------------------------------------

@pytest.mark.parametrize("what, file_fr", [("sites", "le fichier des sites"), ("valves", "le fichier des vannes")])
def test_a_point_file_that_does_not_exist(tmp_path, what, file_fr):
    from leakopt.io import read_points
    fr = french_of(read_points, tmp_path / "none.csv", what=what)
    assert fr == f"{file_fr} {tmp_path / 'none.csv'} n’existe pas{NBSP}; donnez un CSV avec x, y ou une couche SIG " \
                 "de points"


def test_a_point_csv_without_coordinates(tmp_path):
    from leakopt.io import read_points
    (tmp_path / "s.csv").write_text("site_id,kind\nH1,hydrant\n", encoding="utf-8")
    fr = french_of(read_points, tmp_path / "s.csv")
    assert fr.startswith(f"il manque au fichier des sites {tmp_path / 's.csv'} les colonnes ['x', 'y'] (colonnes "
                         f"trouvées{NBSP}: ['site_id', 'kind']){NBSP}; un CSV de sites doit avoir x et y")
    assert "lacks column" not in fr


def test_a_coordinate_system_pyproj_does_not_know():
    from leakopt.io import check_crs
    fr = french_of(check_crs, "EPSG:99999999", name="--crs")
    assert fr.startswith("--crs 'EPSG:99999999' n’est pas un système de coordonnées que pyproj connaît (")
    assert f"{NBSP}; donnez un code EPSG comme EPSG:2154 (Lambert-93)" in fr
    assert "give an EPSG" not in fr


def test_an_as_of_date_that_is_not_a_date():
    from leakopt.validate.leaks import resolve_as_of
    fr = french_of(resolve_as_of, "le 3 mars", pd.DataFrame(), None)
    assert fr == f"la date de prévision 'le 3 mars' n’est pas une date{NBSP}; donnez-la au format AAAA-MM-JJ"


def test_a_leak_history_covering_no_complete_year_is_the_templates_french():
    from leakopt.validate import no_complete_year_error
    leaks = pd.DataFrame({"date": pd.to_datetime(["2023-03-01", "2023-06-01"])})
    exc = no_complete_year_error(leaks, "2023-09-01", 2023, "l.csv")
    fr = french_error(exc)
    assert fr.startswith(f"l.csv{NBSP}: l’historique des fuites antérieur à la date de prévision")
    assert "ne couvre aucune année complète" in fr and "covers no complete year" not in fr
    assert NBSP + NBSP not in fr   # the template's typography is not doubled


def test_the_no_usable_leak_errors_name_each_reason_in_french():
    from leakopt.validate import no_usable_leak_error
    fr = french_error(no_usable_leak_error({"leaks_read": 1234, "as_of": "2020-01-01",
                                            "leaks_excluded": {"unknown_pipe": 1, "after_as_of": 1233}},
                                           "the leak file"))
    assert fr.startswith(f"le fichier des fuites{NBSP}: aucune de ses 1\u202f234 lignes de fuite ne peut servir")
    assert "1\u202f233 lignes d’une date égale ou postérieure à la date de prévision 2020-01-01" in fr
    assert f"{NBSP}; 1 ligne portant un pipe_id absent" in fr
    empty = french_error(no_usable_leak_error({"leaks_read": 0}, "l.csv"))
    assert empty.startswith(f"l.csv ne contient aucune fuite{NBSP}: le modèle de risque apprend")
    assert "holds no leak" not in empty


def test_a_snapping_distance_that_is_not_positive():
    from leakopt.validate import snap_sites
    fr = french_of(snap_sites, pd.DataFrame(), None, max_distance_m=0, what="valve")
    assert fr == f"distance de rattachement des vannes 0{NBSP}; attendu{NBSP}: un nombre de mètres > 0"


def test_the_pooled_data_of_no_utility(tmp_path):
    from leakopt.io import read_meta, read_utility
    fr = french_of(read_meta, tmp_path)
    assert fr.startswith(f"le dossier de données mutualisées {tmp_path} ne contient aucun service")
    fr = french_of(read_utility, tmp_path, "U0001")
    assert fr.startswith(f"le service 'U0001' n’est pas dans les données mutualisées de {tmp_path}")
    assert "is not in the pooled data" not in fr


def test_report_settings_and_a_risk_file_without_its_columns(tmp_path):
    from leakopt.report import ReportConfig, load_run
    assert french_of(ReportConfig, max_issues=0) == f"[report] max_issues=0{NBSP}; attendu{NBSP}: un nombre entier ≥ 1"
    fr = french_of(load_run, tmp_path)
    assert fr.startswith(f"le dossier d’analyse {tmp_path} n’a pas de risk.csv{NBSP}; le rapport demande")
    (tmp_path / "risk.csv").write_text("pipe_id,score\na,1\n", encoding="utf-8")
    fr = french_of(load_run, tmp_path)
    assert fr == f"il manque à {tmp_path / 'risk.csv'} les colonnes ['expected_leaks_per_year']{NBSP}; ce doit être " \
                 "un risk.csv écrit par leakopt"


def test_an_uploaded_model_that_is_not_two_files():
    from leakopt.app.data import save_model
    fr = french_of(save_model, {"model.txt": b"trees"})
    assert fr.startswith(f"un modèle tient en deux fichiers, un de chaque{NBSP}: ses arbres (model.txt)")
    assert fr.endswith(f"reçu{NBSP}: model.txt")
    assert "one of each" not in fr


def test_solver_arguments():
    from leakopt.optimize import SparseMip, resolve_solver, solve_problem
    assert french_of(resolve_solver, "gurobi").startswith(f"solver='gurobi' est inconnu{NBSP}; attendu{NBSP}: l’un de")
    assert french_of(SparseMip, sense="up") == f"sense='up'{NBSP}; attendu{NBSP}: 'min' ou 'max'"
    assert french_of(solve_problem, None, time_limit_s=0) == \
        f"time_limit_s=0{NBSP}; attendu{NBSP}: un nombre de secondes positif, ou None"
    assert french_of(solve_problem, None, mip_gap=-1) == \
        f"mip_gap=-1{NBSP}; attendu{NBSP}: un écart relatif ≥ 0, ou None"


def test_the_distributed_path_arguments():
    from leakopt.distributed.search import early_stopping_round
    from leakopt.distributed.train import _network_params
    assert french_of(early_stopping_round, [], 5) == f"early_stopping_round{NBSP}: la courbe de validation est vide"
    fr = french_of(_network_params, {"port": 1})
    assert fr.startswith(f"network_params{NBSP}: clés inconnues ['port']{NBSP}; attendu{NBSP}: certaines de")


def test_the_operating_systems_reason_is_given_in_french(tmp_path):
    # "[Errno 21] Is a directory" inside the French: the common reasons have their French
    from leakopt.io import read_pipes
    from leakopt.pipeline.stages import make_out_dir
    with pytest.raises(InputError) as info:
        read_pipes(tmp_path)                               # a folder given for the register
    assert "Is a directory" in str(info.value)
    assert french_error(info.value) == f"impossible de lire {tmp_path}{NBSP}: c’est un dossier, pas un fichier"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as info:
        make_out_dir(tmp_path / "file" / "out")            # a file where a folder of the path goes
    assert "un élément du chemin est un fichier, pas un dossier" in french_error(info.value)
    assert "Not a directory" in str(info.value)


def test_pandas_reasons_for_refusing_a_csv_are_given_in_french(tmp_path):
    from leakopt.io import read_pipes
    path = tmp_path / "pipes.csv"
    path.write_text("pipe_id,material,diameter_mm,install_year,length_m\nP1,CI,100,1960,50\nP2,PVC,100,1980,40,x\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_pipes(path)
    assert "Expected 5 fields in line 3, saw 6" in str(info.value)          # the English as pandas says it
    assert f"(la ligne 3 a 6 champs au lieu de 5{NBSP}: un séparateur en trop" in french_error(info.value)
    path.write_text('pipe_id,material\n"P1,CI\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_pipes(path)
    assert "(un guillemet ouvert n’est jamais refermé)" in french_error(info.value)
    assert "C error" not in french_error(info.value)


@pytest.mark.parametrize("what, french", [("valve", "v.csv ne contient aucune vanne"),
                                          ("site", "v.csv ne contient aucun site")])
def test_a_points_file_with_its_header_only_agrees_in_gender(what, french):
    import pandas as pd

    from leakopt.pipeline.stages import _none_usable
    from leakopt.validate import ValidationReport
    with pytest.raises(InputError) as info:
        _none_usable(pd.DataFrame(), ValidationReport(), "v.csv", what=what)
    assert french_error(info.value).startswith(french)

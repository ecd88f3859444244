"""The French of the input errors of the configuration, the command line, the pipeline's file checks, the
synthetic utility and the language check: each said in French, with French typography, the English unchanged."""
from __future__ import annotations

import pytest

from leakopt.cli import main
from leakopt.config import config_from_dict, load_config, with_columns
from leakopt.errors import InputError
from leakopt.i18n import NBSP, NNBSP, check_lang, french_spacing
from leakopt.pipeline import read_risk
from leakopt.pipeline.stages import make_out_dir
from leakopt.synth import SynthConfig, synthesize
from leakopt.synth.layout import choose_layout
from leakopt.validate.messages import french_error


def _french(call) -> tuple[str, str]:
    """The English and the French of the InputError ``call()`` raises."""
    with pytest.raises(InputError) as info:
        call()
    french = french_error(info.value)
    assert french, f"no French for: {info.value}"
    return str(info.value), french


def _cli_fr(args, capsys) -> str:
    """What ``leakopt ... --lang fr`` prints on stderr (exit code 2), on one line."""
    assert main(["--quiet", *args, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"leakopt{NBSP}: entrée inutilisable{NBSP}: ")
    return err.replace("\n", " ")   # the paragraph's line breaks were spaces


# --- the configuration file --------------------------------------------------------------------

def test_a_missing_configuration_file(tmp_path):
    en, fr = _french(lambda: load_config(tmp_path / "nope.toml"))
    assert en.endswith("nope.toml does not exist; give the path of a .toml file")
    assert fr == f"le fichier de configuration {tmp_path / 'nope.toml'} n’existe pas{NBSP}; donnez le chemin d’un " \
                 "fichier .toml"


def test_an_unknown_table_with_its_likely_name():
    en, fr = _french(lambda: config_from_dict({"rsk": {}}, path="cfg.toml"))
    assert en.startswith("unknown table(s) ['rsk'] in cfg.toml; did you mean [risk] for [rsk]?")
    assert fr.startswith(f"table(s) inconnue(s) ['rsk'] dans cfg.toml{NBSP}; vouliez-vous dire [risk] au lieu de "
                         f"[rsk]{NBSP}? tables acceptées{NBSP}: [")
    assert "did you mean" not in fr


def test_an_unknown_key_and_a_key_of_another_table():
    _, fr = _french(lambda: config_from_dict({"risk": {"num_leaf": 3}}))
    assert fr.startswith(f"clé(s) inconnue(s) ['num_leaf'] dans la table [risk] de la configuration{NBSP}; "
                         f"vouliez-vous dire 'num_leaves' au lieu de 'num_leaf'{NBSP}? clés acceptées{NBSP}:")
    _, fr = _french(lambda: config_from_dict({"risk": {"leak_types": ["a"]}}, path="c.toml"))
    assert f"'leak_types' est un réglage de [validate]{NBSP}: déplacez-le dans cette table." in fr
    assert "the configuration" not in fr and "move it" not in fr


def test_a_number_written_with_a_decimal_comma():
    en, fr = _french(lambda: config_from_dict({"risk": {"learning_rate": "0,1"}}, path="c.toml"))
    assert en == ('invalid value in [risk] of c.toml: learning_rate = "0,1" is not a number; write it without '
                  'quotes, with a decimal point: learning_rate = 0.1')
    assert fr == (f'valeur invalide dans la table [risk] de c.toml{NBSP}: learning_rate = "0,1" n’est pas un '
                  f'nombre{NBSP}; écrivez-la sans guillemets, avec un point décimal{NBSP}: learning_rate = 0.1')


@pytest.mark.parametrize("table, words", [
    ({"risk": {"use_hydraulics": "yes"}}, "n’est ni true ni false"),
    ({"risk": {"extra_features": 3}}, "n’est pas une liste de textes"),
    ({"risk": {"n_estimators": 2.5}}, "donnez un nombre entier, par exemple n_estimators = 2"),
    ({"risk": {"prior_rates": 3}}, "n’est pas une table de noms et de valeurs"),
])
def test_a_value_of_the_wrong_kind(table, words):
    en, fr = _french(lambda: config_from_dict(table))
    assert en.startswith("invalid value in [risk] of the configuration: ")
    assert fr.startswith(f"valeur invalide dans la table [risk] de la configuration{NBSP}: ")
    assert words in fr
    assert "is not" not in fr


def test_a_column_table_that_does_not_map_names():
    en, fr = _french(lambda: config_from_dict({"columns": {"pipe_id": 3}}, path="c.toml"))
    assert en.startswith("[columns] in c.toml must map contract names")
    assert fr.startswith("la table [columns] de c.toml doit faire correspondre aux noms de colonnes qu’attend leakopt")


def test_adding_columns_a_configuration_already_maps():
    _, fr = _french(lambda: with_columns('[columns]\npipe_id = "A"\n', "columns", {"pipe_id": "B"}))
    assert fr == f"la table [columns] de la configuration fait déjà correspondre ['pipe_id']{NBSP}; modifiez-les " \
                 "dans cette table"


# --- the command line ------------------------------------------------------------------------------

def test_run_without_leaks_in_french(tmp_path, capsys):
    err = _cli_fr(["run", "--pipes", str(tmp_path / "p.csv"), "--out", str(tmp_path / "out")], capsys)
    assert "la commande run demande --leaks L, l’historique des fuites et des casses" in err
    assert "run needs" not in err


def test_sensors_options_of_the_other_kind_in_french(tmp_path, capsys):
    base = ["sensors", "--network", str(tmp_path / "n.inp"), "--risk", str(tmp_path / "risk.csv"),
            "--out", str(tmp_path / "out")]
    err = _cli_fr([*base, "--n", "3"], capsys)
    assert f"--n 3 compte des capteurs de pression (--kind pressure){NBSP}; pour des prélocalisateurs " \
           "acoustiques, donnez --budget 3" in err
    err = _cli_fr([*base, "--kind", "pressure", "--target-share", "0.5"], capsys)
    assert "--target-share 0.5 s’applique aux prélocalisateurs acoustiques, pas à --kind pressure" in err
    err = _cli_fr([*base, "--kind", "pressure", "--budget", "4", "--n", "3"], capsys)
    assert f"--budget 4 et --n 3 ne concordent pas{NBSP}; donnez le nombre de capteurs de pression une seule" in err
    assert "disagree" not in err and "applies to" not in err


def test_a_bad_configuration_value_on_the_command_line_in_french(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_text('[risk]\nlearning_rate = "0,1"\n', encoding="utf-8")
    err = _cli_fr(["run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"), "--config",
                   str(config), "--out", str(tmp_path / "out")], capsys)
    assert f"n’est pas un nombre{NBSP}; écrivez-la sans guillemets" in err
    assert "invalid value" not in err


# --- the pipeline's files ----------------------------------------------------------------------

def test_a_missing_risk_file(tmp_path):
    en, fr = _french(lambda: read_risk(tmp_path / "risk.csv"))
    assert "does not exist; run 'leakopt run ... --out DIR' first" in en
    assert fr == (f"le fichier de risque {tmp_path / 'risk.csv'} n’existe pas{NBSP}; lancez d’abord "
                  f"«{NBSP}leakopt run ... --out DOSSIER{NBSP}» et passez DOSSIER/risk.csv")


def test_a_risk_file_without_its_columns_or_its_pipes(tmp_path):
    path = tmp_path / "risk.csv"
    path.write_text("pipe_id,score\nP1,0.2\n", encoding="utf-8")
    _, fr = _french(lambda: read_risk(path))
    assert fr.startswith(f"il manque au fichier de risque {path} les colonnes ['expected_leaks_per_year']{NBSP};")
    assert f"(colonnes trouvées{NBSP}: ['pipe_id', 'score'])" in fr
    path.write_text("pipe_id,expected_leaks_per_year\n", encoding="utf-8")
    _, fr = _french(lambda: read_risk(path))
    assert fr == f"le fichier de risque {path} a sa ligne d’en-tête mais aucune conduite{NBSP}: passez le risk.csv " \
                 f"d’un «{NBSP}leakopt run{NBSP}»"


def test_risk_rows_without_a_usable_value_are_counted_in_french(tmp_path):
    path = tmp_path / "risk.csv"
    path.write_text("pipe_id,expected_leaks_per_year\nP1,0.2\nP2,n/a\nP3,0.1\n", encoding="utf-8")
    en, fr = _french(lambda: read_risk(path))
    assert "1 of its 3 rows has no usable expected_leaks_per_year (line 3: 'n/a')" in en
    assert f"1 ligne sur 3 n’a pas de valeur expected_leaks_per_year utilisable (ligne 3{NBSP}: 'n/a')" in fr
    rows = "".join(f"P{i},-1\n" for i in range(1200))
    path.write_text("pipe_id,expected_leaks_per_year\n" + rows, encoding="utf-8")
    _, fr = _french(lambda: read_risk(path))
    assert f"1{NNBSP}200 lignes sur 1{NNBSP}200 n’ont pas de valeur" in fr
    assert "(ligne 2" in fr and "line" not in fr


def test_pipes_on_several_risk_rows_in_french(tmp_path):
    path = tmp_path / "risk.csv"
    path.write_text("pipe_id,expected_leaks_per_year\nP1,0.2\nP1,0.3\nP2,0.1\n", encoding="utf-8")
    _, fr = _french(lambda: read_risk(path))
    assert fr == (f"fichier de risque {path}{NBSP}: 1 identifiant de conduite figure sur plusieurs lignes (par "
                  f"exemple ['P1'], 2 lignes en tout){NBSP}; un fichier de risque a une ligne par conduite{NBSP}: "
                  "n’en gardez qu’une pour chacune")


def test_an_output_path_that_is_a_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("x", encoding="utf-8")
    en, fr = _french(lambda: make_out_dir(path))
    assert en.startswith(f"output path {path} exists and is not a folder")
    assert fr.startswith(f"le chemin de sortie {path} existe et n’est pas un dossier{NBSP}; donnez avec --out")
    _, fr = _french(lambda: make_out_dir(None))
    assert fr == f"aucun dossier de sortie n’est donné{NBSP}; passez --out DOSSIER"


# --- the synthetic utility, the language ---------------------------------------------------------

def test_synthetic_utility_settings_in_french():
    _, fr = _french(lambda: SynthConfig(hazard="bogus"))
    assert fr.startswith("SynthConfig.hazard doit valoir l’une des valeurs (")
    assert fr.endswith(f"{NBSP}; reçu 'bogus'")
    _, fr = _french(lambda: SynthConfig(base_rate_per_100km={"lead": 1.0}))
    assert "a des familles de matériaux inconnues ['lead']" in fr
    _, fr = _french(lambda: SynthConfig(infant_years=0))
    assert fr == f"SynthConfig.infant_years doit être > 0{NBSP}; reçu 0"
    _, fr = _french(lambda: synthesize(5))
    assert fr == f"n_pipes doit être un entier >= 20{NBSP}; reçu 5"


def test_synthetic_layouts_in_french():
    _, fr = _french(lambda: choose_layout(100, "nowhere"))
    assert fr.startswith(f"le tracé 'nowhere' est inconnu{NBSP}; tracés possibles{NBSP}: (")
    _, fr = _french(lambda: choose_layout(100, "net6"))
    assert fr == (f"le tracé 'net6' compte 3{NNBSP}829 conduites, plus que n_pipes=100{NBSP}; demandez au moins "
                  "autant de conduites ou prenez layout='procedural'")


def test_an_unsupported_language_in_french():
    en, fr = _french(lambda: check_lang("de"))
    assert en == "language 'de' is not supported; expected one of ['en', 'fr']"
    assert fr == f"la langue 'de' n’est pas prise en charge{NBSP}; langues possibles{NBSP}: ['en', 'fr']"


def test_a_configuration_named_in_both_languages_is_named_in_french():
    from leakopt.validate.messages import Localized
    suggested = Localized("the suggested configuration", fr="la configuration suggérée")
    en, fr = _french(lambda: config_from_dict({"risk": {"num_leaves": "x"}}, path=suggested))
    assert "invalid value in [risk] of the suggested configuration" in en
    assert "dans la table [risk] de la configuration suggérée" in fr and "suggested" not in fr


@pytest.mark.parametrize("text, french", [
    ("[columns\npipe_id = 1", "il manque « ] » à la fin du nom de table (ligne 1, colonne 9)"),
    ('[coverage]\nsites = "C:\\data\\sites.csv"\n', "« \\ » non doublé dans un texte (écrivez « \\\\ », ou le chemin "
                                                    "entre apostrophes) (ligne 2, colonne 14)"),
    ("[risk]\nlearning_rate = 0,05\n", "texte en trop après la valeur (une virgule décimale, ou un texte sans "
                                       "guillemets ?) (ligne 2, colonne 18)"),
    ("[risk]\nseed = 1979-02-30\n", "date illisible (attendu : AAAA-MM-JJ) (ligne 2, colonne 8)"),
    ('[risk]\nlang = "fr\n', "texte non refermé avant la fin de la ligne (il manque le guillemet de fin) "
                                 "(ligne 2, colonne 11)"),
    ("[risk.]\n", "« Invalid initial character for a key part » (ligne 1, colonne 7)"),   # no French: quoted
])
def test_a_toml_error_says_where_and_why_in_french(tmp_path, text, french):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    en, fr = _french(lambda: load_config(path))
    assert "is not valid TOML" in en
    assert fr == f"le fichier de configuration {path} n’est pas un TOML valide{NBSP}: " + french_spacing(french)

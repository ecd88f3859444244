"""The summary the terminal prints after a run (leakopt.pipeline.summary), in English and French."""
import io
import re
import string
import sys

import pytest

from leakopt.pipeline.summary import TEXTS, consequence_line, placement_line, pressure_line, renewal_line, solver_note

#: Words of the English summary that a French one must not keep.
ENGLISH = ("Network", "Priority zone", "Loggers", "hear", "expected leaks", "Renewal plan", "Data checks",
           "Outputs in", "Consequence of failure", "Risk matrix", "Backtest", "Not proven optimal", " vs ")


def _fields(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_sentence_has_both_languages_with_the_same_fields(key):
    entry = TEXTS[key]
    assert set(entry) == {"en", "fr"} and entry["fr"] != entry["en"]
    assert _fields(entry["en"]) == _fields(entry["fr"]), key


PLACEMENTS = {
    "share": {"n_sensors": 460, "covered_risk_share": 0.8, "model": "share", "target_share": 0.8,
              "reduction_factor": 6.15, "n_sensors_full_network": 2830, "status": "optimal"},
    "zone": {"n_sensors": 120, "covered_risk_share": 0.512, "model": "zone", "n_sites_read": 1500,
             "n_sites_used": 1432, "n_sites_too_far": 68},
    "budget": {"n_sensors": 40, "covered_risk_share": 0.3, "model": "budget", "budget": 50,
               "n_pipes_not_in_risk": 12},
    "cover": {"n_sensors": 80, "covered_risk_share": 0.71, "model": "cover", "target_share": 0.9,
              "redundancy": 2, "redundant_risk_share": 0.4},
}


def test_every_reason_a_leak_is_left_out_has_its_words_in_both_languages():
    # "Leaks left out: ..., 93 on pipe not kept" was the code itself, in French too
    from leakopt.validate.leaks import _EXCLUSION_HINTS
    missing = sorted(code for code in _EXCLUSION_HINTS if f"ck_reason_{code}" not in TEXTS)
    assert not missing, missing


@pytest.mark.parametrize("model", sorted(PLACEMENTS))
def test_the_logger_sentence_in_french_has_no_english_left(model):
    fr = placement_line(PLACEMENTS[model], lang="fr")
    assert fr.startswith("Prélocalisateurs\u00a0: ") and fr.endswith(".")
    assert not [w for w in ENGLISH if w in fr], fr
    assert not re.search(r"\d\.\d", fr) and re.search(r"\d,\d", fr), fr   # decimal commas, not points
    assert placement_line(PLACEMENTS[model]).startswith("Loggers: ")      # English stays the default


def test_the_other_sentences_in_french():
    renewal = {"years": 5, "leaks_avoided": 56.6, "risk_avoided": 80.6, "objective": "leaks",
               "rules": {"oldest_first": {"ratio": 10.01}, "most_leaks_first": {"ratio": 1.37}},
               "method": "year_by_year"}
    assert renewal_line(renewal, lang="fr") == (
        "Plan de renouvellement (selon les fuites attendues)\u00a0: 5 ans, 56,6 fuites attendues évitées, 80,6 "
        "points de risque métier (fuites pondérées par leur conséquence) (×10,01 face à «\u00a0Les plus anciennes "
        "d’abord\u00a0», ×1,37 face à «\u00a0Le plus de fuites passées d’abord\u00a0»). Construit année par "
        "année\u00a0: optimalité non prouvée sur toute la période.")
    assert renewal_line(renewal) == (
        "Renewal plan (by expected leaks): 5 years, 56.6 expected leaks avoided, 80.6 points of business risk "
        "(consequence-weighted leaks) (x10.01 vs oldest first, x1.37 vs most leaks first). Built one year at a "
        "time: not proven optimal over the whole period.")
    note = solver_note("HiGHS", "time_limit", gap=0.0123, bound_source="lagrangian", lang="fr")
    assert note == (" Optimalité non prouvée\u00a0: HiGHS, résultat arrêté à sa limite de temps, à 1,23\u202f% au "
                    "plus du meilleur possible (d’après une borne de relaxation lagrangienne).")
    pressure = {"n_sensors": 3, "n_requested": 5, "detected_risk_share": 0.42, "n_scenarios": 1200,
                "method": "simulate", "threshold_m": 0.5, "n_distinguishable": 7, "n_unique_scenarios": 2}
    fr = pressure_line(pressure, lang="fr")
    assert fr.startswith("Capteurs de pression\u00a0: 3 détectent 42,0\u202f%") and "Seulement 3 des 5" in fr
    assert "(1\u202f200 nœuds simulés, par simulation, une baisse d’au moins 0,5 m)" in fr
    assert "(1,200 junctions simulated, simulate, a drop of at least 0.5 m)" in pressure_line(pressure)
    matrix = {"consequence": {"method": "diameter_only_no_network"}, "km": [[1.25, 2.0], [3.0, 4.0], [0, 0]]}
    assert consequence_line(matrix, lang="fr") == (
        "Conséquence d’une casse\u00a0: selon le seul diamètre (pas de réseau). Matrice des risques\u00a0: 10,2 km "
        "sont à la fois probables (A-B) et graves (4-3)\u00a0; risk_matrix.json.")


@pytest.fixture(scope="module")
def small_utility(tmp_path_factory):
    from leakopt import synth
    base = tmp_path_factory.mktemp("summary")
    paths = synth.write_synth(synth.synthesize(300, seed=3), base / "inputs")
    config = base / "fr.toml"
    config.write_text('[report]\nlang = "fr"\n', encoding="utf-8")
    return paths, config


def test_a_french_run_prints_its_summary_in_french(small_utility, tmp_path, capsys):
    """``[report] lang = "fr"`` in the configuration is enough: the summary follows the report's language."""
    from leakopt.cli import main
    paths, config = small_utility
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--config",
                 str(config), "--no-sensors", "--out", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    summary = "\n".join(out[out.index(next(line for line in out if line.startswith("Réseau"))):])
    assert summary.splitlines()[1].startswith("Zone prioritaire\u00a0: ")
    assert "Test sur les années passées" in summary and "Plan de renouvellement" in summary
    assert summary.splitlines()[-1] == f"Résultats dans {tmp_path / 'run'} (ouvrez report.html)."
    assert not [w for w in ENGLISH if w in summary], summary


def test_a_french_run_shows_its_progress_in_french(small_utility, tmp_path, capsys):
    """The progress lines follow the language too (here a log, not a terminal: one line per step)."""
    from leakopt.cli import main
    paths, config = small_utility
    assert main(["run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--config", str(config),
                 "--no-sensors", "--no-backtest", "--out", str(tmp_path / "run")]) == 0
    err = capsys.readouterr().err
    assert "chargement\u00a0: lecture des conduites 0/" in err, err
    assert "risque\u00a0: apprentissage sur " in err and " conduites-années 1/3" in err, err
    assert "rapport\u00a0: écrit " in err, err
    assert "pipe-years" not in err and "reading the pipes" not in err, err


def test_a_french_run_warns_of_its_data_in_french_and_an_english_one_after_it_in_english(tmp_path, caplog):
    """The data checks' warnings follow the command's language (their French, ``message_fr``); the next
    command in the same process, in English, warns in English again."""
    import logging

    from leakopt.cli import main
    pipes = tmp_path / "pipes.csv"
    pipes.write_text("pipe_id,material,diameter_mm,install_year,length_m\n"
                     + "".join(f"P{i},PVC,100,{1960 + i % 40},120\n" for i in range(60)), encoding="utf-8")
    leaks = tmp_path / "leaks.csv"
    leaks.write_text("pipe_id,date\n" + "".join(f"P{i},20{10 + i % 10}-03-01\n" for i in range(40))
                     + "P1,not a date\nP2,\n", encoding="utf-8")
    seen = {}
    for lang in ("fr", "en"):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert main(["-q", "run", "--pipes", str(pipes), "--leaks", str(leaks), "--lang", lang, "--no-sensors",
                         "--no-backtest", "--out", str(tmp_path / lang)]) == 0
        seen[lang] = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "leakopt.validate.report"]
    assert ("AVERTISSEMENT", "leak_date_unparseable: 2 fuites ont une date illisible (vide, ou qui n\u2019est "
            "pas une date)\u00a0; elles sont écartées") in seen["fr"], seen["fr"]
    assert ("WARNING", "leak_date_unparseable: 2 leaks have a date that cannot be read (blank or not a date); "
            "left out") in seen["en"], seen["en"]


def test_one_recorded_year_is_said_as_one(tmp_path, capsys):
    from leakopt.cli import main
    (tmp_path / "p.csv").write_text("pipe_id,material,diameter_mm,install_year,length_m\n"
                                    + "".join(f"P{i},PVC,100,{1960 + i % 40},120\n" for i in range(60)))
    (tmp_path / "l.csv").write_text("pipe_id,date\n" + "".join(f"P{i},2015-{1 + i % 12:02d}-10\n" for i in range(30)))
    assert main(["-q", "run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"), "--as-of",
                 "2016-01-01", "--no-sensors", "--no-backtest", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "; in the year from 2015-01-01 to 2016-01-01, 30 leaks, " in out and "1 years" not in out, out


def test_progress_lines_fit_a_terminal_that_cannot_write_a_no_break_space():
    from leakopt.cli import Progress
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    Progress(stream, lang="fr")("risk: training on 65,008 pipe-years", 1, 3)
    stream.flush()
    assert raw.getvalue().decode("cp1252") == "risque : apprentissage sur 65 008 conduites-années 1/3\n"


def test_a_terminal_that_cannot_write_a_no_break_space_gets_a_plain_one(monkeypatch):
    from leakopt.cli import say
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="cp1252"))
    say("Réseau\u00a0: 4\u202f000 conduites ≥ 28,5\u202f%")
    sys.stdout.flush()
    assert raw.getvalue().decode("cp1252") == "Réseau : 4 000 conduites ? 28,5 %\n"


def test_sensors_speaks_the_language_asked_for(small_utility, tmp_path, capsys):
    from leakopt.cli import main
    paths, config = small_utility
    run = tmp_path / "run"
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--network",
                 str(paths["network"]), "--no-sensors", "--no-backtest", "--out", str(run)]) == 0
    capsys.readouterr()
    assert main(["-q", "sensors", "--network", str(paths["network"]), "--risk", str(run / "risk.csv"),
                 "--budget", "5", "--lang", "fr", "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Prélocalisateurs\u00a0: 5 ") and f"Résultats dans {tmp_path / 's'}" in out, out
    assert not [w for w in ENGLISH if w in out], out
    assert main(["-q", "sensors", "--kind", "pressure", "--n", "2", "--network", str(paths["network"]), "--risk",
                 str(run / "risk.csv"), "--config", str(config), "--out", str(run)]) == 0   # [report] lang = "fr"
    out = capsys.readouterr().out
    assert out.startswith("Capteurs de pression\u00a0: ") and "Solveur\u00a0: " in out and "leakopt report" in out, out
    assert not [w for w in ENGLISH if w in out], out


def test_backtest_and_campaign_speak_the_language_asked_for(small_utility, tmp_path, capsys):
    from leakopt.cli import main
    paths, config = small_utility
    assert main(["-q", "backtest", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--cutoff",
                 "2021-01-01", "--config", str(config), "--out", str(tmp_path / "bt")]) == 0   # [report] lang = "fr"
    out = capsys.readouterr().out
    assert out.startswith("Test sur les années passées à partir du 1er janvier 2021") and "Ce modèle " in out, out
    assert "Apprentissage automatique standard" in out and not re.search(r"\d\.\d", out.split("Résultats")[0]), out
    run = tmp_path / "run"
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--network",
                 str(paths["network"]), "--no-sensors", "--no-backtest", "--out", str(run)]) == 0
    capsys.readouterr()
    assert main(["-q", "campaign", "--network", str(paths["network"]), "--risk", str(run / "risk.csv"), "--loggers",
                 "3", "--lang", "fr", "--out", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Campagne\u00a0: 3 prélocalisateurs") and "Statut\u00a0: glouton" in out, out
    assert not [w for w in ("Campaign", "deployments", "heard after", "Status", "Outputs") if w in out], out


def test_check_speaks_the_language_asked_for(small_utility, tmp_path, capsys):
    from leakopt.cli import main
    paths, config = small_utility
    assert main(["-q", "check", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--config",
                 str(config)]) == 0                                          # [report] lang = "fr"
    out = capsys.readouterr().out
    assert out.startswith("Conduites\u00a0: ") and "Ensuite\u00a0: leakopt run --pipes" in out, out
    assert not [w for w in ("Pipes:", "Leaks:", "Data checks", "Next:", "serious", "to check") if w in out], out
    assert main(["-q", "check", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"])]) == 0
    assert capsys.readouterr().out.startswith("Pipes: ")                     # English by default


def test_the_renewal_line_agrees_with_its_numbers():
    # "0,1 fuites attendues évitées" and "1 ans": French takes the singular below 2
    from leakopt.pipeline.summary import renewal_line
    one_year = {"years": 1, "leaks_avoided": 0.1, "risk_avoided": 1.4, "objective": "risk"}
    fr = renewal_line(one_year, lang="fr")
    assert ": 1 an, 0,1 fuite attendue évitée, 1,4 point de risque métier" in fr
    assert "Renewal plan (by business risk): 1 year, 0.1 expected leaks avoided, 1.4 points" in renewal_line(one_year)
    five = renewal_line({"years": 5, "leaks_avoided": 2.5, "objective": "leaks"}, lang="fr")
    assert ": 5 ans, 2,5 fuites attendues évitées" in five


def _backtest_doc(n, *, years=3, asked=3, capture=0.6):
    from leakopt.schema import CAPTURE_LEVELS
    cap = dict.fromkeys((str(lv) for lv in CAPTURE_LEVELS), None if n == 0 else capture)
    method = {"capture": cap, "length_share_for_80pct": None if n == 0 else 0.5}
    return {"cutoff": "2021-01-01", "horizon_years": years, "horizon_years_asked": asked, "test_end": "2024-12-30",
            "n_test_leaks": n, "model": method, "baselines": {"oldest_first": dict(method)}}


def test_a_backtest_with_no_test_leak_is_said_not_measured_not_zero(tmp_path):
    from leakopt.pipeline.commands import backtest_text
    from leakopt.pipeline.summary import backtest_line, summary_translator
    doc = _backtest_doc(0)
    en, fr = backtest_line(doc, summary_translator("en")), backtest_line(doc, summary_translator("fr"))
    assert en == ("Backtest: the 3 years after 2021-01-01 held no leak on the pipes scored, so the ranking could not "
                  "be measured (backtest.json gives no capture).")
    assert fr.startswith("Test sur les années passées\u00a0: les 3 ans qui ont suivi le 1er janvier 2021 ne comptent "
                         "aucune fuite") and "n’a donc pas pu être mesuré" in fr, fr
    assert "0.0%" not in en and "0,0" not in fr
    for lang in ("en", "fr"):   # the backtest command's table: no row of 0% (and no crash on null)
        out = backtest_text(doc, tmp_path, lang=lang)
        assert "%" not in out.split("\n")[0].replace("80 %", "") and len(out.split("\n")) == 2, out
    assert "no test leak, so the rankings could not be measured" in backtest_text(doc, tmp_path)


def test_a_test_window_cut_by_the_record_is_said_and_rounded_and_few_test_leaks_are_flagged(tmp_path):
    from leakopt.pipeline.commands import backtest_text
    from leakopt.pipeline.summary import backtest_line, summary_translator
    doc = _backtest_doc(4, years=1.997)
    en, fr = backtest_line(doc, summary_translator("en")), backtest_line(doc, summary_translator("fr"))
    assert en == ("Backtest: the top 20% of length held 60.0% of the 4 leaks of the 2.0 years after 2021-01-01 (the "
                  "3 years asked for were cut to the 2.0 years the leak record holds, to 2024-12-30). It rests on "
                  "only 4 test leaks: one leak more or less moves it by 25 points, so read it as rough.")
    assert "des 4 fuites des 2,0 ans qui ont suivi le 1er janvier 2021 (les 3 ans demandés ont été " \
           "ramenés aux 2,0 ans que couvre l’historique des fuites, jusqu’au 30 décembre 2024)" in fr, fr
    assert "1.997" not in en and "1,997" not in fr and "Il ne repose que sur 4 fuites de test" in fr
    one = backtest_line(_backtest_doc(1), summary_translator("en"))
    assert "of the one leak of the 3 years" in one and "only 1 test leak:" in one, one
    plenty = backtest_line(_backtest_doc(120), summary_translator("en"))
    assert plenty.endswith("of the 120 leaks of the 3 years after 2021-01-01.") and "asked for" not in plenty
    out = backtest_text(doc, tmp_path, lang="fr")
    assert out.startswith("Test sur les années passées à partir du 1er janvier 2021, sur 2,0 ans (les 3 ans "
                          "demandés ont été ramenés"), out
    assert "linéaire pour 80\u202f%" in out and "80\u202f% sur" not in out
    head, row = backtest_text(doc, tmp_path).split("\n")[1:3]
    assert head.endswith("length for 80%") and len(head) == len(row), (head, row)   # the column lines up


#: A placement from the utility's own hydrants (the tester's run): 358 loggers hear all the sites can reach,
#: 46.6% of expected leaks; 361 hear every segment in range, and 323 km are out of range of every site.
FROM_FITTINGS = {"n_sensors": 358, "n_sensors_full_network": 361, "reduction_factor": 361 / 358,
                 "covered_risk_share": 0.4658, "model": "cover", "target_share": 0.8, "n_unreachable_segments": 7098,
                 "unreachable_length_m": 322576.6, "unreachable_expected_leaks": 17.7395,
                 "total_expected_leaks": 33.2077, "n_sites_read": 420, "n_sites_used": 410, "n_sites_too_far": 10}


def test_loggers_the_sites_cannot_spread_over_the_whole_network_are_not_compared_with_it():
    # "covering the whole network takes 361 (1.0 times as many)" when 323 km were out of range of every site
    for lang, out_of_range in (("en", "; 323\u00a0km of pipe are out of range of every site."),
                               ("fr", "\u00a0; 323\u00a0km de conduites sont hors de portée de tout emplacement.")):
        line = placement_line(FROM_FITTINGS, lang=lang)
        assert line.endswith(out_of_range), line
        assert not re.search(r"times|fois|whole network|tout le réseau|361", line), line
    # a share model whose sites hear 91.2% at most: that share, and the count hearing all of it, times as many
    share = {**PLACEMENTS["share"], "n_sensors": 814, "n_sensors_full_network": 1886, "reduction_factor": 1886 / 814,
             "n_unreachable_segments": 1153, "unreachable_length_m": 51_100.0, "unreachable_expected_leaks": 5.0818,
             "total_expected_leaks": 57.9143}
    assert placement_line(share) == (
        "Loggers: 814 hear 80.0% of expected leaks (target 80%); all the candidate sites together can hear only 91.2% "
        "of expected leaks (51.1\u00a0km of pipe out of range of every site), and hearing all of it takes 1,886 (2.3 "
        "times as many).")
    assert placement_line(share, lang="fr").endswith(
        "\u00a0; tous les emplacements candidats ensemble ne peuvent entendre que 91,2\u202f% des fuites attendues "
        "(51,1\u00a0km de conduites hors de portée de tout emplacement), et tout entendre en demanderait 1\u202f886 "
        "(2,3 fois plus).")
    # the whole network in range: its count, with "times as many" only from 1.2 times
    whole = {**PLACEMENTS["share"], "n_sensors": 358, "n_sensors_full_network": 361, "reduction_factor": 361 / 358,
             "n_unreachable_segments": 0}
    assert placement_line(whole).endswith("(target 80%); covering the whole network takes 361.")
    assert placement_line(whole, lang="fr").endswith("\u00a0; couvrir tout le réseau en demanderait 361.")
    assert placement_line({**whole, "n_sensors": 361, "reduction_factor": 1.0}).endswith(
        "; as many as covering the whole network takes.")
    assert placement_line(PLACEMENTS["share"]).endswith("covering the whole network takes 2,830 (6.2 times as many).")

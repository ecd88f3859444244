"""What the terminal prints after a command: a few plain sentences read from the results."""
from __future__ import annotations

import json
import logging

from leakopt.i18n import Translator, fmt_short, singular
from leakopt.pipeline.stages import RunResult
from leakopt.renewal import summary_currency
from leakopt.risk import scored_by_prior
from leakopt.risk.backtest import FEW_TEST_LEAKS, horizon_cut, measured, shown_years

log = logging.getLogger(__name__)

#: The run's summary (:func:`summary_text`) in English and French, numbers formatted for the language.
TEXTS: dict[str, dict[str, str]] = {
    "network": {"en": "Network: {km} km, {n} pipes; {leaks} usable leak records{rate}.",
                "fr": "Réseau : {km} km, {n} conduites ; {leaks} fuites utilisables{rate}."},
    "network_le1": {"en": "Network: {km} km, {n} pipes; {leaks} usable leak records{rate}.",
                    "fr": "Réseau : {km} km, {n} conduites ; {leaks} fuite utilisable{rate}."},
    "recorded": {"en": "; in the {years} years from {start} to {end}, {per_year} a year, {per100} per 100 km a year",
                 "fr": " ; sur les {years} ans du {start} au {end}, {per_year} par an, {per100} pour 100 km par an"},
    "recorded_1": {"en": "; in the year from {start} to {end}, {per_year} leaks, {per100} per 100 km",
                   "fr": " ; sur l’année du {start} au {end}, {per_year} fuites, {per100} pour 100 km"},
    "zone": {"en": "Priority zone: {length} of the network length holds {leaks} of expected leaks.",
             "fr": "Zone prioritaire : {length} du linéaire du réseau concentre {leaks} des fuites attendues."},
    "model_given": {"en": "Risk: every pipe scored by the model given ({path}), trained elsewhere; nothing was learnt "
                          "from this history.",
                    "fr": "Risque : chaque conduite est notée par le modèle fourni ({path}), appris ailleurs ; rien "
                          "n’a été appris de cet historique."},
    "prior": {"en": "Risk: no leak history, so every pipe is ranked by the literature prior (published break rates by "
                    "material, age and diameter; prior.json), not by a model of this utility: its expected leaks are "
                    "survey averages, not a forecast. Give the leak records to learn from them.",
              "fr": "Risque : sans historique de fuites, chaque conduite est classée par l’a priori de la littérature "
                    "(taux de casse publiés selon le matériau, l’âge et le diamètre ; prior.json), et non par un "
                    "modèle de ce service : ses fuites attendues sont des moyennes d’enquêtes, pas une prévision. "
                    "Fournissez les fuites enregistrées pour qu’il en apprenne."},
    "backtest": {"en": "Backtest: the top 20% of length held {share} of the {leaks} of the {years} after {cutoff}"
                       "{cut}.{few}",
                 "fr": "Test sur les années passées : les 20 % du linéaire classés en tête concentraient {share} des "
                       "{leaks} des {years} qui ont suivi le {cutoff}{cut}.{few}"},
    "backtest_1": {"en": "Backtest: the top 20% of length held {share} of the one {leaks} of the {years} after "
                         "{cutoff}{cut}.{few}",
                   "fr": "Test sur les années passées : les 20 % du linéaire classés en tête concentraient {share} "
                         "de la seule {leaks} des {years} qui ont suivi le {cutoff}{cut}.{few}"},
    "backtest_none": {"en": "Backtest: the {years} after {cutoff} held no leak on the pipes scored{cut}, so the "
                            "ranking could not be measured (backtest.json gives no capture).",
                      "fr": "Test sur les années passées : les {years} qui ont suivi le {cutoff} ne comptent aucune "
                            "fuite sur les conduites notées{cut} ; le classement n’a donc pas pu être mesuré "
                            "(backtest.json ne donne aucune capture)."},
    "bt_cut": {"en": " (the {asked} asked for were cut to the {years} the leak record holds, to {end})",
               "fr": " (les {asked} demandés ont été ramenés aux {years} que couvre l’historique des fuites, "
                     "jusqu’au {end})"},
    "bt_few": {"en": " It rests on only {n}: one leak more or less moves it by {points} points, so read it as rough.",
               "fr": " Il ne repose que sur {n} : une fuite de plus ou de moins le déplace de {points} points, ce "
                     "n’est donc qu’un ordre de grandeur."},
    "bt_none_head": {"en": "Backtest from {cutoff} over {years}{cut}: no test leak, so the rankings could not be "
                           "measured (backtest.json gives no capture).",
                     "fr": "Test sur les années passées à partir du {cutoff}, sur {years}{cut} : aucune fuite à "
                           "retrouver, les classements n’ont donc pas pu être mesurés (backtest.json ne donne aucune "
                           "capture)."},
    "w_year": {"en": "year|years", "fr": "an|ans"},
    "w_test_leak": {"en": "test leak|test leaks", "fr": "fuite de test|fuites de test"},
    "w_leak": {"en": "leak|leaks", "fr": "fuite|fuites"},
    "hyd_failed": {"en": "Hydraulic simulation failed ({error}): pipes were scored without pressure and velocity "
                         "(recorded in manifest.json and the report).",
                   "fr": "La simulation hydraulique a échoué ({error}) : les conduites ont été notées sans pression "
                         "ni vitesse (noté dans manifest.json et dans le rapport)."},
    "checks": {"en": "Data checks: {n} kinds of problem reported in validation.json.",
               "fr": "Contrôles des données : {n} types de problème signalés dans validation.json."},
    "outputs": {"en": "Outputs in {out} (open report.html).", "fr": "Résultats dans {out} (ouvrez report.html)."},
    "bt_head": {"en": "Backtest from {cutoff} over {years}{cut}: {n}.",
                "fr": "Test sur les années passées à partir du {cutoff}, sur {years}{cut} : {n} à retrouver."},
    "bt_method": {"en": "method", "fr": "méthode"},
    "bt_80": {"en": "   length for 80%", "fr": "   linéaire pour 80 %"},
    "bt_note": {"en": "(share of the test period's leaks found on the top x% of network length)",
                "fr": "(part des fuites de la période de test trouvées sur les x % du linéaire classés en tête)"},
    "ca_zone": {"en": "the priority zone", "fr": "la zone prioritaire"},
    "ca_network": {"en": "the network", "fr": "le réseau"},
    "ca_line": {"en": "Campaign: {loggers}, {days} a deployment: {n} ({total}) {hear} {share} of the expected "
                      "leaks of {scope}",
                "fr": "Campagne : {loggers}, {days} par pose : {n} ({total}) {hear} {share} des fuites attendues "
                      "de {scope}"},
    "report_written": {"en": "Report written: {path}", "fr": "Rapport écrit : {path}"},
    "ca_hear": {"en": "hears|hear", "fr": "entend|entendent"},
    "w_logger": {"en": "logger|loggers", "fr": "prélocalisateur|prélocalisateurs"},
    "w_day": {"en": "day|days", "fr": "jour|jours"},
    "w_deployment": {"en": "deployment|deployments", "fr": "pose|poses"},
    "ca_end_short": {"en": " (target {target}; {reachable} is within reach of the candidate sites).",
                     "fr": " (objectif {target} ; {reachable} est à portée des emplacements candidats)."},
    "ca_after": {"en": "  {q} heard after {n} (following the risk ranking: {other}).",
                 "fr": "  {q} entendus après {n} (en suivant le classement des risques : {other})."},
    "ca_never": {"en": "never", "fr": "jamais"},
    "ca_days": {"en": "  An expected leak heard is heard after {days} on average ({other} following the risk "
                      "ranking).",
                "fr": "  Une fuite attendue entendue l’est après {days} en moyenne ({other} en suivant le "
                      "classement des risques)."},
    "ca_status": {"en": "  Status: greedy (each deployment is the greedy maximum coverage of what is still unheard, "
                        "proven within {gap} of the best deployment given the earlier ones; the sequence as a whole "
                        "is not proven optimal).",
                  "fr": "  Statut : glouton (chaque pose est la couverture maximale gloutonne de ce qui n’est pas "
                        "encore entendu, prouvée à {gap} au plus de la meilleure pose après les précédentes ; la "
                        "suite entière n’est pas prouvée optimale)."},
    # leakopt check
    "ck_counts": {"en": "Pipes: {read} read, {kept} kept ({km} km{out}). Leaks: {leaks_read} read, {used} usable; "
                        "forecast as of {as_of}.",
                  "fr": "Conduites : {read} lues, {kept} gardées ({km} km{out}). Fuites : {leaks_read} lues, {used} "
                        "utilisables ; prévision au {as_of}."},
    "ck_left_out": {"en": "Leaks left out: {reasons}.", "fr": "Fuites écartées : {reasons}."},
    # the pipes read but not kept, by the data check that left them out (check.pipes_left_out)
    "ck_pipes_out": {"en": "; left out: {reasons}", "fr": " ; écartées : {reasons}"},
    "ck_pipe_installed_after_as_of": {"en": "{n} laid after the as-of date",
                                      "fr": "{n} posées après la date de la prévision"},
    "ck_pipe_installed_after_as_of_1": {"en": "{n} laid after the as-of date",
                                        "fr": "{n} posée après la date de la prévision"},
    "ck_duplicate_pipe_id": {"en": "{n} duplicate IDs", "fr": "{n} identifiants en double"},
    "ck_duplicate_pipe_id_1": {"en": "{n} duplicate ID", "fr": "{n} identifiant en double"},
    "ck_pipe_row_repeated": {"en": "{n} repeated rows", "fr": "{n} lignes répétées"},
    "ck_pipe_row_repeated_1": {"en": "{n} repeated row", "fr": "{n} ligne répétée"},
    "ck_pipe_row_blank": {"en": "{n} blank rows", "fr": "{n} lignes vides"},
    "ck_pipe_row_blank_1": {"en": "{n} blank row", "fr": "{n} ligne vide"},
    "ck_pipe_not_kept": {"en": "{n} by keep_pipes", "fr": "{n} par keep_pipes"},
    "ck_diameter_mm_missing": {"en": "{n} without a diameter", "fr": "{n} sans diamètre"},
    "ck_install_year_missing": {"en": "{n} without an install year", "fr": "{n} sans année de pose"},
    "ck_pipes_other": {"en": "{n} for other reasons (validation.json)", "fr": "{n} pour d’autres raisons "
                                                                              "(validation.json)"},
    "ck_pipes_other_1": {"en": "{n} for another reason (validation.json)", "fr": "{n} pour une autre raison "
                                                                                 "(validation.json)"},
    "ck_by_type": {"en": "Usable leaks by type: {types}; all are used ([validate] leak_types = [...] keeps only some, "
                         "e.g. the mains' breaks).",
                   "fr": "Fuites utilisables par type : {types} ; toutes sont prises ([validate] leak_types = [...] "
                         "n’en garde que certaines, par ex. les casses de conduites principales)."},
    "ck_to_read": {"en": "Data checks to read ({n}):", "fr": "Contrôles des données à lire ({n}) :"},
    "ck_none": {"en": "Data checks: nothing to correct.", "fr": "Contrôles des données : rien à corriger."},
    "ck_written": {"en": "validation.json written to {out}. ", "fr": "validation.json écrit dans {out}. "},
    "ck_next": {"en": "Next: {command}", "fr": "Ensuite : {command}"},
    "ck_no_history": {"en": "The leak file holds no leak: a run ranks the pipes by the literature prior (published "
                            "break rates by material, age and diameter), not by a model of this utility. Give the "
                            "leak records to learn from them, or --model OTHER_RUN/model.txt.",
                      "fr": "Le fichier des fuites n’en contient aucune : une analyse classera les conduites par "
                            "l’a priori de la littérature (taux de casse publiés selon le matériau, l’âge et le "
                            "diamètre), et non par un modèle de ce service. Fournissez les fuites enregistrées pour "
                            "qu’il en apprenne, ou --model AUTRE_ANALYSE/model.txt."},
    "ck_reason_after_as_of": {"en": "after as of", "fr": "datées après la prévision"},
    "ck_reason_unknown_pipe": {"en": "unknown pipe", "fr": "sur une conduite inconnue"},
    "ck_reason_before_install": {"en": "before install", "fr": "antérieures à la pose"},
    "ck_reason_date_unparseable": {"en": "date unparseable", "fr": "à la date illisible"},
    "ck_reason_date_compact_invalid": {"en": "8-digit date invalid", "fr": "à la date de 8 chiffres invalide"},
    "ck_reason_date_future": {"en": "dated after today", "fr": "datées d’après aujourd’hui"},
    "ck_reason_row_blank": {"en": "blank row", "fr": "lignes vides"},
    "ck_reason_no_location": {"en": "no location", "fr": "sans localisation"},
    "ck_reason_too_far_to_snap": {"en": "too far to snap", "fr": "trop loin d’une conduite"},
    "ck_reason_type_excluded": {"en": "type excluded", "fr": "d’un type écarté"},
    "ck_reason_type_missing": {"en": "type missing", "fr": "sans type"},
    "ck_reason_pipe_not_scored": {"en": "pipe not scored", "fr": "sur une conduite écartée"},
    "ck_reason_on_pipe_not_kept": {"en": "on pipes keep_pipes leaves out",
                                   "fr": "sur une conduite que keep_pipes écarte"},
    "outputs_plain": {"en": "\nOutputs in {out}", "fr": "\nRésultats dans {out}"},
    "so_status": {"en": " Solver: {solver}, status {status}.", "fr": " Solveur : {solver}, résultat {status}."},
    "report_hint": {"en": "\nThe run's report does not show them yet: 'leakopt report {out}' rewrites it with them.",
                    "fr": "\nLe rapport de l’analyse ne les montre pas encore : « leakopt report {out} » le réécrit "
                          "avec eux."},
    # consequence of failure
    "co_diameter": {"en": "Consequence of failure: by diameter only (no network)",
                    "fr": "Conséquence d’une casse : selon le seul diamètre (pas de réseau)"},
    "co_segments": {"en": "Consequence of failure: {n} valve segments ({rule}{simulated}); the worst cuts off {share} "
                          "of the demand ({nodes} customer nodes)",
                    "fr": "Conséquence d’une casse : {n} secteurs d’isolement ({rule}{simulated}) ; le pire coupe "
                          "{share} de la demande ({nodes} nœuds desservis)"},
    "co_assumed": {"en": "assumed valves", "fr": "vannes supposées"},
    "co_valves": {"en": "valves", "fr": "vannes"},
    "co_pdd": {"en": ", {n} of them simulated with pressure-dependent demand",
               "fr": ", dont {n} simulés avec une demande dépendant de la pression"},
    "co_connectivity": {"en": ", judged by connectivity", "fr": ", jugés par la connexité"},
    "co_matrix": {"en": ". Risk matrix: {km} km are both likely (A-B) and severe (4-3); risk_matrix.json.",
                  "fr": ". Matrice des risques : {km} km sont à la fois probables (A-B) et graves (4-3) ; "
                        "risk_matrix.json."},
    # acoustic loggers
    "lo_heard": {"en": "{share} of expected leaks", "fr": "{share} des fuites attendues"},
    "lo_zone": {"en": "cover every metre of the priority zone they can reach ({heard})",
                "fr": "couvrent chaque mètre de la zone prioritaire qu’ils peuvent atteindre ({heard})"},
    "lo_budget_less": {"en": "(of a budget of {budget}: more would hear nothing more) hear {heard}",
                       "fr": "(sur un budget de {budget} : davantage n’entendraient rien de plus) entendent {heard}"},
    "lo_budget_all": {"en": "(the whole budget) hear {heard}, the most {n} can",
                      "fr": "(tout le budget) entendent {heard}, le maximum possible avec {n}"},
    "lo_cover": {"en": "hear {heard}, all that the candidate sites can reach",
                 "fr": "entendent {heard}, tout ce que les emplacements candidats peuvent atteindre"},
    "lo_out_of_reach": {"en": " (the target of {target} is out of reach)", "fr": " (l’objectif de {target} est hors "
                                                                              "d’atteinte)"},
    "lo_share": {"en": "hear {heard}", "fr": "entendent {heard}"},
    "lo_target": {"en": " (target {target})", "fr": " (objectif {target})"},
    "lo_line": {"en": "Loggers: {n} {what}", "fr": "Prélocalisateurs : {n} {what}"},
    "lo_redundant": {"en": ", {share} by {r} loggers (or by every site that can hear it; the target counts these)",
                     "fr": ", {share} par {r} prélocalisateurs (ou par chaque emplacement qui peut l’entendre ; "
                           "l’objectif compte ceux-là)"},
    "lo_full": {"en": "; covering the whole network takes {full} ({factor} times as many)",
                "fr": " ; couvrir tout le réseau en demanderait {full} ({factor} fois plus)"},
    # (no ratio below 1.2, and no "whole network" when some pipes are out of range of every candidate site:
    # leakopt.report.sections.full_network_comparison)
    "lo_full_near": {"en": "; covering the whole network takes {full}",
                     "fr": " ; couvrir tout le réseau en demanderait {full}"},
    "lo_full_same": {"en": "; as many as covering the whole network takes",
                     "fr": " ; autant qu’il en faut pour couvrir tout le réseau"},
    "lo_reach": {"en": "; all the candidate sites together can hear only {reach} of expected leaks ({km} of pipe "
                       "out of range of every site)",
                 "fr": " ; tous les emplacements candidats ensemble ne peuvent entendre que {reach} des fuites "
                       "attendues ({km} de conduites hors de portée de tout emplacement)"},
    "lo_out_of_range": {"en": "; {km} of pipe are out of range of every site",
                        "fr": " ; {km} de conduites sont hors de portée de tout emplacement"},
    "lo_reach_full": {"en": ", and hearing all of it takes {full} ({factor} times as many)",
                      "fr": ", et tout entendre en demanderait {full} ({factor} fois plus)"},
    "lo_sites": {"en": "; on {used} of the {read} fittings given",
                 "fr": " ; sur {used} des {read} accessoires fournis"},
    "lo_sites_far": {"en": " ({n} too far from a pipe, listed in validation.json)",
                     "fr": " ({n} trop loin d’une conduite, listés dans validation.json)"},
    "lo_unscored": {"en": ". {n} pipes of the network have no risk score and count as never leaking (see "
                          "placement.json)",
                    "fr": ". {n} conduites du réseau n’ont pas de note de risque et comptent comme ne fuyant jamais "
                          "(voir placement.json)"},
    # pressure sensors
    "pr_line": {"en": "Pressure sensors: {n} detect {share} of the risk-weighted leak scenarios ({scenarios} "
                      "junctions simulated, {method}, a drop of at least {threshold} m); leaks told apart: {groups} "
                      "groups, {unique} to one junction.",
                "fr": "Capteurs de pression : {n} détectent {share} des scénarios de fuite pondérés par le risque "
                      "({scenarios} nœuds simulés, {method}, une baisse d’au moins {threshold} m) ; fuites "
                      "distinguées : {groups} groupes, {unique} jusqu’au nœud."},
    "pr_method_sensitivity": {"en": "sensitivity", "fr": "par sensibilité"},
    "pr_method_simulate": {"en": "simulate", "fr": "par simulation"},
    "pr_fewer": {"en": " Only {n} of the {asked} asked for: more would detect no more risk-weighted leaks.",
                 "fr": " Seulement {n} des {asked} demandés : davantage ne détecteraient pas plus de fuites "
                       "pondérées par le risque."},
    # renewal
    "re_line": {"en": "Renewal plan ({by}): {years} years", "fr": "Plan de renouvellement ({by}) : {years} ans"},
    "re_line_1": {"en": "Renewal plan ({by}): 1 year", "fr": "Plan de renouvellement ({by}) : 1 an"},
    "re_by_risk": {"en": "by business risk", "fr": "selon le risque métier"},
    "re_by_leaks": {"en": "by expected leaks", "fr": "selon les fuites attendues"},
    "re_avoided": {"en": ", {n} expected leaks avoided", "fr": ", {n} fuites attendues évitées"},
    # (decimals: English takes the plural even for "1.0"; French the singular below 2)
    "re_avoided_1": {"en": ", {n} expected leaks avoided", "fr": ", {n} fuite attendue évitée"},
    "re_risk": {"en": ", {n} points of business risk (consequence-weighted leaks)",
                "fr": ", {n} points de risque métier (fuites pondérées par leur conséquence)"},
    "re_risk_1": {"en": ", {n} points of business risk (consequence-weighted leaks)",
                  "fr": ", {n} point de risque métier (fuites pondérées par leur conséquence)"},
    "re_ratio": {"en": "x{ratio} vs {rule}", "fr": "×{ratio} face à « {rule} »"},
    "re_rule_oldest_first": {"en": "oldest first", "fr": "Les plus anciennes d’abord"},
    "re_rule_most_leaks_first": {"en": "most leaks first", "fr": "Le plus de fuites passées d’abord"},
    "re_no_benefit": {"en": " No pipe is expected to leak more than a new one would ({residual} leaks per km a year): "
                            "renewing avoids no leak.",
                      "fr": " Aucune conduite ne devrait fuir plus qu’une neuve ({residual} fuite par km et par an) : "
                            "renouveler n’évite aucune fuite."},
    "re_over_budget": {"en": " No work site fits in one year's budget ({budget}; the cheapest costs {cheapest}).",
                       "fr": " Aucun chantier ne tient dans le budget d’une année ({budget} ; le moins cher coûte "
                             "{cheapest})."},
    "re_yearly": {"en": " Built one year at a time: not proven optimal over the whole period.",
                  "fr": " Construit année par année : optimalité non prouvée sur toute la période."},
    # solvers
    "so_not_optimal": {"en": " Not proven optimal: {solver} ended with status {status}",
                       "fr": " Optimalité non prouvée : {solver}, résultat {status}"},
    "so_gap": {"en": ", at most {gap} from the best possible", "fr": ", à {gap} au plus du meilleur possible"},
    "so_by": {"en": " (by {bound})", "fr": " (d’après {bound})"},
    # what proved a gap (``bound_source`` of :class:`leakopt.optimize.SolveInfo`), in words
    "so_bound_solver": {"en": "the solver's own bound", "fr": "la borne du solveur"},
    "so_bound_lagrangian": {"en": "a Lagrangian relaxation bound", "fr": "une borne de relaxation lagrangienne"},
    "so_bound_greedy": {"en": "the greedy method's submodularity bound",
                        "fr": "la borne de sous-modularité de la méthode gloutonne"},
    "so_bound_column_bounds": {"en": "the variables' bounds alone", "fr": "les seules bornes des variables"},
}


def summary_translator(lang: str | None, *, currency: str = "EUR") -> Translator:
    """The terminal's sentences (:data:`TEXTS`) in ``lang`` (default English), amounts in ``currency``."""
    return Translator(TEXTS, lang or "en", currency=currency)


_t = summary_translator


def status_text(t: Translator, status) -> str:
    """A solver's status as the report words it in French (``time_limit`` -> its words); as given in English."""
    if t.lang == "en" or status is None:
        return str(status)
    from leakopt.report.sections import status_words
    from leakopt.report.text import STRINGS
    return status_words(status, Translator(STRINGS, t.lang))


def backtest_line(bt: dict, t: Translator) -> str:
    """The run summary's backtest sentence: the model's capture at 20% of length, or that the test years held no
    leak (no capture to give); with the window cut short by the end of the record and a capture resting on few
    leaks said."""
    n = bt.get("n_test_leaks")
    fields = {"years": window_years(t, bt["horizon_years"]), "cutoff": t.printed_date(bt["cutoff"]),
              "cut": cut_clause(t, bt)}
    if not measured(bt):
        return t("backtest_none", **fields)
    few = t("bt_few", n=counted(t, n, "w_test_leak"), points=t.number(100 / n)) if n and n < FEW_TEST_LEAKS else ""
    leaks = word(t, 2 if n is None else n, "w_leak") if n in (None, 1) else counted(t, n, "w_leak")
    return t("backtest_1" if n == 1 else "backtest", share=t.percent(bt["model"]["capture"]["0.2"]), leaks=leaks,
             few=few, **fields)


def window_years(t: Translator, years) -> str:
    """A backtest's test window with its word: "3 years", "2.0 years" (1.997, cut short), "1 an", "1,8 an"."""
    value, decimals = shown_years(years)
    return f"{t.number(value, decimals=decimals)} {word(t, round(value, decimals), 'w_year')}"


def cut_clause(t: Translator, bt: dict) -> str:
    """" (the 3 years asked for were cut to the 2.0 years the leak record holds, to 31 December 2024)" when the
    test window of ``bt`` (a ``backtest.json``) is shorter than asked, else ""."""
    cut = horizon_cut(bt)
    if not cut:
        return ""
    return t("bt_cut", asked=window_years(t, cut["asked"]), years=window_years(t, cut["years"]),
             end=t.printed_date(cut["end"]) if cut["end"] else "?")


def short_number(t: Translator, x) -> str:
    """``x`` in its shortest form (``:g``: 5, 4.5), with the language's decimal mark."""
    return fmt_short(x, t.lang)


def word(t: Translator, n, key: str) -> str:
    """The singular or plural of ``key`` ("logger|loggers") that goes after the number ``n``."""
    one, many = t(key).split("|")
    return one if singular(n, t.lang) else many


def counted(t: Translator, n, key: str) -> str:
    """``n`` and its word: "1 logger", "20 loggers", "1,5 jour"."""
    return f"{t.number(n)} {word(t, n, key)}"


def campaign_text(c: dict, *, lang: str = "en") -> str:
    """The campaign in a few lines (``campaign.json``), against moving the loggers down the risk ranking."""
    t = _t(lang)
    scope = t("ca_zone") if c["scope"] == "zone" else t("ca_network")
    r = c["risk_ranking"]
    lines = [t("ca_line", loggers=counted(t, c["loggers"], "w_logger"), days=counted(t, c["deployment_days"], "w_day"),
               n=counted(t, c["n_deployments"], "w_deployment"), total=counted(t, c["days"], "w_day"),
               hear=word(t, c["n_deployments"], "ca_hear"), share=t.percent(c["share_heard"]), scope=scope)
             + ("." if c["target_reached"] else
                t("ca_end_short", target=t.percent(c["target_share"], decimals=0),
                  reachable=t.percent(c["reachable_share"])))]
    for q in ("0.5", "0.8"):
        if q in c["deployments_to_share"]:
            other = r["deployments_to_share"].get(q)
            lines.append(t("ca_after", q=t.percent(float(q), decimals=0),
                           n=counted(t, c["deployments_to_share"][q], "w_deployment"),
                           other=other if other is not None else t("ca_never")))
    if c.get("mean_days_to_hear") is not None and r.get("mean_days_to_hear") is not None:
        lines.append(t("ca_days", days=counted(t, round(c["mean_days_to_hear"]), "w_day"),
                       other=t.number(r["mean_days_to_hear"])))
    lines.append(t("ca_status", gap=t.percent(c["worst_deployment_gap"])))
    return "\n".join(lines)


def pressure_line(p: dict, *, lang: str = "en") -> str:
    """One sentence on a pressure-sensor placement (``pressure.json``)."""
    t = _t(lang)
    method = f"pr_method_{p['method']}"
    text = t("pr_line", n=t.number(p["n_sensors"]), share=t.percent(p["detected_risk_share"]),
             scenarios=t.number(p["n_scenarios"]), method=t(method) if method in TEXTS else p["method"],
             threshold=short_number(t, p["threshold_m"]), groups=t.number(p["n_distinguishable"]),
             unique=t.number(p["n_unique_scenarios"]))
    if p["n_sensors"] < p.get("n_requested", p["n_sensors"]):
        text += t("pr_fewer", n=t.number(p["n_sensors"]), asked=t.number(p["n_requested"]))
    return text


def placement_line(p: dict, *, lang: str = "en") -> str:
    """One sentence on the logger placement, true to the model that was solved.

    ``model`` of ``placement.json``: "share" (the fewest loggers hearing the
    target share of expected leaks), "budget" (the most expected leaks the
    loggers available hear), "zone" (the fewest hearing every priority-zone
    metre a site can reach), "cover" (the share target was out of reach: the
    fewest hearing every weighted segment a site can reach).
    """
    t = _t(lang)
    n, heard = p["n_sensors"], t("lo_heard", share=t.percent(p["covered_risk_share"]))
    model, target = p.get("model"), p.get("target_share")
    if model == "zone":
        what = t("lo_zone", heard=heard)
    elif model == "budget":
        budget = p.get("budget")
        if budget is not None and n < budget:   # more would hear nothing more: taken away
            what = t("lo_budget_less", budget=t.number(budget), heard=heard)
        else:
            what = t("lo_budget_all", heard=heard, n=t.number(n))
    elif model == "cover":
        what = t("lo_cover", heard=heard)
        if target is not None:
            what += t("lo_out_of_reach", target=t.percent(target, decimals=0))
    else:
        what = t("lo_share", heard=heard) + (t("lo_target", target=t.percent(target, decimals=0))
                                             if target is not None else "")
    text = t("lo_line", n=t.number(n), what=what)
    r = p.get("redundancy") or 1
    if r > 1 and p.get("redundant_risk_share") is not None:
        text += t("lo_redundant", share=t.percent(p["redundant_risk_share"]), r=r)
    if p.get("n_sites_read") is not None:
        text += (t("lo_sites", used=t.number(p["n_sites_used"]), read=t.number(p["n_sites_read"]))
                 + (t("lo_sites_far", n=t.number(p["n_sites_too_far"])) if p.get("n_sites_too_far") else ""))
    text += full_network_clause(p, t)
    if p.get("n_pipes_not_in_risk"):
        text += t("lo_unscored", n=t.number(p["n_pipes_not_in_risk"]))
    return text + "."


def full_network_clause(p: dict, t: Translator) -> str:
    """What the loggers of ``placement.json`` compare with, only what is true: the whole network's count
    when the candidate sites can hear all of it, else the share of expected leaks they can hear together;
    "N times as many" only when N is worth saying (at least 1.2)."""
    from leakopt.report.sections import full_network_comparison
    cmp = full_network_comparison(p)
    if cmp is None:
        return ""
    full, factor = t.number(cmp["full"]), t.number(cmp["factor"], decimals=1)
    if cmp["whole"]:
        if cmp["same"]:
            return t("lo_full_same")
        return t("lo_full" if cmp["factor"] else "lo_full_near", full=full, factor=factor)
    km = t.length(cmp["out_m"]) if cmp["out_m"] is not None else "?"
    if cmp["reach"] is None or p.get("model") == "cover" or t.percent(cmp["reach"]) == t.percent(
            p.get("covered_risk_share")):   # the line already says they hear all the sites can reach
        return t("lo_out_of_range", km=km)
    return t("lo_reach", reach=t.percent(cmp["reach"]), km=km) + (
        t("lo_reach_full", full=full, factor=factor) if cmp["factor"] and not cmp["same"] else "")


def summary_text(result: RunResult, *, lang: str | None = None) -> str:
    """The short summary printed after a run, in ``lang`` (default: the run's language, ``--lang`` or the
    configuration's ``[report] lang``)."""
    lang = lang or result.lang
    t = _t(lang)
    u = result.utility
    km = u.pipes["length_m"].sum() / 1000
    recorded = u.validation.summary.get("recorded_leaks") or {}
    per_year = recorded.get("leaks_per_year")
    one = recorded.get("years") is not None and round(float(recorded["years"]), 1) == 1.0
    rate = t("recorded_1" if one else "recorded", years=short_number(t, recorded["years"]),
             start=t.printed_date(recorded["start"]), end=t.printed_date(recorded["end"]), per_year=t.number(per_year),
             per100=t.number(100 * per_year / max(km, 1e-9), decimals=1)) if per_year is not None else ""
    pr = result.priority
    lines = [
        t("network" if len(u.leaks) > 1 else "network_le1", km=t.number(km, decimals=1), n=t.number(len(u.pipes)),
          leaks=t.number(len(u.leaks)), rate=rate),
        t("zone", length=t.percent(pr["length_share"]), leaks=t.percent(pr["expected_leak_share"])),
    ]
    given = (result.manifest or {}).get("model_given")
    if given:
        lines.append(t("model_given", path=given["path"]))
    elif scored_by_prior(result.manifest):
        lines.append(t("prior"))
    if result.risk_matrix:
        lines.append(consequence_line(result.risk_matrix, lang=t.lang))
    if result.backtest:
        lines.append(backtest_line(result.backtest, t))
    hyd = result.hydraulics or {}
    if hyd.get("status") == "failed":
        lines.append(t("hyd_failed", error=hyd.get("error")))
    if result.placement:
        p = result.placement
        lines.append(placement_line(p, lang=t.lang) + placement_note(p, lang=t.lang))
    if result.pressure:
        lines.append(pressure_line(result.pressure, lang=t.lang)
                     + solver_note(result.pressure.get("solver"), result.pressure.get("status"), lang=t.lang))
    if result.renewal:
        lines.append(renewal_line(result.renewal, lang=t.lang))
    n_issues = len(u.validation.to_dict().get("issues", []))
    lines.append(t("checks", n=n_issues))
    lines.append(t("outputs", out=result.out_dir))
    return "\n".join(lines)


def consequence_line(matrix: dict, *, lang: str = "en") -> str:
    """One sentence on the consequence of failure and the riskiest corner of the risk matrix."""
    t = _t(lang)
    c = matrix["consequence"]
    if c["method"] == "diameter_only_no_network":
        how = t("co_diameter")
    else:
        rule = t("co_assumed") if c["method"] == "segments_assumed_valves" else t("co_valves")
        top = (matrix.get("top_demand_cut") or [{}])[0]
        share = top.get("demand_cut_m3s", 0) / c["total_demand_m3s"] if c.get("total_demand_m3s") else 0
        pdd = c.get("pdd") or {}
        simulated = (t("co_pdd", n=t.number(pdd["n_segments_simulated"])) if pdd.get("status") == "ok"
                     else t("co_connectivity"))
        how = t("co_segments", n=t.number(c["n_segments"]), rule=rule, simulated=simulated, share=t.percent(share),
                nodes=t.number(top.get("nodes_cut", 0)))
    km = matrix["km"][0][0] + matrix["km"][0][1] + matrix["km"][1][0] + matrix["km"][1][1]
    return how + t("co_matrix", km=t.number(km, decimals=1))


def renewal_line(summary: dict, *, lang: str = "en") -> str:
    t = _t(lang, currency=summary_currency(summary))   # the plan's amounts in its own currency
    avoided, risk = summary.get("leaks_avoided"), summary.get("risk_avoided")
    by_risk = summary.get("objective") == "risk"
    years = summary.get("years")
    text = t("re_line_1" if years == 1 else "re_line", by=t("re_by_risk") if by_risk else t("re_by_leaks"),
             years=years)
    for key, value in (("re_avoided", avoided), ("re_risk", risk)):   # French "0,4 fuite évitée"
        if value is not None:
            text += t.counted(key, value, decimals=1)
    rules = summary.get("rules") or {}
    ratios = [t("re_ratio", ratio=t.number(v["ratio"], decimals=2),
                rule=t(f"re_rule_{k}") if f"re_rule_{k}" in TEXTS else k.replace("_", " "))
              for k, v in rules.items() if isinstance(v, dict) and v.get("ratio")]
    solver = summary.get("solver") or {}
    note = (t("re_yearly") if summary.get("method") == "year_by_year"
            else solver_note(solver.get("solver"), solver.get("status"), lang=t.lang))
    nothing = summary.get("nothing_to_renew") or {}
    if nothing.get("reason") == "no_benefit":
        note += t("re_no_benefit", residual=t.number(nothing["residual_leaks_per_km_year"], decimals=2))
    elif nothing.get("reason") == "over_budget":
        note += t("re_over_budget", budget=t.money(nothing["budget_per_year_eur"]),
                  cheapest=t.money(nothing["cheapest_site_eur"]))
    return text + (f" ({', '.join(ratios)})" if ratios else "") + "." + note


def solver_note(solver, status, *, gap=None, bound_source=None, lang: str = "en") -> str:
    """" Not proven optimal: ..." naming the solver, its status and, when known, the gap and what proved it."""
    if status is None or status == "optimal":
        return ""
    t = _t(lang)
    text = t("so_not_optimal", solver=solver, status=status_text(t, status))
    if gap is not None:
        bound = t(f"so_bound_{bound_source}") if f"so_bound_{bound_source}" in TEXTS else bound_source
        text += t("so_gap", gap=t.percent(gap, decimals=2)) + (t("so_by", bound=bound) if bound_source else "")
    return text + "."


def placement_note(p: dict, *, lang: str = "en") -> str:
    """:func:`solver_note` for a ``placement.json``."""
    return solver_note(p.get("solver"), p.get("status"), gap=p.get("mip_gap"), bound_source=p.get("bound_source"),
                       lang=lang)


def dump(obj) -> str:
    return json.dumps(obj, indent=2, default=str)

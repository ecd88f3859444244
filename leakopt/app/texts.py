"""English and French strings of the app: ``{key: {"en": ..., "fr": ...}}``.

Numbers are formatted by :class:`leakopt.i18n.Translator` (``t.number``,
``t.percent``, ``t.length``, ``t.money``), so units and separators follow the
language everywhere.
"""
from __future__ import annotations

from leakopt.i18n import Translator

#: Page keys, in menu order.
PAGES = ("overview", "risk_map", "sensors", "renewal", "validation", "downloads", "upload")

TEXTS: dict[str, dict[str, str]] = {
    # --- frame ---------------------------------------------------------------------------
    "app_title": {"en": "leakopt: where will the next leaks be?",
                  "fr": "leakopt : où seront les prochaines fuites ?"},
    "language": {"en": "Language", "fr": "Langue"},
    "page": {"en": "Page", "fr": "Page"},
    "page_overview": {"en": "Overview", "fr": "Synthèse"},
    "page_risk_map": {"en": "Risk map", "fr": "Carte des risques"},
    "page_sensors": {"en": "Sensors", "fr": "Capteurs"},
    "page_renewal": {"en": "Renewal", "fr": "Renouvellement"},
    "page_validation": {"en": "Validation", "fr": "Validation"},
    "page_downloads": {"en": "Downloads", "fr": "Téléchargements"},
    "page_upload": {"en": "Your data", "fr": "Vos données"},
    "data_sample": {"en": "Data: the shipped sample (synthetic utility)",
                    "fr": "Données : l'échantillon fourni (réseau synthétique)"},
    "data_user": {"en": "Data: your files", "fr": "Données : vos fichiers"},
    "data_given": {"en": "Data: a finished analysis", "fr": "Données : une analyse déjà faite"},
    "data_files": {"en": "Files: {names}", "fr": "Fichiers : {names}"},
    "data_analysed": {"en": "Analysed on {date}", "fr": "Analysé le {date}"},
    "data_as_of": {"en": "forecast as of {date}", "fr": "prévision au {date}"},
    "back_to_sample": {"en": "Back to the sample data", "fr": "Revenir à l'échantillon"},
    "running_sample": {"en": "Analysing the sample data (first start only, cached afterwards)…",
                       "fr": "Analyse de l'échantillon (au premier lancement seulement, ensuite en cache)…"},
    "run_done": {"en": "Analysis done", "fr": "Analyse terminée"},
    "run_failed": {"en": "The analysis failed", "fr": "L'analyse a échoué"},
    "unexpected": {"en": "Something went wrong that leakopt did not foresee ({kind}: {message}). "
                         "The details are in the server log.",
                   "fr": "Une erreur imprévue est survenue ({kind} : {message}). "
                         "Le détail est dans le journal du serveur."},
    "input_error": {"en": "{message}",
                    "fr": "Ces fichiers ne peuvent pas être utilisés tels quels. Le détail, en anglais comme la "
                          "ligne de commande l'écrit\u00a0:\n\n{message}"},
    "missing_file": {"en": "This run has no {name}.", "fr": "Cette analyse n'a pas de fichier {name}."},
    # --- overview ------------------------------------------------------------------------
    "ov_title": {"en": "Overview", "fr": "Synthèse"},
    "ov_network": {"en": "Network length", "fr": "Longueur du réseau"},
    "ov_pipes": {"en": "{n} pipes", "fr": "{n} conduites"},
    "ov_leaks_year": {"en": "Leaks a year", "fr": "Fuites par an"},
    "ov_per_100km": {"en": "{rate} per 100 km a year", "fr": "{rate} pour 100 km par an"},
    "ov_zone": {"en": "Priority zone", "fr": "Zone prioritaire"},
    "ov_zone_delta": {"en": "of the length holds {share} of expected leaks",
                      "fr": "du linéaire concentre {share} des fuites attendues"},
    "ov_loggers": {"en": "Acoustic loggers", "fr": "Prélocalisateurs acoustiques"},
    "ov_loggers_delta": {"en": "vs {n} for the whole network (÷{f})",
                         "fr": "contre {n} pour tout le réseau (÷{f})"},
    "ov_loggers_delta_plain": {"en": "vs {n} for the whole network", "fr": "contre {n} pour tout le réseau"},
    "ov_loggers_delta_reach": {"en": "vs {n} to hear all the sites can reach (÷{f})",
                               "fr": "contre {n} pour entendre tout ce que les sites atteignent (÷{f})"},
    "ov_loggers_delta_reach_plain": {"en": "vs {n} to hear all the sites can reach",
                                     "fr": "contre {n} pour entendre tout ce que les sites atteignent"},
    "ov_renewal": {"en": "Renewal budget a year", "fr": "Budget annuel de renouvellement"},
    "ov_renewal_delta": {"en": "{n} expected leaks avoided in {y}",
                         "fr": "{n} fuites attendues évitées en {y}"},
    "ov_renewal_delta_1": {"en": "{n} expected leaks avoided in {y}",   # "1.0 leaks": a decimal, plural
                           "fr": "{n} fuite attendue évitée en {y}"},
    "ov_years": {"en": "{n} years", "fr": "{n} ans"},
    "ov_years_1": {"en": "{n} year", "fr": "{n} an"},
    "ov_backtest": {"en": "Proven on history", "fr": "Vérifié sur l'historique"},
    "ov_backtest_delta": {"en": "of later leaks on the top 20% of length",
                          "fr": "des fuites suivantes sur 20 % du linéaire"},
    "ov_backtest_na": {"en": "Not measured", "fr": "Non mesuré"},
    "ov_backtest_na_delta": {"en": "no leak in the test years", "fr": "aucune fuite dans les années de test"},
    "ov_summary": {
        "en": "The network has **{km}** of pipes and had **{leaks}** leaks a year recently. "
              "The model says that **{zone_len}** of the network (the priority zone) will hold "
              "**{zone_share}** of the leaks to come. Monitoring and renewing that zone first "
              "gives the most for the money spent.",
        "fr": "Le réseau compte **{km}** de canalisations et a connu **{leaks}** fuites par an "
              "récemment. Selon le modèle, **{zone_len}** du réseau (la zone prioritaire) concentrera "
              "**{zone_share}** des fuites à venir. Surveiller et renouveler d'abord cette zone "
              "est ce qui rapporte le plus pour la somme dépensée."},
    "ov_summary_no_leaks": {
        "en": "The network has **{km}** of pipes and no leak record to learn from: a model trained elsewhere "
              "scored them. It says that **{zone_len}** of the network (the priority zone) will hold "
              "**{zone_share}** of the leaks to come. Monitoring and renewing that zone first "
              "gives the most for the money spent.",
        "fr": "Le réseau compte **{km}** de canalisations et aucune fuite enregistrée dont apprendre : un "
              "modèle appris ailleurs les a notées. Selon lui, **{zone_len}** du réseau (la zone prioritaire) "
              "concentrera **{zone_share}** des fuites à venir. Surveiller et renouveler d'abord cette zone "
              "est ce qui rapporte le plus pour la somme dépensée."},
    "ov_summary_prior": {
        "en": "The network has **{km}** of pipes and no leak record to learn from: its pipes are ranked by "
              "published break rates by material, age and diameter, not by a model of this network. By those "
              "rates, **{zone_len}** of the network (the priority zone) holds **{zone_share}** of the expected "
              "leaks. Recording every repaired leak lets the next analysis learn this network's own pattern.",
        "fr": "Le réseau compte **{km}** de canalisations et aucune fuite enregistrée dont apprendre : ses "
              "conduites sont classées selon des taux de casse publiés par matériau, âge et diamètre, et non par "
              "un modèle de ce réseau. Selon ces taux, **{zone_len}** du réseau (la zone prioritaire) concentre "
              "**{zone_share}** des fuites attendues. Enregistrer chaque fuite réparée permettra à la prochaine "
              "analyse d'apprendre ce qui est propre à ce réseau."},
    "ov_model_missing": {"en": "The model given was trained with {n} features this utility does not have ({names}): "
                               "they are scored as unknown, so the ranking leans on the others.",
                         "fr": "Le modèle fourni a été appris avec {n} variables que ce service n'a pas ({names}) : "
                               "elles sont notées comme inconnues, et le classement s'appuie sur les autres."},
    "ov_backtest_text": {
        "en": "Had this method been used at the start of {year}, the top 20% of the network length "
              "would have held **{share}** of the leaks of the following {h} "
              "(pipe age alone: {oldest}).",
        "fr": "Si cette méthode avait été utilisée début {year}, les 20 % du linéaire classés les plus "
              "à risque auraient concentré **{share}** des fuites des {h} qui ont suivi "
              "(selon l'âge seul : {oldest})."},
    "ov_backtest_none": {
        "en": "Had this method been used at the start of {year}, there would have been nothing to test it on: the "
              "following {h} held no leak, so the ranking could not be measured.",
        "fr": "Si cette méthode avait été utilisée début {year}, rien n'aurait permis de la tester : les {h} qui "
              "ont suivi n'ont compté aucune fuite, le classement n'a donc pas pu être mesuré."},
    "ov_matrix": {"en": "Risk matrix: likelihood × what a break would cost",
                  "fr": "Matrice des risques\u00a0: probabilité × ce que coûterait une casse"},
    "ov_matrix_caption": {"en": "Pipes · length in each cell. Rows: likelihood class (A most likely); columns: "
                                "consequence class (4 most severe: large mains, many customers cut off).",
                          "fr": "Conduites · linéaire par case. Lignes\u00a0: classe de probabilité (A la plus "
                                "probable)\u00a0; colonnes\u00a0: classe de conséquence (4 la plus grave\u00a0: "
                                "grosses conduites, beaucoup d'abonnés coupés)."},
    "ov_matrix_note": {"en": "The priority zone and the logger placement rank pipes by expected leaks alone; "
                             "consequence weighs the renewal plan only when it is set to plan by business risk.",
                       "fr": "La zone prioritaire et le placement des capteurs classent les conduites sur les "
                             "seules fuites attendues\u00a0; la conséquence ne pèse dans le plan de renouvellement "
                             "que s'il est réglé sur le risque métier."},
    "ov_matrix_corner": {"en": "**{km}** of pipes ({n} pipes) are both among the likeliest to break (class {rows}) "
                                "and among those whose break would cost the most (consequence {cols}): there, "
                                "each break avoided counts most.",
                         "fr": "**{km}** de conduites ({n} conduites) sont à la fois parmi les plus susceptibles de "
                               "casser (classe {rows}) et parmi celles dont la casse coûterait le plus "
                               "(conséquence {cols})\u00a0: c'est là que chaque casse évitée compte le plus."},
    "ov_and": {"en": " or ", "fr": " ou "},
    "ov_matrix_how": {"en": "How consequence is judged (for engineers)",
                      "fr": "Comment la conséquence est estimée (pour les ingénieurs)"},
    "ov_matrix_map": {"en": "To see the pipes of one cell on the map, choose it on the Risk map page.",
                      "fr": "Pour voir sur la carte les conduites d'une case, choisissez-la dans la page Carte des "
                            "risques."},
    "ov_consequence": {"en": "Consequence {c}", "fr": "Conséquence {c}"},
    "ov_classes": {"en": "Network length by risk class", "fr": "Linéaire par classe de risque"},
    "as_of": {"en": "Forecast made as of {date}.", "fr": "Prévision établie au {date}."},
    # --- risk map ------------------------------------------------------------------------
    "rm_title": {"en": "Risk map", "fr": "Carte des risques"},
    "rm_caption": {"en": "Every pipe coloured by risk class: A (red) holds the highest expected leaks "
                         "per km. Hover for details; click a pipe to select it.",
                   "fr": "Chaque conduite est colorée selon sa classe de risque : A (rouge) a le plus de "
                         "fuites attendues par km. Survolez pour le détail ; cliquez pour sélectionner."},
    "rm_material": {"en": "Material", "fr": "Matériau"},
    "rm_class": {"en": "Risk class", "fr": "Classe de risque"},
    "rm_zone": {"en": "Zone", "fr": "Zone"},
    "rm_zone_all": {"en": "Whole network", "fr": "Tout le réseau"},
    "rm_zone_in": {"en": "Priority zone only", "fr": "Zone prioritaire seulement"},
    "rm_zone_out": {"en": "Outside the priority zone", "fr": "Hors zone prioritaire"},
    "rm_district": {"en": "Area ({col})", "fr": "Secteur ({col})"},
    "rm_shown": {"en": "{pipes}, {km}, {leaks} a year.", "fr": "{pipes}, {km}, {leaks} par an."},
    "rm_shown_pipes": {"en": "{n} pipes shown", "fr": "{n} conduites affichées"},
    "rm_shown_pipes_1": {"en": "{n} pipe shown", "fr": "{n} conduite affichée"},
    "rm_shown_leaks": {"en": "{n} expected leaks", "fr": "{n} fuites attendues"},
    "rm_shown_leaks_1": {"en": "{n} expected leak", "fr": "{n} fuite attendue"},
    "rm_none": {"en": "No pipe matches these filters.", "fr": "Aucune conduite ne correspond à ces filtres."},
    "rm_no_geometry": {"en": "This run has no pipe geometry (no GIS layer, and no network or one without "
                             "coordinates): the map cannot be drawn, the table below lists the pipes.",
                       "fr": "Cette analyse n'a pas de géométrie (ni couche SIG, ni réseau avec des coordonnées) : "
                             "pas de carte, le tableau ci-dessous liste les conduites."},
    "rm_pick": {"en": "Pipe", "fr": "Conduite"},
    "rm_detail": {"en": "Pipe {pid}", "fr": "Conduite {pid}"},
    "rm_expected": {"en": "Expected leaks a year", "fr": "Fuites attendues par an"},
    "rm_per_km": {"en": "Leaks per km a year", "fr": "Fuites par km et par an"},
    "rm_tip_field": {"en": "{label}: {value}", "fr": "{label} : {value}"},
    "rm_laid": {"en": "laid in {year}", "fr": "posée en {year}"},
    "rm_rank": {"en": "Rank", "fr": "Rang"},
    "rm_why": {"en": "Why: {text}", "fr": "Pourquoi : {text}"},
    "rm_history": {"en": "Leak history", "fr": "Historique des fuites"},
    "rm_no_history": {"en": "No recorded leak on this pipe.",
                      "fr": "Aucune fuite enregistrée sur cette conduite."},
    "rm_n_history": {"en": "{n} recorded leaks: {dates}", "fr": "{n} fuites enregistrées\u00a0: {dates}"},
    "rm_n_history_1": {"en": "1 recorded leak: {dates}", "fr": "1 fuite enregistrée\u00a0: {dates}"},
    "rm_n_history_latest": {"en": "{n} recorded leaks, the latest {k}: {dates}",
                            "fr": "{n} fuites enregistrées, dont les {k} dernières\u00a0: {dates}"},
    "rm_table": {"en": "Highest-risk pipes", "fr": "Conduites les plus à risque"},
    "rm_attrs": {"en": "{material}, {diameter} mm, laid in {year}, {length}",
                 "fr": "{material}, {diameter} mm, posée en {year}, {length}"},
    "rm_colour_by": {"en": "Colour by", "fr": "Colorer selon"},
    "rm_colour_likelihood": {"en": "Likelihood class", "fr": "Classe de probabilité"},
    "rm_colour_consequence": {"en": "Consequence class", "fr": "Classe de conséquence"},
    "rm_colour_business_risk": {"en": "Business risk", "fr": "Risque métier"},
    "rm_caption_consequence": {
        "en": "Every pipe coloured by consequence class: 4 (dark purple) would cost the most if it broke "
              "(large main, many customers cut off). Hover for details; click a pipe to select it.",
        "fr": "Chaque conduite est colorée selon sa classe de conséquence : 4 (violet foncé) coûterait le plus "
              "en cas de casse (grosse conduite, beaucoup d'abonnés coupés). Survolez pour le détail ; "
              "cliquez pour sélectionner."},
    "rm_caption_business": {
        "en": "Every pipe coloured by business risk (expected leaks a year × consequence): the darkest band holds "
              "the 10% of network length with the highest business risk, the next ones 20% and 30%, the "
              "palest the rest. Hover for details; click a pipe to select it.",
        "fr": "Chaque conduite est colorée selon son risque métier (fuites attendues par an × conséquence) : "
              "la teinte la plus foncée couvre les 10 % du linéaire au risque métier le plus élevé, les "
              "suivantes 20 % et 30 %, la plus claire le reste. Survolez pour le détail ; "
              "cliquez pour sélectionner."},
    "rm_business": {"en": "Business risk", "fr": "Risque métier"},
    "rm_band_top": {"en": "≥ {lo}", "fr": "≥ {lo}"},
    "rm_band": {"en": "{lo} to {hi}", "fr": "{lo} à {hi}"},
    "rm_band_low": {"en": "< {hi}", "fr": "< {hi}"},
    "rm_cell": {"en": "Risk matrix cell (likelihood × consequence)",
                "fr": "Case de la matrice des risques (probabilité × conséquence)"},
    "rm_no_filter": {"en": "All (no filter)", "fr": "Tous (aucun filtre)"},
    "rm_cell_all": {"en": "All cells", "fr": "Toutes les cases"},
    "rm_cell_option": {"en": "{r} × {c} · {n} pipes", "fr": "{r} × {c} · {n} conduites"},
    "rm_cell_option_1": {"en": "{r} × {c} · {n} pipe", "fr": "{r} × {c} · {n} conduite"},
    "rm_consequence_line": {"en": "Consequence class {c} ({points} points) · business risk {br} "
                                  "(expected leaks a year × consequence points)",
                            "fr": "Classe de conséquence {c} ({points} points) · risque métier {br} "
                                  "(fuites attendues par an × points de conséquence)"},
    # --- sensors -------------------------------------------------------------------------
    "se_title": {"en": "Acoustic loggers", "fr": "Prélocalisateurs acoustiques"},
    "se_no_network": {"en": "Sensor placement needs the network (an EPANET .inp file). "
                            "Upload one on the “Your data” page.",
                      "fr": "Le placement de capteurs nécessite le réseau (fichier EPANET .inp). "
                            "Ajoutez-le dans la page « Vos données »."},
    "se_mode": {"en": "Choose by", "fr": "Choisir selon"},
    "se_mode_run": {"en": "As computed in the analysis", "fr": "Tel que calculé dans l'analyse"},
    "se_mode_target": {"en": "Share of expected leaks to hear", "fr": "Part des fuites attendues à entendre"},
    "se_mode_budget": {"en": "Number of loggers (budget)", "fr": "Nombre de capteurs (budget)"},
    "se_target": {"en": "Target share of expected leaks (%)", "fr": "Part visée des fuites attendues (%)"},
    "se_budget": {"en": "Loggers available", "fr": "Capteurs disponibles"},
    "se_solving": {"en": "Solving the placement…", "fr": "Calcul du placement…"},
    "se_n": {"en": "Loggers", "fr": "Capteurs"},
    "se_covered": {"en": "Expected leaks heard", "fr": "Fuites attendues entendues"},
    "se_full": {"en": "To cover the whole network", "fr": "Pour couvrir tout le réseau"},
    "se_full_reach": {"en": "To hear all the sites can reach", "fr": "Pour entendre tout ce que les sites atteignent"},
    "se_status": {"en": "Solver {solver}: {status}, {seconds}.", "fr": "Solveur {solver} : {status}, {seconds}."},
    "se_map": {"en": "Logger sites (black) and the pipes they hear (blue)",
               "fr": "Sites des capteurs (noir) et conduites entendues (bleu)"},
    "se_curve": {"en": "Trade-off: loggers against share of expected leaks heard (dashed: greedy heuristic)",
                 "fr": "Compromis : nombre de capteurs et part des fuites attendues entendues "
                       "(pointillés : heuristique gloutonne)"},
    "se_heard": {"en": "pipes heard", "fr": "conduites entendues"},
    "se_not_heard": {"en": "not heard", "fr": "non entendues"},
    "se_download": {"en": "Download these logger sites ({name})", "fr": "Télécharger ces sites de capteurs ({name})"},
    "se_sites": {"en": "Logger sites", "fr": "Sites des capteurs"},
    "se_axis_n": {"en": "loggers", "fr": "capteurs"},
    "se_axis_share": {"en": "share of expected leaks heard", "fr": "part des fuites attendues entendues"},
    # --- renewal -------------------------------------------------------------------------
    "rn_title": {"en": "Renewal plan", "fr": "Plan de renouvellement"},
    "rn_budget": {"en": "Annual budget (thousand {currency})", "fr": "Budget annuel (k{currency})"},
    "rn_solving": {"en": "Optimising the plan…", "fr": "Optimisation du plan…"},
    "rn_avoided": {"en": "Expected leaks avoided", "fr": "Fuites attendues évitées"},
    "rn_km": {"en": "Length renewed", "fr": "Linéaire renouvelé"},
    "rn_cost": {"en": "Total cost", "fr": "Coût total"},
    "rn_years": {"en": "over {y} years", "fr": "sur {y} ans"},
    "rn_rules": {"en": "Against the simple rules, at the same budget",
                 "fr": "Face aux règles simples, à budget égal"},
    "rn_rule": {"en": "Plan", "fr": "Plan"},
    "rn_optimised": {"en": "leakopt plan", "fr": "Plan leakopt"},
    "rn_oldest_first": {"en": "Oldest pipes first", "fr": "Les plus anciennes d'abord"},
    "rn_most_leaks_first": {"en": "Most past leaks first", "fr": "Le plus de fuites passées d'abord"},
    "rn_ratio": {"en": "leakopt plan ÷ rule", "fr": "Plan leakopt ÷ règle"},
    "rn_risk_avoided": {"en": "Business risk avoided", "fr": "Risque métier évité"},
    "rn_objective_leaks": {"en": "Planned to avoid the most expected leaks; weighted by what a break would cost, it "
                                 "avoids {risk} points of business risk.",
                           "fr": "Plan conçu pour éviter le plus de fuites attendues\u00a0; pondéré par ce que "
                                 "coûterait une casse, il évite {risk} points de risque métier."},
    "rn_objective_risk": {"en": "Planned by business risk: each leak avoided counts what a break on its pipe would "
                                "cost. It avoids {risk} points of business risk, and the ratios compare those.",
                          "fr": "Plan conçu sur le risque métier\u00a0: chaque fuite évitée compte ce que coûterait "
                                "une casse sur sa conduite. Il évite {risk} points de risque métier, et les rapports "
                                "comparent ces points."},
    "rn_beats_risk": {"en": "leakopt's plan avoids {ratio} times as much business risk as “{rule}”.",
                      "fr": "Le plan de leakopt évite {ratio} fois plus de risque métier que «\u00a0{rule}\u00a0»."},
    "rn_by_year": {"en": "Year by year", "fr": "Année par année"},
    "rn_download": {"en": "Download this plan, {budget} a year (CSV)",
                    "fr": "Télécharger ce plan, {budget} par an (CSV)"},
    "rn_pipes": {"en": "Pipes to renew", "fr": "Conduites à renouveler"},
    "rn_year": {"en": "year", "fr": "année"},
    "rn_beats": {"en": "leakopt's plan avoids {ratio} times as many leaks as “{rule}”.",
                 "fr": "Le plan de leakopt évite {ratio} fois plus de fuites que la règle «\u00a0{rule}\u00a0»."},
    # --- validation ----------------------------------------------------------------------
    "va_title": {"en": "Validation", "fr": "Validation"},
    "va_backtest": {"en": "Backtest: would it have found the leaks that followed?",
                    "fr": "Test rétrospectif : le modèle aurait-il trouvé les fuites suivantes ?"},
    "va_backtest_text": {"en": "Trained on leaks before {cutoff}, scored against the {n} leaks of the "
                               "next {h}. Each curve: share of those leaks found when inspecting "
                               "the top share of network length, ranked by each method.",
                         "fr": "Entraîné sur les fuites avant le {cutoff}, évalué sur les {n} fuites des "
                               "{h} qui ont suivi. Chaque courbe : part de ces fuites trouvées en "
                               "inspectant la part du linéaire classée la plus à risque par chaque méthode."},
    "va_backtest_none": {"en": "Trained on leaks before {cutoff}; the {h} that followed held no leak on the pipes "
                               "scored, so the rankings could not be measured: there is no share of leaks found to "
                               "show (backtest.json gives none, not 0%).",
                         "fr": "Entraîné sur les fuites avant le {cutoff} ; les {h} qui ont suivi n'ont compté "
                               "aucune fuite sur les conduites notées, les classements n'ont donc pas pu être "
                               "mesurés : il n'y a aucune part de fuites trouvées à montrer (backtest.json n'en "
                               "donne aucune, et non 0 %)."},
    "va_cut": {"en": "The {asked} asked for were cut to the {h} the leak record holds after {cutoff} (it ends on "
                     "{end}).",
               "fr": "Les {asked} demandés ont été ramenés aux {h} que couvre l'historique des fuites après le "
                     "{cutoff} (il s'arrête le {end})."},
    "va_no_backtest": {"en": "No backtest in this run (the history is too short).",
                       "fr": "Pas de test rétrospectif (historique trop court)."},
    "va_no_backtest_given": {"en": "No backtest in this run: the leak history is empty, so the model given "
                                   "(trained elsewhere) cannot be tested on it.",
                             "fr": "Pas de test rétrospectif : l'historique des fuites est vide, le modèle fourni "
                                   "(appris ailleurs) ne peut donc pas y être testé."},
    "va_no_backtest_prior": {"en": "No backtest in this run: the leak file holds no leak, so no ranking can be "
                                   "tested on this utility's history.",
                             "fr": "Pas de test rétrospectif : le fichier des fuites n'en contient aucune, aucun "
                                   "classement ne peut donc être testé sur l'historique de ce service."},
    "va_backtest_given": {"en": "The model given (trained elsewhere, nothing trained here) scored the pipes as "
                                "they were on {cutoff}, against the {n} leaks of the next {h}. Each curve: "
                                "share of those leaks found when inspecting the top share of network length, "
                                "ranked by each method.",
                          "fr": "Le modèle fourni (appris ailleurs, rien n'est appris ici) a noté les conduites "
                                "telles qu'elles étaient le {cutoff}, et il est évalué sur les {n} fuites des {h} "
                                "qui ont suivi. Chaque courbe : part de ces fuites trouvées en inspectant la "
                                "part du linéaire classée la plus à risque par chaque méthode."},
    "va_capture": {"en": "Share of later leaks on the top share of length",
                   "fr": "Part des fuites suivantes sur la part du linéaire la plus à risque"},
    "va_method": {"en": "Method", "fr": "Méthode"},
    "va_length_share": {"en": "share of network length", "fr": "part du linéaire"},
    "va_leak_share": {"en": "share of later leaks", "fr": "part des fuites suivantes"},
    "va_calibration": {"en": "Calibration: predicted against observed leaks, by tenth of network length",
                       "fr": "Étalonnage : fuites prévues et observées, par dixième du linéaire"},
    "va_predicted": {"en": "predicted", "fr": "prévues"},
    "va_observed": {"en": "observed", "fr": "observées"},
    "va_decile": {"en": "tenth of network length, riskiest first", "fr": "dixième du linéaire, du plus au moins risqué"},
    "va_notes": {"en": "Caveats of this backtest", "fr": "Réserves sur ce test rétrospectif"},
    "va_limits": {"en": "What the model cannot know", "fr": "Ce que le modèle ne peut pas savoir"},
    "va_limits_text": {
        "en": "- It learns only from the leaks that were **recorded**: leaks repaired without a record, "
              "or before recording started, are invisible to it.\n"
              "- It does not see **soil, traffic, corrosion or works** unless the register has a column "
              "for them and the configuration lists it.\n"
              "- It forecasts **rates**, not dates: a pipe in class A may not leak this year, and a pipe "
              "in class D can still burst.\n"
              "- Pipes renewed or repaired after the forecast date keep their old score until the next run.\n"
              "- Imputed diameters and install years (flagged in the data checks) make those pipes' "
              "scores less certain.",
        "fr": "- Il n'apprend que des fuites **enregistrées** : celles réparées sans trace, ou avant le "
              "début des enregistrements, lui sont invisibles.\n"
              "- Il ne voit ni le **sol**, ni le **trafic**, ni la **corrosion**, ni les **travaux**, sauf si "
              "le registre en a une colonne et que la configuration la cite.\n"
              "- Il prévoit des **taux**, pas des dates : une conduite de classe A peut ne pas fuir cette "
              "année, et une conduite de classe D peut casser.\n"
              "- Les conduites renouvelées ou réparées après la date de prévision gardent leur ancien score "
              "jusqu'à la prochaine analyse.\n"
              "- Les diamètres et années de pose imputés (signalés dans les contrôles) rendent le score de "
              "ces conduites moins sûr."},
    "va_checks": {"en": "Data checks", "fr": "Contrôles des données"},
    "va_no_issue": {"en": "No data problem found.", "fr": "Aucun problème de données détecté."},
    "model": {"en": "leakopt model", "fr": "modèle leakopt"},
    "oldest_first": {"en": "oldest first", "fr": "les plus anciennes"},
    "most_leaks_per_km": {"en": "most leaks per km so far", "fr": "le plus de fuites par km"},
    "leaks_per_km_so_far": {"en": "most leaks per km so far", "fr": "le plus de fuites par km"},
    "cohort_rate": {"en": "material × decade rate", "fr": "taux matériau × décennie"},
    "poisson_glm": {"en": "Poisson GLM (classical statistics)", "fr": "GLM de Poisson (statistique classique)"},
    "plain_lightgbm": {"en": "plain LightGBM (per-pipe features, untuned)",
                       "fr": "LightGBM simple (variables par conduite, sans réglage)"},
    "literature_prior": {"en": "published break rates (no history)", "fr": "taux de casse publiés (sans historique)"},
    "truth": {"en": "true rates (synthetic)", "fr": "taux réels (synthétique)"},
    "random": {"en": "random", "fr": "au hasard"},
    # --- downloads -----------------------------------------------------------------------
    "dl_title": {"en": "Downloads", "fr": "Téléchargements"},
    "dl_caption": {"en": "The files of this analysis, as the command line writes them.",
                   "fr": "Les fichiers de cette analyse, tels que la ligne de commande les écrit."},
    "dl_risk_csv": {"en": "Risk per pipe (CSV)", "fr": "Risque par conduite (CSV)"},
    "dl_risk_geojson": {"en": "Risk map (GeoJSON)", "fr": "Carte des risques (GeoJSON)"},
    "dl_consequence": {"en": "Consequence of failure per pipe (CSV)",
                       "fr": "Conséquence d'une casse par conduite (CSV)"},
    "dl_risk_matrix": {"en": "Risk matrix (JSON)", "fr": "Matrice des risques (JSON)"},
    "dl_priority": {"en": "Priority zone: length and share of expected leaks (JSON)",
                    "fr": "Zone prioritaire\u00a0: linéaire et part des fuites attendues (JSON)"},
    "dl_backtest": {"en": "Test on past years, model against simple rules (JSON)",
                    "fr": "Test sur les années passées, modèle contre règles simples (JSON)"},
    "dl_sensors": {"en": "Logger sites (CSV)", "fr": "Sites des capteurs (CSV)"},
    "dl_placement": {"en": "Logger placement: solver, status, figures (JSON)",
                     "fr": "Placement des capteurs\u00a0: solveur, statut, chiffres (JSON)"},
    "dl_tradeoff": {"en": "Loggers against share of expected leaks heard (CSV)",
                    "fr": "Capteurs selon la part des fuites attendues entendue (CSV)"},
    "dl_campaign": {"en": "Logger campaign, deployment by deployment (CSV)",
                    "fr": "Campagne de prélocalisation, pose par pose (CSV)"},
    "dl_pressure": {"en": "Pressure sensor sites (CSV)", "fr": "Sites des capteurs de pression (CSV)"},
    "dl_renewal": {"en": "Renewal plan (CSV)", "fr": "Plan de renouvellement (CSV)"},
    "dl_renewal_json": {"en": "Renewal plan: totals, year by year, rules compared (JSON)",
                        "fr": "Plan de renouvellement\u00a0: totaux, année par année, règles comparées (JSON)"},
    "dl_report": {"en": "Report (HTML)", "fr": "Rapport (HTML)"},
    "dl_report_in_en": {"en": "Report in English (HTML)", "fr": "Rapport en anglais (HTML)"},
    "dl_report_in_fr": {"en": "Report in French (HTML)", "fr": "Rapport en français (HTML)"},
    "dl_report_lang": {"en": "Report in English (HTML)", "fr": "Rapport en français (HTML)"},
    "dl_report_making": {"en": "Writing the report in English…", "fr": "Rédaction du rapport en français…"},
    "dl_validation": {"en": "Data checks (JSON)", "fr": "Contrôles des données (JSON)"},
    "dl_manifest": {"en": "Run manifest (JSON)", "fr": "Manifeste de l'analyse (JSON)"},
    # --- upload --------------------------------------------------------------------------
    "up_title": {"en": "Your data", "fr": "Vos données"},
    "up_caption": {"en": "Load your own files. They are checked first; nothing runs until you have "
                         "seen the data checks.",
                   "fr": "Chargez vos propres fichiers. Ils sont d'abord contrôlés ; aucun calcul n'est "
                         "lancé avant que vous ayez vu les contrôles."},
    "up_pipes": {"en": "Pipes (asset register: CSV, Excel .xlsx, GeoPackage, GeoJSON, or zipped Shapefile)",
                 "fr": "Conduites (inventaire : CSV, Excel .xlsx, GeoPackage, GeoJSON ou Shapefile zippé)"},
    "up_leaks": {"en": "Leak history (CSV or Excel .xlsx)", "fr": "Historique des fuites (CSV ou Excel .xlsx)"},
    "up_network": {"en": "Network (EPANET .inp, optional)", "fr": "Réseau (EPANET .inp, facultatif)"},
    "up_config": {"en": "Configuration (TOML with column mapping, optional)",
                  "fr": "Configuration (TOML avec correspondance des colonnes, facultatif)"},
    "up_check": {"en": "Check the files", "fr": "Contrôler les fichiers"},
    "up_model": {"en": "Model from another run (model.txt and model.txt.glm.json, optional)",
                 "fr": "Modèle d'une autre analyse (model.txt et model.txt.glm.json, facultatif)"},
    "up_model_help": {"en": "For a register with no leak history: the pipes are scored by the model another "
                            "utility's run learnt (both files of its run folder), as 'leakopt run --model' does. "
                            "With a model, the leak history may be left out.",
                      "fr": "Pour un inventaire sans historique de fuites : les conduites sont notées par le "
                            "modèle qu'a appris l'analyse d'un autre service (les deux fichiers de son dossier), "
                            "comme le fait « leakopt run --model ». Avec un modèle, l'historique des fuites peut "
                            "manquer."},
    "up_model_files": {"en": "A model is two files of a run folder: model.txt (the trees) and model.txt.glm.json "
                             "(what they add to). Upload both, and only them; got: {names}.",
                       "fr": "Un modèle tient en deux fichiers d'un dossier d'analyse : model.txt (les arbres) et "
                             "model.txt.glm.json (ce à quoi ils s'ajoutent). Chargez les deux, et eux seuls ; "
                             "reçu : {names}."},
    "up_model_bad": {"en": "These files are not a model that leakopt can read ({names}): upload model.txt and "
                           "model.txt.glm.json as a run folder holds them.",
                     "fr": "Ces fichiers ne sont pas un modèle que leakopt sait lire ({names}) : chargez model.txt "
                           "et model.txt.glm.json tels qu'un dossier d'analyse les contient."},
    "up_model_used": {"en": "The pipes will be scored by the model you uploaded, learnt from another run's "
                            "leaks, not by one learnt here. The report says so.",
                      "fr": "Les conduites seront notées par le modèle chargé, appris sur les fuites d'une autre "
                            "analyse, et non par un modèle appris ici. Le rapport le dit."},
    "up_no_leak": {"en": "No leak record can be used: the risk model learns from past leaks. Upload the leak "
                         "history (the data checks below say why its rows were left out), or a model from "
                         "another run.",
                   "fr": "Aucune fuite n'est utilisable : le modèle de risque apprend des fuites passées. "
                         "Chargez l'historique des fuites (les contrôles ci-dessous disent pourquoi ses lignes "
                         "ont été écartées), ou le modèle d'une autre analyse."},
    "up_no_leak_rows": {"en": "The leak file has no rows: with no history to learn from, the pipes will be ranked by "
                              "published break rates by material, age and diameter, not by a model of your "
                              "network. Upload the utility's leak history (one row per repaired leak, with its date "
                              "and pipe), or a model from another run, to rank them better.",
                        "fr": "Le fichier des fuites n'a aucune ligne : sans historique dont apprendre, les conduites "
                              "seront classées selon des taux de casse publiés par matériau, âge et diamètre, et non "
                              "par un modèle de votre réseau. Chargez l'historique des fuites du service (une ligne "
                              "par fuite réparée, avec sa date et sa conduite), ou le modèle d'une autre analyse, "
                              "pour mieux les classer."},
    "up_need": {"en": "Give at least the pipes, and the leak history or a model from another run.",
                "fr": "Donnez au moins l'inventaire des conduites, et l'historique des fuites ou le modèle "
                      "d'une autre analyse."},
    "up_ok_le1": {"en": "The files load: {pipes} pipes, {km}, {leaks} usable leak records, forecast as of {date}.",
                  "fr": "Fichiers lus : {pipes} conduites, {km}, {leaks} fuite utilisable, prévision au {date}."},
    "up_ok": {"en": "The files load: {pipes} pipes, {km}, {leaks} usable leak records, "
                    "forecast as of {date}.",
              "fr": "Fichiers lus : {pipes} conduites, {km}, {leaks} fuites utilisables, "
                    "prévision au {date}."},
    "up_kept": {"en": "The files checked before are kept: {names}. Run the analysis on them, or upload others: "
                      "a file uploaded replaces the kept one of its kind.",
                "fr": "Les fichiers contrôlés plus tôt sont gardés : {names}. Lancez l'analyse sur eux, ou "
                      "chargez-en d'autres : un fichier chargé remplace celui de même nature."},
    "up_kept_some": {"en": "Kept from the files checked before, as none of their kind was uploaded: {names}.",
                     "fr": "Gardés des fichiers contrôlés plus tôt, faute d'un autre de même nature : {names}."},
    "up_forget": {"en": "Forget the files kept", "fr": "Oublier les fichiers gardés"},
    "up_workbook": {"en": "{name} is a spreadsheet in a format that leakopt does not read (old Excel .xls, "
                          "OpenDocument .ods or Excel binary .xlsb): open it in Excel or LibreOffice, save it as an "
                          "Excel workbook (.xlsx), or save the sheet as CSV, and upload that file.",
                    "fr": "{name} est un classeur dans un format que leakopt ne lit pas (ancien Excel .xls, "
                          "OpenDocument .ods ou Excel binaire .xlsb) : ouvrez-le dans Excel ou LibreOffice, "
                          "enregistrez-le en classeur Excel (.xlsx), ou enregistrez la feuille en CSV, et chargez "
                          "ce fichier."},
    "up_sheet_need": {"en": "Several sheets of {names} hold a table: choose the one to read.",
                      "fr": "Plusieurs feuilles de {names} contiennent une table : choisissez celle à lire."},
    "up_sheet_missing": {"en": "{names} has no sheet named '{sheet}', which the configuration names: choose the "
                                "one to read.",
                         "fr": "{names} n'a pas de feuille nommée '{sheet}', que la configuration désigne : choisissez "
                               "celle à lire."},
    "up_sheet_columns": {"en": "Sheet of {name} that holds the pipes (asset register)",
                         "fr": "Feuille de {name} qui contient les conduites (inventaire)"},
    "up_sheet_leak_columns": {"en": "Sheet of {name} that holds the leak history",
                              "fr": "Feuille de {name} qui contient l'historique des fuites"},
    "up_sheet_rows": {"en": "{n} non-blank rows", "fr": "{n} lignes non vides"},
    "up_sheet_rows_1": {"en": "{n} non-blank row", "fr": "{n} ligne non vide"},
    "up_sheet_option": {"en": "{name} ({rows})", "fr": "{name} ({rows})"},
    "up_sheet_option_hidden": {"en": "{name} ({rows}, hidden)", "fr": "{name} ({rows}, masquée)"},
    "up_sheet_placeholder": {"en": "Choose a sheet", "fr": "Choisissez une feuille"},
    "up_sheet_apply": {"en": "Read this sheet and check again", "fr": "Lire cette feuille et recontrôler"},
    "up_sheet_apply_both": {"en": "Read these sheets and check again", "fr": "Lire ces feuilles et recontrôler"},
    "up_sheet_all": {"en": "Choose a sheet for each file.", "fr": "Choisissez une feuille pour chaque fichier."},
    "up_run": {"en": "Run the analysis", "fr": "Lancer l'analyse"},
    "up_running": {"en": "Analysing your data…", "fr": "Analyse de vos données…"},
    "up_done": {"en": "Done: the other pages now show your data.",
                "fr": "Terminé : les autres pages montrent maintenant vos données."},
    "up_map_title": {"en": "Which of your columns is which?", "fr": "À quoi correspondent vos colonnes ?"},
    "up_map_caption": {"en": "Pick the column of your file that holds each missing one; the likely one is "
                                "chosen already: check it. The choices complete your configuration (or make "
                                "one), which you can download for the command line.",
                       "fr": "Choisissez la colonne de votre fichier qui contient chacune de celles qui "
                             "manquent ; la plus probable est déjà choisie : vérifiez-la. Ces choix complètent "
                             "votre configuration (ou en créent une), téléchargeable pour la ligne de commande."},
    "up_map_columns": {"en": "Pipes (asset register)", "fr": "Conduites (inventaire)"},
    "up_map_leak_columns": {"en": "Leak history", "fr": "Historique des fuites"},
    "up_map_apply": {"en": "Use these columns and check again", "fr": "Utiliser ces colonnes et recontrôler"},
    "up_map_all": {"en": "Choose a column for each one not marked optional.",
                   "fr": "Choisissez une colonne pour chacune de celles qui ne sont pas facultatives."},
    "up_map_optional_leaks": {"en": "{name} (optional: without it, the leaks are placed from x, y)",
                              "fr": "{name} (facultatif\u00a0: sans lui, les fuites sont placées d'après x, y)"},
    "up_map_optional": {"en": "{name} (optional when a network gives it)",
                        "fr": "{name} (facultatif quand un réseau le donne)"},
    "up_col_pipe_id": {"en": "Pipe ID (pipe_id)", "fr": "Identifiant de la conduite (pipe_id)"},
    "up_col_material": {"en": "Material (material)", "fr": "Matériau (material)"},
    "up_col_install_year": {"en": "Year laid (install_year)", "fr": "Année de pose (install_year)"},
    "up_col_diameter_mm": {"en": "Diameter in mm (diameter_mm)", "fr": "Diamètre en mm (diameter_mm)"},
    "up_col_length_m": {"en": "Length in m (length_m)", "fr": "Longueur en m (length_m)"},
    "up_col_date": {"en": "Date of the leak (date)", "fr": "Date de la fuite (date)"},
    "up_col_x": {"en": "x coordinate (x)", "fr": "Coordonnée x (x)"},
    "up_col_y": {"en": "y coordinate (y)", "fr": "Coordonnée y (y)"},
    "up_col_leak_id": {"en": "Leak ID (leak_id)", "fr": "Identifiant de la fuite (leak_id)"},
    "up_col_type": {"en": "Kind of leak (type)", "fr": "Type de fuite (type)"},
    "up_map_save": {"en": "Download this configuration (for leakopt run --config)",
                    "fr": "Télécharger cette configuration (pour leakopt run --config)"},
    "up_issue": {"en": "{n} × {what}", "fr": "{n} × {what}"},
    # --- progress bars (leakopt.app.widgets.progress_text) -----------------------------------
    "pg_line": {"en": "{stage}: {step} {done}/{total}", "fr": "{stage} : {step} {done}/{total}"},
    "pg_sample": {"en": "Sample utility", "fr": "Réseau d'exemple"},
    "pg_load": {"en": "Reading and checking the files", "fr": "Lecture et contrôle des fichiers"},
    "pg_hydraulics": {"en": "Hydraulic simulation", "fr": "Simulation hydraulique"},
    "pg_risk": {"en": "Risk model", "fr": "Modèle de risque"},
    "pg_consequence": {"en": "Consequence of a break", "fr": "Conséquence d'une casse"},
    "pg_backtest": {"en": "Test on past years", "fr": "Test sur les années passées"},
    "pg_sensors": {"en": "Logger placement", "fr": "Placement des capteurs"},
    "pg_pressure": {"en": "Pressure sensors", "fr": "Capteurs de pression"},
    "pg_campaign": {"en": "Logger campaign", "fr": "Campagne de capteurs"},
    "pg_renewal": {"en": "Renewal plan", "fr": "Plan de renouvellement"},
    "pg_report": {"en": "Report", "fr": "Rapport"},
    # --- table headers (leakopt.app.tables) ----------------------------------------------
    "tc_rank": {"en": "Rank", "fr": "Rang"},
    "tc_pipe_id": {"en": "Pipe", "fr": "Conduite"},
    "tc_risk_class": {"en": "Risk class", "fr": "Classe de risque"},
    "tc_expected": {"en": "Expected leaks a year", "fr": "Fuites attendues par an"},
    "tc_per_km": {"en": "Leaks per km a year", "fr": "Fuites par km et par an"},
    "tc_consequence_class": {"en": "Consequence class", "fr": "Classe de conséquence"},
    "tc_consequence": {"en": "Consequence (points)", "fr": "Conséquence (points)"},
    "tc_business_risk": {"en": "Business risk", "fr": "Risque métier"},
    "tc_material": {"en": "Material", "fr": "Matériau"},
    "tc_diameter": {"en": "Diameter (mm)", "fr": "Diamètre (mm)"},
    "tc_install_year": {"en": "Laid in", "fr": "Année de pose"},
    "tc_length": {"en": "Length (m)", "fr": "Longueur (m)"},
    "tc_site": {"en": "Site", "fr": "Emplacement"},
    "tc_x": {"en": "x", "fr": "x"},
    "tc_y": {"en": "y", "fr": "y"},
    "tc_site_kind": {"en": "Kind of site", "fr": "Type d'emplacement"},
    "tc_covered_pipes": {"en": "Pipes heard", "fr": "Conduites entendues"},
    "tc_covered_length": {"en": "Length heard (m)", "fr": "Linéaire entendu (m)"},
    "tc_covered_share": {"en": "Share of expected leaks heard (%)", "fr": "Part des fuites attendues entendues (%)"},
    "tc_detected_scenarios": {"en": "Leak scenarios detected", "fr": "Scénarios de fuite détectés"},
    "tc_detected_share": {"en": "Share of risk-weighted leaks detected (%)",
                          "fr": "Part des fuites pondérées détectées (%)"},
    "tc_year": {"en": "Year", "fr": "Année"},
    "tc_renewal_site": {"en": "Works site", "fr": "Chantier"},
    "tc_cost": {"en": "Cost ({currency})", "fr": "Coût ({currency})"},
    "tc_avoided_per_year": {"en": "Leaks avoided a year", "fr": "Fuites évitées par an"},
    "tc_avoided": {"en": "Leaks avoided over the plan", "fr": "Fuites évitées sur la durée du plan"},
    "tc_risk_avoided": {"en": "Business risk avoided", "fr": "Risque métier évité"},
    "tc_row": {"en": "Row of the file", "fr": "Ligne du fichier"},
    "tc_leak_id": {"en": "Leak", "fr": "Fuite"},
    "tc_date": {"en": "Date", "fr": "Date"},
    "tc_snap_distance": {"en": "Distance to the pipe (m)", "fr": "Distance à la conduite (m)"},
    "tc_imputed_from": {"en": "Imputed from", "fr": "Imputé d'après"},
    "tc_leaks": {"en": "Leaks", "fr": "Fuites"},
    "tc_material_raw": {"en": "Material code", "fr": "Code matériau"},
    "tc_pipes": {"en": "Pipes", "fr": "Conduites"},
    "va_code": {"en": "Code: {code}", "fr": "Code\u00a0: {code}"},
    "tk_junction": {"en": "network node", "fr": "nœud du réseau"},
    "tk_access_point": {"en": "access point (assumed)", "fr": "point d'accès (supposé)"},
    "tk_hydrant": {"en": "hydrant", "fr": "poteau incendie"},
    "tk_valve": {"en": "valve", "fr": "vanne"},
    "tk_chamber": {"en": "chamber", "fr": "regard"},
    "tk_site": {"en": "site", "fr": "emplacement"},
}


def translator(lang: str, *, currency: str = "EUR") -> Translator:
    """The app's strings bound to ``lang`` ("en" or "fr"), amounts in ``currency`` (the run's: its
    ``renewal.json``)."""
    return Translator(TEXTS, lang, currency=currency)


def method_label(t: Translator, name: str) -> str:
    """Readable name of a ranking method of ``backtest.json`` (falls back to the raw name)."""
    return t(name) if name in TEXTS else name.replace("_", " ")

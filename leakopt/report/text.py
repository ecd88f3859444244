"""Every visible text of ``report.html``, in English and French.

Texts hold ``{name}`` fields filled with numbers already formatted for the
language (:mod:`leakopt.i18n`).  Keys are grouped by report section.
"""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- page ---
    "title": {"en": "Leak risk and renewal report", "fr": "Rapport sur le risque de fuites et le renouvellement"},
    "subtitle": {"en": "Data: {network} · forecast as of {as_of} · written on {today}",
                 "fr": "Données : {network} · prévision au {as_of} · rédigé le {today}"},
    "contents": {"en": "Contents", "fr": "Sommaire"},
    "not_run": {"en": "This stage did not run for this analysis ({file} is missing), so there is nothing to "
                      "show here.",
                "fr": "Cette étape n’a pas été exécutée pour cette analyse ({file} est absent)\u00a0: il n’y a "
                      "rien à montrer ici."},
    "unreadable": {"en": "This stage's results could not be read ({file}: {error}).",
                   "fr": "Les résultats de cette étape n’ont pas pu être lus ({file}\u00a0: {error})."},
    "empty_result": {"en": "This stage's file {file} holds no result. Run the analysis again to rewrite it.",
                     "fr": "Le fichier de cette étape, {file}, ne contient aucun résultat. Relancez l’analyse pour "
                           "le réécrire."},
    "section_failed": {"en": "This section could not be written from the run folder's files, which do not hold "
                             "what leakopt writes ({error}). Run the analysis again to rewrite them.",
                       "fr": "Cette section n’a pas pu être rédigée à partir des fichiers du dossier de l’analyse, "
                             "qui ne contiennent pas ce qu’écrit leakopt ({error}). Relancez l’analyse pour les "
                             "réécrire."},
    "map_geojson_unreadable": {"en": "risk.geojson could not be read ({error}); the map is drawn from risk.csv's "
                                     "x, y, if it has them.",
                               "fr": "risk.geojson n’a pas pu être lu ({error}) ; la carte est tracée "
                                     "d’après les x, y de risk.csv, s’il en a."},
    "footer": {"en": "Produced by leakopt {version}. This file works offline: it loads nothing from the "
                     "internet.",
               "fr": "Produit par leakopt {version}. Ce fichier fonctionne hors ligne\u00a0: il ne charge rien "
                     "depuis Internet."},
    "unknown": {"en": "unknown", "fr": "inconnu"},
    # --- key figures ---
    "h_key": {"en": "Key figures", "fr": "Chiffres clés"},
    "k_network": {"en": "Network", "fr": "Réseau"},
    "k_network_v": {"en": "{km} of pipes", "fr": "{km} de conduites"},
    "k_network_d": {"en": "{n} pipes", "fr": "{n} conduites"},
    "k_leaks": {"en": "Expected leaks", "fr": "Fuites attendues"},
    "k_leaks_v": {"en": "{n} a year", "fr": "{n} par an"},
    "k_leaks_d": {"en": "{rate} per 100 km a year", "fr": "{rate} pour 100 km par an"},
    "k_recorded_d": {"en": "recorded: {n} a year from {start} to {end}",
                     "fr": "enregistrées\u00a0: {n} par an du {start} au {end}"},
    "k_zone": {"en": "Priority zone", "fr": "Zone prioritaire"},
    "k_zone_v": {"en": "{length} of the network", "fr": "{length} du réseau"},
    "k_zone_d": {"en": "holds {leaks} of expected leaks ({km})", "fr": "concentre {leaks} des fuites attendues ({km})"},
    "k_loggers": {"en": "Acoustic loggers", "fr": "Prélocalisateurs acoustiques"},
    "k_loggers_v": {"en": "{n} loggers", "fr": "{n} capteurs"},
    "k_loggers_d": {"en": "instead of {full} to cover everything ({factor} times fewer)",
                    "fr": "au lieu de {full} pour tout couvrir ({factor} fois moins)"},
    "k_loggers_d_same": {"en": "as many as covering everything takes", "fr": "autant que pour tout couvrir"},
    # (the whole-network count is given without a ratio when that is below 1.2, and is not called "everything"
    # when some pipes are out of range of every candidate site: sections.full_network_comparison)
    "k_loggers_d_near": {"en": "covering everything takes {full}", "fr": "tout couvrir en demande {full}"},
    "k_loggers_d_share": {"en": "hear {share} of expected leaks", "fr": "entendent {share} des fuites attendues"},
    "k_loggers_d_all": {"en": "hear {share} of expected leaks, all the candidate sites can reach",
                        "fr": "entendent {share} des fuites attendues, tout ce que les sites candidats atteignent"},
    "k_loggers_d_reach": {"en": "instead of {full} to hear all the candidate sites can reach ({reach} of expected "
                                "leaks; {factor} times fewer)",
                          "fr": "au lieu de {full} pour entendre tout ce qu’atteignent les sites candidats ({reach} "
                                "des fuites attendues ; {factor} fois moins)"},
    "k_loggers_d_reach_near": {"en": "hear {share} of expected leaks; the candidate sites can reach at most {reach}",
                               "fr": "entendent {share} des fuites attendues ; les sites candidats n’en atteignent "
                                     "pas plus de {reach}"},
    "k_renewal": {"en": "Renewal", "fr": "Renouvellement"},
    "k_renewal_v": {"en": "{budget} a year", "fr": "{budget} par an"},
    "k_renewal_d": {"en": "avoids {leaks} leaks over {years} years", "fr": "évite {leaks} fuites en {years} ans"},
    "k_missing": {"en": "not computed", "fr": "non calculé"},
    "key_intro": {"en": "The analysis ranks every pipe by its expected number of leaks per kilometre. A small part "
                        "of the network, the priority zone, holds most of the expected leaks: that is where "
                        "listening for leaks and renewing pipes pays off most.",
                  "fr": "L’analyse classe chaque conduite selon son nombre attendu de fuites par kilomètre. Une "
                        "petite partie du réseau, la zone prioritaire, concentre l’essentiel des fuites "
                        "attendues\u00a0: c’est là que la recherche de fuites et le renouvellement rapportent le "
                        "plus."},
    # --- map ---
    "h_map": {"en": "Where the network is at risk", "fr": "Où le réseau est à risque"},
    "map_intro": {"en": "Pipes are coloured by risk class, from A (highest expected leaks per km, the first "
                        "{a} of the length) to D (lowest). The priority zone is drawn with thick lines; "
                        "triangles mark the proposed logger sites.",
                  "fr": "Les conduites sont colorées par classe de risque, de A (le plus de fuites attendues par "
                        "km, les premiers {a} du linéaire) à D (le moins). La zone prioritaire est en trait "
                        "épais\u00a0; les triangles indiquent les emplacements de capteurs proposés."},
    "map_alt": {"en": "Map of the network: {zone} of its length is in the priority zone, drawn thick; risk classes "
                      "A (red) to D (grey).",
                "fr": "Carte du réseau\u00a0: {zone} du linéaire est en zone prioritaire, en trait épais\u00a0; "
                      "classes de risque A (rouge) à D (gris)."},
    "map_none": {"en": "No pipe geometry was available (neither risk.geojson nor pipe coordinates), so the map "
                       "could not be drawn.",
                 "fr": "Aucune géométrie de conduite n’était disponible (ni risk.geojson ni coordonnées), la "
                       "carte n’a donc pas pu être tracée."},
    "map_none_network": {"en": "No pipe geometry was available: the register has none and the network has no "
                               "coordinates (see the data checks), so the map could not be drawn.",
                         "fr": "Aucune géométrie de conduite n’était disponible\u00a0: l’inventaire n’en a pas et le "
                               "réseau n’a pas de coordonnées (voir les contrôles des données), la carte n’a donc "
                               "pas pu être tracée."},
    "map_loggers_off": {"en": "{n} of the {total} logger sites are not on the map: the network's coordinates are "
                              "not those of the pipes (see the data checks), and no pipe drawn ends at their node "
                              "(a site along a pipe has none).",
                        "fr": "{n} des {total} emplacements de capteurs ne sont pas sur la carte\u00a0: les "
                              "coordonnées du réseau ne sont pas celles des conduites (voir les contrôles des "
                              "données), et aucune conduite tracée n’aboutit à leur nœud (un site le long d’une "
                              "conduite n’en a pas)."},
    "class_A": {"en": "Class A (highest risk)", "fr": "Classe A (risque le plus fort)"},
    "class_B": {"en": "Class B", "fr": "Classe B"},
    "class_C": {"en": "Class C", "fr": "Classe C"},
    "class_D": {"en": "Class D (lowest risk)", "fr": "Classe D (risque le plus faible)"},
    "legend_zone": {"en": "Priority zone", "fr": "Zone prioritaire"},
    "legend_outside": {"en": "Outside the zone", "fr": "Hors zone"},
    "legend_sensors": {"en": "Logger site", "fr": "Capteur"},
    "scale_approx": {"en": "scale estimated from pipe lengths", "fr": "échelle estimée d’après les longueurs"},
    "map_table_caption": {"en": "Length and expected leaks by risk class", "fr": "Linéaire et fuites attendues par classe"},
    "col_class": {"en": "Class", "fr": "Classe"},
    "col_length": {"en": "Length", "fr": "Linéaire"},
    "col_length_share": {"en": "Share of length", "fr": "Part du linéaire"},
    "col_leaks_share": {"en": "Share of expected leaks", "fr": "Part des fuites attendues"},
    # --- backtest ---
    "h_backtest": {"en": "Would it have worked? A test on past years", "fr": "Cela aurait-il marché\u00a0? Un test sur les années passées"},
    "bt_given": {"en": "The model measured here is the one given, trained elsewhere: at each date it scored the pipes "
                       "as they were then, and nothing was trained on this utility's leaks.",
                 "fr": "Le modèle mesuré ici est celui qui a été fourni, appris ailleurs : à chaque date, il a "
                       "noté les conduites telles qu’elles étaient alors, et rien n’a été appris des fuites de ce "
                       "service."},
    "bt_sentence": {"en": "If we had used this method on {cutoff}, with only the data known then, the {share} of "
                          "the network it ranked highest would have held {captured} of the {n} leaks of the "
                          "following {years}.",
                    "fr": "Si nous avions utilisé cette méthode le {cutoff}, avec les seules données connues alors, "
                          "les {share} du réseau qu’elle classait en tête auraient concentré {captured} des {n} "
                          "fuites des {years} qui ont suivi."},
    "bt_sentence_1": {"en": "If we had used this method on {cutoff}, with only the data known then, the {share} of "
                            "the network it ranked highest would have held {captured} of the one leak of the "
                            "following {years}.",
                      "fr": "Si nous avions utilisé cette méthode le {cutoff}, avec les seules données connues alors, "
                            "les {share} du réseau qu’elle classait en tête auraient concentré {captured} de la seule "
                            "fuite des {years} qui ont suivi."},
    "bt_none": {"en": "If we had used this method on {cutoff}, with only the data known then, there would have been "
                      "nothing to measure it on: the {years} that followed held no leak on the pipes it scored, so no "
                      "share of leaks found can be given (0% would be wrong: there was no leak to find). The ranking "
                      "can be tested once leaks are recorded after {cutoff}.",
                "fr": "Si nous avions utilisé cette méthode le {cutoff}, avec les seules données connues alors, rien "
                      "n’aurait permis de la mesurer\u00a0: les {years} qui ont suivi n’ont compté aucune fuite sur "
                      "les conduites qu’elle notait, aucune part de fuites trouvées ne peut donc être donnée (0\u00a0% "
                      "serait faux\u00a0: il n’y avait aucune fuite à trouver). Le classement pourra être testé quand "
                      "des fuites auront été enregistrées après le {cutoff}."},
    "bt_cut": {"en": "The {asked} asked for were cut to the {years} the leak record holds after {cutoff} (it ends on "
                     "{end}).",
               "fr": "Les {asked} demandés ont été ramenés aux {years} que couvre l’historique des fuites après le "
                     "{cutoff} (il s’arrête le {end})."},
    "bt_few": {"en": "These shares rest on only {n} leaks: one leak more or less moves them by {points} points, so "
                     "read them as rough.",
               "fr": "Ces parts ne reposent que sur {n} fuites\u00a0: une fuite de plus ou de moins les déplace de "
                     "{points} points, ce ne sont donc que des ordres de grandeur."},
    "bt_few_1": {"en": "These shares rest on a single leak: read them as a hint, not a measure.",
                 "fr": "Ces parts ne reposent que sur une seule fuite\u00a0: ce n’est qu’une indication, pas "
                       "une mesure."},
    "bt_years": {"en": "{n} years", "fr": "{n} ans"},
    "bt_years_1": {"en": "{n} year", "fr": "{n} an"},
    "bt_compare": {"en": "On the same length, the usual rule “{rule}” would have found {captured}.",
                   "fr": "Sur le même linéaire, la règle habituelle «\u00a0{rule}\u00a0» en aurait trouvé {captured}."},
    "bt_walk": {"en": "Repeated from {n} different starting years, the top 20% of length held on average {mean} of "
                      "the following leaks (lowest {low}).",
                "fr": "Répété à partir de {n} années de départ différentes, les 20\u00a0% de linéaire en tête ont "
                      "concentré en moyenne {mean} des fuites suivantes (au plus bas {low})."},
    "bt_walk_earlier": {"en": "From {n} earlier starting years, whose following years did hold leaks, the top 20% of "
                              "length held on average {mean} of those leaks (lowest {low}).",
                        "fr": "À partir de {n} années de départ antérieures, suivies, elles, de fuites, les 20\u00a0% "
                              "de linéaire en tête en ont concentré en moyenne {mean} (au plus bas {low})."},
    "bt_walk_earlier_1": {"en": "From one earlier starting year, whose following years did hold leaks, the top 20% of "
                                "length held {mean} of those leaks.",
                          "fr": "À partir d’une année de départ antérieure, suivie, elle, de fuites, les 20\u00a0% de "
                                "linéaire en tête en ont concentré {mean}."},
    "bt_alt": {"en": "Capture curves: share of the leaks that followed found on the top share of network length, "
                     "for the model and the usual rules.",
               "fr": "Courbes de capture\u00a0: part des fuites suivantes trouvée sur la part du linéaire classée en "
                     "tête, pour le modèle et les règles habituelles."},
    "bt_x": {"en": "Share of network length inspected, highest ranked first", "fr": "Part du linéaire inspecté, le mieux classé d’abord"},
    "bt_y": {"en": "Share of the leaks that followed", "fr": "Part des fuites survenues ensuite"},
    "bt_random": {"en": "Random choice", "fr": "Choix au hasard"},
    "bt_table_caption": {"en": "Share of the following leaks found on the top share of length",
                         "fr": "Part des fuites suivantes trouvée sur la part du linéaire en tête"},
    "col_method": {"en": "Method", "fr": "Méthode"},
    "col_top": {"en": "Top {share}", "fr": "{share} en tête"},
    "cal_alt": {"en": "Predicted against observed leaks, by group of pipes of equal length.",
                "fr": "Fuites prévues et observées, par groupe de conduites de même linéaire."},
    "cal_intro": {"en": "Predicted and observed numbers of leaks, pipes grouped by predicted risk (highest first): "
                        "bars of similar height mean the forecast numbers can be trusted, not only the ranking.",
                  "fr": "Nombre de fuites prévu et observé, conduites groupées par risque prévu (le plus fort "
                        "d’abord)\u00a0: des barres de hauteur voisine signifient que les nombres prévus sont "
                        "fiables, pas seulement le classement."},
    "cal_x": {"en": "Group of pipes (1 = highest predicted risk)", "fr": "Groupe de conduites (1 = risque prévu le plus fort)"},
    "cal_y": {"en": "Leaks", "fr": "Fuites"},
    "cal_pred": {"en": "Predicted", "fr": "Prévues"},
    "cal_obs": {"en": "Observed", "fr": "Observées"},
    "m_model": {"en": "This model", "fr": "Ce modèle"},
    "m_oldest_first": {"en": "Oldest pipes first", "fr": "Les plus anciennes d’abord"},
    "m_leaks_per_km_so_far": {"en": "Most leaks per km so far", "fr": "Le plus de fuites par km jusqu’ici"},
    "m_cohort_rate": {"en": "Material and age average", "fr": "Moyenne par matériau et âge"},
    "m_poisson_glm": {"en": "Simple statistical model", "fr": "Modèle statistique simple"},
    "m_plain_lightgbm": {"en": "Off-the-shelf machine learning", "fr": "Apprentissage automatique standard"},
    "m_literature_prior": {"en": "Published break rates by material and age",
                           "fr": "Taux de casse publiés selon matériau et âge"},
    "m_truth": {"en": "Perfect foresight", "fr": "Connaissance parfaite"},
    "m_most_leaks_first": {"en": "Most past leaks first", "fr": "Le plus de fuites passées d’abord"},
    # --- sensors ---
    "h_sensors": {"en": "Acoustic loggers", "fr": "Prélocalisateurs acoustiques"},
    # the first sentence: s_sentence_base, then one of s_full* / s_reach* (sections.loggers_sentence), or "."
    "s_sentence_base": {"en": "{n} loggers, {how}, listen to {share} of all expected leaks",
                        "fr": "{n} capteurs, {how}, écoutent {share} de toutes les fuites attendues"},
    "s_full": {"en": ". Covering the whole network would take {full}: {factor} times as many.",
               "fr": ". Couvrir tout le réseau en demanderait {full}, soit {factor} fois plus."},
    "s_full_near": {"en": ". Covering the whole network would take {full}.",
                    "fr": ". Couvrir tout le réseau en demanderait {full}."},
    "s_full_same": {"en": ": as many as covering the whole network takes.",
                    "fr": "\u00a0: autant qu’il en faut pour couvrir tout le réseau."},
    "s_reach": {"en": ". The candidate sites cannot hear the whole network (see below); hearing all they can reach "
                      "would take {full}: {factor} times as many.",
                "fr": ". Les sites candidats ne peuvent pas entendre tout le réseau (voir ci-dessous)\u00a0; "
                      "entendre tout ce qu’ils atteignent en demanderait {full}, soit {factor} fois plus."},
    "s_reach_near": {"en": ". The candidate sites cannot hear the whole network (see below); hearing every pipe "
                           "they can reach would take {full}.",
                     "fr": ". Les sites candidats ne peuvent pas entendre tout le réseau (voir ci-dessous)\u00a0; "
                           "entendre toutes les conduites qu’ils atteignent en demanderait {full}."},
    "s_how_optimal": {"en": "placed by optimisation and proven the fewest that do so",
                      "fr": "placés par optimisation, dont le nombre est prouvé minimal"},
    "s_how_stopped": {"en": "placed by an optimisation stopped by its {limit} (at most {gap} more than the "
                            "fewest{bound})",
                      "fr": "placés par une optimisation arrêtée par sa {limit} (au plus {gap} de plus que le "
                            "minimum{bound})"},
    "s_how_greedy": {"en": "placed by the greedy method (the solver found nothing better before its {limit})",
                     "fr": "placés par la méthode gloutonne (le solveur n'a rien trouvé de mieux avant sa {limit})"},
    "s_how_feasible": {"en": "placed by optimisation on the sites its relaxation uses (at most {gap} more than "
                             "the fewest{bound})",
                       "fr": "placés par optimisation sur les sites qu'utilise sa relaxation (au plus {gap} de plus "
                             "que le minimum{bound})"},
    "bound_solver": {"en": ", by the solver's own bound", "fr": ", d'après la borne du solveur"},
    "bound_lagrangian": {"en": ", by a Lagrangian relaxation bound", "fr": ", d'après une borne de relaxation "
                                                                          "lagrangienne"},
    "bound_greedy": {"en": ", by the greedy method's submodularity bound",
                     "fr": ", d'après la borne de sous-modularité de la méthode gloutonne"},
    "bound_column_bounds": {"en": ", by the variables' bounds alone", "fr": ", d'après les seules bornes des "
                                                                           "variables"},
    "lim_time_limit": {"en": "time limit", "fr": "limite de temps"},
    "lim_iteration_limit": {"en": "iteration limit", "fr": "limite d'itérations"},
    "lim_memory_limit": {"en": "memory limit", "fr": "limite de mémoire"},
    "lim_solution_limit": {"en": "node or solution limit", "fr": "limite de nœuds ou de solutions"},
    "lim_other": {"en": "limit ({status})", "fr": "limite ({status})"},
    "s_how_other": {"en": "placed by optimisation (solver status: {status})",
                    "fr": "placés par optimisation (statut du solveur\u00a0: {status})"},
    "s_unscored": {"en": "{n} pipes of the network ({km}) had no risk score, so the loggers were placed as if they "
                         "were never leaking: the shares above are shares of the scored pipes' expected leaks.",
                   "fr": "{n} conduites du réseau ({km}) n’avaient pas de note de risque\u00a0: les capteurs ont été "
                         "placés comme si elles ne fuyaient jamais, et les parts ci-dessus portent sur les fuites "
                         "attendues des seules conduites notées."},
    "s_unreachable": {"en": "{n} pipe segments ({km}) are out of range of every candidate site: no logger placed "
                            "at a node or access point can hear them, so no placement hears more than {best} of the "
                            "expected leaks. Listening there needs another method (e.g. a walk with a ground "
                            "microphone) or new access points.",
                      "fr": "{n} segments de conduite ({km}) sont hors de portée de tout site candidat\u00a0: aucun "
                            "capteur posé sur un nœud ou un point d’accès ne les entend, et aucun placement n’entend "
                            "plus de {best} des fuites attendues. Les écouter demande une autre méthode (p. ex. une "
                            "écoute au sol) ou de nouveaux points d’accès."},
    "s_zone": {"en": "They hear {share} of the priority zone's length.", "fr": "Ils entendent {share} du linéaire de la zone prioritaire."},
    "s_status": {"en": "Solver: {solver}, result {status}.", "fr": "Solveur\u00a0: {solver}, résultat {status}."},
    # a solver's result in words (placement.json and renewal.json hold the raw status)
    "status_optimal": {"en": "optimal (proven the best)", "fr": "optimal (prouvé le meilleur)"},
    "status_feasible": {"en": "feasible, not proven the best", "fr": "réalisable, sans preuve d’être le meilleur"},
    "status_greedy": {"en": "from the greedy method (one logger at a time)",
                      "fr": "obtenu par la méthode approchée (un capteur à la fois)"},
    "status_time_limit": {"en": "stopped at its time limit", "fr": "arrêté à sa limite de temps"},
    "status_time_limit_greedy": {"en": "the greedy method's, the exact one having reached its time limit",
                                 "fr": "celui de la méthode approchée, la méthode exacte ayant atteint sa limite "
                                       "de temps"},
    "status_infeasible": {"en": "infeasible", "fr": "impossible (aucune solution)"},
    "status_not_solved": {"en": "not solved", "fr": "non résolu"},
    "s_alt": {"en": "Share of expected leaks heard against the number of loggers.",
              "fr": "Part des fuites attendues entendue selon le nombre de capteurs."},
    "s_x": {"en": "Number of loggers", "fr": "Nombre de capteurs"},
    "s_y": {"en": "Share of expected leaks heard", "fr": "Part des fuites attendues entendue"},
    "s_optimal": {"en": "Optimised placement", "fr": "Placement optimisé"},
    "s_greedy": {"en": "One at a time (greedy)", "fr": "Un par un (glouton)"},
    "s_table_caption": {"en": "The ten logger sites that hear the most", "fr": "Les dix emplacements qui entendent le plus"},
    "col_node": {"en": "Site (node)", "fr": "Emplacement (nœud)"},
    "col_pipes": {"en": "Pipes heard", "fr": "Conduites entendues"},
    "col_heard_share": {"en": "Share of expected leaks", "fr": "Part des fuites attendues"},
    # --- consequence of failure and business risk ---
    "h_consequence": {"en": "What a break would cost", "fr": "Ce que coûterait une casse"},
    "c_segments": {"en": "A break is isolated by closing the valves around it ({valves}): the network splits into "
                         "{n} valve segments; while one is shut, every customer it alone connects to a reservoir or "
                         "a tank is cut off. The worst cuts off {share} of the demand ({nodes} customer nodes).",
                   "fr": "Une casse est isolée en fermant les vannes qui l’entourent ({valves})\u00a0: le réseau se "
                         "découpe en {n} secteurs d’isolement\u00a0; pendant qu’un secteur est fermé, tous les "
                         "abonnés qu’il est seul à relier à un réservoir ou une bâche sont coupés. Le pire coupe "
                         "{share} de la demande ({nodes} nœuds desservis)."},
    "c_pdd": {"en": "{n} of these segments, {which}, were also shut in a pressure-dependent hydraulic simulation "
                    "(EPANET, one steady state at base demand; a customer gets all its demand from {preq} m of pressure, "
                    "none below {pmin} m): their figures count the customers starved of pressure as well as those "
                    "disconnected. The other segments are judged by connectivity alone.{failed} The method column of "
                    "consequence.csv says which way each pipe was judged.",
              "fr": "{n} de ces secteurs, {which}, ont aussi été fermés dans une simulation hydraulique à demande "
                    "dépendant de la pression (EPANET, un régime permanent à la demande de base ; un abonné reçoit "
                    "toute sa demande à partir de {preq} m de pression, rien sous {pmin} m) : leurs chiffres "
                    "comptent les abonnés privés de pression autant que ceux déconnectés. Les autres secteurs sont "
                    "jugés sur la seule connexité.{failed} La colonne method de consequence.csv dit comment chaque "
                    "conduite a été jugée."},
    "c_pdd_which_all": {"en": "that is all of them", "fr": "c’est-à-dire tous"},
    "c_pdd_which_top_business_risk": {"en": "those carrying the most business risk",
                                      "fr": "ceux qui portent le plus de risque métier"},
    "c_pdd_failed": {"en": " EPANET could not solve {n} of them shut: they keep the connectivity figure.",
                     "fr": " EPANET n’a pas pu résoudre {n} d’entre eux fermés : ils gardent le chiffre de connexité."},
    "c_pdd_none": {"en": "Every segment is judged by connectivity alone (no pressure-dependent simulation: {reason}).",
                   "fr": "Tous les secteurs sont jugés sur la seule connexité (pas de simulation à demande dépendant "
                         "de la pression : {reason})."},
    "c_pdd_reason_off": {"en": "switched off, [consequence] pdd_segments = 0", "fr": "désactivée, [consequence] "
                         "pdd_segments = 0"},
    "c_pdd_reason_not_run": {"en": "the network did not come from an EPANET file",
                             "fr": "le réseau ne vient pas d’un fichier EPANET"},
    "c_valves_segments_valve_layer": {"en": "those of the valve layer", "fr": "celles de la couche vannes"},
    "c_valves_segments_assumed_valves": {
        "en": "no valve layer was given: a valve is assumed on each pipe end at every junction of three pipes or more",
        "fr": "sans couche vannes\u00a0: une vanne est supposée à chaque extrémité de conduite sur tout nœud d’au "
              "moins trois conduites"},
    "c_valves_segments_network_valves": {"en": "only the network's pumps and valves",
                                         "fr": "les seules pompes et vannes du modèle"},
    "c_diameter_only": {"en": "No network was given: the consequence of a break is judged by the pipe's diameter "
                              "alone (a large main costs more), not by the customers it would cut off.",
                        "fr": "Aucun modèle de réseau n’a été fourni\u00a0: la conséquence d’une casse est jugée sur "
                              "le seul diamètre (une grosse conduite coûte plus), pas sur les abonnés coupés."},
    "c_score": {"en": "Consequence score: 1 point per {ref} mm of diameter, {pct} per percent of the demand cut off, "
                      "{crit} per critical customer cut off{critical}. Business risk = expected leaks a year × "
                      "consequence.",
                "fr": "Note de conséquence\u00a0: 1 point par {ref} mm de diamètre, {pct} par pourcent de la "
                      "demande coupée, {crit} par abonné sensible coupé{critical}. Risque métier = fuites attendues "
                      "par an × conséquence."},
    "c_score_diameter": {"en": "Consequence score: 1 point per {ref} mm of diameter. Business risk = expected "
                               "leaks a year × consequence.",
                         "fr": "Note de conséquence\u00a0: 1 point par {ref} mm de diamètre. Risque métier = fuites "
                               "attendues par an × conséquence."},
    "c_note_diameter": {"en": "The priority zone and the logger placement still rank pipes by expected leaks alone "
                              "(the likelihood): finding leaks early pays wherever they are. Consequence weighs the "
                              "risk matrix, and the renewal plan when it is set to plan by business risk.",
                        "fr": "La zone prioritaire et le placement des capteurs classent toujours les conduites sur "
                              "les seules fuites attendues (la probabilité)\u00a0: détecter tôt une fuite est utile "
                              "où qu’elle soit. La conséquence pèse dans la matrice des risques, et dans le plan de "
                              "renouvellement quand il est réglé sur le risque métier."},
    "c_critical": {"en": " ({n} critical customers listed; {segments} segments cut one off)",
                   "fr": " ({n} abonnés sensibles déclarés\u00a0; {segments} secteurs en coupent au moins un)"},
    "c_corner": {"en": "{km} of pipes ({n} pipes) are both likely to leak (classes {rows}) and severe "
                       "(consequence {cols}): the top-left corner of the matrix.",
                 "fr": "{km} de conduites ({n} conduites) sont à la fois probables (classes {rows}) et graves "
                       "(conséquence {cols})\u00a0: le coin supérieur gauche de la matrice."},
    "c_matrix_caption": {"en": "Risk matrix: pipes and length by likelihood (rows) and consequence (columns)",
                         "fr": "Matrice des risques\u00a0: conduites et linéaire par probabilité (lignes) et "
                               "conséquence (colonnes)"},
    "c_likelihood": {"en": "Likelihood", "fr": "Probabilité"},
    "c_col_4": {"en": "4 (most severe)", "fr": "4 (la plus grave)"},
    "c_col_3": {"en": "3", "fr": "3"},
    "c_col_2": {"en": "2", "fr": "2"},
    "c_col_1": {"en": "1 (least)", "fr": "1 (la moins grave)"},
    "c_cell": {"en": "{n} · {km}", "fr": "{n} · {km}"},
    "c_top_caption": {"en": "The segments whose isolation cuts off the most demand",
                      "fr": "Les secteurs dont la fermeture coupe le plus de demande"},
    "col_segment_pipes": {"en": "Pipes of the segment", "fr": "Conduites du secteur"},
    "col_demand_cut": {"en": "Demand cut off", "fr": "Demande coupée"},
    "col_demand_share": {"en": "Share of demand", "fr": "Part de la demande"},
    "col_nodes_cut": {"en": "Customer nodes", "fr": "Nœuds desservis"},
    "col_critical_cut": {"en": "Critical customers", "fr": "Abonnés sensibles"},
    "c_lps": {"en": "{v} L/s", "fr": "{v} L/s"},
    "c_note": {"en": "The priority zone and the logger placement still rank pipes by expected leaks alone (the "
                     "likelihood): finding leaks early pays wherever they are. Consequence weighs the risk matrix, and "
                     "the renewal plan when it is set to plan by business risk. Cut-offs follow the pipes' "
                     "connections, not a hydraulic simulation: a node still connected counts as served, whatever "
                     "its pressure.",
               "fr": "La zone prioritaire et le placement des capteurs classent toujours les conduites sur les seules "
                     "fuites attendues (la probabilité)\u00a0: détecter tôt une fuite est utile où qu’elle soit. La "
                     "conséquence pèse dans la matrice des risques, et dans le plan de renouvellement quand il est "
                     "réglé sur le risque métier. Les coupures suivent les connexions des conduites, pas une "
                     "simulation hydraulique\u00a0: un nœud encore relié compte comme desservi, quelle que soit sa "
                     "pression."},
    "c_note_pdd": {"en": "The priority zone and the logger placement still rank pipes by expected leaks alone (the "
                         "likelihood): finding leaks early pays wherever they are. Consequence weighs the risk matrix, "
                         "and the renewal plan when it is set to plan by business risk. The segments not simulated "
                         "are judged by the pipes' connections: a node still connected counts as served, whatever "
                         "its pressure.",
                   "fr": "La zone prioritaire et le placement des capteurs classent toujours les conduites sur les "
                         "seules fuites attendues (la probabilité)\u00a0: détecter tôt une fuite est utile où qu’elle "
                         "soit. La conséquence pèse dans la matrice des risques, et dans le plan de renouvellement "
                         "quand il est réglé sur le risque métier. Les secteurs non simulés sont jugés sur les "
                         "connexions des conduites\u00a0: un nœud encore relié compte comme desservi, quelle que "
                         "soit sa pression."},
    "r_objective_leaks": {"en": "The plan maximises the expected leaks avoided; weighted by their consequence, it "
                                "avoids {risk} points of business risk.",
                          "fr": "Le plan maximise les fuites évitées\u00a0; pondérées par leur conséquence, il évite "
                                "{risk} points de risque métier."},
    "r_objective_risk": {"en": "The plan maximises the business risk avoided (each leak avoided weighted by its "
                               "pipe's consequence): {risk} points, for {leaks} expected leaks avoided.",
                         "fr": "Le plan maximise le risque métier évité (chaque fuite évitée pondérée par la "
                               "conséquence de sa conduite)\u00a0: {risk} points, pour {leaks} fuites évitées."},
    # --- logger campaign (leakopt campaign) and pressure sensors (leakopt sensors --kind pressure) ---
    "stale_risk": {"en": "These results were computed from another {file} than this analysis's risk scores (the "
                         "analysis was run again since, or they came from elsewhere): run the command again to bring "
                         "them up to date.",
                   "fr": "Ces résultats ont été calculés à partir d’un autre fichier {file} que les risques de cette "
                         "analyse (refaite depuis, ou venue d’ailleurs)\u00a0: relancez la commande pour les mettre "
                         "à jour."},
    "h_campaign": {"en": "Logger campaign: lift and shift", "fr": "Campagne de prélocalisation\u00a0: poses successives"},
    "cp_sentence": {"en": "With {yours}, {deps} {q} of the expected leaks {scope}, against {m} moving them down "
                          "the risk ranking.",
                    "fr": "Avec {yours}, {deps} {q} des fuites attendues {scope}, contre {m} en les déplaçant dans "
                          "l’ordre du classement de risque."},
    "cp_sentence_never": {"en": "With {yours}, {deps} {q} of the expected leaks {scope}; moving them down the risk "
                                "ranking does not get there in {m} deployments.",
                          "fr": "Avec {yours}, {deps} {q} des fuites attendues {scope}\u00a0; en les déplaçant dans "
                                "l’ordre du classement de risque, on n’y arrive pas en {m} poses."},
    "cp_sentence_low": {"en": "With {yours}, {deps} {share} of the expected leaks {scope}, against {other} moving "
                              "them down the risk ranking.",
                        "fr": "Avec {yours}, {deps} {share} des fuites attendues {scope}, contre {other} en les "
                              "déplaçant dans l’ordre du classement de risque."},
    "cp_yours": {"en": "your {n} loggers", "fr": "vos {n} capteurs"},
    "cp_yours1": {"en": "your one logger", "fr": "votre unique capteur"},
    "cp_deps": {"en": "{n} deployments {dur} hear", "fr": "{n} poses {dur} entendent"},
    "cp_deps1": {"en": "one deployment {dur} hears", "fr": "une pose {dur} entend"},
    "cp_ndeps": {"en": "{n} deployments", "fr": "{n} poses"},
    "cp_ndeps1": {"en": "one deployment", "fr": "une pose"},
    "cp_scope_zone": {"en": "of the priority zone", "fr": "de la zone prioritaire"},
    "cp_scope_network": {"en": "of the network", "fr": "du réseau"},
    "cp_week1": {"en": "of one week", "fr": "d’une semaine"},
    "cp_weeks": {"en": "of {n} weeks", "fr": "de {n} semaines"},
    "cp_day1": {"en": "of one day", "fr": "d’un jour"},
    "cp_days": {"en": "of {n} days", "fr": "de {n} jours"},
    "cp_total": {"en": "The whole campaign, {deps} ({days} days), hears {share} of them.",
                 "fr": "La campagne entière, {deps} ({days} jours), en entend {share}."},
    "cp_reach": {"en": "The target of {target} is out of reach: the candidate sites can hear at most {reach}.",
                 "fr": "L’objectif de {target} est hors de portée\u00a0: les emplacements possibles en entendent au "
                       "plus {reach}."},
    "cp_mean": {"en": "An expected leak that is heard is heard after {d} days on average, against {r} days moving the "
                      "loggers down the risk ranking.",
                "fr": "Une fuite attendue entendue l’est en moyenne au bout de {d} jours, contre {r} jours en "
                      "suivant le classement de risque."},
    "cp_status": {"en": "Method: greedy, not proven optimal. Each deployment is proven to hear at least {floor} of the "
                        "most that as many loggers could still hear at that point; the order of the whole campaign "
                        "is not proven the best.",
                  "fr": "Méthode\u00a0: gloutonne, sans preuve d’optimalité. Chaque pose entend, c’est prouvé, au "
                        "moins {floor} du maximum qu’autant de capteurs pourraient encore entendre à ce "
                        "moment\u00a0; l’ordre de la campagne entière n’est pas prouvé le meilleur."},
    "cp_status_nobound": {"en": "Method: greedy, not proven optimal.",
                          "fr": "Méthode\u00a0: gloutonne, sans preuve d’optimalité."},
    "cp_alt": {"en": "Share of expected leaks heard against weeks of campaign, for this campaign and for moving the "
                     "loggers down the risk ranking.",
               "fr": "Part des fuites attendues entendue selon les semaines de campagne, pour cette campagne et en "
                     "suivant le classement de risque."},
    "cp_x": {"en": "Weeks since the first deployment", "fr": "Semaines depuis la première pose"},
    "cp_y": {"en": "Share of expected leaks heard", "fr": "Part des fuites attendues entendue"},
    "cp_greedy": {"en": "This campaign (greedy)", "fr": "Cette campagne (gloutonne)"},
    "cp_ranking": {"en": "Down the risk ranking", "fr": "Dans l’ordre du classement"},
    "cp_table_caption": {"en": "Share of expected leaks heard after a number of deployments",
                         "fr": "Part des fuites attendues entendue après un nombre de poses"},
    "col_deployments": {"en": "Deployments", "fr": "Poses"},
    # --- pressure sensors (leakopt sensors --kind pressure) ---
    "h_pressure": {"en": "Pressure sensors", "fr": "Capteurs de pression"},
    "p_sentence": {"en": "{n} pressure sensors detect {share} of the risk-weighted leak scenarios: a leak simulated at "
                         "each of the {scen} junctions with the most expected leaks around them, detected when the "
                         "pressure at a sensor drops by at least {threshold}.",
                   "fr": "{n} capteurs de pression détectent {share} des scénarios de fuite pondérés par le "
                         "risque\u00a0: une fuite simulée à chacun des {scen} nœuds entourés du plus de fuites "
                         "attendues, détectée quand la pression baisse d’au moins {threshold} à un capteur."},
    "p_sentence1": {"en": "One pressure sensor detects {share} of the risk-weighted leak scenarios: a leak simulated "
                          "at each of the {scen} junctions with the most expected leaks around them, detected when "
                          "the pressure at the sensor drops by at least {threshold}.",
                    "fr": "Un capteur de pression détecte {share} des scénarios de fuite pondérés par le "
                          "risque\u00a0: une fuite simulée à chacun des {scen} nœuds entourés du plus de fuites "
                          "attendues, détectée quand la pression baisse d’au moins {threshold} au capteur."},
    "p_groups": {"en": "The detected leaks fall into {groups} groups the sensors tell apart; leaks located to a "
                       "single junction: {unique}.",
                 "fr": "Les fuites détectées forment {groups} groupes que les capteurs distinguent\u00a0; fuites "
                       "localisées à un seul nœud\u00a0: {unique}."},
    "p_groups1": {"en": "The detected leaks cannot be told apart: they form a single group.",
                  "fr": "Les fuites détectées ne peuvent pas être distinguées\u00a0: elles forment un seul groupe."},
    "p_fewer": {"en": "Only {n} of the {k} asked for: more would detect no more risk-weighted leaks.",
                "fr": "Seulement {n} des {k} demandés\u00a0: davantage ne détecteraient pas plus de fuites pondérées."},
    "p_leak": {"en": "Each simulated leak is a hole of {area}; smaller leaks lower the pressure less and may go "
                     "undetected.",
               "fr": "Chaque fuite simulée est un trou de {area}\u00a0; les fuites plus petites font moins baisser "
                     "la pression et peuvent passer inaperçues."},
    "p_method_sensitivity": {"en": "Pressure drops come from the network's equations linearised around one hydraulic "
                                   "simulation.",
                             "fr": "Les baisses de pression viennent des équations du réseau linéarisées autour d’une "
                                   "simulation hydraulique."},
    "p_method_simulate": {"en": "Pressure drops come from one hydraulic simulation per leak.",
                          "fr": "Les baisses de pression viennent d’une simulation hydraulique par fuite."},
    "p_how_optimal": {"en": "The {solver} solver proved that no other choice of as many sites detects more.",
                      "fr": "Le solveur {solver} a prouvé qu’aucun autre choix d’autant d’emplacements ne détecte "
                            "plus."},
    "p_how_stopped": {"en": "The {solver} solver stopped at its {limit}: the best choice of as many sites could "
                            "detect up to {gap} more.",
                      "fr": "Le solveur {solver} s’est arrêté à sa {limit}\u00a0: le meilleur choix d’autant "
                            "d’emplacements pourrait détecter jusqu’à {gap} de plus."},
    "p_how_greedy": {"en": "Placed by the greedy method, not proven optimal: the {solver} solver found nothing better "
                           "before its {limit}.",
                     "fr": "Placés par la méthode gloutonne, sans preuve d’optimalité\u00a0: le solveur {solver} n’a "
                           "rien trouvé de mieux avant sa {limit}."},
    "p_how_other": {"en": "Solver {solver}, status {status}: not proven optimal.",
                    "fr": "Solveur {solver}, statut {status}\u00a0: sans preuve d’optimalité."},
    "p_unscored": {"en": "{n} pipes of the network ({km}) had no risk score, so no leak was weighted on them: the "
                         "shares above are shares of the scored pipes' expected leaks.",
                   "fr": "{n} conduites du réseau ({km}) n’avaient pas de note de risque\u00a0: aucune fuite n’y a "
                         "été pondérée, et les parts ci-dessus portent sur les seules conduites notées."},
    "p_table_caption": {"en": "The pressure sensors and the leaks each detects",
                        "fr": "Les capteurs de pression et les fuites que chacun détecte"},
    "col_scenarios": {"en": "Leak scenarios detected", "fr": "Scénarios de fuite détectés"},
    "col_detected_share": {"en": "Share of risk-weighted leaks", "fr": "Part des fuites pondérées"},
    # --- renewal ---
    "h_renewal": {"en": "Renewal plan", "fr": "Plan de renouvellement"},
    "r_sentence": {"en": "With {budget} a year for {years} years ({first}–{last}), the plan renews {km} and avoids "
                         "about {leaks} leaks over the period.",
                   "fr": "Avec {budget} par an pendant {years} ans ({first}–{last}), le plan renouvelle {km} et "
                         "évite environ {leaks} fuites sur la période."},
    "r_nothing_no_benefit": {
        "en": "No pipe is worth renewing for its leaks: none is expected to leak more than a new pipe would "
              "({residual} leaks per km a year; the highest here is {highest}).",
        "fr": "Aucune conduite ne gagne à être renouvelée pour ses fuites : aucune ne devrait fuir plus "
              "qu’une conduite neuve ({residual} fuite par km et par an ; la plus élevée ici : {highest})."},
    "r_nothing_over_budget": {
        "en": "No work site fits in one year's budget ({budget}): the cheapest costs {cheapest}. Raise the budget "
              "([renewal] annual_budget_eur) to get a plan.",
        "fr": "Aucun chantier ne tient dans le budget d’une année ({budget}) : le moins cher coûte {cheapest}. "
              "Augmentez le budget ([renewal] annual_budget_eur) pour obtenir un plan."},
    "r_currency": {"en": "Amounts are in {code} ([renewal] currency).",
                   "fr": "Les montants sont en {code} ([renewal] currency)."},
    "r_costs_in_euros": {
        "en": " The costs come from leakopt's default table, French prices in euros, written here in {code} without "
              "conversion: give your own costs in {code} ([renewal] cost_diameters_mm and cost_eur_per_m, or "
              "cost_column) for a plan in {code}.",
        "fr": " Les coûts viennent de la table par défaut de leakopt, des prix français en euros, écrits ici en {code} "
              "sans conversion\u00a0: donnez vos propres coûts en {code} ([renewal] cost_diameters_mm et cost_eur_per_m, "
              "ou cost_column) pour un plan en {code}."},
    "r_budget_default": {"en": "The budget is the default: {share} of the network's replacement value a year.",
                         "fr": "Le budget est celui par défaut\u00a0: {share} de la valeur à neuf du réseau par an."},
    "r_optimal": {"en": "The {solver} solver proved this the best plan for the whole period{within}.",
                  "fr": "Le solveur {solver} a prouvé que ce plan est le meilleur sur toute la période{within}."},
    "r_within": {"en": " (to within {gap})", "fr": " (à {gap} près)"},
    "r_stopped": {"en": "The {solver} solver stopped ({status}) before finishing: the plan is not proven the best for "
                        "the whole period; the best plan could avoid up to {gap} more leaks.",
                  "fr": "Le solveur {solver} s’est arrêté ({status}) avant la fin : le plan n’est pas prouvé le "
                        "meilleur sur toute la période ; le meilleur plan pourrait éviter jusqu’à {gap} de fuites "
                        "en plus."},
    "r_stopped_nogap": {"en": "The {solver} solver stopped ({status}) before finishing: the plan is not proven the "
                              "best for the whole period, and how far it is from the best is not known.",
                        "fr": "Le solveur {solver} s’est arrêté ({status}) avant la fin : le plan n’est pas "
                              "prouvé le meilleur sur toute la période, et l’écart au meilleur n’est pas connu."},
    "r_year_by_year": {"en": "With {n} candidate work sites, too many for one model over the whole period, the plan "
                             "was built one year at a time: each year's works are the best for that year, given the "
                             "years before, but the plan as a whole is not proven the best possible.",
                       "fr": "Avec {n} chantiers candidats, trop pour un seul modèle sur toute la période, le plan a "
                             "été construit année par année : les travaux de chaque année sont les meilleurs pour "
                             "cette année, compte tenu des précédentes, mais le plan dans son ensemble n’est pas "
                             "prouvé le meilleur possible."},
    "r_rule": {"en": "Spending the same budget on “{rule}” would avoid {leaks} leaks: the plan avoids {ratio} times as many.",
               "fr": "Le même budget consacré à «\u00a0{rule}\u00a0» éviterait {leaks} fuites\u00a0: le plan en évite "
                     "{ratio} fois plus."},
    "r_rule_risk": {"en": "Spending the same budget on “{rule}” would avoid {risk} points of business risk: the plan "
                          "avoids {ratio} times as much.",
                    "fr": "Le même budget consacré à «\u00a0{rule}\u00a0» éviterait {risk} points de risque "
                          "métier\u00a0: le plan en évite {ratio} fois plus."},
    "r_rule_na": {"en": "The rule “{rule}” could not be compared (the data it needs was not available).",
                  "fr": "La règle «\u00a0{rule}\u00a0» n’a pas pu être comparée (les données nécessaires manquaient)."},
    "r_table_caption": {"en": "The plan year by year", "fr": "Le plan année par année"},
    "col_year": {"en": "Year", "fr": "Année"},
    "col_cost": {"en": "Cost", "fr": "Coût"},
    "col_km": {"en": "Length renewed", "fr": "Linéaire renouvelé"},
    "col_rate": {"en": "Share of network", "fr": "Part du réseau"},
    "col_npipes": {"en": "Pipes", "fr": "Conduites"},
    "col_avoided": {"en": "Leaks avoided (to the end of the plan)", "fr": "Fuites évitées (jusqu’à la fin du plan)"},
    "r_alt": {"en": "Leaks avoided by the optimised plan and by the usual rules at the same budget.",
              "fr": "Fuites évitées par le plan optimisé et par les règles habituelles à budget égal."},
    "r_y": {"en": "Leaks avoided over the plan", "fr": "Fuites évitées sur la période"},
    "r_optimised": {"en": "Optimised plan", "fr": "Plan optimisé"},
    "r_first_caption": {"en": "First-year works, largest leaks avoided first", "fr": "Travaux de la première année, les plus utiles d’abord"},
    "col_pipe": {"en": "Pipe", "fr": "Conduite"},
    "col_material": {"en": "Material", "fr": "Matériau"},
    "col_laid": {"en": "Laid", "fr": "Posée"},
    "col_diameter": {"en": "Diameter", "fr": "Diamètre"},
    "r_note": {"en": "Costs use standard prices per metre by diameter; leaks avoided are the model's expectations, "
                     "for the plan and for the rules alike.",
               "fr": "Les coûts utilisent des prix standard au mètre selon le diamètre\u00a0; les fuites évitées sont "
                     "les espérances du modèle, pour le plan comme pour les règles."},
    "r_note_cost_table": {"en": "Costs use the utility's own prices per metre by diameter ([renewal] cost_diameters_mm "
                                "and cost_eur_per_m); leaks avoided are the model's expectations, for the plan and "
                                "for the rules alike.",
                          "fr": "Les coûts utilisent les prix au mètre du service selon le diamètre ([renewal] "
                                "cost_diameters_mm et cost_eur_per_m)\u00a0; les fuites évitées sont les espérances "
                                "du modèle, pour le plan comme pour les règles."},
    "r_note_cost_column": {"en": "Costs are each pipe's own cost from the register ([renewal] cost_column), standard "
                                 "prices by diameter where it is blank; leaks avoided are the model's expectations, "
                                 "for the plan and for the rules alike.",
                           "fr": "Les coûts sont ceux de chaque conduite dans l’inventaire ([renewal] cost_column), "
                                 "des prix standard selon le diamètre là où il est vide\u00a0; les fuites évitées sont "
                                 "les espérances du modèle, pour le plan comme pour les règles."},
    # --- data quality ---
    "h_quality": {"en": "Data quality", "fr": "Qualité des données"},
    "q_sentence": {"en": "{pipes}, {kept}; {leaks}, {used}. Problems found: {errors}, {warnings} to check, {infos} for "
                         "information.",
                   "fr": "{pipes}, {kept}\u00a0; {leaks}, {used}. Problèmes relevés\u00a0: {errors}, {warnings} à "
                         "vérifier, {infos} pour information."},
    # its counts, each agreeing with its number (Translator.counted: "1 pipe read", "0 conduite lue", "0 grave")
    "q_pipes": {"en": "{n} pipes read", "fr": "{n} conduites lues"},
    "q_pipes_1": {"en": "{n} pipe read", "fr": "{n} conduite lue"},
    "q_kept": {"en": "{n} kept", "fr": "{n} retenues"},
    "q_kept_1": {"en": "{n} kept", "fr": "{n} retenue"},
    "q_leaks": {"en": "{n} leak records read", "fr": "{n} fuites lues"},
    "q_leaks_1": {"en": "{n} leak record read", "fr": "{n} fuite lue"},
    "q_used": {"en": "{n} usable", "fr": "{n} utilisables"},
    "q_used_1": {"en": "{n} usable", "fr": "{n} utilisable"},
    "q_errors": {"en": "{n} serious", "fr": "{n} graves"},
    "q_errors_1": {"en": "{n} serious", "fr": "{n} grave"},
    "q_caption": {"en": "Problems found in the input files (nothing was dropped silently)",
                  "fr": "Problèmes relevés dans les fichiers d’entrée (rien n’a été écarté en silence)"},
    "q_none": {"en": "No data problem was found.", "fr": "Aucun problème de données n’a été relevé."},
    "col_severity": {"en": "Severity", "fr": "Gravité"},
    "col_count": {"en": "Count", "fr": "Nombre"},
    "col_problem": {"en": "Problem", "fr": "Problème"},
    "col_example": {"en": "Example", "fr": "Exemple"},
    # the fields of a data check's example (validation.json), each with its value ("row 54", "ligne 54")
    "ex_row": {"en": "row {v}", "fr": "ligne {v}"},
    "ex_pipe_id": {"en": "pipe {v}", "fr": "conduite {v}"},
    "ex_leak_id": {"en": "leak {v}", "fr": "fuite {v}"},
    "ex_site_id": {"en": "site {v}", "fr": "emplacement {v}"},
    "ex_material": {"en": "material {v}", "fr": "matériau {v}"},
    "ex_material_raw": {"en": "material code {v}", "fr": "code matériau {v}"},
    "ex_install_year": {"en": "laid in {v}", "fr": "posée en {v}"},
    "ex_diameter_mm": {"en": "diameter {v}\u00a0mm", "fr": "diamètre {v}\u00a0mm"},
    "ex_length_m": {"en": "length {v}\u00a0m", "fr": "longueur {v}\u00a0m"},
    "ex_date": {"en": "date {v}", "fr": "date {v}"},
    "ex_read_as": {"en": "read as {v}", "fr": "valeur lue comme {v}"},
    # the values the data checks add beside the file's own columns (leakopt.validate.pipes)
    "ex_read_as_mm": {"en": "read as {v}\u00a0mm", "fr": "lu comme {v}\u00a0mm"},
    "ex_read_as_m": {"en": "read as {v}\u00a0m", "fr": "lue comme {v}\u00a0m"},
    "ex_imputed_length_m": {"en": "imputed length {v}\u00a0m", "fr": "longueur imputée {v}\u00a0m"},
    "ex_geometry_length_m": {"en": "length from the geometry {v}\u00a0m",
                             "fr": "longueur d’après la géométrie {v}\u00a0m"},
    "ex_network_length_m": {"en": "length in the network {v}\u00a0m", "fr": "longueur dans le réseau {v}\u00a0m"},
    # a diameter or length as the file writes it, with its own unit ('8"', "0.15 m"): no unit added
    "ex_diameter_mm_as_written": {"en": "diameter {v}", "fr": "diamètre {v}"},
    "ex_length_m_as_written": {"en": "length {v}", "fr": "longueur {v}"},
    "ex_register_pipe_id": {"en": "register's pipe {v}", "fr": "conduite de l’inventaire {v}"},
    "ex_x": {"en": "x {v}", "fr": "x {v}"},
    "ex_y": {"en": "y {v}", "fr": "y {v}"},
    "ex_snap_distance_m": {"en": "{v}\u00a0m from the pipe", "fr": "à {v}\u00a0m de la conduite"},
    "ex_imputed_from": {"en": "imputed from {v}", "fr": "méthode\u00a0: {v}"},
    "ex_year": {"en": "year {v}", "fr": "année {v}"},
    "ex_leaks": {"en": "leaks: {v}", "fr": "fuites : {v}"},
    "ex_pipes": {"en": "pipes: {v}", "fr": "conduites : {v}"},
    "ex_rows": {"en": "rows {v}", "fr": "lignes {v}"},
    "ex_last_leak": {"en": "last leak {v}", "fr": "dernière fuite {v}"},
    "ex_as_of": {"en": "as of {v}", "fr": "prévision au {v}"},
    "ex_column": {"en": "column {v}", "fr": "colonne {v}"},
    "q_lang": {"en": "", "fr": "Les descriptions des problèmes sont en anglais."},
    # --- model ---
    "h_model": {"en": "How the model decides", "fr": "Comment le modèle décide"},
    "mo_given": {"en": "Every pipe was scored by a model trained elsewhere ({name}), not on this utility's own "
                       "history: its ranking rests on what other networks taught it. Where this utility has leak "
                       "records, the validation section measures that model on them.",
                 "fr": "Chaque conduite a été notée par un modèle appris ailleurs ({name}), et non sur l’historique "
                       "de ce service : son classement repose sur ce que d’autres réseaux lui ont appris. Là où "
                       "ce service a des fuites enregistrées, la section de validation mesure ce modèle sur elles."},
    "mo_missing": {"en": "That model was trained with {n} features this utility does not have ({names}): they are "
                         "scored as unknown, so the ranking leans on the others.",
                   "fr": "Ce modèle a été appris avec {n} variables que ce service n’a pas ({names}) : elles "
                         "sont notées comme inconnues, et le classement s’appuie sur les autres."},
    "mo_prior": {"en": "This utility's leak file holds no leak, so no model could learn from its history. Every pipe "
                       "is ranked by published break rates instead: by material (grey cast iron breaks most, PVC "
                       "least), age and diameter (small mains break more), from surveys of hundreds of utilities "
                       "(prior.json gives the formula and every value). This is how engineers rank pipes without "
                       "data; it knows nothing of this network's soils, pressures or repairs, and its expected leaks "
                       "are survey averages, not a forecast. Recording every repaired leak, with its date and pipe, "
                       "is what lets the next analysis learn this network's own pattern.",
                 "fr": "Le fichier des fuites de ce service n’en contient aucune : aucun modèle n’a pu apprendre de "
                       "son historique. Chaque conduite est donc classée selon des taux de casse publiés : par "
                       "matériau (la fonte grise casse le plus, le PVC le moins), âge et diamètre (les petites "
                       "conduites cassent davantage), issus d’enquêtes sur des centaines de services (prior.json "
                       "donne la formule et chaque valeur). C’est ainsi que les ingénieurs classent les conduites "
                       "sans données ; ce classement ignore les sols, les pressions et les réparations de ce "
                       "réseau, et ses fuites attendues sont des moyennes d’enquêtes, pas une prévision. Enregistrer "
                       "chaque fuite réparée, avec sa date et sa conduite, permettra à la prochaine analyse "
                       "d’apprendre ce qui est propre à ce réseau."},
    "mo_intro_prior": {"en": "For each pipe the report states what raises its rate most above the network's typical "
                             "main. The reasons given most often in the priority zone:",
                       "fr": "Pour chaque conduite, le rapport indique ce qui élève le plus son taux au-dessus de la "
                             "conduite type du réseau. Les raisons les plus fréquentes dans la zone prioritaire :"},
    "bt_prior": {"en": "No backtest: the leak file holds no leak, so no ranking can be tested on this utility's "
                       "history.",
                 "fr": "Pas de test rétrospectif : le fichier des fuites n’en contient aucune, aucun classement "
                       "ne peut donc être testé sur l’historique de ce service."},
    "mo_intro_given": {"en": "That model learnt from other networks' leak histories which pipes break more: material, "
                             "age, diameter, past leaks, pressure and neighbouring pipes. For each pipe it states the "
                             "reasons that weigh most in its own score. The reasons given most often in the priority "
                             "zone:",
                       "fr": "Ce modèle a appris des historiques de fuites d’autres réseaux quelles conduites cassent "
                             "le plus : matériau, âge, diamètre, fuites passées, pression, conduites voisines. "
                             "Pour chaque conduite, il donne les raisons qui pèsent le plus dans sa note. Les raisons "
                             "les plus fréquentes dans la zone prioritaire :"},
    "mo_intro": {"en": "The model learns from the network's own leak history which pipes break more: material, age, "
                       "diameter, past leaks, pressure and neighbouring pipes. For each pipe it states the reasons "
                       "that weigh most in its own score. The reasons given most often in the priority zone:",
                 "fr": "Le modèle apprend de l’historique des fuites du réseau quelles conduites cassent le plus\u00a0: "
                       "matériau, âge, diamètre, fuites passées, pression, conduites voisines. Pour chaque conduite, "
                       "il donne les raisons qui pèsent le plus dans sa note. Les raisons les plus fréquentes dans "
                       "la zone prioritaire\u00a0:"},
    "mo_factor_caption": {"en": "Most frequent reasons among priority-zone pipes", "fr": "Raisons les plus fréquentes dans la zone prioritaire"},
    "col_reason": {"en": "Reason", "fr": "Raison"},
    "col_pipes_share": {"en": "Share of zone pipes", "fr": "Part des conduites de la zone"},
    "mo_examples_caption": {"en": "The five highest-risk pipes and why", "fr": "Les cinq conduites les plus à risque, et pourquoi"},
    "col_rank": {"en": "Rank", "fr": "Rang"},
    "col_per_km": {"en": "Leaks per km a year", "fr": "Fuites par km et par an"},
    "col_why": {"en": "Why", "fr": "Pourquoi"},
    "mo_hydraulics_failed": {
        "en": "The hydraulic simulation of the network failed ({error}), so pressure and velocity were not used: "
              "these risk scores come from the asset register and the leak history alone.",
        "fr": "La simulation hydraulique du réseau a échoué ({error})\u00a0: la pression et la vitesse n’ont pas "
              "été utilisées, et ces risques ne reposent que sur l’inventaire des conduites et l’historique des "
              "fuites."},
    "mo_none": {"en": "The risk file holds no explanations (no top_factors column).",
                "fr": "Le fichier de risque ne contient pas d’explications (pas de colonne top_factors)."},
    # --- compute ---
    "h_compute": {"en": "Compute cost", "fr": "Coût de calcul"},
    "c_sentence": {"en": "The whole analysis used {cpu} of processor time ({wall} elapsed) on a machine with {cpus} "
                         "processors, with at most {mem} of memory.",
                   "fr": "L’analyse complète a utilisé {cpu} de temps processeur ({wall} écoulées) sur une machine "
                         "à {cpus} processeurs, avec au plus {mem} de mémoire."},
    "c_caption": {"en": "Processor time by stage", "fr": "Temps processeur par étape"},
    "col_stage": {"en": "Stage", "fr": "Étape"},
    "col_cpu": {"en": "Processor time", "fr": "Temps processeur"},
    "col_wall": {"en": "Elapsed", "fr": "Durée écoulée"},
    "stage_load_validate": {"en": "Reading and checking the data", "fr": "Lecture et contrôle des données"},
    "stage_hydraulics": {"en": "Hydraulic simulation", "fr": "Simulation hydraulique"},
    "stage_risk": {"en": "Risk model (training and scoring)", "fr": "Modèle de risque (apprentissage et notation)"},
    "stage_backtest": {"en": "Test on past years", "fr": "Test sur les années passées"},
    "stage_sensors": {"en": "Logger placement", "fr": "Placement des capteurs"},
    "stage_consequence": {"en": "Consequence of a break", "fr": "Conséquence d’une casse"},
    "stage_pressure_sensors": {"en": "Pressure sensor placement", "fr": "Placement des capteurs de pression"},
    "stage_renewal": {"en": "Renewal plan", "fr": "Plan de renouvellement"},
    "stage_geojson": {"en": "Map file", "fr": "Fichier cartographique"},
    "stage_report": {"en": "This report", "fr": "Ce rapport"},
    "total": {"en": "Total", "fr": "Total"},
    # --- limits ---
    "h_limits": {"en": "What the model cannot know", "fr": "Ce que le modèle ne peut pas savoir"},
    "l_intro": {"en": "These results are forecasts from records. They are useful for choosing where to look and "
                      "what to renew first, but they have limits:",
                "fr": "Ces résultats sont des prévisions tirées des archives. Ils aident à choisir où chercher et "
                      "quoi renouveler d’abord, mais ils ont des limites\u00a0:"},
    "l_1": {"en": "It forecasts how often a pipe leaks on average, not the day a given pipe will break. With one leak "
                  "every few years on a pipe, single forecasts are uncertain; the ranking of whole zones is what the "
                  "test on past years supports.",
            "fr": "Il prévoit la fréquence moyenne des fuites d’une conduite, pas le jour où elle cassera. Avec une "
                  "fuite tous les quelques ans par conduite, chaque prévision isolée est incertaine\u00a0; c’est le "
                  "classement de zones entières que le test sur les années passées confirme."},
    "l_2": {"en": "It only sees what the files contain. Soil, traffic loads, quality of past works, corrosion, "
                  "pressure surges and unrecorded repairs are invisible to it unless they are given as columns.",
            "fr": "Il ne voit que ce que contiennent les fichiers. Sol, charges de trafic, qualité des travaux passés, "
                  "corrosion, coups de bélier et réparations non enregistrées lui sont invisibles, sauf s’ils sont "
                  "fournis en colonnes."},
    "l_3": {"en": "Leaks that were never found or never recorded do not exist for the model: an area with poor "
                  "records looks safer than it is.",
            "fr": "Les fuites jamais trouvées ou jamais enregistrées n’existent pas pour le modèle\u00a0: un secteur mal "
                  "documenté paraît plus sûr qu’il ne l’est."},
    "l_4": {"en": "Pipes already replaced are missing from the past; the model learns from the pipes that are still "
                  "in service.",
            "fr": "Les conduites déjà remplacées manquent dans le passé\u00a0; le modèle apprend des conduites encore en "
                  "service."},
    "l_5": {"en": "Renewal costs are standard prices by diameter, not quotes: depth, traffic and other networks change "
                  "real costs. Leaks avoided are expectations, not guarantees.",
            "fr": "Les coûts de renouvellement sont des prix standard par diamètre, pas des devis\u00a0: profondeur, "
                  "circulation et autres réseaux changent les coûts réels. Les fuites évitées sont des espérances, "
                  "pas des garanties."},
    "l_5_cost_table": {"en": "Renewal costs are the utility's prices per metre by diameter, not quotes: depth, traffic "
                             "and other networks change real costs. Leaks avoided are expectations, not guarantees.",
                       "fr": "Les coûts de renouvellement sont les prix au mètre du service selon le diamètre, pas des "
                             "devis\u00a0: profondeur, circulation et autres réseaux changent les coûts réels. Les fuites "
                             "évitées sont des espérances, pas des garanties."},
    "l_5_cost_column": {"en": "Renewal costs are the register's own figures (standard prices by diameter where it has "
                              "none), not quotes. Leaks avoided are expectations, not guarantees.",
                        "fr": "Les coûts de renouvellement sont ceux de l’inventaire (des prix standard selon le diamètre "
                              "là où il n’en donne pas), pas des devis. Les fuites évitées sont des espérances, pas des "
                              "garanties."},
    "k_renewal_d_euro_prices": {"en": "avoids {leaks} leaks over {years} years; costs: leakopt's default euro prices, "
                                      "not converted",
                                "fr": "évite {leaks} fuites en {years} ans\u00a0; coûts\u00a0: les prix par défaut "
                                      "de leakopt, en euros, non convertis"},
    "l_6": {"en": "How far a logger hears depends on pipe material, pressure and background noise; the coverage "
                  "shown assumes a typical listening distance.",
            "fr": "La portée d’écoute d’un capteur dépend du matériau, de la pression et du bruit ambiant\u00a0; la "
                  "couverture montrée suppose une distance d’écoute typique."},
    "l_7": {"en": "Future changes (pressure management, climate, new works) are not in the forecast.",
            "fr": "Les changements à venir (gestion de la pression, climat, nouveaux travaux) ne sont pas dans la "
                  "prévision."},
    "l_notes": {"en": "Notes from this analysis:", "fr": "Remarques propres à cette analyse (en anglais)\u00a0:"},
    # --- material families (leakopt.schema.MATERIAL_FAMILIES) ---
    "mat_cast_iron": {"en": "cast iron", "fr": "fonte grise"},
    "mat_ductile_iron": {"en": "ductile iron", "fr": "fonte ductile"},
    "mat_steel": {"en": "steel", "fr": "acier"},
    "mat_pvc": {"en": "PVC", "fr": "PVC"},
    "mat_pe": {"en": "polyethylene", "fr": "polyéthylène"},
    "mat_asbestos_cement": {"en": "asbestos cement", "fr": "amiante-ciment"},
    "mat_concrete": {"en": "concrete", "fr": "béton"},
    "mat_copper": {"en": "copper", "fr": "cuivre"},
    "mat_lead": {"en": "lead", "fr": "plomb"},
    "mat_other": {"en": "other", "fr": "autre"},
    "mat_unknown": {"en": "unknown", "fr": "inconnu"},
    # --- about ---
    "h_about": {"en": "About this analysis", "fr": "À propos de cette analyse"},
    "a_input": {"en": "Input file: {role}", "fr": "Fichier d’entrée\u00a0: {role}"},
    "a_role_pipes": {"en": "pipe register", "fr": "registre des conduites"},
    "a_role_leaks": {"en": "leak history", "fr": "historique des fuites"},
    "a_role_network": {"en": "network model", "fr": "modèle du réseau"},
    "a_role_config": {"en": "configuration", "fr": "configuration"},
    "a_role_valves": {"en": "valves", "fr": "vannes"},
    "a_role_model": {"en": "model trained elsewhere", "fr": "modèle appris ailleurs"},
    "a_versions": {"en": "Software versions", "fr": "Versions des logiciels"},
    "a_as_of": {"en": "Forecast date (data known up to)", "fr": "Date de la prévision (données connues jusqu’au)"},
    "a_first": {"en": "Leak records reliable from", "fr": "Archives des fuites fiables depuis"},
    "a_none": {"en": "The run's manifest.json is missing: inputs and versions are not known.",
               "fr": "Le fichier manifest.json de l’analyse est absent\u00a0: entrées et versions inconnues."},
}

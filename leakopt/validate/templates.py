"""The words of the validation messages: one English and French template per issue code (:data:`MESSAGES`),
and the fragments and labels they are built of (:data:`PHRASES`).

:mod:`leakopt.validate.messages` fills them (numbers, dates and names written the language's way).
French typography: a no-break space before ":", ";" and "?" and between a number and its unit, ’ for
the apostrophe.
"""
from __future__ import annotations

from leakopt.i18n import NBSP, NNBSP

# --- the templates ------------------------------------------------------------------------

_S = NBSP   # French: a no-break space before ":", ";", "?" and between a number and its unit
_PCT = NNBSP + "%"

_UNREADABLE = "{n:,} values of {col} could not be read as {what} and are treated as missing"
_GROUPED = ("{n:,} values of {col} are written with a thousands separator; read as numbers ('{example}' as "
            "{value})")
_GROUPED_1 = "1 value of {col} is written with a thousands separator; read as a number ('{example}' as {value})"
_GROUPED_FR = (f"{{n:,}} valeurs de {{col}} sont écrites avec un séparateur de milliers{_S}; elles sont lues comme "
               f"des nombres («{_S}{{example}}{_S}» comme {{value}})")
_GROUPED_FR_1 = (f"1 valeur de {{col}} est écrite avec un séparateur de milliers{_S}; elle est lue comme un nombre "
                 f"(«{_S}{{example}}{_S}» comme {{value}})")
_AMBIGUOUS = ("{n:,} values of {col} such as '{example}' read either as {as_decimal} (a decimal mark) or as "
              "{as_grouped} (a thousands separator), and nothing else in the column says which; treated as missing. "
              "Write them without thousands separators (e.g. {as_grouped} or {as_decimal}) to have them read")
_AMBIGUOUS_1 = ("1 value of {col}, '{example}', reads either as {as_decimal} (a decimal mark) or as {as_grouped} (a "
                "thousands separator), and nothing else in the column says which; treated as missing. Write it "
                "without thousands separator (e.g. {as_grouped} or {as_decimal}) to have it read")
_AMBIGUOUS_FR = (f"{{n:,}} valeurs de {{col}} comme «{_S}{{example}}{_S}» se lisent aussi bien {{as_decimal}} (une "
                 f"virgule décimale) que {{as_grouped}} (un séparateur de milliers), et rien d’autre dans la colonne "
                 f"ne dit lequel{_S}; elles sont traitées comme manquantes. Écrivez-les sans séparateur de milliers "
                 f"(par exemple {{as_grouped}} ou {{as_decimal}}) pour qu’elles soient lues")
_AMBIGUOUS_FR_1 = (f"1 valeur de {{col}}, «{_S}{{example}}{_S}», se lit aussi bien {{as_decimal}} (une virgule "
                   f"décimale) que {{as_grouped}} (un séparateur de milliers), et rien d’autre dans la colonne ne dit "
                   f"lequel{_S}; elle est traitée comme manquante. Écrivez-la sans séparateur de milliers (par "
                   f"exemple {{as_grouped}} ou {{as_decimal}}) pour qu’elle soit lue")
_LENGTH_FROM = "{n:,} pipes have no usable length_m; taken from the {src}"
_ALL_MISSING = ("{where}: every value of {col} is missing or unreadable, so none can be imputed; fill the column "
                "(or map the right one in [columns] of a config file)")
_NO_IMPUTE = "{n:,} pipes have no {col} and imputation is off (impute = false): they are not scored"
_IMPUTED = "{n:,} pipes have no {col}; imputed and flagged {flag} ({by})"
_SITE_NO_XY = "{n:,} {what}s of {name} have no usable x, y and were left out"
_SITE_DUPLICATE = "{n:,} {what}s of {name} repeat a site_id already used; only the first is kept"
_SITE_TOO_FAR = ("{n:,} {what}s of {name} are more than {max_m:g} m from every pipe of the network and were left "
                 "out (raise [{table}] {what}_snap_max_m, or check the coordinate systems)")
_UNREADABLE_1 = "1 value of {col} could not be read as {what} and is treated as missing"
_LENGTH_FROM_1 = "1 pipe has no usable length_m; taken from the {src}"
_NO_IMPUTE_1 = "1 pipe has no {col} and imputation is off (impute = false): it is not scored"
_IMPUTED_1 = "1 pipe has no {col}; imputed and flagged {flag} ({by})"
_SITE_NO_XY_1 = "1 {what} of {name} has no usable x, y and was left out"
_SITE_DUPLICATE_1 = "1 {what} of {name} repeats a site_id already used; only the first is kept"
_SITE_TOO_FAR_1 = ("1 {what} of {name} is more than {max_m:g} m from every pipe of the network and was left out "
                   "(raise [{table}] {what}_snap_max_m, or check the coordinate systems)")
_NOT_IN_RISK = ("{n:,} pipes of {network} ({length_m:,.0f} m, {share:.1f}% of its length) are not in {risk}: "
                "loggers were placed as if they never leak")
_NOT_IN_RISK_1 = ("1 pipe of {network} ({length_m:,.0f} m, {share:.1f}% of its length) is not in {risk}: loggers "
                  "were placed as if it never leaks")
_NOT_IN_RISK_FR = (f"{{n:,}} conduites de {{network}} ({{length_m:,.0f}}{_S}m, {{share:.1f}}{_PCT} de son "
                   f"linéaire) ne sont pas dans {{risk}}{_S}: les capteurs ont été placés comme si elles ne "
                   f"fuyaient jamais")
_NOT_IN_RISK_FR_1 = (f"1 conduite de {{network}} ({{length_m:,.0f}}{_S}m, {{share:.1f}}{_PCT} de son linéaire) "
                     f"n’est pas dans {{risk}}{_S}: les capteurs ont été placés comme si elle ne fuyait jamais")
_CRS_NONE = ("neither {name} nor the network has a known coordinate system: the {what}s' x, y are taken to be in "
             "the network's coordinates (metres)")
_CRS_POINTS = ("{name} has no coordinate system (a CSV; set [{table}] {what}s_crs): its x, y are taken to be in "
               "the network's, {network_crs}")
_CRS_POINTS_FR = (f"{{name}} n’a pas de système de coordonnées (un CSV{_S}; réglez [{{table}}] {{what}}s_crs){_S}: "
                  f"ses x, y sont pris dans celui du réseau, {{network_crs}}")
_CRS_NETWORK = ("{name} is in {crs} but the network's coordinate system is unknown (give --crs): the {what}s are "
                "used as they are, taken to be in the network's coordinates")

#: One template per issue code (``code``, or ``code`` + a suffix where one code has several
#: messages: the call names it with ``key=``).  ``"fr_1"``, ``"en_1"``: the French and the English
#: when ``n`` is 1 ("1 fuite a", "1 leak has"; French agrees in number from 2 on).  ``"en": None``:
#: the English text is written elsewhere (an exception's message, a configuration sentence) and
#: only the French is here.
MESSAGES: dict[str, dict[str, str | None]] = {
    # --- the asset register (validate/pipes.py) ---
    "crs_assumed_wgs84": {
        "en": "{where} gives no coordinate reference system and every coordinate is within longitude/latitude "
              "bounds: read as WGS84 longitude/latitude (EPSG:4326), lengths and distances in metres. Give the "
              "file its CRS (a .prj beside a Shapefile) if it is another",
        "fr": f"{{where}} ne donne aucun système de coordonnées et toutes ses coordonnées sont dans les bornes des "
              f"longitudes et latitudes{_S}: elles sont lues comme longitude/latitude WGS84 (EPSG:4326), longueurs "
              f"et distances en mètres. Donnez au fichier son système de coordonnées (un .prj à côté d’un "
              f"Shapefile) si c’en est un autre"},
    "crs_not_degrees": {
        "en": "{where} is in longitude/latitude ({crs}) by its own CRS, or by its format's rule (a GeoJSON without "
              "a CRS is WGS84), but its coordinates reach beyond 180/90: read as metres in an unknown projected "
              "coordinate system (lengths kept; no map position, and risk.geojson in local units). Export the "
              "layer in WGS84, or as a GeoPackage that carries its CRS",
        "fr": f"{{where}} est en longitude/latitude ({{crs}}) par son propre système de coordonnées, ou par la "
              f"règle de son format (un GeoJSON sans système de coordonnées est en WGS84), mais ses coordonnées "
              f"dépassent 180/90{_S}: elles sont lues comme des mètres dans un système projeté inconnu (longueurs "
              f"gardées{_S}; pas de position sur la carte, et risk.geojson en unités locales). Exportez la couche "
              f"en WGS84, ou en GeoPackage qui porte son système de coordonnées"},
    "no_pipes": {
        "en": "{where} holds no pipe rows; give the asset register with one row per pipe",
        "fr": f"{{where}} ne contient aucune ligne de conduite{_S}; donnez l’inventaire des conduites, une ligne "
              f"par conduite"},
    "no_pipes_after_as_of": {
        "en": "{where}: no pipe was installed by the as-of date {as_of:date}; choose a later --as-of",
        "fr": f"{{where}}{_S}: aucune conduite n’était posée à la date de prévision, le {{as_of:date}}{_S}; "
              f"choisissez une date --as-of plus tardive"},
    "missing_column": {
        "en": None,   # leakopt.io.columns.missing_columns_error writes it
        "fr": f"{{where}}{_S}: colonnes obligatoires {{missing}} introuvables{{why}}{_S}; colonnes "
              f"trouvées{_S}: {{columns}}. Si le fichier les nomme autrement, faites-les correspondre dans la "
              f"table [{{table}}] d’un fichier de configuration{{hint}}, et passez-le avec --config.",
        "fr_1": f"{{where}}{_S}: colonne obligatoire {{missing}} introuvable{{why}}{_S}; colonnes "
                f"trouvées{_S}: {{columns}}. Si le fichier la nomme autrement, faites-la correspondre dans la "
                f"table [{{table}}] d’un fichier de configuration{{hint}}, et passez-le avec --config."},
    "missing_column_form": {   # the app, above its form that maps the columns: no configuration file to write
        "en": "{where}: required columns {missing} not found{why}; columns found: {columns}. Choose below the "
              "column of the file that holds each of them.",
        "en_1": "{where}: required column {missing} not found{why}; columns found: {columns}. Choose below the "
                "column of the file that holds it.",
        "fr": f"{{where}}{_S}: colonnes obligatoires {{missing}} introuvables{{why}}{_S}; colonnes "
              f"trouvées{_S}: {{columns}}. Choisissez ci-dessous la colonne du fichier qui tient lieu de chacune.",
        "fr_1": f"{{where}}{_S}: colonne obligatoire {{missing}} introuvable{{why}}{_S}; colonnes "
                f"trouvées{_S}: {{columns}}. Choisissez ci-dessous la colonne du fichier qui en tient lieu."},
    "geometry_empty": {
        "en": "{n:,} pipes have an empty geometry; treated as pipes without geometry (length from length_m, the "
              "network or the material's median)",
        "en_1": "1 pipe has an empty geometry; treated as a pipe without geometry (length from length_m, the network "
                "or the material's median)",
        "fr": f"{{n:,}} conduites ont une géométrie vide{_S}; elles sont traitées comme des conduites sans "
              f"géométrie (longueur tirée de length_m, du réseau ou de la médiane de leur matériau)",
        "fr_1": f"1 conduite a une géométrie vide{_S}; elle est traitée comme une conduite sans géométrie "
                f"(longueur tirée de length_m, du réseau ou de la médiane de son matériau)"},
    "geometry_missing": {
        "en": "{n:,} pipes have no geometry (a null shape in the layer); scored as pipes without geometry (length "
              "from length_m, the network or the material's median) and not drawn on the map unless the network "
              "gives their line",
        "en_1": "1 pipe has no geometry (a null shape in the layer); scored as a pipe without geometry (length from "
                "length_m, the network or the material's median) and not drawn on the map unless the network gives "
                "its line",
        "fr": f"{{n:,}} conduites n’ont pas de géométrie (forme nulle dans la couche){_S}; elles sont évaluées comme "
              f"des conduites sans géométrie (longueur tirée de length_m, du réseau ou de la médiane de leur "
              f"matériau) et absentes de la carte sauf si le réseau donne leur tracé",
        "fr_1": f"1 conduite n’a pas de géométrie (forme nulle dans la couche){_S}; elle est évaluée comme une "
                f"conduite sans géométrie (longueur tirée de length_m, du réseau ou de la médiane de son matériau) "
                f"et absente de la carte sauf si le réseau donne son tracé"},
    "pipe_row_blank": {
        "en": "{n:,} rows of the register hold no value at all; left out",
        "en_1": "1 row of the register holds no value at all; left out",
        "fr": f"{{n:,}} lignes de l’inventaire ne contiennent aucune valeur{_S}; elles sont écartées",
        "fr_1": f"1 ligne de l’inventaire ne contient aucune valeur{_S}; elle est écartée"},
    "pipe_row_repeated": {
        "en": "{n:,} rows of the register repeat an earlier row exactly (same pipe_id and same values); each pipe is "
              "kept once",
        "en_1": "1 row of the register repeats an earlier row exactly (same pipe_id and same values); the pipe is "
                "kept once",
        "fr": f"{{n:,}} lignes de l’inventaire répètent exactement une ligne précédente (même pipe_id, mêmes "
              f"valeurs){_S}; chaque conduite n’est gardée qu’une fois",
        "fr_1": f"1 ligne de l’inventaire répète exactement une ligne précédente (même pipe_id, mêmes valeurs){_S}; "
                f"la conduite n’est gardée qu’une fois"},
    "register_column_renamed": {
        "en": "{n:,} register columns have the name of a column leakopt writes ({renamed})",
        "en_1": "1 register column has the name of a column leakopt writes ({renamed})",
        "fr": "{n:,} colonnes de l’inventaire portent le nom d’une colonne qu’écrit leakopt ({renamed})",
        "fr_1": "1 colonne de l’inventaire porte le nom d’une colonne qu’écrit leakopt ({renamed})"},
    "register_column_underscore": {
        "en": "{n:,} register columns have a name starting with \"_\", as leakopt's working columns do; they are "
              "passed through renamed ({renamed})",
        "en_1": "1 register column has a name starting with \"_\", as leakopt's working columns do; it is passed "
                "through renamed ({renamed})",
        "fr": "{n:,} colonnes de l’inventaire ont un nom qui commence par « _ », comme les colonnes de travail de "
              "leakopt ; elles sont conservées sous un autre nom ({renamed})",
        "fr_1": "1 colonne de l’inventaire a un nom qui commence par « _ », comme les colonnes de travail de "
                "leakopt ; elle est conservée sous un autre nom ({renamed})"},
    "pipe_id_missing": {
        "en": "{n:,} pipes have no pipe_id; they were given the ID 'row<N>' (N = their data row) so that they are "
              "still scored",
        "en_1": "1 pipe has no pipe_id; it was given the ID 'row<N>' (N = its data row) so that it is still scored",
        "fr": f"{{n:,}} conduites n’ont pas de pipe_id{_S}; elles ont reçu l’identifiant 'row<N>' (N = leur ligne "
              f"de données) pour être tout de même évaluées",
        "fr_1": f"1 conduite n’a pas de pipe_id{_S}; elle a reçu l’identifiant 'row<N>' (N = sa ligne de données) "
                f"pour être tout de même évaluée"},
    "duplicate_pipe_id": {
        "en": "{n_ids:,|pipe ID appears|pipe IDs appear} on several rows; {n:,|row|rows} left out, the {keep} row of "
              "each ID kept ({text})",
        "fr": f"{{n_ids:,|identifiant de conduite apparaît|identifiants de conduite apparaissent}} sur plusieurs "
              f"lignes{_S}; {{n:,|ligne écartée|lignes écartées}}, la {{keep}} ligne de chaque identifiant étant "
              f"gardée ({{text}})"},
    "duplicate_pipe_id_refused": {
        "en": "{where}: {n_ids:,|pipe_id value appears|pipe_id values appear} on more than one row (column "
              "pipe_id): {text}. Each pipe must have a unique ID. Fix the register, or set on_duplicate_ids = "
              "\"keep_first\" (or \"keep_last\") in the [validate] table of a config file to keep one row per ID; "
              "the others are then counted in validation.json.",
        "fr": f"{{where}}{_S}: {{n_ids:,|valeur de pipe_id apparaît|valeurs de pipe_id apparaissent}} sur "
              f"plusieurs lignes (colonne pipe_id){_S}: {{text}}. Chaque conduite doit avoir un identifiant "
              f"unique. Corrigez l’inventaire, ou réglez on_duplicate_ids = \"keep_first\" (ou \"keep_last\") "
              f"dans la table [validate] d’un fichier de configuration pour garder une ligne par identifiant{_S}; "
              f"les autres sont alors comptées dans validation.json."},
    "material_unrecognised": {
        "en": "{n:,} pipes have a material code that was not recognised and is treated as 'unknown': {listed}. "
              "Name their families with material_codes in [validate] (e.g. material_codes = "
              "{{ \"{example}\" = \"pvc\" }}), or recode them",
        "en_1": "1 pipe has a material code that was not recognised and is treated as 'unknown': {listed}. Name its "
                "family with material_codes in [validate] (e.g. material_codes = {{ \"{example}\" = \"pvc\" }}), or "
                "recode it",
        "fr": f"{{n:,}} conduites ont un code matériau non reconnu, traité comme 'unknown' (inconnu){_S}: "
              f"{{listed}}. Indiquez leurs familles avec material_codes dans [validate] (par ex. material_codes = "
              f"{{{{ \"{{example}}\" = \"pvc\" }}}}), ou recodez-les",
        "fr_1": f"1 conduite a un code matériau non reconnu, traité comme 'unknown' (inconnu){_S}: {{listed}}. "
                f"Indiquez sa famille avec material_codes dans [validate] (par ex. material_codes = "
                f"{{{{ \"{{example}}\" = \"pvc\" }}}}), ou recodez-le"},
    "material_missing": {
        "en": "{n:,} pipes have no material; treated as 'unknown' (they share one learnt rate)",
        "en_1": "1 pipe has no material; treated as 'unknown' (it shares the rate learnt for that family)",
        "fr": f"{{n:,}} conduites n’ont pas de matériau{_S}; elles sont traitées comme 'unknown' (inconnu{_S}: "
              f"elles partagent un même taux appris)",
        "fr_1": f"1 conduite n’a pas de matériau{_S}; elle est traitée comme 'unknown' (inconnu{_S}: elle "
                f"partage le taux appris pour cette famille)"},
    "diameter_mm_unreadable": {
        "en": _UNREADABLE,
        "en_1": _UNREADABLE_1,
        "fr": f"{{n:,}} valeurs de diamètre ({{col}}) n’ont pas pu être lues comme {{what}}{_S}; elles sont "
              f"traitées comme manquantes",
        "fr_1": f"1 valeur de diamètre ({{col}}) n’a pas pu être lue comme {{what}}{_S}; elle est traitée comme "
                f"manquante"},
    "length_m_unreadable": {
        "en": _UNREADABLE,
        "en_1": _UNREADABLE_1,
        "fr": f"{{n:,}} valeurs de longueur ({{col}}) n’ont pas pu être lues comme {{what}}{_S}; elles sont "
              f"traitées comme manquantes",
        "fr_1": f"1 valeur de longueur ({{col}}) n’a pas pu être lue comme {{what}}{_S}; elle est traitée comme "
                f"manquante"},
    "diameter_mm_thousands_separator": {
        "en": _GROUPED,
        "en_1": _GROUPED_1,
        "fr": _GROUPED_FR,
        "fr_1": _GROUPED_FR_1},
    "length_m_thousands_separator": {
        "en": _GROUPED,
        "en_1": _GROUPED_1,
        "fr": _GROUPED_FR,
        "fr_1": _GROUPED_FR_1},
    "diameter_mm_number_ambiguous": {
        "en": _AMBIGUOUS,
        "en_1": _AMBIGUOUS_1,
        "fr": _AMBIGUOUS_FR,
        "fr_1": _AMBIGUOUS_FR_1},
    "length_m_number_ambiguous": {
        "en": _AMBIGUOUS,
        "en_1": _AMBIGUOUS_1,
        "fr": _AMBIGUOUS_FR,
        "fr_1": _AMBIGUOUS_FR_1},
    "install_year_approximate": {
        "en": "{n:,} install years are written approximately (a range such as 1950-1960, a decade such as "
              "1960s, or c. 1950, 1965?, <1950): read as the range's or decade's middle year, or as the year "
              "written; the model takes them as exact",
        "en_1": "1 install year is written approximately (a range such as 1950-1960, a decade such as 1960s, or "
                "c. 1950, 1965?, <1950): read as the range's or decade's middle year, or as the year written; the "
                "model takes it as exact",
        "fr": f"{{n:,}} années de pose sont écrites approximativement (un intervalle comme 1950-1960, une "
              f"décennie comme « années 1960 », ou vers 1950, 1965?, <1950){_S}: lues comme l’année du milieu de "
              f"l’intervalle ou de la décennie, ou comme l’année écrite{_S}; le modèle les prend pour exactes",
        "fr_1": f"1 année de pose est écrite approximativement (un intervalle comme 1950-1960, une décennie "
                f"comme « années 1960 », ou vers 1950, 1965?, <1950){_S}: lue comme l’année du milieu de "
                f"l’intervalle ou de la décennie, ou comme l’année écrite{_S}; le modèle la prend pour exacte"},
    "install_year_unreadable": {
        "en": _UNREADABLE,
        "en_1": _UNREADABLE_1,
        "fr": f"{{n:,}} années de pose ({{col}}) n’ont pas pu être lues comme {{what}}{_S}; elles sont "
              f"traitées comme manquantes",
        "fr_1": f"1 année de pose ({{col}}) n’a pas pu être lue comme {{what}}{_S}; elle est traitée comme "
                f"manquante"},
    "diameter_not_positive": {
        "en": "{n:,} pipes have a diameter <= 0, treated as missing",
        "en_1": "1 pipe has a diameter <= 0, treated as missing",
        "fr": "{n:,} conduites ont un diamètre ≤ 0, traité comme manquant",
        "fr_1": "1 conduite a un diamètre ≤ 0, traité comme manquant"},
    "diameter_implausible": {
        "en": "{n:,} pipes have a diameter over {max:,.0f} mm, wider than any water main (a typo, or another unit "
              "than the one read?), treated as missing",
        "en_1": "1 pipe has a diameter over {max:,.0f} mm, wider than any water main (a typo, or another unit than "
                "the one read?), treated as missing",
        "fr": f"{{n:,}} conduites ont un diamètre de plus de {{max:,.0f}}{_S}mm, plus large que toute conduite d’eau "
              f"(une faute de frappe, ou une autre unité que celle lue{_S}?), traité comme manquant",
        "fr_1": f"1 conduite a un diamètre de plus de {{max:,.0f}}{_S}mm, plus large que toute conduite d’eau (une "
                f"faute de frappe, ou une autre unité que celle lue{_S}?), traité comme manquant"},
    "install_year_two_digits": {
        "en": "{n:,} install years have two digits ('82': 1982, or 2082?), and are treated as missing: write "
              "them with four digits",
        "en_1": "1 install year has two digits ('82': 1982, or 2082?), and is treated as missing: write it with "
                "four digits",
        "fr": f"{{n:,}} années de pose ont deux chiffres («{_S}82{_S}»{_S}: 1982, ou 2082{_S}?) et sont traitées "
              f"comme manquantes{_S}: écrivez-les avec quatre chiffres",
        "fr_1": f"1 année de pose a deux chiffres («{_S}82{_S}»{_S}: 1982, ou 2082{_S}?) et est traitée comme "
                f"manquante{_S}: écrivez-la avec quatre chiffres"},
    "install_year_implausible": {
        "en": "{n:,} install years are before {min_year} or after {horizon} (placeholders such as 0, 1111 or 9999?) "
              "and are treated as missing",
        "en_1": "1 install year is before {min_year} or after {horizon} (a placeholder such as 0, 1111 or 9999?) and "
                "is treated as missing",
        "fr": f"{{n:,}} années de pose sont antérieures à {{min_year}} ou postérieures à {{horizon}} (valeurs de "
              f"remplissage comme 0, 1111 ou 9999{_S}?){_S}; elles sont traitées comme manquantes",
        "fr_1": f"1 année de pose est antérieure à {{min_year}} ou postérieure à {{horizon}} (valeur de "
                f"remplissage comme 0, 1111 ou 9999{_S}?){_S}; elle est traitée comme manquante"},
    "diameter_units": {
        "en": "diameters have median {median:g}: they look like inches or metres, not millimetres; for inches set "
              "diameter_unit = \"in\" in [validate] of a config file, else convert the column to millimetres",
        "fr": f"les diamètres ont pour médiane {{median:g}}{_S}: ils semblent en pouces ou en mètres, pas en "
              f"millimètres{_S}; pour des pouces, mettez diameter_unit = \"in\" dans [validate] d’un fichier de "
              f"configuration, sinon convertissez la colonne en millimètres"},
    "diameter_marked_in_inches": {
        "en": "{n:,} diameters are given in inches (such as 6\"): converted to millimetres (x 25.4)",
        "en_1": "1 diameter is given in inches (such as 6\"): converted to millimetres (x 25.4)",
        "fr": f"{{n:,}} diamètres sont donnés en pouces (comme 6\"){_S}: convertis en millimètres (x 25,4)",
        "fr_1": f"1 diamètre est donné en pouces (comme 6\"){_S}: converti en millimètres (x 25,4)"},
    "diameter_fraction_read_in_inches": {
        "en": "{n:,} diameters are fractions with no unit (such as {example}): read as inches, as such sizes are "
              "written, and converted to millimetres (x 25.4)",
        "en_1": "1 diameter is a fraction with no unit ({example}): read as inches, as such sizes are written, and "
                "converted to millimetres (x 25.4)",
        "fr": f"{{n:,}} diamètres sont des fractions sans unité (comme {{example}}){_S}: lus en pouces, comme ces "
              f"tailles s’écrivent, et convertis en millimètres (x 25,4)",
        "fr_1": f"1 diamètre est une fraction sans unité ({{example}}){_S}: lu en pouces, comme ces tailles "
                f"s’écrivent, et converti en millimètres (x 25,4)"},
    "diameter_marked_in_metres": {
        "en": "{n:,} diameters are given in metres (such as 0.15 m): converted to millimetres (x 1000)",
        "en_1": "1 diameter is given in metres (such as 0.15 m): converted to millimetres (x 1000)",
        "fr": f"{{n:,}} diamètres sont donnés en mètres (comme 0,15 m){_S}: convertis en millimètres (x 1000)",
        "fr_1": f"1 diamètre est donné en mètres (comme 0,15 m){_S}: converti en millimètres (x 1000)"},
    "pipe_not_kept": {
        "en": "{n:,} pipes are left out by [validate] keep_pipes ({rule}): they held {values}; leaks recorded on "
              "them are left out with them",
        "en_1": "1 pipe is left out by [validate] keep_pipes ({rule}): it held {values}; leaks recorded on it are "
                "left out with it",
        "fr": f"{{n:,}} conduites sont écartées par [validate] keep_pipes ({{rule}}){_S}: elles portaient "
              f"{{values}}{_S}; les fuites enregistrées sur elles sont écartées avec elles",
        "fr_1": f"1 conduite est écartée par [validate] keep_pipes ({{rule}}){_S}: elle portait {{values}}{_S}; "
                f"les fuites enregistrées sur elle sont écartées avec elle"},
    "pipes_out_of_service_listed": {
        "en": "{n:,} pipes are out of service by their {column} ({values}) and are scored as pipes in service; to "
              "leave them out, with the leaks recorded on them, set {keep} in [validate] of a config file",
        "en_1": "1 pipe is out of service by its {column} ({values}) and is scored as a pipe in service; to leave "
                "it out, with the leaks recorded on it, set {keep} in [validate] of a config file",
        "fr": f"{{n:,}} conduites sont hors service d’après leur {{column}} ({{values}}) et sont évaluées comme des "
              f"conduites en service{_S}; pour les écarter, avec les fuites enregistrées sur elles, mettez {{keep}} "
              f"dans [validate] d’un fichier de configuration",
        "fr_1": f"1 conduite est hors service d’après son {{column}} ({{values}}) et est évaluée comme une conduite "
                f"en service{_S}; pour l’écarter, avec les fuites enregistrées sur elle, mettez {{keep}} dans "
                f"[validate] d’un fichier de configuration"},
    "keep_pipes_column_missing": {
        "en": "{where}: [validate] keep_pipes names the column {column}, which is not in the register (its columns: "
              "{columns}); name one of the register's own columns, as written in the file",
        "fr": f"{{where}}{_S}: [validate] keep_pipes nomme la colonne {{column}}, absente de l’inventaire (ses "
              f"colonnes{_S}: {{columns}}){_S}; nommez l’une des colonnes de l’inventaire, telle qu’écrite dans "
              f"le fichier"},
    "keep_pipes_keeps_none": {
        "en": "{where}: no pipe holds the values [validate] keep_pipes asks for ({rule}); the register holds "
              "{values}: list the values of the pipes in service, as written there",
        "fr": f"{{where}}{_S}: aucune conduite ne porte les valeurs que demande [validate] keep_pipes "
              f"({{rule}}){_S}; l’inventaire porte {{values}}{_S}: listez les valeurs des conduites en service, "
              f"telles qu’écrites"},
    "length_read_in_unit": {
        "en": "{n:,} lengths read in {unit} ([validate] length_unit = \"{unit}\"): converted to metres (x {factor:g})",
        "en_1": "1 length read in {unit} ([validate] length_unit = \"{unit}\"): converted to metres (x {factor:g})",
        "fr": f"{{n:,}} longueurs lues en {{unit}} ([validate] length_unit = \"{{unit}}\"){_S}: converties en mètres "
              f"(x {{factor:g}})",
        "fr_1": f"1 longueur lue en {{unit}} ([validate] length_unit = \"{{unit}}\"){_S}: convertie en mètres "
                f"(x {{factor:g}})"},
    "length_units": {
        "en": "the register's lengths are {ratio:.3g} times those of {source} on {share:.0f}% of the {n:,} pipes "
              "compared: they look like another unit than the one read ({unit}); for feet set length_unit = \"ft\" "
              "(kilometres: \"km\") in [validate] of a config file. The register's lengths are used as read",
        "fr": f"les longueurs de l’inventaire valent {{ratio:.3g}} fois celles de {{source}} pour {{share:.0f}}{_PCT} "
              f"des {{n:,}} conduites comparées{_S}: elles semblent dans une autre unité que celle lue ({{unit}}){_S}; "
              f"pour des pieds, mettez length_unit = \"ft\" (kilomètres{_S}: \"km\") dans [validate] d’un fichier "
              f"de configuration. Les longueurs de l’inventaire sont utilisées telles quelles"},
    "length_units_geometry_feet": {
        "en": "the register's lengths are {ratio:.3g} times those of {source} on {share:.0f}% of the {n:,} pipes "
              "compared: the layer has no coordinate system (CRS), so its coordinates were taken as metres, and "
              "they look like feet (a US state plane). Give the layer its CRS (a Shapefile's .prj file, or save it "
              "with its CRS) and run again. The register's lengths are used as read ({unit})",
        "fr": f"les longueurs de l’inventaire valent {{ratio:.3g}} fois celles de {{source}} pour {{share:.0f}}{_PCT} "
              f"des {{n:,}} conduites comparées{_S}: la couche n’a pas de système de coordonnées (SCR), ses "
              f"coordonnées ont donc été lues en mètres, et elles semblent en pieds (un State Plane américain). "
              f"Donnez son SCR à la couche (le fichier .prj d’un Shapefile, ou enregistrez-la avec son SCR) et "
              f"relancez. Les longueurs de l’inventaire sont utilisées telles quelles ({{unit}})"},
    "diameter_read_in_inches": {
        "en": "{n:,} diameters read in inches ([validate] diameter_unit = \"in\"): converted to millimetres (x 25.4)",
        "en_1": "1 diameter read in inches ([validate] diameter_unit = \"in\"): converted to millimetres (x 25.4)",
        "fr": f"{{n:,}} diamètres lus en pouces ([validate] diameter_unit = \"in\"){_S}: convertis en millimètres "
              f"(x 25,4)",
        "fr_1": f"1 diamètre lu en pouces ([validate] diameter_unit = \"in\"){_S}: converti en millimètres "
                f"(x 25,4)"},
    "pipe_not_in_network": {
        "en": "{n:,} register pipes are not pipes of {net_file} (no link with that ID); they are scored, but get "
              "no network features",
        "en_1": "1 register pipe is not a pipe of {net_file} (no link with that ID); it is scored, but gets no "
                "network features",
        "fr": f"{{n:,}} conduites de l’inventaire ne sont pas des conduites de {{net_file}} (aucun tronçon de cet "
              f"identifiant){_S}; elles sont évaluées, mais sans les variables du réseau",
        "fr_1": f"1 conduite de l’inventaire n’est pas une conduite de {{net_file}} (aucun tronçon de cet "
                f"identifiant){_S}; elle est évaluée, mais sans les variables du réseau"},
    "pipe_is_pump_or_valve": {
        "en": "{n:,} register rows carry the ID of a pump or valve of {net_file}, not of a pipe; they are scored "
              "as pipes, without network features",
        "en_1": "1 register row carries the ID of a pump or valve of {net_file}, not of a pipe; it is scored as a "
                "pipe, without network features",
        "fr": f"{{n:,}} lignes de l’inventaire portent l’identifiant d’une pompe ou d’une vanne de {{net_file}}, "
              f"pas d’une conduite{_S}; elles sont évaluées comme des conduites, sans les variables du réseau",
        "fr_1": f"1 ligne de l’inventaire porte l’identifiant d’une pompe ou d’une vanne de {{net_file}}, pas "
                f"d’une conduite{_S}; elle est évaluée comme une conduite, sans les variables du réseau"},
    "network_pipe_not_in_register": {
        "en": "{n:,} pipes of {net_file} are not in the register ({where}); they are not scored",
        "en_1": "1 pipe of {net_file} is not in the register ({where}); it is not scored",
        "fr": f"{{n:,}} conduites de {{net_file}} ne sont pas dans l’inventaire ({{where}}){_S}; elles ne sont "
              f"pas évaluées",
        "fr_1": f"1 conduite de {{net_file}} n’est pas dans l’inventaire ({{where}}){_S}; elle n’est pas "
                f"évaluée"},
    "geometry_from_network": {
        "en": "{n:,} pipes have no geometry in the register: their line (vertices) and midpoint are taken from the "
              "network",
        "en_1": "1 pipe has no geometry in the register: its line (vertices) and midpoint are taken from the network",
        "fr": f"{{n:,}} conduites n’ont pas de géométrie dans l’inventaire{_S}: leur tracé (sommets) et leur "
              f"milieu sont tirés du réseau",
        "fr_1": f"1 conduite n’a pas de géométrie dans l’inventaire{_S}: son tracé (sommets) et son milieu sont "
                f"tirés du réseau"},
    "diameter_from_network": {
        "en": "{n:,} pipes have no diameter in the register: taken from the network model (flagged "
              "diameter_imputed)",
        "en_1": "1 pipe has no diameter in the register: taken from the network model (flagged diameter_imputed)",
        "fr": f"{{n:,}} conduites n’ont pas de diamètre dans l’inventaire{_S}: il est tiré du modèle de réseau "
              f"(et signalé par diameter_imputed)",
        "fr_1": f"1 conduite n’a pas de diamètre dans l’inventaire{_S}: il est tiré du modèle de réseau (et "
                f"signalé par diameter_imputed)"},
    "network_coordinates_elsewhere": {
        "en": "the coordinates of {net_file} do not overlap those of {where} (different coordinate systems?); no "
              "line is taken from the network for pipes without geometry (it would land elsewhere on the maps)",
        "fr": f"les coordonnées de {{net_file}} ne recouvrent pas celles de {{where}} (systèmes de coordonnées "
              f"différents{_S}?){_S}; aucun tracé n’est tiré du réseau pour les conduites sans géométrie (il "
              f"tomberait ailleurs sur les cartes)"},
    "network_coordinates_apart": {   # the code network_coordinates_elsewhere, said with what it does to loggers
        "en": "the coordinates of {net_file} do not overlap those of {where} (different coordinate systems?): no "
              "line is taken from the network for pipes without geometry, and the loggers get no longitude and "
              "latitude (sensors.csv keeps their x, y in the network's own coordinates); the maps place them only "
              "at the ends of the register's pipes. Give a network whose coordinates are in the register's "
              "coordinate system to place both together",
        "fr": f"les coordonnées de {{net_file}} ne recouvrent pas celles de {{where}} (systèmes de coordonnées "
              f"différents{_S}?){_S}: aucun tracé n’est tiré du réseau pour les conduites sans géométrie, et les "
              f"capteurs n’ont ni longitude ni latitude (sensors.csv garde leurs x, y dans les coordonnées propres "
              f"du réseau){_S}; les cartes ne les placent qu’aux extrémités des conduites de l’inventaire. Donnez "
              f"un réseau dont les coordonnées sont dans le système de l’inventaire pour placer les deux "
              f"ensemble"},
    "network_without_coordinates": {
        "en": "{net_file} has no node coordinates (its {nodes:,} nodes all stand at one point, as a file without a "
              "[COORDINATES] section is read): no line is taken from the network, the loggers get no x, y and the "
              "maps show only what the register places. Add a [COORDINATES] section, in the register's coordinate "
              "system, to place the network",
        "fr": f"{{net_file}} n’a pas de coordonnées de nœuds (ses {{nodes:,}} nœuds sont tous en un même point, "
              f"comme se lit un fichier sans section [COORDINATES]){_S}: aucun tracé n’est tiré du réseau, les "
              f"capteurs n’ont pas de x, y et les cartes ne montrent que ce que l’inventaire situe. Ajoutez une "
              f"section [COORDINATES], dans le système de coordonnées de l’inventaire, pour situer le réseau"},
    "network_nodes_without_coordinates": {
        "en": "{n:,} nodes of {net_file} have no coordinates (not in its [COORDINATES] section, which places the "
              "others; WNTR would put them at (0, 0)): the pipes that end on them ({n_pipes:,}) get no line from the "
              "network and the maps leave them out, and a logger on one of them gets no x, y. Add those nodes to "
              "[COORDINATES] to place them",
        "en_1": "1 node of {net_file} has no coordinates (not in its [COORDINATES] section, which places the "
                "others; WNTR would put it at (0, 0)): the pipes that end on it ({n_pipes:,}) get no line from the "
                "network and the maps leave them out, and a logger on it gets no x, y. Add that node to "
                "[COORDINATES] to place it",
        "fr": f"{{n:,}} nœuds de {{net_file}} n’ont pas de coordonnées (absents de sa section [COORDINATES], qui "
              f"situe les autres{_S}; WNTR les mettrait en (0, 0)){_S}: les conduites qui y aboutissent ({{n_pipes:,}}) "
              f"ne reçoivent pas de tracé du réseau et les cartes les omettent, et un capteur posé sur l’un d’eux "
              f"n’a pas de x, y. Ajoutez ces nœuds à [COORDINATES] pour les situer",
        "fr_1": f"1 nœud de {{net_file}} n’a pas de coordonnées (absent de sa section [COORDINATES], qui situe "
                f"les autres{_S}; WNTR le mettrait en (0, 0)){_S}: les conduites qui y aboutissent ({{n_pipes:,}}) ne "
                f"reçoivent pas de tracé du réseau et les cartes les omettent, et un capteur posé sur lui n’a pas "
                f"de x, y. Ajoutez ce nœud à [COORDINATES] pour le situer"},
    "length_implausible": {
        "en": "{n:,} pipes have a length over {max_m:,.0f} m, longer than any pipe segment (a unit slip or a "
              "placeholder?); replaced from the geometry, the network or a median length (see length_imputed). "
              "[validate] max_length_m sets the limit",
        "en_1": "1 pipe has a length over {max_m:,.0f} m, longer than any pipe segment (a unit slip or a "
                "placeholder?); replaced from the geometry, the network or a median length (see length_imputed). "
                "[validate] max_length_m sets the limit",
        "fr": f"{{n:,}} conduites ont une longueur de plus de {{max_m:,.0f}} m, plus que tout tronçon (une erreur "
              f"d’unité ou une valeur de remplissage{_S}?){_S}; elle est remplacée par celle de la géométrie, du "
              f"réseau ou par une longueur médiane (voir length_imputed). [validate] max_length_m fixe la limite",
        "fr_1": f"1 conduite a une longueur de plus de {{max_m:,.0f}} m, plus que tout tronçon (une erreur "
                f"d’unité ou une valeur de remplissage{_S}?){_S}; elle est remplacée par celle de la géométrie, du "
                f"réseau ou par une longueur médiane (voir length_imputed). [validate] max_length_m fixe la limite"},
    "length_not_positive": {
        "en": "{n:,} pipes have a length <= 0; replaced from the geometry, the network or a median length (see "
              "length_imputed)",
        "en_1": "1 pipe has a length <= 0; replaced from the geometry, the network or a median length (see "
                "length_imputed)",
        "fr": f"{{n:,}} conduites ont une longueur ≤ 0{_S}; elle est remplacée par celle de la géométrie, du "
              f"réseau ou par une longueur médiane (voir length_imputed)",
        "fr_1": f"1 conduite a une longueur ≤ 0{_S}; elle est remplacée par celle de la géométrie, du réseau ou "
                f"par une longueur médiane (voir length_imputed)"},
    "length_from_geometry": {
        "en": _LENGTH_FROM,
        "en_1": _LENGTH_FROM_1,
        "fr": f"{{n:,}} conduites n’ont pas de length_m utilisable{_S}; leur longueur est tirée de leur géométrie",
        "fr_1": f"1 conduite n’a pas de length_m utilisable{_S}; sa longueur est tirée de sa géométrie"},
    "length_from_network": {
        "en": _LENGTH_FROM,
        "en_1": _LENGTH_FROM_1,
        "fr": f"{{n:,}} conduites n’ont pas de length_m utilisable{_S}; leur longueur est tirée du réseau",
        "fr_1": f"1 conduite n’a pas de length_m utilisable{_S}; sa longueur est tirée du réseau"},
    "length_imputed": {
        "en": "{n:,} pipes have no length anywhere (register, geometry, network); given the median length of the "
              "pipes of their material that have one (of all pipes when none of their material has) and flagged "
              "length_imputed so that they are still scored ({by})",
        "en_1": "1 pipe has no length anywhere (register, geometry, network); given the median length of the pipes "
                "of its material that have one (of all pipes when none of its material has) and flagged "
                "length_imputed so that it is still scored ({by})",
        "fr": f"{{n:,}} conduites n’ont de longueur nulle part (inventaire, géométrie, réseau){_S}; elles "
              f"reçoivent la longueur médiane des conduites de leur matériau qui en ont une (de toutes les "
              f"conduites quand aucune de leur matériau n’en a) et sont signalées par length_imputed pour être "
              f"tout de même évaluées ({{by}})",
        "fr_1": f"1 conduite n’a de longueur nulle part (inventaire, géométrie, réseau){_S}; elle reçoit la "
                f"longueur médiane des conduites de son matériau qui en ont une (de toutes les conduites quand "
                f"aucune de son matériau n’en a) et est signalée par length_imputed pour être tout de même "
                f"évaluée ({{by}})"},
    "length_m_all_missing": {
        "en": "{where}: every value of {col} is missing or unreadable, and neither a geometry nor a network gives "
              "the pipes' lengths, so none can be estimated; fill the column with each pipe's length in metres "
              "(e.g. 1234.5), map the right column in [columns] of a config file, or give the register as a GIS "
              "layer with line geometry (or an EPANET network with --network)",
        "fr": f"{{where}}{_S}: toutes les longueurs ({{col}}) sont manquantes ou illisibles, et ni une géométrie ni "
              f"un réseau ne donnent la longueur des conduites, aucune ne peut donc être estimée{_S}; remplissez la "
              f"colonne avec la longueur de chaque conduite en mètres (par exemple 1234,5), désignez la bonne "
              f"colonne dans [columns] d’un fichier de configuration, ou donnez l’inventaire en couche SIG avec "
              f"les tracés (ou un réseau EPANET avec --network)"},
    "pipe_installed_after_as_of": {
        "en": "{n:,} pipes were installed after the as-of year {year}; they are not scored",
        "en_1": "1 pipe was installed after the as-of year {year}; it is not scored",
        "fr": f"{{n:,}} conduites ont été posées après {{year}}, l’année de la date de prévision{_S}; elles ne "
              f"sont pas évaluées",
        "fr_1": f"1 conduite a été posée après {{year}}, l’année de la date de prévision{_S}; elle n’est pas "
                f"évaluée"},
    "pipe_installed_after_as_of_date": {
        "en": "{n:,} pipes were installed after the as-of year {year} or, as the register dates them, on or after "
              "the as-of date {as_of:date}; they are not scored",
        "en_1": "1 pipe was installed after the as-of year {year} or, as the register dates it, on or after the "
                "as-of date {as_of:date}; it is not scored",
        "fr": f"{{n:,}} conduites ont été posées après {{year}}, l’année de la date de prévision, ou, d’après la "
              f"date de pose de l’inventaire, le {{as_of:date}} (la date de prévision) ou après{_S}; elles ne sont "
              f"pas évaluées",
        "fr_1": f"1 conduite a été posée après {{year}}, l’année de la date de prévision, ou, d’après la date de "
                f"pose de l’inventaire, le {{as_of:date}} (la date de prévision) ou après{_S}; elle n’est pas "
                f"évaluée"},
    "diameter_mm_all_missing": {
        "en": _ALL_MISSING,
        "fr": f"{{where}}{_S}: tous les diamètres ({{col}}) sont manquants ou illisibles, aucun ne peut donc être "
              f"estimé{_S}; remplissez la colonne (ou désignez la bonne dans [columns] d’un fichier de "
              f"configuration)"},
    "install_year_all_missing": {
        "en": _ALL_MISSING,
        "fr": f"{{where}}{_S}: toutes les années de pose ({{col}}) sont manquantes ou illisibles, aucune ne peut "
              f"donc être estimée{_S}; remplissez la colonne (ou désignez la bonne dans [columns] d’un fichier de "
              f"configuration)"},
    "diameter_mm_missing": {
        "en": _NO_IMPUTE,
        "en_1": _NO_IMPUTE_1,
        "fr": f"{{n:,}} conduites n’ont pas de diamètre ({{col}}) et l’estimation est désactivée (impute = "
              f"false){_S}: elles ne sont pas évaluées",
        "fr_1": f"1 conduite n’a pas de diamètre ({{col}}) et l’estimation est désactivée (impute = false){_S}: "
                f"elle n’est pas évaluée"},
    "install_year_missing": {
        "en": _NO_IMPUTE,
        "en_1": _NO_IMPUTE_1,
        "fr": f"{{n:,}} conduites n’ont pas d’année de pose ({{col}}) et l’estimation est désactivée (impute = "
              f"false){_S}: elles ne sont pas évaluées",
        "fr_1": f"1 conduite n’a pas d’année de pose ({{col}}) et l’estimation est désactivée (impute = "
                f"false){_S}: elle n’est pas évaluée"},
    "diameter_mm_imputed": {
        "en": _IMPUTED,
        "en_1": _IMPUTED_1,
        "fr": f"{{n:,}} conduites n’ont pas de diamètre ({{col}}){_S}; valeurs estimées et signalées par "
              f"{{flag}} ({{by}})",
        "fr_1": f"1 conduite n’a pas de diamètre ({{col}}){_S}; valeur estimée et signalée par {{flag}} ({{by}})"},
    "install_year_imputed": {
        "en": _IMPUTED,
        "en_1": _IMPUTED_1,
        "fr": f"{{n:,}} conduites n’ont pas d’année de pose ({{col}}){_S}; valeurs estimées et signalées par "
              f"{{flag}} ({{by}})",
        "fr_1": f"1 conduite n’a pas d’année de pose ({{col}}){_S}; valeur estimée et signalée par {{flag}} "
                f"({{by}})"},
    "imputed_year_before_leak": {
        "en": "{n:,} imputed install years were later than the pipe's first recorded leak; set to the year of that "
              "leak",
        "en_1": "1 imputed install year was later than the pipe's first recorded leak; set to the year of that leak",
        "fr": f"{{n:,}} années de pose estimées étaient postérieures à la première fuite enregistrée de leur "
              f"conduite{_S}; elles sont ramenées à l’année de cette fuite",
        "fr_1": f"1 année de pose estimée était postérieure à la première fuite enregistrée de sa conduite{_S}; "
                f"elle est ramenée à l’année de cette fuite"},
    # --- the leak history (validate/leaks.py) ---
    "leak_row_repeated": {
        "en": "{n:,} leak rows repeat another row in every column ({rows:,} rows in all), and the file has no "
              "leak_id to tell two breaks from one written twice: all are kept, each counted as a break. If the "
              "export repeats rows, remove the copies",
        "en_1": "1 leak row repeats another row in every column ({rows:,} rows in all), and the file has no "
                "leak_id to tell two breaks from one written twice: both are kept, each counted as a break. If the "
                "export repeats rows, remove the copy",
        "fr": f"{{n:,}} lignes de fuite répètent une autre ligne dans toutes leurs colonnes ({{rows:,}} lignes en "
              f"tout), et le fichier n’a pas de leak_id pour distinguer deux casses d’une casse écrite deux "
              f"fois{_S}: toutes sont gardées, chacune comptée comme une casse. Si l’export répète des lignes, "
              f"supprimez les copies",
        "fr_1": f"1 ligne de fuite répète une autre ligne dans toutes ses colonnes ({{rows:,}} lignes en tout), "
                f"et le fichier n’a pas de leak_id pour distinguer deux casses d’une casse écrite deux fois{_S}: les "
                f"deux sont gardées, chacune comptée comme une casse. Si l’export répète des lignes, supprimez la "
                f"copie"},
    "leak_id_duplicate": {
        "en": "{n:,} leak rows share a leak_id with another row (double entries?); all are kept",
        "fr": f"{{n:,}} lignes de fuite partagent leur leak_id avec une autre ligne (saisies en double{_S}?)"
              f"{_S}; toutes sont gardées"},
    "leak_pipe_id_unmapped": {
        "en": "the {n:,} leaks have no pipe_id column and are placed from x, y, but column {column!r} names the "
              "register's pipes: map it under [leak_columns] (pipe_id = \"{column}\") to place them by ID",
        "en_1": "the leak has no pipe_id column and is placed from x, y, but column {column!r} names the register's "
                "pipes: map it under [leak_columns] (pipe_id = \"{column}\") to place it by ID",
        "fr": f"les {{n:,}} fuites n’ont pas de colonne pipe_id et sont placées d’après x, y, mais la colonne "
              f"{{column!r}} nomme les conduites de l’inventaire{_S}: déclarez-la dans [leak_columns] (pipe_id = "
              f"\"{{column}}\") pour les placer par identifiant",
        "fr_1": f"la fuite n’a pas de colonne pipe_id et est placée d’après x, y, mais la colonne {{column!r}} "
                f"nomme les conduites de l’inventaire{_S}: déclarez-la dans [leak_columns] (pipe_id = "
                f"\"{{column}}\") pour la placer par identifiant"},
    "leak_type_excluded": {
        "en": "{n:,} leaks are of a type other than {kept} (leak_types in [validate]); left out",
        "en_1": "1 leak is of a type other than {kept} (leak_types in [validate]); left out",
        "fr": f"{{n:,}} fuites sont d’un autre type que {{kept}} (leak_types dans [validate]){_S}; elles sont "
              f"écartées",
        "fr_1": f"1 fuite est d’un autre type que {{kept}} (leak_types dans [validate]){_S}; elle est écartée"},
    "leak_type_missing": {
        "en": "{n:,} leaks have no type while leak_types = [{kept}] is set in [validate]; left out",
        "en_1": "1 leak has no type while leak_types = [{kept}] is set in [validate]; left out",
        "fr": f"{{n:,}} fuites n’ont pas de type alors que leak_types = [{{kept}}] est réglé dans [validate]{_S}; "
              f"elles sont écartées",
        "fr_1": f"1 fuite n’a pas de type alors que leak_types = [{{kept}}] est réglé dans [validate]{_S}; elle "
                f"est écartée"},
    "leak_types_match_none": {
        "en": "{where}: none of its {n:,} leaks with a type is of a type that leak_types = [{kept}] in [validate] "
              "names. The file's types, most frequent first: {types}. Set leak_types to some of them as written "
              "(capitals aside), or remove it to use every leak.",
        "en_1": "{where}: its 1 leak with a type is not of a type that leak_types = [{kept}] in [validate] names. "
                "The file's type: {types}. Set leak_types to it as written (capitals aside), or remove it to use "
                "every leak.",
        "fr": f"{{where}}{_S}: aucune de ses {{n:,}} fuites qui ont un type n’est d’un type que nomme leak_types = "
              f"[{{kept}}] dans [validate]. Types du fichier, du plus fréquent au moins fréquent{_S}: {{types}}. "
              f"Réglez leak_types sur certains d’entre eux, tels qu’ils sont écrits (majuscules mises à part), "
              f"ou retirez-le pour prendre toutes les fuites.",
        "fr_1": f"{{where}}{_S}: sa seule fuite qui a un type n’est pas d’un type que nomme leak_types = "
                f"[{{kept}}] dans [validate]. Type du fichier{_S}: {{types}}. Réglez leak_types sur celui-ci, tel "
                f"qu’il est écrit (majuscules mises à part), ou retirez-le pour prendre toutes les fuites."},
    "leak_date_unparseable": {
        "en": "{n:,} leaks have a date that cannot be read (blank or not a date); left out",
        "en_1": "1 leak has a date that cannot be read (blank or not a date); left out",
        "fr": f"{{n:,}} fuites ont une date illisible (vide, ou qui n’est pas une date){_S}; elles sont écartées",
        "fr_1": f"1 fuite a une date illisible (vide, ou qui n’est pas une date){_S}; elle est écartée"},
    "leak_date_unparseable_all": {
        "en": "{where}: none of the {n:,} values of the date column could be read as a date (first values: {ex}). "
              "Write dates as YYYY-MM-DD, or set date_format (e.g. \"%d/%m/%Y\") in the [validate] table of a "
              "config file, or map the right column with [leak_columns].",
        "en_1": "{where}: the only value of the date column could not be read as a date ({ex}). Write dates as "
                "YYYY-MM-DD, or set date_format (e.g. \"%d/%m/%Y\") in the [validate] table of a config file, or map "
                "the right column with [leak_columns].",
        "fr": f"{{where}}{_S}: aucune des {{n:,}} valeurs de la colonne des dates n’a pu être lue comme une date "
              f"(premières valeurs{_S}: {{ex}}). Écrivez les dates au format AAAA-MM-JJ, ou réglez date_format "
              f"(par ex. \"%d/%m/%Y\") dans la table [validate] d’un fichier de configuration, ou désignez la "
              f"bonne colonne dans [leak_columns].",
        "fr_1": f"{{where}}{_S}: la seule valeur de la colonne des dates n’a pu être lue comme une date "
                f"({{ex}}). Écrivez les dates au format AAAA-MM-JJ, ou réglez date_format (par ex. \"%d/%m/%Y\") "
                f"dans la table [validate] d’un fichier de configuration, ou désignez la bonne colonne dans "
                f"[leak_columns]."},
    "leak_date_compact_invalid": {
        "en": "{n:,} leak dates are 8 digits that are no valid YYYYMMDD date (year, month, day: e.g. 20151345); "
              "left out. Correct them, or set date_format in [validate] if the column is written otherwise "
              "(e.g. \"%d%m%Y\")",
        "en_1": "1 leak date is 8 digits that are no valid YYYYMMDD date (year, month, day: e.g. 20151345); left "
                "out. Correct it, or set date_format in [validate] if the column is written otherwise (e.g. "
                "\"%d%m%Y\")",
        "fr": f"{{n:,}} dates de fuite sont 8 chiffres qui ne forment pas une date AAAAMMJJ valide (année, mois, "
              f"jour{_S}: par ex. 20151345){_S}; elles sont écartées. Corrigez-les, ou réglez date_format dans "
              f"[validate] si la colonne est écrite autrement (par ex. \"%d%m%Y\")",
        "fr_1": f"1 date de fuite est formée de 8 chiffres qui ne forment pas une date AAAAMMJJ valide (année, "
                f"mois, jour{_S}: par ex. 20151345){_S}; elle est écartée. Corrigez-la, ou réglez date_format dans "
                f"[validate] si la colonne est écrite autrement (par ex. \"%d%m%Y\")"},
    "leak_date_future": {
        "en": "{n:,} leaks are dated after today, {today:date}: impossible dates (a typo in the year?); left out, "
              "and not used to choose the default as-of date. Correct their dates",
        "en_1": "1 leak is dated after today, {today:date}: an impossible date (a typo in the year?); left out, and "
                "not used to choose the default as-of date. Correct its date",
        "fr": f"{{n:,}} fuites sont datées d’après aujourd’hui, le {{today:date}}{_S}: des dates impossibles (une "
              f"faute de frappe dans l’année{_S}?){_S}; elles sont écartées, et ne servent pas à choisir la date de "
              f"prévision par défaut. Corrigez leurs dates",
        "fr_1": f"1 fuite est datée d’après aujourd’hui, le {{today:date}}{_S}: une date impossible (une faute de "
                f"frappe dans l’année{_S}?){_S}; elle est écartée, et ne sert pas à choisir la date de prévision "
                f"par défaut. Corrigez sa date"},
    "leak_row_blank": {
        "en": "{n:,} rows of the leak file hold no value at all; left out",
        "en_1": "1 row of the leak file holds no value at all; left out",
        "fr": f"{{n:,}} lignes du fichier des fuites ne contiennent aucune valeur{_S}; elles sont écartées",
        "fr_1": f"1 ligne du fichier des fuites ne contient aucune valeur{_S}; elle est écartée"},
    "leak_date_not_iso": {
        "en": "{n:,} leak dates are not ISO (YYYY-MM-DD); read {how}",
        "en_1": "1 leak date is not ISO (YYYY-MM-DD); read {how}",
        "fr": f"{{n:,}} dates de fuite ne sont pas au format ISO (AAAA-MM-JJ){_S}; elles sont lues {{how}}",
        "fr_1": f"1 date de fuite n’est pas au format ISO (AAAA-MM-JJ){_S}; elle est lue {{how}}"},
    "leak_pipe_id_respelled": {
        "en": "{n:,} leaks name their pipe in another spelling than the register (leading zeros, a decimal '.0', "
              "case or spaces: e.g. '12.0' or '0012' for '12'); matched to that pipe",
        "en_1": "1 leak names its pipe in another spelling than the register (leading zeros, a decimal '.0', case or "
                "spaces: e.g. '12.0' or '0012' for '12'); matched to that pipe",
        "fr": f"{{n:,}} fuites écrivent l’identifiant de leur conduite autrement que l’inventaire (zéros en tête, "
              f"décimale '.0', majuscules ou espaces{_S}: par ex. '12.0' ou '0012' pour '12'){_S}; elles sont "
              f"rattachées à cette conduite",
        "fr_1": f"1 fuite écrit l’identifiant de sa conduite autrement que l’inventaire (zéros en tête, décimale "
                f"'.0', majuscules ou espaces{_S}: par ex. '12.0' ou '0012' pour '12'){_S}; elle est rattachée à "
                f"cette conduite"},
    "leaks_crs_unused": {
        "en": "leaks_crs = {leaks_crs!r} is set but the register has no CRS to project the leaks' x, y to; they "
              "are used as given",
        "fr": f"leaks_crs = {{leaks_crs!r}} est réglé mais l’inventaire n’a pas de système de coordonnées vers "
              f"lequel projeter les x, y des fuites{_S}; ils sont pris tels quels"},
    "leak_coordinates_crs": {
        "en": "{where}: the leaks' x, y (e.g. {ex}) are not longitude/latitude, while the register is in {crs}. "
              "Give the CRS they are in with leaks_crs in [validate] (e.g. leaks_crs = \"EPSG:2154\"), or give "
              "each leak's pipe_id.",
        "fr": f"{{where}}{_S}: les x, y des fuites (par ex. {{ex}}) ne sont pas des longitudes/latitudes, alors "
              f"que l’inventaire est en {{crs}}. Donnez leur système de coordonnées avec leaks_crs dans [validate] "
              f"(par ex. leaks_crs = \"EPSG:2154\"), ou donnez le pipe_id de chaque fuite."},
    "leak_coordinates_crs_unknown_ids": {
        "en": "{n:,} leaks name no pipe_id of the register and could only be placed from their x, y (e.g. {ex}), "
              "which are not longitude/latitude, while the register is in {crs}: they are left out (with the leaks "
              "on unknown pipes). Give the CRS they are in with leaks_crs in [validate] (e.g. leaks_crs = "
              "\"EPSG:2154\"), or correct these leaks' pipe_id",
        "en_1": "1 leak names no pipe_id of the register and could only be placed from its x, y ({ex}), which are "
                "not longitude/latitude, while the register is in {crs}: it is left out (with the leaks on unknown "
                "pipes). Give the CRS it is in with leaks_crs in [validate] (e.g. leaks_crs = \"EPSG:2154\"), or "
                "correct this leak's pipe_id",
        "fr": f"{{n:,}} fuites ne nomment aucun pipe_id de l’inventaire et ne pourraient être placées que d’après "
              f"leurs x, y (par ex. {{ex}}), qui ne sont pas des longitudes/latitudes, alors que l’inventaire est "
              f"en {{crs}}{_S}: elles sont écartées (avec les fuites sur des conduites inconnues). Donnez leur "
              f"système de coordonnées avec leaks_crs dans [validate] (par ex. leaks_crs = \"EPSG:2154\"), ou "
              f"corrigez le pipe_id de ces fuites",
        "fr_1": f"1 fuite ne nomme aucun pipe_id de l’inventaire et ne pourrait être placée que d’après ses x, y "
                f"({{ex}}), qui ne sont pas des longitudes/latitudes, alors que l’inventaire est en {{crs}}{_S}: "
                f"elle est écartée (avec les fuites sur des conduites inconnues). Donnez son système de "
                f"coordonnées avec leaks_crs dans [validate] (par ex. leaks_crs = \"EPSG:2154\"), ou corrigez "
                f"le pipe_id de cette fuite"},
    "leak_coordinates_lonlat": {
        "en": "{n:,} leaks give x, y as longitude/latitude while the register is in {crs}: read as WGS84 "
              "(EPSG:4326) and projected; set leaks_crs in [validate] if they are in another CRS",
        "en_1": "1 leak gives x, y as longitude/latitude while the register is in {crs}: read as WGS84 (EPSG:4326) "
                "and projected; set leaks_crs in [validate] if they are in another CRS",
        "fr": f"{{n:,}} fuites donnent x, y en longitude/latitude alors que l’inventaire est en {{crs}}{_S}: ils "
              f"sont lus comme WGS84 (EPSG:4326) et projetés{_S}; réglez leaks_crs dans [validate] s’ils sont "
              f"dans un autre système de coordonnées",
        "fr_1": f"1 fuite donne x, y en longitude/latitude alors que l’inventaire est en {{crs}}{_S}: ils sont "
                f"lus comme WGS84 (EPSG:4326) et projetés{_S}; réglez leaks_crs dans [validate] s’ils sont dans "
                f"un autre système de coordonnées"},
    "leak_coordinates_reprojected": {
        "en": "{n:,} leaks' x, y projected from leaks_crs = {source} to the register's {crs}",
        "en_1": "1 leak's x, y projected from leaks_crs = {source} to the register's {crs}",
        "fr": "les x, y de {n:,} fuites sont projetés de leaks_crs = {source} vers le système de l’inventaire, {crs}",
        "fr_1": "les x, y d’une fuite sont projetés de leaks_crs = {source} vers le système de l’inventaire, {crs}"},
    "leak_too_far_to_snap": {
        "en": "{n:,} leaks given by x, y are farther than snap_max_distance_m = {max_m:g} m from every pipe; not "
              "snapped, left out",
        "en_1": "1 leak given by x, y is farther than snap_max_distance_m = {max_m:g} m from every pipe; not "
                "snapped, left out",
        "fr": f"{{n:,}} fuites données par x, y sont à plus de snap_max_distance_m = {{max_m:g}}{_S}m de toute "
              f"conduite{_S}; elles ne sont pas rattachées, et sont écartées",
        "fr_1": f"1 fuite donnée par x, y est à plus de snap_max_distance_m = {{max_m:g}}{_S}m de toute "
                f"conduite{_S}; elle n’est pas rattachée, et est écartée"},
    "leak_too_far_to_snap_crs": {
        "en": "{n:,} leaks given by x, y are farther than snap_max_distance_m = {max_m:g} m from every pipe (median "
              "{median:,.0f} km): their coordinates seem to be in another CRS than the register's ({crs}); set "
              "leaks_crs = \"EPSG:...\" in [validate] to theirs. Not snapped, left out",
        "en_1": "1 leak given by x, y is farther than snap_max_distance_m = {max_m:g} m from every pipe "
                "({median:,.0f} km): its coordinates seem to be in another CRS than the register's ({crs}); set "
                "leaks_crs = \"EPSG:...\" in [validate] to theirs. Not snapped, left out",
        "fr": f"{{n:,}} fuites données par x, y sont à plus de snap_max_distance_m = {{max_m:g}}{_S}m de toute "
              f"conduite (médiane {{median:,.0f}}{_S}km){_S}: leurs coordonnées semblent être dans un autre "
              f"système que celui de l’inventaire ({{crs}}){_S}; indiquez leur système avec "
              f"leaks_crs = \"EPSG:...\" dans [validate]. Elles ne sont pas rattachées, et sont écartées",
        "fr_1": f"1 fuite donnée par x, y est à plus de snap_max_distance_m = {{max_m:g}}{_S}m de toute conduite "
                f"({{median:,.0f}}{_S}km){_S}: ses coordonnées semblent être dans un autre système que celui de "
                f"l’inventaire ({{crs}}){_S}; indiquez son système avec leaks_crs = \"EPSG:...\" dans "
                f"[validate]. Elle n’est pas rattachée, et est écartée"},
    "pipes_layer_read": {
        "en": "{where}: the register was read from its layer {layer!r}, one of its {n_layers} layers ({layers}); "
              "choose another with --layer",
        "fr": f"{{where}}{_S}: l’inventaire a été lu dans sa couche {{layer!r}}, une de ses {{n_layers}} couches "
              f"({{layers}}){_S}; choisissez-en une autre avec --layer"},
    "pipes_sheet_read": {
        "en": "{where}: the register was read from its sheet '{layer}', one of its {n_layers} sheets ({layers}); "
              "choose another with --layer or with sheet = \"NAME\" in the [columns] table of the configuration",
        "fr": f"{{where}}{_S}: l’inventaire a été lu dans sa feuille '{{layer}}', une de ses {{n_layers}} feuilles "
              f"({{layers}}){_S}; choisissez-en une autre avec --layer ou avec sheet = \"NOM\" dans la table "
              "[columns] de la configuration"},
    "leaks_sheet_read": {
        "en": "{where}: the leak history was read from its sheet '{layer}', one of its {n_layers} sheets ({layers}); "
              "choose another with sheet = \"NAME\" in the [leak_columns] table of the configuration",
        "fr": f"{{where}}{_S}: l’historique des fuites a été lu dans sa feuille '{{layer}}', une de ses {{n_layers}} "
              f"feuilles ({{layers}}){_S}; choisissez-en une autre avec sheet = \"NOM\" dans la table [leak_columns] "
              "de la configuration"},
    "pipe_coordinates_unreadable": {
        "en": "{n:,} pipes have an x or y that is no number (e.g. {example!r}); read as pipes without a midpoint "
              "(their line, if any, gives it)",
        "en_1": "1 pipe has an x or y that is no number ({example!r}); read as a pipe without a midpoint (its line, "
                "if any, gives it)",
        "fr": f"{{n:,}} conduites ont un x ou un y qui n’est pas un nombre (par ex. {{example!r}}){_S}; elles sont "
              f"lues sans point milieu (leur tracé, s’il y en a un, le donne)",
        "fr_1": f"1 conduite a un x ou un y qui n’est pas un nombre ({{example!r}}){_S}; elle est lue sans point "
                f"milieu (son tracé, s’il y en a un, le donne)"},
    "leak_coordinates_unreadable": {
        "en": "{n:,} leaks have an x or y that is no number (e.g. {example!r}); read as leaks without coordinates "
              "(placed by their pipe_id, if any)",
        "en_1": "1 leak has an x or y that is no number ({example!r}); read as a leak without coordinates (placed by "
                "its pipe_id, if any)",
        "fr": f"{{n:,}} fuites ont un x ou un y qui n’est pas un nombre (par ex. {{example!r}}){_S}; elles sont "
              f"lues sans coordonnées (placées par leur pipe_id, s’il y en a un)",
        "fr_1": f"1 fuite a un x ou un y qui n’est pas un nombre ({{example!r}}){_S}; elle est lue sans coordonnées "
                f"(placée par son pipe_id, s’il y en a un)"},
    "leak_snapped": {
        "en": "{n:,} leaks without a known pipe_id were snapped from x, y to the nearest pipe ({target}); median "
              "distance {median:.1f} m, max {max:.1f} m",
        "en_1": "1 leak without a known pipe_id was snapped from x, y to the nearest pipe ({target}); median "
                "distance {median:.1f} m, max {max:.1f} m",
        "fr": f"{{n:,}} fuites sans pipe_id connu ont été rattachées d’après x, y à la conduite la plus proche "
              f"({{target}}){_S}; distance médiane {{median:.1f}}{_S}m, maximale {{max:.1f}}{_S}m",
        "fr_1": f"1 fuite sans pipe_id connu a été rattachée d’après x, y à la conduite la plus proche "
                f"({{target}}){_S}; distance médiane {{median:.1f}}{_S}m, maximale {{max:.1f}}{_S}m"},
    "leak_unknown_pipe": {
        "en": "{n:,} leaks name a pipe_id that is not in the register and could not be snapped from x, y{no_geo}; "
              "left out",
        "en_1": "1 leak names a pipe_id that is not in the register and could not be snapped from x, y{no_geo}; left "
                "out",
        "fr": f"{{n:,}} fuites nomment un pipe_id absent de l’inventaire et n’ont pas pu être rattachées d’après "
              f"x, y{{no_geo}}{_S}; elles sont écartées",
        "fr_1": f"1 fuite nomme un pipe_id absent de l’inventaire et n’a pas pu être rattachée d’après "
                f"x, y{{no_geo}}{_S}; elle est écartée"},
    "leak_no_location": {
        "en": "{n:,} leaks have neither a pipe_id nor x, y that locate them on a pipe{no_geo}; left out",
        "en_1": "1 leak has neither a pipe_id nor x, y that locate it on a pipe{no_geo}; left out",
        "fr": f"{{n:,}} fuites n’ont ni pipe_id ni x, y qui les placent sur une conduite{{no_geo}}{_S}; elles "
              f"sont écartées",
        "fr_1": f"1 fuite n’a ni pipe_id ni x, y qui la placent sur une conduite{{no_geo}}{_S}; elle est "
                f"écartée"},
    "as_of_default": {
        "en": "as-of date not given: {as_of:date}, the day after the last leak",
        "fr": f"date de prévision non donnée{_S}: le {{as_of:date}}, lendemain de la dernière fuite"},
    "as_of_default_year_only": {
        "en": "as-of date not given: {as_of:date}, after {year}, the year of the last leaks: some are dated by "
              "their year only, which stands for any day of it",
        "fr": f"date de prévision non donnée{_S}: le {{as_of:date}}, après {{year}}, l’année des dernières "
              f"fuites{_S}: certaines ne sont datées que de leur année, qui vaut pour n’importe quel jour de "
              f"celle-ci"},
    "as_of_default_today": {
        "en": "as-of date not given and no usable leak: today, {as_of:date}",
        "fr": f"date de prévision non donnée et aucune fuite utilisable{_S}: aujourd’hui, le {{as_of:date}}"},
    "leak_after_as_of": {
        "en": "{n:,} leaks are dated on or after the as-of date {as_of:date}; not used for training",
        "en_1": "1 leak is dated on or after the as-of date {as_of:date}; not used for training",
        "fr": f"{{n:,}} fuites sont datées du {{as_of:date}} (la date de prévision) ou après{_S}; elles ne "
              f"servent pas à l’apprentissage",
        "fr_1": f"1 fuite est datée du {{as_of:date}} (la date de prévision) ou après{_S}; elle ne sert pas à "
                f"l’apprentissage"},
    "leak_before_install": {
        "en": "{n:,} leaks are dated before their pipe's install year: an earlier pipe carried that ID (replaced "
              "pipe, reused ID); left out",
        "en_1": "1 leak is dated before its pipe's install year: an earlier pipe carried that ID (replaced pipe, "
                "reused ID); left out",
        "fr": f"{{n:,}} fuites sont datées d’avant l’année de pose de leur conduite{_S}: une conduite antérieure "
              f"portait cet identifiant (conduite remplacée, identifiant réutilisé){_S}; elles sont écartées",
        "fr_1": f"1 fuite est datée d’avant l’année de pose de sa conduite{_S}: une conduite antérieure portait "
                f"cet identifiant (conduite remplacée, identifiant réutilisé){_S}; elle est écartée"},
    "leak_on_pipe_not_kept": {
        "en": "{n:,} leaks are on pipes that [validate] keep_pipes leaves out; left out with them",
        "en_1": "1 leak is on a pipe that [validate] keep_pipes leaves out; left out with it",
        "fr": f"{{n:,}} fuites sont sur des conduites que [validate] keep_pipes écarte{_S}; elles sont écartées "
              f"avec elles",
        "fr_1": f"1 fuite est sur une conduite que [validate] keep_pipes écarte{_S}; elle est écartée avec elle"},
    "leak_pipe_not_scored": {
        "en": "{n:,} leaks are on pipes that are left out (see the pipe issues); left out",
        "en_1": "1 leak is on a pipe that is left out (see the pipe issues); left out",
        "fr": f"{{n:,}} fuites sont sur des conduites écartées (voir les problèmes des conduites){_S}; elles sont "
              f"écartées",
        "fr_1": f"1 fuite est sur une conduite écartée (voir les problèmes des conduites){_S}; elle est écartée"},
    "first_record_year": {
        "en": "first year of reliable leak recording: {first} (configured)",
        "fr": f"première année d’enregistrement fiable des fuites{_S}: {{first}} (configurée)"},
    "first_record_year_detected": {
        "en": "first year of reliable leak recording detected: {first} (the first year with at least "
              "{fraction:g} × the median yearly count of the later years; set first_record_year in [validate] "
              "to override)",
        "fr": f"première année d’enregistrement fiable des fuites détectée{_S}: {{first}} (la première année qui "
              f"compte au moins {{fraction:g}} fois la médiane des comptes annuels des années suivantes{_S}; "
              f"réglez first_record_year dans [validate] pour l’imposer)"},
    "leaks_before_first_record_year": {
        "en": "{n:,} leaks predate {first}, the first year of reliable recording; they are kept, but the risk panel "
              "starts in that year",
        "en_1": "1 leak predates {first}, the first year of reliable recording; it is kept, but the risk panel "
                "starts in that year",
        "fr": f"{{n:,}} fuites sont antérieures à {{first}}, la première année d’enregistrement fiable{_S}; "
              f"elles sont gardées, mais les années d’apprentissage du modèle commencent en {{first}}",
        "fr_1": f"1 fuite est antérieure à {{first}}, la première année d’enregistrement fiable{_S}; elle est "
                f"gardée, mais les années d’apprentissage du modèle commencent en {{first}}"},
    "leak_history_no_complete_year": {
        "en": "{where}: the leak history before the as-of date {as_of:date} covers no complete year. Its {n:,} usable "
              "leaks {span}; the risk model learns from whole calendar years, from the "
              "first year of reliable recording ({first}) to the year before the as-of date ({last}), and there "
              "is none. Give a longer leak history, a later --as-of ({earliest:date} or after), or score the pipes "
              "with a model trained in another run ('leakopt run ... --model OTHER_RUN/model.txt').",
        "en_1": "{where}: the leak history before the as-of date {as_of:date} covers no complete year. Its only "
                "usable leak {span}; the risk model learns from whole calendar years, from the first "
                "year of reliable recording ({first}) to the year before the as-of date ({last}), and there is "
                "none. Give a longer leak history, a later --as-of ({earliest:date} or after), or score the pipes "
                "with a model trained in another run ('leakopt run ... --model OTHER_RUN/model.txt').",
        "fr": f"{{where}}{_S}: l’historique des fuites antérieur à la date de prévision, le {{as_of:date}}, ne "
              f"couvre aucune année complète. Ses {{n:,}} fuites utilisables "
              f"{{span}}{_S}; le modèle de risque apprend sur des années civiles entières, de la première année "
              f"d’enregistrement fiable ({{first}}) à l’année qui précède la date de prévision ({{last}}), et il "
              f"n’y en a aucune. Donnez un historique des fuites plus long, une date --as-of plus tardive (le "
              f"{{earliest:date}} ou après), ou évaluez les conduites avec un modèle appris dans une autre analyse "
              f"(« leakopt run ... --model AUTRE_ANALYSE/model.txt »).",
        "fr_1": f"{{where}}{_S}: l’historique des fuites antérieur à la date de prévision, le {{as_of:date}}, ne "
                f"couvre aucune année complète. Sa seule fuite utilisable {{span}}{_S}; le "
                f"modèle de risque apprend sur des années civiles entières, de la première année d’enregistrement "
                f"fiable ({{first}}) à l’année qui précède la date de prévision ({{last}}), et il n’y en a aucune. "
                f"Donnez un historique des fuites plus long, une date --as-of plus tardive (le {{earliest:date}} "
                f"ou après), ou évaluez les conduites avec un modèle appris dans une autre analyse (« leakopt run "
                f"... --model AUTRE_ANALYSE/model.txt »)."},
    "as_of_after_records": {
        "en": "no usable leak is dated after {last:date}: {gap:.1f} years from the end of that year to the as-of "
              "date {as_of:date} without a leak, where the years before hold {rate:,.1f} a year. The record seems "
              "to stop there. The years in between count as years without leaks, which lowers every forecast. "
              "Give --as-of the day after the last recorded leak (the default), or add the recent records.",
        "fr": f"aucune fuite utilisable n’est datée après le {{last:date}}{_S}: {{gap:.1f|an|ans}} sans fuite de "
              f"la fin de cette année-là à la date de prévision, le {{as_of:date}}, alors que les années "
              f"précédentes en comptent {{rate:,.1f}} par an. L’enregistrement semble s’arrêter là. Les années "
              f"intermédiaires comptent comme des années sans fuite, ce qui abaisse toutes les prévisions. Donnez "
              f"à --as-of le lendemain de la dernière fuite enregistrée (la valeur par défaut), ou ajoutez les "
              f"enregistrements récents."},
    # --- logger sites and valve points (validate/sites.py) ---
    "site_no_coordinates": {
        "en": _SITE_NO_XY,
        "en_1": _SITE_NO_XY_1,
        "fr": f"{{n:,}} sites de {{name}} n’ont pas de x, y utilisables{_S}; ils sont écartés",
        "fr_1": f"1 site de {{name}} n’a pas de x, y utilisables{_S}; il est écarté"},
    "valve_no_coordinates": {
        "en": _SITE_NO_XY,
        "en_1": _SITE_NO_XY_1,
        "fr": f"{{n:,}} vannes de {{name}} n’ont pas de x, y utilisables{_S}; elles sont écartées",
        "fr_1": f"1 vanne de {{name}} n’a pas de x, y utilisables{_S}; elle est écartée"},
    "site_duplicate_id": {
        "en": _SITE_DUPLICATE,
        "en_1": _SITE_DUPLICATE_1,
        "fr": f"{{n:,}} sites de {{name}} reprennent un site_id déjà utilisé{_S}; seul le premier est gardé",
        "fr_1": f"1 site de {{name}} reprend un site_id déjà utilisé{_S}; seul le premier est gardé"},
    "valve_duplicate_id": {
        "en": _SITE_DUPLICATE,
        "en_1": _SITE_DUPLICATE_1,
        "fr": f"{{n:,}} vannes de {{name}} reprennent un site_id déjà utilisé{_S}; seule la première est gardée",
        "fr_1": f"1 vanne de {{name}} reprend un site_id déjà utilisé{_S}; seule la première est gardée"},
    "site_too_far_from_pipe": {
        "en": _SITE_TOO_FAR,
        "en_1": _SITE_TOO_FAR_1,
        "fr": f"{{n:,}} sites de {{name}} sont à plus de {{max_m:g}}{_S}m de toute conduite du réseau et sont "
              f"écartés (augmentez [{{table}}] {{what}}_snap_max_m, ou vérifiez les systèmes de coordonnées)",
        "fr_1": f"1 site de {{name}} est à plus de {{max_m:g}}{_S}m de toute conduite du réseau et est écarté "
                f"(augmentez [{{table}}] {{what}}_snap_max_m, ou vérifiez les systèmes de coordonnées)"},
    "valve_too_far_from_pipe": {
        "en": _SITE_TOO_FAR,
        "en_1": _SITE_TOO_FAR_1,
        "fr": f"{{n:,}} vannes de {{name}} sont à plus de {{max_m:g}}{_S}m de toute conduite du réseau et sont "
              f"écartées (augmentez [{{table}}] {{what}}_snap_max_m, ou vérifiez les systèmes de coordonnées)",
        "fr_1": f"1 vanne de {{name}} est à plus de {{max_m:g}}{_S}m de toute conduite du réseau et est écartée "
                f"(augmentez [{{table}}] {{what}}_snap_max_m, ou vérifiez les systèmes de coordonnées)"},
    "sites_crs_assumed_none": {
        "en": _CRS_NONE,
        "fr": f"ni {{name}} ni le réseau n’ont de système de coordonnées connu{_S}: les x, y des sites sont pris "
              f"dans les coordonnées du réseau (en mètres)"},
    "valves_crs_assumed_none": {
        "en": _CRS_NONE,
        "fr": f"ni {{name}} ni le réseau n’ont de système de coordonnées connu{_S}: les x, y des vannes sont "
              f"pris dans les coordonnées du réseau (en mètres)"},
    "sites_crs_assumed_points": {
        "en": _CRS_POINTS,
        "fr": _CRS_POINTS_FR},
    "valves_crs_assumed_points": {
        "en": _CRS_POINTS,
        "fr": _CRS_POINTS_FR},
    "sites_crs_assumed_network": {
        "en": _CRS_NETWORK,
        "fr": f"{{name}} est en {{crs}} mais le système de coordonnées du réseau est inconnu (donnez --crs){_S}: "
              f"les sites sont pris tels quels, dans les coordonnées du réseau"},
    "valves_crs_assumed_network": {
        "en": _CRS_NETWORK,
        "fr": f"{{name}} est en {{crs}} mais le système de coordonnées du réseau est inconnu (donnez --crs){_S}: "
              f"les vannes sont prises telles quelles, dans les coordonnées du réseau"},
    # --- the valve layer (validate/valves.py) ---
    "valve_layer_unusable": {
        "en": "none of the {n:,} valves of {name} is on an end of a pipe of the network (e.g. link {link!r} at "
              "node {node!r}; the network's pipes are e.g. {pipes}): give the network's pipe and node IDs",
        "en_1": "the only valve of {name} is not on an end of a pipe of the network (link {link!r} at node {node!r}; "
                "the network's pipes are e.g. {pipes}): give the network's pipe and node IDs",
        "fr": f"aucune des {{n:,}} vannes de {{name}} n’est à une extrémité d’une conduite du réseau (par ex. "
              f"tronçon {{link!r}} au nœud {{node!r}}{_S}; les conduites du réseau sont par ex. {{pipes}}){_S}: "
              f"donnez les identifiants de conduites et de nœuds du réseau",
        "fr_1": f"la seule vanne de {{name}} n’est pas à une extrémité d’une conduite du réseau (tronçon "
                f"{{link!r}} au nœud {{node!r}}{_S}; les conduites du réseau sont par ex. {{pipes}}){_S}: donnez "
                f"les identifiants de conduites et de nœuds du réseau"},
    "valve_not_on_pipe_end": {
        "en": "{n:,} valve(s) of {name} are not on an end of a pipe of the network (unknown pipe, or a node that "
              "is not one of its two ends); left out: the segments are drawn without them",
        "en_1": "1 valve of {name} is not on an end of a pipe of the network (unknown pipe, or a node that is not "
                "one of its two ends); left out: the segments are drawn without it",
        "fr": f"{{n:,}} vannes de {{name}} ne sont pas à une extrémité d’une conduite du réseau (conduite "
              f"inconnue, ou nœud qui n’est pas l’une de ses deux extrémités){_S}; elles sont écartées{_S}: les "
              f"secteurs sont délimités sans elles",
        "fr_1": f"1 vanne de {{name}} n’est pas à une extrémité d’une conduite du réseau (conduite inconnue, ou "
                f"nœud qui n’est pas l’une de ses deux extrémités){_S}; elle est écartée{_S}: les secteurs sont "
                f"délimités sans elle"},
    "valve_duplicate": {
        "en": "{n:,} valve(s) of {name} repeat another row; counted once",
        "en_1": "1 valve of {name} repeats another row; counted once",
        "fr": f"{{n:,}} vannes de {{name}} répètent une autre ligne{_S}; chacune est comptée une fois",
        "fr_1": f"1 vanne de {{name}} répète une autre ligne{_S}; elle est comptée une fois"},
    # --- logger placement on a risk.csv (pipeline/commands.py) ---
    # the run that wrote risk.csv said nothing (no validation.json beside it): why a pipe is unscored, neutrally
    "network_pipe_not_in_risk": {
        "en": _NOT_IN_RISK + "; they are pipes the run did not score: installed after its as-of date (a later "
              "--as-of scores them), not in its register, or left out by its data checks (its validation.json). "
              "Add the missing ones to the register and score them with 'leakopt run --network' on this network",
        "en_1": _NOT_IN_RISK_1 + "; it is a pipe the run did not score: installed after its as-of date (a later "
                "--as-of scores it), not in its register, or left out by its data checks (its validation.json). "
                "If it is missing from the register, add it and score it with 'leakopt run --network' on this "
                "network",
        "fr": _NOT_IN_RISK_FR + f"{_S}; ce sont des conduites que le calcul n’a pas évaluées{_S}: posées après sa "
              f"date de prévision (une date --as-of plus tardive les évalue), absentes de son inventaire, ou "
              f"écartées par ses contrôles (son validation.json). Ajoutez celles qui manquent à l’inventaire et "
              f"évaluez-les avec 'leakopt run --network' sur ce réseau",
        "fr_1": _NOT_IN_RISK_FR_1 + f"{_S}; c’est une conduite que le calcul n’a pas évaluée{_S}: posée après sa "
                f"date de prévision (une date --as-of plus tardive l’évalue), absente de son inventaire, ou "
                f"écartée par ses contrôles (son validation.json). Si elle manque à l’inventaire, ajoutez-la et "
                f"évaluez-la avec 'leakopt run --network' sur ce réseau"},
    # the run's validation.json counts pipes of its register installed after its as-of date: said first
    "network_pipe_not_in_risk_late": {
        "en": _NOT_IN_RISK + ". The run that wrote it did not score the pipes of its register installed after "
              "{year}, the year of its as-of date {as_of} ({late:,} in its validation.json; deliberately: a later "
              "--as-of scores them); the others, if any, are not in its register or were left out by its data "
              "checks (its validation.json)",
        "en_1": _NOT_IN_RISK_1 + ". The run that wrote it did not score the pipes of its register installed "
                "after {year}, the year of its as-of date {as_of} ({late:,} in its validation.json; deliberately: a "
                "later --as-of scores them); if it is not one of them, it is not in its register or was left out "
                "by its data checks (its validation.json)",
        "fr": _NOT_IN_RISK_FR + f". Le calcul qui l’a écrit n’a pas évalué les conduites de son inventaire posées "
              f"après {{year}}, l’année de sa date de prévision {{as_of}} ({{late:,}} selon son validation.json{_S}; "
              f"à dessein{_S}: une date --as-of plus tardive les évalue){_S}; les autres, s’il y en a, sont "
              f"absentes de son inventaire ou écartées par ses contrôles (son validation.json)",
        "fr_1": _NOT_IN_RISK_FR_1 + f". Le calcul qui l’a écrit n’a pas évalué les conduites de son inventaire "
                f"posées après {{year}}, l’année de sa date de prévision {{as_of}} ({{late:,}} selon son "
                f"validation.json{_S}; à dessein{_S}: une date --as-of plus tardive les évalue){_S}; si elle n’en "
                f"fait pas partie, elle est absente de son inventaire ou écartée par ses contrôles (son "
                f"validation.json)"},
    # the run's validation.json counts no pipe installed after its as-of date: the as-of date is not why
    "network_pipe_not_in_risk_unlisted": {
        "en": _NOT_IN_RISK + "; the run left out no pipe of its register for being installed after its as-of "
              "date, so these are not in its register or were left out by its data checks (its validation.json). "
              "Add the missing ones to the register and score them with 'leakopt run --network' on this network",
        "en_1": _NOT_IN_RISK_1 + "; the run left out no pipe of its register for being installed after its "
                "as-of date, so this one is not in its register or was left out by its data checks (its "
                "validation.json). If it is missing from the register, add it and score it with 'leakopt run "
                "--network' on this network",
        "fr": _NOT_IN_RISK_FR + f"{_S}; le calcul n’a écarté aucune conduite de son inventaire pour une pose après "
              f"sa date de prévision, elles sont donc absentes de son inventaire ou écartées par ses contrôles (son "
              f"validation.json). Ajoutez celles qui manquent à l’inventaire et évaluez-les avec 'leakopt run "
              f"--network' sur ce réseau",
        "fr_1": _NOT_IN_RISK_FR_1 + f"{_S}; le calcul n’a écarté aucune conduite de son inventaire pour une pose "
                f"après sa date de prévision, elle est donc absente de son inventaire ou écartée par ses contrôles "
                f"(son validation.json). Si elle manque à l’inventaire, ajoutez-la et évaluez-la avec 'leakopt run "
                f"--network' sur ce réseau"},
    "config_table_not_used": {
        "en": None,   # leakopt.config.unused_tables writes it
        "fr": f"[{{table}}] de {{where}} n’est pas lue par 'leakopt {{command}}'{_S}: elle règle {{what}}, et "
              f"seules les commandes {{readers}} la lisent{_S}; ces réglages ne changent rien ici"},
}

#: Fragments of messages, and the labels the report and the app show beside them.
PHRASES: dict[str, dict[str, str | None]] = {
    # names standing for a file that has none (API use)
    "table_pipes": {"en": "the pipes table", "fr": "la table des conduites"},
    "table_leaks": {"en": "the leaks table", "fr": "la table des fuites"},
    "the_network": {"en": "the network", "fr": "le réseau"},
    "the_valve_layer": {"en": "the valve layer", "fr": "la couche des vannes"},
    "sites_file": {"en": "the sites file", "fr": "le fichier des sites"},
    "valves_file": {"en": "the valves file", "fr": "le fichier des vannes"},
    "the_configuration": {"en": "the configuration", "fr": "la configuration"},
    # pipes
    "column_renamed": {"en": "{column} is passed through as {new}", "fr": "{column} est repris sous le nom {new}"},
    "id_on_rows": {"en": "{id!r} on rows {rows}", "fr": "{id!r} aux lignes {rows}"},
    # a leak type of the file and its rows, for leak_types_match_none
    "leak_type_count": {"en": "\"{type}\" ({n:,})", "fr": "« {type} » ({n:,})"},
    "leak_types_more": {"en": "and {n:,|other|others}", "fr": "et {n:,|autre|autres}"},
    "keep_first": {"en": "first", "fr": "première"},
    "keep_last": {"en": "last", "fr": "dernière"},
    "a_year_or_date": {"en": "a year or a date", "fr": "une année ou une date"},
    "a_number": {"en": "a number", "fr": "un nombre"},
    "length_source_geometry": {"en": "their geometry", "fr": "leur géométrie"},
    "length_source_network": {"en": "the network", "fr": "le réseau"},
    # "(the material's median: 4)" read as a median of 4: the count says what it counts
    "imputed_by": {"en": "{method}: {n:,} pipes", "en_1": "{method}: 1 pipe",
                   "fr": f"{{method}}{_S}: {{n:,}} conduites", "fr_1": f"{{method}}{_S}: 1 conduite"},
    "method_network_neighbours": {"en": "neighbouring pipes on the network", "fr": "conduites voisines sur le réseau"},
    "method_spatial_neighbours": {"en": "nearby pipes", "fr": "conduites proches"},
    "method_material_median": {"en": "the material's median", "fr": "médiane du matériau"},
    "method_overall_median": {"en": "overall median", "fr": "médiane générale"},
    # leaks
    "with_date_format": {"en": "with date_format {fmt!r}", "fr": "avec date_format {fmt!r}"},
    "dates_in_order": {"en": "as {first}-first dates ({why}; set dayfirst or date_format in [validate] to change it)",
                       "fr": f"{{first}} ({{why}}{_S}; réglez dayfirst ou date_format dans [validate] pour "
                             f"changer cela)"},
    "leaks_span": {"en": "run from {start:date} to {end:date}", "fr": "vont du {start:date} au {end:date}"},
    "leak_dated": {"en": "is dated {start:date}", "fr": "est datée du {start:date}"},
    "dates_serial": {"en": "as spreadsheet day numbers (five digits: days since 30 December 1899, as Excel and "
                           "LibreOffice count them; 43466 is 1 January 2019)",
                     "fr": f"comme des numéros de jour de tableur (cinq chiffres{_S}: jours depuis le 30 décembre "
                           f"1899, comme les comptent Excel et LibreOffice{_S}; 43466 est le 1er janvier 2019)"},
    "dates_as_written": {"en": "as they are written (no day and month to order: 20051101 is 1 November 2005, a year "
                                 "alone is 1 January)",
                         "fr": f"telles qu’elles sont écrites (pas de jour et de mois à ordonner{_S}: 20051101 est le "
                               f"1er novembre 2005, une année seule le 1er janvier)"},
    "dates_in_own_order": {
        "en": "each in the order its numbers show ({day:,|date|dates} with a first number above 12 as day-first, "
              "{month:,|date|dates} with a second above 12 as month-first: the column mixes both orders){rest}",
        "fr": f"chacune dans l’ordre que montrent ses nombres ({{day:,|date|dates}} au premier nombre supérieur à "
              f"12 en prenant le premier nombre pour le jour, {{month:,|date|dates}} au second supérieur à 12 en "
              f"prenant le premier pour le mois{_S}: la colonne mêle les deux ordres){{rest}}"},
    "dates_order_guessed": {
        "en": ", and {neither:,|date|dates} with both numbers 12 or below as day-first, since nothing shows their "
              "order (check them; set dayfirst or date_format in [validate] to change it)",
        "fr": f", et {{neither:,|date|dates}} aux deux nombres inférieurs ou égaux à 12 en prenant le premier pour "
              f"le jour, rien n’indiquant leur ordre (vérifiez-les{_S}; réglez dayfirst ou date_format dans "
              f"[validate] pour changer cela)"},
    "day": {"en": "day", "fr": "en prenant le premier nombre pour le jour"},
    "month": {"en": "month", "fr": "en prenant le premier nombre pour le mois"},
    "order_dayfirst_true": {"en": "dayfirst = true", "fr": "dayfirst = true"},
    "order_dayfirst_false": {"en": "dayfirst = false", "fr": "dayfirst = false"},
    "order_first_above_12": {"en": "a first number above 12 shows it",
                             "fr": "un premier nombre supérieur à 12 l’indique"},
    "order_second_above_12": {"en": "a second number above 12 shows it",
                              "fr": "un second nombre supérieur à 12 l’indique"},
    "order_unknown": {"en": "nothing in the values shows the order: day first is assumed",
                      "fr": f"rien dans les valeurs n’indique l’ordre{_S}: le jour est supposé en premier"},
    "snap_line": {"en": "line", "fr": "sur son tracé"},
    "snap_midpoint": {"en": "pipe midpoint", "fr": "sur son milieu"},
    "no_pipe_coordinates": {"en": " (the pipes have no coordinates to snap x, y to)",
                            "fr": " (les conduites n’ont pas de coordonnées auxquelles rattacher x, y)"},
    # missing columns (leakopt.io.columns.missing_columns_error, in French)
    "why_diameter_length": {"en": None, "fr": f" (diameter_mm est nécessaire sauf si un réseau le donne{_S}; "
                                              f"length_m sauf si la géométrie ou un réseau la donne)"},
    "why_no_pipe_coordinates": {"en": None, "fr": f" (les conduites n’ont pas de coordonnées auxquelles rattacher "
                                                  f"les x, y des fuites{_S}: chaque fuite doit donner l’identifiant "
                                                  f"de sa conduite)"},
    "why_leak_types": {"en": None, "fr": f" (leak_types = {{types}} est réglé dans [validate]{_S}: retirez-le si "
                                         f"le fichier ne donne pas de type)"},
    "columns_more": {"en": None, "fr": "{shown} et {more} autres"},
    "column_guess": {"en": None, "fr": f"{_S}; d’après les noms et les valeurs trouvés, probablement {{pairs}} "
                                       f"({{note}}une ligne chacune{_S}; vérifiez-les)"},
    "column_example": {"en": None, "fr": " (par ex. {column} = \"VOTRE_COLONNE\")"},
    "optional_leak_columns": {"en": None, "fr": f"{{columns}} facultative{_S}: sans elle, les fuites sont placées "
                                               f"d’après x, y{_S}; "},
    "optional_network_one": {"en": None, "fr": f"{{columns}} sauf si un réseau la fournit{_S}; "},
    "optional_network": {"en": None, "fr": f"{{columns}} sauf si un réseau les fournit{_S}; "},
    "and": {"en": " and ", "fr": " et "},
    # unused configuration tables (leakopt.config.PARTIAL_TABLES, in French)
    "what_pressure": {"en": None, "fr": "le placement des capteurs de pression "
                                        "(leakopt.placement.place_pressure_sensors)"},
    "what_coverage": {"en": None, "fr": "les portées d’écoute et les sites des prélocalisateurs acoustiques"},
    "what_placement": {"en": None, "fr": "le placement des prélocalisateurs acoustiques"},
    "what_campaign": {"en": None, "fr": "la campagne de prélocalisation (poses successives)"},
    "reader_run --pressure-sensors K (or [pressure] n = K, with --network)": {
        "en": None, "fr": "run --pressure-sensors K (ou [pressure] n = K, avec --network)"},
    # labels beside the messages (report and app)
    # the words the report and the app show for validation.json's severities (error, warning, info)
    "sev_error": {"en": "serious", "fr": "grave"},
    "sev_warning": {"en": "to check", "fr": "à vérifier"},
    "sev_info": {"en": "information", "fr": "information"},
    "notes_heading": {"en": "Notes from this analysis:", "fr": f"Remarques propres à cette analyse{_S}:"},
}

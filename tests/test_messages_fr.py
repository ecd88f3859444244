"""Validation messages and backtest notes in French: every issue code has a French template, validation.json
and backtest.json carry the French beside the English, and the French report and app show it."""
from __future__ import annotations

import ast
import importlib
import json
import re
import string
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from leakopt.i18n import NNBSP
from leakopt.validate.messages import issue_message, render, severity_label
from leakopt.validate.templates import MESSAGES, PHRASES

PACKAGE = Path(__file__).resolve().parents[1] / "leakopt"
#: Where issues are recorded: ``report.add(code, ...)``, ``report.fail(code, ...)``, ``_exclude(lk, mask, code, ...)``.
SOURCES = sorted(PACKAGE.glob("validate/*.py")) + sorted(PACKAGE.glob("pipeline/*.py"))


# --- (a) every code leakopt can emit has a French template --------------------------------------

def _module(path: Path):
    return importlib.import_module(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))


def _parents(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _functions(tree) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _call_values(name: str, func: str, trees) -> set:
    """Values given to parameter ``name`` of function ``func`` at its call sites, followed through parameters."""
    out = set()
    for tree, module in trees:
        parents = _parents(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
            if callee != func:
                continue
            for kw in call.keywords:
                if kw.arg == name:
                    out |= _values(kw.value, call, parents, module, trees)
    return out


def _values(expr, at, parents, module, trees) -> set:
    """Every value ``expr`` (a constant, or a name bound by a loop, an assignment or a parameter) can take."""
    if isinstance(expr, ast.Constant):
        return {expr.value}
    if not isinstance(expr, ast.Name):
        raise AssertionError(f"cannot enumerate {ast.unparse(expr)} in {module.__name__}")
    node = at
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.For):
            names = [t.id for t in getattr(node.target, "elts", [node.target])]
            if expr.id in names:
                items = eval(compile(ast.Expression(node.iter), "<loop>", "eval"), vars(module))
                pos = names.index(expr.id)
                return {item[pos] if len(names) > 1 else item for item in items}
        if isinstance(node, ast.FunctionDef):
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Assign) and any(getattr(t, "id", None) == expr.id for t in stmt.targets):
                    return {c.value for c in ast.walk(stmt.value) if isinstance(c, ast.Constant)
                            and isinstance(c.value, str)}
            args = node.args.args + node.args.kwonlyargs
            if expr.id in [a.arg for a in args]:
                defaults = dict(zip([a.arg for a in node.args.args][::-1], node.args.defaults[::-1]))
                defaults.update({a.arg: d for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d})
                found = {defaults[expr.id].value} if isinstance(defaults.get(expr.id), ast.Constant) else set()
                return found | {v for v in _call_values(expr.id, node.name, trees) if v is not None}
    raise AssertionError(f"cannot enumerate {expr.id} in {module.__name__}")


def _keys(expr, call, parents, module, trees) -> set[str]:
    """The concrete strings a code or key expression (a string or an f-string) stands for."""
    if isinstance(expr, ast.Constant):
        return {expr.value}
    if not isinstance(expr, ast.JoinedStr):
        return set()
    keys = {""}
    for part in expr.values:
        if isinstance(part, ast.Constant):
            keys = {k + part.value for k in keys}
        else:
            keys = {k + str(v) for k in keys for v in _values(part.value, call, parents, module, trees)}
    return keys


def emitted_issues() -> list[tuple[str, str, str, bool]]:
    """(file:line, code, template key, passes params) of every issue recorded in the source."""
    trees = [(ast.parse(p.read_text(encoding="utf-8")), _module(p)) for p in SOURCES]
    found = []
    for (tree, module), path in zip(trees, SOURCES):
        parents = _parents(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
            if name in ("add", "fail") and isinstance(call.func, ast.Attribute) and call.args:
                code = call.args[0]
            elif name == "_exclude" and len(call.args) >= 3:
                code = call.args[2]
            else:
                continue
            codes = _keys(code, call, parents, module, trees)
            if not codes:
                continue   # a variable: the code of a helper's caller (counted at that call)
            kw = {k.arg: k.value for k in call.keywords}
            keys = _keys(kw["key"], call, parents, module, trees) if "key" in kw else codes
            where = f"{path.relative_to(PACKAGE.parent)}:{call.lineno}"
            for c in sorted(codes):
                for k in sorted(k for k in keys if not (len(codes) > 1 and "key" in kw) or k.startswith(c)):
                    found.append((where, c, k, name == "_exclude" or "params" in kw))
    return found


def test_every_issue_code_in_the_source_has_a_french_template():
    issues = emitted_issues()
    codes = {code for _, code, _, _ in issues}
    # the f-string codes are enumerated: one per column, per kind of point, per length source
    assert {"diameter_mm_imputed", "install_year_imputed", "length_m_unreadable", "valve_too_far_from_pipe",
            "sites_crs_assumed", "length_from_network", "leak_too_far_to_snap", "missing_column"} <= codes
    assert len(codes) >= 60, sorted(codes)
    untranslated = sorted({f"{where} {key}" for where, _, key, _ in issues if not (MESSAGES.get(key) or {}).get("fr")})
    assert not untranslated, "issue codes without a French template:\n" + "\n".join(untranslated)
    no_params = sorted(f"{where} {code}" for where, code, _, params in issues if not params)
    assert not no_params, "issues recorded without params (no French message):\n" + "\n".join(no_params)


def test_the_enumeration_reads_loops_parameters_and_assignments():
    codes = {code: key for _, code, key, _ in emitted_issues()}
    assert "length_m_imputed" not in codes              # that loop is over diameter and install year only
    keys = {key for _, _, key, _ in emitted_issues()}
    assert {"valves_crs_assumed_network", "sites_crs_assumed_none", "no_pipes_after_as_of"} <= keys


def test_templates_name_the_same_fields_in_both_languages():
    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    for table in (MESSAGES, PHRASES):
        for key, entry in table.items():
            assert entry.get("fr"), f"{key} has no French"
            if entry.get("en") is not None:     # the same facts; words such as "geometry" may be written out
                assert fields(entry["fr"]) <= fields(entry["en"]), key
                assert fields(entry["en"]) - fields(entry["fr"]) <= {"src", "what"}, key
            if entry.get("fr_1"):
                assert fields(entry["fr_1"]) <= fields(entry["fr"]) - {"n"}, key
            assert not re.search(r"(?<=[a-zà-ÿ])'(?=[a-zà-ÿ])", entry["fr"], flags=re.I), \
                f"{key}: a typewriter apostrophe in French (write ’)"


def test_french_numbers_and_dates_are_written_the_french_way():
    params = {"last": "2019-06-30", "gap": 4.25, "as_of": "2024-01-01", "rate": 1234.5}
    en, fr = render("as_of_after_records", "en", params), render("as_of_after_records", "fr", params)
    assert "after 2019-06-30: 4.2 years" in en and "as-of date 2024-01-01" in en and "hold 1,234.5 a year" in en
    assert "après le 30 juin 2019" in fr and "4,2\u00a0ans" in fr and "le 1er janvier 2024" in fr
    assert f"1{NNBSP}234,5 par an" in fr
    assert severity_label("warning", "fr") == "à vérifier" and severity_label("warning", "en") == "to check"
    assert severity_label("error", "fr") == "grave" and severity_label("oops", "fr") == "oops"
    assert issue_message({"message": "old"}, "fr") == "old"          # a run folder without message_fr


# --- (b) a register with known problems: validation.json in both languages -----------------------

def _numbers(text: str) -> Counter:
    """The numbers of a message, French ones read back ("1 234,5" -> 1234.5, "1er janvier 2020" -> 2020-01-01)."""
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")
    text = re.sub(r"(\d+)(?:er)? (" + "|".join(months) + r") (\d{4})",
                  lambda m: f"{m[3]}-{months.index(m[2]) + 1:02d}-{int(m[1]):02d}", text)
    text = re.sub(rf"(?<=\d)[{NNBSP},](?=\d{{3}}(?!\d))", "", text)   # thousands separators
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)                        # French decimal comma
    return Counter(float(n) for n in re.findall(r"\d+(?:\.\d+)?", text))


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """``leakopt check --out`` on a register and leak file with a dozen known problems."""
    from leakopt.pipeline.check import check_files, write_check
    folder = tmp_path_factory.mktemp("checked")
    pipes = pd.DataFrame({
        "pipe_id": ["P1", "P2", "P3", "P3", "P5", "P6", "P7", "P8", "P9", "P10", None, "P12"],
        "material": ["CI", "PVC", "XYZ", "PVC", "", "DI", "PE", "CI", "AC", "PVC", "PVC", "CI"],
        "diameter_mm": ["100", "150", "abc", "100", "0", "200", "110", "150", "100", "90", "100", "150"],
        "install_year": [1960, 1975, 1980, 1980, 1111, 2001, 2010, None, 1955, 1990, 1985, 2030],
        "length_m": [120.0, -5.0, 80.0, 80.0, 60.0, 150.0, 1234.5, 300.0, 75.0, 40.0, 55.0, 90.0],
        "rank": range(12)})
    pipes.to_csv(folder / "pipes.csv", index=False)
    leaks = pd.DataFrame({
        "pipe_id": ["P1", "P1", "P2", "P6", "P9", "X9", "P1", "P8", "0P10", "P6", "P9", "P1"],
        "date": ["2015-03-02", "2016-07-01", "24/07/2018", "1999-01-01", "2019-05-05", "2019-05-06", "not a date",
                 "2020-02-02", "2021-03-03", "2022-04-04", "2023-05-05", "2023-11-30"]})
    leaks.to_csv(folder / "leaks.csv", index=False)
    (folder / "config.toml").write_text('[validate]\non_duplicate_ids = "keep_first"\n', encoding="utf-8")
    result = check_files(folder / "pipes.csv", folder / "leaks.csv", config_path=folder / "config.toml")
    assert result.error is None, result.error
    write_check(result, folder)
    return json.loads((folder / "validation.json").read_text(encoding="utf-8"))


def test_validation_json_carries_a_french_message_per_issue_with_the_same_numbers(checked):
    issues = checked["issues"]
    codes = {i["code"] for i in issues}
    assert {"duplicate_pipe_id", "material_unrecognised", "material_missing", "diameter_mm_unreadable",
            "install_year_implausible", "length_not_positive", "leak_date_unparseable", "leak_date_not_iso",
            "leak_unknown_pipe", "register_column_renamed", "pipe_id_missing", "install_year_imputed"} <= codes
    for issue in issues:
        assert issue["message_fr"], issue["code"]
        assert issue["message_fr"] != issue["message"]
        assert _numbers(issue["message_fr"]) == _numbers(issue["message"]), (issue["message"], issue["message_fr"])
    keys = list(issues[0])
    assert keys.index("message_fr") == keys.index("message") + 1      # read side by side


def test_english_messages_keep_their_wording(checked):
    by_code = {i["code"]: i for i in checked["issues"]}
    assert by_code["leak_date_unparseable"]["message"] == ("1 leak has a date that cannot be read (blank or not "
                                                          "a date); left out")
    assert by_code["leak_date_unparseable"]["message_fr"] == ("1 fuite a une date illisible (vide, ou qui n’est pas "
                                                             "une date)\u00a0; elle est écartée")
    assert by_code["material_unrecognised"]["message"].startswith(
        "1 pipe has a material code that was not recognised and is treated as 'unknown': 'XYZ' (1).")
    assert "'XYZ' (1)" in by_code["material_unrecognised"]["message_fr"]
    assert by_code["leak_date_not_iso"]["message"] == (
        "1 leak date is not ISO (YYYY-MM-DD); read as day-first dates (a first number above 12 shows it; set "
        "dayfirst or date_format in [validate] to change it)")
    assert "lue en prenant le premier nombre pour le jour (un premier nombre supérieur à 12 l’indique" in \
        by_code["leak_date_not_iso"]["message_fr"]


def test_a_fatal_issue_gets_its_french_too(tmp_path):
    from leakopt.errors import InputError
    from leakopt.validate import ValidationReport
    from leakopt.validate.config import ValidateConfig
    from leakopt.validate.leaks import prepare_leaks
    report = ValidationReport(sources={"leaks": "leaks.csv"})
    pipes = pd.DataFrame({"pipe_id": ["P1"]})
    with pytest.raises(InputError, match="none of the 2 values of the date column") as err:
        prepare_leaks(pd.DataFrame({"pipe_id": ["P1", "P1"], "date": ["x", "y"]}), pipes, crs=None,
                      cfg=ValidateConfig(), report=report)
    fatal = err.value.report.to_dict()["fatal"][0]
    assert fatal["code"] == "leak_date_unparseable" and fatal["message"] == str(err.value)
    assert fatal["message_fr"].startswith("leaks.csv\u00a0: aucune des 2 valeurs de la colonne des dates")
    with pytest.raises(InputError, match="required column") as err:
        prepare_leaks(pd.DataFrame({"pipe_id": ["P1"], "when": ["2020-01-01"]}), pipes, crs=None,
                      cfg=ValidateConfig(), report=ValidationReport(sources={"leaks": "leaks.csv"}))
    fatal = err.value.report.to_dict()["fatal"][0]
    assert fatal["code"] == "missing_column"
    assert "colonne obligatoire date introuvable\u00a0;" in fatal["message_fr"]        # one column: singular
    assert "pipe_id, when" in fatal["message_fr"]


# --- backtest notes ----------------------------------------------------------------------------

def test_backtest_notes_in_both_languages():
    from leakopt.risk.backtest import NOTES, backtest_notes, note_texts
    notes = [("left_truncation", {"first_leak": 1998, "last_sparse": 2004, "early": 12, "per_year": 40.0,
                                  "used": 2005}),
             ("history_ends", {"as_of": "2024-03-01", "asked": 3, "years": 2.5}),
             ("few_test_leaks", {"n": 20, "points": 5.0}),
             ("survivorship", {})]
    en, fr = note_texts(notes, "en"), note_texts(notes, "fr")
    assert en[0].startswith("left truncation: leak records from 1998 to 2004 are sparse (12 leaks")
    assert en[1] == "the leak history ends 2024-03-01: the test window of 3 years asked for was cut to 2.5 years"
    assert fr[1] == ("l’historique des fuites s’arrête le 1er mars 2024\u00a0: la fenêtre de test de 3\u00a0ans "
                     "demandée a été ramenée à 2,5\u00a0ans")
    for e, f in zip(en, fr):
        assert _numbers(e) == _numbers(f), (e, f)
    assert all(entry["fr"] for entry in NOTES.values())
    assert backtest_notes({"notes": en, "notes_fr": fr}, "fr") == list(fr)
    assert backtest_notes({"notes": en}, "fr") == list(en)          # an older backtest.json
    assert backtest_notes({"notes": en, "notes_fr": fr}, "en") == list(en)
    one = note_texts([("left_truncation_1", {"first_leak": 2006, "last_sparse": 2006, "early": 13,
                                             "per_year": 34.0, "used": 2007})], "fr")[0]
    assert one.startswith("début d’historique incomplet\u00a0: en 2006, les fuites enregistrées sont rares (13")
    assert "biais de survie" in note_texts([("survivorship", {})], "fr")[0]


# --- (c) the French report, (d) the French app ----------------------------------------------------

@pytest.fixture(scope="module")
def french_run(tmp_path_factory, checked):
    """The report's hand-made run folder, with the validation.json of ``checked`` and French backtest notes."""
    from test_report import make_run

    from leakopt.risk.backtest import note_texts
    folder = make_run(tmp_path_factory.mktemp("run-fr"))
    (folder / "validation.json").write_text(json.dumps(checked), encoding="utf-8")
    bt = json.loads((folder / "backtest.json").read_text(encoding="utf-8"))
    notes = [("history_ends", {"as_of": "2024-03-01", "asked": 3, "years": 2.5}), ("survivorship", {})]
    bt.update(notes=list(note_texts(notes, "en")), notes_fr=list(note_texts(notes, "fr")))
    (folder / "backtest.json").write_text(json.dumps(bt), encoding="utf-8")
    return folder


def _section(page: str, sid: str) -> str:
    import html
    found = re.search(rf'<section id="{sid}"[^>]*>(.*?)</section>', page, flags=re.S)
    return html.unescape(found[1]) if found else ""


def test_french_report_shows_the_french_messages_and_notes(french_run, checked):
    from leakopt.report import write_report
    fr_page = Path(write_report(french_run, lang="fr")).read_text(encoding="utf-8")
    quality = _section(fr_page, "quality")
    by_code = {i["code"]: i for i in checked["issues"]}
    for code in ("leak_date_unparseable", "duplicate_pipe_id", "install_year_implausible"):
        assert by_code[code]["message_fr"] in quality, code
        assert by_code[code]["message"] not in quality, code
    assert "sont en anglais" not in quality            # the note that the messages are English is gone
    assert "<td>grave</td>" in quality.replace("\n", "") or ">grave<" in quality   # the app's words too
    limits = _section(fr_page, "limits")
    assert "l’historique des fuites s’arrête le 1er mars 2024" in limits and "test window" not in limits
    assert "(en anglais)" not in limits and '<ul lang="fr">' in fr_page
    en_page = Path(write_report(french_run, lang="en")).read_text(encoding="utf-8")
    assert by_code["leak_date_unparseable"]["message"] in _section(en_page, "quality")
    assert "the leak history ends 2024-03-01" in _section(en_page, "limits")


def test_french_report_of_an_older_run_falls_back_to_english(french_run, checked, tmp_path):
    import shutil

    from leakopt.report import write_report
    old = Path(shutil.copytree(french_run, tmp_path / "old"))
    doc = json.loads((old / "validation.json").read_text(encoding="utf-8"))
    for issue in doc["issues"]:
        issue.pop("message_fr")
    (old / "validation.json").write_text(json.dumps(doc), encoding="utf-8")
    bt = json.loads((old / "backtest.json").read_text(encoding="utf-8"))
    bt.pop("notes_fr")
    (old / "backtest.json").write_text(json.dumps(bt), encoding="utf-8")
    page = Path(write_report(old, lang="fr")).read_text(encoding="utf-8")
    assert doc["issues"][0]["message"] in _section(page, "quality")
    assert "sont en anglais" in _section(page, "quality")
    assert "the leak history ends 2024-03-01" in _section(page, "limits")


def test_french_app_shows_french_checks_severities_and_notes(checked, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from test_app import APP, goto, texts, write_fixture_run

    from leakopt.risk.backtest import note_texts
    folder = write_fixture_run(tmp_path / "run")
    (folder / "validation.json").write_text(json.dumps(checked), encoding="utf-8")
    bt = json.loads((folder / "backtest.json").read_text(encoding="utf-8"))
    notes = [("few_test_leaks", {"n": 20, "points": 5.0})]
    bt.update(notes=list(note_texts(notes, "en")), notes_fr=list(note_texts(notes, "fr")))
    (folder / "backtest.json").write_text(json.dumps(bt), encoding="utf-8")
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(folder))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.sidebar.radio(key="lang").set_value("fr").run()
    goto(at, "validation")
    labels = [e.label for e in at.expander]
    by_code = {i["code"]: i for i in checked["issues"]}
    unparseable = by_code["leak_date_unparseable"]
    assert any(unparseable["message_fr"] in label and label.startswith("[grave]") for label in labels), labels
    assert any(label.startswith("[à vérifier]") for label in labels)
    assert not any(unparseable["message"] in label for label in labels)
    assert not any(re.match(r"\[(error|warning|info)\]", label) for label in labels)
    body = texts(at)
    assert "seulement 20\u00a0fuites de test" in body and "only 20 test leaks" not in body
    at.sidebar.radio(key="lang").set_value("en").run()
    labels = [e.label for e in at.expander]
    assert any(unparseable["message"] in label and label.startswith("[serious]") for label in labels)
    assert "only 20 test leaks" in texts(at)


def test_missing_columns_agree_with_their_count_and_the_app_says_its_own_way():
    from leakopt.app.texts import translator
    from leakopt.app.widgets import missing_columns_message
    from leakopt.io import missing_columns_error
    from leakopt.validate.messages import missing_column_params
    frame = pd.DataFrame({"id": ["1"], "mat": ["CI"]})
    two = missing_columns_error("pipes.csv", ["pipe_id", "install_year"], frame)
    one = missing_columns_error("pipes.csv", ["pipe_id"], frame)
    # the command line: no "(s)", and its advice (a config file passed with --config)
    assert str(two).startswith("pipes.csv: required columns pipe_id, install_year not found; columns found: id, mat")
    assert str(one).startswith("pipes.csv: required column pipe_id not found;") and "names it differently" in str(one)
    fr2 = render("missing_column", "fr", missing_column_params(two, "pipes.csv"))
    fr1 = render("missing_column", "fr", missing_column_params(one, "pipes.csv"))
    assert fr2.startswith("pipes.csv\u00a0: colonnes obligatoires pipe_id, install_year introuvables\u00a0;")
    assert fr1.startswith("pipes.csv\u00a0: colonne obligatoire pipe_id introuvable\u00a0;") and "la nomme" in fr1
    assert "(s)" not in fr1 + fr2 and "--config" in fr1
    # the app, above the form that maps the columns: the form is the way, not the command line
    app_fr = missing_columns_message(translator("fr"), two)
    assert app_fr == ("pipes.csv\u00a0: colonnes obligatoires pipe_id, install_year introuvables\u00a0; colonnes "
                      "trouvées\u00a0: id, mat. Choisissez ci-dessous la colonne du fichier qui tient lieu de chacune.")
    app_en = missing_columns_message(translator("en"), one)
    assert app_en == ("pipes.csv: required column pipe_id not found; columns found: id, mat. Choose below the column "
                      "of the file that holds it.")
    assert "--config" not in app_fr + app_en

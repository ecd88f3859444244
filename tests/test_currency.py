"""[renewal] currency: amounts written in the currency a utility's costs are in (EUR by default, as before),
in the plan's summary, the command's line, the report and the app; nothing converted."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from leakopt.config import config_from_dict
from leakopt.errors import InputError
from leakopt.i18n import NBSP, NNBSP, FrenchLog, Translator, check_currency, currency_sign, fmt_money
from leakopt.renewal import RenewalConfig, plan_renewal, summary_currency
from leakopt.validate.messages import french_error

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
COSTS = {"cost_diameters_mm": (100.0, 300.0, 600.0), "cost_eur_per_m": (900.0, 1400.0, 2200.0)}


# --- writing amounts ------------------------------------------------------------------------

def test_euros_are_written_as_before():
    assert [fmt_money(v, "en") for v in (850_000, 1_250_000, 47.8e6, 2.5e9)] == [
        "€850,000", f"€1.25{NBSP}million", f"€47.8{NBSP}million", f"€2.50{NBSP}billion"]
    assert [fmt_money(v, "fr") for v in (850_000, 1_250_000, 2.5e9)] == [
        f"850{NNBSP}000{NNBSP}€", f"1,25{NNBSP}M€", f"2,50{NNBSP}Md€"]
    assert fmt_money(1_250_000, "en", compact=False) == "€1,250,000"
    assert fmt_money(1_250_000, "fr", compact=False, currency="eur") == f"1{NNBSP}250{NNBSP}000{NNBSP}€"
    assert Translator({}, "fr").money(850_000) == f"850{NNBSP}000{NNBSP}€"   # a translator's default: euros


@pytest.mark.parametrize("code,sign", [("CAD", "$"), ("USD", "$"), ("GBP", "£")])
def test_a_currency_with_a_sign_is_written_as_the_euro_is(code, sign):
    assert fmt_money(850_000, "en", currency=code) == f"{sign}850,000"
    assert fmt_money(1_250_000, "en", currency=code) == f"{sign}1.25{NBSP}million"
    assert fmt_money(2.5e9, "en", currency=code) == f"{sign}2.50{NBSP}billion"
    assert fmt_money(1_250_000, "en", compact=False, currency=code) == f"{sign}1,250,000"
    # French (Québec): "850 000 $", "1,25 M$"
    assert fmt_money(850_000, "fr", currency=code) == f"850{NNBSP}000{NNBSP}{sign}"
    assert fmt_money(1_250_000, "fr", currency=code) == f"1,25{NNBSP}M{sign}"
    assert fmt_money(2.5e9, "fr", currency=code) == f"2,50{NNBSP}Md{sign}"
    assert fmt_money(1_250_000, "fr", compact=False, currency=code) == f"1{NNBSP}250{NNBSP}000{NNBSP}{sign}"
    assert fmt_money(None, "fr", currency=code) == "–"


@pytest.mark.parametrize("code", ["CHF", "jpy"])
def test_another_currency_is_written_by_its_code(code):
    code_ = code.upper()
    assert fmt_money(850_000, "en", currency=code) == f"{code_}{NBSP}850,000"
    assert fmt_money(1_250_000, "en", currency=code) == f"{code_}{NBSP}1.25{NBSP}million"
    assert fmt_money(2.5e9, "en", currency=code) == f"{code_}{NBSP}2.50{NBSP}billion"
    assert fmt_money(1_250_000, "en", compact=False, currency=code) == f"{code_}{NBSP}1,250,000"
    # French: the code after the number, "million" in words and plural from 2
    assert fmt_money(850_000, "fr", currency=code) == f"850{NNBSP}000{NBSP}{code_}"
    assert fmt_money(1_250_000, "fr", currency=code) == f"1,25{NBSP}million{NBSP}{code_}"
    assert fmt_money(47.8e6, "fr", currency=code) == f"47,8{NBSP}millions{NBSP}{code_}"
    assert fmt_money(2.5e9, "fr", currency=code) == f"2,50{NBSP}milliards{NBSP}{code_}"
    assert fmt_money(1_250_000, "fr", compact=False, currency=code) == f"1{NNBSP}250{NNBSP}000{NBSP}{code_}"


def test_a_translator_writes_its_currency_and_fills_a_texts_currency_sign():
    table = {"cost": {"en": "Cost ({currency})", "fr": "Coût ({currency})"}, "plain": {"en": "{x} {{y}}"}}
    t = Translator(table, "fr", currency="cad")
    assert t.currency == "CAD" and t.money(850_000) == f"850{NNBSP}000{NNBSP}$"
    assert t("cost") == "Coût ($)" and Translator(table, "en")("cost") == "Cost (€)"
    assert Translator(table, "en", currency="CHF")("cost") == "Cost (CHF)"
    assert t("cost", currency="US$") == "Coût (US$)"    # given by the call: kept
    assert t("plain", x=1) == "1 {y}"                    # a text without the field is untouched
    assert [currency_sign(c) for c in ("EUR", "usd", "GBP", "SEK")] == ["€", "$", "£", "SEK"]


@pytest.mark.parametrize("bad", ["euro", "€", "", "EU", "C$D", 12, None])
def test_a_value_that_is_no_currency_code_is_refused(bad):
    with pytest.raises(InputError, match="three-letter ISO 4217"):
        check_currency(bad)
    with pytest.raises(InputError):
        Translator({}, "en", currency=bad)


# --- the setting ------------------------------------------------------------------------------

def test_the_setting_takes_any_three_letter_code_in_any_case():
    assert RenewalConfig().currency == "EUR"
    assert [RenewalConfig(currency=c).currency for c in ("cad", "USD", " gbp ", "Chf", "NOK")] == [
        "CAD", "USD", "GBP", "CHF", "NOK"]
    assert config_from_dict({"renewal": {"currency": "cad"}}).stage("renewal").currency == "CAD"


def test_a_wrong_currency_is_refused_in_english_and_french():
    with pytest.raises(InputError) as info:
        config_from_dict({"renewal": {"currency": "dollars"}})
    assert str(info.value) == (
        "invalid value in [renewal] of the configuration: [renewal] currency='dollars'; expected a three-letter "
        'ISO 4217 currency code, e.g. "EUR", "CAD", "USD", "GBP" or "CHF"')
    assert french_error(info.value) == (
        f"valeur invalide dans la table [renewal] de la configuration{NBSP}: [renewal] currency='dollars'{NBSP}; "
        'valeur attendue : un code de monnaie ISO 4217 de trois lettres, par exemple "EUR", "CAD", "USD", "GBP" '
        'ou "CHF"'.replace(" :", f"{NBSP}:"))
    with pytest.raises(InputError, match=r"\[renewal\] currency='€'"):
        RenewalConfig(currency="€")


def test_a_budget_message_names_the_currency():
    with pytest.raises(InputError) as info:
        RenewalConfig(currency="cad", annual_budget_eur=-5)
    assert "a positive amount in CAD" in str(info.value) and "un montant positif en CAD" in french_error(info.value)
    with pytest.raises(InputError) as info:
        RenewalConfig(annual_budget_eur=-5)
    assert "un montant positif en euros" in french_error(info.value)


# --- the plan -------------------------------------------------------------------------------

def small_risk(n=120, seed=3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    year = rng.integers(1930, 2020, n)
    length = rng.uniform(50, 300, n)
    expected = 0.05 * np.exp((2020 - year) / 40) * length / 1000 * rng.lognormal(0, 0.5, n)
    return pd.DataFrame({"pipe_id": [f"P{i}" for i in range(n)], "expected_leaks_per_year": expected,
                         "length_m": length, "diameter_mm": rng.choice([100, 150, 200], n), "install_year": year,
                         "material": "cast_iron", "n_leaks": rng.poisson(expected * 10)})


def test_the_plan_records_its_currency_and_where_its_costs_come_from(caplog):
    risk = small_risk()
    with caplog.at_level(logging.WARNING, logger="leakopt"):
        cad = plan_renewal(risk, config=RenewalConfig(currency="cad", start_year=2030, **COSTS)).summary
        eur = plan_renewal(risk, config=RenewalConfig(start_year=2030)).summary
        column = plan_renewal(risk.assign(own=1000.0), config=RenewalConfig(currency="USD", cost_column="own",
                                                                            start_year=2030)).summary
    assert not [r for r in caplog.records if "currency" in r.getMessage()]   # costs given, or in euros
    assert (cad["currency"], cad["cost_source"]) == ("CAD", "cost_table")
    assert (eur["currency"], eur["cost_source"]) == ("EUR", "default_table")
    assert (column["currency"], column["cost_source"]) == ("USD", "cost_column")
    # amounts are the given figures, not converted: the budget is 1% of the replacement value at these costs
    assert cad["replacement_value_eur"] > eur["replacement_value_eur"]
    assert summary_currency(cad) == "CAD" and summary_currency({}) == "EUR" and summary_currency({"currency": "x"}) \
        == "EUR"


def test_a_plan_in_another_currency_on_the_default_euro_table_warns(caplog):
    with caplog.at_level(logging.WARNING, logger="leakopt"):
        summary = plan_renewal(small_risk(), config=RenewalConfig(currency="CAD", start_year=2030)).summary
    assert summary["cost_source"] == "default_table" and summary["currency"] == "CAD"
    [record] = [r for r in caplog.records if "currency" in r.getMessage()]
    message = record.getMessage()
    assert message.startswith('[renewal] currency = "CAD", but no renewal cost is given: the default cost table is '
                              "in euros")
    assert "Give your costs in CAD: [renewal] cost_diameters_mm and cost_eur_per_m" in message
    FrenchLog().filter(record)
    assert record.getMessage().startswith(f'[renewal] currency = "CAD", mais aucun coût de renouvellement n’est '
                                          f"donné{NBSP}: la table de coûts par défaut est en euros")
    assert record.levelname == "AVERTISSEMENT"


def test_an_unreachable_renewal_rate_is_said_in_the_plans_currency():
    cfg = RenewalConfig(currency="CAD", annual_budget_eur=1000.0, min_rate_pct=50, **COSTS)
    with pytest.raises(InputError) as info:
        plan_renewal(small_risk(), config=cfg)
    assert "costs at least CAD " in str(info.value) and "the yearly budget is CAD 1,000." in str(info.value)
    assert f"le budget annuel est de 1{NNBSP}000{NNBSP}$." in french_error(info.value)


def test_the_command_line_and_the_report_write_a_plans_own_currency():
    from leakopt.pipeline.summary import renewal_line
    from leakopt.report.sections import currency_note, nothing_text
    from leakopt.report.text import STRINGS
    poor = {"years": 5, "leaks_avoided": 0.0, "currency": "CAD", "cost_source": "cost_table",
            "nothing_to_renew": {"reason": "over_budget", "cheapest_site_eur": 41_000.0, "budget_per_year_eur": 10.0}}
    assert "No work site fits in one year's budget ($10; the cheapest costs $41,000)." in renewal_line(poor)
    assert f"(10{NNBSP}$ ; le moins cher coûte 41{NNBSP}000{NNBSP}$)" in renewal_line(poor, lang="fr").replace(
        NBSP, " ")
    assert "€10" in renewal_line({**poor, "currency": None})        # a run from before the setting: euros
    t = Translator(STRINGS, "en", currency="CAD")
    assert "($10): the cheapest costs $41,000" in nothing_text(poor, t)
    assert currency_note(poor, t) == "Amounts are in CAD ([renewal] currency)."
    note = currency_note({**poor, "cost_source": "default_table"}, t)
    assert "default table, French prices in euros, written here in CAD without conversion" in note
    assert currency_note(poor, Translator(STRINGS, "en")) is None    # in euros: nothing to say


# --- a whole run ----------------------------------------------------------------------------

CONFIG = """
[risk]
use_hydraulics = false

[backtest]
walk_forward_cutoffs = 1

[renewal]
currency = "cad"
cost_diameters_mm = [100, 300, 600]
cost_eur_per_m = [900.0, 1400.0, 2200.0]
"""


@pytest.fixture(scope="module")
def cad_run(tmp_path_factory) -> tuple[Path, str]:
    """`leakopt run` on 300 pipes of the sample (those with the most leaks first), costs in Canadian dollars."""
    base = tmp_path_factory.mktemp("cad")
    pipes = pd.read_csv(ROOT / "data_samples" / "pipes.csv", dtype=str)
    leaks = pd.read_csv(ROOT / "data_samples" / "leaks.csv", dtype=str)
    leaky = pipes["pipe_id"].isin(leaks["pipe_id"].value_counts().index[:150])
    subset = pd.concat([pipes[leaky], pipes[~leaky].head(300 - int(leaky.sum()))])
    subset.to_csv(base / "pipes.csv", index=False)
    leaks[leaks["pipe_id"].isin(subset["pipe_id"])].to_csv(base / "leaks.csv", index=False)
    (base / "cad.toml").write_text(CONFIG, encoding="utf-8")
    out = base / "out"
    proc = subprocess.run([sys.executable, "-m", "leakopt", "run", "--pipes", str(base / "pipes.csv"), "--leaks",
                           str(base / "leaks.csv"), "--config", str(base / "cad.toml"), "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc.stdout + proc.stderr


def test_a_run_in_canadian_dollars_says_so_everywhere(cad_run):
    out, printed = cad_run
    renewal = json.loads((out / "renewal.json").read_text(encoding="utf-8"))
    assert renewal["currency"] == "CAD" and renewal["cost_source"] == "cost_table"
    assert "budget_per_year_eur" in renewal and "total_cost_eur" in renewal   # the contract's names stay
    assert "Renewal plan (by expected leaks)" in printed and "€" not in printed
    assert "default cost table is in euros" not in printed                       # costs were given
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "€" not in html
    budget = fmt_money(renewal["budget_per_year_eur"], "en", currency="CAD")
    assert budget.startswith("$") and f"With {budget} a year for 5 years" in html
    assert "Amounts are in CAD ([renewal] currency)." in html
    assert fmt_money(renewal["by_year"][0]["cost_eur"], "en", currency="CAD") in html   # the table year by year
    # the utility's own prices are not called standard ones, under the table nor among the limits
    read = unescape(html)
    assert "standard prices" not in read and "the utility's own prices per metre by diameter" in read
    assert "Renewal costs are the utility's prices per metre by diameter, not quotes" in read
    assert "default euro prices" not in read


def test_the_key_figures_say_when_a_plan_in_another_currency_rests_on_the_default_euro_prices():
    """A reader of the key figures alone must not take a euro figure for dollars; the utility's own costs, or
    a plan in euros, need no such words, and the notes name the cost source."""
    from leakopt.report.sections import cost_key
    from leakopt.report.text import STRINGS
    rn = {"currency": "CAD", "cost_source": "default_table", "budget_per_year_eur": 5.15e6, "leaks_avoided": 114,
          "years": 5}
    t = Translator(STRINGS, "en", currency="CAD")
    said = t("k_renewal_d_euro_prices", leaks="114", years=5)
    assert said == "avoids 114 leaks over 5 years; costs: leakopt's default euro prices, not converted"
    assert "prix par défaut de leakopt, en euros" in Translator(STRINGS, "fr", currency="CAD")(
        "k_renewal_d_euro_prices", leaks="114", years=5)
    assert cost_key("r_note", rn) == "r_note" and cost_key("l_5", {"cost_source": "cost_column"}) == "l_5_cost_column"
    assert cost_key("r_note", {"cost_source": "cost_table"}) == "r_note_cost_table" and cost_key("l_5", None) == "l_5"


def test_the_apps_renewal_page_shows_a_cad_run_in_dollars(cad_run, monkeypatch, tmp_path):
    out, _ = cad_run
    renewal = json.loads((out / "renewal.json").read_text(encoding="utf-8"))
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(out))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Renewal budget a year"] == fmt_money(renewal["budget_per_year_eur"], "en", currency="CAD")
    at.sidebar.radio(key="page_en").set_value("renewal").run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total cost"] == fmt_money(renewal["total_cost_eur"], "en", currency="CAD").replace(NBSP, " ")
    assert at.select_slider(key="rn_budget").label == "Annual budget (thousand $)"
    plan = [json.loads(d.proto.columns or "{}") for d in at.dataframe]
    assert any(c.get("cost", {}).get("label") == "Cost ($)" for c in plan), plan
    rules = at.dataframe[0].value
    assert rules["Total cost"].str.startswith("$").all()
    assert any(c.value.startswith("Amounts are in CAD") for c in at.caption), [c.value for c in at.caption]
    at.sidebar.radio(key="lang").set_value("fr").run()
    assert at.select_slider(key="rn_budget").label == "Budget annuel (k$)"
    assert {m.label: m.value for m in at.metric}["Coût total"].endswith("M$")
    shown = [m.value for m in at.metric] + [c.value for c in at.caption] + [at.select_slider(key="rn_budget").label]
    assert not any("€" in text for text in shown), shown


def test_the_apps_renewal_page_writes_two_dollar_amounts_as_text_not_a_formula(cad_run, monkeypatch, tmp_path):
    # Streamlit's Markdown reads "$10): the cheapest costs $" as LaTeX: the dollar signs are escaped
    import shutil
    run = tmp_path / "run"
    shutil.copytree(cad_run[0], run)
    renewal = json.loads((run / "renewal.json").read_text(encoding="utf-8"))
    renewal["nothing_to_renew"] = {"reason": "over_budget", "cheapest_site_eur": 41_000.0, "budget_per_year_eur": 10.0}
    (run / "renewal.json").write_text(json.dumps(renewal), encoding="utf-8")
    monkeypatch.setenv("LEAKOPT_APP_RUN_DIR", str(run))
    monkeypatch.setenv("LEAKOPT_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.radio(key="page_en").set_value("renewal").run()
    assert not at.exception
    assert [i.value for i in at.info] == ["No work site fits in one year's budget (\\$10): the cheapest costs "
                                          "\\$41,000. Raise the budget (\\[renewal\\] annual_budget_eur) to get a plan."]


def test_the_apps_chart_locale_writes_the_runs_currency():
    from leakopt.app.tables import shown
    from leakopt.app.texts import translator
    from leakopt.app.widgets import vega_locale
    assert vega_locale("fr").to_dict()["number"]["currency"] == ["", f"{NNBSP}€"]
    assert vega_locale("fr", "CAD").to_dict()["number"]["currency"] == ["", f"{NNBSP}$"]
    assert vega_locale("fr", "CHF").to_dict()["number"]["currency"] == ["", f"{NBSP}CHF"]
    _, config = shown(translator("fr", currency="GBP"), pd.DataFrame({"cost": [1000.0]}))
    assert config["cost"]["label"] == "Coût (£)"
    _, config = shown(translator("en"), pd.DataFrame({"cost": [1000.0]}))
    assert config["cost"]["label"] == "Cost (€)"

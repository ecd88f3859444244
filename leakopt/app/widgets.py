"""Widgets every page uses: progress bars fed by a pipeline's progress callback, and readable errors."""
from __future__ import annotations

import logging
import re

from leakopt.app.data import hide_cache_paths
from leakopt.errors import InputError
from leakopt.schema import describe, fraction, stage_of, step_text

log = logging.getLogger("leakopt.app")

#: The page's style: a metric's value and its line below wrap instead of ending in "…" in a narrow
#: column ("€4.78 mil…", "vs 2,830 for the whole net…" in a third of a 1024-pixel window).
PAGE_CSS = """<style>
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricValue"] p, [data-testid="stMetricDelta"] p {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: normal; word-break: normal;
}
</style>"""


#: Signs that Markdown (CommonMark, GitHub's strikethrough and tables) or Streamlit (LaTeX between dollar signs) may
#: read as formatting wherever they stand: each gets a backslash. An underscore only at the edge of a word
#: ("_old_"): inside one ("P_12_A", "pipe_id") Markdown reads none.
MARKDOWN_SIGNS = re.compile(r"[\\`*\[\]<$~|&]|_(?![^\W_])|(?<![^\W_])_")
#: Signs that start a block at the start of a line (heading, quote, list, setext underline, numbered list:
#: "1. ", not "12.5").
LINE_START_SIGNS = re.compile(r"^([ \t]*)([#>+\-=]|\d{1,9}[.)](?=\s|$))", re.MULTILINE)
#: A colon before a word, written as its character reference ("&#58;"), which Markdown shows but does not read:
#: Streamlit reads ":material/home:", ":red[text]" and ":smile:" even after a backslash. Before a slash too: in an
#: address ("http://x/_y_") the backslashes would show.
DIRECTIVE_COLON = re.compile(r":(?=[\w+\-/])")
#: The dot of "www.", which makes a link as "http:" does (the backslashes inside it would show).
WEB_DOT = re.compile(r"(?<=\bwww)\.", re.IGNORECASE)


def escape_markdown(value) -> str:
    """``value`` (a pipe ID, a file or column name, a message quoting them) written so that Streamlit's
    Markdown shows it as it is: "MAIN*3", "[old] 7", "$4" or "_old_" stay, not italics, a link or LaTeX.

    Backslashes before the signs Markdown reads (:data:`MARKDOWN_SIGNS`, and :data:`LINE_START_SIGNS` at the
    start of a line; :data:`WEB_DOT`), and :data:`DIRECTIVE_COLON` as its character reference. For the text of
    ``st.markdown``, ``st.caption``, headings, alerts, expander and widget labels; never for a table's cells
    (``st.dataframe`` shows them as they are)."""
    text = WEB_DOT.sub(r"\\.", MARKDOWN_SIGNS.sub(r"\\\g<0>", str(value)))
    text = DIRECTIVE_COLON.sub("&#58;", text)     # after the ampersands got their backslash: this one stays bare
    return LINE_START_SIGNS.sub(lambda m: f"{m[1]}{m[2][:-1]}\\{m[2][-1]}", text)


def wrappable(value: str) -> str:
    """A metric's value that may wrap before its word ("€4.78 / million", "4,78 / M€") in a narrow column:
    the no-break space before a word becomes a space; those inside a number ("12 345") stay."""
    return re.sub("[\u00a0\u202f](?=[^\\W\\d_])", " ", value)


def style_page() -> None:
    """Apply :data:`PAGE_CSS` (style only: it takes no room on the page)."""
    import streamlit as st
    st.html(PAGE_CSS)


def progress_text(t, step: str, done: int, total: int) -> str:
    """A progress bar's line: the step as the pipeline says it in English ("risk: boosting rounds 60/200");
    in French the stage in words, its step in French and how far it is ("Modèle de risque : itérations
    du boosting sur toutes les années 60/200"; :func:`leakopt.schema.step_text`)."""
    stage = stage_of(step)
    if t.lang == "en" or f"pg_{stage}" not in t.table:
        return describe(step, done, total, t.lang)
    detail = step_text(step.partition(": ")[2], t.lang)
    return t("pg_line", stage=t(f"pg_{stage}"), step=detail, done=t.number(done), total=t.number(total))


def progress_bars(t=None):
    """A ``progress(step, done, total)`` callback (:mod:`leakopt.schema`) drawing one Streamlit
    progress bar per stage, each with its current step (:func:`progress_text`; ``t`` the app's texts)."""
    import streamlit as st

    bars: dict[str, tuple] = {}    # stage -> (bar, its last text)

    def progress(step: str, done: int, total: int) -> None:
        stage = stage_of(step)
        text = progress_text(t, step, done, total) if t is not None else describe(step, done, total)
        if stage not in bars:   # a new stage: the earlier ones are finished
            for bar, last in bars.values():
                bar.progress(1.0, text=last)
            bars[stage] = (st.progress(0.0, text=text), text)
        bar = bars[stage][0]
        bar.progress(fraction(done, total), text=text)
        bars[stage] = (bar, text)
    return progress


def missing_columns_message(t, exc) -> str:
    """A file's missing columns (a :class:`~leakopt.errors.MissingColumnsError`) said the app's way, above the
    form that maps them: choose the columns below, not "map them in a config file and pass it with --config";
    "column" or "columns" as many as are missing. (In French a reason given only in English is left out: the
    form's labels say which columns are optional; a reason that has its French, as ``leak_types`` set in the
    configuration, is said.)"""
    from leakopt.validate.messages import missing_column_params, render
    why = exc.why if t.lang == "en" else getattr(exc, "why_phrase", "")   # a reason with its French, or none
    return hide_cache_paths(render("missing_column_form", t.lang, missing_column_params(exc, exc.where, why=why)))


def show_error(t, exc: BaseException) -> None:
    """A readable message on screen, never a traceback: the same text as the command line
    (with the app's cache folders cut from file paths)."""
    import streamlit as st
    if isinstance(exc, InputError):
        from leakopt.validate.messages import french_error
        french = french_error(exc) if t.lang == "fr" else None
        # the messages quote files, columns and values as written: shown as plain text, not read as Markdown
        st.error(escape_markdown(hide_cache_paths(french)) if french else
                 t("input_error", message=escape_markdown(hide_cache_paths(str(exc)))))
    else:
        log.exception("unexpected error in the app")
        st.error(t("unexpected", kind=type(exc).__name__, message=escape_markdown(hide_cache_paths(str(exc))[:300])))


def vega_locale(lang: str, currency: str = "EUR"):
    """The chart number format of ``lang`` (Vega's locale): French axes read "1 000", "0,5" and "20 %", amounts
    "1 000 €" ("1 000 $", "1 000 CHF" in the run's ``currency``, as :func:`leakopt.i18n.fmt_money` writes them)."""
    import altair as alt

    from leakopt.i18n import CURRENCY_SIGNS, NBSP, NNBSP, currency_sign
    if lang != "fr":
        return None
    space = NNBSP if currency.upper() in CURRENCY_SIGNS else NBSP   # "1 000 $", a code as a unit: "1 000 CHF"
    return alt.Locale(number=alt.NumberLocale(decimal=",", thousands=NNBSP, grouping=[3],
                                              currency=["", f"{space}{currency_sign(currency)}"],
                                              percent=f"{NNBSP}%"))


def altair_chart(t, chart) -> None:
    """``st.altair_chart`` with the axes' numbers written the reader's way."""
    import streamlit as st
    locale = vega_locale(t.lang, t.currency)
    st.altair_chart(chart.configure(locale=locale) if locale is not None else chart, width="stretch")

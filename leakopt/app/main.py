"""The Streamlit script: ``leakopt app`` runs ``streamlit run`` on this file.

The root ``app.py`` imports :func:`render` and calls it, so both entry points
run the same code.  The sidebar holds the language switch (English/French)
and the page menu; each page is drawn by its own module.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):   # run as a script by ``streamlit run .../leakopt/app/main.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from leakopt.app import data  # noqa: E402
from leakopt.app.texts import PAGES, translator  # noqa: E402
from leakopt.app.widgets import escape_markdown, progress_bars, show_error, style_page  # noqa: E402

log = logging.getLogger("leakopt.app")

LANG_NAMES = {"en": "English", "fr": "Français"}


@dataclass(frozen=True)
class Ctx:
    """What every page receives: the language and the run to show."""

    t: object
    lang: str
    run: data.RunData


def _cached_read_run():
    import streamlit as st

    @st.cache_resource(show_spinner=False, max_entries=8)
    def read_run(run_dir: str, stamp: float) -> data.RunData:
        return data.read_run(run_dir)
    return read_run


def load_run(run_dir) -> data.RunData:
    """Read a run folder once per content (cached on its files' latest modification time, so the
    outputs of ``leakopt campaign`` or ``sensors --kind pressure`` written into it later are shown)."""
    run_dir = Path(run_dir)
    return _cached_read_run()(str(run_dir), data.run_stamp(run_dir))


def sample_dir(t) -> Path:
    """The sample's run folder: from the cache, or computed now with a progress bar."""
    import streamlit as st
    if "sample_dir" not in st.session_state:
        found = data.cached_sample_dir()
        if found is None:
            with st.status(t("running_sample"), expanded=True) as status:
                found = data.sample_run_dir(progress=progress_bars(t))
                status.update(label=t("run_done"), state="complete", expanded=False)
        st.session_state["sample_dir"] = str(found)
    return Path(st.session_state["sample_dir"])


def sidebar(t):
    """Whose data the pages show (the sample, the user's files, or a given run folder); returns the
    sidebar block that :func:`sidebar_run` fills, above the button back to the sample."""
    import streamlit as st
    about = st.sidebar.container()
    if st.session_state.get("user_run"):
        about.caption(t("data_user"))
        if st.sidebar.button(t("back_to_sample"), key="back_to_sample"):
            del st.session_state["user_run"]
            st.rerun()
    else:
        about.caption(t("data_given" if data.given_run_dir() is not None else "data_sample"))
    return about


def sidebar_run(about, t, run: data.RunData) -> None:
    """The run shown, named for a reader: its input files, the day it ran and its forecast date
    (never its folder, a cache path that means nothing to them)."""
    names = run.input_names()
    if names:
        about.caption(t("data_files", names=escape_markdown(", ".join(names))))
    when = [t("data_analysed", date=t.date(str(run.manifest["created"])[:10]))] if run.manifest.get("created") else []
    when += [t("data_as_of", date=t.date(run.manifest["as_of"]))] if run.manifest.get("as_of") else []
    if when:
        about.caption(" · ".join(when))


def current_run_dir(t) -> Path:
    """The user's run if they made one on the upload page, else the sample's."""
    import streamlit as st
    user = st.session_state.get("user_run")
    return Path(user["run_dir"]) if user else sample_dir(t)


#: Choices of one page that outlive a visit to another page (Streamlit forgets the state of a widget
#: not drawn in a run: the logger mode and budget, the renewal budget went back to their defaults).
KEPT_CHOICES = ("se_mode", "se_target", "se_budget", "rn_budget", "rm_material", "rm_class", "rm_zone", "rm_area",
                "rm_colour", "rm_cell")


def keep_choices(state) -> None:
    """Carry the page choices over to the next run (re-assigning a widget's value keeps it alive), as
    long as the same data are shown: choices made on other data (the sample, before the user's run)
    are dropped, their options and ranges being those of the other data."""
    whose = str((state.get("user_run") or {}).get("run_dir", "sample"))
    same = state.get("choices_for", whose) == whose
    for key in KEPT_CHOICES:
        if key in state:
            if same:
                state[key] = state[key]
            else:
                del state[key]
    state["choices_for"] = whose


def render() -> None:
    """Draw the whole app."""
    import streamlit as st

    keep_choices(st.session_state)

    from leakopt.app import downloads, overview, renewal, risk_map, sensors, upload, validation
    st.set_page_config(page_title="leakopt", page_icon="💧", layout="wide")
    style_page()
    lang = st.sidebar.radio("Language · Langue", list(LANG_NAMES), format_func=LANG_NAMES.get,
                            key="lang", horizontal=True)
    t = translator(lang)
    st.sidebar.title("leakopt")
    # one page menu per language: the browser's menu, its labels changed, fell back to the first page at
    # the second switch of language; the page shown is kept apart and each menu starts on it
    shown = st.session_state.get("page_shown", PAGES[0])
    page = st.sidebar.radio(t("page"), PAGES, index=PAGES.index(shown) if shown in PAGES else 0,
                            format_func=lambda k: t(f"page_{k}"), key=f"page_{lang}")
    st.session_state["page_shown"] = page
    pages = {"overview": overview, "risk_map": risk_map, "sensors": sensors, "renewal": renewal,
             "validation": validation, "downloads": downloads}
    try:
        about = sidebar(t)
        if page == "upload":
            upload.render(t, lang)
            return
        run = load_run(current_run_dir(t))
        sidebar_run(about, t, run)
        t = translator(lang, currency=run.currency)   # the run's amounts in its own currency
        pages[page].render(Ctx(t=t, lang=lang, run=run))
    except Exception as exc:   # noqa: BLE001 - the app shows every failure as a message
        show_error(t, exc)


if __name__ == "__main__":
    render()

"""Widgets every page uses: a progress bar fed by a pipeline's progress callback, and readable errors."""
from __future__ import annotations

import logging

from leakopt.errors import InputError

log = logging.getLogger("leakopt.app")


def progress_box(label: str):
    """A ``progress(fraction, message)`` callback drawing a Streamlit progress bar."""
    import streamlit as st
    bar = st.progress(0.0, text=label)

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)
    return progress


def show_error(t, exc: BaseException) -> None:
    """A readable message on screen, never a traceback: the same text as the command line."""
    import streamlit as st
    if isinstance(exc, InputError):
        st.error(str(exc))
    else:
        log.exception("unexpected error in the app")
        st.error(t("unexpected", kind=type(exc).__name__, message=str(exc)[:300]))

"""Your data: upload files, see the data checks, then run the analysis."""
from __future__ import annotations

from leakopt.app import data

UPLOADS = (
    ("pipes", "up_pipes", ["csv", "gpkg", "geojson", "json", "zip"]),
    ("leaks", "up_leaks", ["csv"]),
    ("network", "up_network", ["inp"]),
    ("config", "up_config", ["toml"]),
)


def check(paths: dict) -> dict:
    """Load and validate the files without running anything: the validation report and a summary.

    Raises
    ------
    InputError
        With the same message as the command line, on unusable files.
    """
    from leakopt import pipeline
    from leakopt.config import load_config
    config = load_config(paths.get("config"))
    utility = pipeline.load(paths["pipes"], paths["leaks"], paths.get("network"), config=config)
    return {"validation": utility.validation.to_dict(), "n_pipes": int(len(utility.pipes)),
            "length_m": float(utility.pipes["length_m"].sum()), "n_leaks": int(len(utility.leaks)),
            "as_of": utility.as_of.date().isoformat()}


def render(t, lang: str) -> None:
    import streamlit as st

    from leakopt.app.validation import render_checks
    from leakopt.app.widgets import progress_bars, show_error
    st.header(t("up_title"))
    st.caption(t("up_caption"))
    files = {role: st.file_uploader(t(key), type=types, key=f"up_{role}") for role, key, types in UPLOADS}
    if st.button(t("up_check"), key="up_check", type="primary"):
        st.session_state.pop("up_checked", None)
        if files["pipes"] is None or files["leaks"] is None:
            st.warning(t("up_need"))
            return
        try:
            paths = {role: str(data.save_upload(f.name, f.getvalue())) for role, f in files.items() if f is not None}
            st.session_state["up_checked"] = {"paths": paths, "result": check(paths)}
        except Exception as exc:   # noqa: BLE001 - shown as a message, never a traceback
            show_error(t, exc)
            return
    checked = st.session_state.get("up_checked")
    if not checked:
        return
    r = checked["result"]
    st.success(t("up_ok", pipes=t.number(r["n_pipes"]), km=t.length(r["length_m"]),
                 leaks=t.number(r["n_leaks"]), date=r["as_of"]))
    render_checks(t, r["validation"])
    if st.button(t("up_run"), key="up_run", type="primary"):
        paths = checked["paths"]
        try:
            with st.status(t("up_running"), expanded=True) as status:
                run_dir = data.run_inputs({k: paths.get(k) for k in ("pipes", "leaks", "network")},
                                          config_path=paths.get("config"), lang=lang,
                                          progress=progress_bars())
                status.update(label=t("run_done"), state="complete", expanded=False)
        except Exception as exc:   # noqa: BLE001
            show_error(t, exc)
            return
        st.session_state["user_run"] = {"run_dir": str(run_dir)}
        st.success(t("up_done"))

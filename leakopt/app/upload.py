"""Your data: upload files, see the data checks, then run the analysis.

Files whose required columns bear other names (a raw GIS export) get one form: a choice per
missing column of the register and of the leak file, pre-filled with the likely one
(:func:`leakopt.io.columns.guess_columns`, as ``leakopt check --suggest-config``). The choices go
into a configuration file (the uploaded one, completed) that the check and the run use, and that
can be downloaded for the command line.

Excel workbooks (.xlsx, .xlsm) are read as the command line reads them.  When one holds several tables and
no sheet is named, the reader stops; the page asks which sheet to read instead (a form listing the sheets
with their rows), and the choice is written as ``sheet`` in the configuration's ``[columns]`` or
``[leak_columns]``, as ``leakopt run`` takes it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from leakopt.app import data
from leakopt.app.widgets import escape_markdown
from leakopt.io.csvformat import COMPRESSED_SUFFIXES

log = logging.getLogger(__name__)

#: Excel workbooks, read as the command line reads them (:mod:`leakopt.io.workbook`).
WORKBOOKS = ("xlsx", "xlsm")
#: Spreadsheets leakopt does not read: taken by the uploaders so that the app can say to save them as .xlsx or
#: CSV (the uploader's own refusal is English-only and names a MIME type).
OTHER_SPREADSHEETS = ("xls", "ods", "xlsb")
#: A CSV compressed (``pipes.csv.gz``), read as the plain file (:func:`leakopt.io.csvformat.csv_format`).
COMPRESSED = COMPRESSED_SUFFIXES
#: (role, label key, file types, several files): the model of another run is its trees (``model.txt``)
#: and the GLM offset beside them (``model.txt.glm.json``), as ``leakopt run --model`` reads them.
UPLOADS = (
    ("pipes", "up_pipes", ["csv", *COMPRESSED, "gpkg", "geojson", "json", "zip", *WORKBOOKS, *OTHER_SPREADSHEETS],
     False),
    ("leaks", "up_leaks", ["csv", *COMPRESSED, *WORKBOOKS, *OTHER_SPREADSHEETS], False),
    ("network", "up_network", ["inp"], False),
    ("config", "up_config", ["toml"], False),
    ("model", "up_model", ["txt", "json"], True),
)
#: Name of the configuration file the mapping form writes.
MAPPING_FILE = "leakopt-columns.toml"

#: The uploaded file each table of the mapping form names columns of: a mapping is kept with its file only.
MAPPED_FILE = {"columns": "pipes", "leak_columns": "leaks"}


def model_readable(paths: dict) -> bool:
    """True when the uploaded model (``paths["model"]``) loads as ``leakopt run --model`` loads it."""
    from leakopt.config import load_config
    from leakopt.errors import InputError
    from leakopt.pipeline.stages import load_model
    try:
        config = load_config(paths.get("config"))
    except InputError:
        return True   # the configuration's own error is what the check shows
    try:
        load_model(paths["model"], config)
    except InputError:
        log.info("uploaded model refused", exc_info=True)
        return False
    return True


def check(paths: dict) -> dict:
    """Load and validate the files without running anything: the validation report and a summary.

    Raises
    ------
    InputError
        With the same message as the command line, on unusable files
        (:class:`leakopt.errors.MissingColumnsError` when required columns are not found).
    """
    from leakopt import pipeline
    from leakopt.config import load_config
    config = load_config(paths.get("config"))
    return summary(pipeline.load(paths["pipes"], paths.get("leaks"), paths.get("network"), config=config))


def summary(utility) -> dict:
    """What the page shows of validated files: the validation report and a few counts."""
    return {"validation": utility.validation.to_dict(), "n_pipes": int(len(utility.pipes)),
            "length_m": float(utility.pipes["length_m"].sum()), "n_leaks": int(len(utility.leaks)),
            "as_of": utility.as_of.date().isoformat()}


def map_columns(paths: dict, mapping: dict[str, dict[str, str]]) -> dict:
    """``paths`` with a configuration that adds ``mapping`` (table -> {contract name: the file's
    column}) to its tables: the uploaded configuration completed (:func:`leakopt.config.with_columns`),
    or a new one."""
    from leakopt.config import with_columns
    from leakopt.io.tables import SHEET
    text = Path(paths["config"]).read_text(encoding="utf-8") if paths.get("config") else ""
    for table, columns in mapping.items():
        if columns:   # a sheet chosen in the form replaces the one the configuration named
            text = with_columns(text, table, columns, replace={SHEET: "chosen in the app below"})
    return {**paths, "config": str(data.save_upload(MAPPING_FILE, text.encode("utf-8")))}


def column_plan(paths: dict):
    """Every column the files lack, the register's and the leak file's at once, with the likely
    one (:func:`leakopt.pipeline.check.check_files` with ``suggest``): what the mapping form asks."""
    from leakopt.pipeline.check import check_files
    return check_files(paths["pipes"], paths.get("leaks"), paths.get("network"), config_path=paths.get("config"),
                       suggest=True)


def sheet_plan(paths: dict, exc: BaseException) -> dict[str, list]:
    """The sheets to choose from when ``exc`` is the reader's "several sheets hold a table" or "no sheet named"
    (its ``sheet_choice``, :data:`leakopt.io.workbook.CHOOSE_PIPES` or ``CHOOSE_LEAKS``): table (``columns`` for the
    register, ``leak_columns`` for the leak file) -> the workbook's sheets that hold rows
    (:class:`~leakopt.io.workbook.Sheet`). The other file is asked too when it is the same workbook with no
    sheet named (one workbook given for both). Empty for any other error."""
    from leakopt.config import load_config
    from leakopt.errors import InputError
    from leakopt.io import file_sha256, workbook_sheets
    from leakopt.io.tables import SHEET
    from leakopt.io.workbook import CHOOSE_LEAKS, CHOOSE_PIPES
    choice = getattr(exc, "sheet_choice", None)   # several tables, or a sheet not found: the reader says whose
    asked = "columns" if choice == CHOOSE_PIPES else "leak_columns" if choice == CHOOSE_LEAKS else None
    path = paths.get(MAPPED_FILE[asked]) if asked else None
    if path is None:
        return {}
    try:
        sheets = [s for s in workbook_sheets(path) if s.rows]
        config = load_config(paths.get("config"))
    except InputError:
        log.info("no sheet to choose from in %s", path, exc_info=True)
        return {}
    plan = {asked: sheets}
    other = "leak_columns" if asked == "columns" else "columns"
    same = paths.get(MAPPED_FILE[other])
    if same and SHEET not in getattr(config, other) and file_sha256(same) == file_sha256(path):
        plan[other] = sheets
    return {table: plan[table] for table in MAPPED_FILE if table in plan}


def _check(given: dict, mapping: dict[str, dict[str, str]] | None = None) -> None:
    """Check the files ``given`` (role -> path, as uploaded), with the form's ``mapping`` (table ->
    {contract name: the file's column}) added to their configuration, into the session: the result, or
    the error (and the mapping form's plan when columns are missing). The session keeps the files as
    given and the mapping apart, so that a file uploaded later drops the mapping made for the one it
    replaces. The files are read once, by :func:`column_plan`; only if planning itself fails (a bug,
    not the data) are they checked plainly."""
    import streamlit as st

    from leakopt.errors import InputError, MissingColumnsError
    from leakopt.pipeline.check import CheckResult, column_choices
    for key in ("up_checked", "up_failed"):
        st.session_state.pop(key, None)
    for key in [k for k in st.session_state if str(k).startswith(("up_map_", "up_sheet_"))]:
        del st.session_state[key]   # the last form's choices: the new one starts from these files' likely columns
    mapping = {table: columns for table, columns in (mapping or {}).items() if columns}
    entry = {"given": given, "mapping": mapping}
    try:
        paths = map_columns(given, mapping) if mapping else dict(given)
    except Exception as exc:   # noqa: BLE001 - a configuration the mapping cannot complete: said, not raised
        st.session_state["up_failed"] = {**entry, "paths": given, "error": exc, "plan": None}
        return
    entry["paths"] = paths
    try:
        plan = column_plan(paths)
    except InputError as exc:   # the reader's "which sheet?" is asked in a form (sheet_plan)
        st.session_state["up_failed"] = {**entry, "error": exc, "plan": None, "sheets": sheet_plan(paths, exc)}
        return
    except Exception:   # noqa: BLE001 - the form is a help; the plain check below still says what is wrong
        log.warning("no column plan for the uploaded files", exc_info=True)
        try:
            st.session_state["up_checked"] = {**entry, "result": check(paths)}
        except Exception as exc:   # noqa: BLE001 - shown as a message, never a traceback
            form = isinstance(exc, MissingColumnsError)
            st.session_state["up_failed"] = {**entry, "error": exc, "plan": CheckResult(
                None, error=exc, columns={exc.table: exc.columns}, choices=column_choices(exc)) if form else None,
                "sheets": sheet_plan(paths, exc)}
        return
    if plan.choices:   # columns under other names: asked in the form, even those a guess found
        st.session_state["up_failed"] = {**entry, "error": plan.first_missing, "plan": plan}
    else:
        st.session_state["up_checked"] = {**entry, "result": summary(plan.utility)}


def _mapping_form(t, failed: dict) -> None:
    import streamlit as st

    plan = failed["plan"]
    st.subheader(t("up_map_title"))
    st.caption(t("up_map_caption"))
    with st.form("up_map"):
        chosen = {}
        for table in plan.columns:
            choices = [c for c in plan.choices if c.table == table]
            if not choices:
                continue
            st.markdown(f"**{t('up_map_' + table)}**")
            columns = plan.columns[table]
            for c in choices:
                index = columns.index(c.column) + 1 if c.column in columns else 0
                optional = "up_map_optional_leaks" if table == "leak_columns" else "up_map_optional"
                name = t(f"up_col_{c.name}") if f"up_col_{c.name}" in t.table else c.name
                label = t(optional, name=name) if c.optional else name
                chosen[c] = st.selectbox(label, ["—", *columns], index=index, key=f"up_map_{table}_{c.name}")
        submitted = st.form_submit_button(t("up_map_apply"), type="primary")
    if not submitted:
        return
    if any(v == "—" and not c.optional for c, v in chosen.items()):
        st.warning(t("up_map_all"))
        return
    mapping = {table: dict(columns) for table, columns in failed["mapping"].items()}
    for c, v in chosen.items():
        if v != "—":
            mapping.setdefault(c.table, {})[c.name] = v
    _check(failed["given"], mapping)
    st.rerun()


def sheet_option(t, sheet) -> str:
    """A sheet as the form lists it: "Mains (300 non-blank rows)", "Codes (12 non-blank rows, hidden)"."""
    rows = t.counted("up_sheet_rows", sheet.rows)
    return t("up_sheet_option_hidden" if sheet.hidden else "up_sheet_option", name=sheet.name, rows=rows)


def _sheet_form(t, failed: dict) -> None:
    """Ask the sheet of each workbook whose sheets hold several tables (``failed["sheets"]``), none chosen
    beforehand: the reader does not guess, nor does the page. The choice goes into the configuration's
    ``[columns]`` / ``[leak_columns]`` as ``sheet``, and the files are checked again."""
    import streamlit as st

    from leakopt.io.tables import SHEET
    sheets, given = failed["sheets"], failed["given"]
    names = list(dict.fromkeys(Path(given[MAPPED_FILE[table]]).name for table in sheets))
    missing = getattr(failed.get("error"), "sheet_missing", None)   # the configuration named a sheet not there
    st.warning(t("up_sheet_missing", names=escape_markdown(", ".join(names)), sheet=escape_markdown(missing))
               if missing is not None else t("up_sheet_need", names=escape_markdown(", ".join(names))))
    with st.form("up_sheet"):
        chosen = {}
        for table, listed in sheets.items():
            by_name = {s.name: s for s in listed}
            chosen[table] = st.selectbox(
                t(f"up_sheet_{table}", name=escape_markdown(Path(given[MAPPED_FILE[table]]).name)), list(by_name),
                index=None, placeholder=t("up_sheet_placeholder"), key=f"up_sheet_{table}",
                format_func=lambda name, by_name=by_name: sheet_option(t, by_name[name]))
        submitted = st.form_submit_button(t("up_sheet_apply" if len(sheets) == 1 else "up_sheet_apply_both"),
                                          type="primary")
    if not submitted:
        return
    if any(v is None for v in chosen.values()):
        st.warning(t("up_sheet_all"))
        return
    mapping = {table: dict(columns) for table, columns in failed["mapping"].items()}
    for table, name in chosen.items():
        mapping.setdefault(table, {})[SHEET] = name
    _check(failed["given"], mapping)
    st.rerun()


def _kept(t, files: dict, entry: dict) -> None:
    """Say which of the files checked (``entry``) are not in the uploaders now, kept from before, with
    a button that forgets them (the uploaders cannot: emptied, they are what another page leaves)."""
    import streamlit as st
    given = entry.get("given", entry["paths"])
    kept = [Path(given[role]).name for role, *_ in UPLOADS if given.get(role) and not files.get(role)]
    if not kept:
        return
    if all(not f for f in files.values()):   # back from another page: the uploaders are empty
        names = ", ".join(Path(given[role]).name for role, *_ in UPLOADS if given.get(role))
        st.info(t("up_kept", names=escape_markdown(names)))
    else:
        st.info(t("up_kept_some", names=escape_markdown(", ".join(kept))))
    if st.button(t("up_forget"), key="up_forget"):
        for key in ("up_checked", "up_failed"):
            st.session_state.pop(key, None)
        st.rerun()


def render(t, lang: str) -> None:
    import streamlit as st

    from leakopt.app.validation import render_checks
    from leakopt.app.widgets import missing_columns_message, progress_bars, show_error
    from leakopt.errors import MissingColumnsError
    st.header(t("up_title"))
    st.caption(t("up_caption"))
    files = {role: st.file_uploader(t(key), type=types, key=f"up_{role}", accept_multiple_files=several,
                                    help=t(f"{key}_help") if f"{key}_help" in t.table else None)
             for role, key, types, several in UPLOADS}
    if st.button(t("up_check"), key="up_check", type="primary"):
        # the files checked before stay for the kinds not uploaded again (the page says they are kept),
        # and so do the columns mapped in them; a file uploaded again is read under its own names
        before = st.session_state.get("up_checked") or st.session_state.get("up_failed") or {}
        kept = {role: path for role, path in (before.get("given") or {}).items() if path and Path(path).exists()}
        mapping = {table: columns for table, columns in (before.get("mapping") or {}).items()
                   if files.get(MAPPED_FILE.get(table, "config")) is None and files.get("config") is None}
        for key in ("up_checked", "up_failed"):
            st.session_state.pop(key, None)
        model = files.get("model") or []
        singles = {role: f for role, f in files.items() if role != "model"}
        workbook = next((f.name for f in singles.values() if f is not None
                         and Path(f.name).suffix.lower().lstrip(".") in OTHER_SPREADSHEETS), None)
        if workbook:
            st.warning(t("up_workbook", name=escape_markdown(workbook)))
            return
        if (files["pipes"] is None and "pipes" not in kept) or (
                files["leaks"] is None and "leaks" not in kept and not model and "model" not in kept):
            st.warning(t("up_need"))
            return
        if model and not data.model_files_complete([f.name for f in model]):
            st.warning(t("up_model_files", names=escape_markdown(", ".join(f.name for f in model))))
            return
        try:
            paths = {role: str(data.save_upload(f.name, f.getvalue())) for role, f in singles.items() if f is not None}
            if model:   # without a leak file the run has no history (``leakopt run --model`` without --leaks)
                paths["model"] = str(data.save_model({f.name: f.getvalue() for f in model}))
        except Exception as exc:   # noqa: BLE001
            show_error(t, exc)
            return
        if model and not model_readable(paths):
            st.warning(t("up_model_bad", names=escape_markdown(", ".join(f.name for f in model))))
            return
        for role, path in kept.items():
            if role == "model" and files["leaks"] is not None:
                continue   # a leak history uploaded now is learnt from, not the model kept from before
            paths.setdefault(role, path)
        _check(paths, mapping)
    failed = st.session_state.get("up_failed")
    if failed:
        _kept(t, files, failed)
        if failed.get("sheets"):   # the reader's question (which sheet?) asked in a form, not as an error
            _sheet_form(t, failed)
            return
        if failed["plan"] is not None and isinstance(failed["error"], MissingColumnsError) and failed["error"].where:
            # the form below is the app's way to map them; the message names the file and its columns as written
            st.error(escape_markdown(missing_columns_message(t, failed["error"])))
        else:
            show_error(t, failed["error"])
        if failed["plan"] is not None:
            _mapping_form(t, failed)
        return
    checked = st.session_state.get("up_checked")
    if not checked:
        return
    r = checked["result"]
    _kept(t, files, checked)
    st.success(t("up_ok" if r["n_leaks"] > 1 else "up_ok_le1", pipes=t.number(r["n_pipes"]), km=t.length(r["length_m"]),
                 leaks=t.number(r["n_leaks"]), date=t.date(r["as_of"])))
    model = checked["paths"].get("model")
    if model:
        st.info(t("up_model_used"))
    no_rows = not r["n_leaks"] and not (r["validation"].get("summary") or {}).get("leaks_read")
    if not model and not r["n_leaks"]:   # nothing to learn from: say so here, not as the run's error
        st.warning(t("up_no_leak_rows" if no_rows else "up_no_leak"))
    config = checked["paths"].get("config")
    if config and Path(config).name == MAPPING_FILE:
        st.download_button(t("up_map_save"), Path(config).read_bytes(), file_name=MAPPING_FILE,
                           mime="application/toml", key="up_map_save")
    render_checks(t, r["validation"])
    if st.button(t("up_run"), key="up_run", type="primary", disabled=not (r["n_leaks"] or model or no_rows)):
        paths = checked["paths"]
        try:
            with st.status(t("up_running"), expanded=True) as status:
                run_dir = data.run_inputs({k: paths.get(k) for k in ("pipes", "leaks", "network", "model")},
                                          config_path=paths.get("config"), lang=lang,
                                          progress=progress_bars(t))
                status.update(label=t("run_done"), state="complete", expanded=False)
        except Exception as exc:   # noqa: BLE001
            show_error(t, exc)
            return
        st.session_state["user_run"] = {"run_dir": str(run_dir)}
        st.success(t("up_done"))

"""Downloads: the run's files, as the command line writes them."""
from __future__ import annotations

from pathlib import Path

#: (text key, file name, MIME type), in the order shown.
FILES = (
    ("dl_risk_csv", "risk.csv", "text/csv"),
    ("dl_risk_geojson", "risk.geojson", "application/geo+json"),
    ("dl_consequence", "consequence.csv", "text/csv"),
    ("dl_risk_matrix", "risk_matrix.json", "application/json"),
    ("dl_priority", "priority.json", "application/json"),
    ("dl_backtest", "backtest.json", "application/json"),
    ("dl_sensors", "sensors.csv", "text/csv"),
    ("dl_placement", "placement.json", "application/json"),
    ("dl_tradeoff", "tradeoff.csv", "text/csv"),
    ("dl_campaign", "campaign.csv", "text/csv"),            # leakopt campaign --out DIR
    ("dl_pressure", "pressure_sensors.csv", "text/csv"),    # leakopt sensors --kind pressure --out DIR
    ("dl_renewal", "renewal_plan.csv", "text/csv"),
    ("dl_renewal_json", "renewal.json", "application/json"),
    ("dl_report", "report.html", "text/html"),
    ("dl_validation", "validation.json", "application/json"),
    ("dl_manifest", "manifest.json", "application/json"),
)


def available(run_dir: Path) -> list[tuple[str, Path, str]]:
    """The downloadable files that exist in ``run_dir``: (text key, path, MIME type)."""
    return [(key, Path(run_dir) / name, mime) for key, name, mime in FILES if (Path(run_dir) / name).is_file()]


def report_language(path: Path) -> str | None:
    """The ``lang`` of an HTML report (from its ``<html lang="..">`` tag), None if unreadable."""
    import re
    try:
        head = Path(path).read_text(encoding="utf-8", errors="replace")[:400]
    except OSError:
        return None
    match = re.search(r'<html lang="([a-z]{2})"', head)
    return match.group(1) if match else None


def report_in(run_dir: Path, lang: str) -> bytes:
    """The run's report written in ``lang`` (into a scratch folder: the run folder is left as it is)."""
    import tempfile

    from leakopt.report import write_report
    with tempfile.TemporaryDirectory() as tmp:
        return write_report(run_dir, lang=lang, out=Path(tmp) / f"report_{lang}.html").read_bytes()


def render(ctx) -> None:
    import streamlit as st
    t, run = ctx.t, ctx.run
    st.header(t("dl_title"))
    st.caption(t("dl_caption"))
    for key, path, mime in available(run.run_dir):
        size = path.stat().st_size
        written_in = report_language(path) if key == "dl_report" else None
        if written_in not in (None, ctx.lang) and f"dl_report_in_{written_in}" in t.table:
            key = f"dl_report_in_{written_in}"   # the run's report, in the other language: say which
        st.download_button(f"{t(key)} · {path.name} · {t.size(size)}",
                           data=path.read_bytes(), file_name=path.name, mime=mime, key=f"dl_{path.name}",
                           on_click="ignore")
    report = Path(run.run_dir) / "report.html"
    if report.is_file() and report_language(report) not in (None, ctx.lang):
        # the run's report is in the other language: offer one in the language on screen
        cached = st.cache_data(show_spinner=t("dl_report_making"))(_report_bytes)
        data = cached(str(run.run_dir), ctx.lang, report.stat().st_mtime_ns)
        st.download_button(f"{t('dl_report_lang')} · report_{ctx.lang}.html", data=data,
                           file_name=f"report_{ctx.lang}.html", mime="text/html", key="dl_report_lang",
                           on_click="ignore")


def _report_bytes(run_dir: str, lang: str, mtime_ns: int) -> bytes:
    """Cached by run folder, language and the report's time stamp (a re-run makes a new one)."""
    return report_in(Path(run_dir), lang)

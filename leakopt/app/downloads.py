"""Downloads: the run's files, as the command line writes them."""
from __future__ import annotations

from pathlib import Path

#: (text key, file name, MIME type), in the order shown.
FILES = (
    ("dl_risk_csv", "risk.csv", "text/csv"),
    ("dl_risk_geojson", "risk.geojson", "application/geo+json"),
    ("dl_sensors", "sensors.csv", "text/csv"),
    ("dl_renewal", "renewal_plan.csv", "text/csv"),
    ("dl_report", "report.html", "text/html"),
    ("dl_validation", "validation.json", "application/json"),
    ("dl_manifest", "manifest.json", "application/json"),
)


def available(run_dir: Path) -> list[tuple[str, Path, str]]:
    """The downloadable files that exist in ``run_dir``: (text key, path, MIME type)."""
    return [(key, Path(run_dir) / name, mime) for key, name, mime in FILES if (Path(run_dir) / name).is_file()]


def render(ctx) -> None:
    import streamlit as st
    t, run = ctx.t, ctx.run
    st.header(t("dl_title"))
    st.caption(t("dl_caption"))
    for key, path, mime in available(run.run_dir):
        size = path.stat().st_size
        st.download_button(f"{t(key)} · {path.name} · {t.number(size / 1024, decimals=0)} kB",
                           data=path.read_bytes(), file_name=path.name, mime=mime, key=f"dl_{path.name}",
                           on_click="ignore")

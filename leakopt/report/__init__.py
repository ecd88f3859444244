"""Stage 6, report: a self-contained HTML report of a run folder, in English or French.

It reads only the run folder's files (:func:`load_run`), so a report can be
rebuilt from any earlier run, and it is written for non-specialists: map,
priority zone, sensors, logger campaign, pressure sensors, renewal plan, model
validation, data quality.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.build`             :class:`ReportConfig`, reading the run folder, the page
:mod:`.sections`          one function per section of the page
:mod:`.monitoring`        the logger campaign and pressure sensor sections (shown when present)
:mod:`.maps`              maps and charts (matplotlib, no basemap: works offline)
:mod:`.html`              escaped text, paragraphs, tables, figures
:mod:`.text`              the report's sentences in English and French
========================  ===================================================================
"""

from leakopt.report.build import (
    SECTIONS,
    ReportConfig,
    RunFolder,
    build_html,
    load_run,
    read_json_document,
    write_report,
)

__all__ = ["write_report", "build_html", "load_run", "read_json_document", "RunFolder", "ReportConfig", "SECTIONS"]

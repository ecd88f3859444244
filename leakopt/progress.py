"""Progress reports: the one callback convention of leakopt's long functions.

A long function takes ``progress: Progress | None = None`` and calls
``progress(step, done, total)`` as its work advances: ``step`` says what is
being done ("boosting rounds", "cutoff 2019-01-01"), and ``done`` of ``total``
units of it are finished.  The pipeline names each stage with :func:`within`,
so the steps of a run read "risk: boosting rounds", "backtest: cutoff
2019-01-01"; :func:`stage_of` gives the stage back.  The command line draws one
line per stage (:class:`leakopt.cli.Progress`), the app one ``st.progress`` bar
per stage.
"""
from __future__ import annotations

from collections.abc import Callable

#: ``progress(step, done, total)``: ``done`` of ``total`` units of ``step`` are finished.
Progress = Callable[[str, int, int], None]


def silent(step: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


def within(progress: Progress | None, stage: str) -> Progress:
    """``progress`` with every step put under ``stage`` ("stage: step"); :func:`silent` for None."""
    if progress is None:
        return silent

    def report(step: str, done: int, total: int) -> None:
        progress(f"{stage}: {step}", done, total)
    return report


def stage_of(step: str) -> str:
    """The stage of a step named by :func:`within` ("risk: boosting rounds" -> "risk")."""
    return step.split(":", 1)[0]


def fraction(done: int, total: int) -> float:
    """``done / total`` clipped to [0, 1] (1 when there is nothing to do)."""
    return min(max(done / total, 0.0), 1.0) if total > 0 else 1.0


def describe(step: str, done: int, total: int) -> str:
    """The line shown for a report: "backtest: cutoff 2019-01-01 2/3"."""
    return f"{step} {done}/{total}"

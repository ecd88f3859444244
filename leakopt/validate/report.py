"""The validation report: every data problem found, counted, with examples (``validation.json``).

Severities: ``error`` (rows left out), ``warning`` (values repaired, imputed or
taken from another source), ``info`` (facts worth knowing).  Each issue's message is
written in English (``message``) and French (``message_fr``) from the templates of
:mod:`leakopt.validate.messages`.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leakopt.errors import InputError
from leakopt.i18n import in_french
from leakopt.io.outputs import to_jsonable, write_json
from leakopt.schema import GEOMETRY
from leakopt.validate.messages import PHRASES, localized, render, translated

log = logging.getLogger(__name__)

ROW = "_row"                 # 1-based data row of the input file, for examples
LENGTH_IMPUTED = "length_imputed"
SEVERITIES = ("error", "warning", "info")


def issues_in_order(issues) -> list:
    """Issues of ``validation.json`` as a reader takes them: the most serious first, then by how many rows."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(issues, key=lambda i: (rank.get(i.get("severity"), len(SEVERITIES)), -int(i.get("count") or 0)))


@dataclass(frozen=True)
class Issue:
    """One kind of data problem: how many rows, what was done, examples; ``message_fr`` is its French
    (None where the code has no French template)."""

    code: str
    severity: str
    count: int
    message: str
    examples: tuple = ()
    file: str | None = None
    column: str | None = None
    fatal: bool = False
    message_fr: str | None = None
    #: The figures the messages were written from (a unit check's ratio...), for code that acts on them; not
    #: written to ``validation.json``, whose messages say them.
    params: dict | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """The issue for ``validation.json``, ``message_fr`` beside ``message``."""
        doc = asdict(replace(self, params=None))
        doc.pop("params")
        out = {}
        for name, value in doc.items():
            if name != "message_fr":
                out[name] = value
            if name == "message":
                out["message_fr"] = doc["message_fr"]
        return out


@dataclass
class ValidationReport:
    """Every data problem found, with counts and examples, and a summary of what was kept."""

    sources: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    max_examples: int = 10

    def add(self, code: str, severity: str, count: int, message: str | None = None, *, params: dict | None = None,
            key: str | None = None, examples=None, file: str | None = None, column: str | None = None,
            fatal: bool = False) -> Issue | None:
        """Record an issue (nothing when ``count`` is 0); ``examples`` may be a DataFrame.

        The message is the template ``key`` (default: ``code``) of :data:`~leakopt.validate.messages.MESSAGES`
        filled with ``params``, in English and in French; a ``message`` given is the English as is (the
        French is still rendered when ``params`` are given and the key has a French template).
        The issue is logged (a warning; ``info`` at INFO level), except a ``fatal`` one: the error
        :meth:`fail` raises says it, once.
        """
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
        if not count:
            return None
        key = key or code
        if message is None:
            message = render(key, "en", params)
        message_fr = render(key, "fr", params) if params is not None and translated(key) else None
        if isinstance(examples, pd.DataFrame):
            examples = examples.head(self.max_examples).drop(columns=[GEOMETRY], errors="ignore")
            examples = examples.rename(columns={ROW: "row"}).to_dict(orient="records")
        issue = Issue(code, severity, int(count), message, tuple(examples or ())[: self.max_examples],
                      None if file is None else str(file), column, fatal, message_fr, params)
        self.issues.append(issue)
        if not fatal:   # a fatal issue is said once, by the error :meth:`fail` raises (the exit-2 paragraph)
            log.log(logging.INFO if severity == "info" else logging.WARNING, "%s: %s", code, message,
                    extra=in_french("%s: %s", code, message_fr) if message_fr else None)
        return issue

    def fail(self, code: str, message: str | InputError | None = None, *, params: dict | None = None,
             key: str | None = None, file=None, column=None, count: int = 1, examples=None):
        """Record a fatal issue and raise :class:`InputError` with its English message; ``message`` may be the
        error itself (a subclass that carries more, such as the columns a file lacks), raised as is.

        Without ``message``, the English is the template ``key`` (default ``code``) filled with ``params``;
        the issue's ``message_fr`` is its French.
        """
        if message is None:
            message = render(key or code, "en", params)
        fr = render(key or code, "fr", params) if params is not None and translated(key or code) else None
        exc = message if isinstance(message, InputError) else InputError(message, fr=fr)
        self.add(code, "error", count, str(exc), params=params, key=key, examples=examples, file=file,
                 column=column, fatal=True)
        exc.report = self
        raise exc

    def get(self, code: str) -> Issue | None:
        """The issue with this code, or None."""
        return next((i for i in self.issues if i.code == code), None)

    @property
    def fatal(self) -> list:
        return [i for i in self.issues if i.fatal]

    @property
    def problems(self) -> list:
        """Errors and warnings (what ``strict`` refuses)."""
        return [i for i in self.issues if i.severity in ("error", "warning")]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for ``validation.json``."""
        counts = {s: sum(1 for i in self.issues if i.severity == s) for s in SEVERITIES}
        return to_jsonable({"sources": self.sources, "summary": self.summary, "issue_counts": counts,
                            "issues": [i.to_dict() for i in self.issues],
                            "fatal": [i.to_dict() for i in self.fatal]})

    def write_merged(self, path, *, replace_codes=()) -> None:
        """Write this report to ``path`` (``validation.json``), keeping the issues a file already there holds.

        Its issues with a code in ``replace_codes`` are dropped first (a stage run again replaces
        its own findings); its summary and sources are kept; ``issue_counts`` are recounted.
        """
        path = Path(path)
        doc = self.to_dict()
        try:
            old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        except (ValueError, OSError):
            old = None
        if isinstance(old, dict) and isinstance(old.get("issues"), list):
            issues = [i for i in old["issues"] if i.get("code") not in replace_codes] + doc["issues"]
            doc = {**old, "issues": issues,
                   "issue_counts": {s: sum(1 for i in issues if i.get("severity") == s) for s in SEVERITIES}}
        write_json(doc, path)

    def text(self) -> str:
        """One line per issue, most severe first."""
        order = {s: n for n, s in enumerate(SEVERITIES)}
        return "\n".join(f"[{i.severity}] {i.code} ({i.count}): {i.message}"
                         for i in sorted(self.issues, key=lambda i: order[i.severity]))


def example_rows(frame: pd.DataFrame, mask, cols) -> pd.DataFrame:
    cols = [ROW] + [c for c in cols if c in frame.columns and c != ROW]
    return frame.loc[np.asarray(mask, dtype=bool), cols]


def source_name(sources: dict, role: str) -> str:
    """The file of ``role`` (``pipes``, ``leaks``), else "the pipes table" (in French too: :class:`Localized`)."""
    if sources.get(role):
        return sources[role]
    return localized(f"table_{role}") if f"table_{role}" in PHRASES else f"the {role} table"


def value_stats(values: pd.Series) -> dict | None:
    if values.empty:
        return None
    q = [float(v) for v in values.quantile([0.0, 0.5, 0.9, 1.0]).round(2)]
    return {"min": q[0], "median": q[1], "p90": q[2], "max": q[3], "mean": round(float(values.mean()), 2)}

"""Where the browser tests find Chromium, and what a missing one means.

On a developer's machine without Chromium the browser tests skip, with the
command that installs it.  Under CI (``CI=true``, which most CI services set,
or ``LEAKOPT_REQUIRE_BROWSER=1``, which ``.ci/run`` sets) a missing Chromium
fails them instead, so a green CI run means they ran.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

import pytest

INSTALL = "apt-get update && apt-get install -y chromium"
NAMES = ("chromium", "chromium-browser")   # Debian's name, then older Ubuntu's


def _on(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def browser_required(environ: Mapping[str, str] | None = None) -> bool:
    """True under CI (``CI`` or ``LEAKOPT_REQUIRE_BROWSER`` set to 1/true/yes/on)."""
    env = os.environ if environ is None else environ
    return _on(env.get("CI")) or _on(env.get("LEAKOPT_REQUIRE_BROWSER"))


def require_chromium(environ: Mapping[str, str] | None = None) -> str:
    """Path of Chromium; when it is missing, ``pytest.fail`` under CI and ``pytest.skip`` elsewhere."""
    path = next((p for p in map(shutil.which, NAMES) if p), None)
    if path:
        return path
    if browser_required(environ):
        pytest.fail(f"Chromium is not installed, and CI or LEAKOPT_REQUIRE_BROWSER=1 requires the browser "
                    f"tests to run: install it with '{INSTALL}' (as root), or run .ci/run, which does.",
                    pytrace=False)
    pytest.skip(f"Chromium not found (looked for {', '.join(NAMES)} on PATH): install it with '{INSTALL}'")

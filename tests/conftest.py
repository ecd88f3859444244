"""What the whole suite shares: the demo's run, and how the tests are spread over the cores.

``python -m pytest`` runs on two worker processes (pytest-xdist, ``-n 2 --dist loadgroup`` in
pyproject.toml). Each test module is one group, so its module-scoped fixtures (a synthetic
utility, a run folder, a Streamlit server) are built once, on one worker. Modules that read the
same session fixture are put in one group so that it is built once too (:data:`SHARED_GROUPS`).
``python -m pytest -n 0`` runs everything in one process, e.g. under a debugger.
"""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Test modules that share a session fixture run on the same worker: module name -> group.
SHARED_GROUPS = {
    "test_pipeline": "demo",          # both read `demo_run`
    "test_readme_figures": "demo",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """One xdist group per test module (or per :data:`SHARED_GROUPS` entry)."""
    for item in items:
        module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
        item.add_marker(pytest.mark.xdist_group(SHARED_GROUPS.get(module, module)))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The README's first command (after the install), run once: its folder and what it printed.

    Tests read the folder; none may change it (copy it first).
    """
    out = tmp_path_factory.mktemp("demo")
    proc = subprocess.run([sys.executable, "-m", "leakopt", "demo", "--out", str(out)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stdout

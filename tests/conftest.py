"""What the whole suite shares: the demo's run, and how the tests are spread over the cores.

``python -m pytest`` runs on two worker processes (pytest-xdist, ``-n 2 --dist loadgroup`` in
pyproject.toml). Each test module is one group, so its module-scoped fixtures (a synthetic
utility, a run folder, a Streamlit server) are built once, on one worker. Modules that read the
same session fixture are put in one group so that it is built once too (:data:`SHARED_GROUPS`).
The groups are handed out in the order of the items, the longest first (:data:`LONGEST_FIRST`;
``--no-loadscope-reorder`` keeps xdist from reordering them by their number of tests).
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


#: The longest groups (about 50 to 250 s each on 2 cores), run first so that the two workers end
#: together: a long group started last would leave one worker alone at the end. Only the order of
#: the run depends on this list; a group missing from it runs after them, in file order.
LONGEST_FIRST = ("demo", "test_app_browser", "test_app", "test_risk_synth", "test_distributed", "test_report",
                 "test_notebook", "test_risk", "test_pressure_cli", "test_bench_blind")


def _group(item) -> str:
    module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
    return SHARED_GROUPS.get(module, module)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """One xdist group per test module (or per :data:`SHARED_GROUPS` entry), the longest first."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_group(item), len(rank)))   # stable: file order within a group
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(item)))


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

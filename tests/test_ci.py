"""CI cannot pass with tests silently skipped.

The browser tests skip locally without Chromium but fail under CI
(``_browser.require_chromium`` decides), and ``.ci/run`` sets
``LEAKOPT_REQUIRE_BROWSER=1`` and stops before the tests when it cannot install
Chromium.  ``.ci/run`` is run here on a copy, with stub ``apt-get``,
``chromium``, ``pip`` and ``python`` as the only commands on ``PATH``.
"""
import os
import shutil
import subprocess
from pathlib import Path

import _browser
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(_browser.shutil, "which", lambda name: None)


def test_missing_chromium_skips_locally_with_a_reason(no_chromium):
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        _browser.require_chromium(environ={})
    with pytest.raises(pytest.skip.Exception):
        _browser.require_chromium(environ={"CI": "false", "LEAKOPT_REQUIRE_BROWSER": "0"})


@pytest.mark.parametrize("environ", [{"CI": "true"}, {"CI": "1"}, {"LEAKOPT_REQUIRE_BROWSER": "1"},
                                     {"CI": "false", "LEAKOPT_REQUIRE_BROWSER": "1"}])
def test_missing_chromium_fails_under_ci_with_the_install_command(no_chromium, environ):
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install -y chromium"):
        _browser.require_chromium(environ=environ)


def test_present_chromium_is_returned(monkeypatch):
    monkeypatch.setattr(_browser.shutil, "which", lambda name: "/opt/x/chromium" if name == "chromium" else None)
    assert _browser.require_chromium(environ={"CI": "true"}) == "/opt/x/chromium"
    assert _browser.require_chromium(environ={}) == "/opt/x/chromium"


@pytest.mark.parametrize("require, outcome", [("1", "1 failed"), ("", "1 skipped")])
def test_a_browser_test_without_chromium_fails_under_ci_and_skips_locally(tmp_path, require, outcome):
    """The real thing: one report browser test, run by pytest with no Chromium on PATH."""
    import sys
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "LEAKOPT_REQUIRE_BROWSER")}
    env.update(PATH=str(tmp_path), LEAKOPT_REQUIRE_BROWSER=require)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
                           "tests/test_report.py::test_report_renders_in_headless_chromium[en]"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert outcome in proc.stdout, proc.stdout[-2000:]
    if require:
        assert "apt-get install -y chromium" in proc.stdout


# --- .ci/run ---------------------------------------------------------------------------------------

def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


def _ci_run(tmp_path, *, chromium: bool, apt_get: str | None):
    """Run a copy of .ci/run with only stub commands on PATH; return (process, calls logged by stubs)."""
    repo, bin_ = tmp_path / "repo", tmp_path / "bin"
    (repo / ".ci").mkdir(parents=True)
    bin_.mkdir()
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    log = tmp_path / "calls.log"
    os.symlink(shutil.which("dirname"), bin_ / "dirname")
    _stub(bin_, "pip", f'echo "pip $*" >> {log}')
    _stub(bin_, "python", f'echo "python $* LEAKOPT_REQUIRE_BROWSER=$LEAKOPT_REQUIRE_BROWSER" >> {log}')
    if chromium:
        _stub(bin_, "chromium", "exit 0")
    if apt_get == "installs":
        _stub(bin_, "apt-get", f'echo "apt-get $*" >> {log}; printf "#!/bin/bash\\nexit 0\\n" > {bin_}/chromium; '
                               f"chmod +x {bin_}/chromium")
    elif apt_get == "fails":
        _stub(bin_, "apt-get", f'echo "apt-get $*" >> {log}; exit 100')
    proc = subprocess.run(["/bin/bash", str(repo / ".ci" / "run")], capture_output=True, text=True, timeout=60,
                          env={"PATH": str(bin_), "HOME": str(tmp_path)})
    return proc, (log.read_text().splitlines() if log.exists() else [])


def test_ci_runs_the_tests_with_the_browser_required(tmp_path):
    proc, calls = _ci_run(tmp_path, chromium=True, apt_get=None)
    assert proc.returncode == 0, proc.stderr
    assert calls == ['pip install -e .[test]', "python -m pytest LEAKOPT_REQUIRE_BROWSER=1"]


def test_ci_installs_a_missing_chromium(tmp_path):
    proc, calls = _ci_run(tmp_path, chromium=False, apt_get="installs")
    assert proc.returncode == 0, proc.stderr
    assert calls[-1] == "python -m pytest LEAKOPT_REQUIRE_BROWSER=1"


@pytest.mark.parametrize("apt_get", ["fails", None])
def test_ci_stops_when_chromium_cannot_be_installed(tmp_path, apt_get):
    proc, calls = _ci_run(tmp_path, chromium=False, apt_get=apt_get)
    assert proc.returncode != 0
    assert "chromium" in proc.stderr and "apt-get install -y chromium" in proc.stderr
    assert not any(c.startswith(("pip", "python")) for c in calls), calls


# --- no declared dependency skipped on a failed import ------------------------------------------

def _declared() -> set[str]:
    """Distribution names pyproject.toml declares (dependencies, every extra, and the extras' own extras)."""
    import re
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *(s for v in project["optional-dependencies"].values() for s in v)]
    names = set()
    for spec in specs:
        m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(?:\[([^\]]*)\])?", spec)
        names.add(m.group(1))
        names.update(e.strip() for e in (m.group(2) or "").split(",") if e.strip())
    return {re.sub(r"[-_.]+", "-", n).lower() for n in names}


def _importorskips() -> list[tuple[str, int, str]]:
    import ast
    found = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.append((path.name, node.lineno, node.args[0].value))
    return found


def test_no_declared_dependency_is_imported_with_importorskip():
    """importorskip turns a broken import of leakopt or of a declared dependency into a silent skip."""
    import re
    from importlib.metadata import packages_distributions
    declared, dists = _declared(), packages_distributions()
    hidden = []
    for file, line, module in _importorskips():
        top = module.split(".")[0]
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in dists.get(top, [top])} | {top.lower()}
        if top == "leakopt" or names & declared:
            hidden.append(f"{file}:{line} importorskip({module!r})")
    assert not hidden, ("import these plainly (they are leakopt's own modules or declared in pyproject.toml): "
                        + ", ".join(hidden))

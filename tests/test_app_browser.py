"""End to end: ``streamlit run app.py`` opened in headless Chromium (Debian's, never downloaded).

Every page must render with no exception and no error box, the risk map must
draw its pipes with every request to the internet blocked, and changing
widgets (language, class filter, logger target, renewal budget) must change
what is shown.  Screenshots go to a temporary folder and, when the
``LEAKOPT_SCREENSHOTS`` environment variable names a folder, there too
(``LEAKOPT_SCREENSHOTS=docs/screenshots pytest tests/test_app_browser.py``
makes the README's pictures).

By default the app shows the real pipeline's run of a small synthetic utility
(300 pipes, about a minute to compute).  With ``LEAKOPT_SCREENSHOTS`` set it
opens on the shipped sample, as a user sees it (the sample is analysed once
into the session's temporary cache: several minutes); ``LEAKOPT_APP_RUN_DIR``
shows an existing run folder instead.  The last test drives the "Your data"
page as a user does: it uploads the shipped sample's files (with a small
configuration, about half a minute of analysis), runs them and sees the map.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from _browser import require_chromium
from playwright import sync_api

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browser

PAGES = {"overview": "Overview", "risk_map": "Risk map", "sensors": "Sensors", "renewal": "Renewal",
         "validation": "Validation", "downloads": "Downloads", "upload": "Your data"}
HEADINGS = {"overview": "Overview", "risk_map": "Risk map", "sensors": "Acoustic loggers",
            "renewal": "Renewal plan", "validation": "Validation", "downloads": "Downloads",
            "upload": "Your data"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module", autouse=True)
def chromium() -> str:
    """Chromium's path, looked up before the app is computed: missing, it skips locally and fails under CI."""
    return require_chromium()


@pytest.fixture(scope="module")
def app_env(tmp_path_factory) -> dict:
    """Environment of the app server: a finished run folder it can read at once."""
    if os.environ.get("LEAKOPT_APP_RUN_DIR"):
        return {}
    from leakopt.app import data
    cache = tmp_path_factory.getbasetemp() / "leakopt-app-cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEAKOPT_CACHE_DIR", str(cache))
        if os.environ.get("LEAKOPT_SCREENSHOTS"):
            data.sample_run_dir()
            return {"LEAKOPT_CACHE_DIR": str(cache)}
        from test_app import SMALL_CONFIG

        from leakopt.synth import generate as synth
        base = tmp_path_factory.mktemp("small-e2e")
        paths = synth.write_synth(synth.synthesize(300, seed=5), base / "inputs")
        (base / "config.toml").write_text(SMALL_CONFIG, encoding="utf-8")
        run_dir = data.run_inputs({k: paths[k] for k in ("pipes", "leaks", "network")},
                                  config_path=base / "config.toml")
    return {"LEAKOPT_APP_RUN_DIR": str(run_dir)}


@pytest.fixture(scope="module")
def server(app_env, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    cache = {"LEAKOPT_CACHE_DIR": str(tmp_path_factory.mktemp("server-cache"))}   # uploads never go to ~/.cache
    env = {**os.environ, **cache, **app_env, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer"]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=tmp_path_factory.mktemp("cwd"), env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def page(server, chromium):
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        context = browser.new_context(viewport={"width": 1400, "height": 1500})
        pg = context.new_page()
        pg.outside_requests = []

        def offline(route):   # the app must work with no internet: refuse everything not local
            if route.request.url.startswith(server):
                route.continue_()
            else:
                pg.outside_requests.append(route.request.url)
                route.abort()
        pg.route("**/*", offline)
        pg.goto(server)
        wait_idle(pg)
        yield pg
        browser.close()


def wait_idle(pg, timeout_ms: int = 180_000) -> None:
    """Wait until the script has finished running and the page has settled."""
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    pg.wait_for_timeout(600)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)


def assert_clean(pg) -> None:
    exceptions = pg.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    errors = pg.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()
    body = pg.locator('[data-testid="stMain"]').inner_text()
    assert "Traceback" not in body


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> list[Path]:
    folders = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("LEAKOPT_SCREENSHOTS"):
        folders.append(Path(os.environ["LEAKOPT_SCREENSHOTS"]))
        folders[-1].mkdir(parents=True, exist_ok=True)
    return folders


def screenshot(pg, shots: list[Path], name: str) -> Path:
    first = shots[0] / f"{name}.png"
    pg.screenshot(path=str(first))   # full_page would blank the WebGL map
    for folder in shots[1:]:
        shutil.copyfile(first, folder / f"{name}.png")
    return first


def goto(pg, key: str) -> None:
    pg.locator('[data-testid="stSidebar"] [role="radiogroup"]').nth(1).get_by_text(PAGES[key], exact=True).click()
    wait_idle(pg)
    pg.get_by_role("heading", name=HEADINGS[key]).first.wait_for(timeout=90_000)


def coloured_pixels(png: bytes, rgb: tuple[int, int, int], tol: int = 40) -> int:
    """Pixels of a PNG close to ``rgb``."""
    import io

    import numpy as np
    from PIL import Image
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int((np.abs(img - np.array(rgb)).max(axis=2) < tol).sum())


def wait_map_drawn(pg, timeout_s: float = 45.0) -> bytes:
    """Wait until the first map shows drawn pipes (not just a blank canvas); its screenshot."""
    deck = pg.locator('[data-testid="stDeckGlJsonChart"]').first
    deck.locator("canvas").first.wait_for(timeout=90_000)
    deadline = time.time() + timeout_s
    while True:
        png = deck.screenshot()
        if coloured_pixels(png, (255, 255, 255), tol=8) < 0.995 * _pixels(png) or time.time() > deadline:
            pg.wait_for_timeout(500)
            return deck.screenshot()
        pg.wait_for_timeout(500)


def _pixels(png: bytes) -> int:
    import io

    from PIL import Image
    w, h = Image.open(io.BytesIO(png)).size
    return w * h


def test_every_page_renders_offline(page, shots):
    for key in PAGES:
        goto(page, key)
        assert_clean(page)
        if page.locator('[data-testid="stDeckGlJsonChart"]').count():
            wait_map_drawn(page)
        page.wait_for_timeout(800)     # charts and maps finish drawing
        screenshot(page, shots, key)
        assert _cut_figures(page) == [], key
    assert page.outside_requests == [], page.outside_requests


def _cut_figures(pg) -> list[str]:
    """The metrics' texts cut short ("€4.78 mil…", as Streamlit cut them) in a laptop window, 1,024 pixels
    wide (the page is laid out again, not rerun)."""
    pg.set_viewport_size({"width": 1024, "height": 1100})
    try:
        pg.wait_for_timeout(300)
        return pg.locator('[data-testid="stMetric"] [data-testid="stMarkdownContainer"]').evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
    finally:
        pg.set_viewport_size({"width": 1400, "height": 1500})


def test_risk_map_draws_pipes_without_internet(page, shots):
    goto(page, "risk_map")
    png = wait_map_drawn(page)
    assert coloured_pixels(png, (215, 25, 28)) > 200, "no red (class A) pipe drawn on the map"
    assert coloured_pixels(png, (140, 170, 150)) > 200, "no class D pipe drawn on the map"
    assert page.outside_requests == [], page.outside_requests


def test_widgets_change_what_is_shown(page, shots):
    goto(page, "risk_map")
    before = page.get_by_text("pipes shown").first.inner_text()
    page.locator('[data-testid="stMultiSelect"]').nth(1).click()
    page.get_by_role("option", name="A", exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)
    after = page.get_by_text("pipes shown").first.inner_text()
    assert after != before
    assert_clean(page)

    goto(page, "renewal")
    avoided = _metric(page, "Expected leaks avoided")
    page.locator('[data-testid="stSlider"] input[type="range"]').first.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(
        "old => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => "
        "m.innerText.includes('Expected leaks avoided') && !m.innerText.includes(old))",
        arg=avoided, timeout=60_000)
    assert_clean(page)
    screenshot(page, shots, "renewal_budget_changed")

    page.locator('[data-testid="stSidebar"] [role="radiogroup"]').first.get_by_text("Français").click()
    wait_idle(page)
    page.get_by_role("heading", name="Plan de renouvellement").first.wait_for(timeout=90_000)
    assert_clean(page)
    page.locator('[data-testid="stSidebar"] [role="radiogroup"]').nth(1).get_by_text("Synthèse").click()
    wait_idle(page)
    page.wait_for_timeout(800)
    screenshot(page, shots, "overview_fr")
    page.locator('[data-testid="stSidebar"] [role="radiogroup"]').first.get_by_text("English").click()
    wait_idle(page)


def test_switching_language_back_and_forth_keeps_the_page(page):
    # The browser's page menu, its labels changed, fell back to the first page at the second switch of
    # language (Risk map -> Carte des risques -> Overview); AppTest does not show it, a browser does.
    goto(page, "risk_map")
    language = page.locator('[data-testid="stSidebar"] [role="radiogroup"]').first
    for name, heading in (("Français", "Carte des risques"), ("English", "Risk map"),
                          ("Français", "Carte des risques"), ("English", "Risk map")):
        language.get_by_text(name).click()
        wait_idle(page)
        page.wait_for_timeout(800)
        assert page.locator('[data-testid="stMain"] h2').first.inner_text() == heading, name
    assert_clean(page)


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


UPLOAD_CONFIG = """
[risk]
use_hydraulics = false

[backtest]
walk_forward_cutoffs = 1

[placement]
tradeoff_points = 3
"""


def wait_text(pg, text: str, *, timeout_ms: int) -> None:
    """Wait until ``text`` shows; on a time-out, fail with what the page shows instead (errors, state)."""
    try:
        pg.get_by_text(text).first.wait_for(timeout=timeout_ms)
    except Exception as exc:   # playwright's TimeoutError: say what the user would have seen
        state = pg.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        shown = " ".join(pg.locator("section.main, [data-testid='stMain']").first.inner_text().split())[:1500]
        raise AssertionError(f"{text!r} did not show within {timeout_ms / 1000:.0f} s (script {state}); "
                             f"the page shows: {shown}") from exc


def click_until(pg, button: str, text: str, *, tries: int = 3, timeout_ms: int = 180_000) -> None:
    """Click ``button`` until ``text`` shows: Streamlit drops a click that lands while the script reruns
    (after an upload), leaving the page idle with nothing done; a second click is what a user would do."""
    for attempt in range(tries):
        pg.get_by_role("button", name=button).click()
        try:
            pg.get_by_text(text).first.wait_for(timeout=20_000 if attempt < tries - 1 else 1)
            return
        except Exception:   # playwright's TimeoutError
            state = pg.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
            if state == "running":          # working, not lost: wait for it
                wait_text(pg, text, timeout_ms=timeout_ms)
                return
    wait_text(pg, text, timeout_ms=timeout_ms)


def _upload(pg, label: str, path: Path, *, tries: int = 3) -> None:
    """Upload ``path`` in the uploader labelled ``label``, once the app is idle: each upload reruns the
    script and redraws the uploaders, and a file given to an uploader being redrawn is lost (then given
    again, as a user would)."""
    for attempt in range(tries):
        wait_idle(pg)
        box = pg.locator('[data-testid="stFileUploader"]').filter(has_text=label)
        box.locator('input[type="file"]').set_input_files(str(path))
        try:
            box.get_by_text(path.name).first.wait_for(timeout=30_000 if attempt < tries - 1 else 120_000)
            return
        except Exception:   # playwright's TimeoutError: the upload was lost in a redraw
            if attempt == tries - 1:
                raise


def _run_and_watch_progress(pg, timeout_s: float = 600.0) -> list[str]:
    """Click "Run the analysis" and record the progress bars' texts until the run is over."""
    wait_idle(pg)            # a click during a rerun is lost
    pg.get_by_role("button", name="Run the analysis").click()
    seen, deadline = [], time.time() + timeout_s
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', timeout=120_000)
    while time.time() < deadline:
        for text in pg.locator('[data-testid="stProgress"]').all_inner_texts():
            if text.strip() and text.strip() not in seen:
                seen.append(text.strip())
        if pg.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').count():
            break
        pg.wait_for_timeout(150)
    wait_idle(pg)
    return seen


def test_upload_of_a_raw_export_is_mapped_in_the_page(page, shots, tmp_path):
    """A register exported under its GIS names: the check says which columns are missing and offers
    them pre-filled with the likely ones; one click on the form and the files load."""
    import pandas as pd
    raw = pd.read_csv(ROOT / "data_samples" / "pipes.csv").rename(
        columns={"pipe_id": "WATMAINID", "install_year": "INSTALLATION_DATE"})
    raw.to_csv(tmp_path / "mains.csv", index=False)
    goto(page, "upload")
    _upload(page, "Pipes (asset register", tmp_path / "mains.csv")
    _upload(page, "Leak history", ROOT / "data_samples" / "leaks.csv")
    wait_idle(page)
    click_until(page, "Check the files", "Which of your columns is which?")
    error = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    # the app's way, not the command line's: the form below maps them (pre-filled with the likely columns)
    assert "required columns pipe_id, install_year not found" in error and "Choose below" in error, error
    assert "--config" not in error, error
    wait_idle(page)
    boxes = page.locator('[data-testid="stSelectbox"]')
    boxes.nth(1).wait_for(timeout=30_000)
    assert [(boxes.nth(i).inner_text().split("\n")[0], boxes.nth(i).locator("input").input_value()) for i in range(2)] == [
        ("Pipe ID (pipe_id)", "WATMAINID"), ("Year laid (install_year)", "INSTALLATION_DATE")]
    screenshot(page, shots, "upload_mapping")
    click_until(page, "Use these columns and check again", "The files load: 4,000 pipes")
    wait_idle(page)
    assert_clean(page)
    page.get_by_role("button", name="Download this configuration (for leakopt run --config)").wait_for(timeout=30_000)


def _finished_run(app_env) -> Path:
    """A finished run folder (its model.txt, model.txt.glm.json): the one the server shows, or the sample's."""
    given = app_env.get("LEAKOPT_APP_RUN_DIR") or os.environ.get("LEAKOPT_APP_RUN_DIR")
    if given:
        return Path(given)
    from leakopt.app import data
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEAKOPT_CACHE_DIR", app_env["LEAKOPT_CACHE_DIR"])
        return data.sample_run_dir()


def test_a_register_alone_is_checked_with_a_model_uploaded_as_two_files(page, app_env):
    """No leak history, and another run's model given as its two files at once in one uploader."""
    run = _finished_run(app_env)
    page.reload()   # a new session: none of the files an earlier test checked is kept
    wait_idle(page)
    goto(page, "upload")
    _upload(page, "Pipes (asset register", ROOT / "data_samples" / "pipes.csv")
    wait_idle(page)
    box = page.locator('[data-testid="stFileUploader"]').filter(has_text="Model from another run")
    box.locator('input[type="file"]').set_input_files([str(run / "model.txt"), str(run / "model.txt.glm.json")])
    box.get_by_text("model.txt.glm.json").first.wait_for(timeout=60_000)
    wait_idle(page)
    click_until(page, "Check the files", "The files load: 4,000 pipes")
    assert_clean(page)
    wait_text(page, "The pipes will be scored by the model you uploaded", timeout_ms=30_000)
    assert " 0 usable leak records" in page.locator('[data-testid="stMain"]').inner_text()   # no history given
    assert page.get_by_role("button", name="Run the analysis").is_enabled()


def test_upload_run_and_see_the_map(page, shots, tmp_path):
    """A user's first analysis: upload the register, the leaks and the network (a 1,000-pipe utility of
    `leakopt synth`: a quarter of the sample, the same path in a quarter of the time) with a configuration,
    check them, run with a progress bar per stage, and see the risk map of their data, named by its files,
    with no temporary path on screen."""
    import re

    from leakopt import synth
    sample = tmp_path / "utility"
    synth.write_synth(synth.synthesize(1000, seed=4), sample)
    config = tmp_path / "quick.toml"
    config.write_text(UPLOAD_CONFIG, encoding="utf-8")
    goto(page, "upload")
    _upload(page, "Pipes (asset register", sample / "pipes.csv")
    _upload(page, "Leak history", sample / "leaks.csv")
    _upload(page, "Network (EPANET", sample / "network.inp")
    _upload(page, "Configuration (TOML", config)
    wait_idle(page)          # each upload reruns the script: a click during a rerun is lost
    click_until(page, "Check the files", "The files load: 1,000 pipes")
    assert_clean(page)
    screenshot(page, shots, "upload_checked")

    progress = _run_and_watch_progress(page)
    assert_clean(page)
    wait_text(page, "Done: the other pages now show your data.", timeout_ms=60_000)
    counted = [p for p in progress if re.fullmatch(r"(load|risk|backtest|sensors|renewal|report): .+ \d+/\d+", p)]
    assert len(counted) >= 3, progress

    goto(page, "risk_map")
    assert_clean(page)
    png = wait_map_drawn(page)
    assert coloured_pixels(png, (215, 25, 28)) > 200, "no red (class A) pipe drawn on the map"
    assert page.get_by_text("1,000 pipes shown").count() == 1
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Data: your files" in sidebar and "Files: pipes.csv, leaks.csv, network.inp, quick.toml" in sidebar
    for text in (sidebar, page.locator('[data-testid="stMain"]').inner_text()):
        assert "/tmp" not in text and ".cache" not in text, text
    screenshot(page, shots, "upload_risk_map")
    assert page.outside_requests == [], page.outside_requests

    page.get_by_role("button", name="Back to the sample data").click()
    wait_idle(page)

"""Real-browser fixtures: the dashboard on a free loopback port over a temporary corpus copy,
driven by Debian's Chromium through Playwright (never `playwright install`)."""
from __future__ import annotations

import contextlib

import os
import shutil
from pathlib import Path

import pytest

from benchmarks.serving import free_port, start_streamlit, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
INSTALL_HINT = "apt-get install -y chromium"
# Measured flags: without the networking ones Chromium keeps trying to reach the internet.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--headless=new", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def _missing(reason: str) -> None:
    message = f"{reason}; install it with: {INSTALL_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the browser tests cannot run: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _missing(f"Chromium not found at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    """Temporary corpus copy and cache: uploads in tests never touch corpus/."""
    base = tmp_path_factory.mktemp("e2e")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    (base / "cache").mkdir()
    return base


@contextlib.contextmanager
def serving(base: Path, *, log: str, **env_extra: str):
    """The dashboard over ``base``/corpus and ``base``/cache on a free port; yields its URL."""
    port = free_port()
    env = dict(os.environ, UNRES_CORPUS_DIR=str(base / "corpus"), UNRES_CACHE_DIR=str(base / "cache"), **env_extra)
    proc = start_streamlit(ROOT / "dashboard.py", port, env, ROOT / "artifacts" / log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def app_url(chromium_path, workdir) -> str:
    with serving(workdir, log="e2e-streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def e2e_browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed (pip install playwright)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


FAILURES = ROOT / "artifacts" / "failures"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.e2e_failed = report.failed


def _keep_evidence(pg, name: str) -> None:
    """What the browser showed when a test failed: a timeout alone says nothing of the page."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120]
    with contextlib.suppress(Exception):
        pg.screenshot(path=str(FAILURES / f"{stem}.png"), full_page=True)
    with contextlib.suppress(Exception):
        (FAILURES / f"{stem}.txt").write_text(f"{pg.url}\n\n{pg.locator('body').inner_text(timeout=5_000)}")


@pytest.fixture()
def e2e_page(e2e_browser, request):
    context = e2e_browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    if getattr(request.node, "e2e_failed", False):
        _keep_evidence(pg, request.node.name)
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS

"""In Chromium: the dashboard asks nothing of the internet (favicon, icons, fonts), on any page
and through an upload; an upload refused by the content checks is one line naming the file.

Uses the browser fixtures of tests/e2e/conftest.py (a server of its own over a temporary corpus).
"""
from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from views import PAGES

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LOAD_MS = 60_000
LOCAL_SCHEMES = ("data", "blob", "about")


def settle(page, ms: int = 600) -> None:
    """Let a rerun finish: wait until Streamlit's running indicator is gone."""
    page.wait_for_timeout(250)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
        " && !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=LOAD_MS)
    page.wait_for_timeout(ms)


def outside(urls: list[str]) -> list[str]:
    return [u for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]


def record(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


def favicon(page) -> str:
    return page.evaluate("() => document.querySelector(\"link[rel='shortcut icon']\").href")


def test_no_page_calls_anything_outside_this_machine(e2e_page, app_url):
    page = e2e_page
    urls = record(page)
    page.goto(app_url)
    for spec in PAGES:
        page.locator('[data-testid="stSidebarNav"] a', has_text=spec.title).first.click()
        page.locator("h1", has_text=spec.title).first.wait_for(state="visible", timeout=LOAD_MS)
        settle(page)
        # the one the headless browser may never fetch, so it is checked where it is set
        assert urlsplit(favicon(page)).hostname == "127.0.0.1", favicon(page)
    # the in-page :material/ icons are drawn with the font Streamlit serves itself
    assert any("MaterialSymbols" in u for u in urls), urls
    assert urls and outside(urls) == [], outside(urls)


def test_a_refused_upload_is_one_line_and_calls_nothing_outside(e2e_page, app_url, workdir, tmp_path):
    page = e2e_page
    urls = record(page)
    page.goto(f"{app_url}/corpus")
    page.locator("h1", has_text="Corpus").first.wait_for(state="visible", timeout=LOAD_MS)
    settle(page)
    before = sorted(p.name for p in (workdir / "corpus").iterdir())
    noise = tmp_path / "noise.txt"
    rng = random.Random(3)
    noise.write_bytes(bytes(rng.randrange(0xA0, 0x100) for _ in range(40_000)))   # no NUL byte
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(noise))
    refusal = page.get_by_text(re.compile(r'^Refused "noise\.txt": binary content'))
    refusal.wait_for(timeout=LOAD_MS)
    settle(page)
    assert refusal.count() == 1
    assert page.locator('[data-testid="stAlert"]', has_text="noise.txt").count() == 1
    assert sorted(p.name for p in (workdir / "corpus").iterdir()) == before
    assert outside(urls) == [], outside(urls)

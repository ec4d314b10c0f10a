"""The dashboard on a mixed corpus (the bundled five with the 24 real texts of sessions 78-80), in
Chromium: the sidebar picks a series, the pages follow it, the URL keeps it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS, serving
from tests.e2e.test_dashboard_e2e import LOAD_MS, chart, heading, settle, traces

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ICC = "report-of-the-international-criminal-court"


@pytest.fixture(scope="module")
def mixed_url(chromium_path, tmp_path_factory):
    base = tmp_path_factory.mktemp("mixed-e2e")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    for p in (ROOT / "tests" / "fixtures" / "real").glob("A_*.txt"):
        shutil.copy(p, base / "corpus" / p.name)
    (base / "cache").mkdir()
    with serving(base, log="e2e-series-streamlit.log", UNRES_EXPORT_WARMUP="0") as url:
        yield url


def test_switching_series_redraws_every_page(e2e_page, mixed_url):
    page = e2e_page
    page.goto(f"{mixed_url}/treaties")
    heading(page, "Treaty figures")
    points = traces(chart(page, "Parties to conventions"))
    assert sorted(y for t in points for y in t["y"]) == [158, 164, 172, 193, 193]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "series-01-treaties-largest.png"))

    page.goto(f"{mixed_url}/drift?series={ICC}")
    heading(page, "Topic drift")
    settle(page)
    drift = traces(chart(page, "Topic drift"))
    assert list(drift[0]["x"]) == ["78\u219279", "79\u219280"]   # the ICC series' own sessions
    assert "4 of 4 documents selected" in page.locator("section[data-testid='stSidebar']").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "series-02-drift-icc.png"))

    page.goto(f"{mixed_url}/compare?series={ICC}")
    heading(page, "Compare two sessions")
    page.get_by_role("button", name="A/80/L.9 \u2192 A/RES/80/6").click()
    settle(page)
    chart(page, "Paragraphs carried")
    assert "a=A-80-L.9" in page.url and "b=A-RES-80-6" in page.url
    page.screenshot(path=str(SCREENSHOTS / "series-03-compare-draft-adopted.png"))

    page.goto(f"{mixed_url}/series")
    heading(page, "Series")
    page.get_by_text("Themes across series").wait_for(timeout=LOAD_MS)
    page.screenshot(path=str(SCREENSHOTS / "series-04-series-page.png"), full_page=True)

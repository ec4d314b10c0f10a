"""End to end in Chromium: every page, a filter, a comparison, downloads, the briefing pack, an upload.

Screenshots go to artifacts/screenshots/ (git-ignored).  Tests share one server; the upload test
changes the (temporary) corpus, so it runs last in this file.
"""
from __future__ import annotations

import csv
import io
import re
import struct
from pathlib import Path

import pytest

from views import PAGES

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LOAD_MS = 60_000          # first chart: 4-6 s for plotly.js on 2 cores, more on a cold corpus
CHART_PAGES = {"overview": "Paragraphs per document", "themes": "Theme mentions by session",
               "emerging": "Emerging issues: first appearance", "treaties": "Parties to conventions",
               "drift": "Topic drift between consecutive sessions", "compare": "Paragraphs carried",
               "lineage": "Agreed language in"}


# --------------------------------------------------------------------------- helpers


def url_of(app_url: str, module: str, query: str = "") -> str:
    path = "" if module == PAGES[0].module else next(p.url_path for p in PAGES if p.module == module)
    return f"{app_url}/{path}" + (f"?{query}" if query else "")


def heading(page, text: str):
    h = page.locator("h1", has_text=text)
    h.first.wait_for(state="visible", timeout=LOAD_MS)
    return h


def chart(page, title_part: str):
    loc = page.locator(".js-plotly-plot", has_text=title_part)
    loc.first.wait_for(state="visible", timeout=LOAD_MS)
    return loc.first


def traces(chart_locator) -> list[dict]:
    # _fullData holds the decoded arrays (data may keep plotly's base64 typed-array form)
    return chart_locator.evaluate(
        "gd => gd._fullData.map(t => ({name: t.name || '', x: Array.from(t.x || []), y: Array.from(t.y || []),"
        " text: Array.from(t.text || []), hovertext: Array.from(t.hovertext || [])}))")


def settle(page, ms: int = 600) -> None:
    """Let a rerun finish: wait until Streamlit's running indicator is gone."""
    page.wait_for_timeout(250)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
        " && !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=LOAD_MS)
    page.wait_for_timeout(ms)


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, \
        page.locator('[data-testid="stException"]').first.inner_text()


def shot(page, screenshots: Path, name: str, scroll_to=None) -> Path:
    """Screenshot of the viewport; Streamlit scrolls inside stMain, so scroll that first."""
    if scroll_to is not None:
        scroll_to.scroll_into_view_if_needed()
        page.wait_for_timeout(400)
    path = screenshots / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def pick(page, label: str, option: str) -> None:
    """Choose an option of a Streamlit selectbox or multiselect by its label (react-aria combobox)."""
    page.get_by_role("combobox", name=re.compile(re.escape(label))).first.click()
    page.locator('[role="option"]', has_text=option).first.click()
    settle(page)


def unpick(widget, option: str) -> None:
    """Remove a chosen option from a Streamlit multiselect."""
    widget.locator(f'button[aria-label^="Remove {option}"]').first.click()


def download(page, button_text: str, scope=None) -> tuple[str, bytes]:
    root = scope if scope is not None else page
    button = root.locator('[data-testid="stDownloadButton"] button', has_text=button_text).first
    with page.expect_download(timeout=LOAD_MS) as info:
        button.click()
    dl = info.value
    return dl.suggested_filename, Path(dl.path()).read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# --------------------------------------------------------------------------- tests


def test_every_page_through_the_navigation(e2e_page, app_url, screenshots):
    page = e2e_page
    page.goto(app_url)
    heading(page, "Overview")
    for i, spec in enumerate(PAGES, 1):
        page.locator('[data-testid="stSidebarNav"] a', has_text=spec.title).first.click()
        heading(page, spec.title)
        if spec.module in CHART_PAGES:
            chart(page, CHART_PAGES[spec.module])
        settle(page)
        no_exception(page)
        assert page.locator('[data-testid="stSidebar"]').get_by_text("Sessions").count() >= 1
        shot(page, screenshots, f"{i:02d}-{spec.module}")


def test_filter_change_updates_chart_and_url(e2e_page, app_url, screenshots):
    page = e2e_page
    page.goto(url_of(app_url, "treaties"))
    before = traces(chart(page, "Parties to conventions"))
    assert before[0]["y"] == [158, 164, 172] and before[0]["x"] == ["65", "66", "67"]
    # remove "draft" from the document-kind filter
    kinds = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text="Document kind")
    unpick(kinds, "draft")
    page.wait_for_url(re.compile(r"kind=resolution"), timeout=LOAD_MS)
    settle(page)
    after = traces(chart(page, "Parties to conventions"))
    assert after[0]["y"] == [158, 172] and after[0]["x"] == ["65", "67"]
    shot(page, screenshots, "11-treaties-adopted-only")
    # the URL reopens the same view in a fresh tab
    fresh = page.context.new_page()
    fresh.goto(page.url)
    again = traces(chart(fresh, "Parties to conventions"))
    assert again[0]["y"] == [158, 172]
    fresh.close()


def test_compare_session_65_with_67(e2e_page, app_url, screenshots):
    page = e2e_page
    page.goto(url_of(app_url, "compare"))
    chart(page, "Paragraphs carried")
    pick(page, "Text A", "A/RES/65/232")
    pick(page, "Text B", "A/RES/67/189")
    page.wait_for_url(re.compile(r"a=A-RES-65-232.*b=A-RES-67-189|b=A-RES-67-189.*a=A-RES-65-232"))
    status = chart(page, "A/RES/65/232 → A/RES/67/189")
    totals = {t["name"]: sum(t["y"]) for t in traces(status)}
    assert totals == {"carried": 17, "amended": 31, "new": 24, "dropped": 13}
    metrics = page.locator('[data-testid="stMetric"]')
    assert "31" in metrics.filter(has_text="Amended").first.inner_text()
    table = page.locator('[data-testid="stHtml"] table').first
    table.wait_for()
    assert table.locator("del").count() > 0 and table.locator("ins").count() > 0
    shot(page, screenshots, "12-compare-65-67")
    shot(page, screenshots, "13-compare-65-67-redline", scroll_to=table)
    # the status filter narrows the side-by-side table
    ms = page.locator('[data-testid="stMultiSelect"]', has_text="Show paragraphs that are")
    for s in ("carried", "new", "dropped"):
        unpick(ms, s)
        settle(page, 300)
    page.wait_for_url(re.compile(r"status=amended"))
    rows = page.locator('[data-testid="stHtml"] table tbody tr')
    assert rows.count() == 31
    no_exception(page)


def test_download_png_svg_and_csv(e2e_page, app_url, screenshots):
    page = e2e_page
    page.goto(url_of(app_url, "treaties"))
    chart(page, "Parties to conventions")
    settle(page)
    name, png = download(page, "PNG")
    assert name.endswith(".png")
    width, height = png_size(png)
    # 1100 x 480 at scale 2, plus one line for the wrapped source caption (it names the series)
    assert (width, height) == (2200, 990) and len(png) > 20_000
    (screenshots / "14-treaties-export.png").write_bytes(png)
    name, svg = download(page, "SVG")
    assert name.endswith(".svg") and b"<svg" in svg[:2000] and b"172" in svg
    name, data = download(page, "CSV")
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [int(r["parties"]) for r in rows] == [158, 164, 172]
    assert [r["session"] for r in rows] == ["65", "66", "67"]
    assert rows[0]["key"] == "OP24" and "one hundred and fifty-eight" in rows[0]["quote"]


def test_briefing_pack_opens_offline(e2e_page, app_url, screenshots, tmp_path):
    page = e2e_page
    page.goto(url_of(app_url, "treaties"))
    chart(page, "Parties to conventions")
    page.get_by_text("Add to briefing pack").first.click()
    settle(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Briefing pack").click()
    heading(page, "Briefing pack")
    select = page.locator('[data-testid="stMultiSelect"]', has_text="Charts")
    assert select.locator('[aria-label="Selected values"]').inner_text().count("Parties per session") == 1
    pick(page, "Charts", "Theme mentions by session")
    page.keyboard.press("Escape")
    settle(page)
    page.get_by_role("button", name=re.compile("Build briefing pack")).click()
    page.get_by_text("Briefing pack ready").wait_for(timeout=LOAD_MS)
    page.locator('[data-testid="stDownloadButton"]', has_text="Download PDF").wait_for(timeout=LOAD_MS)
    settle(page)
    shot(page, screenshots, "15-briefing-pack-page")
    name, html = download(page, "Download HTML")
    assert name.endswith(".html") and html.startswith(b"<!DOCTYPE html>")
    pack = tmp_path / name
    pack.write_bytes(html)
    name, pdf = download(page, "Download PDF")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000

    # open the file with the network cut off: the charts must still draw
    offline = page.context.browser.new_context(viewport={"width": 900, "height": 1000}, offline=True)
    requests = []
    offline.on("request", lambda r: requests.append(r.url))
    view = offline.new_page()
    view.goto(pack.as_uri())
    view.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2",
                           timeout=LOAD_MS)
    plots = view.locator(".js-plotly-plot")
    assert plots.count() == 2
    treaty = view.locator(".js-plotly-plot", has_text="Parties to conventions")
    for n in ("158", "164", "172"):
        assert n in treaty.text_content()
    assert "one hundred and fifty-eight" in view.content()
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), requests
    view.screenshot(path=str(screenshots / "16-briefing-pack-offline.png"))
    offline.close()


def test_upload_on_the_corpus_page(e2e_page, app_url, screenshots, workdir, tmp_path):
    real_before = sorted(p.name for p in (ROOT / "corpus").iterdir())
    page = e2e_page
    page.goto(url_of(app_url, "corpus"))
    heading(page, "Corpus")
    settle(page)
    text = (ROOT / "corpus" / "A-RES-67-189.txt").read_text(encoding="utf-8")
    new = tmp_path / "A-RES-68-999.txt"
    new.write_text(text.replace("67/189.\t", "68/999.\t", 1).replace("20 December 2012", "20 December 2013", 1),
                   encoding="utf-8")
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    dropzone.set_input_files(str(new))
    page.get_by_text("Added A-RES-68-999.txt as A/RES/68/999").wait_for(timeout=LOAD_MS)
    settle(page)
    assert page.get_by_text("Documents (6)").count() == 1
    assert page.get_by_text("6 of 6 documents selected").count() == 1   # the range follows the corpus
    assert (workdir / "corpus" / "A-RES-68-999.txt").is_file()
    shot(page, screenshots, "17-corpus-upload")

    dup = tmp_path / "copy-of-60.txt"
    dup.write_bytes((ROOT / "corpus" / "A-RES-60-175.txt").read_bytes())
    dropzone.set_input_files(str(dup))
    refusal = page.get_by_text('Refused "copy-of-60.txt": same content as A-RES-60-175.txt')
    refusal.wait_for(timeout=LOAD_MS)
    shot(page, screenshots, "18-corpus-duplicate-refused")
    assert not (workdir / "corpus" / "copy-of-60.txt").exists()
    assert sorted(p.name for p in (ROOT / "corpus").iterdir()) == real_before

    # the new session shows up in the charts at once
    page.goto(url_of(app_url, "treaties"))
    sessions = traces(chart(page, "Parties to conventions"))[0]["x"]
    assert sessions[-1] == "68"

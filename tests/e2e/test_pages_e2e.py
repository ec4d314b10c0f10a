"""End to end in Chromium: the Operative verbs and Citations pages, a chart's PDF, and the Themes
page's lexicon editor saving a new theme that the heatmap then shows.

A private server over its own corpus copy: saving themes.toml must not change what the other
browser tests see.
"""
from __future__ import annotations

import re
import shutil

import pytest

from tests.e2e.conftest import ROOT, serving
from tests.e2e.test_dashboard_e2e import LOAD_MS, chart, download, heading, no_exception, settle, shot, traces

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def own_corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e-pages")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    (base / "cache").mkdir()
    return base


@pytest.fixture(scope="module")
def pages_url(chromium_path, own_corpus):
    with serving(own_corpus, log="e2e-pages-streamlit.log") as url:
        yield url


def test_verbs_page_and_its_pdf(e2e_page, pages_url, screenshots):
    page = e2e_page
    page.goto(f"{pages_url}/verbs")
    heading(page, "Operative verbs")
    bars = traces(chart(page, "Strength of the operative verbs"))
    assert [t["name"] for t in bars] == ["directs", "invites", "records", "unrated"]
    settle(page)
    no_exception(page)
    assert page.get_by_text("Paragraphs whose opening verb changed").count() == 1
    shot(page, screenshots, "pages-verbs")
    name, pdf = download(page, "PDF")
    assert name.endswith(".pdf") and pdf[:4] == b"%PDF" and len(pdf) > 1000
    shot(page, screenshots, "pages-verbs-changes", scroll_to=page.get_by_text("Paragraphs whose opening verb changed"))


def test_citations_page(e2e_page, pages_url, screenshots):
    page = e2e_page
    page.goto(f"{pages_url}/citations")
    heading(page, "Citations")
    marks = traces(chart(page, "What the texts cite"))
    assert "General Assembly" in [t["name"] for t in marks]
    settle(page)
    no_exception(page)
    shot(page, screenshots, "pages-citations")
    name, pdf = download(page, "PDF")
    assert pdf[:4] == b"%PDF" and len(pdf) > 1000
    page.get_by_text("Not in the corpus").first.wait_for(timeout=LOAD_MS)
    shot(page, screenshots, "pages-citations-chain", scroll_to=page.get_by_text("The series' own predecessors"))


def test_lexicon_edit_saves_and_the_heatmap_follows(e2e_page, pages_url, own_corpus, screenshots):
    page = e2e_page
    page.goto(f"{pages_url}/themes")
    heading(page, "Themes")
    assert "Wildlife crime" not in traces(chart(page, "Theme mentions by session"))[0]["y"]
    page.get_by_text("Add, rename or remove themes").first.click()
    page.get_by_text("Add a theme").first.click()
    settle(page)
    page.get_by_label("Id (lower case, hyphens)").fill("wildlife-crime")
    page.get_by_label("Label").last.fill("Wildlife crime")
    page.get_by_label("Terms (one per line)").last.fill("wildlife\ncybercrime")
    page.get_by_label("Id (lower case, hyphens)").click()          # blur: the text area commits
    settle(page)
    page.get_by_role("button", name="Add to the preview").click()
    settle(page)
    page.get_by_text("Counts with the edited lexicon").wait_for(timeout=LOAD_MS)
    shot(page, screenshots, "pages-themes-preview", scroll_to=page.get_by_text("Counts with the edited lexicon"))
    page.get_by_role("button", name=re.compile("Save themes.toml")).click()
    page.get_by_text("Saved themes.toml").wait_for(timeout=LOAD_MS)
    settle(page)
    no_exception(page)
    assert (own_corpus / "corpus" / "themes.toml").is_file()
    heat = traces(chart(page, "Theme mentions by session"))[0]
    assert "Wildlife crime" in heat["y"]
    shot(page, screenshots, "pages-themes-saved", scroll_to=chart(page, "Theme mentions by session"))

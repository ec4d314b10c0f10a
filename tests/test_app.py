"""The dashboard under streamlit.testing.v1.AppTest: every page, filters, URL state, export, safety."""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analytics import export
from analytics.records import Paragraph
from views import PAGES, exporting

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
TIMEOUT = 120
CHROMIUM_INSTALL = "apt-get install -y chromium"
SESSIONS = "w_sessions_60_67"     # the range slider's key names the corpus's first and last session

EXPECTED_CHARTS = {"overview": 1, "series": 0, "themes": 2, "emerging": 2, "treaties": 1, "drift": 3,
                   "verbs": 1, "citations": 1, "compare": 2, "digest": 1, "lineage": 2, "reader": 0, "corpus": 0,
                   "briefing": 0}


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory):
    """A private copy of corpus/ and an empty cache: nothing here touches the real folders."""
    base = tmp_path_factory.mktemp("app")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    (base / "cache").mkdir()
    return base


@pytest.fixture()
def env(corpus_copy, monkeypatch):
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(corpus_copy / "corpus"))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(corpus_copy / "cache"))
    return corpus_copy


@pytest.fixture(autouse=True)
def no_export_warmup(monkeypatch):
    monkeypatch.setenv("UNRES_EXPORT_WARMUP", "0")     # no PNG is rendered in these tests


def need_chromium(what: str) -> None:
    """Skip, saying so, when no Chromium can render images; under CI (as the browser tests in
    tests/e2e) a missing Chromium fails instead, so the image checks cannot pass unseen."""
    if export.chromium_available():
        return
    message = f"{what} need Chromium; install it with: {CHROMIUM_INSTALL}"
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"CI is set and {message}", pytrace=False)
    pytest.skip(message)


def app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
    return at


def _plain(obj):
    """Plotly JSON with typed arrays ({"dtype", "bdata"}) decoded to lists."""
    if isinstance(obj, dict):
        if set(obj) >= {"dtype", "bdata"}:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=obj["dtype"])
            if "shape" in obj:
                arr = arr.reshape([int(n) for n in str(obj["shape"]).split(",")])
            return arr.tolist()
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def charts(at: AppTest) -> list[dict]:
    return [_plain(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def chart(at: AppTest, title_part: str) -> dict:
    found = [c for c in charts(at) if title_part in c["layout"]["title"]["text"]]
    assert len(found) == 1, [c["layout"]["title"]["text"] for c in charts(at)]
    return found[0]


def unmd(text: str) -> str:
    """Markdown source as displayed: drop the backslash escapes views.markup.md adds."""
    return re.sub(r"\\(.)", r"\1", text)


def html_bodies(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("spec", PAGES, ids=[p.module for p in PAGES])
def test_every_page_renders(env, spec):
    at = app(page=spec.module)
    assert at.title[0].value == spec.title
    assert len(at.get("plotly_chart")) == EXPECTED_CHARTS[spec.module]
    for c in charts(at):
        layout = c["layout"]
        assert layout["title"]["text"]
        assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]
        assert any(a["text"].startswith("Source: ") for a in layout["annotations"])
    # the figure names its sources; the caption under it does not repeat them
    sources = [c.value for c in at.caption if unmd(c.value).startswith("Source: ")]
    assert not sources
    # sidebar filters on every page
    assert at.select_slider(key=SESSIONS).value == (60, 67)
    assert at.sidebar.multiselect(key="w_kind").value == ["resolution", "draft"]


def _warm_only():
    from views.exporting import warm_chart_renderer
    warm_chart_renderer()            # not cleared: the test looks where it went


def test_chart_renderer_warmup_goes_first_in_the_sidebar_once_per_session():
    """plotly.js is fetched when the first chart element arrives, and the browser requests
    chunks in tree order, sidebar first: the warm-up chart must sit in the sidebar."""
    at = AppTest.from_function(_warm_only, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert [c.proto.id for c in at.sidebar.get("plotly_chart")] and not at.main.get("plotly_chart")
    assert at.session_state[exporting.WARM] is True
    at.run()                          # the same session: sent once only
    assert not at.get("plotly_chart")


def test_chart_renderer_warmup_leaves_nothing_behind(env):
    """The dashboard clears the warm-up slot when the page is drawn: no chart stays behind."""
    at = app(page="themes")
    assert at.session_state[exporting.WARM] is True
    assert not at.sidebar.get("plotly_chart")
    assert len(at.get("plotly_chart")) == EXPECTED_CHARTS["themes"]


def test_overview_lists_documents_and_headline(env):
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "5"
    assert metrics["Sessions"] == "60–67"
    assert metrics["Paragraphs"] == str(39 + 37 + 61 + 58 + 72)
    assert metrics["UNTOC parties"] == "172"
    series = at.dataframe[0].value
    assert (len(series), int(series["documents"][0]), int(series["drafts"][0])) == (1, 5, 1)
    table = at.dataframe[1].value
    assert list(table["symbol"]) == ["A/RES/60/175", "A/RES/63/195", "A/RES/65/232", "66th session draft",
                                     "A/RES/67/189"]
    assert list(table["preambular"]) == [15, 18, 24, 24, 31]
    assert list(table["operative"]) == [24, 19, 37, 34, 41]
    assert "hyphens" in table["warnings"][2]
    assert any("Every file in the corpus folder was read" in s.value for s in at.success)


def test_overview_lists_problem_files(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / "corpus" / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "corpus" / "empty.txt").write_text("")
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))
    at = app()
    problems = at.dataframe[2].value
    assert set(problems["file"]) == {"notes.docx", "empty.txt"}
    assert all(problems["reason"].str.len() > 0)
    assert {m.label: m.value for m in at.metric}["Files not read"] == "2"


# --------------------------------------------------------------------------- filters change the output


def test_session_range_changes_heatmap_and_url(env):
    at = app(page="themes")
    assert chart(at, "Theme mentions")["data"][0]["x"] == ["60", "61", "62", "63", "64", "65", "66", "67"]
    assert chart(at, "Theme mentions")["layout"]["xaxis"]["tickvals"] == [60, 63, 65, 66, 67]
    at.select_slider(key=SESSIONS).set_range(65, 67).run()
    assert not at.exception
    assert chart(at, "Theme mentions")["data"][0]["x"] == ["65", "66", "67"]
    assert at.query_params["sessions"] == "65-67"
    assert "Source: A/RES/65/232, 66th session draft, A/RES/67/189 \u2014 series: Strengthening the United " \
        "Nations crime prevention and criminal justice programme, in particular its technical cooperation " \
        "capacity" in [a["text"].replace("<br>", " ") for a in chart(at, "Theme mentions")["layout"]["annotations"]]


def test_kind_filter_changes_treaty_points(env):
    at = app(page="treaties")
    assert chart(at, "Parties to conventions")["data"][0]["y"] == [158, 164, 172]
    at.sidebar.multiselect(key="w_kind").set_value(["resolution"]).run()
    assert not at.exception
    points = chart(at, "Parties to conventions")["data"][0]
    assert points["x"] == ["65", "67"] and points["y"] == [158, 172]
    assert at.query_params["kind"] == "resolution"


def test_theme_filter_limits_rows(env):
    at = app(page="themes")
    at.sidebar.multiselect(key="w_themes").set_value(["cybercrime", "piracy"]).run()
    assert not at.exception
    assert chart(at, "Theme mentions")["data"][0]["y"] == ["Cybercrime", "Piracy and maritime crime"]
    assert len(chart(at, "Theme trends")["data"]) == 2
    assert at.query_params["themes"] == "cybercrime,piracy"


def test_measure_switch(env):
    at = app(page="themes")
    at.radio(key="w_value").set_value("per_1000").run()
    assert "per 1,000 words" in chart(at, "Theme mentions")["layout"]["title"]["text"]
    assert at.query_params["value"] == "per_1000"


# --------------------------------------------------------------------------- URL state


def test_query_params_restore_compare_view(env):
    at = app({"sessions": "63-67", "kind": "resolution", "a": "A-RES-65-232", "b": "67",
              "status": "amended"}, page="compare")
    assert at.select_slider(key=SESSIONS).value == (63, 67)
    assert at.sidebar.multiselect(key="w_kind").value == ["resolution"]
    assert at.selectbox(key="w_a").value == "A-RES-65-232"
    assert at.selectbox(key="w_b").value == "A-RES-67-189"          # a session number resolves
    assert at.multiselect(key="w_status").value == ["amended"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Carried": "17", "Amended": "31", "New": "24", "Dropped": "13"}
    tables = [b for b in html_bodies(at) if "<table" in b]
    assert tables and all(">amended<" in t for t in tables)
    assert not any(">carried<" in t or ">new<" in t for t in tables)
    assert "<del" in tables[0] and "<ins" in tables[0]
    # the URL carries the whole view, normalised to document ids
    qp = dict(at.query_params)
    assert qp == {"sessions": "63-67", "kind": "resolution", "a": "A-RES-65-232", "b": "A-RES-67-189",
                  "status": "amended"}
    # global state survives a page change; page state leaves the URL
    at.switch_page("views/themes.py").run()
    assert dict(at.query_params) == {"sessions": "63-67", "kind": "resolution", "a": "A-RES-65-232",
                                     "b": "A-RES-67-189"}
    at.switch_page("views/compare.py").run()
    assert at.selectbox(key="w_a").value == "A-RES-65-232"
    assert at.multiselect(key="w_status").value == ["amended"]


def test_changing_comparison_updates_url_and_summary(env):
    at = app(page="compare")
    at.selectbox(key="w_a").set_value("A-RES-65-232").run()
    at.selectbox(key="w_b").set_value("A-RES-67-189").run()
    assert not at.exception
    assert at.query_params["a"] == "A-RES-65-232" and at.query_params["b"] == "A-RES-67-189"
    assert {m.label: m.value for m in at.metric}["Amended"] == "31"
    assert "A/RES/65/232 → A/RES/67/189" in chart(at, "Paragraphs carried")["layout"]["title"]["text"]


def test_bad_query_params_fall_back(env):
    at = app({"sessions": "banana", "kind": "nonsense", "a": "A-RES-1-1", "value": "bogus", "themes": "zzz"},
             page="compare")
    assert at.select_slider(key=SESSIONS).value == (60, 67)
    assert at.selectbox(key="w_a").value == "draft-66"
    at.switch_page("views/themes.py").run()
    assert not at.exception


def test_term_and_document_params(env):
    at = app({"term": "piracy"}, page="drift")
    assert at.text_input(key="w_term").value == "piracy"
    assert chart(at, "Trend of")["data"][0]["text"] == ["0", "0", "2", "2", "2"]
    at.text_input(key="w_term").input("cybercrime").run()
    assert chart(at, "Trend of")["data"][0]["text"] == ["0", "1", "3", "3", "3"]
    assert at.query_params["term"] == "cybercrime"

    at = app({"doc": "A-RES-65-232"}, page="lineage")
    assert "A/RES/65/232" in chart(at, "Agreed language")["layout"]["title"]["text"]


# --------------------------------------------------------------------------- empty selections


@pytest.mark.parametrize("spec", PAGES, ids=[p.module for p in PAGES])
def test_empty_selection_explains(env, spec):
    at = app({"kind": ""}, page=spec.module)
    assert not at.exception
    if spec.module in ("corpus", "briefing", "series"):   # corpus-wide pages: no selection to be empty
        return
    assert at.info, f"{spec.module}: no st.info for an empty selection"
    assert "kind" in at.info[0].value.lower()


def test_one_session_explains_drift(env):
    at = app({"sessions": "67-67"}, page="drift")
    assert not at.exception
    assert any("two sessions" in i.value for i in at.info)


# --------------------------------------------------------------------------- export


def test_csv_buttons_beside_every_chart(env):
    at = app(page="drift")
    keys = [b.key for b in at.get("download_button")]
    for cid in ("drift.distance", "drift.terms", "drift.trend"):
        assert f"csv_{cid}" in keys


def test_image_buttons_beside_every_chart(env):
    need_chromium("the PNG, SVG and PDF buttons")
    at = app(page="drift")
    keys = [b.key for b in at.get("download_button")]
    for cid in ("drift.distance", "drift.terms", "drift.trend"):
        assert f"png_{cid}" in keys and f"svg_{cid}" in keys and f"pdf_{cid}" in keys


def test_without_chromium_the_hint_replaces_image_buttons(env, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert not export.chromium_available()
    at = app(page="treaties")
    keys = [b.key for b in at.get("download_button")]
    assert "csv_treaties.parties" in keys
    assert not any(k.startswith(("png_", "svg_", "pdf_")) for k in keys)
    assert any(export.CHROMIUM_HINT in unmd(c.value) for c in at.caption)
    assert len(at.get("plotly_chart")) == 1


def test_csv_is_the_chart_data(env):
    from views import treaties
    from views.context import CTX
    at = app(page="treaties")
    spec = chart(at, "Parties to conventions")
    # the CSV button serialises Chart.data; the chart's points are that frame's rows
    ctx = at.session_state[CTX]
    data = treaties.treaty_data(ctx)
    csv = export.frame_csv(data).decode("utf-8-sig")
    assert csv.splitlines()[0].split(",")[:5] == ["session", "label", "kind", "short", "parties"]
    assert [int(line.split(",")[4]) for line in csv.splitlines()[1:]] == spec["data"][0]["y"] == [158, 164, 172]


def test_download_callables_make_the_files(env):
    """The bytes behind the PNG/SVG/CSV buttons (AppTest cannot read a download back)."""
    from views import treaties
    from views.context import CTX
    from views.exporting import EXPORT_WIDTH, csv_bytes, image_bytes
    at = app(page="treaties")
    chart_ = treaties.parties_chart(at.session_state[CTX])
    csv = csv_bytes(chart_.data)().decode("utf-8-sig")
    assert "158" in csv and "one hundred and fifty-eight" in csv
    need_chromium("the PNG, SVG and PDF checks")
    png = image_bytes(chart_.figure, "png")()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (2 * EXPORT_WIDTH, 2 * chart_.figure.layout.height)
    svg = image_bytes(chart_.figure, "svg")().decode("utf-8")
    assert "<svg" in svg and "172" in svg
    pdf = image_bytes(chart_.figure, "pdf")()
    assert pdf[:4] == b"%PDF" and len(pdf) > 1000


def test_briefing_pack_from_selected_charts(env):
    at = app(page="treaties")
    at.checkbox(key="w_pack_treaties.parties").check().run()
    at.switch_page("views/briefing.py").run()
    assert at.multiselect(key="w_pack_select").value == ["treaties.parties"]
    at.multiselect(key="w_pack_select").select("emerging.timeline").run()
    at.button(key="pack_build").click().run()
    assert not at.exception
    pack_html, skipped, n = at.session_state["_pack_html"]
    assert n == 2 and not skipped
    assert pack_html.startswith("<!DOCTYPE html>")
    assert "Parties to conventions" in pack_html and "Emerging issues" in pack_html
    assert "one hundred and fifty-eight" in pack_html           # quoted wording travels with the chart
    assert 'src="http' not in pack_html                          # plotly.js inlined: opens offline
    keys = [b.key for b in at.get("download_button")]
    assert "pack_html" in keys
    assert ("pack_pdf" in keys) == export.chromium_available()
    # the choice persists back on the chart's page
    at.switch_page("views/treaties.py").run()
    assert at.checkbox(key="w_pack_treaties.parties").value is True


# --------------------------------------------------------------------------- reader and safety


def test_reader_search_and_kwic(env):
    at = app({"doc": "A-RES-67-189", "q": "cybercrime"}, page="reader")
    assert at.text_input(key="w_q").value == "cybercrime"
    kwic = at.dataframe[0].value
    assert len(kwic) == 3 and set(kwic["match"].str.lower()) == {"cybercrime"}
    assert any("<mark" in b for b in html_bodies(at))
    assert any("Operative paragraphs" in m.value for m in at.markdown)


def test_document_text_is_escaped(tmp_path, monkeypatch):
    text = (ROOT / "corpus" / "A-RES-67-189.txt").read_text(encoding="utf-8")
    evil = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
    text = text.replace("Reaffirming its resolutions 46/152", f"Reaffirming {evil} its resolutions 46/152", 1)
    text = text.replace("67/189.\t", "68/999.\t", 1).replace("20 December 2012", "20 December 2013", 1)
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / "corpus" / "hostile.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))

    at = app({"doc": "A-RES-68-999"}, page="reader")
    bodies = "".join(html_bodies(at))
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in bodies
    assert "<script" not in bodies and "<img" not in bodies
    at.text_input(key="w_q").input("alert").run()              # highlighting keeps the escaping
    bodies = "".join(html_bodies(at))
    assert "&lt;script&gt;<mark" in bodies and "<script" not in bodies and "<img" not in bodies
    at = app({"a": "A-RES-67-189", "b": "A-RES-68-999"}, page="compare")
    bodies = "".join(html_bodies(at))
    assert "&lt;script&gt;" in bodies and "<script" not in bodies and "<img" not in bodies


def test_html_helpers_escape():
    import pandas as pd

    from views import compare, reader
    p = Paragraph("operative", 1, 1, "Urges", 'Urges <b onmouseover="x()">States</b> & "others"')
    out = reader.paragraphs_html([p], reader.search_pattern("states"))
    assert "<b onmouseover" not in out and "&lt;b onmouseover=&quot;x()&quot;&gt;" in out
    assert '<mark style="background:#FFE9A8;">States</mark>' in out
    rows = pd.DataFrame([{"status": "amended", "a_key": "OP1", "b_key": "OP1", "similarity": 0.8,
                          "a_text": "Urges <i>all</i> States", "b_text": "Urges <i>all</i> Member States"}])
    out = compare.redline_html(rows, "A <x>", "B")
    assert "<i>" not in out and "&lt;i&gt;all&lt;/i&gt;" in out and "A &lt;x&gt;" in out
    assert "<ins" in out and "Member" in out


def test_markdown_escaping_of_document_derived_text():
    from views.markup import md
    hostile = "[click](javascript:alert(1)) **x** $e=mc^2$ :material/home: <b>y</b>"
    out = md(hostile)
    assert unmd(out) == hostile
    assert not re.search(r"(?<!\\)[\[\]*$<>:]", out)          # every trigger is escaped


def test_overview_headline_on_a_mixed_corpus(tmp_path, monkeypatch):
    """With A/RES/80/229 and its draft A/C.3/80/L.3 (both: 193 parties to UNTOC), the change is
    from session 67's 172, and session 80's text, which has no list of emerging issues, is
    "no list", not "0 listed"."""
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    for name in ("A_RES_80_229.txt", "A_C.3_80_L.3.txt", "A_RES_79_190.txt"):
        shutil.copy(ROOT / "tests" / "fixtures" / "real" / name, folder / name)
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(folder))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))
    at = app()
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    assert metrics["UNTOC parties"].value == "193"
    assert metrics["UNTOC parties"].delta == "+21 since session 67"
    assert metrics["Emerging issues listed, session 80"].value == "no list"
    assert metrics["Emerging issues tracked"].value == "8"
    # 79/190 OP7: "191 parties have already ratified or acceded to the Convention" (read by
    # hand): parties, the European Union among them, not 191 States
    at.sidebar.selectbox(key="w_series").set_value("preventing-and-combating-corrupt-practices-and-the-transfer").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["UNCAC parties"] == "191" and not any("States parties" in k for k in metrics)


def test_series_picker_on_a_mixed_corpus(tmp_path, monkeypatch):
    """The bundled five with the real texts: the sidebar picks a series, every page draws that one."""
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    for p in (ROOT / "tests" / "fixtures" / "real").glob("A_*.txt"):
        shutil.copy(p, folder / p.name)
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(folder))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))
    at = app(page="treaties")
    assert not at.exception
    assert at.sidebar.selectbox(key="w_series").value == "strengthening-the-united-nations-crime-prevention"
    # the series' own figures (drafts drawn too: 164 in the 66th-session draft, 193 in A/C.3/80/L.3
    # and A/RES/80/229) and no other resolution's (79/190's 191 parties to UNCAC)
    assert sorted(chart(at, "Parties to conventions")["data"][0]["y"]) == [158, 164, 172, 193, 193]
    at.sidebar.selectbox(key="w_series").set_value("report-of-the-international-criminal-court").run()
    assert not at.exception and at.query_params["series"] == "report-of-the-international-criminal-court"
    assert at.select_slider(key="w_sessions_78_80").value == (78, 80)
    at.switch_page("views/series.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 14
    at.switch_page("views/compare.py").run()
    assert not at.exception
    assert [b.label for b in at.button if b.key.startswith("negotiation_")] == ["A/80/L.9 \u2192 A/RES/80/6"]


def test_an_upload_says_which_series_it_joined(tmp_path):
    from analytics.corpus import load_corpus
    from views.corpus import _joined
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    for name in ("A_RES_80_229.txt", "A_C.3_80_L.3.txt", "A_RES_78_224.txt"):
        shutil.copy(ROOT / "tests" / "fixtures" / "real" / name, folder / name)
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    title = corpus.get("A-RES-67-189").title
    assert _joined(corpus, corpus.get("A-RES-80-229")) == \
        f" It joined the series \u201c{corpus.get('A-RES-80-229').title}\u201d (7 documents)."
    assert _joined(corpus, corpus.get("A-C.3-80-L.3")).endswith(" Adopted as A/RES/80/229.")
    assert _joined(corpus, corpus.get("A-RES-78-224")).startswith(" It starts a series of its own")
    assert title.lower() == corpus.get("A-RES-80-229").title.lower()


# --------------------------------------------------------------------------- honest captions


def test_the_source_line_is_printed_once(env):
    at = app(page="treaties")
    spec = chart(at, "Parties to conventions")
    assert [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("Source: ")]
    assert not any("Source:" in unmd(c.value) for c in at.caption)
    assert any(unmd(c.value).startswith("Each point is a figure stated in a resolution") for c in at.caption)
    assert spec["layout"]["xaxis"]["type"] == "linear"


def _pairwise_and_whole(docs):
    """(changes built pair by pair through the dashboard's memo, `verb_changes` of all of `docs`)."""
    from analytics.verbs import verb_changes
    from views import analyses
    return verb_changes(docs, pair_rows=analyses.memoised_pair_changes(None)), verb_changes(docs)


def test_verb_changes_by_pair_of_sessions_equal_those_of_the_whole_selection(tmp_path):
    """The dashboard aligns each pair of consecutive sessions once and reuses it for every
    range holding both: that is only right while the pairs' rows are exactly the whole's."""
    import pandas as pd
    from analytics.corpus import load_corpus
    from benchmarks.generate import generate
    bundled = load_corpus(ROOT / "corpus", cache_dir=tmp_path / "cache").documents
    got, whole = _pairwise_and_whole(bundled)
    pd.testing.assert_frame_equal(got, whole)
    assert list(zip(got["from_session"], got["to_session"], got["from_key"], got["to_key"],
                    got["from_verb"], got["to_verb"]))[:2] == [
        (60, 63, "OP18", "OP12", "Requests", "Welcomes"), (63, 65, "OP11", "OP26", "Urges", "Encourages")]
    generate(tmp_path / "gen", 60, seed=3)
    docs = load_corpus(tmp_path / "gen", cache_dir=tmp_path / "cache").documents
    sessions = sorted({d.session for d in docs if d.session is not None})
    sub = [d for d in docs if d.session is not None and sessions[2] <= d.session <= sessions[-3]]
    for selection in (docs, sub):
        got, whole = _pairwise_and_whole(selection)
        assert len(whole) > 0
        pd.testing.assert_frame_equal(got, whole)


def test_the_first_run_imports_what_later_pages_need_in_the_background(tmp_path):
    """A fresh server: the Overview does not need NLTK or scikit-learn's text features, and
    after its first run they are imported in a thread (so the Emerging and Topic drift pages'
    first visits do not wait 0.9 s for them)."""
    import subprocess
    import sys
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    code = f"""
import sys, threading
sys.path.insert(0, {str(root)!r})
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(root / 'dashboard.py')!r}, default_timeout=120)
assert "nltk" not in sys.modules
at.run()
assert not at.exception, at.exception
for t in threading.enumerate():
    if t.name == "warm-imports":
        t.join(120)
print(sorted(m for m in ("nltk", "sklearn.feature_extraction.text") if m in sys.modules))
"""
    env = dict(os.environ, UNRES_CORPUS_DIR=str(tmp_path / "corpus"), UNRES_CACHE_DIR=str(tmp_path / "cache"),
               UNRES_EXPORT_WARMUP="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "['nltk', 'sklearn.feature_extraction.text']"

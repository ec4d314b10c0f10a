"""Tests for analytics.export: static images, CSV, briefing packs (HTML and PDF)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from analytics import export
from analytics.export import CHROMIUM_HINT, ExportUnavailable, PackItem

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _require_chromium() -> None:
    if export.chromium_available():
        return
    message = "Chromium not found; static export tests need it: sudo apt-get install -y chromium"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI must have a browser)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def warm_export():
    """Starts the shared kaleido browser once for every image test in this module."""
    _require_chromium()
    export.warm_up()
    yield
    export.shutdown()


def _bar(title: str = "Operative paragraphs by session") -> go.Figure:
    return go.Figure(
        go.Bar(x=["60", "63", "65", "67"], y=[24, 19, 37, 41]),
        layout_title_text=title,
    )


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


# --------------------------------------------------------------------------- images


def test_png_has_signature_and_requested_pixel_size(warm_export):
    png = export.figure_image(_bar(), fmt="png", width=640, height=360)
    assert _png_size(png) == (1280, 720)  # default scale 2 for PNG


def test_png_defaults_and_explicit_scale(warm_export):
    assert _png_size(export.figure_image(_bar())) == (2200, 1200)
    assert _png_size(export.figure_image(_bar(), width=500, height=300, scale=1)) == (500, 300)


def test_svg_is_xml_with_the_chart_title(warm_export):
    svg = export.figure_image(_bar("Mentions of cybercrime"), fmt="svg", width=800, height=400)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Mentions of cybercrime" in "".join(root.itertext())


def test_pdf_figure(warm_export):
    pdf = export.figure_image(_bar(), fmt="pdf")
    assert pdf.startswith(b"%PDF-")


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match="fmt must be one of"):
        export.figure_image(_bar(), fmt="gif")  # type: ignore[arg-type]


def test_no_browser_raises_export_unavailable_with_install_hint(monkeypatch):
    monkeypatch.setattr(export, "_browser_path", lambda: None)
    assert not export.chromium_available()
    with pytest.raises(ExportUnavailable, match="apt-get install -y chromium") as info:
        export.figure_image(_bar())
    assert str(info.value) == CHROMIUM_HINT
    with pytest.raises(ExportUnavailable):
        export.briefing_pack_pdf("<html></html>")
    with pytest.raises(ExportUnavailable):
        export.warm_up()


def test_browser_path_env_pointing_nowhere_means_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    assert not export.chromium_available()


class _BrokenServer:
    """Stands in for the warm browser so the real one is not disturbed."""

    def __init__(self, exc: BaseException):
        self.exc = exc
        self.stopped = 0

    def render(self, fig, opts, browser):
        raise self.exc

    def stop(self):
        self.stopped += 1


def test_kaleido_chrome_not_found_becomes_export_unavailable(monkeypatch):
    from kaleido.errors import ChromeNotFoundError

    server = _BrokenServer(ChromeNotFoundError("Kaleido v1 and later requires Chrome"))
    monkeypatch.setattr(export, "_SERVER", server)
    monkeypatch.setattr(export, "_browser_path", lambda: "/usr/bin/chromium")
    with pytest.raises(ExportUnavailable, match="apt-get install -y chromium"):
        export.figure_image(_bar())
    assert server.stopped == 1


def test_plotly_runtime_error_in_fallback_becomes_export_unavailable(monkeypatch):
    import plotly.io as pio

    def no_chrome(*args, **kwargs):
        raise RuntimeError("Kaleido requires Google Chrome to be installed.")

    monkeypatch.setattr(export, "_SERVER", _BrokenServer(OSError("server died")))
    monkeypatch.setattr(export, "_browser_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(pio, "to_image", no_chrome)
    with pytest.raises(ExportUnavailable):
        export.figure_image(_bar())


def test_broken_warm_server_falls_back_to_plotly(warm_export, monkeypatch):
    server = _BrokenServer(OSError("browser crashed"))
    monkeypatch.setattr(export, "_SERVER", server)
    png = export.figure_image(_bar(), width=300, height=200, scale=1)
    assert _png_size(png) == (300, 200)
    assert server.stopped == 1


# --------------------------------------------------------------------------- CSV


def test_csv_round_trips_through_pandas():
    df = pd.DataFrame(
        {
            "document": ["A-RES-60-175", "A-RES-67-189"],
            "session": [60, 67],
            "share": [0.125, -0.5],
            "sponsors": [["Italy", "Côte d’Ivoire"], ()],
            "note": ['Urges States, "in particular"\nnew line', None],
        }
    )
    data = export.frame_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM so Excel reads UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["document", "session", "share", "sponsors", "note"]
    assert back["document"].tolist() == ["A-RES-60-175", "A-RES-67-189"]
    assert back["session"].tolist() == [60, 67]
    assert back["share"].tolist() == [0.125, -0.5]
    assert back["sponsors"].iloc[0] == "Italy; Côte d’Ivoire"
    assert pd.isna(back["sponsors"].iloc[1])  # an empty list is an empty cell
    assert back["note"].iloc[0] == 'Urges States, "in particular"\nnew line'
    assert pd.isna(back["note"].iloc[1])
    assert df["sponsors"].iloc[0] == ["Italy", "Côte d’Ivoire"]  # input not modified


def test_csv_defuses_spreadsheet_formulas_in_text_only():
    df = pd.DataFrame({"text": ['=HYPERLINK("http://x","y")', "@SUM(A1)", "plain"], "delta": [-3, 2, 0]})
    back = pd.read_csv(io.BytesIO(export.frame_csv(df)), encoding="utf-8-sig")
    assert back["text"].tolist() == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "plain"]
    assert back["delta"].tolist() == [-3, 2, 0]
    raw = pd.read_csv(io.BytesIO(export.frame_csv(df, excel_safe=False)), encoding="utf-8-sig")
    assert raw["text"].iloc[0] == '=HYPERLINK("http://x","y")'


def test_csv_text_is_frame_csv_without_bom_and_with_newlines():
    df = pd.DataFrame({"key": ["OP3", "PP2"], "sponsors": [["Italy", None], ()], "lead": ["=cmd", "Recalling"]})
    assert export.csv_text(df) == "key,sponsors,lead\nOP3,Italy; ,'=cmd\nPP2,,Recalling\n"
    assert export.frame_csv(df) == b"\xef\xbb\xbf" + export.csv_text(df).replace("\n", "\r\n").encode()
    assert export.csv_text(df, excel_safe=False).splitlines()[1] == "OP3,Italy; ,=cmd"


@pytest.fixture(scope="module")
def treaty_rows(docs):
    from analytics.treaties import treaty_figures
    return treaty_figures([docs["A-RES-65-232"], docs["A-RES-67-189"]])


def test_frame_text_in_three_formats(treaty_rows):
    # 65/232 OP24 "... has reached one hundred and fifty-eight"; 67/189 OP3 "... has reached 172"
    rows = json.loads(export.frame_text(treaty_rows, "json"))
    assert [(r["session"], r["parties"], r["number"]) for r in rows] == [(65, 158, 24), (67, 172, 3)]
    table = export.frame_text(treaty_rows, "table")
    assert table.endswith("\n") and len(table.splitlines()) == 3
    assert table.splitlines()[0].split()[:3] == ["document", "symbol", "session"]
    back = list(csv.DictReader(io.StringIO(export.frame_text(treaty_rows, "csv"))))
    assert [(r["document"], r["parties"]) for r in back] == [("A-RES-65-232", "158"), ("A-RES-67-189", "172")]
    with pytest.raises(ValueError, match="fmt must be one of"):
        export.frame_text(treaty_rows, "xml")


def test_frame_table_blanks_missing_values_and_names_an_empty_table():
    df = pd.DataFrame({"id": ["draft-66", "A-RES-67-189"], "symbol": [None, "A/RES/67/189"]})
    assert export.frame_table(df).splitlines()[1].split() == ["draft-66"]      # no "None"/"NaN"
    assert export.frame_table(df.iloc[:0]) == "(no rows)\n"


def test_json_text_of_frames_and_values():
    df = pd.DataFrame({"date": pd.to_datetime(["2012-12-20"]), "sponsor": ["Côte d’Ivoire"]})
    assert json.loads(export.json_text(df)) == [{"date": "2012-12-20T00:00:00.000", "sponsor": "Côte d’Ivoire"}]
    assert export.json_text({"a": "Côte d’Ivoire"}) == '{\n  "a": "Côte d’Ivoire"\n}\n'   # UTF-8, not \\u
    assert export.json_text({"d": dt.date(2012, 12, 20)}, default=str) == '{\n  "d": "2012-12-20"\n}\n'


# --------------------------------------------------------------------------- briefing pack


def _pack_items() -> list[PackItem]:
    hostile_fig = _bar("Chart " + HOSTILE)
    hostile_fig.update_layout(width=1100, height=380)
    return [
        PackItem(
            title="Cybercrime " + HOSTILE,
            figure=hostile_fig,
            caption="Caption & " + HOSTILE,
            quotes=(
                ("A/RES/67/189 OP5 " + HOSTILE, "Urges Member States " + HOSTILE),
                ("A/RES/65/232 PP3", "Recalling its resolution 64/179"),
            ),
        ),
        PackItem(title="Trafficking in persons", figure=_bar("Second chart"), caption="Second caption"),
        PackItem(title="Text only", figure=None, caption="", quotes=(("Note", "No chart here"),)),
    ]


def test_pack_escapes_all_document_text():
    page = export.briefing_pack_html(_pack_items(), title="Brief " + HOSTILE, subtitle="Sub " + HOSTILE)
    assert HOSTILE not in page
    assert "alert(1)</script>" not in page
    # <title>, h1, subtitle, item title, caption, quote label, quote text
    assert page.count(HOSTILE_ESCAPED) == 7
    assert "Caption &amp; " in page


def test_pack_embeds_plotlyjs_exactly_once_and_nothing_external():
    page = export.briefing_pack_html(_pack_items(), title="Brief")
    bundle = get_plotlyjs()
    assert page.count(bundle) == 1
    assert page.count(bundle[:80]) == 1  # no second copy of another version either
    rest = page.replace(bundle, "").lower()
    assert not re.search(r"<script[^>]*\bsrc\s*=", rest)
    assert "<link" not in rest
    assert not re.search(r"\b(src|href)\s*=", rest)
    for needle in ("http://", "https://", "cdn", "url("):
        assert needle not in rest


def test_pack_sections_in_order_with_one_chart_per_figure():
    items = _pack_items()
    page = export.briefing_pack_html(items, title="Brief")
    assert page.count("Plotly.newPlot(") == 2
    positions = [page.index(marker) for marker in (
        "Cybercrime &lt;script", 'id="chart-1"', "Caption &amp;", "Urges Member States",
        "Trafficking in persons", 'id="chart-2"', "Second caption", "Text only", "No chart here",
    )]
    assert positions == sorted(positions)
    assert 'id="chart-3"' not in page
    assert items[0].figure.layout.width == 1100  # the caller's figure is not resized


def test_pack_pdf_renders_offline(warm_export):
    page = export.briefing_pack_html(_pack_items(), title="Emerging issues brief", subtitle="Sessions 60-67")
    pdf = export.briefing_pack_pdf(page)
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Emerging issues brief" in text
    assert "Second chart" in text  # drawn by the embedded plotly.js, so scripts ran offline
    assert HOSTILE in text  # shown as literal text, never executed

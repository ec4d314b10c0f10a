"""Figure builders on the real bundled corpus: titles, axes, traces, points and hover wording."""
from __future__ import annotations

import math
import os
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics import figures as F
from analytics.compare import compare_frames
from analytics.drift import distances, term_changes, term_trend
from analytics.emerging import emerging_issues, emerging_matrix
from analytics.keyness import keyness_docs
from analytics.lineage import lineage
from analytics.records import representative
from analytics.themes import representative_ids, theme_counts, theme_deltas, theme_series
from analytics.treaties import treaty_figures

PALETTE = set(F.OKABE_ITO) | {F.GREY, "#C9D2DA"} | set(F.ALIGN_STATUS_COLOURS.values()) | \
    set(F.LINEAGE_STATUS_COLOURS.values()) | {c for c, _, _ in F.STATUS_STYLE.values()}


def title(fig: go.Figure) -> str:
    return fig.layout.title.text


def axis_titles(fig: go.Figure) -> tuple[str, str]:
    return fig.layout.xaxis.title.text, fig.layout.yaxis.title.text


def source_note(fig: go.Figure) -> str:
    notes = [a.text for a in fig.layout.annotations if a.text.startswith("Source")]
    assert len(notes) == 1
    return notes[0]


def trace_colours(fig: go.Figure) -> set[str]:
    out = set()
    for t in fig.data:
        marker = getattr(t, "marker", None)
        c = getattr(marker, "color", None) if marker is not None else None
        if isinstance(c, str):
            out.add(c)
        elif c is not None and not isinstance(c, (int, float)):
            out.update(x for x in c if isinstance(x, str))
    return out


@pytest.fixture(scope="module")
def all_docs(corpus):
    return corpus.documents


@pytest.fixture(scope="module")
def labels(all_docs):
    return {d.id: d.label for d in all_docs}


# --------------------------------------------------------------------------- helpers


def test_hover_text_escapes_wraps_and_limits():
    s = F.hover_text("<script>alert(1)</script> " + "word " * 200)
    assert "<script>" not in s and "&lt;script&gt;" in s
    assert "<br>" in s
    assert s.endswith("…")
    assert F.hover_text(None) == "" and F.hover_text(float("nan")) == ""


def test_source_caption_names_documents_and_abbreviates():
    assert F.source_caption(["A/RES/65/232", "A/RES/67/189"]) == "Source: A/RES/65/232, A/RES/67/189"
    long = F.source_caption([f"A/RES/{n}/1" for n in range(50, 60)])
    assert long == "Source: A/RES/50/1, A/RES/51/1 … A/RES/59/1 (10 documents)"
    assert F.source_caption([]) == "Source: no documents"


def test_titles_are_escaped(docs):
    fig = F.empty_figure("<b>x</b>", "nothing <i>here</i>")
    assert title(fig) == "&lt;b&gt;x&lt;/b&gt;"
    assert any("&lt;i&gt;" in a.text for a in fig.layout.annotations)


# --------------------------------------------------------------------------- overview


def test_paragraph_counts(corpus, all_docs):
    from views.overview import paragraph_data
    df = paragraph_data(corpus, all_docs)           # the table the Overview page charts
    assert list(df.columns) == ["document", "label", "session", "kind", "preambular", "operative"]
    assert list(df["document"]) == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66",
                                    "A-RES-67-189"]
    assert list(df["kind"]) == ["resolution", "resolution", "resolution", "draft", "resolution"]
    fig = F.paragraph_counts(df, source=F.source_caption(df["label"]))
    assert title(fig) == "Paragraphs per document"
    assert axis_titles(fig) == ("Document", "Paragraphs")
    assert [t.name for t in fig.data] == ["Preambular", "Operative"]
    assert list(fig.data[0].y) == [15, 18, 24, 24, 31]
    assert list(fig.data[1].y) == [24, 19, 37, 34, 41]
    assert list(fig.data[0].x)[3] == "66th session draft"
    assert "A/RES/60/175" in source_note(fig)
    assert trace_colours(fig) <= PALETTE


# --------------------------------------------------------------------------- themes


@pytest.fixture(scope="module")
def counts(all_docs):
    return theme_counts(all_docs)


def test_theme_heatmap(counts, labels):
    series = theme_series(counts)
    reps = representative_ids(counts)
    names = dict(zip(counts["theme"], counts["label"]))
    fig = F.theme_heatmap(series, labels=names, value="count", source="Source: x",
                          documents={s: labels[d] for s, d in reps.items()},
                          keys=F.theme_keys(counts, reps))
    assert title(fig) == "Theme mentions by session"
    assert axis_titles(fig) == ("Session", "Theme")
    (hm,) = fig.data
    # every session from the first to the last: 61, 62 and 64 are blank columns, not hidden
    assert list(hm.x) == ["60", "61", "62", "63", "64", "65", "66", "67"]
    assert fig.layout.xaxis.type == "linear" and list(fig.layout.xaxis.tickvals) == [60, 63, 65, 66, 67]
    assert len(hm.y) == len(series) == 31
    assert hm.y[0] == "Corruption"
    z = list(hm.z[0])
    assert [z[i] for i in (0, 3, 5, 6, 7)] == [10, 10, 9, 10, 16]
    assert all(v != v for v in (z[1], z[2], z[4])) and hm.hoverongaps is False
    assert hm.colorscale[0][1] != hm.colorscale[-1][1]          # a real sequential scale
    # hover names the representative text, the paragraphs behind the count and the year
    assert hm.customdata[0][7][0] == "A/RES/67/189"
    assert "OP" in hm.customdata[0][7][1]
    assert hm.customdata[0][7][2] == "2012"
    assert hm.customdata[0][6][0] == "66th session draft"


def test_theme_heatmap_per_1000(counts):
    series = theme_series(counts, value="per_1000")
    fig = F.theme_heatmap(series, labels={}, value="per_1000", source="Source: x")
    assert title(fig) == "Theme mentions by session (per 1,000 words)"
    assert fig.data[0].z[0][0] == pytest.approx(4.32526, abs=1e-4)
    assert "per 1,000 words" in fig.data[0].hovertemplate


def test_theme_heatmap_numbers_only_in_cells_that_hold_them(counts):
    small = theme_series(counts)                     # 31 themes x 8 sessions: wide cells
    fig = F.theme_heatmap(small, labels={}, value="count", source="Source: x")
    assert fig.data[0].texttemplate == "%{z}" and fig.data[0].textfont.size == 11
    per = F.theme_heatmap(theme_series(counts, value="per_1000"), labels={}, value="per_1000", source="x")
    assert per.data[0].texttemplate == "%{z:.1f}"
    # 57 sessions at the same width: cells about 11 px wide, too narrow for a number
    wide = pd.DataFrame([[float(i + j) for j in range(57)] for i in range(31)],
                        index=[f"t{i}" for i in range(31)], columns=list(range(24, 81)))
    fig = F.theme_heatmap(wide, labels={}, value="count", source="Source: x")
    (hm,) = fig.data
    assert hm.texttemplate is None and hm.text is None
    assert len(hm.x) == 57 and hm.z[30][56] == 86.0            # the values are all still there
    assert "%{z:d} mentions" in hm.hovertemplate               # ... and in the hover
    ticks = list(fig.layout.xaxis.tickvals)                    # unrotated, so one every 2 sessions
    assert ticks[:3] == [24, 26, 28] and ticks[-1] == 80 and fig.layout.xaxis.tickangle == 0
    assert F.heatmap_cells_hold_text(sessions=8, themes=31, height=1068, left=200)
    assert not F.heatmap_cells_hold_text(sessions=57, themes=31, height=1068, left=200)
    assert not F.heatmap_cells_hold_text(sessions=8, themes=31, height=500, left=200)   # rows too low


def test_theme_heatmap_fixed_margins_fit_the_labels(counts):
    names = dict(zip(counts["theme"], counts["label"]))
    fig = F.theme_heatmap(theme_series(counts), labels=names, value="count", source="Source: x")
    assert fig.layout.xaxis.automargin is False and fig.layout.yaxis.automargin is False
    shown = list(fig.layout.yaxis.ticktext)
    assert list(fig.layout.yaxis.tickvals) == list(fig.data[0].y)           # ticks name every row
    assert fig.layout.margin.l == F.LEFT_MARGIN_MAX                         # a 66-character label
    long = "International cooperation, extradition and mutual legal assistance"
    short = shown[list(fig.data[0].y).index(long)]
    assert short.endswith("…") and long.startswith(short[:-1])            # shortened on the axis only
    assert "Corruption" in shown and long in fig.data[0].y
    few = F.theme_heatmap(theme_series(counts), labels={}, value="count", source="Source: x")
    assert few.layout.margin.l < F.LEFT_MARGIN_MAX                          # short ids: a narrow margin
    assert list(few.layout.yaxis.ticktext) == list(few.data[0].y)


def test_theme_lines_top_rows(counts):
    series = theme_series(counts)
    shown = F.top_rows(series, 8)
    assert len(shown) == 8 and "organized-crime" in shown.index
    assert list(shown.index) == [t for t in series.index if t in set(shown.index)]   # table order kept
    fig = F.theme_lines(shown, labels=dict(zip(counts["theme"], counts["label"])), value="count",
                        source="Source: x")
    assert title(fig) == "Theme trends by session"
    assert axis_titles(fig) == ("Session", "Mentions")
    assert len(fig.data) == 8
    organized = next(t for t in fig.data if t.name == "Organized and transnational crime")
    # the legend's room is reserved from its longest name (no second draw to grow the margin)
    longest = max(len(t.name) for t in fig.data)
    assert fig.layout.margin.r == min(F.LEGEND_MARGIN_MAX, math.ceil(F.LEGEND_PAD_PX + F.LEGEND_CHAR_PX * longest))
    assert F.theme_lines(shown, labels={}, value="count", source="x").layout.margin.r < fig.layout.margin.r
    assert list(organized.y) == [11, 15, 37, 32, 40]
    assert trace_colours(fig) <= PALETTE
    table = F.theme_table(shown, {}, {67: "A/RES/67/189"})
    assert list(table.columns)[-1] == "session 67 (A/RES/67/189)" and len(table) == 8


def test_theme_delta_chart(all_docs, docs):
    pair = [docs["A-RES-65-232"], docs["A-RES-67-189"]]
    deltas = theme_deltas(theme_counts(pair), "A-RES-65-232", "A-RES-67-189")
    fig = F.theme_delta_chart(deltas.head(10), a_label="A/RES/65/232", b_label="A/RES/67/189",
                              source="Source: A/RES/65/232, A/RES/67/189")
    assert title(fig) == "Theme changes: A/RES/65/232 → A/RES/67/189"
    assert axis_titles(fig)[0].startswith("Change in mentions per 1,000 words")
    assert len(fig.data[0].y) == 10
    assert trace_colours(fig) <= PALETTE


# --------------------------------------------------------------------------- emerging


def test_emerging_timeline(all_docs, labels):
    from analytics.emerging import issue_status
    rows = emerging_issues(all_docs)
    matrix = emerging_matrix(rows, docs=all_docs)
    docs = {s: d.label for s, d in representative(all_docs).items()}
    fig = F.emerging_timeline(matrix, rows, source="Source: x", documents=docs,
                              mentions=issue_status(all_docs, rows=rows))
    assert title(fig) == "Emerging issues: first appearance and persistence"
    assert axis_titles(fig) == ("Session", "Issue")
    by_name = {t.name: t for t in fig.data if t.name}
    assert set(by_name) == {"first listed", "still listed", "listed again", "dropped from the list",
                            "not on the list", "no list in this text"}
    assert not any("no longer mentioned" in str(t.hovertext) for t in fig.data)
    firsts = by_name["first listed"]
    assert len(firsts.x) == len(matrix) == 8
    point = list(zip(firsts.x, firsts.y)).index(("66", "Trafficking in cultural property"))
    assert "trafficking in cultural property" in firsts.hovertext[point]
    assert "66th session draft" in firsts.hovertext[point] and "OP17" in firsts.hovertext[point]
    assert "mentioned 7 times in this text (PP9, OP17, OP20)" in firsts.hovertext[point]
    back = by_name["listed again"]
    i = list(zip(back.x, back.y)).index(("67", "Economic fraud and identity-related crime"))
    assert "identity-related crime" in back.hovertext[i]
    dropped = by_name["dropped from the list"]
    i = list(zip(dropped.x, dropped.y)).index(("66", "Urban crime"))
    assert "not mentioned anywhere in this text" in dropped.hovertext[i] and dropped.text[i] == ""
    # not on 65/232's list, yet mentioned six times: drawn, with the count beside it
    absent = by_name["not on the list"]
    i = list(zip(absent.x, absent.y)).index(("65", "Trafficking in cultural property"))
    assert absent.text[i] == "6" and "(PP7, OP20)" in absent.hovertext[i]
    assert ("63", "Piracy") not in list(zip(absent.x, absent.y))    # neither listed nor mentioned
    assert set(by_name["no list in this text"].x) == {"60"}
    assert trace_colours(fig) <= PALETTE


def test_detected_timeline(all_docs, labels):
    from analytics.detect import detect
    found = detect(all_docs, top=5)
    sessions = list(representative(all_docs))
    fig = F.detected_timeline(found, sessions=sessions, source="Source: x",
                              documents={s: d.label for s, d in representative(all_docs).items()})
    assert title(fig) == "Emerging issues found in the text: first use and persistence"
    assert axis_titles(fig) == ("Session", "Term (first session)")
    again, first = fig.data
    assert (first.name, again.name) == ("first used", "used again")
    assert len(first.x) == 5
    i = list(first.y).index("cultural property (65)")
    assert first.x[i] == "65" and "PP7" in first.hovertext[i] and "score 2.68" in first.hovertext[i]
    assert list(fig.layout.yaxis.categoryarray)[-1] == "cultural property (65)"    # best on top
    assert trace_colours(fig) <= PALETTE


# --------------------------------------------------------------------------- treaties


def test_treaty_chart_points_and_quotes(all_docs, labels):
    rows = treaty_figures(all_docs)
    kinds = {d.id: d.kind for d in all_docs}
    data = rows.assign(label=[labels[d] for d in rows["document"]], kind=[kinds[d] for d in rows["document"]])
    fig = F.treaty_chart(data, source=F.source_caption(data["label"]))
    assert title(fig) == "Parties to conventions, as stated in each resolution"
    assert axis_titles(fig) == ("Session", "Parties")
    (trace,) = fig.data
    assert trace.name == "UNTOC" and fig.layout.showlegend is True
    assert list(trace.x) == ["65", "66", "67"]
    assert list(trace.y) == [158, 164, 172]
    assert list(trace.text) == ["158", "164", "172"]            # every point labelled
    assert "one hundred and fifty-eight" in trace.hovertext[0]
    assert "A/RES/65/232 OP24" in trace.hovertext[0]
    assert "draft" in trace.hovertext[1] and list(trace.marker.symbol) == ["circle", "circle-open", "circle"]
    assert source_note(fig) == "Source: A/RES/65/232, 66th session draft, A/RES/67/189"


# --------------------------------------------------------------------------- drift


def test_drift_chart(all_docs):
    data = distances(all_docs)
    fig = F.drift_chart(data, source="Source: x")
    assert title(fig) == "Topic drift between consecutive sessions"
    assert axis_titles(fig) == ("Sessions", "Distance (1 − cosine similarity)")
    assert list(fig.data[0].x) == ["60→63", "63→65", "65→66", "66→67"]
    assert fig.data[0].y[0] == pytest.approx(0.5348, abs=1e-3)
    assert fig.data[0].y[2] < fig.data[0].y[0]                  # draft 66 is close to 65


def test_term_changes_chart(all_docs):
    data = term_changes(all_docs, 60, 67, top=5)
    fig = F.term_changes_chart(data, a_label="session 60", b_label="session 67", source="Source: x")
    assert title(fig) == "Rising and falling terms: session 60 → session 67"
    assert axis_titles(fig) == ("Change in term weight (tf-idf, B − A)", "Term")
    assert len(fig.data[0].y) == 10
    assert set(fig.data[0].marker.color) == set(F.DIVERGING)
    assert "contributions" in list(fig.data[0].y)


def test_term_trend_chart(all_docs, labels):
    data = term_trend(all_docs, "cybercrime")
    data = data.assign(label=[labels[d] for d in data["document"]])
    fig = F.term_trend_chart(data, term="cybercrime", source="Source: x")
    assert title(fig) == "Trend of “cybercrime”"
    assert axis_titles(fig) == ("Session", "Mentions per 1,000 words")
    assert list(fig.data[0].text) == ["0", "1", "3", "3", "3"]
    assert fig.data[0].customdata[3][0] == "66th session draft"


# --------------------------------------------------------------------------- compare


def test_status_and_keyness_charts(all_docs):
    frames = compare_frames(all_docs, "65", "67")
    s = frames["summary"]
    data = s[s["part"] != "total"].rename(columns={"count": "paragraphs"})
    fig = F.status_chart(data, a_label="A/RES/65/232", b_label="A/RES/67/189", source="Source: x")
    assert axis_titles(fig) == ("Part", "Paragraphs")
    totals = {t.name: sum(t.y) for t in fig.data}
    assert totals == {"carried": 17, "amended": 31, "new": 24, "dropped": 13}
    assert trace_colours(fig) <= PALETTE

    docs = {d.id: d for d in all_docs}
    key = keyness_docs(docs["A-RES-60-175"], docs["A-RES-67-189"])
    fig = F.keyness_chart(key, a_label="A/RES/60/175", b_label="A/RES/67/189", source="Source: x")
    assert title(fig) == "Distinctive terms: A/RES/60/175 vs A/RES/67/189"
    assert [t.name for t in fig.data] == ["more in A/RES/67/189", "more in A/RES/60/175"]
    assert sum(len(t.y) for t in fig.data) == len(key)
    assert all(x > 0 for x in fig.data[1].x) and all(x < 0 for x in fig.data[0].x)
    assert "contributions" in list(fig.data[1].y)


# --------------------------------------------------------------------------- lineage


def test_lineage_charts(all_docs, docs, labels):
    rows = lineage(all_docs)
    counts = F.origin_counts(rows, labels)
    assert counts.groupby("document")["paragraphs"].sum().to_dict()["A-RES-67-189"] == 72
    fig = F.lineage_overview(counts, source="Source: x")
    assert axis_titles(fig) == ("Document", "Paragraphs")
    assert [t.name for t in fig.data] == ["session 60", "session 63", "session 65", "session 66", "session 67"]

    doc = docs["A-RES-67-189"]
    texts = {p.key: p.text for p in doc.paragraphs}
    one = rows[rows["document"] == doc.id].assign(
        origin_label=lambda d: [labels[x] for x in d["origin_document"]],
        text=lambda d: [texts[k] for k in d["key"]])
    fig = F.lineage_paragraphs(one, doc_label=doc.label, source="Source: x")
    assert title(fig) == "Agreed language in A/RES/67/189"
    assert axis_titles(fig) == ("Paragraph", "Session the wording first appears")
    sizes = {t.name: len(t.x) for t in fig.data}
    assert sizes == {"agreed": 38, "amended": 17, "new": 17}
    agreed = next(t for t in fig.data if t.name == "agreed")
    first = agreed.hovertext[0]
    key = agreed.x[0]
    assert re.sub(r"<br>", " ", first).count(texts[key].split()[0]) >= 1
    assert "wording first in session" in first


# --------------------------------------------------------------------------- export of our figures


def test_figure_exports_as_svg_with_the_numbers(all_docs, labels):
    from analytics import export
    if not export.chromium_available():
        message = "static export needs Chromium; install it with: apt-get install -y chromium"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"CI is set and {message}", pytrace=False)
        pytest.skip(message)
    rows = treaty_figures(all_docs)
    data = rows.assign(label=[labels[d] for d in rows["document"]], kind="resolution")
    svg = export.figure_image(F.treaty_chart(data, source="Source: test"), fmt="svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:500]
    for n in ("158", "164", "172", "Parties", "Source: test"):
        assert n in svg


# --------------------------------------------------------------------------- honest session axes


def test_session_axis_is_numeric_and_shows_gaps():
    fig = F.session_axis(go.Figure(go.Scatter(x=["60", "67", "80"], y=[1, 2, 3])), [60, 67, 80])
    ax = fig.layout.xaxis
    assert ax.type == "linear" and list(ax.tickvals) == [60, 67, 80]
    assert ax.tickvals[2] - ax.tickvals[1] == 13                 # 67 -> 80 is a gap, not a neighbour
    assert list(ax.ticktext) == ["60", "67", "80"] and ax.range == (59.4, 80.6)
    assert F.session_year(67) == "2012" and F.session_hover(80) == "session 80 (2025)"


def test_treaty_labels_never_overlap(all_docs, labels):
    rows = pd.DataFrame([
        {"session": 67, "short": "UNTOC", "parties": 172, "label": "A", "key": "OP1", "quote": "q", "kind": "resolution"},
        {"session": 67, "short": "UNCAC", "parties": 170, "label": "A", "key": "OP2", "quote": "q", "kind": "resolution"},
        {"session": 67, "short": "Protocol", "parties": 171, "label": "A", "key": "OP3", "quote": "q", "kind": "resolution"},
        {"session": 80, "short": "UNTOC", "parties": 190, "label": "B", "key": "OP1", "quote": "q", "kind": "resolution"},
        {"session": 80, "short": "UNCAC", "parties": 120, "label": "B", "key": "OP2", "quote": "q", "kind": "resolution"},
    ])
    fig = F.treaty_chart(rows, source="Source: x")
    by = {t.name: t for t in fig.data}
    assert list(by["UNTOC"].textposition) == ["top center", "top center"]
    assert list(by["Protocol"].textposition) == ["bottom center"]        # 171 next to 172: below it
    assert list(by["UNCAC"].text) == ["", "120"]                         # a third at 67: hover only
    assert "170 parties" in by["UNCAC"].hovertext[0]
    assert "session 80 (2025)" in by["UNTOC"].hovertext[1]
    assert fig.layout.xaxis.type == "linear" and list(fig.layout.xaxis.tickvals) == [67, 80]


def test_verb_strength_chart(all_docs, labels):
    from analytics.verbs import level_order, strength_profile
    data = strength_profile(all_docs)
    docs = {int(s): labels[d] for s, d in zip(data["session"], data["document"])}
    fig = F.verb_strength_chart(data, source="Source: x", documents=docs, levels=level_order())
    assert title(fig) == "Strength of the operative verbs by session"
    assert axis_titles(fig) == ("Session", "Share of operative paragraphs")
    assert [t.name for t in fig.data] == ["directs", "invites", "records", "unrated"]
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.type == "linear"
    assert list(fig.layout.xaxis.tickvals) == [60, 63, 65, 66, 67]
    totals = [sum(t.y[i] for t in fig.data) for i in range(5)]
    assert totals == pytest.approx([1.0] * 5)
    assert fig.data[0].customdata[4][:3] == ["A/RES/67/189", "2012", 19]
    assert "Requests" in fig.data[0].customdata[4][3]
    assert trace_colours(fig) <= PALETTE | set(F.LEVEL_COLOURS.values())
    assert source_note(fig) == "Source: x"


def test_citation_timeline():
    data = pd.DataFrame([
        {"session": 67, "document": "A/RES/67/189", "body": "General Assembly", "citations": 6, "cited": "46/152; 60/1"},
        {"session": 80, "document": "A/RES/80/229", "body": "General Assembly", "citations": 2, "cited": "67/189"},
        {"session": 80, "document": "A/RES/80/229", "body": "Security Council", "citations": 1, "cited": "SC 1373 (2001)"},
    ])
    fig = F.citation_timeline(data, source="Source: x")
    assert axis_titles(fig) == ("Citing session", "Cited body")
    ga, sc = fig.data
    assert (ga.name, sc.name) == ("General Assembly", "Security Council")
    assert list(ga.x) == ["67", "80"] and list(ga.text) == ["6", "2"]
    assert fig.layout.xaxis.type == "linear" and list(fig.layout.xaxis.tickvals) == [67, 80]
    assert ga.customdata[0] == ["2012", "A/RES/67/189", "46/152; 60/1"]
    assert list(fig.layout.yaxis.categoryarray) == ["Security Council", "General Assembly"]


def test_session_axes_of_the_existing_builders(all_docs, labels):
    rows = treaty_figures(all_docs)
    data = rows.assign(label=[labels[d] for d in rows["document"]], kind="resolution")
    for fig in (F.treaty_chart(data, source="Source: x"),
                F.term_trend_chart(term_trend(all_docs, "piracy"), term="piracy", source="Source: x")):
        assert fig.layout.xaxis.type == "linear"
        assert all(isinstance(v, int) for v in fig.layout.xaxis.tickvals)


def test_a_long_source_caption_wraps_and_loses_nothing():
    import plotly.graph_objects as go
    source = "Source: " + ", ".join(f"A/RES/{s}/229" for s in range(60, 81)) + " \u2014 series: " + "x" * 40
    fig = F._finish(go.Figure(), title="T", x="a", y="b", source=source)
    text = fig.layout.annotations[-1].text
    assert all(len(line) <= F.SOURCE_WIDTH for line in text.split("<br>")) and text.count("<br>") >= 1
    assert text.replace("<br>", " ") == source

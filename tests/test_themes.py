"""Theme counts: exact values from the seeds (counted by hand) and hostile fixtures."""
import re

import pytest

from analytics import themes
from analytics.records import Paragraph, Resolution
from analytics.text import fold


def make_doc(doc_id, session=70, *, kind="resolution", preambular=(), operative=(), symbol="auto"):
    if symbol == "auto":
        symbol = None if kind == "draft" else f"A/RES/{session}/1"
    return Resolution(
        id=doc_id, symbol=symbol, session=session, year=None, date=None, kind=kind,
        title="t", sponsors=(), agenda_item=None, committee_report=None, plenary_meeting=None,
        keywords=(), source=f"{doc_id}.txt", sha256="0" * 64,
        preambular=tuple(Paragraph("preambular", i, None, t.split()[0], t)
                         for i, t in enumerate(preambular, 1)),
        operative=tuple(Paragraph("operative", i, i, t.split()[0], t)
                        for i, t in enumerate(operative, 1)),
        footnotes=())


def row(df, doc, theme):
    sub = df[(df["document"] == doc) & (df["theme"] == theme)]
    assert len(sub) == 1
    return sub.iloc[0]


@pytest.fixture(scope="module")
def counts(docs):
    return themes.theme_counts(docs.values())


# --- the bundled lexicon -----------------------------------------------------------------------

def test_bundled_lexicon_covers_the_field():
    lex = themes.load_lexicon()
    assert len(lex) >= 24
    for tid in ["corruption", "terrorism", "trafficking-in-persons", "smuggling-of-migrants",
                "firearms", "money-laundering", "cybercrime", "piracy", "kidnapping",
                "drug-trafficking", "violence-against-women", "children-juvenile-justice",
                "cultural-property", "environmental-crime", "organized-crime", "rule-of-law",
                "technical-assistance", "funding-resources", "data-crime-trends", "legal-aid",
                "standards-norms-prisons", "identity-fraud", "illicit-flows-asset-recovery",
                "international-cooperation", "crime-prevention", "victims-witnesses"]:
        assert tid in lex, tid
        assert lex[tid]["label"] and lex[tid]["phrases"]
    # phrases are stored folded: the hyphenated and hyphen-lost spellings are one
    assert "moneylaundering" in lex["money-laundering"]["phrases"]
    assert "money laundering" in lex["money-laundering"]["phrases"]
    assert all(p == fold(p) for t in lex.values() for p in t["phrases"])


# --- exact counts on the seeds -----------------------------------------------------------------

def test_one_row_per_document_and_theme_with_zeros(counts, docs):
    lex = themes.load_lexicon()
    assert list(counts.columns) == ["document", "symbol", "session", "kind", "theme", "label",
                                    "count", "per_1000", "preambular", "operative", "paragraphs"]
    assert len(counts) == len(docs) * len(lex)
    assert list(counts["document"].unique()) == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232",
                                                 "draft-66", "A-RES-67-189"]
    assert list(counts["theme"][:len(lex)]) == list(lex)
    piracy_60 = row(counts, "A-RES-60-175", "piracy")
    assert piracy_60["count"] == 0 and piracy_60["paragraphs"] == [] and piracy_60["per_1000"] == 0


def test_kidnapping_in_63_195(counts, docs):
    # OP3 "... terrorism, kidnapping and trafficking in persons" and OP5 "... combat kidnapping"
    r = row(counts, "A-RES-63-195", "kidnapping")
    assert (r["count"], r["preambular"], r["operative"]) == (2, 0, 2)
    assert r["paragraphs"] == ["OP3", "OP5"]
    assert r["per_1000"] == pytest.approx(2 * 1000 / docs["A-RES-63-195"].word_count)
    assert r["symbol"] == "A/RES/63/195" and r["session"] == 63 and r["kind"] == "resolution"


def test_money_laundering_hyphenated_and_hyphen_lost(counts):
    # 63/195 OP3 money-laundering; OP4 money-laundering, Money-Laundering (programme),
    # "Financial Action Task Force on Money Laundering" (once), money-laundering.
    r = row(counts, "A-RES-63-195", "money-laundering")
    assert (r["count"], r["paragraphs"]) == (5, ["OP3", "OP4"])
    # 65/232 has every hyphen lost in the source ("moneylaundering"): same five mentions
    r = row(counts, "A-RES-65-232", "money-laundering")
    assert (r["count"], r["preambular"], r["operative"]) == (5, 1, 4)


def test_longest_match_counts_once_for_organized_crime(counts):
    # 63/195: 14 x "organized crime" (most inside "transnational organized crime")
    # + 1 x "transnational crime" (PP2); each counted once
    assert row(counts, "A-RES-63-195", "organized-crime")["count"] == 15


def test_terrorism_includes_counter_terrorism(counts):
    # 63/195: 12 x "terrorism" (one in "financing of terrorism") + 3 x "Counter-Terrorism"
    assert row(counts, "A-RES-63-195", "terrorism")["count"] == 15


def test_other_seed_counts(counts):
    assert row(counts, "A-RES-67-189", "corruption")["count"] == 16
    assert row(counts, "A-RES-60-175", "rule-of-law")["count"] == 5
    tip = row(counts, "A-RES-63-195", "trafficking-in-persons")   # PP9, PP11 (Human Trafficking), OP3, OP8
    assert (tip["count"], tip["paragraphs"]) == (4, ["PP9", "PP11", "OP3", "OP8"])
    assert [row(counts, d, "cybercrime")["count"] for d in
            ("A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66", "A-RES-67-189")] == [0, 1, 3, 3, 3]
    piracy = row(counts, "A-RES-65-232", "piracy")                # OP17 list, OP23 "piracy by sea"
    assert (piracy["count"], piracy["paragraphs"]) == (2, ["OP17", "OP23"])
    legal = row(counts, "A-RES-67-189", "legal-aid")              # OP12 once, OP36 twice
    assert (legal["count"], legal["paragraphs"]) == (3, ["OP12", "OP36"])
    # 63/195 OP7: the whole forest-products phrase is one mention
    env = row(counts, "A-RES-63-195", "environmental-crime")
    assert (env["count"], env["paragraphs"]) == (1, ["OP7"])
    # the field's name "crime prevention and criminal justice" is not a mention of prevention
    assert row(counts, "A-RES-63-195", "crime-prevention")["count"] == 0


# --- matching rules on hand-made text ---------------------------------------------------------

def test_overlaps_exclusions_and_independent_themes():
    doc = make_doc("x", operative=[
        "Urges action against transnational organized crime and organized crime;",
        "Notes the Commission on Crime Prevention and Criminal Justice and crime prevention policies;",
        "Concerned about smuggling of and trafficking in human beings;",
        "Recalls the Protocol on Trafficking in Persons, Especially Women and Children, and child victims;",
        "Combats Money Laundering, money-laundering and MONEYLAUNDERING;",
    ])
    df = themes.theme_counts([doc])
    assert row(df, "x", "organized-crime")["count"] == 2
    assert row(df, "x", "crime-prevention")[["count", "paragraphs"]].tolist() == [1, ["OP2"]]
    assert row(df, "x", "smuggling-of-migrants")["count"] == 1
    assert row(df, "x", "trafficking-in-persons")["count"] == 2
    assert row(df, "x", "children-juvenile-justice")[["count", "paragraphs"]].tolist() == [1, ["OP4"]]
    assert row(df, "x", "money-laundering")["count"] == 3


def test_word_boundaries():
    doc = make_doc("x", preambular=["Recalling childhood, terrorismo and subcorruption,"],
                   operative=["Notes children;"])
    df = themes.theme_counts([doc])
    assert row(df, "x", "children-juvenile-justice")[["preambular", "operative"]].tolist() == [0, 1]
    assert row(df, "x", "terrorism")["count"] == 0
    assert row(df, "x", "corruption")["count"] == 0


def test_matcher_agrees_with_one_regex_per_theme(docs):
    """The trie + prefix-table engine equals per-theme leftmost-longest regexes."""
    lex = themes.load_lexicon()
    m = themes.matcher(lex)
    ids = list(lex)
    for doc in docs.values():
        for para in doc.paragraphs:
            text = fold(para.text)
            got = m.counts(text)
            for g, tid in enumerate(ids):
                alts = sorted(lex[tid]["phrases"] + lex[tid]["exclude"], key=len, reverse=True)
                rx = re.compile(r"(?<![^\W_])(" + "|".join(map(re.escape, alts)) + r")(?![^\W_])")
                want = sum(1 for x in rx.finditer(text) if x.group(1) not in lex[tid]["exclude"])
                assert got[g] == want, (doc.id, para.key, tid)


def test_empty_document_and_custom_lexicon():
    lex = {"a": {"label": "A", "phrases": ("Foo-Bar", "foo")}, "b": {"label": "B", "phrases": ("baz",)}}
    docs = [make_doc("empty"), make_doc("y", operative=["Foo-bar, foobar, foo bar and foo;"])]
    df = themes.theme_counts(docs, lexicon=lex)
    assert row(df, "empty", "a")["per_1000"] == 0.0
    # "Foo-bar" folds to "foobar" like the phrase "Foo-Bar"; "foo bar" is only "foo"
    assert row(df, "y", "a")["count"] == 4
    assert row(df, "y", "b")["count"] == 0


# --- lexicon files -----------------------------------------------------------------------------

def test_corpus_override_extends_and_replaces(tmp_path):
    (tmp_path / "themes.toml").write_text(
        '[[theme]]\nid = "piracy"\nlabel = "Sea crime"\nadd_phrases = ["sea robbery"]\n\n'
        '[[theme]]\nid = "kidnapping"\nremove = true\n\n'
        '[[theme]]\nid = "new-theme"\nlabel = "New"\nphrases = ["Widget-Crime"]\n', encoding="utf-8")
    lex = themes.load_lexicon(corpus_dir=tmp_path)
    assert lex["piracy"]["label"] == "Sea crime"
    assert "sea robbery" in lex["piracy"]["phrases"] and "piracy" in lex["piracy"]["phrases"]
    assert "kidnapping" not in lex
    assert lex["new-theme"]["phrases"] == ("widgetcrime",)
    df = themes.theme_counts([make_doc("x", operative=["Fights widget-crime and sea robbery;"])], lexicon=lex)
    assert row(df, "x", "new-theme")["count"] == 1 and row(df, "x", "piracy")["count"] == 1
    # a folder without an override gives the bundled lexicon
    assert themes.load_lexicon(corpus_dir=tmp_path / "nowhere") == themes.load_lexicon()


def test_bad_toml_names_the_file(tmp_path):
    bad = tmp_path / "themes.toml"
    bad.write_text("[[theme]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(bad))):
        themes.load_lexicon(corpus_dir=tmp_path)
    bad.write_text('[[theme]]\nid = "x"\nlabel = "X"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no phrases"):
        themes.load_lexicon(corpus_dir=tmp_path)
    bad.write_text('[[theme]]\nid = "x"\nlabel = "X"\nphrases = "not a list"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="list of strings"):
        themes.load_lexicon(bad)


# --- series and deltas -------------------------------------------------------------------------

def test_theme_series_uses_representative_documents(docs):
    # a draft of session 67 with different wording must not replace the adopted text
    draft67 = make_doc("draft-67", 67, kind="draft", operative=["Combats piracy, piracy and piracy;"])
    all_docs = list(docs.values()) + [draft67]
    df = themes.theme_counts(all_docs)
    series = themes.theme_series(df)
    assert list(series.columns) == [60, 63, 65, 66, 67]
    assert list(series.index) == list(themes.load_lexicon())
    assert series.loc["piracy"].tolist() == [0, 0, 2, 2, 2]
    assert series.loc["kidnapping", 63] == 2
    assert series.loc["cybercrime"].tolist() == [0, 1, 3, 3, 3]
    # session 66 has only a draft: it stands in for the session
    assert series.loc["legal-aid", 67] == 3 and series.loc["legal-aid", 66] == 0
    per = themes.theme_series(df, value="per_1000", sessions=[63, 67])
    assert list(per.columns) == [63, 67]
    assert per.loc["kidnapping", 63] == pytest.approx(2000 / docs["A-RES-63-195"].word_count)
    with pytest.raises(ValueError):
        themes.theme_series(df, value="words")


def test_theme_deltas(counts, docs):
    d = themes.theme_deltas(counts, "draft-66", "A-RES-67-189")
    assert list(d.columns) == ["theme", "label", "count_a", "count_b", "delta", "per_1000_a",
                               "per_1000_b", "delta_per_1000", "change"]
    legal = d[d["theme"] == "legal-aid"].iloc[0]
    assert (legal["count_a"], legal["count_b"], legal["delta"], legal["change"]) == (0, 3, 3, "new")
    assert legal["delta_per_1000"] == pytest.approx(3000 / docs["A-RES-67-189"].word_count)
    same = d[d["theme"] == "piracy"].iloc[0]
    assert (same["count_a"], same["count_b"], same["change"]) == (2, 2, "same")
    assert d["delta_per_1000"].abs().is_monotonic_decreasing
    assert len(d) == len(themes.load_lexicon())
    with pytest.raises(KeyError):
        themes.theme_deltas(counts, "draft-66", "A-RES-99-1")


def test_default_lexicon_is_a_fresh_copy():
    lex = themes.default_lexicon()
    lex["piracy"]["phrases"] = ()
    del lex["kidnapping"]
    again = themes.default_lexicon()
    assert "kidnapping" in again and "piracy" in again["piracy"]["phrases"]


def test_a_lexicon_error_names_the_file_and_the_line(tmp_path):
    from analytics.overrides import FileProblem
    override = tmp_path / "themes.toml"
    override.write_text('[[theme]]\nid = "piracy"\nadd_phrases = ["sea robbery"]\n\n'
                        '[[theme]]\nid = "x"\nlabel = "X"\nphrases = ["x"]\nexclude = [1]\n', encoding="utf-8")
    with pytest.raises(FileProblem) as err:
        themes.load_lexicon(corpus_dir=tmp_path)
    assert str(err.value) == f"{override}: line 9: theme 'x': 'exclude' must be a list of strings"
    assert err.value.short == "themes.toml: line 9: theme 'x': 'exclude' must be a list of strings"
    base = tmp_path / "base.toml"
    base.write_text('[[theme]]\nid = "a"\nlabel = "A"\nphrases = ["a"]\n\n'
                    '[[theme]]\nid = "a"\nlabel = "B"\nphrases = ["b"]\n', encoding="utf-8")
    with pytest.raises(FileProblem, match="line 6: theme id 'a' is defined twice"):
        themes.load_lexicon(base)

"""The configuration stage: overrides beside the documents, one clear message when malformed."""
import shutil
from pathlib import Path

import pytest

from analytics.config import load_config
from analytics.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_lexicons_without_overrides(tmp_path):
    c = load_config(tmp_path)
    assert set(c.sources.values()) == {"bundled"} and c.problems == () and c.series is None
    assert "cybercrime" in c.themes


def test_an_override_is_applied_and_named(tmp_path):
    (tmp_path / "themes.toml").write_text('[[theme]]\nid = "kidnapping"\nremove = true\n', encoding="utf-8")
    c = load_config(tmp_path)
    assert "kidnapping" not in c.themes and c.sources["themes.toml"] == str(tmp_path / "themes.toml")
    assert c.fingerprint != load_config(None).fingerprint


def test_a_malformed_override_falls_back_and_says_where(tmp_path):
    (tmp_path / "themes.toml").write_text('[[theme]]\nid = "x"\nlabel = \n', encoding="utf-8")
    (tmp_path / "series.toml").write_text('[[bogus]]\nid = 1\n', encoding="utf-8")
    c = load_config(tmp_path)
    assert c.themes == load_config(None).themes
    themes_msg, series_msg = c.problems
    assert themes_msg.startswith("themes.toml: ") and "line 3" in themes_msg and "bundled default" in themes_msg
    assert series_msg.startswith("series.toml: ") and "bogus" in series_msg


def test_series_toml_renames_through_the_corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    first = load_corpus(folder, cache_dir=tmp_path / "cache")
    sid = first.series.largest()
    (folder / "series.toml").write_text(f'[rename]\n"{sid}" = "UNODC programme"\n', encoding="utf-8")
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert corpus.config.problems == () and corpus.series.title_of(sid) == "UNODC programme"
    assert corpus.problems == ()   # the override is not read as a document


def test_one_override_gives_the_same_counts_everywhere(tmp_path, monkeypatch):
    """A themes.toml beside the documents: the CLI, the analysis, the dashboard and compare's theme
    deltas all count with it (before, only the dashboard did)."""
    import io
    import json

    from streamlit.testing.v1 import AppTest

    from analytics.cli import main
    from analytics.compare import compare_frames
    from analytics.themes import theme_counts
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    (folder / "themes.toml").write_text('[[theme]]\nid = "kidnapping"\nadd_phrases = ["Member States"]\n',
                                        encoding="utf-8")
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    direct = theme_counts(corpus.documents, lexicon=corpus.config.themes)
    want = dict(direct[direct["theme"] == "kidnapping"][["document", "count"]].values)
    assert want["A-RES-67-189"] > 2       # the bundled lexicon finds kidnapping twice in 67/189

    out = io.StringIO()
    assert main(["themes", "--corpus", str(folder), "--cache", str(tmp_path / "cache"), "--format", "json"],
                out=out, err=io.StringIO()) == 0
    cli = {r["document"]: r["count"] for r in json.loads(out.getvalue()) if r["theme"] == "kidnapping"}
    assert cli == want

    deltas = compare_frames(corpus.documents, "A-RES-65-232", "A-RES-67-189",
                            lexicon=corpus.config.themes)["themes"].set_index("theme")
    assert (deltas.loc["kidnapping", "count_a"], deltas.loc["kidnapping", "count_b"]) == (
        want["A-RES-65-232"], want["A-RES-67-189"])

    monkeypatch.setenv("UNRES_CORPUS_DIR", str(folder))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("UNRES_EXPORT_WARMUP", "0")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["a"], at.query_params["b"] = "A-RES-65-232", "A-RES-67-189"
    at.query_params["themes"] = "kidnapping"
    at.run()
    at.switch_page("views/compare.py").run()
    assert not at.exception
    bars = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if "Theme changes" in json.loads(c.proto.spec)["layout"]["title"]["text"])["data"][0]
    assert [list(map(int, cd[:2])) for cd in bars["customdata"]] == [[want["A-RES-65-232"], want["A-RES-67-189"]]]


# --- conventions and stop words --------------------------------------------------------------

def test_override_files_are_every_configuration_file():
    from analytics.config import OVERRIDE_FILES
    assert OVERRIDE_FILES == ("themes.toml", "emerging_aliases.toml", "conventions.toml", "stopwords.toml",
                              "series.toml")
    assert not any(name.endswith((".txt", ".md", ".pdf")) for name in OVERRIDE_FILES)


PARTIES = ("Noting that 185 States have ratified or acceded to the Organized Crime Treaty, "
           "and that the number of States parties to the Minamata Convention on Mercury has reached 140,")


def test_a_conventions_override_changes_what_treaties_reports(tmp_path):
    from analytics.treaties import treaty_figures
    from docmaker import make_doc
    doc = make_doc("A-RES-70-1", pre=[PARTIES], symbol="A/RES/70/1")
    assert treaty_figures([doc]).empty        # neither name is in the bundled lexicon
    (tmp_path / "conventions.toml").write_text(
        '[[convention]]\nshort = "UNTOC"\nadd_aliases = ["Organized Crime Treaty"]\n\n'
        '[[convention]]\nshort = "Minamata"\nname = "Minamata Convention on Mercury"\n\n'
        '[[convention]]\nshort = "Firearms Protocol"\nremove = true\n', encoding="utf-8")
    c = load_config(tmp_path)
    assert c.problems == () and c.sources["conventions.toml"] == str(tmp_path / "conventions.toml")
    shorts = [conv.short for conv in c.conventions]
    assert "Firearms Protocol" not in shorts and shorts[-1] == "Minamata"
    untoc = next(conv for conv in c.conventions if conv.short == "UNTOC")
    assert untoc.aliases[-1] == "Organized Crime Treaty" and "Palermo Convention" in untoc.aliases
    rows = treaty_figures([doc], conventions=c.conventions)
    assert list(zip(rows["short"], rows["parties"], rows["key"])) == [("UNTOC", 185, "PP1"), ("Minamata", 140, "PP1")]
    assert rows["quote"].tolist() == [PARTIES.rstrip(",")] * 2
    assert c.fingerprint != load_config(None).fingerprint
    # the bundled lexicon is untouched by the override (no lexicon is cached by location)
    assert treaty_figures([doc]).empty


def test_a_stop_word_override_changes_drift_on_the_bundled_corpus(tmp_path, docs):
    from analytics.drift import term_changes, tfidf_matrix
    rising = term_changes(docs, 65, 67, top=5)
    assert rising["term"].head(3).tolist() == ["access", "forensic", "legal aid"]
    (tmp_path / "stopwords.toml").write_text('add = ["forensic", "Legal aid"]\nremove = ["states"]\n',
                                             encoding="utf-8")
    c = load_config(tmp_path)
    assert c.problems == () and {"forensic", "legal_aid"} <= c.stop_words and "states" not in c.stop_words
    changed = term_changes(docs, 65, 67, top=5, stop_words=c.stop_words)
    assert changed["term"].head(3).tolist() == ["access", "asset recovery", "authorities"]
    assert "states" in tfidf_matrix(docs, stop_words=c.stop_words).terms
    assert "states" not in tfidf_matrix(docs).terms and c.fingerprint != load_config(None).fingerprint


@pytest.mark.parametrize("name, text, where", [
    ("conventions.toml", '[[convention]]\nshort = "UNTOC"\nadd_aliases = "Palermo"\n',
     "conventions.toml: line 3: convention 'UNTOC': 'add_aliases' must be a list of strings"),
    ("conventions.toml", '[[convention]]\nshort = "UNTOC"\n\n[[convention]]\nshort = "ATT"\n',
     "conventions.toml: line 4: convention 'ATT' has no 'name'"),
    ("conventions.toml", '[[convention]]\nshort = "ATT"\nname = "Arms Trade Treaty"\nkind = "treaty"\n',
     "conventions.toml: line 4: convention 'ATT': 'kind' must be \"convention\" or \"protocol\""),
    ("stopwords.toml", 'add = [\n  "forensic",\n', "stopwords.toml: line 2: invalid TOML: Invalid value at the end"),
    ("stopwords.toml", 'remove = ["states"]\nadds = ["forensic"]\n',
     "stopwords.toml: line 2: unknown key 'adds' (expected add or remove)"),
    ("stopwords.toml", 'add = "forensic"\n', "stopwords.toml: line 1: 'add' must be a list of strings"),
    ("emerging_aliases.toml", '[[issue]]\nid = "piracy"\nkeywords = [["sea"], "pirates"]\n',
     "emerging_aliases.toml: line 3: issue 'piracy': 'keywords' must be a list of lists of words"),
    ("themes.toml", '[[theme]]\nid = "piracy"\nlabel = "Piracy"\n\n[[theme]]\nid = "new"\nlabel = "New"\n',
     "themes.toml: line 5: theme 'new' has no phrases"),
])
def test_a_malformed_override_names_file_and_line_and_the_bundled_file_is_used(tmp_path, name, text, where):
    (tmp_path / name).write_text(text, encoding="utf-8")
    c, bundled = load_config(tmp_path), load_config(None)
    problem, = c.problems
    assert problem.startswith(where) and problem.endswith("; the bundled default is used instead"), problem
    assert c.sources[name] == "bundled" and c.fingerprint == bundled.fingerprint
    assert (c.conventions, c.stop_words, c.themes, c.aliases) == (
        bundled.conventions, bundled.stop_words, bundled.themes, bundled.aliases)


def test_conventions_and_stop_words_beside_the_documents_reach_the_cli_and_compare(tmp_path):
    """The folder's conventions.toml and stopwords.toml are what the CLI and compare count with."""
    import io
    import json

    from analytics.cli import main
    from analytics.compare import compare_frames
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    cache = str(tmp_path / "cache")

    def cli(*args):
        out = io.StringIO()
        assert main([*args, "--corpus", str(folder), "--cache", cache, "--format", "json"],
                    out=out, err=io.StringIO()) == 0
        return json.loads(out.getvalue())

    assert [r["parties"] for r in cli("treaties") if r["short"] == "UNTOC"] == [158, 164, 172]
    assert [r["term"] for r in cli("drift", "--terms", "65", "67", "--top", "3")][:3] == [
        "access", "forensic", "legal aid"]
    (folder / "conventions.toml").write_text('[[convention]]\nshort = "UNTOC"\nremove = true\n', encoding="utf-8")
    (folder / "stopwords.toml").write_text('add = ["forensic", "Legal aid"]\n', encoding="utf-8")
    assert not any(r["short"] == "UNTOC" for r in cli("treaties"))
    assert [r["term"] for r in cli("drift", "--terms", "65", "67", "--top", "3")][:3] == [
        "access", "asset recovery", "authorities"]
    corpus = load_corpus(folder, cache_dir=cache)
    assert corpus.problems == ()          # neither override is read as a document
    bundled = compare_frames(corpus.documents, "A-RES-65-232", "A-RES-67-189")["treaties"]
    assert list(zip(bundled["short"], bundled["a_parties"], bundled["b_parties"])) == [("UNTOC", 158, 172)]
    frames = compare_frames(corpus.documents, "A-RES-65-232", "A-RES-67-189", **corpus.config.lexicons())
    assert list(frames["treaties"].columns) == list(bundled.columns) and frames["treaties"].empty

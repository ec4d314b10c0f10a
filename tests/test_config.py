"""The configuration stage: overrides beside the documents, one clear message when malformed."""
import shutil
from pathlib import Path

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

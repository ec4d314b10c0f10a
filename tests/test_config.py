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

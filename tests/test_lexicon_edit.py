"""Lexicon edits, the override file they write (read back by analytics.themes), and saving."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import lexicon_edit as LE
from analytics.themes import default_lexicon, load_lexicon, theme_counts

NOW = dt.datetime(2025, 3, 4, 5, 6, 7)


@pytest.fixture()
def lex():
    return dict(default_lexicon())


def test_add_rename_set_terms_remove(lex):
    out = LE.add_theme(lex, "wildlife-crime", "  Wildlife   crime ", ["Wildlife", "flora and fauna", "wildlife"])
    assert out["wildlife-crime"] == {"label": "Wildlife crime", "phrases": ("wildlife", "flora and fauna"),
                                     "exclude": ()}
    assert "wildlife-crime" not in lex                          # edits return a new dict
    out = LE.rename_theme(out, "piracy", "Piracy at sea")
    assert out["piracy"]["label"] == "Piracy at sea" and out["piracy"]["phrases"] == lex["piracy"]["phrases"]
    out = LE.set_terms(out, "piracy", ["piracy", "Armed robbery at sea"], exclude=["piracy of software"])
    assert out["piracy"]["phrases"] == ("piracy", "armed robbery at sea")
    assert out["piracy"]["exclude"] == ("piracy of software",)
    out = LE.remove_theme(out, "corruption")
    assert "corruption" not in out and len(out) == len(lex)


def test_parse_terms_splits_folds_and_dedupes():
    assert LE.parse_terms("Money-Laundering\nmoney laundering, bribery;  \n\n bribery ") == \
        ("moneylaundering", "money laundering", "bribery")


@pytest.mark.parametrize("call, message", [
    (lambda lx: LE.add_theme(lx, "Bad Id", "x", ["t"]), "lower-case letters"),
    (lambda lx: LE.add_theme(lx, "corruption", "x", ["t"]), "already exists"),
    (lambda lx: LE.add_theme(lx, "new", " ", ["t"]), "needs a label"),
    (lambda lx: LE.add_theme(lx, "new", "New", [" ", ""]), "at least one term"),
    (lambda lx: LE.set_terms(lx, "nope", ["t"]), "no theme 'nope'"),
    (lambda lx: LE.rename_theme(lx, "piracy", ""), "needs a label"),
    (lambda lx: LE.set_terms(lx, "piracy", ["x" * 300]), "longer than"),
    (lambda lx: LE.remove_theme({"a": lx["piracy"]}, "a"), "at least one theme"),
])
def test_invalid_edits_say_why(lex, call, message):
    with pytest.raises(LE.LexiconError, match=message):
        call(lex)


def test_toml_round_trip_through_the_reader(lex):
    edited = LE.add_theme(lex, "quotes", 'Say "hi" \\ back', ["c\u00e9sar", 'a "quoted" term'])
    edited = LE.remove_theme(LE.rename_theme(edited, "piracy", "Piracy at sea"), "corruption")
    text = LE.to_toml(edited)
    assert 'id = "corruption"\nremove = true' in text
    assert 'id = "terrorism"' not in text                      # unchanged themes are left to the bundle
    assert LE.read_back(text) == edited
    assert LE.to_toml(lex).count("[[theme]]") == 0


def test_read_back_reports_bad_files_by_name():
    with pytest.raises(LE.LexiconError, match=r"^themes\.toml: line 1: invalid TOML"):
        LE.read_back("[[theme]\nid = 1")
    with pytest.raises(LE.LexiconError, match="no phrases"):
        LE.read_back('[[theme]]\nid = "x"\nlabel = "X"\nphrases = []\n')


def test_preview_counts_follow_the_edit(corpus, lex):
    docs = corpus.documents
    edited = LE.add_theme(lex, "cyber", "Cyber", ["cybercrime"])
    counts = theme_counts(docs, lexicon=edited)
    assert counts[counts["theme"] == "cyber"]["count"].tolist() == [0, 1, 3, 3, 3]


def test_save_writes_atomically_and_keeps_the_previous_file(tmp_path, lex):
    (tmp_path / "A-RES-1-1.txt").write_text("keep me")
    text = LE.to_toml(LE.add_theme(lex, "cyber", "Cyber", ["cybercrime"]))
    saved = LE.save(tmp_path, text)
    assert saved.backup is None and saved.path.read_text() == text
    assert load_lexicon(corpus_dir=tmp_path)["cyber"]["phrases"] == ("cybercrime",)
    text2 = LE.to_toml(LE.add_theme(lex, "cyber", "Cyber 2", ["cybercrime"]))
    with pytest.raises(LE.LexiconError, match="tick the confirmation"):
        LE.save(tmp_path, text2, now=NOW)
    assert saved.path.read_text() == text
    again = LE.save(tmp_path, text2, confirm=True, now=NOW)
    assert again.backup.name == "themes.toml.bak-20250304-050607" and again.backup.read_text() == text
    third = LE.save(tmp_path, text, confirm=True, now=NOW)        # same second: a free name, nothing lost
    assert third.backup.name == "themes.toml.bak-20250304-050607-1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A-RES-1-1.txt", "themes.toml",
                                                          "themes.toml.bak-20250304-050607",
                                                          "themes.toml.bak-20250304-050607-1"]
    assert (tmp_path / "A-RES-1-1.txt").read_text() == "keep me"


def test_save_refuses_invalid_text_and_links(tmp_path):
    with pytest.raises(LE.LexiconError):
        LE.save(tmp_path, "not = [valid")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "elsewhere.toml").write_text("")
    (tmp_path / "themes.toml").symlink_to(tmp_path / "elsewhere.toml")
    with pytest.raises(LE.LexiconError, match="not a regular file"):
        LE.save(tmp_path, "", confirm=True)

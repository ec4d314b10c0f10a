"""The Operative verbs and Citations pages and the Themes page's lexicon editor under AppTest."""
from __future__ import annotations

import shutil

import pytest

from analytics import export
from tests.test_app import ROOT, app, chart, env, corpus_copy, no_export_warmup, unmd  # noqa: F401


# --------------------------------------------------------------------------- operative verbs


def test_verbs_page_chart_and_changes(env):
    at = app(page="verbs")
    assert at.title[0].value == "Operative verbs"
    spec = chart(at, "Strength of the operative verbs")
    assert [t["name"] for t in spec["data"]] == ["directs", "invites", "records", "unrated"]
    assert spec["layout"]["xaxis"]["type"] == "linear"
    assert spec["layout"]["xaxis"]["tickvals"] == [60, 63, 65, 66, 67]
    directs = spec["data"][0]
    assert directs["x"] == ["60", "63", "65", "66", "67"]
    assert directs["y"][0] == pytest.approx(8 / 24)
    assert "(2005)" in directs["hovertemplate"] or directs["customdata"][0][1] == "2005"
    changes = at.dataframe[-1].value
    assert len(changes) == 4
    row = changes[(changes["from_session"] == 63) & (changes["to_key"] == "OP26")].iloc[0]
    assert (row["from_verb"], row["to_verb"], row["direction"]) == ("Urges", "Encourages", "weakened")
    assert row["from_text"].startswith("Urges") and row["to_text"].startswith("Encourages")
    keys = [b.key for b in at.get("download_button")]
    assert "csv_verbs.strength" in keys and "csv_verbs.changes" in keys
    if export.chromium_available():
        assert "pdf_verbs.strength" in keys


def test_verbs_direction_filter_and_url(env):
    at = app(page="verbs")
    at.multiselect(key="w_direction").set_value(["strengthened"]).run()
    assert not at.exception
    changes = at.dataframe[-1].value
    assert list(changes["direction"]) == ["strengthened"]
    assert changes.iloc[0]["to_verb"] == "Requests"
    assert at.query_params["direction"] == "strengthened"
    again = app({"direction": "weakened"}, page="verbs")
    assert again.multiselect(key="w_direction").value == ["weakened"]
    assert set(again.dataframe[-1].value["direction"]) == {"weakened"}


def test_verbs_chart_csv_is_the_chart_data(env):
    from views import verbs
    from views.context import CTX
    at = app(page="verbs")
    c = verbs.strength_chart(at.session_state[CTX])
    csv = export.frame_csv(c.data).decode("utf-8-sig").splitlines()
    assert csv[0].split(",")[:4] == ["session", "document", "label", "level"]
    assert len(csv) == 1 + 5 * 4            # every level of every session, zeros included


# --------------------------------------------------------------------------- citations


def test_citations_page_timeline_table_and_chain(env):
    at = app(page="citations")
    assert at.title[0].value == "Citations"
    spec = chart(at, "What the texts cite")
    names = [t["name"] for t in spec["data"]]
    assert "General Assembly" in names and "Economic and Social Council" in names
    assert spec["layout"]["xaxis"]["type"] == "linear"
    ga = spec["data"][names.index("General Assembly")]
    assert "46/152" in ga["customdata"][0][2]
    counts = at.dataframe[0].value
    assert counts["cited"][0] == "46/152" and int(counts["documents"][0]) == 5
    # the chooser shows the citing paragraphs with their printed references
    assert at.selectbox(key="w_cited").value == "46/152"
    paras = at.dataframe[1].value
    assert len(paras) == 5 and paras["where"][0] == "A/RES/60/175, preambular para. 1"
    chain = at.dataframe[2].value
    assert list(chain["cited"]) == ["59/159", "62/175", "65/232"]
    assert list(chain["in_corpus"]) == [False, False, True]
    assert "add A/RES/62/175 to see it" in list(chain["note"])
    assert any("A/RES/62/175" in unmd(w.value) for w in at.warning)


def test_citations_choice_and_url(env):
    at = app(page="citations")
    at.selectbox(key="w_cited").set_value("62/175").run()
    assert not at.exception
    paras = at.dataframe[1].value
    assert list(paras["where"]) == ["A/RES/63/195, preambular para. 1", "A/RES/63/195, para. 1"]
    assert "strengthening the United Nations Crime Prevention" in paras["text"][0]
    assert at.query_params["cited"] == "62/175"
    again = app({"cited": "ECOSOC 2008/23"}, page="citations")
    assert again.selectbox(key="w_cited").value == "ECOSOC 2008/23"
    assert app({"cited": "no/such"}, page="citations").selectbox(key="w_cited").value == "46/152"


# --------------------------------------------------------------------------- lexicon editor


@pytest.fixture()
def private(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "corpus"


def _theme_rows(at) -> list[str]:
    return chart(at, "Theme mentions")["data"][0]["y"]


def _editor():
    """The Themes page with its lexicon editor opened (closed, none of it is built)."""
    at = app(page="themes")
    assert "lex_action" not in [r.key for r in at.radio]
    at.toggle(key="w_lex_open").set_value(True).run()
    assert not at.exception and at.radio(key="lex_action").value == "edit"
    return at


def _add(at, tid: str, label: str, terms: str):
    at.radio(key="lex_action").set_value("add").run()
    at.text_input(key="lex_new_id").input(tid)
    at.text_input(key="lex_new_label").input(label)
    at.text_area(key="lex_new_terms").input(terms).run()
    at.button(key="lex_add").click().run()
    assert not at.exception


def test_lexicon_editor_previews_saves_and_the_charts_follow(private):
    before = sorted(p.name for p in private.iterdir())
    at = app(page="themes")
    assert "Wildlife crime" not in _theme_rows(at)
    assert "lex_action" not in [r.key for r in at.radio]     # closed: the editor is not built
    at.toggle(key="w_lex_open").set_value(True).run()
    _add(at, "wildlife-crime", "Wildlife crime", "wildlife\nflora and fauna\ncybercrime")
    preview = at.dataframe[-1].value
    assert list(preview["status"]) == ["added"] and int(preview["mentions after"].iloc[0]) == 11
    assert not (private / "themes.toml").exists()            # a preview writes nothing
    at.button(key="lex_save").click().run()
    assert not at.exception and any("Saved themes" in unmd(s.value) for s in at.success)
    assert sorted(p.name for p in private.iterdir()) == sorted(before + ["themes.toml"])
    rows = _theme_rows(at)
    assert "Wildlife crime" in rows
    z = chart(at, "Theme mentions")["data"][0]["z"][rows.index("Wildlife crime")]
    assert sum(v for v in z if v == v) == 11                 # the heatmap counts what the preview said


def test_lexicon_editor_never_overwrites_without_confirmation(private):
    (private / "themes.toml").write_text('[[theme]]\nid = "piracy"\nremove = true\n', encoding="utf-8")
    at = _editor()
    assert "Piracy and maritime crime" not in _theme_rows(at)
    _add(at, "wildlife-crime", "Wildlife crime", "wildlife")
    at.button(key="lex_save").click().run()
    assert any("already exists" in unmd(e.value) for e in at.error)
    assert "remove = true" in (private / "themes.toml").read_text() and "wildlife" not in \
        (private / "themes.toml").read_text()
    at.checkbox(key="lex_confirm").check().run()
    at.button(key="lex_save").click().run()
    assert not at.exception
    backups = sorted(p.name for p in private.glob("themes.toml.bak-*"))
    assert len(backups) == 1 and (private / backups[0]).read_text().startswith("[[theme]]")
    text = (private / "themes.toml").read_text()
    assert 'id = "wildlife-crime"' in text and 'id = "piracy"\nremove = true' in text


def test_lexicon_editor_rejects_bad_input(private):
    at = _editor()
    _add(at, "Bad Id!", "x", "term")
    assert any("lower-case letters" in unmd(e.value) for e in at.error)
    _add(at, "corruption", "Again", "term")
    assert any("already exists" in unmd(e.value) for e in at.error)
    _add(at, "empty", "Empty", " \n ")
    assert any("at least one term" in unmd(e.value) for e in at.error)
    assert not (private / "themes.toml").exists()


def test_lexicon_editor_rename_and_remove(private):
    at = _editor()
    at.selectbox(key="lex_theme").set_value("piracy").run()
    at.text_input(key="lex_label_piracy").input("Piracy at sea").run()
    at.button(key="lex_apply").click().run()
    preview = at.dataframe[-1].value
    assert list(preview["label"]) == ["Piracy at sea"] and list(preview["status"]) == ["changed"]
    at.radio(key="lex_action").set_value("remove").run()
    at.selectbox(key="lex_remove_theme").set_value("corruption").run()
    at.button(key="lex_remove").click().run()
    preview = at.dataframe[-1].value
    assert dict(zip(preview["theme"], preview["status"])) == {"corruption": "removed", "piracy": "changed"}
    assert [b.key for b in at.get("download_button") if b.key == "lex_download"]

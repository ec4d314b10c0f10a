"""analytics.inventory: the one documents table of the CLI and the dashboard."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics import cli
from analytics.inventory import CLI_COLUMNS, DOCUMENT_COLUMNS, documents_frame


def test_the_cli_documents_table_is_this_table(corpus, tmp_path):
    """`python -m analytics documents --format csv` prints this function's frame, nothing else."""
    import io
    out = io.StringIO()
    assert cli.main(["documents", "--format", "csv", "--cache", str(tmp_path / "cache")], out=out,
                    err=io.StringIO()) == 0
    header, *rows = out.getvalue().splitlines()
    assert header.split(",") == CLI_COLUMNS == [
        "id", "symbol", "session", "date", "kind", "series", "adopted_as", "preambular", "operative",
        "words", "warnings", "source"]
    first = dict(zip(CLI_COLUMNS, rows[0].split(",")))
    assert (first["id"], first["symbol"], first["preambular"], first["operative"]) == (
        "A-RES-60-175", "A/RES/60/175", "15", "24")
    assert len(rows) == len(documents_frame(corpus, corpus.documents)) == 5


def test_values_on_the_bundled_corpus(corpus):
    df = documents_frame(corpus, columns=DOCUMENT_COLUMNS).set_index("id")
    assert list(df.index) == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66", "A-RES-67-189"]
    assert list(df["preambular"]) == [15, 18, 24, 24, 31]
    assert list(df["operative"]) == [24, 19, 37, 34, 41]
    assert list(df["paragraphs"]) == [39, 37, 61, 58, 72]
    draft = df.loc["draft-66"]
    assert pd.isna(draft["symbol"]) and (draft["label"], draft["kind"]) == ("66th session draft", "draft")
    assert df.loc["A-RES-67-189", "date"] == "2012-12-20"
    assert df.loc["A-RES-67-189", "source"] == "A-RES-67-189.txt"
    assert df.loc["A-RES-65-232", "warnings"] == 1 and "hyphens" in df.loc["A-RES-65-232", "warning_text"]
    assert df["series"].nunique() == 1


def test_a_selection_keeps_its_order_and_unknown_columns_are_refused(corpus):
    docs = [corpus.get("A-RES-67-189"), corpus.get("A-RES-60-175")]
    assert list(documents_frame(corpus, docs, columns=["id", "words"])["id"]) == ["A-RES-67-189", "A-RES-60-175"]
    with pytest.raises(ValueError, match="unknown column"):
        documents_frame(corpus, columns=["id", "pages"])

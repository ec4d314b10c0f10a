from analytics.kwic import kwic, search_pattern


def test_search_finds_every_spelling_across_layouts(docs):
    pat = search_pattern("money laundering")
    hits = kwic(docs["A-RES-63-195"].paragraphs, pat)
    assert list(hits["paragraph"]) == ["OP3", "OP4", "OP4", "OP4", "OP4"]
    assert list(hits["match"]) == ["money-laundering", "money-laundering", "Money-Laundering",
                                   "Money Laundering", "money-laundering"]
    # 65/232 has the same five mentions although its source lost every hyphen
    hits = kwic(docs["A-RES-65-232"].paragraphs, pat)
    assert list(hits["paragraph"]) == ["PP23", "OP14", "OP14", "OP14", "OP14"]
    assert len(kwic(docs["A-RES-65-232"].paragraphs, search_pattern("Money-Laundering"))) == 5


def test_kwic_rows_and_context(docs):
    hits = kwic(docs["A-RES-67-189"].paragraphs, search_pattern("CYBERCRIME"), width=20)
    assert list(hits["paragraph"]) == ["OP6", "OP6", "OP20"]
    row = hits.iloc[2]
    assert (row["left"], row["match"], row["right"]) == ("…me, namely, piracy, ", "cybercrime", ", the use of new inf…")


def test_empty_query_and_no_match(docs):
    assert search_pattern("  ,, ") is None
    assert kwic(docs["A-RES-60-175"].paragraphs, search_pattern("piracy")).empty

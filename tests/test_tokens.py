import re

import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analytics.text import fold
from analytics.tokens import (PHRASES, STOP_WORDS, UN_STOP_WORDS, analysis_tokens, display_term,
                              surface_forms, term_token)

TOKEN_SHAPE = re.compile(r"[^\W\d_]{2,}(?:_[^\W\d_]+)*")


# --- multi-word terms ---------------------------------------------------------

def test_trafficking_in_persons_is_one_token_despite_stop_word_inside():
    assert analysis_tokens("combat trafficking in persons, especially women") == [
        "combat", "trafficking_in_persons", "especially", "women"]


def test_stop_words_are_removed_after_joining():
    # "against", "of", "and" are stop words yet survive inside their terms
    assert analysis_tokens("Violence against Women; smuggling of migrants; rule of law") == [
        "violence_against_women", "smuggling_of_migrants", "rule_of_law"]


def test_near_miss_is_not_joined():
    assert analysis_tokens("trafficking of persons") == ["trafficking", "persons"]


def test_longest_phrase_wins():
    assert analysis_tokens("transnational organized crime and organized crime") == [
        "transnational_organized_crime", "organized_crime"]


@pytest.mark.parametrize("text", ["money laundering", "Money-Laundering", "moneylaundering",
                                  "MoneyLaundering", "money\nlaundering"])
def test_money_laundering_spellings_agree(text):
    # hyphen kept (ODS), hyphen lost (one-line layout) and spaced forms
    assert analysis_tokens(text) == ["money_laundering"]


@pytest.mark.parametrize("text", ["United Nations Office on Drugs and Crime", "the Office on Drugs and Crime",
                                  "UNODC"])
def test_office_names_collapse_to_unodc(text):
    assert analysis_tokens(text) == ["unodc"]


def test_every_surface_form_maps_to_its_canonical_token():
    for token, forms in PHRASES.items():
        expected = [] if token in STOP_WORDS else [token]
        for form in forms:
            assert fold(form) == form, form
            assert analysis_tokens(form) == expected, (form, token)


def test_typed_underscore_form_tokenises_like_prose():
    assert analysis_tokens("trafficking_in_persons") == ["trafficking_in_persons"]


# --- numbers, letters and stop words -----------------------------------------

def test_numbers_symbols_ordinals_and_roman_numerals_are_dropped():
    text = ("its resolution 60/175 of 16 December 2005, section XI of A/RES/61/252, "
            "the 117th meeting at its sixty-fourth session, one hundred and fifty-eight parties")
    assert analysis_tokens(text) == ["parties"]


def test_single_letters_and_possessive_s_are_dropped():
    assert analysis_tokens("(a) women's and children's rights; (b) States' efforts") == [
        "women", "children", "rights", "efforts"]


def test_un_boilerplate_is_dropped():
    text = ("The General Assembly, Recalling its resolutions, Reaffirming also, "
            "Requests the Secretary-General to submit a report at its sixty-eighth session "
            "under the agenda item; urges Member States; invites relevant United Nations entities, "
            "including the Economic and Social Council, as appropriate; welcomes; notes paragraph 5")
    assert analysis_tokens(text) == ["entities"]


@pytest.mark.parametrize("word", ["crime", "piracy", "cybercrime", "corruption", "terrorism", "drugs",
                                  "women", "victims", "firearms", "kidnapping", "emerging", "wildlife",
                                  "cultural_property", "trafficking_in_persons", "legal_aid"])
def test_domain_content_words_are_not_stop_words(word):
    assert word not in STOP_WORDS


def test_stop_list_file_entries_are_well_formed_tokens():
    assert "general" in UN_STOP_WORDS and "secretarygeneral" in UN_STOP_WORDS
    for w in UN_STOP_WORDS:
        assert TOKEN_SHAPE.fullmatch(w) and fold(w) == w, w
    assert ENGLISH_STOP_WORDS <= STOP_WORDS


def test_typography_is_folded():
    assert analysis_tokens("traf\u00adficking\u00a0in \u201cpersons\u201d; cyber crime") == [
        "trafficking_in_persons", "cybercrime"]


def test_empty_and_punctuation_only():
    assert analysis_tokens("") == []
    assert analysis_tokens(" ,;- 12 () ") == []


# --- display and user terms --------------------------------------------------

def test_display_and_term_token_round_trip():
    assert display_term("trafficking_in_persons") == "trafficking in persons"
    assert display_term("unodc") == "UNODC"
    for token in PHRASES:
        if token not in STOP_WORDS:
            assert term_token(display_term(token)) == token
    assert term_token("the General Assembly") is None
    assert term_token("piracy and crime") is None


def test_surface_forms_bring_all_spellings_longest_first():
    assert surface_forms("Money-Laundering") == ("money laundering", "moneylaundering")
    assert surface_forms("UNODC")[0] == "united nations office on drugs and crime"
    assert surface_forms("Piracy") == ("piracy",)
    assert surface_forms("rule_of_law") == ("rule of law",)


# --- the seeds ---------------------------------------------------------------

def test_seed_tokens_have_no_stop_words_numbers_or_single_letters(docs):
    for doc in docs.values():
        tokens = analysis_tokens(doc.text)
        assert tokens, doc.id
        assert not STOP_WORDS & set(tokens), doc.id
        assert all(TOKEN_SHAPE.fullmatch(t) for t in tokens), doc.id


def test_seed_67_terms(docs):
    tokens = analysis_tokens(docs["A-RES-67-189"].text)
    # "legal aid" appears three times in 67/189 (OP on access to legal aid) and never in 63/195
    assert tokens.count("legal_aid") == 3
    assert tokens.count("piracy") == 2
    assert "trafficking_in_persons" in tokens
    assert "legal_aid" not in analysis_tokens(docs["A-RES-63-195"].text)


def test_seed_65_hyphen_lost_laundering_matches_spaced_form(docs):
    # 65/232 is one long line that lost its hyphens: "moneylaundering" x4 plus one
    # "Financial Action Task Force on Money Laundering"
    assert analysis_tokens(docs["A-RES-65-232"].text).count("money_laundering") == 5


def test_stop_words_option_and_override_set():
    from analytics.tokens import stop_words_with
    text = "The General Assembly urges States to combat forensic fraud and Legal Aid abuse"
    assert analysis_tokens(text) == ["combat", "forensic", "fraud", "legal_aid", "abuse"]
    changed = stop_words_with(add=["Forensic", "legal  aid"], remove=["states", "assembly"])
    assert changed == (STOP_WORDS | {"forensic", "legal_aid"}) - {"states", "assembly"}
    assert analysis_tokens(text, stop_words=changed) == ["assembly", "states", "combat", "fraud", "abuse"]
    assert term_token("States", stop_words=changed) == "states" and term_token("States") is None
    assert surface_forms("legal aid", stop_words=changed) == ("legal aid",)
    # the default set is untouched by another set's verdicts
    assert analysis_tokens(text) == ["combat", "forensic", "fraud", "legal_aid", "abuse"]
    assert stop_words_with() is not STOP_WORDS and stop_words_with() == STOP_WORDS

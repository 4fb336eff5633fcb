"""Word starts while typing (issue 16): ``parse_query(text, word_starts=True)``, the search box's
parsing. A word of three letters or more matches the words that start with it; shorter words,
phrases and everything the user types that FTS5 would read as syntax stay plain words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_app.core.vault.search import (
    WORD_START_MIN,
    IndexDoc,
    SearchIndex,
    Term,
    make_snippet,
    parse_query,
    plain_snippet,
)

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
BODIES = {
    "1": "Goals of care with the daughter; hard but kind.",
    "2": "The students asked good questions about sepsis.",
    "3": "I was exhausted after the third code. Well-being matters.",
    "4": "He said NOT now OR later, near(the end) title:none.",
    "5": "A café at dawn; the ED was quiet.",
}


@pytest.fixture(scope="module")
def index() -> Iterator[SearchIndex]:
    idx = SearchIndex.new()
    idx.update([IndexDoc(id=i, seq=1, kind="entry", created=T0, title="", body=body)
                for i, body in BODIES.items()])
    yield idx
    idx.close()


def found(index: SearchIndex, typed: str) -> set[str]:
    return {h.id for h in index.search(parse_query(typed, word_starts=True), limit=None)}


def test_three_letters_start_matching_word_starts(index: SearchIndex) -> None:
    assert WORD_START_MIN == 3
    assert found(index, "daught") == {"1"}
    assert found(index, "dau") == {"1"}
    assert found(index, "exhaus") == {"3"}
    assert found(index, "Stud") == {"2"}  # any case
    assert found(index, "caf") == {"5"}
    assert found(index, "cafe") == {"5"}  # accents folded, as for whole words
    # Every word is a word start, all of them required.
    assert found(index, "goa dau") == {"1"}
    assert found(index, "goa stud") == set()


def test_the_start_of_a_word_only_not_its_middle(index: SearchIndex) -> None:
    assert found(index, "ughter") == set()
    assert found(index, "ausied") == set()


def test_two_letters_are_not_a_word_start(index: SearchIndex) -> None:
    assert parse_query("da", word_starts=True).terms == (Term("da"),)
    assert found(index, "da") == set()  # not "daughter"
    assert found(index, "ED") == {"5"}  # the word itself
    assert parse_query("the", word_starts=True).terms == (Term("the", prefix=True),)


def test_parsing_exact_cases() -> None:
    q = parse_query('night "bad news" sh me* a-b well-be', word_starts=True)
    assert q.terms == (
        Term("night", prefix=True),
        Term("bad news", phrase=True),  # a phrase stays exact
        Term("sh"),
        Term("me", prefix=True),  # the user's own * still works on a short word
        Term("a-b"),  # its last piece is one letter
        Term("well-be"),  # ... or two
    )
    assert q.to_match() == '"night"* AND "bad news" AND "sh" AND "me"* AND "a-b" AND "well-be"'
    # Without word_starts (the command line, the entry checklist) nothing changes.
    assert parse_query("night sh", word_starts=False).terms == (Term("night"), Term("sh"))
    assert parse_query("well-being", word_starts=True).terms == (
        Term("well-being", prefix=True),)


def test_a_hyphenated_word_start_matches_as_a_phrase(index: SearchIndex) -> None:
    assert found(index, "well-bei") == {"3"}
    assert found(index, "wel-being") == set()  # only the last piece is a start


def test_quotes_and_operators_typed_stay_words(index: SearchIndex) -> None:
    # FTS5 syntax in what the user types is quoted, not obeyed, word starts or not.
    assert found(index, "NOT") == {"4"}  # the word "not", a word start of itself
    assert found(index, "now OR later") == {"4"}  # "or" is a word here (two letters: exact)
    assert found(index, "near(the") == {"4"}
    assert found(index, "title:non") == {"4"}
    assert found(index, '"goals of') == {"1"}  # an unclosed quote: a phrase to the end
    assert found(index, 'NEAR( "goals of" OR ca') == set()  # needs the words "near" and "or"
    match = parse_query('NOT OR AND NEAR(a b) -x title:y ^zzz a"b', word_starts=True).to_match()
    outside = "".join(part for n, part in enumerate(match.split('"')) if n % 2 == 0)
    assert set(outside.replace("AND", "").replace("*", "").split()) == set()


def test_the_snippet_marks_the_word_whose_start_was_typed() -> None:
    snippet, spans = make_snippet(parse_query("daught", word_starts=True), "", BODIES["1"])
    text = plain_snippet(snippet)
    assert [text[a:b] for a, b in spans] == ["daughter"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet='"*-:()^+ abcNOTANDORNEAR\0\'', max_size=30))
def test_any_typed_text_is_a_valid_search(text: str) -> None:
    idx = SearchIndex.new()
    try:
        idx.update([IndexDoc(id="1", seq=1, kind="entry", created=T0, title="",
                             body=BODIES["4"])])
        idx.search(parse_query(text, word_starts=True))  # never an FTS5 syntax error
    finally:
        idx.close()

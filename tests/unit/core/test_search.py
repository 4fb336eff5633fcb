"""Query parsing and the in-memory FTS5 index: matching, filters, ranking, snippets, snapshots."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_app.core.vault.search import (
    HIGHLIGHT_CLOSE,
    HIGHLIGHT_OPEN,
    IndexDoc,
    IndexFormatError,
    Query,
    SearchFilters,
    SearchIndex,
    Term,
    make_snippet,
    parse_query,
    plain_snippet,
)

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def doc(
    i: int | str, title: str = "", body: str = "", *, days: float = 0, seq: int = 1,
    **kw: object,
) -> IndexDoc:
    return IndexDoc(
        id=str(i), seq=seq, kind=str(kw.pop("kind", "entry")), created=T0 + timedelta(days=days),
        title=title, body=body, **kw,  # type: ignore[arg-type]
    )


def ids(index: SearchIndex, query: str, filters: SearchFilters | None = None) -> list[str]:
    return [h.id for h in index.search(parse_query(query), filters or SearchFilters())]


def idset(index: SearchIndex, query: str, filters: SearchFilters | None = None) -> set[str]:
    return set(ids(index, query, filters))


@pytest.fixture
def index() -> Iterator[SearchIndex]:
    idx = SearchIndex.new()
    yield idx
    idx.close()


# ============================================================================ parse_query


def test_parse_words_phrases_and_prefixes() -> None:
    q = parse_query('night  shift "bad news" medic* "unclosed quote')
    assert q.terms == (
        Term("night"), Term("shift"), Term("bad news", phrase=True), Term("medic", prefix=True),
        Term("unclosed quote", phrase=True),
    )
    assert q.to_match() == '"night" AND "shift" AND "bad news" AND "medic"* AND "unclosed quote"'


def test_parse_drops_empty_terms_and_duplicates() -> None:
    assert not parse_query("")
    assert not parse_query('   "" * -- ... ')
    assert parse_query("a a A").terms == (Term("a"), Term("A"))


@pytest.mark.parametrize("text", ["a\x00b", "\x00", "x\ud800", "\udcff\udcfe", '"\x00"*'])
def test_nul_and_lone_surrogates_are_separators(text: str) -> None:
    idx = SearchIndex.new()
    try:
        idx.update([doc(1, body="a b x")])
        query = parse_query(text)
        assert all("\x00" not in t.text for t in query.terms)
        assert all(not ("\ud800" <= ch <= "\udfff") for t in query.terms for ch in t.text)
        idx.search(query)
    finally:
        idx.close()
    assert {t.text for t in parse_query("a\x00b").terms} == {"a", "b"}


def test_operators_are_quoted_not_obeyed() -> None:
    match = parse_query('NOT OR AND NEAR(a b) -x title:y ^z a"b').to_match()
    # Every term is a quoted string: nothing outside quotes but AND and a trailing *.
    outside = "".join(part for n, part in enumerate(match.split('"')) if n % 2 == 0)
    assert set(outside.replace("AND", "").replace("*", "").split()) == set()


# A corpus shared by the hypothesis test (built once; the test only reads it).
@cache
def _fuzz_index() -> SearchIndex:
    idx = SearchIndex.new()
    idx.update([
        doc(1, "Café at 3:00", "I don't know; well-being matters."),
        doc(2, "NOT AND OR", 'quotes " and * stars NEAR(x) title:body'),
        doc(3, "日本語のテキスト", "emoji 🙂 and Ελληνικά"),
    ])
    return idx


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=60)
    | st.text(alphabet='"*-:()^+ abNOTANDORNEAR\0\'', max_size=30)
    # Any code point, lone surrogates included (undecodable command-line bytes).
    | st.text(alphabet=st.characters(codec=None), max_size=12)
)
def test_any_text_is_a_valid_match_expression(text: str) -> None:
    idx = _fuzz_index()
    query = parse_query(text)
    hits = idx.search(query, SearchFilters())
    assert {h.id for h in hits} <= {"1", "2", "3"}
    # The expression is valid FTS5 on its own too (not only through search()).
    if query:
        idx._db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (query.to_match(),))


# ============================================================================ matching


def test_words_are_anded(index: SearchIndex) -> None:
    index.update([doc(1, body="alpha beta"), doc(2, body="alpha gamma"), doc(3, body="beta")])
    assert idset(index, "alpha") == {"1", "2"}
    assert idset(index, "alpha beta") == {"1"}
    assert idset(index, "alpha delta") == set()


def test_quotes_make_an_ordered_phrase(index: SearchIndex) -> None:
    index.update([doc(1, body="the bad news came"), doc(2, body="news that was bad")])
    assert idset(index, "bad news") == {"1", "2"}
    assert idset(index, '"bad news"') == {"1"}
    assert idset(index, '"news bad"') == set()
    assert idset(index, '"news that"') == {"2"}


@pytest.mark.parametrize("query", ["café", "CAFE", "cafe", "CAFÉ", "Cafe\u0301", "cafè"])
def test_case_and_accent_insensitive(index: SearchIndex, query: str) -> None:
    index.update([doc(1, "Café society"), doc(2, "cafe culture"), doc(3, "caff")])
    assert idset(index, query) == {"1", "2"}


def test_accent_insensitive_beyond_latin1(index: SearchIndex) -> None:
    index.update([doc(1, body="Ångström and naïve Zürich Ελληνικά")])
    for q in ("angstrom", "NAIVE", "zurich", "ΕΛΛΗΝΙΚΆ"):
        assert idset(index, q) == {"1"}, q


def test_punctuated_words(index: SearchIndex) -> None:
    index.update([
        doc(1, body="I don't know what to say"),
        doc(2, body="don the coat, t-shirt"),
        doc(3, body="her well-being matters"),
        doc(4, body="being well again"),
        doc(5, body="the meeting at 3:00 was hard"),
        doc(6, body="00 minutes past 3"),
    ])
    assert "1" in idset(index, "don't")
    assert "2" not in idset(index, "don't")
    assert idset(index, "well-being") == {"3"}
    assert idset(index, "3:00") == {"5"}
    assert idset(index, "DON'T well-being") == set()


def test_prefix_with_trailing_star(index: SearchIndex) -> None:
    index.update([
        doc(1, body="medicine"), doc(2, body="medical team"), doc(3, body="a medic"),
        doc(4, body="comedic relief"),
    ])
    assert idset(index, "medic*") == {"1", "2", "3"}
    assert idset(index, "medic") == {"3"}
    assert idset(index, "MEDIC**") == {"1", "2", "3"}
    assert idset(index, "medic* team") == {"2"}


def test_tags_are_searchable_text(index: SearchIndex) -> None:
    index.update([doc(1, "x", "y", tags=("night shift",)), doc(2, "x", "y")])
    assert idset(index, "night") == {"1"}


def test_update_replaces_and_removes(index: SearchIndex) -> None:
    index.update([doc(1, body="old words", seq=1), doc(2, body="other", seq=1)])
    index.update([doc(1, body="new words", seq=5)])
    assert idset(index, "old") == set()
    assert idset(index, "new") == {"1"}
    assert index.state() == {"1": 5, "2": 1}
    index.update(removals=["2", "missing"])
    assert idset(index, "other") == set()
    assert len(index) == 1


def test_a_failed_update_changes_nothing(index: SearchIndex) -> None:
    index.update([doc(1, body="kept")])

    def docs() -> Iterator[IndexDoc]:
        yield doc(2, body="half")
        raise RuntimeError("crash while building documents")

    with pytest.raises(RuntimeError):
        index.update(docs(), ["1"])
    assert index.state() == {"1": 1}
    assert idset(index, "kept") == {"1"}


# ============================================================================ filters


@pytest.fixture
def filtered(index: SearchIndex) -> SearchIndex:
    index.update([
        doc("a", "shift one", tags=("work", "night"), emotions=("sad",), encounter="code",
            starred=True, days=0),
        doc("b", "shift two", tags=("work",), emotions=("calm", "sad"), encounter="bad-news",
            days=1),
        doc("c", "shift three", tags=("home",), emotions=("calm",), days=2, kind="checkin"),
        doc("d", "shift four", tags=("work",), trashed=True, days=3),
    ])
    return index


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(), {"a", "b", "c"}),
        (SearchFilters(tags=("work",)), {"a", "b"}),
        (SearchFilters(tags=("work", "night")), {"a"}),
        (SearchFilters(tags=("nope",)), set()),
        (SearchFilters(emotions=("sad",)), {"a", "b"}),
        (SearchFilters(emotions=("sad", "calm")), {"b"}),
        (SearchFilters(encounter="code"), {"a"}),
        (SearchFilters(encounter="bad-news"), {"b"}),
        (SearchFilters(kinds=("checkin",)), {"c"}),
        (SearchFilters(kinds=("entry", "checkin")), {"a", "b", "c"}),
        (SearchFilters(starred=True), {"a"}),
        (SearchFilters(starred=False), {"b", "c"}),
        (SearchFilters(trashed=True), {"d"}),
        (SearchFilters(trashed=True, tags=("home",)), set()),
    ],
)
def test_filters(filtered: SearchIndex, filters: SearchFilters, expected: set[str]) -> None:
    assert idset(filtered, "shift", filters) == expected
    # The same filters apply to the empty query (browse mode).
    assert idset(filtered, "", filters) == expected


def test_empty_query_lists_newest_first(filtered: SearchIndex) -> None:
    assert ids(filtered, "") == ["c", "b", "a"]
    assert [h.id for h in filtered.search(Query(), SearchFilters(), limit=2)] == ["c", "b"]


def test_limit(index: SearchIndex) -> None:
    index.update([doc(i, body="same words") for i in range(30)])
    assert len(index.search(parse_query("same"), limit=7)) == 7
    assert len(index.search(parse_query("same"), limit=None)) == 30


@pytest.fixture
def new_york() -> Iterator[None]:
    """Local time is UTC-5 (a POSIX TZ rule: no tz database needed)."""
    import os

    old = os.environ.get("TZ")
    os.environ["TZ"] = "EST+05"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_date_range_is_inclusive_on_local_days(index: SearchIndex, new_york: None) -> None:
    local = datetime(2024, 3, 1).astimezone().tzinfo
    assert local is not None and local.utcoffset(None) == timedelta(hours=-5)

    def at(i: str, *args: int) -> IndexDoc:
        return IndexDoc(i, 1, "entry", datetime(*args).astimezone(), "day", "")

    index.update([
        at("before", 2024, 2, 29, 23, 59, 59),
        at("first", 2024, 3, 1, 0, 0, 0),
        at("late", 2024, 3, 1, 23, 30),  # 04:30 UTC on 2 March: still 1 March here
        at("last", 2024, 3, 3, 23, 59, 59, 999999),
        at("after", 2024, 3, 4, 0, 0, 0),
        # Written in another zone: 2 March 03:00 UTC is 1 March 22:00 here.
        IndexDoc("utc", 1, "entry", datetime(2024, 3, 2, 3, 0, tzinfo=UTC), "day", ""),
    ])
    f = SearchFilters(date_from=date(2024, 3, 1), date_to=date(2024, 3, 3))
    assert idset(index, "day", f) == {"first", "late", "last", "utc"}
    one = SearchFilters(date_from=date(2024, 3, 1), date_to=date(2024, 3, 1))
    assert idset(index, "day", one) == {"first", "late", "utc"}
    assert idset(index, "day", SearchFilters(date_to=date(2024, 2, 29))) == {"before"}
    assert idset(index, "day", SearchFilters(date_from=date(2024, 3, 4))) == {"after"}


def test_extreme_dates_do_not_crash(filtered: SearchIndex) -> None:
    wide = SearchFilters(date_from=date.min, date_to=date.max)
    assert idset(filtered, "shift", wide) == {"a", "b", "c"}
    assert idset(filtered, "", SearchFilters(date_to=date.max)) == {"a", "b", "c"}
    assert idset(filtered, "", SearchFilters(date_from=date.max)) == set()
    assert idset(filtered, "", SearchFilters(date_to=date.min)) == set()


# ============================================================================ ranking and snippets


def _background(index: SearchIndex, n: int = 20) -> None:
    """Documents without the searched words, so that bm25 sees those words as rare."""
    index.update([doc(f"bg{i}", f"day {i}", "lorem ipsum " * (i + 1)) for i in range(n)])


def test_title_match_outranks_body_only_match(index: SearchIndex) -> None:
    _background(index)
    filler = "lorem ipsum dolor sit amet " * 3
    index.update([
        doc("body", "an ordinary day", f"{filler} sunrise {filler}"),
        doc("title", "sunrise", f"{filler} nothing {filler}"),
    ])
    hits = index.search(parse_query("sunrise"))
    assert [h.id for h in hits] == ["title", "body"]
    assert hits[0].score > hits[1].score


def test_tag_match_outranks_body_only_match(index: SearchIndex) -> None:
    _background(index)
    filler = "lorem ipsum dolor sit amet " * 3
    index.update([
        doc("body", "x", f"{filler} grief {filler}"),
        doc("tag", "x", f"{filler} other {filler}", tags=("grief",)),
    ])
    assert ids(index, "grief") == ["tag", "body"]


def test_snippet_highlights_the_matched_word(index: SearchIndex) -> None:
    body = "We talked about the Prognosis with the family today."
    index.update([doc(1, "A title", body)])
    (hit,) = index.search(parse_query("prognosis"))
    hit.snippet, hit.highlights = make_snippet(parse_query("prognosis"), "A title", body)
    assert f"{HIGHLIGHT_OPEN}Prognosis{HIGHLIGHT_CLOSE}" in hit.snippet
    plain = plain_snippet(hit.snippet)
    assert HIGHLIGHT_OPEN not in plain and HIGHLIGHT_CLOSE not in plain
    assert [plain[a:b] for a, b in hit.highlights] == ["Prognosis"]
    assert hit.marked("<b>", "</b>") == plain.replace("Prognosis", "<b>Prognosis</b>")


def test_snippet_highlights_accented_and_prefix_matches(index: SearchIndex) -> None:
    body = "Coffee at the Café, then medication rounds."
    index.update([doc(1, body=body)])
    assert len(index.search(parse_query("cafe medic*"))) == 1
    snippet, highlights = make_snippet(parse_query("cafe medic*"), "", body)
    plain = plain_snippet(snippet)
    assert sorted(plain[a:b] for a, b in highlights) == ["Café", "medication"]


def test_snippet_finds_a_phrase_in_a_long_text_and_elides_around_it() -> None:
    body = " ".join(["filler"] * 80) + " we said Bad   News gently " + " ".join(["more"] * 80)
    snippet, highlights = make_snippet(parse_query('"bad news"'), "Title", body)
    plain = plain_snippet(snippet)
    assert plain.startswith("…") and plain.endswith("…")
    assert [plain[a:b] for a, b in highlights] == ["Bad News"]


def test_snippet_falls_back_to_the_title_then_to_the_start() -> None:
    snippet, highlights = make_snippet(parse_query("grief"), "Grief on nights", "Nothing here.")
    assert plain_snippet(snippet)[slice(*highlights[0])] == "Grief"
    snippet, highlights = make_snippet(parse_query("tagged"), "T", "Body text only.")
    assert snippet == "Body text only." and highlights == []


def test_removed_documents_leave_no_results_and_tombstones_are_counted(
    index: SearchIndex,
) -> None:
    first = doc(1, "one", "alpha beta")
    index.update([first])
    # Without the indexed text the contentless index keeps a tombstone: no query returns it.
    index.update(removals=[first.id])
    assert index.search(parse_query("alpha")) == [] and index.dead == 1
    second = doc(2, "two", "gamma delta")
    index.update([second])
    # With the exact indexed version the row is really removed.
    index.update(removals=[second.id], old={second.id: second})
    assert index.search(parse_query("gamma")) == [] and index.dead == 1
    # A new document never inherits a tombstone's words (rowids are not reused).
    index.update([doc(3, "three", "epsilon")])
    assert [h.id for h in index.search(parse_query("alpha"))] == []


# ============================================================================ snapshots


def test_snapshot_round_trip_keeps_results(filtered: SearchIndex) -> None:
    _background(filtered)
    filtered.update([doc("t", "lorem", "x"), doc("u", "y", "lorem " * 50)])
    queries = ("shift", "one", "", "lorem", "day")
    all_filters = (SearchFilters(), SearchFilters(tags=("work",)), SearchFilters(trashed=True))

    def results(idx: SearchIndex) -> dict[tuple[str, SearchFilters], list[tuple[str, str]]]:
        out = {}
        for q in queries:
            for f in all_filters:
                hits = idx.search(parse_query(q), f, limit=None)
                # Hits of equal rank may come in either order.
                out[q, f] = sorted((h.id, h.snippet) for h in hits)
        return out

    before = results(filtered)
    ranked = [h.id for h in filtered.search(parse_query("lorem"), limit=3)]
    assert ranked[0] == "t"  # a title match
    state = filtered.state()
    data = filtered.to_bytes()
    assert isinstance(data, bytes) and len(data) > 0
    again = SearchIndex.from_bytes(data)
    try:
        assert again.state() == state
        assert len(again) == len(filtered)
        assert results(again) == before
        assert [h.id for h in again.search(parse_query("lorem"), limit=3)] == ranked
        # The loaded index can still be updated.
        again.update([doc("e", "shift five")])
        assert "e" in idset(again, "five")
    finally:
        again.close()


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"SQLite format 3\0" + b"\x00" * 100, bytes(range(256)) * 64],
)
def test_garbage_snapshot_is_refused(data: bytes) -> None:
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(data)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=5000))
def test_random_snapshot_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(data)


def _other_db(sql: str) -> bytes:
    conn = sqlite3.connect(":memory:")
    conn.executescript(sql)
    data = conn.serialize()
    conn.close()
    return data


def test_a_database_that_is_not_an_index_is_refused() -> None:
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(_other_db("CREATE TABLE t(x);"))
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(
            _other_db("CREATE TABLE info(key, value); INSERT INTO info VALUES('format', 99);")
        )
    with pytest.raises(IndexFormatError):  # right format number but no fts table
        SearchIndex.from_bytes(
            _other_db("CREATE TABLE info(key, value); INSERT INTO info VALUES('format', 1);")
        )


def test_snapshot_of_a_damaged_index_is_refused(filtered: SearchIndex) -> None:
    data = bytearray(filtered.to_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the header page after the file header
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(bytes(data))


def test_a_document_removed_exactly_leaves_no_word_in_the_saved_bytes() -> None:
    """Removed with its indexed text, a document's words leave the index and the freed pages
    are zeroed: the bytes that get sealed hold none of them (not even on a free page). The
    connection starts with ``secure_delete`` off, as SQLite builds without it compiled in
    open one (this machine's default is on)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.deserialize(SearchIndex.new().to_bytes())
    conn.execute("PRAGMA secure_delete=OFF")
    index = SearchIndex(conn)
    filler = [doc(i, f"shift {i}", f"handover ward round w{i} " * 5) for i in range(60)]
    secret = doc("s", "quokkafjord", "xylocanary " * 10)
    index.update([*filler[:30], secret])
    index.to_bytes()  # a snapshot with the words, merged into one segment
    index.update(filler[30:])
    index.to_bytes()
    index.update(removals=[secret.id], old={secret.id: secret})
    assert index.dead == 0
    data = index.to_bytes()
    index.close()
    assert b"quokkafjord" not in data and b"xylocanary" not in data


def test_a_version_with_the_same_text_removes_the_indexed_one_exactly(
    index: SearchIndex,
) -> None:
    """Catching up with a record that was only trashed or starred (same text, new write
    sequence) leaves no tombstone; one whose text changed does, as it must."""
    first = doc(1, "one", "alpha beta", seq=1, tags=("ward",))
    index.update([first])
    trashed = doc(1, "one", "alpha beta", seq=2, tags=("ward",), trashed=True)
    index.update([trashed], old={trashed.id: trashed})
    assert index.dead == 0 and ids(index, "alpha", SearchFilters(trashed=True)) == ["1"]
    edited = doc(1, "one", "alpha gamma", seq=3, tags=("ward",))
    index.update([edited], old={edited.id: edited})
    assert index.dead == 1  # the indexed text ("beta") is not known: a tombstone holds it
    retagged = doc(1, "one", "alpha gamma", seq=4, tags=("nights",))
    index.update([retagged], old={retagged.id: edited})
    assert index.dead == 1 and ids(index, "ward") == [] and ids(index, "nights") == ["1"]

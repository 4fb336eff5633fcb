"""Many hits listed newest first, few ranked (issue 18): ranking computes bm25 for every match
before the first page, which a common word or a short word start at 100,000 entries makes cost a
third of a second; listing newest first costs the match alone. ``SearchIndex.find`` and
``Journal.search_page`` count every match and say which order they chose."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from journal_app.core.records import Entry
from journal_app.core.vault.journal import RANK_UP_TO, Journal
from journal_app.core.vault.search import IndexDoc, SearchFilters, SearchIndex, parse_query

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def doc(i: int, body: str, days: int, **kw: object) -> IndexDoc:
    return IndexDoc(id=f"d{i}", seq=1, kind="entry", created=T0 + timedelta(days=days),
                    title="", body=body, **kw)  # type: ignore[arg-type]


@pytest.fixture
def index() -> Iterator[SearchIndex]:
    idx = SearchIndex.new()
    # "grief" in five documents; d3 says it most often (the best match), d5 is the newest.
    idx.update([
        doc(1, "grief at the start", days=1),
        doc(2, "grief once, then a long walk home and tea", days=2),
        doc(3, "grief grief grief", days=3),
        doc(4, "nothing here", days=9),
        doc(5, "grief and sleep", days=5),
        doc(6, "grief in the trash", days=8, trashed=True),
        doc(7, "grief at the end of the shift", days=4, tags=("nights",)),
    ])
    yield idx
    idx.close()


def test_few_matches_are_ranked_best_first(index: SearchIndex) -> None:
    found = index.find(parse_query("grief"), rank_up_to=10)
    assert found.ranked
    assert found.total == 5  # not the trashed one
    assert found.hits[0].id == "d3"
    assert [h.id for h in found.hits] == [h.id for h in index.search(parse_query("grief"))]


def test_many_matches_are_listed_newest_first_and_counted(index: SearchIndex) -> None:
    found = index.find(parse_query("grief"), limit=3, rank_up_to=4)
    assert not found.ranked
    assert found.total == 5
    assert [h.id for h in found.hits] == ["d5", "d7", "d3"]
    everything = index.find(parse_query("grief"), limit=None, rank_up_to=4)
    assert [h.id for h in everything.hits] == ["d5", "d7", "d3", "d2", "d1"]


def test_word_starts_and_filters_take_the_same_order(index: SearchIndex) -> None:
    typed = parse_query("gri", word_starts=True)
    assert [h.id for h in index.find(typed, limit=2, rank_up_to=1).hits] == ["d5", "d7"]
    nights = SearchFilters(tags=("nights",))
    assert [h.id for h in index.find(typed, nights, rank_up_to=0).hits] == ["d7"]
    trash = SearchFilters(trashed=True)
    found = index.find(typed, trash, rank_up_to=0)
    assert ([h.id for h in found.hits], found.total) == (["d6"], 1)


def test_the_order_follows_changes_to_the_index(index: SearchIndex) -> None:
    query = parse_query("grief")
    assert index.find(query, limit=1, rank_up_to=1).hits[0].id == "d5"
    index.update([doc(8, "grief, newest of all", days=20)])
    assert index.find(query, limit=1, rank_up_to=1).hits[0].id == "d8"
    index.update(removals=["d8", "d5"], old={})
    found = index.find(query, limit=1, rank_up_to=1)
    assert (found.hits[0].id, found.total) == ("d7", 4)


def test_a_tombstone_is_neither_listed_nor_counted(index: SearchIndex) -> None:
    # Removed without its old text (another process changed it): its words stay in the index.
    index.update(removals=["d5"])
    assert index.dead == 1
    found = index.find(parse_query("grief"), limit=2, rank_up_to=1)
    assert ([h.id for h in found.hits], found.total) == (["d7", "d3"], 4)


def test_an_empty_query_counts_everything_listed(index: SearchIndex) -> None:
    found = index.find(parse_query(""), limit=2)
    assert [h.id for h in found.hits] == ["d4", "d5"]
    assert found.total == 6


def test_the_journal_lists_newest_first_past_its_threshold(journal: Journal) -> None:
    assert RANK_UP_TO >= 500  # ranking stays the rule for the searches people make
    for day, body in enumerate(["grief", "grief grief grief", "grief and tea"]):
        journal.add_entry(Entry(created=T0 + timedelta(days=day), body=body))
    ranked = journal.search_page("grief", rank_up_to=5)
    assert ranked.ranked and ranked.total == 3
    assert ranked.hits[0][1].body == "grief grief grief"
    newest = journal.search_page("grief", limit=2, rank_up_to=2)
    assert not newest.ranked and newest.total == 3
    assert [e.body for _h, e in newest.hits] == ["grief and tea", "grief grief grief"]

"""The search index in segments (issue 18): one sealed blob per few thousand documents and a
small sealed directory, so that a change re-seals only the segments it touched and an unlock
opens the index segment by segment.

Queries over several segments give what one index gives (the same hits, counts and orders;
bm25 with the whole index's weights), a change re-seals only its segment, and a segment that
was altered, swapped, put back from an older copy or removed is dropped and rebuilt, never
trusted. The single snapshot of earlier versions is rebuilt once and removed."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.records.model import Entry
from journal_app.core.vault import search as search_module
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.search import (
    IndexDoc,
    SearchFilters,
    SearchIndex,
    SegmentedIndex,
    parse_query,
)
from journal_app.core.vault.store import DB_NAME
from tests.helpers.calls import record_calls

PASS = "correct horse"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
WORDS = ("ward", "night", "grief", "family", "code", "handover", "sleep", "tea", "silence",
         "mentor", "rota", "teaching", "laughter", "bleep", "consent", "relief")


def sql(data_dir: Path, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        with conn:
            return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def segment_blobs(data_dir: Path) -> dict[str, bytes]:
    return {k: bytes(v) for k, v in sql(
        data_dir, "SELECT key, value FROM meta WHERE key LIKE 'search_seg.%'")}


def make_docs(n: int, seed: int = 7, length: int | None = None) -> list[IndexDoc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        size = length or rng.randint(4, 30)
        docs.append(IndexDoc(
            id=f"d{i:04d}", seq=1, kind=rng.choice(["entry", "reflection"]),
            created=T0 + timedelta(hours=rng.randint(0, 24 * 400)),
            title=" ".join(rng.choices(WORDS, k=2)) if i % 3 else "",
            body=" ".join(rng.choices(WORDS, k=size)),
            tags=tuple(rng.sample(["nights", "icu", "paeds"], rng.randint(0, 2))),
            emotions=tuple(rng.sample(["grief", "calm"], rng.randint(0, 1))),
            starred=i % 7 == 0, trashed=i % 11 == 0))
    return docs


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments of 10 documents, so that a few dozen make several."""
    monkeypatch.setattr(search_module, "SEGMENT_DOCS", 10)


QUERIES = ["grief", "ward night", '"family code"', "gri", "sle*", "tea", "", "absent", "relief",
           "consent mentor"]
FILTERS = [SearchFilters(), SearchFilters(trashed=True), SearchFilters(tags=("nights",)),
           SearchFilters(emotions=("grief",), starred=False),
           SearchFilters(kinds=("reflection",)), SearchFilters(starred=True)]


def test_segments_find_what_one_index_finds(small_segments: None) -> None:
    docs = make_docs(120)
    one = SearchIndex.new()
    one.update(docs)
    parts = SegmentedIndex.new()
    parts.update(docs[:50])
    parts.update(docs[50:])
    try:
        assert len(parts.segments) == 12
        assert parts.state() == one.state() and len(parts) == len(one)
        for text in QUERIES:
            query = parse_query(text, word_starts=True)
            for filters in FILTERS:
                for rank_up_to in (None, 5, 1000):
                    for limit in (None, 3, 50):
                        a = one.find(query, filters, limit, rank_up_to)
                        b = parts.find(query, filters, limit, rank_up_to)
                        where = (text, filters, rank_up_to, limit)
                        assert (b.total, b.ranked) == (a.total, a.ranked), where
                        if not a.ranked:  # newest first: exactly the same list
                            assert [h.id for h in b.hits] == [h.id for h in a.hits], where
                        elif limit is None:  # ranked: the same documents
                            assert {h.id for h in b.hits} == {h.id for h in a.hits}, where
    finally:
        one.close()
        parts.close()


def test_ranking_uses_the_weights_of_the_whole_index(small_segments: None) -> None:
    """A word rare in one segment and common in another: bm25 per segment would rank the
    rare one's hits first whatever they say; with the whole index's weights the order and
    the scores are one index's (documents of one length, so that the average length of a
    document, which the weights do not correct, is the same in every segment)."""
    rng = random.Random(3)
    docs = []
    for i in range(40):
        # "relief" in every document of the first segment, once each; and in one document of
        # the second segment, three times (the best match of the whole journal).
        words = rng.choices(WORDS[:8], k=12)
        if i < 10:
            words[0] = "relief"
        if i == 15:
            words[:3] = ["relief"] * 3
        docs.append(IndexDoc(id=f"d{i:02d}", seq=1, kind="entry", created=T0 + timedelta(i),
                             title="", body=" ".join(words)))
    one = SearchIndex.new()
    one.update(docs)
    parts = SegmentedIndex.new()
    parts.update(docs)
    try:
        query = parse_query("relief")
        a = one.find(query, limit=None)
        b = parts.find(query, limit=None)
        assert b.hits[0].id == "d15" == a.hits[0].id
        assert [h.id for h in b.hits] == [h.id for h in a.hits]
        assert [h.score for h in b.hits] == pytest.approx([h.score for h in a.hits], rel=1e-6)
        # Two words: ranked as one index ranks them (the weights summed).
        two = parse_query("relief ward")
        assert {h.id for h in parts.find(two, limit=None).hits} == \
            {h.id for h in one.find(two, limit=None).hits}
        assert parts.find(two, limit=1).hits[0].id == one.find(two, limit=1).hits[0].id
    finally:
        one.close()
        parts.close()


# ------------------------------------------------------------------ sealed in the vault


@pytest.fixture
def journal(tmp_path: Path, small_segments: None) -> Iterator[Journal]:
    journal, _key = Journal.create(tmp_path / "vault", PASS, kdf=TEST_KDF)
    entries = [Entry(title=f"Shift {i}", body=f"handover note{i} on the ward",
                     created=T0 + timedelta(days=i)) for i in range(35)]
    journal.add_records(entries)
    journal.search("ward")
    journal.save_index_snapshot()
    yield journal
    journal.close()


def reopen(data_dir: Path) -> Journal:
    journal = Journal.open(data_dir)
    journal.unlock(PASS)
    return journal


def titles(journal: Journal, query: str) -> list[str]:
    return sorted(e.title for _h, e in journal.search(query, limit=None))


def test_a_change_reseals_only_the_segment_it_touched(journal: Journal) -> None:
    before = segment_blobs(journal.data_dir)
    assert len(before) == 4  # 35 entries, 10 a segment
    first = next(e for e in journal.entries() if e.title == "Shift 3")
    journal.edit_entry(first.id, body="a quiet handover on the ward")
    journal.save_index_snapshot()
    after = segment_blobs(journal.data_dir)
    assert len(after) == 4
    assert len(set(after) - set(before)) == 1  # one segment under a new name
    assert len(set(before) - set(after)) == 1  # its older blob removed
    kept = set(before) & set(after)
    assert all(before[k] == after[k] for k in kept)
    other = reopen(journal.data_dir)
    try:
        assert titles(other, "quiet") == ["Shift 3"]
        assert titles(other, "note3") == []
    finally:
        other.close()


def test_emptying_the_trash_reseals_only_the_segment_of_the_entry(journal: Journal) -> None:
    before = segment_blobs(journal.data_dir)
    gone = next(e for e in journal.entries() if e.title == "Shift 21")
    journal.delete_entry(gone.id)
    journal.empty_trash()
    after = segment_blobs(journal.data_dir)
    assert len(set(after) - set(before)) == 1
    assert len(set(before) & set(after)) == 3
    other = reopen(journal.data_dir)
    try:
        assert other._search.ensure().complete
        assert titles(other, "note21") == []
        assert len(other.search("ward", limit=None)) == 34
    finally:
        other.close()


def _damage(data_dir: Path, how: str) -> None:
    blobs = segment_blobs(data_dir)
    names = sorted(blobs)
    if how == "altered":
        blob = bytearray(blobs[names[0]])
        blob[len(blob) // 2] ^= 1
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (bytes(blob), names[0]))
    elif how == "swapped":
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (blobs[names[1]], names[0]))
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (blobs[names[0]], names[1]))
    elif how == "removed":
        sql(data_dir, "DELETE FROM meta WHERE key=?", (names[0],))


@pytest.mark.parametrize("how", ["altered", "swapped", "removed"])
def test_a_damaged_segment_is_dropped_and_rebuilt(journal: Journal, how: str) -> None:
    data_dir = journal.data_dir
    journal.close()
    _damage(data_dir, how)
    other = reopen(data_dir)
    try:
        index = other._search.ensure()
        assert not index.complete  # not trusted: dropped, its entries indexed again
        assert len(other.search("ward", limit=None)) == 35
        assert titles(other, "note0") == ["Shift 0"]
        other.save_index_snapshot()
    finally:
        other.close()
    again = reopen(data_dir)
    try:
        assert again._search.ensure().complete
        assert len(again.search("ward", limit=None)) == 35
    finally:
        again.close()


def test_a_segment_put_back_from_an_older_copy_is_not_trusted(journal: Journal) -> None:
    """The older blob of a segment holds words its entries no longer have: under its old
    name the directory does not list it, under the new one it does not open."""
    data_dir = journal.data_dir
    old = segment_blobs(data_dir)
    entry = next(e for e in journal.entries() if e.title == "Shift 5")
    journal.edit_entry(entry.id, body="rewritten on the ward")
    journal.save_index_snapshot()
    journal.close()
    new = segment_blobs(data_dir)
    (replaced,) = set(old) - set(new)
    (current,) = set(new) - set(old)
    for key, value in ((current, old[replaced]), (replaced, old[replaced])):
        sql(data_dir, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        other = reopen(data_dir)
        try:
            assert titles(other, "note5") == []
            assert titles(other, "rewritten") == ["Shift 5"]
            assert len(other.search("ward", limit=None)) == 35
            other.save_index_snapshot()
        finally:
            other.close()
    # The blob put back under a name no directory lists is removed by the next seal.
    assert replaced not in segment_blobs(data_dir)


def test_the_single_snapshot_of_earlier_versions_is_rebuilt_once(
        journal: Journal, tmp_path: Path) -> None:
    """A vault sealed before segments has one ``search_index`` blob. It is not read (a cache):
    the index is rebuilt from the records, sealed in segments, and the old blob removed."""
    data_dir = journal.data_dir
    cipher = journal.cipher
    seq = journal._store.write_counter()
    legacy = SearchIndex.new()
    # An old snapshot that does not match the records: nothing of it may be found.
    legacy.update([IndexDoc(id="x" * 32, seq=1, kind="entry", created=T0, title="okapi",
                            body="okapi")])
    sealed = cipher.seal_meta("search_index", seq, legacy.to_bytes())
    legacy.close()
    journal.close()
    sql(data_dir, "DELETE FROM meta WHERE key LIKE 'search_%'")
    sql(data_dir, "INSERT INTO meta(key, value) VALUES ('search_index', ?)", (sealed,))
    other = reopen(data_dir)
    try:
        assert other.search("okapi") == []
        assert len(other.search("ward", limit=None)) == 35
        other.save_index_snapshot()
    finally:
        other.close()
    keys = {k for (k,) in sql(data_dir, "SELECT key FROM meta WHERE key LIKE 'search%'")}
    assert "search_index" not in keys and "search_dir" in keys
    assert len(segment_blobs(data_dir)) == 4


@pytest.mark.parametrize("segmented", [False, True])
def test_the_first_query_lists_what_the_later_ones_list(
        small_segments: None, segmented: bool) -> None:
    """The first query since a change lists newest first in SQL; the later ones walk the order
    of every document, read once: the same pages and counts."""
    docs = make_docs(80, seed=11)
    for text in ("grief", "wa*", "ward night", "tea"):
        index: SearchIndex | SegmentedIndex = (SegmentedIndex.new() if segmented
                                               else SearchIndex.new())
        try:
            index.update(docs)
            query = parse_query(text)
            first = index.find(query, limit=7, rank_up_to=3)
            again = index.find(query, limit=7, rank_up_to=3)
            assert not first.ranked and first.total > 7
            assert ([h.id for h in first.hits], first.total) == \
                ([h.id for h in again.hits], again.total)
        finally:
            index.close()


def test_key_rotation_reseals_the_segments_under_their_names(journal: Journal) -> None:
    """A new data key: the directory and every segment sealed again under it, each under its
    own name (the directory still lists them), so the next unlock opens the index whole."""
    data_dir = journal.data_dir
    before = segment_blobs(data_dir)
    journal.rotate_key(PASS)
    after = segment_blobs(data_dir)
    assert set(after) == set(before)
    assert all(after[k] != before[k] for k in before)
    journal.close()
    other = reopen(data_dir)
    try:
        index = other._search.ensure()
        assert index.complete and set(index.sealed_as.values()) == set(before)
        assert len(other.search("ward", limit=None)) == 35
    finally:
        other.close()


@pytest.mark.parametrize("sealed_by_writer", [False, True])
def test_a_loaded_journal_finds_what_was_written_after_the_seal(
        journal: Journal, sealed_by_writer: bool) -> None:
    """The index's directory says at which write it was checked against the rows; a journal
    that loaded its records at another write compares them (and finds another program's
    entry), one at that very write does not need to."""
    data_dir = journal.data_dir
    journal.close()
    writer = reopen(data_dir)
    try:
        writer.add_entry(title="Written elsewhere", body="a platypus on the ward")
        if sealed_by_writer:
            assert titles(writer, "platypus") == ["Written elsewhere"]
            writer.save_index_snapshot()
    finally:
        writer.close()
    app = reopen(data_dir)
    try:
        app.sync()  # the app loads its list first, then makes search ready
        app.prepare_search()
        assert titles(app, "platypus") == ["Written elsewhere"]
        assert len(app.search("ward", limit=None)) == 36
        other = reopen(data_dir)
        try:
            other.edit_entry(next(e.id for e in other.entries() if e.title == "Shift 2"),
                             body="the platypus again")
        finally:
            other.close()
        assert titles(app, "platypus") == ["Shift 2", "Written elsewhere"]
    finally:
        app.close()


def test_after_a_write_the_index_does_not_hold_the_next_unlock_compares_nothing(
        journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write of what the index does not hold (a check-in, the app's state) leaves the sealed
    index as it was, but it was checked against the rows at the counter before: the lock seals
    its directory again (no segment), so the next unlock need not compare it with every row."""
    from journal_app.core.records.model import CheckIn

    data_dir = journal.data_dir
    journal.close()
    first = reopen(data_dir)
    first.prepare_search()
    first.add_record(CheckIn(mood=2))
    before = segment_blobs(data_dir)
    first.close()  # locks
    assert segment_blobs(data_dir) == before  # no segment sealed again
    compared = record_calls(monkeypatch, SegmentedIndex, "state")
    again = reopen(data_dir)
    try:
        again.prepare_search()
        assert compared == []
        assert titles(again, "note3") == ["Shift 3"]
    finally:
        again.close()

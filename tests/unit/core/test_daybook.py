"""The per-day totals give exactly the figures of the records (issue 18: the dashboard at 100,000
entries walks days, not records, and must not mislead): random journals, edited, trashed,
restored and deleted, compared with the straightforward computation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_app.core.practice import daybook, trends
from journal_app.core.practice.daybook import DayBook
from journal_app.core.practice.journal_trends import journal_mood_year, journal_trends
from journal_app.core.practice.moodyear import mood_year
from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import (
    ENCOUNTER_TYPES,
    REFLECT_LEVELS,
    CheckIn,
    CopingRating,
    Emotion,
    Entry,
    Record,
    Reflection,
    StepAnswer,
)
from journal_app.core.vault.journal import Journal

LIBRARY = load_library()
PROMPTS = [p.id for p in LIBRARY.prompts[:6]] + ["not-a-prompt"]
TEMPLATES = [*list(LIBRARY.templates)[:3], "free", "gone"]
STRATEGIES = [c.id for c in LIBRARY.coping[:5]]
START = datetime(2026, 3, 1, 12, tzinfo=UTC)

ids = st.sampled_from([f"{i:032x}" for i in range(12)])
# A few days, offsets that move a record across midnight, the same instant now and then.
whens = st.builds(
    lambda days, hours, tz: (START + timedelta(days=days, hours=hours)).astimezone(
        timezone(timedelta(hours=tz))),
    st.integers(0, 40), st.sampled_from([0, 6, 11, 13]), st.sampled_from([-8, 0, 1, 9]))
ratings = st.none() | st.integers(-5, 5)
emotions = st.lists(st.builds(Emotion, st.sampled_from(["sad", "calm", "angry"]),
                              st.integers(1, 5)), max_size=3)
encounters = st.none() | st.sampled_from(ENCOUNTER_TYPES[:3])
trashed = st.none() | st.just(START)


@st.composite
def checkins(draw: st.DrawFn) -> CheckIn:
    return CheckIn(id=draw(ids), created=draw(whens), mood=draw(ratings),
                   energy=draw(ratings), stress=draw(st.none() | st.integers(0, 10)),
                   burnout=draw(st.none() | st.integers(1, 5)), emotions=draw(emotions),
                   encounter=draw(encounters))


@st.composite
def plain_entries(draw: st.DrawFn) -> Entry:
    when = draw(whens)
    return Entry(id=draw(ids), created=when, updated=when,
                 title=draw(st.sampled_from(["", "A day", "two words here"])),
                 body=draw(st.sampled_from(["", "one", "a b c d", "long day\nat work"])),
                 mood=draw(ratings), energy=draw(ratings),
                 stress=draw(st.none() | st.integers(0, 10)), emotions=draw(emotions),
                 encounter=draw(encounters),
                 prompt_ids=draw(st.lists(st.sampled_from(PROMPTS), max_size=3)),
                 trashed=draw(trashed))


@st.composite
def reflections(draw: st.DrawFn) -> Reflection:
    when = draw(whens)
    coping = draw(st.lists(st.builds(CopingRating, st.sampled_from(STRATEGIES),
                                     st.integers(-2, 2)), max_size=3))
    return Reflection(id=draw(ids), created=when, updated=when, body=draw(st.sampled_from(
        ["", "what happened", "x y"])), mood=draw(ratings), emotions=draw(emotions),
        encounter=draw(encounters), prompt_ids=draw(st.lists(st.sampled_from(PROMPTS),
                                                            max_size=2)),
        template_id=draw(st.sampled_from(TEMPLATES)),
        answers=(StepAnswer("c", "coping", coping=tuple(coping)),),
        checkin_id=draw(st.none() | ids), depth=draw(st.none() | st.sampled_from(REFLECT_LEVELS)),
        trashed=draw(trashed))


records = st.one_of(checkins(), plain_entries(), reflections())
ranges = st.sampled_from([(None, None), (date(2026, 3, 5), date(2026, 3, 20)),
                          (date(2026, 3, 10), date(2026, 3, 10)), (None, date(2026, 3, 15)),
                          (date(2026, 3, 25), None)])


def newest_first(records: list[Record]) -> tuple[list[Entry], list[CheckIn]]:
    """The journal's own orders (entries newest first, as ``Journal.entries``)."""
    entries = sorted((r for r in records if isinstance(r, Entry) and r.trashed is None),
                     key=lambda r: (r.created.timestamp(), r.id), reverse=True)
    return entries, [r for r in records if isinstance(r, CheckIn)]


def straightforward(held: dict[str, Record], start: date | None, end: date | None
                    ) -> dict[str, object]:
    entries, checkins_ = newest_first(list(held.values()))
    return trends.compute_trends(entries, checkins_, start, end, library=LIBRARY,
                                 today=date(2026, 4, 2))


@settings(max_examples=150)
@given(st.lists(st.tuples(st.booleans(), records), max_size=40), ranges)
def test_the_days_give_the_figures_of_the_records_through_every_change(
        steps: list[tuple[bool, Record]], span: tuple[date | None, date | None]) -> None:
    """Records stored (a new one, or replacing the one with its id: an edit, a move to the
    trash, a restore) or deleted, in any order: the book followed them all."""
    held: dict[str, Record] = {}
    book = DayBook()
    for delete, record in steps:
        if delete:
            old = held.pop(record.id, None)
            book.follow(old, None)
        else:
            book.follow(held.get(record.id), record)
            held[record.id] = record
    start, end = span
    expected = straightforward(held, start, end)
    assert daybook.figures(book, start, end, library=LIBRARY, today=date(2026, 4, 2)) == expected
    # A book built from the records at once is the same book.
    again = DayBook(held.values())
    assert daybook.figures(again, start, end, library=LIBRARY,
                           today=date(2026, 4, 2)) == expected


@settings(max_examples=60)
@given(st.lists(records, max_size=30))
def test_the_year_of_moods_from_the_days_is_the_year_of_the_records(
        stored: list[Record]) -> None:
    held = {r.id: r for r in stored}
    entries, checkins_ = newest_first(list(held.values()))
    book = DayBook(held.values())

    class Holder:
        def holding(self) -> object:
            import contextlib

            return contextlib.nullcontext()

        def derived(self, _key: object, _build: object) -> DayBook:
            return book

    today = date(2027, 3, 1)
    assert journal_mood_year(Holder(), today) == mood_year(  # type: ignore[arg-type]
        entries, checkins_, today)


def test_a_journal_keeps_its_days_right_through_writes_trash_import_and_outside_writes(
        journal: Journal, data_dir: object) -> None:
    """The journal's own path: the figures after each kind of change equal those of its
    records, computed the straightforward way."""
    from journal_app.core.vault.crypto import TEST_KDF

    def check() -> None:
        entries = journal.entries()
        checkins_ = journal.checkins()
        for start, end in [(None, None), (date(2026, 3, 2), date(2026, 3, 9))]:
            got = journal_trends(journal, start, end, today=date(2026, 4, 1))
            assert got.figures == trends.compute_trends(
                entries, checkins_, start, end, library=LIBRARY, today=date(2026, 4, 1))

    when = datetime(2026, 3, 3, 9, tzinfo=UTC)
    first = journal.add_entry(title="One", body="two three", created=when, mood=2,
                              emotions=[Emotion("sad", 3)], encounter=ENCOUNTER_TYPES[0])
    checkin = journal.add_record(CheckIn(created=when, mood=-1, encounter=ENCOUNTER_TYPES[0]))
    check()  # the totals are built here, then followed
    journal.add_record(Reflection(
        created=when + timedelta(days=1), body="a b", depth=REFLECT_LEVELS[1],
        checkin_id=checkin.id, encounter=ENCOUNTER_TYPES[0],
        answers=(StepAnswer("c", "coping", coping=(CopingRating(STRATEGIES[0], 2),)),)))
    check()
    journal.edit_entry(first.id, body="now four words here", mood=-3)  # an edit
    check()
    journal.delete_entry(first.id)  # to the trash
    check()
    journal.restore_entry(first.id)  # back from the trash
    check()
    journal.restore_revision(journal.revisions(first.id)[0].id)  # undo the edit
    check()
    journal.import_records([replace(first, id="f" * 32, created=when - timedelta(days=1))])
    check()
    journal.remove_records(CheckIn, [checkin.id])  # the reflection's encounter counts now
    check()
    journal.delete_entry(first.id)
    journal.empty_trash()
    check()
    journal.rotate_key("correct horse", kdf=TEST_KDF)  # the same records under a new key
    check()
    # Another process writes: picked up by the next read.
    other = Journal.open(journal.data_dir)
    other.unlock("correct horse")
    other.add_entry(title="From elsewhere", body="x", created=when, mood=4)
    other.close()
    check()


# ------------------------------------------------------------------ words kept sealed


def test_words_come_from_the_counts_kept_sealed_not_from_the_texts(
        journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the first count, a later unlock takes every entry's words from the sealed counts:
    no text is split again. An entry changed by another process since is counted again (its
    stored version moved on), and the figures stay those of the records."""
    from journal_app.core.practice import trends as trends_module
    from journal_app.core.vault import wordcounts

    when = datetime(2026, 3, 3, 9, tzinfo=UTC)
    kept = journal.add_entry(title="Kept", body="one two three", created=when)
    changed = journal.add_entry(title="Changed", body="four five", created=when)
    first = journal_trends(journal).figures["words"]
    assert first["total"] == 7
    journal.close()

    other = Journal.open(journal.data_dir)  # another process edits one entry
    other.unlock("correct horse")
    other.edit_entry(changed.id, body="now six words in this text")
    other.close()

    counted: list[str] = []

    def counting(entry: Entry, body: str | None = None) -> int:
        counted.append(entry.id)
        return len(entry.title.split()) + len((entry.body if body is None else body).split())

    monkeypatch.setattr(wordcounts, "count_words", counting)
    monkeypatch.setattr(trends_module, "_WORDS", {})
    monkeypatch.setattr(trends_module, "words_of", counting)
    again = Journal.open(journal.data_dir)
    again.unlock("correct horse")
    try:
        words = journal_trends(again).figures["words"]
        assert words["total"] == (1 + 6) + (1 + 3)
        assert counted == [changed.id]  # the kept entry's words came from the sealed counts
        assert wordcounts.load(again.store, again.cipher)[kept.id][1] == 4
        entries = again.entries()
        assert words == trends.words_written(entries)
    finally:
        again.close()


def test_a_removal_for_good_leaves_no_count_behind(journal: Journal) -> None:
    from journal_app.core.vault import wordcounts

    gone = journal.add_entry(title="Gone", body="to be removed")
    journal.add_entry(title="Stays", body="here")
    journal_trends(journal)
    assert gone.id in wordcounts.load(journal.store, journal.cipher)
    journal.delete_entry(gone.id)
    journal.empty_trash()
    assert wordcounts.load(journal.store, journal.cipher) == {}  # dropped with the rows
    assert journal_trends(journal).figures["words"]["total"] == 2
    assert gone.id not in wordcounts.load(journal.store, journal.cipher)


def test_unreadable_counts_are_counted_again(journal: Journal) -> None:
    from journal_app.core.vault import wordcounts

    journal.add_entry(title="A title", body="and a body")
    with journal.store.write() as tx:
        tx.set_meta(wordcounts.META_KEY, b"\x02" + b"\x00" * 60)  # altered or damaged
    assert journal.entry_words() == {journal.entries()[0].id: 5}
    [(_seq, words)] = wordcounts.load(journal.store, journal.cipher).values()
    assert words == 5


def test_the_word_counts_key_is_one_name_everywhere() -> None:
    from journal_app.core.vault import journal as journal_module
    from journal_app.core.vault import store, wordcounts

    assert journal_module.WORD_COUNTS == wordcounts.META_KEY
    assert wordcounts.META_KEY in store._CACHE_META
    assert store.is_cache_meta(wordcounts.META_KEY)  # what rotation re-seals


def test_the_first_trends_keep_no_reflection_answers_and_follow_them_after(
        journal: Journal) -> None:
    """Reflections held from their list headers: the totals read their coping ratings without
    keeping the answers or the text on them (at 100,000 entries, 30 MB), and an edit or a
    removal afterwards takes away the ratings counted, as the words are."""
    when = datetime(2026, 3, 3, 9, tzinfo=UTC)
    made = [journal.add_record(Reflection(
        created=when + timedelta(days=i), body=f"reflection {i}", template_id="free",
        answers=(StepAnswer("c", "coping", coping=(CopingRating(STRATEGIES[i % 2], i % 3),
                                                   CopingRating(STRATEGIES[2], -1))),)))
        for i in range(4)]
    journal.add_entry(title="Plain", body="no answers", created=when)
    journal.close()
    again = Journal.open(journal.data_dir)
    again.unlock("correct horse")
    try:
        def check() -> None:
            got = journal_trends(again, today=date(2026, 4, 1)).figures
            whole = again.whole_entries(again.entries())
            assert got == trends.compute_trends(whole, again.checkins(), library=LIBRARY,
                                                today=date(2026, 4, 1))

        check()
        held = [e for e in again.entries() if isinstance(e, Reflection)]
        assert len(held) == 4
        for reflection in held:
            assert "answers" not in reflection.__dict__ and "body" not in reflection.__dict__
        again.edit_entry(made[0].id, body="changed")  # the ratings of the version replaced go
        check()
        again.delete_entry(made[1].id)  # to the trash: its ratings no longer count
        check()
        assert journal_trends(again).figures["coping"]["total"] == 6  # 3 of 4, 2 each
    finally:
        again.close()


def test_counts_sealed_in_the_first_format_are_counted_again(journal: Journal) -> None:
    """The counts were sealed as ``{id: [seq, words]}`` before the flat list: such a blob is
    read as none, and the words are counted and sealed again in the flat list."""
    import orjson

    from journal_app.core.vault import wordcounts
    from journal_app.core.vault.store import parse_counter

    entry = journal.add_entry(title="A title", body="and a body")
    seq = journal.held.seqs[entry.id]
    old = orjson.dumps({"format": 1, "counts": {entry.id: [seq, 99]}})
    with journal.store.write() as tx:
        tx.set_meta(wordcounts.META_KEY, journal.cipher.seal_meta(
            wordcounts.META_KEY, parse_counter(tx.get_meta("seq")), old))
    assert wordcounts.load(journal.store, journal.cipher) == {}
    assert journal.entry_words() == {entry.id: 5}
    assert wordcounts.load(journal.store, journal.cipher) == {entry.id: (seq, 5)}

"""Entries' sealed list headers (issue 18): unlocking reads headers, not bodies; a body is read
when first used; a header altered, moved or put back is damage; older vaults gain headers with
nothing lost; a key rotation re-seals them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.errors import NotFoundError, VaultDamagedError, VaultLockedError
from journal_app.core.records import codec
from journal_app.core.records.headers import entry_from_header, header_bytes
from journal_app.core.records.model import (
    CheckIn,
    Emotion,
    Entry,
    Reflection,
    StepAnswer,
)
from journal_app.core.vault import crypto, store
from journal_app.core.vault.crypto import TEST_KDF, OpenError, RecordCipher
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME, MIGRATIONS

PASS = "correct horse"


def sql(data_dir: Path, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def header(data_dir: Path, record_id: str) -> bytes | None:
    value = sql(data_dir, "SELECT header FROM records WHERE id=?", (record_id,))[0][0]
    return None if value is None else bytes(value)


def set_header(data_dir: Path, record_id: str, value: bytes | None) -> None:
    sql(data_dir, "UPDATE records SET header=? WHERE id=?", (value, record_id))


def reopen(data_dir: Path) -> Journal:
    j = Journal.open(data_dir)
    j.unlock(PASS)
    return j


@pytest.fixture
def made(data_dir: Path) -> Iterator[tuple[Path, dict[str, Entry]]]:
    """A journal of an entry, a starred trashed one with emotions, an unfinished reflection
    with answers, and a check-in; returned closed, with its entries as written."""
    j, _key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    day = datetime(2024, 3, 5, 9).astimezone()
    plain = j.add_entry(title="Ward round", body="# Heading\n\nThe first line, " + "x" * 300,
                        tags=("nights", "ward"), created=day)
    heavy = j.add_entry(body="A hard night.\nMore.", starred=True, mood=2, stress=4,
                        encounter="patient-death", emotions=(Emotion("grief", 4), Emotion("calm")),
                        created=day + timedelta(days=1))
    heavy = j.delete_entry(heavy.id)
    reflection = j.add_record(Reflection(
        title="After the code", body="## What happened\nWe tried.\n", created=day,
        template_id="gibbs", depth=None, unfinished_step=2, series_day=3,
        answers=(StepAnswer("what", "text", "We tried."),
                 StepAnswer("feel", "emotions", emotions=(Emotion("sad", 2),)))))
    j.add_record(CheckIn(mood=3, note="tired"))
    entries = {e.id: e for e in (plain, heavy, reflection)}
    j.prepare_search()
    j.save_index_snapshot()  # as the app leaves it
    j.close()
    yield data_dir, entries


def count_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds of the records whose blob is decrypted from now on."""
    opened: list[str] = []
    real = RecordCipher.open

    def open_(self: RecordCipher, record_id: str, kind: str, *rest: Any) -> bytes:
        opened.append(kind)
        return real(self, record_id, kind, *rest)

    monkeypatch.setattr(RecordCipher, "open", open_)
    return opened


def whole(entry: Entry) -> dict[str, Any]:
    return {"kind": entry.KIND, "id": entry.id, **entry.payload()}


# ============================================================================ no body at unlock


def test_unlocking_reads_no_body(made: tuple[Path, dict[str, Entry]],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, written = made
    opened = count_opens(monkeypatch)
    j = reopen(data_dir)
    try:
        j.sync()
        j.prepare_search()
        listed = [*j.entries(), *j.entries(trash=True)]
        assert {e.id for e in listed} == set(written)
        # Everything the list, filters and calendar show is there...
        for entry in listed:
            assert entry.display_title() == written[entry.id].display_title()
            assert entry.first_line(200) == written[entry.id].first_line(200)
            for name in ("created", "updated", "title", "tags", "starred", "emotions", "mood",
                         "stress", "encounter", "trashed"):
                assert getattr(entry, name) == getattr(written[entry.id], name)
        # ...without a body decrypted or held.
        assert "entry" not in opened and "reflection" not in opened
        assert "checkin" in opened  # other kinds are read whole, as before
        for record in j.held.records.values():
            if isinstance(record, Entry):
                assert "body" not in record.__dict__ and "answers" not in record.__dict__
        # A body is read when it is used, and is the one written.
        for entry in listed:
            assert whole(entry) == whole(written[entry.id])
        assert opened.count("entry") == 2 and opened.count("reflection") == 1
    finally:
        j.close()


def test_held_entries_share_repeated_values_and_a_lock_forgets_them(
        data_dir: Path) -> None:
    """Entries read from their headers share equal tag lists and encounter types (memory at
    100,000 entries) and are still equal to the entries written; locking empties the tables
    that shared them."""
    from journal_app.core.records import headers

    j, _key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    zone = timezone(timedelta(hours=2))
    written = [j.add_entry(title=f"Shift {i}", body=f"Night {i}.", tags=("nights", "ward"),
                           encounter="bad-news", created=datetime(2024, 3, 5 + i, 9, tzinfo=zone))
               for i in range(3)]
    j.close()
    j = reopen(data_dir)
    try:
        held = sorted(j.entries(), key=lambda e: e.created)
        assert [e.id for e in held] == [e.id for e in written]
        assert len({id(e.tags) for e in held}) == 1
        assert len({id(e.encounter) for e in held}) == 1
        for entry, was in zip(held, written, strict=True):
            assert entry.created == was.created and entry.updated == was.updated
            assert entry.created.utcoffset() == timedelta(hours=2)
            assert hash(entry) == hash(was) and entry == was  # the body read when compared
        assert headers._TUPLES
        j.lock()
        assert not headers._TUPLES and not headers._EMOTIONS
    finally:
        j.close()


def test_a_body_read_after_the_journal_locked_is_refused(
        made: tuple[Path, dict[str, Entry]]) -> None:
    data_dir, written = made
    j = reopen(data_dir)
    entry = j.entries()[0]
    j.lock()
    with pytest.raises(VaultLockedError):
        entry.body  # noqa: B018
    j.unlock(PASS)
    assert entry.body == written[entry.id].body  # the same key opens it again
    j.close()


def test_a_body_changed_elsewhere_since_its_header_was_read(
        made: tuple[Path, dict[str, Entry]]) -> None:
    data_dir, _written = made
    j = reopen(data_dir)
    other = reopen(data_dir)
    try:
        entry = j.entries()[0]
        other.edit_entry(entry.id, body="changed by another program")
        with pytest.raises(NotFoundError):
            entry.body  # noqa: B018 - never the new body under the old title
        assert j.get_entry(entry.id).body == "changed by another program"
    finally:
        other.close()
        j.close()


def test_whole_entries_reads_bodies_in_one_pass_and_keeps_none(
        made: tuple[Path, dict[str, Entry]], monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, written = made
    j = reopen(data_dir)
    try:
        listed = j.entries()
        got = j.whole_entries(listed)
        assert [whole(e) for e in got] == [whole(written[e.id]) for e in listed]
        assert all("body" not in e.__dict__ for e in j.entries())  # the held ones stay light
        exported = {r.id: r for r in j.all_records() if isinstance(r, Entry)}
        assert {i: whole(e) for i, e in exported.items()} == {
            i: whole(e) for i, e in written.items()}
    finally:
        j.close()


def test_writing_an_entry_held_from_its_header_keeps_its_body(
        made: tuple[Path, dict[str, Entry]]) -> None:
    data_dir, written = made
    j = reopen(data_dir)
    try:
        entry = next(e for e in j.entries() if isinstance(e, Reflection))
        j.edit_entry(entry.id, title="Renamed")  # replace() reads the body and answers
        again = reopen(data_dir)
        try:
            stored = again.get_entry(entry.id)
            assert stored.title == "Renamed"
            assert stored.body == written[entry.id].body
            assert isinstance(stored, Reflection)
            assert stored.answers == written[entry.id].answers  # type: ignore[attr-defined]
            assert again.verify().ok
        finally:
            again.close()
    finally:
        j.close()


# ============================================================================ tamper evidence


def damaged_after_reopen(data_dir: Path, *ids: str) -> None:
    j = reopen(data_dir)
    try:
        listed = {e.id for e in [*j.entries(), *j.entries(trash=True)]}
        for record_id in ids:
            assert record_id not in listed
            assert record_id in j.damaged
            with pytest.raises(VaultDamagedError):
                j.get_entry(record_id)
        report = j.verify()
        assert set(ids) <= set(report.damaged_ids)
        assert not report.ok
    finally:
        j.close()


def test_an_altered_header_is_damage(made: tuple[Path, dict[str, Entry]]) -> None:
    data_dir, written = made
    target = next(iter(written))
    sealed = header(data_dir, target)
    assert sealed is not None
    changed = bytearray(sealed)
    changed[-3] ^= 1
    set_header(data_dir, target, bytes(changed))
    damaged_after_reopen(data_dir, target)


def test_headers_swapped_between_records_are_damage(
        made: tuple[Path, dict[str, Entry]]) -> None:
    data_dir, written = made
    a, b = list(written)[:2]
    head_a, head_b = header(data_dir, a), header(data_dir, b)
    set_header(data_dir, a, head_b)
    set_header(data_dir, b, head_a)
    damaged_after_reopen(data_dir, a, b)


def test_an_older_header_put_back_is_damage(made: tuple[Path, dict[str, Entry]]) -> None:
    data_dir, written = made
    target = next(iter(written))
    old = header(data_dir, target)
    j = reopen(data_dir)
    j.edit_entry(target, title="A newer title")
    j.close()
    set_header(data_dir, target, old)  # the title the list would show is the old one
    damaged_after_reopen(data_dir, target)


def test_a_header_never_opens_as_a_record_nor_a_record_as_a_header() -> None:
    cipher = RecordCipher(b"k" * 32, b"v" * 16)
    sealed = cipher.seal_header("a" * 32, "entry", 1, 7, b"[]")
    with pytest.raises(OpenError):
        cipher.open("a" * 32, "entry", 1, 7, sealed)
    blob = cipher.seal("a" * 32, "entry", 1, 7, b"{}")
    with pytest.raises(OpenError):
        cipher.open_header("a" * 32, "entry", 1, 7, blob)
    assert cipher.open_header("a" * 32, "entry", 1, 7, sealed) == b"[]"
    with pytest.raises(OpenError):
        cipher.open_header("a" * 32, "entry", 1, 8, sealed)


def test_a_header_that_is_not_one_is_refused() -> None:
    entry = Entry(title="t", body="b")
    data = header_bytes(entry)
    assert entry_from_header("entry", entry.id, data, lambda _i, _s: entry, 1).title == "t"
    values = codec.loads(data)
    for bad in ([*values, 1], [2, *values[1:]], [values[0], 5, *values[2:]],
                [*values[:2], 12, *values[3:]]):
        with pytest.raises(codec.CodecError):
            entry_from_header("entry", entry.id, codec.dumps(bad), lambda _i, _s: entry, 1)
    with pytest.raises(codec.CodecError):
        entry_from_header("checkin", entry.id, data, lambda _i, _s: entry, 1)


def test_loading_reads_the_headers_without_the_pages_of_the_blobs(
        made: tuple[Path, dict[str, Entry]]) -> None:
    """Loading reads every row's header through an index of their own: the table's pages,
    where the sealed blobs are (most of the file), are not read at unlock."""
    data_dir, _written = made
    reopen(data_dir).close()
    plan = sql(data_dir, f"EXPLAIN QUERY PLAN {store._SELECT_HEADS} WHERE id IN (?, ?)",
               ("a", "b"))
    assert len(plan) == 1 and "COVERING INDEX ix_records_heads" in plan[0][3]


# ============================================================================ older vaults


def to_older_format(data_dir: Path) -> None:
    """The file as the version before headers wrote it: no header column, no listing index,
    one migration."""
    sql(data_dir, "DROP INDEX ix_records_listing")
    sql(data_dir, "DROP INDEX ix_records_heads")
    sql(data_dir, "ALTER TABLE records DROP COLUMN header")
    sql(data_dir, "PRAGMA user_version=1")


def next_unlock_reads_headers_only(data_dir: Path, written: dict[str, Entry],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The next unlock decrypts no body, and holds every entry as written."""
    opened = count_opens(monkeypatch)
    again = reopen(data_dir)
    try:
        again.sync()
        assert "entry" not in opened and "reflection" not in opened
        assert {e.id: whole(e) for e in [*again.entries(), *again.entries(trash=True)]} == {
            i: whole(e) for i, e in written.items()}
        assert again.verify().ok
    finally:
        again.close()


def test_an_older_vault_is_brought_up_to_date_with_nothing_lost(
        made: tuple[Path, dict[str, Entry]], monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, written = made
    before = reopen(data_dir)
    every = {r.id: codec.to_jsonable(r) for r in before.all_records()}
    before.close()
    to_older_format(data_dir)

    j = reopen(data_dir)  # migrated (a copy kept first), then unlocked
    assert (data_dir / f"{DB_NAME}.before-migration-1").is_file()
    assert j.store.schema_version() == len(MIGRATIONS)
    assert sql(data_dir, "EXPLAIN QUERY PLAN SELECT id, kind, schema_version, seq"
               " FROM records")[0][3] == "SCAN records USING COVERING INDEX ix_records_listing"
    assert "COVERING INDEX ix_records_heads" in sql(
        data_dir, f"EXPLAIN QUERY PLAN {store._SELECT_HEADS} WHERE id = ?", ("a",))[0][3]
    try:
        assert {r.id: codec.to_jsonable(r) for r in j.all_records()} == every
        # The first unlock sealed every entry's header, bound to its row as it was.
        assert all(header(data_dir, i) is not None for i in written)
        assert sql(data_dir, "SELECT count(*) FROM records WHERE header IS NOT NULL"
                   " AND kind NOT IN ('entry', 'reflection')") == [(0,)]
        assert j.verify().ok
    finally:
        j.close()
    next_unlock_reads_headers_only(data_dir, written, monkeypatch)


def test_a_vault_of_the_version_before_gains_the_index_of_headers(
        made: tuple[Path, dict[str, Entry]], monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, written = made
    sql(data_dir, "DROP INDEX ix_records_heads")
    sql(data_dir, "PRAGMA user_version=2")
    j = reopen(data_dir)
    try:
        assert (data_dir / f"{DB_NAME}.before-migration-2").is_file()
        assert j.store.schema_version() == len(MIGRATIONS)
        assert "COVERING INDEX ix_records_heads" in sql(
            data_dir, f"EXPLAIN QUERY PLAN {store._SELECT_HEADS} WHERE id = ?", ("a",))[0][3]
    finally:
        j.close()
    next_unlock_reads_headers_only(data_dir, written, monkeypatch)


def test_a_header_removed_is_read_as_an_entry_without_one(
        made: tuple[Path, dict[str, Entry]]) -> None:
    data_dir, written = made
    target = next(iter(written))
    set_header(data_dir, target, None)
    j = reopen(data_dir)
    try:
        assert whole(j.get_entry(target)) == whole(written[target])  # read whole, authenticated
    finally:
        j.close()
    assert header(data_dir, target) is not None  # and sealed again


# ============================================================================ key rotation


def test_a_key_rotation_reseals_the_headers(made: tuple[Path, dict[str, Entry]],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, written = made
    j = reopen(data_dir)
    old = RecordCipher(j.cipher.data_key, j.vault_id)
    before = {i: header(data_dir, i) for i in written}
    j.rotate_key(PASS)
    new = j.cipher
    j.close()
    for record_id, kind, version, seq, sealed in sql(
            data_dir, "SELECT id, kind, schema_version, seq, header FROM records"
            " WHERE header IS NOT NULL"):
        assert sealed != before[record_id]
        with pytest.raises(OpenError):
            old.open_header(record_id, kind, version, seq, sealed)
        new.open_header(record_id, kind, version, seq, sealed)
    opened = count_opens(monkeypatch)
    again = reopen(data_dir)
    try:
        assert {e.id for e in [*again.entries(), *again.entries(trash=True)]} == set(written)
        assert "entry" not in opened
        assert again.damaged == {}
        assert again.verify().ok
    finally:
        again.close()


def test_headers_are_sealed_with_the_record_in_one_write(data_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    j, _key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    try:
        monkeypatch.setattr(crypto.RecordCipher, "seal_header",
                            lambda *a: (_ for _ in ()).throw(RuntimeError("cut")))
        with pytest.raises(RuntimeError):
            j.add_entry(title="never half written")
        assert sql(data_dir, "SELECT count(*) FROM records") == [(0,)]
    finally:
        j.close()


def test_an_import_reads_a_stored_body_only_to_compare_a_likely_duplicate(
        made: tuple[Path, dict[str, Entry]], monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, written = made
    plain = next(e for e in written.values() if e.title == "Ward round")
    j = reopen(data_dir)
    try:
        j.sync()
        opened = count_opens(monkeypatch)
        same = Entry(title=plain.title, body=plain.body, created=plain.created)
        other = Entry(title=plain.title, body="Another text", created=plain.created)
        new = Entry(title="Something else", body="New")
        result = j.import_records([same, other, new])
        assert result.imported == 2 and result.skipped_duplicates == 1
        # Only the stored entry with the same time and title was read to compare its text.
        assert opened.count("entry") + opened.count("reflection") == 1
    finally:
        j.close()


def test_counting_words_keeps_no_body(made: tuple[Path, dict[str, Entry]]) -> None:
    """The trends' first word counts (none sealed yet) read every body, and must not leave them
    on the held entries: at 100,000 entries that was the ~140 MB the first trends added."""
    from journal_app.core.practice.journal_trends import journal_trends
    from journal_app.core.vault import wordcounts

    data_dir, written = made
    j = reopen(data_dir)
    try:
        assert wordcounts.load(j.store, j.cipher) == {}
        words = j.entry_words()
        assert words == {i: len(e.title.split()) + len(e.body.split())
                         for i, e in written.items()}
        journal_trends(j)
        for record in j.held.records.values():
            if type(record) is Entry:  # (the trends read a reflection's answers, kept)
                assert "body" not in record.__dict__
        assert wordcounts.load(j.store, j.cipher) != {}  # sealed: the next unlock reads none
    finally:
        j.close()


def test_counting_words_leaves_out_a_body_that_does_not_open(
        made: tuple[Path, dict[str, Entry]]) -> None:
    """Its header opened at unlock, its body does not: the word counts leave it out and it is
    noted as damaged (as a body read alone does), the others are counted."""
    data_dir, written = made
    target = next(iter(written))
    blob = bytearray(sql(data_dir, "SELECT blob FROM records WHERE id=?", (target,))[0][0])
    blob[-3] ^= 1
    sql(data_dir, "UPDATE records SET blob=? WHERE id=?", (bytes(blob), target))
    j = reopen(data_dir)
    try:
        words = j.entry_words()
        assert set(words) == set(written) - {target}
        assert target in j.damaged
        assert target not in {e.id for e in [*j.entries(), *j.entries(trash=True)]}
    finally:
        j.close()


def test_loading_reuses_the_listing_of_the_unlock_only_while_nothing_was_written(
        made: tuple[Path, dict[str, Entry]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest check at unlock lists every row; the first load uses that listing instead
    of listing the rows again (at 100,000 entries a walk of 110,500 rows), but only while the
    file's write counter is the one it was listed at: a write by another program in between
    is loaded."""
    from journal_app.core.vault.store import ReadTransaction

    data_dir, written = made
    listings: list[object] = []
    real = ReadTransaction.id_seqs

    def counting(self: ReadTransaction, *args: Any, **kwargs: Any) -> Any:
        listings.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ReadTransaction, "id_seqs", counting)
    j = reopen(data_dir)
    try:
        assert len(listings) == 1  # the manifest check
        j.sync()
        assert len(listings) == 1
        assert {e.id for e in [*j.entries(), *j.entries(trash=True)]} == set(written)
    finally:
        j.close()
    j = reopen(data_dir)
    other = reopen(data_dir)
    try:
        added = other.add_entry(title="Written in between", body="x")
        j.sync()
        assert added.id in {e.id for e in j.entries()}
    finally:
        other.close()
        j.close()

"""The journal service: keys, entries, trash, revisions, search, other instances, integrity."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.errors import (
    AmbiguousIdError,
    MistypedRecoveryKeyError,
    NotFoundError,
    NoVaultError,
    UsageError,
    ValidationError,
    VaultDamagedError,
    VaultExistsError,
    VaultLockedError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from journal_app.core.records.model import Emotion, Entry, Revision
from journal_app.core.vault.crypto import TEST_KDF, KdfParams, format_recovery_key
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.quickopen import start_unlock
from journal_app.core.vault.search import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, SearchFilters
from journal_app.core.vault.store import DB_NAME
from tests.helpers.calls import record_calls

#: A row as stored (its list header too), and the statement that puts it back: a rollback.
ROW_AS_IT_IS = "SELECT schema_version, seq, blob, header FROM records WHERE id=?"
PUT_ROW_BACK = "UPDATE records SET schema_version=?, seq=?, blob=?, header=? WHERE id=?"


PASS = "correct horse"  # the passphrase of the conftest ``journal`` fixture


# ============================================================================ helpers


def sql(data_dir: Path, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """One statement on journal.db with a plain sqlite3 connection, committed."""
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def row_count(data_dir: Path) -> int:
    return int(sql(data_dir, "SELECT count(*) FROM records")[0][0])


def blobs(data_dir: Path) -> dict[str, tuple[Any, ...]]:
    return {r[0]: r[1:] for r in sql(data_dir, "SELECT id, kind, schema_version, seq, blob "
                                               "FROM records")}


def when(day: int, hour: int = 12) -> datetime:
    """Noon on a day of March 2024, local time (date filters work on local days)."""
    return datetime(2024, 3, day, hour).astimezone()


@pytest.fixture
def made(data_dir: Path) -> Iterator[tuple[Journal, str]]:
    """A fresh journal and its recovery key."""
    j, key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    yield j, key
    j.close()


def reopen(data_dir: Path, passphrase: str = PASS) -> Journal:
    j = Journal.open(data_dir)
    j.unlock(passphrase)
    return j


def flip(data: bytes, pos: int) -> bytes:
    changed = bytearray(data)
    changed[pos] ^= 0x01
    return bytes(changed)


# ============================================================================ lifecycle and keys


def test_create_gives_an_unlocked_journal_and_a_recovery_key(made: tuple[Journal, str]) -> None:
    j, key = made
    assert j.is_unlocked
    assert j.entries() == []
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert j.kdf_params() == TEST_KDF
    assert Journal.exists(j.data_dir)


def test_create_refuses_existing_vault_and_empty_passphrase(
    made: tuple[Journal, str], tmp_path: Path
) -> None:
    j, _ = made
    with pytest.raises(VaultExistsError):
        Journal.create(j.data_dir, "other", kdf=TEST_KDF)
    with pytest.raises(UsageError):
        Journal.create(tmp_path / "other", "", kdf=TEST_KDF)
    assert not Journal.exists(tmp_path / "other")


def test_open_without_a_vault(tmp_path: Path) -> None:
    with pytest.raises(NoVaultError):
        Journal.open(tmp_path / "none")


def test_the_meta_table_holds_only_known_keys(journal: Journal) -> None:
    journal.add_entry(title="x")
    journal.search("x")
    journal.save_index_snapshot()
    journal.lock()
    keys = {r[0] for r in sql(journal.data_dir, "SELECT key FROM meta")}
    segments = {k for k in keys if k.startswith("search_seg.")}
    assert len(segments) == 1  # one segment of the search index, under a random name
    assert keys - segments == {
        "format", "vault_id", "seq", "manifest", "search_dir",
        "slot.passphrase.a", "slot.passphrase.b", "slot.recovery.a", "slot.recovery.b",
    }


def test_wrong_passphrase(journal: Journal) -> None:
    journal.add_entry(title="kept")
    journal.close()
    j = Journal.open(journal.data_dir)
    try:
        for wrong in ("correct horsE", "correct horse ", "", "x" * 1000):
            with pytest.raises(WrongPassphraseError):
                j.unlock(wrong)
            assert not j.is_unlocked
        j.unlock(PASS)
        assert [e.title for e in j.entries()] == ["kept"]
    finally:
        j.close()


@pytest.mark.parametrize("copy", ["a", "b"])
@pytest.mark.parametrize("damage", ["flip", "garbage", "delete"])
def test_one_damaged_slot_copy_still_unlocks(data_dir: Path, copy: str, damage: str) -> None:
    j, _ = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    j.add_entry(title="still here")
    j.close()
    key = f"slot.passphrase.{copy}"
    if damage == "delete":
        sql(data_dir, "DELETE FROM meta WHERE key=?", (key,))
    else:
        (value,) = sql(data_dir, "SELECT value FROM meta WHERE key=?", (key,))[0]
        new = flip(value, len(value) // 2) if damage == "flip" else b"\x00garbage"
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (new, key))
    j = reopen(data_dir)
    try:
        assert [e.title for e in j.entries()] == ["still here"]
        assert j.slot_problems() == ["A copy of the passphrase key slot is damaged or missing."]
        report = j.verify()
        assert not report.ok
        assert any("passphrase key slot" in p for p in report.problems)
        # The wrong passphrase is still a wrong passphrase, not damage.
        j.lock()
        with pytest.raises(WrongPassphraseError):
            j.unlock("wrong")
        # Changing the passphrase writes both copies again.
        j.unlock(PASS)
        j.change_passphrase("new words", TEST_KDF)
        assert j.slot_problems() == []
    finally:
        j.close()


@pytest.mark.parametrize("damage", ["flip", "garbage", "delete", "mixed"])
def test_both_slot_copies_damaged_is_damage_even_with_the_right_passphrase(
    data_dir: Path, damage: str
) -> None:
    Journal.create(data_dir, PASS, kdf=TEST_KDF)[0].close()
    for n, key in enumerate(("slot.passphrase.a", "slot.passphrase.b")):
        how = damage if damage != "mixed" else ("flip", "delete")[n]
        if how == "delete":
            sql(data_dir, "DELETE FROM meta WHERE key=?", (key,))
            continue
        (value,) = sql(data_dir, "SELECT value FROM meta WHERE key=?", (key,))[0]
        new = flip(value, 40) if how == "flip" else b"{}"
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (new, key))
    j = Journal.open(data_dir)
    try:
        for passphrase in (PASS, "wrong"):
            with pytest.raises(VaultDamagedError):
                j.unlock(passphrase)
        assert not j.is_unlocked
    finally:
        j.close()


def test_both_recovery_slot_copies_damaged(made: tuple[Journal, str]) -> None:
    j, key = made
    j.close()
    for copy in ("a", "b"):
        sql(j.data_dir, "UPDATE meta SET value=x'00' WHERE key=?", (f"slot.recovery.{copy}",))
    j2 = Journal.open(j.data_dir)
    try:
        with pytest.raises(VaultDamagedError):
            j2.recover(key, "new passphrase", TEST_KDF)
        j2.unlock(PASS)  # the passphrase slot is fine
    finally:
        j2.close()


def test_hostile_kdf_parameters_in_both_copies_are_damage(made: tuple[Journal, str]) -> None:
    import json

    j, _ = made
    j.close()
    (value,) = sql(j.data_dir, "SELECT value FROM meta WHERE key='slot.passphrase.a'")[0]
    outer = json.loads(value)
    body = json.loads(outer["slot"])
    body["kdf"]["memory_kib"] = 1 << 40  # a petabyte
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    import hashlib

    hostile = json.dumps({"slot": text, "sha256": hashlib.sha256(text.encode()).hexdigest()})
    for copy in ("a", "b"):
        sql(j.data_dir, "UPDATE meta SET value=? WHERE key=?", (hostile.encode(),
                                                                 f"slot.passphrase.{copy}"))
    j2 = Journal.open(j.data_dir)
    try:
        start = time.monotonic()
        with pytest.raises(VaultDamagedError):
            j2.unlock(PASS)
        assert time.monotonic() - start < 30  # a hang guard: no KDF run with hostile costs
    finally:
        j2.close()


def test_change_passphrase(made: tuple[Journal, str]) -> None:
    j, key = made
    j.add_entry(title="one", body="text")
    j.edit_entry(j.entries()[0].id, body="more text")
    before = blobs(j.data_dir)
    with pytest.raises(UsageError):
        j.change_passphrase("")
    j.change_passphrase("battery staple")
    assert blobs(j.data_dir) == before  # no record was re-encrypted
    assert [e.body for e in j.entries()] == ["more text"]  # still unlocked
    j.close()
    j2 = Journal.open(j.data_dir)
    try:
        with pytest.raises(WrongPassphraseError):
            j2.unlock(PASS)
        j2.unlock("battery staple")
        assert [e.body for e in j2.entries()] == ["more text"]
        assert j2.kdf_params() == TEST_KDF  # kept from the old slot
        assert j2.verify().ok
        j2.lock()
        j2.recover(key, "third one")  # the recovery key is untouched
    finally:
        j2.close()


def test_change_passphrase_can_raise_kdf_parameters(journal: Journal) -> None:
    stronger = KdfParams(memory_kib=128, iterations=2, lanes=1)
    journal.change_passphrase("new one", stronger)
    assert journal.kdf_params() == stronger
    journal.close()
    reopen(journal.data_dir, "new one").close()


def test_recover_sets_a_new_passphrase(made: tuple[Journal, str]) -> None:
    j, key = made
    j.add_entry(title="remember me")
    j.close()
    j2 = Journal.open(j.data_dir)
    try:
        with pytest.raises(MistypedRecoveryKeyError):
            j2.recover(key[:-1] + ("A" if key[-1] != "A" else "B"), "x")
        with pytest.raises(WrongRecoveryKeyError):
            j2.recover(format_recovery_key(bytes(16)), "x")  # well-formed, not ours
        assert not j2.is_unlocked
        # Typed sloppily: lower case and spaces.
        j2.recover(key.lower().replace("-", " "), "brand new", TEST_KDF)
        assert j2.is_unlocked
        assert [e.title for e in j2.entries()] == ["remember me"]
    finally:
        j2.close()
    j3 = Journal.open(j.data_dir)
    try:
        with pytest.raises(WrongPassphraseError):
            j3.unlock(PASS)
        j3.unlock("brand new")
        assert [e.title for e in j3.entries()] == ["remember me"]
        j3.lock()
        j3.recover(key, "again", TEST_KDF)  # the recovery key stays valid
    finally:
        j3.close()


def test_new_recovery_key(made: tuple[Journal, str]) -> None:
    j, old_key = made
    j.add_entry(title="x")
    new_key = j.new_recovery_key(PASS)
    assert new_key != old_key
    j.close()
    j2 = Journal.open(j.data_dir)
    try:
        with pytest.raises(WrongRecoveryKeyError) as info:
            j2.recover(old_key, "p1", TEST_KDF)
        assert not isinstance(info.value, MistypedRecoveryKeyError)
        j2.unlock(PASS)  # the passphrase still works
        j2.lock()
        j2.recover(new_key, "p2", TEST_KDF)
        assert [e.title for e in j2.entries()] == ["x"]
    finally:
        j2.close()


def test_lock_drops_decrypted_state(journal: Journal) -> None:
    entry = journal.add_entry(title="private", body="words")
    journal.search("words")
    journal.lock()
    assert not journal.is_unlocked
    assert journal.held.records == {}
    assert journal._search.index is None
    assert journal._history.cache is None
    with pytest.raises(VaultLockedError):
        journal.entries()
    with pytest.raises(VaultLockedError):
        journal.search("words")
    with pytest.raises(VaultLockedError):
        journal.add_entry(title="more")
    with pytest.raises(VaultLockedError):
        journal.get_entry(entry.id)
    with pytest.raises(VaultLockedError):
        journal.change_passphrase("x")
    with pytest.raises(VaultLockedError):
        journal.new_recovery_key(PASS)
    with pytest.raises(VaultLockedError):
        _ = journal.cipher
    journal.unlock(PASS)
    assert [e.title for e in journal.entries()] == ["private"]
    journal.lock()
    journal.lock()  # twice is harmless


# ============================================================================ quick unlock


def test_quickopen_derived_key_is_used(journal: Journal) -> None:
    journal.add_entry(title="fast")
    journal.close()
    pending = start_unlock(journal.data_dir, PASS)
    assert pending is not None
    derived = pending.result()
    assert derived is not None
    j = Journal.open(journal.data_dir)
    try:
        j.unlock("ignored when the derived key matches", derived)
        assert [e.title for e in j.entries()] == ["fast"]
    finally:
        j.close()


def test_quickopen_wrong_passphrase_still_fails(journal: Journal) -> None:
    journal.close()
    pending = start_unlock(journal.data_dir, "wrong")
    assert pending is not None
    j = Journal.open(journal.data_dir)
    try:
        with pytest.raises(WrongPassphraseError):
            j.unlock("wrong", pending.result())
    finally:
        j.close()


def test_quickopen_key_for_another_slot_is_ignored(journal: Journal, tmp_path: Path) -> None:
    other, _ = Journal.create(tmp_path / "other", PASS, kdf=TEST_KDF)
    other.close()
    pending = start_unlock(tmp_path / "other", PASS)
    assert pending is not None
    journal.close()
    j = Journal.open(journal.data_dir)
    try:
        # Derived for the other vault's salt: the passphrase is derived again for this one.
        j.unlock(PASS, pending.result())
        assert j.is_unlocked
    finally:
        j.close()


def test_quickopen_index_catches_up_from_the_rows_read_with_it(journal: Journal) -> None:
    """The index prefetched beside the key catches up from the rows read in the same snapshot
    (not read again); a write by another process after that snapshot is still found."""
    journal.add_entry(title="before", body="lighthouse keeper")
    journal.prepare_search()
    journal.save_index_snapshot()
    journal.add_entry(title="after the snapshot", body="lighthouse at dusk")
    journal.close()
    for outside_write in (False, True):
        pending = start_unlock(journal.data_dir, PASS, want_index=True)
        assert pending is not None
        derived = pending.result()
        assert derived is not None and derived.prefetched is not None
        assert derived.prefetched.index is not None and derived.prefetched.rows
        if outside_write:  # after the prefetch's snapshot, before the search
            other = Journal.open(journal.data_dir)
            other.unlock(PASS)
            other.add_entry(title="from elsewhere", body="lighthouse in fog")
            other.close()
        j = Journal.open(journal.data_dir)
        try:
            j.unlock(PASS, derived)
            j.prepare_search()
            titles = sorted(e.title for _hit, e in j.search("lighthouse"))
            expected = ["after the snapshot", "before"]
            if outside_write:
                expected = ["after the snapshot", "before", "from elsewhere"]
            assert titles == expected
        finally:
            j.close()


def test_quickopen_without_a_vault(tmp_path: Path) -> None:
    assert start_unlock(tmp_path / "none", PASS) is None
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / DB_NAME).write_bytes(b"not a database")
    assert start_unlock(tmp_path / "junk", PASS) is None


# ============================================================================ entries


def test_add_and_list_newest_first(journal: Journal) -> None:
    for day in (3, 1, 5, 2, 4):
        journal.add_entry(title=f"day {day}", created=when(day))
    assert [e.title for e in journal.entries()] == [f"day {d}" for d in (5, 4, 3, 2, 1)]
    assert journal.entry_count() == 5
    # A fresh instance reads the same from the file.
    journal.close()
    j = reopen(journal.data_dir)
    try:
        assert [e.title for e in j.entries()] == [f"day {d}" for d in (5, 4, 3, 2, 1)]
    finally:
        j.close()


def test_all_fields_survive_the_vault(journal: Journal) -> None:
    entry = Entry(
        created=when(1), title="Title ✓", body="Body\n\n- list", tags=["Work", "night shift"],
        starred=True, emotions=[Emotion("sad", 4)], mood=-2, energy=3, stress=7,
        encounter="goals-of-care", prompt_ids=["p-1"], links=["f" * 32],
    )
    stored = journal.add_entry(entry)
    assert stored == replace(entry, updated=stored.updated)
    journal.close()
    j = reopen(journal.data_dir)
    try:
        (got,) = j.entries()
        assert got == stored
    finally:
        j.close()


@pytest.mark.parametrize(
    "fields",
    [{"mood": 9}, {"stress": -1}, {"encounter": "picnic"}, {"title": "t" * 1001},
     {"tags": ["#"]}, {"created": datetime(2024, 1, 1)}],
)
def test_invalid_fields_are_validation_errors(journal: Journal, fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        journal.add_entry(**fields)
    assert journal.entries() == []
    assert row_count(journal.data_dir) == 0


def test_edit_validation_changes_nothing(journal: Journal) -> None:
    e = journal.add_entry(title="t", mood=1)
    with pytest.raises(ValidationError):
        journal.edit_entry(e.id, mood=42)
    assert journal.get_entry(e.id).mood == 1
    assert journal.revisions(e.id) == []


@pytest.mark.parametrize("field", ["title", "body"])
def test_text_that_is_not_unicode_is_refused(journal: Journal, field: str) -> None:
    # Lone surrogates come from undecodable command-line bytes (surrogateescape).
    with pytest.raises(ValidationError):
        journal.add_entry(**{field: "bad \udcff byte"})
    with pytest.raises(ValidationError):
        journal.add_entry(tags=["x\ud800"])
    assert row_count(journal.data_dir) == 0


def test_edit_keeps_a_revision_and_restore_brings_it_back(journal: Journal) -> None:
    e = journal.add_entry(title="first title", body="first body", mood=1)
    journal.edit_entry(e.id, title="second title", body="second body")
    journal.edit_entry(e.id, body="third body")
    assert journal.get_entry(e.id).body == "third body"
    revs = journal.revisions(e.id)
    assert [r.record().body for r in revs] == ["second body", "first body"]  # type: ignore[attr-defined]
    assert all(r.target_id == e.id for r in revs)
    assert revs[0].saved >= revs[1].saved
    first = revs[1]
    restored = journal.restore_revision(first.id[:8])
    assert (restored.title, restored.body, restored.mood) == ("first title", "first body", 1)
    assert journal.get_entry(e.id).body == "first body"
    # The version that was current before the restore is kept as a revision too.
    assert "third body" in [r.record().body for r in journal.revisions(e.id)]  # type: ignore[attr-defined]
    # Revisions are not listed as entries.
    assert [x.id for x in journal.entries()] == [e.id]
    with pytest.raises(NotFoundError):
        journal.restore_revision("0" * 32)


def test_save_without_revision(journal: Journal) -> None:
    e = journal.add_entry(title="a")
    journal.save_entry(replace(e, title="b"), keep_revision=False)
    assert journal.revisions(e.id) == []
    assert journal.get_entry(e.id).title == "b"


def test_a_revision_is_kept_when_another_instance_changed_the_entry(journal: Journal) -> None:
    e = journal.add_entry(title="base")
    other = reopen(journal.data_dir)
    try:
        other.edit_entry(e.id, title="theirs")
        # ``e`` is this instance's copy, read before their edit
        journal.save_entry(replace(e, title="mine"), keep_revision=False)
    finally:
        other.close()
    titles = [r.record().title for r in journal.revisions(e.id)]  # type: ignore[attr-defined]
    assert "theirs" in titles  # their version was not lost


def test_delete_restore_and_empty_trash(journal: Journal) -> None:
    keep = journal.add_entry(title="keep", created=when(1))
    gone = journal.add_entry(title="gone", created=when(2))
    journal.edit_entry(gone.id, body="edited")  # one revision of the entry to be removed
    journal.edit_entry(keep.id, body="edited")  # one revision of the kept entry
    assert row_count(journal.data_dir) == 4

    trashed = journal.delete_entry(gone.id)
    assert trashed.in_trash
    assert [e.id for e in journal.entries()] == [keep.id]
    assert [e.id for e in journal.entries(trash=True)] == [gone.id]
    assert journal.delete_entry(gone.id).trashed == trashed.trashed  # already there
    assert row_count(journal.data_dir) == 4  # nothing removed yet

    journal.restore_entry(gone.id)
    assert {e.id for e in journal.entries()} == {keep.id, gone.id}
    assert journal.entries(trash=True) == []

    journal.delete_entry(gone.id)
    assert journal.empty_trash() == 1
    assert journal.entries(trash=True) == []
    assert [e.id for e in journal.entries()] == [keep.id]
    assert row_count(journal.data_dir) == 2  # the entry and its revision are gone for good
    ids = set(blobs(journal.data_dir))
    assert gone.id not in ids
    assert all(r.target_id != gone.id for r in journal.all_records() if isinstance(r, Revision))
    assert len(journal.revisions(keep.id)) == 1
    with pytest.raises(NotFoundError):
        journal.get_entry(gone.id)
    assert journal.empty_trash() == 0
    assert journal.verify().ok


def test_restoring_a_revision_keeps_the_entry_in_the_trash(journal: Journal) -> None:
    e = journal.add_entry(title="v1")
    journal.edit_entry(e.id, title="v2")
    journal.delete_entry(e.id)
    (rev,) = [r for r in journal.revisions(e.id) if r.record().title == "v1"]  # type: ignore[attr-defined]
    restored = journal.restore_revision(rev.id)
    assert restored.title == "v1"
    assert restored.in_trash


def test_id_prefix_resolution(journal: Journal) -> None:
    a = journal.add_entry(Entry(id="abcdef" + "0" * 26, title="a"))
    b = journal.add_entry(Entry(id="abcdef" + "1" * 26, title="b"))
    c = journal.add_entry(title="c")
    assert journal.resolve_id(c.id) == c.id
    assert journal.resolve_id(c.id[:6]) == c.id
    assert journal.resolve_id("  " + c.id[:8].upper() + " ") == c.id
    assert journal.get_entry("abcdef0").id == a.id
    assert journal.get_entry("ABCDEF1").id == b.id
    with pytest.raises(AmbiguousIdError):
        journal.resolve_id("abcdef")
    with pytest.raises(NotFoundError):
        journal.resolve_id("999999")
    with pytest.raises(NotFoundError):
        journal.resolve_id("zzzzzzzz")
    for short in ("", "a", "abcde"):
        with pytest.raises(UsageError):
            journal.resolve_id(short)


def test_an_entry_id_wins_over_a_revision_id_with_the_same_prefix(journal: Journal) -> None:
    e = journal.add_entry(title="x")
    journal.edit_entry(e.id, title="y")
    (rev,) = journal.revisions(e.id)
    assert journal.resolve_id(rev.id) == rev.id
    assert journal.resolve_id(e.id) == e.id


# ============================================================================ search


@pytest.fixture
def corpus(journal: Journal) -> Journal:
    journal.add_entry(title="Night shift", body="A code blue on the ward.", tags=["work"],
                      emotions=[Emotion("shaken", 4)], encounter="code", starred=True,
                      created=when(1))
    journal.add_entry(title="Family meeting", body="Talked about goals of care.",
                      tags=["work", "family"], encounter="goals-of-care", created=when(2))
    journal.add_entry(title="Day off", body="Walked by the sea. No code today.",
                      tags=["home"], emotions=[Emotion("calm")], created=when(3))
    return journal


def _titles(results: list[tuple[Any, Entry]]) -> list[str]:
    return [entry.title for _hit, entry in results]


def test_search_returns_hits_with_entries(corpus: Journal) -> None:
    results = corpus.search("code")
    assert sorted(_titles(results)) == ["Day off", "Night shift"]
    for hit, entry in results:
        assert hit.id == entry.id
        assert isinstance(entry, Entry)
        assert f"{HIGHLIGHT_OPEN}code{HIGHLIGHT_CLOSE}" in hit.snippet.lower()
    assert _titles(corpus.search("night shift")) == ["Night shift"]
    assert _titles(corpus.search("SHIFT")) == ["Night shift"]
    assert corpus.search("nothing-like-this") == []


@pytest.mark.parametrize(
    ("query", "filters", "expected"),
    [
        ("code", SearchFilters(tags=("work",)), ["Night shift"]),
        ("", SearchFilters(tags=("work",)), ["Family meeting", "Night shift"]),
        ("", SearchFilters(emotions=("calm",)), ["Day off"]),
        ("", SearchFilters(encounter="goals-of-care"), ["Family meeting"]),
        ("", SearchFilters(starred=True), ["Night shift"]),
        ("", SearchFilters(date_from=date(2024, 3, 2), date_to=date(2024, 3, 2)),
         ["Family meeting"]),
        ("", SearchFilters(date_from=date(2024, 3, 2)), ["Day off", "Family meeting"]),
        ("", SearchFilters(kinds=("revision",)), []),
        ("", SearchFilters(trashed=True), []),
    ],
)
def test_search_filters_through_the_service(
    corpus: Journal, query: str, filters: SearchFilters, expected: list[str]
) -> None:
    assert _titles(corpus.search(query, filters)) == expected


def test_search_follows_edits_and_the_trash(corpus: Journal) -> None:
    night = next(e for e in corpus.entries() if e.title == "Night shift")
    corpus.edit_entry(night.id, body="A quiet night after all.")
    assert _titles(corpus.search("code")) == ["Day off"]
    assert _titles(corpus.search("quiet")) == ["Night shift"]
    corpus.delete_entry(night.id)
    assert corpus.search("quiet") == []
    assert _titles(corpus.search("quiet", SearchFilters(trashed=True))) == ["Night shift"]
    corpus.restore_entry(night.id)
    assert _titles(corpus.search("quiet")) == ["Night shift"]
    corpus.delete_entry(night.id)
    corpus.empty_trash()
    assert corpus.search("quiet", SearchFilters(trashed=True)) == []


def test_search_is_correct_after_lock_and_unlock(corpus: Journal) -> None:
    before = [(h.id, h.snippet) for h, _ in corpus.search("code")]
    corpus.save_index_snapshot()
    corpus.lock()
    snapshot = sql(corpus.data_dir, "SELECT value FROM meta WHERE key LIKE 'search_%'")
    assert len(snapshot) == 2, "lock() saves the index: its directory and a segment"
    assert all(b"code blue" not in value for (value,) in snapshot)
    corpus.unlock(PASS)
    assert [(h.id, h.snippet) for h, _ in corpus.search("code")] == before
    # Changes after the snapshot are seen too.
    corpus.add_entry(title="Another code", created=when(4))
    corpus.lock()
    other = reopen(corpus.data_dir)
    try:
        other.add_entry(title="Written while locked: code", created=when(5))
        night = next(e for e in other.entries() if e.title == "Night shift")
        other.delete_entry(night.id)
    finally:
        other.close()
    corpus.unlock(PASS)
    assert sorted(_titles(corpus.search("code"))) == [
        "Another code", "Day off", "Written while locked: code"
    ]


def test_search_before_entries_are_loaded(corpus: Journal) -> None:
    corpus.lock()
    corpus.unlock(PASS)
    # The first call after unlock is a search: the records are read from the store.
    assert sorted(_titles(corpus.search("code"))) == ["Day off", "Night shift"]
    assert len(corpus.entries()) == 3


def test_a_damaged_snapshot_is_rebuilt(corpus: Journal) -> None:
    corpus.search("code")
    corpus.save_index_snapshot()
    corpus.lock()
    key, snap = sql(corpus.data_dir, "SELECT key, value FROM meta WHERE key LIKE 'search_seg.%'")[0]
    sql(corpus.data_dir, "UPDATE meta SET value=? WHERE key=?", (flip(snap, len(snap) // 2), key))
    corpus.unlock(PASS)
    assert sorted(_titles(corpus.search("code"))) == ["Day off", "Night shift"]


def test_another_instance_sees_writes(journal: Journal) -> None:
    other = reopen(journal.data_dir)
    try:
        assert other.entries() == []
        assert other.search("zebra") == []
        e = journal.add_entry(title="zebra crossing", body="stripes")
        assert [x.id for x in other.entries()] == [e.id]
        assert _titles(other.search("zebra")) == ["zebra crossing"]

        other.edit_entry(e.id, title="giraffe")
        assert journal.get_entry(e.id).title == "giraffe"
        assert journal.search("zebra") == []
        assert _titles(journal.search("giraffe")) == ["giraffe"]
        assert len(journal.revisions(e.id)) == 1

        journal.delete_entry(e.id)
        assert other.entries() == []
        assert other.search("giraffe") == []
        journal.empty_trash()
        assert other.entries(trash=True) == []
        assert other.sync() is False  # nothing new since
        journal.add_entry(title="x")
        assert other.sync() is True
        assert other.verify().ok and journal.verify().ok
    finally:
        other.close()


def test_index_remembers_the_write_sequence_of_others_records(journal: Journal) -> None:
    """Records picked up from another instance are indexed with their real sequence, so the
    snapshot does not force them to be indexed again at every unlock."""
    other = reopen(journal.data_dir)
    try:
        other.entries()  # the records are loaded...
        other.search("anything")  # ...and the index
        e = journal.add_entry(title="from the first")
        assert _titles(other.search("first")) == ["from the first"]
        stored = {i: s for i, _k, _v, s in other._store.id_seqs()}
        assert other._search.index is not None
        assert other._search.index.state()[e.id] == stored[e.id]
    finally:
        other.close()


def test_two_threads_two_instances(journal: Journal) -> None:
    other = reopen(journal.data_dir)
    errors: list[BaseException] = []

    def work(j: Journal, name: str) -> None:
        try:
            for i in range(30):
                j.add_entry(title=f"{name} {i}", body=f"written by {name}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(j, n))
               for j, n in ((journal, "alpha"), (other, "beta"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        for j in (journal, other):
            titles = {e.title for e in j.entries()}
            assert titles == {f"{n} {i}" for n in ("alpha", "beta") for i in range(30)}
            assert len(j.search("alpha", limit=None)) == 30
            assert len(j.search("beta", limit=None)) == 30
        report = journal.verify()
        assert report.ok, report.problems
        assert report.records_checked == 60
        assert row_count(journal.data_dir) == 60
    finally:
        other.close()


# ============================================================================ integrity


@pytest.fixture
def three(journal: Journal) -> tuple[Journal, list[Entry]]:
    made = [journal.add_entry(title=f"entry {i}", body=f"body {i}", created=when(i + 1))
            for i in range(3)]
    return journal, made


def test_verify_a_sound_journal(three: tuple[Journal, list[Entry]]) -> None:
    j, _ = three
    report = j.verify()
    assert report.ok
    assert report.problems == [] and report.damaged_ids == []
    assert report.records_checked == 3
    assert j.manifest_problem is None


def test_flipped_byte_in_a_record(three: tuple[Journal, list[Entry]]) -> None:
    j, (a, b, c) = three
    (blob,) = sql(j.data_dir, "SELECT blob FROM records WHERE id=?", (b.id,))[0]
    sql(j.data_dir, "UPDATE records SET blob=? WHERE id=?", (flip(blob, len(blob) - 5), b.id))
    report = j.verify()
    assert report.damaged_ids == [b.id]
    assert any(b.id in p for p in report.problems)
    assert report.records_checked == 3
    # Damage in a record is not a manifest problem (the row is still there).
    assert j.manifest_problem is None
    fresh = reopen(j.data_dir)
    try:
        # Unlocking reads the entries' list headers, not their bodies (issue 18): b is listed
        # from its intact header until its body is read, then it is damaged.
        listed = fresh.get_entry(b.id)
        with pytest.raises(VaultDamagedError):
            listed.body  # noqa: B018
        assert [e.id for e in fresh.entries()] == [c.id, a.id]
        assert b.id in fresh.damaged
        with pytest.raises(VaultDamagedError):
            fresh.get_entry(b.id)
        assert {e.id for _h, e in fresh.search("entry")} == {a.id, c.id}
    finally:
        fresh.close()


def test_swapped_blobs_are_both_reported(three: tuple[Journal, list[Entry]]) -> None:
    j, (a, b, _c) = three
    rows = blobs(j.data_dir)
    sql(j.data_dir, "UPDATE records SET blob=? WHERE id=?", (rows[b.id][3], a.id))
    sql(j.data_dir, "UPDATE records SET blob=? WHERE id=?", (rows[a.id][3], b.id))
    report = j.verify()
    assert sorted(report.damaged_ids) == sorted([a.id, b.id])
    assert not report.ok


def test_a_deleted_row_is_a_manifest_problem(three: tuple[Journal, list[Entry]]) -> None:
    j, (a, _b, _c) = three
    sql(j.data_dir, "DELETE FROM records WHERE id=?", (a.id,))
    report = j.verify()
    assert not report.ok
    assert report.damaged_ids == []
    assert j.manifest_problem is not None
    assert j.manifest_problem in report.problems
    assert report.records_checked == 2
    fresh = reopen(j.data_dir)
    try:
        assert fresh.manifest_problem is not None
        # Later writes do not launder the removal.
        fresh.add_entry(title="later")
        assert not fresh.verify().ok
    finally:
        fresh.close()


def test_a_rolled_back_record_is_a_manifest_problem(three: tuple[Journal, list[Entry]]) -> None:
    j, (a, _b, _c) = three
    (old,) = sql(j.data_dir, ROW_AS_IT_IS, (a.id,))
    j.edit_entry(a.id, body="the newer text")
    assert j.verify().ok
    sql(j.data_dir, PUT_ROW_BACK, (*old, a.id))
    report = j.verify()
    # The old ciphertext is authentic with its old sequence number...
    assert report.damaged_ids == []
    # ...but the manifest knows the record was written again since.
    assert not report.ok
    assert j.manifest_problem is not None and j.manifest_problem in report.problems
    fresh = reopen(j.data_dir)
    try:
        assert fresh.manifest_problem is not None
        assert fresh.get_entry(a.id).body == "body 0"
        fresh.edit_entry(a.id, body="edited again")
        assert not fresh.verify().ok
    finally:
        fresh.close()


def test_a_copied_row_is_reported(three: tuple[Journal, list[Entry]]) -> None:
    j, (a, _b, _c) = three
    kind, version, seq, blob = blobs(j.data_dir)[a.id]
    sql(j.data_dir, "INSERT INTO records (id, kind, schema_version, seq, blob) VALUES (?,?,?,?,?)",
        ("f" * 32, kind, version, seq, blob))
    report = j.verify()
    assert "f" * 32 in report.damaged_ids  # bound to its own id
    assert j.manifest_problem is not None


def test_a_damaged_manifest_is_reported_and_repaired_only_knowingly(
    three: tuple[Journal, list[Entry]],
) -> None:
    j, _ = three
    (man,) = sql(j.data_dir, "SELECT value FROM meta WHERE key='manifest'")[0]
    sql(j.data_dir, "UPDATE meta SET value=? WHERE key='manifest'", (flip(man, 20),))
    report = j.verify()
    assert not report.ok
    assert j.manifest_problem is not None and j.read_only
    with pytest.raises(VaultDamagedError):
        j.add_entry(title="does not rebuild the manifest")
    j.repair_manifest(j.repair_preview())
    j.add_entry(title="after the repair")
    assert j.verify().ok


def test_sqlite_damage_is_reported_by_verify(three: tuple[Journal, list[Entry]]) -> None:
    j, _ = three
    assert j._store.sqlite_integrity() == []
    # Forget an index in the schema: its pages are then orphaned, which SQLite's check notices.
    conn = sqlite3.connect(j.data_dir / DB_NAME)
    try:
        conn.execute("PRAGMA writable_schema=ON")
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='records'"
            " AND sql IS NOT NULL"
        )]
        assert names
        conn.execute("DELETE FROM sqlite_master WHERE name=?", (names[0],))
        conn.commit()
    finally:
        conn.close()
    fresh = reopen(j.data_dir)
    try:
        report = fresh.verify()
        assert not report.ok
        assert any(p.startswith("SQLite reports:") for p in report.problems)
        assert report.damaged_ids == []
    finally:
        fresh.close()


# ============================================================================ plaintext canary


def test_no_plaintext_on_disk(data_dir: Path) -> None:
    canaries = {
        "passphrase": "PassCanaryQx7Vw",
        "title": "TitleCanaryZp3Lm",
        "body": "BodyCanaryHk9Rt",
        "edited": "EditCanaryMw2Jd",
        "tag": "tagcanarynb4ks",
        "emotion": "emocanaryyv8gh",
        "prompt": "PromptCanaryTf6Pq",
        "link": "LinkCanaryXs5Bc",
    }
    j, recovery = Journal.create(data_dir, canaries["passphrase"], kdf=TEST_KDF)
    e = j.add_entry(
        title=canaries["title"], body=f"start {canaries['body']} end", tags=[canaries["tag"]],
        emotions=[Emotion(canaries["emotion"], 2)], prompt_ids=[canaries["prompt"]],
        links=[canaries["link"]], encounter="moral-distress", mood=3,
    )
    # Enough changes for a snapshot of the search index during search().
    j.import_records([Entry(title=f"{canaries['title']} {i}", body=canaries["body"])
                      for i in range(30)])
    j.edit_entry(e.id, body=canaries["edited"])  # the old body is now a revision
    assert j.search(canaries["edited"])
    assert j.search(canaries["body"])
    j.delete_entry(e.id)

    def check() -> None:
        files = [p for p in data_dir.rglob("*") if p.is_file()]
        assert any(p.name == DB_NAME for p in files)
        for path in files:
            data = path.read_bytes()
            for name, text in [*canaries.items(), ("recovery key", recovery),
                               ("recovery key", recovery.replace("-", ""))]:
                for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                    assert text.encode(encoding) not in data, (path.name, name, encoding)
                    assert text.lower().encode(encoding) not in data, (path.name, name, encoding)

    check()  # while open (WAL file present)
    j.lock()
    check()
    j.close()
    check()


def test_a_write_rebuilds_only_the_lists_of_the_kinds_it_changed(
        journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saving the app's state (today's prompt, chosen at every unlock) must not sort every
    entry again: at 100,000 entries that was 0.3-0.6 s of the app's unlock. A write of entries
    or check-ins rebuilds their lists, and the lists stay right."""
    from journal_app.core.records.model import CheckIn
    from journal_app.core.vault import journal as journal_module

    first = journal.add_entry(title="One", body="x")
    journal.add_record(CheckIn(mood=3))
    assert [e.id for e in journal.entries()] == [first.id]
    assert len(journal.checkins()) == 1
    sorted_lists = record_calls(monkeypatch, journal_module, "_newest_first")
    journal.update_app_state(lambda s: replace(s, level="clerkship"))
    journal.entries()
    journal.checkins()
    assert sorted_lists == []
    second = journal.add_entry(title="Two", body="y")
    assert {e.id for e in journal.entries()} == {first.id, second.id}
    assert len(journal.checkins()) == 1
    assert len(sorted_lists) == 1  # the entries, not the check-ins
    journal.add_record(CheckIn(mood=2))
    assert len(journal.checkins()) == 2
    journal.delete_entry(second.id)  # to the trash: both lists of entries change
    assert [e.id for e in journal.entries()] == [first.id]
    assert [e.id for e in journal.entries(trash=True)] == [second.id]


def test_the_lists_of_each_kind_follow_writes(journal: Journal) -> None:
    """records(kind) from one grouping of the records held: each kind's, a kind with
    subclasses (entries and reflections) in the order held, and right after every write."""
    from journal_app.core.records.model import CheckIn, Reflection

    plain = journal.add_entry(title="One", body="x")
    reflection = journal.add_record(Reflection(title="R", body="b", template_id="gibbs"))
    checkin = journal.add_record(CheckIn(mood=3))
    assert [r.id for r in journal.records(CheckIn)] == [checkin.id]
    assert [r.id for r in journal.records(Reflection)] == [reflection.id]
    assert [r.id for r in journal.records(Entry)] == [
        r.id for r in journal.held.records.values() if isinstance(r, Entry)]
    assert {r.id for r in journal.records(Entry)} == {plain.id, reflection.id}
    later = journal.add_record(CheckIn(mood=1))
    assert {r.id for r in journal.records(CheckIn)} == {checkin.id, later.id}
    assert [r.id for r in journal.records(Reflection)] == [reflection.id]
    journal.delete_entry(reflection.id)
    journal.empty_trash()
    assert journal.records(Reflection) == []
    assert [r.id for r in journal.records(Entry)] == [plain.id]


def test_a_sync_with_nothing_new_opens_no_connection(
        journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list the app asks for first checks the file's write counter; with nothing new it
    reads it on the connection kept open (a connection of its own each time cost 0.3 ms,
    dozens of times at each unlock and refresh). A write by another program is still seen."""
    from journal_app.core.vault.store import Store

    journal.add_entry(title="One", body="x")
    journal.entries()
    opened = record_calls(monkeypatch, Store, "_new_connection")
    journal.entries()
    journal.checkins()
    assert journal.sync() is False
    assert len(opened) <= 1  # at most the kept one, once
    other = Journal.open(journal.data_dir)
    other.unlock("correct horse")
    added = other.add_entry(title="Elsewhere", body="y")
    other.close()
    assert added.id in {e.id for e in journal.entries()}

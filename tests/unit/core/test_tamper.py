"""Tamper evidence cannot be laundered: a missing manifest, a replayed sealed blob, an altered
write counter or key slot are each reported for what they are, and no later write hides them."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.errors import (
    ManifestDamagedError,
    VaultDamagedError,
    WrongPassphraseError,
)
from journal_app.core.practice.prompts import load_library, todays_prompt_for
from journal_app.core.records.model import Entry
from journal_app.core.vault.crypto import DEFAULT_KDF, TEST_KDF, OpenError, RecordCipher
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME, ReadTransaction

#: A row as stored (its list header too), and the statement that puts it back: a rollback.
ROW_AS_IT_IS = "SELECT schema_version, seq, blob, header FROM records WHERE id=?"
PUT_ROW_BACK = "UPDATE records SET schema_version=?, seq=?, blob=?, header=? WHERE id=?"


PASS = "correct horse"


def sql(data_dir: Path, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def index_names(data_dir: Path) -> list[str]:
    """The search index's sealed blobs: its directory, then its segments."""
    return ["search_dir", *sorted(k for (k,) in sql(
        data_dir, "SELECT key FROM meta WHERE key LIKE 'search_seg.%'"))]


def reopen(data_dir: Path, passphrase: str = PASS) -> Journal:
    j = Journal.open(data_dir)
    j.unlock(passphrase)
    return j


def meta(data_dir: Path, key: str) -> bytes | None:
    rows = sql(data_dir, "SELECT value FROM meta WHERE key=?", (key,))
    return bytes(rows[0][0]) if rows else None


@pytest.fixture
def made(data_dir: Path) -> tuple[Journal, str, list[Entry]]:
    j, key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    entries = [j.add_entry(title=f"entry {i}", body=f"body {i}") for i in range(3)]
    yield j, key, entries
    j.close()


def roll_back_and_drop_manifest(j: Journal, entry: Entry) -> None:
    """The attack: keep an old version of a record, write a newer one, put the old row back and
    delete the manifest row (so a rebuild would take the old row as true)."""
    (old,) = sql(j.data_dir, ROW_AS_IT_IS,
                 (entry.id,))
    j.edit_entry(entry.id, body="the newer text")
    sql(j.data_dir, PUT_ROW_BACK,
        (*old, entry.id))
    sql(j.data_dir, "DELETE FROM meta WHERE key='manifest'")


# ============================================================================ a missing manifest


def test_a_deleted_manifest_is_not_rebuilt_by_the_next_write(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, _key, (a, _b, _c) = made
    roll_back_and_drop_manifest(j, a)
    fresh = reopen(j.data_dir)
    try:
        assert fresh.read_only
        assert fresh.manifest_problem is not None
        assert fresh.get_entry(a.id).body == "body 0"  # the old text is what is served...
        with pytest.raises(ManifestDamagedError):
            fresh.add_entry(title="one more")
        # ...and the write that picks today's prompt at unlock does not rebuild it either.
        todays_prompt_for(fresh, load_library(), date.today())
        assert meta(fresh.data_dir, "manifest") is None
        report = fresh.verify()
        assert not report.ok
        assert fresh.manifest_problem in report.problems
        assert len(fresh.entries()) == 3  # reading still works
    finally:
        fresh.close()


def test_an_unreadable_manifest_refuses_writes(made: tuple[Journal, str, list[Entry]]) -> None:
    j, _key, _entries = made
    blob = meta(j.data_dir, "manifest")
    assert blob is not None
    changed = bytearray(blob)
    changed[-3] ^= 0x01
    sql(j.data_dir, "UPDATE meta SET value=? WHERE key='manifest'", (bytes(changed),))
    fresh = reopen(j.data_dir)
    try:
        assert fresh.read_only
        assert not fresh.verify().ok
        with pytest.raises(ManifestDamagedError) as caught:
            fresh.add_entry(title="refused")
        assert isinstance(caught.value, VaultDamagedError)  # exit code 4
        assert "repair" in caught.value.message
        assert sql(fresh.data_dir, "SELECT count(*) FROM records")[0][0] == 3
    finally:
        fresh.close()


def test_repair_accepts_what_it_showed_and_nothing_else(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, _key, (a, _b, _c) = made
    roll_back_and_drop_manifest(j, a)
    fresh = reopen(j.data_dir)
    try:
        preview = fresh.repair_preview()
        assert preview.needed
        assert preview.kinds == {"entry": 3, "revision": 1}
        # Something changed after the preview: the repair accepts nothing.
        sql(fresh.data_dir, "DELETE FROM records WHERE kind='revision'")
        with pytest.raises(VaultDamagedError):
            fresh.repair_manifest(preview)
        assert meta(fresh.data_dir, "manifest") is None
        preview = fresh.repair_preview()
        fresh.repair_manifest(preview)
        assert not fresh.read_only
        assert fresh.verify().ok
        fresh.add_entry(title="writes work again")
    finally:
        fresh.close()
    again = reopen(j.data_dir)
    try:
        assert again.manifest_problem is None and not again.read_only
        assert again.verify().ok
        assert not again.repair_preview().needed
    finally:
        again.close()


def test_repair_also_accepts_a_detected_rollback(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, _key, (a, _b, _c) = made
    sql(j.data_dir, "DELETE FROM records WHERE id=?", (a.id,))
    fresh = reopen(j.data_dir)
    try:
        assert fresh.manifest_problem is not None and not fresh.read_only
        preview = fresh.repair_preview()
        assert preview.needed and preview.kinds == {"entry": 2}
        fresh.repair_manifest(preview)
        assert fresh.verify().ok
    finally:
        fresh.close()


# ============================================================================ sealed blobs


def test_a_sealed_blob_is_bound_to_its_sequence() -> None:
    cipher = RecordCipher(bytes(range(32)), bytes(16))
    blob = cipher.seal_meta("manifest", 7, b"{}")
    assert cipher.open_meta("manifest", blob) == (7, b"{}")
    with pytest.raises(OpenError):
        cipher.open_meta("search_index", blob)
    # The sequence travels with the blob: changing it (to make an old blob look current)
    # breaks the seal.
    for other in (0, 6, 8, 2**40):
        forged = blob[:1] + other.to_bytes(8, "big") + blob[9:]
        with pytest.raises(OpenError):
            cipher.open_meta("manifest", forged)


def test_a_replayed_manifest_is_reported(made: tuple[Journal, str, list[Entry]]) -> None:
    j, _key, (a, _b, _c) = made
    old_manifest = meta(j.data_dir, "manifest")
    j.edit_entry(a.id, body="newer")
    sql(j.data_dir, "UPDATE meta SET value=? WHERE key='manifest'", (old_manifest,))
    fresh = reopen(j.data_dir)
    try:
        assert fresh.manifest_problem is not None
        assert not fresh.verify().ok
    finally:
        fresh.close()


def test_the_search_snapshot_is_sealed_with_the_counter_it_was_taken_at(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, _key, _entries = made
    j.prepare_search()
    j.save_index_snapshot()
    counter = int(meta(j.data_dir, "seq") or b"0")
    names = index_names(j.data_dir)
    assert len(names) == 2  # the directory and one segment
    for name in names:
        assert j.cipher.open_meta(name, meta(j.data_dir, name) or b"")[0] == counter


# ============================================================================ the write counter


@pytest.mark.parametrize("delta", [1, -1])
def test_an_altered_write_counter_is_reported_as_such(
    made: tuple[Journal, str, list[Entry]], delta: int,
) -> None:
    j, _key, _entries = made
    counter = int(meta(j.data_dir, "seq") or b"0")
    sql(j.data_dir, "UPDATE meta SET value=? WHERE key='seq'", (str(counter + delta).encode(),))
    fresh = reopen(j.data_dir)
    try:
        problem = fresh.manifest_problem
        assert problem is not None
        assert "write counter" in problem
        assert str(counter + delta) in problem and str(counter) in problem
        assert "the file holds 3" not in problem
        assert problem in fresh.verify().problems
    finally:
        fresh.close()


def test_rolled_back_records_say_what_was_found(made: tuple[Journal, str, list[Entry]]) -> None:
    j, _key, (a, _b, _c) = made
    (old,) = sql(j.data_dir, ROW_AS_IT_IS, (a.id,))
    j.edit_entry(a.id, body="newer")  # 3 entries and 1 revision
    sql(j.data_dir, PUT_ROW_BACK, (*old, a.id))
    fresh = reopen(j.data_dir)
    try:
        problem = fresh.manifest_problem
        assert problem is not None
        # The count matches: what differs is the version of one of them.
        assert "4 records" in problem and "not all in the versions" in problem
        assert "lists 4 records, the file holds 4" not in problem
    finally:
        fresh.close()


# ============================================================================ altered key slots


def _rewrite_slots(data_dir: Path, kind: str, edit: dict[str, Any]) -> None:
    """Change a slot's settings and recompute its checksum (in both copies)."""
    for copy in ("a", "b"):
        key = f"slot.{kind}.{copy}"
        outer = json.loads(meta(data_dir, key) or b"")
        body = json.loads(outer["slot"])
        body.update(edit)
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        new = {"slot": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (json.dumps(new).encode(), key))


ALTERED = "The passphrase did not open the journal, or its key slot was altered"


def test_a_changed_vault_id_says_both_possibilities(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, _key, _entries = made
    sql(j.data_dir, "UPDATE meta SET value=? WHERE key='vault_id'", (b"\x01" * 16,))
    locked = Journal.open(j.data_dir)
    try:
        with pytest.raises(WrongPassphraseError) as caught:
            locked.unlock(PASS)
        assert caught.value.message.startswith(ALTERED)
        assert "recovery key or a backup" in caught.value.message
        assert caught.value.exit_code == 3
    finally:
        locked.close()


def test_the_recovery_key_opens_a_journal_whose_passphrase_slot_was_altered(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, key, entries = made
    # Cheaper settings (an attacker's downgrade) and another salt, checksum recomputed.
    _rewrite_slots(j.data_dir, "passphrase", {
        "kdf": {"alg": "argon2id", "memory_kib": 8, "iterations": 1, "lanes": 1},
        "salt": base64.b64encode(b"s" * 16).decode(),
    })
    locked = Journal.open(j.data_dir)
    try:
        with pytest.raises(WrongPassphraseError) as caught:
            locked.unlock(PASS)
        assert caught.value.message.startswith(ALTERED)
        locked.recover(key, "a new passphrase")
        assert sorted(e.title for e in locked.entries()) == [e.title for e in entries]
        # The new slot does not inherit the settings someone wrote into the altered one.
        assert locked.kdf_params() == DEFAULT_KDF
    finally:
        locked.close()
    again = reopen(j.data_dir, "a new passphrase")
    try:
        assert again.verify().ok
    finally:
        again.close()


def test_a_hostile_kdf_slot_is_refused_plainly_and_recovery_still_works(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, key, _entries = made
    # About ten minutes and 4 GB per attempt, if it were obeyed.
    _rewrite_slots(j.data_dir, "passphrase", {
        "kdf": {"alg": "argon2id", "memory_kib": 4 * 1024 * 1024, "iterations": 64, "lanes": 4},
    })
    locked = Journal.open(j.data_dir)
    try:
        with pytest.raises(VaultDamagedError) as caught:
            locked.unlock(PASS)
        assert "more memory or time" in caught.value.message
        locked.recover(key, "a new passphrase", TEST_KDF)
        assert len(locked.entries()) == 3
    finally:
        locked.close()


def test_a_repair_by_another_program_is_picked_up(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    j, _key, _entries = made
    sql(j.data_dir, "DELETE FROM meta WHERE key='manifest'")
    app = reopen(j.data_dir)
    cli = reopen(j.data_dir)
    try:
        assert app.read_only and cli.read_only
        cli.repair_manifest(cli.repair_preview())
        app.sync()
        assert not app.read_only and app.manifest_problem is None
        app.add_entry(title="saving works again")
    finally:
        cli.close()
        app.close()


def test_a_journal_sealed_before_sequences_were_bound_still_opens(
    made: tuple[Journal, str, list[Entry]],
) -> None:
    """Existing journals: their manifest and search snapshot were sealed with sequence 0 in
    the record format. They open as they are; the next write seals the manifest anew."""
    j, _key, _entries = made
    j.prepare_search()
    j.save_index_snapshot()
    cipher = j.cipher
    for name in ("manifest", *index_names(j.data_dir)):
        _seq, data = cipher.open_meta(name, meta(j.data_dir, name) or b"")
        legacy = cipher.seal(name, "meta", 1, 0, data)  # the first format
        sql(j.data_dir, "UPDATE meta SET value=? WHERE key=?", (legacy, name))
    fresh = reopen(j.data_dir)
    try:
        assert fresh.manifest_problem is None and not fresh.read_only
        assert fresh.verify().ok
        assert len(fresh.search("body")) == 3
        fresh.add_entry(title="one more")
        counter = int(meta(fresh.data_dir, "seq") or b"0")
        assert fresh.cipher.open_meta("manifest", meta(fresh.data_dir, "manifest") or b"")[0] \
            == counter
        assert fresh.verify().ok
    finally:
        fresh.close()


# ============================================================================ one read transaction


def test_a_write_between_the_reads_of_a_check_is_not_tampering(
    made: tuple[Journal, str, list[Entry]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program writes right after the manifest and the counter were read, before the
    rows are: verify and the check at unlock still compare one state of the file."""
    j, _key, _entries = made
    writer = reopen(j.data_dir)
    original = ReadTransaction.get_meta
    writes: list[str] = []

    def get_meta_then_write(self: ReadTransaction, keys: Any) -> dict[str, bytes]:
        keys = list(keys)
        found = original(self, keys)
        if "manifest" in keys:
            writes.append(writer.add_entry(title=f"between {len(writes)}").id)
        return found

    monkeypatch.setattr(ReadTransaction, "get_meta", get_meta_then_write)
    try:
        report = j.verify()
        assert writes and report.ok, report.problems
        assert report.records_checked == 3  # the state it read, without the later write
        fresh = reopen(j.data_dir)
        assert fresh.manifest_problem is None
        fresh.close()
        assert len(writes) == 2
    finally:
        writer.close()

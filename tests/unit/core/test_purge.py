"""What is removed for good is gone: no sealed blob, no page of the file, no WAL frame keeps it.

Each test writes canary words into what it then removes for good (an entry emptied from the
trash, with its revisions and attachment; a contact; a prompt of the user's own), lets the
search index snapshot take them in first, removes them, and then reads everything there is:
every record and every sealed vault-level blob decrypted with the data key, and the raw bytes of
``journal.db`` and its ``-wal``, which must not hold any piece of the removed records' (or the
old snapshots') ciphertext either: a freed page still holding it opens with the data key.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.practice.custom import delete_custom
from journal_app.core.records import codec
from journal_app.core.records.model import Contact, CustomPrompt, Entry
from journal_app.core.vault.crypto import TEST_KDF, OpenError, RecordCipher
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.search import SearchFilters
from journal_app.core.vault.store import DB_NAME
from tests.helpers.images import png

PASS = "correct horse"
# No other word of these tests starts with q, x or z: a term stored prefix-compressed in the
# index still shows whole (the index is also asked through fts5vocab, below).
CANARIES = ("quokkafjord", "xylocanary", "zanzibarmoth")
FILLER = ("calm handover on the ward", "a long night shift with good colleagues",
          "teaching round about sepsis", "family meeting went better than I feared")


def _filler(journal: Journal, count: int) -> None:
    for number in range(count):
        text = FILLER[number % len(FILLER)]
        journal.add_entry(title=f"Shift {number}", body=f"{text} {number}", tags=["ward"])


def _canary_entry(journal: Journal) -> Entry:
    entry = journal.add_entry(title=f"About {CANARIES[0]}",
                              body=f"The {CANARIES[1]} patient; {CANARIES[2]} again.",
                              tags=[CANARIES[2]])
    # An edit keeps the first version as a revision (removed with the entry).
    journal.edit_entry(entry.id, body=f"Rewritten: {CANARIES[1]} and {CANARIES[0]}.")
    journal.add_attachment(entry.id, f"{CANARIES[0]}.png", png(comment=CANARIES[1]))
    return journal.get_entry(entry.id)


def open_sealed(cipher: RecordCipher, name: str, blob: bytes) -> bytes:
    """The plaintext of a sealed vault-level blob (``open_meta`` gives the data, or the write
    sequence the blob is bound to with the data)."""
    opened: object = cipher.open_meta(name, blob)
    if isinstance(opened, tuple):
        opened = opened[-1]
    assert isinstance(opened, bytes)
    return opened


class Evidence:
    """Ciphertext that held canary words before the removal (records and index snapshots)."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []

    def records(self, journal: Journal, ids: list[str]) -> None:
        self.blobs.extend(row.blob for row in journal._store.records(ids=ids))

    def snapshot(self, journal: Journal) -> None:
        with contextlib.closing(sqlite3.connect(journal.data_dir / "journal.db")) as conn:
            blobs = {k: bytes(v) for k, v in conn.execute(
                "SELECT key, value FROM meta WHERE key LIKE 'search_seg.%'")}
        assert blobs
        assert any(c.encode() in open_sealed(journal.cipher, key, blob)
                   for key, blob in blobs.items() for c in CANARIES), \
            "the snapshot must hold the canary before the removal"
        self.blobs.extend(blobs.values())


def _raw_files(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data_dir.iterdir()
            if p.name.startswith(DB_NAME) and p.is_file()}


def _copy_of_files(data_dir: Path, target: Path) -> Path:
    """The database with its WAL, copied as they are, so reading them changes nothing."""
    target.mkdir()
    for name, data in _raw_files(data_dir).items():
        (target / name).write_bytes(data)
    return target / DB_NAME


def _vocabulary(index_bytes: bytes) -> set[str]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(index_bytes)
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, fts, row)")
        return {row[0] for row in conn.execute("SELECT term FROM temp.vocab")}
    finally:
        conn.close()


def assert_gone(data_dir: Path, cipher: RecordCipher, evidence: Evidence, scratch: Path) -> None:
    """None of the canary words in any decrypted record or sealed blob; none of the removed
    ciphertext in the raw files."""
    # 1. The raw bytes, before anything opens the files again.
    raw = _raw_files(data_dir)
    for name, data in raw.items():
        for word in CANARIES:
            assert word.encode() not in data, f"{word} in the clear in {name}"
        for blob in evidence.blobs:
            for start in range(1, max(2, len(blob) - 24), 256):
                piece = blob[start : start + 24]
                assert piece not in data, f"removed ciphertext is still in {name}"
    # 2. Every record and every sealed blob, decrypted (from a copy: reading changes nothing).
    conn = sqlite3.connect(_copy_of_files(data_dir, scratch))
    try:
        records = conn.execute("SELECT id, kind, schema_version, seq, blob FROM records").fetchall()
        meta = conn.execute("SELECT key, value FROM meta").fetchall()
    finally:
        conn.close()
    plain: list[tuple[str, bytes]] = []
    for record_id, kind, version, seq, blob in records:
        plain.append((f"record {kind}", cipher.open(record_id, kind, version, seq, blob)))
    opened_meta = []
    for key, value in meta:
        try:
            plain.append((f"meta {key}", open_sealed(cipher, key, bytes(value))))
            opened_meta.append(key)
        except OpenError:
            continue  # not a sealed blob (key slots, the counter, the vault id)
    assert "manifest" in opened_meta
    for where, data in plain:
        for word in CANARIES:
            assert word.encode() not in data, f"{word} is still in {where}"
        if where.startswith("meta search_seg."):
            assert not _vocabulary(data) & set(CANARIES), "the index still holds the words"


@pytest.fixture
def vault(data_dir: Path) -> Iterator[tuple[Journal, RecordCipher]]:
    journal, _key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    yield journal, journal.cipher
    journal.close()


def _reopen(data_dir: Path) -> Journal:
    journal = Journal.open(data_dir)
    journal.unlock(PASS)
    return journal


def test_an_emptied_entry_leaves_nothing_behind_across_processes(
    data_dir: Path, tmp_path: Path
) -> None:
    """The reported attack: the snapshot holds the entry; another run empties the trash; a
    later search re-saves the snapshot. Each step is its own journal, as each command is."""
    journal, _key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    cipher = journal.cipher
    evidence = Evidence()
    _filler(journal, 30)
    entry = _canary_entry(journal)
    assert journal.search(CANARIES[0])
    journal.save_index_snapshot()
    evidence.snapshot(journal)
    journal.close()

    journal = _reopen(data_dir)  # `journal-app trash --empty`
    journal.delete_entry(entry.id)
    revision_ids = [r.id for r in journal.revisions(entry.id)]
    attachment = journal.attachments(entry.id)[0]
    evidence.records(journal, [entry.id, *revision_ids, attachment.id, attachment.data_id])
    assert journal.empty_trash() == 1
    journal.close()

    journal = _reopen(data_dir)  # a later `journal-app search`
    assert not journal.search(CANARIES[0])
    assert journal.search("ward")
    journal.save_index_snapshot()
    journal.close()

    assert_gone(data_dir, cipher, evidence, tmp_path / "copy")


def test_an_emptied_entry_leaves_nothing_behind_while_another_program_has_the_file_open(
    vault: tuple[Journal, RecordCipher], data_dir: Path, tmp_path: Path
) -> None:
    """The app keeps running after emptying the trash while a second program holds the file
    open (so SQLite does not fold and delete the WAL on its own). Checked with it still open."""
    journal, cipher = vault
    evidence = Evidence()
    _filler(journal, 30)
    entry = _canary_entry(journal)
    assert journal.search(CANARIES[1])
    journal.save_index_snapshot()
    evidence.snapshot(journal)
    other = sqlite3.connect(data_dir / DB_NAME)
    try:
        other.execute("SELECT count(*) FROM records").fetchall()
        journal.delete_entry(entry.id)
        revision_ids = [r.id for r in journal.revisions(entry.id)]
        attachment = journal.attachments(entry.id)[0]
        evidence.records(journal, [entry.id, *revision_ids, attachment.id, attachment.data_id])
        assert journal.empty_trash() == 1
        assert not journal.search(CANARIES[1])
        assert_gone(data_dir, cipher, evidence, tmp_path / "copy")
    finally:
        other.close()


def test_a_removed_attachment_leaves_nothing_behind(
    vault: tuple[Journal, RecordCipher], data_dir: Path, tmp_path: Path
) -> None:
    journal, cipher = vault
    evidence = Evidence()
    entry = journal.add_entry(title="Clinic", body="A quiet clinic day.")
    attachment = journal.add_attachment(entry.id, f"{CANARIES[2]}.png",
                                        png(comment=CANARIES[2] * 200))
    evidence.records(journal, [attachment.id, attachment.data_id])
    journal.remove_attachment(attachment.id)
    assert journal.empty_trash() == 0  # no entry was in the trash, only the attachment
    assert not journal.attachments(entry.id, trash=True)
    assert_gone(data_dir, cipher, evidence, tmp_path / "copy")


def test_a_removed_contact_and_prompt_leave_nothing_behind(
    vault: tuple[Journal, RecordCipher], data_dir: Path, tmp_path: Path
) -> None:
    journal, cipher = vault
    evidence = Evidence()
    key = codec.b64e(bytes(32)) if hasattr(codec, "b64e") else "A" * 43 + "="
    contact = journal.add_record(Contact(
        name=f"Dr {CANARIES[0].title()}", role="mentor", x25519=key, ed25519=key,
        self_sig="A" * 86 + "=="))
    prompt = journal.add_record(CustomPrompt(text=f"What did {CANARIES[1]} teach you?",
                                             facet="feelings", level="any"))
    evidence.records(journal, [contact.id, prompt.id])
    assert journal.remove_records(Contact, [contact.id]) == 1
    delete_custom(journal, prompt.id)
    assert_gone(data_dir, cipher, evidence, tmp_path / "copy")


@pytest.mark.parametrize("loaded", [False, True], ids=["index-only", "records-loaded"])
def test_a_program_holding_an_older_index_does_not_seal_the_words_again(
    data_dir: Path, tmp_path: Path, loaded: bool
) -> None:
    """A second program (the app, or a search still running) loaded the index before the
    trash was emptied elsewhere; when it next saves its snapshot, the words are not in it."""
    journal, _key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    cipher = journal.cipher
    evidence = Evidence()
    _filler(journal, 30)
    entry = _canary_entry(journal)
    journal.save_index_snapshot() if journal.search(CANARIES[2]) else None
    evidence.snapshot(journal)
    journal.close()

    holder = _reopen(data_dir)
    if loaded:
        holder.sync()
    assert holder.search(CANARIES[2])
    purger = _reopen(data_dir)
    purger.delete_entry(entry.id)
    evidence.records(purger, [entry.id, *[r.id for r in purger.revisions(entry.id)]])
    assert purger.empty_trash() == 1
    purger.close()

    assert not holder.search(CANARIES[2])
    holder.save_index_snapshot()
    holder.close()
    assert_gone(data_dir, cipher, evidence, tmp_path / "copy")


def test_a_removal_that_fails_midway_changes_nothing(
    vault: tuple[Journal, RecordCipher],
) -> None:
    """A transaction that removes an entry is stopped before it commits (the nearest thing to
    a crash, in process): the entry is still there, and still found by search."""
    journal, _cipher = vault
    _filler(journal, 3)
    entry = journal.add_entry(title="Kept", body=f"The {CANARIES[0]} stays.")
    journal.delete_entry(entry.id)
    assert journal.search(CANARIES[0], SearchFilters(trashed=True))
    before = journal._store.write_counter()

    def stop() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        # A removal with a record stored in the same transaction (as a custom prompt's removal
        # beside an app-state change would be); ``step`` runs after the index was prepared.
        journal._write([Entry(title="new")], deletes=[entry.id], step=stop)
    assert journal._store.write_counter() == before
    assert journal.entries(trash=True)[0].id == entry.id
    hits = journal.search(CANARIES[0], SearchFilters(trashed=True))
    assert [hit.id for hit, _entry in hits] == [entry.id]
    assert journal.empty_trash() == 1
    assert not journal.search(CANARIES[0], SearchFilters(trashed=True))

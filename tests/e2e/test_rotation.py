"""Rotating a secret cuts off the old one (issue 12, part 1).

The attack: a stolen laptop plus an old backup. The backup holds the key slots of its day, which
open with the passphrase and recovery key of its day. Copied into the *current* journal file, they
must not open anything written after ``new-recovery-key`` or ``change-passphrase --rotate-key``:
those commands put every record under a fresh data key.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from journal_app.core.errors import WrongPassphraseError, WrongRecoveryKeyError
from journal_app.core.records.model import Entry
from journal_app.core.recovery.backup import _extract
from journal_app.core.vault.crypto import (
    TEST_KDF,
    KeySlot,
    OpenError,
    RecordCipher,
    derive_passphrase_key,
    recovery_kek,
)
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, build_vault, fails, ok, ok_json
from tests.e2e.test_crash import run_and_kill, seed
from tests.helpers.images import png

SLOT_KEYS = ("slot.passphrase.a", "slot.passphrase.b", "slot.recovery.a", "slot.recovery.b")
AFTER = "Written after the rotation: the attacker must not read this."


def _meta(db: Path, keys: tuple[str, ...]) -> dict[str, bytes]:
    conn = sqlite3.connect(db)
    try:
        marks = ",".join("?" * len(keys))
        return dict(conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})",
                                 keys).fetchall())
    finally:
        conn.close()


def _copy_db(src: Path, dest_dir: Path) -> Path:
    """A consistent copy of a journal file (SQLite's backup API), as a synced copy would be."""
    dest_dir.mkdir(parents=True, mode=0o700)
    target = dest_dir / "journal.db"
    src_conn, dst_conn = sqlite3.connect(src), sqlite3.connect(target)
    try:
        src_conn.backup(dst_conn)
    finally:
        dst_conn.close()
        src_conn.close()
    return target


def _plant_slots(db: Path, slots: dict[str, bytes]) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         list(slots.items()))
    finally:
        conn.close()


def _rows_opened_by(db_dir: Path, data_key: bytes) -> int:
    """How many record rows of the journal in ``db_dir`` open under ``data_key``."""
    conn = sqlite3.connect(db_dir / "journal.db")
    try:
        vault_id = conn.execute("SELECT value FROM meta WHERE key='vault_id'").fetchone()[0]
        rows = conn.execute("SELECT id, kind, schema_version, seq, blob FROM records").fetchall()
    finally:
        conn.close()
    cipher = RecordCipher(data_key, vault_id)
    opened = 0
    for record_id, kind, version, seq, blob in rows:
        try:
            cipher.open(record_id, kind, version, seq, blob)
            opened += 1
        except OpenError:
            pass
    return opened


def _old_recovery_data_key(old_slots: dict[str, bytes], recovery_key: str,
                           vault_id: bytes) -> bytes:
    from journal_app.core.vault.crypto import parse_recovery_key

    slot = KeySlot.from_bytes(old_slots["slot.recovery.a"])
    key = slot.unwrap(recovery_kek(parse_recovery_key(recovery_key), slot.salt), vault_id)
    assert key is not None, "the old recovery key must still open the old backup's slot"
    return key


def test_old_backup_slots_with_old_secrets_open_nothing_written_after_rotation(
    env: E2EEnv, tmp_path: Path
) -> None:
    old_recovery, _ids = build_vault(env.data_dir, entries=[{"title": "before", "body": "old"}])
    backup = tmp_path / "old.jbackup"
    ok(env, "backup", "create", "--out", str(backup))
    ok(env, "new-recovery-key")
    new_pass = env.secret("new-passphrase", "a new passphrase nobody saw")
    ok(env, "change-passphrase", "--new-passphrase-file", str(new_pass))
    env.set_passphrase("a new passphrase nobody saw")
    added = ok_json(env, "add", "--title", "after", input=AFTER)[0]

    # The attacker: the old backup's slots planted into a copy of today's journal file.
    old_db = tmp_path / "old-backup.db"
    _extract(backup, old_db)
    old_slots = _meta(old_db, SLOT_KEYS)
    attack = make_attack_env(env, tmp_path)
    _copy_db(env.data_dir / "journal.db", attack.data_dir)
    _plant_slots(attack.data_dir / "journal.db", old_slots)

    with Journal.open(attack.data_dir) as journal:
        vault_id = journal.vault_id
    old_key = _old_recovery_data_key(old_slots, old_recovery, vault_id)
    assert _rows_opened_by(attack.data_dir, old_key) == 0

    # Through the command line: the old recovery key is refused, nothing is set up with it.
    key_file = attack.secret("old-recovery", old_recovery)
    attacker_pass = attack.secret("attacker-passphrase", "the attacker's own passphrase")
    fails(attack.run("recover", "--recovery-key-file", str(key_file),
                     "--new-passphrase-file", str(attacker_pass)), 3)
    # The old passphrase with the old passphrase slot: refused as well.
    attack.set_passphrase(PASSPHRASE)
    result = attack.run("show", added["id"])
    assert AFTER not in result.stdout
    assert result.returncode != 0
    # The owner's journal is untouched by all this and opens with the new passphrase.
    assert ok_json(env, "show", added["id"])[0]["body"].strip() == AFTER


def make_attack_env(env: E2EEnv, tmp_path: Path) -> E2EEnv:
    attack = E2EEnv(tmp_path / "attacker")
    attack.set_passphrase(PASSPHRASE)
    shutil.rmtree(attack.data_dir, ignore_errors=True)
    del env
    return attack


def test_an_exposed_passphrase_with_an_old_slot_opens_nothing_written_after(
    env: E2EEnv, tmp_path: Path
) -> None:
    """'Someone may have seen my passphrase': the seen passphrase, with the passphrase slot of
    a backup made before, opens nothing of today's journal; scripts are asked nothing."""
    old_recovery, _ids = build_vault(env.data_dir, entries=[{"title": "before", "body": "old"}])
    backup = tmp_path / "old.jbackup"
    ok(env, "backup", "create", "--out", str(backup))
    new_pass = env.secret("new-passphrase", "a passphrase nobody saw")
    out = ok_json(env, "change-passphrase", "--exposed", "--new-passphrase-file", str(new_pass))
    assert out["key_rotated"] is True
    new_recovery = out["recovery_key"]
    assert new_recovery != old_recovery
    env.set_passphrase("a passphrase nobody saw")
    ok(env, "add", "--title", "after", input=AFTER)

    old_db = tmp_path / "old-backup.db"
    _extract(backup, old_db)
    old_slots = _meta(old_db, SLOT_KEYS)
    attack = make_attack_env(env, tmp_path)
    _copy_db(env.data_dir / "journal.db", attack.data_dir)
    _plant_slots(attack.data_dir / "journal.db", old_slots)
    with Journal.open(attack.data_dir) as journal:
        vault_id = journal.vault_id
    slot = KeySlot.from_bytes(old_slots["slot.passphrase.a"])
    assert slot.kdf is not None
    old_key = slot.unwrap(derive_passphrase_key(PASSPHRASE, slot.salt, slot.kdf), vault_id)
    assert old_key is not None
    assert _rows_opened_by(attack.data_dir, old_key) == 0
    result = attack.run("list")
    assert "after" not in result.stdout and "before" not in result.stdout

    # The owner: the old passphrase and the old recovery key are refused; the new ones work.
    env.set_passphrase(PASSPHRASE)
    fails(env.run("list"), 3)
    env.set_passphrase("a passphrase nobody saw")
    old_key_file = env.secret("old-recovery", old_recovery)
    fails(env.run("recover", "--recovery-key-file", str(old_key_file),
                  "--new-passphrase-file", str(new_pass)), 3)
    new_key_file = env.secret("new-recovery", new_recovery)
    ok(env, "recover", "--recovery-key-file", str(new_key_file),
       "--new-passphrase-file", str(new_pass))
    titles = {e["title"] for e in ok_json(env, "list")}
    assert titles == {"before", "after"}


def test_rotation_is_refused_while_the_journal_is_open_elsewhere(vault_env: E2EEnv) -> None:
    with Journal.open(vault_env.data_dir):
        fails(vault_env.run("new-recovery-key"), 1, "open in another program")
        new_pass = vault_env.secret("new-passphrase", "another one")
        fails(vault_env.run("change-passphrase", "--rotate-key", "--new-passphrase-file",
                            str(new_pass)), 1, "open in another program")
    # Nothing changed: the passphrase is the same, and a rotation works now; it says what it
    # cannot do.
    out = ok(vault_env, "new-recovery-key").stdout
    assert "re-encrypted under a new key" in out
    assert "Backups and copies of the journal made before now still open" in out
    ok(vault_env, "list")
    # Without a terminal and without a file for the new passphrase, it asks nothing and stops.
    fails(vault_env.run("change-passphrase", "--exposed"), 2, "--new-passphrase-file")


# ------------------------------------------------------------------------ killed mid-rotation

ROTATION_ROUNDS = 30
ROTATION_RECORDS = 300
#: After 'ready', the rotating child is killed after a random delay in this window (seconds):
#: a rotation of 300 records takes a fraction of it, so kills land in every phase.
ROTATION_WINDOW = (0.0, 0.6)
OTHER = "the other passphrase"


def _build_rotation_vault(data_dir: Path) -> tuple[str, set[str]]:
    journal, recovery_key = Journal.create(data_dir, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        entries = [Entry(title=f"Entry {n}", body=f"Number {n}, kept whole. " * 10)
                   for n in range(ROTATION_RECORDS - 2)]
        journal.add_records(entries)
        journal.add_attachment(entries[0].id, "photo.png", png(8, 8))  # two records
        journal.prepare_search()
        journal.save_index_snapshot()
        titles = {e.title for e in journal.entries()}
    return recovery_key, titles


@pytest.mark.slow
def test_killed_while_rotating_the_key_opens_with_old_or_new_never_a_mix(env: E2EEnv) -> None:
    recovery_key, titles = _build_rotation_vault(env.data_dir)
    others = {PASSPHRASE: OTHER, OTHER: PASSPHRASE}
    rng_seed = seed()
    rng = random.Random(rng_seed)
    current: str = PASSPHRASE
    known_recovery: str | None = recovery_key  # None once a rotation committed unreported
    rotations = 0
    for round_number in range(1, ROTATION_ROUNDS + 1):
        where = f"seed {rng_seed}, round {round_number}"
        lines = run_and_kill(env, rng.uniform(*ROTATION_WINDOW), "rotate", str(env.data_dir),
                             current, others[current])
        rotations += len(lines)
        if lines:
            current, known_recovery = lines[-1].split("\t")
        journal = Journal.open(env.data_dir)
        try:
            try:
                journal.unlock(current)
                committed_unreported = False
            except WrongPassphraseError:
                journal.unlock(others[current])  # the rotation in flight committed
                committed_unreported = True
            # Exactly one of the two opens.
            with pytest.raises(WrongPassphraseError):
                journal.check_passphrase(others[current] if not committed_unreported
                                         else current)
            report = journal.verify()
            assert report.ok, (where, report.problems)
            assert report.records_checked == ROTATION_RECORDS, where
            assert {e.title for e in journal.entries()} == titles, where
            # The recovery slot belongs to the same state as the passphrase slot.
            if known_recovery is not None:
                if committed_unreported:
                    with pytest.raises(WrongRecoveryKeyError):
                        journal.data_key_from_recovery(known_recovery)
                else:
                    assert journal.data_key_from_recovery(known_recovery) == \
                        journal.cipher.data_key, where
            search_hits = journal.search("kept whole", limit=None)
            assert len(search_hits) == ROTATION_RECORDS - 2, where
        finally:
            journal.close()
        if committed_unreported:
            current, known_recovery = others[current], None
    assert rotations >= ROTATION_ROUNDS // 2, f"seed {rng_seed}: the child rotated too little"

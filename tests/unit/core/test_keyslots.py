"""The key slots (core/vault/keyslots.py): a recovery key replaced by a rotation stays refused even
with its old slot copied back into the file; what a key opens when the manifest is gone; a
passphrase slot rewritten when both its copies are damaged."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.errors import WrongPassphraseError, WrongRecoveryKeyError
from journal_app.core.vault import keyslots
from journal_app.core.vault.crypto import DEFAULT_KDF, TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.keyslots import REPLACED_RECOVERY_KEY, SLOT_KEYS
from journal_app.core.vault.store import DB_NAME

PASS = "correct horse"


def sql(data_dir: Path, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def made(data_dir: Path, entries: int = 2) -> tuple[bytes, str]:
    """A closed journal with ``entries`` entries: its data key and recovery key."""
    journal, recovery = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    with journal:
        for i in range(entries):
            journal.add_entry(title=f"entry {i}")
        return journal.cipher.data_key, recovery


def test_a_recovery_key_gives_the_data_key(data_dir: Path) -> None:
    data_key, recovery = made(data_dir)
    with Journal.open(data_dir) as journal:
        assert journal.data_key_from_recovery(recovery) == data_key
        assert not journal.is_unlocked


def test_a_replaced_recovery_key_is_refused_even_with_its_old_slot_put_back(
    data_dir: Path,
) -> None:
    _key, old_recovery = made(data_dir)
    old_slots = dict(sql(data_dir, "SELECT key, value FROM meta WHERE key LIKE 'slot.recovery.%'"))
    with Journal.open(data_dir) as journal:
        journal.unlock(PASS)
        journal.new_recovery_key(PASS)
    with Journal.open(data_dir) as journal, pytest.raises(WrongRecoveryKeyError) as plain:
        journal.data_key_from_recovery(old_recovery)
    assert str(plain.value) != REPLACED_RECOVERY_KEY  # it opens no slot at all
    for key in SLOT_KEYS["recovery"]:  # the slots of an old backup, copied into the file
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (old_slots[key], key))
    with Journal.open(data_dir) as journal, pytest.raises(WrongRecoveryKeyError) as replaced:
        journal.data_key_from_recovery(old_recovery)
    assert str(replaced.value) == REPLACED_RECOVERY_KEY


def test_without_a_manifest_a_key_is_tried_on_the_records(data_dir: Path) -> None:
    data_key, _recovery = made(data_dir)
    sql(data_dir, "DELETE FROM meta WHERE key='manifest'")
    with Journal.open(data_dir) as journal:
        assert keyslots.key_opens_vault(journal.store, journal.vault_id, data_key) is True
        assert keyslots.key_opens_vault(journal.store, journal.vault_id, b"k" * 32) is False


def test_without_a_manifest_or_records_any_key_is_let_through(data_dir: Path) -> None:
    """Nothing to try it on: the slot that opened is all there is (the manifest's absence makes
    the journal read-only at unlock)."""
    made(data_dir, entries=0)
    sql(data_dir, "DELETE FROM meta WHERE key='manifest'")
    with Journal.open(data_dir) as journal:
        assert keyslots.key_opens_vault(journal.store, journal.vault_id, b"k" * 32) is True


def test_a_manifest_under_another_key_refuses_it(data_dir: Path) -> None:
    data_key, _recovery = made(data_dir, entries=0)
    with Journal.open(data_dir) as journal:
        assert keyslots.key_opens_vault(journal.store, journal.vault_id, data_key) is True
        assert keyslots.key_opens_vault(journal.store, journal.vault_id, b"k" * 32) is False


def test_a_new_passphrase_slot_when_both_copies_are_damaged(data_dir: Path) -> None:
    """Recovering a journal whose passphrase slot is gone: the new slot takes the default
    settings (nothing vouches for the old ones) and opens with the new passphrase."""
    _key, recovery = made(data_dir)
    for key in SLOT_KEYS["passphrase"]:
        sql(data_dir, "UPDATE meta SET value=? WHERE key=?", (b"damaged", key))
    with Journal.open(data_dir) as journal:
        assert keyslots.passphrase_kdf(journal.store) is None
        assert keyslots.new_slot_kdf(journal.store, "new one", None) == DEFAULT_KDF
        assert keyslots.new_slot_kdf(journal.store, "new one", TEST_KDF) == TEST_KDF
        journal.recover(recovery, "new one", kdf=TEST_KDF)
    with Journal.open(data_dir) as journal:
        with pytest.raises(WrongPassphraseError):
            journal.unlock(PASS)
        journal.unlock("new one")
        assert len(journal.entries()) == 2

"""The lock that tells a restore whether a vault is open anywhere."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from journal_app.core.errors import VaultBusyError
from journal_app.core.vault import lock as vaultlock
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal


def test_open_stores_share_and_a_restore_is_refused_while_any_is_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    journal, _key = Journal.create(data_dir, "pw", kdf=TEST_KDF)
    second = Journal.open(data_dir)  # another window or command: both may be open
    journal.close()
    with pytest.raises(VaultBusyError, match="open in another program"), \
            vaultlock.exclusive(data_dir):
        pass
    second.close()
    with vaultlock.exclusive(data_dir):
        pass  # nothing open: the restore may go on


def test_opening_waits_for_a_restore_then_says_busy(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    Journal.create(data_dir, "pw", kdf=TEST_KDF)[0].close()
    with vaultlock.exclusive(data_dir):
        started = time.monotonic()
        with pytest.raises(VaultBusyError, match="being restored"):
            vaultlock.hold_shared(data_dir, timeout_ms=200)
        assert time.monotonic() - started >= 0.2
    fd = vaultlock.hold_shared(data_dir, timeout_ms=200)
    assert fd is not None
    vaultlock.release(fd)


def test_a_folder_without_write_access_is_not_an_error(tmp_path: Path) -> None:
    assert vaultlock.hold_shared(tmp_path / "missing", timeout_ms=10) is None

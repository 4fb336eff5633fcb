"""The lock that tells a restore whether a vault is open anywhere."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from journal_app.core.errors import VaultBusyError
from journal_app.core.vault import lock as vaultlock
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal


@pytest.fixture(autouse=True, params=["flock", "portalocker"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every check twice: over flock (Linux and macOS) and over portalocker (Windows' path,
    run here over portalocker's own POSIX locks)."""
    if request.param == "flock" and sys.platform == "win32":
        pytest.skip("Windows has no flock")
    monkeypatch.setattr(vaultlock, "USE_PORTALOCKER", request.param == "portalocker")
    return str(request.param)


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


def test_a_key_change_is_refused_while_another_store_is_open_and_keeps_its_lock(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    Journal.create(data_dir, "pw", kdf=TEST_KDF)[0].close()
    mine = vaultlock.hold_shared(data_dir, timeout_ms=200)
    other = vaultlock.hold_shared(data_dir, timeout_ms=200)
    with pytest.raises(VaultBusyError, match="open in another program"), \
            vaultlock.exclusive_while_open(mine):
        pass
    # The refused change left this store its shared lock: a restore is still refused.
    vaultlock.release(other)
    with pytest.raises(VaultBusyError), vaultlock.exclusive(data_dir):
        pass
    # Held alone now: nothing else may open the vault while the key changes...
    with vaultlock.exclusive_while_open(mine), \
            pytest.raises(VaultBusyError, match="being restored"):
        vaultlock.hold_shared(data_dir, timeout_ms=50)
    # ...and shared again after: others may open it, a restore may not.
    again = vaultlock.hold_shared(data_dir, timeout_ms=200)
    with pytest.raises(VaultBusyError), vaultlock.exclusive(data_dir):
        pass
    vaultlock.release(again)
    vaultlock.release(mine)
    with vaultlock.exclusive(data_dir):
        pass


def test_a_claimed_folder_is_in_use_until_released(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    assert vaultlock.folder_abandoned(work) is None  # never claimed
    vaultlock.claim_folder(work)
    assert vaultlock.folder_abandoned(work) is False
    vaultlock.release_folder(work)
    assert vaultlock.folder_abandoned(work) is True

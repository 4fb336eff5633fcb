"""The journal lock's code path on Windows (portalocker over LockFileEx), faked: this machine has
no Windows, so portalocker's locker is replaced by one that behaves as LockFileEx does (see
WindowsLikeLocker). The CI workflow's Windows job runs test_vaultlock.py over the real one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from portalocker import LockFlags
from portalocker import portalocker as portalocker_module
from portalocker.exceptions import AlreadyLocked, LockException
from portalocker.portalocker import BaseLocker

from journal_app.core.errors import VaultBusyError
from journal_app.core.vault import lock as vaultlock
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal


class WindowsLikeLocker(BaseLocker):
    """Byte-range locks as LockFileEx takes them (the lock module's code path on Windows,
    which this Linux machine cannot run): per open file, shared or exclusive; an exclusive one
    refused while any other lock is held on the file, *the same handle's included* (a lock is
    not converted in place); an unlock of nothing is an error; closing a handle is not relied
    on (Windows frees its locks "when the system can"), so every lock must be unlocked."""

    def __init__(self) -> None:
        self.held: dict[int, tuple[tuple[int, int], str]] = {}  # fd -> (file id, mode)
        self.calls: list[str] = []

    @staticmethod
    def _file(fd: int) -> tuple[int, int]:
        st = os.fstat(fd)
        return st.st_dev, st.st_ino

    def lock(self, file_obj: Any, flags: LockFlags) -> None:
        fd = int(file_obj)
        file = self._file(fd)
        mode = "ex" if flags & LockFlags.EXCLUSIVE else "sh"
        self.calls.append(mode)
        others = [m for f, (fi, m) in self.held.items() if fi == file and f != fd]
        own = self.held.get(fd)
        conflict = (own is not None and (mode == "ex" or own[1] == "ex")) or (
            mode == "ex" and others) or "ex" in others
        if conflict:
            if not flags & LockFlags.NON_BLOCKING:
                raise AssertionError("a blocking lock that would wait forever here")
            raise AlreadyLocked("lock violation")
        self.held[fd] = (file, mode)

    def unlock(self, file_obj: Any) -> None:
        fd = int(file_obj)
        self.calls.append("un")
        if self.held.pop(fd, None) is None:
            raise LockException("not locked")


@pytest.fixture
def windows_locks(monkeypatch: pytest.MonkeyPatch) -> WindowsLikeLocker:
    locker = WindowsLikeLocker()
    monkeypatch.setattr(vaultlock, "USE_PORTALOCKER", True)
    monkeypatch.setattr(portalocker_module, "LOCKER", locker)
    return locker


def test_windows_semantics_faked_opening_restoring_and_a_key_change(
        tmp_path: Path, windows_locks: WindowsLikeLocker) -> None:
    data_dir = tmp_path / "vault"
    journal, _key = Journal.create(data_dir, "pw", kdf=TEST_KDF)
    second = Journal.open(data_dir)
    assert "sh" in windows_locks.calls  # the stores went through the Windows-like locker
    with pytest.raises(VaultBusyError, match="open in another program"), \
            vaultlock.exclusive(data_dir):
        pass
    second.close()
    journal.close()
    assert windows_locks.held == {}  # every lock was let go of, not left to the close
    with vaultlock.exclusive(data_dir), pytest.raises(VaultBusyError, match="being restored"):
        vaultlock.hold_shared(data_dir, timeout_ms=50)
    mine = vaultlock.hold_shared(data_dir, timeout_ms=200)
    # A key change on Windows: the shared lock cannot become exclusive in place.
    with vaultlock.exclusive_while_open(mine):
        assert [m for _f, m in windows_locks.held.values()] == ["ex"]
    assert [m for _f, m in windows_locks.held.values()] == ["sh"]
    other = vaultlock.hold_shared(data_dir, timeout_ms=200)
    with pytest.raises(VaultBusyError), vaultlock.exclusive_while_open(mine):
        pass
    assert sorted(m for _f, m in windows_locks.held.values()) == ["sh", "sh"]
    vaultlock.release(other)
    vaultlock.release(mine)
    assert windows_locks.held == {}


def test_windows_semantics_faked_working_folders(
        tmp_path: Path, windows_locks: WindowsLikeLocker) -> None:
    work = tmp_path / "work"
    work.mkdir()
    vaultlock.claim_folder(work)
    assert vaultlock.folder_abandoned(work) is False
    vaultlock.release_folder(work)
    assert vaultlock.folder_abandoned(work) is True
    assert windows_locks.held == {}

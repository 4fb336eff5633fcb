"""Who has a vault open: a shared lock held by every open store, an exclusive one for a restore.

SQLite's own locks cannot say whether a vault is *open*: the store opens a connection per
operation (no pool), so an app sitting on its lock screen, or between two saves, holds no
database lock at all. Replacing the database file under it would send its next write into a file
it does not expect. So every :class:`~journal_app.core.vault.store.Store` holds a shared lock on
``journal.lock`` in the data folder for as long as it is open, and a restore takes the lock
exclusively, without waiting: while anything else has the vault open, the restore is refused.
A key rotation turns its own store's shared lock into an exclusive one the same way
(:func:`exclusive_while_open`).

A store that finds the lock held exclusively (a restore swapping files, well under a second; a
key rotation, seconds for a large journal) waits up to the store's busy timeout and then says
the vault is busy.

A working folder in the data folder (a restore being staged, a backup's work copy) is claimed
the same way, with an exclusive lock on ``.in-use`` inside it, by the program that made it:
the next program to open the vault removes it as soon as that claim is gone (see
``backup.tidy``), even if the program was killed a second ago.

On Windows the locks are portalocker's (``LockFileEx``; its shared locks need pywin32, installed
there with it); on Linux and macOS they are ``flock``, called directly: that is what
portalocker does there too, and importing portalocker costs every command 20-60 ms and
``importlib.metadata``, ``logging`` and ``socket`` (tests/e2e/test_cli_imports.py keeps the
commands lean). Both are held by an open file and dropped when it is closed, also when the
process dies. A Windows lock does not change from shared to exclusive in place, so the change
lets go first, on every system: ``flock`` does the same inside (its conversion is not atomic
either). Windows ran none of this here: tests/unit/core/test_vaultlock.py runs every check over
``flock``, over portalocker (on this system) and over a locker that behaves as Windows' does
(docs/design.md, issue 20).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from journal_app.core.errors import VaultBusyError

if sys.platform != "win32":
    import fcntl

LOCK_NAME = "journal.lock"
_POLL_S = 0.02

OPEN_ELSEWHERE = (
    "The journal is open in another program (the app, or a command still running). Close it, "
    "then try again."
)
BEING_RESTORED = (
    "The journal is being restored from a backup, or its key is being changed; try again in a "
    "moment."
)

#: Lock through portalocker (Windows), else through flock (the tests switch it).
USE_PORTALOCKER = sys.platform == "win32"

Mode = Literal["shared", "exclusive"]


def _take(fd: int, mode: Mode, wait: bool = False) -> bool | None:
    """Lock ``fd``: True when taken, False when another holder's lock stands in the way (never
    when ``wait``), None when this file system has no locks."""
    if USE_PORTALOCKER:
        import portalocker

        flags = portalocker.LockFlags.SHARED if mode == "shared" else (
            portalocker.LockFlags.EXCLUSIVE)
        if not wait:
            flags |= portalocker.LockFlags.NON_BLOCKING
        try:
            portalocker.lock(fd, flags)
        except portalocker.AlreadyLocked:
            return False
        except portalocker.LockException:
            return None
        return True
    operation = fcntl.LOCK_SH if mode == "shared" else fcntl.LOCK_EX
    try:
        fcntl.flock(fd, operation if wait else operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    return True


def _let_go(fd: int) -> None:
    if USE_PORTALOCKER:
        import portalocker

        with contextlib.suppress(portalocker.LockException, OSError):
            portalocker.unlock(fd)
        return
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)


def _open_lock_file(data_dir: Path) -> int | None:
    try:
        return os.open(Path(data_dir) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None  # a read-only folder: nothing can replace the vault there either


def hold_shared(data_dir: Path, timeout_ms: int) -> int | None:
    """Take the shared lock; returns the descriptor to pass to :func:`release` (or ``None``
    where locks are not available).

    Raises:
        VaultBusyError: a restore held the lock for longer than ``timeout_ms``.
    """
    fd = _open_lock_file(data_dir)
    if fd is None:
        return None
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        taken = _take(fd, "shared")
        if taken is None or taken:  # taken, or a file system without locks: as before
            return fd
        if time.monotonic() >= deadline:
            os.close(fd)
            raise VaultBusyError(BEING_RESTORED)
        time.sleep(_POLL_S)


def release(fd: int | None) -> None:
    if fd is not None:
        _let_go(fd)  # closing drops it too; Windows is told at once
        with contextlib.suppress(OSError):
            os.close(fd)


@contextlib.contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    """Hold the vault for ourselves (a restore), or refuse at once.

    Raises:
        VaultBusyError: another open store (this process included) holds the shared lock.
    """
    fd = _open_lock_file(data_dir)
    if fd is None:
        yield
        return
    try:
        # None: no locks on this file system; the SQLite checks in the restore still apply.
        if _take(fd, "exclusive") is False:
            raise VaultBusyError(OPEN_ELSEWHERE)
        yield
    finally:
        release(fd)


@contextlib.contextmanager
def exclusive_while_open(fd: int | None) -> Iterator[None]:
    """Turn the shared lock held on ``fd`` (an open store's) into an exclusive one while the
    block runs, or refuse at once; it is shared again after, also when the block raises.

    Raises:
        VaultBusyError: another open store (this process included) holds the shared lock.
    """
    if fd is None:
        yield
        return
    _let_go(fd)  # a lock is not converted in place (Windows); flock lets go first as well
    taken = _take(fd, "exclusive")
    if taken is False:
        _share_again(fd)  # the refused change must not leave the store without its lock
        raise VaultBusyError(OPEN_ELSEWHERE)
    if taken is None:  # a file system without locks
        yield
        return
    try:
        yield
    finally:
        _share_again(fd)


def _share_again(fd: int) -> None:
    _let_go(fd)
    _take(fd, "shared", wait=True)  # waits for a restore that got in between, as a store opening

# ------------------------------------------------------------------ working folders

#: A file inside a working folder (a staged restore, a backup's work copy), locked by the
#: process that made the folder for as long as it uses it.
CLAIM_NAME = ".in-use"
_claims: dict[str, int] = {}


def claim_folder(folder: Path) -> None:
    """Mark ``folder`` as in use by this process (until :func:`release_folder`, or its end)."""
    try:
        fd = os.open(Path(folder) / CLAIM_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return
    if not _take(fd, "exclusive"):
        os.close(fd)
        return
    release(_claims.pop(str(folder), None))
    _claims[str(folder)] = fd


def release_folder(folder: Path) -> None:
    release(_claims.pop(str(folder), None))


def folder_abandoned(folder: Path) -> bool | None:
    """True when ``folder`` was claimed and its process let go of it (ended, or crashed);
    False while it is in use; None when that cannot be told (no claim, or no locks here)."""
    try:
        fd = os.open(Path(folder) / CLAIM_NAME, os.O_RDWR)
    except OSError:
        return None
    try:
        return _take(fd, "exclusive")
    finally:
        release(fd)

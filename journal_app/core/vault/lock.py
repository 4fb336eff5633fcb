"""Who has a vault open: a shared lock held by every open store, an exclusive one for a restore.

SQLite's own locks cannot say whether a vault is *open*: the store opens a connection per
operation (no pool), so an app sitting on its lock screen, or between two saves, holds no
database lock at all. Replacing the database file under it would send its next write into a file
it does not expect. So every :class:`~journal_app.core.vault.store.Store` holds a shared ``flock``
on
``journal.lock`` in the data folder for as long as it is open, and a restore takes the lock
exclusively, without waiting: while anything else has the vault open, the restore is refused.
A key rotation turns its own store's shared lock into an exclusive one the same way
(:func:`exclusive_while_open`).

A store that finds the lock held exclusively (a restore swapping files, well under a second; a
key rotation, seconds for a large journal) waits up to the store's busy timeout and then says
the vault is busy.

A working folder in the data folder (a restore being staged, a backup's work copy) is claimed
the same way, with an exclusive ``flock`` on ``.in-use`` inside it, by the program that made it:
the next program to open the vault removes it as soon as that claim is gone (see
``backup.tidy``), even if the program was killed a second ago.

``flock`` is POSIX. On Windows this module does nothing: Windows refuses to replace a file that
another process has open, which makes the swap fail with a plain error instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

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
    if sys.platform == "win32":
        return None
    fd = _open_lock_file(data_dir)
    if fd is None:
        return None
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise VaultBusyError(BEING_RESTORED) from None
            time.sleep(_POLL_S)
        except OSError:  # a file system without locks: behave as before this module
            return fd


def release(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)  # closing the descriptor drops its flock


@contextlib.contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    """Hold the vault for ourselves (a restore), or refuse at once.

    Raises:
        VaultBusyError: another open store (this process included) holds the shared lock.
    """
    if sys.platform == "win32":
        yield
        return
    fd = _open_lock_file(data_dir)
    if fd is None:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise VaultBusyError(OPEN_ELSEWHERE) from None
        except OSError:
            pass  # no locks on this file system: the SQLite checks in the restore still apply
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
    if sys.platform == "win32" or fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        # Converting a lock is not atomic: a refused upgrade can leave none. Take it again.
        _share_again(fd)
        raise VaultBusyError(OPEN_ELSEWHERE) from None
    except OSError:  # a file system without locks
        yield
        return
    try:
        yield
    finally:
        _share_again(fd)


def _share_again(fd: int) -> None:
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_SH)

# ------------------------------------------------------------------ working folders

#: A file inside a working folder (a staged restore, a backup's work copy), locked by the
#: process that made the folder for as long as it uses it.
CLAIM_NAME = ".in-use"
_claims: dict[str, int] = {}


def claim_folder(folder: Path) -> None:
    """Mark ``folder`` as in use by this process (until :func:`release_folder`, or its end)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(Path(folder) / CLAIM_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return
    release(_claims.pop(str(folder), None))
    _claims[str(folder)] = fd


def release_folder(folder: Path) -> None:
    release(_claims.pop(str(folder), None))


def folder_abandoned(folder: Path) -> bool | None:
    """True when ``folder`` was claimed and its process let go of it (ended, or crashed);
    False while it is in use; None when that cannot be told (no claim, or no locks here)."""
    if sys.platform == "win32":
        return None
    try:
        fd = os.open(Path(folder) / CLAIM_NAME, os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    finally:
        os.close(fd)
    return True

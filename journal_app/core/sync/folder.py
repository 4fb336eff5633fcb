"""The sync folder on disk: which names are ours, where each device writes, and writing a file
once, atomically, under a name the sync services leave alone until it is complete.

Layout (docs/design.md, "One journal on several computers")::

    SYNC/journal-sync.json        the folder header (journal id, epoch, passphrase slot)
    SYNC/<device id>/<seq>.jsb    one device's log: 32 hex digits / 12-digit numbers

Every other name is ignored: the services' own files (``.stfolder``, ``.stignore``,
``.syncthing.*.tmp``, ``~syncthing~*.tmp``, ``.dropbox*``, ``desktop.ini``) and anything a user
or another program puts there. Conflict copies made by Dropbox ("… (conflicted copy …)…") and
Syncthing ("….sync-conflict-…") are read as candidates for the number in their name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from journal_app.core.errors import StorageError

HEADER_NAME = "journal-sync.json"
BATCH_SUFFIX = ".jsb"
SEQ_DIGITS = 12
#: The name of a device's folder: its random id.
DEVICE_DIR = re.compile(r"^[0-9a-f]{32}$")
SNAP_SUFFIX = ".jss"
_SNAP = re.compile(r"^snap-(?P<seq>\d{12})\.jss$")
#: A batch, or a copy a sync service made of one when two versions met.
_BATCH = re.compile(
    r"^(?P<seq>\d{12})"
    r"(?P<copy>\s*\([^)]*conflicted copy[^)]*\)|\.sync-conflict-[0-9A-Za-z-]+)?"
    r"\.jsb$", re.IGNORECASE)
#: Names the sync services make for themselves (and our own temp files): never read.
_SERVICE = re.compile(
    r"^(\.stfolder|\.stignore|\.stversions|\.syncthing\..*\.tmp|~syncthing~.*\.tmp|\.dropbox.*"
    r"|desktop\.ini|\.ds_store|thumbs\.db|icon\r)$", re.IGNORECASE)


def is_service_file(name: str) -> bool:
    """Whether ``name`` is one the sync services keep for themselves (or our temp files)."""
    return bool(_SERVICE.match(name))


def device_dir(folder: Path, device: str) -> Path:
    return folder / device


def batch_name(seq: int) -> str:
    return f"{seq:0{SEQ_DIGITS}d}{BATCH_SUFFIX}"


@dataclass(frozen=True)
class Candidate:
    """A file that may hold batch ``seq`` of ``device``: its canonical name or a conflict copy."""

    device: str
    seq: int
    path: Path
    copy: bool

    @property
    def label(self) -> str:
        """The file as shown to the user: its device folder and name (both random)."""
        return f"{self.device}/{self.path.name}"


def snap_name(seq: int) -> str:
    return f"snap-{seq:0{SEQ_DIGITS}d}{SNAP_SUFFIX}"


def snapshots(folder: Path, device: str) -> list[tuple[int, Path]]:
    """The sealed snapshots of ``device`` (number of its last batch covered, path), newest
    first."""
    try:
        names = os.listdir(device_dir(folder, device))
    except OSError:
        return []
    found = [(int(m["seq"]), device_dir(folder, device) / n) for n in names
             if (m := _SNAP.match(n))]
    return sorted(found, reverse=True)


def batches_upto(folder: Path, device: str, seq: int) -> list[Path]:
    """``device``'s batch files (and their conflict copies) numbered ``seq`` or below."""
    return [c.path for group in candidates(folder, device, 0).values() for c in group
            if c.seq <= seq]


#: A temp file of ours older than this was left by a program that stopped mid-write.
STALE_TEMP_S = 3600


def tidy_temp_files(folder: Path, device: str, now: float) -> None:
    """Remove this device's own temp files left by an interrupted write (an hour old)."""
    with contextlib.suppress(OSError):
        for path in device_dir(folder, device).glob("~syncthing~*.tmp"):
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > STALE_TEMP_S:
                    path.unlink()


def remove_quietly(path: Path) -> None:
    """Remove one of this device's own files (compaction): one that is gone already is fine."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def devices_in(folder: Path) -> list[str]:
    """The device folders present (names that are not ours are ignored)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    except OSError:
        raise StorageError("The sync folder cannot be read.") from None
    return sorted(n for n in names if DEVICE_DIR.match(n) and (folder / n).is_dir())


def candidates(folder: Path, device: str, after: int) -> dict[int, list[Candidate]]:
    """The batch files of ``device`` numbered above ``after``, by number (a conflict copy is a
    candidate beside the file it copies)."""
    found: dict[int, list[Candidate]] = {}
    try:
        names = os.listdir(device_dir(folder, device))
    except FileNotFoundError:
        return found
    except OSError:
        raise StorageError("The sync folder cannot be read.") from None
    for name in sorted(names):
        m = _BATCH.match(name)
        if m is None:
            continue
        seq = int(m["seq"])
        if seq > after:
            found.setdefault(seq, []).append(
                Candidate(device, seq, device_dir(folder, device) / name, m["copy"] is not None))
    for group in found.values():
        group.sort(key=lambda c: c.copy)  # the canonical name first
    return found


def holds_only_service_files(folder: Path) -> bool:
    """Whether ``folder`` is missing, empty, or holds only files the sync services keep."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False
    return all(is_service_file(n) for n in names)


def _temp_name(directory: Path) -> Path:
    # "~syncthing~*.tmp": Syncthing skips its own temp names, Dropbox skips "~*.tmp".
    return directory / f"~syncthing~{secrets.token_hex(8)}.tmp"


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_temp(directory: Path, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(directory)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def _storage_error(exc: OSError, what: str) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(f"The sync folder's drive is full, so {what}; nothing was changed.")
    return StorageError(f"The sync folder cannot be written, so {what}; nothing was changed.")


def write_once(path: Path, data: bytes) -> None:
    """Write a new file at ``path``: a temp file, synced, then linked to its name (an existing
    file is never replaced: FileExistsError).

    Raises:
        FileExistsError: ``path`` exists.
        StorageError: the disk is full or not writable (nothing is left behind).
    """
    try:
        tmp = _write_temp(path.parent, data)
    except OSError as exc:
        raise _storage_error(exc, "this computer's changes were not sent") from None
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            # No hard links (some network or FAT drives): a rename, after a last look.
            if path.exists():
                raise FileExistsError(path) from None
            os.rename(tmp, path)
        _fsync_dir(path.parent)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _storage_error(exc, "this computer's changes were not sent") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def replace_file(path: Path, data: bytes) -> None:
    """Write ``path`` atomically, replacing it (the folder header, at setup and a new epoch)."""
    try:
        tmp = _write_temp(path.parent, data)
        try:
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        _fsync_dir(path.parent)
    except OSError as exc:
        raise _storage_error(exc, "the sync folder was not set up") from None

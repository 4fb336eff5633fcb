"""Encrypted backups of a vault: make one, verify one, restore one, and back up on a schedule.

A backup file is the vault's SQLite database as one consistent snapshot, taken with SQLite's
online backup API while other programs may be writing (WAL mode), behind a small header::

    magic       24 bytes  b"\\x89journal-app backup\\r\\n\\x1a\\n" (a binary file; a text-mode
                          transfer that rewrites line ends or the high bit is caught at once)
    version      2 bytes  big-endian format version (1)
    length       4 bytes  big-endian length of the header
    header       JSON     vault id, created, records, payload size and SHA-256, schema version,
                          write counter, app version
    checksum    32 bytes  SHA-256 of everything above (damage, found before any key is needed)
    tag         32 bytes  HMAC-SHA256 of the header under a key derived from the data key
    payload               the database file, exactly ``payload_size`` bytes

Nothing is decrypted to make a backup: the records stay sealed under the vault's own keys, and
the backup opens with the passphrase (or data key) that opened the journal when it was made.
The tag authenticates the header, and with it the payload's SHA-256, so a backup is checked as
a whole; the vault's own checks (key slots, the manifest, every record's AES-GCM) run on top.

Verifying copies the payload into a private folder (0700, removed after), opens it with the
normal store, unlocks it and runs :meth:`Journal.verify`: every record is decrypted. A backup of
another vault verifies and restores with that vault's passphrase.

Restoring verifies the backup fully into a staging folder inside the data folder (same file
system, so the swap is one rename), then, holding the vault exclusively (see
:mod:`~journal_app.core.vault.lock`): checkpoints the live database and leaves WAL mode, so it is
one self-contained file; hard-links it into ``.replaced-<time>.partial/``; renames the staged
file over ``journal.db`` (the single commit point: a crash before it leaves the old vault, after
it the new one, never half); then renames the kept vault to ``replaced-<time>/``. A crash between
the swap and that last rename leaves the old vault in the ``.partial`` folder; :func:`tidy`
finishes the job the next time (it tells the two cases apart by the file's inode).

Automatic backups: :class:`BackupPolicy` (a folder, every N days, keep the last N). A backup is
"good" once it was written, synced and verified in full; only then is it recorded (in the
vault, encrypted, as a :class:`~journal_app.core.records.model.BackupState`) and only then are older
ones pruned, so a failing drive or a damaged journal never rotates good backups away. Pruning
deletes only files with our name pattern *and* a valid header of this vault.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import stat
import struct
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from journal_app import __version__
from journal_app.core.dates import in_range
from journal_app.core.errors import (
    BackupDamagedError,
    JournalError,
    NotFoundError,
    StorageError,
    UsageError,
    VaultBusyError,
    VaultDamagedError,
    VaultExistsError,
    WrongPassphraseError,
)
from journal_app.core.records.model import BackupState, now
from journal_app.core.vault.crypto import KeySlot, hkdf
from journal_app.core.vault.journal import IntegrityReport, Journal
from journal_app.core.vault.lock import (
    OPEN_ELSEWHERE,
    claim_folder,
    exclusive,
    folder_abandoned,
    release_folder,
)
from journal_app.core.vault.store import BUSY_TIMEOUT_MS, DB_NAME, MIGRATIONS, secure_mkdir

MAGIC = b"\x89journal-app backup\r\n\x1a\n"
FORMAT_VERSION = 1
SUFFIX = ".jbackup"
MAX_HEADER = 64 * 1024
_PREFIX = struct.Struct(">HI")
_HASH_LEN = 32
_MAC_INFO = b"journal-app backup header v1"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 1 << 20

#: Our backup files: names from the date and time only, never from journal text.
NAME_RE = re.compile(r"^journal-\d{4}-\d{2}-\d{2}T\d{4}(?:-\d{1,4})?\.jbackup$")
REPLACED_PREFIX = "replaced-"
_ASIDE_PREFIX = ".replaced-"
_ASIDE_SUFFIX = ".partial"
_STAGE_PREFIX = ".restore-"
_WORK_PREFIX = ".backup-work-"
_TMP_PREFIX = ".journal-backup-"
_TMP_SUFFIX = ".tmp"
#: Leftover temporary files and folders older than this are ours to remove.
STALE_S = 3600
_COMPANIONS = ("-wal", "-shm", "-journal")

KEYS_CURRENT = "current"
KEYS_BACKUP = "backup"

NOT_A_BACKUP = "That file is not a journal-app backup; nothing was changed."
NEWER = (
    "That backup was made by a newer version of journal-app; update journal-app to open it. "
    "Nothing was changed."
)
TRUNCATED = (
    "The backup file is incomplete (cut short, perhaps by a full or unplugged drive); nothing "
    "was changed."
)
CHECKSUM = "The backup file is damaged (its checksum does not match); nothing was changed."
ALTERED = (
    "The backup file was altered after it was made, or it does not belong to this journal; "
    "nothing was changed."
)
INNER_DAMAGED = "The journal inside the backup is damaged; nothing was changed."
BEFORE_ROTATION = (
    "This backup was made before the journal's key was changed (or it was altered): give the "
    "passphrase the journal had when the backup was made."
)


# ==================================================================== the header


@dataclass(frozen=True)
class BackupHeader:
    """What a backup says about itself (authenticated by the tag once the key is known)."""

    vault_id: bytes
    created: datetime
    records: int
    payload_size: int
    payload_sha256: bytes
    schema_version: int
    write_counter: int
    app_version: str = __version__

    def to_bytes(self) -> bytes:
        body = {
            "format": "journal-app backup",
            "vault_id": self.vault_id.hex(),
            "created": self.created.isoformat(),
            "records": self.records,
            "payload_size": self.payload_size,
            "payload_sha256": self.payload_sha256.hex(),
            "schema_version": self.schema_version,
            "write_counter": self.write_counter,
            "app_version": self.app_version,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> BackupHeader:
        """Parse a header whose checksum matched.

        Raises:
            BackupDamagedError: the fields are not what this version writes.
        """
        try:
            body = json.loads(data.decode("utf-8"))
            if body["format"] != "journal-app backup":
                raise ValueError("format")
            ints = [body[k] for k in ("records", "payload_size", "schema_version",
                                      "write_counter")]
            if any(type(v) is not int or v < 0 for v in ints):
                raise ValueError("number")
            created = datetime.fromisoformat(body["created"])
            if created.tzinfo is None or not in_range(created):  # shown in local time
                raise ValueError("date")
            header = cls(
                vault_id=bytes.fromhex(body["vault_id"]),
                created=created,
                records=body["records"],
                payload_size=body["payload_size"],
                payload_sha256=bytes.fromhex(body["payload_sha256"]),
                schema_version=body["schema_version"],
                write_counter=body["write_counter"],
                app_version=str(body.get("app_version", "")),
            )
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise BackupDamagedError(CHECKSUM) from None
        if len(header.vault_id) != 16 or len(header.payload_sha256) != _HASH_LEN:
            raise BackupDamagedError(CHECKSUM)
        return header


@dataclass
class BackupInfo:
    """A backup file and what is known of it; ``verified`` once every record was decrypted."""

    path: Path
    header: BackupHeader
    verified: bool = False
    records_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.verified and not self.problems

    @property
    def created(self) -> datetime:
        return self.header.created


@dataclass(frozen=True)
class _Parsed:
    header: BackupHeader
    header_bytes: bytes
    tag: bytes
    payload_offset: int


def _mac(data_key: bytes, header_bytes: bytes) -> bytes:
    return hmac.digest(hkdf(data_key, _MAC_INFO), header_bytes, "sha256")


def _open_for_reading(path: Path) -> int:
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError("That is a folder, not a backup file.")
        if not stat.S_ISREG(mode):  # a pipe or a device would never end
            raise UsageError("That is not a backup file.")
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise NotFoundError("There is no backup file at that path.") from None
    except OSError:
        raise StorageError("The backup file cannot be read (check the drive and its "
                           "permissions).") from None


def _read_exact(fh: BinaryIO, size: int) -> bytes:
    data = fh.read(size)
    if len(data) != size:
        raise BackupDamagedError(TRUNCATED)
    return data


def _parse(fh: BinaryIO, file_size: int) -> _Parsed:
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        # A prefix of the magic is a backup cut short; anything else is another file.
        raise BackupDamagedError(TRUNCATED if magic and MAGIC.startswith(magic) else NOT_A_BACKUP)
    version, length = _PREFIX.unpack(_read_exact(fh, _PREFIX.size))
    if version > FORMAT_VERSION:
        raise BackupDamagedError(NEWER)
    if version < 1 or not 0 < length <= MAX_HEADER:
        raise BackupDamagedError(CHECKSUM)
    header_bytes = _read_exact(fh, length)
    checksum = _read_exact(fh, _HASH_LEN)
    tag = _read_exact(fh, _HASH_LEN)
    prefix = MAGIC + _PREFIX.pack(version, length) + header_bytes
    if not hmac.compare_digest(hashlib.sha256(prefix).digest(), checksum):
        raise BackupDamagedError(CHECKSUM)
    header = BackupHeader.from_bytes(header_bytes)
    offset = len(prefix) + 2 * _HASH_LEN
    if file_size < offset + header.payload_size:
        raise BackupDamagedError(TRUNCATED)
    if file_size > offset + header.payload_size:
        raise BackupDamagedError(CHECKSUM)
    return _Parsed(header, header_bytes, tag, offset)


def read_header(path: Path) -> BackupHeader:
    """The header of a backup file, checked against its checksum and the file's size (cheap:
    the payload is not read; :func:`verify_backup` checks everything).

    Raises:
        BackupDamagedError: not a backup, from a newer version, truncated or damaged.
        NotFoundError, StorageError: the file is missing or cannot be read.
    """
    fd = _open_for_reading(Path(path))
    with os.fdopen(fd, "rb") as fh:
        try:
            return _parse(fh, os.fstat(fh.fileno()).st_size).header
        except OSError:
            raise StorageError("The backup file cannot be read (check the drive).") from None


# ==================================================================== small file helpers


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new name durable (not possible everywhere, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _folder_error(exc: OSError, what: str = "backup folder") -> StorageError:
    """A plain sentence for a file-system error in the backup folder (drive unplugged...)."""
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ESTALE):
        return StorageError(f"The {what} is not available; is the drive connected?")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(f"The {what} is full; nothing was lost, but no backup was made.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError(f"The {what} is not writable.")
    return StorageError(f"The backup could not be written to the {what} (a drive error).")


def _work_dir(base: Path | None) -> Path:
    """A private (0700) folder for a copy of a database: in ``base`` (the data folder: the
    same disk as the vault, not a small RAM-backed /tmp) when it exists, else the temp folder."""
    if base is not None and Path(base).is_dir():
        with contextlib.suppress(OSError):
            work = Path(tempfile.mkdtemp(prefix=_WORK_PREFIX, dir=base))
            claim_folder(work)  # so tidy() in another program leaves it alone while in use
            return work
    return Path(tempfile.mkdtemp(prefix="journal-app-backup-"))


def _drop_folder(folder: Path) -> None:
    """Remove a working folder (a staged restore, a work copy) and let go of its claim."""
    shutil.rmtree(folder, ignore_errors=True)
    release_folder(folder)


def _stamp(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%dT%H%M")


def _unique(path: Path, too_many: str = "Too many backups were made in the same minute.",
            *, folder: bool = False) -> Path:
    """``path``, or the first free ``name-2.ext``, ``name-3.ext``... (a ``folder``: ``name-2``,
    its whole name kept); StorageError(``too_many``) when none of ten thousand is free."""
    if not path.exists():
        return path
    for number in range(2, 10_000):
        name = f"{path.name}-{number}" if folder else f"{path.stem}-{number}{path.suffix}"
        candidate = path.with_name(name)
        if not candidate.exists():
            return candidate
    raise StorageError(too_many)


def records_text(count: int) -> str:
    """"1 record", "12 records": for messages."""
    return f"{count} record{'' if count == 1 else 's'}"


def backup_name(when: datetime) -> str:
    """The file name of a backup made at ``when`` (local time): date and time only."""
    return f"journal-{_stamp(when)}{SUFFIX}"


# ==================================================================== making a backup


def _sqlite_error(exc: sqlite3.Error) -> JournalError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return VaultBusyError()
    if "disk" in text and "full" in text:
        return StorageError("There is not enough space in the journal's folder for the backup.")
    return VaultDamagedError("The journal's database file could not be read for the backup.")


def _snapshot(source: Path, target: Path) -> None:
    """A consistent copy of the live database (one step of SQLite's backup API, which reads
    in one transaction while writers go on in WAL mode), left in rollback-journal mode so the
    copy is one self-contained file."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            src.execute("PRAGMA query_only=ON")
            dst = sqlite3.connect(target, isolation_level=None)
            try:
                src.backup(dst)
                mode = dst.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
                if str(mode).lower() != "delete":
                    raise sqlite3.OperationalError("journal mode")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise _sqlite_error(exc) from None


def _hash_file(path: Path) -> tuple[int, bytes]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.digest()


def _describe(snapshot: Path, created: datetime) -> BackupHeader:
    """The header for a snapshot: read from the snapshot itself, so it fits what is inside."""
    try:
        conn = sqlite3.connect(f"{snapshot.as_uri()}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('vault_id', 'seq')").fetchall())
            records = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
            schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _sqlite_error(exc) from None
    vault_id = meta.get("vault_id")
    seq = meta.get("seq") or b"0"
    if not isinstance(vault_id, bytes) or len(vault_id) != 16:
        raise VaultDamagedError("The journal's database file is damaged or is not a journal.")
    try:
        counter = int(seq)
    except (TypeError, ValueError):
        raise VaultDamagedError("The journal's write counter is damaged.") from None
    size, digest = _hash_file(snapshot)
    return BackupHeader(vault_id=vault_id, created=created, records=records, payload_size=size,
                        payload_sha256=digest, schema_version=schema, write_counter=counter)


def _target(out: Path, when: datetime) -> Path:
    out = Path(out).expanduser().absolute()
    try:
        if out.is_dir():
            return _unique(out / backup_name(when))
        if out.exists() or out.is_symlink():
            raise UsageError("A file of that name exists already; choose another name.")
        if not out.parent.is_dir():
            raise StorageError("The backup folder is not available; is the drive connected?")
    except OSError as exc:
        raise _folder_error(exc) from None
    return out


def _write_backup_file(target: Path, header_bytes: bytes, tag: bytes, snapshot: Path) -> None:
    """Write the file under a temporary name in the target folder, sync it, rename it: a
    reader (or a sync client) never sees half a backup under the final name."""
    folder = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise _folder_error(exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            prefix = MAGIC + _PREFIX.pack(FORMAT_VERSION, len(header_bytes)) + header_bytes
            fh.write(prefix)
            fh.write(hashlib.sha256(prefix).digest())
            fh.write(tag)
            with open(snapshot, "rb") as src:
                shutil.copyfileobj(src, fh, _CHUNK)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # FAT and exFAT drives keep no modes
            os.chmod(tmp, 0o600)
        if target.exists():
            raise UsageError("A file of that name exists already; choose another name.")
        os.replace(tmp, target)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _folder_error(exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def create_backup(journal: Journal, out: Path, when: datetime | None = None,
                  verify: bool = True) -> BackupInfo:
    """Write a backup of the unlocked ``journal`` to ``out`` (a folder: a name is made from
    the date and time; else the file to create). With ``verify`` (the default) the written
    file is read back and verified in full with the journal's key; a backup that fails is
    removed.

    Raises:
        VaultLockedError: the journal is locked (the header is authenticated with its key).
        StorageError: the backup folder is missing, full or not writable.
        BackupDamagedError: the written file did not verify (it was removed).
        UsageError: ``out`` names a file that exists.
    """
    data_key = journal.cipher.data_key
    if journal.unreadable_count(check=True):
        raise VaultDamagedError(
            f"Part of the journal's file is damaged ({journal.unreadable_count()} records cannot"
            " be read), so no backup was made, as it would copy the damage: rescue what can"
            " still be read into a new journal (Rescue… in the app, 'journal-app salvage')."
        )
    created = (when or now()).astimezone()
    target = _target(out, created)
    work = _work_dir(journal.data_dir)
    try:
        snapshot = work / DB_NAME
        _snapshot(journal.data_dir / DB_NAME, snapshot)
        header = _describe(snapshot, created)
        header_bytes = header.to_bytes()
        _write_backup_file(target, header_bytes, _mac(data_key, header_bytes), snapshot)
    finally:
        _drop_folder(work)
    info = BackupInfo(target, header)
    if not verify:
        return info
    try:
        info = verify_backup(target, key=data_key, workdir=journal.data_dir)
    except JournalError:
        with contextlib.suppress(OSError):
            target.unlink()
        raise BackupDamagedError(
            "The backup just written did not read back correctly (the drive may be failing); "
            "it was removed. Your journal is unchanged."
        ) from None
    if not info.ok:
        with contextlib.suppress(OSError):
            target.unlink()
        raise BackupDamagedError(
            "Your journal has damaged records, so the backup was not kept; check the journal's "
            "integrity (Settings, or 'journal-app verify'). Earlier backups are untouched."
        )
    return info


# ==================================================================== verifying


def _extract(path: Path, dest: Path, sync: bool = False) -> _Parsed:
    """Copy the payload of the backup at ``path`` to ``dest`` (0600), checking size and hash."""
    fd = _open_for_reading(Path(path))
    with os.fdopen(fd, "rb") as fh:
        try:
            parsed = _parse(fh, os.fstat(fh.fileno()).st_size)
            digest = hashlib.sha256()
            left = parsed.header.payload_size
            out_fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(out_fd, "wb") as out:
                first = True
                while left:
                    chunk = fh.read(min(_CHUNK, left))
                    if not chunk:
                        raise BackupDamagedError(TRUNCATED)
                    if first and not chunk.startswith(_SQLITE_MAGIC[: len(chunk)]):
                        raise BackupDamagedError(CHECKSUM)
                    first = False
                    digest.update(chunk)
                    out.write(chunk)
                    left -= len(chunk)
                if sync:
                    out.flush()
                    os.fsync(out.fileno())
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StorageError("There is not enough space to check the backup.") from None
            raise StorageError("The backup file cannot be read (check the drive).") from None
    if not hmac.compare_digest(digest.digest(), parsed.header.payload_sha256):
        raise BackupDamagedError(CHECKSUM)
    return parsed


def _reader(db: Path) -> sqlite3.Connection:
    """A connection that only reads. Not SQLite's ``mode=ro``: on a WAL database that leaves
    -wal and -shm files behind; a normal connection removes them when it is the last to close."""
    conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute("PRAGMA query_only=ON")
    return conn


def _vault_id_of(db: Path) -> bytes | None:
    """The vault id of the database at ``db``, or None when there is none or it is unreadable."""
    if not db.is_file():
        return None
    try:
        conn = _reader(db)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='vault_id'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    value = row[0] if row else None
    return value if isinstance(value, bytes) and len(value) == 16 else None


def _current_key(data_dir: Path, passphrase: str) -> bytes | None:
    """The data key of the journal in ``data_dir`` if ``passphrase`` opens it, else None."""
    try:
        with Journal.open(data_dir) as current:
            current.unlock(passphrase)
            return current.cipher.data_key
    except (WrongPassphraseError, VaultDamagedError):
        return None


def _verify_db(folder: Path, parsed: _Parsed, passphrase: str | None,
               key: bytes | None) -> tuple[IntegrityReport, bytes]:
    """Open the extracted database in ``folder``, unlock it with ``key`` (a data key) or
    ``passphrase`` (its own passphrase slot), check the header's tag and every record."""
    header = parsed.header
    if header.schema_version > len(MIGRATIONS):
        raise BackupDamagedError(NEWER)
    try:
        journal = Journal.open(folder)
    except VaultBusyError:
        raise
    except JournalError:
        raise BackupDamagedError(INNER_DAMAGED) from None
    with journal:
        if journal.vault_id != header.vault_id:
            raise BackupDamagedError(ALTERED)
        if key is not None:
            # A key of this journal that does not match was refused in _resolve_key (a backup
            # from before a key rotation); here a wrong tag means the file was altered.
            if not hmac.compare_digest(_mac(key, parsed.header_bytes), parsed.tag):
                raise BackupDamagedError(ALTERED)
            # No passphrase slot to go through: the caller holds the key of this vault.
            journal.unlock_with_key(key)
        elif passphrase is not None:
            try:
                journal.unlock(passphrase)
            except WrongPassphraseError:
                raise WrongPassphraseError(
                    "That passphrase does not open this backup (a backup opens with the "
                    "passphrase its journal had when the backup was made)."
                ) from None
            except VaultDamagedError:
                raise BackupDamagedError(INNER_DAMAGED) from None
            key = journal.cipher.data_key
            if not hmac.compare_digest(_mac(key, parsed.header_bytes), parsed.tag):
                raise BackupDamagedError(ALTERED)
        else:
            raise UsageError("A passphrase is needed to check the backup.")
        try:
            report = journal.verify()
        except VaultDamagedError:
            raise BackupDamagedError(INNER_DAMAGED) from None
    return report, key


def _resolve_key(parsed: _Parsed, passphrase: str | None, key: bytes | None,
                 current_dir: Path | None) -> tuple[bytes | None, bool]:
    """The data key to open a backup with, and whether it came from the journal in
    ``current_dir`` (so the user showed they can open that one).

    The journal's key is the backup's until the key is rotated (``new-recovery-key``,
    ``change-passphrase --rotate-key``); a backup made before that opens only through its own
    key slots, with the passphrase the journal had then.
    """
    header = parsed.header
    same = current_dir is not None and _vault_id_of(Path(current_dir) / DB_NAME) == \
        header.vault_id
    if key is not None:
        if same and not _tag_matches(key, parsed):
            raise WrongPassphraseError(BEFORE_ROTATION)
        return key, same
    if passphrase is not None and same and current_dir is not None:
        # The journal's current passphrase opens its backups too, even those made before a
        # passphrase change: the data key is the same (unless it was rotated since).
        current = _current_key(Path(current_dir), passphrase)
        if current is not None and _tag_matches(current, parsed):
            return current, True
    return None, False


def _tag_matches(key: bytes, parsed: _Parsed) -> bool:
    return hmac.compare_digest(_mac(key, parsed.header_bytes), parsed.tag)


def verify_backup(path: Path, passphrase: str | None = None, key: bytes | None = None,
                  current_dir: Path | None = None, workdir: Path | None = None) -> BackupInfo:
    """Verify a backup in full: header, checksums, the tag, key slots, manifest, every record.

    Open it with ``key`` (a data key) or ``passphrase``: the backup's own passphrase, or the
    current passphrase of the journal in ``current_dir`` when the backup is of that journal.
    Record-level damage is returned in ``problems``; anything else raises.

    Raises:
        BackupDamagedError: not a backup, newer, truncated, damaged or altered.
        WrongPassphraseError: the passphrase opens neither the backup nor the current journal.
        NotFoundError, StorageError: the file cannot be read.
    """
    path = Path(path)
    work = _work_dir(workdir if workdir is not None else current_dir)
    try:
        parsed = _extract(path, work / DB_NAME)
        use_key, _same = _resolve_key(parsed, passphrase, key, current_dir)
        report, _key = _verify_db(work, parsed, passphrase, use_key)
    finally:
        _drop_folder(work)
    return BackupInfo(path, parsed.header, verified=True,
                      records_checked=report.records_checked, problems=list(report.problems))


# ==================================================================== restoring


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupInfo
    #: Where the journal that was replaced is kept (None when the folder held none).
    replaced: Path | None
    #: KEYS_CURRENT: the restored journal opens with the passphrase and recovery key that
    #: opened the replaced one; KEYS_BACKUP: with those it had when the backup was made.
    keys: str


def _read_slots(db: Path) -> dict[str, bytes]:
    """The intact key slots of the database at ``db`` (both copies of each kind, from the
    first intact one); missing kinds are left out."""
    names = ("slot.passphrase.a", "slot.passphrase.b", "slot.recovery.a", "slot.recovery.b")
    try:
        conn = _reader(db)
        try:
            rows = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN (?, ?, ?, ?)", names).fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    out: dict[str, bytes] = {}
    for kind in ("passphrase", "recovery"):
        for copy in ("a", "b"):
            value = rows.get(f"slot.{kind}.{copy}")
            if not isinstance(value, bytes):
                continue
            try:
                KeySlot.from_bytes(value)
            except VaultDamagedError:
                continue
            out[f"slot.{kind}.a"] = out[f"slot.{kind}.b"] = value
            break
    return out


def _finalise_staged(staged: Path, slots: dict[str, bytes]) -> None:
    """Put ``slots`` into the staged database, leave WAL mode (one self-contained file) and
    check it, then make it durable."""
    try:
        conn = sqlite3.connect(staged, isolation_level=None)
        try:
            conn.execute("PRAGMA secure_delete=ON")  # the slots it held are overwritten
            if slots:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 list(slots.items()))
                conn.execute("COMMIT")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise sqlite3.OperationalError("journal mode")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupDamagedError(INNER_DAMAGED)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _sqlite_error(exc) from None
    if any(Path(f"{staged}{suffix}").exists() for suffix in _COMPANIONS):
        raise StorageError("The restored copy could not be prepared; nothing was changed.")
    _fsync_file(staged)
    _fsync_dir(staged.parent)


@dataclass
class PreparedRestore:
    """A backup verified and staged next to the vault, ready to replace it (:meth:`commit`)
    or to be dropped (:meth:`discard`). Nothing in the vault has changed yet."""

    data_dir: Path
    backup: BackupInfo
    staging: Path
    keys: str
    replaces: bool

    def discard(self) -> None:
        _drop_folder(self.staging)

    def commit(self, steps: Callable[[str], None] | None = None) -> RestoreResult:
        """Replace the vault with the staged backup, atomically; keep the old one aside.

        ``steps`` is called with the name of each step done (tests kill the process there).

        Raises:
            VaultBusyError: the vault is open in another program (nothing was changed).
            StorageError: the data folder refused a step (the old vault is still in place).
        """
        step = steps or (lambda _name: None)
        data_dir = self.data_dir
        live = data_dir / DB_NAME
        staged = self.staging / DB_NAME
        if not staged.is_file():
            raise StorageError("The prepared restore was removed; start the restore again.")
        replaced: Path | None = None
        try:
            with exclusive(data_dir):
                step("locked")
                aside = self._swap(live, staged, step)
                if aside is not None:
                    replaced = aside
                    try:
                        final = _unique_dir(data_dir / f"{REPLACED_PREFIX}{aside_stamp(aside)}")
                        os.rename(aside, final)
                        _fsync_dir(data_dir)
                        replaced = final
                        step("renamed")
                    except OSError:
                        pass  # restored all the same; tidy() gives the folder its name later
        finally:
            self.discard()
        return RestoreResult(self.backup, replaced, self.keys)

    def _swap(self, live: Path, staged: Path, step: Callable[[str], None]) -> Path | None:
        """Put the staged file in place of the live one (holding the vault exclusively).
        Returns the ``.partial`` folder the old vault is kept in, if there was one."""
        data_dir = self.data_dir
        try:
            _finish_interrupted(data_dir)
            aside: Path | None = None
            if live.exists():
                _quiesce(live)
                step("quiesced")
                aside = _keep_aside(data_dir, live)
                step("kept-aside")
                os.replace(staged, live)  # the commit point
            else:
                try:
                    os.link(staged, live)  # never over a journal created meanwhile
                except FileExistsError:
                    raise VaultExistsError(
                        "A journal appeared in that folder meanwhile; nothing was changed."
                    ) from None
                except OSError:
                    if live.exists():
                        raise VaultExistsError() from None
                    os.replace(staged, live)
        except OSError:
            raise StorageError(
                "The journal's folder refused a step of the restore; the journal you had is "
                "still in place."
            ) from None
        _fsync_dir(data_dir)
        step("replaced")
        return aside


def aside_stamp(aside: Path) -> str:
    return aside.name.removeprefix(_ASIDE_PREFIX).removesuffix(_ASIDE_SUFFIX)


def _unique_dir(path: Path) -> Path:
    return _unique(path, "Too many replaced journals are kept in the data folder.", folder=True)


def _quiesce(live: Path) -> None:
    """Fold the WAL into the database file and leave WAL mode, so the file is all there is.

    Switching the journal mode needs every other connection closed: it doubles as a check
    that no program outside journal-app (a database browser) has the file open.

    Raises:
        VaultBusyError: another connection holds the database.
    """
    try:
        conn = sqlite3.connect(live, timeout=1.0, isolation_level=None)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy and busy[0]:
                raise VaultBusyError(OPEN_ELSEWHERE)
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise VaultBusyError(OPEN_ELSEWHERE)
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise VaultBusyError(OPEN_ELSEWHERE) from None
        # Otherwise the file is too damaged to open: it is replaced as it is (all of it is
        # kept aside, WAL included).
    except sqlite3.DatabaseError:
        pass


def _keep_aside(data_dir: Path, live: Path) -> Path:
    """Hard-link the live database (and any companion file) into a new private folder, then
    take the companions away from the data folder (they belong to the old database and must not
    meet the new one). Returns the ``.partial`` folder."""
    stamp = _stamp(now())
    aside = _unique_dir(data_dir / f"{_ASIDE_PREFIX}{stamp}{_ASIDE_SUFFIX}")
    aside.mkdir(mode=0o700)
    for suffix in ("", *_COMPANIONS):
        source = Path(f"{live}{suffix}")
        if source.exists():
            try:
                os.link(source, aside / source.name)
            except OSError:  # no hard links on this file system: a copy does
                shutil.copy2(source, aside / source.name)
                _fsync_file(aside / source.name)
    _fsync_dir(aside)
    _fsync_dir(data_dir)
    for suffix in _COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{live}{suffix}")
    return aside


def _same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = a.stat(), b.stat()
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _finish_interrupted(data_dir: Path) -> list[Path]:
    """Finish restores that were interrupted (call holding the vault exclusively).

    A ``.partial`` folder whose database is the live file itself was made before the swap: it
    is only a second name, and goes (its companions go back). One holding another file was made
    before a swap that happened: it is the replaced journal, and gets its final name.
    Returns the folders of replaced journals named here.
    """
    named: list[Path] = []
    live = data_dir / DB_NAME
    for partial in _partials(data_dir):
        kept = partial / DB_NAME
        if kept.exists() and not _same_file(kept, live):
            final = _unique_dir(data_dir / f"{REPLACED_PREFIX}{aside_stamp(partial)}")
            os.rename(partial, final)
            _fsync_dir(data_dir)
            named.append(final)
            continue
        for suffix in _COMPANIONS:
            companion = partial / f"{DB_NAME}{suffix}"
            if companion.exists() and not Path(f"{live}{suffix}").exists():
                os.rename(companion, f"{live}{suffix}")
        shutil.rmtree(partial, ignore_errors=True)
    return named


def _partials(data_dir: Path) -> list[Path]:
    try:
        return sorted(p for p in data_dir.iterdir()
                      if p.name.startswith(_ASIDE_PREFIX) and p.name.endswith(_ASIDE_SUFFIX)
                      and p.is_dir())
    except OSError:
        return []


def tidy(data_dir: Path) -> list[Path]:
    """Clear what an interrupted backup or restore left in the data folder (the rest only
    when nothing has the vault open). Safe to call any time, on any folder; returns folders of
    replaced journals it gave their final name.

    A staged restore or a backup's work copy is removed as soon as the program that made it
    has let go of it (it ended or crashed: see :func:`~.vaultlock.claim_folder`); one without
    a claim (an older version's, or where there are no locks) once it is an hour old. Each
    holds a copy of the journal, removed records and all.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    cutoff = time.time() - STALE_S
    try:
        entries = list(data_dir.iterdir())
    except OSError:
        return []
    for entry in entries:
        if (entry.name.startswith((_STAGE_PREFIX, _WORK_PREFIX)) and entry.is_dir()
                and not entry.is_symlink()):
            with contextlib.suppress(OSError):
                abandoned = folder_abandoned(entry)
                if abandoned or (abandoned is None and entry.stat().st_mtime < cutoff):
                    shutil.rmtree(entry, ignore_errors=True)
    if not _partials(data_dir):
        return []
    try:
        with exclusive(data_dir):
            return _finish_interrupted(data_dir)
    except (VaultBusyError, OSError):
        return []


def prepare_restore(data_dir: Path, path: Path, passphrase: str | None = None,
                    key: bytes | None = None) -> PreparedRestore:
    """Verify the backup at ``path`` in full and stage it in ``data_dir``; nothing is replaced.

    ``key`` is the data key of the journal now in ``data_dir`` (the app, unlocked); otherwise
    ``passphrase`` opens either that journal (when the backup is of it) or the backup. When the
    journal's current passphrase was shown, the restored journal keeps its current key slots:
    the passphrase and recovery key that work today go on working.

    Raises:
        BackupDamagedError: the backup is damaged, altered or holds damaged records.
        WrongPassphraseError: the passphrase opens neither.
        StorageError: no room in the data folder for the staged copy.
    """
    data_dir = Path(data_dir).expanduser()
    secure_mkdir(data_dir)
    tidy(data_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=data_dir))
    except OSError as exc:
        raise _folder_error(exc, "journal's folder") from None
    claim_folder(staging)
    try:
        staged = staging / DB_NAME
        parsed = _extract(Path(path), staged)
        live = data_dir / DB_NAME
        use_key, shown_current = _resolve_key(parsed, passphrase, key, data_dir)
        if key is not None and not shown_current:
            raise WrongPassphraseError(
                "This backup is of another journal: give the passphrase it was made with."
            )
        report, _key = _verify_db(staging, parsed, passphrase, use_key)
        if not report.ok:
            raise BackupDamagedError(
                f"The backup holds damaged records ({len(report.damaged_ids)} of "
                f"{report.records_checked}) or an inconsistent list of records; nothing was "
                "changed."
            )
        slots = _read_slots(live) if shown_current else {}
        keys = KEYS_CURRENT if "slot.passphrase.a" in slots else KEYS_BACKUP
        _finalise_staged(staged, slots)
        info = BackupInfo(Path(path), parsed.header, verified=True,
                          records_checked=report.records_checked)
        return PreparedRestore(data_dir, info, staging, keys, replaces=live.exists())
    except BaseException:
        _drop_folder(staging)
        raise


def restore_backup(data_dir: Path, path: Path, passphrase: str | None = None,
                   key: bytes | None = None) -> RestoreResult:
    """Verify the backup fully, then replace the journal in ``data_dir`` with it atomically,
    keeping the replaced journal in ``data_dir/replaced-<time>/`` (see :class:`RestoreResult`).

    Raises what :func:`prepare_restore` and :meth:`PreparedRestore.commit` raise; on any
    error the journal in ``data_dir`` is the one that was there.
    """
    return prepare_restore(data_dir, path, passphrase, key).commit()


# ==================================================================== automatic backups


def last_backup(journal: Journal) -> BackupState | None:
    """The record of the last good backup of this journal, if one was made."""
    states = [s for s in journal.records(BackupState) if s.last_good is not None]
    if not states:
        return None
    return max(states, key=lambda s: s.last_good.timestamp() if s.last_good else 0.0)


def record_backup(journal: Journal, info: BackupInfo) -> BackupState:
    """Remember ``info`` as the last good backup (in the vault, encrypted)."""
    states = journal.records(BackupState)
    state = replace(states[0] if states else BackupState(), last_good=info.created,
                    last_file=str(info.path), last_records=info.header.records)
    journal.add_record(state)
    return state


def list_backups(folder: Path, vault_id: bytes | None = None) -> list[tuple[Path, BackupHeader]]:
    """Our backup files in ``folder`` (our name pattern and a sound header; of ``vault_id``
    when given), newest first. Anything else in the folder is not ours and is left alone."""
    found: list[tuple[Path, BackupHeader]] = []
    try:
        names = os.listdir(folder)
    except OSError as exc:
        raise _folder_error(exc) from None
    for name in names:
        if not NAME_RE.match(name):
            continue
        path = Path(folder) / name
        if path.is_symlink() or not path.is_file():
            continue
        try:
            header = read_header(path)
        except JournalError:
            continue
        if vault_id is None or header.vault_id == vault_id:
            found.append((path, header))
    found.sort(key=lambda item: (item[1].created.timestamp(), item[0].name), reverse=True)
    return found


def backups_under_an_old_key(folder: Path, journal: Journal) -> list[tuple[Path, BackupHeader]]:
    """This journal's backups in ``folder`` made before its key was last changed (rotated):
    their tag does not match today's key. They still open with the passphrase and recovery key
    of their day, which is why the app offers to delete them after a rotation. Newest first."""
    key = journal.cipher.data_key
    found: list[tuple[Path, BackupHeader]] = []
    for path, header in list_backups(folder, journal.vault_id):
        try:
            fd = _open_for_reading(path)
            with os.fdopen(fd, "rb") as fh:
                parsed = _parse(fh, os.fstat(fh.fileno()).st_size)
        except (JournalError, OSError):
            continue
        if not _tag_matches(key, parsed):
            found.append((path, header))
    return found


def delete_backups(paths: Iterable[Path]) -> list[Path]:
    """Delete these backup files (only files with our name pattern); returns those deleted."""
    deleted: list[Path] = []
    for path in paths:
        path = Path(path)
        if not NAME_RE.match(path.name) or path.is_symlink():
            continue
        try:
            path.unlink()
            deleted.append(path)
        except OSError:
            continue
    return deleted


def prune_backups(folder: Path, vault_id: bytes, keep: int,
                  protect: Iterable[Path] = ()) -> list[Path]:
    """Delete this vault's backups in ``folder`` beyond the newest ``keep``, and our own stale
    temporary files. Returns what was deleted."""
    if keep < 1:
        raise UsageError("Keep at least one backup.")
    protected = {Path(p).name for p in protect}
    deleted: list[Path] = []
    ours = list_backups(folder, vault_id)
    for path, _header in ours[keep:]:
        if path.name in protected:
            continue
        try:
            path.unlink()
            deleted.append(path)
        except OSError:
            continue
    cutoff = time.time() - STALE_S
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.startswith(_TMP_PREFIX) and name.endswith(_TMP_SUFFIX):
                tmp = Path(folder) / name
                with contextlib.suppress(OSError):
                    if tmp.is_file() and tmp.stat().st_mtime < cutoff:
                        tmp.unlink()
    return deleted


@dataclass(frozen=True)
class BackupRun:
    info: BackupInfo
    pruned: list[Path]


@dataclass(frozen=True)
class BackupPolicy:
    """Automatic backups: to ``folder``, every ``every_days`` calendar days, keeping ``keep``."""

    folder: Path
    every_days: int = 1
    keep: int = 7

    def __post_init__(self) -> None:
        if not 1 <= self.every_days <= 365 or not 1 <= self.keep <= 1000:
            raise UsageError("Back up every 1 to 365 days and keep 1 to 1000 backups.")

    def due(self, when: datetime, last_good: datetime | None) -> bool:
        """Whether a backup is due at ``when``: by calendar days, so "daily" means once each
        day whatever the hour the app is opened. A last backup dated in the future (the clock
        was changed) makes one due too."""
        if last_good is None:
            return True
        today = when.astimezone().date()
        last = last_good.astimezone().date()
        return last > today or (today - last).days >= self.every_days

    def due_for(self, journal: Journal, when: datetime | None = None) -> bool:
        state = last_backup(journal)
        return self.due(when or now(), state.last_good if state else None)

    def run(self, journal: Journal, when: datetime | None = None) -> BackupRun:
        """Make a backup, verify it, record it, then prune this vault's older ones.

        Raises what :func:`create_backup` raises; then nothing was recorded or pruned.
        """
        try:
            present = self.folder.is_dir()
        except OSError:
            present = False
        if not present:  # never a file of that name instead: the folder is a drive unplugged
            raise StorageError("The backup folder is not available; is the drive connected?")
        info = create_backup(journal, self.folder, when)
        record_backup(journal, info)
        pruned = prune_backups(self.folder, journal.vault_id, self.keep, protect=[info.path])
        return BackupRun(info, pruned)


def same_device(a: Path, b: Path) -> bool:
    """Whether two folders are on the same drive (a backup there shares the drive's fate)."""
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


#: With automatic backups on, no good backup for this long earns a gentle warning.
WARN_AFTER_DAYS = 7


def describe_last_backup(last_good: datetime | None, enabled: bool,
                         when: datetime | None = None) -> tuple[str, bool]:
    """A short line for the window ("Last good backup: today at 06:30") and whether it should
    warn: automatic backups are on and none was good for more than WARN_AFTER_DAYS."""
    current = (when or now()).astimezone()
    if last_good is None:
        if enabled:
            return "No good backup yet", True
        return "No backups yet", False
    last = last_good.astimezone()
    days = (current.date() - last.date()).days
    if days <= 0:
        ago = f"today at {last:%H:%M}"
    elif days == 1:
        ago = f"yesterday at {last:%H:%M}"
    elif days < 7:
        ago = f"{days} days ago"
    else:
        ago = f"on {last:%Y-%m-%d}"
    warn = enabled and (current - last).total_seconds() > WARN_AFTER_DAYS * 86400
    return f"Last good backup: {ago}", warn

"""Salvage: copy everything that can still be read from a damaged journal into a new one.

:func:`salvage` opens the damaged journal with its passphrase, reads every row SQLite can still
reach (row by row where pages are damaged: see :mod:`careful`), and writes every record that
still decrypts into a new journal in an empty folder, under a new data key and a new recovery
key (shown once); the passphrase stays. It lists what was lost: the rows on damaged pages (named
by the table's indexes), the rows that no longer decrypt, and what depended on them (the
attachments of a lost entry, an attachment whose image was lost, an image whose attachment was
lost: the new journal verifies clean). Dates of lost records come from what survived: an earlier
version of the record (a revision), or the sealed search index.

The damaged journal is only read, never changed. The new journal is built in a staging folder
beside the chosen one and moved into place when it is complete, so an interrupted salvage
leaves no half journal in the folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from journal_app.core.errors import JournalError, StorageError
from journal_app.core.records import codec
from journal_app.core.records.model import (
    RECORD_KINDS,
    Attachment,
    AttachmentData,
    BackupState,
    Record,
    Revision,
)
from journal_app.core.vault.crypto import OpenError
from journal_app.core.vault.images import image_matches
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.manifest import read_manifest
from journal_app.core.vault.sealedindex import DIRECTORY, LEGACY, open_index, read_directory
from journal_app.core.vault.search import IndexFormatError, SearchIndex
from journal_app.core.vault.store import DB_NAME, StoredRecord


class SalvageTargetError(JournalError):
    """The folder chosen for the rescued journal cannot be used: nothing was written."""

    exit_code = 1
    default_message = (
        "The folder for the rescued journal must be empty or not exist yet; nothing was written."
    )


@dataclass(frozen=True)
class LostRecord:
    id: str
    kind: str  # "unknown" when even the kind could not be read
    date: date | None

    def to_json(self) -> dict[str, str | None]:
        return {"id": self.id, "kind": self.kind,
                "date": self.date.isoformat() if self.date else None}


@dataclass(frozen=True)
class SalvageResult:
    out_dir: Path
    kept: int
    lost: list[LostRecord]
    #: Records the journal counted that could not even be named (their ids are unreadable).
    unidentified: int
    recovery_key: str

    @property
    def complete(self) -> bool:
        return not self.lost and not self.unidentified


Progress = Callable[[int, int], None]


def looks_like_a_database(data_dir: Path) -> bool:
    """Whether the journal file in ``data_dir`` is an SQLite database at all (damaged inside,
    perhaps): only then can a salvage find anything in it."""
    try:
        with open(Path(data_dir) / DB_NAME, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def check_target(data_dir: Path, out_dir: Path) -> Path:
    """The absolute target folder, if it can take the rescued journal.

    Raises:
        SalvageTargetError: it is not empty, is a file, or lies inside the journal's folder.
    """
    src = Path(data_dir).expanduser().absolute()
    out = Path(out_dir).expanduser().absolute()
    if out == src or src in out.parents:
        raise SalvageTargetError(
            "Choose a folder outside the damaged journal's folder for the rescued journal;"
            " nothing was written."
        )
    try:
        if out.exists() or out.is_symlink():
            if not out.is_dir() or out.is_symlink() or any(out.iterdir()):
                raise SalvageTargetError()
        elif not out.parent.is_dir():
            raise SalvageTargetError(
                "The folder for the rescued journal is in a folder that does not exist;"
                " nothing was written."
            )
    except OSError:
        raise SalvageTargetError(
            "The folder for the rescued journal cannot be read; nothing was written."
        ) from None
    return out


def salvage(data_dir: Path, passphrase: str, out_dir: Path,
            progress: Progress | None = None) -> SalvageResult:
    """Rescue what can be read of the journal in ``data_dir`` into a new journal in ``out_dir``.

    Raises:
        SalvageTargetError: ``out_dir`` is not empty (nothing was written).
        WrongPassphraseError: the passphrase does not open the damaged journal.
        VaultDamagedError: the whole file is unusable (its key slots cannot be read).
        StorageError: the new journal could not be written (nothing is left of it).
    """
    out = check_target(data_dir, out_dir)
    with Journal.open(Path(data_dir).expanduser().absolute()) as old:
        old.unlock(passphrase)
        reader = _Reader(old)
        reader.read_small()
        staging = out.parent / f".{out.name}.salvage-{secrets.token_hex(4)}"
        try:
            new, recovery_key = Journal.create(staging, passphrase, kdf=old.kdf_params())
            with new:
                kept = reader.write_to(new, progress)
            _move_into_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        lost = reader.lost_list()
        unidentified = reader.unidentified()
    return SalvageResult(out, kept, lost, unidentified, recovery_key)


def _move_into_place(staging: Path, out: Path) -> None:
    try:
        if out.is_dir():
            out.rmdir()  # empty (checked): the staging folder takes its place
        os.rename(staging, out)
    except OSError:
        raise StorageError(
            "The rescued journal could not be moved into its folder; nothing was written."
        ) from None


class _Reader:
    """What is read of the damaged journal, and what became of each record."""

    def __init__(self, old: Journal) -> None:
        self.old = old
        self.store = old.store
        self.blob_kinds = [k for k, cls in RECORD_KINDS.items() if not cls.EAGER]
        self.records: dict[str, Record] = {}
        self.lost: dict[str, tuple[str, datetime | None]] = {}  # id -> (kind, when)
        self.rows_seen = 0

    # ---------------------------------------------------------------- reading

    def _decode(self, row: StoredRecord) -> Record | None:
        self.rows_seen += 1
        try:
            return self.old.decode_row(row)
        except (OpenError, codec.CodecError, ValueError, TypeError):
            self.lost[row.id] = (row.kind, None)
            return None

    def read_small(self) -> None:
        small = [k for k in RECORD_KINDS if k not in self.blob_kinds]
        for row in self.store.records(small):
            record = self._decode(row)
            if record is not None:
                self.records[record.id] = record
        self.image_ids = [i for i, _k, _v, _s in self.store.id_seqs(self.blob_kinds)]

    # ---------------------------------------------------------------- writing

    def _keep(self, record: Record) -> bool:
        """Whether the record can go into the new journal (what it depends on is kept)."""
        if isinstance(record, BackupState):
            return False  # its backups are of the damaged journal: the new one has none yet
        if isinstance(record, Attachment):
            return record.entry_id in self.records
        return True

    def write_to(self, new: Journal, progress: Progress | None) -> int:
        """Write what is kept: the small records in one transaction, each image in its own
        (one image in memory at a time), then the attachments whose image was written."""
        for record in list(self.records.values()):
            if not self._keep(record):
                self._drop(record)
        attachments = {r.id: r for r in self.records.values() if isinstance(r, Attachment)}
        first = [r for r in self.records.values()
                 if not isinstance(r, Attachment | BackupState)]
        total = len(first) + len(self.image_ids) + len(attachments)
        if first:
            new.add_records(first)
        done = len(first)
        if progress is not None:
            progress(done, total)
        written: set[str] = set()
        for image_id in self.image_ids:
            rows = self.store.records(ids=[image_id])
            image = self._decode(rows[0]) if rows else None
            owner = attachments.get(image.attachment_id) if isinstance(
                image, AttachmentData) else None
            if (isinstance(image, AttachmentData) and owner is not None
                    and image_matches(owner, image)):
                new.add_records([image])
                written.add(image.id)
            elif image is not None:  # an image of no kept attachment, or not its image
                self.lost[image.id] = (image.KIND, owner.created if owner else None)
            # (an unreadable image: the store noted it, and it is listed from there)
            done += 1
            if progress is not None:
                progress(done, total)
        kept_attachments = [a for a in attachments.values() if a.data_id in written]
        for a in attachments.values():
            if a.data_id not in written:
                self._drop(a)
        if kept_attachments:
            new.add_records(kept_attachments)
        kept = len(first) + len(written) + len(kept_attachments)
        if progress is not None:
            progress(total, total)
        return kept

    def _drop(self, record: Record) -> None:
        self.records.pop(record.id, None)
        if not isinstance(record, BackupState):
            self.lost[record.id] = (record.KIND, getattr(record, "created", None))

    # ---------------------------------------------------------------- what was lost

    def _dates(self) -> dict[str, datetime]:
        """When lost records were written, from what survived: the newest revision of each,
        else the sealed search index."""
        found: dict[str, datetime] = {}
        try:
            for record_id, stamp in self._index_times().items():
                with contextlib.suppress(OverflowError, ValueError, OSError):
                    found[record_id] = datetime.fromtimestamp(stamp, UTC)
        except (JournalError, OpenError, IndexFormatError):
            pass  # only a cache
        revisions = sorted((r for r in self.records.values() if isinstance(r, Revision)),
                           key=lambda r: r.saved)
        for revision in revisions:  # the newest last: it wins
            with contextlib.suppress(codec.CodecError, ValueError, TypeError):
                created = getattr(revision.record(), "created", None)
                if isinstance(created, datetime):
                    found[revision.target_id] = created
        return found

    def _index_times(self) -> dict[str, float]:
        """When each record the sealed search index holds was written: its segments (whatever
        opens of them), else the single snapshot of earlier versions."""
        cipher = self.old.cipher
        counter = 2**63 - 1  # any: the index is only read for dates here
        directory = read_directory(cipher, self.store.get_meta([DIRECTORY]).get(DIRECTORY),
                                   counter)
        if directory is not None:
            index = open_index(cipher, directory,
                               lambda name: self.store.get_meta([name]).get(name), counter)
            try:
                return index.created_times()
            finally:
                index.close()
        blob = self.store.get_meta([LEGACY]).get(LEGACY)
        if blob is None:
            return {}
        single = SearchIndex.from_bytes(cipher.open_meta(LEGACY, blob)[1])
        try:
            return single.created_times()
        finally:
            single.close()

    def lost_list(self) -> list[LostRecord]:
        lost = dict(self.lost)
        for record_id, kind in self.store.unreadable.items():
            lost.setdefault(record_id, (kind, None))
        dates = self._dates() if lost else {}
        out = []
        for record_id, (kind, when) in lost.items():
            when = when or dates.get(record_id)
            out.append(LostRecord(record_id, kind or "unknown",
                                  when.astimezone().date() if when else None))
        out.sort(key=lambda r: (r.date or date.min, r.kind, r.id))
        return out

    def unidentified(self) -> int:
        """Records the journal's manifest counts that were neither read nor named."""
        count = self.store.unidentified
        manifest = read_manifest(self.old.cipher,
                                 self.store.get_meta(["manifest"]).get("manifest"))
        if manifest is not None:
            named = self.rows_seen + len(set(self.store.unreadable) - set(self.lost))
            count = max(count, manifest.count - named)
        return max(count, 0)


def lost_lines(lost: Iterable[LostRecord]) -> list[str]:
    """One line per lost record: id, kind, date (for the command line and the app)."""
    return [f"{r.id}  {r.kind:<16} {r.date.isoformat() if r.date else 'date unknown'}"
            for r in lost]

"""Checking a whole journal: the file, the key slots, the manifest and every record, with each
attachment against its image (:meth:`Journal.verify` and ``journal-app verify``).

Problems are plain sentences that name record ids only, never journal text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from journal_app.core.records import codec
from journal_app.core.records.headers import has_header, header_bytes
from journal_app.core.records.model import RECORD_KINDS, Attachment, AttachmentData, Entry, Record
from journal_app.core.vault.crypto import OpenError
from journal_app.core.vault.images import ImageSummary, image_matches
from journal_app.core.vault.manifest import SALVAGE
from journal_app.core.vault.store import ReadTransaction, StoredRecord

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal


@dataclass
class IntegrityReport:
    """The result of :meth:`Journal.verify`. Problems are plain sentences with record ids only."""

    records_checked: int = 0
    problems: list[str] = field(default_factory=list)
    damaged_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(journal: Journal, rx: ReadTransaction) -> IntegrityReport:
    """Check the file, both copies of each key slot, the manifest (as the journal found it in
    ``rx`` just before: ``journal.manifest_problem``) and every record, all in the read
    transaction ``rx``."""
    report = IntegrityReport()
    report.problems.extend(f"SQLite reports: {line}" for line in rx.sqlite_integrity()[:5])
    report.problems.extend(journal.slot_problems(rx))
    if journal.manifest_problem:
        report.problems.append(journal.manifest_problem)
    _verify_rows(journal, rx, report)
    return report


def _verify_rows(journal: Journal, rx: ReadTransaction, report: IntegrityReport) -> None:
    store = journal.store
    found: list[Record | ImageSummary] = []
    for row in _rows_to_verify(rx):
        report.records_checked += 1
        try:
            record = journal.decode_row(row, trusted=False)
        except (OpenError, codec.CodecError):
            report.damaged_ids.append(row.id)
            report.problems.append(
                f"Record {row.id} ({row.kind}) is damaged or was altered and cannot be opened."
            )
            continue
        if row.header is not None and not _header_matches(journal, row, record):
            report.damaged_ids.append(row.id)
            report.problems.append(
                f"Record {row.id} ({row.kind}): its list header is damaged, was altered or"
                " does not match it."
            )
            continue
        if isinstance(record, AttachmentData):
            found.append(ImageSummary.of(record))  # not the bytes: one image in memory
        elif isinstance(record, Attachment | Entry):
            found.append(record)
    for record_id, kind in sorted(store.unreadable.items()):
        report.damaged_ids.append(record_id)
        report.problems.append(
            f"Record {record_id} ({kind or 'kind unknown'}) cannot be read: its part of the"
            " journal's file is damaged."
        )
    if store.unidentified:
        report.problems.append(
            f"{store.unidentified} more record(s) cannot be read or even named: their"
            " part of the journal's file is damaged."
        )
    if store.unreadable or store.unidentified:
        report.problems.append(
            f"'{SALVAGE}' copies everything that can still be read into a new journal."
        )
    report.problems.extend(attachment_problems(found, set(report.damaged_ids)))


def _header_matches(journal: Journal, row: StoredRecord, record: Record) -> bool:
    """Whether the row's sealed list header opens at its row and says what its record says
    (it is what the list shows while the body is not read)."""
    assert row.header is not None
    if not isinstance(record, Entry) or not has_header(row.kind, row.schema_version):
        return False
    try:
        data = journal.cipher.open_header(row.id, row.kind, row.schema_version, row.seq,
                                          row.header)
        return bool(codec.loads(data) == codec.loads(header_bytes(record)))
    except (OpenError, codec.CodecError):
        return False


def _rows_to_verify(rx: ReadTransaction) -> Iterator[StoredRecord]:
    """Every stored row: the small ones together, the images one at a time (a journal of
    photos must not be read into memory whole to be checked)."""
    blob_kinds = {k for k, cls in RECORD_KINDS.items() if not cls.EAGER}
    small: list[str] = []
    blobs: list[str] = []
    for record_id, kind, _v, _s in rx.id_seqs():
        (blobs if kind in blob_kinds else small).append(record_id)
    yield from rx.records(ids=small)
    for record_id in blobs:
        yield from rx.records(ids=[record_id])


def attachment_problems(
    found: Sequence[Record | ImageSummary], damaged: set[str]
) -> list[str]:
    """Attachments without their image or entry, images that do not match their attachment,
    and images that belong to no attachment. Damaged records were reported already."""
    entries = {r.id for r in found if isinstance(r, Entry)}
    blobs = {r.id: r for r in found if isinstance(r, ImageSummary)}
    attachments = {r.id: r for r in found if isinstance(r, Attachment)}
    problems = []
    for a in attachments.values():
        blob = blobs.get(a.data_id)
        if blob is None:
            if a.data_id not in damaged:
                problems.append(f"The image of attachment {a.id} is missing.")
        elif not image_matches(a, blob):
            problems.append(f"The image of attachment {a.id} does not match its checksum.")
        if a.entry_id not in entries and a.entry_id not in damaged:
            problems.append(f"Attachment {a.id} belongs to an entry that is missing.")
    for blob in blobs.values():
        owner = attachments.get(blob.attachment_id)
        if (owner is None or owner.data_id != blob.id) and blob.attachment_id not in damaged:
            problems.append(f"Record {blob.id} is an image that belongs to no attachment.")
    return problems

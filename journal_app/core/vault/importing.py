"""Importing records into a journal, and the one rule for what an import skips as a duplicate.

:func:`duplicates` is the rule; the import itself (:func:`import_records`) and its preview
(:meth:`Journal.import_duplicates`) both apply it, so the preview says exactly what the import
will skip. The functions taking a :class:`~journal_app.core.vault.journal.Journal` are its import
methods (called holding the journal's lock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journal_app.core.errors import InvalidDataError
from journal_app.core.records.model import Attachment, AttachmentData, Entry, Record
from journal_app.core.vault.images import image_matches

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

#: An import reports its progress after this many records (see :meth:`Journal.import_records`).
IMPORT_PROGRESS_EVERY = 50


@dataclass
class ImportResult:
    imported: int = 0
    skipped_duplicates: int = 0


def entry_key(entry: Entry, body: bool = True) -> tuple[str, str, str]:
    """What makes two entries the same to an import: the second they were written, and their
    title and text without the white space around them (without ``body``, the text is left
    out: it is not read)."""
    return (entry.created.isoformat(timespec="seconds"), entry.title.strip(),
            entry.body.strip() if body else "")


def duplicates(
    records: Sequence[Record], stored_ids: Iterable[str], stored_entries: Iterable[Entry]
) -> list[bool]:
    """For each of ``records`` (in their order), whether an import skips it as a duplicate.

    Records are judged entries first, then attachments, then their images (each knows then
    whether its owner was kept). A record is a duplicate when its id is already stored or was
    kept earlier in the import; an entry also when one with the same :func:`entry_key` is
    stored or was kept earlier; an attachment or image also when its entry or attachment was
    skipped.
    """
    ids = set(stored_ids)
    # Stored entries by time and title: a stored body is read only for an imported entry
    # written at the same second under the same title (the bodies are read when used).
    stored: dict[tuple[str, str], list[Entry]] = {}
    for entry in stored_entries:
        stored.setdefault(entry_key(entry, body=False)[:2], []).append(entry)
    keys: set[tuple[str, str, str]] = set()  # of the entries judged earlier in this import
    skipped: set[str] = set()
    flags = [False] * len(records)
    for i in sorted(range(len(records)), key=lambda i: _import_order(records[i])):
        record = records[i]
        duplicate = record.id in ids or _owner_id(record) in skipped
        if not duplicate and isinstance(record, Entry):
            key = entry_key(record)
            duplicate = key in keys or any(
                entry_key(e) == key for e in stored.get(key[:2], ()))
            keys.add(key)
        if duplicate:
            skipped.add(record.id)
        else:
            ids.add(record.id)
        flags[i] = duplicate
    return flags


def stored_duplicates(journal: Journal, records: Sequence[Record]) -> list[bool]:
    """:func:`duplicates` against what ``journal`` holds now."""
    journal.sync()
    stored_ids = [i for i, _k, _v, _s in journal.store.id_seqs()]
    return duplicates(records, stored_ids, journal.records(Entry))


def import_records(
    journal: Journal,
    records: Sequence[Record],
    progress: Callable[[int, int], None] | None = None,
    writing_only: bool = True,
) -> ImportResult:
    """Store ``records`` in ``journal`` in one transaction, skipping :func:`duplicates`.
    Counts leave out attachment images (an attachment and its image are one thing to the user).

    ``progress(done, total)`` is called every :data:`IMPORT_PROGRESS_EVERY` records while
    they are stored (storing costs about a millisecond a record), and once at the end. If it
    raises (the user cancelled), the transaction is rolled back: nothing is imported.

    An import brings the user's own writing only (``writing_only``; the demo journal, made
    by the app itself, is the one caller that stores more): see
    :mod:`journal_app.core.records.importable`.

    Raises:
        InvalidDataError: a record that is not writing, an attachment without its entry or
            its image, or an image that does not match its attachment. Nothing is written
            then.
    """
    if writing_only:
        from journal_app.core.records.importable import split

        _writing, refused = split(records)
        if refused:
            raise InvalidDataError("An import brings your own writing only; nothing was"
                                   " imported.")
    flags = stored_duplicates(journal, records)
    result = ImportResult()
    result.skipped_duplicates = sum(
        dup and not isinstance(r, AttachmentData) for r, dup in zip(records, flags, strict=True))
    fresh = sorted((r for r, dup in zip(records, flags, strict=True) if not dup),
                   key=_import_order)
    _check_attachments(fresh, {e.id for e in journal.records(Entry)})
    if fresh:
        done, total = result.skipped_duplicates, len(records)

        def step() -> None:
            nonlocal done
            done += 1
            if progress is not None and done % IMPORT_PROGRESS_EVERY == 0:
                progress(done, total)

        if progress is not None:
            progress(done, total)
        journal.add_records(fresh, step=step)
    result.imported = sum(not isinstance(r, AttachmentData) for r in fresh)
    if progress is not None:
        progress(len(records), len(records))
    return result


def _import_order(record: Record) -> int:
    return 2 if isinstance(record, AttachmentData) else 1 if isinstance(record, Attachment) else 0


def _owner_id(record: Record) -> str | None:
    if isinstance(record, Attachment):
        return record.entry_id
    if isinstance(record, AttachmentData):
        return record.attachment_id
    return None


def _check_attachments(fresh: Sequence[Record], stored_entries: set[str]) -> None:
    """Refuse an import whose attachments would be broken: one without its entry (here or in
    the import) or without its image, or an image that does not match its attachment."""
    entries = stored_entries | {r.id for r in fresh if isinstance(r, Entry)}
    attachments = {r.id: r for r in fresh if isinstance(r, Attachment)}
    blobs = {r.id: r for r in fresh if isinstance(r, AttachmentData)}
    broken = InvalidDataError(
        "An attachment in the file does not match its image or its entry; nothing was imported."
    )
    for a in attachments.values():
        blob = blobs.get(a.data_id)
        if a.entry_id not in entries or blob is None or not image_matches(a, blob):
            raise broken
    for blob in blobs.values():
        owner = attachments.get(blob.attachment_id)
        if owner is None or owner.data_id != blob.id:
            raise broken

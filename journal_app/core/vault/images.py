"""The images attached to entries, as the journal service stores them, and the one check that
an image is the one its attachment describes.

An attachment is two records: an :class:`~journal_app.core.records.model.Attachment` (small, loaded
at
unlock: name, type, size, SHA-256) and an :class:`~journal_app.core.records.model.AttachmentData`
(the
bytes, decrypted only when the image is shown or saved). :func:`image_matches` is the rule every
reader of an image applies (reading it, importing it, verifying the journal, salvaging it).
What may be attached at all (size, type, name) is :mod:`~journal_app.core.records.attachments`.

The functions taking a :class:`~journal_app.core.vault.journal.Journal` are its attachment methods
(``Journal.add_attachment`` and the rest call them holding the journal's lock).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journal_app.core.errors import VaultDamagedError
from journal_app.core.records import codec
from journal_app.core.records.attachments import check_attachment, clean_name
from journal_app.core.records.model import Attachment, AttachmentData, new_id
from journal_app.core.vault.crypto import OpenError

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal


@dataclass(frozen=True)
class ImageSummary:
    """What is checked of an attachment image, without its bytes: its record id, the attachment
    it names as its owner, its size and its SHA-256 (hex)."""

    id: str
    attachment_id: str
    size: int
    sha256: str

    @classmethod
    def of(cls, image: AttachmentData) -> ImageSummary:
        return cls(image.id, image.attachment_id, len(image.data),
                   hashlib.sha256(image.data).hexdigest())


def image_matches(attachment: Attachment, image: AttachmentData | ImageSummary) -> bool:
    """Whether ``image`` is the image ``attachment`` describes: it is the record the attachment
    points to (``data_id``), it names the attachment as its owner, and its size and SHA-256 are
    the ones recorded. An image that fails this was altered, swapped or forged."""
    found = image if isinstance(image, ImageSummary) else ImageSummary.of(image)
    return (found.id, found.attachment_id, found.size, found.sha256) == (
        attachment.data_id, attachment.id, attachment.size, attachment.sha256)


def add(journal: Journal, entry_id: str, name: str, data: bytes,
        media_type: str | None = None) -> Attachment:
    """See :meth:`Journal.add_attachment`."""
    entry = journal.get_entry(entry_id)
    found = check_attachment(data, media_type)
    blob = AttachmentData(attachment_id=new_id(), data=bytes(data))
    summary = ImageSummary.of(blob)
    attachment = Attachment(
        id=blob.attachment_id, entry_id=entry.id, data_id=blob.id,
        name=clean_name(name, found), media_type=found, size=summary.size,
        sha256=summary.sha256,
    )
    journal.add_records([blob, attachment])
    return attachment


def of_entry(journal: Journal, entry_id: str, *, trash: bool = False) -> list[Attachment]:
    """See :meth:`Journal.attachments`."""
    items = [a for a in journal.records(Attachment)
             if a.entry_id == entry_id and a.in_trash == trash]
    items.sort(key=lambda a: (a.created.timestamp(), a.id))
    return items


def removed(journal: Journal) -> list[Attachment]:
    """See :meth:`Journal.removed_attachments`."""
    items = [a for a in journal.records(Attachment) if a.trashed is not None]
    items.sort(key=lambda a: (a.trashed.timestamp() if a.trashed else 0.0, a.id), reverse=True)
    return items


def data(journal: Journal, id_or_prefix: str) -> bytes:
    """See :meth:`Journal.attachment_data`."""
    attachment = journal.get_attachment(id_or_prefix)
    rows = journal.store.records(ids=[attachment.data_id])
    if not rows or rows[0].kind != AttachmentData.KIND:
        raise VaultDamagedError("The image of that attachment is missing from the journal.")
    try:
        record = journal.decode_row(rows[0])
    except (OpenError, codec.CodecError):
        raise VaultDamagedError(
            "The image of that attachment is damaged or was altered and cannot be opened."
        ) from None
    if not isinstance(record, AttachmentData) or not image_matches(attachment, record):
        raise VaultDamagedError(
            "The image of that attachment does not match its checksum: it was altered."
        )
    return record.data

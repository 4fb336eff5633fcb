"""The trash: entries and attachments the user removed wait there, and can be put back, until
it is emptied; emptying it removes them for good (with the entries' revisions and
attachments). A part of the journal service: ``Journal.delete_entry``, ``restore_entry``,
``remove_attachment``, ``restore_attachment`` and ``empty_trash`` call it holding the journal's
lock. How a removal for good leaves nothing behind: docs/design.md, "Removed for good".
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from journal_app.core.records.model import Attachment, Entry, now
from journal_app.core.vault.revisions import History

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

Trashable = TypeVar("Trashable", Entry, Attachment)


def put(journal: Journal, record: Trashable) -> Trashable:
    """Move ``record`` to the trash (nothing is removed until the trash is emptied); one already
    there is left as it is."""
    if record.in_trash:
        return record
    trashed = replace(record, trashed=now())
    journal.add_records([trashed])
    return trashed


def take_back(journal: Journal, record: Trashable) -> Trashable:
    """Bring ``record`` back from the trash."""
    restored = replace(record, trashed=None)
    journal.add_records([restored])
    return restored


def contents(journal: Journal, history: History) -> tuple[int, list[str]]:
    """What emptying the trash removes: how many entries, and the ids of every record that goes
    (the entries in the trash, their revisions, the attachments removed from their entries and
    those of the entries in the trash, and the images of those attachments)."""
    trashed = [e.id for e in journal.entries(trash=True)]
    entries = set(trashed)
    attachments: list[str] = []
    for a in journal.records(Attachment):
        if a.in_trash or a.entry_id in entries:
            attachments.extend((a.id, a.data_id))
    if not trashed and not attachments:
        return 0, []
    return len(trashed), [*trashed, *history.ids_of(entries), *attachments]

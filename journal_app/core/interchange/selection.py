"""Which records an export holds, and the small text helpers the clear-text formats share.

One rule for every format and both faces (CLI and app): chosen entry ids and a date range pick
entries (reflections are entries); with no choice at all, a ``whole_journal`` format
(journal-app's JSON) holds every record (revisions and the trash too, so it can rebuild the
journal) and the other formats hold every entry in the journal, not the trash. An entry chosen
by its id is exported even from the trash: the user named it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from journal_app.core.errors import UsageError
from journal_app.core.interchange.formats import export_format
from journal_app.core.records.model import Attachment, AttachmentData, Entry, Record

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True)
class Selection:
    """What to export: entry ids (full ids, resolved already) and an inclusive date range."""

    entry_ids: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    @property
    def everything(self) -> bool:
        return not self.entry_ids and self.date_from is None and self.date_to is None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UsageError("The start date is after the end date.")


def resolve_entry_ids(journal: Journal, prefixes: Iterable[str]) -> tuple[str, ...]:
    """Full ids of the entries named by ids or unique prefixes, in the order given, once each.

    Raises:
        UsageError, NotFoundError, AmbiguousIdError: a prefix too short, unknown or ambiguous.
    """
    ids: list[str] = []
    for prefix in prefixes:
        entry_id = journal.get_entry(prefix).id
        if entry_id not in ids:
            ids.append(entry_id)
    return tuple(ids)


def in_range(entry: Entry, selection: Selection) -> bool:
    day = entry.created.date()
    return (selection.date_from is None or day >= selection.date_from) and (
        selection.date_to is None or day <= selection.date_to
    )


def select_entries(journal_entries: Sequence[Entry], trashed: Sequence[Entry],
                   selection: Selection) -> list[Entry]:
    """The chosen entries, oldest first (see the module's rule)."""
    if selection.entry_ids:
        wanted = set(selection.entry_ids)
        pool = [e for e in (*journal_entries, *trashed) if e.id in wanted]
    else:
        pool = list(journal_entries)
    return sort_entries(e for e in pool if in_range(e, selection))


def records_for_export(journal: Journal, format_name: str, selection: Selection) -> list[Record]:
    """The records an export of ``format_name`` writes for ``selection``."""
    if export_format(format_name).whole_journal and selection.everything:
        return journal.all_records()
    entries = journal.whole_entries(
        select_entries(journal.entries(), journal.entries(trash=True), selection))
    return [*entries, *attachments_of(journal, entries)]


def attachments_of(journal: Journal, entries: Iterable[Entry]) -> list[Record]:
    """The attachments (not removed) of ``entries`` and their images, decrypted for the export:
    "exported with it"."""
    out: list[Record] = []
    for entry in entries:
        for attachment in journal.attachments(entry.id):
            out.append(attachment)
            out.append(AttachmentData(id=attachment.data_id, attachment_id=attachment.id,
                                      data=journal.attachment_data(attachment.id)))
    return out


def images_by_entry(records: Iterable[Record]) -> dict[str, list[tuple[Attachment, bytes]]]:
    """``entry id -> [(attachment, bytes)]`` among ``records`` (removed ones left out), in the
    order the attachments were added."""
    data = {r.attachment_id: r.data for r in records if isinstance(r, AttachmentData)}
    out: dict[str, list[tuple[Attachment, bytes]]] = {}
    items = [r for r in records if isinstance(r, Attachment) and not r.in_trash
             and r.id in data]
    for item in sorted(items, key=lambda a: (a.created.timestamp(), a.id)):
        out.setdefault(item.entry_id, []).append((item, data[item.id]))
    return out


def sort_entries(records: Iterable[Record]) -> list[Entry]:
    """The entries (and reflections) among ``records``, oldest first."""
    entries = [r for r in records if isinstance(r, Entry)]
    entries.sort(key=lambda e: (e.created.timestamp(), e.id))
    return entries


def long_date(when: datetime | date) -> str:
    """'Saturday 14 March 2026' in English whatever the process locale (the app sets one)."""
    return f"{_DAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]} {when.year}"


def short_date(when: datetime | date) -> str:
    """'14 March 2026'."""
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def date_span(entries: Sequence[Entry]) -> str:
    """'3 March 2026 to 14 May 2026' (one date for one day; '' for none)."""
    if not entries:
        return ""
    days = sorted(e.created.date() for e in entries)
    first, last = short_date(days[0]), short_date(days[-1])
    return first if first == last else f"{first} to {last}"

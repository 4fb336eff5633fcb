"""The one import-duplicate rule (core/vault/importing.py): what an import skips, and that the
import
preview says exactly that, record by record."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from journal_app.core.records.model import Attachment, AttachmentData, CheckIn, Entry, Record
from journal_app.core.vault.importing import duplicates, entry_key
from journal_app.core.vault.journal import Journal
from tests.helpers.images import png

WHEN = datetime(2024, 3, 1, 18, 30, tzinfo=UTC)


def attached(entry: Entry, data: bytes) -> tuple[Attachment, AttachmentData]:
    image = AttachmentData(attachment_id="a" * 32, data=data)
    attachment = Attachment(id=image.attachment_id, entry_id=entry.id, data_id=image.id,
                            name="note.png", media_type="image/png", size=len(data),
                            sha256=hashlib.sha256(data).hexdigest())
    return attachment, image


def test_preview_marks_the_attachments_of_a_skipped_entry(journal: Journal) -> None:
    """An entry already here (same date and text, another id) is skipped with its attachment and
    image; the preview says so for each of the three, in the order given."""
    journal.add_entry(title="Debrief", body="Notes.", created=WHEN)
    twin = Entry(title="Debrief", body="Notes.", created=WHEN)
    attachment, image = attached(twin, png())
    new = Entry(title="Another", created=WHEN)
    records: list[Record] = [image, attachment, twin, new]
    flags = journal.import_duplicates(records)
    assert flags == [True, True, True, False]
    result = journal.import_records(records)
    assert (result.imported, result.skipped_duplicates) == (1, 2)
    assert journal.records(Attachment) == []


# ---------------------------------------------------------------------------- the rule itself

ENTRY_ID = "1" * 32


def stored() -> Entry:
    return Entry(id=ENTRY_ID, title="Debrief", body="Notes.", created=WHEN)


def test_duplicates_by_id_and_by_date_and_text() -> None:
    same_id = Entry(id=ENTRY_ID, title="Something else")
    same_text = Entry(title=" Debrief", body="Notes.\n", created=WHEN)  # white space aside
    other_second = Entry(title="Debrief", body="Notes.", created=WHEN.replace(second=1))
    other_title = Entry(title="Debrief 2", body="Notes.", created=WHEN)
    flags = duplicates([same_id, same_text, other_second, other_title], [ENTRY_ID], [stored()])
    assert flags == [True, True, False, False]


def test_duplicates_within_the_import_the_first_is_kept() -> None:
    first = Entry(title="a", created=WHEN)
    again = Entry(title="a", created=WHEN)  # same date and text, another id
    same_id = Entry(id=first.id, title="b")
    assert duplicates([first, again, same_id], [], []) == [False, True, True]


def test_duplicates_carry_the_attachments_of_a_skipped_entry_in_any_order() -> None:
    twin = Entry(title="Debrief", body="Notes.", created=WHEN)
    attachment, image = attached(twin, png())
    kept = Entry(title="new", created=WHEN)
    kept_attachment = replace(attachment, id="b" * 32, entry_id=kept.id, data_id="c" * 32)
    kept_image = replace(image, id="c" * 32, attachment_id=kept_attachment.id)
    records: list[Record] = [kept_image, image, kept_attachment, attachment, kept, twin]
    assert duplicates(records, [ENTRY_ID], [stored()]) == [False, True, False, True, False, True]


def test_duplicates_of_other_kinds_go_by_id_only() -> None:
    first = CheckIn(note="fine", created=WHEN)
    same_again = CheckIn(note="fine", created=WHEN)  # same content, another id: not a duplicate
    assert duplicates([first, same_again, first], [], []) == [False, False, True]


def test_entry_key_is_the_second_and_the_trimmed_text() -> None:
    entry = Entry(title=" T ", body="\nB\n", created=WHEN.replace(microsecond=5))
    assert entry_key(entry) == ("2024-03-01T18:30:00+00:00", "T", "B")

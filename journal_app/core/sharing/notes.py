"""A mentor's private notes per student and the log of meetings with them (issue 24): records
in the mentor's own vault (``student-note``), never part of any package or file sent."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from journal_app.core.errors import NotFoundError, ValidationError, describe
from journal_app.core.records.model import ReceivedExcerpt, StudentNote

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal


def student_of(journal: Journal, name_or_fingerprint: str) -> tuple[str, str]:
    """``(name, fingerprint)`` of a student who shared with this journal, by name (any case) or
    fingerprint.

    Raises:
        NotFoundError: nobody by that name or fingerprint shared with this journal.
    """
    wanted = " ".join(name_or_fingerprint.split()).casefold()
    digits = "".join(ch for ch in name_or_fingerprint if ch.isdigit())
    for e in journal.records(ReceivedExcerpt):
        if (e.sender_name.casefold() == wanted
                or (len(digits) == 32 and e.sender_fingerprint.replace(" ", "") == digits)):
            return e.sender_name, e.sender_fingerprint
    raise NotFoundError("No student by that name or fingerprint shared with this journal.")


def add_note(journal: Journal, student: str, text: str, meeting: date | None = None) -> StudentNote:
    """Keep a private note on ``student`` (a fingerprint), or a meeting on ``meeting``'s day.

    Raises:
        ValidationError: an empty or too long note.
    """
    try:
        note = StudentNote(student=student, text=text.strip(),
                           kind="meeting" if meeting else "note",
                           day=meeting.isoformat() if meeting else "")
    except ValueError as exc:
        raise ValidationError(describe(exc)) from None
    journal.add_record(note)
    return note


def notes_for(journal: Journal, student: str) -> list[StudentNote]:
    """The notes and meetings on one student: meetings by day, then notes, newest first."""
    found = [n for n in journal.records(StudentNote) if n.student == student]
    return sorted(found, key=lambda n: (n.day or n.created.date().isoformat(), n.created),
                  reverse=True)


def remove_note(journal: Journal, note_id: str) -> None:
    """Raises: NotFoundError when it is not there (any more)."""
    if not journal.remove_records(StudentNote, [note_id]):
        raise NotFoundError("That note is not in your journal any more.")

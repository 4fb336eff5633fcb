"""The mentor's workspace (issue 24): inbox, read receipts, notes, attestation.

Errors are one sentence and an exit code, as elsewhere.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.cli.base import Add, actions, open_journal
from journal_app.cli.io import EXIT_OK, print_json, say
from journal_app.core.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from journal_app.core.programme import Attestation
    from journal_app.core.vault import Journal

STATUS_CHOICES = ("new", "read", "answered")


def cmd_inbox(args: argparse.Namespace) -> int:
    from journal_app.core import sharing
    from journal_app.core.records import now

    today = now().date()
    with open_journal(args) as journal:
        if args.mark_read:
            sharing.mark_read(journal, args.mark_read)
        items = sharing.inbox_items(journal, today)
        student = None
        if args.student:
            # A student's fingerprint or name as their excerpts carry it (a contact, or not).
            wanted = " ".join(args.student.split()).casefold()
            names = {i.excerpt.sender_name.casefold(): i.excerpt.sender_fingerprint
                     for i in items}
            student = names.get(wanted)
            if student is None:
                student = sharing.find_contact(journal, args.student).fingerprint
    items = sharing.filter_inbox(items, student=student, encounter=args.encounter,
                                      status=args.status)
    if args.json:
        print_json([i.to_json() for i in items])
        return EXIT_OK
    if not items:
        print("Nothing in your inbox." if not (args.student or args.encounter or args.status)
              else "Nothing in your inbox matches.")
        return EXIT_OK
    for i in items:
        e = i.excerpt
        if i.waiting:
            wait = "today" if i.waiting_days == 0 else (
                f"waiting {i.waiting_days} day{'s' if i.waiting_days != 1 else ''}")
        else:
            wait = f"answered {i.answered.isoformat()}" if i.answered else "answered"
        title = e.title or "Untitled"
        print(f"{e.id[:8]}  {i.status:<8}  {wait:<18}  {e.sender_name}: {title}")
    return EXIT_OK


def cmd_receipt(args: argparse.Namespace) -> int:
    """Let a student know you read their excerpts: a read receipt package for them."""
    from journal_app.core.sharing import CANNOT_RECALL, write_receipt

    out = Path(args.out)
    with open_journal(args) as journal:
        written = write_receipt(journal, args.on, out)
    if args.json:
        print_json({"file": str(out), "package_id": written[0].package_id,
                    "student": written[0].contact_name,
                    "read": [{"excerpt_id": r.excerpt_id, "read": r.read.isoformat()}
                             for r in written]})
    else:
        n = len(written)
        print(f"Wrote a read receipt for {written[0].contact_name} ({n} excerpt"
              f"{'s' if n != 1 else ''}) to {out.name}: it says when you opened each, and"
              " holds none of their text.")
    say(CANNOT_RECALL)
    return EXIT_OK


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} is a day as YYYY-MM-DD.") from None


def _say_attestation(attestation: Attestation, json_out: bool, extra: dict[str, Any]) -> None:
    if json_out:
        print_json({**attestation.to_json(), **extra})
        return
    print(attestation.sentence())
    print(f"Mentor:    {attestation.mentor.name}  fingerprint {attestation.mentor.fingerprint}")
    print(f"Programme: {attestation.programme_name}  fingerprint"
          f" {attestation.programme_fingerprint}")
    print(f"Student:   {attestation.student_name}  fingerprint"
          f" {attestation.student_fingerprint}")
    print(f"Signed {attestation.signed.isoformat()}")


def cmd_attestation_create(args: argparse.Namespace) -> int:
    from journal_app.core.files import write_private_file
    from journal_app.core.programme import create_attestation

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    out = Path(args.out)
    with open_journal(args) as journal:
        attestation, data = create_attestation(journal, args.student, start, end,
                                               tuple(args.facet or ()))
    write_private_file(out, data)
    _say_attestation(attestation, args.json, {"file": str(out)})
    if not args.json:
        say(f"Wrote {out.name}: give it to {attestation.student_name}; anyone with journal-app"
            " can verify it against the programme's roster.")
    return EXIT_OK


def _attestation_bytes(path: str) -> bytes:
    from journal_app.core.errors import AttestationInvalidError
    from journal_app.core.files import read_user_file

    return read_user_file(Path(path), 64 * 1024, too_large=AttestationInvalidError(
        "That file is too large to be an attestation."))


def _attestation_file(args: argparse.Namespace,
                      act: Callable[[Journal, bytes], Attestation],
                      extra: dict[str, Any], sentence: str) -> int:
    """Verify or import (``act``) the attestation file ``args.path`` against this journal,
    then say what it attests."""
    data = _attestation_bytes(args.path)
    with open_journal(args) as journal:
        attestation = act(journal, data)
    _say_attestation(attestation, args.json, extra)
    if not args.json:
        print(sentence)
    return EXIT_OK


def cmd_attestation_verify(args: argparse.Namespace) -> int:
    from journal_app.core.programme import verify_attestation

    return _attestation_file(args, verify_attestation, {"valid": True},
                             "Valid: signed by this mentor, who is on the programme's roster.")


def cmd_attestation_import(args: argparse.Namespace) -> int:
    from journal_app.core.programme import import_attestation

    return _attestation_file(args, import_attestation, {"imported": True},
                             "Kept in your journal: the portfolio PDF prints it.")


def cmd_notes(args: argparse.Namespace) -> int:
    """A mentor's private notes on a student and the log of meetings (never sent)."""
    from journal_app.cli.io import read_body
    from journal_app.core import sharing

    meeting = _day(args.meeting, "--meeting") if args.meeting else None
    text = read_body(args.add_file, "note") if args.add_file else None
    if meeting and text is None:
        raise UsageError("Say what the meeting was about with --add-file.")
    with open_journal(args) as journal:
        name, fingerprint = sharing.student_of(journal, args.student)
        if text is not None:
            sharing.add_note(journal, fingerprint, text, meeting)
        notes = sharing.notes_for(journal, fingerprint)
    if args.json:
        print_json([{"id": n.id, "kind": n.kind, "day": n.day or None, "text": n.text,
                     "created": n.created.isoformat()} for n in notes])
        return EXIT_OK
    if text is not None:
        say("Kept in your journal, encrypted; notes are never sent to anyone.")
    if not notes:
        print(f"No notes on {name} yet.")
    for n in notes:
        when = f"meeting {n.day}" if n.kind == "meeting" else f"note {n.created.date()}"
        print(f"{n.id[:8]}  {when}")
        print("    " + n.text.replace("\n", "\n    "))
    return EXIT_OK


def cmd_attestation(args: argparse.Namespace) -> int:
    raise UsageError("Use 'attestation create', 'attestation verify' or 'attestation import'.")


def register(add: Add) -> None:
    p = add("inbox", cmd_inbox, "a mentor's received excerpts across students, what still"
            " waits first (oldest first)")
    p.add_argument("--student", metavar="NAME|FINGERPRINT", help="only this student's")
    p.add_argument("--encounter", metavar="TYPE", help="only this kind of encounter")
    p.add_argument("--status", choices=STATUS_CHOICES, help="only new, read or answered")
    p.add_argument("--mark-read", action="append", metavar="ID",
                   help="mark a received excerpt as read first (repeatable)")

    p = add("receipt", cmd_receipt, "let a student know you read their excerpts: a signed read"
            " receipt only they can open (ids and times, no text)")
    p.add_argument("--on", action="append", required=True, metavar="ID",
                   help="a received excerpt you read (repeatable; one student's)")
    p.add_argument("--out", required=True, metavar="F")

    p = add("notes", cmd_notes, "your private notes on a student and the log of meetings"
            " (kept encrypted, never sent)")
    p.add_argument("--student", required=True, metavar="NAME|FINGERPRINT")
    p.add_argument("--add-file", metavar="F", help="add a note from a file ('-': stdin)")
    p.add_argument("--meeting", metavar="YYYY-MM-DD",
                   help="the note is a meeting on that day (the log of meetings)")

    from journal_app.core.vocabulary import FACET_LABELS

    parent = add("attestation", cmd_attestation, "a mentor's signed attestation of reviewed"
                 " reflections: create, verify, import")
    action = actions(parent, "attestation_command")
    p = action("create", cmd_attestation_create, "sign an attestation for a student (counts"
               " the reflections you answered between the two days)")
    p.add_argument("--student", required=True, metavar="NAME|FINGERPRINT")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--facet", action="append", choices=list(FACET_LABELS), metavar="FACET",
                   help="a facet of competency 4 the reflections showed (repeatable): "
                   + ", ".join(FACET_LABELS))
    p.add_argument("--out", required=True, metavar="F")
    p = action("verify", cmd_attestation_verify, "check an attestation: exit 0 valid, 4 forged"
               " or altered, 1 its mentor on no roster this journal knows")
    p.add_argument("path", metavar="F")
    p = action("import", cmd_attestation_import, "keep an attestation about you (the portfolio"
               " PDF prints it)")
    p.add_argument("path", metavar="F")


"""The mentor's workspace (issue 24): inbox.

Errors are one sentence and an exit code, as elsewhere.
"""

from __future__ import annotations

import argparse

from journal_app.cli.base import Add, open_journal
from journal_app.cli.io import EXIT_OK, print_json

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


def register(add: Add) -> None:
    p = add("inbox", cmd_inbox, "a mentor's received excerpts across students, what still"
            " waits first (oldest first)")
    p.add_argument("--student", metavar="NAME|FINGERPRINT", help="only this student's")
    p.add_argument("--encounter", metavar="TYPE", help="only this kind of encounter")
    p.add_argument("--status", choices=STATUS_CHOICES, help="only new, read or answered")
    p.add_argument("--mark-read", action="append", metavar="ID",
                   help="mark a received excerpt as read first (repeatable)")


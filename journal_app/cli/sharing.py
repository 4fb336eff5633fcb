"""Sharing with a mentor: card, share, receive, shared, feedback.

The rules are the CLI's: errors are one sentence and an exit code (4 for a
refused package or card, 3 for a wrong share passphrase, 2 for a question that needs a
terminal); passphrases come from files or the terminal, never from arguments.

Questions (a fingerprint to confirm, a finding to decide) are asked only when standard input
is a terminal. Without one, ``--yes`` confirms a fingerprint the user compared, and
``--redact-all`` (or its older name ``--accept-all``) redacts every finding; otherwise the
command stops with exit code 2 and nothing is written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.cli.base import Add, actions, open_journal
from journal_app.cli.io import (
    EXIT_OK,
    FILE_HELP,
    ask,
    ask_secret,
    has_terminal,
    interactive,
    print_json,
    read_body,
    read_secret_file,
    read_text,
    say,
    yes_no,
)
from journal_app.core.errors import NotConfirmedError, UsageError

if TYPE_CHECKING:
    from journal_app.core.records import Contact, Feedback, ReceivedExcerpt, SharedLog
    from journal_app.core.sharing import Card, Review, ShareStatus

#: ``--depth`` takes the short names of Wald's REFLECT levels (or the full ids).
DEPTHS = {
    "habitual": "habitual-action",
    "thoughtful": "thoughtful-action",
    "reflection": "reflection",
    "critical": "critical-reflection",
}


def _text_file(path: str | None, what: str) -> str:
    """A note, question, comment or reply file; empty when not given."""
    return read_body(path, what) or ""


def _card_lines(card: Card) -> str:
    return f"{card.name} ({card.role})\n  fingerprint: {card.fingerprint}"


def _confirm_fingerprint(args: argparse.Namespace, intro: str) -> Callable[[Card], bool]:
    """A confirm callback: prints the card and its fingerprint, then asks (or ``--yes``)."""

    def check(card: Card) -> bool:
        if args.yes:
            if not args.json:  # the JSON output carries the fingerprint
                print(f"{intro} {card.name} ({card.role}), fingerprint {card.fingerprint}.")
            return True
        if not interactive():
            raise UsageError(
                f"Confirm the fingerprint first: it is {card.fingerprint}. Compare it with the"
                " one the person reads out to you, then run again with --yes."
            )
        print(intro)
        print(_card_lines(card))
        return yes_no("Does this fingerprint match the one they read out to you? [y/N]: ")

    return check


def _contact_json(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id, "name": contact.name, "role": contact.role,
        "fingerprint": contact.fingerprint, "added": contact.added.isoformat(),
        "confirmed": contact.confirmed,
    }


def _trust_words(trust: str) -> str:
    return "fingerprint not confirmed" if trust == "not confirmed" else trust


def _say_contact_notices(journal: Any) -> None:
    """Contacts no longer confirmed because a stored fingerprint did not match their keys."""
    from journal_app.core.sharing import contact_notices

    for notice in contact_notices(journal):
        say(notice)


# ==================================================================== card


def cmd_card_export(args: argparse.Namespace) -> int:
    from journal_app.core.files import write_private_file
    from journal_app.core.sharing import my_card

    out = Path(args.out)
    name = args.name
    if args.name_file is not None:
        if name is not None:
            raise UsageError("Give --name or --name-file, not both.")
        name = next((line.strip() for line in read_text(args.name_file, "name").splitlines()
                     if line.strip()), "")
    with open_journal(args) as journal:
        card = my_card(journal, name, args.role)
    write_private_file(out, card.to_bytes())
    if args.json:
        print_json({"file": str(out), "name": card.name, "role": card.role,
                     "fingerprint": card.fingerprint})
    else:
        print(f"Wrote your card to {out.name}: {card.name} ({card.role}).")
        print(f"Your fingerprint: {card.fingerprint}")
        say("Give the card to the people you share with, and read them the fingerprint"
             " (in person or by phone) so they can check it.")
    return EXIT_OK


def cmd_card_import(args: argparse.Namespace) -> int:
    from journal_app.core.sharing import import_card, read_package_file

    # Cards are tiny: the package reader's size limit is generous, the card parser's is strict.
    data = read_package_file(Path(args.path))
    with open_journal(args) as journal:
        result = import_card(
            journal, data, _confirm_fingerprint(args, "Card of"), replace_changed=args.replace
        )
    contact = result.contact
    if args.json:
        print_json({**_contact_json(contact), "added_now": result.added,
                     "replaced": result.replaced, "confirmed_now": result.confirmed_now})
    elif result.replaced:
        print(f"Replaced the card of {contact.name}: fingerprint {contact.fingerprint}.")
    elif result.added:
        print(f"Added {contact.name} ({contact.role}) to your contacts.")
    elif result.confirmed_now:
        print(f"Confirmed the fingerprint of {contact.name}: {contact.fingerprint}.")
    else:
        print(f"{contact.name} is already among your contacts (fingerprint"
              f" {contact.fingerprint}).")
    return EXIT_OK


def cmd_card_list(args: argparse.Namespace) -> int:
    from journal_app.core.sharing import card_of, contacts, identity, programme_contacts, trust_of

    with open_journal(args) as journal:
        me = identity(journal)
        mine = card_of(me) if me else None
        people = contacts(journal)
        # Roster mentors of the programme joined that are not contacts of one's own.
        roster = [c for c in programme_contacts(journal)
                  if all(c.fingerprint != p.fingerprint for p in people)]
        trust = {c.id: trust_of(journal, c) for c in [*people, *roster]}
        _say_contact_notices(journal)
    if args.json:
        print_json({
            "me": None if mine is None else {"name": mine.name, "role": mine.role,
                                             "fingerprint": mine.fingerprint},
            "contacts": [{**_contact_json(c), "trust": trust[c.id]} for c in people],
            "programme_mentors": [{"name": c.name, "fingerprint": c.fingerprint,
                                   "trust": trust[c.id]} for c in roster],
        })
        return EXIT_OK
    if mine is None:
        print("You have no card yet ('card export --name NAME --out FILE' makes one).")
    else:
        print(f"Your card: {mine.name} ({mine.role})  fingerprint {mine.fingerprint}")
    if people:
        print("Contacts:")
        for c in people:
            print(f"  {c.name} ({c.role})  {c.fingerprint}  added {c.added.date().isoformat()}"
                  + ("" if c.confirmed else f"  ({_trust_words(trust[c.id])})"))
    else:
        print("No contacts yet ('card import FILE' adds one).")
    for c in roster:
        print(f"  {c.name} (mentor)  {c.fingerprint}  ({trust[c.id]})")
    return EXIT_OK


def cmd_card_remove(args: argparse.Namespace) -> int:
    from journal_app.core.sharing import find_contact, remove_contact

    with open_journal(args) as journal:
        contact = find_contact(journal, args.who)
        if not args.yes:
            if not interactive():
                raise UsageError(f"Say --yes to remove {contact.name} from your contacts.")
            if not yes_no(f"Remove {contact.name} ({contact.fingerprint}) from your"
                           " contacts? [y/N]: "):
                say("Nothing was removed.")
                return EXIT_OK
        remove_contact(journal, contact.id)
    if args.json:
        print_json(_contact_json(contact))
    else:
        print(f"Removed {contact.name} from your contacts. What they sent stays in your journal;"
              " a package from them will ask you to compare the fingerprint again.")
    return EXIT_OK


def cmd_card(args: argparse.Namespace) -> int:
    raise UsageError("Use 'card export', 'card import', 'card list' or 'card remove'.")


# ==================================================================== share


def _review_interactively(review: Review) -> None:
    for index, (ref, finding) in enumerate(review.findings):
        default = review.default_replacement(finding)
        print(f"{index + 1}/{len(review.findings)}  {ref.label()}: {finding.category}"
              f" \u201c{finding.text}\u201d")
        while True:
            answer = ask(f"  [a]ccept (replace with {default}), [i]gnore (keep),"
                           " [c]hange: ").strip().lower()
            if answer in ("", "a", "accept"):
                review.accept(index)
            elif answer in ("i", "ignore"):
                review.ignore(index)
            elif answer in ("c", "change"):
                review.accept(index, ask("  Replace with: "))
            else:
                continue
            break


def cmd_share(args: argparse.Namespace) -> int:
    from journal_app.core.sharing import (
            CANNOT_RECALL,
            Selection,
            draft_share,
            find_contact,
            review_draft,
            write_share,
        )

    selections = [Selection.parse(text) for text in args.entry]
    note = _text_file(args.note_file, "note")
    question = _text_file(args.question_file, "question")
    passphrase = None
    if args.share_passphrase_file:
        passphrase = read_secret_file(args.share_passphrase_file, "share passphrase")
        if not passphrase:
            raise UsageError("The share passphrase must not be empty.")
    if not args.to and not passphrase:
        raise UsageError("Say who it is for: --to NAME or FINGERPRINT, or a"
                         " --share-passphrase-file for a mentor without a card.")
    out = Path(args.out)
    with open_journal(args) as journal:
        to = [find_contact(journal, who) for who in args.to or []]
        draft = draft_share(journal, selections, note, question)
        draft.handout = bool(args.allow_handout)
        # The detectors are imported here, only when a share is being prepared.
        # The user's own list of names (patients, family, staff) is always treated as names.
        review = review_draft(draft, names=journal.deid_names())
        if review.findings and not args.json:
            print(f"Possible identifiers found: {len(review.findings)}")
            if args.accept_all or not interactive():
                for ref, finding in review.findings:
                    print(f"  {ref.label()}: {finding.category} \u201c{finding.text}\u201d"
                          f" -> {review.default_replacement(finding)}")
        if args.accept_all:
            review.accept_all()
        elif review.findings:
            if not interactive():
                raise UsageError(
                    f"{len(review.findings)} possible identifier(s) need a decision: review"
                    " them in a terminal, or pass --redact-all to replace them all."
                    " Nothing was written."
                )
            _review_interactively(review)
        final = review.redacted()
        log = write_share(journal, final, out, to=to, passphrase=passphrase)
    redacted = sum(1 for v in review.decisions.values() if v is not None)
    if args.json:
        print_json({
            "file": str(out), "package_id": log.package_id,
            "recipients": [{"name": r.name, "fingerprint": r.fingerprint}
                           for r in log.recipients],
            "passphrase": log.passphrase, "excerpts": [e.excerpt_id for e in log.excerpts],
            "findings": len(review.findings), "redacted": redacted,
        })
    else:
        whom = ", ".join(r.name for r in log.recipients)
        if log.passphrase:
            whom = (whom + " and " if whom else "") + "whoever has the share passphrase"
        print(f"Wrote {out.name}: {len(log.excerpts)} excerpt(s) for {whom}"
              f" ({redacted} identifier(s) replaced).")
    say(CANNOT_RECALL)
    return EXIT_OK


# ==================================================================== receive


def _share_passphrase_source(args: argparse.Namespace) -> Callable[[], str]:
    def secret() -> str:
        if args.share_passphrase_file:
            return read_secret_file(args.share_passphrase_file, "share passphrase")
        if not has_terminal():
            raise UsageError(
                "This share package is locked with a share passphrase: give it with"
                " --share-passphrase-file, or run in a terminal."
            )
        return ask_secret("Share passphrase: ")

    return secret


def cmd_receive(args: argparse.Namespace) -> int:
    from journal_app.core.sharing import read_package_file, receive

    data = read_package_file(Path(args.path))
    with open_journal(args) as journal:
        try:
            result = receive(
                journal, data,
                confirm=_confirm_fingerprint(
                    args, "First package from this sender:"),
                passphrase=_share_passphrase_source(args),
            )
        except NotConfirmedError:
            raise NotConfirmedError(
                "The sender's fingerprint was not confirmed; nothing was imported."
            ) from None
    sender = result.sender
    if args.json:
        print_json({
            "kind": result.kind, "package_id": result.package.package_id,
            "sender": {"name": sender.name, "role": sender.role,
                       "fingerprint": sender.fingerprint},
            "new_contact": result.new_contact,
            "excerpts": [e.id for e in result.excerpts],
            "feedback": [f.id for f in result.feedback],
            "receipts": [r.id for r in result.receipts],
        })
    elif result.kind == "share":
        print(f"Received {len(result.excerpts)} excerpt(s) from {sender.name}"
              f" (shared {result.package.sent_on}); 'shared list' shows them.")
    elif result.kind == "receipt":
        print(f"{sender.name} read {len(result.receipts)} excerpt(s) you shared; 'shared list'"
              " shows each share as sent, read or answered.")
    else:
        print(f"Received feedback from {sender.name} on {len(result.feedback)} excerpt(s);"
              " 'shared list' shows it beside your entries.")
    return EXIT_OK


# ==================================================================== shared list


def _excerpt_json(e: ReceivedExcerpt) -> dict[str, Any]:
    return {
        "id": e.id, "package_id": e.package_id, "excerpt_id": e.excerpt_id,
        "sender": e.sender_name, "fingerprint": e.sender_fingerprint, "title": e.title,
        "text": e.text, "year": e.year, "encounter": e.encounter, "sent_on": e.sent_on,
        "received": e.received.isoformat(), "handout": e.handout,
    }


def _day_or_none(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _log_json(log: SharedLog, status: ShareStatus) -> dict[str, Any]:
    return {
        "id": log.id, "package_id": log.package_id, "created": log.created.isoformat(),
        "status": status.status, "sent": status.sent_on.isoformat(),
        "read": _day_or_none(status.read_on), "answered": _day_or_none(status.answered_on),
        "read_count": status.read, "answered_count": status.answered,
        "handout": log.handout,
        "recipients": [{"name": r.name, "fingerprint": r.fingerprint} for r in log.recipients],
        "passphrase": log.passphrase, "note": log.note, "question": log.question,
        "excerpts": [{"excerpt_id": e.excerpt_id, "entry_id": e.entry_id, "title": e.title,
                      "text": e.text, "start": e.start, "end": e.end,
                      "status": status.excerpts[e.excerpt_id].status,
                      "read": _day_or_none(status.excerpts[e.excerpt_id].read),
                      "answered": _day_or_none(status.excerpts[e.excerpt_id].answered)}
                     for e in log.excerpts],
    }


def _feedback_json(f: Feedback) -> dict[str, Any]:
    return {
        "id": f.id, "direction": f.direction, "feedback_id": f.feedback_id,
        "entry_id": f.entry_id, "excerpt_id": f.excerpt_id,
        "share_package_id": f.share_package_id, "contact": f.contact_name,
        "fingerprint": f.contact_fingerprint, "comment": f.comment, "reply": f.reply,
        "depth": f.depth, "created": f.created.isoformat(),
        "received": f.received.isoformat() if f.received else None,
    }


def cmd_shared_list(args: argparse.Namespace) -> int:
    from journal_app.core.records import ReceivedPackage
    from journal_app.core.sharing import feedback, received_excerpts, share_statuses

    with open_journal(args) as journal:
        received = received_excerpts(journal)
        packages = {p.package_id: p for p in journal.records(ReceivedPackage)}
        statuses = share_statuses(journal)
        notes = feedback(journal)
    logs = [s.log for s in statuses]
    if args.json:
        print_json({
            "received": [_excerpt_json(e) for e in received],
            "packages": [{"package_id": p.package_id, "kind": p.kind, "sender": p.sender_name,
                          "fingerprint": p.sender_fingerprint, "sent_on": p.sent_on,
                          "received": p.received.isoformat(), "note": p.note,
                          "question": p.question}
                         for p in sorted(packages.values(), key=lambda p: p.received)],
            "shared": [_log_json(s.log, s) for s in statuses],
            "feedback": [_feedback_json(f) for f in notes],
        })
        return EXIT_OK
    if received:
        print("Shared with you:")
        sender = None
        for e in received:
            if e.sender_fingerprint != sender:
                sender = e.sender_fingerprint
                print(f"  From {e.sender_name}:")
            title = e.title or e.text.strip().split("\n", 1)[0][:60]
            print(f"    {e.id[:8]}  shared {e.sent_on}  {title}")
    if logs:
        print("You shared:")
        for status in statuses:
            log = status.log
            whom = ", ".join(r.name for r in log.recipients) or "share passphrase"
            print(f"  {log.created.date().isoformat()}  with {whom}:"
                  f" {len(log.excerpts)} excerpt(s)")
            print(f"    {status.summary(date.isoformat)}")
    if notes:
        print("Feedback:")
        for f in notes:
            arrow = "to" if f.direction == "written" else "from"
            depth = f"  depth: {f.depth}" if f.depth else ""
            print(f"  {f.id[:8]}  {arrow} {f.contact_name} on entry {f.entry_id[:8]}{depth}")
            for line in (f.comment, f.reply):
                if line:
                    print("    " + line.replace("\n", "\n    "))
    if not (received or logs or notes):
        print("Nothing shared or received yet.")
    return EXIT_OK


def cmd_shared(args: argparse.Namespace) -> int:
    raise UsageError("Use 'shared list'.")


# ==================================================================== feedback


def feedback_parts(text: str, ids: list[str]) -> dict[str, str]:
    """The comment for each excerpt id of ``--on``: a body file may hold one part per excerpt,
    each after a line ``--- ID`` (an id as given to --on); text before the first such line
    goes to every excerpt. Without such lines, the whole text goes to every excerpt."""
    common: list[str] = []
    parts: dict[str, list[str]] = {}
    current = common
    for line in text.splitlines():
        marker = line.strip()
        if marker.startswith("--- ") and marker[4:].strip() in ids:
            current = parts.setdefault(marker[4:].strip(), [])
            continue
        current.append(line)
    head = "\n".join(common).strip()
    out = {}
    for excerpt_id in ids:
        own = "\n".join(parts.get(excerpt_id, [])).strip()
        out[excerpt_id] = "\n\n".join(p for p in (head, own) if p)
    return out


def cmd_feedback(args: argparse.Namespace) -> int:
    from journal_app.core.sharing import CANNOT_RECALL, FeedbackPart, write_feedback_package

    depth = None
    if args.depth is not None:
        depth = DEPTHS.get(args.depth, args.depth)
        if depth not in DEPTHS.values():
            raise UsageError("--depth is one of habitual, thoughtful, reflection, critical.")
    ids: list[str] = args.on
    comments = feedback_parts(_text_file(args.body_file, "feedback"), ids)
    reply = _text_file(args.reply_file, "reply")
    out = Path(args.out)
    with open_journal(args) as journal:
        written = write_feedback_package(journal, [
            FeedbackPart(i, comments[i], reply, depth) for i in ids], out)
    if args.json:
        if len(written) == 1:
            print_json({**_feedback_json(written[0]), "file": str(out),
                        "package_id": written[0].package_id})
        else:
            print_json({"file": str(out), "package_id": written[0].package_id,
                        "feedback": [_feedback_json(f) for f in written]})
    else:
        on = "" if len(written) == 1 else f" on {len(written)} excerpts"
        print(f"Wrote feedback for {written[0].contact_name}{on} to {out.name}.")
    say(CANNOT_RECALL)
    return EXIT_OK


# ==================================================================== handout


def cmd_handout(args: argparse.Namespace) -> int:
    """One entry as a de-identified, printable handout for a reflection round, through the
    same review as a share package."""
    from journal_app.core.interchange import export_format
    from journal_app.core.records import Entry
    from journal_app.core.sharing import Selection, draft_share, handout_draft, review_draft

    if args.accept_all and args.keep_all:
        raise UsageError("Give --redact-all or --keep-all, not both.")
    out = Path(args.out)
    with open_journal(args) as journal:
        if args.excerpt:
            draft = handout_draft(journal, args.excerpt)
        else:
            draft = draft_share(journal, [Selection.parse(args.entry)])
        review = review_draft(draft, names=journal.deid_names())
    if review.findings and not args.json:
        print(f"Possible identifiers found: {len(review.findings)}")
        if args.accept_all or args.keep_all or not interactive():
            for ref, finding in review.findings:
                what = "kept" if args.keep_all else f"-> {review.default_replacement(finding)}"
                print(f"  {ref.label()}: {finding.category} \u201c{finding.text}\u201d {what}")
    if args.accept_all:
        review.accept_all()
    elif args.keep_all:
        for index in range(len(review.findings)):
            review.ignore(index)
    elif review.findings:
        if not interactive():
            raise UsageError(
                f"{len(review.findings)} possible identifier(s) need a decision: review them in"
                " a terminal, or pass --redact-all (or --keep-all). Nothing was written.")
        _review_interactively(review)
    final = review.redacted().excerpts[0]
    # Printed from memory: the reviewed text is never stored, and no date or name is printed.
    sheet = Entry(title=final.title, body=final.text)
    export_format("handout").exporter().write([sheet], out)
    redacted = sum(1 for v in review.decisions.values() if v is not None)
    if args.json:
        print_json({"file": str(out), "findings": len(review.findings), "redacted": redacted})
    else:
        say(f"Wrote {out.name}: a handout for a reflection round ({redacted} identifier(s)"
            " replaced). It is NOT encrypted: print it, then delete the file.")
    return EXIT_OK


# ==================================================================== parser


def register(add: Add) -> None:
    card = add("card", cmd_card, "your mentor card and your contacts' cards")
    action = actions(card, "card_command")
    p = action("export", cmd_card_export, "write your card (name, role, public keys) to a file")
    p.add_argument("--out", required=True, metavar="F")
    p.add_argument("--name", help="the name shown to the people you share with")
    p.add_argument("--name-file", metavar="F",
                   help=f"read that name from the first line of a file; {FILE_HELP}")
    p.add_argument("--role", choices=["student", "mentor"])
    p = action("import", cmd_card_import, "add a contact from their card (shows the fingerprint)")
    p.add_argument("path", metavar="F")
    p.add_argument("--yes", action="store_true",
                   help="you compared the fingerprint with the person: do not ask")
    p.add_argument("--replace", action="store_true",
                   help="replace a contact whose card changed (after checking the fingerprint)")
    action("list", cmd_card_list, "show your card and your contacts")
    p = action("remove", cmd_card_remove, "remove a contact (what they sent stays)")
    p.add_argument("who", metavar="NAME|FINGERPRINT")
    p.add_argument("--yes", action="store_true", help="do not ask")

    p = add("share", cmd_share, "write an encrypted share package of entries for a mentor"
            " (a sent file cannot be recalled)")
    p.add_argument("--to", action="append", metavar="NAME|FINGERPRINT",
                   help="a contact (repeatable)")
    p.add_argument("--entry", action="append", required=True, metavar="ID[:START-END]",
                   help="an entry, or characters START to END of its text (repeatable)")
    p.add_argument("--out", required=True, metavar="F")
    p.add_argument("--note-file", metavar="F", help="a note for the mentor")
    p.add_argument("--question-file", metavar="F", help="a question for the mentor")
    p.add_argument("--share-passphrase-file", metavar="F",
                   help="lock with a one-off share passphrase (for a mentor without a card)")
    p.add_argument("--redact-all", "--accept-all", dest="accept_all", action="store_true",
                   help="replace every possible identifier found with its category, without"
                   " asking (as export --redact-all does)")
    p.add_argument("--allow-handout", action="store_true",
                   help="let your mentor make a de-identified handout of these excerpts for a"
                   " reflection round (recorded in the package and your share log)")

    p = add("receive", cmd_receive, "import a share or feedback package")
    p.add_argument("path", metavar="F")
    p.add_argument("--share-passphrase-file", metavar="F")
    p.add_argument("--yes", action="store_true",
                   help="you compared the sender's fingerprint: do not ask")

    shared = add("shared", cmd_shared, "what was shared with you, and what you shared")
    actions(shared, "shared_command")("list", cmd_shared_list,
                                      "received excerpts, your shares and feedback")

    p = add("handout", cmd_handout, "one entry as a de-identified, printable handout for a"
            " reflection round (Balint groups, Schwartz Rounds), reviewed as a share is")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--entry", metavar="ID[:START-END]",
                       help="the entry, or characters START to END of its text")
    which.add_argument("--excerpt", metavar="ID",
                       help="a mentor: an excerpt a student shared with you, if they agreed"
                       " to a handout of it (shared with --allow-handout)")
    p.add_argument("--out", required=True, metavar="F.pdf")
    p.add_argument("--redact-all", dest="accept_all", action="store_true",
                   help="replace every possible identifier found with its category")
    p.add_argument("--keep-all", action="store_true",
                   help="keep every possible identifier found as written (you checked it)")

    p = add("feedback", cmd_feedback, "write feedback on a received excerpt, as a package"
            " for the student (a sent file cannot be recalled)")
    p.add_argument("--on", required=True, action="append", metavar="ID",
                   help="a received excerpt (repeatable: excerpts of one student, one package)")
    p.add_argument("--body-file", required=True, metavar="F",
                   help="your comments ('-': stdin); for several excerpts, a line '--- ID'"
                   " starts the part for that excerpt (text before it goes to each)")
    p.add_argument("--reply-file", metavar="F", help="a reply to the student's question")
    p.add_argument("--depth", metavar="LEVEL",
                   help="REFLECT depth: habitual, thoughtful, reflection or critical")
    p.add_argument("--out", required=True, metavar="F")

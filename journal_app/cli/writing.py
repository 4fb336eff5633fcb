"""Writing: add, edit, list, show, search, attach, attachment, delete, restore, trash, revisions.

The entry commands. ``add`` reads the body from ``--body-file``, ``--fields-file`` or standard
input; ``search`` is the only command that asks for the search index at unlock.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from journal_app.cli.base import (
    Add,
    actions,
    check_emotions,
    checkin_json,
    checkin_line,
    invalid,
    keep_own_emotions,
    later,
    open_journal,
    parse_day,
    parse_when,
)
from journal_app.cli.base import emotions as parse_emotions
from journal_app.cli.io import EXIT_OK, FILE_HELP, PROG, print_json, read_body, read_text, say
from journal_app.core.errors import UsageError

if TYPE_CHECKING:
    from journal_app.core.records import Entry
    from journal_app.core.vault import Journal

R = TypeVar("R")

DEFAULT_TEXT_LIMIT = 20


#: How a person ends what they type on a terminal.
END_OF_TEXT = "Ctrl+Z then Enter" if os.name == "nt" else "Ctrl+D"


def _body_file(path: str | None, editing: bool) -> str | None:
    """The body: ``--body-file``; when adding without one, standard input (on a terminal, after
    saying how to end the text)."""
    if path is None and not editing:
        if sys.stdin.isatty():
            say(f"Type your entry; end with {END_OF_TEXT}.")
        path = "-"
    return read_body(path, "body")


#: The fields of ``--fields-file``: the flags' names, and what each holds.
_FIELD_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "title": (lambda v: type(v) is str, "text"),
    "tag": (lambda v: type(v) is list and all(type(t) is str for t in v), "a list of texts"),
    "emotion": (lambda v: type(v) is list and all(type(t) is str for t in v),
                "a list of texts like \"sadness:4\""),
    "own-emotion": (lambda v: type(v) is list and all(type(t) is str for t in v),
                    "a list of texts like \"raw:4\""),
    "mood": (lambda v: type(v) is int, "a whole number"),
    "energy": (lambda v: type(v) is int, "a whole number"),
    "stress": (lambda v: type(v) is int, "a whole number"),
    "encounter": (lambda v: type(v) is str, "text"),
    "date": (lambda v: type(v) is str, "a date written like 2026-03-14T18:30"),
    "star": (lambda v: type(v) is bool, "true or false"),
    "unstar": (lambda v: type(v) is bool, "true or false"),
    "body": (lambda v: type(v) is str, "text"),
}


def _apply_fields_file(args: argparse.Namespace, editing: bool) -> str | None:
    """Put the fields of ``--fields-file`` into ``args`` as if they were flags; return the body
    it holds (None when it holds none). Every check comes before the journal is opened.

    Raises:
        UsageError: the file cannot be read or is not one JSON object of known fields with
            values of the right kind, or a field is given on the command line too.
    """
    from journal_app.core.records import ENCOUNTER_TYPES

    if args.fields_file == "-" and args.body_file == "-":
        raise UsageError("Only one of --fields-file and --body-file can read standard input.")
    text = read_text(args.fields_file, "fields")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"The fields file is not valid JSON (line {exc.lineno}).") from None
    except (ValueError, RecursionError):
        raise UsageError("The fields file is not valid JSON.") from None
    if not isinstance(doc, dict):
        raise UsageError('The fields file must hold one JSON object, like {"title": "..."}.')
    known = [k for k in _FIELD_KINDS if editing or k != "unstar"]
    for name, value in doc.items():
        if name not in known:
            raise UsageError(f"The fields file holds a field journal-app does not know; the "
                             f"fields are: {', '.join(known)}.")
        check, kind = _FIELD_KINDS[name]
        if not check(value):
            raise UsageError(f"In the fields file, {name} must be {kind}.")
        if name == "encounter" and value not in (*ENCOUNTER_TYPES, *([""] if editing else [])):
            raise UsageError(f"In the fields file, encounter must be one of: "
                             f"{', '.join(ENCOUNTER_TYPES)}.")
        flag = "body-file" if name == "body" else name
        given = getattr(args, flag.replace("-", "_"))
        if not (given is None or given is False or given == []):
            raise UsageError(f"--{flag} is given both on the command line and in the fields "
                             "file; give it once.")
        if name != "body":
            setattr(args, flag.replace("-", "_"), value)
    body = doc.get("body")
    return body if isinstance(body, str) else None


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.KIND,
        "title": entry.title,
        "created": entry.created.isoformat(),
        "updated": entry.updated.isoformat(),
        "tags": list(entry.tags),
        "starred": entry.starred,
        "emotions": [{"name": e.name, "intensity": e.intensity} for e in entry.emotions],
        "mood": entry.mood,
        "energy": entry.energy,
        "stress": entry.stress,
        "encounter": entry.encounter,
        "prompt_ids": list(entry.prompt_ids),
        "links": list(entry.links),
        "trashed": entry.trashed.isoformat() if entry.trashed else None,
        "body": entry.body,
    }


def _entry_line(entry: Entry) -> str:
    star = "*" if entry.starred else " "
    tags = " ".join(f"#{t}" for t in entry.tags)
    when = entry.created.strftime("%Y-%m-%d %H:%M")
    return f"{entry.id[:8]}  {when} {star} {entry.display_title()}" + (f"  {tags}" if tags else "")


def _print_entry(entry: Entry) -> None:
    out = [f"{entry.display_title()}", f"id:       {entry.id}"]
    out.append(f"created:  {entry.created.isoformat(timespec='minutes')}")
    if entry.updated != entry.created:
        out.append(f"updated:  {entry.updated.isoformat(timespec='minutes')}")
    if entry.tags:
        out.append("tags:     " + ", ".join(entry.tags))
    if entry.emotions:
        out.append("emotions: " + ", ".join(f"{e.name} {e.intensity}/5" for e in entry.emotions))
    for label, value in (("mood", entry.mood), ("energy", entry.energy), ("stress", entry.stress)):
        if value is not None:
            shown = f"{value}/10" if label == "stress" else f"{value:+d}"
            out.append(f"{label + ':':9} {shown}")
    if entry.encounter:
        out.append(f"encounter: {entry.encounter}")
    if entry.starred:
        out.append("starred")
    if entry.trashed:
        out.append(f"in trash since {entry.trashed.isoformat(timespec='minutes')}")
    print("\n".join(out) + "\n\n" + entry.body)


def _entry_fields(args: argparse.Namespace, editing: bool) -> dict[str, Any]:
    file_body = _apply_fields_file(args, editing) if args.fields_file else None
    fields: dict[str, Any] = {}
    if args.title is not None:
        fields["title"] = args.title
    if args.tag or not editing:
        fields["tags"] = list(args.tag or [])
    if args.emotion or args.own_emotion or not editing:
        fields["emotions"] = parse_emotions([*(args.emotion or []), *(args.own_emotion or [])])
    for name in ("mood", "energy", "stress"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = value
    if args.encounter is not None:
        fields["encounter"] = args.encounter or None
    if args.date is not None:
        fields["created"] = parse_when(args.date)
    if args.star:
        fields["starred"] = True
    if getattr(args, "unstar", False):
        fields["starred"] = False
    body = file_body if file_body is not None else _body_file(args.body_file, editing)
    if body is not None:
        fields["body"] = body
    return fields


def cmd_add(args: argparse.Namespace) -> int:
    from journal_app.core.records import Entry

    fields = _entry_fields(args, editing=False)
    try:
        entry = Entry(**fields)
    except ValueError as exc:
        raise invalid(exc) from None
    with open_journal(args) as journal:
        check_emotions(journal, [e.name for e in parse_emotions(args.emotion or [])])
        entry = journal.add_entry(entry)
        keep_own_emotions(journal, parse_emotions(args.own_emotion or []))
    if args.json:
        print_json([entry_json(entry)])
    else:
        print(entry.id)
    _offer_support(entry)
    return EXIT_OK


def _offer_support(entry: Any) -> None:
    """After a save whose words speak of wanting to die or of harming oneself (English phrases,
    matched here and now; nothing about it is kept), one calm line on standard error pointing
    to the support lines, as the app offers its support panel."""
    from journal_app.core.practice import crisis_sentence, system_country, text_is_severe

    if any(text_is_severe(text) for text in (entry.title, entry.body) if text):
        say(crisis_sentence(system_country()) + f" '{PROG} support' lists the lines.")


def cmd_edit(args: argparse.Namespace) -> int:
    fields = _entry_fields(args, editing=True)
    with open_journal(args) as journal:
        if args.emotion:  # the words already on the entry may stay
            check_emotions(journal, [e.name for e in parse_emotions(args.emotion)],
                           allowed=[e.name for e in journal.get_entry(args.id).emotions])
        entry = journal.edit_entry(args.id, **fields)
        keep_own_emotions(journal, parse_emotions(args.own_emotion or []))
    if args.json:
        print_json([entry_json(entry)])
    else:
        print(entry.id)
    _offer_support(entry)
    return EXIT_OK


def _limit(args: argparse.Namespace) -> int | None:
    if args.limit is not None:
        if args.limit < 1:
            raise UsageError("--limit takes a number of at least 1.")
        return int(args.limit)
    return None if args.json else DEFAULT_TEXT_LIMIT


def cmd_list(args: argparse.Namespace) -> int:
    limit = _limit(args)
    with open_journal(args) as journal:
        entries = journal.entries()
        entries = entries if limit is None else entries[:limit]
        if args.json:  # with their bodies, read before the journal is locked
            entries = journal.whole_entries(entries, skip_damaged=True)
        damaged = len(journal.damaged)
    if damaged:
        say(f"Warning: {damaged} record(s) are damaged and not listed. Run '{PROG} verify'.")
    if args.json:
        print_json([entry_json(e) for e in entries])
    else:
        for entry in entries:
            print(_entry_line(entry))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from journal_app.core.errors import NotFoundError
    from journal_app.core.records import CheckIn, Entry, Record
    from journal_app.core.sharing import feedback_for_entry

    with open_journal(args) as journal:
        record = journal.get(args.id, Record)
        if isinstance(record, CheckIn):  # a check-in's id (as `checkin` printed it)
            if args.json:
                print_json([checkin_json(record)])
            else:
                print(checkin_line(record))
            return EXIT_OK
        if not isinstance(record, Entry):
            raise NotFoundError("That id is not an entry or a check-in.")
        (entry,) = journal.whole_entries([record])  # its body, read while unlocked
        attachments = journal.attachments(entry.id)
        feedback = feedback_for_entry(journal, entry.id)
    if args.json:
        print_json([{**entry_json(entry), "attachments": [attachment_json(a)
                                                          for a in attachments],
                      "feedback": [{"from": f.contact_name, "comment": f.comment,
                                    "reply": f.reply, "depth": f.depth,
                                    "created": f.created.isoformat()} for f in feedback]}])
    else:
        _print_entry(entry)
        _print_attachments(attachments)
        for f in feedback:  # beside the entry, as in the app
            print(f"\nFeedback from {f.contact_name} ({f.created:%d %b %Y}):")
            for label, text in (("", f.comment), ("Reply: ", f.reply)):
                if text:
                    print(f"  {label}{text}")
            if f.depth:
                print(f"  Depth of reflection: {f.depth.replace('-', ' ')}")
    return EXIT_OK


# ==================================================================== attachments


def attachment_json(attachment: Any) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "entry_id": attachment.entry_id,
        "name": attachment.name,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "created": attachment.created.isoformat(),
    }


def _print_attachments(attachments: Sequence[Any]) -> None:
    if not attachments:
        return
    from journal_app.core.records import format_size

    print(f"\nattachments ({len(attachments)}):")
    for a in attachments:
        print(f"  {a.id[:8]}  {a.name}  ({format_size(a.size)}, {a.media_type})")


def cmd_attach(args: argparse.Namespace) -> int:
    from journal_app.core.files import read_user_file
    from journal_app.core.records import MAX_ATTACHMENT_BYTES, check_size

    path = Path(args.file)
    # check_size before reading: a huge file is refused at once, in the attachment's words.
    data = read_user_file(path, MAX_ATTACHMENT_BYTES, check_size=check_size, error=UsageError)
    with open_journal(args) as journal:
        attachment = journal.add_attachment(args.id, path.name, data)
    if args.json:
        print_json(attachment_json(attachment))
    else:
        print(attachment.id)
    return EXIT_OK


def cmd_attachment_save(args: argparse.Namespace) -> int:
    from journal_app.core.files import write_private_file

    out = Path(args.out)
    with open_journal(args) as journal:
        data = journal.attachment_data(args.attachment_id)
    write_private_file(out, data)
    say(f"Wrote {out.name}. This file is NOT encrypted: keep it safe.")
    return EXIT_OK


def _move(args: argparse.Namespace, move: Callable[[Journal], R],
          said: Callable[[R], str]) -> int:
    """Move one record to or from the trash, then say so."""
    with open_journal(args) as journal:
        moved = move(journal)
    print(said(moved))
    return EXIT_OK


def cmd_attachment_remove(args: argparse.Namespace) -> int:
    return _move(args, lambda journal: journal.remove_attachment(args.attachment_id),
                 lambda a: f"Moved attachment {a.id[:8]} to the trash"
                           f" ('{PROG} attachment restore {a.id[:8]}' brings it back).")


def cmd_attachment_restore(args: argparse.Namespace) -> int:
    return _move(args, lambda journal: journal.restore_attachment(args.attachment_id),
                 lambda a: f"Restored attachment {a.id[:8]}.")


def cmd_search(args: argparse.Namespace) -> int:
    from journal_app.core.vault import SearchFilters

    tags: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()
    if args.tag or args.emotion:
        # The record model only when a label is given: imported before the key derivation
        # starts (open_journal), it delayed every search by its import.
        from journal_app.core.records import normalise_label

        tags = tuple(normalise_label(t) for t in args.tag or [])
        emotions = tuple(normalise_label(e) for e in args.emotion or [])
    filters = SearchFilters(
        tags=tags,
        emotions=emotions,
        encounter=args.encounter,
        date_from=parse_day(args.date_from) if args.date_from else None,
        date_to=parse_day(args.date_to) if args.date_to else None,
        starred=True if args.starred else None,
    )
    if (args.query is None) == (args.query_file is None):
        raise UsageError("Give the words to search for, or --query-file, not both."
                         if args.query is not None else
                         "Give the words to search for, or --query-file F.")
    query = args.query if args.query is not None else read_text(args.query_file, "query")
    with open_journal(args, want_index=True) as journal:
        results = journal.search(query.strip(), filters, limit=_limit(args))
        if args.json:  # the bodies printed, read before the journal is locked
            whole = {e.id: e for e in journal.whole_entries(
                [entry for _hit, entry in results], skip_damaged=True)}
            results = [(hit, whole[entry.id]) for hit, entry in results if entry.id in whole]
    if args.json:
        out = []
        for hit, entry in results:
            item = entry_json(entry)
            item["snippet"] = hit.marked("**", "**")
            item["score"] = hit.score
            out.append(item)
        print_json(out)
    else:
        bold = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**")
        for hit, entry in results:
            print(_entry_line(entry))
            if hit.snippet:
                print("    " + hit.marked(*bold))
        if not results:
            say("No entries match.")
    return EXIT_OK


def cmd_attachment(args: argparse.Namespace) -> int:
    raise UsageError(f"Say what to do: '{PROG} attachment save|remove|restore ATTACHMENT_ID'.")


def cmd_delete(args: argparse.Namespace) -> int:
    return _move(args, lambda journal: journal.delete_entry(args.id),
                 lambda e: f"Moved {e.id[:8]} to the trash"
                           f" ('{PROG} restore {e.id[:8]}' brings it back).")


def cmd_restore(args: argparse.Namespace) -> int:
    return _move(args, lambda journal: journal.restore_entry(args.id),
                 lambda e: f"Restored {e.id[:8]}.")


def _emptied_text(entries: int, attachments: int) -> str:
    """What emptying the trash removed, counted in plain words."""
    parts = []
    if entries:
        parts.append(f"{entries} {'entry' if entries == 1 else 'entries'}")
    if attachments:
        parts.append(f"{attachments} {'attachment' if attachments == 1 else 'attachments'}")
    if not parts:
        return "The trash was already empty."
    return f"Removed {' and '.join(parts)} from the trash for good."


def cmd_trash(args: argparse.Namespace) -> int:
    with open_journal(args) as journal:
        if args.empty:
            attachments = len(journal.removed_attachments())
            count = journal.empty_trash()
            print(_emptied_text(count, attachments))
            return EXIT_OK
        entries = journal.entries(trash=True)
        if args.json:
            entries = journal.whole_entries(entries, skip_damaged=True)
    if args.json:
        print_json([entry_json(e) for e in entries])
    else:
        for entry in entries:
            print(_entry_line(entry))
        if not entries:
            say("The trash is empty.")
    return EXIT_OK


def cmd_revisions(args: argparse.Namespace) -> int:
    with open_journal(args) as journal:
        revisions = journal.revisions(args.id)
        items = [(r, r.record()) for r in revisions]
    if args.json:
        from journal_app.core.records import Entry as EntryType

        print_json(
            [
                {"revision": r.id, "saved": r.saved.isoformat(),
                 **(entry_json(e) if isinstance(e, EntryType) else {})}
                for r, e in items
            ]
        )
    else:
        for r, _e in items:
            print(f"{r.id[:8]}  saved {r.saved.isoformat(timespec='minutes')}")
    return EXIT_OK


def entry_options(parser: argparse.ArgumentParser, editing: bool) -> None:
    from journal_app.core.records import ENCOUNTER_TYPES

    parser.add_argument("--title")
    tag_help = "repeatable" + (" (replaces the tags)" if editing else "")
    parser.add_argument("--tag", action="append", help=tag_help)
    parser.add_argument("--emotion", action="append", metavar="NAME[:1-5]",
                        help="repeatable; a listed emotion or one of your own words")
    parser.add_argument("--own-emotion", action="append", metavar="NAME[:1-5]",
                        help="repeatable; a word of your own, kept as such from then on")
    parser.add_argument("--mood", type=int, metavar="-5..5")
    parser.add_argument("--energy", type=int, metavar="-5..5")
    parser.add_argument("--stress", type=int, metavar="0..10")
    encounters = [*ENCOUNTER_TYPES, ""] if editing else list(ENCOUNTER_TYPES)
    parser.add_argument("--encounter", choices=encounters)
    parser.add_argument("--date", metavar="ISO", help="when it happened, e.g. 2026-03-14T18:30")
    parser.add_argument("--star", action="store_true")
    if editing:
        parser.add_argument("--unstar", action="store_true")
    parser.add_argument(
        "--body-file", metavar="F",
        help="the Markdown text ('-' for standard input)"
        + ("" if editing else "; standard input when not given"),
    )
    fields = "title, tag, emotion, own-emotion, mood, energy, stress, encounter, date, star, " + (
        "unstar, body" if editing else "body")
    parser.add_argument(
        "--fields-file", metavar="F|-",
        help=f"a JSON object with the same fields as these options ({fields}; tag and the "
        f"emotions are lists), e.g. {{\"title\": \"Night shift\", \"tag\": [\"nights\"]}}; "
        f"{FILE_HELP}",
    )


def _add_options(parser: argparse.ArgumentParser) -> None:
    entry_options(parser, editing=False)


def _edit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    entry_options(parser, editing=True)


def register(add: Add) -> None:
    # The encounter types are the model's: add's and edit's options are added when used.
    later(add("add", cmd_add, "add an entry"), _add_options)
    later(add("edit", cmd_edit, "change an entry (the old version is kept as a revision)"),
          _edit_options)
    p = add("list", cmd_list, "list entries, newest first")
    p.add_argument("--limit", type=int)
    p = add("show", cmd_show, "show one entry (or one check-in, with its note)")
    p.add_argument("id")
    p = add("search", cmd_search, "search the text of entries (words ANDed, \"quoted phrases\")")
    p.add_argument("query", nargs="?", help="the words (or use --query-file)")
    p.add_argument("--query-file", metavar="F|-", help=f"read the words from a file; {FILE_HELP}")
    p.add_argument("--tag", action="append")
    p.add_argument("--emotion", action="append")
    p.add_argument("--encounter")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--starred", action="store_true")
    p.add_argument("--limit", type=int)
    p = add("attach", cmd_attach, "attach an image (PNG, JPEG, GIF, WebP, HEIC) to an entry")
    p.add_argument("id", help="the entry")
    p.add_argument("file")
    p = add("attachment", cmd_attachment, "save, remove or restore an attachment")
    action = actions(p, "action")
    for name, func, text in (
        ("save", cmd_attachment_save, "write the image to a file (NOT encrypted)"),
        ("remove", cmd_attachment_remove, "move an attachment to the trash"),
        ("restore", cmd_attachment_restore, "bring a removed attachment back"),
    ):
        q = action(name, func, text)
        q.add_argument("attachment_id")
        if name == "save":
            q.add_argument("--out", required=True, metavar="F")
    p = add("delete", cmd_delete, "move an entry to the trash")
    p.add_argument("id")
    p = add("restore", cmd_restore, "bring an entry back from the trash")
    p.add_argument("id")
    p = add("trash", cmd_trash, "list the trash, or empty it")
    p.add_argument("--empty", action="store_true", help="remove what is in the trash for good")
    p = add("revisions", cmd_revisions, "list earlier versions of an entry")
    p.add_argument("id")

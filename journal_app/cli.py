"""The command line, over the same service as the desktop app.

Every command that needs the vault reads the passphrase from ``--passphrase-file`` (or
``JOURNAL_APP_PASSPHRASE_FILE``), else asks on the terminal; never from an argument. Errors are one
plain sentence on stderr and an exit code: 0 ok, 1 other failure, 2 usage, 3 wrong passphrase or
recovery key, 4 damaged or invalid data. Heavy modules are imported only by the commands that
need them, so ``journal-app add`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .core.errors import JournalError, UsageError, ValidationError

if TYPE_CHECKING:
    from .core.journal import Journal
    from .core.model import Entry

PROG = "journal-app"
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
DEFAULT_TEXT_LIMIT = 20


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one plain sentence and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message[:1].upper()}{message[1:]} (see '{PROG} --help').")


# ==================================================================== passphrases


def _read_secret_file(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            line = fh.readline()
    except FileNotFoundError:
        raise UsageError(f"The {what} file does not exist.") from None
    except (OSError, UnicodeDecodeError):
        raise UsageError(f"The {what} file cannot be read.") from None
    return unicodedata.normalize("NFC", line.rstrip("\r\n"))


def _has_terminal() -> bool:
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return sys.stdin.isatty() and os.name == "nt"


def _ask(prompt: str) -> str:
    import getpass

    return unicodedata.normalize("NFC", getpass.getpass(prompt))


def _passphrase(args: argparse.Namespace) -> str:
    path = args.passphrase_file or os.environ.get("JOURNAL_APP_PASSPHRASE_FILE")
    if path:
        return _read_secret_file(path, "passphrase")
    if not _has_terminal():
        raise UsageError(
            "No passphrase given: use --passphrase-file or JOURNAL_APP_PASSPHRASE_FILE,"
            " or run in a terminal."
        )
    return _ask("Passphrase: ")


def _new_passphrase(path: str | None, what: str = "new passphrase") -> str:
    if path:
        value = _read_secret_file(path, what)
    elif _has_terminal():
        value = _ask("New passphrase: ")
        if _ask("Type it again: ") != value:
            raise UsageError("The two passphrases differ; nothing was changed.")
    else:
        raise UsageError(f"No {what} given: use --new-passphrase-file, or run in a terminal.")
    if not value:
        raise UsageError("The passphrase must not be empty.")
    return value


# ==================================================================== parsing values


def _parse_when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError("Dates are written like 2026-03-14 or 2026-03-14T18:30.") from None
    return value if value.tzinfo else value.astimezone()


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError("Dates for --from and --to are written like 2026-03-14.") from None


def _emotions(values: Sequence[str]) -> list[Any]:
    from .core.model import Emotion

    out = []
    for value in values:
        try:
            out.append(Emotion.parse(value))
        except ValueError as exc:
            raise ValidationError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
    return out


def _read_body(path: str | None, required: bool) -> str | None:
    if path == "-" or (path is None and required and not sys.stdin.isatty()):
        data = sys.stdin.buffer.read()
    elif path is None:
        return None if not required else ""
    else:
        try:
            data = Path(path).read_bytes()
        except OSError:
            raise UsageError("The body file cannot be read.") from None
    try:
        return data.decode("utf-8").removesuffix("\n")
    except UnicodeDecodeError:
        raise UsageError("The body text is not UTF-8.") from None


#: Why the --*-file options exist, for their --help.
FILE_HELP = ("'-' for standard input. Text in a file stays off the command line, which other "
             "users of this computer can read while the command runs, and out of your shell "
             "history")


def _read_text(path: str, what: str) -> str:
    """The UTF-8 text of ``path`` (``-``: standard input), for the --*-file options."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise UsageError(f"The {what} file does not exist.") from None
        except OSError:
            raise UsageError(f"The {what} file cannot be read.") from None
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"The {what} file is not UTF-8 text.") from None


#: The fields of ``--fields-file``: the flags' names, and what each holds.
_FIELD_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "title": (lambda v: type(v) is str, "text"),
    "tag": (lambda v: type(v) is list and all(type(t) is str for t in v), "a list of texts"),
    "emotion": (lambda v: type(v) is list and all(type(t) is str for t in v),
                "a list of texts like \"sadness:4\""),
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
    from .core.model import ENCOUNTER_TYPES

    if args.fields_file == "-" and args.body_file == "-":
        raise UsageError("Only one of --fields-file and --body-file can read standard input.")
    text = _read_text(args.fields_file, "fields")
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
            setattr(args, name, value)
    body = doc.get("body")
    return body if isinstance(body, str) else None


# ==================================================================== output


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


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


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


def _say(text: str) -> None:
    print(text, file=sys.stderr)


# ==================================================================== commands


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir:
        # Absolute: the key derivation opens the slot file by URI, which needs one.
        return Path(args.data_dir).expanduser().absolute()
    from .core.paths import default_data_dir

    return default_data_dir()


def _open(args: argparse.Namespace, want_index: bool = False, warn: bool = True) -> Journal:
    return _open_with_passphrase(args, want_index, warn)[0]


def _open_with_passphrase(args: argparse.Namespace, want_index: bool = False,
                          warn: bool = True) -> tuple[Journal, str]:
    """The journal, unlocked, and the passphrase that unlocked it."""
    from .core.quickopen import start_unlock

    data_dir = _data_dir(args)
    passphrase = _passphrase(args)
    # Argon2id (and, with the key, the manifest check and the index snapshot) on the other
    # core ...
    pending = start_unlock(data_dir, passphrase, want_index)
    from .core.backup import tidy
    from .core.journal import Journal  # ... while SQLAlchemy is imported here

    journal = Journal.open(data_dir)
    journal.unlock(passphrase, pending.result() if pending else None)
    # What an interrupted restore or backup staged (nothing, almost always). After the unlock:
    # the prefetch has finished reading, and an interrupted swap is left to the app or the
    # next backup command (they hold the vault alone for it).
    tidy(data_dir)
    if journal.manifest_problem and warn:
        hint = f"{PROG} verify --repair" if journal.read_only else f"{PROG} verify"
        _say(f"Warning: {journal.manifest_problem} Run '{hint}'.")
    return journal, passphrase


def cmd_init(args: argparse.Namespace) -> int:
    from .core.journal import Journal

    data_dir = _data_dir(args)
    if Journal.exists(data_dir):
        from .core.errors import VaultExistsError

        raise VaultExistsError()
    path = args.passphrase_file or os.environ.get("JOURNAL_APP_PASSPHRASE_FILE")
    passphrase = _new_passphrase(path, "passphrase")
    journal, recovery_key = Journal.create(data_dir, passphrase)
    journal.close()
    if args.json:
        _print_json({"data_dir": str(data_dir), "recovery_key": recovery_key})
    else:
        print(f"Created a journal in {data_dir}.")
        print("Your recovery key (shown once; store it somewhere safe, away from this computer):")
        print(f"\n    {recovery_key}\n")
    return EXIT_OK


def _entry_fields(args: argparse.Namespace, editing: bool) -> dict[str, Any]:
    file_body = _apply_fields_file(args, editing) if args.fields_file else None
    fields: dict[str, Any] = {}
    if args.title is not None:
        fields["title"] = args.title
    if args.tag or not editing:
        fields["tags"] = list(args.tag or [])
    if args.emotion or not editing:
        fields["emotions"] = _emotions(args.emotion or [])
    for name in ("mood", "energy", "stress"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = value
    if args.encounter is not None:
        fields["encounter"] = args.encounter or None
    if args.date is not None:
        fields["created"] = _parse_when(args.date)
    if args.star:
        fields["starred"] = True
    if getattr(args, "unstar", False):
        fields["starred"] = False
    body = file_body if file_body is not None else _read_body(args.body_file,
                                                                 required=not editing)
    if body is not None:
        fields["body"] = body
    return fields


def cmd_add(args: argparse.Namespace) -> int:
    from .core.model import Entry

    fields = _entry_fields(args, editing=False)
    try:
        entry = Entry(**fields)
    except ValueError as exc:
        raise ValidationError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
    with _open(args) as journal:
        journal.add_entry(entry)
    if args.json:
        _print_json([entry_json(entry)])
    else:
        print(entry.id)
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    fields = _entry_fields(args, editing=True)
    with _open(args) as journal:
        entry = journal.edit_entry(args.id, **fields)
    if args.json:
        _print_json([entry_json(entry)])
    else:
        print(entry.id)
    return EXIT_OK


def _limit(args: argparse.Namespace) -> int | None:
    if args.limit is not None:
        if args.limit < 1:
            raise UsageError("--limit takes a number of at least 1.")
        return int(args.limit)
    return None if args.json else DEFAULT_TEXT_LIMIT


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        entries = journal.entries()
        damaged = len(journal.damaged)
    if damaged:
        _say(f"Warning: {damaged} record(s) are damaged and not listed. Run '{PROG} verify'.")
    limit = _limit(args)
    entries = entries if limit is None else entries[:limit]
    if args.json:
        _print_json([entry_json(e) for e in entries])
    else:
        for entry in entries:
            print(_entry_line(entry))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from .core.sharing import feedback_for_entry

    with _open(args) as journal:
        entry = journal.get_entry(args.id)
        attachments = journal.attachments(entry.id)
        feedback = feedback_for_entry(journal, entry.id)
    if args.json:
        _print_json([{**entry_json(entry), "attachments": [attachment_json(a)
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
    from .core.attachments import format_size

    print(f"\nattachments ({len(attachments)}):")
    for a in attachments:
        print(f"  {a.id[:8]}  {a.name}  ({format_size(a.size)}, {a.media_type})")


def cmd_attach(args: argparse.Namespace) -> int:
    from .core.attachments import check_size

    path = Path(args.file)
    try:
        check_size(path.stat().st_size)  # before reading: a huge file is refused at once
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise UsageError("That file does not exist.") from None
    except OSError:
        raise UsageError("That file cannot be read.") from None
    with _open(args) as journal:
        attachment = journal.add_attachment(args.id, path.name, data)
    if args.json:
        _print_json(attachment_json(attachment))
    else:
        print(attachment.id)
    return EXIT_OK


def cmd_attachment_save(args: argparse.Namespace) -> int:
    from .core.files import write_private_file

    out = Path(args.out)
    with _open(args) as journal:
        data = journal.attachment_data(args.attachment_id)
    write_private_file(out, data)
    _say(f"Wrote {out.name}. This file is NOT encrypted: keep it safe.")
    return EXIT_OK


def cmd_attachment_remove(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        attachment = journal.remove_attachment(args.attachment_id)
    print(f"Moved attachment {attachment.id[:8]} to the trash"
          f" ('{PROG} attachment restore {attachment.id[:8]}' brings it back).")
    return EXIT_OK


def cmd_attachment_restore(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        attachment = journal.restore_attachment(args.attachment_id)
    print(f"Restored attachment {attachment.id[:8]}.")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from .core.model import normalise_label
    from .core.search import SearchFilters

    filters = SearchFilters(
        tags=tuple(normalise_label(t) for t in args.tag or []),
        emotions=tuple(normalise_label(e) for e in args.emotion or []),
        encounter=args.encounter,
        date_from=_parse_day(args.date_from) if args.date_from else None,
        date_to=_parse_day(args.date_to) if args.date_to else None,
        starred=True if args.starred else None,
    )
    if (args.query is None) == (args.query_file is None):
        raise UsageError("Give the words to search for, or --query-file, not both."
                         if args.query is not None else
                         "Give the words to search for, or --query-file F.")
    query = args.query if args.query is not None else _read_text(args.query_file, "query")
    with _open(args, want_index=True) as journal:
        results = journal.search(query.strip(), filters, limit=_limit(args))
    if args.json:
        out = []
        for hit, entry in results:
            item = entry_json(entry)
            item["snippet"] = hit.marked("**", "**")
            item["score"] = hit.score
            out.append(item)
        _print_json(out)
    else:
        bold = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**")
        for hit, entry in results:
            print(_entry_line(entry))
            if hit.snippet:
                print("    " + hit.marked(*bold))
        if not results:
            _say("No entries match.")
    return EXIT_OK


def _usage_attachment() -> int:
    raise UsageError(f"Say what to do: '{PROG} attachment save|remove|restore ATTACHMENT_ID'.")


def cmd_delete(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        entry = journal.delete_entry(args.id)
    print(f"Moved {entry.id[:8]} to the trash ('{PROG} restore {entry.id[:8]}' brings it back).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        entry = journal.restore_entry(args.id)
    print(f"Restored {entry.id[:8]}.")
    return EXIT_OK


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
    with _open(args) as journal:
        if args.empty:
            attachments = len(journal.removed_attachments())
            count = journal.empty_trash()
            print(_emptied_text(count, attachments))
            return EXIT_OK
        entries = journal.entries(trash=True)
    if args.json:
        _print_json([entry_json(e) for e in entries])
    else:
        for entry in entries:
            print(_entry_line(entry))
        if not entries:
            _say("The trash is empty.")
    return EXIT_OK


def cmd_revisions(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        revisions = journal.revisions(args.id)
        items = [(r, r.record()) for r in revisions]
    if args.json:
        from .core.model import Entry as EntryType

        _print_json(
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


def _review_export(args: argparse.Namespace, journal: Journal, records: Sequence[Any],
                   feedback: dict[str, str]) -> tuple[list[Any], dict[str, str], Any]:
    """The de-identification review of an export meant for other eyes: every finding is
    replaced (--redact-all), kept (--keep-all), or listed and nothing is written (exit 2)."""
    from .core.export_review import apply_texts, review_export

    review = review_export(records, args.format, journal.deid_names(), feedback)
    if review.findings and not (args.redact_all or args.keep_all):
        if args.json:
            _print_json({"format": args.format, "written": 0, "findings": [
                {"entry": ref.entry_id, "part": ref.part, "category": f.category,
                 "text": f.text} for ref, f in review.findings]})
        else:
            # Only what is needed to decide: where, the kind, the words found; no context.
            print(f"Possible identifiers found: {len(review.findings)}")
            for ref, f in review.findings:
                print(f"  entry {ref.entry_id[:8]}, {ref.label()}: {f.category}"
                      f" \u201c{_escape_line(f.text)}\u201d")
        raise UsageError(
            f"{len(review.findings)} possible identifier(s) need a decision: pass --redact-all"
            " to replace each with its category, or --keep-all to keep them as written."
            " Nothing was written."
        )
    if args.redact_all:
        review.redact_all()
    else:
        review.keep_all()
    out, new_feedback = apply_texts(records, review.results(), feedback)
    return out, new_feedback, review


def cmd_export(args: argparse.Namespace) -> int:
    from .core.export_review import JSON_NOT_REVIEWED, is_reviewed
    from .core.interchange import EXPORTERS
    from .core.interchange.selection import Selection, records_for_export, resolve_entry_ids

    out = Path(args.out)
    date_from = _parse_day(args.date_from) if args.date_from else None
    date_to = _parse_day(args.date_to) if args.date_to else None
    if args.redact_all and not is_reviewed(args.format):
        raise UsageError("A JSON export is a copy of your own journal and is never redacted;"
                         " --redact-all is for pdf, html and markdown.")
    skipped = 0
    review = None
    with _open(args) as journal:
        selection = Selection(resolve_entry_ids(journal, args.entry or ()), date_from, date_to)
        records = records_for_export(journal, args.format, selection)
        damaged = len(journal.damaged)
        if not records and not (args.format == "json" and selection.everything):
            raise UsageError("No entries match that choice; nothing was written.")
        if is_reviewed(args.format):
            feedback = _portfolio_feedback(args, journal)
            records, feedback, review = _review_export(args, journal, records, feedback)
        if args.format == "pdf":
            count = _export_portfolio(args, journal, records, out, feedback)
        else:
            exporter = EXPORTERS[args.format]()
            count = exporter.write(records, out)
            skipped = getattr(exporter, "skipped", 0)
    what = "records" if args.format == "json" and selection.everything else "entries"
    if review is None:
        _say(JSON_NOT_REVIEWED)
    elif review.findings and not args.json:
        done = review.redacted()
        _say(f"Replaced {done} possible identifier(s) with their category." if done else
             f"Kept {len(review.findings)} possible identifier(s) as written.")
    elif not args.json:
        _say("No identifiers were found. Read it yourself before you hand it in: no detector"
             " is complete.")

    if damaged:
        _say(f"Warning: {damaged} damaged record(s) cannot be read and were left out."
             f" Run '{PROG} verify'.")
    if args.json:
        data: dict[str, Any] = {"format": args.format, "written": count,
                                "skipped_existing": skipped}
        if review is not None:
            data.update(findings=len(review.findings), redacted=review.redacted())
        _print_json(data)
    elif args.format == "markdown":
        kept = f" ({skipped} already there were left as they were)" if skipped else ""
        _say(f"Wrote {count} {what} to the folder {out.name}{kept}. "
             "These files are NOT encrypted: keep them safe.")
    else:
        _say(f"Wrote {count} {what} to {out.name}. This file is NOT encrypted: keep it safe.")
    return EXIT_OK


def _portfolio_feedback(args: argparse.Namespace, journal: Journal) -> dict[str, str]:
    """The mentor feedback a portfolio PDF prints an excerpt of (none for other formats)."""
    if args.format != "pdf" or args.no_feedback:
        return {}
    from .core.sharing import portfolio_feedback

    return portfolio_feedback(journal)


def _export_portfolio(args: argparse.Namespace, journal: Journal, records: Sequence[Any],
                      out: Path, feedback: dict[str, str]) -> int:
    """The portfolio PDF: the only command that starts Qt (an offscreen QGuiApplication)."""
    from .core.custom import library_with_custom
    from .core.prompts import load_library
    from .ui.portfolio import PortfolioPdfExporter, ensure_gui_application

    name = args.name if args.name is not None else journal.app_state().portfolio_name
    app = ensure_gui_application()  # kept referenced while the PDF is laid out
    exporter = PortfolioPdfExporter(name=name, feedback=feedback,
                                    library=library_with_custom(load_library(), journal))
    count = exporter.write(records, out)
    del app
    return count


def cmd_import(args: argparse.Namespace) -> int:
    from .core.importable import skipped_notes
    from .core.interchange import IMPORTERS

    importer = IMPORTERS[args.format]()
    records = importer.parse(Path(args.path))
    with _open(args) as journal:
        result = journal.import_records(records)
    for note in importer.notes() + skipped_notes(importer.skipped()):
        _say(note)
    if args.json:
        # not_imported: records left out because an import brings your own writing only.
        _print_json({"imported": result.imported, "skipped_duplicates": result.skipped_duplicates,
                     "not_imported": importer.skipped()})
    else:
        print(
            f"Imported {result.imported} records; skipped {result.skipped_duplicates}"
            " already in the journal."
        )
    return EXIT_OK


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    rotate = args.rotate_key or args.exposed
    with _open(args) as journal:
        new = _new_passphrase(args.new_passphrase_file)
        if not rotate:
            journal.change_passphrase(new)
        else:
            key = journal.rotate_key(new, progress=_rotation_progress())
    if not rotate:
        if args.json:
            _print_json({"changed": True, "key_rotated": False})
        else:
            print("The passphrase was changed.")
        return EXIT_OK
    _print_rotated(args, key, "The passphrase was changed and every record was re-encrypted "
                   "under a new key.")
    return EXIT_OK


ROTATION_LIMITS = (
    "Backups and copies of the journal made before now still open with the old passphrase and "
    "recovery key: make a new backup ('journal-app backup create'), then delete the older ones "
    "and any other copies you keep."
)


def _rotation_progress() -> Callable[[int, int], None] | None:
    """Progress on the terminal (standard error) for a long rotation; nothing in scripts."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\rRe-encrypting: {done:,} of {total:,} records", end=end, file=sys.stderr,
              flush=True)

    return show


def _print_rotated(args: argparse.Namespace, key: str, what: str) -> None:
    if args.json:
        _print_json({"changed": True, "key_rotated": True, "recovery_key": key})
        return
    print(what)
    print("Your new recovery key (the old one no longer works; store this one safely):")
    print(f"\n    {key}\n")
    print(ROTATION_LIMITS)


def cmd_recover(args: argparse.Namespace) -> int:
    from .core.journal import Journal

    if args.recovery_key_file:
        key_text = _read_secret_file(args.recovery_key_file, "recovery key")
    elif _has_terminal():
        key_text = _ask("Recovery key: ")
    else:
        raise UsageError("No recovery key given: use --recovery-key-file, or run in a terminal.")
    with Journal.open(_data_dir(args)) as journal:
        journal._data_key_from_recovery(key_text)  # check the key before asking for a passphrase
        new = _new_passphrase(args.new_passphrase_file)
        journal.recover(key_text, new)
    print("Recovered: the journal now opens with the new passphrase.")
    return EXIT_OK


def cmd_new_recovery_key(args: argparse.Namespace) -> int:
    journal, passphrase = _open_with_passphrase(args)
    with journal:
        key = journal.new_recovery_key(passphrase, progress=_rotation_progress())
    if args.json:
        _print_json({"recovery_key": key})
        return EXIT_OK
    _print_rotated(args, key, "Every record was re-encrypted under a new key.")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    repaired = False
    with _open(args, warn=False) as journal:  # verify reports the manifest itself
        report = journal.verify()
        if args.repair:
            from .cli_repair import repair

            repaired = repair(args, journal, report)
            if repaired:
                report = journal.verify()
        read_only = journal.read_only
    if args.json:
        _print_json(
            {
                "ok": report.ok,
                "records_checked": report.records_checked,
                "damaged_ids": report.damaged_ids,
                "problems": report.problems,
                "repaired": repaired,
            }
        )
    elif report.ok:
        print(f"The journal is intact: {report.records_checked} records checked.")
    else:
        for problem in report.problems:
            _say(problem)
        if read_only:
            _say(f"The journal is read-only until you run '{PROG} verify --repair'.")
    return EXIT_OK if report.ok else 4


def _ask_number(question: str, lo: float, hi: float, whole: bool = True) -> float | None:
    """Ask on the terminal until the answer is empty (skipped) or a number in range."""
    while True:
        text = input(f"{question} [{lo:g}..{hi:g}, Enter to skip]: ").strip()
        if not text:
            return None
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            print("Please type a number, or press Enter to skip.")
            continue
        if lo <= value <= hi:
            return value
        print(f"Please type a number from {lo:g} to {hi:g}.")


def cmd_checkin(args: argparse.Namespace) -> int:
    from .core.model import ENCOUNTER_TYPES, CheckIn

    interactive = sys.stdin.isatty() and None in (
        args.mood, args.energy, args.stress, args.burnout
    )
    mood, energy, stress, burnout = args.mood, args.energy, args.stress, args.burnout
    emotions = _emotions(args.emotion or [])
    sleep, encounter, good_moment = args.sleep, args.encounter, bool(args.good_moment)
    if interactive:
        from .core.prompts import load_library

        library = load_library()
        print("A 30-second check-in. Press Enter to skip any question.")
        if mood is None:
            mood = _ask_number("Mood, from very low (-5) to very good (+5)", -5, 5)
        if energy is None:
            energy = _ask_number("Energy, from drained (-5) to full (+5)", -5, 5)
        if stress is None:
            stress = _ask_number("Stress, from none (0) to the most you can imagine (10)", 0, 10)
        if burnout is None:
            print(library.burnout_question)
            for level in library.burnout:
                print(f"  {level.id}  {level.label}")
            burnout = _ask_number("Your rating", 1, 5)
        if not emotions:
            text = input("Emotions (names, optionally name:1-5, separated by commas): ").strip()
            emotions = _emotions([t.strip() for t in text.split(",") if t.strip()])
        if sleep is None:
            sleep = _ask_number("Hours of sleep last night", 0, 24, whole=False)
        if encounter is None:
            answer = input("Did something difficult happen? [y/N]: ").strip().lower()
            if answer.startswith("y"):
                print("  " + "  ".join(ENCOUNTER_TYPES))
                choice = input("Which kind (one of the above, Enter for 'other'): ").strip()
                encounter = choice if choice in ENCOUNTER_TYPES else "other"
        if not good_moment:
            answer = input("Did something good happen? [y/N]: ").strip().lower()
            good_moment = answer.startswith("y")
    fields: dict[str, Any] = {
        "mood": mood, "energy": energy, "stress": stress, "burnout": burnout,
        "emotions": emotions, "sleep_hours": float(sleep) if sleep is not None else None,
        "encounter": encounter, "good_moment": good_moment,
    }
    if args.date:
        fields["created"] = _parse_when(args.date)
    try:
        checkin = CheckIn(**fields)
    except ValueError as exc:
        raise ValidationError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
    with _open(args) as journal:
        journal.add_record(checkin)
    if args.json:
        _print_json(checkin_json(checkin))
    else:
        print(checkin.id)
        if checkin.encounter:
            from .core.prompts import load_library

            template = load_library().template_for(checkin.encounter)
            _say(f"When you are ready, a guided reflection may help: {template.title}.")
        elif checkin.good_moment:
            from .core.prompts import GOOD_MOMENT_TEMPLATE, load_library

            template = load_library().templates[GOOD_MOMENT_TEMPLATE]
            _say(f"Something good happened. If you like, hold on to it: {template.title}.")
    return EXIT_OK


def checkin_json(checkin: Any) -> dict[str, Any]:
    return {
        "id": checkin.id,
        "created": checkin.created.isoformat(),
        "mood": checkin.mood,
        "energy": checkin.energy,
        "stress": checkin.stress,
        "burnout": checkin.burnout,
        "emotions": [{"name": e.name, "intensity": e.intensity} for e in checkin.emotions],
        "sleep_hours": checkin.sleep_hours,
        "encounter": checkin.encounter,
        "good_moment": checkin.good_moment,
    }


def cmd_prompt(args: argparse.Namespace) -> int:
    from .core.custom import library_with_custom
    from .core.model import now
    from .core.prompts import (
        LEVELS,
        THEMES,
        choose_prompt,
        load_library,
        recent_use,
        todays_prompt_for,
    )

    if args.level is not None and args.level not in LEVELS:
        raise UsageError(f"Levels are: {', '.join(LEVELS)}.")
    if args.theme is not None and args.theme not in THEMES:
        raise UsageError(f"Themes are: {', '.join(THEMES)}.")
    library = load_library()
    today = now().date()
    with _open(args) as journal:
        library = library_with_custom(library, journal)  # the user's own prompts too
        if args.encounter is None and args.level is None and args.theme is None:
            prompt = todays_prompt_for(journal, library, today)  # the same as the app's
        else:
            state = journal.app_state()
            import random

            answered, facet_use = recent_use(library, journal.entries())
            prompt = choose_prompt(
                library, encounter=args.encounter, level=args.level or state.level,
                theme=args.theme, recent=[*state.shown_prompts, *answered], facet_use=facet_use,
                rng=random.Random(today.toordinal()),
            )
    if args.json:
        _print_json({"id": prompt.id, "text": prompt.text, "facet": prompt.facet,
                     "level": prompt.level, "themes": list(prompt.themes)})
    else:
        print(prompt.text)
        _say(f"({prompt.facet}, {prompt.level}; id {prompt.id})")
    return EXIT_OK


def cmd_trends(args: argparse.Namespace) -> int:
    from .core.custom import library_with_custom
    from .core.model import SelfAssessment
    from .core.prompts import load_library
    from .core.trends import compute_trends

    start = _parse_day(args.date_from) if args.date_from else None
    end = _parse_day(args.date_to) if args.date_to else None
    if start and end and start > end:
        raise UsageError("--from must not be after --to.")
    with _open(args) as journal:
        library = library_with_custom(load_library(), journal)
        from .core.sharing import mentor_depth_ratings

        figures = compute_trends(journal.entries(), journal.checkins(), start, end,
                                 library=library,
                                 assessments=journal.records(SelfAssessment),
                                 mentor_ratings=mentor_depth_ratings(journal))
        show_streaks = journal.app_state().show_streaks
    if args.json:
        _print_json(figures)
    else:
        for line in _trends_text(figures, show_streaks):
            print(line)
        _say("Use --json for every figure.")
    return EXIT_OK


def _trends_text(figures: dict[str, Any], show_streaks: bool = False) -> list[str]:
    """A short plain summary of the figures (``--json`` has all of them); streaks only when
    the user turned them on in the app's Settings."""
    from .core.wording import encounter_words, plural

    rng = figures["range"]
    lines = [f"Trends from {rng['from'] or 'the first record'} to {rng['to'] or 'today'}."]
    scales = {"mood": "-5 to 5", "energy": "-5 to 5", "stress": "0 to 10", "burnout": "1 to 5"}
    for name, scale in scales.items():
        points = figures["series"][name]
        if points:
            mean = sum(p["value"] for p in points) / len(points)
            lines.append(f"  {name.capitalize()} ({scale}): averaged {mean:.1f} over "
                         f"{plural(len(points), 'day')}.")
    if show_streaks:
        st = figures["streaks"]
        lines.append(f"  Check-in streak: {plural(st['checkin']['current'], 'day')} now, "
                     f"longest {plural(st['checkin']['longest'], 'day')}; writing streak: "
                     f"{plural(st['writing']['current'], 'day')} now, longest "
                     f"{plural(st['writing']['longest'], 'day')}.")
    words = figures["words"]
    lines.append(f"  {plural(words['total'], 'word')} in "
                 f"{plural(words['entries'], 'entry', 'entries')}.")
    enc = figures["encounters"]
    if enc["total"]:
        lines.append(f"  Difficult encounters: {enc['total']:,} ("
                     + ", ".join(f"{encounter_words(k)} {v}" for k, v in enc["counts"].items())
                     + ").")
    facets = figures["facets"]
    lines.append(f"  Competency-4 facets reflected on: {facets['covered']} of {facets['of']}.")
    return lines


def _read_names_file(path: str) -> list[str]:
    """Names, one a line (``-``: standard input)."""
    text = _read_text(path, "names")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _escape_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def cmd_deid(args: argparse.Namespace) -> int:
    from .core.deid import find_identifiers

    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("The text on standard input is not UTF-8.") from None
    names: list[str] = []
    if args.names_file:
        names.extend(_read_names_file(args.names_file))
    if args.journal_names:
        with _open(args) as journal:
            names.extend(journal.deid_names())
    findings = find_identifiers(text, names)
    if args.json:
        _print_json([f.to_json() for f in findings])
    else:
        for f in findings:
            print(f"{f.start}-{f.end} {f.category} {_escape_line(f.text)}")
        if not findings:
            _say("No identifiers found. Read the text yourself too: no detector is complete.")
    return EXIT_OK


def cmd_deid_names(args: argparse.Namespace) -> int:
    if args.add_file == "-" and args.remove_file == "-":
        raise UsageError("Only one of --add-file and --remove-file can read standard input.")
    added = [*(args.add or []), *(_read_names_file(args.add_file) if args.add_file else [])]
    removed = [*(args.remove or []),
               *(_read_names_file(args.remove_file) if args.remove_file else [])]
    with _open(args) as journal:
        names = journal.deid_names()
        if added or removed:
            gone = {n.strip().casefold() for n in removed}
            kept = [n for n in names if n.casefold() not in gone]
            names = journal.set_deid_names([*kept, *added])
    if args.json:
        _print_json(names)
    else:
        for name in names:
            print(name)
        if not names:
            _say("Your list of names is empty.")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    from .ui.app import run_app

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else None
    return int(run_app(data_dir=data_dir, demo=bool(getattr(args, "demo", False)),
                       background=bool(getattr(args, "background", False))))


# ==================================================================== parser


def _global_options(parser: argparse.ArgumentParser, top: bool) -> None:
    # On subcommands the defaults are SUPPRESS, so an option given before the command is not
    # overwritten by the subcommand's default: global options work before or after the command.
    d: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument("--data-dir", metavar="DIR", help="the journal's data folder", **d)
    parser.add_argument(
        "--passphrase-file", metavar="PATH", help="read the passphrase from the first line", **d
    )
    parser.add_argument("--json", action="store_true", help="print JSON for machines", **d)


def _entry_options(parser: argparse.ArgumentParser, editing: bool) -> None:
    from .core.model import ENCOUNTER_TYPES

    parser.add_argument("--title")
    tag_help = "repeatable" + (" (replaces the tags)" if editing else "")
    parser.add_argument("--tag", action="append", help=tag_help)
    parser.add_argument("--emotion", action="append", metavar="NAME[:1-5]", help="repeatable")
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
    fields = "title, tag, emotion, mood, energy, stress, encounter, date, star, " + (
        "unstar, body" if editing else "body")
    parser.add_argument(
        "--fields-file", metavar="F|-",
        help=f"a JSON object with the same fields as these options ({fields}; tag and emotion "
        f"are lists), e.g. {{\"title\": \"Night shift\", \"tag\": [\"nights\"]}}; {FILE_HELP}",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="A private, encrypted journal for reflective practice. "
        "With no command, the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--demo", action="store_true", help="open a throwaway demo journal")
    parser.add_argument(
        "--background", action="store_true",
        help="start in the tray (for reminders), without a window, when the tray is available",
    )
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, top=False)
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, "create a journal and print its recovery key once")
    _entry_options(add("add", cmd_add, "add an entry"), editing=False)
    p = add("edit", cmd_edit, "change an entry (the old version is kept as a revision)")
    p.add_argument("id")
    _entry_options(p, editing=True)
    p = add("list", cmd_list, "list entries, newest first")
    p.add_argument("--limit", type=int)
    p = add("show", cmd_show, "show one entry")
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
    p = add("attachment", lambda _a: _usage_attachment(), "save, remove or restore an attachment")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    for name, func, text in (
        ("save", cmd_attachment_save, "write the image to a file (NOT encrypted)"),
        ("remove", cmd_attachment_remove, "move an attachment to the trash"),
        ("restore", cmd_attachment_restore, "bring a removed attachment back"),
    ):
        q = actions.add_parser(name, help=text, description=text)
        _global_options(q, top=False)
        q.set_defaults(func=func)
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
    p = add("export", cmd_export, "write entries to clear-text files (not encrypted)")
    p.add_argument("--format", choices=["json", "markdown", "html", "pdf"], default="json",
                   help="json: every record (default); markdown: a folder of files; html: one "
                   "page; pdf: a portfolio")
    p.add_argument("--out", required=True, metavar="PATH", help="a file, or a folder for markdown")
    p.add_argument("--entry", action="append", metavar="ID",
                   help="only this entry or reflection (an id or its first 6+ characters; "
                   "repeatable)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--name", help="the name on the portfolio's title page (pdf)")
    p.add_argument("--no-feedback", action="store_true",
                   help="leave out the short excerpts of mentor feedback (pdf)")
    decide = p.add_mutually_exclusive_group()
    decide.add_argument("--redact-all", "--accept-all", dest="redact_all", action="store_true",
                        help="replace every possible identifier found with its category, e.g."
                        " [name] (pdf, html, markdown; without it or --keep-all, the findings"
                        " are listed and nothing is written)")
    decide.add_argument("--keep-all", action="store_true",
                        help="keep every possible identifier found as written")
    p = add("import", cmd_import, "import your writing from a file (never contacts, feedback"
            " or settings: those have their own paths)")
    p.add_argument("--format", choices=["json", "jrnl-json", "dayone", "markdown"],
                   default="json",
                   help="dayone: the export's zip or folder; markdown: a folder of .md, "
                   ".markdown or .txt files")
    p.add_argument("path")
    p = add("change-passphrase", cmd_change_passphrase,
            "set a new passphrase (with --rotate-key, also re-encrypt every record under a new "
            "key, so old key slots kept in backups and copies cannot open new writing)")
    p.add_argument("--new-passphrase-file", metavar="F")
    p.add_argument("--rotate-key", action="store_true",
                   help="re-encrypt every record under a new key and print a new recovery key")
    p.add_argument("--exposed", action="store_true",
                   help="someone may have seen the old passphrase: implies --rotate-key")
    p = add("recover", cmd_recover, "open with the recovery key and set a new passphrase")
    p.add_argument("--recovery-key-file", metavar="F")
    p.add_argument("--new-passphrase-file", metavar="F")
    add("new-recovery-key", cmd_new_recovery_key,
        "replace the recovery key: every record is re-encrypted under a new key, so the old "
        "recovery key opens nothing written from now on")
    p = add("verify", cmd_verify, "check the whole journal for damage or tampering")
    p.add_argument("--repair", action="store_true",
                   help="after a removal, rollback or a missing list of records was found: show "
                   "what the file holds now and, if you agree, accept it as the journal's true "
                   "contents (saving works again)")
    p.add_argument("--yes", action="store_true", help="with --repair: accept without asking")
    p = add("checkin", cmd_checkin, "a 30-second check-in (asks for what is missing on a terminal)")
    p.add_argument("--mood", type=int, metavar="-5..5")
    p.add_argument("--energy", type=int, metavar="-5..5")
    p.add_argument("--stress", type=int, metavar="0..10")
    p.add_argument("--burnout", type=int, metavar="1..5")
    p.add_argument("--emotion", action="append", metavar="NAME[:1-5]")
    p.add_argument("--sleep", type=float, metavar="HOURS")
    from .core.model import ENCOUNTER_TYPES

    p.add_argument("--encounter", choices=ENCOUNTER_TYPES)
    p.add_argument("--good-moment", action="store_true",
                   help="something good happened (Three Good Things is suggested)")
    p.add_argument("--date", metavar="ISO")
    p = add("trends", cmd_trends, "print the figures of your trends (--json: all of them)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p = add("prompt", cmd_prompt, "print today's reflection prompt")
    p.add_argument("--encounter", choices=ENCOUNTER_TYPES)
    p.add_argument("--level", metavar="early|clerkship|advanced")
    p.add_argument("--theme", metavar="THEME",
                   help="a prompt on one theme: grief, moral-injury, identity, spirituality, "
                        "cultural-humility, team-debrief, compassion-satisfaction, humour-hope")
    from .cli_backup import register as register_backup

    register_backup(add)
    from .cli_support import register as register_support

    register_support(add)

    from .cli_salvage import register as register_salvage

    register_salvage(add)

    from .cli_copies import register as register_copies

    register_copies(add)

    from .cli_sharing import add_commands as add_sharing_commands

    add_sharing_commands(sub, add, _global_options)


    p = add("deid", cmd_deid, "list the identifiers (names, dates, numbers...) found in the text "
            "on standard input, one per line as START-END CATEGORY TEXT (offsets in characters)")
    p.add_argument("--names-file", metavar="F", help="names to treat as names, one per line")
    p.add_argument("--journal-names", action="store_true",
                   help="also use the list of names kept in your journal (needs the passphrase)")
    p = add("deid-names", cmd_deid_names,
            "show or change the list of names that de-identification always treats as names")
    p.add_argument("--add", action="append", metavar="NAME", help="repeatable")
    p.add_argument("--remove", action="append", metavar="NAME", help="repeatable")
    p.add_argument("--add-file", metavar="F|-", help=f"names to add, one a line; {FILE_HELP}")
    p.add_argument("--remove-file", metavar="F|-", help="names to remove, one a line")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run one command; the single exit point that maps errors to exit codes."""
    from .core.hardening import forbid_core_dumps

    forbid_core_dumps()  # before anything is read: no core file can hold the journal
    try:
        args = build_parser().parse_args(list(argv))
        func = getattr(args, "func", None)
        if func is None:
            return cmd_app(args)
        result: int = func(args)
        return result
    except JournalError as exc:
        _say(f"{PROG}: {exc.message}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say(f"{PROG}: stopped.")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception:  # a bug: say so without a traceback that could carry journal text
        if os.environ.get("JOURNAL_APP_DEBUG"):
            raise
        _say(f"{PROG}: an unexpected error stopped the command (this is a bug in journal-app).")
        return EXIT_FAIL

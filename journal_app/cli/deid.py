"""De-identification: deid (the identifiers in a text) and deid-names (the names always found).

``deid`` reads the text on standard input and needs no journal unless ``--journal-names``.
"""

from __future__ import annotations

import argparse
import sys

from journal_app.cli.base import Add, open_journal
from journal_app.cli.io import EXIT_OK, FILE_HELP, escape_line, print_json, read_names_file, say
from journal_app.core.errors import UsageError


def cmd_deid(args: argparse.Namespace) -> int:
    from journal_app.core.deid import find_identifiers

    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("The text on standard input is not UTF-8.") from None
    names: list[str] = []
    if args.names_file:
        names.extend(read_names_file(args.names_file))
    if args.journal_names:
        with open_journal(args) as journal:
            names.extend(journal.deid_names())
    findings = find_identifiers(text, names)
    if args.json:
        print_json([f.to_json() for f in findings])
    else:
        for f in findings:
            print(f"{f.start}-{f.end} {f.category} {escape_line(f.text)}")
        if not findings:
            say("No identifiers found. Read the text yourself too: no detector is complete.")
    return EXIT_OK


def cmd_deid_names(args: argparse.Namespace) -> int:
    if args.add_file == "-" and args.remove_file == "-":
        raise UsageError("Only one of --add-file and --remove-file can read standard input.")
    added = [*(args.add or []), *(read_names_file(args.add_file) if args.add_file else [])]
    removed = [*(args.remove or []),
               *(read_names_file(args.remove_file) if args.remove_file else [])]
    with open_journal(args) as journal:
        names = journal.deid_names()
        if added or removed:
            gone = {n.strip().casefold() for n in removed}
            kept = [n for n in names if n.casefold() not in gone]
            names = journal.set_deid_names([*kept, *added])
    if args.json:
        print_json(names)
    else:
        for name in names:
            print(name)
        if not names:
            say("Your list of names is empty.")
    return EXIT_OK


def register(add: Add) -> None:
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

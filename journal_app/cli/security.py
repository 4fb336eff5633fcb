"""The vault's keys and health: init, change-passphrase, recover, new-recovery-key, verify
(with --repair), salvage and copies.

A passphrase or recovery key is read from a file or typed on the terminal, never given as an
argument; a new one typed on the terminal is asked twice. Exit codes beyond the usual: verify
and salvage end with 4 when something is damaged or lost.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.cli.agentlink import end_agent
from journal_app.cli.base import Add, data_dir, open_journal, open_with_passphrase
from journal_app.cli.io import (
    EXIT_DAMAGED,
    EXIT_FAIL,
    EXIT_OK,
    PROG,
    ask_secret,
    confirm,
    has_terminal,
    new_passphrase,
    passphrase,
    print_json,
    read_secret_file,
    say,
)
from journal_app.core.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from journal_app.core.vault import IntegrityReport, Journal


def cmd_init(args: argparse.Namespace) -> int:
    from journal_app.core.vault import Journal

    folder = data_dir(args)
    if Journal.exists(folder):
        from journal_app.core.errors import VaultExistsError

        raise VaultExistsError()
    path = args.passphrase_file or os.environ.get("JOURNAL_APP_PASSPHRASE_FILE")
    secret = new_passphrase(path, "passphrase")
    refuse_weak(secret)
    journal, recovery_key = Journal.create(folder, secret)
    journal.close()
    if args.json:
        print_json({"data_dir": str(folder), "recovery_key": recovery_key})
    else:
        print(f"Created a journal in {folder}.")
        print("Your recovery key (shown once; store it somewhere safe, away from this computer):")
        print(f"\n    {recovery_key}\n")
    return EXIT_OK


def refuse_weak(secret: str) -> None:
    """Refuse a really weak passphrase, by the app's rule and with its explanation
    (core.passwords: too short, a well-known password, one character repeated)."""
    from journal_app.core.vault import assess

    strength = assess(secret)
    if strength.blocked:
        raise UsageError(
            f"That passphrase is too weak: {' '.join(strength.reasons)} Choose one only you know:"
            " four or five unrelated words work well. Nothing was created."
        )


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    rotate = args.rotate_key or args.exposed
    with open_journal(args) as journal:
        new = new_passphrase(args.new_passphrase_file)
        end_agent(journal.data_dir)  # the key changes: the unlock agent locks first
        if not rotate:
            journal.change_passphrase(new)
        else:
            key = journal.rotate_key(new, progress=_rotation_progress())
    if not rotate:
        if args.json:
            print_json({"changed": True, "key_rotated": False})
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
        print_json({"changed": True, "key_rotated": True, "recovery_key": key})
        return
    print(what)
    print("Your new recovery key (the old one no longer works; store this one safely):")
    print(f"\n    {key}\n")
    print(ROTATION_LIMITS)


def cmd_recover(args: argparse.Namespace) -> int:
    from journal_app.core.vault import Journal

    if args.recovery_key_file:
        key_text = read_secret_file(args.recovery_key_file, "recovery key")
    elif has_terminal():
        key_text = ask_secret("Recovery key: ")
    else:
        raise UsageError("No recovery key given: use --recovery-key-file, or run in a terminal.")
    with Journal.open(data_dir(args)) as journal:
        journal.data_key_from_recovery(key_text)  # check the key before asking for a passphrase
        new = new_passphrase(args.new_passphrase_file)
        end_agent(journal.data_dir)  # the passphrase changes: the unlock agent locks first
        journal.recover(key_text, new)
    print("Recovered: the journal now opens with the new passphrase.")
    return EXIT_OK


def cmd_new_recovery_key(args: argparse.Namespace) -> int:
    journal, secret = open_with_passphrase(args)
    with journal:
        end_agent(journal.data_dir)  # the key changes: the unlock agent locks first
        key = journal.new_recovery_key(secret, progress=_rotation_progress())
    if args.json:
        print_json({"recovery_key": key})
        return EXIT_OK
    _print_rotated(args, key, "Every record was re-encrypted under a new key.")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    repaired = False
    with open_journal(args, warn=False) as journal:  # verify reports the manifest itself
        report = journal.verify()
        if args.repair:
            repaired = _repair(args, journal, report)
            if repaired:
                report = journal.verify()
        read_only = journal.read_only
    if args.json:
        print_json(
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
            say(problem)
        if read_only:
            say(f"The journal is read-only until you run '{PROG} verify --repair'.")
    return EXIT_OK if report.ok else EXIT_DAMAGED


def _repair(args: argparse.Namespace, journal: Journal, report: IntegrityReport) -> bool:
    """``verify --repair``: show what a repair would accept, ask, and repair. True if the
    manifest was rewritten.

    A missing or unreadable manifest (the sealed list of records) leaves the journal read-only:
    it is never rebuilt silently, since that would accept a removed or rolled-back record as
    true. A repair shows what it would accept (the records in the file now, by kind) and asks
    first; on a machine without a terminal ``--yes`` is the answer. It also accepts the current
    state after a detected removal or rollback, when the user knows why (a restored copy of
    the file, say).
    """
    from journal_app.core.recovery import describe_kinds

    preview = journal.repair_preview()
    if not preview.needed:
        if not args.json:
            print("Nothing to repair: the journal's list of records matches the file.")
        return False
    if not args.yes and not has_terminal():
        raise UsageError(
            "Repairing accepts the journal as it is now: add --yes to confirm (there is no"
            " terminal to ask on)."
        )
    if not args.json:
        print(f"Found: {preview.problem}")
        print("A repair accepts what the file holds now as the journal's true contents:")
        for line in describe_kinds(preview.kinds):
            print(f"    {line}")
        if report.damaged_ids:
            print(f"{len(report.damaged_ids)} of them cannot be opened and stay reported as"
                  " damaged.")
        print("Anything removed or rolled back before now can no longer be detected.")
    if not args.yes and not confirm("Accept this as the journal's true contents? [y/N]: "):
        print("Nothing was changed.")
        return False
    journal.repair_manifest(preview)
    if not args.json:
        print("Accepted: the journal's list of records was rebuilt, and saving works again.")
    return True


def cmd_salvage(args: argparse.Namespace) -> int:
    """Exit codes: 0 everything was rescued, 4 some records were lost (each is listed), 1 the
    folder is not empty (nothing was written); 3 a wrong passphrase, as everywhere."""
    from journal_app.core.recovery import check_target, lost_lines
    from journal_app.core.recovery.salvage import salvage

    folder = data_dir(args)
    check_target(folder, Path(args.out))  # before asking for the passphrase
    result = salvage(folder, passphrase(args), Path(args.out))
    if args.json:
        print_json({
            "kept": result.kept,
            "lost": [r.to_json() for r in result.lost],
            "unidentified": result.unidentified,
            "data_dir": str(result.out_dir),
            "recovery_key": result.recovery_key,
        })
    else:
        print(f"Rescued {result.kept} records into a new journal in {result.out_dir}.")
        if result.lost:
            print(f"{len(result.lost)} record(s) could not be read and are lost:")
            for line in lost_lines(result.lost):
                print(f"  {line}")
        if result.unidentified:
            print(f"{result.unidentified} more record(s) could not be read or even named.")
        if result.complete:
            print("Nothing was lost.")
        print("The new journal opens with your passphrase. Its new recovery key (shown once;"
              " store it somewhere safe, away from this computer):")
        print(f"\n    {result.recovery_key}\n")
        print("The damaged journal was left as it was. Open the new one with"
              f" '--data-dir {result.out_dir}' (or choose it in the app), then make a backup"
              " of it.")
    return EXIT_OK if result.complete else EXIT_DAMAGED


def cmd_copies(args: argparse.Namespace) -> int:
    """No passphrase is needed: only file names, dates and sizes are shown, and a copy is
    removed as a whole."""
    from journal_app.core.records import format_size
    from journal_app.core.recovery import kept_copies, remove_copy

    folder = data_dir(args)
    copies = kept_copies(folder)
    if args.remove is not None:
        matches = [c for c in copies if c.name == args.remove.rstrip("/")]
        if not matches:
            raise NotFoundError(f"No copy by that name in the journal's folder ('{PROG} "
                                "copies' lists them).")
        copy = matches[0]
        if not args.yes:
            if not has_terminal():
                raise UsageError("Removing a copy cannot be undone: add --yes to confirm (there "
                                 "is no terminal to ask on).")
            if not confirm(f"Remove {copy.name} ({copy.what.lower()}) for good? [y/N] "):
                say("Nothing was changed.")
                return EXIT_FAIL
        remove_copy(folder, copy)
        print(f"Removed {copy.name}.")
        return EXIT_OK
    if args.json:
        print_json([{"name": c.name, "kind": c.kind, "what": c.what,
                          "made": c.made.isoformat(timespec="minutes"), "size": c.size}
                         for c in copies])
        return EXIT_OK
    for c in copies:
        print(f"{c.name}  {c.what}, {c.made.strftime('%Y-%m-%d %H:%M')}, {format_size(c.size)}")
    if not copies:
        say("There are no copies: only your journal is in its folder.")
    return EXIT_OK


def register(add: Add) -> None:
    add("init", cmd_init, "create a journal and print its recovery key once")
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
    p = add("salvage", cmd_salvage,
            "copy every record that can still be read from a damaged journal into a new journal"
            " (new data key and recovery key; the passphrase stays), and list what was lost")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="an empty folder (or a new one) for the rescued journal")
    p = add("copies", cmd_copies, "list the copies of the journal kept in its folder (before a "
            "restore or a format update), or remove one")
    p.add_argument("--remove", metavar="NAME", help="remove this copy for good")
    p.add_argument("--yes", action="store_true", help="do not ask before removing")

"""``journal-app backup create|verify|restore``: the command line over :mod:`core.backup`.

Passphrases, output and errors go through the same helpers as every other command (so the same
exit codes: 2 usage, 3 wrong passphrase, 4 a damaged or altered backup, 1 busy or a drive
problem).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from journal_app.cli.agentlink import end_agent
from journal_app.cli.base import Add, actions, data_dir, open_journal
from journal_app.cli.io import (
    EXIT_DAMAGED,
    EXIT_FAIL,
    EXIT_OK,
    PROG,
    confirm,
    has_terminal,
    passphrase,
    print_json,
    say,
)
from journal_app.core.errors import UsageError


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_backup(args: argparse.Namespace) -> int:
    raise UsageError(
        f"Say what to do: '{PROG} backup create --out F', 'backup verify F' or "
        "'backup restore F'."
    )


def cmd_backup_create(args: argparse.Namespace) -> int:
    from journal_app.core.recovery import create_backup, record_backup, records_text, tidy

    tidy(data_dir(args))
    with open_journal(args) as journal:
        info = create_backup(journal, Path(args.out))
        record_backup(journal, info)
    if args.json:
        print_json({
            "file": str(info.path),
            "created": info.created.isoformat(),
            "records": info.header.records,
            "records_checked": info.records_checked,
            "size": info.path.stat().st_size,
            "verified": info.ok,
        })
    else:
        print(f"Wrote a backup of {records_text(info.header.records)} to {info.path} and "
              "checked it: every record opens.")
    return EXIT_OK


def cmd_backup_verify(args: argparse.Namespace) -> int:
    from journal_app.core.recovery import read_header, records_text, verify_backup

    folder = data_dir(args)
    read_header(Path(args.file))  # a file that is not a backup is refused before the passphrase
    info = verify_backup(Path(args.file), passphrase=passphrase(args), current_dir=folder)
    if args.json:
        print_json({
            "ok": info.ok,
            "file": str(info.path),
            "created": info.created.isoformat(),
            "records_checked": info.records_checked,
            "problems": info.problems,
        })
    elif info.ok:
        print(f"The backup from {_when(info.created)} is intact: "
              f"{records_text(info.records_checked)} checked, every one opens.")
    else:
        for problem in info.problems:
            say(problem)
    return EXIT_OK if info.ok else EXIT_DAMAGED


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from journal_app.core.recovery import (
            KEYS_CURRENT,
            prepare_restore,
            read_header,
            records_text,
            tidy,
        )

    folder = data_dir(args)
    if not args.yes and not has_terminal():
        raise UsageError(
            "Restoring replaces the journal: add --yes to confirm (there is no terminal to ask on)."
        )
    path = Path(args.file)
    read_header(path)
    tidy(folder)
    prepared = prepare_restore(folder, path, passphrase=passphrase(args))
    try:
        if not args.yes:
            when = _when(prepared.backup.created)
            question = (
                f"Replace the journal in {folder} with the backup from {when}? [y/N] "
                if prepared.replaces else
                f"Restore the backup from {when} into {folder}? [y/N] "
            )
            if not confirm(question):
                prepared.discard()
                say("Nothing was changed.")
                return EXIT_FAIL
        end_agent(folder)  # the journal is replaced: its unlock agent locks first
        result = prepared.commit()
    except BaseException:
        prepared.discard()
        raise
    if args.json:
        out: dict[str, Any] = {
            "restored": str(path),
            "created": result.backup.created.isoformat(),
            "records": result.backup.records_checked,
            "data_dir": str(folder),
            "replaced": str(result.replaced) if result.replaced else None,
            "keys": result.keys,
        }
        print_json(out)
    else:
        print(f"Restored the backup from {_when(result.backup.created)} "
              f"({records_text(result.backup.records_checked)}) into {folder}.")
        if result.replaced is not None:
            print(f"The journal it replaced is kept in {result.replaced}.")
        if result.keys == KEYS_CURRENT:
            print("It opens with your current passphrase and recovery key.")
        else:
            print("It opens with the passphrase (and recovery key) the journal had when the "
                  "backup was made.")
    return EXIT_OK


def register(add: Add) -> None:
    parser = add("backup", cmd_backup, "encrypted backups: create, verify or restore one")
    action = actions(parser, "backup_action")
    p = action("create", cmd_backup_create,
               "write an encrypted backup of the journal, then check it in full")
    p.add_argument("--out", required=True, metavar="F",
                   help="the backup file to write, or a folder (named from the date and time)")
    p = action("verify", cmd_backup_verify,
               "check a backup in full: every record is decrypted (nothing is changed)")
    p.add_argument("file")
    p = action("restore", cmd_backup_restore,
               "replace the journal with a backup (checked first; the old journal is kept)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="do not ask before replacing")

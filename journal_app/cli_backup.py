"""``journal-app backup create|verify|restore``: the command line over :mod:`core.backup`.

Registered by :func:`journal_app.cli.build_parser`; passphrases, output and errors go through the
same helpers as every other command (so the same exit codes: 2 usage, 3 wrong passphrase, 4 a
damaged or altered backup, 1 busy or a drive problem).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from . import cli
from .core.errors import UsageError

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def records_text(count: int) -> str:
    return f"{count} record{'' if count == 1 else 's'}"


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal (not standard input: it may be a pipe)."""
    try:
        with open("/dev/tty", "r+", encoding="utf-8") as tty:
            tty.write(question)
            tty.flush()
            answer = tty.readline()
    except OSError:
        answer = input(question)
    return answer.strip().lower() in ("y", "yes")


def cmd_backup(args: argparse.Namespace) -> int:
    raise UsageError(
        f"Say what to do: '{cli.PROG} backup create --out F', 'backup verify F' or "
        "'backup restore F'."
    )


def cmd_backup_create(args: argparse.Namespace) -> int:
    from .core.backup import create_backup, record_backup, tidy

    tidy(cli._data_dir(args))
    with cli._open(args) as journal:
        info = create_backup(journal, Path(args.out))
        record_backup(journal, info)
    if args.json:
        cli._print_json({
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
    return cli.EXIT_OK


def cmd_backup_verify(args: argparse.Namespace) -> int:
    from .core.backup import read_header, verify_backup

    data_dir = cli._data_dir(args)
    read_header(Path(args.file))  # a file that is not a backup is refused before the passphrase
    passphrase = cli._passphrase(args)
    info = verify_backup(Path(args.file), passphrase=passphrase, current_dir=data_dir)
    if args.json:
        cli._print_json({
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
            cli._say(problem)
    return cli.EXIT_OK if info.ok else 4


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from .core.backup import KEYS_CURRENT, prepare_restore, read_header, tidy

    data_dir = cli._data_dir(args)
    if not args.yes and not cli._has_terminal():
        raise UsageError(
            "Restoring replaces the journal: add --yes to confirm (there is no terminal to ask on)."
        )
    path = Path(args.file)
    read_header(path)
    tidy(data_dir)
    passphrase = cli._passphrase(args)
    prepared = prepare_restore(data_dir, path, passphrase=passphrase)
    try:
        if not args.yes:
            when = _when(prepared.backup.created)
            question = (
                f"Replace the journal in {data_dir} with the backup from {when}? [y/N] "
                if prepared.replaces else
                f"Restore the backup from {when} into {data_dir}? [y/N] "
            )
            if not _confirm(question):
                prepared.discard()
                cli._say("Nothing was changed.")
                return cli.EXIT_FAIL
        result = prepared.commit()
    except BaseException:
        prepared.discard()
        raise
    if args.json:
        out: dict[str, Any] = {
            "restored": str(path),
            "created": result.backup.created.isoformat(),
            "records": result.backup.records_checked,
            "data_dir": str(data_dir),
            "replaced": str(result.replaced) if result.replaced else None,
            "keys": result.keys,
        }
        cli._print_json(out)
    else:
        print(f"Restored the backup from {_when(result.backup.created)} "
              f"({records_text(result.backup.records_checked)}) into {data_dir}.")
        if result.replaced is not None:
            print(f"The journal it replaced is kept in {result.replaced}.")
        if result.keys == KEYS_CURRENT:
            print("It opens with your current passphrase and recovery key.")
        else:
            print("It opens with the passphrase (and recovery key) the journal had when the "
                  "backup was made.")
    return cli.EXIT_OK


def register(add: Add) -> None:
    """Add ``backup`` and its three actions to the parser (``add`` is build_parser's)."""
    parser = add("backup", cmd_backup, "encrypted backups: create, verify or restore one")
    actions = parser.add_subparsers(dest="backup_action", metavar="ACTION",
                                    parser_class=cli._Parser)

    def action(name: str, func: Callable[[argparse.Namespace], int],
               help_text: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text, description=help_text)
        cli._global_options(p, top=False)
        p.set_defaults(func=func)
        return p

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

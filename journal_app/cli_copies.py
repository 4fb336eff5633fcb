"""``journal-app copies [--remove NAME]``: the copies of the journal kept in its folder.

Registered by :func:`journal_app.cli.build_parser`. No passphrase is needed: only file names,
dates and sizes are shown, and a copy is removed as a whole.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from . import cli
from .cli_backup import _confirm
from .core.errors import NotFoundError, UsageError

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def cmd_copies(args: argparse.Namespace) -> int:
    from .core.attachments import format_size
    from .core.copies import kept_copies, remove_copy

    data_dir = cli._data_dir(args)
    copies = kept_copies(data_dir)
    if args.remove is not None:
        matches = [c for c in copies if c.name == args.remove.rstrip("/")]
        if not matches:
            raise NotFoundError(f"No copy by that name in the journal's folder ('{cli.PROG} "
                                "copies' lists them).")
        copy = matches[0]
        if not args.yes:
            if not cli._has_terminal():
                raise UsageError("Removing a copy cannot be undone: add --yes to confirm (there "
                                 "is no terminal to ask on).")
            if not _confirm(f"Remove {copy.name} ({copy.what.lower()}) for good? [y/N] "):
                cli._say("Nothing was changed.")
                return cli.EXIT_FAIL
        remove_copy(data_dir, copy)
        print(f"Removed {copy.name}.")
        return cli.EXIT_OK
    if args.json:
        cli._print_json([{"name": c.name, "kind": c.kind, "what": c.what,
                          "made": c.made.isoformat(timespec="minutes"), "size": c.size}
                         for c in copies])
        return cli.EXIT_OK
    for c in copies:
        print(f"{c.name}  {c.what}, {c.made.strftime('%Y-%m-%d %H:%M')}, {format_size(c.size)}")
    if not copies:
        cli._say("There are no copies: only your journal is in its folder.")
    return cli.EXIT_OK


def register(add: Add) -> None:
    p = add("copies", cmd_copies, "list the copies of the journal kept in its folder (before a "
            "restore or a format update), or remove one")
    p.add_argument("--remove", metavar="NAME", help="remove this copy for good")
    p.add_argument("--yes", action="store_true", help="do not ask before removing")
